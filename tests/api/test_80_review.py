"""合法性审查 (legality review): permissions of the built-in roles, submission
by staff and by a unit's liaison (its own unit only), acceptance with a review
period by subject kind (working days, a tenant setting that survives a
recomputation of deadlines), reviewers, opinions as items, the conclusion
rules, adoption of each opinion, closing, withdrawal and supplements, the
opinion letter (.docx), the list with filters, and the 嘉善 2021 figures
(15件规范性文件 with 80 opinions, 75 adopted; 政府合同20件 同比增长81.82%;
重大行政决策11件 同比增长266.67%).

Review periods are counted by hand from data/calendar/2026.csv in the comments.
"""

from legal import *  # noqa: F401,F403 (legal helpers, case helpers and the harness)

@test("permissions: staff holds every review/normdocs/decisions permission, leader the read ones, liaison reads and submits")
def t_review_permissions():
    want = {
        "staff": {"review.read", "review.submit", "review.handle", "normdocs.read", "normdocs.manage",
                  "decisions.read", "decisions.manage"},
        "leader": {"review.read", "normdocs.read", "decisions.read"},
        "liaison": {"review.read", "review.submit", "normdocs.read", "decisions.read"},
        "office": set(),
    }
    allp = set().union(*want.values())
    for user, perms in want.items():
        me = expect(session_for(user).get("/api/v1/session"), 200, "session of %s" % user)
        eq(sorted(allp & set(me["permissions"])), sorted(perms), "%s legal permissions" % user)
    cat = expect(session_for("secadmin").get("/api/v1/permissions"), 200, "permission catalogue")
    names = {p["key"]: p["name"] for p in cat["items"]} if isinstance(cat, dict) else {}
    check(not names or all(k in names for k in allp), "catalogue lacks a legal permission: %r" % names)


