"""The organisation tree: kinds, list and get, create, rename, move, close and reopen."""

from harness import *  # noqa: F401,F403 (the suite's helpers and state)


@test("GET /api/v1/org-kinds lists the 10 org kinds with Chinese names")
def t_org_kinds():
    js = expect(admin().get("/api/v1/org-kinds"), 200, "org-kinds")
    codes = [k["code"] for k in js["items"]]
    eq(codes, ["government", "party", "justice_bureau", "department", "section", "town", "justice_office",
               "village", "court", "other"], "kind codes")
    for k in js["items"]:
        check(CJK.search(k["name"]), "kind name not Chinese: %r" % k)


@test("GET /api/v1/orgs as admin: the whole demo county; GET /api/v1/orgs/{id}; 404 for an absent id")
def t_org_list_get():
    a = admin()
    js = expect(a.get("/api/v1/orgs"), 200, "GET orgs")
    eq(js["total"], len(js["items"]), "total vs items")
    check(js["total"] >= 55, "expected the 55 demo orgs, got %d" % js["total"])
    root = next(o for o in js["items"] if o["name"] == ROOT_NAME)
    eq((root["parent_id"], root["kind"], root["division_code"], root["status"]),
       (None, "government", "330421", "active"), "root org")
    eq(root["path"], "/%d/" % root["id"], "root path")
    for o in js["items"]:
        check(o["path"].startswith(root["path"]), "org outside the root: %r" % o)
        for k in ("id", "parent_id", "kind", "kind_name", "name", "short_name", "division_code", "sort_order",
                  "path", "status"):
            check(k in o, "org lacks %s: %r" % (k, o))
    xt = next(o for o in js["items"] if o["name"] == XITANG_TOWN)
    eq((xt["kind"], xt["kind_name"], xt["short_name"], xt["division_code"], xt["parent_id"]),
       ("town", "乡镇街道", "西塘镇", "330421103", root["id"]), "西塘镇")
    one = expect(a.get("/api/v1/orgs/%d" % xt["id"]), 200, "GET 西塘镇")
    eq(one["name"], XITANG_TOWN, "GET by id")
    eq(one["path"], "%s%d/" % (root["path"], xt["id"]), "西塘镇 path")
    expect_error(a.get("/api/v1/orgs/999999"), 404, "NOT_FOUND", "absent org")


@test("org create: 201 with path under the parent; duplicate name, bad division code, bad kind refused")
def t_org_create():
    a = admin()
    root = org_by_name(ROOT_NAME)
    o = create_org(a, root["id"], "测试专项工作办公室", kind="department", short_name="专项办",
                   division_code="330421", sort_order=999)
    eq((o["parent_id"], o["kind"], o["kind_name"], o["name"], o["short_name"], o["division_code"],
        o["sort_order"], o["status"]),
       (root["id"], "department", "部门", "测试专项工作办公室", "专项办", "330421", 999, "active"), "created org")
    eq(o["path"], "%s%d/" % (root["path"], o["id"]), "path")
    S.ids["created_org"] = o["id"]
    eq(expect(a.get("/api/v1/orgs/%d" % o["id"]), 200, "read back")["name"], "测试专项工作办公室", "read back")

    r = a.post("/api/v1/orgs", {"parent_id": root["id"], "kind": "other", "name": "测试专项工作办公室"})
    expect_error(r, 400, "VALIDATION_FAILED", "duplicate name under the same parent", field="name")
    # The same name under another parent is fine.
    create_org(a, o["id"], "测试专项工作办公室", kind="section")
    for bad in ("99x", "12345", "ABCDEF"):
        r = a.post("/api/v1/orgs", {"parent_id": root["id"], "kind": "other", "name": "区划错误" + bad,
                                    "division_code": bad})
        expect_error(r, 400, "VALIDATION_FAILED", "division_code %r" % bad, field="division_code")
    r = a.post("/api/v1/orgs", {"parent_id": root["id"], "kind": "ministry", "name": "类型错误机构"})
    expect_error(r, 400, "VALIDATION_FAILED", "bad kind", field="kind")
    r = a.post("/api/v1/orgs", {"parent_id": root["id"], "kind": "other", "name": "甲"})
    expect_error(r, 400, "VALIDATION_FAILED", "one-character name", field="name")
    r = a.post("/api/v1/orgs", {"parent_id": 999999, "kind": "other", "name": "无上级机构"})
    expect_absent_ref(r, "parent_id", "create under an absent parent")
    names = {x["name"] for x in all_orgs(status="all")}
    for n in ("区划错误99x", "类型错误机构", "甲", "无上级机构"):
        check(n not in names, "refused org %r was created" % n)


