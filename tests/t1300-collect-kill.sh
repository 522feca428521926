#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# kill -9 at random moments: whc collect killed again and again, then run
# to the end, leaves exactly the store of a run never interrupted (same
# responses, same versions, same cursor), and at every kill the store is
# sound and holds only whole responses that the full run also has.
# WHC_TEST_SEED repeats a run; WHC_TEST_KILLS sets the kills per provider.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
test_description 'whc collect: kill -9 and carry on'

SEED=${WHC_TEST_SEED:-$(date +%s)}
KILLS=${WHC_TEST_KILLS:-10}
Y=2025
say_ "# seed $SEED (WHC_TEST_SEED=$SEED repeats this run)"

emu_start_fast --latency 8 || test_bug_ "the emulator did not start"
for p in sm ss tf; do
	set_key "$p-whc-$Y" page_size 10
done

# state DB: what must come out the same however often a run was killed.
# (Each Qualtrics export job hands out its own continuation token.)
state () {
	dump "$1" &&
	sqlite3 "$1" "SELECT s.name, c.ident, c.cursor FROM collect_state c JOIN source s ON s.id = c.source_id ORDER BY 1" |
	sed 's/"continuation":"[^"]*"/"continuation":"(a token)"/'
}

# subset DB FULL: every response in DB is, as it is, in FULL
subset () {
	sqlite3 "$1" "ATTACH '$2' AS f; SELECT count(*) FROM response r JOIN source s ON s.id = r.source_id WHERE NOT EXISTS (SELECT 1 FROM f.response x JOIN f.source y ON y.id = x.source_id WHERE y.name = s.name AND x.rid = r.rid AND x.raw = r.raw AND x.modified = r.modified)" >subset.n &&
	echo 0 >subset.want && test_cmp subset.want subset.n
}

# kills P: KILLS runs of provider P killed at random moments, then one to
# the end, into kill-P.db; compared with full-P.db.
kills () {
	p=$1 n=$2
	t0=$(date +%s.%N) &&
	whc --config whc.conf --db full-$p.db collect -q --source $p-whc-$Y \
	    2>/dev/null &&
	span=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }') &&
	say_ "$p: an uninterrupted run takes $span s" &&
	i=0 && done_early=0 &&
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		# Each run does about 1/n of the work before its kill, so
		# the kills fall all along the collection.
		at=$(awk -v s="$SEED" -v i="$i" -v p="$p" -v t="$span" \
		    -v n="$n" 'BEGIN { srand(s * 31 + i * 7 + \
		    index("smsstfqxls", p)); printf "%.3f", rand() * 2 * t / n }')
		whc --config whc.conf --db kill-$p.db collect -q \
		    --source $p-whc-$Y 2>/dev/null &
		pid=$!
		sleep "$at"
		kill -9 $pid 2>/dev/null || done_early=$((done_early + 1))
		wait $pid 2>/dev/null
		# Killed before the schema was made: the file is still empty.
		if [ "$(sqlite3 kill-$p.db "PRAGMA user_version")" = 0 ]; then
			sqlite3 kill-$p.db "PRAGMA integrity_check" | grep -q "^ok$" ||
			return 1
			continue
		fi
		sound kill-$p.db && subset kill-$p.db full-$p.db || {
			say_ "after the kill at $at s (kill $i)"
			return 1
		}
	done &&
	say_ "$p: $n kills, $done_early runs finished before theirs" &&
	whc --config whc.conf --db kill-$p.db collect -q --source $p-whc-$Y \
	    2>/dev/null &&
	state full-$p.db >full.state &&
	state kill-$p.db >kill.state &&
	test_cmp full.state kill.state &&
	same_year kill-$p.db $Y
}

test_expect_success 'setup: the reference' '
	make_ref
'

# The paging providers, many times; the one-document exports less often.
for p in sm ss tf; do
	test_expect_success "$p: killed at $KILLS random moments, then finished" '
		kills $p $KILLS
	'
done
for p in ls qx; do
	test_expect_success "$p: killed at 5 random moments, then finished" '
		kills $p 5
	'
done

test_done
