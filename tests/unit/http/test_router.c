/* Unit tests for src/http: route matching and policy order, JSON body
 * parsing and schema checks, error table, replies read after the commit, one
 * snapshot per read. Runs the router in-process on a small route table of its
 * own, with a real SQLite database for the audit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/crypto.h"
#include "db/db.h"
#include "db/migrate.h"
#include "http/body.h"
#include "http/router.h"

static int calls;

static int h_echo(struct request *req)
{
	calls++;
	req->reply = json_pack("{s:s,s:s}", "id", req_param(req, "id") ? req_param(req, "id") : "", "sub",
			       req_param(req, "sub") ? req_param(req, "sub") : "");
	return 0;
}

static int h_fail(struct request *req)
{
	calls++;
	return api_error(req, "CONFLICT", "冲突了", NULL);
}

static int after_calls, after_in_tx;

/* A reply read after the commit: the setting the write made, or NULL for a failed read. */
static json_t *read_back(struct request *req)
{
	char v[32];

	after_calls++;
	after_in_tx = db_in_transaction(req->db);
	if (req->after_commit_id == 0 ||
	    db_query_text(req->db, v, sizeof(v), "SELECT value FROM setting WHERE key = 't.after'") != DB_ROW)
		return NULL;
	return json_pack("{s:I,s:s}", "id", (json_int_t)req->after_commit_id, "value", v);
}

static int h_write_then_read(struct request *req)
{
	const char *id = req_param(req, "id");

	calls++;
	if (db_exec(req->db, "INSERT INTO setting (key, value, updated_at) VALUES ('t.after', 'committed', 0)"
			     " ON CONFLICT (key) DO UPDATE SET value = excluded.value") < 0)
		return api_error(req, "INTERNAL", NULL, NULL);
	req->reply_after_commit = read_back;
	req->after_commit_id = atoi(id);
	req->status = 201;
	return *id == '9' ? api_error(req, "CONFLICT", "冲突了", NULL) : 0;
}

static struct db *db, *other; /* other: a second connection, as another worker or process would write */
static int other_writes;

static int count_snapshot_rows(struct db *d, int64_t *n)
{
	return db_query_int(d, n, "SELECT COUNT(*) FROM setting WHERE key LIKE 't.snap.%'") == DB_ROW ? 0 : -1;
}

/* Counts, lets another connection commit a row, counts again: both counts in the reply. */
static int h_snapshot(struct request *req)
{
	int64_t first = -1, second = -1;
	char key[32];

	calls++;
	snprintf(key, sizeof(key), "t.snap.%d", ++other_writes);
	if (count_snapshot_rows(req->db, &first) < 0 ||
	    db_exec(other, "INSERT INTO setting (key, value, updated_at) VALUES ($1, 'x', 0)", db_text(key)) < 0 ||
	    count_snapshot_rows(req->db, &second) < 0)
		return api_error(req, "INTERNAL", NULL, NULL);
	req->reply = json_pack("{s:I,s:I}", "first", (json_int_t)first, "second", (json_int_t)second);
	return *req_param(req, "how") == 'f' ? api_error(req, "CONFLICT", "冲突了", NULL) : 0;
}

static const char *const colours[] = { "red", "green", NULL };

