/* SPDX-License-Identifier: MIT */
/*
 * Loading questionnaire definitions from JSON (cJSON) into struct qn, with
 * every problem reported at its place: line:col for JSON syntax errors, the
 * JSON path (items[3].scale) for a definition that parses but is wrong.
 * Checking continues after an error so one run lists them all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/sha256.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "questionnaires/qn_int.h"

#define QN_MAX_BYTES (16 * 1024 * 1024)

struct ld {
	struct qn	*q;
	const char	*file;
	struct diag	*d;
	int		 bad;
	struct buf	 path;
};

static int
bad(struct ld *l, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
bad(struct ld *l, const char *path, const char *fmt, ...)
{
	struct loc loc = { l->file, 0, 0, path };
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_at(l->d, DIAG_QN_SCHEMA, &loc, "%s", msg.data);
	buf_release(&msg);
	l->bad = 1;
	return -1;
}

/* Sets l->path to prefix + suffix and returns it. */
static const char *
at(struct ld *l, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static const char *
at(struct ld *l, const char *prefix, const char *fmt, ...)
{
	va_list ap;
	char *p = xstrdup(prefix);

	buf_reset(&l->path);
	buf_adds(&l->path, p);
	free(p);
	va_start(ap, fmt);
	buf_vaddf(&l->path, fmt, ap);
	va_end(ap);
	return l->path.data;
}

/* A required or optional string member; NULL when absent or wrong. */
static char *
str(struct ld *l, const cJSON *o, const char *prefix, const char *name,
    int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (v == NULL) {
		if (required)
			bad(l, at(l, prefix, "%s%s", *prefix ? "." : "", name),
			    "missing (a string is required)");
		return NULL;
	}
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		bad(l, at(l, prefix, "%s%s", *prefix ? "." : "", name),
		    "must be a non-empty string");
		return NULL;
	}
	return xstrdup(v->valuestring);
}

static int
valid_key(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

/* Compiles the array member "match" of o into *pats. */
static void
patterns(struct ld *l, const cJSON *o, const char *prefix,
    struct qn_pat **pats, size_t *npats)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "match");
	const cJSON *v;
	size_t alloc = 0, i = 0;
	char *pre;

	*pats = NULL;
	*npats = 0;
	if (arr == NULL)
		return;
	pre = xstrdup(prefix);
	if (!cJSON_IsArray(arr)) {
		bad(l, at(l, pre, ".match"), "must be an array of patterns");
		free(pre);
		return;
	}
	cJSON_ArrayForEach(v, arr) {
		const char *p = at(l, pre, ".match[%zu]", i++);

		if (!cJSON_IsString(v)) {
			bad(l, p, "must be a string (a PCRE2 pattern)");
			continue;
		}
		VEC_GROW(*pats, *npats + 1, alloc);
		if (qn_pat_compile(&(*pats)[*npats], v->valuestring, l->file, p,
		    l->d) < 0) {
			l->bad = 1;
			continue;
		}
		(*npats)++;
	}
	free(pre);
}

static void
load_scales(struct ld *l, const cJSON *root)
{
	const cJSON *scales = cJSON_GetObjectItemCaseSensitive(root, "scales");
	const cJSON *s, *lv;
	struct qn *q = l->q;

	if (scales == NULL)
		return;
	if (!cJSON_IsObject(scales)) {
		bad(l, "scales", "must be an object of named scales");
		return;
	}
	q->scales = xcalloc((size_t)cJSON_GetArraySize(scales) + 1,
	    sizeof(*q->scales));
	cJSON_ArrayForEach(s, scales) {
		struct qn_scale *sc = &q->scales[q->nscales++];
		const cJSON *levels = cJSON_GetObjectItemCaseSensitive(s,
		    "levels");
		char *prefix = xstrdup(at(l, "scales.", "%s", s->string));
		size_t i = 0;

		sc->name = xstrdup(s->string);
		if (!cJSON_IsArray(levels) || cJSON_GetArraySize(levels) < 2) {
			bad(l, at(l, prefix, ".levels"),
			    "must be an array of at least two levels");
			free(prefix);
			continue;
		}
		sc->levels = xcalloc((size_t)cJSON_GetArraySize(levels),
		    sizeof(*sc->levels));
		cJSON_ArrayForEach(lv, levels) {
			struct qn_level *lev = &sc->levels[sc->nlevels];
			char *lp = xstrdup(at(l, prefix, ".levels[%zu]", i++));

			lev->key = str(l, lv, lp, "key", 1);
			lev->label = str(l, lv, lp, "label", 0);
			if (lev->key != NULL && !valid_key(lev->key))
				bad(l, at(l, lp, ".key"), "'%s' is not a valid "
				    "key (lowercase letters, digits, _ - .)",
				    lev->key);
			if (lev->label == NULL && lev->key != NULL)
				lev->label = xstrdup(lev->key);
			for (size_t j = 0; lev->key && j < sc->nlevels; j++)
				if (strcmp(sc->levels[j].key, lev->key) == 0)
					bad(l, at(l, lp, ".key"),
					    "level '%s' is listed twice",
					    lev->key);
			patterns(l, lv, lp, &lev->pats, &lev->npats);
			free(lp);
			if (lev->key == NULL) {
				free(lev->label);
				for (size_t j = 0; j < lev->npats; j++)
					qn_pat_release(&lev->pats[j]);
				free(lev->pats);
				memset(lev, 0, sizeof(*lev));
				continue;
			}
			sc->nlevels++;
		}
		free(prefix);
	}
}

