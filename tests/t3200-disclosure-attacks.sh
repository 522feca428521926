#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# Adversarial tests of disclosure control.  Each attack tries to recover
# the answers of a group of fewer than k people from what whc publishes:
# row and column totals, a parent minus its visible children, two
# overlapping filtered requests, this year's table against last year's
# release.  tests/attack.py does the arithmetic exactly (rational Gauss-
# Jordan over every relation the attacker knows).  Each attack is first
# run on the unprotected table (the raw counts with primary suppression
# alone) and must succeed there, then on whc's output, where it must
# recover nothing.
. "$(dirname "$0")/lib.sh"
test_description 'disclosure control against differencing attacks'

A="$SRC/tests/attack.py"

test_expect_success 'setup: the hierarchy survey' '
	python3 "$SRC/tests/hier-gen.py" h --late 2 &&
	for y in 2024 2025; do
		whc --db h.db import -q --questionnaire h/hier-$y.json \
		    h/hier-$y.csv || return 1
	done &&
	python3 "$A" raw team "" 2025 0 h/hier-2025.csv >truth-team.json &&
	python3 "$A" raw rollup "" 2025 0 h/hier-2025.csv >truth-rollup.json
'

# check.py MODE TRUTH.json SPEC.json RESULT.json: with MODE "leaks" the
# attack must recover at least one small value, each equal to the truth;
# with MODE "safe" it must recover no small value and find no small sum.
# The targets (small values) are the cells and the n of the truth table
# below k.
cat >check.py <<'PY'
import json, sys
mode, truth, spec, res = sys.argv[1:5]
truth = json.load(open(truth)); spec = json.load(open(spec))
res = json.load(open(res))
k = spec["k"]
small = {}
def name(r):
    return r["group"] + ("@" + r["parent"] if r.get("parent") else "")
for r in truth["rows"]:
    cols = {c["level"]: c["count"] for c in r["cells"]}
    cols["n"] = r["n"]
    for c, v in cols.items():
        if v < k:
            small["0|%s|%d|%s" % (name(r), r["year"], c)] = v
for name, v in spec.get("truth", {}).items():
    if v < k:
        small[name] = v
got = {t: v for t, v in res["recovered"].items() if t in small}
if mode == "leaks":
    assert got, "the attack found nothing on the unprotected table"
    for t, v in got.items():
        assert v == small[t], (t, v, small[t])
    print("leaked", len(got))
    for t in sorted(got):
        print(t)
else:
    assert not got, "recovered: %s" % got
    assert not res["sums"], "small sums: %s" % res["sums"]
    print("safe", len(small))
PY

# spec.py K TABLE... : a spec attacking those tables, every cell a target.
cat >spec.py <<'PY'
import json, sys
k = int(sys.argv[1])
targets = []
for ti, path in enumerate(sys.argv[2:]):
    t = json.load(open(path))
    for r in t["rows"]:
        g = r["group"] + ("@" + r["parent"] if r.get("parent") else "")
        for c in [l["key"] for l in t["levels"]] + ["n"]:
            targets.append("%d|%s|%d|%s" % (ti, g, r["year"], c))
json.dump({"tables": sys.argv[2:], "k": k, "targets": targets}, sys.stdout)
PY

test_expect_success 'attack 1, row and column totals: works unprotected' '
	python3 "$A" raw team "" 2025 5 h/hier-2025.csv >raw1.json &&
	python3 spec.py 5 raw1.json >s1.json &&
	python3 "$A" solve s1.json >r1.json &&
	python3 check.py leaks truth-team.json s1.json r1.json
'

test_expect_success 'attack 1, row and column totals: whc recovers nothing' '
	cp h.db a1.db &&
	whc --db a1.db breakdown stress --year 2025 --format json >w1.json &&
	python3 spec.py 5 w1.json >s1.json &&
	python3 "$A" solve s1.json >r1.json &&
	python3 check.py safe truth-team.json s1.json r1.json
'

