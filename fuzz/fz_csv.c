/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the CSV reader (common/csv.c) as `whc import` drives it:
 * the separator detected, every record read, the header bound to the demo
 * definition and each answer normalised (its PCRE2 patterns included).
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/buf.h"
#include "common/csv.h"
#include "common/diag.h"
#include "fuzz/fuzz.h"
#include "questionnaires/qn.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qn *q = fuzz_qn();
	size_t nf = qn_nfields(q), col[64], id_col, mod_col;
	struct diag d = DIAG_INIT;
	struct buf team = BUF_INIT;
	struct csv_rec r;
	struct csv *c;
	int bound = 0;

	if (nf > 64)
		abort();
	c = csv_open(fuzz_file(data, size), 0, &d);
	while (c != NULL && csv_next(c, &r) == 1) {
		if (!bound) {
			bound = r.bad ? -1 : qn_bind_header(q, r.f, r.nf, col,
			    &id_col, &mod_col, "input", r.line, &d) == 0 ? 1 :
			    -1;
			continue;
		}
		for (size_t i = 0; bound > 0 && i < nf; i++) {
			if (col[i] >= r.nf)
				continue;
			if (qn_field_kind(q, i) == QN_DIM) {
				buf_reset(&team);
				qn_team(q, r.f[col[i]], r.len[col[i]], &team);
			} else {
				qn_normalise(q, i, r.f[col[i]], r.len[col[i]]);
			}
		}
	}
	csv_close(c);
	buf_release(&team);
	diag_release(&d);
	return 0;
}
