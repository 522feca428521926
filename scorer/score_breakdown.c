/* SPDX-License-Identifier: MIT */
/*
 * Breakdown of one item by up to three dimensions and year: gathers the
 * definition versions the responses use, checks the item means the same
 * thing in all of them, binds the filters, and counts the answers in one
 * scan of the store's columns into atoms (responses sharing a year, key
 * values and filter results).  score_rows.c turns the atoms into the
 * table, score_suppress.c and score_ledger.c protect it, score_tests.c
 * adds the statistics.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_cols.h"
#include "common/strmap.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "scorer/score.h"
#include "scorer/score_int.h"

#define NOT_STATED "(not stated)"

static int
add_version(const struct store_qn *sq, void *arg)
{
	struct bd *b = arg;
	struct score_version *v;
	struct qn *q;

	if ((q = qn_load_text(sq->body, sq->name, b->d)) == NULL)
		return diag_env(b->d, "cannot read questionnaire '%s' kept "
		    "in the store", sq->name);
	VEC_GROW(b->v, b->nv + 1, b->av);
	v = &b->v[b->nv++];
	memset(v, 0, sizeof(*v));
	v->id = sq->id;
	v->year = sq->year;
	v->q = q;
	v->item = qn_field_find(q, b->qy->item);
	return 0;
}

static int
same_scale(const struct score_version *a, const struct score_version *b)
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

/* Scale and choice items are counted by level alike. */
static int
by_level(enum qn_kind k)
{
	return k == QN_SCALE || k == QN_CHOICE;
}

/*
 * Checks the item against every version in range: the same kind, and the
 * same scale unless the definitions say how their levels correspond.
 */
static int
check_versions(struct bd *b)
{
	const char *item = b->qy->item;
	const struct score_version *v, *differ = NULL;
	struct buf items = BUF_INIT;
	enum qn_kind kind, rkind;

	for (size_t i = 0; i < b->nv; i++) {
		v = &b->v[i];
		if (v->item < 0)
			continue;
		kind = qn_field_kind(v->q, (size_t)v->item);
		if (kind == QN_DIM)
			return diag_err(b->d, "cannot break down '%s': it is a "
			    "dimension; try --by %s", item, item);
		if (!by_level(kind) && kind != QN_NUMBER)
			return diag_err(b->d, "cannot break down '%s': it is "
			    "a %s item in %d, and breakdown counts the levels "
			    "of scale and choice items and summarises number "
			    "items", item, qn_kind_name(kind), v->year);
		if (b->ref == NULL) {
			b->ref = b->levels = v;
			continue;
		}
		rkind = qn_field_kind(b->ref->q, (size_t)b->ref->item);
		if (by_level(rkind) != by_level(kind))
			return diag_err(b->d, "cannot compare '%s' across "
			    "years: it is a %s item in %d and a %s item in %d; "
			    "choose one of those years with --year", item,
			    qn_kind_name(rkind), b->ref->year,
			    qn_kind_name(kind), v->year);
		if (!by_level(kind))
			continue;
		if (!same_scale(b->ref, v)) {
			if (differ == NULL)
				differ = v;
		} else {
			b->levels = v;
		}
	}
	if (differ != NULL && score_scales_map(b, differ) < 0)
		return -1;
	if (b->ref != NULL)
		return 0;
	for (size_t i = 0; i < b->nv; i++)
		for (size_t f = 0; f < qn_nfields(b->v[i].q); f++) {
			const char *k = qn_field_key(b->v[i].q, f);
			enum qn_kind fk = qn_field_kind(b->v[i].q, f);

			if ((!by_level(fk) && fk != QN_NUMBER) ||
			    strstr(items.data, k) != NULL)
				continue;
			buf_addf(&items, "%s%s", items.len ? ", " : "", k);
		}
	diag_err(b->d, "unknown item '%s'%s%s%s", item,
	    b->nv ? " (items stored: " : ": no responses are stored "
	    "for these years", items.data, b->nv ? ")" : "");
	buf_release(&items);
	return -1;
}

