/*
 * The filtered case list (GET /api/v1/cases and its .xlsx export). The WHERE
 * clause holds only the filters actually given and the data scope written
 * as org-id sets, so that the database can enter through an index; the
 * total is counted without the display joins.
 *
 * A scope below the whole database is written in one of two shapes (see
 * scope_shape): as one condition (the case's org or its respondent in the
 * subtree), which lets the database walk case_file(kind, state,
 * received_date, ...) in page order and stop after a page, or split in two
 * branches, cases handled in the subtree and cases against it handled
 * elsewhere, each entering through its own org index (sql/0013) for just
 * the subtree's cases. The first is right when many cases match, the second
 * when few do: a county's 44 cases in a province of 600,000 are found by
 * the split branches in a tenth of the time the one condition takes to walk
 * the province's 6,727 cases of that state.
 */
#include <stdio.h>
#include <string.h>

#include "case.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "core/banned.h"

/* Whitelisted sort columns: the client names one, the SQL never contains client text. */
static const char *sort_clause(const char *sort)
{
	static const struct {
		const char *key;
		const char *sql;
	} sorts[] = {
		{ "received_date", "c.received_date ASC, c.id ASC" },
		{ "-received_date", "c.received_date DESC, c.id DESC" },
		{ "case_no", "c.case_year ASC, c.case_seq ASC, c.case_no ASC" },
		{ "-case_no", "c.case_year DESC, c.case_seq DESC, c.case_no DESC" },
		{ "closed_date", "c.closed_date ASC, c.id ASC" },
		{ "-closed_date", "c.closed_date DESC, c.id DESC" },
	};
	size_t i;

	for (i = 0; sort && i < ARRAY_SIZE(sorts); i++)
		if (!strcmp(sorts[i].key, sort))
			return sorts[i].sql;
	return sorts[1].sql;
}

/* The optional filters, in the order of enum list_filter; "?" stands for the filter's parameter. */
enum list_filter { LF_STATE, LF_HANDLER, LF_FROM, LF_TO, LF_TEXT, LF_OVERDUE, LF_COUNT };

static const char *const filter_sql[LF_COUNT] = {
	[LF_STATE] = " AND c.state = ?",
	[LF_HANDLER] = " AND c.handler_id = ?",
	[LF_FROM] = " AND c.received_date >= ?",
	[LF_TO] = " AND c.received_date <= ?",
	[LF_TEXT] = " AND (c.case_no LIKE ? OR c.title LIKE ?)",
	[LF_OVERDUE] = " AND EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id AND d.status = 'open'"
		       " AND d.due_date < ?)",
};

/*
 * A case is in scope when its handling org or its respondent org is, each
 * an org-id set of the subtree ($2, the scope's path pattern, right after
 * the kind $1). When the scope is the whole database there is neither a
 * scope condition nor $2.
 */
static const char scope_one_sql[] = " AND (c.org_id IN (SELECT id FROM org WHERE path LIKE $2)"
				    " OR c.party_org_id IN (SELECT id FROM org WHERE path LIKE $2))";
/* The split shape's two branches: no case is in both. */
static const char scope_handled_sql[] = " AND c.org_id IN (SELECT id FROM org WHERE path LIKE $2)";
static const char scope_against_sql[] = " AND c.party_org_id IN (SELECT id FROM org WHERE path LIKE $2)"
					" AND c.org_id NOT IN (SELECT id FROM org WHERE path LIKE $2)";

/*
 * When the split shape is used: its cost grows with the subtree's orgs (an
 * index seek each) and with the matching cases (all of them are read and
 * sorted for a page), the one condition's with the cases of the kind and
 * state in the whole database. Measured on the 1M-record province of
 * `make bench` (bench/notes.md): a county (55 orgs, 44 cases) 0.70 -> 0.07 ms
 * to count and 0.83 -> 0.10 ms for a page; a city (600 orgs, 401 cases)
 * 0.92 -> 0.32 ms to count but 0.30 -> 0.97 ms for a page; the whole
 * province as a subtree (4,978 orgs) 1.7 -> 9.6 ms to count.
 */
#define SPLIT_MAX_ORGS 1000 /* the count splits up to this many orgs in the subtree */
#define SPLIT_MAX_ROWS 100  /* and the page too when at most this many cases match */

enum scope_shape { SHAPE_NONE, SHAPE_ONE, SHAPE_SPLIT };

