/* SPDX-License-Identifier: MIT */
/*
 * A breakdown's rows and their additive structure, from the atoms.
 *
 * A row counts the atoms of its year whose keys match its pattern (a
 * value, or SCORE_ALL for any).  Without --rollup the patterns are every
 * subset of the --by dimensions: the groups, the margins and the total;
 * each row with a dimension summed is the sum of the rows that give that
 * dimension each of its values (a relation).  With --rollup the patterns
 * follow the hierarchy derived from the responses themselves: a team row
 * is a (directorate, service, team) path as the responses name it, a
 * service row sums its paths, a directorate row its services, the total
 * its directorates.  A team that answered under two services is two
 * rows, one under each, so every sum is exact.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/strmap.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "scorer/score.h"
#include "scorer/score_int.h"
#include "scorer/score_stats.h"

#define NOT_STATED "(not stated)"

struct proto {
	struct score_rowkey rk;
	uint32_t	 pat;		/* keys fixed */
	int64_t		*v;		/* ncat + SC_NX */
	struct score_row row;
};

struct rb {
	struct bd	*b;
	uint32_t	 pats[1 << SCORE_MAXBY];
	size_t		 npat;
	struct proto	*p;
	size_t		 np, ap;
	struct strmap	 map;		/* rowkey bytes -> proto */
};

int
score_atom_in(const struct score_atom *a, const struct score_rowkey *rk,
    size_t nkey, unsigned bit)
{
	if (a->year != rk->year || !(a->mask >> bit & 1))
		return 0;
	for (size_t k = 0; k < nkey; k++)
		if (rk->key[k] != SCORE_ALL && rk->key[k] != a->key[k])
			return 0;
	return 1;
}

static size_t
rk_len(const struct bd *b)
{
	return offsetof(struct score_rowkey, key) + b->nkey *
	    sizeof(int32_t);
}

/* The patterns, most detailed first. */
static void
patterns(struct rb *r)
{
	struct bd *b = r->b;
	uint32_t full;

	if (!b->qy->rollup) {
		for (uint32_t s = (1u << b->nby); s-- > 0;)
			r->pats[r->npat++] = s;
		return;
	}
	full = 1;
	if (b->ksvc >= 0)
		full |= 1u << b->ksvc;
	if (b->kdir >= 0)
		full |= 1u << b->kdir;
	r->pats[r->npat++] = full;
	if (b->ksvc >= 0)
		r->pats[r->npat++] = full & ~1u;
	if (b->kdir >= 0)
		r->pats[r->npat++] = 1u << b->kdir;
	r->pats[r->npat++] = 0;
}

static struct proto *
proto_of(struct rb *r, const struct score_rowkey *rk, uint32_t pat)
{
	struct bd *b = r->b;
	int64_t *ix;
	struct proto *p;

	if ((ix = strmap_get(&r->map, (const char *)rk, rk_len(b))) != NULL)
		return &r->p[*ix];
	VEC_GROW(r->p, r->np + 1, r->ap);
	p = &r->p[r->np];
	memset(p, 0, sizeof(*p));
	p->rk = *rk;
	p->pat = pat;
	p->v = xcalloc(b->ncat + SC_NX, sizeof(*p->v));
	strmap_put(&r->map, (const char *)rk, rk_len(b), (int64_t)r->np);
	return &r->p[r->np++];
}

static void
project(const struct bd *b, const struct score_atom *a, uint32_t pat,
    struct score_rowkey *rk)
{
	memset(rk, 0, sizeof(*rk));
	rk->year = a->year;
	for (size_t k = 0; k < b->nkey; k++)
		rk->key[k] = pat >> k & 1 ? a->key[k] : SCORE_ALL;
}

static int
cmp_i32(const void *x, const void *y)
{
	int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;

	return a < b ? -1 : a > b;
}

