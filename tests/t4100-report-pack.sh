#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc report, the committee pack: hostile survey text stays data in every
# output, a broken or hanging chart is reported while the rest of the pack
# is still made, the SVGs match golden files, and a real browser (headless
# Chromium) loads index.html with no errors and no broken images.
. "$(dirname "$0")/lib.sh"
test_description 'whc report: the committee pack'

# The catalogue of hostile labels: one team per line of hostile.txt
# (\n and \r written as such are turned into real line breaks in the CSV).
test_expect_success 'setup: a survey whose team names are hostile' '
	long=$(printf "Team%.0s with a very long name " $(seq 1 12)) &&
	cat >hostile.txt <<-EOF &&
	O'\''Brien'\''s "crew" and '\''single'\'' quotes
	\`touch pwned1\` and \$(touch pwned1b)
	system("touch pwned2") ; !touch pwned3
	@GPVAL_PWD @x macro
	Line one\\nLine two
	Carriage\\rReturn team
	EOD
	EOD1 annex
	]]> end of CDATA <![CDATA[ x
	<script>alert(1)</script>
	=HYPERLINK("http://example.invalid","click")
	+SUM(1,2) and -1 and @A1
	a&#xZZ; bad reference &amp; ok
	backslash \\\\ and %s %d %%
	$long
	فريق الدعم – צוות תמיכה 2
	EOF
	printf "%s\n" "ID,Modified,Team,Stress,Cases held,Comments" >h.csv &&
	i=0 &&
	while IFS= read -r t; do
		q=$(printf "%s" "$t" | sed "s/\"/\"\"/g") &&
		for n in 1 2 3 4 5 6 7 8 9 10 11 12; do
			i=$((i + 1)) &&
			lvl=Often && test $((n % 2)) = 0 && lvl=Never
			test $((n % 3)) = 0 && lvl=Rarely
			printf "h%s,1,\"%b\",%s,%s,\n" $i "$q" $lvl $((n + 10)) >>h.csv
		done
	done <hostile.txt &&
	whc --db h.db import -q --questionnaire "$SRC/tests/data/open.json" h.csv &&
	whc --db h.db breakdown stress --internal --format json >h.json &&
	python3 -c "
import json, sys
d = json.load(open(\"h.json\"))
labels = sorted({r[\"group\"] for r in d[\"rows\"] if not r[\"total\"]})
json.dump(labels, open(\"labels.json\", \"w\"))
print(len(labels))" >count &&
	test "$(cat count)" = 16
'

test_expect_success 'hostile labels: nothing runs, the pack is made' '
	cat >h.conf <<-\EOF &&
	[report]
	items = stress, caseload
	formats = png, svg, pdf
	[report "caseload"]
	above = 15
	EOF
	whc --db h.db --config h.conf report --out hr >out 2>err &&
	test ! -e pwned1 && test ! -e pwned1b && test ! -e pwned2 &&
	test ! -e pwned3 && test ! -e hr/pwned1 && test ! -e hr/pwned2 &&
	test -s hr/index.html && test -s hr/stress-by-team-panels.pdf
'

test_expect_success 'hostile labels print verbatim in SVG, HTML and CSV' '
	python3 "$SRC/tests/check-labels.py" labels.json hr
'

test_expect_success 'hostile labels: the stored names still hold the payloads' '
	grep -F "touch pwned1" labels.json &&
	grep -F "<script>" labels.json &&
	grep -F "=HYPERLINK" labels.json &&
	grep -F "Line one Line two" labels.json
'

test_expect_success 'setup: the demo survey' '
	whc-gen demo --out exports >/dev/null 2>&1 &&
	for y in 2019 2020 2021 2022 2023 2024 2025; do
		whc --db demo.db import -q --questionnaire \
		    "$SRC/questionnaires/defs/whc-$y.json" exports/whc-$y.csv ||
		return 1
	done &&
	cat >demo.conf <<-\EOF
	[report]
	items = stress, caseload
	formats = png, svg
	[report "caseload"]
	above = 20
	EOF
'

test_expect_success 'a broken chart is reported with gnuplot'\''s words; the rest is made' '
	printf "#!/bin/sh\nexec python3 %s --error %s\n" \
	    "$SRC/tests/bin/gnuplot-proxy.py" stress-by-team-trend.png >gp-error &&
	chmod +x gp-error &&
	WHC_GNUPLOT=$PWD/gp-error test_expect_code 3 whc --db demo.db \
	    --config demo.conf report --years 2019-2025 --out broken 2>err &&
	grep "gnuplot failed drawing .*stress-by-team-trend.png.*whc_no_such_function" err &&
	test ! -e broken/stress-by-team-trend.png &&
	for c in stress-by-team-stacked stress-by-team-panels \
	    stress-by-team-years caseload-by-team-mean caseload-by-team-above; do
		test -s broken/$c.png && test -s broken/$c.svg || return 1
	done &&
	grep "could not be drawn" broken/index.html &&
	! ls -a broken | grep "^\.[^.]"
'

test_expect_success 'a chart that hangs is stopped, gnuplot restarted, the rest made' '
	printf "#!/bin/sh\nexec python3 %s --hang %s\n" \
	    "$SRC/tests/bin/gnuplot-proxy.py" stress-by-team-panels.png >gp-hang &&
	chmod +x gp-hang &&
	WHC_GNUPLOT=$PWD/gp-hang test_expect_code 3 whc --db demo.db \
	    --config demo.conf report --years 2019-2025 --timeout 2 \
	    --out hung 2>err &&
	grep "did not finish drawing .*stress-by-team-panels.png.* within 2000 ms and was stopped" err &&
	test ! -e hung/stress-by-team-panels.png &&
	test -s hung/stress-by-team-years.png &&
	test -s hung/caseload-by-team-above.svg &&
	test -s hung/index.html
'

test_expect_success 'golden SVGs: the charts are exactly as reviewed' '
	whc --db demo.db --config demo.conf report --years 2019-2025 \
	    --format svg --out gold >/dev/null &&
	for f in "$SRC"/tests/golden/report/*.svg; do
		b=$(basename "$f") &&
		sed "s/Produced by GNUPLOT [^<]*</Produced by GNUPLOT</" \
		    gold/$b >actual &&
		sed "s/Produced by GNUPLOT [^<]*</Produced by GNUPLOT</" \
		    "$f" >expect &&
		test_cmp expect actual || return 1
	done
'

test_expect_success 'charts and pack across the scale change say how it is counted' '
	note="Across years: The answer scale of .stress. in 2024 to 2025 is" &&
	for f in trend years stacked panels; do
		tr "\n\t" "  " <gold/stress-by-team-$f.svg | sed "s/<[^>]*>//g" |
		    tr -s " " >words.$f &&
		grep "$note" words.$f &&
		grep "with .always. as .often." words.$f || return 1
	done &&
	grep "Across years: The answer scale of .*stress.* in 2024 to 2025" \
	    gold/index.html &&
	grep "^note,text,\"$note" gold/stress-by-team-table.csv &&
	! grep "Across years: The answer scale" \
	    gold/caseload-by-team-mean.svg
'

# Headless Chromium, as Debian packages it; a private profile, no network.
# It is required, never skipped: without it this test fails and says why.
test_expect_success 'headless Chromium is installed' '
	command -v chromium >/dev/null || {
		echo "chromium not found: the pack is tested in a real browser;" \
		    "scripts/install-deps.sh installs Debian'\''s chromium" >&2
		return 1
	}
'

chromium_run () {
	prof=$(mktemp -d) &&
	chromium --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$prof" --virtual-time-budget=10000 "$@"
	rc=$?
	rm -rf "$prof"
	return $rc
}

test_expect_success 'the pack loads in Chromium: no errors, no broken images' '
	whc --db demo.db --config demo.conf report --years 2019-2025 \
	    --out pack >/dev/null &&
	cp -r pack page &&
	sed "s|</body>|<script>window.addEventListener(\"load\", function () { var im = document.images, bad = 0; for (var i = 0; i < im.length; i++) if (!im[i].complete \|\| im[i].naturalWidth === 0) bad++; document.body.setAttribute(\"data-whc-check\", \"images=\" + im.length + \" broken=\" + bad); });</script></body>|" \
	    pack/index.html >page/index.html &&
	chromium_run --enable-logging=stderr --v=0 --dump-dom \
	    "file://$PWD/page/index.html" >dom.html 2>chromium.err &&
	grep -o "data-whc-check=\"[^\"]*\"" dom.html >check &&
	cat check &&
	grep "images=7 broken=0" check &&
	! grep -i "CONSOLE.*\(error\|uncaught\)\|Failed to load resource\|ERR_FILE_NOT_FOUND" chromium.err
'

test_expect_success 'a page with a missing picture is caught (the check works)' '
	rm page/stress-by-team-trend.png page/stress-by-team-trend-300dpi.png 2>/dev/null;
	chromium_run --dump-dom "file://$PWD/page/index.html" >dom2.html 2>/dev/null &&
	grep "data-whc-check=\"images=7 broken=1\"" dom2.html
'

test_expect_success 'screenshot of the pack' '
	chromium_run --hide-scrollbars --window-size=1000,1400 \
	    --screenshot="$PWD/shot.png" "file://$PWD/pack/index.html" \
	    >/dev/null 2>&1 &&
	test "$(head -c 8 shot.png | od -An -c | tr -d " ")" = "211PNG\r\n032\n" &&
	python3 -c "
import struct
b = open(\"shot.png\", \"rb\").read(24)
w, h = struct.unpack(\">II\", b[16:24])
assert (w, h) == (1000, 1400), (w, h)
" &&
	if test -n "$WHC_KEEP_SHOT"; then cp shot.png "$WHC_KEEP_SHOT"; fi
'

test_done
