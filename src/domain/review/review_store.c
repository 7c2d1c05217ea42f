/* SQL of the review tables (review, review_reviewer, review_opinion); see review.h. */
#include <stdio.h>
#include <string.h>

#include "review.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "core/banned.h"

int review_store_insert(struct db *db, int64_t case_id, const char *subject, const char *subject_title,
			const char *description, int64_t item_count, int64_t amount_fen, const char *counterparty)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st,
			    "INSERT INTO review (case_id, subject_kind, subject_title, description, item_count, amount_fen,"
			    " counterparty) VALUES ($1, $2, $3, $4, $5, $6, $7)");

	if (rc < 0)
		return rc;
	db_bind(st, db_int(case_id), db_text(subject), db_text(subject_title), db_text(description ? description : ""),
		db_int(item_count > 0 ? item_count : 1));
	if (amount_fen > 0)
		db_bind_int(st, 6, amount_fen);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, counterparty);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int review_store_set_procedure(struct db *db, int64_t case_id, const char *procedure)
{
	return db_exec(db, "UPDATE review SET procedure = $1 WHERE case_id = $2", db_text(procedure), db_int(case_id));
}

int review_store_get_text(struct db *db, int64_t case_id, const char *column, char *out, size_t outlen)
{
	const char *sql;
	int rc;

	/* The column name never comes from input. */
	if (!strcmp(column, "subject_kind"))
		sql = "SELECT subject_kind FROM review WHERE case_id = $1";
	else if (!strcmp(column, "procedure"))
		sql = "SELECT procedure FROM review WHERE case_id = $1";
	else
		return DB_ERROR;
	rc = db_query_text(db, out, outlen, sql, db_int(case_id));
	return rc == DB_ROW ? 0 : (rc < 0 ? rc : DB_ERROR);
}

int review_store_add_reviewer(struct db *db, int64_t case_id, const char *type, int64_t user_id, int64_t org_id,
			      const char *name, int lead)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st,
			    "INSERT INTO review_reviewer (case_id, reviewer_type, user_id, org_id, name, lead, created_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7)");

	if (rc < 0)
		return rc;
	db_bind(st, db_int(case_id), db_text(type));
	if (user_id)
		db_bind_int(st, 3, user_id);
	else
		db_bind_null(st, 3);
	if (org_id)
		db_bind_int(st, 4, org_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, name);
	db_bind_int(st, 6, lead);
	db_bind_int(st, 7, time_now());
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int review_store_count(struct db *db, int64_t case_id, const char *what, int64_t *n)
{
	const char *sql;
	int rc;

	if (!strcmp(what, "reviewers"))
		sql = "SELECT COUNT(*) FROM review_reviewer WHERE case_id = $1 AND status = 'active'";
	else if (!strcmp(what, "opinions"))
		sql = "SELECT COUNT(*) FROM review_opinion WHERE case_id = $1 AND status = 'active'";
	else if (!strcmp(what, "pending"))
		sql = "SELECT COUNT(*) FROM review_opinion WHERE case_id = $1 AND status = 'active'"
		      " AND adoption = 'pending'";
	else
		return DB_ERROR;
	rc = db_query_int(db, n, sql, db_int(case_id));
	return rc == DB_ROW ? 0 : (rc < 0 ? rc : DB_ERROR);
}

int review_store_add_opinion(struct db *db, int64_t case_id, const char *content, const char *basis, int64_t actor,
			     int64_t *seq)
{
	int rc = db_query_int(db, seq, "SELECT COALESCE(MAX(seq), 0) + 1 FROM review_opinion WHERE case_id = $1",
			      db_int(case_id));

	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERROR;
	return db_exec(db,
		       "INSERT INTO review_opinion (case_id, seq, content, basis, created_by, created_at)"
		       " VALUES ($1, $2, $3, $4, $5, $6)",
		       db_int(case_id), db_int(*seq), db_text(content), db_text(basis ? basis : ""), db_int(actor),
		       db_int(time_now()));
}

