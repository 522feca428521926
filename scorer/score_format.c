/* SPDX-License-Identifier: MIT */
/*
 * Writing a breakdown table as CSV (RFC 4180, spreadsheet formulas
 * neutralised), JSON (the stable contract in README.md) or Markdown.
 * Suppressed values are never written: only their mark.
 */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "scorer/score.h"

static const struct {
	const char	*name;
	enum score_format fmt;
} formats[] = {
	{ "csv", SCORE_FMT_CSV },
	{ "json", SCORE_FMT_JSON },
	{ "md", SCORE_FMT_MD },
};

int
score_format_parse(const char *name, enum score_format *fmt)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0) {
			*fmt = formats[i].fmt;
			return 0;
		}
	return -1;
}

static const char *
supp_name(enum score_supp s)
{
	return s == SCORE_PRIMARY ? "primary" :
	    s == SCORE_SECONDARY ? "secondary" : NULL;
}

/*
 * One CSV field: cleaned of control characters, quoted when needed, and
 * prefixed with an apostrophe when a spreadsheet would read it as a
 * formula (= + - @, or a leading tab or CR).
 */
static void
csv_field(struct buf *out, const char *s)
{
	struct buf c = BUF_INIT;

	text_clean(&c, s, strlen(s));
	if (c.len && strchr("=+-@\t\r", c.data[0]) != NULL) {
		buf_adds(out, "\"'");
	} else if (strpbrk(c.data, ",\"\n") != NULL) {
		buf_addc(out, '"');
	} else {
		buf_adds(out, c.data);
		buf_release(&c);
		return;
	}
	for (const char *p = c.data; *p; p++) {
		if (*p == '"')
			buf_addc(out, '"');
		buf_addc(out, *p);
	}
	buf_addc(out, '"');
	buf_release(&c);
}

static void
write_csv(const struct score_table *t, struct buf *out)
{
	csv_field(out, t->by);
	buf_adds(out, ",year,responses,n,blank,unrecognised");
	for (size_t l = 0; l < t->nlevels; l++)
		buf_addf(out, ",%s_count,%s_pct", t->level_keys[l],
		    t->level_keys[l]);
	buf_adds(out, ",suppressed\r\n");
	for (size_t i = 0; i < t->nrows; i++) {
		const struct score_row *r = &t->rows[i];
		int any = r->supp != SCORE_SHOWN;

		csv_field(out, r->label);
		if (r->supp != SCORE_SHOWN)
			buf_addf(out, ",%d,c,c,c,c", r->year);
		else
			buf_addf(out, ",%d,%lu,%lu,%lu,%lu", r->year,
			    r->responses, r->n, r->blank, r->unrecognised);
		for (size_t l = 0; l < t->nlevels; l++) {
			const struct score_cell *c = &r->cells[l];

			if (c->supp != SCORE_SHOWN) {
				buf_adds(out, ",c,c");
				any = 1;
			} else {
				buf_addf(out, ",%lu,%.1f", c->count, c->pct);
			}
		}
		buf_addf(out, ",%s\r\n", any ? "yes" : "no");
	}
	/* Notes follow the data, one field a line, marked with '#'. */
	for (size_t i = 0; i < t->nnotes; i++) {
		struct buf n = BUF_INIT;

		buf_addf(&n, "# note: %s", t->notes[i]);
		csv_field(out, n.data);
		buf_adds(out, "\r\n");
		buf_release(&n);
	}
}

static void
json_kv(struct buf *out, const char *key, const char *val)
{
	text_json_str(out, key);
	buf_addc(out, ':');
	text_json_str(out, val);
}

