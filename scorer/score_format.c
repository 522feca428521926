/* SPDX-License-Identifier: MIT */
/*
 * Writing a breakdown table as CSV (RFC 4180, spreadsheet formulas
 * neutralised), JSON (the stable contract in README.md), Markdown or an
 * HTML fragment.  Suppressed values are never written: only their mark.
 * Every form states the item, the population, the years, k, the interval
 * method, what the marks mean and, when tests ran, the family they were
 * adjusted over.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "scorer/score.h"
#include "scorer/score_int.h"

static const struct {
	const char	*name;
	enum score_format fmt;
} formats[] = {
	{ "csv", SCORE_FMT_CSV },
	{ "json", SCORE_FMT_JSON },
	{ "md", SCORE_FMT_MD },
	{ "html", SCORE_FMT_HTML },
};

int
score_format_parse(const char *name, enum score_format *fmt)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0) {
			*fmt = formats[i].fmt;
			return 0;
		}
	return -1;
}

const char *
score_supp_name(enum score_supp s)
{
	static const char *const names[] = {
		[SCORE_SHOWN] = NULL, [SCORE_PRIMARY] = "primary",
		[SCORE_SECONDARY] = "secondary", [SCORE_LEDGER] = "ledger",
	};

	return names[s];
}

/* The mark written in place of a withheld value. */
const char *
score_mark(enum score_supp s)
{
	return s == SCORE_LEDGER ? "L" : "c";
}

const char *
score_row_kind_name(enum score_row_kind k)
{
	static const char *const names[] = {
		[SCORE_ROW_GROUP] = "group", [SCORE_ROW_MARGIN] = "margin",
		[SCORE_ROW_SERVICE] = "service",
		[SCORE_ROW_DIRECTORATE] = "directorate",
		[SCORE_ROW_TOTAL] = "total",
	};

	return names[k];
}

const char *
score_verdict_name(enum score_verdict v)
{
	return v == SCORE_SIGNIFICANT ? "significant" :
	    v == SCORE_NOT_SIGNIFICANT ? "not significant" : "not tested";
}

/* The sentences every form carries, one per line, into n. */
void
score_notes(const struct score_table *t, struct buf *n)
{
	int pct = (int)lround(t->conf * 100);

	if (t->internal)
		buf_adds(n, "INTERNAL: not for release; this table is not in "
		    "the release ledger and must not be published.\n");
	buf_addf(n, "Population: %s.\n", t->population ? t->population : "");
	buf_addf(n, "Percentages are of n, the valid answers (responses minus "
	    "blank and %s).\n", t->kind == SCORE_NUMBER ? "unusable answers: "
	    "not a number or out of range" : "unrecognised");
	if (t->nlevels)
		buf_addf(n, "Intervals: %d%% Wilson score intervals%s.\n", pct,
		    t->fpc ? ", with the finite-population correction (n / f, "
		    "f = (N - n) / (N - 1)) where the HR headcount N of a row "
		    "is known" : "");
	if (t->fpc_source)
		buf_addf(n, "Headcounts: %s.\n", t->fpc_source);
	if (t->kind == SCORE_NUMBER)
		buf_adds(n, "Median and quartiles: type 7 (linear "
		    "interpolation); min and max are withheld in a row with a "
		    "withheld part.\n");
	buf_addf(n, "c: withheld to protect confidentiality (fewer than %d "
	    "respondents, or a value that would let a withheld one be worked "
	    "out). %lu value%s withheld.\n", t->k, t->nsupp_primary +
	    t->nsupp_secondary, t->nsupp_primary + t->nsupp_secondary == 1 ?
	    "" : "s");
	if (t->nsupp_ledger)
		buf_addf(n, "L: withheld because, subtracted from a table "
		    "already released, it would describe fewer than %d people. "
		    "%lu value%s withheld.\n", t->k, t->nsupp_ledger,
		    t->nsupp_ledger == 1 ? "" : "s");
	for (size_t i = 0; i < t->nreasons; i++)
		buf_addf(n, "Release ledger: %s.\n", t->reasons[i]);
	for (size_t i = 0; i < t->nchanges; i++)
		buf_addf(n, "Across years: %s\n", t->changes[i]);
	if (t->ntests)
		buf_addf(n, "Tests: two-sided at %g%%, %s-adjusted over a "
		    "family of %zu test%s run in this table; comparisons with "
		    "fewer than %d answers on either side, or with a withheld "
		    "value, are not tested (which is not the same as not "
		    "significant). Year-on-year: pooled two-proportion z-test, "
		    "Newcombe interval for the change in points; responses of "
		    "the same people in both years make it approximate.\n",
		    100 - pct * 1.0, t->adjust == SCORE_ADJ_BH ?
		    "Benjamini-Hochberg" : "Holm", t->family, t->family == 1 ?
		    "" : "s", t->min_test_n);
	if (t->audit_skipped)
		buf_addf(n, "Disclosure audit: %lu block%s too large for the "
		    "exact check relied on the row and column rules alone.\n",
		    t->audit_skipped, t->audit_skipped == 1 ? "" : "s");
	if (t->release)
		buf_addf(n, "Recorded in the release ledger as #%ld.\n",
		    t->release);
}