/* Type 7 quantile (R's default) of sorted codes, in units. */
static double
quantile(const int32_t *v, size_t n, double q)
{
	double h = (double)(n - 1) * q, f = floor(h);
	size_t i = (size_t)f;

	if (i + 1 >= n)
		return v[n - 1] / (double)QN_NUM_SCALE;
	return (v[i] + (h - f) * (double)(v[i + 1] - v[i])) /
	    (double)QN_NUM_SCALE;
}

struct vec32 {
	int32_t		*v;
	size_t		 n, a;
};

/*
 * The standard deviation, the t interval of the mean and the
 * distribution-free interval of the median of sorted codes v[0..n).
 * nm->mean is already set.
 */
static void
intervals_num(struct score_num *nm, const int32_t *v, size_t n,
    double level)
{
	double ss = 0, x, half;
	size_t r;

	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++) {
		x = v[i] / (double)QN_NUM_SCALE - nm->mean;
		ss += x * x;
	}
	nm->sd = sqrt(ss / (double)(n - 1));
	half = score_t(level, (double)(n - 1)) * nm->sd / sqrt((double)n);
	nm->mean_ci = 1;
	nm->mean_lo = nm->mean - half;
	nm->mean_hi = nm->mean + half;
	if ((r = score_median_rank(n, level)) > 0) {
		nm->median_ci = 1;
		nm->median_lo = v[r - 1] / (double)QN_NUM_SCALE;
		nm->median_hi = v[n - r] / (double)QN_NUM_SCALE;
	}
}

/*
 * Medians, quartiles, min and max of each row, one pattern at a time so
 * that the answers are held only once over.
 */
static void
number_stats(struct rb *r)
{
	struct bd *b = r->b;
	struct vec32 *vs = xcalloc(r->np ? r->np : 1, sizeof(*vs));
	struct score_rowkey rk;
	double level = b->qy->conf > 0 ? b->qy->conf : 0.95;

	for (size_t pi = 0; pi < r->npat; pi++) {
		for (size_t a = 0; a < b->natoms; a++) {
			const struct score_atom *at = &b->atoms[a];
			struct vec32 *w;
			int64_t *ix;

			if (!(at->mask & 1) || at->nnum == 0)
				continue;
			project(b, at, r->pats[pi], &rk);
			if ((ix = strmap_get(&r->map, (const char *)&rk,
			    rk_len(b))) == NULL)
				BUG("an atom without its row");
			w = &vs[*ix];
			VEC_GROW(w->v, w->n + at->nnum, w->a);
			memcpy(w->v + w->n, at->num,
			    at->nnum * sizeof(int32_t));
			w->n += at->nnum;
		}
		for (size_t i = 0; i < r->np; i++) {
			struct vec32 *w = &vs[i];
			struct score_num *nm = &r->p[i].row.num;

			if (w->n == 0)
				continue;
			qsort(w->v, w->n, sizeof(int32_t), cmp_i32);
			nm->min = w->v[0] / (double)QN_NUM_SCALE;
			nm->max = w->v[w->n - 1] / (double)QN_NUM_SCALE;
			nm->median = quantile(w->v, w->n, 0.5);
			nm->q1 = quantile(w->v, w->n, 0.25);
			nm->q3 = quantile(w->v, w->n, 0.75);
			intervals_num(nm, w->v, w->n, level);
			free(w->v);
			memset(w, 0, sizeof(*w));
		}
	}
	free(vs);
}

static char *
all_of(const char *dim)
{
	return xasprintf("All %ss", dim);
}