@test("review of a normative document: number 嘉善法审〔2026〕1号, accept opens 15 working days, reviewers, opinions, conclusion, adoption, close")
def t_review_flow():
    c = staff()
    fgj = org_by_name(FGJ)
    js = new_review(c, "normative", "嘉善县促进民营经济高质量发展的若干意见(送审稿)", FGJ, "2026-03-02",
                    description="县发改局起草,拟以县政府名义印发")
    rid = js["id"]
    S.ids["review_normative"] = rid
    CASE_NOS[rid] = js["case_no"]
    eq((js["kind"], js["kind_name"], js["case_no"], js["state"], js["state_name"]),
       ("review", "合法性审查", "嘉善法审〔2026〕1号", "submitted", "已送审待接收"), "new review")
    eq((js["org_name"], js["party_org_id"], js["party_org_name"], js["received_date"]),
       (ROOT_NAME, fgj["id"], FGJ, "2026-03-02"), "reviewing organ and submitter")
    eq(js["title"], "关于行政规范性文件《嘉善县促进民营经济高质量发展的若干意见(送审稿)》的合法性审查", "default title")
    f = js["fields"]
    eq((f["subject_kind"], f["subject_name"], f["procedure"], f["item_count"], f["reviewers"], f["opinions"]),
       ("normative", "行政规范性文件", "ordinary", 1, [], []), "review fields")
    eq(js["deadlines"], [], "no period before acceptance")
    att = expect(c.post("/api/v1/cases/%d/attachments?filename=%s" % (rid, quote("送审稿及起草说明.docx")),
                        raw=b"PK\x03\x04 draft", content_type="application/octet-stream"), 201, "attach the draft")
    eq([a["filename"] for a in detail(c, rid)["attachments"]], ["送审稿及起草说明.docx"], "the engine's attachments")
    S.ids["review_attachment"] = (rid, att["id"])
    eq(action_codes(js), ["accept", "request_materials", "add_reviewer", "remove_reviewer", "withdraw"],
       "actions of a submitted review")

    # 15 working days from Tue 03-03: 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 23, 24.
    js = act_ok(c, rid, "accept", "2026-03-03")
    eq((js["state"], js["accepted_date"]), ("reviewing", "2026-03-03"), "accepted")
    d = check_deadline(js, "review.normative", "2026-03-24", start="2026-03-03")
    eq(d["name"], "规范性文件合法性审核期限", "deadline name")
    eq(js["timeline"][-1]["detail"], "接收审查,适用一般程序,审查期限15个工作日", "accept detail")

    # Conclusion rules: a reviewer first, and 修改后合法 needs an opinion.
    expect_error(act(c, rid, "conclude", "2026-03-10", conclusion="lawful"), 409, "INVALID_STATE", "no reviewer")
    staff_id = staff_user_id()
    js = act_ok(c, rid, "add_reviewer", "2026-03-03", reviewer_type="staff", user_id=staff_id, lead=True)
    js = act_ok(c, rid, "add_reviewer", "2026-03-03", reviewer_type="legal_advisor", name="李明(浙江嘉善某律师事务所)")
    js = act_ok(c, rid, "add_reviewer", "2026-03-03", reviewer_type="justice_office",
                org_id=org_by_name(XITANG_OFFICE)["id"])
    eq([(r["type"], r["name"], r["lead"]) for r in js["fields"]["reviewers"]],
       [("staff", user_by_name("staff")["display_name"], True), ("legal_advisor", "李明(浙江嘉善某律师事务所)", False),
        ("justice_office", XITANG_OFFICE, False)], "reviewers")
    eq(js["handler_id"], staff_id, "the lead staff reviewer handles the case")
    expect_error(act(c, rid, "add_reviewer", "2026-03-03", reviewer_type="staff", user_id=staff_id), 409, "CONFLICT",
                 "the same reviewer twice")
    expect_error(act(c, rid, "add_reviewer", "2026-03-03", reviewer_type="justice_office",
                     org_id=org_by_name(FGJ)["id"]), 400, "VALIDATION_FAILED", "a department as 司法所", field="org_id")
    expect_error(act(c, rid, "add_reviewer", "2026-03-03", reviewer_type="legal_advisor"), 400, "VALIDATION_FAILED",
                 "an adviser without a name", field="name")
    adviser = js["fields"]["reviewers"][1]["id"]
    js = act_ok(c, rid, "remove_reviewer", "2026-03-04", reviewer_id=adviser, reason="回避")
    eq(len(js["fields"]["reviewers"]), 2, "reviewers after removal")
    expect_error(act(c, rid, "conclude", "2026-03-10", conclusion="lawful_after_revision"), 409, "INVALID_STATE",
                 "修改后合法 without an opinion")

    js = act_ok(c, rid, "add_opinion", "2026-03-10", content="第五条奖励标准应当明确资金来源", basis="《预算法》第十三条")
    js = act_ok(c, rid, "add_opinion", "2026-03-10", content="第八条不得设定行政许可")
    js = act_ok(c, rid, "add_opinion", "2026-03-10", content="第九条表述有误")
    ops = js["fields"]["opinions"]
    eq([(o["seq"], o["adoption"]) for o in ops], [(1, "pending"), (2, "pending"), (3, "pending")], "opinions")
    js = act_ok(c, rid, "revise_opinion", "2026-03-11", opinion_id=ops[1]["id"],
                content="第八条不得设定行政许可,建议删除", basis="《行政许可法》第十七条")
    js = act_ok(c, rid, "withdraw_opinion", "2026-03-11", opinion_id=ops[2]["id"], reason="与第二条重复")
    ops = js["fields"]["opinions"]
    eq([(o["seq"], o["content"], o["basis"]) for o in ops],
       [(1, "第五条奖励标准应当明确资金来源", "《预算法》第十三条"), (2, "第八条不得设定行政许可,建议删除", "《行政许可法》第十七条")],
       "opinions after revision and withdrawal")
    expect_error(act(c, rid, "record_adoption", "2026-03-11", opinion_id=ops[0]["id"], adoption="adopted"), 409,
                 "INVALID_STATE", "adoption before the conclusion")
    expect_error(act(c, rid, "conclude", "2026-03-12", conclusion="unlawful"), 409, "INVALID_STATE",
                 "不合法 without a reason")

    js = act_ok(c, rid, "conclude", "2026-03-12", conclusion="lawful_after_revision", note="按意见修改后可以印发",
                signer="王局长")
    eq((js["state"], js["state_name"], js["outcome"], js["outcome_name"], js["decided_date"]),
       ("concluded", "已出具审查意见", "lawful_after_revision", "修改后合法", "2026-03-12"), "concluded")
    check_deadline(js, "review.normative", "2026-03-24", status="met", met_date="2026-03-12")
    eq(js["fields"]["opinion_counts"], {"total": 2, "adopted": 0, "partly": 0, "not_adopted": 0, "pending": 2},
       "counts")
    eq(action_codes(js), ["record_adoption", "close"], "actions after the conclusion")
    expect_error(act(c, rid, "add_opinion", "2026-03-12", content="补充意见"), 409, "INVALID_STATE",
                 "an opinion after the conclusion")

    js = act_ok(c, rid, "record_adoption", "2026-03-20", opinion_id=ops[0]["id"], adoption="adopted")
    expect_error(act(c, rid, "close", "2026-03-20"), 409, "INVALID_STATE", "close with an opinion pending")
    expect_error(act(c, rid, "record_adoption", "2026-03-20", opinion_id=ops[1]["id"], adoption="not_adopted"), 400,
                 "VALIDATION_FAILED", "not adopted without a reason", field="reason")
    js = act_ok(c, rid, "record_adoption", "2026-03-20", opinion_id=ops[1]["id"], adoption="partly",
                reason="保留备案管理,删除许可表述")
    eq([(o["adoption"], o["adoption_name"], o["adoption_date"]) for o in js["fields"]["opinions"]],
       [("adopted", "采纳", "2026-03-20"), ("partly", "部分采纳", "2026-03-20")], "adoptions")
    js = act_ok(c, rid, "close", "2026-03-21")
    eq((js["state"], js["closed_date"], js["actions"]), ("closed", "2026-03-21", []), "closed")
    eq([e["action"] for e in js["timeline"]],
       ["create", "accept", "add_reviewer", "add_reviewer", "add_reviewer", "remove_reviewer", "add_opinion",
        "add_opinion", "add_opinion", "revise_opinion", "withdraw_opinion", "conclude", "record_adoption",
        "record_adoption", "close"], "timeline")
    eq(js["timeline"][11]["detail"], "出具审查意见:修改后合法,意见2条,按意见修改后可以印发", "conclusion detail")


