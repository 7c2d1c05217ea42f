"""The metric engine and the annual report, end to end (issue: metrics and report).

The acceptance test loads ledgers that reproduce the 嘉善 2021 report's
reconsideration and litigation year through the import API, then checks the
figures of GET /api/v1/metrics and the text of the rendered report:
168件, 同比增长15.86%, 0.98%, 44.93%, 23.53%, 100%. The data, by design:

行政复议 (县政府 = the demo root, the reconsideration body):
  2020: 145 applications received and decided in 2020.
  2021: 138 received and decided by the county government (5 撤销, 62 调解,
        71 维持), 9 received and still under review, and 21 received and
        decided by the 县司法局 (a child org): received 168 (yoy (168-145)/145 =
        15.86%), concluded 159, county government 62/138 = 44.93%.
行政应诉 (defendant = the county government):
  28 filed in 2020, open on 2021-01-01, decided in 2021 on appeal (二审);
  190 filed in 2021: 102 first instance decided in 2021 (1 撤销 = lost,
  24 原告撤诉/调解, 77 驳回诉讼请求; 56 heard with the head of agency in
  court), 57 二审 decided in 2021, 31 still open.
  => total 218, carried over 28, new 190, concluded 187, first instance 102,
  lost 1 (0.98%), mediated 24 (23.53%), hearings 56, head appeared 56 (100%).
"""

import os
import shutil
import subprocess

from harness import *  # noqa: F401,F403
from cases import staff

ROOT = "嘉善县人民政府"
BUREAU = "嘉善县司法局"
RESPONDENT = "嘉善县市场监督管理局"


def csv_bytes(rows):
    return ("\n".join(",".join(r) for r in rows) + "\n").encode("utf-8")


