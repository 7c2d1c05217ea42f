"""行政规范性文件: registration and numbering (prefix a tenant setting), the
public comment period warning, the filing deadline in working days and the
on-time flag around National Day, the filing review result, the link to the
legality review (an unlawful or unfinished review blocks registration), full
text search in Chinese, status changes with history, expiry and filing
reminders in GET /api/v1/deadlines, cleanup batches (publication changes the
status, exports), and the 嘉善 2021 figures (部门27件备案审查: 登记26件, 不予登记
1件, 意见181条; 清理: 现行有效和拟修改177件, 废止或宣布失效49件).

Documents of the county government and its office are made only by the 2021
acceptance test, whose cleanup batch takes every one of them.
"""

from legal import *  # noqa: F401,F403 (legal helpers, case helpers and the harness)

ZJJ = "嘉善县住房和城乡建设局"
NORMDOC_ACTIONS = ["file", "filing_result", "mark_to_amend", "amend", "renew", "repeal", "expire"]


def doc_body(org, title, doc_no, issued, **extra):
    body = {"issuing_org_id": org_by_name(org)["id"], "title": title, "doc_no": doc_no, "issued_date": issued}
    body.update(extra)
    return body


def new_doc(c, org, title, doc_no, issued, **extra):
    """Register a normative document (201 asserted); its detail."""
    js = expect(c.post("/api/v1/normdocs", doc_body(org, title, doc_no, issued, **extra)), 201,
                "register %s" % title)
    CASE_NOS[js["id"]] = js["case_no"]
    return js


def codes(js):
    return [w["code"] for w in js["fields"]["warnings"]]


def search(c, q, extra=""):
    js = expect(c.get("/api/v1/normdocs?page_size=200&q=%s%s" % (quote(q), extra)), 200, "search " + q)
    return js["items"]


