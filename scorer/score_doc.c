/* SPDX-License-Identifier: MIT */
/*
 * A breakdown table as a document for people: Markdown for committee
 * papers, or an HTML fragment (a <section> with a captioned table, the
 * tests and the notes) for the committee pack.  Every text from the
 * survey is escaped for its destination.
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

struct doc {
	struct buf	*out;
	int		 html;
};

/* Survey text: cleaned and escaped. */
static void
text(struct doc *d, const char *s)
{
	struct buf c = BUF_INIT;

	text_clean(&c, s, strlen(s));
	for (const char *p = c.data; *p; p++) {
		if (d->html) {
			switch (*p) {
			case '&':
				buf_adds(d->out, "&amp;");
				continue;
			case '<':
				buf_adds(d->out, "&lt;");
				continue;
			case '>':
				buf_adds(d->out, "&gt;");
				continue;
			case '"':
				buf_adds(d->out, "&quot;");
				continue;
			case '\'':
				buf_adds(d->out, "&#39;");
				continue;
			}
		} else if (strchr("|\\`*_[]<>", *p) != NULL ||
		    (*p == '#' && p == c.data)) {
			buf_addc(d->out, '\\');
		}
		buf_addc(d->out, *p);
	}
	buf_release(&c);
}

static void
cell_start(struct doc *d, int head, int num)
{
	if (!d->html)
		buf_adds(d->out, " ");
	else
		buf_addf(d->out, "<%s%s>", head ? "th" : "td", num ?
		    " class=\"num\"" : "");
}

static void
cell_end(struct doc *d, int head)
{
	if (!d->html)
		buf_adds(d->out, " |");
	else
		buf_addf(d->out, "</%s>", head ? "th" : "td");
}

static void
row_start(struct doc *d)
{
	buf_adds(d->out, d->html ? "<tr>" : "|");
}

static void
row_end(struct doc *d)
{
	buf_adds(d->out, d->html ? "</tr>\n" : "\n");
}

/* A header cell of plain text. */
static void
head(struct doc *d, const char *s, int num)
{
	cell_start(d, 1, num);
	text(d, s);
	cell_end(d, 1);
}

static void
numcell(struct doc *d, const char *s)
{
	cell_start(d, 0, 1);
	buf_adds(d->out, s);
	cell_end(d, 0);
}

static void
rule(struct doc *d, size_t nleft, size_t nnum)
{
	if (d->html)
		return;
	buf_addc(d->out, '|');
	for (size_t i = 0; i < nleft; i++)
		buf_adds(d->out, "---|");
	for (size_t i = 0; i < nnum; i++)
		buf_adds(d->out, "---:|");
	buf_addc(d->out, '\n');
}

static void
title(struct doc *d, const struct score_table *t)
{
	struct buf *o = d->out;

	buf_adds(o, d->html ? "<section class=\"whc-breakdown\">\n<h2>" :
	    "**");
	text(d, t->item_text);
	buf_adds(o, d->html ? "</h2>\n<p>" : "**");
	buf_adds(o, d->html ? " <code>" : " (`");
	text(d, t->item);
	buf_adds(o, d->html ? "</code> by " : "`) by ");
	text(d, t->by_label);
	if (t->rollup)
		buf_adds(o, ", rolled up the team hierarchy");
	if (t->year_from == t->year_to)
		buf_addf(o, ", %d", t->year_from);
	else
		buf_addf(o, ", %d to %d", t->year_from, t->year_to);
	if (t->where != NULL) {
		buf_adds(o, d->html ? ", where <code>" : ", where `");
		if (d->html)
			text(d, t->where);
		else
			for (const char *p = t->where; *p; p++)
				if (*p != '`')
					buf_addc(o, *p);
		buf_adds(o, d->html ? "</code>" : "`");
	}
	buf_addf(o, "; k = %d", t->k);
	if (t->internal)
		buf_adds(o, d->html ? "; <strong>INTERNAL: not for "
		    "release</strong>" : "; **INTERNAL: not for release**");
	buf_adds(o, d->html ? "</p>\n" : "\n\n");
}

