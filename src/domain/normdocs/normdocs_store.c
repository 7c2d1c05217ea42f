/* SQL of the normative document register; see normdocs.h. */
#include <stdio.h>
#include <string.h>

#include "normdocs.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/review/review.h"
#include "core/banned.h"

int normdocs_store_insert(struct db *db, int64_t case_id, const struct normdoc_new *n)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st,
			    "INSERT INTO normdoc (case_id, doc_no, effective_date, expiry_date, review_case_id,"
			    " affects_business, comment_start, comment_end, comment_short_reason, body_text)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");

	if (rc < 0)
		return rc;
	db_bind(st, db_int(case_id), db_text(n->doc_no), db_text(n->effective), db_text(n->expiry));
	if (n->review_id)
		db_bind_int(st, 5, n->review_id);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, n->affects_business);
	db_bind_text(st, 7, n->comment_start);
	db_bind_text(st, 8, n->comment_end);
	db_bind_text(st, 9, n->comment_reason);
	db_bind_text(st, 10, n->text ? n->text : "");
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) || !*db_col_text(st, col) ? json_null() : json_string(db_col_text(st, col));
}

/* The public comment period with its length and, when too short, a warning. */
static json_t *comment_json(struct db *db, int64_t tenant, const char *start_s, const char *end_s, int business,
			    const char *reason)
{
	int start, end, days, working;
	char buf[256];
	const char *warn;
	json_t *o;

	if (date_parse(start_s, &start) < 0 || date_parse(end_s, &end) < 0)
		return json_null();
	warn = normdoc_comment_warning(case_calendar(), start, end, business,
				       (int)legal_setting_int(db, tenant, "normdocs.comment_days_business"),
				       (int)legal_setting_int(db, tenant, "normdocs.comment_days"), &days, &working, buf,
				       sizeof(buf));
	o = json_pack("{s:s,s:s,s:i}", "start", start_s, "end", end_s, "days", days);
	json_object_set_new(o, "working_days", working >= 0 ? json_integer(working) : json_null());
	json_object_set_new(o, "short_reason", reason && *reason ? json_string(reason) : json_null());
	json_object_set_new(o, "warning", warn ? json_string(warn) : json_null());
	return o;
}

/* The filing: authority, dates, the deadline's due date, on-time flag, result and opinions. */
static json_t *filing_json(struct db *db, int64_t case_id, struct db_stmt *n)
{
	const char *filed = db_col_is_null(n, 7) ? NULL : db_col_text(n, 7), *result;
	char due[11] = "", today[11];
	json_t *o;
	int d_filed, d_due;

	db_query_text(db, due, sizeof(due),
		      "SELECT COALESCE(due_date, '') FROM case_deadline WHERE case_id = $1 AND rule = 'normdoc.filing'"
		      " ORDER BY id DESC LIMIT 1",
		      db_int(case_id));
	date_format(time_today_cst(), today);
	result = db_col_is_null(n, 8) ? NULL : db_col_text(n, 8);
	o = json_pack("{s:o,s:o,s:o,s:o,s:s,s:o,s:I,s:o}", "authority", text_or_null(n, 6), "filed_date",
		      text_or_null(n, 7), "due_date", *due ? json_string(due) : json_null(), "result", text_or_null(n, 8),
		      "result_name", result ? (!strcmp(result, "registered") ? "登记" : "不予登记") : "", "result_date",
		      text_or_null(n, 9), "opinions", (json_int_t)db_col_int(n, 10), "opinion_text", text_or_null(n, 11));
	if (filed && *due && date_parse(filed, &d_filed) == 0 && date_parse(due, &d_due) == 0) {
		json_object_set_new(o, "on_time", json_boolean(d_filed <= d_due));
		json_object_set_new(o, "days_late", json_integer(d_filed > d_due ? date_diff_days(d_due, d_filed) : 0));
	} else {
		json_object_set_new(o, "on_time", json_null());
		json_object_set_new(o, "days_late", json_null());
	}
	json_object_set_new(o, "overdue", json_boolean(!filed && *due && strcmp(due, today) < 0));
	return o;
}

