/* The metric summaries during migrate-data; see migrate_summary.h. */
#include "migrate_summary.h"

#include <stddef.h>

#include "db/db.h"
#include "core/banned.h"

#define CASE_COLUMNS                                                                                             \
	"org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held, " \
	"head_appeared, n, opinion_letters, suggestion_letters"
#define LEDGER_COLUMNS "org_id, category_id, year, n, times, people, items, amount_fen"

int migrate_summary_defer(struct db *dst)
{
	return db_exec_script(dst, "SET LOCAL fazhi.summary_deferred = 'on'");
}

int migrate_summary_rebuild(struct db *dst, const char *org_pattern)
{
	int rc = db_exec_script(dst, "SET LOCAL fazhi.summary_deferred = 'off'");

	/* The moved orgs are new to the target: none of them has a summary row yet. */
	if (rc == 0)
		rc = db_exec(dst,
			     "INSERT INTO case_summary (" CASE_COLUMNS ") SELECT " CASE_COLUMNS " FROM case_summary_expected"
			     " WHERE org_id IN (SELECT id FROM org WHERE path LIKE $1)",
			     db_text(org_pattern));
	if (rc == 0)
		rc = db_exec(dst,
			     "INSERT INTO ledger_summary (" LEDGER_COLUMNS ") SELECT " LEDGER_COLUMNS
			     " FROM ledger_summary_expected WHERE org_id IN (SELECT id FROM org WHERE path LIKE $1)",
			     db_text(org_pattern));
	return rc;
}
