/* SPDX-License-Identifier: MIT */
/*
 * The statistics of a suppressed table: a Wilson interval on every shown
 * percentage (with the finite-population correction where the HR extract
 * gives the row's headcount), year-on-year changes of each category with
 * the two-proportion z-test and Newcombe's interval, a chi-square test of
 * groups against categories per year, and Holm or Benjamini-Hochberg
 * adjustment over every test run.  Only shown values are used: a test on
 * a withheld value would leak it, so it is "not tested".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/vec.h"
#include "common/xalloc.h"
#include "scorer/score.h"
#include "scorer/score_int.h"
#include "scorer/score_stats.h"

struct tb {
	struct score_table *t;
	const struct score_query *q;
	double		 z;
	size_t		 at;		/* allocated tests */
};

/* The headcount of a row naming one team alone, from the HR extract. */
static unsigned long
team_headcount(const struct score_table *t, const struct score_query *q,
    const struct score_row *r)
{
	size_t team = t->nby;

	for (size_t j = 0; j < t->nby; j++) {
		if (strcmp(t->by_keys[j], "team") == 0)
			team = j;
		else if (r->values[j] != NULL)
			return 0;
	}
	if (team == t->nby || r->values == NULL || r->values[team] == NULL)
		return 0;
	for (size_t i = 0; i < q->nheadcount; i++)
		if (q->headcount[i].year == r->year &&
		    strcasecmp(q->headcount[i].team, r->values[team]) == 0)
			return q->headcount[i].headcount;
	return 0;
}

/* Teams from the file; their parents summed up the relations. */
static void
headcounts(struct tb *b)
{
	struct score_table *t = b->t;
	int changed;

	if (b->q->nheadcount == 0)
		return;
	for (size_t i = 0; i < t->nrows; i++)
		t->rows[i].headcount = team_headcount(t, b->q, &t->rows[i]);
	do {
		changed = 0;
		for (size_t i = 0; i < t->nrels; i++) {
			const struct score_rel *rel = &t->rels[i];
			unsigned long sum = 0;
			size_t j;

			if (t->rows[rel->parent].headcount)
				continue;
			for (j = 0; j < rel->nchild; j++) {
				if (!t->rows[rel->child[j]].headcount)
					break;
				sum += t->rows[rel->child[j]].headcount;
			}
			if (j == rel->nchild && sum) {
				t->rows[rel->parent].headcount = sum;
				changed = 1;
			}
		}
	} while (changed);
}

static void
intervals(struct tb *b)
{
	struct score_table *t = b->t;

	for (size_t i = 0; i < t->nrows; i++) {
		struct score_row *r = &t->rows[i];
		unsigned long hc = r->headcount;

		if (r->supp != SCORE_SHOWN)
			continue;
		/* A headcount below the responses is wrong: not used. */
		if (hc && hc < r->responses)
			hc = r->headcount = 0;
		if (hc)
			t->fpc = 1;
		for (size_t l = 0; l < t->nlevels; l++) {
			struct score_cell *c = &r->cells[l];

			if (c->supp != SCORE_SHOWN)
				continue;
			score_wilson_fpc(c->count, r->n, hc, b->z, &c->lo,
			    &c->hi);
			c->lo *= 100;
			c->hi *= 100;
		}
	}
}

