/*
 * The settings table and its loader; see conf.h. Adding a setting means
 * adding a field to struct conf and one row to conf_options[].
 */
#include "conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "banned.h"

enum conf_type { CONF_STR, CONF_LONG, CONF_BOOL };

struct conf_option {
	const char *key;  /* config-file key; the flag is "--" + key with '_' -> '-' */
	const char *env;
	enum conf_type type;
	size_t offset;
	const char *def;
	long min, max; /* CONF_LONG bounds */
	int (*check)(const char *value, char *err, size_t errlen);
	const char *help;
};

static int check_hostport(const char *v, char *err, size_t errlen)
{
	char host[256];
	int port;

	if (conf_split_hostport(v, host, sizeof(host), &port) < 0) {
		snprintf(err, errlen, "监听地址应为 主机:端口,例如 127.0.0.1:8080");
		return -1;
	}
	return 0;
}

static int check_nonempty(const char *v, char *err, size_t errlen)
{
	if (!*v) {
		snprintf(err, errlen, "取值不能为空");
		return -1;
	}
	return 0;
}

static int check_log_level(const char *v, char *err, size_t errlen)
{
	enum log_level l;

	if (log_level_parse(v, &l) < 0) {
		snprintf(err, errlen, "日志级别应为 debug、info、warn 或 error");
		return -1;
	}
	return 0;
}

#define OFF(f) offsetof(struct conf, f)

static const struct conf_option conf_options[] = {
	{ "config", "FAZHI_CONFIG", CONF_STR, OFF(config_file), "", 0, 0, NULL,
	  "配置文件路径(每行 key = value)" },
	{ "db", "FAZHI_DB", CONF_STR, OFF(db), "var/fazhi.db", 0, 0, check_nonempty,
	  "数据库文件路径" },
	{ "key_file", "FAZHI_KEY_FILE", CONF_STR, OFF(key_file), "", 0, 0, NULL,
	  "个人信息加密主密钥文件(默认为数据库路径加 .key;由 init 创建,务必另行备份)" },
	{ "listen", "FAZHI_LISTEN", CONF_STR, OFF(listen), "127.0.0.1:8080", 0, 0, check_hostport,
	  "HTTP 监听地址 主机:端口" },
	{ "workers", "FAZHI_WORKERS", CONF_LONG, OFF(workers), "4", 1, 256, NULL,
	  "处理请求的工作线程数" },
	{ "write_batch", "FAZHI_WRITE_BATCH", CONF_LONG, OFF(write_batch), "64", 1, 1024, NULL,
	  "组提交:一次事务最多合并的写请求数(每个请求各自的保存点,提交后才应答;1 表示不合并)" },
	{ "max_body", "FAZHI_MAX_BODY", CONF_LONG, OFF(max_body), "1048576", 1024, 1073741824, NULL,
	  "请求体最大字节数,超过返回 413" },
	{ "max_upload", "FAZHI_MAX_UPLOAD", CONF_LONG, OFF(max_upload), "20971520", 1024, 1073741824, NULL,
	  "附件上传的最大字节数" },
	{ "files_dir", "FAZHI_FILES_DIR", CONF_STR, OFF(files_dir), "", 0, 0, NULL,
	  "附件存放目录(默认为数据库所在目录下的 files)" },
	{ "max_header", "FAZHI_MAX_HEADER", CONF_LONG, OFF(max_header), "16384", 1024, 1048576, NULL,
	  "请求头最大字节数" },
	{ "idle_timeout", "FAZHI_IDLE_TIMEOUT", CONF_LONG, OFF(idle_timeout), "60", 1, 86400, NULL,
	  "连接空闲超时(秒)" },
	{ "request_timeout", "FAZHI_REQUEST_TIMEOUT", CONF_LONG, OFF(request_timeout), "30", 1, 3600, NULL,
	  "单个请求读取与处理超时(秒)" },
	{ "max_connections", "FAZHI_MAX_CONNECTIONS", CONF_LONG, OFF(max_connections), "4096", 1, 1000000, NULL,
	  "最大并发连接数" },
	{ "session_cache_seconds", "FAZHI_SESSION_CACHE_SECONDS", CONF_LONG, OFF(session_cache_seconds), "5", 0, 60,
	  NULL, "已验证会话在内存中的有效秒数;多台服务器共用数据库时,在另一台上的注销、锁定、改权限至多这么久后在本机生效(本机上即时生效);0 表示每次请求都查库" },
	{ "secure_cookie", "FAZHI_SECURE_COOKIE", CONF_BOOL, OFF(secure_cookie), "false", 0, 0, NULL,
	  "会话 Cookie 加 Secure 标记(经 TLS 反向代理部署时开启)" },
	{ "trusted_proxy", "FAZHI_TRUSTED_PROXY", CONF_STR, OFF(trusted_proxy), "", 0, 0, NULL,
	  "受信任反向代理的 IP;来自该地址的请求取 X-Real-IP 作为客户端地址" },
	{ "log_level", "FAZHI_LOG_LEVEL", CONF_STR, OFF(log_level), "info", 0, 0, check_log_level,
	  "日志级别 debug|info|warn|error" },
	{ "fast_password_hash", "FAZHI_FAST_PASSWORD_HASH", CONF_BOOL, OFF(fast_password_hash), "false", 0, 0, NULL,
	  "仅供测试:使用最低强度的 argon2id 参数" },
	{ "web_dir", "FAZHI_WEB_DIR", CONF_STR, OFF(web_dir), "web/dist", 0, 0, NULL,
	  "浏览器界面的静态文件目录(Vite 构建结果);目录不存在时不提供界面,接口照常" },
};

