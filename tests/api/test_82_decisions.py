"""重大行政决策: the yearly catalogue (published only after the party
committee approved it), decisions with their statutory steps, the hard gate
before collective discussion (no legality review, a review not concluded,
an unlawful one, earlier steps unresolved: each a 409 with a Chinese
explanation), the 30-day comment period, steps marked not applicable only
with a reason, adoption with dissent recorded, publication, archiving,
post-evaluation with its trigger, rejection and withdrawal, lists, scope and
figures.
"""

from legal import *  # noqa: F401,F403 (legal helpers, case helpers and the harness)

STEP_CODES = ["participation", "expert", "risk", "legality", "discussion", "publication", "archive", "evaluation"]
ADOPT = {"meeting": "standing", "meeting_name": "县政府第15次常务会议", "outcome": "adopted_with_changes",
         "dissent": "一名副县长建议延长过渡期", "head_opinion": "同意修改后通过"}


def new_decision(c, catalogue_id, title, lead, listed, category="public_policy", **extra):
    body = {"catalogue_id": catalogue_id, "title": title, "lead_org_id": org_by_name(lead)["id"],
            "category": category, "listed_date": listed}
    body.update(extra)
    js = expect(c.post("/api/v1/decisions", body), 201, "list decision %s" % title)
    CASE_NOS[js["id"]] = js["case_no"]
    return js


def steps(js):
    return {s["code"]: s["status"] for s in js["fields"]["steps"]}


def gate(js):
    return js["fields"]["discussion_gate"]


@test("catalogue: 2026 catalogue of the county; publication before party approval refused; one per org and year; export")
def t_decision_catalogue():
    c = staff()
    js = expect(c.post("/api/v1/decision-catalogues", {"year": 2026}), 201, "catalogue")
    S.ids["catalogue"] = js["id"]
    eq((js["title"], js["org_name"], js["status"], js["party_approved_date"], js["counts"]["listed"]),
       ("%s2026年度重大行政决策事项目录" % ROOT_NAME, ROOT_NAME, "draft", None, 0), "new catalogue")
    err = expect_error(c.patch("/api/v1/decision-catalogues/%d" % js["id"], {"published_date": "2026-02-10"}), 409,
                       "INVALID_STATE", "publish before approval")
    check("党委同意" in err["message"], "message: %r" % err["message"])
    expect_error(c.patch("/api/v1/decision-catalogues/%d" % js["id"], {"party_approved_date": "2026-02-05",
                                                                       "published_date": "2026-02-01"}),
                 400, "VALIDATION_FAILED", "published before approval", field="published_date")
    js = expect(c.patch("/api/v1/decision-catalogues/%d" % js["id"], {"party_approved_date": "2026-02-05"}), 200,
                "approved")
    eq((js["status"], js["status_name"]), ("approved", "已经党委同意"), "approved")
    js = expect(c.patch("/api/v1/decision-catalogues/%d" % js["id"], {"published_date": "2026-02-10"}), 200,
                "published")
    eq((js["status"], js["party_approved_date"], js["published_date"]), ("published", "2026-02-05", "2026-02-10"),
       "published")
    expect_error(c.post("/api/v1/decision-catalogues", {"year": 2026}), 409, "CONFLICT", "a second 2026 catalogue")
    lst = expect(c.get("/api/v1/decision-catalogues?year=2026"), 200, "catalogues")
    eq([x["id"] for x in lst["items"]], [js["id"]], "catalogue list")
    expect_error(session_for("leader").post("/api/v1/decision-catalogues", {"year": 2027}), 403, "FORBIDDEN",
                 "leader creates a catalogue")


