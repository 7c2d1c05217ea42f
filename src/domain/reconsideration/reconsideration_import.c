/*
 * The 行政复议 ledger import: columns, row checks and how a historical row
 * becomes a case with a timeline consistent with its dates (登记 → 受理 or
 * 不予受理 → 决定 → 结案) and the deadlines an open case still has.
 */
#include <stdio.h>
#include <string.h>

#include "reconsideration.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/cases/case_import.h"
#include "core/banned.h"

static const char *const columns[] = { "案号",	 "收到申请日期", "申请人", "被申请人", "受理情况",
				       "受理日期", "程序",		"决定类型", "结案日期", NULL };
static const char *const required[] = { "收到申请日期", "申请人", "被申请人", NULL };

static const char *const intake_labels[] = { "受理", "不予受理", "补正逾期视为放弃", NULL };
static const char *const intake_codes[] = { "accepted", "not_accepted", "abandoned" };
static const char *const procedure_labels[] = { "普通", "简易", "普通程序", "简易程序", NULL };
static const char *const procedure_codes[] = { "ordinary", "simple", "ordinary", "simple" };
static const char *const decision_labels[] = { "维持", "驳回复议请求", "撤销", "部分撤销", "变更", "确认违法", "责令履行",
					       "确认无效", "调解", "和解/撤回", "其他终止", NULL };
static const char *const decision_codes[] = { "uphold",		"reject",	 "revoke",	    "partial_revoke",
					      "change",		"confirm_illegal", "order_perform", "confirm_invalid",
					      "mediation",	"settlement_withdrawal", "other_termination" };

struct row {
	const char *case_no; /* NULL: numbered by the system */
	char received[11], accepted[11], closed[11];
	const char *applicants;
	int64_t respondent;
	char respondent_name[256];
	const char *intake, *procedure, *decision;
};

static void *check(struct import_ctx *x)
{
	struct row *r = arena_zalloc(x->arena, sizeof(*r));
	int bad = 0;

	r->case_no = *import_cell(x, "案号") ? import_cell(x, "案号") : NULL;
	r->applicants = import_cell(x, "申请人");
	if (!*r->applicants)
		bad = !import_error(x, "申请人", "申请人不能为空");
	bad |= import_date(x, "收到申请日期", 1, r->received) < 0;
	bad |= import_date(x, "受理日期", 0, r->accepted) < 0;
	bad |= import_date(x, "结案日期", 0, r->closed) < 0;
	bad |= import_org(x, "被申请人", &r->respondent, r->respondent_name, sizeof(r->respondent_name)) < 0;
	bad |= import_choice(x, "受理情况", intake_labels, intake_codes, 0, &r->intake) < 0;
	bad |= import_choice(x, "程序", procedure_labels, procedure_codes, 0, &r->procedure) < 0;
	bad |= import_choice(x, "决定类型", decision_labels, decision_codes, 0, &r->decision) < 0;
	if (bad)
		return NULL;
	if (!r->procedure)
		r->procedure = "ordinary";
	if (r->intake && !strcmp(r->intake, "accepted") && !*r->accepted)
		return import_error(x, "受理日期", "受理的案件须填写受理日期");
	if (*r->accepted && strcmp(r->accepted, r->received) < 0)
		return import_error(x, "受理日期", "受理日期早于收到申请日期");
	if (r->decision && !(r->intake && !strcmp(r->intake, "accepted")))
		return import_error(x, "决定类型", "只有已受理的案件才有决定类型");
	if (r->decision && !*r->closed)
		return import_error(x, "结案日期", "有决定类型的案件须填写结案日期");
	if (*r->closed && strcmp(r->closed, *r->accepted ? r->accepted : r->received) < 0)
		return import_error(x, "结案日期", "结案日期早于受理日期或收到申请日期");
	if (*r->closed && !r->decision && (!r->intake || !strcmp(r->intake, "accepted")))
		return import_error(x, "决定类型", "已结案的案件须填写决定类型");
	return r;
}

static int event(struct import_ctx *x, int64_t id, const char *action, const char *from, const char *to,
		 const char *date, const char *detail)
{
	return case_store_add_event(x->db, id, action, from, to, date, x->actor_id, detail);
}

/* The next name of a list separated by , ; 、 , or ;; returns its length, advances *p. */
static size_t next_name(const char **p)
{
	static const char *const seps[] = { ",", ";", "、", ",", ";" };
	const char *s = *p, *best = NULL;
	size_t i, best_len = 0, n;

	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		const char *hit = strstr(s, seps[i]);

		if (hit && (!best || hit < best)) {
			best = hit;
			best_len = strlen(seps[i]);
		}
	}
	n = best ? (size_t)(best - s) : strlen(s);
	*p = best ? best + best_len : s + n;
	return n;
}

