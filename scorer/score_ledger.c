/* SPDX-License-Identifier: MIT */
/*
 * The release ledger's side of disclosure control.
 *
 * Before a table is published it is compared with every earlier release
 * of the same item whose years meet its own (the newest SCORE_MAXREL).
 * The scan that counts the table also evaluates each release's filter
 * and keys on its dimensions, so the atoms give, on today's data, the
 * size of every new row's population P, every released row's Q, and of
 * P and Q together.  When one contains the other (P within Q, Q within
 * P, or the same people), anyone holding both tables can subtract them:
 * the difference describes the people in one and not the other, plus
 * any answers added or changed since the release.  With the released
 * values (not today's) that difference is exactly what a reader would
 * compute, so:
 *  - if its valid n is below k (and it is not nothing at all), the new
 *    row is withheld whole; a total row so withheld refuses the request
 *    (it is the same population give or take a small group);
 *  - otherwise each category (or group of categories, where the two
 *    tables group levels differently) whose difference is below k is
 *    withheld in the new row.
 * These SCORE_LEDGER marks are protected like primary ones by the
 * complementary step.  Rows of different years never meet; populations
 * that merely overlap are not compared (a limit stated in the README).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_release.h"
#include "common/strmap.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "scorer/score.h"
#include "scorer/score_int.h"

/* Our rows' patterns: every subset of --by, or the rollup's chain. */
#define OURPAT	(1 << SCORE_MAXBY)

struct lrow {
	struct score_rowkey rk;
	uint32_t	 pat;
	int64_t		*vals;
	size_t		 nvals;
	int64_t		 size;		/* responses today (from the atoms) */
};

struct lrel {
	int64_t		 id;
	char		*at, *command, *filter, *groups, *options;
	struct score_where *where;
	struct lrow	*rows;
	size_t		 nrows, arows;
	uint32_t	 pats[64];
	size_t		 npat;
	struct strmap	 map;		/* rowkey -> row */
	int		 used;		/* it caused marks */
	int		 dup;		/* the same as a newer one: skipped */
	size_t		 fbit;		/* its filter's bit in the atoms' mask,
					   less one (releases with the same
					   filter share it) */
};

struct score_ledger {
	struct lrel	*rel;
	size_t		 nrel, arel;
	struct buf	 refuse;
};

struct loader {
	struct bd	*b;
	struct lrel	*r;
	int		 bad;
};

static size_t
rk_len(const struct bd *b)
{
	return offsetof(struct score_rowkey, key) + b->nkey *
	    sizeof(int32_t);
}

/* Parses "dim=id;dim=id" into rk, adding key dimensions as needed. */
static int
parse_key(struct bd *b, const char *s, struct score_rowkey *rk,
    uint32_t *pat)
{
	*pat = 0;
	for (size_t k = 0; k < SCORE_MAXKEY; k++)
		rk->key[k] = SCORE_ALL;
	while (*s) {
		const char *eq = strchr(s, '='), *end;
		char *dim;
		long id;
		int k;

		if (eq == NULL)
			return -1;
		dim = xstrndup(s, (size_t)(eq - s));
		k = score_key_add(b, dim);
		free(dim);
		id = strtol(eq + 1, (char **)&end, 10);
		if (k < 0 || end == eq + 1 || (*end != ';' && *end != '\0'))
			return -1;
		rk->key[k] = (int32_t)id;
		*pat |= 1u << k;
		s = *end ? end + 1 : end;
	}
	return 0;
}

static int
load_row(const struct store_release_row *row, void *arg)
{
	struct loader *l = arg;
	struct lrel *r = l->r;
	struct lrow *x;

	VEC_GROW(r->rows, r->nrows + 1, r->arows);
	x = &r->rows[r->nrows];
	memset(x, 0, sizeof(*x));
	if (row->year_from != row->year_to ||
	    parse_key(l->b, row->key, &x->rk, &x->pat) < 0) {
		l->bad = 1;
		return 1;
	}
	x->rk.year = row->year_from;
	x->vals = xcalloc(row->nvals ? row->nvals : 1, sizeof(int64_t));
	memcpy(x->vals, row->vals, row->nvals * sizeof(int64_t));
	x->nvals = row->nvals;
	r->nrows++;
	return 0;
}

