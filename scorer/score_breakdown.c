/* SPDX-License-Identifier: MIT */
/*
 * Breakdown of one scale item by one dimension and year: gathers the
 * definition versions the responses use, checks the item means the same
 * scale in all of them (or that their definitions say how one scale's
 * levels count on the other: compare_as), counts answers per (group,
 * year) in one scan of the store, notes what changed across the years
 * shown, and hands the table to score_suppress().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/strmap.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "scorer/score.h"

#define NOT_STATED "(not stated)"

struct version {
	int64_t		 id;
	int		 year;
	struct qn	*q;
	long		 item;		/* field index, or -1 if not asked */
	long		 dim;
	int		 mapped;	/* counted through compare_as */
};

struct group {
	int32_t		 code;		/* dimension value id; 0 = blank */
	int		 year;
	unsigned long	 blank, unrecognised;
	unsigned long	*counts;
};

struct bd {
	const struct score_query *qy;
	struct diag	*d;
	struct version	*v;
	size_t		 nv, av;
	struct group	*g;
	size_t		 ng, ag;
	struct strmap	 gmap;		/* (code, year) -> index in g */
	size_t		 nlevels;
	const struct version *ref;	/* the version whose scale is used */
	const struct version *levels;	/* where level keys, labels are */
	int		 levels_cmp;	/* ... on its compare_as scale */
	struct strmap	 labels;	/* code as text -> label index */
	char		**label;
	size_t		 nlabel, alabel;
	char		**notes;
	size_t		 nnotes, anotes;
};

static int
add_version(const struct store_qn *sq, void *arg)
{
	struct bd *b = arg;
	struct version *v;
	struct qn *q;

	if ((q = qn_load_text(sq->body, sq->name, b->d)) == NULL)
		return diag_env(b->d, "cannot read questionnaire '%s' kept "
		    "in the store", sq->name);
	VEC_GROW(b->v, b->nv + 1, b->av);
	v = &b->v[b->nv++];
	v->id = sq->id;
	v->year = sq->year;
	v->q = q;
	v->item = qn_field_find(q, b->qy->item);
	v->dim = qn_field_find(q, b->qy->by);
	v->mapped = 0;
	return 0;
}

static int
same_scale(const struct version *a, const struct version *b)
{
	size_t n = qn_field_nlevels(a->q, (size_t)a->item);

	if (n != qn_field_nlevels(b->q, (size_t)b->item))
		return 0;
	for (size_t l = 0; l < n; l++)
		if (strcmp(qn_level_key(a->q, (size_t)a->item, l),
		    qn_level_key(b->q, (size_t)b->item, l)) != 0)
			return 0;
	return 1;
}

/* v's item's level keys ("a,b,c"), on its compare_as scale when cmp. */
static void
keys_of(const struct version *v, int cmp, struct buf *out)
{
	size_t i = (size_t)v->item;
	size_t n = cmp ? qn_field_compare_nlevels(v->q, i) :
	    qn_field_nlevels(v->q, i);

	buf_reset(out);
	for (size_t l = 0; l < n; l++)
		buf_addf(out, "%s%s", l ? ", " : "", cmp ?
		    qn_compare_level_key(v->q, i, l) : qn_level_key(v->q, i, l));
}

/*
 * When the item's scale differs between versions: finds a scale every
 * version has, natively or as its compare_as, and marks the versions
 * counted through their mapping.  Returns 0 when found, -1 when not.
 */
static int
map_scales(struct bd *b)
{
	struct buf target = BUF_INIT, k = BUF_INIT;
	int found = 0;

	for (size_t c = 0; c < b->nv && !found; c++) {
		struct version *cv = &b->v[c];

		if (cv->item < 0 ||
		    qn_field_compare_scale(cv->q, (size_t)cv->item) == NULL)
			continue;
		keys_of(cv, 1, &target);
		found = 1;
		b->levels = cv;
		b->levels_cmp = 1;
		for (size_t i = 0; i < b->nv && found; i++) {
			struct version *v = &b->v[i];

			if (v->item < 0)
				continue;
			keys_of(v, 0, &k);
			v->mapped = strcmp(k.data, target.data) != 0;
			if (!v->mapped) {
				/* Labels from the latest native version. */
				b->levels = v;
				b->levels_cmp = 0;
				continue;
			}
			if (qn_field_compare_scale(v->q, (size_t)v->item) ==
			    NULL)
				found = 0;
			else if (keys_of(v, 1, &k), strcmp(k.data,
			    target.data) != 0)
				found = 0;
		}
	}
	buf_release(&target);
	buf_release(&k);
	return found ? 0 : -1;
}

