"""The case core shared by every case kind (src/domain/cases): data scope of
cases, list filters, the deadline reminders, attachments, notes, extra
parties, the audited reveal of personal data (never stored in clear), and
the holiday-calendar admin API that the deadlines are computed on.

Runs after test_50 (the lists then hold its cases) and creates the cases it
needs itself. The calendar test comes last among the live ones: it loads a
2027 arrangement, which changes every deadline that reaches into 2027.
"""

import csv
import glob
import hashlib
import json
import os
import re
import urllib.parse

from cases import *  # noqa: F401,F403 (case helpers, and through them the harness)

CASE_NO = re.compile(r"〔(\d{4})〕(\d+)号$")
SECRETS = (ID_NUMBER, PHONE, ADDRESS)
CALENDAR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "calendar")


@test("case scope: the 市场监督管理局 liaison sees only cases where it is a party; others 403 OUT_OF_SCOPE; no actions")
def t_case_scope():
    c = staff()
    scjg = org_by_name(SCJG)
    mine = new_reconsideration(c, "2026-10-12", respondent=SCJG, act="嘉市监处罚〔2026〕31号行政处罚决定")
    other = new_reconsideration(c, "2026-10-12")
    S.ids["scjg_case"] = mine["id"]
    create_user("scjg_liaison", scjg["id"], ["liaison"], "县市场监管局法治联络员")
    first = login("scjg_liaison")
    expect_error(first.get("/api/v1/cases?kind=reconsideration"), 403, "PASSWORD_CHANGE_REQUIRED",
                 "list before the password change")
    lia = session_for("scjg_liaison")  # changes the initial password
    me = expect(lia.get("/api/v1/session"), 200, "liaison session")
    eq((me["scope"], me["must_change_password"]), ("subtree", False), "liaison session")
    check("reconsideration.read" in me["permissions"] and "reconsideration.handle" not in me["permissions"],
          "liaison permissions: %r" % me["permissions"])
    js = expect(lia.get("/api/v1/cases?kind=reconsideration&page_size=200"), 200, "liaison list")
    eq(([x["id"] for x in js["items"]], js["total"]), ([mine["id"]], 1), "cases the liaison sees")
    eq(expect(lia.get("/api/v1/cases/%d" % mine["id"]), 200, "GET own case")["party_org_name"], SCJG, "party org")
    expect_error(lia.get("/api/v1/cases/%d" % other["id"]), 403, "OUT_OF_SCOPE", "GET the other case")
    expect_error(act(lia, mine["id"], "accept", "2026-10-13", procedure="ordinary"), 403, "FORBIDDEN",
                 "liaison runs an action")
    expect_error(act(lia, other["id"], "accept", "2026-10-13", procedure="ordinary"), 403, "OUT_OF_SCOPE",
                 "liaison acts on the other case")
    expect_error(lia.post("/api/v1/cases/%d/notes" % mine["id"], {"body": "联络员备注"}), 403, "FORBIDDEN",
                 "liaison adds a note")
    expect_error(lia.post("/api/v1/reconsiderations", recon_body("2026-10-12", respondent=SCJG)), 403, "FORBIDDEN",
                 "liaison registers a case")
    pid = mine["parties"][0]["id"]
    expect_error(lia.post("/api/v1/cases/%d/parties/%d/reveal" % (mine["id"], pid), {"reason": "核对身份信息"}), 403,
                 "FORBIDDEN", "liaison reveal")
    items = expect(lia.get("/api/v1/deadlines?within=366"), 200, "liaison deadlines")["items"]
    eq(sorted({i["case_id"] for i in items}), [mine["id"]], "cases in the liaison's reminders")

    xitang = session_for("liaison")
    js = expect(xitang.get("/api/v1/cases?kind=reconsideration"), 200, "西塘 liaison list")
    eq((js["items"], js["total"]), ([], 0), "西塘 liaison sees no case")
    expect_error(xitang.get("/api/v1/cases/%d" % mine["id"]), 403, "OUT_OF_SCOPE", "西塘 liaison GET")
    eq(expect(xitang.get("/api/v1/deadlines?within=366"), 200, "西塘 deadlines")["items"], [], "西塘 reminders")
    expect_error(session_for("office").get("/api/v1/cases?kind=reconsideration"), 403, "FORBIDDEN", "office list")
    a = admin()
    expect_error(a.get("/api/v1/cases?kind=reconsideration"), 403, "FORBIDDEN", "sysadmin list")
    expect_error(a.post("/api/v1/reconsiderations", recon_body("2026-10-12")), 403, "FORBIDDEN", "sysadmin registers")
    leader = session_for("leader")
    seen = {x["id"] for x in all_cases(leader, "reconsideration")}
    check({mine["id"], other["id"]} <= seen, "leader does not see both cases")
    expect_error(act(leader, mine["id"], "accept", "2026-10-13", procedure="ordinary"), 403, "FORBIDDEN",
                 "leader runs an action")
    eq(detail(c, mine["id"])["state"], "registered", "state after the refused actions")