static int
load_release(const struct store_release *sr, void *arg)
{
	struct loader *l = arg;
	struct bd *b = l->b;
	struct score_ledger *lg = b->lg;
	struct lrel *r;
	const char *kind = b->kind == SCORE_NUMBER ? "number" : "scale";

	if (lg->nrel == SCORE_MAXREL)
		return 1;
	if (strcmp(sr->kind, kind) != 0)
		return 0;	/* another kind of item: nothing to subtract */
	VEC_GROW(lg->rel, lg->nrel + 1, lg->arel);
	r = &lg->rel[lg->nrel++];
	memset(r, 0, sizeof(*r));
	r->id = sr->id;
	r->at = xstrdup(sr->at);
	r->command = xstrdup(sr->command);
	r->filter = xstrdup(sr->filter);
	r->groups = xstrdup(sr->groups);
	r->options = xstrdup(sr->options);
	l->r = r;
	return 0;
}

static void dedupe(struct bd *b);

static int
refuse_load(struct bd *b, const struct lrel *r, const char *why)
{
	return diag_err(b->d, "cannot check this request against release "
	    "#%lld (%s: %s): %s; it is refused rather than risk revealing a "
	    "small group (use --internal for work that will not be "
	    "published)", (long long)r->id, r->at, r->command, why);
}

int
score_ledger_load(struct bd *b)
{
	struct score_ledger *lg = xcalloc(1, sizeof(*lg));
	struct loader l;

	b->lg = lg;
	memset(&l, 0, sizeof(l));
	l.b = b;
	if (store_release_each(b->st, b->qy->item, b->year_from, b->year_to,
	    load_release, &l, b->d) < 0)
		return -1;
	for (size_t i = 0; i < lg->nrel; i++) {
		struct lrel *r = &lg->rel[i];
		struct diag scratch = DIAG_INIT;

		l.r = r;
		if (store_release_rows(b->st, r->id, load_row, &l, b->d) < 0)
			return -1;
		if (l.bad)
			return refuse_load(b, r, "its rows name more "
			    "dimensions than can be checked at once");
		if (r->filter[0] != '\0' &&
		    (r->where = score_where_parse(r->filter, &scratch)) ==
		    NULL) {
			diag_release(&scratch);
			return refuse_load(b, r, "its filter no longer "
			    "parses");
		}
		diag_release(&scratch);
	}
	dedupe(b);
	b->keep_all = lg->nrel > 0;
	return 0;
}

static int
same_rows(const struct lrel *a, const struct lrel *b)
{
	if (a->nrows != b->nrows || strcmp(a->filter, b->filter) != 0 ||
	    strcmp(a->groups, b->groups) != 0 ||
	    strcmp(a->options, b->options) != 0)
		return 0;
	for (size_t i = 0; i < a->nrows; i++) {
		const struct lrow *x = &a->rows[i], *y = &b->rows[i];

		if (x->pat != y->pat || x->nvals != y->nvals ||
		    memcmp(&x->rk, &y->rk, sizeof(x->rk)) != 0 ||
		    memcmp(x->vals, y->vals, x->nvals * sizeof(int64_t)) != 0)
			return 0;
	}
	return 1;
}

/*
 * A table released twice need be checked once; releases with the same
 * filter share its bit in the atoms' mask (and its evaluation).
 */
