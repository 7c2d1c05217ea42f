/* Unit tests for src/db on a real SQLite file: placeholders, statement cache,
 * error normalisation, transactions, migrations, online backup, text search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/migrate.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	struct db *db;
	char err[256];

	snprintf(dir, sizeof(dir), "/tmp/fazhi-db-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(&db, path, err, sizeof(err)) < 0)
		return -1;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];

	db_close(*state);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_placeholders_out_of_order(void **state)
{
	struct db *db = *state;
	char out[64];

	assert_int_equal(db_exec_script(db, "CREATE TABLE t (a TEXT, b INTEGER)"), 0);
	/* $2 appears before $1: binding is by number, not position. */
	assert_int_equal(db_exec(db, "INSERT INTO t (b, a) VALUES ($2, $1)", db_text("甲"), db_int(7)), 0);
	assert_int_equal(db_query_text(db, out, sizeof(out), "SELECT a FROM t WHERE b = $1", db_int(7)), DB_ROW);
	assert_string_equal(out, "甲");
	/* The same parameter used twice. */
	assert_int_equal(db_query_text(db, out, sizeof(out), "SELECT $1 || '-' || $1", db_text("x")), DB_ROW);
	assert_string_equal(out, "x-x");
	assert_int_equal(db_query_text(db, out, sizeof(out), "SELECT a FROM t WHERE b = $1", db_int(8)), DB_DONE);
}

static void test_error_normalisation(void **state)
{
	struct db *db = *state;

	assert_int_equal(db_exec_script(db, "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
					    " n INTEGER CHECK (n > 0));"
					    "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id));"),
			 0);
	assert_int_equal(db_exec(db, "INSERT INTO p (name, n) VALUES ($1, $2)", db_text("a"), db_int(1)), 0);
	assert_int_equal(db_exec(db, "INSERT INTO p (name, n) VALUES ($1, $2)", db_text("a"), db_int(1)), DB_CONFLICT);
	assert_int_equal(db_exec(db, "INSERT INTO p (name, n) VALUES ($1, $2)", db_text("b"), db_int(0)),
			 DB_CONSTRAINT);
	assert_int_equal(db_exec(db, "INSERT INTO p (name, n) VALUES ($1, $2)", db_text((const char *)NULL), db_int(1)),
			 DB_CONSTRAINT);
	assert_int_equal(db_exec(db, "INSERT INTO c (p_id) VALUES ($1)", db_int(99)), DB_INVALID_REF);
	assert_string_equal(db_err_sqlstate(DB_CONFLICT), "23505");
	assert_string_equal(db_err_sqlstate(DB_INVALID_REF), "23503");
	assert_int_equal(db_exec_script(db, "SELECT * FROM no_such_table"), DB_ERROR);
}

static void test_nested_use_of_same_statement(void **state)
{
	struct db *db = *state;
	struct db_stmt *outer, *inner;
	int64_t sum = 0;
	int rows = 0;

	assert_int_equal(db_exec_script(db, "CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3);"), 0);
	assert_int_equal(db_prepare(db, &outer, "SELECT v FROM n ORDER BY v"), 0);
	while (db_step(outer) == DB_ROW) {
		/* Same SQL while the cached statement is busy: a private copy. */
		assert_int_equal(db_prepare(db, &inner, "SELECT v FROM n ORDER BY v"), 0);
		assert_true(inner != outer);
		while (db_step(inner) == DB_ROW)
			sum += db_col_int(inner, 0);
		db_done(inner);
		rows++;
	}
	db_done(outer);
	assert_int_equal(rows, 3);
	assert_int_equal(sum, 18);
	/* Back in the cache: the next prepare hands out the cached one again. */
	assert_int_equal(db_prepare(db, &inner, "SELECT v FROM n ORDER BY v"), 0);
	assert_ptr_equal(inner, outer);
	db_done(inner);
}

