/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for score_suppress() (scorer/score_suppress.c): primary and
 * complementary suppression on tables built by hand; property tests over
 * many random tables (groups by years, and cross tables with margins)
 * that an independent floating-point audit finds no protected value
 * determined and no small sum of hidden parts, that shown rows reconcile
 * and their percentages make 100; and that no hidden value can be worked
 * out from what is shown by subtracting along a row or within a year's
 * column.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/xalloc.h"
#include "scorer/score.h"
#include "tests/unit/unit.h"

#define YEAR0	2019

/*
 * A table of ngroups groups over nyears years from YEAR0, then one total
 * row per year; counts[(y * ngroups + g) * nlevels + l] is the count of
 * level l for group g in year y.  Every row has a few blank answers too.
 */
static struct score_table *
make_table(int k, size_t nyears, size_t ngroups, size_t nlevels,
    const unsigned long *counts)
{
	struct score_table *t = xcalloc(1, sizeof(*t));
	size_t i = 0;

	t->k = k;
	t->year_from = YEAR0;
	t->year_to = YEAR0 + (int)nyears - 1;
	t->nlevels = nlevels;
	t->nrows = (ngroups + 1) * nyears;
	t->rows = xcalloc(t->nrows, sizeof(*t->rows));
	for (size_t g = 0; g <= ngroups; g++) {
		for (size_t y = 0; y < nyears; y++) {
			struct score_row *r = &t->rows[i++];

			r->total = g == ngroups;
			r->label = r->total ? xstrdup("All teams") :
			    xasprintf("Team %zu", g + 1);
			r->year = YEAR0 + (int)y;
			r->cells = xcalloc(nlevels, sizeof(*r->cells));
			for (size_t l = 0; l < nlevels; l++) {
				size_t from = r->total ? 0 : g;
				size_t to = r->total ? ngroups : g + 1;

				for (size_t h = from; h < to; h++)
					r->cells[l].count += counts[(y *
					    ngroups + h) * nlevels + l];
				r->n += r->cells[l].count;
			}
			for (size_t l = 0; l < nlevels; l++)
				r->cells[l].pct = r->n ? 100.0 *
				    (double)r->cells[l].count /
				    (double)r->n : 0;
			r->blank = r->total ? ngroups : 1;
			r->unrecognised = r->total ? 0 : g % 2;
			r->responses = r->n + r->blank + r->unrecognised;
		}
	}
	return t;
}

static struct score_table *
copy_table(const struct score_table *t)
{
	struct score_table *c = xmalloc(sizeof(*c));

	*c = *t;
	c->rows = xcalloc(t->nrows, sizeof(*c->rows));
	for (size_t i = 0; i < t->nrows; i++) {
		c->rows[i] = t->rows[i];
		c->rows[i].label = xstrdup(t->rows[i].label);
		c->rows[i].cells = xcalloc(t->nlevels, sizeof(struct
		    score_cell));
		memcpy(c->rows[i].cells, t->rows[i].cells, t->nlevels *
		    sizeof(struct score_cell));
	}
	return c;
}

static void
tbl_free(struct score_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		free(t->rows[i].label);
		free(t->rows[i].cells);
	}
	free(t->rows);
	free(t);
}

static const char *
mark(enum score_supp s)
{
	return s == SCORE_SHOWN ? "" : s == SCORE_PRIMARY ? "P" : "S";
}

/* Appends the table, with o's counts and t's marks, to b. */
static void
dump(struct buf *b, const struct score_table *t, const struct score_table *o)
{
	buf_addf(b, "\nk=%d levels=%zu years=%d..%d\n", t->k, t->nlevels,
	    t->year_from, t->year_to);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct score_row *r = &t->rows[i];

		buf_addf(b, "  %-10s %d n=%lu%s:", r->label, r->year,
		    o->rows[i].n, mark(r->supp));
		for (size_t l = 0; l < t->nlevels; l++)
			buf_addf(b, " %lu%s", o->rows[i].cells[l].count,
			    mark(r->cells[l].supp));
		buf_addc(b, '\n');
	}
}

/* Is row r's value of column c hidden?  c == nlevels stands for n. */
static int
unknown(const struct score_table *t, const struct score_row *r, size_t c)
{
	if (r->supp != SCORE_SHOWN)
		return 1;
	return c < t->nlevels && r->cells[c].supp != SCORE_SHOWN;
}

