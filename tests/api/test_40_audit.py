"""The audit trail and the CLI around it.

LATE tests run after every other live test, so the trail they check holds the
records of the whole suite. STOPPED tests run last: the first stops the server
(SIGTERM, exit status 0), the others check the database file directly for
append-only protection and tamper detection, then restart the server once on
the tampered database."""

import os
import re
import shutil
import signal
import sqlite3
import subprocess

from harness import *  # noqa: F401,F403 (the suite's helpers and state)


@test("fazhi backup while the server runs makes a copy whose audit chain verifies", phase=LATE)
def t_backup():
    out = os.path.join(S.tmp, "backup.db")
    rc, so, se = run_cli("backup", out, "--db", S.db)
    if pg_mode():
        # PostgreSQL is backed up with its own tools; the CLI says so and changes nothing.
        eq(rc, 1, "backup on PostgreSQL refused (stdout %r, stderr %r)" % (so, se))
        check("pg_dump" in se, "the refusal names pg_dump: %r" % se)
        return
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


@test("audit trail records every change (org, user, role, policy, login failures, lockout, logout)", phase=LATE)
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


@test("GET /api/v1/audit/verify: the chain is intact and every record was checked", phase=LATE)
def t_audit_verify_api():
    c = session_for("auditor")
    total = expect(c.get("/api/v1/audit?page_size=1"), 200, "audit count")["total"]
    js = expect(c.get("/api/v1/audit/verify"), 200, "verify")
    eq(js.get("ok"), True, "ok (%r)" % js)
    check(js.get("checked", 0) >= total and total > 0, "checked %r, total %r" % (js.get("checked"), total))
    check("first_bad_seq" not in js, "first_bad_seq present: %r" % js)


@test("fazhi audit verify CLI reports 审计链完整 and exits 0 while the server runs", phase=LATE)
def t_audit_verify_cli():
    rc, so, se = run_cli("audit", "verify", "--db", S.db)
    eq(rc, 0, "exit status (stdout %r, stderr %r)" % (so, se))
    check("审计链完整" in so, "output: %r" % so)


@test("server shuts down gracefully on SIGTERM with exit status 0", phase=STOPPED)
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


@test("after SIGTERM: the log counts the write requests and the transactions they shared (group commit)",
      phase=STOPPED)
def t_group_commit_log():
    lines = [x for x in read_log().splitlines() if "group commit:" in x]
    check(lines, "no group commit summary in the server log")
    diag(lines[-1].split(" info ", 1)[-1])
    m = re.search(r"(\d+) write request\(s\) in (\d+) transaction\(s\), at most (\d+) in one", lines[-1])
    check(m, "summary line: %r" % lines[-1])
    requests, transactions, largest = (int(x) for x in m.groups())
    check(requests >= transactions >= 1 and requests >= largest >= 1, "summary numbers: %r" % lines[-1])


@test("audit_log is append-only: UPDATE and DELETE raise an error mentioning append-only", phase=STOPPED)
def t_append_only():
    if pg_mode():
        # The application role has no UPDATE/DELETE/TRUNCATE; the trigger stops even a superuser.
        for sql in ("UPDATE audit_log SET detail = 'x' WHERE seq = 5", "DELETE FROM audit_log WHERE seq = 5",
                    "TRUNCATE audit_log"):
            rc, so, se = psql(sql)
            check(rc != 0 and "permission denied" in se, "%r as the application role: %r" % (sql, se))
            rc, so, se = psql(sql, superuser=True)
            check(rc != 0 and "append-only" in se, "%r as superuser: %r" % (sql, se))
        rc, so, se = psql("SELECT detail FROM audit_log WHERE seq = 5")
        check(rc == 0 and so.strip() != "x", "row 5 changed: %r" % so)
    else:
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


def tamper(sql, target=None):
    """Run SQL that bypasses the append-only protection on the test database (or a copy)."""
    if pg_mode():
        rc, so, se = psql("ALTER TABLE audit_log DISABLE TRIGGER USER; %s; ALTER TABLE audit_log ENABLE TRIGGER USER"
                          % sql, superuser=True, db=target)
        check(rc == 0, "tampering failed: %r" % se)
        return
    con = sqlite3.connect(target or S.db)
    try:
        con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        con.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        con.execute(sql)
        con.commit()
    finally:
        con.close()


@test("tampering with one audit row is detected: fazhi audit verify exits 1 naming 第 5 条", phase=STOPPED)
def t_tamper():
    if pg_mode():
        rc, so, se = psql("SELECT COUNT(*) FROM audit_log")
        n = int(so.strip())
    else:
        con = sqlite3.connect(S.db)
        n = con.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
        con.close()
    check(n > 10, "only %d audit rows" % n)
    tamper("UPDATE audit_log SET detail = detail || '(篡改)' WHERE seq = 5")
    rc, so, se = run_cli("audit", "verify", "--db", S.db)
    eq(rc, 1, "exit status (stdout %r, stderr %r)" % (so, se))
    check("第 5 条" in so + se, "output does not name row 5: %r %r" % (so, se))
    check("审计链完整" not in so, "output claims the chain is intact: %r" % so)


@test("audit verify CLI names a deleted record and a truncated tail (on copies of the backup)", phase=STOPPED)
def t_tamper_delete():
    src = os.path.join(S.tmp, "backup.db")
    if not pg_mode():
        check(os.path.exists(src), "no backup file (the backup test failed?)")

    def damaged(name, sql):
        if pg_mode():
            # A copy of the (already tampered) database; the damage below comes first in the chain only
            # when it is before row 5, so copies are made from a fresh template of the current state.
            copy = S.pg_db + "_" + name.split(".")[0]
            rc, so, se = psql("CREATE DATABASE %s TEMPLATE %s OWNER fazhi" % (copy, S.pg_db), superuser=True,
                              db="postgres")
            check(rc == 0, "copy database: %r" % se)
            tamper("UPDATE audit_log SET detail = REPLACE(detail, '(篡改)', '') WHERE seq = 5", target=copy)
            rc, so, se = psql("SELECT MAX(seq) FROM audit_log", db=copy)
            n = int(so.strip())
            tamper(sql % {"last": n}, target=copy)
            rc, so, se = run_cli("audit", "verify", "--db", pg_url(copy))
            return n, rc, so + se
        path = os.path.join(S.tmp, name)
        shutil.copyfile(src, path)
        con = sqlite3.connect(path)
        try:
            n = con.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0]
        finally:
            con.close()
        tamper(sql % {"last": n}, target=path)
        rc, so, se = run_cli("audit", "verify", "--db", path)
        return n, rc, so + se

    n, rc, out = damaged("deleted.db", "DELETE FROM audit_log WHERE seq = 7")
    eq(rc, 1, "exit status after deleting row 7 (output %r)" % out)
    check("第 7 条" in out, "output does not name row 7: %r" % out)
    n, rc, out = damaged("truncated.db", "DELETE FROM audit_log WHERE seq = %(last)d")
    eq(rc, 1, "exit status after deleting the last row %d (output %r)" % (n, out))
    check("第 %d 条" % n in out, "output does not name row %d: %r" % (n, out))


@test("after restarting on the tampered database, GET /api/v1/audit/verify reports first_bad_seq 5", phase=STOPPED)
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
