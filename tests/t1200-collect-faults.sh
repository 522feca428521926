#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc collect against every fault of the emulator's menu: each run either
# completes with exactly the survey's responses, or fails with the source,
# the URL and the status (exit 3) keeping whole pages only; a later run
# then completes.  The year is 2025 (349 responses), in pages of 50.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
test_description 'whc collect: faults'

Y=2025
# go NAME PROVIDER-PREFIX [OPTION...]: collect whc-$Y from that provider
# into NAME.db.  (An emulator started inside a test body ends with it.)
go () {
	go_db=$1 go_p=$2 &&
	shift 2 &&
	whc --config whc.conf --db "$go_db.db" collect --source "$go_p-whc-$Y" "$@"
}

start () {
	emu_start_fast "$@" || return 1
	for p in sm ss tf; do
		set_key "$p-whc-$Y" page_size 50
	done
}

test_expect_success 'setup: the reference' '
	make_ref
'

start || test_bug_ "the emulator did not start"

test_expect_success '401: a wrong token is named with the URL, exit 3' '
	EMU_TOKEN=wrong-token test_expect_code 3 go t401 sm >out 2>err &&
	grep "whc: source .sm-whc-$Y.: GET http://127.0.0.1:$EMU_PORT/surveymonkey/v3/surveys/[0-9]*/details: HTTP 401 (The authorization token provided was invalid.); what was fetched before is kept" err &&
	sqlite3 t401.db "SELECT count(*) FROM response" >n &&
	echo 0 >expect && test_cmp expect n
'

test_expect_success '403 on the third page: the pages before are kept' '
	emu_faults 403@4 &&
	test_expect_code 3 go t403 sm 2>err &&
	grep "GET http://127.0.0.1:$EMU_PORT/surveymonkey/v3/surveys/[0-9]*/responses/bulk?per_page=50&.*: HTTP 403 (The scope for this access token was not granted.)" err &&
	sound t403.db &&
	sqlite3 t403.db "SELECT count(*) FROM response" >n &&
	echo 99 >expect && test_cmp expect n &&	# two pages, overlapping by one
	emu_faults "" &&
	go t403 sm >out &&
	same_year t403.db $Y
'

test_expect_success '404 from Typeform: its error body, exit 3' '
	emu_faults 404@2 &&
	test_expect_code 3 go t404 tf 2>err &&
	grep "typeform/forms/[A-Za-z0-9]*/responses?page_size=50: HTTP 404 (Non existing form with uid)" err
'

test_expect_success '429 with Retry-After: waited for, then completed' '
	emu_faults 429@2 &&
	start=$(date +%s) &&
	go t429 ss >out 2>err &&
	test $(( $(date +%s) - start )) -ge 1 &&
	same_year t429.db $Y &&
	sqlite3 t429.db "SELECT count(*) FROM page WHERE status = 429" >n &&
	echo 1 >expect && test_cmp expect n
'

test_expect_success '5xx twice, then success: retried with back-off' '
	emu_faults 500@3x2 &&
	go t500 sm >out 2>err &&
	same_year t500.db $Y
'

test_expect_success 'a 503 that lasts: gives up after its retries, exit 3' '
	emu_faults 503@1+ &&
	test_expect_code 3 go t503 qx 2>err &&
	grep "POST http://127.0.0.1:$EMU_PORT/qualtrics/API/v3/surveys/SV_[A-Za-z0-9]*/export-responses: HTTP 503 (.*); gave up after 5 attempts; what was fetched before is kept" err &&
	sqlite3 t503.db "SELECT count(*) FROM response" >n &&
	echo 0 >expect && test_cmp expect n &&
	emu_faults "" &&
	go t503 qx >out &&
	same_year t503.db $Y
'

test_expect_success 'a slow answer is waited for' '
	emu_faults slow@2=1 &&
	go tslow ls >out 2>err &&
	same_year tslow.db $Y
'

test_expect_success 'a stalled answer times out and is asked again' '
	emu_faults stall@3 &&
	go tstall sm >out 2>err &&
	same_year tstall.db $Y
'

test_expect_success 'a connection reset is retried' '
	emu_faults reset@2 &&
	go treset tf >out 2>err &&
	same_year treset.db $Y
'

test_expect_success 'a truncated body is retried' '
	emu_faults truncate@3 &&
	go ttrunc ss >out 2>err &&
	same_year ttrunc.db $Y
'

test_expect_success 'malformed JSON is retried; if it lasts, its place is named' '
	emu_faults badjson@3 &&
	go tjson sm >out 2>err &&
	same_year tjson.db $Y &&
	emu_faults badjson@2+ &&
	test_expect_code 3 go tjson2 tf 2>err &&
	grep "typeform/forms/[A-Za-z0-9]*/responses?page_size=50: HTTP 200 but the body is not JSON (at byte [0-9]* of [0-9]*); gave up after 5 attempts" err
'

test_expect_success 'duplicates across pages are stored once' '
	emu_faults dup &&
	go tdup sm >out 2>err &&
	same_year tdup.db $Y &&
	go tdup2 ss >out 2>err &&
	same_year tdup2.db $Y
'

test_expect_success 'many responses in one second: the pages are walked' '
	start --fault same-second &&
	go tsame sm >out 2>err &&
	same_year tsame.db $Y &&
	go tsame sm >out &&
	grep ": 0 new or changed" out
'

test_expect_success 'SmartSurvey short pages are no proof of the end' '
	start --fault ss-hidden &&
	go thidden ss >out 2>err &&
	sqlite3 thidden.db "SELECT count(*) FROM response" >n &&
	echo 315 >expect && test_cmp expect n
'

