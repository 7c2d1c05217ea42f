"""Group commit: concurrent writes share transactions, and each keeps its own outcome.

The server runs the write requests waiting at the same moment in one
transaction, each in its own savepoint (router_dispatch_group). Whatever the
grouping, every request must be answered as if it ran alone: a refused one
leaves nothing behind (not even half of itself) while its neighbours keep
their rows, and the audit trail has one record per request, success or
failure, in a chain that verifies.
"""

import threading

from harness import *  # noqa: F401,F403 (the suite's helpers and state)

WRITERS = 8
PER_WRITER = 12


def clone(c):
    """A client sharing c's session, for another thread."""
    d = Client(c.name)
    d.cookies, d.csrf, d.user = dict(c.cookies), c.csrf, c.user
    return d


@test("group commit: %d concurrent writers, valid and refused org creations interleaved: every 201 stored, "
      "every refusal absent, a name raced by two writers created once, one audit record per request"
      % WRITERS)
def t_group_commit():
    a = admin()
    root = org_by_name(ROOT_NAME)
    auditor = session_for("auditor")
    before = {res: len(audit_items(auditor, action="org.create", result=res)) for res in ("success", "failure")}
    results = []  # (name, kind of request, status, error code)
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer(w):
        c = clone(a)
        start.wait()
        for i in range(PER_WRITER):
            if i % 4 == 1:  # refused by validation: a one-character name
                name, kind = "组%d" % w, "invalid"
                body = {"parent_id": root["id"], "kind": "other", "name": name[:1]}
            elif i % 4 == 3:  # the same name from every writer: one wins, the others are duplicates
                name, kind = "组提交竞争机构%d" % i, "raced"
                body = {"parent_id": root["id"], "kind": "other", "name": name}
            else:
                name, kind = "组提交测试机构%d-%d" % (w, i), "valid"
                body = {"parent_id": root["id"], "kind": "other", "name": name}
            r = c.post("/api/v1/orgs", body)
            code = (r.json or {}).get("error", {}).get("code") if r.status >= 400 else None
            with lock:
                results.append((name, kind, r.status, code, (r.json or {}).get("id")))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    eq(len(results), WRITERS * PER_WRITER, "answers")

    stored = {o["name"]: o for o in all_orgs(a, status="all")}
    for name, kind, status, code, oid in results:
        if kind == "valid":
            eq(status, 201, "valid org %s" % name)
            check(name in stored and stored[name]["id"] == oid, "acknowledged org %s not stored as %r" % (name, oid))
        elif kind == "invalid":
            eq((status, code), (400, "VALIDATION_FAILED"), "one-character name %s" % name[:1])
    for i in (3, 7, 11):
        name = "组提交竞争机构%d" % i
        won = [r for r in results if r[0] == name and r[2] == 201]
        lost = [r for r in results if r[0] == name and r[2] != 201]
        eq(len(won), 1, "writers that created %s" % name)
        eq({(r[2], r[3]) for r in lost}, {(400, "VALIDATION_FAILED")}, "the other writers of %s" % name)
        check(name in stored and stored[name]["id"] == won[0][4], "%s stored as the winner's id" % name)
    one_char = {n for n in stored if len(n) == 1}
    eq(one_char, set(), "orgs with a one-character name")

    created = sum(1 for r in results if r[2] == 201)
    refused = len(results) - created
    after = {res: len(audit_items(auditor, action="org.create", result=res)) for res in ("success", "failure")}
    eq((after["success"] - before["success"], after["failure"] - before["failure"]), (created, refused),
       "new org.create audit records (successes, failures): one per request")
    js = expect(auditor.get("/api/v1/audit/verify"), 200, "audit verify")
    eq(js.get("ok"), True, "audit chain after concurrent writes: %r" % js)