static json_t *review_json(struct db *db, int64_t review_id)
{
	const struct case_outcome *out;
	struct db_stmt *st;
	json_t *o = json_null();

	if (!review_id || db_prepare(db, &st,
				     "SELECT id, case_no, title, state, COALESCE(outcome, ''), COALESCE(decided_date, '')"
				     " FROM case_file WHERE id = $1") < 0)
		return o;
	db_bind(st, db_int(review_id));
	if (db_step(st) == DB_ROW) {
		out = case_outcome_find(&review_kind, db_col_text(st, 4));
		o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0), "case_no",
			      db_col_text(st, 1), "title", db_col_text(st, 2), "state", db_col_text(st, 3), "outcome",
			      db_col_text(st, 4), "outcome_name", out ? out->name : "");
		json_object_set_new(o, "concluded_date", text_or_null(st, 5));
	}
	db_done(st);
	return o;
}

static json_t *cleanups_json(struct db *db, int64_t case_id)
{
	struct db_stmt *st;
	json_t *a = json_array();

	if (db_prepare(db, &st,
		       "SELECT b.id, b.title, b.status, COALESCE(b.published_date, ''), COALESCE(i.decision, ''),"
		       " COALESCE(i.reason, '') FROM normdoc_cleanup_item i JOIN normdoc_cleanup b ON b.id = i.batch_id"
		       " WHERE i.doc_id = $1 ORDER BY b.id") < 0)
		return a;
	db_bind(st, db_int(case_id));
	while (db_step(st) == DB_ROW) {
		const char *name = normdoc_cleanup_decision_name(db_col_text(st, 4));

		json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:o,s:o,s:s,s:o}", "batch_id",
						   (json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1), "status",
						   db_col_text(st, 2), "published_date", text_or_null(st, 3), "decision",
						   text_or_null(st, 4), "decision_name", name ? name : "", "reason",
						   text_or_null(st, 5)));
	}
	db_done(st);
	return a;
}

static void add_warnings(json_t *o, const char *state)
{
	json_t *w = json_array(), *comment = json_object_get(o, "comment"), *filing = json_object_get(o, "filing");
	json_t *review = json_object_get(o, "review");
	const char *expiry = json_string_value(json_object_get(o, "expiry_date"));
	char today[11], msg[160];

	date_format(time_today_cst(), today);
	if (json_is_string(json_object_get(comment, "warning")))
		json_array_append_new(w, json_pack("{s:s,s:O}", "code", "COMMENT_PERIOD_SHORT", "message",
						   json_object_get(comment, "warning")));
	if (json_is_null(review))
		json_array_append_new(w, json_pack("{s:s,s:s}", "code", "NO_LEGALITY_REVIEW", "message",
						   "未关联合法性审核记录"));
	if (json_is_false(json_object_get(filing, "on_time"))) {
		snprintf(msg, sizeof(msg), "逾期%lld日报送备案",
			 (long long)json_integer_value(json_object_get(filing, "days_late")));
		json_array_append_new(w, json_pack("{s:s,s:s}", "code", "FILING_LATE", "message", msg));
	}
	if (json_is_true(json_object_get(filing, "overdue"))) {
		snprintf(msg, sizeof(msg), "报送备案期限%s已过,尚未报送",
			 json_string_value(json_object_get(filing, "due_date")));
		json_array_append_new(w, json_pack("{s:s,s:s}", "code", "FILING_OVERDUE", "message", msg));
	}
	if (expiry && normdoc_is_current(state) && strcmp(expiry, today) < 0)
		json_array_append_new(w, json_pack("{s:s,s:s}", "code", "TERM_LAPSED", "message",
						   "有效期已届满,应当评估后重新公布或者宣布失效"));
	json_object_set_new(o, "warnings", w);
}

