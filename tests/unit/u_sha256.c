/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/sha256.c: the FIPS 180-4 test vectors, lengths
 * around the padding boundaries, and input fed in odd-sized pieces.
 */
#include <stdlib.h>
#include <string.h>

#include "common/sha256.h"
#include "tests/unit/unit.h"

/* The hex digest of n bytes of p, fed in pieces of step bytes. */
static void
hash_steps(const void *p, size_t n, size_t step, char hex[65])
{
	const unsigned char *q = p;
	struct sha256 s;

	sha256_init(&s);
	while (n > 0) {
		size_t take = step < n ? step : n;

		sha256_update(&s, q, take);
		q += take;
		n -= take;
	}
	sha256_hex(&s, hex);
}

static void
hash_str(const char *str, char hex[65])
{
	hash_steps(str, strlen(str), strlen(str) + 1, hex);
}

TEST(sha256_empty)
{
	char hex[65];
	struct sha256 s;

	hash_str("", hex);
	ASSERT_STR_EQ(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	/* No update at all is the same as an empty one. */
	sha256_init(&s);
	sha256_hex(&s, hex);
	ASSERT_STR_EQ(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

TEST(sha256_abc)
{
	static const unsigned char want[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char out[32];
	char hex[65];
	struct sha256 s;

	hash_str("abc", hex);
	ASSERT_STR_EQ(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	/* sha256_final gives the same digest as raw bytes. */
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	ASSERT_EQ(s.len, 3);
	sha256_final(&s, out);
	ASSERT_MEM_EQ(out, want, 32);
}

TEST(sha256_448_bits)
{
	const char *msg = "abcdbcdecdefdefgefghfghighijhijk"
	    "ijkljklmklmnlmnomnopnopq";
	char hex[65];

	ASSERT_EQ(strlen(msg), 56);
	hash_str(msg, hex);
	ASSERT_STR_EQ(hex, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	/* Byte by byte, and in pieces of 5. */
	hash_steps(msg, 56, 1, hex);
	ASSERT_STR_EQ(hex, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	hash_steps(msg, 56, 5, hex);
	ASSERT_STR_EQ(hex, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
}

TEST(sha256_896_bits)
{
	const char *msg = "abcdefghbcdefghicdefghijdefghijk"
	    "efghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
	    "lmnopqrsmnopqrstnopqrstu";
	char hex[65];

	ASSERT_EQ(strlen(msg), 112);
	hash_str(msg, hex);
	ASSERT_STR_EQ(hex, "cf5b16a778af8380036ce59e7b049237"
	    "0b249b11e8f07a51afac45037afee9d1");
	hash_steps(msg, 112, 13, hex);
	ASSERT_STR_EQ(hex, "cf5b16a778af8380036ce59e7b049237"
	    "0b249b11e8f07a51afac45037afee9d1");
}

TEST(sha256_million_a)
{
	static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0";
	static const size_t steps[] = { 1000000, 1, 7, 63, 65, 997, 4099 };
	char *a = malloc(1000000);
	char hex[65];
	struct sha256 s;

	ASSERT(a != NULL);
	memset(a, 'a', 1000000);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		hash_steps(a, 1000000, steps[i], hex);
		ASSERT_STR_EQ(hex, want);
	}
	/* Pieces of ever-changing sizes: 1, 2, 3, ... */
	sha256_init(&s);
	for (size_t off = 0, n = 1; off < 1000000; off += n, n++) {
		if (n > 1000000 - off)
			n = 1000000 - off;
		sha256_update(&s, a + off, n);
	}
	ASSERT_EQ(s.len, 1000000);
	sha256_hex(&s, hex);
	ASSERT_STR_EQ(hex, want);
	free(a);
}

TEST(sha256_padding_boundaries)
{
	/* n bytes of 'a', from sha256sum. */
	static const struct {
		size_t		 n;
		const char	*hex;
	} v[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9a"
		    "e9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f"
		    "590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98"
		    "e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209"
		    "f439851db43d0ba5997337df154668eb" },
		{ 119, "31eba51c313a5c08226adf18d4a359cf"
		    "dfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c"
		    "020d683aa5f73aaaedfdc55af904c21c" },
	};
	char a[120], hex[65];

	memset(a, 'a', sizeof(a));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (size_t step = 1; step <= v[i].n; step += 6) {
			hash_steps(a, v[i].n, step, hex);
			ASSERT_STR_EQ(hex, v[i].hex);
		}
	}
}