/* ---------------------------------------------------------------- */
/* CSV */

/* The change test of category l into row i, or NULL. */
const struct score_test *
score_change_into(const struct score_table *t, size_t i, size_t l)
{
	for (size_t x = 0; x < t->ntests; x++)
		if (t->tests[x].kind == SCORE_TEST_CHANGE &&
		    t->tests[x].row_to == i && t->tests[x].cat == l)
			return &t->tests[x];
	return NULL;
}

int
score_has_changes(const struct score_table *t)
{
	for (size_t x = 0; x < t->ntests; x++)
		if (t->tests[x].kind == SCORE_TEST_CHANGE)
			return 1;
	return 0;
}

static size_t
csv_header(const struct score_table *t, struct buf *out)
{
	size_t ncol = 0;
	int ch = score_has_changes(t);

	if (t->nby == 0) {
		buf_adds(out, "group");
		ncol++;
	}
	for (size_t j = 0; j < t->nby; j++, ncol++) {
		if (j)
			buf_addc(out, ',');
		text_csv_field(out, t->by_keys[j]);
	}
	if (t->rollup) {
		buf_adds(out, ",level,parent");
		ncol += 2;
	}
	buf_adds(out, ",year,responses,n,blank,unrecognised");
	ncol += 5;
	for (size_t l = 0; l < t->nlevels; l++) {
		const char *k = t->level_keys[l];

		buf_adds(out, ",");
		text_csv_field(out, k);
		buf_adds(out, "_count,");
		text_csv_field(out, k);
		buf_adds(out, "_pct,");
		text_csv_field(out, k);
		buf_adds(out, "_lo,");
		text_csv_field(out, k);
		buf_adds(out, "_hi");
		ncol += 4;
		if (!ch)
			continue;
		buf_adds(out, ",");
		text_csv_field(out, k);
		buf_adds(out, "_change,");
		text_csv_field(out, k);
		buf_adds(out, "_change_lo,");
		text_csv_field(out, k);
		buf_adds(out, "_change_hi,");
		text_csv_field(out, k);
		buf_adds(out, "_change_p_adj,");
		text_csv_field(out, k);
		buf_adds(out, "_change_result");
		ncol += 5;
	}
	if (t->kind == SCORE_NUMBER) {
		buf_adds(out, ",mean,median,q1,q3,min,max");
		ncol += 6;
	}
	buf_adds(out, ",suppressed\r\n");
	return ncol + 1;
}

static void
csv_change(const struct score_test *x, struct buf *out)
{
	if (x == NULL)
		buf_adds(out, ",,,,,");
	else if (x->verdict == SCORE_NOT_TESTED)
		buf_addf(out, ",,,,,not tested: %s", x->why_not);
	else
		buf_addf(out, ",%.1f,%.1f,%.1f,%.4g,%s", x->diff, x->lo, x->hi,
		    x->p_adj, score_verdict_name(x->verdict));
}