static struct score_test *
new_test(struct tb *b, enum score_test_kind kind)
{
	struct score_table *t = b->t;
	struct score_test *x;

	VEC_GROW(t->tests, t->ntests + 1, b->at);
	x = &t->tests[t->ntests++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->verdict = SCORE_NOT_TESTED;
	return x;
}

static int
same_series(const struct score_table *t, const struct score_row *a,
    const struct score_row *b)
{
	if (a->kind != b->kind || strcmp(a->label, b->label) != 0 ||
	    (a->parent == NULL) != (b->parent == NULL) ||
	    (a->parent != NULL && strcmp(a->parent, b->parent) != 0))
		return 0;
	(void)t;
	return a->year < b->year;
}

static void
changes(struct tb *b)
{
	struct score_table *t = b->t;
	unsigned long min = (unsigned long)b->t->min_test_n;

	/* Rows come by series, then year: the previous year is just
	 * before. */
	for (size_t i = 1; i < t->nrows; i++) {
		const struct score_row *r0 = &t->rows[i - 1];
		const struct score_row *r1 = &t->rows[i];

		if (!same_series(t, r0, r1))
			continue;
		for (size_t l = 0; l < t->nlevels; l++) {
			struct score_test *x = new_test(b, SCORE_TEST_CHANGE);
			struct score_change ch;

			x->row_from = i - 1;
			x->row_to = i;
			x->cat = l;
			if (r0->supp != SCORE_SHOWN ||
			    r1->supp != SCORE_SHOWN ||
			    r0->cells[l].supp != SCORE_SHOWN ||
			    r1->cells[l].supp != SCORE_SHOWN) {
				x->why_not = "a value is withheld";
				continue;
			}
			if (r0->n < min || r1->n < min) {
				x->why_not = "too few answers to test";
				continue;
			}
			score_two_prop(r0->cells[l].count, r0->n,
			    r1->cells[l].count, r1->n, b->z, &ch);
			x->diff = ch.diff * 100;
			x->lo = ch.lo * 100;
			x->hi = ch.hi * 100;
			x->stat = ch.z;
			x->p = ch.p;
			x->verdict = SCORE_NOT_SIGNIFICANT;
		}
	}
}

static void
chisq(struct tb *b)
{
	struct score_table *t = b->t;

	for (int y = t->year_from; y && y <= t->year_to; y++) {
		unsigned long *obs = NULL;
		size_t ng = 0, any = 0, sparse;
		struct score_test *x;
		double stat, minexp, p;
		unsigned df;

		for (size_t i = 0; i < t->nrows; i++) {
			const struct score_row *r = &t->rows[i];
			size_t l;

			if (r->year != y || r->kind != SCORE_ROW_GROUP)
				continue;
			any = 1;
			if (r->supp != SCORE_SHOWN)
				continue;
			for (l = 0; l < t->nlevels; l++)
				if (r->cells[l].supp != SCORE_SHOWN)
					break;
			if (l < t->nlevels)
				continue;
			obs = xreallocarray(obs, (ng + 1) * t->nlevels,
			    sizeof(*obs));
			for (l = 0; l < t->nlevels; l++)
				obs[ng * t->nlevels + l] = r->cells[l].count;
			ng++;
		}
		if (!any)
			continue;
		x = new_test(b, SCORE_TEST_CHISQ);
		x->year = y;
		x->ngroups = ng;
		if (ng < 2 || t->nlevels < 2) {
			x->why_not = "fewer than two groups shown in full";
			free(obs);
			continue;
		}
		p = score_chisq(obs, ng, t->nlevels, &stat, &df, &sparse,
		    &minexp);
		free(obs);
		if (p < 0) {
			x->why_not = "fewer than two groups shown in full";
			continue;
		}
		x->stat = stat;
		x->df = df;
		if (minexp < 1 || (double)sparse > 0.2 * (double)(ng *
		    t->nlevels)) {
			x->why_not = "expected counts too small";
			continue;
		}
		x->p = p;
		x->verdict = SCORE_NOT_SIGNIFICANT;
	}
}

static void
adjust(struct tb *b)
{
	struct score_table *t = b->t;
	double *p = xcalloc(t->ntests ? t->ntests : 1, sizeof(*p));
	double alpha = 1 - t->conf;
	size_t m = 0;

	for (size_t i = 0; i < t->ntests; i++)
		if (t->tests[i].verdict != SCORE_NOT_TESTED)
			p[m++] = t->tests[i].p;
	score_adjust(t->adjust == SCORE_ADJ_BH ? SCORE_BH : SCORE_HOLM, p, m,
	    p);
	t->family = m;
	m = 0;
	for (size_t i = 0; i < t->ntests; i++) {
		struct score_test *x = &t->tests[i];

		if (x->verdict == SCORE_NOT_TESTED)
			continue;
		x->p_adj = p[m++];
		x->verdict = x->p_adj <= alpha ? SCORE_SIGNIFICANT :
		    SCORE_NOT_SIGNIFICANT;
	}
	free(p);
}

void
score_tests_apply(struct score_table *t, const struct score_query *q)
{
	struct tb b;

	memset(&b, 0, sizeof(b));
	b.t = t;
	b.q = q;
	t->conf = q->conf > 0 && q->conf < 1 ? q->conf : 0.95;
	t->adjust = q->adjust;
	t->min_test_n = q->min_test_n > 0 ? q->min_test_n : 30;
	b.z = score_z(t->conf);
	if (q->headcount_source != NULL)
		t->fpc_source = xstrdup(q->headcount_source);
	headcounts(&b);
	intervals(&b);
	if (q->change)
		changes(&b);
	if (q->chisq)
		chisq(&b);
	adjust(&b);
}
