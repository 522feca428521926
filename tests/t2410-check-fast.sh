#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# whc check's fast pass (parts read by threads, an in-place tokeniser,
# per-part memos, hashed ids) says exactly what the ordinary reader says,
# however the file is cut: quoted line ends at a cut, repeated ids across
# parts, Excel's habits, malformed records, odd line ends.
. "$(dirname "$0")/lib.sh"
test_description 'whc check: the fast pass agrees with the ordinary reader'

DEFS="$SRC/questionnaires/defs"

# same FILE ARGS...: whc check in 1, 2, 3 and 7 parts and the ordinary
# reader print the same, byte for byte.
same () {
	f=$1
	shift
	WHC_CHECK_SLOW=1 whc check "$@" "$f" >slow.out 2>slow.err
	echo $? >slow.rc
	for np in 1 2 3 7; do
		WHC_CHECK_PARTS=$np whc check "$@" "$f" >fast.out 2>fast.err
		echo $? >fast.rc
		test_cmp slow.out fast.out && test_cmp slow.err fast.err &&
		test_cmp slow.rc fast.rc || return 1
	done
}

test_expect_success 'the demo exports (BOM, CRLF, ;, every field quoted, quoted line ends)' '
	whc-gen demo --out exports >/dev/null 2>&1 &&
	for y in 2019 2020 2021 2022 2023 2024 2025; do
		same exports/whc-$y.csv -Q "$DEFS/whc-$y.json" || return 1
	done &&
	grep "responses (.*) checked against whc-2025" fast.out
'

test_expect_success 'a large export in parts, with ids repeated across them' '
	whc-gen bench --out b --responses 90000 --years 2025-2025 >/dev/null &&
	{ cat b/bench-2025.csv; sed -n "2,40p" b/bench-2025.csv; } >big.csv &&
	test "$(wc -c <big.csv)" -gt 8388608 &&
	same big.csv -Q b/bench-2025.json &&
	grep "response id repeated in file: .B2025-0000001. (1 more time" slow.err &&
	test "$(grep -c "repeated in file" fast.err)" = 39 &&
	whc check -Q b/bench-2025.json big.csv >out 2>err &&
	grep "^.big.csv.: 90039 responses (810351 answers)" out
'

# cutcheck.py FILE: the 2-part cut (just after the first line end past
# the middle of the data) falls inside the quoted field that starts "Q1.
cat >cutcheck.py <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
data = b.index(b"\n") + 1
mid = data + (len(b) - data) // 2
cut = b.index(b"\n", mid) + 1
q = b.index(b"Q1,")
end = b.index(b'"\n', q) + 2
assert q < cut < end, (q, cut, end)
print("cut inside", q, cut, end)
PY

test_expect_success 'a cut inside a quoted line end is noticed' '
	long=$(printf "%05000d" 0 | tr 0 x) &&
	{
		head -1 b/bench-2025.csv
		sed -n "2,20000p" b/bench-2025.csv
		printf "Q1,2025-01-01,Team 001,Social Worker,3,10,37,Agree,Often,No,\"%s\n%s\n%s\"\n" \
		    "$long" "$long" "$long"
		sed -n "20001,39999p" b/bench-2025.csv
	} >cut.csv &&
	python3 cutcheck.py cut.csv &&
	same cut.csv -Q b/bench-2025.json &&
	grep "39999 responses (.*) checked" fast.out
'

test_expect_success 'malformed records: the ordinary reader reports them' '
	{ head -1000 b/bench-2025.csv; echo "X1,\"a\"b,c"; echo "X2,1"; } >bad.csv &&
	same bad.csv -Q b/bench-2025.json &&
	grep "error: malformed CSV: text after a closing quote" fast.err &&
	grep "error: wrong number of fields" fast.err
'

test_expect_success 'no final line end, blank lines, CR line ends, empty ids' '
	head -300 b/bench-2025.csv | tr "\n" "\r" >cr.csv &&
	same cr.csv -Q b/bench-2025.json &&
	{ head -200 b/bench-2025.csv; echo; echo; sed -n "201,300p" b/bench-2025.csv |
	    sed "5s/^B2025-[0-9]*//"; printf "%s" "$(sed -n 301p b/bench-2025.csv)"; } >odd.csv &&
	same odd.csv -Q b/bench-2025.json &&
	grep "response has no id" fast.err &&
	grep "300 responses" fast.out
'

test_done
