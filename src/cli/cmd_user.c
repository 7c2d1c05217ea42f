/*
 * `fazhi user add|passwd|lock|unlock|list`: account maintenance from the
 * server's shell (e.g. when the only administrator is locked out). Every
 * change is audited as done by "cli".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/crypto.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/account/account.h"
#include "domain/account/policy.h"
#include "http/auth.h"
#include "core/banned.h"

static int resolve_org(struct db *db, const char *arg, int64_t *org)
{
	int64_t v;

	if (parse_int64_cstr(arg, &v) == 0 && strlen(arg) < 6 &&
	    db_query_int(db, org, "SELECT id FROM org WHERE id = $1 AND status = 'active'", db_int(v)) == DB_ROW)
		return 0;
	return db_query_int(db, org, "SELECT id FROM org WHERE division_code = $1 AND status = 'active'",
			    db_text(arg)) == DB_ROW
		   ? 0
		   : -1;
}

static int user_add(struct db *db, int argc, char **argv)
{
	const char *username = cli_arg(argc, argv, 1), *name = cli_flag(argc, argv, "--name");
	const char *org_arg = cli_flag(argc, argv, "--org"), *roles_arg = cli_flag(argc, argv, "--role");
	char pw[16], hash[PASSWORD_HASH_MAX], roles_buf[256], detail[256];
	json_t *role_ids = json_array();
	int64_t org, id, role_id;
	int admins = 0, rc = -1;
	char *tok, *save = NULL;

	if (!username || !name || !org_arg) {
		fprintf(stderr,
			"用法:fazhi user add 用户名 --name 姓名 --org 机构编号或区划代码 [--role 角色代码,...]\n");
		goto out;
	}
	if (resolve_org(db, org_arg, &org) < 0) {
		fprintf(stderr, "fazhi user add:找不到机构“%s”\n", org_arg);
		goto out;
	}
	snprintf(roles_buf, sizeof(roles_buf), "%s", roles_arg ? roles_arg : "");
	for (tok = strtok_r(roles_buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct builtin_role *br = builtin_role_find(tok);

		if (account_store_role_id(db, tok, &role_id) != DB_ROW) {
			fprintf(stderr, "fazhi user add:角色“%s”不存在\n", tok);
			goto out;
		}
		admins += br && br->admin_kind;
		json_array_append_new(role_ids, json_integer(role_id));
	}
	if (admins > 1) {
		fprintf(stderr, "fazhi user add:三员角色不能由同一账号兼任\n");
		goto out;
	}
	random_password(pw, 14);
	if (password_hash(pw, hash) < 0)
		goto out;
	if (db_begin(db, DB_TX_WRITE) < 0)
		goto out;
	rc = account_store_user_insert(db, username, name, org, hash, 1, &id);
	if (rc == 0)
		rc = account_store_set_roles(db, id, role_ids);
	snprintf(detail, sizeof(detail), "新建用户 %s(%s),角色 %s", username, name, roles_arg ? roles_arg : "无");
	if (rc == 0)
		rc = cli_audit(db, "user.create", "user", id, detail);
	if (rc == 0)
		rc = db_commit(db);
	else
		db_rollback(db);
	if (rc == DB_CONFLICT)
		fprintf(stderr, "fazhi user add:用户名 %s 已存在\n", username);
	else if (rc < 0)
		fprintf(stderr, "fazhi user add:%s\n", db_errmsg(db));
	else
		printf("已创建用户 %s,初始密码 %s(首次登录须修改)\n", username, pw);
	secure_wipe(pw, sizeof(pw));
	secure_wipe(hash, sizeof(hash));
out:
	json_decref(role_ids);
	return rc == 0 ? 0 : 1;
}

static int find_user(struct db *db, const char *username, struct user_auth *u)
{
	if (!username) {
		fprintf(stderr, "fazhi user:请给出用户名\n");
		return -1;
	}
	if (account_store_user_auth(db, username, u) != DB_ROW) {
		fprintf(stderr, "fazhi user:用户 %s 不存在\n", username);
		return -1;
	}
	return 0;
}

static int run_tx(struct db *db, int rc)
{
	if (rc == 0)
		rc = db_commit(db);
	else
		db_rollback(db);
	if (rc < 0)
		fprintf(stderr, "fazhi user:%s\n", db_errmsg(db));
	return rc;
}

static int user_passwd(struct db *db, int argc, char **argv)
{
	struct security_policy pol;
	struct user_auth u;
	char pw[256], hash[PASSWORD_HASH_MAX], msgbuf[160];
	const char *bad;
	int rc;

	if (find_user(db, cli_arg(argc, argv, 1), &u) < 0)
		return 1;
	if (cli_read_password("FAZHI_NEW_PASSWORD", "新密码:", 1, pw, sizeof(pw)) < 0) {
		fprintf(stderr, "fazhi user passwd:请在终端输入新密码,或通过环境变量 FAZHI_NEW_PASSWORD 提供\n");
		return 1;
	}
	policy_load(db, &pol);
	bad = policy_check_password(&pol, u.username, pw, msgbuf, sizeof(msgbuf));
	if (bad) {
		fprintf(stderr, "fazhi user passwd:%s\n", bad);
		secure_wipe(pw, sizeof(pw));
		return 1;
	}
	rc = password_hash(pw, hash);
	secure_wipe(pw, sizeof(pw));
	if (rc < 0 || db_begin(db, DB_TX_WRITE) < 0)
		return 1;
	rc = account_store_set_password(db, u.id, hash, 0);
	secure_wipe(hash, sizeof(hash));
	if (rc == 0)
		rc = auth_end_user_sessions(db, u.id);
	if (rc == 0)
		rc = cli_audit(db, "user.password.set", "user", u.id, "在服务器命令行设置密码");
	if (run_tx(db, rc) < 0)
		return 1;
	printf("已为 %s 设置新密码,其现有会话已失效\n", u.username);
	return 0;
}

static int user_set_status(struct db *db, int argc, char **argv, const char *status, const char *action,
			   const char *done)
{
	struct user_auth u;
	int rc;

	if (find_user(db, cli_arg(argc, argv, 1), &u) < 0 || db_begin(db, DB_TX_WRITE) < 0)
		return 1;
	rc = db_exec(db, "UPDATE app_user SET status = $1, failed_logins = 0, locked_until = 0 WHERE id = $2",
		     db_text(status), db_int(u.id));
	if (rc == 0 && strcmp(status, "active"))
		rc = auth_end_user_sessions(db, u.id);
	if (rc == 0)
		rc = cli_audit(db, action, "user", u.id, done);
	if (run_tx(db, rc) < 0)
		return 1;
	printf("%s:%s\n", u.username, done);
	return 0;
}

static int user_list(struct db *db)
{
	json_t *items, *u, *r;
	int64_t total;
	size_t i, j;

	if (account_store_user_list(db, "%", 0, NULL, NULL, 10000, 0, &items, &total) < 0) {
		fprintf(stderr, "fazhi user list:%s\n", db_errmsg(db));
		return 1;
	}
	printf("%-6s %-16s %-20s %-10s %s\n", "编号", "用户名", "姓名", "状态", "机构 / 角色");
	json_array_foreach (items, i, u) {
		printf("%-6lld %-16s %-20s %-10s %s /", (long long)json_integer_value(json_object_get(u, "id")),
		       json_string_value(json_object_get(u, "username")),
		       json_string_value(json_object_get(u, "display_name")),
		       json_is_true(json_object_get(u, "locked_out")) ? "locked_out"
								      : json_string_value(json_object_get(u, "status")),
		       json_string_value(json_object_get(u, "org_name")));
		json_array_foreach (json_object_get(u, "roles"), j, r)
			printf(" %s", json_string_value(json_object_get(r, "name")));
		printf("\n");
	}
	printf("共 %lld 个用户\n", (long long)total);
	json_decref(items);
	return 0;
}

int cmd_user(const struct conf *conf, int argc, char **argv)
{
	const char *sub = cli_arg(argc, argv, 0);
	struct db *db;
	int rc;

	if (!sub) {
		fprintf(stderr, "用法:fazhi user add|passwd|lock|unlock|list ...(fazhi user --help 查看详情)\n");
		return 2;
	}
	if (cli_open_db(conf, 0, &db) < 0)
		return 1;
	if (!strcmp(sub, "add"))
		rc = user_add(db, argc, argv);
	else if (!strcmp(sub, "passwd"))
		rc = user_passwd(db, argc, argv);
	else if (!strcmp(sub, "lock"))
		rc = user_set_status(db, argc, argv, "locked", "user.lock", "账号已锁定");
	else if (!strcmp(sub, "unlock"))
		rc = user_set_status(db, argc, argv, "active", "user.unlock", "账号已解锁");
	else if (!strcmp(sub, "list"))
		rc = user_list(db);
	else {
		fprintf(stderr, "fazhi user:未知子命令“%s”\n", sub);
		rc = 2;
	}
	db_close(db);
	return rc;
}
