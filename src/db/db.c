/*
 * Backend-independent helpers of db.h: format-driven binding and
 * single-value queries, SQLSTATE names for the error enum.
 */
#include "db_backend.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

/* ===== dispatch to the backend ===== */

int db_is_url(const char *target)
{
	return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11);
}

int db_open(struct db **out, const char *target, char *err, size_t errlen)
{
	if (db_is_url(target))
		return db_pg_open(out, target, err, errlen);
	return db_sqlite_open(out, target, err, errlen);
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

const char *db_backend_name(struct db *db)
{
	return db->ops->name;
}

/* Count failures of unavailable storage (see db_unavailable_count); returns rc. */
static int note(struct db *db, int rc)
{
	if (rc == DB_BUSY || rc == DB_READONLY)
		db->unavailable++;
	return rc;
}

unsigned db_unavailable_count(struct db *db)
{
	return db->unavailable;
}

int db_exec_script(struct db *db, const char *sql)
{
	int rc;

	db_watch_statement(db, sql, 1);
	rc = note(db, db->ops->exec_script(db, sql));
	db_watch_settle(db);
	return rc;
}

int db_begin(struct db *db, enum db_tx kind)
{
	return note(db, db->ops->begin(db, kind));
}

int db_commit(struct db *db)
{
	int rc = note(db, db->ops->commit(db));

	db_watch_settle(db);
	return rc;
}

void db_rollback(struct db *db)
{
	db->ops->rollback(db);
	db_watch_settle(db);
}

int db_in_transaction(struct db *db)
{
	return db->ops->in_transaction(db);
}

/*
 * A request's savepoint inside a group commit: two statements per write
 * request (three when it fails), so they are prepared once per connection
 * like any other statement rather than parsed on each use (db_exec_script).
 */
int db_savepoint(struct db *db)
{
	return db_exec_args(db, "SAVEPOINT request", 0, NULL);
}

int db_release(struct db *db)
{
	return db_exec_args(db, "RELEASE SAVEPOINT request", 0, NULL);
}

int db_rollback_to(struct db *db)
{
	int rc = db_exec_args(db, "ROLLBACK TO SAVEPOINT request", 0, NULL);

	return rc < 0 ? rc : db_release(db);
}

int db_reset_busy(struct db *db)
{
	return db->ops->reset_busy(db);
}

int db_prepare(struct db *db, struct db_stmt **out, const char *sql)
{
	db_watch_statement(db, sql, 0);
	return note(db, db->ops->prepare(db, out, sql));
}

int db_bind_int(struct db_stmt *st, int n, int64_t v)
{
	return st->ops->bind_int(st, n, v);
}

int db_bind_textn(struct db_stmt *st, int n, const char *s, size_t len)
{
	return st->ops->bind_textn(st, n, s, len);
}

int db_bind_text(struct db_stmt *st, int n, const char *s)
{
	return st->ops->bind_textn(st, n, s, s ? strlen(s) : 0);
}

int db_bind_blob(struct db_stmt *st, int n, const void *p, size_t len)
{
	return st->ops->bind_blob(st, n, p, len);
}

int db_bind_null(struct db_stmt *st, int n)
{
	return st->ops->bind_null(st, n);
}

int db_step(struct db_stmt *st)
{
	return note(st->db, st->ops->step(st));
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return st->ops->col_is_null(st, col);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st->ops->col_int(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return st->ops->col_text(st, col);
}

const void *db_col_blob(struct db_stmt *st, int col, size_t *len)
{
	return st->ops->col_blob(st, col, len);
}

int db_col_count(struct db_stmt *st)
{
	return st->ops->col_count(st);
}

const char *db_col_name(struct db_stmt *st, int col)
{
	return st->ops->col_name(st, col);
}

void db_done(struct db_stmt *st)
{
	struct db *db;

	if (!st)
		return;
	db = st->db;
	st->ops->done(st);
	db_watch_settle(db);
}

int64_t db_changes(struct db *db)
{
	return db->ops->changes(db);
}

int64_t db_last_insert_id(struct db *db)
{
	return db->ops->last_insert_id(db);
}

const char *db_errmsg(struct db *db)
{
	return db->ops->errmsg(db);
}

int db_backup(struct db *db, const char *path, char *err, size_t errlen)
{
	return db->ops->backup(db, path, err, errlen);
}

/* ===== errors ===== */

const char *db_err_sqlstate(int err)
{
	static const struct {
		int err;
		const char *state;
	} states[] = {
		{ DB_CONFLICT, "23505" }, { DB_INVALID_REF, "23503" }, { DB_CONSTRAINT, "23514" },
		{ DB_BUSY, "55P03" },	  { DB_READONLY, "53100" },
	};
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].err == err)
			return states[i].state;
	return err < 0 ? "XX000" : "00000";
}

int db_bind_args(struct db_stmt *st, size_t n, const struct db_arg *args)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		rc = args[i].type == 'i' ? db_bind_int(st, (int)i + 1, args[i].i)
					 : db_bind_text(st, (int)i + 1, args[i].s);
	return rc;
}

static int prepare_bound(struct db *db, struct db_stmt **st, const char *sql, size_t n, const struct db_arg *args)
{
	int rc = db_prepare(db, st, sql);

	if (rc < 0)
		return rc;
	rc = db_bind_args(*st, n, args);
	if (rc < 0) {
		db_done(*st);
		return rc;
	}
	return 0;
}

int db_exec_args(struct db *db, const char *sql, size_t n, const struct db_arg *args)
{
	struct db_stmt *st;
	int rc = prepare_bound(db, &st, sql, n, args);

	if (rc < 0)
		return rc;
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int db_query_int_args(struct db *db, int64_t *out, const char *sql, size_t n, const struct db_arg *args)
{
	struct db_stmt *st;
	int rc = prepare_bound(db, &st, sql, n, args);

	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	return rc;
}

int db_query_text_args(struct db *db, char *out, size_t outlen, const char *sql, size_t n, const struct db_arg *args)
{
	struct db_stmt *st;
	int rc = prepare_bound(db, &st, sql, n, args);

	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(out, outlen, "%s", db_col_text(st, 0));
	db_done(st);
	return rc;
}
