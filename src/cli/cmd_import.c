/*
 * `fazhi import reconsideration|litigation FILE --org CODE`: import a
 * historical ledger (.csv or .xlsx). The whole file is checked first; any
 * bad row means nothing is imported and every problem is listed.
 * `fazhi import KIND --template FILE` writes the CSV template.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/arena.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/cases/case_import.h"
#include "core/banned.h"

#define IMPORT_MAX_FILE (64 * 1024 * 1024)

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || n > IMPORT_MAX_FILE || fseek(f, 0, SEEK_SET) < 0) {
		fclose(f);
		return NULL;
	}
	data = malloc((size_t)n + 1);
	if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return data;
}

static int write_template(const struct import_spec *spec, const char *path)
{
	struct arena a;
	size_t len;
	char *csv;
	FILE *f;
	int rc;

	arena_init(&a);
	csv = import_template_csv(&a, spec, &len);
	f = fopen(path, "wb");
	rc = f && fwrite(csv, 1, len, f) == len ? 0 : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	arena_release(&a);
	if (rc < 0) {
		fprintf(stderr, "fazhi import:无法写入 %s\n", path);
		return 1;
	}
	printf("已写出导入模板 %s\n", path);
	return 0;
}

int cmd_import(const struct conf *conf, int argc, char **argv)
{
	const char *kind = cli_arg(argc, argv, 0), *path = cli_arg(argc, argv, 1);
	const char *org = cli_flag(argc, argv, "--org"), *tmpl = cli_flag(argc, argv, "--template");
	const struct import_spec *spec = import_spec_find(kind);
	json_t *errors = NULL, *e;
	struct arena a;
	struct db *db;
	int64_t org_id = 0;
	char *data;
	size_t len, i;
	int n, rc = 1;

	if (!spec) {
		fprintf(stderr, "用法:fazhi import reconsideration|litigation 文件.csv|文件.xlsx --org 区划代码或机构编号\n"
				"      fazhi import reconsideration|litigation --template 模板.csv\n");
		return 2;
	}
	if (tmpl)
		return write_template(spec, tmpl);
	if (!path || !org) {
		fprintf(stderr, "fazhi import:请给出文件和 --org\n");
		return 2;
	}
	data = read_file(path, &len);
	if (!data) {
		fprintf(stderr, "fazhi import:无法读取 %s(文件不存在或超过64MB)\n", path);
		return 1;
	}
	if (cli_open_db(conf, 0, &db) < 0) {
		free(data);
		return 1;
	}
	if (db_query_int(db, &org_id, "SELECT id FROM org WHERE division_code = $1 OR CAST(id AS TEXT) = $1 ORDER BY id LIMIT 1",
			 db_text(org)) != DB_ROW) {
		fprintf(stderr, "fazhi import:找不到机构“%s”\n", org);
		goto out;
	}
	{
		char err[256];

		/* Open cases get their statutory deadlines: the holiday calendar is needed. */
		if (case_calendar_load(db, err, sizeof(err)) < 0) {
			fprintf(stderr, "fazhi import:节假日数据有误:%s\n", err);
			goto out;
		}
	}
	arena_init(&a);
	if (db_begin(db, DB_TX_WRITE) < 0) {
		arena_release(&a);
		goto out;
	}
	n = import_run(db, &a, spec, org_id, 0, data, len, &errors);
	if (n >= 0 && cli_audit(db, "case.import", "org", org_id,
				arena_printf(&a, "命令行导入%s历史台账 %d 件(%s)", spec->kind->name, n, path)) < 0)
		n = -2;
	if (n >= 0 && db_commit(db) == 0) {
		printf("已导入%s %d 件\n", spec->kind->name, n);
		rc = 0;
	} else {
		db_rollback(db);
		if (n == -2)
			fprintf(stderr, "fazhi import:数据库出错,未导入任何案件:%s\n", db_errmsg(db));
		else
			fprintf(stderr, "fazhi import:文件有%zu处问题,未导入任何案件:\n", json_array_size(errors));
		json_array_foreach (errors, i, e) {
			const char *col = json_string_value(json_object_get(e, "column"));

			fprintf(stderr, "  第%lld行%s%s%s:%s\n", (long long)json_integer_value(json_object_get(e, "line")),
				col && *col ? "「" : "", col ? col : "", col && *col ? "」" : "",
				json_string_value(json_object_get(e, "message")));
		}
	}
	json_decref(errors);
	arena_release(&a);
out:
	case_calendar_release();
	db_close(db);
	free(data);
	return rc;
}
