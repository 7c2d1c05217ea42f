/* Unit tests for src/core: arena, buf, integer parsing, settings table, crypto. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/crypto.h"
#include "core/timeutil.h"
#include "core/util.h"

static void test_arena_alignment_and_big_blocks(void **state)
{
	struct arena a;
	char *small, *big, *after;
	int i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < 1000; i++) {
		void *p = arena_alloc(&a, (size_t)i % 37 + 1);

		assert_int_equal((uintptr_t)p % 16, 0);
	}
	small = arena_strdup(&a, "小");
	big = arena_zalloc(&a, 3 * 1024 * 1024);
	assert_int_equal(big[3 * 1024 * 1024 - 1], 0);
	after = arena_printf(&a, "%s-%d", "案件", 42);
	assert_string_equal(after, "案件-42");
	assert_string_equal(small, "小");
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_null(arena_strdup(&a, NULL));
	arena_release(&a);
}

static void test_buf_limit(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_string_equal(b.p, "");
	assert_int_equal(buf_puts(&b, "1234"), 0);
	assert_int_equal(buf_printf(&b, "%d", 567), 0);
	assert_string_equal(b.p, "1234567");
	/* Past max: refused, buffer unchanged. */
	assert_int_equal(buf_puts(&b, "89"), -1);
	assert_string_equal(b.p, "1234567");
	assert_int_equal(buf_putc(&b, '8'), 0);
	assert_int_equal(b.len, 8);
	buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
}

