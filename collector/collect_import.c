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
#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/csv.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_quality.h"
#include "common/strmap.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

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
	struct qn_tally	*all;		/* every row: what is reported */
	struct qn_tally	*stored;	/* rows stored: the ledger */
	struct buf	 raw, key;
	int		 failed;
};

static int
dimval(void *arg, const char *dim, const char *val, size_t n, int32_t *code)
{
	struct imp *im = arg;
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
row(struct imp *im, const struct csv_rec *r, struct qn_team_res *team)
{
	buf_reset(&im->raw);
	buf_addc(&im->raw, '[');
	for (size_t c = 0; c < r->nf; c++) {
		if (c)
			buf_addc(&im->raw, ',');
		text_json_strn(&im->raw, r->f[c], r->len[c]);
	}
	buf_addc(&im->raw, ']');
	if (qn_normalise_row(im->q, r->f, r->len, im->col, im->norm, team,
	    dimval, im) < 0)
		return -1;
	qn_tally_row(im->all, im->norm, r->f, r->len, im->col, team, r->line);
	return 0;
}

/* Handles one data record; -1 only when the store failed. */
static int
record(struct imp *im, const struct csv_rec *r)
{
	struct loc loc = { im->path, r->line, 0, NULL };
	struct store_resp resp;
	struct qn_team_res team;
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
	if (strmap_get(&im->rids, rid.data, rid.len) != NULL) {
		qn_tally_dup(im->all, rid.data, r->line);
		qn_tally_dup(im->stored, rid.data, r->line);
	}
	strmap_put(&im->rids, rid.data, rid.len, (int64_t)r->line);
	im->s->rows++;
	if (im->failed)
		goto out;	/* keep checking, but stop writing */
	if ((rc = row(im, r, &team)) < 0)
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
	if (changed) {
		im->s->changed++;
		qn_tally_row(im->stored, im->norm, r->f, r->len, im->col,
		    &team, r->line);
	} else {
		im->s->unchanged++;
	}
out:
	buf_release(&rid);
	buf_release(&mod);
	return rc;
}

struct put {
	struct imp	*im;
	int		 rc;
};

static void
put_ent(const struct qn_tally_ent *e, void *arg)
{
	struct put *p = arg;
	struct store_qrow q = { e->field, e->kind, e->value, e->count,
	    e->line };

	if (p->rc < 0 || e->count == 0)
		return;
	p->rc = store_quality_put(p->im->st, p->im->batch_id,
	    qn_year(p->im->q), &q, p->im->d);
}

static int
rebuild(int64_t batch_id, void *arg)
{
	struct imp *im = arg;

	return collect_ledger_rebuild(im->st, batch_id, im->d);
}

/*
 * Records what the batch stored in the data-quality ledger, and rebuilds
 * the ledgers of earlier batches whose responses it replaced (and its own
 * when a response id repeated in the file was stored twice).
 */
static int
ledger(struct imp *im)
{
	struct put p = { im, 0 };

	qn_tally_each(im->stored, put_ent, &p);
	if (p.rc < 0)
		return -1;
	return store_quality_stale(im->st, im->source_id, 0,
	    rebuild, im, im->d) != 0 ? -1 : 0;
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
	qn_tally_free(im->all);
	qn_tally_free(im->stored);
	free(im->col);
	free(im->norm);
	strmap_release(&im->dimvals);
	strmap_release(&im->rids);
	buf_release(&im->raw);
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
	im.all = qn_tally_new(q);
	im.stored = qn_tally_new(q);
	buf_init(&im.raw, 0);
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
	collect_report_tally(q, im.all, path, d);
	collect_tally_stats(q, im.all, s);
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
	    d) < 0 || ledger(&im) < 0 || store_commit(st, d) < 0)
		goto out;
	ret = 0;
out:
	store_rollback(st);
	csv_close(c);
	imp_release(&im);
	return ret;
}
