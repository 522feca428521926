/* SPDX-License-Identifier: MIT */
/*
 * whc check FILE.csv: the pass an import makes over an export (parse,
 * match the header, normalise every answer, count), without the store:
 * every problem of the file is reported, nothing is written.
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
#include "common/strmap.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

/* Without a store a dimension value's code only says whether it is blank. */
static int
intern(void *arg, const char *dim, const char *val, size_t n, int32_t *code)
{
	(void)arg;
	(void)dim;
	(void)val;
	*code = n > 0;
	return 0;
}

int
collect_check_csv(struct qn *q, const char *path,
    const struct collect_check_opts *o, struct collect_stats *s,
    struct diag *d)
{
	size_t nf = qn_nfields(q), id_col, mod_col, ncols;
	size_t *col = xcalloc(nf + 1, sizeof(*col));
	int32_t *norm = xcalloc(nf + 1, sizeof(*norm));
	struct qn_tally *t = qn_tally_new(q);
	struct strmap rids = STRMAP_INIT;
	struct buf rid = BUF_INIT;
	struct qn_team_res team;
	struct csv_rec r;
	struct csv *c = NULL;
	int rc, ret = -1;

	memset(s, 0, sizeof(*s));
	if (!o->slow) {
		rc = collect_check_fast(q, path, o->sep, t, d);
		if (rc < 0)
			goto out;
		if (rc == 0)
			goto done;
	}
	if ((c = csv_open(path, o->sep, d)) == NULL)
		goto out;
	csv_no_hash(c);
	if (collect_read_header(c, &r, path, d) < 0)
		goto out;
	if (r.bad || qn_bind_header(q, r.f, r.nf, col, &id_col, &mod_col,
	    path, r.line, d) < 0)
		goto out;
	ncols = r.nf;
	while ((rc = csv_next(c, &r)) == 1) {
		struct loc loc = { path, r.line, 0, NULL };

		if ((r.nf == 1 && r.len[0] == 0) || r.bad)
			continue;
		if (r.nf != ncols) {
			diag_at(d, DIAG_CSV_FIELDS, &loc, "%zu field%s, the "
			    "header has %zu", r.nf, r.nf == 1 ? "" : "s",
			    ncols);
			continue;
		}
		buf_reset(&rid);
		text_squash(&rid, r.f[id_col], r.len[id_col]);
		if (rid.len == 0)
			diag_at(d, DIAG_ROW_NO_ID, &loc, "column '%s' is empty",
			    qn_id_column(q));
		else if (strmap_get(&rids, rid.data, rid.len) != NULL)
			qn_tally_dup(t, rid.data, r.line);
		else
			strmap_put(&rids, rid.data, rid.len, 1);
		qn_normalise_row(q, r.f, r.len, col, norm, &team, intern,
		    NULL);
		qn_tally_row(t, norm, r.f, r.len, col, &team, r.line);
	}
	if (rc < 0)
		goto out;
done:
	collect_report_tally(q, t, path, d);
	collect_tally_stats(q, t, s);
	s->rows = qn_tally_rows(t);
	for (size_t i = 0; i < nf; i++)
		if (!qn_field_derived(q, i))
			s->answers += s->rows;
	ret = 0;
out:
	csv_close(c);
	qn_tally_free(t);
	strmap_release(&rids);
	buf_release(&rid);
	free(col);
	free(norm);
	return ret;
}
