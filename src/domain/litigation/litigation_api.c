/*
 * 行政应诉 routes: POST /api/v1/litigations records a court case (keeping
 * the court's case number); later steps are actions of the case engine,
 * listed in the table below with their effects.
 */
#include <stdio.h>
#include <string.h>

#include "litigation.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "core/banned.h"

static int fail_db(struct case_ctx *x, int rc)
{
	return rc < 0 ? api_db_error(x->req, rc) : 0;
}

static int open_rule(struct case_ctx *x, const char *code, int start)
{
	return fail_db(x, case_deadline_open(x->req->db, x->c, case_rule_find(&litigation_kind, code), start));
}

static int submit_answer(struct case_ctx *x)
{
	x->detail = "提交答辩状及证据";
	return fail_db(x, case_deadline_close(x->req->db, x->c->id, "litigation.answer", "met", x->date_s));
}

static int hold_hearing(struct case_ctx *x)
{
	int appeared = (int)body_int(x->req, "head_appeared", 0);
	const char *name = body_str(x->req, "head_name"), *post = body_str(x->req, "head_post");

	if (appeared && !name)
		return api_field_error(x->req, "head_name", "负责人出庭时须填写出庭负责人的姓名");
	if (appeared && !post)
		return api_field_error(x->req, "head_post", "负责人出庭时须填写出庭负责人的职务");
	x->detail = appeared ? arena_printf(&x->req->arena, "开庭审理,行政机关负责人%s(%s)出庭应诉", name, post)
			     : "开庭审理,行政机关负责人未出庭";
	if (appeared)
		return fail_db(x, db_exec(x->req->db,
					  "UPDATE litigation SET hearing_held = 1, hearing_date = COALESCE(hearing_date, $4),"
					  " head_appeared = 1, head_name = $1, head_post = $2 WHERE case_id = $3",
					  db_text(name), db_text(post), db_int(x->c->id), db_text(x->date_s)));
	return fail_db(x, db_exec(x->req->db,
				  "UPDATE litigation SET hearing_held = 1, hearing_date = COALESCE(hearing_date, $2)"
				  " WHERE case_id = $1",
				  db_int(x->c->id), db_text(x->date_s)));
}

static int set_risk(struct case_ctx *x)
{
	int flag = (int)body_int(x->req, "flag", 0);

	x->detail =
	    flag ? arena_printf(&x->req->arena, "标记败诉风险:%s", body_str(x->req, "note")) : "解除败诉风险标记";
	return fail_db(x, db_exec(x->req->db, "UPDATE litigation SET risk_flag = $1, risk_note = $2 WHERE case_id = $3",
				  db_int(flag), db_text(body_str(x->req, "note")), db_int(x->c->id)));
}

static int judge(struct case_ctx *x)
{
	const struct case_outcome *o = case_outcome_find(&litigation_kind, body_str(x->req, "outcome"));
	const char *kind = body_str(x->req, "ruling_kind");
	int judgment = !strcmp(kind, "judgment");

	if (fail_db(x, case_deadline_close(x->req->db, x->c->id, "litigation.answer", "cancelled", x->date_s)) < 0 ||
	    fail_db(x, case_store_set_date(x->req->db, x->c->id, "decided_date", x->date_s)) < 0 ||
	    fail_db(x, case_store_set_outcome(x->req->db, x->c->id, o)) < 0 ||
	    fail_db(x, db_exec(x->req->db, "UPDATE litigation SET ruling_kind = $1 WHERE case_id = $2", db_text(kind),
			       db_int(x->c->id))) < 0)
		return -1;
	snprintf(x->c->outcome, sizeof(x->c->outcome), "%s", o->code);
	x->detail =
	    arena_printf(&x->req->arena, "法院%s:%s%s", judgment ? "判决" : "裁定", o->name, o->lost ? "(败诉)" : "");
	return open_rule(x, judgment ? "litigation.appeal_judgment" : "litigation.appeal_ruling", x->date);
}

