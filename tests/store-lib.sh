# SPDX-License-Identifier: MIT
# tests/store-lib.sh: helpers for the fault and crash tests (t5NNN),
# sourced after lib.sh.
#
#	snap DB OUT	the content of DB as SQL into OUT (the time a row was
#			added, the last column of a questionnaire or batch,
#			masked), after checking that DB passes
#			PRAGMA integrity_check
#	make_base	base.db: the demo survey of 2019-2024 (its CSVs in
#			data/), and its content in the file before

DEFS=$SRC/questionnaires/defs

snap () {
	sqlite3 "$1" .dump |
	sed "s/,'[0-9-]*T[0-9:]*Z');\$/,TIME);/" >"$2" &&
	sqlite3 "$1" "PRAGMA integrity_check" >"$2.check" &&
	echo ok >ok.want && test_cmp ok.want "$2.check"
}

make_base () {
	whc-gen demo --out data >/dev/null &&
	for y in 2019 2020 2021 2022 2023 2024; do
		whc --db base.db import -q --questionnaire "$DEFS/whc-$y.json" \
		    "data/whc-$y.csv" || return 1
	done &&
	test ! -f base.db-wal &&
	snap base.db before
}
