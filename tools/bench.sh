#!/bin/bash
# SPDX-License-Identifier: MIT
# make bench: measures whc on 1,000,000 generated responses (10 years, 60
# teams) against sqlite3 on the same data, as whole processes; how fast
# answers are normalised (whc check) and a full pass over one
# 1,000,000-row export against cat; a committee pack (60 teams, 10 years,
# every chart kind, PNG and SVG) against gnuplot alone running the same
# scripts; then tools/bench-collect.sh measures the collector.  It prints
# each figure, its ratio to the baseline and each command's peak memory.
# Nothing here asserts a time: the figures are for people to read.
#   tools/bench.sh [BUILD_DIR] [all|store|report|collect]
#   WHC_BENCH_N=200000 for a quicker store part
set -euo pipefail

B=${1:-build}
PART=${2:-all}
N=${WHC_BENCH_N:-1000000}
OUT=bench-out
WHC="$B/whc"
YEARS=$(seq 2016 2025)

case $PART in
all | store | report) ;;
collect) exec "$(dirname "$0")/bench-collect.sh" "$B" ;;
*) echo "usage: tools/bench.sh [BUILD_DIR] [all|store|report|collect]" >&2
   exit 2 ;;
esac
rm -rf "$OUT"
mkdir -p "$OUT"


# measure LABEL CMD...: runs CMD under /usr/bin/time; sets SECS and KB.
measure() {
	local label=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$OUT/time.$$" "$@" >/dev/null 2>"$OUT/err.$$" ||
	    { echo "bench: '$label' failed:"; cat "$OUT/err.$$"; exit 3; }
	read -r SECS KB USR SYS <"$OUT/time.$$"
	CPU=$(awk -v u="$USR" -v s="$SYS" 'BEGIN { print u + s }')
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
	/usr/bin/time -f '%M %U %S' -o "$OUT/time.$$" "$@" >/dev/null 2>&1
	read -r KB USR SYS <"$OUT/time.$$"
	CPU=$(awk -v u="$USR" -v s="$SYS" 'BEGIN { print u + s }')
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
row() { printf '  %-44s %8.3f s  %7.1f MiB\n' "$1" "$2" "$(awk -v k="$3" 'BEGIN{print k/1024}')"; }
# The smaller of two times.
least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }

# The committee pack: 60 teams, 10 years, every chart kind of every item
# (stacked, trend, panels, years; mean, median, share above and its
# trend), PNG and SVG.  whc report --trace writes every script it sends to
# gnuplot as one file gnuplot can run by itself: the baseline is gnuplot
# running that file, the same charts with none of whc's work (breakdowns,
# layout, words, HTML, waiting for each chart's answer).  Each is run three
# times and the fastest run counts (the machine is shared).
bench_report() {
	local rn=${WHC_BENCH_REPORT_N:-60000} wr gr wk gk wc gc
	echo "whc bench: committee pack, $rn responses, 10 years, 60 teams" \
	    "(in $OUT/)"
	"$B/whc-gen" bench --out "$OUT/rdata" --responses "$rn" \
	    --years 2016-2025 --teams 60 >/dev/null 2>&1
	for y in $YEARS; do
		"$WHC" --db "$OUT/report.db" import -q --questionnaire \
		    "$OUT/rdata/bench-$y.json" "$OUT/rdata/bench-$y.csv" \
		    2>/dev/null
	done
	R="$WHC --db $OUT/report.db --config demo/report.conf report"
	R="$R --format png,svg"
	$R --out "$OUT/pack" --trace "$OUT/pack.gp" >/dev/null
	wr=999999 gr=999999 wc=999999 gc=999999
	for i in 1 2 3; do
		rm -rf "$OUT/pack"
		measure "whc report" $R --out "$OUT/pack"
		wr=$(least "$SECS" "$wr") wk=$KB wc=$(least "$CPU" "$wc")
		measure "gnuplot alone" gnuplot -d "$OUT/pack.gp"
		gr=$(least "$SECS" "$gr") gk=$KB gc=$(least "$CPU" "$gc")
		rm -f "$OUT"/pack/.??*
	done
	echo
	echo "committee pack ($(ls "$OUT/pack" | grep -c '\.svg$') charts" \
	    "as PNG and SVG: $(grep -c '^set output \$WHC_OUT' \
	    "$OUT/pack.gp") gnuplot scripts, fastest of 3 runs):"
	row "whc report" "$wr" "$wk"
	row "gnuplot alone on the same scripts" "$gr" "$gk"
	echo "  ratio whc/gnuplot: $(ratio "$wr" "$gr")   (target <= 1.2)"
	echo "  CPU time (user + system, gnuplot's included): whc $wc s," \
	    "gnuplot alone $gc s, ratio $(ratio "$wc" "$gc")"
	echo "  (load average now: $(cut -d' ' -f1-3 /proc/loadavg);" \
	    "on a busy machine the wall-clock ratio wanders)"
}

if [ "$PART" = report ]; then
	bench_report
	rm -f "$OUT/time.$$" "$OUT/err.$$"
	exit 0
fi

echo "whc bench: $N responses, 10 years, 60 teams (in $OUT/)"
"$B/whc-gen" bench --out "$OUT/data" --responses "$N" --years 2016-2025 \
    --teams 60 >/dev/null 2>&1
# The same number of responses as one export, for the full-pass figure.
"$B/whc-gen" bench --out "$OUT/one" --responses "$N" --years 2025-2025 \
    --teams 60 >/dev/null 2>&1

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
CATC=$CPU
best "whc check FILE" 7 "$WHC" check "$ONE"
WC=$SECS
WCK=$KB
WCC=$CPU
echo
echo "normalisation: whc check of the 10 files ($ANSWERS answers):"
row "whc check (parse + normalise + count)" "$NC" "$NCK"
echo "  throughput: $(awk -v a="$ANSWERS" -v t="$NC" 'BEGIN { printf "%.1f", a / t / 1e6 }') million answers a second"
echo
echo "full pass over one $N-row export ($(du -m "$ONE" | cut -f1) MiB), fastest of 7 runs:"
printf '  %-44s %8.3f s  %7.1f MiB  (CPU %.2f s)\n' "cat FILE > /dev/null" \
    "$CAT" "$(awk -v k="$CATK" 'BEGIN{print k/1024}')" "$CATC"
printf '  %-44s %8.3f s  %7.1f MiB  (CPU %.2f s)\n' "whc check FILE" \
    "$WC" "$(awk -v k="$WCK" 'BEGIN{print k/1024}')" "$WCC"
echo "  ratio whc/cat: $(ratio "$WC" "$CAT")   (target <= 7; memory target <= 64 MiB; $(nproc) cores, load $(cut -d" " -f1 /proc/loadavg))"
echo
echo "store size: whc $(du -m "$OUT/whc.db" | cut -f1) MiB, plain sqlite3 table $(du -m "$OUT/plain.db" | cut -f1) MiB"
if [ "$PART" = all ]; then
	echo
	bench_report
fi
rm -f "$OUT/time.$$" "$OUT/err.$$"

# 5. The collector: whc collect against the provider emulator.
if [ "$PART" = all ]; then
	echo
	"$(dirname "$0")/bench-collect.sh" "$B"
fi
