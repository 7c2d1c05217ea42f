/*
 * Unit tests for the write watch (src/db/db_watch.c) on a real SQLite file:
 * reads never move the generation, a write to a watched table moves it when
 * prepared and again when its transaction ends (commit or rollback), a
 * write to another table does not (even when it reads a watched one, or has
 * a column of a watched table's name, or the name only contains a watched
 * one), WITH statements and scripts count when they name a watched table
 * anywhere, and a connection's ignored writes do not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"

static const char *const watched[] = { "session", "app_user", NULL };
static char dir[64];

static int setup(void **state)
{
	struct db *db;
	char path[128], err[256];

	snprintf(dir, sizeof(dir), "/tmp/fazhi-watch-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(&db, path, err, sizeof(err)) < 0)
		return -1;
	if (db_exec_script(db, "CREATE TABLE session (id INTEGER PRIMARY KEY, v INTEGER);"
			       "CREATE TABLE app_user (id INTEGER PRIMARY KEY, v INTEGER);"
			       "CREATE TABLE session_log (id INTEGER PRIMARY KEY, v INTEGER);"
			       "CREATE TABLE other (id INTEGER PRIMARY KEY, v INTEGER, session INTEGER);") < 0)
		return -1;
	db_watch_tables(watched);
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

static void test_reads_and_other_tables_do_not_move(void **state)
{
	struct db *db = *state;
	uint64_t g = db_watch_generation();
	int64_t n;

	assert_int_equal(db_query_int(db, &n, "SELECT COUNT(*) FROM session"), DB_ROW);
	assert_int_equal(db_query_int(db, &n, "  select count(*) from app_user where id = $1", db_int(1)), DB_ROW);
	assert_int_equal(db_exec(db, "INSERT INTO other (v) VALUES (1)"), 0);
	assert_int_equal(db_exec(db, "INSERT INTO session_log (v) VALUES (1)"), 0);
	assert_int_equal(db_exec(db, "UPDATE other SET v = 2 WHERE v = 1"), 0);
	/* Only the table written counts, not what the statement reads or its columns' names. */
	assert_int_equal(db_exec(db, "INSERT INTO other (v, session) SELECT v, v FROM session"), 0);
	assert_int_equal(db_exec(db, "DELETE FROM other WHERE v IN (SELECT v FROM app_user)"), 0);
	assert_int_equal(db_exec(db, "UPDATE other SET session = (SELECT MAX(v) FROM session)"), 0);
	assert_true(db_watch_generation() == g);
}

static void test_write_outside_transaction_moves_twice(void **state)
{
	struct db *db = *state;
	uint64_t g = db_watch_generation();

	assert_int_equal(db_exec(db, "INSERT INTO session (v) VALUES (1)"), 0);
	assert_true(db_watch_generation() == g + 2);
	/* Any case, leading blanks, the forms of INSERT, UPDATE and DELETE, quoted and with a schema. */
	assert_int_equal(db_exec(db, "\n  delete FROM APP_USER WHERE v IN (SELECT v FROM other)"), 0);
	assert_true(db_watch_generation() == g + 4);
	assert_int_equal(db_exec(db, "UPDATE \"session\" SET v = 2"), 0);
	assert_true(db_watch_generation() == g + 6);
	assert_int_equal(db_exec(db, "INSERT OR REPLACE INTO main.\"session\" (id, v) VALUES (1, 7)"), 0);
	assert_true(db_watch_generation() == g + 8);
	assert_int_equal(db_exec(db, "UPDATE OR IGNORE app_user SET v = 3"), 0);
	assert_true(db_watch_generation() == g + 10);
	assert_int_equal(db_exec(db, "REPLACE INTO session (id, v) VALUES (1, 8)"), 0);
	assert_true(db_watch_generation() == g + 12);
	/* A WITH statement counts when it names a watched table anywhere (its target is not parsed). */
	assert_int_equal(db_exec(db, "WITH x AS (SELECT v FROM session) UPDATE other SET v = (SELECT MAX(v) FROM x)"), 0);
	assert_true(db_watch_generation() == g + 14);
}

static void test_transaction_moves_at_prepare_and_at_end(void **state)
{
	struct db *db = *state;
	uint64_t g = db_watch_generation();

	assert_int_equal(db_begin(db, DB_TX_WRITE), 0);
	assert_int_equal(db_exec(db, "UPDATE app_user SET v = 1"), 0);
	assert_true(db_watch_generation() == g + 1); /* before anyone can read the change */
	assert_int_equal(db_exec(db, "INSERT INTO other (v) VALUES (3)"), 0);
	assert_true(db_watch_generation() == g + 1);
	assert_int_equal(db_commit(db), 0);
	assert_true(db_watch_generation() == g + 2); /* once the change is visible */

	g = db_watch_generation();
	assert_int_equal(db_begin(db, DB_TX_WRITE), 0);
	assert_int_equal(db_exec(db, "INSERT INTO session (v) VALUES (5)"), 0);
	db_rollback(db);
	assert_true(db_watch_generation() == g + 2);

	/* A transaction that wrote nothing watched ends without a move. */
	g = db_watch_generation();
	assert_int_equal(db_begin(db, DB_TX_WRITE), 0);
	assert_int_equal(db_exec(db, "INSERT INTO other (v) VALUES (4)"), 0);
	assert_int_equal(db_commit(db), 0);
	assert_true(db_watch_generation() == g);
}

static void test_scripts_and_ignored_writes(void **state)
{
	struct db *db = *state;
	uint64_t g = db_watch_generation();

	assert_int_equal(db_exec_script(db, "UPDATE other SET v = 0; UPDATE session SET v = 0;"), 0);
	assert_true(db_watch_generation() == g + 2);

	g = db_watch_generation();
	db_watch_ignore(db, 1);
	assert_int_equal(db_exec(db, "UPDATE session SET v = 9"), 0);
	db_watch_ignore(db, 0);
	assert_true(db_watch_generation() == g);
	assert_int_equal(db_exec(db, "UPDATE session SET v = 10"), 0);
	assert_true(db_watch_generation() == g + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reads_and_other_tables_do_not_move, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_outside_transaction_moves_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transaction_moves_at_prepare_and_at_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scripts_and_ignored_writes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
