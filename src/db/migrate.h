/*
 * Schema migrations: the numbered files sql/NNNN_name.sql compiled into the
 * binary, applied in order inside one transaction each and recorded in the
 * schema_version table. A backend-specific companion
 * sql/<backend>/NNNN_name.sql (triggers and the like) is applied in the same
 * transaction right after the portable file. `@ID@` in a migration stands
 * for the backend's auto-increment primary key column type. Afterwards
 * db_search_setup puts PostgreSQL's text search indexes in place.
 */
#ifndef FAZHI_DB_MIGRATE_H
#define FAZHI_DB_MIGRATE_H

#include <stddef.h>

struct db;

/* Apply what is missing. Returns the number applied (>= 0) or -1 with err set. */
int migrate_apply(struct db *db, char *err, size_t errlen);

/* Highest version applied (0 for an empty database), -1 on error. */
int migrate_current_version(struct db *db);

/* Highest version this binary knows. */
int migrate_latest_version(void);

#endif
