"""行政复议 (administrative reconsideration) workflow: registration and numbering,
受理 / 不予受理 / 补正, the ordinary and the simple procedure, 中止 / 恢复 / 延期,
every decision and termination type, 意见书, 结案, refused transitions, and the
statutory deadlines each step opens or meets.

Expected due dates are worked out by hand from data/calendar/2025.csv and
2026.csv (see the comments). Working-day periods start the day after the
event; calendar-day periods that end on a day off move to the next working
day. Actions are run as the demo user `staff` (reconsideration.handle).
"""

from cases import *  # noqa: F401,F403 (case helpers, and through them the harness)

# Outcome, Chinese name, corrected (纠错), mediated (调解/和解).
DECISIONS = [("change", "变更", True, False), ("revoke", "撤销", True, False),
             ("partial_revoke", "部分撤销", True, False), ("confirm_illegal", "确认违法", True, False),
             ("order_perform", "责令履行", True, False), ("confirm_invalid", "确认无效", True, False),
             ("uphold", "维持", False, False), ("reject", "驳回复议请求", False, False),
             ("mediation", "调解", False, True)]
AFTER_DECISION = ["issue_opinion", "issue_suggestion", "receive_opinion_reply", "close"]


@test("行政复议 registration: 201, numbers 嘉善复〔2026〕1号, 2号, 3号; respondent party; applicant masked, never in clear")
def t_recon_register():
    c = staff()
    resp = org_by_name(RESPONDENT)
    r = c.post("/api/v1/reconsiderations", recon_body("2026-03-02"))
    js = expect(r, 201, "register")
    CASE_NOS[js["id"]] = js["case_no"]
    S.ids["recon_first"] = js["id"]
    no_clear_pii(r, "registration reply")
    eq((js["kind"], js["kind_name"], js["case_no"], js["case_year"], js["state"], js["state_name"]),
       ("reconsideration", "行政复议", "嘉善复〔2026〕1号", 2026, "registered", "已登记待审查"), "new case")
    eq((js["org_name"], js["party_org_id"], js["party_org_name"], js["received_date"]),
       (ROOT_NAME, resp["id"], RESPONDENT, "2026-03-02"), "organs and received date")
    eq(js["title"], "王小明不服%s嘉自然资规罚〔2026〕15号行政处罚决定" % RESPONDENT, "default title")
    eq((js["accepted_date"], js["decided_date"], js["closed_date"], js["outcome"], js["corrected"],
        js["mediated"], js["lost"], js["extension_days"]), (None, None, None, "", False, False, False, 0),
       "no dates or outcome yet")
    f = js["fields"]
    eq((f["channel"], f["procedure"], f["act"], f["claims"], f["amount_yuan"], f["hearing_held"]),
       ("in_person", "ordinary", "嘉自然资规罚〔2026〕15号行政处罚决定", "请求撤销该行政处罚决定", None, False),
       "reconsideration fields")
    eq([(p["role"], p["party_type"], p["name"], p["org_id"], p["id_number_mask"], p["phone_mask"], p["has_address"])
        for p in js["parties"]],
       [("applicant", "person", "王小明", None, ID_MASK, PHONE_MASK, 1),
        ("respondent", "org", RESPONDENT, resp["id"], None, None, 0)], "parties")
    eq(timeline(js), [("create", "2026-03-02", "registered")], "timeline")
    eq(js["timeline"][0]["detail"], "登记行政复议 嘉善复〔2026〕1号", "timeline detail")
    # 5 working days from the day after receipt (Mon 2026-03-02): Tue 3, Wed 4, Thu 5, Fri 6, Mon 9.
    d = check_deadline(js, "reconsideration.accept", "2026-03-09", start="2026-03-02")
    eq((d["name"], d["basis"], d["urgency"]), ("受理审查期限", "《行政复议法》第三十条", "overdue"), "accept deadline")
    eq(d["days_left"], days_between(cst_date(), "2026-03-09"), "days_left")
    eq(action_codes(js), ["request_correction", "accept", "reject"], "actions of a registered case")
    r = c.get("/api/v1/cases/%d" % js["id"])
    no_clear_pii(r, "GET detail")
    eq(expect(r, 200, "GET detail")["parties"], js["parties"], "parties read back")
    no_clear_pii(c.get("/api/v1/cases?kind=reconsideration&page_size=200"), "case list")

    # Refused registrations use no number.
    for field, bad in (("received_date", cst_date(1)), ("received_date", "2026-02-30"), ("respondent_org_id", 999999),
                       ("channel", "fax"), ("applicants", [])):
        expect_error(c.post("/api/v1/reconsiderations", recon_body("2026-03-02", **{field: bad})), 400,
                     "VALIDATION_FAILED", "registration with %s=%r" % (field, bad), field=field)
    body = recon_body("2026-03-02")
    del body["applicants"]
    expect_error(c.post("/api/v1/reconsiderations", body), 400, "VALIDATION_FAILED", "no applicants",
                 field="applicants")
    # The other accepted date spellings, normalised.
    js2 = new_reconsideration(c, "2026/3/5", amount_yuan=2800)
    eq((js2["case_no"], js2["received_date"], js2["fields"]["amount_yuan"]), ("嘉善复〔2026〕2号", "2026-03-05", 2800),
       "second case")
    js3 = new_reconsideration(c, "2026年3月6日", title="陈某不服政府信息公开答复案")
    eq((js3["case_no"], js3["received_date"], js3["title"]), ("嘉善复〔2026〕3号", "2026-03-06",
                                                               "陈某不服政府信息公开答复案"), "third case")
    S.ids["recon_titled"] = js3["id"]


