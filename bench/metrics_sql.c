/*
 * bench/metrics_sql: the annual metric set of data/metrics (the catalogue) computed
 * by hand-written SQL, the reference of the metrics benchmark.
 *
 *   metrics_sql --db FILE --org CODE|ID --year Y [--reps N] [--plans] [--whole-tenant]
 *
 * One query per figure, written the way a DBA would write it against the
 * schema: the org's subtree as `org_id IN (SELECT id FROM org WHERE path
 * LIKE '<path>%')`, the kind table joined only when one of its columns is
 * needed, a rate computed in the same statement as ROUND(100.0 * part /
 * whole, 2). Every figure for the year and for the year before (the
 * engine's "previous"), N times (default 3). Prints one line of JSON:
 *   {"org": {...}, "queries": Q, "ms": [per repetition], "figures": {"id": [value, previous]},
 *    "slowest": [[id, ms], ...]}
 * --plans adds "plans": the EXPLAIN QUERY PLAN of each query, and
 * "engine_plans": the plan and time of a few queries in the exact form
 * src/report/metric_engine.c builds them (for the notes in BENCHMARKS.md).
 * --whole-tenant: when the org is the root of its tree, leave the org filter
 * out altogether (every record of the database is in the root's tree when
 * it has one root), to measure that proposal for the engine.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SUBTREE "c.org_id IN (SELECT id FROM org WHERE path LIKE ?1)"
#define IN_YEAR(col) " AND " col " BETWEEN ?2 AND ?3"
#define RECON "FROM case_file c WHERE c.kind = 'reconsideration' AND " SUBTREE
#define RECON_SELF "FROM case_file c WHERE c.kind = 'reconsideration' AND c.org_id = ?4"
#define LIT "FROM case_file c WHERE c.kind = 'litigation' AND " SUBTREE
#define LIT_FIRST                                                                                                      \
	"FROM case_file c JOIN litigation l ON l.case_id = c.id WHERE c.kind = 'litigation' AND " SUBTREE              \
	" AND l.instance = 'first'"
#define DECISIONS                                                                                                      \
	" AND c.outcome IN ('change', 'revoke', 'partial_revoke', 'confirm_illegal', 'order_perform', 'confirm_invalid'," \
	" 'uphold', 'reject')"
#define LEDGER(col, cat)                                                                                               \
	"SELECT COALESCE(SUM(e." col "), 0) FROM ledger_entry e WHERE e.status = 'active'"                             \
	" AND e.org_id IN (SELECT id FROM org WHERE path LIKE ?1)"                                                      \
	" AND e.category_id = (SELECT id FROM ledger_category WHERE code = '" cat "')" IN_YEAR("e.entry_date")

static const struct figure {
	const char *id;
	const char *sql;
} figures[] = {
	{ "reconsideration.received", "SELECT COUNT(*) " RECON IN_YEAR("c.received_date") },
	{ "reconsideration.accepted", "SELECT COUNT(*) " RECON IN_YEAR("c.accepted_date") },
	{ "reconsideration.not_accepted", "SELECT COUNT(*) " RECON " AND c.state = 'not_accepted'" IN_YEAR("c.closed_date") },
	{ "reconsideration.concluded", "SELECT COUNT(*) " RECON IN_YEAR("c.decided_date") },
	{ "reconsideration.decided", "SELECT COUNT(*) " RECON IN_YEAR("c.decided_date") DECISIONS },
	{ "reconsideration.corrected", "SELECT COUNT(*) " RECON IN_YEAR("c.decided_date") " AND c.corrected = 1" },
	{ "reconsideration.correction_rate",
	  "SELECT ROUND(100.0 * SUM(c.corrected) / COUNT(*), 2) " RECON IN_YEAR("c.decided_date") DECISIONS },
	{ "reconsideration.mediated", "SELECT COUNT(*) " RECON IN_YEAR("c.decided_date") " AND c.mediated = 1" },
	{ "reconsideration.mediation_rate",
	  "SELECT ROUND(100.0 * SUM(c.mediated) / COUNT(*), 2) " RECON IN_YEAR("c.decided_date") },
	{ "reconsideration.self_concluded", "SELECT COUNT(*) " RECON_SELF IN_YEAR("c.decided_date") },
	{ "reconsideration.self_corrected", "SELECT COUNT(*) " RECON_SELF IN_YEAR("c.decided_date") " AND c.corrected = 1" },
	{ "reconsideration.self_correction_rate",
	  "SELECT ROUND(100.0 * SUM(c.corrected) / COUNT(*), 2) " RECON_SELF IN_YEAR("c.decided_date") },
	{ "reconsideration.self_mediated", "SELECT COUNT(*) " RECON_SELF IN_YEAR("c.decided_date") " AND c.mediated = 1" },
	{ "reconsideration.self_mediation_rate",
	  "SELECT ROUND(100.0 * SUM(c.mediated) / COUNT(*), 2) " RECON_SELF IN_YEAR("c.decided_date") },
	{ "reconsideration.opinion_letters",
	  "SELECT COALESCE(SUM(r.opinion_letters), 0) FROM case_file c JOIN reconsideration r ON r.case_id = c.id"
	  " WHERE c.kind = 'reconsideration' AND " SUBTREE IN_YEAR("c.decided_date") },
	{ "reconsideration.suggestion_letters",
	  "SELECT COALESCE(SUM(r.suggestion_letters), 0) FROM case_file c JOIN reconsideration r ON r.case_id = c.id"
	  " WHERE c.kind = 'reconsideration' AND " SUBTREE IN_YEAR("c.decided_date") },
	{ "litigation.new", "SELECT COUNT(*) " LIT IN_YEAR("c.received_date") },
	{ "litigation.carried_over",
	  "SELECT COUNT(*) " LIT " AND c.received_date < ?2 AND (c.decided_date IS NULL OR c.decided_date >= ?2)" },
	{ "litigation.total", "SELECT COUNT(*) " LIT " AND c.received_date <= ?3 AND (c.received_date >= ?2"
			      " OR c.decided_date IS NULL OR c.decided_date >= ?2)" },
	{ "litigation.concluded", "SELECT COUNT(*) " LIT IN_YEAR("c.decided_date") },
	{ "litigation.first_instance_concluded", "SELECT COUNT(*) " LIT_FIRST IN_YEAR("c.decided_date") },
	{ "litigation.lost", "SELECT COUNT(*) " LIT_FIRST IN_YEAR("c.decided_date") " AND c.lost = 1" },
	{ "litigation.loss_rate", "SELECT ROUND(100.0 * SUM(c.lost) / COUNT(*), 2) " LIT_FIRST IN_YEAR("c.decided_date") },
	{ "litigation.mediated", "SELECT COUNT(*) " LIT_FIRST IN_YEAR("c.decided_date") " AND c.mediated = 1" },
	{ "litigation.mediation_rate",
	  "SELECT ROUND(100.0 * SUM(c.mediated) / COUNT(*), 2) " LIT_FIRST IN_YEAR("c.decided_date") },
	{ "litigation.hearings", "SELECT COUNT(*) " LIT_FIRST " AND l.hearing_held = 1" IN_YEAR("l.hearing_date") },
	{ "litigation.head_appeared",
	  "SELECT COUNT(*) " LIT_FIRST " AND l.hearing_held = 1 AND l.head_appeared = 1" IN_YEAR("l.hearing_date") },
	{ "litigation.head_appearance_rate",
	  "SELECT ROUND(100.0 * SUM(l.head_appeared) / COUNT(*), 2) " LIT_FIRST
	  " AND l.hearing_held = 1" IN_YEAR("l.hearing_date") },
	{ "litigation.enforcement_applications",
	  "SELECT COUNT(*) FROM case_file c WHERE c.kind = 'enforcement_application' AND " SUBTREE
	      IN_YEAR("c.received_date") },
	{ "ledger.meetings", LEDGER("times", "meeting") },
	{ "ledger.trainings", LEDGER("times", "training") },
	{ "ledger.training_people", LEDGER("people", "training") },
	{ "ledger.inspections", LEDGER("times", "inspection") },
	{ "ledger.exams", LEDGER("times", "exam") },
	{ "ledger.exam_people", LEDGER("people", "exam") },
	{ "ledger.leader_reports", LEDGER("times", "leader_report") },
	{ "ledger.publicity", LEDGER("times", "publicity") },
	{ "ledger.publicity_people", LEDGER("people", "publicity") },
};

#define NFIG (sizeof(figures) / sizeof(figures[0]))

/*
 * A few queries in the exact form metric_engine.c records() builds them for
 * an org below the root (source FROM of metric_source.c with only the kind
 * table joins the figure uses, the org-id set of the subtree, the date
 * range, the where filters), for their plans and times.
 */
