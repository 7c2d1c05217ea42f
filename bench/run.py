#!/usr/bin/env python3
"""make bench: fazhi against the machine's limits, every figure a ratio to a
reference measured in the same run on the same machine. Writes the results as
JSON (build/bench/results-<size>.json) and BENCHMARKS.md (bench/report.py).

  1. HTTP limit       GET /healthz vs nginx serving a static file of the same size
  2. signed-in work   a filtered 20-row case list page and a case detail vs /healthz
  3. durable writes   case registrations per second vs the disk's fsync rate
                      (bench/fsync_rate), and what group commit would give (bench/group_commit)
  4. metrics at scale the annual metric set of a county and of the province root
                      (GET /api/v1/metrics) vs hand-written SQL (bench/metrics_sql)
  5. memory           server RSS idle and with 1,000 open keep-alive connections

Everything runs on 127.0.0.1, on databases in a temporary directory: a fresh demo
county (`fazhi init --demo`), a province of N records (`bench/gen`, default 1M)
and one county deployment holding the same county's share. The server runs with
FAZHI_FAST_PASSWORD_HASH=1 so that the few logins are quick; nothing measured logs in.

Python 3 standard library only. Usage (make bench does this):
  python3 bench/run.py [--records N] [--keep] [--quick] [--only list,metrics,writes] [--workers N]
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "fazhi")
TOOLS = os.path.join(ROOT, "build", "bench")
PASSWORD = "Bench#2026pwXy"
COUNTY = "330421"  # 嘉善县, the project's demo county
PROVINCE = "330000"
WORKER_CHOICES = (1, 2, 3, 4, 8)
CONNS = 64

T0 = time.time()
R = {"steps": [], "loads": []}


def log(msg):
    print("[bench %5.0fs] %s" % (time.time() - T0, msg), flush=True)


def note_load(step):
    la = os.getloadavg()
    R["loads"].append([step, round(la[0], 2)])


def run(cmd, env=None, check=True, capture=True, timeout=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run(cmd, env=e, stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.PIPE if capture else None, timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                                   (p.stderr or b"").decode("utf-8", "replace")[-2000:]))
    return (p.stdout or b"").decode("utf-8", "replace")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def today_cst():
    return (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date()


# ------------------------------------------------------------------ machine


def machine():
    m = {}
    lscpu = run(["lscpu"], check=False)
    fields = dict((k.strip(), v.strip()) for k, v in
                  (line.split(":", 1) for line in lscpu.splitlines() if ":" in line))
    m["cpu"] = fields.get("Model name", platform.processor())
    for k in ("CPU family", "Model", "Stepping"):
        if k in fields:
            m["cpu"] += ", %s %s" % (k.lower(), fields[k])
    if fields.get("CPU max MHz"):
        m["cpu"] += ", max %s MHz" % fields["CPU max MHz"].split(".")[0]
    m["cores"] = "%d logical CPUs (%s thread(s) per core)" % (os.cpu_count(), fields.get("Thread(s) per core", "?"))
    if fields.get("Hypervisor vendor"):
        m["cores"] += ", virtual machine (%s)" % fields["Hypervisor vendor"]
    with open("/proc/meminfo") as f:
        kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    m["ram"] = "%.1f GiB" % (kb / 1048576)
    m["kernel"] = platform.release()
    try:
        with open("/etc/os-release") as f:
            m["os"] = re.search(r'PRETTY_NAME="([^"]+)"', f.read()).group(1)
    except (OSError, AttributeError):
        m["os"] = platform.platform()
    m["versions"] = {
        "sqlite": run(["pkg-config", "--modversion", "sqlite3"], check=False).strip(),
        "libevent": run(["pkg-config", "--modversion", "libevent"], check=False).strip(),
        "nginx": subprocess.run(["nginx", "-v"], stderr=subprocess.PIPE).stderr.decode().strip().split("/")[-1],
        "wrk": run(["wrk", "-v"], check=False).split()[1] if run(["wrk", "-v"], check=False).split() else "?",
        "gcc": run(["gcc", "-dumpfullversion"], check=False).strip(),
        "python": platform.python_version(),
    }
    return m


def disk_of(path):
    out = run(["findmnt", "-n", "-o", "SOURCE,FSTYPE,OPTIONS", "-T", path], check=False).split()
    d = {"device": out[0] if out else "?", "fs": out[1] if len(out) > 1 else "?",
         "options": out[2] if len(out) > 2 else ""}
    dev = os.path.basename(d["device"])
    base = re.sub(r"p?\d+$", "", dev) if not os.path.exists("/sys/block/" + dev) else dev
    rot = "/sys/block/%s/queue/rotational" % base
    model = ""
    for f in ("/sys/block/%s/device/model" % base, "/sys/block/%s/device/vendor" % base):
        if os.path.exists(f):
            model = open(f).read().strip()
            break
    if base.startswith("vd"):
        model = "virtio block device" + (" (vendor %s)" % model if model else "")
    size = run(["lsblk", "-dn", "-o", "SIZE", "/dev/" + base], check=False).strip()
    d["description"] = "%s (%s%s%s), %s, mounted %s" % (
        "/dev/" + base, model or "disk", ", " + size if size else "",
        ", reported rotational" if os.path.exists(rot) and open(rot).read().strip() == "1" else "",
        d["fs"], ",".join(o for o in d["options"].split(",") if o in ("relatime", "noatime", "discard", "barrier=0", "nobarrier", "data=writeback")))
    return d


# ------------------------------------------------------------------ processes


class Server:
    def __init__(self, db, workers, tmp, name="server", log_level="warn"):
        self.port = free_port()
        self.log = open(os.path.join(tmp, "%s-%d.log" % (name, self.port)), "w")
        env = dict(os.environ, FAZHI_FAST_PASSWORD_HASH="1")
        self.proc = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:%d" % self.port,
                                      "--workers", str(workers), "--log-level", log_level],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.workers = workers
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("fazhi serve exited with %d (see %s)" % (self.proc.returncode, self.log.name))
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("fazhi serve did not answer /healthz")

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def rss(self):
        return rss_kb(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        s = f.read()
    return {k: int(re.search(r"%s:\s+(\d+)" % k, s).group(1)) for k in ("VmRSS", "VmHWM")}


def get(port, path, cookie=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Cookie": cookie} if cookie else {}
    t = time.perf_counter()
    c.request("GET", path, headers=h)
    r = c.getresponse()
    body = r.read()
    dt = time.perf_counter() - t
    c.close()
    return r.status, body, dt


def login(port, username):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", "/api/v1/session", body=json.dumps({"username": username, "password": PASSWORD}),
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    body = json.loads(r.read())
    if r.status != 200:
        raise RuntimeError("login %s: %s" % (username, body))
    cookie = r.getheader("Set-Cookie").split(";")[0]
    c.close()
    return cookie, body.get("csrf")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def wrk(url, seconds, script=None, env=None, conns=CONNS, threads=2, warmup=2):
    base = ["wrk", "-t%d" % threads, "-c%d" % conns, "--latency", "--timeout", "60s"]
    if script:
        base += ["-s", os.path.join(ROOT, "bench", script)]
    if warmup:
        run(base[:5] + ["-d%ds" % warmup] + base[5:] + [url], env=env, check=False)
    out = run(base + ["-d%ds" % seconds, url], env=env)
    res = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
           "requests": int(re.search(r"(\d+) requests in", out).group(1)),
           "non2xx": 0, "errors": 0, "seconds": seconds}
    for pct in ("50", "99"):
        mm = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s|m)\s*$" % pct, out, re.M)
        res["p%s_ms" % pct] = float(mm.group(1)) * UNITS[mm.group(2)] if mm else None
    mm = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if mm:
        res["non2xx"] = int(mm.group(1))
    mm = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if mm:
        res["errors"] = sum(int(x) for x in mm.groups())
    return res


NGINX_CONF = """daemon off;
master_process on;
worker_processes %(workers)d;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    open_file_cache max=16 inactive=60s;
    open_file_cache_valid 60s;
    server_tokens off;
    client_body_temp_path %(dir)s/tmp;
    proxy_temp_path %(dir)s/tmp;
    fastcgi_temp_path %(dir)s/tmp;
    uwsgi_temp_path %(dir)s/tmp;
    scgi_temp_path %(dir)s/tmp;
    server {
        listen 127.0.0.1:%(port)d;
        root %(dir)s/www;
        location = /healthz {
            default_type "application/json; charset=utf-8";
            try_files /healthz.json =404;
            add_header Cache-Control no-store;
            add_header X-Content-Type-Options nosniff;
            add_header X-Frame-Options DENY;
            add_header Referrer-Policy no-referrer;
        }
    }
}
"""


class Nginx:
    def __init__(self, tmp, workers, body):
        self.dir = os.path.join(tmp, "nginx-%d" % workers)
        os.makedirs(os.path.join(self.dir, "www"), exist_ok=True)
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        with open(os.path.join(self.dir, "www", "healthz.json"), "wb") as f:
            f.write(body)
        # nginx's workers drop root for "nobody": they must be able to reach the file.
        os.chmod(tmp, 0o711)
        for d in (self.dir, os.path.join(self.dir, "www")):
            os.chmod(d, 0o755)
        os.chmod(os.path.join(self.dir, "www", "healthz.json"), 0o644)
        self.port = free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF % {"workers": workers, "dir": self.dir, "port": self.port})
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([nginx, "-p", self.dir, "-e", os.path.join(self.dir, "error.log"),
                                      "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                st, b, _ = get(self.port, "/healthz")
                if st == 200 and b == body:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        with open(os.path.join(self.dir, "error.log")) as f:
            raise RuntimeError("nginx did not start: %s" % f.read()[-1000:])

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful shutdown of master and workers
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ------------------------------------------------------------------ databases


def fazhi(*args, env=None):
    e = {"FAZHI_FAST_PASSWORD_HASH": "1", "FAZHI_ADMIN_PASSWORD": PASSWORD}
    e.update(env or {})
    return run([BIN] + list(args), env=e)


def add_user(db, username, org, role):
    fazhi("user", "add", username, "--name", "基准测试" + username, "--org", org, "--role", role, "--db", db)
    fazhi("user", "passwd", username, "--db", db, env={"FAZHI_NEW_PASSWORD": PASSWORD})


def gen(db, records, county=None):
    cmd = [os.path.join(TOOLS, "gen"), "--db", db, "--records", str(records), "--data", os.path.join(ROOT, "bench", "data")]
    if county:
        cmd += ["--county", county]
    return json.loads(run(cmd).strip().splitlines()[-1])


def q(db, sql, args=()):
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def county_records(db, code):
    """Records of the county's tree in the province database (cases handled by or against its orgs, ledger)."""
    (path,) = q(db, "SELECT path FROM org WHERE division_code = ?", (code,))[0]
    like = path + "%"
    cases = q(db, "SELECT COUNT(*) FROM case_file c JOIN org o ON o.id = c.org_id LEFT JOIN org p ON p.id = c.party_org_id"
                  " WHERE o.path LIKE ? OR p.path LIKE ?", (like, like))[0][0]
    ledger = q(db, "SELECT COUNT(*) FROM ledger_entry e JOIN org o ON o.id = e.org_id WHERE o.path LIKE ?", (like,))[0][0]
    return cases + ledger


