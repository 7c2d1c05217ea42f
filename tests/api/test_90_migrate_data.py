"""fazhi migrate-data: a county's SQLite database moved into PostgreSQL (PostgreSQL runs only).

Registered only when the suite runs against PostgreSQL (make test DB=pg): it
builds a SQLite demo county with cases of its own, moves it into a new
database of the test server and checks what arrived."""

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import time

from harness import *  # noqa: F401,F403

if pg_mode():
    @test("migrate-data moves a SQLite county into an empty PostgreSQL database: rows, audit chain, figures")
    def t_migrate_data():
        src = os.path.join(S.tmp, "county.db")
        env_key = os.environ.get("FAZHI_KEY_FILE")
        rc, so, se = run_cli("init", "--demo", "--db", src, "--key-file", os.path.join(S.tmp, "county.key"))
        eq(rc, 0, "init the SQLite county (%s)" % se)
        target = S.pg_db + "_moved"
        rc, so, se = psql("CREATE DATABASE %s OWNER fazhi" % target, superuser=True, db="postgres")
        check(rc == 0, "create the target database: %r" % se)
        rc, so, se = run_cli("migrate-data", "--from", src, "--to", pg_url(target))
        eq(rc, 0, "migrate-data exit status (stdout %r, stderr %r)" % (so, se))
        check("审计链" in so and "校验通过" in so, "migrate-data output: %r" % so)
        con = sqlite3.connect(src)
        try:
            for table in ("org", "app_user", "role_permission", "audit_log"):
                n = con.execute("SELECT COUNT(*) FROM %s" % table).fetchone()[0]
                rc, so, se = psql("SELECT COUNT(*) FROM %s" % table, db=target)
                extra = 1 if table == "audit_log" else 0  # the move itself is audited on the target
                eq(int(so.strip()), n + extra, "%s rows on PostgreSQL" % table)
        finally:
            con.close()
        rc, so, se = run_cli("audit", "verify", "--db", pg_url(target))
        eq(rc, 0, "audit verify on the target (%s %s)" % (so, se))
        # New rows continue after the copied ids.
        rc, so, se = psql("INSERT INTO org (parent_id, kind, name, created_at, updated_at)"
                          " VALUES (1, 'department', '迁移后新建的局', 0, 0) RETURNING id", db=target)
        check(rc == 0 and int(so.strip().splitlines()[0]) > 55, "identity continues after the copied ids: %r %r" % (so, se))
        # The same county moved again into the instance that now holds it is refused.
        rc, so, se = run_cli("migrate-data", "--from", src, "--to", pg_url(target))
        check(rc != 0 and "未写入任何数据" in se and "该县可能已经迁入" in se, "second move refused: %r" % se)
        if env_key:
            os.environ["FAZHI_KEY_FILE"] = env_key


# ------------------------------------------------ a city's shared instance

def init_county(name):
    """A demo county as a SQLite file with its own key; returns (path, key, initial passwords)."""
    db = os.path.join(S.tmp, name + ".db")
    key = os.path.join(S.tmp, name + ".key")
    rc, so, se = run_cli("init", "--demo", "--db", db, "--key-file", key)
    eq(rc, 0, "init county %s (%s)" % (name, se))
    pw = {}
    for line in so.splitlines():
        m = re.match(r"^\s*\S+\s+([a-z0-9_.-]+)\s+初始密码\s+(\S+)", line)
        if m:
            pw[m.group(1)] = m.group(2)
    check("staff" in pw, "initial passwords printed: %r" % so)
    return db, key, pw


def own_role(db, perms):
    """A custom role of the county (owned by its root, as migration 0009 leaves one), held by its office user."""
    con = sqlite3.connect(db)
    rid = con.execute("INSERT INTO role (code, name, scope, builtin, tenant_id, created_at, updated_at)"
                      " VALUES ('mediator', '调解员', 'org', 0, (SELECT id FROM org WHERE parent_id IS NULL), 0, 0)"
                      " RETURNING id").fetchone()[0]
    for p in perms:
        con.execute("INSERT INTO role_permission (role_id, permission) VALUES (?, ?)", (rid, p))
    con.execute("INSERT INTO user_role (user_id, role_id) SELECT id, ? FROM app_user WHERE username = 'office'",
                (rid,))
    con.commit()
    con.close()


