/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the qualtrics driver's reading of a reply
 * (coll_qualtrics_file in collector/collect_qualtrics.c), storing into a scratch
 * store, rolled back after each input.
 */
#include <stdint.h>

#include "collector/collect_int.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_page("qualtrics", coll_qualtrics_file, data, size);
	return 0;
}