def detail_ids(db, like, n=200):
    return [r[0] for r in q(db, "SELECT c.id FROM case_file c JOIN org o ON o.id = c.org_id"
                                " WHERE c.kind = 'reconsideration' AND o.path LIKE ? ORDER BY c.id DESC LIMIT ?", (like, n))]


# ------------------------------------------------------------------ benchmarks


def list_path(state="accepted"):
    return "/api/v1/cases?kind=reconsideration&state=%s&page_size=20" % state


def signed_in(srv, cookie, path=None, paths=None, seconds=10):
    env = {"FAZHI_BENCH_COOKIE": cookie, "FAZHI_BENCH_PATHS": " ".join(paths or [])}
    st, body, _ = get(srv.port, path or paths[0], cookie, timeout=120)
    if st != 200:
        raise RuntimeError("GET %s: %d %s" % (path or paths[0], st, body[:300]))
    return wrk(srv.url(path or paths[0]), seconds, script="auth.lua", env=env)


def sweep_workers(db, tmp, user, ids, seconds):
    rows = []
    for w in WORKER_CHOICES:
        srv = Server(db, w, tmp, "sweep")
        try:
            cookie, _ = login(srv.port, user)
            lst = signed_in(srv, cookie, path=list_path(), seconds=seconds)
            det = signed_in(srv, cookie, paths=["/api/v1/cases/%d" % i for i in ids], seconds=seconds)
            rows.append({"workers": w, "list_rps": lst["rps"], "detail_rps": det["rps"],
                         "score": (lst["rps"] * det["rps"]) ** 0.5})
            log("  workers=%d: list %.0f/s, detail %.0f/s" % (w, lst["rps"], det["rps"]))
        finally:
            srv.stop()
    best = max(rows, key=lambda r: r["score"])
    return rows, best["workers"]


