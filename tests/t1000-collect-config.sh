#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc collect's configuration: sources, credentials (environment or a file
# of mode 0600, never argv), URLs (https, or http to loopback only), the
# definition's provider ids, and located errors for each.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
test_description 'whc collect: configuration and credentials'

emu_start || test_bug_ "the emulator did not start"
SM=$(sed -n "/sm-whc-2019/,/^\[/s/.*survey = //p" emu.conf)

test_expect_success 'collect --help, and a stray argument' '
	whc collect --help >out &&
	grep "usage: whc collect \[--source NAME\]" out &&
	test_expect_code 2 whc --config whc.conf collect sm-whc-2019 2>err &&
	grep "sources are named with --source" err
'

test_expect_success 'no config, or no source in it' '
	mkdir none && cd none &&
	test_expect_code 1 whc --db x.db collect 2>err &&
	grep "nothing to collect: the config (there is no config file)" err &&
	printf "[store]\ndb = y.db\n" >empty.conf &&
	test_expect_code 1 whc --config empty.conf collect 2>err &&
	grep "empty.conf has no \[source" err &&
	test ! -e x.db && test ! -e y.db
'

test_expect_success 'an unknown --source is named' '
	test_expect_code 1 whc --config whc.conf --db x.db collect \
	    --source nosuch 2>err &&
	grep "no source .nosuch. in whc.conf" err
'

# one source section, with the lines given
conf () {
	{
		printf "[questionnaires]\n\tpath = %s\n" \
		    "$SRC/questionnaires/defs"
		printf "[source \"s\"]\n"
		for l in "$@"; do
			printf "\t%s\n" "$l"
		done
	} >one.conf
}
URL="http://127.0.0.1:\$EMU_PORT/surveymonkey/v3"

test_expect_success 'unknown provider and missing keys are located' '
	conf "provider = surveyking" "survey = 1" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "one.conf:4: error: bad config value: source .s.: unknown provider .surveyking." err &&
	conf "provider = surveymonkey" "questionnaire = whc-2019" "token_env = EMU_TOKEN" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "one.conf:4: error: .*no survey" err &&
	conf "provider = qualtrics" "survey = SV_1" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "no url (qualtrics has no default host" err &&
	conf "provider = limesurvey" "survey = 1" "url = http://127.0.0.1:9/x" \
	    "questionnaire = whc-2019" "token_env = EMU_TOKEN" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "no user" err
'

test_expect_success 'an unknown key is a located warning' '
	conf "provider = surveymonkey" "survey = 1" "pagesize = 5" \
	    "url = http://127.0.0.1:9/v3" "questionnaire = whc-2019" \
	    "token_env = NOSUCHVAR" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "one.conf:6: warning: unknown config key: .source.s.pagesize." err
'

test_expect_success 'plain http is refused unless to a loopback address' '
	conf "provider = surveymonkey" "survey = 1" \
	    "url = http://api.surveymonkey.com/v3" \
	    "questionnaire = whc-2019" "token_env = EMU_TOKEN" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "must use https (plain http is only accepted for a loopback" err &&
	conf "provider = surveymonkey" "survey = 1" "url = ftp://127.0.0.1/v3" \
	    "questionnaire = whc-2019" "token_env = EMU_TOKEN" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "must use https" err
'

test_expect_success 'credentials: exactly one of token_env and token_file' '
	conf "provider = surveymonkey" "survey = 1" "questionnaire = whc-2019" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "give exactly one of token_env" err &&
	conf "provider = surveymonkey" "survey = 1" "questionnaire = whc-2019" \
	    "token_env = NOSUCHVAR" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "one.conf:7: .*environment variable NOSUCHVAR (token_env) is not set" err
'

test_expect_success 'a token file readable by others is refused' '
	printf "%s\n" "$EMU_TOKEN" >tok &&
	chmod 644 tok &&
	conf "provider = surveymonkey" "survey = $SM" \
	    "url = http://127.0.0.1:$EMU_PORT/surveymonkey/v3" \
	    "questionnaire = whc-2019" "token_file = tok" &&
	test_expect_code 1 whc --config one.conf --db t.db collect 2>err &&
	grep "one.conf:8: .*tok. can be read by others (mode 0644); refusing it: chmod 600" err &&
	chmod 600 tok &&
	whc --config one.conf --db t.db collect >out 2>err ||
	{ cat err; false; } &&
	grep "^s: [0-9]* responses read from surveymonkey for whc-2019 (2019): 210 new or changed" out
'

