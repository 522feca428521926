#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""whc-emu: a local emulator of five survey providers' export APIs, for the
tests, the demo and the benchmark of `whc collect`.  Knows nothing of whc's
code: it serves a dataset (the demo survey's CSV exports and their
questionnaire definitions, by default) the way each provider would, as
described in docs/providers.md:

  SurveyMonkey v3     /surveymonkey/v3/...   bearer token, /details, bulk
                      responses (page, per_page <= 100, links.next,
                      start_modified_at, sort_by), X-Ratelimit-App-Global-*
                      headers, 120/minute and 500/day, error ids
  SmartSurvey v1, v2  /smartsurvey/v1|v2/... HTTP Basic token:secret, page,
                      page_size <= 100, since/until (Unix seconds), bare
                      array + X-SS-Pagination-* (v1) or {records...} (v2),
                      X-RateLimit-*, 120/minute and 2,500/day
  Qualtrics v3        /qualtrics/API/v3/...  X-API-TOKEN, export job (start,
                      progress, file as a ZIP or bare with compress:false),
                      continuationToken, meta.error bodies
  LimeSurvey RC2      /limesurvey/index.php/admin/remotecontrol  JSON-RPC,
                      sessions with expiry, export_responses (base64 JSON),
                      errors as HTTP 200 status objects
  Typeform            /typeform/forms/...    bearer token, /forms/{id},
                      responses (page_size <= 1000, since/until, before/
                      after tokens), 2 requests/second

It listens on 127.0.0.1 on a port the system picks (or --port), writes the
port to --port-file, enforces each provider's request limits and counts the
requests over them, and injects the faults asked for with --fault (see
--help-faults), which /_emu/faults can also replace at run time.  The
control endpoints under /_emu/ give statistics, the dataset as it is now
(CSV, for comparing with what was collected) and changes to it.

Credentials come from the environment, never the command line: EMU_TOKEN is
the token (bearer, X-API-TOKEN, SmartSurvey's secret, LimeSurvey's
password); SmartSurvey's API token (the Basic user) is "emu-api-token" and
LimeSurvey's user "admin".  EMU_TOKEN_SURVEYMONKEY, EMU_TOKEN_SMARTSURVEY,
EMU_TOKEN_QUALTRICS, EMU_TOKEN_LIMESURVEY and EMU_TOKEN_TYPEFORM, when set,
give one provider its own token instead.
"""

import argparse
import base64
import calendar
import csv
import hashlib
import io
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_TOKEN = "emu-token-5f3a9c2e7d1b4a60"
SS_USER = "emu-api-token"
LS_USER = "admin"
PROVIDERS = ("surveymonkey", "smartsurvey", "qualtrics", "limesurvey",
             "typeform")
SHORT = {"surveymonkey": "sm", "smartsurvey": "ss", "qualtrics": "qx",
         "limesurvey": "ls", "typeform": "tf"}

# ---------------------------------------------------------------------------
# Text and time helpers

SPACES = " \t\n\r\f\v\u00a0\u2007\u202f\ufeff"


def squash(s):
    """Trims and collapses white space the way whc's text_squash does."""
    out = []
    pending = False
    for ch in s:
        cp = ord(ch)
        if ch in SPACES or cp < 0x20 or cp == 0x7f or 0x80 <= cp < 0xa0 \
                or cp in (0x2028, 0x2029):
            pending = bool(out)
            continue
        if pending:
            out.append(" ")
            pending = False
        out.append(ch)
    return "".join(out)


def parse_iso(s):
    """2019-10-03T09:32:11Z (or +00:00, or a space) -> Unix seconds."""
    s = s.strip().replace(" ", "T")
    m = re.match(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)"
                 r"(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$", s)
    if not m:
        raise ValueError("bad time %r" % s)
    y, mo, d, h, mi, se = (int(x) for x in m.groups()[:6])
    t = calendar.timegm((y, mo, d, h, mi, se, 0, 0, 0))
    tz = m.group(7)
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        tz = tz[1:].replace(":", "")
        t -= sign * (int(tz[:2]) * 3600 + int(tz[2:]) * 60)
    return t


def iso_z(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def iso_off(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))


def iso_plain(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t))


def ls_time(t):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))


def digest(*parts):
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode())
    return h.hexdigest()


def b62(n, width):
    a = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    s = ""
    while n:
        n, r = divmod(n, 62)
        s = a[r] + s
    return (s or "0").rjust(width, "0")[-width:]


def jdump(o):
    return json.dumps(o, ensure_ascii=False, separators=(",", ":")).encode()


# ---------------------------------------------------------------------------
# The dataset: one survey per questionnaire definition with a CSV beside it


class Field:
    def __init__(self, d, kind, scales):
        self.key = d["key"]
        self.kind = kind            # dim, scale, number, text
        self.text = d.get("text") or d.get("label") or self.key
        self.column = d.get("column")
        self.column_match = d.get("column_match")
        self.src = d.get("source", {})
        self.levels = []            # (key, label, [compiled patterns])
        if kind == "scale":
            for lv in scales[d["scale"]]["levels"]:
                pats = [re.compile(p, re.I) for p in lv.get("match", [])]
                self.levels.append((lv["key"], lv.get("label", lv["key"]),
                                    pats))
        self.extras = []            # choices that are no level ("n/a")

    def level_of(self, raw):
        """The 1-based level a raw answer means (as whc would read it)."""
        s = squash(raw)
        for i, (k, label, _) in enumerate(self.levels):
            if s.lower() == label.lower() or s.lower() == k.lower():
                return i + 1
        for i, (_, _, pats) in enumerate(self.levels):
            for p in pats:
                if p.search(s):
                    return i + 1
        return 0

    def choices(self):
        """Every choice of a scale question: the levels, then the extras."""
        return [lv[1] for lv in self.levels] + self.extras

    def choice(self, raw):
        """(1-based choice index, choice text) for a raw answer, or None."""
        if squash(raw) == "":
            return None
        lv = self.level_of(raw)
        if lv:
            return lv, self.levels[lv - 1][1]
        s = squash(raw)
        if s not in self.extras:
            self.extras.append(s)
        return len(self.levels) + self.extras.index(s) + 1, s


class Row:
    def __init__(self, idx, csv_id, created, modified, values):
        self.idx = idx              # 1-based, in the survey
        self.csv_id = csv_id
        self.created = created
        self.modified = modified
        self.submitted = modified   # Typeform's submitted_at
        self.values = values        # field key -> raw text
        self.complete = True
        self.seq = 0                # when last added or changed
        self.visible_from = 0       # Typeform: request number it shows up
        self.pos = 0                # Typeform: processing order


def merge_def(parent, child):
    """A definition that inherits, merged onto its parent as whc does
    (questionnaires/FORMAT.md): dimensions and items by key (an element
    with "removed": true goes), scales by name, anything else replaced."""
    for k, v in child.items():
        if k == "inherits":
            continue
        if k in ("dimensions", "items") and isinstance(parent.get(k), list):
            for e in v:
                old = next((p for p in parent[k]
                            if p.get("key") == e.get("key")), None)
                if e.get("removed"):
                    if old is not None:
                        parent[k].remove(old)
                elif old is None:
                    parent[k].append(e)
                else:
                    old.update({m: x for m, x in e.items() if m != "key"})
        elif k == "scales" and isinstance(parent.get(k), dict):
            parent[k].update(v)
        else:
            parent[k] = v
    return parent


def load_def(path):
    d = json.load(open(path, encoding="utf-8"))
    if "inherits" in d:
        parent = load_def(os.path.join(os.path.dirname(path),
                                       d["inherits"] + ".json"))
        d = merge_def(parent, d)
    return d