def snapshot(db):
    """Row counts of every table, the chain head and the sequences: must not move on a refused move."""
    rc, so, se = psql("SELECT string_agg(table_name, ' ' ORDER BY table_name) FROM information_schema.tables"
                      " WHERE table_schema = 'public'", db=db)
    check(rc == 0, "list tables: %r" % se)
    parts = ["(SELECT COUNT(*) FROM %s)" % t for t in so.split()]
    rc, so2, se = psql("SELECT " + " || ',' || ".join(parts) + " || ',' || (SELECT hash FROM audit_head)", db=db)
    check(rc == 0, "snapshot: %r" % se)
    return dict(zip(so.split(), so2.strip().split(",")))


def pg_int(sql, db):
    rc, so, se = psql(sql, db=db)
    check(rc == 0, "%s: %r" % (sql, se))
    return int(so.strip().splitlines()[0])


class Server:
    """fazhi serve on the shared instance; the harness Client talks to it while inside `with`."""

    def __init__(self, url, key):
        self.url, self.key = url, key

    def __enter__(self):
        self.saved_port = S.port
        S.port = free_port()
        env = dict(os.environ, FAZHI_FAST_PASSWORD_HASH="1")
        self.log = open(os.path.join(S.tmp, "city-server.log"), "ab")
        self.p = subprocess.Popen([S.bin, "serve", "--db", self.url, "--key-file", self.key, "--listen",
                                   "%s:%d" % (HOST, S.port)], stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                  stdin=subprocess.DEVNULL)
        for _ in range(150):
            if self.p.poll() is not None:
                raise TestFailure("city server exited with %r" % self.p.returncode)
            if self._up() and Client().get("/healthz").status == 200:
                return self
            time.sleep(0.1)
        raise TestFailure("city server did not start")

    def _up(self):
        try:
            socket.create_connection((HOST, S.port), timeout=1).close()
            return True
        except OSError:
            return False

    def __exit__(self, *exc):
        self.p.send_signal(signal.SIGTERM)
        rc = self.p.wait(timeout=30)
        self.log.close()
        S.port = self.saved_port
        if exc[0] is None:
            eq(rc, 0, "city server exit status on SIGTERM")


def signed_in(username, pw, key=None):
    """Log in with pw[key or username], changing a pending initial password (pw is updated)."""
    key = key or username
    c = Client(username)
    expect(c.login(username, pw[key]), 200, "login as %s" % username)
    if expect(c.get("/api/v1/session"), 200, "session of %s" % username)["must_change_password"]:
        new = next_password()
        expect(c.put("/api/v1/session/password", {"old_password": pw[key], "new_password": new}),
               200, "password change of %s" % username)
        pw[key] = new
    return c


APPLICANT = {"type": "person", "name": "王小明", "id_number": "11010519491231002X", "phone": "13800138000",
             "address": "浙江省平湖市当湖街道1号"}


def register_case(c, received):
    """A 行政复议 case with a person whose ID number, phone and address are sealed at rest."""
    orgs = expect(c.get("/api/v1/orgs"), 200, "orgs")["items"]
    resp = [o["id"] for o in orgs if o["name"] == "嘉善县自然资源和规划局"]
    body = {"received_date": received, "channel": "in_person", "respondent_org_id": resp[0],
            "act": "行政处罚决定", "claims": "请求撤销该行政处罚决定", "applicants": [dict(APPLICANT)]}
    return expect(c.post("/api/v1/reconsiderations", body), 201, "register a case")


