/* SPDX-License-Identifier: MIT */
/*
 * Re-deriving what the store derived from raw answers, without reading
 * any file or page again: the normalised codes after a definition or team
 * map fix (collect_renormalise), and a batch's data-quality ledger after
 * a later batch replaced some of its responses (collect_ledger_rebuild).
 * Both read each response's raw answers (a JSON array in its batch's
 * column order) and bind them to a definition as an import would.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "collector/collect.h"
#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_quality.h"
#include "common/strmap.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

static char empty[] = "";

/* The current definition of a name (renormalise). */
struct cur {
	char		*name;
	struct qn	*q;
	int64_t		 id;		/* its version in the store */
	unsigned long	 seen, changed;
	unsigned long	*fchanged;	/* per field of q */
};

/* A stored definition version. */
struct ver {
	int64_t		 id;
	char		*name;
	int		 year;
	struct qn	*q;
	struct cur	*cur;
};

/* A batch's columns bound to one definition. */
struct bind {
	int64_t		 batch;
	const struct qn	*q;
	size_t		*col;
	size_t		 ncols;
	int		 ok;
};

/* The tally of one batch's responses, for its ledger. */
struct bt {
	int64_t		 batch;
	int		 year;
	struct qn_tally	*t;
};

struct rn {
	struct store	*st;
	struct diag	*d;
	const struct collect_renorm_opts *o;
	struct collect_renorm_stats *s;
	int		 rebuild;	/* only the ledger, from stored codes */
	struct ver	*v;
	size_t		 nv, av;
	struct cur	*c;
	size_t		 nc, ac;
	struct bind	*b;
	size_t		 nb, ab;
	struct bt	*t;
	size_t		 nt, at;
	struct strmap	 dimvals;
	struct buf	 key;
	char		**f;
	size_t		*len;
	size_t		 nf, af;
	int32_t		*norm;
	size_t		 anorm;
	cJSON		*rawj;
};

static struct cur *
current(struct rn *r, const char *name, int year)
{
	struct cur *c;
	char *path;
	struct qn *q;

	for (size_t i = 0; i < r->nc; i++)
		if (strcmp(r->c[i].name, name) == 0)
			return &r->c[i];
	if ((path = qn_find(name, r->o->dirs, r->d)) == NULL)
		return NULL;
	q = qn_load(path, r->o->dirs, 0, r->d);
	free(path);
	if (q == NULL)
		return NULL;
	if (qn_year(q) != year) {
		diag_err(r->d, "cannot re-normalise with '%s': it now says "
		    "year %d, but its responses are from %d", name, qn_year(q),
		    year);
		qn_free(q);
		return NULL;
	}
	VEC_GROW(r->c, r->nc + 1, r->ac);
	c = &r->c[r->nc];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->q = q;
	c->fchanged = xcalloc(qn_nfields(q) + 1, sizeof(*c->fchanged));
	if (store_qn_put(r->st, qn_id(q), qn_year(q), qn_sha(q), qn_body(q),
	    &c->id, r->d) < 0) {
		free(c->fchanged);
		free(c->name);
		qn_free(q);
		return NULL;
	}
	r->nc++;
	/* Versions point into r->c, which may have moved. */
	for (size_t i = 0; i < r->nv; i++)
		r->v[i].cur = NULL;
	return &r->c[r->nc - 1];
}

static struct ver *
version(struct rn *r, int64_t id)
{
	struct ver *v;
	char *body = NULL;

	for (size_t i = 0; i < r->nv; i++)
		if (r->v[i].id == id)
			return &r->v[i];
	VEC_GROW(r->v, r->nv + 1, r->av);
	v = &r->v[r->nv];
	memset(v, 0, sizeof(*v));
	v->id = id;
	if (store_qn_get(r->st, id, &v->name, &v->year, &body, r->d) < 0)
		return NULL;
	v->q = qn_load_text(body, v->name, r->d);
	free(body);
	if (v->q == NULL) {
		free(v->name);
		diag_env(r->d, "cannot read questionnaire version %lld kept in "
		    "the store", (long long)id);
		return NULL;
	}
	r->nv++;
	return v;
}

