/* SPDX-License-Identifier: MIT */
/*
 * Trend charts of one level's share over the years (see report.h):
 * REPORT_TREND draws the all-groups line with its interval band, plus a
 * line with interval bars per group when there are few groups;
 * REPORT_MULTIPLES draws one small panel per group (its line and band,
 * the all-groups line dashed for reference), all on the same scale.  A
 * withheld or missing year is a gap in the line with a "c" under it,
 * never a zero.  Okabe-Ito colours and distinct point shapes, so the
 * lines read in grey too.
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

#define LEFT		52
#define RIGHT		16
#define PLOT_H		250	/* the single chart's plot area */
#define COLS		3	/* multiples: panels per row, */
#define COLS_MANY	4	/* or with more than 12 panels (A4 page) */
#define PANEL_H		128
#define PANEL_GAP_X	14
#define PANEL_GAP_Y	40	/* room for the panel's title and axis */
#define NAME_CHARS	28	/* multiples: panel titles, */
#define NAME_CHARS_MANY	19	/* or with COLS_MANY */
#define KEY_CHARS	40

/* The all-groups line, then Okabe-Ito for the groups. */
static const char *const colour[] = { "#000000", "#E69F00", "#0072B2",
	"#009E73", "#D55E00", "#CC79A7", "#56B4E9" };
static const int point[] = { 7, 5, 9, 11, 13, 15, 4 };

/* One line: a group (or the totals) and its row of each year. */
struct series {
	const char	*name;
	long		*row;		/* by year - from; -1: no row */
	int		 total;
	size_t		 label;		/* its name in $LBL */
	int		 any_gap;
	int		 any_withheld;
};

struct trend {
	const struct score_table *t;
	const struct report_spec *s;
	size_t		 cat;
	int		 from, to, nyears;
	struct series	*v;		/* totals first, if any */
	size_t		 n;
	int		 has_total;
	double		 ymax;
	unsigned	 withheld;	/* values, all series */
};

static void
add_series(struct trend *tr, const struct score_row *r, int total)
{
	struct series *s;

	tr->v = xreallocarray(tr->v, tr->n + 1, sizeof(*tr->v));
	s = &tr->v[tr->n++];
	memset(s, 0, sizeof(*s));
	s->name = report_row_label(r);
	s->total = total;
	s->row = xcalloc((size_t)tr->nyears, sizeof(long));
	for (int y = 0; y < tr->nyears; y++)
		s->row[y] = -1;
}

/* Groups in table order (consecutive rows of one label), totals first. */
static void
collect(struct trend *tr)
{
	const struct score_table *t = tr->t;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < t->nrows; i++) {
			const struct score_row *r = &t->rows[i];
			struct series *s;

			if ((pass == 0) != (r->total != 0))
				continue;
			s = tr->n > 0 ? &tr->v[tr->n - 1] : NULL;
			if (s == NULL || s->total != r->total ||
			    (!r->total && strcmp(s->name,
			    report_row_label(r)) != 0))
				add_series(tr, r, r->total != 0);
			s = &tr->v[tr->n - 1];
			if (r->year >= tr->from && r->year <= tr->to)
				s->row[r->year - tr->from] = (long)i;
		}
	tr->has_total = tr->n > 0 && tr->v[0].total;
}

static struct report_val
val(const struct trend *tr, const struct series *s, int y)
{
	struct report_val v = { REPORT_NONE, 0, 0, 0, 0 };

	if (s->row[y] < 0)
		return v;
	return report_share_value(tr->t, (size_t)s->row[y], tr->cat,
	    tr->s->full);
}

/*
 * The data: one block per series (index i - 1), a line per year: year,
 * value, low, high (NaN when withheld), 1 when withheld.
 */
static void
add_data(struct buf *b, struct trend *tr)
{
	buf_adds(b, "$S << EOD\n");
	for (size_t i = 0; i < tr->n; i++) {
		struct series *s = &tr->v[i];

		if (i > 0)
			buf_adds(b, "\n\n");
		for (int y = 0; y < tr->nyears; y++) {
			struct report_val v = val(tr, s, y);

			if (v.status == REPORT_SHOWN) {
				buf_addf(b, "%d\t%.3f\t%.3f\t%.3f\t0\n",
				    tr->from + y, v.v, v.lo, v.hi);
				if (v.hi > tr->ymax)
					tr->ymax = v.hi;
			} else {
				buf_addf(b, "%d\tNaN\tNaN\tNaN\t%d\n",
				    tr->from + y, v.status == REPORT_FEW ||
				    v.status == REPORT_PROTECT);
				s->any_gap = 1;
				s->any_withheld |= v.status == REPORT_FEW ||
				    v.status == REPORT_PROTECT;
				tr->withheld += v.status == REPORT_FEW ||
				    v.status == REPORT_PROTECT;
			}
		}
	}
	buf_adds(b, "EOD\n");
}