/* Applicants "张三、李四" become parties; names of organisations are legal persons. */
static int add_applicants(struct import_ctx *x, int64_t id, const char *names)
{
	static const char *const org_words[] = { "公司", "厂", "店", "合作社", "中心", "协会", "委员会", "学校", "医院" };
	const char *p = names;
	int rc = 0;

	while (*p && rc == 0) {
		const char *start = p;
		size_t n = next_name(&p), i;
		char *name;
		const char *type = "person";

		while (n && *start == ' ') {
			start++;
			n--;
		}
		if (!n)
			continue;
		name = arena_strndup(x->arena, start, n);
		for (i = 0; i < sizeof(org_words) / sizeof(org_words[0]); i++)
			if (strstr(name, org_words[i]))
				type = "legal_person";
		rc = db_exec(x->db,
			     "INSERT INTO case_party (case_id, role, party_type, name, created_at)"
			     " VALUES ($1, 'applicant', $2, $3, $4)",
			     db_int(id), db_text(type), db_text(name), db_int(time_now()));
	}
	return rc;
}

static int insert(struct import_ctx *x, void *p)
{
	struct row *r = p;
	const char *state = "registered";
	char number[128];
	int64_t id, seq = 0;
	struct case_row c;
	int rc, year = (int)(r->received[0] - '0') * 1000 + (r->received[1] - '0') * 100 + (r->received[2] - '0') * 10 +
		       (r->received[3] - '0');

	if (r->intake)
		state = r->intake;
	if (r->decision)
		state = "closed";
	if (!r->case_no) {
		char abbr[64] = "";

		rc = case_store_next_seq(x->db, x->org_id, "reconsideration", year, &seq);
		if (rc < 0)
			return rc;
		db_query_text(x->db, abbr, sizeof(abbr), "SELECT COALESCE(abbr, '') FROM org WHERE id = $1",
			      db_int(x->org_id));
		case_format_number(number, sizeof(number), abbr, "复", year, seq);
		r->case_no = number;
	}
	rc = case_store_insert(x->db, "reconsideration", x->org_id, r->respondent, r->case_no, year, seq,
			       arena_printf(x->arena, "%s不服%s行政行为", r->applicants, r->respondent_name), state, 0,
			       r->received, x->actor_id, &id);
	if (rc == 0)
		rc = reconsideration_store_insert(x->db, id, "other", "(历史台账导入)", "(历史台账导入)", 0);
	if (rc == 0)
		rc = db_exec(x->db, "UPDATE reconsideration SET procedure = $1 WHERE case_id = $2", db_text(r->procedure),
			     db_int(id));
	if (rc == 0)
		rc = add_applicants(x, id, r->applicants);
	if (rc == 0)
		rc = db_exec(x->db,
			     "INSERT INTO case_party (case_id, role, party_type, name, org_id, created_at)"
			     " VALUES ($1, 'respondent', 'org', $2, $3, $4)",
			     db_int(id), db_text(r->respondent_name), db_int(r->respondent), db_int(time_now()));
	if (rc == 0)
		rc = event(x, id, "import", NULL, "registered", r->received, "由历史台账导入");
	if (rc == 0 && r->intake && !strcmp(r->intake, "accepted")) {
		rc = case_store_set_date(x->db, id, "accepted_date", r->accepted);
		if (rc == 0)
			rc = event(x, id, "accept", "registered", "accepted", r->accepted,
				   !strcmp(r->procedure, "simple") ? "受理,适用简易程序" : "受理,适用普通程序");
	} else if (rc == 0 && r->intake) {
		const char *when = *r->accepted ? r->accepted : *r->closed ? r->closed : r->received;

		rc = case_store_set_date(x->db, id, "closed_date", when);
		if (rc == 0)
			rc = event(x, id, !strcmp(state, "abandoned") ? "abandon" : "reject", "registered", state, when,
				   !strcmp(state, "abandoned") ? "补正逾期视为放弃" : "不予受理");
	}
	if (rc == 0 && r->decision) {
		const struct case_outcome *o = case_outcome_find(&reconsideration_kind, r->decision);
		int term = !strcmp(r->decision, "settlement_withdrawal") || !strcmp(r->decision, "other_termination");

		rc = case_store_set_outcome(x->db, id, o);
		if (rc == 0)
			rc = case_store_set_date(x->db, id, "decided_date", r->closed);
		if (rc == 0)
			rc = case_store_set_date(x->db, id, "closed_date", r->closed);
		if (rc == 0)
			rc = event(x, id, term ? "terminate" : "decide", "accepted", term ? "terminated" : "decided",
				   r->closed, arena_printf(x->arena, "%s:%s", term ? "终止行政复议" : "作出行政复议决定", o->name));
		if (rc == 0)
			rc = event(x, id, "close", term ? "terminated" : "decided", "closed", r->closed, "结案归档");
	}
	if (rc < 0)
		return rc;
	/* An open case keeps the limits it would have had. */
	if (!strcmp(state, "registered") || !strcmp(state, "accepted")) {
		int start;

		if (case_store_load(x->db, id, &c) != DB_ROW)
			return DB_ERROR;
		date_parse(!strcmp(state, "registered") ? r->received : r->accepted, &start);
		rc = case_deadline_open(x->db, &c,
					case_rule_find(&reconsideration_kind,
						       !strcmp(state, "registered")	   ? "reconsideration.accept"
						       : !strcmp(r->procedure, "simple") ? "reconsideration.decision_simple"
											   : "reconsideration.decision"),
					start);
	}
	return rc;
}

const struct import_spec reconsideration_import = { &reconsideration_kind, columns, required, check, insert };