/* The original value of row i's column c in o (c == nlevels: n). */
static unsigned long
value(const struct score_table *o, size_t i, size_t c)
{
	return c < o->nlevels ? o->rows[i].cells[c].count : o->rows[i].n;
}

static const char *
colname(const struct score_table *t, size_t c, char *tmp, size_t n)
{
	if (c == t->nlevels)
		return "n";
	snprintf(tmp, n, "level %zu", c);
	return tmp;
}

/*
 * Looks for a hidden value of t that follows from the shown ones by one
 * subtraction: in a row whose n is shown, n minus the shown cells when
 * exactly one cell is hidden; in a year, for a level or for n, the total
 * row's value minus the shown groups' when exactly one group's value is
 * hidden, or the sum of the groups' when only the total's is hidden.  o
 * holds the values before suppression.  Describes the first such value in
 * why and returns 1, or returns 0.
 */
static int
find_leak(const struct score_table *t, const struct score_table *o,
    struct buf *why)
{
	char tmp[32];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct score_row *r = &t->rows[i];
		size_t nh = 0, at = 0;

		if (r->supp != SCORE_SHOWN)
			continue;
		for (size_t l = 0; l < t->nlevels; l++)
			if (r->cells[l].supp != SCORE_SHOWN) {
				nh++;
				at = l;
			}
		if (nh == 1) {
			buf_addf(why, "row %s %d: level %zu = n - shown "
			    "cells = %lu", r->label, r->year, at,
			    value(o, i, at));
			return 1;
		}
	}
	for (int y = t->year_from; y <= t->year_to; y++) {
		size_t tot = t->nrows;

		for (size_t i = 0; i < t->nrows; i++)
			if (t->rows[i].total && t->rows[i].year == y)
				tot = i;
		if (tot == t->nrows)
			continue;
		for (size_t c = 0; c <= t->nlevels; c++) {
			size_t nh = 0, at = 0;

			for (size_t i = 0; i < t->nrows; i++) {
				const struct score_row *r = &t->rows[i];

				if (r->year != y)
					continue;
				if (unknown(t, r, c)) {
					nh++;
					at = i;
				}
			}
			if (nh == 1) {
				buf_addf(why, "year %d, %s: %s %s = %lu "
				    "from the other rows", y,
				    colname(t, c, tmp, sizeof(tmp)),
				    at == tot ? "the total" : "group",
				    t->rows[at].label, value(o, at, c));
				return 1;
			}
		}
	}
	return 0;
}

/*
 * Checks t, suppressed, against o, its copy from before: primary marks
 * exactly where a count or a row's n is below k, a hidden row's cells all
 * hidden, hidden values zeroed, shown ones untouched and consistent, the
 * counters right, and no leak.  Fails the test with the table on error.
 */
