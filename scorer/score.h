/* SPDX-License-Identifier: MIT */
/*
 * scorer/score.h: breakdowns of one item by up to three dimensions, with
 * statistics and disclosure control applied.  Included by cli/ and
 * reports/.
 *
 * A struct score_table is a plain value with documented fields: reports/
 * reads it, only scorer/ builds or changes it.  Percentages use the row's
 * valid n (answers that matched a level) as denominator.  Suppression is
 * already applied when a table is returned: a suppressed cell's count and
 * pct must never be shown (they are zeroed), only its mark.
 */
#ifndef SCORE_H
#define SCORE_H

#include <stddef.h>

struct buf;
struct diag;
struct score_priv;
struct store;

enum score_supp {
	SCORE_SHOWN = 0,
	SCORE_PRIMARY,		/* rests on fewer than k respondents */
	SCORE_SECONDARY,	/* hidden so a primary one cannot be recovered */
	SCORE_LEDGER,		/* would reveal fewer than k respondents by
				   difference with an earlier release */
};

enum score_kind {
	SCORE_SCALE,		/* cells are the (grouped) levels */
	SCORE_NUMBER,		/* statistics of a number; cells split it at
				   --above when given */
};

/* What a row is in the table's structure. */
enum score_row_kind {
	SCORE_ROW_GROUP,	/* one value of every --by dimension */
	SCORE_ROW_MARGIN,	/* all values of some --by dimensions */
	SCORE_ROW_SERVICE,	/* --rollup: a service (its teams summed) */
	SCORE_ROW_DIRECTORATE,	/* --rollup: a directorate */
	SCORE_ROW_TOTAL,	/* everything of a year (total == 1) */
};

struct score_cell {
	unsigned long	 count;	/* 0 when suppressed */
	double		 pct;	/* 0..100 of the row's n; 0 when suppressed */
	enum score_supp	 supp;
	double		 lo, hi; /* the pct's confidence interval (percent);
				   0 when suppressed */
};

/* Number items: the statistics of a row's valid answers. */
struct score_num {
	double		 mean, median, q1, q3, min, max;
	int		 minmax_hidden;	/* min and max withheld: a part of
					   this row is (see README) */
	/* Added for reports (issue 6); zero when a row is withheld. */
	double		 sd;		/* sample standard deviation */
	int		 mean_ci;	/* mean_lo/hi set (n >= 2) */
	double		 mean_lo, mean_hi; /* t interval at the table's
					   confidence level */
	int		 median_ci;	/* median_lo/hi set: enough answers
					   for a distribution-free interval
					   that does not rest on the
					   extremes */
	double		 median_lo, median_hi;
};

struct score_row {
	char		*label;		/* the group (team name), or "All teams" */
	int		 year;
	int		 total;		/* 1 for the all-groups row of a year */
	unsigned long	 responses;	/* n + blank + unrecognised */
	unsigned long	 n;		/* valid answers: the denominator */
	unsigned long	 blank;
	unsigned long	 unrecognised;	/* numbers: not a number or out of
					   range */
	enum score_supp	 supp;		/* whole row hidden (n < k) */
	struct score_cell *cells;	/* nlevels of them, in scale order */
	/* Added with JSON version 2; zero in tables built by hand. */
	enum score_row_kind kind;
	char		**values;	/* nby: each --by dimension's value, or
					   NULL for all of them; NULL when
					   nby is 0 */
	char		*parent;	/* --rollup: the service or directorate
					   above, or NULL */
	unsigned long	 headcount;	/* from the HR file; 0 = unknown */
	struct score_num num;		/* SCORE_NUMBER tables */
	char		*why;		/* why SCORE_LEDGER marks were set */
};

/*
 * parent = the sum of its children, value by value (n, blank,
 * unrecognised and every cell): what disclosure control protects.
 */
struct score_rel {
	size_t		 parent;
	size_t		*child;
	size_t		 nchild;
};

enum score_test_kind {
	SCORE_TEST_CHANGE,	/* a category between two years of a row */
	SCORE_TEST_CHISQ,	/* groups x categories in one year */
};

enum score_verdict {
	SCORE_SIGNIFICANT,
	SCORE_NOT_SIGNIFICANT,
	SCORE_NOT_TESTED,	/* see why_not */
};

struct score_test {
	enum score_test_kind kind;
	size_t		 row_from, row_to; /* CHANGE: earlier, later row */
	size_t		 cat;		/* CHANGE: the category */
	int		 year;		/* CHISQ */
	double		 diff, lo, hi;	/* CHANGE: points, Newcombe interval */
	double		 stat;		/* z or X^2 */
	unsigned	 df;		/* CHISQ */
	size_t		 ngroups;	/* CHISQ: rows in the test */
	double		 p, p_adj;	/* p_adj: Holm or BH over the family */
	enum score_verdict verdict;
	const char	*why_not;	/* NOT_TESTED: a static phrase */
};

enum score_adjust_method {
	SCORE_ADJ_HOLM,
	SCORE_ADJ_BH,
};

