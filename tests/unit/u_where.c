/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the --where filter (scorer/score_where.c): the grammar,
 * located errors with a caret under the right character, and binding to
 * a definition (dimension values by text and by number, scale levels in
 * order, number items, free text, blanks, year) checked response by
 * response.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/diag.h"
#include "questionnaires/qn.h"
#include "scorer/score_int.h"
#include "tests/unit/unit.h"

static const char def[] =
    "{\"id\":\"w\",\"year\":2024,\"id_column\":\"ID\","
    "\"scales\":{\"f\":{\"levels\":[{\"key\":\"never\",\"label\":\"Never\"},"
    "{\"key\":\"rarely\",\"label\":\"Rarely\"},"
    "{\"key\":\"occasionally\",\"label\":\"Occasionally\"},"
    "{\"key\":\"often\",\"label\":\"Often\"}]}},"
    "\"dimensions\":[{\"key\":\"team\",\"label\":\"Team\",\"column\":\"T\"},"
    "{\"key\":\"role\",\"label\":\"Role\",\"column\":\"R\"},"
    "{\"key\":\"grade\",\"label\":\"Grade\",\"column\":\"G\"}],"
    "\"items\":[{\"key\":\"stress\",\"type\":\"scale\",\"scale\":\"f\","
    "\"text\":\"S\",\"column\":\"S\"},"
    "{\"key\":\"caseload\",\"type\":\"number\",\"text\":\"C\","
    "\"column\":\"C\"},"
    "{\"key\":\"comments\",\"type\":\"text\",\"text\":\"X\","
    "\"column\":\"X\"}]}";

/* Value ids: 1 Alpha, 2 Beta (team); 3 Social Worker, 4 Manager (role);
 * 5 "3", 6 "4", 7 "Senior" (grade). */
static const char *const teams[] = { NULL, "Alpha", "Beta", NULL, NULL, NULL,
	NULL, NULL };
static const char *const roles[] = { NULL, NULL, NULL, "Social Worker",
	"Manager", NULL, NULL, NULL };
static const char *const grades[] = { NULL, NULL, NULL, NULL, NULL, "3", "4",
	"Senior" };

struct env {
	long	 field[8];		/* slot -> field */
	size_t	 nslot;
};

static size_t
slot(void *arg, long f)
{
	struct env *e = arg;

	for (size_t i = 0; i < e->nslot; i++)
		if (e->field[i] == f)
			return i;
	e->field[e->nslot] = f;
	return e->nslot++;
}

static int
dimvals(void *arg, const char *dim, const char *const **texts, size_t *n)
{
	(void)arg;
	*n = 8;
	*texts = strcmp(dim, "team") == 0 ? teams : strcmp(dim, "role") ==
	    0 ? roles : grades;
	return 0;
}

/* One response: fields team, role, grade, stress, caseload, comments. */
struct resp {
	int32_t	 v[6];
	int	 year;
};

/*
 * Binds text and evaluates it on each response; returns the results as
 * a string of 0s and 1s, or the error text.
 */
static void
run(const char *text, const struct resp *r, size_t nr, char *out,
    size_t outsz)
{
	struct diag d = DIAG_INIT;
	struct qn *q = qn_load_text(def, "w.json", &d);
	struct env env;
	struct score_bind b;
	struct score_where *w;
	struct score_filter *f;

	ASSERT(q != NULL);
	memset(&env, 0, sizeof(env));
	b.q = q;
	b.year = 2024;
	b.slot = slot;
	b.dimvals = dimvals;
	b.arg = &env;
	b.d = &d;
	out[0] = '\0';
	if ((w = score_where_parse(text, &d)) != NULL &&
	    (f = score_where_bind(w, &b)) != NULL) {
		for (size_t i = 0; i < nr && i + 1 < outsz; i++) {
			const int32_t *cols[8];

			for (size_t s = 0; s < env.nslot; s++)
				cols[s] = &r[i].v[env.field[s]];
			out[i] = score_filter_eval(f, cols, 0, r[i].year) ?
			    '1' : '0';
			out[i + 1] = '\0';
		}
		score_filter_free(f);
	}
	if (d.nr > 0)
		snprintf(out, outsz, "%s", d.v[0].text);
	score_where_free(w);
	qn_free(q);
	diag_release(&d);
}

static const struct resp rs[] = {
	/* team role grade stress caseload comments */
	{ { 1, 3, 5, 4, 2000, 1 }, 2024 },	/* Alpha SW 3 often 20 */
	{ { 1, 4, 6, 1, 3050, 0 }, 2024 },	/* Alpha Mgr 4 never 30.5 */
	{ { 2, 3, 7, 3, QN_NUM_BLANK, 0 }, 2023 },/* Beta SW Senior occ. */
	{ { 2, 0, 0, 0, QN_NUM_BAD, 1 }, 2023 },/* Beta blank blank blank */
	{ { 0, 3, 6, -1, 4500, 0 }, 2025 },	/* blank SW 4 unrec. 45 */
};
#define NR (sizeof(rs) / sizeof(rs[0]))

#define CHECK(text, want)						\
	do {								\
		char got_[512];						\
		run(text, rs, NR, got_, sizeof(got_));			\
		ASSERT_STR_EQ(got_, want);				\
	} while (0)

