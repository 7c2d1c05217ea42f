/* Table lookups of the case engine: kinds, states, actions, outcomes, rules. Pure. */
#include <stdio.h>
#include <string.h>

#include "case.h"
#include "core/calendar.h"
#include "core/banned.h"

const struct case_kind *case_kind_find(const char *code)
{
	const struct case_kind *const *k;

	for (k = case_kinds; code && *k; k++)
		if (!strcmp((*k)->code, code))
			return *k;
	return NULL;
}

const struct case_state *case_state_find(const struct case_kind *k, const char *code)
{
	const struct case_state *s;

	for (s = k->states; s->code; s++)
		if (!strcmp(s->code, code))
			return s;
	return NULL;
}

const struct case_outcome *case_outcome_find(const struct case_kind *k, const char *code)
{
	const struct case_outcome *o;

	for (o = k->outcomes; code && o->code; o++)
		if (!strcmp(o->code, code))
			return o;
	return NULL;
}

const struct deadline_rule *case_rule_find(const struct case_kind *k, const char *code)
{
	const struct deadline_rule *r;

	for (r = k->rules; r->code; r++)
		if (!strcmp(r->code, code))
			return r;
	return NULL;
}

int case_action_allowed(const struct case_action *a, const char *state)
{
	size_t n = strlen(state);
	const char *p = a->from;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && !memcmp(p, state, n))
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

const struct case_action *case_action_find(const struct case_kind *k, const char *code)
{
	const struct case_action *a;

	for (a = k->actions; a->code; a++)
		if (!strcmp(a->code, code))
			return a;
	return NULL;
}

static json_t *field_json(const struct body_field *f)
{
	static const char *const types[] = { "string", "int", "bool", "int_array", "string_array" };
	json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "name", f->name, "label", f->label, "type", types[f->type],
			      "required", f->required);

	if (f->type == FIELD_STRING && f->max)
		json_object_set_new(o, "max_length", json_integer(f->max));
	if (f->type == FIELD_INT) {
		json_object_set_new(o, "min", json_integer(f->min));
		json_object_set_new(o, "max", json_integer(f->max));
	}
	if (f->values) {
		json_t *v = json_array();
		const char *const *p;

		for (p = f->values; *p; p++)
			json_array_append_new(v, json_string(*p));
		json_object_set_new(o, "values", v);
	}
	return o;
}

json_t *case_allowed_actions_json(const struct case_kind *k, const char *state)
{
	const struct case_action *a;
	json_t *out = json_array();

	for (a = k->actions; a->code; a++) {
		const struct body_field *f;
		json_t *fields;

		if (!case_action_allowed(a, state))
			continue;
		fields = json_array();
		for (f = a->body; f && f->name; f++)
			json_array_append_new(fields, field_json(f));
		json_array_append_new(out,
				      json_pack("{s:s,s:s,s:o}", "code", a->code, "name", a->name, "fields", fields));
	}
	return out;
}

const char *case_check_date(const char *value)
{
	int d;

	return date_parse(value, &d) < 0 ? "日期格式应为2021-03-05,且须是真实存在的日期" : NULL;
}

void case_format_number(char *out, size_t outlen, const char *abbr, const char *letter, int year, int64_t seq)
{
	snprintf(out, outlen, "%s%s〔%d〕%lld号", abbr, letter, year, (long long)seq);
}
