#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that no output of whc publishes a cell under k (t5400).

    check-k.py K FILE...        every rule below over every FILE; prints
                                each breach as "FILE: where: what" and
                                exits 1 if there is one, else prints
                                "ok: N files, M published values checked"
    check-k.py agree JSON...    the CSV and JSON forms of a breakdown
                                (NAME.csv beside each NAME.json) publish
                                the same counts and n, and withhold the
                                same ones
    check-k.py attack K JSON... tests/attack.py's exact elimination over
                                each table's row and column sums: no
                                withheld value under k can be worked
                                out, no withheld values add up to less
                                than k beside a shown total

The rules (README, "Disclosure control"; docs reporting.md 2.4):

- A published count of answers (a level's, or one of --above's two cells)
  is at least k.  A published 0 is a breach too: zero counts are withheld
  like any other under k ("nobody in this team is ever stressed" is a
  statement about every member).
- A published n (valid answers) or responses count is at least k.
- A percentage, interval or change is published only beside its count
  (itself at least k) in a row whose n is at least k; a mean, median,
  quartile, min or max only in a row whose n is at least k.
- Exempt, as the README says: blank and unrecognised counts (they say
  nothing about the answer and are shown with every shown row); a
  withheld value is 'c', 'L', empty (chart CSV) or null (JSON).
- Charts: every "n=N" they print is at least k, and every value plotted
  (the datablocks of the gnuplot trace, what the charts are drawn from)
  rests on a group of at least k and, for a share, on at least k people:
  share x n / 100 >= k (half a person allowed for the rounding of the
  printed share).
- Any other text (index.html, logs, quality): every "n=N" or "n = N" is
  at least k.

The file kind is found from its content: breakdown JSON ("whc":
"breakdown"), quality JSON, breakdown CSV (a "suppressed" column), the
pack's chart CSV ("group,year,measure,..."), Markdown and HTML breakdowns
(tables of the scorer), SVG, a gnuplot trace (--trace), anything else as
text.
"""
import csv
import html.parser
import io
import json
import re
import sys

WITHHELD = ("c", "L")


class Checker:
    def __init__(self, k):
        self.k = k
        self.bad = []
        self.values = 0

    def fail(self, path, where, what):
        self.bad.append("%s: %s: %s" % (path, where, what))

    def count(self, path, where, v, what="count"):
        """A published count: at least k."""
        self.values += 1
        if v < self.k:
            self.fail(path, where, "%s %s under k=%d" % (what, v, self.k))

    def share(self, path, where, pct, n):
        """A published share of n: at least k people behind it."""
        self.values += 1
        if n is None or n < self.k:
            self.fail(path, where, "share %s of a group of n=%s" % (pct, n))
        elif pct > 0 and pct * n / 100.0 < self.k - 0.5:
            self.fail(path, where, "share %s%% of n=%d is %.1f people" %
                      (pct, n, pct * n / 100.0))
        elif pct == 0:
            self.fail(path, where, "a share of 0 (a zero count) of n=%d" % n)

    def nlabels(self, path, text):
        """Every "n=N" (or "n = N") in text: at least k."""
        for m in re.finditer(r"(?<![A-Za-z_])n ?= ?([0-9]+)\b", text):
            self.count(path, "n label %r" % m.group(0), int(m.group(1)), "n")


def num(s):
    """A table cell's leading number, or None when withheld or empty."""
    s = s.strip().strip("*")
    if s in WITHHELD or s == "" or s == "—":
        return None
    m = re.match(r"-?[0-9.]+", s)
    if not m:
        raise ValueError("not a number: %r" % s)
    return float(m.group(0))


