#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc check: definitions, team maps, config files and CSV exports are
# linted in one run; every problem is reported from the catalogue at its
# file:line:col; nothing is written; the exit status follows the worst
# severity.
. "$(dirname "$0")/lib.sh"
test_description 'whc check'

test_expect_success 'setup: broken files of every kind' '
	mkdir defs &&
	cat >defs/base-2023.json <<-\EOF &&
	{
	  "id": "base-2023", "year": 2023, "id_column": "ID",
	  "scales": {
	    "f4": { "levels": [ { "key": "never" }, { "key": "rarely" },
	      { "key": "sometimes", "match": ["^some ?times$"] },
	      { "key": "often", "match": ["^never$"] } ] }
	  },
	  "team_map": "teams-x",
	  "dimensions": [ { "key": "team", "column": "Team" } ],
	  "items": [
	    { "key": "stress", "type": "scale", "scale": "f4",
	      "text": "Stressed?", "column": "Stress" },
	    { "key": "cases", "type": "number", "min": 0, "max": 60,
	      "text": "Cases?", "column": "Cases" }
	  ]
	}
	EOF
	cat >defs/kid-2024.json <<-\EOF &&
	{
	  "id": "kid-2024", "year": 2024, "inherits": "base-2023",
	  "scales": {
	    "f5": { "levels": [ { "key": "never" }, { "key": "rarely" },
	      { "key": "sometimes", "match": ["(unclosed"] },
	      { "key": "often" }, { "key": "always" } ] }
	  },
	  "items": [
	    { "key": "stress", "scale": "f5", "colum": "Stress",
	      "compare_as": { "scale": "f4" } },
	    { "key": "hours", "type": "number", "scale": "f4",
	      "text": "Hours?", "column": "Hours" }
	  ]
	}
	EOF
	cat >defs/teams-x.json <<-\EOF &&
	{
	  "services": [ { "name": "S" } ],
	  "teams": [
	    { "name": "Alpha", "service": "S", "until": 2022 },
	    { "name": "Beta", "service": "S", "names": ["alpha"] },
	    { "name": "Gamma", "service": "T", "from": 2024,
	      "formed_from": ["Alpha"] }
	  ]
	}
	EOF
	printf "[store]\ndb = x.db\n[disclosure]\nk = zero\nbogus = 1\n[questionnaires]\npath = defs\n[storee]\ndb = y\nnot a setting\n" >whc.conf &&
	printf "ID,Team,Stress,Cases\nr1,Alpha,often,3\nr2,Zed,meh,4\nr3,Beta,\"Often\"x,5\n,Beta,never,6\nr1,Beta,never,7\nr6,Beta,never\nr7,Beta,sometimes,99\n" >resp-2023.csv &&
	sed -e "s/\"base-2023\"/\"good-2023\"/" -e "s/\"teams-x\"/\"teams-ok\"/" \
	    defs/base-2023.json >good-2023.json &&
	printf "{ \"teams\": [ { \"name\": \"Alpha\" }, { \"name\": \"Beta\" } ] }\n" >teams-ok.json &&
	touch "$TMPDIR/stamp"
'

