#!/bin/sh
# SPDX-License-Identifier: MIT
# I/O faults in whc collect (the shim of t5000): with one write, fsync or
# rename failing at one of 40 calls spread evenly over those a clean
# collection from the emulator makes (over 1,000: every one would take
# too long), each run fails with exit 3 and a message naming the store (or
# succeeds when the fault came after the last commit), the store passes
# its checks and holds only whole pages, and a clean re-run ends with
# exactly the store of a run that never failed.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
. "$SRC/tests/store-lib.sh"
test_description 'whc collect: I/O faults'

SHIM=$WHC_BUILD/iofail.so
POINTS=40
if [ -n "${WHC_SANITIZED:-}" ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	export ASAN_OPTIONS
	POINTS=15
fi
SRCS="--source tf-whc-2025 --source sm-whc-2025"

emu_start_fast || test_bug_ "the emulator did not start"
set_key sm-whc-2025 page_size 50

# state DB: the responses and the cursors.
state () {
	dump "$1" &&
	sqlite3 "$1" "SELECT s.name, c.ident, c.cursor FROM collect_state c JOIN source s ON s.id = c.source_id ORDER BY 1"
}

# whole_store DB: DB passes its checks; a store whose creation failed
# may have no tables at all (nothing was committed).
whole_store () {
	if sqlite3 "$1" "SELECT 1 FROM sqlite_master WHERE name = 'response'" |
	    grep -q 1; then
		sound "$1"
	else
		sqlite3 "$1" "PRAGMA integrity_check" | grep -qx ok
	fi
}

test_expect_success 'setup: a clean collection, its calls counted' '
	IOFAIL_COUNT=$PWD/collect.n LD_PRELOAD=$SHIM \
	    whc --config whc.conf --db full.db collect -q $SRCS &&
	state full.db >full.state &&
	test "$(cat collect.n)" -gt 20
'

test_expect_success "a fault at $POINTS of the writes, fsyncs and renames" '
	N=$(cat collect.n) && n=1 && failed=0 && ok=0 &&
	STEP=$((N / POINTS + 1)) &&
	while [ $n -le $((N + 1)) ]; do
		rm -f f.db f.db-wal f.db-shm
		e=ENOSPC && [ $((n % 2)) -eq 0 ] && e=EIO
		IOFAIL_AT=$n IOFAIL_ERRNO=$e LD_PRELOAD=$SHIM \
		    whc --config whc.conf --db f.db collect -q $SRCS 2>err
		rc=$?
		case $rc in
		3)	grep -q "^whc: .*f\.db" err && failed=$((failed + 1)) ;;
		0)	ok=$((ok + 1)) ;;
		*)	false ;;
		esac &&
		{ ! test -s f.db || whole_store f.db; } &&
		whc --config whc.conf --db f.db collect -q $SRCS 2>err2 &&
		state f.db >f.state && test_cmp full.state f.state ||
		{ echo "fault at call $n: exit $rc"; cat err err2; return 1; }
		# The call just after the last one, too.
		if [ $((n + STEP)) -gt $((N + 1)) ] && [ $n -le $N ]; then
			n=$((N + 1))
		else
			n=$((n + STEP))
		fi
	done &&
	echo "$failed runs failed cleanly, $ok succeeded" &&
	test $failed -gt 0
'

test_done