def case_details(c):
    """Details of every case of both kinds, by id."""
    return {x["id"]: detail(c, x["id"]) for kind in ("reconsideration", "litigation") for x in all_cases(c, kind)}


@test("case list filters: state, q, from/to, overdue=1, sort=case_no, paging; the same as filtering the full list")
def t_case_list():
    c = staff()
    today = cst_date()
    full = all_cases(c, "reconsideration")
    check(len(full) >= 20, "only %d cases" % len(full))
    eq([(x["received_date"], x["id"]) for x in full],
       sorted(((x["received_date"], x["id"]) for x in full), reverse=True), "default order: newest receipt first")

    def ids(query):
        return [x["id"] for x in all_cases(c, "reconsideration", "&" + query)]

    def where(pred):
        return [x["id"] for x in full if pred(x)]

    for state in ("registered", "decided", "closed", "not_accepted", "abandoned", "suspended"):
        eq(ids("state=" + state), where(lambda x: x["state"] == state), "state=" + state)
    if "recon_rejected" in S.ids:
        eq(ids("state=not_accepted"), [S.ids["recon_rejected"]], "the rejected case")
    first = next(x for x in full if x["case_no"] == "嘉善复〔2026〕1号")
    eq(ids("q=" + urllib.parse.quote("嘉善复〔2026〕1号")), [first["id"]], "q by case number (not 10号, 11号 ...)")
    eq(ids("q=" + urllib.parse.quote("信息公开")), where(lambda x: "信息公开" in x["title"]), "q by title")
    check(ids("q=" + urllib.parse.quote("信息公开")), "no case titled 信息公开")
    eq(ids("from=2025-01-01&to=2025-12-31"), where(lambda x: x["received_date"].startswith("2025")), "2025 cases")
    check(ids("from=2025-01-01&to=2025-12-31"), "no case received in 2025")
    eq(ids("from=2026/9/30&to=" + urllib.parse.quote("2026年9月30日")),
       where(lambda x: x["received_date"] == "2026-09-30"), "one day, two spellings")
    eq(ids("from=2026-10-01"), where(lambda x: x["received_date"] >= "2026-10-01"), "from only")

    # Overdue: an open deadline due before today, worked out from each case's detail.
    overdue = set()
    for x in full:
        js = detail(c, x["id"])
        due = sorted(d["due_date"] for d in js["deadlines"] if d["status"] == "open" and d["due_date"])
        eq(x["next_due"], due[0] if due else None, "next_due of %s" % x["case_no"])
        eq(x["overdue"], bool(due) and due[0] < today, "overdue flag of %s" % x["case_no"])
        if due and due[0] < today:
            overdue.add(x["id"])
    check(overdue, "no overdue case")
    eq(ids("overdue=1"), where(lambda x: x["id"] in overdue), "overdue=1")

    key = [(int(CASE_NO.search(x["case_no"]).group(1)), int(CASE_NO.search(x["case_no"]).group(2))) for x in full]
    ordered = [x["case_no"] for _, x in sorted(zip(key, full), key=lambda t: t[0])]
    eq([x["case_no"] for x in all_cases(c, "reconsideration", "&sort=case_no")], ordered, "sort=case_no")
    eq([x["case_no"] for x in all_cases(c, "reconsideration", "&sort=-case_no")], ordered[::-1], "sort=-case_no")
    eq(ordered[0], "嘉善复〔2025〕1号", "first by number")
    js = expect(c.get("/api/v1/cases?kind=reconsideration&page_size=3&page=2"), 200, "page 2")
    eq(([x["id"] for x in js["items"]], js["total"], js["page"], js["page_size"]),
       ([x["id"] for x in full[3:6]], len(full), 2, 3), "page 2 of size 3")
    expect_error(c.get("/api/v1/cases?kind=reconsideration&from=20xx-01-01"), 400, "VALIDATION_FAILED", "bad from",
                 field="from")
    expect_error(c.get("/api/v1/cases"), 400, "VALIDATION_FAILED", "no kind", field="kind")
    expect_error(c.get("/api/v1/cases?kind=divorce"), 400, "VALIDATION_FAILED", "unknown kind", field="kind")


