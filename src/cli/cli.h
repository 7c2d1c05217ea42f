/*
 * The command-line interface: a table of commands (main.c), each in its own
 * cmd_*.c. Every command gets the loaded settings and its own arguments
 * (argv[0] is the command name), and returns the process exit code.
 */
#ifndef FAZHI_CLI_CLI_H
#define FAZHI_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct db;

#define FAZHI_VERSION "0.1.0"

struct cli_command {
	const char *name;
	int (*run)(const struct conf *conf, int argc, char **argv);
	const char *summary;    /* one Chinese line */
	const char *usage;      /* usage line(s) */
	const char *const *flags; /* command-specific flags, NULL-terminated */
};

int cmd_serve(const struct conf *conf, int argc, char **argv);
int cmd_init(const struct conf *conf, int argc, char **argv);
int cmd_user(const struct conf *conf, int argc, char **argv);
int cmd_audit(const struct conf *conf, int argc, char **argv);
int cmd_backup(const struct conf *conf, int argc, char **argv);
int cmd_deadlines(const struct conf *conf, int argc, char **argv);
int cmd_metrics(const struct conf *conf, int argc, char **argv);
int cmd_report(const struct conf *conf, int argc, char **argv);
int cmd_import(const struct conf *conf, int argc, char **argv);
int cmd_migrate_data(const struct conf *conf, int argc, char **argv);
int cmd_version(const struct conf *conf, int argc, char **argv);

/*
 * Open the database and bring its schema up to date (init, serve) or
 * require it to be current (other commands). Prints a Chinese message and
 * returns -1 on failure.
 */
int cli_open_db(const struct conf *conf, int migrate, struct db **out);

/*
 * Load the personal-data master key (conf->key_file, or the database path
 * plus ".key"); init creates it when missing, other commands require it.
 */
int cli_load_key(const struct conf *conf, int create);

/* Value of "--name VALUE" / "--name=VALUE" in argv, or NULL. */
const char *cli_flag(int argc, char **argv, const char *name);
/* True when the bare flag is present. */
int cli_has(int argc, char **argv, const char *name);
/* The i-th positional argument after argv[0] (skipping flags and their values), or NULL. */
const char *cli_arg(int argc, char **argv, int i);

/* Read a password: from env var `env` if set, else from the terminal without
 * echo (asked twice when confirm). -1 when neither is possible. */
int cli_read_password(const char *env, const char *prompt, int confirm, char *out, size_t outlen);

/* Audit a CLI action (own transaction unless in_tx). */
int cli_audit(struct db *db, const char *action, const char *object_type, int64_t object_id, const char *detail);

#endif
