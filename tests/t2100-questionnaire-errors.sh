#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# Broken questionnaire definitions are reported at their place, every
# problem in one run, and nothing is stored.
. "$(dirname "$0")/lib.sh"
test_description 'questionnaire definition errors'

test_expect_success 'setup: a CSV and a store' '
	printf "ID,Team,Stress\nr1,A,Often\n" >r.csv &&
	cp "$SRC/tests/data/small.json" good.json
'

test_expect_success 'JSON syntax error: line and column' '
	printf "{\n  \"id\": \"x\",\n  \"year\": soon,\n}\n" >syntax.json &&
	test_expect_code 1 whc --db x.db import --questionnaire syntax.json r.csv 2>err &&
	grep "syntax.json:3:11: error: questionnaire is not valid JSON" err &&
	test ! -e x.db
'

test_expect_success 'semantic errors: line, column and JSON path, all in one run' '
	sed -e "s/\"scale\": \"freq\"/\"scale\": \"frq\"/" \
	    -e "s/\"year\": 2024/\"year\": \"soon\"/" \
	    -e "s/\"type\": \"number\"/\"type\": \"numeric\"/" \
	    -e "s/\\^occ?ass?ionall?y\\$/(unclosed/" good.json >sem.json &&
	test_expect_code 1 whc --db x.db import --questionnaire sem.json r.csv 2>err &&
	grep "sem.json:3:11: error: questionnaire definition is invalid: year: must be a whole year" err &&
	grep "sem.json:27:50: error: .*: items\[0\].scale: no scale called .frq." err &&
	grep "sem.json:29:34: error: .*: items\[1\].type: .numeric. is not a type" err &&
	grep "sem.json:13:21: error: invalid answer pattern: scales.freq.levels\[2\].match\[0\]: .(unclosed. at offset 9" err &&
	test $(grep -c "error:" err) = 4
'

test_expect_success 'a definition without a team dimension' '
	sed "s/\"key\": \"team\"/\"key\": \"unit\"/" good.json >noteam.json &&
	test_expect_code 1 whc --db x.db import --questionnaire noteam.json r.csv 2>err &&
	grep "noteam.json:18:17: error: .*: dimensions: needs a dimension with key \"team\"" err
'

test_expect_success 'an unknown questionnaire id' '
	test_expect_code 1 whc --db x.db import --questionnaire nosuch r.csv 2>err &&
	grep "cannot find questionnaire .nosuch.: no nosuch.json" err
'

test_expect_success 'the shipped demo definitions all load' '
	for f in "$SRC"/questionnaires/defs/whc-*.json; do
		printf "x\n" >h.csv &&
		whc --db d.db import --questionnaire "$f" h.csv 2>err;
		grep -q "column not found" err || { cat err; return 1; }
	done
'

test_expect_success 'the shipped definitions are what whc-gen defs writes' '
	whc-gen defs --out gen >/dev/null &&
	ls "$SRC/questionnaires/defs" >shipped && ls gen >made &&
	test_cmp shipped made &&
	for f in gen/*.json; do
		test_cmp "$SRC/questionnaires/defs/${f#gen/}" "$f" || return 1
	done
'

test_expect_success 'an inheriting definition is stored resolved' '
	printf "Response ID\n" >h.csv &&
	test_expect_code 1 whc --db inh.db import --questionnaire "$SRC/questionnaires/defs/whc-2025.json" h.csv 2>err &&
	grep "column not found" err &&
	whc --db r.db import -q --questionnaire "$SRC/questionnaires/defs/whc-2024.json" "$SRC/tests/data/one-2024.csv" &&
	sqlite3 r.db "SELECT body FROM questionnaire" >body &&
	! grep inherits body &&
	grep "\"compare_as\"" body &&
	grep "Over the past three months" body &&
	grep "\"training_access\"" body &&
	grep "\"Permanence and Placements\"" body
'

test_done
