/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for questionnaires/: loading with inheritance (the merge
 * rules of FORMAT.md), located errors in the file that holds them,
 * compare_as, the team map (years, renames, merges, splits, hierarchy,
 * unknown and ambiguous values, history notes) and the tally.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "tests/unit/unit.h"

/* A directory of definition files, removed by dir_done(). */
struct dir {
	char	path[512];
	char	*files[16];
	int	n;
};

static void
dir_init(struct dir *t)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	memset(t, 0, sizeof(*t));
	snprintf(t->path, sizeof(t->path), "%s/whc-u-qn-XXXXXX", tmp);
	ASSERT(mkdtemp(t->path) != NULL);
}

/* Writes name in the directory; returns its path (owned by t). */
static const char *
dir_put(struct dir *t, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", t->path, name);
	size_t n = strlen(text);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ASSERT(fd >= 0);
	ASSERT_EQ(write(fd, text, n), n);
	ASSERT_EQ(close(fd), 0);
	ASSERT(t->n < 16);
	t->files[t->n++] = p;
	return p;
}

static void
dir_done(struct dir *t)
{
	for (int i = 0; i < t->n; i++) {
		unlink(t->files[i]);
		free(t->files[i]);
	}
	ASSERT_EQ(rmdir(t->path), 0);
}

/* The text of d's record that contains s, or NULL. */
static const char *
diag_has(const struct diag *d, const char *s)
{
	for (size_t i = 0; i < d->nr; i++)
		if (strstr(d->v[i].text, s) != NULL)
			return d->v[i].text;
	return NULL;
}

static void
dump_diag(const struct diag *d)
{
	for (size_t i = 0; i < d->nr; i++)
		fprintf(stderr, "# %s\n", d->v[i].text);
}

#define ASSERT_DIAG(d, s)						\
	do {								\
		if (diag_has((d), (s)) == NULL) {			\
			dump_diag(d);					\
			unit_fail(__FILE__, __LINE__,			\
			    "no diagnostic with '%s'", (s));		\
		}							\
	} while (0)

static const char parent_json[] =
    "{\n"
    "  \"id\": \"p-2019\", \"year\": 2019, \"title\": \"Parent\",\n"
    "  \"id_column\": \"ID\",\n"
    "  \"scales\": {\n"
    "    \"f4\": { \"levels\": [ { \"key\": \"never\" }, { \"key\": "
    "\"rarely\" },\n"
    "      { \"key\": \"sometimes\" }, { \"key\": \"often\" } ] }\n"
    "  },\n"
    "  \"dimensions\": [ { \"key\": \"team\", \"column\": \"Team\" } ],\n"
    "  \"items\": [\n"
    "    { \"key\": \"stress\", \"type\": \"scale\", \"scale\": \"f4\",\n"
    "      \"text\": \"Stressed?\", \"column\": \"Stress\" },\n"
    "    { \"key\": \"cases\", \"type\": \"number\", \"min\": 0, \"max\": "
    "60,\n"
    "      \"unit\": \"cases\", \"text\": \"Cases?\", \"column\": "
    "\"Cases\" },\n"
    "    { \"key\": \"comments\", \"type\": \"text\", \"text\": \"More?\","
    "\n      \"column\": \"Comments\" }\n"
    "  ]\n"
    "}\n";

