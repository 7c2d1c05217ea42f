#!/usr/bin/env python3
"""API test suite for fazhi.

Usage: python3 tests/api/run.py --bin build/fazhi

Creates a demo database in a temporary directory, starts `fazhi serve` on a
free loopback port and runs the tests below in order, printing TAP. With
FAZHI_VALGRIND=1 the server runs under valgrind memcheck. At the end the
server is stopped with SIGTERM (it must exit with status 0), then the audit
trail is checked for append-only protection and tamper detection directly in
the database file.

Python 3 standard library only. Exit status 0 when every test passed.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

HOST = "127.0.0.1"
ADMIN_PASSWORD = "Jiashan#2026pw"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
CJK = re.compile(r"[\u4e00-\u9fff]")

# Demo org names (data/demo/330421.tsv).
ROOT_NAME = "嘉善县人民政府"
XITANG_TOWN = "嘉善县西塘镇人民政府"
XITANG_OFFICE = "嘉善县司法局西塘司法所"
DAYUN_TOWN = "嘉善县大云镇人民政府"
DAYUN_OFFICE = "嘉善县司法局大云司法所"
DEMO_USERS = ("secadmin", "auditor", "leader", "staff", "liaison", "office")


class State:
    """Everything the tests share: paths, server, passwords, ids."""

    bin = None
    tmp = None
    db = None
    port = None
    server = None
    server_log = None
    valgrind = False
    timeout = 15
    start_date = None
    passwords = {}  # username -> current password
    init_output = ""
    pw_counter = 0
    ids = {}  # free-form ids recorded by tests for later tests (audit checks)
    server_stopped = False


S = State()


# ---------------------------------------------------------------- helpers


class TestFailure(AssertionError):
    pass


def check(cond, message):
    if not cond:
        raise TestFailure(message)


def eq(actual, expected, what):
    if actual != expected:
        raise TestFailure("%s: expected %r, got %r" % (what, expected, actual))


def short(obj, limit=600):
    s = json.dumps(obj, ensure_ascii=False) if not isinstance(obj, str) else obj
    return s if len(s) <= limit else s[:limit] + "..."


def cst_date(offset_days=0):
    """Today's date in China time (UTC+8), as YYYY-MM-DD."""
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + offset_days * 86400))


def next_password():
    S.pw_counter += 1
    return "Np#%04dQz!x7" % S.pw_counter


class Reply(tuple):
    """(status, headers, json) with .status .headers .json .raw."""

    def __new__(cls, status, headers, js, raw):
        self = super().__new__(cls, (status, headers, js))
        self.status, self.headers, self.json, self.raw = status, headers, js, raw
        return self

    def __repr__(self):
        body = short(self.json) if self.json is not None else self.raw[:300].decode("utf-8", "replace")
        return "<HTTP %d %s>" % (self.status, body)

    def err_code(self):
        if isinstance(self.json, dict) and isinstance(self.json.get("error"), dict):
            return self.json["error"].get("code")
        return None

    def err_message(self):
        if isinstance(self.json, dict) and isinstance(self.json.get("error"), dict):
            return self.json["error"].get("message")
        return None

    def err_fields(self):
        try:
            return self.json["error"]["details"]["fields"] or {}
        except (TypeError, KeyError):
            return {}


def expect(r, status, what=""):
    """Assert the status and return the parsed JSON."""
    check(r.status == status, "%s: expected HTTP %d, got %r" % (what or "request", status, r))
    return r.json


def expect_error(r, status, code, what="", field=None):
    """Assert an error reply: status, error.code, a Chinese message, and
    (with field) details.fields.<field>."""
    what = what or "request"
    check(r.status == status and r.err_code() == code,
          "%s: expected HTTP %d %s, got %r" % (what, status, code, r))
    msg = r.err_message()
    check(isinstance(msg, str) and CJK.search(msg), "%s: error message is not Chinese: %r" % (what, msg))
    check("details" in r.json["error"], "%s: error has no details key: %r" % (what, r))
    if field is not None:
        fields = r.err_fields()
        check(field in fields, "%s: expected details.fields.%s, got %r" % (what, field, r))
        check(isinstance(fields[field], str) and CJK.search(fields[field]),
              "%s: field message is not Chinese: %r" % (what, fields[field]))
    return r.json["error"]


def expect_absent_ref(r, field, what):
    """A body reference to an absent row: 404 NOT_FOUND or 400 VALIDATION_FAILED on that field."""
    if r.status == 404:
        return expect_error(r, 404, "NOT_FOUND", what)
    return expect_error(r, 400, "VALIDATION_FAILED", what, field=field)


class Client:
    """An HTTP client with its own cookie jar and CSRF token."""

    def __init__(self, name=""):
        self.name = name
        self.cookies = {}
        self.csrf = None
        self.last_set_cookie = []
        self.user = None

    def request(self, method, path, body=None, raw=None, content_type=None, csrf=True, headers=None):
        h = {}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        data = None
        if raw is not None:
            data = raw.encode("utf-8") if isinstance(raw, str) else raw
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if data is not None:
            h["Content-Type"] = content_type or "application/json"
        elif content_type:
            h["Content-Type"] = content_type
        if csrf and method in WRITE_METHODS and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        if headers:
            h.update(headers)
        conn = http.client.HTTPConnection(HOST, S.port, timeout=S.timeout)
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            raw_body = resp.read()
            hdrs = resp.headers
            status = resp.status
        finally:
            conn.close()
        self.last_set_cookie = hdrs.get_all("Set-Cookie") or []
        for sc in self.last_set_cookie:
            first = sc.split(";", 1)[0]
            name, _, value = first.partition("=")
            name = name.strip()
            attrs = sc.lower()
            if not value or "max-age=0" in attrs:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value.strip()
        js = None
        if raw_body:
            try:
                js = json.loads(raw_body.decode("utf-8"))
            except ValueError:
                js = None
        return Reply(status, hdrs, js, raw_body)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, username, password):
        r = self.post("/api/v1/session", {"username": username, "password": password})
        if r.status == 200:
            self.csrf = r.json.get("csrf")
            self.user = r.json.get("user")
        return r


def login(username, password=None):
    """A client logged in as username (200 asserted)."""
    c = Client(username)
    r = c.login(username, password if password is not None else S.passwords[username])
    expect(r, 200, "login as %s" % username)
    return c


def session_for(username):
    """Log in as username; if a password change is pending, change it once."""
    c = login(username)
    r = c.get("/api/v1/session")
    me = expect(r, 200, "GET session as %s" % username)
    if me["must_change_password"]:
        new = next_password()
        r = c.put("/api/v1/session/password", {"old_password": S.passwords[username], "new_password": new})
        expect(r, 200, "password change for %s" % username)
        S.passwords[username] = new
    return c


def admin():
    return login("admin")


def all_orgs(c=None, status=None):
    c = c or admin()
    r = c.get("/api/v1/orgs" + ("?status=" + status if status else ""))
    return expect(r, 200, "GET /api/v1/orgs")["items"]


def org_by_name(name):
    for o in all_orgs(status="all"):
        if o["name"] == name:
            return o
    raise TestFailure("org %r not found" % name)


def user_by_name(username):
    r = admin().get("/api/v1/users?q=%s&page_size=200" % username)
    for u in expect(r, 200, "user search")["items"]:
        if u["username"] == username:
            return u
    raise TestFailure("user %r not found" % username)


def role_ids():
    r = admin().get("/api/v1/roles")
    return {ro["code"]: ro["id"] for ro in expect(r, 200, "GET /api/v1/roles")["items"]}


def create_user(username, org_id, roles, display_name=None):
    """Create a user as admin (roles by code), return (user json, initial password)."""
    ids = role_ids()
    body = {"username": username, "display_name": display_name or ("测试用户" + username),
            "org_id": org_id, "role_ids": [ids[x] for x in roles]}
    r = admin().post("/api/v1/users", body)
    u = expect(r, 201, "create user %s" % username)
    S.passwords[username] = u["initial_password"]
    return u, u["initial_password"]


def liaison_can_read_users():
    """The built-in liaison role (scope subtree) has only org.read; the
    security admin adds user.read so the users list can be scope-checked."""
    sec = session_for("secadmin")
    roles = expect(sec.get("/api/v1/roles"), 200, "GET roles")["items"]
    liaison = next(ro for ro in roles if ro["code"] == "liaison")
    if "user.read" not in liaison["permissions"]:
        js = expect(sec.patch("/api/v1/roles/%d" % liaison["id"],
                              {"permissions": sorted(set(liaison["permissions"]) | {"user.read"})}), 200,
                    "secadmin adds user.read to the liaison role")
        eq(sorted(js["permissions"]), ["org.read", "user.read"], "liaison permissions")
        eq(js["scope"], "subtree", "liaison scope")


def create_org(c, parent_id, name, kind="department", **extra):
    body = {"parent_id": parent_id, "kind": kind, "name": name}
    body.update(extra)
    r = c.post("/api/v1/orgs", body)
    return expect(r, 201, "create org %s" % name)


