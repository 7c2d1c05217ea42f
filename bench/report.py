"""Writes BENCHMARKS.md from the results of bench/run.py (build/bench/results-*.json)
and the hand-written analysis in bench/notes.md. Run by bench/run.py; by hand:
  python3 bench/report.py   (re-renders from the results already there)
"""

import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fnum(v, d=0):
    if v is None:
        return "–"
    if isinstance(v, float) and d == 0 and abs(v) < 10:
        d = 1
    return "{:,.{}f}".format(v, d)


def ms(v):
    if v is None:
        return "–"
    if v < 1:
        return "%.2f ms" % v
    if v < 100:
        return "%.1f ms" % v
    if v < 10000:
        return "%.0f ms" % v
    return "%.1f s" % (v / 1000)


def met(ok):
    return "**met**" if ok else "**not met**"


def ratio(a, b):
    return a / b if b else None


def quiet_at_start(r):
    """Whether little else ran when the benchmark started. The loads during a run
    are mostly the benchmark's own (wrk, the servers on the same cores); only the
    load before it tells whether other work was running."""
    return r["load_start"][0] <= 0.7


def load_results(tools):
    res = {}
    for p in glob.glob(os.path.join(tools, "results-*.json")):
        with open(p) as f:
            r = json.load(f)
        if "p5" in r:  # complete runs only
            res[r["size"]] = r
    big = {k: v for k, v in res.items() if v["records"] >= 1000000}
    return big or res


def section_machine(r):
    m = r["machine"]
    v = m["versions"]
    busy = max(x[1] for x in r["loads"]) if r.get("loads") else 0
    out = [
        "## Machine and run",
        "",
        "| | |",
        "|---|---|",
        "| CPU | %s |" % m["cpu"],
        "| cores | %s |" % m["cores"],
        "| RAM | %s |" % m["ram"],
        "| disk (of the temp dir holding the databases) | %s |" % m["disk"],
        "| OS, kernel | %s, Linux %s |" % (m["os"], m["kernel"]),
        "| versions | SQLite %s, libevent %s, nginx %s, wrk %s, gcc %s, Python %s |" % (
            v["sqlite"], v["libevent"], v["nginx"], v["wrk"], v["gcc"], v["python"]),
        "| run | %s, %s records, `make bench` took %.1f min (of which generating the province %.0f s) |" % (
            r["started"], "{:,}".format(r["records"]), r["elapsed_s"] / 60, r["gen"]["wall_seconds"]),
        "| load average (1 min) | %s at the start, %.2f at the end; during the run: %s |" % (
            "%.2f" % r["load_start"][0], r["load_end"][0],
            ", ".join("%s %.1f" % (s, l) for s, l in r["loads"])),
        "",
    ]
    if not quiet_at_start(r):
        out += ["The machine was **not quiet**: other work was running when the benchmark started (load average "
                "%.2f; up to %.1f during the run on %s cores). Server and client share the same cores, so every "
                "figure carries that noise; ratios are of measurements taken minutes apart." % (
                    r["load_start"][0], busy, os.cpu_count()), ""]
    else:
        out += ["Little else was running when the benchmark started (load average %.2f); the loads during the run "
                "(up to %.1f on %s cores) are mostly the benchmark's own: wrk, the server and nginx share the same "
                "cores, so figures still move by ±10–20%% between runs." % (r["load_start"][0], busy, os.cpu_count()), ""]
    return out