test_expect_success 'a token file that is a symbolic link or missing' '
	ln -s tok tok.link &&
	conf "provider = surveymonkey" "survey = 1" "questionnaire = whc-2019" \
	    "url = http://127.0.0.1:9/v3" "token_file = tok.link" &&
	test_expect_code 3 whc --config one.conf --db t2.db collect 2>err &&
	grep "cannot open token_file" err &&
	conf "provider = surveymonkey" "survey = 1" "questionnaire = whc-2019" \
	    "url = http://127.0.0.1:9/v3" "token_file = nosuch" &&
	test_expect_code 3 whc --config one.conf --db t2.db collect 2>err &&
	grep "cannot open token_file .*nosuch.: No such file" err
'

test_expect_success 'a definition without the provider ids is named' '
	python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
for f in d[\"dimensions\"] + d[\"items\"]:
    del f[\"source\"]
json.dump(d, open(\"bare.json\", \"w\"))" "$SRC/questionnaires/defs/whc-2019.json" &&
	conf "provider = typeform" "survey = x" "url = http://127.0.0.1:9" \
	    "questionnaire = $TRASH/bare.json" "token_env = EMU_TOKEN" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "bare.json: source .s.: dimension .team. has no \"source\" id for typeform" err &&
	grep "item .comments. has no \"source\" id for typeform" err
'

test_expect_success 'a definition that cannot be found is located in the config' '
	conf "provider = typeform" "survey = x" "url = http://127.0.0.1:9" \
	    "questionnaire = whc-1999" "token_env = EMU_TOKEN" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "one.conf:7: error: bad config value: source .s.: cannot find questionnaire .whc-1999.: no whc-1999.json in " err &&
	conf "provider = typeform" "survey = x" "url = http://127.0.0.1:9" \
	    "questionnaire = $TRASH/gone.json" "token_env = EMU_TOKEN" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "one.conf:7: error: .*cannot find questionnaire .*gone.json.: No such file" err
'

test_expect_success 'a question the survey does not have is named' '
	TF=$(sed -n "/tf-whc-2019/,/^\[/s/.*survey = //p" emu.conf) &&
	sed "s/\"typeform\": \"stress\"/\"typeform\": \"stres\"/" \
	    "$SRC/questionnaires/defs/whc-2019.json" >typo.json &&
	conf "provider = typeform" "survey = $TF" \
	    "url = http://127.0.0.1:$EMU_PORT/typeform" \
	    "questionnaire = $TRASH/typo.json" "token_env = EMU_TOKEN" &&
	test_expect_code 1 whc --config one.conf --db x.db collect 2>err &&
	grep "form $TF has no field with ref .stres. (the typeform id of item .stress. in .whc-2019.)" err
'

test_expect_success 'an unknown survey: the URL and the status' '
	conf "provider = surveymonkey" "survey = 999" \
	    "url = http://127.0.0.1:$EMU_PORT/surveymonkey/v3" \
	    "questionnaire = whc-2019" "token_env = EMU_TOKEN" &&
	test_expect_code 3 whc --config one.conf --db x.db collect 2>err &&
	grep "source .s.: GET http://127.0.0.1:$EMU_PORT/surveymonkey/v3/surveys/999/details: HTTP 404 (There was an error retrieving the requested resource.)" err
'

test_expect_success 'a source moved to another survey is refused' '
	sed -i "s/survey = 999/survey = $SM/" one.conf &&
	whc --config one.conf --db m.db collect -q &&
	sed -i "s/survey = $SM/survey = 12345/" one.conf &&
	test_expect_code 1 whc --config one.conf --db m.db collect 2>err &&
	grep "source .s. was collected from surveymonkey survey $SM, but the config now says surveymonkey survey 12345" err
'

test_expect_success 'whc is not linked with libcurl: only collect loads it' '
	! ldd "$WHC" | grep libcurl &&
	rm -f n.db &&
	(
		LD_LIBRARY_PATH=$WHC_BUILD/nocurl && export LD_LIBRARY_PATH &&
		test_expect_code 3 whc --config one.conf --db n.db collect \
		    2>err &&
		whc --version >/dev/null
	) &&
	grep "^whc: libcurl.so.4 has no curl_global_init$" err &&
	test ! -e n.db
'

test_expect_success 'the schema has the collector tables and the store is sound' '
	test "$(sqlite3 t.db "PRAGMA user_version")" -ge 2 &&
	sqlite3 t.db "SELECT count(*) FROM collect_state" >/dev/null &&
	sqlite3 t.db "PRAGMA integrity_check" >v && echo ok >expect &&
	test_cmp expect v
'

test_done