@test("GET /api/v1/deadlines?within=N: the open deadlines due within N days, by due date; overdue ones negative")
def t_deadlines():
    c = staff()
    today = cst_date()
    truth = []  # (due, case_id, rule, provisional) of every open deadline with a due date
    for cid, js in case_details(c).items():
        truth += [(d["due_date"], cid, d["rule"], bool(d["provisional"])) for d in js["deadlines"]
                  if d["status"] == "open" and d["due_date"]]
    prov = [t for t in truth if t[3]]
    check(prov, "no provisional deadline (did test_50 run?)")
    for within in (0, 7, 60, 366):
        js = expect(c.get("/api/v1/deadlines?within=%d" % within), 200, "deadlines within %d" % within)
        items = js["items"]
        got = [(i["due_date"], i["case_id"], i["rule"], i["provisional"]) for i in items]
        eq(sorted(got), sorted(t for t in truth if days_between(today, t[0]) <= within), "within=%d" % within)
        eq([g[:2] for g in got], sorted(g[:2] for g in got), "order by due date, then case")
        eq(js["total"], len(items), "total")
        for i in items:
            left = days_between(today, i["due_date"])
            eq((i["days_left"], i["urgency"]),
               (left, "overdue" if left < 0 else "due_soon" if left <= 3 else "ok"), "days_left and urgency")
            check(i["case_no"] and i["name"] and i["kind"] in ("reconsideration", "litigation"), "item: %r" % i)
    overdue = [i for i in items if i["days_left"] < 0]
    check(overdue and all(i["urgency"] == "overdue" for i in overdue), "overdue items: %r" % overdue[:3])
    due, cid, rule, _ = prov[0]
    n = days_between(today, due)

    def has(within):
        js = expect(c.get("/api/v1/deadlines?within=%d" % within), 200, "within %d" % within)
        return [i for i in js["items"] if (i["case_id"], i["rule"]) == (cid, rule)]
    eq(has(n - 1), [], "provisional deadline with within=%d" % (n - 1))
    eq([(i["due_date"], i["provisional"], i["days_left"]) for i in has(n)], [(due, True, n)], "within=%d" % n)
    for bad in ("367", "-1", "abc"):
        expect_error(c.get("/api/v1/deadlines?within=" + bad), 400, "VALIDATION_FAILED", "within=" + bad,
                     field="within")


def upload(c, cid, name, data, ctype):
    return c.post("/api/v1/cases/%d/attachments?filename=%s" % (cid, urllib.parse.quote(name, safe="")), raw=data,
                  content_type=ctype)


