/*
 * Unit tests of the legal affairs lines (合法性审查, 规范性文件, 重大行政决策):
 * the state tables of the three case kinds, the review rules, the hard gate
 * before collective discussion and the comment period, cleanup decisions,
 * the filing deadline in working days around National Day 2021, and on a
 * real SQLite file: cleanup publication changing statuses, full-text search
 * in Chinese, and the review metrics (opinions summed per case).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/calendar.h"
#include "core/crypto.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/decisions/decisions.h"
#include "domain/normdocs/normdocs.h"
#include "domain/review/review.h"
#include "report/metric.h"

/* ===== state tables ===== */

static int in_list(const char *list, const char *s)
{
	struct case_action a = { list, "x", "x", NULL, NULL, NULL };

	return case_action_allowed(&a, s);
}

/* Every state an action names exists, every rule is valid, every action takes a date first. */
static void check_kind(const struct case_kind *k)
{
	const struct case_action *a;
	const struct deadline_rule *r;
	char err[200];

	assert_non_null(case_state_find(k, k->initial_state));
	assert_ptr_equal(case_kind_find(k->code), k);
	for (a = k->actions; a->code; a++) {
		const char *p = a->from;

		while (p && *p) {
			char state[32];
			size_t n = strcspn(p, ",");

			assert_true(n < sizeof(state));
			memcpy(state, p, n);
			state[n] = '\0';
			if (!case_state_find(k, state))
				fail_msg("%s.%s: unknown state %s", k->code, a->code, state);
			p += n + (p[n] == ',');
		}
		if (a->to && !case_state_find(k, a->to))
			fail_msg("%s.%s: unknown target %s", k->code, a->code, a->to);
		assert_non_null(a->body);
		assert_string_equal(a->body[0].name, "date");
		assert_non_null(a->apply);
		assert_ptr_equal(case_action_find(k, a->code), a);
	}
	for (r = k->rules; r->code; r++)
		if (deadline_rule_check(r, err, sizeof(err)) != 0)
			fail_msg("%s", err);
}

/* The enum values of an action's field are outcomes of the kind. */
static void check_outcome_field(const struct case_kind *k, const char *action, const char *field)
{
	const struct case_action *a = case_action_find(k, action);
	const struct body_field *f;
	const char *const *v;

	assert_non_null(a);
	for (f = a->body; f->name && strcmp(f->name, field); f++)
		;
	assert_non_null(f->values);
	for (v = f->values; *v; v++)
		if (!case_outcome_find(k, *v))
			fail_msg("%s.%s: %s is not an outcome", k->code, action, *v);
}

static void test_state_tables(void **state)
{
	const struct case_action *accept = case_action_find(&review_kind, "accept");
	const struct case_action *adopt = case_action_find(&decision_kind, "adopt");
	const struct case_action *file = case_action_find(&normdoc_kind, "file");

	(void)state;
	check_kind(&review_kind);
	check_kind(&normdoc_kind);
	check_kind(&decision_kind);
	check_outcome_field(&review_kind, "conclude", "conclusion");
	check_outcome_field(&decision_kind, "adopt", "outcome");
	assert_non_null(case_outcome_find(&decision_kind, "rejected"));
	/* A few rows read as the law has them. */
	assert_true(case_action_allowed(accept, "submitted"));
	assert_false(case_action_allowed(accept, "reviewing"));
	assert_false(case_action_allowed(case_action_find(&review_kind, "add_opinion"), "concluded"));
	assert_true(case_action_allowed(case_action_find(&review_kind, "record_adoption"), "concluded"));
	assert_true(case_action_allowed(adopt, "preparing"));
	assert_false(case_action_allowed(adopt, "decided"));
	assert_string_equal(adopt->to, "decided");
	assert_true(case_action_allowed(file, "to_amend"));
	assert_false(case_action_allowed(file, "repealed"));
	assert_true(case_action_allowed(case_action_find(&normdoc_kind, "filing_result"), "repealed"));
	/* Final states are the ones nothing more is due in. */
	assert_false(case_state_find(&review_kind, "closed")->open);
	assert_true(case_state_find(&review_kind, "concluded")->open);
	assert_false(case_state_find(&normdoc_kind, "repealed")->open);
	assert_true(case_state_find(&normdoc_kind, "amended")->open);
	assert_false(case_state_find(&decision_kind, "archived")->open);
	assert_true(in_list("a,bb,c", "bb"));
}

