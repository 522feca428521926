/* SPDX-License-Identifier: MIT */
/*
 * Importing a CSV file exported by hand: read it with common/csv, match its
 * header to the definition, normalise each row and upsert it into the store,
 * all in one transaction.  Problems in the data are reported with file:line;
 * answers that match no level are kept (raw) and summarised by value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect.h"
#include "common/buf.h"
#include "common/csv.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/strmap.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

/* One distinct odd value (unrecognised answer, unknown team). */
struct odd {
	char		*field;		/* item key or "team" */
	char		*value;
	unsigned long	 count;
	unsigned long	 line;		/* first seen */
	enum diag_code	 code;
};

struct imp {
	struct store	*st;
	struct qn	*q;
	const char	*path;
	struct diag	*d;
	struct collect_import_stats *s;
	size_t		 nf;		/* definition fields */
	size_t		*col;		/* column of each field */
	size_t		 id_col, mod_col, ncols;
	int32_t		*norm;
	int64_t		 source_id, qn_id, batch_id;
	struct strmap	 dimvals;	/* "dim\037value" -> id */
	struct strmap	 rids;		/* response ids seen in this file */
	struct strmap	 oddmap;	/* "field\037value" -> index in odd */
	struct odd	*odd;
	size_t		 nodd, aodd;
	struct buf	 raw, tmp, key;
	int		 failed;
};

static void
note_odd(struct imp *im, enum diag_code code, const char *field,
    const char *val, size_t n, unsigned long line)
{
	int64_t *ix;

	buf_reset(&im->key);
	buf_addf(&im->key, "%s\037", field);
	text_squash(&im->key, val, n);
	if ((ix = strmap_get(&im->oddmap, im->key.data, im->key.len))) {
		im->odd[*ix].count++;
		return;
	}
	VEC_GROW(im->odd, im->nodd + 1, im->aodd);
	im->odd[im->nodd].field = xstrdup(field);
	im->odd[im->nodd].value = xstrdup(strchr(im->key.data, '\037') + 1);
	im->odd[im->nodd].count = 1;
	im->odd[im->nodd].line = line;
	im->odd[im->nodd].code = code;
	strmap_put(&im->oddmap, im->key.data, im->key.len,
	    (int64_t)im->nodd++);
}

