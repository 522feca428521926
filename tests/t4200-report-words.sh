#!/bin/sh
# SPDX-License-Identifier: MIT
# whc report, the words with every chart: each summary and alt text is
# checked against the numbers the chart plots (its CSV), by an independent
# reader (check-words.py: extremes, n, intervals, the change since last
# year and its Newcombe interval, the verdict, withheld counts); and the
# checker is shown to catch a summary that no longer fits its numbers.
. "$(dirname "$0")/lib.sh"
test_description 'whc report: words against numbers'

test_expect_success 'setup: the demo survey and the demo pack' '
	whc-gen demo --out exports >/dev/null 2>&1 &&
	for y in 2019 2020 2021 2022 2023 2024 2025; do
		whc --db demo.db import -q --questionnaire \
		    "$SRC/questionnaires/defs/whc-$y.json" exports/whc-$y.csv ||
		return 1
	done &&
	whc --db demo.db --config "$SRC/demo/report.conf" report \
	    --years 2019-2025 --format svg --out pack >/dev/null
'

test_expect_success 'every chart of every kind has its words checked' '
	python3 "$SRC/tests/check-words.py" pack >checked &&
	for k in stacked-1 stacked-2 trend panels years-1; do
		grep "^checked stress-by-team-$k$" checked || return 1
	done &&
	grep "^checked caseload-by-team-mean-1$" checked &&
	grep "^checked hours-by-team-median-1$" checked &&
	grep "^checked hours-by-team-above-trend$" checked &&
	test "$(grep -c ^checked checked)" = "$(grep -c "<img src=" pack/index.html)"
'

test_expect_success 'the summaries name a change with its interval and verdict' '
	grep -o "Compared with 2024 it changed by [^)]*), [a-z ]*change" \
	    pack/index.html >changes &&
	test -s changes &&
	grep -o "[0-9]* of 12 Team values in 2025 are withheld" \
	    pack/index.html >counts &&
	test -s counts
'

test_expect_success 'page = a4: every chart fits an A4 page, in parts' '
	for f in pack/*.svg; do
		h=$(sed -n "s/^ width=\"605\" height=\"\([0-9]*\)\"$/\1/p" $f) &&
		test -n "$h" && test "$h" -le 888 ||
		{ echo "$f: height ${h:-unknown} px"; return 1; }
	done &&
	grep -l "part 1 of 3" pack/stress-by-team-stacked-1.svg &&
	grep -l "part 3 of 3" pack/stress-by-team-stacked-3.svg &&
	test ! -e pack/stress-by-team-stacked-4.svg &&
	grep -c "^All teams,2025," pack/stress-by-team-stacked-3.csv
'

test_expect_success 'a summary that no longer fits its numbers is caught' '
	cp -r pack bad &&
	sed "s/^All teams,2024,% answering Often,[0-9.]*/All teams,2024,% answering Often,20.00/" \
	    pack/stress-by-team-years-1.csv >bad/stress-by-team-years-1.csv &&
	sed "s/^\(Early Help,2025,% answering Often,\)[0-9.]*/\\160.00/" \
	    pack/stress-by-team-trend.csv >bad/stress-by-team-trend.csv &&
	test_must_fail python3 "$SRC/tests/check-words.py" bad >out &&
	grep "MISMATCH stress-by-team-years-1: change" out &&
	grep "MISMATCH stress-by-team-trend: MASH and Front Door is said to be highest" out
'

test_done
