"""行政应诉 (the county's agencies as defendants in administrative lawsuits): a
first-instance case through hearing, judgment and appeal, the second
instance linked to it, refused requests; then the audit trail of every case
registered and every case action run by test_50 .. test_60.

Court limits are calendar days (《行政诉讼法》): answer 15 days after the
notice is served, appeal 15 days after a judgment and 10 after a ruling; a
limit ending on a day off moves to the next working day (data/calendar).
"""

import collections
import re

from cases import *  # noqa: F401,F403 (case helpers, and through them the harness)

PLAINTIFF_ID = resident_id("33042119800202123")


@test("行政应诉 first instance: answer due 15 days after service (past National Day), hearing with the head, judgment revoke (lost), appeal")
def t_litigation_first():
    c = staff()
    zfj = org_by_name(ZFJ)
    js = new_litigation(c, "(2026)浙0421行初12号", "2026-09-16", served_date="2026-09-16", filed_date="2026/9/10",
                        plaintiffs=[{"type": "person", "name": "张某某", "id_number": PLAINTIFF_ID,
                                     "phone": "13600001111"}])
    cid = js["id"]
    S.ids["lit_first"] = cid
    eq((js["kind"], js["kind_name"], js["case_no"], js["case_year"], js["state"], js["state_name"]),
       ("litigation", "行政应诉", "(2026)浙0421行初12号", 2026, "pending", "应诉中"), "new court case")
    eq((js["org_id"], js["party_org_id"], js["party_org_name"], js["title"], js["received_date"]),
       (zfj["id"], zfj["id"], ZFJ, "张某某诉" + ZFJ, "2026-09-16"), "defendant and title")
    f = js["fields"]
    eq((f["instance"], f["court"], f["filed_date"], f["served_date"], f["carried_over"], f["hearing_held"],
        f["head_appeared"], f["ruling_kind"], f["appealed"], f["previous_case_id"], f["risk_flag"]),
       ("first", "嘉善县人民法院", "2026-09-10", "2026-09-16", False, False, False, "", False, None, False),
       "litigation fields")
    eq([(p["role"], p["name"], p["id_number_mask"], p["phone_mask"]) for p in js["parties"]],
       [("plaintiff", "张某某", "330421********" + PLAINTIFF_ID[-4:], "136****1111")], "parties")
    # 15 days after Wed 09-16 is Thu 10-01, inside 国庆节 (10-01..07 休): due Thu 10-08.
    check_deadline(js, "litigation.answer", "2026-10-08", start="2026-09-16")
    eq(action_codes(js), ["submit_answer", "hold_hearing", "set_risk", "judge"], "actions while pending")
    js = act_ok(c, cid, "submit_answer", "2026-09-28")
    check_deadline(js, "litigation.answer", "2026-10-08", status="met", met_date="2026-09-28")
    expect_error(act(c, cid, "hold_hearing", "2026-10-20", head_appeared=True), 400, "VALIDATION_FAILED",
                 "head appeared without a name", field="head_name")
    expect_error(act(c, cid, "hold_hearing", "2026-10-20", head_appeared=True, head_name="李建国"), 400,
                 "VALIDATION_FAILED", "head appeared without a post", field="head_post")
    expect_error(act(c, cid, "hold_hearing", "2026-10-20"), 400, "VALIDATION_FAILED", "no head_appeared",
                 field="head_appeared")
    js = act_ok(c, cid, "hold_hearing", "2026-10-20", head_appeared=True, head_name="李建国", head_post="副局长")
    f = js["fields"]
    eq((f["hearing_held"], f["head_appeared"], f["head_name"], f["head_post"], js["state"]),
       (True, True, "李建国", "副局长", "pending"), "after the hearing")
    eq(js["timeline"][-1]["detail"], "开庭审理,行政机关负责人李建国(副局长)出庭应诉", "hearing detail")
    js = act_ok(c, cid, "set_risk", "2026-10-21", flag=True, note="执法程序存在瑕疵")
    eq((js["fields"]["risk_flag"], js["fields"]["risk_note"]), (True, "执法程序存在瑕疵"), "risk flag")
    expect_error(act(c, cid, "judge", "2026-10-30", outcome="revoke", ruling_kind="order"), 400, "VALIDATION_FAILED",
                 "ruling_kind order", field="ruling_kind")
    reply = act_ok(c, cid, "judge", "2026-10-30", outcome="revoke", ruling_kind="judgment")
    judged = ("judged", "已裁判", "revoke", "撤销", True, False, False, "2026-10-30", "judgment")

    def summary(js):
        return (js["state"], js["state_name"], js["outcome"], js["outcome_name"], js["lost"], js["corrected"],
                js["mediated"], js["decided_date"], js["fields"]["ruling_kind"])
    js = detail(c, cid)
    eq(summary(js), judged, "judged (GET)")
    eq(js["timeline"][-1]["detail"], "法院判决:撤销(败诉)", "judgment detail")
    # 15 days after Fri 10-30 is Sat 11-14: due Mon 11-16.
    check_deadline(js, "litigation.appeal_judgment", "2026-11-16", start="2026-10-30")
    eq(action_codes(js), ["set_risk", "appeal", "close"], "actions when judged")
    expect_error(act(c, cid, "judge", "2026-10-31", outcome="uphold", ruling_kind="judgment"), 409, "INVALID_STATE",
                 "judge twice")
    expect_error(act(c, cid, "appeal", "2026-11-10", by="court"), 400, "VALIDATION_FAILED", "appeal by the court",
                 field="by")
    js = act_ok(c, cid, "appeal", "2026-11-10", by="defendant")
    eq((js["state"], js["closed_date"], js["fields"]["appealed"], js["lost"]), ("closed", "2026-11-10", True, True),
       "closed by appeal")
    check_deadline(js, "litigation.appeal_judgment", "2026-11-16", status="met", met_date="2026-11-10")
    eq((open_rules(js), action_codes(js)), ([], []), "nothing open after the appeal")
    eq(js["timeline"][-1]["detail"], "我方提起上诉", "appeal detail")
    eq([e[0] for e in timeline(js)], ["create", "submit_answer", "hold_hearing", "set_risk", "judge", "appeal"],
       "timeline")
    # Checked last so that a stale reply does not hide the rest of the workflow.
    eq(summary(reply), judged, "the reply of the judge action")