static void
check_suppressed(const char *file, int line, const struct score_table *t,
    const struct score_table *o)
{
	unsigned long k = (unsigned long)t->k, np = 0, ns = 0;
	struct buf why = BUF_INIT;

	for (size_t i = 0; i < t->nrows && why.len == 0; i++) {
		const struct score_row *r = &t->rows[i], *q = &o->rows[i];

		if ((r->supp == SCORE_PRIMARY) != (q->n < k))
			buf_addf(&why, "row %zu: supp %d with n %lu", i,
			    (int)r->supp, q->n);
		if (r->supp != SCORE_SHOWN && (r->n || r->responses ||
		    r->blank || r->unrecognised))
			buf_addf(&why, "row %zu: hidden but n %lu "
			    "responses %lu blank %lu unrecognised %lu", i,
			    r->n, r->responses, r->blank, r->unrecognised);
		if (r->supp == SCORE_SHOWN && (r->n != q->n || r->responses !=
		    q->responses || r->blank != q->blank ||
		    r->unrecognised != q->unrecognised))
			buf_addf(&why, "row %zu: shown but changed", i);
		for (size_t l = 0; l < t->nlevels && why.len == 0; l++) {
			const struct score_cell *c = &r->cells[l];
			const struct score_cell *qc = &q->cells[l];
			int prim = qc->count < k || q->n < k;

			np += c->supp == SCORE_PRIMARY;
			ns += c->supp == SCORE_SECONDARY;
			if ((c->supp == SCORE_PRIMARY) != prim)
				buf_addf(&why, "row %zu level %zu: supp %d "
				    "with count %lu", i, l, (int)c->supp,
				    qc->count);
			else if (r->supp != SCORE_SHOWN &&
			    c->supp == SCORE_SHOWN)
				buf_addf(&why, "row %zu level %zu: shown in "
				    "a hidden row", i, l);
			else if (c->supp != SCORE_SHOWN &&
			    (c->count != 0 || c->pct != 0))
				buf_addf(&why, "row %zu level %zu: hidden "
				    "but count %lu pct %g", i, l, c->count,
				    c->pct);
			else if (c->supp == SCORE_SHOWN &&
			    (c->count != qc->count || c->pct != qc->pct ||
			    c->pct != 100.0 * (double)c->count /
			    (double)r->n))
				buf_addf(&why, "row %zu level %zu: shown "
				    "%lu (%g%%), was %lu (%g%%) of %lu", i, l,
				    c->count, c->pct, qc->count, qc->pct,
				    r->n);
		}
	}
	if (why.len == 0 && (t->nsupp_primary != np ||
	    t->nsupp_secondary != ns))
		buf_addf(&why, "nsupp_primary %lu (want %lu), "
		    "nsupp_secondary %lu (want %lu)", t->nsupp_primary, np,
		    t->nsupp_secondary, ns);
	if (why.len == 0)
		find_leak(t, o, &why);
	if (why.len != 0) {
		dump(&why, t, o);
		unit_fail(file, line, "%s", why.data);
	}
	buf_release(&why);
}

#define CHECK_SUPPRESSED(t, o)						\
	check_suppressed(__FILE__, __LINE__, (t), (o))

/* Row i of a one-year table: group i, or the total when i == ngroups. */
static const struct score_row *
row(const struct score_table *t, size_t i)
{
	ASSERT(i < t->nrows);
	return &t->rows[i];
}

/* Asserts row i's marks: the row's, then one per level ("", "P", "S"). */
static void
check_marks(const char *file, int line, const struct score_table *t,
    size_t i, const char *rowmark, const char *const *cells)
{
	const struct score_row *r = row(t, i);

	if (strcmp(mark(r->supp), rowmark) != 0)
		unit_fail(file, line, "row %zu marked '%s', not '%s'", i,
		    mark(r->supp), rowmark);
	for (size_t l = 0; l < t->nlevels; l++)
		if (strcmp(mark(r->cells[l].supp), cells[l]) != 0)
			unit_fail(file, line, "row %zu level %zu marked "
			    "'%s', not '%s'", i, l, mark(r->cells[l].supp),
			    cells[l]);
}

#define MARKS(t, i, rowmark, ...)					\
	check_marks(__FILE__, __LINE__, (t), (i), (rowmark),		\
	    (const char *const []){ __VA_ARGS__ })

TEST(suppress_small_row_hidden_whole)
{
	static const unsigned long counts[] = {
		1, 2, 0,	/* n = 3 < 5 */
		10, 10, 10,	/* n = 30 */
		10, 10, 20,	/* n = 40 */
		5, 5, 10,	/* n = 20: the smallest other row */
	};
	struct score_table *t = make_table(5, 1, 4, 3, counts), *o;

	o = copy_table(t);
	score_suppress(t);
	MARKS(t, 0, "P", "P", "P", "P");
	MARKS(t, 1, "", "", "", "");
	MARKS(t, 2, "", "", "", "");
	/* The total is shown, so a second row must go: the smallest. */
	MARKS(t, 3, "S", "S", "S", "S");
	MARKS(t, 4, "", "", "", "");
	ASSERT_EQ(row(t, 0)->n, 0);
	ASSERT_EQ(row(t, 0)->responses, 0);
	ASSERT_EQ(row(t, 0)->blank, 0);
	ASSERT_EQ(row(t, 0)->unrecognised, 0);
	ASSERT_EQ(row(t, 0)->cells[1].count, 0);
	ASSERT_EQ(row(t, 3)->n, 0);
	ASSERT_EQ(row(t, 3)->cells[2].count, 0);
	ASSERT_EQ(row(t, 3)->cells[2].pct, 0);
	ASSERT_EQ(row(t, 2)->n, 40);
	ASSERT_EQ(row(t, 2)->cells[2].count, 20);
	ASSERT_NEAR(row(t, 2)->cells[2].pct, 50, 1e-9);
	ASSERT_EQ(row(t, 4)->n, 93);
	ASSERT_EQ(row(t, 4)->responses, 93 + 4);
	ASSERT_EQ(t->nsupp_primary, 3);
	ASSERT_EQ(t->nsupp_secondary, 3);
	CHECK_SUPPRESSED(t, o);
	tbl_free(t);
	tbl_free(o);
}

