/* `fazhi serve`: bring the schema up to date, then run the HTTP server. */
#include <stdio.h>

#include "cli.h"
#include "core/conf.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/cases/case.h"
#include "domain/modules.h"
#include "http/server.h"
#include "core/banned.h"

int cmd_serve(const struct conf *conf, int argc, char **argv)
{
	struct db *db;
	char err[512];
	int rc;

	UNUSED(argv);
	if (argc > 1) {
		fprintf(stderr, "fazhi serve:不接受位置参数\n");
		return 2;
	}
	/* Migrations run once here, before any worker opens its connection. */
	if (cli_open_db(conf, 1, &db) < 0)
		return 1;
	rc = case_calendar_load(db, err, sizeof(err));
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "fazhi serve:节假日数据有误:%s\n", err);
		return 1;
	}
	if (cli_load_key(conf, 0) < 0)
		return 1;
	rc = server_run(conf, fazhi_modules) == 0 ? 0 : 1;
	case_calendar_release();
	return rc;
}
