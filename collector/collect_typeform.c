/* SPDX-License-Identifier: MIT */
/*
 * The Typeform driver: GET /forms/{id} once (its field refs must include
 * every ref the definition names), then GET /forms/{id}/responses with
 * page_size=1000, newest first, walking back with the last token as
 * `before` until a short page (or one holding all of total_items), as
 * Typeform's own client does.  A run asks for responses submitted since
 * the newest one of the last complete walk minus an overlap (default an
 * hour), because Typeform makes very recent submissions visible late;
 * what is read twice is stored once (upsert by response id).  The walk's
 * position (before, newest seen) commits with every page, so a run that
 * is killed goes on from there.  Typeform allows two requests a second
 * per account: requests are paced to that.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

/* Checks the form once: every ref of the definition must be a field. */
static int
check_form(struct coll *c, const char *const *hdr)
{
	struct coll_req rq = { 0 };
	struct coll_reply rp;
	struct buf url = BUF_INIT;
	const cJSON *f;
	cJSON *refs;
	int rc = -1, bad = 0;

	buf_addf(&url, "%s/forms/", c->url);
	coll_url_escape(&url, c->survey);
	rq.url = url.data;
	rq.headers = hdr;
	rq.json = 1;
	if (coll_request(c, &rq, &rp) < 0)
		goto out;
	refs = cJSON_CreateObject();
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(rp.json,
	    "fields")) {
		const char *ref = cj_str(f, "ref");

		if (ref != NULL)
			cJSON_AddTrueToObject(refs, ref);
	}
	for (size_t i = 0; i < qn_nfields(c->q); i++)
		if (c->src[i] != NULL &&
		    !cJSON_HasObjectItem(refs, c->src[i])) {
			diag_err(c->d, "source '%s': form %s has no field with "
			    "ref '%s' (the typeform id of %s '%s' in '%s')",
			    c->name, c->survey, c->src[i],
			    qn_field_kind(c->q, i) == QN_DIM ? "dimension" :
			    "item", qn_field_key(c->q, i), qn_id(c->q));
			bad = 1;
		}
	cJSON_Delete(refs);
	if (!bad)
		cj_set_str(c->meta, "form_checked", c->survey);
	rc = bad ? -1 : 0;
	coll_reply_release(&rp);
out:
	buf_release(&url);
	return rc;
}

/* Appends one answer's value as text; -1 when it has none we read. */
static int
answer(const cJSON *a, struct buf *t)
{
	const char *type = cj_str(a, "type");
	const cJSON *v;

	if (type == NULL)
		return -1;
	v = cJSON_GetObjectItemCaseSensitive(a, type);
	if (strcmp(type, "choice") == 0) {
		const char *l = cj_str(v, "label");

		if (l == NULL)
			l = cj_str(v, "other");
		return l ? buf_adds(t, l) : -1;
	}
	if (strcmp(type, "choices") == 0) {
		const cJSON *l;
		const char *other = cj_str(v, "other");
		int n = 0;

		cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(v,
		    "labels")) {
			if (!cJSON_IsString(l))
				continue;
			if (n++)
				buf_adds(t, "; ");
			buf_adds(t, l->valuestring);
		}
		if (other != NULL) {
			if (n++)
				buf_adds(t, "; ");
			buf_adds(t, other);
		}
		return n ? 0 : -1;
	}
	if (strcmp(type, "payment") == 0)
		return -1;
	return cj_text(v, t);
}

static int
put_item(struct coll *c, const cJSON *it)
{
	const char *id = cj_str(it, "response_id");
	const cJSON *a;
	struct buf t = BUF_INIT;
	int rc;

	if (id == NULL)
		id = cj_str(it, "token");
	if (id == NULL)
		return diag_env(c->d, "source '%s': a response has no "
		    "response_id or token", c->name);
	coll_rec_begin(c);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(it,
	    "answers")) {
		const char *ref = cj_str(cJSON_GetObjectItemCaseSensitive(a,
		    "field"), "ref");

		buf_reset(&t);
		if (ref == NULL || answer(a, &t) < 0)
			continue;
		coll_rec_set(c, coll_field(c, ref), t.data, t.len);
	}
	rc = coll_rec_put(c, id, cj_str(it, "submitted_at"));
	buf_release(&t);
	return rc;
}