def part1(demo_db, tmp, workers, seconds, rounds=3):
    """fazhi and nginx (1 worker) measured in turn, `rounds` times each; nginx with 2 workers once."""
    out = {"fazhi_runs": [], "nginx_1_runs": []}
    srv = Server(demo_db, workers, tmp, "p1")
    ng = None
    try:
        st, body, _ = get(srv.port, "/healthz")
        out["body_bytes"] = len(body)
        ng = Nginx(tmp, 1, body)
        for i in range(rounds):
            out["fazhi_runs"].append(wrk(srv.url("/healthz"), seconds))
            out["nginx_1_runs"].append(wrk(ng.url("/healthz"), seconds))
            log("  round %d: fazhi %.0f/s, nginx (1 worker) %.0f/s" % (i + 1, out["fazhi_runs"][-1]["rps"],
                                                                     out["nginx_1_runs"][-1]["rps"]))
    finally:
        srv.stop()
        if ng:
            ng.stop()
    ng = Nginx(tmp, 2, body)
    try:
        out["nginx_2"] = wrk(ng.url("/healthz"), seconds)
        log("  nginx (2 workers): %.0f/s" % out["nginx_2"]["rps"])
    finally:
        ng.stop()
    return out


def part2(db, tmp, workers, users, like, seconds, label):
    """users: {"county": username, "province": username or None}."""
    out = {"label": label}
    srv = Server(db, workers, tmp, "p2")
    try:
        out["healthz"] = wrk(srv.url("/healthz"), seconds)
        log("  [%s] /healthz: %.0f/s" % (label, out["healthz"]["rps"]))
        cookie, _ = login(srv.port, users["county"])
        out["auth_floor"] = signed_in(srv, cookie, path="/api/v1/org-kinds", seconds=seconds)
        log("  [%s] signed-in floor (GET /api/v1/org-kinds): %.0f/s" % (label, out["auth_floor"]["rps"]))
        out["list"] = signed_in(srv, cookie, path=list_path(), seconds=seconds)
        out["list_total"] = json.loads(get(srv.port, list_path(), cookie, timeout=120)[1])["total"]
        log("  [%s] county list: %.1f/s p99 %.1f ms" % (label, out["list"]["rps"], out["list"]["p99_ms"]))
        ids = detail_ids(db, like)
        out["detail"] = signed_in(srv, cookie, paths=["/api/v1/cases/%d" % i for i in ids], seconds=seconds)
        out["detail_ids"] = len(ids)
        log("  [%s] case detail: %.0f/s p99 %.1f ms" % (label, out["detail"]["rps"], out["detail"]["p99_ms"]))
        if users.get("province"):
            pc, _ = login(srv.port, users["province"])
            out["list_province"] = signed_in(srv, pc, path=list_path(), seconds=seconds)
            out["list_province_total"] = json.loads(get(srv.port, list_path(), pc, timeout=120)[1])["total"]
            log("  [%s] province list: %.1f/s p99 %.1f ms" % (label, out["list_province"]["rps"],
                                                            out["list_province"]["p99_ms"]))
        out["rss_after"] = srv.rss()
    finally:
        srv.stop()
    return out


