/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the questionnaire definition loader, through its public
 * entry point only (the format is still growing), then one answer
 * normalised per field of what loaded.
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/diag.h"
#include "fuzz/fuzz.h"
#include "questionnaires/qn.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	char *text = fuzz_str(data, size);
	struct qn *q = qn_load_text(text, "fuzz.json", &d);
	struct qn_team_res team;

	for (size_t i = 0; q != NULL && i < qn_nfields(q); i++)
		if (qn_field_kind(q, i) != QN_DIM)
			qn_normalise(q, i, "Often", 5);
	if (q != NULL)
		qn_team_resolve(q, "Adoption", 8, &team);
	qn_free(q);
	free(text);
	diag_release(&d);
	return 0;
}