/* Checks the item and dimension against every version in range. */
static int
check_versions(struct bd *b)
{
	const char *item = b->qy->item, *by = b->qy->by;
	const struct version *v, *differ = NULL;
	struct buf items = BUF_INIT;

	for (size_t i = 0; i < b->nv; i++) {
		v = &b->v[i];
		if (v->item < 0)
			continue;
		if (qn_field_kind(v->q, (size_t)v->item) == QN_DIM)
			return diag_err(b->d, "cannot break down '%s': it is a "
			    "dimension; try --by %s", item, item);
		if (qn_field_kind(v->q, (size_t)v->item) != QN_SCALE &&
		    qn_field_kind(v->q, (size_t)v->item) != QN_CHOICE)
			return diag_err(b->d, "cannot break down '%s': it is "
			    "a %s item in %d, and breakdown counts the levels "
			    "of scale and choice items", item, qn_kind_name(
			    qn_field_kind(v->q, (size_t)v->item)), v->year);
		if (v->dim < 0 ||
		    qn_field_kind(v->q, (size_t)v->dim) != QN_DIM)
			return diag_err(b->d, "cannot break down by '%s': the "
			    "%d questionnaire '%s' has no such dimension", by,
			    v->year, qn_id(v->q));
		if (b->ref == NULL)
			b->ref = b->levels = v;
		else if (!same_scale(b->ref, v) && differ == NULL)
			differ = v;
		else if (same_scale(b->ref, v))
			b->levels = v;
	}
	if (differ != NULL && map_scales(b) < 0) {
		struct buf k1 = BUF_INIT, k2 = BUF_INIT;

		keys_of(b->ref, 0, &k1);
		keys_of(differ, 0, &k2);
		diag_err(b->d, "cannot compare '%s' across years: its scale "
		    "in %d ('%s': %s) differs from %d ('%s': %s), and no "
		    "definition says how their levels correspond (add "
		    "\"compare_as\" to the item in %d's definition); or "
		    "choose years with one scale with --year", item,
		    b->ref->year, qn_field_scale(b->ref->q,
		    (size_t)b->ref->item), k1.data, differ->year,
		    qn_field_scale(differ->q, (size_t)differ->item), k2.data,
		    differ->year);
		buf_release(&k1);
		buf_release(&k2);
		return -1;
	}
	if (b->ref != NULL)
		return 0;
	for (size_t i = 0; i < b->nv; i++)
		for (size_t f = 0; f < qn_nfields(b->v[i].q); f++) {
			const char *k = qn_field_key(b->v[i].q, f);

			if (qn_field_kind(b->v[i].q, f) != QN_SCALE ||
			    strstr(items.data, k) != NULL)
				continue;
			buf_addf(&items, "%s%s", items.len ? ", " : "", k);
		}
	diag_err(b->d, "unknown item '%s'%s%s%s", item,
	    b->nv ? " (scale items stored: " : ": no responses are stored "
	    "for these years", items.data, b->nv ? ")" : "");
	buf_release(&items);
	return -1;
}

static struct version *
version_of(struct bd *b, int64_t id)
{
	for (size_t i = 0; i < b->nv; i++)
		if (b->v[i].id == id)
			return &b->v[i];
	return NULL;
}

