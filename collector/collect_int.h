/* SPDX-License-Identifier: MIT */
/*
 * Private to collector/: ingesting one response (shared by CSV import and
 * the provider drivers), what import and check share, and the machinery
 * of `whc collect`: the driver interface, the run of one source (struct
 * coll) and the HTTP transport its drivers call.  libcurl stays inside collect_http.c; cJSON is used by
 * the drivers and the run.
 */
#ifndef COLLECT_INT_H
#define COLLECT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "collector/collect.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/strmap.h"

struct qn;
struct store;

struct qn_tally;

struct ingest {
	struct store	*st;
	struct qn	*q;
	struct diag	*d;
	struct collect_stats *s;
	size_t		 nf;		/* definition fields */
	int32_t		*norm;
	size_t		*col;		/* field -> value (derived: none) */
	int64_t		 source_id, qn_id, batch_id;	/* set by the caller */
	struct strmap	 dimvals;	/* "dim\037value" -> id */
	struct qn_tally	*all;		/* every response: what is reported */
	struct qn_tally	*stored;	/* stored since the last ledger flush */
	struct buf	 key;
};

void ingest_init(struct ingest *in, struct store *st, struct qn *q,
    struct collect_stats *s, struct diag *d);
void ingest_release(struct ingest *in);

/* Why libcurl could not be loaded (collect_curl.c), or NULL: it is. */
const char *collect_curl_error(void);
/*
 * Normalises one response, whose field i (in definition order) has the raw
 * text val[i][0..len[i]) (never NULL; derived fields are ignored), and
 * upserts it with its raw answers (a JSON array) under in->source_id,
 * in->qn_id and in->batch_id.  Its answers are tallied for the report
 * (first seen on line) and, when it was stored, for the data-quality
 * ledger.  Must run inside a store transaction.  Returns 0, or -1 when the
 * store failed.
 */
int ingest_put(struct ingest *in, const char *rid, const char *modified,
    char *const *val, const size_t *len, const char *raw,
    unsigned long line);
/* Counts a response id seen twice in one file (import). */
void ingest_dup(struct ingest *in, const char *rid, unsigned long line);
/*
 * Adds what was stored since the last call to in->batch_id's ledger, and
 * rewrites the ledgers of batches whose responses were replaced; inside
 * the transaction that stored them.  Returns 0 or -1.
 */
int ingest_ledger(struct ingest *in);
/* Forgets what was stored since the last ledger flush (a rollback). */
void ingest_ledger_drop(struct ingest *in);
/*
 * Reports each distinct odd answer once (where names the file or source),
 * and adds the counts of blank and odd answers to the stats.
 */
void ingest_report(struct ingest *in, const char *where);

/*
 * Adds tally t to batch_id's data-quality ledger (year: its responses'),
 * with the repeated response ids when dups (only the file tells them);
 * inside the caller's transaction.  Returns 0 or -1.
 */
int collect_ledger_add(struct store *st, int64_t batch_id, int year,
    const struct qn_tally *t, int dups, struct diag *d);
/*
 * Reads a CSV file's header record into r, passing over blank lines; an
 * empty file is a located error.  Returns 0, or -1 after an error in d.
 */
struct csv;
struct csv_rec;
int collect_read_header(struct csv *c, struct csv_rec *r, const char *path,
    struct diag *d);
/*
 * Reports each odd value of a file's tally once, with its count and the
 * line it was first seen on (unknown teams with why), to d.
 */
void collect_report_tally(struct qn *q, const struct qn_tally *t,
    const char *path, struct diag *d);
/* Adds a tally's blank, unrecognised, bad-number and unknown-team counts
 * to s. */
void collect_tally_stats(const struct qn *q, const struct qn_tally *t,
    struct collect_stats *s);

/*
 * The fast pass of check over the file at path: counts every answer into
 * t and reports the records it cannot count.  Returns 0, 1 when the file
 * must be read by the ordinary reader instead (standard input, a
 * malformed record: t is untouched then), or -1 after an error in d.
 */
int collect_check_fast(struct qn *q, const char *path, int sep,
    struct qn_tally *t, struct diag *d);

/* ------------------------------------------------------------------ */
/* Collecting from providers' APIs */

#include <cjson/cJSON.h>

struct collect_opts;
struct coll;
struct coll_arch;		/* a body waiting for the raw archive */
struct http;			/* collect_http.c: one CURL handle, pacing */

/* A pair of quota headers: requests remaining and seconds until reset. */
struct coll_quota {
	const char	*remaining;
	const char	*reset;
};

/*
 * One provider: what its API allows, and the function that runs one
 * incremental collection of a survey (collect_<provider>.c).
 */
