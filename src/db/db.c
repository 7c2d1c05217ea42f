/*
 * Backend-independent helpers of db.h: format-driven binding and
 * single-value queries, SQLSTATE names for the error enum.
 */
#include "db.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

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
