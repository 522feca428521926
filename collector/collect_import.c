/* SPDX-License-Identifier: MIT */
/*
 * Importing a CSV file exported by hand: read it with common/csv, match its
 * header to the definition, and hand each row to the shared ingest code
 * (collect_ingest.c), all in one transaction with the batch's data-quality
 * ledger.  Problems in the data are reported with file:line; answers that
 * match no level are kept (raw) and summarised by value.
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
#include "common/strmap.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

struct imp {
	struct ingest	 in;
	const char	*path;
	struct diag	*d;
	struct collect_stats *s;
	size_t		 nf;		/* definition fields */
	size_t		*col;		/* column of each field */
	size_t		 id_col, mod_col, ncols;
	char		**val;		/* field values of the current row */
	size_t		*len;
	struct strmap	 rids;		/* response ids seen in this file */
	struct buf	 raw;
	int		 failed;
};

/* Handles one data record; -1 only when the store failed. */
static int
record(struct imp *im, const struct csv_rec *r)
{
	struct loc loc = { im->path, r->line, 0, NULL };
	struct buf rid = BUF_INIT, mod = BUF_INIT;
	int rc = 0;

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
		    qn_id_column(im->in.q));
		im->failed = 1;
		goto out;
	}
	if (strmap_get(&im->rids, rid.data, rid.len) != NULL)
		ingest_dup(&im->in, rid.data, r->line);
	strmap_put(&im->rids, rid.data, rid.len, (int64_t)r->line);
	im->s->rows++;
	if (im->failed)
		goto out;	/* keep checking, but stop writing */
	buf_reset(&im->raw);
	buf_addc(&im->raw, '[');
	for (size_t c = 0; c < r->nf; c++) {
		if (c)
			buf_addc(&im->raw, ',');
		text_json_strn(&im->raw, r->f[c], r->len[c]);
	}
	buf_addc(&im->raw, ']');
	for (size_t i = 0; i < im->nf; i++) {
		if (im->col[i] == SIZE_MAX)
			continue;	/* derived from the team map */
		im->val[i] = r->f[im->col[i]];
		im->len[i] = r->len[im->col[i]];
	}
	rc = ingest_put(&im->in, rid.data, mod.data, im->val, im->len,
	    im->raw.data, r->line);
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
	struct ingest *in = &im->in;
	char *source = o->source ? xstrdup(o->source) :
	    xasprintf("file:%s", qn_id(in->q));
	int rc = -1;

	buf_addc(&cols, '[');
	for (size_t c = 0; c < hdr->nf; c++) {
		if (c)
			buf_addc(&cols, ',');
		text_json_strn(&cols, hdr->f[c], hdr->len[c]);
	}
	buf_addc(&cols, ']');
	if (store_begin(in->st, im->d) < 0)
		goto out;
	if (store_source_id(in->st, source, "file", &in->source_id,
	    im->d) < 0 ||
	    store_qn_put(in->st, qn_id(in->q), qn_year(in->q), qn_sha(in->q),
	    qn_body(in->q), &in->qn_id, im->d) < 0)
		goto out;
	b.source_id = in->source_id;
	b.kind = "csv";
	b.origin = im->path;
	b.sha = "";
	b.columns = cols.data;
	rc = store_batch_add(in->st, &b, &in->batch_id, im->d);
out:
	free(source);
	buf_release(&cols);
	return rc;
}

static void
imp_release(struct imp *im)
{
	ingest_release(&im->in);
	free(im->col);
	free(im->val);
	free(im->len);
	strmap_release(&im->rids);
	buf_release(&im->raw);
}

int
collect_import_csv(struct store *st, struct qn *q, const char *path,
    const struct collect_import_opts *o, struct collect_stats *s,
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
	ingest_init(&im.in, st, q, s, d);
	im.path = path;
	im.d = d;
	im.s = s;
	im.nf = qn_nfields(q);
	im.col = xcalloc(im.nf + 1, sizeof(*im.col));
	im.val = xcalloc(im.nf + 1, sizeof(*im.val));
	im.len = xcalloc(im.nf + 1, sizeof(*im.len));
	buf_init(&im.raw, 0);
	if ((c = csv_open(path, o->sep, d)) == NULL)
		goto out;
	if (collect_read_header(c, &r, path, d) < 0)
		goto out;
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
	ingest_report(&im.in, path);
	if (im.failed || diag_errors(d) > errors) {
		diag_err(d, "cannot import '%s': the file has errors (see "
		    "above); nothing was stored", path);
		goto out;
	}
	csv_sha256(c, sha);
	if (store_batch_seen(st, im.in.source_id, sha, &seen, d) < 0)
		goto out;
	if (seen && s->changed == 0) {
		s->already = 1;		/* leave no trace of this run */
		store_rollback(st);
		ret = 0;
		goto out;
	}
	if (store_batch_done(st, im.in.batch_id, sha, s->rows, s->changed,
	    d) < 0 || ingest_ledger(&im.in) < 0 || store_commit(st, d) < 0)
		goto out;
	ret = 0;
out:
	store_rollback(st);
	csv_close(c);
	imp_release(&im);
	return ret;
}
