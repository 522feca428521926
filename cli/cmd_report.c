/* SPDX-License-Identifier: MIT */
/*
 * whc report: the committee pack.  For each headline item and dimension
 * (the [report] section of the config, or the command line) it asks the
 * scorer for the breakdowns, has reports/ draw every chart kind that
 * fits the item through one gnuplot, and writes DIR/index.html.  A chart
 * that fails is reported and the rest of the pack is still made.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/exit.h"
#include "common/buf.h"
#include "common/config.h"
#include "common/diag.h"
#include "common/fsutil.h"
#include "common/store.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "reports/report.h"
#include "scorer/score.h"

#define MAX_LIST	32
#define MAX_CHARTS	64	/* per item, parts included */
#define MAX_PARTS	12	/* per chart; beyond it parts grow taller */

static const char *
gnuplot_path(struct ctx *ctx)
{
	const char *p = getenv("WHC_GNUPLOT");

	if (p != NULL && *p != '\0')
		return p;
	if ((p = config_get(ctx->cfg, "report.gnuplot")) != NULL)
		return p;
	return "gnuplot";
}

/* Splits a list at commas and spaces into v (strings point into s). */
static size_t
split(char *s, char **v, size_t max)
{
	size_t n = 0;

	while (*s != '\0' && n < max) {
		s += strspn(s, ", \t");
		if (*s == '\0')
			break;
		v[n++] = s;
		s += strcspn(s, ", \t");
		if (*s != '\0')
			*s++ = '\0';
	}
	return n;
}

/* The scale and number items of the latest definition in range. */
struct latest {
	char	*body;
	int	 year;
};

static int
keep_latest(const struct store_qn *q, void *arg)
{
	struct latest *l = arg;

	if (q->year >= l->year) {
		free(l->body);
		l->body = xstrdup(q->body);
		l->year = q->year;
	}
	return 0;
}

static char *
default_items(struct ctx *ctx, int from, int to)
{
	struct latest l = { NULL, 0 };
	struct buf b = BUF_INIT;
	struct qn *q;

	if (store_qn_each(ctx->store, from, to, keep_latest, &l,
	    &ctx->diag) < 0 || l.body == NULL) {
		free(l.body);
		return xstrdup("stress");
	}
	if ((q = qn_load_text(l.body, "store", &ctx->diag)) != NULL) {
		for (size_t i = 0; i < qn_nfields(q); i++) {
			enum qn_kind k = qn_field_kind(q, i);

			if (k == QN_SCALE || k == QN_NUMBER)
				buf_addf(&b, "%s%s", b.len ? "," : "",
				    qn_field_key(q, i));
		}
		qn_free(q);
	}
	free(l.body);
	if (b.len == 0)
		buf_adds(&b, "stress");
	return buf_detach(&b, NULL);
}

/* Everything the pack keeps until the page is written. */
struct pack {
	struct report_gp *gp;
	const char	*out;
	int		 recent;
	int		 a4;		/* split charts into A4-page parts */
	struct score_table **tables;
	size_t		 ntables;
	struct report_pack_item *items;
	size_t		 nitems;
	struct report_pack_chart *charts;	/* MAX_CHARTS per item */
	struct report_words *words;
	char		**strings;		/* freed at the end */
	size_t		 nstrings;
	size_t		 nfailed;
	struct report_pack_chart *drawing;	/* in gnuplot's hands */
	unsigned long	 suppressed;
	size_t		 family;
	int		 adjust_bh;
};

static char *
keep(struct pack *p, char *s)
{
	p->strings = xreallocarray(p->strings, p->nstrings + 1,
	    sizeof(char *));
	p->strings[p->nstrings++] = s;
	return s;
}

static void
keep_table(struct pack *p, struct score_table *t)
{
	p->tables = xreallocarray(p->tables, p->ntables + 1,
	    sizeof(*p->tables));
	p->tables[p->ntables++] = t;
	p->suppressed += t->nsupp_primary + t->nsupp_secondary +
	    t->nsupp_ledger;
	if (t->family > p->family)
		p->family = t->family;
	p->adjust_bh |= t->adjust == SCORE_ADJ_BH;
}

