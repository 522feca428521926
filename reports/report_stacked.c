/* SPDX-License-Identifier: MIT */
/*
 * The 100% stacked horizontal bar chart of one item (see report.h):
 * turns a struct score_table into a layout and a gnuplot body for
 * report_gp_render().  All geometry is worked out here, in pixels of a
 * 1000 px wide canvas; gnuplot only draws.  Survey text goes in through
 * report_label_add(); the only text written into commands is numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "reports/report.h"
#include "scorer/score.h"

#define MIN_LEVELS	2
#define MAX_LEVELS	11

/* Layout, in pixels. */
#define WIDTH		1000
#define PAD		14	/* left edge to titles and team names */
#define LEFT		64	/* left edge to the bars (year labels) */
#define RIGHT		84	/* bars to the right edge (n= labels) */
#define TITLE_LINE	23	/* 13 pt bold */
#define SUB_LINE	17	/* 10 pt */
#define KEY_ROW		20
#define UNIT		24	/* one bar or team-name row */
#define FOOT_LINE	15	/* 9 pt */
#define GROUP_GAP	0.5	/* extra rows between groups */
#define HALF_BAR	0.36	/* half a bar's height, in rows */
#define PCT_MIN		8.0	/* label segments at least this wide */

/* Characters per line, estimated for DejaVu Sans at 96 dpi. */
#define TITLE_CHARS	80
#define SUB_CHARS	125
#define NAME_CHARS	96
#define LEVEL_CHARS	40

/*
 * ColorBrewer RdYlBu, n classes, reversed so that the first level of the
 * scale is blue and the last red.  ColorBrewer starts at 3 classes; the 2
 * class palette is the two ends of the 3 class one.
 */
static const char *const palette[MAX_LEVELS + 1][MAX_LEVELS] = {
	[2] = { "#91bfdb", "#fc8d59" },
	[3] = { "#91bfdb", "#ffffbf", "#fc8d59" },
	[4] = { "#2c7bb6", "#abd9e9", "#fdae61", "#d7191c" },
	[5] = { "#2c7bb6", "#abd9e9", "#ffffbf", "#fdae61", "#d7191c" },
	[6] = { "#4575b4", "#91bfdb", "#e0f3f8", "#fee090", "#fc8d59",
	    "#d73027" },
	[7] = { "#4575b4", "#91bfdb", "#e0f3f8", "#ffffbf", "#fee090",
	    "#fc8d59", "#d73027" },
	[8] = { "#4575b4", "#74add1", "#abd9e9", "#e0f3f8", "#fee090",
	    "#fdae61", "#f46d43", "#d73027" },
	[9] = { "#4575b4", "#74add1", "#abd9e9", "#e0f3f8", "#ffffbf",
	    "#fee090", "#fdae61", "#f46d43", "#d73027" },
	[10] = { "#313695", "#4575b4", "#74add1", "#abd9e9", "#e0f3f8",
	    "#fee090", "#fdae61", "#f46d43", "#d73027", "#a50026" },
	[11] = { "#313695", "#4575b4", "#74add1", "#abd9e9", "#e0f3f8",
	    "#ffffbf", "#fee090", "#fdae61", "#f46d43", "#d73027",
	    "#a50026" },
};

/* White text on dark segments, near-black on light ones. */
static const char *
text_colour(const char *hex)
{
	unsigned long v = strtoul(hex + 1, NULL, 16);
	double r = (double)((v >> 16) & 0xFF), g = (double)((v >> 8) & 0xFF);
	double b = (double)(v & 0xFF);

	/* Rec. 601 luma is enough to pick between black and white. */
	return 0.299 * r + 0.587 * g + 0.114 * b < 150 ? "#ffffff" :
	    "#222222";
}

enum bar_kind {
	BAR_SHOWN = 1,
	BAR_SUPP_PRIMARY,
	BAR_SUPP_SECONDARY,
	BAR_EMPTY,		/* shown but without valid answers */
};

/* One line of the chart: a group's name or one of its bars. */
struct line {
	double			 y;
	const struct score_row	*row;	/* NULL for a group name */
	enum bar_kind		 kind;
};

struct layout {
	struct line	*v;
	size_t		 nr, alloc;
	double		 ymin, ymax;
	double		 sep_y;		/* line between totals and groups */
	int		 has_sep;
	int		 any_primary, any_secondary, any_hatch;
};

