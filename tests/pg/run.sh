#!/bin/sh
# `make test DB=pg`: start a private PostgreSQL 15, run the suites against it
# (the API and browser suites use a fresh database on it; the unit suite tests
# pure logic and the SQLite layer as always), stop it, and end with the usual
# "N passed, N failed" line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/fazhi-pg-XXXXXX)
trap '"$here/pgctl.sh" stop "$dir"' EXIT INT TERM
url=$("$here/pgctl.sh" start "$dir") || { echo "not ok - PostgreSQL could not be started"; echo "0 passed, 1 failed"; exit 1; }
echo "# PostgreSQL: $url"
FAZHI_TEST_PG=$url FAZHI_TEST_PG_DIR=$dir "$here/../run-all.sh"
