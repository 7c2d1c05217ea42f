/* SQL of the reconsideration table; see reconsideration.h. */
#include <stdio.h>
#include <string.h>

#include "reconsideration.h"
#include "db/db.h"
#include "core/banned.h"

int reconsideration_store_insert(struct db *db, int64_t case_id, const char *channel, const char *act,
				 const char *claims, int64_t amount_yuan)
{
	struct db_stmt *st;
	int rc = db_prepare(
	    db, &st,
	    "INSERT INTO reconsideration (case_id, channel, act, claims, amount_yuan) VALUES ($1, $2, $3, $4, $5)");

	if (rc < 0)
		return rc;
	db_bind_int(st, 1, case_id);
	db_bind_text(st, 2, channel);
	db_bind_text(st, 3, act);
	db_bind_text(st, 4, claims);
	if (amount_yuan > 0)
		db_bind_int(st, 5, amount_yuan);
	else
		db_bind_null(st, 5);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int reconsideration_store_procedure(struct db *db, int64_t case_id, const char *procedure, char *out, size_t outlen)
{
	int rc;

	if (procedure) {
		rc = db_exec(db, "UPDATE reconsideration SET procedure = $1 WHERE case_id = $2", db_text(procedure),
			     db_int(case_id));
		if (rc < 0)
			return rc;
	}
	rc =
	    db_query_text(db, out, outlen, "SELECT procedure FROM reconsideration WHERE case_id = $1", db_int(case_id));
	return rc == DB_ROW ? 0 : (rc < 0 ? rc : DB_ERROR);
}

int reconsideration_store_set(struct db *db, int64_t case_id, const char *column, int64_t value)
{
	/* Counter and flag columns only; the name never comes from input. */
	if (!strcmp(column, "hearing_held"))
		return db_exec(db, "UPDATE reconsideration SET hearing_held = $1 WHERE case_id = $2", db_int(value),
			       db_int(case_id));
	if (!strcmp(column, "opinion_letters"))
		return db_exec(db,
			       "UPDATE reconsideration SET opinion_letters = opinion_letters + $1 WHERE case_id = $2",
			       db_int(value), db_int(case_id));
	if (!strcmp(column, "suggestion_letters"))
		return db_exec(
		    db, "UPDATE reconsideration SET suggestion_letters = suggestion_letters + $1 WHERE case_id = $2",
		    db_int(value), db_int(case_id));
	return DB_ERROR;
}

json_t *reconsideration_store_detail(struct db *db, int64_t case_id)
{
	struct db_stmt *st;
	json_t *o = NULL;

	if (db_prepare(db, &st,
		       "SELECT channel, procedure, act, claims, COALESCE(amount_yuan, 0), hearing_held,"
		       " opinion_letters, suggestion_letters FROM reconsideration WHERE case_id = $1") < 0)
		return NULL;
	db_bind_int(st, 1, case_id);
	if (db_step(st) == DB_ROW) {
		o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:I,s:I}", "channel", db_col_text(st, 0), "procedure",
			      db_col_text(st, 1), "act", db_col_text(st, 2), "claims", db_col_text(st, 3),
			      "hearing_held", (int)db_col_int(st, 5), "opinion_letters", (json_int_t)db_col_int(st, 6),
			      "suggestion_letters", (json_int_t)db_col_int(st, 7));
		json_object_set_new(o, "amount_yuan",
				    db_col_int(st, 4) ? json_integer(db_col_int(st, 4)) : json_null());
	}
	db_done(st);
	return o;
}