static int
count(int year, int64_t qn_id, const int32_t *norm, size_t nnorm, void *arg)
{
	struct bd *b = arg;
	struct version *v = version_of(b, qn_id);
	struct group *g;
	int32_t key[2];
	int64_t *ix;
	int32_t code;

	if (v == NULL || v->item < 0 || (size_t)v->item >= nnorm ||
	    (size_t)v->dim >= nnorm)
		return 0;	/* the item was not asked that year */
	key[0] = norm[v->dim];
	key[1] = year;
	if ((ix = strmap_get(&b->gmap, (const char *)key, sizeof(key)))) {
		g = &b->g[*ix];
	} else {
		VEC_GROW(b->g, b->ng + 1, b->ag);
		g = &b->g[b->ng];
		memset(g, 0, sizeof(*g));
		g->code = key[0];
		g->year = year;
		g->counts = xcalloc(b->nlevels, sizeof(*g->counts));
		strmap_put(&b->gmap, (const char *)key, sizeof(key),
		    (int64_t)b->ng++);
	}
	code = norm[v->item];
	if (v->mapped)
		code = qn_field_compare_code(v->q, (size_t)v->item, code);
	if (code == QN_BLANK)
		g->blank++;
	else if (code < 1 || (size_t)code > b->nlevels)
		g->unrecognised++;
	else
		g->counts[code - 1]++;
	return 0;
}

static int
add_label(int64_t id, const char *value, void *arg)
{
	struct bd *b = arg;
	char key[32];

	snprintf(key, sizeof(key), "%lld", (long long)id);
	VEC_GROW(b->label, b->nlabel + 1, b->alabel);
	b->label[b->nlabel] = xstrdup(value);
	strmap_put(&b->labels, key, strlen(key), (int64_t)b->nlabel++);
	return 0;
}

static const char *
label_of(struct bd *b, int32_t code)
{
	char key[32];
	int64_t *ix;

	if (code == 0)
		return NOT_STATED;
	snprintf(key, sizeof(key), "%ld", (long)code);
	ix = strmap_get(&b->labels, key, strlen(key));
	return ix ? b->label[*ix] : NOT_STATED;
}

static int
cmp_row(const void *a, const void *b)
{
	const struct score_row *x = a, *y = b;
	int c;

	if (x->total != y->total)
		return x->total - y->total;
	/* "(not stated)" sorts after the named groups. */
	if ((c = (strcmp(x->label, NOT_STATED) == 0) -
	    (strcmp(y->label, NOT_STATED) == 0)) != 0)
		return c;
	if ((c = strcasecmp(x->label, y->label)) != 0 ||
	    (c = strcmp(x->label, y->label)) != 0)
		return c;
	return x->year - y->year;
}

static void
fill_row(struct score_row *r, size_t nlevels, const unsigned long *counts,
    unsigned long blank, unsigned long unrec)
{
	r->cells = xcalloc(nlevels, sizeof(*r->cells));
	r->blank = blank;
	r->unrecognised = unrec;
	for (size_t l = 0; l < nlevels; l++) {
		r->cells[l].count = counts[l];
		r->n += counts[l];
	}
	r->responses = r->n + blank + unrec;
	for (size_t l = 0; l < nlevels; l++)
		r->cells[l].pct = r->n ? 100.0 * (double)counts[l] /
		    (double)r->n : 0;
}

static void
add_note(const char *note, void *arg)
{
	struct bd *b = arg;

	VEC_GROW(b->notes, b->nnotes + 1, b->anotes);
	b->notes[b->nnotes++] = xstrdup(note);
}

/* Appends the sorted distinct years ys[0..n) as "2019 to 2021, 2023". */
static void
year_runs(const int *ys, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j + 1 < n && ys[j + 1] == ys[j] + 1)
			j++;
		buf_addf(out, "%s%d", i ? ", " : "", ys[i]);
		if (j > i)
			buf_addf(out, " to %d", ys[j]);
		i = j + 1;
	}
}

/* Adds v's year to ys[0..*n) unless it is the last one there. */
static void
add_year(int *ys, size_t *n, int year)
{
	if (*n == 0 || ys[*n - 1] != year)
		ys[(*n)++] = year;
}

