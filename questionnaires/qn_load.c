/* SPDX-License-Identifier: MIT */
/*
 * Loading questionnaire definitions (resolved JSON, see qn_json.c) into
 * struct qn, with every problem reported at its place: file:line:col and
 * the JSON path (items[3].scale).  Checking continues after an error so
 * one run lists them all.  The team map is loaded by qn_teams.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/sha256.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "questionnaires/qn_int.h"

static const char *const root_members[] = {
	"id", "survey", "year", "title", "id_column", "modified_column",
	"scales", "dimensions", "items", "teams", "team_map", "description",
	NULL
};
static const char *const level_members[] = {
	"key", "label", "match", NULL
};
static const char *const scale_members[] = {
	"levels", "description", NULL
};
static const char *const dim_members[] = {
	"key", "label", "column", "column_match", "source", NULL
};
static const char *const item_members[] = {
	"key", "type", "text", "scale", "unit", "min", "max", "reverse",
	"compare_as", "column", "column_match", "source", NULL
};
static const char *const compare_members[] = {
	"scale", "map", NULL
};

static const struct {
	const char	*name;
	enum qn_kind	 kind;
} types[] = {
	{ "scale", QN_SCALE },
	{ "number", QN_NUMBER },
	{ "text", QN_TEXT },
	{ "choice", QN_CHOICE },
};

static void
vdiag(struct qn_ld *l, enum diag_code code, const cJSON *node,
    const char *path, const char *fmt, va_list ap)
{
	struct loc loc;
	struct buf msg = BUF_INIT;

	qn_doc_loc(l->src, node, &loc);
	loc.path = path;
	buf_vaddf(&msg, fmt, ap);
	diag_at(l->d, code, &loc, "%s", msg.data);
	buf_release(&msg);
	if (diag_code_sev(code) == DIAG_SEV_ERROR)
		l->bad = 1;
}

int
qn_ld_bad(struct qn_ld *l, const cJSON *node, const char *path,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(l, l->code, node, path, fmt, ap);
	va_end(ap);
	l->bad = 1;
	return -1;
}

void
qn_ld_diag(struct qn_ld *l, enum diag_code code, const cJSON *node,
    const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(l, code, node, path, fmt, ap);
	va_end(ap);
}

const char *
qn_ld_at(struct qn_ld *l, const char *prefix, const char *fmt, ...)
{
	va_list ap;
	char *p = xstrdup(prefix);

	buf_reset(&l->path);
	buf_adds(&l->path, p);
	free(p);
	va_start(ap, fmt);
	buf_vaddf(&l->path, fmt, ap);
	va_end(ap);
	/* No leading dot on a member of the top level. */
	if (l->path.data[0] == '.')
		memmove(l->path.data, l->path.data + 1, l->path.len--);
	return l->path.data;
}

static const char *
member_path(struct qn_ld *l, const char *prefix, const char *name)
{
	return qn_ld_at(l, prefix, "%s%s", *prefix ? "." : "", name);
}

char *
qn_ld_str(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *name, int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (v == NULL) {
		if (required)
			qn_ld_bad(l, o, member_path(l, prefix, name),
			    "missing (a string is required)");
		return NULL;
	}
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		qn_ld_bad(l, v, member_path(l, prefix, name),
		    "must be a non-empty string");
		return NULL;
	}
	return xstrdup(v->valuestring);
}

int
qn_ld_year(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *name)
{
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(o, name);

	if (y == NULL)
		return 0;
	if (!cJSON_IsNumber(y) || y->valuedouble != (double)y->valueint ||
	    y->valueint < 1900 || y->valueint > 2999) {
		qn_ld_bad(l, y, member_path(l, prefix, name), "must be a "
		    "whole year such as 2024");
		return 0;
	}
	return y->valueint;
}

