/*
 * /api/v1/audit: the audit administrator's read-only view of the trail,
 * with filters and paging, and the chain verification. There is no route
 * that changes or deletes audit records.
 *
 * Tenant scope (a shared instance holds several counties): a county's
 * auditor sees the records of its tenant, i.e. those whose actor org is in
 * the tenant's tree (its users' actions, failed logins naming its users, the
 * migrate_tenant anchor of its move), and command-line records (no actor
 * org) about an org or a user of the tenant. Records without a tenant
 * (unknown user names, backups, the instance's own CLI work) belong to the
 * instance: shown to the auditor of the only tenant of an instance, else
 * only to holders of PERM_AUDIT_ALL (平台审计管理员), who see everything.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "core/validate.h"
#include "db/db.h"
#include "domain/account/account.h"
#include "http/request.h"
#include "core/banned.h"

/* "YYYY-MM-DD" (China time) to Unix ms at 00:00 of that day; -1 if invalid. */
static int64_t day_start_ms(const char *date)
{
	char norm[16];
	int y, m, d;
	int64_t days;

	if (validate_date(date, norm, sizeof(norm), NULL) < 0 || sscanf(norm, "%d-%d-%d", &y, &m, &d) != 3)
		return -1;
	/* Days from civil (Howard Hinnant's algorithm). */
	y -= m <= 2;
	{
		int64_t era = (y >= 0 ? y : y - 399) / 400;
		int64_t yoe = y - era * 400;
		int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = era * 146097 + doe - 719468;
	}
	return (days * 86400 - CST_OFFSET) * 1000;
}

#define AUDIT_WHERE                                                                                                    \
	" FROM audit_log WHERE ts_ms >= $1 AND ts_ms < $2"                                                             \
	" AND ($3 = '' OR username = $3) AND ($4 = '' OR action = $4 OR SUBSTR(action, 1, LENGTH($4) + 1) = $4 || "    \
	"'.')"                                                                                                         \
	" AND ($5 = '' OR result = $5) AND ($6 = '' OR object_type = $6) AND ($7 = '' OR object_id = $7)"          \
	" AND ($8 = '' OR org_id IN (SELECT id FROM org WHERE path LIKE $8)"                                          \
	"  OR (org_id IS NULL AND ($9 = 1"                                                                             \
	"   OR (object_type = 'org' AND object_id IN (SELECT CAST(id AS TEXT) FROM org WHERE path LIKE $8))"          \
	"   OR (object_type = 'user' AND object_id IN (SELECT CAST(u.id AS TEXT) FROM app_user u"                      \
	"       JOIN org o ON o.id = u.org_id WHERE o.path LIKE $8)))))"

/*
 * The records the caller may read: tenant pattern ('' = every record) and
 * whether the instance's own records are shown with the tenant's. 0 or a
 * negative db error.
 */
static int audit_scope(struct request *req, const char **pattern, int64_t *instance_too)
{
	int64_t roots = 0;
	int rc;

	*pattern = "";
	*instance_too = 1;
	if (session_has_perm(req->session, PERM_AUDIT_ALL))
		return 0;
	rc = db_query_int(req->db, &roots, "SELECT COUNT(*) FROM org WHERE parent_id IS NULL");
	if (rc < 0)
		return rc;
	*pattern = arena_printf(&req->arena, "%s%%", req->session->tenant_path);
	*instance_too = roots <= 1;
	return 0;
}

