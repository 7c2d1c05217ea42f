#!/bin/sh
# Runs the test suites and ends with one summary line: "N passed, N failed".
# Every suite prints TAP lines ("ok N - name" / "not ok N - name"); a suite
# that exits non-zero without reporting a failure counts as one failure.
# Env: FAZHI_BUILD (build dir, default build), FAZHI_SUITES (default "unit docx api crash overload faults e2e"; docx
# installs LibreOffice when missing, so the API suite can open the real report with it too;
# crash, overload and faults are described in tests/README.md; pgrestart and pgsearch need the
# private PostgreSQL of `make test DB=pg` and say "skipped" without it; e2e is the browser suite).
set -u
B=${FAZHI_BUILD:-build}
SUITES=${FAZHI_SUITES:-unit docx api crash overload faults pgrestart pgsearch e2e}
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
passed=0
failed=0

run_suite() {
	name=$1
	shift
	echo "# suite: $name"
	"$@" >"$LOG" 2>&1
	rc=$?
	cat "$LOG"
	p=$(grep -c '^ok ' "$LOG")
	f=$(grep -c '^not ok ' "$LOG")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

for s in $SUITES; do
	case $s in
	unit)
		for t in $(find "$B/tests/unit" -type f -name 'test_*' -perm -u+x 2>/dev/null | sort); do
			CMOCKA_MESSAGE_OUTPUT=TAP run_suite "$t" "$t"
		done
		;;
	docx)
		FAZHI_BUILD=$B run_suite docx sh tests/docx/check_libreoffice.sh
		;;
	api)
		run_suite api python3 tests/api/run.py --bin "$B/fazhi"
		;;
	crash | overload | faults)
		run_suite "$s" python3 "tests/$s/run.py" --bin "$B/fazhi"
		;;
	pgrestart | pgsearch)
		run_suite "$s" python3 "tests/pg/${s#pg}.py" --bin "$B/fazhi"
		;;
	e2e)
		# The browser suite: needs web/dist and chromium (make test provides both).
		run_suite e2e node tests/e2e/run.mjs --bin "$B/fazhi" --web-dir web/dist
		;;
	esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