@test("受理 deadline over National Day: received 2026-09-30, due 2026-10-13 (5 working days, 10-10 is a 班 Saturday)")
def t_recon_accept_deadline_holiday():
    js = new_reconsideration(staff(), "2026-09-30")
    S.ids["recon_national_day"] = js["id"]
    # Counting from Thu 10-01: 10-01..07 are 休 (国庆节), Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 is 班 (3),
    # Sun 10-11 off, Mon 10-12 (4), Tue 10-13 (5).
    check_deadline(js, "reconsideration.accept", "2026-10-13", start="2026-09-30")


@test("行政复议 ordinary procedure to each decision type: accept, send_copy, receive_answer, decide; flags and deadlines")
def t_recon_decisions():
    c = staff()
    S.ids["decided"] = {}
    for outcome, name, corrected, mediated in DECISIONS:
        cid = new_reconsideration(c, "2026-03-02")["id"]
        S.ids["decided"][outcome] = cid
        js = act_ok(c, cid, "accept", "2026-03-04", procedure="ordinary")
        eq((js["state"], js["accepted_date"], js["fields"]["procedure"]), ("accepted", "2026-03-04", "ordinary"),
           "after accept")
        check_deadline(js, "reconsideration.accept", "2026-03-09", status="met", met_date="2026-03-04")
        # 7 working days from Thu 03-05: 5, 6, 9, 10, 11, 12, 13.
        check_deadline(js, "reconsideration.copy", "2026-03-13", start="2026-03-04")
        # 60 days after 03-04 is Sun 05-03, inside 劳动节 (05-01..05 休): the next working day is Wed 05-06.
        check_deadline(js, "reconsideration.decision", "2026-05-06", start="2026-03-04")
        js = act_ok(c, cid, "send_copy", "2026/3/10")
        check_deadline(js, "reconsideration.copy", "2026-03-13", status="met", met_date="2026-03-10")
        # 10 working days from Wed 03-11: 11, 12, 13, 16, 17, 18, 19, 20, 23, 24.
        check_deadline(js, "reconsideration.answer", "2026-03-24", start="2026-03-10")
        js = act_ok(c, cid, "receive_answer", "2026年3月20日")
        check_deadline(js, "reconsideration.answer", "2026-03-24", status="met", met_date="2026-03-20")
        js = act_ok(c, cid, "decide", "2026-04-20", outcome=outcome, reason="经审理查明")
        what = "decision %s" % outcome
        eq((js["state"], js["state_name"], js["decided_date"], js["closed_date"]),
           ("decided", "已作出决定", "2026-04-20", None), what)
        eq((js["outcome"], js["outcome_name"], js["corrected"], js["mediated"], js["lost"]),
           (outcome, name, corrected, mediated, False), what + ": outcome and flags")
        check_deadline(js, "reconsideration.decision", "2026-05-06", status="met", met_date="2026-04-20")
        eq(open_rules(js), [], what + ": open deadlines")
        eq(action_codes(js), AFTER_DECISION, what + ": actions")
        eq(timeline(js), [("create", "2026-03-02", "registered"), ("accept", "2026-03-04", "accepted"),
                          ("send_copy", "2026-03-10", "accepted"), ("receive_answer", "2026-03-20", "accepted"),
                          ("decide", "2026-04-20", "decided")], what + ": timeline")
        eq(js["timeline"][-1]["detail"], "作出行政复议决定:%s(经审理查明)" % name, what + ": timeline detail")
    listed = {x["id"]: x for x in expect(c.get("/api/v1/cases?kind=reconsideration&state=decided&page_size=200"),
                                         200, "list decided")["items"]}
    for outcome, name, _, _ in DECISIONS:
        eq(listed[S.ids["decided"][outcome]]["outcome_name"], name, "outcome_name in the list")