test_expect_success 'attack 1 at other k and on two dimensions: nothing' '
	for k in 3 7 10; do
		printf "[disclosure]\nk = %s\n" $k >k.conf &&
		python3 "$A" raw team "" 2025 0 h/hier-2025.csv >t.json &&
		whc --config k.conf --db h.db breakdown stress --year 2025 \
		    --internal --format json >w.json &&
		python3 spec.py $k w.json >s.json &&
		python3 "$A" solve s.json >r.json &&
		python3 check.py safe t.json s.json r.json || return 1
	done &&
	python3 "$A" raw team,role "" 2025 0 h/hier-2025.csv >t2.json &&
	whc --db h.db breakdown stress --by team,role --year 2025 --internal \
	    --format json >w2.json &&
	python3 spec.py 5 w2.json >s2.json &&
	python3 "$A" solve s2.json >r2.json &&
	python3 check.py safe t2.json s2.json r2.json
'

test_expect_success 'attack 2, a parent minus its visible children: works unprotected' '
	python3 "$A" raw rollup "" 2025 5 h/hier-2025.csv >raw2.json &&
	grep -q "\"group\": \"Delta\"" raw2.json &&
	python3 spec.py 5 raw2.json >s2.json &&
	python3 "$A" solve s2.json >r2.json &&
	python3 check.py leaks truth-rollup.json s2.json r2.json >out &&
	grep "|Delta@Permanence|2025|n" out
'

test_expect_success 'attack 2, a parent minus its visible children: whc recovers nothing' '
	whc --db h.db breakdown stress --rollup --year 2025 --internal \
	    --format json >w2.json &&
	python3 spec.py 5 w2.json >s2.json &&
	python3 "$A" solve s2.json >r2.json &&
	python3 check.py safe truth-rollup.json s2.json r2.json
'

# small.py CSV: a (team, grade) with 1 to 4 answers in a team of 10 or
# more, as "team|grade".
cat >small.py <<'PY'
import csv, collections, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["Stress"]]
c = collections.Counter((r["Team"], r["Grade"]) for r in rows)
team = collections.Counter(r["Team"] for r in rows)
t, r = sorted(k for k, v in c.items()
              if 1 <= v < 5 and k[0].isalpha() and team[k[0]] >= 10)[0]
print("%s|%s" % (t, r))
PY

# links.py K A.json B.json TRUTH-A TRUTH-B: a spec linking each cell of
# table A to the same cell of table B plus an unknown difference (the
# people in A and not in B), the differences below k as targets.
cat >links.py <<'PY'
import json, sys
k = int(sys.argv[1]); a, b = sys.argv[2], sys.argv[3]
ta, tb = json.load(open(sys.argv[4])), json.load(open(sys.argv[5]))
def vals(t):
    out = {}
    for r in t["rows"]:
        out[(r["group"], r["year"], "n")] = r["n"]
        for c in r["cells"]:
            out[(r["group"], r["year"], c["level"])] = c["count"]
    return out
va, vb = vals(ta), vals(tb)
links, targets, truth = [], [], {}
for key, x in va.items():
    if key not in vb:
        continue
    d = "d|%s|%d|%s" % key
    links.append({"a": [0] + list(key), "b": [1] + list(key), "diff": d})
    # A difference describes people only where the rows differ.
    if va[key[:2] + ("n",)] == vb[key[:2] + ("n",)]:
        continue
    if x - vb[key] < k:
        targets.append(d)
        truth[d] = x - vb[key]
json.dump({"tables": [a, b], "k": k, "links": links, "targets": targets,
           "truth": truth}, sys.stdout)
PY

