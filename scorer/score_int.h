/* SPDX-License-Identifier: MIT */
/*
 * scorer/score_int.h: private to scorer/score_*.c (and the unit tests):
 * the --where filter, and the parts of a breakdown that its files share.
 */
#ifndef SCORE_INT_H
#define SCORE_INT_H

#include <stddef.h>
#include <stdint.h>

struct buf;
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

/* ------------------------------------------------------------------ */
/* A breakdown being computed (score_breakdown.c, score_rows.c, ...). */

#include "common/strmap.h"
#include "scorer/score.h"

struct store;

#define SCORE_MAXBY	3
#define SCORE_MAXKEY	8		/* --by, hierarchy and ledger dims */
#define SCORE_ALL	INT32_MIN	/* a key part meaning every value */
#define SCORE_MAXREL	30		/* ledger releases checked at once */

/* Values kept per atom and row after the categories. */
enum {
	SC_N,			/* valid answers */
	SC_BLANK,
	SC_UNREC,
	SC_SUM,			/* number items: sum of the codes */
	SC_NX
};

/* One definition version used by responses in range. */
struct score_version {
	int64_t		 id;
	int		 year;
	struct qn	*q;
	long		 item;		/* field, or -1 when not asked */
	long		 key[SCORE_MAXKEY]; /* field of each key dim, or -1 */
	struct score_filter *filter;	/* --where, or NULL */
	struct score_filter *rfilter[SCORE_MAXREL]; /* ledger filters */
	long		*field;		/* slot -> field wanted */
	size_t		 nslot, aslot;
	size_t		 item_slot;
	size_t		 key_slot[SCORE_MAXKEY];
	int32_t		*catmap;	/* scale: code + 1 -> column */
	size_t		 ncatmap;
	int		 mapped;	/* counted through compare_as */
};

/* Responses sharing a year, key values and filter results. */
struct score_atom {
	int		 year;
	uint32_t	 mask;		/* bit 0: --where; 1 + j: release j */
	int32_t		 key[SCORE_MAXKEY];
	int64_t		*v;		/* ncat + SC_NX values */
	int32_t		*num;		/* number items: valid codes */
	size_t		 nnum, anum;
};

/* The values of one dimension, by id. */
struct score_dimvals {
	char		*dim;
	char		**text;		/* by id; NULL if not this dim */
	size_t		 n;
};

struct score_ledger;		/* score_ledger.c */

struct bd {
	const struct score_query *qy;
	struct store	*st;
	struct diag	*d;
	struct score_version *v;
	size_t		 nv, av;
	const struct score_version *ref; /* whose scale or number is used */
	const struct score_version *levels; /* where level keys, labels are */
	int		 levels_cmp;	/* ... on its compare_as scale */
	char		**changes;	/* notes on comparing across years */
	size_t		 nchanges, achanges;
	enum score_kind	 kind;
	int		 year_from, year_to;
	size_t		 nlevels;	/* scale levels */
	size_t		 ncat;		/* categories (cells per row) */
	size_t		*lev2cat;	/* level -> category */
	char		**cat_keys, **cat_labels;
	int32_t		 above;		/* number items: the split, x100 */
	/* Key dimensions: --by first, then the hierarchy, then the
	 * ledger's. */
	size_t		 nkey, nby;
	char		*keydim[SCORE_MAXKEY];
	int		 ksvc, kdir;	/* rollup: key of service, directorate,
					   or -1 */
	struct score_dimvals *dv;
	size_t		 ndv, adv;
	struct score_where *where;
	struct score_ledger *lg;
	size_t		 nrfilter;	/* ledger filters in the atoms' mask */
	struct score_atom *atoms;
	size_t		 natoms, aatoms;
	struct strmap	 amap;
	int		 keep_all;	/* atoms failing --where are kept */
	struct score_rowkey *rk;	/* per row of the table built */
	/* The scan's fast path: atoms indexed densely by year, filter
	 * mask and each key's value (see scan_chunk). */
	int32_t		*dense;		/* atom index + 1, or 0 */
	size_t		 ndense;
	int		 dy0, dny;	/* first year, number of years */
	size_t		 dmasks;	/* filter masks indexed (<= 64) */
	uint32_t	 dmask[64];	/* ... which they are, in order seen */
	size_t		 ndmask;
	uint32_t	*dlocal[SCORE_MAXKEY]; /* value id -> 1 + local index */
	size_t		 dnid[SCORE_MAXKEY], dcard[SCORE_MAXKEY];
};

