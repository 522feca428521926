/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the limesurvey driver's reading of a reply
 * (coll_limesurvey_doc in collector/collect_limesurvey.c), storing into a scratch
 * store, rolled back after each input.
 */
#include <stdint.h>

#include "collector/collect_int.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_page("limesurvey", coll_limesurvey_doc, data, size);
	return 0;
}
