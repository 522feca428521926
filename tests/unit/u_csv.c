/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the CSV reader (common/csv.c): quoting, line ends, the
 * BOM, separator detection, record line numbers, located syntax errors and
 * recovery, NUL bytes, records and line ends that span the 64 KiB read
 * chunks, and the content hash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/csv.h"
#include "common/diag.h"
#include "common/sha256.h"
#include "tests/unit/unit.h"

#define CHUNK	(64 * 1024)	/* the reader's read size */

/* A file in a directory of its own, removed by tmp_done(). */
struct tmpf {
	char	dir[512];
	char	path[600];
};

static void
tmp_write(struct tmpf *t, const void *p, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	const char *q = p;
	ssize_t w;
	int fd;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(t->dir, sizeof(t->dir), "%s/whc-u-csv-XXXXXX", tmp);
	ASSERT(mkdtemp(t->dir) != NULL);
	snprintf(t->path, sizeof(t->path), "%s/in.csv", t->dir);
	fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT(fd >= 0);
	while (n > 0) {
		w = write(fd, q, n);
		ASSERT(w > 0);
		q += w;
		n -= (size_t)w;
	}
	ASSERT_EQ(close(fd), 0);
}

static void
tmp_done(struct tmpf *t)
{
	unlink(t->path);
	ASSERT_EQ(rmdir(t->dir), 0);
}

/* Writes n bytes to a new file and opens it with sep; must succeed. */
static struct csv *
open_bytes(struct tmpf *t, const void *p, size_t n, int sep, struct diag *d)
{
	struct csv *c;

	tmp_write(t, p, n);
	c = csv_open(t->path, sep, d);
	ASSERT(c != NULL);
	return c;
}

static struct csv *
open_text(struct tmpf *t, const char *s, int sep, struct diag *d)
{
	return open_bytes(t, s, strlen(s), sep, d);
}

static void
close_all(struct tmpf *t, struct csv *c, struct diag *d)
{
	csv_close(c);
	tmp_done(t);
	diag_release(d);
}

/*
 * Reads the next record and checks it: starting on line, with bad set or
 * not, and the nf NUL-free fields f.
 */
static void
want_rec(const char *file, int line, struct csv *c, unsigned long rline,
    int bad, const char *const *f, size_t nf)
{
	struct csv_rec r;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = csv_next(c, &r)) != 1)
		unit_fail(file, line, "csv_next returned %d, not a record "
		    "on line %lu", rc, rline);
	if (r.line != rline)
		unit_fail(file, line, "record on line %lu, not %lu", r.line,
		    rline);
	if (r.bad != bad)
		unit_fail(file, line, "record on line %lu: bad is %d",
		    rline, r.bad);
	if (r.nf != nf)
		unit_fail(file, line, "record on line %lu has %zu fields, "
		    "not %zu", rline, r.nf, nf);
	for (size_t i = 0; i < nf; i++) {
		unit_check_str(file, line, "field", "expected", r.f[i], f[i]);
		if (r.len[i] != strlen(f[i]))
			unit_fail(file, line, "field %zu: len %zu, not %zu",
			    i, r.len[i], strlen(f[i]));
	}
}

#define FIELDS_(...)	((const char *const []){ __VA_ARGS__ })
#define NFIELDS_(...)	(sizeof(FIELDS_(__VA_ARGS__)) / sizeof(char *))
/* WANT(c, line, "field", ...): the next record is good and holds those. */
#define WANT(c, ln, ...)						\
	want_rec(__FILE__, __LINE__, (c), (ln), 0,			\
	    FIELDS_(__VA_ARGS__), NFIELDS_(__VA_ARGS__))
/* WANT_BAD: the same, for a record with a syntax error. */
#define WANT_BAD(c, ln, ...)						\
	want_rec(__FILE__, __LINE__, (c), (ln), 1,			\
	    FIELDS_(__VA_ARGS__), NFIELDS_(__VA_ARGS__))
/* WANT_END: no more records, now or when asked again. */
#define WANT_END(c)							\
	do {								\
		struct csv_rec unit_r_;					\
		ASSERT_EQ(csv_next((c), &unit_r_), 0);			\
		ASSERT_EQ(csv_next((c), &unit_r_), 0);			\
	} while (0)

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

