/* SPDX-License-Identifier: MIT */
/*
 * The collector's part of the store: per-source collection state (what the
 * cursor belongs to, the driver's cursor, a cache of the survey's
 * structure) and the raw archive of every page received from a provider.
 * Writers call these inside store_begin()/store_commit(), so a page's
 * archive, its responses and the cursor that follows it commit together.
 */
#ifndef STORE_COLLECT_H
#define STORE_COLLECT_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct store;

struct store_cstate {
	char		*ident;		/* provider, base URL and survey */
	char		*cursor;	/* the driver's cursor (JSON) */
	char		*meta;		/* the driver's cache (JSON), or "" */
};

/*
 * Reads the state of source_id into *cs (strings the caller frees with
 * store_cstate_release); *found is 0, and *cs left empty, when the source
 * has never been collected.  Returns 0 or -1.
 */
int store_cstate_get(struct store *st, int64_t source_id,
    struct store_cstate *cs, int *found, struct diag *d);
/* Inserts or replaces the state of source_id.  Returns 0 or -1. */
int store_cstate_put(struct store *st, int64_t source_id,
    const struct store_cstate *cs, struct diag *d);
void store_cstate_release(struct store_cstate *cs);

struct store_page {
	int64_t		 source_id;
	const char	*method;	/* "GET", "POST" */
	const char	*url;		/* with credentials removed */
	long		 status;	/* HTTP status */
	const char	*at;		/* when received, ISO 8601 UTC */
	const char	*sha;		/* SHA-256 of the body, 64 hex digits */
	const void	*body;
	size_t		 len;
};
/*
 * Archives one page received (the body is stored once per SHA-256).
 * Returns 0 or -1.
 */
int store_page_add(struct store *st, const struct store_page *p,
    struct diag *d);

#endif /* STORE_COLLECT_H */
