/* SPDX-License-Identifier: MIT */
/* Atomic file writes and mkdir -p (see fsutil.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/fsutil.h"
#include "common/xalloc.h"

int
fs_write_atomic(const char *path, const void *p, size_t len, struct diag *d)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	const char *c = p;
	ssize_t n;
	int fd;

	if ((fd = mkstemp(tmp)) < 0) {
		diag_errno(d, "cannot create a temporary file for '%s'", path);
		free(tmp);
		return -1;
	}
	while (len > 0) {
		n = write(fd, c, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			goto fail;
		}
		c += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	diag_errno(d, "cannot write '%s'", path);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

int
fs_mkdir_p(const char *dir, struct diag *d)
{
	char *p = xstrdup(dir), *s = p;
	struct stat sb;

	do {
		s = strchr(s + 1, '/');
		if (s != NULL)
			*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			diag_errno(d, "cannot create directory '%s'", p);
			free(p);
			return -1;
		}
		if (s != NULL)
			*s = '/';
	} while (s != NULL);
	free(p);
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return diag_errno(d, "cannot use '%s' as a directory", dir);
	}
	return 0;
}