static int audit_list(struct request *req)
{
	const char *from = req_query(req, "from"), *to = req_query(req, "to");
	const char *user = req_query(req, "username"), *action = req_query(req, "action");
	const char *result = req_query(req, "result"), *otype = req_query(req, "object_type");
	const char *oid = req_query(req, "object_id");
	int64_t lo = 0, hi = INT64_MAX, limit, offset, page, total = 0, instance_too;
	const char *pattern;
	struct db_stmt *st;
	json_t *items;
	int rc;

	if (from && *from && (lo = day_start_ms(from)) < 0)
		return api_field_error(req, "from", "开始日期格式应为YYYY-MM-DD");
	if (to && *to && (hi = day_start_ms(to)) < 0)
		return api_field_error(req, "to", "结束日期格式应为YYYY-MM-DD");
	if (to && *to)
		hi += 86400 * 1000; /* inclusive end day */
	req_paging(req, &limit, &offset, &page);
	rc = audit_scope(req, &pattern, &instance_too);
	if (rc < 0)
		return api_db_error(req, rc);

	rc = db_prepare(req->db, &st, "SELECT COUNT(*)" AUDIT_WHERE);
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, db_int(lo), db_int(hi), db_text(user ? user : ""), db_text(action ? action : ""),
		db_text(result ? result : ""), db_text(otype ? otype : ""), db_text(oid ? oid : ""), db_text(pattern),
		db_int(instance_too));
	if (db_step(st) == DB_ROW)
		total = db_col_int(st, 0);
	db_done(st);

	rc = db_prepare(
	    req->db, &st,
	    "SELECT seq, ts_ms, COALESCE(user_id, 0), username, COALESCE(org_id, 0), ip, action, object_type,"
	    " object_id, result, detail, hash" AUDIT_WHERE " ORDER BY seq DESC LIMIT $10 OFFSET $11");
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, db_int(lo), db_int(hi), db_text(user ? user : ""), db_text(action ? action : ""),
		db_text(result ? result : ""), db_text(otype ? otype : ""), db_text(oid ? oid : ""), db_text(pattern),
		db_int(instance_too), db_int(limit), db_int(offset));
	items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		char ts[26];

		time_format_iso(db_col_int(st, 1) / 1000, ts);
		json_array_append_new(items,
				      json_pack("{s:I,s:s,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq",
						(json_int_t)db_col_int(st, 0), "time", ts, "user_id",
						(json_int_t)db_col_int(st, 2), "username", db_col_text(st, 3), "org_id",
						(json_int_t)db_col_int(st, 4), "ip", db_col_text(st, 5), "action",
						db_col_text(st, 6), "object_type", db_col_text(st, 7), "object_id",
						db_col_text(st, 8), "result", db_col_text(st, 9), "detail",
						db_col_text(st, 10), "hash", db_col_text(st, 11)));
	}
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return api_db_error(req, rc);
	}
	req->reply = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
			       (json_int_t)page, "page_size", (json_int_t)limit);
	return 0;
}

/*
 * The whole chain is verified for everyone: a county's auditor learns
 * whether the instance's chain (and every imported one) is intact and where
 * it breaks, but on a shared instance not the explanation, which may name
 * another county's import; the platform auditor gets it.
 */
static int audit_verify_api(struct request *req)
{
	struct audit_verify_result r;
	int64_t instance_too;
	const char *pattern;
	int rc = audit_scope(req, &pattern, &instance_too);

	if (rc < 0)
		return api_db_error(req, rc);
	if (audit_verify(req->db, &r) < 0)
		return api_error(req, "UNAVAILABLE", NULL, NULL);
	req->reply = json_pack("{s:b,s:I}", "ok", r.first_bad == 0, "checked", (json_int_t)r.checked);
	if (r.first_bad) {
		json_object_set_new(req->reply, "first_bad_seq", json_integer(r.first_bad));
		json_object_set_new(req->reply, "reason",
				    json_string(instance_too ? r.reason
							     : "审计链校验未通过;详情涉及共享实例的其他单位,"
							       "请联系平台审计管理员"));
	}
	return 0;
}

static const struct route audit_routes[] = {
	{ HTTP_GET, "/api/v1/audit", audit_list, "audit.read", 0, NULL, NULL },
	{ HTTP_GET, "/api/v1/audit/verify", audit_verify_api, "audit.read", 0, NULL, NULL },
};

const struct module audit_module = { "audit", audit_routes, ARRAY_SIZE(audit_routes) };
