/*
 * /api/v1/ledger and /api/v1/ledger-categories: entries within the
 * caller's data scope, the category dictionary (editable by bureau staff
 * whose scope is the whole tree), voiding instead of deleting, attachments.
 */
#include <stdio.h>
#include <string.h>

#include "ledger.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "http/attachment.h"
#include "domain/org/org.h"
#include "core/banned.h"

static int load_entry(struct request *req, int64_t *id, json_t **entry)
{
	const char *path;

	if (req_param_id(req, "id", id) < 0)
		return -1;
	*entry = ledger_store_entry_json(req->db, *id);
	if (!*entry)
		return api_error(req, "NOT_FOUND", "台账记录不存在", NULL);
	path = json_string_value(json_object_get(*entry, "org_path"));
	if (!session_can_see_path(req->session, path)) {
		json_decref(*entry);
		*entry = NULL; /* it may be req->reply, which the router frees too */
		return api_error(req, "OUT_OF_SCOPE", NULL, NULL);
	}
	json_object_del(*entry, "org_path");
	req_audit_object(req, "ledger_entry", *id);
	return 0;
}

static int reply_entry(struct request *req, int64_t id, int status)
{
	req->reply = ledger_store_entry_json(req->db, id);
	if (!req->reply)
		return api_error(req, "INTERNAL", NULL, NULL);
	json_object_del(req->reply, "org_path");
	req->status = status;
	return 0;
}

/* Quantities and amount from the body; field errors for bad values. */
static int amount_of(struct request *req, int64_t *fen)
{
	const char *a = body_str(req, "amount_yuan");

	*fen = 0;
	if (a && *a && ledger_parse_yuan(a, fen) < 0)
		return api_field_error(req, "amount_yuan", "金额应写作元,最多两位小数,例如 12.50");
	return 0;
}

static int date_of(struct request *req, char out[11])
{
	int d;

	if (date_parse(body_str(req, "date"), &d) < 0)
		return api_field_error(req, "date", "日期格式应为2021-03-05");
	if (d > time_today_cst())
		return api_field_error(req, "date", "日期不能晚于今天");
	date_format(d, out);
	return 0;
}

static int entries_list(struct request *req)
{
	int64_t limit, offset, page, total;
	json_t *items;

	req_paging(req, &limit, &offset, &page);
	if (ledger_store_list(req, &items, &total) < 0)
		return -1;
	req->reply = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page", (json_int_t)page,
			       "page_size", (json_int_t)limit);
	return 0;
}

static int entries_get(struct request *req)
{
	int64_t id;

	if (load_entry(req, &id, &req->reply) < 0)
		return -1;
	return 0;
}

static int entries_create(struct request *req)
{
	int64_t org_id = body_has(req, "org_id") ? body_int(req, "org_id", 0) : req->session->org_id, cat, fen, id;
	struct org org;
	char date[11];
	int rc;

	if (org_store_get(req->db, org_id, &org) != DB_ROW || strcmp(org.status, "active"))
		return api_field_error(req, "org_id", "机构不存在或已撤销");
	if (!session_can_see_path(req->session, org.path))
		return api_field_error(req, "org_id", "该机构不在您的数据权限范围内");
	if (ledger_store_category_id(req->db, body_str(req, "category"), &cat) != DB_ROW)
		return api_field_error(req, "category", "台账类别不存在或已停用");
	if (date_of(req, date) < 0 || amount_of(req, &fen) < 0)
		return -1;
	rc = db_exec(req->db,
		     "INSERT INTO ledger_entry (org_id, category_id, entry_date, title, times, people, items, amount_fen,"
		     " note, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
		     db_int(org_id), db_int(cat), db_text(date), db_text(body_str(req, "title")),
		     db_int(body_int(req, "times", 1)), db_int(body_int(req, "people", 0)), db_int(body_int(req, "items", 0)),
		     db_int(fen), db_text(body_str(req, "note") ? body_str(req, "note") : ""), db_int(req->session->user_id),
		     db_int(time_now()));
	if (rc < 0)
		return api_db_error(req, rc);
	id = db_last_insert_id(req->db);
	req_audit_object(req, "ledger_entry", id);
	req->audit_detail = arena_printf(&req->arena, "登记台账“%s”(%s,%s)", body_str(req, "title"), org.name, date);
	return reply_entry(req, id, 201);
}

