/* SPDX-License-Identifier: MIT */
/*
 * A main() for the fuzz targets without libFuzzer: runs the target once on
 * each file named (a directory: on each file in it, in name order), so
 * that every build runs the seed corpora and the crash regressions under
 * whatever checker it was built with (ASan, UBSan, valgrind).  Prints one
 * line per input with -v.  Exit 0, or 3 when a file cannot be read; a
 * crash is a crash.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "fuzz/fuzz.h"

static int verbose;

static int
run_file(const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (verbose)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, b.len);
	LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
	buf_release(&b);
	return 0;
}

static int
names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
run_path(const char *path)
{
	struct dirent **ents;
	int n, rc = 0;

	if ((n = scandir(path, &ents, NULL, names)) < 0)
		return run_file(path);
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			struct buf p = BUF_INIT;

			buf_addf(&p, "%s/%s", path, ents[i]->d_name);
			if (run_file(p.data) < 0)
				rc = -1;
			buf_release(&p);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (run_path(argv[i]) < 0)
			rc = 3;
	}
	return rc;
}
