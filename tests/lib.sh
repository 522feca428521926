# SPDX-License-Identifier: MIT
# tests/lib.sh: the helper sourced by the end-to-end tests tests/tNNNN-*.sh,
# in the manner of git's test-lib.sh.  POSIX sh (dash) and bash both work.
#
#	#!/bin/sh
#	test_description='what this script covers'
#	. "$(dirname "$0")/lib.sh"
#
#	test_expect_success 'bad option is a usage error' '
#		test_expect_code 2 whc --bogus 2>err &&
#		grep "unknown option" err
#	'
#	test_done
#
# Each test body is eval'ed in a subshell, with stdin from /dev/null and its
# output captured, so `cd`, `exit` and variables set inside it stay there;
# files it writes stay for the next tests.  Chain commands with && (there
# is no set -e): the body's exit status is the result.  The output is shown
# only when the test fails, or with -v.
#
# Environment given to the tests:
#	TRASH	a fresh empty directory, the current directory and $HOME;
#		removed at the end unless --keep or WHC_TEST_KEEP=1
#	SRC	the repository root; TEST_DIR is $SRC/tests
#	WHC	the absolute path of the binary under test, $WHC_BUILD/whc;
#		$WHC_BUILD (default "build", relative to SRC) leads PATH
#	TMPDIR	a private directory beside TRASH
#	LC_ALL=C.UTF-8, TZ=UTC; no WHC_* variable (WHC_CONFIG...) and no
#	XDG_* or *_proxy variable is inherited.
#
# Options of every script: -v/--verbose, -k/--keep (or WHC_TEST_KEEP=1,
# WHC_TEST_VERBOSE=1), -i/--immediate (stop at the first failure).
#
# There is no "known breakage": a test passes or fails.  To check that a
# command fails, use test_must_fail or test_expect_code inside
# test_expect_success.

# Prints its arguments as they are (dash's echo expands backslashes).
say_ () {
	printf '%s\n' "$*"
}

# Where we are.  A script outside tests/ (the self-test makes some) may set
# TEST_DIR before sourcing this file.
if [ -z "${TEST_DIR:-}" ] || [ ! -f "$TEST_DIR/lib.sh" ]; then
	TEST_DIR=$(cd "$(dirname "$0")" && pwd) || exit 1
fi
SRC=$(cd "$TEST_DIR/.." && pwd) || exit 1
this_test=${0##*/}
this_test=${this_test%.sh}

verbose=${WHC_TEST_VERBOSE:-0}
keep=${WHC_TEST_KEEP:-0}
immediate=0
for arg_ in "$@"; do
	case $arg_ in
	-v|--verbose)	verbose=1 ;;
	-k|--keep)	keep=1 ;;
	-i|--immediate)	immediate=1 ;;
	-h|--help)
		say_ "usage: $0 [-v|--verbose] [-k|--keep] [-i|--immediate]"
		exit 0 ;;
	*)
		say_ "$0: unknown option '$arg_'" >&2
		exit 1 ;;
	esac
done

# A clean environment: nothing from the user's configuration or database.
for var_ in $(env | sed -n 's/^\(WHC_[A-Za-z0-9_]*\)=.*/\1/p'); do
	case $var_ in
	WHC_BUILD|WHC_SANITIZED|WHC_TEST_*) ;;
	*) unset "$var_" ;;
	esac
done
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME XDG_CACHE_HOME \
    XDG_RUNTIME_DIR http_proxy https_proxy HTTP_PROXY HTTPS_PROXY \
    all_proxy ALL_PROXY CDPATH
LC_ALL=C.UTF-8
LANG=C.UTF-8
TZ=UTC
export LC_ALL LANG TZ

