/* SPDX-License-Identifier: MIT */
/*
 * The team map: canonical teams valid for year ranges, the raw values that
 * mean them (exact names and PCRE2 patterns), their history (renames,
 * merges, splits) and the hierarchy team -> service -> directorate.  A raw
 * team value is resolved against the teams that exist in the definition's
 * year; a value that matches no such team is reported, never guessed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/strmap.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "questionnaires/qn_int.h"

static const char *const map_members[] = {
	"id", "title", "description", "directorates", "services", "teams",
	NULL
};
static const char *const dir_members[] = {
	"name", "description", NULL
};
static const char *const service_members[] = {
	"name", "directorate", "description", NULL
};
static const char *const team_members[] = {
	"name", "service", "from", "until", "names", "formerly", "match",
	"formed_from", "description", NULL
};
static const char *const former_members[] = {
	"name", "until", NULL
};

static int
valid_in(const struct qn_unit *u, int year)
{
	return (!u->from || year >= u->from) && (!u->until || year <= u->until);
}

static long
unit_find(const struct qn_unit *u, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(u[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void
unit_release(struct qn_unit *u)
{
	free(u->name);
	for (size_t i = 0; i < u->nnames; i++)
		free(u->names[i]);
	free(u->names);
	for (size_t i = 0; i < u->nformerly; i++)
		free(u->formerly[i].name);
	free(u->formerly);
	for (size_t i = 0; i < u->npats; i++)
		qn_pat_release(&u->pats[i]);
	free(u->pats);
	free(u->formed_from);
}

void
qn_tmap_free(struct qn_tmap *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->nteams; i++)
		unit_release(&m->teams[i]);
	for (size_t i = 0; i < m->nservices; i++)
		unit_release(&m->services[i]);
	for (size_t i = 0; i < m->ndirs; i++)
		unit_release(&m->dirs[i]);
	free(m->teams);
	free(m->services);
	free(m->dirs);
	free(m->id);
	free(m);
}

/* Loads the array member name of o as units with just a name (and, for
 * services, a parent). */
static void
load_units(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *name, const char *const *members, struct qn_unit **out,
    size_t *n)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, name);
	const cJSON *e;
	size_t i = 0;
	char *pre;

	*out = NULL;
	*n = 0;
	if (arr == NULL)
		return;
	pre = xstrdup(qn_ld_at(l, prefix, ".%s", name));
	if (!cJSON_IsArray(arr)) {
		qn_ld_bad(l, arr, pre, "must be an array");
		free(pre);
		return;
	}
	*out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(**out));
	cJSON_ArrayForEach(e, arr) {
		struct qn_unit *u = &(*out)[*n];
		char *p = xstrdup(qn_ld_at(l, pre, "[%zu]", i++));

		u->parent = -1;
		if (!cJSON_IsObject(e)) {
			qn_ld_bad(l, e, p, "must be an object with a \"name\"");
			free(p);
			continue;
		}
		qn_ld_members(l, e, p, members);
		if ((u->name = qn_ld_str(l, e, p, "name", 1)) == NULL) {
			free(p);
			continue;
		}
		if (unit_find(*out, *n, u->name) >= 0)
			qn_ld_diag(l, DIAG_TM_OVERLAP, e, p, "'%s' is listed "
			    "twice", u->name);
		free(p);
		(*n)++;
	}
	free(pre);
}

/* Resolves each element's member key (a name in units) into its parent. */
static void
link_parents(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *arrname, struct qn_unit *child, size_t nchild,
    const char *key, const struct qn_unit *units, size_t nunits,
    const char *what)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, arrname);
	const cJSON *e;
	size_t i = 0, c = 0;

	cJSON_ArrayForEach(e, arr) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(e, "name");
		const char *p = qn_ld_at(l, prefix, ".%s[%zu].%s", arrname,
		    i++, key);

		if (!cJSON_IsString(nm) || nm->valuestring[0] == '\0')
			continue;	/* not loaded: already reported */
		if (c >= nchild)
			break;
		if (v == NULL) {
			if (nunits > 0)
				qn_ld_bad(l, e, p, "missing: the map has %ss, "
				    "so every %s needs one", what, arrname[0] ==
				    't' ? "team" : "service");
		} else if (!cJSON_IsString(v)) {
			qn_ld_bad(l, v, p, "must be the name of a %s", what);
		} else if ((child[c].parent = unit_find(units, nunits,
		    v->valuestring)) < 0) {
			qn_ld_bad(l, v, p, "no %s called '%s' in the map's "
			    "\"%ss\"", what, v->valuestring, what);
		}
		c++;
	}
}

