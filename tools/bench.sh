#!/bin/bash
# SPDX-License-Identifier: MIT
# make bench: measures whc on 1,000,000 generated responses (10 years, 60
# teams) against sqlite3 on the same data, as whole processes, and prints
# each figure, its ratio to the baseline and each command's peak memory.
# Nothing here asserts a time: the figures are for people to read.  Then
# tools/bench-collect.sh measures the collector.
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

# measure LABEL CMD...: runs CMD under /usr/bin/time; sets SECS and KB.
measure() {
	local label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$OUT/time.$$" "$@" >/dev/null 2>"$OUT/err.$$" ||
	    { echo "bench: '$label' failed:"; cat "$OUT/err.$$"; exit 3; }
	read -r SECS KB <"$OUT/time.$$"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
row() { printf '  %-44s %8.2f s  %7.1f MiB\n' "$1" "$2" "$(awk -v k="$3" 'BEGIN{print k/1024}')"; }

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
echo
echo "store size: whc $(du -m "$OUT/whc.db" | cut -f1) MiB, plain sqlite3 table $(du -m "$OUT/plain.db" | cut -f1) MiB"
rm -f "$OUT/time.$$" "$OUT/err.$$"

# 3. The collector: whc collect against the provider emulator.
echo
"$(dirname "$0")/bench-collect.sh" "$B"
