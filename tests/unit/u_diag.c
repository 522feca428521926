/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/diag.c: failures and their class, the exact text
 * of located diagnostics, the per-code limit and the counters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "tests/unit/unit.h"

TEST(diag_err_is_data_class)
{
	struct diag d = DIAG_INIT;

	ASSERT_EQ(d.worst_class, 0);
	ASSERT_EQ(diag_err(&d, "bad %s at %d", "thing", 3), -1);
	ASSERT_EQ(d.worst_class, DIAG_CLASS_DATA);
	ASSERT_EQ(d.nr, 1);
	ASSERT_STR_EQ(d.v[0].text, "bad thing at 3");
	ASSERT_EQ(d.v[0].code, DIAG_NONE);
	ASSERT_EQ(d.v[0].sev, DIAG_SEV_ERROR);
	ASSERT_EQ(d.v[0].cls, DIAG_CLASS_DATA);
	ASSERT_EQ(diag_errors(&d), 1);
	diag_release(&d);
}

TEST(diag_env_is_env_class)
{
	struct diag d;

	diag_init(&d);
	ASSERT_EQ(diag_env(&d, "cannot open %s", "db.sqlite"), -1);
	ASSERT_EQ(d.worst_class, DIAG_CLASS_ENV);
	ASSERT_EQ(d.v[0].cls, DIAG_CLASS_ENV);
	ASSERT_STR_EQ(d.v[0].text, "cannot open db.sqlite");
	/* A later data error does not lower the worst class. */
	ASSERT_EQ(diag_err(&d, "bad"), -1);
	ASSERT_EQ(d.worst_class, DIAG_CLASS_ENV);
	ASSERT_EQ(diag_errors(&d), 2);
	diag_release(&d);

	diag_init(&d);
	diag_err(&d, "bad");
	ASSERT_EQ(d.worst_class, DIAG_CLASS_DATA);
	diag_env(&d, "disk full");
	ASSERT_EQ(d.worst_class, DIAG_CLASS_ENV);
	diag_release(&d);
}

TEST(diag_errno_appends_strerror)
{
	struct diag d = DIAG_INIT;
	struct buf want = BUF_INIT;

	buf_addf(&want, "cannot open 'x.csv': %s", strerror(ENOENT));
	errno = ENOENT;
	ASSERT_EQ(diag_errno(&d, "cannot open '%s'", "x.csv"), -1);
	ASSERT_STR_EQ(d.v[0].text, want.data);
	ASSERT_EQ(d.worst_class, DIAG_CLASS_ENV);
	buf_release(&want);
	diag_release(&d);
}

TEST(diag_at_file_line_col)
{
	struct diag d = DIAG_INIT;
	struct loc loc = { "file", 3, 7, NULL };

	ASSERT_EQ(diag_at(&d, DIAG_ANS_UNRECOGNISED, &loc, "'%s' in item %s",
	    "Sometimes", "q4"), 0);
	ASSERT_EQ(d.nr, 1);
	ASSERT_STR_EQ(d.v[0].text, "file:3:7: warning: answer matches no "
	    "level: 'Sometimes' in item q4");
	ASSERT_EQ(d.v[0].code, DIAG_ANS_UNRECOGNISED);
	ASSERT_EQ(d.v[0].sev, DIAG_SEV_WARNING);
	ASSERT_EQ(d.v[0].cls, DIAG_CLASS_DATA);
	/* A warning is neither an error nor a reason to fail. */
	ASSERT_EQ(diag_errors(&d), 0);
	ASSERT_EQ(d.worst_class, 0);
	ASSERT_EQ(d.count[DIAG_SEV_WARNING], 1);
	diag_release(&d);
}

TEST(diag_at_json_path)
{
	struct diag d = DIAG_INIT;
	struct loc loc = { "file", 0, 0, "items[2].scale" };

	ASSERT_EQ(diag_at(&d, DIAG_QN_SCHEMA, &loc, "unknown scale '%s'",
	    "likert9"), -1);
	ASSERT_STR_EQ(d.v[0].text, "file: items[2].scale: error: "
	    "questionnaire definition is invalid: unknown scale 'likert9'");
	ASSERT_EQ(d.worst_class, DIAG_CLASS_DATA);
	ASSERT_EQ(diag_errors(&d), 1);
	diag_release(&d);
}