static void test_review_rules(void **state)
{
	const struct legal_setting *s;
	const struct deadline_rule *r;

	(void)state;
	assert_string_equal(review_rule_code("normative", 0), "review.normative");
	assert_string_equal(review_rule_code("contract", 1), "review.contract_simple");
	assert_string_equal(review_rule_code("contract", 0), "review.contract");
	assert_string_equal(review_rule_code("normative", 1), "review.normative");
	assert_null(review_simple_allowed("contract"));
	assert_non_null(review_simple_allowed("major_decision"));
	assert_string_equal(review_check_conclusion("lawful", 0, 0, NULL), "尚未指定审查人员,不能出具审查意见");
	assert_null(review_check_conclusion("lawful", 0, 1, NULL));
	assert_non_null(review_check_conclusion("lawful_after_revision", 0, 1, NULL));
	assert_null(review_check_conclusion("lawful_after_revision", 2, 1, NULL));
	assert_non_null(review_check_conclusion("unlawful", 2, 1, ""));
	assert_null(review_check_conclusion("returned", 0, 1, "材料不全"));
	assert_null(review_check_adoption("adopted", NULL));
	assert_non_null(review_check_adoption("partly", NULL));
	assert_null(review_check_adoption("not_adopted", "已说明"));
	assert_true(review_conclusion_passes("lawful_after_revision"));
	assert_false(review_conclusion_passes("returned"));
	assert_false(review_conclusion_passes(NULL));
	assert_string_equal(review_subject_name("meeting_topic"), "常务会议议题");
	/* Every review period and the filing period are tenant settings, defaulting to the rule. */
	for (r = review_rules; r->code; r++) {
		s = legal_setting_find(r->code);
		assert_non_null(s);
		assert_ptr_equal(legal_setting_rule(s), r);
	}
	assert_ptr_equal(legal_setting_rule(legal_setting_find("normdoc.filing")), &normdoc_rules[0]);
	for (s = legal_settings; s->key; s++)
		assert_true(s->kind ? legal_setting_rule(s) != NULL : s->def != NULL);
	s = legal_setting_find("normdocs.number_prefix");
	assert_null(legal_setting_check(s, "JSDR"));
	assert_non_null(legal_setting_check(s, "js-dr"));
	assert_non_null(legal_setting_check(s, ""));
	assert_null(legal_setting_check(legal_setting_find("review.contract"), "8"));
	assert_non_null(legal_setting_check(legal_setting_find("review.contract"), "61"));
	assert_non_null(legal_setting_check(legal_setting_find("review.contract"), "8天"));
	assert_int_equal(legal_tenant_of("/12/5/"), 12);
	assert_int_equal(legal_tenant_of("/7/"), 7);
	assert_int_equal(legal_tenant_of("x"), 0);
}

/* ===== the hard gate ===== */