static void
add_line(struct layout *lo, double y, const struct score_row *r)
{
	VEC_GROW(lo->v, lo->nr + 1, lo->alloc);
	lo->v[lo->nr].y = y;
	lo->v[lo->nr].row = r;
	lo->v[lo->nr].kind = 0;
	if (r != NULL) {
		if (r->supp == SCORE_PRIMARY)
			lo->v[lo->nr].kind = BAR_SUPP_PRIMARY;
		else if (r->supp == SCORE_SECONDARY)
			lo->v[lo->nr].kind = BAR_SUPP_SECONDARY;
		else if (r->n == 0)
			lo->v[lo->nr].kind = BAR_EMPTY;
		else
			lo->v[lo->nr].kind = BAR_SHOWN;
	}
	lo->nr++;
}

static const char *
item_key(const struct score_table *t)
{
	return t->item != NULL ? t->item : "";
}

static const char *
row_label(const struct score_row *r)
{
	return r->label != NULL ? r->label : "";
}

/*
 * Places the totals first (as one group), then the other rows grouped by
 * consecutive equal labels, top to bottom from y = 0 downwards.
 */
static void
lay_out(struct layout *lo, const struct score_table *t)
{
	double y = 0, sep = 0;
	size_t i, j, ntot = 0;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < t->nrows; i = j) {
			const struct score_row *r = &t->rows[i];

			for (j = i + 1; j < t->nrows &&
			    t->rows[j].total == r->total &&
			    (r->total || strcmp(row_label(&t->rows[j]),
			    row_label(r)) == 0); j++)
				;
			if ((pass == 0) != (r->total != 0))
				continue;
			if (lo->nr > 0)
				y -= 1 + GROUP_GAP;
			add_line(lo, y, NULL);
			for (size_t k = i; k < j; k++)
				add_line(lo, --y, &t->rows[k]);
		}
		if (pass == 0) {
			ntot = lo->nr;
			sep = y - (1 + GROUP_GAP) / 2 - 0.05;
		}
	}
	if (ntot > 0 && lo->nr > ntot) {
		lo->has_sep = 1;
		lo->sep_y = sep;
	}
	lo->ymax = 0.6;
	lo->ymin = y - 0.7;
}

/* Appends n with thousands separators. */
static void
add_count(struct buf *b, unsigned long n)
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

/* Screen fraction of a distance in pixels from the top. */
static double
from_top(double px, double height)
{
	return 1.0 - px / height;
}

/*
 * Where the segments of a shown bar go: level k spans x0[k]..x1[k] (equal
 * for a hidden level).  Hidden levels are drawn together as one hatched
 * segment *h0..*h1 (their combined share, which n and the shown shares
 * already give away) at the place of the first of them.  Returns non-zero
 * if there is a hatched segment.
 */
static int
segments(const struct score_row *r, size_t nlev, double *x0, double *x1,
    double *h0, double *h1)
{
	double shown = 0, x = 0, hidden;
	size_t first = nlev;

	for (size_t k = 0; k < nlev; k++) {
		if (r->cells[k].supp == SCORE_SHOWN)
			shown += r->cells[k].pct;
		else if (first == nlev)
			first = k;
	}
	hidden = first < nlev && shown < 100 ? 100 - shown : 0;
	*h0 = *h1 = 0;
	for (size_t k = 0; k < nlev; k++) {
		if (k == first) {
			*h0 = x;
			*h1 = x += hidden;
		}
		x0[k] = x;
		if (r->cells[k].supp == SCORE_SHOWN)
			x += r->cells[k].pct;
		x1[k] = x;
	}
	return first < nlev;
}

/*
 * The bar data block: y, kind (enum bar_kind), from and to for each
 * level, then from and to of the hatched segment.
 */
static void
add_bars(struct buf *b, struct layout *lo, const struct score_table *t)
{
	double x0[MAX_LEVELS], x1[MAX_LEVELS], h0, h1;

	/* Numbers only: no line can start with the terminator. */
	buf_adds(b, "$D << EOD\n");
	for (size_t i = 0; i < lo->nr; i++) {
		const struct line *l = &lo->v[i];

		if (l->row == NULL)
			continue;
		buf_addf(b, "%.3f\t%d", l->y, (int)l->kind);
		if (l->kind == BAR_SHOWN) {
			if (segments(l->row, t->nlevels, x0, x1, &h0, &h1))
				lo->any_hatch = 1;
		} else {
			memset(x0, 0, sizeof(x0));
			memset(x1, 0, sizeof(x1));
			h0 = h1 = 0;
		}
		for (size_t k = 0; k < t->nlevels; k++)
			buf_addf(b, "\t%.4f\t%.4f", x0[k], x1[k]);
		buf_addf(b, "\t%.4f\t%.4f\n", h0, h1);
	}
	buf_adds(b, "EOD\n");
}

