/* SPDX-License-Identifier: MIT */
/* whc import: load CSV files exported by hand into the store. */
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
#include "questionnaires/qn.h"

static void
progress(unsigned long rows, unsigned long long bytes, void *arg)
{
	const char *path = arg;

	fprintf(stderr, "\rwhc: importing '%s': %lu responses, %.1f MB", path,
	    rows, (double)bytes / 1e6);
	fflush(stderr);
}

static int
import_one(struct ctx *ctx, struct qn *q, const char *path,
    struct collect_import_opts *o)
{
	struct collect_stats s;
	int rc;

	o->arg = (void *)path;
	rc = collect_import_csv(ctx->store, q, path, o, &s, &ctx->diag);
	if (o->progress != NULL && s.rows >= 65536)
		fprintf(stderr, "\r\033[K");
	if (rc < 0)
		return -1;
	if (ctx->quiet)
		return 0;
	if (s.already)
		printf("'%s': already imported; nothing changed (%lu "
		    "responses)\n", path, s.rows);
	else
		printf("'%s': %lu responses for %s (%d): %lu new or changed, "
		    "%lu unchanged; %lu blank answers, %lu unrecognised, "
		    "%lu bad numbers, %lu unknown teams\n", path, s.rows,
		    qn_id(q), qn_year(q), s.changed, s.unchanged, s.blank,
		    s.unrecognised, s.bad_numbers, s.unknown_teams);
	return 0;
}

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_SOURCE = OPT_FIRST_OWN, OPT_SEP };
	static const struct option opts[] = {
		{ "questionnaire", required_argument, NULL, 'Q' },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "sep", required_argument, NULL, OPT_SEP },
		CMD_COMMON_OPTIONS
	};
	struct collect_import_opts o = { NULL, 0, NULL, NULL };
	const char *qid = NULL;
	char *dirs, *path;
	struct qn *q;
	int opt, rc = EXIT_OK, failed = 0;

	while ((opt = getopt_long(argc, argv, "Q:" CMD_COMMON_SHORT, opts,
	    NULL)) != -1) {
		if (cmd_common_opt(&cmd_import, ctx, opt, optarg, &rc)) {
			if (opt == 'h')
				return rc;
			continue;
		}
		switch (opt) {
		case 'Q':
			qid = optarg;
			break;
		case OPT_SOURCE:
			o.source = optarg;
			break;
		case OPT_SEP:
			if (strcmp(optarg, "tab") == 0)
				o.sep = '\t';
			else if (strlen(optarg) == 1 &&
			    strchr(",;|\t", optarg[0]) != NULL)
				o.sep = optarg[0];
			else
				return cmd_usage_error(&cmd_import, "--sep "
				    "takes ',', ';', '|' or 'tab', not '%s'",
				    optarg);
			break;
		default:
			return cmd_usage_error(&cmd_import, "unknown option");
		}
	}
	if (qid == NULL)
		return cmd_usage_error(&cmd_import, "--questionnaire is "
		    "required");
	if (optind >= argc)
		return cmd_usage_error(&cmd_import, "no files to import");
	if (ctx_config(ctx) == NULL)
		return ctx_exit(ctx);
	dirs = ctx_qn_dirs(ctx);
	path = qn_find(qid, dirs, &ctx->diag);
	/* What it inherits and its team map: beside it, then in dirs. */
	q = path == NULL ? NULL : qn_load(path, dirs, 0, &ctx->diag);
	free(dirs);
	free(path);
	if (q == NULL)
		return ctx_exit(ctx);
	if (ctx_store(ctx, STORE_RW) == NULL) {
		qn_free(q);
		return ctx_exit(ctx);
	}
	if (ctx->tty && !ctx->quiet)
		o.progress = progress;
	for (int i = optind; i < argc; i++)
		if (import_one(ctx, q, argv[i], &o) < 0)
			failed = 1;
	qn_free(q);
	return failed ? ctx_exit(ctx) : EXIT_OK;
}

const struct cmd cmd_import = {
	.name = "import",
	.summary = "load CSV files exported by hand into the store",
	.usage = "whc import --questionnaire ID [--source NAME] "
	    "[--sep ,|;|tab] FILE...",
	.flags = CMD_STORE_RW,
	.run = run,
};