class Survey:
    def __init__(self, path_json, path_csv, emu):
        d = load_def(path_json)
        self.emu = emu
        self.def_path = os.path.abspath(path_json)
        self.id = d["id"]
        self.year = d["year"]
        self.title = d.get("title", self.id)
        self.id_column = d["id_column"]
        self.modified_column = d.get("modified_column")
        self.fields = []
        for f in d["dimensions"]:
            self.fields.append(Field(f, "dim", {}))
        for f in d["items"]:
            # A choice is asked as a scale is: one answer from a list.
            kind = "scale" if f["type"] == "choice" else f["type"]
            self.fields.append(Field(f, kind, d.get("scales", {})))
        self.header = None
        self.rows = []
        self.tf_tokens = {}         # row idx -> Typeform token
        self.tf_rows = {}           # Typeform token -> row
        self.load_csv(path_csv)
        crc = zlib.crc32(self.id.encode())
        self.ids = {
            "surveymonkey": str(400000000 + crc % 100000000),
            "smartsurvey": str(1000000 + crc % 9000000),
            "qualtrics": "SV_" + b62(int(digest("sv", self.id), 16), 15),
            "limesurvey": str(100000 + crc % 900000),
            "typeform": b62(int(digest("tf", self.id), 16), 8),
        }
        for f in self.fields:
            for r in self.rows:
                if f.kind == "scale":
                    f.choice(r.values.get(f.key, ""))

    def load_csv(self, path):
        raw = open(path, "rb").read().decode("utf-8-sig")
        first = raw.split("\n", 1)[0]
        sep = ";" if first.count(";") > first.count(",") else ","
        rd = csv.reader(io.StringIO(raw, newline=""), delimiter=sep)
        self.header = next(rd)
        self.sep = sep
        clean = [squash(h).lower() for h in self.header]
        self.col = {}
        for f in self.fields:
            for c, h in enumerate(clean):
                if (f.column is not None and h == squash(f.column).lower()) \
                        or (f.column is None and f.column_match and
                            re.search(f.column_match, h, re.I)):
                    self.col[f.key] = c
                    break
            else:
                raise SystemExit("whc-emu: %s: no column for %s" %
                                 (path, f.key))
        idc = clean.index(squash(self.id_column).lower())
        modc = clean.index(squash(self.modified_column).lower())
        startc = clean.index("start time") if "start time" in clean else None
        self.records = []
        for rec in rd:
            if not rec or rec == [""]:
                continue
            vals = {f.key: rec[self.col[f.key]] for f in self.fields}
            mod = parse_iso(rec[modc])
            created = parse_iso(rec[startc]) if startc is not None and \
                rec[startc] else mod - 300
            row = Row(len(self.rows) + 1, rec[idc], created, mod, vals)
            row.record = rec
            self.rows.append(row)
        self.emu.seq += 1
        for i, r in enumerate(sorted(self.rows, key=lambda r: r.modified)):
            r.seq = self.emu.seq
            r.pos = i + 1
        self.next_pos = len(self.rows) + 1

    def field(self, provider, qid):
        for f in self.fields:
            if f.src.get(provider) == qid:
                return f
        return None

    def complete_rows(self, req_no):
        return [r for r in self.rows if r.complete and
                r.visible_from <= req_no]

    # -- ids as each provider shows them
    def sm_rid(self, r):
        return "9%04d%06d" % (self.year % 10000, r.idx)

    def ss_rid(self, r):
        return 800000000 + zlib.crc32(self.id.encode()) % 1000 * 100000 + \
            r.idx

    def qx_rid(self, r):
        return "R_" + b62(int(digest(self.id, r.idx), 16), 15)

    def tf_token(self, r):
        # Remembered: a 20,000-response survey must not cost 20,000
        # hashes a request (the benchmark times the client, not us).
        tok = self.tf_tokens.get(r.idx)
        if tok is None:
            tok = b62(int(digest("tf", self.id, r.idx), 16), 32).lower()
            self.tf_tokens[r.idx] = tok
        return tok

    def by_tf_token(self, tok):
        if len(self.tf_rows) != len(self.rows):
            self.tf_rows = {self.tf_token(r): r for r in self.rows}
        return self.tf_rows.get(tok)

    # -- changes while a collection runs
    def churn(self, n, provider):
        """Modifies n responses and adds n new ones (completes partials)."""
        self.emu.seq += 1
        top = max([r.modified for r in self.rows] + [0])
        done = 0
        for r in self.rows:
            if not r.complete:
                r.complete = True
                r.modified = r.submitted = top + 1 + done
                r.seq = self.emu.seq
                r.pos = self.next_pos
                self.next_pos += 1
                done += 1
        step = max(1, len(self.rows) // max(n, 1))
        if provider != "limesurvey":  # LimeSurvey has no edits to see
            for k in range(n):
                r = self.rows[(k * step + 2) % len(self.rows)]
                if not r.complete:
                    continue
                f = next(f for f in self.fields if f.kind == "scale")
                lv = f.level_of(r.values[f.key])
                nl = f.levels[lv % len(f.levels)][1]
                r.values[f.key] = nl
                r.modified = r.submitted = top + 10 + k
                r.seq = self.emu.seq
                r.pos = self.next_pos
                self.next_pos += 1
        for k in range(n):
            src = self.rows[(k * 7 + 1) % len(self.rows)]
            r = Row(len(self.rows) + 1, "EMU-%s-%d" % (self.year,
                    len(self.rows) + 1), top + 20 + k, top + 20 + k,
                    dict(src.values))
            r.seq = self.emu.seq
            r.pos = self.next_pos
            self.next_pos += 1
            self.rows.append(r)

    def dump_csv(self):
        """The completed responses as they are now, in the input's layout."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(self.header)
        clean = [squash(h).lower() for h in self.header]
        idc = clean.index(squash(self.id_column).lower())
        modc = clean.index(squash(self.modified_column).lower())
        for r in self.rows:
            if not r.complete:
                continue
            rec = [""] * len(self.header)
            for f in self.fields:
                rec[self.col[f.key]] = r.values[f.key]
            rec[idc] = r.csv_id
            rec[modc] = iso_z(r.modified)
            w.writerow(rec)
        return out.getvalue().encode()


# ---------------------------------------------------------------------------
# Request limits


class Window:
    """A fixed window of `span` seconds holding at most `limit` requests,
    starting with the first request after the previous window ended."""

    def __init__(self, limit, span):
        self.limit, self.span = limit, span
        self.start, self.used = None, 0

    def _roll(self, now):
        if self.start is None or now >= self.start + self.span:
            self.start, self.used = now, 0

    def take(self, now):
        self._roll(now)
        if self.limit and self.used >= self.limit:
            return False
        self.used += 1
        return True

    def remaining(self, now):
        if not self.limit:
            return 1000000              # no limit
        self._roll(now)
        return max(0, self.limit - self.used)

    def reset(self, now):
        self._roll(now)
        return max(1, int(self.start + self.span - now + 0.999))


class Bucket:
    """A token bucket: `rate` requests a second on average, at most `burst`
    at once; what "2 requests per second" means to most rate limiters, and
    what absorbs the jitter of a client pacing itself evenly."""

    def __init__(self, rate, burst):
        self.rate, self.burst = float(rate), float(burst)
        self.tokens, self.at = float(burst), None

    def take(self, now):
        if not self.rate:
            return True
        if self.at is not None:
            self.tokens = min(self.burst, self.tokens +
                              (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


# ---------------------------------------------------------------------------
# Requests, responses, faults


class Req:
    def __init__(self, method, path, query, headers, body, no):
        self.method, self.path, self.query = method, path, query
        self.headers, self.body, self.no = headers, body, no

    def q(self, name, default=None):
        v = self.query.get(name)
        return v[-1] if v else default


class Resp:
    def __init__(self, status, body=b"", ctype="application/json",
                 headers=None):
        self.status, self.body, self.ctype = status, body, ctype
        self.headers = list(headers or [])
        self.after = None           # a function to run once it is sent


FAULT_HELP = """faults (--fault, repeatable; N is the number of an API request,
counted from 1 over all providers; N+ means N and every later one, NxK the
K requests from N):
  401@N 403@N 404@N 500@N 502@N 503@N   that HTTP error, in the provider's
                        own error body (LimeSurvey: its HTTP 200 status
                        object)
  429@N                 429 with Retry-After: 1 and the quota headers
  slow@N=SECS           answer after SECS seconds
  stall@N               send the headers and half the body, then nothing
  reset@N               reset the connection instead of answering
  truncate@N            promise the whole body, send half, close
  badjson@N             200 with a body that is not JSON
  dup                   every page repeats the last two items of the
                        previous one (SurveyMonkey, SmartSurvey)
  churn@N[=K]           after request N, K responses (default 5) of the
                        survey it asked for are modified, K added and any
                        partial one completed
  partial=K             K responses of each survey start partial
  late@N[=K]            Typeform: K responses (default 3) submitted just
                        before the newest stay invisible until request N
  same-second           every response modified in the same second
  qualtrics-failed      export jobs fail
  qualtrics-polls=K     export jobs need K polls (default 2)
  session-expire@N      LimeSurvey: every session key dies at request N
  rpc-disabled          LimeSurvey answers with an HTML page
  ss-hidden             SmartSurvey hides every 10th response (visibility
                        rules), so pages come short
  per-page-error        SurveyMonkey answers per_page > 100 with 400/1003
"""


class Fault:
    def __init__(self, spec):
        self.spec = spec
        m = re.match(r"^([a-z0-9-]+)(?:@(\d+)(\+|x(\d+))?)?(?:=(.*))?$",
                     spec)
        if not m:
            raise ValueError("bad fault %r (see --help-faults)" % spec)
        self.name = m.group(1)
        self.at = int(m.group(2)) if m.group(2) else None
        self.upto = self.at
        if m.group(3) == "+":
            self.upto = 10 ** 12
        elif m.group(4):
            self.upto = self.at + int(m.group(4)) - 1
        self.arg = m.group(5)
        self.fired = 0

    def hits(self, no):
        return self.at is not None and self.at <= no <= self.upto

    def num(self, default):
        return int(self.arg) if self.arg else default


# ---------------------------------------------------------------------------
# The providers


class Provider:
    name = ""

    def __init__(self, emu):
        self.emu = emu

    def error(self, status, req):
        raise NotImplementedError

    def limited(self, req, now):
        """Returns a Resp when the request is over a limit, else None."""
        return None

    def quota_headers(self, now):
        return []

    def survey(self, sid):
        for s in self.emu.surveys:
            if s.ids[self.name] == sid:
                return s
        return None


class SurveyMonkey(Provider):
    name = "surveymonkey"
    DOCS = "https://developer.surveymonkey.com/api/v3/#error-codes"
    ERRORS = {400: ("1002", "Bad Request", "Invalid URL parameters."),
              401: ("1011", "Authorization Error",
                    "The authorization token provided was invalid."),
              403: ("1014", "Permission Error",
                    "The scope for this access token was not granted."),
              404: ("1020", "Resource Not Found",
                    "There was an error retrieving the requested resource."),
              429: ("1040", "Rate Limit Reached",
                    "Too many requests were made, try again later."),
              500: ("1050", "Internal Server Error",
                    "Oh bananas! We couldn't process your request."),
              502: ("1054", "Bad Gateway", "Bad gateway."),
              503: ("1051", "Service Unreachable",
                    "Service unreachable. Please try again later.")}

    def __init__(self, emu):
        super().__init__(emu)
        self.minute = Window(emu.limit("surveymonkey.minute", 120),
                             emu.limit("surveymonkey.window", 60))
        self.day = Window(emu.limit("surveymonkey.day", 500), 86400)

    def error(self, status, req, eid=None, msg=None):
        e = self.ERRORS.get(status, (str(1050), "Error", "Error."))
        return Resp(status, jdump({"error": {
            "id": eid or e[0], "name": e[1], "message": msg or e[2],
            "docs": self.DOCS, "http_status_code": status}}))

    def quota_headers(self, now):
        midnight = 86400 - int(now) % 86400
        return [("X-Ratelimit-App-Global-Day-Limit", str(self.day.limit)),
                ("X-Ratelimit-App-Global-Day-Remaining",
                 str(self.day.remaining(now))),
                ("X-Ratelimit-App-Global-Day-Reset", str(midnight)),
                ("X-Ratelimit-App-Global-Minute-Limit",
                 str(self.minute.limit)),
                ("X-Ratelimit-App-Global-Minute-Remaining",
                 str(self.minute.remaining(now))),
                ("X-Ratelimit-App-Global-Minute-Reset",
                 str(self.minute.reset(now)))]

    def limited(self, req, now):
        if self.day.remaining(now) == 0 or self.minute.remaining(now) == 0:
            return self.error(429, req)
        self.day.take(now)
        self.minute.take(now)
        return None

    def authorised(self, req):
        a = req.headers.get("Authorization", "")
        if not a:
            return self.error(401, req, "1010",
                              "The authorization token was not provided.")
        if not a.startswith("bearer ") and not a.startswith("Bearer "):
            return self.error(401, req)
        if a[7:] != self.emu.tokens["surveymonkey"]:
            return self.error(401, req)
        return None

    def handle(self, req):
        bad = self.authorised(req)
        if bad:
            return bad
        p = req.path.split("/")[3:]     # after /surveymonkey/v3
        if req.method != "GET":
            return self.error(400, req, "1000", "Bad request.")
        if p == ["surveys"]:
            return self.list_surveys(req)
        if len(p) >= 3 and p[0] == "surveys":
            s = self.survey(p[1])
            if s is None:
                return self.error(404, req)
            if p[2:] == ["details"]:
                return self.details(req, s)
            if p[2:] == ["responses", "bulk"]:
                return self.bulk(req, s)
        return self.error(404, req)

    def base(self, req):
        return "http://%s/surveymonkey/v3" % req.headers.get("Host")

    def list_surveys(self, req):
        data = [{"id": s.ids[self.name], "title": s.title,
                 "nickname": s.id, "href": "%s/surveys/%s" %
                 (self.base(req), s.ids[self.name])}
                for s in self.emu.surveys]
        return Resp(200, jdump({"data": data, "per_page": 50, "page": 1,
                                "total": len(data), "links": {
                                    "self": self.base(req) + "/surveys"}}))

    def pages(self, s):
        yield "2%d01" % s.year, [f for f in s.fields if f.kind == "dim"]
        yield "2%d02" % s.year, [f for f in s.fields if f.kind != "dim"]

    def details(self, req, s):
        pages = []
        for pos, (pid, fields) in enumerate(self.pages(s)):
            qs = []
            for qpos, f in enumerate(fields):
                qid = f.src.get(self.name)
                q = {"id": qid, "position": qpos + 1, "visible": True,
                     "headings": [{"heading": f.text}], "required": None,
                     "href": "%s/surveys/%s/pages/%s/questions/%s" %
                     (self.base(req), s.ids[self.name], pid, qid)}
                if f.kind == "scale":
                    q.update(family="single_choice", subtype="vertical",
                             answers={"choices": [
                                 {"id": "%s%02d" % (qid, i + 1),
                                  "text": c, "position": i + 1,
                                  "visible": True}
                                 for i, c in enumerate(f.choices())]})
                elif f.kind == "number":
                    q.update(family="open_ended", subtype="single")
                else:
                    q.update(family="open_ended",
                             subtype="essay" if f.kind == "text"
                             else "single")
                qs.append(q)
            pages.append({"id": pid, "title": "", "description": "",
                          "position": pos + 1, "question_count": len(qs),
                          "questions": qs})
        return Resp(200, jdump({
            "id": s.ids[self.name], "title": s.title, "nickname": s.id,
            "language": "en", "question_count": len(s.fields),
            "page_count": 2, "response_count": len(s.rows),
            "date_created": iso_plain(min(r.created for r in s.rows)),
            "date_modified": iso_plain(max(r.modified for r in s.rows)),
            "href": "%s/surveys/%s" % (self.base(req), s.ids[self.name]),
            "pages": pages}))

    def response(self, req, s, r):
        pages = []
        for pid, fields in self.pages(s):
            qs = []
            for f in fields:
                raw = r.values.get(f.key, "")
                qid = f.src.get(self.name)
                if f.kind == "scale":
                    c = f.choice(raw)
                    if c is None:
                        continue
                    ans = [{"choice_id": "%s%02d" % (qid, c[0])}]
                else:
                    if squash(raw) == "":
                        continue
                    ans = [{"text": raw}]
                qs.append({"id": qid, "answers": ans})
            pages.append({"id": pid, "questions": qs})
        rid = s.sm_rid(r)
        return {"id": rid, "recipient_id": "", "collection_mode": "default",
                "response_status": "completed" if r.complete else "partial",
                "custom_value": "", "first_name": "", "last_name": "",
                "email_address": "", "ip_address": "127.0.0.1",
                "logic_path": {}, "metadata": {"contact": {}},
                "page_path": [], "collector_id": "5%d" % s.year,
                "survey_id": s.ids[self.name], "custom_variables": {},
                "edit_url": "https://www.surveymonkey.com/r/?sm=" + rid,
                "analyze_url": "https://www.surveymonkey.com/analyze/" + rid,
                "total_time": int(r.modified - r.created),
                "date_modified": iso_off(r.modified),
                "date_created": iso_off(r.created),
                "href": "%s/surveys/%s/responses/%s" %
                (self.base(req), s.ids[self.name], rid),
                "pages": pages}

    def bulk(self, req, s):
        try:
            page = int(req.q("page", "1"))
            per_page = int(req.q("per_page", "50"))
        except ValueError:
            return self.error(400, req, "1003")
        if page < 1 or per_page < 1:
            return self.error(400, req, "1003")
        if per_page > 100:
            if self.emu.has_fault("per-page-error"):
                return self.error(400, req, "1003",
                                  "per_page must be at most 100.")
            per_page = 100
        rows = [r for r in s.rows if r.visible_from <= req.no]
        status = req.q("status")
        if status:
            want = status.split(",")
            rows = [r for r in rows if ("completed" if r.complete
                                        else "partial") in want]
        for name, attr, cmp in (("start_modified_at", "modified", 1),
                                ("end_modified_at", "modified", -1),
                                ("start_created_at", "created", 1),
                                ("end_created_at", "created", -1)):
            v = req.q(name)
            if v is None:
                continue
            try:
                t = parse_iso(v)
            except ValueError:
                return self.error(400, req, "1002",
                                  "Invalid date for %s." % name)
            rows = [r for r in rows if (getattr(r, attr) >= t if cmp > 0
                                        else getattr(r, attr) < t)]
        sort_by = req.q("sort_by", "date_modified")
        desc = req.q("sort_order", "DESC").upper() == "DESC"
        key = {"date_modified": lambda r: (r.modified, r.idx)}.get(
            sort_by, lambda r: (r.created, r.idx))
        rows.sort(key=key, reverse=desc)
        total = len(rows)
        lo = (page - 1) * per_page
        if self.emu.has_fault("dup") and page > 1:
            lo = max(0, lo - 2)
        data = [self.response(req, s, r) for r in
                rows[lo:page * per_page]]
        q = {k: v[-1] for k, v in req.query.items()}

        def link(p):
            q2 = dict(q, page=str(p), per_page=str(per_page))
            return "%s/surveys/%s/responses/bulk?%s" % (
                self.base(req), s.ids[self.name],
                urllib.parse.urlencode(q2))
        links = {"self": link(page)}
        last = max(1, (total + per_page - 1) // per_page)
        if page < last:
            links["next"] = link(page + 1)
            links["last"] = link(last)
        if page > 1:
            links["prev"] = link(page - 1)
            links["first"] = link(1)
        return Resp(200, jdump({"data": data, "per_page": per_page,
                                "page": page, "total": total,
                                "links": links}))


class SmartSurvey(Provider):
    name = "smartsurvey"
    CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden",
             404: "not_found", 415: "unsupported_media_type",
             429: "too_many_requests", 500: "internal_server_error",
             502: "internal_server_error", 503: "unavailable"}

    def __init__(self, emu):
        super().__init__(emu)
        self.minute = Window(emu.limit("smartsurvey.minute", 120),
                             emu.limit("smartsurvey.window", 60))
        self.day = Window(emu.limit("smartsurvey.day", 2500), 86400)

    def error(self, status, req, msg=None):
        return Resp(status, jdump({
            "status": status, "code": self.CODES.get(status, "error"),
            "message": msg or self.CODES.get(status, "error").replace(
                "_", " ").capitalize()}))

    def quota_headers(self, now):
        return [("X-RateLimit-Limit", str(self.day.limit)),
                ("X-RateLimit-Remaining", str(self.day.remaining(now))),
                ("X-RateLimit-Reset", str(86400 - int(now) % 86400)),
                ("X-SS-Release", "emulated"), ("X-SS-Server", "whc-emu")]

    def limited(self, req, now):
        if self.day.remaining(now) == 0 or self.minute.remaining(now) == 0:
            wait = self.minute.reset(now) if self.day.remaining(now) else \
                86400 - int(now) % 86400
            r = self.error(429, req, "Rate limit exceeded")
            r.headers.append(("Retry-After", str(wait)))
            return r
        self.day.take(now)
        self.minute.take(now)
        return None

    def handle(self, req):
        a = req.headers.get("Authorization", "")
        ok = False
        if a.startswith("Basic "):
            try:
                u, _, pw = base64.b64decode(a[6:]).decode().partition(":")
                ok = u == SS_USER and pw == self.emu.tokens["smartsurvey"]
            except (ValueError, UnicodeDecodeError):
                ok = False
        if not ok:
            return self.error(401, req, "Invalid API token or secret")
        p = req.path.split("/")[2:]     # v1, surveys, id, responses
        if req.method != "GET" or len(p) < 3 or p[0] not in ("v1", "v2") \
                or p[1] != "surveys":
            return self.error(404, req, "Not found")
        s = self.survey(p[2])
        if s is None:
            return self.error(404, req, "Survey not found")
        if p[3:] == []:
            return Resp(200, jdump(self.survey_obj(s)))
        if p[3:] == ["responses"]:
            return self.responses(req, s, p[0])
        return self.error(404, req, "Not found")

    def survey_obj(self, s):
        qs = []
        for i, f in enumerate(s.fields):
            q = {"id": int(f.src[self.name]), "number": i + 1,
                 "position": i + 1, "title": f.text}
            if f.kind == "scale":
                q.update(type="radio", sub_type="vertical", choices=[
                    {"id": int(f.src[self.name]) * 100 + k + 1, "title": c,
                     "position": k + 1}
                    for k, c in enumerate(f.choices())])
            else:
                q.update(type="textbox" if f.kind != "text" else "essay")
            qs.append(q)
        return {"id": int(s.ids[self.name]), "title": s.title,
                "nickname": s.id, "status": "open",
                "responses": len(s.rows),
                "pages": [{"id": 1, "position": 1, "questions": qs}]}

    def record(self, s, r, labels):
        qs = []
        for f in s.fields:
            raw = r.values.get(f.key, "")
            qid = int(f.src[self.name])
            if f.kind == "scale":
                c = f.choice(raw)
                if c is None:
                    continue
                a = {"choice_id": qid * 100 + c[0]}
                if labels:
                    a["choice_title"] = c[1]
            else:
                if squash(raw) == "":
                    continue
                a = {"value": raw}
            qs.append({"id": qid, "title": f.text, "answers": [a]})
        return {"id": s.ss_rid(r), "survey_id": int(s.ids[self.name]),
                "status": "completed" if r.complete else "partial",
                "date_started": iso_z(r.created),
                "date_ended": iso_z(r.modified),
                "date_modified": iso_z(r.modified),
                "ip_address": "127.0.0.1", "user_agent": "whc-emu",
                "variables": [], "contact_data": [],
                "pages": [{"id": 1, "questions": qs}]}

    def responses(self, req, s, version):
        try:
            page = int(req.q("page", "1"))
            size = int(req.q("page_size", "10"))
            since = int(req.q("since")) if req.q("since") else None
            until = int(req.q("until")) if req.q("until") else None
        except ValueError:
            return self.error(400, req, "page, page_size, since and until "
                              "must be whole numbers")
        if page < 1 or size < 1:
            return self.error(400, req, "page and page_size must be "
                              "positive")
        size = min(size, 100)
        completed = req.q("completed", "1")
        rows = [r for r in s.rows if r.visible_from <= req.no and
                (r.complete or completed in ("0", "2"))]
        if since is not None:
            rows = [r for r in rows if r.modified >= since]
        if until is not None:
            rows = [r for r in rows if r.modified <= until]
        if req.q("sort_by", "") in ("date_modified", "date_modified,asc"):
            rows.sort(key=lambda r: (r.modified, r.idx))
        else:
            rows.sort(key=lambda r: r.idx)
        total = len(rows)
        pages = (total + size - 1) // size
        lo = (page - 1) * size
        if self.emu.has_fault("dup") and page > 1:
            lo = max(0, lo - 2)
        chunk = rows[lo:page * size]
        if self.emu.has_fault("ss-hidden"):
            chunk = [r for r in chunk if r.idx % 10]
        labels = req.q("include_labels", "false").lower() in ("true", "1")
        recs = [self.record(s, r, labels) for r in chunk]
        hdr = [("X-SS-Pagination-Page", str(page)),
               ("X-SS-Pagination-PageSize", str(size)),
               ("X-SS-Pagination-Returned", str(len(recs))),
               ("X-SS-Pagination-Total", str(total))]
        if version == "v1":
            return Resp(200, jdump(recs), headers=hdr)
        return Resp(200, jdump({"records": recs, "page_index": page,
                                "pages": pages, "page_size": size,
                                "total": total}), headers=hdr)


class Qualtrics(Provider):
    name = "qualtrics"
    STATUS = {200: "200 - OK", 400: "400 - Bad Request",
              401: "401 - Unauthorized", 403: "403 - Forbidden",
              404: "404 - Not Found", 429: "429 - Too Many Requests",
              500: "500 - Internal Server Error",
              502: "502 - Bad Gateway", 503: "503 - Service Unavailable"}
    KEYS = {"format", "compress", "useLabels", "startDate", "endDate",
            "timeZone", "limit", "seenUnansweredRecode",
            "multiselectSeenUnansweredRecode", "includeDisplayOrder",
            "questionIds", "embeddedDataIds", "surveyMetadataIds",
            "breakoutSets", "exportResponsesInProgress", "allowContinuation",
            "continuationToken", "filterId", "formatDecimalAsComma",
            "newlineReplacement"}

    def __init__(self, emu):
        super().__init__(emu)
        self.minute = Window(emu.limit("qualtrics.minute", 3000), 60)
        self.starts = Window(emu.limit("qualtrics.export_minute", 100), 60)
        self.jobs = {}
        self.files = {}
        self.tokens = {}
        self.n = 0

    def meta(self, status, err=None):
        m = {"requestId": digest("qx", time.time())[:8] + "-" +
             digest(time.time())[:4], "httpStatus": self.STATUS.get(
                 status, "%d - Error" % status)}
        if err:
            m["error"] = {"errorMessage": err[1], "errorCode": err[0]}
            if status >= 500:
                m["error"]["instanceId"] = "emu-" + digest(time.time())[:8]
        return m

    def error(self, status, req, msg=None, code=None):
        default = {400: ("QVAL_1", "Invalid request"),
                   401: ("AUTH_1", "Authentication failed: the X-API-TOKEN "
                         "header is missing or invalid"),
                   403: ("AUTH_2", "You do not have permission to view "
                         "responses"),
                   404: ("NF_1", "Resource not found"),
                   429: ("RL_1", "Too many requests"),
                   }.get(status, ("SRV_1", "Internal error"))
        return Resp(status, jdump({"meta": self.meta(
            status, (code or default[0], msg or default[1]))}))

    def limited(self, req, now):
        start = req.method == "POST"
        if self.minute.remaining(now) == 0 or \
                (start and self.starts.remaining(now) == 0):
            r = self.error(429, req)
            r.headers.append(("Retry-After", str(
                self.starts.reset(now) if start else
                self.minute.reset(now))))
            return r
        self.minute.take(now)
        if start:
            self.starts.take(now)
        return None

    def ok(self, result):
        return Resp(200, jdump({"result": result, "meta": self.meta(200)}))

    def handle(self, req):
        if req.headers.get("X-API-TOKEN", "") != \
                self.emu.tokens["qualtrics"]:
            return self.error(401, req)
        p = req.path.split("/")[4:]     # after /qualtrics/API/v3
        if len(p) < 3 or p[0] != "surveys" or p[2] != "export-responses":
            return self.error(404, req)
        s = self.survey(p[1])
        if s is None:
            return self.error(404, req, "Survey not found")
        if req.method == "POST" and len(p) == 3:
            return self.start(req, s)
        if req.method == "GET" and len(p) == 4:
            return self.progress(req, s, p[3])
        if req.method == "GET" and len(p) == 5 and p[4] == "file":
            return self.file(req, s, p[3])
        return self.error(404, req)

    def start(self, req, s):
        try:
            body = json.loads(req.body or b"{}")
        except ValueError:
            return self.error(400, req, "The request body is not valid "
                              "JSON")
        if not isinstance(body, dict):
            return self.error(400, req, "The request body must be an "
                              "object")
        for k in body:
            if k not in self.KEYS:
                return self.error(400, req, "Unrecognized parameter: %s"
                                  % k, "QVAL_2")
        if body.get("format") not in ("json", "ndjson", "csv", "tsv",
                                      "spss", "xml"):
            return self.error(400, req, "format is required", "QVAL_3")
        if body["format"] != "json":
            return self.error(400, req, "whc-emu serves json only",
                              "QVAL_4")
        since = 0
        if "continuationToken" in body:
            since = self.tokens.get(body["continuationToken"])
            if since is None:
                return self.error(400, req, "Invalid continuation token",
                                  "QVAL_5")
        self.n += 1
        pid = "ES_" + b62(int(digest("job", self.n), 16), 15)
        rows = [r for r in s.rows if r.seq > since and r.visible_from <=
                req.no and (r.complete or
                            body.get("exportResponsesInProgress"))]
        for k, cmp in (("startDate", 1), ("endDate", -1)):
            if k in body:
                try:
                    t = parse_iso(body[k])
                except ValueError:
                    return self.error(400, req, "Invalid %s" % k)
                rows = [r for r in rows if (r.modified >= t if cmp > 0 else
                                            r.modified < t)]
        job = {"survey": s, "rows": rows, "polls": 0,
               "need": self.emu.fault_num("qualtrics-polls", 2),
               "compress": body.get("compress", True),
               "labels": body.get("useLabels", False),
               "token": None}
        if body.get("allowContinuation"):
            tok = "CT_" + b62(int(digest("ct", self.n), 16), 20)
            self.tokens[tok] = self.emu.seq
            job["token"] = tok
        self.jobs[pid] = job
        return self.ok({"progressId": pid, "percentComplete": 0.0,
                        "status": "inProgress"})

    def progress(self, req, s, pid):
        job = self.jobs.get(pid)
        if job is None or job["survey"] is not s:
            return self.error(404, req, "Unknown progressId")
        job["polls"] += 1
        if self.emu.has_fault("qualtrics-failed"):
            return self.ok({"fileId": None, "percentComplete": 100.0,
                            "status": "failed"})
        if job["polls"] < job["need"]:
            return self.ok({"percentComplete": round(
                100.0 * job["polls"] / job["need"], 1),
                "status": "inProgress"})
        fid = pid[3:] + "-" + digest("file", pid)[:12]
        self.files[fid] = job
        res = {"fileId": fid, "percentComplete": 100.0,
               "status": "complete"}
        if job["token"]:
            res["continuationToken"] = job["token"]
        return self.ok(res)

    def doc(self, s, rows, use_labels):
        out = []
        for r in rows:
            values = {"startDate": iso_z(r.created),
                      "endDate": iso_z(r.modified), "status": 0,
                      "ipAddress": "127.0.0.1", "progress": 100 if
                      r.complete else 50,
                      "duration": int(r.modified - r.created),
                      "finished": 1 if r.complete else 0,
                      "recordedDate": iso_z(r.modified),
                      "_recordId": s.qx_rid(r), "locationLatitude": "",
                      "locationLongitude": "",
                      "distributionChannel": "anonymous",
                      "userLanguage": "EN"}
            labels = {"status": "IP Address",
                      "finished": "True" if r.complete else "False"}
            shown, dv = [], {}
            for f in s.fields:
                qid = f.src[self.name]
                raw = r.values.get(f.key, "")
                if f.kind == "scale":
                    shown.append(qid)
                    dv[qid] = list(range(1, len(f.choices()) + 1))
                    c = f.choice(raw)
                    if c is None:
                        continue
                    values[qid] = c[1] if use_labels else c[0]
                    labels[qid] = c[1]
                else:
                    shown.append(qid + "_TEXT")
                    if squash(raw) != "":
                        values[qid + "_TEXT"] = raw
            out.append({"responseId": s.qx_rid(r), "values": values,
                        "labels": labels, "displayedFields": shown,
                        "displayedValues": dv})
        return jdump({"responses": out})

    def file(self, req, s, fid):
        job = self.files.get(fid)
        if job is None or job["survey"] is not s:
            return self.error(404, req, "Unknown fileId")
        body = self.doc(s, job["rows"], job["labels"])
        if job["compress"] is False:
            return Resp(200, body, "application/json")
        zb = io.BytesIO()
        with zipfile.ZipFile(zb, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(s.title + ".json", body)
        return Resp(200, zb.getvalue(), "application/zip")


class LimeSurvey(Provider):
    name = "limesurvey"

    def __init__(self, emu):
        super().__init__(emu)
        self.sessions = {}
        self.n = 0
        self.lifetime = emu.limit("limesurvey.session", 7200)

    def error(self, status, req):
        # Application errors are HTTP 200 with a status object; only the
        # transport's errors (5xx, 429 from a proxy) are real statuses.
        if status in (401, 403):
            return Resp(200, jdump({"id": self.rpc_id(req), "result": {
                "status": "No permission"}, "error": None}))
        if status == 404:
            return Resp(200, jdump({"id": self.rpc_id(req), "result": {
                "status": "Error: Invalid survey ID"}, "error": None}))
        return Resp(status, b"<html><body><h1>%d</h1></body></html>" %
                    status, "text/html")

    def rpc_id(self, req):
        try:
            return json.loads(req.body).get("id")
        except (ValueError, AttributeError):
            return None

    def reply(self, rid, result, error=None):
        return Resp(200, jdump({"id": rid, "result": result,
                                "error": error}))

    def handle(self, req):
        if req.path.rstrip("/") != "/limesurvey/index.php/admin/remotecontrol":
            return Resp(404, b"<html><body>Not found</body></html>",
                        "text/html")
        if self.emu.has_fault("rpc-disabled"):
            return Resp(200, b"<!DOCTYPE html><html><head><title>LimeSurvey"
                        b"</title></head><body>...</body></html>",
                        "text/html")
        if req.method != "POST":
            return Resp(200, b"", "application/json")
        try:
            call = json.loads(req.body)
            method, params, rid = call["method"], call.get("params", []), \
                call.get("id")
        except (ValueError, KeyError, TypeError):
            return self.reply(None, None, "Parse error")
        now = time.time()
        for k in [k for k, v in self.sessions.items() if v < now]:
            del self.sessions[k]          # purged on every call
        fn = getattr(self, "rpc_" + method, None)
        if fn is None or not isinstance(params, list):
            return self.reply(rid, None, "Method not found: %s" % method)
        return fn(req, rid, params)

    def session_ok(self, key):
        return isinstance(key, str) and key in self.sessions

    def rpc_get_session_key(self, req, rid, params):
        if len(params) < 2 or params[0] != LS_USER or \
                params[1] != self.emu.tokens["limesurvey"]:
            return self.reply(rid, {"status": "Invalid user name or "
                                              "password"})
        self.n += 1
        key = digest("ls-session", self.n, time.time())[:32]
        self.sessions[key] = time.time() + self.lifetime
        self.emu.stats["sessions"].append(key)    # for the secrets test
        return self.reply(rid, key)

    def rpc_release_session_key(self, req, rid, params):
        self.sessions.pop(params[0] if params else None, None)
        return self.reply(rid, "OK")

    def rpc_list_surveys(self, req, rid, params):
        if not self.session_ok(params[0] if params else None):
            return self.reply(rid, {"status": "Invalid session key"})
        return self.reply(rid, [{"sid": s.ids[self.name],
                                 "surveyls_title": s.title,
                                 "startdate": None, "expires": None,
                                 "active": "Y"} for s in self.emu.surveys])

    def rpc_export_responses(self, req, rid, params):
        params = params + [None] * (11 - len(params))
        key, sid, doc, lang, status, head, rtype, lo, hi = params[:9]
        if not self.session_ok(key):
            return self.reply(rid, {"status": "Invalid session key"})
        s = self.survey(str(sid))
        if s is None:
            return self.reply(rid, {"status": "Error: Invalid survey ID"})
        if doc != "json":
            return self.reply(rid, {"status": "Invalid extension"})
        if lang not in (None, "", "en"):
            return self.reply(rid, {"status": "Language code not found "
                                              "for this survey."})
        status = status or "all"
        head = head or "code"
        rtype = rtype or "short"
        rows = [r for r in s.rows if r.visible_from <= req.no]
        if not rows:
            return self.reply(rid, {"status": "No Data, could not get max "
                                              "id."})
        try:
            lo = int(lo) if lo not in (None, "") else 1
            hi = int(hi) if hi not in (None, "") else max(r.idx for r in
                                                          rows)
        except (TypeError, ValueError):
            return self.reply(rid, None, "Invalid response id range")
        if status == "complete":
            rows = [r for r in rows if r.complete]
        elif status == "incomplete":
            rows = [r for r in rows if not r.complete]
        rows = [r for r in rows if lo <= r.idx <= hi]
        out = []
        for r in sorted(rows, key=lambda r: r.idx):
            rec = {"id": str(r.idx),
                   "submitdate": ls_time(r.modified) if r.complete
                   else None,
                   "lastpage": "2" if r.complete else "1",
                   "startlanguage": "en", "seed": str(100000 + r.idx),
                   "token": "", "startdate": ls_time(r.created),
                   "datestamp": ls_time(r.modified)}
            for f in s.fields:
                code = f.src[self.name]
                if head == "full":
                    code = f.text
                raw = r.values.get(f.key, "")
                if f.kind == "scale":
                    c = f.choice(raw)
                    rec[code] = "" if c is None else (
                        c[1] if rtype == "long" else "A%d" % c[0])
                else:
                    rec[code] = raw
            out.append(rec)
        data = jdump({"responses": out})
        return self.reply(rid, base64.b64encode(data).decode())


class Typeform(Provider):
    name = "typeform"

    def __init__(self, emu):
        super().__init__(emu)
        n = emu.limit("typeform.second", 2)
        self.rate = Bucket(n, n)
        self.fids = {}

    def error(self, status, req, code=None, desc=None):
        d = {400: ("VALIDATION_ERROR", "Invalid request"),
             401: ("AUTHENTICATION_FAILED", "Authentication credentials "
                   "not found on the Request Headers"),
             403: ("FORBIDDEN", "You do not have access to this form"),
             404: ("FORM_NOT_FOUND", "Non existing form with uid"),
             429: ("RATE_LIMIT_EXCEEDED", "Too many requests")}.get(
                 status, ("INTERNAL_ERROR", "Internal server error"))
        return Resp(status, jdump({"code": code or d[0],
                                   "description": desc or d[1],
                                   "details": []}))

    def limited(self, req, now):
        if not self.rate.take(now):
            r = self.error(429, req)
            r.headers.append(("Retry-After", "1"))
            return r
        return None

    def handle(self, req):
        a = req.headers.get("Authorization", "")
        if a[:7].lower() != "bearer " or \
                a[7:] != self.emu.tokens["typeform"]:
            return self.error(401, req)
        p = req.path.split("/")[2:]     # forms, id[, responses]
        if req.method != "GET" or len(p) < 2 or p[0] != "forms":
            return self.error(404, req, "NOT_FOUND", "Not found")
        s = self.survey(p[1])
        if s is None:
            return self.error(404, req)
        if len(p) == 2:
            return self.form(req, s)
        if p[2:] == ["responses"]:
            return self.responses(req, s)
        return self.error(404, req, "NOT_FOUND", "Not found")

    def fid(self, s, f):
        k = (s.id, f.key)
        if k not in self.fids:
            self.fids[k] = b62(int(digest("tf-field", s.id, f.key), 16), 12)
        return self.fids[k]

    def form(self, req, s):
        fields = []
        for f in s.fields:
            fd = {"id": self.fid(s, f), "ref": f.src[self.name],
                  "title": f.text}
            if f.kind == "scale":
                fd.update(type="multiple_choice", properties={
                    "choices": [{"id": b62(int(digest(s.id, f.key, c)[:12],
                                                16), 12),
                                 "ref": "%s-%d" % (f.key, i + 1),
                                 "label": c}
                                for i, c in enumerate(f.choices())]})
            else:
                fd.update(type="long_text" if f.kind == "text"
                          else "short_text", properties={})
            fields.append(fd)
        return Resp(200, jdump({"id": s.ids[self.name], "title": s.title,
                                "type": "form", "fields": fields,
                                "hidden": [], "settings": {}}))

    def item(self, s, r):
        answers = []
        for f in s.fields:
            raw = r.values.get(f.key, "")
            fld = {"id": self.fid(s, f), "ref": f.src[self.name],
                   "type": "multiple_choice" if f.kind == "scale" else
                   ("long_text" if f.kind == "text" else "short_text")}
            if f.kind == "scale":
                c = f.choice(raw)
                if c is None:
                    continue
                answers.append({"field": fld, "type": "choice",
                                "choice": {"label": c[1]}})
            elif squash(raw) != "":
                answers.append({"field": fld, "type": "text", "text": raw})
        tok = s.tf_token(r)
        return {"landing_id": tok, "token": tok, "response_id": tok,
                "landed_at": iso_z(r.created),
                "submitted_at": iso_z(r.submitted),
                "metadata": {"user_agent": "whc-emu", "platform": "other",
                             "referer": "https://emu.typeform.com/to/" +
                             s.ids[self.name], "network_id": "",
                             "browser": "default"},
                "hidden": {}, "calculated": {"score": 0},
                "answers": answers}

    @staticmethod
    def when(v):
        if re.match(r"^\d+$", v):
            return int(v)
        return parse_iso(v)

    def responses(self, req, s):
        try:
            size = int(req.q("page_size", "25"))
            since = self.when(req.q("since")) if req.q("since") else None
            until = self.when(req.q("until")) if req.q("until") else None
        except ValueError:
            return self.error(400, req, "VALIDATION_ERROR",
                              "Invalid page_size, since or until")
        if size < 1 or size > 1000:
            return self.error(400, req, "VALIDATION_ERROR",
                              "page_size must be between 1 and 1000")
        before, after = req.q("before"), req.q("after")
        if (before or after) and req.q("sort"):
            return self.error(400, req, "VALIDATION_ERROR",
                              "sort cannot be used with before or after")
        types = (req.q("response_type") or "completed").split(",")
        rows = [r for r in s.rows if r.visible_from <= req.no and
                (("completed" if r.complete else "partial") in types)]
        if since is not None:
            rows = [r for r in rows if r.submitted >= since]
        if until is not None:
            rows = [r for r in rows if r.submitted <= until]
        if before or after:
            ref = s.by_tf_token(before or after)
            if ref is None:
                return self.error(400, req, "VALIDATION_ERROR",
                                  "Invalid response token")
            if before:
                rows = sorted([r for r in rows if r.pos < ref.pos],
                              key=lambda r: -r.pos)
            else:
                rows = sorted([r for r in rows if r.pos > ref.pos],
                              key=lambda r: r.pos)
        else:
            srt = (req.q("sort") or "submitted_at,desc").split(",")
            rows.sort(key=lambda r: (r.submitted, r.pos),
                      reverse=len(srt) < 2 or srt[1] != "asc")
        total = len(rows)
        items = [self.item(s, r) for r in rows[:size]]
        return Resp(200, jdump({"total_items": total,
                                "page_count": (total + size - 1) // size,
                                "items": items}))


# ---------------------------------------------------------------------------
# The server


class Emu:
    def __init__(self, args):
        self.args = args
        self.token = os.environ.get("EMU_TOKEN") or DEFAULT_TOKEN
        self.tokens = {p: os.environ.get("EMU_TOKEN_" + p.upper()) or
                       self.token for p in PROVIDERS}
        self.lock = threading.Lock()
        self.seq = 0
        self.no = 0
        self.limits = {}
        for spec in args.limit or []:
            k, _, v = spec.partition("=")
            self.limits[k] = int(v)
        self.faults = [Fault(f) for f in args.fault or []]
        self.surveys = []
        self.load(args.data, args.defs)
        self.providers = {p.name: p for p in (
            SurveyMonkey(self), SmartSurvey(self), Qualtrics(self),
            LimeSurvey(self), Typeform(self))}
        self.stats = {"requests": {p: 0 for p in PROVIDERS},
                      "over_limit": {p: 0 for p in PROVIDERS},
                      "faults": [], "statuses": {}, "sessions": []}
        self.apply_data_faults()

    def limit(self, key, default):
        return self.limits.get(key, default)

    def has_fault(self, name):
        return any(f.name == name for f in self.faults)

    def fault_num(self, name, default):
        for f in self.faults:
            if f.name == name:
                return f.num(default)
        return default

    def load(self, data, defs):
        names = sorted(n[:-4] for n in os.listdir(data) if n.endswith(".csv"))
        for n in names:
            dj = os.path.join(defs, n + ".json")
            if not os.path.exists(dj):
                dj = os.path.join(data, n + ".json")
            if not os.path.exists(dj):
                continue
            self.surveys.append(Survey(dj, os.path.join(data, n + ".csv"),
                                       self))
        if not self.surveys:
            raise SystemExit("whc-emu: no dataset in %s (CSV files with "
                             "definitions beside them or in %s)" %
                             (data, defs))

    def apply_data_faults(self):
        for f in self.faults:
            if f.name == "partial":
                for s in self.surveys:
                    for r in s.rows[-f.num(3):]:
                        r.complete = False
            elif f.name == "same-second":
                for s in self.surveys:
                    t = max(r.modified for r in s.rows)
                    for r in s.rows:
                        r.modified = r.submitted = t
            elif f.name == "late":
                for s in self.surveys:
                    rows = sorted(s.rows, key=lambda r: r.submitted)
                    top = rows[-1].submitted
                    for i, r in enumerate(rows[-1 - f.num(3):-1]):
                        r.submitted = top - 10 * (i + 1)
                        r.visible_from = f.at or 3
                        r.pos = s.next_pos
                        s.next_pos += 1
                f.at = None             # a state of the data, not a request

    def set_faults(self, specs):
        self.faults = [Fault(f) for f in specs]
        self.no = 0

    def survey_of(self, provider, req):
        p = self.providers[provider]
        if provider == "limesurvey":
            try:
                params = json.loads(req.body).get("params", [])
                return p.survey(str(params[1]))
            except (ValueError, AttributeError, IndexError, TypeError):
                return None
        parts = req.path.split("/")
        for x in parts:
            s = p.survey(x)
            if s is not None:
                return s
        return None

    def write_stats(self):
        if self.args.stats:
            tmp = self.args.stats + ".tmp"
            with open(tmp, "w") as fp:
                json.dump(self.stats, fp, indent=1, sort_keys=True)
            os.replace(tmp, self.args.stats)

    def log(self, line):
        if self.args.log:
            with open(self.args.log, "a") as fp:
                fp.write(line + "\n")

    def write_config(self, path, port):
        out = []
        for s in self.surveys:
            for p in PROVIDERS:
                base = {"surveymonkey": "/surveymonkey/v3",
                        "smartsurvey": "/smartsurvey/v1",
                        "qualtrics": "/qualtrics/API/v3",
                        "limesurvey": "/limesurvey/index.php/admin/"
                                      "remotecontrol",
                        "typeform": "/typeform"}[p]
                out.append('[source "%s-%s"]' % (SHORT[p], s.id))
                out.append("\tprovider = %s" % p)
                out.append("\tsurvey = %s" % s.ids[p])
                out.append("\turl = http://127.0.0.1:%d%s" % (port, base))
                out.append("\tquestionnaire = %s" % s.def_path)
                if p == "smartsurvey":
                    out.append("\ttoken_env = EMU_SS_TOKEN")
                else:
                    out.append("\ttoken_env = EMU_TOKEN")
                if p == "limesurvey":
                    out.append("\tuser = %s" % LS_USER)
        tmp = path + ".tmp"
        with open(tmp, "w") as fp:
            fp.write("# Written by whc-emu: one source per provider and "
                     "survey.\n" + "\n".join(out) + "\n")
        os.replace(tmp, path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "whc-emu/1"
    emu = None

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.serve("GET")

    def do_POST(self):
        self.serve("POST")

    def do_DELETE(self):
        self.serve("DELETE")

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def serve(self, method):
        emu = self.emu
        arrival = time.time()           # what the limits count
        u = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(u.query, keep_blank_values=True)
        body = self.read_body()
        provider = u.path.split("/")[1] if u.path.count("/") >= 1 else ""
        if provider == "_emu":
            return self.control(method, u.path, query, body)
        if emu.args.handshake and not getattr(self, "greeted", False):
            # A new connection's first request reaches the API late: the
            # TCP and TLS handshakes come first.
            self.greeted = True
            time.sleep(emu.args.handshake / 1000.0)
            arrival = time.time()
        if provider not in emu.providers:
            return self.send(Resp(404, b"no such provider\n", "text/plain"))
        hdrs = {k: v for k, v in self.headers.items()}
        with emu.lock:
            emu.no += 1
            req = Req(method, u.path, query, hdrs, body, emu.no)
            emu.stats["requests"][provider] += 1
            fault = next((f for f in emu.faults if f.hits(req.no)), None)
        with emu.lock:
            p = emu.providers[provider]
            now = arrival + (emu.args.latency or 0) / 1000.0
            resp = None
            if fault is not None:
                fault.fired += 1
                emu.stats["faults"].append("%s at %d" % (fault.spec, req.no))
                resp = self.fault_resp(fault, p, req)
            if resp is None:
                resp = p.limited(req, now)
                if resp is not None:
                    emu.stats["over_limit"][provider] += 1
            if resp is None:
                try:
                    resp = p.handle(req)
                except Exception as e:        # a bug here: say so, loudly
                    resp = Resp(500, ("whc-emu bug: %r\n" % e).encode(),
                                "text/plain")
                    print("whc-emu: bug: %r" % e, file=sys.stderr)
            resp.headers.extend(p.quota_headers(now))
            st = emu.stats["statuses"]
            st[str(resp.status)] = st.get(str(resp.status), 0) + 1
            for f in emu.faults:
                if f.name == "churn" and f.hits(req.no):
                    s = emu.survey_of(provider, req)
                    if s is not None:
                        s.churn(f.num(5), provider)
            emu.log("%d %s %s %s %d" % (req.no, provider, method,
                                        self.path, resp.status))
        if emu.args.latency:
            # The latency is the request's whole time at the server: our
            # own work counts towards it (a big page may take longer).
            left = emu.args.latency / 1000.0 - (time.time() - arrival)
            if left > 0:
                time.sleep(left)
        if fault is not None and fault.name in ("reset", "truncate",
                                                "stall", "badjson"):
            return self.break_it(fault, resp)
        if fault is not None and fault.name == "slow":
            time.sleep(float(fault.arg or "2"))
        self.send(resp)

    def fault_resp(self, fault, p, req):
        n = fault.name
        if re.match(r"^\d{3}$", n):
            r = p.error(int(n), req)
            if n == "429":
                r.headers.append(("Retry-After", "1"))
            return r
        if n == "session-expire" and p.name == "limesurvey":
            p.sessions.clear()
        return None

    def break_it(self, fault, resp):
        n = fault.name
        if n == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if n == "badjson":
            body = resp.body[:max(1, len(resp.body) // 2)] + b"<oops"
            resp = Resp(200, body, "application/json", resp.headers)
            return self.send(resp)
        half = resp.body[:len(resp.body) // 2]
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.ctype)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        self.wfile.write(half)
        self.wfile.flush()
        if n == "stall":
            time.sleep(float(fault.arg or "3600"))
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def send(self, resp):
        try:
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.ctype)
            self.send_header("Content-Length", str(len(resp.body)))
            for k, v in resp.headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(resp.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def control(self, method, path, query, body):
        emu = self.emu
        q = {k: v[-1] for k, v in query.items()}
        with emu.lock:
            if path == "/_emu/stats":
                st = dict(emu.stats, open_sessions=len(
                    emu.providers["limesurvey"].sessions))
                return self.send(Resp(200, jdump(st)))
            if path == "/_emu/faults" and method == "POST":
                try:
                    emu.set_faults(body.decode().split())
                except ValueError as e:
                    return self.send(Resp(400, str(e).encode(),
                                          "text/plain"))
                return self.send(Resp(200, b"ok\n", "text/plain"))
            m = re.match(r"^/_emu/dump/([^/]+)\.csv$", path)
            if m:
                s = next((s for s in emu.surveys if s.id == m.group(1)),
                         None)
                if s is None:
                    return self.send(Resp(404, b"no such survey\n",
                                          "text/plain"))
                return self.send(Resp(200, s.dump_csv(), "text/csv"))
            if path == "/_emu/churn" and method == "POST":
                for s in emu.surveys:
                    if q.get("survey") in (None, s.id):
                        s.churn(int(q.get("n", "5")),
                                q.get("provider", ""))
                return self.send(Resp(200, b"ok\n", "text/plain"))
        return self.send(Resp(404, b"no such control\n", "text/plain"))


def main():
    ap = argparse.ArgumentParser(
        description="Emulates five survey providers' export APIs on "
        "127.0.0.1 (see the top of this file).",
        epilog="Control: GET /_emu/stats, GET /_emu/dump/DEF-ID.csv, POST "
        "/_emu/faults (body: fault specs), POST /_emu/churn?survey=ID&n=K.")
    ap.add_argument("--data", required=True,
                    help="directory of survey CSV files (whc-gen demo)")
    ap.add_argument("--defs", default=os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", "..", "questionnaires", "defs"),
        help="directory of questionnaire definitions (NAME.json per "
        "NAME.csv; default questionnaires/defs)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", help="write the port here when ready")
    ap.add_argument("--config", help="write a whc config with one source "
                    "per provider and survey here")
    ap.add_argument("--stats", help="write request statistics here on exit")
    ap.add_argument("--log", help="append one line per request here")
    ap.add_argument("--latency", type=float, default=0,
                    help="milliseconds every API request takes at least "
                    "(the emulator's own work counts towards them)")
    ap.add_argument("--handshake", type=float, default=0,
                    help="milliseconds the first API request on each new "
                    "connection reaches the API late (TCP and TLS "
                    "handshakes), before the limits count it")
    ap.add_argument("--limit", action="append", metavar="PROVIDER.KEY=N",
                    help="change a limit: surveymonkey.minute (120), "
                    "surveymonkey.window (60: seconds of the minute "
                    "window), "
                    "surveymonkey.day (500), smartsurvey.minute (120), "
                    "smartsurvey.window (60), "
                    "smartsurvey.day (2500), qualtrics.minute (3000), "
                    "qualtrics.export_minute (100), typeform.second (2), "
                    "limesurvey.session (7200 seconds); 0 = no limit")
    ap.add_argument("--fault", action="append", metavar="SPEC",
                    help="inject a fault (see --help-faults)")
    ap.add_argument("--help-faults", action="store_true")
    if "--help-faults" in sys.argv:
        print(FAULT_HELP)
        return 0
    args = ap.parse_args()
    try:
        emu = Emu(args)
    except ValueError as e:
        print("whc-emu: %s" % e, file=sys.stderr)
        return 2
    Handler.emu = emu
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 64
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    port = srv.server_address[1]

    def stop(signum, frame):
        # Always exit: the directory of the statistics may be gone (an
        # orphan whose test was cleaned up must not live on).
        try:
            emu.write_stats()
        except OSError:
            pass
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.config:
        emu.write_config(args.config, port)
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as fp:
            fp.write("%d\n" % port)
        os.replace(args.port_file + ".tmp", args.port_file)
    parent = os.getppid()

    def orphan_watch():
        # A test that dies must not leave us running.
        while os.getppid() == parent:
            time.sleep(0.5)
        stop(0, None)
    threading.Thread(target=orphan_watch, daemon=True).start()
    print("whc-emu: listening on http://127.0.0.1:%d (%d surveys)" %
          (port, len(emu.surveys)), file=sys.stderr, flush=True)
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