TEST(csv_simple_rows)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "id,team,q1\n1,Red,Often\n"
	    "2,Blue,Never\n", 0, &d);

	ASSERT_EQ(csv_sep(c), ',');
	WANT(c, 1, "id", "team", "q1");
	WANT(c, 2, "1", "Red", "Often");
	WANT(c, 3, "2", "Blue", "Never");
	WANT_END(c);
	ASSERT_EQ(d.nr, 0);
	close_all(&t, c, &d);
}

TEST(csv_fields_are_nul_terminated_and_reused)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "a,bb,ccc\nx\n", 0, &d);
	struct csv_rec r;

	ASSERT_EQ(csv_next(c, &r), 1);
	ASSERT_EQ(r.nf, 3);
	for (size_t i = 0; i < 3; i++) {
		ASSERT_EQ(r.len[i], i + 1);
		ASSERT_EQ(r.f[i][r.len[i]], '\0');
	}
	ASSERT_EQ(csv_next(c, &r), 1);
	ASSERT_EQ(r.nf, 1);
	ASSERT_STR_EQ(r.f[0], "x");
	ASSERT_EQ(r.bad, 0);
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_quoted_fields)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t,
	    "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"p\r\nq\",\"\"\n"
	    "z,\"\"\"\",\"\"\"q\"\"\",\"lone\rcr\"\n"
	    "\"end\"\n", 0, &d);

	WANT(c, 1, "a,b", "say \"hi\"", "x\ny", "p\r\nq", "");
	/* "x\ny" and "p\r\nq" end a line each: the record ends on 3. */
	WANT(c, 4, "z", "\"", "\"q\"", "lone\rcr");
	/* So does a lone CR inside quotes. */
	WANT(c, 6, "end");
	WANT_END(c);
	ASSERT_EQ(d.nr, 0);
	close_all(&t, c, &d);
}

TEST(csv_quote_inside_plain_field_is_kept)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "5\" screen,a\"b\"c\n", 0, &d);

	WANT(c, 1, "5\" screen", "a\"b\"c");
	WANT_END(c);
	ASSERT_EQ(d.nr, 0);
	close_all(&t, c, &d);
}

TEST(csv_bom_skipped)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "\xEF\xBB\xBFid;name\n1;x\n", 0, &d);

	/* The BOM does not hide the header from separator detection. */
	ASSERT_EQ(csv_sep(c), ';');
	WANT(c, 1, "id", "name");
	WANT(c, 2, "1", "x");
	WANT_END(c);
	/* The hash and byte count cover the BOM too. */
	ASSERT_EQ(csv_bytes(c), 3 + 12);
	close_all(&t, c, &d);

	/* A quoted first field right after the BOM. */
	c = open_text(&t, "\xEF\xBB\xBF\"id\",v\n", 0, &d);
	WANT(c, 1, "id", "v");
	WANT_END(c);
	close_all(&t, c, &d);

	/* A BOM only in the middle is data. */
	c = open_text(&t, "a\n\xEF\xBB\xBF" "b\n", 0, &d);
	WANT(c, 1, "a");
	WANT(c, 2, "\xEF\xBB\xBF" "b");
	WANT_END(c);
	close_all(&t, c, &d);

	/* A file holding only a BOM has no records. */
	c = open_text(&t, "\xEF\xBB\xBF", 0, &d);
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_line_ends)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c;

	/* CRLF, LF, lone CR and none, mixed. */
	c = open_text(&t, "a,b\r\nc,d\ne,f\rg,h", 0, &d);
	WANT(c, 1, "a", "b");
	WANT(c, 2, "c", "d");
	WANT(c, 3, "e", "f");
	WANT(c, 4, "g", "h");
	WANT_END(c);
	close_all(&t, c, &d);

	/* CR CR LF: a record, then a blank one ended by the CRLF. */
	c = open_text(&t, "a\r\r\nb\n\r\nc\n\n\rd\r", 0, &d);
	WANT(c, 1, "a");
	WANT(c, 2, "");
	WANT(c, 3, "b");
	WANT(c, 4, "");
	WANT(c, 5, "c");
	WANT(c, 6, "");
	WANT(c, 7, "");
	WANT(c, 8, "d");
	WANT_END(c);
	close_all(&t, c, &d);

	/* LF CR is two line ends, not one. */
	c = open_text(&t, "a\n\rb\n", 0, &d);
	WANT(c, 1, "a");
	WANT(c, 2, "");
	WANT(c, 3, "b");
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_crlf_file_line_numbers)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "h1,h2\r\n1,\"two\r\nlines\"\r\n"
	    "\r\n3,x\r\n4,\"a\rb\nc\"\r\n5,y\r\n", 0, &d);

	WANT(c, 1, "h1", "h2");
	WANT(c, 2, "1", "two\r\nlines");
	WANT(c, 4, "");
	WANT(c, 5, "3", "x");
	/* Inside quotes a lone CR and a lone LF are a line each. */
	WANT(c, 6, "4", "a\rb\nc");
	WANT(c, 9, "5", "y");
	WANT_END(c);
	ASSERT_EQ(d.nr, 0);
	close_all(&t, c, &d);
}

