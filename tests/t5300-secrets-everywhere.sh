#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# Secrets stay secret in every command, not only in collect (t1400).  Each
# provider gets its own secret (SurveyMonkey's and Typeform's bearer
# tokens, SmartSurvey's "API token:secret", LimeSurvey's password,
# Qualtrics's API token through a 0600 token file), all present in the
# environment (or the file) while every whc command runs: collect from
# each provider (and with a wrong token), import, check, quality,
# breakdown in every format, report with --trace, releases, renormalise,
# --help of each and --version, verbosely where offered.  Then each
# secret, verbatim, URL-encoded and base64-encoded (at every alignment,
# and SmartSurvey's Basic credentials as sent), is looked for (grep -a -F)
# in every stdout and stderr, the store and its -wal/-journal/-shm files,
# its raw page archive, the report pack and the trace, the environment and
# arguments gnuplot was started with (a stand-in gnuplot, report.gnuplot,
# records them and runs the real one), every process's argv (snapshots
# of /proc/*/cmdline while whc report and whc collect run) and every
# file under the test's directories.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
test_description 'secrets never leak from any command'

Y=2024
GNUPLOT=$(command -v gnuplot) || test_skip_all 'gnuplot is not installed'
hex () {
	od -An -N8 -tx1 /dev/urandom | tr -d ' \n'
}
# The secrets: random, with characters that URL- and base64-encoding
# change.
SM_TOKEN="sm-$(hex)+s/m="
SS_SECRET="ss-$(hex)+s/s="
QX_TOKEN="qx-$(hex)+q/x="
LS_PASSWORD="ls-$(hex)+l/s="
TF_TOKEN="tf-$(hex)+t/f="
WRONG_TOKEN="wrong-$(hex)+w/r="
WHC_SM_TOKEN=$SM_TOKEN
WHC_SS_TOKEN="emu-api-token:$SS_SECRET"
WHC_LS_PASSWORD=$LS_PASSWORD
WHC_TF_TOKEN=$TF_TOKEN
EMU_TOKEN_SURVEYMONKEY=$SM_TOKEN
EMU_TOKEN_SMARTSURVEY=$SS_SECRET
EMU_TOKEN_QUALTRICS=$QX_TOKEN
EMU_TOKEN_LIMESURVEY=$LS_PASSWORD
EMU_TOKEN_TYPEFORM=$TF_TOKEN
export WHC_SM_TOKEN WHC_SS_TOKEN WHC_LS_PASSWORD WHC_TF_TOKEN \
    EMU_TOKEN_SURVEYMONKEY EMU_TOKEN_SMARTSURVEY EMU_TOKEN_QUALTRICS \
    EMU_TOKEN_LIMESURVEY EMU_TOKEN_TYPEFORM

# Every form of every secret, one a line, outside the directories
# searched: the secret, its random core, URL-encoded, base64 at the three
# alignments (the groups that mix in neighbouring bytes left out), and
# SmartSurvey's Basic credentials.
FORMS=$TEST_ROOT/forms
python3 - "$SM_TOKEN" "$SS_SECRET" "$QX_TOKEN" "$LS_PASSWORD" "$TF_TOKEN" \
    "$WRONG_TOKEN" "emu-api-token:$SS_SECRET" >"$FORMS" <<'PY' ||
import base64, sys, urllib.parse
out = set()
for s in sys.argv[1:]:
    out.add(s)
    out.add(s.split("+")[0].split(":")[-1])
    out.add(urllib.parse.quote(s, safe=""))
    for pad in range(3):
        b = base64.b64encode(b"\0" * pad + s.encode()).decode().rstrip("=")
        out.add(b[4 if pad else 0:-4])
print("\n".join(sorted(out)))
PY
    test_bug_ "could not work out the secrets' forms"

# no_secret FILE...: no form of any secret is in the files (each hit is
# shown, with the form found).  What it prints names the forms, so it is
# kept out of the directories searched.
no_secret () {
	found=0
	while IFS= read -r s; do
		if grep -a -l -F -e "$s" "$@" >"$TEST_ROOT/hits" 2>/dev/null
		then
			echo "a secret ($s) is in:"
			cat "$TEST_ROOT/hits"
			found=1
		fi
	done <"$FORMS"
	test $found = 0
}

