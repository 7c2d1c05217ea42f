/*
 * Fuzz target: the router (src/http/router.c) on the real module tables
 * (src/domain/modules.c) with a real, migrated SQLite database in a
 * temporary directory. Input, line by line: "METHOD path[?query]", then an
 * optional Cookie header value, then an optional X-CSRF-Token, then the
 * body (sent as application/json). Any method byte string that is not a
 * method picks one from its first byte.
 *
 * What the server guarantees before the router runs is kept: the path
 * starts with '/' and holds no NUL. Properties: router_dispatch always ends
 * with a status and either a reply or an error code of the table; no
 * transaction or statement is left open (as the worker checks);
 * router_route_flags agrees with the route the dispatch used; the reply
 * writer (json_write) gives the bytes of json_dumps(JSON_COMPACT) for the
 * parsed request body and for the reply.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/modules.h"
#include "http/request.h"
#include "http/router.h"

#include "json_same.h"

#define CHECK(c) ((c) ? (void)0 : abort())

static struct db *db;
static char tmpdir[64];

/* Remove the temporary database when libFuzzer exits. */
static void cleanup(void)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", ".key" };
	char path[128];
	size_t i;

	if (db)
		db_close(db);
	db = NULL;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, sizeof(path), "%s/fazhi.db%s", tmpdir, suffixes[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/fazhi-fuzz-router-XXXXXX", path[256], err[512];

	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR);
	CHECK(crypto_setup() == 0);
	password_set_fast(1);
	CHECK(mkdtemp(dir));
	snprintf(tmpdir, sizeof(tmpdir), "%s", dir);
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/fazhi.db", dir);
	CHECK(db_open(&db, path, err, sizeof(err)) == 0);
	CHECK(db_exec_script(db, "PRAGMA synchronous=OFF") == 0);
	CHECK(migrate_apply(db, err, sizeof(err)) >= 0);
	CHECK(router_init(fazhi_modules) == 0);
	return 0;
}

/* Next line of [*p, end) as a NUL-terminated arena copy; NULL at the end. */
static char *line(struct request *req, const char **p, const char *end)
{
	const char *nl;

	if (*p >= end)
		return NULL;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl)
		nl = end;
	{
		char *s = arena_strndup(&req->arena, *p, (size_t)(nl - *p));

		*p = nl < end ? nl + 1 : end;
		return s;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD" };
	const char *p = (const char *)data, *end = p + size, *sp, *q;
	struct request req;
	char *first, *body;
	size_t i, len;
	unsigned h = 2166136261u;
	int flags;

	if (memchr(data, '\0', size))
		return 0; /* the server refuses paths with NUL; headers cannot hold one */
	memset(&req, 0, sizeof(req));
	arena_init(&req.arena);
	req.db = db;
	first = line(&req, &p, end);
	if (!first)
		first = arena_strdup(&req.arena, "GET /");
	sp = strchr(first, ' ');
	if (sp) {
		char *m = arena_strndup(&req.arena, first, (size_t)(sp - first));

		req.method = http_method_of(m);
		first = (char *)sp + 1;
	}
	if (!req.method)
		req.method = http_method_of(methods[(unsigned char)first[0] % 6]);
	q = strchr(first, '?');
	if (q) {
		req.query = arena_strdup(&req.arena, q + 1);
		first[q - first] = '\0';
	}
	req.path = first[0] == '/' ? first : arena_printf(&req.arena, "/%s", first);
	req.cookie = line(&req, &p, end);
	req.csrf_header = line(&req, &p, end);
	len = (size_t)(end - p);
	body = arena_alloc(&req.arena, len + 1);
	memcpy(body, p, len);
	body[len] = '\0';
	req.body = len ? body : NULL;
	req.body_len = len;
	req.content_type = "application/json";
	/* Many client addresses, so the login rate limit does not end every run in 429. */
	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	snprintf(req.client_ip, sizeof(req.client_ip), "10.%u.%u.%u", h >> 24, (h >> 16) & 255, (h >> 8) & 255);

	flags = router_route_flags(req.method, req.path);
	router_dispatch(&req);
	CHECK(req.status >= 200 && req.status < 600);
	CHECK(req.err_code ? api_error_status(req.err_code) == req.status : req.status < 400);
	if (req.route)
		CHECK(flags == req.route->flags);
	CHECK(!db_in_transaction(db));
	CHECK(db_reset_busy(db) == 0);
	check_same_as_jansson(req.json);
	check_same_as_jansson(req.reply);
	{
		char *out = router_render(&req, &len);

		CHECK(out && strlen(out) == len);
		free(out);
	}
	json_decref(req.json);
	json_decref(req.reply);
	json_decref(req.err_details);
	arena_release(&req.arena);
	return 0;
}
