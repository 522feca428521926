/* SPDX-License-Identifier: MIT */
/*
 * The LimeSurvey RemoteControl 2 driver (JSON-RPC over one POST URL):
 * get_session_key, export_responses as a base64 JSON document (question
 * codes as headings, answer text rather than codes), release_session_key.
 * Application errors come back as HTTP 200 with {"status": "..."}: "No
 * Data" means no responses, "Invalid session key" a session that expired,
 * which is renewed once.  One session serves the run's sources of one
 * account (URL and user): the last of them, or one that fails, releases
 * it.  There is no modified-since filter: responses are fetched by id,
 * from the oldest one still incomplete at the last run (a partial
 * response keeps its id when it is completed) or else from the newest id
 * plus one.  Incomplete responses are not stored.  Session keys are never
 * archived, logged or kept after the run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

struct ls {
	struct coll	*c;
	struct buf	*key;		/* the session key (a secret), kept
					   by the run for the account */
	int		 id;
};

/*
 * Calls method with the JSON array params (text); *result gets the result
 * (detached, the caller's).  -1 on a transport or protocol error.
 */
static int
call(struct ls *l, const char *method, const char *params, int secret,
    cJSON **result)
{
	struct coll *c = l->c;
	struct coll_req rq = { 0 };
	struct coll_reply rp;
	struct buf body = BUF_INIT;
	const cJSON *err;
	int rc = -1;

	*result = NULL;
	buf_addf(&body, "{\"method\":\"%s\",\"params\":%s,\"id\":%d}", method,
	    params, ++l->id);
	rq.method = "POST";
	rq.url = c->url;
	rq.body = body.data;
	rq.body_len = body.len;
	rq.json = 1;
	rq.no_archive = secret;
	if (coll_request(c, &rq, &rp) == 0) {
		err = cJSON_GetObjectItemCaseSensitive(rp.json, "error");
		if (err != NULL && !cJSON_IsNull(err)) {
			diag_env(c->d, "source '%s': POST %s (%s): JSON-RPC "
			    "error: %.200s", c->name, c->url, method,
			    cJSON_IsString(err) ? err->valuestring : "?");
		} else {
			*result = cJSON_DetachItemFromObjectCaseSensitive(
			    rp.json, "result");
			rc = 0;
		}
		coll_reply_release(&rp);
	}
	explicit_bzero(body.data, body.len);
	buf_release(&body);
	return rc;
}

static int
login(struct ls *l)
{
	struct coll *c = l->c;
	struct buf p = BUF_INIT;
	cJSON *res;
	int rc = -1;

	buf_addc(&p, '[');
	text_json_str(&p, c->user);
	buf_addc(&p, ',');
	text_json_str(&p, c->secret.data);
	buf_addc(&p, ']');
	if (call(l, "get_session_key", p.data, 1, &res) == 0) {
		if (cJSON_IsString(res) && *res->valuestring) {
			buf_reset(l->key);
			buf_adds(l->key, res->valuestring);
			explicit_bzero(res->valuestring,
			    strlen(res->valuestring));
			rc = 0;
		} else {
			diag_env(c->d, "source '%s': POST %s (get_session_key):"
			    " LimeSurvey refused the login as '%s': %.200s",
			    c->name, c->url, c->user, cj_str(res, "status") ?
			    cj_str(res, "status") : "no session key");
		}
	}
	cJSON_Delete(res);
	explicit_bzero(p.data, p.len);
	buf_release(&p);
	return rc;
}

static void
logout(struct ls *l)
{
	struct buf p = BUF_INIT;
	cJSON *res;
	struct diag quiet = DIAG_INIT;
	struct diag *d = l->c->d;

	if (l->key->len == 0)
		return;
	buf_addc(&p, '[');
	text_json_str(&p, l->key->data);
	buf_addc(&p, ']');
	/* Politeness only: a failure here must not fail the run. */
	diag_init(&quiet);
	l->c->d = &quiet;
	if (call(l, "release_session_key", p.data, 1, &res) == 0)
		cJSON_Delete(res);
	l->c->d = d;
	diag_release(&quiet);
	explicit_bzero(p.data, p.len);
	buf_release(&p);
}

/* The document in export_responses' base64 result, or NULL. */
static cJSON *
doc_decode(struct coll *c, const char *b64, size_t n)
{
	struct buf raw = BUF_INIT;
	cJSON *doc = NULL;

	if (base64_decode(&raw, b64, n) < 0 ||
	    (doc = cJSON_ParseWithLength(raw.data, raw.len)) == NULL)
		diag_env(c->d, "source '%s': POST %s (export_responses): the "
		    "result is not a base64 JSON document", c->name, c->url);
	buf_release(&raw);
	return doc;
}

