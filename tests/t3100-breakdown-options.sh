#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc breakdown's options on a small survey with a team hierarchy
# (tests/hier-gen.py): several dimensions with margins, --where, --group,
# number items with --above, --rollup, tests with their family, headcount
# intervals, HTML and CSV escaping, per-item k, the release ledger's
# bookkeeping and the column cache's freshness.  Counts are checked
# against an independent count of the CSV files.
. "$(dirname "$0")/lib.sh"
test_description 'whc breakdown options'

test_expect_success 'setup: import the hierarchy survey' '
	python3 "$SRC/tests/hier-gen.py" h --late 2 &&
	for y in 2024 2025; do
		whc --db h.db import -q --questionnaire h/hier-$y.json \
		    h/hier-$y.csv || return 1
	done &&
	printf "[disclosure]\nk = 1\n" >k1.conf
'

# count.py CSV... : an independent count, as JSON on stdout:
# {"year|dim=value|...": {"n":..,"never":..,...}} for the breakdown asked
# by the arguments KEY=DIMS, WHERE=python-expression.
cat >count.py <<'PY'
import csv, json, sys, statistics
dims = sys.argv[1].split(",") if sys.argv[1] else []
where = sys.argv[2]
item = sys.argv[3]
col = {"team": "Team", "service": "Service", "directorate": "Directorate",
       "role": "Role", "grade": "Grade"}
icol = {"stress": "Stress", "caseload": "Cases", "intend_to_leave": "Leave"}[item]
out = {}
for path in sys.argv[4:]:
    year = path.split("-")[-1].split(".")[0]
    if year == "late":
        year = "2025"
    for r in csv.DictReader(open(path)):
        env = {k: r[v] for k, v in col.items()}
        env["grade"] = int(r["Grade"])
        env["year"] = int(year)
        if where and not eval(where, {}, env):
            continue
        for mask in range(1 << len(dims)):
            key = year + "".join("|%s=%s" % (d, r[col[d]] if mask >> i & 1 else "*")
                                 for i, d in enumerate(dims))
            c = out.setdefault(key, {"n": 0, "blank": 0, "vals": []})
            a = r[icol]
            if a == "":
                c["blank"] += 1
                continue
            c["n"] += 1
            if item == "caseload":
                c["vals"].append(int(a))
                k = "above" if int(a) > 20 else "at_or_below"
                c[k] = c.get(k, 0) + 1
            else:
                c[a.lower()] = c.get(a.lower(), 0) + 1
for c in out.values():
    v = c.pop("vals")
    if v:
        c["mean"] = round(sum(v) / len(v), 2)
        c["median"] = statistics.median(v)
        c["min"] = min(v)
        c["max"] = max(v)
json.dump(out, sys.stdout, sort_keys=True)
PY

# agree.py TABLE.json COUNT.json: every shown value equals the count.
cat >agree.py <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
dims = [d["key"] for d in t["by"]["dimensions"]]
seen = 0
for r in t["rows"]:
    key = str(r["year"]) + "".join("|%s=%s" % (d, r["values"][d] if r["values"][d] is not None else "*") for d in dims)
    w = want.pop(key)
    if r["suppressed"]:
        continue
    assert r["n"] == w["n"] and r["blank"] == w["blank"], (key, r, w)
    for c in r["cells"]:
        if c["count"] is not None:
            assert c["count"] == w.get(c["level"], 0), (key, c, w)
            seen += 1
    if "stats" in r and r["stats"]:
        s = r["stats"]
        assert abs(s["mean"] - w["mean"]) < 0.006, (key, s, w)
        assert s["median"] == w["median"], (key, s, w)
        if s["min"] is not None:
            assert s["min"] == w["min"] and s["max"] == w["max"], (key, s, w)
        seen += 1
assert not want, "rows missing from whc: %s" % sorted(want)[:5]
print("agree", seen)
PY

# sums.py TABLE.json: the table's relations hold for every shown value:
# a margin or total is the sum of its parts.
cat >sums.py <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
dims = [d["key"] for d in t["by"]["dimensions"]]
rows = {}
for r in t["rows"]:
    rows[(r["year"], tuple(r["values"][d] for d in dims))] = r
