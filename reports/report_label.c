/* SPDX-License-Identifier: MIT */
/*
 * Untrusted text on its way into gnuplot: cleaning, cutting and wrapping
 * labels, the SVG precautions, and writing them as datablock lines (the
 * one channel gnuplot never parses: no quotes, escapes, backquotes or
 * macros).  Knows nothing about any particular chart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "reports/report.h"

#define ELLIPSIS	"\xE2\x80\xA6"	/* U+2026 */
#define WORD_JOINER	"\xE2\x81\xA0"	/* U+2060 */

void
report_chart_init(struct report_chart *c)
{
	memset(c, 0, sizeof(*c));
	buf_init(&c->body, 0);
}

void
report_chart_release(struct report_chart *c)
{
	for (size_t i = 0; i < c->nlabels; i++)
		free(c->labels[i]);
	free(c->labels);
	buf_release(&c->body);
	report_chart_init(c);
}

/* Length of the UTF-8 sequence starting with byte b (text is valid). */
static size_t
u8len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xF0)
		return 4;
	if (b >= 0xE0)
		return 3;
	return 2;
}

/* Number of code points in the valid UTF-8 string s[0..n). */
static size_t
u8count(const char *s, size_t n)
{
	size_t i = 0, cp = 0;

	while (i < n) {
		i += u8len((unsigned char)s[i]);
		cp++;
	}
	return cp;
}

/* Byte offset of code point number cp in s (or strlen(s)). */
static size_t
u8offset(const char *s, size_t cp)
{
	size_t i = 0;

	while (s[i] != '\0' && cp-- > 0)
		i += u8len((unsigned char)s[i]);
	return i;
}

/*
 * Cuts the cleaned text in b to maxchars code points, the last being
 * "…", and drops a space left before the ellipsis.
 */
static void
cut(struct buf *b, size_t maxchars)
{
	size_t off;

	if (maxchars == 0 || u8count(b->data, b->len) <= maxchars)
		return;
	off = u8offset(b->data, maxchars - 1);
	while (off > 0 && b->data[off - 1] == ' ')
		off--;
	buf_truncate(b, off);
	buf_adds(b, ELLIPSIS);
}

static size_t
push(struct report_chart *c, char *s)
{
	VEC_GROW(c->labels, c->nlabels + 1, c->labels_alloc);
	c->labels[c->nlabels++] = s;
	return c->nlabels;
}

size_t
report_label_add(struct report_chart *c, const char *s, size_t maxchars)
{
	struct buf b = BUF_INIT;

	if (s != NULL)
		text_squash(&b, s, strlen(s));
	cut(&b, maxchars);
	return push(c, buf_detach(&b, NULL));
}

size_t
report_label_wrap(struct report_chart *c, const char *s, size_t width,
    size_t maxlines, size_t *nlines)
{
	struct buf all = BUF_INIT, line = BUF_INIT;
	size_t first = 0, n = 0, pos = 0, wlen, wcp, lcp = 0;
	const char *w;

	if (s != NULL)
		text_squash(&all, s, strlen(s));
	while (pos < all.len) {
		w = all.data + pos;
		wlen = strcspn(w, " ");
		wcp = u8count(w, wlen);
		if (line.len > 0 && lcp + 1 + wcp > width) {
			if (n + 1 == maxlines)
				break;
			n++;
			first = first ? first : c->nlabels + 1;
			cut(&line, width);	/* a single overlong word */
			push(c, buf_detach(&line, NULL));
			lcp = 0;
		}
		if (line.len > 0) {
			buf_addc(&line, ' ');
			lcp++;
		}
		buf_add(&line, w, wlen);
		lcp += wcp;
		pos += wlen + (w[wlen] == ' ');
	}
	if (pos < all.len) {
		/* Out of lines: the rest goes on the last one, then cut. */
		buf_addc(&line, ' ');
		buf_adds(&line, all.data + pos);
	}
	cut(&line, width);
	n++;
	first = first ? first : c->nlabels + 1;
	push(c, buf_detach(&line, NULL));
	buf_release(&all);
	*nlines = n;
	return first;
}

void
report_label_svg(struct buf *out, const char *s)
{
	for (size_t i = 0; s[i] != '\0'; i++) {
		if (s[i] == '&' && s[i + 1] == '#') {
			buf_adds(out, "&" WORD_JOINER);
		} else if (s[i] == ']' && s[i + 1] == ']' && s[i + 2] == '>') {
			buf_adds(out, "]]" WORD_JOINER);
			i++;
		} else {
			buf_addc(out, s[i]);
		}
	}
}

/* Non-zero if some line, after leading blanks, starts with term. */
static int
term_clashes(const char *term, char *const *lines, size_t n)
{
	size_t tl = strlen(term);

	for (size_t i = 0; i < n; i++) {
		const char *l = lines[i] + strspn(lines[i], " \t");

		if (strncmp(l, term, tl) == 0)
			return 1;
	}
	return 0;
}

void
report_datablock(struct buf *script, const char *name, char *const *lines,
    size_t n, int svg)
{
	char term[32] = "EOD";

	for (unsigned k = 1; term_clashes(term, lines, n); k++)
		snprintf(term, sizeof(term), "EOD%u", k);
	buf_addf(script, "$%s << %s\n", name, term);
	for (size_t i = 0; i < n; i++) {
		if (strpbrk(lines[i], "\n\r") != NULL)
			BUG("datablock line with a line break");
		if (svg)
			report_label_svg(script, lines[i]);
		else
			buf_adds(script, lines[i]);
		buf_addc(script, '\n');
	}
	buf_addf(script, "%s\n", term);
}
