/*
 * 合法性审查 (legality review) of what a government or a department is about
 * to adopt: 行政规范性文件, 重大行政决策, 政府合同, 常务会议议题, 重大行政执法
 * 决定 and others. A case kind of the engine (src/domain/cases, kind
 * "review"): a unit submits a request (its liaison for its own unit, or
 * bureau staff); the reviewing office accepts it, which starts a review
 * period of working days that depends on the subject kind (a tenant
 * setting); reviewers are assigned (staff, legal advisers, the town's
 * 司法所); opinions are separate items; the conclusion is 合法 / 修改后合法 /
 * 不合法 / 退回补充; the submitter later reports, opinion by opinion, whether
 * it was adopted; the signed opinion letter is exported as .docx.
 *
 * This folder also holds the tenant settings shared by the three legal
 * affairs lines (review, normdocs, decisions): periods and prefixes whose
 * statutory values are unverified, kept as editable data (legal_settings.c).
 */
#ifndef FAZHI_REVIEW_H
#define FAZHI_REVIEW_H

#include "domain/cases/case.h"

struct db;

/* ===== rules (review_rules.c): pure ===== */

extern const struct case_kind review_kind;
extern const struct case_state review_states[];
extern const struct case_outcome review_outcomes[];
extern const struct deadline_rule review_rules[];
/* Subject kinds and their names, NULL-terminated and parallel. */
extern const char *const review_subject_kinds[];
extern const char *const review_subject_names[];
/* Opinion adoption codes (without "pending") and reviewer types. */
extern const char *const review_adoptions[];
extern const char *const review_reviewer_types[];

/* Chinese name of a subject kind / adoption / reviewer type (NULL when unknown). */
const char *review_subject_name(const char *code);
const char *review_adoption_name(const char *code);
const char *review_reviewer_type_name(const char *code);
/* The deadline rule code of a subject kind under a procedure ("review.contract_simple"). */
const char *review_rule_code(const char *subject, int simple);
/* NULL when the simple procedure may be used for this subject kind, else why not. */
const char *review_simple_allowed(const char *subject);
/*
 * Can a review be concluded so? NULL when yes, else the reason in Chinese:
 * 修改后合法 needs at least one opinion, 不合法 and 退回补充 a stated reason,
 * every conclusion at least one reviewer.
 */
const char *review_check_conclusion(const char *conclusion, int64_t opinions, int64_t reviewers, const char *note);
/* Partly or not adopted needs a reason. */
const char *review_check_adoption(const char *adoption, const char *reason);
/* Is the conclusion one a decision may go to collective discussion with (合法, 修改后合法)? */
int review_conclusion_passes(const char *outcome);

/* ===== store (review_store.c): SQL only ===== */

int review_store_insert(struct db *db, int64_t case_id, const char *subject, const char *subject_title,
			const char *description, int64_t item_count, int64_t amount_fen, const char *counterparty);
int review_store_set_procedure(struct db *db, int64_t case_id, const char *procedure);
int review_store_get_text(struct db *db, int64_t case_id, const char *column, char *out, size_t outlen);
int review_store_add_reviewer(struct db *db, int64_t case_id, const char *type, int64_t user_id, int64_t org_id,
			      const char *name, int lead);
int review_store_count(struct db *db, int64_t case_id, const char *what, int64_t *n);
int review_store_add_opinion(struct db *db, int64_t case_id, const char *content, const char *basis, int64_t actor,
			     int64_t *seq);
json_t *review_store_detail(struct db *db, int64_t case_id);
/* The opinion letter's content: reviewers, opinions, the linked document or decision. */
json_t *review_store_opinions(struct db *db, int64_t case_id);
json_t *review_store_reviewers(struct db *db, int64_t case_id);
/* A page of reviews with their subject and opinion counts (filters from the query). */
int review_store_list(struct request *req, int64_t limit, int64_t offset, json_t **items, int64_t *total);

/* ===== the opinion letter (review_letter.c) ===== */

/* 合法性审查意见书 of a concluded review as .docx (heap buffer, caller frees); 0 or -1. */
int review_letter_docx(const json_t *detail, char **out, size_t *len);

/* ===== tenant settings (legal_settings.c) ===== */

/*
 * One setting. A period setting names a deadline rule of a case kind
 * (`kind` set): its default, name and basis are the rule's. Other settings
 * carry their own default and bounds.
 */
struct legal_setting {
	const char *key;
	const char *kind;       /* case kind whose rule `key` is, or NULL */
	const char *name;       /* NULL for rules (the rule's name) */
	int is_text;
	const char *def;        /* default (NULL for rules) */
	int64_t min, max;       /* bounds of a number, or of a text's length */
	const char *basis;      /* NULL for rules */
	const char *perm;       /* permission that may change it */
};

extern const struct legal_setting legal_settings[];
const struct legal_setting *legal_setting_find(const char *key);
/* The rule a period setting sets (NULL for other settings). */
const struct deadline_rule *legal_setting_rule(const struct legal_setting *s);
/* NULL when value is acceptable for s, else why not. */
const char *legal_setting_check(const struct legal_setting *s, const char *value);

/* Root org id of a tenant from an org path ("/1/5/" -> 1); 0 when not a path. */
int64_t legal_tenant_of(const char *path);
/* Effective value (the tenant's, else the default) into out. */
int legal_setting_text(struct db *db, int64_t tenant, const char *key, char *out, size_t outlen);
/* Effective value of a number setting (the default when unreadable). */
int64_t legal_setting_int(struct db *db, int64_t tenant, const char *key);
/* A rule with the tenant's period length in place of the table's (for case_deadline_open). */
struct deadline_rule legal_rule(struct db *db, int64_t tenant, const struct deadline_rule *r);

/* ===== case helpers of the three legal affairs kinds (legal_case.c) ===== */

/* "嘉善法审〔2021〕3号": the org's abbreviation, the letter, the year and the next
 * sequence number of (org, kind, year). 0, or -1 with the API error set. */
int legal_case_number(struct request *req, int64_t org_id, const char *kind, const char *letter, int year, char *out,
		      size_t outlen);
/* Open the deadline `rule` of the case's kind from start, with the tenant's
 * period length (or `length` when > 0). 0, or -1 with the API error set. */
int legal_deadline_open(struct request *req, const struct case_row *c, const char *rule, int start, int length);
/*
 * Reply with a generated file: rc is the generator's result, data its heap
 * buffer (freed here), the type follows the name's extension (.docx, else
 * .xlsx). 0, or -1 with a 500 when the generator failed.
 */
int legal_reply_file(struct request *req, int rc, char *data, size_t len, const char *filename);

extern const struct module review_module;
extern const struct module legal_settings_module;

#endif