int
qn_valid_key(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

void
qn_ld_patterns(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *name, struct qn_pat **pats, size_t *npats)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, name);
	const cJSON *v;
	size_t alloc = 0, i = 0;
	char *pre;

	*pats = NULL;
	*npats = 0;
	if (arr == NULL)
		return;
	pre = xstrdup(member_path(l, prefix, name));
	if (!cJSON_IsArray(arr)) {
		qn_ld_bad(l, arr, pre, "must be an array of patterns");
		free(pre);
		return;
	}
	cJSON_ArrayForEach(v, arr) {
		const char *p = qn_ld_at(l, pre, "[%zu]", i++);
		struct loc loc;

		if (!cJSON_IsString(v)) {
			qn_ld_bad(l, v, p, "must be a string (a PCRE2 "
			    "pattern)");
			continue;
		}
		VEC_GROW(*pats, *npats + 1, alloc);
		qn_doc_loc(l->src, v, &loc);
		loc.path = p;
		if (qn_pat_compile(&(*pats)[*npats], v->valuestring, &loc,
		    l->d) < 0) {
			l->bad = 1;
			continue;
		}
		(*npats)++;
	}
	free(pre);
}

/* The edit distance of a and b, for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
		}
		memcpy(prev, cur, sizeof(cur));
	}
	return prev[lb];
}

void
qn_ld_members(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *const *known)
{
	const cJSON *m;

	if (!cJSON_IsObject(o))
		return;
	cJSON_ArrayForEach(m, o) {
		const char *best = NULL;
		size_t bd = 3, i;

		for (i = 0; known[i] != NULL; i++) {
			size_t dd = distance(m->string, known[i]);

			if (strcmp(m->string, known[i]) == 0)
				break;
			if (dd < bd) {
				bd = dd;
				best = known[i];
			}
		}
		if (known[i] != NULL)
			continue;
		if (best != NULL)
			qn_ld_diag(l, DIAG_QN_MEMBER, m, member_path(l, prefix,
			    m->string), "'%s' is not used by whc (did you "
			    "mean '%s'?)", m->string, best);
		else
			qn_ld_diag(l, DIAG_QN_MEMBER, m, member_path(l, prefix,
			    m->string), "'%s' is not used by whc", m->string);
	}
}

static void
load_level(struct qn_ld *l, struct qn_scale *sc, const cJSON *lv,
    const char *lp)
{
	struct qn_level *lev = &sc->levels[sc->nlevels];

	if (!cJSON_IsObject(lv)) {
		qn_ld_bad(l, lv, lp, "a level must be an object with a "
		    "\"key\"");
		return;
	}
	qn_ld_members(l, lv, lp, level_members);
	lev->key = qn_ld_str(l, lv, lp, "key", 1);
	lev->label = qn_ld_str(l, lv, lp, "label", 0);
	if (lev->key != NULL && !qn_valid_key(lev->key))
		qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(lv, "key"),
		    qn_ld_at(l, lp, ".key"), "'%s' is not a valid key "
		    "(lowercase letters, digits, _ - .)", lev->key);
	if (lev->label == NULL && lev->key != NULL)
		lev->label = xstrdup(lev->key);
	for (size_t j = 0; lev->key && j < sc->nlevels; j++)
		if (strcmp(sc->levels[j].key, lev->key) == 0)
			qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(lv,
			    "key"), qn_ld_at(l, lp, ".key"), "level '%s' is "
			    "listed twice", lev->key);
	qn_ld_patterns(l, lv, lp, "match", &lev->pats, &lev->npats);
	if (lev->key == NULL) {
		free(lev->label);
		for (size_t j = 0; j < lev->npats; j++)
			qn_pat_release(&lev->pats[j]);
		free(lev->pats);
		memset(lev, 0, sizeof(*lev));
		return;
	}
	sc->nlevels++;
}

static void
load_scales(struct qn_ld *l, const cJSON *root)
{
	const cJSON *scales = cJSON_GetObjectItemCaseSensitive(root, "scales");
	const cJSON *s, *lv;
	struct qn *q = l->q;

	if (scales == NULL)
		return;
	if (!cJSON_IsObject(scales)) {
		qn_ld_bad(l, scales, "scales", "must be an object of named "
		    "scales");
		return;
	}
	q->scales = xcalloc((size_t)cJSON_GetArraySize(scales) + 1,
	    sizeof(*q->scales));
	cJSON_ArrayForEach(s, scales) {
		struct qn_scale *sc = &q->scales[q->nscales++];
		const cJSON *levels = cJSON_GetObjectItemCaseSensitive(s,
		    "levels");
		char *prefix = xstrdup(qn_ld_at(l, "scales.", "%s",
		    s->string));
		size_t i = 0;

		sc->name = xstrdup(s->string);
		qn_ld_members(l, s, prefix, scale_members);
		if (!cJSON_IsArray(levels) || cJSON_GetArraySize(levels) < 2) {
			qn_ld_bad(l, levels ? levels : s, qn_ld_at(l, prefix,
			    ".levels"), "must be an array of at least two "
			    "levels");
			free(prefix);
			continue;
		}
		sc->levels = xcalloc((size_t)cJSON_GetArraySize(levels),
		    sizeof(*sc->levels));
		cJSON_ArrayForEach(lv, levels) {
			char *lp = xstrdup(qn_ld_at(l, prefix, ".levels[%zu]",
			    i++));

			load_level(l, sc, lv, lp);
			free(lp);
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

static long
level_find(const struct qn_scale *sc, const char *key)
{
	for (size_t i = 0; i < sc->nlevels; i++)
		if (strcmp(sc->levels[i].key, key) == 0)
			return (long)i;
	return -1;
}

static void
field_column(struct qn_ld *l, struct qn_field *f, const cJSON *o,
    const char *prefix)
{
	const cJSON *cm = cJSON_GetObjectItemCaseSensitive(o, "column_match");

	f->column = qn_ld_str(l, o, prefix, "column", 0);
	if (cm != NULL) {
		const char *p = qn_ld_at(l, prefix, ".column_match");
		struct loc loc;

		qn_doc_loc(l->src, cm, &loc);
		loc.path = p;
		if (!cJSON_IsString(cm))
			qn_ld_bad(l, cm, p, "must be a string (a PCRE2 "
			    "pattern)");
		else if (f->column != NULL)
			qn_ld_bad(l, cm, p, "give \"column\" or "
			    "\"column_match\", not both");
		else if (qn_pat_compile(&f->column_re, cm->valuestring, &loc,
		    l->d) < 0)
			l->bad = 1;
	}
	if (f->column == NULL && f->column_re.re == NULL && cm == NULL)
		qn_ld_bad(l, o, prefix, "needs a \"column\" or "
		    "\"column_match\"");
}

/* "compare_as": how this item's levels map onto another scale. */
static void
load_compare(struct qn_ld *l, struct qn_field *f, const cJSON *o,
    const char *prefix)
{
	const cJSON *ca = cJSON_GetObjectItemCaseSensitive(o, "compare_as");
	const cJSON *sn, *map, *m;
	char *p;

	if (ca == NULL)
		return;
	p = xstrdup(qn_ld_at(l, prefix, ".compare_as"));
	if (!cJSON_IsObject(ca) || f->kind != QN_SCALE || f->scale == NULL) {
		if (!cJSON_IsObject(ca))
			qn_ld_bad(l, ca, p, "must be an object such as "
			    "{\"scale\": \"frequency4\", \"map\": {\"always\": "
			    "\"often\"}}");
		else if (f->kind != QN_SCALE)
			qn_ld_bad(l, ca, p, "only a scale item can be "
			    "compared as another scale");
		free(p);
		return;
	}
	qn_ld_members(l, ca, p, compare_members);
	sn = cJSON_GetObjectItemCaseSensitive(ca, "scale");
	if (!cJSON_IsString(sn) ||
	    (f->cmp = scale_find(l->q, sn->valuestring)) == NULL) {
		qn_ld_diag(l, DIAG_QN_COMPARE, sn ? sn : ca, qn_ld_at(l, p,
		    ".scale"), "%s", cJSON_IsString(sn) ? "no such scale in "
		    "\"scales\" (declare the scale compared with, even if "
		    "no item uses it this year)" : "must name a scale");
		f->cmp = NULL;
		free(p);
		return;
	}
	f->cmp->used = 1;
	f->cmp_map = xcalloc(f->scale->nlevels + 1, sizeof(*f->cmp_map));
	for (size_t i = 0; i < f->scale->nlevels; i++) {
		long t = level_find(f->cmp, f->scale->levels[i].key);

		f->cmp_map[i + 1] = t < 0 ? 0 : (int32_t)t + 1;
	}
	map = cJSON_GetObjectItemCaseSensitive(ca, "map");
	if (map != NULL && !cJSON_IsObject(map))
		qn_ld_diag(l, DIAG_QN_COMPARE, map, qn_ld_at(l, p, ".map"),
		    "must be an object from this year's level keys to the "
		    "keys of '%s'", f->cmp->name);
	if (!cJSON_IsObject(map))
		map = NULL;
	cJSON_ArrayForEach(m, map) {
		long from = level_find(f->scale, m->string), to = -1;

		if (cJSON_IsString(m))
			to = level_find(f->cmp, m->valuestring);
		if (from < 0)
			qn_ld_diag(l, DIAG_QN_COMPARE, m, qn_ld_at(l, p,
			    ".map.%s", m->string), "'%s' is not a level of "
			    "'%s'", m->string, f->scale->name);
		else if (to < 0)
			qn_ld_diag(l, DIAG_QN_COMPARE, m, qn_ld_at(l, p,
			    ".map.%s", m->string), "must be a level key of "
			    "'%s'", f->cmp->name);
		else
			f->cmp_map[from + 1] = (int32_t)to + 1;
	}
	for (size_t i = 0; i < f->scale->nlevels; i++)
		if (f->cmp_map[i + 1] == 0)
			qn_ld_diag(l, DIAG_QN_COMPARE, ca, p, "level '%s' has "
			    "no counterpart in '%s'; add it to \"map\"",
			    f->scale->levels[i].key, f->cmp->name);
	free(p);
}

