/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the SurveyMonkey driver's reading of its replies
 * (collector/collect_surveymonkey.c).  The input is a /details body and
 * a /responses/bulk page, separated by the first NUL byte (no NUL: the
 * whole input is the page, read with no choices known).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect_int.h"
#include "fuzz/fuzz.h"

static const char *page;
static size_t page_len;

static int
both(struct coll *c, const char *body, size_t len)
{
	cJSON_DeleteItemFromObjectCaseSensitive(c->meta, "choices");
	if (len > 0)
		coll_surveymonkey_details(c, body, len);
	return coll_surveymonkey_page(c, page, page_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul ? (size_t)(nul - data) : 0;
	char *p = fuzz_str(nul ? nul + 1 : data, nul ? size - n - 1 : size);

	page = p;
	page_len = nul ? size - n - 1 : size;
	fuzz_page("surveymonkey", both, data, n);
	free(p);
	return 0;
}
