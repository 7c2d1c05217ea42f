/* `fazhi audit verify`: recompute the audit hash chain. Exit 0 when intact, 1 when broken. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "core/banned.h"

int cmd_audit(const struct conf *conf, int argc, char **argv)
{
	const char *sub = cli_arg(argc, argv, 0);
	struct audit_verify_result r;
	struct db *db;
	int rc;

	if (!sub || strcmp(sub, "verify")) {
		fprintf(stderr, "用法:fazhi audit verify\n");
		return 2;
	}
	if (cli_open_db(conf, 0, &db) < 0)
		return 1;
	rc = audit_verify(db, &r);
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "fazhi audit verify:读取审计日志失败\n");
		return 1;
	}
	if (r.first_bad) {
		printf("审计链校验失败:第 %lld 条记录处断开。%s\n", (long long)r.first_bad, r.reason);
		return 1;
	}
	printf("审计链完整:共 %lld 条记录,全部校验通过\n", (long long)r.checked);
	if (r.imported_chains)
		printf("迁入的县级审计链 %lld 条,共 %lld 条记录,全部校验通过\n", (long long)r.imported_chains,
		       (long long)r.imported_checked);
	return 0;
}
