/*
 * The generic case API shared by every case kind: list, detail, actions
 * (checked against the kind's state table: 409 with the allowed actions
 * otherwise), notes, extra parties, attachments (stored by SHA-256 under
 * the files directory and checked on download), and the deadline
 * reminders of GET /api/v1/deadlines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "core/calendar.h"
#include "core/crypto.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "http/attachment.h"
#include "http/body.h"
#include "report/xlsx_export.h"
#include "core/banned.h"

int case_load_visible(struct request *req, int64_t id, struct case_row *c)
{
	int rc = case_store_load(req->db, id, c);

	if (rc < 0)
		return api_db_error(req, rc);
	if (rc == DB_DONE)
		return api_error(req, "NOT_FOUND", "案件不存在", NULL);
	if (!case_visible(req->session, c))
		return api_error(req, "OUT_OF_SCOPE", NULL, NULL);
	if (!session_has_perm(req->session, c->kind->read_perm))
		return api_error(req, "FORBIDDEN", NULL, NULL);
	return 0;
}

static int load_param_case(struct request *req, struct case_row *c)
{
	int64_t id;

	if (req_param_id(req, "id", &id) < 0 || case_load_visible(req, id, c) < 0)
		return -1;
	req_audit_object(req, "case", id);
	return 0;
}

static int require_handle(struct request *req, const struct case_row *c)
{
	return session_has_perm(req->session, c->kind->handle_perm) ? 0 : api_error(req, "FORBIDDEN", NULL, NULL);
}

void case_org_abbr(struct db *db, int64_t org_id, char *out, size_t outlen)
{
	static const char *const suffixes[] = {
		"县人民政府", "市人民政府", "区人民政府", "人民政府", "县", "市", "区"
	};
	char name[256] = "";
	size_t i, n;

	if (db_query_text(db, out, outlen, "SELECT COALESCE(abbr, '') FROM org WHERE id = $1", db_int(org_id)) ==
		DB_ROW &&
	    *out)
		return;
	db_query_text(db, name, sizeof(name), "SELECT name FROM org WHERE id = $1", db_int(org_id));
	n = strlen(name);
	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		size_t sl = strlen(suffixes[i]);

		if (n > sl && !strcmp(name + n - sl, suffixes[i])) {
			name[n - sl] = '\0';
			break;
		}
	}
	snprintf(out, outlen, "%s", name);
}

static int add_parties(struct request *req, int64_t id, const char *key, const char *role)
{
	json_t *arr = json_object_get(req->json, key), *p;
	size_t i;

	json_array_foreach (arr, i, p)
		if (case_store_add_party(req, id, role, p, key, NULL) < 0)
			return -1;
	return 0;
}

int case_create(struct request *req, const struct case_kind *k, int64_t org_id, int64_t party_org_id,
		const char *case_no, const char *title, const char *received, int64_t *id)
{
	char number[128], abbr[64], recv[11];
	int64_t seq = 0, handler = body_int(req, "handler_id", 0);
	int rd, year, rc;

	if (date_parse(received, &rd) < 0)
		return api_field_error(req, "received_date", "收到日期格式应为2021-03-05");
	if (rd > time_today_cst())
		return api_field_error(req, "received_date", "收到日期不能晚于今天");
	date_format(rd, recv);
	year = rd / 10000;
	if (handler &&
	    db_query_int(req->db, &(int64_t){ 0 }, "SELECT id FROM app_user WHERE id = $1 AND status = 'active'",
			 db_int(handler)) != DB_ROW)
		return api_field_error(req, "handler_id", "承办人不存在或已停用");
	if (!case_no) {
		rc = case_store_next_seq(req->db, org_id, k->code, year, &seq);
		if (rc < 0)
			return api_db_error(req, rc);
		case_org_abbr(req->db, org_id, abbr, sizeof(abbr));
		case_format_number(number, sizeof(number), abbr, !strcmp(k->code, "reconsideration") ? "复" : "案",
				   year, seq);
		case_no = number;
	}
	rc = case_store_insert(req->db, k->code, org_id, party_org_id, case_no, year, seq, title, k->initial_state,
			       handler, recv, req->session->user_id, id);
	if (rc == DB_CONFLICT)
		return api_field_error(req, "case_no", "案号已存在");
	if (rc < 0)
		return api_db_error(req, rc);
	if (add_parties(req, *id, "applicants", "applicant") < 0 ||
	    add_parties(req, *id, "third_parties", "third_party") < 0 ||
	    add_parties(req, *id, "plaintiffs", "plaintiff") < 0 || add_parties(req, *id, "agents", "agent") < 0 ||
	    add_parties(req, *id, "respondents", "respondent") < 0)
		return -1;
	rc = case_store_add_event(req->db, *id, "create", NULL, k->initial_state, recv, req->session->user_id,
				  arena_printf(&req->arena, "登记%s %s", k->name, case_no));
	if (rc < 0)
		return api_db_error(req, rc);
	req_audit_object(req, "case", *id);
	req->audit_detail = arena_printf(&req->arena, "登记%s %s", k->name, case_no);
	return 0;
}

/* The reply of a case write: the case as committed, read after the commit (request.h). */
static json_t *detail_after_commit(struct request *req)
{
	struct case_row c;

	if (case_store_load(req->db, req->after_commit_id, &c) != DB_ROW)
		return NULL;
	return case_store_detail(req, &c);
}