@test("register: GFWJ-2026-0001 by default, JSDR-2026-0002 after the prefix setting; dates, term, comment warning, filing and expiry deadlines")
def t_normdoc_register():
    c = staff()
    fgj = org_by_name(FGJ)
    js = new_doc(c, FGJ, "嘉善县促进服务业高质量发展的实施意见", "善发改〔2026〕31号", "2026-09-28",
                 effective_date="2026-10-28", validity_years=5, comment_start="2026-08-03", comment_end="2026-08-07",
                 text="为促进服务业高质量发展,制定本意见。")
    S.ids["doc_late"] = js["id"]
    eq((js["kind"], js["kind_name"], js["case_no"], js["state"], js["state_name"], js["org_id"], js["received_date"]),
       ("normdoc", "行政规范性文件", "GFWJ-2026-0001", "effective", "有效", fgj["id"], "2026-09-28"), "registered")
    f = js["fields"]
    eq((f["doc_no"], f["issued_date"], f["effective_date"], f["expiry_date"], f["affects_business"], f["review"]),
       ("善发改〔2026〕31号", "2026-09-28", "2026-10-28", "2031-10-27", False, None), "document fields")
    eq((f["comment"]["days"], f["comment"]["working_days"], f["comment"]["warning"]),
       (5, 5, "公开征求意见5个工作日,少于7个工作日"), "comment period")
    # (The machine's clock is in November 2026: the filing period has run out.)
    eq(codes(js), ["COMMENT_PERIOD_SHORT", "NO_LEGALITY_REVIEW", "FILING_OVERDUE"], "warnings")
    # 15 working days from Tue 09-29: 29 (1), 30 (2), 10-01..07 休, 10-08 (3), 10-09 (4), Sat 10-10 班 (5),
    # 12 (6), 13 (7), 14 (8), 15 (9), 16 (10), 19 (11), 20 (12), 21 (13), 22 (14), 23 (15).
    d = check_deadline(js, "normdoc.filing", "2026-10-23", start="2026-09-28")
    eq(d["name"], "报送备案期限", "filing deadline name")
    eq((f["filing"]["due_date"], f["filing"]["filed_date"], f["filing"]["on_time"]), ("2026-10-23", None, None),
       "filing before it happens")
    # The term: 2026-10-28 + 5 years - 1 day; 2031 has no holiday notice yet (provisional).
    check_deadline(js, "normdoc.expiry", "2031-10-27", start="2026-10-28", provisional=1)
    eq(action_codes(js), NORMDOC_ACTIONS, "actions of a document in force")

    expect(c.put("/api/v1/legal-settings/normdocs.number_prefix", {"value": "JSDR"}), 200, "prefix JSDR")
    expect_error(c.put("/api/v1/legal-settings/normdocs.number_prefix", {"value": "js-1"}), 400, "VALIDATION_FAILED",
                 "bad prefix", field="value")
    js = new_doc(c, FGJ, "嘉善县政府投资项目管理办法", "善发改〔2026〕32号", "2026-09-28", affects_business=True,
                 comment_start="2026-08-03", comment_end="2026-08-31")
    S.ids["doc_on_time"] = js["id"]
    eq(js["case_no"], "JSDR-2026-0002", "second number, new prefix")
    eq((js["fields"]["comment"]["days"], js["fields"]["comment"]["warning"]),
       (29, "涉及市场主体生产经营的规范性文件,公开征求意见29日,少于30日"), "business: 30 days")
    js = new_doc(c, FGJ, "2019年的一份文件", "善发改〔2019〕5号", "2019-04-01", reg_no="JSDR-2019-0005")
    eq(js["case_no"], "JSDR-2019-0005", "an older number kept")

    for field, bad in (("effective_date", "2026-09-01"), ("issued_date", cst_date(1)), ("comment_start", "2026-08-40"),
                       ("reg_no", "JSDR-2019-0005"), ("reg_no", "jsdr-2019-1"), ("issuing_org_id", 999999)):
        body = doc_body(FGJ, "某文件", "善发改〔2026〕99号", "2026-09-28", **{field: bad})
        expect_error(c.post("/api/v1/normdocs", body), 400, "VALIDATION_FAILED", "%s=%r" % (field, bad), field=field)
    expect_error(c.post("/api/v1/normdocs", doc_body(FGJ, "某文件", "x号", "2026-09-28", comment_start="2026-08-01")),
                 400, "VALIDATION_FAILED", "comment start without end", field="comment_end")
    expect_error(c.post("/api/v1/normdocs", doc_body(FGJ, "某文件", "x号", "2026-09-28", validity_years=2,
                                                     expiry_date="2027-01-01")), 400, "VALIDATION_FAILED",
                 "term twice", field="validity_years")
    expect_error(session_for("leader").post("/api/v1/normdocs", doc_body(FGJ, "某文件", "x号", "2026-09-28")), 403,
                 "FORBIDDEN", "leader registers")


@test("filing: late by 3 days (due 2026-10-23, filed 10-26), on time on the due date; the result with opinions; refused needs the opinions")
def t_normdoc_filing():
    c = staff()
    late, ok = S.ids["doc_late"], S.ids["doc_on_time"]
    expect_error(act(c, late, "filing_result", "2026-10-20", result="registered"), 409, "INVALID_STATE",
                 "result before filing")
    js = act_ok(c, late, "file", "2026-10-26", authority="嘉善县人民政府")
    f = js["fields"]["filing"]
    eq((f["authority"], f["filed_date"], f["due_date"], f["on_time"], f["days_late"]),
       ("嘉善县人民政府", "2026-10-26", "2026-10-23", False, 3), "late filing")
    check_deadline(js, "normdoc.filing", "2026-10-23", status="met", met_date="2026-10-26")
    check("FILING_LATE" in codes(js), "late warning: %r" % codes(js))
    eq(js["timeline"][-1]["detail"], "报送嘉善县人民政府备案,逾期3日(期限2026-10-23)", "timeline")
    expect_error(act(c, late, "file", "2026-10-27", authority="嘉善县人民政府"), 409, "INVALID_STATE", "file twice")
    expect_error(act(c, late, "filing_result", "2026-11-02", result="refused"), 400, "VALIDATION_FAILED",
                 "refused without opinions", field="opinion_text")
    js = act_ok(c, late, "filing_result", "2026-11-02", result="registered", opinions=2, opinion_text="两处表述不规范")
    f = js["fields"]["filing"]
    eq((f["result"], f["result_name"], f["result_date"], f["opinions"]), ("registered", "登记", "2026-11-02", 2),
       "filing result")
    expect_error(act(c, late, "filing_result", "2026-11-03", result="refused", opinion_text="x"), 409, "INVALID_STATE",
                 "result twice")
    # Counted in calendar days the limit would have been 10-13: filing on 10-23 is still on time.
    js = act_ok(c, ok, "file", "2026-10-23", authority="嘉善县人民政府")
    eq((js["fields"]["filing"]["on_time"], js["fields"]["filing"]["days_late"]), (True, 0), "on the due date")
    check("FILING_LATE" not in codes(js), "no late warning")
    js = new_doc(c, FGJ, "已报备的旧文件", "善发改〔2025〕3号", "2025-03-03", filed_date="2025-03-10",
                 filing_authority="嘉善县人民政府")
    eq((js["fields"]["filing"]["filed_date"], js["fields"]["filing"]["on_time"]), ("2025-03-10", True),
       "filed at registration")
    check_deadline(js, "normdoc.filing", "2025-03-24", status="met", met_date="2025-03-10")
    js = new_doc(c, FGJ, "从未报备的文件", "善发改〔2025〕4号", "2025-03-03")
    S.ids["doc_unfiled"] = js["id"]
    check("FILING_OVERDUE" in codes(js), "overdue warning: %r" % codes(js))