json_t *normdocs_store_detail(struct db *db, int64_t case_id)
{
	struct db_stmt *st;
	json_t *o = NULL;
	char state[32] = "";

	if (db_prepare(db, &st,
		       "SELECT n.doc_no, c.received_date, n.effective_date, n.expiry_date, COALESCE(n.review_case_id, 0),"
		       " n.affects_business, n.filing_authority, n.filed_date, n.filing_result, n.filing_result_date,"
		       " n.filing_opinions, n.filing_opinion_text, n.comment_start, n.comment_end,"
		       " n.comment_short_reason, n.body_text, o.path, c.state"
		       " FROM normdoc n JOIN case_file c ON c.id = n.case_id JOIN org o ON o.id = c.org_id"
		       " WHERE n.case_id = $1") < 0)
		return NULL;
	db_bind(st, db_int(case_id));
	if (db_step(st) == DB_ROW) {
		o = json_pack("{s:s,s:s,s:s,s:o,s:b,s:s}", "doc_no", db_col_text(st, 0), "issued_date",
			      db_col_text(st, 1), "effective_date", db_col_text(st, 2), "expiry_date",
			      text_or_null(st, 3), "affects_business", (int)db_col_int(st, 5), "text",
			      db_col_text(st, 15));
		json_object_set_new(o, "review", review_json(db, db_col_int(st, 4)));
		json_object_set_new(o, "comment",
				    comment_json(db, legal_tenant_of(db_col_text(st, 16)), db_col_text(st, 12),
						 db_col_text(st, 13), (int)db_col_int(st, 5), db_col_text(st, 14)));
		json_object_set_new(o, "filing", filing_json(db, case_id, st));
		snprintf(state, sizeof(state), "%s", db_col_text(st, 17));
	}
	db_done(st);
	if (!o)
		return NULL;
	json_object_set_new(o, "cleanups", cleanups_json(db, case_id));
	add_warnings(o, state);
	return o;
}

/* ===== search and list ===== */

/*
 * Where the text of a normative document lives: its title and full text.
 * SQLite keeps both in the FTS5 table normdoc_fts (sql/sqlite/0005);
 * PostgreSQL indexes both columns with pg_trgm (sql/pg/search.sql).
 */
static const struct db_search_spec normdoc_search = {
	"normdoc_fts",
	{ { "case_file", "id", "title", "kind = 'normdoc'" }, { "normdoc", "case_id", "body_text", NULL }, { NULL, NULL, NULL, NULL } },
};