@test("attachments: upload (201, sha256) and download the same bytes; corrupt file 500 INTERNAL; over --max-upload 413")
def t_attachments():
    c = staff()
    cid = new_reconsideration(c, "2026-10-19")["id"]
    data = bytes(range(256)) * 400 + "——完".encode("utf-8")  # over --max-body (65536), under --max-upload
    name = "复议申请书 第1份.pdf"
    sha = hashlib.sha256(data).hexdigest()
    js = expect(upload(c, cid, name, data, "application/pdf"), 201, "upload")
    eq((js["filename"], js["content_type"], js["size"], js["sha256"]), (name, "application/pdf", len(data), sha),
       "upload reply")
    path = os.path.join(S.tmp, "files", sha[:2], sha)
    with open(path, "rb") as f:
        eq(f.read() == data, True, "stored file equals the upload")
    r = c.get("/api/v1/cases/%d/attachments/%d" % (cid, js["id"]))
    eq((r.status, r.raw == data, r.headers.get("Content-Type")), (200, True, "application/pdf"), "download")
    eq(r.headers.get("Content-Disposition"), "attachment; filename*=UTF-8''" + urllib.parse.quote(name, safe=""),
       "Content-Disposition")
    text = "答复书正文".encode("utf-8")
    js2 = expect(upload(c, cid, "答复书.txt", text, "text/plain; charset=utf-8"), 201, "upload text")
    eq((js2["content_type"], js2["sha256"]), ("text/plain; charset=utf-8", hashlib.sha256(text).hexdigest()), "text")
    eq([(a["id"], a["filename"], a["size"], a["sha256"]) for a in detail(c, cid)["attachments"]],
       [(js["id"], name, len(data), sha), (js2["id"], "答复书.txt", len(text), js2["sha256"])], "attachments")
    leader = session_for("leader")
    eq(leader.get("/api/v1/cases/%d/attachments/%d" % (cid, js2["id"])).raw, text, "leader downloads")
    expect_error(upload(leader, cid, "领导.txt", b"x", "text/plain"), 403, "FORBIDDEN", "leader uploads")
    expect_error(c.post("/api/v1/cases/%d/attachments" % cid, raw=b"x", content_type="text/plain"), 400,
                 "VALIDATION_FAILED", "no filename", field="filename")
    expect_error(upload(c, cid, "a/b.txt", b"x", "text/plain"), 400, "VALIDATION_FAILED", "slash", field="filename")
    expect_error(upload(c, cid, "空.txt", b"", "text/plain"), 400, "VALIDATION_FAILED", "empty file", field="file")
    expect_error(c.get("/api/v1/cases/%d/attachments/999999" % cid), 404, "NOT_FOUND", "absent attachment")

    with open(path, "r+b") as f:  # same length, one byte changed
        f.seek(1000)
        f.write(b"\xff" if data[1000:1001] != b"\xff" else b"\x00")
    err = expect_error(c.get("/api/v1/cases/%d/attachments/%d" % (cid, js["id"])), 500, "INTERNAL", "corrupt file")
    check("损坏" in err["message"], "message: %r" % err["message"])

    n = len(detail(c, cid)["attachments"])
    size = 1048576 + 1
    head = ("POST /api/v1/cases/%d/attachments?filename=big.bin HTTP/1.1\r\nHost: %s:%d\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: %d\r\nCookie: fazhi_session=%s\r\n"
            "X-CSRF-Token: %s\r\nConnection: close\r\n\r\n"
            % (cid, HOST, S.port, size, c.cookies["fazhi_session"], c.csrf)).encode("ascii")
    reply = raw_http(head + b"z" * size)
    status_line = reply.split(b"\r\n", 1)[0].decode("latin-1")
    check(re.match(r"HTTP/1\.[01] 413\b", status_line), "expected 413, got %r" % reply[:300])
    eq(len(detail(c, cid)["attachments"]), n, "attachments after the refused upload")


@test("notes and extra parties: 201 with the case detail; an invalid ID number is refused naming the person")
def t_notes_parties():
    c = staff()
    cid = new_reconsideration(c, "2026-10-19")["id"]
    js = expect(c.post("/api/v1/cases/%d/notes" % cid, {"body": "已电话联系申请人,约定现场核对材料"}), 201, "note")
    eq([(n["body"], n["author_id"], n["author_name"]) for n in js["notes"]],
       [("已电话联系申请人,约定现场核对材料", c.user["id"], c.user["display_name"])], "notes")
    expect_error(c.post("/api/v1/cases/%d/notes" % cid, {"body": ""}), 400, "VALIDATION_FAILED", "empty note",
                 field="body")
    agent_id = resident_id("33042119900101123")
    body = {"role": "agent", "party": {"type": "person", "name": "赵律师", "id_number": agent_id,
                                       "phone": "13912345678"}}
    js = expect(c.post("/api/v1/cases/%d/parties" % cid, body), 201, "add an agent")
    p = js["parties"][-1]
    eq((p["role"], p["name"], p["id_number_mask"], p["phone_mask"]),
       ("agent", "赵律师", agent_id[:6] + "********" + agent_id[-4:], "139****5678"), "agent")
    check(agent_id not in json.dumps(js), "agent ID number in clear")
    js = expect(c.post("/api/v1/cases/%d/parties" % cid, {"role": "third_party", "party": {
        "type": "legal_person", "name": "嘉善县某某置业有限公司"}}), 201, "add a third party")
    eq(js["parties"][-1]["role"], "third_party", "third party")
    n = len(js["parties"])
    bad = {"role": "third_party", "party": {"type": "person", "name": "李四", "id_number": "330421199001011230"}}
    err = expect_error(c.post("/api/v1/cases/%d/parties" % cid, bad), 400, "VALIDATION_FAILED", "bad ID number")
    check("李四" in err["message"] and "身份证" in err["message"], "message does not name the person: %r" % err)
    for m in err["details"]["fields"].values():
        check("李四" in m, "field message does not name the person: %r" % m)
    expect_error(c.post("/api/v1/cases/%d/parties" % cid, {"role": "judge", "party": {"type": "person", "name": "某"}}),
                 400, "VALIDATION_FAILED", "role judge", field="role")
    expect_error(session_for("leader").post("/api/v1/cases/%d/notes" % cid, {"body": "领导批示"}), 403, "FORBIDDEN",
                 "leader adds a note")
    eq(len(detail(c, cid)["parties"]), n, "parties after the refusals")


