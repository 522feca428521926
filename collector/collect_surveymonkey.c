/* SPDX-License-Identifier: MIT */
/*
 * The SurveyMonkey v3 driver.  Choice ids are joined to their text through
 * GET /surveys/{id}/details (cached in the source's state, fetched again
 * when a response names a choice it does not know); responses come from
 * GET /surveys/{id}/responses/bulk, 100 a page, completed only, sorted by
 * date_modified ascending and filtered with start_modified_at.
 *
 * Paging is by keyset rather than by following page numbers through one
 * long query: each page after the first asks again from one second before
 * the last date_modified seen, so a response modified while we page moves
 * behind us and is met again, instead of shifting the pages under us and
 * making us skip one.  Only when a whole page shares one second does the
 * walk step to the next page number (links.next says there is one).  The
 * cursor (start_modified_at and page) commits with every page; the next
 * run starts from the newest date_modified minus the overlap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

struct sm {
	struct coll	*c;
	struct buf	 auth;
	const char	*hdr[2];
	int		 details_fetched;	/* this run */
};

/* Reads /details: the text of every choice, the ids of the questions. */
static int
details_read(struct coll *c, const cJSON *json)
{
	cJSON *choices, *qs;
	const cJSON *pages, *pg, *q, *ch;
	int bad = 0;

	choices = cJSON_CreateObject();
	qs = cJSON_CreateObject();
	pages = cJSON_GetObjectItemCaseSensitive(json, "pages");
	cJSON_ArrayForEach(pg, pages) {
		cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(pg,
		    "questions")) {
			const char *qid = cj_str(q, "id");
			const cJSON *ans = cJSON_GetObjectItemCaseSensitive(q,
			    "answers");
			static const char *const kinds[] = { "choices", "rows",
			    "cols", "other" };

			if (qid == NULL)
				continue;
			cJSON_AddTrueToObject(qs, qid);
			for (size_t k = 0; k < 4; k++)
				cJSON_ArrayForEach(ch,
				    cJSON_GetObjectItemCaseSensitive(ans,
				    kinds[k])) {
					const char *id = cj_str(ch, "id");
					const char *t = cj_str(ch, "text");

					if (id && t)
						cj_set_str(choices, id, t);
				}
		}
	}
	for (size_t i = 0; i < qn_nfields(c->q); i++)
		if (c->src[i] != NULL && !cJSON_HasObjectItem(qs, c->src[i])) {
			diag_err(c->d, "source '%s': survey %s has no question "
			    "%s (the surveymonkey id of %s '%s' in '%s')",
			    c->name, c->survey, c->src[i],
			    qn_field_kind(c->q, i) == QN_DIM ? "dimension" :
			    "item", qn_field_key(c->q, i), qn_id(c->q));
			bad = 1;
		}
	cJSON_Delete(qs);
	cJSON_DeleteItemFromObjectCaseSensitive(c->meta, "choices");
	cJSON_AddItemToObject(c->meta, "choices", choices);
	return bad ? -1 : 0;
}

/* Fetches /details. */
static int
details(struct sm *s)
{
	struct coll *c = s->c;
	struct coll_req rq = { 0 };
	struct coll_reply rp;
	struct buf url = BUF_INIT;
	int rc = -1;

	buf_addf(&url, "%s/surveys/", c->url);
	coll_url_escape(&url, c->survey);
	buf_adds(&url, "/details");
	rq.url = url.data;
	rq.headers = s->hdr;
	rq.json = 1;
	if (coll_request(c, &rq, &rp) == 0) {
		s->details_fetched = 1;
		rc = details_read(c, rp.json);
		coll_reply_release(&rp);
	}
	buf_release(&url);
	return rc;
}

/* Non-zero when a response on the page names a choice we cannot read. */
static int
unknown_choice(struct sm *s, const cJSON *data)
{
	const cJSON *choices = cJSON_GetObjectItemCaseSensitive(s->c->meta,
	    "choices");
	const cJSON *r, *pg, *q, *a;

	cJSON_ArrayForEach(r, data)
	cJSON_ArrayForEach(pg, cJSON_GetObjectItemCaseSensitive(r, "pages"))
	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(pg,
	    "questions"))
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(q,
	    "answers")) {
		const char *id = cj_str(a, "choice_id");

		if (id && !cJSON_HasObjectItem(choices, id))
			return 1;
	}
	return 0;
}

/* Appends one answer as text: a choice's text, or what was typed. */
static void
answer_text(const cJSON *choices, const cJSON *a, struct buf *out)
{
	const char *id = cj_str(a, "choice_id");
	const char *t = cj_str(a, "text");

	if (t != NULL) {
		buf_adds(out, t);	/* typed, "other" box included */
	} else if (id != NULL) {
		const char *ct = cj_str(choices, id);

		if (ct != NULL)
			buf_adds(out, ct);
		else
			buf_addf(out, "(choice %s)", id);
	}
}