static void
load_strings(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *name, char ***out, size_t *n)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, name);
	const cJSON *v;
	size_t i = 0;

	if (arr == NULL)
		return;
	if (!cJSON_IsArray(arr)) {
		qn_ld_bad(l, arr, qn_ld_at(l, prefix, ".%s", name), "must be "
		    "an array of names");
		return;
	}
	*out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(char *));
	cJSON_ArrayForEach(v, arr) {
		if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
			qn_ld_bad(l, v, qn_ld_at(l, prefix, ".%s[%zu]", name,
			    i), "must be a non-empty string");
		else
			(*out)[(*n)++] = xstrdup(v->valuestring);
		i++;
	}
}

static void
load_formerly(struct qn_ld *l, struct qn_unit *t, const cJSON *o,
    const char *prefix)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "formerly");
	const cJSON *e;
	size_t i = 0;

	if (arr == NULL)
		return;
	if (!cJSON_IsArray(arr)) {
		qn_ld_bad(l, arr, qn_ld_at(l, prefix, ".formerly"), "must be "
		    "an array such as [{\"name\": \"Front Door\", \"until\": "
		    "2021}]");
		return;
	}
	t->formerly = xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*t->formerly));
	cJSON_ArrayForEach(e, arr) {
		char *p = xstrdup(qn_ld_at(l, prefix, ".formerly[%zu]", i++));
		struct qn_former *f = &t->formerly[t->nformerly];

		if (!cJSON_IsObject(e)) {
			qn_ld_bad(l, e, p, "must be an object with \"name\" "
			    "and \"until\"");
			free(p);
			continue;
		}
		qn_ld_members(l, e, p, former_members);
		f->name = qn_ld_str(l, e, p, "name", 1);
		f->until = qn_ld_year(l, e, p, "until");
		if (cJSON_GetObjectItemCaseSensitive(e, "until") == NULL)
			qn_ld_bad(l, e, p, "needs \"until\": the last year "
			    "the old name was used");
		if (f->name != NULL)
			t->nformerly++;
		free(p);
	}
}

static void
load_team(struct qn_ld *l, struct qn_unit *t, const cJSON *e,
    const char *p)
{
	t->from = qn_ld_year(l, e, p, "from");
	t->until = qn_ld_year(l, e, p, "until");
	if (t->from && t->until && t->from > t->until)
		qn_ld_bad(l, e, p, "\"from\" (%d) is after \"until\" (%d)",
		    t->from, t->until);
	load_strings(l, e, p, "names", &t->names, &t->nnames);
	load_formerly(l, t, e, p);
	qn_ld_patterns(l, e, p, "match", &t->pats, &t->npats);
}

/* Resolves "formed_from" of every team, once all teams are known. */
static void
link_history(struct qn_ld *l, struct qn_tmap *m, const cJSON *arr,
    const char *prefix)
{
	const cJSON *e;
	size_t i = 0, c = 0;

	cJSON_ArrayForEach(e, arr) {
		const cJSON *ff = cJSON_GetObjectItemCaseSensitive(e,
		    "formed_from");
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(e, "name");
		const cJSON *v;
		char *p = xstrdup(qn_ld_at(l, prefix, ".teams[%zu].formed_from",
		    i++));
		size_t j = 0;
		struct qn_unit *t;

		if (!cJSON_IsString(nm) || nm->valuestring[0] == '\0' ||
		    c >= m->nteams) {
			free(p);
			continue;
		}
		t = &m->teams[c++];
		if (ff != NULL && !cJSON_IsArray(ff))
			qn_ld_bad(l, ff, p, "must be an array of team names");
		if (cJSON_IsArray(ff)) {
			t->formed_from = xcalloc((size_t)cJSON_GetArraySize(ff)
			    + 1, sizeof(long));
			if (!t->from)
				qn_ld_bad(l, e, p, "a team formed from others "
				    "needs \"from\" (its first year)");
		}
		if (!cJSON_IsArray(ff))
			ff = NULL;
		cJSON_ArrayForEach(v, ff) {
			long k = cJSON_IsString(v) ? unit_find(m->teams,
			    m->nteams, v->valuestring) : -1;

			if (k < 0 || k == (long)(t - m->teams))
				qn_ld_bad(l, v, qn_ld_at(l, p, "[%zu]", j),
				    "must name another team of the map");
			else
				t->formed_from[t->nformed++] = k;
			j++;
		}
		free(p);
	}
}

