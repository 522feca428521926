#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Checks the words of every chart in a committee pack against the numbers
# the chart plots (its BASE.csv), independently of whc's own code:
#   - sentence 1: the overall value, its n and interval; the highest and
#     lowest group (each must really be the largest and smallest shown
#     value of that year, with its n);
#   - sentence 2: the change since the year before (the difference of the
#     two overall values; its interval recomputed from the two Wilson
#     intervals by Newcombe's method 10; "not significant" whenever that
#     interval holds 0; the verdict as in the item's table CSV), or the
#     earlier value of a number item;
#   - how many group values of the year are withheld, out of how many;
#   - the alt text: it holds the summary, and its count of withheld bars,
#     rows or values is that of the CSV.
# Usage: check-words.py PACK_DIR     prints one line per chart checked;
# exits 1 with every mismatch listed.
import csv
import html
import math
import os
import re
import sys

pack = sys.argv[1]
page = open(os.path.join(pack, "index.html"), encoding="utf-8").read()
errors = []
checked = 0

NUM = r"([+-]?[\d.]+)"


def fail(base, what):
    errors.append("%s: %s" % (base, what))


def near(a, b, tol):
    return abs(float(a) - float(b)) <= tol + 1e-9


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["year"] = int(r["year"])
        r["shown"] = r["value"] != ""
    return rows


def total(r):
    return r["group"].startswith("All ")


def table_changes(item_key):
    """(year, change, lo, hi, result) of the total rows of the table CSV."""
    path = os.path.join(pack, item_key + "-table.csv")
    out = []
    if not os.path.exists(path):
        return out
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    for r in rows[1:]:
        if not r or r[0] == "" or not r[0].startswith("All "):
            continue
        for i, h in enumerate(head):
            if h.endswith("_change") and r[i] not in ("", "c", "L"):
                out.append((int(r[1]), float(r[i]), r[i + 1], r[i + 2],
                            r[i + 4]))
    return out


def whole(base):
    """The rows of a chart and, if it is one part of several (BASE-1,
    BASE-2, ...), of all its parts (the summary speaks of all of them)."""
    own = read_csv(os.path.join(pack, base + ".csv"))
    m = re.match(r"(.*)-(\d+)$", base)
    if not m or not os.path.exists(os.path.join(pack, m.group(1) + "-1.csv")):
        return own, own
    rows, seen, i = [], set(), 1
    while os.path.exists(os.path.join(pack, "%s-%d.csv" % (m.group(1), i))):
        for r in read_csv(os.path.join(pack, "%s-%d.csv" % (m.group(1), i))):
            key = (r["group"], r["year"], r["measure"])
            if key not in seen:
                seen.add(key)
                rows.append(r)
        i += 1
    return rows, own


