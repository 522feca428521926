/* SPDX-License-Identifier: MIT */
/*
 * Stand-alone driver for the gnuplot charts (not part of the product
 * build): builds fake score tables in memory, with hostile team names,
 * draws them with the real gnuplot and checks the results.  Prints TAP.
 *
 * Build from the top of the tree:
 *   gcc -std=c99 -I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
 *       -include common/banned.h -o report-demo tests/report-demo.c \
 *       common/xalloc.c common/buf.c common/diag.c common/text.c \
 *       common/proc.c reports/report_gnuplot.c reports/report_stacked.c \
 *       reports/report_label.c
 * Run: ./report-demo OUTDIR   (WHC_GNUPLOT picks the gnuplot to test)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/proc.h"
#include "common/xalloc.h"
#include "reports/report.h"
#include "scorer/score.h"

static int failures, tests;

static void
ok(int cond, const char *what)
{
	tests++;
	if (!cond)
		failures++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tests, what);
	fflush(stdout);
}

static void
show_diag(struct diag *d)
{
	for (size_t i = 0; i < d->nr; i++)
		printf("# diag: %s\n", d->v[i].text);
}

static const char *const hostile[] = {
	"O'Brien's \"crew\" `id` $(id) \\ \"\\n\" %s",
	"system(\"touch /tmp/pwned\")",
	"@GPVAL_PWD `touch /tmp/pwned2` @x",
	"Line one\nLine two\r\nend\ttab",
	"EOD",
	"]]> end of CDATA ]]]>",
	"&#xZZ; bad reference &amp; &#38; ok",
	"<script>alert(1)</script>",
	"=HYPERLINK(\"x\")",
	NULL,				/* the 300-character name */
	"\xD9\x81\xD8\xB1\xD9\x8A\xD9\x82 \xD8\xA7\xD9\x84\xD8\xAF\xD8\xB9"
	    "\xD9\x85 \xE2\x80\x93 \xD7\xA6\xD7\x95\xD7\x95\xD7\xAA "
	    "\xD7\xAA\xD7\x9E\xD7\x99\xD7\x9B\xD7\x94 2",
	"# Finance & Ops {west} a_b^c trailing backslash \\",
};
#define NTEAMS (sizeof(hostile) / sizeof(hostile[0]))

static char long_name[301];

static unsigned long seed = 12345;

static unsigned
rnd(unsigned n)
{
	seed = seed * 1103515245UL + 12345UL;
	return (unsigned)((seed >> 16) % n);
}

static void
fill_row(struct score_row *r, size_t nlev, unsigned long n)
{
	unsigned long left = n;

	r->n = n;
	r->responses = n + 2;
	r->blank = 2;
	r->cells = xcalloc(nlev, sizeof(*r->cells));
	for (size_t k = 0; k < nlev; k++) {
		unsigned long c = k + 1 == nlev ? left :
		    (unsigned long)rnd((unsigned)(left * 2 / (nlev - k) + 1));

		if (c > left)
			c = left;
		left -= c;
		r->cells[k].count = c;
		r->cells[k].pct = n ? 100.0 * (double)c / (double)n : 0;
	}
}

/* Hides row r (n zeroed like the scorer does for cells). */
static void
suppress_row(struct score_row *r, size_t nlev, enum score_supp why)
{
	r->supp = why;
	for (size_t k = 0; k < nlev; k++) {
		r->cells[k].count = 0;
		r->cells[k].pct = 0;
		r->cells[k].supp = why;
	}
}

static void
suppress_cell(struct score_row *r, size_t k, enum score_supp why)
{
	r->cells[k].count = 0;
	r->cells[k].pct = 0;
	r->cells[k].supp = why;
}

static const char *const lev4[] = { "Never", "Rarely", "Occasionally",
	"Often" };
static const char *const lev5[] = { "Strongly disagree", "Disagree",
	"Neither agree nor disagree", "Agree", "Strongly agree" };
