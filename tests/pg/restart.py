#!/usr/bin/env python3
"""PostgreSQL restart suite: the server survives its database going away.

Usage: python3 tests/pg/restart.py --bin build/fazhi
Needs FAZHI_TEST_PG (postgresql://fazhi@127.0.0.1:PORT) and FAZHI_TEST_PG_DIR
(the directory of tests/pg/pgctl.sh), as `make test DB=pg` sets them; without
them it prints a visible "skipped" line and passes (plain `make test`).

On its own database of the private PostgreSQL server:
 - set-up: a demo database, `fazhi serve` on it, sessions of admin and staff;
 - PostgreSQL stopped (pg_ctl stop -m fast) while four writers keep writing:
   reads, writes and logins get 503 UNAVAILABLE with a Chinese message, each
   within the request deadline, /healthz answers, the server does not crash;
 - PostgreSQL started again: within a few seconds the same sessions read and
   write again without a restart of fazhi; the outage and recovery are done
   twice (a reconnection is not one-shot);
 - a worker whose connection sat idle through a restart answers its first
   request after it (the dead socket is noticed before use);
 - every write acknowledged with 201 (before, during and after the outages)
   is present and exact, the audit chain verifies through the API, SIGTERM
   exits 0 and `fazhi audit verify` passes on the database.
"""

import argparse
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "crash"))

from fzlib import CJK, Server, Tap, check, cst_date, eq, expect, short  # noqa: E402

PSQL = "/usr/lib/postgresql/15/bin/psql"
REQUEST_TIMEOUT = 5  # --request-timeout of the server under test
RECOVERY_LIMIT = 10  # seconds after PostgreSQL is back by which the session must work


def pgctl(cmd):
    subprocess.run([os.path.join(HERE, "pgctl.sh"), cmd, os.environ["FAZHI_TEST_PG_DIR"]], check=True, timeout=120)