if pg_mode():
    @test("migrate-data moves a second county into a shared instance as a tenant: ids remapped, conflicts"
          " refused, one transaction, imported audit chain verified, data scope per tenant")
    def t_migrate_second_county():
        city = S.pg_db + "_city"
        rc, so, se = psql("CREATE DATABASE %s OWNER fazhi" % city, superuser=True, db="postgres")
        check(rc == 0, "create the city database: %r" % se)
        a_db, a_key, a_pw = init_county("jiashan")
        own_role(a_db, ["org.read"])
        rc, so, se = run_cli("migrate-data", "--from", a_db, "--to", pg_url(city))
        eq(rc, 0, "first county into the empty instance (%s)" % se)

        # The second county: another root, its own division codes, a case of its own.
        b_db, b_key, b_pw = init_county("pinghu")
        con = sqlite3.connect(b_db)
        con.execute("UPDATE org SET name = '平湖市人民政府' WHERE parent_id IS NULL")
        con.execute("UPDATE org SET division_code = '330482' || substr(division_code, 7)"
                    " WHERE division_code LIKE '330421%'")
        con.commit()
        con.close()
        # The same custom role code as the first county, other permissions: its own role, not a conflict.
        own_role(b_db, ["org.read", "ledger.read"])
        csv = os.path.join(S.tmp, "pinghu.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("案号,收到申请日期,申请人,被申请人,受理情况,受理日期,程序,决定类型,结案日期\n"
                    "平复〔2025〕1号,2025-03-03,张三,嘉善县市场监督管理局,受理,2025-03-04,普通,维持,2025-04-20\n"
                    "平复〔2025〕2号,2025-05-06,李四,嘉善县市场监督管理局,受理,2025-05-07,普通,撤销,2025-06-30\n")
        rc, so, se = run_cli("import", "reconsideration", csv, "--org", "330482", "--db", b_db, "--key-file", b_key)
        eq(rc, 0, "import cases into the second county (%s %s)" % (so, se))
        with Server(b_db, b_key):  # a case with personal data, sealed with the county's own key
            sealed_case = register_case(signed_in("staff", b_pw), "2026-10-20")
        src = sqlite3.connect(b_db)
        b_counts = {t: src.execute("SELECT COUNT(*) FROM %s" % t).fetchone()[0]
                    for t in ("org", "app_user", "user_role", "case_file", "case_event", "case_party", "audit_log")}
        src.close()
        check(b_counts["case_file"] == 3 and b_counts["case_event"] > 2, "second county has cases: %r" % b_counts)
        before = snapshot(city)

        # Conflicts: the demo user names exist already; nothing is written.
        rc, so, se = run_cli("migrate-data", "--from", b_db, "--to", pg_url(city), "--key-file", a_key,
                             "--from-key-file", b_key)
        check(rc != 0 and "用户名 admin 已被共享库中的其他用户使用" in se and "用户名 office" in se
              and "--username-prefix" in se, "user name conflicts listed: %r" % se)
        eq(snapshot(city), before, "target unchanged after the refused move")

        # A broken source (a note of a case that does not exist) fails half-way: rolled back.
        broken = os.path.join(S.tmp, "pinghu-broken.db")
        shutil.copy(b_db, broken)
        con = sqlite3.connect(broken)
        con.execute("INSERT INTO case_note (case_id, author_id, body, created_at) VALUES (999999, 1, 'x', 0)")
        con.commit()
        con.close()
        rc, so, se = run_cli("migrate-data", "--from", broken, "--to", pg_url(city), "--username-prefix", "pinghu_",
                             "--key-file", a_key, "--from-key-file", b_key)
        check(rc != 0 and "case_note" in se, "broken source refused: %r %r" % (so, se))
        eq(snapshot(city), before, "target unchanged after the failed move")

        # Personal data that does not open with the key given is refused.
        rc, so, se = run_cli("migrate-data", "--from", b_db, "--to", pg_url(city), "--username-prefix", "pinghu_",
                             "--key-file", a_key, "--from-key-file", a_key)
        check(rc != 0 and "无法用本县密钥解密" in se, "wrong county key refused: %r" % se)
        eq(snapshot(city), before, "target unchanged after the wrong key")

        # A source whose own audit chain was edited is refused too.
        edited = os.path.join(S.tmp, "pinghu-edited.db")
        shutil.copy(b_db, edited)
        con = sqlite3.connect(edited)
        con.execute("DROP TRIGGER audit_log_no_update")
        con.execute("UPDATE audit_log SET detail = '改过' WHERE seq = 2")
        con.commit()
        con.close()
        rc, so, se = run_cli("migrate-data", "--from", edited, "--to", pg_url(city), "--username-prefix", "pinghu_",
                             "--key-file", a_key, "--from-key-file", b_key)
        check(rc != 0 and "审计链" in se and "篡改" in se, "edited chain refused: %r" % se)
        eq(snapshot(city), before, "target unchanged after the refused chain")

        # The move with prefixed user names.
        rc, so, se = run_cli("migrate-data", "--from", b_db, "--to", pg_url(city), "--username-prefix", "pinghu_",
                             "--key-file", a_key, "--from-key-file", b_key)
        eq(rc, 0, "second county moved in (%s %s)" % (so, se))
        check("pinghu_" in so and "迁入审计链" in so and "个人信息 1 行" in so, "move report: %r" % so)
        # The metric summaries are not copied: they are built from the moved cases once copied (sql/pg/0014).
        rc, so, se = run_cli("metrics", "--db", pg_url(city), "--check-summary")
        eq(rc, 0, "metric summaries of the shared instance exact after the move (%s %s)" % (so, se))
        check(pg_int("SELECT SUM(n) FROM case_summary WHERE field = 'received_date'", city) ==
              pg_int("SELECT COUNT(*) FROM case_file", city) > 0, "one summary contribution per moved case")
        after = snapshot(city)
        for t in ("org", "app_user", "user_role", "case_file", "case_event", "case_party"):
            eq(int(after[t]) - int(before[t]), b_counts[t], "%s rows added" % t)
        eq(int(after["audit_import_log"]), b_counts["audit_log"], "imported chain records")
        eq(int(after["audit_log"]) - int(before["audit_log"]), 1, "one anchor record in the live chain")
        eq(int(after["role"]), int(before["role"]) + 1, "built-in roles matched by code, the county's own added")
        root = pg_int("SELECT id FROM org WHERE name = '平湖市人民政府'", city)
        eq(pg_int("SELECT COUNT(*) FROM role WHERE code = 'mediator'", city), 2, "one mediator role per county")
        b_role = pg_int("SELECT id FROM role WHERE code = 'mediator' AND tenant_id = %d" % root, city)
        eq(pg_int("SELECT COUNT(*) FROM role_permission WHERE role_id = %d" % b_role, city), 2,
           "the second county's role keeps its permissions")
        eq(pg_int("SELECT COUNT(*) FROM user_role ur JOIN app_user u ON u.id = ur.user_id"
                  " WHERE u.username = 'pinghu_office' AND ur.role_id = %d" % b_role, city), 1,
           "its user holds the county's own role")
        eq(pg_int("SELECT COUNT(*) FROM role WHERE code = 'mediator' AND tenant_id = 1", city), 1,
           "the first county's role is still its own")
        check(root > pg_int("SELECT MAX(id) FROM org WHERE path LIKE '/1/%'", city), "new ids past the first county")
        eq(pg_int("SELECT COUNT(*) FROM org c JOIN org p ON p.id = c.parent_id"
                  " WHERE c.path <> p.path || c.id || '/'", city), 0, "every org path is its parent's plus its id")
        eq(pg_int("SELECT COUNT(*) FROM org WHERE path LIKE '/%d/%%'" % root, city), b_counts["org"],
           "the second county's orgs under its root")
        eq(pg_int("SELECT COUNT(*) FROM app_user u JOIN org o ON o.id = u.org_id WHERE u.username LIKE 'pinghu\\_%%'"
                  " AND o.path LIKE '/%d/%%'" % root, city), b_counts["app_user"], "prefixed users in their tenant")
        eq(pg_int("SELECT COUNT(*) FROM case_file c JOIN org o ON o.id = c.org_id JOIN case_event e ON e.case_id = c.id"
                  " WHERE o.path LIKE '/%d/%%'" % root, city), b_counts["case_event"], "case events follow their cases")
        eq(pg_int("SELECT COUNT(*) FROM audit_import WHERE tenant_id = %d" % root, city), 1, "chain of the tenant")
        rc, so, se = run_cli("audit", "verify", "--db", pg_url(city))
        check(rc == 0 and "迁入的县级审计链 1 条" in so, "audit verify on the shared instance: %r %r" % (so, se))
        # New rows continue after the moved ids.
        new = pg_int("INSERT INTO org (parent_id, kind, name, created_at, updated_at)"
                     " VALUES (%d, 'department', '迁移后新建的局', 0, 0) RETURNING id" % root, city)
        check(new > pg_int("SELECT MAX(id) FROM org WHERE id <> %d" % new, city), "identity continues: %d" % new)

        # Each county's users see their own tenant only, over the API.
        with Server(pg_url(city), a_key):
            pin = signed_in("pinghu_staff", b_pw, "staff")
            orgs = expect(pin.get("/api/v1/orgs"), 200, "orgs of pinghu_staff")["items"]
            eq(len(orgs), b_counts["org"], "pinghu_staff sees the second county's orgs")
            check(all(o["path"].startswith("/%d/" % root) for o in orgs), "only its own tenant's orgs")
            cases = expect(pin.get("/api/v1/cases?kind=reconsideration"), 200, "cases of pinghu_staff")["items"]
            eq(sorted(c["case_no"] for c in cases)[:2], ["平复〔2025〕1号", "平复〔2025〕2号"], "its own cases")
            eq(len(cases), 3, "its own cases")
            moved = [c for c in cases if c["case_no"] == sealed_case["case_no"]][0]
            parties = expect(pin.get("/api/v1/cases/%d" % moved["id"]), 200, "moved case")["parties"]
            pid = [p["id"] for p in parties if p["name"] == "王小明"][0]
            got = expect(pin.post("/api/v1/cases/%d/parties/%d/reveal" % (moved["id"], pid), {"reason": "核对身份信息"}),
                         200, "reveal personal data re-sealed with the instance key")
            eq([got["id_number"], got["phone"], got["address"]],
               [APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["address"]], "personal data after the move")
            # Roles and the audit trail are the tenant's (issue 8).
            codes = [ro["code"] for ro in expect(signed_in("pinghu_secadmin", b_pw, "secadmin").get("/api/v1/roles"),
                                                 200, "roles of the second county")["items"]]
            eq(codes.count("mediator"), 1, "the second county lists one mediator role: %r" % codes)
            trail = expect(signed_in("pinghu_auditor", b_pw, "auditor").get("/api/v1/audit?page_size=200"),
                           200, "the second county's audit trail")["items"]
            check(any(x["action"] == "system.migrate_tenant" for x in trail), "the move's anchor is the county's")
            check(all(x["username"].startswith("pinghu_") or x["action"] == "system.migrate_tenant"
                      for x in trail), "only the second county's records: %r" % trail)
            jia = signed_in("staff", a_pw)
            orgs = expect(jia.get("/api/v1/orgs"), 200, "orgs of the first county's staff")["items"]
            check(orgs and all(o["path"].startswith("/1/") for o in orgs), "first county sees only its own orgs")
            eq(expect(jia.get("/api/v1/cases?kind=reconsideration"), 200, "cases")["items"], [],
               "the first county does not see the second county's cases")
            r = jia.get("/api/v1/cases/%d" % cases[0]["id"])
            check(r.status in (403, 404), "another tenant's case is not readable: %d" % r.status)
            # The same ID number registered in the first county has the same blind index as the moved one.
            register_case(jia, "2026-10-21")
        eq(pg_int("SELECT COUNT(DISTINCT id_number_bidx) FROM case_party WHERE name = '王小明'", city), 1,
           "blind indexes recomputed with the instance key")

        # The imported chain is append-only and tamper-evident.
        rc, so, se = psql("UPDATE audit_import_log SET detail = 'x' WHERE seq = 1", db=city)
        check(rc != 0, "the application role cannot edit an imported record: %r" % so)
        rc, so, se = psql("SET session_replication_role = replica;"
                          " UPDATE audit_import_log SET detail = '改过' WHERE seq = 2", superuser=True, db=city)
        check(rc == 0, "tamper as superuser with triggers off: %r" % se)
        rc, so, se = run_cli("audit", "verify", "--db", pg_url(city))
        check(rc == 1 and "迁入的审计链" in so and "篡改" in so, "tampered imported record detected: %r %r" % (so, se))
