/*
 * The case core shared by every case-like business line. A line describes
 * itself with a struct case_kind: its states, its action table (which
 * action is allowed in which state, what it takes, where it leads, what it
 * does), its outcome table (decision types with the flags the reports
 * count: corrected, mediated, lost) and its statutory deadline rules. The
 * generic API (case_api.c) lists cases, shows one with its parties,
 * timeline, deadlines, attachments and allowed actions, and runs actions:
 * an action not allowed in the current state is refused with 409 and the
 * list of allowed ones. Every action is audited by the router.
 */
#ifndef FAZHI_CASES_CASE_H
#define FAZHI_CASES_CASE_H

#include <jansson.h>
#include <stdint.h>

#include "core/deadline.h"
#include "http/request.h"

struct db;
struct calendar;

struct case_state {
	const char *code;
	const char *name;
	int open; /* still needs work (not a final state) */
};

struct case_outcome {
	const char *code;
	const char *name;
	int corrected; /* 纠错: the act was changed, revoked, confirmed illegal ... */
	int mediated;  /* 调解, 和解, 撤回 */
	int lost;      /* 败诉 */
};

struct case_ctx;

struct case_action {
	const char *from; /* states where it is allowed, comma-separated */
	const char *code;
	const char *name;
	const char *to;                /* target state; NULL keeps the state */
	const struct body_field *body; /* includes "date" (CASE_DATE_FIELD) */
	int (*apply)(struct case_ctx *ctx);
};

struct case_kind {
	const char *code;
	const char *name;
	const char *read_perm;
	const char *handle_perm;
	const char *initial_state;
	const struct case_state *states;     /* NULL-code terminated */
	const struct case_action *actions;   /* NULL-code terminated */
	const struct case_outcome *outcomes; /* NULL-code terminated */
	const struct deadline_rule *rules;   /* NULL-code terminated */
	/* Kind-specific fields of one case as a JSON object (NULL when absent). */
	json_t *(*detail_json)(struct db *db, int64_t case_id);
};

/* A case as the engine needs it. */
struct case_row {
	int64_t id;
	const struct case_kind *kind;
	int64_t org_id;
	int64_t party_org_id;
	char state[32];
	char case_no[128];
	char received[11];
	char accepted[11];
	char outcome[32];
	char org_path[256];
	char party_path[256];
	int64_t extension_days;
};

/* What an action's apply function works with. */
struct case_ctx {
	struct request *req;
	struct case_row *c;
	const struct case_action *act;
	int date;            /* the action's legal date, YYYYMMDD */
	char date_s[11];     /* the same as text */
	const char *detail;  /* timeline text (apply may set it; default: action name) */
};

#define CASE_DATE_FIELD { "date", FIELD_STRING, 1, 8, 11, "日期", case_check_date, NULL }
#define CASE_END_FIELD { NULL, 0, 0, 0, 0, NULL, NULL, NULL }

/* ===== rules (case_rules.c) ===== */

const struct case_kind *case_kind_find(const char *code);
/* The NULL-terminated list of registered kinds. */
extern const struct case_kind *const case_kinds[];
const struct case_state *case_state_find(const struct case_kind *k, const char *code);
const struct case_outcome *case_outcome_find(const struct case_kind *k, const char *code);
const struct deadline_rule *case_rule_find(const struct case_kind *k, const char *code);
/* Is the action allowed in this state? */
int case_action_allowed(const struct case_action *a, const char *state);
const struct case_action *case_action_find(const struct case_kind *k, const char *code);
/* JSON array of the actions allowed in state: [{code, name, fields:[...]}]. */
json_t *case_allowed_actions_json(const struct case_kind *k, const char *state);
/* Validator for "date" fields: a real date, written 2021-03-05, 2021/3/5 or 2021年3月5日. */
const char *case_check_date(const char *value);
/* "嘉善复〔2021〕12号" from abbreviation, kind letter, year and sequence. */
void case_format_number(char *out, size_t outlen, const char *abbr, const char *letter, int year, int64_t seq);
/* The abbreviation an org's case numbers start with: org.abbr, else its name without the suffix (嘉善). */
void case_org_abbr(struct db *db, int64_t org_id, char *out, size_t outlen);

/* ===== calendar in use (calendar_service.c) ===== */

/* The current holiday calendar (valid for the life of the process). */
const struct calendar *case_calendar(void);
/* Build the calendar from the embedded files and the database's edits. */
int case_calendar_load(struct db *db, char *err, size_t errlen);
/* Release every calendar (at exit). */
void case_calendar_release(void);

/*
 * Due date of a rule: exact when the calendar knows every year involved;
 * otherwise computed as if the unknown years had no holidays beyond
 * weekends, and *provisional set. 0 and *due set; DEADLINE_PAUSED when the
 * clock is stopped; -1 on bad input.
 */