emu_start_fast || test_bug_ "the emulator did not start"

# The stand-in gnuplot: records its arguments, its environment and every
# process's argv, then runs the real gnuplot (whc starts it with only PATH
# and LANG, so the paths are written into it).
mkdir bin &&
cat >bin/gnuplot-spy <<EOF &&
#!/bin/sh
n=\$\$
printf '%s\n' "\$0" "\$@" >"$TRASH/spy/argv.\$n"
env >"$TRASH/spy/env.\$n"
for p in /proc/[0-9]*; do
	tr '\\0' ' ' <\$p/cmdline 2>/dev/null && echo
done >"$TRASH/spy/procs.\$n"
exec "$GNUPLOT" "\$@"
EOF
chmod +x bin/gnuplot-spy && mkdir spy || test_bug_ "no stand-in gnuplot"

test_expect_success 'setup: a source per provider, each with its own secret' '
	printf "%s\n" "$QX_TOKEN" >qx.token &&
	chmod 600 qx.token &&
	python3 - whc.conf "$TRASH" "$SRC/questionnaires" >t.conf <<-\PY &&
	import re, sys
	conf, trash = sys.argv[1:3]
	env = {"sm": "token_env = WHC_SM_TOKEN", "ss": "token_env = WHC_SS_TOKEN",
	       "qx": "token_file = %s/qx.token" % trash,
	       "ls": "token_env = WHC_LS_PASSWORD", "tf": "token_env = WHC_TF_TOKEN"}
	src = None
	for line in open(conf):
	    m = re.match(r"\[source \"(\w\w)-", line)
	    if line.startswith("["):
	        src = m.group(1) if m else None
	    if src and line.strip().startswith(("token_env", "token_file")):
	        line = "\t%s\n" % env[src]
	    sys.stdout.write(line)
	print("[report]\n\tgnuplot = %s/bin/gnuplot-spy\n\tformats = png, svg" % trash)
	print("[store]\n\tdb = s.db")
	print("[questionnaires]\n\tpath = %s/defs" % sys.argv[3])
	PY
	mv t.conf whc.conf &&
	! grep "EMU_TOKEN" whc.conf &&
	grep "token_file = $TRASH/qx.token" whc.conf
'

test_expect_success 'collect from every provider, verbosely' '
	for p in sm ss qx ls tf; do
		whc -v collect --source $p-whc-$Y >out.collect-$p \
		    2>err.collect-$p || { cat err.collect-$p; return 1; }
	done &&
	grep "GET http://127.0.0.1:$EMU_PORT/surveymonkey/v3/surveys/[0-9]*/details -> 200" err.collect-sm &&
	grep -- "-> 200" err.collect-qx &&
	sqlite3 s.db "SELECT count(DISTINCT source_id) FROM response" >n &&
	echo 5 >expect && test_cmp expect n
'

test_expect_success 'collect with a wrong token fails, verbosely' '
	test_expect_code 3 env WHC_SM_TOKEN="$WRONG_TOKEN" \
	    WHC_LS_PASSWORD="$WRONG_TOKEN" whc -v --db w.db collect \
	    --source sm-whc-$Y --source ls-whc-$Y >out.collect-wrong 2>err.collect-wrong &&
	grep "HTTP 401" err.collect-wrong &&
	grep "refused the login" err.collect-wrong
'

test_expect_success 'every other command runs, verbosely' '
	whc -v import --questionnaire whc-2023 data/whc-2023.csv \
	    >out.import 2>err.import &&
	whc -v check >out.check 2>err.check &&
	grep "^whc check: " err.check &&
	whc -v check -Q whc-2023 data/whc-2023.csv \
	    >out.check2 2>err.check2 &&
	grep "answer matches no level" err.check2 &&
	whc -v quality >out.quality 2>err.quality &&
	whc -v quality --format json >out.quality-json 2>err.quality-json &&
	for f in md csv json html; do
		whc -v breakdown stress --by team --year 2023-2024 --format $f \
		    >out.breakdown-$f 2>err.breakdown-$f || return 1
	done &&
	whc -v breakdown caseload --by team --internal --format csv \
	    >out.breakdown-int 2>err.breakdown-int &&
	whc -v report --out pack --trace trace.gp >out.report 2>err.report &&
	test -s pack/index.html && test -s trace.gp &&
	for f in md csv json; do
		whc -v releases --format $f >out.releases-$f \
		    2>err.releases-$f || return 1
	done &&
	whc -v renormalise --dry-run >out.renorm-n 2>err.renorm-n &&
	whc -v renormalise >out.renorm 2>err.renorm
