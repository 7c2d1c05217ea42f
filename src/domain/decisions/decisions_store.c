/* SQL of the decision tables (decision, decision_step); see decisions.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decisions.h"
#include "core/calendar.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/review/review.h"
#include "core/banned.h"

int decisions_store_insert(struct db *db, int64_t case_id, int64_t catalogue_id, const char *category,
			   const char *description)
{
	const struct decision_step_def *s;
	int rc = db_exec(db,
			 "INSERT INTO decision (case_id, catalogue_id, category, description) VALUES ($1, $2, $3, $4)",
			 db_int(case_id), db_int(catalogue_id), db_text(category), db_text(description ? description : ""));

	for (s = decision_steps; s->code && rc == 0; s++)
		rc = db_exec(db, "INSERT INTO decision_step (case_id, step, updated_at) VALUES ($1, $2, $3)", db_int(case_id),
			     db_text(s->code), db_int(time_now()));
	return rc;
}

int decisions_store_statuses(struct db *db, int64_t case_id, char statuses[][16], size_t n)
{
	struct db_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		snprintf(statuses[i], 16, "pending");
	rc = db_prepare(db, &st, "SELECT step, status FROM decision_step WHERE case_id = $1");
	if (rc < 0)
		return rc;
	db_bind(st, db_int(case_id));
	while ((rc = db_step(st)) == DB_ROW)
		for (i = 0; i < n && decision_steps[i].code; i++)
			if (!strcmp(decision_steps[i].code, db_col_text(st, 0)))
				snprintf(statuses[i], 16, "%s", db_col_text(st, 1));
	db_done(st);
	return rc < 0 ? rc : 0;
}

int decisions_store_set_step(struct db *db, int64_t case_id, const char *step, const char *status, const char *date,
			     const char *reason, json_t *fields, int64_t actor)
{
	json_t *empty = fields ? NULL : json_object();
	char *detail = json_dumps(fields ? fields : empty, JSON_COMPACT | JSON_SORT_KEYS);
	int rc;

	json_decref(empty);
	if (!detail)
		return DB_ERROR;
	rc = db_exec(db,
		     "UPDATE decision_step SET status = $1, step_date = $2, reason = $3, detail = $4, updated_by = $5,"
		     " updated_at = $6 WHERE case_id = $7 AND step = $8",
		     db_text(status), db_text(date), db_text(reason), db_text(detail), db_int(actor), db_int(time_now()),
		     db_int(case_id), db_text(step));
	free(detail);
	return rc;
}

int decisions_store_review(struct db *db, int64_t case_id, int64_t *review_id, char *outcome, size_t outlen)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st,
			    "SELECT d.review_case_id, COALESCE(r.outcome, '') FROM decision d"
			    " JOIN case_file r ON r.id = d.review_case_id WHERE d.case_id = $1");

	if (rc < 0)
		return rc;
	db_bind(st, db_int(case_id));
	rc = db_step(st);
	if (rc == DB_ROW) {
		*review_id = db_col_int(st, 0);
		snprintf(outcome, outlen, "%s", db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc;
}

/* The steps with their status, date, reason and fields; the legality step follows its review. */
static json_t *steps_json(struct db *db, int64_t case_id, const json_t *review)
{
	struct db_stmt *st;
	json_t *a = json_array();
	const struct decision_step_def *s;

	for (s = decision_steps; s->code; s++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "code", s->code, "name", s->name, "status", "pending",
				      "status_name", decision_step_status_name("pending"), "can_skip", s->can_skip,
				      "before_discussion", s->before_discussion);

		json_object_set_new(o, "date", json_null());
		json_object_set_new(o, "reason", json_null());
		json_object_set_new(o, "fields", json_object());
		json_array_append_new(a, o);
	}
	if (db_prepare(db, &st, "SELECT step, status, step_date, reason, detail FROM decision_step WHERE case_id = $1") < 0)
		return a;
	db_bind(st, db_int(case_id));
	while (db_step(st) == DB_ROW) {
		size_t i;

		for (i = 0, s = decision_steps; s->code && strcmp(s->code, db_col_text(st, 0)); s++, i++)
			;
		if (s->code) {
			json_t *o = json_array_get(a, i), *fields = json_loads(db_col_text(st, 4), 0, NULL);

			json_object_set_new(o, "status", json_string(db_col_text(st, 1)));
			json_object_set_new(o, "status_name", json_string(decision_step_status_name(db_col_text(st, 1))));
			json_object_set_new(o, "date", db_col_is_null(st, 2) ? json_null() : json_string(db_col_text(st, 2)));
			json_object_set_new(o, "reason", db_col_is_null(st, 3) ? json_null() : json_string(db_col_text(st, 3)));
			json_object_set_new(o, "fields", fields ? fields : json_object());
		}
	}
	db_done(st);
	{
		/* The legality step is done when the linked review concluded 合法 or 修改后合法. */
		json_t *o = json_array_get(a, (size_t)(decision_step_find("legality") - decision_steps));
		const char *outcome = json_string_value(json_object_get(review, "outcome"));
		int passes = review_conclusion_passes(outcome);

		json_object_set_new(o, "status", json_string(passes ? "done" : "pending"));
		json_object_set_new(o, "status_name", json_string(decision_step_status_name(passes ? "done" : "pending")));
		json_object_set_new(o, "date", passes ? json_incref(json_object_get(review, "concluded_date")) : json_null());
		json_object_set_new(o, "fields", json_is_object(review) ? json_deep_copy(review) : json_object());
	}
	return a;
}

