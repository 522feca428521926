/* SPDX-License-Identifier: MIT */
/* whc breakdown: an item's answers by a dimension, with disclosure control. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/exit.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "scorer/score.h"

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_BY = OPT_FIRST_OWN, OPT_YEAR, OPT_FORMAT, OPT_K };
	static const struct option opts[] = {
		{ "by", required_argument, NULL, OPT_BY },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "years", required_argument, NULL, OPT_YEAR },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "k", required_argument, NULL, OPT_K },
		CMD_COMMON_OPTIONS
	};
	struct score_query q = { NULL, "team", 0, 0, 5 };
	enum score_format fmt = SCORE_FMT_MD;
	struct score_table *t;
	struct buf out = BUF_INIT;
	long k, kopt = 0;
	char *end;
	int opt, rc = EXIT_OK;

	while ((opt = getopt_long(argc, argv, CMD_COMMON_SHORT, opts,
	    NULL)) != -1) {
		if (cmd_common_opt(&cmd_breakdown, ctx, opt, optarg, &rc)) {
			if (opt == 'h')
				return rc;
			continue;
		}
		switch (opt) {
		case OPT_BY:
			q.by = optarg;
			break;
		case OPT_YEAR:
			if (cmd_parse_years(optarg, &q.year_from,
			    &q.year_to) < 0)
				return cmd_usage_error(&cmd_breakdown, "--year "
				    "takes a year (2024) or a range "
				    "(2019-2025), not '%s'", optarg);
			break;
		case OPT_FORMAT:
			if (score_format_parse(optarg, &fmt) < 0)
				return cmd_usage_error(&cmd_breakdown,
				    "--format takes csv, json or md, not '%s'",
				    optarg);
			break;
		case OPT_K:
			kopt = strtol(optarg, &end, 10);
			if (*end != '\0' || kopt < 1 || kopt > 1000)
				return cmd_usage_error(&cmd_breakdown, "--k "
				    "takes a whole number from 1 to 1000");
			break;
		default:
			return cmd_usage_error(&cmd_breakdown,
			    "unknown option");
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(&cmd_breakdown, optind >= argc ?
		    "which item? (e.g. 'whc breakdown stress')" :
		    "one item at a time");
	q.item = argv[optind];
	if ((k = ctx_k(ctx)) < 0)
		return ctx_exit(ctx);
	if (kopt && kopt < k) {
		diag_err(&ctx->diag, "cannot use --k %ld: the configured "
		    "threshold is %ld, and a breakdown may only be more "
		    "cautious", kopt, k);
		return ctx_exit(ctx);
	}
	q.k = (int)(kopt ? kopt : k);
	if (ctx_store(ctx, STORE_RO) == NULL ||
	    score_breakdown(ctx->store, &q, &t, &ctx->diag) < 0)
		return ctx_exit(ctx);
	score_table_write(t, fmt, &out);
	rc = ctx_write_stdout(ctx, out.data, out.len);
	buf_release(&out);
	score_table_free(t);
	return rc;
}

const struct cmd cmd_breakdown = {
	.name = "breakdown",
	.summary = "an item's answers by team (or another dimension), "
	    "safely",
	.usage = "whc breakdown ITEM [--by DIM] [--year Y|Y1-Y2] "
	    "[--format csv|json|md] [--k N]",
	.flags = CMD_STORE_RO,
	.run = run,
};