def run_cli(*args, timeout=60):
    env = dict(os.environ, FAZHI_FAST_PASSWORD_HASH="1")
    p = subprocess.run([S.bin] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def audit_items(c, **filters):
    """All audit items matching filters (pages of 200)."""
    items, page = [], 1
    while True:
        q = "&".join("%s=%s" % (k, v) for k, v in sorted(filters.items()))
        r = c.get("/api/v1/audit?%s&page_size=200&page=%d" % (q, page))
        js = expect(r, 200, "GET /api/v1/audit?" + q)
        items += js["items"]
        if len(items) >= js["total"] or not js["items"]:
            return items
        page += 1


def raw_http(data, timeout=None):
    """Send raw bytes on a fresh connection and read the reply until close."""
    s = socket.create_connection((HOST, S.port), timeout=timeout or S.timeout)
    chunks = []
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        while True:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            chunks.append(b)
    finally:
        s.close()
    return b"".join(chunks)


# ---------------------------------------------------------------- registry

TESTS = []


def test(name):
    def register(fn):
        TESTS.append((name, fn))
        return fn
    return register


# ---------------------------------------------------------------- tests: basics and sessions


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


@test("requests without a session: 401 UNAUTHENTICATED (also with a bogus cookie)")
def t_unauthenticated():
    c = Client()
    for method, path, body in (("GET", "/api/v1/session", None), ("GET", "/api/v1/orgs", None),
                               ("GET", "/api/v1/orgs/1", None), ("GET", "/api/v1/users", None),
                               ("GET", "/api/v1/roles", None), ("GET", "/api/v1/audit", None),
                               ("GET", "/api/v1/security/policy", None),
                               ("POST", "/api/v1/orgs", {"parent_id": 1, "kind": "other", "name": "未登录新建"}),
                               ("PUT", "/api/v1/session/password", {"old_password": "a", "new_password": "b"}),
                               ("DELETE", "/api/v1/session", None)):
        expect_error(c.request(method, path, body), 401, "UNAUTHENTICATED", "%s %s" % (method, path))
    bogus = Client()
    bogus.cookies["fazhi_session"] = "0" * 64
    expect_error(bogus.get("/api/v1/orgs"), 401, "UNAUTHENTICATED", "bogus session cookie")
    bogus.cookies["fazhi_session"] = "not-a-token"
    expect_error(bogus.get("/api/v1/orgs"), 401, "UNAUTHENTICATED", "malformed session cookie")
    check(all(o["name"] != "未登录新建" for o in all_orgs(status="all")), "org created without a session")


@test("missing permission: 403 FORBIDDEN (liaison creates org, admin reads audit, auditor creates user)")
def t_forbidden():
    root = org_by_name(ROOT_NAME)
    liaison = session_for("liaison")
    body = {"parent_id": root["id"], "kind": "other", "name": "联络员无权新建"}
    expect_error(liaison.post("/api/v1/orgs", body), 403, "FORBIDDEN", "liaison POST /api/v1/orgs")
    expect_error(admin().get("/api/v1/audit"), 403, "FORBIDDEN", "admin GET /api/v1/audit")
    auditor = session_for("auditor")
    expect_error(auditor.post("/api/v1/users", {"username": "auditor_made", "display_name": "审计建的",
                                                "org_id": root["id"]}),
                 403, "FORBIDDEN", "auditor POST /api/v1/users")
    r = auditor.put("/api/v1/users/%d/roles" % user_by_name("staff")["id"], {"role_ids": []})
    expect_error(r, 403, "FORBIDDEN", "auditor PUT user roles")
    staff = session_for("staff")
    expect_error(session_for("office").get("/api/v1/users"), 403, "FORBIDDEN", "office GET /api/v1/users")
    r = staff.put("/api/v1/users/%d/roles" % user_by_name("office")["id"], {"role_ids": []})
    expect_error(r, 403, "FORBIDDEN", "staff PUT user roles")
    eq([ro["code"] for ro in user_by_name("office")["roles"]], ["office"], "office roles unchanged")
    expect_error(staff.get("/api/v1/roles"), 403, "FORBIDDEN", "staff GET /api/v1/roles")
    check(all(o["name"] != "联络员无权新建" for o in all_orgs(status="all")), "liaison created an org")
    r = admin().get("/api/v1/users?q=auditor_made")
    eq(expect(r, 200, "user search")["total"], 0, "users named auditor_made")


# ---------------------------------------------------------------- tests: separation of duties


@test("三权分立: admin cannot read audit, read or change security policy, create roles or grant auditadmin")
def t_sod_admin():
    a = admin()
    expect_error(a.get("/api/v1/audit"), 403, "FORBIDDEN", "admin GET audit")
    expect_error(a.get("/api/v1/audit/verify"), 403, "FORBIDDEN", "admin GET audit/verify")
    expect_error(a.get("/api/v1/security/policy"), 403, "FORBIDDEN", "admin GET policy")
    expect_error(a.put("/api/v1/security/policy", {"max_failed_logins": 20}), 403, "FORBIDDEN", "admin PUT policy")
    expect_error(a.post("/api/v1/roles", {"code": "admin_made", "name": "管理员建的", "scope": "all",
                                          "permissions": ["org.read"]}),
                 403, "FORBIDDEN", "admin POST roles")
    ids = role_ids()
    u, _ = create_user("sod_target", org_by_name("嘉善县司法局")["id"], ["staff"])
    S.ids["sod_target_id"] = u["id"]
    r = a.put("/api/v1/users/%d/roles" % u["id"], {"role_ids": [ids["auditadmin"]]})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "admin grants auditadmin")
    r = a.put("/api/v1/users/%d/roles" % u["id"], {"role_ids": [ids["staff"], ids["sysadmin"]]})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "admin grants sysadmin")
    r = a.post("/api/v1/users", {"username": "sod_create", "display_name": "带三员角色新建",
                                 "org_id": org_by_name("嘉善县司法局")["id"], "role_ids": [ids["auditadmin"]]})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "admin creates a user with auditadmin")
    js = expect(a.get("/api/v1/users/%d" % u["id"]), 200, "read back target")
    eq([ro["code"] for ro in js["roles"]], ["staff"], "target roles unchanged")
    eq(expect(a.get("/api/v1/users?q=sod_create"), 200, "search")["total"], 0, "users named sod_create")
    # The policy is unchanged (read by the security admin).
    js = expect(session_for("secadmin").get("/api/v1/security/policy"), 200, "secadmin GET policy")
    eq(js["max_failed_logins"], 5, "max_failed_logins after refused admin PUT")


@test("三权分立: secadmin reads and updates the security policy and grants auditadmin; at most one admin role")
def t_sod_secadmin():
    sec = session_for("secadmin")
    me = expect(sec.get("/api/v1/session"), 200, "secadmin session")
    for p in ("security.manage", "role.manage"):
        check(p in me["permissions"], "secadmin lacks %s" % p)
    check("audit.read" not in me["permissions"] and "user.manage" not in me["permissions"],
          "secadmin permissions: %r" % me["permissions"])
    expect_error(sec.get("/api/v1/audit"), 403, "FORBIDDEN", "secadmin GET audit")

    before = expect(sec.get("/api/v1/security/policy"), 200, "GET policy")
    eq(before, {"password_min_length": 10, "password_min_classes": 3, "max_failed_logins": 5,
                "lockout_minutes": 15, "session_idle_minutes": 30, "session_absolute_hours": 12,
                "password_max_age_days": 0}, "default policy")
    js = expect(sec.put("/api/v1/security/policy", {"session_idle_minutes": 45}), 200, "PUT policy")
    eq(js["session_idle_minutes"], 45, "session_idle_minutes after PUT")
    after = expect(sec.get("/api/v1/security/policy"), 200, "GET policy after PUT")
    expected = dict(before, session_idle_minutes=45)
    eq(after, expected, "policy after PUT")
    expect_error(sec.put("/api/v1/security/policy", {"password_min_length": 5}), 400, "VALIDATION_FAILED",
                 "password_min_length below minimum", field="password_min_length")
    expect_error(sec.put("/api/v1/security/policy", {"lockout": 5}), 400, "VALIDATION_FAILED",
                 "unknown policy field", field="lockout")
    eq(expect(sec.get("/api/v1/security/policy"), 200, "GET policy")["password_min_length"], 10,
       "password_min_length after refused PUT")

    ids = role_ids()
    u, _ = create_user("audit2", org_by_name("嘉善县司法局")["id"], [])
    S.ids["audit2_id"] = u["id"]
    r = sec.put("/api/v1/users/%d/roles" % u["id"], {"role_ids": [ids["auditadmin"], ids["sysadmin"]]})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "secadmin grants two admin roles at once")
    js = expect(sec.put("/api/v1/users/%d/roles" % u["id"], {"role_ids": [ids["auditadmin"]]}), 200,
                "secadmin grants auditadmin")
    eq([ro["code"] for ro in js["roles"]], ["auditadmin"], "roles after grant")
    # A holder of an admin role can only be changed by the security admin.
    r = admin().put("/api/v1/users/%d/roles" % u["id"], {"role_ids": [ids["staff"]]})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "admin changes an auditadmin's roles")
    c = session_for("audit2")
    js = expect(c.get("/api/v1/audit?page_size=1"), 200, "new audit admin reads audit")
    check(js["total"] > 0, "audit is empty")