/* Labels inside and beside the bars: all numbers, or $LBL lines. */
static void
add_bar_labels(struct buf *b, const struct layout *lo,
    const struct score_table *t, size_t supp1, size_t supp2, size_t empty)
{
	const char *const *pal = palette[t->nlevels];
	double x0[MAX_LEVELS], x1[MAX_LEVELS], h0, h1;

	for (size_t i = 0; i < lo->nr; i++) {
		const struct line *l = &lo->v[i];
		const struct score_row *r = l->row;
		size_t lbl;

		if (r == NULL)
			continue;
		buf_addf(b, "set ytics add (\"%d\" %.3f)\n", r->year, l->y);
		if (l->kind != BAR_SHOWN) {
			lbl = l->kind == BAR_SUPP_PRIMARY ? supp1 :
			    l->kind == BAR_SUPP_SECONDARY ? supp2 : empty;
			buf_addf(b, "set label $LBL[%zu] at first 50, first "
			    "%.3f center tc rgb \"#555555\" font \",9\" "
			    "front noenhanced\n", lbl, l->y);
			continue;
		}
		segments(r, t->nlevels, x0, x1, &h0, &h1);
		for (size_t k = 0; k < t->nlevels; k++) {
			const struct score_cell *c = &r->cells[k];

			if (c->supp == SCORE_SHOWN && c->pct >= PCT_MIN)
				buf_addf(b, "set label \"%.0f%%\" at first "
				    "%.4f, first %.3f center tc rgb \"%s\" "
				    "font \",9\" front\n", c->pct,
				    (x0[k] + x1[k]) / 2, l->y,
				    text_colour(pal[k]));
		}
		buf_adds(b, "set label \"n=");
		add_count(b, r->n);
		buf_addf(b, "\" at first 100, first %.3f left offset "
		    "character 0.6, 0 font \",9\" tc rgb \"#333333\" front\n",
		    l->y);
	}
}

/* Where the texts around the bars are in $LBL, and the legend's rows. */
struct frame {
	size_t	 title, ntitle, sub, nsub;
	size_t	 supp1, supp2, empty, hatch;
	size_t	 notes[4], nnotes;
	unsigned nkey_rows;
};

