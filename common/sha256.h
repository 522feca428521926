/* SPDX-License-Identifier: MIT */
/* SHA-256 (FIPS 180-4), for content hashes of imported files and pages. */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;		/* bytes hashed so far */
	unsigned char	blk[64];
	size_t		nblk;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *p, size_t n);
/* Finishes and writes 32 bytes to out; s must be re-initialised to reuse. */
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* Finishes and writes 64 lowercase hex digits and a NUL to hex. */
void sha256_hex(struct sha256 *s, char hex[65]);

#endif /* SHA256_H */
