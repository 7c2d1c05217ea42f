"""Shared machinery of the API test suite (see run.py for how to run it).

- State `S`: paths, the server process, current passwords, ids recorded by
  tests for later ones.
- Server life: setup() makes a demo database with `fazhi init --demo` in a
  temporary directory, parses the initial passwords it prints and starts
  `fazhi serve` on a free loopback port (under valgrind memcheck with
  FAZHI_VALGRIND=1); start_server() (re)starts it on the same database.
- Client: an HTTP client with its own cookie jar and CSRF token; replies are
  Reply tuples (status, headers, json) with .raw bytes.
- Assertions: check, eq, expect, expect_error, expect_absent_ref raise
  TestFailure with a readable message.
- Account helpers: login, session_for (changes a pending initial password
  once), admin, org_by_name, user_by_name, role_ids, create_user, ...
- Registry: the @test(name, phase=...) decorator. Tests run in phase order
  (LIVE, then LATE, then STOPPED), and within a phase in file and definition
  order. LATE is for checks of the whole audit trail after every other test
  wrote to it; STOPPED is for tests that need the server stopped (they run
  last, the first of them stops it).

Python 3 standard library only.
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
    pg_db = None
    """Everything the tests share: paths, server, passwords, ids."""

    bin = None
    tmp = None
    db = None
    port = None
    server = None
    server_log = None
    valgrind = False
    timeout = 15
    # The server's session cache (session_cache_seconds): short, so that tests
    # that change the database behind the server's back wait little for it.
    session_cache_seconds = 3
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


def expect_raw(r, content_type, what=""):
    """A 200 reply of the given Content-Type (prefix); returns the raw body bytes."""
    check(r.status == 200, "%s: expected HTTP 200, got %s %s" % (what or content_type, r.status, short(r.json)))
    ct = r.headers.get("Content-Type", "")
    check(ct.startswith(content_type), "%s: Content-Type %r, expected %r" % (what, ct, content_type))
    return r.raw


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


def server_sql(sql):
    """One statement on the server's database while it runs, from outside
    the server (as another process would); the first column of each row."""
    if pg_mode():
        rc, so, se = psql(sql)
        check(rc == 0, "psql %r: %s" % (sql, se))
        return [line for line in so.splitlines() if line]
    con = sqlite3.connect(S.db, timeout=10)
    try:
        rows = [str(r[0]) for r in con.execute(sql).fetchall()]
        con.commit()
        return rows
    finally:
        con.close()


def session_cache_expire():
    """Wait until the server no longer trusts its copies of sessions: after a
    change made behind its back (another process writing the database), as a
    second server of the same database would see it."""
    time.sleep(S.session_cache_seconds + 0.1)


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

# Phases: tests run phase by phase, each phase in file order (test_00_* first).
LIVE = 0  # the server runs
LATE = 1  # the server runs; after every LIVE test (whole-trail audit checks)
STOPPED = 2  # after the server was stopped by the first test of this phase

TESTS = []  # (phase, name, fn) in registration order


def test(name, phase=LIVE):
    def register(fn):
        TESTS.append((phase, name, fn))
        return fn
    return register


def ordered_tests():
    """The registered tests in run order: by phase, stable within a phase."""
    return [(name, fn) for phase, name, fn in sorted(TESTS, key=lambda t: t[0])]


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


PSQL = "/usr/lib/postgresql/15/bin/psql"


def pg_mode():
    """True when the suite runs against PostgreSQL (FAZHI_TEST_PG = postgresql://fazhi@host:port)."""
    return bool(os.environ.get("FAZHI_TEST_PG"))


def pg_url(db=None, superuser=False):
    base = os.environ["FAZHI_TEST_PG"]
    if superuser:
        base = base.replace("://fazhi@", "://postgres@")
    return "%s/%s" % (base, db or S.pg_db)


def psql(sql, superuser=False, db=None):
    """Run SQL with psql; returns (exit status, stdout, stderr)."""
    p = subprocess.run([PSQL, pg_url(db, superuser), "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def sql(query):
    """Run one statement on the suite's database; the rows as lists of strings."""
    if pg_mode():
        rc, so, se = psql(query)
        check(rc == 0, "psql %r: %s" % (query, se))
        return [line.split("|") for line in so.splitlines() if line]
    con = sqlite3.connect(S.db, timeout=30)
    try:
        rows = [[str(v) for v in row] for row in con.execute(query).fetchall()]
        con.commit()
        return rows
    finally:
        con.close()


def setup(bin_path):
    S.bin = os.path.abspath(bin_path)
    S.tmp = tempfile.mkdtemp(prefix="fazhi-api-")
    S.db = os.path.join(S.tmp, "fazhi.db")
    if pg_mode():
        # A fresh database per run; the personal-data key lives in the temp dir.
        S.pg_db = "fazhi_" + os.path.basename(S.tmp).replace("-", "_").lower()
        rc, so, se = psql("CREATE DATABASE %s OWNER fazhi" % S.pg_db, superuser=True, db="postgres")
        if rc != 0:
            raise RuntimeError("cannot create the test database: %s" % se)
        S.db = pg_url()
        os.environ["FAZHI_KEY_FILE"] = os.path.join(S.tmp, "fazhi.key")
        os.environ["FAZHI_FILES_DIR"] = os.path.join(S.tmp, "files")
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
    env = dict(os.environ, FAZHI_FAST_PASSWORD_HASH="1", FAZHI_SESSION_CACHE_SECONDS=str(S.session_cache_seconds))
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

