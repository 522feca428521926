#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# Comparing across the demo survey's years: a reworded question, a scale
# that gains "always" (refused without a mapping, counted on the old scale
# with one), a renamed team's continuous series, a merged team's series
# ending and starting, services and directorates from the team map.
. "$(dirname "$0")/lib.sh"
test_description 'breakdowns across years that changed'

DEFS="$SRC/questionnaires/defs"

test_expect_success 'setup: import the demo survey' '
	whc-gen demo --out exports >/dev/null 2>&1 &&
	for y in 2019 2020 2021 2022 2023 2024 2025; do
		whc --db demo.db import --questionnaire "$DEFS/whc-$y.json" \
		    exports/whc-$y.csv >/dev/null 2>>import.err || return 1
	done &&
	printf "[disclosure]\nk = 1\n" >k1.conf
'

# agree.py TABLE.json WANT YEAR: the table's rows of YEAR equal the
# independent count in WANT (tools/count-demo.sh).
cat >agree.py <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
year = int(sys.argv[3])
nl = len(t["levels"])
want = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    want[f[0]] = [int(x) for x in f[1:]]
assert all(len(w) == nl + 2 for w in want.values()), (nl, want)
seen = 0
for row in t["rows"]:
    if row["year"] != year or row["total"]:
        continue
    w = want.pop(row["group"])
    if row["suppressed"]:
        continue
    for i, c in enumerate(row["cells"]):
        if c["count"] is not None:
            assert c["count"] == w[i], (row, w)
            seen += 1
    assert row["blank"] == w[nl] and row["unrecognised"] == w[nl + 1]
assert not want, want
assert seen > 10, seen
print("agree", year, nl)
PY

test_expect_success 'a reworded question is one series, and says so' '
	whc --config k1.conf --db demo.db breakdown stress --year 2022-2023 \
	    --format json >t.json &&
	sh "$SRC/tools/count-demo.sh" exports/whc-2022.csv >w22 &&
	sh "$SRC/tools/count-demo.sh" exports/whc-2023.csv >w23 &&
	python3 agree.py t.json w22 2022 && python3 agree.py t.json w23 2023 &&
	grep "The question was reworded in 2023; in 2022 it read: .*How often do you feel stressed by your work?" t.json &&
	whc --db demo.db breakdown stress --year 2022-2023 >t.md &&
	grep "^Across years: The question was reworded in 2023" t.md &&
	whc --db demo.db breakdown stress --year 2023-2025 >t2.md &&
	! grep "reworded" t2.md
'

test_expect_success 'a year with the new scale alone has its five levels' '
	whc --config k1.conf --db demo.db breakdown stress --year 2024 \
	    --format json >t.json &&
	sh "$SRC/tools/count-demo.sh" --always exports/whc-2024.csv >w &&
	python3 agree.py t.json w 2024 >out &&
	grep "agree 2024 5" out &&
	! grep "Across years" t.json
'

test_expect_success 'across the change, always counts as often, and every format says so' '
	whc --config k1.conf --db demo.db breakdown stress --year 2023-2024 \
	    --format json >t.json &&
	sh "$SRC/tools/count-demo.sh" exports/whc-2024.csv >w &&
	python3 agree.py t.json w 2024 >out &&
	grep "agree 2024 4" out &&
	note="The answer scale of .stress. in 2024 is .frequency5. (never, rarely, occasionally, often, always); to compare across years it is counted on .frequency4., with .always. as .often." &&
	grep "$note" t.json &&
	whc --db demo.db breakdown stress --year 2023-2024 --format csv >t.csv &&
	grep "^note,text,\"Across years: $note" t.csv &&
	whc --db demo.db breakdown stress --year 2023-2024 >t.md &&
	grep "^Across years: $note" t.md &&
	whc --db demo.db breakdown stress --year 2019-2025 --format csv >all.csv &&
	grep "in 2024 to 2025 is .frequency5." all.csv
'