@test("the hard gate: no review → 409 未经合法性审查; review pending → 409; 不合法 → 409; steps unresolved → 409 listing them")
def t_decision_gate():
    c = staff()
    js = new_decision(c, S.ids["catalogue"], "嘉善县城市更新三年行动计划", FGJ, "2026-02-10", category="planning",
                      description="城市有机更新")
    did = js["id"]
    S.ids["decision"] = did
    eq((js["kind"], js["case_no"], js["state"], js["state_name"], js["org_name"], js["party_org_name"]),
       ("decision", "嘉善决策〔2026〕1号", "preparing", "履行决策程序中", ROOT_NAME, FGJ), "new decision")
    eq([s["code"] for s in js["fields"]["steps"]], STEP_CODES, "steps in order")
    eq(set(steps(js).values()), {"pending"}, "all pending")
    eq((js["fields"]["category_name"], js["fields"]["catalogue"]["year"]), ("重要规划", 2026), "fields")
    eq((gate(js)["open"], gate(js)["code"]), (False, "LEGALITY_REVIEW_MISSING"), "gate closed")
    err = expect_error(act(c, did, "adopt", "2026-05-10", **ADOPT), 409, "INVALID_STATE", "adopt without a review")
    check("未经合法性审查" in err["message"] and "不得提交集体讨论" in err["message"], "message: %r" % err["message"])
    eq(err["details"]["gate"], "LEGALITY_REVIEW_MISSING", "gate code")
    expect_error(act(c, did, "defer", "2026-05-10", meeting="standing", meeting_name="第14次常务会议", dissent="无"),
                 409, "INVALID_STATE", "even a deferral is a discussion")

    contract = new_review(c, "contract", "某合同", FGJ, "2026-03-01")["id"]
    expect_error(act(c, did, "link_review", "2026-03-02", review_id=contract), 400, "VALIDATION_FAILED",
                 "a contract review", field="review_id")
    rid = new_review(c, "major_decision", "嘉善县城市更新三年行动计划(草案)", FGJ, "2026-03-01")["id"]
    js = act_ok(c, did, "link_review", "2026-03-02", review_id=rid)
    eq((js["fields"]["review"]["review_id"], steps(js)["legality"]), (rid, "pending"), "linked, not concluded")
    err = expect_error(act(c, did, "adopt", "2026-05-10", **ADOPT), 409, "INVALID_STATE", "review pending")
    eq(err["details"]["gate"], "LEGALITY_REVIEW_PENDING", "pending gate")
    conclude_review(c, rid, "2026-03-20", "unlawful")
    err = expect_error(act(c, did, "adopt", "2026-05-10", **ADOPT), 409, "INVALID_STATE", "unlawful review")
    eq(err["details"]["gate"], "LEGALITY_REVIEW_FAILED", "failed gate")
    check("不合法" in err["message"], "message: %r" % err["message"])

    rid2 = new_review(c, "major_decision", "嘉善县城市更新三年行动计划(修改稿)", FGJ, "2026-04-01")["id"]
    conclude_review(c, rid2, "2026-04-10", "lawful_after_revision", ["明确资金保障条款"], ["adopted"])
    S.ids["decision_review"] = rid2
    js = act_ok(c, did, "link_review", "2026-04-11", review_id=rid2)
    eq((steps(js)["legality"], js["fields"]["review"]["outcome_name"]), ("done", "修改后合法"), "legality passed")
    err = expect_error(act(c, did, "adopt", "2026-05-10", **ADOPT), 409, "INVALID_STATE", "steps pending")
    eq(err["details"]["gate"], "STEPS_PENDING", "steps gate")
    check("公众参与、专家论证、风险评估" in err["message"], "message: %r" % err["message"])
    eq(detail(c, rid2)["fields"]["linked"]["id"], did, "the review knows its decision")


@test("steps: comment period under 30 days needs a reason; expert; risk marked not applicable only with a reason; mandatory steps cannot be skipped")
def t_decision_steps():
    c = staff()
    did = S.ids["decision"]
    body = {"methods": "网上征求意见、座谈会", "comment_start": "2026-04-13", "comment_end": "2026-05-02"}
    expect_error(act(c, did, "participation", "2026-05-06", **body), 400, "VALIDATION_FAILED",
                 "20 days without a reason", field="short_reason")
    expect_error(act(c, did, "participation", "2026-04-30", **body), 400, "VALIDATION_FAILED",
                 "recorded before the period ends", field="comment_end")
    js = act_ok(c, did, "participation", "2026-05-06", short_reason="省定任务时间紧迫", opinions_received=37, **body)
    p = next(s for s in js["fields"]["steps"] if s["code"] == "participation")
    eq((p["status"], p["date"], p["reason"], p["fields"]["opinions_received"], p["fields"]["comment_end"]),
       ("done", "2026-05-06", "省定任务时间紧迫", 37, "2026-05-02"), "participation")
    eq(js["timeline"][-1]["detail"], "公众参与:网上征求意见、座谈会,征求意见20日(2026-04-13至2026-05-02),期限缩短理由:省定任务时间紧迫",
       "participation detail")
    js = act_ok(c, did, "expert", "2026-05-07", experts="张教授、李研究员等5人", opinion="方案总体可行")
    expect_error(act(c, did, "skip_step", "2026-05-07", step="risk"), 400, "VALIDATION_FAILED",
                 "skip without a reason", field="reason")
    expect_error(act(c, did, "skip_step", "2026-05-07", step="legality", reason="无需审查"), 400, "VALIDATION_FAILED",
                 "skip the legality review", field="step")
    expect_error(act(c, did, "skip_step", "2026-05-07", step="expert", reason="x理由"), 409, "INVALID_STATE",
                 "skip a step already done")
    expect_error(act(c, did, "skip_step", "2026-05-07", step="evaluation", reason="未触发"), 409, "INVALID_STATE",
                 "skip the evaluation before the decision")
    js = act_ok(c, did, "skip_step", "2026-05-07", step="risk", reason="不涉及社会稳定风险")
    eq((steps(js)["risk"], gate(js)["open"]), ("not_applicable", True), "gate open")
    risk = next(s for s in js["fields"]["steps"] if s["code"] == "risk")
    eq((risk["status_name"], risk["reason"]), ("不适用", "不涉及社会稳定风险"), "risk step")