static json_t *review_json(struct db *db, int64_t case_id)
{
	const struct case_outcome *out;
	struct db_stmt *st;
	json_t *o = json_null();

	if (db_prepare(db, &st,
		       "SELECT r.id, r.case_no, r.state, COALESCE(r.outcome, ''), r.decided_date FROM decision d"
		       " JOIN case_file r ON r.id = d.review_case_id WHERE d.case_id = $1") < 0)
		return o;
	db_bind(st, db_int(case_id));
	if (db_step(st) == DB_ROW) {
		out = case_outcome_find(&review_kind, db_col_text(st, 3));
		o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "review_id", (json_int_t)db_col_int(st, 0), "case_no",
			      db_col_text(st, 1), "state", db_col_text(st, 2), "outcome", db_col_text(st, 3), "outcome_name",
			      out ? out->name : "");
		json_object_set_new(o, "concluded_date",
				    db_col_is_null(st, 4) ? json_null() : json_string(db_col_text(st, 4)));
	}
	db_done(st);
	return o;
}

json_t *decisions_store_detail(struct db *db, int64_t case_id)
{
	const char *statuses[16], *code = NULL, *why;
	struct db_stmt *st;
	json_t *o = NULL, *review, *steps, *s;
	char buf[512];
	size_t i;

	if (db_prepare(db, &st,
		       "SELECT d.category, d.description, k.id, k.year, k.title, k.published_date"
		       " FROM decision d JOIN decision_catalogue k ON k.id = d.catalogue_id WHERE d.case_id = $1") < 0)
		return NULL;
	db_bind(st, db_int(case_id));
	if (db_step(st) == DB_ROW) {
		o = json_pack("{s:s,s:s,s:s}", "category", db_col_text(st, 0), "category_name",
			      decision_category_name(db_col_text(st, 0)), "description", db_col_text(st, 1));
		json_object_set_new(o, "catalogue",
				    json_pack("{s:I,s:I,s:s,s:o}", "id", (json_int_t)db_col_int(st, 2), "year",
					      (json_int_t)db_col_int(st, 3), "title", db_col_text(st, 4), "published_date",
					      db_col_is_null(st, 5) ? json_null() : json_string(db_col_text(st, 5))));
	}
	db_done(st);
	if (!o)
		return NULL;
	review = review_json(db, case_id);
	steps = steps_json(db, case_id, review);
	json_array_foreach (steps, i, s)
		statuses[i] = json_string_value(json_object_get(s, "status"));
	why = decisions_discussion_gate(statuses, json_is_object(review) ? json_string_value(json_object_get(review, "outcome"))
									: NULL,
					&code, buf, sizeof(buf));
	json_object_set_new(o, "review", review);
	json_object_set_new(o, "steps", steps);
	json_object_set_new(o, "discussion_gate", json_pack("{s:b,s:o,s:o}", "open", why == NULL, "code",
							    why ? json_string(code) : json_null(), "reason",
							    why ? json_string(why) : json_null()));
	return o;
}