int case_reply_detail(struct request *req, int64_t id, int status)
{
	req->reply_after_commit = detail_after_commit;
	req->after_commit_id = id;
	req->status = status;
	return 0;
}

int case_created(struct request *req, const struct case_kind *k, int64_t id, const char *rule, const char *start)
{
	struct case_row c;
	int from, rc = case_store_load(req->db, id, &c);

	if (rc != DB_ROW)
		return api_db_error(req, rc < 0 ? rc : DB_ERROR);
	if (rule) {
		if (date_parse(start ? start : c.received, &from) < 0)
			return api_error(req, "INTERNAL", NULL, NULL);
		rc = case_deadline_open(req->db, &c, case_rule_find(k, rule), from);
		if (rc < 0)
			return api_db_error(req, rc);
	}
	return case_reply_detail(req, c.id, 201);
}

/* ===== handlers ===== */

static int cases_list(struct request *req)
{
	const struct case_kind *k = case_kind_find(req_query(req, "kind"));
	int64_t limit, offset, page, total;
	json_t *items;

	if (!k)
		return api_field_error(req, "kind", "请指定案件类别 kind(reconsideration 或 litigation)");
	if (!session_has_perm(req->session, k->read_perm))
		return api_error(req, "FORBIDDEN", NULL, NULL);
	req_paging(req, &limit, &offset, &page);
	if (case_store_list(req, k, limit, offset, &items, &total) < 0)
		return -1;
	req->reply = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			       (json_int_t)page, "page_size", (json_int_t)limit);
	return 0;
}

/* The filtered list as .xlsx (same filters as the list, every matching row up to 50,000). */
static int cases_export(struct request *req)
{
	static const struct xlsx_column cols[] = {
		{ "case_no", "案号", 24 },	    { "title", "案件名称", 40 },	  { "state_name", "状态", 12 },
		{ "received_date", "收到日期", 12 }, { "accepted_date", "受理日期", 12 },   { "closed_date", "结案日期", 12 },
		{ "outcome_name", "结果", 14 },	    { "org_name", "复议机关/被告", 24 }, { "party_org_name", "被申请人", 24 },
		{ "handler_name", "承办人", 12 },	    { "next_due", "最近期限", 12 },	  { "overdue", "是否逾期", 10 },
	};
	const struct case_kind *k = case_kind_find(req_query(req, "kind"));
	char *data = NULL;
	size_t len = 0;
	int64_t total;
	json_t *items;
	int rc;

	if (!k)
		return api_field_error(req, "kind", "请指定案件类别 kind");
	if (!session_has_perm(req->session, k->read_perm))
		return api_error(req, "FORBIDDEN", NULL, NULL);
	if (case_store_list(req, k, 50000, 0, &items, &total) < 0)
		return -1;
	rc = xlsx_export(k->name, arena_printf(&req->arena, "%s案件清单(共%lld件)", k->name, (long long)total), cols,
			 ARRAY_SIZE(cols), items, &data, &len);
	json_decref(items);
	if (rc < 0)
		return api_error(req, "INTERNAL", "生成Excel文件失败", NULL);
	req->raw_body = arena_strndup(&req->arena, data, len);
	req->raw_len = len;
	free(data);
	req->content_type_out = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	req->disposition = arena_printf(&req->arena, "attachment; filename=\"%s-cases.xlsx\"", k->code);
	return 0;
}

static int cases_get(struct request *req)
{
	struct case_row c;

	if (load_param_case(req, &c) < 0)
		return -1;
	req->reply = case_store_detail(req, &c);
	return req->reply ? 0 : api_error(req, "INTERNAL", NULL, NULL);
}

