/*
 * Request body parsing and schema checking, done by the router before any
 * handler runs: Content-Type must be JSON, nesting depth is bounded before
 * jansson sees the text, duplicate keys are rejected, and the object must
 * match the route's body_field list (no unknown keys, right types, required
 * keys present, lengths in characters within bounds, validators pass).
 * Every problem is reported per field in Chinese.
 */
#include <stdio.h>
#include <string.h>

#include "body.h"
#include "core/banned.h"

#define BODY_MAX_DEPTH 16

/* Deepest nesting of [ and { outside strings; stops counting past max. */
static int json_depth_exceeds(const char *s, size_t n, int max)
{
	int depth = 0, in_str = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '[' || c == '{') {
			if (++depth > max)
				return 1;
		} else if (c == ']' || c == '}')
			depth--;
	}
	return 0;
}

/* Number of UTF-8 code points (jansson has already validated the bytes). */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static const char *type_name(enum field_type t)
{
	static const char *const names[] = { "文本", "整数", "布尔值", "整数数组", "文本数组", "对象数组", "对象" };

	return names[t];
}

static int in_list(const char *v, const char *const *values)
{
	for (; *values; values++)
		if (!strcmp(v, *values))
			return 1;
	return 0;
}

/* Check one present, non-null value; returns a message or NULL. */
static const char *check_value(struct request *req, const struct body_field *f, json_t *v)
{
	size_t i, n;
	json_t *item;

	switch (f->type) {
	case FIELD_STRING: {
		const char *s;

		if (!json_is_string(v))
			break;
		s = json_string_value(v);
		n = utf8_chars(s);
		if ((int64_t)n < f->min) {
			if (f->min == 1)
				return arena_printf(&req->arena, "%s不能为空", f->label);
			return arena_printf(&req->arena, "%s至少需要%lld个字符", f->label, (long long)f->min);
		}
		if (f->max && (int64_t)n > f->max)
			return arena_printf(&req->arena, "%s不能超过%lld个字符", f->label, (long long)f->max);
		if (f->values && !in_list(s, f->values))
			return arena_printf(&req->arena, "%s的取值“%s”不在允许范围内", f->label, s);
		return f->check ? f->check(s) : NULL;
	}
	case FIELD_INT:
		if (!json_is_integer(v))
			break;
		if (json_integer_value(v) < f->min || json_integer_value(v) > f->max)
			return arena_printf(&req->arena, "%s应在%lld到%lld之间", f->label, (long long)f->min,
					    (long long)f->max);
		return NULL;
	case FIELD_BOOL:
		return json_is_boolean(v) ? NULL : arena_printf(&req->arena, "%s应为布尔值", f->label);
	case FIELD_OBJECT:
		return json_is_object(v) ? NULL : arena_printf(&req->arena, "%s应为对象", f->label);
	case FIELD_INT_ARRAY:
	case FIELD_STRING_ARRAY:
	case FIELD_OBJECT_ARRAY:
		if (!json_is_array(v))
			break;
		n = json_array_size(v);
		if ((int64_t)n < f->min || (f->max && (int64_t)n > f->max))
			return arena_printf(&req->arena, "%s的项数应在%lld到%lld之间", f->label, (long long)f->min,
					    (long long)f->max);
		json_array_foreach (v, i, item) {
			if (f->type == FIELD_OBJECT_ARRAY ? !json_is_object(item)
			    : f->type == FIELD_INT_ARRAY  ? !json_is_integer(item)
							  : !json_is_string(item))
				return arena_printf(&req->arena, "%s的每一项都应为%s", f->label,
						    f->type == FIELD_OBJECT_ARRAY ? "对象"
						    : f->type == FIELD_INT_ARRAY  ? "整数"
										  : "文本");
			if (f->type == FIELD_STRING_ARRAY && f->values && !in_list(json_string_value(item), f->values))
				return arena_printf(&req->arena, "%s含有不允许的取值“%s”", f->label,
						    json_string_value(item));
		}
		return NULL;
	}
	return arena_printf(&req->arena, "%s应为%s", f->label, type_name(f->type));
}

int body_validate(struct request *req, const struct body_field *fields)
{
	json_t *errors = json_object();
	const struct body_field *f;
	const char *key, *first = NULL;
	json_t *v;

	json_object_foreach (req->json, key, v) {
		for (f = fields; f && f->name; f++)
			if (!strcmp(f->name, key))
				break;
		if (!f || !f->name) {
			const char *m = arena_printf(&req->arena, "不支持的字段“%s”", key);

			json_object_set_new(errors, key, json_string(m));
			first = first ? first : m;
		}
	}
	for (f = fields; f && f->name; f++) {
		const char *m = NULL;

		v = json_object_get(req->json, f->name);
		if (!v || json_is_null(v)) {
			if (f->required)
				m = arena_printf(&req->arena, "%s为必填项", f->label);
		} else {
			m = check_value(req, f, v);
		}
		if (m) {
			json_object_set_new(errors, f->name, json_string(m));
			first = first ? first : m;
		}
	}
	if (json_object_size(errors) == 0) {
		json_decref(errors);
		return 0;
	}
	return api_error(req, "VALIDATION_FAILED", first, json_pack("{s:o}", "fields", errors));
}

int body_parse(struct request *req)
{
	json_error_t jerr;
	const char *ct = req->content_type;

	if (!ct || strncmp(ct, "application/json", 16) || (ct[16] && ct[16] != ';' && ct[16] != ' '))
		return api_error(req, "UNSUPPORTED_MEDIA_TYPE", NULL, NULL);
	if (json_depth_exceeds(req->body, req->body_len, BODY_MAX_DEPTH))
		return api_error(req, "INVALID_JSON", "请求体 JSON 嵌套层级过深", NULL);
	req->json = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req->json) {
		const char *msg =
		    strstr(jerr.text, "duplicate")
			? "请求体 JSON 含有重复的字段名"
			: arena_printf(&req->arena, "请求体不是合法的 JSON(第%d行第%d列)", jerr.line, jerr.column);

		return api_error(req, "INVALID_JSON", msg, NULL);
	}
	if (!json_is_object(req->json))
		return api_error(req, "INVALID_JSON", "请求体应为 JSON 对象", NULL);
	if (req->route && (req->route->flags & ROUTE_BODY_BY_HANDLER))
		return 0;
	return body_validate(req, req->route ? req->route->body : NULL);
}
