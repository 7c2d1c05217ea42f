/* `fazhi version`. */
#include <stdio.h>

#include "cli.h"
#include "core/util.h"
#include "db/migrate.h"
#include "core/banned.h"

int cmd_version(const struct conf *conf, int argc, char **argv)
{
	UNUSED(conf);
	UNUSED(argc);
	UNUSED(argv);
	printf("fazhi %s(数据库结构版本 %d)\n", FAZHI_VERSION, migrate_latest_version());
	return 0;
}
