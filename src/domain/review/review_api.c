/*
 * 合法性审查 routes: POST /api/v1/reviews submits a request (bureau staff,
 * or a unit's liaison for its own unit), GET /api/v1/reviews lists them with
 * their subject and opinion counts, GET /api/v1/reviews/{id}/letter.docx is
 * the signed opinion letter. Every step after submission is an action of
 * the case engine (POST /api/v1/cases/{id}/actions/{code}), listed in the
 * table below with its effect.
 */
#include <stdio.h>
#include <string.h>

#include "review.h"
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

static int subject_of(struct case_ctx *x, char subject[32], int *simple)
{
	char proc[16];
	int rc = review_store_get_text(x->req->db, x->c->id, "subject_kind", subject, 32);

	if (rc == 0)
		rc = review_store_get_text(x->req->db, x->c->id, "procedure", proc, sizeof(proc));
	*simple = rc == 0 && !strcmp(proc, "simple");
	return fail_db(x, rc);
}

static int accept(struct case_ctx *x)
{
	const char *proc = body_str(x->req, "procedure");
	int simple = proc && !strcmp(proc, "simple"), was_simple;
	const char *rule, *why;
	char subject[32];
	int64_t days;

	if (subject_of(x, subject, &was_simple) < 0)
		return -1;
	if (simple && (why = review_simple_allowed(subject)))
		return api_field_error(x->req, "procedure", why);
	rule = review_rule_code(subject, simple);
	if (fail_db(x, review_store_set_procedure(x->req->db, x->c->id, simple ? "simple" : "ordinary")) < 0 ||
	    fail_db(x, case_store_set_date(x->req->db, x->c->id, "accepted_date", x->date_s)) < 0 ||
	    legal_deadline_open(x->req, x->c, rule, x->date, 0) < 0)
		return -1;
	days = legal_setting_int(x->req->db, legal_tenant_of(x->c->org_path), rule);
	x->detail = arena_printf(&x->req->arena, "接收审查,适用%s,审查期限%lld个工作日", simple ? "简易程序" : "一般程序",
				 (long long)days);
	return 0;
}

static int request_materials(struct case_ctx *x)
{
	/* The review period starts again when the materials are complete. */
	x->detail = arena_printf(&x->req->arena, "要求补充材料:%s", body_str(x->req, "items"));
	return fail_db(x, case_deadline_close_all(x->req->db, x->c->id, "", x->date_s));
}

static int supplement(struct case_ctx *x)
{
	x->detail = "收到补充材料,待重新接收审查";
	return 0;
}

static int add_reviewer(struct case_ctx *x)
{
	struct request *req = x->req;
	const char *type = body_str(req, "reviewer_type"), *name = body_str(req, "name");
	int64_t user = body_int(req, "user_id", 0), org = body_int(req, "org_id", 0), dup = 0;
	int lead = (int)body_int(req, "lead", 0), rc;
	char shown[256] = "";

	if (!strcmp(type, "staff")) {
		if (!user || db_query_text(req->db, shown, sizeof(shown),
					   "SELECT u.display_name FROM app_user u JOIN org o ON o.id = u.org_id"
					   " WHERE u.id = $1 AND u.status = 'active' AND o.path LIKE $2",
					   db_int(user),
					   db_text(arena_printf(&req->arena, "%s%%", req->session->tenant_path))) != DB_ROW)
			return api_field_error(req, "user_id", "审查人员应为本地区在用的系统用户");
		org = 0;
	} else if (!strcmp(type, "justice_office")) {
		struct org o;

		if (!org || org_store_get(req->db, org, &o) != DB_ROW || strcmp(o.kind, "justice_office") ||
		    strcmp(o.status, "active") ||
		    strncmp(o.path, req->session->tenant_path, strlen(req->session->tenant_path)))
			return api_field_error(req, "org_id", "应为本地区在用的司法所");
		snprintf(shown, sizeof(shown), "%s", o.name);
		user = 0;
	} else {
		if (!name || !*name)
			return api_field_error(req, "name", "请填写法律顾问的姓名及所在单位");
		user = org = 0;
	}
	if (!strcmp(type, "legal_advisor"))
		snprintf(shown, sizeof(shown), "%s", name);
	rc = db_query_int(req->db, &dup,
			  "SELECT COUNT(*) FROM review_reviewer WHERE case_id = $1 AND status = 'active'"
			  " AND reviewer_type = $2 AND ((user_id IS NOT NULL AND user_id = $3) OR"
			  " (org_id IS NOT NULL AND org_id = $4) OR (user_id IS NULL AND org_id IS NULL AND name = $5))",
			  db_int(x->c->id), db_text(type), db_int(user), db_int(org), db_text(shown));
	if (rc != DB_ROW)
		return fail_db(x, rc < 0 ? rc : DB_ERROR);
	if (dup)
		return api_error(req, "CONFLICT", arena_printf(&req->arena, "%s已在审查人员名单中", shown), NULL);
	if (lead && fail_db(x, db_exec(req->db, "UPDATE review_reviewer SET lead = 0 WHERE case_id = $1",
				       db_int(x->c->id))) < 0)
		return -1;
	if (fail_db(x, review_store_add_reviewer(req->db, x->c->id, type, user, org, shown, lead)) < 0)
		return -1;
	/* The lead staff reviewer handles the case (lists and reminders show the handler). */
	if (lead && user &&
	    fail_db(x, db_exec(req->db, "UPDATE case_file SET handler_id = $1 WHERE id = $2", db_int(user),
			       db_int(x->c->id))) < 0)
		return -1;
	x->detail = arena_printf(&req->arena, "指定%s%s%s", review_reviewer_type_name(type), shown,
				 lead ? "(主审)" : "");
	return 0;
}