@test("collective discussion: deferral keeps the decision open; adoption with dissent recorded; publish, archive, evaluate with its trigger")
def t_decision_adopt():
    c = staff()
    did = S.ids["decision"]
    js = act_ok(c, did, "defer", "2026-05-10", meeting="standing", meeting_name="县政府第14次常务会议",
                dissent="部分委员认为资金测算不足")
    eq((js["state"], steps(js)["discussion"], js["outcome"]), ("preparing", "pending", ""), "deferred")
    eq(js["timeline"][-1]["detail"], "县政府第14次常务会议(常务会议)集体讨论:暂缓决定,再次审议;不同意见:部分委员认为资金测算不足",
       "deferral detail")
    js = act_ok(c, did, "adopt", "2026-05-20", **ADOPT)
    eq((js["state"], js["outcome"], js["outcome_name"], js["decided_date"]),
       ("decided", "adopted_with_changes", "修改后通过", "2026-05-20"), "adopted")
    d = next(s for s in js["fields"]["steps"] if s["code"] == "discussion")
    eq((d["status"], d["fields"]["dissent"], d["fields"]["meeting_name"], d["fields"]["head_opinion"]),
       ("done", "一名副县长建议延长过渡期", "县政府第15次常务会议", "同意修改后通过"), "dissent recorded")
    eq(action_codes(js), ["publish", "publish_exempt"], "actions once decided")
    js = act_ok(c, did, "publish", "2026-05-25", channel="嘉善县人民政府门户网站", url="http://www.jiashan.gov.cn/")
    eq((js["state"], steps(js)["publication"]), ("implementing", "done"), "published")
    js = act_ok(c, did, "archive", "2026-06-30", archive_no="JS-JC-2026-001")
    eq((js["state"], js["state_name"], js["closed_date"], steps(js)["archive"]),
       ("archived", "已立卷归档", "2026-06-30", "done"), "archived")
    expect_error(act(c, did, "evaluate", "2026-11-01", trigger="many_opinions", evaluator="third_party",
                     conclusion="基本达到预期"), 400, "VALIDATION_FAILED", "third party unnamed", field="third_party_name")
    js = act_ok(c, did, "evaluate", "2026-11-01", trigger="many_opinions", evaluator="third_party",
                third_party_name="浙江某大学法学院", conclusion="基本达到预期,建议完善补偿标准")
    ev = next(s for s in js["fields"]["steps"] if s["code"] == "evaluation")
    eq((ev["status"], ev["fields"]["trigger"], ev["fields"]["third_party_name"]),
       ("done", "many_opinions", "浙江某大学法学院"), "evaluation")
    eq(js["timeline"][-1]["detail"], "决策后评估(公民、法人或者其他组织提出较多意见):基本达到预期,建议完善补偿标准", "evaluation detail")