static const char *const lev11[] = { "0", "1", "2", "3", "4", "5", "6",
	"7", "8", "9", "10" };
static const char *const lev7[] = { "1 Not at all", "2", "3", "4 Neutral",
	"5", "6", "7 Completely" };

/* A table of nteams groups (names from names[]) times 3 years. */
static struct score_table *
make_table(const char *const *names, size_t nteams, const char *const *lev,
    size_t nlev, int totals)
{
	struct score_table *t = xcalloc(1, sizeof(*t));
	size_t i = 0;

	t->item = xstrdup("stress");
	t->item_text = xstrdup("How often do you feel \"stressed\" at work? "
	    "`touch /tmp/pwned3` @GPVAL_PWD (think of the last 12 months, "
	    "including any time working from home)");
	t->by = xstrdup("team");
	t->by_label = xstrdup("Team");
	t->k = 10;
	t->year_from = 2022;
	t->year_to = 2024;
	t->nlevels = nlev;
	t->level_keys = xcalloc(nlev, sizeof(char *));
	t->level_labels = xcalloc(nlev, sizeof(char *));
	for (size_t k = 0; k < nlev; k++) {
		t->level_keys[k] = xasprintf("l%zu", k);
		t->level_labels[k] = xstrdup(lev[k]);
	}
	t->nrows = nteams * 3 + (totals ? 3 : 0);
	t->rows = xcalloc(t->nrows, sizeof(*t->rows));
	for (size_t g = 0; g < nteams; g++)
		for (int y = 2022; y <= 2024; y++, i++) {
			t->rows[i].label = xstrdup(names[g]);
			t->rows[i].year = y;
			fill_row(&t->rows[i], nlev, 15 + rnd(140));
		}
	for (int y = 2022; totals && y <= 2024; y++, i++) {
		t->rows[i].label = xstrdup("All teams");
		t->rows[i].year = y;
		t->rows[i].total = 1;
		fill_row(&t->rows[i], nlev, 1200 + rnd(300));
	}
	return t;
}

static void
free_table(struct score_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		free(t->rows[i].label);
		free(t->rows[i].cells);
	}
	for (size_t k = 0; k < t->nlevels; k++) {
		free(t->level_keys[k]);
		free(t->level_labels[k]);
	}
	free(t->rows);
	free(t->level_keys);
	free(t->level_labels);
	free(t->item);
	free(t->item_text);
	free(t->by);
	free(t->by_label);
	free(t);
}

static char *
slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char tmp[8192];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		buf_add(&b, tmp, n);
	fclose(fp);
	return buf_detach(&b, len);
}

/* Escapes s the way gnuplot's SVG terminal does (& and < only). */
static void
svg_escape(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '&')
			buf_adds(out, "&amp;");
		else if (*s == '<')
			buf_adds(out, "&lt;");
		else
			buf_addc(out, *s);
	}
}

