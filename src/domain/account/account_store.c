/* SQL for users and roles; see account.h. No HTTP here. */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "core/banned.h"

static int read_auth(struct db_stmt *st, struct user_auth *u)
{
	int rc = db_step(st);

	if (rc == DB_ROW) {
		u->id = db_col_int(st, 0);
		u->org_id = db_col_int(st, 1);
		snprintf(u->username, sizeof(u->username), "%s", db_col_text(st, 2));
		snprintf(u->password_hash, sizeof(u->password_hash), "%s", db_col_text(st, 3));
		snprintf(u->status, sizeof(u->status), "%s", db_col_text(st, 4));
		u->failed_logins = db_col_int(st, 5);
		u->locked_until = db_col_int(st, 6);
		u->must_change = (int)db_col_int(st, 7);
	}
	db_done(st);
	return rc;
}

#define AUTH_COLUMNS "id, org_id, username, password_hash, status, failed_logins, locked_until, must_change"

int account_store_user_auth(struct db *db, const char *username, struct user_auth *u)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st, "SELECT " AUTH_COLUMNS " FROM app_user WHERE username = $1");

	if (rc < 0)
		return rc;
	db_bind_text(st, 1, username);
	return read_auth(st, u);
}

int account_store_user_auth_by_id(struct db *db, int64_t id, struct user_auth *u)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st, "SELECT " AUTH_COLUMNS " FROM app_user WHERE id = $1");

	if (rc < 0)
		return rc;
	db_bind_int(st, 1, id);
	return read_auth(st, u);
}

static json_t *user_roles(struct db *db, int64_t id)
{
	struct db_stmt *st;
	json_t *a = json_array();

	if (db_prepare(db, &st,
		       "SELECT r.id, r.code, r.name FROM user_role ur JOIN role r ON r.id = ur.role_id"
		       " WHERE ur.user_id = $1 ORDER BY r.id") < 0)
		return a;
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(a, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0), "code",
						   db_col_text(st, 1), "name", db_col_text(st, 2)));
	db_done(st);
	return a;
}

#define USER_COLUMNS                                                                                                   \
	"u.id, u.username, u.display_name, u.org_id, o.name, u.status, u.locked_until, u.must_change,"                 \
	" COALESCE(u.last_login_at, 0), u.created_at, u.failed_logins"

static json_t *user_row(struct db_stmt *st)
{
	char created[26], last[26], until[26];
	int64_t now = time_now(), locked_until = db_col_int(st, 6);
	json_t *o;

	time_format_iso(db_col_int(st, 9), created);
	o = json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:b,s:b,s:s,s:I}", "id", (json_int_t)db_col_int(st, 0), "username",
		      db_col_text(st, 1), "display_name", db_col_text(st, 2), "org_id", (json_int_t)db_col_int(st, 3),
		      "org_name", db_col_text(st, 4), "status", db_col_text(st, 5), "locked_out", locked_until > now,
		      "must_change_password", (int)db_col_int(st, 7), "created_at", created, "failed_logins",
		      (json_int_t)db_col_int(st, 10));
	if (locked_until > now) {
		time_format_iso(locked_until, until);
		json_object_set_new(o, "locked_until", json_string(until));
	}
	if (db_col_int(st, 8)) {
		time_format_iso(db_col_int(st, 8), last);
		json_object_set_new(o, "last_login_at", json_string(last));
	} else {
		json_object_set_new(o, "last_login_at", json_null());
	}
	return o;
}

json_t *account_store_user_json(struct db *db, int64_t id)
{
	struct db_stmt *st;
	json_t *o = NULL;

	if (db_prepare(db, &st,
		       "SELECT " USER_COLUMNS " FROM app_user u JOIN org o ON o.id = u.org_id WHERE u.id = $1") < 0)
		return NULL;
	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW)
		o = user_row(st);
	db_done(st);
	if (o)
		json_object_set_new(o, "roles", user_roles(db, id));
	return o;
}

int account_store_user_org_path(struct db *db, int64_t id, char *path, size_t pathlen)
{
	return db_query_text(db, path, pathlen,
			     "SELECT o.path FROM app_user u JOIN org o ON o.id = u.org_id WHERE u.id = $1", db_int(id));
}

