#!/usr/bin/env python3
"""Storage-fault suite: disk full and read-only storage while serving.

Usage: python3 tests/faults/run.py --bin build/fazhi

Root ignores file modes, so chmod cannot make the database read-only in
this sandbox, and mounting a small tmpfs needs privileges a container may
not have. Instead tests/faults/shim.c (built here with cc into the build
directory) is preloaded into the server: while the flag file exists, every
write, fsync or truncate of a file under the database directory fails with
the errno the flag names (ENOSPC for a full disk, EROFS for a read-only file
system, EIO). The log and the sockets are outside that directory and keep
working.

Tests:
 - disk full: creating an org, a ledger entry, a 行政复议 case, an
   attachment, and logging in all get 503 UNAVAILABLE with a Chinese
   message; reads, the session and /healthz keep working; nothing crashes;
   after the flag is removed the same writes succeed without a restart and
   the refused ones left nothing behind;
 - read-only file system (EROFS), then EIO: the same;
 - faults coming and going every ~100 ms under four concurrent writers:
   every reply is 2xx or 503 UNAVAILABLE (never 500, never a hang), and once
   the storage is back every 2xx write is present and exact, every refused
   one absent, and the audit chain verifies through the API;
 - afterwards SIGTERM exits 0 and the file passes PRAGMA integrity_check and
   `fazhi audit verify`.
"""

import argparse
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crash"))

