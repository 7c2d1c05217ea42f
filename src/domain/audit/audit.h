/*
 * The tamper-evident audit trail. Each record is appended inside the
 * caller's write transaction (so the business change and its record commit
 * or vanish together) and chained: hash = SM3(prev_hash || canonical row),
 * where the canonical row is every field length-prefixed. The first record
 * chains from SM3("fazhi-audit-genesis"). The table is append-only
 * (triggers refuse UPDATE and DELETE); audit_verify recomputes the chain.
 */
#ifndef FAZHI_AUDIT_AUDIT_H
#define FAZHI_AUDIT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct audit_event {
	int64_t user_id;          /* 0 = none (CLI, anonymous) */
	const char *username;     /* "" or the account name; "cli:root" for the CLI */
	int64_t org_id;
	const char *ip;
	const char *action;       /* "org.create", "session.login", ... */
	const char *object_type;  /* "org", "user", ... */
	const char *object_id;
	int success;
	const char *detail;       /* short, never a secret or a full ID number */
};

/* Append one record. Must run inside a write transaction. 0 or negative db error. */
int audit_append(struct db *db, const struct audit_event *ev);

/* Convenience: open a write transaction, append, commit. */
int audit_append_tx(struct db *db, const struct audit_event *ev);

struct audit_verify_result {
	int64_t checked;    /* records of the live chain checked */
	int64_t imported_chains;  /* chains of counties moved in (audit_import), all checked */
	int64_t imported_checked; /* their records */
	int64_t first_bad;  /* seq of the first broken record, 0 when all good */
	char reason[256];   /* Chinese explanation when broken */
};

/* Recompute the whole chain, then every imported chain (audit_import.c).
 * 0 when the queries ran (look at first_bad), -1 on db error. */
int audit_verify(struct db *db, struct audit_verify_result *r);

/*
 * Keep a county's own chain when it moves into a shared instance: copy
 * src's audit_log unchanged into audit_import_log as a chain of tenant_id,
 * check it there against src's chain head, and anchor its head in the live
 * chain of dst with one record. Runs inside dst's write transaction. 0, or
 * -1 with a Chinese message in err.
 */
int audit_import_chain(struct db *dst, struct db *src, int64_t tenant_id, const char *source,
		       const char *id_offsets, int64_t *records, char *err, size_t errlen);

struct module;
extern const struct module audit_module;

#endif