static void
label_row(struct rb *r, struct proto *p)
{
	struct bd *b = r->b;
	struct score_row *row = &p->row;
	struct buf lab = BUF_INIT;
	size_t nfixed = 0;

	for (size_t k = 0; k < b->nkey; k++)
		nfixed += p->rk.key[k] != SCORE_ALL;
	row->year = p->rk.year;
	if (b->nby > 0) {
		row->values = xcalloc(b->nby, sizeof(char *));
		for (size_t j = 0; j < b->nby; j++)
			if (p->rk.key[j] != SCORE_ALL)
				row->values[j] = xstrdup(score_value_label(b,
				    b->keydim[j], p->rk.key[j]));
	}
	if (nfixed == 0) {
		row->kind = SCORE_ROW_TOTAL;
		row->total = 1;
		if (b->nby == 0)
			buf_adds(&lab, "All responses");
		for (size_t j = 0; j < b->nby; j++) {
			char *s = all_of(b->keydim[j]);

			buf_addf(&lab, "%s%s", j ? " / " : "", s);
			free(s);
		}
	} else if (b->qy->rollup) {
		int kp = -1;
		int32_t id;

		if (p->rk.key[0] != SCORE_ALL) {
			row->kind = SCORE_ROW_GROUP;
			buf_adds(&lab, row->values[0]);
			kp = b->ksvc >= 0 ? b->ksvc : b->kdir;
		} else if (b->ksvc >= 0 && p->rk.key[b->ksvc] != SCORE_ALL) {
			row->kind = SCORE_ROW_SERVICE;
			buf_adds(&lab, score_value_label(b, "service",
			    p->rk.key[b->ksvc]));
			kp = b->kdir;
		} else {
			row->kind = SCORE_ROW_DIRECTORATE;
			buf_adds(&lab, score_value_label(b, "directorate",
			    p->rk.key[b->kdir]));
		}
		if (kp >= 0 && (id = p->rk.key[kp]) != SCORE_ALL)
			row->parent = xstrdup(score_value_label(b,
			    b->keydim[kp], id));
	} else {
		row->kind = nfixed == b->nby ? SCORE_ROW_GROUP :
		    SCORE_ROW_MARGIN;
		for (size_t j = 0; j < b->nby; j++) {
			char *s = row->values[j] ? xstrdup(row->values[j]) :
			    all_of(b->keydim[j]);

			buf_addf(&lab, "%s%s", j ? " / " : "", s);
			free(s);
		}
	}
	row->label = buf_detach(&lab, NULL);
}

static void
fill_row(struct bd *b, struct proto *p)
{
	struct score_row *r = &p->row;

	r->cells = xcalloc(b->ncat ? b->ncat : 1, sizeof(*r->cells));
	r->n = (unsigned long)p->v[b->ncat + SC_N];
	r->blank = (unsigned long)p->v[b->ncat + SC_BLANK];
	r->unrecognised = (unsigned long)p->v[b->ncat + SC_UNREC];
	r->responses = r->n + r->blank + r->unrecognised;
	for (size_t c = 0; c < b->ncat; c++) {
		r->cells[c].count = (unsigned long)p->v[c];
		r->cells[c].pct = r->n ? 100.0 * (double)p->v[c] /
		    (double)r->n : 0;
	}
	if (b->kind == SCORE_NUMBER && r->n)
		r->num.mean = (double)p->v[b->ncat + SC_SUM] / (double)r->n /
		    QN_NUM_SCALE;
}

/* Sorting: the component order of two labels of one dimension. */
static int
cmp_label(const char *x, const char *y)
{
	int c;

	if ((c = (strcmp(x, NOT_STATED) == 0) -
	    (strcmp(y, NOT_STATED) == 0)) != 0)
		return c;
	if ((c = strcasecmp(x, y)) != 0)
		return c;
	return strcmp(x, y);
}

static const struct rb *sort_rb;	/* qsort has no argument */

static int
cmp_proto(const void *xa, const void *ya)
{
	const struct proto *x = *(const struct proto *const *)xa;
	const struct proto *y = *(const struct proto *const *)ya;
	struct bd *b = sort_rb->b;
	int c;

	if (x->row.total != y->row.total)
		return x->row.total - y->row.total;
	if (b->qy->rollup) {
		/* The tree: directorate, service, team; a parent first. */
		int order[3], n = 0;

		if (b->kdir >= 0)
			order[n++] = b->kdir;
		if (b->ksvc >= 0)
			order[n++] = b->ksvc;
		order[n++] = 0;
		for (int i = 0; i < n; i++) {
			int32_t a = x->rk.key[order[i]];
			int32_t bb = y->rk.key[order[i]];

			if ((a == SCORE_ALL) != (bb == SCORE_ALL))
				return a == SCORE_ALL ? -1 : 1;
			if (a != SCORE_ALL && (c = cmp_label(
			    score_value_label(b, b->keydim[order[i]], a),
			    score_value_label(b, b->keydim[order[i]],
			    bb))) != 0)
				return c;
		}
	} else {
		for (size_t j = 0; j < b->nby; j++) {
			const char *a = x->row.values[j];
			const char *bb = y->row.values[j];

			if ((a == NULL) != (bb == NULL))
				return a == NULL ? 1 : -1;
			if (a != NULL && (c = cmp_label(a, bb)) != 0)
				return c;
		}
	}
	return x->rk.year - y->rk.year;
}