struct list_query {
	struct buf where; /* " WHERE c.kind = $1" and the filters, without the scope */
	struct db_arg args[16];
	size_t nargs;
	int scoped;         /* the scope is below the whole database ($2 is its pattern) */
	int64_t scope_orgs; /* orgs the pattern matches */
};

/* Append fragment with each "?" as $n of a new parameter bound to v. */
static int add_term(struct list_query *lq, const char *fragment, struct db_arg v)
{
	const char *p;
	int rc = 0;

	if (lq->nargs == ARRAY_SIZE(lq->args))
		return -1;
	lq->args[lq->nargs++] = v;
	for (p = fragment; *p && rc == 0; p++)
		rc = *p == '?' ? buf_printf(&lq->where, "$%zu", lq->nargs) : buf_append(&lq->where, p, 1);
	return rc;
}

/* The WHERE clause from the request's filters; 0, or -1 after a field error reply. */
static int build_where(struct request *req, const struct case_kind *k, struct list_query *lq, char today[11])
{
	const char *state = req_query(req, "state"), *q = req_query(req, "q");
	const char *from = req_query(req, "from"), *to = req_query(req, "to"), *handler = req_query(req, "handler_id");
	const char *overdue = req_query(req, "overdue"), *pattern = session_scope_pattern(req);
	struct db_arg given[LF_COUNT];
	int present[LF_COUNT] = { 0 }, fd = 0, td = 0, everything, bad = 0, rc;
	char *from_s = arena_alloc(&req->arena, 11), *to_s = arena_alloc(&req->arena, 11);
	int64_t handler_id = 0;
	size_t i;

	if (from && *from) {
		if (date_parse(from, &fd) < 0)
			return api_field_error(req, "from", "开始日期格式应为2021-03-05");
		date_format(fd, from_s);
		given[LF_FROM] = db_text(from_s);
		present[LF_FROM] = 1;
	}
	if (to && *to) {
		if (date_parse(to, &td) < 0)
			return api_field_error(req, "to", "结束日期格式应为2021-03-05");
		date_format(td, to_s);
		given[LF_TO] = db_text(to_s);
		present[LF_TO] = 1;
	}
	if (handler && *handler && parse_int64_cstr(handler, &handler_id) < 0)
		return api_field_error(req, "handler_id", "承办人编号应为整数");
	given[LF_HANDLER] = db_int(handler_id);
	present[LF_HANDLER] = handler_id != 0;
	given[LF_STATE] = db_text(state);
	present[LF_STATE] = state && *state;
	given[LF_TEXT] = db_text(q && *q ? arena_printf(&req->arena, "%%%s%%", q) : NULL);
	present[LF_TEXT] = q && *q;
	date_format(time_today_cst(), today);
	given[LF_OVERDUE] = db_text(today);
	present[LF_OVERDUE] = overdue && (!strcmp(overdue, "1") || !strcmp(overdue, "true"));

	everything = org_store_pattern_is_everything(req->db, pattern);
	if (everything < 0)
		return api_db_error(req, everything);
	lq->scoped = !everything;
	lq->scope_orgs = 0;
	if (lq->scoped) {
		rc = db_query_int(req->db, &lq->scope_orgs, "SELECT COUNT(*) FROM org WHERE path LIKE $1",
				  db_text(pattern));
		if (rc < 0)
			return api_db_error(req, rc);
	}
	buf_init(&lq->where, 1024);
	lq->nargs = 0;
	bad |= add_term(lq, " WHERE c.kind = ?", db_text(k->code)) < 0;
	if (lq->scoped)
		bad |= add_term(lq, "", db_text(pattern)) < 0; /* $2 of the scope fragments */
	for (i = 0; i < LF_COUNT; i++)
		if (present[i])
			bad |= add_term(lq, filter_sql[i], given[i]) < 0;
	if (bad) {
		buf_release(&lq->where);
		return api_error(req, "INTERNAL", NULL, NULL);
	}
	return 0;
}

/* The scope's shape for counting, and for the page once the total is known (total < 0: not yet). */
static enum scope_shape scope_shape(const struct list_query *lq, int64_t total)
{
	if (!lq->scoped)
		return SHAPE_NONE;
	if (lq->scope_orgs > SPLIT_MAX_ORGS || total > SPLIT_MAX_ROWS)
		return SHAPE_ONE;
	return SHAPE_SPLIT;
}

