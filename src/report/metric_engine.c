/*
 * Computing metrics: one indexed query per count or sum, ratios and sums of
 * metrics from those, the same period a year earlier, 同比, breakdowns.
 * Results of one computation are memoised so a ratio never recounts its
 * parts.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metric.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/util.h"
#include "db/db.h"
#include "core/banned.h"

#define MAX_BIND 24

struct memo {
	const struct metric_catalog *c;
	struct metric_value *values;
	unsigned char *done;
};

double metric_round(double v, int decimals, int truncate)
{
	double scale = pow(10.0, decimals);

	/* The epsilon keeps 0.985 (stored as 0.98499999...) rounding like people round. */
	if (truncate)
		return floor(v * scale + 1e-9) / scale;
	return floor(v * scale + 0.5 + 1e-9) / scale;
}

/* Append "AND expr = $n" style filters; args collects the bound values. */
static int add_where(struct buf *sql, const struct metric_where *w, struct db_arg *args, size_t *nargs)
{
	json_t *v = w->value, *item;
	size_t i;

	if (json_is_string(v) && !strcmp(json_string_value(v), "*"))
		return buf_printf(sql, " AND %s IS NOT NULL AND %s <> ''", w->field->expr, w->field->expr);
	if (json_is_array(v)) {
		if (buf_printf(sql, " AND %s IN (", w->field->expr) < 0)
			return -1;
		json_array_foreach (v, i, item) {
			if (*nargs == MAX_BIND)
				return -1;
			args[*nargs] = json_is_integer(item) ? db_int(json_integer_value(item)) : db_text(json_string_value(item));
			(*nargs)++;
			if (buf_printf(sql, "%s$%zu", i ? ", " : "", *nargs) < 0)
				return -1;
		}
		return buf_puts(sql, ")");
	}
	if (*nargs == MAX_BIND)
		return -1;
	args[*nargs] = json_is_integer(v) ? db_int(json_integer_value(v)) : db_text(json_string_value(v));
	(*nargs)++;
	return buf_printf(sql, " AND %s = $%zu", w->field->expr, *nargs);
}

/* Run a count/sum for [from, to]. */
static int records(struct db *db, const struct metric_def *d, const struct metric_scope *s, int from, int to,
		   struct metric_value *out)
{
	struct db_arg args[MAX_BIND];
	char from_s[11], to_s[11], like[270];
	struct db_stmt *st;
	struct buf sql;
	size_t n = 0, i;
	int rc, bad = 0;

	date_format(from, from_s);
	date_format(to, to_s);
	snprintf(like, sizeof(like), "%s%%", s->path);
	buf_init(&sql, 8192);
	bad |= buf_printf(&sql, "SELECT %s%s%s %s WHERE %s", d->kind == METRIC_SUM ? "COALESCE(SUM(" : "COUNT(*)",
			  d->kind == METRIC_SUM ? d->sum_field->expr : "", d->kind == METRIC_SUM ? "), 0)" : "",
			  d->source->from, d->source->base_where) < 0;
	args[n++] = d->org_self ? db_int(s->org_id) : db_text(like);
	bad |= buf_printf(&sql, d->org_self ? " AND o.id = $1" : " AND o.path LIKE $1") < 0;
	args[n++] = db_text(from_s);
	args[n++] = db_text(to_s);
	if (d->open_start)
		/* Open when the period starts: begun before it, not finished before it. */
		bad |= buf_printf(&sql, " AND %s < $2 AND (%s IS NULL OR %s >= $2) AND $3 <> ''", d->open_start->expr,
				  d->open_end->expr, d->open_end->expr) < 0;
	else
		bad |= buf_printf(&sql, " AND %s >= $2 AND %s <= $3", d->date->expr, d->date->expr) < 0;
	for (i = 0; i < d->nwhere && !bad; i++)
		bad |= add_where(&sql, &d->where[i], args, &n) < 0;
	if (bad) {
		buf_release(&sql);
		return DB_ERROR;
	}
	rc = db_prepare(db, &st, sql.p);
	if (rc == 0) {
		rc = db_bind_args(st, n, args);
		if (rc == 0)
			rc = db_step(st);
		if (rc == DB_ROW) {
			out->has = 1;
			out->v = (double)db_col_int(st, 0);
		}
		db_done(st);
	}
	buf_release(&sql);
	return rc < 0 ? rc : 0;
}