TEST(suppress_zero_and_small_cells_are_primary)
{
	static const unsigned long counts[] = {
		0, 1, 20,
		0, 2, 30,
		1, 0, 40,	/* total: 1, 3, 90 */
	};
	struct score_table *t = make_table(3, 1, 3, 3, counts), *o;

	o = copy_table(t);
	score_suppress(t);
	/*
	 * Two hidden cells in each group row, but n minus the shown cell
	 * gives their sum (1, 2 and 1: below k), so the third goes too.
	 */
	MARKS(t, 0, "", "P", "P", "S");
	MARKS(t, 1, "", "P", "P", "S");
	MARKS(t, 2, "", "P", "P", "S");
	/* The total's 1 is primary, its 3 (== k) goes with it. */
	MARKS(t, 3, "", "P", "S", "");
	ASSERT_EQ(row(t, 0)->n, 21);
	ASSERT_EQ(row(t, 0)->cells[2].count, 0);
	ASSERT_EQ(row(t, 3)->cells[1].count, 0);
	ASSERT_EQ(row(t, 3)->cells[2].count, 90);
	ASSERT_EQ(t->nsupp_primary, 7);
	ASSERT_EQ(t->nsupp_secondary, 4);
	CHECK_SUPPRESSED(t, o);
	tbl_free(t);
	tbl_free(o);
}

TEST(suppress_row_complement_is_smallest_shown)
{
	static const unsigned long counts[] = {
		2, 10, 8, 30,
		3, 20, 6, 40,	/* total: 5, 30, 14, 70 */
	};
	struct score_table *t = make_table(5, 1, 2, 4, counts), *o;

	o = copy_table(t);
	score_suppress(t);
	MARKS(t, 0, "", "P", "", "S", "");
	MARKS(t, 1, "", "P", "", "S", "");
	/* 5 is not below k = 5. */
	MARKS(t, 2, "", "", "", "", "");
	ASSERT_EQ(row(t, 0)->cells[1].count, 10);
	ASSERT_EQ(row(t, 0)->cells[2].count, 0);
	ASSERT_EQ(row(t, 0)->cells[2].pct, 0);
	ASSERT_NEAR(row(t, 0)->cells[3].pct, 60, 1e-9);
	ASSERT_EQ(row(t, 2)->cells[0].count, 5);
	ASSERT_EQ(t->nsupp_primary, 2);
	ASSERT_EQ(t->nsupp_secondary, 2);
	CHECK_SUPPRESSED(t, o);
	tbl_free(t);
	tbl_free(o);
}

TEST(suppress_group_row_complement_is_smallest_n)
{
	static const unsigned long counts[] = {
		1, 1, 2,	/* n = 4 < 5 */
		10, 20, 20,	/* n = 50 */
		5, 5, 10,	/* n = 20 */
		10, 10, 10,	/* n = 30 */
	};
	struct score_table *t = make_table(5, 1, 4, 3, counts), *o;

	o = copy_table(t);
	score_suppress(t);
	MARKS(t, 0, "P", "P", "P", "P");
	MARKS(t, 1, "", "", "", "");
	MARKS(t, 2, "S", "S", "S", "S");
	MARKS(t, 3, "", "", "", "");
	MARKS(t, 4, "", "", "", "");
	ASSERT_EQ(row(t, 2)->n, 0);
	ASSERT_EQ(row(t, 2)->responses, 0);
	ASSERT_EQ(row(t, 4)->n, 104);
	ASSERT_EQ(t->nsupp_primary, 3);
	ASSERT_EQ(t->nsupp_secondary, 3);
	CHECK_SUPPRESSED(t, o);
	tbl_free(t);
	tbl_free(o);
}

