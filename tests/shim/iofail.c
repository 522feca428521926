/* SPDX-License-Identifier: MIT */
/*
 * tests/shim/iofail.so: an LD_PRELOAD shim that makes one file write fail,
 * for tests/t5000-io-faults.sh.  Counted calls are write, pwrite,
 * pwrite64, writev, fwrite, fsync, fdatasync, ftruncate (on regular files
 * other than stdin, stdout and stderr) and rename, in the order the
 * process makes them.
 *
 *	IOFAIL_AT=N	the Nth counted call fails (from 1; unset or 0: none)
 *	IOFAIL_ERRNO	ENOSPC (default) or EIO: the errno it fails with
 *	IOFAIL_COUNT=F	at exit, write the number of counted calls to F
 *
 * Only a program named whc is affected, and it takes the shim out of
 * LD_PRELOAD at start, so gnuplot and other children run without it.  In
 * any other program the shim does nothing and stays in LD_PRELOAD: under
 * `make valgrind` whc is started by a shell script and valgrind's
 * launcher, which must pass it on.  Test code only; never built into
 * whc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static unsigned long calls, fail_at;
static int active;
static int fail_errno = ENOSPC;
static char count_file[4096];

static void
report(void)
{
	FILE *f;

	if (count_file[0] == '\0' || (f = fopen(count_file, "w")) == NULL)
		return;
	fprintf(f, "%lu\n", calls);
	fclose(f);
}

__attribute__((constructor)) static void
init(void)
{
	const char *at = getenv("IOFAIL_AT"), *e = getenv("IOFAIL_ERRNO");
	const char *cf = getenv("IOFAIL_COUNT");

	if (strcmp(program_invocation_short_name, "whc") != 0)
		return;
	active = 1;
	if (at != NULL)
		fail_at = strtoul(at, NULL, 10);
	if (e != NULL && strcmp(e, "EIO") == 0)
		fail_errno = EIO;
	if (cf != NULL && strlen(cf) < sizeof(count_file)) {
		memcpy(count_file, cf, strlen(cf) + 1);
		atexit(report);
	}
	unsetenv("LD_PRELOAD");
	unsetenv("IOFAIL_AT");
	unsetenv("IOFAIL_COUNT");
}

static void *
next(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p == NULL)
		abort();
	return p;
}

/* Counts a call on fd (-1: no fd); non-zero when this one must fail. */
static int
fails(int fd)
{
	struct stat sb;
	int saved = errno;

	if (!active)
		return 0;
	if (fd >= 0 && (fd <= 2 || fstat(fd, &sb) < 0 ||
	    !S_ISREG(sb.st_mode))) {
		errno = saved;
		return 0;
	}
	errno = saved;
	if (++calls != fail_at)
		return 0;
	errno = fail_errno;
	return 1;
}

ssize_t
write(int fd, const void *p, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (real == NULL)
		real = next("write");
	return fails(fd) ? -1 : real(fd, p, n);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);

	if (real == NULL)
		real = next("pwrite");
	return fails(fd) ? -1 : real(fd, p, n, off);
}

ssize_t
pwrite64(int fd, const void *p, size_t n, off64_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off64_t);

	if (real == NULL)
		real = next("pwrite64");
	return fails(fd) ? -1 : real(fd, p, n, off);
}

ssize_t
writev(int fd, const struct iovec *v, int n)
{
	static ssize_t (*real)(int, const struct iovec *, int);

	if (real == NULL)
		real = next("writev");
	return fails(fd) ? -1 : real(fd, v, n);
}

size_t
fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	static size_t (*real)(const void *, size_t, size_t, FILE *);

	if (real == NULL)
		real = next("fwrite");
	return fails(fileno(f)) ? 0 : real(p, size, n, f);
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = next("fsync");
	return fails(fd) ? -1 : real(fd);
}

int
fdatasync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = next("fdatasync");
	return fails(fd) ? -1 : real(fd);
}

int
ftruncate(int fd, off_t len)
{
	static int (*real)(int, off_t);

	if (real == NULL)
		real = next("ftruncate");
	return fails(fd) ? -1 : real(fd, len);
}

int
rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (real == NULL)
		real = next("rename");
	return fails(-1) ? -1 : real(from, to);
}
