/* SPDX-License-Identifier: MIT */
/*
 * whc collect's engine: reads the [source "NAME"] sections of the config,
 * fetches each source's credentials (an environment variable, or a file
 * only its owner can read; never the command line), loads its definition
 * and its cursor, and runs its provider's driver.  Drivers hand over
 * responses page by page; each page's raw bodies, its responses and the
 * cursor that follows it commit in one transaction, so a run killed at any
 * moment leaves the store at a page boundary and the next run carries on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/collect.h"
#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/config.h"
#include "common/diag.h"
#include "common/sha256.h"
#include "common/store.h"
#include "common/store_collect.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

static const struct coll_driver *const drivers[] = {
	&coll_limesurvey,
	&coll_qualtrics,
	&coll_smartsurvey,
	&coll_surveymonkey,
	&coll_typeform,
};
#define NDRIVERS (sizeof(drivers) / sizeof(drivers[0]))

/* The keys a [source] section may have. */
static const char *const source_keys[] = {
	"provider", "survey", "url", "token_env", "token_file", "user",
	"questionnaire", "page_size", "rate", "window", "overlap",
};

struct coll_arch {
	char		*method;
	char		*url;
	long		 status;
	char		 at[32];
	char		*body;
	size_t		 len;
};

struct run {
	struct store	*st;
	const struct config *cfg;
	const char	*qn_dirs;
	const struct collect_opts *o;
	struct diag	*d;
	struct http	*http;
	long		 retries, timeout, max_wait, polls, backoff_ms;
	long		 max_body;
	char		**names;
	size_t		 nnames, anames;
	int		 failed;
};

void
coll_log(struct coll *c, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (c->o->log == NULL)
		return;
	buf_addf(&b, "%s: ", c->name);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	c->o->log(b.data, c->o->arg);
	buf_release(&b);
}

void
coll_progress(struct coll *c)
{
	struct collect_progress p;

	if (c->o->progress == NULL)
		return;
	p.source = c->name;
	p.pages = c->pages;
	p.requests = c->requests;
	p.responses = c->stats.rows;
	p.total = c->total;
	p.elapsed = coll_now() - c->t0;
	c->o->progress(&p, c->o->arg);
}

/* ------------------------------------------------------------------ */
/* The raw archive */

void
coll_arch_add(struct coll *c, const char *method, const char *url,
    long status, const struct buf *body)
{
	struct coll_arch *a;

	VEC_GROW(c->arch, c->narch + 1, c->aarch);
	a = &c->arch[c->narch++];
	a->method = xstrdup(method);
	a->url = xstrdup(url);
	a->status = status;
	coll_time_fmt((int64_t)coll_now(), 1, a->at);
	a->body = xmalloc(body->len + 1);
	memcpy(a->body, body->data, body->len + 1);
	a->len = body->len;
}

static void
arch_clear(struct coll *c)
{
	for (size_t i = 0; i < c->narch; i++) {
		free(c->arch[i].method);
		free(c->arch[i].url);
		free(c->arch[i].body);
	}
	c->narch = 0;
}

