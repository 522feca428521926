/* SPDX-License-Identifier: MIT */
/*
 * whc check [FILES...]: lints questionnaire definitions, team maps, the
 * config file and CSV exports, writing nothing.  Every problem is reported
 * from the one catalogue (common/diag_list.h) at its file:line:col; the
 * exit status follows the worst severity.  With no FILES: the config file
 * and every definition and team map in the search path.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/exit.h"
#include "collector/collect.h"
#include "common/buf.h"
#include "common/config.h"
#include "common/diag.h"
#include "common/strmap.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

/*
 * Every key the config file may set; [source "NAME"] belongs to collect.
 * A '*' stands for one item key ("disclosure.k.*", "report.*.share").
 */
static const struct {
	const char	*name;
	const char	*what;
} conf_keys[] = {
	{ "store.db", "the store's path" },
	{ "disclosure.k", "the disclosure threshold" },
	{ "disclosure.k.*", "an item's disclosure threshold" },
	{ "questionnaires.path", "where definitions are looked for" },
	{ "collect.retries", "how often a request is tried again" },
	{ "collect.timeout", "seconds a request may take" },
	{ "collect.max_wait", "the longest wait a provider may ask for" },
	{ "collect.polls", "Qualtrics: the most export polls" },
	{ "collect.backoff_ms", "the first retry delay" },
	{ "report.gnuplot", "the gnuplot program" },
	{ "report.title", "the committee pack's title" },
	{ "report.items", "the items of the pack" },
	{ "report.by", "the pack's dimension" },
	{ "report.recent", "years in the recent charts" },
	{ "report.formats", "chart formats" },
	{ "report.timeout", "seconds a chart may take" },
	{ "report.page", "the page charts must fit" },
	{ "report.*.favourable", "which end of the scale is favourable" },
	{ "report.*.share", "the level a trend follows" },
	{ "report.*.above", "a number item's split" },
	{ "report.*.stat", "mean or median" },
};

/* Does name match pattern (see conf_keys)? */
static int
key_match(const char *pat, const char *name)
{
	const char *star = strchr(pat, '*');
	size_t pre, suf, n = strlen(name);

	if (star == NULL)
		return strcmp(pat, name) == 0;
	pre = (size_t)(star - pat);
	suf = strlen(star + 1);
	return n > pre + suf && strncmp(name, pat, pre) == 0 &&
	    strcmp(name + n - suf, star + 1) == 0;
}

struct chk {
	struct ctx	*ctx;
	const char	*dirs;
	const char	*qid;		/* --questionnaire */
	char		*last_def;	/* the last definition named */
	int		 sep;
	unsigned	 files;
};

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

struct conf_ck {
	const struct config *cfg;
	struct diag	*d;
};

static void
conf_key(const char *name, const char *value, unsigned long line, void *arg)
{
	struct conf_ck *c = arg;
	struct loc loc = { config_path(c->cfg), line, 0, NULL };
	const char *best = NULL;
	size_t i;

	(void)value;
	if (strncmp(name, "source.", 7) == 0)
		return;		/* the collector's own settings */
	for (i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++) {
		const char *k = conf_keys[i].name;
		const char *dot = strchr(k, '.');

		if (key_match(k, name))
			return;
		if (best == NULL && strchr(k, '*') == NULL &&
		    strncmp(name, k, (size_t)(dot - k) + 1) == 0)
			best = k;	/* the section at least is known */
	}
	diag_at(c->d, DIAG_CONF_KEY, &loc, "'%s'%s%s%s", name,
	    best ? " (did you mean '" : "", best ? best : "",
	    best ? "'?)" : "");
}

static int
is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void
check_config(struct chk *k, const char *path)
{
	struct diag *d = &k->ctx->diag;
	struct config *cfg = config_load_all(path, d);
	struct conf_ck c = { cfg, d };
	const char *v;
	long n;

	k->files++;
	if (cfg == NULL)
		return;
	config_each(cfg, conf_key, &c);
	config_get_int(cfg, "disclosure.k", 1, 1000, &n, d);
	if ((v = config_get(cfg, "questionnaires.path")) != NULL) {
		char *copy = xstrdup(v), *p, *save = NULL;
		const char *slash = strrchr(path, '/');

		for (p = strtok_r(copy, ":", &save); p != NULL;
		    p = strtok_r(NULL, ":", &save)) {
			char *full = p[0] == '/' || slash == NULL ?
			    xstrdup(p) : xasprintf("%.*s/%s",
			    (int)(slash - path), path, p);
			struct loc loc = { path, config_line(cfg,
			    "questionnaires.path"), 0, NULL };

			if (!is_dir(full))
				diag_at(d, DIAG_CONF_VALUE, &loc, "questionnaires"
				    ".path: no directory '%s'", full);
			free(full);
		}
		free(copy);
	}
	if ((v = config_get(cfg, "report.gnuplot")) != NULL &&
	    strchr(v, '/') != NULL && access(v, X_OK) != 0) {
		struct loc loc = { path, config_line(cfg, "report.gnuplot"), 0,
		    NULL };

		diag_at(d, DIAG_CONF_VALUE, &loc, "report.gnuplot: '%s' is "
		    "not a program that can be run", v);
	}
	config_free(cfg);
}