static const struct body_field demo_body[] = {
	{ "name", FIELD_STRING, 1, 2, 5, "名称", NULL, NULL },
	{ "n", FIELD_INT, 0, 1, 10, "数量", NULL, NULL },
	{ "colour", FIELD_STRING, 0, 1, 10, "颜色", NULL, colours },
	{ "ids", FIELD_INT_ARRAY, 0, 0, 3, "编号", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct route test_routes[] = {
	{ HTTP_GET, "/t/items/{id}", h_echo, NULL, ROUTE_PUBLIC, NULL, NULL },
	{ HTTP_GET, "/t/items/{id}/parts/{sub}", h_echo, NULL, ROUTE_PUBLIC, NULL, NULL },
	{ HTTP_POST, "/t/items", h_echo, NULL, ROUTE_PUBLIC | ROUTE_JSON, demo_body, NULL },
	{ HTTP_POST, "/t/fail", h_fail, NULL, ROUTE_PUBLIC | ROUTE_TX | ROUTE_AUDIT, NULL, "test.fail" },
	{ HTTP_GET, "/t/private", h_echo, "x.read", 0, NULL, NULL },
	{ HTTP_POST, "/t/after/{id}", h_write_then_read, NULL, ROUTE_PUBLIC | ROUTE_TX, NULL, NULL },
	{ HTTP_GET, "/t/snapshot/{how}", h_snapshot, NULL, ROUTE_PUBLIC, NULL, NULL },
	{ HTTP_POST, "/t/snapshot/{how}", h_snapshot, NULL, ROUTE_PUBLIC | ROUTE_READ, NULL, NULL },
};

static const struct module test_module = { "test", test_routes, sizeof(test_routes) / sizeof(test_routes[0]) };
static const struct module *const test_modules[] = { &test_module, NULL };

static char dir[64];

static void req_init(struct request *req, int method, const char *path, const char *body)
{
	memset(req, 0, sizeof(*req));
	arena_init(&req->arena);
	req->db = db;
	req->method = method;
	req->path = path;
	req->body = body;
	req->body_len = body ? strlen(body) : 0;
	req->content_type = "application/json";
	snprintf(req->client_ip, sizeof(req->client_ip), "127.0.0.1");
}

static void req_free(struct request *req)
{
	json_decref(req->json);
	json_decref(req->reply);
	json_decref(req->err_details);
	arena_release(&req->arena);
}

static void test_match_params(void **state)
{
	struct request req;

	(void)state;
	req_init(&req, HTTP_GET, "/t/items/42/parts/abc", NULL);
	router_dispatch(&req);
	assert_int_equal(req.status, 200);
	assert_string_equal(json_string_value(json_object_get(req.reply, "id")), "42");
	assert_string_equal(json_string_value(json_object_get(req.reply, "sub")), "abc");
	req_free(&req);

	req_init(&req, HTTP_GET, "/t/items/", NULL); /* empty parameter */
	router_dispatch(&req);
	assert_int_equal(req.status, 404);
	assert_string_equal(req.err_code, "NOT_FOUND");
	req_free(&req);

	req_init(&req, HTTP_DELETE, "/t/items/1", NULL);
	router_dispatch(&req);
	assert_int_equal(req.status, 405);
	req_free(&req);

	req_init(&req, HTTP_HEAD, "/t/items/7", NULL); /* HEAD runs the GET route */
	router_dispatch(&req);
	assert_int_equal(req.status, 200);
	req_free(&req);
}

static void test_session_required(void **state)
{
	struct request req;
	int before = calls;

	(void)state;
	req_init(&req, HTTP_GET, "/t/private", NULL);
	router_dispatch(&req);
	assert_int_equal(req.status, 401);
	assert_string_equal(req.err_code, "UNAUTHENTICATED");
	assert_int_equal(calls, before); /* handler never ran */
	req_free(&req);
}

/* Run a POST /t/items with body and content type; return the request for checks. */
static void post_items(struct request *req, const char *body, const char *ct)
{
	req_init(req, HTTP_POST, "/t/items", body);
	req->content_type = ct;
	router_dispatch(req);
}

static const char *field_msg(struct request *req, const char *field)
{
	json_t *fields = json_object_get(req->err_details, "fields");

	return json_string_value(json_object_get(fields, field));
}

static void test_body_checks(void **state)
{
	struct request req;
	char deep[200];
	int i;

	(void)state;
	post_items(&req, "{\"name\":\"西塘\",\"n\":3,\"ids\":[1,2]}", "application/json; charset=utf-8");
	assert_int_equal(req.status, 200);
	req_free(&req);

	post_items(&req, "{\"name\":\"西塘\"}", "text/plain");
	assert_int_equal(req.status, 415);
	req_free(&req);

	post_items(&req, "{\"name\":", "application/json");
	assert_int_equal(req.status, 400);
	assert_string_equal(req.err_code, "INVALID_JSON");
	req_free(&req);

	post_items(&req, "{\"name\":\"ab\",\"name\":\"cd\"}", "application/json");
	assert_string_equal(req.err_code, "INVALID_JSON");
	assert_string_equal(req.err_message, "请求体 JSON 含有重复的字段名");
	req_free(&req);

	post_items(&req, "[1,2]", "application/json");
	assert_string_equal(req.err_message, "请求体应为 JSON 对象");
	req_free(&req);

	for (i = 0; i < 40; i++)
		deep[i] = '[';
	deep[40] = '\0';
	post_items(&req, deep, "application/json");
	assert_string_equal(req.err_message, "请求体 JSON 嵌套层级过深");
	req_free(&req);

	/* Lengths count characters, not bytes: five Chinese characters fit max 5. */
	post_items(&req, "{\"name\":\"嘉善县西塘\"}", "application/json");
	assert_int_equal(req.status, 200);
	req_free(&req);

	post_items(&req, "{\"name\":\"嘉善县西塘镇\",\"n\":11,\"colour\":\"blue\",\"ids\":[1,\"x\"],\"extra\":1}",
		   "application/json");
	assert_int_equal(req.status, 400);
	assert_string_equal(req.err_code, "VALIDATION_FAILED");
	assert_string_equal(field_msg(&req, "name"), "名称不能超过5个字符");
	assert_string_equal(field_msg(&req, "n"), "数量应在1到10之间");
	assert_string_equal(field_msg(&req, "colour"), "颜色的取值“blue”不在允许范围内");
	assert_string_equal(field_msg(&req, "ids"), "编号的每一项都应为整数");
	assert_string_equal(field_msg(&req, "extra"), "不支持的字段“extra”");
	req_free(&req);

	post_items(&req, "{\"n\":\"3\"}", "application/json");
	assert_string_equal(field_msg(&req, "name"), "名称为必填项");
	assert_string_equal(field_msg(&req, "n"), "数量应为整数");
	req_free(&req);
}

static void test_failed_write_rolls_back_and_is_audited(void **state)
{
	struct request req;
	int64_t n = 0;
	char *out;
	size_t len;

	(void)state;
	req_init(&req, HTTP_POST, "/t/fail", NULL);
	router_dispatch(&req);
	assert_int_equal(req.status, 409);
	assert_false(db_in_transaction(db));
	out = router_render(&req, &len);
	assert_string_equal(out, "{\"error\":{\"code\":\"CONFLICT\",\"message\":\"冲突了\",\"details\":null}}");
	free(out);
	req_free(&req);
	assert_int_equal(db_query_int(db, &n,
				      "SELECT COUNT(*) FROM audit_log WHERE action = 'test.fail'"
				      " AND result = 'failure' AND detail LIKE 'CONFLICT%'"),
			 DB_ROW);
	assert_int_equal(n, 1);
}

static void test_reply_after_commit(void **state)
{
	struct request req;
	char *out;
	size_t len;

	(void)state;
	/* Built by router_render, after the commit, from what was committed. */
	after_calls = 0;
	req_init(&req, HTTP_POST, "/t/after/5", NULL);
	router_dispatch(&req);
	assert_int_equal(after_calls, 0);
	assert_false(db_in_transaction(db));
	out = router_render(&req, &len);
	assert_int_equal(after_calls, 1);
	assert_false(after_in_tx);
	assert_int_equal(req.status, 201);
	assert_string_equal(out, "{\"id\":5,\"value\":\"committed\"}");
	free(out);
	free(router_render(&req, &len)); /* once only */
	assert_int_equal(after_calls, 1);
	req_free(&req);

	/* The write is durable even when the read fails: the reply still names it. */
	req_init(&req, HTTP_POST, "/t/after/0", NULL);
	router_dispatch(&req);
	out = router_render(&req, &len);
	assert_string_equal(out, "{\"id\":0}");
	assert_int_equal(req.status, 201);
	free(out);
	req_free(&req);

	/* A failed request gets its error; nothing is read. */
	after_calls = 0;
	req_init(&req, HTTP_POST, "/t/after/9", NULL);
	router_dispatch(&req);
	out = router_render(&req, &len);
	assert_int_equal(after_calls, 0);
	assert_int_equal(req.status, 409);
	assert_non_null(strstr(out, "CONFLICT"));
	free(out);
	req_free(&req);
}

/*
 * A read (a GET, a ROUTE_READ POST) sees one snapshot however many statements
 * it runs; it ends with the request, failed or not.
 */
static void test_read_is_one_snapshot(void **state)
{
	static const struct {
		int method;
		const char *path;
		int status;
	} reads[] = {
		{ HTTP_GET, "/t/snapshot/ok", 200 },
		{ HTTP_GET, "/t/snapshot/fail", 409 },
		{ HTTP_POST, "/t/snapshot/ok", 200 },
	};
	struct request req;
	int64_t n;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		req_init(&req, reads[i].method, reads[i].path, NULL);
		router_dispatch(&req);
		assert_int_equal(req.status, reads[i].status);
		if (reads[i].status == 200) {
			assert_int_equal(json_integer_value(json_object_get(req.reply, "first")), 0);
			assert_int_equal(json_integer_value(json_object_get(req.reply, "second")), 0);
		}
		assert_false(db_in_transaction(db));
		assert_int_equal(count_snapshot_rows(db, &n), 0);
		assert_int_equal(n, 1); /* the other connection's row, once the read has ended */
		req_free(&req);
		assert_int_equal(db_exec(db, "DELETE FROM setting WHERE key LIKE 't.snap.%'"), 0);
	}
}

static void test_error_table(void **state)
{
	(void)state;
	assert_int_equal(api_error_status("UNAUTHENTICATED"), 401);
	assert_int_equal(api_error_status("CSRF_FAILED"), 403);
	assert_int_equal(api_error_status("PAYLOAD_TOO_LARGE"), 413);
	assert_int_equal(api_error_status("NO_SUCH_CODE"), 500);
	assert_string_equal(api_error_message("NOT_FOUND"), "请求的资源不存在");
	assert_int_equal(http_method_of("PATCH"), HTTP_PATCH);
	assert_int_equal(http_method_of("TRACE"), 0);
}

static int setup(void **state)
{
	char path[128], err[256];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/fazhi-router-XXXXXX");
	if (!mkdtemp(dir) || crypto_setup() < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(&db, path, err, sizeof(err)) < 0 || migrate_apply(db, err, sizeof(err)) < 0 ||
	    db_open(&other, path, err, sizeof(err)) < 0)
		return -1;
	return router_init(test_modules);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	db_close(other);
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_params), cmocka_unit_test(test_session_required),
		cmocka_unit_test(test_body_checks),  cmocka_unit_test(test_failed_write_rolls_back_and_is_audited),
		cmocka_unit_test(test_error_table),  cmocka_unit_test(test_reply_after_commit),
		cmocka_unit_test(test_read_is_one_snapshot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
