/* SPDX-License-Identifier: MIT */
/*
 * Horizontal bar charts with intervals, one row per group and year
 * (years under each group's name, the all-groups rows first):
 * REPORT_GROUPED draws a level's share as a bar per year (ColorBrewer
 * Blues, older years lighter) with its Wilson interval; REPORT_NUMBER
 * draws a number item's mean or median as a dot with its interval.  A
 * withheld row is a grey box saying why, never a zero; n= is at the
 * right of every row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "reports/report.h"
#include "scorer/score.h"

#define LEFT		48
#define RIGHT		62
#define UNIT		REPORT_GROUPED_UNIT
#define GROUP_GAP	0.5
#define HALF_BAR	0.36
#define NAME_CHARS	70
#define MAX_YEARS	REPORT_GROUPED_YEARS

/* ColorBrewer Blues, n classes (older years lighter). */
static const char *const blues[MAX_YEARS + 1][MAX_YEARS] = {
	[1] = { "#3182bd" },
	[2] = { "#9ecae1", "#3182bd" },
	[3] = { "#bdd7e7", "#6baed6", "#2171b5" },
	[4] = { "#bdd7e7", "#6baed6", "#3182bd", "#08519c" },
	[5] = { "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c" },
	[6] = { "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5",
	    "#084594" },
};

struct row {
	double		 y;
	long		 row;		/* -1 for a group's name */
	struct report_val v;
};

struct grid {
	struct row	*v;
	size_t		 n;
	double		 ymin, sep_y;
	int		 has_sep;
	double		 xmin, xmax;	/* of the intervals shown */
	int		 any;		/* a value is shown */
	unsigned	 withheld, few, protect;
};

static void
add_row(struct grid *g, double y, long row)
{
	g->v = xreallocarray(g->v, g->n + 1, sizeof(*g->v));
	memset(&g->v[g->n], 0, sizeof(g->v[0]));
	g->v[g->n].y = y;
	g->v[g->n].row = row;
	g->n++;
}

/* As in report_stacked.c: totals first, then the groups in order. */
static void
lay_out(struct grid *g, const struct score_table *t, int from,
    const struct report_spec *s)
{
	double y = 0;
	size_t j, gi = 0;
	int first = 1;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < t->nrows; i = j) {
			const struct score_row *r = &t->rows[i];
			size_t mark;

			for (j = i + 1; j < t->nrows &&
			    t->rows[j].total == r->total && (r->total ||
			    strcmp(report_row_label(&t->rows[j]),
			    report_row_label(r)) == 0); j++)
				;
			if ((pass == 0) != (r->total != 0))
				continue;
			if (!r->total && !report_group_drawn(s, t, i, j, from,
			    &gi))
				continue;
			mark = g->n;
			if (!first)
				y -= 1 + GROUP_GAP;
			add_row(g, y, -1);
			for (size_t k = i; k < j; k++)
				if (t->rows[k].year >= from)
					add_row(g, --y, (long)k);
			if (g->n == mark + 1) {
				g->n = mark;
				y += first ? 0 : 1 + GROUP_GAP;
			} else {
				first = 0;
			}
		}
		if (pass == 0 && g->n > 0) {
			g->has_sep = 1;
			g->sep_y = y - (1 + GROUP_GAP) / 2 - 0.05;
		}
	}
	if (g->n > 0 && g->v[g->n - 1].y > g->sep_y)
		g->has_sep = 0;
	g->ymin = y - 0.7;
}

