/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/config.c: sections and subsections, comments,
 * quoting, the last setting winning, located value and syntax errors, a
 * missing file, and the listing of subsections.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/diag.h"
#include "common/xalloc.h"
#include "tests/unit/unit.h"

/* A config file in a directory of its own, removed by tmp_done(). */
struct tmpf {
	char	dir[512];
	char	path[600];
};

static void
tmp_write(struct tmpf *t, const char *text)
{
	const char *tmp = getenv("TMPDIR");
	size_t n = strlen(text);
	int fd;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(t->dir, sizeof(t->dir), "%s/whc-u-config-XXXXXX", tmp);
	ASSERT(mkdtemp(t->dir) != NULL);
	snprintf(t->path, sizeof(t->path), "%s/whc.conf", t->dir);
	fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT(fd >= 0);
	ASSERT_EQ(write(fd, text, n), n);
	ASSERT_EQ(close(fd), 0);
}

static void
tmp_done(struct tmpf *t)
{
	unlink(t->path);
	ASSERT_EQ(rmdir(t->dir), 0);
}

/* Loads text as a config file that must exist; d gets the diagnostics. */
static struct config *
load_text(struct tmpf *t, const char *text, struct diag *d)
{
	tmp_write(t, text);
	return config_load(t->path, 1, d);
}

/* Asserts that d's record i reads "PATH:rest". */
static void
check_diag(const char *file, int line, const struct diag *d, size_t i,
    const char *path, const char *rest)
{
	struct buf want = BUF_INIT;

	if (i >= d->nr)
		unit_fail(file, line, "no diagnostic %zu (%zu recorded)", i,
		    d->nr);
	buf_addf(&want, "%s:%s", path, rest);
	unit_check_str(file, line, "diagnostic", "expected", d->v[i].text,
	    want.data);
	buf_release(&want);
}

#define CHECK_DIAG(d, i, path, rest)					\
	check_diag(__FILE__, __LINE__, (d), (i), (path), (rest))

TEST(config_sections_and_values)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct config *c;

	c = load_text(&t,
	    "# A comment\n"
	    "; another comment\n"
	    "   # an indented one\n"
	    "\n"
	    "[store]\n"
	    "db = whc.db\n"
	    "  Path   =   spaced   value  \t\n"
	    "empty =\n"
	    "[ Disclosure ]\n"
	    "k=5\n"
	    "quoted = \"  keep  spaces  \"\n"
	    "inner = say \"hi\" there\n"
	    "lone = \"\n"
	    "eq = a=b\n"
	    "[source \"smartsurvey-2019\"]\n"
	    "provider = smartsurvey\n"
	    "[SOURCE \"Other Name\"]\n"
	    "provider = other\n", &d);
	ASSERT(c != NULL);
	ASSERT_EQ(d.nr, 0);
	ASSERT_STR_EQ(config_path(c), t.path);
	ASSERT_STR_EQ(config_get(c, "store.db"), "whc.db");
	ASSERT_EQ(config_line(c, "store.db"), 6);
	/* Keys are case-insensitive (stored lowercased); values trimmed. */
	ASSERT_STR_EQ(config_get(c, "store.path"), "spaced   value");
	ASSERT_STR_EQ(config_get(c, "store.Path"), NULL);
	ASSERT_STR_EQ(config_get(c, "store.empty"), "");
	ASSERT_EQ(config_line(c, "store.empty"), 8);
	ASSERT_STR_EQ(config_get(c, "disclosure.k"), "5");
	ASSERT_EQ(config_line(c, "disclosure.k"), 10);
	ASSERT_STR_EQ(config_get(c, "disclosure.quoted"),
	    "  keep  spaces  ");
	ASSERT_STR_EQ(config_get(c, "disclosure.inner"), "say \"hi\" there");
	ASSERT_STR_EQ(config_get(c, "disclosure.lone"), "\"");
	ASSERT_STR_EQ(config_get(c, "disclosure.eq"), "a=b");
	/* Subsection names keep their case; section names do not. */
	ASSERT_STR_EQ(config_get(c, "source.smartsurvey-2019.provider"),
	    "smartsurvey");
	ASSERT_EQ(config_line(c, "source.smartsurvey-2019.provider"), 16);
	ASSERT_STR_EQ(config_get(c, "source.Other Name.provider"), "other");
	ASSERT_STR_EQ(config_get(c, "source.other name.provider"), NULL);
	/* Absent names. */
	ASSERT_STR_EQ(config_get(c, "store.nothing"), NULL);
	ASSERT_EQ(config_line(c, "store.nothing"), 0);
	ASSERT_STR_EQ(config_get(c, "db"), NULL);
	ASSERT_STR_EQ(config_get(c, "source.provider"), NULL);
	config_free(c);
	tmp_done(&t);
	diag_release(&d);
}

