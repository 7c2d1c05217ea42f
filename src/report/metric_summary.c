/*
 * The consistency check of the metric summary tables (sql/0010): each must
 * equal, row for row, the aggregate of its records that its *_expected view
 * computes. Rows whose counts and sums all went back to 0 (every record
 * taken out again) are the same as no row.
 */
#include <stdio.h>

#include "metric.h"
#include "core/buf.h"
#include "db/db.h"
#include "core/banned.h"

static const struct {
	const char *table, *cols, *nonzero;
} summaries[] = {
	{ "case_summary",
	  "org_id, kind, field, year, end_year, state, outcome, corrected, mediated, lost, instance, hearing_held,"
	  " head_appeared, n, opinion_letters, suggestion_letters",
	  "n <> 0 OR opinion_letters <> 0 OR suggestion_letters <> 0" },
	{ "ledger_summary", "org_id, category_id, year, n, times, people, items, amount_fen",
	  "n <> 0 OR times <> 0 OR people <> 0 OR items <> 0 OR amount_fen <> 0" },
};

/* Rows of one side missing from the other, printed with which side has them. */
static int differ(struct db *db, const char *table, const char *cols, const char *nonzero, int kept, FILE *out)
{
	struct db_stmt *st;
	struct buf sql;
	int rc, n = 0, ncol, i;

	buf_init(&sql, 1024);
	if (kept)
		rc = buf_printf(&sql, "SELECT %s FROM %s WHERE %s EXCEPT SELECT %s FROM %s_expected", cols, table, nonzero,
				cols, table);
	else
		rc = buf_printf(&sql, "SELECT %s FROM %s_expected EXCEPT SELECT %s FROM %s WHERE %s", cols, table, cols,
				table, nonzero);
	if (rc == 0)
		rc = db_prepare(db, &st, sql.p);
	buf_release(&sql);
	if (rc < 0)
		return rc;
	ncol = db_col_count(st);
	while ((rc = db_step(st)) == DB_ROW) {
		n++;
		fprintf(out, "%s %s:", table, kept ? "多出" : "缺少");
		for (i = 0; i < ncol; i++)
			fprintf(out, " %s", db_col_text(st, i) ? db_col_text(st, i) : "NULL");
		fputc('\n', out);
	}
	db_done(st);
	return rc < 0 ? rc : n;
}

int metric_summary_check(struct db *db, FILE *out)
{
	size_t i;
	int total = 0, rc = 0, k;

	for (i = 0; i < sizeof(summaries) / sizeof(summaries[0]) && rc >= 0; i++)
		for (k = 0; k < 2 && rc >= 0; k++) {
			rc = differ(db, summaries[i].table, summaries[i].cols, summaries[i].nonzero, k, out);
			if (rc > 0)
				total += rc;
		}
	return rc < 0 ? rc : total;
}
