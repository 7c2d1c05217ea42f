"""Health check, login and session cookie, failed logins and lockout, the forced
change of an initial password, logout."""

import re
import time

from harness import *  # noqa: F401,F403 (the suite's helpers and state)


@test("GET /healthz answers 200 {status: ok} with JSON content type")
def t_healthz():
    r = Client().get("/healthz")
    eq(expect(r, 200, "healthz"), {"status": "ok"}, "healthz body")
    check(r.headers.get("Content-Type", "").startswith("application/json"),
          "healthz Content-Type: %r" % r.headers.get("Content-Type"))


@test("init --demo printed initial passwords for every demo user and saved the admin password")
def t_init_output():
    check(re.search(r"系统管理员\s+admin\s+密码已按设置保存", S.init_output),
          "admin line with 密码已按设置保存 missing:\n" + S.init_output)
    for u in DEMO_USERS:
        check(u in S.passwords, "no initial password parsed for %s" % u)
        check(len(S.passwords[u]) >= 10, "initial password for %s too short: %r" % (u, S.passwords[u]))


@test("login as admin: user, permissions, scope all, no password change, csrf token, session cookie")
def t_login_admin():
    c = Client()
    r = c.login("admin", ADMIN_PASSWORD)
    js = expect(r, 200, "admin login")
    u = js["user"]
    eq(u["username"], "admin", "user.username")
    check(isinstance(u["id"], int) and u["id"] > 0, "user.id: %r" % u.get("id"))
    eq(u["org_name"], ROOT_NAME, "user.org_name")
    check(isinstance(u["org_id"], int), "user.org_id: %r" % u.get("org_id"))
    eq([ro["code"] for ro in u["roles"]], ["sysadmin"], "admin roles")
    for p in ("org.read", "org.manage", "user.read", "user.manage"):
        check(p in js["permissions"], "admin lacks %s: %r" % (p, js["permissions"]))
    for p in ("audit.read", "security.manage", "role.manage"):
        check(p not in js["permissions"], "admin must not hold %s: %r" % (p, js["permissions"]))
    eq(js["scope"], "all", "scope")
    eq(js["must_change_password"], False, "must_change_password")
    check(isinstance(js["csrf"], str) and HEX64.match(js["csrf"]), "csrf is not 64 hex: %r" % js.get("csrf"))
    check(HEX64.match(c.cookies.get("fazhi_session", "")), "session cookie: %r" % c.last_set_cookie)
    S.ids["admin_id"] = u["id"]


@test("session cookie is HttpOnly, SameSite=Strict, Path=/")
def t_cookie_attributes():
    c = Client()
    expect(c.login("admin", ADMIN_PASSWORD), 200, "admin login")
    cookies = [sc for sc in c.last_set_cookie if sc.startswith("fazhi_session=")]
    eq(len(cookies), 1, "number of fazhi_session Set-Cookie headers")
    attrs = [a.strip().lower() for a in cookies[0].split(";")[1:]]
    check("httponly" in attrs, "HttpOnly missing: %r" % cookies[0])
    check("samesite=strict" in attrs, "SameSite=Strict missing: %r" % cookies[0])
    check("path=/" in attrs, "Path=/ missing: %r" % cookies[0])


@test("GET /api/v1/session returns the same user and csrf as the login")
def t_session_me():
    c = admin()
    js = expect(c.get("/api/v1/session"), 200, "GET session")
    eq(js["user"]["username"], "admin", "user.username")
    eq(js["csrf"], c.csrf, "csrf")
    eq(js["scope"], "all", "scope")
    eq(js["must_change_password"], False, "must_change_password")
    check("org.manage" in js["permissions"], "permissions: %r" % js["permissions"])


@test("login with a wrong password: 401 LOGIN_FAILED, no session cookie")
def t_login_wrong_password():
    c = Client()
    r = c.login("admin", "Wrong#2026pass")
    expect_error(r, 401, "LOGIN_FAILED", "wrong password")
    check("fazhi_session" not in c.cookies, "a session cookie was set: %r" % c.last_set_cookie)
    expect_error(c.get("/api/v1/session"), 401, "UNAUTHENTICATED", "session after failed login")


@test("login with an unknown user name: 401 LOGIN_FAILED with the same message as a wrong password")
def t_login_unknown_user():
    c = Client()
    r1 = c.login("nosuchuser", "Whatever#2026")
    e1 = expect_error(r1, 401, "LOGIN_FAILED", "unknown user")
    check("fazhi_session" not in c.cookies, "a session cookie was set")
    e2 = expect_error(Client().login("admin", "Wrong#2026pass"), 401, "LOGIN_FAILED", "wrong password")
    eq(e1["message"], e2["message"], "unknown-user message vs wrong-password message")


@test("login body is validated: missing password gives 400 VALIDATION_FAILED on field password")
def t_login_validation():
    expect_error(Client().post("/api/v1/session", {"username": "admin"}), 400, "VALIDATION_FAILED",
                 "login without password", field="password")


@test("5 consecutive failed logins lock the account; correct password refused; admin unlock restores login")
def t_lockout():
    user = "staff"
    c = Client()
    for i in range(1, 5):
        expect_error(c.login(user, "Bad#pass%04d" % i), 401, "LOGIN_FAILED", "failed attempt %d" % i)
    r = c.login(user, "Bad#pass0005")
    err = expect_error(r, 403, "ACCOUNT_LOCKED", "5th failed attempt")
    check("锁定" in err["message"], "lockout message lacks 锁定: %r" % err["message"])
    r = c.login(user, S.passwords[user])
    err = expect_error(r, 403, "ACCOUNT_LOCKED", "correct password while locked")
    check("锁定" in err["message"], "message lacks 锁定: %r" % err["message"])
    check("fazhi_session" not in c.cookies, "a session cookie was set while locked")

    a = admin()
    target = user_by_name(user)
    S.ids["staff_id"] = target["id"]
    eq(target["locked_out"], True, "users list shows locked_out")
    js = expect(a.post("/api/v1/users/%d/unlock" % target["id"]), 200, "admin unlock")
    eq(js["locked_out"], False, "locked_out after unlock")
    eq(js["status"], "active", "status after unlock")
    r = Client().login(user, S.passwords[user])
    js = expect(r, 200, "login after unlock")
    eq(js["must_change_password"], True, "must_change_password of demo user")


