#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc import: RFC 4180 and Excel's habits, idempotence, replacement by newer
# versions, and bad input that leaves the store as it was.
. "$(dirname "$0")/lib.sh"
test_description 'whc import of CSV files'

Q="$SRC/tests/data/small.json"
HDR="ID,Modified,Team,Stress,Cases held,Comments"

# count: the number of responses in the store x.db
count () {
	sqlite3 x.db "SELECT count(*) FROM response"
}
# dump: the store's content that must not change, in a stable order
dump () {
	sqlite3 x.db "SELECT rid, year, modified, raw, hex(norm) FROM response ORDER BY rid; SELECT count(*) FROM batch; SELECT count(*) FROM questionnaire"
}

test_expect_success 'a plain file imports' '
	printf "%s\n" "$HDR" \
	    "r1,2024-01-01,Alpha,Often,12,fine" \
	    "r2,2024-01-01,Beta,never,3," \
	    "r3,2024-01-01,team b, occasionaly ,x,\"a, b\"" >plain.csv &&
	whc --db x.db import --questionnaire "$Q" plain.csv >out &&
	grep "3 responses for small (2024): 3 new or changed" out &&
	test "$(count)" = 3
'

test_expect_success 'answers are normalised; bad numbers kept as such' '
	whc --db x.db breakdown stress --format csv >b.csv &&
	grep "^Beta,2024" b.csv &&
	sqlite3 x.db "SELECT raw FROM response WHERE rid = '\''r3'\''" >raw &&
	grep "\" occasionaly \"" raw
'

test_expect_success 're-importing the same file changes nothing' '
	dump >before &&
	whc --db x.db import --questionnaire "$Q" plain.csv >out &&
	grep "already imported; nothing changed" out &&
	dump >after &&
	test_cmp before after
'

test_expect_success 'a newer version of a response replaces the older' '
	printf "%s\n" "$HDR" "r1,2024-02-01,Alpha,Never,12,changed" >newer.csv &&
	whc --db x.db import --questionnaire "$Q" newer.csv >out &&
	grep "1 new or changed" out &&
	test "$(count)" = 3 &&
	sqlite3 x.db "SELECT modified, raw FROM response WHERE rid = '\''r1'\''" >r1 &&
	grep "2024-02-01" r1 && grep changed r1
'

test_expect_success 'an older version does not replace a newer one' '
	printf "%s\n" "$HDR" "r1,2023-12-01,Alpha,Rarely,12,older" >older.csv &&
	whc --db x.db import --questionnaire "$Q" older.csv >out &&
	grep "0 new or changed, 1 unchanged" out &&
	sqlite3 x.db "SELECT raw FROM response WHERE rid = '\''r1'\''" >r1 &&
	grep changed r1
'

test_expect_success 'BOM, CRLF and quoted newlines (an Excel export)' '
	printf "\357\273\277%s\r\n" "$HDR" >excel.csv &&
	printf "e1,2024-01-01,Gamma,Often,4,\"line one\nline two\"\r\n" >>excel.csv &&
	printf "e2,2024-01-01,Gamma,Rarely,5,\"say \"\"hi\"\"\"\r\n" >>excel.csv &&
	whc --db e.db import --questionnaire "$Q" excel.csv >out &&
	grep "2 responses" out &&
	sqlite3 e.db "SELECT raw FROM response ORDER BY rid" >raw &&
	grep "line one\\\\nline two" raw &&
	grep "say \\\\\"hi\\\\\"" raw
'

test_expect_success 'semicolon separator is detected' '
	printf "%s\n" "ID;Modified;Team;Stress;Cases held;Comments" \
	    "s1;2024-01-01;Alpha;Often;4;\"a; b\"" >semi.csv &&
	whc --db s.db import --questionnaire "$Q" semi.csv >out &&
	grep "1 responses" out &&
	sqlite3 s.db "SELECT raw FROM response" | grep "\"a; b\""
'

