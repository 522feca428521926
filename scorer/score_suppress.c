/* SPDX-License-Identifier: MIT */
/*
 * Disclosure control for a breakdown table.
 *
 * Primary: a row whose valid n is below k is hidden whole; a cell whose
 * count is below k (zero included: "nobody in this team is ever
 * stressed" is a statement about every member) is hidden.  The release
 * ledger may add SCORE_LEDGER marks before the complementary step.
 *
 * The table is a set of linear relations: in a row, n is the sum of the
 * cells; along t->rels, a parent row is the sum of its children, value by
 * value (the total of a year over its groups, a margin over a dimension,
 * a service over its teams).  Complementary suppression, repeated until
 * nothing changes:
 *  1. in any relation with exactly one hidden member, that member is the
 *     others' sum or difference: another member is hidden (the smallest
 *     shown cell, or the shown row of smallest n);
 *  2. in a relation whose total is shown, the hidden members' sum is
 *     known: when it is below k (two hidden zeros, say) another member
 *     is hidden;
 *  3. an exact audit: the relations restricted to the hidden values are
 *     reduced (Gauss-Jordan modulo two primes, per connected block); a
 *     protected value (primary or ledger) that the system determines
 *     gets one of its relations' shown members hidden.
 * Hidden counts, percentages and statistics are zeroed so no output can
 * leak them; a parent with a hidden part has its min and max withheld
 * (the extreme answer may be the hidden part's).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/vec.h"
#include "common/xalloc.h"
#include "scorer/score.h"
#include "scorer/score_int.h"

/* The largest block the exact audit reduces: equations x values. */
#define AUDIT_MAX	(8u * 1024 * 1024)

/* A value of the table: column c of row r; c == nlevels is n. */
struct var {
	size_t		 r, c;
};

/* One relation as a list of terms: sum of coef * value = 0. */
struct eq {
	struct var	*v;
	int		*coef;
	size_t		 n;
};

struct sys {
	struct score_table *t;
	struct eq	*eq;
	size_t		 neq, aeq;
	struct score_rel *own;		/* derived when t has none */
	size_t		 nown;
};

static int
hidden(const struct score_table *t, struct var v)
{
	const struct score_row *r = &t->rows[v.r];

	if (r->supp != SCORE_SHOWN)
		return 1;
	return v.c < t->nlevels && r->cells[v.c].supp != SCORE_SHOWN;
}

static int
protected(const struct score_table *t, struct var v)
{
	const struct score_row *r = &t->rows[v.r];

	if (r->supp == SCORE_PRIMARY || r->supp == SCORE_LEDGER)
		return 1;
	return v.c < t->nlevels && (r->cells[v.c].supp == SCORE_PRIMARY ||
	    r->cells[v.c].supp == SCORE_LEDGER);
}

static unsigned long
val(const struct score_table *t, struct var v)
{
	const struct score_row *r = &t->rows[v.r];

	return v.c < t->nlevels ? r->cells[v.c].count : r->n;
}

static void
hide_cell(struct score_cell *c, enum score_supp why)
{
	if (c->supp == SCORE_SHOWN)
		c->supp = why;
}

static void
hide_row(struct score_table *t, struct score_row *r, enum score_supp why)
{
	if (r->supp == SCORE_SHOWN)
		r->supp = why;
	for (size_t l = 0; l < t->nlevels; l++)
		hide_cell(&r->cells[l], why);
}

static void
hide(struct score_table *t, struct var v)
{
	if (v.c < t->nlevels)
		hide_cell(&t->rows[v.r].cells[v.c], SCORE_SECONDARY);
	else
		hide_row(t, &t->rows[v.r], SCORE_SECONDARY);
}

static void
add_eq(struct sys *s, const struct var *v, const int *coef, size_t n)
{
	struct eq *e;

	VEC_GROW(s->eq, s->neq + 1, s->aeq);
	e = &s->eq[s->neq++];
	e->v = xcalloc(n, sizeof(*e->v));
	e->coef = xcalloc(n, sizeof(*e->coef));
	memcpy(e->v, v, n * sizeof(*v));
	memcpy(e->coef, coef, n * sizeof(*coef));
	e->n = n;
}

/* Tables built by hand have no relations: a year's total sums its rows. */
static void
derive_rels(struct sys *s)
{
	struct score_table *t = s->t;

	for (size_t i = 0; i < t->nrows; i++) {
		struct score_rel *rel;

		if (!t->rows[i].total)
			continue;
		s->own = xreallocarray(s->own, s->nown + 1, sizeof(*s->own));
		rel = &s->own[s->nown++];
		rel->parent = i;
		rel->nchild = 0;
		rel->child = xcalloc(t->nrows, sizeof(size_t));
		for (size_t j = 0; j < t->nrows; j++)
			if (!t->rows[j].total &&
			    t->rows[j].year == t->rows[i].year)
				rel->child[rel->nchild++] = j;
	}
}