#define USER_WHERE                                                                                                     \
	" FROM app_user u JOIN org o ON o.id = u.org_id"                                                               \
	" WHERE o.path LIKE $1 AND ($2 = 0 OR u.org_id = $2)"                                                          \
	" AND ($3 = '' OR u.username LIKE '%' || $3 || '%' OR u.display_name LIKE '%' || $3 || '%')"                   \
	" AND ($4 = '' OR u.status = $4)"

int account_store_user_list(struct db *db, const char *scope_pattern, int64_t org_id, const char *q, const char *status,
			    int64_t limit, int64_t offset, json_t **items, int64_t *total)
{
	struct db_stmt *st;
	int rc;
	int64_t i;

	rc = db_prepare(db, &st, "SELECT COUNT(*)" USER_WHERE);
	if (rc < 0)
		return rc;
	db_bind(st, db_text(scope_pattern), db_int(org_id), db_text(q ? q : ""), db_text(status ? status : ""));
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return rc;
	rc = db_prepare(db, &st, "SELECT " USER_COLUMNS USER_WHERE " ORDER BY o.path, u.id LIMIT $5 OFFSET $6");
	if (rc < 0)
		return rc;
	db_bind(st, db_text(scope_pattern), db_int(org_id), db_text(q ? q : ""), db_text(status ? status : ""),
		db_int(limit), db_int(offset));
	*items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*items, user_row(st));
	db_done(st);
	if (rc < 0)
		return rc;
	for (i = 0; i < (int64_t)json_array_size(*items); i++) {
		json_t *u = json_array_get(*items, (size_t)i);

		json_object_set_new(u, "roles", user_roles(db, json_integer_value(json_object_get(u, "id"))));
	}
	return 0;
}

int account_store_user_insert(struct db *db, const char *username, const char *display_name, int64_t org_id,
			      const char *password_hash, int must_change, int64_t *id)
{
	int64_t now = time_now();
	int rc = db_exec(db,
			 "INSERT INTO app_user (username, display_name, org_id, password_hash, must_change,"
			 " password_changed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
			 db_text(username), db_text(display_name), db_int(org_id), db_text(password_hash),
			 db_int(must_change), db_int(now), db_int(now));

	if (rc < 0)
		return rc;
	*id = db_last_insert_id(db);
	return 0;
}

int account_store_set_password(struct db *db, int64_t id, const char *password_hash, int must_change)
{
	int64_t now = time_now();

	return db_exec(db,
		       "UPDATE app_user SET password_hash = $1, must_change = $2, password_changed_at = $3,"
		       " failed_logins = 0, locked_until = 0, updated_at = $4 WHERE id = $5",
		       db_text(password_hash), db_int(must_change), db_int(now), db_int(now), db_int(id));
}

int account_store_set_roles(struct db *db, int64_t user_id, json_t *role_ids)
{
	size_t i;
	json_t *v;
	int rc = db_exec(db, "DELETE FROM user_role WHERE user_id = $1", db_int(user_id));

	json_array_foreach (role_ids, i, v) {
		if (rc < 0)
			break;
		rc = db_exec(db, "INSERT INTO user_role (user_id, role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
			     db_int(user_id), db_int(json_integer_value(v)));
	}
	return rc;
}

int account_store_role_info(struct db *db, int64_t role_id, struct role_info *ri)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st,
			    "SELECT COALESCE(admin_kind, ''), builtin, COALESCE(tenant_id, 0),"
			    " (SELECT COUNT(*) FROM role_permission p WHERE p.role_id = role.id AND p.permission = $2)"
			    " FROM role WHERE id = $1");

	if (rc < 0)
		return rc;
	db_bind(st, db_int(role_id), db_text(PERM_AUDIT_ALL));
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(ri->admin_kind, sizeof(ri->admin_kind), "%s", db_col_text(st, 0));
		ri->builtin = (int)db_col_int(st, 1);
		ri->tenant_id = db_col_int(st, 2);
		ri->platform = db_col_int(st, 3) > 0;
	}
	db_done(st);
	return rc;
}

static json_t *role_perms(struct db *db, int64_t id)
{
	struct db_stmt *st;
	json_t *a = json_array();

	if (db_prepare(db, &st, "SELECT permission FROM role_permission WHERE role_id = $1 ORDER BY permission") < 0)
		return a;
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(a, json_string(db_col_text(st, 0)));
	db_done(st);
	return a;
}