/* The optional "source" object: provider name -> question id. */
static void
field_sources(struct qn_ld *l, struct qn_field *f, const cJSON *o,
    const char *prefix)
{
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
	const cJSON *v;
	char *pre;

	if (src == NULL)
		return;
	pre = xstrdup(prefix);
	if (!cJSON_IsObject(src)) {
		qn_ld_bad(l, src, qn_ld_at(l, pre, ".source"), "must be an "
		    "object of provider names and question ids");
		free(pre);
		return;
	}
	f->src = xcalloc((size_t)cJSON_GetArraySize(src) + 1, sizeof(*f->src));
	cJSON_ArrayForEach(v, src) {
		const char *p = qn_ld_at(l, pre, ".source.%s", v->string);

		if (!qn_valid_key(v->string)) {
			qn_ld_bad(l, v, p, "'%s' is not a provider name "
			    "(lowercase letters and digits)", v->string);
			continue;
		}
		if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
			qn_ld_bad(l, v, p, "must be a non-empty string (the "
			    "question's id in that provider's survey)");
			continue;
		}
		f->src[f->nsrc].provider = xstrdup(v->string);
		f->src[f->nsrc].id = xstrdup(v->valuestring);
		f->nsrc++;
	}
	free(pre);
}

static void
load_item(struct qn_ld *l, struct qn_field *f, const cJSON *o,
    const char *prefix)
{
	const cJSON *rv = cJSON_GetObjectItemCaseSensitive(o, "reverse");
	char *type;
	size_t t;

	f->text = qn_ld_str(l, o, prefix, "text", 1);
	type = qn_ld_str(l, o, prefix, "type", 1);
	f->kind = QN_TEXT;
	for (t = 0; type != NULL && t < sizeof(types) / sizeof(types[0]); t++)
		if (strcmp(type, types[t].name) == 0)
			break;
	if (type != NULL && t == sizeof(types) / sizeof(types[0])) {
		qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(o, "type"),
		    qn_ld_at(l, prefix, ".type"), "'%s' is not a type "
		    "(scale, number, choice or text)", type);
		free(type);
		return;		/* the rest depends on the type */
	}
	if (type != NULL)
		f->kind = types[t].kind;
	free(type);
	if (f->kind == QN_SCALE || f->kind == QN_CHOICE) {
		char *sn = qn_ld_str(l, o, prefix, "scale", 1);

		if (sn != NULL && (f->scale = scale_find(l->q, sn)) == NULL)
			qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(o,
			    "scale"), qn_ld_at(l, prefix, ".scale"), "no scale "
			    "called '%s' in \"scales\"", sn);
		else if (f->scale != NULL)
			f->scale->used = 1;
		free(sn);
	}
	if (f->kind != QN_SCALE && f->kind != QN_CHOICE &&
	    cJSON_GetObjectItemCaseSensitive(o, "scale") != NULL)
		qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(o, "scale"),
		    qn_ld_at(l, prefix, ".scale"), "only scale and choice "
		    "items have a \"scale\"");
	if (f->kind == QN_NUMBER) {
		const cJSON *mn = cJSON_GetObjectItemCaseSensitive(o, "min");
		const cJSON *mx = cJSON_GetObjectItemCaseSensitive(o, "max");

		f->min = cJSON_IsNumber(mn) ? mn->valuedouble : -1e12;
		f->max = cJSON_IsNumber(mx) ? mx->valuedouble : 1e12;
		f->has_range = mn != NULL || mx != NULL;
		if ((mn && !cJSON_IsNumber(mn)) ||
		    (mx && !cJSON_IsNumber(mx)) || f->min > f->max)
			qn_ld_bad(l, mn ? mn : mx, prefix, "min and max must "
			    "be numbers with min <= max");
		f->unit = qn_ld_str(l, o, prefix, "unit", 0);
	} else {
		static const char *const num_only[] = { "min", "max", "unit" };

		for (t = 0; t < 3; t++)
			if (cJSON_GetObjectItemCaseSensitive(o, num_only[t]))
				qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(o,
				    num_only[t]), qn_ld_at(l, prefix, ".%s",
				    num_only[t]), "only number items have a "
				    "\"%s\"", num_only[t]);
	}
	if (rv != NULL && !cJSON_IsBool(rv))
		qn_ld_bad(l, rv, qn_ld_at(l, prefix, ".reverse"), "must be "
		    "true or false");
	else if (cJSON_IsTrue(rv) && f->kind != QN_SCALE)
		qn_ld_bad(l, rv, qn_ld_at(l, prefix, ".reverse"), "only scale "
		    "items can be reverse-keyed");
	f->reverse = cJSON_IsTrue(rv);
	load_compare(l, f, o, prefix);
}

