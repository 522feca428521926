#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz/run.sh BUILD SECONDS [NAME...]: runs each libFuzzer target
# BUILD/fuzz/fuzz-NAME (default: all of them) for SECONDS, one after the
# other, starting from its seed corpus fuzz/corpus/NAME and its crash
# regressions fuzz/regress/NAME.  New inputs go to BUILD/fuzz/corpus/NAME
# (the repository's corpus is only read); a crash, leak or timeout is
# written to BUILD/fuzz/crash/NAME-* and makes the script fail.  To keep a
# crash as a regression: fix it, then copy the file into fuzz/regress/NAME/.
set -u
cd "$(dirname "$0")/.."
build=$1
secs=$2
shift 2
names=${*:-"csv config qn where surveymonkey smartsurvey qualtrics limesurvey typeform"}
failed=""
mkdir -p "$build/fuzz/crash"
for n in $names; do
	work=$build/fuzz/corpus/$n
	mkdir -p "$work" "fuzz/regress/$n"
	echo "fuzz: $n for $secs s" >&2
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$build/fuzz/fuzz-$n" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix="$build/fuzz/crash/$n-" \
	    "$work" "fuzz/corpus/$n" "fuzz/regress/$n" \
	    >"$build/fuzz/$n.log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' \
	    "$build/fuzz/$n.log" | tr '\n' ' ' >&2
	echo >&2
	if [ $rc -ne 0 ]; then
		echo "fuzz: $n FAILED (exit $rc); see $build/fuzz/$n.log:" >&2
		grep -E 'ERROR|SUMMARY|artifact' "$build/fuzz/$n.log" | head -5 >&2
		failed="$failed $n"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
echo "fuzz: no crash in: $names ($secs s each)" >&2
