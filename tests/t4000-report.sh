#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc report: charts through the real gnuplot, their CSV, hostile team names
# that must stay data, and gnuplot failures as environment errors.
. "$(dirname "$0")/lib.sh"
test_description 'whc report'

test_expect_success 'setup: import the demo survey' '
	whc-gen demo --out exports >/dev/null 2>&1 &&
	for y in 2019 2020 2021 2022 2023 2024 2025; do
		whc --db demo.db import -q --questionnaire \
		    "$SRC/questionnaires/defs/whc-$y.json" exports/whc-$y.csv ||
		return 1
	done
'

test_expect_success 'report writes PNG, SVG and CSV and lists them' '
	whc --db demo.db report --years 2019-2025 --out out >list &&
	test -s out/stress-by-team.png &&
	test -s out/stress-by-team.svg &&
	test -s out/stress-by-team.csv &&
	grep "out/stress-by-team.png" list &&
	test "$(head -c 8 out/stress-by-team.png | od -An -c | tr -d " ")" = "211PNG\r\n032\n"
'

test_expect_success 'the SVG is well-formed XML and names the question' '
	xmllint --noout out/stress-by-team.svg &&
	grep "stressed" out/stress-by-team.svg
'

test_expect_success 'the CSV beside the chart is the breakdown table' '
	whc --db demo.db breakdown stress --year 2019-2025 --format csv \
	    --internal | grep -v "^note,text,INTERNAL" >expect &&
	test_cmp expect out/stress-by-team.csv
'

test_expect_success 'the same report twice gives the same SVG' '
	whc --db demo.db report --years 2019-2025 --out out2 >/dev/null &&
	cmp out/stress-by-team.svg out2/stress-by-team.svg
'

test_expect_success 'no temporary files are left behind' '
	! ls out | grep -v "^stress-by-team\.\(png\|svg\|csv\)$"
'

test_expect_success 'hostile team names are printed, never run' '
	Q="$SRC/tests/data/open.json" &&
	printf "%s\n" "ID,Modified,Team,Stress,Cases held,Comments" >h.csv &&
	i=0 &&
	for t in "\`touch pwned1\`" "system(\"\"touch pwned2\"\")" \
	    "@GPVAL_PWD" "]]> <script>alert(1)</script>" "=HYPERLINK(\"\"x\"\")" \
	    "EOD" "'\''quoted'\'' \\\\ back" "a&#xZZ;b"; do
		for n in 1 2 3 4 5 6 7 8 9 10 11 12; do
			i=$((i + 1)) &&
			lvl=Often && test $((n % 2)) = 0 && lvl=Never
			printf "h%s,1,\"%s\",%s,1,\n" $i "$t" $lvl >>h.csv
		done
	done &&
	whc --db h.db import --questionnaire "$Q" h.csv &&
	whc --db h.db report --out hr >/dev/null &&
	test ! -e pwned1 && test ! -e pwned2 && test ! -e hr/pwned1 &&
	xmllint --noout hr/stress-by-team.svg &&
	grep -F "GPVAL_PWD" hr/stress-by-team.svg &&
	grep -F "touch pwned1" hr/stress-by-team.svg &&
	grep -F "&lt;script>alert(1)&lt;/script>" hr/stress-by-team.svg &&
	grep -F "system(\"touch pwned2\")" hr/stress-by-team.svg &&
	grep "^\"'\''=HYPERLINK" hr/stress-by-team.csv
'

test_expect_success 'a missing gnuplot is an environment error (3)' '
	WHC_GNUPLOT=/nonexistent/gnuplot test_expect_code 3 \
	    whc --db demo.db report --out nogp 2>err &&
	grep "gnuplot" err &&
	test ! -e nogp/stress-by-team.png
'

test_expect_success 'a failing gnuplot is an environment error (3)' '
	WHC_GNUPLOT=/bin/false test_expect_code 3 \
	    whc --db demo.db report --out badgp 2>err &&
	grep "gnuplot" err
'

test_expect_success 'report of an unknown item is a data error (1)' '
	test_expect_code 1 whc --db demo.db report --item nosuch --out x 2>err &&
	grep "unknown item" err
'

test_done
