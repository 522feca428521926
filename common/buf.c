/* SPDX-License-Identifier: MIT */
/* struct buf: growable NUL-terminated strings with an optional size cap. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/xalloc.h"

char buf_empty_[1];

void
buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty_;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->over = 0;
}

void
buf_release(struct buf *b)
{
	size_t max = b->max;

	if (b->cap)
		free(b->data);
	buf_init(b, max);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->over = 0;
	if (b->cap)
		b->data[0] = '\0';
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (len != NULL)
		*len = b->len;
	p = b->cap ? b->data : xstrdup("");
	buf_init(b, b->max);
	return p;
}

int
buf_grow(struct buf *b, size_t n)
{
	size_t need;

	if (n > (size_t)-1 - b->len - 1)
		BUG("buf overflow");
	need = b->len + n + 1;
	if (b->max && b->len + n > b->max) {
		b->over = 1;
		return -1;
	}
	if (need <= b->cap)
		return 0;
	if (need < b->cap * 3 / 2)
		need = b->cap * 3 / 2;
	if (need < 64)
		need = 64;
	if (b->cap == 0) {
		b->data = xmalloc(need);
		b->data[0] = '\0';
	} else {
		b->data = xrealloc(b->data, need);
	}
	b->cap = need;
	return 0;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_add(b, &ch, 1);
}

int
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("bad format '%s'", fmt);
	if (buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len > b->len)
		BUG("buf_truncate beyond end");
	b->len = len;
	if (b->cap)
		b->data[len] = '\0';
}