WHC_BUILD=${WHC_BUILD:-build}
case $WHC_BUILD in
/*) ;;
*) WHC_BUILD=$SRC/$WHC_BUILD ;;
esac
WHC=$WHC_BUILD/whc
PATH=$WHC_BUILD:$PATH
export SRC WHC WHC_BUILD PATH

# Under `make asan` a sanitizer report must kill the program, so that
# test_must_fail cannot mistake it for an ordinary failure.
if [ "${WHC_SANITIZED:-0}" = 1 ]; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}abort_on_error=1"
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}abort_on_error=1"
	export ASAN_OPTIONS UBSAN_OPTIONS
fi

TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/whc-$this_test.XXXXXX") || exit 1
TRASH=$TEST_ROOT/trash
TMPDIR=$TEST_ROOT/tmp
HOME=$TRASH
mkdir "$TRASH" "$TMPDIR" || exit 1
export TRASH TMPDIR HOME

test_cleanup_ () {
	cd / || return
	if [ "$keep" = 1 ]; then
		say_ "# kept $TRASH"
	else
		chmod -R u+rwx "$TEST_ROOT" 2>/dev/null
		rm -rf "$TEST_ROOT"
	fi
}
trap 'test_cleanup_' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$TRASH" || exit 1

test_count_=0
test_failed_=0

# Sets or prints the description: test_description 'text'.
test_description () {
	test_description=$1
	say_ "# $this_test: $1"
}
if [ -n "${test_description:-}" ]; then
	say_ "# $this_test: $test_description"
fi

test_bug_ () {
	say_ "error: bug in the test script: $*" >&2
	exit 1
}

# Prints each line of file $1 as a TAP comment.
test_comment_ () {
	sed 's/^/# /' "$1"
}

# Runs body $1 in a subshell; its output goes to $TEST_ROOT/out.
test_run_ () {
	( eval "$1" ) >"$TEST_ROOT/out" 2>&1 </dev/null
}

test_report_ () {
	if [ "$verbose" = 1 ]; then
		test_comment_ "$TEST_ROOT/out"
	fi
}

# test_expect_success 'title' 'commands': the commands must succeed.
test_expect_success () {
	[ $# = 2 ] || test_bug_ "test_expect_success needs a title and a body"
	test_count_=$((test_count_ + 1))
	test_run_ "$2"
	test_status_=$?
	if [ "$test_status_" = 0 ]; then
		say_ "ok $test_count_ - $1"
		test_report_
		return 0
	fi
	test_failed_=$((test_failed_ + 1))
	say_ "not ok $test_count_ - $1"
	say_ "$2" | sed -e '/^[ 	]*$/d' -e 's/^/#	/'
	say_ "# exit status $test_status_; output:"
	test_comment_ "$TEST_ROOT/out"
	if [ "$immediate" = 1 ]; then
		say_ "# stopping at the first failure (--immediate)"
		test_done
	fi
	return 0
}

# test_must_fail cmd...: cmd must exit non-zero, but not by a signal (a
# crash, an abort, a sanitizer report) and not as "command not found".
test_must_fail () {
	"$@"
	test_exit_=$?
	if [ "$test_exit_" = 0 ]; then
		say_ "test_must_fail: command succeeded: $*" >&2
		return 1
	elif [ "$test_exit_" -gt 128 ] && [ "$test_exit_" -le 192 ]; then
		say_ "test_must_fail: killed by signal" \
		    "$((test_exit_ - 128)): $*" >&2
		return 1
	elif [ "$test_exit_" = 127 ] || [ "$test_exit_" = 126 ]; then
		say_ "test_must_fail: cannot run (status $test_exit_): $*" >&2
		return 1
	fi
	return 0
}

# test_expect_code N cmd...: cmd must exit with status N.
test_expect_code () {
	test_want_=$1
	shift
	"$@"
	test_exit_=$?
	if [ "$test_exit_" = "$test_want_" ]; then
		return 0
	fi
	say_ "test_expect_code: wanted status $test_want_, got" \
	    "$test_exit_: $*" >&2
	return 1
}

# test_cmp expect actual: the files must be equal; shows a diff if not.
test_cmp () {
	[ $# = 2 ] || test_bug_ "test_cmp needs two files"
	diff -u "$1" "$2"
}

# test_must_be_empty file: file must exist and be empty.
test_must_be_empty () {
	if [ ! -f "$1" ]; then
		say_ "test_must_be_empty: '$1' does not exist" >&2
		return 1
	elif [ -s "$1" ]; then
		say_ "test_must_be_empty: '$1' is not empty:" >&2
		cat "$1" >&2
		return 1
	fi
}

# test_line_count OP N file: e.g. test_line_count = 3 out.
test_line_count () {
	[ $# = 3 ] || test_bug_ "test_line_count needs OP N FILE"
	test_lines_=$(wc -l <"$3" | tr -d ' ') || return 1
	if test "$test_lines_" "$1" "$2"; then
		return 0
	fi
	say_ "test_line_count: $3 has $test_lines_ lines, not $1 $2:" >&2
	cat "$3" >&2
	return 1
}

# test_wait_file FILE PID LOG: waits (up to 10 s) for a server, process
# PID, to write FILE (its port); if it dies or times out, shows LOG and
# fails.
test_wait_file () {
	test_n_=0
	while [ ! -s "$1" ]; do
		test_n_=$((test_n_ + 1))
		if [ $test_n_ -gt 200 ] || ! kill -0 "$2" 2>/dev/null; then
			cat "$3" >&2
			return 1
		fi
		sleep 0.05
	done
}

# test_skip_all 'reason': skips the whole script (before any test).
test_skip_all () {
	say_ "1..0 # SKIP $1"
	exit 0
}

# test_done: prints the TAP plan and exits, non-zero if a test failed.
test_done () {
	say_ "1..$test_count_"
	if [ "$test_failed_" != 0 ]; then
		say_ "# failed $test_failed_ among $test_count_ test(s)"
		exit 1
	fi
	say_ "# passed all $test_count_ test(s)"
	exit 0
}
