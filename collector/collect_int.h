/* SPDX-License-Identifier: MIT */
/*
 * Private to collector/: ingesting one response (shared by CSV import and
 * the provider drivers).  The collection machinery itself (transport,
 * drivers) is declared in collector/coll.h.
 */
#ifndef COLLECT_INT_H
#define COLLECT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/strmap.h"

struct collect_stats;
struct qn;
struct store;

/* One distinct odd value (unrecognised answer, unknown team). */
struct ingest_odd {
	char		*field;		/* item key or "team" */
	char		*value;
	unsigned long	 count;
	size_t		 seq;		/* order of first appearance */
	char		*file;		/* where first seen */
	unsigned long	 line;
	char		*path;
	enum diag_code	 code;
};

struct ingest {
	struct store	*st;
	struct qn	*q;
	struct diag	*d;
	struct collect_stats *s;
	size_t		 nf;		/* definition fields */
	int32_t		*norm;
	int64_t		 source_id, qn_id, batch_id;	/* set by the caller */
	struct strmap	 dimvals;	/* "dim\037value" -> id */
	struct strmap	 oddmap;	/* "field\037value" -> index in odd */
	struct ingest_odd *odd;
	size_t		 nodd, aodd;
	struct buf	 tmp, key;
};

void ingest_init(struct ingest *in, struct store *st, struct qn *q,
    struct collect_stats *s, struct diag *d);
void ingest_release(struct ingest *in);
/*
 * Normalises one response, whose field i (in definition order) has the raw
 * text val[i][0..len[i]) (val[i] may be NULL: blank), and upserts it with
 * its raw answers (a JSON array) under in->source_id, in->qn_id and
 * in->batch_id.  Odd answers are counted and remembered with loc (their
 * first place).  Must run inside a store transaction.  Returns 0, or -1
 * when the store failed.
 */
int ingest_put(struct ingest *in, const char *rid, const char *modified,
    const char *const *val, const size_t *len, const char *raw,
    const struct loc *loc);
/* Reports each distinct odd answer once, most frequent first. */
void ingest_report(struct ingest *in);

#endif /* COLLECT_INT_H */
