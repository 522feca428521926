/* SPDX-License-Identifier: MIT */
/*
 * whc: the Workforce Health Check engine.  main() finds the command in the
 * table, gives it a context (config, store, diagnostics) and turns what the
 * diagnostics hold into the exit status.  Only cli/ prints or exits.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/exit.h"
#include "collector/collect.h"
#include "common/buf.h"
#include "common/config.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/xalloc.h"

/* Keep sorted by name. */
static const struct cmd *const commands[] = {
	&cmd_breakdown,
	&cmd_check,
	&cmd_collect,
	&cmd_import,
	&cmd_quality,
	&cmd_releases,
	&cmd_renormalise,
	&cmd_report,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char exit_help[] =
    "Exit status: 0 ok (warnings allowed), 1 bad input or data, 2 bad "
    "command line,\n3 environment (I/O, database, network, gnuplot).\n";

static void
help(FILE *fp)
{
	fprintf(fp, "usage: whc [--db PATH] [--config PATH] [-q] [-v] "
	    "COMMAND [ARGS]\n       whc COMMAND --help\n       whc --version"
	    "\n\nThe Workforce Health Check engine: load staff-survey responses"
	    ",\nbreak them down safely, and chart them for committee papers."
	    "\n\nCommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-10s  %s\n", commands[i]->name,
		    commands[i]->summary);
	fprintf(fp, "\nOptions (before or after the command):\n"
	    "  --db PATH      the store (default: WHC_DB, the config's "
	    "store.db, ./whc.db)\n"
	    "  --config PATH  the config file (default: WHC_CONFIG, "
	    "./whc.conf)\n"
	    "  -q, --quiet    print only errors\n"
	    "  -v, --verbose  say more\n\n%s", exit_help);
}

static void
emit(const struct diag_entry *e, void *arg)
{
	struct ctx *ctx = arg;

	if (ctx->quiet && e->sev != DIAG_SEV_ERROR)
		return;
	fflush(stdout);
	fprintf(stderr, "whc: %s\n", e->text);
}

int
cmd_usage_error(const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "whc %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n(see 'whc %s --help')\n", c->usage,
	    c->name);
	return EXIT_USAGE;
}

int
cmd_common_opt(const struct cmd *c, struct ctx *ctx, int opt,
    const char *arg, int *exit_code)
{
	switch (opt) {
	case OPT_DB:
		ctx->db_opt = arg;
		return 1;
	case OPT_CONFIG:
		ctx->config_opt = arg;
		return 1;
	case 'q':
		ctx->quiet = 1;
		return 1;
	case 'v':
		ctx->verbose = 1;
		return 1;
	case 'h':
		printf("usage: %s\n\n%s\nCommon options: --db PATH, --config "
		    "PATH, -q/--quiet, -v/--verbose, -h/--help.\n%s",
		    c->usage, c->summary, exit_help);
		*exit_code = EXIT_OK;
		return 1;
	}
	return 0;
}

struct config *
ctx_config(struct ctx *ctx)
{
	const char *path = ctx->config_opt;
	int must = path != NULL;

	if (ctx->cfg != NULL)
		return ctx->cfg;
	if (path == NULL && (path = getenv("WHC_CONFIG")) != NULL &&
	    *path != '\0')
		must = 1;
	if (path == NULL || *path == '\0')
		path = "whc.conf";
	ctx->cfg = config_load(path, must, &ctx->diag);
	return ctx->cfg;
}

long
ctx_k(struct ctx *ctx)
{
	struct config *cfg = ctx_config(ctx);
	long k = 5;

	if (cfg == NULL ||
	    config_get_int(cfg, "disclosure.k", 1, 1000, &k, &ctx->diag) < 0)
		return -1;
	return k;
}

/* A path from the config is relative to the config file's directory. */
static char *
config_relative(struct config *cfg, const char *p)
{
	const char *cp = config_path(cfg), *slash;

	if (p[0] == '/' || cp == NULL || (slash = strrchr(cp, '/')) == NULL)
		return xstrdup(p);
	return xasprintf("%.*s/%s", (int)(slash - cp), cp, p);
}

char *
ctx_qn_dirs(struct ctx *ctx)
{
	struct config *cfg = ctx_config(ctx);
	const char *p = cfg ? config_get(cfg, "questionnaires.path") : NULL;
	struct buf b = BUF_INIT;

	if (p != NULL) {
		char *r = config_relative(cfg, p);

		buf_addf(&b, "%s:", r);
		free(r);
	}
	buf_adds(&b, "questionnaires/defs:" WHC_DATADIR "/questionnaires");
	return buf_detach(&b, NULL);
}

