/*
 * The seam between db.c (the public calls of db.h) and the backends
 * (db_sqlite.c, db_pg.c). Every connection and statement starts with its
 * backend's operation table; db.c dispatches through it. Only src/db/
 * includes this file.
 */
#ifndef FAZHI_DB_BACKEND_H
#define FAZHI_DB_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct db_ops {
	const char *name; /* "sqlite" | "pg" */
	void (*close)(struct db *db);
	int (*exec_script)(struct db *db, const char *sql);
	int (*begin)(struct db *db, enum db_tx kind);
	int (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	int (*in_transaction)(struct db *db);
	int (*reset_busy)(struct db *db);
	int (*prepare)(struct db *db, struct db_stmt **out, const char *sql);
	int (*bind_int)(struct db_stmt *st, int n, int64_t v);
	int (*bind_textn)(struct db_stmt *st, int n, const char *s, size_t len);
	int (*bind_blob)(struct db_stmt *st, int n, const void *p, size_t len);
	int (*bind_null)(struct db_stmt *st, int n);
	int (*step)(struct db_stmt *st);
	int (*col_is_null)(struct db_stmt *st, int col);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	const void *(*col_blob)(struct db_stmt *st, int col, size_t *len);
	int (*col_count)(struct db_stmt *st);
	const char *(*col_name)(struct db_stmt *st, int col);
	void (*done)(struct db_stmt *st);
	int64_t (*changes)(struct db *db);
	int64_t (*last_insert_id)(struct db *db);
	const char *(*errmsg)(struct db *db);
	int (*backup)(struct db *db, const char *path, char *err, size_t errlen);
};

struct db {
	const struct db_ops *ops;
	unsigned unavailable; /* statements failed with DB_BUSY or DB_READONLY (db.c counts) */
	int watch_dirty;      /* wrote a watched table; the generation moves again when that ends (db_watch.c) */
	int watch_ignore;     /* db_watch_ignore: such writes do not count */
};

struct db_stmt {
	const struct db_ops *ops;
	struct db *db; /* its connection */
};

/*
 * Write watch hooks (db_watch.c), called by db.c: a statement about to be
 * prepared or run as a script, and the end of a statement or transaction.
 */
void db_watch_statement(struct db *db, const char *sql, int script);
void db_watch_settle(struct db *db);

/* Backend constructors; db_open picks one from the target's form. */
int db_sqlite_open(struct db **out, const char *path, char *err, size_t errlen);
int db_pg_open(struct db **out, const char *url, char *err, size_t errlen);

#endif