def part3(demo_db, gc_db, tmp, workers, seconds):
    out = {}
    out["fsync"] = json.loads(run([os.path.join(TOOLS, "fsync_rate"), tmp, "3"]))
    log("  fsync rate: %s" % out["fsync"])
    (dept,) = q(demo_db, "SELECT MIN(id) FROM org WHERE kind = 'department'")[0]
    before = q(demo_db, "SELECT COUNT(*) FROM case_file WHERE kind = 'reconsideration'")[0][0]
    # At level info the server logs, when it stops, how its write groups went.
    srv = Server(demo_db, workers, tmp, "p3", log_level="info")
    try:
        cookie, csrf = login(srv.port, "staff")
        body = json.dumps({"received_date": today_cst().isoformat(), "channel": "online",
                           "respondent_org_id": dept, "act": "行政处罚决定", "claims": "请求撤销该行政处罚决定",
                           "applicants": [{"type": "person", "name": "张三"}]}, ensure_ascii=False)
        env = {"FAZHI_BENCH_COOKIE": cookie, "FAZHI_BENCH_CSRF": csrf, "FAZHI_BENCH_BODY": body}
        out["post"] = wrk(srv.url("/api/v1/reconsiderations"), seconds, script="post.lua", env=env, warmup=1)
    finally:
        srv.stop()
    with open(srv.log.name) as f:
        m = re.search(r"group commit: (\d+) write request\(s\) in (\d+) transaction\(s\), at most (\d+)", f.read())
    if m:
        out["server_groups"] = {"requests": int(m.group(1)), "transactions": int(m.group(2)), "largest": int(m.group(3))}
        log("  server: %s" % out["server_groups"])
    after = q(demo_db, "SELECT COUNT(*) FROM case_file WHERE kind = 'reconsideration'")[0][0]
    audited = q(demo_db, "SELECT COUNT(*) FROM audit_log WHERE action = 'reconsideration.create' AND result = 'success'")[0][0]
    p = out["post"]
    out["acknowledged"] = p["requests"] - p["non2xx"]
    out["created"] = after - before
    out["audited"] = audited
    out["per_second"] = (p["requests"] - p["non2xx"]) / p["seconds"]
    log("  registrations: %.0f/s (%d non-2xx)" % (out["per_second"], p["non2xx"]))
    gc = run([os.path.join(TOOLS, "group_commit"), gc_db, "2"])
    out["group_commit"] = [json.loads(line) for line in gc.splitlines() if line.startswith('{"batch"')]
    out["wal"] = [json.loads(line) for line in gc.splitlines() if line.startswith('{"wal')][0]
    log("  group commit: %s" % ", ".join("%d→%.0f/s" % (g["batch"], g["per_second"]) for g in out["group_commit"]))
    return out


