#!/bin/bash
# SPDX-License-Identifier: MIT
# make bench: measures whc on 1,000,000 generated responses (10 years, 60
# teams) against sqlite3 on the same data, as whole processes, and prints
# each figure, its ratio to the baseline and each command's peak memory;
# then how fast answers are normalised (whc check) and a full pass over
# one 1,000,000-row export against cat.
# Nothing here asserts a time: the figures are for people to read.
#   tools/bench.sh [BUILD_DIR]      WHC_BENCH_N=200000 for a quicker run
set -euo pipefail

B=${1:-build}
N=${WHC_BENCH_N:-1000000}
OUT=bench-out
WHC="$B/whc"
YEARS=$(seq 2016 2025)

rm -rf "$OUT"
mkdir -p "$OUT"
echo "whc bench: $N responses, 10 years, 60 teams (in $OUT/)"
"$B/whc-gen" bench --out "$OUT/data" --responses "$N" --years 2016-2025 \
    --teams 60 >/dev/null 2>&1
# The same number of responses as one export, for the full-pass figure.
"$B/whc-gen" bench --out "$OUT/one" --responses "$N" --years 2025-2025 \
    --teams 60 >/dev/null 2>&1

# measure LABEL CMD...: runs CMD under /usr/bin/time; sets SECS and KB.
measure() {
	local label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$OUT/time.$$" "$@" >/dev/null 2>"$OUT/err.$$" ||
	    { echo "bench: '$label' failed:"; cat "$OUT/err.$$"; exit 3; }
	read -r SECS KB <"$OUT/time.$$"
}