static int entries_update(struct request *req)
{
	int64_t id, fen, cat, now = time_now();
	json_t *entry;
	char date[11];
	int rc = 0;

	if (load_entry(req, &id, &entry) < 0)
		return -1;
	rc = strcmp(json_string_value(json_object_get(entry, "status")), "active");
	json_decref(entry);
	if (rc)
		return api_error(req, "INVALID_STATE", "已作废的台账记录不能修改", NULL);
	if (body_has(req, "date") && date_of(req, date) < 0)
		return -1;
	if (body_has(req, "amount_yuan") && amount_of(req, &fen) < 0)
		return -1;
	if (body_has(req, "category") && ledger_store_category_id(req->db, body_str(req, "category"), &cat) != DB_ROW)
		return api_field_error(req, "category", "台账类别不存在或已停用");
	/* One statement: unchanged fields keep their value. */
	rc = db_exec(req->db,
		     "UPDATE ledger_entry SET"
		     " entry_date = CASE WHEN $1 = '' THEN entry_date ELSE $1 END,"
		     " title = COALESCE($2, title), times = CASE WHEN $3 < 0 THEN times ELSE $3 END,"
		     " people = CASE WHEN $4 < 0 THEN people ELSE $4 END, items = CASE WHEN $5 < 0 THEN items ELSE $5 END,"
		     " amount_fen = CASE WHEN $6 < 0 THEN amount_fen ELSE $6 END, note = COALESCE($7, note),"
		     " category_id = CASE WHEN $8 = 0 THEN category_id ELSE $8 END, updated_at = $9 WHERE id = $10",
		     db_text(body_has(req, "date") ? date : ""), db_text(body_str(req, "title")),
		     db_int(body_int(req, "times", -1)), db_int(body_int(req, "people", -1)),
		     db_int(body_int(req, "items", -1)), db_int(body_has(req, "amount_yuan") ? fen : -1),
		     db_text(body_str(req, "note")), db_int(body_has(req, "category") ? cat : 0), db_int(now), db_int(id));
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = "修改台账记录";
	return reply_entry(req, id, 200);
}

static int entries_void(struct request *req)
{
	json_t *entry;
	int64_t id;
	int rc;

	if (load_entry(req, &id, &entry) < 0)
		return -1;
	rc = strcmp(json_string_value(json_object_get(entry, "status")), "active");
	json_decref(entry);
	if (rc)
		return api_error(req, "INVALID_STATE", "该台账记录已经作废", NULL);
	rc = db_exec(req->db, "UPDATE ledger_entry SET status = 'voided', void_reason = $1, updated_at = $2 WHERE id = $3",
		     db_text(body_str(req, "reason")), db_int(time_now()), db_int(id));
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = arena_printf(&req->arena, "作废台账记录,原因:%s", body_str(req, "reason"));
	return reply_entry(req, id, 200);
}

static int entries_upload(struct request *req)
{
	const char *name;
	char sha[65];
	json_t *entry;
	int64_t id;
	int rc;

	if (load_entry(req, &id, &entry) < 0)
		return -1;
	json_decref(entry);
	if (attachment_receive(req, &name, sha) < 0)
		return -1;
	rc = db_exec(req->db,
		     "INSERT INTO ledger_attachment (entry_id, sha256, filename, content_type, size, uploaded_by, created_at)"
		     " VALUES ($1, $2, $3, $4, $5, $6, $7)",
		     db_int(id), db_text(sha), db_text(name),
		     db_text(req->content_type ? req->content_type : "application/octet-stream"),
		     db_int((int64_t)req->body_len), db_int(req->session->user_id), db_int(time_now()));
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = arena_printf(&req->arena, "上传台账附件“%s”", name);
	return reply_entry(req, id, 201);
}

