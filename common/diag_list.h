/* SPDX-License-Identifier: MIT */
/*
 * The catalogue of diagnostics about input data: one line each, giving the
 * code, its severity and its message.  The enum and the message table are
 * generated from this list; `whc check --list` prints it.  Keep sorted by
 * family, then severity.
 */
#define DIAG_LIST(X) \
	X(CONF_SYNTAX,		ERROR,   "config syntax error") \
	X(CONF_KEY,		WARNING, "unknown config key") \
	X(CONF_VALUE,		ERROR,   "bad config value") \
	X(QN_JSON,		ERROR,   "questionnaire is not valid JSON") \
	X(QN_SCHEMA,		ERROR,   "questionnaire definition is invalid") \
	X(QN_PATTERN,		ERROR,   "invalid answer pattern") \
	X(QN_INHERIT,		ERROR,   "cannot inherit") \
	X(QN_COMPARE,		ERROR,   "bad scale mapping") \
	X(QN_MEMBER,		WARNING, "unknown member") \
	X(QN_OVERLAP,		WARNING, "answer matches two levels") \
	X(QN_UNUSED,		NOTE,    "declared but not used") \
	X(TM_JSON,		ERROR,   "team map is not valid JSON") \
	X(TM_SCHEMA,		ERROR,   "team map is invalid") \
	X(TM_OVERLAP,		ERROR,   "team name used twice") \
	X(TM_LINEAGE,		WARNING, "team history does not add up") \
	X(CSV_SYNTAX,		ERROR,   "malformed CSV") \
	X(CSV_FIELDS,		ERROR,   "wrong number of fields") \
	X(CSV_COLUMN,		ERROR,   "column not found") \
	X(CSV_EMPTY,		ERROR,   "no header row") \
	X(ROW_NO_ID,		ERROR,   "response has no id") \
	X(ROW_DUP_ID,		WARNING, "response id repeated in file") \
	X(ROW_NO_TEAM,		NOTE,    "response has no team") \
	X(ANS_UNRECOGNISED,	WARNING, "answer matches no level") \
	X(ANS_NUMBER,		WARNING, "not a number") \
	X(ANS_RANGE,		WARNING, "number out of range") \
	X(TEAM_UNKNOWN,		WARNING, "unknown team") \
	X(TEAM_AMBIGUOUS,	WARNING, "team value matches two teams") \
	X(CHECK_KIND,		ERROR,   "cannot check this file")
