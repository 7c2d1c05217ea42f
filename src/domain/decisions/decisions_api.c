/*
 * 重大行政决策 routes: the yearly catalogues (GET/POST /api/v1/decision-
 * catalogues, GET/PATCH …/{id}, GET …/{id}/export.xlsx), the decisions in
 * them (POST/GET /api/v1/decisions); every step of a decision is an action
 * of the case engine (POST /api/v1/cases/{id}/actions/{code}) in the table
 * below, with the gate before collective discussion.
 */
#include <stdio.h>
#include <string.h>

#include "decisions.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "domain/review/review.h"
#include "report/xlsx_export.h"
#include "core/banned.h"

/* ===== effects of the actions ===== */

static int fail_db(struct case_ctx *x, int rc)
{
	return rc < 0 ? api_db_error(x->req, rc) : 0;
}

/* The named keys of the body that are present, as a new object. */
static json_t *fields_of(struct request *req, const char *const *keys)
{
	json_t *o = json_object(), *v;

	for (; *keys; keys++)
		if ((v = json_object_get(req->json, *keys)) && !json_is_null(v))
			json_object_set(o, *keys, v);
	return o;
}

static int set_step(struct case_ctx *x, const char *step, const char *status, const char *reason,
		    const char *const *keys)
{
	json_t *fields = keys ? fields_of(x->req, keys) : NULL;
	int rc = decisions_store_set_step(x->req->db, x->c->id, step, status, x->date_s, reason, fields,
					  x->req->session->user_id);

	json_decref(fields);
	return fail_db(x, rc);
}

static int participation(struct case_ctx *x)
{
	static const char *const keys[] = { "methods", "comment_start", "comment_end", "opinions_received",
					    "opinions_adopted", NULL };
	const char *reason = body_str(x->req, "short_reason"), *why;
	int start, end;
	char buf[200];

	date_parse(body_str(x->req, "comment_start"), &start);
	date_parse(body_str(x->req, "comment_end"), &end);
	if (end < start)
		return api_field_error(x->req, "comment_end", "征求意见截止日期不能早于开始日期");
	if (end > x->date)
		return api_field_error(x->req, "comment_end", "征求意见期限届满后才能登记公众参与情况");
	why = decisions_check_comment(start, end,
				      (int)legal_setting_int(x->req->db, legal_tenant_of(x->c->org_path), "decisions.comment_days"),
				      reason, buf, sizeof(buf));
	if (why)
		return api_field_error(x->req, "short_reason", why);
	x->detail = arena_printf(&x->req->arena, "公众参与:%s,征求意见%d日(%s至%s)%s%s", body_str(x->req, "methods"),
				 date_diff_days(start, end) + 1, body_str(x->req, "comment_start"),
				 body_str(x->req, "comment_end"), reason ? ",期限缩短理由:" : "", reason ? reason : "");
	return set_step(x, "participation", "done", reason, keys);
}

static int expert(struct case_ctx *x)
{
	static const char *const keys[] = { "experts", "opinion", NULL };

	x->detail = arena_printf(&x->req->arena, "专家论证:%s", body_str(x->req, "experts"));
	return set_step(x, "expert", "done", NULL, keys);
}

static int risk(struct case_ctx *x)
{
	static const char *const keys[] = { "level", "summary", NULL };
	const char *level = body_str(x->req, "level");

	x->detail = arena_printf(&x->req->arena, "风险评估:%s风险",
				 !strcmp(level, "high") ? "高" : !strcmp(level, "medium") ? "中" : "低");
	return set_step(x, "risk", "done", NULL, keys);
}

static int link_review(struct case_ctx *x)
{
	int64_t review_id = body_int(x->req, "review_id", 0);
	char subject[32] = "";
	struct case_row r;

	if (case_store_load(x->req->db, review_id, &r) != DB_ROW || r.kind != &review_kind ||
	    !case_visible(x->req->session, &r))
		return api_field_error(x->req, "review_id", "合法性审查案件不存在或不在您的数据权限范围内");
	review_store_get_text(x->req->db, review_id, "subject_kind", subject, sizeof(subject));
	if (strcmp(subject, "major_decision"))
		return api_field_error(x->req, "review_id", "关联的合法性审查应为重大行政决策的审查");
	x->detail = arena_printf(&x->req->arena, "关联合法性审查 %s", r.case_no);
	return fail_db(x, db_exec(x->req->db, "UPDATE decision SET review_case_id = $1 WHERE case_id = $2",
				  db_int(review_id), db_int(x->c->id)));
}

