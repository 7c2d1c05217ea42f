#!/usr/bin/env python3
"""make bench DB=pg: the benchmarks of bench/run.py against PostgreSQL 15.

A private PostgreSQL (tests/pg/pgctl.sh: initdb in the temporary directory, so
on the same disk as the SQLite benchmark's files, fsync=on, default settings
otherwise) and the same data as `make bench`: the demo county, one county
deployment and a province of N records (bench/gen writes SQLite; `fazhi
migrate-data` moves each into its own PostgreSQL database, ids unchanged).
Every figure is again a ratio to a reference measured in the same run:

  2. signed-in work   the 20-row case list and a case detail vs the same server's /healthz
  3. durable writes   case registrations per second vs the disk's fsync rate (bench/fsync_rate)
  4. metrics at scale GET /api/v1/metrics for a county and the province root vs the hand-written
                      SQL of bench/metrics_sql, run on PostgreSQL (psql, prepared statements)

The measurements are taken --runs times (default 2) on the same databases, and
the report gives each run's figure. Results: build/bench/results-pg-<size>.json;
the "PostgreSQL" section of BENCHMARKS.md (between its pg markers) is rewritten.

Python 3 standard library only. Usage: python3 bench/run_pg.py [--records N] [--runs R] [--seconds S] [--keep]
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run as B  # noqa: E402 (the SQLite benchmark's helpers: Server, wrk, login, gen, ...)

ROOT = B.ROOT
PGCTL = os.path.join(ROOT, "tests", "pg", "pgctl.sh")
PGBIN = "/usr/lib/postgresql/15/bin"
WORKERS = 3  # the fastest in the SQLite benchmark's sweep on this machine; one connection each
R = {"runs": []}
SOURCE = {}  # PostgreSQL URL -> the SQLite file it was migrated from (for ids and metric SQL)


def log(msg):
    B.log("[pg] " + msg)


def psql(url, sql=None, script=None, timeout=3600):
    cmd = [os.path.join(PGBIN, "psql"), url, "-v", "ON_ERROR_STOP=1", "-qAt"]
    if sql:
        cmd += ["-c", sql]
    p = subprocess.run(cmd, input=script.encode("utf-8") if script else None, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    if p.returncode:
        raise RuntimeError("psql: %s" % p.stderr.decode("utf-8", "replace")[-2000:])
    return p.stdout.decode("utf-8", "replace")


def migrate(sqlite_db, url, name):
    t = time.time()
    B.run([B.BIN, "migrate-data", "--from", sqlite_db, "--to", url], timeout=7200)
    SOURCE[url] = sqlite_db
    psql(url, "ANALYZE")
    secs = round(time.time() - t, 1)
    log("  %s: migrate-data into PostgreSQL in %.1f s" % (name, secs))
    return secs


def detail_ids(db, like, n=200):
    return [r[0] for r in B.q(SOURCE.get(db, db), "SELECT c.id FROM case_file c JOIN org o ON o.id = c.org_id WHERE c.kind ="
               " 'reconsideration' AND o.path LIKE ? ORDER BY c.id DESC LIMIT ?", (like, n))]


def durable_writes(url, tmp, seconds):
    """Registrations per second on PostgreSQL vs the disk's fsync rate (part3 of run.py, counted with psql)."""
    out = {"fsync": json.loads(B.run([os.path.join(B.TOOLS, "fsync_rate"), tmp, "3"]))}
    dept = int(psql(url, "SELECT MIN(id) FROM org WHERE kind = 'department'"))
    count = "SELECT COUNT(*) FROM case_file WHERE kind = 'reconsideration'"
    before = int(psql(url, count))
    srv = B.Server(url, WORKERS, tmp, "pg3")
    try:
        cookie, csrf = B.login(srv.port, "staff")
        body = json.dumps({"received_date": B.today_cst().isoformat(), "channel": "online",
                           "respondent_org_id": dept, "act": "行政处罚决定", "claims": "请求撤销该行政处罚决定",
                           "applicants": [{"type": "person", "name": "张三"}]}, ensure_ascii=False)
        env = {"FAZHI_BENCH_COOKIE": cookie, "FAZHI_BENCH_CSRF": csrf, "FAZHI_BENCH_BODY": body}
        out["post"] = B.wrk(srv.url("/api/v1/reconsiderations"), seconds, script="post.lua", env=env, warmup=1)
    finally:
        srv.stop()
    p = out["post"]
    out["acknowledged"] = p["requests"] - p["non2xx"]
    out["created"] = int(psql(url, count)) - before
    out["per_second"] = out["acknowledged"] / p["seconds"]
    log("  registrations: %.0f/s (%d non-2xx), fsync %s" % (out["per_second"], p["non2xx"], out["fsync"]))
    return out


