#!/usr/bin/env python3
"""API test suite for fazhi.

Usage: python3 tests/api/run.py --bin build/fazhi [FILTER ...]

Creates a demo database in a temporary directory, starts `fazhi serve` on a
free loopback port and runs the tests of tests/api/test_*.py, printing one
TAP stream numbered 1..N. With FAZHI_VALGRIND=1 the server runs under
valgrind memcheck. At the end the server is stopped with SIGTERM (it must
exit with status 0), then the audit trail is checked for append-only
protection and tamper detection directly in the database file.

Layout:
  run.py       this entry point: arguments, discovery, TAP, summary, exit code
  harness.py   server start/stop, Client, assertions, account helpers, @test
  cases.py     helpers shared by the case tests (create, act, find a deadline)
  test_00_session.py          health, login, lockout, password change, logout
  test_10_access.py           permissions, 三权分立, data scope, CSRF, request validation
  test_20_orgs.py             organisation tree
  test_30_users.py            user accounts
  test_40_audit.py            backup, audit trail and verify; tamper tests (server stopped)
  test_50_reconsideration.py  行政复议 workflow, deadlines, attachments, PII, calendar
  test_60_litigation.py       行政应诉 workflow and appeal; case audit records
  test_65_case_list_scope.py  case list: data scope x filters against the case details
  test_88_tenants.py          two tenants: audit trail and roles scoped to the tenant

Order: files in name order, tests in definition order, except that tests
registered with phase=LATE run after every other live test and tests with
phase=STOPPED run last (the first of them stops the server).

FILTER arguments (optional, for development) keep only the test files whose
name contains one of them; the numbering is then 1..N of the tests kept.

Python 3 standard library only. Exit status 0 when every test passed.
"""

import glob
import importlib
import os
import shutil
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from harness import S, TestFailure, diag, read_log, setup, start_server, describe_exit  # noqa: E402

# Frames of these helpers add nothing to a failure report.
QUIET_FRAMES = ("check", "eq", "expect", "expect_error", "expect_absent_ref")


def discover(filters):
    """Import tests/api/test_*.py in name order; they register with @test."""
    for path in sorted(glob.glob(os.path.join(HERE, "test_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        if filters and not any(f in name for f in filters):
            continue
        importlib.import_module(name)
    return harness.ordered_tests()


def failure_lines(e):
    """The message, then the frames in the suite's own files below the runner."""
    lines = [str(e)]
    for f in traceback.extract_tb(e.__traceback__)[1:]:
        if os.path.dirname(os.path.abspath(f.filename)) == HERE and f.name not in QUIET_FRAMES:
            lines.append("  at %s line %d in %s: %s" % (os.path.basename(f.filename), f.lineno, f.name, f.line))
    return lines


def main(argv):
    bin_path = "build/fazhi"
    filters = []
    i = 0
    while i < len(argv):
        if argv[i] == "--bin":
            if i + 1 >= len(argv):
                print("usage: run.py --bin PATH [FILTER ...]", file=sys.stderr)
                return 2
            bin_path = argv[i + 1]
            i += 2
            continue
        if argv[i].startswith("-"):
            print("usage: run.py --bin PATH [FILTER ...]", file=sys.stderr)
            return 2
        filters.append(argv[i])
        i += 1

    tests = discover(filters)
    print("1..%d" % len(tests))
    failed = 0
    try:
        try:
            setup(bin_path)
        except Exception:
            print("not ok 1 - setup: create the demo database and start the server")
            diag("setup failed:")
            diag(traceback.format_exc())
            if S.server_log and os.path.exists(S.server_log):
                diag("server log (last 30 lines):")
                diag(read_log(30))
            print("Bail out! the server could not be started")
            return 1

        for n, (name, fn) in enumerate(tests, 1):
            t0 = time.time()
            problems = []
            try:
                fn()
            except Exception as e:
                if isinstance(e, TestFailure):
                    problems.extend(failure_lines(e))
                else:
                    problems.append(traceback.format_exc())
            if not S.server_stopped and S.server.poll() is not None:
                # The server died during this test: say so, show why, and
                # start it again on the same database for the next tests.
                problems.append("the server died during this test (%s); server log (last 30 lines):"
                                % describe_exit(S.server.returncode))
                problems.append(read_log(30))
                try:
                    start_server()
                    problems.append("server restarted for the remaining tests")
                except Exception:
                    problems.append("could not restart the server:\n" + traceback.format_exc())
            if problems:
                failed += 1
                print("not ok %d - %s" % (n, name))
                for p in problems:
                    diag(p)
            else:
                took = time.time() - t0
                print("ok %d - %s" % (n, name) + ("" if took < 5 else " (%.1fs)" % took))
            sys.stdout.flush()
    finally:
        if S.server is not None and S.server.poll() is None:
            S.server.kill()
            S.server.wait()

    if failed:
        print("# %d of %d tests failed" % (failed, len(tests)))
        print("# server log (last 30 lines), temp dir %s kept:" % S.tmp)
        diag(read_log(30))
        return 1
    shutil.rmtree(S.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
