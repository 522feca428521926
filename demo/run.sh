#!/bin/sh
# SPDX-License-Identifier: MIT
# The whole whc pipeline on the bundled demo survey (a council's health
# check, 2019-2025, made by tools/whc-gen with a fixed seed): generate the
# exports, collect them from the providers' APIs (an emulator of them,
# demo/collect.sh) into a fresh store, print a breakdown, draw charts.
# Usage: demo/run.sh [BUILD_DIR]    (make demo runs it)
set -eu

B=${1:-build}
WHC="$B/whc"
OUT=demo-out

rm -rf "$OUT"
mkdir -p "$OUT/exports"
echo "== generating the demo survey exports (2019-2025) into $OUT/exports"
"$B/whc-gen" demo --out "$OUT/exports" 2>/dev/null

echo "== collecting them from the providers' APIs into a fresh store, $OUT/whc.db"
"$(dirname "$0")/collect.sh" "$B" "$OUT"
echo
echo "== whc breakdown stress --by team --year 2025"
echo
"$WHC" --db "$OUT/whc.db" breakdown stress --by team --year 2025
echo
# Issue 4: definitions across the years, and the data-quality ledger.
echo "== whc check (the definitions, the team map) and whc quality --year 2025"
"$WHC" check questionnaires/defs/*.json
"$WHC" --db "$OUT/whc.db" quality --year 2025 >"$OUT/quality.txt"
sed -n '1,/^$/p;/match no level/,/^$/p' "$OUT/quality.txt"
echo "   (the whole ledger: $OUT/quality.txt)"
echo "== across a rewording, a merge and a scale change: whc breakdown stress --year 2022-2025"
echo
"$WHC" --db "$OUT/whc.db" breakdown stress --by team --year 2022-2025 \
    --internal | grep "^Across years"
echo
cp demo/report.conf "$OUT/whc.conf"
echo "== whc report --years 2019-2025 --out $OUT/report (config $OUT/whc.conf)"
"$WHC" --db "$OUT/whc.db" --config "$OUT/whc.conf" report --years 2019-2025 \
    --out "$OUT/report" >"$OUT/report.list"

echo
echo "Done.  What the demo made:"
echo "  store:            $OUT/whc.db"
echo "  charts and CSV:   $OUT/report/ ($(ls "$OUT/report" | wc -l) files)"
echo "  committee pack:   $(cat "$OUT/report.list")"
echo "Open the committee pack in a browser (file://$PWD/$(cat "$OUT/report.list")):"
echo "every chart with its alt text, summary, numbers (CSV) and the methods note."
