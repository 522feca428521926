/* SPDX-License-Identifier: MIT */
/*
 * The 100% stacked horizontal bar chart of one item (see report.h): one
 * bar per group and year, levels in scale order (RdYlBu, the favourable
 * end blue, the other red; by default the first level is favourable),
 * percentages written in segments of 8% or more, n= to the right of each
 * bar.  The all-groups rows are drawn first, above
 * a thin line.  A withheld row is a grey box saying why; within a shown
 * row the withheld levels are drawn together as one hatched segment
 * (their combined share, which n and the shown shares already give
 * away) at the place of the first of them, never as 0%.  All geometry is
 * worked out here, in pixels of the 16 cm canvas; gnuplot only draws.
 * Survey text goes in through report_label_add(); the only text written
 * into commands is numbers.
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
#define WIDTH		REPORT_WIDTH
#define PAD		REPORT_PAD
#define LEFT		48	/* left edge to the bars (year labels) */
#define RIGHT		62	/* bars to the right edge (n= labels) */
#define UNIT		REPORT_STACKED_UNIT	/* a bar or name row */
#define GROUP_GAP	0.5	/* extra rows between groups */
#define HALF_BAR	0.36	/* half a bar's height, in rows */
#define PCT_MIN		8.0	/* label segments at least this wide */

/* Characters per line, estimated for DejaVu Sans at 96 dpi. */
#define NAME_CHARS	70
#define LEVEL_CHARS	32

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
lay_out(struct layout *lo, const struct score_table *t, int from,
    const struct report_spec *s)
{
	double y = 0, sep = 0;
	size_t i, j, ntot = 0, gi = 0;
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
			if (!r->total && !report_group_drawn(s, t, i, j, from,
			    &gi))
				continue;
			if (lo->nr > 0)
				y -= 1 + GROUP_GAP;
			add_line(lo, y, NULL);
			for (size_t k = i; k < j; k++)
				if (t->rows[k].year >= from)
					add_line(lo, --y, &t->rows[k]);
			if (lo->nr > 0 && lo->v[lo->nr - 1].row == NULL) {
				lo->nr--;	/* a group with no rows left */
				y += lo->nr > 0 ? 1 + GROUP_GAP : 0;
			}
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
    const struct score_table *t, const char *const *pal, size_t supp1,
    size_t supp2, size_t empty)
{
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
			    "%.3f center tc rgb \"#555555\" font \",8\" "
			    "front noenhanced\n", lbl, l->y);
			continue;
		}
		segments(r, t->nlevels, x0, x1, &h0, &h1);
		for (size_t k = 0; k < t->nlevels; k++) {
			const struct score_cell *c = &r->cells[k];

			if (c->supp == SCORE_SHOWN && c->pct >= PCT_MIN)
				buf_addf(b, "set label \"%.0f%%\" at first "
				    "%.4f, first %.3f center tc rgb \"%s\" "
				    "font \",8\" front\n", c->pct,
				    (x0[k] + x1[k]) / 2, l->y,
				    text_colour(pal[k]));
		}
		buf_adds(b, "set label \"n=");
		report_count(b, r->n);
		buf_addf(b, "\" at first 100, first %.3f left offset "
		    "character 0.6, 0 font \",8\" tc rgb \"#333333\" front\n",
		    l->y);
	}
}

/* Where the texts around the bars are in $LBL. */
struct texts {
	size_t	 supp1, supp2, empty, hatch;
};