static void
check_json(struct chk *k, const char *path)
{
	k->files++;
	if (qn_check_file(path, k->dirs, QN_LINT, &k->ctx->diag) == 0 &&
	    strncmp(strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
	    "teams-", 6) != 0) {
		free(k->last_def);
		k->last_def = xstrdup(path);
	}
}

/* The definition to check FILE.csv against: --questionnaire, the last
 * definition named before it, or one named like the file. */
static char *
definition_for(struct chk *k, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *id, *dir, *p;
	struct stat sb;

	if (k->qid != NULL)
		return qn_find(k->qid, k->dirs, &k->ctx->diag);
	if (k->last_def != NULL)
		return xstrdup(k->last_def);
	id = xstrndup(base, strlen(base) - 4);
	dir = xstrndup(path, (size_t)(base - path));
	p = xasprintf("%s%s.json", dir, id);
	free(dir);
	if (stat(p, &sb) != 0) {
		struct diag quiet = DIAG_INIT;

		free(p);
		p = qn_find(id, k->dirs, &quiet);
		diag_release(&quiet);
	}
	if (p == NULL) {
		struct loc loc = { path, 0, 0, NULL };

		diag_at(&k->ctx->diag, DIAG_CHECK_KIND, &loc, "which "
		    "definition does it answer? (give --questionnaire ID, or "
		    "name the definition before it; no %s.json was found)",
		    id);
	}
	free(id);
	return p;
}

static void
check_csv(struct chk *k, const char *path)
{
	struct collect_check_opts o = { k->sep, getenv("WHC_CHECK_SLOW") != NULL };
	struct collect_stats s;
	char *def;
	struct qn *q;

	k->files++;
	if ((def = definition_for(k, path)) == NULL)
		return;
	q = qn_load(def, k->dirs, 0, &k->ctx->diag);
	free(def);
	if (q == NULL)
		return;
	if (collect_check_csv(q, path, &o, &s, &k->ctx->diag) == 0 &&
	    !k->ctx->quiet) {
		fflush(stderr);
		printf("'%s': %lu responses (%lu answers) checked against %s "
		    "(%d): %lu blank answers, %lu unrecognised, %lu bad "
		    "numbers, %lu unknown teams\n", path, s.rows, s.answers,
		    qn_id(q), qn_year(q), s.blank, s.unrecognised,
		    s.bad_numbers, s.unknown_teams);
	}
	qn_free(q);
}

static void
check_one(struct chk *k, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	if (ends_with(path, ".json"))
		check_json(k, path);
	else if (ends_with(path, ".csv") || ends_with(path, ".CSV"))
		check_csv(k, path);
	else if (ends_with(path, ".conf") || ends_with(path, ".ini") ||
	    strcmp(base, "whc.conf") == 0)
		check_config(k, path);
	else {
		struct loc loc = { path, 0, 0, NULL };

		k->files++;
		diag_at(&k->ctx->diag, DIAG_CHECK_KIND, &loc, "whc checks "
		    "definitions and team maps (.json), exports (.csv) and "
		    "config files (.conf)");
	}
}

/*
 * A definition's team map or parent is read again by every file that
 * uses it: each diagnostic is shown once, and counted once.
 */
struct seen {
	struct strmap	 texts;
	unsigned long	 count[DIAG_SEV_ERROR + 1];
	struct ctx	*ctx;
};

