/*
 * 行政复议 routes: POST /api/v1/reconsiderations registers a case; every
 * later step is an action of the case engine (POST /api/v1/cases/{id}/
 * actions/{code}), listed in the action table at the end of this file with
 * the effect each one has on dates, outcome and statutory deadlines.
 */
#include <stdio.h>
#include <string.h>

#include "reconsideration.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "core/banned.h"

/* ===== effects of the actions ===== */

static int fail_db(struct case_ctx *x, int rc)
{
	return rc < 0 ? api_db_error(x->req, rc) : 0;
}

static const struct deadline_rule *rule(const char *code)
{
	return case_rule_find(&reconsideration_kind, code);
}

static int is_simple(struct case_ctx *x, int *simple)
{
	char proc[16];
	int rc = reconsideration_store_procedure(x->req->db, x->c->id, NULL, proc, sizeof(proc));

	*simple = rc == 0 && !strcmp(proc, "simple");
	return fail_db(x, rc);
}

static int open_rule(struct case_ctx *x, const char *code, int start)
{
	return fail_db(x, case_deadline_open(x->req->db, x->c, rule(code), start));
}

static int meet(struct case_ctx *x, const char *code)
{
	return fail_db(x, case_deadline_close(x->req->db, x->c->id, code, "met", x->date_s));
}

static int request_correction(struct case_ctx *x)
{
	x->detail = arena_printf(&x->req->arena, "通知补正:%s", body_str(x->req, "items"));
	if (meet(x, "reconsideration.accept") < 0)
		return -1;
	return open_rule(x, "reconsideration.supplement", x->date);
}

static int supplement(struct case_ctx *x)
{
	x->detail = "申请人补正材料,重新计算受理审查期限";
	if (meet(x, "reconsideration.supplement") < 0)
		return -1;
	return open_rule(x, "reconsideration.accept", x->date);
}