static void
add_texts(struct report_chart *c, struct report_frame *f, struct texts *x,
    const struct score_table *t, const struct layout *lo, int from,
    const struct report_spec *spec)
{
	struct buf s = BUF_INIT;

	buf_addf(&s, "%s by year, ", report_by_of(t));
	report_years(&s, from, t->year_to);
	buf_adds(&s, " \xC2\xB7 percentage of valid answers \xC2\xB7 "
	    "total n = ");
	report_count(&s, report_total_n(t, from));
	buf_addf(&s, " \xC2\xB7 suppression threshold k = %d", t->k);
	report_part_text(&s, spec);
	report_frame_texts(c, f, report_title_of(t), s.data);

	buf_reset(&s);
	buf_addf(&s, "suppressed (fewer than %d responses)", t->k);
	x->supp1 = report_label_add(c, s.data, 0);
	x->supp2 = report_label_add(c, "suppressed (to protect a small group)",
	    0);
	x->empty = report_label_add(c, "no valid answers", 0);
	buf_reset(&s);
	buf_addf(&s, "Hidden (n < %d)", t->k);
	x->hatch = report_label_add(c, s.data, 0);

	report_frame_note(c, f, "Percentages of valid answers (n); segments "
	    "under 8% are not labelled.");
	if (lo->any_primary || lo->any_secondary) {
		buf_reset(&s);
		buf_addf(&s, "Grey bars: not shown because fewer than %d "
		    "people answered%s.", t->k, lo->any_secondary ?
		    ", or because showing them would reveal such a group" :
		    "");
		report_frame_note(c, f, s.data);
	}
	if (lo->any_hatch) {
		buf_reset(&s);
		buf_addf(&s, "Hatched: answer levels given by fewer than %d "
		    "people (or hidden to protect them), shown only as their "
		    "combined share.", t->k);
		report_frame_note(c, f, s.data);
	}
	report_frame_changes(c, f, t);
	buf_release(&s);
}

/* The plotted numbers, the alt text and the summary. */
static void
add_words(struct report_job *j, const struct layout *lo, int from)
{
	const struct score_table *t = j->t;
	size_t nbars = 0, nwithheld = 0;

	for (size_t i = 0; i < lo->nr; i++) {
		const struct score_row *r = lo->v[i].row;

		if (r == NULL)
			continue;
		nbars++;
		nwithheld += lo->v[i].kind != BAR_SHOWN;
		for (size_t k = 0; k < t->nlevels; k++) {
			const struct score_cell *c = &r->cells[k];
			enum report_status st = r->supp == SCORE_PRIMARY ?
			    REPORT_FEW : r->supp != SCORE_SHOWN ?
			    REPORT_PROTECT : r->n == 0 ? REPORT_NONE :
			    c->supp == SCORE_PRIMARY ? REPORT_FEW :
			    c->supp != SCORE_SHOWN ? REPORT_PROTECT :
			    REPORT_SHOWN;

			report_csv_row(&j->csv, report_row_label(r), r->year,
			    t->level_labels != NULL && t->level_labels[k] ?
			    t->level_labels[k] : t->level_keys[k],
			    st == REPORT_SHOWN, c->pct, c->lo, c->hi, r->n,
			    report_status_text(st));
		}
	}
	buf_addf(&j->alt, "100%% stacked bar chart of the answers to "
	    "\xE2\x80\x9C%s\xE2\x80\x9D: one bar per %s and year (",
	    report_title_of(t), report_by_of(t));
	report_years(&j->alt, from, t->year_to);
	buf_adds(&j->alt, "), split into ");
	for (size_t k = 0; k < t->nlevels; k++)
		buf_addf(&j->alt, "%s%s", k == 0 ? "" : k + 1 == t->nlevels ?
		    " and " : ", ", t->level_labels != NULL &&
		    t->level_labels[k] ? t->level_labels[k] : t->level_keys[k]);
	buf_addf(&j->alt, ". %zu bars, %zu of them withheld. ", nbars,
	    nwithheld);
	report_summary(&j->summary, t, t->nlevels - 1, NULL, 0, 0);
	buf_add(&j->alt, j->summary.data, j->summary.len);
}

