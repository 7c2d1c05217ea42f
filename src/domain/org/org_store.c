/* SQL for orgs; see org.h. No HTTP here. */
#include <stdio.h>
#include <string.h>

#include "org.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "core/banned.h"

/* Paths longer than this are refused so every path fits struct org. */
#define ORG_MAX_PATH 200

#define ORG_COLUMNS                                                                                                    \
	"id, COALESCE(parent_id, 0), kind, name, COALESCE(short_name, ''), COALESCE(division_code, ''), sort_order, "  \
	"path, status, COALESCE(closed_reason, ''), created_at, updated_at"

static json_t *row_json(struct db_stmt *st)
{
	char created[26], updated[26];
	const char *kind_name = org_kind_name(db_col_text(st, 2));
	json_t *o;

	time_format_iso(db_col_int(st, 10), created);
	time_format_iso(db_col_int(st, 11), updated);
	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0), "kind",
		      db_col_text(st, 2), "kind_name", kind_name ? kind_name : "", "name", db_col_text(st, 3),
		      "short_name", db_col_text(st, 4), "division_code", db_col_text(st, 5), "sort_order",
		      (json_int_t)db_col_int(st, 6), "path", db_col_text(st, 7), "status", db_col_text(st, 8),
		      "created_at", created, "updated_at", updated);
	json_object_set_new(o, "parent_id", db_col_int(st, 1) ? json_integer(db_col_int(st, 1)) : json_null());
	if (*db_col_text(st, 9))
		json_object_set_new(o, "closed_reason", json_string(db_col_text(st, 9)));
	return o;
}

int org_store_get(struct db *db, int64_t id, struct org *out)
{
	struct db_stmt *st;
	int rc =
	    db_prepare(db, &st, "SELECT id, COALESCE(parent_id, 0), kind, name, path, status FROM org WHERE id = $1");

	if (rc < 0)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->parent_id = db_col_int(st, 1);
		snprintf(out->kind, sizeof(out->kind), "%s", db_col_text(st, 2));
		snprintf(out->name, sizeof(out->name), "%s", db_col_text(st, 3));
		snprintf(out->path, sizeof(out->path), "%s", db_col_text(st, 4));
		snprintf(out->status, sizeof(out->status), "%s", db_col_text(st, 5));
	}
	db_done(st);
	return rc;
}

json_t *org_store_get_json(struct db *db, int64_t id)
{
	struct db_stmt *st;
	json_t *o = NULL;

	if (db_prepare(db, &st, "SELECT " ORG_COLUMNS " FROM org WHERE id = $1") < 0)
		return NULL;
	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW)
		o = row_json(st);
	db_done(st);
	return o;
}

int org_store_list(struct db *db, const char *pattern, int active_only, json_t **out)
{
	struct db_stmt *st;
	int rc;

	rc = db_prepare(db, &st,
			"SELECT " ORG_COLUMNS " FROM org WHERE path LIKE $1 AND ($2 = 0 OR status = 'active')"
			" ORDER BY path");
	if (rc < 0)
		return rc;
	db_bind_text(st, 1, pattern);
	db_bind_int(st, 2, active_only);
	*out = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*out, row_json(st));
	db_done(st);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int org_store_pattern_is_everything(struct db *db, const char *pattern)
{
	struct db_stmt *st;
	size_t n = strlen(pattern);
	int rc, everything = 0;

	if (n < 2 || pattern[n - 1] != '%')
		return 0;
	rc = db_prepare(db, &st, "SELECT COUNT(*), MIN(path) FROM org WHERE parent_id IS NULL");
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW && db_col_int(st, 0) == 1) {
		const char *root = db_col_text(st, 1);

		everything = strlen(root) == n - 1 && !strncmp(root, pattern, n - 1);
	}
	db_done(st);
	return rc < 0 ? rc : everything;
}

int org_store_insert(struct db *db, int64_t parent_id, const char *kind, const char *name, const char *short_name,
		     const char *division_code, int64_t sort_order, int64_t *id)
{
	struct org parent;
	char path[300];
	int64_t now = time_now();
	struct db_stmt *st;
	int rc;

	if (parent_id) {
		rc = org_store_get(db, parent_id, &parent);
		if (rc != DB_ROW)
			return rc < 0 ? rc : DB_INVALID_REF;
		if (strlen(parent.path) > ORG_MAX_PATH)
			return DB_CONSTRAINT; /* the tree is deeper than any real one */
	}
	rc = db_prepare(db, &st,
			"INSERT INTO org (parent_id, kind, name, short_name, division_code, sort_order, created_at,"
			" updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)");
	if (rc < 0)
		return rc;
	if (parent_id)
		db_bind_int(st, 1, parent_id);
	else
		db_bind_null(st, 1);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, short_name && *short_name ? short_name : NULL);
	db_bind_text(st, 5, division_code && *division_code ? division_code : NULL);
	db_bind_int(st, 6, sort_order);
	db_bind_int(st, 7, now);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	*id = db_last_insert_id(db);
	snprintf(path, sizeof(path), "%s%lld/", parent_id ? parent.path : "/", (long long)*id);
	return db_exec(db, "UPDATE org SET path = $1 WHERE id = $2", db_text(path), db_int(*id));
}

int org_store_move(struct db *db, const struct org *org, const struct org *new_parent)
{
	char new_path[300], like[300];
	size_t old_len = strlen(org->path);
	int64_t now = time_now();
	int rc;

	if (strlen(new_parent->path) > ORG_MAX_PATH)
		return DB_CONSTRAINT;
	snprintf(new_path, sizeof(new_path), "%s%lld/", new_parent->path, (long long)org->id);
	snprintf(like, sizeof(like), "%s%%", org->path);
	rc = db_exec(db, "UPDATE org SET parent_id = $1, updated_at = $2 WHERE id = $3", db_int(new_parent->id),
		     db_int(now), db_int(org->id));
	if (rc < 0)
		return rc;
	/* Every path in the subtree starts with the old path: swap that prefix. */
	return db_exec(db, "UPDATE org SET path = $1 || SUBSTR(path, $2) WHERE path LIKE $3", db_text(new_path),
		       db_int(old_len + 1), db_text(like));
}

int org_store_count_active_children(struct db *db, int64_t id, int64_t *n)
{
	int rc = db_query_int(db, n, "SELECT COUNT(*) FROM org WHERE parent_id = $1 AND status = 'active'", db_int(id));

	return rc < 0 ? rc : 0;
}

int org_store_count_active_users(struct db *db, int64_t id, int64_t *n)
{
	int rc =
	    db_query_int(db, n, "SELECT COUNT(*) FROM app_user WHERE org_id = $1 AND status <> 'disabled'", db_int(id));

	return rc < 0 ? rc : 0;
}