def section_p1(r):
    p = r["p1"]
    if "fazhi_runs" not in p:  # results of an older bench/run.py
        p = dict(p, fazhi_runs=[p["fazhi"], p["fazhi_again"]], nginx_1_runs=[p["nginx_1"]])
    fz = max(p["fazhi_runs"], key=lambda m: m["rps"])
    ng = max(p["nginx_1_runs"], key=lambda m: m["rps"])
    rr = ratio(fz["rps"], ng["rps"])
    out = [
        "## 1. HTTP limit: `GET /healthz` vs nginx",
        "",
        "wrk, %d connections, 2 threads, %d s after a 2 s warm-up, loopback. nginx serves a static file with the "
        "same %d-byte body and the same four security headers fazhi sends (`access_log off`, `sendfile on`, "
        "`keepalive_requests 1000000`, `open_file_cache`). The fair nginx has **1 worker process**: fazhi answers "
        "/healthz on its single I/O thread, its workers stay idle. fazhi and that nginx are measured in turn, "
        "%d times each, and the best run of each is compared (the least disturbed by the machine's other load). "
        "nginx with 2 workers (one per core) is shown for information; wrk itself needs CPU on the same two "
        "cores." % (r["conns"], r["seconds"], p["body_bytes"], len(p["fazhi_runs"])),
        "",
        "| server | requests/s (each run) | best | p50 | p99 | ratio to the reference |",
        "|---|---|---:|---:|---:|---:|",
        "| nginx %s, 1 worker (**reference**) | %s | %s | %s | %s | 1.00 |" % (
            r["machine"]["versions"]["nginx"], ", ".join(fnum(m["rps"]) for m in p["nginx_1_runs"]),
            fnum(ng["rps"]), ms(ng["p50_ms"]), ms(ng["p99_ms"])),
        "| fazhi `--workers %d` | %s | %s | %s | %s | **%.2f** |" % (
            r["workers"], ", ".join(fnum(m["rps"]) for m in p["fazhi_runs"]), fnum(fz["rps"]), ms(fz["p50_ms"]),
            ms(fz["p99_ms"]), rr),
        "| nginx, 2 workers | %s | | %s | %s | %.2f |" % (fnum(p["nginx_2"]["rps"]), ms(p["nginx_2"]["p50_ms"]),
                                                        ms(p["nginx_2"]["p99_ms"]), p["nginx_2"]["rps"] / ng["rps"]),
        "",
        "**fazhi / nginx (1 worker) = %.2f×**; goal ≥ 1.0×: %s." % (rr, met(rr >= 1.0)),
        "",
    ]
    return out


def p2_rows(p, goal_rows):
    hz = p["healthz"]["rps"]
    rows = []

    def row(name, scope, m):
        rr = m["rps"] / hz
        ok = rr >= 0.5 and m["p99_ms"] is not None and m["p99_ms"] < 5
        goal_rows.append(ok)
        return "| %s | %s | %s | %s | %s | %.3f | %s |" % (name, scope, fnum(m["rps"]), ms(m["p50_ms"]),
                                                           ms(m["p99_ms"]), rr, met(ok))

    rows.append("| `GET /healthz` (**reference**) | – | %s | %s | %s | 1.000 | |" % (
        fnum(hz), ms(p["healthz"]["p50_ms"]), ms(p["healthz"]["p99_ms"])))
    if "auth_floor" in p:
        m = p["auth_floor"]
        rows.append("| signed-in floor: `GET /api/v1/org-kinds` (session check, static reply) | – | %s | %s | %s | "
                    "%.3f | (for information) |" % (fnum(m["rps"]), ms(m["p50_ms"]), ms(m["p99_ms"]), m["rps"] / hz))
    rows.append(row("case list, county user", "%s matching cases" % fnum(p["list_total"]), p["list"]))
    rows.append(row("case detail, county user", "%d cases in turn" % p["detail_ids"], p["detail"]))
    if "list_province" in p:
        rows.append(row("case list, province user", "%s matching cases" % fnum(p["list_province_total"]),
                        p["list_province"]))
    errs = [k for k in ("list", "detail", "list_province") if k in p and (p[k]["non2xx"] or p[k]["errors"])]
    if errs:
        rows.append("")
        rows.append("Non-2xx replies or socket errors in: %s (%s)." % (", ".join(errs), "; ".join(
            "%s: %d non-2xx, %d errors" % (k, p[k]["non2xx"], p[k]["errors"]) for k in errs)))
    return rows