static void
dedupe(struct bd *b)
{
	struct score_ledger *lg = b->lg;
	size_t nf = 0;

	for (size_t i = 0; i < lg->nrel; i++) {
		struct lrel *r = &lg->rel[i];

		for (size_t j = 0; j < i && !r->dup; j++)
			r->dup = !lg->rel[j].dup && same_rows(&lg->rel[j], r);
		if (r->dup)
			continue;
		r->fbit = nf;
		for (size_t j = 0; j < i; j++)
			if (!lg->rel[j].dup &&
			    strcmp(lg->rel[j].filter, r->filter) == 0) {
				r->fbit = lg->rel[j].fbit;
				break;
			}
		if (r->fbit == nf)
			nf++;
	}
	b->nrfilter = nf;
}

int
score_ledger_bind(struct bd *b)
{
	struct score_ledger *lg = b->lg;
	struct diag *keep = b->d;
	struct diag scratch = DIAG_INIT;
	int ret = 0;

	if (lg == NULL)
		return 0;
	b->d = &scratch;
	for (size_t j = 0; j < lg->nrel && ret == 0; j++) {
		const struct lrel *r = &lg->rel[j];

		if (r->dup || r->where == NULL)
			continue;
		for (size_t i = 0; i < b->nv && ret == 0; i++) {
			struct score_version *v = &b->v[i];

			if (v->item < 0 || v->rfilter[r->fbit] != NULL)
				continue;
			v->rfilter[r->fbit] = score_bind_version(b, v,
			    r->where);
			if (v->rfilter[r->fbit] == NULL)
				ret = -1;
		}
		if (ret < 0) {
			b->d = keep;
			refuse_load(b, r, "its filter no longer applies to "
			    "the questionnaires of these years");
		}
	}
	b->d = keep;
	diag_release(&scratch);
	return ret;
}

/* The (our row, released row) pairs that share people, and how many. */
struct pair {
	size_t		 row;
	size_t		 rrow;
	int64_t		 both;
};

static void
project(const struct bd *b, const struct score_atom *a, uint32_t pat,
    struct score_rowkey *rk)
{
	memset(rk, 0, sizeof(*rk));
	rk->year = a->year;
	for (size_t k = 0; k < b->nkey; k++)
		rk->key[k] = pat >> k & 1 ? a->key[k] : SCORE_ALL;
}

static int64_t
atom_size(const struct bd *b, const struct score_atom *a)
{
	return a->v[b->ncat + SC_N] + a->v[b->ncat + SC_BLANK] +
	    a->v[b->ncat + SC_UNREC];
}

/* Our rows' patterns: those of their keys. */
static size_t
our_patterns(const struct bd *b, const struct score_table *t,
    uint32_t *pats)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		uint32_t p = 0;
		size_t j;

		for (size_t k = 0; k < b->nkey; k++)
			if (t->priv->rk[i].key[k] != SCORE_ALL)
				p |= 1u << k;
		for (j = 0; j < n && pats[j] != p; j++)
			;
		if (j == n)
			pats[n++] = p;
	}
	return n;
}

static void
index_release(struct bd *b, struct lrel *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		size_t j;

		r->rows[i].rk.year = r->rows[i].rk.year;
		for (size_t k = b->nkey; k < SCORE_MAXKEY; k++)
			r->rows[i].rk.key[k] = 0;
		for (j = 0; j < r->npat && r->pats[j] != r->rows[i].pat; j++)
			;
		if (j == r->npat && r->npat < 64)
			r->pats[r->npat++] = r->rows[i].pat;
		strmap_put(&r->map, (const char *)&r->rows[i].rk, rk_len(b),
		    (int64_t)i);
	}
}

/*
 * Sizes of our rows, of release j's rows and of each pair sharing
 * people, from the atoms.
 */