struct coll_driver {
	const char	*name;		/* provider = NAME in the config */
	const char	*default_url;	/* NULL: the config must give url */
	long		 max_page;	/* the largest page the API serves */
	long		 default_rate;	/* requests per minute; 0 = none */
	long		 default_window;	/* seconds the rate is counted
					   over (a burst); 0 = 60 */
	long		 default_overlap;	/* seconds re-read each run */
	int		 needs_user;	/* a user name besides the secret */
	struct coll_quota quota[3];	/* headers it sends; NULL-ended */
	/*
	 * Fetches what is new since c->cursor, page by page, each page
	 * through coll_page_begin()/coll_rec_*()/coll_page_end().  Returns
	 * 0, or -1 with the reason in c->d (pages committed before stay).
	 */
	int		(*fetch)(struct coll *c);
};

extern const struct coll_driver coll_surveymonkey, coll_smartsurvey,
    coll_qualtrics, coll_limesurvey, coll_typeform;

/* The collection of one source. */
struct coll {
	const char	*name;		/* source name in the config */
	const struct coll_driver *drv;
	char		*survey;	/* the provider's survey id */
	char		*url;		/* API base URL, no trailing '/' */
	char		*user;		/* LimeSurvey user name, or NULL */
	struct buf	 secret;	/* token (wiped when released) */
	long		 page_size;
	long		 rate;		/* requests per minute; 0 = no pacing */
	long		 window;	/* seconds: at most rate * window / 60
					   requests start in any window */
	long		 overlap;	/* seconds */
	long		 polls;		/* Qualtrics: most progress polls */
	long		 backoff_ms;	/* first retry delay */
	struct qn	*q;
	const char	**src;		/* per field: the provider's id */
	struct strmap	 by_src;	/* provider id -> field index */
	cJSON		*cursor;	/* the driver's cursor (an object) */
	cJSON		*meta;		/* the driver's cache (an object) */
	struct http	*http;
	struct store	*st;
	struct diag	*d;
	const struct collect_opts *o;
	struct ingest	 in;
	struct collect_stats stats;
	unsigned long	 pages, requests;
	unsigned long	 total;		/* responses the provider announced */
	double		 t0;
	int		 in_page;	/* between page_begin and page_end */
	int		 keep_session;	/* a later source of the run logs in
					   to the same account: keep it open */
	int		 batch_made;
	char		*ident;		/* what the cursor belongs to */
	/* The response being built: one raw value per field. */
	struct buf	*val;
	int		*set;
	/* Bodies received and not yet archived. */
	struct coll_arch *arch;
	size_t		 narch, aarch;
};

/* One request. */
struct coll_req {
	const char	*method;	/* "GET" (default) or "POST" */
	const char	*url;
	const char	*body;		/* POST body */
	size_t		 body_len;
	const char	*const *headers;	/* NULL-ended, e.g. auth */
	int		 json;		/* the reply must parse as JSON */
	int		 no_archive;	/* never archive (a session key) */
};

struct coll_reply {
	long		 status;
	struct buf	 body;
	struct buf	 headers;	/* the header lines received */
	cJSON		*json;		/* when coll_req.json */
};

/*
 * Performs a request for c: paced to the provider's rate and quota
 * headers, retried with exponential back-off and jitter on network errors,
 * 429 and 5xx (honouring Retry-After), and, with rq->json, on a body that
 * is not JSON.  Every body received is queued for the raw archive.  On
 * return 0 the reply has a 2xx status (rp is the caller's to release with
 * coll_reply_release); on -1 the failure is recorded in c->d with the
 * source, the method, the URL without secrets and the status.
 */
int coll_request(struct coll *c, const struct coll_req *rq,
    struct coll_reply *rp);
void coll_reply_release(struct coll_reply *rp);
/* The value of header name (case-insensitive) into out; 1 if found. */
int coll_reply_header(const struct coll_reply *rp, const char *name,
    struct buf *out);

/*
 * Transport, shared by all sources of a run (keep-alive, pacing); a reply
 * larger than max_body bytes fails.
 */
struct http *http_new(const struct collect_opts *o, long retries,
    long timeout, long max_wait, size_t max_body);
void http_free(struct http *h);
/*
 * A secret kept for the whole run under ident (a login session shared by
 * the sources of one account), empty at first, wiped by http_free().
 */
struct buf *http_session(struct http *h, const char *ident);
/*
 * Checks that url may be used: https, or http to a loopback address.
 * Returns 0 or -1 (a data error naming what).
 */
int coll_url_check(const char *url, const char *what, struct diag *d);
/* Appends url with any user, password and secret query value removed. */
void coll_url_redact(const char *url, struct buf *out);
/* Non-zero when a and b have the same scheme, host and port. */
int coll_same_origin(const char *a, const char *b);
/* Appends s percent-encoded for a query string. */
void coll_url_escape(struct buf *out, const char *s);

/* Queues a body received for the raw archive (collect_run.c). */
void coll_arch_add(struct coll *c, const char *method, const char *url,
    long status, const struct buf *body);

/* Pages: archive, responses and cursor commit in one transaction. */
int coll_page_begin(struct coll *c);
int coll_page_end(struct coll *c);
/* Rolls back a page that failed half way. */
void coll_page_abort(struct coll *c);