@test("rejection, publication exempted with a reason, withdrawal from the catalogue; lists, catalogue detail and export; liaison scope")
def t_decision_other_paths():
    c = staff()
    cat = S.ids["catalogue"]
    passed = S.ids["decision_review"]

    def ready(title, lead):
        did = new_decision(c, cat, title, lead, "2026-02-10")["id"]
        rid = new_review(c, "major_decision", title + "(草案)", lead, "2026-03-01")["id"]
        conclude_review(c, rid, "2026-03-05")
        act_ok(c, did, "link_review", "2026-03-06", review_id=rid)
        for step in ("participation", "expert", "risk"):
            act_ok(c, did, "skip_step", "2026-03-06", step=step, reason="依法不需要")
        return did

    rej = ready("嘉善县公共停车收费调整方案", "嘉善县发展和改革局")
    js = act_ok(c, rej, "reject", "2026-03-20", meeting="plenary", meeting_name="县政府第3次全体会议", dissent="无")
    eq((js["state"], js["outcome_name"], js["closed_date"], js["actions"]),
       ("not_adopted", "不予通过", "2026-03-20", []), "rejected")
    town = ready("西塘古镇保护区交通组织调整方案", XITANG_TOWN)
    act_ok(c, town, "adopt", "2026-03-21", meeting="standing", meeting_name="县政府第9次常务会议",
           outcome="adopted", dissent="无")
    js = act_ok(c, town, "publish_exempt", "2026-03-22", reason="涉及国家秘密,依法不予公开")
    eq((js["state"], steps(js)["publication"]), ("implementing", "not_applicable"), "exempted")
    wd = new_decision(c, cat, "嘉善县某项目选址方案", FGJ, "2026-02-10", category="construction")["id"]
    js = act_ok(c, wd, "withdraw", "2026-04-01", reason="经研究不属于重大行政决策事项")
    eq(js["state"], "withdrawn", "withdrawn")
    expect_error(act(c, wd, "link_review", "2026-04-02", review_id=passed), 409, "INVALID_STATE", "after withdrawal")

    ids = lambda q: [x["id"] for x in expect(c.get("/api/v1/decisions?page_size=200&" + q), 200, q)["items"]]  # noqa
    eq(sorted(ids("catalogue_id=%d" % cat)), sorted([S.ids["decision"], rej, town, wd]), "by catalogue")
    eq(ids("state=not_adopted"), [rej], "by state")
    eq(ids("category=construction"), [wd], "by category")
    eq(ids("lead_org_id=%d" % org_by_name(XITANG_TOWN)["id"]), [town], "by lead org")
    eq(ids("q=" + quote("停车")), [rej], "by text")
    row = next(x for x in expect(c.get("/api/v1/decisions?year=2026&page_size=200"), 200, "list")["items"]
               if x["id"] == S.ids["decision"])
    eq((row["state_name"], row["outcome_name"], row["lead_org_name"], row["review_id"], row["steps_resolved"]),
       ("已立卷归档", "修改后通过", FGJ, S.ids["decision_review"], 7), "list row")
    js = expect(c.get("/api/v1/decision-catalogues/%d" % cat), 200, "catalogue detail")
    eq((js["counts"]["listed"], js["counts"]["decided"], js["counts"]["withdrawn"], len(js["decisions"])),
       (3, 2, 1, 4), "catalogue counts")
    text = zip_all_text(expect_raw(c.get("/api/v1/decision-catalogues/%d/export.xlsx" % cat),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "export"))
    check("嘉善县城市更新三年行动计划" in text and "重大行政决策事项目录" in text, "export content")

    lia = session_for("liaison")
    eq([x["id"] for x in expect(lia.get("/api/v1/decisions?page_size=200"), 200, "liaison list")["items"]], [town],
       "the liaison sees the town's decision")
    expect_error(lia.get("/api/v1/decision-catalogues/%d" % cat), 403, "OUT_OF_SCOPE", "liaison opens the catalogue")
    expect_error(act(lia, town, "archive", "2026-03-25", archive_no="X1"), 403, "FORBIDDEN", "liaison acts")
    expect_error(session_for("office").get("/api/v1/decisions"), 403, "FORBIDDEN", "office lists decisions")


@test("figures 2026: decisions listed 4, decided 2, published 1, evaluated 1; 重大行政决策合法性审查 counted by the review metrics")
def t_decision_figures():
    c = staff()
    m = figures(c, 2026)
    eq((m["decisions.listed"]["value"], m["decisions.decided"]["value"], m["decisions.published"]["value"],
        m["decisions.evaluated"]["value"]), (4, 2, 1, 1), "decision figures")
    check(m["review.decisions"]["value"] >= 4, "major decision reviews: %r" % m["review.decisions"])