static void
add_csv(struct report_job *j, const struct trend *tr, const char *measure)
{
	for (size_t i = 0; i < tr->n; i++)
		for (int y = 0; y < tr->nyears; y++) {
			const struct series *s = &tr->v[i];
			struct report_val v = val(tr, s, y);

			report_csv_row(&j->csv, s->name, tr->from + y, measure,
			    v.status == REPORT_SHOWN, v.v, v.lo, v.hi, v.n,
			    s->row[y] < 0 ? "not asked or no answers" :
			    report_status_text(v.status));
		}
}

/* A y range in steps of 10 points that holds every interval. */
static double
y_top(double ymax)
{
	double top = ceil((ymax + 2) / 10) * 10;

	return top < 20 ? 20 : top > 100 ? 100 : top;
}

/* The x axis: a tic per year, with the all-groups n under it. */
static void
add_xtics(struct buf *b, const struct trend *tr, int with_n)
{
	buf_addf(b, "set xrange [%.2f:%.2f]\n", tr->from - 0.5,
	    tr->to + 0.5);
	buf_adds(b, "set xtics nomirror out scale 0.5 tc rgb \"#333333\" "
	    "font \",8\" ()\n");
	for (int y = 0; y < tr->nyears; y++) {
		struct report_val v = { REPORT_NONE, 0, 0, 0, 0 };

		if (with_n && tr->has_total)
			v = val(tr, &tr->v[0], y);
		if (v.n > 0)
			buf_addf(b, "set xtics add (\"%d\\nn=%lu\" %d)\n",
			    tr->from + y, v.n, tr->from + y);
		else
			buf_addf(b, "set xtics add (\"%d\" %d)\n",
			    tr->from + y, tr->from + y);
	}
}

static const char *
share_label(const struct trend *tr)
{
	const struct score_table *t = tr->t;

	return t->level_labels != NULL && t->level_labels[tr->cat] != NULL ?
	    t->level_labels[tr->cat] : t->level_keys[tr->cat];
}

static void
subtitle(struct buf *s, const struct trend *tr, const char *what)
{
	const struct score_table *t = tr->t;

	buf_addf(s, "%s answering \xE2\x80\x9C%s\xE2\x80\x9D, ", what,
	    share_label(tr));
	report_years(s, tr->from, tr->to);
	buf_addf(s, ", with %.0f%% Wilson intervals \xC2\xB7 total n = ",
	    100 * (t->conf > 0 ? t->conf : 0.95));
	report_count(s, report_total_n(t, tr->from));
	buf_addf(s, " \xC2\xB7 suppression threshold k = %d", t->k);
}

static void
common_style(struct buf *b, double top)
{
	buf_addf(b, "set yrange [0:%.0f]\n", top);
	buf_addf(b, "set ytics 0,%d,%.0f format \"%%g%%%%\" nomirror out "
	    "scale 0.5 tc rgb \"#333333\" font \",8\"\n", top > 50 ? 20 : 10,
	    top);
	buf_adds(b, "unset mxtics\nunset mytics\n"
	    "set grid ytics back lc rgb \"#e5e5e5\" lw 1 dt solid\n"
	    "set border 3 back lc rgb \"#888888\"\n"
	    "set style fill transparent solid 0.18 noborder\n"
	    "unset title\n");
}

/* Values withheld in the first n series (those drawn). */
static unsigned
withheld_in(const struct trend *tr, size_t n)
{
	unsigned w = 0;

	for (size_t i = 0; i < n && i < tr->n; i++)
		for (int y = 0; y < tr->nyears; y++) {
			struct report_val v = val(tr, &tr->v[i], y);

			w += v.status == REPORT_FEW ||
			    v.status == REPORT_PROTECT;
		}
	return w;
}