static void
load_fields(struct qn_ld *l, const cJSON *root, const char *member)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, member);
	const cJSON *o;
	struct qn *q = l->q;
	size_t i = 0;
	int dims = strcmp(member, "dimensions") == 0;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0) {
		qn_ld_bad(l, arr ? arr : root, member, "must be a non-empty "
		    "array");
		return;
	}
	q->fields = xreallocarray(q->fields, q->nfields +
	    (size_t)cJSON_GetArraySize(arr) + 2, sizeof(*q->fields));
	cJSON_ArrayForEach(o, arr) {
		struct qn_field *f = &q->fields[q->nfields];
		char *prefix = xstrdup(qn_ld_at(l, member, "[%zu]", i++));

		memset(f, 0, sizeof(*f));
		if (!cJSON_IsObject(o)) {
			qn_ld_bad(l, o, prefix, "must be an object with a "
			    "\"key\"");
			free(prefix);
			continue;
		}
		qn_ld_members(l, o, prefix, dims ? dim_members :
		    item_members);
		f->key = qn_ld_str(l, o, prefix, "key", 1);
		if (f->key == NULL) {
			free(prefix);
			continue;
		}
		if (!qn_valid_key(f->key))
			qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(o, "key"),
			    qn_ld_at(l, prefix, ".key"), "'%s' is not a valid "
			    "key (lowercase letters, digits, _ - .)", f->key);
		if (qn_field_find(q, f->key) >= 0)
			qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(o, "key"),
			    qn_ld_at(l, prefix, ".key"), "'%s' is used twice",
			    f->key);
		if (dims) {
			f->kind = QN_DIM;
			f->text = qn_ld_str(l, o, prefix, "label", 0);
		} else {
			load_item(l, f, o, prefix);
		}
		if (f->text == NULL)
			f->text = xstrdup(f->key);
		field_column(l, f, o, prefix);
		field_sources(l, f, o, prefix);
		free(prefix);
		q->nfields++;
	}
}

