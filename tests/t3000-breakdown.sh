#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc breakdown on the demo survey: counts agree with an independent count
# of the same CSV files, output matches the golden files, and no published
# cell rests on fewer than k respondents.
. "$(dirname "$0")/lib.sh"
test_description 'whc breakdown'

GOLDEN="$SRC/tests/golden"

test_expect_success 'setup: import the demo survey' '
	whc-gen demo --out exports >/dev/null 2>&1 &&
	for y in 2019 2020 2021 2022 2023 2024 2025; do
		whc --db demo.db import -q --questionnaire \
		    "$SRC/questionnaires/defs/whc-$y.json" exports/whc-$y.csv ||
		return 1
	done &&
	cp demo.db pristine.db &&
	printf "[disclosure]\nk = 1\n" >k1.conf
'

# A python check of the JSON form against tools/count-demo.sh's counts.
cat >agree.py <<'PY'
import json, sys
table = json.load(open(sys.argv[1]))
want = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    want[f[0]] = [int(x) for x in f[1:]]
levels = [l["key"] for l in table["levels"]]
assert levels[:4] == ["never", "rarely", "occasionally", "often"], levels
nl = len(levels)
seen = 0
tot = [0] * (nl + 2)
for row in table["rows"]:
    if row["total"]:
        total = row
        continue
    w = want.pop(row["group"])
    for i in range(nl + 2):
        tot[i] += w[i]
    if row["suppressed"]:
        continue
    for i, c in enumerate(row["cells"]):
        if c["count"] is not None:
            assert c["count"] == w[i], (row["group"], levels[i], c, w)
            seen += 1
    assert row["blank"] == w[nl] and row["unrecognised"] == w[nl + 1], (row, w)
    assert row["n"] == sum(w[:nl]), (row, w)
assert not want, "teams missing from whc: %s" % want
for i, c in enumerate(total["cells"]):
    assert c["count"] == tot[i], (levels[i], c, tot)
assert total["blank"] == tot[nl] and total["unrecognised"] == tot[nl + 1]
print("agree", seen)
PY

test_expect_success 'counts agree with an independent count (2025, five levels)' '
	sh "$SRC/tools/count-demo.sh" --always exports/whc-2025.csv >want &&
	whc --config k1.conf --db demo.db breakdown stress --year 2025 \
	    --format json >got.json &&
	python3 agree.py got.json want >out &&
	grep "^agree [1-9]" out
'

test_expect_success 'counts agree with an independent count (2019, old team name)' '
	sh "$SRC/tools/count-demo.sh" exports/whc-2019.csv >want &&
	whc --config k1.conf --db demo.db breakdown stress --year 2019 \
	    --format json >got.json &&
	python3 agree.py got.json want
'

test_expect_success 'the renamed team is one series across the years' '
	whc --config k1.conf --db demo.db breakdown stress --format csv >all.csv &&
	test "$(grep -c "^MASH and Front Door," all.csv)" = 7 &&
	! grep "^Front Door," all.csv
'

# Each golden run starts from the store as imported (an empty release
# ledger), so that the release it records is #1.
test_expect_success 'Markdown output matches the golden file' '
	cp pristine.db g.db &&
	whc --db g.db breakdown stress --year 2025 >actual &&
	test_cmp "$GOLDEN/demo-stress-2025.md" actual
'

test_expect_success 'CSV output over all years matches the golden file' '
	cp pristine.db g.db &&
	whc --db g.db breakdown stress --by team --year 2019-2025 \
	    --format csv >actual &&
	test_cmp "$GOLDEN/demo-stress-by-team.csv" actual
'

test_expect_success 'JSON output matches the golden file' '
	cp pristine.db g.db &&
	whc --db g.db breakdown stress --format json >actual &&
	test_cmp "$GOLDEN/demo-stress-by-team.json" actual &&
	python3 -m json.tool actual >/dev/null
'

cat >safe.py <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
k = t["k"]
hidden = 0
for row in t["rows"]:
    if row["suppressed"] is None:
        assert row["n"] >= k, row
    else:
        assert row["n"] is None and row["responses"] is None, row
    for c in row["cells"]:
        if c["suppressed"] is None:
            assert c["count"] >= k, (row["group"], row["year"], c)
        else:
            hidden += 1
            assert c["count"] is None and c["pct"] is None, c
    # a row never has exactly one hidden cell
    h = sum(1 for c in row["cells"] if c["suppressed"])
    assert h != 1, (row["group"], row["year"])
# per year and level, never exactly one hidden group cell under a shown total
for tot in [r for r in t["rows"] if r["total"]]:
    groups = [r for r in t["rows"] if not r["total"] and r["year"] == tot["year"]]
    for i, c in enumerate(tot["cells"]):
        if c["suppressed"] is None:
            h = sum(1 for r in groups if r["cells"][i]["suppressed"])
            assert h != 1, (tot["year"], i)
print("hidden", hidden)
PY

test_expect_success 'no published cell rests on fewer than k respondents' '
	for k in 5 10; do
		printf "[disclosure]\nk = %s\n" $k >k.conf &&
		whc --config k.conf --db demo.db breakdown stress --format json >t.json &&
		python3 safe.py t.json >out &&
		grep "^hidden [1-9]" out || return 1
	done
'

test_expect_success 'the small team is never published' '
	whc --db demo.db breakdown stress --format csv >s.csv &&
	grep "^Independent Reviewing Officers," s.csv >iro &&
	! grep -v ",c,c,c,c,c,c,c,c,c,c,c,c,yes" iro
'

test_expect_success '--k may raise the threshold but not lower it' '
	whc --db demo.db breakdown stress --k 8 --format json >k8.json &&
	grep "\"k\":8" k8.json &&
	test_expect_code 1 whc --db demo.db breakdown stress --k 2 2>err &&
	grep "configured threshold is 5" err
'

test_expect_success 'unknown item: exit 1 with the items available' '
	test_expect_code 1 whc --db demo.db breakdown stres 2>err &&
	grep "unknown item .stres. (items stored: .*stress" err
'

test_expect_success 'a free-text item is refused with a reason' '
	test_expect_code 1 whc --db demo.db breakdown comments 2>err &&
	grep "text item" err
'

test_expect_success 'unknown dimension: exit 1' '
	test_expect_code 1 whc --db demo.db breakdown stress --by colour 2>err &&
	grep "no such dimension" err
'

test_expect_success 'breakdown by another dimension (role)' '
	whc --db demo.db breakdown stress --by role --year 2025 --format csv >r.csv &&
	head -1 r.csv | grep "^role,year" &&
	grep "^Social Worker,2025" r.csv
'

test_done
