/*
 * /api/v1/roles, /api/v1/permissions and /api/v1/security/policy: the
 * security administrator's screens. Built-in administrator roles are
 * read-only; custom roles cannot carry administrator permissions.
 *
 * Tenants: a custom role belongs to the tenant of the administrator who
 * created it. Each tenant sees the instance's shared roles (built-in ones,
 * tenant_id NULL) and its own; it edits only its own: the shared ones are
 * used by every county of the instance. Another tenant's role does not exist
 * for it (404, nothing revealed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "policy.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "http/auth.h"
#include "core/banned.h"

static int roles_list(struct request *req)
{
	json_t *items;
	int rc = account_store_role_list(req->db, session_tenant_id(req->session), &items);

	if (rc < 0)
		return api_db_error(req, rc);
	req->reply = json_pack("{s:o}", "items", items);
	return 0;
}

static int permissions_list(struct request *req)
{
	json_t *scopes = json_array();
	size_t i;

	for (i = 0; scope_codes[i]; i++)
		json_array_append_new(
		    scopes, json_pack("{s:s,s:s}", "code", scope_codes[i], "name", scope_name(scope_codes[i])));
	req->reply = json_pack("{s:o,s:o}", "items", permissions_json(), "scopes", scopes);
	return 0;
}

static int roles_create(struct request *req)
{
	json_t *perms = json_object_get(req->json, "permissions");
	const char *bad = account_check_custom_role_perms(perms);
	int64_t id;
	int rc;

	if (bad)
		return api_field_error(req, "permissions", bad);
	if (builtin_role_find(body_str(req, "code")))
		return api_field_error(req, "code", "角色代码与内置角色相同,请换一个代码");
	rc = db_exec(req->db,
		     "INSERT INTO role (code, name, scope, description, builtin, tenant_id, created_at, updated_at)"
		     " VALUES ($1, $2, $3, $4, 0, $5, $6, $6)",
		     db_text(body_str(req, "code")), db_text(body_str(req, "name")), db_text(body_str(req, "scope")),
		     db_text(body_str(req, "description") ? body_str(req, "description") : ""),
		     db_int(session_tenant_id(req->session)), db_int(time_now()));
	if (rc == DB_CONFLICT)
		return api_field_error(req, "code", "角色代码或名称已存在");
	if (rc < 0)
		return api_db_error(req, rc);
	id = db_last_insert_id(req->db);
	rc = account_store_role_set_perms(req->db, id, perms);
	if (rc < 0)
		return api_db_error(req, rc);
	req_audit_object(req, "role", id);
	req->audit_detail = arena_printf(&req->arena, "新建角色“%s”", body_str(req, "name"));
	req->reply = account_store_role_json(req->db, id);
	req->status = 201;
	return 0;
}

static int roles_update(struct request *req)
{
	json_t *perms = json_object_get(req->json, "permissions");
	struct role_info ri;
	int64_t id, now = time_now();
	int rc;

	if (req_param_id(req, "id", &id) < 0)
		return -1;
	rc = account_store_role_info(req->db, id, &ri);
	if (rc < 0)
		return api_db_error(req, rc);
	if (rc == DB_DONE || (ri.tenant_id && ri.tenant_id != session_tenant_id(req->session)))
		return api_error(req, "NOT_FOUND", "角色不存在", NULL);
	if (*ri.admin_kind)
		return api_error(req, "SEPARATION_OF_DUTIES", "三员角色的权限固定,不能修改", NULL);
	if (!ri.tenant_id)
		return api_error(req, "FORBIDDEN",
				 "内置角色和全平台共用的角色由各县共同使用,不能修改;请新建本单位的自定义角色", NULL);
	if (perms) {
		const char *bad = account_check_custom_role_perms(perms);

		if (bad)
			return api_field_error(req, "permissions", bad);
		rc = account_store_role_set_perms(req->db, id, perms);
	}
	if (rc >= 0 && body_str(req, "name"))
		rc = db_exec(req->db, "UPDATE role SET name = $1, updated_at = $2 WHERE id = $3",
			     db_text(body_str(req, "name")), db_int(now), db_int(id));
	if (rc >= 0 && body_str(req, "scope"))
		rc = db_exec(req->db, "UPDATE role SET scope = $1, updated_at = $2 WHERE id = $3",
			     db_text(body_str(req, "scope")), db_int(now), db_int(id));
	if (rc >= 0 && body_str(req, "description"))
		rc = db_exec(req->db, "UPDATE role SET description = $1, updated_at = $2 WHERE id = $3",
			     db_text(body_str(req, "description")), db_int(now), db_int(id));
	if (rc == DB_CONFLICT)
		return api_field_error(req, "name", "角色名称已存在");
	if (rc < 0)
		return api_db_error(req, rc);
	req_audit_object(req, "role", id);
	req->audit_detail = "修改角色";
	req->reply = account_store_role_json(req->db, id);
	return 0;
}

static int policy_get(struct request *req)
{
	struct security_policy p;
	int rc = policy_load(req->db, &p);

	if (rc < 0)
		return api_db_error(req, rc);
	req->reply = policy_to_json(&p);
	return 0;
}

static int policy_put(struct request *req)
{
	const char *field = NULL, *msg = NULL;
	char *changes;
	int rc = policy_update(req->db, req->json, &field, &msg);

	if (rc == -2)
		return api_field_error(req, field, msg);
	if (rc < 0)
		return api_db_error(req, rc);
	changes = json_dumps(req->json, JSON_COMPACT | JSON_SORT_KEYS);
	req->audit_detail = arena_printf(&req->arena, "修改安全策略 %s", changes ? changes : "");
	free(changes);
	req->audit_object_type = "policy";
	return policy_get(req);
}

static const struct body_field role_create_body[] = {
	{ "code", FIELD_STRING, 1, 2, 32, "角色代码", NULL, NULL },
	{ "name", FIELD_STRING, 1, 2, 50, "角色名称", NULL, NULL },
	{ "scope", FIELD_STRING, 1, 1, 16, "数据范围", NULL, scope_codes },
	{ "description", FIELD_STRING, 0, 0, 200, "说明", NULL, NULL },
	{ "permissions", FIELD_STRING_ARRAY, 1, 0, 200, "权限", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field role_update_body[] = {
	{ "name", FIELD_STRING, 0, 2, 50, "角色名称", NULL, NULL },
	{ "scope", FIELD_STRING, 0, 1, 16, "数据范围", NULL, scope_codes },
	{ "description", FIELD_STRING, 0, 0, 200, "说明", NULL, NULL },
	{ "permissions", FIELD_STRING_ARRAY, 0, 0, 200, "权限", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

#define WRITE (ROUTE_TX | ROUTE_AUDIT | ROUTE_JSON)

static const struct route role_routes[] = {
	{ HTTP_GET, "/api/v1/roles", roles_list, "role.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/permissions", permissions_list, "role.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/roles", roles_create, "role.manage", WRITE, role_create_body, "role.create" },
	{ HTTP_PATCH, "/api/v1/roles/{id}", roles_update, "role.manage", WRITE, role_update_body, "role.update" },
	{ HTTP_GET, "/api/v1/security/policy", policy_get, "security.manage", 0, NULL, NULL },
	{ HTTP_PUT, "/api/v1/security/policy", policy_put, "security.manage", WRITE, policy_body_fields,
	  "security.policy.update" },
};

const struct module role_module = { "role", role_routes, ARRAY_SIZE(role_routes) };