static int skip_step(struct case_ctx *x)
{
	const struct decision_step_def *s = decision_step_find(body_str(x->req, "step"));
	char statuses[16][16];
	size_t i;

	if (!s || !s->can_skip)
		return api_field_error(x->req, "step", "合法性审查、集体讨论决定和立卷归档是必经程序,不能标记为不适用");
	if (!strcmp(s->code, "publication"))
		return api_field_error(x->req, "step", "依法不予公布的,请使用“不予公布”操作");
	if (s->before_discussion != !strcmp(x->c->state, "preparing"))
		return api_error(x->req, "INVALID_STATE",
				 s->before_discussion ? "作出决定后不能再将决定前的程序标记为不适用"
						      : "决策后评估只能在决策公布实施后标记为不适用",
				 NULL);
	if (fail_db(x, decisions_store_statuses(x->req->db, x->c->id, statuses, ARRAY_SIZE(statuses))) < 0)
		return -1;
	i = (size_t)(s - decision_steps);
	if (!strcmp(statuses[i], "done"))
		return api_error(x->req, "INVALID_STATE", arena_printf(&x->req->arena, "%s已经完成", s->name), NULL);
	x->detail = arena_printf(&x->req->arena, "%s不适用:%s", s->name, body_str(x->req, "reason"));
	return set_step(x, s->code, "not_applicable", body_str(x->req, "reason"), NULL);
}

/* The gate: 409 unless the legality review passed and every earlier step is resolved. */
static int discussion_gate(struct case_ctx *x)
{
	char statuses[16][16], outcome[32] = "", buf[512];
	const char *list[16], *code = NULL, *why;
	int64_t review_id = 0;
	size_t i;
	int rc;

	rc = decisions_store_statuses(x->req->db, x->c->id, statuses, ARRAY_SIZE(statuses));
	if (rc < 0)
		return fail_db(x, rc);
	for (i = 0; i < ARRAY_SIZE(statuses); i++)
		list[i] = statuses[i];
	rc = decisions_store_review(x->req->db, x->c->id, &review_id, outcome, sizeof(outcome));
	if (rc < 0)
		return fail_db(x, rc);
	why = decisions_discussion_gate(list, rc == 0 ? outcome : NULL, &code, buf, sizeof(buf));
	if (!why)
		return 0;
	return api_error(x->req, "INVALID_STATE", arena_strdup(&x->req->arena, why),
			 json_pack("{s:s,s:s}", "gate", code, "state", x->c->state));
}

static const char *const discussion_keys[] = { "meeting", "meeting_name", "outcome", "dissent", "head_opinion",
					       NULL };

static int discuss(struct case_ctx *x, const char *outcome)
{
	const struct case_outcome *o = outcome ? case_outcome_find(&decision_kind, outcome) : NULL;
	const char *meeting = !strcmp(body_str(x->req, "meeting"), "plenary") ? "全体会议" : "常务会议";

	if (discussion_gate(x) < 0)
		return -1;
	x->detail = arena_printf(&x->req->arena, "%s(%s)集体讨论:%s;不同意见:%s", body_str(x->req, "meeting_name"),
				 meeting, o ? o->name : "暂缓决定,再次审议", body_str(x->req, "dissent"));
	if (!o)
		return 0;
	snprintf(x->c->outcome, sizeof(x->c->outcome), "%s", o->code);
	if (set_step(x, "discussion", "done", NULL, discussion_keys) < 0 ||
	    fail_db(x, case_store_set_date(x->req->db, x->c->id, "decided_date", x->date_s)) < 0 ||
	    fail_db(x, case_store_set_outcome(x->req->db, x->c->id, o)) < 0)
		return -1;
	if (!strcmp(o->code, "rejected"))
		return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
	return 0;
}

static int adopt(struct case_ctx *x)
{
	return discuss(x, body_str(x->req, "outcome"));
}