@test("org rename via PATCH; sibling name clash refused; closed org cannot be changed")
def t_org_rename():
    a = admin()
    root = org_by_name(ROOT_NAME)
    o = create_org(a, root["id"], "改名前机构", kind="department")
    S.ids["renamed_org"] = o["id"]
    js = expect(a.patch("/api/v1/orgs/%d" % o["id"], {"name": "改名后机构", "short_name": "改名后",
                                                      "sort_order": 7}), 200, "rename")
    eq((js["name"], js["short_name"], js["sort_order"], js["path"]), ("改名后机构", "改名后", 7, o["path"]),
       "after rename")
    eq(expect(a.get("/api/v1/orgs/%d" % o["id"]), 200, "read back")["name"], "改名后机构", "read back")
    r = a.patch("/api/v1/orgs/%d" % o["id"], {"name": XITANG_TOWN})
    expect_error(r, 400, "VALIDATION_FAILED", "rename to a sibling's name", field="name")
    r = a.patch("/api/v1/orgs/%d" % o["id"], {"division_code": "99x"})
    expect_error(r, 400, "VALIDATION_FAILED", "PATCH bad division code", field="division_code")
    js = expect(a.get("/api/v1/orgs/%d" % o["id"]), 200, "read back")
    eq((js["name"], js["division_code"]), ("改名后机构", ""), "unchanged after refused PATCHes")
    expect_error(a.patch("/api/v1/orgs/999999", {"name": "不存在"}), 404, "NOT_FOUND", "PATCH absent org")


@test("org move rewrites the paths of the whole subtree; moving under its own subtree is refused")
def t_org_move():
    a = admin()
    root = org_by_name(ROOT_NAME)
    A = create_org(a, root["id"], "移动测试甲", kind="department")
    B = create_org(a, A["id"], "移动测试乙", kind="section")
    C = create_org(a, B["id"], "移动测试丙", kind="other")
    D = create_org(a, root["id"], "移动测试丁", kind="department")
    eq(C["path"], "%s%d/%d/%d/" % (root["path"], A["id"], B["id"], C["id"]), "path before move")

    r = a.post("/api/v1/orgs/%d/move" % A["id"], {"parent_id": C["id"]})
    expect_error(r, 400, "VALIDATION_FAILED", "move under own grandchild", field="parent_id")
    r = a.post("/api/v1/orgs/%d/move" % A["id"], {"parent_id": A["id"]})
    expect_error(r, 400, "VALIDATION_FAILED", "move under itself", field="parent_id")
    r = a.post("/api/v1/orgs/%d/move" % root["id"], {"parent_id": D["id"]})
    expect_error(r, 409, "INVALID_STATE", "moving the root")

    js = expect(a.post("/api/v1/orgs/%d/move" % A["id"], {"parent_id": D["id"]}), 200, "move A under D")
    eq(js["parent_id"], D["id"], "A.parent_id")
    base = "%s%d/%d/" % (root["path"], D["id"], A["id"])
    eq(js["path"], base, "A.path")
    got = {o["id"]: o for o in all_orgs(a)}
    eq(got[B["id"]]["path"], "%s%d/" % (base, B["id"]), "B.path")
    eq(got[C["id"]]["path"], "%s%d/%d/" % (base, B["id"], C["id"]), "C.path")
    eq(got[B["id"]]["parent_id"], A["id"], "B.parent_id")
    eq(got[D["id"]]["path"], "%s%d/" % (root["path"], D["id"]), "D.path")
    eq(got[root["id"]]["path"], root["path"], "root path")
    stale = [o for o in got.values() if o["path"].startswith("%s%d/" % (root["path"], A["id"]))]
    eq(stale, [], "orgs still under the old path")
    S.ids["moved_org"] = A["id"]

    # Moving a second time (back to the root) rewrites again.
    js = expect(a.post("/api/v1/orgs/%d/move" % B["id"], {"parent_id": root["id"]}), 200, "move B to root")
    eq(js["path"], "%s%d/" % (root["path"], B["id"]), "B.path after second move")
    eq(expect(a.get("/api/v1/orgs/%d" % C["id"]), 200, "C")["path"],
       "%s%d/%d/" % (root["path"], B["id"], C["id"]), "C.path after second move")
    r = a.post("/api/v1/orgs/%d/move" % C["id"], {"parent_id": 999999})
    expect_absent_ref(r, "parent_id", "move under an absent org")