/*
 * The equations: the first member of each is the total (n, or the
 * parent's value), the others its parts.
 */
static void
build_sys(struct sys *s)
{
	struct score_table *t = s->t;
	const struct score_rel *rels = t->rels;
	size_t nrels = t->nrels, cap = t->nlevels + 1;
	struct var *v = xcalloc(cap, sizeof(*v));
	int *coef = xcalloc(cap, sizeof(*coef));

	if (nrels == 0) {
		derive_rels(s);
		rels = s->own;
		nrels = s->nown;
	}
	for (size_t i = 0; t->nlevels > 0 && i < t->nrows; i++) {
		v[0].r = i;
		v[0].c = t->nlevels;
		coef[0] = 1;
		for (size_t l = 0; l < t->nlevels; l++) {
			v[l + 1].r = i;
			v[l + 1].c = l;
			coef[l + 1] = -1;
		}
		add_eq(s, v, coef, t->nlevels + 1);
	}
	for (size_t i = 0; i < nrels; i++) {
		const struct score_rel *rel = &rels[i];

		if (rel->nchild + 1 > cap) {
			cap = rel->nchild + 1;
			v = xreallocarray(v, cap, sizeof(*v));
			coef = xreallocarray(coef, cap, sizeof(*coef));
		}
		/* n first: a hidden row is best matched by another whole
		 * row, not by a cell in every column. */
		for (size_t cc = 0; cc <= t->nlevels; cc++) {
			size_t c = cc == 0 ? t->nlevels : cc - 1;

			v[0].r = rel->parent;
			v[0].c = c;
			coef[0] = 1;
			for (size_t j = 0; j < rel->nchild; j++) {
				v[j + 1].r = rel->child[j];
				v[j + 1].c = c;
				coef[j + 1] = -1;
			}
			add_eq(s, v, coef, rel->nchild + 1);
		}
	}
	free(v);
	free(coef);
}

static void
sys_release(struct sys *s)
{
	for (size_t i = 0; i < s->neq; i++) {
		free(s->eq[i].v);
		free(s->eq[i].coef);
	}
	free(s->eq);
	for (size_t i = 0; i < s->nown; i++)
		free(s->own[i].child);
	free(s->own);
}

/*
 * The shown member of e to hide next: a part (never the total), cells
 * before whole rows, the smallest value first.  Returns 0 if none.
 */
static int
pick(const struct score_table *t, const struct eq *e, struct var *out)
{
	int found = 0;

	for (size_t j = 1; j < e->n; j++) {
		struct var v = e->v[j];

		if (hidden(t, v))
			continue;
		if (!found || (v.c < t->nlevels) > (out->c < t->nlevels) ||
		    ((v.c < t->nlevels) == (out->c < t->nlevels) &&
		    val(t, v) < val(t, *out))) {
			*out = v;
			found = 1;
		}
	}
	return found;
}

/* Rules 1 and 2 over every equation; returns 1 if anything was hidden. */
static int
local_pass(struct sys *s)
{
	struct score_table *t = s->t;
	unsigned long k = (unsigned long)t->k;
	int changed = 0;

	for (size_t i = 0; i < s->neq; i++) {
		const struct eq *e = &s->eq[i];
		size_t nh = 0;
		unsigned long sum = 0;
		struct var v;

		for (size_t j = 0; j < e->n; j++)
			if (hidden(t, e->v[j])) {
				nh++;
				sum += val(t, e->v[j]);
			}
		if (nh == 0)
			continue;
		if (nh == 1 || (!hidden(t, e->v[0]) && sum < k)) {
			if (pick(t, e, &v)) {
				hide(t, v);
				changed = 1;
			} else if (!hidden(t, e->v[0])) {
				/* Every part is hidden: the total goes. */
				hide(t, e->v[0]);
				changed = 1;
			}
		}
	}
	return changed;
}

/* ---------------------------------------------------------------- */
/* The exact audit. */

static const uint64_t primes[] = { 2147483647u, 2147483629u };

static uint64_t
modinv(uint64_t a, uint64_t p)
{
	uint64_t r = 1, e = p - 2;

	while (e) {
		if (e & 1)
			r = r * a % p;
		a = a * a % p;
		e >>= 1;
	}
	return r;
}

/*
 * Gauss-Jordan on m (rows x cols, mod p).  det[c] is set for each column
 * whose variable the rows determine: a pivot row with no other entry.
 */