static void test_transactions(void **state)
{
	struct db *db = *state;
	int64_t n = -1;

	assert_int_equal(db_exec_script(db, "CREATE TABLE x (v INTEGER)"), 0);
	assert_int_equal(db_begin(db, DB_TX_WRITE), 0);
	assert_true(db_in_transaction(db));
	assert_int_equal(db_exec(db, "INSERT INTO x VALUES ($1)", db_int(1)), 0);
	db_rollback(db);
	assert_false(db_in_transaction(db));
	assert_int_equal(db_query_int(db, &n, "SELECT COUNT(*) FROM x"), DB_ROW);
	assert_int_equal(n, 0);
	assert_int_equal(db_begin(db, DB_TX_WRITE), 0);
	assert_int_equal(db_exec(db, "INSERT INTO x VALUES ($1)", db_int(2)), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_query_int(db, &n, "SELECT SUM(v) FROM x"), DB_ROW);
	assert_int_equal(n, 2);

	/* A lazy write commits like any other, with synchronous=NORMAL for itself only. */
	assert_int_equal(db_begin(db, DB_TX_WRITE_LAZY), 0);
	assert_int_equal(db_query_int(db, &n, "PRAGMA synchronous"), DB_ROW);
	assert_int_equal(n, 1); /* NORMAL */
	assert_int_equal(db_exec(db, "INSERT INTO x VALUES ($1)", db_int(3)), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_query_int(db, &n, "PRAGMA synchronous"), DB_ROW);
	assert_int_equal(n, 2); /* FULL again */
	assert_int_equal(db_begin(db, DB_TX_WRITE_LAZY), 0);
	assert_int_equal(db_exec(db, "INSERT INTO x VALUES ($1)", db_int(100)), 0);
	db_rollback(db);
	assert_int_equal(db_query_int(db, &n, "PRAGMA synchronous"), DB_ROW);
	assert_int_equal(n, 2);
	assert_int_equal(db_query_int(db, &n, "SELECT SUM(v) FROM x"), DB_ROW);
	assert_int_equal(n, 5);
}

static void test_pragmas(void **state)
{
	struct db *db = *state;
	char mode[16];
	int64_t v;

	assert_int_equal(db_query_text(db, mode, sizeof(mode), "PRAGMA journal_mode"), DB_ROW);
	assert_string_equal(mode, "wal");
	assert_int_equal(db_query_int(db, &v, "PRAGMA synchronous"), DB_ROW);
	assert_int_equal(v, 2); /* FULL */
	assert_int_equal(db_query_int(db, &v, "PRAGMA foreign_keys"), DB_ROW);
	assert_int_equal(v, 1);
	assert_int_equal(db_query_int(db, &v, "PRAGMA secure_delete"), DB_ROW);
	assert_int_equal(v, 1);
}

static void test_migrations_and_append_only_audit(void **state)
{
	struct db *db = *state;
	char err[256];
	int64_t n;

	assert_int_equal(migrate_current_version(db), 0);
	assert_true(migrate_apply(db, err, sizeof(err)) >= 1);
	assert_int_equal(migrate_current_version(db), migrate_latest_version());
	/* Idempotent. */
	assert_int_equal(migrate_apply(db, err, sizeof(err)), 0);
	assert_int_equal(db_exec(db, "INSERT INTO audit_log (seq, ts_ms, action, result, prev_hash, hash)"
				     " VALUES (1, 0, 'x', 'success', 'p', 'h')"),
			 0);
	assert_int_equal(db_exec(db, "UPDATE audit_log SET detail = 'forged'"), DB_CONSTRAINT);
	assert_int_equal(db_exec(db, "DELETE FROM audit_log"), DB_CONSTRAINT);
	assert_int_equal(db_query_int(db, &n, "SELECT COUNT(*) FROM audit_log WHERE detail = ''"), DB_ROW);
	assert_int_equal(n, 1);
}

static void test_backup(void **state)
{
	struct db *db = *state, *copy;
	char bpath[160], err[256];
	int64_t n = 0;

	assert_int_equal(db_exec_script(db, "CREATE TABLE b (v TEXT); INSERT INTO b VALUES ('司法局');"), 0);
	snprintf(bpath, sizeof(bpath), "%s/backup.db", dir);
	assert_int_equal(db_backup(db, bpath, err, sizeof(err)), 0);
	/* Refuses to overwrite. */
	assert_int_equal(db_backup(db, bpath, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "无法创建备份文件"));
	assert_int_equal(db_open(&copy, bpath, err, sizeof(err)), 0);
	assert_int_equal(db_query_int(copy, &n, "SELECT COUNT(*) FROM b WHERE v = $1", db_text("司法局")), DB_ROW);
	assert_int_equal(n, 1);
	db_close(copy);
}