TEST(suppress_no_complement_when_total_hidden)
{
	static const unsigned long counts[] = {
		1, 1,
		1, 0,		/* total n = 3 < 5 */
	};
	struct score_table *t = make_table(5, 1, 2, 2, counts), *o;

	o = copy_table(t);
	score_suppress(t);
	MARKS(t, 0, "P", "P", "P");
	MARKS(t, 1, "P", "P", "P");
	MARKS(t, 2, "P", "P", "P");
	ASSERT_EQ(t->nsupp_primary, 6);
	ASSERT_EQ(t->nsupp_secondary, 0);
	CHECK_SUPPRESSED(t, o);
	tbl_free(t);
	tbl_free(o);
}

TEST(suppress_column_complement)
{
	static const unsigned long counts[] = {
		3, 4, 30, 30,	/* two primary cells: the row is safe */
		10, 10, 30, 30,
		11, 12, 30, 30,	/* total: 24, 26, 90, 90 */
	};
	struct score_table *t = make_table(5, 1, 3, 4, counts), *o;

	o = copy_table(t);
	score_suppress(t);
	MARKS(t, 0, "", "P", "P", "", "");
	/*
	 * Alone in their columns, team 1's cells would be the total's minus
	 * the others': the smallest other cell of each level goes too.
	 */
	MARKS(t, 1, "", "S", "S", "", "");
	MARKS(t, 2, "", "", "", "", "");
	MARKS(t, 3, "", "", "", "", "");
	ASSERT_EQ(row(t, 1)->n, 80);
	ASSERT_EQ(row(t, 1)->cells[2].count, 30);
	ASSERT_EQ(row(t, 2)->cells[0].count, 11);
	ASSERT_EQ(t->nsupp_primary, 2);
	ASSERT_EQ(t->nsupp_secondary, 2);
	CHECK_SUPPRESSED(t, o);
	tbl_free(t);
	tbl_free(o);
}

TEST(suppress_nothing_to_hide)
{
	static const unsigned long counts[] = {
		5, 6, 7,
		8, 9, 10,
	};
	struct score_table *t = make_table(5, 2, 1, 3, counts), *o;

	o = copy_table(t);
	score_suppress(t);
	for (size_t i = 0; i < t->nrows; i++)
		MARKS(t, i, "", "", "", "");
	ASSERT_EQ(t->nsupp_primary, 0);
	ASSERT_EQ(t->nsupp_secondary, 0);
	CHECK_SUPPRESSED(t, o);
	/* Applying it again changes nothing. */
	score_suppress(t);
	CHECK_SUPPRESSED(t, o);
	tbl_free(t);
	tbl_free(o);
}

TEST(suppress_total_cell_not_recoverable)
{
	/*
	 * k = 3.  The total's 2 is primary, so the total row hides its
	 * smallest other cell, 8, whose column has no hidden group cell:
	 * unless one is hidden too, 8 = 4 + 4, and then 2 = n - the rest.
	 */
	static const unsigned long counts[] = {
		1, 3, 100, 4,
		1, 100, 3, 4,	/* total: 2, 103, 103, 8 */
	};
	struct score_table *t = make_table(3, 1, 2, 4, counts), *o;

	o = copy_table(t);
	score_suppress(t);
	CHECK_SUPPRESSED(t, o);
	tbl_free(t);
	tbl_free(o);
}

/* xorshift64*: a fixed sequence, the same on every platform. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* A number from lo to hi inclusive. */
static unsigned long
rnd_in(uint64_t *s, unsigned long lo, unsigned long hi)
{
	return lo + (unsigned long)(rnd(s) % (hi - lo + 1));
}

/*
 * An independent audit of a suppressed table t (o: before), in floating
 * point with partial pivoting (the scorer's own audit is exact modular
 * arithmetic): the unknowns are the hidden cells and n's, the equations
 * every row's n = sum of its cells and every relation, value by value
 * (t->rels, or each year's total over its groups).  No value that was
 * protected (a count or an n below k) may be determined, and no relation
 * with a shown total may have hidden parts that sum to less than k.
 * Shown rows must reconcile (responses = n + blank + unrecognised) and a
 * row shown in full must have percentages summing to 100.
 */
struct peq {
	size_t	 v[64];
	double	 c[64];
	size_t	 n;
};

static size_t
pvar(const struct score_table *t, size_t r, size_t c)
{
	return r * (t->nlevels + 1) + c;
}