static void
write_json(const struct score_table *t, struct buf *out)
{
	buf_adds(out, "{\"whc\":\"breakdown\",\"version\":1,\"item\":{");
	json_kv(out, "key", t->item);
	buf_addc(out, ',');
	json_kv(out, "text", t->item_text);
	buf_adds(out, "},\"by\":{");
	json_kv(out, "key", t->by);
	buf_addc(out, ',');
	json_kv(out, "label", t->by_label);
	buf_addf(out, "},\"years\":[%d,%d],\"k\":%d,", t->year_from,
	    t->year_to, t->k);
	buf_adds(out, "\"denominator\":\"n: valid answers (responses minus "
	    "blank and unrecognised)\",\"levels\":[");
	for (size_t l = 0; l < t->nlevels; l++) {
		buf_adds(out, l ? ",{" : "{");
		json_kv(out, "key", t->level_keys[l]);
		buf_addc(out, ',');
		json_kv(out, "label", t->level_labels[l]);
		buf_addc(out, '}');
	}
	buf_adds(out, "],\"rows\":[");
	for (size_t i = 0; i < t->nrows; i++) {
		const struct score_row *r = &t->rows[i];
		const char *s = supp_name(r->supp);

		buf_adds(out, i ? ",\n{" : "\n{");
		json_kv(out, "group", r->label);
		buf_addf(out, ",\"year\":%d,\"total\":%s,\"suppressed\":",
		    r->year, r->total ? "true" : "false");
		if (s)
			buf_addf(out, "\"%s\",\"responses\":null,\"n\":null,"
			    "\"blank\":null,\"unrecognised\":null", s);
		else
			buf_addf(out, "null,\"responses\":%lu,\"n\":%lu,"
			    "\"blank\":%lu,\"unrecognised\":%lu", r->responses,
			    r->n, r->blank, r->unrecognised);
		buf_adds(out, ",\"cells\":[");
		for (size_t l = 0; l < t->nlevels; l++) {
			const struct score_cell *c = &r->cells[l];

			buf_adds(out, l ? ",{" : "{");
			json_kv(out, "level", t->level_keys[l]);
			if ((s = supp_name(c->supp)) != NULL)
				buf_addf(out, ",\"count\":null,\"pct\":null,"
				    "\"suppressed\":\"%s\"}", s);
			else
				buf_addf(out, ",\"count\":%lu,\"pct\":%.1f,"
				    "\"suppressed\":null}", c->count, c->pct);
		}
		buf_adds(out, "]}");
	}
	buf_addf(out, "\n],\"suppressed_cells\":{\"primary\":%lu,"
	    "\"secondary\":%lu},\"notes\":[", t->nsupp_primary,
	    t->nsupp_secondary);
	for (size_t i = 0; i < t->nnotes; i++) {
		if (i)
			buf_addc(out, ',');
		text_json_str(out, t->notes[i]);
	}
	buf_adds(out, "]}\n");
}

/* Markdown table text: cleaned, with | and markup characters escaped. */
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
write_md(const struct score_table *t, struct buf *out)
{
	buf_adds(out, "**");
	md_text(out, t->item_text);
	buf_addf(out, "** (`%s`) by ", t->item);
	md_text(out, t->by_label);
	if (t->year_from == t->year_to)
		buf_addf(out, ", %d\n\n", t->year_from);
	else
		buf_addf(out, ", %d to %d\n\n", t->year_from, t->year_to);
	buf_addc(out, '|');
	md_text(out, t->by_label);
	buf_adds(out, " | Year |");
	for (size_t l = 0; l < t->nlevels; l++) {
		buf_addc(out, ' ');
		md_text(out, t->level_labels[l]);
		buf_adds(out, " |");
	}
	buf_adds(out, " n | Blank | Unrecognised |\n|---|---:|");
	for (size_t l = 0; l < t->nlevels; l++)
		buf_adds(out, "---:|");
	buf_adds(out, "---:|---:|---:|\n");
	for (size_t i = 0; i < t->nrows; i++) {
		const struct score_row *r = &t->rows[i];

		buf_adds(out, r->total ? "| **" : "| ");
		md_text(out, r->label);
		buf_addf(out, "%s | %d |", r->total ? "**" : "", r->year);
		for (size_t l = 0; l < t->nlevels; l++) {
			const struct score_cell *c = &r->cells[l];

			if (c->supp != SCORE_SHOWN)
				buf_adds(out, " c |");
			else
				buf_addf(out, " %lu (%.1f%%) |", c->count,
				    c->pct);
		}
		if (r->supp != SCORE_SHOWN)
			buf_adds(out, " c | c | c |\n");
		else
			buf_addf(out, " %lu | %lu | %lu |\n", r->n, r->blank,
			    r->unrecognised);
	}
	buf_addf(out, "\nPercentages are of n, the valid answers (responses "
	    "minus blank and unrecognised). `c`: withheld to protect "
	    "confidentiality (fewer than %d respondents, or a value that "
	    "would let a withheld one be worked out). %lu cell%s withheld.\n",
	    t->k, t->nsupp_primary + t->nsupp_secondary,
	    t->nsupp_primary + t->nsupp_secondary == 1 ? "" : "s");
	if (t->nnotes)
		buf_adds(out, "\nNotes on comparing across years:\n\n");
	for (size_t i = 0; i < t->nnotes; i++) {
		buf_adds(out, "- ");
		md_text(out, t->notes[i]);
		buf_addc(out, '\n');
	}
}

void
score_table_write(const struct score_table *t, enum score_format fmt,
    struct buf *out)
{
	switch (fmt) {
	case SCORE_FMT_CSV:
		write_csv(t, out);
		break;
	case SCORE_FMT_JSON:
		write_json(t, out);
		break;
	case SCORE_FMT_MD:
		write_md(t, out);
		break;
	}
}
