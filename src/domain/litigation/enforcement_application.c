/*
 * 非诉执行申请: an agency's application to the court to enforce one of its
 * own decisions (the 行政应诉 section of the annual report counts them).
 * A small case kind of the engine: applied → ruled (准予 / 部分准予 / 不准予)
 * → closed, with the court's review limit tracked.
 */
#include <stdio.h>
#include <string.h>

#include "litigation.h"
#include "core/calendar.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "core/banned.h"

static const struct case_state states[] = {
	{ "applied", "已申请", 1 },
	{ "ruled", "法院已裁定", 1 },
	{ "closed", "已结案", 0 },
	{ NULL, NULL, 0 },
};

static const struct case_outcome outcomes[] = {
	{ "granted", "准予执行", 0, 0, 0 },
	{ "partly_granted", "部分准予执行", 0, 0, 0 },
	{ "denied", "不准予执行", 0, 0, 1 },
	{ "withdrawn", "撤回申请", 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0 },
};

/*
 * The court rules within 7 days of accepting the application (最高法行政诉讼法
 * 解释 第一百六十条; from memory, not checked against the official text).
 */
static const struct deadline_rule rules[] = {
	{ "enforcement_application.review", "法院审查期限", "applied", 7, DEADLINE_CALENDAR_DAYS, 0, 0, NULL,
	  "《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》第一百六十条" },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL },
};

static int rule_on(struct case_ctx *x)
{
	const struct case_outcome *o = case_outcome_find(x->c->kind, body_str(x->req, "outcome"));
	int rc = case_deadline_close(x->req->db, x->c->id, "enforcement_application.review", "met", x->date_s);

	if (rc == 0)
		rc = case_store_set_outcome(x->req->db, x->c->id, o);
	if (rc == 0)
		rc = case_store_set_date(x->req->db, x->c->id, "decided_date", x->date_s);
	if (rc < 0)
		return api_db_error(x->req, rc);
	snprintf(x->c->outcome, sizeof(x->c->outcome), "%s", o->code);
	x->detail = arena_printf(&x->req->arena, "法院裁定:%s", o->name);
	return 0;
}

static int close_case(struct case_ctx *x)
{
	int rc = case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s);

	x->detail = body_str(x->req, "note") ? arena_printf(&x->req->arena, "结案:%s", body_str(x->req, "note")) : "结案";
	return rc < 0 ? api_db_error(x->req, rc) : 0;
}

static const char *const ruling_codes[] = { "granted", "partly_granted", "denied", "withdrawn", NULL };
static const struct body_field f_rule[] = {
	CASE_DATE_FIELD, { "outcome", FIELD_STRING, 1, 1, 32, "裁定结果", NULL, ruling_codes }, CASE_END_FIELD
};
static const struct body_field f_close[] = {
	CASE_DATE_FIELD, { "note", FIELD_STRING, 0, 0, 1000, "执行情况", NULL, NULL }, CASE_END_FIELD
};

static const struct case_action actions[] = {
	{ "applied", "rule", "登记法院裁定", "ruled", f_rule, rule_on },
	{ "ruled", "close", "结案", "closed", f_close, close_case },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

static json_t *detail(struct db *db, int64_t case_id)
{
	struct db_stmt *st;
	json_t *o = NULL;

	if (db_prepare(db, &st, "SELECT court FROM litigation WHERE case_id = $1") < 0)
		return NULL;
	db_bind(st, db_int(case_id));
	if (db_step(st) == DB_ROW)
		o = json_pack("{s:s}", "court", db_col_text(st, 0));
	db_done(st);
	return o;
}

const struct case_kind enforcement_application_kind = {
	"enforcement_application", "非诉执行申请", "litigation.read", "litigation.handle", "applied", states, actions,
	outcomes,		   rules,	   detail,
};

/* POST /api/v1/enforcement-applications {applicant_org_id, court, decision, received_date(申请日期), respondents[]} */
static int create(struct request *req)
{
	struct org agency;
	int64_t id;
	int rc;

	rc = org_store_get(req->db, body_int(req, "applicant_org_id", 0), &agency);
	if (rc != DB_ROW || !session_can_see_path(req->session, agency.path))
		return api_field_error(req, "applicant_org_id", "申请机关不存在或不在您的数据权限范围内");
	if (case_create(req, &enforcement_application_kind, agency.id, agency.id, body_str(req, "case_no"),
			arena_printf(&req->arena, "%s申请执行%s", agency.name, body_str(req, "decision")),
			body_str(req, "received_date"), &id) < 0)
		return -1;
	rc = litigation_store_insert(req->db, id, "first", body_str(req, "court"), NULL, NULL, 0, 0);
	if (rc < 0)
		return api_db_error(req, rc);
	return case_created(req, &enforcement_application_kind, id, "enforcement_application.review", NULL);
}

static const struct body_field create_body[] = {
	{ "applicant_org_id", FIELD_INT, 1, 1, INT64_MAX, "申请机关", NULL, NULL },
	{ "court", FIELD_STRING, 1, 2, 100, "法院", NULL, NULL },
	{ "decision", FIELD_STRING, 1, 2, 300, "申请执行的行政决定", NULL, NULL },
	{ "received_date", FIELD_STRING, 1, 8, 11, "申请日期", case_check_date, NULL },
	{ "case_no", FIELD_STRING, 0, 2, 64, "法院案号", NULL, NULL },
	{ "respondents", FIELD_OBJECT_ARRAY, 0, 0, 50, "被执行人", NULL, NULL },
	{ "handler_id", FIELD_INT, 0, 1, INT64_MAX, "承办人", NULL, NULL },
	CASE_END_FIELD,
};

static const struct route routes[] = {
	{ HTTP_POST, "/api/v1/enforcement-applications", create, "litigation.handle", ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON,
	  create_body, "enforcement_application.create" },
};

const struct module enforcement_application_module = { "enforcement_application", routes, ARRAY_SIZE(routes) };
