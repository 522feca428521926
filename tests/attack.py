#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""An attacker for whc's disclosure tests: what can be worked out exactly
from published breakdown tables by subtraction (exact linear algebra over
the rationals), and the raw counts an unprotected table would have shown.

    attack.py solve SPEC.json       prints {"recovered": {...}, "sums": [...]}

SPEC is {"tables": [TABLE.json paths], "links": [...], "targets": [...],
"k": K}.  Each table's own relations are taken from its rows: a row's n
is the sum of its cells, and a row whose --by value is "all" (null) is the
sum of the rows naming each value (others equal, same year); with
--rollup, a service or directorate row is the sum of the rows under it
(the rows come as a tree).  A link says that a cell of one table is a cell of another plus an
unknown difference: {"a": [t, group, year, col], "b": [t, group, year,
col], "diff": NAME} means a = b + NAME.  Targets are variable names (a
table cell is "t|group|year|col", col being a level key or n, and group the
row's label, with "@parent" when it has a parent).  A target
that was withheld is recovered when the system fixes its value.  "sums"
lists relations whose hidden parts have a known sum below k, the other
way a small group shows through.

    attack.py raw DIMS WHERE YEAR K CSV...   a table as whc would show it
    with primary suppression only (cells and rows below K hidden), as JSON
    in whc's shape: the unprotected output the attacks are proven on.  DIMS
    "rollup" gives the team hierarchy; K 0 gives the true counts.
"""
import csv
import json
import sys
from fractions import Fraction

COLS_EXTRA = ["n", "blank", "unrecognised"]


def var(t, group, year, col):
    return "%d|%s|%d|%s" % (t, group, year, col)


def name(r):
    """A row's name: its label, and its parent's where a label repeats
    under two parents (a team under two services)."""
    return r["group"] + ("@" + r["parent"] if r.get("parent") else "")


def relations(ti, table):
    """Yields (total, [parts]) name lists for one table, and the knowns."""
    known = {}
    levels = [l["key"] for l in table["levels"]]
    cols = levels + COLS_EXTRA
    dims = [d["key"] for d in table["by"]["dimensions"]]
    rows = table["rows"]
    for r in rows:
        for c in cols:
            if c in COLS_EXTRA:
                v = r[c]
            else:
                v = r["cells"][levels.index(c)]["count"]
            if v is not None:
                known[var(ti, name(r), r["year"], c)] = v
    rels = []
    for r in rows:
        rels.append((var(ti, name(r), r["year"], "n"),
                     [var(ti, name(r), r["year"], l) for l in levels]))

    def add(parent, parts):
        for c in cols:
            rels.append((var(ti, name(parent), parent["year"], c),
                         [var(ti, name(p), p["year"], c) for p in parts]))
    if table["by"].get("rollup"):
        # Rows come as a tree (a parent, then what is under it), so the
        # parts of a service are the team rows after it up to the next
        # service, directorate or total row, of its year; the same for a
        # directorate and its services.
        for i, p in enumerate(rows):
            if p["kind"] not in ("service", "directorate", "total"):
                continue
            # By service, the services are the group rows.
            by_service = not any(r["kind"] == "service" for r in rows)
            want = {"service": "group", "directorate":
                    "group" if by_service else "service"}.get(p["kind"])
            stop = {"service": ("service", "directorate", "total"),
                    "directorate": ("directorate", "total")}.get(
                p["kind"], ())
            if want is None:
                top = "directorate" if any(r["kind"] == "directorate"
                                           for r in rows) else "service"
                add(p, [r for r in rows if r["year"] == p["year"] and
                        r["kind"] == top])
                continue
            parts = []
            for r in rows[i + 1:]:
                if r["kind"] in stop:
                    break
                if r["kind"] == want and r["year"] == p["year"]:
                    parts.append(r)
            add(p, parts)
        return rels, known
    for p in rows:
        for i, d in enumerate(dims):
            if p["values"][d] is not None:
                continue
            parts = [r for r in rows if r["year"] == p["year"] and
                     r["values"][d] is not None and
                     all(r["values"][e] == p["values"][e]
                         for j, e in enumerate(dims) if j != i)]
            if parts:
                add(p, parts)
    return rels, known


def solve(eqs, known):
    """eqs: list of {var: coef}, each summing to 0.  Returns the values
    fixed by the equations for the unknown variables."""
    rows = []
    names = {}
    for e in eqs:
        row = {}
        const = Fraction(0)
        for v, c in e.items():
            if v in known:
                const -= c * known[v]
            else:
                row[names.setdefault(v, len(names))] = Fraction(c)
        if row:
            rows.append((row, const))
    # Gauss-Jordan on sparse rows.
    pivots = {}
    out = []
    for row, const in rows:
        row = dict(row)
        for col, (prow, pconst) in pivots.items():
            f = row.get(col)
            if f:
                for c2, v2 in prow.items():
                    row[c2] = row.get(c2, 0) - f * v2
                    if row[c2] == 0:
                        del row[c2]
                const -= f * pconst
        if not row:
            continue
        col = min(row)
        f = row[col]
        row = {c: v / f for c, v in row.items()}
        const /= f
        for pc, (prow, pconst) in list(pivots.items()):
            g = prow.get(col)
            if g:
                for c2, v2 in row.items():
                    prow[c2] = prow.get(c2, 0) - g * v2
                    if prow[c2] == 0:
                        del prow[c2]
                pivots[pc] = (prow, pconst - g * const)
        pivots[col] = (row, const)
    inv = {i: v for v, i in names.items()}
    for col, (prow, pconst) in pivots.items():
        if len(prow) == 1:
            out.append((inv[col], pconst))
    return dict(out)


def cmd_solve(spec):
    k = spec["k"]
    eqs = []
    known = {}
    sums = []
    for ti, path in enumerate(spec["tables"]):
        t = json.load(open(path))
        rels, kn = relations(ti, t)
        known.update(kn)
        for total, parts in rels:
            e = {total: 1}
            for p in parts:
                e[p] = e.get(p, 0) - 1
            eqs.append(e)
            hidden = [p for p in parts if p not in kn]
            # Blank and unrecognised counts say nothing about the answer
            # and are shown with every shown row: not protected.
            if total.endswith(("|blank", "|unrecognised")):
                continue
            if total in kn and hidden:
                s = kn[total] - sum(kn[p] for p in parts if p in kn)
                if s < k:
                    sums.append([total, hidden, s])
    for ln in spec.get("links", []):
        a = var(*ln["a"])
        b = var(*ln["b"])
        eqs.append({a: 1, b: -1, ln["diff"]: -1})
    got = solve(eqs, {v: Fraction(x) for v, x in known.items()})
    # Targets that were withheld (or never published) yet are fixed.
    rec = {t: int(got[t]) for t in spec["targets"] if t in got}
    print(json.dumps({"recovered": rec, "sums": sums}, sort_keys=True))


COL = {"team": "Team", "service": "Service", "directorate": "Directorate",
       "role": "Role", "grade": "Grade"}


def cmd_raw(dims, where, year, k, paths):
    """The table whc would print with primary suppression alone."""
    if dims == "rollup":
        return raw_rollup(where, year, k, paths)
    dims = dims.split(",") if dims else []
    cells = {}
    levels = ["never", "rarely", "occasionally", "often"]
    for path in paths:
        for r in csv.DictReader(open(path)):
            env = {d: r[c] for d, c in COL.items()}
            env["grade"] = int(r["Grade"])
            if where and not eval(where, {}, env):
                continue
            for mask in range(1 << len(dims)):
                key = tuple(r[COL[d]] if mask >> i & 1 else None
                            for i, d in enumerate(dims))
                c = cells.setdefault(key, dict.fromkeys(levels + COLS_EXTRA, 0))
                a = r["Stress"].lower()
                if a == "":
                    c["blank"] += 1
                else:
                    c["n"] += 1
                    c[a] += 1
    rows = []
    for key, c in sorted(cells.items(), key=lambda kv: [(v is None, v or "") for v in kv[0]]):
        hid = c["n"] < k
        label = " / ".join(v if v is not None else "All %ss" % d
                           for v, d in zip(key, dims)) or "All responses"
        rows.append({
            "group": label, "year": year, "total": all(v is None for v in key),
            "kind": "total" if all(v is None for v in key) else "group",
            "values": dict(zip(dims, key)), "parent": None,
            "suppressed": "primary" if hid else None,
            "n": None if hid else c["n"], "blank": None if hid else c["blank"],
            "unrecognised": None if hid else 0,
            "cells": [{"level": l, "count": None if hid or c[l] < k else c[l]}
                      for l in levels]})
    json.dump({"by": {"dimensions": [{"key": d} for d in dims],
                      "rollup": False},
               "levels": [{"key": l} for l in levels], "k": k,
               "rows": rows}, sys.stdout)


def raw_rollup(where, year, k, paths):
    levels = ["never", "rarely", "occasionally", "often"]
    cells = {}
    for path in paths:
        for r in csv.DictReader(open(path)):
            env = {d: r[c] for d, c in COL.items()}
            env["grade"] = int(r["Grade"])
            if where and not eval(where, {}, env):
                continue
            path_ = (r["Directorate"], r["Service"], r["Team"])
            for depth in range(4):
                key = path_[:depth]
                c = cells.setdefault(key, dict.fromkeys(levels + COLS_EXTRA, 0))
                a = r["Stress"].lower()
                if a == "":
                    c["blank"] += 1
                else:
                    c["n"] += 1
                    c[a] += 1
    kinds = ["total", "directorate", "service", "group"]
    rows = []
    for key, c in sorted(cells.items(), key=lambda kv: (len(kv[0]) == 0, kv[0])):
        hid = c["n"] < k
        rows.append({
            "group": key[-1] if key else "All teams", "year": year,
            "total": not key, "kind": kinds[len(key)],
            "values": {"team": key[2] if len(key) == 3 else None},
            "parent": key[-2] if len(key) >= 2 else None,
            "suppressed": "primary" if hid else None,
            "n": None if hid else c["n"], "blank": None if hid else c["blank"],
            "unrecognised": None if hid else 0,
            "cells": [{"level": l, "count": None if hid or c[l] < k else c[l]}
                      for l in levels]})
    json.dump({"by": {"dimensions": [{"key": "team"}], "rollup": True},
               "levels": [{"key": l} for l in levels], "k": k,
               "rows": rows}, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "solve":
        cmd_solve(json.load(open(sys.argv[2])))
    else:
        cmd_raw(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
                sys.argv[6:])
