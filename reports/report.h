/* SPDX-License-Identifier: MIT */
/*
 * reports/report.h: committee charts drawn by gnuplot, the words that go
 * with them, and the committee pack.  Included by cli/ (the first part)
 * and by the reports/report_*.c files (all of it).
 *
 * A struct report_gp is one long-lived gnuplot process, started without
 * a shell, with -d (no start-up files) and a minimal environment
 * (PATH=/usr/bin:/bin, LANG=C.UTF-8, nothing else).  Each chart is one
 * exchange with it: `reset session`, the script, and a trailer that
 * prints a per-session marker with GPVAL_ERRNO on stderr.  A chart that
 * fails reports gnuplot's own message and the session carries on; a
 * chart that does not finish in time has its gnuplot killed, and a new
 * one is started for the next chart.
 *
 * Every chart is drawn from a struct score_table (the scorer's result,
 * suppression already applied), never from responses.  Text from the
 * survey (question wording, answer labels, team names) never enters
 * gnuplot's command language: it goes into a datablock, one label per
 * line, and is read back with $LBL[i].  Each label is cleaned with
 * text_squash() (valid UTF-8, control characters and runs of white space
 * become one space, trimmed), cut to a length that fits the layout with
 * "…" at the end, and for SVG output has U+2060 WORD JOINER inserted
 * after every '&' followed by '#' and between "]]" and '>', so that the
 * SVG stays well-formed XML.
 *
 * Sizes: every chart is laid out for a page 16 cm wide (605 px at 96
 * px/inch), text in true points (DejaVu Sans, 9 to 12 pt).  The formats:
 * BASE.png (96 px/inch, for screens), BASE-300dpi.png (the same picture
 * at 300 px/inch, for print), BASE.svg (605 px = 16 cm wide) and BASE.pdf
 * (16 cm wide, fonts embedded).  Both PNGs carry their resolution (a
 * pHYs chunk), so a word processor places them at 16 cm.
 *
 * Output files are written under a temporary name in the target directory
 * and renamed only when gnuplot reported no error and the file is not
 * empty.  SVG output is byte-for-byte reproducible; PNG output is on the
 * same machine (it depends on the cairo, pango and font versions); PDF
 * carries gnuplot's creation date.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>

#include "common/buf.h"

struct diag;
struct score_row;
struct score_table;

struct report_opts {
	const char	*gnuplot;	/* program (path, or name looked up in
					   PATH); NULL or "" = "gnuplot".  The
					   CLI passes $WHC_GNUPLOT here. */
	unsigned	 timeout_ms;	/* per chart; 0 = 30000 */
	int		 png;		/* write BASE.png (96 px/inch) */
	int		 svg;		/* write BASE.svg */
					/* none of the four set: png + svg */
	int		 png_print;	/* write BASE-300dpi.png */
	int		 pdf;		/* write BASE.pdf */
	const char	*trace;		/* if set, every script sent to gnuplot
					   is appended to this file, as one
					   script gnuplot can run by itself
					   (make bench compares with it) */
	int		 background;	/* report_chart() returns once gnuplot
					   has the chart; report_gp_wait()
					   gives its result (see there) */
};

struct report_gp;			/* opaque: the gnuplot session */

/*
 * Starts gnuplot and checks that it answers.  Returns a new session
 * (free with report_gp_close), or NULL with the reason recorded in d as
 * an environment failure (diag_env: program not found, not runnable,
 * exited or silent at start-up).  o is copied.
 */
struct report_gp *report_gp_open(const struct report_opts *o,
    struct diag *d);
/* Ends gnuplot (EOF, then SIGKILL after 5 s) and frees gp.  NULL is ok. */
void report_gp_close(struct report_gp *gp);
/*
 * Waits for the chart in flight, if any (with report_opts.background,
 * report_chart() sends a chart and returns at once, so that whc can work
 * out the next one while gnuplot draws), and renames its files into place.
 * At most one chart is in flight: sending the next one waits for it first
 * (recording its failure, if any, in that call's diag).  Returns 0, or -1
 * with gnuplot's message in d and none of the chart's files written.
 * report_gp_close() waits too, silently.
 */