def sql_on_pg(url, sqlite_db, org, year, reps):
    """bench/metrics_sql's queries (text and figures from the SQLite source) timed on PostgreSQL."""
    ref = json.loads(B.run([os.path.join(B.TOOLS, "metrics_sql"), "--db", sqlite_db, "--org", org, "--year",
                            str(year), "--reps", "1", "--plans"], timeout=3600))
    args = [(ref["org"]["path"], "%d-01-01" % y, "%d-12-31" % y, ref["org"]["id"]) for y in (year, year - 1)]
    lines = ["\\timing on"]
    names = list(ref["sql"])
    for i, fid in enumerate(names):
        text = re.sub(r"\?(\d)", r"$\1", ref["sql"][fid]).replace("/ COUNT(*)", "/ NULLIF(COUNT(*), 0)")
        lines.append("PREPARE q%d(text, text, text, bigint) AS %s;" % (i, text))
    for _ in range(reps):
        for i in range(len(names)):
            for a in args:
                lines.append("EXECUTE q%d('%s', '%s', '%s', %d);" % ((i,) + a))
    out = psql(url, script="\n".join(lines) + "\n")
    times = [float(m) for m in re.findall(r"^Time: ([\d.]+) ms", out, re.M)]
    values = [ln for ln in out.splitlines() if not ln.startswith("Time:")]
    per = 2 * len(names)
    times = times[len(names):]  # the PREPAREs
    ms = [sum(times[k * per:(k + 1) * per]) for k in range(reps)]
    figures = {}
    for i, fid in enumerate(names):
        v, p = values[2 * i], values[2 * i + 1]
        figures[fid] = [float(v) if v else None, float(p) if p else None]
    return {"org": ref["org"], "queries": per, "ms": ms, "figures": figures, "sqlite_figures": ref["figures"],
            "sqlite_sql_ms": ref["ms"][0]}