static int entries_download(struct request *req)
{
	char sha[65] = "", type[128] = "", name[256] = "";
	int64_t id, aid, size = 0;
	struct db_stmt *st;
	json_t *entry;
	int rc;

	if (load_entry(req, &id, &entry) < 0 || req_param_id(req, "aid", &aid) < 0)
		return -1;
	json_decref(entry);
	rc = db_prepare(req->db, &st, "SELECT sha256, content_type, filename, size FROM ledger_attachment"
				      " WHERE id = $1 AND entry_id = $2");
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, db_int(aid), db_int(id));
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(sha, sizeof(sha), "%s", db_col_text(st, 0));
		snprintf(type, sizeof(type), "%s", db_col_text(st, 1));
		snprintf(name, sizeof(name), "%s", db_col_text(st, 2));
		size = db_col_int(st, 3);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? api_db_error(req, rc) : api_error(req, "NOT_FOUND", "附件不存在", NULL);
	return attachment_reply(req, sha, size, type, name);
}

/* ===== categories ===== */

static int categories_list(struct request *req)
{
	struct db_stmt *st;
	json_t *items = json_array();
	int rc;

	rc = db_prepare(req->db, &st, "SELECT id, code, name, sort_order, active FROM ledger_category ORDER BY sort_order, id");
	if (rc < 0)
		return api_db_error(req, rc);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:I,s:b}", "id", (json_int_t)db_col_int(st, 0), "code",
						       db_col_text(st, 1), "name", db_col_text(st, 2), "sort_order",
						       (json_int_t)db_col_int(st, 3), "active", (int)db_col_int(st, 4)));
	db_done(st);
	req->reply = json_pack("{s:o}", "items", items);
	return rc < 0 ? api_db_error(req, rc) : 0;
}

static int require_bureau(struct request *req)
{
	return req->session->scope == SCOPE_ALL ? 0
						: api_error(req, "FORBIDDEN", "台账类别由司法局统一维护", NULL);
}

static int categories_create(struct request *req)
{
	int rc;

	if (require_bureau(req) < 0)
		return -1;
	rc = db_exec(req->db, "INSERT INTO ledger_category (code, name, sort_order, created_at) VALUES ($1, $2, $3, $4)",
		     db_text(body_str(req, "code")), db_text(body_str(req, "name")), db_int(body_int(req, "sort_order", 100)),
		     db_int(time_now()));
	if (rc == DB_CONFLICT)
		return api_field_error(req, "code", "类别代码或名称已存在");
	if (rc < 0)
		return api_db_error(req, rc);
	req_audit_object(req, "ledger_category", db_last_insert_id(req->db));
	req->audit_detail = arena_printf(&req->arena, "新增台账类别“%s”", body_str(req, "name"));
	req->status = 201;
	return categories_list(req);
}

static int categories_update(struct request *req)
{
	int64_t id;
	int rc;

	if (require_bureau(req) < 0 || req_param_id(req, "id", &id) < 0)
		return -1;
	rc = db_exec(req->db,
		     "UPDATE ledger_category SET name = COALESCE($1, name), sort_order = CASE WHEN $2 < 0 THEN sort_order"
		     " ELSE $2 END, active = CASE WHEN $3 < 0 THEN active ELSE $3 END WHERE id = $4",
		     db_text(body_str(req, "name")), db_int(body_int(req, "sort_order", -1)),
		     db_int(body_int(req, "active", -1)), db_int(id));
	if (rc == DB_CONFLICT)
		return api_field_error(req, "name", "类别名称已存在");
	if (rc < 0)
		return api_db_error(req, rc);
	if (db_changes(req->db) == 0)
		return api_error(req, "NOT_FOUND", "台账类别不存在", NULL);
	req_audit_object(req, "ledger_category", id);
	req->audit_detail = "修改台账类别";
	return categories_list(req);
}

