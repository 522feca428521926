/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the CSV reader (common/csv.c) as `whc import` drives it:
 * the separator detected, every record read, the header bound to the demo
 * definition and each answer normalised (its PCRE2 patterns included).
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/csv.h"
#include "common/diag.h"
#include "fuzz/fuzz.h"
#include "questionnaires/qn.h"

/* Dimension values become small codes; the store is not involved. */
static int
intern(void *arg, const char *dim, const char *val, size_t n, int32_t *code)
{
	(void)arg;
	(void)dim;
	(void)val;
	*code = (int32_t)(n % 1000) + 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qn *q = fuzz_qn();
	size_t nf = qn_nfields(q), col[64], id_col, mod_col, ncols = 0;
	struct diag d = DIAG_INIT;
	struct qn_team_res team;
	int32_t norm[64];
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
			ncols = r.nf;
			continue;
		}
		/* Import refuses a row with the wrong number of fields. */
		if (bound > 0 && !r.bad && r.nf == ncols)
			qn_normalise_row(q, r.f, r.len, col, norm, &team,
			    intern, NULL);
	}
	csv_close(c);
	diag_release(&d);
	return 0;
}
