/* SPDX-License-Identifier: MIT */
/*
 * The Qualtrics v3 driver: the three-step response export.  POST
 * /surveys/{id}/export-responses ({"format": "json", "allowContinuation":
 * true}, plus the continuationToken of the last export on later runs, so
 * only responses recorded since come back), poll the job's progress with
 * a growing pause and a cap on the number of polls, branching on its
 * status (failed is an error, not a file), then download the file: a ZIP
 * holding one JSON document ({"responses": [...]}), or the bare document.
 * Choices are read from the export's labels; text entry from QIDn_TEXT.
 * The file's responses and the new continuation token commit together.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

static int
put_response(struct coll *c, const cJSON *r)
{
	const char *id = cj_str(r, "responseId");
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(r, "values");
	const cJSON *labels = cJSON_GetObjectItemCaseSensitive(r, "labels");
	const cJSON *fin = cJSON_GetObjectItemCaseSensitive(vals, "finished");
	struct buf t = BUF_INIT, key = BUF_INIT;
	int rc;

	if (id == NULL)
		return diag_env(c->d, "source '%s': a response in the export "
		    "has no responseId", c->name);
	if ((cJSON_IsNumber(fin) && fin->valuedouble == 0) ||
	    cJSON_IsFalse(fin)) {
		coll_rec_skip(c);		/* recorded but not finished */
		return 0;
	}
	coll_rec_begin(c);
	for (size_t i = 0; i < qn_nfields(c->q); i++) {
		const char *qid = c->src[i];
		const char *label;
		const cJSON *v;

		if (qid == NULL)
			continue;	/* derived from the team map */
		label = cj_str(labels, qid);
		buf_reset(&t);
		buf_reset(&key);
		buf_addf(&key, "%s_TEXT", qid);
		if (label != NULL) {
			buf_adds(&t, label);
		} else if ((v = cJSON_GetObjectItemCaseSensitive(vals,
		    key.data)) != NULL || (v =
		    cJSON_GetObjectItemCaseSensitive(vals, qid)) != NULL) {
			if (cj_text(v, &t) < 0)
				continue;
		} else {
			continue;
		}
		coll_rec_set(c, (long)i, t.data, t.len);
	}
	rc = coll_rec_put(c, id, cj_str(vals, "recordedDate"));
	buf_release(&t);
	buf_release(&key);
	return rc;
}

/* Starts an export job; its progressId goes to pid. */
static int
start(struct coll *c, const char *const *hdr, struct buf *pid)
{
	const char *tok = cj_str(c->cursor, "continuation");
	struct coll_req rq = { 0 };
	struct coll_reply rp;
	struct buf url = BUF_INIT;
	cJSON *body = cJSON_CreateObject();
	char *js;
	const char *p;
	int rc = -1;

	cJSON_AddStringToObject(body, "format", "json");
	cJSON_AddTrueToObject(body, "allowContinuation");
	if (tok != NULL)
		cJSON_AddStringToObject(body, "continuationToken", tok);
	js = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	buf_addf(&url, "%s/surveys/", c->url);
	coll_url_escape(&url, c->survey);
	buf_adds(&url, "/export-responses");
	rq.method = "POST";
	rq.url = url.data;
	rq.body = js;
	rq.body_len = strlen(js);
	rq.headers = hdr;
	rq.json = 1;
	if (coll_request(c, &rq, &rp) == 0) {
		p = cj_str(cJSON_GetObjectItemCaseSensitive(rp.json, "result"),
		    "progressId");
		if (p == NULL)
			diag_env(c->d, "source '%s': POST %s: the reply has no "
			    "result.progressId", c->name, url.data);
		else if ((rc = 0) == 0)
			buf_adds(pid, p);
		coll_reply_release(&rp);
	}
	cJSON_free(js);
	buf_release(&url);
	return rc;
}

/* Polls the job until it is complete: fileId and token go to fid, tok. */
static int
poll(struct coll *c, const char *const *hdr, const char *pid,
    struct buf *fid, struct buf *tok)
{
	struct buf url = BUF_INIT;
	long pause = c->backoff_ms;
	int rc = -1;