TEST(qn_inherit_merges_by_key)
{
	struct diag d = DIAG_INIT;
	struct dir t;
	struct qn *q, *q2;
	const char *path;
	long i;

	dir_init(&t);
	dir_put(&t, "p-2019.json", parent_json);
	path = dir_put(&t, "c-2020.json",
	    "{ \"id\": \"c-2020\", \"year\": 2020, \"inherits\": \"p-2019\",\n"
	    "  \"scales\": { \"f5\": { \"levels\": [ { \"key\": \"never\" },"
	    " { \"key\": \"rarely\" }, { \"key\": \"sometimes\" },"
	    " { \"key\": \"often\" }, { \"key\": \"always\" } ] } },\n"
	    "  \"items\": [\n"
	    "    { \"key\": \"stress\", \"text\": \"Stressed lately?\","
	    " \"scale\": \"f5\",\n"
	    "      \"compare_as\": { \"scale\": \"f4\", \"map\": { \"always\":"
	    " \"often\" } } },\n"
	    "    { \"key\": \"comments\", \"removed\": true },\n"
	    "    { \"key\": \"cases\", \"column\": null, \"column_match\":"
	    " \"^cases\" },\n"
	    "    { \"key\": \"leave\", \"type\": \"choice\", \"scale\": \"f4\","
	    " \"text\": \"Leave?\", \"column\": \"Leave\" }\n"
	    "  ] }\n");
	q = qn_load(path, NULL, 0, &d);
	if (q == NULL)
		dump_diag(&d);
	ASSERT(q != NULL);
	ASSERT_STR_EQ(qn_id(q), "c-2020");
	ASSERT_EQ(qn_year(q), 2020);
	ASSERT_STR_EQ(qn_title(q), "Parent");		/* inherited */
	ASSERT_EQ(qn_nfields(q), 4);	/* team, stress, cases, leave */
	ASSERT_EQ(qn_field_find(q, "comments"), -1);
	i = qn_field_find(q, "stress");
	ASSERT_EQ(i, 1);
	ASSERT_STR_EQ(qn_field_text(q, (size_t)i), "Stressed lately?");
	ASSERT_STR_EQ(qn_field_scale(q, (size_t)i), "f5");
	ASSERT_EQ(qn_field_nlevels(q, (size_t)i), 5);
	ASSERT_STR_EQ(qn_field_compare_scale(q, (size_t)i), "f4");
	ASSERT_EQ(qn_field_compare_code(q, (size_t)i, 5), 4);	/* always */
	ASSERT_EQ(qn_field_compare_code(q, (size_t)i, 3), 3);
	ASSERT_EQ(qn_field_compare_code(q, (size_t)i, QN_BLANK), QN_BLANK);
	i = qn_field_find(q, "cases");
	ASSERT_STR_EQ(qn_field_unit(q, (size_t)i), "cases");
	ASSERT_EQ(qn_field_kind(q, (size_t)qn_field_find(q, "leave")),
	    QN_CHOICE);
	/* The stored body is the resolved definition, with no "inherits". */
	ASSERT(strstr(qn_body(q), "inherits") == NULL);
	ASSERT(strstr(qn_body(q), "Stressed lately?") != NULL);
	ASSERT(strstr(qn_body(q), "More?") == NULL);
	ASSERT_EQ(diag_errors(&d), 0);
	/* And it loads again, from the text alone. */
	q2 = qn_load_text(qn_body(q), "stored", &d);
	ASSERT(q2 != NULL);
	ASSERT_EQ(qn_nfields(q2), 4);
	ASSERT_STR_EQ(qn_sha(q2), qn_sha(q));
	qn_free(q2);
	qn_free(q);
	diag_release(&d);
	dir_done(&t);
}

TEST(qn_inherit_errors_are_located_in_their_file)
{
	struct diag d = DIAG_INIT;
	struct dir t;
	const char *path;

	dir_init(&t);
	dir_put(&t, "p-2019.json", parent_json);
	path = dir_put(&t, "c-2020.json",
	    "{ \"id\": \"c-2020\", \"year\": 2020, \"inherits\": \"p-2019\",\n"
	    "  \"items\": [\n"
	    "    { \"key\": \"stress\", \"scale\": \"f9\" },\n"
	    "    { \"text\": \"no key\" }\n"
	    "  ] }\n");
	ASSERT(qn_load(path, NULL, 0, &d) == NULL);
	/* The child's own mistakes, at their line and column. */
	ASSERT_DIAG(&d, "c-2020.json:3:33: error: questionnaire definition "
	    "is invalid: items[0].scale: no scale called 'f9'");
	ASSERT_DIAG(&d, "c-2020.json:4:5: error: cannot inherit: items[1]: "
	    "an element of an inheriting definition needs a \"key\"");
	diag_release(&d);

	/* A mistake inherited from the parent is reported in the parent. */
	path = dir_put(&t, "p-2018.json",
	    "{ \"id\": \"p-2018\", \"year\": 2018, \"id_column\": \"ID\",\n"
	    "  \"dimensions\": [ { \"key\": \"team\", \"column\": \"T\" } ],\n"
	    "  \"items\": [ { \"key\": \"x\", \"type\": \"number\",\n"
	    "    \"min\": \"low\", \"text\": \"X\", \"column\": \"X\" } ] }\n");
	path = dir_put(&t, "c-2021.json",
	    "{ \"id\": \"c-2021\", \"inherits\": \"p-2018\" }\n");
	ASSERT(qn_load(path, NULL, 0, &d) == NULL);
	ASSERT_DIAG(&d, "c-2021.json:1:1: error: cannot inherit: year: must "
	    "be stated");
	ASSERT_DIAG(&d, "p-2018.json:4:12: error: questionnaire definition "
	    "is invalid: items[0]: min and max must be numbers");
	diag_release(&d);
	dir_done(&t);
}

