/* SPDX-License-Identifier: MIT */
/*
 * collector/collect.h: getting responses into the store, from files
 * exported by hand (CSV) and from providers' export APIs (SurveyMonkey,
 * SmartSurvey, Qualtrics, LimeSurvey, Typeform).  Included by cli/.
 */
#ifndef COLLECT_H
#define COLLECT_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct diag;
struct qn;
struct store;

struct collect_import_opts {
	const char	*source;	/* source name; NULL = "file:<qn id>" */
	int		 sep;		/* ',', ';', '\t', or 0 to detect */
	/* Called now and then on long files; may be NULL. */
	void		(*progress)(unsigned long rows,
			    unsigned long long bytes, void *arg);
	void		*arg;
};

/* What an import or a collection did, per file or per source. */
struct collect_stats {
	unsigned long	 rows;		/* responses read */
	unsigned long	 answers;	/* answers normalised (check) */
	unsigned long	 changed;	/* inserted or replaced */
	unsigned long	 unchanged;	/* already stored as they are */
	unsigned long	 blank;		/* blank answers */
	unsigned long	 unrecognised;	/* answers matching no level */
	unsigned long	 bad_numbers;	/* not a number, or out of range */
	unsigned long	 unknown_teams;	/* responses with an unknown team */
	int		 already;	/* this file was imported before */
};

/*
 * Imports one CSV file, normalised against definition q, in one
 * transaction: on any error in the file nothing is stored.  Every bad row
 * is reported (with its line) before giving up.  Re-importing a file
 * changes nothing.  Returns 0, or -1 with the reasons in d.
 */
int collect_import_csv(struct store *st, struct qn *q, const char *path,
    const struct collect_import_opts *o, struct collect_stats *s,
    struct diag *d);

struct collect_check_opts {
	int		 sep;		/* ',', ';', '\t', or 0 to detect */
	int		 slow;		/* only the ordinary reader (tests) */
};

/*
 * Checks a CSV export against definition q as an import would read it,
 * writing nothing: malformed records, missing columns, rows without an
 * id, repeated ids, and every odd answer (once, with its count) go to d.
 * s gets the counts.  Returns 0 when the file could be read to its end
 * (its problems are in d), -1 when it could not.
 */
int collect_check_csv(struct qn *q, const char *path,
    const struct collect_check_opts *o, struct collect_stats *s,
    struct diag *d);

struct collect_renorm_opts {
	int		 year_from, year_to;	/* 0 = no bound */
	const char	*dirs;		/* where the definitions are now */
	int		 dry_run;	/* work it out, change nothing */
};

struct collect_renorm_stats {
	unsigned long	 responses;	/* looked at */
	unsigned long	 changed;	/* whose codes or version changed */
	unsigned long	 ledgers;	/* batches whose ledger was rewritten */
	char		**lines;	/* per definition: what changed */
	size_t		 nlines, alines;
};

/*
 * Re-derives the normalised codes of the stored responses of the years
 * [year_from, year_to] from their raw answers, with the current file of
 * each one's definition (found by name in dirs) and its team map, in one
 * transaction: a response changes only when a code (or the definition
 * version) does.  Each batch's data-quality ledger is rewritten (so
 * batches imported before the ledger existed get one).  Nothing is
 * fetched or read again.  Returns 0, or -1 with the reason in d (nothing
 * changed then).
 */
int collect_renormalise(struct store *st, const struct collect_renorm_opts *o,
    struct collect_renorm_stats *s, struct diag *d);
void collect_renorm_stats_release(struct collect_renorm_stats *s);

/*
 * Rewrites batch_id's data-quality ledger from the responses it holds now
 * (inside the caller's transaction): after a later batch replaced some.
 */
int collect_ledger_rebuild(struct store *st, int64_t batch_id,
    struct diag *d);

/* Where a collection is, for a progress line. */
struct collect_progress {
	const char	*source;
	unsigned long	 pages;		/* pages stored */
	unsigned long	 requests;	/* HTTP requests made */
	unsigned long	 responses;	/* responses received */
	unsigned long	 total;		/* announced by the provider, or 0 */
	double		 elapsed;	/* seconds */
};

/* What one source's collection did. */
struct collect_summary {
	const char	*source;
	const char	*provider;
	const char	*qn;		/* the definition's id, or NULL */
	int		 year;
	const struct collect_stats *stats;
	unsigned long	 pages, requests;
	double		 elapsed;
	int		 ok;		/* 0 when it gave up (see the diag) */
};

struct collect_opts {
	char *const	*sources;	/* --source names; none = every one */
	size_t		 nsources;
	/* Each may be NULL. */
	void		(*progress)(const struct collect_progress *p,
			    void *arg);
	void		(*log)(const char *line, void *arg);	/* verbose */
	void		(*done)(const struct collect_summary *s, void *arg);
	void		*arg;
};

/* Sets up and tears down libcurl; called once, by cli/ (collect only). */
int collect_global_init(struct diag *d);
void collect_global_cleanup(void);

/*
 * Checks, before any store is opened, that every --source in o is
 * configured and that there is one at all; 0, or -1 with the reasons in d.
 */
int collect_sources_check(const struct config *cfg,
    const struct collect_opts *o, struct diag *d);
/*
 * Collects every source of the config ([source "NAME"] sections), or
 * those named in o, into the store: new and changed responses only, each
 * page with its raw body and the source's cursor in one transaction.
 * Definitions are found in the ':'-separated qn_dirs.  A source that fails
 * is reported in d (with its URL and status) and the others still run.
 * Returns 0 when every source succeeded, -1 otherwise.
 */
int collect_sources(struct store *st, const struct config *cfg,
    const char *qn_dirs, const struct collect_opts *o, struct diag *d);

#endif /* COLLECT_H */
