/* `fazhi deadlines [--within N]`: every open statutory deadline due within N days or overdue. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/cases/case.h"
#include "core/banned.h"

int cmd_deadlines(const struct conf *conf, int argc, char **argv)
{
	const char *within = cli_flag(argc, argv, "--within");
	int64_t days = 7;
	json_t *items, *d;
	char err[512];
	struct db *db;
	size_t i;
	int rc;

	if (within && (parse_int64_cstr(within, &days) < 0 || days < 0 || days > 366)) {
		fprintf(stderr, "fazhi deadlines:--within 应为0到366之间的天数\n");
		return 2;
	}
	if (cli_open_db(conf, 0, &db) < 0)
		return 1;
	rc = case_calendar_load(db, err, sizeof(err));
	if (rc == 0)
		rc = case_store_due(db, "%", (int)days, &items);
	db_close(db);
	case_calendar_release();
	if (rc < 0) {
		fprintf(stderr, "fazhi deadlines:读取失败\n");
		return 1;
	}
	printf("%-10s  %-10s  %-24s  %-20s  %s\n", "到期日", "剩余", "案号", "期限", "案件");
	json_array_foreach (items, i, d) {
		int left = (int)json_integer_value(json_object_get(d, "days_left"));
		char when[32];

		if (left < 0)
			snprintf(when, sizeof(when), "逾期%d天", -left);
		else if (left == 0)
			snprintf(when, sizeof(when), "今天到期");
		else
			snprintf(when, sizeof(when), "%d天", left);
		printf("%-10s  %-10s  %-24s  %-20s  %s%s\n", json_string_value(json_object_get(d, "due_date")), when,
		       json_string_value(json_object_get(d, "case_no")), json_string_value(json_object_get(d, "name")),
		       json_string_value(json_object_get(d, "title")),
		       json_is_true(json_object_get(d, "provisional")) ? "(暂按双休日推算)" : "");
	}
	printf("共 %zu 项\n", json_array_size(items));
	json_decref(items);
	return 0;
}
