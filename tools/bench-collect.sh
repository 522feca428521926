#!/bin/bash
# SPDX-License-Identifier: MIT
# make bench, the collector's part: whc collect against the provider
# emulator (tests/emulator/whc-emu.py) with 50 ms of latency on every
# request and each provider's real request limits.
#  1. The time to collect 20,000 responses from SurveyMonkey, SmartSurvey
#     and Typeform, against the least time their page size and rate limit
#     allow a client making one request after another (the ratio; target
#     <= 1.1).
#  2. The requests of a re-run with nothing new, for all five providers
#     (target <= 2 per source).
# Nothing here asserts a figure: they are for people to read.
#   tools/bench-collect.sh [BUILD_DIR]     WHC_BENCH_COLLECT_N=5000 for a
#                                          quicker run
set -euo pipefail

B=${1:-build}
N=${WHC_BENCH_COLLECT_N:-20000}
LAT=50					# milliseconds per request
OUT=bench-out/collect
WHC="$B/whc"
SRC=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$OUT"
mkdir -p "$OUT"
echo "whc collect bench: $N responses, ${LAT} ms latency per request," \
    "the providers' real limits (in $OUT/)"
"$B/whc-gen" bench --out "$OUT/data" --responses "$N" --years 2025-2025 \
    --teams 60 >/dev/null 2>&1

EMU_TOKEN=bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
EMU_SS_TOKEN="emu-api-token:$EMU_TOKEN"
export EMU_TOKEN EMU_SS_TOKEN
emu_pid=
trap '[ -z "$emu_pid" ] || { kill "$emu_pid"; wait "$emu_pid"; } 2>/dev/null || true' EXIT
rm -f "$OUT/emu.port"
python3 "$SRC/tests/emulator/whc-emu.py" --data "$OUT/data" \
    --defs "$OUT/data" --port-file "$OUT/emu.port" --config "$OUT/whc.conf" \
    --latency "$LAT" 2>"$OUT/emu.out" &
emu_pid=$!
for _ in $(seq 200); do
	[ -s "$OUT/emu.port" ] && break
	sleep 0.05
done
[ -s "$OUT/emu.port" ] || { echo "bench: the emulator did not start:";
    cat "$OUT/emu.out"; exit 3; }
PORT=$(cat "$OUT/emu.port")

# over_limit PROVIDER: the emulator's count of requests over its limits.
over_limit() {
	python3 -c 'import json, sys, urllib.request as u
s = json.load(u.urlopen("http://127.0.0.1:%s/_emu/stats" % sys.argv[1]))
print(s["over_limit"][sys.argv[2]])' "$PORT" "$1"
}

# collect PREFIX: collects source PREFIX-bench-2025 into PREFIX.db; sets
# SECS (wall time) and REQ (requests, from whc's summary line).
collect() {
	local t0 t1
	t0=$(date +%s.%N)
	"$WHC" --config "$OUT/whc.conf" --db "$OUT/$1.db" collect \
	    --source "$1-bench-2025" >"$OUT/$1.out" 2>"$OUT/$1.err" ||
	    { echo "bench: collect $1 failed:"; cat "$OUT/$1.err"; exit 3; }
	t1=$(date +%s.%N)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	REQ=$(sed -n 's/.*; \([0-9]*\) requests, .*/\1/p' "$OUT/$1.out")
}

# bound REQUESTS LIMIT WINDOW KIND: the least time of REQUESTS requests
# made one after another, each taking the latency, when at most LIMIT may
# start in WINDOW seconds: in fixed windows, each opened by the first
# request after the last one closed (KIND "fixed": SurveyMonkey's minute,
# whose reset its headers announce), or in any WINDOW seconds (KIND
# "sliding": the plain meaning of "120 a minute" or "2 a second" where no
# header says more; the emulator's token bucket for Typeform, full at the
# start, would allow one request 0.5 s sooner).
bound() {
	awk -v r="$1" -v l="$2" -v w="$3" -v kind="$4" -v lat="$LAT" 'BEGIN {
		lat /= 1000
		if (kind == "fixed") {
			k = int((r - 1) / l)	# full windows waited out
			printf "%.2f", k * w + (r - k * l) * lat
			exit
		}
		for (i = 0; i < r; i++) {
			t[i] = i ? t[i - 1] + lat : 0
			if (i >= l && t[i - l] + w > t[i])
				t[i] = t[i - l] + w
		}
		printf "%.2f", t[r - 1] + lat
	}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo
echo "1. collecting $N responses, one survey:"
printf '  %-13s %5s %8s %9s %9s %6s %5s\n' provider pages requests \
    "time (s)" "bound (s)" ratio "over"
# row PREFIX PROVIDER PAGES REQUESTS LIMIT WINDOW KIND: collects and prints
# one row (REQUESTS: the fewest the API needs).
row() {
	collect "$1"
	BOUND=$(bound "$4" "$5" "$6" "$7")
	printf '  %-13s %5d %8d %9.2f %9.2f %6s %5s\n' "$2" "$3" "$REQ" \
	    "$SECS" "$BOUND" "$(ratio "$SECS" "$BOUND")" "$(over_limit "$2")"
}
# SurveyMonkey: /details, then bulk pages of 100; 120 requests a minute
# (and 500 a day), announced in its X-Ratelimit-App-Global-Minute-* headers.
pages=$(( (N + 99) / 100 ))
row sm surveymonkey $pages $((pages + 1)) 120 60 fixed
# SmartSurvey: pages of 100 (the totals say which is the last); 120
# requests a minute, no header.
row ss smartsurvey $pages $pages 120 60 sliding
# Typeform: /forms/{id}, then pages of 1,000; 2 requests a second.
pages=$(( (N + 999) / 1000 ))
row tf typeform $pages $((pages + 1)) 2 1 sliding
echo "  (bound: the pages the API needs at its largest page size, plus one"
echo "  call for the questions, one after another at ${LAT} ms each, within"
echo "  the rate limit; over: requests the emulator counted over its limits)"

echo
echo "2. a re-run with nothing new (the same $N responses):"
for p in sm ss qx ls tf; do
	[ -f "$OUT/$p.db" ] || collect "$p"
done
for p in sm ss qx ls tf; do
	collect "$p"
	prov=$(sed -n 's/.* read from \([a-z]*\) for .*/\1/p' "$OUT/$p.out")
	changed=$(sed -n 's/.*: \([0-9]*\) new or changed.*/\1/p' "$OUT/$p.out")
	printf '  %-13s %2d requests, %5.2f s, %s new or changed\n' "$prov" \
	    "$REQ" "$SECS" "$changed"
done
echo "  (target: at most 2 requests per source)"