#define ENGINE_ORG "c.org_id IN (SELECT id FROM org WHERE path LIKE ?1)"
static const struct figure engine_forms[] = {
	{ "reconsideration.received",
	  "SELECT COUNT(*) FROM case_file c WHERE 1 = 1 AND " ENGINE_ORG
	  " AND c.received_date >= ?2 AND c.received_date <= ?3 AND c.kind = 'reconsideration'" },
	{ "reconsideration.corrected",
	  "SELECT COUNT(*) FROM case_file c WHERE 1 = 1 AND " ENGINE_ORG
	  " AND c.decided_date >= ?2 AND c.decided_date <= ?3 AND c.kind = 'reconsideration' AND c.corrected = 1" },
	{ "litigation.head_appeared",
	  "SELECT COUNT(*) FROM case_file c LEFT JOIN litigation l ON l.case_id = c.id WHERE 1 = 1 AND " ENGINE_ORG
	  " AND l.hearing_date >= ?2 AND l.hearing_date <= ?3 AND c.kind = 'litigation'"
	  " AND l.instance = 'first' AND l.hearing_held = 1 AND l.head_appeared = 1" },
	{ "ledger.meetings",
	  "SELECT COALESCE(SUM(e.times), 0) FROM ledger_entry e JOIN ledger_category g ON g.id = e.category_id"
	  " WHERE e.status = 'active' AND e.org_id IN (SELECT id FROM org WHERE path LIKE ?1) AND e.entry_date >= ?2"
	  " AND e.entry_date <= ?3 AND g.code = 'meeting'" },
};