static void
reduce(uint32_t *m, size_t rows, size_t cols, uint64_t p, char *det)
{
	size_t pr = 0;
	size_t *pivcol = xcalloc(rows ? rows : 1, sizeof(*pivcol));

	for (size_t c = 0; c < cols && pr < rows; c++) {
		size_t sel = rows;
		uint64_t inv;

		for (size_t r = pr; r < rows; r++)
			if (m[r * cols + c]) {
				sel = r;
				break;
			}
		if (sel == rows)
			continue;
		if (sel != pr)
			for (size_t j = 0; j < cols; j++) {
				uint32_t x = m[sel * cols + j];

				m[sel * cols + j] = m[pr * cols + j];
				m[pr * cols + j] = x;
			}
		inv = modinv(m[pr * cols + c], p);
		for (size_t j = c; j < cols; j++)
			m[pr * cols + j] = (uint32_t)(m[pr * cols + j] * inv %
			    p);
		for (size_t r = 0; r < rows; r++) {
			uint64_t f = m[r * cols + c];

			if (r == pr || f == 0)
				continue;
			for (size_t j = c; j < cols; j++)
				m[r * cols + j] = (uint32_t)((m[r * cols + j] +
				    (p - f) * m[pr * cols + j]) % p);
		}
		pivcol[pr++] = c;
	}
	for (size_t r = 0; r < pr; r++) {
		size_t nz = 0;

		for (size_t j = 0; j < cols && nz < 2; j++)
			nz += m[r * cols + j] != 0;
		if (nz == 1)
			det[pivcol[r]] = 1;
	}
	free(pivcol);
}

static size_t
uf_find(size_t *par, size_t x)
{
	while (par[x] != x) {
		par[x] = par[par[x]];
		x = par[x];
	}
	return x;
}

/* The index of value v among the hidden ones, or SIZE_MAX. */
static size_t
var_ix(const struct score_table *t, const size_t *ix, struct var v)
{
	return ix[v.r * (t->nlevels + 1) + v.c];
}

/*
 * Finds a protected hidden value that the relations determine; sets *out
 * and returns 1, or returns 0 when there is none.
 */
static int
audit(struct sys *s, struct var *out)
{
	struct score_table *t = s->t;
	size_t nv = 0, nc = t->nlevels + 1;
	size_t *ix = xcalloc(t->nrows * nc, sizeof(*ix));
	struct var *vars;
	size_t *par, *blk, *cnt;
	int found = 0;

	t->audit_skipped = 0;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < nc; c++) {
			struct var v = { r, c };

			ix[r * nc + c] = hidden(t, v) ? nv++ : SIZE_MAX;
		}
	vars = xcalloc(nv ? nv : 1, sizeof(*vars));
	par = xcalloc(nv ? nv : 1, sizeof(*par));
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < nc; c++)
			if (ix[r * nc + c] != SIZE_MAX) {
				vars[ix[r * nc + c]].r = r;
				vars[ix[r * nc + c]].c = c;
			}
	for (size_t i = 0; i < nv; i++)
		par[i] = i;
	for (size_t e = 0; e < s->neq; e++) {
		size_t first = SIZE_MAX;

		for (size_t j = 0; j < s->eq[e].n; j++) {
			size_t x = var_ix(t, ix, s->eq[e].v[j]);

			if (x == SIZE_MAX)
				continue;
			if (first == SIZE_MAX)
				first = x;
			else
				par[uf_find(par, x)] = uf_find(par, first);
		}
	}
	/* Each block: its variables numbered 0.., its equations. */
	blk = xcalloc(nv ? nv : 1, sizeof(*blk));
	cnt = xcalloc(nv ? nv : 1, sizeof(*cnt));
	for (size_t i = 0; i < nv; i++)
		blk[i] = cnt[uf_find(par, i)]++;
	for (size_t root = 0; root < nv && !found; root++) {
		size_t cols = cnt[root], rows = 0, *vmap;
		uint32_t *m;
		char *det;
		int any = 0;

		if (par[root] != root)
			continue;
		for (size_t i = 0; i < nv; i++)
			if (uf_find(par, i) == root && protected(t, vars[i]))
				any = 1;
		if (!any)
			continue;
		vmap = xcalloc(cols, sizeof(*vmap));
		for (size_t i = 0; i < nv; i++)
			if (uf_find(par, i) == root)
				vmap[blk[i]] = i;
		for (size_t e = 0; e < s->neq; e++)
			for (size_t j = 0; j < s->eq[e].n; j++) {
				size_t x = var_ix(t, ix, s->eq[e].v[j]);

				if (x != SIZE_MAX && uf_find(par, x) == root) {
					rows++;
					break;
				}
			}
		if (rows * cols > AUDIT_MAX) {
			/* Too big to reduce densely: the local rules
			 * stand alone for this block. */
			s->t->audit_skipped++;
			free(vmap);
			continue;
		}
		m = xcalloc(rows * cols != 0 ? rows * cols : 1, sizeof(*m));
		det = xcalloc(cols, 1);
		for (size_t pi = 0; pi < 2; pi++) {
			size_t r = 0;

			memset(m, 0, rows * cols * sizeof(*m));
			for (size_t e = 0; e < s->neq; e++) {
				int in = 0;

				for (size_t j = 0; j < s->eq[e].n; j++) {
					size_t x = var_ix(t, ix,
					    s->eq[e].v[j]);

					if (x == SIZE_MAX ||
					    uf_find(par, x) != root)
						continue;
					in = 1;
					m[r * cols + blk[x]] =
					    s->eq[e].coef[j] > 0 ? 1 :
					    (uint32_t)(primes[pi] - 1);
				}
				r += in;
			}
			reduce(m, rows, cols, primes[pi], det);
		}
		for (size_t c = 0; c < cols && !found; c++)
			if (det[c] && protected(t, vars[vmap[c]])) {
				*out = vars[vmap[c]];
				found = 1;
			}
		free(m);
		free(det);
		free(vmap);
	}
	free(blk);
	free(cnt);
	free(par);
	free(vars);
	free(ix);
	return found;
}