/* What a row of the table counts: atoms of its year matching key. */
struct score_rowkey {
	int		 year;
	int32_t		 key[SCORE_MAXKEY];	/* SCORE_ALL: any value */
};

/* What the ledger needs of a table beyond its public fields. */
struct score_priv {
	size_t		 nkey;		/* the table's key dimensions */
	char		*keydim[SCORE_MAXKEY];
	struct score_rowkey *rk;	/* per row */
	char		*groups;	/* category keys, '|'-separated */
	char		*options;	/* "above=X" for split numbers */
};

/* The dimension values of dim (loaded once); NULL after an error. */
const struct score_dimvals *score_dimvals_get(struct bd *b, const char *dim);
/* The label of value id of dim: its text, or "(not stated)". */
const char *score_value_label(struct bd *b, const char *dim, int32_t id);
/* Adds a key dimension (once); returns its index, or -1 if full. */
int score_key_add(struct bd *b, const char *dim);
/* Binds a filter to version v (its fields become slots of v). */
struct score_filter *score_bind_version(struct bd *b,
    struct score_version *v, const struct score_where *w);

/*
 * score_rows.c: the table's rows and relations from the atoms (and
 * b->rk, each row's key, in the same order).
 */
struct score_table *score_rows_build(struct bd *b);
/* Does atom a count in a row with key rk (and filter bit)? */
int score_atom_in(const struct score_atom *a, const struct score_rowkey *rk,
    size_t nkey, unsigned bit);

/* score_suppress.c: the two halves of score_suppress(). */
void score_suppress_primary(struct score_table *t);
void score_suppress_complete(struct score_table *t);

/*
 * score_changes.c.  When the item's scale differs between versions (differ
 * is one whose scale differs from b->ref's): finds a scale all of them can
 * be counted on through compare_as, sets b->levels and each version's
 * mapped; returns 0, or -1 with the reason in b->d.
 */
int score_scales_map(struct bd *b, const struct score_version *differ);
/* The key and label of level l of the table's scale (see b->levels). */
const char *score_level_key(const struct bd *b, size_t l);
const char *score_level_label(const struct bd *b, size_t l);
/* A code of version v's item on the table's scale. */
int32_t score_level_code(const struct score_version *v, int32_t code);
/*
 * Appends category c's key as the release ledger knows it: with "+KEY" for
 * each level of a version counted into it through compare_as under another
 * key ("often+always"), so that it is compared with a release that kept
 * them apart.
 */
void score_cat_ledger_key(const struct bd *b, size_t c, struct buf *g);
/* Sets t->changes: what changed across the years shown (see score.h). */
void score_changes_note(struct bd *b, struct score_table *t);

/* score_tests.c: intervals, year-on-year and chi-square tests. */
void score_tests_apply(struct score_table *t, const struct score_query *q);

/* score_ledger.c */
int score_ledger_load(struct bd *b);
int score_ledger_bind(struct bd *b);
int score_ledger_apply(struct bd *b, struct score_table *t);
void score_ledger_free(struct score_ledger *lg);

/* score_format.c: shared by the writers (score_doc.c). */
const char *score_supp_name(enum score_supp s);
const char *score_mark(enum score_supp s);
const char *score_row_kind_name(enum score_row_kind k);
const char *score_verdict_name(enum score_verdict v);
void score_notes(const struct score_table *t, struct buf *n);
const struct score_test *score_change_into(const struct score_table *t,
    size_t row, size_t cat);
int score_has_changes(const struct score_table *t);
void score_write_md(const struct score_table *t, struct buf *out);
void score_write_html(const struct score_table *t, struct buf *out);

#endif /* SCORE_INT_H */
