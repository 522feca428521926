/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/text.c: cleaning untrusted text (invalid UTF-8,
 * control characters), squashing white space, JSON string literals.
 */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "tests/unit/unit.h"

#define R	"\xEF\xBF\xBD"	/* U+FFFD REPLACEMENT CHARACTER */

static char *
run(void (*fn)(struct buf *, const char *, size_t), const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	fn(&b, s, n);
	ASSERT_EQ(strlen(b.data), b.len);
	return buf_detach(&b, NULL);
}

/* in must be a string literal: it may hold NUL bytes. */
#define ASSERT_CLEAN(in, want)						\
	do {								\
		char *got_ = run(text_clean, (in), sizeof(in) - 1);	\
		ASSERT_STR_EQ(got_, (want));				\
		free(got_);						\
	} while (0)

#define ASSERT_SQUASH(in, want)						\
	do {								\
		char *got_ = run(text_squash, (in), sizeof(in) - 1);	\
		ASSERT_STR_EQ(got_, (want));				\
		free(got_);						\
	} while (0)

#define VALID(lit)	text_utf8_valid((lit), sizeof(lit) - 1)

TEST(text_clean_passes_valid_text)
{
	ASSERT_CLEAN("", "");
	ASSERT_CLEAN("plain ASCII, 100% fine.", "plain ASCII, 100% fine.");
	/* 2-, 3- and 4-byte sequences, and the no-break space, are kept. */
	ASSERT_CLEAN("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E",
	    "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E");
	ASSERT_CLEAN("a\xC2\xA0" "b", "a\xC2\xA0" "b");
	/* The extremes: U+0080 is C1 (below), U+07FF, U+FFFF, U+10FFFF. */
	ASSERT_CLEAN("\xDF\xBF", "\xDF\xBF");
	ASSERT_CLEAN("\xEF\xBF\xBF", "\xEF\xBF\xBF");
	ASSERT_CLEAN("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF");
	/* Either side of the surrogates. */
	ASSERT_CLEAN("\xED\x9F\xBF", "\xED\x9F\xBF");
	ASSERT_CLEAN("\xEE\x80\x80", "\xEE\x80\x80");
}

TEST(text_clean_invalid_bytes)
{
	/* Each byte that does not start a valid sequence becomes U+FFFD. */
	ASSERT_CLEAN("a\xFF" "b", "a" R "b");
	ASSERT_CLEAN("\xFE\xFF", R R);
	ASSERT_CLEAN("\x80", R);			/* lone continuation */
	ASSERT_CLEAN("x\xBF\xBFy", "x" R R "y");
	ASSERT_CLEAN("\xC3", R);			/* truncated at end */
	ASSERT_CLEAN("\xE2\x82", R R);
	ASSERT_CLEAN("\xF0\x9D\x84", R R R);
	ASSERT_CLEAN("\xC3" "A", R "A");		/* bad continuation */
	ASSERT_CLEAN("\xE2\x82" "A", R R "A");
	ASSERT_CLEAN("\xF5\x80\x80\x80", R R R R);	/* lead > F4 */
	/* A valid sequence right after a bad byte survives. */
	ASSERT_CLEAN("\xFF\xC3\xA9", R "\xC3\xA9");
}

TEST(text_clean_rejects_overlongs)
{
	ASSERT_CLEAN("\xC0\xAF", R R);			/* '/' in 2 bytes */
	ASSERT_CLEAN("\xC1\xBF", R R);
	ASSERT_CLEAN("\xC0\x80", R R);			/* NUL in 2 bytes */
	ASSERT_CLEAN("\xE0\x80\xAF", R R R);		/* '/' in 3 bytes */
	ASSERT_CLEAN("\xE0\x9F\xBF", R R R);		/* U+07FF in 3 */
	ASSERT_CLEAN("\xF0\x80\x80\xAF", R R R R);	/* '/' in 4 bytes */
	ASSERT_CLEAN("\xF0\x8F\xBF\xBF", R R R R);	/* U+FFFF in 4 */
	/* The smallest valid 3- and 4-byte sequences. */
	ASSERT_CLEAN("\xE0\xA0\x80", "\xE0\xA0\x80");
	ASSERT_CLEAN("\xF0\x90\x80\x80", "\xF0\x90\x80\x80");
}