/* Two teams that exist in the same year may not share an exact name. */
static void
check_names(struct qn_ld *l, struct qn_tmap *m, const cJSON *arr,
    const char *prefix)
{
	for (size_t a = 0; a < m->nteams; a++) {
		const struct qn_unit *ta = &m->teams[a];

		for (size_t b = a + 1; b < m->nteams; b++) {
			const struct qn_unit *tb = &m->teams[b];
			size_t na = ta->nnames + ta->nformerly + 1;
			size_t nb = tb->nnames + tb->nformerly + 1;

			if ((ta->until && tb->from && ta->until < tb->from) ||
			    (tb->until && ta->from && tb->until < ta->from))
				continue;	/* never both at once */
			for (size_t x = 0; x < na; x++)
				for (size_t y = 0; y < nb; y++) {
					const char *sa = x == 0 ? ta->name :
					    x <= ta->nnames ? ta->names[x - 1] :
					    ta->formerly[x - 1 - ta->nnames]
					    .name;
					const char *sb = y == 0 ? tb->name :
					    y <= tb->nnames ? tb->names[y - 1] :
					    tb->formerly[y - 1 - tb->nnames]
					    .name;

					if (!qn_same(sa, strlen(sa), sb))
						continue;
					qn_ld_diag(l, DIAG_TM_OVERLAP,
					    cJSON_GetArrayItem(arr, (int)b),
					    qn_ld_at(l, prefix, ".teams[%zu]",
					    b), "'%s' names both '%s' and "
					    "'%s' in the same years", sb,
					    ta->name, tb->name);
				}
		}
	}
}

void
qn_tmap_load(struct qn_ld *l, const cJSON *o, const char *prefix)
{
	struct qn_tmap *m = xcalloc(1, sizeof(*m));
	const cJSON *teams = cJSON_GetObjectItemCaseSensitive(o, "teams");
	const cJSON *e;
	size_t i = 0, c = 0;

	l->q->tmap = m;
	qn_ld_members(l, o, prefix, map_members);
	m->id = qn_ld_str(l, o, prefix, "id", 0);
	load_units(l, o, prefix, "directorates", dir_members, &m->dirs,
	    &m->ndirs);
	load_units(l, o, prefix, "services", service_members, &m->services,
	    &m->nservices);
	link_parents(l, o, prefix, "services", m->services, m->nservices,
	    "directorate", m->dirs, m->ndirs, "directorate");
	if (m->ndirs > 0 && m->nservices == 0)
		qn_ld_bad(l, o, prefix, "has directorates but no services");
	if (!cJSON_IsArray(teams) || cJSON_GetArraySize(teams) == 0) {
		qn_ld_bad(l, teams ? teams : o, qn_ld_at(l, prefix, ".teams"),
		    "must be a non-empty array of teams");
		return;
	}
	load_units(l, o, prefix, "teams", team_members, &m->teams,
	    &m->nteams);
	/* load_units kept the elements with a name, in order. */
	cJSON_ArrayForEach(e, teams) {
		const cJSON *nm = cJSON_GetObjectItemCaseSensitive(e, "name");
		char *p = xstrdup(qn_ld_at(l, prefix, ".teams[%zu]", i++));

		if (cJSON_IsObject(e) && cJSON_IsString(nm) &&
		    nm->valuestring[0] != '\0' && c < m->nteams)
			load_team(l, &m->teams[c++], e, p);
		free(p);
	}
	link_parents(l, o, prefix, "teams", m->teams, m->nteams, "service",
	    m->services, m->nservices, "service");
	link_history(l, m, teams, prefix);
	check_names(l, m, teams, prefix);
}

void
qn_tmap_legacy(struct qn_ld *l, const cJSON *arr)
{
	struct qn_tmap *m = xcalloc(1, sizeof(*m));
	const cJSON *e;
	size_t i = 0;

	l->q->tmap = m;
	if (!cJSON_IsArray(arr)) {
		qn_ld_bad(l, arr, "teams", "must be an array");
		return;
	}
	m->teams = xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof(*m->teams));
	cJSON_ArrayForEach(e, arr) {
		static const char *const legacy[] = { "name", "match", NULL };
		struct qn_unit *t = &m->teams[m->nteams];
		char *p = xstrdup(qn_ld_at(l, "teams", "[%zu]", i++));

		t->parent = -1;
		qn_ld_members(l, e, p, legacy);
		t->name = qn_ld_str(l, e, p, "name", 1);
		qn_ld_patterns(l, e, p, "match", &t->pats, &t->npats);
		free(p);
		if (t->name != NULL) {
			m->nteams++;
			continue;
		}
		/* Not kept (the error is recorded): free its patterns. */
		unit_release(t);
		memset(t, 0, sizeof(*t));
	}
}