static int appeal(struct case_ctx *x)
{
	const char *by = body_str(x->req, "by");

	x->detail = arena_printf(&x->req->arena, "%s提起上诉", !strcmp(by, "defendant") ? "我方" : "对方当事人");
	if (fail_db(x, case_deadline_close(x->req->db, x->c->id, "litigation.appeal_judgment", "met", x->date_s)) < 0 ||
	    fail_db(x, case_deadline_close(x->req->db, x->c->id, "litigation.appeal_ruling", "met", x->date_s)) < 0 ||
	    fail_db(x, db_exec(x->req->db, "UPDATE litigation SET appealed = 1 WHERE case_id = $1", db_int(x->c->id))) <
		0)
		return -1;
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

static int close_case(struct case_ctx *x)
{
	x->detail = "裁判生效,结案";
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

static const char *const ruling_kinds[] = { "judgment", "ruling", NULL };
static const char *const appellants[] = { "defendant", "plaintiff", "third_party", NULL };
static const char *const outcome_codes[] = { "reject_claims",	"revoke",	 "partial_revoke", "confirm_illegal",
					     "confirm_invalid", "order_perform", "change",	   "withdrawn",
					     "mediation",	"dismiss",	 "other",	   NULL };

static const struct body_field f_date[] = { CASE_DATE_FIELD, CASE_END_FIELD };
static const struct body_field f_hearing[] = {
	CASE_DATE_FIELD,
	{ "head_appeared", FIELD_BOOL, 1, 0, 0, "负责人是否出庭", NULL, NULL },
	{ "head_name", FIELD_STRING, 0, 1, 50, "出庭负责人姓名", NULL, NULL },
	{ "head_post", FIELD_STRING, 0, 1, 50, "出庭负责人职务", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_risk[] = {
	CASE_DATE_FIELD,
	{ "flag", FIELD_BOOL, 1, 0, 0, "是否有败诉风险", NULL, NULL },
	{ "note", FIELD_STRING, 0, 0, 1000, "风险说明", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_judge[] = {
	CASE_DATE_FIELD,
	{ "outcome", FIELD_STRING, 1, 1, 32, "裁判结果", NULL, outcome_codes },
	{ "ruling_kind", FIELD_STRING, 1, 1, 16, "判决或裁定", NULL, ruling_kinds },
	CASE_END_FIELD,
};
static const struct body_field f_appeal[] = { CASE_DATE_FIELD,
					      { "by", FIELD_STRING, 1, 1, 16, "上诉人", NULL, appellants },
					      CASE_END_FIELD };

static const struct case_action litigation_actions[] = {
	{ "pending", "submit_answer", "提交答辩状", NULL, f_date, submit_answer },
	{ "pending", "hold_hearing", "开庭", NULL, f_hearing, hold_hearing },
	{ "pending,judged", "set_risk", "败诉风险预警", NULL, f_risk, set_risk },
	{ "pending", "judge", "登记裁判结果", "judged", f_judge, judge },
	{ "judged", "appeal", "上诉", "closed", f_appeal, appeal },
	{ "judged", "close", "裁判生效结案", "closed", f_date, close_case },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

extern const struct case_state litigation_states[];

const struct case_kind litigation_kind = {
	"litigation",	   "行政应诉",	       "litigation.read",   "litigation.handle", "pending",
	litigation_states, litigation_actions, litigation_outcomes, litigation_rules,	 litigation_store_detail,
};

static int normalise_date(struct request *req, const char *field, char out[11])
{
	const char *v = body_str(req, field);
	int d;

	out[0] = '\0';
	if (!v)
		return 0;
	if (date_parse(v, &d) < 0 || d > time_today_cst())
		return api_field_error(req, field, "日期格式应为2021-03-05,且不能晚于今天");
	date_format(d, out);
	return 0;
}

static int litigations_create(struct request *req)
{
	struct org defendant;
	char filed[11], served[11];
	const char *title = body_str(req, "title");
	int64_t id, prev = body_int(req, "previous_case_id", 0);
	int rc;

	rc = org_store_get(req->db, body_int(req, "defendant_org_id", 0), &defendant);
	if (rc != DB_ROW || !session_can_see_path(req->session, defendant.path))
		return api_field_error(req, "defendant_org_id", "被告机关不存在或不在您的数据权限范围内");
	if (normalise_date(req, "filed_date", filed) < 0 || normalise_date(req, "served_date", served) < 0)
		return -1;
	if (prev) {
		struct case_row p;

		if (case_load_visible(req, prev, &p) < 0)
			return -1;
		if (strcmp(p.kind->code, "litigation"))
			return api_field_error(req, "previous_case_id", "上一审级案件应为行政应诉案件");
	}
	if (!title) {
		json_t *pl = json_array_get(json_object_get(req->json, "plaintiffs"), 0);
		const char *who = json_string_value(json_object_get(pl, "name"));

		title = arena_printf(&req->arena, "%s诉%s", who ? who : "原告", defendant.name);
	}
	if (case_create(req, &litigation_kind, defendant.id, defendant.id, body_str(req, "case_no"), title,
			body_str(req, "received_date"), &id) < 0)
		return -1;
	rc = litigation_store_insert(req->db, id, body_str(req, "instance"), body_str(req, "court"),
				     *filed ? filed : NULL, *served ? served : NULL,
				     (int)body_int(req, "carried_over", 0), prev);
	if (rc < 0)
		return api_db_error(req, rc);
	/* The answer is due 15 days after the notice was served (or received). */
	return case_created(req, &litigation_kind, id, "litigation.answer", *served ? served : NULL);
}

static const struct body_field create_body[] = {
	{ "case_no", FIELD_STRING, 1, 4, 64, "法院案号", NULL, NULL },
	{ "instance", FIELD_STRING, 1, 1, 16, "审级", NULL, litigation_instances },
	{ "court", FIELD_STRING, 1, 2, 100, "法院", NULL, NULL },
	{ "defendant_org_id", FIELD_INT, 1, 1, INT64_MAX, "被告", NULL, NULL },
	{ "received_date", FIELD_STRING, 1, 8, 11, "收到应诉通知日期", case_check_date, NULL },
	{ "filed_date", FIELD_STRING, 0, 8, 11, "立案日期", case_check_date, NULL },
	{ "served_date", FIELD_STRING, 0, 8, 11, "应诉通知送达日期", case_check_date, NULL },
	{ "carried_over", FIELD_BOOL, 0, 0, 0, "上年结转", NULL, NULL },
	{ "plaintiffs", FIELD_OBJECT_ARRAY, 1, 1, 50, "原告", NULL, NULL },
	{ "third_parties", FIELD_OBJECT_ARRAY, 0, 0, 50, "第三人", NULL, NULL },
	{ "agents", FIELD_OBJECT_ARRAY, 0, 0, 20, "代理人", NULL, NULL },
	{ "title", FIELD_STRING, 0, 2, 200, "案件名称", NULL, NULL },
	{ "handler_id", FIELD_INT, 0, 1, INT64_MAX, "承办人", NULL, NULL },
	{ "previous_case_id", FIELD_INT, 0, 1, INT64_MAX, "上一审级案件", NULL, NULL },
	CASE_END_FIELD,
};

static const struct route litigation_routes[] = {
	{ HTTP_POST, "/api/v1/litigations", litigations_create, "litigation.handle",
	  ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, create_body, "litigation.create" },
};

const struct module litigation_module = { "litigation", litigation_routes, ARRAY_SIZE(litigation_routes) };
