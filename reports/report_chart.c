/* SPDX-License-Identifier: MIT */
/*
 * report_chart(): picks the chart kind, lets it lay out the chart and
 * its words, draws it in every format and writes the CSV of the plotted
 * numbers; and the words every kind shares: titles, totals and the
 * two-sentence summary made from the numbers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/xalloc.h"
#include "reports/report.h"
#include "scorer/score.h"

static int (*const kinds[])(struct report_job *, struct diag *) = {
	[REPORT_STACKED] = report_do_stacked,
	[REPORT_TREND] = report_do_trend,
	[REPORT_MULTIPLES] = report_do_trend,
	[REPORT_GROUPED] = report_do_grouped,
	[REPORT_NUMBER] = report_do_number,
};

void
report_words_release(struct report_words *w)
{
	if (w == NULL)
		return;
	free(w->title);
	free(w->subtitle);
	free(w->alt);
	free(w->summary);
	free(w->csv);
	memset(w, 0, sizeof(*w));
}

const char *
report_title_of(const struct score_table *t)
{
	if (t->item_text != NULL && t->item_text[0] != '\0')
		return t->item_text;
	return t->item != NULL ? t->item : "";
}

const char *
report_by_of(const struct score_table *t)
{
	if (t->by_label != NULL)
		return t->by_label;
	return t->by != NULL ? t->by : "Group";
}

const char *
report_row_label(const struct score_row *r)
{
	return r->label != NULL ? r->label : "";
}

unsigned long
report_total_n(const struct score_table *t, int from)
{
	unsigned long total = 0, all = 0;
	int have = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		const struct score_row *r = &t->rows[i];

		if (r->supp != SCORE_SHOWN || r->year < from)
			continue;
		if (r->total) {
			total += r->n;
			have = 1;
		} else {
			all += r->n;
		}
	}
	return have ? total : all;
}

/* The latest year with rows, and the all-groups row of a year. */
static int
latest_year(const struct score_table *t)
{
	int y = 0;

	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].year > y)
			y = t->rows[i].year;
	return y;
}

static long
total_row(const struct score_table *t, int year)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].total && t->rows[i].year == year)
			return (long)i;
	return -1;
}

static const struct score_test *
change_into(const struct score_table *t, size_t row, size_t cat)
{
	for (size_t x = 0; x < t->ntests; x++)
		if (t->tests[x].kind == SCORE_TEST_CHANGE &&
		    t->tests[x].row_to == row && t->tests[x].cat == cat)
			return &t->tests[x];
	return NULL;
}

static struct report_val
value_of(const struct score_table *t, size_t i, size_t cat,
    const struct score_table *full, int number, int median)
{
	return number ? report_number_value(t, i, median) :
	    report_share_value(t, i, cat, full);
}

/* "35%" or "17.7": how a value reads in a sentence. */
static void
say(struct buf *b, double v, int number)
{
	if (number)
		buf_addf(b, "%.1f", v);
	else
		buf_addf(b, "%.0f%%", v);
}

/* Can the value be written (with or without an interval)? */
static int
usable(const struct report_val *v)
{
	return v->status == REPORT_SHOWN || v->status == REPORT_NO_CI;
}

static void
say_range(struct buf *b, const struct report_val *v, int number,
    double conf)
{
	if (v->status == REPORT_NO_CI)
		return;
	buf_addf(b, ", %.0f%% interval ", 100 * conf);
	say(b, v->lo, number);
	buf_adds(b, " to ");
	say(b, v->hi, number);
}

