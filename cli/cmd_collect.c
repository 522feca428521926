/* SPDX-License-Identifier: MIT */
/* whc collect: fetch new and changed responses from providers' APIs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/exit.h"
#include "collector/collect.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/xalloc.h"

struct out {
	struct ctx	*ctx;
	int		 line;		/* a progress line is showing */
	/* The diagnostics' own printer, called after clearing the line. */
	void		(*emit)(const struct diag_entry *, void *arg);
	void		*emit_arg;
};

static void
progress(const struct collect_progress *p, void *arg)
{
	struct out *o = arg;
	double rate = p->elapsed > 0 ? (double)p->responses / p->elapsed : 0;

	fprintf(stderr, "\r\033[Kwhc: collecting '%s': %lu page%s, %lu "
	    "responses", p->source, p->pages, p->pages == 1 ? "" : "s",
	    p->responses);
	if (p->total > p->responses)
		fprintf(stderr, " of %lu", p->total);
	fprintf(stderr, ", %lu requests, %.0f/s", p->requests, rate);
	if (p->total > p->responses && rate > 0)
		fprintf(stderr, ", ETA %.0f s",
		    (double)(p->total - p->responses) / rate);
	fflush(stderr);
	o->line = 1;
}

static void
clear_line(struct out *o)
{
	if (o->line) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
		o->line = 0;
	}
}

static void
log_line(const char *line, void *arg)
{
	struct out *o = arg;

	clear_line(o);
	fprintf(stderr, "whc: %s\n", line);
}

static void
done(const struct collect_summary *s, void *arg)
{
	struct out *o = arg;
	const struct collect_stats *st = s->stats;

	clear_line(o);
	if (o->ctx->quiet || !s->ok)
		return;
	printf("%s: %lu responses read from %s for %s (%d): %lu new or "
	    "changed, %lu unchanged; %lu blank answers, %lu unrecognised, %lu "
	    "bad numbers, %lu unknown teams; %lu requests, %.1f s\n",
	    s->source, st->rows, s->provider, s->qn ? s->qn : "?", s->year,
	    st->changed, st->unchanged, st->blank, st->unrecognised,
	    st->bad_numbers, st->unknown_teams, s->requests, s->elapsed);
	fflush(stdout);
}

/* Prints a diagnostic on a line of its own, not after the progress. */
static void
emit_diag(const struct diag_entry *e, void *arg)
{
	struct out *o = arg;

	clear_line(o);
	o->emit(e, o->emit_arg);
}

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_SOURCE = OPT_FIRST_OWN };
	static const struct option opts[] = {
		{ "source", required_argument, NULL, OPT_SOURCE },
		CMD_COMMON_OPTIONS
	};
	struct collect_opts co;
	struct out o = { ctx, 0, NULL, NULL };
	char **names = NULL;
	size_t nnames = 0;
	char *dirs;
	int opt, rc = EXIT_OK;

	memset(&co, 0, sizeof(co));
	while ((opt = getopt_long(argc, argv, CMD_COMMON_SHORT, opts,
	    NULL)) != -1) {
		if (cmd_common_opt(&cmd_collect, ctx, opt, optarg, &rc)) {
			if (opt == 'h')
				goto out;
			continue;
		}
		if (opt == OPT_SOURCE) {
			names = xreallocarray(names, nnames + 1,
			    sizeof(*names));
			names[nnames++] = optarg;
			continue;
		}
		rc = cmd_usage_error(&cmd_collect, "unknown option");
		goto out;
	}
	if (optind < argc) {
		rc = cmd_usage_error(&cmd_collect, "unexpected argument '%s' "
		    "(sources are named with --source)", argv[optind]);
		goto out;
	}
	co.sources = names;
	co.nsources = nnames;
	/* No store is created for a config with nothing to collect. */
	if (ctx_config(ctx) == NULL ||
	    collect_sources_check(ctx->cfg, &co, &ctx->diag) < 0 ||
	    ctx_store(ctx, STORE_RW) == NULL) {
		rc = ctx_exit(ctx);
		goto out;
	}
	co.arg = &o;
	co.done = done;
	if (ctx->tty && !ctx->quiet && ctx->diag.emit != NULL) {
		co.progress = progress;
		o.emit = ctx->diag.emit;
		o.emit_arg = ctx->diag.arg;
		ctx->diag.emit = emit_diag;
		ctx->diag.arg = &o;
	}
	if (ctx->verbose)
		co.log = log_line;
	dirs = ctx_qn_dirs(ctx);
	if (collect_sources(ctx->store, ctx->cfg, dirs, &co, &ctx->diag) < 0)
		rc = ctx_exit(ctx);
	clear_line(&o);
	if (o.emit != NULL) {
		ctx->diag.emit = o.emit;
		ctx->diag.arg = o.emit_arg;
	}
	free(dirs);
out:
	free(names);
	return rc;
}

const struct cmd cmd_collect = {
	.name = "collect",
	.summary = "fetch new and changed responses from survey providers",
	.usage = "whc collect [--source NAME]...",
	.flags = CMD_STORE_RW | CMD_NETWORK,
	.run = run,
};
