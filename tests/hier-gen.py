#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a small survey with a team hierarchy, for the scorer's tests.

    hier-gen.py OUTDIR [--seed N] [--late N]

OUTDIR gets hier-2024.json and hier-2025.json (definitions with the
dimensions team, service, directorate, role and grade, and the items
stress, caseload and intend_to_leave) and hier-2024.csv, hier-2025.csv.
With --late N, hier-2025-late.csv holds N more 2025 responses in team
Bravo (answers that arrive after a table was released).

The hierarchy: directorate Children (services Safeguarding: Alpha, Bravo;
Permanence: Charlie, Delta) and directorate Early Help (service Family
Help: Echo, Foxtrot).  Delta has 3 people; Bravo moved from Safeguarding
to Permanence in 2025; two 2025 Echo responses name Safeguarding as their
service (a team under two services in one year).  A team called
"=HYPERLINK(1)" and one called "<b>Golf</b> & Co" test escaping.
"""
import json
import os
import random
import sys

LEVELS = ["Never", "Rarely", "Occasionally", "Often"]
ROLES = ["Social Worker", "Senior Practitioner", "Team Manager"]


def definition(year):
    return {
        "id": "hier-%d" % year, "year": year, "title": "Hierarchy test",
        "id_column": "ID",
        "scales": {
            "f4": {"levels": [{"key": l.lower(), "label": l} for l in LEVELS]},
            "yn": {"levels": [{"key": "no", "label": "No"},
                              {"key": "yes", "label": "Yes"}]},
        },
        "dimensions": [
            {"key": "team", "label": "Team", "column": "Team"},
            {"key": "service", "label": "Service", "column": "Service"},
            {"key": "directorate", "label": "Directorate",
             "column": "Directorate"},
            {"key": "role", "label": "Role", "column": "Role"},
            {"key": "grade", "label": "Grade", "column": "Grade"},
        ],
        "items": [
            {"key": "stress", "type": "scale", "scale": "f4",
             "text": "How often do you feel stressed at work?",
             "column": "Stress"},
            {"key": "caseload", "type": "number", "min": 0, "max": 80,
             "text": "How many cases do you hold?", "column": "Cases"},
            {"key": "intend_to_leave", "type": "scale", "scale": "yn",
             "text": "Are you thinking of leaving?", "column": "Leave"},
        ],
    }


def teams(year):
    svc_bravo = "Safeguarding" if year == 2024 else "Permanence"
    return [
        ("Alpha", "Safeguarding", "Children", 30),
        ("Bravo", svc_bravo, "Children", 24),
        ("Charlie", "Permanence", "Children", 26),
        ("Delta", "Permanence", "Children", 3),
        ("Echo", "Family Help", "Early Help", 28),
        ("Foxtrot", "Family Help", "Early Help", 22),
        ("=HYPERLINK(1)", "Family Help", "Early Help", 12),
        ("<b>Golf</b> & Co", "Family Help", "Early Help", 11),
    ]


def row(rng, rid, team, svc, dirn):
    role = rng.choice(ROLES)
    grade = str(rng.randint(2, 6))
    stress = rng.choices(LEVELS + [""], [10, 25, 35, 28, 2])[0]
    cases = "" if rng.random() < 0.05 else str(rng.randint(5, 35))
    leave = rng.choice(["No", "No", "Yes", ""])
    return [rid, team, svc, dirn, role, grade, stress, cases, leave]


def main():
    out = sys.argv[1]
    seed = 7
    late = 0
    args = sys.argv[2:]
    while args:
        if args[0] == "--seed":
            seed = int(args[1])
        elif args[0] == "--late":
            late = int(args[1])
        args = args[2:]
    os.makedirs(out, exist_ok=True)
    head = ["ID", "Team", "Service", "Directorate", "Role", "Grade",
            "Stress", "Cases", "Leave"]
    for year in (2024, 2025):
        rng = random.Random(seed * 10000 + year)
        with open(os.path.join(out, "hier-%d.json" % year), "w") as f:
            json.dump(definition(year), f, indent=1)
        rows = []
        n = 0
        for team, svc, dirn, size in teams(year):
            for i in range(size):
                n += 1
                s = svc
                if year == 2025 and team == "Echo" and i < 2:
                    s = "Safeguarding"
                rows.append(row(rng, "%d-%04d" % (year, n), team, s, dirn))
        write(os.path.join(out, "hier-%d.csv" % year), head, rows)
    if late:
        rng = random.Random(seed + 99)
        rows = [row(rng, "late-%03d" % i, "Bravo", "Permanence", "Children")
                for i in range(late)]
        write(os.path.join(out, "hier-2025-late.csv"), head, rows)


def write(path, head, rows):
    import csv
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        w.writerows(rows)


if __name__ == "__main__":
    main()