static int
put_response(struct sm *s, const cJSON *r)
{
	struct coll *c = s->c;
	const cJSON *choices = cJSON_GetObjectItemCaseSensitive(c->meta,
	    "choices");
	const char *id = cj_str(r, "id");
	const char *mode = cj_str(r, "collection_mode");
	const char *status = cj_str(r, "response_status");
	const cJSON *pg, *q, *a;
	struct buf t = BUF_INIT, seen = BUF_INIT;

	if (id == NULL)
		return diag_env(c->d, "source '%s': a response has no id",
		    c->name);
	if ((mode && (strcmp(mode, "preview") == 0 ||
	    strcmp(mode, "survey_preview") == 0)) ||
	    (status && strcmp(status, "completed") != 0)) {
		coll_rec_skip(c);
		return 0;
	}
	coll_rec_begin(c);
	cJSON_ArrayForEach(pg, cJSON_GetObjectItemCaseSensitive(r, "pages"))
	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(pg,
	    "questions")) {
		const char *qid = cj_str(q, "id");
		long f = qid ? coll_field(c, qid) : -1;

		buf_reset(&seen);
		buf_addc(&seen, '\036');
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(q,
		    "answers")) {
			buf_reset(&t);
			buf_addc(&t, '\036');
			answer_text(choices, a, &t);
			buf_addc(&t, '\036');
			/* The same answer listed twice (a known server bug)
			 * counts once. */
			if (strstr(seen.data, t.data) != NULL)
				continue;
			buf_add(&seen, t.data + 1, t.len - 1);
			coll_rec_set(c, f, t.data + 1, t.len - 2);
		}
	}
	buf_release(&t);
	buf_release(&seen);
	return coll_rec_put(c, id, cj_str(r, "date_modified"));
}

static int
fetch(struct coll *c)
{
	struct sm s = { c, BUF_INIT, { NULL, NULL }, 0 };
	struct buf url = BUF_INIT;
	int rc = -1, first = 1;

	buf_addf(&s.auth, "Authorization: bearer %s", c->secret.data);
	s.hdr[0] = s.auth.data;
	if (!cJSON_HasObjectItem(c->meta, "choices") && details(&s) < 0)
		goto out;
	for (;;) {
		const char *since = cj_str(c->cursor, "since");
		const cJSON *pn = cJSON_GetObjectItemCaseSensitive(c->cursor,
		    "page");
		long page = cJSON_IsNumber(pn) ? (long)pn->valuedouble : 1;
		struct coll_req rq = { 0 };
		struct coll_reply rp;
		const cJSON *data, *links, *r, *tot;
		int64_t w = INT64_MIN;
		struct coll_span sp;
		int more;

		if (since != NULL && coll_time_parse(since, &w) < 0)
			w = INT64_MIN;
		coll_span_init(&sp, w);
		buf_reset(&url);
		buf_addf(&url, "%s/surveys/", c->url);
		coll_url_escape(&url, c->survey);
		buf_addf(&url, "/responses/bulk?per_page=%ld&sort_by="
		    "date_modified&sort_order=ASC&status=completed",
		    c->page_size);
		if (since != NULL) {
			buf_adds(&url, "&start_modified_at=");
			coll_url_escape(&url, since);
		}
		if (page > 1)
			buf_addf(&url, "&page=%ld", page);
		rq.url = url.data;
		rq.headers = s.hdr;
		rq.json = 1;
		if (coll_request(c, &rq, &rp) < 0)
			goto out;
		data = cJSON_GetObjectItemCaseSensitive(rp.json, "data");
		links = cJSON_GetObjectItemCaseSensitive(rp.json, "links");
		if (!cJSON_IsArray(data)) {
			diag_env(c->d, "source '%s': GET %s: the reply has no "
			    "\"data\" array", c->name, url.data);
			coll_reply_release(&rp);
			goto out;
		}
		tot = cJSON_GetObjectItemCaseSensitive(rp.json, "total");
		if (first && cJSON_IsNumber(tot))
			c->total = c->stats.rows +
			    (unsigned long)cj_long(tot, 0, 1L << 40, 0);
		first = 0;
		/* A survey edited since /details: learn its new choices. */
		if (unknown_choice(&s, data) && !s.details_fetched &&
		    details(&s) < 0) {
			coll_reply_release(&rp);
			goto out;
		}
		if (coll_page_begin(c) < 0) {
			coll_reply_release(&rp);
			goto out;
		}
		cJSON_ArrayForEach(r, data) {
			const char *dm = cj_str(r, "date_modified");

			if (put_response(&s, r) < 0) {
				coll_page_abort(c);
				coll_reply_release(&rp);
				goto out;
			}
			coll_span_see(&sp, dm);
		}
		more = cj_str(links, "next") != NULL &&
		    cJSON_GetArraySize(data) > 0;
		coll_span_advance(c, &sp, more, page, 1);
		coll_reply_release(&rp);
		if (coll_page_end(c) < 0)
			goto out;
		if (!more)
			break;
	}
	rc = 0;
out:
	explicit_bzero(s.auth.data, s.auth.len);
	buf_release(&s.auth);
	buf_release(&url);
	return rc;
}

int
coll_surveymonkey_details(struct coll *c, const char *body, size_t len)
{
	cJSON *json = cJSON_ParseWithLength(body, len);
	int rc;

	if (json == NULL)
		return diag_env(c->d, "source '%s': /details is not JSON",
		    c->name);
	rc = details_read(c, json);
	cJSON_Delete(json);
	return rc;
}

static int
put_one(struct coll *c, const cJSON *r)
{
	struct sm s = { c, BUF_INIT, { NULL, NULL }, 1 };

	return put_response(&s, r);
}

int
coll_surveymonkey_page(struct coll *c, const char *body, size_t len)
{
	return coll_offline_list(c, body, len, "data", put_one);
}

const struct coll_driver coll_surveymonkey = {
	.name = "surveymonkey",
	.default_url = "https://api.surveymonkey.com/v3",
	.max_page = 100,
	.default_rate = 0,		/* paced by its quota headers */
	.default_overlap = 1,
	.quota = {
		{ "X-Ratelimit-App-Global-Minute-Remaining",
		  "X-Ratelimit-App-Global-Minute-Reset" },
		{ "X-Ratelimit-App-Global-Day-Remaining",
		  "X-Ratelimit-App-Global-Day-Reset" },
		{ NULL, NULL },
	},
	.fetch = fetch,
};
