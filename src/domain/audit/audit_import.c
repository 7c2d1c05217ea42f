/*
 * Imported audit chains: a county moved into a shared instance keeps its own
 * chain, byte for byte, as rows of audit_import_log under one audit_import
 * row (its tenant, record count, head). The move anchors that head with one
 * record in the live chain; audit_verify recomputes each imported chain and
 * checks it against its audit_import row and the anchor, so editing,
 * deleting or truncating an imported record, or editing the audit_import row,
 * is detected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_chain.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "core/banned.h"

#define ANCHOR_ACTION "system.migrate_tenant"

struct chain_row {
	int64_t id, tenant_id, records, head_seq;
	char head_hash[SM3_HEX_LEN + 1];
};

/* The anchor record's detail: fixed text over the audit_import row's facts. */
static void anchor_detail(const struct chain_row *c, char *out, size_t outlen)
{
	snprintf(out, outlen, "迁入租户(根机构 %lld)的原审计链:%lld 条记录,链头序号 %lld,链头哈希 %s",
		 (long long)c->tenant_id, (long long)c->records, (long long)c->head_seq, c->head_hash);
}

static const char copy_sql[] =
	"INSERT INTO audit_import_log (import_id, seq, ts_ms, user_id, username, org_id, ip, action, object_type,"
	" object_id, result, detail, prev_hash, hash)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

static int copy_records(struct db *dst, struct db *src, int64_t import_id)
{
	struct db_stmt *in, *out;
	int rc, i;

	rc = db_prepare(src, &in, "SELECT seq, ts_ms, user_id, username, org_id, ip, action, object_type, object_id,"
				  " result, detail, prev_hash, hash FROM audit_log ORDER BY seq");
	if (rc < 0)
		return rc;
	while ((rc = db_step(in)) == DB_ROW) {
		rc = db_prepare(dst, &out, copy_sql);
		if (rc < 0)
			break;
		db_bind_int(out, 1, import_id);
		for (i = 0; i < 13; i++) {
			if (db_col_is_null(in, i))
				db_bind_null(out, i + 2);
			else
				db_bind_text(out, i + 2, db_col_text(in, i));
		}
		rc = db_step(out);
		db_done(out);
		if (rc < 0)
			break;
	}
	db_done(in);
	return rc < 0 ? rc : 0;
}

/* Recompute one imported chain: 0 with r->first_bad set when broken, -1 on db error. */
static int verify_one(struct db *db, const struct chain_row *c, struct audit_verify_result *r)
{
	char prev[SM3_HEX_LEN + 1], why[200] = "", detail[400], idtext[24];
	struct db_stmt *st;
	int64_t checked = 0, bad = 0, anchors = 0;
	int rc;

	audit_genesis_hash(prev);
	rc = db_prepare(db, &st,
			"SELECT seq, ts_ms, COALESCE(user_id, 0), username, COALESCE(org_id, 0), ip, action, object_type,"
			" object_id, result, detail, prev_hash, hash FROM audit_import_log WHERE import_id = $1 ORDER BY seq");
	if (rc < 0)
		return -1;
	db_bind_int(st, 1, c->id);
	rc = audit_chain_check(st, prev, &checked, &bad, why, sizeof(why));
	db_done(st);
	if (rc < 0)
		return -1;
	if (!bad && (checked != c->records || checked != c->head_seq)) {
		bad = checked + 1;
		snprintf(why, sizeof(why), "导入时登记 %lld 条记录,现只找到 %lld 条(末尾被截断)", (long long)c->records,
			 (long long)checked);
	} else if (!bad && checked && strcmp(prev, c->head_hash)) {
		bad = checked;
		snprintf(why, sizeof(why), "最后一条记录与导入时登记的链头哈希不一致(记录被替换)");
	}
	if (!bad) {
		anchor_detail(c, detail, sizeof(detail));
		snprintf(idtext, sizeof(idtext), "%lld", (long long)c->id);
		if (db_query_int(db, &anchors,
				 "SELECT COUNT(*) FROM audit_log WHERE action = '" ANCHOR_ACTION "'"
				 " AND object_type = 'audit_import' AND object_id = $1 AND detail = $2",
				 db_text(idtext), db_text(detail)) < 0)
			return -1;
	}
	r->imported_checked += checked;
	if (!bad && !anchors) {
		bad = c->head_seq ? c->head_seq : 1;
		snprintf(why, sizeof(why), "在线审计链中没有与之相符的迁入记录(导入登记被改动)");
	}
	if (bad) {
		r->first_bad = bad;
		snprintf(r->reason, sizeof(r->reason), "迁入的审计链 #%lld(租户根机构 %lld):%s", (long long)c->id,
			 (long long)c->tenant_id, why);
	}
	return 0;
}