@test("legality review link: an unfinished or unlawful review blocks registration (409); a lawful one is linked both ways; a contract review is refused")
def t_normdoc_review_link():
    c = staff()
    rid = new_review(c, "normative", "嘉善县物业管理办法(送审稿)", ZJJ, "2026-04-01")["id"]
    body = doc_body(ZJJ, "嘉善县物业管理办法", "善建〔2026〕8号", "2026-05-08", review_id=rid)
    err = expect_error(c.post("/api/v1/normdocs", body), 409, "INVALID_STATE", "review not concluded")
    eq(err["details"]["review_id"], rid, "details name the review")
    js = conclude_review(c, rid, "2026-04-20", "lawful_after_revision", ["第三条应删除收费条款"], ["adopted"])
    doc = new_doc(c, ZJJ, "嘉善县物业管理办法", "善建〔2026〕8号", "2026-05-08", review_id=rid)
    eq((doc["fields"]["review"]["id"], doc["fields"]["review"]["outcome_name"]), (rid, "修改后合法"), "linked review")
    check("NO_LEGALITY_REVIEW" not in codes(doc), "no missing-review warning")
    linked = detail(c, rid)["fields"]["linked"]
    eq((linked["id"], linked["kind"]), (doc["id"], "normdoc"), "the review knows its document")
    bad = new_review(c, "normative", "违法设定罚款的文件", ZJJ, "2026-04-01")["id"]
    conclude_review(c, bad, "2026-04-10", "unlawful")
    expect_error(c.post("/api/v1/normdocs", doc_body(ZJJ, "违法设定罚款的文件", "善建〔2026〕9号", "2026-05-08",
                                                     review_id=bad)), 409, "INVALID_STATE", "unlawful review")
    contract = new_review(c, "contract", "某合同", ZJJ, "2026-04-01")["id"]
    conclude_review(c, contract, "2026-04-02")
    expect_error(c.post("/api/v1/normdocs", doc_body(ZJJ, "某文件", "善建〔2026〕10号", "2026-05-08",
                                                     review_id=contract)), 400, "VALIDATION_FAILED",
                 "a contract review", field="review_id")


