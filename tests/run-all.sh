#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/run-all.sh BUILD [unit|e2e]: runs the C unit tests (BUILD/unit-tests)
# and every end-to-end script tests/tNNNN-*.sh in sorted order, reads the
# TAP each prints, and prints one line per suite with its counts, each
# failing test under it, and as the very last line "N passed, N failed"
# where N counts test cases.  Exits 0 only if nothing failed and at least
# one test ran.
#
# A suite that exits non-zero without a failing TAP line, prints no plan,
# or runs a number of tests other than its plan counts as one failure more.
# "ok ... # SKIP" counts as passed; every "not ok" is a failure, whatever
# follows it.  Each suite's output is kept in BUILD/test-logs/.
# WHC_TEST_TIMEOUT sets the seconds one suite may take (default 900), and
# WHC_TEST_JOBS how many scripts run at once (default: the cores, at most
# 4).  WHC_TEST_ONLY="t0000 t2000" runs only those scripts.

# Started as `sh tests/run-all.sh`: this script needs bash.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi

set -u

usage() {
	echo "usage: tests/run-all.sh BUILD [unit|e2e]" >&2
	exit 2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	usage
fi
build=$1
mode=${2:-all}
case $mode in
all|unit|e2e) ;;
*) usage ;;
esac
case $build in
/*) ;;
*) build=$PWD/$build ;;
esac

tests_dir=$(cd "$(dirname "$0")" && pwd) || exit 2
src=$(cd "$tests_dir/.." && pwd) || exit 2
logs=$build/test-logs
mkdir -p "$logs" || exit 2
timeout_sec=${WHC_TEST_TIMEOUT:-900}
export WHC_BUILD=$build

total_pass=0
total_fail=0
ran_suites=0
failed_suites=()

# Prints a suite's result from its TAP in $1.out, given its exit status $3.
# $2 is the suite's name.
tally() {
	local out=$1.out err=$1.err name=$2 status=$3
	local pass=0 fail=0 skip=0 results=0 plan="" skip_all=""
	local line desc shown=0 in_fail=0 extra
	local -a fails=() problems=()

	while IFS= read -r line || [ -n "$line" ]; do
		if [[ $line =~ ^1\.\.([0-9]+) ]]; then
			plan=${BASH_REMATCH[1]}
			[[ $line =~ \#[[:space:]]*[Ss][Kk][Ii][Pp] ]] &&
			    skip_all=${line#*#}
			in_fail=0
		elif [[ $line =~ ^(not\ )?ok([[:space:]]|$) ]]; then
			results=$((results + 1))
			desc=${line#not ok}
			desc=${desc#ok}
			in_fail=0
			if [[ $line == not* ]]; then
				fail=$((fail + 1))
				fails+=("    $line")
				in_fail=1
				shown=0
			else
				[[ $desc =~ \ \#\ *[Ss][Kk][Ii][Pp] ]] &&
				    skip=$((skip + 1))
				pass=$((pass + 1))
			fi
		elif [ "$in_fail" = 1 ] && [[ $line == \#* ]]; then
			# The diagnostics of a failure, shortened.
			shown=$((shown + 1))
			if [ "$shown" -le 15 ]; then
				fails+=("      $line")
			elif [ "$shown" = 16 ]; then
				fails+=("      # [...]")
			fi
		else
			in_fail=0
		fi
	done <"$out"

	if [ "$status" = 124 ]; then
		problems+=("timed out after ${timeout_sec}s")
	elif [ "$status" -gt 128 ] && [ "$status" -le 192 ]; then
		problems+=("killed by signal $((status - 128))")
	elif [ "$status" != 0 ] && [ "$fail" = 0 ]; then
		problems+=("exited with status $status")
	fi
	if [ -z "$plan" ]; then
		problems+=("printed no TAP plan")
	elif [ -z "$skip_all" ] && [ "$plan" != "$results" ]; then
		problems+=("planned $plan tests but ran $results")
	fi
	if [ ${#problems[@]} -gt 0 ] && [ "$fail" = 0 ]; then
		fail=1
	fi

	extra=
	[ "$skip" = 0 ] || extra+=", $skip skipped"
	[ -z "$skip_all" ] || extra+=", skipped:$skip_all"
	printf '%-36s %4d passed, %d failed%s\n' "$name" "$pass" "$fail" \
	    "$extra"
	if [ ${#fails[@]} -gt 0 ]; then
		printf '%s\n' "${fails[@]}"
	fi
	if [ ${#problems[@]} -gt 0 ]; then
		line=${problems[0]}
		for desc in "${problems[@]:1}"; do
			line+="; $desc"
		done
		printf '    %s: %s\n' "$name" "$line"
		if [ -s "$err" ]; then
			echo "    last lines of its stderr:"
			tail -n 10 "$err" | sed 's/^/      /'
		fi
	fi
	if [ "$fail" != 0 ]; then
		echo "    (full output: $out, $err)"
		failed_suites+=("$name")
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	ran_suites=$((ran_suites + 1))
}

# Runs "$@" with the suite's output in $log.out and $log.err.
run_suite() {
	local log=$1
	shift
	if command -v timeout >/dev/null; then
		(cd "$src" && timeout -k 10 "$timeout_sec" "$@") \
		    >"$log.out" 2>"$log.err" </dev/null
	else
		(cd "$src" && "$@") >"$log.out" 2>"$log.err" </dev/null
	fi
}

if [ "$mode" != e2e ]; then
	log=$logs/unit-tests
	if [ -x "$build/unit-tests" ]; then
		run_suite "$log" "$build/unit-tests"
		tally "$log" unit-tests $?
	else
		: >"$log.out"
		echo "$build/unit-tests is not built (make unit-tests)" \
		    >"$log.err"
		tally "$log" unit-tests 127
	fi
fi

# launch I: starts script I in the background (its log: logs[I]).
launch() {
	local t=${scripts[$1]} interp=/bin/sh first
	# The script's own #! line picks its shell; /bin/sh otherwise.
	IFS= read -r first <"$t" || first=
	case $first in
	'#!'*) interp=${first#\#!} ;;
	esac
	# shellcheck disable=SC2086 # "/usr/bin/env bash" is two words
	run_suite "${logs_of[$1]}" $interp "$t" &
	index_of[$!]=$1
}

# only: passes the scripts named in WHC_TEST_ONLY (all if it is empty).
only() {
	local t want
	while IFS= read -r t; do
		[ -n "${WHC_TEST_ONLY:-}" ] || { echo "$t"; continue; }
		for want in $WHC_TEST_ONLY; do
			case ${t##*/} in
			"$want"-*) echo "$t" ;;
			esac
		done
	done
}

