/*
 * Unit tests for src/http/session_cache.c: a kept session comes back whole
 * (permissions copied into the caller's arena), and is no longer trusted
 * after its ttl, after any write watch move, when read before a move, for
 * another token, after a newer entry took its slot, or with ttl 0; touch
 * moves last_seen forward only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "db/db.h"
#include "http/session_cache.h"

static const char *const perms[] = { "case.read", "org.read", "user.read" };

static void make_session(struct session *s, struct session_facts *f, char first_hex)
{
	memset(s, 0, sizeof(*s));
	memset(f, 0, sizeof(*f));
	s->user_id = 7;
	snprintf(s->username, sizeof(s->username), "%s", "zhangsan");
	snprintf(s->org_path, sizeof(s->org_path), "%s", "/1/5/");
	memset(s->token_hash, 'a', 64);
	s->token_hash[0] = first_hex;
	memset(s->csrf, 'c', 64);
	s->created_at = 1000;
	s->nperms = 3;
	s->perms = (const char **)perms;
	f->last_seen = 1000;
	f->idle_minutes = 30;
	f->absolute_hours = 8;
}

static int setup(void **state)
{
	(void)state;
	return session_cache_init(64, 5);
}

static int teardown(void **state)
{
	(void)state;
	session_cache_release();
	return 0;
}

static void test_round_trip(void **state)
{
	struct session s, got;
	struct session_facts f, gotf;
	struct arena a;
	size_t i;

	(void)state;
	arena_init(&a);
	make_session(&s, &f, '1');
	session_cache_put(&s, &f, db_watch_generation(), 1000);
	assert_int_equal(session_cache_get(s.token_hash, 1004, &a, &got, &gotf), 1);
	assert_int_equal(got.user_id, 7);
	assert_string_equal(got.username, "zhangsan");
	assert_string_equal(got.org_path, "/1/5/");
	assert_string_equal(got.csrf, s.csrf);
	assert_int_equal(gotf.idle_minutes, 30);
	assert_int_equal(got.nperms, 3);
	for (i = 0; i < 3; i++) {
		assert_string_equal(got.perms[i], perms[i]);
		assert_ptr_not_equal(got.perms[i], perms[i]);
	}
	/* ttl: trusted for 5 seconds from the read, never from a clock gone back. */
	assert_int_equal(session_cache_get(s.token_hash, 1005, &a, &got, &gotf), 0);
	assert_int_equal(session_cache_get(s.token_hash, 999, &a, &got, &gotf), 0);
	/* Another token (same slot or not) is not this entry. */
	got.token_hash[0] = '2';
	assert_int_equal(session_cache_get(got.token_hash, 1001, &a, &got, &gotf), 0);
	arena_release(&a);
}

static void test_write_watch_drops_entries(void **state)
{
	static const char *const tables[] = { "session", NULL };
	struct session s, got;
	struct session_facts f, gotf;
	struct arena a;
	uint64_t before;

	(void)state;
	arena_init(&a);
	make_session(&s, &f, '3');
	session_cache_put(&s, &f, db_watch_generation(), 1000);
	assert_int_equal(session_cache_get(s.token_hash, 1001, &a, &got, &gotf), 1);
	db_watch_tables(tables); /* moves the generation, as a watched write does */
	assert_int_equal(session_cache_get(s.token_hash, 1001, &a, &got, &gotf), 0);

	/* A copy read before a move is not kept at all. */
	before = db_watch_generation();
	db_watch_tables(tables);
	session_cache_put(&s, &f, before, 1000);
	assert_int_equal(session_cache_get(s.token_hash, 1001, &a, &got, &gotf), 0);
	arena_release(&a);
}

static void test_slot_replacement_and_touch(void **state)
{
	struct session s1, s2, got;
	struct session_facts f1, f2, gotf;
	struct arena a;

	(void)state;
	arena_init(&a);
	/* The slot is picked by the first 8 hex digits: only the 9th differs. */
	make_session(&s1, &f1, '4');
	make_session(&s2, &f2, '4');
	s2.token_hash[8] = 'b';
	s2.user_id = 8;
	session_cache_put(&s1, &f1, db_watch_generation(), 1000);
	session_cache_put(&s2, &f2, db_watch_generation(), 1000);
	assert_int_equal(session_cache_get(s1.token_hash, 1001, &a, &got, &gotf), 0);
	assert_int_equal(session_cache_get(s2.token_hash, 1001, &a, &got, &gotf), 1);
	assert_int_equal(got.user_id, 8);

	session_cache_touch(s2.token_hash, 1060);
	assert_int_equal(session_cache_get(s2.token_hash, 1001, &a, &got, &gotf), 1);
	assert_int_equal(gotf.last_seen, 1060);
	session_cache_touch(s2.token_hash, 1030); /* never backwards */
	assert_int_equal(session_cache_get(s2.token_hash, 1001, &a, &got, &gotf), 1);
	assert_int_equal(gotf.last_seen, 1060);
	arena_release(&a);
}

static void test_disabled(void **state)
{
	struct session s, got;
	struct session_facts f, gotf;
	struct arena a;

	(void)state;
	arena_init(&a);
	assert_int_equal(session_cache_init(64, 0), 0);
	make_session(&s, &f, '5');
	session_cache_put(&s, &f, db_watch_generation(), 1000);
	assert_int_equal(session_cache_get(s.token_hash, 1000, &a, &got, &gotf), 0);
	session_cache_touch(s.token_hash, 1060);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_watch_drops_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_replacement_and_touch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
