#!/usr/bin/env python3
"""Crash-safety suite: kill -9 the server while it writes, restart, check.

Usage: python3 tests/crash/run.py --bin build/fazhi [--rounds N] [--seed S]
       (FAZHI_CRASH_ROUNDS sets the default number of rounds, 20)

One demo database for the whole run. Each round:

 1. start `fazhi serve` on it (every fifth round is first killed during its
    own start-up, before it answers, then started again);
 2. four writer threads create through the API, as fast as they can:
    organisations (and rename them), users (with a role), ledger entries
    (工作台账) and 行政复议 cases, each thread with its own session; every
    third round `fazhi backup` runs from the command line at the same time;
 3. after a random 0.15-1.2 s the server gets SIGKILL;
 4. a copy of the files as the kill left them (database, -wal, -shm) is
    opened with Python's sqlite3: PRAGMA integrity_check and foreign_key_check
    must pass, nothing may be half-written (an org without its path, a case
    without its reconsideration row, parties, first event and deadline, a
    user without its role, any row without its audit record or an audit
    record without its row) and `fazhi audit verify` must pass on the copy;
 5. the server is started again on the real file and every write of the
    round that was answered 2xx is fetched with GET and must equal what the
    2xx reply returned (for a rename: the last acknowledged name, or the one
    in flight when the kill came).

At the end every acknowledged write of every round is fetched once more, the
server is stopped with SIGTERM (exit status 0), and the real file is checked
as in step 4. TAP output, one test per round plus set-up and the final checks.
"""

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from fzlib import (Failure, Server, Tap, check, cst_date, eq, expect, short)  # noqa: E402

RESPONDENT = "嘉善县自然资源和规划局"
ID_NUMBER = "11010519491231002X"