TEST(qn_inherit_loop_and_missing_parent)
{
	struct diag d = DIAG_INIT;
	struct dir t;
	const char *path;

	dir_init(&t);
	dir_put(&t, "a.json", "{ \"id\": \"a\", \"year\": 2020, "
	    "\"inherits\": \"b\" }");
	path = dir_put(&t, "b.json", "{ \"id\": \"b\", \"year\": 2020,\n"
	    "  \"inherits\": \"a\" }");
	ASSERT(qn_load(path, NULL, 0, &d) == NULL);
	ASSERT_DIAG(&d, "a.json:1:40: error: cannot inherit: inherits: 'b' "
	    "leads back to this definition (a loop)");
	diag_release(&d);
	path = dir_put(&t, "c.json", "{ \"id\": \"c\", \"year\": 2020, "
	    "\"inherits\": \"nosuch\" }");
	ASSERT(qn_load(path, NULL, 0, &d) == NULL);
	ASSERT_DIAG(&d, "c.json:1:40: error: cannot inherit: inherits: no "
	    "definition 'nosuch'");
	diag_release(&d);
	dir_done(&t);
}

TEST(qn_compare_as_must_map_every_level)
{
	struct diag d = DIAG_INIT;
	struct dir t;
	const char *path;

	dir_init(&t);
	dir_put(&t, "p-2019.json", parent_json);
	path = dir_put(&t, "c-2020.json",
	    "{ \"id\": \"c-2020\", \"year\": 2020, \"inherits\": \"p-2019\",\n"
	    "  \"scales\": { \"f5\": { \"levels\": [ { \"key\": \"never\" },"
	    " { \"key\": \"rarely\" }, { \"key\": \"sometimes\" },"
	    " { \"key\": \"often\" }, { \"key\": \"always\" } ] } },\n"
	    "  \"items\": [ { \"key\": \"stress\", \"scale\": \"f5\",\n"
	    "    \"compare_as\": { \"scale\": \"f4\", \"map\": { \"alwys\": "
	    "\"often\" } } } ] }\n");
	ASSERT(qn_load(path, NULL, 0, &d) == NULL);
	ASSERT_DIAG(&d, "c-2020.json:4:54: error: bad scale mapping: "
	    "items[0].compare_as.map.alwys: 'alwys' is not a level of 'f5'");
	ASSERT_DIAG(&d, "error: bad scale mapping: items[0].compare_as: "
	    "level 'always' has no counterpart in 'f4'; add it to \"map\"");
	diag_release(&d);
	dir_done(&t);
}

TEST(qn_unknown_member_is_a_warning_with_a_suggestion)
{
	struct diag d = DIAG_INIT;
	struct dir t;
	struct qn *q;
	const char *path;

	dir_init(&t);
	path = dir_put(&t, "x.json",
	    "{ \"id\": \"x\", \"year\": 2020, \"id_column\": \"ID\",\n"
	    "  \"dimensions\": [ { \"key\": \"team\", \"colum\": \"T\", "
	    "\"column\": \"T\" } ],\n"
	    "  \"items\": [ { \"key\": \"n\", \"type\": \"text\", \"text\": "
	    "\"N\", \"column\": \"N\", \"zzz\": 1 } ] }\n");
	q = qn_load(path, NULL, 0, &d);
	ASSERT(q != NULL);
	ASSERT_DIAG(&d, "x.json:2:45: warning: unknown member: "
	    "dimensions[0].colum: 'colum' is not used by whc (did you mean "
	    "'column'?)");
	ASSERT_DIAG(&d, "warning: unknown member: items[0].zzz: 'zzz' is "
	    "not used by whc");
	ASSERT_EQ(diag_errors(&d), 0);
	qn_free(q);
	diag_release(&d);
	dir_done(&t);
}