@test("nobody changes their own roles: 403 SEPARATION_OF_DUTIES for admin and secadmin")
def t_own_roles():
    ids = role_ids()
    a = admin()
    me = expect(a.get("/api/v1/session"), 200, "admin session")["user"]
    r = a.put("/api/v1/users/%d/roles" % me["id"], {"role_ids": [ids["sysadmin"], ids["leader"]]})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "admin changes own roles")
    sec = session_for("secadmin")
    sme = expect(sec.get("/api/v1/session"), 200, "secadmin session")["user"]
    r = sec.put("/api/v1/users/%d/roles" % sme["id"], {"role_ids": [ids["secadmin"], ids["leader"]]})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "secadmin changes own roles")
    r = sec.put("/api/v1/users/%d/roles" % sme["id"], {"role_ids": []})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "secadmin drops own roles")
    eq([ro["code"] for ro in expect(a.get("/api/v1/users/%d" % me["id"]), 200, "admin")["roles"]],
       ["sysadmin"], "admin roles unchanged")
    eq([ro["code"] for ro in expect(a.get("/api/v1/users/%d" % sme["id"]), 200, "secadmin")["roles"]],
       ["secadmin"], "secadmin roles unchanged")


@test("security policy changes take effect: longer minimum password length, fewer failures before lockout")
def t_policy_effect():
    sec = session_for("secadmin")
    before = expect(sec.get("/api/v1/security/policy"), 200, "GET policy")
    u, pw = create_user("policy_probe", org_by_name("嘉善县司法局")["id"], ["staff"])
    try:
        expect(sec.put("/api/v1/security/policy", {"password_min_length": 14, "max_failed_logins": 3}), 200,
               "tighten policy")
        c = login("policy_probe")
        r = c.put("/api/v1/session/password", {"old_password": pw, "new_password": "Ab#12345xyz"})
        err = expect_error(r, 400, "VALIDATION_FAILED", "11-char password under a 14-char minimum",
                           field="new_password")
        check("14" in err["details"]["fields"]["new_password"], "message does not name 14: %r" % err)
        new = "Ab#12345xyz789"
        expect(c.put("/api/v1/session/password", {"old_password": pw, "new_password": new}), 200,
               "14-char password")
        S.passwords["policy_probe"] = new
        for i in (1, 2):
            expect_error(Client().login("policy_probe", "Bad#pass%04d" % i), 401, "LOGIN_FAILED",
                         "failed attempt %d" % i)
        err = expect_error(Client().login("policy_probe", "Bad#pass0003"), 403, "ACCOUNT_LOCKED",
                           "3rd failed attempt with max_failed_logins 3")
        check("锁定" in err["message"], "lockout message: %r" % err["message"])
        expect_error(Client().login("policy_probe", new), 403, "ACCOUNT_LOCKED", "correct password while locked")
    finally:
        expect(sec.put("/api/v1/security/policy", {"password_min_length": before["password_min_length"],
                                                   "max_failed_logins": before["max_failed_logins"]}), 200,
               "restore policy")
    eq(expect(sec.get("/api/v1/security/policy"), 200, "GET policy"), before, "policy restored")


@test("roles: built-in list, custom role without admin permissions, built-in admin roles are read-only")
def t_roles():
    sec = session_for("secadmin")
    items = expect(sec.get("/api/v1/roles"), 200, "GET roles")["items"]
    by = {ro["code"]: ro for ro in items}
    for code in ("sysadmin", "secadmin", "auditadmin", "leader", "staff", "liaison", "office"):
        check(code in by and by[code]["builtin"], "built-in role %s missing: %r" % (code, sorted(by)))
    eq({c: by[c]["admin_kind"] for c in ("sysadmin", "secadmin", "auditadmin", "staff")},
       {"sysadmin": "system", "secadmin": "security", "auditadmin": "audit", "staff": None}, "admin_kind")
    eq(by["liaison"]["scope"], "subtree", "liaison scope")
    eq(by["office"]["scope"], "org", "office scope")
    check("audit.read" in by["auditadmin"]["permissions"], "auditadmin permissions: %r"
          % by["auditadmin"]["permissions"])
    perms = expect(sec.get("/api/v1/permissions"), 200, "GET permissions")
    keys = {p["key"] for p in perms["items"]}
    check({"org.read", "org.manage", "user.manage", "audit.read", "security.manage"} <= keys,
          "permissions: %r" % keys)

    for bad in ("audit.read", "user.manage", "security.manage"):
        r = sec.post("/api/v1/roles", {"code": "bad_" + bad.replace(".", "_"), "name": "越权角色" + bad,
                                       "scope": "all", "permissions": ["org.read", bad]})
        expect_error(r, 400, "VALIDATION_FAILED", "custom role with %s" % bad, field="permissions")
    r = sec.post("/api/v1/roles", {"code": "bad_unknown", "name": "未知权限角色", "scope": "all",
                                   "permissions": ["no.such"]})
    expect_error(r, 400, "VALIDATION_FAILED", "custom role with an unknown permission", field="permissions")
    r = sec.post("/api/v1/roles", {"code": "bad_scope", "name": "错误范围角色", "scope": "world",
                                   "permissions": ["org.read"]})
    expect_error(r, 400, "VALIDATION_FAILED", "custom role with a bad scope", field="scope")

    r = sec.patch("/api/v1/roles/%d" % by["secadmin"]["id"], {"name": "超级管理员"})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "PATCH built-in secadmin role")
    r = sec.patch("/api/v1/roles/%d" % by["auditadmin"]["id"], {"permissions": ["audit.read", "user.read"]})
    expect_error(r, 403, "SEPARATION_OF_DUTIES", "PATCH built-in auditadmin role")
    r = sec.patch("/api/v1/roles/%d" % by["staff"]["id"], {"permissions": ["org.read", "security.manage"]})
    expect_error(r, 400, "VALIDATION_FAILED", "PATCH built-in staff role with security.manage", field="permissions")
    expect_error(admin().patch("/api/v1/roles/%d" % by["staff"]["id"], {"name": "业务人员"}), 403, "FORBIDDEN",
                 "admin PATCH role")
    items = expect(sec.get("/api/v1/roles"), 200, "GET roles")["items"]
    after = {ro["code"]: ro for ro in items}
    for code in ("secadmin", "auditadmin", "staff"):
        eq((after[code]["name"], sorted(after[code]["permissions"])),
           (by[code]["name"], sorted(by[code]["permissions"])), "%s role unchanged" % code)

    js = expect(sec.post("/api/v1/roles", {"code": "town_viewer", "name": "乡镇查看员", "scope": "subtree",
                                           "permissions": ["org.read", "user.read"],
                                           "description": "查看本乡镇机构和人员"}), 201, "create custom role")
    eq((js["code"], js["scope"], sorted(js["permissions"]), js["builtin"], js["admin_kind"]),
       ("town_viewer", "subtree", ["org.read", "user.read"], False, None), "custom role")
    S.ids["town_viewer_role"] = js["id"]
    r = sec.post("/api/v1/roles", {"code": "town_viewer", "name": "重复代码", "scope": "org",
                                   "permissions": []})
    expect_error(r, 400, "VALIDATION_FAILED", "duplicate role code", field="code")

    r = sec.patch("/api/v1/roles/%d" % js["id"], {"permissions": ["org.read", "audit.read"]})
    expect_error(r, 400, "VALIDATION_FAILED", "PATCH custom role with audit.read", field="permissions")
    js2 = expect(sec.patch("/api/v1/roles/%d" % js["id"], {"name": "乡镇查看人员"}), 200, "rename custom role")
    eq(js2["name"], "乡镇查看人员", "custom role name")
    eq(sorted(js2["permissions"]), ["org.read", "user.read"], "custom role permissions unchanged")
    expect_error(sec.patch("/api/v1/roles/999999", {"name": "不存在的"}), 404, "NOT_FOUND", "PATCH absent role")


# ---------------------------------------------------------------- tests: data scope


@test("data scope: a 大云镇 liaison cannot read 西塘镇's org or users, cannot PATCH it, sees only 大云镇")
def t_scope_dayun():
    dayun = org_by_name(DAYUN_TOWN)
    xitang = org_by_name(XITANG_TOWN)
    xitang_office = org_by_name(XITANG_OFFICE)
    liaison_can_read_users()
    u, _ = create_user("dayun_liaison", dayun["id"], ["liaison"], "大云镇法治联络员")
    eq(u["org_id"], dayun["id"], "new user's org")
    c = session_for("dayun_liaison")
    me = expect(c.get("/api/v1/session"), 200, "GET session")
    eq(me["scope"], "subtree", "scope of the 大云镇 liaison")

    expect_error(c.get("/api/v1/orgs/%d" % xitang["id"]), 403, "OUT_OF_SCOPE", "GET 西塘镇")
    expect_error(c.get("/api/v1/orgs/%d" % xitang_office["id"]), 403, "OUT_OF_SCOPE", "GET 西塘司法所")
    expect_error(c.get("/api/v1/orgs/%d" % org_by_name(ROOT_NAME)["id"]), 403, "OUT_OF_SCOPE", "GET root")
    eq(expect(c.get("/api/v1/orgs/%d" % dayun["id"]), 200, "GET 大云镇")["name"], DAYUN_TOWN, "own org")
    js = expect(c.get("/api/v1/orgs"), 200, "GET orgs")
    eq(sorted(o["name"] for o in js["items"]), sorted([DAYUN_TOWN, DAYUN_OFFICE]), "orgs visible")
    eq(js["total"], 2, "orgs total")

    users = expect(c.get("/api/v1/users?page_size=200"), 200, "GET users")
    names = [x["username"] for x in users["items"]]
    check("dayun_liaison" in names, "own user not listed: %r" % names)
    for other in ("liaison", "office", "admin", "staff"):
        check(other not in names, "%s visible to the 大云镇 liaison: %r" % (other, names))
    for x in users["items"]:
        check(x["org_id"] in (dayun["id"], org_by_name(DAYUN_OFFICE)["id"]), "user outside scope: %r" % x)
    eq(users["total"], len(users["items"]), "users total")
    r = c.get("/api/v1/users?org_id=%d" % xitang["id"])
    js = expect(r, 200, "GET users?org_id=西塘镇")
    eq((js["total"], js["items"]), (0, []), "西塘镇 users via org_id filter")
    r = c.get("/api/v1/users?q=liaison&page_size=200")
    eq(sorted(x["username"] for x in expect(r, 200, "search liaison")["items"]), ["dayun_liaison"],
       "search for liaison")
    expect_error(c.get("/api/v1/users/%d" % user_by_name("liaison")["id"]), 403, "OUT_OF_SCOPE",
                 "GET 西塘 liaison user")

    r = c.patch("/api/v1/orgs/%d" % xitang["id"], {"name": "大云改的西塘"})
    expect_error(r, 403, "FORBIDDEN", "PATCH 西塘镇 by the 大云镇 liaison")
    eq(org_by_name(XITANG_TOWN)["id"], xitang["id"], "西塘镇 name unchanged")
    check(all(o["name"] != "大云改的西塘" for o in all_orgs(status="all")), "西塘镇 was renamed")


