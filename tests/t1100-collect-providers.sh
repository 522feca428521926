#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# The demo survey collected through each of the five providers' APIs (the
# emulator, at the providers' real request limits) gives the same
# breakdowns as its CSV exports imported by hand; a re-run with nothing new
# changes nothing and costs the fewest requests; every page is archived.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
test_description 'whc collect: five providers, one survey'

emu_start || test_bug_ "the emulator did not start"

test_expect_success 'setup: the demo survey imported from its CSV files' '
	make_ref &&
	breakdowns ref.db ref.csv &&
	sqlite3 ref.db "SELECT year, count(*) FROM response GROUP BY 1" >ref.n &&
	test_line_count = 7 ref.n
'

# The five collections run side by side: each provider paces itself.
test_expect_success 'all seven years collected from each provider' '
	for p in sm ss qx ls tf; do
		whc --config whc.conf --db $p.db collect $(sources $p) \
		    >out.$p 2>err.$p &
		echo $! >pid.$p
	done &&
	for p in sm ss qx ls tf; do
		wait $(cat pid.$p) || { cat err.$p; return 1; }
		test_line_count = 7 out.$p &&
		grep "whc-2025 (2025): $(sed -n "s/^2025|//p" ref.n) new or changed" out.$p ||
		return 1
	done
'

for p in sm ss qx ls tf; do
	test_expect_success "$p: the same breakdowns as the CSV import" '
		breakdowns $p.db $p.csv &&
		test_cmp ref.csv $p.csv &&
		sqlite3 $p.db "SELECT year, count(*) FROM response GROUP BY 1" >n &&
		test_cmp ref.n n
	'
done

test_expect_success 'no request over any provider limit' '
	for p in surveymonkey smartsurvey qualtrics limesurvey typeform; do
		test "$(emu_stat over_limit $p)" = 0 || return 1
	done
'

# requests PROVIDER: the emulator's count of requests to it.
requests () {
	emu_stat requests "$1"
}

test_expect_success 'a re-run with nothing new changes nothing' '
	for p in sm ss qx ls tf; do
		dump $p.db >before.$p || return 1
	done &&
	for p in surveymonkey smartsurvey qualtrics limesurvey typeform; do
		requests $p >req.$p || return 1
	done &&
	for p in sm ss qx ls tf; do
		whc --config whc.conf --db $p.db collect $(sources $p) >out.$p \
		    2>err.$p &
		echo $! >pid.$p
	done &&
	for p in sm ss qx ls tf; do
		wait $(cat pid.$p) || { cat err.$p; return 1; }
		grep -c ": 0 new or changed" out.$p >n && echo 7 >expect &&
		test_cmp expect n || return 1
		dump $p.db >after.$p && test_cmp before.$p after.$p || return 1
	done
'

# rerun_cost PROVIDER MAX: requests of the re-run, at most MAX for 7 sources
rerun_cost () {
	n=$(( $(requests "$1") - $(cat "req.$1") ))
	echo "$1: $n requests for 7 sources"
	test "$n" -le "$2"
}

test_expect_success 'the re-run costs one request per source where paging allows' '
	rerun_cost surveymonkey 7 &&
	rerun_cost smartsurvey 7 &&
	rerun_cost typeform 7
'

test_expect_success 'and the minimum of an export job or a session elsewhere' '
	rerun_cost qualtrics 28 &&	# start, 2 polls, the file
	rerun_cost limesurvey 9	# log in once, 7 exports, log out
'

test_expect_success 'LimeSurvey: one session a run for its 7 sources, released' '
	emu_ctl GET /_emu/stats | python3 -c "
