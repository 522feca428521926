/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz.h: what the fuzz targets (fuzz/fz_*.c) share.  Each target
 * defines LLVMFuzzerTestOneInput; it is linked either with libFuzzer
 * (`make fuzz`, build-fuzz/) or with fuzz/replay.c, which runs the files
 * it is given once each (the seed corpora and the crash regressions, run
 * by tests/t0950-fuzz-regress.sh in every build).  Included by fuzz/ only.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct coll;
struct qn;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A scratch directory for this process, removed at exit. */
const char *fuzz_dir(void);
/* A file in it holding d[0..n) (the same path on every call). */
const char *fuzz_file(const uint8_t *d, size_t n);
/* A NUL-terminated copy of d[0..n); the caller frees it. */
char *fuzz_str(const uint8_t *d, size_t n);
/* The demo definition questionnaires/defs/whc-2025.json, loaded once. */
struct qn *fuzz_qn(void);
/*
 * Runs fn on d[0..n) as one body of a source of provider (set up once,
 * storing into a scratch store), inside a page that is then rolled back,
 * so every input meets the same empty store.
 */
void fuzz_page(const char *provider,
    int (*fn)(struct coll *, const char *, size_t), const uint8_t *d,
    size_t n);

#endif /* FUZZ_H */