@test("行政应诉 second instance linked to the first: judged reject_claims by ruling (not lost), 10-day appeal limit, closed")
def t_litigation_second():
    c = staff()
    first = S.ids.get("lit_first")
    check(first, "no first-instance case (the previous test failed?)")
    js = new_litigation(c, "(2026)浙04行终88号", "2026-11-16", instance="second", court="浙江省嘉兴市中级人民法院",
                        served_date="2026-11-16", previous_case_id=first)
    cid = js["id"]
    eq((js["fields"]["instance"], js["fields"]["previous_case_id"], js["fields"]["court"]),
       ("second", first, "浙江省嘉兴市中级人民法院"), "second instance")
    # 15 days after Mon 11-16: Tue 12-01, a working day.
    check_deadline(js, "litigation.answer", "2026-12-01", start="2026-11-16")
    js = act_ok(c, cid, "hold_hearing", "2026-11-18", head_appeared=False)
    eq((js["fields"]["hearing_held"], js["fields"]["head_appeared"], js["timeline"][-1]["detail"]),
       (True, False, "开庭审理,行政机关负责人未出庭"), "hearing without the head")
    reply = act_ok(c, cid, "judge", "2026-11-20", outcome="reject_claims", ruling_kind="ruling")
    judged = ("judged", "reject_claims", "驳回诉讼请求", False, "ruling", "2026-11-20")

    def summary(js):
        return (js["state"], js["outcome"], js["outcome_name"], js["lost"], js["fields"]["ruling_kind"],
                js["decided_date"])
    js = detail(c, cid)
    eq(summary(js), judged, "judged by ruling (GET)")
    eq(js["timeline"][-1]["detail"], "法院裁定:驳回诉讼请求", "ruling detail")
    check_deadline(js, "litigation.answer", "2026-12-01", status="cancelled", met_date="2026-11-20")
    # 10 days after Fri 11-20: Mon 11-30.
    check_deadline(js, "litigation.appeal_ruling", "2026-11-30", start="2026-11-20")
    eq(deadlines(js, "litigation.appeal_judgment"), [], "no judgment appeal limit")
    js = act_ok(c, cid, "close", "2026-11-20")
    eq((js["state"], js["state_name"], js["closed_date"], js["fields"]["appealed"]),
       ("closed", "已结案", "2026-11-20", False), "closed")
    check_deadline(js, "litigation.appeal_ruling", "2026-11-30", status="cancelled", met_date="2026-11-20")
    eq(open_rules(js), [], "nothing open")
    eq(summary(reply), judged, "the reply of the judge action")


