/* SQL of the litigation table; see litigation.h. */
#include <stdio.h>

#include "litigation.h"
#include "db/db.h"
#include "core/banned.h"

int litigation_store_insert(struct db *db, int64_t case_id, const char *instance, const char *court, const char *filed,
			    const char *served, int carried_over, int64_t previous_case_id)
{
	struct db_stmt *st;
	int rc = db_prepare(db, &st,
			    "INSERT INTO litigation (case_id, instance, court, filed_date, served_date, carried_over,"
			    " previous_case_id) VALUES ($1, $2, $3, $4, $5, $6, $7)");

	if (rc < 0)
		return rc;
	db_bind_int(st, 1, case_id);
	db_bind_text(st, 2, instance);
	db_bind_text(st, 3, court);
	db_bind_text(st, 4, filed);
	db_bind_text(st, 5, served);
	db_bind_int(st, 6, carried_over);
	if (previous_case_id)
		db_bind_int(st, 7, previous_case_id);
	else
		db_bind_null(st, 7);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

json_t *litigation_store_detail(struct db *db, int64_t case_id)
{
	struct db_stmt *st;
	json_t *o = NULL;

	if (db_prepare(db, &st,
		       "SELECT instance, court, COALESCE(filed_date, ''), COALESCE(served_date, ''),"
		       " carried_over, hearing_held, head_appeared, COALESCE(head_name, ''), COALESCE(head_post, ''),"
		       " COALESCE(ruling_kind, ''), appealed, COALESCE(previous_case_id, 0), risk_flag,"
		       " COALESCE(risk_note, '') FROM litigation WHERE case_id = $1") < 0)
		return NULL;
	db_bind_int(st, 1, case_id);
	if (db_step(st) == DB_ROW) {
		o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:s,s:s,s:s,s:b,s:b,s:s}", "instance", db_col_text(st, 0),
			      "court", db_col_text(st, 1), "filed_date", db_col_text(st, 2), "served_date",
			      db_col_text(st, 3), "carried_over", (int)db_col_int(st, 4), "hearing_held",
			      (int)db_col_int(st, 5), "head_appeared", (int)db_col_int(st, 6), "head_name",
			      db_col_text(st, 7), "head_post", db_col_text(st, 8), "ruling_kind", db_col_text(st, 9),
			      "appealed", (int)db_col_int(st, 10), "risk_flag", (int)db_col_int(st, 12), "risk_note",
			      db_col_text(st, 13));
		json_object_set_new(o, "previous_case_id",
				    db_col_int(st, 11) ? json_integer(db_col_int(st, 11)) : json_null());
	}
	db_done(st);
	return o;
}
