/* SPDX-License-Identifier: MIT */
/*
 * common/store_cols.h: the stored responses read column by column, for
 * the scorer's scans.  Included by scorer/.
 *
 * Reading every response row means reading its raw answers too (SQLite
 * walks a row's overflow pages to reach the normalised codes behind
 * them).  So the store keeps a columnar cache: per definition version,
 * each field's normalised codes (and the survey year) in chunks of up to
 * STORE_COLS_CHUNK rows, each chunk packed to 1, 2 or 4 bytes a value.
 * The cache is stamped with the content it was built from (see the
 * triggers of schema migration 3) and rebuilt, in one transaction, by the
 * first scan after responses changed, when the store is writable; a
 * read-only store whose cache is stale is scanned row by row instead,
 * with the same results.
 */
#ifndef STORE_COLS_H
#define STORE_COLS_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct store;
struct store_qn;

#define STORE_COLS_CHUNK	16384

/* What a scan wants from one definition version. */
struct store_cols_want {
	int64_t		 qn_id;
	const long	*fields;	/* field indices; -1 = none */
	size_t		 nfields;
};

/* One chunk of one definition version's responses. */
struct store_chunk {
	int64_t		 qn_id;
	size_t		 nrows;
	const int32_t	*year;		/* nrows survey years */
	const int32_t *const *col;	/* col[i]: field want.fields[i], or
					   NULL when that is -1 or beyond the
					   version's fields */
};

/*
 * Calls fn for every chunk of the responses in [year_from, year_to]
 * (0 = no bound) of each version listed in want (others are skipped).
 * Chunks of a version come in storage order; the arrays are valid during
 * the call.  A chunk may hold years outside the range: fn must check.
 * A non-zero return from fn stops the scan and is returned.
 */
int store_cols_scan(struct store *st, int year_from, int year_to,
    const struct store_cols_want *want, size_t nwant,
    int (*fn)(const struct store_chunk *c, void *arg), void *arg,
    struct diag *d);

/*
 * Like store_qn_each() (store.h), but answered from the cache when it is
 * current (brought up to date first when the store is writable), which
 * does not read the responses: calls fn for each definition version that
 * responses in [year_from, year_to] use, ordered by year then id.
 */
int store_cols_versions(struct store *st, int year_from, int year_to,
    int (*fn)(const struct store_qn *q, void *arg), void *arg,
    struct diag *d);

/*
 * Brings the cache up to date now (a no-op when it is).  *built is set to
 * 1 when it was rebuilt.  Needs a writable store.
 */
int store_cols_refresh(struct store *st, int *built, struct diag *d);

#endif /* STORE_COLS_H */
