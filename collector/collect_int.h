/* SPDX-License-Identifier: MIT */
/* Private to collector/: what import and check share. */
#ifndef COLLECT_INT_H
#define COLLECT_INT_H

struct collect_import_stats;
struct diag;
struct qn;
struct qn_tally;

/*
 * Reports each odd value of a file's tally once, with its count and the
 * line it was first seen on (unknown teams with why), to d.
 */
void collect_report_tally(struct qn *q, const struct qn_tally *t,
    const char *path, struct diag *d);
/* Adds a tally's blank, unrecognised, bad-number and unknown-team counts
 * to s. */
void collect_tally_stats(const struct qn *q, const struct qn_tally *t,
    struct collect_import_stats *s);

/*
 * The fast pass of check over the file at path: counts every answer into
 * t and reports the records it cannot count.  Returns 0, 1 when the file
 * must be read by the ordinary reader instead (standard input, a
 * malformed record: t is untouched then), or -1 after an error in d.
 */
int collect_check_fast(struct qn *q, const char *path, int sep,
    struct qn_tally *t, struct diag *d);

#endif /* COLLECT_INT_H */
