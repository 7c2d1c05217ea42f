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

/*
 * DB_TX_READ: one snapshot for every statement until it ends (SQLite: a
 * deferred BEGIN, the snapshot taken at the first read; PostgreSQL:
 * REPEATABLE READ READ ONLY, so a write in it fails).
 * DB_TX_WRITE_LAZY: a write transaction whose commit does not wait for the
 * disk (SQLite: synchronous=NORMAL for that commit, the WAL is flushed by
 * the next ordinary commit or checkpoint; PostgreSQL: synchronous_commit
 * off). A crash may lose it, never a transaction committed after it. Only
 * for bookkeeping whose loss is harmless (a session's last_seen).
 */
enum db_tx { DB_TX_READ, DB_TX_WRITE, DB_TX_WRITE_LAZY };

/*
 * Open a connection: `target` is a file path (SQLite) or a postgresql:// URL
 * (PostgreSQL, see db_pg.c). For SQLite applies the
 * connection settings (WAL, synchronous=FULL, foreign keys, secure_delete,
 * busy timeout). On failure writes a message into err and returns -1.
 */
int db_open(struct db **out, const char *target, char *err, size_t errlen);
/* True when target is a PostgreSQL URL (postgresql://… or postgres://…) rather than a file. */
int db_is_url(const char *target);
void db_close(struct db *db);

/* Run one or more statements without parameters (migrations, pragmas). */
int db_exec_script(struct db *db, const char *sql);

/* Transactions. DB_TX_WRITE(_LAZY) takes the write lock at once (BEGIN IMMEDIATE). */
int db_begin(struct db *db, enum db_tx kind);
int db_commit(struct db *db);
void db_rollback(struct db *db);
int db_in_transaction(struct db *db);
/*
 * Savepoints inside a write transaction, one per request of a group commit
 * (router.c): db_savepoint opens it, db_release keeps its changes,
 * db_rollback_to drops them (and releases it). Same on both backends.
 */
int db_savepoint(struct db *db);
int db_release(struct db *db);
int db_rollback_to(struct db *db);
/*
 * Reset (and log) statements stepped but never finished with db_done: such a
 * statement keeps a read snapshot open, so its connection would go on seeing
 * old data. Returns how many there were (0 when the code is right).
 */
int db_reset_busy(struct db *db);

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

/*
 * How many calls on this connection failed because the storage was
 * unavailable (DB_BUSY, DB_READONLY), ever: the router compares it before and
 * after a request and answers 503 UNAVAILABLE for a request that met one,
 * whatever error a handler made of the failure (a missing row, a refusal).
 */
unsigned db_unavailable_count(struct db *db);

/*
 * Write watch (db_watch.c): a process-wide generation number that moves
 * whenever any connection of this process writes one of the watched tables
 * (when the writing statement is prepared, and again when its transaction
 * ends). A cache of rows from those tables notes the generation before it
 * reads them and trusts its copy only while the generation is unchanged.
 * Writes made by other processes are not seen. db_watch_tables takes a
 * NULL-terminated list that must outlive the process; call it before
 * other threads use the database. db_watch_ignore(db, 1) makes this
 * connection's writes not count until db_watch_ignore(db, 0), for
 * bookkeeping the cache tracks itself (a session's last_seen).
 */
void db_watch_tables(const char *const *tables);
uint64_t db_watch_generation(void);
void db_watch_ignore(struct db *db, int on);

/* Backend message for the last error (for logs). */
const char *db_errmsg(struct db *db);
/* SQLSTATE-style code for an enum db_err ("23505", ...). */
const char *db_err_sqlstate(int err);

/*
 * Typed parameters for the convenience calls below: db_int(v) for an
 * int64_t, db_text(s) for a string (NULL binds NULL). Each wraps one value
 * in a struct db_arg, so the compiler checks every argument's type.
 */
struct db_arg {
	char type; /* 'i' or 't' */
	int64_t i;
	const char *s;
};