int
score_key_add(struct bd *b, const char *dim)
{
	for (size_t i = 0; i < b->nkey; i++)
		if (strcmp(b->keydim[i], dim) == 0)
			return (int)i;
	if (b->nkey == SCORE_MAXKEY)
		return -1;
	b->keydim[b->nkey] = xstrdup(dim);
	return (int)b->nkey++;
}

/* Resolves each key dimension in each version that asks the item. */
static int
check_keys(struct bd *b, size_t from)
{
	for (size_t i = 0; i < b->nv; i++) {
		struct score_version *v = &b->v[i];

		for (size_t k = from; k < b->nkey; k++) {
			long f = qn_field_find(v->q, b->keydim[k]);

			if (f >= 0 && qn_field_kind(v->q, (size_t)f) != QN_DIM)
				f = -1;
			v->key[k] = f;
			if (f < 0 && v->item >= 0 && k < b->nby)
				return diag_err(b->d, "cannot break down by "
				    "'%s': the %d questionnaire '%s' has no "
				    "such dimension", b->keydim[k], v->year,
				    qn_id(v->q));
		}
	}
	return 0;
}

/* --by: dimension keys, "year" skipped (rows are always by year). */
static int
parse_by(struct bd *b)
{
	const char *s = b->qy->by ? b->qy->by : "team";
	struct buf one = BUF_INIT;

	for (const char *p = s;; p++) {
		if (*p != ',' && *p != '\0') {
			if (*p != ' ')
				buf_addc(&one, *p);
			continue;
		}
		if (one.len == 0 && *p == '\0' && b->nby == 0 && *s != '\0')
			break;
		if (one.len == 0) {
			buf_release(&one);
			return diag_err(b->d, "--by: an empty dimension "
			    "name in '%s'", s);
		}
		if (strcmp(one.data, "year") != 0) {
			for (size_t i = 0; i < b->nkey; i++)
				if (strcmp(b->keydim[i], one.data) == 0) {
					diag_err(b->d, "--by: '%s' is given "
					    "twice", one.data);
					buf_release(&one);
					return -1;
				}
			if (b->nkey == SCORE_MAXBY) {
				buf_release(&one);
				return diag_err(b->d, "--by: at most %d "
				    "dimensions (besides year)", SCORE_MAXBY);
			}
			score_key_add(b, one.data);
		}
		buf_reset(&one);
		if (*p == '\0')
			break;
	}
	buf_release(&one);
	b->nby = b->nkey;
	return 0;
}

/* --rollup: the hierarchy dimensions above the one broken down by. */
static int
set_rollup(struct bd *b)
{
	b->ksvc = b->kdir = -1;
	if (!b->qy->rollup)
		return 0;
	if (b->nby != 1 || (strcmp(b->keydim[0], "team") != 0 &&
	    strcmp(b->keydim[0], "service") != 0))
		return diag_err(b->d, "--rollup works with --by team or --by "
		    "service alone");
	if (strcmp(b->keydim[0], "team") == 0)
		b->ksvc = score_key_add(b, "service");
	b->kdir = score_key_add(b, "directorate");
	for (size_t i = 0; i < b->nv; i++) {
		const struct score_version *v = &b->v[i];
		const char *miss = NULL;

		if (v->item < 0)
			continue;
		if (b->ksvc >= 0 && qn_field_find(v->q, "service") < 0)
			miss = "service";
		else if (qn_field_find(v->q, "directorate") < 0 && b->ksvc < 0)
			miss = "directorate";
		if (miss != NULL)
			return diag_err(b->d, "cannot roll up: the %d "
			    "questionnaire '%s' has no '%s' dimension, so "
			    "the teams' hierarchy is not known that year",
			    v->year, qn_id(v->q), miss);
	}
	/* Without directorates the rollup stops at services. */
	for (size_t i = 0; i < b->nv; i++)
		if (b->v[i].item >= 0 &&
		    qn_field_find(b->v[i].q, "directorate") < 0) {
			b->kdir = -1;
			b->nkey--;
			free(b->keydim[b->nkey]);
			break;
		}
	return 0;
}