TEST(csv_line_numbers_after_multiline_field)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "id,comment\n"
	    "1,\"first\nsecond\n\nfourth\"\n"
	    "2,plain\n"
	    "3,\"\n\"\n"
	    "4,end\n", 0, &d);

	WANT(c, 1, "id", "comment");
	WANT(c, 2, "1", "first\nsecond\n\nfourth");
	WANT(c, 6, "2", "plain");
	WANT(c, 7, "3", "\n");
	WANT(c, 9, "4", "end");
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_detect_separator)
{
	static const struct {
		const char	*text;
		int		 sep;
		size_t		 nf;	/* fields of the first record */
	} v[] = {
		{ "a,b,c\n", ',', 3 },
		{ "a;b;c\n1;2;3\n", ';', 3 },
		{ "a\tb\tc\n", '\t', 3 },
		{ "id;\"hours, per week\";x\n", ';', 3 },
		{ "id\t\"a;b;c\"\tx\n", '\t', 3 },
		{ "\"a,b,c,d\";\"e,f\";g\n", ';', 3 },
		{ "a,b;c\n", ',', 2 },		/* a tie: ',' */
		{ "a;b\tc\n", ';', 2 },		/* ';' wins a tie with TAB */
		{ "a,b,c;d;e;f\n", ';', 4 },
		{ "only\n", ',', 1 },
		/* Only the header line decides. */
		{ "x;y\n1,2,3,4,5\n", ';', 2 },
		{ "a;b\r\n1,2,3\r\n", ';', 2 },
		{ "a,b\r1;2;3\r", ',', 2 },
		{ "", ',', 0 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct tmpf t;
		struct diag d = DIAG_INIT;
		struct csv *c = open_text(&t, v[i].text, 0, &d);
		struct csv_rec r;

		if (csv_sep(c) != v[i].sep)
			unit_fail(__FILE__, __LINE__, "\"%s\": sep '%c'",
			    v[i].text, csv_sep(c));
		if (v[i].nf == 0) {
			ASSERT_EQ(csv_next(c, &r), 0);
		} else {
			ASSERT_EQ(csv_next(c, &r), 1);
			ASSERT_EQ(r.nf, v[i].nf);
		}
		close_all(&t, c, &d);
	}
}

TEST(csv_semicolon_header_with_quoted_comma)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "id;\"hours, per week\";x\n"
	    "1;\"40,5\";y\n", 0, &d);

	ASSERT_EQ(csv_sep(c), ';');
	WANT(c, 1, "id", "hours, per week", "x");
	WANT(c, 2, "1", "40,5", "y");
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_explicit_sep_overrides_detection)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c;

	c = open_text(&t, "a;b,c\n1;2,3\n", ';', &d);
	ASSERT_EQ(csv_sep(c), ';');
	WANT(c, 1, "a", "b,c");
	WANT(c, 2, "1", "2,3");
	WANT_END(c);
	close_all(&t, c, &d);

	c = open_text(&t, "id;x;y\n", ',', &d);
	ASSERT_EQ(csv_sep(c), ',');
	WANT(c, 1, "id;x;y");
	WANT_END(c);
	close_all(&t, c, &d);

	c = open_text(&t, "a,b\tc;d\n", '\t', &d);
	ASSERT_EQ(csv_sep(c), '\t');
	WANT(c, 1, "a,b", "c;d");
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_empty_fields)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "a,b,\n,,\n,x\n\"\",\n,\"\"\na,b,",
	    0, &d);

	WANT(c, 1, "a", "b", "");
	WANT(c, 2, "", "", "");
	WANT(c, 3, "", "x");
	WANT(c, 4, "", "");
	WANT(c, 5, "", "");
	/* A trailing separator at the end of the file. */
	WANT(c, 6, "a", "b", "");
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_blank_line)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "a,b\n\nc,d\n", 0, &d);
	struct csv_rec r;

	WANT(c, 1, "a", "b");
	ASSERT_EQ(csv_next(c, &r), 1);
	ASSERT_EQ(r.nf, 1);
	ASSERT_EQ(r.len[0], 0);
	ASSERT_STR_EQ(r.f[0], "");
	ASSERT_EQ(r.line, 2);
	ASSERT_EQ(r.bad, 0);
	WANT(c, 3, "c", "d");
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_no_final_newline)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c;

	c = open_text(&t, "a,b\nc,d", 0, &d);
	WANT(c, 1, "a", "b");
	WANT(c, 2, "c", "d");
	WANT_END(c);
	close_all(&t, c, &d);

	c = open_text(&t, "x", 0, &d);
	WANT(c, 1, "x");
	WANT_END(c);
	close_all(&t, c, &d);

	/* A closed quote at the very end is fine. */
	c = open_text(&t, "h\n\"q,\"\"r\"", 0, &d);
	WANT(c, 1, "h");
	WANT(c, 2, "q,\"r");
	WANT_END(c);
	ASSERT_EQ(d.nr, 0);
	close_all(&t, c, &d);

	c = open_text(&t, "", 0, &d);
	WANT_END(c);
	ASSERT_EQ(csv_bytes(c), 0);
	close_all(&t, c, &d);
}