@test("full-text search in Chinese: 4 and 3 characters through the trigram index, 1 and 2 characters by a scan, LIKE wildcards and ASCII case, numbers, excerpts; a renamed title is found")
def t_normdoc_search():
    c = staff()
    a = new_doc(c, "嘉兴市生态环境局嘉善分局", "关于加强生态环境保护工作的实施意见", "善环〔2026〕2号", "2026-02-02",
                text="为进一步加强生态环境保护,推进美丽嘉善建设,结合本县实际,提出如下意见。")["id"]
    b = new_doc(c, "嘉善县农业农村局", "嘉善县农村宅基地管理办法", "善农〔2026〕7号", "2026-02-03",
                text="第一条 为规范农村宅基地管理,保障农民合法权益,制定本办法。")["id"]
    d = new_doc(c, FGJ, "关于促进数字经济发展的若干政策", "善发改〔2026〕9号", "2026-02-04",
                text="支持企业开展节能环保技术改造,对数字化项目给予补助。")["id"]
    hits = search(c, "生态环境")
    eq([x["id"] for x in hits], [a], "生态环境")
    check("【生态环境" in hits[0]["excerpt"] or "【生态环境】" in hits[0]["excerpt"], "excerpt: %r" % hits[0]["excerpt"])
    eq([x["id"] for x in search(c, "宅基地")], [b], "宅基地 (3 characters)")
    hits = search(c, "环保")
    eq([x["id"] for x in hits], [d], "环保 (2 characters, LIKE)")
    check("【环保】" in hits[0]["excerpt"], "LIKE excerpt: %r" % hits[0]["excerpt"])
    eq([x["id"] for x in search(c, "善农〔2026〕7号")], [b], "by 文号")
    eq(search(c, "量子计算机"), [], "nothing")
    eq([x["id"] for x in search(c, "美丽嘉善建设")], [a], "a phrase of the text")
    eq(search(c, '"生态" OR 宅'), [], "FTS syntax in the query is plain text")
    # One and two characters (common in Chinese) cannot use a trigram index: the same rows by a scan.
    eq([x["id"] for x in search(c, "宅")], [b], "宅 (1 character)")
    eq([x["id"] for x in search(c, "宅基")], [b], "宅基 (2 characters)")
    e = new_doc(c, FGJ, "嘉善县政府和社会资本合作项目管理办法", "善发改〔2026〕11号", "2026-02-05",
                text="对采用PPP模式的项目,政府补助不超过总投资的50%。")["id"]
    for q in ("ppp", "Pp", "PPP模式", "50%", "%"):
        eq([x["id"] for x in search(c, q)], [e], "%s: ASCII case ignored, %% is a plain character" % q)
    check("【PPP】" in search(c, "ppp")[0]["excerpt"], "excerpt of a case-insensitive hit: %r" % search(c, "ppp"))
    for q in ("5_%", "_", "P_P", "\\"):
        eq(search(c, q), [], "%s: _ and \\ are plain characters" % q)
    js = expect(c.patch("/api/v1/normdocs/%d" % d, {"title": "关于促进数字经济和农村电商发展的若干政策"}), 200, "rename")
    eq((js["title"], js["timeline"][-1]["action"]), ("关于促进数字经济和农村电商发展的若干政策", "correct"), "renamed")
    eq([x["id"] for x in search(c, "农村电商")], [d], "the index follows the new title")
    expect(c.patch("/api/v1/normdocs/%d" % b, {"text": "第一条 为规范农村住房建设管理,制定本办法。"}), 200, "new text")
    eq([x["id"] for x in search(c, "保障农民合法权益")], [], "old text no longer found")
    eq([x["id"] for x in search(c, "农村住房建设")], [b], "new text found")
    eq(search(session_for("liaison"), "生态环境"), [], "outside the liaison's scope")


@test("status with history: 拟修改 → 继续有效 → 已修改 → 重新公布 (new term, new expiry reminder) → 废止 (deadlines cancelled, only the filing result left)")
def t_normdoc_status():
    c = staff()
    js = new_doc(c, FGJ, "嘉善县人才引进若干规定", "善发改〔2026〕12号", "2026-01-05", expiry_date="2026-12-31")
    did = js["id"]
    check_deadline(js, "normdoc.expiry", "2026-12-31", start="2026-01-05")
    js = act_ok(c, did, "mark_to_amend", "2026-03-01", reason="上位法修改")
    eq((js["state"], action_codes(js)), ("to_amend", ["file", "filing_result", "keep", "amend", "renew", "repeal",
                                                      "expire"]), "to amend")
    js = act_ok(c, did, "keep", "2026-03-05", reason="经评估无需修改")
    eq(js["state"], "effective", "kept")
    js = act_ok(c, did, "amend", "2026-04-01", reason="依据2026年修正案修改第三条")
    eq((js["state"], js["state_name"]), ("amended", "已修改"), "amended")
    expect_error(act(c, did, "renew", "2026-04-02", expiry_date="2026-04-01", reason="x理由"), 400, "VALIDATION_FAILED",
                 "a term ending before the renewal", field="expiry_date")
    js = act_ok(c, did, "renew", "2026-04-02", expiry_date="2028-12-31", reason="评估后重新公布")
    eq(js["fields"]["expiry_date"], "2028-12-31", "new term")
    check_deadline(js, "normdoc.expiry", "2026-12-31", status="cancelled", met_date="2026-04-02")
    # 2028-12-31 is a Sunday of a year without a holiday notice yet: the next weekday, provisionally.
    check_deadline(js, "normdoc.expiry", "2029-01-01", status="open", start="2026-01-05", provisional=1)
    js = act_ok(c, did, "repeal", "2026-05-01", reason="被新规定替代")
    eq((js["state"], js["state_name"], js["closed_date"], open_rules(js), action_codes(js)),
       ("repealed", "废止", "2026-05-01", [], ["filing_result"]), "repealed")
    eq([(e["action"], e["to_state"]) for e in js["timeline"]],
       [("create", "effective"), ("mark_to_amend", "to_amend"), ("keep", "effective"), ("amend", "amended"),
        ("renew", "amended"), ("repeal", "repealed")], "history")
    expect_error(act(c, did, "mark_to_amend", "2026-05-02", reason="x理由"), 409, "INVALID_STATE", "after repeal")
    S.ids["doc_repealed"] = did