static int
cmp_odd(const void *a, const void *b)
{
	const struct odd *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void
report_odd(struct imp *im)
{
	if (im->nodd > 1)
		qsort(im->odd, im->nodd, sizeof(*im->odd), cmp_odd);
	for (size_t i = 0; i < im->nodd; i++) {
		struct odd *o = &im->odd[i];
		struct loc loc = { im->path, o->line, 0, NULL };

		diag_at(im->d, o->code, &loc, "%s '%s' (%lu time%s, first "
		    "here)", o->field, o->value, o->count,
		    o->count == 1 ? "" : "s");
	}
}

static int
dimval(struct imp *im, const char *dim, const char *val, size_t n,
    int32_t *code)
{
	int64_t *id, v;

	if (n == 0) {
		*code = 0;
		return 0;
	}
	buf_reset(&im->key);
	buf_addf(&im->key, "%s\037", dim);
	buf_add(&im->key, val, n);
	if ((id = strmap_get(&im->dimvals, im->key.data, im->key.len))) {
		*code = (int32_t)*id;
		return 0;
	}
	if (store_dimval_id(im->st, dim, val, &v, im->d) < 0)
		return -1;
	if (v > INT32_MAX)
		return diag_env(im->d, "too many distinct values in '%s'",
		    store_path(im->st));
	strmap_put(&im->dimvals, im->key.data, im->key.len, v);
	*code = (int32_t)v;
	return 0;
}

/* Normalises one row into im->norm and im->raw; -1 on a store failure. */
static int
row(struct imp *im, const struct csv_rec *r)
{
	struct collect_import_stats *s = im->s;
	int unknown_team = 0;

	buf_reset(&im->raw);
	buf_addc(&im->raw, '[');
	for (size_t c = 0; c < r->nf; c++) {
		if (c)
			buf_addc(&im->raw, ',');
		text_json_strn(&im->raw, r->f[c], r->len[c]);
	}
	buf_addc(&im->raw, ']');
	for (size_t i = 0; i < im->nf; i++) {
		const char *v = r->f[im->col[i]];
		size_t n = r->len[im->col[i]];
		const char *key = qn_field_key(im->q, i);
		int32_t code = 0;

		switch (qn_field_kind(im->q, i)) {
		case QN_DIM:
			buf_reset(&im->tmp);
			if (strcmp(key, "team") == 0) {
				if (!qn_team(im->q, v, n, &im->tmp)) {
					unknown_team = 1;
					note_odd(im, DIAG_TEAM_UNKNOWN, key, v,
					    n, r->line);
				}
			} else {
				text_squash(&im->tmp, v, n);
			}
			if (dimval(im, key, im->tmp.data, im->tmp.len,
			    &code) < 0)
				return -1;
			break;
		case QN_SCALE:
			code = qn_normalise(im->q, i, v, n);
			if (code == QN_BLANK)
				s->blank++;
			else if (code == QN_UNRECOGNISED) {
				s->unrecognised++;
				note_odd(im, DIAG_ANS_UNRECOGNISED, key, v, n,
				    r->line);
			}
			break;
		case QN_NUMBER:
			code = qn_normalise(im->q, i, v, n);
			if (code == QN_NUM_BLANK)
				s->blank++;
			else if (code == QN_NUM_BAD || code == QN_NUM_RANGE) {
				s->bad_numbers++;
				note_odd(im, code == QN_NUM_BAD ?
				    DIAG_ANS_NUMBER : DIAG_ANS_RANGE, key, v, n,
				    r->line);
			}
			break;
		default:
			code = qn_normalise(im->q, i, v, n);
			break;
		}
		im->norm[i] = code;
	}
	s->unknown_teams += (unsigned long)unknown_team;
	return 0;
}

/* Handles one data record; -1 only when the store failed. */
static int
record(struct imp *im, const struct csv_rec *r)
{
	struct loc loc = { im->path, r->line, 0, NULL };
	struct store_resp resp;
	struct buf rid = BUF_INIT, mod = BUF_INIT;
	int changed, rc = 0;

	if (r->nf == 1 && r->len[0] == 0)
		return 0;			/* a blank line */
	if (r->bad) {
		im->failed = 1;
		return 0;
	}
	if (r->nf != im->ncols) {
		diag_at(im->d, DIAG_CSV_FIELDS, &loc, "%zu field%s, the header "
		    "has %zu", r->nf, r->nf == 1 ? "" : "s", im->ncols);
		im->failed = 1;
		return 0;
	}
	text_squash(&rid, r->f[im->id_col], r->len[im->id_col]);
	if (im->mod_col != SIZE_MAX)
		text_squash(&mod, r->f[im->mod_col], r->len[im->mod_col]);
	if (rid.len == 0) {
		diag_at(im->d, DIAG_ROW_NO_ID, &loc, "column '%s' is empty",
		    qn_id_column(im->q));
		im->failed = 1;
		goto out;
	}
	if (strmap_get(&im->rids, rid.data, rid.len) != NULL)
		diag_at(im->d, DIAG_ROW_DUP_ID, &loc, "'%s' (the later row "
		    "is kept when it is newer)", rid.data);
	strmap_put(&im->rids, rid.data, rid.len, (int64_t)r->line);
	im->s->rows++;
	if (im->failed)
		goto out;	/* keep checking, but stop writing */
	if ((rc = row(im, r)) < 0)
		goto out;
	resp.source_id = im->source_id;
	resp.rid = rid.data;
	resp.year = qn_year(im->q);
	resp.qn_id = im->qn_id;
	resp.modified = mod.data;
	resp.batch_id = im->batch_id;
	resp.raw = im->raw.data;
	resp.norm = im->norm;
	resp.nnorm = im->nf;
	if ((rc = store_resp_put(im->st, &resp, &changed, im->d)) < 0)
		goto out;
	if (changed)
		im->s->changed++;
	else
		im->s->unchanged++;
out:
	buf_release(&rid);
	buf_release(&mod);
	return rc;
}

static int
begin(struct imp *im, const struct collect_import_opts *o,
    const struct csv_rec *hdr)
{
	struct store_batch b = { 0 };
	struct buf cols = BUF_INIT;
	char *source = o->source ? xstrdup(o->source) :
	    xasprintf("file:%s", qn_id(im->q));
	int rc = -1;

	buf_addc(&cols, '[');
	for (size_t c = 0; c < hdr->nf; c++) {
		if (c)
			buf_addc(&cols, ',');
		text_json_strn(&cols, hdr->f[c], hdr->len[c]);
	}
	buf_addc(&cols, ']');
	if (store_begin(im->st, im->d) < 0)
		goto out;
	if (store_source_id(im->st, source, "file", &im->source_id,
	    im->d) < 0 ||
	    store_qn_put(im->st, qn_id(im->q), qn_year(im->q), qn_sha(im->q),
	    qn_body(im->q), &im->qn_id, im->d) < 0)
		goto out;
	b.source_id = im->source_id;
	b.kind = "csv";
	b.origin = im->path;
	b.sha = "";
	b.columns = cols.data;
	rc = store_batch_add(im->st, &b, &im->batch_id, im->d);
out:
	free(source);
	buf_release(&cols);
	return rc;
}

static void
imp_release(struct imp *im)
{
	for (size_t i = 0; i < im->nodd; i++) {
		free(im->odd[i].field);
		free(im->odd[i].value);
	}
	free(im->odd);
	free(im->col);
	free(im->norm);
	strmap_release(&im->dimvals);
	strmap_release(&im->rids);
	strmap_release(&im->oddmap);
	buf_release(&im->raw);
	buf_release(&im->tmp);
	buf_release(&im->key);
}

int
collect_import_csv(struct store *st, struct qn *q, const char *path,
    const struct collect_import_opts *o, struct collect_import_stats *s,
    struct diag *d)
{
	struct imp im;
	struct csv_rec r;
	struct csv *c;
	unsigned long errors = diag_errors(d);
	char sha[65];
	int rc, seen, ret = -1;

	memset(&im, 0, sizeof(im));
	memset(s, 0, sizeof(*s));
	im.st = st;
	im.q = q;
	im.path = path;
	im.d = d;
	im.s = s;
	im.nf = qn_nfields(q);
	im.col = xcalloc(im.nf, sizeof(*im.col));
	im.norm = xcalloc(im.nf, sizeof(*im.norm));
	buf_init(&im.raw, 0);
	buf_init(&im.tmp, 0);
	buf_init(&im.key, 0);
	if ((c = csv_open(path, o->sep, d)) == NULL)
		goto out;
	do {
		rc = csv_next(c, &r);
	} while (rc == 1 && r.nf == 1 && r.len[0] == 0);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		struct loc loc = { path, 1, 0, NULL };

		diag_at(d, DIAG_CSV_EMPTY, &loc, "the file is empty");
		goto out;
	}
	if (r.bad || qn_bind_header(q, r.f, r.nf, im.col, &im.id_col,
	    &im.mod_col, path, r.line, d) < 0)
		goto out;
	im.ncols = r.nf;
	if (begin(&im, o, &r) < 0)
		goto out;
	while ((rc = csv_next(c, &r)) == 1) {
		if (record(&im, &r) < 0)
			goto out;
		if (o->progress != NULL && (s->rows & 0xFFFF) == 0 && s->rows)
			o->progress(s->rows, csv_bytes(c), o->arg);
	}
	if (rc < 0)
		goto out;
	report_odd(&im);
	if (im.failed || diag_errors(d) > errors) {
		diag_err(d, "cannot import '%s': the file has errors (see "
		    "above); nothing was stored", path);
		goto out;
	}
	csv_sha256(c, sha);
	if (store_batch_seen(st, im.source_id, sha, &seen, d) < 0)
		goto out;
	if (seen && s->changed == 0) {
		s->already = 1;		/* leave no trace of this run */
		store_rollback(st);
		ret = 0;
		goto out;
	}
	if (store_batch_done(st, im.batch_id, sha, s->rows, s->changed,
	    d) < 0 || store_commit(st, d) < 0)
		goto out;
	ret = 0;
out:
	store_rollback(st);
	csv_close(c);
	imp_release(&im);
	return ret;
}
