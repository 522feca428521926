/* SPDX-License-Identifier: MIT */
/*
 * whc renormalise: after a fix to a definition or its team map, re-derive
 * the stored responses' normalised answers from their raw answers, in one
 * transaction, without reading any export again.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/exit.h"
#include "collector/collect.h"
#include "common/diag.h"
#include "common/store.h"

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_YEAR = OPT_FIRST_OWN, OPT_DRY };
	static const struct option opts[] = {
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "years", required_argument, NULL, OPT_YEAR },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		CMD_COMMON_OPTIONS
	};
	struct collect_renorm_opts o = { 0, 0, NULL, 0 };
	struct collect_renorm_stats s;
	char *dirs;
	int opt, rc = EXIT_OK;

	while ((opt = getopt_long(argc, argv, "n" CMD_COMMON_SHORT, opts,
	    NULL)) != -1) {
		if (cmd_common_opt(&cmd_renormalise, ctx, opt, optarg, &rc)) {
			if (opt == 'h')
				return rc;
			continue;
		}
		switch (opt) {
		case OPT_YEAR:
			if (cmd_parse_years(optarg, &o.year_from,
			    &o.year_to) < 0)
				return cmd_usage_error(&cmd_renormalise,
				    "--year takes a year (2024) or a range "
				    "(2019-2025), not '%s'", optarg);
			break;
		case 'n':
		case OPT_DRY:
			o.dry_run = 1;
			break;
		default:
			return cmd_usage_error(&cmd_renormalise,
			    "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error(&cmd_renormalise, "unexpected argument "
		    "'%s'", argv[optind]);
	if (ctx_config(ctx) == NULL ||
	    ctx_store(ctx, STORE_RW | STORE_EXISTING) == NULL)
		return ctx_exit(ctx);
	dirs = ctx_qn_dirs(ctx);
	o.dirs = dirs;
	if (collect_renormalise(ctx->store, &o, &s, &ctx->diag) < 0) {
		free(dirs);
		collect_renorm_stats_release(&s);
		return ctx_exit(ctx);
	}
	free(dirs);
	if (!ctx->quiet) {
		for (size_t i = 0; i < s.nlines; i++)
			printf("%s\n", s.lines[i]);
		printf("%lu of %lu responses %s; the data-quality ledgers "
		    "of %lu batch%s %s\n", s.changed, s.responses,
		    o.dry_run ? "would change" : "changed", s.ledgers,
		    s.ledgers == 1 ? "" : "es", o.dry_run ? "would be brought "
		    "up to date (dry run: nothing was changed)" : "brought up "
		    "to date");
	}
	collect_renorm_stats_release(&s);
	return EXIT_OK;
}

const struct cmd cmd_renormalise = {
	.name = "renormalise",
	.summary = "re-derive stored answers after a definition or team "
	    "map fix",
	.usage = "whc renormalise [--year Y|Y1-Y2] [-n|--dry-run]",
	.flags = CMD_STORE_RW,
	.run = run,
};
