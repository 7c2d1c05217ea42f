/* Unit tests for the audit chain on a real SQLite file: append inside
 * transactions, verify, and detection of edited, deleted and truncated rows;
 * the same for a chain imported into another database (migrate-data). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/crypto.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/audit/audit.h"

static char dir[64];

static int setup(void **state)
{
	char path[128], err[256];
	struct db *db;
	int i;

	snprintf(dir, sizeof(dir), "/tmp/fazhi-audit-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(&db, path, err, sizeof(err)) < 0 || migrate_apply(db, err, sizeof(err)) < 0)
		return -1;
	for (i = 1; i <= 10; i++) {
		struct audit_event ev = { 0 };
		char id[8];

		snprintf(id, sizeof(id), "%d", i);
		ev.user_id = i % 3;
		ev.username = i % 3 ? "admin" : "";
		ev.ip = "127.0.0.1";
		ev.action = "org.create";
		ev.object_type = "org";
		ev.object_id = id;
		ev.success = i != 4;
		ev.detail = "新建机构";
		if (audit_append_tx(db, &ev) < 0)
			return -1;
	}
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	db_close(*state);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_intact_chain_verifies(void **state)
{
	struct audit_verify_result r;
	char prev[80], first_prev[80];

	assert_int_equal(audit_verify(*state, &r), 0);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.checked, 10);
	/* Each record points at its predecessor's hash. */
	assert_int_equal(db_query_text(*state, prev, sizeof(prev), "SELECT prev_hash FROM audit_log WHERE seq = 5"),
			 DB_ROW);
	assert_int_equal(
	    db_query_text(*state, first_prev, sizeof(first_prev), "SELECT hash FROM audit_log WHERE seq = 4"), DB_ROW);
	assert_string_equal(prev, first_prev);
}

static void test_edited_row_is_found(void **state)
{
	struct audit_verify_result r;

	assert_int_equal(db_exec_script(*state, "DROP TRIGGER audit_log_no_update;"
						"UPDATE audit_log SET detail = '删除机构' WHERE seq = 6"),
			 0);
	assert_int_equal(audit_verify(*state, &r), 0);
	assert_int_equal(r.first_bad, 6);
	assert_non_null(strstr(r.reason, "被篡改"));
}

static void test_deleted_row_is_found(void **state)
{
	struct audit_verify_result r;

	assert_int_equal(db_exec_script(*state, "DROP TRIGGER audit_log_no_delete;"
						"DELETE FROM audit_log WHERE seq = 3"),
			 0);
	assert_int_equal(audit_verify(*state, &r), 0);
	assert_int_equal(r.first_bad, 3);
	assert_non_null(strstr(r.reason, "缺少序号为 3"));
}

static void test_truncated_tail_is_found(void **state)
{
	struct audit_verify_result r;

	assert_int_equal(db_exec_script(*state, "DROP TRIGGER audit_log_no_delete;"
						"DELETE FROM audit_log WHERE seq >= 9"),
			 0);
	assert_int_equal(audit_verify(*state, &r), 0);
	assert_int_equal(r.first_bad, 9);
	assert_non_null(strstr(r.reason, "截断"));
}

static void test_failed_append_leaves_no_trace(void **state)
{
	struct audit_event ev = { 0 };
	struct audit_verify_result r;
	int64_t n;

	ev.action = "x";
	assert_int_equal(db_begin(*state, DB_TX_WRITE), 0);
	assert_int_equal(audit_append(*state, &ev), 0);
	db_rollback(*state); /* the business change failed: its record goes too */
	assert_int_equal(db_query_int(*state, &n, "SELECT COUNT(*) FROM audit_log"), DB_ROW);
	assert_int_equal(n, 10);
	assert_int_equal(audit_verify(*state, &r), 0);
	assert_int_equal(r.first_bad, 0);
}

/* The chain of *state imported into a second database as the chain of a tenant (migrate-data). */
static struct db *imported(void **state)
{
	char path[128], err[256];
	struct db *dst;
	int64_t records = 0;

	snprintf(path, sizeof(path), "%s/city.db", dir);
	assert_int_equal(db_open(&dst, path, err, sizeof(err)), 0);
	assert_true(migrate_apply(dst, err, sizeof(err)) >= 0);
	assert_int_equal(db_exec_script(dst, "INSERT INTO org (id, kind, name, path, created_at, updated_at)"
					     " VALUES (7, 'government', '平湖市人民政府', '/7/', 0, 0)"),
			 0);
	assert_int_equal(db_begin(dst, DB_TX_WRITE), 0);
	assert_int_equal(audit_import_chain(dst, *state, 7, "t.db", "{}", &records, err, sizeof(err)), 0);
	assert_int_equal(db_commit(dst), 0);
	assert_int_equal(records, 10);
	return dst;
}

static void test_imported_chain_verifies(void **state)
{
	struct audit_verify_result r;
	struct db *dst = imported(state);
	char detail[400];

	assert_int_equal(audit_verify(dst, &r), 0);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.checked, 1); /* the anchor */
	assert_int_equal(r.imported_chains, 1);
	assert_int_equal(r.imported_checked, 10);
	assert_int_equal(db_query_text(dst, detail, sizeof(detail), "SELECT detail FROM audit_log WHERE seq = 1"), DB_ROW);
	assert_non_null(strstr(detail, "10 条记录"));
	/* Append-only like audit_log. */
	assert_true(db_exec_script(dst, "UPDATE audit_import_log SET detail = 'x' WHERE seq = 1") < 0);
	assert_true(db_exec_script(dst, "DELETE FROM audit_import") < 0);
	db_close(dst);
}

static void test_imported_chain_tampering_is_found(void **state)
{
	static const struct {
		const char *sql, *reason;
	} cases[] = {
		{ "DROP TRIGGER audit_import_log_no_update; UPDATE audit_import_log SET detail = '改过' WHERE seq = 4",
		  "被篡改" },
		{ "DROP TRIGGER audit_import_log_no_delete; DELETE FROM audit_import_log WHERE seq >= 9", "截断" },
		{ "DROP TRIGGER audit_import_log_no_delete; DELETE FROM audit_import_log WHERE seq = 2", "缺少序号为 2" },
		{ "DROP TRIGGER audit_import_no_update; DROP TRIGGER audit_import_log_no_delete;"
		  " DELETE FROM audit_import_log WHERE seq = 10; UPDATE audit_import SET records = 9, head_seq = 9,"
		  " head_hash = (SELECT hash FROM audit_import_log WHERE seq = 9)",
		  "没有与之相符的迁入记录" },
	};
	struct audit_verify_result r;
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct db *dst = imported(state);

		assert_int_equal(db_exec_script(dst, cases[i].sql), 0);
		assert_int_equal(audit_verify(dst, &r), 0);
		assert_true(r.first_bad > 0);
		assert_non_null(strstr(r.reason, "迁入的审计链"));
		assert_non_null(strstr(r.reason, cases[i].reason));
		db_close(dst);
		snprintf(path, sizeof(path), "%s/city.db", dir);
		unlink(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intact_chain_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edited_row_is_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_row_is_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_tail_is_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_append_leaves_no_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imported_chain_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imported_chain_tampering_is_found, setup, teardown),
	};

	if (crypto_setup() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
