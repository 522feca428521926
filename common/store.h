/* SPDX-License-Identifier: MIT */
/*
 * The store: one SQLite file holding sources, questionnaire definitions (a
 * row per version), import batches (the audit trail), interned dimension
 * values and responses.  Only common/store*.c include sqlite3.h; everything
 * else goes through this API.
 *
 * A response is keyed by (source, response id): putting it again stores it
 * once, and a newer version (later `modified`, or the same stamp with other
 * content or another definition version) replaces the older.  Its raw
 * answers are kept as a JSON array in the order of its batch's columns, and
 * its normalised answers as a packed array of int32 (see scorer/ and
 * questionnaires/qn.h for the encoding).  Writers wrap their work in
 * store_begin()/store_commit(); store_rollback() undoes everything since
 * store_begin().
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct store;			/* opaque: wraps sqlite3 and its statements */

enum store_flags {
	STORE_RO	= 1 << 0,	/* read-only; the file must exist */
	STORE_RW	= 1 << 1,	/* read-write; created if missing */
	STORE_EXISTING	= 1 << 2,	/* with STORE_RW: the file must exist */
};

/* Opens (and for STORE_RW creates and migrates) the store at path. */
struct store *store_open(const char *path, unsigned flags, struct diag *d);
void store_close(struct store *st);
const char *store_path(const struct store *st);
/* The schema version the file is at. */
int store_schema_version(struct store *st);

int store_begin(struct store *st, struct diag *d);
int store_commit(struct store *st, struct diag *d);
void store_rollback(struct store *st);

/* Finds or creates the source called name; its row id goes to *id. */
int store_source_id(struct store *st, const char *name, const char *provider,
    int64_t *id, struct diag *d);

/*
 * Stores a questionnaire definition version (name, year, sha256 of body,
 * the JSON body) unless one with that sha256 exists; *id gets its row id.
 */
int store_qn_put(struct store *st, const char *name, int year,
    const char *sha, const char *body, int64_t *id, struct diag *d);

struct store_qn {
	int64_t		 id;
	const char	*name;
	int		 year;
	const char	*body;		/* the definition's JSON text */
};
/*
 * Calls fn for each definition version that responses in [year_from,
 * year_to] use (0 = no bound), ordered by year then id.  A non-zero return
 * from fn stops the walk and is returned.
 */
int store_qn_each(struct store *st, int year_from, int year_to,
    int (*fn)(const struct store_qn *q, void *arg), void *arg,
    struct diag *d);

/* Sets *found when a batch of this source with this sha256 exists. */
int store_batch_seen(struct store *st, int64_t source_id, const char *sha,
    int *found, struct diag *d);

struct store_batch {
	int64_t		 source_id;
	const char	*kind;		/* "csv", "api" */
	const char	*origin;	/* file path or URL (no secrets) */
	const char	*sha;		/* sha256 of the content */
	const char	*columns;	/* JSON array of column names */
	unsigned long	 rows;
	unsigned long	 changed;	/* responses inserted or replaced */
};
/* Records a batch; *id gets its row id. */
int store_batch_add(struct store *st, const struct store_batch *b,
    int64_t *id, struct diag *d);
/* Sets a batch's content hash and counts once its rows are in. */
int store_batch_done(struct store *st, int64_t id, const char *sha,
    unsigned long rows, unsigned long changed, struct diag *d);

/* Finds or creates the interned value (dim, value); 0 is never an id. */
int store_dimval_id(struct store *st, const char *dim, const char *value,
    int64_t *id, struct diag *d);
/* Calls fn for every interned value of dim. */
int store_dimval_each(struct store *st, const char *dim,
    int (*fn)(int64_t id, const char *value, void *arg), void *arg,
    struct diag *d);

struct store_resp {
	int64_t		 source_id;
	const char	*rid;		/* provider's response id */
	int		 year;
	int64_t		 qn_id;		/* definition version used */
	const char	*modified;	/* "" when unknown */
	int64_t		 batch_id;
	const char	*raw;		/* JSON array of raw answers */
	const int32_t	*norm;		/* normalised codes */
	size_t		 nnorm;
};
/*
 * Inserts or replaces a response.  *changed is set to 1 when the store
 * changed (new, or a newer version), 0 when the stored one was kept.
 */
int store_resp_put(struct store *st, const struct store_resp *r,
    int *changed, struct diag *d);

/* Number of responses stored. */
int store_resp_count(struct store *st, unsigned long *n, struct diag *d);
/* Earliest and latest survey year stored (0, 0 when empty). */
int store_year_range(struct store *st, int *from, int *to, struct diag *d);

/*
 * Calls fn for every response in [year_from, year_to] (0 = no bound) with
 * its year, definition version and normalised codes (valid during the call).
 */
int store_resp_scan(struct store *st, int year_from, int year_to,
    int (*fn)(int year, int64_t qn_id, const int32_t *norm, size_t nnorm,
    void *arg), void *arg, struct diag *d);

#endif /* STORE_H */