@test("data scope: the 西塘 liaison sees only 西塘镇 and its 司法所")
def t_scope_xitang_liaison():
    c = session_for("liaison")
    me = expect(c.get("/api/v1/session"), 200, "GET session")
    eq(me["scope"], "subtree", "liaison scope")
    eq(me["user"]["org_name"], XITANG_TOWN, "liaison org")
    js = expect(c.get("/api/v1/orgs"), 200, "GET orgs")
    eq(sorted(o["name"] for o in js["items"]), sorted([XITANG_TOWN, XITANG_OFFICE]), "orgs visible")
    eq(js["total"], 2, "total")
    office = next(o for o in js["items"] if o["name"] == XITANG_OFFICE)
    town = next(o for o in js["items"] if o["name"] == XITANG_TOWN)
    eq(office["parent_id"], town["id"], "司法所 parent")
    expect(c.get("/api/v1/orgs/%d" % office["id"]), 200, "GET own 司法所")
    expect_error(c.get("/api/v1/orgs/%d" % org_by_name(DAYUN_TOWN)["id"]), 403, "OUT_OF_SCOPE", "GET 大云镇")
    expect_error(c.get("/api/v1/orgs/%d" % org_by_name(ROOT_NAME)["id"]), 403, "OUT_OF_SCOPE", "GET root")
    expect_error(c.get("/api/v1/orgs/999999"), 404, "NOT_FOUND", "GET absent org")
    liaison_can_read_users()
    users = expect(c.get("/api/v1/users?page_size=200"), 200, "GET users")
    eq(sorted(u["username"] for u in users["items"]), ["liaison", "office"], "users visible to the 西塘 liaison")
    eq(users["total"], 2, "users total")
    expect_error(c.get("/api/v1/users/%d" % user_by_name("dayun_liaison")["id"]), 403, "OUT_OF_SCOPE",
                 "GET the 大云镇 liaison user")


@test("data scope: the 司法所 office user sees exactly one org, its own")
def t_scope_office():
    # A unit below the 司法所 shows that scope "org" does not reach down.
    a = admin()
    child = create_org(a, org_by_name(XITANG_OFFICE)["id"], "西塘司法所人民调解室", kind="other")
    try:
        c = session_for("office")
        me = expect(c.get("/api/v1/session"), 200, "GET session")
        eq(me["scope"], "org", "office scope")
        js = expect(c.get("/api/v1/orgs"), 200, "GET orgs")
        eq([o["name"] for o in js["items"]], [XITANG_OFFICE], "orgs visible")
        eq(js["total"], 1, "total")
        expect(c.get("/api/v1/orgs/%d" % js["items"][0]["id"]), 200, "GET own org")
        expect_error(c.get("/api/v1/orgs/%d" % org_by_name(XITANG_TOWN)["id"]), 403, "OUT_OF_SCOPE",
                     "GET parent town")
        expect_error(c.get("/api/v1/orgs/%d" % child["id"]), 403, "OUT_OF_SCOPE", "GET child unit")
    finally:
        expect(a.post("/api/v1/orgs/%d/close" % child["id"], {"reason": "测试完毕"}), 200, "close child unit")


# ---------------------------------------------------------------- tests: request hygiene


@test("CSRF: writes without or with a wrong X-CSRF-Token get 403 CSRF_FAILED and change nothing")
def t_csrf():
    a = admin()
    root = org_by_name(ROOT_NAME)
    body = {"parent_id": root["id"], "kind": "other", "name": "CSRF测试机构"}
    expect_error(a.post("/api/v1/orgs", body, csrf=False), 403, "CSRF_FAILED", "POST without token")
    expect_error(a.post("/api/v1/orgs", body, csrf=False, headers={"X-CSRF-Token": "f" * 64}), 403,
                 "CSRF_FAILED", "POST with a wrong token")
    expect_error(a.post("/api/v1/orgs", body, csrf=False, headers={"X-CSRF-Token": a.csrf[:32]}), 403,
                 "CSRF_FAILED", "POST with a truncated token")
    other = admin()  # another session's token is not this session's
    expect_error(a.post("/api/v1/orgs", body, csrf=False, headers={"X-CSRF-Token": other.csrf}), 403,
                 "CSRF_FAILED", "POST with another session's token")
    check(all(o["name"] != "CSRF测试机构" for o in all_orgs(status="all")), "org created without CSRF token")

    town = org_by_name(DAYUN_TOWN)
    r = a.patch("/api/v1/orgs/%d" % town["id"], {"name": "CSRF改名"}, csrf=False)
    expect_error(r, 403, "CSRF_FAILED", "PATCH without token")
    eq(expect(a.get("/api/v1/orgs/%d" % town["id"]), 200, "read back")["name"], DAYUN_TOWN, "name after PATCH")

    sec = session_for("secadmin")
    r = sec.put("/api/v1/security/policy", {"max_failed_logins": 20}, csrf=False)
    expect_error(r, 403, "CSRF_FAILED", "PUT policy without token")
    eq(expect(sec.get("/api/v1/security/policy"), 200, "policy")["max_failed_logins"], 5, "max_failed_logins")

    expect_error(a.delete("/api/v1/session", csrf=False), 403, "CSRF_FAILED", "logout without token")
    expect(a.get("/api/v1/session"), 200, "session still valid after refused logout")


@test("malformed JSON body: 400 INVALID_JSON")
def t_malformed_json():
    a = admin()
    for raw in ('{"parent_id": 1, "kind": "other", "name": ', "{parent_id: 1}", "", "[1, 2]", '"text"',
                '{"name": "\xff"}'.encode("latin-1")):
        expect_error(a.post("/api/v1/orgs", raw=raw), 400, "INVALID_JSON", "body %r" % (raw,))
    deep = "[" * 40 + "]" * 40
    expect_error(a.post("/api/v1/orgs", raw='{"name": %s}' % deep), 400, "INVALID_JSON", "deeply nested body")
    expect_error(Client().post("/api/v1/session", raw='{"username": "admin"'), 400, "INVALID_JSON",
                 "malformed login body")


@test("duplicate keys in a JSON object: 400 INVALID_JSON")
def t_duplicate_keys():
    a = admin()
    root = org_by_name(ROOT_NAME)
    raw = '{"parent_id": %d, "kind": "other", "name": "重复键甲", "name": "重复键乙"}' % root["id"]
    expect_error(a.post("/api/v1/orgs", raw=raw), 400, "INVALID_JSON", "duplicate name key")
    names = {o["name"] for o in all_orgs(status="all")}
    check("重复键甲" not in names and "重复键乙" not in names, "org created from a duplicate-key body")
    raw = '{"username": "admin", "password": "x", "password": "%s"}' % ADMIN_PASSWORD
    expect_error(Client().post("/api/v1/session", raw=raw), 400, "INVALID_JSON", "duplicate key in login")


@test("wrong Content-Type: 415 UNSUPPORTED_MEDIA_TYPE")
def t_content_type():
    a = admin()
    root = org_by_name(ROOT_NAME)
    raw = json.dumps({"parent_id": root["id"], "kind": "other", "name": "错误类型机构"})
    for ct in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx", "application/xml"):
        expect_error(a.post("/api/v1/orgs", raw=raw, content_type=ct), 415, "UNSUPPORTED_MEDIA_TYPE",
                     "Content-Type %s" % ct)
    expect(a.post("/api/v1/orgs", raw=raw, content_type="application/json; charset=utf-8"), 201,
           "Content-Type with charset")
    names = [o["name"] for o in all_orgs(status="all")]
    eq(names.count("错误类型机构"), 1, "orgs created")