from fzlib import (Server, Tap, check, cst_date, eq, expect, expect_error, short)  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def build_shim(bin_path):
    out_dir = os.path.join(os.path.dirname(os.path.abspath(bin_path)), "tests", "faults")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, "fault_shim.so")
    src = os.path.join(HERE, "shim.c")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        cc = os.environ.get("CC", "cc")
        subprocess.run([cc, "-shared", "-fPIC", "-O1", "-Wall", "-Wextra", "-Werror", "-o", out, src, "-ldl"],
                       check=True)
    return out


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/fazhi")
    args = ap.parse_args(argv)
    tap = Tap()
    srv = Server(args.bin, prefix="fazhi-faults-")
    data = os.path.join(srv.tmp, "data")
    os.makedirs(data)
    srv.db = os.path.join(data, "fazhi.db")
    flag = os.path.join(srv.tmp, "fault")
    st = {}

    def fault(kind):
        if kind:
            with open(flag + ".new", "w") as f:
                f.write(kind + "\n")
            os.replace(flag + ".new", flag)
        elif os.path.exists(flag):
            os.unlink(flag)

    def setup():
        shim = build_shim(args.bin)
        srv.init_demo()
        asan = os.environ.get("ASAN_OPTIONS", "")
        srv.env.update(LD_PRELOAD=shim, FAZHI_FAULT_FLAG=flag, FAZHI_FAULT_DIR=data + "/",
                       # A sanitizer build wants its runtime first in the library list.
                       ASAN_OPTIONS=(asan + ":" if asan else "") + "verify_asan_link_order=0")
        srv.start()
        st["admin"] = srv.client("admin")
        st["staff"] = srv.client("staff")
        orgs = expect(st["admin"].get("/api/v1/orgs"), 200, "orgs")["items"]
        st["root"] = orgs[0]["id"]
        st["respondent"] = [o for o in orgs if o["name"] == "嘉善县自然资源和规划局"][0]["id"]
        r = st["staff"].post("/api/v1/ledger", {"category": "meeting", "date": cst_date(), "title": "附件测试会议"})
        st["entry"] = expect(r, 201, "ledger entry for attachments")["id"]
        # The fault flag really reaches the server: a write fails with it, works without it.
        fault("ENOSPC")
        r = st["admin"].post("/api/v1/orgs", {"parent_id": st["root"], "kind": "department", "name": "探测机构"})
        fault(None)
        check(r.status == 503, "the shim does not reach the server (write under the flag: %r)" % r)

    if not tap.run("set-up: fault shim built and preloaded, demo database, sessions", setup):
        srv.kill9()
        print("Bail out! %s" % srv.tail(20).replace("\n", " | "))
        return 1

    def writes(tag):
        a, s = st["admin"], st["staff"]
        return [
            ("org", lambda: a.post("/api/v1/orgs", {"parent_id": st["root"], "kind": "department",
                                                    "name": "故障测试科%s" % tag})),
            ("ledger", lambda: s.post("/api/v1/ledger", {"category": "meeting", "date": cst_date(),
                                                         "title": "故障测试会议%s" % tag})),
            ("recon", lambda: s.post("/api/v1/reconsiderations", {
                "received_date": cst_date(), "channel": "mail", "respondent_org_id": st["respondent"],
                "act": "故障测试〔2026〕%s号行政处罚决定" % tag, "claims": "请求撤销",
                "applicants": [{"type": "person", "name": "李四"}]})),
            ("attachment", lambda: upload(s, st["entry"], tag)),
        ]

    def outage(kind):
        tag = "%s%d" % (kind.lower(), random.randint(0, 10 ** 6))
        a = st["admin"]
        fault(kind)
        try:
            for what, fn in writes(tag):
                expect_error(fn(), 503, "UNAVAILABLE", "%s while %s" % (what, kind))
            c = srv.client()
            expect_error(c.login("staff", srv.passwords["staff"]), 503, "UNAVAILABLE", "login while %s" % kind)
            expect(a.get("/api/v1/orgs"), 200, "GET orgs while %s" % kind)
            expect(st["staff"].get("/api/v1/ledger/%d" % st["entry"]), 200, "GET ledger entry while %s" % kind)
            expect(a.get("/api/v1/session"), 200, "GET session while %s" % kind)
            expect(srv.client().get("/healthz"), 200, "healthz while %s" % kind)
            check(srv.alive(), "server died while %s" % kind)
        finally:
            fault(None)
        # Back without a restart; the refused writes left nothing.
        names = [o["name"] for o in expect(a.get("/api/v1/orgs?status=all"), 200, "orgs")["items"]]
        check("故障测试科%s" % tag not in names, "an org refused while %s exists" % kind)
        tag2 = tag + "ok"
        for what, fn in writes(tag2):
            r = fn()
            check(r.status in (200, 201), "%s after %s cleared: %r" % (what, kind, r))
        c = srv.client()
        expect(c.login("staff", srv.passwords["staff"]), 200, "login after %s cleared" % kind)
        js = expect(a.get("/api/v1/orgs?status=all"), 200, "orgs")["items"]
        check(any(o["name"] == "故障测试科%s" % tag2 for o in js), "org created after recovery missing")

    def upload(client, entry, tag):
        return client.request("POST", "/api/v1/ledger/%d/attachments?filename=%s.txt" % (entry, tag),
                              headers={"Content-Type": "text/plain"}, raw=("附件内容 %s" % tag).encode("utf-8"))

    ok = True
    for kind, what in (("ENOSPC", "disk full (ENOSPC)"), ("EROFS", "read-only file system (EROFS)"),
                       ("EIO", "I/O errors (EIO)")):
        ok &= tap.run("%s: org, ledger entry, case, attachment and login get 503 UNAVAILABLE in Chinese; reads, "
                      "sessions and /healthz work; once cleared the same writes succeed without a restart"
                      % what, outage, kind)

    def flapping():
        stop = threading.Event()
        lock = threading.Lock()
        acked, refused, bad = {}, [], []
        a, s = st["admin"], st["staff"]
        clients = [srv.client("admin"), srv.client("admin"), srv.client("staff"), srv.client("staff")]

        def writer(k):
            c = clients[k]
            n = 0
            while not stop.is_set():
                n += 1
                tag = "f%dn%d" % (k, n)
                if k < 2:
                    kind, path, body = "org", "/api/v1/orgs", {"parent_id": st["root"], "kind": "department",
                                                               "name": "抖动测试科%s" % tag}
                else:
                    kind, path, body = "ledger", "/api/v1/ledger", {"category": "meeting", "date": cst_date(),
                                                                    "title": "抖动测试会议%s" % tag}
                try:
                    r = c.post(path, body)
                except OSError as e:
                    with lock:
                        bad.append("%s: %r" % (tag, e))
                    c.close()
                    continue
                with lock:
                    if r.status == 201:
                        acked[(kind, r.json["id"])] = r.json
                    elif r.status == 503 and r.code() == "UNAVAILABLE":
                        refused.append((kind, body.get("name") or body.get("title")))
                    else:
                        bad.append("%s: %r" % (tag, r))

        threads = [threading.Thread(target=writer, args=(k,), daemon=True) for k in range(4)]
        for t in threads:
            t.start()
        rng = random.Random(7)
        t_end = time.time() + 3
        while time.time() < t_end:
            fault(rng.choice(["ENOSPC", "EROFS", "EIO", None, None]))
            time.sleep(rng.uniform(0.03, 0.15))
        fault(None)
        stop.set()
        for t in threads:
            t.join(timeout=30)
            check(not t.is_alive(), "a writer hangs")
        check(srv.alive(), "server died:\n" + srv.tail(20))
        check(not bad, "replies other than 201 and 503 UNAVAILABLE:\n" + "\n".join(bad[:10]))
        check(acked and refused, "the faults did not alternate: %d acknowledged, %d refused" % (
            len(acked), len(refused)))
        for (kind, oid), want in sorted(acked.items()):
            path = "/api/v1/orgs/%d" % oid if kind == "org" else "/api/v1/ledger/%d" % oid
            got = (a if kind == "org" else s).get(path)
            check(got.status == 200 and got.json == want, "%s %d acknowledged as %s, now %r" % (
                kind, oid, short(want), got))
        orgs = {o["name"] for o in expect(a.get("/api/v1/orgs?status=all"), 200, "orgs")["items"]}
        for kind, name in refused:
            check(kind != "org" or name not in orgs, "org %r was refused with 503 but exists" % name)
        st["refused"] = refused  # ledger titles are checked in the file after the stop
        auditor = srv.client("auditor")
        js = expect(auditor.get("/api/v1/audit/verify"), 200, "audit verify")
        eq(js.get("ok"), True, "audit chain after the faults (%r)" % js)
        tap.diag("flapping faults: %d writes acknowledged, %d refused with 503" % (len(acked), len(refused)))

    ok &= tap.run("faults coming and going under four concurrent writers: only 201 or 503 UNAVAILABLE; afterwards "
                  "every 201 is present and exact, every refused org absent, the audit chain verifies", flapping)

    def final():
        fault(None)
        rc = srv.stop()
        eq(rc, 0, "exit status after SIGTERM")
        con = sqlite3.connect(srv.db)
        try:
            eq([r[0] for r in con.execute("PRAGMA integrity_check")], ["ok"], "integrity_check")
            titles = {r[0] for r in con.execute("SELECT title FROM ledger_entry")}
            names = {r[0] for r in con.execute("SELECT name FROM org")}
            for kind, name in st.get("refused", []):
                check(name not in (names if kind == "org" else titles), "%s %r refused with 503 but stored" % (
                    kind, name))
            fk = con.execute("PRAGMA foreign_key_check").fetchall()
            check(not fk, "foreign_key_check: %r" % fk[:5])
        finally:
            con.close()
        env = dict(srv.env)
        env.pop("LD_PRELOAD", None)
        p = subprocess.run([srv.bin, "audit", "verify", "--db", srv.db], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env, timeout=60)
        eq(p.returncode, 0, "fazhi audit verify (%s)" % p.stdout.decode("utf-8", "replace"))
        # The writes above ran in group commits (several requests, one transaction, each in its own
        # savepoint); the faults hit groups too, so the all-or-nothing path of a group was exercised.
        summary = [x for x in srv.tail(10).splitlines() if "group commit:" in x]
        check(summary, "no group commit summary in the server log")
        m = re.search(r"at most (\d+) in one", summary[-1])
        tap.diag(summary[-1].split(" info ", 1)[-1])
        check(m and int(m.group(1)) >= 2, "the concurrent writes never shared a transaction: %r" % summary[-1])

    ok &= tap.run("afterwards: SIGTERM exits 0, integrity_check and foreign_key_check ok, no ledger entry refused "
                  "with 503 stored, fazhi audit verify passes; the writes shared transactions (group commit)", final)
    srv.kill9()
    if ok:
        srv.cleanup()
    else:
        tap.diag("kept %s; server log tail:\n%s" % (srv.tmp, srv.tail(30)))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
