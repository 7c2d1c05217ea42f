/*
 * Reports in the database: the row, the narratives per section, and the
 * figures (computed now for a draft, the stored snapshot for a frozen one).
 */
#include <stdio.h>
#include <string.h>

#include "report_store.h"
#include "metric.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "core/banned.h"

void report_data_release(struct report_data *r)
{
	json_decref(r->figures);
	json_decref(r->narratives);
	memset(r, 0, sizeof(*r));
}

static json_t *load_narratives(struct db *db, int64_t id)
{
	struct db_stmt *st;
	json_t *o = json_object();

	if (db_prepare(db, &st, "SELECT section, narrative FROM report_section WHERE report_id = $1") < 0)
		return o;
	db_bind(st, db_int(id));
	while (db_step(st) == DB_ROW)
		json_object_set_new(o, db_col_text(st, 0), json_string(db_col_text(st, 1)));
	db_done(st);
	return o;
}

static json_t *load_snapshot(struct db *db, int64_t id)
{
	struct db_stmt *st;
	json_t *o = json_object();

	if (db_prepare(db, &st, "SELECT metric, figure FROM report_figure WHERE report_id = $1") < 0)
		return o;
	db_bind(st, db_int(id));
	while (db_step(st) == DB_ROW) {
		json_t *f = json_loads(db_col_text(st, 1), 0, NULL);

		if (f)
			json_object_set_new(o, db_col_text(st, 0), f);
	}
	db_done(st);
	return o;
}

json_t *report_compute_figures(struct db *db, int64_t org_id, int year)
{
	const struct metric_catalog *c = metric_catalog();
	struct metric_scope s;
	char org[32];

	if (!c)
		return NULL;
	memset(&s, 0, sizeof(s));
	snprintf(org, sizeof(org), "%lld", (long long)org_id);
	if (metric_scope_org(db, org, &s, NULL, 0) != DB_ROW)
		return NULL;
	s.from = year * 10000 + 101;
	s.to = year * 10000 + 1231;
	return metric_all_json(db, c, &s);
}

int report_load(struct db *db, int64_t id, struct report_data *r)
{
	struct db_stmt *st;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = db_prepare(db, &st,
			"SELECT r.id, r.org_id, o.name, COALESCE(o.short_name, ''), o.path, r.year, r.template, r.status,"
			" COALESCE(r.frozen_at, 0), r.updated_at FROM report r JOIN org o ON o.id = r.org_id WHERE r.id = $1");
	if (rc < 0)
		return rc;
	db_bind(st, db_int(id));
	rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->org_id = db_col_int(st, 1);
		snprintf(r->org_name, sizeof(r->org_name), "%s", db_col_text(st, 2));
		snprintf(r->org_short, sizeof(r->org_short), "%s", db_col_text(st, 3));
		snprintf(r->org_path, sizeof(r->org_path), "%s", db_col_text(st, 4));
		r->year = (int)db_col_int(st, 5);
		snprintf(r->template_id, sizeof(r->template_id), "%s", db_col_text(st, 6));
		r->frozen = !strcmp(db_col_text(st, 7), "frozen");
		r->frozen_at = db_col_int(st, 8);
		r->updated_at = db_col_int(st, 9);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc;
	r->narratives = load_narratives(db, id);
	r->figures = r->frozen ? load_snapshot(db, id) : report_compute_figures(db, r->org_id, r->year);
	if (!r->figures) {
		report_data_release(r);
		return DB_ERROR;
	}
	return DB_ROW;
}

int report_freeze(struct db *db, struct report_data *r, int64_t user_id)
{
	const char *id;
	json_t *fig;
	int rc = 0;

	json_object_foreach (r->figures, id, fig) {
		char *text = json_dumps(fig, JSON_COMPACT);

		rc = db_exec(db, "INSERT INTO report_figure (report_id, metric, figure) VALUES ($1, $2, $3)", db_int(r->id),
			     db_text(id), db_text(text));
		free(text);
		if (rc < 0)
			return rc;
	}
	r->frozen_at = time_now();
	rc = db_exec(db,
		     "UPDATE report SET status = 'frozen', frozen_at = $1, frozen_by = $2, updated_at = $1 WHERE id = $3"
		     " AND status = 'draft'",
		     db_int(r->frozen_at), db_int(user_id), db_int(r->id));
	if (rc == 0)
		r->frozen = 1;
	return rc;
}

int report_save_narrative(struct db *db, int64_t id, const char *section, const char *text, int64_t user_id)
{
	return db_exec(db,
		       "INSERT INTO report_section (report_id, section, narrative, updated_by, updated_at)"
		       " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (report_id, section) DO UPDATE SET"
		       " narrative = excluded.narrative, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
		       db_int(id), db_text(section), db_text(text), db_int(user_id), db_int(time_now()));
}

void report_view_of(const struct report_data *r, struct report_view *v)
{
	memset(v, 0, sizeof(*v));
	v->tmpl = report_template(r->template_id);
	v->org_name = r->org_name;
	v->org_short = r->org_short;
	v->year = r->year;
	v->figures = r->figures;
	v->narratives = r->narratives;
}
