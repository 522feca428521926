/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the typeform driver's reading of a reply
 * (coll_typeform_page in collector/collect_typeform.c), storing into a scratch
 * store, rolled back after each input.
 */
#include <stdint.h>

#include "collector/collect_int.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_page("typeform", coll_typeform_page, data, size);
	return 0;
}
