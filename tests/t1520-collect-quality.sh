#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc collect keeps the data-quality ledger as an import does: the demo
# survey collected from a provider (the emulator) has the ledger of its CSV
# exports imported by hand, reconciled with the breakdowns; after a
# definition fix, whc renormalise re-derives the collected responses from
# their stored raw answers (nothing is fetched again) and changes the
# right rows and nothing else.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
test_description 'whc collect: the data-quality ledger and renormalise'

emu_start_fast || test_bug_ "the emulator did not start"

# fields.py DB: the ledger's counts per year and field (no places: a
# collected answer has no line), one line each.
cat >fields.py <<'PY'
import json, subprocess, sys
q = json.loads(subprocess.check_output(
    ["whc", "--db", sys.argv[1], "quality", "--format", "json"]))
for y in q["years"]:
    print(y["year"], "responses", y["responses"])
    for f in y["fields"]:
        print(y["year"], " ".join("%s=%s" % (k, f[k]) for k in sorted(f)))
PY

test_expect_success 'setup: the demo survey imported, and collected' '
	make_ref &&
	whc --config whc.conf --db sm.db collect -q $(sources sm) &&
	sqlite3 ref.db "SELECT year, count(*) FROM response GROUP BY 1" >ref.n &&
	sqlite3 sm.db "SELECT year, count(*) FROM response GROUP BY 1" >sm.n &&
	test_cmp ref.n sm.n
'

test_expect_success 'the collected ledger counts what the exports ledger does' '
	python3 fields.py ref.db >ref.q &&
	python3 fields.py sm.db >sm.q &&
	test_line_count -gt 50 ref.q &&
	test_cmp ref.q sm.q &&
	whc --db sm.db quality --year 2021 >q &&
	grep "^2021: 195 responses" q &&
	grep "stress .Not sure. 2$" q
'

test_expect_success 'a second collection with nothing new leaves the ledger' '
	whc --config whc.conf --db sm.db collect -q $(sources sm) &&
	python3 fields.py sm.db >again.q &&
	test_cmp ref.q again.q
'

test_expect_success 'collected responses reconcile with the breakdowns' '
	for y in $YEARS; do
		whc --db sm.db breakdown --internal stress --year $y \
		    --format json >b.json &&
		python3 -c "
import json, sys
t = json.load(open(sys.argv[1]))
tot = [r for r in t[\"rows\"] if r[\"total\"]][0]
print(sys.argv[2], \"responses\", tot[\"responses\"])
print(tot[\"n\"], tot[\"blank\"], tot[\"unrecognised\"])" b.json $y >>b.txt ||
		return 1
	done &&
	grep -c "responses" b.txt >n && echo 7 >expect && test_cmp expect n &&
	grep "responses" b.txt >got &&
	grep " responses " ref.q >want &&
	test_cmp want got &&
	grep "^2021 .*field=stress" sm.q >s21 &&
	grep "valid=191$" s21 && grep "unrecognised=2 " s21
'

# The analyst decides that "Not sure" about stress means "occasionally":
# a pattern added to the definitions (copied into a directory of their
# own), then renormalise.
test_expect_success 'setup: the fixed definitions' '
	mkdir defs &&
	cp "$SRC"/questionnaires/defs/*.json defs/ &&
	sed -i "s/\"^occ?ass?ionall?y\$\", \"^some ?times\$\"/&, \"^not sure\$\"/" \
	    defs/whc-2019.json &&
	! cmp defs/whc-2019.json "$SRC/questionnaires/defs/whc-2019.json" &&
	printf "[questionnaires]\npath = defs\n" >fix.conf &&
	cp sm.db before.db &&
	sqlite3 sm.db "SELECT count(*) FROM page" >pages.before
'

test_expect_success 'renormalise changes the two rows and nothing else' '
	whc --config fix.conf --db sm.db renormalise --year 2021 >out &&
	grep "^whc-2021 (2021): 195 responses, 2 changed (stress 2)$" out &&
	sqlite3 sm.db "ATTACH \"before.db\" AS b;
	    SELECT s.name, r.rid FROM response r
	    JOIN b.response o ON o.source_id = r.source_id AND o.rid = r.rid
	    JOIN source s ON s.id = r.source_id
	    WHERE o.norm <> r.norm OR o.raw <> r.raw OR o.qn_id <> r.qn_id
	    ORDER BY 2" >changed &&
	test_line_count = 2 changed &&
	grep "sm-whc-2021" changed &&
	sqlite3 sm.db "SELECT count(*) FROM page" >pages.after &&
	test_cmp pages.before pages.after
'

test_expect_success 'the collected store now agrees with the fixed import' '
	whc --config fix.conf --db ref.db renormalise --year 2021 >out &&
	grep "2 changed (stress 2)" out &&
	python3 fields.py ref.db >ref2.q &&
	python3 fields.py sm.db >sm2.q &&
	test_cmp ref2.q sm2.q &&
	grep "^2021 .*field=stress" sm2.q >s21 &&
	grep "valid=193$" s21 && grep "unrecognised=0 " s21 &&
	for db in ref sm; do
		whc --db $db.db breakdown --internal stress --year 2021 \
		    --format csv >$db.csv || return 1
	done &&
	test_cmp ref.csv sm.csv
'

test_expect_success 'every year: the other answer of the fix, then nothing' '
	whc --config fix.conf --db sm.db renormalise >out &&
	grep "^whc-2020 (2020): 245 responses, 1 changed (stress 1)$" out &&
	grep "^1 of 1859 responses changed" out &&
	whc --config fix.conf --db sm.db renormalise >out &&
	grep "^0 of 1859 responses changed" out
'

test_done