@test("reminders: GET /api/v1/deadlines lists filing and expiry deadlines of documents in the case items' shape, within scope and permission")
def t_normdoc_deadlines():
    c = staff()
    soon = new_doc(c, ZJJ, "嘉善县城镇燃气管理暂行办法", "善建〔2026〕3号", "2026-01-10", expiry_date=cst_date(30),
                   filed_date="2026-01-20", filing_authority="嘉善县人民政府")
    town = new_doc(c, XITANG_TOWN, "西塘镇河道保洁管理办法", "西政发〔2026〕2号", cst_date(-2))
    items = expect(c.get("/api/v1/deadlines?within=60"), 200, "deadlines")["items"]
    mine = [i for i in items if i["case_id"] in (soon["id"], town["id"])]
    eq(sorted((i["case_id"], i["rule"], i["kind"], i["kind_name"]) for i in mine),
       sorted([(soon["id"], "normdoc.expiry", "normdoc", "行政规范性文件"),
               (town["id"], "normdoc.filing", "normdoc", "行政规范性文件")]), "document reminders")
    shapes = {tuple(sorted(i)) for i in items}
    eq(len(shapes), 1, "one shape for every reminder")
    exp = next(i for i in mine if i["rule"] == "normdoc.expiry")
    eq((exp["name"], exp["case_no"], exp["title"]), ("有效期届满", soon["case_no"], "嘉善县城镇燃气管理暂行办法"), "expiry item")
    lia = expect(session_for("liaison").get("/api/v1/deadlines?within=60"), 200, "liaison deadlines")["items"]
    eq([i["case_id"] for i in lia if i["kind"] == "normdoc"], [town["id"]], "liaison sees its town's document")
    off = expect(session_for("office").get("/api/v1/deadlines?within=366"), 200, "office deadlines")["items"]
    eq([i for i in off if i["kind"] == "normdoc"], [], "no normdocs.read, no document reminders")
    code, out, err = run_cli("deadlines", "--db", S.db, "--within", "60")
    eq(code, 0, "fazhi deadlines: " + err)
    check(soon["case_no"] in out and "有效期届满" in out, "the CLI lists the expiry: %s" % out[-800:])


