/* SPDX-License-Identifier: MIT */
/*
 * The HR extract of team headcounts (CSV: team, year, headcount, in any
 * column order, found by their header names, caselessly), for the
 * finite-population correction of the intervals.  Errors are located at
 * file:line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/csv.h"
#include "common/diag.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "scorer/score.h"

static const char *const names[] = { "team", "year", "headcount" };

static int
number(const char *s, long min, long max, long *out)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	errno = 0;
	*out = strtol(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	return end == s || *end != '\0' || errno || *out < min ||
	    *out > max ? -1 : 0;
}

int
score_headcount_load(const char *path, struct score_headcount **out,
    size_t *n, struct diag *d)
{
	struct score_headcount *h = NULL;
	struct csv *c;
	struct csv_rec r;
	size_t col[3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX }, nh = 0, ah = 0;
	int rc, bad = 0;

	*out = NULL;
	*n = 0;
	if ((c = csv_open(path, 0, d)) == NULL)
		return -1;
	if ((rc = csv_next(c, &r)) <= 0) {
		csv_close(c);
		if (rc == 0)
			diag_err(d, "%s: the headcount file is empty", path);
		return -1;
	}
	for (size_t i = 0; i < r.nf; i++) {
		struct buf s = BUF_INIT;

		text_squash(&s, r.f[i], r.len[i]);
		for (size_t k = 0; k < 3; k++)
			if (strcasecmp(s.data, names[k]) == 0)
				col[k] = i;
		buf_release(&s);
	}
	for (size_t k = 0; k < 3; k++)
		if (col[k] == SIZE_MAX) {
			csv_close(c);
			return diag_err(d, "%s:1: the headcount file has no "
			    "'%s' column (it needs team, year and headcount)",
			    path, names[k]);
		}
	while ((rc = csv_next(c, &r)) > 0) {
		struct score_headcount *x;
		struct buf team = BUF_INIT;
		long year, count;

		if (r.bad) {
			bad = 1;
			continue;
		}
		if (r.nf == 1 && r.len[0] == 0)
			continue;
		if (col[0] >= r.nf || col[1] >= r.nf || col[2] >= r.nf) {
			diag_err(d, "%s:%lu: too few fields", path, r.line);
			bad = 1;
			continue;
		}
		if (number(r.f[col[1]], 1900, 2999, &year) < 0 ||
		    number(r.f[col[2]], 0, 10000000, &count) < 0) {
			diag_err(d, "%s:%lu: the year and the headcount must "
			    "be whole numbers", path, r.line);
			bad = 1;
			continue;
		}
		text_squash(&team, r.f[col[0]], r.len[col[0]]);
		VEC_GROW(h, nh + 1, ah);
		x = &h[nh++];
		x->team = buf_detach(&team, NULL);
		x->year = (int)year;
		x->headcount = (unsigned long)count;
	}
	csv_close(c);
	if (rc < 0 || bad) {
		score_headcount_free(h, nh);
		return -1;
	}
	*out = h;
	*n = nh;
	return 0;
}

void
score_headcount_free(struct score_headcount *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(h[i].team);
	free(h);
}
