"""The metric summary tables (sql/0010) against the records they summarise.

After the whole suite has created, edited, imported and moved cases through
their workflow states and voided ledger entries (LATE), and again after
direct SQL that moves, redates, edits and deletes cases, their kind rows
(also moved to another case) and ledger entries (every write path goes through the triggers, not only the
stores): `fazhi metrics --check-summary` finds no difference, and every
metric of whole years computed from the summaries equals the one computed
from the records alone (`--records`). A summary row made wrong on purpose is
found by the check and shows in the summary-based figure (so the engine does
read the summaries). Last (STOPPED), the migration is run again over the
suite's data, as on an upgrade, and builds the same summaries.

Runs on SQLite and, with FAZHI_TEST_PG, on PostgreSQL."""

import json
import os
import re

from harness import *  # noqa: F401,F403

BUREAU = "嘉善县司法局"
XITANG = "嘉善县西塘镇人民政府"
ROOT_DIVISION = "330421"
MARK = "SUMMARY-TEST"

# What the comparisons cover: org ids (filled by the first test) and years.
ORGS = [ROOT_DIVISION]


def years():
    this = int(cst_date()[:4])
    return sorted({2019, 2020, 2021, 2022, 2024, this - 1, this})


def one(statement):
    return sql(statement)[0][0]


def check_summary(what):
    rc, so, se = run_cli("metrics", "--db", S.db, "--check-summary")
    eq((rc, so.strip()), (0, "统计汇总表与记录一致"), "%s: check-summary (stderr %r)" % (what, se[-2000:]))


def metrics(org, year, records):
    args = ["metrics", "--db", S.db, "--org", str(org), "--year", str(year), "--json"]
    rc, so, se = run_cli(*(args + (["--records"] if records else [])))
    eq(rc, 0, "metrics %s %d (stderr %r)" % (org, year, se[-500:]))
    return json.loads(so)["metrics"]


def compare_all(what):
    """Every metric, value, previous year and 同比, of every org and year: summaries == records."""
    nonzero = 0
    for org in ORGS:
        for y in years():
            a, b = metrics(org, y, False), metrics(org, y, True)
            eq(a, b, "%s: org %s year %d from the summaries vs the records" % (what, org, y))
            nonzero += sum(1 for m in a.values() if m["value"])
    check(nonzero > 20, "%s: the comparison covered real figures (%d non-zero)" % (what, nonzero))


def case_ids(kind, n):
    return [r[0] for r in sql("SELECT id FROM case_file WHERE kind = '%s' ORDER BY id LIMIT %d" % (kind, n))]


@test("metric summaries: after the whole suite's case and ledger work, check-summary finds 0 differences and "
      "every whole-year metric from the summaries equals the records'", phase=LATE)
def t_summary_after_suite():
    ORGS.extend([str(org_by_name(BUREAU)["id"]), str(org_by_name(XITANG)["id"])])
    check(int(one("SELECT COUNT(*) FROM case_file")) > 300, "the suite made cases")
    check(int(one("SELECT COUNT(*) FROM ledger_entry WHERE status = 'voided'")) > 0, "the suite voided an entry")
    check(int(one("SELECT COUNT(DISTINCT state) FROM case_file")) > 3, "cases in several workflow states")
    check_summary("after the suite")
    compare_all("after the suite")
    eq(int(one("SELECT SUM(n) FROM case_summary WHERE field = 'received_date'")),
       int(one("SELECT COUNT(*) FROM case_file")), "one received_date contribution per case")


@test("metric summaries: direct SQL moving, redating, editing and deleting cases, kind rows and ledger entries "
      "keeps them exact", phase=LATE)