static void test_discussion_gate(void **state)
{
	/* participation, expert, risk, legality, discussion, publication, archive, evaluation */
	const char *pending[] = { "pending", "pending", "pending", "pending",
				  "pending", "pending", "pending", "pending" };
	const char *resolved[] = { "done",    "not_applicable", "done",    "pending",
				   "pending", "pending",	"pending", "pending" };
	const char *code = NULL, *why;
	char buf[512];

	(void)state;
	why = decisions_discussion_gate(pending, NULL, &code, buf, sizeof(buf));
	assert_string_equal(code, "LEGALITY_REVIEW_MISSING");
	assert_non_null(strstr(why, "未经合法性审查的重大行政决策,不得提交集体讨论决定"));
	/* Even with every other step resolved, the review decides. */
	assert_non_null(decisions_discussion_gate(resolved, NULL, &code, buf, sizeof(buf)));
	why = decisions_discussion_gate(resolved, "", &code, buf, sizeof(buf));
	assert_string_equal(code, "LEGALITY_REVIEW_PENDING");
	why = decisions_discussion_gate(resolved, "unlawful", &code, buf, sizeof(buf));
	assert_string_equal(code, "LEGALITY_REVIEW_FAILED");
	assert_non_null(strstr(why, "“不合法”"));
	why = decisions_discussion_gate(resolved, "returned", &code, buf, sizeof(buf));
	assert_non_null(strstr(why, "“退回补充”"));
	why = decisions_discussion_gate(pending, "lawful", &code, buf, sizeof(buf));
	assert_string_equal(code, "STEPS_PENDING");
	assert_non_null(strstr(why, "公众参与、专家论证、风险评估"));
	assert_null(strstr(why, "合法性审查"));
	/* Resolved: done or not applicable; the steps after the discussion do not matter. */
	assert_null(decisions_discussion_gate(resolved, "lawful", &code, buf, sizeof(buf)));
	assert_null(decisions_discussion_gate(resolved, "lawful_after_revision", &code, buf, sizeof(buf)));
	resolved[2] = "pending";
	why = decisions_discussion_gate(resolved, "lawful", &code, buf, sizeof(buf));
	assert_non_null(strstr(why, ":风险评估"));
	/* Steps: only the legality review, the discussion and archiving are beyond skipping. */
	assert_false(decision_step_find("legality")->can_skip);
	assert_false(decision_step_find("discussion")->can_skip);
	assert_false(decision_step_find("archive")->can_skip);
	assert_true(decision_step_find("risk")->can_skip);
	assert_null(decision_step_find("lunch"));
}

static void test_comment_periods(void **state)
{
	struct calendar *cal = calendar_new();
	char err[200], buf[200];
	int days, working;

	(void)state;
	assert_true(calendar_load_embedded(cal, err, sizeof(err)) > 0);
	/* 重大行政决策: 30 days, both counted; shorter only with a reason. */
	assert_null(decisions_check_comment(20260401, 20260430, 30, NULL, buf, sizeof(buf)));
	assert_string_equal(decisions_check_comment(20260401, 20260429, 30, NULL, buf, sizeof(buf)),
			    "公开征求意见29日,少于30日的应当说明理由");
	assert_null(decisions_check_comment(20260401, 20260429, 30, "紧急", buf, sizeof(buf)));
	assert_non_null(decisions_check_comment(20260401, 20260331, 30, "紧急", buf, sizeof(buf)));
	/* 规范性文件: 7 working days. 2021-09-27..10-08 is 12 days but 5 working days (国庆 10-01..07). */
	assert_string_equal(normdoc_comment_warning(cal, 20210927, 20211008, 0, 30, 7, &days, &working, buf, sizeof(buf)),
			    "公开征求意见5个工作日,少于7个工作日");
	assert_int_equal(days, 12);
	assert_int_equal(working, 5);
	/* Sat 10-09 was a 班 day: up to Mon 10-11 makes 7. */
	assert_null(normdoc_comment_warning(cal, 20210927, 20211011, 0, 30, 7, &days, &working, buf, sizeof(buf)));
	assert_int_equal(working, 7);
	/* Close to businesses: 30 calendar days. */
	assert_non_null(normdoc_comment_warning(cal, 20210927, 20211011, 1, 30, 7, &days, &working, buf, sizeof(buf)));
	assert_null(normdoc_comment_warning(cal, 20210901, 20210930, 1, 30, 7, &days, &working, buf, sizeof(buf)));
	calendar_free(cal);
}

