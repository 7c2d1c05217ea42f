/*
 * Audit trail storage: append with the SM3 chain, and verification. SQL and
 * hashing only; the HTTP view is audit_api.c.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "audit_chain.h"
#include "core/crypto.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "core/banned.h"

#define GENESIS "fazhi-audit-genesis"

static void put_field(struct sm3_ctx *c, const char *s)
{
	unsigned char len[4];
	size_t n = s ? strlen(s) : 0;

	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	sm3_update(c, len, 4);
	if (n)
		sm3_update(c, s, n);
}

static void put_int(struct sm3_ctx *c, int64_t v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	put_field(c, tmp);
}

/* The canonical encoding: every column but hash, length-prefixed, in order. */
static void chain_hash(const char *prev, int64_t seq, int64_t ts_ms, int64_t user_id, const char *username,
		       int64_t org_id, const char *ip, const char *action, const char *object_type,
		       const char *object_id, const char *result, const char *detail, char out[SM3_HEX_LEN + 1])
{
	struct sm3_ctx *c = sm3_new();
	unsigned char h[SM3_LEN];

	put_field(c, prev);
	put_int(c, seq);
	put_int(c, ts_ms);
	put_int(c, user_id);
	put_field(c, username);
	put_int(c, org_id);
	put_field(c, ip);
	put_field(c, action);
	put_field(c, object_type);
	put_field(c, object_id);
	put_field(c, result);
	put_field(c, detail);
	sm3_final(c, h);
	hex_encode(h, SM3_LEN, out);
}

void audit_genesis_hash(char out[SM3_HEX_LEN + 1])
{
	unsigned char h[SM3_LEN];

	sm3(GENESIS, strlen(GENESIS), h);
	hex_encode(h, SM3_LEN, out);
}

