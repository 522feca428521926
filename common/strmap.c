/* SPDX-License-Identifier: MIT */
/* A small string-keyed hash map (see strmap.h). */
#include <stdlib.h>
#include <string.h>

#include "common/strmap.h"
#include "common/xalloc.h"

static uint64_t
fnv1a(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static struct strmap_slot *
find(const struct strmap *m, const char *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct strmap_slot *s = &m->slots[i];

		if (s->key == NULL || (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0))
			return s;
	}
}

int64_t *
strmap_get(const struct strmap *m, const char *key, size_t len)
{
	struct strmap_slot *s;

	if (m->cap == 0)
		return NULL;
	s = find(m, key, len, fnv1a(key, len));
	return s->key ? &s->val : NULL;
}

static void
grow(struct strmap *m)
{
	struct strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 16;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old.cap; i++) {
		struct strmap_slot *o = &old.slots[i];

		if (o->key != NULL)
			*find(m, o->key, o->len, o->hash) = *o;
	}
	free(old.slots);
}

void
strmap_put(struct strmap *m, const char *key, size_t len, int64_t val)
{
	uint64_t h = fnv1a(key, len);
	struct strmap_slot *s;

	if ((m->nr + 1) * 4 > m->cap * 3)
		grow(m);
	s = find(m, key, len, h);
	if (s->key == NULL) {
		s->key = xmalloc(len + 1);
		memcpy(s->key, key, len);
		s->key[len] = '\0';
		s->len = len;
		s->hash = h;
		m->nr++;
	}
	s->val = val;
}

void
strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->nr = 0;
}