static int remove_reviewer(struct case_ctx *x)
{
	char name[256] = "";
	int64_t rid = body_int(x->req, "reviewer_id", 0);

	if (db_query_text(x->req->db, name, sizeof(name),
			  "SELECT name FROM review_reviewer WHERE id = $1 AND case_id = $2 AND status = 'active'",
			  db_int(rid), db_int(x->c->id)) != DB_ROW)
		return api_field_error(x->req, "reviewer_id", "该审查人员不在本案名单中");
	x->detail = arena_printf(&x->req->arena, "调整审查人员:不再由%s审查(%s)", name, body_str(x->req, "reason"));
	return fail_db(x, db_exec(x->req->db,
				  "UPDATE review_reviewer SET status = 'removed', removed_reason = $1, lead = 0 WHERE id = $2",
				  db_text(body_str(x->req, "reason")), db_int(rid)));
}

static int add_opinion(struct case_ctx *x)
{
	int64_t seq;

	if (fail_db(x, review_store_add_opinion(x->req->db, x->c->id, body_str(x->req, "content"),
						body_str(x->req, "basis"), x->req->session->user_id, &seq)) < 0)
		return -1;
	x->detail = arena_printf(&x->req->arena, "提出审查意见第%lld条:%s", (long long)seq, body_str(x->req, "content"));
	return 0;
}

/* The seq of an active opinion of this case, or a field error. */
static int opinion_of(struct case_ctx *x, int64_t *seq)
{
	if (db_query_int(x->req->db, seq,
			 "SELECT seq FROM review_opinion WHERE id = $1 AND case_id = $2 AND status = 'active'",
			 db_int(body_int(x->req, "opinion_id", 0)), db_int(x->c->id)) != DB_ROW)
		return api_field_error(x->req, "opinion_id", "本案没有这条审查意见");
	return 0;
}

static int revise_opinion(struct case_ctx *x)
{
	int64_t seq;

	if (opinion_of(x, &seq) < 0)
		return -1;
	x->detail = arena_printf(&x->req->arena, "修改审查意见第%lld条:%s", (long long)seq, body_str(x->req, "content"));
	return fail_db(x, db_exec(x->req->db,
				  "UPDATE review_opinion SET content = $1, basis = COALESCE($2, basis) WHERE id = $3",
				  db_text(body_str(x->req, "content")), db_text(body_str(x->req, "basis")),
				  db_int(body_int(x->req, "opinion_id", 0))));
}

static int withdraw_opinion(struct case_ctx *x)
{
	int64_t seq;

	if (opinion_of(x, &seq) < 0)
		return -1;
	x->detail = arena_printf(&x->req->arena, "撤回审查意见第%lld条:%s", (long long)seq, body_str(x->req, "reason"));
	return fail_db(x, db_exec(x->req->db, "UPDATE review_opinion SET status = 'withdrawn' WHERE id = $1",
				  db_int(body_int(x->req, "opinion_id", 0))));
}