static struct qn_scale *
scale_find(struct qn *q, const char *name)
{
	for (size_t i = 0; i < q->nscales; i++)
		if (strcmp(q->scales[i].name, name) == 0)
			return &q->scales[i];
	return NULL;
}

static void
field_column(struct ld *l, struct qn_field *f, const cJSON *o,
    const char *prefix)
{
	const cJSON *cm = cJSON_GetObjectItemCaseSensitive(o, "column_match");

	f->column = str(l, o, prefix, "column", 0);
	if (cm != NULL) {
		const char *p = at(l, prefix, ".column_match");

		if (!cJSON_IsString(cm))
			bad(l, p, "must be a string (a PCRE2 pattern)");
		else if (qn_pat_compile(&f->column_re, cm->valuestring,
		    l->file, p, l->d) < 0)
			l->bad = 1;
	}
	if (f->column == NULL && f->column_re.re == NULL && cm == NULL)
		bad(l, prefix, "needs a \"column\" or \"column_match\"");
}

/* The optional "source" object: provider name -> question id. */
static void
field_sources(struct ld *l, struct qn_field *f, const cJSON *o,
    const char *prefix)
{
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
	const cJSON *v;
	char *pre;

	if (src == NULL)
		return;
	pre = xstrdup(prefix);
	if (!cJSON_IsObject(src)) {
		bad(l, at(l, pre, ".source"), "must be an object of provider "
		    "names and question ids");
		free(pre);
		return;
	}
	f->src = xcalloc((size_t)cJSON_GetArraySize(src) + 1, sizeof(*f->src));
	cJSON_ArrayForEach(v, src) {
		const char *p = at(l, pre, ".source.%s", v->string);

		if (!valid_key(v->string)) {
			bad(l, p, "'%s' is not a provider name (lowercase "
			    "letters and digits)", v->string);
			continue;
		}
		if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
			bad(l, p, "must be a non-empty string (the question's "
			    "id in that provider's survey)");
			continue;
		}
		f->src[f->nsrc].provider = xstrdup(v->string);
		f->src[f->nsrc].id = xstrdup(v->valuestring);
		f->nsrc++;
	}
	free(pre);
}