/* The single chart: the totals with a band, groups with bars. */
static void
draw_single(struct report_job *j, struct trend *tr, size_t ndraw)
{
	struct report_chart *c = &j->c;
	struct buf *b = &c->body, s = BUF_INIT;
	struct report_frame f;
	double h, top, off;

	subtitle(&s, tr, "Share");
	report_frame_texts(c, &f, report_title_of(tr->t), s.data);
	for (size_t i = 0; i < ndraw; i++) {
		buf_reset(&s);
		if (tr->v[i].total && ndraw == 1)
			buf_addf(&s, "%s (with %.0f%% interval band)",
			    tr->v[i].name[0] ? tr->v[i].name : "All",
			    100 * (tr->t->conf > 0 ? tr->t->conf : 0.95));
		else
			buf_adds(&s, tr->v[i].total && !tr->v[i].name[0] ?
			    "All" : tr->v[i].name);
		tr->v[i].label = report_label_add(c, s.data, KEY_CHARS);
	}
	report_frame_note(c, &f, ndraw > 1 ? "Lines join the years; bars "
	    "show each value's interval.  n under each year is for all "
	    "groups." : "The band shows the interval.  n under each year is "
	    "the number of valid answers.");
	if (withheld_in(tr, ndraw)) {
		buf_reset(&s);
		buf_addf(&s, "c: withheld (fewer than %d answered, or to protect "
		    "a small group); the line has a gap there.", tr->t->k);
		report_frame_note(c, &f, s.data);
	}
	report_frame_changes(c, &f, tr->t);
	f.key_rows = report_key_rows(c, tr->v[0].label, ndraw, 0);
	report_frame_measure(&f, 40);
	c->width = REPORT_WIDTH;
	c->height = (unsigned)(f.top + PLOT_H + f.bottom + 0.5);
	h = c->height;
	top = y_top(tr->ymax);

	buf_addf(b, "set lmargin at screen %.5f\n",
	    (double)LEFT / REPORT_WIDTH);
	buf_addf(b, "set rmargin at screen %.5f\n",
	    1 - (double)RIGHT / REPORT_WIDTH);
	buf_addf(b, "set tmargin at screen %.5f\n",
	    report_from_top(f.top, h));
	buf_addf(b, "set bmargin at screen %.5f\n", f.bottom / h);
	common_style(b, top);
	add_xtics(b, tr, 1);
	report_frame_emit(c, &f);
	buf_addf(b, "set key at screen %.5f, screen %.5f left top "
	    "horizontal maxrows %u Left reverse samplen 2 width 1 "
	    "spacing 1.1 font \",9\" noenhanced\n",
	    (double)REPORT_PAD / REPORT_WIDTH, report_from_top(f.key_y, h),
	    f.key_rows);
	buf_adds(b, "plot ");
	if (tr->has_total)
		buf_addf(b, "$S index 0 using 1:3:4 with filledcurves "
		    "lc rgb \"#444444\" notitle, \\\n  ");
	for (size_t i = 0; i < ndraw; i++) {
		const struct series *sr = &tr->v[i];

		off = ndraw > 1 ? ((double)i - (ndraw - 1) / 2.0) * 0.07 : 0;
		if (sr->total && ndraw == 1)
			buf_addf(b, "$S index %zu using 1:2 with linespoints "
			    "lc rgb \"%s\" lw 2 pt %d ps 0.9 title $LBL[%zu], "
			    "\\\n  ", i, colour[0], point[0], sr->label);
		else
			buf_addf(b, "$S index %zu using ($1 + %.3f):2:3:4 with "
			    "yerrorlines lc rgb \"%s\" lw %d pt %d ps 0.9 "
			    "title $LBL[%zu], \\\n  ", i, off,
			    colour[i % 7], sr->total ? 2 : 1, point[i % 7],
			    sr->label);
		/*
		 * gnuplot 5.4.4 can crash plotting labels of a block whose
		 * points are all invalid: only series with a gap get them.
		 */
		if (sr->any_withheld)
			buf_addf(b, "$S index %zu using ($1 + %.3f):($5 > 0 ? "
			    "%.2f : NaN):(\"c\") with labels tc rgb \"%s\" "
			    "font \",8\" notitle, \\\n  ", i, off,
			    top * (0.03 + 0.045 * (double)i), colour[i % 7]);
	}
	buf_truncate(b, b->len - strlen(", \\\n  "));
	buf_addc(b, '\n');
	buf_release(&s);
}

