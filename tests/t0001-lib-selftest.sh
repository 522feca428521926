#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016 # test bodies are single-quoted on purpose
# The test harness tests itself: the helpers and the environment of
# tests/lib.sh, and how tests/run-all.sh counts, using small scripts made on
# the spot.  It needs no whc binary, so it proves the harness before whc
# builds.

. "$(dirname "$0")/lib.sh"
test_description 'lib.sh and run-all.sh (no whc needed)'

test_expect_success 'runs in an empty trash directory that is also HOME' '
	test "$(pwd -P)" = "$(cd "$TRASH" && pwd -P)" &&
	test "$HOME" = "$TRASH" &&
	test -z "$(ls -A)"
'

test_expect_success 'environment: locale, TZ, SRC, WHC, PATH' '
	test "$LC_ALL" = C.UTF-8 &&
	test "$TZ" = UTC &&
	test -f "$SRC/tests/lib.sh" &&
	test "$WHC" = "$WHC_BUILD/whc" &&
	case $WHC in /*) ;; *) false ;; esac &&
	case $PATH in "$WHC_BUILD":*) ;; *) false ;; esac &&
	case $TMPDIR in "$TRASH"*) false ;; *) test -d "$TMPDIR" ;; esac
'

test_expect_success 'test_expect_code' '
	test_expect_code 0 true &&
	test_expect_code 1 false &&
	test_expect_code 3 sh -c "exit 3" &&
	! test_expect_code 3 sh -c "exit 4" 2>err &&
	grep "wanted status 3, got 4" err
'

test_expect_success 'test_must_fail accepts an ordinary failure' '
	test_must_fail false &&
	test_must_fail sh -c "exit 2" &&
	test_must_fail test_cmp /dev/null "$SRC/tests/lib.sh" >/dev/null
'

test_expect_success 'test_must_fail rejects success, signals, no command' '
	! test_must_fail true 2>err &&
	grep "command succeeded" err &&
	! test_must_fail sh -c "kill -SEGV \$\$" 2>err &&
	grep "killed by signal 11" err &&
	! test_must_fail sh -c "kill -ABRT \$\$" 2>err &&
	grep "killed by signal 6" err &&
	! test_must_fail no-such-command-whc-test 2>err &&
	grep "cannot run (status 127)" err
'

test_expect_success 'test_cmp is silent on equal files, diffs otherwise' '
	printf "a\nb\n" >expect &&
	printf "a\nb\n" >same &&
	printf "a\nc\n" >actual &&
	test_cmp expect same >out &&
	test_must_be_empty out &&
	test_expect_code 1 test_cmp expect actual >out &&
	grep "^--- expect" out &&
	grep "^-b$" out &&
	grep "^+c$" out
'

test_expect_success 'test_line_count and test_must_be_empty' '
	printf "1\n2\n3\n" >three &&
	: >empty &&
	test_line_count = 3 three &&
	test_line_count -gt 2 three &&
	! test_line_count = 2 three 2>err &&
	grep "has 3 lines" err &&
	test_must_be_empty empty &&
	! test_must_be_empty three 2>err &&
	! test_must_be_empty missing 2>err
'

test_expect_success 'a body runs in a subshell (setting up)' '
	leaked=yes &&
	mkdir sub &&
	cd sub &&
	echo kept >file
'

test_expect_success '... so variables and cd do not leak, but files stay' '
	test -z "${leaked:-}" &&
	test "$(pwd -P)" = "$(cd "$TRASH" && pwd -P)" &&
	test "$(cat sub/file)" = kept
'

test_expect_success 'a script reports failures, exits 1, cleans up' '
	cat >sub.sh <<-\EOF &&
	TEST_DIR=$SRC/tests
	. "$TEST_DIR/lib.sh"
	test_expect_success "passes" "true"
	test_expect_success "fails" "echo some output; false"
	test_expect_success "exit ends the body only" "exit 3"
	test_expect_success "back\\nslash" "true"
	test_expect_success "no WHC_CONFIG" "test -z \"\${WHC_CONFIG+set}\""
	test_done
	EOF
	cat >expect <<-\EOF &&
	ok 1 - passes
	not ok 2 - fails
	not ok 3 - exit ends the body only
	ok 4 - back\nslash
	ok 5 - no WHC_CONFIG
	1..5
	EOF
	mkdir tmp1 &&
	test_expect_code 1 env WHC_CONFIG=/nonexistent TMPDIR="$TRASH/tmp1" \
	    sh sub.sh >out 2>err &&
	grep -E "^(not )?ok|^1\.\." out >actual &&
	test_cmp expect actual &&
	grep "^# some output" out &&
	grep "^# failed 2 among 5" out &&
	test -z "$(ls tmp1)"
'

test_expect_success 'a passing script exits 0; -v shows output; --keep' '
	cat >ok.sh <<-\EOF &&
	TEST_DIR=$SRC/tests
	. "$TEST_DIR/lib.sh"
	test_expect_success "talks" "echo hello && pwd >\"\$OUTER/where\""
	test_done
	EOF
	mkdir tmp2 &&
	OUTER=$TRASH TMPDIR=$TRASH/tmp2 sh ok.sh >out &&
	! grep hello out &&
	grep "^1\.\.1$" out &&
	test -z "$(ls tmp2)" &&
	OUTER=$TRASH TMPDIR=$TRASH/tmp2 sh ok.sh -v >out &&
	grep "^# hello" out &&
	OUTER=$TRASH TMPDIR=$TRASH/tmp2 WHC_TEST_KEEP=1 bash ok.sh >out &&
	grep "^# kept" out &&
	test -d "$(cat where)"
'

test_expect_success 'a malformed call is a bug in the test script' '
	cat >bug.sh <<-\EOF &&
	TEST_DIR=$SRC/tests
	. "$TEST_DIR/lib.sh"
	test_expect_success "title without a body"
	test_done
	EOF
	test_expect_code 1 sh bug.sh >out 2>err &&
	grep "bug in the test script" err &&
	! grep "^1\.\." out
'

# A tree of its own for run-all.sh: a fake unit-tests and fake scripts.
test_expect_success 'run-all.sh: set up a fake tree' '
	mkdir -p fake/tests fake/build &&
	cp "$SRC/tests/run-all.sh" "$SRC/tests/lib.sh" fake/tests/ &&
	cat >fake/build/unit-tests <<-\EOF &&
	#!/bin/sh
	echo "1..3"
	echo "ok 1 - u1"
	echo "not ok 2 - u2"
	echo "# u2 diagnostic"
	echo "ok 3 - u3"
	exit 1
	EOF
	chmod +x fake/build/unit-tests &&
	cat >fake/tests/t0001-pass.sh <<-\EOF &&
	#!/bin/sh
	. "$(dirname "$0")/lib.sh"
	test_expect_success "one" "true"
	test_expect_success "two" "true"
	test_done
	EOF
	cat >fake/tests/t0002-fail.sh <<-\EOF &&
	#!/bin/bash
	. "$(dirname "$0")/lib.sh"
	test_expect_success "good" "true"
	test_expect_success "the bad one" "false"
	echo "not ok 3 - marked TODO, still a failure # TODO"
	test_count_=3
	test_done
	EOF
	cat >fake/tests/t0003-crash.sh <<-\EOF &&
	echo "ok 1 - before the crash"
	kill -KILL $$
	EOF
	cat >fake/tests/t0004-noplan.sh <<-\EOF &&
	echo "ok 1 - fine"
	EOF
	cat >fake/tests/t0005-skip.sh <<-\EOF &&
	. "$(dirname "$0")/lib.sh"
	test_skip_all "no gnuplot here"
	EOF
	echo "not a test" >fake/tests/helper.sh
'

test_expect_success 'run-all.sh counts test cases and abnormal ends' '
	test_expect_code 1 fake/tests/run-all.sh fake/build >out &&
	echo "7 passed, 5 failed" >expect &&
	tail -n 1 out >actual &&
	test_cmp expect actual &&
	grep "^unit-tests  *2 passed, 1 failed$" out &&
	grep "^    not ok 2 - u2$" out &&
	grep "^      # u2 diagnostic$" out &&
	grep "^t0001-pass.sh  *2 passed, 0 failed$" out &&
	grep "^t0002-fail.sh  *1 passed, 2 failed$" out &&
	grep "^    not ok 3 - marked TODO, still a failure # TODO$" out &&
	grep "^    not ok 2 - the bad one$" out &&
	grep "^t0003-crash.sh  *1 passed, 1 failed$" out &&
	grep "killed by signal 9" out &&
	grep "^t0004-noplan.sh  *1 passed, 1 failed$" out &&
	grep "printed no TAP plan" out &&
	grep "^t0005-skip.sh  *0 passed, 0 failed, skipped: SKIP no" out &&
	! grep helper out &&
	test -s fake/build/test-logs/t0002-fail.out
'

test_expect_success 'run-all.sh unit and e2e modes' '
	test_expect_code 1 fake/tests/run-all.sh fake/build unit >out &&
	test "$(tail -n 1 out)" = "2 passed, 1 failed" &&
	test_expect_code 1 fake/tests/run-all.sh "$TRASH/fake/build" e2e >out &&
	test "$(tail -n 1 out)" = "5 passed, 4 failed" &&
	! grep unit-tests out &&
	test_expect_code 2 fake/tests/run-all.sh fake/build bogus 2>err
'

test_expect_success 'run-all.sh: exit 0 only when all pass and some ran' '
	rm fake/tests/t0002-* fake/tests/t0003-* fake/tests/t0004-* &&
	printf "#!/bin/sh\necho 1..1\necho ok 1 - u\n" >fake/build/unit-tests &&
	fake/tests/run-all.sh fake/build >out &&
	test "$(tail -n 1 out)" = "3 passed, 0 failed" &&
	rm fake/tests/t0001-* &&
	test_expect_code 1 fake/tests/run-all.sh fake/build e2e >out &&
	test "$(tail -n 1 out)" = "0 passed, 0 failed" &&
	rm fake/build/unit-tests &&
	test_expect_code 1 fake/tests/run-all.sh fake/build unit >out &&
	test "$(tail -n 1 out)" = "0 passed, 1 failed" &&
	grep "unit-tests is not built" out
'

test_expect_success 'run-all.sh: a hung script times out as one failure' '
	printf "echo ok 1 - x\nsleep 60\n" >fake/tests/t0009-hang.sh &&
	test_expect_code 1 env WHC_TEST_TIMEOUT=1 \
	    fake/tests/run-all.sh fake/build e2e >out &&
	grep "timed out after 1s" out &&
	test "$(tail -n 1 out)" = "1 passed, 1 failed"
'

test_done
