/* SPDX-License-Identifier: MIT */
/*
 * The SmartSurvey driver (API v1 and v2): HTTP Basic with "API token:
 * secret", GET /surveys/{id}/responses with page and page_size (at most
 * 100), include_labels so each choice comes with its title, and since in
 * Unix seconds.  v1 answers with a bare array and its totals in
 * X-SS-Pagination-* headers, v2 with {records, page_index, pages, total};
 * a page may come short (visibility rules), so the end is where the totals
 * say, or an empty page.  Like the SurveyMonkey driver it pages by keyset
 * on date_modified (sort_by=date_modified), so responses modified while it
 * pages are met again rather than skipped, and it falls back to page
 * numbers if the pages do not come in date order.  The daily quota header
 * is honoured; the per-minute limit has no header, so requests are paced
 * (rate, default 120 a minute: the Business plan's limit) in a sliding
 * window: a burst of up to 120, then never more than 120 in any minute.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/xalloc.h"

static int
put_record(struct coll *c, const cJSON *r)
{
	const cJSON *idv = cJSON_GetObjectItemCaseSensitive(r, "id");
	const char *status = cj_str(r, "status");
	const cJSON *pg, *q, *a;
	struct buf id = BUF_INIT, qid = BUF_INIT, t = BUF_INIT;
	int rc;

	if (cj_text(idv, &id) < 0 || id.len == 0) {
		buf_release(&id);
		return diag_env(c->d, "source '%s': a response has no id",
		    c->name);
	}
	if (status != NULL && strcmp(status, "completed") != 0) {
		buf_release(&id);
		coll_rec_skip(c);
		return 0;
	}
	coll_rec_begin(c);
	cJSON_ArrayForEach(pg, cJSON_GetObjectItemCaseSensitive(r, "pages"))
	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(pg,
	    "questions")) {
		long f;

		buf_reset(&qid);
		if (cj_text(cJSON_GetObjectItemCaseSensitive(q, "id"),
		    &qid) < 0)
			continue;
		f = coll_field(c, qid.data);
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(q,
		    "answers")) {
			const char *title = cj_str(a, "choice_title");
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(a,
			    "value");

			buf_reset(&t);
			if (title != NULL)
				buf_adds(&t, title);
			else if (v != NULL && !cJSON_IsNull(v))
				cj_text(v, &t);
			else if (cJSON_HasObjectItem(a, "choice_id")) {
				buf_adds(&t, "(choice ");
				cj_text(cJSON_GetObjectItemCaseSensitive(a,
				    "choice_id"), &t);
				buf_addc(&t, ')');
			} else {
				continue;
			}
			coll_rec_set(c, f, t.data, t.len);
		}
	}
	rc = coll_rec_put(c, id.data, cj_str(r, "date_modified"));
	buf_release(&id);
	buf_release(&qid);
	buf_release(&t);
	return rc;
}

int
coll_smartsurvey_page(struct coll *c, const char *body, size_t len)
{
	return coll_offline_list(c, body, len, "records", put_record);
}

/* A number from a header, or -1. */
static long
hnum(const struct coll_reply *rp, const char *name)
{
	struct buf v = BUF_INIT;
	long n = -1;

	if (coll_reply_header(rp, name, &v) && v.len > 0)
		n = strtol(v.data, NULL, 10);
	buf_release(&v);
	if (n > 1L << 40)
		n = 1L << 40;	/* no survey is larger; sums stay defined */
	return n;
}

static int
fetch(struct coll *c)
{
	struct buf auth = BUF_INIT, url = BUF_INIT;
	const char *hdr[2] = { NULL, NULL };
	int rc = -1, first = 1;

	if (strchr(c->secret.data, ':') == NULL) {
		diag_err(c->d, "source '%s': SmartSurvey credentials are "
		    "'API token:secret' (one line, a colon between)", c->name);
		return -1;
	}
	buf_adds(&auth, "Authorization: Basic ");
	base64_encode(&auth, c->secret.data, c->secret.len);
	hdr[0] = auth.data;
	for (;;) {
		const cJSON *sv = cJSON_GetObjectItemCaseSensitive(c->cursor,
		    "since");
		const cJSON *pn = cJSON_GetObjectItemCaseSensitive(c->cursor,
		    "page");
		long page = cJSON_IsNumber(pn) ? (long)pn->valuedouble : 1;
		int64_t w = cJSON_IsNumber(sv) ? (int64_t)sv->valuedouble :
		    INT64_MIN;
		struct coll_span sp;
		struct coll_req rq = { 0 };
		struct coll_reply rp;
		const cJSON *recs, *r;
		long total, pages = -1, n;
		int more;

		coll_span_init(&sp, w);
		buf_reset(&url);
		buf_addf(&url, "%s/surveys/", c->url);
		coll_url_escape(&url, c->survey);
		buf_addf(&url, "/responses?page=%ld&page_size=%ld&"
		    "include_labels=true&sort_by=date_modified", page,
		    c->page_size);
		if (w != INT64_MIN)
			buf_addf(&url, "&since=%lld", (long long)w);
		rq.url = url.data;
		rq.headers = hdr;
		rq.json = 1;
		if (coll_request(c, &rq, &rp) < 0)
			goto out;
		recs = rp.json;
		total = hnum(&rp, "X-SS-Pagination-Total");
		if (cJSON_IsObject(rp.json)) {		/* v2 */
			const cJSON *p = cJSON_GetObjectItemCaseSensitive(
			    rp.json, "pages");
			const cJSON *tt = cJSON_GetObjectItemCaseSensitive(
			    rp.json, "total");

			recs = cJSON_GetObjectItemCaseSensitive(rp.json,
			    "records");
			pages = cj_long(p, -1, 1L << 40, pages);
			total = cj_long(tt, -1, 1L << 40, total);
		}
		if (!cJSON_IsArray(recs)) {
			diag_env(c->d, "source '%s': GET %s: the reply is "
			    "neither an array of responses nor {\"records\": "
			    "[...]}", c->name, url.data);
			coll_reply_release(&rp);
			goto out;
		}
		if (pages < 0 && total >= 0)
			pages = (total + c->page_size - 1) / c->page_size;
		if (first && total >= 0)
			c->total = c->stats.rows + (unsigned long)total;
		first = 0;
		if (coll_page_begin(c) < 0) {
			coll_reply_release(&rp);
			goto out;
		}
		n = cJSON_GetArraySize(recs);
		cJSON_ArrayForEach(r, recs) {
			const char *dm = cj_str(r, "date_modified");

			if (put_record(c, r) < 0) {
				coll_page_abort(c);
				coll_reply_release(&rp);
				goto out;
			}
			coll_span_see(&sp, dm);
		}
		/* A short page is no proof of the end: the totals are. */
		more = n > 0 && (pages < 0 || page < pages);
		coll_span_advance(c, &sp, more, page, 0);
		coll_reply_release(&rp);
		if (coll_page_end(c) < 0)
			goto out;
		if (!more)
			break;
	}
	rc = 0;
out:
	explicit_bzero(auth.data, auth.len);
	buf_release(&auth);
	buf_release(&url);
	return rc;
}

const struct coll_driver coll_smartsurvey = {
	.name = "smartsurvey",
	.default_url = "https://api.smartsurvey.io/v1",
	.max_page = 100,
	.default_rate = 120,		/* 120 a minute, */
	.default_window = 60,		/* counted over any minute */
	.default_overlap = 1,
	.quota = {
		{ "X-RateLimit-Remaining", "X-RateLimit-Reset" },
		{ NULL, NULL },
	},
	.fetch = fetch,
};