static struct pair *
overlaps(struct bd *b, const struct score_table *t, size_t j,
    int64_t *ours, size_t *npairs)
{
	struct lrel *r = &b->lg->rel[j];
	struct strmap ix = STRMAP_INIT, pm = STRMAP_INIT;
	uint32_t pats[OURPAT];
	size_t np = our_patterns(b, t, pats), n = 0, cap = 0;
	struct pair *pairs = NULL;

	for (size_t i = 0; i < t->nrows; i++)
		strmap_put(&ix, (const char *)&t->priv->rk[i], rk_len(b),
		    (int64_t)i);
	for (size_t i = 0; i < r->nrows; i++)
		r->rows[i].size = 0;
	for (size_t a = 0; a < b->natoms; a++) {
		const struct score_atom *at = &b->atoms[a];
		int64_t sz = atom_size(b, at), *p, *q;
		size_t mine[OURPAT], theirs[64], nm = 0, nt = 0;
		struct score_rowkey rk;

		if (at->mask & 1)
			for (size_t pi = 0; pi < np; pi++) {
				project(b, at, pats[pi], &rk);
				if ((p = strmap_get(&ix, (const char *)&rk,
				    rk_len(b))) != NULL)
					mine[nm++] = (size_t)*p;
			}
		if (at->mask >> (1 + r->fbit) & 1)
			for (size_t pi = 0; pi < r->npat; pi++) {
				project(b, at, r->pats[pi], &rk);
				if ((q = strmap_get(&r->map, (const char *)&rk,
				    rk_len(b))) != NULL) {
					theirs[nt++] = (size_t)*q;
					r->rows[*q].size += sz;
				}
			}
		for (size_t x = 0; x < nm; x++)
			ours[mine[x]] += sz;
		for (size_t x = 0; x < nm; x++)
			for (size_t y = 0; y < nt; y++) {
				uint64_t key = (uint64_t)mine[x] << 32 |
				    theirs[y];
				int64_t *e = strmap_get(&pm, (const char *)&key,
				    sizeof(key));

				if (e == NULL) {
					VEC_GROW(pairs, n + 1, cap);
					pairs[n].row = mine[x];
					pairs[n].rrow = theirs[y];
					pairs[n].both = 0;
					strmap_put(&pm, (const char *)&key,
					    sizeof(key), (int64_t)n);
					e = strmap_get(&pm, (const char *)&key,
					    sizeof(key));
					n++;
				}
				pairs[*e].both += sz;
			}
	}
	strmap_release(&ix);
	strmap_release(&pm);
	*npairs = n;
	return pairs;
}

/*
 * The blocks of categories the two tables can be compared on: our
 * categories c and released ones joined where they share a level.
 * blk[c] gets our category's block, rblk[c] theirs; returns the number
 * of blocks, or 0 when no category can be compared.
 */
static size_t
blocks(const struct bd *b, const struct lrel *r, size_t *blk, size_t *rblk,
    size_t *nrcat)
{
	char *theirs = xstrdup(r->groups), *save = NULL;
	struct buf ours = BUF_INIT;
	char *cats[64];
	size_t nr = 0, nb = 0, owner[64];

	*nrcat = 0;
	for (char *p = strtok_r(theirs, "|", &save); p && nr < 64;
	    p = strtok_r(NULL, "|", &save))
		cats[nr++] = p;
	*nrcat = nr;
	if (b->kind == SCORE_NUMBER) {
		char mine[64];

		snprintf(mine, sizeof(mine), "above=%g", b->qy->above);
		if (nr != b->ncat || strcmp(mine, r->options) != 0) {
			free(theirs);
			return 0;
		}
		for (size_t c = 0; c < nr; c++)
			blk[c] = rblk[c] = c;
		free(theirs);
		return nr;
	}
	/* Union-find over our categories (0..ncat) and theirs. */
	for (size_t c = 0; c < b->ncat + nr; c++)
		owner[c] = c;
	for (size_t c = 0; c < b->ncat; c++)
		for (size_t d = 0; d < nr; d++) {
			const char *lv;
			int share = 0;

			buf_reset(&ours);
			score_cat_ledger_key(b, c, &ours);
			lv = ours.data;

			while (*lv && !share) {
				size_t len = strcspn(lv, "+");
				const char *o = cats[d];

				while (*o && !share) {
					size_t ol = strcspn(o, "+");

					share = ol == len &&
					    strncmp(o, lv, len) == 0;
					o += ol + (o[ol] == '+');
				}
				lv += len + (lv[len] == '+');
			}
			if (share) {
				size_t x = c, y = b->ncat + d;

				while (owner[x] != x)
					x = owner[x];
				while (owner[y] != y)
					y = owner[y];
				owner[x] = y;
			}
		}
	for (size_t c = 0; c < b->ncat + nr; c++) {
		size_t x = c;

		while (owner[x] != x)
			x = owner[x];
		owner[c] = x;
	}
	for (size_t c = 0; c < b->ncat + nr; c++) {
		size_t root = owner[c], id = SIZE_MAX;

		for (size_t e = 0; e < c; e++)
			if (owner[e] == root) {
				id = e < b->ncat ? blk[e] : rblk[e - b->ncat];
				break;
			}
		if (id == SIZE_MAX)
			id = nb++;
		if (c < b->ncat)
			blk[c] = id;
		else
			rblk[c - b->ncat] = id;
	}
	free(theirs);
	buf_release(&ours);
	return nb;
}

