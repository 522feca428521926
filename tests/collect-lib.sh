# SPDX-License-Identifier: MIT
# tests/collect-lib.sh: helpers for the `whc collect` tests (t1NNN), sourced
# after lib.sh.  They run the provider emulator, tests/emulator/whc-emu.py,
# on the demo survey (whc-gen demo) in the test's directory:
#
#	emu_start [EMULATOR OPTIONS]	start it; writes whc.conf (one source
#					per provider and year) and sets
#					EMU_PORT; stopped when the script ends.
#					Call it outside test bodies (they run
#					in subshells).
#	emu_stop			stop it (its statistics go to emu.stats)
#	emu_ctl METHOD PATH [BODY]	a control request (/_emu/...), body on
#					stdout
#	emu_faults 'SPEC...'		replace the faults (and restart the
#					request count)
#	emu_stat KEY PROVIDER		a number from /_emu/stats (requests,
#					over_limit)
#	dump DB				the responses of a store, in a stable
#					order, for comparing stores
#	sources PREFIX			"--source PREFIX-whc-2019 ..." for all
#					the demo years
#
# The credentials are in EMU_TOKEN (and EMU_SS_TOKEN for SmartSurvey's
# "API token:secret"); they reach whc only through the environment.

EMU="$SRC/tests/emulator/whc-emu.py"
EMU_TOKEN=tok-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')-secret
EMU_SS_TOKEN="emu-api-token:$EMU_TOKEN"
YEARS="2019 2020 2021 2022 2023 2024 2025"
export EMU_TOKEN EMU_SS_TOKEN

if ! command -v python3 >/dev/null 2>&1; then
	test_skip_all 'python3 (for the provider emulator) is not installed'
fi

# The demo survey, once per script.
whc-gen demo --out data >/dev/null 2>&1 || test_bug_ "whc-gen demo failed"

emu_pid=
emu_stop () {
	if [ -n "$emu_pid" ]; then
		kill "$emu_pid" 2>/dev/null
		wait "$emu_pid" 2>/dev/null
		emu_pid=
	fi
}
trap 'emu_stop; test_cleanup_' EXIT

emu_start () {
	emu_stop
	rm -f emu.port
	python3 "$EMU" --data "$TRASH/data" --defs "$SRC/questionnaires/defs" \
	    --port-file emu.port --config emu.conf --stats emu.stats \
	    --log emu.log "$@" >emu.out 2>&1 &
	emu_pid=$!
	test_wait_file emu.port "$emu_pid" emu.out || return 1
	EMU_PORT=$(cat emu.port)
	# Quick retries so that the fault tests do not crawl.
	{ cat emu.conf; printf '%s\n' '[collect]' '	backoff_ms = 20' \
	    '	timeout = 3' '	max_wait = 30' '	retries = 4'; } >whc.conf
}

emu_ctl () {
	python3 - "$EMU_PORT" "$@" <<'PY'
import sys, urllib.request
port, method, path = sys.argv[1:4]
body = sys.argv[4].encode() if len(sys.argv) > 4 else None
req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path),
                             data=body, method=method)
sys.stdout.write(urllib.request.urlopen(req).read().decode())
PY
}

emu_faults () {
	emu_ctl POST /_emu/faults "$1" >/dev/null
}

emu_stat () {
	emu_ctl GET /_emu/stats | python3 -c \
	    'import json, sys; print(json.load(sys.stdin)[sys.argv[1]][sys.argv[2]])' \
	    "$1" "$2"
}

dump () {
	sqlite3 "$1" "SELECT s.name, r.rid, r.year, r.modified, r.raw FROM response r JOIN source s ON s.id = r.source_id ORDER BY 1, 2"
}

sources () {
	for y in $YEARS; do
		printf ' --source %s-whc-%s' "$1" "$y"
	done
}

# The reference: the demo CSVs imported into ref.db, and the breakdowns
# of its three scale items over all years (k = 1, so nothing is withheld).
printf '[disclosure]\nk = 1\n' >k1.conf
make_ref () {
	for y in $YEARS; do
		whc --db ref.db import -q --questionnaire \
		    "$SRC/questionnaires/defs/whc-$y.json" "data/whc-$y.csv" \
		    2>/dev/null || return 1
	done
}

# breakdowns DB OUT: the three scale items of DB into the file OUT.
breakdowns () {
	for item in stress workload_manageable intend_to_leave; do
		whc --config k1.conf --db "$1" breakdown --internal "$item" \
		    --year 2019-2025 --format csv || return 1
	done >"$2"
}

# emu_start_fast [OPTIONS]: the emulator with its request limits raised,
# and whc.conf's sources paced to match, for tests about other things.
emu_start_fast () {
	emu_start --limit typeform.second=1000 --limit smartsurvey.minute=0 \
	    --limit surveymonkey.minute=0 --limit surveymonkey.day=0 \
	    --limit smartsurvey.day=0 "$@" || return 1
	sed -i -e '/^\[source "\(ss\|tf\)-/a\	rate = 0' whc.conf
}

# set_key SOURCE KEY VALUE: sets a key of one source in whc.conf.
set_key () {
	sed -i "/^\\[source \"$1\"\\]/a\\	$2 = $3" whc.conf
}

# same_year DB YEAR [REF]: DB holds the same responses of YEAR as REF
# (default ref.db): counts and the three breakdowns.
same_year () {
	for item in stress workload_manageable intend_to_leave; do
		whc --config k1.conf --db "${3:-ref.db}" breakdown --internal "$item" \
		    --year "$2" --format csv >same.want || return 1
		whc --config k1.conf --db "$1" breakdown --internal "$item" \
		    --year "$2" --format csv >same.got || return 1
		test_cmp same.want same.got || return 1
	done
	sqlite3 "${3:-ref.db}" "SELECT count(*) FROM response WHERE year = $2" >same.want &&
	sqlite3 "$1" "SELECT count(*) FROM response WHERE year = $2" >same.got &&
	test_cmp same.want same.got
}

# emu_ref YEAR: the emulator's survey of YEAR as it is now, imported into
# emu-ref.db (for comparing after it changed responses).
emu_ref () {
	rm -f emu-ref.db emu-ref.db-wal emu-ref.db-shm &&
	emu_ctl GET "/_emu/dump/whc-$1.csv" >emu-ref.csv &&
	whc --db emu-ref.db import -q --questionnaire \
	    "$SRC/questionnaires/defs/whc-$1.json" emu-ref.csv 2>/dev/null
}

# sound DB: the store passes SQLite's check and holds no half response.
sound () {
	sqlite3 "$1" "PRAGMA integrity_check" >sound.out &&
	echo ok >sound.want && test_cmp sound.want sound.out &&
	sqlite3 "$1" "SELECT count(*) FROM response WHERE raw = '' OR length(norm) = 0 OR batch_id NOT IN (SELECT id FROM batch)" >sound.out &&
	echo 0 >sound.want && test_cmp sound.want sound.out
}
