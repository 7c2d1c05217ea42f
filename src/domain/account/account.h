/*
 * Accounts and access: users, roles, permissions, sessions (login, logout,
 * password change) and the security policy API.
 *
 * Separation of the three administrators (三权分立): every permission
 * belongs to at most one administrator kind (system, security, audit). Only
 * the three built-in administrator roles carry such permissions, their
 * permission sets cannot be edited, a user holds at most one of them, and
 * nobody changes their own roles. The system administrator assigns business
 * roles; only the security administrator assigns administrator roles.
 */
#ifndef FAZHI_ACCOUNT_ACCOUNT_H
#define FAZHI_ACCOUNT_ACCOUNT_H

#include <jansson.h>
#include <stdint.h>

#include "http/request.h"

struct db;

/*
 * The instance-level audit permission: its holder (the built-in role
 * platform_auditor, 平台审计管理员) reads every tenant's audit records and
 * the instance's own (CLI, unknown user names). A tenant's administrators
 * cannot grant it: only `fazhi user add/role` on the server does.
 */
#define PERM_AUDIT_ALL "audit.read_all"

struct permission_def {
	const char *key;
	const char *name;       /* Chinese */
	const char *admin_kind; /* "system", "security", "audit" or NULL */
};

struct builtin_role {
	const char *code;
	const char *name;
	const char *scope;
	const char *admin_kind;
	const char *description;
	const char *const *perms; /* NULL-terminated */
};

/* ===== rules (account_rules.c) ===== */

extern const struct permission_def permission_defs[];
extern const struct builtin_role builtin_roles[];
const struct permission_def *permission_find(const char *key);
const struct builtin_role *builtin_role_find(const char *code);
/* Chinese name of a scope code, NULL when unknown. */
const char *scope_name(const char *scope);
extern const char *const scope_codes[];
/* JSON array of the permission catalogue. */
json_t *permissions_json(void);
/*
 * May a custom (non-built-in) role hold this permission list? NULL when yes,
 * else a Chinese message. perms is a JSON array of strings.
 */
const char *account_check_custom_role_perms(json_t *perms);

/* ===== store (account_store.c) ===== */

struct user_auth {
	int64_t id;
	int64_t org_id;
	char username[64];
	char password_hash[128];
	char status[16];
	int64_t failed_logins;
	int64_t locked_until;
	int must_change;
};

int account_store_user_auth(struct db *db, const char *username, struct user_auth *u);
int account_store_user_auth_by_id(struct db *db, int64_t id, struct user_auth *u);
/* User JSON with org name and roles; NULL when absent. */
json_t *account_store_user_json(struct db *db, int64_t id);
/* The org path of a user (for scope checks). DB_ROW/DB_DONE. */
int account_store_user_org_path(struct db *db, int64_t id, char *path, size_t pathlen);
int account_store_user_list(struct db *db, const char *scope_pattern, int64_t org_id, const char *q,
			    const char *status, int64_t limit, int64_t offset, json_t **items, int64_t *total);
int account_store_user_insert(struct db *db, const char *username, const char *display_name, int64_t org_id,
			      const char *password_hash, int must_change, int64_t *id);
int account_store_set_password(struct db *db, int64_t id, const char *password_hash, int must_change);
int account_store_set_roles(struct db *db, int64_t user_id, json_t *role_ids);
/* What the grant and edit checks need to know of a role. */
struct role_info {
	char admin_kind[16]; /* "" for business roles */
	int builtin;
	int64_t tenant_id;   /* 0: shared by the instance */
	int platform;        /* carries PERM_AUDIT_ALL: granted only on the command line */
};
/* DB_ROW (ri filled), DB_DONE (no such role) or a negative db error. */
int account_store_role_info(struct db *db, int64_t role_id, struct role_info *ri);
json_t *account_store_role_json(struct db *db, int64_t id);
/* The instance's shared roles and those of tenant_id. */
int account_store_role_list(struct db *db, int64_t tenant_id, json_t **items);
int account_store_role_set_perms(struct db *db, int64_t role_id, json_t *perms);
/*
 * Create or refresh the built-in roles (init and every start: upgrades), in
 * one transaction of its own: a server already serving the database reads
 * the old or the new permissions of a role, never a role emptied for a moment.
 */
int account_store_seed_roles(struct db *db);
/* Id of a shared (built-in) role by code; DB_ROW/DB_DONE. */
int account_store_role_id(struct db *db, const char *code, int64_t *id);

extern const struct module session_module;
extern const struct module user_module;
extern const struct module role_module;

#endif