@test("unknown field: 400 VALIDATION_FAILED naming the field; wrong types and required fields too")
def t_unknown_field():
    a = admin()
    root = org_by_name(ROOT_NAME)
    body = {"parent_id": root["id"], "kind": "other", "name": "未知字段机构", "colour": "red"}
    err = expect_error(a.post("/api/v1/orgs", body), 400, "VALIDATION_FAILED", "unknown field", field="colour")
    eq(sorted(err["details"]["fields"]), ["colour"], "fields reported")
    r = a.post("/api/v1/orgs", {"parent_id": str(root["id"]), "kind": "other", "name": 12})
    err = expect_error(r, 400, "VALIDATION_FAILED", "wrong types", field="parent_id")
    check("name" in err["details"]["fields"], "name type error missing: %r" % err)
    r = a.post("/api/v1/orgs", {"kind": "other"})
    err = expect_error(r, 400, "VALIDATION_FAILED", "missing fields", field="parent_id")
    check("name" in err["details"]["fields"], "missing name not reported: %r" % err)
    r = a.patch("/api/v1/users/%d" % user_by_name("staff")["id"], {"email": "x@example.com"})
    expect_error(r, 400, "VALIDATION_FAILED", "unknown field in user PATCH", field="email")
    check(all(o["name"] != "未知字段机构" for o in all_orgs(status="all")), "org created despite unknown field")


@test("oversized body: 413 and the server keeps serving")
def t_oversized_body():
    a = admin()
    root = org_by_name(ROOT_NAME)
    filler = "甲" * 40000  # 120000 bytes of UTF-8, max body is 65536
    body = json.dumps({"parent_id": root["id"], "kind": "other", "name": "超大请求", "short_name": filler},
                      ensure_ascii=False).encode("utf-8")
    check(len(body) > 65536, "body is only %d bytes" % len(body))
    head = ("POST /api/v1/orgs HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\nCookie: fazhi_session=%s\r\nX-CSRF-Token: %s\r\n\r\n"
            % (HOST, S.port, len(body), a.cookies["fazhi_session"], a.csrf)).encode("ascii")
    reply = raw_http(head + body)
    status_line = reply.split(b"\r\n", 1)[0].decode("latin-1")
    check(re.match(r"HTTP/1\.[01] 413\b", status_line), "expected 413, got %r" % reply[:300])
    check(b'"code":"PAYLOAD_TOO_LARGE"' in reply, "413 of a JSON route is a JSON error: %r" % reply[-300:])
    # Past --max-upload the server must refuse from Content-Length alone, without reading the body.
    head = ("POST /api/v1/orgs HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\nCookie: fazhi_session=%s\r\nX-CSRF-Token: %s\r\n\r\n"
            % (HOST, S.port, 2 * 1048576, a.cookies["fazhi_session"], a.csrf)).encode("ascii")
    reply = raw_http(head)
    status_line = reply.split(b"\r\n", 1)[0].decode("latin-1")
    check(re.match(r"HTTP/1\.[01] 413\b", status_line), "expected 413 (headers only), got %r" % reply[:300])
    eq(expect(Client().get("/healthz"), 200, "healthz after 413"), {"status": "ok"}, "healthz")
    expect(a.get("/api/v1/session"), 200, "authenticated GET after 413")
    expect(a.get("/api/v1/orgs"), 200, "authenticated GET orgs after 413")
    check(all(o["name"] != "超大请求" for o in all_orgs(status="all")), "oversized request created an org")
    # Just under the limit is processed normally (here: refused by validation, not by size).
    body = json.dumps({"parent_id": root["id"], "kind": "other", "name": "较大请求", "short_name": "x" * 60000})
    check(len(body) < 65536, "body too large")
    expect_error(a.post("/api/v1/orgs", raw=body), 400, "VALIDATION_FAILED", "large but allowed body",
                 field="short_name")


@test("unknown path: 404 NOT_FOUND; wrong method: 405 METHOD_NOT_ALLOWED")
def t_routing():
    a = admin()
    expect_error(a.get("/api/v1/no-such-thing"), 404, "NOT_FOUND", "unknown path")
    expect_error(a.delete("/api/v1/orgs"), 405, "METHOD_NOT_ALLOWED", "DELETE /api/v1/orgs")
    expect_error(a.get("/api/v1/orgs/abc"), 404, "NOT_FOUND", "non-numeric org id")


# ---------------------------------------------------------------- tests: orgs


@test("GET /api/v1/org-kinds lists the 10 org kinds with Chinese names")
def t_org_kinds():
    js = expect(admin().get("/api/v1/org-kinds"), 200, "org-kinds")
    codes = [k["code"] for k in js["items"]]
    eq(codes, ["government", "party", "justice_bureau", "department", "section", "town", "justice_office",
               "village", "court", "other"], "kind codes")
    for k in js["items"]:
        check(CJK.search(k["name"]), "kind name not Chinese: %r" % k)


@test("GET /api/v1/orgs as admin: the whole demo county; GET /api/v1/orgs/{id}; 404 for an absent id")
def t_org_list_get():
    a = admin()
    js = expect(a.get("/api/v1/orgs"), 200, "GET orgs")
    eq(js["total"], len(js["items"]), "total vs items")
    check(js["total"] >= 55, "expected the 55 demo orgs, got %d" % js["total"])
    root = next(o for o in js["items"] if o["name"] == ROOT_NAME)
    eq((root["parent_id"], root["kind"], root["division_code"], root["status"]),
       (None, "government", "330421", "active"), "root org")
    eq(root["path"], "/%d/" % root["id"], "root path")
    for o in js["items"]:
        check(o["path"].startswith(root["path"]), "org outside the root: %r" % o)
        for k in ("id", "parent_id", "kind", "kind_name", "name", "short_name", "division_code", "sort_order",
                  "path", "status"):
            check(k in o, "org lacks %s: %r" % (k, o))
    xt = next(o for o in js["items"] if o["name"] == XITANG_TOWN)
    eq((xt["kind"], xt["kind_name"], xt["short_name"], xt["division_code"], xt["parent_id"]),
       ("town", "乡镇街道", "西塘镇", "330421103", root["id"]), "西塘镇")
    one = expect(a.get("/api/v1/orgs/%d" % xt["id"]), 200, "GET 西塘镇")
    eq(one["name"], XITANG_TOWN, "GET by id")
    eq(one["path"], "%s%d/" % (root["path"], xt["id"]), "西塘镇 path")
    expect_error(a.get("/api/v1/orgs/999999"), 404, "NOT_FOUND", "absent org")


@test("org create: 201 with path under the parent; duplicate name, bad division code, bad kind refused")
def t_org_create():
    a = admin()
    root = org_by_name(ROOT_NAME)
    o = create_org(a, root["id"], "测试专项工作办公室", kind="department", short_name="专项办",
                   division_code="330421", sort_order=999)
    eq((o["parent_id"], o["kind"], o["kind_name"], o["name"], o["short_name"], o["division_code"],
        o["sort_order"], o["status"]),
       (root["id"], "department", "部门", "测试专项工作办公室", "专项办", "330421", 999, "active"), "created org")
    eq(o["path"], "%s%d/" % (root["path"], o["id"]), "path")
    S.ids["created_org"] = o["id"]
    eq(expect(a.get("/api/v1/orgs/%d" % o["id"]), 200, "read back")["name"], "测试专项工作办公室", "read back")

    r = a.post("/api/v1/orgs", {"parent_id": root["id"], "kind": "other", "name": "测试专项工作办公室"})
    expect_error(r, 400, "VALIDATION_FAILED", "duplicate name under the same parent", field="name")
    # The same name under another parent is fine.
    create_org(a, o["id"], "测试专项工作办公室", kind="section")
    for bad in ("99x", "12345", "ABCDEF"):
        r = a.post("/api/v1/orgs", {"parent_id": root["id"], "kind": "other", "name": "区划错误" + bad,
                                    "division_code": bad})
        expect_error(r, 400, "VALIDATION_FAILED", "division_code %r" % bad, field="division_code")
    r = a.post("/api/v1/orgs", {"parent_id": root["id"], "kind": "ministry", "name": "类型错误机构"})
    expect_error(r, 400, "VALIDATION_FAILED", "bad kind", field="kind")
    r = a.post("/api/v1/orgs", {"parent_id": root["id"], "kind": "other", "name": "甲"})
    expect_error(r, 400, "VALIDATION_FAILED", "one-character name", field="name")
    r = a.post("/api/v1/orgs", {"parent_id": 999999, "kind": "other", "name": "无上级机构"})
    expect_absent_ref(r, "parent_id", "create under an absent parent")
    names = {x["name"] for x in all_orgs(status="all")}
    for n in ("区划错误99x", "类型错误机构", "甲", "无上级机构"):
        check(n not in names, "refused org %r was created" % n)


@test("org rename via PATCH; sibling name clash refused; closed org cannot be changed")
def t_org_rename():
    a = admin()
    root = org_by_name(ROOT_NAME)
    o = create_org(a, root["id"], "改名前机构", kind="department")
    S.ids["renamed_org"] = o["id"]
    js = expect(a.patch("/api/v1/orgs/%d" % o["id"], {"name": "改名后机构", "short_name": "改名后",
                                                      "sort_order": 7}), 200, "rename")
    eq((js["name"], js["short_name"], js["sort_order"], js["path"]), ("改名后机构", "改名后", 7, o["path"]),
       "after rename")
    eq(expect(a.get("/api/v1/orgs/%d" % o["id"]), 200, "read back")["name"], "改名后机构", "read back")
    r = a.patch("/api/v1/orgs/%d" % o["id"], {"name": XITANG_TOWN})
    expect_error(r, 400, "VALIDATION_FAILED", "rename to a sibling's name", field="name")
    r = a.patch("/api/v1/orgs/%d" % o["id"], {"division_code": "99x"})
    expect_error(r, 400, "VALIDATION_FAILED", "PATCH bad division code", field="division_code")
    js = expect(a.get("/api/v1/orgs/%d" % o["id"]), 200, "read back")
    eq((js["name"], js["division_code"]), ("改名后机构", ""), "unchanged after refused PATCHes")
    expect_error(a.patch("/api/v1/orgs/999999", {"name": "不存在"}), 404, "NOT_FOUND", "PATCH absent org")


