/*
 * `fazhi report --org X --year 2021 -o FILE.docx|.html|.txt`: the annual
 * report of an org — its stored narrative and (frozen or live) figures when
 * a report exists, else the template's default text with live figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/util.h"
#include "db/db.h"
#include "report/metric.h"
#include "report/report.h"
#include "report/report_store.h"
#include "core/banned.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len) {
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

int cmd_report(const struct conf *conf, int argc, char **argv)
{
	const char *org = cli_flag(argc, argv, "--org"), *year = cli_flag(argc, argv, "--year");
	const char *out = cli_flag(argc, argv, "-o");
	struct report_data r;
	struct report_view v;
	struct metric_scope s;
	char *data = NULL;
	size_t len = 0;
	int64_t y, id = 0;
	struct db *db;
	int rc = 1;

	if (!out)
		out = cli_flag(argc, argv, "--output");
	if (!org || !year || !out || parse_int64_cstr(year, &y) < 0 || y < 2000 || y > 2100) {
		fprintf(stderr, "用法:fazhi report --org 机构编号或区划代码 --year 年度 -o 文件.docx|.html|.txt\n");
		return 2;
	}
	if (!ends_with(out, ".docx") && !ends_with(out, ".html") && !ends_with(out, ".txt")) {
		fprintf(stderr, "fazhi report:输出文件应以 .docx、.html 或 .txt 结尾\n");
		return 2;
	}
	if (cli_open_db(conf, 0, &db) < 0)
		return 1;
	memset(&s, 0, sizeof(s));
	memset(&r, 0, sizeof(r));
	if (metric_scope_org(db, org, &s, r.org_name, sizeof(r.org_name)) != DB_ROW) {
		fprintf(stderr, "fazhi report:找不到机构“%s”\n", org);
		goto out;
	}
	db_query_int(db, &id, "SELECT id FROM report WHERE org_id = $1 AND year = $2 AND template = 'annual'",
		     db_int(s.org_id), db_int(y));
	if (id && report_load(db, id, &r) != DB_ROW) {
		fprintf(stderr, "fazhi report:读取报告失败\n");
		goto out;
	}
	if (!id) {
		/* No report written yet: the template's default text with live figures. */
		r.org_id = s.org_id;
		r.year = (int)y;
		snprintf(r.template_id, sizeof(r.template_id), "annual");
		db_query_text(db, r.org_short, sizeof(r.org_short), "SELECT COALESCE(short_name, '') FROM org WHERE id = $1",
			      db_int(s.org_id));
		r.narratives = json_object();
		r.figures = report_compute_figures(db, s.org_id, (int)y);
		if (!r.figures) {
			fprintf(stderr, "fazhi report:计算指标失败\n");
			goto out;
		}
	}
	report_view_of(&r, &v);
	if (ends_with(out, ".html"))
		data = report_html(&v, &len);
	else if (ends_with(out, ".txt"))
		data = report_text(&v, &len);
	else if (report_docx(&v, &data, &len) < 0)
		data = NULL;
	if (!data || write_file(out, data, len) < 0) {
		fprintf(stderr, "fazhi report:写入 %s 失败\n", out);
		goto out;
	}
	printf("已生成 %s(%s%lld年度%s)\n", out, r.org_name, (long long)y, r.frozen ? ",已定稿" : "");
	rc = 0;
out:
	free(data);
	report_data_release(&r);
	db_close(db);
	return rc;
}
