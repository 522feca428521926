/* SPDX-License-Identifier: MIT */
/* whc report: charts (through gnuplot) and their tables into a directory. */
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
#include "reports/report.h"
#include "scorer/score.h"

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

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_OUT = OPT_FIRST_OWN, OPT_YEARS, OPT_ITEM, OPT_BY };
	static const struct option opts[] = {
		{ "out", required_argument, NULL, OPT_OUT },
		{ "years", required_argument, NULL, OPT_YEARS },
		{ "year", required_argument, NULL, OPT_YEARS },
		{ "item", required_argument, NULL, OPT_ITEM },
		{ "by", required_argument, NULL, OPT_BY },
		CMD_COMMON_OPTIONS
	};
	struct score_query q = { .item = "stress", .by = "team", .k = 5 };
	struct report_opts ro;
	struct report_gp *gp = NULL;
	struct score_table *t = NULL;
	struct buf csv = BUF_INIT;
	const char *out = NULL;
	char *base = NULL, *path = NULL;
	long k;
	int opt, rc = EXIT_OK;

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
			out = optarg;
			break;
		case OPT_YEARS:
			if (cmd_parse_years(optarg, &q.year_from,
			    &q.year_to) < 0)
				return cmd_usage_error(&cmd_report, "--years "
				    "takes a year or a range such as 2019-2025"
				    ", not '%s'", optarg);
			break;
		case OPT_ITEM:
			q.item = optarg;
			break;
		case OPT_BY:
			q.by = optarg;
			break;
		default:
			return cmd_usage_error(&cmd_report, "unknown option");
		}
	}
	if (out == NULL)
		return cmd_usage_error(&cmd_report, "--out DIR is required");
	if (optind != argc)
		return cmd_usage_error(&cmd_report, "unexpected argument '%s'",
		    argv[optind]);
	if ((k = ctx_k(ctx)) < 0)
		return ctx_exit(ctx);
	q.k = (int)k;
	if (ctx_store(ctx, STORE_RO) == NULL ||
	    score_breakdown(ctx->store, &q, &t, &ctx->diag) < 0 ||
	    fs_mkdir_p(out, &ctx->diag) < 0)
		goto out;
	base = xasprintf("%s-by-%s", q.item, q.by);
	path = xasprintf("%s/%s.csv", out, base);
	score_table_write(t, SCORE_FMT_CSV, &csv);
	if (fs_write_atomic(path, csv.data, csv.len, &ctx->diag) < 0)
		goto out;
	memset(&ro, 0, sizeof(ro));
	ro.gnuplot = gnuplot_path(ctx);
	ro.timeout_ms = 30000;
	ro.png = ro.svg = 1;
	if ((gp = report_gp_open(&ro, &ctx->diag)) == NULL ||
	    report_stacked(gp, t, out, base, &ctx->diag) < 0)
		goto out;
	if (!ctx->quiet)
		printf("%s/%s.png\n%s/%s.svg\n%s\n", out, base, out, base,
		    path);
out:
	report_gp_close(gp);
	score_table_free(t);
	buf_release(&csv);
	free(base);
	free(path);
	return ctx_exit(ctx);
}

const struct cmd cmd_report = {
	.name = "report",
	.summary = "draw charts of an item by team, with their tables",
	.usage = "whc report --out DIR [--years Y1-Y2] [--item ITEM] "
	    "[--by DIM]",
	.flags = CMD_STORE_RO,
	.run = run,
};
