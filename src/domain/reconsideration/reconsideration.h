/*
 * 行政复议 (administrative reconsideration, law of 2023): registration,
 * 补正, 受理 / 不予受理, 普通 or 简易 procedure, copy to the respondent and
 * its answer, 听证, 中止 / 恢复, 延期, decision of a statutory type, 意见书
 * and 建议书, 结案 — a state table of the case engine (src/domain/cases).
 */
#ifndef FAZHI_RECONSIDERATION_H
#define FAZHI_RECONSIDERATION_H

#include "domain/cases/case.h"

/* ===== rules (reconsideration_rules.c) ===== */

extern const struct case_kind reconsideration_kind;
extern const struct case_outcome reconsideration_outcomes[];
extern const struct deadline_rule reconsideration_rules[];
extern const char *const reconsideration_channels[];
/* Is the simple procedure available (Art. 53)? NULL when yes, else the reason in Chinese. */
const char *reconsideration_simple_allowed(const char *basis, int64_t amount_yuan, int consent);
extern const char *const reconsideration_simple_bases[];

/* ===== store (reconsideration_store.c) ===== */

struct db;
int reconsideration_store_insert(struct db *db, int64_t case_id, const char *channel, const char *act,
				 const char *claims, int64_t amount_yuan);
int reconsideration_store_procedure(struct db *db, int64_t case_id, const char *procedure, char *out, size_t outlen);
int reconsideration_store_set(struct db *db, int64_t case_id, const char *column, int64_t value);
json_t *reconsideration_store_detail(struct db *db, int64_t case_id);

extern const struct module reconsideration_module;

#endif
