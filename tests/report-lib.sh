# SPDX-License-Identifier: MIT
# Sourced by the report tests (t4*) after lib.sh.
# shellcheck shell=sh

# demo_store DB: the demo survey (tools/whc-gen, fixed seed), 2019-2025,
# imported into the store DB; the exports are left in ./exports.
demo_store () {
	whc-gen demo --out exports >/dev/null 2>&1 &&
	for y in 2019 2020 2021 2022 2023 2024 2025; do
		whc --db "$1" import -q --questionnaire \
		    "$SRC/questionnaires/defs/whc-$y.json" exports/whc-$y.csv ||
		return 1
	done
}