int audit_import_verify(struct db *db, struct audit_verify_result *r)
{
	struct chain_row *rows = NULL, *grown;
	struct db_stmt *st;
	size_t n = 0, cap = 0, i;
	int rc;

	rc = db_prepare(db, &st, "SELECT id, tenant_id, records, head_seq, head_hash FROM audit_import ORDER BY id");
	if (rc < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(rows, cap * sizeof(*rows));
			if (!grown) {
				rc = DB_ERROR;
				break;
			}
			rows = grown;
		}
		rows[n].id = db_col_int(st, 0);
		rows[n].tenant_id = db_col_int(st, 1);
		rows[n].records = db_col_int(st, 2);
		rows[n].head_seq = db_col_int(st, 3);
		snprintf(rows[n].head_hash, sizeof(rows[n].head_hash), "%s", db_col_text(st, 4));
		n++;
	}
	db_done(st);
	for (i = 0; rc >= 0 && i < n && !r->first_bad; i++) {
		if (verify_one(db, &rows[i], r) < 0)
			rc = DB_ERROR;
		else
			r->imported_chains++;
	}
	free(rows);
	return rc < 0 ? -1 : 0;
}

int audit_import_chain(struct db *dst, struct db *src, int64_t tenant_id, const char *source,
		       const char *id_offsets, int64_t *records, char *err, size_t errlen)
{
	struct audit_verify_result vr;
	struct audit_event ev;
	struct chain_row c;
	char detail[400], idtext[24], hash[SM3_HEX_LEN + 1] = "";
	int64_t head_seq = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	if (db_query_int(src, &head_seq, "SELECT seq FROM audit_head WHERE id = 1") < 0 ||
	    db_query_text(src, hash, sizeof(hash), "SELECT hash FROM audit_head WHERE id = 1") < 0) {
		snprintf(err, errlen, "无法读取源数据库的审计链头:%s", db_errmsg(src));
		return -1;
	}
	if (!head_seq)
		audit_genesis_hash(hash);
	rc = db_query_int(dst, &c.id,
			  "INSERT INTO audit_import (tenant_id, source, records, head_seq, head_hash, id_offsets, imported_at)"
			  " VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id",
			  db_int(tenant_id), db_text(source), db_int(head_seq), db_text(hash), db_text(id_offsets),
			  db_int(time_now()));
	if (rc != DB_ROW || copy_records(dst, src, c.id) < 0) {
		snprintf(err, errlen, "写入迁入的审计链失败:%s", db_errmsg(dst));
		return -1;
	}
	c.tenant_id = tenant_id;
	c.records = c.head_seq = head_seq;
	snprintf(c.head_hash, sizeof(c.head_hash), "%s", hash);
	anchor_detail(&c, detail, sizeof(detail));
	snprintf(idtext, sizeof(idtext), "%lld", (long long)c.id);
	memset(&ev, 0, sizeof(ev));
	ev.username = "cli";
	ev.ip = "local";
	ev.action = ANCHOR_ACTION;
	ev.object_type = "audit_import";
	ev.object_id = idtext;
	ev.org_id = tenant_id;
	ev.success = 1;
	ev.detail = detail;
	if (audit_append(dst, &ev) < 0) {
		snprintf(err, errlen, "无法在审计链中登记迁入:%s", db_errmsg(dst));
		return -1;
	}
	/* The copy on the target must verify as the county's chain did. */
	memset(&vr, 0, sizeof(vr));
	if (verify_one(dst, &c, &vr) < 0 || vr.first_bad) {
		snprintf(err, errlen, "迁入后的审计链校验失败:%s", vr.first_bad ? vr.reason : db_errmsg(dst));
		return -1;
	}
	*records = vr.imported_checked;
	return 0;
}