@test("org close refused (409 INVALID_STATE) while it has active children or users; close and reopen work")
def t_org_close():
    a = admin()
    root = org_by_name(ROOT_NAME)
    P = create_org(a, root["id"], "撤销测试上级", kind="department")
    K = create_org(a, P["id"], "撤销测试下级", kind="section")
    r = a.post("/api/v1/orgs/%d/close" % P["id"], {"reason": "机构改革"})
    err = expect_error(r, 409, "INVALID_STATE", "close with an active child")
    eq(expect(a.get("/api/v1/orgs/%d" % P["id"]), 200, "P")["status"], "active", "P status after refusal")
    expect_error(a.post("/api/v1/orgs/%d/close" % P["id"], {}), 400, "VALIDATION_FAILED", "close without reason",
                 field="reason")

    # An org with an active user cannot be closed either.
    create_user("close_blocker", K["id"], ["staff"])
    r = a.post("/api/v1/orgs/%d/close" % K["id"], {"reason": "机构改革"})
    expect_error(r, 409, "INVALID_STATE", "close with an active user")
    expect(a.post("/api/v1/users/%d/disable" % user_by_name("close_blocker")["id"]), 200, "disable user")

    js = expect(a.post("/api/v1/orgs/%d/close" % K["id"], {"reason": "机构改革"}), 200, "close K")
    eq((js["status"], js.get("closed_reason")), ("closed", "机构改革"), "K after close")
    js = expect(a.post("/api/v1/orgs/%d/close" % P["id"], {"reason": "机构改革"}), 200, "close P")
    eq(js["status"], "closed", "P after close")
    S.ids["closed_org"] = P["id"]
    expect_error(a.post("/api/v1/orgs/%d/close" % P["id"], {"reason": "再次撤销"}), 409, "INVALID_STATE",
                 "close twice")
    expect_error(a.patch("/api/v1/orgs/%d" % P["id"], {"name": "撤销后改名"}), 409, "INVALID_STATE",
                 "PATCH a closed org")
    r = a.post("/api/v1/orgs", {"parent_id": P["id"], "kind": "other", "name": "撤销后新建"})
    expect_error(r, 400, "VALIDATION_FAILED", "create under a closed org", field="parent_id")

    active = {o["id"] for o in all_orgs(a)}
    check(P["id"] not in active and K["id"] not in active, "closed orgs listed without status=all")
    every = {o["id"]: o for o in all_orgs(a, status="all")}
    check(P["id"] in every and K["id"] in every, "closed orgs missing with status=all")
    eq(every[P["id"]]["status"], "closed", "status in status=all list")

    expect_error(a.post("/api/v1/orgs/%d/reopen" % K["id"]), 409, "INVALID_STATE", "reopen child of closed org")
    js = expect(a.post("/api/v1/orgs/%d/reopen" % P["id"]), 200, "reopen P")
    eq(js["status"], "active", "P after reopen")
    check("closed_reason" not in js, "closed_reason kept after reopen: %r" % js)
    expect_error(a.post("/api/v1/orgs/%d/reopen" % P["id"]), 409, "INVALID_STATE", "reopen an active org")
    expect_error(a.post("/api/v1/orgs/%d/close" % root["id"], {"reason": "撤销根机构"}), 409, "INVALID_STATE",
                 "close the root")
