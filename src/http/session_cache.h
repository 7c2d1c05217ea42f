/*
 * The server's in-memory copy of verified sessions, so that a signed-in
 * request needs no database statement before its handler (auth.c).
 *
 * An entry holds what auth_load_session read for a token hash: the session
 * (user, org, scope, sorted permissions, CSRF token), the account's
 * password age, the session's last_seen and the three session settings of
 * the security policy. It is trusted only
 *   - for `ttl` seconds after it was read: the bound on how late a change
 *     made by another process (another server of a multi-server
 *     deployment, the `fazhi user` command) takes effect here, and
 *   - while db_watch_generation() is what it was before the read: any write
 *     of this process to session, app_user, org, role, user_role,
 *     role_permission or setting (logout, lock, password change, role or
 *     grant change, a move of an org) drops every entry at once.
 * The caller still checks the timeouts on every hit, from the entry's
 * values, and goes to the database for any refusal.
 *
 * Thread-safe (one mutex), bounded: a fixed number of slots picked by the
 * hash, a newer entry replaces an older one in its slot.
 */
#ifndef FAZHI_HTTP_SESSION_CACHE_H
#define FAZHI_HTTP_SESSION_CACHE_H

#include <stdint.h>

#include "request.h"

/* What a session's checks need besides struct session. */
struct session_facts {
	int64_t last_seen;
	int64_t password_changed_at;
	int64_t idle_minutes, absolute_hours, password_max_age_days; /* the policy's */
};

/* The tables whose writes make every entry stale (for db_watch_tables). */
extern const char *const session_cache_tables[];

/* Start the cache with `slots` entries valid `ttl` seconds; ttl 0 disables it. -1 on allocation failure. */
int session_cache_init(size_t slots, int64_t ttl);
void session_cache_release(void);

/*
 * The entry of hash when still trusted at `now`: copies the session into s
 * (permissions in a), its facts into f, returns 1; 0 when there is none.
 */
int session_cache_get(const char *hash, int64_t now, struct arena *a, struct session *s, struct session_facts *f);

/* Keep a session read at `now` with the generation noted before the read. */
void session_cache_put(const struct session *s, const struct session_facts *f, uint64_t generation, int64_t now);

/* The database's last_seen of hash was just refreshed to last_seen. */
void session_cache_touch(const char *hash, int64_t last_seen);

#endif