TEST(config_last_setting_wins)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct config *c;
	long k = 0;

	c = load_text(&t,
	    "[disclosure]\n"
	    "k = 5\n"
	    "[store]\n"
	    "db = a.db\n"
	    "[disclosure]\n"
	    "K = 7\n"
	    "[store]\n"
	    "db = b.db\n"
	    "db = c.db\n", &d);
	ASSERT(c != NULL);
	ASSERT_STR_EQ(config_get(c, "disclosure.k"), "7");
	ASSERT_EQ(config_line(c, "disclosure.k"), 6);
	ASSERT_EQ(config_get_int(c, "disclosure.k", 1, 100, &k, &d), 0);
	ASSERT_EQ(k, 7);
	ASSERT_STR_EQ(config_get(c, "store.db"), "c.db");
	ASSERT_EQ(config_line(c, "store.db"), 9);
	ASSERT_EQ(d.nr, 0);
	config_free(c);
	tmp_done(&t);
	diag_release(&d);
}

TEST(config_get_int)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct config *c;
	long v;

	c = load_text(&t,
	    "[n]\n"
	    "five = 5\n"
	    "neg = -3\n"
	    "zero = 0\n"
	    "word = many\n"
	    "tail = 5x\n"
	    "blank =\n"
	    "huge = 99999999999999999999999\n"
	    "max = 100\n"
	    "k.item_x = 7\n", &d);
	ASSERT(c != NULL);
	v = 1;
	ASSERT_EQ(config_get_int(c, "n.five", 1, 100, &v, &d), 0);
	ASSERT_EQ(v, 5);
	/* A key with a dot in it (a per-item setting). */
	ASSERT_EQ(config_get_int(c, "n.k.item_x", 1, 100, &v, &d), 0);
	ASSERT_EQ(v, 7);
	ASSERT_EQ(config_get_int(c, "n.neg", -10, 10, &v, &d), 0);
	ASSERT_EQ(v, -3);
	ASSERT_EQ(config_get_int(c, "n.max", 1, 100, &v, &d), 0);
	ASSERT_EQ(v, 100);
	/* Unset: 0, *out untouched, nothing recorded. */
	v = 42;
	ASSERT_EQ(config_get_int(c, "n.unset", 1, 100, &v, &d), 0);
	ASSERT_EQ(v, 42);
	ASSERT_EQ(d.nr, 0);

	/* Each error is located at the line that set the value. */
	ASSERT_EQ(config_get_int(c, "n.zero", 1, 100, &v, &d), -1);
	ASSERT_EQ(v, 42);
	CHECK_DIAG(&d, 0, t.path, "4: error: bad config value: n.zero must "
	    "be a whole number from 1 to 100, not '0'");
	ASSERT_EQ(d.v[0].code, DIAG_CONF_VALUE);
	ASSERT_EQ(config_get_int(c, "n.five", 6, 100, &v, &d), -1);
	CHECK_DIAG(&d, 1, t.path, "2: error: bad config value: n.five must "
	    "be a whole number from 6 to 100, not '5'");
	ASSERT_EQ(config_get_int(c, "n.max", 1, 99, &v, &d), -1);
	CHECK_DIAG(&d, 2, t.path, "9: error: bad config value: n.max must "
	    "be a whole number from 1 to 99, not '100'");
	ASSERT_EQ(config_get_int(c, "n.word", 1, 100, &v, &d), -1);
	CHECK_DIAG(&d, 3, t.path, "5: error: bad config value: n.word must "
	    "be a whole number from 1 to 100, not 'many'");
	ASSERT_EQ(config_get_int(c, "n.tail", 1, 100, &v, &d), -1);
	CHECK_DIAG(&d, 4, t.path, "6: error: bad config value: n.tail must "
	    "be a whole number from 1 to 100, not '5x'");
	ASSERT_EQ(config_get_int(c, "n.blank", 1, 100, &v, &d), -1);
	CHECK_DIAG(&d, 5, t.path, "7: error: bad config value: n.blank must "
	    "be a whole number from 1 to 100, not ''");
	ASSERT_EQ(config_get_int(c, "n.huge", 1, 100, &v, &d), -1);
	CHECK_DIAG(&d, 6, t.path, "8: error: bad config value: n.huge must "
	    "be a whole number from 1 to 100, not "
	    "'99999999999999999999999'");
	ASSERT_EQ(v, 42);
	ASSERT_EQ(d.nr, 7);
	ASSERT_EQ(diag_errors(&d), 7);
	ASSERT_EQ(d.worst_class, DIAG_CLASS_DATA);
	config_free(c);
	tmp_done(&t);
	diag_release(&d);
}