	buf_addf(&url, "%s/surveys/", c->url);
	coll_url_escape(&url, c->survey);
	buf_adds(&url, "/export-responses/");
	coll_url_escape(&url, pid);
	for (long n = 0;; n++) {
		struct coll_req rq = { 0 };
		struct coll_reply rp;
		const cJSON *res;
		const char *st, *f, *ct;

		if (n >= c->polls) {
			diag_env(c->d, "source '%s': GET %s: the export job is "
			    "still in progress after %ld polls "
			    "(collect.polls); try again later", c->name,
			    url.data, n);
			break;
		}
		if (n > 0) {
			coll_sleep_ms(pause);
			pause = pause * 3 / 2 > 5000 ? 5000 : pause * 3 / 2;
		}
		rq.url = url.data;
		rq.headers = hdr;
		rq.json = 1;
		if (coll_request(c, &rq, &rp) < 0)
			break;
		res = cJSON_GetObjectItemCaseSensitive(rp.json, "result");
		st = cj_str(res, "status");
		f = cj_str(res, "fileId");
		ct = cj_str(res, "continuationToken");
		if (st != NULL && strcmp(st, "complete") == 0 && f != NULL) {
			buf_adds(fid, f);
			if (ct != NULL)
				buf_adds(tok, ct);
			coll_reply_release(&rp);
			rc = 0;
			break;
		}
		if (st == NULL || strcmp(st, "inProgress") != 0) {
			diag_env(c->d, "source '%s': GET %s: the export job "
			    "%s; nothing of it was stored", c->name, url.data,
			    st && strcmp(st, "failed") == 0 ? "failed" :
			    "is in an unknown state");
			coll_reply_release(&rp);
			break;
		}
		coll_reply_release(&rp);
	}
	buf_release(&url);
	return rc;
}

/*
 * The export file (a ZIP holding the document, or the bare document) read
 * from url: the document, which has a "responses" array, or NULL.
 */
static cJSON *
file_doc(struct coll *c, const char *body, size_t len, const char *url)
{
	struct buf doc = BUF_INIT;
	const char *why = NULL;
	cJSON *json = NULL;

	if (len >= 4 && memcmp(body, "PK\003\004", 4) == 0) {
		if (zip_first_file(body, len, &doc, &why) < 0) {
			diag_env(c->d, "source '%s': GET %s: %s", c->name, url,
			    why);
			goto out;
		}
	} else {
		buf_add(&doc, body, len);
	}
	json = cJSON_ParseWithLength(doc.data, doc.len);
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(json,
	    "responses"))) {
		diag_env(c->d, "source '%s': GET %s: the export file is not "
		    "a JSON document with a \"responses\" array", c->name,
		    url);
		cJSON_Delete(json);
		json = NULL;
	}
out:
	buf_release(&doc);
	return json;
}

int
coll_qualtrics_file(struct coll *c, const char *body, size_t len)
{
	cJSON *json = file_doc(c, body, len, "(file)");
	const cJSON *r;
	int rc = json ? 0 : -1;

	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(json,
	    "responses"))
		if ((rc = put_response(c, r)) < 0)
			break;
	cJSON_Delete(json);
	return rc;
}

static int
fetch(struct coll *c)
{
	struct buf auth = BUF_INIT, pid = BUF_INIT, fid = BUF_INIT,
	    tok = BUF_INIT, url = BUF_INIT;
	const char *hdr[2] = { NULL, NULL };
	struct coll_req rq = { 0 };
	struct coll_reply rp = { 0 };
	const cJSON *r, *list;
	cJSON *json = NULL;
	int rc = -1;

	buf_addf(&auth, "X-API-TOKEN: %s", c->secret.data);
	hdr[0] = auth.data;
	if (start(c, hdr, &pid) < 0 || poll(c, hdr, pid.data, &fid, &tok) < 0)
		goto out;
	buf_addf(&url, "%s/surveys/", c->url);
	coll_url_escape(&url, c->survey);
	buf_adds(&url, "/export-responses/");
	coll_url_escape(&url, fid.data);
	buf_adds(&url, "/file");
	rq.url = url.data;
	rq.headers = hdr;
	if (coll_request(c, &rq, &rp) < 0)
		goto out;
	if ((json = file_doc(c, rp.body.data, rp.body.len, url.data)) ==
	    NULL)
		goto out;
	list = cJSON_GetObjectItemCaseSensitive(json, "responses");
	c->total = c->stats.rows + (unsigned long)cJSON_GetArraySize(list);
	if (coll_page_begin(c) < 0)
		goto out;
	cJSON_ArrayForEach(r, list)
		if (put_response(c, r) < 0) {
			coll_page_abort(c);
			goto out;
		}
	if (tok.len > 0)
		cj_set_str(c->cursor, "continuation", tok.data);
	if (coll_page_end(c) < 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(json);
	coll_reply_release(&rp);
	explicit_bzero(auth.data, auth.len);
	buf_release(&auth);
	buf_release(&pid);
	buf_release(&fid);
	buf_release(&tok);
	buf_release(&url);
	return rc;
}

const struct coll_driver coll_qualtrics = {
	.name = "qualtrics",
	.default_url = NULL,		/* https://{datacentre}.qualtrics.com */
	.max_page = 1,			/* one file per export */
	.default_rate = 0,
	.default_overlap = 0,
	.quota = { { NULL, NULL } },
	.fetch = fetch,
};