# best LABEL RUNS CMD...: runs CMD RUNS times; sets SECS to the fastest
# wall time, taken with bash's own microsecond clock (no process is
# started to read it: the figures here are tens of milliseconds), and KB
# to the peak memory of one more run under /usr/bin/time.  The fastest run
# is the one least disturbed by whatever else the machine is doing.
best() {
	local label=$1 runs=$2 i t0 t1 s
	shift 2
	SECS=
	for i in $(seq "$runs"); do
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>"$OUT/err.$$" ||
		    { echo "bench: '$label' failed:"; cat "$OUT/err.$$"; exit 3; }
		t1=$EPOCHREALTIME
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
		if [ -z "$SECS" ] || awk -v a="$s" -v b="$SECS" 'BEGIN { exit !(a < b) }'; then
			SECS=$s
		fi
	done
	/usr/bin/time -f '%M' -o "$OUT/time.$$" "$@" >/dev/null 2>&1
	read -r KB <"$OUT/time.$$"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
row() { printf '  %-44s %8.3f s  %7.1f MiB\n' "$1" "$2" "$(awk -v k="$3" 'BEGIN{print k/1024}')"; }

# 1. Import: whc import of the ten yearly files (one process each, as a
# user would run them) against one sqlite3 .import of the same files into a
# plain table.
cat >"$OUT/import.sh" <<EOS
set -e
for y in $(echo $YEARS); do
	"$WHC" --db "$OUT/whc.db" import -q --questionnaire "$OUT/data/bench-\$y.json" "$OUT/data/bench-\$y.csv" 2>/dev/null
done
EOS
{
	echo ".mode csv"
	echo ".import $OUT/data/bench-2016.csv resp"
	for y in $YEARS; do
		[ "$y" = 2016 ] || echo ".import --skip 1 $OUT/data/bench-$y.csv resp"
	done
} >"$OUT/import.sql"

# Peak memory of whc import is that of one process (one file); the time is
# the sum over the ten files.
measure "whc import" bash "$OUT/import.sh"
WI=$SECS
measure "whc import (one file)" "$WHC" --db "$OUT/one.db" import -q \
    --questionnaire "$OUT/data/bench-2025.json" "$OUT/data/bench-2025.csv"
WIK=$KB
measure "sqlite3 .import" sqlite3 "$OUT/plain.db" ".read $OUT/import.sql"
SI=$SECS
SIK=$KB

# 2. Breakdown of stress by team over all years, against sqlite3's GROUP BY
# over the plain table.  The first breakdown after an import builds the
# columnar cache (it reads every response row once, as the old scan did);
# the ones after it read the cache.  Both are reported; the ratio is that
# of the cached breakdown, what a user asking again and again sees.
measure "whc breakdown (first: builds the cache)" "$WHC" --db "$OUT/whc.db" \
    breakdown stress --by team --format csv --internal
WB1=$SECS
WB1K=$KB
measure "whc breakdown" "$WHC" --db "$OUT/whc.db" breakdown stress --by team \
    --format csv
WB=$SECS
WBK=$KB
measure "whc breakdown (2 dims, filter)" "$WHC" --db "$OUT/whc.db" breakdown \
    stress --by team,grade --where "grade >= 3" --format csv --internal
WB2=$SECS
WB2K=$KB
measure "sqlite3 GROUP BY" sqlite3 "$OUT/plain.db" \
    'SELECT "Which team do you work in?", "How often do you feel stressed by your work?", count(*) FROM resp GROUP BY 1, 2'
SB=$SECS
SBK=$KB

echo
echo "import ($N responses in 10 files):"
row "whc import (time: 10 files; memory: 1 file)" "$WI" "$WIK"
row "sqlite3 .import into a plain table" "$SI" "$SIK"
echo "  ratio whc/sqlite3: $(ratio "$WI" "$SI")   (target <= 1.0; memory target <= 64 MiB)"
echo
echo "breakdown of stress by team, all years:"
row "whc breakdown, first after import (cache)" "$WB1" "$WB1K"
row "whc breakdown" "$WB" "$WBK"
row "whc breakdown by team,grade where grade >= 3" "$WB2" "$WB2K"
row "sqlite3 GROUP BY on the plain table" "$SB" "$SBK"
echo "  ratio whc/sqlite3: $(ratio "$WB" "$SB")   (target <= 0.1; memory target <= 64 MiB)"
echo "  first breakdown after an import: $(ratio "$WB1" "$SB")"
# 3. Normalisation throughput: whc check of the ten yearly files (parse,
# normalise, count every answer; nothing is written), in answers a second.
CHECK_ARGS=
for y in $YEARS; do
	CHECK_ARGS="$CHECK_ARGS $OUT/data/bench-$y.csv"
done
# shellcheck disable=SC2086 # a list of paths without spaces
"$WHC" check -q $CHECK_ARGS >"$OUT/check.out" 2>/dev/null || true
# shellcheck disable=SC2086
"$WHC" check $CHECK_ARGS >"$OUT/check.out" 2>/dev/null
ANSWERS=$(sed -n 's/.*responses (\([0-9]*\) answers).*/\1/p' "$OUT/check.out" |
    awk '{ s += $1 } END { print s }')
# shellcheck disable=SC2086
best "whc check (10 files)" 3 "$WHC" check $CHECK_ARGS
NC=$SECS
NCK=$KB

# 4. A full pass over one 1,000,000-row export as whc check does it,
# against cat FILE > /dev/null in the same run (both warm in the cache).
ONE="$OUT/one/bench-2025.csv"
cat "$ONE" >/dev/null
best "cat" 7 cat "$ONE"
CAT=$SECS
CATK=$KB
best "whc check FILE" 7 "$WHC" check "$ONE"
WC=$SECS
WCK=$KB

echo
echo "normalisation: whc check of the 10 files ($ANSWERS answers):"
row "whc check (parse + normalise + count)" "$NC" "$NCK"
echo "  throughput: $(awk -v a="$ANSWERS" -v t="$NC" 'BEGIN { printf "%.1f", a / t / 1e6 }') million answers a second"
echo
echo "full pass over one $N-row export ($(du -m "$ONE" | cut -f1) MiB), fastest of 7 runs:"
row "cat FILE > /dev/null" "$CAT" "$CATK"
row "whc check FILE" "$WC" "$WCK"
echo "  ratio whc/cat: $(ratio "$WC" "$CAT")   (target <= 7; memory target <= 64 MiB; $(nproc) cores)"
echo
echo "store size: whc $(du -m "$OUT/whc.db" | cut -f1) MiB, plain sqlite3 table $(du -m "$OUT/plain.db" | cut -f1) MiB"
rm -f "$OUT/time.$$" "$OUT/err.$$"