static int count_cases(struct request *req, struct list_query *lq, int64_t *total)
{
	const char *w = lq->where.p, *sql;
	struct db_stmt *st;
	int rc;

	switch (scope_shape(lq, -1)) {
	case SHAPE_NONE:
		sql = arena_printf(&req->arena, "SELECT COUNT(*) FROM case_file c%s", w);
		break;
	case SHAPE_ONE:
		sql = arena_printf(&req->arena, "SELECT COUNT(*) FROM case_file c%s%s", w, scope_one_sql);
		break;
	default:
		sql = arena_printf(&req->arena,
				   "SELECT (SELECT COUNT(*) FROM case_file c%s%s) + (SELECT COUNT(*) FROM case_file c%s%s)",
				   w, scope_handled_sql, w, scope_against_sql);
	}
	rc = db_prepare(req->db, &st, sql);

	if (rc < 0)
		return rc;
	rc = db_bind_args(st, lq->nargs, lq->args);
	if (rc == 0)
		rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The page's WHERE: the filters and the scope in the shape chosen for total cases. */
static const char *page_where(struct request *req, const struct list_query *lq, int64_t total)
{
	const char *w = lq->where.p;

	switch (scope_shape(lq, total)) {
	case SHAPE_NONE:
		return w;
	case SHAPE_ONE:
		return arena_printf(&req->arena, "%s%s", w, scope_one_sql);
	default:
		return arena_printf(&req->arena,
				    " WHERE c.id IN (SELECT c.id FROM case_file c%s%s UNION ALL SELECT c.id FROM case_file c%s%s)",
				    w, scope_handled_sql, w, scope_against_sql);
	}
}

static json_t *row_json(const struct case_kind *k, struct db_stmt *st, const char *today)
{
	const struct case_state *s = case_state_find(k, db_col_text(st, 3));
	const struct case_outcome *out = case_outcome_find(k, db_col_text(st, 7));
	const char *next_due = db_col_text(st, 11);
	json_t *row = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0),
				"case_no", db_col_text(st, 1), "title", db_col_text(st, 2), "state", db_col_text(st, 3),
				"state_name", s ? s->name : db_col_text(st, 3), "received_date", db_col_text(st, 4),
				"accepted_date", db_col_text(st, 5), "closed_date", db_col_text(st, 6), "org_name",
				db_col_text(st, 8), "party_org_name", db_col_text(st, 9), "handler_name",
				db_col_text(st, 10));

	json_object_set_new(row, "outcome_name", json_string(out ? out->name : ""));
	json_object_set_new(row, "next_due", *next_due ? json_string(next_due) : json_null());
	json_object_set_new(row, "overdue", json_boolean(*next_due && strcmp(next_due, today) < 0));
	return row;
}

int case_store_list(struct request *req, const struct case_kind *k, int64_t limit, int64_t offset, json_t **items,
		    int64_t *total)
{
	struct list_query lq;
	struct db_stmt *st;
	char today[11];
	size_t n;
	int rc;

	if (build_where(req, k, &lq, today) < 0)
		return -1;
	rc = count_cases(req, &lq, total);
	if (rc < 0)
		goto out;
	n = lq.nargs;
	rc = db_prepare(req->db, &st,
			arena_printf(&req->arena,
				     "SELECT c.id, c.case_no, c.title, c.state, c.received_date,"
				     " COALESCE(c.accepted_date, ''), COALESCE(c.closed_date, ''), COALESCE(c.outcome, ''),"
				     " o.name, COALESCE(p.name, ''), COALESCE(u.display_name, ''),"
				     " (SELECT MIN(d.due_date) FROM case_deadline d WHERE d.case_id = c.id"
				     " AND d.status = 'open')"
				     " FROM case_file c JOIN org o ON o.id = c.org_id LEFT JOIN org p ON p.id = c.party_org_id"
				     " LEFT JOIN app_user u ON u.id = c.handler_id%s ORDER BY %s LIMIT $%zu OFFSET $%zu",
				     page_where(req, &lq, *total), sort_clause(req_query(req, "sort")), n + 1, n + 2));
	if (rc < 0)
		goto out;
	lq.args[n] = db_int(limit);
	lq.args[n + 1] = db_int(offset);
	*items = json_array();
	rc = db_bind_args(st, n + 2, lq.args);
	if (rc == 0)
		while ((rc = db_step(st)) == DB_ROW)
			json_array_append_new(*items, row_json(k, st, today));
	db_done(st);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
	}
out:
	buf_release(&lq.where);
	return rc < 0 ? api_db_error(req, rc) : 0;
}