checked = 0
for (y, vals), r in rows.items():
    for i, v in enumerate(vals):
        if v is not None:
            continue
        parts = [p for (py, pv), p in rows.items() if py == y and
                 all((pv[j] == vals[j]) for j in range(len(dims)) if j != i)
                 and pv[i] is not None]
        if r["suppressed"] or any(p["suppressed"] for p in parts):
            continue
        assert r["n"] == sum(p["n"] for p in parts), (y, vals)
        checked += 1
print("sums", checked)
PY

test_expect_success 'two dimensions: groups and margins agree with a count' '
	whc --config k1.conf --db h.db breakdown stress --by team,role \
	    --internal --format json >t.json &&
	python3 count.py team,role "" stress h/hier-2024.csv h/hier-2025.csv >c.json &&
	python3 agree.py t.json c.json >out && grep "^agree [1-9]" out &&
	python3 sums.py t.json >out && grep "^sums [1-9]" out
'

test_expect_success 'three dimensions at most' '
	test_expect_code 1 whc --db h.db breakdown stress \
	    --by team,role,grade,service --internal 2>err &&
	grep "at most 3" err &&
	whc --config k1.conf --db h.db breakdown stress --by team,role,grade \
	    --year 2025 --internal --format json >t3.json &&
	python3 sums.py t3.json >out && grep "^sums [1-9]" out
'

test_expect_success '--where agrees with the same filter counted apart' '
	whc --config k1.conf --db h.db breakdown stress --by team \
	    --where "role = '\''Social Worker'\'' and grade >= 3" \
	    --internal --format json >w.json &&
	python3 count.py team "role == \"Social Worker\" and grade >= 3" \
	    stress h/hier-2024.csv h/hier-2025.csv >c.json &&
	python3 agree.py w.json c.json >out && grep "^agree [1-9]" out &&
	grep "\"population\":\"responses to .stress. in 2024-2025 where role" w.json
'

test_expect_success '--where errors are located, with a caret' '
	test_expect_code 1 whc --db h.db breakdown stress \
	    --where "role = '\''Social Worker'\'' and grade >=" 2>err &&
	cat >expect <<-\EOF &&
	whc: --where:1:36: error: expected a value ('\''text'\'' or a number) but the filter ends here
	    role = '\''Social Worker'\'' and grade >=
	                                       ^
	EOF
	test_cmp expect err &&
	test_expect_code 1 whc --db h.db breakdown stress \
	    --where "rolle = 1" 2>err &&
	grep "^whc: --where:1:1: error: no field .rolle." err
'

test_expect_success 'a filter nobody passes is an error, not an empty table' '
	test_expect_code 1 whc --db h.db breakdown stress --where "grade > 100" \
	    --internal >out 2>err &&
	test_must_be_empty out &&
	grep "no responses to .stress. where .grade > 100. match" err
'

test_expect_success '--by year: the totals alone' '
	whc --db h.db breakdown stress --by year --internal --format json >y.json &&
	python3 - y.json <<-\EOF
	import json, sys
	t = json.load(open(sys.argv[1]))
	assert [r["kind"] for r in t["rows"]] == ["total", "total"], t["rows"]
	assert t["by"]["dimensions"] == []
	EOF
'

test_expect_success '--group merges levels into one category' '
	whc --config k1.conf --db h.db breakdown stress --by service \
	    --group never,rarely,occasionally --internal --format json >g.json &&
	whc --config k1.conf --db h.db breakdown stress --by service \
	    --internal --format json >u.json &&
	python3 - g.json u.json <<-\EOF
	import json, sys
	g = json.load(open(sys.argv[1])); u = json.load(open(sys.argv[2]))
	assert [l["key"] for l in g["levels"]] == ["never+rarely+occasionally", "often"]
	assert g["levels"][0]["label"] == "Never, Rarely or Occasionally"
	for a, b in zip(g["rows"], u["rows"]):
	    assert a["group"] == b["group"] and a["year"] == b["year"]
	    if a["suppressed"] or b["suppressed"]:
	        continue
	    s = [c["count"] for c in b["cells"]]
	    if a["cells"][0]["count"] is not None and None not in s[:3]:
	        assert a["cells"][0]["count"] == sum(s[:3]), (a, b)
	    assert abs(sum(c["pct"] or 0 for c in a["cells"]) - 100) < 0.11 or \
	        None in [c["count"] for c in a["cells"]]
	EOF