int audit_append(struct db *db, const struct audit_event *ev)
{
	char prev[SM3_HEX_LEN + 1], hash[SM3_HEX_LEN + 1];
	const char *result = ev->success ? "success" : "failure";
	struct db_stmt *st;
	int64_t seq = 0, ts = time_now_ms();
	int rc;

	/* Take the chain head's row lock first: on PostgreSQL (READ COMMITTED)
	 * concurrent appenders queue here and each then reads the head the one
	 * before it committed; on SQLite the write transaction already serialises. */
	rc = db_exec(db, "UPDATE audit_head SET seq = seq WHERE id = 1");
	if (rc < 0)
		return rc;
	rc = db_prepare(db, &st, "SELECT seq, hash FROM audit_head WHERE id = 1");
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW) {
		seq = db_col_int(st, 0);
		snprintf(prev, sizeof(prev), "%s", db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE) {
		audit_genesis_hash(prev);
		rc = db_exec(db, "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, $1)", db_text(prev));
		if (rc < 0)
			return rc;
	}
	seq++;
	chain_hash(prev, seq, ts, ev->user_id, ev->username ? ev->username : "", ev->org_id, ev->ip ? ev->ip : "",
		   ev->action, ev->object_type ? ev->object_type : "", ev->object_id ? ev->object_id : "", result,
		   ev->detail ? ev->detail : "", hash);
	rc = db_prepare(db, &st,
			"INSERT INTO audit_log (seq, ts_ms, user_id, username, org_id, ip, action, object_type,"
			" object_id, result, detail, prev_hash, hash)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
	if (rc < 0)
		return rc;
	db_bind_int(st, 1, seq);
	db_bind_int(st, 2, ts);
	if (ev->user_id)
		db_bind_int(st, 3, ev->user_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, ev->username ? ev->username : "");
	if (ev->org_id)
		db_bind_int(st, 5, ev->org_id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, ev->ip ? ev->ip : "");
	db_bind_text(st, 7, ev->action);
	db_bind_text(st, 8, ev->object_type ? ev->object_type : "");
	db_bind_text(st, 9, ev->object_id ? ev->object_id : "");
	db_bind_text(st, 10, result);
	db_bind_text(st, 11, ev->detail ? ev->detail : "");
	db_bind_text(st, 12, prev);
	db_bind_text(st, 13, hash);
	rc = db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	return db_exec(db, "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", db_int(seq), db_text(hash));
}

int audit_append_tx(struct db *db, const struct audit_event *ev)
{
	int rc = db_begin(db, DB_TX_WRITE);

	if (rc < 0)
		return rc;
	rc = audit_append(db, ev);
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int audit_chain_check(struct db_stmt *st, char prev[SM3_HEX_LEN + 1], int64_t *checked, int64_t *first_bad,
		      char *reason, size_t reasonlen)
{
	char hash[SM3_HEX_LEN + 1];
	int64_t expect_seq = 1;
	int rc;

	while ((rc = db_step(st)) == DB_ROW) {
		int64_t seq = db_col_int(st, 0);

		if (seq != expect_seq) {
			*first_bad = expect_seq;
			snprintf(reason, reasonlen, "缺少序号为 %lld 的审计记录(记录被删除)", (long long)expect_seq);
			return DB_DONE;
		}
		if (strcmp(db_col_text(st, 11), prev)) {
			*first_bad = seq;
			snprintf(reason, reasonlen, "第 %lld 条审计记录的前序哈希与上一条不一致", (long long)seq);
			return DB_DONE;
		}
		chain_hash(prev, seq, db_col_int(st, 1), db_col_int(st, 2), db_col_text(st, 3), db_col_int(st, 4),
			   db_col_text(st, 5), db_col_text(st, 6), db_col_text(st, 7), db_col_text(st, 8),
			   db_col_text(st, 9), db_col_text(st, 10), hash);
		if (strcmp(hash, db_col_text(st, 12))) {
			*first_bad = seq;
			snprintf(reason, reasonlen, "第 %lld 条审计记录的内容与其哈希不符(记录被篡改)", (long long)seq);
			return DB_DONE;
		}
		memcpy(prev, hash, SM3_HEX_LEN + 1);
		(*checked)++;
		expect_seq++;
	}
	return rc;
}

int audit_verify(struct db *db, struct audit_verify_result *r)
{
	char prev[SM3_HEX_LEN + 1];
	struct db_stmt *st;
	int64_t head_seq = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	audit_genesis_hash(prev);
	rc = db_prepare(db, &st,
			"SELECT seq, ts_ms, COALESCE(user_id, 0), username, COALESCE(org_id, 0), ip, action,"
			" object_type, object_id, result, detail, prev_hash, hash FROM audit_log ORDER BY seq");
	if (rc < 0)
		return -1;
	rc = audit_chain_check(st, prev, &r->checked, &r->first_bad, r->reason, sizeof(r->reason));
	db_done(st);
	if (rc < 0)
		return -1;
	if (r->first_bad)
		return 0;
	rc = db_prepare(db, &st, "SELECT seq, hash FROM audit_head WHERE id = 1");
	if (rc < 0)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		head_seq = db_col_int(st, 0);
		if (head_seq != r->checked) {
			r->first_bad = r->checked + 1;
			snprintf(r->reason, sizeof(r->reason),
				 "审计链头记录的序号为 %lld,但只找到 %lld 条记录(末尾被截断)", (long long)head_seq,
				 (long long)r->checked);
		} else if (head_seq && strcmp(db_col_text(st, 1), prev)) {
			r->first_bad = head_seq;
			snprintf(r->reason, sizeof(r->reason), "最后一条审计记录与链头哈希不一致(记录被替换)");
		}
	} else if (rc == DB_DONE && r->checked) {
		r->first_bad = 1;
		snprintf(r->reason, sizeof(r->reason), "审计链头记录缺失");
	}
	db_done(st);
	if (rc < 0)
		return -1;
	return r->first_bad ? 0 : audit_import_verify(db, r);
}
