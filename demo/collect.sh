#!/bin/sh
# SPDX-License-Identifier: MIT
# The demo's collection: a council that ran its health check on SmartSurvey
# until 2021 and on SurveyMonkey from 2022 collects every year with
# `whc collect` from the providers' export APIs, here the provider emulator
# (tests/emulator/whc-emu.py) serving the demo survey's exports on
# 127.0.0.1 at the providers' real request limits.  No network is used; the
# emulator is stopped however this script ends.
# Usage: demo/collect.sh BUILD_DIR OUT_DIR    (demo/run.sh runs it after
#        generating OUT_DIR/exports; it fills OUT_DIR/whc.db)
set -eu

B=$1
OUT=$2
WHC="$B/whc"
SWITCH=2022		# the first year on SurveyMonkey
SRC=$(cd "$(dirname "$0")/.." && pwd)

command -v python3 >/dev/null 2>&1 || {
	echo "demo: python3 (for the provider emulator) is not installed" >&2
	exit 3
}

# The API token reaches the emulator and whc through the environment
# only; SmartSurvey's is "API token:secret".
EMU_TOKEN=demo-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
EMU_SS_TOKEN="emu-api-token:$EMU_TOKEN"
export EMU_TOKEN EMU_SS_TOKEN

emu_pid=
stop_emu() {
	if [ -n "$emu_pid" ]; then
		kill "$emu_pid" 2>/dev/null || true
		wait "$emu_pid" 2>/dev/null || true
		emu_pid=
	fi
}
trap stop_emu EXIT
trap 'stop_emu; exit 130' INT
trap 'stop_emu; exit 143' TERM

rm -f "$OUT/emu.port" "$OUT/emu.stats"
python3 "$SRC/tests/emulator/whc-emu.py" --data "$OUT/exports" \
    --defs "$SRC/questionnaires/defs" --port-file "$OUT/emu.port" \
    --config "$OUT/emu.conf" --stats "$OUT/emu.stats" \
    --log "$OUT/emu.log" 2>"$OUT/emu.out" &
emu_pid=$!
n=0
while [ ! -s "$OUT/emu.port" ]; do
	n=$((n + 1))
	if [ $n -gt 200 ] || ! kill -0 "$emu_pid" 2>/dev/null; then
		echo "demo: the provider emulator did not start:" >&2
		cat "$OUT/emu.out" >&2
		exit 3
	fi
	sleep 0.05
done
echo "   provider emulator on http://127.0.0.1:$(cat "$OUT/emu.port")" \
    "(SmartSurvey and SurveyMonkey APIs, real request limits)"

# The council's config: one source per year, SmartSurvey's before the
# switch and SurveyMonkey's after (the emulator's config lists every
# provider; keep the council's two).
awk -v sw="$SWITCH" -v out="$OUT/collect.conf" -v list="$OUT/sources" '
	/^\[source "/ {
		split($0, a, "\"")
		n = split(a[2], p, "-")
		y = p[n] + 0
		keep = (p[1] == "ss" && y < sw) || (p[1] == "sm" && y >= sw)
		if (keep)
			names = names " " a[2]
	}
	/^\[/ && !/^\[source "/ { keep = 0 }
	BEGIN { print "# The demo council sources (demo/collect.sh)." > out }
	keep { print > out }
	END { print names > list }
' "$OUT/emu.conf"

set --
for s in $(cat "$OUT/sources"); do
	set -- "$@" --source "$s"
done
rc=0
"$WHC" --db "$OUT/whc.db" --config "$OUT/collect.conf" collect "$@" \
    >"$OUT/collect.out" 2>"$OUT/collect.log" || rc=$?
stop_emu
if [ "$rc" -ne 0 ]; then
	echo "demo: whc collect failed (exit $rc):" >&2
	cat "$OUT/collect.log" >&2
	exit "$rc"
fi

# One line per source, then what each provider served.
sed 's/^/   /' "$OUT/collect.out"
for p in smartsurvey surveymonkey; do
	awk -v p="$p" '
		$0 ~ "read from " p " " {
			n++; resp += $2
			for (i = 1; i < NF; i++)
				if ($(i + 1) ~ /^requests/)
					req += $i
		}
		END {
			if (n)
				printf "   %s: %d responses in %d surveys, " \
				    "%d requests\n", p, resp, n, req
		}' "$OUT/collect.out"
done
echo "   (data-quality warnings: $(grep -c warning "$OUT/collect.log" || true)" \
    "lines in $OUT/collect.log; config $OUT/collect.conf)"
