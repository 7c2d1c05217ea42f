#!/bin/sh
# Run each libFuzzer target for a while: tests/fuzz/run.sh BUILD_DIR SECONDS TARGET...
# The seed corpus tests/fuzz/corpus/<target>/ is read, never written; new
# inputs go to BUILD_DIR/corpus/<target>/ (kept between runs), crashes to
# BUILD_DIR/crashes/<target>-*. Exit status 1 when any target found a crash;
# the output then says how to reproduce it.
set -u
dir=$1
secs=$2
shift 2
status=0
for t in "$@"; do
	mkdir -p "$dir/corpus/$t" "$dir/crashes"
	case $t in
	table) max_len=65536 ;;
	router | body) max_len=8192 ;;
	*) max_len=4096 ;;
	esac
	dict=""
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	log="$dir/fuzz_$t.log"
	# shellcheck disable=SC2086
	"$dir/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len $dict \
		-artifact_prefix="$dir/crashes/$t-" -print_final_stats=1 \
		"$dir/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz_$t: ${runs:-?} runs in ${secs} s, ${cov:-cov: ?}, no crash"
	else
		status=1
		echo "fuzz_$t: FAILED (exit $rc) after ${runs:-?} runs; log $log"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20 | sed 's/^/    /'
		echo "    reproduce: $dir/fuzz_$t $dir/crashes/$t-<file>"
	fi
done
exit $status