void
report_summary(struct buf *out, const struct score_table *t, size_t cat,
    const struct score_table *full, int number, int median)
{
	int year = latest_year(t), prev = 0;
	long tr = total_row(t, year), tp = -1;
	const char *what, *by = report_by_of(t);
	struct report_val v, hi = { REPORT_NONE, 0, 0, 0, 0 }, lo = hi;
	const struct score_row *hir = NULL, *lor = NULL;
	size_t shown = 0, groups = 0, withheld = 0;
	const struct score_test *x;
	struct buf m = BUF_INIT;
	double conf = t->conf > 0 ? t->conf : 0.95;

	if (number)
		buf_addf(&m, "the %s answer", median ? "median" : "mean");
	else
		buf_addf(&m, "the share answering \xE2\x80\x9C%s\xE2\x80\x9D",
		    t->level_labels != NULL && t->level_labels[cat] != NULL ?
		    t->level_labels[cat] : t->level_keys[cat]);
	what = m.data;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct score_row *r = &t->rows[i];

		if (r->year != year || r->total)
			continue;
		groups++;
		v = value_of(t, i, cat, full, number, median);
		if (!usable(&v)) {
			withheld += v.status != REPORT_NONE;
			continue;
		}
		shown++;
		if (hir == NULL || v.v > hi.v) {
			hi = v;
			hir = r;
		}
		if (lor == NULL || v.v < lo.v) {
			lo = v;
			lor = r;
		}
	}
	/* Sentence 1: the level, and the extremes among the groups. */
	buf_addf(out, "In %d, ", year);
	if (tr >= 0 && (v = value_of(t, (size_t)tr, cat, full, number,
	    median), usable(&v))) {
		buf_addf(out, "%s was ", what);
		say(out, v.v, number);
		buf_addf(out, " overall (n = %lu", v.n);
		say_range(out, &v, number, conf);
		buf_adds(out, ")");
	} else {
		buf_addf(out, "%s overall is withheld", what);
	}
	if (shown >= 2) {
		buf_addf(out, "; by %s it was highest for %s (", by,
		    report_row_label(hir));
		say(out, hi.v, number);
		buf_addf(out, ", n = %lu) and lowest for %s (", hi.n,
		    report_row_label(lor));
		say(out, lo.v, number);
		buf_addf(out, ", n = %lu)", lo.n);
	}
	buf_adds(out, ". ");

	/* Sentence 2: the change since the year before, and withholding. */
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].total && t->rows[i].year < year &&
		    t->rows[i].year > prev)
			prev = t->rows[i].year;
	if (prev)
		tp = total_row(t, prev);
	if (tr >= 0 && tp >= 0 && !number &&
	    (x = change_into(t, (size_t)tr, cat)) != NULL &&
	    x->verdict != SCORE_NOT_TESTED) {
		buf_addf(out, "Compared with %d it changed by %+.1f points "
		    "(%.0f%% interval %+.1f to %+.1f), %s", prev, x->diff,
		    100 * conf, x->lo, x->hi,
		    x->verdict == SCORE_SIGNIFICANT ? "a significant change" :
		    "not a significant change");
	} else if (tr >= 0 && tp >= 0) {
		struct report_val a = value_of(t, (size_t)tp, cat, full,
		    number, median);
		struct report_val b = value_of(t, (size_t)tr, cat, full,
		    number, median);

		if (usable(&a) && usable(&b)) {
			buf_addf(out, "In %d it was ", prev);
			say(out, a.v, number);
			x = number ? NULL : change_into(t, (size_t)tr, cat);
			buf_addf(out, " (%s)", number ? "changes in means and "
			    "medians are not tested" : x != NULL &&
			    x->why_not != NULL ? x->why_not :
			    "the change was not tested");
		} else {
			buf_addf(out, "There is no comparison with %d (a "
			    "value is withheld)", prev);
		}
	} else {
		buf_adds(out, "There is no earlier year to compare with");
	}
	if (withheld == 0)
		buf_addf(out, "; no %s value is withheld in %d.", by, year);
	else
		buf_addf(out, "; %zu of %zu %s values in %d are withheld to "
		    "protect small groups.", withheld, groups, by, year);
	buf_release(&m);
}

/* The end of the run of rows of one group (or the totals) from row i. */
static size_t
run_end(const struct score_table *t, size_t i)
{
	const struct score_row *r = &t->rows[i];
	size_t j;

	for (j = i + 1; j < t->nrows && t->rows[j].total == r->total &&
	    (r->total || strcmp(report_row_label(&t->rows[j]),
	    report_row_label(r)) == 0); j++)
		;
	return j;
}

int
report_group_drawn(const struct report_spec *s, const struct score_table *t,
    size_t i, size_t j, int from, size_t *gi)
{
	size_t k;

	for (k = i; k < j && t->rows[k].year < from; k++)
		;
	if (k == j)
		return 1;	/* no rows in the years: the layout drops it */
	k = (*gi)++;
	return s->group_count == 0 || (k >= s->group_first &&
	    k < s->group_first + s->group_count);
}

void
report_part_text(struct buf *b, const struct report_spec *s)
{
	if (s->nparts > 1)
		buf_addf(b, " \xC2\xB7 part %d of %d", s->part, s->nparts);
}

/*
 * Room a chart needs besides its rows, in pixels: title and subtitle (two
 * lines each), a legend of up to three rows, the axis and four lines of
 * notes, with their padding.
 */
