/* SPDX-License-Identifier: MIT */
/*
 * Normalising raw answers against a definition: PCRE2 patterns (compiled
 * once, JIT where available), level matching memoised per distinct raw
 * text, numbers, whole responses (with the team map), and matching a CSV
 * header to the definition's fields.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "questionnaires/qn_int.h"

int
qn_pat_compile(struct qn_pat *p, const char *src, const struct loc *loc,
    struct diag *d)
{
	PCRE2_SIZE off;
	int err;

	p->src = xstrdup(src);
	p->re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
	if (p->re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		diag_at(d, DIAG_QN_PATTERN, loc, "'%s' at offset %zu: %s",
		    src, (size_t)off, (const char *)msg);
		free(p->src);
		p->src = NULL;
		return -1;
	}
	pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);	/* best effort */
	return 0;
}

int
qn_pat_match(pcre2_match_data *md, const struct qn_pat *p, const char *s,
    size_t n)
{
	return pcre2_match(p->re, (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
}

void
qn_pat_release(struct qn_pat *p)
{
	if (p->re != NULL)
		pcre2_code_free(p->re);
	free(p->src);
	p->re = NULL;
	p->src = NULL;
}

const char *
qn_id(const struct qn *q)
{
	return q->id;
}

int
qn_year(const struct qn *q)
{
	return q->year;
}

const char *
qn_title(const struct qn *q)
{
	return q->title ? q->title : q->id;
}

const char *
qn_body(const struct qn *q)
{
	return q->body;
}

const char *
qn_sha(const struct qn *q)
{
	return q->sha;
}

const char *
qn_id_column(const struct qn *q)
{
	return q->id_column;
}

const char *
qn_modified_column(const struct qn *q)
{
	return q->modified_column;
}

size_t
qn_nfields(const struct qn *q)
{
	return q->nfields;
}

long
qn_field_find(const struct qn *q, const char *key)
{
	for (size_t i = 0; i < q->nfields; i++)
		if (strcmp(q->fields[i].key, key) == 0)
			return (long)i;
	return -1;
}

const char *
qn_field_key(const struct qn *q, size_t i)
{
	return q->fields[i].key;
}

enum qn_kind
qn_field_kind(const struct qn *q, size_t i)
{
	return q->fields[i].kind;
}

const char *
qn_field_text(const struct qn *q, size_t i)
{
	return q->fields[i].text;
}

size_t
qn_field_nlevels(const struct qn *q, size_t i)
{
	return q->fields[i].scale ? q->fields[i].scale->nlevels : 0;
}

const char *
qn_level_key(const struct qn *q, size_t i, size_t level)
{
	return q->fields[i].scale->levels[level].key;
}

const char *
qn_level_label(const struct qn *q, size_t i, size_t level)
{
	return q->fields[i].scale->levels[level].label;
}

const char *
qn_field_scale(const struct qn *q, size_t i)
{
	return q->fields[i].scale ? q->fields[i].scale->name : "";
}

const char *
qn_field_unit(const struct qn *q, size_t i)
{
	return q->fields[i].unit;
}

int
qn_field_range(const struct qn *q, size_t i, double *min, double *max)
{
	*min = q->fields[i].min;
	*max = q->fields[i].max;
	return q->fields[i].has_range;
}

int
qn_field_reverse(const struct qn *q, size_t i)
{
	return q->fields[i].reverse;
}

int
qn_field_derived(const struct qn *q, size_t i)
{
	return q->fields[i].derived != QN_DERIVE_NONE;
}

const char *
qn_field_compare_scale(const struct qn *q, size_t i)
{
	return q->fields[i].cmp ? q->fields[i].cmp->name : NULL;
}

size_t
qn_field_compare_nlevels(const struct qn *q, size_t i)
{
	return q->fields[i].cmp ? q->fields[i].cmp->nlevels : 0;
}

const char *
qn_compare_level_key(const struct qn *q, size_t i, size_t level)
{
	return q->fields[i].cmp->levels[level].key;
}

const char *
qn_compare_level_label(const struct qn *q, size_t i, size_t level)
{
	return q->fields[i].cmp->levels[level].label;
}

int32_t
qn_field_compare_code(const struct qn *q, size_t i, int32_t code)
{
	const struct qn_field *f = &q->fields[i];

	if (f->cmp == NULL || code < 1 || (size_t)code > f->scale->nlevels)
		return code;
	return f->cmp_map[code];
}

int
qn_same_coding(const struct qn *a, const struct qn *b)
{
	if (a->nfields != b->nfields)
		return 0;
	for (size_t i = 0; i < a->nfields; i++) {
		const struct qn_field *x = &a->fields[i], *y = &b->fields[i];

		if (strcmp(x->key, y->key) != 0 || x->kind != y->kind ||
		    (x->scale == NULL) != (y->scale == NULL))
			return 0;
		if (x->scale == NULL)
			continue;
		if (x->scale->nlevels != y->scale->nlevels)
			return 0;
		for (size_t l = 0; l < x->scale->nlevels; l++)
			if (strcmp(x->scale->levels[l].key,
			    y->scale->levels[l].key) != 0)
				return 0;
	}
	return 1;
}

const char *
qn_field_source(const struct qn *q, size_t i, const char *provider)
{
	const struct qn_field *f = &q->fields[i];

	for (size_t j = 0; j < f->nsrc; j++)
		if (strcmp(f->src[j].provider, provider) == 0)
			return f->src[j].id;
	return NULL;
}

const char *
qn_kind_name(enum qn_kind k)
{
	static const char *const names[] = {
		[QN_DIM] = "dimension", [QN_SCALE] = "scale",
		[QN_NUMBER] = "number", [QN_TEXT] = "text",
		[QN_CHOICE] = "choice",
	};

	return names[k];
}

int
qn_same(const char *s, size_t n, const char *t)
{
	return strlen(t) == n && strncasecmp(s, t, n) == 0;
}

static int32_t
scale_level(pcre2_match_data *md, const struct qn_scale *sc, const char *s,
    size_t n)
{
	for (size_t l = 0; l < sc->nlevels; l++)
		if (qn_same(s, n, sc->levels[l].label) ||
		    qn_same(s, n, sc->levels[l].key))
			return (int32_t)l + 1;
	for (size_t l = 0; l < sc->nlevels; l++)
		for (size_t p = 0; p < sc->levels[l].npats; p++)
			if (qn_pat_match(md, &sc->levels[l].pats[p], s, n))
				return (int32_t)l + 1;
	return QN_UNRECOGNISED;
}

static int32_t
number(const struct qn_field *f, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == s || *end != '\0' || errno || !isfinite(v))
		return QN_NUM_BAD;
	if (v < f->min || v > f->max || fabs(v) > 2e7)
		return QN_NUM_RANGE;
	return (int32_t)lround(v * QN_NUM_SCALE);
}

/* The code of s[0..n) for field f, without the memo. */
static int32_t
code_of(const struct qn_field *f, pcre2_match_data *md, const char *s,
    size_t n)
{
	struct buf clean = BUF_INIT;
	int32_t code;

	text_squash(&clean, s, n);
	switch (f->kind) {
	case QN_SCALE:
	case QN_CHOICE:
		code = clean.len == 0 ? QN_BLANK :
		    scale_level(md, f->scale, clean.data, clean.len);
		break;
	case QN_NUMBER:
		code = clean.len == 0 ? QN_NUM_BLANK : number(f, clean.data);
		break;
	case QN_TEXT:
		code = clean.len == 0 ? QN_BLANK : 1;
		break;
	default:
		BUG("qn_normalise on a dimension");
	}
	buf_release(&clean);
	return code;
}

int32_t
qn_normalise(struct qn *q, size_t i, const char *s, size_t n)
{
	struct qn_field *f = &q->fields[i];
	int64_t *memo;
	int32_t code;

	if ((memo = strmap_get(&f->memo, s, n)) != NULL)
		return (int32_t)*memo;
	code = code_of(f, q->md, s, n);
	/* Free text is rarely repeated: do not let the memo grow with it. */
	if (f->kind != QN_TEXT)
		strmap_put(&f->memo, s, n, code);
	return code;
}

struct qn_matcher *
qn_matcher_new(void)
{
	return (struct qn_matcher *)pcre2_match_data_create(4, NULL);
}

void
qn_matcher_free(struct qn_matcher *m)
{
	if (m != NULL)
		pcre2_match_data_free((pcre2_match_data *)m);
}

int32_t
qn_normalise_with(const struct qn *q, size_t i, const char *s, size_t n,
    struct qn_matcher *m)
{
	return code_of(&q->fields[i], (pcre2_match_data *)m, s, n);
}

int
qn_normalise_row(struct qn *q, char *const *f, const size_t *len,
    const size_t *col, int32_t *norm, struct qn_team_res *team,
    int (*intern)(void *arg, const char *dim, const char *val, size_t n,
    int32_t *code), void *arg)
{
	struct buf tmp = BUF_INIT;
	int rc = 0;

	memset(team, 0, sizeof(*team));
	team->status = QN_TEAM_BLANK;
	for (size_t i = 0; i < q->nfields && rc == 0; i++) {
		const struct qn_field *fd = &q->fields[i];
		const char *v = col[i] == SIZE_MAX ? "" : f[col[i]];
		size_t n = col[i] == SIZE_MAX ? 0 : len[col[i]];
		const char *val;

		if (fd->kind != QN_DIM) {
			norm[i] = qn_normalise(q, i, v, n);
			continue;
		}
		buf_reset(&tmp);
		val = NULL;
		if (fd->derived == QN_DERIVE_SERVICE) {
			val = team->service;
		} else if (fd->derived == QN_DERIVE_DIRECTORATE) {
			val = team->directorate;
		} else if (strcmp(fd->key, "team") == 0) {
			qn_team_resolve(q, v, n, team);
			val = team->team;
		}
		if (val != NULL) {
			buf_adds(&tmp, val);
		} else if (fd->derived == QN_DERIVE_NONE) {
			text_squash(&tmp, v, n);
			/* Not to be mistaken for the team's own series. */
			if (team->status == QN_TEAM_GONE &&
			    strcmp(fd->key, "team") == 0)
				buf_addf(&tmp, " (not a team in %d)", q->year);
		}
		rc = intern(arg, fd->key, tmp.data, tmp.len, &norm[i]);
	}
	buf_release(&tmp);
	return rc;
}

int
qn_bind_header(const struct qn *q, char *const *hdr, size_t n, size_t *col,
    size_t *id_col, size_t *mod_col, const char *file, unsigned long line,
    struct diag *d)
{
	struct loc loc = { file, line, 0, NULL };
	struct buf h = BUF_INIT;
	char **clean = xcalloc(n ? n : 1, sizeof(*clean));
	int rc = 0;

	for (size_t c = 0; c < n; c++) {
		buf_reset(&h);
		text_squash(&h, hdr[c], strlen(hdr[c]));
		clean[c] = xstrdup(h.data);
	}
	*id_col = *mod_col = SIZE_MAX;
	for (size_t c = 0; c < n; c++) {
		if (strcasecmp(clean[c], q->id_column) == 0 &&
		    *id_col == SIZE_MAX)
			*id_col = c;
		if (q->modified_column != NULL && *mod_col == SIZE_MAX &&
		    strcasecmp(clean[c], q->modified_column) == 0)
			*mod_col = c;
	}
	if (*id_col == SIZE_MAX)
		rc = diag_at(d, DIAG_CSV_COLUMN, &loc, "no column '%s' (the "
		    "response id named by id_column in '%s')", q->id_column,
		    q->id);
	if (q->modified_column != NULL && *mod_col == SIZE_MAX)
		rc = diag_at(d, DIAG_CSV_COLUMN, &loc, "no column '%s' (named "
		    "by modified_column in '%s')", q->modified_column, q->id);
	for (size_t i = 0; i < q->nfields; i++) {
		const struct qn_field *f = &q->fields[i];

		col[i] = SIZE_MAX;
		if (f->derived != QN_DERIVE_NONE)
			continue;	/* filled from the team map */
		for (size_t c = 0; c < n && col[i] == SIZE_MAX; c++) {
			if (f->column != NULL ?
			    strcasecmp(clean[c], f->column) == 0 :
			    pcre2_match(f->column_re.re, (PCRE2_SPTR)clean[c],
			    strlen(clean[c]), 0, 0, q->md, NULL) >= 0)
				col[i] = c;
		}
		if (col[i] == SIZE_MAX)
			rc = diag_at(d, DIAG_CSV_COLUMN, &loc, "no column for "
			    "%s '%s' (looked for %s '%s')",
			    qn_kind_name(f->kind), f->key,
			    f->column ? "header" : "a header matching",
			    f->column ? f->column : f->column_re.src);
	}
	for (size_t c = 0; c < n; c++)
		free(clean[c]);
	free(clean);
	buf_release(&h);
	return rc;
}
