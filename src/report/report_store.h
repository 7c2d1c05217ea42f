/* A report as stored: row, narratives, figures (live or frozen); see report_store.c. */
#ifndef FAZHI_REPORT_REPORT_STORE_H
#define FAZHI_REPORT_REPORT_STORE_H

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "report.h"

struct db;

struct report_data {
	int64_t id;
	int64_t org_id;
	char org_name[256];
	char org_short[128];
	char org_path[256];
	int year;
	char template_id[32];
	int frozen;
	int64_t frozen_at;
	int64_t updated_at;
	json_t *narratives; /* section -> text */
	json_t *figures;    /* metric id -> figure */
};

/* Load a report with its figures; DB_ROW, DB_DONE or negative. Release with report_data_release. */
int report_load(struct db *db, int64_t id, struct report_data *r);
void report_data_release(struct report_data *r);
/* Every metric for org's subtree over a calendar year (NULL on error). */
json_t *report_compute_figures(struct db *db, int64_t org_id, int year);
/* Store the current figures as the report's and mark it frozen. */
int report_freeze(struct db *db, struct report_data *r, int64_t user_id);
int report_save_narrative(struct db *db, int64_t id, const char *section, const char *text, int64_t user_id);
/* The render view of a loaded report. */
void report_view_of(const struct report_data *r, struct report_view *v);

#endif
