#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# Credentials never leak: not into whc's argv, its output (verbose or
# not, successful or failing), its error messages, the raw archive or any
# file of the store; nor do LimeSurvey's session keys, nor a password in a
# URL.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
test_description 'whc collect: secrets stay secret'

emu_start_fast || test_bug_ "the emulator did not start"
Y=2024
B64=$(printf '%s' "$EMU_SS_TOKEN" | base64 -w0)
SECRET_URL_PW=pw-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')

# no_secret FILE...: none of the secrets appears in the files
no_secret () {
	for s in "$EMU_TOKEN" "$B64" "$SECRET_URL_PW" $(cat sessions 2>/dev/null); do
		if grep -a -l -F -e "$s" "$@" >leak; then
			echo "a secret is in:"; cat leak
			return 1
		fi
	done
}

test_expect_success 'collect from every provider, verbosely' '
	for p in sm ss qx ls tf; do
		whc -v --config whc.conf --db s.db collect --source $p-whc-$Y \
		    >out.$p 2>err.$p || { cat err.$p; return 1; }
	done &&
	grep "GET http://127.0.0.1:$EMU_PORT/surveymonkey/v3/surveys/[0-9]*/details -> 200" err.sm &&
	grep "POST http://127.0.0.1:$EMU_PORT/limesurvey/index.php/admin/remotecontrol -> 200" err.ls
'

test_expect_success 'with the token in a file of mode 0600' '
	printf "%s\n" "$EMU_TOKEN" >token &&
	chmod 600 token &&
	sed -e "/^\[source \"tf-whc-$Y\"\]/a\\	token_file = $TRASH/token" \
	    -e "/^\[source \"tf-whc-$Y\"\]/,/^\[/{/token_env/d}" \
	    whc.conf >file.conf &&
	whc -v --config file.conf --db f.db collect --source tf-whc-$Y \
	    >out.file 2>err.file
'

test_expect_success 'failures: a wrong token, a refused login, a 5xx' '
	EMU_TOKEN=not-it whc -v --config whc.conf --db w.db collect \
	    --source sm-whc-$Y >out.w1 2>err.w1;
	EMU_TOKEN=not-it whc -v --config whc.conf --db w.db collect \
	    --source ls-whc-$Y >out.w2 2>err.w2;
	emu_faults "500@1+" &&
	whc -v --config whc.conf --db w.db collect --source qx-whc-$Y \
	    --source ss-whc-$Y >out.w3 2>err.w3;
	emu_faults "" &&
	grep "HTTP 401" err.w1 && grep "refused the login" err.w2 &&
	grep "HTTP 500" err.w3
'

test_expect_success 'a password in the URL is not repeated anywhere' '
	sed "s|url = http://127.0.0.1:|url = http://whc:$SECRET_URL_PW@127.0.0.1:|" \
	    whc.conf >pw.conf &&
	whc -v --config pw.conf --db p.db collect --source sm-whc-$Y \
	    --source ls-whc-$Y >out.pw 2>err.pw &&
	grep "GET http://127.0.0.1:$EMU_PORT/surveymonkey/v3/" err.pw
'

test_expect_success 'no secret in any output, the store or its files' '
	emu_ctl GET /_emu/stats | python3 -c "import json, sys
print(\"\n\".join(json.load(sys.stdin)[\"sessions\"]))" >sessions &&
	test_line_count -ge 2 sessions &&
	sqlite3 s.db "SELECT count(*) FROM page" >n && test "$(cat n)" -gt 5 &&
	no_secret out.* err.* *.db* emu.log emu.stats whc.conf
'

test_expect_success 'the archive holds what was received, minus the secrets' '
	sqlite3 s.db "SELECT url FROM page" >urls &&
	! grep -i "token\|password\|@" urls &&
	sqlite3 s.db "SELECT count(*) FROM page WHERE url LIKE \"%remotecontrol\"" >n &&
	echo 1 >expect && test_cmp expect n
'

test_expect_success 'the token is never in whc argv' '
	emu_start_fast --latency 300 || return 1	# ends with this test
	whc --config whc.conf --db slow.db collect --source tf-whc-$Y \
	    >out.slow 2>err.slow &
	pid=$!
	test -n "$pid" &&
	sleep 0.5 &&
	tr "\0" " " </proc/$pid/cmdline >cmdline &&
	wait $pid &&
	grep "collect --source tf-whc-$Y" cmdline &&
	no_secret cmdline
'

test_done
