/* Session cookies and their storage; see auth.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "core/conf.h"
#include "core/crypto.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/account/policy.h"
#include "session_cache.h"
#include "core/banned.h"

/*
 * last_seen is refreshed at most once a minute per session, in a lazy
 * transaction (no flush of its own): a crash may lose the latest refresh,
 * which at worst ends an idle session up to a minute early. The idle
 * timeout is at least 5 minutes (policy.c).
 */
#define LAST_SEEN_GRANULARITY 60

int auth_token_from_cookie(const char *cookie, char token[65])
{
	const char *p = cookie;
	size_t nl = strlen(SESSION_COOKIE);

	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (!strncmp(p, SESSION_COOKIE, nl) && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t n = strcspn(v, "; ");

			if (n != 64 || strspn(v, "0123456789abcdef") < 64)
				return -1;
			memcpy(token, v, 64);
			token[64] = '\0';
			return 0;
		}
		p = strchr(p, ';');
	}
	return -1;
}

static void hash_token(const char *token, char out[65])
{
	unsigned char h[SM3_LEN];

	sm3(token, strlen(token), h);
	hex_encode(h, SM3_LEN, out);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int auth_load_grants(struct db *db, struct arena *a, int64_t user_id, struct session *s)
{
	static const char *const scopes[] = { "self", "org", "subtree", "all" };
	struct db_stmt *st;
	size_t cap = 32, i;
	int rc;

	s->scope = SCOPE_SELF;
	rc = db_prepare(db, &st,
			"SELECT DISTINCT r.scope FROM user_role ur JOIN role r ON r.id = ur.role_id"
			" WHERE ur.user_id = $1");
	if (rc < 0)
		return rc;
	db_bind_int(st, 1, user_id);
	while ((rc = db_step(st)) == DB_ROW)
		for (i = 0; i < 4; i++)
			if (!strcmp(db_col_text(st, 0), scopes[i]) && (int)i > (int)s->scope)
				s->scope = (enum scope)i;
	db_done(st);
	if (rc < 0)
		return rc;

	s->nperms = 0;
	s->perms = arena_alloc(a, cap * sizeof(*s->perms));
	rc = db_prepare(db, &st,
			"SELECT DISTINCT rp.permission FROM user_role ur"
			" JOIN role_permission rp ON rp.role_id = ur.role_id WHERE ur.user_id = $1");
	if (rc < 0)
		return rc;
	db_bind_int(st, 1, user_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (s->nperms == cap) {
			const char **more = arena_alloc(a, 2 * cap * sizeof(*more));

			memcpy(more, s->perms, cap * sizeof(*more));
			s->perms = more;
			cap *= 2;
		}
		s->perms[s->nperms++] = arena_strdup(a, db_col_text(st, 0));
	}
	db_done(st);
	if (rc < 0)
		return rc;
	qsort(s->perms, s->nperms, sizeof(*s->perms), cmp_str);
	return 0;
}

/*
 * Everything a signed-in request needs, in one statement: the session, its
 * user and org, the three policy settings that govern sessions, and one row
 * per (role, permission) of the user (NULLs when it has none). Read on a
 * miss of the session cache (session_cache.h): a logout, lock, role or policy
 * change made by this process applies to the next request, one made by
 * another process within the cache's few seconds.
 */
static const char session_sql[] =
	"SELECT s.user_id, s.csrf, s.created_at, s.last_seen, u.username, u.display_name, u.org_id,"
	" u.must_change, u.status, o.path, u.password_changed_at, pi.value, pa.value, pm.value, r.scope,"
	" rp.permission"
	" FROM session s JOIN app_user u ON u.id = s.user_id JOIN org o ON o.id = u.org_id"
	" LEFT JOIN setting pi ON pi.key = 'security.session_idle_minutes'"
	" LEFT JOIN setting pa ON pa.key = 'security.session_absolute_hours'"
	" LEFT JOIN setting pm ON pm.key = 'security.password_max_age_days'"
	" LEFT JOIN user_role ur ON ur.user_id = u.id LEFT JOIN role r ON r.id = ur.role_id"
	" LEFT JOIN role_permission rp ON rp.role_id = ur.role_id"
	" WHERE s.token_hash = $1";

enum { COL_USER, COL_CSRF, COL_CREATED, COL_SEEN, COL_USERNAME, COL_NAME, COL_ORG, COL_MUST, COL_STATUS, COL_PATH,
       COL_PW_CHANGED, COL_IDLE, COL_ABSOLUTE, COL_MAX_AGE, COL_SCOPE, COL_PERM };

/* The session's columns from the first row. */
static void session_from_row(struct db_stmt *st, struct session *s, struct security_policy *pol, int64_t *last_seen,
			     int64_t *pw_changed, int *active)
{
	static const struct {
		int col;
		const char *key;
	} policy_cols[] = {
		{ COL_IDLE, "session_idle_minutes" },
		{ COL_ABSOLUTE, "session_absolute_hours" },
		{ COL_MAX_AGE, "password_max_age_days" },
	};
	size_t i;

	s->user_id = db_col_int(st, COL_USER);
	snprintf(s->csrf, sizeof(s->csrf), "%s", db_col_text(st, COL_CSRF));
	s->created_at = db_col_int(st, COL_CREATED);
	*last_seen = db_col_int(st, COL_SEEN);
	snprintf(s->username, sizeof(s->username), "%s", db_col_text(st, COL_USERNAME));
	snprintf(s->display_name, sizeof(s->display_name), "%s", db_col_text(st, COL_NAME));
	s->org_id = db_col_int(st, COL_ORG);
	s->must_change = (int)db_col_int(st, COL_MUST);
	*active = !strcmp(db_col_text(st, COL_STATUS), "active");
	snprintf(s->org_path, sizeof(s->org_path), "%s", db_col_text(st, COL_PATH));
	*pw_changed = db_col_int(st, COL_PW_CHANGED);
	policy_defaults(pol);
	for (i = 0; i < ARRAY_SIZE(policy_cols); i++)
		if (!db_col_is_null(st, policy_cols[i].col))
			policy_set(pol, policy_cols[i].key, db_col_text(st, policy_cols[i].col));
}

/* One (scope, permission) row: widen the scope, collect the permission. */
static void grant_from_row(struct db_stmt *st, struct arena *a, struct session *s, size_t *cap)
{
	static const char *const scopes[] = { "self", "org", "subtree", "all" };
	size_t i;

	for (i = 0; !db_col_is_null(st, COL_SCOPE) && i < ARRAY_SIZE(scopes); i++)
		if (!strcmp(db_col_text(st, COL_SCOPE), scopes[i]) && (int)i > (int)s->scope)
			s->scope = (enum scope)i;
	if (db_col_is_null(st, COL_PERM))
		return;
	if (s->nperms == *cap) {
		const char **more = arena_alloc(a, 2 * *cap * sizeof(*more));

		memcpy(more, s->perms, *cap * sizeof(*more));
		s->perms = more;
		*cap *= 2;
	}
	s->perms[s->nperms++] = arena_strdup(a, db_col_text(st, COL_PERM));
}

/* Sort the permissions and drop duplicates (two roles may grant the same one). */
static void sort_unique(struct session *s)
{
	size_t i, n = 0;

	qsort(s->perms, s->nperms, sizeof(*s->perms), cmp_str);
	for (i = 0; i < s->nperms; i++)
		if (!n || strcmp(s->perms[n - 1], s->perms[i]))
			s->perms[n++] = s->perms[i];
	s->nperms = n;
}

/*
 * Refresh last_seen without a flush of its own; only one of concurrent
 * requests writes. Not a change the session cache must hear of (it keeps
 * last_seen itself). 1 when this call moved it to now.
 */
static int touch_session(struct db *db, const char *hash, int64_t now)
{
	int rc;

	if (db_in_transaction(db) || db_begin(db, DB_TX_WRITE_LAZY) < 0)
		return 0;
	db_watch_ignore(db, 1);
	rc = db_exec(db, "UPDATE session SET last_seen = $1 WHERE token_hash = $2 AND last_seen <= $3", db_int(now),
		     db_text(hash), db_int(now - LAST_SEEN_GRANULARITY));
	db_watch_ignore(db, 0);
	if (rc == 0 && db_changes(db) == 1 && db_commit(db) == 0)
		return 1;
	if (db_in_transaction(db))
		db_rollback(db);
	return 0;
}

/* The session's timeouts and the account's state allow it at now. */
static int session_alive(const struct session_facts *f, int64_t created_at, int64_t now)
{
	return now - f->last_seen <= f->idle_minutes * 60 && now - created_at <= f->absolute_hours * 3600;
}

/* Read the session of hash from the database into s and f: 1, 0 when it is gone or ended, or a db error. */
static int read_session(struct request *req, const char *hash, int64_t now, struct session *s, struct session_facts *f)
{
	struct security_policy pol;
	struct db_stmt *st;
	size_t cap = 32;
	int rc, active = 0, rows = 0;

	rc = db_prepare(req->db, &st, session_sql);
	if (rc < 0)
		return rc;
	db_bind_text(st, 1, hash);
	s->scope = SCOPE_SELF;
	s->perms = arena_alloc(&req->arena, cap * sizeof(*s->perms));
	while ((rc = db_step(st)) == DB_ROW) {
		if (!rows++)
			session_from_row(st, s, &pol, &f->last_seen, &f->password_changed_at, &active);
		grant_from_row(st, &req->arena, s, &cap);
	}
	db_done(st);
	if (rc < 0)
		return rc;
	if (!rows)
		return 0;
	f->idle_minutes = pol.session_idle_minutes;
	f->absolute_hours = pol.session_absolute_hours;
	f->password_max_age_days = pol.password_max_age_days;
	if (!active || !session_alive(f, s->created_at, now)) {
		db_exec(req->db, "DELETE FROM session WHERE token_hash = $1", db_text(hash));
		return 0;
	}
	snprintf(s->token_hash, sizeof(s->token_hash), "%s", hash);
	{
		const char *slash = strchr(s->org_path + 1, '/');
		size_t n = slash ? (size_t)(slash - s->org_path + 1) : strlen(s->org_path);

		snprintf(s->tenant_path, sizeof(s->tenant_path), "%.*s", (int)n, s->org_path);
	}
	sort_unique(s);
	return 1;
}

/*
 * From the session cache when it holds a trusted copy that passes the
 * timeouts; from the database otherwise (which also decides every refusal,
 * so ending a session is never left to a copy).
 */
int auth_load_session(struct request *req)
{
	struct session_facts f;
	struct session *s;
	char token[65], hash[65];
	int64_t now = time_now();
	uint64_t generation;
	int rc;

	if (!req->cookie || auth_token_from_cookie(req->cookie, token) < 0)
		return 0;
	hash_token(token, hash);
	secure_wipe(token, sizeof(token));

	s = arena_zalloc(&req->arena, sizeof(*s));
	if (!session_cache_get(hash, now, &req->arena, s, &f) || !session_alive(&f, s->created_at, now)) {
		memset(s, 0, sizeof(*s));
		generation = db_watch_generation();
		rc = read_session(req, hash, now, s, &f);
		if (rc <= 0)
			return rc;
		session_cache_put(s, &f, generation, now);
	}
	if (now - f.last_seen >= LAST_SEEN_GRANULARITY && touch_session(req->db, hash, now))
		session_cache_touch(hash, now);
	if (f.password_max_age_days > 0 && !s->must_change &&
	    f.password_changed_at + f.password_max_age_days * 86400 < now)
		s->must_change = 1; /* expired password: change before anything else */
	req->session = s;
	return 1;
}

static const char *cookie_attrs(struct request *req)
{
	return req->conf && req->conf->secure_cookie ? "; Path=/; HttpOnly; SameSite=Strict; Secure"
						     : "; Path=/; HttpOnly; SameSite=Strict";
}

int auth_start_session(struct request *req, int64_t user_id, char csrf[65])
{
	char token[65], hash[65];
	int64_t now = time_now();
	int rc;

	random_token_hex(token);
	random_token_hex(csrf);
	hash_token(token, hash);
	rc = db_exec(req->db,
		     "INSERT INTO session (token_hash, user_id, csrf, ip, created_at, last_seen)"
		     " VALUES ($1, $2, $3, $4, $5, $5)",
		     db_text(hash), db_int(user_id), db_text(csrf), db_text(req->client_ip), db_int(now));
	if (rc < 0)
		return rc;
	req->set_cookie = arena_printf(&req->arena, "%s=%s%s", SESSION_COOKIE, token, cookie_attrs(req));
	secure_wipe(token, sizeof(token));
	return 0;
}

int auth_end_session(struct request *req)
{
	req->set_cookie = arena_printf(&req->arena, "%s=; Max-Age=0%s", SESSION_COOKIE, cookie_attrs(req));
	if (!req->session)
		return 0;
	return db_exec(req->db, "DELETE FROM session WHERE token_hash = $1", db_text(req->session->token_hash));
}

int auth_end_user_sessions(struct db *db, int64_t user_id)
{
	return db_exec(db, "DELETE FROM session WHERE user_id = $1", db_int(user_id));
}
