/* SPDX-License-Identifier: MIT */
/*
 * collector/collect.h: getting responses into the store, from files
 * exported by hand (CSV) and, later, from providers' export APIs.
 * Included by cli/.
 */
#ifndef COLLECT_H
#define COLLECT_H

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

#endif /* COLLECT_H */