def metrics(url, tmp, year, reps):
    out = {"year": year}
    srv = B.Server(url, WORKERS, tmp, "pg4")
    try:
        cookie, _ = B.login(srv.port, "bleader")
        for scope, org in (("county", B.COUNTY), ("province", B.PROVINCE)):
            path = "/api/v1/metrics?org=%s&year=%d" % (org, year)
            times = []
            for _ in range(reps + 1):
                st, body, dt = B.get(srv.port, path, cookie, timeout=1800)
                if st != 200:
                    raise RuntimeError("GET %s: %d %s" % (path, st, body[:300]))
                times.append(dt)
            engine = json.loads(body)["metrics"]
            sql = sql_on_pg(url, SOURCE[url], org, year, reps)
            warm = sql["ms"][1:] or sql["ms"]
            r = {"org": sql["org"]["name"], "engine_ms_first": round(times[0] * 1000, 1),
                 "engine_ms": round(statistics.median(times[1:]) * 1000, 1), "sql_ms": round(statistics.median(warm), 1),
                 "sql_queries": sql["queries"], "figures": len(sql["figures"]),
                 "mismatches": B.figures_agree(engine, sql["figures"]),
                 "sqlite_mismatches": [f for f in sql["figures"] if sql["figures"][f] != sql["sqlite_figures"][f]]}
            out[scope] = r
            log("  [%s] engine %.0f ms (first %.0f), hand-written SQL %.0f ms, %d mismatches, %d vs SQLite" % (
                scope, r["engine_ms"], r["engine_ms_first"], r["sql_ms"], len(r["mismatches"]),
                len(r["sqlite_mismatches"])))
    finally:
        srv.stop()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    size = "%dM" % (args.records // 1000000) if args.records >= 1000000 else "%dk" % (args.records // 1000)
    year = B.today_cst().year - 1
    tmp = tempfile.mkdtemp(prefix="fazhi-bench-pg-")
    pgdir = os.path.join(tmp, "pg")
    os.environ["FAZHI_KEY_FILE"] = os.path.join(tmp, "fazhi.key")  # one key for every database of the run
    os.environ["FAZHI_FILES_DIR"] = os.path.join(tmp, "files")
    B.detail_ids = detail_ids  # part2 reads ids from the SQLite source
    R.update({"size": size, "records": args.records, "year": year, "workers": WORKERS, "seconds": args.seconds,
              "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds")})
    os.chmod(tmp, 0o755)
    try:
        R["machine"] = B.machine()
        R["machine"]["disk"] = B.disk_of(tmp)["description"]
        R["load_start"] = os.getloadavg()
        base = B.run([PGCTL, "start", pgdir]).strip()
        R["postgres"] = B.run([os.path.join(PGBIN, "postgres"), "--version"]).strip()
        log("PostgreSQL %s at %s" % (R["postgres"], base))
        for name in ("demo", "county", "province"):
            psql(base.replace("://fazhi@", "://postgres@") + "/postgres", "CREATE DATABASE %s OWNER fazhi" % name)
        demo = base + "/demo"
        B.fazhi("init", "--demo", "--db", demo)
        B.fazhi("user", "passwd", "staff", "--db", demo, env={"FAZHI_NEW_PASSWORD": B.PASSWORD})

        log("county deployment and province of %s records (bench/gen into SQLite, then migrate-data)" % size)
        cdb = os.path.join(tmp, "county.db")
        B.fazhi("init", "--division-code", B.COUNTY, "--db", cdb)
        prov = os.path.join(tmp, "province.db")
        B.fazhi("init", "--org-name", "浙江省人民政府", "--db", prov)
        t = time.time()
        R["gen"] = B.gen(prov, args.records)
        R["gen"]["wall_seconds"] = round(time.time() - t, 1)
        B.add_user(prov, "bleader", B.PROVINCE, "leader")
        B.add_user(prov, "bcounty", B.COUNTY, "liaison")
        (county_path,) = B.q(prov, "SELECT path FROM org WHERE division_code = ?", (B.COUNTY,))[0]
        R["gen_county"] = B.gen(cdb, max(B.county_records(prov, B.COUNTY), 1000), county=B.COUNTY)
        B.add_user(cdb, "cstaff", B.COUNTY, "staff")
        R["migrate_seconds"] = {"county": migrate(cdb, base + "/county", "county"),
                                "province": migrate(prov, base + "/province", "province")}
        R["load_databases"] = os.getloadavg()[0]

        for n in range(1, args.runs + 1):
            log("run %d of %d" % (n, args.runs))
            res = {"load_start": os.getloadavg()[0]}
            res["p2_county"] = B.part2(base + "/county", tmp, WORKERS, {"county": "cstaff"}, "/%", args.seconds,
                                       "PostgreSQL county deployment")
            res["p2_province"] = B.part2(base + "/province", tmp, WORKERS, {"county": "bcounty", "province": "bleader"},
                                         county_path + "%", args.seconds, "PostgreSQL province database")
            res["p3"] = durable_writes(demo, tmp, args.seconds)
            res["p4"] = metrics(base + "/province", tmp, year, 3)
            res["load_end"] = os.getloadavg()[0]
            R["runs"].append(res)
    finally:
        R["load_end"] = os.getloadavg()
        R["elapsed_s"] = round(time.time() - B.T0, 1)
        B.run([PGCTL, "stop", pgdir], check=False)
        os.makedirs(B.TOOLS, exist_ok=True)
        path = os.path.join(B.TOOLS, "results-pg-%s.json" % size)
        with open(path, "w") as f:
            json.dump(R, f, ensure_ascii=False, indent=1)
        log("results in %s" % os.path.relpath(path, ROOT))
        if args.keep:
            log("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    import report_pg
    report_pg.splice(os.path.join(ROOT, "BENCHMARKS.md"), R)
    log("BENCHMARKS.md: PostgreSQL section written (%.1f min)" % ((time.time() - B.T0) / 60))


if __name__ == "__main__":
    main()