/* Adds child to the relation (parent, dim), creating it. */
static void
relate(struct score_table *t, struct strmap *rels, size_t parent, size_t dim,
    size_t child)
{
	uint64_t key = (uint64_t)parent << 8 | dim;
	struct score_rel *rel;
	int64_t *ix;

	if ((ix = strmap_get(rels, (const char *)&key, sizeof(key))) == NULL) {
		t->rels = xreallocarray(t->rels, t->nrels + 1,
		    sizeof(*t->rels));
		rel = &t->rels[t->nrels];
		memset(rel, 0, sizeof(*rel));
		rel->parent = parent;
		strmap_put(rels, (const char *)&key, sizeof(key),
		    (int64_t)t->nrels++);
	} else {
		rel = &t->rels[*ix];
	}
	rel->child = xreallocarray(rel->child, rel->nchild + 1,
	    sizeof(*rel->child));
	rel->child[rel->nchild++] = child;
}

/* The key summed away to reach a row's parent, or -1 for none. */
static int
summed_key(const struct bd *b, const struct score_rowkey *rk, size_t k)
{
	int chain[3], n = 0;

	if (rk->key[k] == SCORE_ALL)
		return -1;
	if (!b->qy->rollup)
		return (int)k;
	/* Up the tree only: the most detailed key of the path. */
	chain[n++] = 0;
	if (b->ksvc >= 0)
		chain[n++] = b->ksvc;
	if (b->kdir >= 0)
		chain[n++] = b->kdir;
	for (int i = 0; i < n; i++)
		if (rk->key[chain[i]] != SCORE_ALL)
			return chain[i] == (int)k ? (int)k : -1;
	return -1;
}

static void
relations(struct score_table *t, struct bd *b, struct strmap *index)
{
	struct strmap rels = STRMAP_INIT;

	for (size_t i = 0; i < t->nrows; i++) {
		const struct score_rowkey *rk = &b->rk[i];

		for (size_t k = 0; k < b->nkey; k++) {
			struct score_rowkey pk = *rk;
			int64_t *pix;

			if (summed_key(b, rk, k) < 0)
				continue;
			pk.key[k] = SCORE_ALL;
			if ((pix = strmap_get(index, (const char *)&pk,
			    rk_len(b))) == NULL)
				BUG("a row without its parent");
			relate(t, &rels, (size_t)*pix, k, i);
		}
	}
	strmap_release(&rels);
}

static char *
population(const struct bd *b, const struct score_table *t)
{
	struct buf s = BUF_INIT;

	buf_addf(&s, "responses to '%s'", b->qy->item);
	if (t->year_from == t->year_to)
		buf_addf(&s, " in %d", t->year_from);
	else
		buf_addf(&s, " in %d-%d", t->year_from, t->year_to);
	if (b->where != NULL)
		buf_addf(&s, " where %s", score_where_text(b->where));
	return buf_detach(&s, NULL);
}

