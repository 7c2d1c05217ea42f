/*
 * 行政应诉 (court cases against a government or department of the tenant):
 * instance, court, service date and the 15-day answer limit, hearings and
 * whether the head of the agency appeared in court, judgment or ruling of a
 * statutory type with 败诉 derived by table, the appeal limit (15 days
 * after a judgment, 10 after a ruling) and whether it was appealed.
 */
#ifndef FAZHI_LITIGATION_H
#define FAZHI_LITIGATION_H

#include "domain/cases/case.h"

extern const struct case_kind litigation_kind;
extern const struct case_outcome litigation_outcomes[];
extern const struct deadline_rule litigation_rules[];
extern const char *const litigation_instances[];

struct db;
int litigation_store_insert(struct db *db, int64_t case_id, const char *instance, const char *court,
			    const char *filed, const char *served, int carried_over, int64_t previous_case_id);
json_t *litigation_store_detail(struct db *db, int64_t case_id);

extern const struct module litigation_module;

/* 非诉执行申请 (enforcement_application.c). */
extern const struct case_kind enforcement_application_kind;
extern const struct module enforcement_application_module;

#endif