int report_gp_wait(struct report_gp *gp, struct diag *d);
/* The file name endings gp writes (".png", "-300dpi.png", ".svg", ".pdf"). */
size_t report_gp_formats(const struct report_gp *gp, const char **ext,
    size_t max);

/* The kinds of chart. */
enum report_kind {
	REPORT_STACKED,		/* 100% stacked bars: a bar per group and
				   year, levels in scale order */
	REPORT_TREND,		/* the share of a level over the years: the
				   all-groups line with its interval band,
				   and a line per group when there are at
				   most REPORT_TREND_MAX groups */
	REPORT_MULTIPLES,	/* the same trend, one panel per group */
	REPORT_GROUPED,		/* the share, a bar per year within each
				   group, with interval bars */
	REPORT_NUMBER,		/* number items: the mean or median per
				   group and year with its interval */
};

#define REPORT_TREND_MAX	6

/* What to draw of a table. */
struct report_spec {
	enum report_kind kind;
	/*
	 * TREND, MULTIPLES, GROUPED: the level whose share is drawn, by
	 * key (e.g. "often", or "occasionally+often" for a grouped one);
	 * NULL = the last level.
	 */
	const char	*share;
	/*
	 * When the share is a grouped level (t came from a query with
	 * --group), the table of the same query without grouping.  A
	 * grouped share is then drawn only where it can be worked out from
	 * what full shows (all its parts shown, or all the other levels),
	 * so that the two tables together give nothing away that full
	 * alone does not.  NULL: no such check (t is not grouped).
	 */
	const struct score_table *full;
	/*
	 * STACKED: the table of the same query with the share grouped (its
	 * full is the stacked table), whose share the words tell; NULL: the
	 * share is a level of t (NULL share: the last).
	 */
	const struct score_table *words;
	int		 last_years;	/* STACKED, GROUPED, NUMBER: only the
					   last N years of the table; 0 = all */
	int		 median;	/* NUMBER: median instead of mean */
	/*
	 * STACKED, GROUPED, NUMBER: draw only the groups group_first ..
	 * group_first + group_count - 1 (in table order, counting those
	 * with rows in the years drawn); the all-groups rows are on every
	 * part.  group_count 0: all.  part and nparts (from 1) go into the
	 * subtitle.  report_parts() works them out for a page.
	 */
	size_t		 group_first, group_count;
	int		 part, nparts;
	int		 favourable_last; /* STACKED: the last level is the
					   favourable end of the scale (drawn
					   blue), as "agree" is for "my
					   workload is manageable"; default:
					   the first, as "never" for stress */
};

/*
 * The words that go with a chart, all plain text (UTF-8, no markup),
 * owned by the struct: release with report_words_release().
 */
struct report_words {
	char		*title;		/* the chart's title (the question) */
	char		*subtitle;	/* years, n, k */
	char		*alt;		/* alt text: what the chart shows */
	char		*summary;	/* two sentences from the numbers */
	char		*csv;		/* file name of the plotted numbers */
	unsigned	 width_px, height_px;	/* at 96 px/inch */
};

void report_words_release(struct report_words *w);

/*
 * Draws chart s of table t into DIR/BASE.* (every format gp writes) and
 * writes DIR/BASE.csv, the numbers plotted (one line per group, year
 * and measure, with interval, n and why a value is withheld; text cells
 * that a spreadsheet would run as a formula start with an apostrophe).
 * Fills w (which may be NULL) with the chart's words.
 *
 * Every chart: the title is the question (item_text), a subtitle with
 * the dimension, years, total n and k; n= beside every bar or point
 * row; a withheld value is drawn as withheld (grey box, "c" mark or a
 * gap, with a note), never as zero; legends in scale or year order;
 * colour-blind-safe palettes (ColorBrewer RdYlBu for scales, blue at the
 * favourable end, Blues for
 * years, Okabe-Ito for lines).
 *
 * dir NULL or "" means the current directory; base must be a plain file
 * name.  Returns 0, or -1 with the reason in d: diag_err for a table
 * that cannot be drawn that way (no rows, wrong kind of item, unknown
 * share level), diag_env/diag_errno for gnuplot failures (with
 * gnuplot's own message) and file errors.
 */
