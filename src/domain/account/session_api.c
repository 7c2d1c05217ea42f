/*
 * /api/v1/session: login, who-am-I, logout, password change. Login runs
 * the slow argon2id check outside any transaction, then records the outcome
 * (failure count, lockout, session) and its audit record in one transaction.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "policy.h"
#include "core/crypto.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "http/auth.h"
#include "http/ratelimit.h"
#include "http/router.h"
#include "core/banned.h"

/* A verifier for a random password nobody knows, made once, so that a login
 * with an unknown user name costs the same time as one with a wrong password. */
static char dummy_verifier[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_verifier(void)
{
	char pw[33];

	random_password(pw, 32);
	if (password_hash(pw, dummy_verifier) < 0)
		dummy_verifier[0] = '\0';
	secure_wipe(pw, sizeof(pw));
}

static void login_event(struct request *req, struct audit_event *ev, const char *action, const struct user_auth *u,
			const char *username, int success, const char *detail)
{
	memset(ev, 0, sizeof(*ev));
	ev->user_id = u ? u->id : 0;
	ev->username = username;
	ev->org_id = u ? u->org_id : 0;
	ev->ip = req->client_ip;
	ev->action = action;
	ev->object_type = "user";
	ev->object_id = u ? arena_printf(&req->arena, "%lld", (long long)u->id) : "";
	ev->success = success;
	ev->detail = detail;
}

/* Count a failed password; lock the account at the policy's limit. */
static int login_failed(struct request *req, const struct user_auth *u, const struct security_policy *pol)
{
	struct audit_event ev;
	int64_t failures = 0, until = 0;
	int rc;

	rc = db_begin(req->db, DB_TX_WRITE);
	if (rc < 0)
		return api_db_error(req, rc);
	if (u) {
		rc = db_exec(req->db, "UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = $1",
			     db_int(u->id));
		if (rc == 0)
			rc = db_query_int(req->db, &failures, "SELECT failed_logins FROM app_user WHERE id = $1",
					  db_int(u->id));
		if (rc >= 0 && failures >= pol->max_failed_logins) {
			until = time_now() + pol->lockout_minutes * 60;
			rc = db_exec(req->db, "UPDATE app_user SET failed_logins = 0, locked_until = $1 WHERE id = $2",
				     db_int(until), db_int(u->id));
		}
	}
	login_event(req, &ev, "session.login", u, body_str(req, "username"), 0,
		    u ? arena_printf(&req->arena, "密码错误(连续第%lld次)", (long long)failures) : "用户名不存在");
	if (rc >= 0)
		rc = audit_append(req->db, &ev);
	if (rc >= 0 && until) {
		login_event(req, &ev, "session.lockout", u, u->username, 1,
			    arena_printf(&req->arena, "连续%lld次登录失败,锁定%lld分钟", (long long)failures,
					 (long long)pol->lockout_minutes));
		rc = audit_append(req->db, &ev);
	}
	if (rc >= 0)
		rc = db_commit(req->db);
	else
		db_rollback(req->db);
	if (rc < 0)
		return api_db_error(req, rc);
	req->audit_done = 1;
	if (until) {
		char when[17];

		time_format_short(until, when);
		return api_error(
		    req, "ACCOUNT_LOCKED",
		    arena_printf(&req->arena, "连续%lld次密码错误,账号已锁定,请于%s后重试", (long long)failures, when),
		    json_pack("{s:s}", "locked_until", when));
	}
	return api_error(req, "LOGIN_FAILED", NULL, NULL);
}

/* Refuse a login for a reason other than the password, with an audit record. */
static int login_refused(struct request *req, const struct user_auth *u, const char *code, const char *msg,
			 json_t *details)
{
	struct audit_event ev;

	login_event(req, &ev, "session.login", u, u->username, 0, msg);
	if (audit_append_tx(req->db, &ev) < 0) {
		json_decref(details);
		return api_error(req, "UNAVAILABLE", NULL, NULL);
	}
	req->audit_done = 1;
	return api_error(req, code, msg, details);
}

/* 429 for an address or user name over its login limit: one audit record per burst. */
static int login_rate_limited(struct request *req, const char *username, int wait_s, int first)
{
	struct audit_event ev;

	req->retry_after = arena_printf(&req->arena, "%d", wait_s);
	if (first) {
		login_event(req, &ev, "session.rate_limited", NULL, username, 0,
			    arena_printf(&req->arena, "登录失败次数过多,暂停受理%d秒(每个地址每分钟%d次、每个账号每分钟%d次)",
					 wait_s, LOGIN_MAX_PER_IP, LOGIN_MAX_PER_ACCOUNT));
		if (audit_append_tx(req->db, &ev) < 0)
			return api_error(req, "UNAVAILABLE", NULL, NULL);
	}
	req->audit_done = 1;
	return api_error(req, "RATE_LIMITED",
			 arena_printf(&req->arena, "登录尝试过于频繁,请%d秒后再试", wait_s),
			 json_pack("{s:i}", "retry_after", wait_s));
}

static json_t *me_json(struct request *req, struct session *s, const char *csrf)
{
	json_t *perms = json_array(), *o;
	size_t i;

	for (i = 0; i < s->nperms; i++)
		json_array_append_new(perms, json_string(s->perms[i]));
	o = json_pack("{s:o,s:o,s:s,s:b}", "user", account_store_user_json(req->db, s->user_id), "permissions", perms,
		      "scope", scope_codes[3 - (int)s->scope], "must_change_password", s->must_change);
	if (csrf)
		json_object_set_new(o, "csrf", json_string(csrf));
	return o;
}

static int session_login(struct request *req)
{
	const char *username = body_str(req, "username"), *password = body_str(req, "password");
	struct security_policy pol;
	struct user_auth u;
	struct audit_event ev;
	struct session s;
	struct login_ticket ticket;
	char csrf[65];
	int64_t now = time_now();
	int rc, found, first;

	/* Throttle guesses before any database work or password hashing. */
	rc = login_limit_acquire(req->client_ip, username, &ticket, &first);
	if (rc > 0)
		return login_rate_limited(req, username, rc, first);
	rc = policy_load(req->db, &pol);
	if (rc == 0)
		rc = account_store_user_auth(req->db, username, &u);
	if (rc < 0) {
		login_limit_cancel(&ticket);
		return api_db_error(req, rc);
	}
	found = rc == DB_ROW;
	if (!found) {
		pthread_once(&dummy_once, make_dummy_verifier);
		password_verify(dummy_verifier, password);
		return login_failed(req, NULL, &pol);
	}
	/* Refusals that check no password are not guesses: they do not count. */
	if (!strcmp(u.status, "disabled") || !strcmp(u.status, "locked") || u.locked_until > now)
		login_limit_cancel(&ticket);
	if (!strcmp(u.status, "disabled"))
		return login_refused(req, &u, "ACCOUNT_DISABLED", NULL, NULL);
	if (!strcmp(u.status, "locked"))
		return login_refused(req, &u, "ACCOUNT_LOCKED", "账号已被管理员锁定,请联系系统管理员", NULL);
	if (u.locked_until > now) {
		char when[17];

		time_format_short(u.locked_until, when);
		return login_refused(req, &u, "ACCOUNT_LOCKED",
				     arena_printf(&req->arena, "账号因多次密码错误已锁定,请于%s后重试", when),
				     json_pack("{s:s}", "locked_until", when));
	}
	if (password_verify(u.password_hash, password) < 0) {
		rc = login_failed(req, &u, &pol);
		/* The lockout now protects the account; its window restarts. */
		if (req->err_code && !strcmp(req->err_code, "ACCOUNT_LOCKED"))
			login_limit_locked(&ticket);
		return rc;
	}
	login_limit_succeeded(&ticket);

	rc = db_begin(req->db, DB_TX_WRITE);
	if (rc == 0)
		rc = db_exec(req->db,
			     "UPDATE app_user SET failed_logins = 0, locked_until = 0, last_login_at = $1"
			     " WHERE id = $2",
			     db_int(now), db_int(u.id));
	if (rc == 0)
		rc = auth_start_session(req, u.id, csrf);
	login_event(req, &ev, "session.login", &u, u.username, 1,
		    u.must_change ? "登录成功(须修改初始密码)" : "登录成功");
	if (rc == 0)
		rc = audit_append(req->db, &ev);
	if (rc == 0)
		rc = db_commit(req->db);
	else
		db_rollback(req->db);
	if (rc < 0) {
		req->set_cookie = NULL;
		return api_db_error(req, rc);
	}
	req->audit_done = 1;

	memset(&s, 0, sizeof(s));
	s.user_id = u.id;
	s.must_change = u.must_change;
	rc = auth_load_grants(req->db, &req->arena, u.id, &s);
	if (rc < 0)
		return api_db_error(req, rc);
	req->reply = me_json(req, &s, csrf);
	return 0;
}

static int session_get(struct request *req)
{
	req->reply = me_json(req, req->session, req->session->csrf);
	return 0;
}

static int session_logout(struct request *req)
{
	int rc;

	req_audit_object(req, "user", req->session->user_id);
	req->audit_detail = "退出登录";
	rc = auth_end_session(req);
	if (rc < 0)
		return api_db_error(req, rc);
	req->reply = json_pack("{s:b}", "ok", 1);
	return 0;
}

static int session_password(struct request *req)
{
	const char *old_pw = body_str(req, "old_password"), *new_pw = body_str(req, "new_password");
	struct security_policy pol;
	struct user_auth u;
	char hash[PASSWORD_HASH_MAX], msgbuf[160];
	const char *bad;
	int rc;

	req_audit_object(req, "user", req->session->user_id);
	rc = policy_load(req->db, &pol);
	if (rc == 0)
		rc = account_store_user_auth_by_id(req->db, req->session->user_id, &u);
	if (rc < 0)
		return api_db_error(req, rc);
	if (password_verify(u.password_hash, old_pw) < 0)
		return api_field_error(req, "old_password", "原密码不正确");
	bad = policy_check_password(&pol, u.username, new_pw, msgbuf, sizeof(msgbuf));
	if (bad)
		return api_field_error(req, "new_password", bad);
	if (!strcmp(old_pw, new_pw))
		return api_field_error(req, "new_password", "新密码不能与原密码相同");
	if (password_hash(new_pw, hash) < 0)
		return api_error(req, "INTERNAL", NULL, NULL);

	req->audit_detail = "修改本人密码";
	rc = db_begin(req->db, DB_TX_WRITE);
	if (rc == 0)
		rc = account_store_set_password(req->db, u.id, hash, 0);
	/* Other sessions of this account end; this one continues. */
	if (rc == 0)
		rc = db_exec(req->db, "DELETE FROM session WHERE user_id = $1 AND token_hash <> $2", db_int(u.id),
			     db_text(req->session->token_hash));
	rc = router_commit_audited(req, rc);
	secure_wipe(hash, sizeof(hash));
	if (rc < 0)
		return api_db_error(req, rc);
	req->session->must_change = 0;
	req->reply = me_json(req, req->session, req->session->csrf);
	return 0;
}

static const struct body_field login_body[] = {
	{ "username", FIELD_STRING, 1, 1, 64, "用户名", NULL, NULL },
	{ "password", FIELD_STRING, 1, 1, 128, "密码", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct body_field password_body[] = {
	{ "old_password", FIELD_STRING, 1, 1, 128, "原密码", NULL, NULL },
	{ "new_password", FIELD_STRING, 1, 1, 128, "新密码", NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

static const struct route session_routes[] = {
	{ HTTP_POST, "/api/v1/session", session_login, NULL, ROUTE_PUBLIC | ROUTE_JSON | ROUTE_SLOW, login_body,
	  "session.login" },
	{ HTTP_GET, "/api/v1/session", session_get, NULL, ROUTE_PW_CHANGE_OK, NULL, NULL },
	{ HTTP_DELETE, "/api/v1/session", session_logout, NULL, ROUTE_PW_CHANGE_OK | ROUTE_TX | ROUTE_AUDIT, NULL,
	  "session.logout" },
	{ HTTP_PUT, "/api/v1/session/password", session_password, NULL,
	  ROUTE_PW_CHANGE_OK | ROUTE_JSON | ROUTE_AUDIT | ROUTE_SLOW, password_body, "user.password.change" },
};

const struct module session_module = { "session", session_routes, ARRAY_SIZE(session_routes) };