static void
csv_row(const struct score_table *t, size_t i, struct buf *out)
{
	const struct score_row *r = &t->rows[i];
	int any = r->supp != SCORE_SHOWN, ch = score_has_changes(t);
	const char *m = score_mark(r->supp);

	if (t->nby == 0)
		text_csv_field(out, r->label);
	for (size_t j = 0; j < t->nby; j++) {
		if (j)
			buf_addc(out, ',');
		if (r->values != NULL && r->values[j] != NULL)
			text_csv_field(out, r->values[j]);
		else if (t->nby == 1)
			text_csv_field(out, r->label);
		else
			buf_addf(out, "All %ss", t->by_keys[j]);
	}
	if (t->rollup) {
		buf_addf(out, ",%s,", score_row_kind_name(r->kind));
		if (r->parent)
			text_csv_field(out, r->parent);
	}
	if (r->supp != SCORE_SHOWN)
		buf_addf(out, ",%d,%s,%s,%s,%s", r->year, m, m, m, m);
	else
		buf_addf(out, ",%d,%lu,%lu,%lu,%lu", r->year, r->responses,
		    r->n, r->blank, r->unrecognised);
	for (size_t l = 0; l < t->nlevels; l++) {
		const struct score_cell *c = &r->cells[l];

		if (c->supp != SCORE_SHOWN) {
			m = score_mark(c->supp);
			buf_addf(out, ",%s,%s,%s,%s", m, m, m, m);
			any = 1;
		} else {
			buf_addf(out, ",%lu,%.1f,%.1f,%.1f", c->count, c->pct,
			    c->lo, c->hi);
		}
		if (ch)
			csv_change(score_change_into(t, i, l), out);
	}
	if (t->kind == SCORE_NUMBER) {
		const struct score_num *n = &r->num;

		if (r->supp != SCORE_SHOWN || r->n == 0)
			buf_adds(out, r->n == 0 && r->supp == SCORE_SHOWN ?
			    ",,,,,," : ",c,c,c,c,c,c");
		else if (n->minmax_hidden)
			buf_addf(out, ",%.2f,%g,%g,%g,c,c", n->mean, n->median,
			    n->q1, n->q3);
		else
			buf_addf(out, ",%.2f,%g,%g,%g,%g,%g", n->mean,
			    n->median, n->q1, n->q3, n->min, n->max);
	}
	buf_addf(out, ",%s\r\n", any ? "yes" : "no");
}

static void
write_csv(const struct score_table *t, struct buf *out)
{
	struct buf n = BUF_INIT;
	size_t ncol = csv_header(t, out);

	for (size_t i = 0; i < t->nrows; i++)
		csv_row(t, i, out);
	/* The notes, after an empty record, as "note",TEXT rows padded to
	 * the table's width so every record has as many fields. */
	score_notes(t, &n);
	buf_adds(out, "\r\n");
	buf_addf(out, "note,item,");
	text_csv_field(out, t->item);
	for (size_t c = 3; c < ncol; c++)
		buf_addc(out, ',');
	buf_adds(out, "\r\nnote,question,");
	text_csv_field(out, t->item_text);
	for (size_t c = 3; c < ncol; c++)
		buf_addc(out, ',');
	buf_addf(out, "\r\nnote,years,%d-%d", t->year_from, t->year_to);
	for (size_t c = 3; c < ncol; c++)
		buf_addc(out, ',');
	buf_addf(out, "\r\nnote,k,%d", t->k);
	for (size_t c = 3; c < ncol; c++)
		buf_addc(out, ',');
	buf_adds(out, "\r\n");
	for (const char *p = n.data; *p;) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);

		buf_adds(out, "note,text,");
		text_csv_field(out, line);
		for (size_t c = 3; c < ncol; c++)
			buf_addc(out, ',');
		buf_adds(out, "\r\n");
		free(line);
		p += len + (p[len] == '\n');
	}
	for (size_t x = 0; x < t->ntests; x++) {
		const struct score_test *s = &t->tests[x];

		if (s->kind != SCORE_TEST_CHISQ)
			continue;
		if (s->verdict == SCORE_NOT_TESTED)
			buf_addf(out, "note,chi-square %d,not tested: %s",
			    s->year, s->why_not);
		else
			buf_addf(out, "note,chi-square %d,X2 = %.2f df = %u "
			    "groups = %zu p = %.4g adjusted p = %.4g: %s",
			    s->year, s->stat, s->df, s->ngroups, s->p, s->p_adj,
			    score_verdict_name(s->verdict));
		for (size_t c = 3; c < ncol; c++)
			buf_addc(out, ',');
		buf_adds(out, "\r\n");
	}
	buf_release(&n);
}

/* ---------------------------------------------------------------- */
/* JSON (version 2; README.md documents it) */

static void
json_kv(struct buf *out, const char *key, const char *val)
{
	text_json_str(out, key);
	buf_addc(out, ':');
	if (val == NULL)
		buf_adds(out, "null");
	else
		text_json_str(out, val);
}

/* A finite number, or null. */
static void
json_num(struct buf *out, const char *fmt, double x)
{
	if (isfinite(x))
		buf_addf(out, fmt, x);
	else
		buf_adds(out, "null");
}

