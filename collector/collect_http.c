/* SPDX-License-Identifier: MIT */
/*
 * The collector's HTTP transport, the only file that speaks libcurl: one
 * easy handle for the whole run (so connections are kept alive and reused
 * across pages and sources), TLS verification always on, plain http only
 * to loopback addresses, no redirects, bounded bodies, and politeness:
 * requests paced to the provider's rate (a sliding window), quota
 * headers honoured, and network errors, 429 and 5xx retried with
 * exponential back-off and jitter (Retry-After wins) a bounded number of
 * times.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "collector/collect.h"
#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/vec.h"
#include "common/xalloc.h"

#define BACKOFF_CAP_MS	30000

/*
 * Pacing of one provider account (provider and API origin): at most
 * `limit` requests in any `span` seconds (a sliding window, so a burst up
 * to the limit goes at once, which is what "120 a minute" allows whether
 * the provider counts in fixed or sliding windows), and none while a
 * quota header says to wait.  Each request is timed from the first byte
 * of its reply (or its end, when none came), the latest moment the
 * provider can have counted it: it decides whether to answer 429 before
 * it answers.  Timed from its start, a first request slowed by the TCP
 * and TLS handshakes would reach the provider late, and a later one on
 * the open connection at once, one window after it.  Timed from the
 * reply's end, every request would add its transfer time to the pace.
 */
struct pacer {
	char		*key;
	double		 hold_until;	/* a quota header said to wait */
	double		*counted;	/* ring: when the last `limit` were counted */
	size_t		 limit, n, head;	/* head: the oldest when full */
	double		 span;
};

/* A login session kept across the sources of a run. */
struct session {
	char		*ident;
	struct buf	 key;
};

struct http {
	CURL		*curl;
	const struct collect_opts *o;
	long		 retries, timeout, max_wait;
	size_t		 max_body;	/* one reply, at most (bytes) */
	struct pacer	*p;
	size_t		 np, ap;
	struct session	*s;
	size_t		 ns, as;
	uint64_t	 rng;
	char		 err[CURL_ERROR_SIZE];
};

int
collect_global_init(struct diag *d)
{
	if (collect_curl_error() != NULL)
		return diag_env(d, "%s", collect_curl_error());
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return diag_env(d, "cannot initialise libcurl");
	return 0;
}

void
collect_global_cleanup(void)
{
	curl_global_cleanup();
}

struct http *
http_new(const struct collect_opts *o, long retries, long timeout,
    long max_wait, size_t max_body)
{
	struct http *h = xcalloc(1, sizeof(*h));

	h->o = o;
	h->retries = retries;
	h->timeout = timeout;
	h->max_wait = max_wait;
	h->max_body = max_body;
	h->rng = (uint64_t)time(NULL) * 6364136223846793005ULL ^
	    (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
	return h;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	for (size_t i = 0; i < h->np; i++) {
		free(h->p[i].key);
		free(h->p[i].counted);
	}
	free(h->p);
	for (size_t i = 0; i < h->ns; i++) {
		free(h->s[i].ident);
		explicit_bzero(h->s[i].key.data, h->s[i].key.len);
		buf_release(&h->s[i].key);
	}
	free(h->s);
	free(h);
}

struct buf *
http_session(struct http *h, const char *ident)
{
	for (size_t i = 0; i < h->ns; i++)
		if (strcmp(h->s[i].ident, ident) == 0)
			return &h->s[i].key;
	VEC_GROW(h->s, h->ns + 1, h->as);
	h->s[h->ns].ident = xstrdup(ident);
	buf_init(&h->s[h->ns].key, 4096);
	return &h->s[h->ns++].key;
}

/* A number in [0, 1) from xorshift64*, for jitter. */
static double
rnd(struct http *h)
{
	h->rng ^= h->rng >> 12;
	h->rng ^= h->rng << 25;
	h->rng ^= h->rng >> 27;
	return (double)((h->rng * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0;
}

void
coll_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Sleeps until time t (coll_now() scale). */
static void
sleep_until(double t)
{
	double now = coll_now();

	if (t > now)
		coll_sleep_ms((long)((t - now) * 1000.0 + 0.999));
}

/* ------------------------------------------------------------------ */
/* URLs */

static int
loopback(const char *host)
{
	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "[::1]") == 0)
		return 1;
	return strncmp(host, "127.", 4) == 0 &&
	    strspn(host + 4, "0123456789.") == strlen(host + 4);
}

/* Splits url into scheme and host (new strings); -1 if it is no URL. */
static int
url_parts(const char *url, char **scheme, char **host, char **port)
{
	CURLU *u = curl_url();
	int rc = -1;

	*scheme = *host = *port = NULL;
	if (u == NULL)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, host, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_PORT, port,
		    CURLU_DEFAULT_PORT) != CURLUE_OK)
			*port = NULL;
		rc = 0;
	}
	curl_url_cleanup(u);
	return rc;
}