static int
phidden(const struct score_table *t, size_t r, size_t c)
{
	return t->rows[r].supp != SCORE_SHOWN || (c < t->nlevels &&
	    t->rows[r].cells[c].supp != SCORE_SHOWN);
}

static unsigned long
pval(const struct score_table *o, size_t r, size_t c)
{
	return c < o->nlevels ? o->rows[r].cells[c].count : o->rows[r].n;
}

static void
exact_check(const char *file, int line, const struct score_table *t,
    const struct score_table *o)
{
	size_t nc = t->nlevels + 1, nv = t->nrows * nc, neq = 0, cap = 64;
	struct peq *eq = xcalloc(cap, sizeof(*eq));
	size_t *col = xcalloc(nv, sizeof(*col)), nh = 0;
	unsigned long k = (unsigned long)t->k;
	double *m;
	size_t pr = 0, *piv;

	/* The equations, over every value. */
	for (size_t r = 0; r < t->nrows; r++) {
		struct peq e = { { 0 }, { 0 }, 0 };

		e.v[e.n] = pvar(t, r, t->nlevels);
		e.c[e.n++] = 1;
		for (size_t l = 0; l < t->nlevels; l++) {
			e.v[e.n] = pvar(t, r, l);
			e.c[e.n++] = -1;
		}
		eq[neq++] = e;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		size_t ch[64], nch = 0;

		if (t->nrels) {
			for (size_t i = 0; i < t->nrels; i++) {
				if (t->rels[i].parent != r)
					continue;
				for (size_t c = 0; c < nc; c++) {
					struct peq e = { { 0 }, { 0 }, 0 };

					e.v[e.n] = pvar(t, r, c);
					e.c[e.n++] = 1;
					for (size_t j = 0;
					    j < t->rels[i].nchild; j++) {
						e.v[e.n] = pvar(t,
						    t->rels[i].child[j], c);
						e.c[e.n++] = -1;
					}
					if (neq == cap)
						eq = xreallocarray(eq, cap *= 2,
						    sizeof(*eq));
					eq[neq++] = e;
				}
			}
			continue;
		}
		if (!t->rows[r].total)
			continue;
		for (size_t j = 0; j < t->nrows; j++)
			if (!t->rows[j].total &&
			    t->rows[j].year == t->rows[r].year)
				ch[nch++] = j;
		for (size_t c = 0; c < nc; c++) {
			struct peq e = { { 0 }, { 0 }, 0 };

			e.v[e.n] = pvar(t, r, c);
			e.c[e.n++] = 1;
			for (size_t j = 0; j < nch; j++) {
				e.v[e.n] = pvar(t, ch[j], c);
				e.c[e.n++] = -1;
			}
			if (neq == cap)
				eq = xreallocarray(eq, cap *= 2, sizeof(*eq));
			eq[neq++] = e;
		}
	}
	/* The sums of hidden parts under shown totals. */
	for (size_t i = 0; i < neq; i++) {
		size_t tr = eq[i].v[0] / nc, tc = eq[i].v[0] % nc;
		unsigned long sum = 0;
		size_t hid = 0;

		if (phidden(t, tr, tc))
			continue;
		for (size_t j = 1; j < eq[i].n; j++) {
			size_t r = eq[i].v[j] / nc, c = eq[i].v[j] % nc;

			if (phidden(t, r, c)) {
				hid++;
				sum += pval(o, r, c);
			}
		}
		if (hid && sum < k)
			unit_fail(file, line, "relation %zu: hidden parts sum "
			    "to %lu < k = %lu", i, sum, k);
	}
	/* Gauss-Jordan over the hidden values. */
	for (size_t v = 0; v < nv; v++)
		col[v] = phidden(t, v / nc, v % nc) ? nh++ : SIZE_MAX;
	m = xcalloc(neq * (nh ? nh : 1), sizeof(*m));
	piv = xcalloc(neq + 1, sizeof(*piv));
	for (size_t i = 0; i < neq; i++)
		for (size_t j = 0; j < eq[i].n; j++)
			if (col[eq[i].v[j]] != SIZE_MAX)
				m[i * nh + col[eq[i].v[j]]] += eq[i].c[j];
	for (size_t c = 0; c < nh && pr < neq; c++) {
		size_t best = pr;

		for (size_t r = pr; r < neq; r++)
			if (fabs(m[r * nh + c]) > fabs(m[best * nh + c]))
				best = r;
		if (fabs(m[best * nh + c]) < 1e-9)
			continue;
		for (size_t j = 0; j < nh; j++) {
			double x = m[best * nh + j];

			m[best * nh + j] = m[pr * nh + j];
			m[pr * nh + j] = x;
		}
		{
			double f = m[pr * nh + c];

			for (size_t j = 0; j < nh; j++)
				m[pr * nh + j] /= f;
		}
		for (size_t r = 0; r < neq; r++) {
			double f = m[r * nh + c];

			if (r == pr || fabs(f) < 1e-12)
				continue;
			for (size_t j = 0; j < nh; j++)
				m[r * nh + j] -= f * m[pr * nh + j];
		}
		piv[pr++] = c;
	}
	for (size_t r = 0; r < pr; r++) {
		size_t nz = 0;

		for (size_t j = 0; j < nh; j++)
			nz += fabs(m[r * nh + j]) > 1e-9;
		if (nz == 1) {
			size_t v = 0;

			while (col[v] != piv[r])
				v++;
			if (pval(o, v / nc, v % nc) < k ||
			    o->rows[v / nc].n < k)
				unit_fail(file, line, "row %zu column %zu "
				    "(%lu) is withheld but determined", v / nc,
				    v % nc, pval(o, v / nc, v % nc));
		}
	}
	/* Shown rows reconcile; full rows' percentages make 100. */
	for (size_t r = 0; r < t->nrows; r++) {
		const struct score_row *w = &t->rows[r];
		double sum = 0;
		int full = w->supp == SCORE_SHOWN && w->n > 0;

		if (w->supp != SCORE_SHOWN)
			continue;
		if (w->responses != w->n + w->blank + w->unrecognised)
			unit_fail(file, line, "row %zu does not reconcile", r);
		for (size_t l = 0; l < t->nlevels; l++) {
			full &= w->cells[l].supp == SCORE_SHOWN;
			sum += w->cells[l].pct;
		}
		if (full && fabs(sum - 100) > 1e-6)
			unit_fail(file, line, "row %zu: percentages sum to %g",
			    r, sum);
	}
	free(m);
	free(piv);
	free(col);
	free(eq);
}