@test("register list: filters by state, in force, org, year, filing (unfiled / late / registered), expiring; paging; .xlsx export")
def t_normdoc_list():
    c = staff()
    ids = lambda q: [x["id"] for x in expect(c.get("/api/v1/normdocs?page_size=200&" + q), 200, q)["items"]]  # noqa
    fgj = org_by_name(FGJ)["id"]
    check(S.ids["doc_repealed"] in ids("state=repealed") and S.ids["doc_repealed"] not in ids("current=1"),
          "state and in-force filters")
    check(all(x in ids("org_id=%d" % fgj) for x in (S.ids["doc_late"], S.ids["doc_on_time"])), "org filter")
    check(S.ids["doc_late"] in ids("year=2026") and S.ids["doc_late"] not in ids("year=2025"), "year filter")
    late = ids("filing=late")
    check(S.ids["doc_late"] in late and S.ids["doc_unfiled"] in late and S.ids["doc_on_time"] not in late,
          "late filter: %r" % late)
    check(S.ids["doc_unfiled"] in ids("filing=unfiled") and S.ids["doc_late"] in ids("filing=registered"),
          "unfiled and registered filters")
    exp = ids("expiring=60")
    check(exp and S.ids["doc_late"] not in exp, "expiring filter: %r" % exp)
    row = next(x for x in expect(c.get("/api/v1/normdocs?page_size=200"), 200, "list")["items"]
               if x["id"] == S.ids["doc_late"])
    eq((row["reg_no"], row["doc_no"], row["filed_date"], row["filing_due"], row["filed_on_time"], row["state_name"]),
       ("GFWJ-2026-0001", "善发改〔2026〕31号", "2026-10-26", "2026-10-23", False, "有效"), "list row")
    p1 = expect(c.get("/api/v1/normdocs?page_size=2&page=1"), 200, "page 1")
    p2 = expect(c.get("/api/v1/normdocs?page_size=2&page=2"), 200, "page 2")
    eq((len(p1["items"]), p1["total"] == p2["total"], set(x["id"] for x in p1["items"]) & set(x["id"] for x in p2["items"])),
       (2, True, set()), "paging")
    expect_error(c.get("/api/v1/normdocs?filing=maybe"), 400, "VALIDATION_FAILED", "bad filing filter", field="filing")
    raw = expect_raw(c.get("/api/v1/normdocs/export?filing=late"),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "export")
    text = zip_all_text(raw)
    check("GFWJ-2026-0001" in text and "行政规范性文件登记簿" in text, "export content")


