/*
 * Computing metrics: one indexed query per count or sum, ratios and sums of
 * metrics from those, the same period a year earlier, 同比, breakdowns.
 * A count or sum over a whole calendar year is read from its source's
 * summary table (sql/0010) when that keeps every field the metric names,
 * else from the records. Results of one computation are memoised so a ratio
 * never recounts its parts.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metric.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/org/org.h"
#include "core/banned.h"

#define MAX_BIND 24

struct memo {
	const struct metric_catalog *c;
	struct metric_value *values;
	unsigned char *done;
	int everything; /* -1 not known yet; 1 when the scope's subtree is the whole database */
};

double metric_round(double v, int decimals, int truncate)
{
	double scale = pow(10.0, decimals);

	/* The epsilon keeps 0.985 (stored as 0.98499999...) rounding like people round. */
	if (truncate)
		return floor(v * scale + 1e-9) / scale;
	return floor(v * scale + 0.5 + 1e-9) / scale;
}

static int use_summary = 1;

void metric_use_summary(int on)
{
	use_summary = on;
}

/* Append "AND expr = $n" style filters on field f (w's, or its summary's); args collects the bound values. */
static int add_where(struct buf *sql, const struct metric_where *w, const struct metric_field *f, struct db_arg *args,
		     size_t *nargs)
{
	json_t *v = w->value, *item;
	size_t i;

	if (json_is_string(v) && !strcmp(json_string_value(v), "*"))
		return buf_printf(sql, " AND %s IS NOT NULL AND %s <> ''", f->expr, f->expr);
	if (json_is_array(v)) {
		if (buf_printf(sql, " AND %s IN (", f->expr) < 0)
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
	return buf_printf(sql, " AND %s = $%zu", f->expr, *nargs);
}

/*
 * Whether a filter value selects the same rows in a summary as in the
 * records. Summaries hold '' for a NULL text and -1 for a NULL integer (key
 * columns cannot be NULL), so a filter on '' or -1, or "present" on an
 * integer, would also match records whose column is NULL.
 */
static int summary_value_ok(const struct metric_field *f, json_t *v)
{
	json_t *item;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach (v, i, item)
			if (!summary_value_ok(f, item))
				return 0;
		return 1;
	}
	if (f->type == MF_INT)
		return json_is_integer(v) && json_integer_value(v) != -1;
	return !json_is_string(v) || *json_string_value(v);
}

/*
 * The summary that answers d for [from, to], or NULL: the period is one
 * whole calendar year, the summary keeps the date field (or the metric's
 * "open at start" pair), the summed field as a sum, and every filtered field
 * one value per row.
 */
static const struct metric_source *summary_for(const struct metric_def *d, int from, int to)
{
	const struct metric_source *sum = d->source->summary;
	const struct metric_field *f;
	int y, mo, dd;
	size_t i;

	if (!use_summary || !sum || date_split(from, &y, &mo, &dd) < 0 || mo != 1 || dd != 1 ||
	    to != date_from_ymd(y, 12, 31))
		return NULL;
	if (d->open_start) {
		if (!sum->open_start || strcmp(d->open_start->name, sum->open_start) ||
		    strcmp(d->open_end->name, sum->open_end))
			return NULL;
	} else if (!metric_field_find(sum, d->date->name)) {
		return NULL;
	}
	if (d->sum_field && (!(f = metric_field_find(sum, d->sum_field->name)) || f->type != MF_SUM))
		return NULL;
	for (i = 0; i < d->nwhere; i++)
		if (!(f = metric_field_find(sum, d->where[i].field->name)) || f->type == MF_SUM || f->type == MF_DATE ||
		    !summary_value_ok(f, d->where[i].value))
			return NULL;
	return sum;
}

/* The period's condition on a summary: the date field's rows of the year, or the rows open when it starts. */
static int summary_period(struct buf *sql, const struct metric_def *d, const struct metric_source *sum)
{
	const char *field = d->open_start ? sum->open_start : d->date->name;

	if (sum->field_col && buf_printf(sql, " AND %s = '%s'", sum->field_col, field) < 0)
		return -1;
	if (d->open_start)
		return buf_printf(sql, " AND %s < $2 AND (%s = '' OR %s >= $2) AND $3 <> ''", sum->year_col,
				  sum->end_year_col, sum->end_year_col);
	return buf_printf(sql, " AND %s = $2 AND $3 <> ''", sum->year_col);
}

/*
 * " AND <the record's org in the scope>" with the value bound to $1: the org
 * itself for "org": "self", else the org-id set of its subtree (so that the
 * database can probe the record's (org_id, ...) index per org), and nothing
 * at all when that subtree is the whole database. The `$1 <> ''` form keeps
 * $1 in the statement for the one shape that needs no org condition.
 */
static int org_filter(struct db *db, struct memo *m, const struct metric_def *d, const char *org_col,
		      const struct metric_scope *s, const char *like, struct buf *sql, struct db_arg *arg)
{
	if (d->org_self) {
		*arg = db_int(s->org_id);
		return buf_printf(sql, " AND %s = $1", org_col);
	}
	*arg = db_text(like);
	if (m->everything < 0) {
		int rc = org_store_pattern_is_everything(db, like);

		if (rc < 0)
			return rc;
		m->everything = rc;
	}
	if (m->everything)
		return buf_puts(sql, " AND $1 <> ''");
	return buf_printf(sql, " AND %s IN (SELECT id FROM org WHERE path LIKE $1)", org_col);
}

