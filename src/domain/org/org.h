/*
 * Organisations: the tree every record hangs from (government, party
 * committee, justice bureau and its sections, departments, towns, 司法所,
 * villages, courts). A county-level root is a tenant. Orgs are never
 * deleted: they are closed with a reason. `path` ("/1/5/23/") lists the ids
 * from the root and drives data-scope checks.
 */
#ifndef FAZHI_ORG_ORG_H
#define FAZHI_ORG_ORG_H

#include <jansson.h>
#include <stdint.h>

#include "http/request.h"

struct db;

struct org {
	int64_t id;
	int64_t parent_id; /* 0 for a root */
	char kind[32];
	char name[256];
	char path[256];
	char status[16];
};

/* ===== rules (org_rules.c): no SQL, no HTTP ===== */

/* Chinese name of a kind code, or NULL if the code is unknown. */
const char *org_kind_name(const char *kind);
/* NULL-terminated list of kind codes (for body schemas). */
extern const char *const org_kind_codes[];
/* JSON array [{code, name}] of all kinds. */
json_t *org_kinds_json(void);
/* Validator for an optional division code; NULL when fine. */
const char *org_check_division_code(const char *code);

/* ===== store (org_store.c): SQL only ===== */

/* Load one org. DB_ROW when found, DB_DONE when not, negative on error. */
int org_store_get(struct db *db, int64_t id, struct org *out);
/* One org as JSON (NULL when absent). */
json_t *org_store_get_json(struct db *db, int64_t id);
/* Orgs whose path matches `pattern` (LIKE), optionally only active ones. */
int org_store_list(struct db *db, const char *pattern, int active_only, json_t **out);
/*
 * 1 when the LIKE pattern `pattern` selects every org of the database: it is
 * "<path>%" of the one and only root. Queries may then drop an org-scope
 * condition that could only be true. 0 otherwise, negative db error.
 */
int org_store_pattern_is_everything(struct db *db, const char *pattern);
/* Insert; computes the path from the parent. Returns the new id in *id. */
int org_store_insert(struct db *db, int64_t parent_id, const char *kind, const char *name,
		     const char *short_name, const char *division_code, int64_t sort_order, int64_t *id);
/* Re-parent org and rewrite the paths of its whole subtree. */
int org_store_move(struct db *db, const struct org *org, const struct org *new_parent);
/* Number of active children / active users of an org. */
int org_store_count_active_children(struct db *db, int64_t id, int64_t *n);
int org_store_count_active_users(struct db *db, int64_t id, int64_t *n);

/* The module's route table. */
extern const struct module org_module;

#endif
