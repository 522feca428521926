/* SPDX-License-Identifier: MIT */
/*
 * Disclosure control for a breakdown table.
 *
 * Primary: a row (group, year) whose valid n is below k is hidden whole; a
 * cell whose count is below k (zero included: "nobody in this team is ever
 * stressed" is a statement about every member) is hidden.
 *
 * Complementary, repeated until nothing changes:
 *  - in a row, one hidden cell could be recovered as n minus the others, so
 *    a second (the smallest shown) is hidden too;
 *  - in a year, the all-groups row is the sum of the groups: when exactly
 *    one group row is hidden, the smallest other group row is hidden too;
 *    when exactly one cell of a level is hidden among the groups' cells and
 *    the total's (the total's own included: it is the sum of the others),
 *    the smallest shown group cell of that level is hidden too.
 * Hidden counts and percentages are zeroed so no output can leak them.
 */
#include <stddef.h>

#include "scorer/score.h"

static int
hidden(const struct score_row *r, size_t l)
{
	return r->supp != SCORE_SHOWN || r->cells[l].supp != SCORE_SHOWN;
}

static void
hide_cell(struct score_cell *c, enum score_supp why)
{
	if (c->supp == SCORE_SHOWN)
		c->supp = why;
}

static void
hide_row(struct score_row *r, size_t nlevels, enum score_supp why)
{
	if (r->supp == SCORE_SHOWN)
		r->supp = why;
	for (size_t l = 0; l < nlevels; l++)
		hide_cell(&r->cells[l], why);
}

static int
rows_pass(struct score_table *t)
{
	int changed = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		struct score_row *r = &t->rows[i];
		size_t nhid = 0, best = t->nlevels;

		if (r->supp != SCORE_SHOWN)
			continue;
		for (size_t l = 0; l < t->nlevels; l++) {
			if (r->cells[l].supp != SCORE_SHOWN)
				nhid++;
			else if (best == t->nlevels ||
			    r->cells[l].count < r->cells[best].count)
				best = l;
		}
		if (nhid == 1 && best < t->nlevels) {
			hide_cell(&r->cells[best], SCORE_SECONDARY);
			changed = 1;
		}
	}
	return changed;
}

static struct score_row *
total_of(struct score_table *t, int year)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].total && t->rows[i].year == year)
			return &t->rows[i];
	return NULL;
}

static int
year_pass(struct score_table *t, int year)
{
	struct score_row *tot = total_of(t, year), *best = NULL;
	size_t nhid = 0;
	int changed = 0;

	if (tot == NULL || tot->supp != SCORE_SHOWN)
		return 0;
	for (size_t i = 0; i < t->nrows; i++) {
		struct score_row *r = &t->rows[i];

		if (r->total || r->year != year)
			continue;
		if (r->supp != SCORE_SHOWN)
			nhid++;
		else if (best == NULL || r->n < best->n)
			best = r;
	}
	if (nhid == 1 && best != NULL) {
		hide_row(best, t->nlevels, SCORE_SECONDARY);
		changed = 1;
	}
	for (size_t l = 0; l < t->nlevels; l++) {
		struct score_cell *pick = NULL;

		/* total = sum of the groups: one unknown in it is solvable,
		 * whether it is a group's cell or the total's own. */
		nhid = tot->cells[l].supp != SCORE_SHOWN;
		for (size_t i = 0; i < t->nrows; i++) {
			struct score_row *r = &t->rows[i];

			if (r->total || r->year != year)
				continue;
			if (hidden(r, l))
				nhid++;
			else if (pick == NULL || r->cells[l].count <
			    pick->count)
				pick = &r->cells[l];
		}
		if (nhid == 1 && pick != NULL) {
			hide_cell(pick, SCORE_SECONDARY);
			changed = 1;
		}
	}
	return changed;
}

void
score_suppress(struct score_table *t)
{
	unsigned long k = (unsigned long)t->k;
	int changed;

	for (size_t i = 0; i < t->nrows; i++) {
		struct score_row *r = &t->rows[i];

		if (r->n < k)
			hide_row(r, t->nlevels, SCORE_PRIMARY);
		for (size_t l = 0; l < t->nlevels; l++)
			if (r->cells[l].count < k)
				hide_cell(&r->cells[l], SCORE_PRIMARY);
	}
	do {
		changed = rows_pass(t);
		for (int y = t->year_from; y && y <= t->year_to; y++)
			changed |= year_pass(t, y);
	} while (changed);
	t->nsupp_primary = t->nsupp_secondary = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		struct score_row *r = &t->rows[i];

		if (r->supp != SCORE_SHOWN) {
			r->responses = r->n = r->blank = r->unrecognised = 0;
		}
		for (size_t l = 0; l < t->nlevels; l++) {
			struct score_cell *c = &r->cells[l];

			if (c->supp == SCORE_PRIMARY)
				t->nsupp_primary++;
			else if (c->supp == SCORE_SECONDARY)
				t->nsupp_secondary++;
			if (c->supp != SCORE_SHOWN) {
				c->count = 0;
				c->pct = 0;
			}
		}
	}
}