@test("opinion letter: 合法性审查意见书 .docx with the number, addressee, conclusion, opinions with basis, reviewers, signer; 409 before the conclusion")
def t_review_letter():
    c = staff()
    rid = S.ids["review_normative"]
    raw = expect_raw(c.get("/api/v1/reviews/%d/letter.docx" % rid),
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "letter")
    text = zip_text(raw, "word/document.xml")
    for want in ("合法性审查意见书", "嘉善法审〔2026〕1号", FGJ, "2026年3月2日", "修改后合法", "按意见修改后可以印发",
                 "第五条奖励标准应当明确资金来源", "《预算法》第十三条", "第八条不得设定行政许可,建议删除", "签发人:王局长",
                 ROOT_NAME, "2026年3月12日", XITANG_OFFICE):
        check(want in text, "letter lacks %r" % want)
    check("第九条表述有误" not in text, "a withdrawn opinion is in the letter")
    other = new_review(c, "other", "关于某事项的请示", FGJ, "2026-03-02")
    expect_error(c.get("/api/v1/reviews/%d/letter.docx" % other["id"]), 409, "INVALID_STATE", "letter before conclusion")
    recon = new_reconsideration(c, "2026-03-02")
    expect_error(c.get("/api/v1/reviews/%d/letter.docx" % recon["id"]), 404, "NOT_FOUND", "letter of another kind")