# churn PREFIX FAULT: responses change while the first run pages; a second
# run has everything as the emulator has it now.
churn () {
	start --fault "$2" &&
	go "churn-$1" "$1" >out 2>err &&
	sound "churn-$1.db" &&
	go "churn-$1" "$1" >out 2>err &&
	emu_ref $Y &&
	same_year "churn-$1.db" $Y emu-ref.db &&
	sqlite3 "churn-$1.db" "SELECT count(*) FROM response" >n &&
	echo 354 >expect && test_cmp expect n
}

for p in sm ss tf qx; do
	test_expect_success "$p: responses added and modified while paging" '
		churn $p churn@3
	'
done

# LimeSurvey has no pages and no edits that a client can see: responses
# are added between its export and the end of the run.
test_expect_success "ls: responses added during a run" '
	churn ls churn@2
'


test_expect_success 'LimeSurvey: partial responses are fetched again when completed' '
	start --fault partial=3 &&
	go part ls >out 2>err &&
	sqlite3 part.db "SELECT count(*) FROM response" >n &&
	echo 346 >expect && test_cmp expect n &&
	emu_ctl POST "/_emu/churn?survey=whc-$Y&n=0&provider=limesurvey" &&
	go part ls >out 2>err &&
	emu_ref $Y &&
	same_year part.db $Y emu-ref.db
'

test_expect_success 'Typeform: late submissions are caught by the overlap' '
	start --fault late@3=3 &&
	go late tf >out 2>err &&
	sqlite3 late.db "SELECT count(*) FROM response" >n &&
	echo 346 >expect && test_cmp expect n &&
	go late tf >out 2>err &&
	same_year late.db $Y
'

test_expect_success 'without the overlap they would be lost' '
	start --fault late@3=3 &&
	set_key tf-whc-$Y overlap 0 &&
	go late0 tf >out 2>err &&
	go late0 tf >out 2>err &&
	sqlite3 late0.db "SELECT count(*) FROM response" >n &&
	echo 346 >expect && test_cmp expect n
'

test_expect_success 'Qualtrics: a job that takes many polls, and one that fails' '
	start --fault qualtrics-polls=6 &&
	go qpoll qx >out 2>err &&
	same_year qpoll.db $Y &&
	start --fault qualtrics-polls=9 &&
	printf "[collect]\npolls = 4\n" >>whc.conf &&
	test_expect_code 3 go qcap qx 2>err &&
	grep "export-responses/ES_[A-Za-z0-9]*: the export job is still in progress after 4 polls" err &&
	start --fault qualtrics-failed &&
	test_expect_code 3 go qfail qx 2>err &&
	grep "export-responses/ES_[A-Za-z0-9]*: the export job failed; nothing of it was stored" err &&
	sqlite3 qfail.db "SELECT count(*) FROM response" >n &&
	echo 0 >expect && test_cmp expect n
'

test_expect_success 'LimeSurvey: an expired session is renewed once' '
	start --fault session-expire@2 &&
	go lsexp ls -v >out 2>err &&
	grep "the session expired; logging in again" err &&
	same_year lsexp.db $Y
'

test_expect_success 'LimeSurvey: the RPC interface switched off' '
	start --fault rpc-disabled &&
	test_expect_code 3 go lsoff ls 2>err &&
	grep "POST http://127.0.0.1:$EMU_PORT/limesurvey/index.php/admin/remotecontrol: HTTP 200 but the body is not JSON" err
'

test_expect_success 'SurveyMonkey: the minute quota header is waited on' '
	emu_start --limit surveymonkey.minute=4 --limit surveymonkey.window=2 &&
	set_key sm-whc-$Y page_size 50 &&
	go quota sm >out 2>err &&
	same_year quota.db $Y &&
	test "$(emu_stat over_limit surveymonkey)" = 0
'

test_expect_success 'SmartSurvey: bursts up to its rate, never over it' '
	emu_start --limit smartsurvey.minute=5 --limit smartsurvey.window=2 &&
	set_key ss-whc-$Y page_size 25 &&
	set_key ss-whc-$Y rate 150 &&
	set_key ss-whc-$Y window 2 &&
	go burst ss >out 2>err &&
	same_year burst.db $Y &&
	test "$(emu_stat requests smartsurvey)" -gt 10 &&
	test "$(emu_stat over_limit smartsurvey)" = 0
'

# The first request on a connection reaches the provider late (the TCP
# and TLS handshakes); the pacing must count from the reply, not from the
# start, or the sixth request lands in the first one's window.
test_expect_success 'SmartSurvey: a slow first request does not push a later one over' '
	emu_start --limit smartsurvey.minute=5 --limit smartsurvey.window=2 \
	    --handshake 600 &&
	set_key ss-whc-$Y page_size 25 &&
	set_key ss-whc-$Y rate 150 &&
	set_key ss-whc-$Y window 2 &&
	go hand ss >out 2>err &&
	same_year hand.db $Y &&
	test "$(emu_stat requests smartsurvey)" -gt 10 &&
	test "$(emu_stat over_limit smartsurvey)" = 0
'

test_expect_success 'SurveyMonkey: a spent daily quota stops the run, pages kept' '
	emu_start --limit surveymonkey.day=3 &&
	set_key sm-whc-$Y page_size 50 &&
	test_expect_code 3 go day sm 2>err &&
	grep "the provider.s request quota is used up and resets in [0-9]* s (more than the 30 s collect.max_wait)" err &&
	sqlite3 day.db "SELECT count(*) FROM response" >n &&
	echo 99 >expect && test_cmp expect n &&
	test "$(emu_stat over_limit surveymonkey)" = 0
'

test_done
