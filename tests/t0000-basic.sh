#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016
# CLI basics: help, version, unknown commands and options, exit codes.
. "$(dirname "$0")/lib.sh"
test_description 'whc command line basics'

test_expect_success 'whc --help lists every command and the exit codes' '
	whc --help >out &&
	grep "^  import " out && grep "^  breakdown " out &&
	grep "^  report " out && grep "3 environment" out
'

test_expect_success 'whc --version' '
	whc --version >out &&
	grep "^whc [0-9]" out
'

test_expect_success 'every command answers --help on stdout with exit 0' '
	for c in import breakdown report; do
		whc $c --help >out 2>err &&
		grep "^usage: whc $c" out &&
		test_must_be_empty err || return 1
	done
'

test_expect_success 'no command is a usage error (2)' '
	test_expect_code 2 whc 2>err &&
	grep usage err
'

test_expect_success 'unknown command is a usage error (2)' '
	test_expect_code 2 whc frobnicate 2>err &&
	grep "not a whc command" err
'

test_expect_success 'unknown option is a usage error (2)' '
	test_expect_code 2 whc breakdown stress --bogus 2>err &&
	grep "usage: whc breakdown" err
'

test_expect_success 'missing required option is a usage error (2)' '
	test_expect_code 2 whc import x.csv 2>err &&
	grep "questionnaire is required" err &&
	test_expect_code 2 whc report 2>err &&
	grep "out DIR is required" err
'

test_expect_success 'bad --year is a usage error (2)' '
	test_expect_code 2 whc breakdown stress --year 20x5 2>err &&
	grep "year" err
'

test_expect_success 'a missing store is an environment error (3)' '
	test_expect_code 3 whc --db nowhere.db breakdown stress 2>err &&
	grep "cannot open database .nowhere.db." err &&
	test ! -e nowhere.db
'

test_expect_success 'a file that is not a store is an environment error (3)' '
	echo "not a database" >junk.db &&
	test_expect_code 3 whc --db junk.db breakdown stress 2>err &&
	grep "junk.db" err
'

test_expect_success 'a config syntax error is located (1)' '
	printf "[store]\ndb = x.db\nnonsense\n" >bad.conf &&
	test_expect_code 1 whc --config bad.conf breakdown stress 2>err &&
	grep "bad.conf:3: error: config syntax error" err
'

test_expect_success 'a bad k in the config is located (1)' '
	printf "[disclosure]\nk = 0\n" >k.conf &&
	test_expect_code 1 whc --config k.conf breakdown stress 2>err &&
	grep "k.conf:2: error: bad config value" err
'

test_expect_success 'a config named by --config must exist (3)' '
	test_expect_code 3 whc --config missing.conf breakdown stress 2>err &&
	grep "missing.conf" err
'

test_expect_success 'a write error on stdout is not success' '
	if test -w /dev/full; then
		test_expect_code 3 whc --help >/dev/full 2>err &&
		grep "cannot write" err
	fi
'

test_done