int case_due_date(const struct deadline_rule *r, int start, const struct deadline_pause *pauses, size_t npauses,
		  int extension_days, int *due, int *provisional);

/* ===== store (case_store.c) ===== */

/* Load a case; DB_ROW / DB_DONE / negative. */
int case_store_load(struct db *db, int64_t id, struct case_row *out);
/* Next sequence number of (org, kind, year). */
int case_store_next_seq(struct db *db, int64_t org_id, const char *kind, int year, int64_t *seq);
/* Insert the core row; *id gets the new id. */
int case_store_insert(struct db *db, const char *kind, int64_t org_id, int64_t party_org_id, const char *case_no,
		      int year, int64_t seq, const char *title, const char *state, int64_t handler_id,
		      const char *received, int64_t created_by, int64_t *id);
int case_store_add_event(struct db *db, int64_t case_id, const char *action, const char *from, const char *to,
			 const char *date, int64_t actor, const char *detail);
int case_store_set_state(struct db *db, int64_t case_id, const char *state);
/* Set one date column (accepted_date, decided_date, closed_date) of the core row. */
int case_store_set_date(struct db *db, int64_t case_id, const char *column, const char *date);
int case_store_set_outcome(struct db *db, int64_t case_id, const struct case_outcome *o);
/* Add a party from its JSON object; problems are reported as errors of the request field `field`. */
int case_store_add_party(struct request *req, int64_t case_id, const char *role, json_t *party, const char *field,
			 int64_t *party_id);
/*
 * Open a deadline of rule r starting at start (YYYYMMDD), computing its due
 * date. r may be a copy of a kind's rule with another length (a tenant's
 * setting, a document's term): the length is stored with the deadline and
 * used again whenever the due date is recomputed.
 */
int case_deadline_open(struct db *db, const struct case_row *c, const struct deadline_rule *r, int start);
/* Mark open deadlines of a rule met (or cancelled) on date. */
int case_deadline_close(struct db *db, int64_t case_id, const char *rule, const char *status, const char *date);
/* Cancel every open deadline except those named in keep (comma-separated). */
int case_deadline_close_all(struct db *db, int64_t case_id, const char *keep, const char *date);
/* Recompute the due dates of the case's open pausable deadlines (after 中止/恢复/延期). */
int case_deadline_recompute(struct db *db, const struct case_row *c);
int case_pause_open(struct db *db, int64_t case_id, const char *date, const char *reason);
int case_pause_close(struct db *db, int64_t case_id, const char *date);
/* Full detail of one case as JSON (core + kind fields + parties + events + deadlines + attachments + notes). */
json_t *case_store_detail(struct request *req, const struct case_row *c);
/* Decrypted personal data of one party of a case (NULL when absent). */
json_t *case_store_reveal(struct request *req, int64_t case_id, int64_t party_id);
/* A page of the list (filters from the query: state, handler_id, from/to received, overdue, q, sort). */
int case_store_list(struct request *req, const struct case_kind *k, int64_t limit, int64_t offset, json_t **items,
		    int64_t *total);

/*
 * Open deadlines due within `within_days` of today (or overdue) of cases
 * whose org or party org path matches pattern, by due date: [{id, rule,
 * name, start_date, due_date, provisional, days_left, urgency, case_id,
 * kind, kind_name, case_no, title, handler_name}].
 */
int case_store_due(struct db *db, const char *pattern, int within_days, json_t **items);

/* Visibility of a case to the session: its org or its party org in scope. */
int case_visible(const struct session *s, const struct case_row *c);

/* ===== helpers for a line's create handler (case_api.c) ===== */

/*
 * Create the core row, number it (when case_no is NULL), add parties from
 * the body arrays "applicants"/"third_parties"/"plaintiffs"/"agents", write
 * the first timeline event and set the audit object. Runs inside the
 * router's transaction. Returns 0 and the new id.
 */
int case_create(struct request *req, const struct case_kind *k, int64_t org_id, int64_t party_org_id,
		const char *case_no, const char *title, const char *received, int64_t *id);

/*
 * Finish a line's create handler: open the first statutory deadline (rule
 * `rule`, counted from `start`, or from the received date when NULL; none
 * when rule is NULL) and reply 201 with the case detail.
 */
int case_created(struct request *req, const struct case_kind *k, int64_t id, const char *rule, const char *start);

/*
 * Finish a case write handler: reply `status` with case id's detail, read
 * once the write is committed (request.h, reply_after_commit), so the read
 * does not hold the write slot. Returns 0.
 */
int case_reply_detail(struct request *req, int64_t id, int status);

/* Load a case the session may see (404/403 otherwise). */
int case_load_visible(struct request *req, int64_t id, struct case_row *c);

extern const struct module case_module;
extern const struct module calendar_module;
extern const struct module import_module;

#endif