/* Marks chart c as failed with the last message in the diag. */
static void
failed(struct ctx *ctx, struct pack *p, struct report_pack_chart *c)
{
	p->nfailed++;
	c->error = ctx->diag.nr > 0 ? keep(p,
	    xstrdup(ctx->diag.v[ctx->diag.nr - 1].text)) :
	    "the chart could not be drawn";
}

/* Waits for the chart gnuplot is drawing, if any. */
static void
finish(struct ctx *ctx, struct pack *p)
{
	if (p->drawing != NULL && report_gp_wait(p->gp, &ctx->diag) < 0)
		failed(ctx, p, p->drawing);
	p->drawing = NULL;
}

/*
 * Draws one chart; a failure is recorded and the pack goes on.  gnuplot
 * draws in the background: whc lays out the next chart, or asks the
 * scorer for the next item's tables, meanwhile.
 */
static void
chart_part(struct ctx *ctx, struct pack *p, struct report_pack_item *it,
    const struct score_table *t, const struct report_spec *s,
    const char *base)
{
	struct report_pack_chart *c = (struct report_pack_chart *)
	    &it->charts[it->ncharts];
	struct report_words *w = &p->words[(size_t)(c - p->charts)];

	finish(ctx, p);
	c->base = keep(p, xstrdup(base));
	c->w = w;
	if (report_chart(p->gp, t, s, p->out, base, w, &ctx->diag) < 0)
		failed(ctx, p, c);
	else
		p->drawing = c;
	it->ncharts++;
}

/*
 * Draws one chart, or with [report] page = a4 as many parts as it takes
 * for each to fit a page (BASE-1, BASE-2, ...).
 */
static void
chart(struct ctx *ctx, struct pack *p, struct report_pack_item *it,
    const struct score_table *t, const struct report_spec *s,
    const char *base)
{
	struct report_spec ps = *s;
	char *name;
	int n = p->a4 ? report_parts(t, &ps, MAX_PARTS) : 1;

	if (n <= 1) {
		chart_part(ctx, p, it, t, s, base);
		return;
	}
	for (int i = 0; i < n && it->ncharts < MAX_CHARTS; i++) {
		ps.part = i + 1;
		ps.group_first = (size_t)i * ps.group_count;
		name = xasprintf("%s-%d", base, i + 1);
		chart_part(ctx, p, it, t, &ps, name);
		free(name);
	}
}

/* The share a scale item's trend follows: config, else a default. */
static char *
share_of(struct ctx *ctx, const char *item, const struct score_table *t)
{
	char key[160];
	const char *v;
	struct buf b = BUF_INIT;

	snprintf(key, sizeof(key), "report.%s.share", item);
	if ((v = config_get(ctx->cfg, key)) != NULL) {
		for (; *v != '\0'; v++)
			if (*v != ' ')
				buf_addc(&b, *v == '+' ? ',' : *v);
		return buf_detach(&b, NULL);
	}
	/* Agreement scales: the top two levels; others: the last. */
	if (t->nlevels >= 5)
		return xasprintf("%s,%s", t->level_keys[t->nlevels - 2],
		    t->level_keys[t->nlevels - 1]);
	return xstrdup(t->level_keys[t->nlevels - 1]);
}