/* One panel per group, the all-groups line dashed in each. */
static void
draw_multiples(struct report_job *j, struct trend *tr)
{
	struct report_chart *c = &j->c;
	struct buf *b = &c->body, s = BUF_INIT;
	struct report_frame f;
	size_t first = tr->has_total ? 1 : 0, np = tr->n - first, rows;
	size_t total_lbl = 0, group_lbl;
	size_t cols = np > 4 * COLS ? COLS_MANY : COLS;
	double h, top, pw, x0, y0;

	subtitle(&s, tr, "Share");
	buf_addf(&s, " \xC2\xB7 one panel per %s", report_by_of(tr->t));
	report_frame_texts(c, &f, report_title_of(tr->t), s.data);
	group_lbl = report_label_add(c, "This group, with interval band",
	    0);
	if (tr->has_total)
		total_lbl = report_label_add(c, "All (for comparison)", 0);
	for (size_t i = first; i < tr->n; i++) {
		struct report_val v = { REPORT_NONE, 0, 0, 0, 0 };
		struct buf name = BUF_INIT;

		int y;

		for (y = tr->nyears - 1; y >= 0 && v.n == 0; y--)
			v = val(tr, &tr->v[i], y);
		buf_adds(&name, tr->v[i].name);
		tr->v[i].label = report_label_add(c, name.data,
		    cols == COLS ? NAME_CHARS : NAME_CHARS_MANY);
		buf_reset(&name);
		/* y is one before the year found. */
		if (v.n > 0 && y + 2 == tr->nyears)
			buf_addf(&name, "n=%lu", v.n);
		else if (v.n > 0)
			buf_addf(&name, "n=%lu in %d", v.n, tr->from + y + 1);
		report_label_add(c, name.data, 0);	/* label + 1 */
		buf_release(&name);
	}
	report_frame_note(c, &f, "Every panel has the same scale.  n is the "
	    "number of valid answers in the latest year (or the year "
	    "named).");
	if (tr->withheld) {
		buf_reset(&s);
		buf_addf(&s, "c: withheld (fewer than %d answered, or to protect "
		    "a small group); the line has a gap there.", tr->t->k);
		report_frame_note(c, &f, s.data);
	}
	report_frame_changes(c, &f, tr->t);
	f.key_rows = 1;
	report_frame_measure(&f, 0);
	rows = (np + cols - 1) / cols;
	c->width = REPORT_WIDTH;
	c->height = (unsigned)(f.top + rows * (PANEL_H + PANEL_GAP_Y) +
	    f.bottom + 0.5);
	h = c->height;
	top = y_top(tr->ymax);
	pw = (REPORT_WIDTH - LEFT + 10 - (double)(cols - 1) * PANEL_GAP_X -
	    RIGHT) / (double)cols;

	common_style(b, top);
	add_xtics(b, tr, 0);
	buf_adds(b, "set xtics font \",7\"\nset ytics font \",7\"\n");
	if (tr->nyears > 6)
		buf_addf(b, "set xtics (\"%d\" %d, \"%d\" %d)\n", tr->from,
		    tr->from, tr->to, tr->to);
	report_frame_emit(c, &f);
	buf_addf(b, "set key at screen %.5f, screen %.5f left top "
	    "horizontal Left reverse samplen 2 width 2 font \",9\" "
	    "noenhanced\n", (double)REPORT_PAD / REPORT_WIDTH,
	    report_from_top(f.key_y, h));
	buf_adds(b, "set multiplot\n");
	for (size_t p = 0; p < np; p++) {
		size_t i = first + p;
		const struct series *sr = &tr->v[i];

		x0 = LEFT - 10 + (double)(p % cols) * (pw + PANEL_GAP_X);
		y0 = f.top + (double)(p / cols) * (PANEL_H + PANEL_GAP_Y) +
		    PANEL_GAP_Y - 8;
		buf_addf(b, "set lmargin at screen %.5f\n"
		    "set rmargin at screen %.5f\n"
		    "set tmargin at screen %.5f\n"
		    "set bmargin at screen %.5f\n",
		    x0 / REPORT_WIDTH, (x0 + pw) / REPORT_WIDTH,
		    report_from_top(y0, h),
		    report_from_top(y0 + PANEL_H - 18, h));
		if (p % cols != 0)
			buf_adds(b, "set format y \"\"\n");
		else
			buf_adds(b, "set format y \"%g%%\"\n");
		buf_addf(b, "set label 1001 $LBL[%zu] at screen %.5f, screen "
		    "%.5f left font BOLD.\",8\" tc rgb \"#111111\" front "
		    "noenhanced\n", sr->label, x0 / REPORT_WIDTH,
		    report_from_top(y0 - 14, h));
		buf_addf(b, "set label 1002 $LBL[%zu] at screen %.5f, screen "
		    "%.5f right font \",7\" tc rgb \"#555555\" front "
		    "noenhanced\n", sr->label + 1, (x0 + pw) / REPORT_WIDTH,
		    report_from_top(y0 - 3, h));
		buf_adds(b, "plot ");
		buf_addf(b, "$S index %zu using 1:3:4 with filledcurves "
		    "lc rgb \"%s\" notitle, \\\n  ", i, colour[2]);
		if (tr->has_total && p == 0)
			buf_addf(b, "$S index 0 using 1:2 with lines lc rgb "
			    "\"#777777\" lw 1 dt 2 title $LBL[%zu], \\\n  ",
			    total_lbl);
		else if (tr->has_total)
			buf_adds(b, "$S index 0 using 1:2 with lines lc rgb "
			    "\"#777777\" lw 1 dt 2 notitle, \\\n  ");
		buf_addf(b, "$S index %zu using 1:2 with linespoints lc rgb "
		    "\"%s\" lw 2 pt 7 ps 0.6 ", i, colour[2]);
		if (p == 0)
			buf_addf(b, "title $LBL[%zu]", group_lbl);
		else
			buf_adds(b, "notitle");
		if (sr->any_withheld)
			buf_addf(b, ", \\\n  $S index %zu using 1:($5 > 0 ? "
			    "%.2f : NaN):(\"c\") with labels tc rgb "
			    "\"#555555\" font \",8\" notitle", i, top * 0.06);
		buf_adds(b, "\n");
		if (p == 0) {
			buf_adds(b, "unset key\n");
			/* The frame's labels are drawn once. */
			buf_adds(b, "unset label\n");
		}
	}
	buf_adds(b, "unset multiplot\n");
	buf_release(&s);
}

