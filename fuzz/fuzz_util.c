/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the fuzz targets: a scratch directory removed at exit, a
 * file and a string made of the input, the demo definition, and a
 * provider source writing into a scratch store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/xalloc.h"
#include "fuzz/fuzz.h"
#include "questionnaires/qn.h"

#ifndef FUZZ_SRC
#define FUZZ_SRC "."
#endif

static char dir[4096];
static struct diag setup_diag = DIAG_INIT;
static struct store *st;
static struct qn *qn;
static struct coll *coll;
static const char *coll_provider;

static const char *const scratch[] = { "input", "store.db", "store.db-wal",
	"store.db-shm", "store.db-journal" };

static void
cleanup(void)
{
	char p[4200];

	coll_offline_free(coll);
	store_close(st);
	qn_free(qn);
	for (size_t i = 0; i < sizeof(scratch) / sizeof(scratch[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, scratch[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* Gives up on a set-up that cannot work: this is a test harness. */
static void
die(const char *what)
{
	fprintf(stderr, "fuzz: %s\n", what);
	for (size_t i = 0; i < setup_diag.nr; i++)
		fprintf(stderr, "fuzz: %s\n", setup_diag.v[i].text);
	abort();
}

const char *
fuzz_dir(void)
{
	const char *t = getenv("TMPDIR");

	if (dir[0] != '\0')
		return dir;
	snprintf(dir, sizeof(dir), "%s/whc-fuzz-XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(dir) == NULL)
		die("cannot make a scratch directory");
	atexit(cleanup);
	return dir;
}

const char *
fuzz_file(const uint8_t *d, size_t n)
{
	static char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/input", fuzz_dir());
	if ((f = fopen(path, "wb")) == NULL ||
	    (n > 0 && fwrite(d, 1, n, f) != n) || fclose(f) != 0)
		die("cannot write the input file");
	return path;
}

char *
fuzz_str(const uint8_t *d, size_t n)
{
	char *s = xmalloc(n + 1);

	if (n > 0)
		memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

struct qn *
fuzz_qn(void)
{
	if (qn == NULL) {
		fuzz_dir();
		qn = qn_load_file(FUZZ_SRC "/questionnaires/defs/whc-2025.json",
		    &setup_diag);
		if (qn == NULL)
			die("cannot load the definition");
	}
	return qn;
}

void
fuzz_page(const char *provider,
    int (*fn)(struct coll *, const char *, size_t), const uint8_t *d,
    size_t n)
{
	struct diag dg = DIAG_INIT;
	char *body = fuzz_str(d, n);

	if (coll == NULL) {
		struct buf p = BUF_INIT;

		buf_addf(&p, "%s/store.db", fuzz_dir());
		if ((st = store_open(p.data, STORE_RW, &setup_diag)) == NULL)
			die("cannot open the scratch store");
		buf_release(&p);
		coll = coll_offline_new(st, fuzz_qn(), provider, &setup_diag);
		if (coll == NULL)
			die("cannot set up the source");
		coll_provider = provider;
	}
	if (strcmp(provider, coll_provider) != 0)
		die("one provider per target");
	coll->d = &dg;
	coll->in.d = &dg;
	if (coll_page_begin(coll) == 0) {
		fn(coll, body, n);
		coll_page_abort(coll);
	}
	coll->d = &setup_diag;
	coll->in.d = &setup_diag;
	diag_release(&dg);
	free(body);
}