static void flag_of(const struct conf_option *o, char *out, size_t outlen)
{
	size_t i, n = 0;

	if (outlen < 3)
		return;
	out[n++] = '-';
	out[n++] = '-';
	for (i = 0; o->key[i] && n + 1 < outlen; i++)
		out[n++] = o->key[i] == '_' ? '-' : o->key[i];
	out[n] = '\0';
}

static const struct conf_option *find_key(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(conf_options); i++)
		if (strlen(conf_options[i].key) == len && !memcmp(conf_options[i].key, key, len))
			return &conf_options[i];
	return NULL;
}

static const struct conf_option *find_flag(const char *flag, size_t len)
{
	char f[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(conf_options); i++) {
		flag_of(&conf_options[i], f, sizeof(f));
		if (strlen(f) == len && !memcmp(f, flag, len))
			return &conf_options[i];
	}
	return NULL;
}

static int set_value(struct conf *c, const struct conf_option *o, const char *v, const char *origin,
		     char *err, size_t errlen)
{
	char *field = (char *)c + o->offset;
	char why[256] = "";
	int64_t n;

	switch (o->type) {
	case CONF_STR:
		if (o->check && o->check(v, why, sizeof(why)) < 0)
			goto bad;
		free(*(char **)field);
		*(char **)field = strdup(v);
		if (!*(char **)field)
			abort();
		return 0;
	case CONF_LONG:
		if (parse_int64_cstr(v, &n) < 0 || n < o->min || n > o->max) {
			snprintf(why, sizeof(why), "应为 %ld 到 %ld 之间的整数", o->min, o->max);
			goto bad;
		}
		*(long *)field = (long)n;
		return 0;
	case CONF_BOOL:
		if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "on"))
			*(int *)field = 1;
		else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "off"))
			*(int *)field = 0;
		else {
			snprintf(why, sizeof(why), "应为 true 或 false");
			goto bad;
		}
		return 0;
	}