/* Adds the dimension key, filled from the team map. */
static void
derived_dim(struct qn_ld *l, const cJSON *root, const char *key,
    const char *label, enum qn_derive how)
{
	struct qn *q = l->q;
	struct qn_field *f;

	if (qn_field_find(q, key) >= 0) {
		qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(root,
		    "dimensions"), "dimensions", "'%s' comes from the team "
		    "map; remove the dimension (or the team map's %ss)", key,
		    key);
		return;
	}
	q->fields = xreallocarray(q->fields, q->nfields + 1,
	    sizeof(*q->fields));
	f = &q->fields[q->nfields++];
	memset(f, 0, sizeof(*f));
	f->key = xstrdup(key);
	f->text = xstrdup(label);
	f->kind = QN_DIM;
	f->derived = how;
}

static void
load_team_map(struct qn_ld *l, const cJSON *root)
{
	const cJSON *tm = cJSON_GetObjectItemCaseSensitive(root, "team_map");
	const cJSON *teams = cJSON_GetObjectItemCaseSensitive(root, "teams");

	if (tm != NULL && teams != NULL)
		qn_ld_bad(l, teams, "teams", "give \"team_map\" or \"teams\", "
		    "not both");
	else if (tm != NULL && !cJSON_IsObject(tm))
		qn_ld_bad(l, tm, "team_map", "must name a team map file (its "
		    "id) or be a team map object");
	else if (tm != NULL) {
		struct loc at, top;
		enum diag_code code = l->code;

		/* A map from its own file is reported with its own paths. */
		qn_doc_loc(l->src, tm, &at);
		qn_doc_loc(l->src, NULL, &top);
		l->code = DIAG_TM_SCHEMA;
		qn_tmap_load(l, tm, at.file != NULL && top.file != NULL &&
		    strcmp(at.file, top.file) != 0 ? "" : "team_map");
		l->code = code;
	}
	else if (teams != NULL)
		qn_tmap_legacy(l, teams);
	if (l->q->tmap == NULL || l->q->tmap->nservices == 0)
		return;
	derived_dim(l, root, "service", "Service", QN_DERIVE_SERVICE);
	if (l->q->tmap->ndirs > 0)
		derived_dim(l, root, "directorate", "Directorate",
		    QN_DERIVE_DIRECTORATE);
}