static void
mark_row(struct score_table *t, struct score_row *row, const struct lrel *r)
{
	if (row->supp == SCORE_SHOWN)
		row->supp = SCORE_LEDGER;
	for (size_t l = 0; l < t->nlevels; l++)
		if (row->cells[l].supp == SCORE_SHOWN)
			row->cells[l].supp = SCORE_LEDGER;
	if (row->why == NULL)
		row->why = xasprintf("release #%lld", (long long)r->id);
}

static int64_t
llabs64(int64_t x)
{
	return x < 0 ? -x : x;
}

/*
 * Whether our row's answers are the released row's, compared block by
 * block (the two tables may group levels differently, or count one
 * year's extra level as another through compare_as).
 */
static int
same_answers(const struct score_table *t, const struct score_row *row,
    const struct lrow *q, const size_t *blk, const size_t *rblk, size_t nb,
    size_t nrcat)
{
	int64_t *dmine, *dtheirs;
	int same = 1;

	if (nb == 0) {
		for (size_t c = 0; same && c < t->nlevels && 4 + c < q->nvals;
		    c++)
			same = q->vals[4 + c] < 0 ||
			    (int64_t)row->cells[c].count == q->vals[4 + c];
		return same;
	}
	dmine = xcalloc(nb, sizeof(*dmine));
	dtheirs = xcalloc(nb, sizeof(*dtheirs));
	for (size_t c = 0; c < t->nlevels; c++)
		dmine[blk[c]] += (int64_t)row->cells[c].count;
	for (size_t c = 0; c < nrcat && 4 + c < q->nvals; c++)
		if (q->vals[4 + c] >= 0)
			dtheirs[rblk[c]] += q->vals[4 + c];
		else
			dmine[rblk[c]] = dtheirs[rblk[c]] = -1;
	for (size_t x = 0; same && x < nb; x++)
		same = dmine[x] < 0 || dmine[x] == dtheirs[x];
	free(dmine);
	free(dtheirs);
	return same;
}