/* The categories: the scale's levels with --group merged, or the split. */
static int
set_categories(struct bd *b)
{
	size_t nl, c = 0;
	int *grp;

	if (b->kind == SCORE_NUMBER) {
		if (b->qy->ngroups)
			return diag_err(b->d, "--group applies to scale items; "
			    "'%s' is a number item (try --above)", b->qy->item);
		if (!b->qy->has_above)
			return 0;
		b->above = (int32_t)lround(b->qy->above * QN_NUM_SCALE);
		b->ncat = 2;
		b->cat_keys = xcalloc(2, sizeof(char *));
		b->cat_labels = xcalloc(2, sizeof(char *));
		b->cat_keys[0] = xstrdup("at_or_below");
		b->cat_keys[1] = xstrdup("above");
		b->cat_labels[0] = xasprintf("%g or less", b->qy->above);
		b->cat_labels[1] = xasprintf("more than %g", b->qy->above);
		return 0;
	}
	if (b->qy->has_above)
		return diag_err(b->d, "--above applies to number items; '%s' "
		    "is a scale item (try --group)", b->qy->item);
	nl = b->nlevels = b->levels_cmp ?
	    qn_field_compare_nlevels(b->levels->q, (size_t)b->levels->item) :
	    qn_field_nlevels(b->levels->q, (size_t)b->levels->item);
	grp = xcalloc(nl, sizeof(*grp));
	for (size_t g = 0; g < b->qy->ngroups; g++) {
		const char *s = b->qy->groups[g];
		size_t n = 0;

		for (const char *p = s; *p;) {
			size_t len = strcspn(p, ","), l;
			char *key = xstrndup(p, len), *k = key;

			while (*k == ' ')
				k++;
			for (char *e = k + strlen(k); e > k && e[-1] == ' ';)
				*--e = '\0';
			for (l = 0; l < nl; l++)
				if (strcasecmp(score_level_key(b, l), k) == 0)
					break;
			if (l == nl || grp[l]) {
				diag_err(b->d, "--group '%s': %s '%s'", s,
				    l == nl ? "no level" : "already grouped:",
				    k);
				free(key);
				free(grp);
				return -1;
			}
			grp[l] = (int)g + 1;
			n++;
			free(key);
			p += len;
			if (*p == ',')
				p++;
		}
		if (n < 2) {
			free(grp);
			return diag_err(b->d, "--group '%s': a group needs two "
			    "levels or more", s);
		}
	}
	/* A group takes the place of its first level. */
	b->lev2cat = xcalloc(nl, sizeof(*b->lev2cat));
	b->cat_keys = xcalloc(nl, sizeof(char *));
	b->cat_labels = xcalloc(nl, sizeof(char *));
	for (size_t l = 0; l < nl; l++) {
		struct buf key = BUF_INIT, lab = BUF_INIT;
		size_t m = 0, cnt = 0;

		if (grp[l]) {
			size_t first = nl;

			for (size_t j = 0; j < nl; j++)
				if (grp[j] == grp[l] && first == nl)
					first = j;
			if (first < l) {
				b->lev2cat[l] = b->lev2cat[first];
				continue;
			}
			for (size_t j = 0; j < nl; j++)
				cnt += grp[j] == grp[l];
			for (size_t j = 0; j < nl; j++) {
				const char *lb;

				if (grp[j] != grp[l])
					continue;
				lb = score_level_label(b, j);
				buf_addf(&key, "%s%s", m ? "+" : "",
				    score_level_key(b, j));
				if (m == 0)
					buf_adds(&lab, lb);
				else
					buf_addf(&lab, "%s%c%s", m + 1 == cnt ?
					    " or" : ",", ' ', lb);
				m++;
			}
		} else {
			buf_adds(&key, score_level_key(b, l));
			buf_adds(&lab, score_level_label(b, l));
		}
		b->lev2cat[l] = c;
		b->cat_keys[c] = buf_detach(&key, NULL);
		b->cat_labels[c++] = buf_detach(&lab, NULL);
	}
	b->ncat = c;
	free(grp);
	return 0;
}

