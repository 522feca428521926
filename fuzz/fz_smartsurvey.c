/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the smartsurvey driver's reading of a reply
 * (coll_smartsurvey_page in collector/collect_smartsurvey.c), storing into a scratch
 * store, rolled back after each input.
 */
#include <stdint.h>

#include "collector/collect_int.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_page("smartsurvey", coll_smartsurvey_page, data, size);
	return 0;
}
