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
#include "core/banned.h"

/* last_seen is refreshed at most this often, so reads do not all write. */
#define LAST_SEEN_GRANULARITY 30

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

int auth_load_session(struct request *req)
{
	struct security_policy pol;
	struct session *s;
	struct db_stmt *st;
	char token[65], hash[65];
	int64_t now = time_now(), last_seen;
	int rc;

	if (!req->cookie || auth_token_from_cookie(req->cookie, token) < 0)
		return 0;
	hash_token(token, hash);
	secure_wipe(token, sizeof(token));

	rc = policy_load(req->db, &pol);
	if (rc < 0)
		return rc;
	rc = db_prepare(req->db, &st,
			"SELECT s.user_id, s.csrf, s.created_at, s.last_seen, u.username, u.display_name, u.org_id,"
			" u.must_change, u.status, o.path, u.password_changed_at"
			" FROM session s JOIN app_user u ON u.id = s.user_id JOIN org o ON o.id = u.org_id"
			" WHERE s.token_hash = $1");
	if (rc < 0)
		return rc;
	db_bind_text(st, 1, hash);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc < 0 ? rc : 0;
	}
	s = arena_zalloc(&req->arena, sizeof(*s));
	s->user_id = db_col_int(st, 0);
	snprintf(s->csrf, sizeof(s->csrf), "%s", db_col_text(st, 1));
	s->created_at = db_col_int(st, 2);
	last_seen = db_col_int(st, 3);
	snprintf(s->username, sizeof(s->username), "%s", db_col_text(st, 4));
	snprintf(s->display_name, sizeof(s->display_name), "%s", db_col_text(st, 5));
	s->org_id = db_col_int(st, 6);
	s->must_change = (int)db_col_int(st, 7);
	snprintf(s->org_path, sizeof(s->org_path), "%s", db_col_text(st, 9));
	snprintf(s->token_hash, sizeof(s->token_hash), "%s", hash);
	if (pol.password_max_age_days > 0 && !s->must_change &&
	    db_col_int(st, 10) + pol.password_max_age_days * 86400 < now)
		s->must_change = 1; /* expired password: change before anything else */
	rc = strcmp(db_col_text(st, 8), "active");
	db_done(st);

	if (rc || now - last_seen > pol.session_idle_minutes * 60 ||
	    now - s->created_at > pol.session_absolute_hours * 3600) {
		db_exec(req->db, "DELETE FROM session WHERE token_hash = $1", db_text(hash));
		return 0;
	}
	{
		const char *slash = strchr(s->org_path + 1, '/');
		size_t n = slash ? (size_t)(slash - s->org_path + 1) : strlen(s->org_path);

		snprintf(s->tenant_path, sizeof(s->tenant_path), "%.*s", (int)n, s->org_path);
	}
	rc = auth_load_grants(req->db, &req->arena, s->user_id, s);
	if (rc < 0)
		return rc;
	if (now - last_seen >= LAST_SEEN_GRANULARITY)
		db_exec(req->db, "UPDATE session SET last_seen = $1 WHERE token_hash = $2", db_int(now), db_text(hash));
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