static int
add_dimval(int64_t id, const char *value, void *arg)
{
	struct score_dimvals *dv = arg;

	if (id < 0 || id > INT32_MAX)
		return 0;
	if ((size_t)id >= dv->n) {
		size_t n = (size_t)id + 1 > dv->n * 2 ? (size_t)id + 1 :
		    dv->n * 2;

		dv->text = xreallocarray(dv->text, n, sizeof(char *));
		memset(dv->text + dv->n, 0, (n - dv->n) * sizeof(char *));
		dv->n = n;
	}
	free(dv->text[id]);
	dv->text[id] = xstrdup(value);
	return 0;
}

const struct score_dimvals *
score_dimvals_get(struct bd *b, const char *dim)
{
	struct score_dimvals *dv;

	for (size_t i = 0; i < b->ndv; i++)
		if (strcmp(b->dv[i].dim, dim) == 0)
			return &b->dv[i];
	VEC_GROW(b->dv, b->ndv + 1, b->adv);
	dv = &b->dv[b->ndv++];
	memset(dv, 0, sizeof(*dv));
	dv->dim = xstrdup(dim);
	dv->n = 1;
	dv->text = xcalloc(1, sizeof(char *));
	if (store_dimval_each(b->st, dim, add_dimval, dv, b->d) != 0)
		return NULL;
	return dv;
}

const char *
score_value_label(struct bd *b, const char *dim, int32_t id)
{
	const struct score_dimvals *dv = score_dimvals_get(b, dim);

	if (id <= 0 || dv == NULL || (size_t)id >= dv->n ||
	    dv->text[id] == NULL)
		return NOT_STATED;
	return dv->text[id];
}

/* score_bind callbacks: the version being bound is b->v[bind_v]. */
struct binder {
	struct bd	*b;
	struct score_version *v;
};

static size_t
slot_of(struct score_version *v, long f)
{
	for (size_t i = 0; i < v->nslot; i++)
		if (v->field[i] == f)
			return i;
	VEC_GROW(v->field, v->nslot + 1, v->aslot);
	v->field[v->nslot] = f;
	return v->nslot++;
}

static size_t
bind_slot(void *arg, long f)
{
	struct binder *bi = arg;

	return slot_of(bi->v, f);
}

static int
bind_dimvals(void *arg, const char *dim, const char *const **texts,
    size_t *n)
{
	struct binder *bi = arg;
	const struct score_dimvals *dv = score_dimvals_get(bi->b, dim);

	if (dv == NULL)
		return -1;
	*texts = (const char *const *)dv->text;
	*n = dv->n;
	return 0;
}

struct score_filter *
score_bind_version(struct bd *b, struct score_version *v,
    const struct score_where *w)
{
	struct binder bi = { b, v };
	struct score_bind sb;

	sb.q = v->q;
	sb.year = v->year;
	sb.slot = bind_slot;
	sb.dimvals = bind_dimvals;
	sb.arg = &bi;
	sb.d = b->d;
	return score_where_bind(w, &sb);
}

/* Slots, the category map and the --where of each version. */
static int
bind_versions(struct bd *b)
{
	for (size_t i = 0; i < b->nv; i++) {
		struct score_version *v = &b->v[i];

		if (v->item < 0)
			continue;
		v->item_slot = slot_of(v, v->item);
		for (size_t k = 0; k < b->nkey; k++)
			v->key_slot[k] = slot_of(v, v->key[k]);
		if (b->where != NULL &&
		    (v->filter = score_bind_version(b, v, b->where)) == NULL)
			return -1;
		if (b->kind == SCORE_SCALE) {
			size_t nl = qn_field_nlevels(v->q, (size_t)v->item);

			/* A mapped version's levels count as the levels of
			 * the table's scale they correspond to. */
			v->ncatmap = nl + 2;
			v->catmap = xcalloc(v->ncatmap, sizeof(*v->catmap));
			v->catmap[0] = (int32_t)(b->ncat + SC_UNREC);
			v->catmap[1] = (int32_t)(b->ncat + SC_BLANK);
			for (size_t l = 0; l < nl; l++) {
				int32_t c = score_level_code(v,
				    (int32_t)l + 1);

				v->catmap[l + 2] = c >= 1 &&
				    (size_t)c <= b->nlevels ?
				    (int32_t)b->lev2cat[c - 1] :
				    (int32_t)(b->ncat + SC_UNREC);
			}
		}
	}
	return 0;
}