test_expect_success 'without a mapping, a comparison across the change is refused' '
	mkdir nomap &&
	cp "$DEFS"/*.json nomap/ &&
	grep -v compare_as "$DEFS/whc-2024.json" | sed "s/\"frequency5\",\$/\"frequency5\" }/" >nomap/whc-2024.json &&
	whc --db n.db import -q --questionnaire nomap/whc-2023.json exports/whc-2023.csv 2>/dev/null &&
	whc --db n.db import -q --questionnaire nomap/whc-2024.json exports/whc-2024.csv 2>/dev/null &&
	test_expect_code 1 whc --db n.db breakdown stress 2>err &&
	grep "cannot compare .stress. across years: its scale in 2023 (.frequency4.: never, rarely, occasionally, often) differs from 2024 (.frequency5.: never, rarely, occasionally, often, always), and no definition says how their levels correspond (add \"compare_as\" to the item in 2024.s definition)" err &&
	whc --db n.db breakdown stress --year 2024 >ok.md &&
	grep "| Always |" ok.md
'

test_expect_success 'a renamed team is one series; the rename is noted' '
	whc --db demo.db breakdown stress --format csv >all.csv &&
	test "$(grep -c "^MASH and Front Door," all.csv)" = 7 &&
	! grep "^Front Door," all.csv &&
	tr -d "\r" <all.csv | grep "^note,text,Across years: MASH and Front Door was called Front Door until 2021; its series continues under the new name.," &&
	whc --db demo.db breakdown stress --year 2022-2025 --format csv >late.csv &&
	! grep "called Front Door" late.csv
'

test_expect_success 'a merged team: the old series end, the new one starts, noted' '
	whc --config k1.conf --db demo.db breakdown stress --format csv >all.csv &&
	grep "^Fostering,20" all.csv | cut -d, -f2 | tr "\n" " " >fy &&
	printf "2019 2020 2021 2022 " >expect && test_cmp expect fy &&
	grep "^Adoption,20" all.csv | cut -d, -f2 | tr "\n" " " >ay &&
	test_cmp expect ay &&
	grep "^Permanence,20" all.csv | cut -d, -f2 | tr "\n" " " >py &&
	printf "2023 2024 2025 " >expect && test_cmp expect py &&
	tr -d "\r" <all.csv | grep "^note,text,Across years: Fostering and Adoption merged into Permanence in 2023: their series end in 2022 and Permanence.s begins in 2023.," &&
	whc --db demo.db breakdown stress --year 2019-2022 --format csv >early.csv &&
	! grep "merged" early.csv
'

test_expect_success 'an old team name after the merge is reported, not guessed' '
	grep "unknown team: team .Fostering. (.*) (it names .Fostering., which ended in 2022; see .Permanence.)" import.err &&
	whc --db demo.db quality --year 2023-2025 >q &&
	grep "team .Fostering." q &&
	grep "^Fostering (not a team in 202[345]),202[345]," all.csv
'

# hierarchy.py MAP WANT SERVICES.json YEAR: each service's counts in the
# breakdown by service are the sums of its teams' in the independent count.
cat >hierarchy.py <<'PY'
import json, sys
tm = json.load(open(sys.argv[1]))
svc = {t["name"]: t["service"] for t in tm["teams"]}
serv = json.load(open(sys.argv[3]))
year = int(sys.argv[4])
nl = len(serv["levels"])
sums = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    w = [int(x) for x in f[1:]]
    s = sums.setdefault(svc.get(f[0], "(not stated)"), [0] * (nl + 2))
    for i in range(nl + 2):
        s[i] += w[i]
seen = 0
for r in serv["rows"]:
    if r["total"] or r["year"] != year:
        continue
    s = sums.pop(r["group"])
    for i, c in enumerate(r["cells"]):
        if c["count"] is not None:
            assert c["count"] == s[i], (r, s)
            seen += 1
    if not r["suppressed"]:
        assert [r["blank"], r["unrecognised"]] == s[nl:], (r, s)
assert not sums, sums
assert seen > 5, seen
print("services", year, seen)
PY

test_expect_success 'breakdown by service and directorate: sums of their teams' '
	sh "$SRC/tools/count-demo.sh" --always exports/whc-2025.csv >w25 &&
	whc --config k1.conf --db demo.db breakdown stress --by service \
	    --year 2025 --format json >svc.json &&
	python3 hierarchy.py "$DEFS/teams-whc.json" w25 svc.json 2025 &&
	sh "$SRC/tools/count-demo.sh" exports/whc-2019.csv >w19 &&
	whc --config k1.conf --db demo.db breakdown stress --by service \
	    --year 2019 --format json >svc.json &&
	python3 hierarchy.py "$DEFS/teams-whc.json" w19 svc.json 2019 &&
	whc --db demo.db breakdown stress --by directorate --year 2025 --format csv >d.csv &&
	grep "^Children.s Social Care,2025," d.csv &&
	grep "^Early Help and Prevention,2025," d.csv &&
	test "$(grep -c ",2025," d.csv)" = 3
'

test_expect_success 'an item not asked every year says which' '
	whc --db demo.db breakdown training_access --format csv >t.csv &&
	tr -d "\r" <t.csv | grep "^note,text,Across years: .training_access. was not asked in 2019 to 2020.," &&
	! grep ",2019," t.csv
'

test_done