#define ROLE_COLUMNS "id, code, name, scope, COALESCE(admin_kind, ''), builtin, description, tenant_id"

static json_t *role_row(struct db *db, struct db_stmt *st)
{
	const char *sn = scope_name(db_col_text(st, 3));
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:s}", "id", (json_int_t)db_col_int(st, 0), "code",
			      db_col_text(st, 1), "name", db_col_text(st, 2), "scope", db_col_text(st, 3), "scope_name",
			      sn ? sn : "", "builtin", (int)db_col_int(st, 5), "description", db_col_text(st, 6));

	json_object_set_new(o, "admin_kind", *db_col_text(st, 4) ? json_string(db_col_text(st, 4)) : json_null());
	json_object_set_new(o, "permissions", role_perms(db, db_col_int(st, 0)));
	/* null: shared by the whole instance (read-only for a tenant's administrators) */
	json_object_set_new(o, "tenant_id", db_col_is_null(st, 7) ? json_null() : json_integer(db_col_int(st, 7)));
	return o;
}

json_t *account_store_role_json(struct db *db, int64_t id)
{
	struct db_stmt *st;
	json_t *o = NULL;

	if (db_prepare(db, &st, "SELECT " ROLE_COLUMNS " FROM role WHERE id = $1") < 0)
		return NULL;
	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW)
		o = role_row(db, st);
	db_done(st);
	return o;
}

int account_store_role_list(struct db *db, int64_t tenant_id, json_t **items)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st,
			    "SELECT " ROLE_COLUMNS " FROM role WHERE tenant_id IS NULL OR tenant_id = $1"
			    " ORDER BY builtin DESC, id");

	if (rc < 0)
		return rc;
	db_bind_int(st, 1, tenant_id);
	*items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*items, role_row(db, st));
	db_done(st);
	return rc < 0 ? rc : 0;
}

int account_store_role_set_perms(struct db *db, int64_t role_id, json_t *perms)
{
	size_t i;
	json_t *v;
	int rc = db_exec(db, "DELETE FROM role_permission WHERE role_id = $1", db_int(role_id));

	json_array_foreach (perms, i, v) {
		if (rc < 0)
			break;
		rc = db_exec(db,
			     "INSERT INTO role_permission (role_id, permission) VALUES ($1, $2)"
			     " ON CONFLICT DO NOTHING",
			     db_int(role_id), db_text(json_string_value(v)));
	}
	return rc;
}

int account_store_role_id(struct db *db, const char *code, int64_t *id)
{
	return db_query_int(db, id, "SELECT id FROM role WHERE code = $1 AND tenant_id IS NULL", db_text(code));
}

int account_store_seed_roles(struct db *db)
{
	const struct builtin_role *r;
	int64_t now = time_now(), id;
	int rc = db_begin(db, DB_TX_WRITE);

	for (r = builtin_roles; r->code && rc >= 0; r++) {
		const char *const *p;

		/* Built-in roles are the instance's shared rows (tenant_id NULL):
		 * codes are unique per tenant on PostgreSQL, so no ON CONFLICT (code). */
		rc = account_store_role_id(db, r->code, &id);
		if (rc == DB_ROW)
			rc = db_exec(db, "UPDATE role SET name = $1, admin_kind = $2, builtin = 1 WHERE id = $3",
				     db_text(r->name), db_text(r->admin_kind), db_int(id));
		else if (rc == DB_DONE)
			rc = db_exec(db,
				     "INSERT INTO role (code, name, scope, admin_kind, builtin, description, created_at,"
				     " updated_at) VALUES ($1, $2, $3, $4, 1, $5, $6, $6)",
				     db_text(r->code), db_text(r->name), db_text(r->scope), db_text(r->admin_kind),
				     db_text(r->description), db_int(now));
		if (rc < 0 || (rc = account_store_role_id(db, r->code, &id)) < 0)
			break;
		/* Administrator roles always carry exactly their catalogue
		 * permissions; business roles get theirs added, keeping local edits. */
		if (r->admin_kind)
			rc = db_exec(db, "DELETE FROM role_permission WHERE role_id = $1", db_int(id));
		for (p = r->perms; *p && rc >= 0; p++)
			rc = db_exec(db,
				     "INSERT INTO role_permission (role_id, permission) VALUES ($1, $2)"
				     " ON CONFLICT DO NOTHING",
				     db_int(id), db_text(*p));
	}
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