def figures_agree(engine, sql):
    bad = []
    for fid, (v, p) in sql.items():
        e = engine.get(fid)
        if e is None:
            bad.append([fid, "missing from the engine", None])
            continue
        for which, a, b in (("value", e["value"], v), ("previous", e["previous"], p)):
            if a is None and b is None:
                continue
            if a is None or b is None or abs(float(a) - float(b)) > 1e-6:
                bad.append([fid, which, [a, b]])
    return bad


def part4(db, tmp, workers, year, reps):
    out = {"year": year}
    srv = Server(db, workers, tmp, "p4")
    try:
        cookie, _ = login(srv.port, "bleader")
        for scope, org in (("county", COUNTY), ("province", PROVINCE)):
            path = "/api/v1/metrics?org=%s&year=%d" % (org, year)
            st, body, first = get(srv.port, path, cookie, timeout=1800)
            if st != 200:
                raise RuntimeError("GET %s: %d %s" % (path, st, body[:300]))
            times = [first]
            for _ in range(reps if first < 20 else 0):
                st, body, dt = get(srv.port, path, cookie, timeout=1800)
                times.append(dt)
            engine = json.loads(body)["metrics"]
            engine_figures = len(engine)
            warm = times[1:] or times
            extra_ms = 0.0
            for fid in engine:
                if fid.split(".")[0] not in ("reconsideration", "litigation", "ledger"):
                    extra_ms += get(srv.port, "/api/v1/metrics/%s?org=%s&year=%d" % (fid, org, year), cookie,
                                    timeout=1800)[2] * 1000
            sql = json.loads(run([os.path.join(TOOLS, "metrics_sql"), "--db", db, "--org", org, "--year", str(year),
                                  "--reps", str(max(1, reps if first < 20 else 1)), "--plans"], timeout=3600))
            sql_warm = sql["ms"][1:] or sql["ms"]
            r = {"org": sql["org"], "engine_ms_first": round(first * 1000, 1),
                 "engine_ms": round(statistics.median(warm) * 1000, 1), "engine_runs": len(warm),
                 "sql_ms": round(statistics.median(sql_warm), 1), "sql_runs": len(sql_warm),
                 "sql_queries": sql["queries"], "figures": len(sql["figures"]), "engine_figures": engine_figures,
                 "engine_extra_ms": round(extra_ms, 1),
                 "mismatches": figures_agree(engine, sql["figures"]),
                 "sql_figure_ms": sql["figure_ms"], "sql_figures": sql["figures"], "engine_forms": sql["engine_forms"],
                 "plans": sql["plans"], "sql_text": sql["sql"],
                 "sample": {k: [engine[k]["value"], engine[k]["previous"]] for k in
                            ("reconsideration.received", "reconsideration.correction_rate", "litigation.loss_rate",
                             "litigation.head_appearance_rate", "ledger.publicity_people")}}
            out[scope] = r
            log("  [%s] engine %.0f ms (first %.0f), hand-written SQL %.0f ms, %d mismatches" %
                (scope, r["engine_ms"], r["engine_ms_first"], r["sql_ms"], len(r["mismatches"])))
        out["rss_after"] = srv.rss()
    finally:
        srv.stop()
    return out