static struct bt *
tally_of(struct rn *r, int64_t batch, int year, const struct qn *q)
{
	struct bt *t;

	for (size_t i = 0; i < r->nt; i++)
		if (r->t[i].batch == batch)
			return &r->t[i];
	VEC_GROW(r->t, r->nt + 1, r->at);
	t = &r->t[r->nt++];
	t->batch = batch;
	t->year = year;
	t->t = qn_tally_new(q);
	return t;
}

/*
 * A collected batch's raw answers are one per field of the definition it
 * was collected with, named by key: binds them to q's fields by key.
 */
static int
bind_keys(struct rn *r, struct bind *b, char *const *keys, size_t n,
    const char *origin)
{
	const struct qn *q = b->q;
	int rc = 0;

	for (size_t i = 0; i < qn_nfields(q); i++) {
		size_t c;

		b->col[i] = SIZE_MAX;
		if (qn_field_derived(q, i))
			continue;
		for (c = 0; c < n; c++)
			if (strcmp(keys[c], qn_field_key(q, i)) == 0)
				break;
		if (c == n)
			rc = diag_err(r->d, "cannot re-derive the answers "
			    "collected from '%s' with '%s': they have no "
			    "'%s' (collect them again)", origin, qn_id(q),
			    qn_field_key(q, i));
		else
			b->col[i] = c;
	}
	return rc;
}

/* Binds batch's columns to q; NULL after an error (reported once). */
static struct bind *
bind_of(struct rn *r, int64_t batch, const struct qn *q)
{
	char *columns = NULL, *origin = NULL, *kind = NULL;
	struct bind *b;
	cJSON *arr = NULL, *e;
	char **hdr = NULL;
	size_t n = 0, idc, modc;
	int64_t src;

	for (size_t i = 0; i < r->nb; i++)
		if (r->b[i].batch == batch && r->b[i].q == q)
			return r->b[i].ok ? &r->b[i] : NULL;
	VEC_GROW(r->b, r->nb + 1, r->ab);
	b = &r->b[r->nb++];
	memset(b, 0, sizeof(*b));
	b->batch = batch;
	b->q = q;
	b->col = xcalloc(qn_nfields(q) + 1, sizeof(*b->col));
	if (store_batch_get(r->st, batch, &columns, &origin, &kind, &src,
	    r->d) < 0)
		return NULL;
	arr = cJSON_Parse(columns);
	if (!cJSON_IsArray(arr)) {
		diag_env(r->d, "cannot read the columns of batch %lld ('%s') "
		    "kept in the store", (long long)batch, origin);
		goto out;
	}
	hdr = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*hdr));
	cJSON_ArrayForEach(e, arr)
		hdr[n++] = cJSON_IsString(e) ? e->valuestring : empty;
	b->ncols = n;
	if (strcmp(kind, "api") == 0) {
		if (bind_keys(r, b, hdr, n, origin) < 0)
			goto out;
	} else if (qn_bind_header(q, hdr, n, b->col, &idc, &modc, origin, 1,
	    r->d) < 0) {
		diag_err(r->d, "cannot re-derive the answers of '%s' with "
		    "'%s': its columns no longer match (see above)", origin,
		    qn_id(q));
		goto out;
	}
	b->ok = 1;
out:
	free(hdr);
	cJSON_Delete(arr);
	free(columns);
	free(origin);
	free(kind);
	return b->ok ? b : NULL;
}

/* Splits a response's raw JSON array into r->f, r->len. */
static int
fields(struct rn *r, const struct store_rrow *row, size_t want)
{
	cJSON *e;

	cJSON_Delete(r->rawj);
	r->rawj = cJSON_Parse(row->raw);
	r->nf = 0;
	if (!cJSON_IsArray(r->rawj) ||
	    (size_t)cJSON_GetArraySize(r->rawj) != want)
		return diag_env(r->d, "cannot read the raw answers of response "
		    "'%s' kept in the store", row->rid);
	VEC_GROW(r->f, want + 1, r->af);
	r->len = xreallocarray(r->len, r->af, sizeof(*r->len));
	cJSON_ArrayForEach(e, r->rawj) {
		r->f[r->nf] = cJSON_IsString(e) ? e->valuestring : empty;
		r->len[r->nf] = strlen(r->f[r->nf]);
		r->nf++;
	}
	return 0;
}

