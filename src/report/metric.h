/*
 * The metric catalogue and its engine. Metrics are data (data/metrics,
 * JSON files compiled into the binary): a count or sum over one source of
 * records with filters and a date field that must fall in the period, a
 * ratio of two metrics with its rounding, or a sum of metrics. The engine
 * computes any metric for an org (its whole subtree, or the org itself)
 * and a date range, the same range a year earlier and the 同比 change, and
 * breaks a metric down by child org or by month. Sources and the fields a
 * definition may name are fixed in C (metric_source.c), so a definition
 * can never inject SQL.
 */
#ifndef FAZHI_REPORT_METRIC_H
#define FAZHI_REPORT_METRIC_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

struct db;

/* MF_SUM: a summary column holding a sum of records' values: summed, never filtered on. */
enum metric_field_type { MF_INT, MF_TEXT, MF_DATE, MF_SUM };

struct metric_field {
	const char *name;
	const char *expr; /* SQL expression over the source's FROM (and join) */
	enum metric_field_type type;
	const char *join; /* NULL, or the LEFT JOIN the expression needs, added only when used */
};

struct metric_source {
	const char *name;
	const char *from;       /* "FROM <records> [JOIN <tables every record has>]", no org join */
	const char *org_col;    /* the record's org column: "c.org_id" */
	const char *base_where; /* always applied, e.g. "e.status = 'active'", or "1 = 1" */
	const struct metric_field *fields; /* NULL-name terminated */
	/*
	 * The summary table that answers whole calendar years of this source
	 * (sql/0010), or NULL. A summary source names the same fields as its
	 * records (those it keeps); its date fields are matched by year, and
	 * count_expr adds up its counts. open_start/open_end: the one "open at
	 * the start" pair it answers (rows of the start field with end_year_col).
	 */
	const struct metric_source *summary;
	const char *count_expr;   /* "COUNT(*)", or the summary's "SUM(c.n)" */
	const char *field_col;    /* summary: the column naming the date field, NULL if it keeps only one */
	const char *year_col;     /* summary: the 'YYYY' column */
	const char *end_year_col; /* summary: 'YYYY' of open_end on open_start rows, '' while open */
	const char *open_start, *open_end;
};

const struct metric_source *metric_source_find(const char *name);
const struct metric_field *metric_field_find(const struct metric_source *s, const char *name);

enum metric_kind { METRIC_COUNT, METRIC_SUM, METRIC_RATIO, METRIC_SUM_OF };

#define METRIC_MAX_WHERE 8
#define METRIC_MAX_PARTS 8

struct metric_where {
	const struct metric_field *field;
	json_t *value; /* scalar, array (IN) or "*" (present) */
};

struct metric_def {
	char *id, *name, *unit;
	enum metric_kind kind;
	const struct metric_source *source;
	const struct metric_field *date;       /* count/sum: the field in the period */
	const struct metric_field *sum_field;  /* sum */
	const struct metric_field *open_start; /* count "open at start of period" */
	const struct metric_field *open_end;
	int org_self;
	size_t nwhere;
	struct metric_where where[METRIC_MAX_WHERE];
	const char *kind_filter; /* the "kind" where value, for the no-data test */
	char *numerator, *denominator; /* ratio */
	int percent, truncate, decimals;
	size_t nparts; /* sum_of */
	char *parts[METRIC_MAX_PARTS];
};

struct metric_catalog {
	size_t n;
	struct metric_def *defs;
	json_t *docs; /* the loaded JSON documents (own the where values) */
};

/* Load and check every embedded data/metrics JSON file; -1 with a message naming the metric. */
int metric_catalog_load(struct metric_catalog *c, char *err, size_t errlen);
void metric_catalog_release(struct metric_catalog *c);
const struct metric_def *metric_find(const struct metric_catalog *c, const char *id);

/* The process-wide catalogue (loaded on first use; immutable afterwards). NULL if it failed to load. */
const struct metric_catalog *metric_catalog(void);

struct metric_scope {
	int64_t org_id;
	char path[256];
	int from, to; /* YYYYMMDD, inclusive */
};

/* One figure. has == 0 means no data: shown as missing, never as 0. */
struct metric_value {
	int has;
	double v;
};

/*
 * Whether whole-year counts and sums are read from the summary tables
 * (default) or always from the records: process-wide, set before computing
 * (the CLI's --records, to compare the two).
 */
void metric_use_summary(int on);

/*
 * Compare every summary table with the aggregates of its records (the
 * *_expected views of sql/0010); print each differing row to out. The
 * number of differing rows, or a negative DB error.
 */
int metric_summary_check(struct db *db, FILE *out);

/* Round as the metric says (half-up or truncate, decimals). */
double metric_round(double v, int decimals, int truncate);

/*
 * Compute every metric of the catalogue for a scope and the same period a
 * year earlier: {"<id>": {"name","unit","value","previous","yoy"}} where
 * value/previous are numbers or null (no data) and yoy is the change in
 * percent for counts (同比) or in percentage points for rates. NULL on a
 * database error.
 */
json_t *metric_all_json(struct db *db, const struct metric_catalog *c, const struct metric_scope *s);

/* One metric with its previous-year value and 同比. */
json_t *metric_one_json(struct db *db, const struct metric_catalog *c, const struct metric_def *d,
			const struct metric_scope *s);

/* One metric broken down: by == "org" (each active child org's subtree) or "month". */
json_t *metric_breakdown_json(struct db *db, const struct metric_catalog *c, const struct metric_def *d,
			      const struct metric_scope *s, const char *by);

/* Resolve an org given as id or division code into a scope's org fields; DB_ROW/DB_DONE/negative. */
int metric_scope_org(struct db *db, const char *org, struct metric_scope *s, char *name, size_t namelen);

struct module;
extern const struct module metric_module;

#endif