static void
header(struct doc *d, const struct score_table *t)
{
	size_t nleft = 0, nnum = 1;

	if (d->html)
		buf_adds(d->out, "<thead>");
	row_start(d);
	if (t->nby == 0) {
		head(d, "Group", 0);
		nleft++;
	}
	for (size_t j = 0; j < t->nby; j++, nleft++)
		head(d, t->by_labels[j], 0);
	if (t->rollup) {
		head(d, "Part of", 0);
		nleft++;
	}
	head(d, "Year", 1);
	for (size_t l = 0; l < t->nlevels; l++, nnum++)
		head(d, t->level_labels[l], 1);
	head(d, "n", 1);
	nnum++;
	if (t->kind == SCORE_NUMBER) {
		head(d, "Mean", 1);
		head(d, "Median", 1);
		head(d, "Quartiles", 1);
		head(d, "Min", 1);
		head(d, "Max", 1);
		nnum += 5;
	}
	head(d, "Blank", 1);
	head(d, t->kind == SCORE_NUMBER ? "Unusable" : "Unrecognised", 1);
	nnum += 2;
	row_end(d);
	if (d->html)
		buf_adds(d->out, "</thead>\n<tbody>\n");
	rule(d, nleft, nnum);
}

static void
label(struct doc *d, const struct score_row *r, const char *s)
{
	cell_start(d, 0, 0);
	if (r->total || r->kind == SCORE_ROW_SERVICE ||
	    r->kind == SCORE_ROW_DIRECTORATE)
		buf_adds(d->out, d->html ? "<strong>" : "**");
	text(d, s);
	if (r->total || r->kind == SCORE_ROW_SERVICE ||
	    r->kind == SCORE_ROW_DIRECTORATE)
		buf_adds(d->out, d->html ? "</strong>" : "**");
	cell_end(d, 0);
}

static void
body_row(struct doc *d, const struct score_table *t,
    const struct score_row *r)
{
	const char *m = score_mark(r->supp);
	int hid = r->supp != SCORE_SHOWN;
	char s[96];

	row_start(d);
	if (t->nby == 0)
		label(d, r, r->label);
	for (size_t j = 0; j < t->nby; j++) {
		char all[64];

		snprintf(all, sizeof(all), "All %ss", t->by_keys[j]);
		label(d, r, r->values && r->values[j] ? r->values[j] :
		    t->nby == 1 ? r->label : all);
	}
	if (t->rollup) {
		cell_start(d, 0, 0);
		if (r->parent)
			text(d, r->parent);
		cell_end(d, 0);
	}
	snprintf(s, sizeof(s), "%d", r->year);
	numcell(d, s);
	for (size_t l = 0; l < t->nlevels; l++) {
		const struct score_cell *c = &r->cells[l];

		if (c->supp != SCORE_SHOWN)
			snprintf(s, sizeof(s), "%s", score_mark(c->supp));
		else
			snprintf(s, sizeof(s), "%lu (%.1f%% [%.1f, %.1f])",
			    c->count, c->pct, c->lo, c->hi);
		numcell(d, s);
	}
	snprintf(s, sizeof(s), "%lu", r->n);
	numcell(d, hid ? m : s);
	if (t->kind == SCORE_NUMBER) {
		const struct score_num *n = &r->num;
		int none = hid || r->n == 0;

		snprintf(s, sizeof(s), "%.2f", n->mean);
		numcell(d, none ? (hid ? m : "") : s);
		snprintf(s, sizeof(s), "%g", n->median);
		numcell(d, none ? (hid ? m : "") : s);
		snprintf(s, sizeof(s), "%g-%g", n->q1, n->q3);
		numcell(d, none ? (hid ? m : "") : s);
		snprintf(s, sizeof(s), "%g", n->min);
		numcell(d, none ? (hid ? m : "") : n->minmax_hidden ? "c" : s);
		snprintf(s, sizeof(s), "%g", n->max);
		numcell(d, none ? (hid ? m : "") : n->minmax_hidden ? "c" : s);
	}
	snprintf(s, sizeof(s), "%lu", r->blank);
	numcell(d, hid ? m : s);
	snprintf(s, sizeof(s), "%lu", r->unrecognised);
	numcell(d, hid ? m : s);
	row_end(d);
}

