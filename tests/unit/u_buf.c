/* SPDX-License-Identifier: MIT */
/* Unit tests for struct buf (common/buf.c): growth, the cap, detach. */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "tests/unit/unit.h"

TEST(buf_init_empty)
{
	struct buf a = BUF_INIT;
	struct buf b;

	ASSERT(a.data == buf_empty_);
	ASSERT_STR_EQ(a.data, "");
	ASSERT_EQ(a.len, 0);
	ASSERT_EQ(a.cap, 0);
	ASSERT_EQ(a.max, 0);
	ASSERT_EQ(a.over, 0);
	buf_init(&b, 10);
	ASSERT(b.data == buf_empty_);
	ASSERT_EQ(b.len, 0);
	ASSERT_EQ(b.cap, 0);
	ASSERT_EQ(b.max, 10);
	ASSERT_EQ(b.over, 0);
	/* Releasing a buffer that never allocated is fine. */
	buf_release(&a);
	buf_release(&b);
	ASSERT_EQ(b.max, 10);
}

TEST(buf_add_basic)
{
	struct buf b = BUF_INIT;

	ASSERT_EQ(buf_adds(&b, "abc"), 0);
	ASSERT_EQ(buf_addc(&b, 'd'), 0);
	ASSERT_EQ(buf_add(&b, "efgh", 2), 0);
	ASSERT_EQ(buf_add(&b, NULL, 0), 0);
	ASSERT_STR_EQ(b.data, "abcdef");
	ASSERT_EQ(b.len, 6);
	ASSERT(b.cap >= b.len + 1);
	ASSERT(b.data != buf_empty_);
	buf_release(&b);
	ASSERT(b.data == buf_empty_);
	ASSERT_EQ(b.len, 0);
	ASSERT_EQ(b.cap, 0);
}

TEST(buf_growth)
{
	struct buf b = BUF_INIT;
	char *expect = malloc(100001);
	size_t cap = 0, reallocs = 0;

	ASSERT(expect != NULL);
	for (size_t i = 0; i < 100000; i++) {
		expect[i] = (char)('a' + i % 26);
		ASSERT_EQ(buf_addc(&b, expect[i]), 0);
		ASSERT_EQ(b.len, i + 1);
		ASSERT(b.cap > b.len);
		ASSERT_EQ(b.data[b.len], '\0');
		if (b.cap != cap) {
			reallocs++;
			cap = b.cap;
		}
	}
	expect[100000] = '\0';
	ASSERT_STR_EQ(b.data, expect);
	/* Geometric growth: a handful of reallocations, not one per byte. */
	ASSERT(reallocs < 40);
	free(expect);
	buf_release(&b);
}

TEST(buf_grow_reserves)
{
	struct buf b = BUF_INIT;
	char *p;

	ASSERT_EQ(buf_grow(&b, 1000), 0);
	ASSERT(b.cap >= 1001);
	ASSERT_EQ(b.len, 0);
	ASSERT_STR_EQ(b.data, "");
	p = b.data;
	ASSERT_EQ(buf_add(&b, "x", 1), 0);
	ASSERT(b.data == p);	/* the room was already there */
	buf_release(&b);
}

TEST(buf_embedded_nul)
{
	struct buf b = BUF_INIT;

	ASSERT_EQ(buf_add(&b, "a\0b", 3), 0);
	ASSERT_EQ(b.len, 3);
	ASSERT_MEM_EQ(b.data, "a\0b", 4);
	buf_release(&b);
}

TEST(buf_max_refuses)
{
	struct buf b;

	buf_init(&b, 8);
	ASSERT_EQ(buf_adds(&b, "12345"), 0);
	ASSERT_EQ(b.over, 0);
	/* Would end at 9 > 8: refused as a whole, nothing appended. */
	ASSERT_EQ(buf_adds(&b, "6789"), -1);
	ASSERT_EQ(b.over, 1);
	ASSERT_EQ(b.len, 5);
	ASSERT_STR_EQ(b.data, "12345");
	/* Exactly max bytes is allowed; over stays set once set. */
	ASSERT_EQ(buf_adds(&b, "678"), 0);
	ASSERT_EQ(b.len, 8);
	ASSERT_STR_EQ(b.data, "12345678");
	ASSERT_EQ(b.over, 1);
	ASSERT_EQ(buf_addc(&b, '9'), -1);
	ASSERT_EQ(buf_add(&b, "", 0), 0);
	ASSERT_EQ(b.len, 8);
	ASSERT_STR_EQ(b.data, "12345678");
	buf_release(&b);
	ASSERT_EQ(b.max, 8);
	ASSERT_EQ(b.over, 0);
}

