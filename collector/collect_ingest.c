/* SPDX-License-Identifier: MIT */
/*
 * Ingesting one response, whichever way it came in (a CSV row or a page
 * from a provider's API): normalise it against the definition
 * (qn_normalise_row: teams through the team map, dimension values
 * interned), tally its answers for the report and the data-quality ledger
 * (qn_tally), and upsert it by (source, response id).  The caller owns the
 * transaction.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect.h"
#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_quality.h"
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
	in->norm = xcalloc(in->nf + 1, sizeof(*in->norm));
	in->col = xcalloc(in->nf + 1, sizeof(*in->col));
	for (size_t i = 0; i < in->nf; i++)
		in->col[i] = qn_field_derived(q, i) ? SIZE_MAX : i;
	in->all = qn_tally_new(q);
	in->stored = qn_tally_new(q);
	buf_init(&in->key, 0);
}

void
ingest_release(struct ingest *in)
{
	free(in->norm);
	free(in->col);
	qn_tally_free(in->all);
	qn_tally_free(in->stored);
	strmap_release(&in->dimvals);
	buf_release(&in->key);
	memset(in, 0, sizeof(*in));
}

static int
dimval(void *arg, const char *dim, const char *val, size_t n, int32_t *code)
{
	struct ingest *in = arg;
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

int
ingest_put(struct ingest *in, const char *rid, const char *modified,
    char *const *val, const size_t *len, const char *raw,
    unsigned long line)
{
	struct store_resp resp;
	struct qn_team_res team;
	int changed;

	if (qn_normalise_row(in->q, val, len, in->col, in->norm, &team,
	    dimval, in) < 0)
		return -1;
	qn_tally_row(in->all, in->norm, val, len, in->col, &team, line);
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
	if (changed) {
		in->s->changed++;
		qn_tally_row(in->stored, in->norm, val, len, in->col, &team,
		    line);
	} else {
		in->s->unchanged++;
	}
	return 0;
}

void
ingest_dup(struct ingest *in, const char *rid, unsigned long line)
{
	qn_tally_dup(in->all, rid, line);
	qn_tally_dup(in->stored, rid, line);
}

static int
rebuild(int64_t batch_id, void *arg)
{
	struct ingest *in = arg;

	return collect_ledger_rebuild(in->st, batch_id, in->d);
}

int
ingest_ledger(struct ingest *in)
{
	int rc = collect_ledger_add(in->st, in->batch_id, qn_year(in->q),
	    in->stored, 1, in->d);

	ingest_ledger_drop(in);
	if (rc < 0)
		return -1;
	/* Batches whose responses this one replaced (or its own, when a
	 * response was stored twice) count what they hold now. */
	return store_quality_stale(in->st, in->source_id, 0, rebuild, in,
	    in->d) != 0 ? -1 : 0;
}

void
ingest_ledger_drop(struct ingest *in)
{
	qn_tally_free(in->stored);
	in->stored = qn_tally_new(in->q);
}

void
ingest_report(struct ingest *in, const char *where)
{
	collect_report_tally(in->q, in->all, where, in->d);
	collect_tally_stats(in->q, in->all, in->s);
}