static int conclude(struct case_ctx *x)
{
	const struct case_outcome *o = case_outcome_find(&review_kind, body_str(x->req, "conclusion"));
	const char *note = body_str(x->req, "note"), *why;
	int64_t opinions, reviewers;
	char subject[32];
	int simple;

	if (subject_of(x, subject, &simple) < 0 ||
	    fail_db(x, review_store_count(x->req->db, x->c->id, "opinions", &opinions)) < 0 ||
	    fail_db(x, review_store_count(x->req->db, x->c->id, "reviewers", &reviewers)) < 0)
		return -1;
	why = review_check_conclusion(o->code, opinions, reviewers, note);
	if (why)
		return api_error(x->req, "INVALID_STATE", why, NULL);
	if (fail_db(x, case_deadline_close(x->req->db, x->c->id, review_rule_code(subject, simple), "met", x->date_s)) <
		0 ||
	    fail_db(x, case_store_set_date(x->req->db, x->c->id, "decided_date", x->date_s)) < 0 ||
	    fail_db(x, case_store_set_outcome(x->req->db, x->c->id, o)) < 0 ||
	    fail_db(x, db_exec(x->req->db, "UPDATE review SET conclusion_note = $1, signer = $2 WHERE case_id = $3",
			       db_text(note), db_text(body_str(x->req, "signer")), db_int(x->c->id))) < 0)
		return -1;
	snprintf(x->c->outcome, sizeof(x->c->outcome), "%s", o->code);
	x->detail = arena_printf(&x->req->arena, "出具审查意见:%s,意见%lld条%s%s", o->name, (long long)opinions,
				 note ? "," : "", note ? note : "");
	return 0;
}

static int record_adoption(struct case_ctx *x)
{
	const char *adoption = body_str(x->req, "adoption"), *reason = body_str(x->req, "reason");
	const char *why = review_check_adoption(adoption, reason);
	int64_t seq;

	if (opinion_of(x, &seq) < 0)
		return -1;
	if (why)
		return api_field_error(x->req, "reason", why);
	x->detail = arena_printf(&x->req->arena, "审查意见第%lld条:%s%s%s", (long long)seq,
				 review_adoption_name(adoption), reason ? "," : "", reason ? reason : "");
	return fail_db(x, db_exec(x->req->db,
				  "UPDATE review_opinion SET adoption = $1, adoption_reason = $2, adoption_date = $3"
				  " WHERE id = $4",
				  db_text(adoption), db_text(reason), db_text(x->date_s),
				  db_int(body_int(x->req, "opinion_id", 0))));
}

