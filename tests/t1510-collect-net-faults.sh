#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# Network faults beyond the emulator's menu (tests/netfault.py): a server
# that accepts and never answers, one that sends its headers and stalls, a
# body larger than collect.max_body, gzip that does not decompress, and a
# redirect to another host.  Each run ends in bounded time with exit 3 and
# an error naming the source and the URL; the token never reaches the
# other host and is never printed.
. "$(dirname "$0")/lib.sh"
test_description 'whc collect: network faults'

if ! command -v python3 >/dev/null 2>&1; then
	test_skip_all 'python3 (for the fault server) is not installed'
fi

NF_TOKEN=nf-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')-secret
export NF_TOKEN

nf_pid=
nf_stop () {
	if [ -n "$nf_pid" ]; then
		kill "$nf_pid" 2>/dev/null
		wait "$nf_pid" 2>/dev/null
		nf_pid=
	fi
}
trap 'nf_stop; test_cleanup_' EXIT

python3 "$SRC/tests/netfault.py" --port-file nf.port --log nf.log \
    --other-log other.log --big 1000000 >nf.out 2>&1 &
nf_pid=$!
test_wait_file nf.port "$nf_pid" nf.out ||
    test_bug_ "the fault server did not start"
PORT=$(cat nf.port)

# conf MODE: a config whose one source, a typeform survey, is served by
# the fault server's MODE.
conf () {
	cat >whc.conf <<-EOC
	[collect]
		timeout = 2
		retries = 1
		backoff_ms = 20
		max_body = 65536
	[source "nf"]
		provider = typeform
		survey = FORM1
		url = http://127.0.0.1:$PORT/$1
		questionnaire = $SRC/questionnaires/defs/whc-2025.json
		token_env = NF_TOKEN
	EOC
}

# collect_fails MAX_SECONDS: whc collect exits 3 within MAX_SECONDS, with
# the source and the URL in its error, and the token nowhere in its output.
collect_fails () {
	t0=$(date +%s)
	test_expect_code 3 whc --config whc.conf --db s.db collect >out 2>err
	rc=$?
	t1=$(date +%s)
	cat err
	test $rc -eq 0 &&
	test $((t1 - t0)) -le "$1" &&
	grep "^whc: source .nf.: GET http://127.0.0.1:$PORT/" err &&
	! grep -F "$NF_TOKEN" out err
}

test_expect_success 'the fault server answers' '
	conf ok &&
	python3 -c "import urllib.request, sys; print(urllib.request.urlopen(sys.argv[1]).read())" \
	    "http://127.0.0.1:$PORT/ok/x" | grep "{}"
'

test_expect_success 'a server that accepts and never answers' '
	conf silent &&
	collect_fails 20 &&
	grep -i "timed out\|too slow" err
'

test_expect_success 'a server that sends its headers and stalls' '
	conf stall &&
	collect_fails 20 &&
	grep -i "timed out\|too slow" err
'

test_expect_success 'a body larger than collect.max_body' '
	conf big &&
	collect_fails 20 &&
	grep "larger than 65536 bytes (collect.max_body)" err
'

test_expect_success 'gzip that does not decompress' '
	conf gzip &&
	collect_fails 20 &&
	grep -i "unencoding\|decod\|gzip\|inflate" err
'

test_expect_success 'a redirect to another host is not followed' '
	conf redirect &&
	collect_fails 20 &&
	grep "HTTP 302 (a redirect: not followed" err &&
	test_must_be_empty other.log
'

test_expect_success 'the token went only to the first host, as a header' '
	grep -c "Authorization: Bearer $NF_TOKEN" nf.log &&
	! grep -F "$NF_TOKEN" other.log &&
	! grep "GET [^ ]*$NF_TOKEN" nf.log
'

test_expect_success 'nothing was stored, and the store is sound' '
	sqlite3 s.db "PRAGMA integrity_check; SELECT count(*) FROM response" >got &&
	printf "ok\n0\n" >want &&
	test_cmp want got
'

test_done
