/*
 * fazhi entry point: settings, then the command table. No other logic here.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/conf.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/util.h"
#include "core/banned.h"

static const char *const init_flags[] = { "--demo", "--org-name", "--division-code", "--help", NULL };
static const char *const user_flags[] = { "--name", "--org", "--role", "--help", NULL };
static const char *const help_only[] = { "--help", NULL };
static const char *const migrate_flags[] = { "--from", "--to", "--username-prefix", "--from-key-file", "--help", NULL };
static const char *const within_flags[] = { "--within", "--help", NULL };
static const char *const metrics_flags[] = { "--org", "--year", "--json", "--records", "--check-summary", "--help", NULL };
static const char *const report_flags[] = { "--org", "--year", "-o", "--output", "--help", NULL };
static const char *const import_flags[] = { "--org", "--template", "--help", NULL };

static const struct cli_command commands[] = {
	{ "serve", cmd_serve, "启动 HTTP 服务(前台运行,SIGTERM 平滑退出)", "fazhi serve [选项]", help_only },
	{ "init", cmd_init, "创建或升级数据库结构,创建首个管理员;--demo 载入嘉善县演示数据",
	  "fazhi init [--demo] [--division-code 330421 | --org-name 名称] [选项]\n"
	  "  首个管理员 admin 的密码取自环境变量 FAZHI_ADMIN_PASSWORD,或在终端输入;都没有时随机生成并打印(首次登录须修改)",
	  init_flags },
	{ "user", cmd_user, "用户管理:add | passwd | lock | unlock | list",
	  "fazhi user add 用户名 --name 姓名 --org 机构编号或区划代码 [--role 角色代码,...]\n"
	  "fazhi user passwd 用户名      (新密码取自 FAZHI_NEW_PASSWORD 或终端输入)\n"
	  "fazhi user lock 用户名\n"
	  "fazhi user unlock 用户名      (同时解除因密码错误造成的锁定)\n"
	  "fazhi user list",
	  user_flags },
	{ "deadlines", cmd_deadlines, "列出到期和逾期的法定期限", "fazhi deadlines [--within 天数,默认7]", within_flags },
	{ "metrics", cmd_metrics, "计算某机构某年度的全部统计指标(含上年同期与同比)",
	  "fazhi metrics --org 机构编号或区划代码 --year 年度 [--json] [--records]\n"
	  "fazhi metrics --check-summary", metrics_flags },
	{ "report", cmd_report, "生成年度法治政府建设情况报告(.docx / .html / .txt)",
	  "fazhi report --org 机构编号或区划代码 --year 年度 -o 文件.docx", report_flags },
	{ "import", cmd_import, "导入历史案件台账(.csv / .xlsx,整表校验,有错则一件不导)",
	  "fazhi import reconsideration|litigation 文件 --org 区划代码或机构编号\n"
	  "fazhi import reconsideration|litigation --template 模板.csv",
	  import_flags },
	{ "migrate-data", cmd_migrate_data, "把县级 SQLite 数据库迁入 PostgreSQL,空库或已有其他县的共享库(核对行数与审计链)",
	  "fazhi migrate-data --from var/fazhi.db --to postgresql://用户@主机:端口/库名 [--username-prefix 前缀]\n"
	  "  [--from-key-file 本县密钥文件] [--key-file 共享库密钥文件]", migrate_flags },
	{ "audit", cmd_audit, "审计日志:verify 校验哈希链", "fazhi audit verify", help_only },
	{ "backup", cmd_backup, "在线备份数据库到新文件(服务运行中也安全)", "fazhi backup 文件路径", help_only },
	{ "version", cmd_version, "显示版本", "fazhi version", help_only },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "fazhi %s —— 司法局法治工作平台\n\n用法:fazhi 命令 [参数] [选项]\n\n命令:\n", FAZHI_VERSION);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n每个命令都支持 --help。\n");
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd = NULL;
	struct conf conf;
	char err[512];
	enum log_level level;
	size_t i;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return argc < 2 ? 2 : 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "fazhi:未知命令“%s”\n\n", argv[1]);
		usage(stderr);
		return 2;
	}
	argc--;
	argv++;
	if (conf_load(&conf, &argc, argv, cmd->flags, err, sizeof(err)) < 0) {
		fprintf(stderr, "fazhi %s:%s\n", cmd->name, err);
		conf_release(&conf);
		return 2;
	}
	if (cli_has(argc, argv, "--help")) {
		printf("%s\n\n用法:\n%s\n\n", cmd->summary, cmd->usage);
		conf_print_help();
		conf_release(&conf);
		return 0;
	}
	if (log_level_parse(conf.log_level, &level) == 0)
		log_set_level(level);
	if (crypto_setup() < 0) {
		fprintf(stderr, "fazhi:密码库初始化失败(需要 OpenSSL 3 的 SM3 与 libsodium)\n");
		conf_release(&conf);
		return 1;
	}
	password_set_fast(conf.fast_password_hash);
	if (conf.fast_password_hash)
		log_warn("fast_password_hash is on: weak password hashing, for tests only");
	rc = cmd->run(&conf, argc, argv);
	conf_release(&conf);
	return rc;
}