/*
 * A cross table of ng groups by nr roles in one year with its margins
 * (each group over roles, each role over groups, the total) and their
 * relations, as score_rows.c builds them.
 */
static struct score_table *
make_cross(int k, size_t ng, size_t nr, size_t nl, const unsigned long *cnt)
{
	struct score_table *t = xcalloc(1, sizeof(*t));
	size_t rows = (ng + 1) * (nr + 1), i = 0;

	t->k = k;
	t->year_from = t->year_to = YEAR0;
	t->nlevels = nl;
	t->nrows = rows;
	t->rows = xcalloc(rows, sizeof(*t->rows));
	/* Row (g, r) at g * (nr + 1) + r; g == ng or r == nr: all. */
	for (size_t g = 0; g <= ng; g++)
		for (size_t r = 0; r <= nr; r++, i++) {
			struct score_row *w = &t->rows[i];

			w->label = xasprintf("g%zu/r%zu", g, r);
			w->year = YEAR0;
			w->total = g == ng && r == nr;
			w->cells = xcalloc(nl, sizeof(*w->cells));
			for (size_t gg = 0; gg < ng; gg++)
				for (size_t rr = 0; rr < nr; rr++) {
					if ((g < ng && gg != g) ||
					    (r < nr && rr != r))
						continue;
					for (size_t l = 0; l < nl; l++)
						w->cells[l].count += cnt[(gg *
						    nr + rr) * nl + l];
				}
			for (size_t l = 0; l < nl; l++)
				w->n += w->cells[l].count;
			for (size_t l = 0; l < nl; l++)
				w->cells[l].pct = w->n ? 100.0 *
				    (double)w->cells[l].count /
				    (double)w->n : 0;
			w->blank = (g + r) % 3 == 0;
			w->responses = w->n + w->blank;
		}
	/* Blank counts must add up too. */
	for (size_t g = 0; g <= ng; g++)
		for (size_t r = 0; r <= nr; r++) {
			unsigned long b = 0;

			if (g < ng && r < nr)
				continue;
			for (size_t gg = 0; gg < ng; gg++)
				for (size_t rr = 0; rr < nr; rr++)
					if ((g == ng || gg == g) &&
					    (r == nr || rr == r))
						b += t->rows[gg * (nr + 1) +
						    rr].blank;
			t->rows[g * (nr + 1) + r].blank = b;
			t->rows[g * (nr + 1) + r].responses =
			    t->rows[g * (nr + 1) + r].n + b;
		}
	/* Relations: (g, all) over r; (all, r) over g; (all, all) both. */
	t->rels = xcalloc(ng + nr + 3, sizeof(*t->rels));
	for (size_t g = 0; g <= ng; g++) {
		struct score_rel *x = &t->rels[t->nrels++];

		x->parent = g * (nr + 1) + nr;
		x->child = xcalloc(nr, sizeof(size_t));
		for (size_t r = 0; r < nr; r++)
			x->child[x->nchild++] = g * (nr + 1) + r;
	}
	for (size_t r = 0; r <= nr; r++) {
		struct score_rel *x = &t->rels[t->nrels++];

		x->parent = ng * (nr + 1) + r;
		x->child = xcalloc(ng, sizeof(size_t));
		for (size_t g = 0; g < ng; g++)
			x->child[x->nchild++] = g * (nr + 1) + r;
	}
	return t;
}

