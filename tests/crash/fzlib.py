"""Shared machinery of the reliability suites (tests/crash, tests/overload,
tests/faults): a demo database, a server process on a free loopback port, a
small HTTP client with a cookie and CSRF token, and TAP output.

Python 3 standard library only; imported by the suites with
sys.path.insert(0, <repo>/tests/crash).
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HOST = "127.0.0.1"
ADMIN_PASSWORD = "Jiashan#2026pw"
CJK = re.compile(r"[\u4e00-\u9fff]")


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cst_date(offset_days=0):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + offset_days * 86400))


class Failure(AssertionError):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def eq(actual, expected, what):
    if actual != expected:
        raise Failure("%s: expected %r, got %r" % (what, expected, actual))


def short(obj, limit=500):
    s = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    return s if len(s) <= limit else s[:limit] + "..."


class Reply:
    def __init__(self, status, headers, raw):
        self.status, self.headers, self.raw = status, headers, raw
        try:
            self.json = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            self.json = None

    def code(self):
        try:
            return self.json["error"]["code"]
        except (TypeError, KeyError):
            return None

    def message(self):
        try:
            return self.json["error"]["message"]
        except (TypeError, KeyError):
            return None

    def __repr__(self):
        return "<HTTP %d %s>" % (self.status, short(self.json) if self.json is not None else self.raw[:200])


def expect(r, status, what):
    check(r.status == status, "%s: expected HTTP %d, got %r" % (what, status, r))
    return r.json


def expect_error(r, status, code, what):
    check(r.status == status and r.code() == code, "%s: expected HTTP %d %s, got %r" % (what, status, code, r))
    check(CJK.search(r.message() or ""), "%s: message is not Chinese: %r" % (what, r.message()))
    return r.json["error"]


class Client:
    """One keep-alive HTTP connection with a cookie jar and CSRF token."""

    def __init__(self, server, timeout=10, headers=None):
        self.server = server
        self.timeout = timeout
        self.cookie = None
        self.csrf = None
        self.extra = dict(headers or {})
        self.conn = None

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None, raw=None):
        """body: JSON; raw: bytes sent as they are (set Content-Type in headers)."""
        h = dict(self.extra)
        if self.cookie:
            h["Cookie"] = "fazhi_session=" + self.cookie
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
        if self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        if headers:
            h.update(headers)
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.server.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=h)
                resp = self.conn.getresponse()
                raw = resp.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                # A kept-alive connection the server closed between requests:
                # retry once on a fresh one, but only for reads (a write may
                # have been applied).
                self.close()
                if attempt or method not in ("GET", "HEAD"):
                    raise
            except Exception:
                self.close()
                raise
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        for sc in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = sc.partition("=")
            if name.strip() == "fazhi_session":
                value = rest.split(";", 1)[0]
                self.cookie = value if value and "max-age=0" not in sc.lower() else None
        return Reply(resp.status, resp.headers, raw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def login(self, username, password):
        r = self.post("/api/v1/session", {"username": username, "password": password})
        if r.status == 200:
            self.csrf = r.json["csrf"]
        return r


class Server:
    """A demo database in a temporary directory and `fazhi serve` on it."""

    def __init__(self, bin_path, prefix="fazhi-rel-", extra_args=(), env=None):
        self.bin = os.path.abspath(bin_path)
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        self.db = os.path.join(self.tmp, "fazhi.db")
        self.log = os.path.join(self.tmp, "server.log")
        self.extra_args = list(extra_args)
        self.env = dict(os.environ, FAZHI_FAST_PASSWORD_HASH="1")
        self.env.pop("FAZHI_ADMIN_PASSWORD", None)
        if env:
            self.env.update(env)
        self.proc = None
        self.port = None
        self.passwords = {"admin": ADMIN_PASSWORD}
        self.pw_counter = 0

    # ---- database
    def init_demo(self):
        env = dict(self.env, FAZHI_ADMIN_PASSWORD=ADMIN_PASSWORD)
        p = subprocess.run([self.bin, "init", "--demo", "--db", self.db], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env, timeout=120)
        out = p.stdout.decode("utf-8", "replace")
        if p.returncode != 0:
            raise RuntimeError("fazhi init failed (%d): %s %s" % (p.returncode, out, p.stderr.decode()))
        for line in out.splitlines():
            m = re.match(r"^\s*\S+\s+([a-z0-9_.-]+)\s+初始密码\s+(\S+)", line)
            if m:
                self.passwords[m.group(1)] = m.group(2)

    def cli(self, *args, timeout=60, db=None):
        p = subprocess.run([self.bin] + list(args) + ["--db", db or self.db], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=self.env, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    # ---- process
    def start(self, wait=True, preexec=None):
        self.port = free_port()
        cmd = [self.bin, "serve", "--db", self.db, "--listen", "%s:%d" % (HOST, self.port)] + self.extra_args
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                         stdin=subprocess.DEVNULL, preexec_fn=preexec)
        if wait:
            self.wait_ready()

    def wait_ready(self, limit=20):
        deadline = time.time() + limit
        last = None
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %r during start-up:\n%s" % (self.proc.returncode,
                                                                                  self.tail(20)))
            try:
                c = http.client.HTTPConnection(HOST, self.port, timeout=2)
                c.request("GET", "/healthz")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return
                last = r.status
            except (OSError, http.client.HTTPException) as e:
                last = e
            time.sleep(0.02)
        raise RuntimeError("server did not answer /healthz (last: %r)" % (last,))

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc:
            self.proc.wait()

    def stop(self, timeout=30):
        """SIGTERM; returns the exit status (killed after timeout)."""
        if not self.proc:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return "timeout"
        return self.proc.returncode

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def tail(self, n=30):
        try:
            with open(self.log, "rb") as f:
                return "\n".join(f.read().decode("utf-8", "replace").splitlines()[-n:])
        except OSError:
            return ""

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- accounts
    def next_password(self):
        self.pw_counter += 1
        return "Rz#%04dQx!k9" % self.pw_counter

    def client(self, username=None, **kw):
        """A client, logged in as username when given (a pending initial
        password is changed once)."""
        c = Client(self, **kw)
        if username:
            r = c.login(username, self.passwords[username])
            expect(r, 200, "login as %s" % username)
            if r.json.get("must_change_password"):
                new = self.next_password()
                r = c.put("/api/v1/session/password",
                          {"old_password": self.passwords[username], "new_password": new})
                expect(r, 200, "password change of %s" % username)
                self.passwords[username] = new
        return c


class Tap:
    """TAP lines for tests/run-all.sh: ok N - name / not ok N - name."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def run(self, name, fn, *args):
        self.n += 1
        t0 = time.time()
        try:
            fn(*args)
        except Exception as e:  # noqa: BLE001 (every failure is reported)
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            import traceback
            text = str(e) if isinstance(e, Failure) else traceback.format_exc()
            for line in text.rstrip().splitlines():
                print("#   " + line)
            sys.stdout.flush()
            return False
        took = time.time() - t0
        print("ok %d - %s%s" % (self.n, name, " (%.1fs)" % took if took >= 1 else ""))
        sys.stdout.flush()
        return True

    def diag(self, text):
        for line in str(text).rstrip().splitlines():
            print("# " + line)
        sys.stdout.flush()

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0
