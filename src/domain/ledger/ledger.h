/*
 * 工作台账 (the work ledger): what the reports count but no case workflow
 * covers — meetings, trainings, inspections, exams, reports to leaders,
 * publicity activities — each an entry with a category from an editable
 * dictionary, a date, an org, quantities (次数, 人数, 件数, 金额), a note
 * and attachments. Entries are never deleted: they are voided with a reason.
 */
#ifndef FAZHI_LEDGER_H
#define FAZHI_LEDGER_H

#include <jansson.h>
#include <stdint.h>

#include "http/request.h"

struct db;

/* "12.5" or "12.50" yuan into fen; -1 for anything else (negative, 3 decimals, junk). */
int ledger_parse_yuan(const char *s, int64_t *fen);

json_t *ledger_store_entry_json(struct db *db, int64_t id);
int ledger_store_list(struct request *req, json_t **items, int64_t *total);
int ledger_store_category_id(struct db *db, const char *code, int64_t *id);

extern const struct module ledger_module;

#endif
