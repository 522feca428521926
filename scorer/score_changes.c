/* SPDX-License-Identifier: MIT */
/*
 * Comparing an item across years whose definitions differ: finding a
 * scale every version can be counted on (natively or through the
 * definition's compare_as), and the notes a reader needs to compare the
 * years shown (a changed scale and how its levels were mapped, a reworded
 * question, years the item was not asked, the team map's history).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "scorer/score.h"
#include "scorer/score_int.h"

/* v's item's level keys ("a, b, c"), on its compare_as scale when cmp. */
static void
keys_of(const struct score_version *v, int cmp, struct buf *out)
{
	size_t i = (size_t)v->item;
	size_t n = cmp ? qn_field_compare_nlevels(v->q, i) :
	    qn_field_nlevels(v->q, i);

	buf_reset(out);
	for (size_t l = 0; l < n; l++)
		buf_addf(out, "%s%s", l ? ", " : "", cmp ?
		    qn_compare_level_key(v->q, i, l) :
		    qn_level_key(v->q, i, l));
}

/*
 * Finds a scale every version has, natively or as its compare_as, and
 * marks the versions counted through their mapping.  Returns 0 when found.
 */
static int
find_common(struct bd *b)
{
	struct buf target = BUF_INIT, k = BUF_INIT;
	int found = 0;

	for (size_t c = 0; c < b->nv && !found; c++) {
		struct score_version *cv = &b->v[c];

		if (cv->item < 0 ||
		    qn_field_compare_scale(cv->q, (size_t)cv->item) == NULL)
			continue;
		keys_of(cv, 1, &target);
		found = 1;
		b->levels = cv;
		b->levels_cmp = 1;
		for (size_t i = 0; i < b->nv && found; i++) {
			struct score_version *v = &b->v[i];

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
	if (!found)
		for (size_t i = 0; i < b->nv; i++)
			b->v[i].mapped = 0;
	buf_release(&target);
	buf_release(&k);
	return found ? 0 : -1;
}

int
score_scales_map(struct bd *b, const struct score_version *differ)
{
	struct buf k1 = BUF_INIT, k2 = BUF_INIT;
	const char *item = b->qy->item;

	if (find_common(b) == 0)
		return 0;
	keys_of(b->ref, 0, &k1);
	keys_of(differ, 0, &k2);
	diag_err(b->d, "cannot compare '%s' across years: its scale in %d "
	    "('%s': %s) differs from %d ('%s': %s), and no definition says "
	    "how their levels correspond (add \"compare_as\" to the item in "
	    "%d's definition); or choose years with one scale with --year",
	    item, b->ref->year, qn_field_scale(b->ref->q,
	    (size_t)b->ref->item), k1.data, differ->year,
	    qn_field_scale(differ->q, (size_t)differ->item), k2.data,
	    differ->year);
	buf_release(&k1);
	buf_release(&k2);
	return -1;
}

/* Level l of the table's scale: its key, or its label when label. */
static const char *
level_text(const struct bd *b, size_t l, int label)
{
	const struct qn *q = b->levels->q;
	size_t i = (size_t)b->levels->item;

	if (b->levels_cmp)
		return label ? qn_compare_level_label(q, i, l) :
		    qn_compare_level_key(q, i, l);
	return label ? qn_level_label(q, i, l) : qn_level_key(q, i, l);
}

const char *
score_level_key(const struct bd *b, size_t l)
{
	return level_text(b, l, 0);
}

const char *
score_level_label(const struct bd *b, size_t l)
{
	return level_text(b, l, 1);
}

int32_t
score_level_code(const struct score_version *v, int32_t code)
{
	return v->mapped ? qn_field_compare_code(v->q, (size_t)v->item,
	    code) : code;
}

static void
add_note(const char *note, void *arg)
{
	struct bd *b = arg;

	for (size_t i = 0; i < b->nchanges; i++)
		if (strcmp(b->changes[i], note) == 0)
			return;
	VEC_GROW(b->changes, b->nchanges + 1, b->achanges);
	b->changes[b->nchanges++] = xstrdup(note);
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

/* Adds year to ys[0..*n) unless it is the last one there. */
static void
add_year(int *ys, size_t *n, int year)
{
	if (*n == 0 || ys[*n - 1] != year)
		ys[(*n)++] = year;
}

/* What v's mapping onto its compare_as scale says, for a note. */
static void
mapping_of(const struct score_version *v, struct buf *out)
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

/* One note per run of years whose scale is mapped the same way. */
static void
scale_notes(struct bd *b, int *ys)
{
	struct buf n = BUF_INIT, m = BUF_INIT, body = BUF_INIT;
	size_t ny = 0;

	for (size_t i = 0; i <= b->nv; i++) {
		const struct score_version *v = i < b->nv ? &b->v[i] : NULL;

		if (v != NULL && (v->item < 0 || !v->mapped))
			continue;
		if (v != NULL)
			mapping_of(v, &m);
		if (ny > 0 && (v == NULL || strcmp(m.data, body.data) != 0)) {
			buf_reset(&n);
			buf_addf(&n, "The answer scale of '%s' in ",
			    b->qy->item);
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
	buf_release(&n);
	buf_release(&m);
	buf_release(&body);
}

void
score_changes_note(struct bd *b, struct score_table *t)
{
	const struct score_version *prev = NULL, *last = NULL;
	int *ys = xcalloc(b->nv + 1, sizeof(*ys));
	struct buf n = BUF_INIT;
	size_t ny = 0;

	scale_notes(b, ys);
	for (size_t i = 0; i < b->nv; i++) {
		const struct score_version *v = &b->v[i];

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
		prev = last = v;
	}
	for (size_t i = 0; i < b->nv; i++)
		if (b->v[i].item < 0)
			add_year(ys, &ny, b->v[i].year);
	if (ny > 0) {
		buf_reset(&n);
		buf_addf(&n, "'%s' was not asked in ", b->qy->item);
		year_runs(ys, ny, &n);
		buf_addc(&n, '.');
		add_note(n.data, b);
	}
	for (size_t k = 0; last != NULL && k < b->nkey; k++)
		if (k < b->nby || (int)k == b->ksvc || (int)k == b->kdir)
			qn_team_history(last->q, b->keydim[k], t->year_from,
			    t->year_to, add_note, b);
	free(ys);
	buf_release(&n);
	t->changes = b->changes;
	t->nchanges = b->nchanges;
	b->changes = NULL;
	b->nchanges = b->achanges = 0;
}

void
score_cat_ledger_key(const struct bd *b, size_t c, struct buf *g)
{
	size_t start = g->len;

	buf_adds(g, b->cat_keys[c]);
	for (size_t i = 0; i < b->nv; i++) {
		const struct score_version *v = &b->v[i];

		if (!v->mapped || v->catmap == NULL)
			continue;
		for (size_t l = 0; l + 2 < v->ncatmap; l++) {
			const char *k = qn_level_key(v->q, (size_t)v->item, l);
			size_t n = strlen(k);
			int have = 0;

			if (v->catmap[l + 2] != (int32_t)c)
				continue;
			for (const char *q = g->data + start; *q && !have;) {
				size_t len = strcspn(q, "+");

				have = len == n && strncmp(q, k, n) == 0;
				q += len + (q[len] == '+');
			}
			if (!have)
				buf_addf(g, "+%s", k);
		}
	}
}
