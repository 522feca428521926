/* SPDX-License-Identifier: MIT */
/*
 * struct buf: a growable byte string, always NUL-terminated, never NULL
 * after BUF_INIT or buf_init().  All string building goes through it.
 * An optional maximum (max != 0) makes appends beyond it fail, so data from
 * the network cannot exhaust memory.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NUL-terminated; points at a static "" when empty */
	size_t	 len;
	size_t	 cap;		/* private: 0 while data is the static "" */
	size_t	 max;		/* 0 = no limit */
	int	 over;		/* set once an append was refused by max */
};

extern char buf_empty_[];
#define BUF_INIT { buf_empty_, 0, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
/* Frees the contents and leaves b as after buf_init() with the same max. */
void buf_release(struct buf *b);
/* Empties b but keeps its memory. */
void buf_reset(struct buf *b);
/* Returns the string, which the caller now owns; b is left empty. */
char *buf_detach(struct buf *b, size_t *len);
/* Makes room for n more bytes.  Returns -1 (and sets over) past max. */
int buf_grow(struct buf *b, size_t n);
/* Appends; return 0, or -1 when max would be exceeded (nothing appended). */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, int c);
int buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Shortens b to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

#endif /* BUF_H */