@test("demo user must change the initial password: 403 PASSWORD_CHANGE_REQUIRED, weak passwords refused, then works")
def t_forced_password_change():
    user = "leader"
    old = S.passwords[user]
    c = login(user, old)
    js = expect(c.get("/api/v1/session"), 200, "GET session while change pending")
    eq(js["must_change_password"], True, "must_change_password")
    for path in ("/api/v1/orgs", "/api/v1/users", "/api/v1/org-kinds"):
        expect_error(c.get(path), 403, "PASSWORD_CHANGE_REQUIRED", "GET %s before change" % path)

    def change(new, old_pw=old):
        return c.put("/api/v1/session/password", {"old_password": old_pw, "new_password": new})

    # Too short, too few classes, contains the user name, same as old: all field new_password.
    for weak, why in (("Ab1#x", "too short"), ("abcdefghijkl", "one class"), ("abcdefgh1234", "two classes"),
                      ("Xy#9leader2026", "contains user name"), (old, "same as old")):
        err = expect_error(change(weak), 400, "VALIDATION_FAILED", "weak password (%s)" % why,
                           field="new_password")
        check(CJK.search(err["message"]), "message not Chinese: %r" % err["message"])
    expect_error(change("Good#Pass2026", old_pw="Not#theold1"), 400, "VALIDATION_FAILED",
                 "wrong old password", field="old_password")
    expect_error(c.get("/api/v1/orgs"), 403, "PASSWORD_CHANGE_REQUIRED", "still pending after refusals")

    other = login(user, old)  # a second session of the same account
    third = login(user, old)
    expect(third.delete("/api/v1/session"), 200, "logout while a password change is pending")
    expect_error(third.get("/api/v1/session"), 401, "UNAUTHENTICATED", "session after that logout")
    r = c.post("/api/v1/orgs", {"parent_id": 1, "kind": "other", "name": "改密前新建"})
    expect_error(r, 403, "PASSWORD_CHANGE_REQUIRED", "POST orgs before change")
    new = next_password()
    js = expect(change(new), 200, "good password change")
    eq(js["must_change_password"], False, "must_change_password after change")
    S.passwords[user] = new
    expect(c.get("/api/v1/orgs"), 200, "GET orgs after change")
    expect_error(other.get("/api/v1/session"), 401, "UNAUTHENTICATED", "other session after password change")
    expect_error(Client().login(user, old), 401, "LOGIN_FAILED", "old password after change")
    js = expect(Client().login(user, new), 200, "login with new password")
    eq(js["must_change_password"], False, "must_change_password at next login")


@test("logout: DELETE /api/v1/session expires the cookie; afterwards 401 UNAUTHENTICATED, even replaying it")
def t_logout():
    c = admin()
    token = c.cookies["fazhi_session"]
    r = c.delete("/api/v1/session")
    expect(r, 200, "logout")
    sc = [x for x in c.last_set_cookie if x.startswith("fazhi_session=")]
    eq(len(sc), 1, "Set-Cookie on logout")
    check("max-age=0" in sc[0].lower(), "cookie not expired: %r" % sc[0])
    check("fazhi_session" not in c.cookies, "cookie jar still has the session")
    expect_error(c.get("/api/v1/session"), 401, "UNAUTHENTICATED", "GET session after logout")
    replay = Client()
    replay.cookies["fazhi_session"] = token
    replay.csrf = c.csrf
    expect_error(replay.get("/api/v1/session"), 401, "UNAUTHENTICATED", "replayed cookie after logout")
    expect_error(replay.get("/api/v1/orgs"), 401, "UNAUTHENTICATED", "replayed cookie GET orgs")


@test("last_seen: refreshed when a minute has passed since the last refresh, not sooner; idle past the timeout 401")
def t_last_seen():
    c = admin()
    check(re.fullmatch(r"[0-9a-f]{64}", c.csrf or ""), "csrf token %r" % c.csrf)
    mine = "csrf = '%s'" % c.csrf
    eq(len(server_sql("SELECT token_hash FROM session WHERE " + mine)), 1, "the new session's row")

    def seen_ago():
        return int(time.time()) - int(server_sql("SELECT last_seen FROM session WHERE " + mine)[0])

    server_sql("UPDATE session SET last_seen = last_seen - 40 WHERE " + mine)
    expect(c.get("/api/v1/session"), 200, "request 40 s after the last refresh")
    check(seen_ago() >= 39, "last_seen refreshed after 40 s (%d s ago)" % seen_ago())
    server_sql("UPDATE session SET last_seen = last_seen - 30 WHERE " + mine)
    session_cache_expire()  # a write behind the server's back
    expect(c.get("/api/v1/orgs"), 200, "request 70 s after the last refresh")
    check(seen_ago() <= 5, "last_seen not refreshed after 70 s (%d s ago)" % seen_ago())
    server_sql("UPDATE session SET last_seen = last_seen - 31 * 60 WHERE " + mine)
    session_cache_expire()
    expect_error(c.get("/api/v1/session"), 401, "UNAUTHENTICATED", "after 31 idle minutes")
    eq(server_sql("SELECT token_hash FROM session WHERE " + mine), [], "the idle session's row is deleted")