static int
fetch(struct coll *c)
{
	struct buf auth = BUF_INIT, url = BUF_INIT;
	const char *hdr[2] = { NULL, NULL };
	int rc = -1, first = 1;

	buf_addf(&auth, "Authorization: Bearer %s", c->secret.data);
	hdr[0] = auth.data;
	if (cj_str(c->meta, "form_checked") == NULL && check_form(c, hdr) < 0)
		goto out;
	for (;;) {
		const cJSON *sv = cJSON_GetObjectItemCaseSensitive(c->cursor,
		    "since");
		cJSON *walk = cJSON_GetObjectItemCaseSensitive(c->cursor,
		    "walk");
		const char *before = cj_str(walk, "before");
		const cJSON *mx = cJSON_GetObjectItemCaseSensitive(walk, "max");
		int64_t max = cJSON_IsNumber(mx) ? (int64_t)mx->valuedouble :
		    INT64_MIN, t;
		struct coll_req rq = { 0 };
		struct coll_reply rp;
		const cJSON *items, *it, *tot;
		const char *lastok = NULL;
		char ts[32];
		long n;

		buf_reset(&url);
		buf_addf(&url, "%s/forms/", c->url);
		coll_url_escape(&url, c->survey);
		buf_addf(&url, "/responses?page_size=%ld", c->page_size);
		if (cJSON_IsNumber(sv)) {
			coll_time_fmt((int64_t)sv->valuedouble - c->overlap, 1,
			    ts);
			buf_addf(&url, "&since=%s", ts);
		}
		if (before != NULL) {
			buf_adds(&url, "&before=");
			coll_url_escape(&url, before);
		}
		rq.url = url.data;
		rq.headers = hdr;
		rq.json = 1;
		if (coll_request(c, &rq, &rp) < 0)
			goto out;
		items = cJSON_GetObjectItemCaseSensitive(rp.json, "items");
		if (!cJSON_IsArray(items)) {
			diag_env(c->d, "source '%s': GET %s: the reply has no "
			    "\"items\" array", c->name, url.data);
			coll_reply_release(&rp);
			goto out;
		}
		tot = cJSON_GetObjectItemCaseSensitive(rp.json, "total_items");
		if (first && cJSON_IsNumber(tot))
			c->total = c->stats.rows +
			    (unsigned long)tot->valuedouble;
		first = 0;
		if (coll_page_begin(c) < 0) {
			coll_reply_release(&rp);
			goto out;
		}
		cJSON_ArrayForEach(it, items) {
			const char *sa = cj_str(it, "submitted_at");

			if (put_item(c, it) < 0) {
				coll_page_abort(c);
				coll_reply_release(&rp);
				goto out;
			}
			if (sa != NULL && coll_time_parse(sa, &t) == 0 &&
			    t > max)
				max = t;
			if (cj_str(it, "token") != NULL)
				lastok = cj_str(it, "token");
		}
		n = cJSON_GetArraySize(items);
		/*
		 * A short page ends the walk, and so does a full one holding
		 * every item the query has (total_items counts them), which
		 * spares a request for an empty page.
		 */
		if (n < c->page_size || lastok == NULL ||
		    (cJSON_IsNumber(tot) && tot->valuedouble <= (double)n)) {
			/* The walk is complete: remember the newest. */
			if (max != INT64_MIN)
				cj_set_num(c->cursor, "since", (double)max);
			cJSON_DeleteItemFromObjectCaseSensitive(c->cursor,
			    "walk");
		} else {
			cJSON *w = cJSON_CreateObject();

			cJSON_AddStringToObject(w, "before", lastok);
			if (max != INT64_MIN)
				cJSON_AddNumberToObject(w, "max", (double)max);
			cJSON_DeleteItemFromObjectCaseSensitive(c->cursor,
			    "walk");
			cJSON_AddItemToObject(c->cursor, "walk", w);
		}
		coll_reply_release(&rp);
		if (coll_page_end(c) < 0)
			goto out;
		if (!cJSON_HasObjectItem(c->cursor, "walk"))
			break;
	}
	rc = 0;
out:
	explicit_bzero(auth.data, auth.len);
	buf_release(&auth);
	buf_release(&url);
	return rc;
}

const struct coll_driver coll_typeform = {
	.name = "typeform",
	.default_url = "https://api.typeform.com",
	.max_page = 1000,
	.default_rate = 120,		/* 2 a second, */
	.default_window = 1,		/* counted over each second */
	.default_overlap = 3600,
	.quota = { { NULL, NULL } },
	.fetch = fetch,
};