def check_bd_json(ck, path, d):
    levels = [l["key"] for l in d.get("levels") or []]
    for r in d["rows"]:
        where = "%s %s" % (r["group"], r["year"])
        n = r["n"]
        if n is not None:
            ck.count(path, where, n, "n")
        if r.get("responses") is not None:
            ck.count(path, where, r["responses"], "responses")
        for i, c in enumerate(r.get("cells") or []):
            lw = "%s %s" % (where, c.get("level", i))
            if c["count"] is not None:
                ck.count(path, lw, c["count"])
            for f in ("pct", "lo", "hi"):
                if c.get(f) is not None and (c["count"] is None or
                                             n is None):
                    ck.fail(path, lw, "%s %s published without its count "
                            "or n" % (f, c[f]))
            if c.get("pct") is not None:
                ck.share(path, lw, c["pct"], n)
        st = r.get("stats")
        if st:
            for f, v in st.items():
                if v is not None:
                    ck.values += 1
                    if n is None or n < ck.k:
                        ck.fail(path, where, "%s %s of n=%s" % (f, v, n))
    rows = {(r["group"], r["year"]): r for r in d["rows"]}
    for ch in ((d.get("tests") or {}).get("changes") or []):
        if ch.get("diff") is None:
            continue
        for y in (ch["from"], ch["to"]):
            r = rows.get((ch["group"], y))
            if r is None:
                continue
            i = levels.index(ch["level"]) if ch["level"] in levels else None
            c = r["cells"][i]["count"] if i is not None else None
            if r["n"] is None or c is None:
                ck.fail(path, "change %s %s" % (ch["group"], ch["level"]),
                        "a change %s from a withheld value in %d" %
                        (ch["diff"], y))


def check_quality_json(ck, path, d):
    # The ledger counts per year, batch and field (valid, blank, odd): no
    # answer's level and no group is broken down, so no cell of a
    # breakdown can be in it.  Its fields must stay those.
    known = {"field", "valid", "blank", "unrecognised", "not_a_number",
             "out_of_range", "unknown_team", "ambiguous_team"}
    for y in d["years"]:
        for f in y["fields"]:
            extra = set(f) - known
            if extra:
                ck.fail(path, "%s %s" % (y["year"], f["field"]),
                        "unexpected counts %s" % sorted(extra))
            ck.values += 1


def check_bd_csv(ck, path, text):
    recs = list(csv.reader(io.StringIO(text)))
    head = recs[0]
    col = {h: i for i, h in enumerate(head)}
    stats = [s for s in ("mean", "median", "q1", "q3", "min", "max")
             if s in col]
    cats = [h[:-6] for h in head if h.endswith("_count")]
    for ln, r in enumerate(recs[1:], 2):
        if not r or r[0] == "note" or r == [""] * len(r):
            break
        where = "line %d" % ln
        n = num(r[col["n"]])
        if n is not None:
            ck.count(path, where, n, "n")
        v = num(r[col["responses"]])
        if v is not None:
            ck.count(path, where, v, "responses")
        for c in cats:
            cw = "%s %s" % (where, c)
            cnt = num(r[col[c + "_count"]])
            if cnt is not None:
                ck.count(path, cw, cnt)
            for f in ("_pct", "_lo", "_hi", "_change", "_change_lo",
                      "_change_hi", "_change_p_adj"):
                if c + f not in col:
                    continue
                v = num(r[col[c + f]])
                if v is not None and (cnt is None or n is None):
                    ck.fail(path, cw, "%s %s published without its count "
                            "or n" % (f[1:], v))
            p = num(r[col[c + "_pct"]])
            if p is not None:
                ck.share(path, cw, p, n)
        for s in stats:
            v = num(r[col[s]])
            if v is not None:
                ck.values += 1
                if n is None or n < ck.k:
                    ck.fail(path, where, "%s %s of n=%s" % (s, v, n))


def check_chart_csv(ck, path, text):
    for ln, r in enumerate(csv.DictReader(io.StringIO(text)), 2):
        where = "line %d %s %s %s" % (ln, r["group"], r["year"], r["measure"])
        n = int(r["n"]) if r["n"] else None
        if n is not None:
            ck.count(path, where, n, "n")
        if r["value"] == "":
            continue
        v = float(r["value"])
        if r["measure"] in ("mean", "median"):
            ck.values += 1
            if n is None or n < ck.k:
                ck.fail(path, where, "%s %s of n=%s" % (r["measure"], v, n))
        else:
            ck.share(path, where, v, n)


def md_tables(text):
    """Yields (header cells, [row cells]) of each Markdown table."""
    head, rows = None, []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if head is None:
                head = cells
            elif not set("".join(cells)) <= set("-:"):
                rows.append(cells)
        elif head is not None:
            yield head, rows
            head, rows = None, []