json_t *review_store_reviewers(struct db *db, int64_t case_id)
{
	struct db_stmt *st;
	json_t *a = json_array();

	if (db_prepare(db, &st,
		       "SELECT r.id, r.reviewer_type, COALESCE(r.user_id, 0), COALESCE(r.org_id, 0), r.name, r.lead"
		       " FROM review_reviewer r WHERE r.case_id = $1 AND r.status = 'active' ORDER BY r.lead DESC, r.id") < 0)
		return a;
	db_bind(st, db_int(case_id));
	while (db_step(st) == DB_ROW) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)db_col_int(st, 0), "type",
				      db_col_text(st, 1), "type_name", review_reviewer_type_name(db_col_text(st, 1)),
				      "name", db_col_text(st, 4), "lead", (int)db_col_int(st, 5));

		json_object_set_new(o, "user_id", db_col_int(st, 2) ? json_integer(db_col_int(st, 2)) : json_null());
		json_object_set_new(o, "org_id", db_col_int(st, 3) ? json_integer(db_col_int(st, 3)) : json_null());
		json_array_append_new(a, o);
	}
	db_done(st);
	return a;
}

json_t *review_store_opinions(struct db *db, int64_t case_id)
{
	struct db_stmt *st;
	json_t *a = json_array();

	if (db_prepare(db, &st,
		       "SELECT id, seq, content, basis, adoption, COALESCE(adoption_reason, ''),"
		       " COALESCE(adoption_date, '') FROM review_opinion WHERE case_id = $1 AND status = 'active'"
		       " ORDER BY seq") < 0)
		return a;
	db_bind(st, db_int(case_id));
	while (db_step(st) == DB_ROW) {
		json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0), "seq",
				      (json_int_t)db_col_int(st, 1), "content", db_col_text(st, 2), "basis",
				      db_col_text(st, 3), "adoption", db_col_text(st, 4), "adoption_name",
				      review_adoption_name(db_col_text(st, 4)));

		json_object_set_new(o, "adoption_reason", *db_col_text(st, 5) ? json_string(db_col_text(st, 5)) : json_null());
		json_object_set_new(o, "adoption_date", *db_col_text(st, 6) ? json_string(db_col_text(st, 6)) : json_null());
		json_array_append_new(a, o);
	}
	db_done(st);
	return a;
}

/* The case of another kind that links this review (a normative document or a decision), or null. */
static json_t *linked_case(struct db *db, int64_t case_id)
{
	struct db_stmt *st;
	json_t *o = json_null();

	if (db_prepare(db, &st,
		       "SELECT c.id, c.kind, c.case_no, c.title FROM case_file c WHERE c.id IN"
		       " (SELECT case_id FROM normdoc WHERE review_case_id = $1"
		       " UNION SELECT case_id FROM decision WHERE review_case_id = $1) ORDER BY c.id LIMIT 1") < 0)
		return o;
	db_bind(st, db_int(case_id));
	if (db_step(st) == DB_ROW)
		o = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1),
			      "case_no", db_col_text(st, 2), "title", db_col_text(st, 3));
	db_done(st);
	return o;
}

