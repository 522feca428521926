/* SPDX-License-Identifier: MIT */
/*
 * scorer/score_int.h: private to scorer/score_*.c (and the unit tests):
 * the --where filter, and the parts of a breakdown that its files share.
 */
#ifndef SCORE_INT_H
#define SCORE_INT_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct qn;

/* ------------------------------------------------------------------ */
/* The --where filter (score_where.c). */

struct score_where;		/* the parsed text */
struct score_filter;		/* bound to one definition version */

/*
 * Parses a filter.  Returns NULL after recording a located error
 * ("--where:1:COL: error: ...", the text, a caret) in d.
 */
struct score_where *score_where_parse(const char *text, struct diag *d);
void score_where_free(struct score_where *w);
const char *score_where_text(const struct score_where *w);

/* What binding a filter to one definition version needs. */
struct score_bind {
	const struct qn	*q;
	int		 year;		/* of the definition, for messages */
	/* The column slot through which field f will be seen. */
	size_t		(*slot)(void *arg, long f);
	/*
	 * The values of dimension dim: texts indexed by value id (NULL
	 * where an id is not of this dimension), *n ids.  -1 on error.
	 */
	int		(*dimvals)(void *arg, const char *dim,
			    const char *const **texts, size_t *n);
	void		*arg;
	struct diag	*d;
};

/* Binds w to b->q; NULL after a located error (unknown field, level...). */
struct score_filter *score_where_bind(const struct score_where *w,
    const struct score_bind *b);
void score_filter_free(struct score_filter *f);
/* Does response row of a chunk pass?  cols[slot] are the columns. */
int score_filter_eval(const struct score_filter *f,
    const int32_t *const *cols, size_t row, int year);

#endif /* SCORE_INT_H */