static const char teams_json[] =
    "{ \"id\": \"teams-t\",\n"
    "  \"directorates\": [ { \"name\": \"CSC\" }, { \"name\": \"EH\" } ],\n"
    "  \"services\": [\n"
    "    { \"name\": \"Front\", \"directorate\": \"CSC\" },\n"
    "    { \"name\": \"Perm\", \"directorate\": \"CSC\" },\n"
    "    { \"name\": \"Help\", \"directorate\": \"EH\" } ],\n"
    "  \"teams\": [\n"
    "    { \"name\": \"MASH\", \"service\": \"Front\",\n"
    "      \"formerly\": [ { \"name\": \"Front Door\", \"until\": 2021 } ],\n"
    "      \"match\": [ \"^mash( team)?$\" ] },\n"
    "    { \"name\": \"Fostering\", \"service\": \"Perm\", \"until\": 2022,"
    "\n      \"match\": [ \"^fostering\" ] },\n"
    "    { \"name\": \"Adoption\", \"service\": \"Perm\", \"until\": 2022 },"
    "\n    { \"name\": \"Permanence\", \"service\": \"Perm\", \"from\": 2023,"
    "\n      \"formed_from\": [ \"Fostering\", \"Adoption\" ],\n"
    "      \"match\": [ \"^perm\" ] },\n"
    "    { \"name\": \"Help\", \"service\": \"Help\", \"until\": 2023 },\n"
    "    { \"name\": \"Help East\", \"service\": \"Help\", \"from\": 2024,"
    "\n      \"formed_from\": [ \"Help\" ], \"match\": [ \"east\" ] },\n"
    "    { \"name\": \"Help West\", \"service\": \"Help\", \"from\": 2024,"
    "\n      \"formed_from\": [ \"Help\" ], \"match\": [ \"west\" ] },\n"
    "    { \"name\": \"Eastwest\", \"service\": \"Help\",\n"
    "      \"names\": [ \"EW\" ] }\n"
    "  ] }\n";

static struct qn *
load_year(struct dir *t, int year, struct diag *d)
{
	char name[32], *text;
	const char *path;
	struct qn *q;

	snprintf(name, sizeof(name), "d-%d.json", year);
	text = xasprintf("{ \"id\": \"d-%d\", \"year\": %d, \"id_column\": "
	    "\"ID\", \"team_map\": \"teams-t\",\n  \"dimensions\": "
	    "[ { \"key\": \"team\", \"column\": \"Team\" } ],\n  \"items\": "
	    "[ { \"key\": \"c\", \"type\": \"text\", \"text\": \"C\", "
	    "\"column\": \"C\" } ] }\n", year, year);
	path = dir_put(t, name, text);
	free(text);
	q = qn_load(path, NULL, 0, d);
	if (q == NULL)
		dump_diag(d);
	return q;
}

/* Resolves raw in q; returns the canonical team or "?status". */
static const char *
team_of(struct qn *q, const char *raw, struct qn_team_res *r)
{
	static const char *const st[] = { "?ok", "?blank", "?unknown",
	    "?gone", "?ambiguous" };

	qn_team_resolve(q, raw, strlen(raw), r);
	if (r->status == QN_TEAM_OK && r->team != NULL)
		return r->team;
	return st[r->status];
}