/* What v's mapping onto its compare_as scale says, for a note. */
static void
mapping_of(const struct version *v, struct buf *out)
{
	size_t i = (size_t)v->item;
	struct buf k = BUF_INIT;
	int any = 0;

	keys_of(v, 0, &k);
	buf_reset(out);
	buf_addf(out, "is '%s' (%s); to compare across years it is counted "
	    "on '%s'", qn_field_scale(v->q, i), k.data,
	    qn_field_compare_scale(v->q, i));
	for (size_t l = 0; l < qn_field_nlevels(v->q, i); l++) {
		int32_t c = qn_field_compare_code(v->q, i, (int32_t)l + 1);
		const char *from = qn_level_key(v->q, i, l);
		const char *to = qn_compare_level_key(v->q, i, (size_t)c - 1);

		if (strcmp(from, to) != 0)
			buf_addf(out, "%s'%s' as '%s'", any++ ? ", " :
			    ", with ", from, to);
	}
	buf_addc(out, '.');
	buf_release(&k);
}

/*
 * The notes a reader needs to compare across the years shown: a changed
 * scale and its mapping, a reworded question, years the item was not
 * asked, and the team map's history (renames, merges, splits).
 */
static void
notes(struct bd *b, const struct version *last, int from, int to)
{
	struct buf n = BUF_INIT, m = BUF_INIT, body = BUF_INIT;
	const struct version *prev = NULL;
	const char *item = b->qy->item;
	int *ys = xcalloc(b->nv + 1, sizeof(*ys));
	size_t ny = 0;

	/* One note per run of years mapped the same way. */
	for (size_t i = 0; i <= b->nv; i++) {
		const struct version *v = i < b->nv ? &b->v[i] : NULL;

		if (v != NULL && (v->item < 0 || !v->mapped))
			continue;
		if (v != NULL)
			mapping_of(v, &m);
		if (ny > 0 && (v == NULL || strcmp(m.data, body.data) != 0)) {
			buf_reset(&n);
			buf_addf(&n, "The answer scale of '%s' in ", item);
			year_runs(ys, ny, &n);
			buf_addf(&n, " %s", body.data);
			add_note(n.data, b);
			ny = 0;
		}
		if (v == NULL)
			break;
		buf_reset(&body);
		buf_adds(&body, m.data);
		add_year(ys, &ny, v->year);
	}
	for (size_t i = 0; i < b->nv; i++) {
		const struct version *v = &b->v[i];

		if (v->item < 0)
			continue;
		if (prev != NULL && prev->year != v->year &&
		    strcmp(qn_field_text(prev->q, (size_t)prev->item),
		    qn_field_text(v->q, (size_t)v->item)) != 0) {
			buf_reset(&n);
			buf_addf(&n, "The question was reworded in %d; in %d "
			    "it read: \"%s\"", v->year, prev->year,
			    qn_field_text(prev->q, (size_t)prev->item));
			add_note(n.data, b);
		}
		prev = v;
	}
	ny = 0;
	for (size_t i = 0; i < b->nv; i++)
		if (b->v[i].item < 0)
			add_year(ys, &ny, b->v[i].year);
	if (ny > 0) {
		buf_reset(&n);
		buf_addf(&n, "'%s' was not asked in ", item);
		year_runs(ys, ny, &n);
		buf_addc(&n, '.');
		add_note(n.data, b);
	}
	qn_team_history(last->q, b->qy->by, from, to, add_note, b);
	free(ys);
	buf_release(&n);
	buf_release(&m);
	buf_release(&body);
}