static int
intern(void *arg, const char *dim, const char *val, size_t n, int32_t *code)
{
	struct rn *r = arg;
	int64_t *id, v;
	char *s;

	if (n == 0) {
		*code = 0;
		return 0;
	}
	buf_reset(&r->key);
	buf_addf(&r->key, "%s\037", dim);
	buf_add(&r->key, val, n);
	if ((id = strmap_get(&r->dimvals, r->key.data, r->key.len))) {
		*code = (int32_t)*id;
		return 0;
	}
	s = xstrndup(val, n);
	if (store_dimval_id(r->st, dim, s, &v, r->d) < 0) {
		free(s);
		return -1;
	}
	free(s);
	strmap_put(&r->dimvals, r->key.data, r->key.len, v);
	*code = (int32_t)v;
	return 0;
}

/*
 * Counts the fields of c whose code changed from the old version's; the
 * row changes when one did, or when codes mean something else under the
 * new version (then every row moves to it, so that one year's responses
 * never mix codings).
 */
static int
compare(struct cur *c, const struct ver *v, const int32_t *norm,
    const struct store_rrow *row)
{
	int any = c->id != row->qn_id && !qn_same_coding(c->q, v->q);

	for (size_t i = 0; i < qn_nfields(c->q); i++) {
		long o = qn_field_find(v->q, qn_field_key(c->q, i));

		if (o < 0 || (size_t)o >= row->nnorm ||
		    row->norm[o] != norm[i]) {
			c->fchanged[i]++;
			any = 1;
		}
	}
	return any || row->nnorm != qn_nfields(c->q);
}

static int
one(const struct store_rrow *row, void *arg)
{
	struct rn *r = arg;
	struct qn_team_res team;
	struct ver *v;
	struct bind *b;
	struct bt *t;
	const struct qn *q;
	long ti;

	if ((v = version(r, row->qn_id)) == NULL)
		return -1;
	if (!r->rebuild && v->cur == NULL &&
	    (v->cur = current(r, v->name, v->year)) == NULL)
		return -1;
	q = r->rebuild ? v->q : v->cur->q;
	if ((b = bind_of(r, row->batch_id, q)) == NULL ||
	    fields(r, row, b->ncols) < 0)
		return -1;
	t = tally_of(r, row->batch_id, row->year, q);
	r->s->responses++;
	if (r->rebuild) {
		ti = qn_field_find(q, "team");
		qn_team_resolve(v->q, r->f[b->col[ti]], r->len[b->col[ti]],
		    &team);
		qn_tally_row(t->t, row->norm, r->f, r->len, b->col, &team, 0);
		return 0;
	}
	VEC_GROW(r->norm, qn_nfields(q) + 1, r->anorm);
	if (qn_normalise_row(v->cur->q, r->f, r->len, b->col, r->norm, &team,
	    intern, r) < 0)
		return -1;
	qn_tally_row(t->t, r->norm, r->f, r->len, b->col, &team, 0);
	v->cur->seen++;
	if (!compare(v->cur, v, r->norm, row))
		return 0;
	v->cur->changed++;
	r->s->changed++;
	if (r->o->dry_run)
		return 0;
	return store_resp_renorm(r->st, row->id, v->cur->id, r->norm,
	    qn_nfields(q), r->d);
}

struct put {
	struct store	*st;
	int64_t		 batch;
	int		 year;
	int		 dups;
	struct diag	*d;
	int		 rc;
};

static void
put_ent(const struct qn_tally_ent *e, void *arg)
{
	struct put *p = arg;
	struct store_qrow q = { e->field, e->kind, e->value, e->count,
	    e->line };

	if (p->rc < 0 || e->count == 0 ||
	    (!p->dups && strcmp(e->kind, "duplicate_id") == 0))
		return;
	p->rc = store_quality_put(p->st, p->batch, p->year, &q, p->d);
}

int
collect_ledger_add(struct store *st, int64_t batch_id, int year,
    const struct qn_tally *t, int dups, struct diag *d)
{
	struct put p = { st, batch_id, year, dups, d, 0 };

	qn_tally_each(t, put_ent, &p);
	return p.rc;
}