'

test_expect_success 'every --help and --version' '
	whc --help >out.help 2>err.help &&
	whc --version >out.version 2>err.version &&
	for c in collect import check quality breakdown report releases \
	    renormalise; do
		whc -v $c --help >out.help-$c 2>err.help-$c &&
		whc $c -h >out.h-$c 2>err.h-$c || return 1
	done &&
	grep "usage: whc report" out.help-report
'

test_expect_success 'the search finds each form of a secret where it is' '
	grep -a -F -l "$QX_TOKEN" qx.token &&
	printf "%s" "emu-api-token:$SS_SECRET" | base64 -w0 >$TEST_ROOT/b64 &&
	printf "xy%s" "$TF_TOKEN" | base64 -w0 >>$TEST_ROOT/b64 &&
	python3 -c "import sys, urllib.parse
print(urllib.parse.quote(sys.argv[1], safe=\"\"))" "$LS_PASSWORD" \
	    >>$TEST_ROOT/b64 &&
	test_must_fail no_secret $TEST_ROOT/b64 >$TEST_ROOT/res &&
	cat $TEST_ROOT/res &&
	test "$(grep -c "^a secret" $TEST_ROOT/res)" -ge 4
'

test_expect_success 'no secret in any stdout' '
	ls out.* >files && test_line_count -ge 40 files &&
	no_secret out.*
'

test_expect_success 'no secret in any stderr (the verbose logs)' '
	ls err.* >files && test_line_count -ge 40 files &&
	grep -q "GET http" err.collect-tf &&
	no_secret err.*
'

test_expect_success 'no secret in the store, its -wal, -shm or -journal' '
	ls s.db* w.db* >files && cat files &&
	no_secret s.db* w.db*
'

test_expect_success 'no secret in the raw page archive, read back' '
	sqlite3 s.db "SELECT count(*) FROM page_body" >n &&
	test "$(cat n)" -gt 5 &&
	sqlite3 s.db .dump >dump.sql &&
	sqlite3 s.db "SELECT method, url, status FROM page" >pages &&
	sqlite3 s.db "SELECT CAST(body AS TEXT) FROM page_body" >bodies &&
	no_secret dump.sql pages bodies
'

test_expect_success 'no secret in the report pack or the trace' '
	find pack -type f >files && test_line_count -ge 20 files &&
	no_secret trace.gp $(cat files)
'

test_expect_success 'gnuplot got no secret in its argv, and only PATH and LANG' '
	ls spy/argv.* >files && test_line_count -ge 1 files &&
	cat spy/argv.* &&
	no_secret spy/argv.* spy/env.* &&
	sed "s/=.*//" spy/env.* | sort -u >names &&
	cat names &&
	! grep -v "^\(LANG\|PATH\|PWD\|SHLVL\|_\)\$" names
'

test_expect_success 'no secret in any argv while whc report ran' '
	grep "bin/gnuplot-spy" spy/procs.* &&
	grep "report --out pack" spy/procs.* &&
	no_secret spy/procs.*
'

test_expect_success 'no secret in any argv while whc collect ran' '
	emu_faults "slow@1=2" &&
	rm -f slow.db &&
	{ whc --db slow.db collect --source tf-whc-$Y >out.slow 2>err.slow & } &&
	pid=$! && n=0 &&
	until grep -q "collect" /proc/$pid/cmdline 2>/dev/null; do
		n=$((n + 1)) && test $n -lt 200 || return 1
		sleep 0.01
	done &&
	for p in /proc/[0-9]*; do
		tr "\0" " " <$p/cmdline 2>/dev/null && echo
	done >procs.collect &&
	wait $pid &&
	emu_faults "" &&
	grep "collect --source tf-whc-$Y" procs.collect &&
	no_secret procs.collect
'

test_expect_success 'no secret in any file under the test directories' '
	find "$TRASH" "$TMPDIR" -type f ! -path "$TRASH/qx.token" >files &&
	test_line_count -ge 100 files &&
	no_secret $(cat files)
'

test_done
