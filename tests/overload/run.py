#!/usr/bin/env python3
"""Overload and bad-client suite: the server keeps answering under attack.

Usage: python3 tests/overload/run.py --bin build/fazhi

The server runs with --request-timeout 2 --idle-timeout 6 --max-body 65536
--max-upload 1048576 --trusted-proxy 127.0.0.1 (so that X-Real-IP stands for
many client addresses) and real argon2id password hashing (not the fast test
setting: logins must cost what they cost in production). Throughout, a probe
measures /healthz and an authenticated GET /api/v1/orgs on fresh connections;
every probe must be answered within PROBE_LIMIT (200 ms).

Tests:
 - 2,000 concurrent connections (the test raises its own fd limit): 1,000
   slowloris clients sending one header byte a second and 1,000 idle ones;
   the probe stays fast; every slowloris connection is closed by the request
   deadline (request_timeout from its first byte, long before the idle
   timeout, which libevent re-arms on every byte); the idle ones by the idle
   timeout, not before; a kept-alive connection between requests also lives
   until the idle timeout.
 - bodies over the limits: a declared 50 MB body gets 413 and the
   connection closed before the body is read; a chunked body past the limit
   too; a 100 KB JSON body on an ordinary route 413 PAYLOAD_TOO_LARGE; the
   server answers the probe meanwhile.
 - login rate limits: from one address, the 11th failed login within a
   minute is 429 RATE_LIMITED with a Retry-After header and a Chinese
   message, the correct password too, while another address logs in; for one
   user name, the 6th failure from six addresses is 429; one audit record
   per burst.
 - a flood of failed logins from many addresses (every attempt hashes a
   password): the probe stays fast because logins never take every worker.
 - finally the server still works and exits 0 on SIGTERM.
"""

import argparse
import os
import random
import resource
import selectors
import socket
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crash"))

from fzlib import (HOST, Client, Server, Tap, check, eq, expect, expect_error)  # noqa: E402

PROBE_LIMIT = 0.200
REQUEST_TIMEOUT = 2
IDLE_TIMEOUT = 6


class Probe(threading.Thread):
    """Every 100 ms: GET /healthz and an authenticated GET /api/v1/orgs, each on a new connection."""

    def __init__(self, srv, cookie):
        super().__init__(daemon=True)
        self.srv, self.cookie = srv, cookie
        self.stop = threading.Event()
        self.samples = []  # (what, seconds, status)
        self.lock = threading.Lock()

    def one(self, path, headers):
        t0 = time.monotonic()
        c = Client(self.srv, timeout=5)
        try:
            r = c.get(path, headers=headers)
            status = r.status
        except OSError as e:
            status = repr(e)
        finally:
            c.close()
        return time.monotonic() - t0, status

    def run(self):
        while not self.stop.is_set():
            for what, path, h in (("healthz", "/healthz", {}),
                                  ("orgs", "/api/v1/orgs", {"Cookie": "fazhi_session=" + self.cookie})):
                dt, status = self.one(path, h)
                with self.lock:
                    self.samples.append((what, dt, status))
            self.stop.wait(0.1)

    def take(self):
        with self.lock:
            s, self.samples = self.samples, []
        return s


def check_probe(samples, during):
    check(len(samples) >= 4, "too few probe samples during %s: %d" % (during, len(samples)))
    bad = [s for s in samples if s[2] != 200]
    check(not bad, "probe requests failed during %s: %r" % (during, bad[:5]))
    slow = sorted((s for s in samples if s[1] > PROBE_LIMIT), key=lambda s: -s[1])
    check(not slow, "%d of %d probe requests took more than %d ms during %s, slowest %s" % (
        len(slow), len(samples), PROBE_LIMIT * 1000, during,
        ", ".join("%s %.0f ms" % (w, dt * 1000) for w, dt, _ in slow[:5])))
    return max(s[1] for s in samples)


def raw_conn():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    return s