/* Compares our row with a released row it nests with. */
static void
compare(struct bd *b, struct score_table *t, size_t i, struct lrel *r,
    const struct lrow *q, const size_t *blk, const size_t *rblk,
    size_t nb, size_t nrcat)
{
	struct score_row *row = &t->rows[i];
	int64_t k = t->k, dn, *dmine, *dtheirs;
	int same = 1, touched = 0;
	char *known;

	if (q->nvals < 4 || q->vals[1] < 0 || row->supp == SCORE_PRIMARY)
		return;
	dn = (int64_t)row->n - q->vals[1];
	same = dn == 0 && (int64_t)row->blank == q->vals[2] &&
	    (int64_t)row->unrecognised == q->vals[3];
	if (same)
		same = same_answers(t, row, q, blk, rblk, nb, nrcat);
	if (same && (int64_t)row->responses == q->size &&
	    q->size == q->vals[0])
		return;		/* the same people, the same answers */
	if (llabs64(dn) < k) {
		if (row->supp != SCORE_LEDGER)
			touched = 1;
		mark_row(t, row, r);
		if (row->kind == SCORE_ROW_TOTAL) {
			struct buf *m = &b->lg->refuse;

			if (m->len == 0 && dn == 0)
				buf_addf(m, "this request and release #%lld "
				    "(%s: %s) count the same number of "
				    "people (in %d) but select or divide them "
				    "differently, so the two could be "
				    "subtracted to describe fewer than %d of "
				    "them", (long long)r->id, r->at,
				    r->command, row->year, t->k);
			else if (m->len == 0)
				buf_addf(m, "this request counts the same "
				    "people as release #%lld (%s: %s) give or "
				    "take fewer than %d (in %d), so the two "
				    "could be subtracted to describe them",
				    (long long)r->id, r->at, r->command, t->k,
				    row->year);
		}
		r->used |= touched;
		return;
	}
	if (nb == 0)
		return;		/* no category can be compared: n alone */
	dmine = xcalloc(nb, sizeof(*dmine));
	dtheirs = xcalloc(nb, sizeof(*dtheirs));
	known = xcalloc(nb, 1);
	memset(known, 1, nb);
	for (size_t c = 0; c < t->nlevels; c++)
		dmine[blk[c]] += (int64_t)row->cells[c].count;
	for (size_t c = 0; c < nrcat; c++) {
		if (4 + c >= q->nvals || q->vals[4 + c] < 0)
			known[rblk[c]] = 0;
		else
			dtheirs[rblk[c]] += q->vals[4 + c];
	}
	for (size_t c = 0; c < t->nlevels; c++) {
		size_t x = blk[c];

		if (!known[x] || llabs64(dmine[x] - dtheirs[x]) >= k ||
		    row->cells[c].supp != SCORE_SHOWN)
			continue;
		row->cells[c].supp = SCORE_LEDGER;
		touched = 1;
		if (row->why == NULL)
			row->why = xasprintf("release #%lld",
			    (long long)r->id);
	}
	r->used |= touched;
	free(dmine);
	free(dtheirs);
	free(known);
}

int
score_ledger_apply(struct bd *b, struct score_table *t)
{
	struct score_ledger *lg = b->lg;
	int64_t *ours = xcalloc(t->nrows ? t->nrows : 1, sizeof(*ours));
	size_t blk[64], rblk[64];

	for (size_t j = 0; j < lg->nrel; j++) {
		struct lrel *r = &lg->rel[j];
		size_t np, nb, nrcat;
		struct pair *pairs;

		if (b->ncat > 64)
			break;
		if (r->dup)
			continue;
		index_release(b, r);
		memset(ours, 0, t->nrows * sizeof(*ours));
		pairs = overlaps(b, t, j, ours, &np);
		nb = blocks(b, r, blk, rblk, &nrcat);
		for (size_t p = 0; p < np; p++) {
			const struct pair *x = &pairs[p];
			const struct lrow *q = &r->rows[x->rrow];
			int64_t mine = ours[x->row];

			/* Nested: one population holds the other. */
			if (x->both != mine && x->both != q->size)
				continue;
			compare(b, t, x->row, r, q, blk, rblk, nb, nrcat);
		}
		free(pairs);
	}
	free(ours);
	if (lg->refuse.len)
		return diag_err(b->d, "refused: %s; publish a table that "
		    "differs from it by at least %d people in every row, or "
		    "use --internal for work that will not be published",
		    lg->refuse.data, t->k);
	for (size_t j = 0; j < lg->nrel; j++) {
		const struct lrel *r = &lg->rel[j];

		if (!r->used)
			continue;
		t->reasons = xreallocarray(t->reasons, t->nreasons + 1,
		    sizeof(char *));
		t->reasons[t->nreasons++] = xasprintf("values marked as "
		    "withheld for release #%lld (%s: %s) would, subtracted "
		    "from it, describe fewer than %d people", (long long)r->id,
		    r->at, r->command, t->k);
	}
	return 0;
}

