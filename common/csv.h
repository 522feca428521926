/* SPDX-License-Identifier: MIT */
/*
 * A streaming RFC 4180 CSV reader for files exported by hand: quoted
 * fields with embedded separators, quotes and newlines; a UTF-8 BOM; CRLF,
 * LF or lone CR line ends; Excel's ';' separator (detected from the header
 * line, or given).  Memory use is bounded by the longest record.
 *
 * Syntax errors are recorded in the diag as CSV_SYNTAX with file:line:col;
 * the reader then skips to the end of that record and carries on, so one
 * pass reports every bad row.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

struct diag;
struct csv;			/* opaque reader */

struct csv_rec {
	size_t		 nf;	/* number of fields */
	char		**f;	/* NUL-terminated fields (owned by the reader) */
	size_t		*len;	/* their lengths (fields may hold NUL bytes) */
	unsigned long	 line;	/* line on which the record starts */
	int		 bad;	/* 1 if a syntax error was found in it */
};

/*
 * Opens path ("-" for stdin).  sep is ',', ';', '\t' or 0 to detect it from
 * the first line.  Returns NULL after recording the failure in d.
 */
struct csv *csv_open(const char *path, int sep, struct diag *d);
/*
 * Reads the next record into r, valid until the next call.  Returns 1 for a
 * record, 0 at the end, -1 on an I/O error (recorded in d).  Records with a
 * syntax error are returned with r->bad set, after the error was recorded.
 */
int csv_next(struct csv *c, struct csv_rec *r);
/*
 * Guesses the separator from the first line of text[0..n): the most
 * frequent of , ; TAB outside quotes, ',' on a tie or when none occurs.
 */
int csv_detect_sep(const char *text, size_t n);
/* The separator in use (after detection). */
int csv_sep(const struct csv *c);
/* Stops hashing what is read (for a reader that needs no SHA-256). */
void csv_no_hash(struct csv *c);
/* The SHA-256 of every byte read so far, as 64 hex digits into hex[65]. */
void csv_sha256(struct csv *c, char hex[65]);
/* Bytes read so far. */
unsigned long long csv_bytes(const struct csv *c);
void csv_close(struct csv *c);

#endif /* CSV_H */