import json, sys
s = json.load(sys.stdin)
assert len(s[\"sessions\"]) == 2, len(s[\"sessions\"])
assert s[\"open_sessions\"] == 0, s[\"open_sessions\"]
"
'

test_expect_success 'every page is archived, with its hash and status' '
	for p in sm ss qx ls tf; do
		sqlite3 $p.db "SELECT count(*) FROM page" >n &&
		test "$(cat n)" -gt 7 || return 1
		sqlite3 $p.db "SELECT count(*) FROM page WHERE status <> 200" >n &&
		echo 0 >expect && test_cmp expect n || return 1
	done &&
	python3 -c "
import hashlib, sqlite3, sys
for p in sys.argv[1:]:
    db = sqlite3.connect(p + \".db\")
    n = 0
    for sha, body in db.execute(\"SELECT sha256, body FROM page_body\"):
        assert hashlib.sha256(body).hexdigest() == sha, (p, sha)
        n += 1
    assert n > 0
" sm ss qx ls tf &&
	sqlite3 sm.db "SELECT DISTINCT method || \" \" || substr(url, 1, instr(url, \"?\")) FROM page WHERE url LIKE \"%bulk%\"" >urls &&
	grep "^GET http://127.0.0.1:$EMU_PORT/surveymonkey/v3/surveys/[0-9]*/responses/bulk?$" urls
'

test_expect_success 'the responses can be re-read from the archive' '
	sqlite3 qx.db "SELECT count(*) FROM page WHERE url LIKE \"%/file\"" >n &&
	test "$(cat n)" -ge 7 &&
	sqlite3 ls.db "SELECT count(*) FROM page p JOIN page_body b USING (sha256) WHERE instr(b.body, \"export_responses\") = 0 AND instr(b.body, \"result\") > 0" >n &&
	test "$(cat n)" -ge 7
'

test_expect_success 'smaller pages, SmartSurvey v2 and Typeform cursors agree' '
	sed -e "/^\[source \"sm-whc-2025\"\]/a\\	page_size = 17" \
	    -e "/^\[source \"tf-whc-2025\"\]/a\\	page_size = 60" \
	    -e "/^\[source \"ss-whc-2025\"\]/a\\	url = http://127.0.0.1:$EMU_PORT/smartsurvey/v2" \
	    whc.conf >small.conf &&
	for p in sm tf ss; do
		whc --config small.conf --db small-$p.db collect -q \
		    --source $p-whc-2025 || return 1
		whc --config k1.conf --db small-$p.db breakdown --internal stress \
		    --year 2025 --format csv >small-$p.csv &&
		whc --config k1.conf --db ref.db breakdown --internal stress \
		    --year 2025 --format csv >ref-2025.csv &&
		test_cmp ref-2025.csv small-$p.csv || return 1
	done &&
	sqlite3 small-sm.db "SELECT count(*) FROM page" >n &&
	test "$(cat n)" -ge 20
'

test_expect_success 'Typeform: a full last page ends the walk (no empty page)' '
	n=$(sed -n "s/^2025|//p" ref.n) &&
	sed -e "/^\[source \"tf-whc-2025\"\]/a\\	page_size = $n" \
	    whc.conf >full.conf &&
	whc --config full.conf --db full-tf.db collect --source tf-whc-2025 \
	    >out &&
	grep "$n new or changed" out &&
	# The form and one page answered; a 429 from the previous tests'"'"'
	# requests (a new process starts with no pacing history) may come
	# first and is retried, but no page is asked for after the full one.
	sqlite3 full-tf.db "SELECT count(*) FROM page WHERE status = 200" >n &&
	echo 2 >expect && test_cmp expect n &&
	sqlite3 full-tf.db "SELECT count(*) FROM page WHERE status <> 200 AND
	    status <> 429" >n && echo 0 >expect && test_cmp expect n
'

test_expect_success 'a council that switched provider: two sources, one store' '
	whc --config small.conf --db both.db collect -q \
	    --source ss-whc-2019 --source ss-whc-2020 --source ss-whc-2021 \
	    --source sm-whc-2022 --source sm-whc-2023 --source sm-whc-2024 \
	    --source sm-whc-2025 &&
	breakdowns both.db both.csv &&
	test_cmp ref.csv both.csv
'

test_done