/* ===== normative documents: pure ===== */

static void test_cleanup_targets(void **state)
{
	char no[32];

	(void)state;
	assert_string_equal(normdoc_cleanup_target("keep", "to_amend"), "effective");
	assert_string_equal(normdoc_cleanup_target("keep", "effective"), "effective");
	assert_string_equal(normdoc_cleanup_target("keep", "amended"), "amended");
	assert_string_equal(normdoc_cleanup_target("amend", "effective"), "to_amend");
	assert_string_equal(normdoc_cleanup_target("repeal", "amended"), "repealed");
	assert_string_equal(normdoc_cleanup_target("expire", "to_amend"), "expired");
	assert_null(normdoc_cleanup_target("burn", "effective"));
	assert_string_equal(normdoc_cleanup_decision_name("expire"), "宣布失效");
	assert_true(normdoc_is_current("amended"));
	assert_false(normdoc_is_current("expired"));
	normdoc_format_number(no, sizeof(no), "JSDR", 2021, 12);
	assert_string_equal(no, "JSDR-2021-0012");
	assert_null(normdoc_check_number("JSDR-2021-0012"));
	assert_null(normdoc_check_number("ZJSP05-2019-3"));
	assert_non_null(normdoc_check_number("jsdr-2021-0012"));
	assert_non_null(normdoc_check_number("JSDR-21-0012"));
	assert_non_null(normdoc_check_number("JSDR-2021-"));
	assert_non_null(normdoc_check_number("JSDR2021"));
}

/* 15 working days from the day after 2021-09-28, over National Day (10-01..07 休, Sat 10-09 班). */
static void test_filing_on_time(void **state)
{
	struct calendar *cal = calendar_new();
	char err[200];
	int due;

	(void)state;
	assert_true(calendar_load_embedded(cal, err, sizeof(err)) > 0);
	/* 29 (1), 30 (2), 10-08 (3), Sat 10-09 (4), 11 (5) ... 22 (14), Mon 25 (15). */
	assert_int_equal(normdoc_filing_due(cal, 20210928, 15, &due), 0);
	assert_int_equal(due, 20211025);
	assert_true(20211025 <= due);  /* filed on the due date: on time */
	assert_false(20211026 <= due); /* the day after: late */
	/* Counted in calendar days the limit would have been 10-13. */
	assert_true(date_add_days(20210928, 15) == 20211013);
	/* 2026: Mon 09-28 → Fri 10-23 (Sat 10-10 is 班). */
	assert_int_equal(normdoc_filing_due(cal, 20260928, 15, &due), 0);
	assert_int_equal(due, 20261023);
	/* A tenant's 30 working days from the same day. */
	assert_int_equal(normdoc_filing_due(cal, 20210928, 30, &due), 0);
	assert_int_equal(due, 20211115);
	calendar_free(cal);
}

/* ===== on a database ===== */

static struct db *db;
static char dir[64];
static int64_t root, dept;

static int64_t add_org(int64_t parent, const char *name, const char *parent_path)
{
	char path[64];
	int64_t id;

	db_exec(db, "INSERT INTO org (parent_id, kind, name, created_at, updated_at) VALUES ($1, 'government', $2, 0, 0)",
		parent ? db_int(parent) : db_text(NULL), db_text(name));
	id = db_last_insert_id(db);
	snprintf(path, sizeof(path), "%s%lld/", parent_path, (long long)id);
	db_exec(db, "UPDATE org SET path = $1 WHERE id = $2", db_text(path), db_int(id));
	return id;
}