static const struct body_field entry_body[] = {
	{ "org_id", FIELD_INT, 0, 1, INT64_MAX, "所属机构", NULL, NULL },
	{ "category", FIELD_STRING, 1, 1, 32, "类别", NULL, NULL },
	{ "date", FIELD_STRING, 1, 8, 11, "日期", NULL, NULL },
	{ "title", FIELD_STRING, 1, 2, 200, "事项", NULL, NULL },
	{ "times", FIELD_INT, 0, 0, 100000, "次数", NULL, NULL },
	{ "people", FIELD_INT, 0, 0, 10000000, "人数", NULL, NULL },
	{ "items", FIELD_INT, 0, 0, 10000000, "件数", NULL, NULL },
	{ "amount_yuan", FIELD_STRING, 0, 0, 20, "金额(元)", NULL, NULL },
	{ "note", FIELD_STRING, 0, 0, 2000, "备注", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field entry_update_body[] = {
	{ "category", FIELD_STRING, 0, 1, 32, "类别", NULL, NULL },
	{ "date", FIELD_STRING, 0, 8, 11, "日期", NULL, NULL },
	{ "title", FIELD_STRING, 0, 2, 200, "事项", NULL, NULL },
	{ "times", FIELD_INT, 0, 0, 100000, "次数", NULL, NULL },
	{ "people", FIELD_INT, 0, 0, 10000000, "人数", NULL, NULL },
	{ "items", FIELD_INT, 0, 0, 10000000, "件数", NULL, NULL },
	{ "amount_yuan", FIELD_STRING, 0, 0, 20, "金额(元)", NULL, NULL },
	{ "note", FIELD_STRING, 0, 0, 2000, "备注", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field void_body[] = {
	{ "reason", FIELD_STRING, 1, 2, 200, "作废原因", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field category_body[] = {
	{ "code", FIELD_STRING, 1, 2, 32, "类别代码", NULL, NULL },
	{ "name", FIELD_STRING, 1, 1, 32, "类别名称", NULL, NULL },
	{ "sort_order", FIELD_INT, 0, 0, 100000, "排序号", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field category_update_body[] = {
	{ "name", FIELD_STRING, 0, 1, 32, "类别名称", NULL, NULL },
	{ "sort_order", FIELD_INT, 0, 0, 100000, "排序号", NULL, NULL },
	{ "active", FIELD_BOOL, 0, 0, 0, "启用", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

#define WRITE (ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON)

static const struct route ledger_routes[] = {
	{ HTTP_GET, "/api/v1/ledger", entries_list, "ledger.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/ledger/{id}", entries_get, "ledger.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/ledger", entries_create, "ledger.manage", WRITE, entry_body, "ledger.create" },
	{ HTTP_PATCH, "/api/v1/ledger/{id}", entries_update, "ledger.manage", WRITE, entry_update_body, "ledger.update" },
	{ HTTP_POST, "/api/v1/ledger/{id}/void", entries_void, "ledger.manage", WRITE, void_body, "ledger.void" },
	{ HTTP_POST, "/api/v1/ledger/{id}/attachments", entries_upload, "ledger.manage",
	  ROUTE_TX | ROUTE_AUDIT | ROUTE_UPLOAD, NULL, "ledger.attachment.upload" },
	{ HTTP_GET, "/api/v1/ledger/{id}/attachments/{aid}", entries_download, "ledger.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/ledger-categories", categories_list, "ledger.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/ledger-categories", categories_create, "ledger.manage", WRITE, category_body,
	  "ledger.category.create" },
	{ HTTP_PATCH, "/api/v1/ledger-categories/{id}", categories_update, "ledger.manage", WRITE, category_update_body,
	  "ledger.category.update" },
};

const struct module ledger_module = { "ledger", ledger_routes, ARRAY_SIZE(ledger_routes) };