TEST(csv_text_after_closing_quote)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "h1,h2\n"
	    "\"abc\"x,y\n"
	    "ok,1\n"
	    "a,\"b\"c\"d\",\"e\"f\n"
	    "\"multi\nline\" z,w\n"
	    "last,2\n", 0, &d);

	WANT(c, 1, "h1", "h2");
	WANT_BAD(c, 2, "abcx", "y");
	CHECK_DIAG(&d, 0, t.path, "2:6: error: malformed CSV: text after a "
	    "closing quote");
	ASSERT_EQ(d.v[0].code, DIAG_CSV_SYNTAX);
	ASSERT_EQ(d.v[0].cls, DIAG_CLASS_DATA);
	/* Reading carries on with the next record. */
	WANT(c, 3, "ok", "1");
	/* Several errors in one record: only the first is reported. */
	WANT_BAD(c, 4, "a", "bc\"d\"", "ef");
	ASSERT_EQ(d.nr, 2);
	CHECK_DIAG(&d, 1, t.path, "4:6: error: malformed CSV: text after a "
	    "closing quote");
	/* After a quoted newline the column counts from the new line. */
	WANT_BAD(c, 5, "multi\nline z", "w");
	CHECK_DIAG(&d, 2, t.path, "6:6: error: malformed CSV: text after a "
	    "closing quote");
	WANT(c, 7, "last", "2");
	WANT_END(c);
	ASSERT_EQ(d.nr, 3);
	ASSERT_EQ(diag_errors(&d), 3);
	close_all(&t, c, &d);
}