test_expect_success 'unrecognised answers are kept and listed with counts' '
	printf "%s\n" "$HDR" "u1,1,Alpha,n/a,1," "u2,1,Alpha,n/a,1," \
	    "u3,1,Alpha,Often,1," >unrec.csv &&
	whc --db u.db import --questionnaire "$Q" unrec.csv >out 2>err &&
	grep "unrec.csv:2: warning: answer matches no level: stress .n/a. (2 times" err &&
	grep "2 unrecognised" out &&
	printf "[disclosure]\nk = 1\n" >k1.conf &&
	whc --config k1.conf --db u.db breakdown stress --format json >j &&
	grep "\"unrecognised\":2" j
'

test_expect_success 'unknown teams are reported, not guessed' '
	printf "%s\n" "$HDR" "t1,1,Delta,Often,1," >team.csv &&
	whc --db t.db import --questionnaire "$Q" team.csv 2>err &&
	grep "team.csv:2: warning: unknown team: team .Delta." err
'

test_expect_success 'malformed CSV: located error, exit 1, store unchanged' '
	dump >before &&
	printf "%s\n" "$HDR" "m1,1,Alpha,Often,1,ok" \
	    "m2,1,Alpha,\"Often\"x,1,bad" "m3,1,Alpha,Often,1" >bad.csv &&
	test_expect_code 1 whc --db x.db import --questionnaire "$Q" bad.csv 2>err &&
	grep "bad.csv:3:19: error: malformed CSV: text after a closing quote" err &&
	grep "bad.csv:4: error: wrong number of fields: 5 fields, the header has 6" err &&
	grep "nothing was stored" err &&
	dump >after &&
	test_cmp before after
'

test_expect_success 'an unclosed quote is reported where it opened' '
	printf "%s\n" "$HDR" "q1,1,Alpha,Often,1,\"never closed" "q2,1,Alpha,Often,1,x" >q.csv &&
	test_expect_code 1 whc --db x.db import --questionnaire "$Q" q.csv 2>err &&
	grep "q.csv:2:20: error: malformed CSV: quoted field is never closed" err
'

test_expect_success 'a missing column is named with the header line' '
	printf "%s\n" "ID,Modified,Team,Cases held,Comments" "x,1,Alpha,1," >nocol.csv &&
	test_expect_code 1 whc --db x.db import --questionnaire "$Q" nocol.csv 2>err &&
	grep "nocol.csv:1: error: column not found: no column for scale .stress." err
'

test_expect_success 'an empty file and a missing file' '
	: >empty.csv &&
	test_expect_code 1 whc --db x.db import --questionnaire "$Q" empty.csv 2>err &&
	grep "empty.csv:1: error: no header row" err &&
	test_expect_code 3 whc --db x.db import --questionnaire "$Q" nosuch.csv 2>err &&
	grep "cannot open .nosuch.csv.: No such file" err
'

test_expect_success 'a response without an id is an error' '
	printf "%s\n" "$HDR" ",1,Alpha,Often,1," >noid.csv &&
	test_expect_code 1 whc --db x.db import --questionnaire "$Q" noid.csv 2>err &&
	grep "noid.csv:2: error: response has no id" err
'

test_expect_success 'several files: each its own transaction' '
	dump >before &&
	printf "%s\n" "$HDR" "g1,1,Alpha,Often,1," >good.csv &&
	test_expect_code 1 whc --db x.db import --questionnaire "$Q" good.csv bad.csv 2>err &&
	sqlite3 x.db "SELECT count(*) FROM response WHERE rid = '\''g1'\''" >n &&
	echo 1 >expect && test_cmp expect n &&
	sqlite3 x.db "SELECT count(*) FROM response WHERE rid LIKE '\''m%'\''" >n &&
	echo 0 >expect && test_cmp expect n
'

test_expect_success 'the store passes its integrity check' '
	sqlite3 x.db "PRAGMA integrity_check" >out &&
	echo ok >expect && test_cmp expect out &&
	sqlite3 x.db "PRAGMA journal_mode" | grep wal &&
	sqlite3 x.db "PRAGMA user_version" | grep "^[1-9][0-9]*$"
'

test_done
