/*
 * Unit tests for src/http/ratelimit.c, the login throttle, on a clock the
 * test moves: per-address and per-user-name windows, the sliding minute and
 * the Retry-After it implies, refusals that do not count, a success clearing
 * its own failures only, the lockout restarting the account window, one
 * "first refusal" per burst, and a table kept bounded under many addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "core/crypto.h"
#include "http/ratelimit.h"

static int64_t now_ms;

static int64_t fake_clock(void)
{
	return now_ms;
}

static int setup(void **state)
{
	(void)state;
	now_ms = 1000000;
	login_limit_reset(fake_clock);
	return 0;
}

/* A failed attempt (the reservation is kept); returns acquire's result. */
static int attempt(const char *ip, const char *user)
{
	struct login_ticket t;
	int first;

	return login_limit_acquire(ip, user, &t, &first);
}

static void test_address_window(void **state)
{
	char user[32];
	int i, wait;

	(void)state;
	for (i = 0; i < LOGIN_MAX_PER_IP; i++) {
		snprintf(user, sizeof(user), "u%d", i);
		assert_int_equal(attempt("10.0.0.1", user), 0);
		now_ms += 1000;
	}
	/* The 11th: refused until the first failure is a minute old. */
	wait = attempt("10.0.0.1", "someone");
	assert_int_equal(wait, LOGIN_WINDOW_SECONDS - LOGIN_MAX_PER_IP);
	assert_int_equal(attempt("10.0.0.2", "someone"), 0); /* another address */
	now_ms += (int64_t)wait * 1000;
	assert_int_equal(attempt("10.0.0.1", "someone"), 0); /* the window slid */
	assert_true(attempt("10.0.0.1", "someone else") > 0);
}

static void test_account_window(void **state)
{
	char ip[32];
	int i;

	(void)state;
	for (i = 0; i < LOGIN_MAX_PER_ACCOUNT; i++) {
		snprintf(ip, sizeof(ip), "10.1.0.%d", i);
		assert_int_equal(attempt(ip, "ghost"), 0);
	}
	assert_int_equal(attempt("10.1.1.1", "ghost"), LOGIN_WINDOW_SECONDS);
	assert_int_equal(attempt("10.1.1.1", "ghost2"), 0);
	now_ms += LOGIN_WINDOW_SECONDS * 1000;
	assert_int_equal(attempt("10.1.1.1", "ghost"), 0);
}

static void test_cancel_success_locked(void **state)
{
	struct login_ticket t;
	char name[32];
	int i, first;

	(void)state;
	/* Refusals that check no password give their place back. */
	for (i = 0; i < 3 * LOGIN_MAX_PER_IP; i++) {
		assert_int_equal(login_limit_acquire("10.2.0.1", "locked.user", &t, &first), 0);
		login_limit_cancel(&t);
	}
	/* A user who mistyped and then got it right: their failures leave the
	 * address's window, other names' failures stay. */
	for (i = 0; i < 4; i++)
		assert_int_equal(attempt("10.2.0.1", "staff"), 0);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "guess%d", i);
		assert_int_equal(attempt("10.2.0.1", name), 0);
	}
	assert_int_equal(login_limit_acquire("10.2.0.1", "staff", &t, &first), 0);
	login_limit_succeeded(&t);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "more%d", i);
		assert_int_equal(attempt("10.2.0.1", name), 0);
	}
	assert_true(attempt("10.2.0.1", "staff") > 0); /* guess0-4 and more0-4 */
	/* ... and the account's window restarted. */
	for (i = 0; i < LOGIN_MAX_PER_ACCOUNT; i++)
		assert_int_equal(attempt("10.2.0.9", "staff"), 0);
	assert_true(attempt("10.2.0.9", "staff") > 0);
	/* The lockout takes over from the account window. */
	now_ms += LOGIN_WINDOW_SECONDS * 1000;
	for (i = 0; i < LOGIN_MAX_PER_ACCOUNT - 1; i++)
		assert_int_equal(attempt("10.3.0.1", "leader"), 0);
	assert_int_equal(login_limit_acquire("10.3.0.2", "leader", &t, &first), 0);
	login_limit_locked(&t);
	assert_int_equal(attempt("10.3.0.3", "leader"), 0);
}

static void test_first_refusal_once(void **state)
{
	struct login_ticket t;
	char name[32];
	int i, first, firsts = 0;

	(void)state;
	for (i = 0; i < LOGIN_MAX_PER_IP; i++) {
		snprintf(name, sizeof(name), "x%d", i);
		assert_int_equal(attempt("10.4.0.1", name), 0);
	}
	for (i = 0; i < 20; i++) {
		assert_true(login_limit_acquire("10.4.0.1", "y", &t, &first) > 0);
		firsts += first;
		now_ms += 100;
	}
	assert_int_equal(firsts, 1);
	assert_false(t.held);
}

static void test_bounded_table(void **state)
{
	char ip[32];
	int i;

	(void)state;
	/* Far more addresses than slots: every one can still be served and limited. */
	for (i = 0; i < 100000; i++) {
		snprintf(ip, sizeof(ip), "172.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
		assert_int_equal(attempt(ip, "spray"), i < LOGIN_MAX_PER_ACCOUNT ? 0 : LOGIN_WINDOW_SECONDS);
	}
	for (i = 0; i < LOGIN_MAX_PER_IP; i++)
		assert_int_equal(attempt("10.9.9.9", "other"), i < LOGIN_MAX_PER_ACCOUNT ? 0 : LOGIN_WINDOW_SECONDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_address_window, setup),
		cmocka_unit_test_setup(test_account_window, setup),
		cmocka_unit_test_setup(test_cancel_success_locked, setup),
		cmocka_unit_test_setup(test_first_refusal_once, setup),
		cmocka_unit_test_setup(test_bounded_table, setup),
	};

	if (crypto_setup() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