static int cases_action(struct request *req)
{
	const char *code = req_param(req, "action"), *date_s;
	const struct case_action *a;
	const struct case_state *to;
	struct case_ctx ctx;
	struct case_row c;
	char from[32];
	int rc;

	if (load_param_case(req, &c) < 0 || require_handle(req, &c) < 0)
		return -1;
	a = case_action_find(c.kind, code);
	if (!a || !case_action_allowed(a, c.state)) {
		const struct case_state *s = case_state_find(c.kind, c.state);

		return api_error(req, "INVALID_STATE",
				 arena_printf(&req->arena, "案件当前状态为“%s”,不能执行“%s”", s ? s->name : c.state,
					      a ? a->name : code),
				 json_pack("{s:s,s:o}", "state", c.state, "allowed_actions",
					   case_allowed_actions_json(c.kind, c.state)));
	}
	if (body_validate(req, a->body) < 0)
		return -1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.req = req;
	ctx.c = &c;
	ctx.act = a;
	date_s = body_str(req, "date");
	date_parse(date_s, &ctx.date);
	date_format(ctx.date, ctx.date_s);
	if (ctx.date > time_today_cst())
		return api_field_error(req, "date", "日期不能晚于今天");
	if (strcmp(ctx.date_s, c.received) < 0)
		return api_field_error(req, "date", arena_printf(&req->arena, "日期不能早于收到日期%s", c.received));
	snprintf(from, sizeof(from), "%s", c.state);
	if (a->apply && a->apply(&ctx) < 0)
		return -1;
	if (a->to && strcmp(a->to, c.state)) {
		rc = case_store_set_state(req->db, c.id, a->to);
		if (rc < 0)
			return api_db_error(req, rc);
		snprintf(c.state, sizeof(c.state), "%s", a->to);
	}
	to = case_state_find(c.kind, c.state);
	if (to && !to->open) {
		/* A final state: nothing is due any more except replies that outlive the case. */
		rc = case_deadline_close_all(req->db, c.id, "reconsideration.opinion_reply", ctx.date_s);
		if (rc < 0)
			return api_db_error(req, rc);
	}
	rc = case_store_add_event(req->db, c.id, a->code, from, c.state, ctx.date_s, req->session->user_id,
				  ctx.detail ? ctx.detail : a->name);
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = arena_printf(&req->arena, "%s %s:%s", c.case_no, a->name, ctx.detail ? ctx.detail : "");
	return case_reply_detail(req, c.id, 200);
}

static int cases_note(struct request *req)
{
	struct case_row c;
	int rc;

	if (load_param_case(req, &c) < 0 || require_handle(req, &c) < 0)
		return -1;
	rc = db_exec(req->db, "INSERT INTO case_note (case_id, body, author_id, created_at) VALUES ($1, $2, $3, $4)",
		     db_int(c.id), db_text(body_str(req, "body")), db_int(req->session->user_id), db_int(time_now()));
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = arena_printf(&req->arena, "%s 添加备注", c.case_no);
	return case_reply_detail(req, c.id, 201);
}

static int cases_party(struct request *req)
{
	static const char *const roles[] = { "third_party", "agent", "applicant", "plaintiff", NULL };
	const char *role = body_str(req, "role");
	struct case_row c;
	int64_t pid;
	size_t i;

	if (load_param_case(req, &c) < 0 || require_handle(req, &c) < 0)
		return -1;
	for (i = 0; roles[i] && strcmp(roles[i], role); i++)
		;
	if (!roles[i])
		return api_field_error(req, "role", "当事人角色应为 third_party、agent、applicant 或 plaintiff");
	if (case_store_add_party(req, c.id, role, json_object_get(req->json, "party"), "party", &pid) < 0)
		return -1;
	req->audit_detail = arena_printf(&req->arena, "%s 添加当事人", c.case_no);
	return case_reply_detail(req, c.id, 201);
}

/* Full personal data of a party: its own permission, a stated reason, an audit record. */
static int cases_reveal(struct request *req)
{
	struct case_row c;
	int64_t pid;

	if (load_param_case(req, &c) < 0 || req_param_id(req, "pid", &pid) < 0)
		return -1;
	req->reply = case_store_reveal(req, c.id, pid);
	if (!req->reply)
		return api_error(req, "NOT_FOUND", "当事人不存在", NULL);
	req->audit_object_type = "case_party";
	snprintf(req->audit_object_id, sizeof(req->audit_object_id), "%lld", (long long)pid);
	req->audit_detail =
		arena_printf(&req->arena, "%s 查看当事人完整个人信息,事由:%s", c.case_no, body_str(req, "reason"));
	return 0;
}

/* ===== attachments ===== */