def part5(demo_db, tmp, workers, nconns=1000):
    out = {}
    srv = Server(demo_db, workers, tmp, "p5")
    socks = []
    try:
        time.sleep(1.0)
        out["idle"] = srv.rss()
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < nconns + 100:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, nconns + 1000), hard))
        req = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"
        for _ in range(nconns):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            s.sendall(req)
            socks.append(s)
        ok = 0
        for s in socks:
            data = b""
            while b"\r\n\r\n" not in data or not data.endswith(b"}"):
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            ok += data.startswith(b"HTTP/1.1 200")
        time.sleep(1.0)
        out["connections"] = nconns
        out["answered"] = ok
        out["open"] = srv.rss()
        out["still_open"] = sum(1 for s in socks if s.fileno() >= 0)
    finally:
        for s in socks:
            s.close()
        srv.stop()
    return out


# ------------------------------------------------------------------ main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1000000)
    ap.add_argument("--seconds", type=int, default=10, help="wrk duration of each measurement")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--quick", action="store_true", help="short runs, for trying the harness")
    ap.add_argument("--only", default="", help="comma-separated parts to run (list = 2, writes = 3, metrics = 4); results go to"
                    " results-<size>-only.json and BENCHMARKS.md is left alone")
    ap.add_argument("--workers", type=int, default=0, help="skip the --workers sweep and use this many")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    unknown = only - {"list", "writes", "metrics"}
    if unknown:
        ap.error("--only: unknown part(s) %s (known: list, writes, metrics)" % ", ".join(sorted(unknown)))
    want = lambda part: not only or part in only
    # The province and county databases (and the --workers sweep on the county)
    # serve parts 2 and 4; the writes alone need only the demo county.
    big = want("list") or want("metrics")
    secs = 3 if args.quick else args.seconds
    size = "%dM" % (args.records // 1000000) if args.records >= 1000000 else "%dk" % (args.records // 1000)
    year = today_cst().year - 1
    tmp = tempfile.mkdtemp(prefix="fazhi-bench-")
    R.update({"size": size, "records": args.records, "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
              "year": year, "conns": CONNS, "seconds": secs, "tmp": tmp})
    log("temporary directory %s" % tmp)
    try:
        R["machine"] = machine()
        R["machine"]["disk"] = disk_of(tmp)["description"]
        R["load_start"] = os.getloadavg()
        note_load("start")

        log("databases: demo county" + (", province of %s records, one county deployment" % size if big else ""))
        demo = os.path.join(tmp, "demo.db")
        fazhi("init", "--demo", "--db", demo)
        fazhi("user", "passwd", "staff", "--db", demo, env={"FAZHI_NEW_PASSWORD": PASSWORD})
        gc_db = os.path.join(tmp, "group_commit.db")
        shutil.copy(demo, gc_db)
        if big:
            prov = os.path.join(tmp, "province.db")
            fazhi("init", "--org-name", "浙江省人民政府", "--db", prov)
            t = time.time()
            R["gen"] = gen(prov, args.records)
            R["gen"]["wall_seconds"] = round(time.time() - t, 1)
            R["gen"]["db_bytes"] = os.path.getsize(prov)
            log("  gen: %d records in %.1f s (%.0f MB)" % (R["gen"]["records"], R["gen"]["wall_seconds"],
                                                          R["gen"]["db_bytes"] / 1e6))
            add_user(prov, "bleader", PROVINCE, "leader")
            add_user(prov, "bcounty", COUNTY, "liaison")
            (county_path,) = q(prov, "SELECT path FROM org WHERE division_code = ?", (COUNTY,))[0]
            n_county = county_records(prov, COUNTY)
            cdb = os.path.join(tmp, "county.db")
            fazhi("init", "--division-code", COUNTY, "--db", cdb)
            R["gen_county"] = gen(cdb, max(n_county, 1000), county=COUNTY)
            add_user(cdb, "cstaff", COUNTY, "staff")
        note_load("databases")

        if args.workers:
            workers = args.workers
        elif not big:
            # A group of writes runs on one worker whatever their number; the
            # sweep needs the county deployment, which --only writes skips.
            workers = 2
            log("workers: --workers 2 (no sweep with --only writes; pass --workers to choose)")
        else:
            log("workers: which --workers is fastest on this machine (county deployment, list + detail)")
            R["sweep"], workers = sweep_workers(cdb, tmp, "cstaff", detail_ids(cdb, "/%"), max(3, secs // 2))
            log("  fastest: --workers %d" % workers)
            note_load("sweep")
        R["workers"] = workers

        if not only:
            log("1. HTTP limit: /healthz vs nginx")
            R["p1"] = part1(demo, tmp, workers, secs)
            note_load("p1")

        if want("list"):
            log("2. signed-in work")
            R["p2_county"] = part2(cdb, tmp, workers, {"county": "cstaff"}, "/%", secs, "county deployment")
            R["p2_province"] = part2(prov, tmp, workers, {"county": "bcounty", "province": "bleader"},
                                     county_path + "%", secs, "province database")
            note_load("p2")

        if want("writes"):
            log("3. durable writes")
            R["p3"] = part3(demo, gc_db, tmp, workers, secs)
            note_load("p3")

        if want("metrics"):
            log("4. metrics at scale (year %d and %d)" % (year, year - 1))
            R["p4"] = part4(prov, tmp, workers, year, 1 if args.records > 3000000 else 3)
            note_load("p4")

        if not only:
            log("5. memory")
            R["p5"] = part5(demo, tmp, workers)
            note_load("p5")
    finally:
        R["load_end"] = os.getloadavg()
        R["elapsed_s"] = round(time.time() - T0, 1)
        os.makedirs(TOOLS, exist_ok=True)
        path = os.path.join(TOOLS, "results-%s%s.json" % (size, "-only" if only else ""))
        with open(path, "w") as f:
            json.dump(R, f, ensure_ascii=False, indent=1)
        log("results in %s" % os.path.relpath(path, ROOT))
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log("kept %s" % tmp)
    if only:
        log("--only: BENCHMARKS.md left alone (%.1f min)" % ((time.time() - T0) / 60))
        return
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import report
    report.write(os.path.join(ROOT, "BENCHMARKS.md"), TOOLS)
    log("BENCHMARKS.md written (%.1f min)" % ((time.time() - T0) / 60))


if __name__ == "__main__":
    main()