def section_p2(r):
    goal = []
    out = [
        "## 2. Signed-in work",
        "",
        "wrk with `bench/auth.lua` (sends the session cookie; the detail run asks for %d recent 行政复议 cases in "
        "turn), %d connections, %d s after a 2 s warm-up; the same server's `/healthz` just before is the "
        "reference. The list is `GET %s` (the 审理中 work list, newest first, with its total). `--workers %d` "
        "(the fastest on this machine, see below)." % (
            r["p2_county"]["detail_ids"], r["conns"], r["seconds"],
            "/api/v1/cases?kind=reconsideration&state=accepted&page_size=20", r["workers"]),
        "",
        "**County deployment** (the product's usual one: the database of 嘉善县 alone, root = the county "
        "government, %s records: the county's share of the province below), user with the 司法局业务人员 "
        "role (scope: the whole county):" % fnum(r["gen_county"]["records"]),
        "",
        "| request | rows in scope | requests/s | p50 | p99 | ratio to /healthz | goal ≥ 0.5× and p99 < 5 ms |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    out += p2_rows(r["p2_county"], goal)
    out += [
        "",
        "**Province database** (%s records, the one of benchmark 4): the county user is a 法治联络员 of the "
        "嘉善县 government (scope: its subtree); the province user a 局领导 at the province root (scope: "
        "everything):" % fnum(r["records"]),
        "",
        "| request | rows in scope | requests/s | p50 | p99 | ratio to /healthz | goal ≥ 0.5× and p99 < 5 ms |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    out += p2_rows(r["p2_province"], goal)
    out += ["", "Which `--workers` is fastest (county deployment, %d s per request type, geometric mean of the two "
            "rates):" % max(3, r["seconds"] // 2), "",
            "| --workers | list requests/s | detail requests/s |", "|---:|---:|---:|"]
    for s in r["sweep"]:
        out.append("| %s%d%s | %s | %s |" % ("**" if s["workers"] == r["workers"] else "", s["workers"],
                                             "**" if s["workers"] == r["workers"] else "", fnum(s["list_rps"]),
                                             fnum(s["detail_rps"])))
    out.append("")
    return out


def section_p3(r):
    p = r["p3"]
    f = p["fsync"]
    ref = max(f.values())
    rr = p["per_second"] / ref
    single = next((g["per_second"] for g in p["group_commit"] if g["batch"] == 1), None)
    out = [
        "## 3. Durable writes",
        "",
        "`POST /api/v1/reconsiderations` (each registers a case: number, case row, 行政复议 row, two parties, "
        "timeline event, statutory deadline and its SM3-chained audit record, one transaction, WAL with "
        "`synchronous=FULL`) from wrk with `bench/post.lua`, %d connections, %d s, on the demo county's database. "
        "Reference: `bench/fsync_rate` in the same directory (4 KiB write + flush per iteration, 3 s each); the "
        "highest of its three rates is the reference." % (r["conns"], r["seconds"]),
        "",
        "| | per second | ratio to the reference |",
        "|---|---:|---:|",
        "| disk: 4 KiB overwrite + `fdatasync` (how SQLite reuses its WAL) | %s | %.2f |" % (
            fnum(f["overwrite_fdatasync"]), f["overwrite_fdatasync"] / ref),
        "| disk: 4 KiB overwrite + `fsync` | %s | %.2f |" % (fnum(f["overwrite_fsync"]), f["overwrite_fsync"] / ref),
        "| disk: 4 KiB append + `fdatasync` (the file grows) | %s | %.2f |" % (
            fnum(f["append_fdatasync"]), f["append_fdatasync"] / ref),
        "| **fazhi: acknowledged registrations** (p50 %s, p99 %s) | **%s** | **%.2f** |" % (
            ms(p["post"]["p50_ms"]), ms(p["post"]["p99_ms"]), fnum(p["per_second"]), rr),
        "",
        "Goal ≥ 0.8× the disk's fsync rate: %s. %d registrations acknowledged with 201 (%d non-2xx), %d new case "
        "rows and %d audit records `reconsideration.create` in the database afterwards." % (
            met(rr >= 0.8), p["acknowledged"], p["post"]["non2xx"], p["created"], p["audited"]),
        "",
        ("The server's group commit (its log at shutdown): %s write requests in %s transactions, %.1f per "
         "transaction on average, at most %d in one." % (
             fnum(p["server_groups"]["requests"]), fnum(p["server_groups"]["transactions"]),
             p["server_groups"]["requests"] / max(1, p["server_groups"]["transactions"]),
             p["server_groups"]["largest"])) if "server_groups" in p else "",
        "",
        "Why the gap: one registration's commit appends **%.0f pages of %d bytes** to the WAL (%.0f KiB, measured by "
        "`bench/group_commit` with the WAL restarted), then the one `fdatasync` — the reference flushes 4 KiB. "
        "Every ~%d commits SQLite also checkpoints the WAL into the database file (more writes and two more "
        "flushes)." % (p["wal"]["wal_frames_per_commit"], p["wal"]["page_size"],
                       p["wal"]["wal_frames_per_commit"] * (p["wal"]["page_size"] + 24) / 1024,
                       1000 // max(1, int(p["wal"]["wal_frames_per_commit"]))) if "wal" in p else "",
        "",
        "What group commit would give — `bench/group_commit`, the same rows written by the server's own storage "
        "functions (build/libfazhi.a) on one connection, N registrations per transaction, 2 s each:",
        "",
        "| registrations per transaction | registrations/s | commits/s | × one per transaction | ratio to the disk's fsync rate |",
        "|---:|---:|---:|---:|---:|",
    ]
    for g in p["group_commit"]:
        out.append("| %d | %s | %s | %.1f | %.2f |" % (g["batch"], fnum(g["per_second"]), fnum(g["commits_per_second"]),
                                                     g["per_second"] / single if single else 0,
                                                     g["per_second"] / ref))
    out.append("")
    return out


def section_p4(results):
    out = ["## 4. Metrics at scale", ""]
    first = True
    for size in sorted(results, key=lambda s: results[s]["records"]):
        r = results[size]
        p = r["p4"]
        g = r["gen"]
        if first:
            out += [
                "The province database comes from `bench/gen`: 浙江省 as the root, its 11 cities, 90 county-level "
                "areas and their %s real towns (`bench/data/`, from the 2023 division codes), each county with its "
                "司法局 and sections, %d departments, court and 司法所 (%s orgs); cases of the three kinds the "
                "binary has (行政复议, 行政应诉, 非诉执行申请) over %d–%d with outcome mixes close to Zhejiang's "
                "published rates (纠错 ≈ 13%%, 调撤 ≈ 28%%, 败诉 ≈ 9%%, 负责人出庭 ≈ 93%%), kind rows, parties, "
                "timeline, open deadlines, and 工作台账 entries (60%% cases, 40%% ledger). The annual metric set "
                "(`GET /api/v1/metrics?org=…&year=%d`: every figure of data/metrics for the year and the year "
                "before) is timed against `bench/metrics_sql`: the same figures by hand-written SQL, one query "
                "per figure and year, the way a DBA would write them (the org subtree as `org_id IN (SELECT id FROM "
                "org WHERE path LIKE …)`, rates in one statement). Engine time is the whole HTTP request "
                "(median of warm runs after one first run); SQL time the median of its warm repetitions." % (
                    "1,364", 17, fnum(g["orgs"]), g["first_year"], g["first_year"] + 4, p["year"]),
                "",
            ]
            first = False
        out += [
            "**%s records** (%s case files, %s ledger entries, %s rows in all, database %.1f GB, generated in "
            "%.0f s):" % (fnum(r["records"]), fnum(g["cases"]), fnum(g["ledger"]), fnum(g["rows"]),
                          g["db_bytes"] / 1e9, g["wall_seconds"]),
            "",
            "| scope | figures | hand-written SQL (reference) | fazhi engine (first run) | ratio | goal ≤ 1.2× | numbers agree |",
            "|---|---:|---:|---:|---:|---|---|",
        ]
        for scope in ("county", "province"):
            s = p[scope]
            rr = s["engine_ms"] / s["sql_ms"]
            out.append("| %s (%s) | %d × 2 years%s | %s (%d queries) | %s (%s) | %.2f | %s | %s |" % (
                scope, s["org"]["name"], s["figures"],
                "" if s.get("engine_figures", s["figures"]) == s["figures"] else
                " (engine: %d)" % s["engine_figures"], ms(s["sql_ms"]), s["sql_queries"], ms(s["engine_ms"]),
                ms(s["engine_ms_first"]), rr, met(rr <= 1.2),
                "yes" if not s["mismatches"] else "**no**: " + "; ".join("%s %s %s" % tuple(map(str, m))
                                                                          for m in s["mismatches"][:5])))
        extra = [p[sc].get("engine_extra_ms") for sc in ("county", "province")]
        if p["county"].get("engine_figures", 0) > p["county"]["figures"] and extra[0] is not None:
            out += ["", "The engine also computes the %d figures of the kinds added since (合法性审查, 规范性文件, "
                    "重大行政决策) whose tables the generator leaves empty; asked one by one they take %s (county) "
                    "and %s (province) in all, requests included — a small part of the engine's time." % (
                        p["county"]["engine_figures"] - p["county"]["figures"], ms(extra[0]), ms(extra[1]))]
        prov = p["province"]["engine_ms"]
        if r["records"] >= 10000000:
            out += ["", "Province figures in < 1 s at 10M records: %s (%s)." % (met(prov < 1000), ms(prov))]
        else:
            out += ["", "Province figures in < 1 s (the goal is at 10M records; here %s records): %s." % (
                fnum(r["records"]), ms(prov))]
        slow = sorted(p["county"]["sql_figure_ms"].items(), key=lambda x: -x[1])[:3]
        out += ["", "Slowest hand-written figures (county, both years): %s. Query forms of the engine "
                "(`metric_engine.c` builds them; plans in the notes), timed once for the county:" %
                ", ".join("%s %s" % (k, ms(v)) for k, v in slow), "",
                "| figure | engine's query form, county | its plan |", "|---|---:|---|"]
        for fid, e in p["county"]["engine_forms"].items():
            out.append("| %s | %s | %s |" % (fid, ms(e["ms"]), "; ".join("`%s`" % x for x in e["plan"])))
        out.append("")
    return out


def section_p5(r):
    p = r["p5"]
    idle = p["idle"]["VmRSS"] / 1024
    open_ = p["open"]["VmRSS"] / 1024
    peak = max(r["p2_province"]["rss_after"]["VmHWM"], r["p4"]["rss_after"]["VmHWM"]) / 1024
    return [
        "## 5. Memory",
        "",
        "Resident set size (`VmRSS` of /proc) of `fazhi serve --workers %d` on the demo county's database; the "
        "connections are opened by bench/run.py, each sends one keep-alive `GET /healthz`, reads the reply and "
        "stays open." % r["workers"],
        "",
        "| state | RSS | goal < 50 MB |",
        "|---|---:|---|",
        "| idle, 1 s after start | %.1f MB | %s |" % (idle, met(idle < 50)),
        "| %d keep-alive connections open (%d answered) | %.1f MB | %s |" % (p["connections"], p["answered"], open_,
                                                                         met(open_ < 50)),
        "| for information: peak (`VmHWM`) of the server of benchmarks 2 and 4 on the province database | %.1f MB | |"
        % peak,
        "",
    ]


def write(path, tools):
    results = load_results(tools)
    if not results:
        raise SystemExit("bench/report.py: no complete results in %s" % tools)
    main = results.get("1M") or results[min(results, key=lambda s: results[s]["records"])]
    out = [
        "# Benchmarks",
        "",
        "`make bench` measures fazhi against the machine's own limits. Every figure is a ratio to a reference "
        "measured in the same run on the same machine: nginx for raw HTTP, the server's own `/healthz` for "
        "signed-in requests, the disk's fsync rate for durable writes, hand-written SQL for the metrics. All "
        "traffic is on 127.0.0.1; the databases live in a temporary directory; the server is the normal optimized "
        "build (`build/fazhi`, `-O2`) and runs with `FAZHI_FAST_PASSWORD_HASH=1` only so that the few logins "
        "(not measured) are quick. The programs are in `bench/` (`run.py` drives them, `report.py` writes this "
        "file from `build/bench/results-*.json` and `bench/notes.md`).",
        "",
        "Rerun: `make bench` (1M records, about %.0f minutes here); `make bench BENCH_BIG=1` generates 10M "
        "records for the metrics at scale and adds its table to benchmark 4. Both install wrk and nginx when "
        "missing." % (main["elapsed_s"] / 60),
        "",
    ]
    out += section_machine(main)
    out += section_p1(main)
    out += section_p2(main)
    out += section_p3(main)
    out += section_p4(results)
    out += section_p5(main)
    notes = os.path.join(ROOT, "bench", "notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            out += [f.read().rstrip(), ""]
    # The PostgreSQL section of `make bench DB=pg` (bench/report_pg.py) stays as it was.
    from report_pg import keep_block
    if os.path.exists(path):
        with open(path) as f:
            pg = keep_block(f.read())
        if pg:
            out += [pg, ""]
    with open(path, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    write(os.path.join(ROOT, "BENCHMARKS.md"), os.path.join(ROOT, "build", "bench"))
    print("BENCHMARKS.md written", file=sys.stderr)
