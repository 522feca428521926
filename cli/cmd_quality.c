/* SPDX-License-Identifier: MIT */
/*
 * whc quality: the data-quality ledger of each survey year: per field,
 * valid, blank and odd answers, the odd values themselves with their
 * counts and where they first appear, unknown teams and repeated response
 * ids.  The counts add up to the responses stored, as a breakdown's do.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/exit.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_quality.h"
#include "common/strmap.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"

/* The odd kinds, in the order they are shown, with their headings. */
static const struct {
	const char	*kind;
	const char	*title;
} kinds[] = {
	{ "unrecognised", "answers that match no level" },
	{ "not_a_number", "answers that are not numbers" },
	{ "out_of_range", "numbers out of range" },
	{ "unknown_team", "unknown teams (kept as written)" },
	{ "ambiguous_team", "team values matching two teams" },
	{ "duplicate_id", "response ids repeated within a file" },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

struct qfield {
	char		*key;
	unsigned long	 valid, blank, odd[NKINDS];
};

struct qval {
	char		*field, *value, *origin;
	size_t		 kind;
	size_t		 fi;		/* position of the field */
	unsigned long	 count, line;
};

struct qyear {
	int		 year;
	unsigned long	 responses;
	struct buf	 batches;	/* JSON objects, comma-separated */
	struct buf	 text;		/* "file (date, n responses)" lines */
	int64_t		 last_batch;
	struct qfield	*f;
	size_t		 nf, af;
	struct qval	*v;
	size_t		 nv, av;
	struct strmap	 vmap;
};

struct ql {
	struct qyear	*y;
	size_t		 ny, ay;
	struct buf	 key;
};

static struct qyear *
year_of(struct ql *l, int year)
{
	struct qyear *y;

	if (l->ny && l->y[l->ny - 1].year == year)
		return &l->y[l->ny - 1];
	VEC_GROW(l->y, l->ny + 1, l->ay);
	y = &l->y[l->ny++];
	memset(y, 0, sizeof(*y));
	y->year = year;
	buf_init(&y->batches, 0);
	buf_init(&y->text, 0);
	return y;
}

static struct qfield *
field_of(struct qyear *y, const char *key)
{
	for (size_t i = 0; i < y->nf; i++)
		if (strcmp(y->f[i].key, key) == 0)
			return &y->f[i];
	VEC_GROW(y->f, y->nf + 1, y->af);
	memset(&y->f[y->nf], 0, sizeof(y->f[0]));
	y->f[y->nf].key = xstrdup(key);
	return &y->f[y->nf++];
}

static int
add(const struct store_qentry *e, void *arg)
{
	struct ql *l = arg;
	struct qyear *y = year_of(l, e->year);
	const struct store_qrow *r = &e->r;
	struct qfield *f = NULL;
	int64_t *ix;
	size_t k;

	if (strcmp(r->kind, "responses") == 0) {
		y->responses += r->count;
		if (y->last_batch != e->batch_id) {
			buf_addf(&y->batches, "%s{\"origin\":",
			    y->batches.len ? "," : "");
			text_json_str(&y->batches, e->origin);
			buf_adds(&y->batches, ",\"imported\":");
			text_json_str(&y->batches, e->at);
			buf_addf(&y->batches, ",\"responses\":%lu}", r->count);
			buf_addf(&y->text, "  from %s (imported %s): %lu "
			    "responses\n", e->origin, e->at, r->count);
			y->last_batch = e->batch_id;
		}
		return 0;
	}
	if (r->field[0] != '\0')
		f = field_of(y, r->field);
	if (strcmp(r->kind, "valid") == 0 && f != NULL) {
		f->valid += r->count;
		return 0;
	}
	if (strcmp(r->kind, "blank") == 0 && f != NULL) {
		f->blank += r->count;
		return 0;
	}
	for (k = 0; k < NKINDS; k++)
		if (strcmp(kinds[k].kind, r->kind) == 0)
			break;
	if (k == NKINDS)
		return 0;	/* a kind from a later whc */
	if (f != NULL)
		f->odd[k] += r->count;
	buf_reset(&l->key);
	buf_addf(&l->key, "%s\037%zu\037%s", r->field, k, r->value);
	if ((ix = strmap_get(&y->vmap, l->key.data, l->key.len)) != NULL) {
		y->v[*ix].count += r->count;
		return 0;
	}
	VEC_GROW(y->v, y->nv + 1, y->av);
	y->v[y->nv].field = xstrdup(r->field);
	y->v[y->nv].value = xstrdup(r->value);
	y->v[y->nv].origin = xstrdup(e->origin);
	y->v[y->nv].kind = k;
	y->v[y->nv].fi = f ? (size_t)(f - y->f) : SIZE_MAX;
	y->v[y->nv].count = r->count;
	y->v[y->nv].line = r->line;
	strmap_put(&y->vmap, l->key.data, l->key.len, (int64_t)y->nv++);
	return 0;
}

static int
cmp_val(const void *a, const void *b)
{
	const struct qval *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->fi != y->fi)
		return x->fi < y->fi ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

static void
write_text(struct ql *l, struct buf *out)
{
	for (size_t i = 0; i < l->ny; i++) {
		struct qyear *y = &l->y[i];

		if (y->nv > 1)
			qsort(y->v, y->nv, sizeof(*y->v), cmp_val);
		buf_addf(out, "%s%d: %lu responses\n%s\n", i ? "\n" : "",
		    y->year, y->responses, y->text.data);
		buf_addf(out, "  %-24s %8s %8s %8s\n", "field", "valid",
		    "blank", "other");
		for (size_t j = 0; j < y->nf; j++) {
			const struct qfield *f = &y->f[j];
			unsigned long other = 0;

			for (size_t k = 0; k < NKINDS; k++)
				other += f->odd[k];
			buf_addf(out, "  %-24s %8lu %8lu %8lu\n", f->key,
			    f->valid, f->blank, other);
		}
		for (size_t k = 0; k < NKINDS; k++) {
			int head = 0;

			for (size_t j = 0; j < y->nv; j++) {
				const struct qval *v = &y->v[j];
				struct buf clean = BUF_INIT;

				if (v->kind != k)
					continue;
				if (!head)
					buf_addf(out, "\n  %s:\n",
					    kinds[k].title);
				head = 1;
				text_clean(&clean, v->value, strlen(v->value));
				buf_addf(out, "    %s%s'%s' %lu", v->field,
				    v->field[0] ? " " : "", clean.data,
				    v->count);
				if (v->line)
					buf_addf(out, " (first at %s:%lu)",
					    v->origin, v->line);
				buf_addc(out, '\n');
				buf_release(&clean);
			}
		}
	}
}

static void
write_json(struct ql *l, struct buf *out)
{
	buf_adds(out, "{\"whc\":\"quality\",\"version\":1,\"years\":[");
	for (size_t i = 0; i < l->ny; i++) {
		struct qyear *y = &l->y[i];

		if (y->nv > 1)
			qsort(y->v, y->nv, sizeof(*y->v), cmp_val);
		buf_addf(out, "%s\n{\"year\":%d,\"responses\":%lu,"
		    "\"batches\":[%s],\"fields\":[", i ? "," : "", y->year,
		    y->responses, y->batches.data);
		for (size_t j = 0; j < y->nf; j++) {
			const struct qfield *f = &y->f[j];

			buf_adds(out, j ? ",{\"field\":" : "{\"field\":");
			text_json_str(out, f->key);
			buf_addf(out, ",\"valid\":%lu,\"blank\":%lu", f->valid,
			    f->blank);
			for (size_t k = 0; k < NKINDS; k++)
				if (strcmp(kinds[k].kind, "duplicate_id") != 0)
					buf_addf(out, ",\"%s\":%lu",
					    kinds[k].kind, f->odd[k]);
			buf_addc(out, '}');
		}
		buf_adds(out, "],\"values\":[");
		for (size_t j = 0; j < y->nv; j++) {
			const struct qval *v = &y->v[j];

			buf_adds(out, j ? ",\n{\"field\":" : "\n{\"field\":");
			text_json_str(out, v->field);
			buf_addf(out, ",\"kind\":\"%s\",\"value\":",
			    kinds[v->kind].kind);
			text_json_str(out, v->value);
			buf_addf(out, ",\"count\":%lu,\"origin\":", v->count);
			text_json_str(out, v->origin);
			buf_addf(out, ",\"line\":%lu}", v->line);
		}
		buf_adds(out, "]}");
	}
	buf_adds(out, "\n]}\n");
}

static void
ql_release(struct ql *l)
{
	for (size_t i = 0; i < l->ny; i++) {
		struct qyear *y = &l->y[i];

		for (size_t j = 0; j < y->nf; j++)
			free(y->f[j].key);
		free(y->f);
		for (size_t j = 0; j < y->nv; j++) {
			free(y->v[j].field);
			free(y->v[j].value);
			free(y->v[j].origin);
		}
		free(y->v);
		strmap_release(&y->vmap);
		buf_release(&y->batches);
		buf_release(&y->text);
	}
	free(l->y);
	buf_release(&l->key);
}

static int
run(int argc, char **argv, struct ctx *ctx)
{
	enum { OPT_YEAR = OPT_FIRST_OWN, OPT_FORMAT };
	static const struct option opts[] = {
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "years", required_argument, NULL, OPT_YEAR },
		{ "format", required_argument, NULL, OPT_FORMAT },
		CMD_COMMON_OPTIONS
	};
	struct ql l;
	struct buf out = BUF_INIT;
	int from = 0, to = 0, json = 0, opt, rc = EXIT_OK;

	while ((opt = getopt_long(argc, argv, CMD_COMMON_SHORT, opts,
	    NULL)) != -1) {
		if (cmd_common_opt(&cmd_quality, ctx, opt, optarg, &rc)) {
			if (opt == 'h')
				return rc;
			continue;
		}
		switch (opt) {
		case OPT_YEAR:
			if (cmd_parse_years(optarg, &from, &to) < 0)
				return cmd_usage_error(&cmd_quality, "--year "
				    "takes a year (2024) or a range "
				    "(2019-2025), not '%s'", optarg);
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "text") != 0)
				return cmd_usage_error(&cmd_quality,
				    "--format takes text or json, not '%s'",
				    optarg);
			json = strcmp(optarg, "json") == 0;
			break;
		default:
			return cmd_usage_error(&cmd_quality,
			    "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error(&cmd_quality, "unexpected argument "
		    "'%s'", argv[optind]);
	if (ctx_store(ctx, STORE_RO) == NULL)
		return ctx_exit(ctx);
	memset(&l, 0, sizeof(l));
	buf_init(&l.key, 0);
	if (store_quality_each(ctx->store, from, to, add, &l,
	    &ctx->diag) != 0) {
		ql_release(&l);
		return ctx_exit(ctx);
	}
	if (json)
		write_json(&l, &out);
	else if (l.ny == 0)
		buf_adds(&out, "no data-quality records for these years (run "
		    "'whc renormalise' to build them for data imported by an "
		    "older whc)\n");
	else
		write_text(&l, &out);
	rc = ctx_write_stdout(ctx, out.data, out.len);
	buf_release(&out);
	ql_release(&l);
	return rc;
}

const struct cmd cmd_quality = {
	.name = "quality",
	.summary = "the data-quality ledger: blanks, unrecognised answers, "
	    "unknown teams",
	.usage = "whc quality [--year Y|Y1-Y2] [--format text|json]",
	.flags = CMD_STORE_RO,
	.run = run,
};
