/*
 * Import of historical case ledgers (.csv or .xlsx, one row per case, with
 * Chinese column headers in any order). The whole file is checked first:
 * any bad row means nothing is imported, and every problem is reported with
 * its line, column and a Chinese reason. Each line of business describes
 * its columns and how a row becomes a case with a struct import_spec; the
 * engine here maps headers, runs the checks and the inserts in one
 * transaction, and serves the API and the CLI alike.
 */
#ifndef FAZHI_CASES_CASE_IMPORT_H
#define FAZHI_CASES_CASE_IMPORT_H

#include <jansson.h>
#include <stdint.h>

#include "case.h"
#include "core/arena.h"

struct db;
struct table_row;

#define IMPORT_MAX_COLUMNS 32

struct import_ctx {
	struct db *db;
	struct arena *arena;
	int64_t org_id;           /* the org the import is for (tenant root, or a department) */
	char org_path[256];
	int64_t actor_id;         /* 0 for the CLI */
	json_t *errors;           /* [{line, column, message}] */
	int line;                 /* line of the row being checked */
	const struct table_row *row;
	int colmap[IMPORT_MAX_COLUMNS]; /* spec column -> file column, -1 when absent */
	const struct import_spec *spec;
};

struct import_spec {
	const struct case_kind *kind;
	const char *const *columns;  /* headers, NULL-terminated */
	const char *const *required; /* headers that must be present, NULL-terminated */
	/* Check one row; return an arena struct for insert() or NULL after import_error(). */
	void *(*check)(struct import_ctx *x);
	/* Insert one checked row inside the transaction; 0 or a negative db error. */
	int (*insert)(struct import_ctx *x, void *row);
};

/* The specs of the lines that can be imported; NULL when the kind has none. */
const struct import_spec *import_spec_find(const char *kind);

/*
 * Import a file's bytes for org_id. Returns the number of cases imported
 * (>= 0); -1 when the file or a row is wrong (nothing imported, *errors set
 * to the list); -2 on a database error (nothing imported). The caller owns
 * the transaction: this runs inside it.
 */
int import_run(struct db *db, struct arena *a, const struct import_spec *spec, int64_t org_id, int64_t actor_id,
	       const char *data, size_t len, json_t **errors);

/* A UTF-8 CSV template (with BOM) of the spec's columns. */
char *import_template_csv(struct arena *a, const struct import_spec *spec, size_t *len);

/* ===== helpers for the specs' check functions ===== */

/* The cell under a header ("" when the column is absent or the cell empty). */
const char *import_cell(struct import_ctx *x, const char *header);
/* Record an error for the current line and column; returns NULL for `return import_error(...)`. */
void *import_error(struct import_ctx *x, const char *column, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A date cell (2021-03-05, 2021/3/5, 2021年3月5日) into out[11]; "" when empty. -1 after an error. */
int import_date(struct import_ctx *x, const char *column, int required, char out[11]);
/* One of labels[] (Chinese) to codes[] at the same index; NULL when empty. -1 after an error. */
int import_choice(struct import_ctx *x, const char *column, const char *const *labels, const char *const *codes,
		  int required, const char **code);
/* 是/否. */
int import_yes_no(struct import_ctx *x, const char *column, int *out);
/* An org of the import's tree by its full name. */
int import_org(struct import_ctx *x, const char *column, int64_t *org_id, char *name, size_t namelen);

#endif