@test("意见书 opens a 60-day reply deadline; 结案 closes the case but keeps only that deadline open; the reply meets it")
def t_recon_opinion_close():
    c = staff()
    cid = S.ids["decided"]["revoke"]
    # 60 days after Tue 04-21 is Sat 06-20, inside 端午节 (06-19..21 休): due Mon 06-22.
    js = act_ok(c, cid, "issue_opinion", "2026-04-21", content="责令被申请人规范行政处罚程序")
    check_deadline(js, "reconsideration.opinion_reply", "2026-06-22", start="2026-04-21")
    eq(js["deadlines"][-1]["name"], "意见书落实情况反馈期限", "deadline name")
    js = act_ok(c, cid, "issue_suggestion", "2026-04-22", content="建议完善执法文书")
    eq((js["fields"]["opinion_letters"], js["fields"]["suggestion_letters"], js["state"]), (1, 1, "decided"),
       "letters")
    js = act_ok(c, cid, "close", "2026-05-10")
    eq((js["state"], js["state_name"], js["closed_date"], js["decided_date"]),
       ("closed", "已结案", "2026-05-10", "2026-04-20"), "closed case")
    eq(open_rules(js), ["reconsideration.opinion_reply"], "open deadlines after close")
    eq(action_codes(js), ["issue_opinion", "issue_suggestion", "receive_opinion_reply"], "actions when closed")
    expect_error(act(c, cid, "close", "2026-05-11"), 409, "INVALID_STATE", "close twice")
    js = act_ok(c, cid, "receive_opinion_reply", "2026-06-15")
    check_deadline(js, "reconsideration.opinion_reply", "2026-06-22", status="met", met_date="2026-06-15")
    eq((js["state"], open_rules(js)), ("closed", []), "after the reply")

    cid = S.ids["decided"]["uphold"]
    js = act_ok(c, cid, "close", "2026-04-30")
    eq((js["state"], js["closed_date"], open_rules(js)), ("closed", "2026-04-30", []), "uphold case closed")


