/* SPDX-License-Identifier: MIT */
/* whc breakdown: an item's answers by dimensions, with disclosure control. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/exit.h"
#include "common/buf.h"
#include "common/config.h"
#include "common/diag.h"
#include "common/store.h"
#include "scorer/score.h"

#define MAX_GROUPS	8

/* The command line as run, quoted for a shell, for the release ledger. */
static char *
command_line(int argc, char **argv)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "whc");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		buf_addc(&b, ' ');
		if (*a != '\0' && strspn(a, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=.,/:+") ==
		    strlen(a)) {
			buf_adds(&b, a);
			continue;
		}
		buf_addc(&b, '\'');
		for (; *a; a++)
			if (*a == '\'')
				buf_adds(&b, "'\\''");
			else
				buf_addc(&b, *a);
		buf_addc(&b, '\'');
	}
	return buf_detach(&b, NULL);
}

static int
parse_number(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return end == s || *end != '\0' || errno || !isfinite(*out) ? -1 : 0;
}

/* The threshold: disclosure.k, raised by disclosure.k.ITEM and --k. */
static int
threshold(struct ctx *ctx, const char *item, long kopt, int *k)
{
	struct config *cfg = ctx_config(ctx);
	long base, ik = 0;
	char key[160];

	if ((base = ctx_k(ctx)) < 0)
		return -1;
	snprintf(key, sizeof(key), "disclosure.k.%s", item);
	if (cfg != NULL && config_get_int(cfg, key, 1, 1000, &ik,
	    &ctx->diag) < 0)
		return -1;
	if (ik > base)
		base = ik;
	if (kopt && kopt < base) {
		diag_err(&ctx->diag, "cannot use --k %ld: the configured "
		    "threshold%s is %ld, and a breakdown may only be more "
		    "cautious", kopt, ik == base ? " for this item" : "",
		    base);
		return -1;
	}
	*k = (int)(kopt ? kopt : base);
	return 0;
}

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_BY = OPT_FIRST_OWN, OPT_YEAR, OPT_FORMAT, OPT_K, OPT_WHERE,
		OPT_GROUP, OPT_ABOVE, OPT_ROLLUP, OPT_LEVEL, OPT_CHANGE,
		OPT_CHISQ, OPT_ADJUST, OPT_MIN_N, OPT_HEADCOUNT, OPT_NOTE,
		OPT_INTERNAL };
	static const struct option opts[] = {
		{ "by", required_argument, NULL, OPT_BY },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "years", required_argument, NULL, OPT_YEAR },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "k", required_argument, NULL, OPT_K },
		{ "where", required_argument, NULL, OPT_WHERE },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "above", required_argument, NULL, OPT_ABOVE },
		{ "rollup", no_argument, NULL, OPT_ROLLUP },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "change", no_argument, NULL, OPT_CHANGE },
		{ "chisq", no_argument, NULL, OPT_CHISQ },
		{ "adjust", required_argument, NULL, OPT_ADJUST },
		{ "min-test-n", required_argument, NULL, OPT_MIN_N },
		{ "headcount", required_argument, NULL, OPT_HEADCOUNT },
		{ "note", required_argument, NULL, OPT_NOTE },
		{ "internal", no_argument, NULL, OPT_INTERNAL },
		CMD_COMMON_OPTIONS
	};
	const char *groups[MAX_GROUPS], *hcfile = NULL, *note = NULL;
	struct score_query q;
	enum score_format fmt = SCORE_FMT_MD;
	struct score_headcount *hc = NULL;
	struct score_table *t = NULL;
	struct buf out = BUF_INIT;
	char *end, *cmdline = NULL;
	long kopt = 0, v;
	double x;
	size_t nhc = 0;
	int opt, rc = EXIT_OK;

	memset(&q, 0, sizeof(q));
	q.by = "team";
	q.groups = groups;
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
				    "--format takes csv, json, md or html, not "
				    "'%s'", optarg);
			break;
		case OPT_K:
			kopt = strtol(optarg, &end, 10);
			if (*end != '\0' || kopt < 1 || kopt > 1000)
				return cmd_usage_error(&cmd_breakdown, "--k "
				    "takes a whole number from 1 to 1000");
			break;
		case OPT_WHERE:
			q.where = optarg;
			break;
		case OPT_GROUP:
			if (q.ngroups == MAX_GROUPS)
				return cmd_usage_error(&cmd_breakdown, "at "
				    "most %d --group options", MAX_GROUPS);
			groups[q.ngroups++] = optarg;
			break;
		case OPT_ABOVE:
			if (parse_number(optarg, &q.above) < 0)
				return cmd_usage_error(&cmd_breakdown,
				    "--above takes a number, not '%s'", optarg);
			q.has_above = 1;
			break;
		case OPT_ROLLUP:
			q.rollup = 1;
			break;
		case OPT_LEVEL:
			if (parse_number(optarg, &x) < 0 || x <= 0 ||
			    (x >= 1 && (x < 50 || x >= 100)))
				return cmd_usage_error(&cmd_breakdown,
				    "--level takes a confidence level such as "
				    "95 or 0.95, not '%s'", optarg);
			q.conf = x >= 1 ? x / 100 : x;
			break;
		case OPT_CHANGE:
			q.change = 1;
			break;
		case OPT_CHISQ:
			q.chisq = 1;
			break;
		case OPT_ADJUST:
			if (strcmp(optarg, "holm") == 0)
				q.adjust = SCORE_ADJ_HOLM;
			else if (strcmp(optarg, "bh") == 0)
				q.adjust = SCORE_ADJ_BH;
			else
				return cmd_usage_error(&cmd_breakdown,
				    "--adjust takes holm or bh, not '%s'",
				    optarg);
			break;
		case OPT_MIN_N:
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 2 || v > 100000)
				return cmd_usage_error(&cmd_breakdown,
				    "--min-test-n takes a whole number of 2 or "
				    "more");
			q.min_test_n = (int)v;
			break;
		case OPT_HEADCOUNT:
			hcfile = optarg;
			break;
		case OPT_NOTE:
			note = optarg;
			break;
		case OPT_INTERNAL:
			q.internal = 1;
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
	if (note != NULL && q.internal)
		return cmd_usage_error(&cmd_breakdown, "--note is for the "
		    "release ledger, and --internal keeps the table out of it");
	q.item = argv[optind];
	if (threshold(ctx, q.item, kopt, &q.k) < 0)
		return ctx_exit(ctx);
	if (hcfile != NULL) {
		if (score_headcount_load(hcfile, &hc, &nhc, &ctx->diag) < 0)
			return ctx_exit(ctx);
		q.headcount = hc;
		q.nheadcount = nhc;
		q.headcount_source = hcfile;
	}
	cmdline = command_line(argc, argv);
	if (ctx_store(ctx, STORE_RW | STORE_EXISTING) == NULL ||
	    score_breakdown(ctx->store, &q, &t, &ctx->diag) < 0 ||
	    score_release(ctx->store, t, cmdline, note, &ctx->diag) < 0) {
		rc = ctx_exit(ctx);
		goto out;
	}
	score_table_write(t, fmt, &out);
	rc = ctx_write_stdout(ctx, out.data, out.len);
out:
	buf_release(&out);
	score_table_free(t);
	score_headcount_free(hc, nhc);
	free(cmdline);
	return rc;
}

const struct cmd cmd_breakdown = {
	.name = "breakdown",
	.summary = "an item's answers by team (or other dimensions), "
	    "safely",
	.usage = "whc breakdown ITEM [--by DIM[,DIM...]] [--year Y|Y1-Y2] "
	    "[--where EXPR]\n"
	    "           [--group L1,L2,...] [--above X] [--rollup] "
	    "[--format csv|json|md|html]\n"
	    "           [--level 95] [--headcount FILE] [--change] "
	    "[--chisq] [--adjust holm|bh]\n"
	    "           [--min-test-n 30] [--k N] [--note TEXT] "
	    "[--internal]",
	.flags = CMD_STORE_RW,
	.run = run,
};
