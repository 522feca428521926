/* SPDX-License-Identifier: MIT */
/*
 * Reporting the odd values of a file (unrecognised answers, bad numbers,
 * unknown teams, repeated ids) once each, with how often they occur and
 * where they first appear, and reading a file's header; shared by import
 * and check.
 */
#include <stdio.h>
#include <string.h>

#include "collector/collect.h"
#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/csv.h"
#include "common/diag.h"
#include "questionnaires/qn.h"

static const struct {
	const char	*kind;
	enum diag_code	 code;
} odd_codes[] = {
	{ "unrecognised", DIAG_ANS_UNRECOGNISED },
	{ "not_a_number", DIAG_ANS_NUMBER },
	{ "out_of_range", DIAG_ANS_RANGE },
	{ "unknown_team", DIAG_TEAM_UNKNOWN },
	{ "ambiguous_team", DIAG_TEAM_AMBIGUOUS },
	{ "duplicate_id", DIAG_ROW_DUP_ID },
};

struct rep {
	struct qn	*q;
	const char	*path;
	struct diag	*d;
};

static void
report(const struct qn_tally_ent *e, void *arg)
{
	struct rep *r = arg;
	struct loc loc = { r->path, e->line, 0, NULL };
	struct buf why = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(odd_codes) / sizeof(odd_codes[0]); i++)
		if (strcmp(odd_codes[i].kind, e->kind) == 0)
			break;
	if (i == sizeof(odd_codes) / sizeof(odd_codes[0]) || e->count == 0)
		return;
	if (odd_codes[i].code == DIAG_ROW_DUP_ID) {
		diag_at(r->d, DIAG_ROW_DUP_ID, &loc, "'%s' (%lu more "
		    "time%s; the later row is kept when it is newer)", e->value,
		    e->count, e->count == 1 ? "" : "s");
		return;
	}
	if (odd_codes[i].code == DIAG_TEAM_UNKNOWN ||
	    odd_codes[i].code == DIAG_TEAM_AMBIGUOUS) {
		struct qn_team_res t;

		qn_team_resolve(r->q, e->value, strlen(e->value), &t);
		qn_team_explain(r->q, &t, &why);
	}
	/* A collected answer has no line: it is named by its source. */
	diag_at(r->d, odd_codes[i].code, &loc, "%s '%s' (%lu time%s%s)%s",
	    e->field, e->value, e->count, e->count == 1 ? "" : "s",
	    e->line ? ", first here" : "", why.data);
	buf_release(&why);
}

void
collect_report_tally(struct qn *q, const struct qn_tally *t,
    const char *path, struct diag *d)
{
	struct rep r = { q, path, d };

	qn_tally_each(t, report, &r);
}

struct st {
	const struct qn	*q;
	struct collect_stats *s;
};

static void
add_stats(const struct qn_tally_ent *e, void *arg)
{
	struct st *a = arg;
	struct collect_stats *s = a->s;
	long f = qn_field_find(a->q, e->field);

	/* Blank answers: of the questions that have answers to count. */
	if (strcmp(e->kind, "blank") == 0 && f >= 0 &&
	    qn_field_kind(a->q, (size_t)f) != QN_DIM &&
	    qn_field_kind(a->q, (size_t)f) != QN_TEXT)
		s->blank += e->count;
	else if (strcmp(e->kind, "unrecognised") == 0)
		s->unrecognised += e->count;
	else if (strcmp(e->kind, "not_a_number") == 0 ||
	    strcmp(e->kind, "out_of_range") == 0)
		s->bad_numbers += e->count;
	else if (strcmp(e->kind, "unknown_team") == 0)
		s->unknown_teams += e->count;
}

void
collect_tally_stats(const struct qn *q, const struct qn_tally *t,
    struct collect_stats *s)
{
	struct st a = { q, s };

	qn_tally_each(t, add_stats, &a);
}

int
collect_read_header(struct csv *c, struct csv_rec *r, const char *path,
    struct diag *d)
{
	int rc;

	do {
		rc = csv_next(c, r);
	} while (rc == 1 && r->nf == 1 && r->len[0] == 0);
	if (rc == 0) {
		struct loc loc = { path, 1, 0, NULL };

		diag_at(d, DIAG_CSV_EMPTY, &loc, "the file is empty");
	}
	return rc == 1 ? 0 : -1;
}