static struct score_table *
build(struct bd *b)
{
	struct score_table *t = xcalloc(1, sizeof(*t));
	const struct version *last = b->ref;
	int years[2] = { 0, 0 };
	size_t nrows = 0;

	for (size_t i = 0; i < b->nv; i++)
		if (b->v[i].item >= 0 && b->v[i].year >= last->year)
			last = &b->v[i];
	t->item = xstrdup(b->qy->item);
	t->item_text = xstrdup(qn_field_text(last->q, (size_t)last->item));
	t->by = xstrdup(b->qy->by);
	t->by_label = xstrdup(qn_field_text(last->q, (size_t)last->dim));
	t->k = b->qy->k;
	t->nlevels = b->nlevels;
	t->level_keys = xcalloc(b->nlevels, sizeof(char *));
	t->level_labels = xcalloc(b->nlevels, sizeof(char *));
	for (size_t l = 0; l < b->nlevels; l++) {
		const struct qn *lq = b->levels->q;
		size_t li = (size_t)b->levels->item;

		t->level_keys[l] = xstrdup(b->levels_cmp ?
		    qn_compare_level_key(lq, li, l) : qn_level_key(lq, li, l));
		t->level_labels[l] = xstrdup(b->levels_cmp ?
		    qn_compare_level_label(lq, li, l) :
		    qn_level_label(lq, li, l));
	}
	for (size_t i = 0; i < b->ng; i++) {
		if (!years[0] || b->g[i].year < years[0])
			years[0] = b->g[i].year;
		if (b->g[i].year > years[1])
			years[1] = b->g[i].year;
	}
	t->year_from = years[0];
	t->year_to = years[1];
	t->rows = xcalloc(b->ng + (size_t)(years[1] - years[0] + 1),
	    sizeof(*t->rows));
	for (size_t i = 0; i < b->ng; i++) {
		struct score_row *r = &t->rows[nrows++];

		r->label = xstrdup(label_of(b, b->g[i].code));
		r->year = b->g[i].year;
		fill_row(r, b->nlevels, b->g[i].counts, b->g[i].blank,
		    b->g[i].unrecognised);
	}
	for (int y = years[0]; b->ng && y <= years[1]; y++) {
		unsigned long *sum = xcalloc(b->nlevels, sizeof(*sum));
		unsigned long blank = 0, unrec = 0;
		int any = 0;

		for (size_t i = 0; i < b->ng; i++) {
			if (b->g[i].year != y)
				continue;
			any = 1;
			for (size_t l = 0; l < b->nlevels; l++)
				sum[l] += b->g[i].counts[l];
			blank += b->g[i].blank;
			unrec += b->g[i].unrecognised;
		}
		if (any) {
			struct score_row *r = &t->rows[nrows++];

			r->label = xasprintf("All %ss", b->qy->by);
			r->year = y;
			r->total = 1;
			fill_row(r, b->nlevels, sum, blank, unrec);
		}
		free(sum);
	}
	t->nrows = nrows;
	qsort(t->rows, t->nrows, sizeof(*t->rows), cmp_row);
	notes(b, last, years[0], years[1]);
	t->notes = b->notes;
	t->nnotes = b->nnotes;
	b->notes = NULL;
	b->nnotes = 0;
	return t;
}

static void
bd_release(struct bd *b)
{
	for (size_t i = 0; i < b->nv; i++)
		qn_free(b->v[i].q);
	free(b->v);
	for (size_t i = 0; i < b->ng; i++)
		free(b->g[i].counts);
	free(b->g);
	strmap_release(&b->gmap);
	strmap_release(&b->labels);
	for (size_t i = 0; i < b->nlabel; i++)
		free(b->label[i]);
	free(b->label);
	for (size_t i = 0; i < b->nnotes; i++)
		free(b->notes[i]);
	free(b->notes);
}

int
score_breakdown(struct store *st, const struct score_query *q,
    struct score_table **out, struct diag *d)
{
	struct bd b;
	int ret = -1;

	memset(&b, 0, sizeof(b));
	b.qy = q;
	b.d = d;
	*out = NULL;
	if (q->k < 1)
		BUG("k must be at least 1");
	if (store_qn_each(st, q->year_from, q->year_to, add_version, &b,
	    d) != 0 || check_versions(&b) < 0)
		goto out;
	b.nlevels = b.levels_cmp ? qn_field_compare_nlevels(b.levels->q,
	    (size_t)b.levels->item) : qn_field_nlevels(b.levels->q,
	    (size_t)b.levels->item);
	if (store_resp_scan(st, q->year_from, q->year_to, count, &b, d) != 0 ||
	    store_dimval_each(st, q->by, add_label, &b, d) != 0)
		goto out;
	*out = build(&b);
	score_suppress(*out);
	ret = 0;
out:
	bd_release(&b);
	return ret;
}

void
score_table_free(struct score_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		free(t->rows[i].label);
		free(t->rows[i].cells);
	}
	free(t->rows);
	for (size_t l = 0; l < t->nlevels; l++) {
		free(t->level_keys[l]);
		free(t->level_labels[l]);
	}
	free(t->level_keys);
	free(t->level_labels);
	free(t->item);
	free(t->item_text);
	free(t->by);
	free(t->by_label);
	for (size_t i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	free(t->notes);
	free(t);
}