TEST(csv_unclosed_quote)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_text(&t, "h1,h2\nok,1\nx,\"abc\ndef\nghi\n",
	    0, &d);

	WANT(c, 1, "h1", "h2");
	WANT(c, 2, "ok", "1");
	/* The rest of the file is the quoted field. */
	WANT_BAD(c, 3, "x", "abc\ndef\nghi\n");
	ASSERT_EQ(d.nr, 1);
	CHECK_DIAG(&d, 0, t.path, "3:3: error: malformed CSV: quoted field "
	    "is never closed");
	WANT_END(c);
	close_all(&t, c, &d);

	/* Opened on a later line of the same record, after a CRLF. */
	c = open_text(&t, "a,\"b\r\nc\",\"d", 0, &d);
	WANT_BAD(c, 1, "a", "b\r\nc", "d");
	CHECK_DIAG(&d, 0, t.path, "2:4: error: malformed CSV: quoted field "
	    "is never closed");
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_nul_byte_in_field)
{
	static const char text[] = "a\0b,c\n\"q\0\"\"\0\",\0\n";
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct csv *c = open_bytes(&t, text, sizeof(text) - 1, 0, &d);
	struct csv_rec r;

	ASSERT_EQ(csv_next(c, &r), 1);
	ASSERT_EQ(r.nf, 2);
	ASSERT_EQ(r.len[0], 3);
	ASSERT_MEM_EQ(r.f[0], "a\0b", 4);
	ASSERT_EQ(r.len[1], 1);
	ASSERT_STR_EQ(r.f[1], "c");
	ASSERT_EQ(csv_next(c, &r), 1);
	ASSERT_EQ(r.line, 2);
	ASSERT_EQ(r.bad, 0);
	ASSERT_EQ(r.nf, 2);
	ASSERT_EQ(r.len[0], 4);
	ASSERT_MEM_EQ(r.f[0], "q\0\"\0", 5);
	ASSERT_EQ(r.len[1], 1);
	ASSERT_MEM_EQ(r.f[1], "\0", 2);
	WANT_END(c);
	close_all(&t, c, &d);
}

TEST(csv_record_longer_than_chunk)
{
	enum { BIG = 200 * 1000 };
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct buf in = BUF_INIT;
	struct csv *c;
	struct csv_rec r;

	/* A 200 KB plain field, then a 200 KB quoted one with newlines. */
	buf_adds(&in, "x,");
	for (size_t i = 0; i < BIG; i++)
		buf_addc(&in, 'a' + (int)(i % 26));
	buf_adds(&in, ",z\n\"");
	for (size_t i = 0; i < BIG; i++)
		buf_addc(&in, i % 1000 == 999 ? '\n' : 'q');
	buf_adds(&in, "\",after\nlast\n");
	c = open_bytes(&t, in.data, in.len, 0, &d);
	ASSERT_EQ(csv_next(c, &r), 1);
	ASSERT_EQ(r.line, 1);
	ASSERT_EQ(r.nf, 3);
	ASSERT_STR_EQ(r.f[0], "x");
	ASSERT_EQ(r.len[1], BIG);
	ASSERT_MEM_EQ(r.f[1], in.data + 2, BIG);
	ASSERT_EQ(r.f[1][BIG], '\0');
	ASSERT_STR_EQ(r.f[2], "z");
	ASSERT_EQ(csv_next(c, &r), 1);
	ASSERT_EQ(r.line, 2);
	ASSERT_EQ(r.bad, 0);
	ASSERT_EQ(r.nf, 2);
	ASSERT_EQ(r.len[0], BIG);
	ASSERT_MEM_EQ(r.f[0], in.data + 2 + BIG + 4, BIG);
	ASSERT_STR_EQ(r.f[1], "after");
	/* 200 newlines inside the quotes. */
	WANT(c, 2 + BIG / 1000 + 1, "last");
	WANT_END(c);
	ASSERT_EQ(csv_bytes(c), in.len);
	ASSERT_EQ(d.nr, 0);
	buf_release(&in);
	close_all(&t, c, &d);
}