def check(base, alt, summary):
    rows, own = whole(base)
    m = re.match(r"In (\d{4}), (the share answering \u201c(.+?)\u201d|"
                 r"the (mean|median) answer) (was|overall is withheld)",
                 summary)
    if not m:
        return fail(base, "summary does not start as expected: " + summary)
    year = int(m.group(1))
    number = m.group(4) is not None
    measures = {m.group(4)} if number else {m.group(3),
                                           "% answering " + m.group(3)}
    pct = "" if number else "%"
    rnd = 0.05 if number else 0.5
    sel = [r for r in rows if r["measure"] in measures]
    trend = re.sub(r"-stacked(-\d+)?$", "-trend", base)
    if not sel and trend != base and \
            os.path.exists(os.path.join(pack, trend + ".csv")):
        # A stacked chart tells the grouped share its item's trend draws.
        rows = read_csv(os.path.join(pack, trend + ".csv"))
        sel = [r for r in rows if r["measure"] in measures]
    if not sel:
        return fail(base, "the CSV has no rows of %s" % measures)
    this = [r for r in sel if r["year"] == year]
    tot = [r for r in this if total(r)]
    # Groups of the year: a team that only exists in other years (merged,
    # renamed away) has a row saying so, and is no value of this year.
    groups = [r for r in this if not total(r) and
              not r["status"].startswith("not asked")]

    # Sentence 1.
    if m.group(5) == "was":
        m1 = re.search(r" was %s%s overall \(n = (\d+)(?:, 95%% interval "
                       r"%s%s to %s%s)?\)" % (NUM, pct, NUM, pct, NUM, pct),
                       summary)
        if not m1 or len(tot) != 1 or not tot[0]["shown"]:
            return fail(base, "overall value not found in summary or CSV")
        t = tot[0]
        if not near(m1.group(1), t["value"], rnd) or \
                m1.group(2) != t["n"]:
            fail(base, "overall %s (n %s) but the CSV has %s (n %s)" %
                 (m1.group(1), m1.group(2), t["value"], t["n"]))
        if m1.group(3) is not None and (
                not near(m1.group(3), t["low"], rnd) or
                not near(m1.group(4), t["high"], rnd)):
            fail(base, "overall interval %s to %s but the CSV has %s to %s"
                 % (m1.group(3), m1.group(4), t["low"], t["high"]))
    shown = [r for r in groups if r["shown"]]
    m2 = re.search(r"; by .+? it was highest for (.+?) \(%s%s, n = (\d+)\) "
                   r"and lowest for (.+?) \(%s%s, n = (\d+)\)\. " %
                   (NUM, pct, NUM, pct), summary)
    if len(shown) >= 2:
        if not m2:
            fail(base, "%d groups shown but no highest and lowest" %
                 len(shown))
        else:
            top = max(float(r["value"]) for r in shown)
            bottom = min(float(r["value"]) for r in shown)
            for name, v, n, want, word in (
                    (m2.group(1), m2.group(2), m2.group(3), top, "highest"),
                    (m2.group(4), m2.group(5), m2.group(6), bottom,
                     "lowest")):
                r = [x for x in shown if x["group"] == name]
                if not r or not near(r[0]["value"], want, 0.005):
                    fail(base, "%s is said to be %s, but the CSV's %s "
                         "value is %s" % (name, word, word, want))
                elif not near(v, r[0]["value"], rnd) or n != r[0]["n"]:
                    fail(base, "%s: %s (n %s) but the CSV has %s (n %s)" %
                         (name, v, n, r[0]["value"], r[0]["n"]))
    elif m2:
        fail(base, "highest and lowest named with %d groups shown" %
             len(shown))

    # Sentence 2: the change.
    mc = re.search(r"Compared with (\d{4}) it changed by %s points "
                   r"\(95%% interval %s to %s\), (a significant change|"
                   r"not a significant change)" % (NUM, NUM, NUM), summary)
    mp = re.search(r"In (\d{4}) it was %s%s \(" % (NUM, pct), summary)
    if mc:
        prev = int(mc.group(1))
        a = [r for r in sel if r["year"] == prev and total(r)]
        d, lo, hi = (float(mc.group(i)) for i in (2, 3, 4))
        if a and a[0]["shown"] and tot:
            p1, l1, u1 = (float(a[0][k]) for k in ("value", "low", "high"))
            p2, l2, u2 = (float(tot[0][k]) for k in ("value", "low",
                                                      "high"))
            if not near(d, p2 - p1, 0.07):
                fail(base, "change %+.1f but the CSV gives %+.2f" %
                     (d, p2 - p1))
            # Newcombe (1998) method 10, from the two Wilson intervals.
            nlo = (p2 - p1) - math.hypot(p2 - l2, u1 - p1)
            nhi = (p2 - p1) + math.hypot(u2 - p2, p1 - l1)
            if not near(lo, nlo, 0.1) or not near(hi, nhi, 0.1):
                fail(base, "change interval %+.1f to %+.1f, but Newcombe's "
                     "from the CSV is %+.2f to %+.2f" % (lo, hi, nlo, nhi))
        elif not any(r["year"] == prev for r in sel):
            pass            # the chart shows fewer years than the summary
        else:
            fail(base, "a change since %d is given but the CSV has no "
                 "value for it" % prev)
        signif = mc.group(5) == "a significant change"
        if lo <= 0 <= hi and signif:
            fail(base, "significant, but the interval holds 0")
        item = base.rsplit("-", 1)[0]
        for y, c, clo, chi, res in table_changes(item):
            if y == year and near(c, d, 0.001) and near(clo, lo, 0.001) \
                    and near(chi, hi, 0.001) and \
                    (res == "significant") != signif:
                fail(base, "verdict differs from the table: %s" % res)
    elif mp:
        prev = int(mp.group(1))
        a = [r for r in sel if r["year"] == prev and total(r)]
        if a and not near(mp.group(2), a[0]["value"], rnd):
            fail(base, "%d value %s but the CSV has %s" %
                 (prev, mp.group(2), a[0]["value"]))
    elif "no earlier year" not in summary and "no comparison" not in \
            summary:
        fail(base, "sentence 2 says nothing of the year before")

    # Withheld values of the year.
    withheld = [r for r in groups if r["status"].startswith("suppressed")]
    mw = re.search(r"; (\d+) of (\d+) .+? values in (\d{4}) are withheld",
                   summary)
    if mw:
        if int(mw.group(1)) != len(withheld) or \
                int(mw.group(2)) != len(groups):
            fail(base, "%s of %s withheld, but the CSV has %d of %d" %
                 (mw.group(1), mw.group(2), len(withheld), len(groups)))
    elif re.search(r"; no .+? value is withheld in \d{4}\.", summary):
        if withheld:
            fail(base, "none withheld, but the CSV has %d" % len(withheld))
    else:
        fail(base, "summary does not say how many values are withheld")

    # The alt text.
    if summary not in alt:
        fail(base, "alt text does not hold the summary")
    supp = [r for r in own if r["status"].startswith("suppressed")]
    ma = re.search(r"(\d+) bars, (\d+) of them withheld", alt)
    if ma:
        bars = {(r["group"], r["year"]) for r in own}
        grey = {(r["group"], r["year"]) for r in own if r["n"] == ""
                and r["status"].startswith("suppressed")}
        if int(ma.group(1)) != len(bars) or int(ma.group(2)) != len(grey):
            fail(base, "alt: %s bars, %s withheld; CSV: %d, %d" %
                 (ma.group(1), ma.group(2), len(bars), len(grey)))
    ma = re.search(r"; (\d+) (values|rows) withheld\. ", alt)
    if ma:
        want = supp
        if "overall, with its interval band" in alt:
            want = [r for r in supp if total(r)]
        if int(ma.group(1)) != len(want):
            fail(base, "alt: %s %s withheld; CSV: %d" %
                 (ma.group(1), ma.group(2), len(want)))
    return True


# A figure's summary is in its caption, or left out when the figure
# before it in the section said the same; the alt text always ends with it.
figs = re.findall(r'(<section id=|<img src="([^"]+)\.(?:png|svg)"[^>]*'
                  r'alt="([^"]*)"[^>]*>\s*<figcaption>(?:<p>(.*?)</p>)?)',
                  page, re.S)
prev = None
for tag, base, alt, shown in figs:
    if tag.startswith("<section"):
        prev = None
        continue
    alt = html.unescape(alt)
    m = re.search(r"In \d{4}, .*$", alt, re.S)
    summary = m.group(0) if m else ""
    if shown:
        if html.unescape(shown) != summary:
            fail(base, "caption and alt text give different summaries")
    elif summary != prev:
        fail(base, "no summary in the caption, and none just before")
    prev = summary
    check(base, alt, summary)
    checked += 1
    print("checked %s" % base)
if checked == 0:
    errors.append("no chart with words found in index.html")
for e in errors:
    print("MISMATCH " + e)
sys.exit(1 if errors else 0)
