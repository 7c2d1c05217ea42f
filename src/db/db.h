/*
 * The storage interface. Everything above src/db/ talks to the database
 * through these calls only; no other file includes <sqlite3.h> or
 * <libpq-fe.h>. SQL text uses PostgreSQL-style $1..$n placeholders and the
 * portable subset of SQL shared by SQLite and PostgreSQL.
 *
 * A struct db is one connection, used by one thread at a time (the HTTP
 * server gives each worker its own). Statements come from a per-connection
 * cache keyed by the SQL text: db_prepare returns a reset statement, the
 * caller binds, steps, and calls db_done when finished with it.
 *
 * Errors: calls return 0 (or DB_ROW/DB_DONE from db_step) on success and a
 * negative enum db_err on failure; db_errmsg gives the backend's English text
 * for the log (never shown to users).
 */
#ifndef FAZHI_DB_DB_H
#define FAZHI_DB_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_err {
	DB_OK = 0,
	DB_ROW = 1,            /* db_step: a row is available */
	DB_DONE = 2,           /* db_step: no more rows */
	DB_ERROR = -1,         /* anything else (SQLSTATE class XX) */
	DB_CONFLICT = -2,      /* unique violation (23505) */
	DB_INVALID_REF = -3,   /* foreign key violation (23503) */
	DB_CONSTRAINT = -4,    /* check / not-null violation (23514, 23502) */
	DB_BUSY = -5,          /* lock timeout, database busy or read-only (55P03/57P03) */
	DB_READONLY = -6,      /* write refused: read-only file or disk full (53100) */
};

enum db_tx { DB_TX_READ, DB_TX_WRITE };

/*
 * Open a connection. `target` is a file path (SQLite). Applies the
 * connection settings (WAL, synchronous=FULL, foreign keys, secure_delete,
 * busy timeout). On failure writes a message into err and returns -1.
 */
int db_open(struct db **out, const char *target, char *err, size_t errlen);
void db_close(struct db *db);

/* Run one or more statements without parameters (migrations, pragmas). */
int db_exec_script(struct db *db, const char *sql);

/* Transactions. DB_TX_WRITE takes the write lock at once (BEGIN IMMEDIATE). */
int db_begin(struct db *db, enum db_tx kind);
int db_commit(struct db *db);
void db_rollback(struct db *db);
int db_in_transaction(struct db *db);

/* Prepare (or fetch from the cache) a statement for `sql`, reset, unbound. */
int db_prepare(struct db *db, struct db_stmt **out, const char *sql);
/* Bind $n (1-based). Text is copied by the backend. */
int db_bind_int(struct db_stmt *st, int n, int64_t v);
int db_bind_text(struct db_stmt *st, int n, const char *s); /* NULL binds NULL */
int db_bind_textn(struct db_stmt *st, int n, const char *s, size_t len);
int db_bind_blob(struct db_stmt *st, int n, const void *p, size_t len);
int db_bind_null(struct db_stmt *st, int n);
/* DB_ROW, DB_DONE or a negative enum db_err. */
int db_step(struct db_stmt *st);
/* Column access for the current row (0-based). Text stays valid until the
 * next db_step/db_done on this statement. */
int db_col_is_null(struct db_stmt *st, int col);
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col); /* "" for NULL */
const void *db_col_blob(struct db_stmt *st, int col, size_t *len);
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int col);
/* Release the statement back to the cache. Always call it. */
void db_done(struct db_stmt *st);

/* Rows changed by the last INSERT/UPDATE/DELETE, and the last inserted id. */
int64_t db_changes(struct db *db);
int64_t db_last_insert_id(struct db *db);

/* Backend message for the last error (for logs). */
const char *db_errmsg(struct db *db);
/* SQLSTATE-style code for an enum db_err ("23505", ...). */
const char *db_err_sqlstate(int err);

/*
 * Convenience: prepare, bind the given parameters, step once. The format
 * has one letter per parameter: 'i' int64_t (cast ints!), 't' const char *
 * (NULL binds NULL). The macros below check at compile time that the format
 * is a literal with exactly as many letters as there are arguments.
 *   db_execf(db, "ti", "UPDATE x SET a = $1 WHERE id = $2", name, id)
 * returns 0 or a negative enum db_err.
 */
int db_execf_(struct db *db, const char *fmt, const char *sql, ...);
/*
 * Single-value queries: the first column of the first row. Return DB_ROW when
 * a row exists, DB_DONE when none, negative on error.
 */
int db_query_int_(struct db *db, int64_t *out, const char *fmt, const char *sql, ...);
/* Text result copied into out (cut to outlen-1). */
int db_query_text_(struct db *db, char *out, size_t outlen, const char *fmt, const char *sql, ...);
/* Bind $1..$n of a prepared statement from a format and arguments. */
int db_bindf_(struct db_stmt *st, const char *fmt, ...);

#define DB_NARGS(...) DB_NARGS_(__VA_ARGS__, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define DB_NARGS_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, n, ...) n
/* `extra` counts the non-parameter arguments that are in __VA_ARGS__ too. */
#define DB_CHECK_FMT(fmt, extra, ...)                                                                        \
	((void)sizeof(struct {                                                                               \
		_Static_assert(sizeof(fmt) - 1 + (extra) == DB_NARGS(__VA_ARGS__),                           \
			       "db: format letters and arguments differ");                                   \
		int unused;                                                                                  \
	}))
#define db_execf(db, fmt, ...) (DB_CHECK_FMT(fmt, 1, __VA_ARGS__), db_execf_(db, fmt, __VA_ARGS__))
#define db_query_int(db, out, fmt, ...) (DB_CHECK_FMT(fmt, 1, __VA_ARGS__), db_query_int_(db, out, fmt, __VA_ARGS__))
#define db_query_text(db, out, outlen, fmt, ...)                                                             \
	(DB_CHECK_FMT(fmt, 1, __VA_ARGS__), db_query_text_(db, out, outlen, fmt, __VA_ARGS__))
#define db_bindf(st, fmt, ...) (DB_CHECK_FMT(fmt, 0, __VA_ARGS__), db_bindf_(st, fmt, __VA_ARGS__))

/* Online backup of the open database into a new file at `path`. */
int db_backup(struct db *db, const char *path, char *err, size_t errlen);

/* Backend-specific pieces the migrator needs. */
const char *db_backend_name(struct db *db); /* "sqlite" | "pg" */

#endif
