/*
 * Moving a county into a shared PostgreSQL instance that already holds other
 * counties (the county becomes a tenant): see migrate_tenant.c.
 */
#ifndef FAZHI_CLI_MIGRATE_TENANT_H
#define FAZHI_CLI_MIGRATE_TENANT_H

struct db;

struct migrate_tenant_opts {
	const char *source;          /* the county's file, recorded with its imported chain */
	const char *username_prefix; /* NULL or "" for none */
	const char *src_key;         /* the county's personal-data key file */
	const char *dst_key;         /* the instance's key file */
};

/*
 * Move src (a county's SQLite database at the current schema version) into
 * dst in one transaction: conflicts are listed and nothing is written; every
 * id is remapped (migrate_map.h); user names get the prefix; personal data is
 * re-sealed from the county's key to the instance's; the county's audit chain
 * is imported and anchored. Prints what it did or why it refused (Chinese).
 * Returns the process exit status.
 */
int migrate_tenant(struct db *src, struct db *dst, const struct migrate_tenant_opts *o);

#endif