@test("contracts: simple procedure (5 working days over National Day: 2026-09-29 → 10-12); simple refused for other subjects; withdraw")
def t_review_contract_simple():
    c = staff()
    js = new_review(c, "contract", "嘉善县城乡环卫一体化服务采购合同", "嘉善县综合行政执法局", "2026-09-28",
                    amount_yuan=3600000, counterparty="嘉兴某环境服务有限公司")
    eq((js["fields"]["amount_yuan"], js["fields"]["counterparty"]), (3600000.0, "嘉兴某环境服务有限公司"), "contract fields")
    # Wed 09-30 (1); 10-01..07 休; Thu 10-08 (2), Fri 10-09 (3), Sat 10-10 班 (4), Mon 10-12 (5).
    js = act_ok(c, js["id"], "accept", "2026-09-29", procedure="simple")
    eq(js["fields"]["procedure"], "simple", "procedure")
    check_deadline(js, "review.contract_simple", "2026-10-12", start="2026-09-29")
    other = new_review(c, "normative", "某规范性文件", FGJ, "2026-09-28")
    expect_error(act(c, other["id"], "accept", "2026-09-29", procedure="simple"), 400, "VALIDATION_FAILED",
                 "simple procedure for a normative document", field="procedure")
    js = act_ok(c, other["id"], "withdraw", "2026-09-30", reason="起草单位撤回修改")
    eq((js["state"], js["closed_date"], js["actions"]), ("withdrawn", "2026-09-30", []), "withdrawn")


@test("materials: 要求补充材料 cancels the period, 收到补充材料 returns to submitted, accepting again restarts it")
def t_review_supplement():
    c = staff()
    js = new_review(c, "meeting_topic", "县政府第十二次常务会议议题", GOV_OFFICE, "2026-06-01", item_count=9)
    rid = js["id"]
    # 5 working days from Tue 06-02: 3, 4, 5, 8, 9.
    js = act_ok(c, rid, "accept", "2026-06-02")
    check_deadline(js, "review.meeting_topic", "2026-06-09", start="2026-06-02")
    js = act_ok(c, rid, "request_materials", "2026-06-03", items="请补充第三项议题的起草说明")
    eq(js["state"], "supplementing", "supplementing")
    check_deadline(js, "review.meeting_topic", "2026-06-09", status="cancelled", met_date="2026-06-03")
    js = act_ok(c, rid, "supplement", "2026-06-05")
    eq((js["state"], action_codes(js)[0]), ("submitted", "accept"), "back to submitted")
    # Again from Mon 06-08: 9, 10, 11, 12, 15.
    js = act_ok(c, rid, "accept", "2026-06-08")
    check_deadline(js, "review.meeting_topic", "2026-06-15", status="open", start="2026-06-08")
    eq(js["fields"]["item_count"], 9, "topics")


@test("tenant setting: review.contract set to 8 working days applies to later acceptances and survives a calendar recomputation")
def t_review_setting():
    c = staff()
    js = expect(c.get("/api/v1/legal-settings"), 200, "settings")
    byk = {s["key"]: s for s in js["items"]}
    eq((byk["review.contract"]["value"], byk["review.contract"]["default"], byk["review.contract"]["unit"],
        byk["review.contract"]["changed"]), ("10", "10", "工作日", False), "default contract period")
    eq((byk["normdocs.number_prefix"]["value"], byk["decisions.comment_days"]["value"]), ("GFWJ", "30"),
       "other defaults")
    expect_error(session_for("liaison").put("/api/v1/legal-settings/review.contract", {"value": "8"}), 403,
                 "FORBIDDEN", "liaison changes a setting")
    expect_error(c.put("/api/v1/legal-settings/review.contract", {"value": "0"}), 400, "VALIDATION_FAILED",
                 "zero days", field="value")
    expect_error(c.put("/api/v1/legal-settings/no.such", {"value": "1"}), 404, "NOT_FOUND", "unknown setting")
    js = expect(c.put("/api/v1/legal-settings/review.contract", {"value": "8"}), 200, "set 8 days")
    eq((js["value"], js["changed"]), ("8", True), "changed")
    rid = new_review(c, "contract", "县政府与某公司合作协议", FGJ, "2026-07-01")["id"]
    # 8 working days from Wed 07-01: 2, 3, 6, 7, 8, 9, 10, 13.
    check_deadline(act_ok(c, rid, "accept", "2026-07-01"), "review.contract", "2026-07-13")
    # Putting the 2026 calendar back unchanged recomputes every open deadline: the 8 days stay.
    adm = admin()
    days = expect(adm.get("/api/v1/calendar/2026"), 200, "calendar 2026")["days"]
    expect(adm.put("/api/v1/calendar/2026", {"days": days}), 200, "recompute")
    check_deadline(detail(c, rid), "review.contract", "2026-07-13")
    expect(c.put("/api/v1/legal-settings/review.contract", {"value": "10"}), 200, "back to 10")
    check_deadline(detail(c, rid), "review.contract", "2026-07-13")


