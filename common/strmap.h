/* SPDX-License-Identifier: MIT */
/*
 * struct strmap: a hash map from byte strings to int64 values, for memoising
 * normalisation (raw answer -> level) and interning values.  Keys are
 * copied.  Open addressing with linear probing; FNV-1a hashing.
 */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	char		*key;		/* NULL when empty */
	size_t		 len;
	uint64_t	 hash;
	int64_t		 val;
};

struct strmap {
	struct strmap_slot *slots;
	size_t		 cap;		/* a power of two, or 0 */
	size_t		 nr;
};

#define STRMAP_INIT { NULL, 0, 0 }

/* Returns a pointer to key's value, or NULL when absent. */
int64_t *strmap_get(const struct strmap *m, const char *key, size_t len);
/* Sets key to val (adding or replacing). */
void strmap_put(struct strmap *m, const char *key, size_t len, int64_t val);
void strmap_release(struct strmap *m);

#endif /* STRMAP_H */
