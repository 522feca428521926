#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# The demo's collection (demo/collect.sh, run by make demo): the demo
# survey collected from the emulator, SmartSurvey until 2021 and
# SurveyMonkey from 2022, gives the store of its CSV import; the output
# says what came from which provider; the emulator is stopped whether the
# collection succeeds or fails.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
test_description 'make demo: the collection from the providers'

mkdir out && ln -s "$TRASH/data" out/exports

# emu_gone: nothing listens on the port the demo's emulator had.
emu_gone () {
	python3 -c "
import socket, sys
try:
    socket.create_connection((\"127.0.0.1\", int(sys.argv[1])), 2).close()
except OSError:
    sys.exit(0)
sys.exit(1)
" "$(cat out/emu.port)"
}

test_expect_success 'setup: the demo survey imported from its CSV files' '
	make_ref &&
	breakdowns ref.db ref.csv
'

test_expect_success 'the demo collects every year from its provider' '
	"$SRC/demo/collect.sh" "$(dirname "$WHC")" out >out.txt 2>err.txt &&
	for y in 2019 2020 2021; do
		grep "^   ss-whc-$y: .* read from smartsurvey for whc-$y ($y): .* new or changed" out.txt || return 1
	done &&
	for y in 2022 2023 2024 2025; do
		grep "^   sm-whc-$y: .* read from surveymonkey for whc-$y ($y): .* new or changed" out.txt || return 1
	done &&
	n=$(sqlite3 ref.db "SELECT count(*) FROM response WHERE year < 2022") &&
	grep "^   smartsurvey: $n responses from 3 surveys, [0-9]* requests" out.txt &&
	n=$(sqlite3 ref.db "SELECT count(*) FROM response WHERE year >= 2022") &&
	grep "^   surveymonkey: $n responses from 4 surveys, [0-9]* requests" out.txt &&
	! grep -F "$EMU_TOKEN" out.txt err.txt out/collect.conf out/collect.log
'

test_expect_success 'the collected store gives the breakdowns of the import' '
	breakdowns out/whc.db got.csv &&
	test_cmp ref.csv got.csv &&
	sqlite3 out/whc.db "SELECT DISTINCT s.name FROM response r JOIN source s ON s.id = r.source_id ORDER BY 1" >names &&
	test_line_count = 7 names
'

test_expect_success 'the emulator is gone, and no request went over a limit' '
	emu_gone &&
	python3 -c "
import json, sys
s = json.load(open(\"out/emu.stats\"))
assert all(n == 0 for n in s[\"over_limit\"].values()), s
assert s[\"requests\"][\"smartsurvey\"] > 0 and s[\"requests\"][\"surveymonkey\"] > 0, s
"
'

test_expect_success 'a failed collection stops the emulator too (exit 3)' '
	rm -f out/whc.db* && mkdir out/whc.db &&
	test_expect_code 3 "$SRC/demo/collect.sh" "$(dirname "$WHC")" out \
	    >out.txt 2>err.txt &&
	grep "demo: whc collect failed (exit 3)" err.txt &&
	emu_gone
'

test_done