struct akey {
	int32_t		 year;
	uint32_t	 mask;
	int32_t		 key[SCORE_MAXKEY];
};

static struct score_atom *
atom_of(struct bd *b, const struct akey *k)
{
	size_t len = offsetof(struct akey, key) + b->nkey * sizeof(int32_t);
	struct score_atom *a;
	int64_t *ix;

	if ((ix = strmap_get(&b->amap, (const char *)k, len)) != NULL)
		return &b->atoms[*ix];
	VEC_GROW(b->atoms, b->natoms + 1, b->aatoms);
	a = &b->atoms[b->natoms];
	memset(a, 0, sizeof(*a));
	a->year = k->year;
	a->mask = k->mask;
	memcpy(a->key, k->key, sizeof(a->key));
	a->v = xcalloc(b->ncat + SC_NX, sizeof(*a->v));
	strmap_put(&b->amap, (const char *)k, len, (int64_t)b->natoms);
	return &b->atoms[b->natoms++];
}

static void
count_number(struct bd *b, struct score_atom *a, int32_t c)
{
	if (c == QN_NUM_BLANK) {
		a->v[b->ncat + SC_BLANK]++;
		return;
	}
	if (c == QN_NUM_BAD || c == QN_NUM_RANGE) {
		a->v[b->ncat + SC_UNREC]++;
		return;
	}
	a->v[b->ncat + SC_N]++;
	a->v[b->ncat + SC_SUM] += c;
	if (b->ncat)
		a->v[c > b->above]++;
	if (a->mask & 1) {
		VEC_GROW(a->num, a->nnum + 1, a->anum);
		a->num[a->nnum++] = c;
	}
}

#define DENSE_MAX	(1u << 22)

/*
 * The dense index of atoms: year, filter mask and each key's value id
 * (numbered locally per dimension, 0 for blank) in mixed radix.  Used
 * when the product of the cardinalities is small enough; responses whose
 * values fall outside (an id added since) take the hash map.
 */
static void
dense_setup(struct bd *b)
{
	int y0 = 0, y1 = 0;
	size_t n;

	for (size_t i = 0; i < b->nv; i++) {
		if (b->v[i].item < 0)
			continue;
		if (!y0 || b->v[i].year < y0)
			y0 = b->v[i].year;
		if (b->v[i].year > y1)
			y1 = b->v[i].year;
	}
	if (b->year_from && b->year_from > y0)
		y0 = b->year_from;
	if (b->year_to && b->year_to < y1)
		y1 = b->year_to;
	if (!y0 || y1 < y0)
		return;
	b->dy0 = y0;
	b->dny = y1 - y0 + 1;
	/* The ledger's filters make many masks possible but few occur:
	 * they are numbered as they are met (see mask_index). */
	b->dmasks = b->nrfilter ? 64 : 2;
	n = (size_t)b->dny * b->dmasks;
	for (size_t k = 0; k < b->nkey; k++) {
		const struct score_dimvals *dv = score_dimvals_get(b,
		    b->keydim[k]);
		size_t card = 1;

		if (dv == NULL)
			return;
		b->dlocal[k] = xcalloc(dv->n, sizeof(uint32_t));
		b->dnid[k] = dv->n;
		b->dlocal[k][0] = card++;
		for (size_t id = 1; id < dv->n; id++)
			if (dv->text[id] != NULL)
				b->dlocal[k][id] = (uint32_t)card++;
		b->dcard[k] = card;
		if (n > DENSE_MAX / card)
			return;
		n *= card;
	}
	b->ndense = n;
	b->dense = xcalloc(n, sizeof(*b->dense));
}

/* The dense number of a filter mask, or SIZE_MAX when 64 are taken. */
static size_t
mask_index(struct bd *b, uint32_t mask)
{
	if (b->nrfilter == 0)
		return mask;
	for (size_t i = 0; i < b->ndmask; i++)
		if (b->dmask[i] == mask)
			return i;
	if (b->ndmask == b->dmasks)
		return SIZE_MAX;
	b->dmask[b->ndmask] = mask;
	return b->ndmask++;
}

