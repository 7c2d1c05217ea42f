/*
 * /api/v1/users: list, read, create, edit, roles, lock/unlock, password
 * reset. Users are never deleted; they are disabled. Every target user must
 * be inside the caller's data scope. Password hashing (slow) happens before
 * the transaction, so these handlers open their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core/crypto.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "http/auth.h"
#include "http/router.h"
#include "core/banned.h"

#define INITIAL_PASSWORD_LEN 14

/* The target user must exist and sit inside the caller's scope. */
static int load_target(struct request *req, int64_t *id)
{
	char path[256];
	int rc;

	if (req_param_id(req, "id", id) < 0)
		return -1;
	rc = account_store_user_org_path(req->db, *id, path, sizeof(path));
	if (rc < 0)
		return api_db_error(req, rc);
	if (rc == DB_DONE)
		return api_error(req, "NOT_FOUND", "用户不存在", NULL);
	if (!session_can_see_path(req->session, path))
		return api_error(req, "OUT_OF_SCOPE", NULL, NULL);
	req_audit_object(req, "user", *id);
	return 0;
}

/* The org must exist, be active and be inside the caller's scope. */
static int check_org(struct request *req, int64_t org_id, struct org *org)
{
	int rc = org_store_get(req->db, org_id, org);

	if (rc < 0)
		return api_db_error(req, rc);
	if (rc == DB_DONE || strcmp(org->status, "active"))
		return api_field_error(req, "org_id", "所属机构不存在或已撤销");
	if (!session_can_see_path(req->session, org->path))
		return api_field_error(req, "org_id", "所属机构不在您的数据权限范围内");
	return 0;
}

/*
 * Separation of duties for a role set: known roles of the caller's tenant
 * or shared by the instance, at most one administrator role, administrator
 * roles only granted by the security administrator, business roles by
 * whoever manages users, the platform auditor's role never (command line).
 */
static int check_role_grant(struct request *req, json_t *role_ids)
{
	int can_admin = session_has_perm(req->session, "role.manage");
	int can_business = session_has_perm(req->session, "user.manage") || can_admin;
	int64_t tenant = session_tenant_id(req->session);
	struct role_info ri;
	int admins = 0, rc;
	size_t i;
	json_t *v;

	json_array_foreach (role_ids, i, v) {
		rc = account_store_role_info(req->db, json_integer_value(v), &ri);
		if (rc < 0)
			return api_db_error(req, rc);
		if (rc == DB_DONE)
			return api_field_error(req, "role_ids", "角色不存在");
		if (ri.tenant_id && ri.tenant_id != tenant)
			return api_field_error(req, "role_ids", "该角色属于其他单位(租户),不能授予本单位的用户");
		if (ri.platform)
			return api_error(req, "SEPARATION_OF_DUTIES", "平台审计管理员角色只能在服务器命令行授予", NULL);
		if (*ri.admin_kind) {
			admins++;
			if (!can_admin)
				return api_error(req, "SEPARATION_OF_DUTIES", "三员角色只能由安全管理员授予", NULL);
		} else if (!can_business) {
			return api_error(req, "FORBIDDEN", NULL, NULL);
		}
	}
	if (admins > 1)
		return api_error(req, "SEPARATION_OF_DUTIES", "系统管理员、安全管理员、审计管理员不能由同一账号兼任",
				 NULL);
	return 0;
}

static int reply_user(struct request *req, int64_t id, int status)
{
	req->reply = account_store_user_json(req->db, id);
	if (!req->reply)
		return api_error(req, "INTERNAL", NULL, NULL);
	req->status = status;
	return 0;
}

static int users_list(struct request *req)
{
	int64_t limit, offset, page, total, org_id = 0;
	const char *org = req_query(req, "org_id");
	json_t *items;
	int rc;

	req_paging(req, &limit, &offset, &page);
	if (org && parse_int64_cstr(org, &org_id) < 0)
		return api_field_error(req, "org_id", "机构编号应为整数");
	rc = account_store_user_list(req->db, session_scope_pattern(req), org_id, req_query(req, "q"),
				     req_query(req, "status"), limit, offset, &items, &total);
	if (rc < 0)
		return api_db_error(req, rc);
	req->reply = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			       (json_int_t)page, "page_size", (json_int_t)limit);
	return 0;
}

static int users_get(struct request *req)
{
	int64_t id;

	if (load_target(req, &id) < 0)
		return -1;
	return reply_user(req, id, 200);
}

static const char *check_username(const char *v)
{
	size_t i;

	for (i = 0; v[i]; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '.' ||
		      v[i] == '-'))
			return "用户名只能包含小写字母、数字、下划线、点和连字符";
	return NULL;
}

