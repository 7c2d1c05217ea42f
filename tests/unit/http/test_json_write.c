/* Unit tests for src/http/json_write.c: the reply writer gives byte for byte
 * the text of json_dumps(JSON_COMPACT), which it replaced in router_render,
 * on hand-picked trees and on random ones from a fixed seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/json_write.h"

/* json_write(doc) and json_dumps(doc, JSON_COMPACT) are the same bytes; takes doc. */
static void same_as_jansson(json_t *doc)
{
	char *want, *got;
	size_t len = 0;

	assert_non_null(doc);
	want = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
	got = json_write(doc, &len);
	assert_non_null(want);
	assert_non_null(got);
	if (len != strlen(want) || memcmp(got, want, len) != 0)
		fail_msg("json_write: %s\njson_dumps: %s", got, want);
	assert_int_equal(got[len], '\0');
	free(want);
	free(got);
	json_decref(doc);
}

static void test_scalars_and_containers(void **state)
{
	(void)state;
	same_as_jansson(json_object());
	same_as_jansson(json_array());
	same_as_jansson(json_null());
	same_as_jansson(json_true());
	same_as_jansson(json_false());
	same_as_jansson(json_integer(0));
	same_as_jansson(json_integer(-1));
	same_as_jansson(json_integer(INT64_MAX));
	same_as_jansson(json_integer(INT64_MIN));
	same_as_jansson(json_integer(INT64_MIN + 1));
	same_as_jansson(json_pack("{s:i,s:[i,s,{}],s:{s:b,s:n,s:[]}}", "a", 1, "b", 2, "x", "c", "d", 0, "e", "f"));
	same_as_jansson(json_pack("[[],{},[[]],[{}],{s:{}},{s:[]},[n,b,b]]", "o", "a", 1, 0));
	same_as_jansson(json_pack("{s:I,s:I,s:f,s:[f,f]}", "min", (json_int_t)INT64_MIN, "max", (json_int_t)INT64_MAX,
				  "r", 15.86, "l", 0.1, -0.0));
}

static void test_key_order(void **state)
{
	json_t *o = json_object();

	(void)state;
	/* Insertion order, not sorted, and kept when a key is set again. */
	json_object_set_new(o, "z", json_integer(1));
	json_object_set_new(o, "a", json_integer(2));
	json_object_set_new(o, "m", json_integer(3));
	json_object_set_new(o, "z", json_integer(4));
	json_object_del(o, "a");
	json_object_set_new(o, "a", json_integer(5));
	same_as_jansson(o);
}

