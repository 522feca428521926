/* SPDX-License-Identifier: MIT */
/*
 * The command table and what every command gets from main.
 *
 * Adding a command: write cli/cmd_<name>.c exporting `const struct cmd
 * cmd_<name>`, add it to cli/Module.mk and to the sorted table in
 * cli/main.c, document it in README.md, and add a tests/tNNNN-<name>-*.sh.
 */
#ifndef CMD_H
#define CMD_H

#include <getopt.h>
#include <stdio.h>

#include "common/diag.h"

struct config;
struct store;

enum cmd_flags {
	CMD_STORE_RO	= 1 << 0,	/* opens the store read-only */
	CMD_STORE_RW	= 1 << 1,	/* opens the store read-write */
	CMD_NETWORK	= 1 << 2,	/* may use the network */
};

struct ctx {
	const char	*db_opt;	/* --db, or NULL */
	const char	*config_opt;	/* --config, or NULL */
	struct config	*cfg;
	struct diag	 diag;
	int		 quiet;
	int		 verbose;
	int		 tty;		/* stderr is a terminal */
	char		*db_path;	/* resolved by ctx_store() */
	struct store	*store;
	const char	*cmd;		/* the command's name */
};

struct cmd {
	const char	*name;
	const char	*summary;	/* one line for `whc --help` */
	const char	*usage;		/* shown by --help and on misuse */
	unsigned	 flags;		/* enum cmd_flags */
	int		(*run)(int argc, char **argv, struct ctx *ctx);
};

extern const struct cmd cmd_breakdown, cmd_check, cmd_collect, cmd_import,
    cmd_quality, cmd_releases, cmd_renormalise, cmd_report;

/* Options every command accepts; end a command's option array with it. */
enum { OPT_DB = 0x100, OPT_CONFIG, OPT_FIRST_OWN };
#define CMD_COMMON_OPTIONS \
	{ "db", required_argument, NULL, OPT_DB }, \
	{ "config", required_argument, NULL, OPT_CONFIG }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ NULL, 0, NULL, 0 }
#define CMD_COMMON_SHORT "qvh"

/*
 * Handles a common option returned by getopt_long.  Returns 1 when it was
 * one (and -h printed usage: *exit_code is then set), 0 when it was not,
 * so the command handles it.
 */
int cmd_common_opt(const struct cmd *c, struct ctx *ctx, int opt,
    const char *arg, int *exit_code);
/* Prints "usage: ..." and a hint to stderr; returns EXIT_USAGE. */
int cmd_usage_error(const struct cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Loads the config file (once); returns NULL after an error. */
struct config *ctx_config(struct ctx *ctx);
/* Opens the store with the command's flags (once); NULL after an error. */
struct store *ctx_store(struct ctx *ctx, unsigned flags);
/* The disclosure threshold k from the config (default 5); -1 on error. */
long ctx_k(struct ctx *ctx);
/* ':'-separated directories searched for questionnaire definitions. */
char *ctx_qn_dirs(struct ctx *ctx);
/* Exit status for what the diag holds. */
int ctx_exit(const struct ctx *ctx);
/* Writes len bytes to stdout; returns EXIT_ENV (with a message) on error. */
int ctx_write_stdout(struct ctx *ctx, const char *p, size_t len);

/* Parses "2024" or "2019-2025" into *from, *to; -1 if malformed. */
int cmd_parse_years(const char *s, int *from, int *to);

#endif /* CMD_H */
