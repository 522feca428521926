#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# The data-quality ledger: whc quality lists unrecognised answers, bad
# numbers, unknown teams and repeated ids with their counts, and its
# counts reconcile with every breakdown (responses = valid + blank +
# unrecognised), also after a later file replaced some responses.
. "$(dirname "$0")/lib.sh"
test_description 'whc quality and the data-quality ledger'

Q="$SRC/tests/data/small.json"
HDR="ID,Modified,Team,Stress,Cases held,Comments"

test_expect_success 'setup: a file with every kind of odd value' '
	printf "%s\n" "$HDR" \
	    "a1,1,Alpha,Often,12,fine" \
	    "a2,1,Alpha,n/a,3," \
	    "a3,1,Beta,N/A ,x," \
	    "a4,1,Delta,never,99," \
	    "a5,1,delta,,4," \
	    "a6,1,Gamma,meh,,ok" \
	    "a2,2,Alpha,rarely,3,again" >q.csv &&
	whc --db q.db import --questionnaire "$Q" q.csv >out 2>err &&
	printf "[disclosure]\nk = 1\n" >k1.conf
'

test_expect_success 'import reports each odd value once, with its count' '
	grep "q.csv:3: warning: answer matches no level: stress .n/a. (1 time, first here)" err &&
	grep "q.csv:4: warning: answer matches no level: stress .N/A. (1 time, first here)" err &&
	grep "q.csv:7: warning: answer matches no level: stress .meh. (1 time" err &&
	grep "q.csv:5: warning: unknown team: team .Delta. (1 time, first here)" err &&
	grep "q.csv:4: warning: not a number: caseload .x." err &&
	grep "q.csv:5: warning: number out of range: caseload .99." err &&
	grep "q.csv:8: warning: response id repeated in file: .a2." err
'

test_expect_success 'whc quality lists them with counts and places (the a2 stored is the later one)' '
	whc --db q.db quality >qual &&
	grep "^2024: 6 responses" qual &&
	! grep "stress .n/a." qual &&
	grep "stress .N/A. 1 (first at q.csv:4)" qual &&
	grep "stress .meh. 1 (first at q.csv:7)" qual &&
	grep "team .Delta. 1 (first at q.csv:5)" qual &&
	grep "team .delta. 1 (first at q.csv:6)" qual &&
	grep "caseload .x. 1 (first at q.csv:4)" qual &&
	grep "caseload .99. 1 (first at q.csv:5)" qual &&
	grep "^ *.a2. 1 (first at q.csv:8)" qual &&
	grep "^  stress  *3  *1  *2$" qual &&
	grep "^  team  *4  *0  *2$" qual
'

test_expect_success 'whc quality --format json is valid JSON' '
	whc --db q.db quality --year 2024 --format json >q.json &&
	python3 -m json.tool q.json >/dev/null &&
	grep "\"whc\":\"quality\",\"version\":1" q.json
'

# reconcile.py DB CONF ITEM...: every item of every year: the breakdown's
# total row equals the ledger's counts (for a number item, unrecognised
# is not a number or out of range).
cat >reconcile.py <<'PY'
import json, subprocess, sys
db, conf = sys.argv[1], sys.argv[2]
def run(*a):
    return json.loads(subprocess.check_output(["whc", "--config", conf, "--db", db] + list(a)))
q = run("quality", "--format", "json")
checked = 0
for y in q["years"]:
    fields = {f["field"]: f for f in y["fields"]}
    for item in sys.argv[3:]:
        if item not in fields:
            continue
        t = run("breakdown", item, "--year", str(y["year"]), "--format", "json")
        tot = [r for r in t["rows"] if r["total"]]
        assert len(tot) == 1, tot
        tot = tot[0]
        f = fields[item]
        assert tot["responses"] == y["responses"], (y["year"], item, tot, y["responses"])
        assert tot["n"] == f["valid"], (y["year"], item, tot, f)
        assert tot["blank"] == f["blank"], (y["year"], item, tot, f)
        odd = f["unrecognised"] + f["not_a_number"] + f["out_of_range"]
        assert tot["unrecognised"] == odd, (y["year"], item, tot, f)
        assert f["valid"] + f["blank"] + odd == y["responses"]
        checked += 1
print("reconciled", checked)
PY

test_expect_success 'the ledger reconciles with the breakdown' '
	python3 reconcile.py q.db k1.conf stress >out &&
	grep "^reconciled 1$" out
'

test_expect_success 'a later file replacing responses keeps them reconciled' '
	printf "%s\n" "$HDR" "a1,5,Alpha,meh,12,changed" \
	    "a3,5,Beta,Often,1," "a9,5,Alpha,Never,1," >later.csv &&
	whc --db q.db import --questionnaire "$Q" later.csv >out 2>err &&
	grep "3 new or changed" out &&
	python3 reconcile.py q.db k1.conf stress >out &&
	grep "^reconciled 1$" out &&
	whc --db q.db quality >qual &&
	grep "^2024: 7 responses" qual &&
	grep "from q.csv (imported .*): 4 responses" qual &&
	grep "from later.csv (imported .*): 3 responses" qual &&
	grep "stress .meh. 2" qual &&
	! grep "stress .N/A." qual
'

test_expect_success 'the demo survey reconciles in every year and item' '
	whc-gen demo --out exports >/dev/null 2>&1 &&
	for y in 2019 2020 2021 2022 2023 2024 2025; do
		whc --db demo.db import -q --questionnaire \
		    "$SRC/questionnaires/defs/whc-$y.json" exports/whc-$y.csv ||
		return 1
	done &&
	python3 reconcile.py demo.db k1.conf stress workload_manageable \
	    intend_to_leave supervision wellbeing_support training_access \
	    caseload hours >out &&
	grep "^reconciled 54$" out
'

test_expect_success 'whc quality on an empty range says so' '
	whc --db q.db quality --year 2001 >out &&
	grep "no data-quality records" out
'

test_done