'

test_expect_success '--group with an unknown level is refused' '
	test_expect_code 1 whc --db h.db breakdown stress --group never,sometimes \
	    --internal 2>err &&
	grep "no level .sometimes." err
'

test_expect_success 'a number item: n, mean, median, min, max and the share above' '
	whc --config k1.conf --db h.db breakdown caseload --by team --above 20 \
	    --internal --format json >n.json &&
	python3 count.py team "" caseload h/hier-2024.csv h/hier-2025.csv >c.json &&
	python3 agree.py n.json c.json >out && grep "^agree [1-9]" out &&
	python3 - n.json <<-\EOF
	import json, sys
	t = json.load(open(sys.argv[1]))
	assert t["item"]["kind"] == "number" and t["above"] == 20
	assert [l["key"] for l in t["levels"]] == ["at_or_below", "above"]
	for r in t["rows"]:
	    cells = [c["count"] for c in r["cells"]]
	    if not r["suppressed"] and None not in cells:
	        assert sum(cells) == r["n"]
	EOF
'

test_expect_success 'means and medians are withheld with their row' '
	whc --db h.db breakdown caseload --by team --year 2025 --internal \
	    --format json >n5.json &&
	python3 - n5.json <<-\EOF
	import json, sys
	t = json.load(open(sys.argv[1]))
	delta = [r for r in t["rows"] if r["group"] == "Delta"][0]
	assert delta["suppressed"] == "primary" and delta["stats"] is None, delta
	for r in t["rows"]:
	    assert (r["stats"] is None) == (r["suppressed"] is not None), r
	EOF
'

test_expect_success '--above on a scale item, --group on a number: refused' '
	test_expect_code 1 whc --db h.db breakdown stress --above 3 2>err &&
	grep "number items" err &&
	test_expect_code 1 whc --db h.db breakdown caseload --group a,b 2>err &&
	grep "scale items" err
'

test_expect_success '--rollup: services and directorates from the responses' '
	whc --config k1.conf --db h.db breakdown stress --rollup --year 2025 \
	    --internal --format json >r.json &&
	python3 - r.json <<-\EOF
	import json, sys
	t = json.load(open(sys.argv[1]))
	rows = t["rows"]
	kinds = [r["kind"] for r in rows]
	assert kinds.count("directorate") == 2 and kinds[-1] == "total", kinds
	# Bravo sits under Permanence in 2025; Echo under two services.
	bravo = [r for r in rows if r["group"] == "Bravo"]
	assert [r["parent"] for r in bravo] == ["Permanence"], bravo
	echo = [r for r in rows if r["group"] == "Echo"]
	assert sorted(r["parent"] for r in echo) == ["Family Help", "Safeguarding"]
	# Each parent is the sum of the rows under it, and the tree is in order.
	def n(label, kind):
	    return sum(r["n"] for r in rows if r["group"] == label and r["kind"] == kind)
	for svc in ("Permanence", "Family Help"):
	    parts = [r["n"] for r in rows if r["kind"] == "group" and r["parent"] == svc]
	    assert n(svc, "service") == sum(parts), svc
	dirs = [r for r in rows if r["kind"] == "directorate"]
	assert sum(r["n"] for r in dirs) == rows[-1]["n"]
	assert kinds[0] == "directorate" and kinds[1] == "service"
	EOF
'

test_expect_success '--rollup needs the hierarchy in the definitions' '
	whc-gen demo --out d >/dev/null 2>&1 &&
	python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