struct store *
ctx_store(struct ctx *ctx, unsigned flags)
{
	struct config *cfg;
	const char *p = ctx->db_opt;

	if (ctx->store != NULL)
		return ctx->store;
	if ((cfg = ctx_config(ctx)) == NULL)
		return NULL;
	if (p == NULL && (p = getenv("WHC_DB")) != NULL && *p == '\0')
		p = NULL;
	if (p != NULL)
		ctx->db_path = xstrdup(p);
	else if ((p = config_get(cfg, "store.db")) != NULL)
		ctx->db_path = config_relative(cfg, p);
	else
		ctx->db_path = xstrdup("whc.db");
	ctx->store = store_open(ctx->db_path, flags, &ctx->diag);
	return ctx->store;
}

int
ctx_exit(const struct ctx *ctx)
{
	if (diag_errors(&ctx->diag) == 0)
		return EXIT_OK;
	return ctx->diag.worst_class ? ctx->diag.worst_class : EXIT_DATA;
}

int
ctx_write_stdout(struct ctx *ctx, const char *p, size_t len)
{
	if (fwrite(p, 1, len, stdout) != len) {
		diag_errno(&ctx->diag, "cannot write to standard output");
		return EXIT_ENV;
	}
	return EXIT_OK;
}

int
cmd_parse_years(const char *s, int *from, int *to)
{
	char *end;
	long a, b;

	errno = 0;
	a = strtol(s, &end, 10);
	if (end == s || errno || a < 1900 || a > 2999)
		return -1;
	b = a;
	if (*end == '-') {
		s = end + 1;
		b = strtol(s, &end, 10);
		if (end == s || errno || b < a || b > 2999)
			return -1;
	}
	if (*end != '\0')
		return -1;
	*from = (int)a;
	*to = (int)b;
	return 0;
}

static const struct cmd *
find_cmd(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

/* Checks that everything written to stdout reached it. */
static int
close_stdout(struct ctx *ctx)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag_errno(&ctx->diag, "cannot write to standard output");
		return EXIT_ENV;
	}
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "version", no_argument, NULL, 'V' },
		CMD_COMMON_OPTIONS
	};
	static const struct cmd global = { "whc", "", "whc [OPTIONS] COMMAND "
	    "[ARGS]", 0, NULL };
	struct ctx ctx;
	const struct cmd *c;
	int opt, rc = -1;

	memset(&ctx, 0, sizeof(ctx));
	diag_init(&ctx.diag);
	ctx.diag.emit = emit;
	ctx.diag.arg = &ctx;
	ctx.tty = isatty(2);
	/* Global options stop at the command name. */
	while ((opt = getopt_long(argc, argv, "+" CMD_COMMON_SHORT, opts,
	    NULL)) != -1) {
		if (opt == 'V' || opt == 'h') {
			if (opt == 'V')
				printf("whc %s\n", WHC_VERSION);
			else
				help(stdout);
			rc = close_stdout(&ctx);
			goto out;
		}
		if (!cmd_common_opt(&global, &ctx, opt, optarg, &rc)) {
			help(stderr);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (optind >= argc) {
		help(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((c = find_cmd(argv[optind])) == NULL) {
		fprintf(stderr, "whc: '%s' is not a whc command; see 'whc "
		    "--help'\n", argv[optind]);
		rc = EXIT_USAGE;
		goto out;
	}
	ctx.cmd = c->name;
	argc -= optind;
	argv += optind;
	optind = 0;		/* reset getopt for the command */
	if ((c->flags & CMD_NETWORK) &&
	    collect_global_init(&ctx.diag) < 0) {
		rc = ctx_exit(&ctx);
		goto out;
	}
	rc = c->run(argc, argv, &ctx);
	if (c->flags & CMD_NETWORK)
		collect_global_cleanup();
	if (rc == EXIT_OK)
		rc = ctx_exit(&ctx);
	if (close_stdout(&ctx) != EXIT_OK && rc == EXIT_OK)
		rc = EXIT_ENV;
	if (ctx.diag.dropped)
		fprintf(stderr, "whc: %lu more diagnostics of the same kinds "
		    "were not shown\n", ctx.diag.dropped);
out:
	store_close(ctx.store);
	config_free(ctx.cfg);
	free(ctx.db_path);
	diag_release(&ctx.diag);
	return rc;
}