/* Hides a shown member of a relation of v (the smallest, cells first). */
static int
protect(struct sys *s, struct var v)
{
	struct score_table *t = s->t;
	struct var best, cand;
	int found = 0;

	for (size_t e = 0; e < s->neq; e++) {
		const struct eq *q = &s->eq[e];
		int in = 0;

		for (size_t j = 0; j < q->n; j++)
			in |= q->v[j].r == v.r && q->v[j].c == v.c;
		if (!in || !pick(t, q, &cand))
			continue;
		if (!found || (cand.c < t->nlevels) > (best.c < t->nlevels) ||
		    ((cand.c < t->nlevels) == (best.c < t->nlevels) &&
		    val(t, cand) < val(t, best))) {
			best = cand;
			found = 1;
		}
	}
	if (!found) {
		/* Only totals are left to hide. */
		for (size_t e = 0; e < s->neq && !found; e++)
			for (size_t j = 0; j < s->eq[e].n; j++)
				if (s->eq[e].v[j].r == v.r &&
				    s->eq[e].v[j].c == v.c &&
				    !hidden(t, s->eq[e].v[0])) {
					best = s->eq[e].v[0];
					found = 1;
					break;
				}
	}
	if (found)
		hide(t, best);
	return found;
}

void
score_suppress_primary(struct score_table *t)
{
	unsigned long k = (unsigned long)t->k;

	for (size_t i = 0; i < t->nrows; i++) {
		struct score_row *r = &t->rows[i];

		if (r->n < k)
			hide_row(t, r, SCORE_PRIMARY);
		for (size_t l = 0; l < t->nlevels; l++)
			if (r->cells[l].count < k)
				hide_cell(&r->cells[l], SCORE_PRIMARY);
	}
}

/* Zeroes what is hidden and counts the marks. */
static void
finish(struct sys *s)
{
	struct score_table *t = s->t;

	t->nsupp_primary = t->nsupp_secondary = t->nsupp_ledger = 0;
	for (size_t e = 0; e < s->neq; e++) {
		const struct eq *q = &s->eq[e];

		/* A parent (not a row's n) with a hidden part. */
		if (q->n < 2 || q->v[0].r == q->v[1].r)
			continue;
		for (size_t j = 1; j < q->n; j++)
			if (hidden(t, q->v[j]))
				t->rows[q->v[0].r].num.minmax_hidden = 1;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		struct score_row *r = &t->rows[i];

		if (r->supp != SCORE_SHOWN) {
			r->responses = r->n = r->blank = r->unrecognised = 0;
			memset(&r->num, 0, sizeof(r->num));
		}
		if (r->num.minmax_hidden)
			r->num.min = r->num.max = 0;
		for (size_t l = 0; l < t->nlevels; l++) {
			struct score_cell *c = &r->cells[l];

			if (c->supp == SCORE_PRIMARY)
				t->nsupp_primary++;
			else if (c->supp == SCORE_SECONDARY)
				t->nsupp_secondary++;
			else if (c->supp == SCORE_LEDGER)
				t->nsupp_ledger++;
			if (c->supp != SCORE_SHOWN) {
				c->count = 0;
				c->pct = 0;
				c->lo = c->hi = 0;
			}
		}
	}
}

void
score_suppress_complete(struct score_table *t)
{
	struct sys s;
	struct var v = { 0, 0 };

	memset(&s, 0, sizeof(s));
	s.t = t;
	build_sys(&s);
	for (;;) {
		while (local_pass(&s))
			;
		if (!audit(&s, &v) || !protect(&s, v))
			break;
	}
	finish(&s);
	sys_release(&s);
}

void
score_suppress(struct score_table *t)
{
	score_suppress_primary(t);
	score_suppress_complete(t);
}