TEST(qn_team_map_years_and_hierarchy)
{
	struct diag d = DIAG_INIT;
	struct qn_team_res r;
	struct buf why = BUF_INIT;
	struct dir t;
	struct qn *q19, *q23, *q24;

	dir_init(&t);
	dir_put(&t, "teams-t.json", teams_json);
	q19 = load_year(&t, 2019, &d);
	q23 = load_year(&t, 2023, &d);
	q24 = load_year(&t, 2024, &d);
	ASSERT(q19 && q23 && q24);
	/* The hierarchy becomes two derived dimensions. */
	ASSERT_EQ(qn_field_find(q19, "service"), 1);
	ASSERT_EQ(qn_field_find(q19, "directorate"), 2);
	ASSERT(qn_field_derived(q19, 1));
	ASSERT(!qn_field_derived(q19, 0));
	/* A rename: the old name, any case and spacing, is the team. */
	ASSERT_STR_EQ(team_of(q19, " front  DOOR ", &r), "MASH");
	ASSERT_STR_EQ(r.service, "Front");
	ASSERT_STR_EQ(r.directorate, "CSC");
	ASSERT_STR_EQ(team_of(q24, "Mash team", &r), "MASH");
	/* A merge: the old teams until 2022, the new one from 2023. */
	ASSERT_STR_EQ(team_of(q19, "Fostering Team", &r), "Fostering");
	ASSERT_STR_EQ(team_of(q19, "Permanence", &r), "?gone");
	ASSERT_STR_EQ(team_of(q23, "Fostering", &r), "?gone");
	qn_team_explain(q23, &r, &why);
	ASSERT_STR_EQ(why.data, " (it names 'Fostering', which ended in "
	    "2022; see 'Permanence')");
	ASSERT_STR_EQ(team_of(q23, "permanence service", &r), "Permanence");
	ASSERT_STR_EQ(r.service, "Perm");
	/* A split. */
	ASSERT_STR_EQ(team_of(q23, "help", &r), "Help");
	ASSERT_STR_EQ(team_of(q24, "Help", &r), "?gone");
	ASSERT_STR_EQ(team_of(q24, "Help (West)", &r), "Help West");
	ASSERT_STR_EQ(r.directorate, "EH");
	/* Exact names win over patterns; two patterns are ambiguous. */
	ASSERT_STR_EQ(team_of(q24, "ew", &r), "Eastwest");
	ASSERT_STR_EQ(team_of(q24, "Help East by West", &r), "?ambiguous");
	ASSERT_STR_EQ(r.team, "Help East");
	ASSERT_STR_EQ(r.other, "Help West");
	/* Unknown and blank values. */
	ASSERT_STR_EQ(team_of(q24, "Narnia", &r), "?unknown");
	ASSERT(r.team == NULL && r.service == NULL);
	ASSERT_STR_EQ(team_of(q24, "  ", &r), "?blank");
	ASSERT_EQ(diag_errors(&d), 0);
	qn_free(q19);
	qn_free(q23);
	qn_free(q24);
	buf_release(&why);
	diag_release(&d);
	dir_done(&t);
}

static void
add_note(const char *note, void *arg)
{
	buf_addf(arg, "%s\n", note);
}

TEST(qn_team_history_notes)
{
	struct diag d = DIAG_INIT;
	struct buf b = BUF_INIT;
	struct dir t;
	struct qn *q;

	dir_init(&t);
	dir_put(&t, "teams-t.json", teams_json);
	q = load_year(&t, 2025, &d);
	ASSERT(q != NULL);
	qn_team_history(q, "team", 2019, 2025, add_note, &b);
	ASSERT_STR_EQ(b.data,
	    "MASH was called Front Door until 2021; its series continues "
	    "under the new name.\n"
	    "Fostering and Adoption merged into Permanence in 2023: their "
	    "series end in 2022 and Permanence's begins in 2023.\n"
	    "Help was split into Help East and Help West in 2024: its series "
	    "ends in 2023 and theirs begin in 2024.\n");
	/* A table that does not cross a change says nothing about it. */
	buf_reset(&b);
	qn_team_history(q, "team", 2024, 2025, add_note, &b);
	ASSERT_STR_EQ(b.data, "");
	buf_reset(&b);
	qn_team_history(q, "team", 2023, 2024, add_note, &b);
	ASSERT(strstr(b.data, "Help was split") != NULL);
	ASSERT(strstr(b.data, "Permanence") == NULL);
	/* Merges inside one service do not change the service's series. */
	buf_reset(&b);
	qn_team_history(q, "service", 2019, 2025, add_note, &b);
	ASSERT_STR_EQ(b.data, "");
	qn_free(q);
	buf_release(&b);
	diag_release(&d);
	dir_done(&t);
}

TEST(qn_team_map_errors)
{
	struct diag d = DIAG_INIT;
	struct dir t;
	const char *path;

	dir_init(&t);
	path = dir_put(&t, "tm.json",
	    "{ \"services\": [ { \"name\": \"S\" } ],\n"
	    "  \"teams\": [\n"
	    "    { \"name\": \"A\", \"service\": \"S\", \"names\": [ \"X\" ] },"
	    "\n    { \"name\": \"B\", \"service\": \"T\", \"names\": [ \"x\" ] },"
	    "\n    { \"name\": \"C\", \"formed_from\": [ \"Q\" ] },\n"
	    "    { \"name\": \"D\", \"service\": \"S\", \"from\": 2024, "
	    "\"until\": 2020 } ] }\n");
	ASSERT_EQ(qn_check_team_map(path, QN_LINT, &d), -1);
	ASSERT_DIAG(&d, "tm.json:4:31: error: team map is invalid: "
	    "teams[1].service: no service called 'T'");
	ASSERT_DIAG(&d, "tm.json:4:5: error: team name used twice: teams[1]: "
	    "'x' names both 'A' and 'B' in the same years");
	ASSERT_DIAG(&d, "tm.json:5:5: error: team map is invalid: "
	    "teams[2].service: missing");
	ASSERT_DIAG(&d, "teams[2].formed_from: a team formed from others "
	    "needs \"from\"");
	ASSERT_DIAG(&d, "tm.json:5:37: error: team map is invalid: "
	    "teams[2].formed_from[0]: must name another team");
	ASSERT_DIAG(&d, "tm.json:6:5: error: team map is invalid: teams[3]: "
	    "\"from\" (2024) is after \"until\" (2020)");
	diag_release(&d);
	dir_done(&t);
}