#define PAGE_FIXED	290

int
report_parts(const struct score_table *t, struct report_spec *s, int max)
{
	int from, to = 0, years, has_total = 0;
	size_t groups = 0, fit;
	double unit;

	s->group_first = s->group_count = 0;
	s->part = s->nparts = 1;
	if (s->kind != REPORT_STACKED && s->kind != REPORT_GROUPED &&
	    s->kind != REPORT_NUMBER)
		return 1;
	from = report_first_year(t, s->last_years);
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].year > to)
			to = t->rows[i].year;
	if (s->kind != REPORT_STACKED && to - from + 1 > REPORT_GROUPED_YEARS)
		from = to - REPORT_GROUPED_YEARS + 1;
	years = to - from + 1;
	for (size_t i = 0, j; i < t->nrows; i = j) {
		j = run_end(t, i);
		for (size_t k = i; k < j; k++)
			if (t->rows[k].year >= from) {
				has_total |= t->rows[i].total;
				groups += !t->rows[i].total;
				break;
			}
	}
	unit = s->kind == REPORT_STACKED ? REPORT_STACKED_UNIT :
	    REPORT_GROUPED_UNIT;
	fit = (size_t)((REPORT_PAGE_HEIGHT - PAGE_FIXED) /
	    ((years + 1.5) * unit));
	if (has_total && fit > 1)
		fit--;
	if (fit < 1)
		fit = 1;
	if (groups <= fit)
		return 1;
	if (max > 0 && (groups + fit - 1) / fit > (size_t)max)
		fit = (groups + (size_t)max - 1) / (size_t)max;
	s->nparts = (int)((groups + fit - 1) / fit);
	s->group_count = (groups + (size_t)s->nparts - 1) / (size_t)s->nparts;
	s->nparts = (int)((groups + s->group_count - 1) / s->group_count);
	return s->nparts;
}

/* Writes DIR/BASE.csv. */
static int
write_csv(const char *dir, const char *base, const struct buf *csv,
    struct diag *d)
{
	char *path;
	int rc;

	path = xasprintf("%s/%s.csv", dir != NULL && dir[0] != '\0' ? dir :
	    ".", base);
	rc = fs_write_atomic(path, csv->data, csv->len, d);
	free(path);
	return rc;
}

int
report_chart(struct report_gp *gp, const struct score_table *t,
    const struct report_spec *s, const char *dir, const char *base,
    struct report_words *w, struct diag *d)
{
	struct report_words scratch;
	struct report_job j;
	int rc = -1;

	if ((size_t)s->kind >= sizeof(kinds) / sizeof(kinds[0]))
		return diag_err(d, "unknown chart kind %d", (int)s->kind);
	if (t->nrows == 0)
		return diag_err(d, "cannot chart item '%s': no rows",
		    t->item != NULL ? t->item : "");
	memset(&scratch, 0, sizeof(scratch));
	memset(&j, 0, sizeof(j));
	j.t = t;
	j.s = s;
	j.w = w != NULL ? w : &scratch;
	report_words_release(j.w);
	report_chart_init(&j.c);
	report_csv_header(&j.csv);
	if (kinds[s->kind](&j, d) < 0)
		goto out;
	if (s->nparts > 1) {
		struct buf a = BUF_INIT;

		buf_addf(&a, "Part %d of %d. ", s->part, s->nparts);
		buf_add(&a, j.alt.data, j.alt.len);
		buf_release(&j.alt);
		j.alt = a;
	}
	j.w->alt = buf_detach(&j.alt, NULL);
	j.w->summary = buf_detach(&j.summary, NULL);
	j.w->csv = xasprintf("%s.csv", base);
	j.w->width_px = j.c.width;
	j.w->height_px = j.c.height;
	if (write_csv(dir, base, &j.csv, d) < 0 ||
	    report_gp_render(gp, &j.c, dir, base, d) < 0)
		goto out;
	rc = 0;
out:
	report_chart_release(&j.c);
	buf_release(&j.csv);
	buf_release(&j.alt);
	buf_release(&j.summary);
	report_words_release(&scratch);
	return rc;
}

int
report_stacked(struct report_gp *gp, const struct score_table *t,
    const char *dir, const char *base, struct diag *d)
{
	struct report_spec s;

	memset(&s, 0, sizeof(s));
	s.kind = REPORT_STACKED;
	return report_chart(gp, t, &s, dir, base, NULL, d);
}