/* Loads text, which must fail with exactly one syntax error, rest. */
static void
check_syntax(const char *file, int line, const char *text, const char *rest)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct config *c = load_text(&t, text, &d);

	if (c != NULL)
		unit_fail(file, line, "config_load accepted \"%s\"", text);
	if (d.nr != 1)
		unit_fail(file, line, "%zu diagnostics for \"%s\"", d.nr,
		    text);
	check_diag(file, line, &d, 0, t.path, rest);
	if (d.v[0].code != DIAG_CONF_SYNTAX)
		unit_fail(file, line, "code %d", (int)d.v[0].code);
	tmp_done(&t);
	diag_release(&d);
}

#define CHECK_SYNTAX(text, rest)					\
	check_syntax(__FILE__, __LINE__, (text), (rest))

TEST(config_syntax_errors)
{
	CHECK_SYNTAX("[store]\na = 1\n[store\nb = 2\n",
	    "3: error: config syntax error: bad section header");
	CHECK_SYNTAX("[a]\n[a b]\n",
	    "2: error: config syntax error: bad section header");
	CHECK_SYNTAX("[]\n", "1: error: config syntax error: bad section "
	    "header");
	CHECK_SYNTAX("[a]\n\n[source \"x]\n",
	    "3: error: config syntax error: bad section header");
	CHECK_SYNTAX("[source \"x\"] junk\n",
	    "1: error: config syntax error: bad section header");
	CHECK_SYNTAX("[source \"x\" y]\n",
	    "1: error: config syntax error: bad section header");
	CHECK_SYNTAX("[ \"x\"]\n",
	    "1: error: config syntax error: bad section header");
	CHECK_SYNTAX("# comment\nk = 5\n[disclosure]\n",
	    "2: error: config syntax error: key outside a [section]");
	CHECK_SYNTAX("[store]\ndb = x\n\njust some words\n",
	    "4: error: config syntax error: expected 'key = value'");
	CHECK_SYNTAX("[store]\nmy key = x\n",
	    "2: error: config syntax error: bad key name");
	CHECK_SYNTAX("[store]\n= x\n",
	    "2: error: config syntax error: bad key name");
	CHECK_SYNTAX("[disclosure]\nk..x = 5\n",
	    "2: error: config syntax error: bad key name");
	CHECK_SYNTAX("[disclosure]\nk. = 5\n",
	    "2: error: config syntax error: bad key name");
	CHECK_SYNTAX("[disclosure]\n.k = 5\n",
	    "2: error: config syntax error: bad key name");
}