@test("终止: settlement_withdrawal (mediated) from 审理中, other_termination from 中止; wrong outcome kinds refused")
def t_recon_terminate():
    c = staff()
    cid = new_reconsideration(c, "2026-03-02")["id"]
    act_ok(c, cid, "accept", "2026-03-04", procedure="ordinary")
    expect_error(act(c, cid, "terminate", "2026-03-20", outcome="uphold", reason="和解"), 400, "VALIDATION_FAILED",
                 "terminate with a decision type", field="outcome")
    expect_error(act(c, cid, "decide", "2026-03-20", outcome="settlement_withdrawal"), 400, "VALIDATION_FAILED",
                 "decide with a termination type", field="outcome")
    expect_error(act(c, cid, "terminate", "2026-03-20", outcome="settlement_withdrawal"), 400, "VALIDATION_FAILED",
                 "terminate without reason", field="reason")
    js = act_ok(c, cid, "terminate", "2026-03-20", outcome="settlement_withdrawal", reason="双方和解,申请人撤回申请")
    eq((js["state"], js["state_name"], js["outcome"], js["outcome_name"], js["corrected"], js["mediated"],
        js["decided_date"]), ("terminated", "已终止", "settlement_withdrawal", "和解/撤回", False, True, "2026-03-20"),
       "terminated by settlement")
    check_deadline(js, "reconsideration.decision", "2026-05-06", status="met", met_date="2026-03-20")
    # The copy was never sent: its deadline (7 working days, due 03-13) stays open until 结案 cancels it.
    check_deadline(js, "reconsideration.copy", "2026-03-13")
    eq(action_codes(js), AFTER_DECISION, "actions when terminated")
    js = act_ok(c, cid, "close", "2026-03-25")
    check_deadline(js, "reconsideration.copy", "2026-03-13", status="cancelled", met_date="2026-03-25")
    eq((js["state"], open_rules(js)), ("closed", []), "closed after termination")

    cid = new_reconsideration(c, "2026-03-02")["id"]
    act_ok(c, cid, "accept", "2026-03-04", procedure="ordinary")
    js = act_ok(c, cid, "suspend", "2026-03-16", reason="申请人死亡,等待近亲属确定是否参加")
    js = act_ok(c, cid, "terminate", "2026-04-16", outcome="other_termination", reason="近亲属放弃行政复议权利")
    eq((js["state"], js["outcome"], js["outcome_name"], js["corrected"], js["mediated"], js["decided_date"]),
       ("terminated", "other_termination", "其他终止", False, False, "2026-04-16"), "terminated while suspended")
    # The pause ends with the termination, so the limit gets its date back: 03-04 + 60 days = 05-03,
    # plus the 31 paused days (03-16 .. 04-16) = 06-03, a Wednesday and a working day.
    check_deadline(js, "reconsideration.decision", "2026-06-03", status="met", met_date="2026-04-16")


@test("补正: request_correction opens a 10-working-day supplement deadline; supplement restarts the 受理 period")
def t_recon_correction():
    c = staff()
    js = new_reconsideration(c, "2026-06-15")
    cid = js["id"]
    # 5 working days from Tue 06-16: 16, 17, 18, (06-19..21 端午节 off) 22, 23.
    check_deadline(js, "reconsideration.accept", "2026-06-23")
    expect_error(act(c, cid, "request_correction", "2026-06-17"), 400, "VALIDATION_FAILED", "no items", field="items")
    js = act_ok(c, cid, "request_correction", "2026-06-17", items="请补充提交行政处罚决定书复印件")
    eq((js["state"], js["state_name"]), ("correction", "补正中"), "state after request_correction")
    check_deadline(js, "reconsideration.accept", "2026-06-23", status="met", met_date="2026-06-17")
    # 10 working days from Thu 06-18: 18 (1), 06-19..21 off, 22, 23, 24, 25, 26 (6), 29, 30, 07-01, 07-02 (10).
    check_deadline(js, "reconsideration.supplement", "2026-07-02", start="2026-06-17")
    eq(action_codes(js), ["supplement", "abandon"], "actions in correction")
    eq(js["timeline"][-1]["detail"], "通知补正:请补充提交行政处罚决定书复印件", "timeline detail")
    err = expect_error(act(c, cid, "abandon", "2026-06-25"), 409, "INVALID_STATE", "abandon before the deadline")
    check("2026-07-02" in err["message"], "message does not name the deadline: %r" % err["message"])
    js = act_ok(c, cid, "supplement", "2026-06-29")
    eq(js["state"], "registered", "state after supplement")
    check_deadline(js, "reconsideration.supplement", "2026-07-02", status="met", met_date="2026-06-29")
    # A new 受理 period: 5 working days from Tue 06-30: 06-30, 07-01, 07-02, 07-03, Mon 07-06.
    check_deadline(js, "reconsideration.accept", "2026-07-06", start="2026-06-29")
    eq(len(deadlines(js, "reconsideration.accept")), 2, "accept deadlines (the met one and the new one)")
    js = act_ok(c, cid, "accept", "2026-07-01", procedure="ordinary")
    eq([(d["start_date"], d["due_date"], d["status"], d["met_date"]) for d in deadlines(js, "reconsideration.accept")],
       [("2026-06-15", "2026-06-23", "met", "2026-06-17"), ("2026-06-29", "2026-07-06", "met", "2026-07-01")],
       "both 受理 periods met")