int report_chart(struct report_gp *gp, const struct score_table *t,
    const struct report_spec *s, const char *dir, const char *base,
    struct report_words *w, struct diag *d);

/*
 * How many parts chart s of t needs so that each fits an A4 page with its
 * caption (REPORT_PAGE_HEIGHT), but at most max (the parts then grow
 * taller); sets s->group_count (the groups of a part, 0 when one part
 * will do) and s->nparts, and returns nparts.  Trend charts are one part.
 */
int report_parts(const struct score_table *t, struct report_spec *s,
    int max);

/* report_chart() with a REPORT_STACKED spec of all years (no words). */
int report_stacked(struct report_gp *gp, const struct score_table *t,
    const char *dir, const char *base, struct diag *d);

/*
 * The committee pack's page.  A section per item; each holds its charts
 * (with their words and file links) and the item's table as the scorer
 * writes it in HTML (escaped there).
 */
struct report_pack_chart {
	const char	*base;		/* DIR/BASE.png is shown */
	const struct report_words *w;
	const char	*error;		/* set when the chart failed: shown
					   instead of the picture */
};

struct report_pack_item {
	const char	*key;
	const char	*title;
	const struct report_pack_chart *charts;
	size_t		 ncharts;
	const char	*table_html;	/* a fragment, or NULL */
	unsigned long	 responses, blank, unrecognised; /* all years */
};

struct report_pack {
	const char	*title;		/* e.g. "Workforce Health Check" */
	int		 year_from, year_to;
	int		 k;
	double		 conf;		/* e.g. 0.95 */
	const char	*adjust;	/* "Holm" or "Benjamini-Hochberg" */
	size_t		 family;	/* tests in the largest family */
	unsigned long	 responses, blank, unrecognised;
	unsigned long	 suppressed;	/* values withheld, all tables */
	const char	*formats;	/* "PNG, SVG, PDF" for the note */
	const char	*const *exts;	/* the file kinds beside each chart */
	size_t		 nexts;
	const struct report_pack_item *items;
	size_t		 nitems;
	size_t		 nfailed;	/* charts that failed */
};

/*
 * Writes the pack's page, a complete HTML5 document with no script and
 * no reference outside DIR, to out.  Every text is escaped.
 */
void report_pack_html(const struct report_pack *p, struct buf *out);

/*
 * ---------------------------------------------------------------------
 * Below: shared by reports/report_*.c only.  cli/ must not use it.
 * ---------------------------------------------------------------------
 */

/* The canvas: 16 cm at 96 px/inch. */
#define REPORT_WIDTH	605
#define REPORT_PAD	12
/* The tallest chart an A4 page holds with margins and a caption: 23.5 cm. */
#define REPORT_PAGE_HEIGHT	888
/* Row heights in pixels (report_parts() lays out with them too). */
#define REPORT_STACKED_UNIT	21
#define REPORT_GROUPED_UNIT	19
/* The most years the years chart shows. */
#define REPORT_GROUPED_YEARS	6

/*
 * One chart, independent of the output format.  Labels are cleaned when
 * added; body holds the gnuplot commands that follow `set output` and
 * may use $LBL[i] (i as returned by report_label_add), the variable BOLD
 * (a font name for bold text, which the SVG terminal cannot do) and the
 * terminal's font "DejaVu Sans,10".
 */
