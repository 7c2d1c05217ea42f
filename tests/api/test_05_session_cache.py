"""The server's session cache (src/http/session_cache.c): every change this
server makes to a session, an account, its roles, its org or the security
policy applies to the very next request, though the session was just read
and kept in memory; a change made behind the server's back (another server
of the same database) applies within session_cache_seconds.

Each check first makes a request with the session ("warm"), so that the
server holds a copy of it when the change happens."""

import time

from harness import *  # noqa: F401,F403 (the suite's helpers and state)


def cache_user(username, org_name, roles):
    """A fresh user signed in (initial password changed) and its id."""
    u, _ = create_user(username, org_by_name(org_name)["id"], roles)
    return session_for(username), u["id"]


def warm(c, what):
    return expect(c.get("/api/v1/session"), 200, "%s: warm request" % what)


@test("session cache: a session deleted behind the server's back is kept for at most session_cache_seconds")
def t_cache_outside_change():
    c, _ = cache_user("cache_outside", "嘉善县司法局", ["staff"])
    warm(c, "outside delete")
    t0 = time.time()
    server_sql("DELETE FROM session WHERE csrf = '%s'" % c.csrf)
    r = c.get("/api/v1/session")
    if time.time() - t0 < S.session_cache_seconds - 1:
        expect(r, 200, "right after the outside delete, the copy is still trusted (the cache is on)")
    session_cache_expire()
    expect_error(c.get("/api/v1/session"), 401, "UNAUTHENTICATED", "after session_cache_seconds")


@test("session cache: logout, own password change, lock and admin password reset end warm sessions at once")
def t_cache_session_ends():
    a = admin()
    c, uid = cache_user("cache_ends", "嘉善县司法局", ["staff"])

    replay = Client()
    replay.cookies["fazhi_session"] = c.cookies["fazhi_session"]
    warm(replay, "logout")
    expect(c.delete("/api/v1/session"), 200, "logout")
    expect_error(replay.get("/api/v1/session"), 401, "UNAUTHENTICATED", "the logged-out cookie, next request")

    c1, c2 = login("cache_ends"), login("cache_ends")
    warm(c1, "password change")
    warm(c2, "password change")
    new = next_password()
    expect(c1.put("/api/v1/session/password", {"old_password": S.passwords["cache_ends"], "new_password": new}),
           200, "own password change")
    S.passwords["cache_ends"] = new
    expect_error(c2.get("/api/v1/session"), 401, "UNAUTHENTICATED", "the other session after a password change")
    expect(c1.get("/api/v1/session"), 200, "the session that changed the password goes on")

    warm(c1, "lock")
    expect(a.post("/api/v1/users/%d/lock" % uid), 200, "lock")
    expect_error(c1.get("/api/v1/session"), 401, "UNAUTHENTICATED", "a locked user's session, next request")
    expect(a.post("/api/v1/users/%d/unlock" % uid), 200, "unlock")

    c3 = login("cache_ends")
    warm(c3, "reset")
    js = expect(a.post("/api/v1/users/%d/reset-password" % uid), 200, "reset password")
    S.passwords["cache_ends"] = js["initial_password"]
    expect_error(c3.get("/api/v1/session"), 401, "UNAUTHENTICATED", "session after an admin reset, next request")