static sqlite3 *db;

/* sql with every org-subtree filter replaced by a no-op on ?1 (heap). */
static char *without_org_filter(const char *sql)
{
	static const char *const filters[] = { "c.org_id IN (SELECT id FROM org WHERE path LIKE ?1)",
					       "e.org_id IN (SELECT id FROM org WHERE path LIKE ?1)" };
	char *out = malloc(strlen(sql) + 1), *o = out;
	const char *p = sql;
	size_t i;

	if (!out)
		abort();
	while (*p) {
		for (i = 0; i < 2; i++)
			if (!strncmp(p, filters[i], strlen(filters[i])))
				break;
		if (i < 2) {
			memcpy(o, "?1 = ?1", 7);
			o += 7;
			p += strlen(filters[i]);
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static void die(const char *what)
{
	fprintf(stderr, "metrics_sql: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void bind_all(sqlite3_stmt *st, const char *like, const char *from, const char *to, long long org)
{
	int n = sqlite3_bind_parameter_count(st);

	sqlite3_reset(st);
	if (n >= 1)
		sqlite3_bind_text(st, 1, like, -1, SQLITE_TRANSIENT);
	if (n >= 2)
		sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
	if (n >= 3)
		sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
	if (n >= 4)
		sqlite3_bind_int64(st, 4, org);
}

/* Run one prepared figure query; writes its value as JSON into out. */
static void value_json(sqlite3_stmt *st, char *out, size_t n)
{
	if (sqlite3_step(st) != SQLITE_ROW)
		die("step");
	switch (sqlite3_column_type(st, 0)) {
	case SQLITE_NULL:
		snprintf(out, n, "null");
		break;
	case SQLITE_INTEGER:
		snprintf(out, n, "%lld", (long long)sqlite3_column_int64(st, 0));
		break;
	default:
		snprintf(out, n, "%.2f", sqlite3_column_double(st, 0));
	}
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_plan(const char *sql)
{
	char q[8192];
	sqlite3_stmt *st;
	int first = 1;

	snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
		die("explain");
	putchar('[');
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!first)
			putchar(',');
		first = 0;
		json_str((const char *)sqlite3_column_text(st, 3));
	}
	putchar(']');
	sqlite3_finalize(st);
}

int main(int argc, char **argv)
{
	const char *path = NULL, *org_arg = NULL;
	char like[300], name[300], from[16], to[16], pfrom[16], pto[16], cur[NFIG][32], prev[NFIG][32];
	double fig_ms[NFIG], rep_ms[64];
	sqlite3_stmt *sts[NFIG], *st;
	long long org_id = 0;
	int year = 0, reps = 3, plans = 0, whole = 0, root = 0, i, r;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--org") && i + 1 < argc)
			org_arg = argv[++i];
		else if (!strcmp(argv[i], "--year") && i + 1 < argc)
			year = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--plans"))
			plans = 1;
		else if (!strcmp(argv[i], "--whole-tenant"))
			whole = 1;
		else
			path = NULL, i = argc;
	}
	if (!path || !org_arg || year < 2000 || year > 2100 || reps < 1 || reps > 64) {
		fprintf(stderr, "usage: metrics_sql --db FILE --org CODE|ID --year Y [--reps N] [--plans] [--whole-tenant]\n");
		return 2;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open");
	if (sqlite3_prepare_v2(db,
			       strlen(org_arg) >= 6 ? "SELECT id, path, name, parent_id IS NULL FROM org WHERE division_code = ?1"
						      " ORDER BY id LIMIT 1"
						    : "SELECT id, path, name, parent_id IS NULL FROM org WHERE id = CAST(?1 AS INTEGER)",
			       -1, &st, NULL) != SQLITE_OK)
		die("prepare org");
	sqlite3_bind_text(st, 1, org_arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		fprintf(stderr, "metrics_sql: no org %s\n", org_arg);
		return 1;
	}
	org_id = sqlite3_column_int64(st, 0);
	snprintf(like, sizeof(like), "%s%%", (const char *)sqlite3_column_text(st, 1));
	snprintf(name, sizeof(name), "%s", (const char *)sqlite3_column_text(st, 2));
	root = sqlite3_column_int(st, 3);
	sqlite3_finalize(st);
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	snprintf(pfrom, sizeof(pfrom), "%04d-01-01", year - 1);
	snprintf(pto, sizeof(pto), "%04d-12-31", year - 1);

	for (k = 0; k < NFIG; k++) {
		char *sql = whole && root ? without_org_filter(figures[k].sql) : NULL;

		if (sqlite3_prepare_v2(db, sql ? sql : figures[k].sql, -1, &sts[k], NULL) != SQLITE_OK) {
			fprintf(stderr, "metrics_sql: %s: %s\n", figures[k].id, sqlite3_errmsg(db));
			return 1;
		}
		free(sql);
		fig_ms[k] = 0;
	}
	for (r = 0; r < reps; r++) {
		double t0 = now_ms();

		for (k = 0; k < NFIG; k++) {
			double f0 = now_ms();

			bind_all(sts[k], like, from, to, org_id);
			value_json(sts[k], cur[k], sizeof(cur[k]));
			bind_all(sts[k], like, pfrom, pto, org_id);
			value_json(sts[k], prev[k], sizeof(prev[k]));
			sqlite3_reset(sts[k]);
			fig_ms[k] += now_ms() - f0;
		}
		rep_ms[r] = now_ms() - t0;
	}

	printf("{\"org\": {\"id\": %lld, \"name\": ", org_id);
	json_str(name);
	printf(", \"path\": ");
	json_str(like);
	printf("}, \"year\": %d, \"whole_tenant\": %s, \"queries\": %zu, \"ms\": [", year,
	       whole && root ? "true" : "false", 2 * NFIG);
	for (r = 0; r < reps; r++)
		printf("%s%.2f", r ? ", " : "", rep_ms[r]);
	printf("], \"figures\": {");
	for (k = 0; k < NFIG; k++)
		printf("%s\"%s\": [%s, %s]", k ? ", " : "", figures[k].id, cur[k], prev[k]);
	printf("}, \"figure_ms\": {");
	for (k = 0; k < NFIG; k++)
		printf("%s\"%s\": %.2f", k ? ", " : "", figures[k].id, fig_ms[k] / reps);
	printf("}");
	if (plans) {
		printf(", \"sql\": {");
		for (k = 0; k < NFIG; k++) {
			printf("%s\"%s\": ", k ? ", " : "", figures[k].id);
			json_str(figures[k].sql);
		}
		printf("}, \"plans\": {");
		for (k = 0; k < NFIG; k++) {
			printf("%s\"%s\": ", k ? ", " : "", figures[k].id);
			print_plan(figures[k].sql);
		}
		printf("}, \"engine_forms\": {");
		for (k = 0; k < sizeof(engine_forms) / sizeof(engine_forms[0]); k++) {
			char v[32];
			double t0;

			if (sqlite3_prepare_v2(db, engine_forms[k].sql, -1, &st, NULL) != SQLITE_OK)
				die("prepare engine form");
			t0 = now_ms();
			bind_all(st, like, from, to, org_id);
			value_json(st, v, sizeof(v));
			sqlite3_finalize(st);
			printf("%s\"%s\": {\"value\": %s, \"ms\": %.2f, \"sql\": ", k ? ", " : "", engine_forms[k].id, v,
			       now_ms() - t0);
			json_str(engine_forms[k].sql);
			printf(", \"plan\": ");
			print_plan(engine_forms[k].sql);
			printf("}");
		}
		printf("}");
	}
	printf("}\n");
	for (k = 0; k < NFIG; k++)
		sqlite3_finalize(sts[k]);
	sqlite3_close(db);
	return 0;
}