static struct score_table *
copy_cross(const struct score_table *t)
{
	struct score_table *c = copy_table(t);

	c->rels = NULL;
	c->nrels = 0;
	return c;
}

static void
cross_free(struct score_table *t)
{
	for (size_t i = 0; i < t->nrels; i++)
		free(t->rels[i].child);
	free(t->rels);
	tbl_free(t);
}

/* Random tables (groups x years x levels) through check_suppressed(). */
static void
random_tables(const char *file, int line, uint64_t seed, int ntables,
    size_t maxyears)
{
	for (int n = 0; n < ntables; n++) {
		size_t ngroups = rnd_in(&seed, 1, 15);
		size_t nlevels = rnd_in(&seed, 2, 5);
		size_t nyears = rnd_in(&seed, 1, maxyears);
		int k = (int)rnd_in(&seed, 3, 10);
		/* Mostly small counts, to make suppression work hard. */
		unsigned long hi = rnd_in(&seed, 0, 3) ? 40 : 12;
		unsigned long *counts = xcalloc(nyears * ngroups * nlevels,
		    sizeof(*counts));
		struct score_table *t, *o;

		for (size_t i = 0; i < nyears * ngroups * nlevels; i++)
			counts[i] = rnd_in(&seed, 0, hi);
		t = make_table(k, nyears, ngroups, nlevels, counts);
		o = copy_table(t);
		score_suppress(t);
		check_suppressed(file, line, t, o);
		if (n < 3000)
			exact_check(file, line, t, o);
		tbl_free(t);
		tbl_free(o);
		free(counts);
	}
}

TEST(suppress_property_one_year)
{
	random_tables(__FILE__, __LINE__, 0x5eed1234abcdULL, 20000, 1);
}

TEST(suppress_property_several_years)
{
	random_tables(__FILE__, __LINE__, 0x0ddba11cafeULL, 5000, 3);
}

/* Cross tables with margins: relations in two directions at once. */
TEST(suppress_property_cross)
{
	uint64_t seed = 0xc0ffee5eedULL;

	for (int n = 0; n < 3000; n++) {
		size_t ng = rnd_in(&seed, 1, 6), nr = rnd_in(&seed, 1, 5);
		size_t nl = rnd_in(&seed, 2, 4);
		int k = (int)rnd_in(&seed, 3, 10);
		unsigned long hi = rnd_in(&seed, 0, 2) ? 20 : 6;
		unsigned long *cnt = xcalloc(ng * nr * nl, sizeof(*cnt));
		struct score_table *t, *o;

		for (size_t i = 0; i < ng * nr * nl; i++)
			cnt[i] = rnd_in(&seed, 0, hi);
		t = make_cross(k, ng, nr, nl, cnt);
		o = copy_cross(t);
		score_suppress(t);
		exact_check(__FILE__, __LINE__, t, o);
		cross_free(t);
		tbl_free(o);
		free(cnt);
	}
}