def t_summary_after_sql():
    town = ORGS[2]
    recon, lit = case_ids("reconsideration", 3), case_ids("litigation", 3)
    check(len(recon) == 3 and len(lit) == 3, "cases to edit")
    # A case moved to another org and year, reopened; another decided with letters; a kind row's fields.
    sql("UPDATE case_file SET org_id = %s, received_date = '2019-03-01', decided_date = NULL, state = 'accepted' "
        "WHERE id = %s" % (town, recon[0]))
    sql("UPDATE case_file SET decided_date = '2021-06-01', outcome = 'revoked', corrected = 1 WHERE id = %s"
        % recon[1])
    sql("UPDATE reconsideration SET opinion_letters = opinion_letters + 2, suggestion_letters = 1 WHERE case_id = %s"
        % recon[1])
    sql("UPDATE litigation SET hearing_held = 1 - hearing_held, head_appeared = 1, hearing_date = '2021-05-05', "
        "instance = 'second' WHERE case_id = %s" % lit[0])
    sql("UPDATE case_file SET kind = kind, updated_at = updated_at + 1 WHERE id = %s" % lit[1])
    # A kind row deleted and put back; a whole case inserted, edited and deleted.
    row = sql("SELECT instance, court, hearing_held, head_appeared FROM litigation WHERE case_id = %s" % lit[2])[0]
    sql("DELETE FROM litigation WHERE case_id = %s" % lit[2])
    check_summary("litigation row deleted")
    sql("INSERT INTO litigation (case_id, instance, court, hearing_held, head_appeared) VALUES (%s, '%s', '%s', %s, %s)"
        % (lit[2], row[0], row[1], row[2], row[3]))
    sql("INSERT INTO case_file (kind, org_id, case_no, case_year, title, state, received_date, accepted_date, "
        "created_at, updated_at) VALUES ('reconsideration', %s, '%s', 2021, '汇总表测试', 'accepted', '2020-12-30', "
        "'2021-01-04', 0, 0)" % (town, MARK))
    new = one("SELECT id FROM case_file WHERE case_no = '%s'" % MARK)
    # A kind row without letters changes no summary row (its triggers do not fire, sql/0012): still exact.
    sql("INSERT INTO reconsideration (case_id, channel, act, claims) VALUES (%s, 'mail', '行为', '请求')" % new)
    check_summary("kind row without letters inserted")
    sql("DELETE FROM reconsideration WHERE case_id = %s" % new)
    check_summary("kind row without letters deleted")
    sql("INSERT INTO reconsideration (case_id, channel, act, claims, opinion_letters) VALUES (%s, 'mail', '行为', "
        "'请求', 3)" % new)
    check_summary("case inserted")
    compare_all("case inserted")
    sql("UPDATE case_file SET decided_date = '2021-02-01', state = 'decided', mediated = 1 WHERE id = %s" % new)
    check_summary("case edited")
    # Its kind row moved to another case: both cases' contributions change.
    sql("INSERT INTO case_file (kind, org_id, case_no, case_year, title, state, received_date, created_at, "
        "updated_at) VALUES ('reconsideration', %s, '%s-2', 2021, '汇总表测试', 'registered', '2021-05-06', 0, 0)"
        % (ORGS[1], MARK))
    other = one("SELECT id FROM case_file WHERE case_no = '%s-2'" % MARK)
    sql("UPDATE reconsideration SET case_id = %s WHERE case_id = %s" % (other, new))
    check_summary("kind row moved to another case")
    compare_all("kind row moved to another case")
    sql("DELETE FROM reconsideration WHERE case_id = %s" % other)
    sql("DELETE FROM case_file WHERE id IN (%s, %s)" % (new, other))
    # Ledger: an entry voided, one moved and changed, one inserted and deleted.
    entries = [r[0] for r in sql("SELECT id FROM ledger_entry WHERE status = 'active' ORDER BY id LIMIT 2")]
    check(len(entries) == 2, "ledger entries to edit")
    sql("UPDATE ledger_entry SET status = 'voided', void_reason = 'test' WHERE id = %s" % entries[0])
    sql("UPDATE ledger_entry SET org_id = %s, entry_date = '2021-07-01', people = people + 5, amount_fen = 12345, "
        "category_id = (SELECT MIN(id) FROM ledger_category) WHERE id = %s" % (town, entries[1]))
    sql("INSERT INTO ledger_entry (org_id, category_id, entry_date, title, times, people, created_at, updated_at) "
        "VALUES (%s, (SELECT MIN(id) FROM ledger_category), '2021-03-03', '%s', 4, 40, 0, 0)" % (town, MARK))
    check_summary("ledger entry inserted")
    sql("DELETE FROM ledger_entry WHERE title = '%s'" % MARK)
    check_summary("after the direct SQL")
    compare_all("after the direct SQL")