int
report_do_grouped(struct report_job *j, struct diag *d)
{
	const struct score_table *t = j->t;
	const struct report_spec *s = j->s;
	int number = s->kind == REPORT_NUMBER;
	struct report_chart *c = &j->c;
	struct buf *b = &c->body, sub = BUF_INIT, m = BUF_INIT;
	struct report_frame f;
	struct grid g;
	size_t cat = 0, first_year_lbl, supp1, supp_cell, supp2, empty;
	int from = report_first_year(t, s->last_years), to = from, ny;
	double h, xmin = 0, xmax, conf = t->conf > 0 ? t->conf : 0.95;
	const char *const *pal;

	if (number && t->kind != SCORE_NUMBER)
		return diag_err(d, "cannot chart the mean of item '%s': it is "
		    "not a number item", t->item);
	if (!number && report_share_find(t, s->share, &cat, d) < 0)
		return -1;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].year > to)
			to = t->rows[i].year;
	ny = to - from + 1;
	if (ny > MAX_YEARS) {
		from = to - MAX_YEARS + 1;
		ny = MAX_YEARS;
	}
	pal = blues[ny];
	memset(&g, 0, sizeof(g));
	lay_out(&g, t, from, s);

	/* Values, the x range, and the CSV. */
	if (number)
		buf_addf(&m, "%s", s->median ? "median" : "mean");
	else
		buf_addf(&m, "%% answering %s", t->level_labels != NULL &&
		    t->level_labels[cat] ? t->level_labels[cat] :
		    t->level_keys[cat]);
	for (size_t i = 0; i < g.n; i++) {
		struct row *r = &g.v[i];
		const struct score_row *sr;

		if (r->row < 0)
			continue;
		sr = &t->rows[r->row];
		r->v = number ? report_number_value(t, (size_t)r->row,
		    s->median) : report_share_value(t, (size_t)r->row, cat,
		    s->full);
		if ((r->v.status == REPORT_SHOWN ||
		    r->v.status == REPORT_NO_CI) && r->v.hi > g.xmax)
			g.xmax = r->v.hi;
		if ((r->v.status == REPORT_SHOWN ||
		    r->v.status == REPORT_NO_CI) && (!g.any ||
		    r->v.lo < g.xmin))
			g.xmin = r->v.lo;
		g.any |= r->v.status == REPORT_SHOWN ||
		    r->v.status == REPORT_NO_CI;
		g.few += r->v.status == REPORT_FEW;
		g.protect += r->v.status == REPORT_PROTECT;
		report_csv_row(&j->csv, report_row_label(sr), sr->year, m.data,
		    r->v.status == REPORT_SHOWN || r->v.status == REPORT_NO_CI,
		    r->v.v, r->v.lo, r->v.hi, r->v.n,
		    report_status_text(r->v.status));
	}
	g.withheld = g.few + g.protect;
	if (number) {
		double step = pow(10, floor(log10(g.xmax > 0 ? g.xmax : 1)));

		xmax = ceil(g.xmax * 1.08 / step) * step;
		if (xmax <= 0)
			xmax = 1;
		/*
		 * Dots need no zero on the axis: when every interval sits far
		 * from zero (hours: 40 to 50), the axis spans the intervals,
		 * so that differences between teams can be seen.
		 */
		if (g.any && g.xmin > 0.4 * g.xmax) {
			double span = g.xmax - g.xmin;

			step = pow(10, floor(log10(span > 0 ? span : 1)));
			if (span / step < 3)
				step /= 2;
			xmin = floor(g.xmin / step) * step;
			xmax = ceil((g.xmax + 0.1 * span) / step) * step;
		}
	} else {
		xmax = ceil((g.xmax + 4) / 10) * 10;
		if (xmax > 100)
			xmax = 100;
	}

	/* Texts. */
	if (number)
		buf_addf(&sub, "%s by %s and year, ", s->median ? "Median" :
		    "Mean", report_by_of(t));
	else
		buf_addf(&sub, "Share answering \xE2\x80\x9C%s\xE2\x80\x9D by "
		    "%s and year, ", t->level_labels != NULL &&
		    t->level_labels[cat] ? t->level_labels[cat] :
		    t->level_keys[cat], report_by_of(t));
	report_years(&sub, from, to);
	buf_addf(&sub, ", with %.0f%% intervals \xC2\xB7 total n = ",
	    100 * conf);
	report_count(&sub, report_total_n(t, from));
	buf_addf(&sub, " \xC2\xB7 suppression threshold k = %d", t->k);
	report_part_text(&sub, s);
	report_frame_texts(c, &f, report_title_of(t), sub.data);
	first_year_lbl = c->nlabels + 1;
	for (int y = from; y <= to; y++) {
		buf_reset(&sub);
		buf_addf(&sub, "%d", y);
		report_label_add(c, sub.data, 0);
	}
	buf_reset(&sub);
	buf_addf(&sub, "suppressed (fewer than %d responses)", t->k);
	supp1 = report_label_add(c, sub.data, 0);
	buf_reset(&sub);
	buf_addf(&sub, "suppressed (fewer than %d gave this answer)", t->k);
	supp_cell = report_label_add(c, sub.data, 0);
	supp2 = report_label_add(c, "suppressed (to protect a small group)",
	    0);
	empty = report_label_add(c, "no valid answers", 0);
	buf_reset(&sub);
	if (number)
		buf_addf(&sub, "Dots: the %s of the valid answers (n); lines: "
		    "its %.0f%% interval (%s).", s->median ? "median" : "mean",
		    100 * conf, s->median ? "distribution-free, from the "
		    "ranks; none under about 10 answers" : "Student's t");
	if (number && xmin > 0)
		buf_addf(&sub, "  The axis starts at %g, not 0.", xmin);
	if (!number)
		buf_addf(&sub, "Bars: percentage of valid answers (n); lines: "
		    "%.0f%% Wilson interval.", 100 * conf);
	report_frame_note(c, &f, sub.data);
	if (g.withheld) {
		buf_reset(&sub);
		buf_addf(&sub, "Grey bars: not shown because fewer than %d "
		    "people answered, or because showing them would reveal "
		    "such a group.", t->k);
		report_frame_note(c, &f, sub.data);
	}
	report_frame_changes(c, &f, t);
	f.key_rows = number ? 0 : report_key_rows(c, first_year_lbl,
	    (size_t)ny, 0);
	report_frame_measure(&f, 26);
	c->width = REPORT_WIDTH;
	c->height = (unsigned)(f.top + (0.6 - g.ymin) * UNIT + f.bottom +
	    0.5);
	h = c->height;

	/* Data: y, kind (1 shown, 2 few, 3 protect, 4 none), year, v, lo, hi. */
	buf_adds(b, "$D << EOD\n");
	for (size_t i = 0; i < g.n; i++) {
		const struct row *r = &g.v[i];
		int kind;

		if (r->row < 0)
			continue;
		kind = r->v.status == REPORT_SHOWN ||
		    r->v.status == REPORT_NO_CI ? 1 : r->v.status ==
		    REPORT_FEW ? 2 : r->v.status == REPORT_PROTECT ? 3 : 4;
		buf_addf(b, "%.3f\t%d\t%d\t%.4f\t%.4f\t%.4f\t%lu\n", r->y,
		    kind, t->rows[r->row].year - from + 1, r->v.v, r->v.lo,
		    r->v.hi, r->v.n);
	}
	buf_adds(b, "EOD\n");
	buf_addf(b, "NY = %d\nh = %.2f\n", ny, HALF_BAR);
	buf_addf(b, "array C[%d] = [", ny);
	for (int k = 0; k < ny; k++)
		buf_addf(b, "%s\"%s\"", k ? ", " : "", pal[k]);
	buf_adds(b, "]\nset style fill solid 1.0 border lc rgb \"white\"\n");
	buf_addf(b, "set xrange [%g:%g]\n", xmin, xmax);
	buf_addf(b, "set yrange [%.3f:0.6]\n", g.ymin);
	buf_addf(b, "set lmargin at screen %.5f\n",
	    (double)LEFT / REPORT_WIDTH);
	buf_addf(b, "set rmargin at screen %.5f\n",
	    1.0 - (double)RIGHT / REPORT_WIDTH);
	buf_addf(b, "set tmargin at screen %.5f\n",
	    report_from_top(f.top, h));
	buf_addf(b, "set bmargin at screen %.5f\n", f.bottom / h);
	buf_addf(b, "set xtics format \"%s\" nomirror out scale 0.5 "
	    "tc rgb \"#333333\" font \",9\"\n", number ? "%g" : "%g%%");
	buf_adds(b, "set ytics nomirror scale 0 tc rgb \"#333333\" "
	    "font \",9\" ()\nunset mxtics\nunset mytics\n"
	    "set grid xtics back lc rgb \"#e5e5e5\" lw 1 dt solid\n"
	    "set border 1 back lc rgb \"#888888\"\nunset title\n");
	report_frame_emit(c, &f);
	if (number)
		buf_adds(b, "unset key\n");
	else
		buf_addf(b, "set key at screen %.5f, screen %.5f left top "
		    "horizontal maxrows %u Left reverse samplen 1.5 width 1 "
		    "font \",9\" noenhanced\n", (double)REPORT_PAD /
		    REPORT_WIDTH, report_from_top(f.key_y, h), f.key_rows);
	for (size_t i = 0; i < g.n; i++) {
		const struct row *r = &g.v[i];

		if (r->row < 0) {
			size_t name = report_label_add(c,
			    report_row_label(&t->rows[g.v[i + 1].row]),
			    NAME_CHARS);

			buf_addf(b, "set label $LBL[%zu] at screen %.5f, first "
			    "%.3f left font BOLD.\",9\" tc rgb \"#111111\" "
			    "front noenhanced\n", name, (double)REPORT_PAD /
			    REPORT_WIDTH, r->y);
			continue;
		}
		buf_addf(b, "set ytics add (\"%d\" %.3f)\n",
		    t->rows[r->row].year, r->y);
		if (r->v.status != REPORT_SHOWN &&
		    r->v.status != REPORT_NO_CI) {
			buf_addf(b, "set label $LBL[%zu] at first %g, first "
			    "%.3f center tc rgb \"#555555\" font \",8\" front "
			    "noenhanced\n", r->v.status == REPORT_FEW ?
			    (r->v.n > 0 ? supp_cell : supp1) :
			    r->v.status == REPORT_PROTECT ? supp2 : empty,
			    (xmin + xmax) / 2, r->y);
			continue;
		}
		if (number)
			buf_addf(b, "set label \"%.1f\" at first %g, first %.3f "
			    "left offset character 0.4, 0 font \",8\" tc rgb "
			    "\"#222222\" front\n", r->v.v, r->v.hi, r->y);
		else
			buf_addf(b, "set label \"%.0f%%\" at first %g, first "
			    "%.3f left offset character 0.4, 0 font \",8\" "
			    "tc rgb \"#222222\" front\n", r->v.v, r->v.hi,
			    r->y);
		buf_adds(b, "set label \"n=");
		report_count(b, r->v.n);
		buf_addf(b, "\" at graph 1, first %.3f left offset character "
		    "0.6, 0 font \",8\" tc rgb \"#333333\" front\n", r->y);
	}
	if (g.has_sep)
		buf_addf(b, "set arrow from screen %.5f, first %.3f to graph "
		    "1, first %.3f nohead lc rgb \"#bbbbbb\" back\n",
		    (double)REPORT_PAD / REPORT_WIDTH, g.sep_y, g.sep_y);
	if (number)
		buf_adds(b, "plot $D using 4:($2 == 1 ? $1 : NaN):5:6 with "
		    "xerrorbars lc rgb \"#08519c\" lw 1.5 pt 7 ps 0.8 "
		    "notitle, \\\n");
	else
		buf_adds(b, "plot for [k=1:NY] $D using ($4 / 2):(($2 == 1 && "
		    "$3 == k) ? $1 : NaN):(0):4:($1 - h):($1 + h) with "
		    "boxxyerror lc rgb C[k] title $LBL[k + ");
	if (!number)
		buf_addf(b, "%zu], \\\n  $D using 4:($2 == 1 ? $1 : NaN):5:6 "
		    "with xerrorbars lc rgb \"#333333\" lw 1 pt -1 notitle, "
		    "\\\n", first_year_lbl - 1);
	buf_addf(b, "  $D using (%g):($2 >= 2 ? $1 : NaN):(%g):(%g):($1 - h)"
	    ":($1 + h) with boxxyerror fs solid 1.0 border lc rgb \"#bbbbbb\""
	    " fc rgb \"#f2f2f2\" notitle\n", (xmin + xmax) / 2, xmin, xmax);

	/* Words. */
	if (number)
		buf_addf(&j->alt, "Dot-and-interval chart of the %s answer",
		    m.data);
	else
		buf_addf(&j->alt, "Bar chart of the share answering "
		    "\xE2\x80\x9C%s\xE2\x80\x9D", t->level_labels != NULL &&
		    t->level_labels[cat] ? t->level_labels[cat] :
		    t->level_keys[cat]);
	buf_addf(&j->alt, " to \xE2\x80\x9C%s\xE2\x80\x9D: one row per %s "
	    "and year (", report_title_of(t), report_by_of(t));
	report_years(&j->alt, from, to);
	buf_addf(&j->alt, ") with %.0f%% intervals; %u rows withheld. ",
	    100 * conf, g.withheld);
	report_summary(&j->summary, t, cat, s->full, number, s->median);
	buf_add(&j->alt, j->summary.data, j->summary.len);
	buf_release(&sub);
	buf_release(&m);
	free(g.v);
	return 0;
}

int
report_do_number(struct report_job *j, struct diag *d)
{
	return report_do_grouped(j, d);
}