# The scripts run WHC_TEST_JOBS at a time (default: one per core; each
# has a directory of its own and the emulators take free ports), and are
# reported in order, each as soon as it and those before it are done.
if [ "$mode" != unit ]; then
	mapfile -t scripts < <(printf '%s\n' "$tests_dir"/t[0-9][0-9][0-9][0-9]-*.sh |
	    grep -v '\*' | LC_ALL=C sort | only)
	jobs=${WHC_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
	# Unless asked, no more than 4: the timing tests share the machine.
	[ -n "${WHC_TEST_JOBS:-}" ] || [ "$jobs" -le 4 ] || jobs=4
	declare -a logs_of=() rc_of=()
	declare -A index_of=()
	for i in "${!scripts[@]}"; do
		name=${scripts[$i]##*/}
		logs_of[$i]=$logs/${name%.sh}
	done
	running=0
	next=0
	for i in "${!scripts[@]}"; do
		while [ -z "${rc_of[$i]+set}" ]; do
			while [ "$running" -lt "$jobs" ] &&
			    [ "$next" -lt "${#scripts[@]}" ]; do
				launch "$next"
				next=$((next + 1))
				running=$((running + 1))
			done
			wait -n -p done_pid
			rc=$?
			rc_of[${index_of[$done_pid]}]=$rc
			running=$((running - 1))
		done
		tally "${logs_of[$i]}" "${scripts[$i]##*/}" "${rc_of[$i]}"
	done
fi

if [ "$ran_suites" = 0 ]; then
	echo "no test suite found"
fi
if [ ${#failed_suites[@]} -gt 0 ]; then
	echo "failed: ${failed_suites[*]}"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ] && [ $((total_pass + total_fail)) -gt 0 ]