static int users_create(struct request *req)
{
	json_t *roles = json_object_get(req->json, "role_ids");
	char pw[INITIAL_PASSWORD_LEN + 1], hash[PASSWORD_HASH_MAX];
	struct org org;
	int64_t id;
	int rc;

	if (check_org(req, body_int(req, "org_id", 0), &org) < 0 || (roles && check_role_grant(req, roles) < 0))
		return -1;
	random_password(pw, INITIAL_PASSWORD_LEN);
	if (password_hash(pw, hash) < 0)
		return api_error(req, "INTERNAL", NULL, NULL);
	rc = db_begin(req->db, DB_TX_WRITE);
	if (rc == 0)
		rc = account_store_user_insert(req->db, body_str(req, "username"), body_str(req, "display_name"),
					       org.id, hash, 1, &id);
	if (rc == 0 && roles)
		rc = account_store_set_roles(req->db, id, roles);
	if (rc == 0) {
		req_audit_object(req, "user", id);
		req->audit_detail = arena_printf(&req->arena, "新建用户 %s(%s),所属“%s”", body_str(req, "username"),
						 body_str(req, "display_name"), org.name);
	}
	rc = router_commit_audited(req, rc);
	secure_wipe(hash, sizeof(hash));
	if (rc == DB_CONFLICT) {
		secure_wipe(pw, sizeof(pw));
		return api_field_error(req, "username", "用户名已存在");
	}
	if (rc < 0) {
		secure_wipe(pw, sizeof(pw));
		return api_db_error(req, rc);
	}
	rc = reply_user(req, id, 201);
	json_object_set_new(req->reply, "initial_password", json_string(pw));
	secure_wipe(pw, sizeof(pw));
	return rc;
}

static int users_update(struct request *req)
{
	struct org org;
	int64_t id, now = time_now();
	int rc = 0;

	if (load_target(req, &id) < 0)
		return -1;
	if (body_has(req, "org_id") && check_org(req, body_int(req, "org_id", 0), &org) < 0)
		return -1;
	if (body_str(req, "display_name"))
		rc = db_exec(req->db, "UPDATE app_user SET display_name = $1, updated_at = $2 WHERE id = $3",
			     db_text(body_str(req, "display_name")), db_int(now), db_int(id));
	if (rc == 0 && body_has(req, "org_id"))
		rc = db_exec(req->db, "UPDATE app_user SET org_id = $1, updated_at = $2 WHERE id = $3", db_int(org.id),
			     db_int(now), db_int(id));
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail =
	    body_has(req, "org_id") ? arena_printf(&req->arena, "修改用户信息,调至“%s”", org.name) : "修改用户信息";
	return reply_user(req, id, 200);
}

static int users_set_roles(struct request *req)
{
	json_t *roles = json_object_get(req->json, "role_ids");
	int64_t id;
	int rc;

	if (!session_has_perm(req->session, "user.manage") && !session_has_perm(req->session, "role.manage"))
		return api_error(req, "FORBIDDEN", NULL, NULL);
	if (load_target(req, &id) < 0)
		return -1;
	if (id == req->session->user_id)
		return api_error(req, "SEPARATION_OF_DUTIES", "不能修改自己的角色", NULL);
	if (check_role_grant(req, roles) < 0)
		return -1;
	/* Removing an administrator role is granting in reverse: same rule. */
	rc = db_query_int(req->db, &(int64_t){ 0 },
			  "SELECT 1 FROM user_role ur JOIN role r ON r.id = ur.role_id"
			  " WHERE ur.user_id = $1 AND r.admin_kind IS NOT NULL",
			  db_int(id));
	if (rc == DB_ROW && !session_has_perm(req->session, "role.manage"))
		return api_error(req, "SEPARATION_OF_DUTIES", "三员账号的角色只能由安全管理员调整", NULL);
	rc = db_query_int(req->db, &(int64_t){ 0 },
			  "SELECT 1 FROM user_role ur JOIN role_permission p ON p.role_id = ur.role_id"
			  " WHERE ur.user_id = $1 AND p.permission = $2",
			  db_int(id), db_text(PERM_AUDIT_ALL));
	if (rc == DB_ROW)
		return api_error(req, "SEPARATION_OF_DUTIES", "平台审计管理员的角色只能在服务器命令行调整", NULL);
	rc = account_store_set_roles(req->db, id, roles);
	if (rc == 0)
		rc = auth_end_user_sessions(req->db, id);
	if (rc < 0)
		return api_db_error(req, rc);
	{
		char *ids = json_dumps(roles, JSON_COMPACT);

		req->audit_detail = arena_printf(&req->arena, "设置用户角色为 %s", ids ? ids : "[]");
		free(ids);
	}
	return reply_user(req, id, 200);
}