json_t *review_store_detail(struct db *db, int64_t case_id)
{
	struct db_stmt *st;
	json_t *o = NULL, *opinions;
	size_t i, n[4] = { 0, 0, 0, 0 };
	json_t *op;

	if (db_prepare(db, &st,
		       "SELECT subject_kind, subject_title, description, procedure, item_count, COALESCE(amount_fen, -1),"
		       " COALESCE(counterparty, ''), COALESCE(conclusion_note, ''), COALESCE(signer, '')"
		       " FROM review WHERE case_id = $1") < 0)
		return NULL;
	db_bind(st, db_int(case_id));
	if (db_step(st) == DB_ROW) {
		o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "subject_kind", db_col_text(st, 0), "subject_name",
			      review_subject_name(db_col_text(st, 0)), "subject_title", db_col_text(st, 1),
			      "description", db_col_text(st, 2), "procedure", db_col_text(st, 3), "item_count",
			      (json_int_t)db_col_int(st, 4));
		json_object_set_new(o, "amount_yuan", db_col_int(st, 5) >= 0 ? json_real((double)db_col_int(st, 5) / 100.0)
									     : json_null());
		json_object_set_new(o, "counterparty", *db_col_text(st, 6) ? json_string(db_col_text(st, 6)) : json_null());
		json_object_set_new(o, "conclusion_note",
				    *db_col_text(st, 7) ? json_string(db_col_text(st, 7)) : json_null());
		json_object_set_new(o, "signer", *db_col_text(st, 8) ? json_string(db_col_text(st, 8)) : json_null());
	}
	db_done(st);
	if (!o)
		return NULL;
	opinions = review_store_opinions(db, case_id);
	json_array_foreach (opinions, i, op) {
		const char *a = json_string_value(json_object_get(op, "adoption"));

		n[0]++;
		n[1] += !strcmp(a, "adopted");
		n[2] += !strcmp(a, "partly");
		n[3] += !strcmp(a, "pending");
	}
	json_object_set_new(o, "reviewers", review_store_reviewers(db, case_id));
	json_object_set_new(o, "opinions", opinions);
	json_object_set_new(o, "opinion_counts", json_pack("{s:I,s:I,s:I,s:I,s:I}", "total", (json_int_t)n[0],
							   "adopted", (json_int_t)n[1], "partly", (json_int_t)n[2],
							   "not_adopted", (json_int_t)(n[0] - n[1] - n[2] - n[3]),
							   "pending", (json_int_t)n[3]));
	json_object_set_new(o, "linked", linked_case(db, case_id));
	return o;
}

/* ===== list ===== */

#define REVIEW_LIST_WHERE                                                                                              \
	" FROM case_file c JOIN review r ON r.case_id = c.id JOIN org o ON o.id = c.org_id"                            \
	" LEFT JOIN org p ON p.id = c.party_org_id LEFT JOIN app_user u ON u.id = c.handler_id"                        \
	" WHERE c.kind = 'review' AND (o.path LIKE $1 OR p.path LIKE $1)"                                              \
	" AND ($2 = '' OR r.subject_kind = $2) AND ($3 = '' OR c.state = $3) AND ($4 = '' OR c.outcome = $4)"          \
	" AND ($5 = 0 OR c.party_org_id = $5) AND ($6 = '' OR c.received_date >= $6)"                                  \
	" AND ($7 = '' OR c.received_date <= $7)"                                                                      \
	" AND ($8 = '' OR c.case_no LIKE '%' || $8 || '%' OR c.title LIKE '%' || $8 || '%'"                           \
	"   OR r.subject_title LIKE '%' || $8 || '%')"                                                                 \
	" AND ($9 = 0 OR EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id AND d.status = 'open'"          \
	"   AND d.due_date < $10))"

/* A date filter of the query as YYYY-MM-DD ("" when absent); -1 with a field error when malformed. */
static int query_date(struct request *req, const char *name, char out[11])
{
	const char *v = req_query(req, name);
	int d;

	out[0] = '\0';
	if (!v || !*v)
		return 0;
	if (date_parse(v, &d) < 0)
		return api_field_error(req, name, "日期格式应为2021-03-05");
	date_format(d, out);
	return 0;
}

