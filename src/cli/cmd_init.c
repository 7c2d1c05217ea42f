/*
 * `fazhi init`: create or upgrade the schema, create the root org and the
 * first administrator `admin`; with --demo, load the 嘉善县 demo county
 * (data/demo/330421.tsv) and one user per built-in role, each with a
 * printed initial password that must be changed at first login.
 * Safe to run again: existing orgs and users are left alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/conf.h"
#include "core/crypto.h"
#include "core/embedded.h"
#include "core/util.h"
#include "core/validate.h"
#include "db/db.h"
#include "domain/account/account.h"
#include "domain/account/policy.h"
#include "domain/org/org.h"
#include "core/banned.h"

#define DEMO_FILE     "data/demo/330421.tsv"
#define MAX_DEMO_ORGS 512

struct demo_user {
	const char *username;
	const char *display_name;
	const char *org_key;
	const char *role;
};

/* One account per built-in role, placed where such a person works. */
static const struct demo_user demo_users[] = {
	{ "secadmin", "安全管理员", "sfj.office", "secadmin" },
	{ "auditor", "审计管理员", "sfj.office", "auditadmin" },
	{ "leader", "局长(演示)", "sfj", "leader" },
	{ "staff", "复议应诉科工作人员", "sfj.review", "staff" },
	{ "liaison", "西塘镇法治联络员", "town.xitang", "liaison" },
	{ "office", "西塘司法所工作人员", "sfs.xitang", "office" },
};

struct demo_org {
	char key[64];
	int64_t id;
};

static int64_t find_key(const struct demo_org *orgs, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(orgs[i].key, key))
			return orgs[i].id;
	return 0;
}

/* Split a TSV line in place into at most max fields. */
static size_t split_tabs(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (n < max) {
		fields[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static int load_demo_orgs(struct db *db, struct demo_org *orgs, size_t *norgs)
{
	const struct embedded_file *f = embedded_find(DEMO_FILE);
	char *text, *line, *next;
	int lineno = 0, rc = 0;

	if (!f) {
		fprintf(stderr, "fazhi init:程序中缺少演示数据 %s\n", DEMO_FILE);
		return -1;
	}
	text = strdup(f->data);
	if (!text)
		abort();
	for (line = text; line && *line && rc == 0; line = next) {
		char *fld[7];
		int64_t parent = 0, sort = 0, id;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (lineno++ == 0)
			continue; /* header */
		if (split_tabs(line, fld, 7) != 7 || *norgs == MAX_DEMO_ORGS) {
			fprintf(stderr, "fazhi init:演示数据第 %d 行格式不正确\n", lineno);
			rc = -1;
			break;
		}
		if (*fld[1] && !(parent = find_key(orgs, *norgs, fld[1]))) {
			fprintf(stderr, "fazhi init:演示数据第 %d 行的上级“%s”未定义\n", lineno, fld[1]);
			rc = -1;
			break;
		}
		parse_int64_cstr(fld[6], &sort);
		rc = org_store_insert(db, parent, fld[2], fld[3], fld[4], fld[5], sort, &id);
		if (rc < 0) {
			fprintf(stderr, "fazhi init:写入机构“%s”失败:%s\n", fld[3], db_errmsg(db));
			break;
		}
		snprintf(orgs[*norgs].key, sizeof(orgs[*norgs].key), "%s", fld[0]);
		orgs[(*norgs)++].id = id;
	}
	free(text);
	return rc < 0 ? -1 : 0;
}

/* County name for a 6-digit code from the embedded division list. */
static int county_name(const char *code, char *out, size_t outlen)
{
	const struct embedded_file *f = embedded_find("data/divisions/areas.csv");
	const char *p;
	size_t n = strlen(code);

	for (p = f ? f->data : NULL; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, code, n) && p[n] == ',' && p[n + 1] == '"') {
			const char *s = p + n + 2, *e = strchr(s, '"');

			if (!e)
				return -1;
			snprintf(out, outlen, "%.*s", (int)(e - s), s);
			return 0;
		}
	}
	return -1;
}

static int create_root(struct db *db, const char *division, const char *org_name, int64_t *root)
{
	char name[200], county[100];
	const char *msg = NULL;
	char norm[16];

	if (division) {
		if (validate_division_code(division, norm, sizeof(norm), &msg) < 0 || strlen(norm) != 6) {
			fprintf(stderr, "fazhi init:%s\n", msg ? msg : "本级政府的区划代码应为6位");
			return -1;
		}
		if (county_name(norm, county, sizeof(county)) < 0) {
			fprintf(stderr, "fazhi init:未找到区划代码 %s 对应的县级行政区\n", norm);
			return -1;
		}
		snprintf(name, sizeof(name), "%s人民政府", county);
	}
	if (org_name)
		snprintf(name, sizeof(name), "%s", org_name);
	if (org_store_insert(db, 0, "government", name, NULL, division ? norm : NULL, 0, root) < 0) {
		fprintf(stderr, "fazhi init:创建本级政府失败:%s\n", db_errmsg(db));
		return -1;
	}
	printf("已创建本级政府“%s”\n", name);
	return 0;
}

/* Create a user with one role; prints nothing. */
static int add_user(struct db *db, const char *username, const char *display_name, int64_t org_id, const char *role,
		    const char *password, int must_change)
{
	char hash[PASSWORD_HASH_MAX], detail[200];
	int64_t id, role_id;
	json_t *roles;
	int rc;

	if (password_hash(password, hash) < 0)
		return -1;
	rc = account_store_user_insert(db, username, display_name, org_id, hash, must_change, &id);
	secure_wipe(hash, sizeof(hash));
	if (rc < 0 || account_store_role_id(db, role, &role_id) != DB_ROW)
		return -1;
	roles = json_pack("[I]", (json_int_t)role_id);
	rc = account_store_set_roles(db, id, roles);
	json_decref(roles);
	snprintf(detail, sizeof(detail), "新建用户 %s(%s),角色 %s", username, display_name, role);
	return rc < 0 ? rc : cli_audit(db, "user.create", "user", id, detail);
}

static int user_exists(struct db *db, const char *username)
{
	int64_t id;

	return db_query_int(db, &id, "SELECT id FROM app_user WHERE username = $1", db_text(username)) == DB_ROW;
}

static int create_admin(struct db *db, int64_t root)
{
	struct security_policy pol;
	char pw[256], msgbuf[160];
	const char *bad;
	int generated = 0;

	if (user_exists(db, "admin"))
		return 0;
	policy_load(db, &pol);
	if (cli_read_password("FAZHI_ADMIN_PASSWORD", "请设置系统管理员 admin 的密码:", 1, pw, sizeof(pw)) < 0) {
		random_password(pw, 14);
		generated = 1;
	}
	bad = generated ? NULL : policy_check_password(&pol, "admin", pw, msgbuf, sizeof(msgbuf));
	if (bad) {
		fprintf(stderr, "fazhi init:admin 的密码不符合要求:%s\n", bad);
		secure_wipe(pw, sizeof(pw));
		return -1;
	}
	if (add_user(db, "admin", "系统管理员", root, "sysadmin", pw, generated) < 0) {
		fprintf(stderr, "fazhi init:创建 admin 失败:%s\n", db_errmsg(db));
		secure_wipe(pw, sizeof(pw));
		return -1;
	}
	if (generated)
		printf("系统管理员  admin     初始密码 %s  (首次登录须修改)\n", pw);
	else
		printf("系统管理员  admin     密码已按设置保存\n");
	secure_wipe(pw, sizeof(pw));
	return 0;
}

static int create_demo_users(struct db *db, const struct demo_org *orgs, size_t norgs)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(demo_users); i++) {
		const struct demo_user *u = &demo_users[i];
		int64_t org = find_key(orgs, norgs, u->org_key);
		char pw[16];

		if (user_exists(db, u->username))
			continue;
		random_password(pw, 14);
		if (!org || add_user(db, u->username, u->display_name, org, u->role, pw, 1) < 0) {
			fprintf(stderr, "fazhi init:创建演示用户 %s 失败\n", u->username);
			return -1;
		}
		printf("%-10s  %-9s 初始密码 %s  (首次登录须修改)\n", builtin_role_find(u->role)->name, u->username,
		       pw);
		secure_wipe(pw, sizeof(pw));
	}
	return 0;
}

