#!/bin/sh
# SPDX-License-Identifier: MIT
# kill -9 at random moments during whc import, whc renormalise and whc
# report: after each kill the store passes SQLite's integrity check and
# holds either what it held before or all of the change (one
# transaction), and a re-run gives exactly the store of an uninterrupted
# run; a killed report leaves no file under its final name that is not
# whole, and a re-run writes the uninterrupted run's files.  (Collect:
# t1300.)  WHC_TEST_SEED repeats a
# run; WHC_TEST_KILLS sets the kills per command (25: with t1300's 50,
# 125 in all).
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/store-lib.sh"
test_description 'kill -9 during import, renormalise and report'

SEED=${WHC_TEST_SEED:-$(date +%s)}
KILLS=25
[ -n "${WHC_SANITIZED:-}" ] && KILLS=10	# slower; `make check` has 25
KILLS=${WHC_TEST_KILLS:-$KILLS}
say_ "# seed $SEED (WHC_TEST_SEED=$SEED repeats this run)"


# span CMD...: runs CMD, prints the seconds it took.
span () {
	t0_=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || return 1
	awk -v a="$t0_" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'
}

# delay I SPAN: a random moment in [0, 1.2 SPAN) for kill I.
delay () {
	awk -v s="$SEED" -v i="$1" -v t="$2" \
	    'BEGIN { srand(s * 31 + i); printf "%.3f", rand() * 1.2 * t }'
}

# killed SECONDS CMD...: runs CMD in the background and kill -9s it
# after SECONDS (if it is still running).
killed () {
	at_=$1
	shift
	"$@" >/dev/null 2>&1 &
	pid_=$!
	sleep "$at_"
	kill -9 $pid_ 2>/dev/null
	wait $pid_ 2>/dev/null
	return 0
}

test_expect_success 'setup: a store of 2019-2024, and one with 2025 too' '
	make_base &&
	cp base.db full.db &&
	span whc --db full.db import -q --questionnaire "$DEFS/whc-2025.json" \
	    data/whc-2025.csv >import.span &&
	snap full.db after &&
	say_ "an uninterrupted import takes $(cat import.span) s"
'

# kills FIRST SPAN BASE BEFORE AFTER CMD...: KILLS times, copies store
# BASE to k.db, runs CMD (which works on k.db) and kill -9s it at a random
# moment (kill I at delay FIRST+I for a run of SPAN seconds): each killed
# store must be sound and equal the snapshot BEFORE or AFTER, and a
# re-run of CMD must give AFTER.
kills () {
	first_=$1 span_=$2 base_=$3 before_=$4 after_=$5
	shift 5
	i=0 was_before=0 was_after=0
	while [ $i -lt $KILLS ]; do
		i=$((i + 1))
		rm -f k.db k.db-wal k.db-shm && cp "$base_" k.db &&
		killed "$(delay $((first_ + i)) "$span_")" "$@" &&
		snap k.db got || { echo "kill $i: store not sound"; return 1; }
		if cmp -s "$before_" got; then
			was_before=$((was_before + 1))
		elif cmp -s "$after_" got; then
			was_after=$((was_after + 1))
		else
			echo "kill $i: neither before nor after"
			diff "$before_" got | head -5
			return 1
		fi
		# Re-run to the end: the uninterrupted run's store.
		"$@" >/dev/null 2>err && snap k.db got &&
		test_cmp "$after_" got ||
		{ echo "kill $i: the re-run differs"; cat err; return 1; }
	done
	say_ "killed before the commit $was_before times, after $was_after"
}

test_expect_success "import: $KILLS kills, each store sound and whole" '
	kills 0 "$(cat import.span)" base.db before after \
	    whc --db k.db import -q --questionnaire "$DEFS/whc-2025.json" \
	    data/whc-2025.csv
'

test_expect_success 'setup: a fix to the definitions, renormalised' '
	mkdir defs && cp "$DEFS"/*.json defs/ &&
	sed -i "s/\"^often\$\", \"^very often\$\"/\"^often\$\"/" \
	    defs/whc-2019.json defs/whc-2024.json &&
	! cmp -s defs/whc-2024.json "$DEFS/whc-2024.json" &&
	printf "[questionnaires]\npath = defs\n" >fix.conf &&
	cp full.db r.db &&
	span whc --config fix.conf --db r.db renormalise >renorm.span &&
	snap r.db renormalised &&
	! cmp -s after renormalised &&
	say_ "an uninterrupted renormalise takes $(cat renorm.span) s"
'

test_expect_success "renormalise: $KILLS kills, each store sound and whole" '
	kills 500 "$(cat renorm.span)" full.db after renormalised \
	    whc --config fix.conf --db k.db renormalise
'

test_expect_success 'setup: an uninterrupted report' '
	span whc --db full.db report -q --out ref --item stress \
	    --format svg,png >report.span &&
	say_ "an uninterrupted report takes $(cat report.span) s"
'

# whole DIR: every file under a final name in DIR is the clean run's
# (a killed run may leave its temporary NAME.tmp.XXXXXX or .NAME.XXXXXX).
whole () {
	for f in $(ls "$1"); do
		case $f in *.tmp.*) continue ;; esac
		cmp -s "$1/$f" "ref/$f" ||
		{ echo "$1/$f is not whole"; return 1; }
	done
}

test_expect_success "report: $KILLS kills, no half-written file" '
	i=0 &&
	while [ $i -lt $KILLS ]; do
		i=$((i + 1))
		# A new directory each time: a killed whc'"'"'s gnuplot may
		# still be finishing in the last one.
		killed "$(delay $((i + 1000)) "$(cat report.span)")" \
		    whc --db full.db report -q --out out$i --item stress \
		    --format svg,png &&
		{ ! test -d out$i || whole out$i; } &&
		snap full.db got && test_cmp after got ||
		{ echo "kill $i"; return 1; }
	done &&
	whc --db full.db report -q --out final --item stress --format svg,png &&
	ls ref >want && ls final >got && test_cmp want got && whole final
'

test_done
