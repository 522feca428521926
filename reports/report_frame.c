/* SPDX-License-Identifier: MIT */
/*
 * What every chart has around its plot: the title (the question), the
 * subtitle (dimension, years, n, k), room for the legend, and the notes
 * under the axis; plus small text helpers the chart files share.  The
 * sizes are pixels at 96 px/inch on the 16 cm canvas.
 */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "reports/report.h"
#include "scorer/score.h"

#define TITLE_LINE	20	/* 12 pt bold */
#define SUB_LINE	15	/* 9 pt */
#define KEY_ROW		17	/* 9 pt */
#define FOOT_LINE	13	/* 8 pt */
#define BOTTOM_PAD	12	/* under the last note (descenders) */
#define TITLE_CHARS	56
#define SUB_CHARS	90
#define FOOT_CHARS	90

#define NOTES_MAX	(sizeof(((struct report_frame *)0)->notes) / \
	sizeof(((struct report_frame *)0)->notes[0]))

double
report_from_top(double px, double height)
{
	return 1.0 - px / height;
}

void
report_count(struct buf *b, unsigned long n)
{
	char digits[32];
	size_t len;

	len = (size_t)snprintf(digits, sizeof(digits), "%lu", n);
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, digits[i]);
	}
}

void
report_years(struct buf *b, int from, int to)
{
	if (from == to)
		buf_addf(b, "%d", from);
	else
		buf_addf(b, "%d\xE2\x80\x93%d", from, to);
}

void
report_frame_texts(struct report_chart *c, struct report_frame *f,
    const char *title, const char *subtitle)
{
	memset(f, 0, sizeof(*f));
	f->title = report_label_wrap(c, title, TITLE_CHARS, 3, &f->ntitle);
	f->sub = report_label_wrap(c, subtitle, SUB_CHARS, 2, &f->nsub);
}

void
report_frame_note(struct report_chart *c, struct report_frame *f,
    const char *note)
{
	size_t first, n, room = NOTES_MAX - f->nnotes;

	if (room == 0)
		return;
	first = report_label_wrap(c, note, FOOT_CHARS, room, &n);
	for (size_t i = 0; i < n; i++)
		f->notes[f->nnotes++] = first + i;
}

void
report_frame_changes(struct report_chart *c, struct report_frame *f,
    const struct score_table *t)
{
	static const char scale[] = "The answer scale ";
	struct buf n = BUF_INIT;

	for (size_t i = 0; i < t->nchanges; i++) {
		if (strncmp(t->changes[i], scale, sizeof(scale) - 1) != 0)
			continue;
		buf_reset(&n);
		buf_addf(&n, "Across years: %s", t->changes[i]);
		report_frame_note(c, f, n.data);
	}
	buf_release(&n);
}

void
report_frame_measure(struct report_frame *f, double axis_px)
{
	f->key_y = 10 + f->ntitle * TITLE_LINE + f->nsub * SUB_LINE + 6;
	f->top = f->key_y + f->key_rows * KEY_ROW + (f->key_rows ? 8 : 4);
	f->bottom = axis_px + f->nnotes * FOOT_LINE + BOTTOM_PAD;
}

void
report_frame_emit(struct report_chart *c, const struct report_frame *f)
{
	struct buf *b = &c->body;
	double h = c->height, y, x = (double)REPORT_PAD / c->width;

	y = 10 + TITLE_LINE / 2.0;
	for (size_t i = 0; i < f->ntitle; i++, y += TITLE_LINE)
		buf_addf(b, "set label $LBL[%zu] at screen %.5f, screen %.5f "
		    "left font BOLD.\",12\" tc rgb \"#111111\" front "
		    "noenhanced\n", f->title + i, x, report_from_top(y, h));
	y += (SUB_LINE - TITLE_LINE) / 2.0;
	for (size_t i = 0; i < f->nsub; i++, y += SUB_LINE)
		buf_addf(b, "set label $LBL[%zu] at screen %.5f, screen %.5f "
		    "left font \",9\" tc rgb \"#444444\" front noenhanced\n",
		    f->sub + i, x, report_from_top(y, h));
	y = h - f->bottom + (f->bottom - f->nnotes * FOOT_LINE -
	    BOTTOM_PAD) + FOOT_LINE / 2.0;
	for (size_t i = 0; i < f->nnotes; i++, y += FOOT_LINE)
		buf_addf(b, "set label $LBL[%zu] at screen %.5f, screen %.5f "
		    "left font \",8\" tc rgb \"#555555\" front noenhanced\n",
		    f->notes[i], x, report_from_top(y, h));
}

/* Characters as gnuplot estimates them, non-ASCII counted double. */
static size_t
key_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if ((*s & 0xC0) != 0x80)
			n += (unsigned char)*s < 0x80 ? 1 : 2;
	return n;
}

unsigned
report_key_rows(const struct report_chart *c, size_t first, size_t n,
    size_t extra)
{
	size_t widest = 0, len, cols, total = n + (extra ? 1 : 0);

	for (size_t i = 0; i < total; i++) {
		len = key_chars(c->labels[(i < n ? first + i : extra) - 1]);
		if (len > widest)
			widest = len;
	}
	/* About (characters + 6) * 7 px per column at 9 pt. */
	cols = (REPORT_WIDTH - 2 * REPORT_PAD) / ((widest + 6) * 7);
	if (cols == 0)
		cols = 1;
	return (unsigned)((total + cols - 1) / cols);
}