@test("cleanup batch: every document in force of the org, decisions with reasons, publish refused until all decided, then statuses change; exports")
def t_normdoc_cleanup():
    c = staff()
    zjj = org_by_name(ZJJ)
    existing = [x["id"] for x in expect(c.get("/api/v1/normdocs?current=1&page_size=200&org_id=%d" % zjj["id"]), 200,
                                        "ZJJ docs")["items"]]
    a = new_doc(c, ZJJ, "嘉善县建筑垃圾管理办法", "善建〔2020〕1号", "2020-03-02")["id"]
    b = new_doc(c, ZJJ, "嘉善县住房公积金管理细则", "善建〔2020〕2号", "2020-03-03")["id"]
    d = new_doc(c, ZJJ, "嘉善县老旧小区改造实施办法", "善建〔2020〕3号", "2020-03-04")["id"]
    e = new_doc(c, ZJJ, "嘉善县商品房预售资金监管办法", "善建〔2020〕4号", "2020-03-05")["id"]
    act_ok(c, b, "mark_to_amend", "2021-01-04", reason="需与新条例衔接")
    js = expect(c.post("/api/v1/normdoc-cleanups", {"org_id": zjj["id"], "started_date": "2026-06-01"}), 201, "batch")
    bid = js["id"]
    eq((js["title"], js["status"], js["counts"]["total"], js["counts"]["undecided"]),
       ("%s2026年行政规范性文件清理" % ZJJ, "draft", len(existing) + 4, len(existing) + 4), "new batch")
    expect_error(c.post("/api/v1/normdoc-cleanups", {"org_id": zjj["id"], "started_date": "2026-06-01"}), 409,
                 "INVALID_STATE", "every document is already in a batch")
    expect_error(c.put("/api/v1/normdoc-cleanups/%d/items" % bid, {"items": [{"doc_id": b, "decision": "repeal"}]}),
                 400, "VALIDATION_FAILED", "repeal without a reason", field="items")
    expect_error(c.put("/api/v1/normdoc-cleanups/%d/items" % bid,
                       {"items": [{"doc_id": S.ids["doc_late"], "decision": "keep"}]}), 400, "VALIDATION_FAILED",
                 "a document of another org", field="items")
    items = [{"doc_id": a, "decision": "keep"}, {"doc_id": b, "decision": "keep", "reason": "经评估继续有效"},
             {"doc_id": d, "decision": "repeal", "reason": "改造任务已完成"}]
    items += [{"doc_id": x, "decision": "keep"} for x in existing]
    js = expect(c.put("/api/v1/normdoc-cleanups/%d/items" % bid, {"items": items}), 200, "decisions")
    eq((js["counts"]["keep"], js["counts"]["repeal"], js["counts"]["undecided"]), (2 + len(existing), 1, 1), "counts")
    err = expect_error(c.post("/api/v1/normdoc-cleanups/%d/publish" % bid, {"date": "2026-06-30"}), 409,
                       "INVALID_STATE", "publish with one undecided")
    eq(err["details"]["undecided"], 1, "undecided count")
    expect(c.put("/api/v1/normdoc-cleanups/%d/items" % bid,
                 {"items": [{"doc_id": e, "decision": "expire", "reason": "有效期届满"}]}), 200, "last decision")
    expect_error(c.post("/api/v1/normdoc-cleanups/%d/publish" % bid, {"date": "2026-05-31"}), 400, "VALIDATION_FAILED",
                 "before the start", field="date")
    js = expect(c.post("/api/v1/normdoc-cleanups/%d/publish" % bid, {"date": "2026-06-30"}), 200, "publish")
    eq((js["status"], js["published_date"], js["changed"], js["skipped"]), ("published", "2026-06-30", 3, 0),
       "published")
    states = {x: detail(c, x)["state"] for x in (a, b, d, e)}
    eq(states, {a: "effective", b: "effective", d: "repealed", e: "expired"}, "statuses after publication")
    dj = detail(c, d)
    eq((dj["timeline"][-1]["action"], dj["timeline"][-1]["event_date"], dj["closed_date"]),
       ("cleanup", "2026-06-30", "2026-06-30"), "cleanup event")
    eq(dj["timeline"][-1]["detail"], "%s2026年行政规范性文件清理:废止,改造任务已完成" % ZJJ, "event detail")
    eq(detail(c, a)["fields"]["cleanups"][0]["decision_name"], "继续有效", "the document lists its cleanups")
    expect_error(c.put("/api/v1/normdoc-cleanups/%d/items" % bid, {"items": [{"doc_id": a, "decision": "keep"}]}),
                 409, "INVALID_STATE", "edit after publication")
    expect_error(c.post("/api/v1/normdoc-cleanups/%d/publish" % bid, {"date": "2026-07-01"}), 409, "INVALID_STATE",
                 "publish twice")
    text = zip_all_text(expect_raw(c.get("/api/v1/normdoc-cleanups/%d/export.xlsx" % bid),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"))
    check("嘉善县老旧小区改造实施办法" in text and "废止" in text and "改造任务已完成" in text, "xlsx content")
    text = zip_text(expect_raw(c.get("/api/v1/normdoc-cleanups/%d/export.docx" % bid),
                               "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
                    "word/document.xml")
    for want in ("继续有效的行政规范性文件目录(%d件)" % (2 + len(existing)), "决定废止的行政规范性文件目录(1件)",
                 "宣布失效的行政规范性文件目录(1件)", "嘉善县商品房预售资金监管办法", "2026年6月30日"):
        check(want in text, "docx lacks %r" % want)
    # A second batch takes the documents still in force; one repealed meanwhile is skipped at publication.
    js = expect(c.post("/api/v1/normdoc-cleanups", {"org_id": zjj["id"], "started_date": "2026-07-01",
                                                    "title": "住建局涉企文件专项清理"}), 201, "second batch")
    eq(sorted(x["doc_id"] for x in js["items"]), sorted(existing + [a, b]), "documents in force")
    act_ok(c, a, "repeal", "2026-07-02", reason="专项清理前已废止")
    expect(c.put("/api/v1/normdoc-cleanups/%d/items" % js["id"],
                 {"items": [{"doc_id": x, "decision": "keep"} for x in existing + [a, b]]}), 200, "decide all")
    js = expect(c.post("/api/v1/normdoc-cleanups/%d/publish" % js["id"], {"date": "2026-07-03"}), 200, "publish 2")
    eq((js["changed"], js["skipped"]), (0, 1), "skipped the repealed one")
    lst = expect(c.get("/api/v1/normdoc-cleanups?status=published"), 200, "batches")
    check(lst["total"] >= 2 and all(x["status"] == "published" for x in lst["items"]), "batch list")
    expect_error(session_for("liaison").get("/api/v1/normdoc-cleanups/%d" % bid), 403, "OUT_OF_SCOPE",
                 "liaison opens another org's batch")


@test("嘉善 2021: 部门27件备案审查 (登记26件, 不予登记1件, 意见181条); 县政府及县府办226件清理: 现行有效和拟修改177件, 废止或宣布失效49件")
def t_normdoc_figures_2021():
    c = staff()
    depts = ["嘉善县发展和改革局", "嘉善县教育局", "嘉善县民政局", "嘉善县财政局", "嘉善县人力资源和社会保障局",
             "嘉善县交通运输局", "嘉善县卫生健康局", "嘉善县应急管理局", "嘉善县市场监督管理局"]
    for i in range(27):
        js = new_doc(c, depts[i % len(depts)], "2021年部门规范性文件%d" % (i + 1), "善部〔2021〕%d号" % (i + 1),
                     "2021-09-28")
        # Due 2021-10-25 (15 working days over National Day); two are filed late.
        act_ok(c, js["id"], "file", "2021-10-26" if i < 2 else "2021-10-22", authority="嘉善县人民政府")
        if i == 26:
            act_ok(c, js["id"], "filing_result", "2021-11-10", result="refused", opinions=6,
                   opinion_text="违法设定行政许可")
        else:
            act_ok(c, js["id"], "filing_result", "2021-11-10", result="registered", opinions=0 if i == 25 else 7)
    gov, office = org_by_name(ROOT_NAME), org_by_name(GOV_OFFICE)
    docs = []
    for i in range(226):
        org = ROOT_NAME if i < 120 else GOV_OFFICE
        docs.append(new_doc(c, org, "县政府规范性文件%d" % (i + 1), "善政发〔%d〕%d号" % (2015 + i % 6, i + 1),
                            "%d-0%d-1%d" % (2015 + i % 6, 1 + i % 9, i % 10))["id"])
    js = expect(c.post("/api/v1/normdoc-cleanups", {"org_id": gov["id"], "started_date": "2021-06-01",
                                                    "issuer_org_ids": [gov["id"], office["id"]],
                                                    "title": "嘉善县人民政府2021年行政规范性文件全面清理"}), 201, "batch")
    eq(js["counts"]["total"], 226, "every document of the government and its office")
    plan = ["keep"] * 150 + ["amend"] * 27 + ["repeal"] * 40 + ["expire"] * 9
    items = [{"doc_id": d, "decision": p, "reason": None if p == "keep" else "清理意见"} for d, p in zip(docs, plan)]
    for it in items:
        if it["reason"] is None:
            del it["reason"]
    expect(c.put("/api/v1/normdoc-cleanups/%d/items" % js["id"], {"items": items}), 200, "226 decisions")
    pub = expect(c.post("/api/v1/normdoc-cleanups/%d/publish" % js["id"], {"date": "2021-09-30"}), 200, "publish")
    eq(pub["changed"], 76, "27 to amend, 40 repealed, 9 expired")
    m = figures(c, 2021)
    got = {k: m[k]["value"] for k in ("normdocs.filed", "normdocs.filed_on_time", "normdocs.filing_timeliness",
                                      "normdocs.filing_reviewed", "normdocs.registered", "normdocs.refused",
                                      "normdocs.filing_opinions", "normdocs.cleaned", "normdocs.current",
                                      "normdocs.to_amend", "normdocs.repealed", "normdocs.issued")}
    eq(got, {"normdocs.filed": 27, "normdocs.filed_on_time": 25, "normdocs.filing_timeliness": 92.59,
             "normdocs.filing_reviewed": 27, "normdocs.registered": 26, "normdocs.refused": 1,
             "normdocs.filing_opinions": 181, "normdocs.cleaned": 226, "normdocs.current": 177,
             "normdocs.to_amend": 27, "normdocs.repealed": 49, "normdocs.issued": 27}, "2021 figures")
    eq(figures(c, 2020)["normdocs.current"]["value"], 0, "no cleanup published in 2020")
    current = expect(c.get("/api/v1/normdocs?current=1&org_id=%d&page_size=1" % gov["id"]), 200, "in force")["total"]
    eq(current, 120 - sum(1 for p in plan[:120] if p in ("repeal", "expire")), "the government's documents in force")
