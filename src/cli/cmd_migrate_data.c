/*
 * `fazhi migrate-data --from var/fazhi.db --to postgresql://… [--username-prefix p_]`:
 * move a county's SQLite database into PostgreSQL. The target gets the
 * schema. Into an empty database every table is copied as it is, in an order
 * that satisfies its references, all in one transaction; identity sequences
 * are moved past the copied ids; the row counts of every table and the audit
 * chain are verified on the target before the command reports success; the
 * county's chain becomes the instance's live chain. Into a database that
 * already holds other counties the county becomes one more tenant, with its
 * ids remapped and its chain imported: migrate_tenant.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "migrate_summary.h"
#include "migrate_tenant.h"
#include "domain/audit/audit.h"
#include "core/banned.h"

#define MAX_TABLES 128

/* Tables in the order their references need; others follow in creation order. */
static const char *const table_order[] = {
	"org",		   "role",	     "role_permission", "app_user",	   "user_role",	       "setting",
	"audit_head",	   "audit_log",	     "calendar_year",	"calendar_day",	   "case_file",	       "case_counter",
	"reconsideration", "litigation",     "case_party",	"case_event",	   "case_deadline",    "case_pause",
	"case_attachment", "case_note",	     "ledger_category", "ledger_entry",	   "ledger_attachment", "report",
	"report_section",  "report_figure",
};

/*
 * Never copied: sessions end with the move; the schema version is the
 * target's own; the metric summaries (sql/0010) are built on the target from
 * the copied rows once they are all there (migrate_summary.h).
 */
static int skipped(const char *t)
{
	return !strcmp(t, "session") || !strcmp(t, "schema_version") || !strncmp(t, "sqlite_", 7) ||
	       strstr(t, "_fts") != NULL || !strcmp(t, "case_summary") || !strcmp(t, "ledger_summary");
}

