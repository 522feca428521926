#!/bin/sh
# SPDX-License-Identifier: MIT
#
# count-demo.sh: an independent count of the stress item in demo CSV files,
# to cross-check whc's import and breakdown.  It shares no code and no
# patterns with whc or whc-gen: its normalisation is a plain lookup table
# of the spellings the demo data contains.
#
#   tools/count-demo.sh [--header] [--always] FILE.csv...
#
# Prints one line per canonical team (counts summed over the files), sorted
# by team name (code point order):
#
#   team<TAB>never<TAB>rarely<TAB>occasionally<TAB>often<TAB>blank<TAB>unrecognised
#
# with a header line first when --header is given.  With --always (the
# five-level scale of 2024 on), "always" gets a column of its own after
# "often"; without, its spellings count as "often", as whc compares them
# across years.  Handles a UTF-8 BOM,
# CRLF or LF, ',' or ';' separators (detected from the header line) and
# quoted fields with embedded separators, quotes and newlines.  A team value
# not in the table is printed as written (cleaned) and reported on stderr.

exec python3 - "$@" <<'PY'
import csv
import io
import re
import sys

# Answer (lower case, trimmed, runs of white space collapsed) -> level.
STRESS = {}
for level, spellings in {
    "never": ["never", "not at all"],
    "rarely": ["rarely", "seldom", "hardly ever"],
    "occasionally": ["occasionally", "occasionaly", "occassionally",
                     "occassionaly", "ocasionally", "ocasionaly",
                     "ocassionally", "ocassionaly", "sometimes",
                     "some times"],
    "often": ["often", "very often"],
    "always": ["always", "all the time", "all of the time", "constantly"],
}.items():
    for s in spellings:
        STRESS[s] = level

# Team value (cleaned as above) -> canonical team.
TEAMS = {}
for team, spellings in {
    "Assessment North": ["assessment north", "assessment north team",
                         "north assessment", "north assessment team",
                         "assessment (north)"],
    "Assessment South": ["assessment south", "assessment south team",
                         "south assessment", "south assessment team",
                         "assessment (south)"],
    "MASH and Front Door": ["mash and front door", "mash & front door",
                            "mash / front door", "mash/front door",
                            "mash", "front door", "front door team"],
    "Child Protection": ["child protection", "child protection team",
                         "cp team", "cp"],
    "Children in Care": ["children in care", "children in care team",
                         "cic", "cic team", "looked after children",
                         "lac", "lac team"],
    "Care Leavers": ["care leavers", "care leavers team", "leaving care",
                     "leaving care team"],
    "Fostering": ["fostering", "fostering team", "fostering service"],
    "Adoption": ["adoption", "adoption team", "adoption service"],
    "Permanence": ["permanence", "permanence team", "permanence service",
                   "fostering and adoption", "fostering & adoption"],
    "Disabled Children": ["disabled children", "disabled children's team",
                          "disabled children\u2019s team",
                          "disabled childrens team",
                          "children with disabilities"],
    "Early Help": ["early help", "early help team", "early help hub"],
    "Youth Justice": ["youth justice", "youth justice service",
                      "youth justice team", "yot", "youth offending team",
                      "youth offending service"],
    "Family Support": ["family support", "family support team",
                       "family support service"],
    "Independent Reviewing Officers": [
        "independent reviewing officers", "independent reviewing service",
        "independent reviewing team", "iro team", "iros", "iro"],
}.items():
    for s in spellings:
        TEAMS[s] = team

# Teams that exist only in some years: a value naming one outside them is
# kept as written, marked (as whc marks it).
FROM = {"Permanence": 2023}
UNTIL = {"Fostering": 2022, "Adoption": 2022}

COLS = ["never", "rarely", "occasionally", "often", "blank",
        "unrecognised"]
ALWAYS = False


def clean(s):
    return " ".join(s.split()).lower()


def separator(text):
    """The separator of the header line: ';' or ',' outside quotes."""
    counts = {",": 0, ";": 0}
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            break
        elif not quoted and ch in counts:
            counts[ch] += 1
    return ";" if counts[";"] > counts[","] else ","


def count(path, totals, unknown):
    m = re.search(r"(\d{4})\.csv$", path)
    year = int(m.group(1)) if m else 0
    with open(path, "rb") as f:
        text = f.read().decode("utf-8-sig")
    rows = csv.reader(io.StringIO(text, newline=""),
                      delimiter=separator(text), strict=True)
    header = [h.strip() for h in next(rows)]
    try:
        tcol = header.index("Which team do you work in?")
    except ValueError:
        sys.exit("count-demo: %s: no team column" % path)
    scols = [i for i, h in enumerate(header) if "stressed" in h.lower()]
    if len(scols) != 1:
        sys.exit("count-demo: %s: no single stress column" % path)
    scol = scols[0]
    for n, row in enumerate(rows, 2):
        if len(row) != len(header):
            sys.exit("count-demo: %s: record %d has %d fields, want %d"
                     % (path, n, len(row), len(header)))
        raw = row[tcol]
        team = TEAMS.get(clean(raw))
        if team is not None and year and (year < FROM.get(team, 0) or
                                          year > UNTIL.get(team, 9999)):
            team = "%s (not a team in %d)" % (" ".join(raw.split()), year)
        if team is None:
            team = " ".join(raw.split()) or "(blank)"
            unknown.add(team)
        answer = clean(row[scol])
        if answer == "":
            level = "blank"
        else:
            level = STRESS.get(answer, "unrecognised")
            if level == "always" and not ALWAYS:
                level = "often"
        totals.setdefault(team, dict.fromkeys(COLS, 0))[level] += 1


def main(argv):
    global ALWAYS, COLS
    header = False
    files = []
    for a in argv:
        if a == "--header":
            header = True
        elif a == "--always":
            ALWAYS = True
            COLS = COLS[:4] + ["always"] + COLS[4:]
        elif a in ("-h", "--help"):
            print("usage: tools/count-demo.sh [--header] [--always] "
                  "FILE.csv...")
            return 0
        else:
            files.append(a)
    if not files:
        sys.stderr.write("usage: tools/count-demo.sh [--header] FILE.csv...\n")
        return 2
    totals, unknown = {}, set()
    for path in files:
        count(path, totals, unknown)
    for team in sorted(unknown):
        sys.stderr.write("count-demo: unknown team %r\n" % team)
    out = sys.stdout
    if header:
        out.write("team\t" + "\t".join(COLS) + "\n")
    for team in sorted(totals):
        out.write(team + "\t" +
                  "\t".join(str(totals[team][c]) for c in COLS) + "\n")
    return 0


sys.exit(main(sys.argv[1:]))
PY