static void test_parse_int64(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(parse_int64_cstr("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_int64_cstr("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse_int64_cstr("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64_cstr("9223372036854775808", &v), -1);
	assert_int_equal(parse_int64_cstr("", &v), -1);
	assert_int_equal(parse_int64_cstr("-", &v), -1);
	assert_int_equal(parse_int64_cstr("12a", &v), -1);
	assert_int_equal(parse_int64_cstr(" 1", &v), -1);
	assert_int_equal(parse_int64_cstr(NULL, &v), -1);
}

/* A writable argv, as main() receives it (string literals are const here). */
static char **make_argv(const char *const *words)
{
	static char store[16][64];
	static char *argv[16];
	int i;

	for (i = 0; words[i] && i < 15; i++) {
		snprintf(store[i], sizeof(store[i]), "%s", words[i]);
		argv[i] = store[i];
	}
	argv[i] = NULL;
	return argv;
}

static void test_conf_precedence(void **state)
{
	char path[] = "/tmp/fazhi-conf-XXXXXX";
	char err[512];
	char **argv = make_argv((const char *const[]){ "serve", "--listen", "127.0.0.1:9000", "--demo", "extra", NULL });
	int argc = 5, fd;
	struct conf c;
	FILE *f;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# comment\nworkers = 7\nlisten = 127.0.0.1:7000\ndb = /tmp/from-file.db\n", f);
	fclose(f);
	setenv("FAZHI_CONFIG", path, 1);
	setenv("FAZHI_DB", "/tmp/from-env.db", 1);
	assert_int_equal(conf_load(&c, &argc, argv, (const char *const[]){ "--demo", NULL }, err, sizeof(err)), 0);
	assert_int_equal(c.workers, 7);                    /* file */
	assert_string_equal(c.db, "/tmp/from-env.db");     /* env beats file */
	assert_string_equal(c.listen, "127.0.0.1:9000");   /* flag beats file */
	assert_int_equal(c.max_body, 1048576);             /* default */
	assert_int_equal(argc, 3);                         /* serve --demo extra */
	assert_string_equal(argv[1], "--demo");
	conf_release(&c);
	unsetenv("FAZHI_DB");

	/* Unknown key in the file: an error naming the line. */
	f = fopen(path, "a");
	fputs("colour = blue\n", f);
	fclose(f);
	argc = 1;
	assert_int_equal(conf_load(&c, &argc, argv, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "未知配置项“colour”"));
	assert_non_null(strstr(err, "第 5 行"));
	conf_release(&c);
	unsetenv("FAZHI_CONFIG");
	unlink(path);
}

static void test_conf_rejects_bad_values(void **state)
{
	char err[512];
	char **argv;
	int argc;
	struct conf c;

	(void)state;
	argv = make_argv((const char *const[]){ "serve", "--workers", "0", NULL });
	argc = 3;
	assert_int_equal(conf_load(&c, &argc, argv, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "workers"));
	conf_release(&c);
	argv = make_argv((const char *const[]){ "serve", "--listen", "nowhere", NULL });
	argc = 3;
	assert_int_equal(conf_load(&c, &argc, argv, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "主机:端口"));
	conf_release(&c);
	argv = make_argv((const char *const[]){ "serve", "--no-such-flag", NULL });
	argc = 2;
	assert_int_equal(conf_load(&c, &argc, argv, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "未知选项 --no-such-flag"));
	conf_release(&c);
}

static void test_sm3_known_answer(void **state)
{
	unsigned char h[SM3_LEN];
	char hex[SM3_HEX_LEN + 1];
	struct sm3_ctx *c;

	(void)state;
	/* GB/T 32905 example 1. */
	sm3("abc", 3, h);
	hex_encode(h, SM3_LEN, hex);
	assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
	c = sm3_new();
	sm3_update(c, "a", 1);
	sm3_update(c, "bc", 2);
	sm3_final(c, h);
	hex_encode(h, SM3_LEN, hex);
	assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

static void test_password_hash_real_parameters(void **state)
{
	char h[PASSWORD_HASH_MAX];

	(void)state;
	password_set_fast(0);
	assert_int_equal(password_hash("Correct#Horse9", h), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_non_null(strstr(h, "m=65536"));
	assert_int_equal(password_verify(h, "Correct#Horse9"), 0);
	assert_int_equal(password_verify(h, "correct#Horse9"), -1);
	assert_int_equal(password_verify("garbage", "x"), -1);
}

static void test_random_password_classes(void **state)
{
	char pw[15];
	int i;

	(void)state;
	for (i = 0; i < 200; i++) {
		int up = 0, lo = 0, dg = 0, sy = 0;
		const char *p;

		random_password(pw, 14);
		assert_int_equal(strlen(pw), 14);
		for (p = pw; *p; p++) {
			up |= *p >= 'A' && *p <= 'Z';
			lo |= *p >= 'a' && *p <= 'z';
			dg |= *p >= '0' && *p <= '9';
			sy |= strchr("@#%+=!?", *p) != NULL;
			assert_null(strchr("O0Il1", *p));
		}
		assert_true(up && lo && dg && sy);
	}
}

static void test_token_is_random_hex(void **state)
{
	char a[65], b[65];

	(void)state;
	random_token_hex(a);
	random_token_hex(b);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_not_equal(a, b);
}

static void test_time_format_cst(void **state)
{
	char iso[26], short_[17];

	(void)state;
	/* 2021-10-01T00:00:00+08:00 is 2021-09-30T16:00:00Z = 1633017600. */
	time_format_iso(1633017600, iso);
	assert_string_equal(iso, "2021-10-01T00:00:00+08:00");
	time_format_short(1633017600 + 3600 + 120, short_);
	assert_string_equal(short_, "2021-10-01 01:02");
}

static void test_hostport(void **state)
{
	char host[64];
	int port;

	(void)state;
	assert_int_equal(conf_split_hostport("127.0.0.1:8080", host, sizeof(host), &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8080);
	assert_int_equal(conf_split_hostport("[::1]:80", host, sizeof(host), &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(conf_split_hostport("host:0", host, sizeof(host), &port), -1);
	assert_int_equal(conf_split_hostport("host:70000", host, sizeof(host), &port), -1);
	assert_int_equal(conf_split_hostport(":80", host, sizeof(host), &port), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alignment_and_big_blocks),
		cmocka_unit_test(test_buf_limit),
		cmocka_unit_test(test_parse_int64),
		cmocka_unit_test(test_conf_precedence),
		cmocka_unit_test(test_conf_rejects_bad_values),
		cmocka_unit_test(test_sm3_known_answer),
		cmocka_unit_test(test_password_hash_real_parameters),
		cmocka_unit_test(test_random_password_classes),
		cmocka_unit_test(test_token_is_random_hex),
		cmocka_unit_test(test_time_format_cst),
		cmocka_unit_test(test_hostport),
	};

	if (crypto_setup() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
