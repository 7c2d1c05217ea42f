/*
 * HTTP handlers and route table for /api/v1/orgs. Parse, check scope, call
 * the store; the router has already checked session, permission, CSRF and
 * body schema, and wraps writes in a transaction with an audit record.
 */
#include <stdio.h>
#include <string.h>

#include "org.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "core/banned.h"

/* Load an org the session may see; sets 404/403 otherwise. */
static int load_visible(struct request *req, int64_t id, struct org *org)
{
	int rc = org_store_get(req->db, id, org);

	if (rc < 0)
		return api_db_error(req, rc);
	if (rc == DB_DONE)
		return api_error(req, "NOT_FOUND", "机构不存在", NULL);
	if (!session_can_see_path(req->session, org->path))
		return api_error(req, "OUT_OF_SCOPE", NULL, NULL);
	return 0;
}

/* The org named by a body field (parent_id): a 400 on that field when absent or out of scope. */
static int load_body_org(struct request *req, const char *field, struct org *org)
{
	int rc = org_store_get(req->db, body_int(req, field, 0), org);

	if (rc < 0)
		return api_db_error(req, rc);
	if (rc == DB_DONE)
		return api_field_error(req, field, "上级机构不存在");
	if (!session_can_see_path(req->session, org->path))
		return api_field_error(req, field, "上级机构不在您的数据权限范围内");
	if (strcmp(org->status, "active"))
		return api_field_error(req, field, "上级机构已撤销");
	return 0;
}

static int reply_org(struct request *req, int64_t id, int status)
{
	req->reply = org_store_get_json(req->db, id);
	if (!req->reply)
		return api_error(req, "INTERNAL", NULL, NULL);
	req->status = status;
	return 0;
}

static int orgs_list(struct request *req)
{
	const char *status = req_query(req, "status");
	json_t *items;
	int rc;

	rc = org_store_list(req->db, session_scope_pattern(req), !(status && !strcmp(status, "all")), &items);
	if (rc < 0)
		return api_db_error(req, rc);
	req->reply = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}

static int orgs_kinds(struct request *req)
{
	req->reply = json_pack("{s:o}", "items", org_kinds_json());
	return 0;
}

static int orgs_get(struct request *req)
{
	struct org org;
	int64_t id;

	if (req_param_id(req, "id", &id) < 0 || load_visible(req, id, &org) < 0)
		return -1;
	return reply_org(req, id, 200);
}

static int orgs_create(struct request *req)
{
	struct org parent;
	int64_t id;
	int rc;

	if (load_body_org(req, "parent_id", &parent) < 0)
		return -1;
	rc = org_store_insert(req->db, parent.id, body_str(req, "kind"), body_str(req, "name"),
			      body_str(req, "short_name"), body_str(req, "division_code"),
			      body_int(req, "sort_order", 0), &id);
	if (rc == DB_CONFLICT)
		return api_field_error(req, "name", "同一上级机构下已有同名机构");
	if (rc < 0)
		return api_db_error(req, rc);
	req_audit_object(req, "org", id);
	req->audit_detail = arena_printf(&req->arena, "新建机构“%s”,上级“%s”", body_str(req, "name"), parent.name);
	return reply_org(req, id, 201);
}

static int orgs_update(struct request *req)
{
	static const char *const text_fields[] = { "name", "short_name", "kind", "division_code" };
	struct org org;
	int64_t id;
	size_t i;
	int rc;

	if (req_param_id(req, "id", &id) < 0 || load_visible(req, id, &org) < 0)
		return -1;
	if (strcmp(org.status, "active"))
		return api_error(req, "INVALID_STATE", "机构已撤销,不能修改", NULL);
	for (i = 0; i < ARRAY_SIZE(text_fields); i++) {
		const char *v = body_str(req, text_fields[i]);
		char *sql;

		if (!v)
			continue;
		/* Column names come from the fixed list above, never from input. */
		sql =
		    arena_printf(&req->arena, "UPDATE org SET %s = $1, updated_at = $2 WHERE id = $3", text_fields[i]);
		rc = db_exec(req->db, sql, db_text(*v ? v : NULL), db_int(time_now()), db_int(id));
		if (rc == DB_CONFLICT)
			return api_field_error(req, "name", "同一上级机构下已有同名机构");
		if (rc < 0)
			return api_db_error(req, rc);
	}
	if (body_has(req, "sort_order")) {
		rc = db_exec(req->db, "UPDATE org SET sort_order = $1, updated_at = $2 WHERE id = $3",
			     db_int(body_int(req, "sort_order", 0)), db_int(time_now()), db_int(id));
		if (rc < 0)
			return api_db_error(req, rc);
	}
	req_audit_object(req, "org", id);
	req->audit_detail = body_str(req, "name")
				? arena_printf(&req->arena, "机构“%s”更名为“%s”", org.name, body_str(req, "name"))
				: arena_printf(&req->arena, "修改机构“%s”", org.name);
	return reply_org(req, id, 200);
}

static int orgs_move(struct request *req)
{
	struct org org, parent;
	int64_t id;
	int rc;

	if (req_param_id(req, "id", &id) < 0 || load_visible(req, id, &org) < 0 ||
	    load_body_org(req, "parent_id", &parent) < 0)
		return -1;
	if (!org.parent_id)
		return api_error(req, "INVALID_STATE", "根机构不能移动", NULL);
	if (!strncmp(parent.path, org.path, strlen(org.path)))
		return api_field_error(req, "parent_id", "不能把机构移动到它自己或它的下级机构之下");
	rc = org_store_move(req->db, &org, &parent);
	if (rc == DB_CONFLICT)
		return api_field_error(req, "parent_id", "目标上级机构下已有同名机构");
	if (rc < 0)
		return api_db_error(req, rc);
	req_audit_object(req, "org", id);
	req->audit_detail = arena_printf(&req->arena, "机构“%s”移至“%s”之下", org.name, parent.name);
	return reply_org(req, id, 200);
}