static int64_t add_doc(int64_t org, const char *title, const char *state, const char *text)
{
	static int seq;
	char no[32];
	int64_t id;

	snprintf(no, sizeof(no), "GFWJ-2020-%04d", ++seq);
	assert_int_equal(db_exec(db,
				 "INSERT INTO case_file (kind, org_id, case_no, case_year, title, state, received_date,"
				 " created_at, updated_at) VALUES ('normdoc', $1, $2, 2020, $3, $4, '2020-03-02', 0, 0)",
				 db_int(org), db_text(no), db_text(title), db_text(state)),
			 0);
	id = db_last_insert_id(db);
	assert_int_equal(db_exec(db,
				 "INSERT INTO normdoc (case_id, doc_no, effective_date, body_text)"
				 " VALUES ($1, $2, '2020-03-02', $3)",
				 db_int(id), db_text(no), db_text(text)),
			 0);
	return id;
}

static int setup(void **state)
{
	char path[128], err[256], root_path[32];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/fazhi-review-XXXXXX");
	if (!mkdtemp(dir) || crypto_setup() < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(&db, path, err, sizeof(err)) < 0 || migrate_apply(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	root = add_org(0, "嘉善县人民政府", "/");
	snprintf(root_path, sizeof(root_path), "/%lld/", (long long)root);
	dept = add_org(root, "嘉善县住房和城乡建设局", root_path);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void state_of(int64_t id, char out[32])
{
	assert_int_equal(db_query_text(db, out, 32, "SELECT state FROM case_file WHERE id = $1", db_int(id)), DB_ROW);
}

static void test_cleanup_publication(void **state)
{
	int64_t a = add_doc(dept, "甲办法", "effective", ""), b = add_doc(dept, "乙细则", "to_amend", "");
	int64_t c = add_doc(dept, "丙规定", "amended", ""), d = add_doc(dept, "丁通知", "effective", "");
	int64_t e = add_doc(dept, "戊意见", "repealed", ""), batch, changed, skipped, n;
	char st[32];

	(void)state;
	assert_int_equal(db_exec(db,
				 "INSERT INTO case_deadline (case_id, rule, start_date, due_date, status, created_at)"
				 " VALUES ($1, 'normdoc.expiry', '2020-03-02', '2025-03-01', 'open', 0)",
				 db_int(d)),
			 0);
	assert_int_equal(db_exec(db,
				 "INSERT INTO normdoc_cleanup (org_id, title, started_date, created_at, updated_at)"
				 " VALUES ($1, '住建局2021年清理', '2021-06-01', 0, 0)",
				 db_int(dept)),
			 0);
	batch = db_last_insert_id(db);
	assert_int_equal(db_exec(db,
				 "INSERT INTO normdoc_cleanup_item (batch_id, doc_id, prior_state, decision, reason)"
				 " SELECT $1, id, state, NULL, NULL FROM case_file WHERE org_id = $2 AND kind = 'normdoc'",
				 db_int(batch), db_int(dept)),
			 0);
	/* Undecided items: nothing is published and nothing changes. */
	assert_int_equal(normdocs_cleanup_publish(db, batch, "2021-09-30", 1, &changed, &skipped), DB_CONSTRAINT);
	state_of(b, st);
	assert_string_equal(st, "to_amend");
	db_exec(db, "UPDATE normdoc_cleanup_item SET decision = 'keep' WHERE doc_id IN ($1, $2, $3)", db_int(a), db_int(b),
		db_int(e));
	db_exec(db, "UPDATE normdoc_cleanup_item SET decision = 'repeal', reason = '已被新规定替代' WHERE doc_id = $1",
		db_int(c));
	db_exec(db, "UPDATE normdoc_cleanup_item SET decision = 'expire', reason = '有效期届满' WHERE doc_id = $1",
		db_int(d));
	assert_int_equal(normdocs_cleanup_publish(db, batch, "2021-09-30", 1, &changed, &skipped), 0);
	assert_int_equal(changed, 3); /* b to effective, c repealed, d expired */
	assert_int_equal(skipped, 1); /* e was no longer in force */
	state_of(a, st);
	assert_string_equal(st, "effective");
	state_of(b, st);
	assert_string_equal(st, "effective");
	state_of(c, st);
	assert_string_equal(st, "repealed");
	state_of(d, st);
	assert_string_equal(st, "expired");
	state_of(e, st);
	assert_string_equal(st, "repealed");
	assert_int_equal(db_query_int(db, &n, "SELECT COUNT(*) FROM case_event WHERE action = 'cleanup'"), DB_ROW);
	assert_int_equal(n, 4);
	assert_int_equal(db_query_text(db, st, sizeof(st), "SELECT closed_date FROM case_file WHERE id = $1", db_int(d)),
			 DB_ROW);
	assert_string_equal(st, "2021-09-30");
	assert_int_equal(db_query_text(db, st, sizeof(st), "SELECT status FROM case_deadline WHERE case_id = $1", db_int(d)),
			 DB_ROW);
	assert_string_equal(st, "cancelled");
	assert_int_equal(db_query_text(db, st, sizeof(st), "SELECT status FROM normdoc_cleanup WHERE id = $1",
				       db_int(batch)),
			 DB_ROW);
	assert_string_equal(st, "published");
	/* A published batch is not published again. */
	assert_int_equal(normdocs_cleanup_publish(db, batch, "2021-10-01", 1, &changed, &skipped), DB_CONSTRAINT);
}

static void test_search_chinese(void **state)
{
	char pattern[32], other_pattern[32], root_path[32];
	int64_t ids[10], a, b, c, other, other_org;

	(void)state;
	snprintf(root_path, sizeof(root_path), "/%lld/", (long long)root);
	other_org = add_org(root, "嘉善县教育局", root_path);
	snprintf(pattern, sizeof(pattern), "/%lld/%%", (long long)root);
	snprintf(other_pattern, sizeof(other_pattern), "/%lld/%lld/%%", (long long)root, (long long)dept);
	a = add_doc(dept, "关于加强生态环境保护工作的实施意见", "effective", "为进一步加强生态环境保护,推进美丽嘉善建设。");
	b = add_doc(dept, "嘉善县农村宅基地管理办法", "effective", "为规范农村宅基地管理,保障农民合法权益,制定本办法。");
	c = add_doc(dept, "关于促进数字经济发展的若干政策", "effective", "支持企业开展节能环保技术改造。");
	other = add_doc(other_org, "学校生态环境教育实施方案", "effective", "");
	/* Four characters and three: the trigram index. */
	assert_int_equal(normdocs_store_search(db, other_pattern, "生态环境", ids, 10), 1);
	assert_int_equal(ids[0], a);
	assert_int_equal(normdocs_store_search(db, pattern, "宅基地", ids, 10), 1);
	assert_int_equal(ids[0], b);
	assert_int_equal(normdocs_store_search(db, pattern, "保障农民合法权益", ids, 10), 1);
	/* Two characters: LIKE (the trigram index cannot match them). */
	assert_int_equal(normdocs_store_search(db, pattern, "环保", ids, 10), 1);
	assert_int_equal(ids[0], c);
	assert_int_equal(normdocs_store_search(db, pattern, "量子计算", ids, 10), 0);
	/* The whole tenant finds the other org's document too, newest first by date then id. */
	assert_int_equal(normdocs_store_search(db, pattern, "生态环境", ids, 10), 2);
	assert_int_equal(ids[0], other);
	/* FTS syntax is searched as text. */
	assert_int_equal(normdocs_store_search(db, pattern, "生态 OR 宅基地", ids, 10), 0);
	/* The index follows a new title and a new text. */
	db_exec(db, "UPDATE case_file SET title = '关于促进数字经济和农村电商发展的若干政策' WHERE id = $1", db_int(c));
	assert_int_equal(normdocs_store_search(db, pattern, "农村电商", ids, 10), 1);
	assert_int_equal(ids[0], c);
	db_exec(db, "UPDATE normdoc SET body_text = '为规范农村住房建设管理,制定本办法。' WHERE case_id = $1", db_int(b));
	assert_int_equal(normdocs_store_search(db, pattern, "保障农民合法权益", ids, 10), 0);
	assert_int_equal(normdocs_store_search(db, pattern, "住房建设管理", ids, 10), 1);
}

/* review.normative_opinions sums each case's opinions (withdrawn ones never); adopted counts 采纳 and 部分采纳. */
static void test_review_metrics(void **state)
{
	const struct metric_catalog *cat = metric_catalog();
	static const char *const adoptions[] = { "adopted", "partly", "not_adopted", "adopted" };
	struct metric_scope s;
	json_t *f;
	int64_t id;
	int i, k;
	char key[24];

	(void)state;
	assert_non_null(cat);
	memset(&s, 0, sizeof(s));
	snprintf(key, sizeof(key), "%lld", (long long)root);
	assert_int_equal(metric_scope_org(db, key, &s, NULL, 0), DB_ROW);
	s.from = 20210101;
	s.to = 20211231;
	/* No review at all yet: missing, not 0. */
	f = metric_one_json(db, cat, metric_find(cat, "review.normative_opinions"), &s);
	assert_true(json_is_null(json_object_get(f, "value")));
	json_decref(f);
	for (i = 0; i < 3; i++) {
		char no[32];

		snprintf(no, sizeof(no), "审%d", i);
		db_exec(db,
			"INSERT INTO case_file (kind, org_id, case_no, case_year, title, state, received_date, decided_date,"
			" outcome, created_at, updated_at) VALUES ('review', $1, $2, 2021, 't', 'closed', '2021-03-01', $3,"
			" 'lawful_after_revision', 0, 0)",
			db_int(root), db_text(no), db_text(i < 2 ? "2021-03-10" : "2022-01-05"));
		id = db_last_insert_id(db);
		db_exec(db, "INSERT INTO review (case_id, subject_kind, subject_title) VALUES ($1, 'normative', 't')", db_int(id));
		for (k = 0; k < 4; k++)
			db_exec(db,
				"INSERT INTO review_opinion (case_id, seq, content, status, adoption, created_at)"
				" VALUES ($1, $2, 'x', $3, $4, 0)",
				db_int(id), db_int(k + 1), db_text(k == 3 && i == 0 ? "withdrawn" : "active"),
				db_text(adoptions[k]));
	}
	f = metric_one_json(db, cat, metric_find(cat, "review.normative_reviewed"), &s);
	assert_int_equal(json_integer_value(json_object_get(f, "value")), 2);
	json_decref(f);
	f = metric_one_json(db, cat, metric_find(cat, "review.normative_opinions"), &s);
	assert_int_equal(json_integer_value(json_object_get(f, "value")), 7);
	json_decref(f);
	f = metric_one_json(db, cat, metric_find(cat, "review.normative_opinions_adopted"), &s);
	assert_int_equal(json_integer_value(json_object_get(f, "value")), 5);
	json_decref(f);
	f = metric_one_json(db, cat, metric_find(cat, "review.adoption_rate"), &s);
	assert_true(json_real_value(json_object_get(f, "value")) == 71.43);
	json_decref(f);
	/* Reviews exist, none of contracts: a true 0. */
	f = metric_one_json(db, cat, metric_find(cat, "review.contracts"), &s);
	assert_int_equal(json_integer_value(json_object_get(f, "value")), 0);
	json_decref(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_tables),
		cmocka_unit_test(test_review_rules),
		cmocka_unit_test(test_discussion_gate),
		cmocka_unit_test(test_comment_periods),
		cmocka_unit_test(test_cleanup_targets),
		cmocka_unit_test(test_filing_on_time),
		cmocka_unit_test(test_cleanup_publication),
		cmocka_unit_test(test_search_chinese),
		cmocka_unit_test(test_review_metrics),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
