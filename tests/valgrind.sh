#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/valgrind.sh BUILD [tNNNN...|all]: `make valgrind`.  Runs the C
# unit tests, then end-to-end scripts (by default the subset below; "all"
# runs every one), with every whc, unit-test and fuzz replay they start
# running under valgrind's memcheck: full leak checking, and any error or
# definite/indirect leak fails the run.  Suppressions
# (tests/valgrind.supp) are for third-party libraries only.
#
# The scripts run through tests/run-all.sh (in parallel, counted the same
# way as `make check`) with WHC_BUILD pointing at a directory of wrappers,
# and WHC_SANITIZED=valgrind, which tells the slowest scripts to sample
# (as under ASan).  Each process's report is kept in BUILD/valgrind/logs/;
# a non-empty one is a failure.
set -u
cd "$(dirname "$0")/.." || exit 2
src=$PWD
build=$(cd "$1" && pwd) || exit 2
shift
subset=${*:-"t0000 t0950 t1000 t1100 t2000 t2100 t3000 t4000 t5300"}
vg=$build/valgrind
rm -rf "$vg"
mkdir -p "$vg/bin/fuzz" "$vg/logs" || exit 2

VG="valgrind --quiet --error-exitcode=99 --leak-check=full"
VG="$VG --show-leak-kinds=definite,indirect"
VG="$VG --errors-for-leak-kinds=definite,indirect"
VG="$VG --suppressions=$src/tests/valgrind.supp"
VG="$VG --log-file=$vg/logs/%p.log"

# wrap REAL LINK: LINK runs REAL under valgrind.
wrap () {
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$VG" "$1" >"$2" &&
	chmod +x "$2"
}
wrap "$build/whc" "$vg/bin/whc" || exit 2
wrap "$build/unit-tests" "$vg/bin/unit-tests" || exit 2
for f in "$build"/fuzz/replay-*; do
	wrap "$f" "$vg/bin/fuzz/${f##*/}" || exit 2
done
ln -s "$build/whc-gen" "$vg/bin/whc-gen"
ln -s "$build/iofail.so" "$vg/bin/iofail.so"
ln -s "$build/nocurl" "$vg/bin/nocurl"

# "all": every script; otherwise run-all.sh runs only the subset.
only=$subset
[ "$subset" != all ] || only=
echo "valgrind: unit tests and ${subset} under memcheck" >&2
failed=""
WHC_SANITIZED=valgrind WHC_TEST_ONLY=$only \
    WHC_TEST_TIMEOUT=${WHC_TEST_TIMEOUT:-5400} \
    tests/run-all.sh "$vg/bin" || failed=" tests"
for l in "$vg"/logs/*.log; do
	if [ -s "$l" ]; then
		echo "valgrind: errors in $l:" >&2
		head -40 "$l" >&2
		failed="$failed ${l##*/}"
	fi
done
if [ -n "$failed" ]; then
	echo "valgrind: FAILED:$failed" >&2
	exit 1
fi
echo "valgrind: clean: unit tests and $subset" >&2