/* The dense slot of k, or SIZE_MAX when it has none. */
static size_t
dense_slot(struct bd *b, const struct akey *k)
{
	size_t ix, mi;

	if (b->dense == NULL || k->year < b->dy0 ||
	    k->year >= b->dy0 + b->dny ||
	    (mi = mask_index(b, k->mask)) == SIZE_MAX)
		return SIZE_MAX;
	ix = (size_t)(k->year - b->dy0) * b->dmasks + mi;
	for (size_t j = 0; j < b->nkey; j++) {
		int32_t c = k->key[j];

		if (c < 0 || (size_t)c >= b->dnid[j] || !b->dlocal[j][c])
			return SIZE_MAX;
		ix = ix * b->dcard[j] + b->dlocal[j][c] - 1;
	}
	return ix;
}

struct scan {
	struct bd	*b;
	struct akey	 last;		/* the previous response's atom */
	struct score_atom *lasta;
	size_t		 lastix;
};

static void
count_answer(struct bd *b, const struct score_version *v,
    struct score_atom *a, int32_t code)
{
	if (b->kind == SCORE_NUMBER) {
		count_number(b, a, code);
	} else if (code >= -1 && (size_t)(code + 1) < v->ncatmap) {
		a->v[v->catmap[code + 1]]++;
		if (code > 0)
			a->v[b->ncat + SC_N]++;
	} else {
		a->v[b->ncat + SC_UNREC]++;
	}
}

/* The atom of response r of a chunk, the general way. */
static struct score_atom *
slow_atom(struct scan *sc, const struct score_version *v,
    const struct store_chunk *c, size_t r)
{
	struct bd *b = sc->b;
	size_t klen = offsetof(struct akey, key) + b->nkey * sizeof(int32_t);
	struct score_atom *a;
	struct akey k;
	int year = c->year[r];
	size_t ds;

	memset(&k, 0, sizeof(k));
	k.mask = v->filter == NULL ||
	    score_filter_eval(v->filter, c->col, r, year);
	if (!k.mask && !b->keep_all)
		return NULL;
	for (size_t j = 0; j < b->nrfilter; j++)
		if (v->rfilter[j] == NULL ||
		    score_filter_eval(v->rfilter[j], c->col, r, year))
			k.mask |= 2u << j;
	if (!k.mask)
		return NULL;
	k.year = year;
	for (size_t j = 0; j < b->nkey; j++)
		k.key[j] = c->col[v->key_slot[j]] ?
		    c->col[v->key_slot[j]][r] : 0;
	if ((ds = dense_slot(b, &k)) != SIZE_MAX) {
		if (b->dense[ds] == 0) {
			a = atom_of(b, &k);
			b->dense[ds] = (int32_t)(a - b->atoms) + 1;
		}
		return &b->atoms[b->dense[ds] - 1];
	}
	if (sc->lasta != NULL && memcmp(&k, &sc->last, klen) == 0)
		return &b->atoms[sc->lastix];
	a = atom_of(b, &k);
	sc->last = k;
	sc->lastix = (size_t)(a - b->atoms);
	sc->lasta = a;
	return a;
}