void
score_ledger_free(struct score_ledger *lg)
{
	if (lg == NULL)
		return;
	for (size_t j = 0; j < lg->nrel; j++) {
		struct lrel *r = &lg->rel[j];

		for (size_t i = 0; i < r->nrows; i++)
			free(r->rows[i].vals);
		free(r->rows);
		free(r->at);
		free(r->command);
		free(r->filter);
		free(r->groups);
		free(r->options);
		score_where_free(r->where);
		strmap_release(&r->map);
	}
	free(lg->rel);
	buf_release(&lg->refuse);
	free(lg);
}

/* "dim=id;dim=id" of the fixed keys of row i, sorted by dimension. */
static char *
row_key(const struct score_priv *p, size_t i)
{
	struct buf s = BUF_INIT;
	size_t order[SCORE_MAXKEY], n = 0;

	for (size_t k = 0; k < p->nkey; k++)
		if (p->rk[i].key[k] != SCORE_ALL) {
			size_t j = n++;

			while (j > 0 && strcmp(p->keydim[order[j - 1]],
			    p->keydim[k]) > 0) {
				order[j] = order[j - 1];
				j--;
			}
			order[j] = k;
		}
	for (size_t j = 0; j < n; j++)
		buf_addf(&s, "%s%s=%ld", j ? ";" : "", p->keydim[order[j]],
		    (long)p->rk[i].key[order[j]]);
	return buf_detach(&s, NULL);
}

int
score_release(struct store *st, struct score_table *t, const char *command,
    const char *note, struct diag *d)
{
	const struct score_priv *p = t->priv;
	struct store_release r;
	struct store_release_row *rows;
	struct buf by = BUF_INIT;
	int64_t id;
	size_t nv = 4 + t->nlevels;
	int ret;

	if (t->internal || p == NULL)
		return 0;
	memset(&r, 0, sizeof(r));
	rows = xcalloc(t->nrows ? t->nrows : 1, sizeof(*rows));
	for (size_t i = 0; i < t->nrows; i++) {
		const struct score_row *row = &t->rows[i];
		int64_t *v = xcalloc(nv, sizeof(*v));
		int hid = row->supp != SCORE_SHOWN;

		v[0] = hid ? -1 : (int64_t)row->responses;
		v[1] = hid ? -1 : (int64_t)row->n;
		v[2] = hid ? -1 : (int64_t)row->blank;
		v[3] = hid ? -1 : (int64_t)row->unrecognised;
		for (size_t c = 0; c < t->nlevels; c++) {
			hid = row->cells[c].supp != SCORE_SHOWN;
			v[4 + c] = hid ? -1 : (int64_t)row->cells[c].count;
			if (hid)
				r.withheld++;
			else
				r.shown++;
		}
		if (t->nlevels == 0) {
			if (row->supp != SCORE_SHOWN)
				r.withheld++;
			else
				r.shown++;
		}
		rows[i].key = row_key(p, i);
		rows[i].label = row->label;
		rows[i].year_from = rows[i].year_to = row->year;
		rows[i].vals = v;
		rows[i].nvals = nv;
	}
	for (size_t k = 0; k < p->nkey; k++)
		buf_addf(&by, "%s%s", k ? "," : "", p->keydim[k]);
	r.command = command;
	r.note = note ? note : "";
	r.item = t->item;
	r.kind = t->kind == SCORE_NUMBER ? "number" : "scale";
	r.year_from = t->year_from;
	r.year_to = t->year_to;
	r.by = by.data;
	r.filter = t->where ? t->where : "";
	r.groups = p->groups;
	r.options = p->options;
	r.k = t->k;
	r.population = t->population;
	ret = store_release_add(st, &r, rows, t->nrows, &id, d);
	if (ret == 0)
		t->release = (long)id;
	for (size_t i = 0; i < t->nrows; i++) {
		free((char *)rows[i].key);
		free((int64_t *)rows[i].vals);
	}
	free(rows);
	buf_release(&by);
	return ret;
}
