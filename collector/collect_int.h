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

#endif /* COLLECT_INT_H */