@test("session cache: role changes, a role's scope and permissions, the user's org apply at once")
def t_cache_grants():
    a = admin()
    sec = session_for("secadmin")
    ids = role_ids()
    c, uid = cache_user("cache_grants", DAYUN_TOWN, ["staff"])
    me = warm(c, "roles")
    check("reconsideration.handle" in me["permissions"], "staff permissions: %r" % me["permissions"])

    expect(a.put("/api/v1/users/%d/roles" % uid, {"role_ids": [ids["liaison"]]}), 200, "staff -> liaison")
    expect_error(c.get("/api/v1/session"), 401, "UNAUTHENTICATED", "a role change ends the user's sessions")
    c = login("cache_grants")
    me = expect(c.get("/api/v1/session"), 200, "after the role change")
    check("reconsideration.handle" not in me["permissions"], "removed permission still held: %r" % me["permissions"])
    eq(me["scope"], "subtree", "scope after the role change")
    names = sorted(o["name"] for o in expect(c.get("/api/v1/orgs"), 200, "orgs as liaison")["items"])
    eq(names, sorted([DAYUN_TOWN, DAYUN_OFFICE]), "orgs of the 大云镇 liaison")

    expect(a.patch("/api/v1/users/%d" % uid, {"org_id": org_by_name(XITANG_TOWN)["id"]}), 200, "move the user")
    names = sorted(o["name"] for o in expect(c.get("/api/v1/orgs"), 200, "orgs after the move")["items"])
    eq(names, sorted([XITANG_TOWN, XITANG_OFFICE]), "orgs of the user moved to 西塘镇, next request")

    role = expect(sec.post("/api/v1/roles", {"code": "cache_probe", "name": "缓存测试角色", "scope": "org",
                                             "permissions": ["org.read", "user.read"]}), 201, "custom role")
    expect(a.put("/api/v1/users/%d/roles" % uid, {"role_ids": [role["id"]]}), 200, "grant the custom role")
    c = login("cache_grants")
    names = [o["name"] for o in expect(c.get("/api/v1/orgs"), 200, "orgs with scope org")["items"]]
    eq(names, [XITANG_TOWN], "orgs with scope org")
    expect(sec.patch("/api/v1/roles/%d" % role["id"], {"scope": "subtree"}), 200, "widen the role's scope")
    names = sorted(o["name"] for o in expect(c.get("/api/v1/orgs"), 200, "orgs after widening")["items"])
    eq(names, sorted([XITANG_TOWN, XITANG_OFFICE]), "orgs after the role's scope became subtree, next request")
    expect(c.get("/api/v1/users?page_size=5"), 200, "user list with user.read")
    expect(sec.patch("/api/v1/roles/%d" % role["id"], {"permissions": ["org.read"]}), 200, "take user.read away")
    expect_error(c.get("/api/v1/users?page_size=5"), 403, "FORBIDDEN", "user list after user.read was removed")
    # Out of the towns, whose user lists later tests count.
    expect(a.patch("/api/v1/users/%d" % uid, {"org_id": org_by_name("嘉善县司法局")["id"]}), 200, "move back")


@test("session cache: a shorter idle timeout of the security policy ends an idle warm session at once")
def t_cache_policy():
    sec = session_for("secadmin")
    before = expect(sec.get("/api/v1/security/policy"), 200, "GET policy")
    c, _ = cache_user("cache_policy", "嘉善县司法局", ["staff"])
    warm(c, "policy")
    # Idle for 8 minutes, as another server's database would say (the copy does not know it).
    server_sql("UPDATE session SET last_seen = last_seen - 8 * 60 WHERE csrf = '%s'" % c.csrf)
    try:
        expect(sec.put("/api/v1/security/policy", {"session_idle_minutes": 5}), 200, "idle timeout 5 minutes")
        expect_error(c.get("/api/v1/session"), 401, "UNAUTHENTICATED", "8 idle minutes under a 5-minute timeout")
    finally:
        expect(sec.put("/api/v1/security/policy", {"session_idle_minutes": before["session_idle_minutes"]}), 200,
               "restore policy")


@test("session cache: `fazhi user lock` beside the running server ends a warm session within session_cache_seconds")
def t_cache_cli_lock():
    c, _ = cache_user("cache_cli", "嘉善县司法局", ["staff"])
    warm(c, "CLI lock")
    rc, out, err = run_cli("user", "lock", "cache_cli", "--db", S.db)
    eq(rc, 0, "fazhi user lock: %s %s" % (out, err))
    session_cache_expire()  # another process: this server hears of it by its ttl
    expect_error(c.get("/api/v1/session"), 401, "UNAUTHENTICATED", "a session of the user locked by the CLI")
    rc, out, err = run_cli("user", "unlock", "cache_cli", "--db", S.db)
    eq(rc, 0, "fazhi user unlock: %s %s" % (out, err))
    expect(login("cache_cli").get("/api/v1/session"), 200, "signed in again after the CLI unlock")
