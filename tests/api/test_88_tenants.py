"""Two tenants in one database (issue 8): the audit trail and the roles are
scoped to the caller's tenant.

The API cannot make a second root org (every new org needs a parent), and a
county moves into a shared instance only on PostgreSQL (test_90). So the
second tenant is made here in SQL exactly as `fazhi migrate-data` leaves one
(a root org with its own path, users with roles), on SQLite and on
PostgreSQL alike, and everything is then checked over the API. LATE: the
second root turns the demo database into a shared instance, which the whole-
trail checks of test_40 (one county sees every record) must run before."""

import re
import time

from harness import *  # noqa: F401,F403 (the suite's helpers and state)


def make_tenant():
    """平湖 as a second tenant: root org, one department, four users with the admin's password."""
    now = int(time.time())
    root = int(sql("INSERT INTO org (parent_id, kind, name, division_code, path, created_at, updated_at)"
                   " VALUES (NULL, 'justice_bureau', '平湖市司法局', '330482', '', %d, %d) RETURNING id"
                   % (now, now))[0][0])
    sql("UPDATE org SET path = '/%d/' WHERE id = %d" % (root, root))
    dept = int(sql("INSERT INTO org (parent_id, kind, name, path, created_at, updated_at)"
                   " VALUES (%d, 'department', '平湖市司法局办公室', '', %d, %d) RETURNING id" % (root, now, now))[0][0])
    sql("UPDATE org SET path = '/%d/%d/' WHERE id = %d" % (root, dept, dept))
    pw_hash = sql("SELECT password_hash FROM app_user WHERE username = 'admin'")[0][0]
    users = {}
    for name, role in (("ph_sys", "sysadmin"), ("ph_sec", "secadmin"), ("ph_audit", "auditadmin"),
                       ("ph_staff", "staff")):
        uid = int(sql("INSERT INTO app_user (username, display_name, org_id, password_hash, must_change,"
                      " password_changed_at, created_at, updated_at) VALUES ('%s', '平湖%s', %d, '%s', 0, %d, %d, %d)"
                      " RETURNING id" % (name, role, dept, pw_hash, now, now, now))[0][0])
        sql("INSERT INTO user_role (user_id, role_id) SELECT %d, id FROM role WHERE code = '%s'"
            " AND tenant_id IS NULL" % (uid, role))
        users[name] = uid
        S.passwords[name] = S.passwords["admin"]
    return root, dept, users


@test("two tenants: a county's auditor lists only its tenant's records; verify does not explain another's",
      phase=LATE)
def t_audit_tenants():
    root, dept, users = make_tenant()
    S.ids["ph_root"] = root
    S.ids["ph_users"] = users
    ph = login("ph_staff")
    expect(ph.get("/api/v1/orgs"), 200, "平湖 staff reads orgs")
    Client("x").login("ph_staff", "wrong-password-1")       # a failed login naming a 平湖 user
    Client("x").login("nobody_at_all", "wrong-password-1")   # names nobody: the instance's record
    Client("x").login("staff", "wrong-password-1")           # a failed login naming a 嘉善 user
    # A command-line record about a 平湖 org (no actor org): 平湖's.
    rc, so, se = run_cli("user", "add", "ph_cli", "--name", "平湖命令行用户", "--org", str(dept), "--db", S.db)
    eq(rc, 0, "fazhi user add in 平湖 (%r %r)" % (so, se))

    ph_audit = login("ph_audit")
    mine = audit_items(ph_audit)
    ph_user_ids = set(users.values())
    ph_orgs = {root, dept}
    check(mine, "平湖's auditor sees its records")
    for x in mine:
        check(x["org_id"] in ph_orgs or (x["org_id"] == 0 and x["object_type"] == "user"),
              "平湖's auditor sees a record that is not 平湖's: %r" % x)
    check(any(x["action"] == "session.login" and x["result"] == "success" and x["username"] == "ph_staff"
              for x in mine), "平湖 login missing")
    check(any(x["action"] == "session.login" and x["result"] == "failure" and x["username"] == "ph_staff"
              for x in mine), "failed login naming a 平湖 user missing")
    check(any(x["action"] == "user.create" and x["username"] == "cli" and "ph_cli" in x["detail"] for x in mine),
          "CLI record about a 平湖 user missing")
    check(not any(x["username"] in ("nobody_at_all", "staff", "admin") for x in mine),
          "平湖 sees 嘉善's or the instance's records")
    total = expect(ph_audit.get("/api/v1/audit?page_size=1"), 200, "paged total")["total"]
    eq(total, len(mine), "total counts only the tenant's records")
    eq(expect(ph_audit.get("/api/v1/audit?username=admin"), 200, "filter on another tenant's user")["total"], 0,
       "嘉善's admin through a filter")

    jiashan = audit_items(session_for("auditor"))
    check(not any(x["username"].startswith("ph_") for x in jiashan), "嘉善's auditor sees 平湖's records")
    check(not any(x["username"] == "nobody_at_all" for x in jiashan),
          "an unknown user name is the instance's record, not 嘉善's, once there are two tenants")
    check(any(x["username"] == "staff" and x["result"] == "failure" for x in jiashan),
          "嘉善's failed login missing")
    check(any(x["username"] == "auditor" for x in jiashan), "嘉善's own records missing")
    seqs = {x["seq"] for x in mine} | {x["seq"] for x in jiashan}
    check(len(seqs) == len(mine) + len(jiashan), "a record listed for both tenants")

    # Verify: the whole chain for everyone, its count included.
    v = expect(ph_audit.get("/api/v1/audit/verify"), 200, "平湖 verify")
    eq((v["ok"], v["checked"] >= max(seqs)), (True, True), "平湖 verify (%r)" % v)

    # The platform auditor: granted on the command line only, sees everything.
    rc, so, se = run_cli("user", "add", "plat_audit", "--name", "平台审计", "--org", str(root),
                         "--role", "platform_auditor", "--db", S.db)
    eq(rc, 0, "fazhi user add --role platform_auditor (%r %r)" % (so, se))
    S.passwords["plat_audit"] = re.search(r"初始密码 ([^\s(]+)", so).group(1)
    plat = session_for("plat_audit")
    everything = audit_items(plat)
    got = [x["seq"] for x in everything]
    eq(sorted(got), list(range(1, max(got) + 1)), "the platform auditor sees every record without gaps")
    check(any(x["username"] == "nobody_at_all" for x in everything), "the instance's record for the platform")
    ids = role_ids()
    plat_role = ids["platform_auditor"]
    for who in ("ph_sec", "secadmin"):
        r = session_for(who).put("/api/v1/users/%d/roles" % users["ph_staff"], {"role_ids": [plat_role]})
        if who == "secadmin":   # 嘉善 cannot even reach a 平湖 user
            expect_error(r, 403, "OUT_OF_SCOPE", "嘉善 secadmin grants to a 平湖 user")
        else:
            expect_error(r, 403, "SEPARATION_OF_DUTIES", "grant the platform auditor role over the API")
            check("命令行" in r.err_message(), "message: %r" % r.err_message())