/* ------------------------------------------------------------------ */
/* Resolving raw values */

#define PACK(st, a, b) ((int64_t)(st) << 48 | (int64_t)((a) + 1) << 24 | \
	(int64_t)((b) + 1))

static int
named(const struct qn_unit *t, const char *s, size_t n)
{
	if (qn_same(s, n, t->name))
		return 1;
	for (size_t i = 0; i < t->nnames; i++)
		if (qn_same(s, n, t->names[i]))
			return 1;
	for (size_t i = 0; i < t->nformerly; i++)
		if (qn_same(s, n, t->formerly[i].name))
			return 1;
	return 0;
}

static int
matched(pcre2_match_data *md, const struct qn_unit *t, const char *s,
    size_t n)
{
	for (size_t i = 0; i < t->npats; i++)
		if (qn_pat_match(md, &t->pats[i], s, n))
			return 1;
	return 0;
}

/* Looks the cleaned value s up; returns the packed result. */
static int64_t
lookup(const struct qn *q, pcre2_match_data *md, const char *s, size_t n)
{
	const struct qn_tmap *m = q->tmap;
	long first = -1, second = -1, gone = -1;

	if (n == 0)
		return PACK(QN_TEAM_BLANK, -1, -1);
	for (int pass = 0; pass < 2 && first < 0; pass++)
		for (size_t i = 0; i < m->nteams; i++) {
			const struct qn_unit *t = &m->teams[i];

			if (!(pass == 0 ? named(t, s, n) :
			    matched(md, t, s, n)))
				continue;
			if (!valid_in(t, q->year)) {
				if (gone < 0)
					gone = (long)i;
			} else if (first < 0) {
				first = (long)i;
			} else if (second < 0) {
				second = (long)i;
			}
		}
	if (first >= 0)
		return PACK(second >= 0 ? QN_TEAM_AMBIGUOUS : QN_TEAM_OK, first,
		    second);
	if (gone >= 0)
		return PACK(QN_TEAM_GONE, gone, -1);
	return PACK(QN_TEAM_UNKNOWN, -1, -1);
}

/* The packed result for the raw value s[0..n), without the memo. */
static int64_t
resolve(const struct qn *q, pcre2_match_data *md, const char *s, size_t n)
{
	struct buf clean = BUF_INIT;
	int64_t v;

	text_squash(&clean, s, n);
	if (q->tmap == NULL)
		v = PACK(clean.len ? QN_TEAM_OK : QN_TEAM_BLANK, -1, -1);
	else
		v = lookup(q, md, clean.data, clean.len);
	buf_release(&clean);
	return v;
}

static int unpack(const struct qn *q, int64_t v, struct qn_team_res *r);

void
qn_team_resolve_with(const struct qn *q, const char *s, size_t n,
    struct qn_matcher *m, struct qn_team_res *r)
{
	unpack(q, resolve(q, (pcre2_match_data *)m, s, n), r);
}

int
qn_team_resolve(struct qn *q, const char *s, size_t n,
    struct qn_team_res *r)
{
	int64_t *memo, v;

	if ((memo = strmap_get(&q->team_memo, s, n)) != NULL) {
		v = *memo;
	} else {
		v = resolve(q, q->md, s, n);
		strmap_put(&q->team_memo, s, n, v);
	}
	return unpack(q, v, r);
}

static int
unpack(const struct qn *q, int64_t v, struct qn_team_res *r)
{
	const struct qn_tmap *m = q->tmap;
	long a, b;

	memset(r, 0, sizeof(*r));
	r->status = (enum qn_team_status)(v >> 48);
	a = (long)((v >> 24) & 0xFFFFFF) - 1;
	b = (long)(v & 0xFFFFFF) - 1;
	if (a >= 0 && r->status != QN_TEAM_GONE) {
		const struct qn_unit *t = &m->teams[a];

		r->team = t->name;
		if (t->parent >= 0) {
			const struct qn_unit *sv = &m->services[t->parent];

			r->service = sv->name;
			if (sv->parent >= 0)
				r->directorate = m->dirs[sv->parent].name;
		}
	}
	if (r->status == QN_TEAM_AMBIGUOUS && b >= 0)
		r->other = m->teams[b].name;
	if (r->status == QN_TEAM_GONE)
		r->other = m->teams[a].name;
	return r->status == QN_TEAM_OK || r->status == QN_TEAM_BLANK ||
	    r->status == QN_TEAM_AMBIGUOUS;
}

