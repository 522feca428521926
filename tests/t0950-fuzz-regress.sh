#!/bin/sh
# SPDX-License-Identifier: MIT
# The fuzz targets' seed corpora and every input that once crashed one
# (fuzz/corpus/NAME, fuzz/regress/NAME) run through the target's replay
# build ($WHC_BUILD/fuzz/replay-NAME; under `make asan` with ASan and
# UBSan): none may crash.
. "$(dirname "$0")/lib.sh"
test_description 'fuzz corpora and crash regressions'

for n in csv config qn where surveymonkey smartsurvey qualtrics \
    limesurvey typeform; do
	test_expect_success "$n: corpus and regressions run clean" "
		test -x \"\$WHC_BUILD/fuzz/replay-$n\" &&
		test -n \"\$(ls \"\$SRC/fuzz/corpus/$n\")\" &&
		\"\$WHC_BUILD/fuzz/replay-$n\" -v \
		    \"\$SRC/fuzz/corpus/$n\" \"\$SRC/fuzz/regress/$n\" 2>log &&
		grep -c '^replay:' log
	"
done

test_done
