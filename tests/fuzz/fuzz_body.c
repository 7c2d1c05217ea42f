/*
 * Fuzz target: the JSON request path of every route that takes a JSON body
 * (body_parse and body_validate in src/http/body.c, with the route's own
 * body_field list and validators), over the real module tables
 * (src/domain/modules.c). Input: a first line "METHOD /pattern" naming the
 * route (any other first line picks a route by its hash), then the body.
 * The request is then rendered as the server would (router_render), and on
 * success every field is read back through the body accessors. The reply
 * writer (json_write) must give the bytes of json_dumps(JSON_COMPACT) for the
 * parsed body and for the error details.
 *
 * With FAZHI_FUZZ_SEEDS=DIR set, the binary instead writes one seed per
 * JSON route into DIR (a body with every field at a valid-looking value) and
 * exits: that is how tests/fuzz/corpus/body/ was made.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/modules.h"
#include "http/body.h"
#include "http/request.h"
#include "http/router.h"

#include "json_same.h"

#define CHECK(c) ((c) ? (void)0 : abort())
#define MAX_ROUTES 1024

static const struct route *routes[MAX_ROUTES];
static char names[MAX_ROUTES][160];
static size_t nroutes;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *method_name(int m)
{
	return m & HTTP_POST ? "POST" : m & HTTP_PUT ? "PUT" : m & HTTP_PATCH ? "PATCH" : m & HTTP_DELETE ? "DELETE" : "GET";
}

static void write_seeds(const char *dir)
{
	size_t i;

	for (i = 0; i < nroutes; i++) {
		const struct body_field *f;
		char path[4096];
		FILE *out;
		int first = 1;

		snprintf(path, sizeof(path), "%s/route-%03zu", dir, i);
		out = fopen(path, "w");
		if (!out)
			continue;
		fprintf(out, "%s\n{", names[i]);
		for (f = routes[i]->body; f && f->name; f++) {
			fprintf(out, "%s\"%s\":", first ? "" : ",", f->name);
			first = 0;
			switch (f->type) {
			case FIELD_STRING:
				if (f->values)
					fprintf(out, "\"%s\"", f->values[0]);
				else
					fprintf(out, "\"%s\"", f->min > 8 ? "测试测试测试测试测试测试" : "2026-03-05");
				break;
			case FIELD_INT:
				fprintf(out, "%lld", (long long)f->min);
				break;
			case FIELD_BOOL:
				fputs("true", out);
				break;
			case FIELD_INT_ARRAY:
				fputs("[1,2]", out);
				break;
			case FIELD_STRING_ARRAY:
				fprintf(out, "[\"%s\"]", f->values ? f->values[0] : "a");
				break;
			case FIELD_OBJECT_ARRAY:
				fputs("[{\"type\":\"person\",\"name\":\"王小明\"}]", out);
				break;
			case FIELD_OBJECT:
				fputs("{}", out);
				break;
			}
		}
		fputs("}", out);
		fclose(out);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct module *const *m;
	size_t i;
	const char *seeds = getenv("FAZHI_FUZZ_SEEDS");

	(void)argc;
	(void)argv;
	for (m = fazhi_modules; *m; m++)
		for (i = 0; i < (*m)->nroutes && nroutes < MAX_ROUTES; i++)
			if ((*m)->routes[i].flags & ROUTE_JSON) {
				routes[nroutes] = &(*m)->routes[i];
				snprintf(names[nroutes], sizeof(names[0]), "%s %s", method_name(routes[nroutes]->method),
					 routes[nroutes]->pattern);
				nroutes++;
			}
	CHECK(nroutes > 0);
	if (seeds) {
		write_seeds(seeds);
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - (const char *)data) : 0, i, len;
	const struct body_field *f;
	struct request req;
	unsigned h = 2166136261u;
	char *body, *out;

	memset(&req, 0, sizeof(req));
	arena_init(&req.arena);
	for (i = 0; i < head; i++)
		h = (h ^ data[i]) * 16777619u;
	req.route = routes[h % nroutes];
	for (i = 0; i < nroutes; i++)
		if (strlen(names[i]) == head && !memcmp(names[i], data, head))
			req.route = routes[i];
	req.method = req.route->method;
	req.path = req.route->pattern;
	req.content_type = (h & 7) == 7 ? "text/plain" : (h & 7) == 6 ? "application/json; charset=utf-8"
									: "application/json";
	/* The server hands handlers a NUL-terminated copy of the body. */
	len = nl ? size - head - 1 : size;
	body = malloc(len + 1);
	memcpy(body, nl ? nl + 1 : (const char *)data, len);
	body[len] = '\0';
	req.body = body;
	req.body_len = len;

	if (body_parse(&req) == 0) {
		CHECK(json_is_object(req.json));
		CHECK(!req.err_code);
		if (req.route->flags & ROUTE_BODY_BY_HANDLER)
			(void)body_validate(&req, req.route->body);
		for (f = req.route->body; f && f->name && !req.err_code; f++) {
			if (f->type == FIELD_STRING)
				(void)body_str(&req, f->name);
			else if (f->type == FIELD_INT)
				(void)body_int(&req, f->name, 0);
			(void)body_has(&req, f->name);
		}
	} else {
		CHECK(req.err_code && req.err_message && req.status >= 400);
	}
	check_same_as_jansson(req.json);
	check_same_as_jansson(req.err_details);
	out = router_render(&req, &len);
	CHECK(out && strlen(out) == len);
	free(out);
	json_decref(req.json);
	json_decref(req.reply);
	json_decref(req.err_details);
	arena_release(&req.arena);
	free(body);
	return 0;
}
