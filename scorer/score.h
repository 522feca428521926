/* SPDX-License-Identifier: MIT */
/*
 * scorer/score.h: breakdowns of one item by a dimension, with disclosure
 * control applied.  Included by cli/ and reports/.
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
struct store;

enum score_supp {
	SCORE_SHOWN = 0,
	SCORE_PRIMARY,		/* rests on fewer than k respondents */
	SCORE_SECONDARY,	/* hidden so a primary one cannot be recovered */
};

struct score_cell {
	unsigned long	 count;	/* 0 when suppressed */
	double		 pct;	/* 0..100 of the row's n; 0 when suppressed */
	enum score_supp	 supp;
};

struct score_row {
	char		*label;		/* the group (team name), or "All teams" */
	int		 year;
	int		 total;		/* 1 for the all-groups row of a year */
	unsigned long	 responses;	/* n + blank + unrecognised */
	unsigned long	 n;		/* valid answers: the denominator */
	unsigned long	 blank;
	unsigned long	 unrecognised;
	enum score_supp	 supp;		/* whole row hidden (n < k) */
	struct score_cell *cells;	/* nlevels of them, in scale order */
};

struct score_table {
	char		*item;		/* item key, e.g. "stress" */
	char		*item_text;	/* question wording of the latest year */
	char		*by;		/* dimension key, e.g. "team" */
	char		*by_label;	/* e.g. "Team" */
	int		 k;		/* disclosure threshold used */
	int		 year_from, year_to;
	size_t		 nlevels;
	char		**level_keys;	/* "never", ... in scale order */
	char		**level_labels;	/* "Never", ... */
	size_t		 nrows;
	struct score_row *rows;		/* by group then year; totals last */
	unsigned long	 nsupp_primary, nsupp_secondary;
	/*
	 * What a reader must know to compare across the years shown: a
	 * changed answer scale (and how its levels were mapped), a reworded
	 * question, teams renamed, merged or split.  Sentences; every
	 * output format prints them.
	 */
	char		**notes;
	size_t		 nnotes;
};

struct score_query {
	const char	*item;		/* item key */
	const char	*by;		/* dimension key; "team" by default */
	int		 year_from;	/* 0 = earliest stored */
	int		 year_to;	/* 0 = latest stored */
	int		 k;		/* disclosure threshold, >= 1 */
};

/*
 * Computes the breakdown of q->item by q->by over the stored responses
 * and applies primary and complementary suppression.  On success stores a
 * new table in *out (free with score_table_free) and returns 0; on failure
 * records why in d (unknown item or dimension: data class) and returns -1.
 */
int score_breakdown(struct store *st, const struct score_query *q,
    struct score_table **out, struct diag *d);
void score_table_free(struct score_table *t);

/*
 * Applies primary suppression (count < k, row n < k) and complementary
 * suppression along rows and within each year's column of groups to t.
 * Exposed for unit tests; score_breakdown() calls it.
 */
void score_suppress(struct score_table *t);

/* Output formats; each appends to out. */
enum score_format {
	SCORE_FMT_CSV,
	SCORE_FMT_JSON,
	SCORE_FMT_MD,
};

/* Parses "csv", "json" or "md"; returns -1 for anything else. */
int score_format_parse(const char *name, enum score_format *fmt);
void score_table_write(const struct score_table *t, enum score_format fmt,
    struct buf *out);

#endif /* SCORE_H */
