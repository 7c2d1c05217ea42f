/* Helpers shared by the CLI commands: opening the database, flags, prompts, audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "core/conf.h"
#include "core/pii.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/account/account.h"
#include "domain/audit/audit.h"
#include "core/banned.h"

int cli_open_db(const struct conf *conf, int migrate, struct db **out)
{
	char err[512];
	int v, n;

	if (db_open(out, conf->db, err, sizeof(err)) < 0) {
		fprintf(stderr, "fazhi:%s\n", err);
		return -1;
	}
	if (migrate) {
		n = migrate_apply(*out, err, sizeof(err));
		if (n < 0 || account_store_seed_roles(*out) < 0) {
			fprintf(stderr, "fazhi:%s\n", n < 0 ? err : db_errmsg(*out));
			goto fail;
		}
		if (n > 0)
			fprintf(stderr, "fazhi:已应用 %d 个数据库迁移,结构版本 %d\n", n, migrate_latest_version());
		return 0;
	}
	v = migrate_current_version(*out);
	if (v != migrate_latest_version()) {
		fprintf(stderr, "fazhi:数据库 %s 的结构版本为 %d,本程序需要 %d,请先运行 fazhi init\n", conf->db, v,
			migrate_latest_version());
		goto fail;
	}
	return 0;
fail:
	db_close(*out);
	*out = NULL;
	return -1;
}

int cli_load_key(const struct conf *conf, int create)
{
	char path[1024], err[512];

	if (*conf->key_file)
		snprintf(path, sizeof(path), "%s", conf->key_file);
	else if (db_is_url(conf->db))
		snprintf(path, sizeof(path), "var/fazhi.key"); /* a database server: the key stays with the installation */
	else
		snprintf(path, sizeof(path), "%s.key", conf->db);
	if (pii_load_key(path, create, err, sizeof(err)) < 0) {
		fprintf(stderr, "fazhi:%s\n", err);
		return -1;
	}
	return 0;
}

static int takes_value(const char *flag)
{
	/* Bare switches; every other command flag takes a value. */
	return strcmp(flag, "--demo") && strcmp(flag, "--help") && strcmp(flag, "--json");
}

const char *cli_flag(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], name) && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
			return argv[i] + n + 1;
	}
	return NULL;
}

int cli_has(int argc, char **argv, const char *name)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

const char *cli_arg(int argc, char **argv, int want)
{
	int i, k = 0;

	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--", 2)) {
			if (!strchr(argv[i], '=') && takes_value(argv[i]))
				i++;
			continue;
		}
		if (k++ == want)
			return argv[i];
	}
	return NULL;
}

static int read_line_noecho(const char *prompt, char *out, size_t outlen)
{
	struct termios old, quiet;
	size_t n;
	int ok;

	fprintf(stderr, "%s", prompt);
	if (tcgetattr(STDIN_FILENO, &old) < 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	ok = fgets(out, (int)outlen, stdin) != NULL;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	if (!ok)
		return -1;
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return 0;
}

int cli_read_password(const char *env, const char *prompt, int confirm, char *out, size_t outlen)
{
	const char *v = env ? getenv(env) : NULL;
	char again[256];

	if (v && *v)
		return str_copy(out, outlen, v);
	if (!isatty(STDIN_FILENO))
		return -1;
	if (read_line_noecho(prompt, out, outlen) < 0)
		return -1;
	if (confirm) {
		if (read_line_noecho("再次输入以确认:", again, sizeof(again)) < 0)
			return -1;
		if (strcmp(out, again)) {
			secure_wipe(again, sizeof(again));
			fprintf(stderr, "两次输入的密码不一致\n");
			return -1;
		}
		secure_wipe(again, sizeof(again));
	}
	return 0;
}

int cli_audit(struct db *db, const char *action, const char *object_type, int64_t object_id, const char *detail)
{
	struct audit_event ev;
	char id[24] = "";

	if (object_id > 0)
		snprintf(id, sizeof(id), "%lld", (long long)object_id);
	memset(&ev, 0, sizeof(ev));
	ev.username = "cli";
	ev.ip = "local";
	ev.action = action;
	ev.object_type = object_type;
	ev.object_id = id;
	ev.success = 1;
	ev.detail = detail;
	return audit_append(db, &ev);
}
