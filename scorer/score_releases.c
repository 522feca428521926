/* SPDX-License-Identifier: MIT */
/* whc releases: the release ledger as a table (Markdown, CSV or JSON). */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/store_release.h"
#include "common/text.h"
#include "scorer/score.h"

struct lister {
	struct buf	*out;
	enum score_format fmt;
	size_t		 n;
};

static void
md_text(struct buf *out, const char *s)
{
	struct buf c = BUF_INIT;

	text_clean(&c, s, strlen(s));
	for (const char *p = c.data; *p; p++) {
		if (strchr("|\\`*_[]<>#", *p) != NULL)
			buf_addc(out, '\\');
		buf_addc(out, *p);
	}
	buf_release(&c);
}

static void
csv_text(struct buf *out, const char *s)
{
	struct buf c = BUF_INIT;

	text_clean(&c, s, strlen(s));
	buf_adds(out, c.len && strchr("=+-@\t\r", c.data[0]) ? "\"'" : "\"");
	for (const char *p = c.data; *p; p++) {
		if (*p == '"')
			buf_addc(out, '"');
		buf_addc(out, *p);
	}
	buf_addc(out, '"');
	buf_release(&c);
}

static int
one(const struct store_release *r, void *arg)
{
	struct lister *l = arg;
	struct buf *o = l->out;

	switch (l->fmt) {
	case SCORE_FMT_JSON:
		buf_addf(o, "%s\n{\"id\":%lld,\"at\":", l->n ? "," : "",
		    (long long)r->id);
		text_json_str(o, r->at);
		buf_adds(o, ",\"command\":");
		text_json_str(o, r->command);
		buf_adds(o, ",\"note\":");
		text_json_str(o, r->note);
		buf_adds(o, ",\"item\":");
		text_json_str(o, r->item);
		buf_addf(o, ",\"years\":[%d,%d],\"by\":", r->year_from,
		    r->year_to);
		text_json_str(o, r->by);
		buf_adds(o, ",\"where\":");
		text_json_str(o, r->filter);
		buf_addf(o, ",\"k\":%d,\"population\":", r->k);
		text_json_str(o, r->population);
		buf_addf(o, ",\"shown\":%lu,\"withheld\":%lu}", r->shown,
		    r->withheld);
		break;
	case SCORE_FMT_CSV:
		buf_addf(o, "%lld,", (long long)r->id);
		csv_text(o, r->at);
		buf_addc(o, ',');
		csv_text(o, r->command);
		buf_addc(o, ',');
		csv_text(o, r->note);
		buf_addc(o, ',');
		csv_text(o, r->population);
		buf_addf(o, ",%d,%lu,%lu\r\n", r->k, r->shown, r->withheld);
		break;
	default:
		buf_addf(o, "| %lld | %s | `", (long long)r->id, r->at);
		for (const char *p = r->command; *p; p++)
			if (*p != '`' && *p != '\n')
				buf_addc(o, *p == '|' ? '/' : *p);
		buf_adds(o, "` | ");
		md_text(o, r->note);
		buf_adds(o, " | ");
		md_text(o, r->population);
		buf_addf(o, " | %d | %lu | %lu |\n", r->k, r->shown,
		    r->withheld);
		break;
	}
	l->n++;
	return 0;
}

int
score_releases_write(struct store *st, enum score_format fmt,
    struct buf *out, struct diag *d)
{
	struct lister l = { out, fmt, 0 };
	int rc;

	if (fmt == SCORE_FMT_JSON)
		buf_adds(out, "{\"whc\":\"releases\",\"version\":1,"
		    "\"releases\":[");
	else if (fmt == SCORE_FMT_CSV)
		buf_adds(out, "id,at,command,note,population,k,shown,"
		    "withheld\r\n");
	else
		buf_adds(out, "| # | Released (UTC) | Command | Note | "
		    "Population | k | Values shown | Withheld |\n"
		    "|---:|---|---|---|---|---:|---:|---:|\n");
	rc = store_release_each(st, NULL, 0, 0, one, &l, d);
	if (fmt == SCORE_FMT_JSON)
		buf_adds(out, "\n]}\n");
	else if (fmt != SCORE_FMT_CSV && l.n == 0)
		buf_adds(out, "\nNo table has been released from this store "
		    "yet.\n");
	return rc;
}
