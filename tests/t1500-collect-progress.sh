#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc collect's progress line (source, pages, responses, rate, ETA) shows
# on a terminal and nowhere else; --quiet silences it and the summary,
# --verbose adds a line per request.  The terminal is a pseudo-terminal
# made by python3 on whc's stderr; stdout goes to a file.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/collect-lib.sh"
test_description 'whc collect: progress on a terminal, --quiet, --verbose'

# Small pages and some latency, so that there is progress to show.
emu_start_fast --latency 20 || test_bug_ "the emulator did not start"
set_key sm-whc-2025 page_size 25

# on_tty CMD...: runs CMD with its stderr on a pseudo-terminal (copied to
# tty.err) and its stdout in tty.out; returns CMD's exit status.
on_tty () {
	python3 - "$@" <<'PY'
import os, pty, subprocess, sys
m, s = pty.openpty()
with open("tty.out", "wb") as out:
    p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL,
                         stdout=out, stderr=s)
os.close(s)
got = b""
while True:
    try:
        d = os.read(m, 65536)
    except OSError:                 # EIO: the terminal was closed
        break
    if not d:
        break
    got += d
open("tty.err", "wb").write(got)
sys.exit(p.wait())
PY
}

# lines: tty.err as lines (each carriage return ends one), erase-line
# sequences dropped, into the file lines.
ESC=$(printf "\033")
lines () {
	tr "\r" "\n" <tty.err | sed "s/$ESC\[K//g" >lines
}

test_expect_success 'a terminal shows the progress line; warnings start a new line' '
	on_tty whc --config whc.conf --db tty.db collect \
	    --source sm-whc-2025 &&
	lines &&
	grep "whc: collecting .sm-whc-2025.: [0-9]* pages, [0-9]* responses of [0-9]*, [0-9]* requests, [0-9]*/s, ETA [0-9]* s" lines &&
	grep "whc: collecting .sm-whc-2025.: 1 page, 25 responses of " lines &&
	grep "whc: collecting .sm-whc-2025.: 2 pages, " lines &&
	grep "^whc: source .sm-whc-2025.: warning: " lines &&
	! grep "collecting.*whc: " lines &&
	grep "^sm-whc-2025: .* new or changed" tty.out
'

test_expect_success 'not a terminal: no progress line, the summary on stdout' '
	whc --config whc.conf --db pipe.db collect --source sm-whc-2025 \
	    >out 2>err &&
	! grep collecting err &&
	! grep "$(printf "\r")" err &&
	grep "warning: " err &&
	grep "^sm-whc-2025: .* new or changed" out
'

test_expect_success '--quiet on a terminal: nothing at all' '
	on_tty whc -q --config whc.conf --db quiet.db collect \
	    --source sm-whc-2025 &&
	test_must_be_empty tty.err &&
	test_must_be_empty tty.out &&
	sqlite3 quiet.db "SELECT count(*) FROM response" >n &&
	test "$(cat n)" -gt 300
'

test_expect_success '--verbose on a terminal: each request, and progress' '
	on_tty whc --config whc.conf --db verbose.db collect --verbose \
	    --source sm-whc-2025 &&
	lines &&
	grep "^whc: sm-whc-2025: GET http://127.0.0.1:$EMU_PORT/surveymonkey/v3/surveys/[0-9]*/responses/bulk?.* -> 200, [0-9]* bytes, [0-9]* ms" lines &&
	grep "whc: collecting .sm-whc-2025.: [0-9]* pages" lines &&
	! grep -F "$EMU_TOKEN" tty.err tty.out
'

test_expect_success 'an error on a terminal starts on a line of its own' '
	on_tty env EMU_TOKEN=wrong whc --config whc.conf --db err.db collect \
	    --source sm-whc-2025 ;
	test $? = 3 &&
	lines &&
	grep "^whc: source .sm-whc-2025.: GET .* HTTP 401" lines
'

test_done
