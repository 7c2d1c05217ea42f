/*
 * SQLite backend of db.h: WAL, synchronous=FULL, foreign keys, secure_delete,
 * a busy timeout, one connection per thread, a statement cache keyed by SQL
 * text, and $N placeholders mapped onto SQLite's named "$N" parameters (so
 * the same SQL text runs on PostgreSQL unchanged). The only file that
 * includes <sqlite3.h>.
 */
#include "db_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "core/banned.h"

#define DB_MAX_PARAMS 64
#define DB_CACHE_SLOTS 256 /* power of two */
#define DB_BUSY_TIMEOUT_MS 10000

struct sqlite_stmt {
	struct db_stmt base;
	struct sqlite_db *db;
	sqlite3_stmt *st;
	const char *sql;   /* owned copy when cached */
	int cached;
	int in_use;
	int nparams;
	unsigned char map[DB_MAX_PARAMS + 1]; /* $n -> sqlite index, 0 = absent */
};

struct sqlite_db {
	struct db base;
	sqlite3 *h;
	int last_err;
	int in_tx;
	int lazy; /* this transaction runs with synchronous=NORMAL */
	char errmsg[512];
	struct sqlite_stmt *cache[DB_CACHE_SLOTS];
};

static const struct db_ops sqlite_ops;
static void sq_rollback(struct db *base_db);

/* ===== error normalisation ===== */

static int map_sqlite_error(int ext)
{
	switch (ext) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return DB_CONFLICT;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return DB_INVALID_REF;
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_TRIGGER:
		return DB_CONSTRAINT;
	}
	switch (ext & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_READONLY:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return DB_READONLY;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	}
	return DB_ERROR;
}

static int fail(struct sqlite_db *db)
{
	int ext = sqlite3_extended_errcode(db->h);

	db->last_err = map_sqlite_error(ext);
	snprintf(db->errmsg, sizeof(db->errmsg), "sqlite %d: %s", ext, sqlite3_errmsg(db->h));
	return db->last_err;
}

static const char *sq_errmsg(struct db *base_db)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	return db->errmsg;
}

/* ===== connection ===== */

/*
 * Once per process, before SQLite initializes: no allocator statistics. With
 * them (SQLite's default) every sqlite3_malloc and sqlite3_free of every
 * connection takes one process-wide mutex, so the workers queue on each other;
 * fazhi never reads those statistics. SQLite lists this among its
 * recommended settings (SQLITE_DEFAULT_MEMSTATUS=0).
 */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;

static void sqlite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_sqlite_open(struct db **out, const char *target, char *err, size_t errlen)
{
	static const char *const pragmas =
		"PRAGMA journal_mode=WAL;"
		"PRAGMA synchronous=FULL;"
		"PRAGMA foreign_keys=ON;"
		"PRAGMA secure_delete=ON;"
		"PRAGMA temp_store=MEMORY;";
	struct sqlite_db *db;
	char *msg = NULL;
	int fd;

	*out = NULL;
	/* Create the file ourselves so it is private to the service account
	 * (SQLite gives -wal and -shm the same mode). Only when it is missing:
	 * close() on any descriptor of the file drops every POSIX lock this
	 * process holds on it, including the SHARED lock that another open
	 * connection (another worker) keeps in WAL mode. Without that lock a CLI
	 * process closing its connection believes it is the last one, checkpoints
	 * and deletes the -wal and -shm under the running server, whose later
	 * commits then go to an unlinked file and are lost. */
	if (access(target, F_OK) < 0) {
		fd = open(target, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			snprintf(err, errlen, "无法打开数据库文件 %s:%s", target, strerror(errno));
			return -1;
		}
		if (fd >= 0)
			close(fd);
	}

	pthread_once(&sqlite_configured, sqlite_configure);
	db = calloc(1, sizeof(*db));
	if (!db)
		abort();
	if (sqlite3_open_v2(target, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "无法打开数据库 %s:%s", target, sqlite3_errmsg(db->h));
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	if (sqlite3_exec(db->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "数据库初始化失败:%s", msg ? msg : "?");
		sqlite3_free(msg);
		goto fail;
	}
	db->base.ops = &sqlite_ops;
	*out = &db->base;
	return 0;
fail:
	sqlite3_close(db->h);
	free(db);
	return -1;
}

static void stmt_free(struct sqlite_stmt *s)
{
	sqlite3_finalize(s->st);
	if (s->cached)
		free((char *)s->sql);
	free(s);
}

static void sq_close(struct db *base_db)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	size_t i;

	if (!db)
		return;
	for (i = 0; i < DB_CACHE_SLOTS; i++)
		if (db->cache[i])
			stmt_free(db->cache[i]);
	if (sqlite3_close(db->h) != SQLITE_OK)
		log_error("db: close failed: %s", sqlite3_errmsg(db->h));
	free(db);
}

