/* SPDX-License-Identifier: MIT */
/*
 * common/store_release.h: the release ledger, a record of every table
 * published from the store (schema migration 2).  Included by scorer/.
 *
 * A release is the request that made it (command line, item, years,
 * dimensions, filter, categories, k, the analyst's note) and its rows:
 * each row's population (a key naming the dimension values it counts,
 * and its years) and the values published, with -1 for a withheld one.
 * The scorer reads releases back to refuse or suppress what could be
 * worked out by difference with them.
 */
#ifndef STORE_RELEASE_H
#define STORE_RELEASE_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct store;

struct store_release {
	int64_t		 id;		/* set by store_release_add */
	const char	*at;		/* UTC time; set by the store */
	const char	*command;	/* the command line, as run */
	const char	*note;		/* --note, or "" */
	const char	*item;
	const char	*kind;		/* "scale" or "number" */
	int		 year_from, year_to;
	const char	*by;		/* key dimensions, comma-separated */
	const char	*filter;	/* --where text, or "" */
	const char	*groups;	/* category keys, '|'-separated */
	const char	*options;	/* other settings, e.g. "above=45" */
	int		 k;
	const char	*population;	/* who was counted, in words */
	unsigned long	 shown, withheld;	/* values */
};

struct store_release_row {
	const char	*key;		/* "dim=id;dim=id" (sorted), "" = all */
	const char	*label;
	int		 year_from, year_to;
	const int64_t	*vals;		/* responses, n, blank, unrecognised,
					   then each category; -1 withheld */
	size_t		 nvals;
};

/* Records a release and its rows in one transaction; *id gets its id. */
int store_release_add(struct store *st, const struct store_release *r,
    const struct store_release_row *rows, size_t nrows, int64_t *id,
    struct diag *d);

/*
 * Calls fn for each release of item (NULL: every item) whose years meet
 * [year_from, year_to] (0 = no bound), newest first.  A non-zero return
 * from fn stops the walk and is returned.
 */
int store_release_each(struct store *st, const char *item, int year_from,
    int year_to, int (*fn)(const struct store_release *r, void *arg),
    void *arg, struct diag *d);

/* Calls fn for each row of release id, in order. */
int store_release_rows(struct store *st, int64_t id,
    int (*fn)(const struct store_release_row *row, void *arg), void *arg,
    struct diag *d);

#endif /* STORE_RELEASE_H */