static int defer(struct case_ctx *x)
{
	return discuss(x, NULL);
}

static int reject(struct case_ctx *x)
{
	return discuss(x, "rejected");
}

static int publish(struct case_ctx *x)
{
	static const char *const keys[] = { "channel", "url", NULL };

	x->detail = arena_printf(&x->req->arena, "决策公布:%s", body_str(x->req, "channel"));
	return set_step(x, "publication", "done", NULL, keys);
}

static int publish_exempt(struct case_ctx *x)
{
	x->detail = arena_printf(&x->req->arena, "依法不予公布:%s", body_str(x->req, "reason"));
	return set_step(x, "publication", "not_applicable", body_str(x->req, "reason"), NULL);
}

static int archive(struct case_ctx *x)
{
	static const char *const keys[] = { "archive_no", NULL };

	x->detail = arena_printf(&x->req->arena, "立卷归档,档号%s", body_str(x->req, "archive_no"));
	if (set_step(x, "archive", "done", NULL, keys) < 0)
		return -1;
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

static int evaluate(struct case_ctx *x)
{
	static const char *const keys[] = { "trigger", "evaluator", "third_party_name", "conclusion", NULL };
	const char *evaluator = body_str(x->req, "evaluator"), *third = body_str(x->req, "third_party_name");

	if (!strcmp(evaluator, "third_party") && (!third || !*third))
		return api_field_error(x->req, "third_party_name", "委托第三方评估的,应写明第三方名称");
	x->detail = arena_printf(&x->req->arena, "决策后评估(%s):%s",
				 decision_eval_trigger_name(body_str(x->req, "trigger")), body_str(x->req, "conclusion"));
	return set_step(x, "evaluation", "done", NULL, keys);
}

static int withdraw(struct case_ctx *x)
{
	x->detail = arena_printf(&x->req->arena, "调出决策事项目录:%s", body_str(x->req, "reason"));
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

/* ===== action table ===== */

static const char *const risk_levels[] = { "low", "medium", "high", NULL };
static const char *const meetings[] = { "standing", "plenary", NULL };
static const char *const adopted_outcomes[] = { "adopted", "adopted_with_changes", NULL };
static const char *const skippable[] = { "participation", "expert", "risk", "evaluation", NULL };
static const char *const evaluators[] = { "self", "third_party", NULL };

static const struct body_field f_participation[] = {
	CASE_DATE_FIELD,
	{ "methods", FIELD_STRING, 1, 2, 200, "公众参与方式", NULL, NULL },
	{ "comment_start", FIELD_STRING, 1, 8, 11, "征求意见开始日期", case_check_date, NULL },
	{ "comment_end", FIELD_STRING, 1, 8, 11, "征求意见截止日期", case_check_date, NULL },
	{ "opinions_received", FIELD_INT, 0, 0, 1000000, "收到意见数", NULL, NULL },
	{ "opinions_adopted", FIELD_INT, 0, 0, 1000000, "采纳意见数", NULL, NULL },
	{ "short_reason", FIELD_STRING, 0, 0, 500, "征求意见期限缩短的理由", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_expert[] = {
	CASE_DATE_FIELD,
	{ "experts", FIELD_STRING, 1, 2, 500, "论证专家", NULL, NULL },
	{ "opinion", FIELD_STRING, 1, 2, 2000, "论证意见", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_risk[] = {
	CASE_DATE_FIELD,
	{ "level", FIELD_STRING, 1, 1, 16, "风险等级", NULL, risk_levels },
	{ "summary", FIELD_STRING, 1, 2, 2000, "评估结论", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_link_review[] = {
	CASE_DATE_FIELD, { "review_id", FIELD_INT, 1, 1, INT64_MAX, "合法性审查案件", NULL, NULL }, CASE_END_FIELD
};
static const struct body_field f_skip[] = {
	CASE_DATE_FIELD,
	{ "step", FIELD_STRING, 1, 1, 32, "程序", NULL, skippable },
	{ "reason", FIELD_STRING, 1, 2, 1000, "不适用的理由", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_adopt[] = {
	CASE_DATE_FIELD,
	{ "meeting", FIELD_STRING, 1, 1, 16, "会议类型", NULL, meetings },
	{ "meeting_name", FIELD_STRING, 1, 2, 100, "会议名称", NULL, NULL },
	{ "outcome", FIELD_STRING, 1, 1, 32, "决定结果", NULL, adopted_outcomes },
	{ "dissent", FIELD_STRING, 1, 1, 2000, "不同意见(没有的写“无”)", NULL, NULL },
	{ "head_opinion", FIELD_STRING, 0, 0, 1000, "行政首长意见", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_discuss[] = {
	CASE_DATE_FIELD,
	{ "meeting", FIELD_STRING, 1, 1, 16, "会议类型", NULL, meetings },
	{ "meeting_name", FIELD_STRING, 1, 2, 100, "会议名称", NULL, NULL },
	{ "dissent", FIELD_STRING, 1, 1, 2000, "不同意见(没有的写“无”)", NULL, NULL },
	{ "head_opinion", FIELD_STRING, 0, 0, 1000, "行政首长意见", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_publish[] = {
	CASE_DATE_FIELD,
	{ "channel", FIELD_STRING, 1, 2, 100, "公布渠道", NULL, NULL },
	{ "url", FIELD_STRING, 0, 0, 500, "网址", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_reason[] = {
	CASE_DATE_FIELD, { "reason", FIELD_STRING, 1, 2, 1000, "理由", NULL, NULL }, CASE_END_FIELD
};
static const struct body_field f_archive[] = {
	CASE_DATE_FIELD, { "archive_no", FIELD_STRING, 1, 1, 64, "档号", NULL, NULL }, CASE_END_FIELD
};
static const struct body_field f_evaluate[] = {
	CASE_DATE_FIELD,
	{ "trigger", FIELD_STRING, 1, 1, 32, "评估情形", NULL, decision_eval_triggers },
	{ "evaluator", FIELD_STRING, 1, 1, 16, "评估主体", NULL, evaluators },
	{ "third_party_name", FIELD_STRING, 0, 0, 200, "第三方名称", NULL, NULL },
	{ "conclusion", FIELD_STRING, 1, 2, 2000, "评估结论", NULL, NULL },
	CASE_END_FIELD,
};

static const struct case_action decision_actions[] = {
	{ "preparing", "participation", "公众参与", NULL, f_participation, participation },
	{ "preparing", "expert", "专家论证", NULL, f_expert, expert },
	{ "preparing", "risk", "风险评估", NULL, f_risk, risk },
	{ "preparing", "link_review", "关联合法性审查", NULL, f_link_review, link_review },
	{ "preparing,implementing,archived", "skip_step", "说明程序不适用", NULL, f_skip, skip_step },
	{ "preparing", "adopt", "集体讨论决定:通过", "decided", f_adopt, adopt },
	{ "preparing", "defer", "集体讨论:暂缓决定", NULL, f_discuss, defer },
	{ "preparing", "reject", "集体讨论:不予通过", "not_adopted", f_discuss, reject },
	{ "decided", "publish", "决策公布", "implementing", f_publish, publish },
	{ "decided", "publish_exempt", "依法不予公布", "implementing", f_reason, publish_exempt },
	{ "implementing", "archive", "立卷归档", "archived", f_archive, archive },
	{ "implementing,archived", "evaluate", "决策后评估", NULL, f_evaluate, evaluate },
	{ "preparing", "withdraw", "调出目录", "withdrawn", f_reason, withdraw },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

/* No statutory period is tracked as a deadline (the comment period is checked when recorded). */
static const struct deadline_rule decision_rules[] = { { NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL } };

const struct case_kind decision_kind = {
	"decision",	   "重大行政决策",    "decisions.read",	  "decisions.manage", "preparing",
	decision_states, decision_actions, decision_outcomes, decision_rules,	      decisions_store_detail,
};

/* ===== catalogues ===== */

struct catalogue {
	int64_t id, org_id;
	int year;
	char org_name[256], org_path[256];
};

static int catalogue_load(struct request *req, int64_t id, struct catalogue *k)
{
	struct db_stmt *st;
	int rc = db_prepare(req->db, &st,
			    "SELECT k.id, k.org_id, k.year, o.name, o.path FROM decision_catalogue k"
			    " JOIN org o ON o.id = k.org_id WHERE k.id = $1");

	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, db_int(id));
	rc = db_step(st);
	if (rc == DB_ROW) {
		k->id = db_col_int(st, 0);
		k->org_id = db_col_int(st, 1);
		k->year = (int)db_col_int(st, 2);
		snprintf(k->org_name, sizeof(k->org_name), "%s", db_col_text(st, 3));
		snprintf(k->org_path, sizeof(k->org_path), "%s", db_col_text(st, 4));
	}
	db_done(st);
	if (rc < 0)
		return api_db_error(req, rc);
	if (rc != DB_ROW)
		return api_error(req, "NOT_FOUND", "决策事项目录不存在", NULL);
	return 0;
}

static json_t *catalogue_json(struct db *db, int64_t id)
{
	struct db_stmt *st;
	json_t *o = NULL;

	if (db_prepare(db, &st,
		       "SELECT k.id, k.org_id, o.name, k.year, k.title, COALESCE(k.party_approved_date, ''),"
		       " COALESCE(k.published_date, ''), k.note,"
		       " (SELECT COUNT(*) FROM decision d JOIN case_file c ON c.id = d.case_id"
		       "  WHERE d.catalogue_id = k.id AND c.state <> 'withdrawn'),"
		       " (SELECT COUNT(*) FROM decision d JOIN case_file c ON c.id = d.case_id"
		       "  WHERE d.catalogue_id = k.id AND c.state IN ('decided', 'implementing', 'archived')),"
		       " (SELECT COUNT(*) FROM decision d JOIN case_file c ON c.id = d.case_id"
		       "  WHERE d.catalogue_id = k.id AND c.state = 'withdrawn')"
		       " FROM decision_catalogue k JOIN org o ON o.id = k.org_id WHERE k.id = $1") < 0)
		return NULL;
	db_bind(st, db_int(id));
	if (db_step(st) == DB_ROW) {
		const char *approved = db_col_text(st, 5), *published = db_col_text(st, 6);

		o = json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:{s:I,s:I,s:I}}", "id", (json_int_t)db_col_int(st, 0),
			      "org_id", (json_int_t)db_col_int(st, 1), "org_name", db_col_text(st, 2), "year",
			      (json_int_t)db_col_int(st, 3), "title", db_col_text(st, 4), "note", db_col_text(st, 7),
			      "status", *published ? "published" : *approved ? "approved" : "draft", "status_name",
			      *published ? "已公布" : *approved ? "已经党委同意" : "编制中", "counts", "listed",
			      (json_int_t)db_col_int(st, 8), "decided", (json_int_t)db_col_int(st, 9), "withdrawn",
			      (json_int_t)db_col_int(st, 10));
		json_object_set_new(o, "party_approved_date", *approved ? json_string(approved) : json_null());
		json_object_set_new(o, "published_date", *published ? json_string(published) : json_null());
	}
	db_done(st);
	return o;
}

/* Approval before publication, neither in the future. */
static int check_catalogue_dates(struct request *req, const char *approved, const char *published, char *a_out,
				 char *p_out)
{
	int a = 0, p = 0;

	a_out[0] = p_out[0] = '\0';
	if (approved && *approved) {
		if (date_parse(approved, &a) < 0 || a > time_today_cst())
			return api_field_error(req, "party_approved_date", "党委同意日期应为不晚于今天的日期");
		date_format(a, a_out);
	}
	if (published && *published) {
		if (date_parse(published, &p) < 0 || p > time_today_cst())
			return api_field_error(req, "published_date", "公布日期应为不晚于今天的日期");
		date_format(p, p_out);
		if (!a)
			return api_error(req, "INVALID_STATE", "决策事项目录应当经同级党委同意后向社会公布,请先登记党委同意日期",
					 NULL);
		if (p < a)
			return api_field_error(req, "published_date", "公布日期不能早于党委同意日期");
	}
	return 0;
}

static int catalogues_list(struct request *req)
{
	const char *year = req_query(req, "year");
	int64_t y = 0, ids[500];
	struct db_stmt *st;
	json_t *items = json_array();
	size_t n = 0, i;
	int rc;

	if (year && *year && parse_int64_cstr(year, &y) < 0) {
		json_decref(items);
		return api_field_error(req, "year", "年份应为整数");
	}
	rc = db_prepare(req->db, &st,
			"SELECT k.id FROM decision_catalogue k JOIN org o ON o.id = k.org_id"
			" WHERE o.path LIKE $1 AND ($2 = 0 OR k.year = $2) ORDER BY k.year DESC, o.path LIMIT 500");
	if (rc < 0) {
		json_decref(items);
		return api_db_error(req, rc);
	}
	db_bind(st, db_text(session_scope_pattern(req)), db_int(y));
	while (n < ARRAY_SIZE(ids) && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	for (i = 0; i < n; i++) {
		json_t *o = catalogue_json(req->db, ids[i]);

		if (o)
			json_array_append_new(items, o);
	}
	req->reply = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}

static int catalogue_param(struct request *req, struct catalogue *k)
{
	int64_t id;

	if (req_param_id(req, "id", &id) < 0 || catalogue_load(req, id, k) < 0)
		return -1;
	if (!session_can_see_path(req->session, k->org_path))
		return api_error(req, "OUT_OF_SCOPE", NULL, NULL);
	req_audit_object(req, "decision_catalogue", id);
	return 0;
}

static int catalogues_get(struct request *req)
{
	struct decision_filter f = { 0, 0, 0, NULL, NULL, NULL };
	struct catalogue k;
	json_t *items;
	int64_t total;

	if (catalogue_param(req, &k) < 0)
		return -1;
	req->reply = catalogue_json(req->db, k.id);
	if (!req->reply)
		return api_error(req, "INTERNAL", NULL, NULL);
	f.catalogue_id = k.id;
	if (decisions_store_list(req, &f, 1000, 0, &items, &total) < 0)
		return -1;
	json_object_set_new(req->reply, "decisions", items);
	return 0;
}

static int catalogues_create(struct request *req)
{
	int64_t org_id = body_has(req, "org_id") ? body_int(req, "org_id", 0) : legal_tenant_of(req->session->tenant_path);
	int64_t year = body_int(req, "year", 0), id;
	const char *title = body_str(req, "title");
	char approved[11], published[11];
	struct org org;
	int rc;

	rc = org_store_get(req->db, org_id, &org);
	if (rc != DB_ROW || !session_can_see_path(req->session, org.path))
		return api_field_error(req, "org_id", "决策机关不存在或不在您的数据权限范围内");
	if (check_catalogue_dates(req, body_str(req, "party_approved_date"), body_str(req, "published_date"), approved,
				  published) < 0)
		return -1;
	if (!title)
		title = arena_printf(&req->arena, "%s%lld年度重大行政决策事项目录", org.name, (long long)year);
	rc = db_exec(req->db,
		     "INSERT INTO decision_catalogue (org_id, year, title, party_approved_date, published_date, note,"
		     " created_by, created_at, updated_at) VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), $6, $7, $8, $8)",
		     db_int(org.id), db_int(year), db_text(title), db_text(approved), db_text(published),
		     db_text(body_str(req, "note") ? body_str(req, "note") : ""), db_int(req->session->user_id),
		     db_int(time_now()));
	if (rc == DB_CONFLICT)
		return api_error(req, "CONFLICT", arena_printf(&req->arena, "%s%lld年度的决策事项目录已经存在", org.name,
							       (long long)year),
				 NULL);
	if (rc < 0)
		return api_db_error(req, rc);
	id = db_last_insert_id(req->db);
	req_audit_object(req, "decision_catalogue", id);
	req->audit_detail = arena_printf(&req->arena, "编制“%s”", title);
	req->reply = catalogue_json(req->db, id);
	req->status = 201;
	return req->reply ? 0 : api_error(req, "INTERNAL", NULL, NULL);
}

static int catalogues_update(struct request *req)
{
	struct catalogue k;
	char approved[11], published[11], cur_a[11] = "", cur_p[11] = "";
	const char *a, *p;
	int rc;

	if (catalogue_param(req, &k) < 0)
		return -1;
	db_query_text(req->db, cur_a, sizeof(cur_a),
		      "SELECT COALESCE(party_approved_date, '') FROM decision_catalogue WHERE id = $1", db_int(k.id));
	db_query_text(req->db, cur_p, sizeof(cur_p), "SELECT COALESCE(published_date, '') FROM decision_catalogue WHERE id = $1",
		      db_int(k.id));
	a = body_has(req, "party_approved_date") ? body_str(req, "party_approved_date") : cur_a;
	p = body_has(req, "published_date") ? body_str(req, "published_date") : cur_p;
	if (check_catalogue_dates(req, a, p, approved, published) < 0)
		return -1;
	rc = db_exec(req->db,
		     "UPDATE decision_catalogue SET title = COALESCE($1, title), note = COALESCE($2, note),"
		     " party_approved_date = NULLIF($3, ''), published_date = NULLIF($4, ''), updated_at = $5 WHERE id = $6",
		     db_text(body_str(req, "title")), db_text(body_str(req, "note")), db_text(approved), db_text(published),
		     db_int(time_now()), db_int(k.id));
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = *published && strcmp(published, cur_p)
				    ? arena_printf(&req->arena, "决策事项目录于%s向社会公布", published)
				    : "修改决策事项目录";
	req->reply = catalogue_json(req->db, k.id);
	return req->reply ? 0 : api_error(req, "INTERNAL", NULL, NULL);
}

static int catalogues_export(struct request *req)
{
	static const struct xlsx_column cols[] = {
		{ "case_no", "编号", 22 },	   { "title", "决策事项", 48 },	     { "category_name", "类别", 20 },
		{ "lead_org_name", "承办单位", 26 }, { "state_name", "办理状态", 14 }, { "decided_date", "决定日期", 12 },
	};
	struct decision_filter f = { 0, 0, 0, NULL, NULL, NULL };
	struct catalogue k;
	char *data = NULL;
	size_t len = 0;
	json_t *items, *cat;
	int64_t total;
	int rc;

	if (catalogue_param(req, &k) < 0)
		return -1;
	f.catalogue_id = k.id;
	if (decisions_store_list(req, &f, 1000, 0, &items, &total) < 0)
		return -1;
	cat = catalogue_json(req->db, k.id);
	rc = xlsx_export("决策事项目录", cat ? json_string_value(json_object_get(cat, "title")) : "决策事项目录", cols,
			 ARRAY_SIZE(cols), items, &data, &len);
	json_decref(items);
	json_decref(cat);
	return legal_reply_file(req, rc, data, len, arena_printf(&req->arena, "decisions-%d.xlsx", k.year));
}

/* ===== decisions ===== */

static int decisions_create(struct request *req)
{
	struct catalogue k;
	struct org lead;
	char number[128];
	int64_t id, exists = 0;
	int rc, listed;


	if (db_query_int(req->db, &exists, "SELECT COUNT(*) FROM decision_catalogue WHERE id = $1",
			 db_int(body_int(req, "catalogue_id", 0))) != DB_ROW ||
	    !exists)
		return api_field_error(req, "catalogue_id", "决策事项目录不存在");
	if (catalogue_load(req, body_int(req, "catalogue_id", 0), &k) < 0)
		return -1;
	if (!session_can_see_path(req->session, k.org_path))
		return api_field_error(req, "catalogue_id", "决策事项目录不在您的数据权限范围内");
	rc = org_store_get(req->db, body_int(req, "lead_org_id", 0), &lead);
	if (rc != DB_ROW || strcmp(lead.status, "active") ||
	    strncmp(lead.path, req->session->tenant_path, strlen(req->session->tenant_path)))
		return api_field_error(req, "lead_org_id", "承办单位应为本地区在用的机关");
	date_parse(body_str(req, "listed_date"), &listed);
	if (listed > time_today_cst())
		return api_field_error(req, "listed_date", "列入目录日期不能晚于今天");
	if (legal_case_number(req, k.org_id, "decision", "决策", k.year, number, sizeof(number)) < 0)
		return -1;
	if (case_create(req, &decision_kind, k.org_id, lead.id, number, body_str(req, "title"),
			body_str(req, "listed_date"), &id) < 0)
		return -1;
	rc = decisions_store_insert(req->db, id, k.id, body_str(req, "category"), body_str(req, "description"));
	if (rc < 0)
		return api_db_error(req, rc);
	return case_created(req, &decision_kind, id, NULL, NULL);
}

/* An optional integer of the query; -1 with a field error when it is not one. */
static int query_int(struct request *req, const char *name, int64_t *out)
{
	const char *v = req_query(req, name);

	*out = 0;
	if (v && *v && parse_int64_cstr(v, out) < 0)
		return api_field_error(req, name, "应为整数");
	return 0;
}

static int decisions_list(struct request *req)
{
	struct decision_filter f = { 0, 0, 0, NULL, NULL, NULL };
	int64_t limit, offset, page, total;
	json_t *items;

	if (query_int(req, "catalogue_id", &f.catalogue_id) < 0 || query_int(req, "year", &f.year) < 0 ||
	    query_int(req, "lead_org_id", &f.lead_org_id) < 0)
		return -1;
	f.state = req_query(req, "state");
	f.category = req_query(req, "category");
	f.q = req_query(req, "q");
	req_paging(req, &limit, &offset, &page);
	if (decisions_store_list(req, &f, limit, offset, &items, &total) < 0)
		return -1;
	req->reply = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			       (json_int_t)page, "page_size", (json_int_t)limit);
	return 0;
}

static const struct body_field catalogue_body[] = {
	{ "year", FIELD_INT, 1, 2000, 2100, "年度", NULL, NULL },
	{ "org_id", FIELD_INT, 0, 1, INT64_MAX, "决策机关", NULL, NULL },
	{ "title", FIELD_STRING, 0, 2, 200, "目录名称", NULL, NULL },
	{ "party_approved_date", FIELD_STRING, 0, 8, 11, "党委同意日期", case_check_date, NULL },
	{ "published_date", FIELD_STRING, 0, 8, 11, "公布日期", case_check_date, NULL },
	{ "note", FIELD_STRING, 0, 0, 2000, "备注", NULL, NULL },
	CASE_END_FIELD,
};

static const struct body_field catalogue_patch[] = {
	{ "title", FIELD_STRING, 0, 2, 200, "目录名称", NULL, NULL },
	{ "party_approved_date", FIELD_STRING, 0, 8, 11, "党委同意日期", case_check_date, NULL },
	{ "published_date", FIELD_STRING, 0, 8, 11, "公布日期", case_check_date, NULL },
	{ "note", FIELD_STRING, 0, 0, 2000, "备注", NULL, NULL },
	CASE_END_FIELD,
};

static const struct body_field decision_body[] = {
	{ "catalogue_id", FIELD_INT, 1, 1, INT64_MAX, "决策事项目录", NULL, NULL },
	{ "title", FIELD_STRING, 1, 2, 200, "决策事项名称", NULL, NULL },
	{ "lead_org_id", FIELD_INT, 1, 1, INT64_MAX, "承办单位", NULL, NULL },
	{ "category", FIELD_STRING, 1, 1, 32, "决策事项类别", NULL, decision_categories },
	{ "listed_date", FIELD_STRING, 1, 8, 11, "列入目录日期", case_check_date, NULL },
	{ "description", FIELD_STRING, 0, 0, 2000, "事项说明", NULL, NULL },
	{ "handler_id", FIELD_INT, 0, 1, INT64_MAX, "承办人", NULL, NULL },
	CASE_END_FIELD,
};

static const struct route routes[] = {
	{ HTTP_GET, "/api/v1/decision-catalogues", catalogues_list, "decisions.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/decision-catalogues", catalogues_create, "decisions.manage",
	  ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, catalogue_body, "decision_catalogue.create" },
	{ HTTP_GET, "/api/v1/decision-catalogues/{id}", catalogues_get, "decisions.read", 0, NULL, NULL },
	{ HTTP_PATCH, "/api/v1/decision-catalogues/{id}", catalogues_update, "decisions.manage",
	  ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, catalogue_patch, "decision_catalogue.update" },
	{ HTTP_GET, "/api/v1/decision-catalogues/{id}/export.xlsx", catalogues_export, "decisions.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/decisions", decisions_list, "decisions.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/decisions", decisions_create, "decisions.manage", ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON,
	  decision_body, "decision.create" },
};

const struct module decisions_module = { "decisions", routes, ARRAY_SIZE(routes) };