@test("行政应诉 refusals: bad previous_case_id, duplicate court number, missing fields, future service date; readers cannot act")
def t_litigation_refused():
    c = staff()
    recon = new_reconsideration(c, "2026-10-26")["id"]

    def body(**kw):
        b = {"case_no": "(2026)浙0421行初99号", "instance": "first", "court": "嘉善县人民法院",
             "defendant_org_id": org_by_name(ZFJ)["id"], "received_date": "2026-10-26",
             "plaintiffs": [{"type": "person", "name": "钱某"}]}
        b.update(kw)
        return b
    expect_error(c.post("/api/v1/litigations", body(previous_case_id=recon)), 400, "VALIDATION_FAILED",
                 "previous case is a reconsideration", field="previous_case_id")
    expect_error(c.post("/api/v1/litigations", body(previous_case_id=999999)), 404, "NOT_FOUND", "absent previous")
    expect_error(c.post("/api/v1/litigations", body(instance="third")), 400, "VALIDATION_FAILED", "instance third",
                 field="instance")
    expect_error(c.post("/api/v1/litigations", body(defendant_org_id=999999)), 400, "VALIDATION_FAILED",
                 "absent defendant", field="defendant_org_id")
    expect_error(c.post("/api/v1/litigations", body(served_date=cst_date(1))), 400, "VALIDATION_FAILED",
                 "served tomorrow", field="served_date")
    b = body()
    del b["case_no"]
    expect_error(c.post("/api/v1/litigations", b), 400, "VALIDATION_FAILED", "no court number", field="case_no")
    expect_error(c.post("/api/v1/litigations", body(plaintiffs=[])), 400, "VALIDATION_FAILED", "no plaintiff",
                 field="plaintiffs")
    js = new_litigation(c, "(2026)浙0421行初99号", "2026-10-26", plaintiffs=[{"type": "person", "name": "钱某"}])
    # No service date: the answer limit runs from receipt, 10-26 + 15 = Tue 11-10.
    check_deadline(js, "litigation.answer", "2026-11-10", start="2026-10-26")
    expect_error(c.post("/api/v1/litigations", body()), 400, "VALIDATION_FAILED", "same court number again",
                 field="case_no")
    leader = session_for("leader")
    eq(detail(leader, js["id"])["case_no"], "(2026)浙0421行初99号", "leader reads")
    expect_error(act(leader, js["id"], "submit_answer", "2026-11-02"), 403, "FORBIDDEN", "leader acts")
    expect_error(leader.post("/api/v1/litigations", body(case_no="(2026)浙0421行初100号")), 403, "FORBIDDEN",
                 "leader records a case")
    expect_error(session_for("office").get("/api/v1/cases?kind=litigation"), 403, "FORBIDDEN", "office list")
    lia = session_for("liaison")  # 西塘镇: not a party to any court case here
    eq(expect(lia.get("/api/v1/cases?kind=litigation"), 200, "西塘 liaison list")["total"], 0, "litigation seen")
    # The error names the field that is missing (the first test only checks that it is refused).
    expect_error(act(c, js["id"], "hold_hearing", "2026-11-02", head_appeared=True, head_name="李建国"), 400,
                 "VALIDATION_FAILED", "head appeared without a post", field="head_post")


@test("audit trail: every case registration (reconsideration.create / litigation.create) and every case action, with the case number")
def t_case_audit():
    auditor = session_for("auditor")
    check(ACTIONS and CASE_NOS, "no case activity recorded (did test_50 run?)")
    for action in ("reconsideration.create", "litigation.create"):
        recs = audit_items(auditor, action=action, result="success")
        kind = action.split(".")[0]
        want = {cid: no for cid, no in CASE_NOS.items() if ("〔" in no) == (kind == "reconsideration")}
        eq(sorted(int(x["object_id"]) for x in recs), sorted(want), "%s records" % action)
        for x in recs:
            eq((x["object_type"], x["username"]), ("case", "staff"), "%s record" % action)
            check(want[int(x["object_id"])] in x["detail"], "detail lacks the case number: %r" % x)

    recs = audit_items(auditor, action="case.action")
    got_ok = collections.Counter(x["object_id"] for x in recs if x["result"] == "success")
    got_fail = collections.Counter(x["object_id"] for x in recs if x["result"] == "failure")
    want_ok, want_fail = collections.Counter(), collections.Counter()
    for cid, action, status, code in ACTIONS:
        if status == 200:
            want_ok[str(cid)] += 1
        elif code in ("OUT_OF_SCOPE", "NOT_FOUND"):
            want_fail[""] += 1  # refused before the case was loaded: no object
        else:
            want_fail[str(cid)] += 1
    eq(dict(got_ok), dict(want_ok), "successful case.action records per case")
    eq(dict(got_fail), dict(want_fail), "refused case.action records per case")
    for x in recs:
        if x["result"] == "success":
            no = CASE_NOS[int(x["object_id"])]
            check(x["detail"].startswith(no + " "), "detail does not start with %s: %r" % (no, x["detail"]))
            eq(x["object_type"], "case", "object_type")
        else:
            check(re.match(r"^[A-Z_]+ ", x["detail"]), "failure detail: %r" % x["detail"])