static void
emit_once(const struct diag_entry *e, void *arg)
{
	struct seen *s = arg;

	if (strmap_get(&s->texts, e->text, strlen(e->text)) != NULL)
		return;
	strmap_put(&s->texts, e->text, strlen(e->text), 1);
	s->count[e->sev]++;
	if (s->ctx->quiet && e->sev != DIAG_SEV_ERROR)
		return;
	fflush(stdout);
	fprintf(stderr, "whc: %s\n", e->text);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .json file of the search path's directories, in order. */
static void
check_search_path(struct chk *k)
{
	char *copy = xstrdup(k->dirs), *p, *save = NULL;

	for (p = strtok_r(copy, ":", &save); p != NULL;
	    p = strtok_r(NULL, ":", &save)) {
		DIR *dp = opendir(p);
		struct dirent *e;
		char **names = NULL;
		size_t n = 0, alloc = 0;

		if (dp == NULL)
			continue;
		while ((e = readdir(dp)) != NULL) {
			if (!ends_with(e->d_name, ".json"))
				continue;
			VEC_GROW(names, n + 1, alloc);
			names[n++] = xasprintf("%s/%s", p, e->d_name);
		}
		closedir(dp);
		if (n > 1)
			qsort(names, n, sizeof(*names), cmp_str);
		for (size_t i = 0; i < n; i++) {
			check_json(k, names[i]);
			free(names[i]);
		}
		free(names);
	}
	free(copy);
}

static void
list(void)
{
	for (int c = 1; c < DIAG_NCODES; c++)
		printf("%-18s %-8s %s\n", diag_code_name((enum diag_code)c),
		    diag_sev_name(diag_code_sev((enum diag_code)c)),
		    diag_code_msg((enum diag_code)c));
}

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_SEP = OPT_FIRST_OWN, OPT_LIST };
	static const struct option opts[] = {
		{ "questionnaire", required_argument, NULL, 'Q' },
		{ "sep", required_argument, NULL, OPT_SEP },
		{ "list", no_argument, NULL, OPT_LIST },
		CMD_COMMON_OPTIONS
	};
	struct diag quiet = DIAG_INIT;
	struct seen seen;
	struct chk k;
	const char *cp;
	char *dirs;
	int opt, rc = EXIT_OK, werror = 0;
	unsigned long e, w, n;

	memset(&k, 0, sizeof(k));
	k.ctx = ctx;
	while ((opt = getopt_long(argc, argv, "Q:W:" CMD_COMMON_SHORT, opts,
	    NULL)) != -1) {
		if (cmd_common_opt(&cmd_check, ctx, opt, optarg, &rc)) {
			if (opt == 'h')
				return rc;
			continue;
		}
		switch (opt) {
		case 'Q':
			k.qid = optarg;
			break;
		case 'W':
			if (strcmp(optarg, "warning") == 0)
				werror = 1;
			else if (strcmp(optarg, "error") != 0)
				return cmd_usage_error(&cmd_check, "-W takes "
				    "warning or error, not '%s'", optarg);
			break;
		case OPT_SEP:
			if (strcmp(optarg, "tab") == 0)
				k.sep = '\t';
			else if (strlen(optarg) == 1 &&
			    strchr(",;|\t", optarg[0]) != NULL)
				k.sep = optarg[0];
			else
				return cmd_usage_error(&cmd_check, "--sep "
				    "takes ',', ';', '|' or 'tab', not '%s'",
				    optarg);
			break;
		case OPT_LIST:
			list();
			return EXIT_OK;
		default:
			return cmd_usage_error(&cmd_check, "unknown option");
		}
	}
	/*
	 * Report every problem, not the first twenty of each kind.  A large
	 * export can have hundreds of distinct unrecognised answers: they go
	 * out in large writes, not a write each (stdout is flushed first,
	 * and stderr before each file's summary line, to keep their order).
	 */
	ctx->diag.limit = 100000;
	setvbuf(stderr, NULL, _IOFBF, 1u << 16);
	memset(&seen, 0, sizeof(seen));
	seen.ctx = ctx;
	ctx->diag.emit = emit_once;
	ctx->diag.arg = &seen;
	cp = ctx->config_opt ? ctx->config_opt : getenv("WHC_CONFIG") &&
	    *getenv("WHC_CONFIG") ? getenv("WHC_CONFIG") : "whc.conf";
	if ((optind == argc && access(cp, F_OK) == 0) ||
	    ctx->config_opt != NULL)
		check_config(&k, cp);
	/*
	 * The search path comes from the config, read again quietly (its
	 * problems were just reported), as much of it as can be read.
	 */
	if (access(cp, F_OK) != 0 ||
	    (ctx->cfg = config_load_all(cp, &quiet)) == NULL)
		ctx->cfg = config_load(NULL, 0, &quiet);
	diag_release(&quiet);
	dirs = ctx_qn_dirs(ctx);
	k.dirs = dirs;
	if (optind == argc)
		check_search_path(&k);
	for (int i = optind; i < argc; i++)
		check_one(&k, argv[i]);
	free(dirs);
	free(k.last_def);
	e = seen.count[DIAG_SEV_ERROR];
	w = seen.count[DIAG_SEV_WARNING];
	n = seen.count[DIAG_SEV_NOTE];
	strmap_release(&seen.texts);
	if (!ctx->quiet || e)
		fprintf(stderr, "whc check: %u file%s: %lu error%s, %lu "
		    "warning%s, %lu note%s\n", k.files, k.files == 1 ? "" : "s",
		    e, e == 1 ? "" : "s", w, w == 1 ? "" : "s", n,
		    n == 1 ? "" : "s");
	if (e == 0 && w > 0 && werror)
		return EXIT_DATA;
	return ctx_exit(ctx);
}

const struct cmd cmd_check = {
	.name = "check",
	.summary = "lint definitions, team maps, config and exports; "
	    "writes nothing",
	.usage = "whc check [-Q ID] [-W warning|error] [--sep ,|;|tab] "
	    "[--list] [FILES...]",
	.flags = 0,
	.run = run,
};