class Ledger:
    """What the writers did: acknowledged objects and writes in flight at a kill."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}      # (kind, id) -> last acknowledged JSON
        self.inflight = {}   # (kind, id) -> JSON a write in flight may have left (renames)
        self.round_acked = set()
        self.unexpected = []  # replies that are neither 2xx nor a dead connection
        self.counts = {}

    def ack(self, kind, obj):
        with self.lock:
            key = (kind, obj["id"])
            self.acked[key] = obj
            self.inflight.pop(key, None)
            self.round_acked.add(key)
            self.counts[kind] = self.counts.get(kind, 0) + 1


class Writer(threading.Thread):
    def __init__(self, kind, client, ctx, ledger, rnd, tno, stop):
        super().__init__(daemon=True)
        self.kind, self.c, self.ctx, self.ledger = kind, client, ctx, ledger
        self.rnd, self.tno, self.stop = rnd, tno, stop
        self.n = 0
        self.dead = None  # the exception that ended the thread (the kill)
        self.my_orgs = []

    def run(self):
        rng = random.Random(self.rnd * 100 + self.tno)
        while not self.stop.wait(0.003):  # a short breath: ~1,000 writes a second in all, not 5,000
            self.n += 1
            tag = "r%dt%dn%d" % (self.rnd, self.tno, self.n)
            pending = None
            try:
                if self.kind == "org" and self.my_orgs and rng.random() < 0.4:
                    oid = rng.choice(self.my_orgs)
                    name = "崩溃测试改名%s" % tag
                    with self.ledger.lock:
                        before = dict(self.ledger.acked[("org", oid)])
                    before["name"] = name
                    pending = ("org", oid, before)
                    with self.ledger.lock:
                        self.ledger.inflight[("org", oid)] = before
                    r = self.c.request("PATCH", "/api/v1/orgs/%d" % oid, {"name": name})
                    kind = "org"
                else:
                    kind = self.kind
                    r = self.create(tag)
            except Exception as e:  # noqa: BLE001 (the kill: a dead connection, in any form)
                self.dead = e
                return
            if 200 <= r.status < 300 and isinstance(r.json, dict) and "id" in r.json:
                obj = dict(r.json)
                obj.pop("initial_password", None)
                self.ledger.ack(kind, obj)
                if kind == "org" and self.kind == "org" and pending is None:
                    self.my_orgs.append(obj["id"])
            else:
                if pending:
                    with self.ledger.lock:
                        self.ledger.inflight.pop(pending[:2], None)
                with self.ledger.lock:
                    self.ledger.unexpected.append("%s %s: %r" % (self.kind, tag, r))

    def create(self, tag):
        c, ctx = self.c, self.ctx
        if self.kind == "org":
            return c.post("/api/v1/orgs", {"parent_id": ctx["root"], "kind": "department",
                                           "name": "崩溃测试科%s" % tag})
        if self.kind == "user":
            return c.post("/api/v1/users", {"username": "crash.%s" % tag, "display_name": "崩溃测试%s" % tag,
                                            "org_id": ctx["office_org"], "role_ids": [ctx["office_role"]]})
        if self.kind == "ledger":
            return c.post("/api/v1/ledger", {"category": "meeting", "date": ctx["today"],
                                             "title": "崩溃测试会议%s" % tag, "times": 1, "people": self.n % 50,
                                             "amount_yuan": "%d.%02d" % (self.n, self.n % 100)})
        return c.post("/api/v1/reconsiderations", {
            "received_date": ctx["today"], "channel": "in_person", "respondent_org_id": ctx["respondent"],
            "act": "嘉自然资规罚〔2026〕%s号行政处罚决定" % tag, "claims": "请求撤销该行政处罚决定",
            "applicants": [{"type": "person", "name": "王小明", "id_number": ID_NUMBER, "phone": "13800138000"}]})


def snapshot(srv, name):
    """Copy the database files as they are now (the server is dead)."""
    d = os.path.join(srv.tmp, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for suffix in ("", "-wal", "-shm"):
        src = srv.db + suffix
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(d, "fazhi.db" + suffix))
    key = srv.db + ".key"
    if os.path.exists(key):
        shutil.copyfile(key, os.path.join(d, "fazhi.db.key"))
    return os.path.join(d, "fazhi.db")


def check_file(srv, path):
    """integrity, foreign keys, nothing half-written, audit chain: on a stopped server's file."""
    con = sqlite3.connect(path)
    problems = []
    try:
        ic = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if ic != ["ok"]:
            problems.append("integrity_check: %r" % ic[:5])
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append("foreign_key_check: %r" % fk[:5])

        def rows(sql):
            return con.execute(sql).fetchall()

        bad = rows("SELECT id, path FROM org WHERE path IS NULL OR path = '' OR path NOT LIKE '%/' || id || '/'")
        if bad:
            problems.append("orgs without a proper path: %r" % bad[:5])
        bad = rows("SELECT c.id, c.path, p.path FROM org c JOIN org p ON p.id = c.parent_id"
                   " WHERE c.path <> p.path || c.id || '/'")
        if bad:
            problems.append("org paths not below their parent's: %r" % bad[:5])
        bad = rows("SELECT id FROM case_file WHERE kind = 'reconsideration'"
                   " AND id NOT IN (SELECT case_id FROM reconsideration)")
        if bad:
            problems.append("reconsideration cases without their reconsideration row: %r" % bad[:5])
        bad = rows("SELECT id FROM case_file WHERE id NOT IN (SELECT case_id FROM case_event WHERE action = 'create')"
                   " OR id NOT IN (SELECT case_id FROM case_party WHERE role = 'applicant')"
                   " OR id NOT IN (SELECT case_id FROM case_party WHERE role = 'respondent')"
                   " OR id NOT IN (SELECT case_id FROM case_deadline)")
        if bad:
            problems.append("cases without their first event, parties or deadline: %r" % bad[:5])
        bad = rows("SELECT id, username FROM app_user WHERE username LIKE 'crash.%'"
                   " AND id NOT IN (SELECT user_id FROM user_role)")
        if bad:
            problems.append("users without their role: %r" % bad[:5])
        # Every row a writer created has its audit record (same transaction), and
        # every audit record of a creation names a row that exists.
        for table, action, where in (("org", "org.create", "name LIKE '崩溃测试%'"),
                                     ("app_user", "user.create", "username LIKE 'crash.%'"),
                                     ("ledger_entry", "ledger.create", "title LIKE '崩溃测试%'"),
                                     ("case_file", "reconsideration.create", "kind = 'reconsideration'")):
            bad = rows("SELECT id FROM %s WHERE %s AND CAST(id AS TEXT) NOT IN"
                       " (SELECT object_id FROM audit_log WHERE action = '%s' AND result = 'success')"
                       % (table, where, action))
            if bad:
                problems.append("%s rows without their %s audit record: %r" % (table, action, bad[:5]))
            bad = rows("SELECT seq, object_id FROM audit_log WHERE action = '%s' AND result = 'success'"
                       " AND object_id NOT IN (SELECT CAST(id AS TEXT) FROM %s)" % (action, table))
            if bad:
                problems.append("%s audit records without their row: %r" % (action, bad[:5]))
        bad = rows("SELECT o.id, o.name FROM org o WHERE o.name LIKE '崩溃测试改名%' AND NOT EXISTS"
                   " (SELECT 1 FROM audit_log a WHERE a.action = 'org.update' AND a.object_id = CAST(o.id AS TEXT)"
                   " AND a.result = 'success')")
        if bad:
            problems.append("renamed orgs without an org.update audit record: %r" % bad[:5])
        n = con.execute("SELECT COUNT(*), MAX(seq) FROM audit_log").fetchone()
        head = con.execute("SELECT seq FROM audit_head WHERE id = 1").fetchone()
        if n[0] != n[1] or not head or head[0] != n[1]:
            problems.append("audit_log count %r, max seq %r, head %r" % (n[0], n[1], head))
    finally:
        con.close()
    rc, so, se = srv.cli("audit", "verify", db=path)
    if rc != 0 or "审计链完整" not in so:
        problems.append("fazhi audit verify exit %d: %s %s" % (rc, so.strip(), se.strip()))
    if problems:
        raise Failure("%s:\n  " % path + "\n  ".join(problems))