@test("补正 not answered: abandon refused up to the deadline (409), accepted the day after: abandoned, final (2025 case)")
def t_recon_abandon():
    c = staff()
    js = new_reconsideration(c, "2025-09-26")
    cid = js["id"]
    eq(js["case_no"], "嘉善复〔2025〕1号", "first number of 2025")
    # From Sat 09-27: Sun 09-28 is 班 (1), Mon 29 (2), Tue 30 (3), 10-01..08 休, Thu 10-09 (4), Fri 10-10 (5).
    check_deadline(js, "reconsideration.accept", "2025-10-10")
    js = act_ok(c, cid, "request_correction", "2025-09-29", items="请提交申请人身份证明")
    # 10 working days from Tue 09-30: 09-30 (1), 10-01..08 off, 10-09 (2), 10-10 (3), Sat 10-11 is 班 (4),
    # Mon 10-13 .. Fri 10-17 (5..9), Mon 10-20 (10).
    check_deadline(js, "reconsideration.supplement", "2025-10-20")
    err = expect_error(act(c, cid, "abandon", "2025-10-20"), 409, "INVALID_STATE", "abandon on the last day")
    check("2025-10-20" in err["message"], "message: %r" % err["message"])
    js = act_ok(c, cid, "abandon", "2025-10-21")
    eq((js["state"], js["state_name"], js["closed_date"]), ("abandoned", "补正逾期视为放弃", "2025-10-21"), "abandoned")
    eq((open_rules(js), action_codes(js)), ([], []), "nothing open, no actions")
    err = expect_error(act(c, cid, "supplement", "2025-10-22"), 409, "INVALID_STATE", "supplement after abandon")
    eq(err["details"]["allowed_actions"], [], "allowed actions of an abandoned case")
    S.ids["recon_abandoned"] = cid


@test("不予受理: reason required; not_accepted is final with closed_date and the 受理 deadline met")
def t_recon_reject():
    c = staff()
    cid = new_reconsideration(c, "2026-05-11")["id"]
    expect_error(act(c, cid, "reject", "2026-05-12"), 400, "VALIDATION_FAILED", "reject without reason", field="reason")
    js = act_ok(c, cid, "reject", "2026-05-12", reason="超过法定申请期限")
    eq((js["state"], js["state_name"], js["closed_date"], js["accepted_date"]),
       ("not_accepted", "不予受理", "2026-05-12", None), "rejected case")
    # 5 working days from Tue 05-12: 12, 13, 14, 15, Mon 18.
    check_deadline(js, "reconsideration.accept", "2026-05-18", status="met", met_date="2026-05-12")
    eq(js["timeline"][-1]["detail"], "决定不予受理:超过法定申请期限", "timeline detail")
    eq((open_rules(js), action_codes(js)), ([], []), "final")
    err = expect_error(act(c, cid, "accept", "2026-05-13", procedure="ordinary"), 409, "INVALID_STATE",
                       "accept after rejection")
    eq((err["details"]["state"], err["details"]["allowed_actions"]), ("not_accepted", []), "details")
    S.ids["recon_rejected"] = cid


