/*
 * 行政规范性文件: the register (统一登记、统一编号), the filing (备案) with its
 * deadline and on-time flag, the validity term with an expiry reminder, the
 * status with its history, full-text search, and the cleanup batches (清理,
 * every two years in Zhejiang) whose publication changes the status of every
 * document in them and yields the published lists as .xlsx and .docx.
 *
 * A document is a case of the engine (kind "normdoc"): org_id is the
 * issuing organ, case_no the registration number (JSDR-2021-0012, prefix a
 * tenant setting), received_date the date of issue, the state its status
 * (有效 / 拟修改 / 已修改 / 废止 / 失效) with every change in the timeline, and
 * the filing period and the validity term are engine deadlines, so both
 * appear in GET /api/v1/deadlines and `fazhi deadlines` like any other.
 */
#ifndef FAZHI_NORMDOCS_H
#define FAZHI_NORMDOCS_H

#include "domain/cases/case.h"

struct db;
struct calendar;

/* ===== rules (normdocs_rules.c): pure ===== */

extern const struct case_kind normdoc_kind;
extern const struct case_state normdoc_states[];
extern const struct deadline_rule normdoc_rules[];
/* Cleanup decisions: keep (继续有效), amend (拟修改), repeal (废止), expire (失效). */
extern const char *const normdoc_cleanup_decisions[];
const char *normdoc_cleanup_decision_name(const char *decision);
/*
 * The status a published cleanup decision gives a document now in `state`:
 * 继续有效 makes a 拟修改 document 有效 again and leaves the others as they
 * are; 拟修改, 废止 and 失效 set their status. NULL for an unknown decision.
 */
const char *normdoc_cleanup_target(const char *decision, const char *state);
/* Is a document in this status in force (有效, 拟修改, 已修改)? */
int normdoc_is_current(const char *state);
/* "JSDR-2021-0012" into out. */
void normdoc_format_number(char *out, size_t outlen, const char *prefix, int year, int64_t seq);
/* NULL when s looks like a registration number (PREFIX-YYYY-NNNN), else why not. */
const char *normdoc_check_number(const char *s);

/*
 * The public comment period start..end (both days counted). For documents
 * closely related to businesses it must last at least min_days calendar
 * days, otherwise at least min_working working days. Sets *days and
 * *working (working is -1 when the calendar lacks a year) and returns a
 * warning in Chinese written into buf when the period is shorter, else NULL.
 */
const char *normdoc_comment_warning(const struct calendar *cal, int start, int end, int affects_business,
				    int min_days, int min_working, int *days, int *working, char *buf, size_t buflen);

/*
 * Filing deadline of a document issued on `issued`: `working_days` working
 * days counted from the day after (the rule normdoc.filing with the
 * tenant's length). 0 and *due, or a negative calendar error.
 */
int normdoc_filing_due(const struct calendar *cal, int issued, int working_days, int *due);

/* ===== store (normdocs_store.c): SQL only ===== */

struct normdoc_new {
	const char *doc_no, *effective, *expiry, *comment_start, *comment_end, *comment_reason, *text;
	int64_t review_id;
	int affects_business;
};

int normdocs_store_insert(struct db *db, int64_t case_id, const struct normdoc_new *n);
/* The document's own fields, its filing, comment period, review link, cleanups and warnings. */
json_t *normdocs_store_detail(struct db *db, int64_t case_id);
/* A page of the register (filters from the query, q searched in title, number and text). */
int normdocs_store_list(struct request *req, int64_t limit, int64_t offset, json_t **items, int64_t *total);
/*
 * Ids of the documents whose title or text contains q, at most max of them,
 * newest first, within orgs matching pattern: FTS5 trigram on SQLite for
 * three or more characters, LIKE otherwise. Returns the number found or a
 * negative db error.
 */
int normdocs_store_search(struct db *db, const char *pattern, const char *q, int64_t *ids, int max);

/* ===== cleanup batches (normdocs_cleanup.c) ===== */

/*
 * Publish a cleanup batch: every item's document still in force gets the
 * status of its decision, with a timeline event; repealed and expired ones
 * lose their open deadlines. Every item must have a decision (else
 * DB_CONSTRAINT). *changed counts the documents whose status changed,
 * *skipped those no longer in force. 0 or a negative db error.
 */
int normdocs_cleanup_publish(struct db *db, int64_t batch_id, const char *date, int64_t actor, int64_t *changed,
			     int64_t *skipped);

extern const struct module normdocs_module;
extern const struct module normdocs_cleanup_module;

#endif