def day(year, i):
    """A date of the year spread over its first eleven months (i >= 0)."""
    return "%04d-%02d-%02d" % (year, 1 + (i // 28) % 11, 1 + i % 28)


def recon_rows_root():
    rows = [["案号", "收到申请日期", "申请人", "被申请人", "受理情况", "受理日期", "程序", "决定类型", "结案日期"]]
    n = 0
    for i in range(145):  # 2020: received and decided in 2020
        n += 1
        rows.append(["嘉善复〔2020〕%d号" % n, day(2020, i), "申请人甲%d" % i, RESPONDENT, "受理", day(2020, i), "普通",
                     "维持", "2020-12-20"])
    n = 0
    kinds = ["撤销"] * 5 + ["调解"] * 62 + ["维持"] * 71
    for i, k in enumerate(kinds):  # 2021: 138 decided by the county government
        n += 1
        rows.append(["嘉善复〔2021〕%d号" % n, day(2021, i), "申请人乙%d" % i, RESPONDENT, "受理", day(2021, i), "普通",
                     k, "2021-12-20"])
    for i in range(9):  # 2021: still under review
        n += 1
        rows.append(["嘉善复〔2021〕%d号" % n, day(2021, 200 + i), "申请人丙%d" % i, RESPONDENT, "受理",
                     day(2021, 200 + i), "普通", "", ""])
    return rows


def recon_rows_bureau():
    rows = [["收到申请日期", "申请人", "被申请人", "受理情况", "受理日期", "决定类型", "结案日期"]]
    for i in range(21):
        rows.append([day(2021, i), "申请人丁%d" % i, RESPONDENT, "受理", day(2021, i), "驳回复议请求", "2021-12-21"])
    return rows


def litigation_rows():
    rows = [["案号", "审级", "法院", "被告", "立案日期", "上年结转", "是否开庭", "负责人出庭", "裁判结果", "结案日期"]]
    n = 0

    def add(instance, filed, result, closed, carried="否", heard="否", head="否"):
        nonlocal n
        n += 1
        rows.append(["(%s)浙0421行%s%d号" % (filed[:4], "初" if instance == "一审" else "终", n), instance,
                     "嘉善县人民法院" if instance == "一审" else "嘉兴市中级人民法院", ROOT, filed, carried, heard, head,
                     result, closed])

    for i in range(28):
        add("二审", "2020-12-%02d" % (1 + i % 28), "驳回诉讼请求", "2021-06-30", carried="是")
    first = ["撤销"] + ["原告撤诉"] * 14 + ["调解"] * 10 + ["驳回诉讼请求"] * 77
    for i, result in enumerate(first):
        heard = "是" if i < 56 else "否"
        add("一审", day(2021, i), result, "2021-12-10", heard=heard, head=heard)
    for i in range(57):
        add("二审", day(2021, 120 + i), "驳回诉讼请求", "2021-12-15")
    for i in range(31):
        add("一审", day(2021, 180 + i), "", "")
    return rows


def import_csv(c, kind, org_id, rows, what):
    r = c.post("/api/v1/import/%s?org=%d" % (kind, org_id), raw=csv_bytes(rows), content_type="text/csv")
    js = expect(r, 201, what)
    eq(js["imported"], len(rows) - 1, what + ": cases imported")


def figures(c, year, org="330421"):
    return expect(c.get("/api/v1/metrics?org=%s&year=%d" % (org, year)), 200, "metrics %d" % year)["metrics"]


@test("acceptance: the 嘉善 2021 year imported from ledgers gives the report's figures")
def t_jiashan_2021_figures():
    c = staff()
    root, bureau = org_by_name(ROOT), org_by_name(BUREAU)
    import_csv(c, "reconsideration", root["id"], recon_rows_root(), "import 县政府 reconsideration ledger")
    import_csv(c, "reconsideration", bureau["id"], recon_rows_bureau(), "import 县司法局 reconsideration ledger")
    import_csv(c, "litigation", root["id"], litigation_rows(), "import litigation ledger")
    m = figures(c, 2021)
    got = {k: m[k]["value"] for k in (
        "reconsideration.received", "reconsideration.concluded", "reconsideration.self_concluded",
        "reconsideration.self_mediated", "reconsideration.self_mediation_rate", "reconsideration.self_corrected",
        "litigation.total", "litigation.carried_over", "litigation.new", "litigation.concluded",
        "litigation.first_instance_concluded", "litigation.lost", "litigation.loss_rate", "litigation.mediated",
        "litigation.mediation_rate", "litigation.hearings", "litigation.head_appeared",
        "litigation.head_appearance_rate")}
    eq(got, {"reconsideration.received": 168, "reconsideration.concluded": 159,
             "reconsideration.self_concluded": 138, "reconsideration.self_mediated": 62,
             "reconsideration.self_mediation_rate": 44.93, "reconsideration.self_corrected": 5,
             "litigation.total": 218, "litigation.carried_over": 28, "litigation.new": 190,
             "litigation.concluded": 187, "litigation.first_instance_concluded": 102, "litigation.lost": 1,
             "litigation.loss_rate": 0.98, "litigation.mediated": 24, "litigation.mediation_rate": 23.53,
             "litigation.hearings": 56, "litigation.head_appeared": 56, "litigation.head_appearance_rate": 100},
       "2021 figures")
    eq((m["reconsideration.received"]["previous"], m["reconsideration.received"]["yoy"]), (145, 15.86),
       "received: previous year and 同比")
    # 5 corrected of 138 decided is 3.62%: the 3.65% printed in the real report is not reproducible.
    eq(m["reconsideration.self_correction_rate"]["value"], 3.62, "county government correction rate")
    # Breakdown by child org: the 县司法局 holds its 21 cases.
    js = expect(c.get("/api/v1/metrics/reconsideration.concluded?org=330421&year=2021&by=org"), 200, "by org")
    bureau_row = [r for r in js["rows"] if r["org_id"] == bureau["id"]]
    eq(bureau_row[0]["value"], 21, "县司法局 row of the breakdown")
    js = expect(c.get("/api/v1/metrics/reconsideration.received?org=330421&year=2021&by=month"), 200, "by month")
    eq(len(js["rows"]), 12, "twelve months")
    eq(sum(r["value"] for r in js["rows"]), 168, "months add up to the year")


@test("annual report: rendered text says 168件, 同比增长15.86%, 0.98%, 44.93%, 23.53%, 100%; freeze keeps figures")
def t_jiashan_2021_report():
    c = staff()
    js = expect(c.post("/api/v1/reports", {"year": 2021}), 201, "create the 2021 report")
    rid = js["id"]
    eq((js["status"], js["year"], js["org_name"]), ("draft", 2021, ROOT), "new report")
    html = expect_raw(c.get("/api/v1/reports/%d.html" % rid), "text/html")
    text = html.decode("utf-8")
    for needle in ("全县共有行政复议案件168件", "同比增长15.86%", "败诉率0.98%", "调解结案率44.93%",
                   "占一审审结数的23.53%", "出庭率100%", "嘉善县人民政府2021年度法治政府建设情况报告",
                   "一、2021年度推进法治政府建设的主要举措和成效", "四、2022年度"):
        check(needle in text, "report HTML lacks %r" % needle)
    # A figure with no data is visibly missing, never 0: the ledger of this county has no 2021 trainings.
    check("缺数据" in text and 'class="missing"' in text, "missing figures are marked")
    check("组织培训0次" not in text, "no invented zero")
    # Narrative editing with placeholders and a live preview.
    body = {"sections": {"achievements.overall": "本年收案{{reconsideration.received}}件,{{reconsideration.received.yoy}}。"}}
    pv = expect(c.post("/api/v1/reports/%d/preview" % rid, body), 200, "preview")
    check("本年收案168件,同比增长15.86%。" in pv["html"], "preview renders the edited narrative")
    expect_error(c.put("/api/v1/reports/%d" % rid, {"sections": {"no.such": "x"}}), 400, "VALIDATION_FAILED",
                 "unknown section", field="sections")
    js = expect(c.put("/api/v1/reports/%d" % rid, body), 200, "save narrative")
    eq([s["edited"] for s in js["sections"] if s["key"] == "achievements.overall"], [True], "section marked edited")
    # Freeze, then add one more 2021 case: the live figure moves, the frozen report does not.
    js = expect(c.post("/api/v1/reports/%d/freeze" % rid), 200, "freeze")
    eq(js["status"], "frozen", "frozen")
    expect_error(c.put("/api/v1/reports/%d" % rid, body), 409, "INVALID_STATE", "edit after freeze")
    root = org_by_name(ROOT)
    import_csv(c, "reconsideration", root["id"],
               [["收到申请日期", "申请人", "被申请人"], ["2021-12-30", "迟到的申请人", RESPONDENT]], "one more 2021 case")
    eq(figures(c, 2021)["reconsideration.received"]["value"], 169, "live figure after the late case")
    text = expect_raw(c.get("/api/v1/reports/%d.html" % rid), "text/html").decode("utf-8")
    check("本年收案168件" in text and "169件" not in text, "frozen report keeps 168")
    # The CLI writes the same report as text.
    out = os.path.join(S.tmp, "report-2021.txt")
    rc, so, se = run_cli("report", "--db", S.db, "--org", "330421", "--year", "2021", "-o", out)
    eq(rc, 0, "fazhi report exit status (stderr: %s)" % se)
    with open(out, encoding="utf-8") as f:
        txt = f.read()
    for needle in ("168件", "同比增长15.86%", "0.98%", "44.93%", "23.53%", "100%"):
        check(needle in txt, "fazhi report text lacks %r" % needle)
    # And as .docx (a zip).
    docx = expect_raw(c.get("/api/v1/reports/%d.docx" % rid),
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    check(docx[:2] == b"PK", "docx is a zip archive")
    # LibreOffice opens the real report (when it is installed: make test installs it).
    soffice = shutil.which("soffice")
    if soffice:
        path = os.path.join(S.tmp, "report-2021.docx")
        with open(path, "wb") as f:
            f.write(docx)
        p = subprocess.run([soffice, "--headless", "-env:UserInstallation=file://" + os.path.join(S.tmp, "lo"),
                            "--convert-to", "pdf", "--outdir", S.tmp, path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=180)
        pdf = os.path.join(S.tmp, "report-2021.pdf")
        check(p.returncode == 0 and os.path.exists(pdf), "LibreOffice conversion: %r" % p.stderr[-300:])
        if shutil.which("pdftotext"):
            t = subprocess.run(["pdftotext", pdf, "-"], stdout=subprocess.PIPE, timeout=60).stdout.decode("utf-8")
            squeezed = "".join(t.split())
            for needle in ("168件", "同比增长15.86%", "0.98%", "44.93%"):
                check(needle in squeezed, "the PDF made from the .docx lacks %r" % needle)


@test("metrics API: org by division code or id, from/to, unknown metric 404, scope enforced, missing is null")
def t_metrics_api():
    c = staff()
    root = org_by_name(ROOT)
    a = expect(c.get("/api/v1/metrics?org=%d&from=2021-01-01&to=2021-12-31" % root["id"]), 200, "by id")
    b = figures(c, 2021)
    eq(a["metrics"]["reconsideration.received"], b["reconsideration.received"], "id and division code agree")
    expect_error(c.get("/api/v1/metrics/no.such.metric?year=2021"), 404, "NOT_FOUND", "unknown metric")
    expect_error(c.get("/api/v1/metrics?org=330421&from=2021-13-01"), 400, "VALIDATION_FAILED", "bad date",
                 field="from")
    # A year with no cases at all: counts are null (no data), never 0... unless the tree has records of that kind.
    m = figures(c, 2015)
    eq(m["reconsideration.received"]["value"], 0, "a year without cases of a kind the county records is 0")
    eq(m["reconsideration.correction_rate"]["value"], None, "a rate over nothing is missing")
    eq(figures(c, 2021)["ledger.trainings"]["value"], None, "no ledger entries at all: missing")
    expect_error(session_for("office").get("/api/v1/metrics?year=2021"), 403, "FORBIDDEN", "office has no report.read")