/* Does the org's tree have any record of this kind at all? Without any, 0 would be a lie. */
static int has_data(struct db *db, const struct metric_def *d, const struct metric_scope *s)
{
	char like[270];
	int64_t one = 0;
	const char *sql;

	snprintf(like, sizeof(like), "%s%%", s->path);
	if (strcmp(d->source->name, "case")) {
		/* Any other source: any of its records in the org (tree). */
		char any[1024];

		snprintf(any, sizeof(any), "SELECT 1 %s WHERE %s AND %s LIMIT 1", d->source->from, d->source->base_where,
			 d->org_self ? "o.id = $1" : "o.path LIKE $1");
		return db_query_int(db, &one, any, d->org_self ? db_int(s->org_id) : db_text(like)) == DB_ROW;
	}
	/* Cases: any case of the metric's kind (every kind shares one table). */
	sql = d->org_self ? "SELECT 1 FROM case_file c WHERE c.org_id = $1 AND ($2 = '' OR c.kind = $2) LIMIT 1"
			  : "SELECT 1 FROM case_file c JOIN org o ON o.id = c.org_id"
			    " WHERE o.path LIKE $1 AND ($2 = '' OR c.kind = $2) LIMIT 1";
	if (d->org_self)
		return db_query_int(db, &one, sql, db_int(s->org_id), db_text(d->kind_filter ? d->kind_filter : "")) ==
		       DB_ROW;
	return db_query_int(db, &one, sql, db_text(like), db_text(d->kind_filter ? d->kind_filter : "")) == DB_ROW;
}

static int compute(struct db *db, struct memo *m, const struct metric_def *d, const struct metric_scope *s, int from,
		   int to, struct metric_value *out);

static int compute_id(struct db *db, struct memo *m, const char *id, const struct metric_scope *s, int from, int to,
		      struct metric_value *out)
{
	const struct metric_def *d = metric_find(m->c, id);

	return d ? compute(db, m, d, s, from, to, out) : DB_ERROR;
}

static int compute(struct db *db, struct memo *m, const struct metric_def *d, const struct metric_scope *s, int from,
		   int to, struct metric_value *out)
{
	size_t idx = (size_t)(d - m->c->defs), i;
	struct metric_value a = { 0, 0 }, b = { 0, 0 };
	int rc = 0;

	if (m->done[idx]) {
		*out = m->values[idx];
		return 0;
	}
	out->has = 0;
	out->v = 0;
	switch (d->kind) {
	case METRIC_COUNT:
	case METRIC_SUM:
		rc = records(db, d, s, from, to, out);
		if (rc == 0 && out->v == 0 && !has_data(db, d, s))
			out->has = 0;
		break;
	case METRIC_RATIO:
		rc = compute_id(db, m, d->numerator, s, from, to, &a);
		if (rc == 0)
			rc = compute_id(db, m, d->denominator, s, from, to, &b);
		if (rc == 0 && a.has && b.has && b.v != 0) {
			out->has = 1;
			out->v = metric_round(a.v / b.v * (d->percent ? 100.0 : 1.0), d->decimals, d->truncate);
		}
		break;
	case METRIC_SUM_OF:
		for (i = 0; i < d->nparts && rc == 0; i++) {
			rc = compute_id(db, m, d->parts[i], s, from, to, &a);
			if (rc == 0 && a.has) {
				out->has = 1;
				out->v += a.v;
			}
		}
		break;
	}
	if (rc == 0) {
		m->values[idx] = *out;
		m->done[idx] = 1;
	}
	return rc;
}

static json_t *number(const struct metric_value *v)
{
	if (!v->has)
		return json_null();
	if (v->v == floor(v->v) && fabs(v->v) < 1e15)
		return json_integer((json_int_t)v->v);
	return json_real(v->v);
}

/* The same dates one year earlier (29 February becomes 28 February). */
static int year_before(int ymd)
{
	int y, mo, d;

	if (date_split(ymd, &y, &mo, &d) < 0)
		return ymd;
	if (mo == 2 && d == 29)
		d = 28;
	return date_from_ymd(y - 1, mo, d);
}

static json_t *figure(const struct metric_def *d, const struct metric_value *v, const struct metric_value *p)
{
	json_t *o = json_pack("{s:s,s:s,s:o,s:o}", "name", d->name, "unit", d->unit, "value", number(v), "previous",
			      number(p));

	if (v->has && p->has && d->kind == METRIC_RATIO) {
		json_object_set_new(o, "yoy", json_real(metric_round(v->v - p->v, 2, 0)));
		json_object_set_new(o, "yoy_unit", json_string("个百分点"));
	} else if (v->has && p->has && p->v != 0) {
		json_object_set_new(o, "yoy", json_real(metric_round((v->v - p->v) / p->v * 100.0, 2, 0)));
		json_object_set_new(o, "yoy_unit", json_string("%"));
	} else {
		json_object_set_new(o, "yoy", json_null());
	}
	return o;
}

static int memo_init(struct memo *m, const struct metric_catalog *c, struct metric_value *values, unsigned char *done)
{
	m->c = c;
	m->values = values;
	m->done = done;
	memset(done, 0, c->n);
	return 0;
}