/* Building one response. */
void coll_rec_begin(struct coll *c);
/* The field that the provider's question id qid feeds, or -1. */
long coll_field(const struct coll *c, const char *qid);
/* Sets field i's raw answer (a second answer is appended after "; "). */
void coll_rec_set(struct coll *c, long i, const char *s, size_t n);
/* Stores the response built; modified is the provider's timestamp. */
int coll_rec_put(struct coll *c, const char *rid, const char *modified);
/* Notes that a response was skipped (partial, a preview...). */
void coll_rec_skip(struct coll *c);

/* Reports progress (between pages). */
void coll_progress(struct coll *c);
/* Sleeps for ms milliseconds. */
void coll_sleep_ms(long ms);
/* Logs a line when --verbose. */
void coll_log(struct coll *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* collect_util.c: times, JSON values, base64, ZIP. */
/* Parses ISO 8601 (or "YYYY-MM-DD HH:MM:SS", taken as UTC); 0 or -1. */
int coll_time_parse(const char *s, int64_t *t);
/* Formats t as 2019-10-03T09:32:11Z (z = 1) or without the Z (z = 0). */
void coll_time_fmt(int64_t t, int z, char out[32]);
double coll_now(void);

/*
 * The modification times on one page of a since-cursor walk (SurveyMonkey,
 * SmartSurvey).  coll_span_advance moves c->cursor after the page: at the
 * end, since = the newest time less the overlap (the next run re-reads
 * it); on a sorted page that got past since, since = the newest time less
 * one second and the page number is dropped (a response modified while
 * we page cannot slip between pages); otherwise the next page.  as_text:
 * since is an ISO time (else Unix seconds).
 */
struct coll_span {
	int64_t	 from;		/* the walk's since, or INT64_MIN */
	int64_t	 last, max;
	int	 sorted;
};
void coll_span_init(struct coll_span *sp, int64_t from);
void coll_span_see(struct coll_span *sp, const char *when);
void coll_span_advance(struct coll *c, const struct coll_span *sp,
    int more, long page, int as_text);
/* The string member key of o, or NULL. */
const char *cj_str(const cJSON *o, const char *key);
/*
 * A number from a reply, as a long clamped to [lo, hi] (hi at most
 * LONG_MAX / 2, so that sums stay defined); dflt when v is no number.
 */
long cj_long(const cJSON *v, long lo, long hi, long dflt);
/* Appends a JSON scalar as text (strings as they are); 0, or -1. */
int cj_text(const cJSON *v, struct buf *out);
/* Sets member key of o to a string or a number (replacing it). */
void cj_set_str(cJSON *o, const char *key, const char *s);
void cj_set_num(cJSON *o, const char *key, double v);
void base64_encode(struct buf *out, const void *p, size_t n);
/* Decodes base64 (white space ignored); -1 on a bad character. */
int base64_decode(struct buf *out, const char *s, size_t n);
/*
 * Extracts the only (or first) file of the ZIP archive p[0..n) into out
 * (stored or deflated); -1 with a message in why (a static string).
 */
int zip_first_file(const void *p, size_t n, struct buf *out,
    const char **why);

/* ------------------------------------------------------------------ */
/* Offline entry points, for the fuzzers (fuzz/) and the unit tests */

/*
 * A source of provider (a driver's name) for definition q (borrowed),
 * storing into st, set up as a run sets one up but with no config,
 * credentials or network; a field's provider id is its "source" id, or
 * its key when it has none (derived fields have none, as in a run).
 * Returns NULL with the reason in d.
 */
struct coll *coll_offline_new(struct store *st, struct qn *q,
    const char *provider, struct diag *d);
void coll_offline_free(struct coll *c);
/*
 * Parses body as JSON and calls put for each element of its member key
 * (or of the body itself when it is an array); 0, or -1 at the first
 * failure, with the reason in c->d.
 */
int coll_offline_list(struct coll *c, const char *body, size_t len,
    const char *key, int (*put)(struct coll *, const cJSON *));
/*
 * Each parses one body as its driver parses that reply, and stores the
 * responses it holds; the store writes need a page (coll_page_begin).
 * Return 0, or -1 with the reason in c->d.
 */
/* GET /surveys/{id}/details, then a page of /responses/bulk. */
int coll_surveymonkey_details(struct coll *c, const char *body, size_t len);
int coll_surveymonkey_page(struct coll *c, const char *body, size_t len);
/* A page of /surveys/{id}/responses (v1 array or v2 {"records"}). */
int coll_smartsurvey_page(struct coll *c, const char *body, size_t len);
/* The export file: a ZIP holding the JSON document, or the document. */
int coll_qualtrics_file(struct coll *c, const char *body, size_t len);
/* export_responses' result: a base64 JSON document. */
int coll_limesurvey_doc(struct coll *c, const char *body, size_t len);
/* A page of /forms/{id}/responses. */
int coll_typeform_page(struct coll *c, const char *body, size_t len);

#endif /* COLLECT_INT_H */