/* ids matching q through db_search_prepare, as a comma list. */
static void search_ids(struct db *db, const struct db_search_spec *spec, const char *q, char *out, size_t outlen)
{
	struct db_search s;
	struct db_stmt *st;
	char sql[1200];
	size_t n = 0;

	assert_int_equal(db_search_prepare(db, spec, q, 1, &s), 0);
	snprintf(sql, sizeof(sql), "SELECT id FROM doc WHERE id IN (%s) ORDER BY id", s.sql);
	assert_int_equal(db_prepare(db, &st, sql), 0);
	assert_int_equal(db_bind(st, db_text(s.arg)), 0);
	out[0] = '\0';
	while (db_step(st) == DB_ROW)
		n += (size_t)snprintf(out + n, outlen - n, "%s%lld", n ? "," : "", (long long)db_col_int(st, 0));
	db_done(st);
}

static void test_text_search(void **state)
{
	static const struct db_search_spec spec = {
		"doc_fts", { { "doc", "id", "title", "kind = 'a'" }, { "doc", "id", "body", NULL }, { NULL, NULL, NULL, NULL } }
	};
	struct db *db = *state;
	struct db_search s;
	char ids[64], like[16], big[1100];

	assert_int_equal(db_exec_script(db, "CREATE TABLE doc (id INTEGER PRIMARY KEY, kind TEXT, title TEXT, body TEXT);"
					    "CREATE VIRTUAL TABLE doc_fts USING fts5(title, body, tokenize = 'trigram');"
					    "INSERT INTO doc VALUES (1, 'a', '宅基地管理办法', '保障农民权益'),"
					    " (2, 'a', '生态环境保护', '补助不超过50%,采用PPP模式'),"
					    " (3, 'b', '宅基地清理', '其他'), (4, 'a', 'x', 'a_b 与 a\\b');"
					    "INSERT INTO doc_fts (rowid, title, body) SELECT id, title, body FROM doc WHERE kind = 'a';"),
			 0);
	/* Three characters or more: the FTS5 table, the query one quoted phrase. */
	assert_int_equal(db_search_prepare(db, &spec, "宅基地", 1, &s), 0);
	assert_non_null(strstr(s.sql, "doc_fts MATCH $1"));
	assert_string_equal(s.arg, "\"宅基地\"");
	search_ids(db, &spec, "宅基地", ids, sizeof(ids));
	assert_string_equal(ids, "1"); /* 3 is of another kind: not in the index */
	search_ids(db, &spec, "ppp模式", ids, sizeof(ids));
	assert_string_equal(ids, "2");
	search_ids(db, &spec, "\"宅基地\" OR 生态", ids, sizeof(ids));
	assert_string_equal(ids, "");
	/* One or two characters: LIKE over the sources, with the same rows. */
	assert_int_equal(db_search_prepare(db, &spec, "宅基", 2, &s), 0);
	assert_null(strstr(s.sql, "MATCH"));
	assert_non_null(strstr(s.sql, "title LIKE $2 ESCAPE"));
	search_ids(db, &spec, "宅基", ids, sizeof(ids));
	assert_string_equal(ids, "1");
	search_ids(db, &spec, "宅", ids, sizeof(ids));
	assert_string_equal(ids, "1");
	search_ids(db, &spec, "pP", ids, sizeof(ids));
	assert_string_equal(ids, "2");
	/* LIKE's wildcards and the escape character are plain text. */
	search_ids(db, &spec, "%", ids, sizeof(ids));
	assert_string_equal(ids, "2");
	search_ids(db, &spec, "_", ids, sizeof(ids));
	assert_string_equal(ids, "4");
	search_ids(db, &spec, "\\", ids, sizeof(ids));
	assert_string_equal(ids, "4");
	assert_string_equal(db_like_contains("5_%\\", like, sizeof(like)), "%5\\_\\%\\\\%");
	/* Too long for the buffers: refused, never cut. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(db_search_prepare(db, &spec, big, 1, &s), -1);
	assert_null(db_like_contains(big, like, sizeof(like)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_placeholders_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_normalisation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_use_of_same_statement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pragmas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrations_and_append_only_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_search, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