@test("org move rewrites the paths of the whole subtree; moving under its own subtree is refused")
def t_org_move():
    a = admin()
    root = org_by_name(ROOT_NAME)
    A = create_org(a, root["id"], "移动测试甲", kind="department")
    B = create_org(a, A["id"], "移动测试乙", kind="section")
    C = create_org(a, B["id"], "移动测试丙", kind="other")
    D = create_org(a, root["id"], "移动测试丁", kind="department")
    eq(C["path"], "%s%d/%d/%d/" % (root["path"], A["id"], B["id"], C["id"]), "path before move")

    r = a.post("/api/v1/orgs/%d/move" % A["id"], {"parent_id": C["id"]})
    expect_error(r, 400, "VALIDATION_FAILED", "move under own grandchild", field="parent_id")
    r = a.post("/api/v1/orgs/%d/move" % A["id"], {"parent_id": A["id"]})
    expect_error(r, 400, "VALIDATION_FAILED", "move under itself", field="parent_id")
    r = a.post("/api/v1/orgs/%d/move" % root["id"], {"parent_id": D["id"]})
    expect_error(r, 409, "INVALID_STATE", "moving the root")

    js = expect(a.post("/api/v1/orgs/%d/move" % A["id"], {"parent_id": D["id"]}), 200, "move A under D")
    eq(js["parent_id"], D["id"], "A.parent_id")
    base = "%s%d/%d/" % (root["path"], D["id"], A["id"])
    eq(js["path"], base, "A.path")
    got = {o["id"]: o for o in all_orgs(a)}
    eq(got[B["id"]]["path"], "%s%d/" % (base, B["id"]), "B.path")
    eq(got[C["id"]]["path"], "%s%d/%d/" % (base, B["id"], C["id"]), "C.path")
    eq(got[B["id"]]["parent_id"], A["id"], "B.parent_id")
    eq(got[D["id"]]["path"], "%s%d/" % (root["path"], D["id"]), "D.path")
    eq(got[root["id"]]["path"], root["path"], "root path")
    stale = [o for o in got.values() if o["path"].startswith("%s%d/" % (root["path"], A["id"]))]
    eq(stale, [], "orgs still under the old path")
    S.ids["moved_org"] = A["id"]

    # Moving a second time (back to the root) rewrites again.
    js = expect(a.post("/api/v1/orgs/%d/move" % B["id"], {"parent_id": root["id"]}), 200, "move B to root")
    eq(js["path"], "%s%d/" % (root["path"], B["id"]), "B.path after second move")
    eq(expect(a.get("/api/v1/orgs/%d" % C["id"]), 200, "C")["path"],
       "%s%d/%d/" % (root["path"], B["id"], C["id"]), "C.path after second move")
    r = a.post("/api/v1/orgs/%d/move" % C["id"], {"parent_id": 999999})
    expect_absent_ref(r, "parent_id", "move under an absent org")


@test("org close refused (409 INVALID_STATE) while it has active children or users; close and reopen work")
def t_org_close():
    a = admin()
    root = org_by_name(ROOT_NAME)
    P = create_org(a, root["id"], "撤销测试上级", kind="department")
    K = create_org(a, P["id"], "撤销测试下级", kind="section")
    r = a.post("/api/v1/orgs/%d/close" % P["id"], {"reason": "机构改革"})
    err = expect_error(r, 409, "INVALID_STATE", "close with an active child")
    eq(expect(a.get("/api/v1/orgs/%d" % P["id"]), 200, "P")["status"], "active", "P status after refusal")
    expect_error(a.post("/api/v1/orgs/%d/close" % P["id"], {}), 400, "VALIDATION_FAILED", "close without reason",
                 field="reason")

    # An org with an active user cannot be closed either.
    create_user("close_blocker", K["id"], ["staff"])
    r = a.post("/api/v1/orgs/%d/close" % K["id"], {"reason": "机构改革"})
    expect_error(r, 409, "INVALID_STATE", "close with an active user")
    expect(a.post("/api/v1/users/%d/disable" % user_by_name("close_blocker")["id"]), 200, "disable user")

    js = expect(a.post("/api/v1/orgs/%d/close" % K["id"], {"reason": "机构改革"}), 200, "close K")
    eq((js["status"], js.get("closed_reason")), ("closed", "机构改革"), "K after close")
    js = expect(a.post("/api/v1/orgs/%d/close" % P["id"], {"reason": "机构改革"}), 200, "close P")
    eq(js["status"], "closed", "P after close")
    S.ids["closed_org"] = P["id"]
    expect_error(a.post("/api/v1/orgs/%d/close" % P["id"], {"reason": "再次撤销"}), 409, "INVALID_STATE",
                 "close twice")
    expect_error(a.patch("/api/v1/orgs/%d" % P["id"], {"name": "撤销后改名"}), 409, "INVALID_STATE",
                 "PATCH a closed org")
    r = a.post("/api/v1/orgs", {"parent_id": P["id"], "kind": "other", "name": "撤销后新建"})
    expect_error(r, 400, "VALIDATION_FAILED", "create under a closed org", field="parent_id")

    active = {o["id"] for o in all_orgs(a)}
    check(P["id"] not in active and K["id"] not in active, "closed orgs listed without status=all")
    every = {o["id"]: o for o in all_orgs(a, status="all")}
    check(P["id"] in every and K["id"] in every, "closed orgs missing with status=all")
    eq(every[P["id"]]["status"], "closed", "status in status=all list")

    expect_error(a.post("/api/v1/orgs/%d/reopen" % K["id"]), 409, "INVALID_STATE", "reopen child of closed org")
    js = expect(a.post("/api/v1/orgs/%d/reopen" % P["id"]), 200, "reopen P")
    eq(js["status"], "active", "P after reopen")
    check("closed_reason" not in js, "closed_reason kept after reopen: %r" % js)
    expect_error(a.post("/api/v1/orgs/%d/reopen" % P["id"]), 409, "INVALID_STATE", "reopen an active org")
    expect_error(a.post("/api/v1/orgs/%d/close" % root["id"], {"reason": "撤销根机构"}), 409, "INVALID_STATE",
                 "close the root")


# ---------------------------------------------------------------- tests: users


@test("user create returns an initial password; the new user logs in and must change it")
def t_user_create():
    a = admin()
    sfj = org_by_name("嘉善县司法局")
    ids = role_ids()
    r = a.post("/api/v1/users", {"username": "zhang.san", "display_name": "张三", "org_id": sfj["id"],
                                 "role_ids": [ids["staff"]]})
    u = expect(r, 201, "create user")
    eq((u["username"], u["display_name"], u["org_id"], u["org_name"], u["status"], u["must_change_password"]),
       ("zhang.san", "张三", sfj["id"], "嘉善县司法局", "active", True), "created user")
    eq([ro["code"] for ro in u["roles"]], ["staff"], "roles")
    pw = u.get("initial_password")
    check(isinstance(pw, str) and len(pw) >= 10, "initial_password: %r" % pw)
    S.ids["created_user"] = u["id"]
    js = expect(a.get("/api/v1/users/%d" % u["id"]), 200, "read back")
    check("initial_password" not in js, "initial password readable later: %r" % js)

    c = Client()
    js = expect(c.login("zhang.san", pw), 200, "first login")
    eq(js["must_change_password"], True, "must_change_password at first login")
    expect_error(c.get("/api/v1/orgs"), 403, "PASSWORD_CHANGE_REQUIRED", "GET orgs before change")
    new = next_password()
    js = expect(c.put("/api/v1/session/password", {"old_password": pw, "new_password": new}), 200, "change")
    eq(js["must_change_password"], False, "after change")
    expect(c.get("/api/v1/orgs"), 200, "GET orgs after change")
    S.passwords["zhang.san"] = new

    r = a.post("/api/v1/users", {"username": "zhang.san", "display_name": "张三二", "org_id": sfj["id"]})
    expect_error(r, 400, "VALIDATION_FAILED", "duplicate username", field="username")
    r = a.post("/api/v1/users", {"username": "Bad Name", "display_name": "坏名字", "org_id": sfj["id"]})
    expect_error(r, 400, "VALIDATION_FAILED", "bad username", field="username")
    r = a.post("/api/v1/users", {"username": "no_org", "display_name": "无机构", "org_id": 999999})
    expect_error(r, 400, "VALIDATION_FAILED", "absent org", field="org_id")
    r = a.post("/api/v1/users", {"username": "no_role", "display_name": "无角色", "org_id": sfj["id"],
                                 "role_ids": [999999]})
    expect_error(r, 400, "VALIDATION_FAILED", "absent role", field="role_ids")
    for n in ("no_org", "no_role"):
        eq(expect(a.get("/api/v1/users?q=" + n), 200, "search")["total"], 0, "users named %s" % n)