static void
json_head(const struct score_table *t, struct buf *out)
{
	buf_adds(out, "{\"whc\":\"breakdown\",\"version\":2,\"item\":{");
	json_kv(out, "key", t->item);
	buf_addc(out, ',');
	json_kv(out, "text", t->item_text);
	buf_addf(out, ",\"kind\":\"%s\"},\"by\":{", t->kind == SCORE_NUMBER ?
	    "number" : "scale");
	json_kv(out, "key", t->by);
	buf_addc(out, ',');
	json_kv(out, "label", t->by_label);
	buf_adds(out, ",\"dimensions\":[");
	for (size_t j = 0; j < t->nby; j++) {
		buf_adds(out, j ? ",{" : "{");
		json_kv(out, "key", t->by_keys[j]);
		buf_addc(out, ',');
		json_kv(out, "label", t->by_labels[j]);
		buf_addc(out, '}');
	}
	buf_addf(out, "],\"rollup\":%s},\"years\":[%d,%d],\"k\":%d,",
	    t->rollup ? "true" : "false", t->year_from, t->year_to, t->k);
	json_kv(out, "population", t->population);
	buf_addc(out, ',');
	json_kv(out, "where", t->where);
	buf_addf(out, ",\"internal\":%s,\"release\":", t->internal ? "true" :
	    "false");
	if (t->release)
		buf_addf(out, "%ld", t->release);
	else
		buf_adds(out, "null");
	buf_addf(out, ",\"denominator\":\"n: valid answers (responses minus "
	    "blank and %s)\",", t->kind == SCORE_NUMBER ? "unusable" :
	    "unrecognised");
	buf_addf(out, "\"interval\":{\"method\":\"wilson\",\"level\":%g,"
	    "\"fpc\":%s,\"headcounts\":", t->conf, t->fpc ? "true" : "false");
	if (t->fpc_source)
		text_json_str(out, t->fpc_source);
	else
		buf_adds(out, "null");
	buf_adds(out, "},\"above\":");
	if (t->kind == SCORE_NUMBER && t->nlevels)
		buf_addf(out, "%g", t->above);
	else
		buf_adds(out, "null");
	buf_adds(out, ",\"levels\":[");
	for (size_t l = 0; l < t->nlevels; l++) {
		buf_adds(out, l ? ",{" : "{");
		json_kv(out, "key", t->level_keys[l]);
		buf_addc(out, ',');
		json_kv(out, "label", t->level_labels[l]);
		buf_addc(out, '}');
	}
	buf_adds(out, "],\"rows\":[");
}

static void
json_row(const struct score_table *t, const struct score_row *r,
    struct buf *out)
{
	const char *s = score_supp_name(r->supp);

	json_kv(out, "group", r->label);
	buf_addf(out, ",\"year\":%d,\"total\":%s,\"kind\":\"%s\",\"values\":{",
	    r->year, r->total ? "true" : "false",
	    score_row_kind_name(r->kind));
	for (size_t j = 0; j < t->nby; j++) {
		if (j)
			buf_addc(out, ',');
		json_kv(out, t->by_keys[j], r->values ? r->values[j] : NULL);
	}
	buf_adds(out, "},");
	json_kv(out, "parent", r->parent);
	buf_adds(out, ",\"suppressed\":");
	if (s)
		buf_addf(out, "\"%s\",\"responses\":null,\"n\":null,"
		    "\"blank\":null,\"unrecognised\":null", s);
	else
		buf_addf(out, "null,\"responses\":%lu,\"n\":%lu,"
		    "\"blank\":%lu,\"unrecognised\":%lu", r->responses,
		    r->n, r->blank, r->unrecognised);
	buf_adds(out, ",\"headcount\":");
	if (r->headcount && r->supp == SCORE_SHOWN)
		buf_addf(out, "%lu", r->headcount);
	else
		buf_adds(out, "null");
	buf_adds(out, ",");
	json_kv(out, "withheld_because", r->why);
	buf_adds(out, ",\"cells\":[");
	for (size_t l = 0; l < t->nlevels; l++) {
		const struct score_cell *c = &r->cells[l];

		buf_adds(out, l ? ",{" : "{");
		json_kv(out, "level", t->level_keys[l]);
		if ((s = score_supp_name(c->supp)) != NULL)
			buf_addf(out, ",\"count\":null,\"pct\":null,"
			    "\"lo\":null,\"hi\":null,\"suppressed\":\"%s\"}",
			    s);
		else
			buf_addf(out, ",\"count\":%lu,\"pct\":%.1f,\"lo\":%.1f,"
			    "\"hi\":%.1f,\"suppressed\":null}", c->count,
			    c->pct, c->lo, c->hi);
	}
	buf_addc(out, ']');
	if (t->kind == SCORE_NUMBER) {
		const struct score_num *n = &r->num;

		if (r->supp != SCORE_SHOWN || r->n == 0) {
			buf_adds(out, ",\"stats\":null");
		} else {
			json_num(out, ",\"stats\":{\"mean\":%.2f", n->mean);
			json_num(out, ",\"median\":%g", n->median);
			json_num(out, ",\"q1\":%g", n->q1);
			json_num(out, ",\"q3\":%g", n->q3);
			if (n->minmax_hidden) {
				buf_adds(out, ",\"min\":null,\"max\":null}");
			} else {
				json_num(out, ",\"min\":%g", n->min);
				json_num(out, ",\"max\":%g}", n->max);
			}
		}
	}
	buf_addc(out, '}');
}