/* Writes the queued bodies (inside a transaction). */
static int
arch_flush(struct coll *c, int64_t source_id)
{
	for (size_t i = 0; i < c->narch; i++) {
		struct coll_arch *a = &c->arch[i];
		struct store_page p;
		struct sha256 h;
		char hex[65];

		sha256_init(&h);
		sha256_update(&h, a->body, a->len);
		sha256_hex(&h, hex);
		p.source_id = source_id;
		p.method = a->method;
		p.url = a->url;
		p.status = a->status;
		p.at = a->at;
		p.sha = hex;
		p.body = a->body;
		p.len = a->len;
		if (store_page_add(c->st, &p, c->d) < 0)
			return -1;
	}
	arch_clear(c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pages */

int
coll_page_begin(struct coll *c)
{
	struct store_batch b = { 0 };
	struct buf cols = BUF_INIT, origin = BUF_INIT;
	int rc;

	if (c->in_page)
		BUG("coll_page_begin inside a page");
	if (store_begin(c->st, c->d) < 0)
		return -1;
	c->in_page = 1;
	if (arch_flush(c, c->in.source_id) < 0)
		goto fail;
	if (c->batch_made)
		return 0;
	buf_addc(&cols, '[');
	for (size_t i = 0; i < qn_nfields(c->q); i++) {
		if (i)
			buf_addc(&cols, ',');
		text_json_str(&cols, qn_field_key(c->q, i));
	}
	buf_addc(&cols, ']');
	coll_url_redact(c->url, &origin);
	buf_addf(&origin, " survey %s", c->survey);
	b.source_id = c->in.source_id;
	b.kind = "api";
	b.origin = origin.data;
	b.sha = "";
	b.columns = cols.data;
	rc = store_batch_add(c->st, &b, &c->in.batch_id, c->d);
	buf_release(&cols);
	buf_release(&origin);
	if (rc < 0)
		goto fail;
	c->batch_made = 1;
	return 0;
fail:
	coll_page_abort(c);
	return -1;
}

void
coll_page_abort(struct coll *c)
{
	if (!c->in_page)
		return;
	store_rollback(c->st);
	ingest_ledger_drop(&c->in);
	c->in_page = 0;
	/* The batch row went with the transaction if it was made in it. */
	c->batch_made = c->pages > 0 && c->batch_made;
}

int
coll_page_end(struct coll *c)
{
	struct store_cstate cs;
	char *cur = cJSON_PrintUnformatted(c->cursor);
	char *meta = cJSON_PrintUnformatted(c->meta);
	int rc = -1;

	if (!c->in_page)
		BUG("coll_page_end outside a page");
	cs.ident = c->ident;
	cs.cursor = cur;
	cs.meta = meta;
	if (arch_flush(c, c->in.source_id) < 0 ||
	    store_cstate_put(c->st, c->in.source_id, &cs, c->d) < 0 ||
	    store_batch_done(c->st, c->in.batch_id, "", c->stats.rows,
	    c->stats.changed, c->d) < 0 || ingest_ledger(&c->in) < 0)
		goto out;
	if (store_commit(c->st, c->d) < 0) {
		c->in_page = 0;
		goto out;
	}
	c->in_page = 0;
	c->pages++;
	rc = 0;
	coll_progress(c);
out:
	if (c->in_page)
		coll_page_abort(c);
	cJSON_free(cur);
	cJSON_free(meta);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Responses */

void
coll_rec_begin(struct coll *c)
{
	for (size_t i = 0; i < qn_nfields(c->q); i++) {
		buf_reset(&c->val[i]);
		c->set[i] = 0;
	}
}

long
coll_field(const struct coll *c, const char *qid)
{
	int64_t *v = strmap_get(&c->by_src, qid, strlen(qid));

	return v ? (long)*v : -1;
}

void
coll_rec_set(struct coll *c, long i, const char *s, size_t n)
{
	if (i < 0)
		return;
	if (c->set[i])
		buf_adds(&c->val[i], "; ");
	buf_add(&c->val[i], s, n);
	c->set[i] = 1;
}

void
coll_rec_skip(struct coll *c)
{
	c->stats.rows++;
	c->stats.unchanged++;
}

int
coll_rec_put(struct coll *c, const char *rid, const char *modified)
{
	size_t nf = qn_nfields(c->q);
	char **val = xcalloc(nf + 1, sizeof(*val));
	size_t *len = xcalloc(nf + 1, sizeof(*len));
	struct buf raw = BUF_INIT;
	char mod[32] = "";
	int64_t t;
	int rc;

	if (!c->in_page)
		BUG("coll_rec_put outside a page");
	buf_addc(&raw, '[');
	for (size_t i = 0; i < nf; i++) {
		if (i)
			buf_addc(&raw, ',');
		text_json_strn(&raw, c->val[i].data, c->val[i].len);
		val[i] = c->val[i].data;
		len[i] = c->val[i].len;
	}
	buf_addc(&raw, ']');
	if (modified != NULL && coll_time_parse(modified, &t) == 0)
		coll_time_fmt(t, 1, mod);
	c->stats.rows++;
	rc = ingest_put(&c->in, rid, *mod ? mod : modified ? modified : "",
	    val, len, raw.data, 0);
	buf_release(&raw);
	free(val);
	free(len);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Configuration */

static const struct coll_driver *
driver(const char *name)
{
	for (size_t i = 0; i < NDRIVERS; i++)
		if (strcmp(drivers[i]->name, name) == 0)
			return drivers[i];
	return NULL;
}

/* The value of source key k, or NULL. */
static const char *
skey(struct run *r, const char *name, const char *k)
{
	char *full = xasprintf("source.%s.%s", name, k);
	const char *v = config_get(r->cfg, full);

	free(full);
	return v;
}

static int
sint(struct run *r, const char *name, const char *k, long lo, long hi,
    long *out)
{
	char *full = xasprintf("source.%s.%s", name, k);
	int rc = config_get_int(r->cfg, full, lo, hi, out, r->d);

	free(full);
	return rc;
}

/* A located config error about source name's key k. */
static int
conf_err(struct run *r, const char *name, const char *k, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
conf_err(struct run *r, const char *name, const char *k, const char *fmt,
    ...)
{
	char *full = xasprintf("source.%s.%s", name, k);
	struct loc loc = { config_path(r->cfg), config_line(r->cfg, full), 0,
	    NULL };
	struct buf msg = BUF_INIT;
	va_list ap;

	if (loc.line == 0) {
		free(full);
		full = xasprintf("source.%s.provider", name);
		loc.line = config_line(r->cfg, full);
	}
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_at(r->d, DIAG_CONF_VALUE, &loc, "source '%s': %s", name,
	    msg.data);
	buf_release(&msg);
	free(full);
	return -1;
}

/* A path from the config is relative to the config file's directory. */
static char *
conf_path(struct run *r, const char *p)
{
	const char *cp = config_path(r->cfg), *slash;

	if (p[0] == '/' || cp == NULL || (slash = strrchr(cp, '/')) == NULL)
		return xstrdup(p);
	return xasprintf("%.*s/%s", (int)(slash - cp), cp, p);
}

/* Reads the secret of source name into c->secret. */
static int
secret(struct run *r, struct coll *c, const char *name)
{
	const char *env = skey(r, name, "token_env");
	const char *file = skey(r, name, "token_file");
	char chunk[4096];
	struct stat sb;
	char *path;
	ssize_t n;
	int fd;

	if ((env == NULL) == (file == NULL))
		return conf_err(r, name, env ? "token_file" : "provider",
		    "give exactly one of token_env (an environment variable) "
		    "and token_file (a file of mode 0600) for the credentials");
	if (env != NULL) {
		const char *v = getenv(env);

		if (v == NULL || *v == '\0')
			return conf_err(r, name, "token_env", "the environment "
			    "variable %s (token_env) is not set", env);
		buf_adds(&c->secret, v);
		return 0;
	}
	path = conf_path(r, file);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		diag_errno(r->d, "source '%s': cannot open token_file '%s'",
		    name, path);
		free(path);
		return -1;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 077) != 0) {
		int err = errno;

		close(fd);
		if (!S_ISREG(sb.st_mode) || (sb.st_mode & 077) == 0) {
			errno = err;
			diag_errno(r->d, "source '%s': cannot use token_file "
			    "'%s'", name, path);
		} else {
			conf_err(r, name, "token_file", "'%s' can be read by "
			    "others (mode %04o); refusing it: chmod 600 '%s'",
			    path, (unsigned)(sb.st_mode & 07777), path);
		}
		free(path);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&c->secret, chunk, (size_t)n);
	explicit_bzero(chunk, sizeof(chunk));
	close(fd);
	free(path);
	while (c->secret.len > 0 && strchr(" \t\r\n",
	    c->secret.data[c->secret.len - 1]))
		c->secret.len--;
	c->secret.data[c->secret.len] = '\0';
	if (c->secret.len == 0 || n < 0)
		return conf_err(r, name, "token_file", "the token file is "
		    "empty or unreadable");
	return 0;
}

/* Loads the definition and maps provider question ids to its fields. */
static int
definition(struct run *r, struct coll *c, const char *name)
{
	const char *id = skey(r, name, "questionnaire");
	struct diag quiet = DIAG_INIT;
	char *path;
	int bad = 0;

	if (id == NULL)
		return conf_err(r, name, "provider", "no questionnaire (the "
		    "definition of the survey, such as whc-2024)");
	if ((path = qn_find(id, r->qn_dirs, &quiet)) == NULL) {
		/* Said where the config names it. */
		conf_err(r, name, "questionnaire", "%s", quiet.nr ?
		    quiet.v[0].text : "cannot find it");
		diag_release(&quiet);
		return -1;
	}
	diag_release(&quiet);
	c->q = qn_load(path, r->qn_dirs, 0, r->d);
	if (c->q == NULL) {
		free(path);
		return -1;
	}
	c->src = xcalloc(qn_nfields(c->q) + 1, sizeof(*c->src));
	for (size_t i = 0; i < qn_nfields(c->q); i++) {
		const char *s = qn_field_source(c->q, i, c->drv->name);

		if (qn_field_derived(c->q, i))
			continue;	/* from the team map, not asked */
		if (s == NULL) {
			diag_err(r->d, "%s: source '%s': %s '%s' has no "
			    "\"source\" id for %s (the question's id in the "
			    "%s survey)", path, name,
			    qn_field_kind(c->q, i) == QN_DIM ? "dimension" :
			    "item", qn_field_key(c->q, i), c->drv->name,
			    c->drv->name);
			bad = 1;
			continue;
		}
		c->src[i] = s;
		strmap_put(&c->by_src, s, strlen(s), (int64_t)i);
	}
	free(path);
	return bad ? -1 : 0;
}

static int
configure(struct run *r, struct coll *c, const char *name)
{
	const char *prov = skey(r, name, "provider");
	const char *v;
	char *full;

	c->name = name;
	if (prov == NULL)
		return conf_err(r, name, "provider", "no provider");
	if ((c->drv = driver(prov)) == NULL)
		return conf_err(r, name, "provider", "unknown provider '%s' "
		    "(surveymonkey, smartsurvey, qualtrics, limesurvey or "
		    "typeform)", prov);
	if ((v = skey(r, name, "survey")) == NULL || *v == '\0')
		return conf_err(r, name, "provider", "no survey (the "
		    "survey's id at %s)", prov);
	c->survey = xstrdup(v);
	v = skey(r, name, "url");
	if (v == NULL && c->drv->default_url == NULL)
		return conf_err(r, name, "provider", "no url (%s has no "
		    "default host: give your data centre's or server's URL)",
		    prov);
	c->url = xstrdup(v ? v : c->drv->default_url);
	while (*c->url && c->url[strlen(c->url) - 1] == '/')
		c->url[strlen(c->url) - 1] = '\0';
	full = xasprintf("source '%s': url", name);
	if (coll_url_check(c->url, full, r->d) < 0) {
		free(full);
		return -1;
	}
	free(full);
	if ((v = skey(r, name, "user")) != NULL)
		c->user = xstrdup(v);
	else if (c->drv->needs_user)
		return conf_err(r, name, "provider", "no user (the %s user "
		    "name; the password comes from token_env or token_file)",
		    prov);
	c->page_size = c->drv->max_page;
	c->rate = c->drv->default_rate;
	c->window = c->drv->default_window ? c->drv->default_window : 60;
	c->overlap = c->drv->default_overlap;
	if (sint(r, name, "page_size", 1, c->drv->max_page, &c->page_size) <
	    0 || sint(r, name, "rate", 0, 1000000, &c->rate) < 0 ||
	    sint(r, name, "window", 1, 86400, &c->window) < 0 ||
	    sint(r, name, "overlap", 0, 30 * 86400, &c->overlap) < 0)
		return -1;
	c->polls = r->polls;
	c->backoff_ms = r->backoff_ms;
	if (definition(r, c, name) < 0 || secret(r, c, name) < 0)
		return -1;
	return 0;
}

/* Warns about keys of [source "name"] that mean nothing. */
struct keycheck {
	struct run	*r;
	const char	*prefix;
};

static void
check_key(const char *key, const char *value, unsigned long line, void *arg)
{
	struct keycheck *k = arg;
	size_t n = strlen(k->prefix);
	struct loc loc = { config_path(k->r->cfg), line, 0, NULL };

	(void)value;
	if (strncmp(key, k->prefix, n) != 0 || strchr(key + n, '.') != NULL)
		return;
	for (size_t i = 0; i < sizeof(source_keys) / sizeof(source_keys[0]);
	    i++)
		if (strcmp(key + n, source_keys[i]) == 0)
			return;
	diag_at(k->r->d, DIAG_CONF_KEY, &loc, "'%s' (a source takes %s)",
	    key, "provider, survey, url, token_env, token_file, user, "
	    "questionnaire, page_size, rate, window, overlap");
}

/* ------------------------------------------------------------------ */
/* One source */

static void
coll_release(struct coll *c)
{
	coll_page_abort(c);
	arch_clear(c);
	free(c->arch);
	if (c->val != NULL)
		for (size_t i = 0; i < qn_nfields(c->q); i++)
			buf_release(&c->val[i]);
	free(c->val);
	free(c->set);
	ingest_release(&c->in);
	explicit_bzero(c->secret.data, c->secret.len);
	buf_release(&c->secret);
	cJSON_Delete(c->cursor);
	cJSON_Delete(c->meta);
	strmap_release(&c->by_src);
	free(c->src);
	qn_free(c->q);
	free(c->survey);
	free(c->url);
	free(c->user);
	free(c->ident);
}

/* Loads the source's state; -1 when it belongs to another survey. */
static int
load_state(struct coll *c)
{
	struct store_cstate cs;
	struct buf id = BUF_INIT;
	int found, rc = 0;

	/* The base URL may change (a regional host, a proxy); the survey
	 * is what the cursor belongs to. */
	buf_addf(&id, "%s survey %s", c->drv->name, c->survey);
	c->ident = buf_detach(&id, NULL);
	if (store_source_id(c->st, c->name, c->drv->name, &c->in.source_id,
	    c->d) < 0 ||
	    store_qn_put(c->st, qn_id(c->q), qn_year(c->q), qn_sha(c->q),
	    qn_body(c->q), &c->in.qn_id, c->d) < 0 ||
	    store_cstate_get(c->st, c->in.source_id, &cs, &found, c->d) < 0)
		return -1;
	if (found && strcmp(cs.ident, c->ident) != 0) {
		rc = diag_err(c->d, "source '%s' was collected from %s, but "
		    "the config now says %s: give the new survey a new source "
		    "name", c->name, cs.ident, c->ident);
	} else if (found) {
		c->cursor = cJSON_Parse(cs.cursor);
		c->meta = cJSON_Parse(cs.meta);
	}
	if (!cJSON_IsObject(c->cursor)) {
		cJSON_Delete(c->cursor);
		c->cursor = cJSON_CreateObject();
	}
	if (!cJSON_IsObject(c->meta)) {
		cJSON_Delete(c->meta);
		c->meta = cJSON_CreateObject();
	}
	store_cstate_release(&cs);
	return rc;
}

/* Sets up what a driver writes into, once c->q and c->st are set. */
static void
coll_setup(struct coll *c)
{
	ingest_init(&c->in, c->st, c->q, &c->stats, c->d);
	c->val = xcalloc(qn_nfields(c->q), sizeof(*c->val));
	c->set = xcalloc(qn_nfields(c->q), sizeof(*c->set));
	for (size_t i = 0; i < qn_nfields(c->q); i++)
		buf_init(&c->val[i], 0);
}

static void
run_source(struct run *r, const char *name, int keep_session)
{
	struct collect_summary sum;
	struct coll c;
	unsigned long errors = diag_errors(r->d);
	struct keycheck kc;
	int ok = 0;

	memset(&c, 0, sizeof(c));
	buf_init(&c.secret, 1 << 16);
	c.st = r->st;
	c.d = r->d;
	c.o = r->o;
	c.http = r->http;
	c.keep_session = keep_session;
	c.t0 = coll_now();
	kc.r = r;
	kc.prefix = xasprintf("source.%s.", name);
	config_each(r->cfg, check_key, &kc);
	free((char *)kc.prefix);
	if (configure(r, &c, name) < 0)
		goto out;
	coll_setup(&c);
	if (store_begin(r->st, r->d) < 0)
		goto out;
	if (load_state(&c) < 0) {
		store_rollback(r->st);
		goto out;
	}
	if (store_commit(r->st, r->d) < 0)
		goto out;
	coll_progress(&c);
	ok = c.drv->fetch(&c) == 0;
	coll_page_abort(&c);
	if (c.narch > 0 && store_begin(r->st, r->d) == 0) {
		/* Bodies of a failed page: kept for the audit trail. */
		if (arch_flush(&c, c.in.source_id) < 0)
			store_rollback(r->st);
		else
			store_commit(r->st, r->d);
	}
	{
		/* Odd answers are named by their source (no line to show). */
		struct buf where = BUF_INIT;

		buf_addf(&where, "source '%s'", name);
		ingest_report(&c.in, where.data);
		buf_release(&where);
	}
out:
	if (diag_errors(r->d) > errors)
		ok = 0;
	if (!ok)
		r->failed = 1;
	if (r->o->done != NULL) {
		sum.source = name;
		sum.provider = c.drv ? c.drv->name : "";
		sum.qn = c.q ? qn_id(c.q) : NULL;
		sum.year = c.q ? qn_year(c.q) : 0;
		sum.stats = &c.stats;
		sum.pages = c.pages;
		sum.requests = c.requests;
		sum.elapsed = coll_now() - c.t0;
		sum.ok = ok;
		r->o->done(&sum, r->o->arg);
	}
	coll_release(&c);
}

/* Non-zero when source a is asked for (by --source, or all are). */
static int
wanted(const struct run *r, const char *a)
{
	if (r->o->nsources == 0)
		return 1;
	for (size_t i = 0; i < r->o->nsources; i++)
		if (strcmp(a, r->o->sources[i]) == 0)
			return 1;
	return 0;
}

/* Non-zero when sources a and b log in to one account (provider, URL
 * and user alike), so that a login session can serve both. */
static int
same_account(struct run *r, const char *a, const char *b)
{
	static const char *const keys[] = { "provider", "url", "user" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *x = skey(r, a, keys[i]), *y = skey(r, b, keys[i]);

		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
			return 0;
	}
	return 1;
}

static void
add_name(const char *sub, void *arg)
{
	struct run *r = arg;

	VEC_GROW(r->names, r->nnames + 1, r->anames);
	r->names[r->nnames++] = xstrdup(sub);
}

/* Non-zero (with a message) if a --source is not configured or none is. */
static int
names_bad(struct run *r)
{
	const struct collect_opts *o = r->o;
	const char *where = config_path(r->cfg) ? config_path(r->cfg) :
	    "the config (there is no config file)";
	int bad = 0;

	for (size_t i = 0; i < o->nsources; i++) {
		size_t j;

		for (j = 0; j < r->nnames; j++)
			if (strcmp(r->names[j], o->sources[i]) == 0)
				break;
		if (j == r->nnames) {
			diag_err(r->d, "no source '%s' in %s (sources are "
			    "[source \"NAME\"] sections)", o->sources[i], where);
			bad = 1;
		}
	}
	if (r->nnames == 0 && !bad) {
		diag_err(r->d, "nothing to collect: %s has no "
		    "[source \"NAME\"] section", where);
		bad = 1;
	}
	return bad;
}

int
collect_sources_check(const struct config *cfg, const struct collect_opts *o,
    struct diag *d)
{
	struct run r;
	int bad;

	memset(&r, 0, sizeof(r));
	r.cfg = cfg;
	r.o = o;
	r.d = d;
	config_each_sub(cfg, "source", add_name, &r);
	bad = names_bad(&r);
	for (size_t j = 0; j < r.nnames; j++)
		free(r.names[j]);
	free(r.names);
	return bad ? -1 : 0;
}

int
collect_sources(struct store *st, const struct config *cfg,
    const char *qn_dirs, const struct collect_opts *o, struct diag *d)
{
	struct run r;
	int bad = 0;

	memset(&r, 0, sizeof(r));
	r.st = st;
	r.cfg = cfg;
	r.qn_dirs = qn_dirs;
	r.o = o;
	r.d = d;
	r.retries = 5;
	r.timeout = 60;
	r.max_wait = 900;
	r.polls = 60;
	r.backoff_ms = 1000;
	r.max_body = 512L << 20;
	if (config_get_int(cfg, "collect.retries", 0, 100, &r.retries, d) < 0 ||
	    config_get_int(cfg, "collect.timeout", 1, 3600, &r.timeout, d) <
	    0 || config_get_int(cfg, "collect.max_wait", 0, 86400, &r.max_wait,
	    d) < 0 || config_get_int(cfg, "collect.polls", 1, 10000, &r.polls,
	    d) < 0 || config_get_int(cfg, "collect.backoff_ms", 1, 600000,
	    &r.backoff_ms, d) < 0 || config_get_int(cfg, "collect.max_body",
	    1024, 4L << 30, &r.max_body, d) < 0)
		return -1;
	config_each_sub(cfg, "source", add_name, &r);
	bad = names_bad(&r);
	if (!bad) {
		r.http = http_new(o, r.retries, r.timeout, r.max_wait,
		    (size_t)r.max_body);
		for (size_t j = 0; j < r.nnames; j++) {
			int keep = 0;

			if (!wanted(&r, r.names[j]))
				continue;
			for (size_t k = j + 1; k < r.nnames && !keep; k++)
				keep = wanted(&r, r.names[k]) &&
				    same_account(&r, r.names[j], r.names[k]);
			run_source(&r, r.names[j], keep);
		}
		http_free(r.http);
	}
	for (size_t j = 0; j < r.nnames; j++)
		free(r.names[j]);
	free(r.names);
	return bad || r.failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Offline: a source with no config, credentials or network */

struct coll *
coll_offline_new(struct store *st, struct qn *q, const char *provider,
    struct diag *d)
{
	static const struct collect_opts quiet;
	struct coll *c = xcalloc(1, sizeof(*c));

	buf_init(&c->secret, 1 << 16);
	c->name = "offline";
	c->st = st;
	c->d = d;
	c->o = &quiet;
	c->q = q;
	c->t0 = coll_now();
	if ((c->drv = driver(provider)) == NULL)
		BUG("coll_offline_new: no provider %s", provider);
	c->survey = xstrdup("offline");
	c->url = xstrdup("http://127.0.0.1");
	c->page_size = c->drv->max_page;
	c->src = xcalloc(qn_nfields(q) + 1, sizeof(*c->src));
	for (size_t i = 0; i < qn_nfields(q); i++) {
		const char *s = qn_field_source(q, i, provider);

		if (qn_field_derived(q, i))
			continue;	/* from the team map, as in a run */
		c->src[i] = s ? s : qn_field_key(q, i);
		strmap_put(&c->by_src, c->src[i], strlen(c->src[i]),
		    (int64_t)i);
	}
	coll_setup(c);
	if (store_begin(st, d) < 0 || load_state(c) < 0 ||
	    store_commit(st, d) < 0) {
		store_rollback(st);
		coll_offline_free(c);
		return NULL;
	}
	return c;
}

void
coll_offline_free(struct coll *c)
{
	if (c == NULL)
		return;
	/* The definition is the caller's: release what depends on it. */
	if (c->val != NULL)
		for (size_t i = 0; i < qn_nfields(c->q); i++)
			buf_release(&c->val[i]);
	free(c->val);
	c->val = NULL;
	c->q = NULL;
	coll_release(c);
	free(c);
}

int
coll_offline_list(struct coll *c, const char *body, size_t len,
    const char *key, int (*put)(struct coll *, const cJSON *))
{
	cJSON *json = cJSON_ParseWithLength(body, len);
	const cJSON *list = json, *r;
	int rc = 0;

	if (key != NULL && cJSON_IsObject(json))
		list = cJSON_GetObjectItemCaseSensitive(json, key);
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(json);
		return diag_env(c->d, "source '%s': the body has no \"%s\" "
		    "array", c->name, key ? key : "");
	}
	cJSON_ArrayForEach(r, list)
		if ((rc = put(c, r)) < 0)
			break;
	cJSON_Delete(json);
	return rc;
}