static void
load_root(struct qn_ld *l, const cJSON *root)
{
	struct qn *q = l->q;
	const cJSON *y;
	struct sha256 h;

	q->body = xstrdup(l->src->text);
	sha256_init(&h);
	sha256_update(&h, q->body, strlen(q->body));
	sha256_hex(&h, q->sha);
	qn_ld_members(l, root, "", root_members);
	q->id = qn_ld_str(l, root, "", "id", 1);
	if (q->id != NULL && !qn_valid_key(q->id))
		qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(root, "id"), "id",
		    "'%s' is not a valid id (lowercase letters, digits, "
		    "_ - .)", q->id);
	q->title = qn_ld_str(l, root, "", "title", 0);
	free(qn_ld_str(l, root, "", "survey", 0));
	free(qn_ld_str(l, root, "", "description", 0));
	y = cJSON_GetObjectItemCaseSensitive(root, "year");
	if (y == NULL)
		qn_ld_bad(l, root, "year", "missing (a year such as 2024 is "
		    "required)");
	else
		q->year = qn_ld_year(l, root, "", "year");
	q->id_column = qn_ld_str(l, root, "", "id_column", 1);
	q->modified_column = qn_ld_str(l, root, "", "modified_column", 0);
	load_scales(l, root);
	load_fields(l, root, "dimensions");
	load_team_map(l, root);
	load_fields(l, root, "items");
	if (!l->bad && qn_field_find(q, "team") < 0)
		qn_ld_bad(l, cJSON_GetObjectItemCaseSensitive(root,
		    "dimensions"), "dimensions", "needs a dimension with key "
		    "\"team\"");
}