TEST(buf_max_grow_and_addf)
{
	struct buf b;

	buf_init(&b, 10);
	ASSERT_EQ(buf_grow(&b, 11), -1);
	ASSERT_EQ(b.over, 1);
	ASSERT_EQ(b.len, 0);
	ASSERT_STR_EQ(b.data, "");
	buf_reset(&b);
	ASSERT_EQ(b.over, 0);
	ASSERT_EQ(buf_addf(&b, "%d-%s", 42, "abc"), 0);
	ASSERT_STR_EQ(b.data, "42-abc");
	ASSERT_EQ(buf_addf(&b, "%s", "12345"), -1);
	ASSERT_EQ(b.over, 1);
	ASSERT_STR_EQ(b.data, "42-abc");
	ASSERT_EQ(b.len, 6);
	ASSERT_EQ(buf_addf(&b, "%04d", 7), 0);
	ASSERT_STR_EQ(b.data, "42-abc0007");
	buf_release(&b);
}

TEST(buf_addf_long)
{
	struct buf b = BUF_INIT;
	char expect[1001];

	memset(expect, '0', 999);
	expect[999] = '5';
	expect[1000] = '\0';
	ASSERT_EQ(buf_adds(&b, "<"), 0);
	ASSERT_EQ(buf_addf(&b, "%01000d", 5), 0);
	ASSERT_EQ(buf_addf(&b, ">%s|%lu|%.2f", "x", 123ul, 1.5), 0);
	ASSERT_EQ(b.len, 1 + 1000 + 11);
	ASSERT_EQ(b.data[0], '<');
	ASSERT_MEM_EQ(b.data + 1, expect, 1000);
	ASSERT_STR_EQ(b.data + 1001, ">x|123|1.50");
	ASSERT_EQ(buf_addf(&b, "%s", ""), 0);
	ASSERT_EQ(b.len, 1012);
	buf_release(&b);
}

TEST(buf_detach)
{
	struct buf b;
	size_t len = 99;
	char *s;

	buf_init(&b, 100);
	buf_adds(&b, "hello");
	s = buf_detach(&b, &len);
	ASSERT_STR_EQ(s, "hello");
	ASSERT_EQ(len, 5);
	ASSERT(b.data == buf_empty_);
	ASSERT_EQ(b.len, 0);
	ASSERT_EQ(b.cap, 0);
	ASSERT_EQ(b.max, 100);
	free(s);
	/* The buffer is usable again. */
	ASSERT_EQ(buf_adds(&b, "again"), 0);
	ASSERT_STR_EQ(b.data, "again");
	s = buf_detach(&b, NULL);
	ASSERT_STR_EQ(s, "again");
	free(s);
}

TEST(buf_detach_empty)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *s;

	/* Even an empty buffer hands out memory the caller can free. */
	s = buf_detach(&b, &len);
	ASSERT(s != NULL);
	ASSERT(s != buf_empty_);
	ASSERT_STR_EQ(s, "");
	ASSERT_EQ(len, 0);
	free(s);
	buf_adds(&b, "x");
	buf_reset(&b);
	s = buf_detach(&b, &len);
	ASSERT_STR_EQ(s, "");
	ASSERT_EQ(len, 0);
	free(s);
}

TEST(buf_truncate)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "abcdef");
	buf_truncate(&b, 3);
	ASSERT_EQ(b.len, 3);
	ASSERT_STR_EQ(b.data, "abc");
	buf_truncate(&b, 3);
	ASSERT_STR_EQ(b.data, "abc");
	buf_adds(&b, "xy");
	ASSERT_STR_EQ(b.data, "abcxy");
	buf_truncate(&b, 0);
	ASSERT_EQ(b.len, 0);
	ASSERT_STR_EQ(b.data, "");
	buf_release(&b);
	/* Truncating an unallocated buffer must not write to buf_empty_. */
	buf_truncate(&b, 0);
	ASSERT(b.data == buf_empty_);
	ASSERT_EQ(buf_empty_[0], '\0');
}

TEST(buf_truncate_beyond_end_is_a_bug)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "abc");
	ASSERT_DIES(buf_truncate(&b, 4));
	buf_release(&b);
}

TEST(buf_reset)
{
	struct buf b;
	char *p;
	size_t cap;

	buf_init(&b, 50);
	buf_adds(&b, "some text");
	p = b.data;
	cap = b.cap;
	buf_reset(&b);
	ASSERT_EQ(b.len, 0);
	ASSERT_STR_EQ(b.data, "");
	ASSERT(b.data == p);
	ASSERT_EQ(b.cap, cap);
	ASSERT_EQ(b.max, 50);
	buf_adds(&b, "new");
	ASSERT_STR_EQ(b.data, "new");
	ASSERT(b.data == p);
	buf_release(&b);
	/* Resetting an unallocated buffer leaves it so. */
	buf_reset(&b);
	ASSERT(b.data == buf_empty_);
	ASSERT_EQ(b.cap, 0);
}