static int cases_upload(struct request *req)
{
	const char *type = req->content_type ? req->content_type : "application/octet-stream";
	const char *name;
	char sha[65];
	struct case_row c;
	int64_t aid;
	int rc;

	if (load_param_case(req, &c) < 0 || require_handle(req, &c) < 0 || attachment_receive(req, &name, sha) < 0)
		return -1;
	rc = db_exec(
	    req->db,
	    "INSERT INTO case_attachment (case_id, sha256, filename, content_type, size, uploaded_by, created_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    db_int(c.id), db_text(sha), db_text(name), db_text(type), db_int(req->body_len),
	    db_int(req->session->user_id), db_int(time_now()));
	if (rc < 0)
		return api_db_error(req, rc);
	aid = db_last_insert_id(req->db);
	req->audit_detail =
	    arena_printf(&req->arena, "%s 上传附件“%s”(%zu字节,SHA-256 %.16s…)", c.case_no, name, req->body_len, sha);
	req->reply = json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)aid, "filename", name, "content_type", type,
			       "size", (json_int_t)req->body_len, "sha256", sha);
	req->status = 201;
	return 0;
}

static int cases_download(struct request *req)
{
	struct case_row c;
	struct db_stmt *st;
	char sha[65], name[256], type[128];
	int64_t aid, size = 0;
	int rc;

	if (load_param_case(req, &c) < 0 || req_param_id(req, "aid", &aid) < 0)
		return -1;
	rc = db_prepare(req->db, &st,
			"SELECT sha256, filename, content_type, size FROM case_attachment"
			" WHERE id = $1 AND case_id = $2");
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind_int(st, 1, aid);
	db_bind_int(st, 2, c.id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(sha, sizeof(sha), "%s", db_col_text(st, 0));
		snprintf(name, sizeof(name), "%s", db_col_text(st, 1));
		snprintf(type, sizeof(type), "%s", db_col_text(st, 2));
		size = db_col_int(st, 3);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? api_db_error(req, rc) : api_error(req, "NOT_FOUND", "附件不存在", NULL);
	return attachment_reply(req, sha, size, type, name);
}

/* ===== reminders ===== */

static int deadlines_list(struct request *req)
{
	const char *within = req_query(req, "within");
	int64_t days = 7;
	json_t *all, *items, *d;
	size_t i;
	int rc;

	if (within && (parse_int64_cstr(within, &days) < 0 || days < 0 || days > 366))
		return api_field_error(req, "within", "within 应为0到366之间的天数");
	rc = case_store_due(req->db, session_scope_pattern(req), (int)days, &all);
	if (rc < 0)
		return api_db_error(req, rc);
	/* Only the lines the caller may read. */
	items = json_array();
	json_array_foreach (all, i, d) {
		const struct case_kind *k = case_kind_find(json_string_value(json_object_get(d, "kind")));

		if (k && session_has_perm(req->session, k->read_perm))
			json_array_append(items, d);
	}
	json_decref(all);
	{
		char today[11];

		date_format(time_today_cst(), today);
		req->reply = json_pack("{s:o,s:I,s:s}", "items", items, "total", (json_int_t)json_array_size(items),
				       "today", today);
	}
	return 0;
}

static const struct body_field note_body[] = {
	{ "body", FIELD_STRING, 1, 1, 2000, "备注内容", NULL, NULL },
	CASE_END_FIELD,
};

static const struct body_field party_body[] = {
	{ "role", FIELD_STRING, 1, 1, 20, "当事人角色", NULL, NULL },
	{ "party", FIELD_OBJECT, 1, 0, 0, "当事人", NULL, NULL },
	CASE_END_FIELD,
};

static const struct body_field reveal_body[] = {
	{ "reason", FIELD_STRING, 1, 2, 200, "查看事由", NULL, NULL },
	CASE_END_FIELD,
};

static const struct route case_routes[] = {
	{ HTTP_POST, "/api/v1/cases/{id}/parties/{pid}/reveal", cases_reveal, "pii.reveal",
	  ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, reveal_body, "pii.reveal" },
	{ HTTP_GET, "/api/v1/cases", cases_list, NULL, 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/cases/export", cases_export, NULL, 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/cases/{id}", cases_get, NULL, 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/cases/{id}/actions/{action}", cases_action, NULL,
	  ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON | ROUTE_BODY_BY_HANDLER, NULL, "case.action" },
	{ HTTP_POST, "/api/v1/cases/{id}/notes", cases_note, NULL, ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, note_body,
	  "case.note" },
	{ HTTP_POST, "/api/v1/cases/{id}/parties", cases_party, NULL, ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON, party_body,
	  "case.party.add" },
	{ HTTP_POST, "/api/v1/cases/{id}/attachments", cases_upload, NULL, ROUTE_TX | ROUTE_AUDIT | ROUTE_UPLOAD, NULL,
	  "case.attachment.upload" },
	{ HTTP_GET, "/api/v1/cases/{id}/attachments/{aid}", cases_download, NULL, 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/deadlines", deadlines_list, NULL, 0, NULL, NULL },
};

const struct module case_module = { "case", case_routes, ARRAY_SIZE(case_routes) };