TEST(text_clean_rejects_surrogates_and_beyond)
{
	ASSERT_CLEAN("\xED\xA0\x80", R R R);		/* U+D800 */
	ASSERT_CLEAN("\xED\xBF\xBF", R R R);		/* U+DFFF */
	/* A CESU-8 pair for U+1D11E. */
	ASSERT_CLEAN("\xED\xA0\xB4\xED\xB4\x9E", R R R R R R);
	ASSERT_CLEAN("\xF4\x90\x80\x80", R R R R);	/* U+110000 */
	ASSERT_CLEAN("\xF7\xBF\xBF\xBF", R R R R);
}

TEST(text_clean_controls)
{
	/* C0, DEL and C1 each become one space; so do NUL bytes. */
	ASSERT_CLEAN("a\x01" "b\x1F" "c\x7F" "d", "a b c d");
	ASSERT_CLEAN("a\0b", "a b");
	ASSERT_CLEAN("\x1B[31mred", " [31mred");
	ASSERT_CLEAN("x\xC2\x80y\xC2\x85z\xC2\x9F", "x y z ");
	/* U+00A0, just past C1, is not a control. */
	ASSERT_CLEAN("\xC2\xA0", "\xC2\xA0");
	/* Line and paragraph separators. */
	ASSERT_CLEAN("a\xE2\x80\xA8" "b\xE2\x80\xA9", "a b ");
}

TEST(text_clean_cr_lf_tab)
{
	ASSERT_CLEAN("a\r\nb", "a  b");
	ASSERT_CLEAN("line1\nline2\n", "line1 line2 ");
	ASSERT_CLEAN("\tx\r", " x ");
	/* clean does not collapse or trim: that is squash's job. */
	ASSERT_CLEAN("  a   b  ", "  a   b  ");
}

TEST(text_clean_appends)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "pre:");
	text_clean(&b, "x\x01y", 3);
	text_clean(&b, "\xFF", 1);
	text_clean(&b, "ignored", 0);
	ASSERT_STR_EQ(b.data, "pre:x y" R);
	/* Only n bytes are read: no NUL terminator needed. */
	text_clean(&b, "abcdef", 2);
	ASSERT_STR_EQ(b.data, "pre:x y" R "ab");
	/* A sequence cut by n is invalid. */
	text_clean(&b, "\xC3\xA9", 1);
	ASSERT_STR_EQ(b.data, "pre:x y" R "ab" R);
	buf_release(&b);
}

TEST(text_squash_trims_and_collapses)
{
	ASSERT_SQUASH("", "");
	ASSERT_SQUASH("   ", "");
	ASSERT_SQUASH("hello", "hello");
	ASSERT_SQUASH("  hello  ", "hello");
	ASSERT_SQUASH("\t\n a \r\n", "a");
	ASSERT_SQUASH("a   b\t\tc\n\nd", "a b c d");
	ASSERT_SQUASH(" Strongly \r\n  agree ", "Strongly agree");
	ASSERT_SQUASH("\f\va\v\fb\f", "a b");
}

TEST(text_squash_nbsp_and_unicode_spaces)
{
	ASSERT_SQUASH("a\xC2\xA0\xC2\xA0" "b", "a b");
	ASSERT_SQUASH("\xC2\xA0x\xC2\xA0", "x");
	ASSERT_SQUASH("a \xC2\xA0 b", "a b");
	ASSERT_SQUASH("1\xE2\x80\xAF" "000", "1 000");	/* U+202F */
	ASSERT_SQUASH("1\xE2\x80\x87" "000", "1 000");	/* U+2007 */
	ASSERT_SQUASH("\xEF\xBB\xBFid", "id");		/* BOM */
}

TEST(text_squash_controls_and_invalid)
{
	ASSERT_SQUASH("a\x01\x02" "b", "a b");
	ASSERT_SQUASH("\x7F" "a\xC2\x85", "a");
	ASSERT_SQUASH("a\0\0b", "a b");
	ASSERT_SQUASH(" \xFF ", R);
	ASSERT_SQUASH("x \xC0\xAF y", "x " R R " y");
}

