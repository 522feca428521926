/* SPDX-License-Identifier: MIT */
/*
 * struct diag: where modules record what went wrong, so that only cli/
 * decides what to print and which exit status to use.
 *
 * Two kinds of record:
 *  - failures (diag_err, diag_env, diag_errno) say why an operation
 *    stopped; each returns -1 so that `return diag_err(d, ...);` reads well.
 *    diag_err marks bad input (exit 1), diag_env the environment: I/O,
 *    database, network, gnuplot (exit 3);
 *  - data diagnostics (diag_at) come from the catalogue in diag_list.h,
 *    carry a location and a severity, and do not stop parsing by themselves.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>

#include "common/diag_list.h"

#define DIAG_ENUM_(code, sev, msg) DIAG_##code,
enum diag_code {
	DIAG_NONE = 0,
	DIAG_LIST(DIAG_ENUM_)
	DIAG_NCODES
};
#undef DIAG_ENUM_

enum diag_sev {
	DIAG_SEV_NOTE = 1,
	DIAG_SEV_WARNING,
	DIAG_SEV_ERROR,
};

enum diag_class {
	DIAG_CLASS_DATA = 1,	/* bad input: exit 1 */
	DIAG_CLASS_ENV = 3,	/* I/O, database, network, gnuplot: exit 3 */
};

/* Where in the input a problem is.  Any field may be 0 / NULL. */
struct loc {
	const char	*file;	/* file name or URL */
	unsigned long	 line;
	unsigned long	 col;
	const char	*path;	/* JSON path such as items[3].scale */
};

struct diag_entry {
	enum diag_code	 code;	/* DIAG_NONE for failures */
	enum diag_sev	 sev;
	enum diag_class	 cls;
	char		*text;	/* the whole line, without "whc: " */
};

struct diag {
	/* Called for each record as it is made; NULL keeps them only. */
	void	(*emit)(const struct diag_entry *, void *arg);
	void	*arg;
	unsigned long	 count[DIAG_SEV_ERROR + 1];	/* by severity */
	unsigned long	 per_code[DIAG_NCODES];
	unsigned long	 limit;		/* records kept per code; 0 = 20 */
	unsigned long	 dropped;	/* records over the limit */
	int		 worst_class;	/* 0, or the worst enum diag_class */
	struct diag_entry *v;		/* kept records, in order */
	size_t		 nr, alloc;
};

#define DIAG_INIT { NULL, NULL, { 0 }, { 0 }, 0, 0, 0, NULL, 0, 0 }

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/* Failures: each returns -1. */
int diag_err(struct diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int diag_env(struct diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Like diag_env, and appends ": strerror(errno)". */
int diag_errno(struct diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A catalogued data diagnostic at loc (which may be NULL).  The text after
 * the catalogue message is optional (fmt may be NULL).  Returns -1 for an
 * error severity and 0 otherwise.
 */
int diag_at(struct diag *d, enum diag_code code, const struct loc *loc,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

enum diag_sev diag_code_sev(enum diag_code code);
const char *diag_code_name(enum diag_code code);
const char *diag_code_msg(enum diag_code code);
const char *diag_sev_name(enum diag_sev sev);

/* Number of error-severity records (failures included). */
unsigned long diag_errors(const struct diag *d);

/* Formats loc as "file:line:col: " or "file: path: " into a new string. */
char *diag_loc_str(const struct loc *loc);

#endif /* DIAG_H */
