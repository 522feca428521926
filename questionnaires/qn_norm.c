/* SPDX-License-Identifier: MIT */
/*
 * Normalising raw answers against a definition: PCRE2 patterns (compiled
 * once, JIT where available), level and team matching memoised per distinct
 * raw text, numbers, and matching a CSV header to the definition's fields.
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
qn_pat_compile(struct qn_pat *p, const char *src, const char *file,
    const char *path, struct diag *d)
{
	PCRE2_SIZE off;
	int err;

	p->src = xstrdup(src);
	p->re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
	if (p->re == NULL) {
		PCRE2_UCHAR msg[256];
		struct loc loc = { file, 0, 0, path };

		pcre2_get_error_message(err, msg, sizeof(msg));
		diag_at(d, DIAG_QN_PATTERN, &loc, "'%s' at offset %zu: %s",
		    src, (size_t)off, (const char *)msg);
		free(p->src);
		p->src = NULL;
		return -1;
	}
	pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);	/* best effort */
	return 0;
}

int
qn_pat_match(struct qn *q, const struct qn_pat *p, const char *s, size_t n)
{
	return pcre2_match(p->re, (PCRE2_SPTR)s, n, 0, 0, q->md, NULL) >= 0;
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
	};

	return names[k];
}

/* Case-insensitive equality of s[0..n) and the NUL-terminated t. */
static int
same(const char *s, size_t n, const char *t)
{
	return strlen(t) == n && strncasecmp(s, t, n) == 0;
}

static int32_t
scale_level(struct qn *q, const struct qn_scale *sc, const char *s, size_t n)
{
	for (size_t l = 0; l < sc->nlevels; l++)
		if (same(s, n, sc->levels[l].label) ||
		    same(s, n, sc->levels[l].key))
			return (int32_t)l + 1;
	for (size_t l = 0; l < sc->nlevels; l++)
		for (size_t p = 0; p < sc->levels[l].npats; p++)
			if (qn_pat_match(q, &sc->levels[l].pats[p], s, n))
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

int32_t
qn_normalise(struct qn *q, size_t i, const char *s, size_t n)
{
	struct qn_field *f = &q->fields[i];
	struct buf clean = BUF_INIT;
	int64_t *memo;
	int32_t code;

	if ((memo = strmap_get(&f->memo, s, n)) != NULL)
		return (int32_t)*memo;
	text_squash(&clean, s, n);
	switch (f->kind) {
	case QN_SCALE:
		code = clean.len == 0 ? QN_BLANK :
		    scale_level(q, f->scale, clean.data, clean.len);
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
	/* Free text is rarely repeated: do not let the memo grow with it. */
	if (f->kind != QN_TEXT)
		strmap_put(&f->memo, s, n, code);
	return code;
}

int
qn_team(struct qn *q, const char *s, size_t n, struct buf *out)
{
	struct buf clean = BUF_INIT;
	int64_t *memo, t = -1;

	if ((memo = strmap_get(&q->team_memo, s, n)) != NULL) {
		t = *memo;
		if (t >= 0) {
			buf_adds(out, q->teams[t].name);
			return 1;
		}
	}
	text_squash(&clean, s, n);
	if (memo == NULL) {
		for (size_t i = 0; i < q->nteams && t < 0; i++) {
			if (same(clean.data, clean.len, q->teams[i].name))
				t = (int64_t)i;
			for (size_t p = 0; p < q->teams[i].npats && t < 0; p++)
				if (qn_pat_match(q, &q->teams[i].pats[p],
				    clean.data, clean.len))
					t = (int64_t)i;
		}
		strmap_put(&q->team_memo, s, n, t);
	}
	if (t >= 0) {
		buf_adds(out, q->teams[t].name);
		buf_release(&clean);
		return 1;
	}
	buf_add(out, clean.data, clean.len);
	buf_release(&clean);
	return q->nteams == 0 || out->len == 0;
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
