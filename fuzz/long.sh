#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz/long.sh BUILD CPU_SECONDS [NAME...]: the long run.  Starts every
# libFuzzer target BUILD/fuzz/fuzz-NAME at once, at nice 19 so that the
# machine stays usable, and stops each one when it has used CPU_SECONDS of
# CPU time (user + system, read from /proc), not wall time.  A target that
# stops on a crash, leak or timeout is started again (its artifact is in
# BUILD/fuzz/crash/NAME-*), and the CPU time of all its runs is added up
# in BUILD/fuzz/NAME.cpu.  New inputs go to BUILD/fuzz/corpus/NAME.  At the
# end it prints, per target, the CPU seconds, runs, inputs executed and
# artifacts, and fails if any crash, leak or timeout was written.  An
# input gets 60 s before it counts as a hang (make fuzz: 10): at nice 19 on
# a busy machine a process can wait seconds for a core, and a 10 s limit
# then reports inputs that replay in a tenth of a second.
#
#   make fuzz FUZZ_SECONDS=1      (builds the targets)
#   fuzz/long.sh build-fuzz 1800
set -u
cd "$(dirname "$0")/.."
build=$1
limit=$2
shift 2
names=${*:-"csv config qn where surveymonkey smartsurvey qualtrics limesurvey typeform"}
mkdir -p "$build/fuzz/crash"
tck=$(getconf CLK_TCK)

cpu_of() {	# utime+stime of process $1 in clock ticks, or nothing
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" \
	    2>/dev/null
}

# lane NAME: runs NAME's target again and again until its CPU time is used.
lane() {
	n=$1
	acc=$build/fuzz/$n.cpu		# ticks of the finished runs
	live=$build/fuzz/$n.pid
	[ -f "$acc" ] || echo 0 >"$acc"
	runs=0
	while [ "$(cat "$acc")" -lt $((limit * tck)) ]; do
		runs=$((runs + 1))
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		nice -n 19 "$build/fuzz/fuzz-$n" -max_total_time=86400 \
		    -timeout=60 -report_slow_units=60 -rss_limit_mb=2048 \
		    -max_len=65536 -print_final_stats=1 \
		    -artifact_prefix="$build/fuzz/crash/$n-" \
		    "$build/fuzz/corpus/$n" "fuzz/corpus/$n" "fuzz/regress/$n" \
		    >>"$build/fuzz/$n.long.log" 2>&1 &
		pid=$!
		echo "$pid" >"$live"
		last=0
		while kill -0 "$pid" 2>/dev/null; do
			t=$(cpu_of "$pid")
			[ -n "$t" ] && last=$t
			if [ $(($(cat "$acc") + last)) -ge $((limit * tck)) ]; then
				kill -INT "$pid"
				break
			fi
			sleep 10
		done
		wait "$pid"
		echo $(($(cat "$acc") + last)) >"$acc"
		echo "fuzz: $n run $runs ended; $(($(cat "$acc") / tck)) CPU s" \
		    "so far" >&2
	done
	rm -f "$live"
}

for n in $names; do
	mkdir -p "$build/fuzz/corpus/$n" "fuzz/regress/$n"
	lane "$n" &
	echo "fuzz: $n started, stops at $limit CPU seconds" >&2
done
wait

bad=0
for n in $names; do
	found=$(ls "$build/fuzz/crash" | grep "^$n-" | grep -vc -- "-slow-unit-")
	execs=$(grep -E '^stat::number_of_executed_units' \
	    "$build/fuzz/$n.long.log" | awk '{ s += $2 } END { print s + 0 }')
	printf 'fuzz: %-13s cpu %6s s  inputs %12s  crashes/leaks/timeouts %s\n' \
	    "$n" "$(($(cat "$build/fuzz/$n.cpu") / tck))" "$execs" "$found"
	[ "$found" -eq 0 ] || bad=1
done
exit $bad