@test("liaison: submits for 西塘镇 (not for another unit, no reviewing organ), sees only its unit's reviews, cannot act; leader reads only; office has no access")
def t_review_liaison():
    lia = session_for("liaison")
    js = expect(lia.post("/api/v1/reviews", review_body("normative", "西塘镇古镇保护管理办法(送审稿)", XITANG_TOWN,
                                                        "2026-05-06")), 201, "liaison submits")
    S.ids["review_liaison"] = js["id"]
    eq((js["party_org_name"], js["org_name"], js["case_no"].startswith("嘉善法审〔2026〕")), (XITANG_TOWN, ROOT_NAME, True),
       "submitted for the town to the county")
    expect_error(lia.post("/api/v1/reviews", review_body("normative", "某文件", FGJ, "2026-05-06")), 400,
                 "VALIDATION_FAILED", "liaison submits for another unit", field="submitting_org_id")
    expect_error(lia.post("/api/v1/reviews", review_body("normative", "某文件", XITANG_TOWN, "2026-05-06",
                                                         org_id=org_by_name(XITANG_TOWN)["id"])), 403, "FORBIDDEN",
                 "liaison chooses the reviewing organ")
    items = expect(lia.get("/api/v1/reviews?page_size=200"), 200, "liaison list")["items"]
    eq([x["id"] for x in items], [js["id"]], "the liaison sees its own review only")
    expect_error(lia.get("/api/v1/cases/%d" % S.ids["review_normative"]), 403, "OUT_OF_SCOPE", "another unit's review")
    expect_error(act(lia, js["id"], "accept", "2026-05-07"), 403, "FORBIDDEN", "liaison accepts")
    rid, aid = S.ids["review_attachment"]
    expect_error(lia.get("/api/v1/cases/%d/attachments/%d" % (rid, aid)), 403, "OUT_OF_SCOPE",
                 "another unit's attachment")
    leader = session_for("leader")
    check(expect(leader.get("/api/v1/reviews?page_size=200"), 200, "leader list")["total"] >= 5, "leader sees all")
    expect_error(leader.post("/api/v1/reviews", review_body("normative", "某文件", FGJ, "2026-05-06")), 403,
                 "FORBIDDEN", "leader submits")
    expect_error(session_for("office").get("/api/v1/reviews"), 403, "FORBIDDEN", "office lists reviews")
    c = staff()
    js = act_ok(c, js["id"], "accept", "2026-05-07")
    eq(js["state"], "reviewing", "staff accepts the liaison's request")


@test("review list: filters by subject, state, conclusion, submitter, year, q and overdue; the generic case list and export know the kind")
def t_review_list():
    c = staff()
    allr = expect(c.get("/api/v1/reviews?page_size=200"), 200, "all")
    check(allr["total"] >= 6, "reviews so far: %r" % allr["total"])
    row = next(x for x in allr["items"] if x["id"] == S.ids["review_normative"])
    eq((row["subject_name"], row["conclusion"], row["conclusion_name"], row["opinions"], row["opinions_adopted"],
        row["submitting_org_name"], row["concluded_date"]),
       ("行政规范性文件", "lawful_after_revision", "修改后合法", 2, 2, FGJ, "2026-03-12"), "list row")
    by = lambda q: [x["id"] for x in expect(c.get("/api/v1/reviews?page_size=200&" + q), 200, q)["items"]]  # noqa
    check(all(x["subject_kind"] == "contract" for x in
              expect(c.get("/api/v1/reviews?subject_kind=contract&page_size=200"), 200, "contracts")["items"]),
          "subject filter")
    check(S.ids["review_normative"] in by("conclusion=lawful_after_revision") and
          S.ids["review_normative"] in by("state=closed") and S.ids["review_normative"] not in by("state=reviewing"),
          "state and conclusion filters")
    eq(by("q=" + quote("古镇保护")), [S.ids["review_liaison"]], "q on the subject title")
    eq(by("submitting_org_id=%d&year=2026" % org_by_name(XITANG_TOWN)["id"]), [S.ids["review_liaison"]],
       "submitter filter")
    eq(by("year=2019"), [], "no reviews in 2019")
    check(all(x["overdue"] for x in expect(c.get("/api/v1/reviews?overdue=1&page_size=200"), 200, "overdue")["items"]),
          "overdue filter")
    expect_error(c.get("/api/v1/reviews?year=abc"), 400, "VALIDATION_FAILED", "bad year", field="year")
    generic = expect(c.get("/api/v1/cases?kind=review&page_size=200"), 200, "generic list")
    eq(generic["total"], allr["total"], "the generic case list counts the same reviews")
    expect_raw(c.get("/api/v1/cases/export?kind=review"),
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "export")


