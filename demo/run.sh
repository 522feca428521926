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