/* The JSON of pattern p of level b of a scale, for its position. */
static const cJSON *
pattern_node(const cJSON *scale, size_t b, size_t p)
{
	const cJSON *lv = cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(scale, "levels"), (int)b);
	const cJSON *m = cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(lv, "match"), (int)p);

	return m ? m : scale;
}

/* Lint: spellings that two levels of one scale would both claim. */
static void
lint_scales(struct qn_ld *l, const cJSON *root)
{
	const cJSON *scales = cJSON_GetObjectItemCaseSensitive(root, "scales");
	struct qn *q = l->q;

	for (size_t s = 0; s < q->nscales; s++) {
		const struct qn_scale *sc = &q->scales[s];
		const cJSON *node = cJSON_GetObjectItemCaseSensitive(scales,
		    sc->name);

		if (!sc->used)
			qn_ld_diag(l, DIAG_QN_UNUSED, node, qn_ld_at(l,
			    "scales.", "%s", sc->name), "no item uses scale "
			    "'%s'", sc->name);
		for (size_t a = 0; a < sc->nlevels; a++) {
			const char *cand[2] = { sc->levels[a].label,
			    sc->levels[a].key };

			for (size_t b = 0; b < sc->nlevels; b++) {
				if (a == b)
					continue;
				for (size_t c = 0; c < 2; c++)
					for (size_t p = 0;
					    p < sc->levels[b].npats; p++) {
						if (!qn_pat_match(q->md,
						    &sc->levels[b].pats[p],
						    cand[c], strlen(cand[c])))
							continue;
						qn_ld_diag(l, DIAG_QN_OVERLAP,
						    pattern_node(node, b, p),
						    qn_ld_at(l,
						    "scales.", "%s.levels[%zu]"
						    ".match[%zu]", sc->name, b,
						    p), "'%s' (level '%s') "
						    "also matches level '%s'",
						    cand[c], sc->levels[a].key,
						    sc->levels[b].key);
					}
			}
		}
	}
}

static struct qn *
load_src(struct qn_doc *src, unsigned flags, struct diag *d)
{
	struct qn_ld l;
	struct qn *q = xcalloc(1, sizeof(*q));

	memset(&l, 0, sizeof(l));
	l.q = q;
	l.src = src;
	l.d = d;
	l.code = DIAG_QN_SCHEMA;
	buf_init(&l.path, 0);
	q->md = pcre2_match_data_create(4, NULL);
	if (!cJSON_IsObject(src->root))
		qn_ld_bad(&l, src->root, "", "must be a JSON object");
	else
		load_root(&l, src->root);
	if (flags & QN_LINT) {
		const cJSON *tm = cJSON_GetObjectItemCaseSensitive(src->root,
		    "team_map");
		struct loc at, top;

		lint_scales(&l, src->root);
		qn_doc_loc(l.src, tm, &at);
		qn_doc_loc(l.src, NULL, &top);
		if (q->tmap != NULL && cJSON_IsObject(tm))
			qn_tmap_lint(&l, tm, at.file != NULL &&
			    top.file != NULL && strcmp(at.file, top.file) != 0 ?
			    "" : "team_map");
	}
	buf_release(&l.path);
	if (l.bad) {
		qn_free(q);
		return NULL;
	}
	return q;
}