class HTMLTables(html.parser.HTMLParser):
    """Collects the tables of class whc-table, and the text outside."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = []
        self.text = []
        self.cur = None
        self.row = None
        self.cell = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.depth += 1
            if "whc-table" in (a.get("class") or "").split():
                self.cur = []
        elif self.cur is not None and tag == "tr":
            self.row = []
        elif self.row is not None and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1
            if self.cur is not None:
                self.tables.append((self.cur[0], self.cur[1:]))
                self.cur = None
        elif tag == "tr" and self.row is not None:
            self.cur.append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.text.append(data)


def check_table(ck, path, head, rows):
    """A Markdown or HTML breakdown table: levels are the columns between
    Year and n (or the --above cells); "12 (34.3% [..])" or c or L."""
    if "n" not in head or "Year" not in head:
        return
    iy, i_n = head.index("Year"), head.index("n")
    stats = [i for i, h in enumerate(head)
             if h in ("Mean", "Median", "Quartiles", "Q1", "Q3", "Min",
                     "Max")]
    for ri, r in enumerate(rows, 1):
        where = "row %d (%s %s)" % (ri, r[0], r[iy])
        n = num(r[i_n])
        if n is not None:
            ck.count(path, where, n, "n")
        for i in range(iy + 1, i_n):
            if head[i] in ("Responses",) or i in stats:
                continue
            v = num(r[i])
            if v is None:
                continue
            ck.count(path, "%s %s" % (where, head[i]), v)
            m = re.search(r"\(([0-9.]+)%", r[i])
            if m:
                ck.share(path, "%s %s" % (where, head[i]), float(m.group(1)),
                         n)
        for i in stats:
            if num(r[i]) is not None:
                ck.values += 1
                if n is None or n < ck.k:
                    ck.fail(path, where, "%s %s of n=%s" %
                            (head[i], r[i], n))


def check_trace(ck, path, text):
    """Each chart script of a --trace file: its n labels, and the numbers
    of its datablocks ($D of stacked, years, mean and median charts; $S
    of trend and panel charts, checked against the chart's CSV)."""
    for si, s in enumerate(text.split("reset session\n")):
        m = re.search(r"^\$WHC_OUT << EOD\n(.*)\n", s, re.M)
        if not m:
            continue
        name = m.group(1)
        where = "chart %d (%s)" % (si, name)
        ck.nlabels(path + " " + where, s)
        nat = {}
        for m in re.finditer(r'set label "n=([0-9]+)" at \w+ [0-9.]+, '
                             r'first (-?[0-9.]+)', s):
            nat[float(m.group(2))] = int(m.group(1))
        blocks = dict(re.findall(r"^\$([DS]) << EOD\n(.*?)^EOD\n", s,
                                 re.M | re.S))
        stacked = "bar(k)" in s
        share = not re.search(r"-(mean|median)[-.]", name)
        for line in blocks.get("D", "").splitlines():
            f = line.split()
            y, status = float(f[0]), int(f[1])
            lw = "%s y=%s" % (where, f[0])
            if status != 1:
                continue
            if stacked:
                n = nat.get(y)
                vals = [float(x) for x in f[2:]]
                for j in range(0, len(vals), 2):
                    w = vals[j + 1] - vals[j]
                    if w > 0.00005:
                        ck.share(path, "%s segment %d" % (lw, j // 2 + 1),
                                 round(w, 4), n)
                continue
            n = int(f[6])
            if share:
                ck.share(path, lw, float(f[3]), n)
            else:
                ck.values += 1
                if n < ck.k:
                    ck.fail(path, lw, "%s of n=%d" % (f[3], n))
        for line in blocks.get("S", "").splitlines():
            f = line.split()
            if len(f) < 5 or f[1] == "NaN":
                continue
            ck.values += 1
            ok = getattr(ck, "published", None)
            if ok is not None and round(float(f[1]), 2) not in ok:
                ck.fail(path, "%s year %s" % (where, f[0]),
                        "plotted %s is no published value of a group of "
                        "at least k" % f[1])


def published_shares(ck, files):
    """The values the chart CSVs publish for groups of at least k."""
    out = set()
    for path in files:
        if not path.endswith(".csv"):
            continue
        text = open(path, encoding="utf-8").read()
        if not text.startswith("group,year,measure,"):
            continue
        for r in csv.DictReader(io.StringIO(text)):
            if r["value"] and r["n"] and int(r["n"]) >= ck.k:
                v = float(r["value"])
                if r["measure"] in ("mean", "median") or \
                        v * int(r["n"]) / 100.0 >= ck.k - 0.5:
                    out.add(round(v, 2))
    return out


def check_file(ck, path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8", "replace")
    if path.endswith(".json") or text.startswith("{"):
        d = json.loads(text)
        if d.get("whc") == "breakdown":
            return check_bd_json(ck, path, d)
        if d.get("whc") == "quality":
            return check_quality_json(ck, path, d)
    if text.startswith("group,year,measure,"):
        return check_chart_csv(ck, path, text)
    first = text.split("\n", 1)[0]
    if path.endswith(".csv") and ",suppressed" in first:
        return check_bd_csv(ck, path, text)
    if "reset session\n" in text and "$WHC_OUT << EOD" in text:
        return check_trace(ck, path, text)
    if path.endswith((".html", ".htm")) or "<table" in text:
        p = HTMLTables()
        p.feed(text)
        for head, rows in p.tables:
            check_table(ck, path, head, rows)
        ck.nlabels(path, " ".join(p.text))
        return None
    for head, rows in md_tables(text):
        check_table(ck, path, head, rows)
    ck.nlabels(path, re.sub(r"\|[^\n]*\|", "", text))
    return None


def agree(csv_path, json_path):
    """The CSV and JSON forms publish the same counts and n."""
    d = json.load(open(json_path))
    recs = list(csv.reader(open(csv_path, encoding="utf-8")))
    col = {h: i for i, h in enumerate(recs[0])}
    levels = [l["key"] for l in d.get("levels") or []]
    bad = []
    rows = []
    for r in recs[1:]:
        if not r or r[0] == "note":
            break
        rows.append(r)
    if len(rows) != len(d["rows"]):
        bad.append("%d rows in CSV, %d in JSON" % (len(rows), len(d["rows"])))
    for cr, jr in zip(rows, d["rows"]):
        pairs = [("n", jr["n"])] + [
            (lv + "_count", c["count"])
            for lv, c in zip(levels, jr.get("cells") or [])]
        for name, jv in pairs:
            cv = num(cr[col[name]])
            if (cv is None) != (jv is None) or (cv is not None and
                                                cv != jv):
                bad.append("%s %s %s: CSV %r, JSON %r" %
                           (jr["group"], jr["year"], name, cr[col[name]], jv))
    for b in bad:
        print("%s / %s: %s" % (csv_path, json_path, b))
    return 1 if bad else 0


def attack(k, paths):
    """tests/attack.py on each breakdown JSON with categories: no value
    under k is recovered, and no withheld values sum to less than k."""
    import contextlib
    import importlib.util
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        "attack", os.path.join(here, "attack.py"))
    atk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(atk)
    bad = 0
    tried = 0
    for path in paths:
        t = json.load(open(path))
        if not t.get("levels"):
            continue        # no cells: n is all a number table counts
        tried += 1
        targets = []
        for r in t["rows"]:
            g = r["group"] + ("@" + r["parent"] if r.get("parent") else "")
            for c in [l["key"] for l in t["levels"]] + ["n"]:
                targets.append("0|%s|%d|%s" % (g, r["year"], c))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            atk.cmd_solve({"tables": [path], "k": k, "targets": targets})
        out = out.getvalue()
        res = json.loads(out)
        small = {v: x for v, x in res["recovered"].items() if x < k}
        if small or res["sums"]:
            bad += 1
            print("%s: recovered by subtraction: %s; hidden sums under "
                  "k: %s" % (path, small, res["sums"]))
    if not bad:
        print("ok: %d tables attacked, nothing under k recovered" % tried)
    return 1 if bad or not tried else 0


def main():
    if sys.argv[1] == "agree":
        sys.exit(max(agree(j[:-5] + ".csv", j) for j in sys.argv[2:]))
    if sys.argv[1] == "attack":
        sys.exit(attack(int(sys.argv[2]), sys.argv[3:]))
    ck = Checker(int(sys.argv[1]))
    files = sys.argv[2:]
    ck.published = published_shares(ck, files)
    for path in files:
        try:
            check_file(ck, path)
        except (ValueError, KeyError, IndexError) as e:
            ck.fail(path, "parse", "%s: %s" % (type(e).__name__, e))
    for b in ck.bad:
        print(b)
    if ck.bad:
        print("%d breaches in %d files" % (len(ck.bad), len(files)))
        sys.exit(1)
    print("ok: %d files, %d published values checked" % (len(files),
                                                        ck.values))


if __name__ == "__main__":
    main()