TEST(csv_crlf_split_across_chunks)
{
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct buf in = BUF_INIT;
	struct csv *c;
	struct csv_rec r;
	unsigned long n;

	/*
	 * A 5-byte header, then "ab\r\n" records: record j starts at 5 + 4j
	 * and its '\r' is at 7 + 4j, which for j = 16382 is byte 65535, the
	 * last of the first chunk; the '\n' starts the second chunk.
	 */
	buf_adds(&in, "HHHH\n");
	for (n = 0; n < 40000; n++)
		buf_adds(&in, "ab\r\n");
	ASSERT_EQ(in.data[CHUNK - 1], '\r');
	ASSERT_EQ(in.data[CHUNK], '\n');
	c = open_bytes(&t, in.data, in.len, 0, &d);
	WANT(c, 1, "HHHH");
	for (n = 0; n < 40000; n++) {
		ASSERT_EQ(csv_next(c, &r), 1);
		ASSERT_EQ(r.line, n + 2);
		ASSERT_EQ(r.nf, 1);
		ASSERT_STR_EQ(r.f[0], "ab");
	}
	WANT_END(c);
	ASSERT_EQ(d.nr, 0);
	close_all(&t, c, &d);
	buf_reset(&in);

	/* The same inside a quoted field, followed by a syntax error. */
	buf_adds(&in, "\"");
	while (in.len < CHUNK - 1)
		buf_addc(&in, 'x');
	buf_adds(&in, "\r\nmore\"!\r\nnext\r\n");
	ASSERT_EQ(in.data[CHUNK - 1], '\r');
	c = open_bytes(&t, in.data, in.len, 0, &d);
	ASSERT_EQ(csv_next(c, &r), 1);
	ASSERT_EQ(r.line, 1);
	ASSERT_EQ(r.bad, 1);
	ASSERT_EQ(r.len[0], CHUNK - 2 + 2 + 4 + 1);
	CHECK_DIAG(&d, 0, t.path, "2:6: error: malformed CSV: text after a "
	    "closing quote");
	WANT(c, 3, "next");
	WANT_END(c);
	close_all(&t, c, &d);
	buf_reset(&in);

	/* A lone CR at the end of the chunk. */
	while (in.len < CHUNK - 1)
		buf_addc(&in, 'y');
	buf_adds(&in, "\rz\r\n");
	c = open_bytes(&t, in.data, in.len, 0, &d);
	ASSERT_EQ(csv_next(c, &r), 1);
	ASSERT_EQ(r.len[0], CHUNK - 1);
	WANT(c, 2, "z");
	WANT_END(c);
	close_all(&t, c, &d);
	buf_release(&in);
}

TEST(csv_sha256_and_bytes)
{
	enum { SIZE = 150 * 1000 + 7 };
	struct tmpf t;
	struct diag d = DIAG_INIT;
	struct sha256 s;
	char *in = malloc(SIZE), want[65], got[65], again[65];
	struct csv *c;
	struct csv_rec r;
	unsigned long seed = 12345, recs = 0;
	int rc;

	ASSERT(in != NULL);
	/* Arbitrary bytes: the hash is of the file, whatever it holds. */
	for (size_t i = 0; i < SIZE; i++) {
		seed = seed * 1103515245 + 12345;
		in[i] = (char)(seed >> 16);
	}
	in[0] = '\xEF';
	in[1] = '\xBB';
	in[2] = '\xBF';
	sha256_init(&s);
	sha256_update(&s, in, SIZE);
	sha256_hex(&s, want);
	c = open_bytes(&t, in, SIZE, 0, &d);
	/* Only the first chunk has been read so far. */
	ASSERT_EQ(csv_bytes(c), CHUNK);
	while ((rc = csv_next(c, &r)) == 1)
		recs++;
	ASSERT_EQ(rc, 0);
	ASSERT(recs > 0);
	ASSERT_EQ(csv_bytes(c), SIZE);
	csv_sha256(c, got);
	ASSERT_STR_EQ(got, want);
	/* Asking again gives the same answer: the state is not consumed. */
	csv_sha256(c, again);
	ASSERT_STR_EQ(again, want);
	close_all(&t, c, &d);

	/* A small file. */
	c = open_text(&t, "a,b\n", 0, &d);
	WANT(c, 1, "a", "b");
	WANT_END(c);
	ASSERT_EQ(csv_bytes(c), 4);
	csv_sha256(c, got);
	sha256_init(&s);
	sha256_update(&s, "a,b\n", 4);
	sha256_hex(&s, want);
	ASSERT_STR_EQ(got, want);
	close_all(&t, c, &d);
	free(in);
}

TEST(csv_open_missing_file)
{
	struct diag d = DIAG_INIT;
	struct buf path = BUF_INIT, want = BUF_INIT;

	buf_addf(&path, "/nonexistent-whc-dir-%ld/x.csv", (long)getpid());
	ASSERT(csv_open(path.data, 0, &d) == NULL);
	ASSERT_EQ(d.nr, 1);
	buf_addf(&want, "cannot open '%s': %s", path.data, strerror(ENOENT));
	ASSERT_STR_EQ(d.v[0].text, want.data);
	ASSERT_EQ(d.worst_class, DIAG_CLASS_ENV);
	csv_close(NULL);
	buf_release(&path);
	buf_release(&want);
	diag_release(&d);
}