TEST(text_squash_appends)
{
	struct buf b = BUF_INIT;

	/* Trimming is relative to what this call appends. */
	buf_adds(&b, "pre: ");
	text_squash(&b, "  x   y  ", 9);
	ASSERT_STR_EQ(b.data, "pre: x y");
	text_squash(&b, "   ", 3);
	ASSERT_STR_EQ(b.data, "pre: x y");
	text_squash(&b, " z", 2);
	ASSERT_STR_EQ(b.data, "pre: x yz");
	buf_release(&b);
}

TEST(text_utf8_valid)
{
	ASSERT(VALID(""));
	ASSERT(VALID("ascii\x01\x7F"));
	ASSERT(VALID("a\0b"));
	ASSERT(VALID("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E"));
	ASSERT(VALID("\xF4\x8F\xBF\xBF"));
	ASSERT(VALID("\xED\x9F\xBF\xEE\x80\x80"));
	ASSERT(!VALID("\x80"));
	ASSERT(!VALID("a\xFF"));
	ASSERT(!VALID("\xC3"));
	ASSERT(!VALID("\xE2\x82"));
	ASSERT(!VALID("\xC3" "A"));
	ASSERT(!VALID("\xC0\xAF"));
	ASSERT(!VALID("\xE0\x80\xAF"));
	ASSERT(!VALID("\xF0\x80\x80\xAF"));
	ASSERT(!VALID("\xED\xA0\x80"));
	ASSERT(!VALID("\xF4\x90\x80\x80"));
	ASSERT(!VALID("\xF8\x88\x80\x80\x80"));
	/* Only n bytes are looked at. */
	ASSERT(text_utf8_valid("ok\xFF", 2));
	ASSERT(!text_utf8_valid("\xC3\xA9", 1));
	ASSERT(text_utf8_valid(NULL, 0));
}

TEST(text_json_str)
{
	struct buf b = BUF_INIT;

	text_json_str(&b, "");
	ASSERT_STR_EQ(b.data, "\"\"");
	buf_reset(&b);
	text_json_str(&b, "plain text");
	ASSERT_STR_EQ(b.data, "\"plain text\"");
	buf_reset(&b);
	text_json_str(&b, "say \"hi\" \\ bye");
	ASSERT_STR_EQ(b.data, "\"say \\\"hi\\\" \\\\ bye\"");
	buf_reset(&b);
	text_json_str(&b, "a\nb\rc\td");
	ASSERT_STR_EQ(b.data, "\"a\\nb\\rc\\td\"");
	buf_reset(&b);
	text_json_str(&b, "\x01\x08\x0C\x1F\x7F");
	ASSERT_STR_EQ(b.data, "\"\\u0001\\u0008\\u000c\\u001f\\u007f\"");
	buf_reset(&b);
	/* UTF-8 and the slash pass through as they are. */
	text_json_str(&b, "caf\xC3\xA9 a/b \xE2\x82\xAC");
	ASSERT_STR_EQ(b.data, "\"caf\xC3\xA9 a/b \xE2\x82\xAC\"");
	buf_reset(&b);
	/* It appends. */
	buf_adds(&b, "{\"k\":");
	text_json_str(&b, "v");
	buf_addc(&b, '}');
	ASSERT_STR_EQ(b.data, "{\"k\":\"v\"}");
	buf_release(&b);
}

static char *
csv(const char *s)
{
	struct buf b = BUF_INIT;

	text_csv_field(&b, s);
	return buf_detach(&b, NULL);
}

#define ASSERT_CSV(in, want)						\
	do {								\
		char *got_ = csv(in);					\
		ASSERT_STR_EQ(got_ ? got_ : "", (want));		\
		free(got_);						\
	} while (0)

TEST(text_csv_field_quotes_and_defuses)
{
	ASSERT_CSV("", "");
	ASSERT_CSV("Early Help", "Early Help");
	ASSERT_CSV("a,b", "\"a,b\"");
	ASSERT_CSV("say \"hi\"", "\"say \"\"hi\"\"\"");
	ASSERT_CSV("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	ASSERT_CSV("+1", "\"'+1\"");
	ASSERT_CSV("-2", "\"'-2\"");
	ASSERT_CSV("@SUM(A1)", "\"'@SUM(A1)\"");
	ASSERT_CSV("line\none", "line one");	/* controls become spaces */
	ASSERT_CSV("\t=1", " =1");	/* a tab is cleaned to a space first */
}
