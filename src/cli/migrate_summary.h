/*
 * The metric summaries during `fazhi migrate-data` (always into PostgreSQL):
 * the copy runs with the summary triggers idle for its own transaction
 * (sql/pg/0014), then builds the moved orgs' summary rows in one statement,
 * instead of an upsert per copied case and date field.
 */
#ifndef FAZHI_CLI_MIGRATE_SUMMARY_H
#define FAZHI_CLI_MIGRATE_SUMMARY_H

struct db;

/* Inside dst's transaction, before the rows are copied. 0 or a negative db error. */
int migrate_summary_defer(struct db *dst);

/*
 * Inside the same transaction, after the copy: the triggers work again, and
 * the summary rows of the orgs whose path is LIKE org_pattern ("%" for all,
 * an empty target; the tenant's subtree in a shared instance) are built from
 * the copied records. Those orgs must have no summary rows yet. 0 or a
 * negative db error.
 */
int migrate_summary_rebuild(struct db *dst, const char *org_pattern);

#endif