static int orgs_close(struct request *req)
{
	struct org org;
	int64_t id, n;
	int rc;

	if (req_param_id(req, "id", &id) < 0 || load_visible(req, id, &org) < 0)
		return -1;
	if (strcmp(org.status, "active"))
		return api_error(req, "INVALID_STATE", "机构已经撤销", NULL);
	if (!org.parent_id)
		return api_error(req, "INVALID_STATE", "根机构不能撤销", NULL);
	rc = org_store_count_active_children(req->db, id, &n);
	if (rc == 0 && n > 0)
		return api_errorf(req, "INVALID_STATE", "该机构下还有 %lld 个未撤销的下级机构,请先撤销或移走",
				  (long long)n);
	if (rc == 0)
		rc = org_store_count_active_users(req->db, id, &n);
	if (rc == 0 && n > 0)
		return api_errorf(req, "INVALID_STATE", "该机构下还有 %lld 个未停用的用户,请先调整", (long long)n);
	if (rc == 0)
		rc = db_exec(req->db,
			     "UPDATE org SET status = 'closed', closed_reason = $1, updated_at = $2 WHERE id = $3",
			     db_text(body_str(req, "reason")), db_int(time_now()), db_int(id));
	if (rc < 0)
		return api_db_error(req, rc);
	req_audit_object(req, "org", id);
	req->audit_detail = arena_printf(&req->arena, "撤销机构“%s”,原因:%s", org.name, body_str(req, "reason"));
	return reply_org(req, id, 200);
}

static int orgs_reopen(struct request *req)
{
	struct org org, parent;
	int64_t id;
	int rc;

	if (req_param_id(req, "id", &id) < 0 || load_visible(req, id, &org) < 0)
		return -1;
	if (!strcmp(org.status, "active"))
		return api_error(req, "INVALID_STATE", "机构未撤销", NULL);
	rc = org_store_get(req->db, org.parent_id, &parent);
	if (rc < 0)
		return api_db_error(req, rc);
	if (rc == DB_ROW && strcmp(parent.status, "active"))
		return api_error(req, "INVALID_STATE", "上级机构已撤销,请先恢复上级机构", NULL);
	rc = db_exec(req->db, "UPDATE org SET status = 'active', closed_reason = NULL, updated_at = $1 WHERE id = $2",
		     db_int(time_now()), db_int(id));
	if (rc < 0)
		return api_db_error(req, rc);
	req_audit_object(req, "org", id);
	req->audit_detail = arena_printf(&req->arena, "恢复机构“%s”", org.name);
	return reply_org(req, id, 200);
}

static const struct body_field org_create_body[] = {
	{ "parent_id", FIELD_INT, 1, 1, INT64_MAX, "上级机构", NULL, NULL },
	{ "kind", FIELD_STRING, 1, 1, 32, "机构类型", NULL, org_kind_codes },
	{ "name", FIELD_STRING, 1, 2, 100, "机构名称", NULL, NULL },
	{ "short_name", FIELD_STRING, 0, 0, 50, "简称", NULL, NULL },
	{ "division_code", FIELD_STRING, 0, 0, 12, "行政区划代码", org_check_division_code, NULL },
	{ "sort_order", FIELD_INT, 0, 0, 1000000, "排序号", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field org_update_body[] = {
	{ "kind", FIELD_STRING, 0, 1, 32, "机构类型", NULL, org_kind_codes },
	{ "name", FIELD_STRING, 0, 2, 100, "机构名称", NULL, NULL },
	{ "short_name", FIELD_STRING, 0, 0, 50, "简称", NULL, NULL },
	{ "division_code", FIELD_STRING, 0, 0, 12, "行政区划代码", org_check_division_code, NULL },
	{ "sort_order", FIELD_INT, 0, 0, 1000000, "排序号", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field org_move_body[] = {
	{ "parent_id", FIELD_INT, 1, 1, INT64_MAX, "新的上级机构", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field org_close_body[] = {
	{ "reason", FIELD_STRING, 1, 2, 200, "撤销原因", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

#define WRITE (ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON)

static const struct route org_routes[] = {
	{ HTTP_GET, "/api/v1/orgs", orgs_list, "org.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/org-kinds", orgs_kinds, NULL, 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/orgs/{id}", orgs_get, "org.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/orgs", orgs_create, "org.manage", WRITE, org_create_body, "org.create" },
	{ HTTP_PATCH, "/api/v1/orgs/{id}", orgs_update, "org.manage", WRITE, org_update_body, "org.update" },
	{ HTTP_POST, "/api/v1/orgs/{id}/move", orgs_move, "org.manage", WRITE, org_move_body, "org.move" },
	{ HTTP_POST, "/api/v1/orgs/{id}/close", orgs_close, "org.manage", WRITE, org_close_body, "org.close" },
	{ HTTP_POST, "/api/v1/orgs/{id}/reopen", orgs_reopen, "org.manage", ROUTE_TX | ROUTE_AUDIT, NULL,
	  "org.reopen" },
};

const struct module org_module = { "org", org_routes, ARRAY_SIZE(org_routes) };