@test("two tenants: each county sees, edits and grants only its own roles and the shared built-ins", phase=LATE)
def t_role_tenants():
    users = S.ids.get("ph_users")
    check(users, "the tenant fixture of the previous test is missing")
    ph_sec, js_sec = login("ph_sec"), session_for("secadmin")
    mine = expect(ph_sec.post("/api/v1/roles", {"code": "ph_mediator", "name": "调解员", "scope": "org",
                                                "permissions": ["org.read", "ledger.read"]}), 201, "平湖 role")
    eq(mine["tenant_id"], S.ids["ph_root"], "the role belongs to 平湖")
    theirs = expect(js_sec.post("/api/v1/roles", {"code": "js_mediator", "name": "嘉善调解员", "scope": "org",
                                                  "permissions": ["org.read"]}), 201, "嘉善 role")
    ph_list = {ro["code"]: ro for ro in expect(ph_sec.get("/api/v1/roles"), 200, "平湖 roles")["items"]}
    js_list = {ro["code"]: ro for ro in expect(js_sec.get("/api/v1/roles"), 200, "嘉善 roles")["items"]}
    check("ph_mediator" in ph_list and "js_mediator" not in ph_list, "平湖 lists: %r" % sorted(ph_list))
    check("js_mediator" in js_list and "ph_mediator" not in js_list, "嘉善 lists: %r" % sorted(js_list))
    check("town_viewer" not in ph_list, "嘉善's role from test_10 listed for 平湖")
    check({"staff", "sysadmin", "liaison"} <= set(ph_list), "built-ins listed for 平湖")

    # Another county's role does not exist for 平湖; built-ins are read-only.
    expect_error(ph_sec.patch("/api/v1/roles/%d" % theirs["id"], {"permissions": ["org.read", "user.read"]}),
                 404, "NOT_FOUND", "平湖 edits 嘉善's role")
    expect_error(ph_sec.patch("/api/v1/roles/%d" % ph_list["staff"]["id"], {"permissions": ["org.read"]}),
                 403, "FORBIDDEN", "平湖 edits the shared staff role")
    expect(ph_sec.patch("/api/v1/roles/%d" % mine["id"], {"name": "人民调解员"}), 200, "平湖 edits its own role")
    after = {ro["code"]: ro for ro in expect(js_sec.get("/api/v1/roles"), 200, "嘉善 roles")["items"]}
    eq((after["js_mediator"]["permissions"], sorted(after["staff"]["permissions"])),
       (["org.read"], sorted(js_list["staff"]["permissions"])), "嘉善's roles unchanged")

    # Granting: 平湖's own and shared roles yes, 嘉善's no (Chinese message), audited as a failure.
    ph_sys = login("ph_sys")
    r = ph_sys.put("/api/v1/users/%d/roles" % users["ph_staff"], {"role_ids": [theirs["id"]]})
    expect_error(r, 400, "VALIDATION_FAILED", "平湖 grants 嘉善's role", field="role_ids")
    check("其他单位" in r.err_fields()["role_ids"], "message: %r" % r.err_fields())
    js = expect(ph_sys.put("/api/v1/users/%d/roles" % users["ph_staff"],
                           {"role_ids": [mine["id"], ph_list["staff"]["id"]]}), 200, "平湖 grants its roles")
    eq(sorted(ro["code"] for ro in js["roles"]), ["ph_mediator", "staff"], "roles of ph_staff")
    r = js_sec.put("/api/v1/users/%d/roles" % user_by_name("liaison")["id"], {"role_ids": [mine["id"]]})
    expect_error(r, 400, "VALIDATION_FAILED", "嘉善 grants 平湖's role", field="role_ids")
    fails = [x for x in audit_items(login("ph_audit"), action="user.roles", result="failure")]
    check(fails, "the refused grant is in 平湖's audit trail")
