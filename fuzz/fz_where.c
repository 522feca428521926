/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the --where filter (scorer/score_where.c): parsed, bound
 * to the demo definition (with a few team, role and grade values) and
 * evaluated on a few responses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "fuzz/fuzz.h"
#include "questionnaires/qn.h"
#include "scorer/score_int.h"

#define NSLOT	64
#define NROW	4

static const char *const vals[] = { NULL, "Adoption", "Fostering",
	"Social Worker", "Team Manager", "3", "4", "Senior", "" };

struct env {
	long	 field[NSLOT];
	size_t	 nslot;
};

static size_t
slot(void *arg, long f)
{
	struct env *e = arg;

	for (size_t i = 0; i < e->nslot; i++)
		if (e->field[i] == f)
			return i;
	if (e->nslot == NSLOT)
		abort();
	e->field[e->nslot] = f;
	return e->nslot++;
}

static int
dimvals(void *arg, const char *dim, const char *const **texts, size_t *n)
{
	(void)arg;
	(void)dim;
	*texts = vals;
	*n = sizeof(vals) / sizeof(vals[0]);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int32_t codes[NROW] = { 0, 1, 3, -1 };
	struct diag d = DIAG_INIT;
	char *text = fuzz_str(data, size);
	struct score_where *w = score_where_parse(text, &d);
	struct score_filter *f = NULL;
	struct score_bind b;
	struct env env;

	memset(&env, 0, sizeof(env));
	b.q = fuzz_qn();
	b.year = qn_year(b.q);
	b.slot = slot;
	b.dimvals = dimvals;
	b.arg = &env;
	b.d = &d;
	if (w != NULL) {
		score_where_text(w);
		f = score_where_bind(w, &b);
	}
	if (f != NULL) {
		const int32_t *cols[NSLOT];

		for (size_t s = 0; s < NSLOT; s++)
			cols[s] = codes;
		for (size_t row = 0; row < NROW; row++)
			score_filter_eval(f, cols, row, 2024 + (int)row);
	}
	score_filter_free(f);
	score_where_free(w);
	free(text);
	diag_release(&d);
	return 0;
}