static int
do_item(struct ctx *ctx, struct pack *p, const struct score_query *base,
    const char *item, const char *by)
{
	struct score_query q = *base;
	struct score_table *t = NULL, *ts = NULL;
	struct report_pack_item *it = &p->items[p->nitems];
	struct report_spec s;
	struct buf out = BUF_INIT;
	const char *groups[1], *v;
	char key[160], *share = NULL, *name, *path;
	double above = 0;
	int rc = -1;

	q.item = item;
	q.by = by;
	snprintf(key, sizeof(key), "report.%s.above", item);
	if ((v = config_get(ctx->cfg, key)) != NULL) {
		char *end;

		above = strtod(v, &end);
		if (end == v || *end != '\0')
			return diag_err(&ctx->diag, "%s: line %lu: %s takes "
			    "a number, not '%s'", config_path(ctx->cfg),
			    config_line(ctx->cfg, key), key, v);
		q.has_above = 1;
		q.above = above;
	}
	if (score_breakdown(ctx->store, &q, &t, &ctx->diag) < 0)
		return -1;
	keep_table(p, t);
	memset(it, 0, sizeof(*it));
	it->key = keep(p, xasprintf("%s-by-%s", item, by));
	it->title = report_title_of(t);
	it->charts = &p->charts[p->nitems * MAX_CHARTS];
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].total) {
			it->responses += t->rows[i].responses;
			it->blank += t->rows[i].blank;
			it->unrecognised += t->rows[i].unrecognised;
		}
	p->nitems++;

	/* The table as the scorer writes it: in the page, and as CSV. */
	score_table_write(t, SCORE_FMT_HTML, &out);
	it->table_html = keep(p, buf_detach(&out, NULL));
	score_table_write(t, SCORE_FMT_CSV, &out);
	path = xasprintf("%s/%s-table.csv", p->out, it->key);
	if (fs_write_atomic(path, out.data, out.len, &ctx->diag) < 0)
		p->nfailed++;
	free(path);
	buf_release(&out);

	memset(&s, 0, sizeof(s));
	s.last_years = p->recent;
	if (t->kind == SCORE_NUMBER) {
		snprintf(key, sizeof(key), "report.%s.stat", item);
		v = config_get(ctx->cfg, key);
		s.kind = REPORT_NUMBER;
		s.median = v != NULL && strcmp(v, "median") == 0;
		name = xasprintf("%s-%s", it->key, s.median ? "median" :
		    "mean");
		chart(ctx, p, it, t, &s, name);
		free(name);
		if (q.has_above && t->nlevels == 2) {
			s.kind = REPORT_GROUPED;
			s.share = t->level_keys[1];
			name = xasprintf("%s-above", it->key);
			chart(ctx, p, it, t, &s, name);
			free(name);
			s.kind = REPORT_TREND;
			s.last_years = 0;
			name = xasprintf("%s-above-trend", it->key);
			chart(ctx, p, it, t, &s, name);
			free(name);
		}
		return 0;
	}

	s.kind = REPORT_STACKED;
	snprintf(key, sizeof(key), "report.%s.favourable", item);
	if ((v = config_get(ctx->cfg, key)) != NULL) {
		if (strcmp(v, "first") != 0 && strcmp(v, "last") != 0)
			return diag_err(&ctx->diag, "%s: line %lu: %s is "
			    "'first' or 'last', not '%s'",
			    config_path(ctx->cfg), config_line(ctx->cfg, key),
			    key, v);
		s.favourable_last = strcmp(v, "last") == 0;
	}
	name = xasprintf("%s-stacked", it->key);
	chart(ctx, p, it, t, &s, name);
	free(name);

	share = share_of(ctx, item, t);
	ts = t;
	if (strchr(share, ',') != NULL) {
		q.groups = groups;
		q.ngroups = 1;
		groups[0] = share;
		if (score_breakdown(ctx->store, &q, &ts, &ctx->diag) < 0)
			goto out;
		keep_table(p, ts);
		s.full = t;
		for (char *c = share; *c != '\0'; c++)
			if (*c == ',')
				*c = '+';
	}
	s.share = share;
	s.kind = REPORT_TREND;
	s.last_years = 0;
	name = xasprintf("%s-trend", it->key);
	chart(ctx, p, it, ts, &s, name);
	free(name);
	s.kind = REPORT_MULTIPLES;
	name = xasprintf("%s-panels", it->key);
	chart(ctx, p, it, ts, &s, name);
	free(name);
	s.kind = REPORT_GROUPED;
	s.last_years = p->recent;
	name = xasprintf("%s-years", it->key);
	chart(ctx, p, it, ts, &s, name);
	free(name);
	rc = 0;
out:
	free(share);
	return rc;
}

static int
parse_formats(const char *list, struct report_opts *ro)
{
	char *s = xstrdup(list), *v[8];
	size_t n = split(s, v, 8);
	int rc = 0;

	ro->png = ro->svg = ro->pdf = ro->png_print = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i], "png") == 0)
			ro->png = 1;
		else if (strcmp(v[i], "svg") == 0)
			ro->svg = 1;
		else if (strcmp(v[i], "pdf") == 0)
			ro->pdf = 1;
		else if (strcmp(v[i], "print") == 0)
			ro->png_print = 1;
		else
			rc = -1;
	}
	free(s);
	return n == 0 ? -1 : rc;
}