static int sq_exec_script(struct db *base_db, const char *sql)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = fail(db);

		if (msg) {
			snprintf(db->errmsg, sizeof(db->errmsg), "%s", msg);
			sqlite3_free(msg);
		}
		return rc;
	}
	return 0;
}

/* ===== transactions ===== */

/* Back to synchronous=FULL after a DB_TX_WRITE_LAZY transaction. */
static void end_lazy(struct sqlite_db *db)
{
	if (db->lazy && sqlite3_exec(db->h, "PRAGMA synchronous=FULL", NULL, NULL, NULL) == SQLITE_OK)
		db->lazy = 0;
}

static int sq_begin(struct db *base_db, enum db_tx kind)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	int rc;

	end_lazy(db); /* never let a failed restore leave later commits unflushed */
	if (db->lazy)
		return DB_ERROR;
	if (kind == DB_TX_WRITE_LAZY) {
		rc = sq_exec_script(base_db, "PRAGMA synchronous=NORMAL");
		if (rc < 0)
			return rc;
		db->lazy = 1;
	}
	rc = sq_exec_script(base_db, kind == DB_TX_READ ? "BEGIN" : "BEGIN IMMEDIATE");
	if (rc == 0)
		db->in_tx = 1;
	else
		end_lazy(db);
	return rc;
}

static int sq_commit(struct db *base_db)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	int rc = sq_exec_script(base_db, "COMMIT");

	if (rc == 0) {
		db->in_tx = 0;
		end_lazy(db);
	} else {
		sq_rollback(base_db);
	}
	return rc;
}

static void sq_rollback(struct db *base_db)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = 0;
	end_lazy(db);
}

static int sq_reset_busy(struct db *base_db)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	sqlite3_stmt *st = NULL;
	int n = 0;

	while ((st = sqlite3_next_stmt(db->h, st))) {
		if (sqlite3_stmt_busy(st)) {
			log_error("db: statement left running (holds an old snapshot): %.200s", sqlite3_sql(st));
			sqlite3_reset(st);
			n++;
		}
	}
	return n;
}

static int sq_in_transaction(struct db *base_db)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	return !sqlite3_get_autocommit(db->h);
}

/* ===== statements ===== */

static unsigned hash_sql(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int stmt_compile(struct sqlite_db *db, const char *sql, struct sqlite_stmt **out)
{
	struct sqlite_stmt *s = calloc(1, sizeof(*s));
	int i, count;
	char name[8];

	if (!s)
		abort();
	s->base.ops = &sqlite_ops;
	s->base.db = &db->base;
	s->db = db;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
		int rc = fail(db);

		free(s);
		log_error("db: prepare failed: %s in: %.200s", db->errmsg, sql);
		return rc;
	}
	count = sqlite3_bind_parameter_count(s->st);
	for (i = 1; i <= DB_MAX_PARAMS && i <= count + 1; i++) {
		snprintf(name, sizeof(name), "$%d", i);
		s->map[i] = (unsigned char)sqlite3_bind_parameter_index(s->st, name);
		if (s->map[i])
			s->nparams = i;
	}
	s->sql = sql;
	*out = s;
	return 0;
}

static int sq_prepare(struct db *base_db, struct db_stmt **out, const char *sql)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	unsigned h = hash_sql(sql), i;
	struct sqlite_stmt *s;
	int rc;

	for (i = 0; i < 8; i++) {
		unsigned slot = (h + i) & (DB_CACHE_SLOTS - 1);

		s = db->cache[slot];
		if (!s) {
			rc = stmt_compile(db, sql, &s);
			if (rc < 0)
				return rc;
			s->sql = strdup(sql);
			if (!s->sql)
				abort();
			s->cached = 1;
			db->cache[slot] = s;
			goto found;
		}
		if (!strcmp(s->sql, sql)) {
			if (s->in_use)
				break; /* nested use of the same SQL: a private copy */
			goto found;
		}
	}
	rc = stmt_compile(db, sql, &s);
	if (rc < 0)
		return rc;
found:
	s->in_use = 1;
	*out = &s->base;
	return 0;
}

static void sq_done(struct db_stmt *base_s)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	if (!s)
		return;
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	s->in_use = 0;
	if (!s->cached) {
		sqlite3_finalize(s->st);
		free(s);
	}
}