struct report_chart {
	unsigned	 width, height;	/* pixels at 96 px/inch */
	char		**labels;	/* cleaned, one line each */
	size_t		 nlabels, labels_alloc;
	struct buf	 body;
};

void report_chart_init(struct report_chart *c);
void report_chart_release(struct report_chart *c);

/*
 * Cleans s (see above) and keeps at most maxchars characters (code
 * points; 0 = no limit), ending a cut label with "…".  Adds it as the
 * next line of $LBL and returns its 1-based index.
 */
size_t report_label_add(struct report_chart *c, const char *s,
    size_t maxchars);
/*
 * Cleans s and wraps it at spaces into lines of at most width characters,
 * at most maxlines of them (the last one cut with "…" if needed), adding
 * each as a label.  Returns the index of the first; *nlines gets the count
 * (at least 1: an empty text gives one empty line).
 */
size_t report_label_wrap(struct report_chart *c, const char *s,
    size_t width, size_t maxlines, size_t *nlines);
/* Appends s with the SVG precautions (U+2060 after "&#" and in "]]>"). */
void report_label_svg(struct buf *out, const char *s);
/*
 * Appends the datablock `$name << TERM`, the lines, `TERM` to script.
 * TERM is the first of EOD, EOD1, EOD2, ... that no line starts with
 * (ignoring leading blanks), so the choice is deterministic.  With svg,
 * lines go through report_label_svg().  Lines must hold no LF or CR.
 */
void report_datablock(struct buf *script, const char *name,
    char *const *lines, size_t n, int svg);

/*
 * Draws c into DIR/BASE.* as gp's options ask: every format is sent to
 * gnuplot, then (unless gp is in the background) waited for.  On a
 * gnuplot error, d gets "gnuplot failed drawing 'PATH': MESSAGE"
 * (diag_env) and no file of the chart is written.
 */
int report_gp_render(struct report_gp *gp, const struct report_chart *c,
    const char *dir, const char *base, struct diag *d);
/* Sends c's formats without waiting (report_gp_wait gives the result). */
int report_gp_send(struct report_gp *gp, const struct report_chart *c,
    const char *dir, const char *base, struct diag *d);
/*
 * Inserts a pHYs chunk (dpi in pixels per metre) after the IHDR chunk of
 * the PNG file at path, so that word processors size the picture right
 * (report_png.c).  Returns 0 or -1 with d recorded.
 */
int report_png_set_dpi(const char *path, unsigned dpi, struct diag *d);

/*
 * The frame every chart shares: a wrapped title and subtitle at the top,
 * left-aligned, room for a legend under them, and notes under the plot.
 * report_frame_texts() adds the labels; report_frame_emit(), once
 * c->height is known, writes the commands that place them.
 */
struct report_frame {
	size_t		 title, ntitle, sub, nsub;
	size_t		 notes[9], nnotes;
	unsigned	 key_rows;	/* legend rows under the subtitle */
	double		 top;		/* px from the top to the plot */
	double		 bottom;	/* px from the plot to the bottom */
	double		 key_y;		/* px from the top to the legend */
};

void report_frame_texts(struct report_chart *c, struct report_frame *f,
    const char *title, const char *subtitle);
void report_frame_note(struct report_chart *c, struct report_frame *f,
    const char *note);
/*
 * Adds the notes of t->changes a chart must carry: an answer scale that
 * changed within the years of the table, and how it is counted.
 */
void report_frame_changes(struct report_chart *c, struct report_frame *f,
    const struct score_table *t);
/* Works out f->top and f->bottom; axis_px is the room the x axis needs. */
void report_frame_measure(struct report_frame *f, double axis_px);
void report_frame_emit(struct report_chart *c, const struct report_frame *f);
/* Screen fraction of a distance in pixels from the top. */
double report_from_top(double px, double height);
/* Appends n with thousands separators. */
void report_count(struct buf *b, unsigned long n);
/* "2019" or "2019–2025". */
void report_years(struct buf *b, int from, int to);
/*
 * Legend rows needed for labels first..first+n-1 laid out in columns
 * across the canvas (gnuplot gives every column the widest entry).
 */
