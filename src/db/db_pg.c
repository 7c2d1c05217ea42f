/*
 * PostgreSQL backend of db.h (libpq): the same $1..$n SQL as SQLite,
 * statements prepared once per connection and cached by SQL text, text
 * parameters (the server infers their types), SQLSTATE mapped onto the same
 * error enum, and reconnection with backoff when the server restarts (only
 * outside a transaction: a transaction in progress fails with DB_BUSY and
 * the request gets a 503; see ensure_connected, tested by tests/pg/restart.py).
 * The only file that includes <libpq-fe.h>.
 */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_backend.h"
#include "core/log.h"
#include "core/banned.h"

#define PG_MAX_PARAMS 64
#define PG_CACHE_SLOTS 256 /* power of two */
#define PG_BACKOFF_MIN_MS 100
#define PG_BACKOFF_MAX_MS 2000
#define PG_CONNECT_TIMEOUT "3" /* seconds; a URL's own connect_timeout wins */

struct pg_db;

struct pg_stmt {
	struct db_stmt base;
	struct pg_db *db;
	char *sql;
	char name[24];
	int generation; /* connection generation it was prepared on (0: not yet) */
	int cached;
	int in_use;
	int nparams;
	char *values[PG_MAX_PARAMS];
	int lengths[PG_MAX_PARAMS];
	int formats[PG_MAX_PARAMS];
	PGresult *res;
	PGresult *desc; /* column description before the first step (col_count/col_name) */
	int row, nrows;
};

struct pg_db {
	struct db base;
	PGconn *conn;
	int generation;
	int name_seq;
	int last_err;
	int attempts;        /* failed reconnection attempts since the connection was lost */
	int seen_epoch;      /* reconnect_epoch at the last failed attempt */
	int tx_open;         /* BEGIN done, COMMIT or ROLLBACK not yet called */
	int read_pending;    /* a read snapshot begun, its BEGIN not yet sent (see pg_begin) */
	int read_open;       /* the open transaction is a read snapshot */
	int end_unread;      /* a read snapshot's ROLLBACK sent, its result not yet read */
	int64_t backoff_ms;  /* 0 while connected */
	int64_t next_try_ms; /* monotonic time of the next attempt */
	int64_t changes;
	char errmsg[512];
	struct pg_stmt *cache[PG_CACHE_SLOTS];
};

static const struct db_ops pg_ops;

/* Bumped by every successful reconnection in the process: the other
 * connections waiting out a backoff step then try at once. */
static int reconnect_epoch;

/* ===== errors ===== */

static int map_sqlstate(const char *state)
{
	static const struct {
		const char *prefix;
		int err;
	} map[] = {
		{ "23505", DB_CONFLICT },   { "23503", DB_INVALID_REF }, { "23502", DB_CONSTRAINT }, { "23514", DB_CONSTRAINT },
		{ "23P01", DB_CONSTRAINT }, { "P0001", DB_CONSTRAINT }, { "22", DB_CONSTRAINT },    { "40001", DB_BUSY },
		{ "40P01", DB_BUSY },	    { "55P03", DB_BUSY },	 { "57014", DB_BUSY },	     { "57P", DB_BUSY },
		{ "08", DB_BUSY },	    { "53", DB_READONLY },	 { "25006", DB_READONLY },
	};
	size_t i;

	for (i = 0; state && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(state, map[i].prefix, strlen(map[i].prefix)))
			return map[i].err;
	return DB_ERROR;
}

static int fail_res(struct pg_db *db, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	db->last_err = PQstatus(db->conn) == CONNECTION_BAD ? DB_BUSY : map_sqlstate(state);
	snprintf(db->errmsg, sizeof(db->errmsg), "pg %s: %s", state ? state : "-",
		 res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn));
	return db->last_err;
}

static const char *pg_errmsg(struct db *base)
{
	return ((struct pg_db *)base)->errmsg;
}

/* ===== connection ===== */

