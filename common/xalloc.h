/* SPDX-License-Identifier: MIT */
/*
 * Allocation wrappers that abort with a message on out-of-memory: whc is a
 * command-line tool and does not try to survive OOM.  Included everywhere.
 */
#ifndef XALLOC_H
#define XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array to nmemb elements of size bytes, checking for overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string. */
char *xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), nonnull(1)));

/* Aborts with file:line for a state that cannot happen (our own bug). */
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
void bug_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

#endif /* XALLOC_H */
