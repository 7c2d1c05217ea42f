"""The case list's data scope combined with its filters (src/domain/cases/
case_list.c builds the WHERE clause from the filters given and writes the
scope as org-id sets): for users at the tenant root, at handling orgs and at
respondent or defendant orgs, every filter and some combinations give
exactly the cases an independent computation from the case details picks,
in the list's order, with the right total.

Runs after test_50 .. test_60, so that both kinds have cases of several
states, handling orgs and parties. It registers more than 100 cases against
one respondent first: a scoped list with that many matches reads its page
through the scope's one-condition shape, a smaller one through the split
branches (case_list.c, scope_shape), and both must give the same lists.
"""

import datetime
import threading
import urllib.parse

from cases import *  # noqa: F401,F403 (case helpers, and through them the harness)


@test("case list scope x filters: each user's list is exactly the cases of its orgs' subtree (handling or party"
      " org) that match the filters, with the right total")
def t_case_list_scope_filters():
    c = staff()
    today = cst_date()
    first = datetime.date.fromisoformat(today)
    for i in range(101):
        new_reconsideration(c, (first - datetime.timedelta(days=i % 150)).isoformat(), SCJG)
    paths = {o["id"]: o["path"] for o in all_orgs(status="all")}
    gov = next(o for o in all_orgs(status="all") if o["parent_id"] is None)
    # Users whose subtree holds the handling orgs, the respondents or defendants, or nothing.
    subjects = {"staff": None, "leader": None}
    for name, org in (("scope_gov", gov["name"]), ("scope_zrzy", RESPONDENT), ("scope_zfj", ZFJ),
                      ("scope_scjg", SCJG)):
        if name not in S.passwords:
            create_user(name, org_by_name(org)["id"], ["liaison"], "范围测试" + name)
        subjects[name] = paths[org_by_name(org)["id"]]
    for kind in ("reconsideration", "litigation"):
        full = all_cases(c, kind)
        check(len(full) >= 3, "only %d %s cases" % (len(full), kind))
        info = {}
        for x in full:
            js = detail(c, x["id"])
            due = sorted(d["due_date"] for d in js["deadlines"] if d["status"] == "open" and d["due_date"])
            info[x["id"]] = {"org": paths[js["org_id"]], "party": paths.get(js["party_org_id"], ""),
                             "handler": js["handler_id"], "overdue": bool(due) and due[0] < today}
        handler = next((v["handler"] for v in info.values() if v["handler"]), 0)
        states = sorted({x["state"] for x in full})
        year = full[len(full) // 2]["received_date"][:4]
        word = full[0]["title"][:2]
        filters = [("", lambda x: True), ("overdue=1", lambda x: info[x["id"]]["overdue"]),
                   ("from=%s-01-01&to=%s-12-31" % (year, year), lambda x: x["received_date"][:4] == year),
                   ("q=" + urllib.parse.quote(word), lambda x: word in x["title"] or word in x["case_no"])]
        if handler:
            filters.append(("handler_id=%d" % handler, lambda x: info[x["id"]]["handler"] == handler))
        filters += [("state=" + st, lambda x, st=st: x["state"] == st) for st in states]
        filters += [("state=%s&from=%s-01-01&overdue=1" % (st, year),
                     lambda x, st=st: x["state"] == st and x["received_date"] >= year + "-01-01"
                     and info[x["id"]]["overdue"]) for st in states]
        for user, path in subjects.items():
            u = session_for(user)
            for query, pred in filters:
                want = [x["id"] for x in full if pred(x) and (
                    path is None or info[x["id"]]["org"].startswith(path) or info[x["id"]]["party"].startswith(path))]
                got = all_cases(u, kind, "&" + query)
                eq([x["id"] for x in got], want, "%s, %s list, %s" % (user, kind, query or "no filter"))
                js = expect(u.get("/api/v1/cases?kind=%s&page_size=1&%s" % (kind, query)), 200, "total")
                eq(js["total"], len(want), "%s, %s total, %s" % (user, kind, query or "no filter"))
                if not query:
                    paged, page = [], 1
                    while len(paged) < len(want):
                        js = expect(u.get("/api/v1/cases?kind=%s&page_size=20&page=%d" % (kind, page)), 200, "page")
                        check(js["items"], "%s, %s: page %d empty" % (user, kind, page))
                        paged += [x["id"] for x in js["items"]]
                        page += 1
                    eq(paged, want, "%s, %s list in pages of 20" % (user, kind))
                if user == "scope_scjg" and kind == "reconsideration" and not query:
                    check(len(want) > 100, "scope_scjg sees %d cases: the one-condition page shape" % len(want))
                if user == ("scope_zrzy" if kind == "reconsideration" else "scope_zfj") and not query:
                    check(want and (kind == "litigation" or len(want) < len(full)), "%s sees %d of %d cases" % (user, len(want), len(full)))


@test("case list read while cases are registered: the total and the page come from one snapshot of the database")
def t_case_list_snapshot():
    writer, readers = staff(), [login("staff") for _ in range(3)]  # one client per thread
    day = (datetime.date.fromisoformat(cst_date()) - datetime.timedelta(days=200)).isoformat()
    path = "/api/v1/cases?kind=reconsideration&from=%s&to=%s&page_size=200" % (day, day)
    before = expect(readers[0].get(path), 200, "the day's list before")["total"]
    check(before <= 60, "%d cases already received on %s: the page would not hold them all" % (before, day))
    stop, bad, reads = threading.Event(), [], [0]

    def read(c):
        # Between the list's count and its page a registration may commit: without one snapshot
        # for the request the page then has a row more than the total.
        while not stop.is_set():
            r = c.get(path)
            reads[0] += 1
            if r.status != 200:
                bad.append("GET: %r" % r)
            elif len(r.json["items"]) != r.json["total"]:
                bad.append("%d rows on the page of a list of total %d" % (len(r.json["items"]), r.json["total"]))

    threads = [threading.Thread(target=read, args=(c,), daemon=True) for c in readers]
    for t in threads:
        t.start()
    try:
        for _ in range(140):
            new_reconsideration(writer, day, SCJG)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    check(not bad, "%d of %d lists disagreed with their own total, first: %s" % (len(bad), reads[0], bad[:3]))
    check(reads[0] >= 20, "only %d lists read while the cases were registered" % reads[0])
    eq(expect(readers[0].get(path), 200, "the day's list after")["total"], before + 140, "cases of the day after")