static int
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Runs a program; returns its status or -1. */
static int
run(const char *const *argv, struct buf *out)
{
	struct proc p = PROC_INIT;
	struct diag d = DIAG_INIT;
	int rc;

	for (; *argv != NULL; argv++)
		proc_arg(&p, *argv);
	proc_env(&p, "PATH", "/usr/bin:/bin");
	p.out = out != NULL ? PROC_PIPE : PROC_NULL;
	p.err = PROC_PIPE;
	rc = proc_pipe(&p, NULL, 0, out, out, 60000, &d);
	show_diag(&d);
	diag_release(&d);
	proc_release(&p);
	return rc;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
diag_has(const struct diag *d, const char *s)
{
	for (size_t i = 0; i < d->nr; i++)
		if (strstr(d->v[i].text, s) != NULL)
			return 1;
	return 0;
}

/* Opening a broken gnuplot must fail cleanly and quickly. */
static void
test_broken(const char *prog, unsigned timeout_ms, const char *expect)
{
	struct report_opts o = { prog, timeout_ms, 1, 1 };
	struct diag d = DIAG_INIT;
	struct report_gp *gp;
	struct buf what = BUF_INIT;
	double t0 = now();

	gp = report_gp_open(&o, &d);
	buf_addf(&what, "broken gnuplot '%s' gives a clean error (%.1f s)",
	    prog, now() - t0);
	ok(gp == NULL && d.worst_class == DIAG_CLASS_ENV &&
	    diag_has(&d, expect) && now() - t0 < timeout_ms / 1000.0 + 3,
	    what.data);
	show_diag(&d);
	report_gp_close(gp);
	diag_release(&d);
	buf_release(&what);
}

static int
draw(struct report_gp *gp, const struct score_table *t, const char *dir,
    const char *base)
{
	struct diag d = DIAG_INIT;
	int rc = report_stacked(gp, t, dir, base, &d);

	show_diag(&d);
	diag_release(&d);
	return rc;
}

/* Checks the SVG against the hostile names and XML well-formedness. */
static void
check_svg(const char *path, const struct score_table *t)
{
	const char *xmllint[] = { "xmllint", "--noout", path, NULL };
	struct report_chart c;
	struct buf want = BUF_INIT, clean = BUF_INIT, what = BUF_INIT;
	char *svg;
	size_t len;
	int all = 1;

	ok(run(xmllint, NULL) == 0, "SVG is well-formed XML (xmllint)");
	svg = slurp(path, &len);
	ok(svg != NULL && strstr(svg, "</svg>") != NULL, "SVG is complete");
	report_chart_init(&c);
	for (size_t i = 0; svg != NULL && i < t->nrows; i += 3) {
		buf_reset(&want);
		buf_reset(&clean);
		report_label_add(&c, t->rows[i].label, 96);
		report_label_svg(&clean, c.labels[c.nlabels - 1]);
		buf_adds(&want, ">");
		svg_escape(&want, clean.data);
		buf_adds(&want, "</text>");
		if (strstr(svg, want.data) == NULL) {
			printf("# missing in SVG: %s\n", want.data);
			all = 0;
		}
	}
	ok(all, "every team name is in the SVG text, as cleaned");
	ok(svg != NULL && strstr(svg, ">Line one Line two end tab</text>")
	    != NULL, "line breaks and tabs became single spaces");
	ok(svg != NULL && strstr(svg, "># Finance &amp; Ops {west}") != NULL,
	    "a name starting with '#' is kept");
	ok(svg != NULL && strstr(svg, "&lt;script>") != NULL &&
	    strstr(svg, "<script") == NULL, "no live <script> element");
	buf_addf(&what, "%s/%s", "long name cut to 96 characters", "…");
	ok(svg != NULL && strstr(svg, "xxxxxxxxx\xE2\x80\xA6</text>") != NULL,
	    what.data);
	report_chart_release(&c);
	free(svg);
	buf_release(&want);
	buf_release(&clean);
	buf_release(&what);
}

static void
test_errors(struct report_gp *gp, const char *dir, const struct score_table *t)
{
	struct report_chart c;
	struct diag d = DIAG_INIT;
	struct buf path = BUF_INIT;
	int rc;

	report_chart_init(&c);
	c.width = 400;
	c.height = 300;
	buf_adds(&c.body, "plot $NOPE using 1:2\n");
	rc = report_gp_render(gp, &c, dir, "broken", &d);
	show_diag(&d);
	ok(rc < 0 && diag_has(&d, "no datablock named $NOPE") &&
	    d.worst_class == DIAG_CLASS_ENV,
	    "a gnuplot error is reported with gnuplot's message");
	buf_addf(&path, "%s/broken.png", dir);
	ok(!file_exists(path.data), "a failed chart leaves no file behind");
	ok(draw(gp, t, dir, "after-error") == 0,
	    "the session keeps working after a gnuplot error");
	diag_release(&d);
	report_chart_release(&c);
	buf_release(&path);
}

/* Tables at the edges of what the chart takes. */
static void
test_edges(struct report_gp *gp, const char *dir)
{
	const char *one[1] = { "Solo" };
	struct score_table *t;
	struct diag d = DIAG_INIT;

	t = make_table(one, 1, lev11, 11, 0);
	ok(draw(gp, t, dir, "levels11") == 0, "11-level chart drawn");
	free_table(t);
	t = make_table(one, 1, lev4, 2, 0);
	ok(draw(gp, t, dir, "levels2") == 0, "2-level chart drawn");
	free_table(t);
	t = make_table(one, 1, lev4, 4, 1);
	for (size_t i = 0; i < t->nrows; i++)
		suppress_row(&t->rows[i], 4, i % 2 ? SCORE_SECONDARY :
		    SCORE_PRIMARY);
	ok(draw(gp, t, dir, "all-suppressed") == 0,
	    "a chart with every row suppressed is drawn");
	t->nlevels = 1;
	ok(report_stacked(gp, t, dir, "one-level", &d) < 0 &&
	    d.worst_class == DIAG_CLASS_DATA, "1 level is a data error");
	t->nlevels = 4;
	free_table(t);
	show_diag(&d);
	diag_release(&d);
}

/* gnuplot exiting in the middle of a long script must not kill us. */
static void
test_exit(struct report_gp *gp, const char *dir, const struct score_table *t)
{
	struct report_chart c;
	struct diag d = DIAG_INIT;
	int rc;

	report_chart_init(&c);
	c.width = 400;
	c.height = 300;
	buf_adds(&c.body, "exit\n");
	for (int i = 0; i < 20000; i++)
		buf_adds(&c.body, "# padding to overflow the pipe buffer\n");
	rc = report_gp_render(gp, &c, dir, "exit", &d);
	show_diag(&d);
	ok(rc < 0 && diag_has(&d, "exited"),
	    "gnuplot exiting mid-chart is reported (no SIGPIPE death)");
	ok(draw(gp, t, dir, "after-exit") == 0,
	    "a new gnuplot draws the next chart after an exit");
	report_chart_release(&c);
	diag_release(&d);
}

static void
test_timeout(const char *dir, const struct score_table *t)
{
	struct report_opts o = { getenv("WHC_GNUPLOT"), 1500, 0, 1 };
	struct report_chart c;
	struct diag d = DIAG_INIT;
	struct report_gp *gp = report_gp_open(&o, &d);
	double t0 = now();
	int rc;

	ok(gp != NULL, "gnuplot session with a 1.5 s timeout starts");
	if (gp == NULL)
		return;
	report_chart_init(&c);
	c.width = 400;
	c.height = 300;
	buf_adds(&c.body, "if (1) {\nplot x\n");
	rc = report_gp_render(gp, &c, dir, "hang", &d);
	show_diag(&d);
	ok(rc < 0 && diag_has(&d, "did not finish") &&
	    now() - t0 < 4, "an unterminated block times out and is killed");
	ok(draw(gp, t, dir, "after-timeout") == 0,
	    "a new gnuplot draws the next chart");
	report_chart_release(&c);
	report_gp_close(gp);
	diag_release(&d);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "report-demo-out";
	struct report_opts o = { getenv("WHC_GNUPLOT"), 0, 1, 1 };
	const char *names[NTEAMS], *few[3] = { "Alpha", "Beta", "Gamma" };
	struct score_table *t, *t5, *t7;
	struct diag d = DIAG_INIT;
	struct report_gp *gp;
	struct buf p1 = BUF_INIT, p2 = BUF_INIT;
	char *a, *b;
	size_t la, lb;
	double t0;

	unlink("/tmp/pwned");
	unlink("/tmp/pwned2");
	unlink("/tmp/pwned3");
	mkdir(dir, 0777);
	memset(long_name, 'x', 300);
	memcpy(long_name, "Very long name ", 15);
	for (size_t i = 0; i < NTEAMS; i++)
		names[i] = hostile[i] != NULL ? hostile[i] : long_name;

	t = make_table(names, NTEAMS, lev4, 4, 1);
	suppress_row(&t->rows[4 * 3 + 0], 4, SCORE_PRIMARY);	/* EOD 2022 */
	suppress_row(&t->rows[5 * 3 + 0], 4, SCORE_SECONDARY);
	suppress_row(&t->rows[8 * 3 + 2], 4, SCORE_PRIMARY);
	suppress_cell(&t->rows[2 * 3 + 1], 0, SCORE_PRIMARY);
	suppress_cell(&t->rows[2 * 3 + 1], 3, SCORE_SECONDARY);
	suppress_cell(&t->rows[6 * 3 + 2], 2, SCORE_PRIMARY);
	suppress_cell(&t->rows[6 * 3 + 2], 3, SCORE_SECONDARY);

	gp = report_gp_open(&o, &d);
	show_diag(&d);
	ok(gp != NULL, "gnuplot starts");
	if (gp == NULL)
		return 1;
	t0 = now();
	ok(draw(gp, t, dir, "stacked") == 0, "stacked chart drawn");
	printf("# first chart (png + svg) took %.3f s\n", now() - t0);
	ok(draw(gp, t, dir, "stacked-again") == 0, "stacked chart redrawn");
	buf_addf(&p1, "%s/stacked.svg", dir);
	buf_addf(&p2, "%s/stacked-again.svg", dir);
	a = slurp(p1.data, &la);
	b = slurp(p2.data, &lb);
	ok(a != NULL && b != NULL && la == lb && memcmp(a, b, la) == 0,
	    "two runs give byte-identical SVG");
	free(a);
	free(b);
	buf_reset(&p2);
	buf_addf(&p2, "%s/stacked.png", dir);
	ok(file_exists(p2.data), "PNG written");
	check_svg(p1.data, t);
	ok(!file_exists("/tmp/pwned") && !file_exists("/tmp/pwned2") &&
	    !file_exists("/tmp/pwned3"), "no marker file was created");

	t5 = make_table(few, 3, lev5, 5, 0);
	suppress_cell(&t5->rows[4], 1, SCORE_PRIMARY);
	suppress_cell(&t5->rows[4], 2, SCORE_SECONDARY);
	ok(draw(gp, t5, dir, "levels5") == 0, "5-level chart drawn");
	t7 = make_table(few, 2, lev7, 7, 1);
	ok(draw(gp, t7, dir, "levels7") == 0, "7-level chart drawn");
	ok(draw(gp, t5, dir, "levels5-again") == 0, "5-level chart redrawn");
	buf_reset(&p1);
	buf_reset(&p2);
	buf_addf(&p1, "%s/levels5.svg", dir);
	buf_addf(&p2, "%s/levels5-again.svg", dir);
	a = slurp(p1.data, &la);
	b = slurp(p2.data, &lb);
	ok(a != NULL && b != NULL && la == lb && memcmp(a, b, la) == 0,
	    "SVG bytes do not depend on the chart drawn before");
	free(a);
	free(b);
	test_edges(gp, dir);
	ok(draw(gp, t, "/nonexistent-dir", "x") < 0,
	    "a missing output directory is an error");

	test_errors(gp, dir, t5);
	test_exit(gp, dir, t5);
	report_gp_close(gp);
	test_timeout(dir, t5);
	test_broken("/bin/false", 5000, "exited (exit status 1)");
	test_broken("/nonexistent/gnuplot", 5000, "cannot find program");
	test_broken("/usr/bin/sort", 1500, "did not finish");

	free_table(t);
	free_table(t5);
	free_table(t7);
	diag_release(&d);
	buf_release(&p1);
	buf_release(&p2);
	printf("1..%d\n", tests);
	return failures != 0;
}
