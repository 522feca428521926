/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the config file reader (common/config.c), then every
 * setting listed, its subsections walked and a number read.
 */
#include <stdint.h>

#include "common/config.h"
#include "common/diag.h"
#include "fuzz/fuzz.h"

static void
each(const char *name, const char *value, unsigned long line, void *arg)
{
	const struct config *c = arg;

	(void)line;
	if (value == NULL || config_get(c, name) == NULL ||
	    config_line(c, name) == 0)
		__builtin_trap();	/* listed, so it must be there */
}

static void
sub(const char *name, void *arg)
{
	(void)name;
	(void)arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	struct config *c = config_load(fuzz_file(data, size), 1, &d);
	long k = 5;

	if (c != NULL) {
		config_each(c, each, c);
		config_each_sub(c, "source", sub, NULL);
		config_get_int(c, "disclosure.k", 1, 1000, &k, &d);
		config_free(c);
	}
	diag_release(&d);
	return 0;
}