bad:
	snprintf(err, errlen, "配置项 %s(来自%s)取值“%s”无效:%s", o->key, origin, v, why);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int load_file(struct conf *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0, rc = 0;

	if (!f) {
		snprintf(err, errlen, "无法打开配置文件 %s:%s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq, *key, *val;
		const struct conf_option *o;
		char origin[300];

		lineno++;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "配置文件 %s 第 %d 行缺少“=”", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		o = find_key(key, strlen(key));
		if (!o || o->offset == OFF(config_file)) {
			snprintf(err, errlen, "配置文件 %s 第 %d 行:未知配置项“%s”", path, lineno, key);
			rc = -1;
			break;
		}
		snprintf(origin, sizeof(origin), "配置文件第 %d 行", lineno);
		if (set_value(c, o, val, origin, err, errlen) < 0) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

static int is_extra(const char *arg, size_t len, const char *const *extra)
{
	for (; extra && *extra; extra++)
		if (strlen(*extra) == len && !memcmp(*extra, arg, len))
			return 1;
	return 0;
}

int conf_load(struct conf *c, int *argc, char **argv, const char *const *extra_flags,
	      char *err, size_t errlen)
{
	size_t i;
	int a, out;
	const char *cfg;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < ARRAY_SIZE(conf_options); i++)
		if (set_value(c, &conf_options[i], conf_options[i].def, "默认值", err, errlen) < 0)
			return -1;

	/* The config file path itself may come from the flag or env. */
	cfg = getenv("FAZHI_CONFIG");
	for (a = 1; a < *argc; a++) {
		if (!strcmp(argv[a], "--config") && a + 1 < *argc)
			cfg = argv[a + 1];
		else if (!strncmp(argv[a], "--config=", 9))
			cfg = argv[a] + 9;
		else if (!strcmp(argv[a], "--"))
			break;
	}
	if (cfg && *cfg) {
		if (set_value(c, &conf_options[0], cfg, "参数", err, errlen) < 0 ||
		    load_file(c, cfg, err, errlen) < 0)
			return -1;
	}

	for (i = 0; i < ARRAY_SIZE(conf_options); i++) {
		const char *v = getenv(conf_options[i].env);

		if (v && i != 0 && set_value(c, &conf_options[i], v, conf_options[i].env, err, errlen) < 0)
			return -1;
	}

	for (a = 1, out = 1; a < *argc; a++) {
		const char *arg = argv[a];
		const char *eq = strchr(arg, '=');
		size_t flen = eq ? (size_t)(eq - arg) : strlen(arg);
		const struct conf_option *o;
		const char *val;

		if (strncmp(arg, "--", 2) || !strcmp(arg, "--")) {
			argv[out++] = argv[a];
			continue;
		}
		o = find_flag(arg, flen);
		if (!o) {
			if (is_extra(arg, flen, extra_flags)) {
				argv[out++] = argv[a];
				continue;
			}
			snprintf(err, errlen, "未知选项 %.*s(用 --help 查看可用选项)", (int)flen, arg);
			return -1;
		}
		if (eq) {
			val = eq + 1;
		} else if (o->type == CONF_BOOL) {
			val = "true";
		} else if (a + 1 < *argc) {
			val = argv[++a];
		} else {
			snprintf(err, errlen, "选项 %s 需要一个取值", arg);
			return -1;
		}
		if (set_value(c, o, val, "命令行参数", err, errlen) < 0)
			return -1;
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

void conf_release(struct conf *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(conf_options); i++) {
		if (conf_options[i].type == CONF_STR) {
			char **p = (char **)((char *)c + conf_options[i].offset);

			free(*p);
			*p = NULL;
		}
	}
}

void conf_print_help(void)
{
	size_t i;
	char flag[64];

	printf("通用选项(优先级:命令行 > 环境变量 > 配置文件 > 默认值):\n");
	for (i = 0; i < ARRAY_SIZE(conf_options); i++) {
		const struct conf_option *o = &conf_options[i];

		flag_of(o, flag, sizeof(flag));
		printf("  %-22s %-26s 配置项 %-18s 默认 %s\n      %s\n", flag, o->env, o->key,
		       *o->def ? o->def : "(空)", o->help);
	}
}

int conf_split_hostport(const char *s, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(s, ':');
	int64_t p;
	size_t hl;

	if (!colon || colon == s)
		return -1;
	hl = (size_t)(colon - s);
	if (s[0] == '[' && colon[-1] == ']') {
		s++;
		hl -= 2;
	}
	if (hl == 0 || hl >= hostlen)
		return -1;
	if (parse_int64_cstr(colon + 1, &p) < 0 || p < 1 || p > 65535)
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	*port = (int)p;
	return 0;
}

void conf_files_dir(const struct conf *c, char *out, size_t outlen)
{
	const char *slash = strrchr(c->db, '/');

	if (*c->files_dir)
		snprintf(out, outlen, "%s", c->files_dir);
	else if (strstr(c->db, "://"))
		snprintf(out, outlen, "var/files"); /* a database server: files stay with the installation */
	else if (slash)
		snprintf(out, outlen, "%.*s/files", (int)(slash - c->db), c->db);
	else
		snprintf(out, outlen, "files");
}