static int
scan_chunk(const struct store_chunk *c, void *arg)
{
	struct scan *sc = arg;
	struct bd *b = sc->b;
	struct score_version *v = NULL;
	const int32_t *item, *kc[SCORE_MAXKEY];
	int fast;

	for (size_t i = 0; i < b->nv; i++)
		if (b->v[i].id == c->qn_id)
			v = &b->v[i];
	if (v == NULL || (item = c->col[v->item_slot]) == NULL)
		return 0;
	/* The fast path: keys found in the dense index; anything else falls
	 * back to slow_atom(). */
	fast = b->dense != NULL;
	for (size_t j = 0; j < b->nkey; j++)
		kc[j] = c->col[v->key_slot[j]];
	for (size_t r = 0; r < c->nrows; r++) {
		struct score_atom *a = NULL;
		int year = c->year[r];
		uint32_t mask;
		size_t ix;

		if ((b->year_from && year < b->year_from) ||
		    (b->year_to && year > b->year_to))
			continue;
		if (fast && (unsigned)(year - b->dy0) < (unsigned)b->dny) {
			mask = v->filter == NULL ||
			    score_filter_eval(v->filter, c->col, r, year);
			if (!mask && !b->keep_all)
				continue;
			for (size_t j = 0; j < b->nrfilter; j++)
				if (v->rfilter[j] == NULL ||
				    score_filter_eval(v->rfilter[j], c->col, r,
				    year))
					mask |= 2u << j;
			if (!mask)
				continue;
			if ((ix = mask_index(b, mask)) != SIZE_MAX)
				ix += (size_t)(year - b->dy0) * b->dmasks;
			for (size_t j = 0; ix != SIZE_MAX && j < b->nkey; j++) {
				int32_t code = kc[j] ? kc[j][r] : 0;
				uint32_t l;

				if (code < 0 || (size_t)code >= b->dnid[j] ||
				    (l = b->dlocal[j][code]) == 0)
					ix = SIZE_MAX;
				else
					ix = ix * b->dcard[j] + l - 1;
			}
			if (ix != SIZE_MAX && b->dense[ix] != 0)
				a = &b->atoms[b->dense[ix] - 1];
		}
		if (a == NULL && (a = slow_atom(sc, v, c, r)) == NULL)
			continue;
		count_answer(b, v, a, item[r]);
	}
	return 0;
}

static int
scan(struct bd *b)
{
	struct store_cols_want *w = xcalloc(b->nv ? b->nv : 1, sizeof(*w));
	struct scan sc;
	size_t nw = 0;
	int rc;

	for (size_t i = 0; i < b->nv; i++) {
		if (b->v[i].item < 0)
			continue;
		w[nw].qn_id = b->v[i].id;
		w[nw].fields = b->v[i].field;
		w[nw++].nfields = b->v[i].nslot;
	}
	memset(&sc, 0, sizeof(sc));
	sc.b = b;
	dense_setup(b);
	rc = store_cols_scan(b->st, b->year_from, b->year_to, w, nw,
	    scan_chunk, &sc, b->d);
	free(w);
	return rc;
}

/* The table's key dimensions and rows' keys, for the ledger. */
static struct score_priv *
make_priv(struct bd *b)
{
	struct score_priv *p = xcalloc(1, sizeof(*p));
	struct buf g = BUF_INIT;
	size_t n = b->nby;

	if (b->ksvc >= 0 && (size_t)b->ksvc + 1 > n)
		n = (size_t)b->ksvc + 1;
	if (b->kdir >= 0 && (size_t)b->kdir + 1 > n)
		n = (size_t)b->kdir + 1;
	p->nkey = n;
	for (size_t k = 0; k < n; k++)
		p->keydim[k] = xstrdup(b->keydim[k]);
	p->rk = b->rk;
	b->rk = NULL;
	for (size_t c = 0; c < b->ncat; c++) {
		if (c)
			buf_addc(&g, '|');
		score_cat_ledger_key(b, c, &g);
	}
	p->groups = buf_detach(&g, NULL);
	p->options = b->kind == SCORE_NUMBER && b->ncat ?
	    xasprintf("above=%g", b->qy->above) : xstrdup("");
	return p;
}

static void
bd_release(struct bd *b)
{
	for (size_t i = 0; i < b->nv; i++) {
		qn_free(b->v[i].q);
		score_filter_free(b->v[i].filter);
		for (size_t j = 0; j < SCORE_MAXREL; j++)
			score_filter_free(b->v[i].rfilter[j]);
		free(b->v[i].field);
		free(b->v[i].catmap);
	}
	free(b->v);
	for (size_t i = 0; i < b->natoms; i++) {
		free(b->atoms[i].v);
		free(b->atoms[i].num);
	}
	free(b->atoms);
	strmap_release(&b->amap);
	for (size_t i = 0; i < b->ndv; i++) {
		for (size_t j = 0; j < b->dv[i].n; j++)
			free(b->dv[i].text[j]);
		free(b->dv[i].text);
		free(b->dv[i].dim);
	}
	free(b->dv);
	for (size_t i = 0; i < b->nkey; i++)
		free(b->keydim[i]);
	for (size_t c = 0; c < b->ncat; c++) {
		free(b->cat_keys[c]);
		free(b->cat_labels[c]);
	}
	free(b->cat_keys);
	free(b->cat_labels);
	free(b->lev2cat);
	free(b->rk);
	free(b->dense);
	for (size_t i = 0; i < b->nchanges; i++)
		free(b->changes[i]);
	free(b->changes);
	for (size_t k = 0; k < SCORE_MAXKEY; k++)
		free(b->dlocal[k]);
	score_where_free(b->where);
	score_ledger_free(b->lg);
}

