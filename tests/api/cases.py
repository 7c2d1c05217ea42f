"""Helpers shared by the case tests (test_50_*, test_60_*): registering cases,
running actions, finding deadlines, and a record of every action posted so
that the audit test can check each one left its trace.

Dates in these tests are fixed days of 2025 and 2026 (the machine's clock is
in late November 2026), chosen so that every statutory deadline can be
worked out by hand from data/calendar/2025.csv and 2026.csv; the comments
beside each expected due date show the count.
"""

import datetime
import json

from harness import *  # noqa: F401,F403 (the suite's helpers and state)

# Test persons. The ID number is the GB 11643 example (valid check digit).
ID_NUMBER = "11010519491231002X"
ID_MASK = "110105********002X"
PHONE = "13800138000"
PHONE_MASK = "138****8000"
ADDRESS = "浙江省嘉善县罗星街道晋阳东路1号"
APPLICANT = {"type": "person", "name": "王小明", "id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS}

# Respondents. Only the scope test uses the 市场监督管理局, so that its
# liaison sees exactly the cases made for that test.
RESPONDENT = "嘉善县自然资源和规划局"
SCJG = "嘉善县市场监督管理局"
ZFJ = "嘉善县综合行政执法局"

# Every action posted through act(): (case_id, action, HTTP status, error code).
ACTIONS = []
# case id -> case number, for every case created through these helpers.
CASE_NOS = {}


def staff():
    return session_for("staff")


def recon_body(received, respondent=RESPONDENT, **extra):
    body = {"received_date": received, "channel": "in_person",
            "respondent_org_id": org_by_name(respondent)["id"],
            "act": "嘉自然资规罚〔2026〕15号行政处罚决定", "claims": "请求撤销该行政处罚决定",
            "applicants": [dict(APPLICANT)]}
    body.update(extra)
    return body


def new_reconsideration(c, received, respondent=RESPONDENT, **extra):
    """Register a 行政复议 case (201 asserted); returns its detail."""
    r = c.post("/api/v1/reconsiderations", recon_body(received, respondent, **extra))
    js = expect(r, 201, "register a reconsideration received %s" % received)
    CASE_NOS[js["id"]] = js["case_no"]
    return js


def new_litigation(c, case_no, received, defendant=ZFJ, **extra):
    """Record a 行政应诉 case (201 asserted); returns its detail."""
    body = {"case_no": case_no, "instance": "first", "court": "嘉善县人民法院",
            "defendant_org_id": org_by_name(defendant)["id"], "received_date": received,
            "plaintiffs": [{"type": "legal_person", "name": "嘉善县某某建材有限公司"}]}
    body.update(extra)
    js = expect(c.post("/api/v1/litigations", body), 201, "record litigation %s" % case_no)
    CASE_NOS[js["id"]] = js["case_no"]
    return js


def act(c, case_id, action, date, **fields):
    """POST an action (date may be None to leave it out); the Reply."""
    body = dict(fields)
    if date is not None:
        body["date"] = date
    r = c.post("/api/v1/cases/%d/actions/%s" % (case_id, action), body)
    ACTIONS.append((case_id, action, r.status, r.err_code()))
    return r


def act_ok(c, case_id, action, date, **fields):
    """An action that must succeed (200); returns the case detail."""
    return expect(act(c, case_id, action, date, **fields), 200, "%s on case %d (%s)" % (action, case_id, date))


def detail(c, case_id):
    return expect(c.get("/api/v1/cases/%d" % case_id), 200, "GET case %d" % case_id)


def deadlines(js, rule):
    return [d for d in js["deadlines"] if d["rule"] == rule]


def open_rules(js):
    return sorted(d["rule"] for d in js["deadlines"] if d["status"] == "open")


def the_deadline(js, rule, status=None):
    """The one deadline of rule (with status, when given)."""
    found = [d for d in deadlines(js, rule) if status is None or d["status"] == status]
    check(len(found) == 1, "expected one %s deadline%s, got %s" % (
        rule, " (%s)" % status if status else "", short(js["deadlines"], 1500)))
    return found[0]


def check_deadline(js, rule, due, status="open", met_date=None, provisional=0, start=None):
    """Assert the (single, or single with that status) deadline of rule."""
    d = the_deadline(js, rule, status)
    got = (d["due_date"], d["status"], d["met_date"], d["provisional"])
    eq(got, (due, status, met_date, provisional), "%s deadline (due, status, met_date, provisional)" % rule)
    if start is not None:
        eq(d["start_date"], start, "%s start_date" % rule)
    return d


def action_codes(js):
    return [a["code"] for a in js["actions"]]


def timeline(js):
    return [(e["action"], e["event_date"], e["to_state"]) for e in js["timeline"]]


def no_clear_pii(r, what):
    """The raw reply holds the masked values only."""
    text = r.raw.decode("utf-8", "replace")
    for secret in (ID_NUMBER, PHONE, ADDRESS, "19491231"):
        check(secret not in text, "%s: reply contains %r in clear" % (what, secret))


def resident_id(first17):
    """An 18-digit resident ID number with its GB 11643 check digit."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def all_cases(c, kind, query=""):
    """Every case of kind the client sees (pages of 200), in the list's order."""
    items, page = [], 1
    while True:
        js = expect(c.get("/api/v1/cases?kind=%s&page_size=200&page=%d%s" % (kind, page, query)), 200,
                    "list %s cases" % kind)
        items += js["items"]
        if len(items) >= js["total"] or not js["items"]:
            return items
        page += 1


def days_between(a, b):
    """b - a in days, for YYYY-MM-DD strings."""
    return (datetime.date.fromisoformat(b) - datetime.date.fromisoformat(a)).days


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False)