/* export_responses from id `from`: the decoded document, or NULL. */
static int
export(struct ls *l, long from, cJSON **doc, int *nodata)
{
	struct coll *c = l->c;
	struct buf p = BUF_INIT;
	cJSON *res = NULL;
	int rc = -1;

	*doc = NULL;
	*nodata = 0;
	for (int tries = 0; tries < 2; tries++) {
		const char *st;

		buf_reset(&p);
		buf_addc(&p, '[');
		text_json_str(&p, l->key->data);
		buf_addc(&p, ',');
		text_json_str(&p, c->survey);
		buf_addf(&p, ",\"json\",null,\"all\",\"code\",\"long\",%ld,"
		    "null]", from);
		cJSON_Delete(res);
		if (call(l, "export_responses", p.data, 0, &res) < 0)
			goto out;
		st = cj_str(res, "status");
		if (st == NULL)
			break;
		if (strncmp(st, "No Data", 7) == 0) {
			*nodata = 1;
			rc = 0;
			goto out;
		}
		if (strcmp(st, "Invalid session key") != 0 || tries > 0) {
			diag_env(c->d, "source '%s': POST %s (export_responses "
			    "of survey %s): LimeSurvey says: %.200s", c->name,
			    c->url, c->survey, st);
			goto out;
		}
		coll_log(c, "the session expired; logging in again");
		if (login(l) < 0)
			goto out;
	}
	if (!cJSON_IsString(res)) {
		diag_env(c->d, "source '%s': POST %s (export_responses): the "
		    "result is not a base64 JSON document", c->name, c->url);
		goto out;
	}
	if ((*doc = doc_decode(c, res->valuestring,
	    strlen(res->valuestring))) != NULL)
		rc = 0;
out:
	cJSON_Delete(res);
	explicit_bzero(p.data, p.len);
	buf_release(&p);
	return rc;
}

/* A record, unwrapped if an older release nested it under its id. */
static const cJSON *
record(const cJSON *r)
{
	if (cJSON_IsObject(r) && cJSON_GetArraySize(r) == 1 &&
	    cJSON_IsObject(r->child))
		return r->child;
	return r;
}

static int
put_rows(struct ls *l, const cJSON *doc, long *next)
{
	struct coll *c = l->c;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "responses");
	const cJSON *it;
	struct buf id = BUF_INIT, t = BUF_INIT;
	long maxid = *next - 1, oldest_open = -1;
	int rc = -1;

	if (!cJSON_IsArray(list)) {
		diag_env(c->d, "source '%s': POST %s (export_responses): the "
		    "document has no \"responses\" array", c->name, c->url);
		return -1;
	}
	c->total = c->stats.rows + (unsigned long)cJSON_GetArraySize(list);
	cJSON_ArrayForEach(it, list) {
		const cJSON *r = record(it);
		const cJSON *sd = cJSON_GetObjectItemCaseSensitive(r,
		    "submitdate");
		const char *mod = cj_str(r, "datestamp");
		long n;

		buf_reset(&id);
		if (cj_text(cJSON_GetObjectItemCaseSensitive(r, "id"), &id) <
		    0 || id.len == 0) {
			diag_env(c->d, "source '%s': a response has no id",
			    c->name);
			goto out;
		}
		n = strtol(id.data, NULL, 10);
		if (n > maxid)
			maxid = n;
		if (!cJSON_IsString(sd) || *sd->valuestring == '\0') {
			if (oldest_open < 0 || n < oldest_open)
				oldest_open = n;
			coll_rec_skip(c);
			continue;
		}
		coll_rec_begin(c);
		for (size_t i = 0; i < qn_nfields(c->q); i++) {
			const cJSON *v = c->src[i] == NULL ? NULL :
			    cJSON_GetObjectItemCaseSensitive(r, c->src[i]);

			buf_reset(&t);
			if (v == NULL || cj_text(v, &t) < 0 || t.len == 0)
				continue;
			coll_rec_set(c, (long)i, t.data, t.len);
		}
		if (coll_rec_put(c, id.data, mod ? mod : sd->valuestring) < 0)
			goto out;
	}
	*next = oldest_open > 0 ? oldest_open : maxid + 1;
	rc = 0;
out:
	buf_release(&id);
	buf_release(&t);
	return rc;
}

int
coll_limesurvey_doc(struct coll *c, const char *body, size_t len)
{
	struct buf key = BUF_INIT;	/* no session: nothing is sent */
	struct ls l = { c, &key, 0 };
	cJSON *doc = doc_decode(c, body, len);
	long next = 1;
	int rc = doc ? put_rows(&l, doc, &next) : -1;

	cJSON_Delete(doc);
	return rc;
}

static int
fetch(struct coll *c)
{
	struct ls l = { c, NULL, 0 };
	const cJSON *fv = cJSON_GetObjectItemCaseSensitive(c->cursor, "from");
	long from = cJSON_IsNumber(fv) ? (long)fv->valuedouble : 1, next;
	cJSON *doc = NULL;
	int rc = -1, nodata;
	char *ident = xasprintf("limesurvey %s %s", c->url, c->user);

	l.key = http_session(c->http, ident);
	free(ident);
	if ((l.key->len == 0 && login(&l) < 0) ||
	    export(&l, from, &doc, &nodata) < 0)
		goto out;
	if (coll_page_begin(c) < 0)
		goto out;
	next = from;
	if (!nodata && put_rows(&l, doc, &next) < 0) {
		coll_page_abort(c);
		goto out;
	}
	cj_set_num(c->cursor, "from", (double)next);
	if (coll_page_end(c) < 0)
		goto out;
	rc = 0;
out:
	/* The next source of this account uses the session; the last one
	 * (or one that failed) releases it. */
	if (!c->keep_session || rc < 0) {
		logout(&l);
		explicit_bzero(l.key->data, l.key->len);
		buf_reset(l.key);
	}
	cJSON_Delete(doc);
	return rc;
}

const struct coll_driver coll_limesurvey = {
	.name = "limesurvey",
	.default_url = NULL,	/* https://HOST/index.php/admin/remotecontrol */
	.max_page = 1,		/* one document per export */
	.default_rate = 0,
	.default_overlap = 0,
	.needs_user = 1,
	.quota = { { NULL, NULL } },
	.fetch = fetch,
};
