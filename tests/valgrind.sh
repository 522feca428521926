#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/valgrind.sh BUILD [tNNNN...|all]: `make valgrind`.  Runs the C
# unit tests, then end-to-end scripts (by default the subset below), with
# every whc and fuzz replay they start running under valgrind's memcheck:
# full leak checking, and any error or definite/indirect leak fails the
# run.  Suppressions (tests/valgrind.supp) are for third-party libraries
# only.  Each process's report is kept in BUILD/valgrind/logs/.
set -u
cd "$(dirname "$0")/.." || exit 2
src=$PWD
build=$(cd "$1" && pwd) || exit 2
shift
subset=${*:-"t0000 t0950 t2000 t2100 t3000 t4000 t1100"}
# "all": every end-to-end script.
[ "$subset" != all ] ||
    subset=$(cd tests && ls t[0-9][0-9][0-9][0-9]-*.sh | cut -c1-5 | tr '\n' ' ')
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
for f in "$build"/fuzz/replay-*; do
	wrap "$f" "$vg/bin/fuzz/${f##*/}" || exit 2
done
ln -s "$build/whc-gen" "$vg/bin/whc-gen"
ln -s "$build/iofail.so" "$vg/bin/iofail.so"
ln -s "$build/nocurl" "$vg/bin/nocurl"

failed=""
echo "valgrind: unit tests" >&2
$VG "$build/unit-tests" >"$vg/unit.out" 2>&1 || failed="$failed unit"
tail -1 "$vg/unit.out" >&2
for t in $subset; do
	for s in tests/"$t"-*.sh; do
		echo "valgrind: $s" >&2
		WHC_BUILD=$vg/bin sh "$s" >"$vg/${t}.out" 2>&1 ||
		    failed="$failed $t"
		tail -1 "$vg/${t}.out" >&2
	done
done
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