unsigned report_key_rows(const struct report_chart *c, size_t first,
    size_t n, size_t extra);

/*
 * The plotted numbers, one CSV line each (report_csv.c): a header, then
 * report_csv_row() per value.  status is "" for a shown value, else why
 * it is withheld.
 */
void report_csv_header(struct buf *out);
void report_csv_row(struct buf *out, const char *group, int year,
    const char *measure, int shown, double value, double lo, double hi,
    unsigned long n, const char *status);

/*
 * One value a chart draws (report_share.c): a share of a row, or a
 * number item's mean or median, with its interval; or why there is none.
 */
enum report_status {
	REPORT_SHOWN = 0,
	REPORT_FEW,		/* fewer than k answered */
	REPORT_PROTECT,		/* withheld to protect a small group */
	REPORT_NONE,		/* no valid answers (or not asked) */
	REPORT_NO_CI,		/* shown, but too few answers for an
				   interval (numbers only) */
};

struct report_val {
	enum report_status status;
	double		 v, lo, hi;	/* percent, or the number's unit */
	unsigned long	 n;		/* 0 when withheld */
};

/*
 * The level of t called key (NULL: the last), into *cat.  Returns 0, or
 * -1 with a diag_err naming the levels there are.
 */
int report_share_find(const struct score_table *t, const char *key,
    size_t *cat, struct diag *d);
/* The share of level cat in row i of t (see report_spec.full). */
struct report_val report_share_value(const struct score_table *t,
    size_t i, size_t cat, const struct score_table *full);
/* The mean (or median) of row i of a number table. */
struct report_val report_number_value(const struct score_table *t,
    size_t i, int median);
/* Why a value is missing, in words ("" when shown), for notes and CSV. */
const char *report_status_text(enum report_status st);
/* Rows in the years a chart draws: years >= from. */
int report_first_year(const struct score_table *t, int last_years);
/*
 * Is the group of rows i..j-1 of t (one label) drawn by s?  *gi counts the
 * groups with rows in years >= from, as report_parts() does.
 */
int report_group_drawn(const struct report_spec *s,
    const struct score_table *t, size_t i, size_t j, int from, size_t *gi);
/* " · part 2 of 3" for a subtitle, or nothing. */
void report_part_text(struct buf *b, const struct report_spec *s);

/*
 * The chart kinds (one file each) and what they share (report_chart.c).
 * Each fills the chart, its words and the CSV text; report_chart() draws
 * and writes them.
 */
struct report_job {
	const struct score_table *t;
	const struct report_spec *s;
	struct report_chart	 c;
	struct report_words	*w;
	struct buf		 csv;
	struct buf		 alt, summary;
};

int report_do_stacked(struct report_job *j, struct diag *d);
int report_do_trend(struct report_job *j, struct diag *d);
int report_do_grouped(struct report_job *j, struct diag *d);
int report_do_number(struct report_job *j, struct diag *d);

/* The question, for titles: item_text, else the key. */
const char *report_title_of(const struct score_table *t);
/* "Team", the --by label, for subtitles. */
const char *report_by_of(const struct score_table *t);
/* A row's group name ("" if none). */
const char *report_row_label(const struct score_row *r);
/* Total n of the shown all-groups rows in years >= from (else groups'). */
unsigned long report_total_n(const struct score_table *t, int from);
/*
 * Two sentences on the share of level cat in the latest year: the
 * all-groups value, the highest and lowest group, the change since the
 * year before with its interval and verdict, and how many values are
 * withheld.  For number tables (cat ignored) the same about the mean or
 * median.
 */
void report_summary(struct buf *out, const struct score_table *t,
    size_t cat, const struct score_table *full, int number, int median);

#endif /* REPORT_H */