int review_store_list(struct request *req, int64_t limit, int64_t offset, json_t **items, int64_t *total)
{
	const char *subject = req_query(req, "subject_kind"), *state = req_query(req, "state");
	const char *conclusion = req_query(req, "conclusion"), *q = req_query(req, "q");
	const char *submitter = req_query(req, "submitting_org_id"), *year = req_query(req, "year");
	const char *overdue = req_query(req, "overdue");
	char from[11], to[11], today[11];
	int64_t org = 0, y;
	struct db_stmt *st;
	int rc;

	if (query_date(req, "from", from) < 0 || query_date(req, "to", to) < 0)
		return -1;
	if (year && *year) {
		if (parse_int64_cstr(year, &y) < 0 || y < 2000 || y > 2100)
			return api_field_error(req, "year", "年份应在2000到2100之间");
		snprintf(from, sizeof(from), "%04d-01-01", (int)y);
		snprintf(to, sizeof(to), "%04d-12-31", (int)y);
	}
	if (submitter && *submitter && parse_int64_cstr(submitter, &org) < 0)
		return api_field_error(req, "submitting_org_id", "送审单位编号应为整数");
	date_format(time_today_cst(), today);
#define REVIEW_LIST_ARGS                                                                                               \
	db_text(session_scope_pattern(req)), db_text(subject ? subject : ""), db_text(state ? state : ""),             \
		db_text(conclusion ? conclusion : ""), db_int(org), db_text(from), db_text(to), db_text(q ? q : ""),   \
		db_int(overdue && (!strcmp(overdue, "1") || !strcmp(overdue, "true"))), db_text(today)
	rc = db_query_int(req->db, total, "SELECT COUNT(*)" REVIEW_LIST_WHERE, REVIEW_LIST_ARGS);
	if (rc < 0)
		return api_db_error(req, rc);
	rc = db_prepare(req->db, &st,
			"SELECT c.id, c.case_no, c.title, c.state, c.received_date, COALESCE(c.decided_date, ''),"
			" COALESCE(c.outcome, ''), r.subject_kind, r.subject_title, o.name, COALESCE(p.name, ''),"
			" COALESCE(u.display_name, ''), (SELECT MIN(d.due_date) FROM case_deadline d"
			" WHERE d.case_id = c.id AND d.status = 'open'),"
			" (SELECT COUNT(*) FROM review_opinion x WHERE x.case_id = c.id AND x.status = 'active'),"
			" (SELECT COUNT(*) FROM review_opinion x WHERE x.case_id = c.id AND x.status = 'active'"
			"  AND x.adoption IN ('adopted', 'partly')), r.item_count" REVIEW_LIST_WHERE
			" ORDER BY c.received_date DESC, c.id DESC LIMIT $11 OFFSET $12");
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, REVIEW_LIST_ARGS, db_int(limit), db_int(offset));
#undef REVIEW_LIST_ARGS
	*items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		const struct case_state *s = case_state_find(&review_kind, db_col_text(st, 3));
		const struct case_outcome *out = case_outcome_find(&review_kind, db_col_text(st, 6));
		const char *next_due = db_col_is_null(st, 12) ? "" : db_col_text(st, 12);
		json_t *row = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I}", "id",
					(json_int_t)db_col_int(st, 0), "case_no", db_col_text(st, 1), "title",
					db_col_text(st, 2), "state", db_col_text(st, 3), "state_name",
					s ? s->name : db_col_text(st, 3), "received_date", db_col_text(st, 4),
					"subject_kind", db_col_text(st, 7), "subject_name",
					review_subject_name(db_col_text(st, 7)), "subject_title", db_col_text(st, 8),
					"org_name", db_col_text(st, 9), "submitting_org_name", db_col_text(st, 10),
					"opinions", (json_int_t)db_col_int(st, 13), "opinions_adopted",
					(json_int_t)db_col_int(st, 14), "item_count", (json_int_t)db_col_int(st, 15));

		json_object_set_new(row, "handler_name", json_string(db_col_text(st, 11)));
		json_object_set_new(row, "concluded_date", *db_col_text(st, 5) ? json_string(db_col_text(st, 5)) : json_null());
		json_object_set_new(row, "conclusion", *db_col_text(st, 6) ? json_string(db_col_text(st, 6)) : json_null());
		json_object_set_new(row, "conclusion_name", json_string(out ? out->name : ""));
		json_object_set_new(row, "next_due", *next_due ? json_string(next_due) : json_null());
		json_object_set_new(row, "overdue", json_boolean(*next_due && strcmp(next_due, today) < 0));
		json_array_append_new(*items, row);
	}
	db_done(st);
	if (rc < 0) {
		json_decref(*items);
		return api_db_error(req, rc);
	}
	return 0;
}