@test("a party error names the request field: third_parties at registration, party on POST .../parties")
def t_party_error_field():
    c = staff()
    bad = {"type": "person", "name": "李四", "id_number": "330421199001011230"}
    r = c.post("/api/v1/reconsiderations", recon_body("2026-10-19", third_parties=[bad]))
    expect_error(r, 400, "VALIDATION_FAILED", "bad third party at registration", field="third_parties")
    cid = new_reconsideration(c, "2026-10-19")["id"]
    r = c.post("/api/v1/cases/%d/parties" % cid, {"role": "third_party", "party": bad})
    expect_error(r, 400, "VALIDATION_FAILED", "bad party on POST parties", field="party")


@test("PII reveal: staff sees the full ID number and phone with a reason, audited as pii.reveal; leader 403; never stored in clear")
def t_pii_reveal():
    c = staff()
    js = new_reconsideration(c, "2026-10-20")
    cid, pid, rid = js["id"], js["parties"][0]["id"], js["parties"][1]["id"]
    reason = "向申请人邮寄送达文书,需核对身份"
    url = "/api/v1/cases/%d/parties/%d/reveal"
    got = expect(c.post(url % (cid, pid), {"reason": reason}), 200, "reveal")
    eq(got, {"id": pid, "name": "王小明", "id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS}, "revealed")
    eq(expect(c.post(url % (cid, rid), {"reason": reason}), 200, "reveal respondent"),
       {"id": rid, "name": RESPONDENT, "id_number": None, "phone": None, "address": None}, "respondent")
    expect_error(c.post(url % (cid, pid), {}), 400, "VALIDATION_FAILED", "no reason", field="reason")
    expect_error(c.post(url % (cid, pid), {"reason": "看"}), 400, "VALIDATION_FAILED", "one-character reason",
                 field="reason")
    expect_error(c.post(url % (cid, 999999), {"reason": reason}), 404, "NOT_FOUND", "absent party")
    other = new_reconsideration(c, "2026-10-20")["id"]
    expect_error(c.post(url % (other, pid), {"reason": reason}), 404, "NOT_FOUND", "party of another case")
    expect_error(session_for("leader").post(url % (cid, pid), {"reason": reason}), 403, "FORBIDDEN", "leader reveal")

    auditor = session_for("auditor")
    recs = audit_items(auditor, action="pii.reveal", object_id=str(pid), result="success")
    eq([(x["username"], x["object_type"]) for x in recs], [("staff", "case_party")], "reveal audit records")
    check(reason in recs[0]["detail"] and js["case_no"] in recs[0]["detail"], "detail: %r" % recs[0]["detail"])
    check(all(s not in recs[0]["detail"] for s in SECRETS), "PII in the audit detail: %r" % recs[0]["detail"])
    check(audit_items(auditor, action="pii.reveal", result="failure", username="leader"),
          "leader's refusal not audited")
    paths = [S.db, S.db + "-wal", S.server_log]
    if pg_mode() and os.environ.get("FAZHI_TEST_PG_DIR"):
        # Every file of the PostgreSQL cluster: heap, WAL and all.
        for root, dirs, files in os.walk(os.path.join(os.environ["FAZHI_TEST_PG_DIR"], "data")):
            paths += [os.path.join(root, f) for f in files]
    for path in paths:
        if os.path.exists(path):
            with open(path, "rb") as f:
                blob = f.read()
            for s in SECRETS:
                check(s.encode("utf-8") not in blob, "%s holds %r in clear" % (os.path.basename(path), s))


@test("calendar API: GET 2026 as loaded; admin PUT 2027 makes it known and a provisional deadline exact; bad rows 400; staff 403")
def t_calendar():
    st, a = staff(), admin()
    with open(os.path.join(CALENDAR_DIR, "2026.csv"), encoding="utf-8") as f:
        rows = [{"date": r["date"], "kind": r["kind"], "name": r["name"]} for r in csv.DictReader(f)]
    js = expect(st.get("/api/v1/calendar/2026"), 200, "GET 2026")
    eq((js["year"], js["known"], js["days"]), (2026, True, rows), "2026 as in data/calendar/2026.csv")
    check({"date": "2026-10-10", "kind": "班", "name": "国庆节"} in js["days"], "10-10 班 missing")
    eq(expect(st.get("/api/v1/calendar/2027"), 200, "GET 2027"), {"year": 2027, "known": False, "days": []}, "2027")
    expect_error(st.get("/api/v1/calendar/1999"), 404, "NOT_FOUND", "year 1999")

    cid = new_reconsideration(st, "2026-11-02")["id"]
    js = act_ok(st, cid, "accept", "2026-11-02", procedure="ordinary")
    # 11-02 + 60 = Fri 2027-01-01, a working day when only weekends are assumed off.
    check_deadline(js, "reconsideration.decision", "2027-01-01", provisional=1)
    days = [{"date": "2027-01-0%d" % d, "kind": "休", "name": "元旦"} for d in (1, 2, 3)]
    days += [{"date": "2027-02-%02d" % d, "kind": "休", "name": "春节"} for d in range(5, 12)]
    days += [{"date": "2027-02-20", "kind": "班", "name": "春节"}]  # a Saturday
    expect_error(st.put("/api/v1/calendar/2027", {"days": days}), 403, "FORBIDDEN", "staff PUT")
    for bad, msg in (({"date": "2027-03-03", "kind": "班", "name": "测试"}, "第12条:班(调休上班)只能是星期六或星期日"),
                     ({"date": "2027-03-06", "kind": "假", "name": "测试"}, "第12条:类型应为“休”或“班”"),
                     ({"date": "2026-06-01", "kind": "休", "name": "测试"}, "第12条:日期不在2027年内")):
        err = expect_error(a.put("/api/v1/calendar/2027", {"days": days + [bad]}), 400, "VALIDATION_FAILED",
                           "PUT with %r" % bad, field="days")
        eq(err["details"]["fields"]["days"], msg, "loader message")
    eq(expect(st.get("/api/v1/calendar/2027"), 200, "GET 2027")["known"], False, "2027 after refused PUTs")
    js = expect(a.put("/api/v1/calendar/2027", {"days": days}), 200, "admin PUT 2027")
    eq((js["year"], js["known"], js["days"]), (2027, True, days), "2027 after PUT")
    eq(expect(st.get("/api/v1/calendar/2027"), 200, "GET 2027")["days"], days, "2027 read back")
    # 2027-01-01..03 are 元旦 off (Fri..Sun): the limit ends on Mon 2027-01-04, now exact.
    check_deadline(detail(st, cid), "reconsideration.decision", "2027-01-04", provisional=0)
    items = expect(st.get("/api/v1/deadlines?within=366"), 200, "deadlines")["items"]
    eq([(i["due_date"], i["provisional"]) for i in items if i["case_id"] == cid and i["rule"].endswith("decision")],
       [("2027-01-04", False)], "reminder after the PUT")
    check(all(not i["provisional"] for i in items), "provisional reminders left: %r" % [i for i in items
                                                                                       if i["provisional"]])
    recs = audit_items(session_for("auditor"), action="calendar.update", result="success")
    eq([(x["username"], x["object_id"], x["detail"]) for x in recs], [("admin", "2027", "设置2027年节假日安排,共11条")],
       "calendar audit record")


@test("after shutdown, no database file in the temp dir holds an ID number, phone or address in clear", phase=STOPPED)
def t_no_clear_pii_at_rest():
    if pg_mode():
        # The whole PostgreSQL cluster: heap files, WAL and all. It keeps running, and its checkpoints
        # recycle WAL segments under new names while we read: walk again until nothing vanished.
        def listing():
            return [os.path.join(r, f) for r, _, fs in os.walk(os.path.join(os.environ["FAZHI_TEST_PG_DIR"], "data"))
                    for f in fs]
    else:
        def listing():
            return [p for p in glob.glob(os.path.join(S.tmp, "*")) if os.path.isfile(p) and ".db" in p]
    files, read = listing(), set()
    check(files and (pg_mode() or any(p.endswith("fazhi.db") for p in files)), "no database file: %r" % files)
    for _ in range(5):
        vanished = False
        for path in files:
            if path in read:
                continue
            try:
                with open(path, "rb") as f:
                    blob = f.read()
            except FileNotFoundError:
                vanished = True
                continue
            read.add(path)
            for s in SECRETS:
                check(s.encode("utf-8") not in blob, "%s holds %r in clear" % (os.path.basename(path), s))
        if not vanished:
            break
        files = listing()
    check(not vanished, "files kept vanishing while the data directory was read")
