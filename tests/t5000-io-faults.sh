#!/bin/sh
# SPDX-License-Identifier: MIT
# I/O faults: whc import and whc report run with one file write, fsync or
# rename failing (ENOSPC or EIO, through the LD_PRELOAD shim
# tests/shim/iofail.c), at every such call a clean run makes.  Each run
# fails with exit 3 and a message naming the file, or succeeds when the
# fault came after the commit; the store passes SQLite's integrity check
# and holds exactly what it held before (or, after a success, what a clean
# run leaves); no report file is half-written under its final name and no
# temporary file is left behind.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/store-lib.sh"
test_description 'I/O faults in import and report'

SHIM=$WHC_BUILD/iofail.so
if [ -n "${WHC_SANITIZED:-}" ]; then
	# The shim comes before ASan's runtime in the library list.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	export ASAN_OPTIONS
fi
# Every call; a sample under the (slower) sanitizers.
STEP=1
[ -n "${WHC_SANITIZED:-}" ] && STEP=4

# faulty N CMD...: runs CMD with the Nth counted call failing, with
# ENOSPC for odd N and EIO for even N.
faulty () {
	n_=$1
	shift
	e_=ENOSPC
	[ $((n_ % 2)) -eq 0 ] && e_=EIO
	IOFAIL_AT=$n_ IOFAIL_ERRNO=$e_ LD_PRELOAD=$SHIM "$@"
}

# calls FILE CMD...: runs CMD cleanly under the shim, counting into FILE.
calls () {
	f_=$1
	shift
	IOFAIL_COUNT=$PWD/$f_ LD_PRELOAD=$SHIM "$@" && test -s "$f_"
}


fresh () {
	rm -f t.db t.db-wal t.db-shm && cp base.db t.db
}

test_expect_success 'setup: a store of 2019-2024, and one with 2025 too' '
	make_base &&
	fresh &&
	calls import.n whc --db t.db import -q --questionnaire \
	    "$DEFS/whc-2025.json" data/whc-2025.csv &&
	snap t.db after &&
	! test_cmp before after >/dev/null &&
	test "$(cat import.n)" -gt 10
'

test_expect_success 'import: a fault at each write, fsync and rename' '
	N=$(cat import.n) && n=1 && failed=0 && ok=0 &&
	while [ $n -le $((N + 1)) ]; do
		fresh &&
		faulty $n whc --db t.db import -q --questionnaire \
		    "$DEFS/whc-2025.json" data/whc-2025.csv 2>err
		rc=$?
		case $rc in
		3)	grep -q "^whc: .*\(t\.db\|whc-2025\)" err &&
			snap t.db got && test_cmp before got &&
			failed=$((failed + 1)) ;;
		0)	snap t.db got && test_cmp after got && ok=$((ok + 1)) ;;
		*)	false ;;
		esac || { echo "fault at call $n: exit $rc"; cat err; return 1; }
		n=$((n + STEP))
	done &&
	echo "$failed runs failed cleanly, $ok succeeded" &&
	test $failed -gt 0 && test $ok -ge 1
'

test_expect_success 'setup: a clean report' '
	snap base.db before &&
	calls report.n whc --db base.db report -q --out ref --item stress \
	    --format svg,png &&
	test "$(ls ref | wc -l)" -gt 10
'

# report_ok DIR: every file in DIR is whole (the clean run's bytes) and
# no temporary file is left.  The pack goes on past a chart that failed,
# so index.html may instead be a whole page that says so.
report_ok () {
	for f in $(ls -A "$1"); do
		cmp -s "$1/$f" "ref/$f" || {
			test "$f" = index.html &&
			grep -q "class=\"failed\".*could not be" "$1/$f" &&
			tail -c 8 "$1/$f" | grep -q "</html>"
		} || {
			echo "$1/$f is not what a clean run writes"
			return 1
		}
	done
}

test_expect_success 'report: a fault at each write, fsync and rename' '
	N=$(cat report.n) && n=1 && failed=0 && expect=0 &&
	while [ $n -le $((N + 1)) ]; do
		[ $n -le $N ] && expect=$((expect + 1))
		rm -rf out &&
		faulty $n whc --db base.db report -q --out out --item stress \
		    --format svg,png 2>err
		rc=$?
		case $rc in
		3)	grep -q "^whc: .*\(base\.db\|out/\)" err &&
			failed=$((failed + 1)) ;;
		0)	ls ref >want && ls out >got && test_cmp want got ;;
		*)	false ;;
		esac &&
		{ ! test -d out || report_ok out; } &&
		snap base.db got && test_cmp before got ||
		{ echo "fault at call $n: exit $rc"; cat err; return 1; }
		n=$((n + STEP))
	done &&
	echo "$failed runs failed cleanly" &&
	test $failed -eq $expect
'

test_done