static int
write_ledgers(struct rn *r)
{
	for (size_t i = 0; i < r->nt; i++) {
		if (store_quality_reset(r->st, r->t[i].batch, r->d) < 0)
			return -1;
		if (collect_ledger_add(r->st, r->t[i].batch, r->t[i].year,
		    r->t[i].t, 0, r->d) < 0 ||
		    store_quality_prune(r->st, r->t[i].batch, r->d) < 0)
			return -1;
		r->s->ledgers++;
	}
	return 0;
}

static void
rn_release(struct rn *r)
{
	for (size_t i = 0; i < r->nv; i++) {
		free(r->v[i].name);
		qn_free(r->v[i].q);
	}
	free(r->v);
	for (size_t i = 0; i < r->nc; i++) {
		free(r->c[i].name);
		free(r->c[i].fchanged);
		qn_free(r->c[i].q);
	}
	free(r->c);
	for (size_t i = 0; i < r->nb; i++)
		free(r->b[i].col);
	free(r->b);
	for (size_t i = 0; i < r->nt; i++)
		qn_tally_free(r->t[i].t);
	free(r->t);
	strmap_release(&r->dimvals);
	buf_release(&r->key);
	free(r->f);
	free(r->len);
	free(r->norm);
	cJSON_Delete(r->rawj);
}

int
collect_ledger_rebuild(struct store *st, int64_t batch_id, struct diag *d)
{
	struct collect_renorm_opts o = { 0, 0, NULL, 0 };
	struct collect_renorm_stats s;
	struct store_rfilter f = { 0, 0, 0, batch_id };
	struct rn r;
	int rc;

	memset(&r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	r.st = st;
	r.d = d;
	r.o = &o;
	r.s = &s;
	r.rebuild = 1;
	rc = store_resp_each(st, &f, one, &r, d);
	if (rc == 0 && r.nt == 0) {
		/* The batch lost every response: its ledger is empty. */
		if ((rc = store_quality_reset(st, batch_id, d)) == 0)
			rc = store_quality_prune(st, batch_id, d);
	} else if (rc == 0) {
		rc = write_ledgers(&r);
	}
	rn_release(&r);
	return rc ? -1 : 0;
}

/* A line per definition for the report. */
static void
summarise(struct rn *r)
{
	struct collect_renorm_stats *s = r->s;
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < r->nc; i++) {
		const struct cur *c = &r->c[i];
		int any = 0;

		buf_reset(&b);
		buf_addf(&b, "%s (%d): %lu responses, %lu changed", c->name,
		    qn_year(c->q), c->seen, c->changed);
		for (size_t f = 0; f < qn_nfields(c->q); f++) {
			if (!c->fchanged[f])
				continue;
			buf_addf(&b, "%s%s %lu", any ? ", " : " (",
			    qn_field_key(c->q, f), c->fchanged[f]);
			any = 1;
		}
		if (any)
			buf_addc(&b, ')');
		VEC_GROW(s->lines, s->nlines + 1, s->alines);
		s->lines[s->nlines++] = buf_detach(&b, NULL);
	}
	buf_release(&b);
}

int
collect_renormalise(struct store *st, const struct collect_renorm_opts *o,
    struct collect_renorm_stats *s, struct diag *d)
{
	struct store_rfilter f = { o->year_from, o->year_to, 0, 0 };
	struct rn r;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	memset(s, 0, sizeof(*s));
	r.st = st;
	r.d = d;
	r.o = o;
	r.s = s;
	buf_init(&r.key, 0);
	/*
	 * Every batch scanned gets its ledger rewritten: even when no code
	 * changes, a team may now be known, and a batch imported before the
	 * ledger existed gets one.
	 */
	if (store_begin(st, d) < 0)
		goto out;
	if (store_resp_each(st, &f, one, &r, d) != 0 ||
	    write_ledgers(&r) < 0)
		goto out;
	summarise(&r);
	if (o->dry_run) {
		store_rollback(st);
		rc = 0;
		goto out;
	}
	rc = store_commit(st, d);
out:
	store_rollback(st);
	rn_release(&r);
	return rc;
}

void
collect_renorm_stats_release(struct collect_renorm_stats *s)
{
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	memset(s, 0, sizeof(*s));
}