static inline struct db_arg db_int(int64_t v)
{
	struct db_arg a = { 'i', v, NULL };

	return a;
}

static inline struct db_arg db_text(const char *s)
{
	struct db_arg a = { 't', 0, s };

	return a;
}

/* n args from a compound literal; a leading dummy keeps empty lists legal. */
#define DB_ARGS(...)                                                                                          \
	sizeof((struct db_arg[]){ { 0, 0, NULL }, __VA_ARGS__ }) / sizeof(struct db_arg) - 1,                \
		(struct db_arg[]){ { 0, 0, NULL }, __VA_ARGS__ } + 1

/* Bind args to $1..$n of a prepared statement. */
int db_bind_args(struct db_stmt *st, size_t n, const struct db_arg *args);
/* Prepare, bind, step once: db_exec(db, "UPDATE x SET a = $1 WHERE id = $2", db_text(a), db_int(id)).
 * Returns 0 or a negative enum db_err. */
int db_exec_args(struct db *db, const char *sql, size_t n, const struct db_arg *args);
/* First column of the first row as an integer / as text (cut to outlen-1).
 * Return DB_ROW when a row exists, DB_DONE when none, negative on error. */
int db_query_int_args(struct db *db, int64_t *out, const char *sql, size_t n, const struct db_arg *args);
int db_query_text_args(struct db *db, char *out, size_t outlen, const char *sql, size_t n, const struct db_arg *args);

#define db_bind(st, ...) db_bind_args(st, DB_ARGS(__VA_ARGS__))
#define db_exec(db, sql, ...) db_exec_args(db, sql, DB_ARGS(__VA_ARGS__))
#define db_query_int(db, out, sql, ...) db_query_int_args(db, out, sql, DB_ARGS(__VA_ARGS__))
#define db_query_text(db, out, outlen, sql, ...) db_query_text_args(db, out, outlen, sql, DB_ARGS(__VA_ARGS__))

/* Online backup of the open database into a new file at `path`. */
int db_backup(struct db *db, const char *path, char *err, size_t errlen);

/*
 * Text search (src/db/db_search.c). In Chinese, words are not separated by
 * spaces, so searching means: the text contains q as written (ASCII case
 * ignored; '%', '_' and '\' in q are plain characters). A module declares
 * where its text lives; the backend's way of finding it stays here:
 *  - SQLite: the FTS5 trigram table `fts` (rowid = the id) for three or
 *    more characters, LIKE over the sources for one or two;
 *  - PostgreSQL: ILIKE over the sources, which the pg_trgm GIN indexes of
 *    sql/pg/search.sql serve for three or more characters (one or two
 *    characters give no trigram: the rows are scanned, as without pg_trgm).
 * Both backends return the same rows.
 */
struct db_search_source {
	const char *table, *id, *column;
	const char *where; /* extra condition on the table, or NULL */
};

struct db_search_spec {
	const char *fts;                        /* SQLite FTS5 trigram table */
	struct db_search_source sources[4];     /* ended by a NULL table */
};

struct db_search {
	char sql[1024]; /* "SELECT <id> FROM ..." giving the matching ids, with $param in it */
	char arg[1024]; /* the value to bind at $param */
};

/* Fill out for q; -1 when q is too long for the buffers. */
int db_search_prepare(struct db *db, const struct db_search_spec *spec, const char *q, int param,
		      struct db_search *out);
/* "%q%" with '%', '_' and '\' escaped, for `lower(col) LIKE lower($n) ESCAPE '\'`; NULL when too long. */
char *db_like_contains(const char *q, char *out, size_t outlen);
/*
 * After the migrations: on PostgreSQL make sure pg_trgm and the trigram
 * indexes exist (sql/pg/search.sql), creating them when the role may; when
 * pg_trgm cannot be had, log it once (search then scans). 0, or -1 on a
 * database error.
 */
int db_search_setup(struct db *db);

/* Backend-specific pieces the migrator needs. */
const char *db_backend_name(struct db *db); /* "sqlite" | "pg" */

#endif