int
score_breakdown(struct store *st, const struct score_query *q,
    struct score_table **out, struct diag *d)
{
	struct score_table *t = NULL;
	struct bd b;
	int ret = -1;

	memset(&b, 0, sizeof(b));
	b.qy = q;
	b.st = st;
	b.d = d;
	b.year_from = q->year_from;
	b.year_to = q->year_to;
	*out = NULL;
	if (q->k < 1)
		BUG("k must be at least 1");
	if (parse_by(&b) < 0 ||
	    (q->where != NULL &&
	    (b.where = score_where_parse(q->where, d)) == NULL) ||
	    store_cols_versions(st, q->year_from, q->year_to, add_version,
	    &b, d) != 0 || check_versions(&b) < 0 || check_keys(&b, 0) < 0 ||
	    set_rollup(&b) < 0 || check_keys(&b, b.nby) < 0)
		goto out;
	b.kind = qn_field_kind(b.ref->q, (size_t)b.ref->item) ==
	    QN_NUMBER ? SCORE_NUMBER : SCORE_SCALE;
	if (set_categories(&b) < 0 || (!q->internal &&
	    score_ledger_load(&b) < 0) || check_keys(&b, b.nby) < 0 ||
	    bind_versions(&b) < 0 || score_ledger_bind(&b) < 0 ||
	    scan(&b) != 0)
		goto out;
	t = score_rows_build(&b);
	t->priv = make_priv(&b);
	score_changes_note(&b, t);
	if (t->nrows == 0) {
		diag_err(d, "no responses to '%s'%s%s%s match: there is "
		    "nothing to break down", q->item, b.where ? " where '" : "",
		    b.where ? score_where_text(b.where) : "", b.where ? "'" :
		    "");
		goto out;
	}
	score_suppress_primary(t);
	if (b.lg != NULL && score_ledger_apply(&b, t) < 0)
		goto out;
	score_suppress_complete(t);
	score_tests_apply(t, q);
	*out = t;
	t = NULL;
	ret = 0;
out:
	score_table_free(t);
	bd_release(&b);
	return ret;
}

void
score_table_free(struct score_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		struct score_row *r = &t->rows[i];

		free(r->label);
		free(r->cells);
		for (size_t j = 0; r->values != NULL && j < t->nby; j++)
			free(r->values[j]);
		free(r->values);
		free(r->parent);
		free(r->why);
	}
	free(t->rows);
	for (size_t l = 0; l < t->nlevels; l++) {
		free(t->level_keys[l]);
		free(t->level_labels[l]);
	}
	free(t->level_keys);
	free(t->level_labels);
	for (size_t j = 0; j < t->nby; j++) {
		free(t->by_keys[j]);
		free(t->by_labels[j]);
	}
	free(t->by_keys);
	free(t->by_labels);
	for (size_t i = 0; i < t->nrels; i++)
		free(t->rels[i].child);
	free(t->rels);
	for (size_t i = 0; i < t->nreasons; i++)
		free(t->reasons[i]);
	free(t->reasons);
	for (size_t i = 0; i < t->nchanges; i++)
		free(t->changes[i]);
	free(t->changes);
	free(t->tests);
	free(t->item);
	free(t->item_text);
	free(t->by);
	free(t->by_label);
	free(t->where);
	free(t->population);
	free(t->fpc_source);
	if (t->priv != NULL) {
		for (size_t k = 0; k < t->priv->nkey; k++)
			free(t->priv->keydim[k]);
		free(t->priv->rk);
		free(t->priv->groups);
		free(t->priv->options);
		free(t->priv);
	}
	free(t);
}