static void
load_fields(struct ld *l, const cJSON *root, const char *member)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, member);
	const cJSON *o;
	struct qn *q = l->q;
	size_t i = 0;
	int dims = strcmp(member, "dimensions") == 0;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0) {
		bad(l, member, "must be a non-empty array");
		return;
	}
	q->fields = xreallocarray(q->fields, q->nfields +
	    (size_t)cJSON_GetArraySize(arr), sizeof(*q->fields));
	cJSON_ArrayForEach(o, arr) {
		struct qn_field *f = &q->fields[q->nfields];
		char *prefix = xstrdup(at(l, member, "[%zu]", i++));
		char *type;

		memset(f, 0, sizeof(*f));
		f->key = str(l, o, prefix, "key", 1);
		if (f->key == NULL) {
			free(prefix);
			continue;
		}
		if (!valid_key(f->key))
			bad(l, at(l, prefix, ".key"), "'%s' is not a valid key "
			    "(lowercase letters, digits, _ - .)", f->key);
		if (qn_field_find(q, f->key) >= 0)
			bad(l, at(l, prefix, ".key"), "'%s' is used twice",
			    f->key);
		if (dims) {
			f->kind = QN_DIM;
			f->text = str(l, o, prefix, "label", 0);
		} else {
			f->text = str(l, o, prefix, "text", 1);
			type = str(l, o, prefix, "type", 1);
			if (type == NULL)
				f->kind = QN_TEXT;
			else if (strcmp(type, "scale") == 0)
				f->kind = QN_SCALE;
			else if (strcmp(type, "number") == 0)
				f->kind = QN_NUMBER;
			else if (strcmp(type, "text") == 0)
				f->kind = QN_TEXT;
			else
				bad(l, at(l, prefix, ".type"), "'%s' is not a "
				    "type (scale, number or text)", type);
			free(type);
		}
		if (f->text == NULL)
			f->text = xstrdup(f->key);
		if (f->kind == QN_SCALE) {
			char *sn = str(l, o, prefix, "scale", 1);

			if (sn != NULL &&
			    (f->scale = scale_find(q, sn)) == NULL)
				bad(l, at(l, prefix, ".scale"), "no scale "
				    "called '%s' in \"scales\"", sn);
			free(sn);
		}
		if (f->kind == QN_NUMBER) {
			const cJSON *mn = cJSON_GetObjectItem(o, "min");
			const cJSON *mx = cJSON_GetObjectItem(o, "max");

			f->min = cJSON_IsNumber(mn) ? mn->valuedouble : -1e12;
			f->max = cJSON_IsNumber(mx) ? mx->valuedouble : 1e12;
			f->has_range = mn != NULL || mx != NULL;
			if ((mn && !cJSON_IsNumber(mn)) ||
			    (mx && !cJSON_IsNumber(mx)) || f->min > f->max)
				bad(l, prefix, "min and max must be numbers "
				    "with min <= max");
		}
		field_column(l, f, o, prefix);
		field_sources(l, f, o, prefix);
		free(prefix);
		q->nfields++;
	}
}

static void
load_teams(struct ld *l, const cJSON *root)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "teams");
	const cJSON *o;
	struct qn *q = l->q;
	size_t i = 0;

	if (arr == NULL)
		return;
	if (!cJSON_IsArray(arr)) {
		bad(l, "teams", "must be an array");
		return;
	}
	q->teams = xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*q->teams));
	cJSON_ArrayForEach(o, arr) {
		struct qn_team *t = &q->teams[q->nteams];
		char *prefix = xstrdup(at(l, "teams", "[%zu]", i++));

		t->name = str(l, o, prefix, "name", 1);
		patterns(l, o, prefix, &t->pats, &t->npats);
		free(prefix);
		if (t->name != NULL) {
			q->nteams++;
			continue;
		}
		/* Not kept (the error is recorded): free its patterns. */
		for (size_t j = 0; j < t->npats; j++)
			qn_pat_release(&t->pats[j]);
		free(t->pats);
		memset(t, 0, sizeof(*t));
	}
}

/* Reports a cJSON syntax error at its line and column. */
static void
syntax_error(struct ld *l, const char *text, const char *err)
{
	struct loc loc = { l->file, 1, 1, NULL };

	if (err == NULL)
		err = text;
	for (const char *p = text; p < err && *p; p++) {
		if (*p == '\n') {
			loc.line++;
			loc.col = 1;
		} else {
			loc.col++;
		}
	}
	diag_at(l->d, DIAG_QN_JSON, &loc, "unexpected %s",
	    *err ? "text" : "end of file");
	l->bad = 1;
}

