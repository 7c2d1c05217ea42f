"""User accounts: create with an initial password, edit, lock/unlock, reset, disable, list."""

from harness import *  # noqa: F401,F403 (the suite's helpers and state)


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