struct score_table {
	char		*item;		/* item key, e.g. "stress" */
	char		*item_text;	/* question wording of the latest year */
	char		*by;		/* --by as given, e.g. "team,role" */
	char		*by_label;	/* e.g. "Team, Role" */
	int		 k;		/* disclosure threshold used */
	int		 year_from, year_to;
	size_t		 nlevels;	/* cells per row */
	char		**level_keys;	/* "never", ... in scale order */
	char		**level_labels;	/* "Never", ... */
	size_t		 nrows;
	struct score_row *rows;		/* by group then year; totals last */
	unsigned long	 nsupp_primary, nsupp_secondary;
	/* Added with JSON version 2; zero in tables built by hand. */
	enum score_kind	 kind;
	size_t		 nby;		/* --by dimensions (0: totals only) */
	char		**by_keys, **by_labels;
	char		*where;		/* the filter, or NULL */
	char		*population;	/* who is counted, in words */
	int		 rollup;	/* service and directorate rows */
	double		 above;		/* SCORE_NUMBER with cells: the split */
	double		 conf;		/* confidence level, e.g. 0.95 */
	int		 fpc;		/* some interval used a headcount */
	char		*fpc_source;	/* the HR file */
	struct score_rel *rels;		/* the additive structure */
	size_t		 nrels;
	unsigned long	 nsupp_ledger;
	unsigned long	 audit_skipped;	/* blocks too big for the exact
					   audit (see score_suppress.c) */
	char		**reasons;	/* why SCORE_LEDGER marks were set */
	size_t		 nreasons;
	struct score_test *tests;
	size_t		 ntests;
	size_t		 family;	/* tests actually run (adjusted over) */
	enum score_adjust_method adjust;
	int		 min_test_n;
	int		 internal;	/* not for release: not in the ledger */
	long		 release;	/* its id in the ledger, or 0 */
	/*
	 * What a reader must know to compare across the years shown: a
	 * changed answer scale (and how its levels were mapped), a reworded
	 * question, years it was not asked, teams renamed, merged or split.
	 * Sentences; every output format prints them.
	 */
	char		**changes;
	size_t		 nchanges;
	struct score_priv *priv;	/* private to scorer/ */
};

/* One team's headcount in one year, from an HR extract. */
struct score_headcount {
	char		*team;
	int		 year;
	unsigned long	 headcount;
};

struct score_query {
	const char	*item;		/* item key */
	const char	*by;		/* dimension keys, comma-separated, up
					   to 3 ("year" is always a row key);
					   NULL = "team" */
	int		 year_from;	/* 0 = earliest stored */
	int		 year_to;	/* 0 = latest stored */
	int		 k;		/* disclosure threshold, >= 1 */
	/* Later fields: zero means the default. */
	const char	*where;		/* filter (see README), or NULL */
	const char	*const *groups;	/* level lists merged into one
					   category each ("never,rarely") */
	size_t		 ngroups;
	int		 has_above;	/* number items: split at above */
	double		 above;
	int		 rollup;	/* add service and directorate rows */
	double		 conf;		/* confidence level; 0 = 0.95 */
	int		 change;	/* year-on-year tests */
	int		 chisq;		/* chi-square test per year */
	enum score_adjust_method adjust;
	int		 min_test_n;	/* 0 = 30 */
	const struct score_headcount *headcount;
	size_t		 nheadcount;
	const char	*headcount_source;
	int		 internal;	/* skip the release ledger */
};

/*
 * Computes the breakdown of q->item by q->by over the stored responses,
 * applies primary and complementary suppression and, unless q->internal,
 * the release ledger's checks.  On success stores a new table in *out
 * (free with score_table_free) and returns 0; on failure records why in d
 * (unknown item or dimension, a bad filter, a request the ledger refuses:
 * data class) and returns -1.
 */
int score_breakdown(struct store *st, const struct score_query *q,
    struct score_table **out, struct diag *d);
void score_table_free(struct score_table *t);

/*
 * Applies primary suppression (count < k, row n < k) and complementary
 * suppression along t->rels (or, when there are none, within each year's
 * column of groups under its total row) to t.  Exposed for unit tests;
 * score_breakdown() calls it.
 */
void score_suppress(struct score_table *t);

/*
 * Records t in the release ledger (unless t->internal) with the command
 * line and the analyst's note; sets t->release.
 */
int score_release(struct store *st, struct score_table *t,
    const char *command, const char *note, struct diag *d);

/* Output formats; each appends to out. */
enum score_format {
	SCORE_FMT_CSV,
	SCORE_FMT_JSON,
	SCORE_FMT_MD,
	SCORE_FMT_HTML,
};

/* Parses "csv", "json", "md" or "html"; returns -1 for anything else. */
int score_format_parse(const char *name, enum score_format *fmt);
void score_table_write(const struct score_table *t, enum score_format fmt,
    struct buf *out);

/*
 * Reads an HR extract: CSV with a header naming the columns team, year
 * and headcount (in any order; more columns are ignored).  *out gets a
 * new array (free with score_headcount_free).  Errors are located
 * (file:line).
 */
int score_headcount_load(const char *path, struct score_headcount **out,
    size_t *n, struct diag *d);
void score_headcount_free(struct score_headcount *h, size_t n);

/* Writes the release ledger as a table (fmt: md, csv or json). */
int score_releases_write(struct store *st, enum score_format fmt,
    struct buf *out, struct diag *d);

#endif /* SCORE_H */