static int bind_index(struct sqlite_stmt *s, int n)
{
	if (n < 1 || n > DB_MAX_PARAMS || !s->map[n]) {
		log_error("db: no parameter $%d in: %.200s", n, s->sql);
		return -1;
	}
	return s->map[n];
}

static int bind_result(struct sqlite_stmt *s, int rc)
{
	return rc == SQLITE_OK ? 0 : fail(s->db);
}

static int sq_bind_int(struct db_stmt *base_s, int n, int64_t v)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	int i = bind_index(s, n);

	return i < 0 ? DB_ERROR : bind_result(s, sqlite3_bind_int64(s->st, i, v));
}

static int sq_bind_textn(struct db_stmt *base_s, int n, const char *p, size_t len)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	int i = bind_index(s, n);

	if (i < 0)
		return DB_ERROR;
	if (!p)
		return bind_result(s, sqlite3_bind_null(s->st, i));
	return bind_result(s, sqlite3_bind_text64(s->st, i, p, len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sq_bind_blob(struct db_stmt *base_s, int n, const void *p, size_t len)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	int i = bind_index(s, n);

	return i < 0 ? DB_ERROR : bind_result(s, sqlite3_bind_blob64(s->st, i, p, len, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct db_stmt *base_s, int n)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	int i = bind_index(s, n);

	return i < 0 ? DB_ERROR : bind_result(s, sqlite3_bind_null(s->st, i));
}

static int sq_step(struct db_stmt *base_s)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	int rc = sqlite3_step(s->st);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	rc = fail(s->db);
	if (rc != DB_CONFLICT && rc != DB_INVALID_REF && rc != DB_CONSTRAINT)
		log_error("db: step failed: %s in: %.200s", s->db->errmsg, s->sql);
	return rc;
}

static int sq_col_is_null(struct db_stmt *base_s, int col)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

static int64_t sq_col_int(struct db_stmt *base_s, int col)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	return sqlite3_column_int64(s->st, col);
}

static const char *sq_col_text(struct db_stmt *base_s, int col)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	const unsigned char *t = sqlite3_column_text(s->st, col);

	return t ? (const char *)t : "";
}

static const void *sq_col_blob(struct db_stmt *base_s, int col, size_t *len)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	const void *p = sqlite3_column_blob(s->st, col);

	*len = (size_t)sqlite3_column_bytes(s->st, col);
	return p;
}

static int sq_col_count(struct db_stmt *base_s)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	return sqlite3_column_count(s->st);
}

static const char *sq_col_name(struct db_stmt *base_s, int col)
{
	struct sqlite_stmt *s = (struct sqlite_stmt *)base_s;
	return sqlite3_column_name(s->st, col);
}

static int64_t sq_changes(struct db *base_db)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	return sqlite3_changes64(db->h);
}

static int64_t sq_last_insert_id(struct db *base_db)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	return sqlite3_last_insert_rowid(db->h);
}

/* ===== backup ===== */

static int sq_backup(struct db *base_db, const char *path, char *err, size_t errlen)
{
	struct sqlite_db *db = (struct sqlite_db *)base_db;
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int rc, fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "无法创建备份文件 %s:%s", path, strerror(errno));
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "无法打开备份文件 %s:%s", path, sqlite3_errmsg(dst));
		goto fail;
	}
	b = sqlite3_backup_init(dst, "main", db->h, "main");
	if (!b) {
		snprintf(err, errlen, "备份失败:%s", sqlite3_errmsg(dst));
		goto fail;
	}
	/* Copy every page in one step, inside one read transaction: in WAL mode
	 * that holds up no writer, and the copy is one consistent snapshot. Copying
	 * in small steps instead restarts from the first page whenever another
	 * connection commits in between, so under a steady stream of writes (the
	 * server at work) a larger database was never done. The loop only waits
	 * out a busy lock. */
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "备份失败:%s", sqlite3_errstr(rc));
		goto fail;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		snprintf(err, errlen, "备份文件关闭失败");
		dst = NULL;
		goto fail_unlink;
	}
	return 0;
fail:
	sqlite3_close(dst);
fail_unlink:
	unlink(path);
	return -1;
}

static const struct db_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.exec_script = sq_exec_script,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_transaction = sq_in_transaction,
	.reset_busy = sq_reset_busy,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_textn = sq_bind_textn,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_is_null = sq_col_is_null,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.done = sq_done,
	.changes = sq_changes,
	.last_insert_id = sq_last_insert_id,
	.errmsg = sq_errmsg,
	.backup = sq_backup,
};
