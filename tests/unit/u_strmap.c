/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for struct strmap (common/strmap.c): put, get and replace,
 * binary keys, growth to many thousands of keys, release.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/strmap.h"
#include "tests/unit/unit.h"

TEST(strmap_empty)
{
	struct strmap m = STRMAP_INIT;

	ASSERT(strmap_get(&m, "a", 1) == NULL);
	ASSERT(strmap_get(&m, "", 0) == NULL);
	ASSERT_EQ(m.nr, 0);
	/* Releasing a map that never allocated is fine, and repeatable. */
	strmap_release(&m);
	strmap_release(&m);
	ASSERT(m.slots == NULL);
	ASSERT_EQ(m.cap, 0);
}

TEST(strmap_put_get_replace)
{
	struct strmap m = STRMAP_INIT;
	int64_t *v;

	strmap_put(&m, "never", 5, 1);
	strmap_put(&m, "sometimes", 9, 3);
	strmap_put(&m, "always", 6, INT64_MIN);
	ASSERT_EQ(m.nr, 3);
	ASSERT(m.cap >= 4 && (m.cap & (m.cap - 1)) == 0);
	ASSERT((v = strmap_get(&m, "never", 5)) != NULL);
	ASSERT_EQ(*v, 1);
	ASSERT_EQ(*strmap_get(&m, "sometimes", 9), 3);
	ASSERT_EQ(*strmap_get(&m, "always", 6), INT64_MIN);
	/* Only the given length counts: a prefix or a longer key is absent. */
	ASSERT(strmap_get(&m, "nev", 3) == NULL);
	ASSERT(strmap_get(&m, "never!", 6) == NULL);
	ASSERT(strmap_get(&m, "never!", 5) != NULL);
	ASSERT(strmap_get(&m, "Never", 5) == NULL);
	/* Replacing keeps one entry. */
	strmap_put(&m, "never", 5, 42);
	ASSERT_EQ(m.nr, 3);
	ASSERT_EQ(*strmap_get(&m, "never", 5), 42);
	/* The value can be changed through the pointer. */
	*strmap_get(&m, "sometimes", 9) = INT64_MAX;
	ASSERT_EQ(*strmap_get(&m, "sometimes", 9), INT64_MAX);
	/* The empty key is a key like any other. */
	ASSERT(strmap_get(&m, "", 0) == NULL);
	strmap_put(&m, "", 0, -7);
	ASSERT_EQ(*strmap_get(&m, "", 0), -7);
	ASSERT_EQ(m.nr, 4);
	strmap_release(&m);
	ASSERT_EQ(m.nr, 0);
	ASSERT(strmap_get(&m, "never", 5) == NULL);
}

TEST(strmap_keys_are_copied)
{
	struct strmap m = STRMAP_INIT;
	char key[8] = "team";

	strmap_put(&m, key, 4, 9);
	memcpy(key, "xxxx", 4);
	ASSERT_EQ(*strmap_get(&m, "team", 4), 9);
	ASSERT(strmap_get(&m, key, 4) == NULL);
	strmap_release(&m);
}

TEST(strmap_binary_keys)
{
	struct strmap m = STRMAP_INIT;

	strmap_put(&m, "a\0b", 3, 1);
	strmap_put(&m, "a\0c", 3, 2);
	strmap_put(&m, "a", 1, 3);
	strmap_put(&m, "a\0", 2, 4);
	strmap_put(&m, "\0", 1, 5);
	strmap_put(&m, "\xff\xfe", 2, 6);
	ASSERT_EQ(m.nr, 6);
	ASSERT_EQ(*strmap_get(&m, "a\0b", 3), 1);
	ASSERT_EQ(*strmap_get(&m, "a\0c", 3), 2);
	ASSERT_EQ(*strmap_get(&m, "a", 1), 3);
	ASSERT_EQ(*strmap_get(&m, "a\0", 2), 4);
	ASSERT_EQ(*strmap_get(&m, "\0", 1), 5);
	ASSERT_EQ(*strmap_get(&m, "\xff\xfe", 2), 6);
	ASSERT(strmap_get(&m, "", 0) == NULL);
	ASSERT(strmap_get(&m, "a\0d", 3) == NULL);
	ASSERT(strmap_get(&m, "\0\0", 2) == NULL);
	strmap_release(&m);
}

/* Key i: a decimal number with a NUL and a varying tail. */
static size_t
make_key(char *k, size_t cap, unsigned long i)
{
	int n;

	memset(k, 0, cap);
	n = snprintf(k, cap, "k%lu", i);
	ASSERT(n > 0 && (size_t)n + 3 < cap);
	k[n] = '\0';
	k[n + 1] = (char)(i & 0xff);
	k[n + 2] = (char)(i % 3);
	return (size_t)n + 1 + (i % 3);
}

TEST(strmap_growth)
{
	enum { N = 50000 };
	struct strmap m = STRMAP_INIT;
	char k[32];
	size_t len, cap = 0, grows = 0;

	for (unsigned long i = 0; i < N; i++) {
		len = make_key(k, sizeof(k), i);
		ASSERT(strmap_get(&m, k, len) == NULL);
		strmap_put(&m, k, len, (int64_t)i * 3);
		ASSERT_EQ(m.nr, i + 1);
		/* The load stays at or below 3/4, the size a power of two. */
		ASSERT(m.nr * 4 <= m.cap * 3);
		ASSERT((m.cap & (m.cap - 1)) == 0);
		if (m.cap != cap) {
			grows++;
			cap = m.cap;
		}
	}
	ASSERT(grows < 20);
	/* Every key survived the rehashing. */
	for (unsigned long i = 0; i < N; i++) {
		int64_t *v;

		len = make_key(k, sizeof(k), i);
		v = strmap_get(&m, k, len);
		ASSERT(v != NULL);
		ASSERT_EQ(*v, (int64_t)i * 3);
		/* The same digits with another tail length are not there. */
		ASSERT(strmap_get(&m, k, len + 1) == NULL);
	}
	/* Replacing them all adds nothing. */
	for (unsigned long i = 0; i < N; i += 7) {
		len = make_key(k, sizeof(k), i);
		strmap_put(&m, k, len, -(int64_t)i);
	}
	ASSERT_EQ(m.nr, N);
	for (unsigned long i = 0; i < N; i++) {
		len = make_key(k, sizeof(k), i);
		ASSERT_EQ(*strmap_get(&m, k, len),
		    i % 7 == 0 ? -(int64_t)i : (int64_t)i * 3);
	}
	strmap_release(&m);
	ASSERT(m.slots == NULL);
	ASSERT_EQ(m.cap, 0);
	ASSERT_EQ(m.nr, 0);
}

TEST(strmap_reuse_after_release)
{
	struct strmap m = STRMAP_INIT;

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 100; i++) {
			char k[16];
			int n = snprintf(k, sizeof(k), "%d", i);

			strmap_put(&m, k, (size_t)n, i + round);
		}
		ASSERT_EQ(m.nr, 100);
		ASSERT_EQ(*strmap_get(&m, "99", 2), 99 + round);
		strmap_release(&m);
		ASSERT(strmap_get(&m, "99", 2) == NULL);
	}
}
