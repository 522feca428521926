#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc report: charts through the real gnuplot, their CSV, hostile team names
# that must stay data, and gnuplot failures as environment errors.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIR/report-lib.sh"
test_description 'whc report'

test_expect_success 'setup: import the demo survey' '
	demo_store demo.db
'

test_expect_success 'report writes every chart kind in every format' '
	whc --db demo.db report --years 2019-2025 --item stress,caseload \
	    --out out >list &&
	grep "^out/index.html$" list &&
	for c in stress-by-team-stacked stress-by-team-trend \
	    stress-by-team-panels stress-by-team-years caseload-by-team-mean; do
		for e in .png -300dpi.png .svg .pdf .csv; do
			test -s out/$c$e || { echo "missing out/$c$e"; return 1; }
		done
	done &&
	test "$(head -c 8 out/stress-by-team-trend.png | od -An -c | tr -d " ")" = "211PNG\r\n032\n" &&
	test "$(head -c 5 out/stress-by-team-trend.pdf)" = "%PDF-"
'

test_expect_success 'the SVGs are well-formed XML and name the question' '
	for f in out/*.svg; do xmllint --noout $f || return 1; done &&
	grep "stressed" out/stress-by-team-trend.svg
'

test_expect_success 'the table CSV beside the charts is the breakdown table' '
	whc --db demo.db breakdown stress --year 2019-2025 --format csv \
	    --internal --change | grep -v "^note,text,INTERNAL" >expect &&
	test_cmp expect out/stress-by-team-table.csv
'

test_expect_success 'the same report twice gives the same SVGs' '
	whc --db demo.db report --years 2019-2025 --item stress,caseload \
	    --out out2 >/dev/null &&
	for f in out/*.svg; do cmp $f out2/${f#out/} || return 1; done
'

test_expect_success 'no temporary files are left behind' '
	! ls -a out | grep "^\.[^.]"
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
	whc --db h.db report --item stress --out hr >/dev/null &&
	test ! -e pwned1 && test ! -e pwned2 && test ! -e hr/pwned1 &&
	xmllint --noout hr/stress-by-team-stacked.svg &&
	grep -F "GPVAL_PWD" hr/stress-by-team-stacked.svg &&
	grep -F "touch pwned1" hr/stress-by-team-stacked.svg &&
	grep -F "&lt;script>alert(1)&lt;/script>" hr/stress-by-team-stacked.svg &&
	grep -F "system(\"touch pwned2\")" hr/stress-by-team-stacked.svg &&
	grep "^\"'\''=HYPERLINK" hr/stress-by-team-stacked.csv
'

test_expect_success 'a missing gnuplot is an environment error (3)' '
	WHC_GNUPLOT=/nonexistent/gnuplot test_expect_code 3 \
	    whc --db demo.db report --out nogp 2>err &&
	grep "gnuplot" err &&
	test ! -e nogp/stress-by-team-stacked.png
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
