#!/bin/sh
# SPDX-License-Identifier: MIT
# The whole whc pipeline on the bundled demo survey (a council's health
# check, 2019-2025, made by tools/whc-gen with a fixed seed): generate the
# exports, import them into a fresh store, print a breakdown, draw charts.
# Usage: demo/run.sh [BUILD_DIR]    (make demo runs it)
set -eu

B=${1:-build}
WHC="$B/whc"
OUT=demo-out

rm -rf "$OUT"
mkdir -p "$OUT/exports"
echo "== generating the demo survey exports (2019-2025) into $OUT/exports"
"$B/whc-gen" demo --out "$OUT/exports" 2>/dev/null

echo "== importing them into a fresh store, $OUT/whc.db"
: >"$OUT/import.log"
for y in 2019 2020 2021 2022 2023 2024 2025; do
	"$WHC" --db "$OUT/whc.db" import --questionnaire "whc-$y" \
	    "$OUT/exports/whc-$y.csv" 2>>"$OUT/import.log"
done
echo "   (data-quality warnings: $(grep -c warning "$OUT/import.log")" \
    "lines in $OUT/import.log)"

echo
echo "== whc breakdown stress --by team --year 2025"
echo
"$WHC" --db "$OUT/whc.db" breakdown stress --by team --year 2025
echo
cat >"$OUT/whc.conf" <<'EOC'
# The demo's committee pack: which items, by what, and how.
[report]
title = Children's Social Care Workforce Health Check
items = stress, workload_manageable, intend_to_leave, caseload, hours
by = team
recent = 3
[report "stress"]
share = often
[report "caseload"]
above = 20
[report "hours"]
above = 40
stat = median
EOC
echo "== whc report --years 2019-2025 --out $OUT/report (config $OUT/whc.conf)"
"$WHC" --db "$OUT/whc.db" --config "$OUT/whc.conf" report --years 2019-2025 \
    --out "$OUT/report" >"$OUT/report.list"

echo
echo "Done.  What the demo made:"
echo "  store:            $OUT/whc.db"
echo "  charts and CSV:   $OUT/report/ ($(ls "$OUT/report" | wc -l) files)"
echo "  committee pack:   $(cat "$OUT/report.list")"
echo "Open the committee pack in a browser: every chart with its alt text,"
echo "summary, numbers (CSV) and the methods note."