test_expect_success 'attack 3, the same population minus a small group: works unprotected' '
	g=$(python3 small.py h/hier-2025.csv) && team=${g%|*} && grade=${g#*|} &&
	f="not (team == \"$team\" and grade == $grade)" &&
	python3 "$A" raw team "" 2025 5 h/hier-2025.csv >rawA.json &&
	python3 "$A" raw team "$f" 2025 5 h/hier-2025.csv >rawB.json &&
	python3 "$A" raw team "$f" 2025 0 h/hier-2025.csv >truthB.json &&
	python3 links.py 5 rawA.json rawB.json truth-team.json truthB.json >s3.json &&
	python3 "$A" solve s3.json >r3.json &&
	python3 check.py leaks truth-team.json s3.json r3.json >out &&
	grep "d|All teams|2025|" out
'

test_expect_success 'attack 3, the same population minus a small group: whc refuses' '
	g=$(python3 small.py h/hier-2025.csv) && team=${g%|*} && grade=${g#*|} &&
	cp h.db a3.db &&
	whc --db a3.db breakdown stress --year 2025 --format json >wA.json &&
	test_expect_code 1 whc --db a3.db breakdown stress --year 2025 \
	    --where "not (team = '\''$team'\'' and grade = $grade)" \
	    --format json >wB.json 2>err &&
	test_must_be_empty wB.json &&
	grep "refused: this request counts the same people as release #1" err &&
	grep "give or take fewer than 5" err &&
	! grep "[^0-9]2 people\|by [1-4] " err &&
	whc --db a3.db releases --format json | grep -c "\"id\"" >count &&
	test "$(cat count)" = 1
'

test_expect_success 'attack 3, two overlapping filters: works unprotected' '
	f="grade >= 3" &&
	python3 "$A" raw team "$f" 2025 5 h/hier-2025.csv >rawB.json &&
	python3 "$A" raw team "$f" 2025 0 h/hier-2025.csv >truthB.json &&
	python3 links.py 5 rawA.json rawB.json truth-team.json truthB.json >s3.json &&
	python3 "$A" solve s3.json >r3.json &&
	python3 check.py leaks truth-team.json s3.json r3.json
'

test_expect_success 'attack 3, two overlapping filters: whc recovers nothing' '
	cp h.db a3b.db &&
	whc --db a3b.db breakdown stress --year 2025 --format json >wA.json &&
	whc --db a3b.db breakdown stress --year 2025 \
	    --where "grade >= 3" --format json >wB.json &&
	grep "\"suppressed\":\"ledger\"" wB.json &&
	grep "Release ledger: values marked as withheld for release #1" wB.json &&
	python3 "$A" raw team "grade >= 3" 2025 0 h/hier-2025.csv >truthB.json &&
	python3 links.py 5 wA.json wB.json truth-team.json truthB.json >s3.json &&
	python3 "$A" solve s3.json >r3.json &&
	python3 check.py safe truth-team.json s3.json r3.json &&
	python3 spec.py 5 wB.json >s3b.json &&
	python3 "$A" solve s3b.json >r3b.json &&
	python3 check.py safe truthB.json s3b.json r3b.json
'

test_expect_success 'attack 3, the other order (the filtered one released first): nothing' '
	cp h.db a3c.db &&
	whc --db a3c.db breakdown stress --year 2025 \
	    --where "grade >= 3" --format json >wB.json &&
	whc --db a3c.db breakdown stress --year 2025 --format json >wA.json &&
	python3 links.py 5 wA.json wB.json truth-team.json truthB.json >s3.json &&
	python3 "$A" solve s3.json >r3.json &&
	python3 check.py safe truth-team.json s3.json r3.json
'

test_expect_success 'attack 4, this year against last release: works unprotected' '
	cat h/hier-2025.csv >all.csv &&
	tail -n +2 h/hier-2025-late.csv >>all.csv &&
	python3 "$A" raw team "" 2025 5 h/hier-2025.csv >rawOld.json &&
	python3 "$A" raw team "" 2025 5 all.csv >rawNew.json &&
	python3 "$A" raw team "" 2025 0 all.csv >truthNew.json &&
	python3 links.py 5 rawNew.json rawOld.json truthNew.json truth-team.json >s4.json &&
	python3 "$A" solve s4.json >r4.json &&
	python3 check.py leaks truthNew.json s4.json r4.json >out &&
	grep "d|Bravo|2025|" out
'

test_expect_success 'attack 4, this year against last release: whc refuses' '
	cp h.db a4.db &&
	whc --db a4.db breakdown stress --year 2025 --format json >old.json &&
	whc --db a4.db import -q --questionnaire h/hier-2025.json \
	    h/hier-2025-late.csv &&
	test_expect_code 1 whc --db a4.db breakdown stress --year 2025 \
	    --format json >new.json 2>err &&
	test_must_be_empty new.json &&
	grep "refused: this request counts the same people as release #1" err &&
	test_expect_code 1 whc --db a4.db breakdown stress --year 2025 \
	    --by service --format json 2>err &&
	grep "refused" err &&
	whc --db a4.db breakdown stress --year 2025 --internal >/dev/null
'

test_expect_success 'attack 4, one team against its release: its row is withheld' '
	cp h.db a4b.db &&
	whc --db a4b.db breakdown stress --year 2025 \
	    --where "team = '\''Bravo'\'' or team = '\''Alpha'\''" \
	    --format json >old.json &&
	whc --db a4b.db import -q --questionnaire h/hier-2025.json \
	    h/hier-2025-late.csv &&
	whc --db a4b.db breakdown stress --year 2025 --where "team = '\''Alpha'\''" \
	    --format json >alpha.json &&
	grep "\"suppressed\":null" alpha.json &&
	test_expect_code 1 whc --db a4b.db breakdown stress --year 2025 \
	    --where "team = '\''Bravo'\''" --format json 2>err &&
	grep refused err
'

test_expect_success 'no false alarm: a release, then a wider one of the same data' '
	cp h.db a5.db &&
	whc --db a5.db breakdown stress --year 2024 --format json >y24.json &&
	whc --db a5.db breakdown stress --year 2024-2025 --format json >y.json &&
	grep -q "\"ledger\":0" y.json &&
	whc --db a5.db breakdown stress --year 2024 --format json >again.json &&
	grep -q "\"ledger\":0" again.json &&
	whc --db a5.db releases --format json | grep -c "\"id\"" >n &&
	test "$(cat n)" = 3
'

test_expect_success 'a service after its teams were released: the service minus a team' '
	cp h.db a6.db &&
	whc --db a6.db breakdown stress --year 2024 --format json >teams.json &&
	whc --db a6.db breakdown stress --year 2024 --by service \
	    --format json >svc.json &&
	python3 - svc.json <<-\EOF &&
	import json, sys
	t = json.load(open(sys.argv[1]))
	# Permanence 2024 is Charlie and Delta (3 people); Charlie was shown.
	p = [r for r in t["rows"] if r["group"] == "Permanence"][0]
	assert p["suppressed"] == "ledger", p
	assert p["withheld_because"] == "release #1", p
	EOF
	python3 "$A" raw team "" 2024 0 h/hier-2024.csv >truth24.json &&
	python3 - teams.json svc.json truth24.json >s6.json <<-\EOF &&
	import json, sys
	# Permanence = Charlie + Delta: the attacker links them.
	links = []
	for c in ["never", "rarely", "occasionally", "often", "n"]:
	    links.append({"a": [1, "Permanence", 2024, c],
	                  "b": [0, "Charlie", 2024, c], "diff": "delta|" + c})
	truth = {r["group"]: r for r in json.load(open(sys.argv[3]))["rows"]}
	d = truth["Delta"]
	tv = {c["level"]: c["count"] for c in d["cells"]}
	tv["n"] = d["n"]
	json.dump({"tables": sys.argv[1:3], "k": 5, "links": links,
	           "targets": ["delta|" + c for c in tv],
	           "truth": {"delta|" + c: v for c, v in tv.items()}}, sys.stdout)
	EOF
	python3 "$A" solve s6.json >r6.json &&
	python3 check.py safe truth24.json s6.json r6.json
'

test_expect_success 'one number, two thresholds: the second is refused, and why' '
	cp h.db th.db &&
	whc --db th.db breakdown caseload --year 2025 --above 20 \
	    --format json >/dev/null &&
	test_expect_code 1 whc --db th.db breakdown caseload --year 2025 \
	    --above 15 --format json >out 2>err &&
	test_must_be_empty out &&
	grep "refused: this request and release #1 (.*) count the same number of people (in 2025) but select or divide them differently, so the two could be subtracted to describe fewer than 5 of them" err
'

test_done