static void
changes(struct doc *d, const struct score_table *t)
{
	char s[96];

	if (!score_has_changes(t))
		return;
	buf_adds(d->out, d->html ? "<table class=\"whc-changes\">\n<caption>"
	    "Change since the previous year</caption>\n<thead>" :
	    "\n**Change since the previous year**\n\n");
	row_start(d);
	head(d, "Group", 0);
	head(d, "Years", 0);
	head(d, "Level", 0);
	head(d, "Change (points)", 1);
	buf_addf(d->out, "%s%d%% interval%s", d->html ?
	    "<th class=\"num\">" : " ", (int)lround(t->conf * 100),
	    d->html ? "</th>" : " |");
	head(d, "Adjusted p", 1);
	head(d, "Result", 0);
	row_end(d);
	if (d->html)
		buf_adds(d->out, "</thead>\n<tbody>\n");
	rule(d, 3, 4);
	for (size_t x = 0; x < t->ntests; x++) {
		const struct score_test *c = &t->tests[x];
		int tested = c->verdict != SCORE_NOT_TESTED;

		if (c->kind != SCORE_TEST_CHANGE)
			continue;
		row_start(d);
		cell_start(d, 0, 0);
		text(d, t->rows[c->row_to].label);
		cell_end(d, 0);
		snprintf(s, sizeof(s), "%d to %d", t->rows[c->row_from].year,
		    t->rows[c->row_to].year);
		cell_start(d, 0, 0);
		buf_adds(d->out, s);
		cell_end(d, 0);
		cell_start(d, 0, 0);
		text(d, t->level_labels[c->cat]);
		cell_end(d, 0);
		snprintf(s, sizeof(s), "%+.1f", c->diff);
		numcell(d, tested ? s : "");
		snprintf(s, sizeof(s), "%+.1f to %+.1f", c->lo, c->hi);
		numcell(d, tested ? s : "");
		snprintf(s, sizeof(s), "%.4g", c->p_adj);
		numcell(d, tested ? s : "");
		cell_start(d, 0, 0);
		buf_adds(d->out, score_verdict_name(c->verdict));
		if (!tested)
			buf_addf(d->out, " (%s)", c->why_not);
		cell_end(d, 0);
		row_end(d);
	}
	if (d->html)
		buf_adds(d->out, "</tbody>\n</table>\n");
}

static void
chisq(struct doc *d, const struct score_table *t)
{
	for (size_t x = 0; x < t->ntests; x++) {
		const struct score_test *c = &t->tests[x];

		if (c->kind != SCORE_TEST_CHISQ)
			continue;
		buf_adds(d->out, d->html ? "<p class=\"whc-chisq\">" : "\n");
		buf_addf(d->out, "Groups by level, %d (chi-square test of "
		    "independence over the %zu groups shown in full): ",
		    c->year, c->ngroups);
		if (c->verdict == SCORE_NOT_TESTED)
			buf_addf(d->out, "not tested (%s).", c->why_not);
		else
			buf_addf(d->out, "X2 = %.2f, df = %u, p = %.4g, "
			    "adjusted p = %.4g: %s.", c->stat, c->df, c->p,
			    c->p_adj, score_verdict_name(c->verdict));
		buf_adds(d->out, d->html ? "</p>\n" : "\n");
	}
}

static void
write_doc(struct doc *d, const struct score_table *t)
{
	struct buf n = BUF_INIT;

	title(d, t);
	if (d->html) {
		buf_adds(d->out, "<table class=\"whc-table\">\n<caption>");
		text(d, t->item_text);
		buf_adds(d->out, "</caption>\n");
	}
	header(d, t);
	for (size_t i = 0; i < t->nrows; i++)
		body_row(d, t, &t->rows[i]);
	if (d->html)
		buf_adds(d->out, "</tbody>\n</table>\n");
	changes(d, t);
	chisq(d, t);
	score_notes(t, &n);
	buf_adds(d->out, d->html ? "<div class=\"whc-notes\">\n" : "\n");
	for (const char *p = n.data; *p;) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);

		buf_adds(d->out, d->html ? "<p>" : "");
		text(d, line);
		buf_adds(d->out, d->html ? "</p>\n" : "\n\n");
		free(line);
		p += len + (p[len] == '\n');
	}
	if (d->html)
		buf_adds(d->out, "</div>\n</section>\n");
	buf_release(&n);
}

void
score_write_md(const struct score_table *t, struct buf *out)
{
	struct doc d = { out, 0 };

	write_doc(&d, t);
}

void
score_write_html(const struct score_table *t, struct buf *out)
{
	struct doc d = { out, 1 };

	write_doc(&d, t);
}