static void
parts_free(char *a, char *b, char *c)
{
	curl_free(a);
	curl_free(b);
	curl_free(c);
}

int
coll_url_check(const char *url, const char *what, struct diag *d)
{
	char *scheme, *host, *port;
	int rc = 0;

	if (url_parts(url, &scheme, &host, &port) < 0) {
		parts_free(scheme, host, port);
		return diag_err(d, "%s: '%s' is not a URL", what, url);
	}
	if (strcasecmp(scheme, "https") != 0 &&
	    !(strcasecmp(scheme, "http") == 0 && loopback(host)))
		rc = diag_err(d, "%s: '%s' must use https (plain http is only "
		    "accepted for a loopback address such as 127.0.0.1)",
		    what, url);
	parts_free(scheme, host, port);
	return rc;
}

int
coll_same_origin(const char *a, const char *b)
{
	char *s1, *h1, *p1, *s2, *h2, *p2;
	int ra = url_parts(a, &s1, &h1, &p1);
	int rb = url_parts(b, &s2, &h2, &p2);
	int same = ra == 0 && rb == 0 && strcasecmp(s1, s2) == 0 &&
	    strcasecmp(h1, h2) == 0 && p1 != NULL && p2 != NULL &&
	    strcmp(p1, p2) == 0;

	parts_free(s1, h1, p1);
	parts_free(s2, h2, p2);
	return same;
}

/* Query parameters whose value is a secret. */
static int
secret_param(const char *name, size_t n)
{
	static const char *const names[] = {
		"token", "access_token", "api_token", "api_token_secret",
		"apikey", "api_key", "key", "secret", "password", "pass",
		"sig", "signature", "client_secret", "session_key",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n &&
		    strncasecmp(name, names[i], n) == 0)
			return 1;
	return 0;
}

void
coll_url_redact(const char *url, struct buf *out)
{
	const char *p = strstr(url, "://"), *host, *at, *q, *end;

	if (p == NULL) {
		buf_adds(out, url);
		return;
	}
	host = p + 3;
	end = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(end - host));
	buf_add(out, url, (size_t)(host - url));
	if (at != NULL)
		host = at + 1;			/* drop user:password@ */
	q = strchr(host, '?');
	if (q == NULL) {
		buf_adds(out, host);
		return;
	}
	buf_add(out, host, (size_t)(q + 1 - host));
	for (p = q + 1; *p && *p != '#';) {
		size_t n = strcspn(p, "&#");
		const char *eq = memchr(p, '=', n);

		if (eq != NULL && secret_param(p, (size_t)(eq - p))) {
			buf_add(out, p, (size_t)(eq + 1 - p));
			buf_adds(out, "REDACTED");
		} else {
			buf_add(out, p, n);
		}
		p += n;
		if (*p == '&')
			buf_addc(out, *p++);
	}
}

void
coll_url_escape(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch) || strchr("-._~", ch))
			buf_addc(out, ch);
		else
			buf_addf(out, "%%%c%c", hex[ch >> 4], hex[ch & 15]);
	}
}

/* ------------------------------------------------------------------ */
/* libcurl callbacks */

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	if (buf_add(b, p, size * n) < 0)
		return 0;	/* over the limit: curl fails the transfer */
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	/* A new status line (after a 100 Continue) starts a new set. */
	if (size * n > 5 && strncmp(p, "HTTP/", 5) == 0)
		buf_reset(b);
	buf_add(b, p, size * n);
	return size * n;
}