TEST(diag_at_without_details)
{
	struct diag d = DIAG_INIT;
	struct loc line_only = { "r.csv", 12, 0, NULL };

	ASSERT_EQ(diag_at(&d, DIAG_ROW_NO_TEAM, &line_only, NULL), 0);
	ASSERT_STR_EQ(d.v[0].text, "r.csv:12: note: response has no team");
	ASSERT_EQ(diag_at(&d, DIAG_ANS_NUMBER, NULL, "'%s'", "abc"), 0);
	ASSERT_STR_EQ(d.v[1].text, "warning: not a number: 'abc'");
	ASSERT_EQ(d.count[DIAG_SEV_NOTE], 1);
	ASSERT_EQ(d.count[DIAG_SEV_WARNING], 1);
	diag_release(&d);
}

TEST(diag_loc_str)
{
	struct loc l;
	char *s;

	s = diag_loc_str(NULL);
	ASSERT_STR_EQ(s, "");
	free(s);
	l = (struct loc){ NULL, 0, 0, NULL };
	s = diag_loc_str(&l);
	ASSERT_STR_EQ(s, "");
	free(s);
	l = (struct loc){ "a.json", 0, 0, NULL };
	s = diag_loc_str(&l);
	ASSERT_STR_EQ(s, "a.json: ");
	free(s);
	l = (struct loc){ "a.csv", 5, 0, NULL };
	s = diag_loc_str(&l);
	ASSERT_STR_EQ(s, "a.csv:5: ");
	free(s);
	/* A column without a line is not shown. */
	l = (struct loc){ "a.csv", 0, 9, NULL };
	s = diag_loc_str(&l);
	ASSERT_STR_EQ(s, "a.csv: ");
	free(s);
	l = (struct loc){ NULL, 0, 0, "items[0]" };
	s = diag_loc_str(&l);
	ASSERT_STR_EQ(s, "items[0]: ");
	free(s);
	l = (struct loc){ "a.json", 0, 0, "" };
	s = diag_loc_str(&l);
	ASSERT_STR_EQ(s, "a.json: ");
	free(s);
	/* With a line, the path goes into the message (see diag_at). */
	l = (struct loc){ "https://x.test/api?page=2", 1, 40, "data[7].id" };
	s = diag_loc_str(&l);
	ASSERT_STR_EQ(s, "https://x.test/api?page=2:1:40: ");
	free(s);
}

TEST(diag_at_line_and_json_path)
{
	struct diag d = DIAG_INIT;
	struct loc loc = { "q.json", 14, 9, "items[2].scale" };

	ASSERT_EQ(diag_at(&d, DIAG_QN_SCHEMA, &loc, "unknown scale '%s'",
	    "likert9"), -1);
	ASSERT_STR_EQ(d.v[0].text, "q.json:14:9: error: questionnaire "
	    "definition is invalid: items[2].scale: unknown scale 'likert9'");
	diag_release(&d);
}

TEST(diag_per_code_limit)
{
	struct diag d = DIAG_INIT;
	struct loc loc = { "r.csv", 0, 0, NULL };

	d.limit = 3;
	for (unsigned long i = 1; i <= 5; i++) {
		loc.line = i;
		ASSERT_EQ(diag_at(&d, DIAG_ANS_RANGE, &loc, "%lu", i), 0);
	}
	ASSERT_EQ(d.nr, 3);
	ASSERT_EQ(d.dropped, 2);
	ASSERT_EQ(d.per_code[DIAG_ANS_RANGE], 5);
	ASSERT_EQ(d.count[DIAG_SEV_WARNING], 5);
	/* The first ones are kept, in order. */
	ASSERT_STR_EQ(d.v[2].text,
	    "r.csv:3: warning: number out of range: 3");
	/* Another code has its own allowance. */
	ASSERT_EQ(diag_at(&d, DIAG_TEAM_UNKNOWN, &loc, NULL), 0);
	ASSERT_EQ(d.nr, 4);
	ASSERT_EQ(d.dropped, 2);
	ASSERT_EQ(d.v[3].code, DIAG_TEAM_UNKNOWN);
	diag_release(&d);
}

TEST(diag_default_limit_is_20)
{
	struct diag d = DIAG_INIT;

	for (int i = 0; i < 25; i++)
		diag_at(&d, DIAG_ROW_DUP_ID, NULL, "%d", i);
	ASSERT_EQ(d.nr, 20);
	ASSERT_EQ(d.dropped, 5);
	ASSERT_EQ(d.count[DIAG_SEV_WARNING], 25);
	diag_release(&d);
}