@test("简易程序: grounds checked (400 simple_basis), 3-day copy and 30-day decision, no 延期 (409), switch to ordinary: 60 days")
def t_recon_simple():
    c = staff()
    cid = new_reconsideration(c, "2026-07-06")["id"]
    for extra, why in (({}, "no simple_basis"), ({"simple_basis": "because"}, "unknown ground"),
                       ({"simple_basis": "small_amount"}, "small_amount without an amount"),
                       ({"simple_basis": "small_amount", "amount_yuan": 3001}, "3001 yuan"),
                       ({"simple_basis": "consent"}, "consent not confirmed")):
        expect_error(act(c, cid, "accept", "2026-07-08", procedure="simple", **extra), 400, "VALIDATION_FAILED",
                     "simple procedure with %s" % why, field="simple_basis")
    js = act_ok(c, cid, "accept", "2026-07-08", procedure="simple", simple_basis="small_amount", amount_yuan=3000)
    eq((js["state"], js["fields"]["procedure"], js["timeline"][-1]["detail"]), ("accepted", "simple", "受理,适用简易程序"),
       "simple acceptance")
    # 3 working days from Thu 07-09: 9, 10, Mon 13.
    check_deadline(js, "reconsideration.copy_simple", "2026-07-13")
    # 30 days after 07-08: Fri 08-07, a working day.
    check_deadline(js, "reconsideration.decision_simple", "2026-08-07")
    eq(deadlines(js, "reconsideration.decision"), [], "no ordinary decision deadline")
    js = act_ok(c, cid, "send_copy", "2026-07-10")
    check_deadline(js, "reconsideration.copy_simple", "2026-07-13", status="met", met_date="2026-07-10")
    # 5 working days from Mon 07-13: 13, 14, 15, 16, 17.
    check_deadline(js, "reconsideration.answer_simple", "2026-07-17")
    err = expect_error(act(c, cid, "extend", "2026-07-15", days=10, approver="复议机构负责人"), 409, "INVALID_STATE",
                       "extend a simple case")
    check("简易程序" in err["message"], "message: %r" % err["message"])
    js = act_ok(c, cid, "switch_procedure", "2026-07-20", reason="案情复杂,需要调查取证")
    eq((js["fields"]["procedure"], js["timeline"][-1]["detail"]), ("ordinary", "简易程序转为普通程序:案情复杂,需要调查取证"),
       "after switch")
    check_deadline(js, "reconsideration.decision_simple", "2026-08-07", status="cancelled", met_date="2026-07-20")
    # 60 days still from acceptance: 07-08 + 60 = Sun 09-06, next working day Mon 09-07.
    check_deadline(js, "reconsideration.decision", "2026-09-07", start="2026-07-08")
    expect_error(act(c, cid, "switch_procedure", "2026-07-21", reason="再次转换"), 409, "INVALID_STATE",
                 "switch an ordinary case")
    js = act_ok(c, cid, "extend", "2026-07-21", days=10, approver="复议机构负责人")
    # 07-08 + 60 + 10 = Wed 09-16.
    check_deadline(js, "reconsideration.decision", "2026-09-16")


@test("中止 stops the decision clock (due null, paused); 恢复 after 15 days moves it 15 days; 延期 30 days once")
def t_recon_suspend_extend():
    c = staff()
    cid = new_reconsideration(c, "2026-04-01")["id"]
    js = act_ok(c, cid, "accept", "2026-04-02", procedure="ordinary")
    # 7 working days from Fri 04-03: 3 (1), 04-04..06 清明节 off, Tue 7 .. Fri 10 (2..5), Mon 13, Tue 14 (7).
    check_deadline(js, "reconsideration.copy", "2026-04-14")
    # 04-02 + 60 days = Mon 06-01.
    check_deadline(js, "reconsideration.decision", "2026-06-01")
    expect_error(act(c, cid, "extend", "2026-04-10", days=31, approver="复议机构负责人"), 400, "VALIDATION_FAILED",
                 "extend 31 days", field="days")
    expect_error(act(c, cid, "extend", "2026-04-10", days=30), 400, "VALIDATION_FAILED", "extend without approver",
                 field="approver")
    expect_error(act(c, cid, "suspend", "2026-04-20"), 400, "VALIDATION_FAILED", "suspend without reason",
                 field="reason")
    js = act_ok(c, cid, "suspend", "2026-04-20", reason="需等待相关民事案件审理结果")
    eq((js["state"], js["state_name"]), ("suspended", "中止审理"), "suspended")
    d = check_deadline(js, "reconsideration.decision", None)
    eq((d["urgency"], "days_left" in d), ("paused", False), "paused deadline")
    check_deadline(js, "reconsideration.copy", "2026-04-14")  # not pausable
    eq(action_codes(js), ["receive_answer", "resume", "terminate"], "actions while suspended")
    expect_error(act(c, cid, "decide", "2026-04-25", outcome="uphold"), 409, "INVALID_STATE", "decide while suspended")
    expect_error(act(c, cid, "suspend", "2026-04-25", reason="再次中止"), 409, "INVALID_STATE", "suspend twice")
    js = act_ok(c, cid, "resume", "2026-05-05")
    # Paused 04-20..05-04 = 15 days: 06-01 + 15 = Tue 06-16.
    eq(js["state"], "accepted", "state after resume")
    check_deadline(js, "reconsideration.decision", "2026-06-16")
    js = act_ok(c, cid, "extend", "2026-05-20", days=30, approver="县司法局局长")
    eq((js["extension_days"], js["extension_approver"]), (30, "县司法局局长"), "extension recorded")
    eq(js["timeline"][-1]["detail"], "经县司法局局长批准延期30日", "timeline detail")
    # 06-16 + 30 days = Thu 07-16.
    check_deadline(js, "reconsideration.decision", "2026-07-16")
    err = expect_error(act(c, cid, "extend", "2026-05-21", days=5, approver="县司法局局长"), 409, "INVALID_STATE",
                       "second extension")
    check("延期" in err["message"], "message: %r" % err["message"])
    js = act_ok(c, cid, "decide", "2026-07-10", outcome="uphold")
    check_deadline(js, "reconsideration.decision", "2026-07-16", status="met", met_date="2026-07-10")