TEST(config_every_syntax_error_reported)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct config *c;

	c = load_text(&t,
	    "orphan = 1\n"
	    "[ok]\n"
	    "good = 1\n"
	    "no equals here\n"
	    "[bad\n", &d);
	ASSERT(c == NULL);
	ASSERT_EQ(d.nr, 3);
	CHECK_DIAG(&d, 0, t.path,
	    "1: error: config syntax error: key outside a [section]");
	CHECK_DIAG(&d, 1, t.path,
	    "4: error: config syntax error: expected 'key = value'");
	CHECK_DIAG(&d, 2, t.path,
	    "5: error: config syntax error: bad section header");
	ASSERT_EQ(diag_errors(&d), 3);
	ASSERT_EQ(d.worst_class, DIAG_CLASS_DATA);
	tmp_done(&t);
	diag_release(&d);
}

TEST(config_missing_file)
{
	struct diag d = DIAG_INIT;
	struct buf path = BUF_INIT, want = BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	struct config *c;
	long v = 3;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	buf_addf(&path, "%s/whc-u-config-no-such-dir-%ld/whc.conf", tmp,
	    (long)getpid());
	/* Optional: an empty config, no diagnostic. */
	c = config_load(path.data, 0, &d);
	ASSERT(c != NULL);
	ASSERT_EQ(d.nr, 0);
	ASSERT_STR_EQ(config_path(c), NULL);
	ASSERT_STR_EQ(config_get(c, "store.db"), NULL);
	ASSERT_EQ(config_line(c, "store.db"), 0);
	ASSERT_EQ(config_get_int(c, "disclosure.k", 1, 9, &v, &d), 0);
	ASSERT_EQ(v, 3);
	config_free(c);
	/* No path at all: the same. */
	c = config_load(NULL, 1, &d);
	ASSERT(c != NULL);
	ASSERT_STR_EQ(config_path(c), NULL);
	ASSERT_STR_EQ(config_get(c, "store.db"), NULL);
	config_free(c);
	ASSERT_EQ(d.nr, 0);
	/* Required: an environment failure naming the file. */
	c = config_load(path.data, 1, &d);
	ASSERT(c == NULL);
	ASSERT_EQ(d.nr, 1);
	buf_addf(&want, "cannot open config '%s': %s", path.data,
	    strerror(ENOENT));
	ASSERT_STR_EQ(d.v[0].text, want.data);
	ASSERT_EQ(d.v[0].cls, DIAG_CLASS_ENV);
	ASSERT_EQ(d.worst_class, DIAG_CLASS_ENV);
	config_free(NULL);
	buf_release(&path);
	buf_release(&want);
	diag_release(&d);
}

TEST(config_empty_file)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct config *c = load_text(&t, "", &d);

	ASSERT(c != NULL);
	ASSERT_EQ(d.nr, 0);
	ASSERT_STR_EQ(config_path(c), t.path);
	ASSERT_STR_EQ(config_get(c, "store.db"), NULL);
	config_free(c);
	tmp_done(&t);
}

TEST(config_no_final_newline)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct config *c = load_text(&t, "[a]\r\nx = 1\r\ny = 2", &d);

	ASSERT(c != NULL);
	ASSERT_STR_EQ(config_get(c, "a.x"), "1");
	ASSERT_STR_EQ(config_get(c, "a.y"), "2");
	ASSERT_EQ(config_line(c, "a.y"), 3);
	config_free(c);
	tmp_done(&t);
	diag_release(&d);
}

struct subs {
	char	*v[16];
	size_t	 nr;
};

static void
collect(const char *sub, void *arg)
{
	struct subs *s = arg;

	ASSERT(s->nr < 16);
	s->v[s->nr++] = xstrdup(sub);
}

static void
subs_free(struct subs *s)
{
	for (size_t i = 0; i < s->nr; i++)
		free(s->v[i]);
	s->nr = 0;
}