@test("user edit, lock/unlock, reset-password and disable")
def t_user_admin_actions():
    a = admin()
    sfj = org_by_name("嘉善县司法局")
    u, pw = create_user("li.si", sfj["id"], ["staff"], "李四")
    c = session_for("li.si")
    js = expect(a.patch("/api/v1/users/%d" % u["id"], {"display_name": "李四(改)",
                                                      "org_id": org_by_name(XITANG_TOWN)["id"]}), 200, "PATCH")
    eq((js["display_name"], js["org_name"]), ("李四(改)", XITANG_TOWN), "after PATCH")

    js = expect(a.post("/api/v1/users/%d/lock" % u["id"]), 200, "lock")
    eq(js["status"], "locked", "status after lock")
    expect_error(c.get("/api/v1/session"), 401, "UNAUTHENTICATED", "session of a locked user")
    expect_error(Client().login("li.si", S.passwords["li.si"]), 403, "ACCOUNT_LOCKED", "login while locked")
    eq(expect(a.post("/api/v1/users/%d/unlock" % u["id"]), 200, "unlock")["status"], "active", "after unlock")
    c = login("li.si")

    js = expect(a.post("/api/v1/users/%d/reset-password" % u["id"]), 200, "reset password")
    newpw = js.get("initial_password")
    check(isinstance(newpw, str) and len(newpw) >= 10, "initial_password: %r" % newpw)
    eq(js["must_change_password"], True, "must_change after reset")
    expect_error(c.get("/api/v1/session"), 401, "UNAUTHENTICATED", "old session after reset")
    expect_error(Client().login("li.si", S.passwords["li.si"]), 401, "LOGIN_FAILED", "old password after reset")
    js = expect(Client().login("li.si", newpw), 200, "login with reset password")
    eq(js["must_change_password"], True, "must change the reset password")
    S.passwords["li.si"] = newpw

    expect_error(a.post("/api/v1/users/%d/lock" % S.ids.get("admin_id", a.user["id"])), 409, "INVALID_STATE",
                 "admin locks itself")
    eq(expect(a.post("/api/v1/users/%d/disable" % u["id"]), 200, "disable")["status"], "disabled",
       "after disable")
    expect_error(Client().login("li.si", newpw), 403, "ACCOUNT_DISABLED", "login while disabled")
    expect_error(a.post("/api/v1/users/999999/lock"), 404, "NOT_FOUND", "lock an absent user")


@test("user list: scope all for admin, filters q, org_id, status and paging")
def t_user_list():
    a = admin()
    js = expect(a.get("/api/v1/users?page_size=200"), 200, "list")
    names = {u["username"] for u in js["items"]}
    check({"admin", "secadmin", "auditor", "leader", "staff", "liaison", "office"} <= names, "names: %r" % names)
    eq(js["total"], len(js["items"]), "total")
    eq((js["page"], js["page_size"]), (1, 200), "paging echo")
    js2 = expect(a.get("/api/v1/users?page_size=2&page=2"), 200, "page 2")
    eq((len(js2["items"]), js2["total"], js2["page"]), (2, js["total"], 2), "page 2 of size 2")
    eq([u["username"] for u in expect(a.get("/api/v1/users?q=office"), 200, "q")["items"]], ["office"], "q=office")
    xt = org_by_name(XITANG_TOWN)
    got = {u["username"] for u in expect(a.get("/api/v1/users?org_id=%d" % xt["id"]), 200, "org_id")["items"]}
    check("liaison" in got and "office" not in got, "org_id filter: %r" % got)
    for u in expect(a.get("/api/v1/users?status=disabled&page_size=200"), 200, "status")["items"]:
        eq(u["status"], "disabled", "status filter")
    expect_error(a.get("/api/v1/users?org_id=abc"), 400, "VALIDATION_FAILED", "org_id=abc", field="org_id")
    expect_error(a.get("/api/v1/users/999999"), 404, "NOT_FOUND", "absent user")


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


# ---------------------------------------------------------------- tests: audit and CLI


@test("fazhi backup while the server runs makes a copy whose audit chain verifies")
def t_backup():
    out = os.path.join(S.tmp, "backup.db")
    rc, so, se = run_cli("backup", out, "--db", S.db)
    eq(rc, 0, "backup exit status (stdout %r, stderr %r)" % (so, se))
    check(os.path.getsize(out) > 0, "backup file is empty")
    rc, so, se = run_cli("audit", "verify", "--db", out)
    eq(rc, 0, "audit verify on the backup (stdout %r, stderr %r)" % (so, se))
    check("审计链完整" in so, "verify output: %r" % so)
    con = sqlite3.connect(out)
    try:
        names = {row[0] for row in con.execute("SELECT name FROM org")}
        users = {row[0] for row in con.execute("SELECT username FROM app_user")}
    finally:
        con.close()
    check("测试专项工作办公室" in names, "org created by the tests missing from the backup")
    check("zhang.san" in users, "user created by the tests missing from the backup")
    # The live chain still verifies after the CLI appended its own record.
    auditor = session_for("auditor")
    js = expect(auditor.get("/api/v1/audit/verify"), 200, "verify after backup")
    eq(js.get("ok"), True, "chain after backup: %r" % js)
    items = audit_items(auditor, action="system.backup")
    check(items, "system.backup not recorded")
    eq((items[0]["username"], items[0]["result"]), ("cli", "success"), "system.backup record")


@test("audit trail records every change (org, user, role, policy, login failures, lockout, logout)")
def t_audit_trail():
    c = session_for("auditor")
    ids = S.ids

    def find(action, object_id=None, result="success", username=None):
        f = {"action": action}
        if object_id is not None:
            f["object_id"] = str(object_id)
        if result:
            f["result"] = result
        if username:
            f["username"] = username
        items = [x for x in audit_items(c, **f) if x["action"] == action]
        check(items, "no %s audit record for %r" % (action, f))
        for x in items:
            if result:
                eq(x["result"], result, "result filter")
            if object_id is not None:
                eq(x["object_id"], str(object_id), "object_id filter")
        return items

    x = find("org.create", ids.get("created_org"))[0]
    eq((x["username"], x["object_type"]), ("admin", "org"), "org.create record")
    check("测试专项工作办公室" in x["detail"], "org.create detail: %r" % x["detail"])
    check(HEX64.match(x["hash"]), "hash: %r" % x["hash"])
    check(x["ip"] == "127.0.0.1", "ip: %r" % x["ip"])
    check(re.match(r"^\d{4}-\d{2}-\d{2}T", x["time"]), "time: %r" % x["time"])
    find("org.update", ids.get("renamed_org"))
    find("org.move", ids.get("moved_org"))
    find("org.close", ids.get("closed_org"))
    find("org.reopen", ids.get("closed_org"))
    find("user.create", ids.get("created_user"))
    find("user.roles", ids.get("audit2_id"))
    find("user.lock")
    find("user.unlock", ids.get("staff_id"))
    find("user.password.change")
    find("user.password.reset")
    find("security.policy.update")
    if "town_viewer_role" in ids:  # only if the roles test could create it
        find("role.create", ids["town_viewer_role"])
    find("role.update")
    find("session.logout")
    fails = find("session.login", result="failure", username="staff")
    check(len(fails) >= 5, "expected >= 5 failed staff logins, got %d" % len(fails))
    find("session.login", result="failure", username="nosuchuser")
    lock = find("session.lockout", ids.get("staff_id"), username="staff")
    check("锁定" in lock[0]["detail"], "lockout detail: %r" % lock[0]["detail"])
    find("session.login", result="success", username="admin")
    # Refused writes are recorded as failures.
    find("org.create", result="failure", username="liaison")

    all_items = audit_items(c)
    seqs = [x["seq"] for x in all_items]
    eq(seqs, sorted(seqs, reverse=True), "newest first")
    eq(sorted(seqs), list(range(1, len(seqs) + 1)), "sequence numbers without gaps")
    for x in audit_items(c, result="failure"):
        eq(x["result"], "failure", "result=failure filter")
    today = audit_items(c, **{"from": S.start_date, "to": cst_date()})
    eq(len(today), len(all_items), "records between the suite's start date and today")
    eq(expect(c.get("/api/v1/audit?from=2000-01-01&to=2000-01-02"), 200, "old range")["total"], 0,
       "records in 2000")
    expect_error(c.get("/api/v1/audit?from=20xx-01-01"), 400, "VALIDATION_FAILED", "bad from date", field="from")
    js = expect(c.get("/api/v1/audit?page_size=3"), 200, "page_size=3")
    eq(len(js["items"]), 3, "page size")


@test("GET /api/v1/audit/verify: the chain is intact and every record was checked")
def t_audit_verify_api():
    c = session_for("auditor")
    total = expect(c.get("/api/v1/audit?page_size=1"), 200, "audit count")["total"]
    js = expect(c.get("/api/v1/audit/verify"), 200, "verify")
    eq(js.get("ok"), True, "ok (%r)" % js)
    check(js.get("checked", 0) >= total and total > 0, "checked %r, total %r" % (js.get("checked"), total))
    check("first_bad_seq" not in js, "first_bad_seq present: %r" % js)


@test("fazhi audit verify CLI reports 审计链完整 and exits 0 while the server runs")
def t_audit_verify_cli():
    rc, so, se = run_cli("audit", "verify", "--db", S.db)
    eq(rc, 0, "exit status (stdout %r, stderr %r)" % (so, se))
    check("审计链完整" in so, "output: %r" % so)


# ---------------------------------------------------------------- tests: after the server stops


@test("server shuts down gracefully on SIGTERM with exit status 0")
def t_shutdown():
    p = S.server
    check(p.poll() is None, "server already exited with %r" % p.returncode)
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        S.server_stopped = True
        raise TestFailure("server still running 30 s after SIGTERM (killed)")
    S.server_stopped = True
    if rc != 0:
        msg = "server exit status %d after SIGTERM" % rc
        if S.valgrind:
            msg += " (valgrind reported errors or definite leaks)\n" + read_log()
        raise TestFailure(msg)


