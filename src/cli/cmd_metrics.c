/*
 * `fazhi metrics --org X --year Y [--json] [--records]`: every metric of the
 * catalogue, as a table or JSON (--records: computed from the records alone,
 * not the summary tables). `fazhi metrics --check-summary`: the summary tables
 * against their records; exit 1 listing the rows that differ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/util.h"
#include "db/db.h"
#include "report/metric.h"
#include "core/banned.h"

static void print_number(json_t *v, const char *unit)
{
	if (json_is_null(v) || !v)
		printf("%-12s", "(缺数据)");
	else if (json_is_integer(v))
		printf("%-12lld", (long long)json_integer_value(v));
	else
		printf("%-12.2f", json_real_value(v));
	(void)unit;
}

/* --check-summary: 0 when every summary row equals its records' aggregate, else 1 with the rows listed. */
static int check_summary(const struct conf *conf)
{
	struct db *db;
	int rc;

	if (cli_open_db(conf, 0, &db) < 0)
		return 1;
	rc = metric_summary_check(db, stdout);
	db_close(db);
	if (rc < 0)
		fprintf(stderr, "fazhi metrics:核对统计汇总表失败\n");
	else if (rc > 0)
		fprintf(stderr, "fazhi metrics:统计汇总表有 %d 行与记录不符\n", rc);
	else
		printf("统计汇总表与记录一致\n");
	return rc == 0 ? 0 : 1;
}

int cmd_metrics(const struct conf *conf, int argc, char **argv)
{
	const char *org = cli_flag(argc, argv, "--org"), *year = cli_flag(argc, argv, "--year");
	const struct metric_catalog *c = metric_catalog();
	struct metric_scope s;
	char name[256];
	int64_t y;
	struct db *db;
	json_t *all, *fig;
	const char *id;
	int rc;

	if (cli_has(argc, argv, "--check-summary"))
		return check_summary(conf);
	if (!org || !year || parse_int64_cstr(year, &y) < 0 || y < 2000 || y > 2100) {
		fprintf(stderr, "用法:fazhi metrics --org 机构编号或区划代码 --year 年度 [--json] [--records]\n"
				"      fazhi metrics --check-summary\n");
		return 2;
	}
	if (!c) {
		fprintf(stderr, "fazhi metrics:指标目录加载失败\n");
		return 1;
	}
	if (cli_open_db(conf, 0, &db) < 0)
		return 1;
	memset(&s, 0, sizeof(s));
	rc = metric_scope_org(db, org, &s, name, sizeof(name));
	if (rc != DB_ROW) {
		fprintf(stderr, "fazhi metrics:找不到机构“%s”\n", org);
		db_close(db);
		return 1;
	}
	s.from = (int)y * 10000 + 101;
	s.to = (int)y * 10000 + 1231;
	metric_use_summary(!cli_has(argc, argv, "--records"));
	all = metric_all_json(db, c, &s);
	db_close(db);
	if (!all) {
		fprintf(stderr, "fazhi metrics:计算失败\n");
		return 1;
	}
	if (cli_has(argc, argv, "--json")) {
		json_t *doc = json_pack("{s:s,s:I,s:o}", "org", name, "year", (json_int_t)y, "metrics", all);
		char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		printf("%s\n", text ? text : "{}");
		free(text);
		json_decref(doc);
		return 0;
	}
	printf("%s %lld年度\n%-40s %-12s %-12s %-10s %s\n", name, (long long)y, "指标", "本期", "上年同期", "同比", "名称");
	json_object_foreach (all, id, fig) {
		const char *unit = json_string_value(json_object_get(fig, "unit"));
		json_t *yoy = json_object_get(fig, "yoy");

		printf("%-40s ", id);
		print_number(json_object_get(fig, "value"), unit);
		printf(" ");
		print_number(json_object_get(fig, "previous"), unit);
		if (json_is_number(yoy))
			printf(" %+-9.2f%s", json_number_value(yoy), json_string_value(json_object_get(fig, "yoy_unit")));
		else
			printf(" %-10s", "-");
		printf(" %s(%s)\n", json_string_value(json_object_get(fig, "name")), unit);
	}
	json_decref(all);
	return 0;
}