static int close_review(struct case_ctx *x)
{
	int64_t pending = 0;

	/* A request sent back for supplement has nobody to adopt its opinions. */
	if (strcmp(x->c->outcome, "returned") &&
	    fail_db(x, review_store_count(x->req->db, x->c->id, "pending", &pending)) < 0)
		return -1;
	if (pending)
		return api_error(x->req, "INVALID_STATE",
				 arena_printf(&x->req->arena, "尚有%lld条审查意见未登记采纳情况,不能办结", (long long)pending),
				 json_pack("{s:I}", "pending_opinions", (json_int_t)pending));
	x->detail = "办结";
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

static int withdraw(struct case_ctx *x)
{
	x->detail = arena_printf(&x->req->arena, "送审单位撤回:%s", body_str(x->req, "reason"));
	return fail_db(x, case_store_set_date(x->req->db, x->c->id, "closed_date", x->date_s));
}

/* ===== action table ===== */

static const char *const procedures[] = { "ordinary", "simple", NULL };
static const char *const conclusions[] = { "lawful", "lawful_after_revision", "unlawful", "returned", NULL };

static const struct body_field f_date[] = { CASE_DATE_FIELD, CASE_END_FIELD };
static const struct body_field f_accept[] = {
	CASE_DATE_FIELD,
	{ "procedure", FIELD_STRING, 0, 1, 16, "审查程序", NULL, procedures },
	CASE_END_FIELD,
};
static const struct body_field f_items[] = {
	CASE_DATE_FIELD, { "items", FIELD_STRING, 1, 2, 1000, "需补充的材料", NULL, NULL }, CASE_END_FIELD
};
static const struct body_field f_reason[] = {
	CASE_DATE_FIELD, { "reason", FIELD_STRING, 1, 2, 1000, "理由", NULL, NULL }, CASE_END_FIELD
};
static const struct body_field f_reviewer[] = {
	CASE_DATE_FIELD,
	{ "reviewer_type", FIELD_STRING, 1, 1, 20, "审查人员类别", NULL, review_reviewer_types },
	{ "user_id", FIELD_INT, 0, 1, INT64_MAX, "审查人员(用户)", NULL, NULL },
	{ "org_id", FIELD_INT, 0, 1, INT64_MAX, "司法所", NULL, NULL },
	{ "name", FIELD_STRING, 0, 2, 100, "姓名及单位", NULL, NULL },
	{ "lead", FIELD_BOOL, 0, 0, 0, "主审", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_remove_reviewer[] = {
	CASE_DATE_FIELD,
	{ "reviewer_id", FIELD_INT, 1, 1, INT64_MAX, "审查人员", NULL, NULL },
	{ "reason", FIELD_STRING, 1, 2, 500, "理由", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_opinion[] = {
	CASE_DATE_FIELD,
	{ "content", FIELD_STRING, 1, 2, 2000, "审查意见", NULL, NULL },
	{ "basis", FIELD_STRING, 0, 0, 500, "依据", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_revise[] = {
	CASE_DATE_FIELD,
	{ "opinion_id", FIELD_INT, 1, 1, INT64_MAX, "审查意见", NULL, NULL },
	{ "content", FIELD_STRING, 1, 2, 2000, "审查意见", NULL, NULL },
	{ "basis", FIELD_STRING, 0, 0, 500, "依据", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_withdraw_opinion[] = {
	CASE_DATE_FIELD,
	{ "opinion_id", FIELD_INT, 1, 1, INT64_MAX, "审查意见", NULL, NULL },
	{ "reason", FIELD_STRING, 1, 2, 500, "理由", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_conclude[] = {
	CASE_DATE_FIELD,
	{ "conclusion", FIELD_STRING, 1, 1, 32, "审查结论", NULL, conclusions },
	{ "note", FIELD_STRING, 0, 0, 2000, "结论说明", NULL, NULL },
	{ "signer", FIELD_STRING, 0, 0, 50, "签发人", NULL, NULL },
	CASE_END_FIELD,
};
static const struct body_field f_adoption[] = {
	CASE_DATE_FIELD,
	{ "opinion_id", FIELD_INT, 1, 1, INT64_MAX, "审查意见", NULL, NULL },
	{ "adoption", FIELD_STRING, 1, 1, 16, "采纳情况", NULL, review_adoptions },
	{ "reason", FIELD_STRING, 0, 0, 1000, "理由", NULL, NULL },
	CASE_END_FIELD,
};

static const struct case_action review_actions[] = {
	{ "submitted", "accept", "接收审查", "reviewing", f_accept, accept },
	{ "submitted,reviewing", "request_materials", "要求补充材料", "supplementing", f_items, request_materials },
	{ "supplementing", "supplement", "收到补充材料", "submitted", f_date, supplement },
	{ "submitted,reviewing", "add_reviewer", "指定审查人员", NULL, f_reviewer, add_reviewer },
	{ "submitted,reviewing", "remove_reviewer", "调整审查人员", NULL, f_remove_reviewer, remove_reviewer },
	{ "reviewing", "add_opinion", "提出审查意见", NULL, f_opinion, add_opinion },
	{ "reviewing", "revise_opinion", "修改审查意见", NULL, f_revise, revise_opinion },
	{ "reviewing", "withdraw_opinion", "撤回审查意见", NULL, f_withdraw_opinion, withdraw_opinion },
	{ "reviewing", "conclude", "出具审查意见", "concluded", f_conclude, conclude },
	{ "concluded", "record_adoption", "登记意见采纳情况", NULL, f_adoption, record_adoption },
	{ "concluded", "close", "办结", "closed", f_date, close_review },
	{ "submitted,supplementing,reviewing", "withdraw", "撤回送审", "withdrawn", f_reason, withdraw },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct case_kind review_kind = {
	"review",	 "合法性审查",	   "review.read",   "review.handle",	    "submitted",
	review_states, review_actions, review_outcomes, review_rules,	    review_store_detail,
};

/* ===== routes ===== */

static int reviews_create(struct request *req)
{
	int may_handle = session_has_perm(req->session, "review.handle");
	struct org reviewer, submitter;
	const char *subject = body_str(req, "subject_kind"), *subject_title = body_str(req, "subject_title");
	const char *title = body_str(req, "title");
	char number[128];
	int64_t id, org_id = 0;
	int rd, rc;

	if (!may_handle && !session_has_perm(req->session, "review.submit"))
		return api_error(req, "FORBIDDEN", NULL, NULL);
	/* A unit submits for itself: only bureau staff choose the reviewing organ or a handler. */
	if (!may_handle && (body_has(req, "org_id") || body_has(req, "handler_id")))
		return api_error(req, "FORBIDDEN", "送审单位不能指定审查机关或承办人", NULL);
	org_id = body_has(req, "org_id") ? body_int(req, "org_id", 0) : legal_tenant_of(req->session->tenant_path);
	rc = org_store_get(req->db, org_id, &reviewer);
	if (rc != DB_ROW || strncmp(reviewer.path, req->session->tenant_path, strlen(req->session->tenant_path)))
		return api_field_error(req, "org_id", "审查机关应为本地区的机关");
	rc = org_store_get(req->db, body_int(req, "submitting_org_id", 0), &submitter);
	if (rc != DB_ROW || strcmp(submitter.status, "active") ||
	    strncmp(submitter.path, req->session->tenant_path, strlen(req->session->tenant_path)))
		return api_field_error(req, "submitting_org_id", "送审单位应为本地区在用的机关");
	if (!may_handle && !session_can_see_path(req->session, submitter.path))
		return api_field_error(req, "submitting_org_id", "只能为本单位(及下级单位)送审");
	if (date_parse(body_str(req, "received_date"), &rd) < 0 || rd > time_today_cst())
		return api_field_error(req, "received_date", "送审日期应为不晚于今天的日期");
	if (legal_case_number(req, reviewer.id, "review", "法审", rd / 10000, number, sizeof(number)) < 0)
		return -1;
	if (!title)
		title = arena_printf(&req->arena, "关于%s《%s》的合法性审查", review_subject_name(subject), subject_title);
	if (case_create(req, &review_kind, reviewer.id, submitter.id, number, title, body_str(req, "received_date"),
			&id) < 0)
		return -1;
	rc = review_store_insert(req->db, id, subject, subject_title, body_str(req, "description"),
				 body_int(req, "item_count", 1), body_int(req, "amount_yuan", 0) * 100,
				 body_str(req, "counterparty"));
	if (rc < 0)
		return api_db_error(req, rc);
	return case_created(req, &review_kind, id, NULL, NULL);
}

static int reviews_list(struct request *req)
{
	int64_t limit, offset, page, total;
	json_t *items;

	req_paging(req, &limit, &offset, &page);
	if (review_store_list(req, limit, offset, &items, &total) < 0)
		return -1;
	req->reply = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			       (json_int_t)page, "page_size", (json_int_t)limit);
	return 0;
}

static int reviews_letter(struct request *req)
{
	struct case_row c;
	char *data = NULL;
	size_t len = 0;
	json_t *detail;
	int64_t id;
	int rc;

	if (req_param_id(req, "id", &id) < 0 || case_load_visible(req, id, &c) < 0)
		return -1;
	if (c.kind != &review_kind)
		return api_error(req, "NOT_FOUND", "合法性审查案件不存在", NULL);
	if (strcmp(c.state, "concluded") && strcmp(c.state, "closed"))
		return api_error(req, "INVALID_STATE", "尚未出具审查意见,不能生成审查意见书", NULL);
	detail = case_store_detail(req, &c);
	if (!detail)
		return api_error(req, "INTERNAL", NULL, NULL);
	rc = review_letter_docx(detail, &data, &len);
	json_decref(detail);
	return legal_reply_file(req, rc, data, len, arena_printf(&req->arena, "review-%lld.docx", (long long)id));
}

static const struct body_field create_body[] = {
	{ "subject_kind", FIELD_STRING, 1, 1, 32, "审查事项类别", NULL, review_subject_kinds },
	{ "subject_title", FIELD_STRING, 1, 2, 200, "送审文件或事项名称", NULL, NULL },
	{ "submitting_org_id", FIELD_INT, 1, 1, INT64_MAX, "送审单位", NULL, NULL },
	{ "received_date", FIELD_STRING, 1, 8, 11, "送审日期", case_check_date, NULL },
	{ "org_id", FIELD_INT, 0, 1, INT64_MAX, "审查机关", NULL, NULL },
	{ "title", FIELD_STRING, 0, 2, 200, "案件名称", NULL, NULL },
	{ "description", FIELD_STRING, 0, 0, 2000, "送审说明", NULL, NULL },
	{ "item_count", FIELD_INT, 0, 1, 1000, "议题数", NULL, NULL },
	{ "amount_yuan", FIELD_INT, 0, 0, 1000000000000LL, "合同金额(元)", NULL, NULL },
	{ "counterparty", FIELD_STRING, 0, 0, 200, "合同相对方", NULL, NULL },
	{ "handler_id", FIELD_INT, 0, 1, INT64_MAX, "承办人", NULL, NULL },
	CASE_END_FIELD,
};

static const struct route review_routes[] = {
	{ HTTP_GET, "/api/v1/reviews", reviews_list, "review.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/reviews", reviews_create, NULL, ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, create_body,
	  "review.create" },
	{ HTTP_GET, "/api/v1/reviews/{id}/letter.docx", reviews_letter, "review.read", 0, NULL, NULL },
};

const struct module review_module = { "review", review_routes, ARRAY_SIZE(review_routes) };
