/* `fazhi backup FILE`: SQLite online backup, safe while the server runs. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "db/db.h"
#include "core/banned.h"

int cmd_backup(const struct conf *conf, int argc, char **argv)
{
	const char *path = cli_arg(argc, argv, 0);
	char err[512];
	struct db *db;
	int rc;

	if (!path) {
		fprintf(stderr, "用法:fazhi backup 文件路径\n");
		return 2;
	}
	if (cli_open_db(conf, 0, &db) < 0)
		return 1;
	rc = db_backup(db, path, err, sizeof(err));
	if (rc == 0) {
		/* Fail closed: a backup that cannot be audited does not happen. */
		if (db_begin(db, DB_TX_WRITE) < 0 || cli_audit(db, "system.backup", "database", 0, path) < 0 ||
		    db_commit(db) < 0) {
			fprintf(stderr, "fazhi backup:无法写入审计记录(%s),已删除备份文件\n", db_errmsg(db));
			db_rollback(db);
			unlink(path);
			rc = -1;
		} else {
			printf("已备份到 %s\n", path);
		}
	} else {
		fprintf(stderr, "fazhi backup:%s\n", err);
	}
	db_close(db);
	return rc == 0 ? 0 : 1;
}