static void
add_texts(struct report_chart *c, struct frame *f,
    const struct score_table *t, const struct layout *lo)
{
	struct buf s = BUF_INIT;
	unsigned long total = 0, all = 0;
	int have_totals = 0;

	f->title = report_label_wrap(c, t->item_text != NULL &&
	    t->item_text[0] != '\0' ? t->item_text : item_key(t),
	    TITLE_CHARS, 3, &f->ntitle);
	/*
	 * Total n counts shown rows only, so that it can never give away
	 * the n of a suppressed one: the all-groups rows if any is shown,
	 * else the groups' rows.
	 */
	for (size_t i = 0; i < t->nrows; i++) {
		if (t->rows[i].supp != SCORE_SHOWN)
			continue;
		if (t->rows[i].total) {
			total += t->rows[i].n;
			have_totals = 1;
		} else {
			all += t->rows[i].n;
		}
	}
	buf_addf(&s, "%s by year, ", t->by_label != NULL ?
	    t->by_label : t->by != NULL ? t->by : "Group");
	if (t->year_from == t->year_to)
		buf_addf(&s, "%d", t->year_from);
	else
		buf_addf(&s, "%d\xE2\x80\x93%d", t->year_from, t->year_to);
	buf_adds(&s, " \xC2\xB7 percentage of valid answers \xC2\xB7 "
	    "total n = ");
	add_count(&s, have_totals ? total : all);
	buf_addf(&s, " \xC2\xB7 suppression threshold k = %d", t->k);
	f->sub = report_label_wrap(c, s.data, SUB_CHARS, 2, &f->nsub);

	buf_reset(&s);
	buf_addf(&s, "suppressed (fewer than %d responses)", t->k);
	f->supp1 = report_label_add(c, s.data, 0);
	f->supp2 = report_label_add(c, "suppressed (to protect a small group)",
	    0);
	f->empty = report_label_add(c, "no valid answers", 0);
	buf_reset(&s);
	buf_addf(&s, "Hidden (n < %d)", t->k);
	f->hatch = report_label_add(c, s.data, 0);

	f->notes[f->nnotes++] = report_label_add(c, "Percentages of valid "
	    "answers (n); segments under 8% are not labelled.", 0);
	if (lo->any_primary || lo->any_secondary) {
		buf_reset(&s);
		buf_addf(&s, "Grey bars: not shown because fewer than %d "
		    "people answered%s.", t->k, lo->any_secondary ?
		    ", or because showing them would reveal such a group" :
		    "");
		f->notes[f->nnotes++] = report_label_add(c, s.data, 0);
	}
	if (lo->any_hatch) {
		buf_reset(&s);
		buf_addf(&s, "Hatched: answer levels given by fewer than %d "
		    "people (or hidden to protect them), shown only as their "
		    "combined share.", t->k);
		f->notes[f->nnotes++] = report_label_add(c, s.data, 0);
	}
	buf_release(&s);
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

/*
 * Rows for the legend.  gnuplot gives every key column the width of the
 * widest entry, about (characters + 6) * 8 px at 10 pt with our key
 * options, and fills a key of several rows column by column; one row
 * keeps the scale order left to right, so use one whenever it fits.
 */
static unsigned
key_rows(const struct report_chart *c, size_t nlev, size_t hatch)
{
	size_t widest = 0, len, n = nlev + (hatch ? 1 : 0), cols;

	for (size_t i = 1; i <= n; i++) {
		len = key_chars(c->labels[(i <= nlev ? i : hatch) - 1]);
		if (len > widest)
			widest = len;
	}
	cols = (WIDTH - 2 * PAD) / ((widest + 6) * 8);
	if (cols == 0)
		cols = 1;
	return (unsigned)((n + cols - 1) / cols);
}

int
report_stacked(struct report_gp *gp, const struct score_table *t,
    const char *dir, const char *base, struct diag *d)
{
	struct report_chart c;
	struct layout lo;
	struct frame f;
	struct buf *b;
	const char *const *pal;
	double top, bottom, plot, h, y;
	size_t name;
	int rc;

	if (t->nlevels < MIN_LEVELS || t->nlevels > MAX_LEVELS)
		return diag_err(d, "cannot chart item '%s': %zu answer levels "
		    "(the stacked chart takes %d to %d)", item_key(t),
		    t->nlevels, MIN_LEVELS, MAX_LEVELS);
	if (t->nrows == 0)
		return diag_err(d, "cannot chart item '%s': no rows",
		    item_key(t));
	pal = palette[t->nlevels];
	memset(&lo, 0, sizeof(lo));
	memset(&f, 0, sizeof(f));
	report_chart_init(&c);
	b = &c.body;
	lay_out(&lo, t);
	for (size_t i = 0; i < lo.nr; i++) {
		lo.any_primary |= lo.v[i].kind == BAR_SUPP_PRIMARY;
		lo.any_secondary |= lo.v[i].kind == BAR_SUPP_SECONDARY;
	}

	/* Level labels first, so that $LBL[k] is level k. */
	for (size_t k = 0; k < t->nlevels; k++)
		report_label_add(&c, t->level_labels != NULL &&
		    t->level_labels[k] != NULL ? t->level_labels[k] :
		    t->level_keys[k], LEVEL_CHARS);
	add_bars(b, &lo, t);	/* also finds out whether any is hatched */
	add_texts(&c, &f, t, &lo);

	f.nkey_rows = key_rows(&c, t->nlevels, lo.any_hatch ? f.hatch : 0);
	top = 12 + f.ntitle * TITLE_LINE + f.nsub * SUB_LINE + 10 +
	    f.nkey_rows * KEY_ROW + 6;
	plot = (lo.ymax - lo.ymin) * UNIT;
	bottom = 30 + f.nnotes * FOOT_LINE + 8;
	h = top + plot + bottom;
	c.width = WIDTH;
	c.height = (unsigned)(h + 0.5);
	h = c.height;

	buf_addf(b, "L = %zu\nh = %.2f\n", t->nlevels, HALF_BAR);
	buf_addf(b, "array C[%zu] = [", t->nlevels);
	for (size_t k = 0; k < t->nlevels; k++)
		buf_addf(b, "%s\"%s\"", k ? ", " : "", pal[k]);
	buf_adds(b, "]\n"
	    "lo(k) = column(2 * k + 1)\n"
	    "hi(k) = column(2 * k + 2)\n"
	    "HL = 2 * L + 3\n"
	    "HH = 2 * L + 4\n"
	    "bar(k) = ($2 == 1 && hi(k) > lo(k)) ? $1 : NaN\n"
	    "set style fill solid 1.0 border lc rgb \"white\"\n"
	    "set xrange [0:100]\n");
	buf_addf(b, "set yrange [%.3f:%.3f]\n", lo.ymin, lo.ymax);
	buf_addf(b, "set lmargin at screen %.5f\n", (double)LEFT / WIDTH);
	buf_addf(b, "set rmargin at screen %.5f\n",
	    1.0 - (double)RIGHT / WIDTH);
	buf_addf(b, "set tmargin at screen %.5f\n", from_top(top, h));
	buf_addf(b, "set bmargin at screen %.5f\n", bottom / h);
	buf_adds(b, "set xtics 0,20,100 format \"%g%%\" nomirror out "
	    "scale 0.5 tc rgb \"#333333\"\n"
	    "set ytics nomirror scale 0 tc rgb \"#333333\" ()\n"
	    "unset mxtics\nunset mytics\n"
	    "set grid xtics back lc rgb \"#e5e5e5\" lw 1 dt solid\n"
	    "set border 1 back lc rgb \"#888888\"\n"
	    "unset title\n");

	/* Titles, left-aligned at the top. */
	y = 12 + TITLE_LINE / 2.0;
	for (size_t i = 0; i < f.ntitle; i++, y += TITLE_LINE)
		buf_addf(b, "set label $LBL[%zu] at screen %.5f, screen %.5f "
		    "left font BOLD.\",13\" tc rgb \"#111111\" front "
		    "noenhanced\n", f.title + i, (double)PAD / WIDTH,
		    from_top(y, h));
	y += (SUB_LINE - TITLE_LINE) / 2.0;
	for (size_t i = 0; i < f.nsub; i++, y += SUB_LINE)
		buf_addf(b, "set label $LBL[%zu] at screen %.5f, screen %.5f "
		    "left font \",10\" tc rgb \"#444444\" front "
		    "noenhanced\n", f.sub + i, (double)PAD / WIDTH,
		    from_top(y, h));
	y += 10 - SUB_LINE / 2.0;
	buf_addf(b, "set key at screen %.5f, screen %.5f left top "
	    "vertical maxrows %u Left reverse samplen 1.5 width 1 "
	    "spacing 1.2 noenhanced\n", (double)PAD / WIDTH, from_top(y, h),
	    f.nkey_rows);

	/* Group names on their own rows, the totals set off by a line. */
	for (size_t i = 0; i < lo.nr; i++) {
		const struct line *l = &lo.v[i];

		if (l->row != NULL)
			continue;
		name = report_label_add(&c, row_label(lo.v[i + 1].row),
		    NAME_CHARS);
		buf_addf(b, "set label $LBL[%zu] at screen %.5f, first %.3f "
		    "left font BOLD.\",10\" tc rgb \"#111111\" front "
		    "noenhanced\n", name, (double)PAD / WIDTH, l->y);
	}
	if (lo.has_sep)
		buf_addf(b, "set arrow from screen %.5f, first %.3f to graph "
		    "1, first %.3f nohead lc rgb \"#bbbbbb\" back\n",
		    (double)PAD / WIDTH, lo.sep_y, lo.sep_y);
	add_bar_labels(b, &lo, t, f.supp1, f.supp2, f.empty);

	/* Notes under the axis. */
	y = h - bottom + 30 + FOOT_LINE / 2.0;
	for (size_t i = 0; i < f.nnotes; i++, y += FOOT_LINE)
		buf_addf(b, "set label $LBL[%zu] at screen %.5f, screen %.5f "
		    "left font \",9\" tc rgb \"#555555\" front noenhanced\n",
		    f.notes[i], (double)PAD / WIDTH, from_top(y, h));

	buf_adds(b, "plot for [k=1:L] $D using ((lo(k) + hi(k)) / 2):"
	    "(bar(k)):(lo(k)):(hi(k)):($1 - h):($1 + h) with boxxyerror "
	    "lc rgb C[k] title $LBL[k], \\\n"
	    "  $D using ((column(HL) + column(HH)) / 2):"
	    "(($2 == 1 && column(HH) > column(HL)) ? $1 : NaN):"
	    "(column(HL)):(column(HH)):($1 - h):($1 + h) with boxxyerror "
	    "fs pattern 4 border lc rgb \"#777777\" lc rgb \"#777777\" ");
	if (lo.any_hatch)
		buf_addf(b, "title $LBL[%zu], \\\n", f.hatch);
	else
		buf_adds(b, "notitle, \\\n");
	buf_adds(b, "  $D using (50):($2 >= 2 ? $1 : NaN):(0):(100):"
	    "($1 - h):($1 + h) with boxxyerror fs solid 1.0 border "
	    "lc rgb \"#bbbbbb\" fc rgb \"#f2f2f2\" notitle\n");

	rc = report_gp_render(gp, &c, dir, base, d);
	report_chart_release(&c);
	free(lo.v);
	return rc;
}