@test("audit_log is append-only: UPDATE and DELETE raise an error mentioning append-only")
def t_append_only():
    con = sqlite3.connect(S.db)
    try:
        for sql in ("UPDATE audit_log SET detail = 'x' WHERE seq = 5", "DELETE FROM audit_log WHERE seq = 5"):
            try:
                con.execute(sql)
                con.commit()
            except sqlite3.DatabaseError as e:
                check("append-only" in str(e), "error does not mention append-only: %r" % str(e))
                con.rollback()
            else:
                raise TestFailure("%r succeeded" % sql)
        row = con.execute("SELECT detail FROM audit_log WHERE seq = 5").fetchone()
        check(row is not None and row[0] != "x", "row 5 changed: %r" % (row,))
    finally:
        con.close()
    rc, so, se = run_cli("audit", "verify", "--db", S.db)
    eq(rc, 0, "audit verify after the server stopped (stdout %r, stderr %r)" % (so, se))


@test("tampering with one audit row is detected: fazhi audit verify exits 1 naming 第 5 条")
def t_tamper():
    con = sqlite3.connect(S.db)
    try:
        n = con.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
        check(n > 10, "only %d audit rows" % n)
        con.execute("DROP TRIGGER audit_log_no_update")
        cur = con.execute("UPDATE audit_log SET detail = detail || '(篡改)' WHERE seq = 5")
        eq(cur.rowcount, 1, "rows updated")
        con.commit()
    finally:
        con.close()
    rc, so, se = run_cli("audit", "verify", "--db", S.db)
    eq(rc, 1, "exit status (stdout %r, stderr %r)" % (so, se))
    check("第 5 条" in so + se, "output does not name row 5: %r %r" % (so, se))
    check("审计链完整" not in so, "output claims the chain is intact: %r" % so)


@test("audit verify CLI names a deleted record and a truncated tail (on copies of the backup)")
def t_tamper_delete():
    src = os.path.join(S.tmp, "backup.db")
    check(os.path.exists(src), "no backup file (the backup test failed?)")

    def damaged(name, sql):
        path = os.path.join(S.tmp, name)
        shutil.copyfile(src, path)
        con = sqlite3.connect(path)
        try:
            n = con.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0]
            con.execute("DROP TRIGGER audit_log_no_delete")
            con.execute(sql % {"last": n})
            con.commit()
        finally:
            con.close()
        rc, so, se = run_cli("audit", "verify", "--db", path)
        return n, rc, so + se

    n, rc, out = damaged("deleted.db", "DELETE FROM audit_log WHERE seq = 7")
    eq(rc, 1, "exit status after deleting row 7 (output %r)" % out)
    check("第 7 条" in out, "output does not name row 7: %r" % out)
    n, rc, out = damaged("truncated.db", "DELETE FROM audit_log WHERE seq = %(last)d")
    eq(rc, 1, "exit status after deleting the last row %d (output %r)" % (n, out))
    check("第 %d 条" % n in out, "output does not name row %d: %r" % (n, out))


@test("after restarting on the tampered database, GET /api/v1/audit/verify reports first_bad_seq 5")
def t_tamper_api():
    start_server()
    try:
        c = session_for("auditor")
        js = expect(c.get("/api/v1/audit/verify"), 200, "verify")
        eq((js.get("ok"), js.get("first_bad_seq")), (False, 5), "verify result (%r)" % js)
        check(isinstance(js.get("reason"), str) and js["reason"], "reason: %r" % js)
    finally:
        S.server.send_signal(signal.SIGTERM)
        try:
            rc = S.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            S.server.kill()
            S.server.wait()
            rc = "timeout"
        S.server_stopped = True
    if rc != 0:
        raise TestFailure("second server run ended with %s after SIGTERM\n%s"
                          % (describe_exit(rc) if rc != "timeout" else "no exit within 30 s", read_log(30)))


# ---------------------------------------------------------------- harness


def read_log(lines=None):
    try:
        with open(S.server_log, "rb") as f:
            text = f.read().decode("utf-8", "replace")
    except OSError as e:
        return "(no server log: %s)" % e
    if lines:
        text = "\n".join(text.splitlines()[-lines:])
    return text


def diag(text):
    for line in str(text).rstrip("\n").splitlines():
        print("#   " + line)


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def setup(bin_path):
    S.bin = os.path.abspath(bin_path)
    S.tmp = tempfile.mkdtemp(prefix="fazhi-api-")
    S.db = os.path.join(S.tmp, "fazhi.db")
    S.server_log = os.path.join(S.tmp, "server.log")
    S.valgrind = os.environ.get("FAZHI_VALGRIND") == "1"
    S.timeout = 60 if S.valgrind else 15
    S.start_date = cst_date()
    S.passwords = {"admin": ADMIN_PASSWORD}

    env = dict(os.environ, FAZHI_FAST_PASSWORD_HASH="1", FAZHI_ADMIN_PASSWORD=ADMIN_PASSWORD)
    p = subprocess.run([S.bin, "init", "--demo", "--db", S.db], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=120)
    S.init_output = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        raise RuntimeError("init failed with %d:\n%s\n%s" % (p.returncode, S.init_output,
                                                              p.stderr.decode("utf-8", "replace")))
    for line in S.init_output.splitlines():
        m = re.match(r"^\s*\S+\s+([a-z0-9_.-]+)\s+初始密码\s+(\S+)", line)
        if m:
            S.passwords[m.group(1)] = m.group(2)

    start_server()


def start_server():
    """Start `fazhi serve` on a fresh port and wait for /healthz."""
    S.port = free_port()
    cmd = [S.bin, "serve", "--db", S.db, "--listen", "%s:%d" % (HOST, S.port), "--max-body", "65536", "--max-upload", "1048576"]
    if S.valgrind:
        cmd = ["valgrind", "--quiet", "--leak-check=full", "--show-leak-kinds=definite",
               "--errors-for-leak-kinds=definite", "--error-exitcode=99"] + cmd
    env = dict(os.environ, FAZHI_FAST_PASSWORD_HASH="1")
    env.pop("FAZHI_ADMIN_PASSWORD", None)
    log = open(S.server_log, "ab")
    S.server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)
    log.close()
    S.server_stopped = False
    deadline = time.time() + (60 if S.valgrind else 15)
    last = None
    while time.time() < deadline:
        if S.server.poll() is not None:
            raise RuntimeError("server exited with %d during start-up" % S.server.returncode)
        try:
            conn = http.client.HTTPConnection(HOST, S.port, timeout=2)
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            r.read()
            conn.close()
            if r.status == 200:
                return
            last = "status %d" % r.status
        except (OSError, http.client.HTTPException) as e:
            last = repr(e)
        time.sleep(0.1)
    raise RuntimeError("server did not answer /healthz in time (last: %s)" % last)


def describe_exit(rc):
    if rc is not None and rc < 0:
        try:
            return "killed by %s" % signal.Signals(-rc).name
        except ValueError:
            return "killed by signal %d" % -rc
    return "exit status %r" % rc


def main(argv):
    bin_path = "build/fazhi"
    if "--bin" in argv:
        i = argv.index("--bin")
        if i + 1 >= len(argv):
            print("usage: run.py --bin PATH", file=sys.stderr)
            return 2
        bin_path = argv[i + 1]

    print("1..%d" % len(TESTS))
    failed = 0
    try:
        try:
            setup(bin_path)
        except Exception:
            print("not ok 1 - setup: create the demo database and start the server")
            diag("setup failed:")
            diag(traceback.format_exc())
            if S.server_log and os.path.exists(S.server_log):
                diag("server log (last 30 lines):")
                diag(read_log(30))
            print("Bail out! the server could not be started")
            return 1

        for n, (name, fn) in enumerate(TESTS, 1):
            t0 = time.time()
            problems = []
            try:
                fn()
            except Exception as e:
                if isinstance(e, TestFailure):
                    # The message, then the frames of this file (the helpers' own frames say little).
                    problems.append(str(e))
                    for f in traceback.extract_tb(e.__traceback__)[1:]:
                        if f.filename == __file__ and f.name not in ("check", "eq", "expect", "expect_error"):
                            problems.append("  at line %d in %s: %s" % (f.lineno, f.name, f.line))
                else:
                    problems.append(traceback.format_exc())
            if not S.server_stopped and S.server.poll() is not None:
                # The server died during this test: say so, show why, and
                # start it again on the same database for the next tests.
                problems.append("the server died during this test (%s); server log (last 30 lines):"
                                % describe_exit(S.server.returncode))
                problems.append(read_log(30))
                try:
                    start_server()
                    problems.append("server restarted for the remaining tests")
                except Exception:
                    problems.append("could not restart the server:\n" + traceback.format_exc())
            if problems:
                failed += 1
                print("not ok %d - %s" % (n, name))
                for p in problems:
                    diag(p)
            else:
                took = time.time() - t0
                print("ok %d - %s" % (n, name) + ("" if took < 5 else " (%.1fs)" % took))
            sys.stdout.flush()
    finally:
        if S.server is not None and S.server.poll() is None:
            S.server.kill()
            S.server.wait()

    if failed:
        print("# %d of %d tests failed" % (failed, len(TESTS)))
        print("# server log (last 30 lines), temp dir %s kept:" % S.tmp)
        diag(read_log(30))
        return 1
    shutil.rmtree(S.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