TEST(diag_failures_are_never_dropped)
{
	struct diag d = DIAG_INIT;

	d.limit = 1;
	for (int i = 0; i < 5; i++)
		diag_err(&d, "failure %d", i);
	ASSERT_EQ(d.nr, 5);
	ASSERT_EQ(d.dropped, 0);
	ASSERT_STR_EQ(d.v[4].text, "failure 4");
	diag_release(&d);
}

TEST(diag_error_count)
{
	struct diag d = DIAG_INIT;

	d.limit = 1;
	diag_err(&d, "a");
	diag_env(&d, "b");
	diag_at(&d, DIAG_CSV_FIELDS, NULL, NULL);
	diag_at(&d, DIAG_CSV_FIELDS, NULL, NULL);	/* dropped, counted */
	diag_at(&d, DIAG_ANS_NUMBER, NULL, NULL);
	diag_at(&d, DIAG_ROW_NO_TEAM, NULL, NULL);
	ASSERT_EQ(diag_errors(&d), 4);
	ASSERT_EQ(d.count[DIAG_SEV_WARNING], 1);
	ASSERT_EQ(d.count[DIAG_SEV_NOTE], 1);
	ASSERT_EQ(d.dropped, 1);
	ASSERT_EQ(d.nr, 5);
	ASSERT_EQ(d.worst_class, DIAG_CLASS_ENV);
	diag_release(&d);
}

struct seen {
	int		 calls;
	struct buf	 text;
};

static void
collect(const struct diag_entry *e, void *arg)
{
	struct seen *s = arg;

	s->calls++;
	buf_addf(&s->text, "[%s]", e->text);
}

TEST(diag_emit_callback)
{
	struct diag d = DIAG_INIT;
	struct seen s = { 0, BUF_INIT };

	d.emit = collect;
	d.arg = &s;
	d.limit = 1;
	diag_err(&d, "one");
	diag_at(&d, DIAG_CSV_EMPTY, NULL, NULL);
	/* Dropped, so not emitted. */
	diag_at(&d, DIAG_CSV_EMPTY, NULL, NULL);
	ASSERT_EQ(s.calls, 2);
	ASSERT_STR_EQ(s.text.data, "[one][error: no header row]");
	buf_release(&s.text);
	diag_release(&d);
}

TEST(diag_catalogue)
{
	ASSERT_STR_EQ(diag_code_name(DIAG_ANS_UNRECOGNISED),
	    "ANS_UNRECOGNISED");
	ASSERT_STR_EQ(diag_code_msg(DIAG_ANS_UNRECOGNISED),
	    "answer matches no level");
	ASSERT_EQ(diag_code_sev(DIAG_ANS_UNRECOGNISED), DIAG_SEV_WARNING);
	ASSERT_EQ(diag_code_sev(DIAG_QN_SCHEMA), DIAG_SEV_ERROR);
	ASSERT_EQ(diag_code_sev(DIAG_ROW_NO_TEAM), DIAG_SEV_NOTE);
	ASSERT_STR_EQ(diag_sev_name(DIAG_SEV_NOTE), "note");
	ASSERT_STR_EQ(diag_sev_name(DIAG_SEV_WARNING), "warning");
	ASSERT_STR_EQ(diag_sev_name(DIAG_SEV_ERROR), "error");
	for (int c = DIAG_NONE + 1; c < DIAG_NCODES; c++) {
		enum diag_sev sev = diag_code_sev((enum diag_code)c);

		ASSERT(diag_code_name((enum diag_code)c)[0] != '\0');
		ASSERT(diag_code_msg((enum diag_code)c)[0] != '\0');
		ASSERT(sev >= DIAG_SEV_NOTE && sev <= DIAG_SEV_ERROR);
	}
}

TEST(diag_release_frees_records)
{
	struct diag d = DIAG_INIT;

	diag_err(&d, "x");
	diag_at(&d, DIAG_CONF_KEY, NULL, "y");
	diag_release(&d);
	ASSERT(d.v == NULL);
	ASSERT_EQ(d.nr, 0);
	ASSERT_EQ(d.alloc, 0);
	/* Releasing twice, or an unused diag, is harmless. */
	diag_release(&d);
	diag_init(&d);
	diag_release(&d);
}