@test("嘉善 2021 figures: 15件规范性文件, 80条意见, 75条被采纳; 政府合同20件 同比增长81.82%; 重大行政决策11件 同比增长266.67%")
def t_review_figures_2021():
    c = staff()
    # 15 normative documents: 80 opinions, 75 adopted (70 fully, 5 partly), 5 not adopted.
    for i in range(15):
        n = 6 if i < 5 else 5  # 5*6 + 10*5 = 80
        adoptions = ["adopted"] * n
        if i < 5:
            adoptions[-1] = "partly"
        if i >= 10:
            adoptions[-1] = "not_adopted"
        rid = new_review(c, "normative", "2021年规范性文件%d" % (i + 1), GOV_OFFICE, "2021-03-01")["id"]
        conclude_review(c, rid, "2021-03-15", "lawful_after_revision",
                        ["意见%d-%d" % (i + 1, k + 1) for k in range(n)], adoptions)
    for year, n in ((2021, 20), (2020, 11)):
        for i in range(n):
            rid = new_review(c, "contract", "%d年政府合同%d" % (year, i + 1), FGJ, "%d-05-06" % year)["id"]
            conclude_review(c, rid, "%d-05-10" % year, simple=(i % 2 == 0))
    for year, n in ((2021, 11), (2020, 3)):
        for i in range(n):
            rid = new_review(c, "major_decision", "%d年重大行政决策%d" % (year, i + 1), FGJ, "%d-06-01" % year)["id"]
            conclude_review(c, rid, "%d-06-15" % year)
    # Reviews concluded in 2022 do not count for 2021.
    rid = new_review(c, "contract", "2021年底送审的合同", FGJ, "2021-12-28")["id"]
    conclude_review(c, rid, "2022-01-05")
    m = figures(c, 2021)
    eq((m["review.normative_reviewed"]["value"], m["review.normative_opinions"]["value"],
        m["review.normative_opinions_adopted"]["value"]), (15, 80, 75), "15件, 80条, 75条")
    eq((m["review.contracts"]["value"], m["review.contracts"]["previous"], m["review.contracts"]["yoy"]),
       (20, 11, 81.82), "contracts with 同比")
    eq((m["review.decisions"]["value"], m["review.decisions"]["previous"], m["review.decisions"]["yoy"]),
       (11, 3, 266.67), "decisions with 同比")
    eq((m["review.total"]["value"], m["review.opinions"]["value"], m["review.opinions_adopted"]["value"],
        m["review.opinions_not_adopted"]["value"], m["review.adoption_rate"]["value"]),
       (46, 80, 75, 5, 93.75), "all reviews of 2021")
    eq(m["review.unlawful"]["value"], 0, "none unlawful")
    one = expect(c.get("/api/v1/metrics/review.contracts?org=%s&year=2021&by=month" % ROOT_DIVISION), 200, "by month")
    eq([r["value"] for r in one["rows"]][4], 20, "all 2021 contracts concluded in May")
    cat = expect(c.get("/api/v1/metric-catalog"), 200, "catalogue")
    text = dumps(cat)
    for mid in ("review.normative_reviewed", "review.opinions_adopted", "normdocs.registered", "decisions.listed"):
        check(mid in text, "catalogue lacks %s" % mid)
