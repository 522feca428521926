/* SPDX-License-Identifier: MIT */
/*
 * reports/report.h: committee charts drawn by gnuplot.  Included by cli/
 * (the first part) and by the reports/report_*.c files (all of it).
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
 * Text from the survey (question wording, answer labels, team names)
 * never enters gnuplot's command language: it goes into a datablock, one
 * label per line, and is read back with $LBL[i].  Each label is cleaned
 * with text_squash() (valid UTF-8, control characters and runs of white
 * space become one space, trimmed), cut to a length that fits the layout
 * with "…" at the end, and for SVG output has U+2060 WORD JOINER inserted
 * after every '&' followed by '#' and between "]]" and '>', so that the
 * SVG stays well-formed XML.
 *
 * Output files are written under a temporary name in the target directory
 * and renamed only when gnuplot reported no error and the file is not
 * empty.  SVG output is byte-for-byte reproducible; PNG output is on the
 * same machine (it depends on the cairo, pango and font versions).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>

#include "common/buf.h"

struct diag;
struct score_table;

struct report_opts {
	const char	*gnuplot;	/* program (path, or name looked up in
					   PATH); NULL or "" = "gnuplot".  The
					   CLI passes $WHC_GNUPLOT here. */
	unsigned	 timeout_ms;	/* per chart; 0 = 30000 */
	int		 png;		/* write BASE.png (pngcairo, 1000 px
					   wide, height grows with the rows) */
	int		 svg;		/* write BASE.svg (same size, fixed) */
					/* neither set: both are written */
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
 * The 100% stacked horizontal bar chart of one item: one bar per group
 * (team) per year, years under each group's name, answer levels in scale
 * order with a diverging ColorBrewer palette (RdYlBu, 2 to 11 levels;
 * the first level blue, the last red), percentages written in segments
 * of 8% or more, n= to the right of each bar.  The all-groups rows
 * (row.total) are drawn as the first group, above a thin line.  A
 * suppressed row is a grey box saying why; within a shown row the
 * suppressed answer levels are drawn together as one hatched segment
 * (their combined share, which n and the shown shares already give away)
 * at the place of the first of them, never as 0%.
 *
 * Texts: the title is item_text (item if empty), wrapped to at most 3
 * lines of 80 characters; the subtitle gives by_label, the years, the
 * total n of the shown rows (the all-groups rows if shown, else the
 * groups') and k; group names are cut at 96 characters, answer labels
 * at 40.  Notes under the axis explain grey and hatched bars when there
 * are any.
 *
 * Writes DIR/BASE.png and/or DIR/BASE.svg (dir NULL or "" means the
 * current directory; base must be a plain file name).  Returns 0, or -1
 * with the reason in d: diag_err for a table that cannot be drawn (no
 * rows, fewer than 2 or more than 11 levels), diag_env/diag_errno for
 * gnuplot failures (with gnuplot's own message) and file errors.
 */
int report_stacked(struct report_gp *gp, const struct score_table *t,
    const char *dir, const char *base, struct diag *d);

/*
 * ---------------------------------------------------------------------
 * Below: shared by reports/report_*.c only.  cli/ must not use it.
 * ---------------------------------------------------------------------
 */

/*
 * One chart, independent of the output format.  Labels are cleaned when
 * added; body holds the gnuplot commands that follow `set output` and
 * may use $LBL[i] (i as returned by report_label_add), the variable BOLD
 * (a font name for bold text, which the SVG terminal cannot do) and the
 * terminal's font "DejaVu Sans,10".
 */
struct report_chart {
	unsigned	 width, height;	/* PNG pixels = SVG user units */
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
 * Draws c into DIR/BASE.png and/or .svg as gp's options ask (see
 * report_stacked for the contract).  On a gnuplot error, d gets
 * "gnuplot failed drawing 'PATH': MESSAGE" (diag_env).
 */
int report_gp_render(struct report_gp *gp, const struct report_chart *c,
    const char *dir, const char *base, struct diag *d);

#endif /* REPORT_H */