static int list_tables(struct db *src, char tables[][64], size_t *n)
{
	struct db_stmt *st;
	size_t i, k;

	*n = 0;
	for (i = 0; i < ARRAY_SIZE(table_order); i++)
		snprintf(tables[(*n)++], 64, "%s", table_order[i]);
	if (db_prepare(src, &st, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid") < 0)
		return -1;
	while (db_step(st) == DB_ROW && *n < MAX_TABLES) {
		const char *t = db_col_text(st, 0);
		int known = 0;

		for (k = 0; k < *n; k++)
			known |= !strcmp(tables[k], t);
		if (!known && !skipped(t))
			snprintf(tables[(*n)++], 64, "%s", t);
	}
	db_done(st);
	return 0;
}

/* Copy one table; returns the number of rows copied or -1. */
static int64_t copy_table(struct db *src, struct db *dst, const char *table)
{
	char sel[512];
	struct db_stmt *in, *out;
	struct buf ins;
	int64_t rows = 0;
	int ncols, i, rc;

	/* orgs parent-first (a parent's path is a prefix of its children's) */
	snprintf(sel, sizeof(sel), "SELECT * FROM %.63s%s", table,
		 !strcmp(table, "org") ? " ORDER BY LENGTH(path), id" : "");
	if (db_prepare(src, &in, sel) < 0)
		return -1;
	ncols = db_col_count(in);
	buf_init(&ins, 0);
	buf_printf(&ins, "INSERT INTO %s (", table);
	for (i = 0; i < ncols; i++)
		buf_printf(&ins, "%s%s", i ? ", " : "", db_col_name(in, i));
	buf_puts(&ins, ") VALUES (");
	for (i = 0; i < ncols; i++)
		buf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
	buf_puts(&ins, ")");
	while ((rc = db_step(in)) == DB_ROW) {
		if (db_prepare(dst, &out, ins.p) < 0) {
			rows = -1;
			break;
		}
		for (i = 0; i < ncols; i++) {
			if (db_col_is_null(in, i))
				db_bind_null(out, i + 1);
			else
				db_bind_text(out, i + 1, db_col_text(in, i));
		}
		rc = db_step(out);
		db_done(out);
		if (rc < 0) {
			fprintf(stderr, "fazhi migrate-data:复制 %s 失败:%s\n", table, db_errmsg(dst));
			rows = -1;
			break;
		}
		rows++;
	}
	db_done(in);
	buf_release(&ins);
	return rc < 0 ? -1 : rows;
}

static int64_t count_rows(struct db *db, const char *table)
{
	char sql[128];
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %.63s", table);
	return db_query_int(db, &n, sql) == DB_ROW ? n : -1;
}

/* Identity columns continue after the copied ids. */
static int move_sequences(struct db *dst, const char *table)
{
	char sql[512];
	int64_t has_id = 0;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = '%.63s'"
			      " AND column_name = 'id' AND is_identity = 'YES'", table);
	if (db_query_int(dst, &has_id, sql) != DB_ROW || !has_id)
		return 0;
	snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence('%.63s', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM %.63s",
		 table, table);
	return db_exec_script(dst, sql);
}

int cmd_migrate_data(const struct conf *conf, int argc, char **argv)
{
	const char *from = cli_flag(argc, argv, "--from"), *to = cli_flag(argc, argv, "--to");
	const char *prefix = cli_flag(argc, argv, "--username-prefix");
	const char *from_key = cli_flag(argc, argv, "--from-key-file");
	char src_key[1024];
	static char tables[MAX_TABLES][64];
	struct audit_verify_result vr;
	struct db *src = NULL, *dst = NULL;
	char err[512];
	int64_t existing = 0;
	size_t n, i;
	int rc = 1;

	if (!from || !to || db_is_url(from) || !db_is_url(to)) {
		fprintf(stderr, "用法:fazhi migrate-data --from 文件.db --to postgresql://用户@主机:端口/库名"
				" [--username-prefix 前缀] [--from-key-file 本县密钥] [--key-file 共享库密钥]\n");
		return 2;
	}
	if (db_open(&src, from, err, sizeof(err)) < 0 || db_open(&dst, to, err, sizeof(err)) < 0) {
		fprintf(stderr, "fazhi migrate-data:%s\n", err);
		goto out;
	}
	if (migrate_current_version(src) != migrate_latest_version()) {
		fprintf(stderr, "fazhi migrate-data:源数据库结构版本不是最新,请先对它运行 fazhi init\n");
		goto out;
	}
	if (migrate_apply(dst, err, sizeof(err)) < 0) {
		fprintf(stderr, "fazhi migrate-data:%s\n", err);
		goto out;
	}
	if (db_query_int(dst, &existing, "SELECT COUNT(*) FROM org") != DB_ROW) {
		fprintf(stderr, "fazhi migrate-data:%s\n", db_errmsg(dst));
		goto out;
	}
	if (existing) {
		struct migrate_tenant_opts o = { from, prefix, src_key, *conf->key_file ? conf->key_file : "var/fazhi.key" };

		/* The county's key lies beside its file unless it was kept elsewhere (as cli_load_key finds it). */
		snprintf(src_key, sizeof(src_key), "%s", from_key ? from_key : "");
		if (!from_key)
			snprintf(src_key, sizeof(src_key), "%s.key", from);
		rc = migrate_tenant(src, dst, &o);
		goto out;
	}
	if (prefix && *prefix) {
		fprintf(stderr, "fazhi migrate-data:目标库为空,本县的用户名保持原样,--username-prefix 只用于迁入已有其他县的共享库\n");
		goto out;
	}
	if (list_tables(src, tables, &n) < 0 || db_begin(dst, DB_TX_WRITE) < 0 || migrate_summary_defer(dst) < 0) {
		fprintf(stderr, "fazhi migrate-data:%s\n", db_errmsg(dst));
		goto out;
	}
	/* Dictionaries the migrations seeded on the target give way to the county's own. */
	for (i = n; i-- > 0;) {
		char sql[128];

		if (count_rows(dst, tables[i]) > 0) {
			snprintf(sql, sizeof(sql), "DELETE FROM %.63s", tables[i]);
			if (db_exec_script(dst, sql) < 0) {
				fprintf(stderr, "fazhi migrate-data:清空目标表 %s 失败:%s\n", tables[i], db_errmsg(dst));
				db_rollback(dst);
				goto out;
			}
		}
	}
	for (i = 0; i < n; i++) {
		int64_t copied = copy_table(src, dst, tables[i]);

		if (copied < 0 || move_sequences(dst, tables[i]) < 0) {
			db_rollback(dst);
			goto out;
		}
		printf("  %-20s %lld 行\n", tables[i], (long long)copied);
	}
	/* The target had no org before, so no summary row: build them all. */
	if (migrate_summary_rebuild(dst, "%") < 0) {
		fprintf(stderr, "fazhi migrate-data:生成统计汇总失败:%s\n", db_errmsg(dst));
		db_rollback(dst);
		goto out;
	}
	if (db_commit(dst) < 0) {
		fprintf(stderr, "fazhi migrate-data:提交失败:%s\n", db_errmsg(dst));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (count_rows(src, tables[i]) != count_rows(dst, tables[i])) {
			fprintf(stderr, "fazhi migrate-data:%s 的行数不一致\n", tables[i]);
			goto out;
		}
	}
	if (audit_verify(dst, &vr) < 0 || vr.first_bad) {
		fprintf(stderr, "fazhi migrate-data:迁移后审计链校验失败:%s\n", vr.reason);
		goto out;
	}
	if (db_begin(dst, DB_TX_WRITE) < 0 ||
	    cli_audit(dst, "system.migrate_data", "database", 0, "由 SQLite 数据库迁入 PostgreSQL") < 0 ||
	    db_commit(dst) < 0) {
		fprintf(stderr, "fazhi migrate-data:无法写入审计记录:%s\n", db_errmsg(dst));
		db_rollback(dst);
		goto out;
	}
	printf("迁移完成:%zu 张表的行数一致,审计链 %lld 条记录校验通过。附件目录(files)请另行复制,密钥文件一并保管。\n", n,
	       (long long)vr.checked);
	rc = 0;
out:
	db_close(src);
	db_close(dst);
	return rc;
}