static void
table_head(struct bd *b, struct score_table *t)
{
	const struct score_version *last = b->ref;
	struct buf by = BUF_INIT, lab = BUF_INIT;

	for (size_t i = 0; i < b->nv; i++)
		if (b->v[i].item >= 0 && b->v[i].year >= last->year)
			last = &b->v[i];
	t->kind = b->kind;
	t->item = xstrdup(b->qy->item);
	t->item_text = xstrdup(qn_field_text(last->q, (size_t)last->item));
	t->k = b->qy->k;
	t->nby = b->nby;
	t->by_keys = xcalloc(b->nby ? b->nby : 1, sizeof(char *));
	t->by_labels = xcalloc(b->nby ? b->nby : 1, sizeof(char *));
	for (size_t j = 0; j < b->nby; j++) {
		long f = last->key[j];

		t->by_keys[j] = xstrdup(b->keydim[j]);
		t->by_labels[j] = xstrdup(f >= 0 ? qn_field_text(last->q,
		    (size_t)f) : b->keydim[j]);
		buf_addf(&by, "%s%s", j ? "," : "", b->keydim[j]);
		buf_addf(&lab, "%s%s", j ? ", " : "", t->by_labels[j]);
	}
	if (b->nby == 0) {
		buf_adds(&by, "year");
		buf_adds(&lab, "Year");
	}
	t->by = buf_detach(&by, NULL);
	t->by_label = buf_detach(&lab, NULL);
	t->nlevels = b->ncat;
	t->level_keys = xcalloc(b->ncat ? b->ncat : 1, sizeof(char *));
	t->level_labels = xcalloc(b->ncat ? b->ncat : 1, sizeof(char *));
	for (size_t c = 0; c < b->ncat; c++) {
		t->level_keys[c] = xstrdup(b->cat_keys[c]);
		t->level_labels[c] = xstrdup(b->cat_labels[c]);
	}
	t->where = b->where ? xstrdup(score_where_text(b->where)) : NULL;
	t->rollup = b->qy->rollup;
	t->above = b->qy->above;
	t->internal = b->qy->internal;
}

struct score_table *
score_rows_build(struct bd *b)
{
	struct score_table *t = xcalloc(1, sizeof(*t));
	struct strmap index = STRMAP_INIT;
	struct proto **order;
	struct rb r;

	memset(&r, 0, sizeof(r));
	r.b = b;
	patterns(&r);
	for (size_t a = 0; a < b->natoms; a++) {
		const struct score_atom *at = &b->atoms[a];

		if (!(at->mask & 1))
			continue;
		if (!t->year_from || at->year < t->year_from)
			t->year_from = at->year;
		if (at->year > t->year_to)
			t->year_to = at->year;
		for (size_t pi = 0; pi < r.npat; pi++) {
			struct score_rowkey rk;
			struct proto *p;

			project(b, at, r.pats[pi], &rk);
			p = proto_of(&r, &rk, r.pats[pi]);
			for (size_t c = 0; c < b->ncat + SC_NX; c++)
				p->v[c] += at->v[c];
		}
	}
	if (t->year_from == 0) {
		t->year_from = b->year_from;
		t->year_to = b->year_to;
	}
	table_head(b, t);
	t->population = population(b, t);
	for (size_t i = 0; i < r.np; i++) {
		label_row(&r, &r.p[i]);
		fill_row(b, &r.p[i]);
	}
	if (b->kind == SCORE_NUMBER)
		number_stats(&r);
	order = xcalloc(r.np ? r.np : 1, sizeof(*order));
	for (size_t i = 0; i < r.np; i++)
		order[i] = &r.p[i];
	sort_rb = &r;
	qsort(order, r.np, sizeof(*order), cmp_proto);
	sort_rb = NULL;
	t->nrows = r.np;
	t->rows = xcalloc(r.np ? r.np : 1, sizeof(*t->rows));
	b->rk = xcalloc(r.np ? r.np : 1, sizeof(*b->rk));
	for (size_t i = 0; i < r.np; i++) {
		t->rows[i] = order[i]->row;
		b->rk[i] = order[i]->rk;
		strmap_put(&index, (const char *)&b->rk[i], rk_len(b),
		    (int64_t)i);
	}
	relations(t, b, &index);
	for (size_t i = 0; i < r.np; i++)
		free(r.p[i].v);
	free(r.p);
	free(order);
	strmap_release(&r.map);
	strmap_release(&index);
	return t;
}