del d[\"team_map\"]
json.dump(d, open(\"flat-2019.json\", \"w\"))" \
	    "$SRC/questionnaires/defs/whc-2019.json" &&
	whc --db d.db import -q --questionnaire flat-2019.json \
	    d/whc-2019.csv &&
	test_expect_code 1 whc --db d.db breakdown stress --rollup 2>err &&
	grep "no .service. dimension" err &&
	test_expect_code 1 whc --db h.db breakdown stress --rollup --by role 2>err &&
	grep "rollup works with --by team or --by service" err
'

test_expect_success 'year-on-year tests: family, adjustment and not tested' '
	whc --db h.db breakdown stress --by service --change --chisq \
	    --internal --format json >y.json &&
	python3 - y.json <<-\EOF
	import json, sys, math
	t = json.load(open(sys.argv[1]))
	T = t["tests"]
	ran = [c for c in T["changes"] + T["chisq"] if c["result"] != "not tested"]
	assert T["family"] == len(ran) and T["adjust"] == "holm", T
	why = {c["why_not"] for c in T["changes"] if c["result"] == "not tested"}
	assert why <= {"a value is withheld", "too few answers to test"}, why
	assert None not in why and why, why
	rows = {(r["group"], r["year"]): r for r in t["rows"]}
	for c in T["changes"]:
	    if c["result"] == "not tested":
	        assert c["diff"] is None and c["p"] is None
	        continue
	    a, b = rows[(c["group"], c["from"])], rows[(c["group"], c["to"])]
	    i = [l["key"] for l in t["levels"]].index(c["level"])
	    x1, n1 = a["cells"][i]["count"], a["n"]
	    x2, n2 = b["cells"][i]["count"], b["n"]
	    assert min(n1, n2) >= 30
	    p = (x1 + x2) / (n1 + n2)
	    z = (x2 / n2 - x1 / n1) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
	    assert abs(z - c["z"]) < 0.001, (z, c)
	    assert abs(c["p"] - math.erfc(abs(z) / math.sqrt(2))) < 1e-4
	    assert c["p_adj"] >= c["p"]
	EOF
'

test_expect_success '--adjust bh and --level 90 are stated' '
	whc --db h.db breakdown stress --by directorate --change --adjust bh \
	    --level 90 --internal >y.md &&
	grep "Benjamini-Hochberg-adjusted over a family of" y.md &&
	grep "90% Wilson score intervals" y.md &&
	test_expect_code 2 whc --db h.db breakdown stress --adjust bonferroni
'

test_expect_success '--headcount: the finite-population correction' '
	printf "Team,Year,Headcount\nAlpha,2025,32\nCharlie,2025,30\n" >hc.csv &&
	whc --db h.db breakdown stress --year 2025 --headcount hc.csv \
	    --internal --format json >f.json &&
	python3 - f.json <<-\EOF
	import json, sys, math
	t = json.load(open(sys.argv[1]))
	assert t["interval"]["fpc"] and t["interval"]["headcounts"] == "hc.csv"
	z = 1.959963984540054
	for r in t["rows"]:
	    if r["group"] != "Alpha":
	        assert r["headcount"] is None or r["group"] == "Charlie"
	        continue
	    N, n = r["headcount"], r["n"]
	    assert N == 32
	    f = (N - n) / (N - 1)
	    for c in r["cells"]:
	        if c["count"] is None:
	            continue
	        ne, x = n / f, c["count"] / f
	        p = x / ne
	        d = 1 + z * z / ne
	        ctr = (p + z * z / (2 * ne)) / d
	        h = z * math.sqrt(p * (1 - p) / ne + z * z / (4 * ne * ne)) / d
	        assert abs(c["lo"] - round(100 * (ctr - h), 1)) < 0.051, c
	        assert abs(c["hi"] - round(100 * (ctr + h), 1)) < 0.051, c
	EOF
'

test_expect_success '--headcount: a bad file is reported with its line' '
	printf "team,year,headcount\nAlpha,2025,lots\n" >bad.csv &&
	test_expect_code 1 whc --db h.db breakdown stress --headcount bad.csv \
	    --internal 2>err &&
	grep "bad.csv:2: the year and the headcount must be whole numbers" err &&
	printf "team,headcount\n" >bad2.csv &&
	test_expect_code 1 whc --db h.db breakdown stress --headcount bad2.csv \
	    --internal 2>err &&
	grep "no .year. column" err
'

test_expect_success 'HTML is escaped and well formed' '
	whc --config k1.conf --db h.db breakdown stress --year 2025 \
	    --format html --internal >t.html &&
	! grep "<b>Golf" t.html &&
	grep "&lt;b&gt;Golf&lt;/b&gt; &amp; Co" t.html &&
	python3 - t.html <<-\EOF
	import sys
	from html.parser import HTMLParser
	class P(HTMLParser):
	    stack = []
	    def handle_starttag(self, tag, a):
	        self.stack.append(tag)
	    def handle_endtag(self, tag):
	        assert self.stack.pop() == tag, tag
	p = P(); p.feed(open(sys.argv[1]).read()); assert not p.stack, p.stack
	EOF
'

test_expect_success 'CSV neutralises formulas and states its notes' '
	whc --config k1.conf --db h.db breakdown stress --year 2025 \
	    --format csv --internal >t.csv &&
	grep "^\"'\''=HYPERLINK(1)\",2025," t.csv &&
	grep "^note,question,How often do you feel stressed at work?" t.csv &&
	grep "^note,k,1" t.csv &&
	grep "^note,text,Intervals: 95% Wilson" t.csv &&
	python3 -c "import csv,sys; r=list(csv.reader(open(\"t.csv\"))); w={len(x) for x in r if x}; assert len(w)==1, w"
'

test_expect_success 'per-item k from the config, raised by --k only' '
	printf "[disclosure]\nk = 5\nk.intend_to_leave = 10\n" >k.conf &&
	whc --config k.conf --db h.db breakdown intend_to_leave --internal \
	    --format json >i.json &&
	grep "\"k\":10," i.json &&
	test_expect_code 1 whc --config k.conf --db h.db breakdown \
	    intend_to_leave --k 6 2>err &&
	grep "for this item is 10" err &&
	whc --config k.conf --db h.db breakdown stress --internal \
	    --format json | grep "\"k\":5,"
'

test_expect_success 'a release is recorded with its note; --internal is not' '
	cp h.db l.db &&
	whc --db l.db releases >r0 &&
	grep "No table has been released" r0 &&
	whc --db l.db breakdown stress --by service --note "Scrutiny panel, 3 May" >/dev/null &&
	whc --db l.db breakdown stress --by team --internal >/dev/null &&
	whc --db l.db releases --format json >r.json &&
	python3 - r.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))["releases"]
	assert len(r) == 1, r
	r = r[0]
	assert r["note"] == "Scrutiny panel, 3 May" and r["item"] == "stress"
	assert r["command"].startswith("whc breakdown") and "--by service" in r["command"]
	assert r["shown"] > 0 and r["withheld"] >= 0 and r["k"] == 5
	EOF
	whc --db l.db releases --format csv | head -1 | grep "^id,at,command,note" &&
	test_expect_code 2 whc --db l.db breakdown stress --internal --note x
'

test_expect_success 'the column cache follows every change to the responses' '
	cp h.db c.db &&
	whc --config k1.conf --db c.db breakdown stress --by team --year 2025 \
	    --internal --format csv >before.csv &&
	whc --db c.db import -q --questionnaire h/hier-2025.json \
	    h/hier-2025-late.csv &&
	whc --config k1.conf --db c.db breakdown stress --by team --year 2025 \
	    --internal --format csv >after.csv &&
	grep "^Bravo,2025,24," before.csv && grep "^Bravo,2025,26," after.csv &&
	sqlite3 c.db "UPDATE response SET norm = norm WHERE rid = \"late-000\"" &&
	sqlite3 c.db "SELECT gen FROM store_gen" >gen && test "$(cat gen)" = 1 &&
	sqlite3 c.db "DELETE FROM response WHERE rid LIKE \"late-%\"" &&
	whc --config k1.conf --db c.db breakdown stress --by team --year 2025 \
	    --internal --format csv >again.csv &&
	test_cmp before.csv again.csv
'

test_expect_success 'a read-only store with a stale cache gives the same table' '
	cp h.db ro.db &&
	sqlite3 ro.db "DELETE FROM colcache_stamp" &&
	chmod a-w ro.db &&
	whc --config k1.conf --db ro.db report --item stress --out ro-out \
	    >/dev/null &&
	chmod u+w ro.db &&
	test "$(sqlite3 ro.db "SELECT count(*) FROM colcache_stamp")" = 0 &&
	whc --config k1.conf --db h.db breakdown stress --by team \
	    --internal --change --format csv |
	    grep -v "^note,text,INTERNAL" >rw.csv &&
	test_cmp rw.csv ro-out/stress-by-team-table.csv
'

test_done