int
report_do_stacked(struct report_job *j, struct diag *d)
{
	const struct score_table *t = j->t;
	struct report_chart *c = &j->c;
	struct report_frame f;
	struct texts x;
	struct layout lo;
	struct buf *b;
	const char *pal[MAX_LEVELS];
	double plot, h;
	size_t name;
	int from = report_first_year(t, j->s->last_years);

	if (t->kind != SCORE_SCALE || t->nlevels < MIN_LEVELS ||
	    t->nlevels > MAX_LEVELS)
		return diag_err(d, "cannot chart item '%s': %zu answer levels "
		    "(the stacked chart takes a scale of %d to %d)",
		    item_key(t), t->nlevels, MIN_LEVELS, MAX_LEVELS);
	/* Blue at the favourable end, red at the other. */
	for (size_t k = 0; k < t->nlevels; k++)
		pal[k] = palette[t->nlevels][j->s->favourable_last ?
		    t->nlevels - 1 - k : k];
	memset(&lo, 0, sizeof(lo));
	memset(&x, 0, sizeof(x));
	b = &c->body;
	lay_out(&lo, t, from, j->s);
	for (size_t i = 0; i < lo.nr; i++) {
		lo.any_primary |= lo.v[i].kind == BAR_SUPP_PRIMARY;
		lo.any_secondary |= lo.v[i].kind == BAR_SUPP_SECONDARY;
	}

	/* Level labels first, so that $LBL[k] is level k. */
	for (size_t k = 0; k < t->nlevels; k++)
		report_label_add(c, t->level_labels != NULL &&
		    t->level_labels[k] != NULL ? t->level_labels[k] :
		    t->level_keys[k], LEVEL_CHARS);
	add_bars(b, &lo, t);	/* also finds out whether any is hatched */
	add_texts(c, &f, &x, t, &lo, from, j->s);
	add_words(j, &lo, from);

	f.key_rows = report_key_rows(c, 1, t->nlevels,
	    lo.any_hatch ? x.hatch : 0);
	report_frame_measure(&f, 26);
	plot = (lo.ymax - lo.ymin) * UNIT;
	c->width = WIDTH;
	c->height = (unsigned)(f.top + plot + f.bottom + 0.5);
	h = c->height;

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
	buf_addf(b, "set tmargin at screen %.5f\n",
	    report_from_top(f.top, h));
	buf_addf(b, "set bmargin at screen %.5f\n", f.bottom / h);
	buf_adds(b, "set xtics 0,20,100 format \"%g%%\" nomirror out "
	    "scale 0.5 tc rgb \"#333333\" font \",9\"\n"
	    "set ytics nomirror scale 0 tc rgb \"#333333\" font \",9\" ()\n"
	    "unset mxtics\nunset mytics\n"
	    "set grid xtics back lc rgb \"#e5e5e5\" lw 1 dt solid\n"
	    "set border 1 back lc rgb \"#888888\"\n"
	    "unset title\n");
	report_frame_emit(c, &f);
	buf_addf(b, "set key at screen %.5f, screen %.5f left top "
	    "vertical maxrows %u Left reverse samplen 1.5 width 1 "
	    "spacing 1.1 font \",9\" noenhanced\n", (double)PAD / WIDTH,
	    report_from_top(f.key_y, h), f.key_rows);

	/* Group names on their own rows, the totals set off by a line. */
	for (size_t i = 0; i < lo.nr; i++) {
		const struct line *l = &lo.v[i];

		if (l->row != NULL)
			continue;
		name = report_label_add(c, row_label(lo.v[i + 1].row),
		    NAME_CHARS);
		buf_addf(b, "set label $LBL[%zu] at screen %.5f, first %.3f "
		    "left font BOLD.\",9\" tc rgb \"#111111\" front "
		    "noenhanced\n", name, (double)PAD / WIDTH, l->y);
	}
	if (lo.has_sep)
		buf_addf(b, "set arrow from screen %.5f, first %.3f to graph "
		    "1, first %.3f nohead lc rgb \"#bbbbbb\" back\n",
		    (double)PAD / WIDTH, lo.sep_y, lo.sep_y);
	add_bar_labels(b, &lo, t, pal, x.supp1, x.supp2, x.empty);

	buf_adds(b, "plot for [k=1:L] $D using ((lo(k) + hi(k)) / 2):"
	    "(bar(k)):(lo(k)):(hi(k)):($1 - h):($1 + h) with boxxyerror "
	    "lc rgb C[k] title $LBL[k], \\\n"
	    "  $D using ((column(HL) + column(HH)) / 2):"
	    "(($2 == 1 && column(HH) > column(HL)) ? $1 : NaN):"
	    "(column(HL)):(column(HH)):($1 - h):($1 + h) with boxxyerror "
	    "fs pattern 4 border lc rgb \"#777777\" lc rgb \"#777777\" ");
	if (lo.any_hatch)
		buf_addf(b, "title $LBL[%zu], \\\n", x.hatch);
	else
		buf_adds(b, "notitle, \\\n");
	buf_adds(b, "  $D using (50):($2 >= 2 ? $1 : NaN):(0):(100):"
	    "($1 - h):($1 + h) with boxxyerror fs solid 1.0 border "
	    "lc rgb \"#bbbbbb\" fc rgb \"#f2f2f2\" notitle\n");
	free(lo.v);
	return 0;
}