TEST(config_each_sub)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct subs s = { { NULL }, 0 };
	struct config *c;

	c = load_text(&t,
	    "[source]\n"
	    "plain = 1\n"
	    "[source \"b-2019\"]\n"
	    "provider = x\n"
	    "file = b.csv\n"
	    "[other \"zz\"]\n"
	    "k = 1\n"
	    "[source \"A\"]\n"
	    "provider = y\n"
	    "[source \"b-2019\"]\n"
	    "extra = 1\n"
	    "[sourcex \"c\"]\n"
	    "k = 1\n"
	    "[Source \"v1.2\"]\n"
	    "k = 1\n"
	    "k = 2\n"
	    "[source \"a\"]\n"
	    "k = 1\n", &d);
	ASSERT(c != NULL);
	config_each_sub(c, "source", collect, &s);
	ASSERT_EQ(s.nr, 4);
	ASSERT_STR_EQ(s.v[0], "b-2019");
	ASSERT_STR_EQ(s.v[1], "A");
	ASSERT_STR_EQ(s.v[2], "v1.2");
	ASSERT_STR_EQ(s.v[3], "a");
	ASSERT_STR_EQ(config_get(c, "source.v1.2.k"), "2");
	subs_free(&s);
	config_each_sub(c, "other", collect, &s);
	ASSERT_EQ(s.nr, 1);
	ASSERT_STR_EQ(s.v[0], "zz");
	subs_free(&s);
	config_each_sub(c, "sourcex", collect, &s);
	ASSERT_EQ(s.nr, 1);
	ASSERT_STR_EQ(s.v[0], "c");
	subs_free(&s);
	config_each_sub(c, "nothing", collect, &s);
	config_each_sub(c, "sour", collect, &s);
	ASSERT_EQ(s.nr, 0);
	config_free(c);
	tmp_done(&t);
	diag_release(&d);
}

TEST(config_each_sub_other_section_with_same_prefix)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct subs s = { { NULL }, 0 };
	struct config *c;

	/*
	 * "source_a.key" must not count as an earlier setting of the
	 * subsection "a" of [source]: it is another section.
	 */
	c = load_text(&t,
	    "[source_a]\n"
	    "key = 1\n"
	    "[sourcesb \"x\"]\n"
	    "key = 1\n"
	    "[source \"a\"]\n"
	    "key = 2\n"
	    "[source \"b\"]\n"
	    "key = 2\n", &d);
	ASSERT(c != NULL);
	config_each_sub(c, "source", collect, &s);
	ASSERT_EQ(s.nr, 2);
	ASSERT_STR_EQ(s.v[0], "a");
	ASSERT_STR_EQ(s.v[1], "b");
	subs_free(&s);
	config_free(c);
	tmp_done(&t);
	diag_release(&d);
}

TEST(config_each_sub_names_with_dots)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct subs s = { { NULL }, 0 };
	struct config *c;

	/* "v1.2" is not a setting of "v1", nor "v1" one of "v1.2". */
	c = load_text(&t,
	    "[source \"v1.2\"]\n"
	    "key = 1\n"
	    "[source \"v1\"]\n"
	    "key = 2\n"
	    "[source \"v1.2.3\"]\n"
	    "key = 3\n"
	    "[source \"v1\"]\n"
	    "other = 4\n", &d);
	ASSERT(c != NULL);
	config_each_sub(c, "source", collect, &s);
	ASSERT_EQ(s.nr, 3);
	ASSERT_STR_EQ(s.v[0], "v1.2");
	ASSERT_STR_EQ(s.v[1], "v1");
	ASSERT_STR_EQ(s.v[2], "v1.2.3");
	ASSERT_STR_EQ(config_get(c, "source.v1.key"), "2");
	ASSERT_STR_EQ(config_get(c, "source.v1.2.key"), "1");
	subs_free(&s);
	config_free(c);
	tmp_done(&t);
	diag_release(&d);
}