int
report_do_trend(struct report_job *j, struct diag *d)
{
	const struct score_table *t = j->t;
	struct trend tr;
	size_t ngroups, ndraw;
	int multiples = j->s->kind == REPORT_MULTIPLES;
	struct buf m = BUF_INIT;

	memset(&tr, 0, sizeof(tr));
	tr.t = t;
	tr.s = j->s;
	if (report_share_find(t, j->s->share, &tr.cat, d) < 0)
		return -1;
	tr.from = report_first_year(t, j->s->last_years);
	tr.to = t->year_to;
	for (size_t i = 0; i < t->nrows; i++) {
		if (t->rows[i].year > tr.to)
			tr.to = t->rows[i].year;
		if (j->s->last_years <= 0 && t->rows[i].year < tr.from)
			tr.from = t->rows[i].year;
	}
	tr.nyears = tr.to - tr.from + 1;
	if (tr.nyears < 1 || tr.nyears > 100)
		return diag_err(d, "cannot chart item '%s' over the years "
		    "%d-%d", t->item, tr.from, tr.to);
	collect(&tr);
	ngroups = tr.n - (tr.has_total ? 1 : 0);
	if (multiples && ngroups == 0) {
		diag_err(d, "cannot draw a panel per group of item '%s': the "
		    "table has no groups", t->item);
		goto fail;
	}
	buf_addf(&m, "%% answering %s", share_label(&tr));
	add_data(&j->c.body, &tr);
	add_csv(j, &tr, m.data);
	if (multiples) {
		draw_multiples(j, &tr);
		ndraw = ngroups;
	} else {
		ndraw = tr.has_total ? 1 : 0;
		if (ngroups <= REPORT_TREND_MAX || !tr.has_total)
			ndraw = tr.n < 7 ? tr.n : 7;
		draw_single(j, &tr, ndraw);
	}
	buf_addf(&j->alt, "%s chart of the share answering \xE2\x80\x9C%s"
	    "\xE2\x80\x9D to \xE2\x80\x9C%s\xE2\x80\x9D, ", multiples ?
	    "Small-multiple line" : "Line", share_label(&tr),
	    report_title_of(t));
	report_years(&j->alt, tr.from, tr.to);
	if (multiples)
		buf_addf(&j->alt, ", one panel for each of %zu %s values, "
		    "each with its interval band and the overall line for "
		    "comparison", ngroups, report_by_of(t));
	else if (ndraw > 1)
		buf_addf(&j->alt, ", one line per %s with interval bars",
		    report_by_of(t));
	else
		buf_adds(&j->alt, ", overall, with its interval band");
	buf_addf(&j->alt, "; %u values withheld. ", multiples ?
	    tr.withheld : withheld_in(&tr, ndraw));
	report_summary(&j->summary, t, tr.cat, j->s->full, 0, 0);
	buf_add(&j->alt, j->summary.data, j->summary.len);
	buf_release(&m);
	for (size_t i = 0; i < tr.n; i++)
		free(tr.v[i].row);
	free(tr.v);
	return 0;
fail:
	for (size_t i = 0; i < tr.n; i++)
		free(tr.v[i].row);
	free(tr.v);
	buf_release(&m);
	return -1;
}