static void test_reals(void **state)
{
	static const double v[] = { 0.0, -0.0, 1.0, -1.0, 3.0, 0.1, 0.2, 0.3, 15.86, -2.5e-7, 1e21, 1e22, 1e300, -1e300,
				    1e-300, 1.5e-300, 4.9406564584124654e-324, 2.2250738585072014e-308,
				    1.7976931348623157e308, 123456789012345678.0, 1e16, 1e17, 9007199254740993.0,
				    2.0 / 3.0, 100.0, 1e-5, 1e-4, 1e-7, 12.25, 99.5, 0.5, 1e100, 1e-100 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		same_as_jansson(json_pack("[f]", v[i]));
}

static void test_strings(void **state)
{
	char all[0x21];
	int c;

	(void)state;
	for (c = 1; c <= 0x20; c++)
		all[c - 1] = (char)c;
	all[0x20] = '\0';
	same_as_jansson(json_string(all));
	same_as_jansson(json_string(""));
	same_as_jansson(json_string("/"));
	same_as_jansson(json_string("</script>"));
	same_as_jansson(json_string("\x7f"));
	same_as_jansson(json_string("\"\\\"\\\\"));
	same_as_jansson(json_string("引号\"反斜杠\\斜杠/ del\x7f 案号嘉善复〔2026〕1号 \xe2\x80\xa8"));
	same_as_jansson(json_string("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"));
	same_as_jansson(json_string("😀 emoji, 𠮷 outside the BMP"));
	same_as_jansson(json_stringn("a\0b", 3));
	same_as_jansson(json_stringn("\0", 1));
	same_as_jansson(json_pack("{s:s,s:s}", "键\"\n", "值", "", ""));
	same_as_jansson(json_pack("{s:[s,s]}", "tab\there", "\x01", "end\\"));
	{
		json_t *o = json_object();

		json_object_setn_new(o, "k\0ey", 4, json_string("nul in a key"));
		same_as_jansson(o);
	}
}

/* ===== random trees (xorshift64 with a fixed seed: every run is the same) ===== */

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static unsigned rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* One code point, mostly from the ranges replies hold, UTF-8 encoded into out; returns its length. */
static size_t random_utf8(char *out)
{
	static const uint32_t ranges[][2] = {
		{ 0x00, 0x1f }, { 0x20, 0x7f }, { 0x20, 0x7f }, { 0x22, 0x22 }, { 0x5c, 0x5c }, { 0x2f, 0x2f },
		{ 0x80, 0x7ff }, { 0x4e00, 0x9fff }, { 0x4e00, 0x9fff }, { 0x3000, 0x303f }, { 0xe000, 0xfffd },
		{ 0x2028, 0x2029 }, { 0x10000, 0x10ffff },
	};
	const uint32_t *r = ranges[rnd_below(sizeof(ranges) / sizeof(ranges[0]))];
	uint32_t cp = r[0] + (uint32_t)(rnd() % (r[1] - r[0] + 1));

	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Valid UTF-8 (possibly with NULs) of up to max code points into out (room for 4 * max bytes). */
static size_t random_text(char *out, unsigned max)
{
	unsigned i, n = rnd_below(max + 1);
	size_t len = 0;

	for (i = 0; i < n; i++)
		len += random_utf8(out + len);
	return len;
}

static double random_real(void)
{
	static const double picks[] = { 0.0, -0.0, 0.1, 15.86, 1e300, -1e-300, 0.5, 1e21, 1e-7 };
	uint64_t bits;
	double d;

	switch (rnd_below(4)) {
	case 0:
		return picks[rnd_below(sizeof(picks) / sizeof(picks[0]))];
	case 1: /* money and rates: two decimals */
		return (double)((int64_t)rnd_below(2000000) - 1000000) / 100.0;
	case 2: /* any finite double */
		do {
			bits = rnd();
			memcpy(&d, &bits, sizeof(d));
		} while (d != d || d - d != 0.0);
		return d;
	default:
		return (double)(int64_t)rnd() / (double)(1 + rnd_below(1000));
	}
}

static json_int_t random_integer(void)
{
	switch (rnd_below(3)) {
	case 0:
		return (json_int_t)rnd_below(1000);
	case 1:
		return (json_int_t)rnd();
	default:
		return rnd_below(2) ? INT64_MIN : INT64_MAX;
	}
}

static json_t *random_tree(unsigned depth);

static json_t *random_container(unsigned depth, int object)
{
	json_t *c = object ? json_object() : json_array();
	unsigned i, n = rnd_below(6);
	char key[4 * 8];

	for (i = 0; i < n; i++) {
		if (object)
			json_object_setn_new(c, key, random_text(key, 8), random_tree(depth + 1));
		else
			json_array_append_new(c, random_tree(depth + 1));
	}
	return c;
}

static json_t *random_tree(unsigned depth)
{
	char s[4 * 24];
	unsigned kind = rnd_below(depth < 5 ? 9 : 7);

	switch (kind) {
	case 0:
		return json_null();
	case 1:
		return json_boolean(rnd_below(2));
	case 2:
		return json_integer(random_integer());
	case 3:
		return json_real(random_real());
	case 4:
	case 5:
	case 6:
		return json_stringn(s, random_text(s, 24));
	default:
		return random_container(depth, kind == 7);
	}
}

static void test_random_trees(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 20000; i++)
		same_as_jansson(random_container(0, i % 4 != 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars_and_containers),
		cmocka_unit_test(test_key_order),
		cmocka_unit_test(test_reals),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_random_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