def closed_by_peer(s):
    """True when the peer closed s (EOF or reset); False when still open."""
    try:
        b = s.recv(4096)
        return b == b"" or closed_by_peer(s)
    except BlockingIOError:
        return False
    except (ConnectionResetError, OSError):
        return True


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/fazhi")
    ap.add_argument("--connections", type=int, default=2000)
    args = ap.parse_args(argv)
    tap = Tap()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, args.connections + 1024) if hard != resource.RLIM_INFINITY else args.connections + 1024
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    srv = Server(args.bin, prefix="fazhi-overload-",
                 extra_args=["--request-timeout", str(REQUEST_TIMEOUT), "--idle-timeout", str(IDLE_TIMEOUT),
                             "--max-body", "65536", "--max-upload", "1048576", "--trusted-proxy", HOST,
                             "--workers", "4"])
    srv.env.pop("FAZHI_FAST_PASSWORD_HASH", None)  # real argon2id: a login costs what it costs
    st = {}
    ok = True

    def setup():
        srv.init_demo()
        srv.start()
        a = srv.client("admin")
        st["admin"] = a
        st["probe"] = Probe(srv, a.cookie)
        st["probe"].start()
        time.sleep(0.5)
        st["idle_max"] = check_probe(st["probe"].take(), "an idle server")

    if not tap.run("set-up: demo database, server with real password hashing, probe under %d ms when idle"
                   % (PROBE_LIMIT * 1000), setup):
        srv.kill9()
        print("Bail out! " + srv.tail(20).replace("\n", " | "))
        return 1
    probe = st["probe"]

    def connections():
        n = args.connections
        sel = selectors.DefaultSelector()
        slow, idle = [], []
        t_open = time.monotonic()
        # Open in batches: the listen backlog is finite.
        pending = []
        opened_at = {}
        for i in range(n):
            s = raw_conn()
            s.connect_ex((HOST, srv.port))
            opened_at[s] = time.monotonic()
            pending.append(s)
            (slow if i % 2 == 0 else idle).append(s)
            if len(pending) >= 100:
                wait_connected(pending)
                pending = []
        wait_connected(pending)
        opened = time.monotonic() - t_open
        # A kept-alive connection that has had one complete request and reply.
        keep = socket.create_connection((HOST, srv.port), timeout=5)
        keep.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        check(b"200 OK" in keep.recv(4096), "keep-alive connection: no 200")
        keep.setblocking(False)
        # A complete request and the start of a second one in one packet (pipelining).
        pipe = socket.create_connection((HOST, srv.port), timeout=5)
        pipe.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHo")
        check(b"200 OK" in pipe.recv(4096), "pipelined connection: no 200 for the first request")
        pipe.setblocking(False)
        pipe_closed_at = None
        t0 = time.monotonic()
        header = b"GET /api/v1/orgs HTTP/1.1\r\nHost: fazhi\r\nX-Slow: "
        sent = {s: 0 for s in slow}
        # Seconds from a slowloris connection's first byte to its closing; the
        # request deadline runs from that byte. One closed before it could send
        # a byte was idle until then: its age since opening goes to unsent_closed_at.
        first_at = {}
        slow_closed_at = {}
        unsent_closed_at = {}

        def slow_closed(s, now):
            if s in first_at:
                slow_closed_at[s] = now - first_at[s]
            else:
                unsent_closed_at[s] = now - opened_at[s]

        idle_closed_at = {}
        keep_closed_at = None
        probe.take()
        samples = []
        next_tick = t0
        while time.monotonic() - t0 < IDLE_TIMEOUT + 2.5:
            now = time.monotonic()
            if now >= next_tick:
                next_tick += 1.0
                for s in slow:
                    if s in slow_closed_at or s in unsent_closed_at:
                        continue
                    i = sent[s]
                    b = header[i:i + 1] if i < len(header) else b"a"
                    try:
                        s.send(b)
                        sent[s] = i + 1
                        first_at.setdefault(s, now)
                    except (BlockingIOError, InterruptedError):
                        pass
                    except OSError:
                        slow_closed(s, now)
            for s in slow:
                if s not in slow_closed_at and s not in unsent_closed_at and closed_by_peer(s):
                    slow_closed(s, now)
            for s in idle:
                if s not in idle_closed_at and closed_by_peer(s):
                    idle_closed_at[s] = now - opened_at[s]
            if keep_closed_at is None and closed_by_peer(keep):
                keep_closed_at = now - t0
            if pipe_closed_at is None and closed_by_peer(pipe):
                pipe_closed_at = now - t0
            if now - t0 < REQUEST_TIMEOUT + 1.5:
                samples += probe.take()
            time.sleep(0.2)
        for s in slow + idle:
            s.close()
        keep.close()
        pipe.close()
        sel.close()
        open_max = check_probe(samples, "%d open connections" % n)
        if unsent_closed_at:
            youngest = min(unsent_closed_at.values())
            check(youngest > IDLE_TIMEOUT - 1.5, "%d slowloris connection(s) closed before their first byte, "
                  "one %.1f s after opening (idle timeout %d s; opening all took %.1f s)" % (
                      len(unsent_closed_at), youngest, IDLE_TIMEOUT, opened))
        check(len(slow_closed_at) + len(unsent_closed_at) == len(slow),
              "%d of %d slowloris connections still open after %d s" % (
                  len(slow) - len(slow_closed_at) - len(unsent_closed_at), len(slow), IDLE_TIMEOUT + 3))
        latest = max(slow_closed_at.values())
        check(latest < REQUEST_TIMEOUT + 2.5,
              "a slowloris connection lived %.1f s (request deadline %d s)" % (latest, REQUEST_TIMEOUT))
        earliest = min(slow_closed_at.values())
        check(earliest >= REQUEST_TIMEOUT - 0.5, "a slowloris connection was closed %.1f s after its first byte, "
              "before the %d s request deadline (opening all took %.1f s)" % (earliest, REQUEST_TIMEOUT, opened))
        check(len(idle_closed_at) == len(idle), "%d of %d idle connections still open" % (
            len(idle) - len(idle_closed_at), len(idle)))
        first_idle = min(idle_closed_at.values())
        check(first_idle > IDLE_TIMEOUT - 1.5, "an idle connection was closed after %.1f s, before the idle "
              "timeout of %d s" % (first_idle, IDLE_TIMEOUT))
        check(pipe_closed_at is not None and pipe_closed_at < REQUEST_TIMEOUT + 2.5,
              "a half-sent pipelined request lived %r s (request deadline %d s)" % (pipe_closed_at, REQUEST_TIMEOUT))
        check(keep_closed_at is not None and keep_closed_at > IDLE_TIMEOUT - 1.5,
              "kept-alive connection closed after %r s, idle timeout %d s" % (keep_closed_at, IDLE_TIMEOUT))
        tap.diag("%d connections opened in %.1f s; probe max %.0f ms; slowloris closed after %.1f-%.1f s, "
                 "idle after %.1f-%.1f s; %d slowloris closed idle before a byte" % (
                     n, opened, open_max * 1000, earliest, latest, first_idle, max(idle_closed_at.values()),
                     len(unsent_closed_at)))

    def wait_connected(socks):
        deadline = time.monotonic() + 10
        left = list(socks)
        sel = selectors.DefaultSelector()
        for s in left:
            sel.register(s, selectors.EVENT_WRITE)
        while left and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.5):
                s = key.fileobj
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                check(err == 0, "connect failed: errno %d" % err)
                sel.unregister(s)
                left.remove(s)
        sel.close()
        check(not left, "%d connections not established within 10 s" % len(left))

    ok &= tap.run("%d concurrent connections (half slowloris at a header byte a second, half idle): probes "
                  "under %d ms; slowloris and a half-sent pipelined request closed by the %d s request deadline, "
                  "idle and kept-alive ones by the %d s idle timeout" % (args.connections, PROBE_LIMIT * 1000, REQUEST_TIMEOUT, IDLE_TIMEOUT),
                  connections)

    def bodies():
        probe.take()
        # Declared 50 MB: refused at once, the connection closed, nothing like 50 MB read.
        s = socket.create_connection((HOST, srv.port), timeout=5)
        t0 = time.monotonic()
        s.sendall(b"POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 50000000\r\n\r\n" + b"{" * 65536)
        got = b""
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                got += b
        except (ConnectionResetError, socket.timeout):
            pass
        s.close()
        check(got.startswith(b"HTTP/1.1 413"), "declared 50 MB body: %r" % got[:100])
        check(time.monotonic() - t0 < 2, "413 took %.1f s" % (time.monotonic() - t0))
        # Chunked, past max_upload.
        s = socket.create_connection((HOST, srv.port), timeout=5)
        s.sendall(b"POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n")
        got = b""
        try:
            for _ in range(40):
                s.sendall(b"10000\r\n" + b"a" * 0x10000 + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                got += b
        except (ConnectionResetError, socket.timeout):
            pass
        s.close()
        check(got.startswith(b"HTTP/1.1 413"), "chunked body over the limit: %r" % got[:100])
        # Over max_body, under max_upload, on an ordinary JSON route: the API's own 413.
        a = st["admin"]
        a.close()  # its kept-alive connection has outlived the idle timeout
        r = a.post("/api/v1/orgs", {"parent_id": 1, "kind": "department", "name": "x" * 100000})
        expect_error(r, 413, "PAYLOAD_TOO_LARGE", "100 KB JSON body")
        a.close()
        time.sleep(0.5)
        check_probe(probe.take(), "oversized bodies")
        expect(srv.client().get("/healthz"), 200, "healthz after the oversized bodies")

    ok &= tap.run("bodies over the limits: declared 50 MB gets 413 at once and the connection closed; chunked past "
                  "max_upload 413; 100 KB JSON on an ordinary route 413 PAYLOAD_TOO_LARGE; probes fast", bodies)

    def login(ip, username, password):
        c = Client(srv, headers={"X-Real-IP": ip})
        try:
            return c.login(username, password)
        finally:
            c.close()

    def rate_limits():
        # One address: 10 failures, then 429 (even with the right password); another address is not affected.
        ip = "10.20.%d.%d" % (random.randint(0, 255), random.randint(1, 254))
        for i in range(10):
            r = login(ip, "ghost%d" % i, "Wrong#pass%04d" % i)
            expect_error(r, 401, "LOGIN_FAILED", "failure %d from %s" % (i + 1, ip))
        r = login(ip, "ghost10", "Wrong#pass0010")
        err = expect_error(r, 429, "RATE_LIMITED", "11th failure from one address")
        ra = r.headers.get("Retry-After")
        check(ra and ra.isdigit() and 1 <= int(ra) <= 60, "Retry-After: %r" % ra)
        eq(err["details"], {"retry_after": int(ra)}, "details")
        expect_error(login(ip, "admin", srv.passwords["admin"]), 429, "RATE_LIMITED",
                     "right password from the limited address")
        expect(login("10.30.0.1", "admin", srv.passwords["admin"]), 200, "admin from another address")
        # One user name: 5 failures from 5 addresses, the 6th from a 6th address is 429.
        for i in range(5):
            expect_error(login("10.40.0.%d" % (i + 1), "ghost.user", "Bad#pass%04d" % i), 401, "LOGIN_FAILED",
                         "failure %d for ghost.user" % (i + 1))
        r = login("10.40.0.6", "ghost.user", "Bad#pass0006")
        expect_error(r, 429, "RATE_LIMITED", "6th failure for one user name")
        check(r.headers.get("Retry-After", "").isdigit(), "Retry-After: %r" % r.headers.get("Retry-After"))
        # A person who mistyped a few times and then got it right is not held back.
        for i in range(3):
            expect_error(login("10.50.0.1", "admin", "Typo#pass%04d" % i), 401, "LOGIN_FAILED", "admin typo")
        expect(login("10.50.0.1", "admin", srv.passwords["admin"]), 200, "admin after typos")
        for i in range(3):
            expect_error(login("10.50.0.1", "admin", "Typo#again%04d" % i), 401, "LOGIN_FAILED", "admin typo")
        expect(login("10.50.0.1", "admin", srv.passwords["admin"]), 200, "admin after more typos")
        st["limited_ips"] = (ip,)

    ok &= tap.run("login rate limits: the 11th failure a minute from one address and the 6th for one user name "
                  "get 429 RATE_LIMITED with Retry-After; other addresses and a user who typed right are not "
                  "affected", rate_limits)

    def flood():
        stop = threading.Event()
        counts = {}
        lock = threading.Lock()

        def attacker(k):
            rng = random.Random(k)
            while not stop.is_set():
                ip = "172.16.%d.%d" % (rng.randint(0, 255), rng.randint(1, 254))
                try:
                    r = login(ip, "nobody%d" % rng.randint(0, 10 ** 9), "Guess#%08d" % rng.randint(0, 10 ** 8))
                    key = r.code() or r.status
                except OSError as e:
                    key = type(e).__name__
                with lock:
                    counts[key] = counts.get(key, 0) + 1

        threads = [threading.Thread(target=attacker, args=(k,), daemon=True) for k in range(16)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        probe.take()
        time.sleep(3)
        samples = probe.take()
        stop.set()
        for t in threads:
            t.join(timeout=30)
        worst = check_probe(samples, "a flood of failed logins from many addresses")
        check(counts.get("LOGIN_FAILED", 0) >= 10, "the flood hardly ran: %r" % counts)
        tap.diag("login flood: %r; probe max %.0f ms" % (counts, worst * 1000))

    ok &= tap.run("a flood of failed logins from many addresses (each hashes a password): probes still under "
                  "%d ms" % (PROBE_LIMIT * 1000), flood)

    def audit():
        probe.stop.set()
        probe.join(timeout=10)
        # The security admin's account reads nothing here; check the database file after the stop.
        rc = srv.stop()
        eq(rc, 0, "exit status after SIGTERM")
        con = sqlite3.connect(srv.db)
        try:
            n = con.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'session.rate_limited'").fetchone()[0]
            fails = con.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'session.login'"
                                " AND result = 'failure'").fetchone()[0]
        finally:
            con.close()
        check(1 <= n <= 10, "session.rate_limited audit records: %d (one per burst expected)" % n)
        check(fails >= 20, "failed logins audited: %d" % fails)
        rc, so, se = srv.cli("audit", "verify")
        eq(rc, 0, "audit verify (%s %s)" % (so, se))
        log = srv.tail(400)
        check("did not send a complete request within" in log, "no log line about closed slow connections")

    ok &= tap.run("afterwards: SIGTERM exits 0; rate-limit bursts audited once each, failed logins audited; "
                  "audit chain verifies; the log names the connections closed by the deadline", audit)

    srv.kill9()
    if ok:
        srv.cleanup()
    else:
        tap.diag("kept %s; server log tail:\n%s" % (srv.tmp, srv.tail(30)))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