static int
write_page(struct ctx *ctx, struct pack *p, const struct score_query *q,
    const char *title)
{
	struct report_pack pk;
	struct buf html = BUF_INIT, fmts = BUF_INIT;
	const char *ext[8];
	char *path;
	int rc;

	memset(&pk, 0, sizeof(pk));
	pk.title = title;
	pk.year_from = q->year_from;
	pk.year_to = q->year_to;
	for (size_t i = 0; i < p->ntables; i++) {
		if (pk.year_from == 0 || p->tables[i]->year_from < pk.year_from)
			pk.year_from = p->tables[i]->year_from;
		if (p->tables[i]->year_to > pk.year_to)
			pk.year_to = p->tables[i]->year_to;
	}
	pk.k = q->k;
	pk.conf = 0.95;
	pk.adjust = p->adjust_bh ? "Benjamini-Hochberg" : "Holm";
	pk.family = p->family;
	pk.suppressed = p->suppressed;
	pk.nexts = report_gp_formats(p->gp, ext, 8);
	pk.exts = ext;
	for (size_t i = 0; i < pk.nexts; i++)
		buf_addf(&fmts, "%s%s", i ? ", " : "", ext[i]);
	pk.formats = fmts.data;
	pk.items = p->items;
	pk.nitems = p->nitems;
	pk.nfailed = p->nfailed;
	report_pack_html(&pk, &html);
	path = xasprintf("%s/index.html", p->out);
	rc = fs_write_atomic(path, html.data, html.len, &ctx->diag);
	if (rc == 0 && !ctx->quiet)
		printf("%s\n", path);
	free(path);
	buf_release(&html);
	buf_release(&fmts);
	return rc;
}

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_OUT = OPT_FIRST_OWN, OPT_YEARS, OPT_ITEM, OPT_BY,
		OPT_FORMAT, OPT_TIMEOUT, OPT_TRACE };
	static const struct option opts[] = {
		{ "out", required_argument, NULL, OPT_OUT },
		{ "years", required_argument, NULL, OPT_YEARS },
		{ "year", required_argument, NULL, OPT_YEARS },
		{ "item", required_argument, NULL, OPT_ITEM },
		{ "by", required_argument, NULL, OPT_BY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "trace", required_argument, NULL, OPT_TRACE },
		CMD_COMMON_OPTIONS
	};
	struct score_query q;
	struct report_opts ro;
	struct pack p;
	const char *items_opt = NULL, *by_opt = NULL, *fmt_opt = NULL, *v;
	char *items_s = NULL, *by_s = NULL, *item[MAX_LIST], *dim[MAX_LIST];
	size_t nitem = 0, ndim = 0;
	long k, timeout = 0, recent = 3;
	int opt, rc = EXIT_OK;

	memset(&q, 0, sizeof(q));
	memset(&ro, 0, sizeof(ro));
	memset(&p, 0, sizeof(p));
	while ((opt = getopt_long(argc, argv, "o:" CMD_COMMON_SHORT, opts,
	    NULL)) != -1) {
		if (cmd_common_opt(&cmd_report, ctx, opt, optarg, &rc)) {
			if (opt == 'h')
				return rc;
			continue;
		}
		switch (opt) {
		case 'o':
		case OPT_OUT:
			p.out = optarg;
			break;
		case OPT_YEARS:
			if (cmd_parse_years(optarg, &q.year_from,
			    &q.year_to) < 0)
				return cmd_usage_error(&cmd_report, "--years "
				    "takes a year or a range such as 2019-2025"
				    ", not '%s'", optarg);
			break;
		case OPT_ITEM:
			items_opt = optarg;
			break;
		case OPT_BY:
			by_opt = optarg;
			break;
		case OPT_FORMAT:
			fmt_opt = optarg;
			break;
		case OPT_TIMEOUT:
			timeout = strtol(optarg, NULL, 10);
			if (timeout < 1 || timeout > 3600)
				return cmd_usage_error(&cmd_report, "--timeout "
				    "takes seconds, 1 to 3600");
			break;
		case OPT_TRACE:
			ro.trace = optarg;
			break;
		default:
			return cmd_usage_error(&cmd_report, "unknown option");
		}
	}
	if (p.out == NULL)
		return cmd_usage_error(&cmd_report, "--out DIR is required");
	if (optind != argc)
		return cmd_usage_error(&cmd_report, "unexpected argument '%s'",
		    argv[optind]);
	if ((k = ctx_k(ctx)) < 0)
		return ctx_exit(ctx);
	q.k = (int)k;
	q.change = 1;
	if (config_get_int(ctx->cfg, "report.recent", 1, 50, &recent,
	    &ctx->diag) < 0 || (timeout == 0 && config_get_int(ctx->cfg,
	    "report.timeout", 1, 3600, &timeout, &ctx->diag) < 0))
		return ctx_exit(ctx);
	p.recent = (int)recent;
	if ((v = config_get(ctx->cfg, "report.page")) != NULL) {
		if (strcmp(v, "a4") != 0 && strcmp(v, "none") != 0) {
			diag_err(&ctx->diag, "%s: line %lu: report.page is "
			    "'a4' or 'none', not '%s'", config_path(ctx->cfg),
			    config_line(ctx->cfg, "report.page"), v);
			return ctx_exit(ctx);
		}
		p.a4 = strcmp(v, "a4") == 0;
	}
	if (fmt_opt == NULL)
		fmt_opt = config_get(ctx->cfg, "report.formats");
	if (parse_formats(fmt_opt != NULL ? fmt_opt : "png,print,svg,pdf",
	    &ro) < 0)
		return cmd_usage_error(&cmd_report, "formats are png, print "
		    "(PNG at 300 dpi), svg and pdf, comma-separated");
	ro.gnuplot = gnuplot_path(ctx);
	ro.timeout_ms = (unsigned)(timeout ? timeout : 30) * 1000;
	ro.background = 1;
	if (ctx_store(ctx, STORE_RO) == NULL ||
	    fs_mkdir_p(p.out, &ctx->diag) < 0)
		goto out;
	if (items_opt == NULL)
		items_opt = config_get(ctx->cfg, "report.items");
	items_s = items_opt != NULL ? xstrdup(items_opt) :
	    default_items(ctx, q.year_from, q.year_to);
	if (by_opt == NULL && (v = config_get(ctx->cfg, "report.by")) != NULL)
		by_opt = v;
	by_s = xstrdup(by_opt != NULL ? by_opt : "team");
	nitem = split(items_s, item, MAX_LIST);
	ndim = split(by_s, dim, MAX_LIST);
	if (nitem == 0 || ndim == 0) {
		cmd_usage_error(&cmd_report, "no items or dimensions to draw");
		rc = EXIT_USAGE;
		goto out;
	}
	p.items = xcalloc(nitem * ndim, sizeof(*p.items));
	p.charts = xcalloc(nitem * ndim * MAX_CHARTS, sizeof(*p.charts));
	p.words = xcalloc(nitem * ndim * MAX_CHARTS, sizeof(*p.words));
	if ((p.gp = report_gp_open(&ro, &ctx->diag)) == NULL)
		goto out;
	for (size_t d = 0; d < ndim; d++)
		for (size_t i = 0; i < nitem; i++)
			if (do_item(ctx, &p, &q, item[i], dim[d]) < 0)
				goto out;
	finish(ctx, &p);
	v = config_get(ctx->cfg, "report.title");
	write_page(ctx, &p, &q, v != NULL ? v : "Workforce Health Check");
out:
	report_gp_close(p.gp);
	for (size_t i = 0; i < p.ntables; i++)
		score_table_free(p.tables[i]);
	free(p.tables);
	for (size_t i = 0; p.words != NULL && i < nitem * ndim * MAX_CHARTS;
	    i++)
		report_words_release(&p.words[i]);
	free(p.words);
	free(p.charts);
	free(p.items);
	for (size_t i = 0; i < p.nstrings; i++)
		free(p.strings[i]);
	free(p.strings);
	free(items_s);
	free(by_s);
	return rc != EXIT_OK ? rc : ctx_exit(ctx);
}

const struct cmd cmd_report = {
	.name = "report",
	.summary = "the committee pack: charts, tables and index.html",
	.usage = "whc report --out DIR [--years Y1-Y2] [--item I1,I2...] "
	    "[--by DIM,...]\n"
	    "           [--format png,print,svg,pdf] [--timeout SECS] "
	    "[--trace FILE]",
	.flags = CMD_STORE_RO,
	.run = run,
};
