/*
 * Login throttling: sliding one-minute windows of failed login attempts per
 * client address and per user name, kept in memory in a small table behind
 * one mutex (lost on restart, which is fine: the account lockout of the
 * security policy is the persistent measure and stays as it is).
 *
 * Only guesses count: an attempt whose password was checked and was wrong,
 * or named an unknown user. A refusal that checks no password (account
 * locked or disabled) does not count. When a login succeeds, that user's own
 * earlier failures leave its address's window (a person who mistyped their
 * password is not an attacker) and the account's window restarts; so does
 * the account's window when the lockout locks it.
 *
 * An attempt reserves its place in both windows before the password is
 * checked, so parallel requests cannot slip past the limit together.
 */
#ifndef FAZHI_HTTP_RATELIMIT_H
#define FAZHI_HTTP_RATELIMIT_H

#include <stdint.h>

#define LOGIN_WINDOW_SECONDS 60
#define LOGIN_MAX_PER_IP 10     /* failed attempts per address per window */
#define LOGIN_MAX_PER_ACCOUNT 5 /* failed attempts per user name per window */

/* A reservation made by login_limit_acquire. */
struct login_ticket {
	uint64_t ip_key, user_key;
	int64_t at_ms;
	int held;
};

/*
 * Before a password check: 0 with a reservation in *t when both windows have
 * room. Otherwise the seconds until one does (>= 1) and no reservation;
 * *first is set to 1 the first time a key is refused in its current window
 * (for one audit record per burst), else 0.
 */
int login_limit_acquire(const char *ip, const char *username, struct login_ticket *t, int *first);

/* The attempt was not a guess (locked or disabled account, error before the
 * check): give the reservation back. */
void login_limit_cancel(struct login_ticket *t);

/* The password was right: drop the reservation, this user's failures from
 * this address's window, and the account's window. */
void login_limit_succeeded(struct login_ticket *t);

/* The attempt locked the account: the account's window restarts. */
void login_limit_locked(struct login_ticket *t);

/* Forget everything, and read time from clock_ms (milliseconds, any origin)
 * instead of the monotonic clock when it is not NULL (unit tests). */
void login_limit_reset(int64_t (*clock_ms)(void));

#endif