/* The teams formed (partly) from team k. */
static size_t
successors(const struct qn_tmap *m, long k, long *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nteams; i++)
		for (size_t j = 0; j < m->teams[i].nformed; j++)
			if (m->teams[i].formed_from[j] == k && n < max)
				out[n++] = (long)i;
	return n;
}

void
qn_team_explain(const struct qn *q, const struct qn_team_res *r,
    struct buf *out)
{
	const struct qn_tmap *m = q->tmap;
	long succ[8];
	size_t ns;
	long k;

	if (r->status == QN_TEAM_AMBIGUOUS) {
		buf_addf(out, " (it matches both '%s' and '%s'; '%s' was "
		    "used: make the team map's patterns stricter)", r->team,
		    r->other, r->team);
		return;
	}
	if (r->status != QN_TEAM_GONE || m == NULL ||
	    (k = unit_find(m->teams, m->nteams, r->other)) < 0)
		return;
	buf_addf(out, " (it names '%s', which ", r->other);
	if (m->teams[k].from && q->year < m->teams[k].from) {
		buf_addf(out, "starts in %d)", m->teams[k].from);
		return;
	}
	buf_addf(out, "ended in %d", m->teams[k].until);
	ns = successors(m, k, succ, 8);
	for (size_t i = 0; i < ns; i++)
		buf_addf(out, "%s'%s'", i == 0 ? "; see " : i + 1 == ns ?
		    " and " : ", ", m->teams[succ[i]].name);
	buf_addc(out, ')');
}

/* ------------------------------------------------------------------ */
/* History notes */

static void
name_list(struct buf *b, const struct qn_tmap *m, const long *ix, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
		    m->teams[ix[i]].name);
}

static void
team_notes(const struct qn_tmap *m, int from, int to,
    void (*fn)(const char *note, void *arg), void *arg)
{
	struct buf b = BUF_INIT;
	long succ[16];

	for (size_t i = 0; i < m->nteams; i++) {
		const struct qn_unit *t = &m->teams[i];
		size_t ns;

		for (size_t f = 0; f < t->nformerly; f++) {
			if (t->formerly[f].until < from ||
			    t->formerly[f].until >= to)
				continue;
			buf_reset(&b);
			buf_addf(&b, "%s was called %s until %d; its series "
			    "continues under the new name.", t->name,
			    t->formerly[f].name, t->formerly[f].until);
			fn(b.data, arg);
		}
		/* A team that ends in range: merged, split or closed. */
		if (t->until && t->until >= from && t->until < to) {
			ns = successors(m, (long)i, succ, 16);
			buf_reset(&b);
			if (ns > 1) {
				buf_addf(&b, "%s was split into ", t->name);
				name_list(&b, m, succ, ns);
				buf_addf(&b, " in %d: its series ends in %d "
				    "and theirs begin in %d.", t->until + 1,
				    t->until, t->until + 1);
			} else if (ns == 1 &&
			    m->teams[succ[0]].nformed > 1) {
				const struct qn_unit *s = &m->teams[succ[0]];

				if (s->formed_from[0] != (long)i)
					continue;	/* said once */
				name_list(&b, m, s->formed_from, s->nformed);
				buf_addf(&b, " merged into %s in %d: their "
				    "series end in %d and %s's begins in %d.",
				    s->name, s->from, s->from - 1, s->name,
				    s->from);
			} else if (ns == 1) {
				buf_addf(&b, "%s was replaced by %s in %d: its "
				    "series ends in %d and %s's begins in %d.",
				    t->name, m->teams[succ[0]].name,
				    m->teams[succ[0]].from, t->until,
				    m->teams[succ[0]].name,
				    m->teams[succ[0]].from);
			} else {
				buf_addf(&b, "%s closed after %d: its series "
				    "ends there.", t->name, t->until);
			}
			fn(b.data, arg);
		}
		if (t->from && t->from > from && t->from <= to &&
		    t->nformed == 0) {
			buf_reset(&b);
			buf_addf(&b, "%s was formed in %d: its series begins "
			    "there.", t->name, t->from);
			fn(b.data, arg);
		}
	}
	buf_release(&b);
}