int
coll_reply_header(const struct coll_reply *rp, const char *name,
    struct buf *out)
{
	size_t n = strlen(name);
	const char *p = rp->headers.data;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *ve = p + len;

			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && isspace((unsigned char)ve[-1]))
				ve--;
			buf_reset(out);
			buf_add(out, v, (size_t)(ve - v));
			return 1;
		}
		p += len + (e != NULL);
	}
	return 0;
}

void
coll_reply_release(struct coll_reply *rp)
{
	buf_release(&rp->body);
	buf_release(&rp->headers);
	cJSON_Delete(rp->json);
	rp->json = NULL;
	rp->status = 0;
}

/* ------------------------------------------------------------------ */
/* Pacing and quotas */

static struct pacer *
pacer(struct coll *c)
{
	struct http *h = c->http;
	char *key = xasprintf("%s %s", c->drv->name, c->url);

	for (size_t i = 0; i < h->np; i++)
		if (strcmp(h->p[i].key, key) == 0) {
			free(key);
			return &h->p[i];
		}
	VEC_GROW(h->p, h->np + 1, h->ap);
	memset(&h->p[h->np], 0, sizeof(h->p[h->np]));
	h->p[h->np].key = key;
	return &h->p[h->np++];
}

/*
 * Sets pc's window from c's rate: rate * window / 60 requests (at least
 * one) in that many sixtieths of a minute per request, with 3% to spare
 * for the clocks.  A limit of 0 is no pacing.
 */
static void
pace_set(struct pacer *pc, const struct coll *c)
{
	size_t lim = 0;

	if (c->rate > 0) {
		lim = (size_t)(c->rate * c->window / 60);
		if (lim < 1)
			lim = 1;
	}
	if (lim != pc->limit) {
		free(pc->counted);
		pc->counted = lim ? xcalloc(lim, sizeof(*pc->counted)) : NULL;
		pc->limit = lim;
		pc->n = pc->head = 0;
	}
	pc->span = lim ? (double)lim * 60.0 / (double)c->rate * 1.03 : 0;
}

/* The earliest time the next request may start. */
static double
pace_next(const struct pacer *pc)
{
	if (pc->limit == 0 || pc->n < pc->limit)
		return 0;
	return pc->counted[pc->head] + pc->span;
}

/*
 * When the reply to the request just made began to arrive: now, less the
 * time from its first byte to its end (so never earlier than the first
 * byte), or now when no byte came (a request that failed on its way may
 * still have been counted).
 */
static double
reply_began(struct http *h)
{
	curl_off_t first = 0, total = 0;

	if (curl_easy_getinfo(h->curl, CURLINFO_STARTTRANSFER_TIME_T,
	    &first) != CURLE_OK || first <= 0 ||
	    curl_easy_getinfo(h->curl, CURLINFO_TOTAL_TIME_T,
	    &total) != CURLE_OK || total < first)
		return coll_now();
	return coll_now() - (double)(total - first) / 1e6;
}

/* Notes a request the provider counted at t, at the latest. */
static void
pace_note(struct pacer *pc, double t)
{
	if (pc->limit == 0)
		return;
	pc->counted[pc->head] = t;
	pc->head = (pc->head + 1) % pc->limit;
	if (pc->n < pc->limit)
		pc->n++;
}

/* Reads the driver's quota headers: holds off when one is used up. */
static void
note_quota(struct coll *c, struct pacer *pc, const struct coll_reply *rp)
{
	struct buf v = BUF_INIT;

	for (const struct coll_quota *q = c->drv->quota; q->remaining; q++) {
		long rem, reset;

		if (!coll_reply_header(rp, q->remaining, &v))
			continue;
		rem = strtol(v.data, NULL, 10);
		if (rem > 0 || !coll_reply_header(rp, q->reset, &v))
			continue;
		reset = strtol(v.data, NULL, 10);
		if (reset > 0 && coll_now() + (double)reset > pc->hold_until)
			pc->hold_until = coll_now() + (double)reset;
	}
	buf_release(&v);
}

/* Seconds of Retry-After (a number or an HTTP date), or -1. */
static long
retry_after(const struct coll_reply *rp)
{
	struct buf v = BUF_INIT;
	long s = -1;
	char *end;

	if (coll_reply_header(rp, "Retry-After", &v)) {
		s = strtol(v.data, &end, 10);
		if (end == v.data || *end != '\0') {
			time_t t = curl_getdate(v.data, NULL);

			s = t < 0 ? -1 : (long)(t - time(NULL));
			if (t >= 0 && s < 0)
				s = 0;
		}
	}
	buf_release(&v);
	return s;
}

