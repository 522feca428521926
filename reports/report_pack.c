/* SPDX-License-Identifier: MIT */
/*
 * The committee pack's page, DIR/index.html: one self-contained HTML5
 * document (an inline style sheet, no script, nothing fetched from
 * anywhere: the pictures and files sit beside it) with, for each item,
 * its charts, their alt text and summaries, links to every file, and the
 * scorer's table; then a methods note.  Every text is escaped here or,
 * for the tables, by the scorer.
 */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "reports/report.h"

static const char style[] =
    "body{font-family:\"DejaVu Sans\",Arial,sans-serif;max-width:62rem;"
    "margin:1.5rem auto;padding:0 1rem;color:#111;line-height:1.45}"
    "h1{font-size:1.6rem}h2{font-size:1.3rem;border-top:2px solid #ccc;"
    "padding-top:1rem;margin-top:2rem}h3{font-size:1.05rem}"
    "figure{margin:1.2rem 0 2rem}figure img{max-width:100%;height:auto;"
    "border:1px solid #ddd}figcaption{font-size:.95rem;max-width:48rem}"
    ".files{font-size:.85rem;color:#444}.failed{color:#a00;"
    "border:1px solid #a00;padding:.5rem}"
    "table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0}"
    "th,td{border:1px solid #ccc;padding:2px 5px;text-align:left}"
    ".num{text-align:right}details{margin:1rem 0}"
    "@media print{figure{break-inside:avoid}}";

/* Escapes s for HTML text and attribute values (after cleaning it). */
static void
esc(struct buf *out, const char *s)
{
	struct buf c = BUF_INIT;

	text_clean(&c, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
	for (const char *p = c.data; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			buf_adds(out, "&amp;");
			break;
		case '<':
			buf_adds(out, "&lt;");
			break;
		case '>':
			buf_adds(out, "&gt;");
			break;
		case '"':
			buf_adds(out, "&quot;");
			break;
		case '\'':
			buf_adds(out, "&#39;");
			break;
		default:
			buf_addc(out, *p);
		}
	}
	buf_release(&c);
}

/*
 * A file name in an href: only the characters our names use pass;
 * anything else is percent-encoded.
 */
static void
href(struct buf *out, const char *base, const char *suffix)
{
	struct buf n = BUF_INIT;

	buf_addf(&n, "%s%s", base, suffix);
	for (const unsigned char *p = (const unsigned char *)n.data; *p;
	    p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.", *p) != NULL)
			buf_addc(out, (char)*p);
		else
			buf_addf(out, "%%%02X", *p);
	}
	buf_release(&n);
}

static int
has_ext(const struct report_pack *p, const char *ext)
{
	for (size_t i = 0; i < p->nexts; i++)
		if (strcmp(p->exts[i], ext) == 0)
			return 1;
	return 0;
}

/*
 * One chart with its words.  The summary is left out when the chart
 * before it in the section (prev, or NULL) said the same: the charts of an
 * item, and the parts of a chart, share one; the alt text keeps it.
 */
static void
figure(struct buf *out, const struct report_pack *p,
    const struct report_pack_chart *c, const struct report_pack_chart *prev)
{
	const struct report_words *w = c->w;
	int same = prev != NULL && prev->error == NULL && prev->w != NULL &&
	    prev->w->summary != NULL && w->summary != NULL &&
	    strcmp(prev->w->summary, w->summary) == 0;

	buf_adds(out, "<figure>\n");
	if (c->error != NULL) {
		buf_adds(out, "<p class=\"failed\">This chart could not be "
		    "drawn: ");
		esc(out, c->error);
		buf_adds(out, "</p>\n</figure>\n");
		return;
	}
	if (has_ext(p, ".png")) {
		buf_adds(out, "<img src=\"");
		href(out, c->base, ".png");
		buf_adds(out, "\"");
		if (has_ext(p, "-300dpi.png")) {
			buf_adds(out, " srcset=\"");
			href(out, c->base, ".png");
			buf_adds(out, " 1x, ");
			href(out, c->base, "-300dpi.png");
			buf_adds(out, " 3x\"");
		}
	} else if (has_ext(p, ".svg")) {
		buf_adds(out, "<img src=\"");
		href(out, c->base, ".svg");
		buf_adds(out, "\"");
	} else {
		buf_adds(out, "<img src=\"\"");
	}
	buf_addf(out, " width=\"%u\" height=\"%u\" alt=\"", w->width_px,
	    w->height_px);
	esc(out, w->alt);
	buf_adds(out, "\">\n<figcaption>");
	if (!same) {
		buf_adds(out, "<p>");
		esc(out, w->summary);
		buf_adds(out, "</p>\n");
	}
	buf_adds(out, "<p class=\"files\">Files: ");
	for (size_t i = 0; i < p->nexts; i++) {
		buf_adds(out, "<a href=\"");
		href(out, c->base, p->exts[i]);
		buf_adds(out, "\">");
		esc(out, p->exts[i] + 1);
		buf_adds(out, "</a> \xC2\xB7 ");
	}
	buf_adds(out, "<a href=\"");
	href(out, c->base, ".csv");
	buf_adds(out, "\">numbers (CSV)</a></p></figcaption>\n</figure>\n");
}

