/*
 * Internal to src/domain/audit/: the chain arithmetic shared by the live
 * chain (audit_store.c) and the imported chains of counties moved into a
 * shared instance (audit_import.c).
 */
#ifndef FAZHI_AUDIT_AUDIT_CHAIN_H
#define FAZHI_AUDIT_AUDIT_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypto.h"

struct db;
struct db_stmt;
struct audit_verify_result;

/* SM3 of the genesis string, hex: the prev_hash of record 1 of every chain. */
void audit_genesis_hash(char out[SM3_HEX_LEN + 1]);

/*
 * Step st, whose rows are (seq, ts_ms, user_id, username, org_id, ip, action,
 * object_type, object_id, result, detail, prev_hash, hash) in seq order, and
 * recompute the chain from prev. Counts good records in *checked; the first
 * bad one sets *first_bad and reason. prev ends as the last good hash.
 * Returns DB_DONE or a negative db error.
 */
int audit_chain_check(struct db_stmt *st, char prev[SM3_HEX_LEN + 1], int64_t *checked, int64_t *first_bad,
		      char *reason, size_t reasonlen);

/* Check every imported chain into r (called by audit_verify after the live chain). */
int audit_import_verify(struct db *db, struct audit_verify_result *r);

#endif