@test("refused transitions: 409 INVALID_STATE with allowed_actions; dates in the future, before receipt or malformed: 400 date")
def t_recon_illegal():
    c = staff()
    cid = new_reconsideration(c, "2026-08-03")["id"]
    for action, body in (("decide", {"outcome": "uphold"}), ("approve", {}), ("send_copy", {}), ("close", {})):
        err = expect_error(act(c, cid, action, "2026-08-04", **body), 409, "INVALID_STATE",
                           "%s when registered" % action)
        eq(err["details"]["state"], "registered", "details.state")
        eq([a["code"] for a in err["details"]["allowed_actions"]], ["request_correction", "accept", "reject"],
           "allowed_actions for %s" % action)
        check("已登记待审查" in err["message"], "message does not name the state: %r" % err["message"])
    fields = {a["code"]: [f["name"] for f in a["fields"]] for a in err["details"]["allowed_actions"]}
    eq(fields["accept"], ["date", "procedure", "simple_basis", "amount_yuan", "all_parties_consent"], "accept fields")
    for date, why in ((cst_date(1), "tomorrow"), ("2026-02-30", "no such day"),
                      ("03/08/2026", "wrong format"), (None, "missing")):
        err = expect_error(act(c, cid, "accept", date, procedure="ordinary"), 400, "VALIDATION_FAILED",
                           "date %s" % why, field="date")
    err = expect_error(act(c, cid, "accept", "2026-08-02", procedure="ordinary"), 400, "VALIDATION_FAILED",
                       "before receipt", field="date")
    check("2026-08-03" in err["details"]["fields"]["date"], "message does not name the received date: %r" % err)
    expect_error(act(c, cid, "accept", "2026-08-04", procedure="fast"), 400, "VALIDATION_FAILED", "procedure fast",
                 field="procedure")
    expect_error(act(c, cid, "accept", "2026-08-04", procedure="ordinary", colour="red"), 400, "VALIDATION_FAILED",
                 "unknown field", field="colour")
    expect_error(act(c, 999999, "accept", "2026-08-04", procedure="ordinary"), 404, "NOT_FOUND", "absent case")
    js = detail(c, cid)
    eq((js["state"], timeline(js)), ("registered", [("create", "2026-08-03", "registered")]), "nothing changed")


@test("a limit reaching into 2027 (no holiday notice loaded) is provisional: accepted 2026-11-02, decision due 2027-01-01")
def t_recon_provisional():
    c = staff()
    cid = new_reconsideration(c, "2026-11-02")["id"]
    js = act_ok(c, cid, "accept", "2026-11-02", procedure="ordinary")
    S.ids["recon_provisional"] = cid
    # 7 working days from Tue 11-03: 3, 4, 5, 6, 9, 10, Wed 11: all in 2026, exact.
    check_deadline(js, "reconsideration.copy", "2026-11-11", provisional=0)
    # 11-02 + 60 days = Fri 2027-01-01; 2027 is unknown, so only weekends count as days off: provisional.
    check_deadline(js, "reconsideration.decision", "2027-01-01", provisional=1)