TEST(where_dimensions)
{
	CHECK("role = 'Social Worker'", "10101");
	CHECK("role = 'social worker'", "10101");
	CHECK("role != 'Social Worker'", "01000");
	CHECK("team in ('Alpha', \"Beta\")", "11110");
	CHECK("team not in ('Alpha')", "00110");
	CHECK("role is blank", "00010");
	CHECK("role is not blank", "11101");
	/* Numbers compare numerically; "Senior" is not a number. */
	CHECK("grade >= 3", "11001");
	CHECK("grade > 3", "01001");
	CHECK("grade = 4", "01001");
	CHECK("grade < 4.5 and grade != 4", "10000");
}

TEST(where_items_and_year)
{
	CHECK("stress = 'often'", "10000");
	CHECK("stress = 'Often'", "10000");
	CHECK("stress >= 'occasionally'", "10100");
	CHECK("stress < 'occasionally'", "01000");
	CHECK("stress != 'never'", "10100");
	CHECK("stress in ('never', 'often')", "11000");
	CHECK("stress not in ('never')", "10100");
	CHECK("stress is blank", "00010");
	CHECK("caseload > 20", "01001");
	CHECK("caseload >= 20", "11001");
	CHECK("caseload = 30.5", "01000");
	CHECK("caseload in (20, 45)", "10001");
	CHECK("caseload not in (20)", "01001");
	CHECK("caseload is blank", "00100");
	CHECK("comments is not blank", "10010");
	CHECK("year = 2023", "00110");
	CHECK("year >= 2024", "11001");
	CHECK("year in (2023, 2025)", "00111");
}

TEST(where_logic)
{
	CHECK("role = 'Social Worker' and grade >= 3", "10001");
	CHECK("role = 'Social Worker' or grade >= 4", "11101");
	CHECK("not role = 'Social Worker'", "01010");
	CHECK("NOT (team = 'Alpha' OR team = 'Beta')", "00001");
	/* and binds tighter than or. */
	CHECK("team = 'Beta' or team = 'Alpha' and stress = 'often'",
	    "10110");
	CHECK("(team = 'Beta' or team = 'Alpha') and stress = 'often'",
	    "10000");
	CHECK("  year=2024  ", "11000");
}

TEST(where_syntax_errors)
{
	CHECK("role = 'Social Worker' and grade >=",
	    "--where:1:36: error: expected a value ('text' or a number) but "
	    "the filter ends here\n"
	    "    role = 'Social Worker' and grade >=\n"
	    "                                       ^");
	CHECK("role = 'Social Worker",
	    "--where:1:8: error: this quoted text is not closed\n"
	    "    role = 'Social Worker\n"
	    "           ^");
	CHECK("(role = 'x'",
	    "--where:1:1: error: this '(' is not closed\n"
	    "    (role = 'x'\n"
	    "    ^");
	CHECK("role 'x'",
	    "--where:1:6: error: expected a comparison (=, !=, <, <=, >, >=), "
	    "'in' or 'is blank', not a quoted text\n"
	    "    role 'x'\n"
	    "         ^");
	CHECK("role = 'x' grade = 3",
	    "--where:1:12: error: expected 'and', 'or' or the end, not this "
	    "name\n"
	    "    role = 'x' grade = 3\n"
	    "               ^");
	CHECK("", "--where:1:1: error: the filter is empty\n    \n    ^");
	CHECK("role = 'x' ; drop",
	    "--where:1:12: error: unexpected character ';'\n"
	    "    role = 'x' ; drop\n"
	    "               ^");
	CHECK("grade >= 3x",
	    "--where:1:10: error: malformed number\n"
	    "    grade >= 3x\n"
	    "             ^");
	CHECK("role is empty",
	    "--where:1:9: error: expected 'blank' (as in 'role is blank'), "
	    "not this name\n"
	    "    role is empty\n"
	    "            ^");
	/* Columns count characters, not bytes. */
	CHECK("team = 'Équipe' and",
	    "--where:1:20: error: expected a field name (team, role, year, "
	    "an item...) but the filter ends here\n"
	    "    team = 'Équipe' and\n"
	    "                       ^");
}

TEST(where_binding_errors)
{
	CHECK("rol = 'x'",
	    "--where:1:1: error: no field 'rol' in the 2024 questionnaire "
	    "'w' (fields: team, role, grade, stress, caseload, comments, "
	    "year)\n"
	    "    rol = 'x'\n"
	    "    ^");
	CHECK("role = 'Socail Worker'",
	    "--where:1:8: error: no response has role 'Socail Worker'\n"
	    "    role = 'Socail Worker'\n"
	    "           ^");
	CHECK("stress = 'always'",
	    "--where:1:10: error: 'always' is not a level of 'stress' in "
	    "2024 (levels: 'never', 'rarely', 'occasionally', 'often')\n"
	    "    stress = 'always'\n"
	    "             ^");
	CHECK("role > 'Manager'",
	    "--where:1:8: error: 'role' is compared by order, which needs a "
	    "number (as in grade >= 3)\n"
	    "    role > 'Manager'\n"
	    "           ^");
	CHECK("caseload > 'many'",
	    "--where:1:12: error: 'caseload' is a number item: compare it "
	    "with a number\n"
	    "    caseload > 'many'\n"
	    "               ^");
	CHECK("comments = 'x'",
	    "--where:1:1: error: 'comments' is a free-text item: only 'is "
	    "blank' and 'is not blank' apply\n"
	    "    comments = 'x'\n"
	    "    ^");
}
