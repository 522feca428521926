/* SPDX-License-Identifier: MIT */
/*
 * The values the share and number charts draw, taken from a scorer
 * table: a level's share with its Wilson interval, a number's mean or
 * median with its interval, and why a value is withheld.  A grouped
 * share ("occasionally+often") is checked against the table without
 * grouping, so that the two tables of one pack can never be subtracted
 * to reveal a cell the scorer withheld.
 */
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "reports/report.h"
#include "scorer/score.h"

int
report_share_find(const struct score_table *t, const char *key,
    size_t *cat, struct diag *d)
{
	struct buf have = BUF_INIT;

	if (t->nlevels == 0)
		return diag_err(d, "cannot chart a share of item '%s': it has "
		    "no answer levels", t->item != NULL ? t->item : "");
	if (key == NULL) {
		*cat = t->nlevels - 1;
		return 0;
	}
	for (size_t k = 0; k < t->nlevels; k++)
		if (strcmp(t->level_keys[k], key) == 0) {
			*cat = k;
			return 0;
		}
	for (size_t k = 0; k < t->nlevels; k++)
		buf_addf(&have, "%s%s", k ? ", " : "", t->level_keys[k]);
	diag_err(d, "cannot chart the share of '%s' for item '%s': its "
	    "levels are %s", key, t->item != NULL ? t->item : "", have.data);
	buf_release(&have);
	return -1;
}

static enum report_status
status_of(enum score_supp s)
{
	return s == SCORE_SHOWN ? REPORT_SHOWN : s == SCORE_PRIMARY ?
	    REPORT_FEW : REPORT_PROTECT;
}

/* The row of full matching row r of another table, or NULL. */
static const struct score_row *
match_row(const struct score_table *full, const struct score_row *r)
{
	for (size_t j = 0; j < full->nrows; j++) {
		const struct score_row *f = &full->rows[j];

		if (f->year == r->year && f->total == r->total &&
		    strcmp(f->label, r->label) == 0)
			return f;
	}
	return NULL;
}

/* Is level key of full one of the parts of the grouped key g? */
static int
part_of(const char *g, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = g; *p != '\0'; p += strcspn(p, "+"),
	    p += *p == '+') {
		if (strncmp(p, key, n) == 0 && (p[n] == '+' || p[n] == '\0'))
			return 1;
	}
	return 0;
}

/*
 * Can the share of grouped level g be worked out from what full shows of
 * row f: all its parts shown, or all the other levels?
 */
static int
derivable(const struct score_table *full, const struct score_row *f,
    const char *g)
{
	int parts = 1, others = 1;

	for (size_t k = 0; k < full->nlevels; k++) {
		int shown = f->cells[k].supp == SCORE_SHOWN;

		if (part_of(g, full->level_keys[k]))
			parts &= shown;
		else
			others &= shown;
	}
	return parts || others;
}

struct report_val
report_share_value(const struct score_table *t, size_t i, size_t cat,
    const struct score_table *full)
{
	const struct score_row *r = &t->rows[i], *f;
	const struct score_cell *c = &r->cells[cat];
	struct report_val v = { REPORT_SHOWN, 0, 0, 0, 0 };

	if (r->supp != SCORE_SHOWN) {
		v.status = status_of(r->supp);
		return v;
	}
	if (r->n == 0) {
		v.status = REPORT_NONE;
		return v;
	}
	v.n = r->n;
	if (c->supp != SCORE_SHOWN) {
		v.status = status_of(c->supp);
		return v;
	}
	if (full != NULL && strchr(t->level_keys[cat], '+') != NULL &&
	    ((f = match_row(full, r)) == NULL || f->supp != SCORE_SHOWN ||
	    !derivable(full, f, t->level_keys[cat]))) {
		v.status = REPORT_PROTECT;
		return v;
	}
	v.v = c->pct;
	v.lo = c->lo;
	v.hi = c->hi;
	return v;
}

struct report_val
report_number_value(const struct score_table *t, size_t i, int median)
{
	const struct score_row *r = &t->rows[i];
	const struct score_num *nm = &r->num;
	struct report_val v = { REPORT_SHOWN, 0, 0, 0, 0 };

	if (r->supp != SCORE_SHOWN) {
		v.status = status_of(r->supp);
		return v;
	}
	if (r->n == 0) {
		v.status = REPORT_NONE;
		return v;
	}
	v.n = r->n;
	v.v = median ? nm->median : nm->mean;
	if (median ? nm->median_ci : nm->mean_ci) {
		v.lo = median ? nm->median_lo : nm->mean_lo;
		v.hi = median ? nm->median_hi : nm->mean_hi;
	} else {
		v.status = REPORT_NO_CI;
		v.lo = v.hi = v.v;
	}
	return v;
}

const char *
report_status_text(enum report_status st)
{
	switch (st) {
	case REPORT_SHOWN:
		return "";
	case REPORT_FEW:
		return "suppressed: fewer than k answered";
	case REPORT_PROTECT:
		return "suppressed: protects a small group";
	case REPORT_NONE:
		return "no valid answers";
	case REPORT_NO_CI:
		return "too few answers for an interval";
	}
	return "";
}

int
report_first_year(const struct score_table *t, int last_years)
{
	int to = t->year_to;

	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].year > to)
			to = t->rows[i].year;
	if (last_years <= 0)
		return t->year_from;
	return to - last_years + 1 > t->year_from ? to - last_years + 1 :
	    t->year_from;
}
