/* SPDX-License-Identifier: MIT */
/* File-system helpers: atomic file writes and directory creation. */
#ifndef FSUTIL_H
#define FSUTIL_H

#include <stddef.h>

struct diag;

/*
 * Writes len bytes to path through a temporary file in the same directory,
 * flushed to disk and renamed over path only when complete, so path never
 * holds a half-written file.  Returns 0 or -1 (diag_errno).
 */
int fs_write_atomic(const char *path, const void *p, size_t len,
    struct diag *d);
/* Creates dir and its missing parents (mode 0777 & ~umask); 0 or -1. */
int fs_mkdir_p(const char *dir, struct diag *d);

#endif /* FSUTIL_H */
