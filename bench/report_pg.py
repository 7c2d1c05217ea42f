"""Writes the PostgreSQL section of BENCHMARKS.md from the results of bench/run_pg.py
(build/bench/results-pg-<size>.json): the text between BEGIN and END below is replaced,
or appended when missing. bench/report.py keeps that block when it rewrites the file.
By hand: python3 bench/report_pg.py [build/bench/results-pg-1M.json]
"""

import json
import os
import sys

from report import fnum, ms, quiet_at_start

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = "<!-- make bench DB=pg: begin (bench/report_pg.py writes this section) -->"
END = "<!-- make bench DB=pg: end -->"


def runs(values, fmt=fnum):
    return " / ".join(fmt(v) for v in values)


def rng(values, d=2):
    lo, hi = min(values), max(values)
    return ("%.*f" % (d, lo)) if round(lo, d) == round(hi, d) else "%.*f–%.*f" % (d, lo, d, hi)


def section(r):
    rs = r["runs"]
    n = len(rs)
    loads = ", ".join("run %d: %.1f → %.1f" % (i + 1, x["load_start"], x["load_end"]) for i, x in enumerate(rs))
    out = [
        "## PostgreSQL (`make bench DB=pg`)",
        "",
        "The same benchmarks against **%s** (`bench/run_pg.py`): a private server started by `tests/pg/pgctl.sh` in "
        "the temporary directory (same disk as above; `fsync=on`, `synchronous_commit=on`, otherwise PostgreSQL's "
        "defaults: 128 MB shared_buffers), on loopback TCP; fazhi `--workers %d`, one connection per worker. The "
        "data are those of `make bench`: bench/gen writes SQLite, `fazhi migrate-data` moves each database into its "
        "own PostgreSQL database (ids unchanged; county deployment %.0f s, province of %s records %.0f s), then "
        "`ANALYZE`. Each measurement was taken **%d time(s)** on the same databases (figures separated by /, ratios as "
        "ranges); %s." % (r["postgres"].replace("postgres (PostgreSQL) ", "PostgreSQL "), r["workers"],
                          r["migrate_seconds"]["county"], "{:,}".format(r["records"]),
                          r["migrate_seconds"]["province"], n, r["started"]),
        "",
        ("Little else was running when the benchmark started " if quiet_at_start(r)
         else "**The machine was shared**: other work was running when the benchmark started ") +
        "(load average %s; 1-minute load at the start and end of each run: %s); PostgreSQL, fazhi and wrk "
        "share the same 2 cores. Take every figure as a rough range, not a point." % (
            " → ".join("%.1f" % x for x in (r["load_start"][0], r["load_end"][0])), loads),
        "",
        "### Signed-in work on PostgreSQL",
        "",
        "As in benchmark 2: wrk, %d connections, %d s after a 2 s warm-up; the reference is the same server's "
        "`/healthz` just before." % (64, r["seconds"]),
        "",
        "| database | request | rows in scope | requests/s | p99 | ratio to /healthz |",
        "|---|---|---|---:|---:|---:|",
    ]
    for key, label in (("p2_county", "county deployment"), ("p2_province", "province, %s records" % fnum(r["records"]))):
        first = rs[0][key]
        h = [x[key]["healthz"]["rps"] for x in rs]
        out.append("| %s | `GET /healthz` (**reference**) | – | %s | %s | 1.00 |" % (
            label, runs(h), runs([x[key]["healthz"]["p99_ms"] for x in rs], ms)))
        rows = [("auth_floor", "signed-in floor `GET /api/v1/org-kinds`", "–"),
                ("list", "case list, county user", "%s matching cases" % fnum(first["list_total"])),
                ("detail", "case detail, county user", "%d cases in turn" % first["detail_ids"])]
        if "list_province" in first:
            rows.append(("list_province", "case list, province user",
                         "%s matching cases" % fnum(first["list_province_total"])))
        for k, what, scope in rows:
            rps = [x[key][k]["rps"] for x in rs]
            out.append("| %s | %s | %s | %s | %s | %s |" % (
                label, what, scope, runs(rps), runs([x[key][k]["p99_ms"] for x in rs], ms),
                rng([a / b for a, b in zip(rps, h)], 3)))
    p3 = [x["p3"] for x in rs]
    fs = [max(p["fsync"].values()) for p in p3]
    out += [
        "",
        "### Durable writes on PostgreSQL",
        "",
        "`POST /api/v1/reconsiderations` as in benchmark 3 (one transaction per registration with its audit "
        "record; PostgreSQL commits with a WAL flush), wrk %d connections, %d s, on the demo county's database. "
        "Reference: the disk's best rate of `bench/fsync_rate` in the same directory, measured in each run." % (
            64, r["seconds"]),
        "",
        "| | per second | ratio to the reference |",
        "|---|---:|---:|",
        "| disk: best of 4 KiB write + flush (**reference**) | %s | 1.00 |" % runs(fs),
        "| **fazhi on PostgreSQL: acknowledged registrations** (p99 %s) | **%s** | **%s** |" % (
            runs([p["post"]["p99_ms"] for p in p3], ms), runs([p["per_second"] for p in p3]),
            rng([p["per_second"] / f for p, f in zip(p3, fs)])),
        "",
        "Every run: %s registrations acknowledged with 201, %s non-2xx, %s new case rows in the database "
        "(these include the 1 s warm-up's)." % (
            runs([p["acknowledged"] for p in p3]), runs([p["post"]["non2xx"] for p in p3]),
            runs([p["created"] for p in p3])),
        "",
        "### Metrics at %s records on PostgreSQL" % fnum(r["records"]),
        "",
        "`GET /api/v1/metrics?org=…&year=%d` (every figure for the year and the year before; median of 3 warm "
        "requests after a first one) vs the hand-written SQL of `bench/metrics_sql` run on PostgreSQL (its %d "
        "queries as prepared statements through psql, `?n` → `$n`, the rates' `/ COUNT(*)` as `/ NULLIF(COUNT(*), "
        "0)`; median of the warm repetitions, each query's time from psql's `\\timing`, i.e. with its loopback round "
        "trip, as the engine's)." % (
            r["year"], rs[0]["p4"]["county"]["sql_queries"]),
        "",
        "| scope | engine, first | engine, warm | hand-written SQL | engine / SQL | figures equal to the SQL | "
        "equal to SQLite's |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for scope in ("county", "province"):
        p4 = [x["p4"][scope] for x in rs]
        out.append("| %s (%s) | %s | %s | %s | %s | %s | %s |" % (
            scope, p4[0]["org"], runs([p["engine_ms_first"] for p in p4], ms), runs([p["engine_ms"] for p in p4], ms),
            runs([p["sql_ms"] for p in p4], ms), rng([p["engine_ms"] / p["sql_ms"] for p in p4], 1) + "×",
            "all %d" % p4[0]["figures"] if not any(p["mismatches"] for p in p4) else
            "**%d differ**" % max(len(p["mismatches"]) for p in p4),
            "all" if not any(p["sqlite_mismatches"] for p in p4) else
            "**%d differ**" % max(len(p["sqlite_mismatches"]) for p in p4)))
    notes = os.path.join(ROOT, "bench", "notes_pg.md")
    if os.path.exists(notes):
        with open(notes) as f:
            out += ["", f.read().rstrip()]
    return out


def splice(path, r):
    block = "\n".join([BEGIN, ""] + section(r) + ["", END])
    text = open(path).read() if os.path.exists(path) else ""
    if BEGIN in text and END in text:
        a, b = text.index(BEGIN), text.index(END) + len(END)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


def keep_block(old_text):
    """The PostgreSQL block of an existing BENCHMARKS.md (for bench/report.py), or ''."""
    if BEGIN in old_text and END in old_text:
        return old_text[old_text.index(BEGIN):old_text.index(END) + len(END)]
    return ""


if __name__ == "__main__":
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "bench", "results-pg-1M.json")
    with open(src) as f:
        splice(os.path.join(ROOT, "BENCHMARKS.md"), json.load(f))
