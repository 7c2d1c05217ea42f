/* Accessors over struct request: path/query parameters, body, session. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "core/util.h"
#include "core/banned.h"

const char *req_param(struct request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nparams; i++)
		if (!strcmp(req->param_names[i], name))
			return req->param_values[i];
	return NULL;
}

int req_param_id(struct request *req, const char *name, int64_t *out)
{
	const char *v = req_param(req, name);

	if (!v || parse_int64_cstr(v, out) < 0 || *out <= 0)
		return api_error(req, "NOT_FOUND", NULL, NULL);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into the arena ('+' is a space in query strings). */
static char *url_decode(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (s[i] == '+') {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

const char *req_query(struct request *req, const char *name)
{
	const char *p = req->query;
	size_t nl = strlen(name);

	while (p && *p) {
		const char *amp = strchr(p, '&');
		const char *end = amp ? amp : p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));
		const char *kend = eq ? eq : end;

		if ((size_t)(kend - p) == nl && !memcmp(p, name, nl))
			return eq ? url_decode(&req->arena, eq + 1, (size_t)(end - eq - 1)) : "";
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

void req_paging(struct request *req, int64_t *limit, int64_t *offset, int64_t *page)
{
	int64_t p = 1, size = 20;
	const char *v;

	v = req_query(req, "page");
	if (v && (parse_int64_cstr(v, &p) < 0 || p < 1))
		p = 1;
	v = req_query(req, "page_size");
	if (v && (parse_int64_cstr(v, &size) < 0 || size < 1))
		size = 20;
	if (size > 200)
		size = 200;
	if (p > 1000000)
		p = 1000000;
	*limit = size;
	*offset = (p - 1) * size;
	if (page)
		*page = p;
}

const char *body_str(struct request *req, const char *name)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int body_has(struct request *req, const char *name)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;

	return v && !json_is_null(v);
}

int64_t body_int(struct request *req, const char *name, int64_t def)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_boolean(v))
		return json_is_true(v);
	return def;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int session_has_perm(const struct session *s, const char *perm)
{
	return s && bsearch(&perm, s->perms, s->nperms, sizeof(*s->perms), cmp_str) != NULL;
}

const char *session_scope_pattern(struct request *req)
{
	const struct session *s = req->session;

	switch (s->scope) {
	case SCOPE_ALL:
		return arena_printf(&req->arena, "%s%%", s->tenant_path);
	case SCOPE_SUBTREE:
		return arena_printf(&req->arena, "%s%%", s->org_path);
	case SCOPE_ORG:
	case SCOPE_SELF:
		break;
	}
	return s->org_path; /* no wildcard: exactly the own org */
}

int session_can_see_path(const struct session *s, const char *path)
{
	switch (s->scope) {
	case SCOPE_ALL:
		return !strncmp(path, s->tenant_path, strlen(s->tenant_path));
	case SCOPE_SUBTREE:
		return !strncmp(path, s->org_path, strlen(s->org_path));
	case SCOPE_ORG:
	case SCOPE_SELF:
		break;
	}
	return !strcmp(path, s->org_path);
}

int64_t session_tenant_id(const struct session *s)
{
	int64_t id = 0;
	const char *p = s->tenant_path + 1;
	size_t n = strcspn(p, "/");

	if (s->tenant_path[0] != '/' || parse_int64(p, n, &id) < 0)
		return 0;
	return id;
}

void req_audit_object(struct request *req, const char *type, int64_t id)
{
	req->audit_object_type = type;
	if (id > 0)
		snprintf(req->audit_object_id, sizeof(req->audit_object_id), "%lld", (long long)id);
}
