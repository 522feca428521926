/* SPDX-License-Identifier: MIT */
/*
 * Tallying normalised responses: per field, valid and blank answers, and
 * each odd value (unrecognised answer, bad or out-of-range number, unknown
 * team, repeated response id) with its count and the first line it was
 * seen on.  Import writes a tally per batch to the data-quality ledger,
 * whc check prints one, whc quality adds ledger rows back up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/strmap.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "questionnaires/qn_int.h"

struct tfield {
	char		*key;
	int		 kind;		/* enum qn_kind, or -1 when unknown */
	int		 team;
	unsigned long	 valid, blank;
};

struct odd {
	size_t		 field;		/* index in t->f, or SIZE_MAX */
	char		*kind;
	char		*value;
	unsigned long	 count, line;
};

struct qn_tally {
	struct tfield	*f;
	size_t		 nf, af;
	unsigned long	 rows;
	struct strmap	 oddmap;	/* "field\037kind\037value" -> index */
	struct odd	*odd;
	size_t		 nodd, aodd;
	struct buf	 key, val;
};

struct qn_tally *
qn_tally_new(const struct qn *q)
{
	struct qn_tally *t = xcalloc(1, sizeof(*t));

	buf_init(&t->key, 0);
	buf_init(&t->val, 0);
	for (size_t i = 0; q != NULL && i < q->nfields; i++) {
		VEC_GROW(t->f, t->nf + 1, t->af);
		t->f[t->nf].key = xstrdup(q->fields[i].key);
		t->f[t->nf].kind = (int)q->fields[i].kind;
		t->f[t->nf].team = strcmp(q->fields[i].key, "team") == 0;
		t->f[t->nf].valid = t->f[t->nf].blank = 0;
		t->nf++;
	}
	return t;
}

void
qn_tally_free(struct qn_tally *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nf; i++)
		free(t->f[i].key);
	free(t->f);
	for (size_t i = 0; i < t->nodd; i++) {
		free(t->odd[i].kind);
		free(t->odd[i].value);
	}
	free(t->odd);
	strmap_release(&t->oddmap);
	buf_release(&t->key);
	buf_release(&t->val);
	free(t);
}

unsigned long
qn_tally_rows(const struct qn_tally *t)
{
	return t->rows;
}

static size_t
field_of(struct qn_tally *t, const char *key)
{
	for (size_t i = 0; i < t->nf; i++)
		if (strcmp(t->f[i].key, key) == 0)
			return i;
	VEC_GROW(t->f, t->nf + 1, t->af);
	t->f[t->nf].key = xstrdup(key);
	t->f[t->nf].kind = -1;
	t->f[t->nf].team = strcmp(key, "team") == 0;
	t->f[t->nf].valid = t->f[t->nf].blank = 0;
	return t->nf++;
}

/* Counts n (cleaned) value v of kind for field (SIZE_MAX: the response). */
static void
odd(struct qn_tally *t, size_t field, const char *kind, const char *v,
    size_t n, unsigned long count, unsigned long line, int clean)
{
	int64_t *ix;
	struct odd *o;

	buf_reset(&t->val);
	if (clean)
		text_squash(&t->val, v, n);
	else
		buf_add(&t->val, v, n);
	buf_reset(&t->key);
	buf_addf(&t->key, "%zu\037%s\037", field, kind);
	buf_add(&t->key, t->val.data, t->val.len);
	if ((ix = strmap_get(&t->oddmap, t->key.data, t->key.len)) != NULL) {
		o = &t->odd[*ix];
		o->count += count;
		if (line && (!o->line || line < o->line))
			o->line = line;
		return;
	}
	VEC_GROW(t->odd, t->nodd + 1, t->aodd);
	o = &t->odd[t->nodd];
	o->field = field;
	o->kind = xstrdup(kind);
	o->value = xstrdup(t->val.data);
	o->count = count;
	o->line = line;
	strmap_put(&t->oddmap, t->key.data, t->key.len, (int64_t)t->nodd++);
}

void
qn_tally_responses(struct qn_tally *t, unsigned long n)
{
	t->rows += n;
}

/* Adds count to field i's valid or blank count, or to an odd value. */
static void
count(struct qn_tally *t, size_t i, int valid, const char *kind,
    const char *v, size_t n, unsigned long cnt, unsigned long line)
{
	if (kind != NULL)
		odd(t, i, kind, v, n, cnt, line, 1);
	else if (valid)
		t->f[i].valid += cnt;
	else
		t->f[i].blank += cnt;
}

