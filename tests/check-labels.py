#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Checks that labels print verbatim in a report's outputs, for the
# hostile-label tests: check-labels.py LABELS.json DIR
# LABELS.json is a JSON array of the labels as the store has them (from
# `whc breakdown --format json`).  Every label must appear as a whole
# text in the HTML page, as a whole group field in the charts' CSV (with
# the apostrophe that defuses a formula), and in the SVG charts as a text
# (cut to fit and ended with "..." if long; U+2060 WORD JOINERs, which
# keep "]]>" and "&#" harmless, removed).  No <script> may appear in the
# HTML or SVG, and every SVG must parse as XML.
import csv
import glob
import html.parser
import json
import os
import sys
import xml.etree.ElementTree as ET

labels = json.load(open(sys.argv[1], encoding="utf-8"))
d = sys.argv[2]
bad = 0


def fail(msg):
    global bad
    bad += 1
    print("check-labels: " + msg)


class Texts(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = set()
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for _, v in attrs:
            if v is not None:
                self.texts.add(v)

    def handle_data(self, data):
        self.texts.add(data.strip())


p = Texts()
p.feed(open(os.path.join(d, "index.html"), encoding="utf-8").read())
if "script" in p.tags:
    fail("index.html has a <script> element")
for lab in labels:
    if lab not in p.texts:
        fail("index.html lacks %r" % lab)

groups = set()
for f in glob.glob(os.path.join(d, "*.csv")):
    if f.endswith("-table.csv"):
        continue
    for row in csv.DictReader(open(f, encoding="utf-8", newline="")):
        groups.add(row["group"])
for lab in labels:
    want = "'" + lab if lab[:1] in "=+-@" else lab
    if want not in groups:
        fail("the charts' CSV lack %r" % want)
for g in groups:
    if g[:1] in "=+-@":
        fail("a CSV field would run as a formula: %r" % g)

svg_texts = set()
for f in glob.glob(os.path.join(d, "*.svg")):
    try:
        root = ET.parse(f).getroot()
    except ET.ParseError as e:
        fail("%s is not well-formed XML: %s" % (f, e))
        continue
    for el in root.iter():
        if el.tag.endswith("script"):
            fail("%s has a <script> element" % f)
        t = "".join(el.itertext()).replace("\u2060", "").strip()
        if t:
            svg_texts.add(t)
for lab in labels:
    ok = lab in svg_texts or any(
        t.endswith("\u2026") and len(t) > 10 and lab.startswith(t[:-1].rstrip())
        for t in svg_texts)
    if not ok:
        fail("no SVG shows %r" % lab)

print("check-labels: %d labels, %d problems" % (len(labels), bad))
sys.exit(1 if bad else 0)