static void
json_test(const struct score_table *t, const struct score_test *x,
    struct buf *out)
{
	int tested = x->verdict != SCORE_NOT_TESTED;

	if (x->kind == SCORE_TEST_CHANGE) {
		const struct score_row *a = &t->rows[x->row_from];
		const struct score_row *b = &t->rows[x->row_to];

		json_kv(out, "group", b->label);
		buf_addf(out, ",\"from\":%d,\"to\":%d,", a->year, b->year);
		json_kv(out, "level", t->level_keys[x->cat]);
		if (tested) {
			json_num(out, ",\"diff\":%.1f", x->diff);
			json_num(out, ",\"lo\":%.1f", x->lo);
			json_num(out, ",\"hi\":%.1f", x->hi);
			json_num(out, ",\"z\":%.3f", x->stat);
		} else {
			buf_adds(out, ",\"diff\":null,\"lo\":null,\"hi\":null,"
			    "\"z\":null");
		}
	} else {
		buf_addf(out, "\"year\":%d,\"groups\":%zu", x->year,
		    x->ngroups);
		if (tested)
			buf_addf(out, ",\"x2\":%.3f,\"df\":%u", x->stat, x->df);
		else
			buf_adds(out, ",\"x2\":null,\"df\":null");
	}
	if (tested) {
		json_num(out, ",\"p\":%.4g", x->p);
		json_num(out, ",\"p_adj\":%.4g", x->p_adj);
	} else {
		buf_adds(out, ",\"p\":null,\"p_adj\":null");
	}
	buf_addf(out, ",\"result\":\"%s\",", score_verdict_name(x->verdict));
	json_kv(out, "why_not", tested ? NULL : x->why_not);
}

static void
write_json(const struct score_table *t, struct buf *out)
{
	struct buf n = BUF_INIT;
	int first;

	json_head(t, out);
	for (size_t i = 0; i < t->nrows; i++) {
		buf_adds(out, i ? ",\n{" : "\n{");
		json_row(t, &t->rows[i], out);
	}
	buf_addf(out, "\n],\"tests\":{\"adjust\":\"%s\",\"alpha\":%g,"
	    "\"family\":%zu,\"min_n\":%d,\"changes\":[", t->adjust ==
	    SCORE_ADJ_BH ? "bh" : "holm", 1 - t->conf, t->family,
	    t->min_test_n);
	for (int kind = SCORE_TEST_CHANGE; kind <= SCORE_TEST_CHISQ; kind++) {
		if (kind == SCORE_TEST_CHISQ)
			buf_adds(out, "],\"chisq\":[");
		first = 1;
		for (size_t x = 0; x < t->ntests; x++) {
			if ((int)t->tests[x].kind != kind)
				continue;
			buf_adds(out, first ? "\n{" : ",\n{");
			json_test(t, &t->tests[x], out);
			buf_addc(out, '}');
			first = 0;
		}
	}
	buf_addf(out, "]},\"suppressed_cells\":{\"primary\":%lu,"
	    "\"secondary\":%lu,\"ledger\":%lu},\"marks\":{\"c\":\"withheld: "
	    "fewer than k respondents, or would let a withheld value be "
	    "worked out\",\"L\":\"withheld: would describe fewer than k "
	    "people by difference with a released table\"},\"notes\":[",
	    t->nsupp_primary, t->nsupp_secondary, t->nsupp_ledger);
	score_notes(t, &n);
	first = 1;
	for (const char *p = n.data; *p;) {
		size_t len = strcspn(p, "\n");

		if (!first)
			buf_addc(out, ',');
		text_json_strn(out, p, len);
		first = 0;
		p += len + (p[len] == '\n');
	}
	buf_adds(out, "]}\n");
	buf_release(&n);
}

void
score_table_write(const struct score_table *t, enum score_format fmt,
    struct buf *out)
{
	switch (fmt) {
	case SCORE_FMT_CSV:
		write_csv(t, out);
		break;
	case SCORE_FMT_JSON:
		write_json(t, out);
		break;
	case SCORE_FMT_MD:
		score_write_md(t, out);
		break;
	case SCORE_FMT_HTML:
		score_write_html(t, out);
		break;
	}
}
