"""工作台账 (the work ledger) through the API: categories, entries within the
caller's data scope, edits, voiding instead of deleting, attachments, and the
ledger metrics the annual report counts ("召开会议3次", "组织220人参加培训")."""

import hashlib

from harness import *  # noqa: F401,F403
from cases import staff

XITANG = "嘉善县西塘镇人民政府"
DAYUN = "嘉善县大云镇人民政府"


def entry(c, **kw):
    body = {"category": "meeting", "date": "2024-03-05", "title": "依法治县委员会全体会议"}
    body.update(kw)
    return c.post("/api/v1/ledger", body)


@test("ledger: categories, create with quantities and amount, list filters, edit, void (no delete), attachments")
def t_ledger_entries():
    c = staff()
    cats = expect(c.get("/api/v1/ledger-categories"), 200, "categories")["items"]
    eq([x["code"] for x in cats][:3], ["meeting", "training", "inspection"], "seeded categories in order")
    js = expect(entry(c, times=3, note="全年三次"), 201, "meeting entry")
    eq((js["category_name"], js["times"], js["people"], js["amount_yuan"], js["status"]),
       ("会议", 3, 0, "0.00", "active"), "meeting entry")
    tr = expect(entry(c, category="training", title="行政执法人员培训", people=220, amount_yuan="12.5",
                      org_id=org_by_name(XITANG)["id"]), 201, "training entry")
    eq((tr["org_name"], tr["people"], tr["amount_yuan"]), (XITANG, 220, "12.50"), "training entry")
    for bad, field in ((dict(amount_yuan="12.345"), "amount_yuan"), (dict(amount_yuan="-1"), "amount_yuan"),
                       (dict(category="no_such"), "category"), (dict(date="2099-01-01"), "date"),
                       (dict(date="2024-02-30"), "date"), (dict(times=-1), "times")):
        expect_error(entry(c, **bad), 400, "VALIDATION_FAILED", "bad %r" % bad, field=field)
    items = expect(c.get("/api/v1/ledger?category=training&from=2024-01-01&to=2024-12-31"), 200, "list")["items"]
    check(any(x["id"] == tr["id"] for x in items) and all(x["category"] == "training" for x in items),
          "training filter: %r" % items)
    js = expect(c.patch("/api/v1/ledger/%d" % tr["id"], {"people": 230, "note": "补登10人"}), 200, "edit")
    eq((js["people"], js["note"], js["title"]), (230, "补登10人", "行政执法人员培训"), "edited, the rest kept")
    # Attachments: stored once by SHA-256, downloaded intact.
    data = "签到表\n张三,李四\n".encode("utf-8")
    js = expect(c.post("/api/v1/ledger/%d/attachments?filename=%s" % (tr["id"], "sign.csv"), raw=data,
                       content_type="text/csv"), 201, "upload")
    att = js["attachments"][0]
    eq(att["sha256"], hashlib.sha256(data).hexdigest(), "sha256")
    r = c.get("/api/v1/ledger/%d/attachments/%d" % (tr["id"], att["id"]))
    eq((r.status, r.raw), (200, data), "download")
    eq(r.headers.get("Content-Disposition"), "attachment; filename*=UTF-8''sign.csv", "download keeps the file name")
    # Voided, not deleted: gone from the default list, still readable, no longer counted.
    expect_error(c.post("/api/v1/ledger/%d/void" % tr["id"], {}), 400, "VALIDATION_FAILED", "void without reason",
                 field="reason")
    js = expect(c.post("/api/v1/ledger/%d/void" % tr["id"], {"reason": "重复登记"}), 200, "void")
    eq((js["status"], js["void_reason"]), ("voided", "重复登记"), "voided")
    expect_error(c.patch("/api/v1/ledger/%d" % tr["id"], {"people": 1}), 409, "INVALID_STATE", "edit a voided entry")
    ids = [x["id"] for x in expect(c.get("/api/v1/ledger?page_size=200"), 200, "list")["items"]]
    check(tr["id"] not in ids, "voided entry still listed by default")
    ids = [x["id"] for x in expect(c.get("/api/v1/ledger?voided=1&page_size=200"), 200, "list")["items"]]
    check(tr["id"] in ids, "voided entry missing with voided=1")
    recs = audit_items(session_for("auditor"), action="ledger", object_id=str(tr["id"]))
    eq(sorted({x["action"] for x in recs}), ["ledger.attachment.upload", "ledger.create", "ledger.update",
                                              "ledger.void"], "audit of the entry")


@test("ledger scope: a town liaison records and sees only its own town; the category dictionary is the bureau's")
def t_ledger_scope():
    c = staff()
    dayun = expect(entry(c, title="大云镇普法宣传", category="publicity", people=500,
                         org_id=org_by_name(DAYUN)["id"], date="2024-05-01"), 201, "大云 entry")
    li = session_for("liaison")  # 西塘镇 法治联络员
    own = expect(entry(li, title="西塘镇普法集市", category="publicity", people=300, date="2024-05-02"), 201,
                 "liaison records for its own town")
    eq(own["org_name"], XITANG, "entry belongs to the liaison's town")
    expect_error(entry(li, title="越权登记", org_id=org_by_name(DAYUN)["id"]), 400, "VALIDATION_FAILED",
                 "liaison records for another town", field="org_id")
    ids = [x["id"] for x in expect(li.get("/api/v1/ledger?page_size=200"), 200, "liaison list")["items"]]
    check(own["id"] in ids and dayun["id"] not in ids, "liaison list: %r" % ids)
    expect_error(li.get("/api/v1/ledger/%d" % dayun["id"]), 403, "OUT_OF_SCOPE", "liaison reads 大云's entry")
    expect_error(li.post("/api/v1/ledger-categories", {"code": "visit", "name": "走访"}), 403, "FORBIDDEN",
                 "liaison edits the dictionary")
    js = expect(c.post("/api/v1/ledger-categories", {"code": "visit", "name": "走访调研", "sort_order": 70}), 201,
                "staff adds a category")
    check(any(x["code"] == "visit" for x in js["items"]), "new category listed")
    expect_error(c.post("/api/v1/ledger-categories", {"code": "visit", "name": "走访2"}), 400, "VALIDATION_FAILED",
                 "duplicate category", field="code")


@test("ledger metrics: 2024 meetings, training people and publicity reach the metric engine (voided entries excluded)")
def t_ledger_metrics():
    c = staff()
    expect(entry(c, category="meeting", times=2, date="2024-09-09", title="府院联席会议"), 201, "second meeting")
    m = expect(c.get("/api/v1/metrics?org=330421&year=2024"), 200, "metrics 2024")["metrics"]
    eq(m["ledger.meetings"]["value"], 5, "meetings: 3 + 2")
    eq(m["ledger.training_people"]["value"], 0, "the voided training does not count")
    eq(m["ledger.publicity_people"]["value"], 800, "publicity: 500 + 300")
    li = expect(c.get("/api/v1/metrics?org=%d&year=2024" % org_by_name(XITANG)["id"]), 200, "西塘 metrics")["metrics"]
    eq(li["ledger.publicity_people"]["value"], 300, "the town's own figure")