/* The LEFT JOINs the definition's fields need, each once. */
static int add_joins(struct buf *sql, const struct metric_def *d)
{
	const struct metric_field *used[4 + METRIC_MAX_WHERE];
	const char *joined[4 + METRIC_MAX_WHERE];
	size_t n = 0, nj = 0, i, k;

	used[n++] = d->date;
	used[n++] = d->sum_field;
	used[n++] = d->open_start;
	used[n++] = d->open_end;
	for (i = 0; i < d->nwhere; i++)
		used[n++] = d->where[i].field;
	for (i = 0; i < n; i++) {
		if (!used[i] || !used[i]->join)
			continue;
		for (k = 0; k < nj && strcmp(joined[k], used[i]->join); k++)
			;
		if (k < nj)
			continue;
		joined[nj++] = used[i]->join;
		if (buf_printf(sql, " %s", used[i]->join) < 0)
			return -1;
	}
	return 0;
}

/* Run a count/sum for [from, to], from the summary when it can answer. */
static int records(struct db *db, struct memo *m, const struct metric_def *d, const struct metric_scope *s, int from,
		   int to, struct metric_value *out)
{
	const struct metric_source *sum = summary_for(d, from, to), *src = sum ? sum : d->source;
	const struct metric_field *f;
	struct db_arg args[MAX_BIND];
	char from_s[11], to_s[11], like[270];
	struct db_stmt *st;
	struct buf sql;
	size_t n = 0, i;
	int rc, bad = 0;

	date_format(from, from_s);
	date_format(to, to_s);
	if (sum)
		from_s[4] = 0; /* the year */
	snprintf(like, sizeof(like), "%s%%", s->path);
	buf_init(&sql, 8192);
	if (d->kind == METRIC_SUM)
		bad |= buf_printf(&sql, "SELECT COALESCE(SUM(%s), 0) %s", metric_field_find(src, d->sum_field->name)->expr,
				  src->from) < 0;
	else
		bad |= buf_printf(&sql, "SELECT COALESCE(%s, 0) %s", src->count_expr, src->from) < 0;
	if (!sum)
		bad |= add_joins(&sql, d) < 0;
	bad |= buf_printf(&sql, " WHERE %s", src->base_where) < 0;
	rc = org_filter(db, m, d, src->org_col, s, like, &sql, &args[n++]);
	if (rc < 0 && rc != -1) {
		buf_release(&sql);
		return rc;
	}
	bad |= rc < 0;
	args[n++] = db_text(from_s);
	args[n++] = db_text(to_s);
	if (sum)
		bad |= summary_period(&sql, d, sum) < 0;
	else if (d->open_start)
		/* Open when the period starts: begun before it, not finished before it. */
		bad |= buf_printf(&sql, " AND %s < $2 AND (%s IS NULL OR %s >= $2) AND $3 <> ''", d->open_start->expr,
				  d->open_end->expr, d->open_end->expr) < 0;
	else
		bad |= buf_printf(&sql, " AND %s >= $2 AND %s <= $3", d->date->expr, d->date->expr) < 0;
	for (i = 0; i < d->nwhere && !bad; i++) {
		f = sum ? metric_field_find(sum, d->where[i].field->name) : d->where[i].field;
		bad |= add_where(&sql, &d->where[i], f, args, &n) < 0;
	}
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
static int has_data(struct db *db, struct memo *m, const struct metric_def *d, const struct metric_scope *s)
{
	char like[270];
	struct db_arg args[2];
	struct db_stmt *st;
	struct buf sql;
	size_t nargs = 1;
	int rc, found = 0;

	snprintf(like, sizeof(like), "%s%%", s->path);
	buf_init(&sql, 2048);
	/* Cases: any case of the metric's kind (every kind shares one table); other sources: any record. */
	if (!strcmp(d->source->name, "case"))
		rc = buf_puts(&sql, "SELECT 1 FROM case_file c WHERE 1 = 1");
	else
		rc = buf_printf(&sql, "SELECT 1 %s WHERE %s", d->source->from, d->source->base_where);
	if (rc == 0)
		rc = org_filter(db, m, d, d->source->org_col, s, like, &sql, &args[0]);
	args[1] = db_text(d->kind_filter);
	if (rc == 0 && !strcmp(d->source->name, "case") && d->kind_filter) {
		rc = buf_puts(&sql, " AND c.kind = $2");
		nargs = 2;
	}
	if (rc == 0)
		rc = buf_puts(&sql, " LIMIT 1");
	if (rc == 0)
		rc = db_prepare(db, &st, sql.p);
	if (rc == 0) {
		rc = db_bind_args(st, nargs, args);
		if (rc == 0)
			found = db_step(st) == DB_ROW;
		db_done(st);
	}
	buf_release(&sql);
	return found;
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
		rc = records(db, m, d, s, from, to, out);
		if (rc == 0 && out->v == 0 && !has_data(db, m, d, s))
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
	m->everything = -1;
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
