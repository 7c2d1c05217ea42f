/*
 * Backend-independent helpers of db.h: format-driven binding and
 * single-value queries, SQLSTATE names for the error enum.
 */
#include "db.h"

#include <stdarg.h>
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
		{ DB_BUSY, "55P03" },     { DB_READONLY, "53100" },
	};
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].err == err)
			return states[i].state;
	return err < 0 ? "XX000" : "00000";
}

static int bind_va(struct db_stmt *st, const char *fmt, va_list ap)
{
	int n, rc = 0;

	for (n = 1; fmt && fmt[n - 1] && rc == 0; n++) {
		switch (fmt[n - 1]) {
		case 'i':
			rc = db_bind_int(st, n, va_arg(ap, int64_t));
			break;
		case 't':
			rc = db_bind_text(st, n, va_arg(ap, const char *));
			break;
		default:
			rc = DB_ERROR;
		}
	}
	return rc;
}

int db_bindf_(struct db_stmt *st, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = bind_va(st, fmt, ap);
	va_end(ap);
	return rc;
}

static int prepare_bound(struct db *db, struct db_stmt **st, const char *fmt, const char *sql, va_list ap)
{
	int rc = db_prepare(db, st, sql);

	if (rc < 0)
		return rc;
	rc = bind_va(*st, fmt, ap);
	if (rc < 0) {
		db_done(*st);
		return rc;
	}
	return 0;
}

int db_execf_(struct db *db, const char *fmt, const char *sql, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, sql);
	rc = prepare_bound(db, &st, fmt, sql, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int db_query_int_(struct db *db, int64_t *out, const char *fmt, const char *sql, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, sql);
	rc = prepare_bound(db, &st, fmt, sql, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	return rc;
}

int db_query_text_(struct db *db, char *out, size_t outlen, const char *fmt, const char *sql, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, sql);
	rc = prepare_bound(db, &st, fmt, sql, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(out, outlen, "%s", db_col_text(st, 0));
	db_done(st);
	return rc;
}
