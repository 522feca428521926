/* SPDX-License-Identifier: MIT */
/* whc releases: the release ledger, newest first. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/exit.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "scorer/score.h"

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_FORMAT = OPT_FIRST_OWN };
	static const struct option opts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		CMD_COMMON_OPTIONS
	};
	enum score_format fmt = SCORE_FMT_MD;
	struct buf out = BUF_INIT;
	int opt, rc = EXIT_OK;

	while ((opt = getopt_long(argc, argv, CMD_COMMON_SHORT, opts,
	    NULL)) != -1) {
		if (cmd_common_opt(&cmd_releases, ctx, opt, optarg, &rc)) {
			if (opt == 'h')
				return rc;
			continue;
		}
		if (opt != OPT_FORMAT)
			return cmd_usage_error(&cmd_releases,
			    "unknown option");
		if (score_format_parse(optarg, &fmt) < 0 ||
		    fmt == SCORE_FMT_HTML)
			return cmd_usage_error(&cmd_releases, "--format takes "
			    "md, csv or json, not '%s'", optarg);
	}
	if (optind != argc)
		return cmd_usage_error(&cmd_releases, "no arguments expected");
	if (ctx_store(ctx, STORE_RO) == NULL ||
	    score_releases_write(ctx->store, fmt, &out, &ctx->diag) < 0) {
		buf_release(&out);
		return ctx_exit(ctx);
	}
	rc = ctx_write_stdout(ctx, out.data, out.len);
	buf_release(&out);
	return rc;
}

const struct cmd cmd_releases = {
	.name = "releases",
	.summary = "the release ledger: every breakdown published, newest "
	    "first",
	.usage = "whc releases [--format md|csv|json]",
	.flags = CMD_STORE_RO,
	.run = run,
};
