/*
 * Server and CLI settings, declared once in a table (conf.c): each has a
 * command-line flag, an environment variable, a config-file key, a default
 * and a validator. Precedence: flag > environment > config file > default.
 * Unknown flags and unknown config-file keys are errors.
 * Config file: lines `key = value`, `#` comments, blank lines ignored.
 */
#ifndef FAZHI_CORE_CONF_H
#define FAZHI_CORE_CONF_H

#include <stddef.h>

struct conf {
	char *config_file;
	char *db;
	char *key_file;
	char *listen;
	long workers;
	long write_batch; /* group commit: most write requests in one transaction */
	long max_body;
	long max_upload;
	char *files_dir;
	long max_header;
	long idle_timeout;
	long request_timeout;
	long max_connections;
	long session_cache_seconds; /* 0: every request reads its session from the database */
	int secure_cookie;
	char *trusted_proxy;
	char *log_level;
	int fast_password_hash;
	char *web_dir;
};

/*
 * Fill c from defaults, the config file, the environment and argv. Recognised
 * options are removed from argv (argc updated); anything else starting with
 * "--" is an error unless it is listed in `extra_flags` (a NULL-terminated
 * list of flags the command handles itself, e.g. "--demo"). On error
 * writes a Chinese message into err and returns -1. Release with conf_release.
 */
int conf_load(struct conf *c, int *argc, char **argv, const char *const *extra_flags,
	      char *err, size_t errlen);
void conf_release(struct conf *c);

/* Print the options table (flag, env, key, default, help) for --help. */
void conf_print_help(void);

/* The attachment directory: files_dir, or "files" beside the database. */
void conf_files_dir(const struct conf *c, char *out, size_t outlen);

/* Split "host:port" into host (out, hostlen) and port; -1 if malformed. */
int conf_split_hostport(const char *s, char *host, size_t hostlen, int *port);

#endif