static void
collect(const struct qn_tally_ent *e, void *arg)
{
	if (e->count == 0)
		return;
	buf_addf(arg, "%s/%s/%s=%lu@%lu\n", e->field, e->kind, e->value,
	    e->count, e->line);
}

static int
intern(void *arg, const char *dim, const char *val, size_t n, int32_t *code)
{
	(void)arg;
	(void)dim;
	(void)val;
	*code = n > 0;
	return 0;
}

TEST(qn_tally_counts_and_odd_values)
{
	struct diag d = DIAG_INIT;
	struct buf b = BUF_INIT;
	struct qn_team_res r;
	struct qn_tally *t;
	struct dir dr;
	struct qn *q;
	const char *path;
	static const char *const rows[][4] = {
		/* Team, Stress, Cases, Comments */
		{ "A", "often", "12", "" },
		{ "Z", " Sometimes ", "x", "hi" },
		{ "A", "meh", "99", "" },
		{ "", "", "", "" },
		{ "A", "MEH", "3", "" },
	};
	size_t col[4] = { 0, 1, 2, 3 }, len[4];
	int32_t norm[4];

	dir_init(&dr);
	path = dir_put(&dr, "t.json",
	    "{ \"id\": \"t\", \"year\": 2020, \"id_column\": \"ID\",\n"
	    "  \"teams\": [ { \"name\": \"A\" } ],\n"
	    "  \"scales\": { \"f\": { \"levels\": [ { \"key\": \"never\" }, "
	    "{ \"key\": \"sometimes\" }, { \"key\": \"often\" } ] } },\n"
	    "  \"dimensions\": [ { \"key\": \"team\", \"column\": \"T\" } ],\n"
	    "  \"items\": [ { \"key\": \"stress\", \"type\": \"scale\", "
	    "\"scale\": \"f\", \"text\": \"S\", \"column\": \"S\" },\n"
	    "    { \"key\": \"cases\", \"type\": \"number\", \"max\": 60, "
	    "\"text\": \"C\", \"column\": \"C\" },\n"
	    "    { \"key\": \"comments\", \"type\": \"text\", \"text\": \"M\", "
	    "\"column\": \"M\" } ] }\n");
	q = qn_load(path, NULL, 0, &d);
	ASSERT(q != NULL);
	t = qn_tally_new(q);
	for (size_t i = 0; i < 5; i++) {
		char *f[4];

		for (size_t c = 0; c < 4; c++) {
			f[c] = (char *)rows[i][c];
			len[c] = strlen(rows[i][c]);
		}
		ASSERT_EQ(qn_normalise_row(q, f, len, col, norm, &r, intern,
		    NULL), 0);
		qn_tally_row(t, norm, f, len, col, &r, i + 2);
	}
	qn_tally_dup(t, "r7", 9);
	qn_tally_each(t, collect, &b);
	ASSERT_STR_EQ(b.data,
	    "/responses/=5@0\n"
	    "team/valid/=3@0\n"
	    "team/blank/=1@0\n"
	    "team/unknown_team/Z=1@3\n"
	    "stress/valid/=2@0\n"
	    "stress/blank/=1@0\n"
	    "stress/unrecognised/meh=1@4\n"
	    "stress/unrecognised/MEH=1@6\n"
	    "cases/valid/=2@0\n"
	    "cases/blank/=1@0\n"
	    "cases/not_a_number/x=1@3\n"
	    "cases/out_of_range/99=1@4\n"
	    "comments/valid/=1@0\n"
	    "comments/blank/=4@0\n"
	    "/duplicate_id/r7=1@9\n");
	qn_tally_free(t);
	qn_free(q);
	buf_release(&b);
	diag_release(&d);
	dir_done(&dr);
}
