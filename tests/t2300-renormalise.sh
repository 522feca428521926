#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc renormalise: after a definition or team-map fix, the stored raw
# answers are normalised again in one transaction, without the export:
# exactly the rows whose answers the fix affects change, nothing else.
. "$(dirname "$0")/lib.sh"
test_description 'whc renormalise'

HDR="ID,Modified,Team,Stress,Cases held,Comments"

# dump: what renormalise may change (codes, version) and what it must not
# (everything else), one response a line.
dump () {
	sqlite3 whc.db "SELECT rid, year, modified, batch_id, raw, hex(norm), qn_id FROM response ORDER BY rid"
}

test_expect_success 'setup: definitions in a directory of their own' '
	mkdir defs &&
	sed "s/\"id\": \"small\"/\"id\": \"s-2024\"/" "$SRC/tests/data/small.json" >defs/s-2024.json &&
	sed -e "s/\"id\": \"small\"/\"id\": \"s-2023\"/" -e "s/\"year\": 2024/\"year\": 2023/" \
	    "$SRC/tests/data/small.json" >defs/s-2023.json &&
	printf "[questionnaires]\npath = defs\n[disclosure]\nk = 1\n" >whc.conf &&
	printf "%s\n" "$HDR" "r1,1,Alpha,Often,12," "r2,1,Alpha,meh,3," \
	    "r3,1,Delta,never,4," "r4,1,Beta,MEH ,5," "r5,1,Gamma,Rarely,6," \
	    >y24.csv &&
	printf "%s\n" "$HDR" "p1,1,Alpha,meh,12," "p2,1,Delta,Often,3," >y23.csv &&
	whc import -q --questionnaire s-2024 y24.csv 2>/dev/null &&
	whc import -q --questionnaire s-2023 y23.csv 2>/dev/null &&
	whc quality --year 2024 >q1 &&
	grep "stress .meh. 1" q1 && grep "team .Delta. 1" q1
'

test_expect_success 'nothing to do: nothing changes' '
	dump >before &&
	whc renormalise >out &&
	grep "^0 of 7 responses changed" out &&
	dump >after &&
	test_cmp before after
'

test_expect_success 'no store: an error, and none is created' '
	test_expect_code 3 whc --db none.db renormalise 2>err &&
	grep "cannot open database .none.db.: no such file" err &&
	test ! -e none.db
'

test_expect_success 'a missing definition file is an error and changes nothing' '
	mv defs/s-2023.json defs/away.json &&
	test_expect_code 1 whc renormalise 2>err &&
	grep "cannot find questionnaire .s-2023." err &&
	mv defs/away.json defs/s-2023.json &&
	dump >after &&
	test_cmp before after
'

test_expect_success 'fix the 2024 definition: meh is occasionally, Delta is Gamma' '
	sed -e "s/\"match\": \\[\"^occ?ass?ionall?y\$\", \"^sometimes\$\"\\]/\"match\": [\"^occ?ass?ionall?y\$\", \"^sometimes\$\", \"^meh\$\"]/" \
	    -e "s/{ \"name\": \"Gamma\" }/{ \"name\": \"Gamma\", \"match\": [\"^delta\$\"] }/" \
	    defs/s-2024.json >fixed.json &&
	! cmp -s fixed.json defs/s-2024.json &&
	mv fixed.json defs/s-2024.json
'

test_expect_success '--dry-run says what would change and changes nothing' '
	whc renormalise --dry-run >out &&
	grep "^s-2024 (2024): 5 responses, 3 changed (team 1, stress 2)$" out &&
	grep "^s-2023 (2023): 2 responses, 0 changed$" out &&
	grep "3 of 7 responses would change" out &&
	dump >after &&
	test_cmp before after
'

test_expect_success 'renormalise changes the right rows and nothing else' '
	whc renormalise >out &&
	grep "3 of 7 responses changed; the data-quality ledgers of 2 batches brought up to date" out &&
	dump >after &&
	diff before after | sed -n "s/^[<>] \\([a-z0-9]*\\)|.*/\\1/p" | sort -u >changed &&
	printf "r2\nr3\nr4\n" >expect &&
	test_cmp expect changed &&
	# Only the codes and the version changed, never the raw answers.
	cut -d"|" -f1-5 before >b5 && cut -d"|" -f1-5 after >a5 &&
	test_cmp b5 a5
'

test_expect_success 'the codes are now those of the fixed definition' '
	whc breakdown stress --year 2024 --format csv >b.csv &&
	grep "^All teams,2024,5,5,0,0," b.csv &&
	grep "^Gamma,2024,2,2," b.csv &&
	! grep "^Delta,2024" b.csv &&
	whc breakdown stress --year 2023 --format csv >b23.csv &&
	grep "^All teams,2023,2,1,0,1," b23.csv
'

test_expect_success 'the ledger follows, and still reconciles' '
	whc quality --year 2024 >q2 &&
	! grep "meh" q2 && ! grep "Delta" q2 &&
	grep "^  stress  *5  *0  *0$" q2 &&
	whc quality --year 2023 >q3 &&
	grep "stress .meh. 1" q3
'

test_expect_success 'renormalising again changes nothing' '
	dump >before &&
	whc renormalise >out &&
	grep "^0 of 7 responses changed" out &&
	dump >after &&
	test_cmp before after
'

test_expect_success 'a fix that changes the coding moves every row of the year' '
	sed "s/{ \"key\": \"often\", \"label\": \"Often\" }/{ \"key\": \"often\", \"label\": \"Often\" }, { \"key\": \"always\", \"label\": \"Always\" }/" \
	    defs/s-2024.json >fixed.json && mv fixed.json defs/s-2024.json &&
	whc renormalise --year 2024 >out &&
	grep "5 of 5 responses changed" out &&
	test "$(sqlite3 whc.db "SELECT count(DISTINCT qn_id) FROM response WHERE year = 2024")" = 1 &&
	whc breakdown stress --year 2024 --format csv >b.csv &&
	head -1 b.csv | grep always_count
'

test_expect_success 'a store from before the ledger (migration 3): renormalise builds it' '
	cp whc.db old.db &&
	sqlite3 old.db "DROP TABLE quality; PRAGMA user_version = 3" &&
	test_expect_code 3 whc --db old.db quality 2>err &&
	grep "schema version 3 needs upgrading" err &&
	whc --db old.db renormalise >out &&
	grep "^0 of 7 responses changed; the data-quality ledgers of 2 batches" out &&
	sqlite3 old.db "PRAGMA user_version" >v && echo 4 >expect &&
	test_cmp expect v &&
	whc --db old.db quality --year 2023 >q &&
	grep "^2023: 2 responses" q && grep "stress .meh. 1" q
'

test_done