static int set_status(struct request *req, const char *status, const char *detail)
{
	int64_t id;
	int rc;

	if (load_target(req, &id) < 0)
		return -1;
	if (id == req->session->user_id)
		return api_error(req, "INVALID_STATE", "不能锁定或停用自己的账号", NULL);
	rc = db_exec(
	    req->db,
	    "UPDATE app_user SET status = $1, failed_logins = 0, locked_until = 0, updated_at = $2 WHERE id = $3",
	    db_text(status), db_int(time_now()), db_int(id));
	if (rc == 0 && strcmp(status, "active"))
		rc = auth_end_user_sessions(req->db, id);
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_detail = detail;
	return reply_user(req, id, 200);
}

static int users_lock(struct request *req)
{
	return set_status(req, "locked", "锁定账号");
}

static int users_unlock(struct request *req)
{
	return set_status(req, "active", "解锁账号");
}

static int users_disable(struct request *req)
{
	return set_status(req, "disabled", "停用账号");
}

static int users_reset_password(struct request *req)
{
	char pw[INITIAL_PASSWORD_LEN + 1], hash[PASSWORD_HASH_MAX];
	int64_t id;
	int rc;

	if (load_target(req, &id) < 0)
		return -1;
	random_password(pw, INITIAL_PASSWORD_LEN);
	if (password_hash(pw, hash) < 0)
		return api_error(req, "INTERNAL", NULL, NULL);
	req->audit_detail = "重置密码(须在下次登录时修改)";
	rc = db_begin(req->db, DB_TX_WRITE);
	if (rc == 0)
		rc = account_store_set_password(req->db, id, hash, 1);
	if (rc == 0)
		rc = auth_end_user_sessions(req->db, id);
	rc = router_commit_audited(req, rc);
	secure_wipe(hash, sizeof(hash));
	if (rc < 0) {
		secure_wipe(pw, sizeof(pw));
		return api_db_error(req, rc);
	}
	rc = reply_user(req, id, 200);
	json_object_set_new(req->reply, "initial_password", json_string(pw));
	secure_wipe(pw, sizeof(pw));
	return rc;
}

static const struct body_field user_create_body[] = {
	{ "username", FIELD_STRING, 1, 3, 32, "用户名", check_username, NULL },
	{ "display_name", FIELD_STRING, 1, 1, 50, "姓名", NULL, NULL },
	{ "org_id", FIELD_INT, 1, 1, INT64_MAX, "所属机构", NULL, NULL },
	{ "role_ids", FIELD_INT_ARRAY, 0, 0, 20, "角色", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field user_update_body[] = {
	{ "display_name", FIELD_STRING, 0, 1, 50, "姓名", NULL, NULL },
	{ "org_id", FIELD_INT, 0, 1, INT64_MAX, "所属机构", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field user_roles_body[] = {
	{ "role_ids", FIELD_INT_ARRAY, 1, 0, 20, "角色", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

#define WRITE (ROUTE_TX | ROUTE_AUDIT)

static const struct route user_routes[] = {
	{ HTTP_GET, "/api/v1/users", users_list, "user.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/users/{id}", users_get, "user.read", 0, NULL, NULL },
	{ HTTP_POST, "/api/v1/users", users_create, "user.manage", ROUTE_AUDIT | ROUTE_JSON, user_create_body,
	  "user.create" },
	{ HTTP_PATCH, "/api/v1/users/{id}", users_update, "user.manage", WRITE | ROUTE_JSON, user_update_body,
	  "user.update" },
	{ HTTP_PUT, "/api/v1/users/{id}/roles", users_set_roles, NULL, WRITE | ROUTE_JSON, user_roles_body,
	  "user.roles" },
	{ HTTP_POST, "/api/v1/users/{id}/lock", users_lock, "user.manage", WRITE, NULL, "user.lock" },
	{ HTTP_POST, "/api/v1/users/{id}/unlock", users_unlock, "user.manage", WRITE, NULL, "user.unlock" },
	{ HTTP_POST, "/api/v1/users/{id}/disable", users_disable, "user.manage", WRITE, NULL, "user.disable" },
	{ HTTP_POST, "/api/v1/users/{id}/reset-password", users_reset_password, "user.manage", ROUTE_AUDIT, NULL,
	  "user.password.reset" },
};

const struct module user_module = { "user", user_routes, ARRAY_SIZE(user_routes) };
