/*
 * 重大行政决策 (《重大行政决策程序暂行条例》, 2019): the yearly 决策事项目录 of
 * a government (published only after the party committee at the same level
 * approved it) and each decision in it with its statutory steps: 公众参与
 * (comment period of at least 30 days, or the reason it was shorter),
 * 专家论证, 风险评估, 合法性审查 (a linked review case), 集体讨论决定
 * (meeting, outcome, dissent recorded), 公布, 立卷归档 and 决策后评估 with
 * its trigger.
 *
 * A decision is a case of the engine (kind "decision"): org_id is the
 * deciding government, party_org_id the 承办单位, received_date the day it
 * was listed, decided_date the collective discussion. The hard gate: no
 * collective discussion is recorded before the legality review concluded
 * 合法 or 修改后合法 (冠县 2023: "对未经合法性审查的重大行政决策,不予集体
 * 研究讨论"), nor while an earlier step is neither done nor marked not
 * applicable with a reason.
 */
#ifndef FAZHI_DECISIONS_H
#define FAZHI_DECISIONS_H

#include "domain/cases/case.h"

struct db;

/* ===== rules (decisions_rules.c): pure ===== */

struct decision_step_def {
	const char *code;
	const char *name;
	int can_skip;          /* may be marked not applicable (with a reason) */
	int before_discussion; /* must be resolved before 集体讨论决定 */
};

/* The steps in their order, NULL-code terminated. */
extern const struct decision_step_def decision_steps[];
extern const struct case_kind decision_kind;
extern const struct case_state decision_states[];
extern const struct case_outcome decision_outcomes[];
extern const char *const decision_categories[];
extern const char *const decision_eval_triggers[];

const struct decision_step_def *decision_step_find(const char *code);
const char *decision_category_name(const char *code);
const char *decision_eval_trigger_name(const char *code);
const char *decision_step_status_name(const char *status);

/*
 * May the collective discussion be recorded? NULL when yes, else the reason
 * in Chinese (in buf or static). review_outcome: the linked review's
 * conclusion ("" when not concluded), NULL when no review is linked.
 * statuses[i] is the status of decision_steps[i] ("pending", "done",
 * "not_applicable"); the legality step's own status is ignored (the review
 * decides it). *code gets a stable code of the reason.
 */
const char *decisions_discussion_gate(const char *const *statuses, const char *review_outcome, const char **code,
				      char *buf, size_t buflen);

/*
 * The comment period start..end must last at least min_days days (both
 * counted) unless a reason is given. NULL when fine, else why not.
 */
const char *decisions_check_comment(int start, int end, int min_days, const char *reason, char *buf, size_t buflen);

/* ===== store (decisions_store.c): SQL only ===== */

int decisions_store_insert(struct db *db, int64_t case_id, int64_t catalogue_id, const char *category,
			   const char *description);
/* Statuses of the steps in decision_steps order (each buffer 16 bytes); 0 or a db error. */
int decisions_store_statuses(struct db *db, int64_t case_id, char statuses[][16], size_t n);
/* Mark a step: status, date, reason and its fields (a JSON object, may be NULL). */
int decisions_store_set_step(struct db *db, int64_t case_id, const char *step, const char *status, const char *date,
			     const char *reason, json_t *fields, int64_t actor);
/* The linked review: 0 and its outcome ("" when not concluded) into out; DB_DONE when none. */
int decisions_store_review(struct db *db, int64_t case_id, int64_t *review_id, char *outcome, size_t outlen);
json_t *decisions_store_detail(struct db *db, int64_t case_id);
/* What a list of decisions is filtered by (0 / NULL: any). */
struct decision_filter {
	int64_t catalogue_id, year, lead_org_id;
	const char *state, *category, *q;
};

/* A page of the decisions the session may see. 0, or -1 with the API error set. */
int decisions_store_list(struct request *req, const struct decision_filter *f, int64_t limit, int64_t offset,
			 json_t **items, int64_t *total);

extern const struct module decisions_module;

#endif