int cmd_init(const struct conf *conf, int argc, char **argv)
{
	static struct demo_org orgs[MAX_DEMO_ORGS];
	const char *division = cli_flag(argc, argv, "--division-code");
	const char *org_name = cli_flag(argc, argv, "--org-name");
	int demo = cli_has(argc, argv, "--demo");
	size_t norgs = 0;
	int64_t root = 0, count = 0;
	struct db *db;
	int rc = -1;

	if (cli_open_db(conf, 1, &db) < 0)
		return 1;
	if (cli_load_key(conf, 1) < 0) {
		db_close(db);
		return 1;
	}
	if (db_begin(db, DB_TX_WRITE) < 0)
		goto out;
	db_query_int(db, &count, "SELECT COUNT(*) FROM org");
	if (count == 0) {
		if (demo) {
			if (load_demo_orgs(db, orgs, &norgs) < 0)
				goto out;
			root = orgs[0].id;
			printf("已载入演示县:嘉善县(330421),共 %zu 个机构\n", norgs);
		} else if (division || org_name) {
			if (create_root(db, division, org_name, &root) < 0)
				goto out;
		} else {
			fprintf(stderr, "fazhi init:数据库中还没有机构。请用 --division-code 330421 或 --org-name 名称"
					" 指定本级政府,或用 --demo 载入演示数据\n");
			goto out;
		}
		if (cli_audit(db, "system.init", "org", root, demo ? "初始化数据库并载入演示数据" : "初始化数据库") < 0)
			goto out;
	} else {
		db_query_int(db, &root, "SELECT MIN(id) FROM org WHERE parent_id IS NULL");
		if (demo)
			printf("数据库中已有机构,跳过演示机构的载入\n");
	}
	if (create_admin(db, root) < 0)
		goto out;
	if (demo && norgs && create_demo_users(db, orgs, norgs) < 0)
		goto out;
	if (db_commit(db) < 0) {
		fprintf(stderr, "fazhi init:提交失败:%s\n", db_errmsg(db));
		goto out;
	}
	printf("数据库 %s 已就绪\n", conf->db);
	rc = 0;
out:
	if (rc < 0)
		db_rollback(db);
	db_close(db);
	return rc == 0 ? 0 : 1;
}