/* A service's (or directorate's) teams change when one of its teams
 * starts or ends without a predecessor or successor within it. */
static void
unit_notes(const struct qn_tmap *m, int dirs, int from, int to,
    void (*fn)(const char *note, void *arg), void *arg)
{
	struct buf b = BUF_INIT;
	long succ[16];

	for (size_t i = 0; i < m->nteams; i++) {
		const struct qn_unit *t = &m->teams[i];
		long u = t->parent;
		const char *un;
		int inside = 0;
		size_t ns;

		if (u < 0)
			continue;
		if (dirs && (u = m->services[u].parent) < 0)
			continue;
		un = dirs ? m->dirs[u].name : m->services[u].name;
		if (t->until && t->until >= from && t->until < to) {
			ns = successors(m, (long)i, succ, 16);
			for (size_t s = 0; s < ns; s++) {
				long su = m->teams[succ[s]].parent;

				if (dirs && su >= 0)
					su = m->services[su].parent;
				inside |= su == u;
			}
			if (!inside) {
				buf_reset(&b);
				buf_addf(&b, "%s: its team %s ends in %d, so "
				    "its series changes in %d.", un, t->name,
				    t->until, t->until + 1);
				fn(b.data, arg);
			}
		}
		if (t->from && t->from > from && t->from <= to) {
			inside = 0;
			for (size_t s = 0; s < t->nformed; s++) {
				long pu = m->teams[t->formed_from[s]].parent;

				if (dirs && pu >= 0)
					pu = m->services[pu].parent;
				inside |= pu == u;
			}
			if (!inside) {
				buf_reset(&b);
				buf_addf(&b, "%s: its team %s starts in %d, so "
				    "its series changes then.", un, t->name,
				    t->from);
				fn(b.data, arg);
			}
		}
	}
	buf_release(&b);
}

void
qn_team_history(const struct qn *q, const char *dim, int from, int to,
    void (*fn)(const char *note, void *arg), void *arg)
{
	if (q->tmap == NULL || from >= to)
		return;
	if (strcmp(dim, "team") == 0)
		team_notes(q->tmap, from, to, fn, arg);
	else if (strcmp(dim, "service") == 0)
		unit_notes(q->tmap, 0, from, to, fn, arg);
	else if (strcmp(dim, "directorate") == 0)
		unit_notes(q->tmap, 1, from, to, fn, arg);
}

/* ------------------------------------------------------------------ */
/* Lint */

void
qn_tmap_lint(struct qn_ld *l, const cJSON *o, const char *prefix)
{
	const struct qn_tmap *m = l->q->tmap;
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "teams");

	for (size_t i = 0; i < m->nteams; i++) {
		const struct qn_unit *t = &m->teams[i];
		const cJSON *node = cJSON_GetArrayItem(arr, (int)i);

		for (size_t j = 0; j < t->nformed; j++) {
			const struct qn_unit *p = &m->teams[t->formed_from[j]];

			if (p->until != t->from - 1)
				qn_ld_diag(l, DIAG_TM_LINEAGE, node, qn_ld_at(l,
				    prefix, ".teams[%zu].formed_from", i),
				    "'%s' starts in %d but '%s', which it "
				    "replaced, %s", t->name, t->from, p->name,
				    p->until ? "ends in another year" :
				    "never ends (give it \"until\")");
		}
		/* Another team's pattern that claims this team's name. */
		for (size_t k = 0; k < m->nteams; k++) {
			const struct qn_unit *u = &m->teams[k];

			if (k == i || (u->until && t->from &&
			    u->until < t->from) || (t->until && u->from &&
			    t->until < u->from))
				continue;
			if (matched(l->q->md, u, t->name, strlen(t->name)))
				qn_ld_diag(l, DIAG_TEAM_AMBIGUOUS, node,
				    qn_ld_at(l, prefix, ".teams[%zu]", k),
				    "a pattern of '%s' also matches '%s'",
				    u->name, t->name);
		}
	}
	for (size_t s = 0; s < m->nservices; s++) {
		int any = 0;

		for (size_t i = 0; i < m->nteams && !any; i++)
			any = m->teams[i].parent == (long)s;
		if (!any)
			qn_ld_diag(l, DIAG_QN_UNUSED, o, qn_ld_at(l, prefix,
			    ".services"),
			    "service '%s' has no teams", m->services[s].name);
	}
}