int normdocs_store_search(struct db *db, const char *pattern, const char *q, int64_t *ids, int max)
{
	struct db_search s;
	struct db_stmt *st;
	char sql[1536];
	int n = 0, rc;

	if (db_search_prepare(db, &normdoc_search, q, 1, &s) < 0)
		return DB_ERROR;
	snprintf(sql, sizeof(sql),
		 "SELECT c.id FROM case_file c JOIN org o ON o.id = c.org_id WHERE c.id IN (%s) AND o.path LIKE $2"
		 " ORDER BY c.received_date DESC, c.id DESC LIMIT $3",
		 s.sql);
	rc = db_prepare(db, &st, sql);
	if (rc < 0)
		return rc;
	db_bind(st, db_text(s.arg), db_text(pattern), db_int(max));
	while (n < max && (rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? rc : n;
}

/*
 * The register's WHERE clause. $1 scope pattern, $2 state, $3 current only,
 * $4 issuing org, $5..$6 issued between, $7 filing filter, $8 today, $9
 * expiring by, $10 q; then NORMDOC_Q (q given) or NORMDOC_NO_Q: $11 the
 * text search value (db_search_prepare), $12 q as a LIKE pattern for the
 * numbers (registration number, 文号).
 */
#define NORMDOC_FROM                                                                                                   \
	" FROM case_file c JOIN normdoc n ON n.case_id = c.id JOIN org o ON o.id = c.org_id"                           \
	" WHERE c.kind = 'normdoc' AND o.path LIKE $1 AND ($2 = '' OR c.state = $2)"                                   \
	" AND ($3 = 0 OR c.state IN ('effective', 'to_amend', 'amended')) AND ($4 = 0 OR c.org_id = $4)"               \
	" AND ($5 = '' OR c.received_date >= $5) AND ($6 = '' OR c.received_date <= $6)"                               \
	" AND ($7 = '' OR ($7 = 'unfiled' AND n.filed_date IS NULL)"                                                   \
	"   OR ($7 = 'registered' AND n.filing_result = 'registered')"                                                 \
	"   OR ($7 = 'refused' AND n.filing_result = 'refused')"                                                       \
	"   OR ($7 = 'late' AND EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id"                          \
	"     AND d.rule = 'normdoc.filing' AND ((d.status = 'met' AND d.met_date > d.due_date)"                       \
	"     OR (d.status = 'open' AND d.due_date < $8)))))"                                                          \
	" AND ($9 = '' OR (n.expiry_date IS NOT NULL AND n.expiry_date <= $9"                                          \
	"   AND c.state IN ('effective', 'to_amend', 'amended')))"
#define NORMDOC_Q                                                                                                       \
	" AND $10 = $10 AND (c.id IN (%s) OR lower(c.case_no) LIKE lower($12) ESCAPE '\\'"                                \
	" OR lower(n.doc_no) LIKE lower($12) ESCAPE '\\')"
#define NORMDOC_NO_Q " AND $10 = '' AND $11 = $11 AND $12 = $12"

/* A short excerpt of the text around the first occurrence of q (ASCII case ignored, as the search does), or NULL. */
static json_t *excerpt(const char *text, const char *q)
{
	const char *hit = q && *q ? strcasestr(text, q) : NULL, *from, *to;
	int k;

	if (!hit)
		return json_null();
	/* Up to 20 characters either side, on UTF-8 boundaries. */
	for (from = hit, k = 0; from > text && k < 20; k++)
		do
			from--;
		while (from > text && ((unsigned char)*from & 0xc0) == 0x80);
	for (to = hit + strlen(q), k = 0; *to && k < 20; k++)
		do
			to++;
		while (*to && ((unsigned char)*to & 0xc0) == 0x80);
	{
		json_t *s;
		size_t n = (size_t)(to - from), pre = (size_t)(hit - from), ql = strlen(q);
		char buf[1024];

		if (n + 16 > sizeof(buf))
			return json_null();
		snprintf(buf, sizeof(buf), "%s%.*s【%.*s】%.*s%s", from > text ? "…" : "", (int)pre, from, (int)ql, hit,
			 (int)(n - pre - ql), hit + ql, *to ? "…" : "");
		s = json_string(buf);
		return s ? s : json_null();
	}
}

int normdocs_store_list(struct request *req, int64_t limit, int64_t offset, json_t **items, int64_t *total)
{
	const char *state = req_query(req, "state"), *q = req_query(req, "q"), *filing = req_query(req, "filing");
	const char *year = req_query(req, "year"), *org = req_query(req, "org_id"), *cur = req_query(req, "current");
	const char *expiring = req_query(req, "expiring");
	char from[11] = "", to[11] = "", today[11], until[11] = "", like[1024] = "";
	struct db_search search = { "", "" };
	int64_t org_id = 0, y, days;
	int rc;
	const char *where, *sql;
	struct db_stmt *st;

	if (year && *year) {
		if (parse_int64_cstr(year, &y) < 0 || y < 1949 || y > 2100)
			return api_field_error(req, "year", "年份应在1949到2100之间");
		snprintf(from, sizeof(from), "%04d-01-01", (int)y);
		snprintf(to, sizeof(to), "%04d-12-31", (int)y);
	}
	if (org && *org && parse_int64_cstr(org, &org_id) < 0)
		return api_field_error(req, "org_id", "制定机关编号应为整数");
	if (filing && *filing && strcmp(filing, "unfiled") && strcmp(filing, "late") && strcmp(filing, "registered") &&
	    strcmp(filing, "refused"))
		return api_field_error(req, "filing", "filing 应为 unfiled、late、registered 或 refused");
	date_format(time_today_cst(), today);
	if (expiring && *expiring) {
		if (parse_int64_cstr(expiring, &days) < 0 || days < 0 || days > 3660)
			return api_field_error(req, "expiring", "expiring 应为0到3660之间的天数");
		date_format(date_add_days(time_today_cst(), (int)days), until);
	}
	if (q && strlen(q) > 300)
		return api_field_error(req, "q", "检索词过长");
	if (q && *q &&
	    (db_search_prepare(req->db, &normdoc_search, q, 11, &search) < 0 || !db_like_contains(q, like, sizeof(like))))
		return api_field_error(req, "q", "检索词过长");
	where = q && *q ? arena_printf(&req->arena, NORMDOC_FROM NORMDOC_Q, search.sql) : NORMDOC_FROM NORMDOC_NO_Q;
#define NORMDOC_ARGS                                                                                                   \
	db_text(session_scope_pattern(req)), db_text(state ? state : ""),                                              \
		db_int(cur && (!strcmp(cur, "1") || !strcmp(cur, "true"))), db_int(org_id), db_text(from), db_text(to),      \
		db_text(filing ? filing : ""), db_text(today), db_text(until), db_text(q ? q : ""), db_text(search.arg), db_text(like)
	rc = db_query_int(req->db, total, arena_printf(&req->arena, "SELECT COUNT(*)%s", where), NORMDOC_ARGS);
	if (rc < 0)
		return api_db_error(req, rc);
	sql = arena_printf(&req->arena,
			   "SELECT c.id, c.case_no, c.title, c.state, c.received_date, n.doc_no, n.effective_date,"
			   " COALESCE(n.expiry_date, ''), o.name, COALESCE(n.filed_date, ''), COALESCE(n.filing_result, ''),"
			   " (SELECT d.due_date FROM case_deadline d WHERE d.case_id = c.id AND d.rule = 'normdoc.filing'"
			   "  ORDER BY d.id DESC LIMIT 1), n.body_text%s ORDER BY c.received_date DESC, c.id DESC"
			   " LIMIT $13 OFFSET $14",
			   where);
	rc = db_prepare(req->db, &st, sql);
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, NORMDOC_ARGS, db_int(limit), db_int(offset));
#undef NORMDOC_ARGS
	*items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		const struct case_state *s = case_state_find(&normdoc_kind, db_col_text(st, 3));
		const char *filed = db_col_text(st, 9), *due = db_col_is_null(st, 11) ? "" : db_col_text(st, 11);
		json_t *row = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0),
					"reg_no", db_col_text(st, 1), "title", db_col_text(st, 2), "state",
					db_col_text(st, 3), "state_name", s ? s->name : db_col_text(st, 3), "issued_date",
					db_col_text(st, 4), "doc_no", db_col_text(st, 5), "effective_date",
					db_col_text(st, 6), "org_name", db_col_text(st, 8));

		json_object_set_new(row, "expiry_date", text_or_null(st, 7));
		json_object_set_new(row, "filed_date", text_or_null(st, 9));
		json_object_set_new(row, "filing_result", text_or_null(st, 10));
		json_object_set_new(row, "filing_due", *due ? json_string(due) : json_null());
		json_object_set_new(row, "filed_on_time", *filed && *due ? json_boolean(strcmp(filed, due) <= 0) : json_null());
		if (q && *q)
			json_object_set_new(row, "excerpt", excerpt(db_col_text(st, 12), q));
		json_array_append_new(*items, row);
	}
	db_done(st);
	if (rc < 0) {
		json_decref(*items);
		return api_db_error(req, rc);
	}
	return 0;
}