static int in_tx(struct pg_db *db)
{
	PGTransactionStatusType t = PQtransactionStatus(db->conn);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* Read the result of a read snapshot's ROLLBACK, sent without waiting (pg_rollback), before the next command. */
static void read_end_result(struct pg_db *db)
{
	PGresult *r;

	if (!db->end_unread)
		return;
	db->end_unread = 0;
	while ((r = PQgetResult(db->conn)))
		PQclear(r);
}

/* Dates and times are ours (text); keep the session predictable (also after a reconnection). */
static void session_setup(struct pg_db *db)
{
	PQclear(PQexec(db->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET standard_conforming_strings = on"));
}

/* PQreset, and what a new connection needs: statements prepared again, the session's settings; 0 when connected. */
static int reset_connection(struct pg_db *db)
{
	PQreset(db->conn);
	db->generation++; /* every prepared statement is gone */
	if (PQstatus(db->conn) != CONNECTION_OK)
		return -1;
	__atomic_add_fetch(&reconnect_epoch, 1, __ATOMIC_RELAXED);
	session_setup(db);
	return 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Is an idle connection (outside a transaction) still alive? When the server
 * stops or restarts it sends a FATAL message and closes the socket, which
 * libpq notices only on the next read: a readable idle socket means exactly
 * that (or a stray notice), so read it now and let libpq mark the connection
 * bad, instead of failing the next statement on a dead socket.
 */
static void probe_idle(struct pg_db *db)
{
	struct pollfd p = { .fd = PQsocket(db->conn), .events = POLLIN };
	int i;

	/* The FATAL message and the end of the stream may come in separate reads:
	 * read while there is something, a few times at most. */
	for (i = 0; i < 4 && p.fd >= 0 && PQstatus(db->conn) == CONNECTION_OK && poll(&p, 1, 0) > 0; i++)
		if (!PQconsumeInput(db->conn))
			log_debug("pg: idle connection closed by the server: %s", PQerrorMessage(db->conn));
}

/*
 * Before a statement outside a transaction: a connection the server dropped
 * is reset, one attempt at a time, never sleeping in the request: between
 * attempts (100 ms, doubling to 2 s) statements fail at once with DB_BUSY,
 * so requests get their 503 quickly while the server is down; the first
 * one after it is back (at most one backoff step later) reconnects, and
 * then every other connection tries again at its next statement.
 */
static int ensure_connected(struct pg_db *db)
{
	int64_t now;

	read_end_result(db);
	probe_idle(db);
	if (PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->tx_open) {
		/* The caller's transaction died with the connection: a new connection
		 * would run its remaining statements outside it, each committed alone.
		 * Fail until it rolls back. */
		db->last_err = DB_BUSY;
		snprintf(db->errmsg, sizeof(db->errmsg), "pg: connection lost inside a transaction");
		return DB_BUSY;
	}
	now = mono_ms();
	if (!db->backoff_ms)
		log_warn("pg: connection lost (%s), reconnecting", PQerrorMessage(db->conn));
	if (db->backoff_ms && now < db->next_try_ms &&
	    __atomic_load_n(&reconnect_epoch, __ATOMIC_RELAXED) == db->seen_epoch)
		goto busy;
	db->seen_epoch = __atomic_load_n(&reconnect_epoch, __ATOMIC_RELAXED);
	if (reset_connection(db) == 0) {
		log_warn("pg: reconnected after %d attempt(s)", db->attempts + 1);
		db->backoff_ms = 0;
		db->attempts = 0;
		return 0;
	}
	db->attempts++;
	db->backoff_ms = db->backoff_ms ? db->backoff_ms * 2 : PG_BACKOFF_MIN_MS;
	if (db->backoff_ms > PG_BACKOFF_MAX_MS)
		db->backoff_ms = PG_BACKOFF_MAX_MS;
	db->next_try_ms = now + db->backoff_ms;
busy:
	db->last_err = DB_BUSY;
	snprintf(db->errmsg, sizeof(db->errmsg), "pg: not connected (%d attempt(s) so far): %s", db->attempts,
		 PQerrorMessage(db->conn));
	return DB_BUSY;
}

/* Server notices ("relation already exists, skipping") go to the debug log, not stderr. */
static void notice(void *arg, const char *message)
{
	(void)arg;
	log_debug("pg: %s", message);
}

int db_pg_open(struct db **out, const char *url, char *err, size_t errlen)
{
	/* connect_timeout first: the URL, expanded after it, may set its own. */
	static const char *const keys[] = { "connect_timeout", "dbname", NULL };
	const char *values[] = { PG_CONNECT_TIMEOUT, url, NULL };
	struct pg_db *db = calloc(1, sizeof(*db));

	*out = NULL;
	if (!db)
		abort();
	db->conn = PQconnectdbParams(keys, values, 1);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		snprintf(err, errlen, "无法连接 PostgreSQL:%s", PQerrorMessage(db->conn));
		PQfinish(db->conn);
		free(db);
		return -1;
	}
	PQsetNoticeProcessor(db->conn, notice, NULL);
	session_setup(db);
	db->generation = 1;
	db->base.ops = &pg_ops;
	*out = &db->base;
	return 0;
}

static void stmt_clear(struct pg_stmt *s)
{
	int i;

	for (i = 0; i < PG_MAX_PARAMS; i++) {
		free(s->values[i]);
		s->values[i] = NULL;
		s->lengths[i] = 0;
		s->formats[i] = 0;
	}
	PQclear(s->res);
	s->res = NULL;
	PQclear(s->desc);
	s->desc = NULL;
	s->row = -1;
	s->nrows = 0;
}

static void stmt_free(struct pg_stmt *s)
{
	stmt_clear(s);
	free(s->sql);
	free(s);
}

static void pg_close(struct db *base)
{
	struct pg_db *db = (struct pg_db *)base;
	size_t i;

	for (i = 0; i < PG_CACHE_SLOTS; i++)
		if (db->cache[i])
			stmt_free(db->cache[i]);
	PQfinish(db->conn);
	free(db);
}

/* The BEGIN of a read snapshot (pg_begin): one snapshot for all its statements, and no write in it. */
static const char read_begin_sql[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

static int pg_exec_script(struct db *base, const char *sql)
{
	struct pg_db *db = (struct pg_db *)base;
	PGresult *res;
	int rc = 0;

	read_end_result(db);
	if (!in_tx(db) && ensure_connected(db) < 0)
		return DB_BUSY;
	if (db->read_pending) { /* a script in a read snapshot (none yet): its BEGIN first */
		db->read_pending = 0;
		res = PQexec(db->conn, read_begin_sql);
		rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : fail_res(db, res);
		PQclear(res);
		if (rc < 0)
			return rc;
		db->tx_open = 1;
	}
	res = PQexec(db->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = fail_res(db, res);
	PQclear(res);
	return rc;
}

/*
 * Write transactions are READ COMMITTED: writers serialise on the rows they
 * update (see audit_store.c); SET LOCAL ends with the transaction. A read
 * snapshot (one per GET request, router.c) costs no round trip of its own:
 * its BEGIN is sent with its first statement (run_first_in_snapshot), not at
 * all when the request reads nothing, and its ROLLBACK without waiting for
 * the answer, read before the connection's next command (read_end_result).
 */
static int pg_begin(struct db *base, enum db_tx kind)
{
	struct pg_db *db = (struct pg_db *)base;
	int rc;

	read_end_result(db);
	db->read_pending = kind == DB_TX_READ;
	db->read_open = kind == DB_TX_READ;
	if (kind == DB_TX_READ)
		return 0;
	rc = pg_exec_script(base, kind == DB_TX_WRITE_LAZY ? "BEGIN; SET LOCAL synchronous_commit TO OFF" : "BEGIN");
	db->tx_open = rc == 0;
	return rc;
}

static void pg_rollback(struct db *base)
{
	struct pg_db *db = (struct pg_db *)base;
	int read = db->read_open;

	db->tx_open = 0;
	db->read_open = 0;
	if (db->read_pending) { /* nothing was sent */
		db->read_pending = 0;
		return;
	}
	read_end_result(db);
	if (PQstatus(db->conn) != CONNECTION_OK || !in_tx(db))
		return;
	if (read && PQsendQuery(db->conn, "ROLLBACK"))
		db->end_unread = 1;
	else
		PQclear(PQexec(db->conn, "ROLLBACK"));
}

static int pg_commit(struct db *base)
{
	struct pg_db *db = (struct pg_db *)base;
	int rc;

	if (db->read_open) { /* a read snapshot keeps nothing: end it as pg_rollback does */
		pg_rollback(base);
		return 0;
	}
	read_end_result(db);
	/* COMMIT of a transaction a failed statement aborted "succeeds" as ROLLBACK: refuse it. */
	if (PQtransactionStatus(db->conn) == PQTRANS_INERROR) {
		pg_rollback(base);
		return DB_ERROR;
	}
	rc = pg_exec_script(base, "COMMIT");

	db->tx_open = 0;
	if (rc < 0)
		pg_rollback(base);
	return rc;
}

static int pg_in_transaction(struct db *base)
{
	struct pg_db *db = (struct pg_db *)base;

	if (db->end_unread) /* the snapshot's ROLLBACK is on its way: no transaction, and no wait for it */
		return 0;
	return db->read_pending || in_tx(db);
}

static int pg_reset_busy(struct db *base)
{
	(void)base; /* PostgreSQL keeps no snapshot for an unfinished statement outside a transaction */
	return 0;
}

/* ===== statements ===== */

static unsigned hash_sql(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Highest $n in the SQL, outside quoted strings. */
static int count_params(const char *sql)
{
	int max = 0, q = 0;
	const char *p;

	for (p = sql; *p; p++) {
		if (*p == '\'')
			q = !q;
		else if (!q && *p == '$' && p[1] >= '1' && p[1] <= '9') {
			int n = 0;

			while (p[1] >= '0' && p[1] <= '9')
				n = n * 10 + (*++p - '0');
			if (n > max)
				max = n;
		}
	}
	return max;
}

static struct pg_stmt *stmt_new(struct pg_db *db, const char *sql, int cached)
{
	struct pg_stmt *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->base.ops = &pg_ops;
	s->base.db = &db->base;
	s->db = db;
	s->sql = strdup(sql);
	if (!s->sql)
		abort();
	s->cached = cached;
	s->nparams = count_params(sql);
	s->row = -1;
	if (cached)
		snprintf(s->name, sizeof(s->name), "fz%d", ++db->name_seq);
	return s;
}

static int pg_prepare(struct db *base, struct db_stmt **out, const char *sql)
{
	struct pg_db *db = (struct pg_db *)base;
	unsigned h = hash_sql(sql), i;
	struct pg_stmt *s = NULL;

	if (count_params(sql) > PG_MAX_PARAMS)
		return DB_ERROR;
	for (i = 0; i < 8; i++) {
		unsigned slot = (h + i) & (PG_CACHE_SLOTS - 1);

		s = db->cache[slot];
		if (!s) {
			s = db->cache[slot] = stmt_new(db, sql, 1);
			break;
		}
		if (!strcmp(s->sql, sql)) {
			if (!s->in_use)
				break;
			s = NULL; /* nested use of the same SQL: a private, unprepared copy */
			break;
		}
		s = NULL;
	}
	if (!s)
		s = stmt_new(db, sql, 0);
	s->in_use = 1;
	s->row = -1;
	*out = &s->base;
	return 0;
}

static void pg_done(struct db_stmt *base)
{
	struct pg_stmt *s = (struct pg_stmt *)base;

	stmt_clear(s);
	s->in_use = 0;
	if (!s->cached)
		stmt_free(s);
}

static int set_param(struct pg_stmt *s, int n, char *value, int len, int binary)
{
	if (n < 1 || n > s->nparams) {
		free(value);
		log_error("pg: no parameter $%d in: %.200s", n, s->sql);
		return DB_ERROR;
	}
	free(s->values[n - 1]);
	s->values[n - 1] = value;
	s->lengths[n - 1] = len;
	s->formats[n - 1] = binary;
	return 0;
}

static int pg_bind_int(struct db_stmt *base, int n, int64_t v)
{
	char *t = malloc(24);

	if (!t)
		abort();
	snprintf(t, 24, "%lld", (long long)v);
	return set_param((struct pg_stmt *)base, n, t, (int)strlen(t), 0);
}

static int pg_bind_textn(struct db_stmt *base, int n, const char *p, size_t len)
{
	char *t;

	if (!p)
		return set_param((struct pg_stmt *)base, n, NULL, 0, 0);
	t = malloc(len + 1);
	if (!t)
		abort();
	memcpy(t, p, len);
	t[len] = '\0';
	return set_param((struct pg_stmt *)base, n, t, (int)len, 0);
}

static int pg_bind_blob(struct db_stmt *base, int n, const void *p, size_t len)
{
	char *t = malloc(len + 1);

	if (!t)
		abort();
	memcpy(t, p, len);
	return set_param((struct pg_stmt *)base, n, t, (int)len, 1);
}

static int pg_bind_null(struct db_stmt *base, int n)
{
	return set_param((struct pg_stmt *)base, n, NULL, 0, 0);
}

static PGresult *run(struct pg_stmt *s)
{
	struct pg_db *db = s->db;
	const char *const *vals = (const char *const *)s->values;

	if (!s->cached)
		return PQexecParams(db->conn, s->sql, s->nparams, NULL, vals, s->lengths, s->formats, 0);
	if (s->generation != db->generation) {
		PGresult *r = PQprepare(db->conn, s->name, s->sql, s->nparams, NULL);

		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			return r;
		PQclear(r);
		s->generation = db->generation;
	}
	return PQexecPrepared(db->conn, s->name, s->nparams, vals, s->lengths, s->formats, 0);
}

/*
 * The first statement of a read snapshot, its BEGIN sent ahead of it in one
 * libpq pipeline: one round trip for both. Returns the statement's result,
 * or the first error (a failed BEGIN aborts the rest of the pipeline).
 */
static PGresult *run_first_in_snapshot(struct pg_stmt *s)
{
	struct pg_db *db = s->db;
	PGconn *c = db->conn;
	const char *const *vals = (const char *const *)s->values;
	PGresult *r, *result = NULL;
	int prepare = s->cached && s->generation != db->generation, n = 0, prepared = 0, sent, nulls = 0;

	db->read_pending = 0;
	if (!PQenterPipelineMode(c))
		return NULL;
	sent = PQsendQueryParams(c, read_begin_sql, 0, NULL, NULL, NULL, NULL, 0) &&
	       (!prepare || PQsendPrepare(c, s->name, s->sql, s->nparams, NULL)) &&
	       (s->cached ? PQsendQueryPrepared(c, s->name, s->nparams, vals, s->lengths, s->formats, 0)
			  : PQsendQueryParams(c, s->sql, s->nparams, NULL, vals, s->lengths, s->formats, 0));
	/* Results in order: BEGIN, [PREPARE,] the statement, each followed by one NULL, then the
	 * sync's (after a failed send: what was sent, then the sync's). Two NULLs in a row: libpq
	 * has nothing more to give (a broken connection, a failed read). */
	if (PQpipelineSync(c)) {
		while (nulls < 2) {
			r = PQgetResult(c);
			if (!r) {
				nulls++;
				continue;
			}
			nulls = 0;
			if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
				PQclear(r);
				break;
			}
			if (prepare && n++ == 1)
				prepared = PQresultStatus(r) == PGRES_COMMAND_OK;
			if (result && PQresultStatus(result) == PGRES_FATAL_ERROR) {
				PQclear(r); /* the first error is the one to report */
				continue;
			}
			PQclear(result);
			result = r;
		}
	}
	if (!PQexitPipelineMode(c)) {
		/* Results left unread: the connection cannot go back to one command at a time; start a new one. */
		log_error("pg: could not leave pipeline mode (%s), reconnecting", PQerrorMessage(c));
		prepared = 0;
		reset_connection(db);
	}
	db->tx_open = in_tx(db);
	if (prepared)
		s->generation = db->generation;
	if (!sent) { /* the statement never went out: not an empty success */
		PQclear(result);
		result = NULL;
	}
	return result;
}

static int pg_step(struct db_stmt *base)
{
	struct pg_stmt *s = (struct pg_stmt *)base;
	struct pg_db *db = s->db;
	ExecStatusType st;
	int rc;

	if (s->row >= 0) {
		s->row++;
		return s->row < s->nrows ? DB_ROW : DB_DONE;
	}
	read_end_result(db);
	if (!in_tx(db) && ensure_connected(db) < 0)
		return DB_BUSY;
	s->res = db->read_pending ? run_first_in_snapshot(s) : run(s);
	st = PQresultStatus(s->res);
	if (st == PGRES_TUPLES_OK) {
		s->nrows = PQntuples(s->res);
		s->row = 0;
		return s->nrows ? DB_ROW : DB_DONE;
	}
	if (st == PGRES_COMMAND_OK) {
		db->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
		s->row = 0;
		s->nrows = 0;
		return DB_DONE;
	}
	rc = fail_res(db, s->res);
	if (rc != DB_CONFLICT && rc != DB_INVALID_REF && rc != DB_CONSTRAINT)
		log_error("db: step failed: %s in: %.200s", db->errmsg, s->sql);
	PQclear(s->res);
	s->res = NULL;
	return rc;
}

/* Is there a current row with this column? (Like SQLite, reading past the rows gives NULL.) */
static int has_cell(const struct pg_stmt *s, int col)
{
	return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res);
}

static int pg_col_is_null(struct db_stmt *base, int col)
{
	struct pg_stmt *s = (struct pg_stmt *)base;

	return !has_cell(s, col) || PQgetisnull(s->res, s->row, col);
}

static const char *pg_col_text(struct db_stmt *base, int col)
{
	struct pg_stmt *s = (struct pg_stmt *)base;

	return pg_col_is_null(base, col) ? "" : PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_int(struct db_stmt *base, int col)
{
	const char *v = pg_col_text(base, col);

	/* Booleans come back as t / f. */
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static const void *pg_col_blob(struct db_stmt *base, int col, size_t *len)
{
	struct pg_stmt *s = (struct pg_stmt *)base;

	*len = has_cell(s, col) ? (size_t)PQgetlength(s->res, s->row, col) : 0;
	return *len ? PQgetvalue(s->res, s->row, col) : NULL;
}

/* The result's columns: from the result once stepped, else from describing the statement. */
static const PGresult *columns(struct pg_stmt *s)
{
	if (s->res)
		return s->res;
	if (!s->desc) {
		PGresult *r = PQprepare(s->db->conn, "", s->sql, s->nparams, NULL);

		PQclear(r);
		s->desc = PQdescribePrepared(s->db->conn, "");
	}
	return s->desc;
}

static int pg_col_count(struct db_stmt *base)
{
	const PGresult *r = columns((struct pg_stmt *)base);

	return r ? PQnfields(r) : 0;
}

static const char *pg_col_name(struct db_stmt *base, int col)
{
	const PGresult *r = columns((struct pg_stmt *)base);

	return r && col >= 0 && col < PQnfields(r) ? PQfname(r, col) : "";
}

static int64_t pg_changes(struct db *base)
{
	return ((struct pg_db *)base)->changes;
}

static int64_t pg_last_insert_id(struct db *base)
{
	struct pg_db *db = (struct pg_db *)base;
	PGresult *res = PQexec(db->conn, "SELECT lastval()");
	int64_t id = 0;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else
		fail_res(db, res);
	PQclear(res);
	return id;
}

static int pg_backup(struct db *base, const char *path, char *err, size_t errlen)
{
	(void)base;
	(void)path;
	snprintf(err, errlen, "PostgreSQL 数据库请使用 pg_dump 或流复制备份");
	return -1;
}

static const struct db_ops pg_ops = {
	.name = "pg",
	.close = pg_close,
	.exec_script = pg_exec_script,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_transaction = pg_in_transaction,
	.reset_busy = pg_reset_busy,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_textn = pg_bind_textn,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_is_null = pg_col_is_null,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.done = pg_done,
	.changes = pg_changes,
	.last_insert_id = pg_last_insert_id,
	.errmsg = pg_errmsg,
	.backup = pg_backup,
};
