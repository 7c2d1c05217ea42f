/*
 * What `fazhi migrate-data` must know about every table to move a county
 * into a shared instance: how each table is treated, and which columns hold
 * ids of which table (foreign keys, and the *_by / *_id columns that refer to
 * users or cases without a declared constraint) or paths of org ids. The
 * move refuses a source whose tables or id-like columns this description
 * does not know, so a new migration cannot silently leave ids unmapped.
 */
#ifndef FAZHI_CLI_MIGRATE_MAP_H
#define FAZHI_CLI_MIGRATE_MAP_H

#include <stddef.h>

enum mig_kind {
	MIG_TENANT,   /* the county's own rows: copied with every id remapped */
	MIG_DICT,     /* instance-wide dictionary: rows matched by their code, new codes added */
	MIG_DICT_SET, /* the members of a dictionary row (role_permission): must agree, copied for new rows */
	MIG_INSTANCE, /* instance-wide settings: the target's own stay, the county's are not copied */
	MIG_AUDIT,    /* the county's audit chain: imported unchanged (audit_import.c) */
	MIG_SKIP,     /* not moved: sessions, the chain head, schema version, search indexes */
};

struct mig_table {
	const char *name;
	enum mig_kind kind;
	const char *key;   /* MIG_DICT: the natural key column; MIG_DICT_SET: the owner's id column */
	const char *same;  /* MIG_DICT: columns that must agree with the target's row of the same key;
			    * MIG_DICT_SET: the member column (the sets must be equal) */
	const char *label; /* MIG_DICT: what a user calls a row, in conflict messages */
	const char *owner; /* MIG_DICT: the column naming the tenant that owns a row (NULL: shared row). The
			    * county's own rows are never matched by code: they are copied as new rows of the
			    * tenant, owner remapped like any org id; only shared rows are matched. */
};

/*
 * An id-bearing column: ref names the table whose ids it holds; "path" for
 * org paths ('/1/5/23/'). Personal data sealed with the county's key
 * (src/core/pii.h) is described here too: "pii" for a sealed value,
 * "pii_index:<column>" for the blind index of that sealed column's value;
 * both are re-sealed under the instance's key.
 */
struct mig_col {
	const char *table, *column, *ref;
};

/* Every table, in an order that satisfies references. */
extern const struct mig_table mig_tables[];
extern const size_t mig_ntables;

/* The table's entry, or NULL when the description does not know it. */
const struct mig_table *mig_table_find(const char *name);

/* What column of table refers to: a table name, "path", or NULL (not an id). */
const char *mig_col_ref(const char *table, const char *column);

/* True for a column name that looks like it holds ids (id, *_id, *_by, path)
 * or sealed personal data (*_enc, *_bidx): each must be described. */
int mig_col_looks_like_id(const char *column);

#endif
