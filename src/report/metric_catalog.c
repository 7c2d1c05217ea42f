/*
 * Loading and checking the metric catalogue (the JSON files under data/metrics): every
 * key known, every source and field existing, ratio and sum parts defined,
 * no duplicate ids. A catalogue that does not check out stops the server
 * at start-up with a message naming the metric.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"
#include "core/embedded.h"
#include "core/log.h"
#include "core/banned.h"

static char *dup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		abort();
	return p;
}

static int fail(char *err, size_t errlen, const char *id, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, const char *id, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "指标“%s”:%s", id ? id : "?", msg);
	return -1;
}

static int only_keys(json_t *o, const char *const *keys, char *err, size_t errlen, const char *id)
{
	const char *k;
	json_t *v;

	json_object_foreach (o, k, v) {
		const char *const *p;

		for (p = keys; *p && strcmp(*p, k); p++)
			;
		if (!*p)
			return fail(err, errlen, id, "未知的键“%s”", k);
	}
	return 0;
}

static int parse_field(const struct metric_source *s, json_t *o, const char *key, const struct metric_field **out,
		       int want_date, char *err, size_t errlen, const char *id)
{
	const char *name = json_string_value(json_object_get(o, key));

	*out = name ? metric_field_find(s, name) : NULL;
	if (!*out)
		return fail(err, errlen, id, "%s 应为来源“%s”的字段名", key, s->name);
	if (want_date && (*out)->type != MF_DATE)
		return fail(err, errlen, id, "%s 应为日期字段", key);
	return 0;
}

static int parse_records(struct metric_def *d, json_t *spec, int sum, char *err, size_t errlen)
{
	static const char *const keys[] = { "source", "date", "where", "org", "field", "open_at_start", NULL };
	const char *k;
	json_t *v, *where = json_object_get(spec, "where"), *open = json_object_get(spec, "open_at_start");
	const char *org = json_string_value(json_object_get(spec, "org"));

	if (!json_is_object(spec) || only_keys(spec, keys, err, errlen, d->id) < 0)
		return err[0] ? -1 : fail(err, errlen, d->id, "count/sum 应为对象");
	d->source = metric_source_find(json_string_value(json_object_get(spec, "source")));
	if (!d->source)
		return fail(err, errlen, d->id, "未知的数据来源");
	if (open) {
		if (parse_field(d->source, open, "start", &d->open_start, 1, err, errlen, d->id) < 0 ||
		    parse_field(d->source, open, "end", &d->open_end, 1, err, errlen, d->id) < 0)
			return -1;
	} else if (parse_field(d->source, spec, "date", &d->date, 1, err, errlen, d->id) < 0) {
		return -1;
	}
	if (sum && parse_field(d->source, spec, "field", &d->sum_field, 0, err, errlen, d->id) < 0)
		return -1;
	if (org && strcmp(org, "self") && strcmp(org, "subtree"))
		return fail(err, errlen, d->id, "org 应为 self 或 subtree");
	d->org_self = org && !strcmp(org, "self");
	json_object_foreach (where, k, v) {
		const struct metric_field *f = metric_field_find(d->source, k);

		if (!f)
			return fail(err, errlen, d->id, "where 中的字段“%s”不存在", k);
		if (d->nwhere == METRIC_MAX_WHERE)
			return fail(err, errlen, d->id, "where 条件过多");
		if (!json_is_string(v) && !json_is_integer(v) && !json_is_array(v))
			return fail(err, errlen, d->id, "where.%s 应为文本、整数或数组", k);
		d->where[d->nwhere].field = f;
		d->where[d->nwhere].value = v;
		d->nwhere++;
		if (!strcmp(k, "kind") && json_is_string(v))
			d->kind_filter = json_string_value(v);
	}
	return 0;
}

static int parse_def(struct metric_def *d, json_t *m, char *err, size_t errlen)
{
	static const char *const keys[] = { "id", "name", "unit", "count", "sum", "ratio", "sum_of", NULL };
	json_t *ratio = json_object_get(m, "ratio"), *parts = json_object_get(m, "sum_of"), *p;
	size_t i;

	d->id = dup(json_string_value(json_object_get(m, "id")));
	d->name = dup(json_string_value(json_object_get(m, "name")));
	d->unit = dup(json_string_value(json_object_get(m, "unit")));
	if (!*d->id || !*d->name || !*d->unit)
		return fail(err, errlen, d->id, "须有 id、name 和 unit");
	if (only_keys(m, keys, err, errlen, d->id) < 0)
		return -1;
	if (json_object_get(m, "count")) {
		d->kind = METRIC_COUNT;
		return parse_records(d, json_object_get(m, "count"), 0, err, errlen);
	}
	if (json_object_get(m, "sum")) {
		d->kind = METRIC_SUM;
		return parse_records(d, json_object_get(m, "sum"), 1, err, errlen);
	}
	if (ratio) {
		static const char *const rkeys[] = { "numerator", "denominator", "percent", "round", "decimals", NULL };
		const char *round = json_string_value(json_object_get(ratio, "round"));

		d->kind = METRIC_RATIO;
		if (only_keys(ratio, rkeys, err, errlen, d->id) < 0)
			return -1;
		d->numerator = dup(json_string_value(json_object_get(ratio, "numerator")));
		d->denominator = dup(json_string_value(json_object_get(ratio, "denominator")));
		d->percent = json_is_true(json_object_get(ratio, "percent"));
		d->decimals = (int)json_integer_value(json_object_get(ratio, "decimals"));
		if (!round || (strcmp(round, "half_up") && strcmp(round, "truncate")))
			return fail(err, errlen, d->id, "round 应为 half_up 或 truncate");
		d->truncate = !strcmp(round, "truncate");
		if (d->decimals < 0 || d->decimals > 6)
			return fail(err, errlen, d->id, "decimals 应在0到6之间");
		return 0;
	}
	if (json_is_array(parts)) {
		d->kind = METRIC_SUM_OF;
		json_array_foreach (parts, i, p) {
			if (!json_is_string(p) || d->nparts == METRIC_MAX_PARTS)
				return fail(err, errlen, d->id, "sum_of 应为指标编号的数组(最多8个)");
			d->parts[d->nparts++] = dup(json_string_value(p));
		}
		return 0;
	}
	return fail(err, errlen, d->id, "须有 count、sum、ratio 或 sum_of 之一");
}

const struct metric_def *metric_find(const struct metric_catalog *c, const char *id)
{
	size_t i;

	for (i = 0; c && id && i < c->n; i++)
		if (!strcmp(c->defs[i].id, id))
			return &c->defs[i];
	return NULL;
}

/* References must exist, and a metric may not refer to itself through others. */
static int check_refs(const struct metric_catalog *c, const struct metric_def *d, int depth, char *err, size_t errlen)
{
	const char *refs[METRIC_MAX_PARTS + 2];
	size_t n = 0, i;

	if (depth > 8)
		return fail(err, errlen, d->id, "指标之间存在循环引用");
	if (d->kind == METRIC_RATIO) {
		refs[n++] = d->numerator;
		refs[n++] = d->denominator;
	}
	for (i = 0; d->kind == METRIC_SUM_OF && i < d->nparts; i++)
		refs[n++] = d->parts[i];
	for (i = 0; i < n; i++) {
		const struct metric_def *r = metric_find(c, refs[i]);

		if (!r)
			return fail(err, errlen, d->id, "引用的指标“%s”不存在", refs[i]);
		if (check_refs(c, r, depth + 1, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int metric_catalog_load(struct metric_catalog *c, char *err, size_t errlen)
{
	const struct embedded_file *f;
	json_error_t jerr;
	size_t cap = 0, i;
	json_t *m;

	memset(c, 0, sizeof(*c));
	c->docs = json_array();
	for (f = embedded_files; f->name; f++) {
		json_t *doc, *list;

		if (strncmp(f->name, "data/metrics/", 13) || !strstr(f->name, ".json"))
			continue;
		doc = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
		if (!doc) {
			snprintf(err, errlen, "%s 第%d行:%s", f->name, jerr.line, jerr.text);
			return -1;
		}
		json_array_append_new(c->docs, doc);
		list = json_object_get(doc, "metrics");
		json_array_foreach (list, i, m) {
			if (c->n == cap) {
				struct metric_def *more;

				cap = cap ? 2 * cap : 64;
				more = realloc(c->defs, cap * sizeof(*more));
				if (!more)
					abort();
				c->defs = more;
			}
			memset(&c->defs[c->n], 0, sizeof(c->defs[c->n]));
			c->n++;
			if (parse_def(&c->defs[c->n - 1], m, err, errlen) < 0)
				return -1;
			if (metric_find(c, c->defs[c->n - 1].id) != &c->defs[c->n - 1])
				return fail(err, errlen, c->defs[c->n - 1].id, "编号重复");
		}
	}
	for (i = 0; i < c->n; i++)
		if (check_refs(c, &c->defs[i], 0, err, errlen) < 0)
			return -1;
	return 0;
}

void metric_catalog_release(struct metric_catalog *c)
{
	size_t i, k;

	for (i = 0; i < c->n; i++) {
		struct metric_def *d = &c->defs[i];

		free(d->id);
		free(d->name);
		free(d->unit);
		free(d->numerator);
		free(d->denominator);
		for (k = 0; k < d->nparts; k++)
			free(d->parts[k]);
	}
	free(c->defs);
	json_decref(c->docs);
	memset(c, 0, sizeof(*c));
}

static struct metric_catalog global;
static int global_ok;
static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_load(void)
{
	char err[512];

	global_ok = metric_catalog_load(&global, err, sizeof(err)) == 0;
	if (!global_ok)
		log_error("metric catalogue: %s", err);
}

const struct metric_catalog *metric_catalog(void)
{
	pthread_once(&global_once, global_load);
	return global_ok ? &global : NULL;
}