static int abandon(struct case_ctx *x)
{
	char due[11] = "";

	db_query_text(x->req->db, due, sizeof(due),
		      "SELECT COALESCE(due_date, '') FROM case_deadline WHERE case_id = $1"
		      " AND rule = 'reconsideration.supplement' AND status = 'open'",
		      db_int(x->c->id));
	if (*due && strcmp(x->date_s, due) <= 0)
		return api_error(x->req, "INVALID_STATE",
				 arena_printf(&x->req->arena, "补正期限至%s届满,届满前不能视为放弃申请", due), NULL);
	x->detail = "无正当理由逾期不补正,视为放弃行政复议申请";
	/* The limit ran out: the deadline lapsed rather than being met. */
	if (case_deadline_close(x->req->db, x->c->id, "reconsideration.supplement", "cancelled", x->date_s) < 0)
		return api_error(x->req, "INTERNAL", NULL, NULL);
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

static int accept(struct case_ctx *x)
{
	const char *proc = body_str(x->req, "procedure");
	int simple = proc && !strcmp(proc, "simple");
	char out[16];

	if (simple) {
		const char *why =
		    reconsideration_simple_allowed(body_str(x->req, "simple_basis"), body_int(x->req, "amount_yuan", 0),
						   (int)body_int(x->req, "all_parties_consent", 0));
		if (why)
			return api_field_error(x->req, "simple_basis", why);
	}
	if (meet(x, "reconsideration.accept") < 0 ||
	    fail_db(x, case_store_set_date(x->req->db, x->c->id, "accepted_date", x->date_s)) < 0 ||
	    fail_db(x, reconsideration_store_procedure(x->req->db, x->c->id, simple ? "simple" : "ordinary", out,
						       sizeof(out))) < 0)
		return -1;
	snprintf(x->c->accepted, sizeof(x->c->accepted), "%s", x->date_s);
	x->detail = simple ? "受理,适用简易程序" : "受理,适用普通程序";
	if (open_rule(x, simple ? "reconsideration.copy_simple" : "reconsideration.copy", x->date) < 0)
		return -1;
	return open_rule(x, simple ? "reconsideration.decision_simple" : "reconsideration.decision", x->date);
}

static int reject(struct case_ctx *x)
{
	x->detail = arena_printf(&x->req->arena, "决定不予受理:%s", body_str(x->req, "reason"));
	if (meet(x, "reconsideration.accept") < 0)
		return -1;
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

static int send_copy(struct case_ctx *x)
{
	int simple;

	if (is_simple(x, &simple) < 0 || meet(x, simple ? "reconsideration.copy_simple" : "reconsideration.copy") < 0)
		return -1;
	x->detail = "向被申请人发送申请书副本及答复通知书";
	return open_rule(x, simple ? "reconsideration.answer_simple" : "reconsideration.answer", x->date);
}

static int receive_answer(struct case_ctx *x)
{
	int simple;

	if (is_simple(x, &simple) < 0)
		return -1;
	x->detail = "收到被申请人答复及证据材料";
	return meet(x, simple ? "reconsideration.answer_simple" : "reconsideration.answer");
}

static int switch_procedure(struct case_ctx *x)
{
	char out[16];
	int simple, start;

	if (is_simple(x, &simple) < 0)
		return -1;
	if (!simple)
		return api_error(x->req, "INVALID_STATE", "本案已适用普通程序", NULL);
	if (fail_db(x, reconsideration_store_procedure(x->req->db, x->c->id, "ordinary", out, sizeof(out))) < 0 ||
	    fail_db(x, case_deadline_close(x->req->db, x->c->id, "reconsideration.decision_simple", "cancelled",
					   x->date_s)) < 0)
		return -1;
	x->detail = arena_printf(&x->req->arena, "简易程序转为普通程序:%s", body_str(x->req, "reason"));
	/* The 60-day limit still runs from acceptance. */
	date_parse(x->c->accepted, &start);
	return open_rule(x, "reconsideration.decision", start);
}

static int hold_hearing(struct case_ctx *x)
{
	x->detail = body_str(x->req, "note") ? arena_printf(&x->req->arena, "举行听证:%s", body_str(x->req, "note"))
					     : "举行听证";
	return fail_db(x, reconsideration_store_set(x->req->db, x->c->id, "hearing_held", 1));
}

static int suspend(struct case_ctx *x)
{
	x->detail = arena_printf(&x->req->arena, "中止审理:%s", body_str(x->req, "reason"));
	if (fail_db(x, case_pause_open(x->req->db, x->c->id, x->date_s, body_str(x->req, "reason"))) < 0)
		return -1;
	return fail_db(x, case_deadline_recompute(x->req->db, x->c));
}

static int resume(struct case_ctx *x)
{
	x->detail = "恢复审理,审理期限继续计算";
	if (fail_db(x, case_pause_close(x->req->db, x->c->id, x->date_s)) < 0)
		return -1;
	return fail_db(x, case_deadline_recompute(x->req->db, x->c));
}

static int extend(struct case_ctx *x)
{
	int64_t days = body_int(x->req, "days", 0);
	int simple;

	if (is_simple(x, &simple) < 0)
		return -1;
	if (simple)
		return api_error(x->req, "INVALID_STATE", "适用简易程序的案件不能延期,请先转为普通程序", NULL);
	if (x->c->extension_days)
		return api_error(x->req, "INVALID_STATE", "本案已经延期一次,不能再次延期", NULL);
	if (fail_db(x, db_exec(x->req->db,
			       "UPDATE case_file SET extension_days = $1, extension_approver = $2 WHERE id = $3",
			       db_int(days), db_text(body_str(x->req, "approver")), db_int(x->c->id))) < 0)
		return -1;
	x->c->extension_days = days;
	x->detail = arena_printf(&x->req->arena, "经%s批准延期%lld日", body_str(x->req, "approver"), (long long)days);
	return fail_db(x, case_deadline_recompute(x->req->db, x->c));
}

/* Decision and termination share this: meet the decision limit, record the outcome. */
static int conclude(struct case_ctx *x, const char *verb)
{
	const struct case_outcome *o = case_outcome_find(&reconsideration_kind, body_str(x->req, "outcome"));

	/* A pause still open ends with the decision, and the limit gets its real date back first. */
	if (fail_db(x, case_pause_close(x->req->db, x->c->id, x->date_s)) < 0 ||
	    fail_db(x, case_deadline_recompute(x->req->db, x->c)) < 0)
		return -1;
	if (meet(x, "reconsideration.decision") < 0 || meet(x, "reconsideration.decision_simple") < 0 ||
	    fail_db(x, case_store_set_date(x->req->db, x->c->id, "decided_date", x->date_s)) < 0 ||
	    fail_db(x, case_store_set_outcome(x->req->db, x->c->id, o)) < 0)
		return -1;
	snprintf(x->c->outcome, sizeof(x->c->outcome), "%s", o->code);
	x->detail = body_str(x->req, "reason")
			? arena_printf(&x->req->arena, "%s:%s(%s)", verb, o->name, body_str(x->req, "reason"))
			: arena_printf(&x->req->arena, "%s:%s", verb, o->name);
	return 0;
}

static int decide(struct case_ctx *x)
{
	return conclude(x, "作出行政复议决定");
}

static int terminate(struct case_ctx *x)
{
	return conclude(x, "终止行政复议");
}

static int issue_opinion(struct case_ctx *x)
{
	x->detail = arena_printf(&x->req->arena, "制发行政复议意见书:%s", body_str(x->req, "content"));
	if (fail_db(x, reconsideration_store_set(x->req->db, x->c->id, "opinion_letters", 1)) < 0)
		return -1;
	return open_rule(x, "reconsideration.opinion_reply", x->date);
}

static int issue_suggestion(struct case_ctx *x)
{
	x->detail = arena_printf(&x->req->arena, "制发行政复议建议书:%s", body_str(x->req, "content"));
	return fail_db(x, reconsideration_store_set(x->req->db, x->c->id, "suggestion_letters", 1));
}

static int receive_opinion_reply(struct case_ctx *x)
{
	x->detail = "收到意见书落实情况反馈";
	return meet(x, "reconsideration.opinion_reply");
}

static int close_case(struct case_ctx *x)
{
	x->detail = "结案归档";
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

/* ===== action table ===== */

static const char *const procedures[] = { "ordinary", "simple", NULL };
static const char *const decision_outcomes[] = {
	"change",	   "revoke", "partial_revoke", "confirm_illegal", "order_perform",
	"confirm_invalid", "uphold", "reject",	       "mediation",	  NULL
};
static const char *const termination_outcomes[] = { "settlement_withdrawal", "other_termination", NULL };

static const struct body_field f_date[] = { CASE_DATE_FIELD, CASE_END_FIELD };
static const struct body_field f_correction[] = { CASE_DATE_FIELD,
						  { "items", FIELD_STRING, 1, 2, 1000, "补正事项", NULL, NULL },
						  CASE_END_FIELD };
static const struct body_field f_accept[] = {
	CASE_DATE_FIELD,
	{ "procedure", FIELD_STRING, 1, 1, 16, "审理程序", NULL, procedures },
	{ "simple_basis", FIELD_STRING, 0, 1, 32, "适用简易程序的情形", NULL, reconsideration_simple_bases },
	{ "amount_yuan", FIELD_INT, 0, 0, INT64_MAX, "涉案金额(元)", NULL, NULL },
	{ "all_parties_consent", FIELD_BOOL, 0, 0, 0, "各方同意适用简易程序", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_reason[] = { CASE_DATE_FIELD,
					      { "reason", FIELD_STRING, 1, 2, 1000, "理由", NULL, NULL },
					      CASE_END_FIELD };
static const struct body_field f_note[] = { CASE_DATE_FIELD,
					    { "note", FIELD_STRING, 0, 0, 1000, "说明", NULL, NULL },
					    CASE_END_FIELD };
static const struct body_field f_extend[] = {
	CASE_DATE_FIELD,
	{ "days", FIELD_INT, 1, 1, 30, "延长天数", NULL, NULL },
	{ "approver", FIELD_STRING, 1, 2, 50, "批准人", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_decide[] = {
	CASE_DATE_FIELD,
	{ "outcome", FIELD_STRING, 1, 1, 32, "决定类型", NULL, decision_outcomes },
	{ "reason", FIELD_STRING, 0, 0, 1000, "说明", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_terminate[] = {
	CASE_DATE_FIELD,
	{ "outcome", FIELD_STRING, 1, 1, 32, "终止情形", NULL, termination_outcomes },
	{ "reason", FIELD_STRING, 1, 2, 1000, "终止理由", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_content[] = { CASE_DATE_FIELD,
					       { "content", FIELD_STRING, 1, 2, 2000, "主要内容", NULL, NULL },
					       CASE_END_FIELD };

static const struct case_action reconsideration_actions[] = {
	{ "registered", "request_correction", "通知补正", "correction", f_correction, request_correction },
	{ "correction", "supplement", "收到补正材料", "registered", f_date, supplement },
	{ "correction", "abandon", "逾期未补正视为放弃", "abandoned", f_date, abandon },
	{ "registered", "accept", "受理", "accepted", f_accept, accept },
	{ "registered", "reject", "不予受理", "not_accepted", f_reason, reject },
	{ "accepted", "send_copy", "发送申请书副本", NULL, f_date, send_copy },
	{ "accepted,suspended", "receive_answer", "收到被申请人答复", NULL, f_date, receive_answer },
	{ "accepted", "switch_procedure", "简易程序转普通程序", NULL, f_reason, switch_procedure },
	{ "accepted", "hold_hearing", "听证", NULL, f_note, hold_hearing },
	{ "accepted", "suspend", "中止审理", "suspended", f_reason, suspend },
	{ "suspended", "resume", "恢复审理", "accepted", f_date, resume },
	{ "accepted", "extend", "延期", NULL, f_extend, extend },
	{ "accepted", "decide", "作出决定", "decided", f_decide, decide },
	{ "accepted,suspended", "terminate", "终止", "terminated", f_terminate, terminate },
	{ "decided,terminated,closed", "issue_opinion", "制发意见书", NULL, f_content, issue_opinion },
	{ "decided,terminated,closed", "issue_suggestion", "制发建议书", NULL, f_content, issue_suggestion },
	{ "decided,terminated,closed", "receive_opinion_reply", "收到意见书反馈", NULL, f_date, receive_opinion_reply },
	{ "decided,terminated", "close", "结案", "closed", f_date, close_case },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

extern const struct case_state reconsideration_states[];

const struct case_kind reconsideration_kind = {
	"reconsideration",
	"行政复议",
	"reconsideration.read",
	"reconsideration.handle",
	"registered",
	reconsideration_states,
	reconsideration_actions,
	reconsideration_outcomes,
	reconsideration_rules,
	reconsideration_store_detail,
};

/* ===== registration ===== */

/* The handling organ: the org given, else the root of the caller's tree (the county government). */
static int64_t handling_org(struct request *req)
{
	int64_t root = 0;

	if (body_has(req, "org_id"))
		return body_int(req, "org_id", 0);
	parse_int64(req->session->tenant_path + 1, strlen(req->session->tenant_path) - 2, &root);
	return root;
}

static int reconsiderations_create(struct request *req)
{
	struct org handler_org, respondent;
	json_t *applicants = json_object_get(req->json, "applicants");
	const char *title = body_str(req, "title");
	const char *first = json_string_value(json_object_get(json_array_get(applicants, 0), "name"));
	int64_t id, org_id = handling_org(req);
	int rc;

	rc = org_store_get(req->db, org_id, &handler_org);
	if (rc != DB_ROW || !session_can_see_path(req->session, handler_org.path))
		return api_field_error(req, "org_id", "复议机关不存在或不在您的数据权限范围内");
	rc = org_store_get(req->db, body_int(req, "respondent_org_id", 0), &respondent);
	if (rc != DB_ROW || strncmp(respondent.path, req->session->tenant_path, strlen(req->session->tenant_path)))
		return api_field_error(req, "respondent_org_id", "被申请人应为本地区的行政机关");
	if (!title)
		title = arena_printf(&req->arena, "%s不服%s%s", first ? first : "申请人", respondent.name,
				     body_str(req, "act"));
	if (case_create(req, &reconsideration_kind, org_id, respondent.id, body_str(req, "case_no"), title,
			body_str(req, "received_date"), &id) < 0)
		return -1;
	rc = reconsideration_store_insert(req->db, id, body_str(req, "channel"), body_str(req, "act"),
					  body_str(req, "claims"), body_int(req, "amount_yuan", 0));
	if (rc == 0)
		rc = db_exec(req->db,
			     "INSERT INTO case_party (case_id, role, party_type, name, org_id, created_at)"
			     " VALUES ($1, 'respondent', 'org', $2, $3, $4)",
			     db_int(id), db_text(respondent.name), db_int(respondent.id), db_int(time_now()));
	if (rc < 0)
		return api_db_error(req, rc);
	return case_created(req, &reconsideration_kind, id, "reconsideration.accept", NULL);
}

static const struct body_field create_body[] = {
	{ "received_date", FIELD_STRING, 1, 8, 11, "收到申请日期", case_check_date, NULL },
	{ "channel", FIELD_STRING, 1, 1, 16, "申请方式", NULL, reconsideration_channels },
	{ "respondent_org_id", FIELD_INT, 1, 1, INT64_MAX, "被申请人", NULL, NULL },
	{ "act", FIELD_STRING, 1, 2, 500, "被申请复议的行政行为", NULL, NULL },
	{ "claims", FIELD_STRING, 1, 2, 2000, "复议请求", NULL, NULL },
	{ "applicants", FIELD_OBJECT_ARRAY, 1, 1, 50, "申请人", NULL, NULL },
	{ "third_parties", FIELD_OBJECT_ARRAY, 0, 0, 50, "第三人", NULL, NULL },
	{ "agents", FIELD_OBJECT_ARRAY, 0, 0, 20, "代理人", NULL, NULL },
	{ "amount_yuan", FIELD_INT, 0, 0, INT64_MAX, "涉案金额(元)", NULL, NULL },
	{ "title", FIELD_STRING, 0, 2, 200, "案件名称", NULL, NULL },
	{ "case_no", FIELD_STRING, 0, 2, 64, "案号", NULL, NULL },
	{ "handler_id", FIELD_INT, 0, 1, INT64_MAX, "承办人", NULL, NULL },
	{ "org_id", FIELD_INT, 0, 1, INT64_MAX, "复议机关", NULL, NULL },
	CASE_END_FIELD,
};

static const struct route reconsideration_routes[] = {
	{ HTTP_POST, "/api/v1/reconsiderations", reconsiderations_create, "reconsideration.handle",
	  ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, create_body, "reconsideration.create" },
};

const struct module reconsideration_module = { "reconsideration", reconsideration_routes,
					       ARRAY_SIZE(reconsideration_routes) };