void
qn_tally_answer(struct qn_tally *t, size_t i, int32_t c, const char *v,
    size_t n, const struct qn_team_res *team, unsigned long cnt,
    unsigned long line)
{
	struct tfield *fd = &t->f[i];
	const char *kind = NULL;
	int valid = 0;

	switch (fd->kind) {
	case QN_DIM:
		if (fd->team && team != NULL &&
		    (team->status == QN_TEAM_UNKNOWN ||
		    team->status == QN_TEAM_GONE))
			kind = "unknown_team";
		valid = c != 0;
		if (fd->team && team != NULL &&
		    team->status == QN_TEAM_AMBIGUOUS)
			odd(t, i, "ambiguous_team", v, n, cnt, line, 1);
		break;
	case QN_SCALE:
	case QN_CHOICE:
		if (c == QN_UNRECOGNISED)
			kind = "unrecognised";
		valid = c != QN_BLANK;
		break;
	case QN_NUMBER:
		if (c == QN_NUM_BAD)
			kind = "not_a_number";
		else if (c == QN_NUM_RANGE)
			kind = "out_of_range";
		valid = c != QN_NUM_BLANK;
		break;
	default:
		valid = c != QN_BLANK;
		break;
	}
	count(t, i, valid, kind, v, n, cnt, line);
}

void
qn_tally_row(struct qn_tally *t, const int32_t *norm, char *const *f,
    const size_t *len, const size_t *col, const struct qn_team_res *team,
    unsigned long line)
{
	t->rows++;
	for (size_t i = 0; i < t->nf; i++) {
		const char *v = "";
		size_t n = 0;

		if (f != NULL && col != NULL && col[i] != SIZE_MAX) {
			v = f[col[i]];
			n = len[col[i]];
		}
		qn_tally_answer(t, i, norm[i], v, n, team, 1, line);
	}
}

void
qn_tally_dup(struct qn_tally *t, const char *rid, unsigned long line)
{
	odd(t, SIZE_MAX, "duplicate_id", rid, strlen(rid), 1, line, 0);
}

void
qn_tally_add(struct qn_tally *t, const struct qn_tally_ent *e)
{
	size_t f;

	if (strcmp(e->kind, "responses") == 0) {
		t->rows += e->count;
		return;
	}
	f = e->field[0] == '\0' ? SIZE_MAX : field_of(t, e->field);
	if (strcmp(e->kind, "valid") == 0 && f != SIZE_MAX)
		t->f[f].valid += e->count;
	else if (strcmp(e->kind, "blank") == 0 && f != SIZE_MAX)
		t->f[f].blank += e->count;
	else
		odd(t, f, e->kind, e->value, strlen(e->value), e->count,
		    e->line, 0);
}

static int
cmp_odd(const void *a, const void *b)
{
	const struct odd *x = *(const struct odd *const *)a;
	const struct odd *y = *(const struct odd *const *)b;
	int c;

	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	if ((c = strcmp(x->kind, y->kind)) != 0)
		return c;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->value, y->value);
}

void
qn_tally_each(const struct qn_tally *t,
    void (*fn)(const struct qn_tally_ent *e, void *arg), void *arg)
{
	struct qn_tally_ent e = { "", "responses", "", t->rows, 0 };
	struct odd **v = xcalloc(t->nodd + 1, sizeof(*v));
	size_t j = 0;

	fn(&e, arg);
	for (size_t i = 0; i < t->nodd; i++)
		v[i] = &t->odd[i];
	qsort(v, t->nodd, sizeof(*v), cmp_odd);
	for (size_t i = 0; i <= t->nf; i++) {
		if (i < t->nf) {
			e.field = t->f[i].key;
			e.value = "";
			e.line = 0;
			e.kind = "valid";
			e.count = t->f[i].valid;
			fn(&e, arg);
			e.kind = "blank";
			e.count = t->f[i].blank;
			fn(&e, arg);
		}
		/* Odd values of field i (the response's come last). */
		for (; j < t->nodd && (v[j]->field == i ||
		    (i == t->nf && v[j]->field == SIZE_MAX)); j++) {
			e.field = v[j]->field == SIZE_MAX ? "" :
			    t->f[v[j]->field].key;
			e.kind = v[j]->kind;
			e.value = v[j]->value;
			e.count = v[j]->count;
			e.line = v[j]->line;
			fn(&e, arg);
		}
	}
	free(v);
}