/* ===== list ===== */

#define DECISION_LIST_WHERE                                                                                            \
	" FROM case_file c JOIN decision d ON d.case_id = c.id JOIN decision_catalogue k ON k.id = d.catalogue_id"     \
	" JOIN org o ON o.id = c.org_id LEFT JOIN org p ON p.id = c.party_org_id"                                      \
	" WHERE c.kind = 'decision' AND (o.path LIKE $1 OR p.path LIKE $1) AND ($2 = 0 OR d.catalogue_id = $2)"        \
	" AND ($3 = 0 OR k.year = $3) AND ($4 = '' OR c.state = $4) AND ($5 = 0 OR c.party_org_id = $5)"               \
	" AND ($6 = '' OR c.title LIKE '%' || $6 || '%' OR c.case_no LIKE '%' || $6 || '%')"                           \
	" AND ($7 = '' OR d.category = $7)"

int decisions_store_list(struct request *req, const struct decision_filter *f, int64_t limit, int64_t offset,
			 json_t **items, int64_t *total)
{
	struct db_stmt *st;
	int rc;

#define DECISION_LIST_ARGS                                                                                             \
	db_text(session_scope_pattern(req)), db_int(f->catalogue_id), db_int(f->year), db_text(f->state ? f->state : ""), \
		db_int(f->lead_org_id), db_text(f->q ? f->q : ""), db_text(f->category ? f->category : "")
	rc = db_query_int(req->db, total, "SELECT COUNT(*)" DECISION_LIST_WHERE, DECISION_LIST_ARGS);
	if (rc < 0)
		return api_db_error(req, rc);
	rc = db_prepare(req->db, &st,
			"SELECT c.id, c.case_no, c.title, c.state, c.received_date, COALESCE(c.decided_date, ''),"
			" COALESCE(c.outcome, ''), d.category, k.id, k.year, o.name, COALESCE(p.name, ''),"
			" (SELECT COUNT(*) FROM decision_step s WHERE s.case_id = c.id AND s.status <> 'pending'),"
			" COALESCE(d.review_case_id, 0)" DECISION_LIST_WHERE
			" ORDER BY k.year DESC, c.case_seq, c.id LIMIT $8 OFFSET $9");
	if (rc < 0)
		return api_db_error(req, rc);
	db_bind(st, DECISION_LIST_ARGS, db_int(limit), db_int(offset));
#undef DECISION_LIST_ARGS
	*items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		const struct case_state *s = case_state_find(&decision_kind, db_col_text(st, 3));
		const struct case_outcome *out = case_outcome_find(&decision_kind, db_col_text(st, 6));
		json_t *row = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:I}", "id",
					(json_int_t)db_col_int(st, 0), "case_no", db_col_text(st, 1), "title",
					db_col_text(st, 2), "state", db_col_text(st, 3), "state_name",
					s ? s->name : db_col_text(st, 3), "listed_date", db_col_text(st, 4), "category",
					db_col_text(st, 7), "category_name", decision_category_name(db_col_text(st, 7)),
					"catalogue_id", (json_int_t)db_col_int(st, 8), "year", (json_int_t)db_col_int(st, 9),
					"org_name", db_col_text(st, 10), "lead_org_name", db_col_text(st, 11),
					"steps_resolved", (json_int_t)db_col_int(st, 12));

		json_object_set_new(row, "decided_date", *db_col_text(st, 5) ? json_string(db_col_text(st, 5)) : json_null());
		json_object_set_new(row, "outcome_name", json_string(out ? out->name : ""));
		json_object_set_new(row, "review_id", db_col_int(st, 13) ? json_integer(db_col_int(st, 13)) : json_null());
		json_array_append_new(*items, row);
	}
	db_done(st);
	if (rc < 0) {
		json_decref(*items);
		return api_db_error(req, rc);
	}
	return 0;
}