struct qn *
qn_load(const char *path, const char *dirs, unsigned flags, struct diag *d)
{
	struct qn_doc src;
	struct qn *q = NULL;
	int rc;

	rc = qn_doc_load(&src, path, dirs, d);
	if (rc >= 0)
		q = load_src(&src, flags, d);
	if (rc > 0) {
		qn_free(q);	/* checked for the sake of the report */
		q = NULL;
	}
	qn_doc_release(&src);
	return q;
}

struct qn *
qn_load_file(const char *path, struct diag *d)
{
	return qn_load(path, NULL, 0, d);
}

struct qn *
qn_load_text(const char *text, const char *origin, struct diag *d)
{
	struct qn_doc src;
	struct qn *q = NULL;

	if (qn_doc_text(&src, text, origin, NULL, d) == 0)
		q = load_src(&src, 0, d);	/* a stored one is resolved */
	qn_doc_release(&src);
	return q;
}

int
qn_check_team_map(const char *path, unsigned flags, struct diag *d)
{
	struct qn_doc src;
	struct qn_ld l;
	struct qn *q = xcalloc(1, sizeof(*q));
	int rc = -1;

	memset(&l, 0, sizeof(l));
	l.q = q;
	l.src = &src;
	l.d = d;
	l.code = DIAG_TM_SCHEMA;
	buf_init(&l.path, 0);
	q->md = pcre2_match_data_create(4, NULL);
	if (qn_doc_team_map(&src, path, d) == 0) {
		if (!cJSON_IsObject(src.root))
			qn_ld_bad(&l, src.root, "", "must be a JSON object");
		else
			qn_tmap_load(&l, src.root, "");
		if (!l.bad && (flags & QN_LINT))
			qn_tmap_lint(&l, src.root, "");
		rc = l.bad ? -1 : 0;
	}
	qn_doc_release(&src);
	buf_release(&l.path);
	qn_free(q);
	return rc;
}

int
qn_check_file(const char *path, const char *dirs, unsigned flags,
    struct diag *d)
{
	struct buf text = BUF_INIT;
	cJSON *root;
	int map = 0;
	struct qn *q;

	if (qn_read_file(path, "file", &text, d) < 0)
		return -1;
	/* A team map has teams and none of a definition's own members. */
	root = cJSON_Parse(strncmp(text.data, "\xEF\xBB\xBF", 3) == 0 ?
	    text.data + 3 : text.data);
	if (cJSON_IsObject(root) &&
	    cJSON_GetObjectItemCaseSensitive(root, "teams") != NULL &&
	    cJSON_GetObjectItemCaseSensitive(root, "items") == NULL &&
	    cJSON_GetObjectItemCaseSensitive(root, "inherits") == NULL &&
	    cJSON_GetObjectItemCaseSensitive(root, "id_column") == NULL)
		map = 1;
	cJSON_Delete(root);
	buf_release(&text);
	if (map)
		return qn_check_team_map(path, flags, d);
	if ((q = qn_load(path, dirs, flags, d)) == NULL)
		return -1;
	qn_free(q);
	return 0;
}

char *
qn_find(const char *id, const char *dirs, struct diag *d)
{
	char *p = qn_find_in(id, NULL, dirs);
	size_t n = strlen(id);

	if (p != NULL)
		return p;
	if (n > 5 && strcmp(id + n - 5, ".json") == 0) {
		errno = ENOENT;
		diag_errno(d, "cannot find questionnaire '%s'", id);
		return NULL;
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
		free(q->fields[i].unit);
		free(q->fields[i].column);
		free(q->fields[i].cmp_map);
		qn_pat_release(&q->fields[i].column_re);
		for (size_t j = 0; j < q->fields[i].nsrc; j++) {
			free(q->fields[i].src[j].provider);
			free(q->fields[i].src[j].id);
		}
		free(q->fields[i].src);
		strmap_release(&q->fields[i].memo);
	}
	free(q->fields);
	qn_tmap_free(q->tmap);
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