def psql(url, sql):
    p = subprocess.run([PSQL, url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    if p.returncode:
        raise RuntimeError("psql: %s" % p.stderr.decode("utf-8", "replace"))
    return p.stdout.decode("utf-8", "replace")


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/fazhi")
    args = ap.parse_args(argv)
    base = os.environ.get("FAZHI_TEST_PG")
    if not base or not os.environ.get("FAZHI_TEST_PG_DIR"):
        print("# pgrestart: skipped (no PostgreSQL; `make test DB=pg` runs it)")
        print("1..0 # SKIP no PostgreSQL")
        return 0

    tap = Tap()
    srv = Server(args.bin, prefix="fazhi-pgrestart-", extra_args=["--request-timeout", str(REQUEST_TIMEOUT)])
    dbname = "fazhi_restart_%d" % os.getpid()
    srv.db = "%s/%s" % (base, dbname)
    srv.env.update(FAZHI_KEY_FILE=os.path.join(srv.tmp, "fazhi.key"), FAZHI_FILES_DIR=os.path.join(srv.tmp, "files"))
    st = {"acked": {}, "refused": 0, "bad": []}
    lock = threading.Lock()

    def setup():
        psql(base.replace("://fazhi@", "://postgres@") + "/postgres", "CREATE DATABASE %s OWNER fazhi" % dbname)
        srv.init_demo()
        srv.start()
        st["admin"] = srv.client("admin")
        st["staff"] = srv.client("staff")
        orgs = expect(st["admin"].get("/api/v1/orgs"), 200, "orgs")["items"]
        st["root"] = orgs[0]["id"]
        for i in range(3):
            write(st["admin"], "org", "重连前%d" % i, must=True)
            write(st["staff"], "ledger", "重连前%d" % i, must=True)

    def write(c, kind, tag, must=False):
        """One write; records a 201 as acknowledged. Returns the reply."""
        if kind == "org":
            path, body = "/api/v1/orgs", {"parent_id": st["root"], "kind": "department", "name": "重连测试科%s" % tag}
        else:
            path, body = "/api/v1/ledger", {"category": "meeting", "date": cst_date(), "title": "重连测试会议%s" % tag}
        r = c.post(path, body)
        with lock:
            if r.status == 201:
                st["acked"][(kind, r.json["id"])] = r.json
            elif r.status == 503 and r.code() == "UNAVAILABLE":
                st["refused"] += 1
            else:
                st["bad"].append("%s %s at %s: %r" % (kind, tag, time.strftime("%H:%M:%S", time.gmtime()), r))
        if must:
            expect(r, 201, "%s %s" % (kind, tag))
        return r

    if not tap.run("set-up: own database on the private PostgreSQL, demo data, fazhi serve, sessions, writes", setup):
        srv.kill9()
        print("Bail out! %s" % srv.tail(20).replace("\n", " | "))
        return 1

    stop = threading.Event()
    writers = []

    def writer(k, c):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                write(c, "org" if k < 2 else "ledger", "w%dn%d" % (k, n))
            except OSError as e:
                with lock:
                    st["bad"].append("writer %d: %r" % (k, e))
                c.close()
            time.sleep(0.02)

    def start_writers():
        clients = [srv.client("admin" if k < 2 else "staff", timeout=REQUEST_TIMEOUT + 10) for k in range(4)]
        for k in range(4):
            t = threading.Thread(target=writer, args=(k, clients[k]), daemon=True)
            t.start()
            writers.append(t)

    def timed(fn, what):
        t0 = time.time()
        r = fn()
        took = time.time() - t0
        check(took < REQUEST_TIMEOUT, "%s took %.1f s, past the request deadline of %d s" % (what, took,
                                                                                             REQUEST_TIMEOUT))
        return r

    def expect_unavailable(r, what):
        check(r.status == 503 and r.code() == "UNAVAILABLE",
              "%s while PostgreSQL is down: expected 503 UNAVAILABLE, got %r" % (what, r))
        check(CJK.search(r.message() or ""), "%s: the message is not Chinese: %r" % (what, r.message()))

    def outage(round_no):
        a, s = st["admin"], st["staff"]
        pgctl("halt")
        try:
            time.sleep(0.3)
            for _ in range(2):  # the second try meets a connection already known to be down
                expect_unavailable(timed(lambda: a.get("/api/v1/orgs"), "GET orgs"), "GET orgs")
                expect_unavailable(timed(lambda: a.get("/api/v1/session"), "GET session"), "GET session")
                expect_unavailable(timed(lambda: write(a, "org", "断开%d" % round_no), "POST org"), "POST org")
                expect_unavailable(timed(lambda: write(s, "ledger", "断开%d" % round_no), "POST ledger"),
                                   "POST ledger")
                c = srv.client()
                expect_unavailable(timed(lambda: c.login("staff", srv.passwords["staff"]), "login"), "login")
            expect(srv.client().get("/healthz"), 200, "healthz while PostgreSQL is down")
            check(srv.alive(), "server died while PostgreSQL was down:\n" + srv.tail(20))
        finally:
            pgctl("resume")
        t_back = time.time()
        while True:
            r = a.get("/api/v1/orgs")
            if r.status == 200:
                break
            check(time.time() - t_back < RECOVERY_LIMIT, "the session does not work %d s after PostgreSQL is back: %r"
                  % (RECOVERY_LIMIT, r))
            time.sleep(0.1)
        took = time.time() - t_back
        # The same sessions write again at once (one connection back, the others try again), and a
        # new login works.
        write(a, "org", "恢复%d" % round_no, must=True)
        write(s, "ledger", "恢复%d" % round_no, must=True)
        expect(srv.client().login("leader", srv.passwords["leader"]), 200, "login after PostgreSQL is back")
        tap.diag("round %d: the session read again %.1f s after PostgreSQL was back" % (round_no, took))

    start_writers()
    ok = True
    for round_no in (1, 2):
        ok &= tap.run("PostgreSQL stopped (round %d): reads, writes, logins get 503 UNAVAILABLE in Chinese within the "
                      "request deadline, /healthz answers; started again: within %d s the same session reads and "
                      "writes, without restarting fazhi" % (round_no, RECOVERY_LIMIT), outage, round_no)
        time.sleep(0.5)

    def idle_through_restart():
        # One worker whose connection sits idle while PostgreSQL restarts: its first request after
        # the restart must work (the dead socket is noticed before use, not by a failing statement).
        one = Server(args.bin, prefix="fazhi-pgrestart1-", extra_args=["--workers", "1"])
        one.db, one.env, one.passwords = srv.db, srv.env, srv.passwords
        one.start()
        try:
            c = one.client("admin")
            expect(c.get("/api/v1/orgs"), 200, "orgs before the restart")
            pgctl("halt")
            pgctl("resume")
            r = c.get("/api/v1/orgs")
            check(r.status == 200, "first request on a connection idle through the restart: %r" % r)
            write(c, "org", "闲置连接", must=True)
        finally:
            eq(one.stop(), 0, "exit status of the one-worker server")
            one.cleanup()
        # The main server met the restart through its writers: it reads again within the limit.
        t_back = time.time()
        while st["admin"].get("/api/v1/orgs").status != 200:
            check(time.time() - t_back < RECOVERY_LIMIT, "the main server does not read %d s after the restart"
                  % RECOVERY_LIMIT)
            time.sleep(0.1)

    ok &= tap.run("a connection idle while PostgreSQL restarts: the first request after it succeeds",
                  idle_through_restart)

    def verify():
        stop.set()
        for t in writers:
            t.join(timeout=REQUEST_TIMEOUT + 15)
            check(not t.is_alive(), "a writer hangs")
        check(srv.alive(), "server died:\n" + srv.tail(20))
        check(not st["bad"], "replies other than 201 and 503 UNAVAILABLE:\n" + "\n".join(st["bad"][:10]))
        check(st["refused"], "no write was refused: PostgreSQL was never seen down")
        a, s = st["admin"], st["staff"]
        for (kind, oid), want in sorted(st["acked"].items()):
            path = "/api/v1/orgs/%d" % oid if kind == "org" else "/api/v1/ledger/%d" % oid
            got = (a if kind == "org" else s).get(path)
            check(got.status == 200 and got.json == want, "%s %d acknowledged as %s, now %r" % (
                kind, oid, short(want), got))
        js = expect(srv.client("auditor").get("/api/v1/audit/verify"), 200, "audit verify")
        eq(js.get("ok"), True, "audit chain after the restarts (%r)" % js)
        tap.diag("%d writes acknowledged and found again, %d refused with 503" % (len(st["acked"]), st["refused"]))

    ok &= tap.run("every write acknowledged before, during and after the outages is present and exact; only 201 or "
                  "503 UNAVAILABLE were answered; the audit chain verifies", verify)

    def final():
        eq(srv.stop(), 0, "exit status after SIGTERM")
        rc, out, err = srv.cli("audit", "verify")
        eq(rc, 0, "fazhi audit verify (%s %s)" % (out, err))

    ok &= tap.run("afterwards: SIGTERM exits 0 and fazhi audit verify passes on the database", final)
    stop.set()
    srv.kill9()
    if ok:
        srv.cleanup()
    else:
        tap.diag("kept %s; server log tail:\n%s" % (srv.tmp, srv.tail(40)))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