static void
methods(struct buf *out, const struct report_pack *p)
{
	buf_adds(out, "<h2 id=\"methods\">Methods and data quality</h2>\n");
	buf_addf(out, "<p><strong>Disclosure control.</strong> No number in "
	    "this pack rests on fewer than %d respondents (k = %d). Such "
	    "values are withheld, and so are others that would let a "
	    "withheld one be worked out by subtraction from totals, other "
	    "teams or other tables. Withheld values are drawn as grey boxes "
	    "or gaps, never as zero. %lu values are withheld across the "
	    "tables of this pack.</p>\n", p->k, p->k, p->suppressed);
	buf_addf(out, "<p><strong>Intervals.</strong> Percentages are of the "
	    "valid answers (n: responses minus blank and unrecognised). "
	    "Each has a %.0f%% Wilson score interval. Means have a Student's "
	    "t interval; medians a distribution-free interval from the "
	    "ranks, given only when there are enough answers for it not to "
	    "rest on a single person's answer.</p>\n", 100 * p->conf);
	buf_addf(out, "<p><strong>Change and multiplicity.</strong> A change "
	    "since the previous year is tested with a two-sided "
	    "two-proportion z-test and given with its Newcombe interval. "
	    "p-values are adjusted by the %s method over the family of tests "
	    "in each table (the largest has %zu tests), so that looking at "
	    "many teams does not manufacture significant results. "
	    "Comparisons with fewer than 30 answers on either side, or with "
	    "a withheld value, are not tested, which is not the same as "
	    "\xE2\x80\x9Cnot significant\xE2\x80\x9D. Many of the same "
	    "people answer in both years, so the test is approximate.</p>\n",
	    p->adjust != NULL ? p->adjust : "Holm", p->family);
	buf_adds(out, "<p><strong>Data quality.</strong> Answers to each item "
	    "over all the years shown:</p>\n<table><thead><tr><th>Item"
	    "</th><th class=\"num\">Responses</th><th class=\"num\">Blank"
	    "</th><th class=\"num\">Unrecognised</th></tr></thead>"
	    "<tbody>\n");
	for (size_t i = 0; i < p->nitems; i++) {
		const struct report_pack_item *it = &p->items[i];

		buf_adds(out, "<tr><td>");
		esc(out, it->title);
		buf_addf(out, "</td><td class=\"num\">%lu</td><td class=\"num\">"
		    "%lu</td><td class=\"num\">%lu</td></tr>\n", it->responses,
		    it->blank, it->unrecognised);
	}
	buf_adds(out, "</tbody></table>\n<p>Unrecognised answers are kept "
	    "with their text in the store and listed when they are "
	    "imported; they are never silently counted as another "
	    "answer.</p>\n");
	buf_addf(out, "<p><strong>Files.</strong> Every chart is in %s "
	    "(16 cm wide; the PNGs carry their resolution, so they paste at "
	    "that size), with a CSV of the numbers plotted beside it.</p>\n",
	    p->formats != NULL ? p->formats : "PNG");
}

void
report_pack_html(const struct report_pack *p, struct buf *out)
{
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	esc(out, p->title);
	buf_adds(out, "</title>\n<style>");
	buf_adds(out, style);
	buf_adds(out, "</style>\n</head>\n<body>\n<h1>");
	esc(out, p->title);
	buf_adds(out, "</h1>\n<p>");
	report_years(out, p->year_from, p->year_to);
	buf_addf(out, " \xC2\xB7 no value rests on fewer than %d people "
	    "\xC2\xB7 see <a href=\"#methods\">methods</a></p>\n", p->k);
	if (p->nfailed)
		buf_addf(out, "<p class=\"failed\">%zu chart%s could not be "
		    "drawn; see below.</p>\n", p->nfailed, p->nfailed == 1 ?
		    "" : "s");
	buf_adds(out, "<nav><ul>\n");
	for (size_t i = 0; i < p->nitems; i++) {
		buf_adds(out, "<li><a href=\"#");
		href(out, p->items[i].key, "");
		buf_adds(out, "\">");
		esc(out, p->items[i].title);
		buf_adds(out, "</a></li>\n");
	}
	buf_adds(out, "</ul></nav>\n");
	for (size_t i = 0; i < p->nitems; i++) {
		const struct report_pack_item *it = &p->items[i];

		buf_adds(out, "<section id=\"");
		href(out, it->key, "");
		buf_adds(out, "\">\n<h2>");
		esc(out, it->title);
		buf_adds(out, "</h2>\n");
		for (size_t c = 0; c < it->ncharts; c++)
			figure(out, p, &it->charts[c],
			    c > 0 ? &it->charts[c - 1] : NULL);
		if (it->table_html != NULL) {
			buf_adds(out, "<details open><summary>The table of numbers"
			    "</summary>\n");
			buf_adds(out, it->table_html);
			buf_adds(out, "<p class=\"files\"><a href=\"");
			href(out, it->key, "-table.csv");
			buf_adds(out, "\">The table as CSV</a></p>\n"
			    "</details>\n");
		}
		buf_adds(out, "</section>\n");
	}
	methods(out, p);
	buf_adds(out, "</body>\n</html>\n");
}