/* ------------------------------------------------------------------ */
/* Requests */

static int
retryable_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
}

/* A short reason from an error body, whichever provider wrote it. */
static void
error_reason(const struct coll_reply *rp, struct buf *out)
{
	static const char *const paths[][3] = {
		{ "error", "message", NULL },		/* SurveyMonkey */
		{ "meta", "error", "errorMessage" },	/* Qualtrics */
		{ "description", NULL, NULL },		/* Typeform */
		{ "message", NULL, NULL },		/* SmartSurvey */
		{ "detail", NULL, NULL },		/* ProblemDetails */
		{ "title", NULL, NULL },
	};
	cJSON *j = cJSON_ParseWithLength(rp->body.data, rp->body.len);

	for (size_t i = 0; j && i < sizeof(paths) / sizeof(paths[0]); i++) {
		const cJSON *v = j;

		for (int k = 0; k < 3 && paths[i][k] && v; k++)
			v = cJSON_GetObjectItemCaseSensitive(v, paths[i][k]);
		if (cJSON_IsString(v) && *v->valuestring) {
			buf_addf(out, " (%.200s)", v->valuestring);
			break;
		}
	}
	cJSON_Delete(j);
}

/* Sets up the handle for one attempt of rq. */
static struct curl_slist *
prepare(struct http *h, const struct coll_req *rq, struct coll_reply *rp,
    const char *url)
{
	struct curl_slist *hl = NULL;
	CURL *cu = h->curl;
	int loop = 0;
	char *scheme, *host, *port;

	if (url_parts(url, &scheme, &host, &port) == 0)
		loop = loopback(host);
	parts_free(scheme, host, port);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_PROTOCOLS_STR, loop ? "http,https" :
	    "https");
	curl_easy_setopt(cu, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(cu, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(cu, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(cu, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(cu, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(cu, CURLOPT_USERAGENT, "whc/" WHC_VERSION);
	curl_easy_setopt(cu, CURLOPT_CONNECTTIMEOUT, h->timeout);
	curl_easy_setopt(cu, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(cu, CURLOPT_LOW_SPEED_TIME, h->timeout);
	curl_easy_setopt(cu, CURLOPT_ERRORBUFFER, h->err);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, &rp->body);
	curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(cu, CURLOPT_HEADERDATA, &rp->headers);
	for (const char *const *p = rq->headers; p && *p; p++)
		hl = curl_slist_append(hl, *p);
	hl = curl_slist_append(hl, "Accept: application/json, */*");
	hl = curl_slist_append(hl, "Expect:");
	if (rq->method && strcmp(rq->method, "POST") == 0) {
		hl = curl_slist_append(hl, "Content-Type: application/json");
		curl_easy_setopt(cu, CURLOPT_POST, 1L);
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, rq->body ? rq->body :
		    "");
		curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE, (long)rq->body_len);
	} else {
		curl_easy_setopt(cu, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hl);
	h->err[0] = '\0';
	return hl;
}

/* The delay before retry number attempt (from 0), in milliseconds. */
static long
backoff(struct coll *c, int attempt)
{
	double ms = (double)c->backoff_ms;

	for (int i = 0; i < attempt && ms < BACKOFF_CAP_MS; i++)
		ms *= 2;
	if (ms > BACKOFF_CAP_MS)
		ms = BACKOFF_CAP_MS;
	return (long)(ms / 2 + rnd(c->http) * ms / 2);	/* jitter */
}

int
coll_request(struct coll *c, const struct coll_req *rq,
    struct coll_reply *rp)
{
	struct http *h = c->http;
	struct pacer *pc = pacer(c);
	const char *method = rq->method ? rq->method : "GET";
	struct buf safe = BUF_INIT, why = BUF_INIT;
	int attempt, made = 0, ret = -1, fatal = 0;

	pace_set(pc, c);
	memset(rp, 0, sizeof(*rp));
	buf_init(&rp->body, h->max_body);
	buf_init(&rp->headers, 1 << 20);
	coll_url_redact(rq->url, &safe);
	if (h->curl == NULL && (h->curl = curl_easy_init()) == NULL) {
		diag_env(c->d, "cannot initialise libcurl");
		goto out;
	}
	for (attempt = 0; attempt <= h->retries; attempt++) {
		struct curl_slist *hl;
		double t0, wait;
		CURLcode cc;
		long ra = -1;

		/* Politeness first: the provider's pace and quota. */
		wait = pc->hold_until - coll_now();
		if (wait > (double)h->max_wait) {
			buf_reset(&why);
			buf_addf(&why, "the provider's request quota is used "
			    "up and resets in %.0f s (more than the %ld s "
			    "collect.max_wait)", wait, h->max_wait);
			fatal = 1;
			break;
		}
		sleep_until(pc->hold_until);
		sleep_until(pace_next(pc));
		buf_reset(&rp->body);
		rp->body.over = 0;
		buf_reset(&rp->headers);
		cJSON_Delete(rp->json);
		rp->json = NULL;
		rp->status = 0;
		hl = prepare(h, rq, rp, rq->url);
		t0 = coll_now();
		c->requests++;
		made++;
		cc = curl_easy_perform(h->curl);
		pace_note(pc, reply_began(h));
		curl_slist_free_all(hl);
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE,
		    &rp->status);
		buf_reset(&why);
		if (cc != CURLE_OK) {
			if (rp->body.over) {
				buf_addf(&why, "the reply is larger than %zu "
				    "bytes (collect.max_body)", h->max_body);
				fatal = 1;
				break;
			}
			buf_addf(&why, "%s", h->err[0] ? h->err :
			    curl_easy_strerror(cc));
			coll_log(c, "%s %s -> %s", method, safe.data, why.data);
			if (!retryable_curl(cc)) {
				fatal = 1;
				break;
			}
			if (attempt < h->retries)
				coll_sleep_ms(backoff(c, attempt));
			continue;
		}
		coll_log(c, "%s %s -> %ld, %zu bytes, %.0f ms", method,
		    safe.data, rp->status, rp->body.len,
		    (coll_now() - t0) * 1000.0);
		if (!rq->no_archive)
			coll_arch_add(c, method, safe.data, rp->status,
			    &rp->body);
		note_quota(c, pc, rp);
		if (rp->status >= 200 && rp->status < 300) {
			const char *end = NULL;

			if (!rq->json) {
				ret = 0;
				goto out;
			}
			rp->json = cJSON_ParseWithLengthOpts(rp->body.data,
			    rp->body.len, &end, 0);
			if (rp->json != NULL) {
				ret = 0;
				goto out;
			}
			buf_addf(&why, "HTTP %ld but the body is not JSON "
			    "(at byte %zu of %zu)", rp->status,
			    end ? (size_t)(end - rp->body.data) : 0,
			    rp->body.len);
			if (attempt < h->retries)
				coll_sleep_ms(backoff(c, attempt));
			continue;
		}
		buf_addf(&why, "HTTP %ld", rp->status);
		if (rp->status >= 300 && rp->status < 400)
			buf_adds(&why, " (a redirect: not followed, so that "
			    "credentials go to the configured host only)");
		error_reason(rp, &why);
		if (rp->status != 429 && rp->status != 408 &&
		    rp->status < 500) {
			fatal = 1;
			break;
		}
		if (attempt == h->retries)
			break;
		ra = retry_after(rp);
		if (ra > h->max_wait) {
			buf_addf(&why, "; Retry-After %ld s is more than the "
			    "%ld s collect.max_wait", ra, h->max_wait);
			fatal = 1;
			break;
		}
		if (ra >= 0) {
			if (coll_now() + (double)ra > pc->hold_until)
				pc->hold_until = coll_now() + (double)ra;
		} else {
			coll_sleep_ms(backoff(c, attempt));
		}
	}
	if (!fatal && made > 1)
		buf_addf(&why, "; gave up after %d attempts", made);
	diag_env(c->d, "source '%s': %s %s: %s; what was fetched before is "
	    "kept", c->name, method, safe.data, why.data);
out:
	if (ret < 0)
		coll_reply_release(rp);	/* a failure leaves nothing to free */
	buf_release(&safe);
	buf_release(&why);
	return ret;
}
