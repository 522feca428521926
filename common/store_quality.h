/* SPDX-License-Identifier: MIT */
/*
 * The store's data-quality ledger (schema migration 4), and the reads and
 * writes that re-normalisation needs: responses with their raw answers,
 * batch columns, stored definition versions.  Included by collector/ and
 * cli/.
 *
 * The ledger holds, for each batch, a tally of the responses it stored
 * (see qn_tally_each for the kinds): the writers (import, renormalise)
 * keep it equal to what the store holds, so that the ledger of a year
 * reconciles with any breakdown of it (responses = valid + blank + odd).
 */
#ifndef STORE_QUALITY_H
#define STORE_QUALITY_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct store;

struct store_qrow {
	const char	*field;		/* item or dimension key; "" */
	const char	*kind;		/* "valid", "blank", "unrecognised"... */
	const char	*value;		/* the odd value, or "" */
	unsigned long	 count;
	unsigned long	 line;		/* first line in the file, or 0 */
};

/* Adds a row to batch's ledger (adding to the count of an existing row). */
int store_quality_put(struct store *st, int64_t batch_id, int year,
    const struct store_qrow *r, struct diag *d);
/*
 * Rewriting batch's ledger: store_quality_reset zeroes its counts (but for
 * what only the file could tell: repeated response ids), the new counts
 * are then put (keeping each value's first line), and store_quality_prune
 * deletes the rows left at zero.
 */
int store_quality_reset(struct store *st, int64_t batch_id, struct diag *d);
int store_quality_prune(struct store *st, int64_t batch_id, struct diag *d);

struct store_qentry {
	int		 year;
	int64_t		 batch_id;
	const char	*origin;	/* the batch's file or URL */
	const char	*at;		/* when it was imported */
	struct store_qrow r;
};
/*
 * Calls fn for every ledger row of the years [year_from, year_to] (0 = no
 * bound), by year, batch, then field in definition order.  A non-zero
 * return from fn stops the walk and is returned.
 */
int store_quality_each(struct store *st, int year_from, int year_to,
    int (*fn)(const struct store_qentry *e, void *arg), void *arg,
    struct diag *d);
/*
 * Calls fn for each batch (of source source_id, other than except) whose
 * ledger counts a number of responses other than it now holds: a later
 * batch replaced some of them.  Batches without a ledger are left out.
 */
int store_quality_stale(struct store *st, int64_t source_id, int64_t except,
    int (*fn)(int64_t batch_id, void *arg), void *arg, struct diag *d);

struct store_rrow {
	int64_t		 id;		/* the response's row id */
	int64_t		 source_id;
	int64_t		 batch_id;
	int64_t		 qn_id;
	int		 year;
	const char	*rid;
	const char	*raw;		/* JSON array, in its batch's columns */
	const int32_t	*norm;
	size_t		 nnorm;
};

struct store_rfilter {
	int		 year_from, year_to;	/* 0 = no bound */
	int64_t		 source_id;		/* 0 = any */
	int64_t		 batch_id;		/* 0 = any */
};
/*
 * Calls fn for every response the filter selects, in row id order.  Rows
 * are read in chunks and the reading statement is reset before fn sees
 * them, so fn may change the rows (store_resp_renorm).  The row is valid
 * during the call.
 */
int store_resp_each(struct store *st, const struct store_rfilter *f,
    int (*fn)(const struct store_rrow *r, void *arg), void *arg,
    struct diag *d);
/* Sets a response's definition version and normalised codes. */
int store_resp_renorm(struct store *st, int64_t id, int64_t qn_id,
    const int32_t *norm, size_t nnorm, struct diag *d);

/*
 * A batch's columns (JSON array), origin and kind ("csv": columns are the
 * file's header; "api": the definition's field keys), as new strings.
 */
int store_batch_get(struct store *st, int64_t batch_id, char **columns,
    char **origin, char **kind, int64_t *source_id, struct diag *d);
/* A stored definition version's name, year and body, as new strings. */
int store_qn_get(struct store *st, int64_t qn_id, char **name, int *year,
    char **body, struct diag *d);

#endif /* STORE_QUALITY_H */