def same_but_time(got, want):
    return {k: v for k, v in got.items() if k != "updated_at"} == {k: v for k, v in want.items() if k != "updated_at"}


def verify_acked(srv, clients, ledger, keys):
    """GET every key and compare with the acknowledged (or in-flight) JSON."""
    paths = {"org": "/api/v1/orgs/%d", "user": "/api/v1/users/%d", "ledger": "/api/v1/ledger/%d",
             "recon": "/api/v1/cases/%d"}
    who = {"org": "admin", "user": "admin", "ledger": "staff", "recon": "staff"}
    problems = []
    for kind, oid in sorted(keys):
        r = clients[who[kind]].get(paths[kind] % oid)
        want = ledger.acked[(kind, oid)]
        alt = ledger.inflight.get((kind, oid))
        if r.status != 200:
            problems.append("%s %d acknowledged but now %r" % (kind, oid, r))
        elif alt is not None and same_but_time(r.json, alt):
            # The write in flight at the kill was committed: that is now the state
            # (its updated_at is the server's; nobody saw it).
            with ledger.lock:
                ledger.acked[(kind, oid)] = r.json
                ledger.inflight.pop((kind, oid), None)
        elif r.json != want:
            diff = sorted(k for k in set(r.json) | set(want) if r.json.get(k) != want.get(k))
            problems.append("%s %d differs from its 2xx reply in %s: got %s, acknowledged %s" % (
                kind, oid, diff, short({k: r.json.get(k) for k in diff}), short({k: want.get(k) for k in diff})))
        if len(problems) >= 10:
            break
    if problems:
        raise Failure("\n".join(problems))


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/fazhi")
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("FAZHI_CRASH_ROUNDS", "20")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FAZHI_CRASH_SEED", str(int(time.time())))))
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    tap = Tap()
    tap.diag("crash suite: %d rounds, seed %d (FAZHI_CRASH_SEED=%d repeats the kill times)" % (
        args.rounds, args.seed, args.seed))

    srv = Server(args.bin, prefix="fazhi-crash-")
    ledger = Ledger()
    ctx = {}
    ok = True

    def setup():
        srv.init_demo()
        srv.start()
        a = srv.client("admin")
        srv.client("staff")  # changes the initial password once
        orgs = expect(a.get("/api/v1/orgs"), 200, "GET orgs")["items"]
        ctx["root"] = orgs[0]["id"]
        ctx["respondent"] = [o for o in orgs if o["name"] == RESPONDENT][0]["id"]
        ctx["office_org"] = [o for o in orgs if o["name"] == "嘉善县司法局西塘司法所"][0]["id"]
        roles = expect(a.get("/api/v1/roles"), 200, "GET roles")["items"]
        ctx["office_role"] = [ro for ro in roles if ro["code"] == "office"][0]["id"]
        ctx["today"] = cst_date()

    if not tap.run("set-up: demo database, server started, writer accounts ready", setup):
        srv.kill9()
        print("Bail out! set-up failed; server log:\n" + srv.tail())
        return 1

    def backup_under_load():
        # A 60 MB database and sixteen writers committing all the time: the online
        # backup used to copy 256 pages at a time, restart on every commit of
        # another connection, and never finish.
        b = Server(args.bin, prefix="fazhi-crash-backup-")
        try:
            b.init_demo()
            con = sqlite3.connect(b.db)
            con.execute("CREATE TABLE zz_filler (x BLOB)")
            con.executemany("INSERT INTO zz_filler VALUES (randomblob(4000))", [()] * 15000)
            con.commit()
            con.close()
            b.start()
            stop = threading.Event()
            errors = []
            done = [0]

            def writer(k):
                c = b.client("admin")
                n = 0
                while not stop.is_set():
                    n += 1
                    r = c.post("/api/v1/orgs", {"parent_id": ctx["root"], "kind": "department",
                                                "name": "备份压力%d-%d" % (k, n)})
                    if r.status != 201:
                        errors.append(r)
                        return
                    done[0] += 1

            ws = [threading.Thread(target=writer, args=(k,), daemon=True) for k in range(16)]
            for w in ws:
                w.start()
            time.sleep(0.3)
            took = 0
            for n in range(5):  # whether a commit lands between two steps is luck: five tries
                t0 = time.time()
                try:
                    rc, so, se = b.cli("backup", os.path.join(b.tmp, "copy%d.db" % n), timeout=15)
                except subprocess.TimeoutExpired:
                    rc, so, se = "timeout", "", "still copying after 15 s"
                took = max(took, time.time() - t0)
                if rc != 0:
                    break
            during = done[0]
            stop.set()
            for w in ws:
                w.join(timeout=20)
            eq(rc, 0, "fazhi backup under load (%s %s)" % (so, se))
            check(not errors, "writes failed during the backup: %r" % errors[:3])
            check(took < 4, "a backup under load took %.1f s (one step of every page takes well under a second)" % took)
            rc, so, se = b.cli("audit", "verify", db=os.path.join(b.tmp, "copy4.db"))
            eq(rc, 0, "audit verify on the copy (%s %s)" % (so, se))
            eq(b.stop(), 0, "exit status after SIGTERM")
            check(during > 20, "the writers hardly wrote: %d" % during)
            tap.diag("five online backups of %d MB under sixteen writers (%d writes by the end): %.2f s" % (
                os.path.getsize(os.path.join(b.tmp, "copy4.db")) >> 20, during, took))
        finally:
            b.kill9()
            b.cleanup()

    ok &= tap.run("fazhi backup of a 60 MB database finishes within 4 s (five times) while sixteen writers commit, "
                  "and the copy's audit chain verifies", backup_under_load)

    # One session per writer, kept across restarts (sessions live in the database).
    kinds = ("org", "user", "ledger", "recon")
    writers_clients = [srv.client("admin" if k in ("org", "user") else "staff") for k in kinds]
    readers = {"admin": srv.client("admin"), "staff": srv.client("staff")}

    def one_round(rnd):
        ledger.round_acked = set()
        with ledger.lock:
            ledger.inflight = {}
        if rnd % 5 == 4:
            # Killed during its own start-up (opening, recovery), before it answers.
            srv.kill9()
            srv.start(wait=False)
            time.sleep(rng.uniform(0, 0.05))
            srv.kill9()
            srv.start()
        for c in writers_clients + list(readers.values()):
            c.close()
        stop = threading.Event()
        threads = [Writer(k, c, ctx, ledger, rnd, t, stop) for t, (k, c) in enumerate(zip(kinds, writers_clients))]
        for t in threads:
            t.start()
        backup = []
        bthread = None
        delay = rng.uniform(0.15, 1.2)
        if rnd % 3 == 2:
            time.sleep(delay / 2)
            # A CLI process opening and closing the database under the running
            # server must not take the WAL away from it (see db_open).
            bthread = threading.Thread(target=lambda: backup.append(
                srv.cli("backup", os.path.join(srv.tmp, "backup-%d.db" % rnd), timeout=30)))
            bthread.start()
            time.sleep(delay / 2)
        else:
            time.sleep(delay)
        check(srv.alive(), "the server died by itself before the kill:\n" + srv.tail(20))
        srv.kill9()
        stop.set()
        for t in threads:
            t.join(timeout=20)
            check(not t.is_alive(), "a writer thread hangs after the kill")
        if bthread:
            bthread.join(timeout=40)  # before the snapshot: the CLI writes its audit record
            check(backup and backup[0][0] == 0, "fazhi backup during the round failed: %r" % (backup,))
        if ledger.unexpected:
            raise Failure("replies other than 2xx while writing:\n" + "\n".join(ledger.unexpected[:10]))
        check_file(srv, snapshot(srv, "snap"))
        srv.start()
        verify_acked(srv, readers, ledger, ledger.round_acked)
        tap.diag("round %d: killed after %.2fs, %d writes acknowledged (%s so far)" % (
            rnd + 1, delay, len(ledger.round_acked),
            ", ".join("%s %d" % kv for kv in sorted(ledger.counts.items()))))

    for rnd in range(args.rounds):
        if not tap.run("round %d: kill -9 during concurrent writes, restart: every 2xx write present and exact, "
                       "nothing half-written, integrity_check ok, audit chain verifies" % (rnd + 1), one_round, rnd):
            ok = False
            tap.diag("server log (last 20 lines):\n" + srv.tail(20))
            if not srv.alive():
                try:
                    srv.start()
                except Exception as e:  # noqa: BLE001
                    tap.diag("cannot restart: %s" % e)
                    break

    def final():
        check(len(ledger.acked) > 20 * min(args.rounds, 5), "too few acknowledged writes: %d" % len(ledger.acked))
        for c in readers.values():
            c.close()
        verify_acked(srv, readers, ledger, set(ledger.acked))
        rc = srv.stop()
        eq(rc, 0, "exit status after SIGTERM")
        check_file(srv, srv.db)
        rc, so, se = srv.cli("audit", "verify")
        eq(rc, 0, "fazhi audit verify on the real file (%s %s)" % (so, se))

    if not tap.run("after all rounds: all %d acknowledged writes still exact; SIGTERM exits 0; the real file "
                   "passes integrity_check, the half-write checks and audit verify" % len(ledger.acked), final):
        ok = False
    srv.kill9()
    if ok:
        srv.cleanup()
    else:
        tap.diag("kept %s" % srv.tmp)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
