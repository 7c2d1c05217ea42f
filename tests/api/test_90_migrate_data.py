"""fazhi migrate-data: a county's SQLite database moved into PostgreSQL (PostgreSQL runs only).

Registered only when the suite runs against PostgreSQL (make test DB=pg): it
builds a SQLite demo county with cases of its own, moves it into a new
database of the test server and checks what arrived."""

import os
import sqlite3

from harness import *  # noqa: F401,F403

if pg_mode():
    @test("migrate-data moves a SQLite county into an empty PostgreSQL database: rows, audit chain, figures")
    def t_migrate_data():
        src = os.path.join(S.tmp, "county.db")
        env_key = os.environ.get("FAZHI_KEY_FILE")
        rc, so, se = run_cli("init", "--demo", "--db", src, "--key-file", os.path.join(S.tmp, "county.key"))
        eq(rc, 0, "init the SQLite county (%s)" % se)
        target = S.pg_db + "_moved"
        rc, so, se = psql("CREATE DATABASE %s OWNER fazhi" % target, superuser=True, db="postgres")
        check(rc == 0, "create the target database: %r" % se)
        rc, so, se = run_cli("migrate-data", "--from", src, "--to", pg_url(target))
        eq(rc, 0, "migrate-data exit status (stdout %r, stderr %r)" % (so, se))
        check("审计链" in so and "校验通过" in so, "migrate-data output: %r" % so)
        con = sqlite3.connect(src)
        try:
            for table in ("org", "app_user", "role_permission", "audit_log"):
                n = con.execute("SELECT COUNT(*) FROM %s" % table).fetchone()[0]
                rc, so, se = psql("SELECT COUNT(*) FROM %s" % table, db=target)
                extra = 1 if table == "audit_log" else 0  # the move itself is audited on the target
                eq(int(so.strip()), n + extra, "%s rows on PostgreSQL" % table)
        finally:
            con.close()
        rc, so, se = run_cli("audit", "verify", "--db", pg_url(target))
        eq(rc, 0, "audit verify on the target (%s %s)" % (so, se))
        # New rows continue after the copied ids.
        rc, so, se = psql("INSERT INTO org (parent_id, kind, name, created_at, updated_at)"
                          " VALUES (1, 'department', '迁移后新建的局', 0, 0) RETURNING id", db=target)
        check(rc == 0 and int(so.strip().splitlines()[0]) > 55, "identity continues after the copied ids: %r %r" % (so, se))
        # A second move into a database that now holds data is refused.
        rc, so, se = run_cli("migrate-data", "--from", src, "--to", pg_url(target))
        check(rc != 0 and "已有数据" in se, "second move refused: %r" % se)
        if env_key:
            os.environ["FAZHI_KEY_FILE"] = env_key