struct qn *
qn_load_text(const char *text, const char *origin, struct diag *d)
{
	struct ld l = { xcalloc(1, sizeof(struct qn)), origin, d, 0,
	    BUF_INIT };
	const char *end = NULL;
	const cJSON *y;
	struct sha256 h;
	cJSON *root;

	root = cJSON_ParseWithOpts(text, &end, 1);
	if (root == NULL) {
		syntax_error(&l, text, end ? end : cJSON_GetErrorPtr());
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		bad(&l, "", "must be a JSON object");
		goto out;
	}
	l.q->body = xstrdup(text);
	sha256_init(&h);
	sha256_update(&h, text, strlen(text));
	sha256_hex(&h, l.q->sha);
	l.q->id = str(&l, root, "", "id", 1);
	if (l.q->id != NULL && !valid_key(l.q->id))
		bad(&l, "id", "'%s' is not a valid id (lowercase letters, "
		    "digits, _ - .)", l.q->id);
	l.q->title = str(&l, root, "", "title", 0);
	y = cJSON_GetObjectItemCaseSensitive(root, "year");
	if (!cJSON_IsNumber(y) || y->valuedouble != (double)y->valueint ||
	    y->valueint < 1900 || y->valueint > 2999)
		bad(&l, "year", "must be a whole year such as 2024");
	else
		l.q->year = y->valueint;
	l.q->id_column = str(&l, root, "", "id_column", 1);
	l.q->modified_column = str(&l, root, "", "modified_column", 0);
	load_scales(&l, root);
	load_fields(&l, root, "dimensions");
	load_fields(&l, root, "items");
	load_teams(&l, root);
	if (!l.bad && qn_field_find(l.q, "team") < 0)
		bad(&l, "dimensions", "needs a dimension with key \"team\"");
out:
	cJSON_Delete(root);
	buf_release(&l.path);
	if (l.bad) {
		qn_free(l.q);
		return NULL;
	}
	l.q->md = pcre2_match_data_create(4, NULL);
	return l.q;
}

struct qn *
qn_load_file(const char *path, struct diag *d)
{
	struct buf text = BUF_INIT;
	char chunk[65536];
	struct qn *q;
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		diag_errno(d, "cannot open questionnaire '%s'", path);
		return NULL;
	}
	buf_init(&text, QN_MAX_BYTES);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_add(&text, chunk, n) < 0)
			break;
	if (ferror(fp) || text.over) {
		if (text.over)
			diag_err(d, "cannot load questionnaire '%s': larger "
			    "than %d bytes", path, QN_MAX_BYTES);
		else
			diag_errno(d, "cannot read questionnaire '%s'", path);
		fclose(fp);
		buf_release(&text);
		return NULL;
	}
	fclose(fp);
	q = qn_load_text(text.data, path, d);
	buf_release(&text);
	return q;
}

char *
qn_find(const char *id, const char *dirs, struct diag *d)
{
	size_t n = strlen(id);
	struct stat sb;
	const char *p, *e;

	if (n > 5 && strcmp(id + n - 5, ".json") == 0) {
		if (stat(id, &sb) < 0) {
			diag_errno(d, "cannot find questionnaire '%s'", id);
			return NULL;
		}
		return xstrdup(id);
	}
	for (p = dirs; p != NULL && *p; p = *e ? e + 1 : e) {
		char *cand;

		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		cand = xasprintf("%.*s/%s.json", (int)(e - p), p, id);
		if (stat(cand, &sb) == 0)
			return cand;
		free(cand);
	}
	diag_err(d, "cannot find questionnaire '%s': no %s.json in '%s'", id,
	    id, dirs ? dirs : "");
	return NULL;
}

static void
pats_free(struct qn_pat *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		qn_pat_release(&p[i]);
	free(p);
}

void
qn_free(struct qn *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->nscales; i++) {
		struct qn_scale *s = &q->scales[i];

		for (size_t j = 0; j < s->nlevels; j++) {
			free(s->levels[j].key);
			free(s->levels[j].label);
			pats_free(s->levels[j].pats, s->levels[j].npats);
		}
		free(s->levels);
		free(s->name);
	}
	free(q->scales);
	for (size_t i = 0; i < q->nfields; i++) {
		free(q->fields[i].key);
		free(q->fields[i].text);
		free(q->fields[i].column);
		qn_pat_release(&q->fields[i].column_re);
		for (size_t j = 0; j < q->fields[i].nsrc; j++) {
			free(q->fields[i].src[j].provider);
			free(q->fields[i].src[j].id);
		}
		free(q->fields[i].src);
		strmap_release(&q->fields[i].memo);
	}
	free(q->fields);
	for (size_t i = 0; i < q->nteams; i++) {
		free(q->teams[i].name);
		pats_free(q->teams[i].pats, q->teams[i].npats);
	}
	free(q->teams);
	strmap_release(&q->team_memo);
	if (q->md != NULL)
		pcre2_match_data_free(q->md);
	free(q->id);
	free(q->title);
	free(q->body);
	free(q->id_column);
	free(q->modified_column);
	free(q);
}
