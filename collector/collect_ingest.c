/* SPDX-License-Identifier: MIT */
/*
 * Ingesting one response, whichever way it came in (a CSV row or a page
 * from a provider's API): normalise each field against the definition
 * (teams through the team map, dimension values interned, scale and number
 * answers through qn_normalise), count blanks and odd answers, and upsert
 * the response by (source, response id).  The caller owns the transaction.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect.h"
#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

void
ingest_init(struct ingest *in, struct store *st, struct qn *q,
    struct collect_stats *s, struct diag *d)
{
	memset(in, 0, sizeof(*in));
	in->st = st;
	in->q = q;
	in->s = s;
	in->d = d;
	in->nf = qn_nfields(q);
	in->norm = xcalloc(in->nf ? in->nf : 1, sizeof(*in->norm));
	buf_init(&in->tmp, 0);
	buf_init(&in->key, 0);
}

void
ingest_release(struct ingest *in)
{
	for (size_t i = 0; i < in->nodd; i++) {
		free(in->odd[i].field);
		free(in->odd[i].value);
		free(in->odd[i].file);
		free(in->odd[i].path);
	}
	free(in->odd);
	free(in->norm);
	strmap_release(&in->dimvals);
	strmap_release(&in->oddmap);
	buf_release(&in->tmp);
	buf_release(&in->key);
	memset(in, 0, sizeof(*in));
}

static void
note_odd(struct ingest *in, enum diag_code code, const char *field,
    const char *val, size_t n, const struct loc *loc)
{
	int64_t *ix;
	struct ingest_odd *o;

	buf_reset(&in->key);
	buf_addf(&in->key, "%s\037", field);
	text_squash(&in->key, val, n);
	if ((ix = strmap_get(&in->oddmap, in->key.data, in->key.len))) {
		in->odd[*ix].count++;
		return;
	}
	VEC_GROW(in->odd, in->nodd + 1, in->aodd);
	o = &in->odd[in->nodd];
	o->field = xstrdup(field);
	o->value = xstrdup(strchr(in->key.data, '\037') + 1);
	o->count = 1;
	o->seq = in->nodd;
	o->file = loc->file ? xstrdup(loc->file) : NULL;
	o->line = loc->line;
	o->path = loc->path ? xstrdup(loc->path) : NULL;
	o->code = code;
	strmap_put(&in->oddmap, in->key.data, in->key.len,
	    (int64_t)in->nodd++);
}

static int
cmp_odd(const void *a, const void *b)
{
	const struct ingest_odd *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
ingest_report(struct ingest *in)
{
	if (in->nodd > 1)
		qsort(in->odd, in->nodd, sizeof(*in->odd), cmp_odd);
	for (size_t i = 0; i < in->nodd; i++) {
		struct ingest_odd *o = &in->odd[i];
		struct loc loc = { o->file, o->line, 0, o->path };

		diag_at(in->d, o->code, &loc, "%s '%s' (%lu time%s, first "
		    "here)", o->field, o->value, o->count,
		    o->count == 1 ? "" : "s");
	}
}

static int
dimval(struct ingest *in, const char *dim, const char *val, size_t n,
    int32_t *code)
{
	int64_t *id, v;

	if (n == 0) {
		*code = 0;
		return 0;
	}
	buf_reset(&in->key);
	buf_addf(&in->key, "%s\037", dim);
	buf_add(&in->key, val, n);
	if ((id = strmap_get(&in->dimvals, in->key.data, in->key.len))) {
		*code = (int32_t)*id;
		return 0;
	}
	if (store_dimval_id(in->st, dim, val, &v, in->d) < 0)
		return -1;
	if (v > INT32_MAX)
		return diag_env(in->d, "too many distinct values in '%s'",
		    store_path(in->st));
	strmap_put(&in->dimvals, in->key.data, in->key.len, v);
	*code = (int32_t)v;
	return 0;
}

/* Normalises the fields into in->norm; -1 on a store failure. */
static int
normalise(struct ingest *in, const char *const *val, const size_t *len,
    const struct loc *loc)
{
	struct collect_stats *s = in->s;
	int unknown_team = 0;

	for (size_t i = 0; i < in->nf; i++) {
		const char *v = val[i] ? val[i] : "";
		size_t n = val[i] ? len[i] : 0;
		const char *key = qn_field_key(in->q, i);
		int32_t code = 0;

		switch (qn_field_kind(in->q, i)) {
		case QN_DIM:
			buf_reset(&in->tmp);
			if (strcmp(key, "team") == 0) {
				if (!qn_team(in->q, v, n, &in->tmp)) {
					unknown_team = 1;
					note_odd(in, DIAG_TEAM_UNKNOWN, key, v,
					    n, loc);
				}
			} else {
				text_squash(&in->tmp, v, n);
			}
			if (dimval(in, key, in->tmp.data, in->tmp.len,
			    &code) < 0)
				return -1;
			break;
		case QN_SCALE:
			code = qn_normalise(in->q, i, v, n);
			if (code == QN_BLANK)
				s->blank++;
			else if (code == QN_UNRECOGNISED) {
				s->unrecognised++;
				note_odd(in, DIAG_ANS_UNRECOGNISED, key, v, n,
				    loc);
			}
			break;
		case QN_NUMBER:
			code = qn_normalise(in->q, i, v, n);
			if (code == QN_NUM_BLANK)
				s->blank++;
			else if (code == QN_NUM_BAD || code == QN_NUM_RANGE) {
				s->bad_numbers++;
				note_odd(in, code == QN_NUM_BAD ?
				    DIAG_ANS_NUMBER : DIAG_ANS_RANGE, key, v, n,
				    loc);
			}
			break;
		default:
			code = qn_normalise(in->q, i, v, n);
			break;
		}
		in->norm[i] = code;
	}
	s->unknown_teams += (unsigned long)unknown_team;
	return 0;
}

int
ingest_put(struct ingest *in, const char *rid, const char *modified,
    const char *const *val, const size_t *len, const char *raw,
    const struct loc *loc)
{
	struct store_resp resp;
	int changed;

	if (normalise(in, val, len, loc) < 0)
		return -1;
	resp.source_id = in->source_id;
	resp.rid = rid;
	resp.year = qn_year(in->q);
	resp.qn_id = in->qn_id;
	resp.modified = modified ? modified : "";
	resp.batch_id = in->batch_id;
	resp.raw = raw;
	resp.norm = in->norm;
	resp.nnorm = in->nf;
	if (store_resp_put(in->st, &resp, &changed, in->d) < 0)
		return -1;
	if (changed)
		in->s->changed++;
	else
		in->s->unchanged++;
	return 0;
}