test_expect_success 'everything wrong is reported in one run, at its place' '
	test_expect_code 1 whc check --config whc.conf defs/base-2023.json \
	    defs/kid-2024.json defs/teams-x.json good-2023.json resp-2023.csv \
	    2>"$TMPDIR/err" &&
	cp "$TMPDIR/err" err &&
	grep "^whc: whc.conf:4: error: bad config value: disclosure.k must be a whole number from 1 to 1000, not .zero.$" err &&
	grep "^whc: whc.conf:5: warning: unknown config key: .disclosure.bogus. (did you mean .disclosure.k.?)$" err &&
	grep "^whc: whc.conf:9: warning: unknown config key: .storee.db.$" err &&
	grep "^whc: whc.conf:10: error: config syntax error: expected .key = value.$" err &&
	grep "^whc: defs/base-2023.json:6:35: warning: answer matches two levels: scales.f4.levels\[3\].match\[0\]: .never. (level .never.) also matches level .often.$" err &&
	grep "^whc: defs/teams-x.json:5:5: error: team name used twice: teams\[1\]: .alpha. names both .Alpha. and .Beta. in the same years$" err &&
	grep "^whc: defs/teams-x.json:6:35: error: team map is invalid: teams\[2\].service: no service called .T." err &&
	grep "^whc: defs/teams-x.json:6:5: warning: team history does not add up: teams\[2\].formed_from: .Gamma. starts in 2024 but .Alpha., which it replaced, ends in another year$" err &&
	grep "^whc: defs/kid-2024.json:5:39: error: invalid answer pattern: scales.f5.levels\[2\].match\[0\]: .(unclosed. at offset 9: missing closing parenthesis$" err &&
	grep "^whc: defs/kid-2024.json:9:48: warning: unknown member: items\[0\].colum: .colum. is not used by whc (did you mean .column.?)$" err &&
	grep "^whc: defs/kid-2024.json:10:21: error: bad scale mapping: items\[0\].compare_as: level .always. has no counterpart in .f4.; add it to \"map\"$" err &&
	grep "^whc: defs/kid-2024.json:11:50: error: questionnaire definition is invalid: items\[2\].scale: only scale and choice items have a \"scale\"$" err &&
	grep "^whc: resp-2023.csv:4:16: error: malformed CSV: text after a closing quote$" err &&
	grep "^whc: resp-2023.csv:5: error: response has no id: column .ID. is empty$" err &&
	grep "^whc: resp-2023.csv:7: error: wrong number of fields: 3 fields, the header has 4$" err &&
	grep "^whc: resp-2023.csv:3: warning: unknown team: team .Zed. (1 time, first here)$" err &&
	grep "^whc: resp-2023.csv:3: warning: answer matches no level: stress .meh. (1 time, first here)$" err &&
	grep "^whc: resp-2023.csv:8: warning: number out of range: cases .99. (1 time, first here)$" err &&
	grep "^whc: resp-2023.csv:6: warning: response id repeated in file: .r1." err &&
	grep "^whc check: 6 files: [1-9][0-9]* errors, [1-9][0-9]* warnings" err &&
	test "$(sort err | uniq -d)" = ""
'

test_expect_success 'check writes nothing' '
	find . -type f -newer "$TMPDIR/stamp" ! -name err ! -name written >written &&
	test_must_be_empty written &&
	test ! -e x.db && test ! -e whc.db
'

test_expect_success 'warnings alone exit 0, or 1 with -W warning' '
	printf "ID,Team,Stress,Cases\nr1,Alpha,meh,3\n" >ok-2023.csv &&
	sed "s/\"^never\$\"/\"^nevah\$\"/" defs/base-2023.json >b.json &&
	printf "{ \"teams\": [ { \"name\": \"Alpha\" } ] }\n" >defs/teams-x.json &&
	whc check -Q b.json ok-2023.csv 2>err &&
	grep "warning: answer matches no level: stress .meh." err &&
	grep "1 file: 0 errors, 1 warning" err &&
	test_expect_code 1 whc check -W warning -Q b.json ok-2023.csv 2>err
'

test_expect_success 'a CSV is checked against the definition named like it, or before it' '
	cp b.json defs/ok-2023.json &&
	printf "[questionnaires]\npath = defs\n" >whc.conf &&
	whc check ok-2023.csv >out 2>err &&
	grep "responses (.*) checked against ok-2023" out &&
	whc check b.json resp-2023.csv >out 2>err;
	grep "checked against base-2023" out &&
	test_expect_code 1 whc check nodef.csv 2>err;
	printf "x\n" >nodef.csv &&
	test_expect_code 1 whc check nodef.csv 2>err &&
	grep "nodef.csv: error: cannot check this file: which definition" err
'

test_expect_success 'with no files: the config and every definition in the search path' '
	printf "[questionnaires]\npath = %s\n" "$SRC/questionnaires/defs" >whc.conf &&
	whc check 2>err &&
	grep "^whc check: 9 files: 0 errors, 0 warnings, 0 notes$" err
'

test_expect_success 'the keys of collect, report and per-item settings are known' '
	cp "$SRC/demo/report.conf" pack.conf &&
	printf "[disclosure]\nk.intend_to_leave = 10\n[collect]\nretries = 3\n" \
	    >>pack.conf &&
	printf "[report \"stress\"]\nshares = often\n" >>pack.conf &&
	whc check pack.conf 2>err &&
	grep "pack.conf:[0-9]*: warning: unknown config key: .report.stress.shares." err &&
	grep "1 file: 0 errors, 1 warning" err
'

test_expect_success 'an unknown kind of file is an error' '
	printf "x" >notes.txt &&
	test_expect_code 1 whc check notes.txt 2>err &&
	grep "notes.txt: error: cannot check this file" err
'

test_expect_success '--list prints the catalogue' '
	whc check --list >list &&
	grep "^QN_SCHEMA  *error  *questionnaire definition is invalid$" list &&
	grep "^TEAM_UNKNOWN  *warning  *unknown team$" list &&
	test $(grep -c "" list) = $(grep -c "^	X(" "$SRC/common/diag_list.h")
'

test_done