@test("metric summaries: a summary row made wrong is reported by check-summary and read by the engine", phase=LATE)
def t_summary_wrong_row():
    where = ("kind = 'reconsideration' AND field = 'received_date' AND year = '2021' AND org_id = "
             "(SELECT MIN(id) FROM org WHERE parent_id IS NULL)")
    key = sql("SELECT state, outcome, end_year FROM case_summary WHERE %s AND n > 0 ORDER BY state, outcome, end_year "
              "LIMIT 1" % where)[0]
    row = "%s AND state = '%s' AND outcome = '%s' AND end_year = '%s'" % (where, key[0], key[1], key[2])
    sql("UPDATE case_summary SET n = n + 1000 WHERE " + row)
    try:
        rc, so, se = run_cli("metrics", "--db", S.db, "--check-summary")
        eq(rc, 1, "check-summary exit status with one wrong row")
        check("case_summary 多出" in so and "case_summary 缺少" in so and "有 2 行与记录不符" in se,
              "the wrong row listed from both sides: %r %r" % (so, se))
        a = metrics(ROOT_DIVISION, 2021, False)["reconsideration.received"]["value"]
        b = metrics(ROOT_DIVISION, 2021, True)["reconsideration.received"]["value"]
        eq(a - b, 1000, "the engine's whole-year figure comes from the summary")
    finally:
        sql("UPDATE case_summary SET n = n - 1000 WHERE " + row)
    check_summary("row put back")


DROP_SQLITE = ["DROP VIEW case_summary_expected", "DROP VIEW case_summary_fact", "DROP VIEW ledger_summary_expected",
               "DROP VIEW ledger_summary_fact", "DROP TABLE case_summary", "DROP TABLE ledger_summary"]
DROP_PG = ["DROP FUNCTION case_summary_case_trg() CASCADE", "DROP FUNCTION case_summary_kind_trg() CASCADE",
           "DROP FUNCTION ledger_summary_trg() CASCADE", "DROP FUNCTION case_summary_kind_apply(TEXT, BIGINT, BIGINT, INTEGER)",
           "DROP FUNCTION case_summary_apply(BIGINT, INTEGER)",
           "DROP FUNCTION ledger_summary_apply(BIGINT, INTEGER)"] + DROP_SQLITE


@test("metric summaries: migration 0010 run over existing data (an upgrade) builds exact summaries", phase=STOPPED)
def t_summary_migration():
    if pg_mode():
        drops = DROP_PG
    else:
        drops = ["DROP TRIGGER %s" % r[0] for r in
                 sql("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%summary%'")] + DROP_SQLITE
    before = {(org, y): metrics(org, y, False) for org in ORGS for y in (2020, 2021)}
    # Back to version 9: 0010 and every later migration undone, then applied again.
    # What 0011 and 0013 add (0012 only redefines triggers the drops above remove; 0013 replaces
    # case_file_party_org itself).
    later = ["DROP INDEX org_path_prefix", "DROP INDEX case_file_org_kind_state"]
    sql_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sql")
    redone = len([f for f in os.listdir(sql_dir) if re.match(r"\d{4}_", f) and int(f[:4]) >= 10])
    for d in drops + later + ["DELETE FROM schema_version WHERE version >= 10"]:
        sql(d)
    eq(one("SELECT MAX(version) FROM schema_version"), "9", "back at version 9")
    rc, so, se = run_cli("init", "--db", S.db)
    eq(rc, 0, "init migrates (stderr %r)" % se[-1000:])
    check("已应用 %d 个数据库迁移" % redone in se, "0010 and the %d later ones applied: %r" % (redone - 1, se[-1000:]))
    check(int(one("SELECT COUNT(*) FROM case_summary")) > 0 and int(one("SELECT COUNT(*) FROM ledger_summary")) > 0,
          "summaries built")
    check_summary("after the migration")
    compare_all("after the migration")
    for (org, y), m in before.items():
        eq(metrics(org, y, False), m, "org %s year %d as before the upgrade" % (org, y))