json_t *metric_all_json(struct db *db, const struct metric_catalog *c, const struct metric_scope *s)
{
	struct metric_value cur[512], prev[512];
	unsigned char done_c[512], done_p[512];
	struct memo mc, mp;
	json_t *out;
	size_t i;
	int rc = 0;

	if (c->n > 512)
		return NULL;
	memo_init(&mc, c, cur, done_c);
	memo_init(&mp, c, prev, done_p);
	out = json_object();
	for (i = 0; i < c->n && rc == 0; i++) {
		struct metric_value v, p;

		rc = compute(db, &mc, &c->defs[i], s, s->from, s->to, &v);
		if (rc == 0)
			rc = compute(db, &mp, &c->defs[i], s, year_before(s->from), year_before(s->to), &p);
		if (rc == 0)
			json_object_set_new(out, c->defs[i].id, figure(&c->defs[i], &v, &p));
	}
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *metric_one_json(struct db *db, const struct metric_catalog *c, const struct metric_def *d,
			const struct metric_scope *s)
{
	struct metric_value cur[512], prev[512], v, p;
	unsigned char done_c[512], done_p[512];
	struct memo mc, mp;

	if (c->n > 512)
		return NULL;
	memo_init(&mc, c, cur, done_c);
	memo_init(&mp, c, prev, done_p);
	if (compute(db, &mc, d, s, s->from, s->to, &v) < 0 ||
	    compute(db, &mp, d, s, year_before(s->from), year_before(s->to), &p) < 0)
		return NULL;
	return figure(d, &v, &p);
}

json_t *metric_breakdown_json(struct db *db, const struct metric_catalog *c, const struct metric_def *d,
			      const struct metric_scope *s, const char *by)
{
	json_t *rows = json_array(), *one;

	if (!strcmp(by, "month")) {
		int y, mo, dd, cur = s->from;

		while (cur <= s->to && date_split(cur, &y, &mo, &dd) == 0) {
			struct metric_scope m = *s;
			int next = mo == 12 ? date_from_ymd(y + 1, 1, 1) : date_from_ymd(y, mo + 1, 1);
			char label[16];

			m.from = cur;
			m.to = date_add_days(next, -1) < s->to ? date_add_days(next, -1) : s->to;
			one = metric_one_json(db, c, d, &m);
			if (!one)
				goto fail;
			snprintf(label, sizeof(label), "%04d-%02d", y, mo);
			json_object_set_new(one, "month", json_string(label));
			json_array_append_new(rows, one);
			cur = next;
		}
		return rows;
	}
	{
		struct db_stmt *st;
		struct {
			int64_t id;
			char name[256], path[256];
		} kids[256];
		size_t n = 0, i;

		if (db_prepare(db, &st, "SELECT id, name, path FROM org WHERE parent_id = $1 AND status = 'active'"
					" ORDER BY sort_order, id") < 0)
			goto fail;
		db_bind(st, db_int(s->org_id));
		while (db_step(st) == DB_ROW && n < ARRAY_SIZE(kids)) {
			kids[n].id = db_col_int(st, 0);
			snprintf(kids[n].name, sizeof(kids[n].name), "%s", db_col_text(st, 1));
			snprintf(kids[n].path, sizeof(kids[n].path), "%s", db_col_text(st, 2));
			n++;
		}
		db_done(st);
		for (i = 0; i < n; i++) {
			struct metric_scope m = *s;

			m.org_id = kids[i].id;
			snprintf(m.path, sizeof(m.path), "%s", kids[i].path);
			one = metric_one_json(db, c, d, &m);
			if (!one)
				goto fail;
			json_object_set_new(one, "org_id", json_integer(kids[i].id));
			json_object_set_new(one, "org_name", json_string(kids[i].name));
			json_array_append_new(rows, one);
		}
		return rows;
	}
fail:
	json_decref(rows);
	return NULL;
}

int metric_scope_org(struct db *db, const char *org, struct metric_scope *s, char *name, size_t namelen)
{
	struct db_stmt *st;
	int64_t id = 0;
	int rc;

	if (!org || !*org)
		return DB_DONE;
	if (strlen(org) >= 6)
		rc = db_prepare(db, &st, "SELECT id, path, name FROM org WHERE division_code = $1 ORDER BY id LIMIT 1");
	else if (parse_int64_cstr(org, &id) == 0)
		rc = db_prepare(db, &st, "SELECT id, path, name FROM org WHERE id = $1");
	else
		return DB_DONE;
	if (rc < 0)
		return rc;
	if (id)
		db_bind(st, db_int(id));
	else
		db_bind(st, db_text(org));
	rc = db_step(st);
	if (rc == DB_ROW) {
		s->org_id = db_col_int(st, 0);
		snprintf(s->path, sizeof(s->path), "%s", db_col_text(st, 1));
		if (name)
			snprintf(name, namelen, "%s", db_col_text(st, 2));
	}
	db_done(st);
	return rc;
}
