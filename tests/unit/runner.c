/* SPDX-License-Identifier: MIT */
/*
 * unit-tests: runs the C unit tests listed in test_list.h and prints TAP.
 * Each test runs in a forked child in its own process group, with its
 * stdout and stderr captured, so a crash, an abort, a timeout or a leak
 * found by the sanitizers fails that test only; the captured output is
 * printed as TAP comments when the test fails (always with -v).
 *
 *   unit-tests [-v] [NAME...]	run every test, or those matching a NAME
 *   unit-tests -l [NAME...]	list the tests instead
 *
 * A NAME selects the test of that name if there is one, else the tests
 * whose names start with it or, when it holds * ? or [, the tests it matches
 * as an fnmatch(3) pattern.  Options come before names.
 * Exit status: 0 if all passed, 1 if any failed, 2 for a usage error.
 * WHC_UNIT_TIMEOUT sets the seconds a test may take (default 60).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/test_list.h"
#include "tests/unit/unit.h"

#define DECLARE_(name) void test_##name(void);
TEST_LIST(DECLARE_)
#undef DECLARE_

#define ROW_(name) { #name, test_##name },
static const struct test {
	const char	*name;
	void		(*fn)(void);
} tests[] = {
	TEST_LIST(ROW_)
};
#undef ROW_

#define NTESTS	(sizeof(tests) / sizeof(tests[0]))
#define OUT_MAX	(64 * 1024)	/* captured output kept per test */

static unsigned int timeout_sec = 60;

/* Assertions, called in the test's child. */

void
unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(NULL);
	/* _exit: skip the leak check of what the failed test still holds. */
	_exit(1);
}

/* Prints s as a C string literal, escaping what is not printable ASCII. */
static void
put_quoted(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputs("NULL", stderr);
		return;
	}
	fputc('"', stderr);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			fprintf(stderr, "\\%c", p[i]);
		else if (p[i] == '\n')
			fputs("\\n", stderr);
		else if (p[i] == '\t')
			fputs("\\t", stderr);
		else if (p[i] < 0x20 || p[i] >= 0x7F)
			fprintf(stderr, "\\x%02X", p[i]);
		else
			fputc(p[i], stderr);
	}
	fputc('"', stderr);
}

static void __attribute__((noreturn))
fail_pair(const char *file, int line, const char *what, const char *ea,
    const char *eb, const char *a, size_t na, const char *b, size_t nb)
{
	fflush(stdout);
	fprintf(stderr, "%s:%d: %s(%s, %s) failed\n", file, line, what, ea, eb);
	fputs("  left:  ", stderr);
	put_quoted(a, na);
	fputs("\n  right: ", stderr);
	put_quoted(b, nb);
	fputc('\n', stderr);
	fflush(NULL);
	_exit(1);
}

void
unit_check_str(const char *file, int line, const char *ea, const char *eb,
    const char *a, const char *b)
{
	if (a == NULL && b == NULL)
		return;
	if (a != NULL && b != NULL && strcmp(a, b) == 0)
		return;
	fail_pair(file, line, "ASSERT_STR_EQ", ea, eb,
	    a, a ? strlen(a) : 0, b, b ? strlen(b) : 0);
}

void
unit_check_mem(const char *file, int line, const char *ea, const char *eb,
    const void *a, const void *b, size_t n)
{
	if (n == 0 || (a != NULL && b != NULL && memcmp(a, b, n) == 0))
		return;
	fail_pair(file, line, "ASSERT_MEM_EQ", ea, eb, a, n, b, n);
}

void
unit_check_near(const char *file, int line, const char *ea, const char *eb,
    double a, double b, double eps)
{
	if (fabs(a - b) <= eps)
		return;
	unit_fail(file, line, "ASSERT_NEAR(%s, %s) failed: %.17g and %.17g "
	    "differ by %.17g > %g", ea, eb, a, b, fabs(a - b), eps);
}

pid_t
unit_fork(void)
{
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) < 0)
		unit_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
	if (pid == 0)
		alarm(timeout_sec);
	return pid;
}

void
unit_check_died(const char *file, int line, const char *what, pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			unit_fail(file, line, "waitpid: %s", strerror(errno));
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGALRM)
		return;
	if (WIFSIGNALED(status))
		unit_fail(file, line, "ASSERT_DIES(%s) failed: timed out",
		    what);
	unit_fail(file, line, "ASSERT_DIES(%s) failed: exited with status %d",
	    what, WEXITSTATUS(status));
}

/* The runner. */

struct out {
	char	*data;
	size_t	 len, cap;
	int	 truncated;
};

static void
out_add(struct out *o, const char *p, size_t n)
{
	if (o->len + n > OUT_MAX) {
		n = OUT_MAX - o->len;
		o->truncated = 1;
	}
	if (o->len + n + 1 > o->cap) {
		o->cap = o->len + n + 1 < 4096 ? 4096 : 2 * (o->len + n + 1);
		if ((o->data = realloc(o->data, o->cap)) == NULL) {
			perror("unit-tests: realloc");
			abort();
		}
	}
	memcpy(o->data + o->len, p, n);
	o->len += n;
	o->data[o->len] = '\0';
}

/* Prints the captured output as TAP comment lines. */
static void
out_print(const struct out *o)
{
	const char *p = o->data, *end = o->data + o->len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		printf("# %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
	if (o->truncated)
		printf("# [output truncated]\n");
}

static void __attribute__((noreturn))
child(const struct test *t, int fd)
{
	struct rlimit no_core = { 0, 0 };
	int null;

	setpgid(0, 0);
	setrlimit(RLIMIT_CORE, &no_core);
	if ((null = open("/dev/null", O_RDONLY)) >= 0) {
		dup2(null, 0);
		close(null);
	}
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	alarm(timeout_sec);
	t->fn();
	fflush(NULL);
	exit(0);	/* exit, not _exit: the leak checker runs at exit */
}

/* Runs test t; returns 0 if it passed.  Its output is left in o. */
static int
run_one(const struct test *t, struct out *o, char *why, size_t whysz)
{
	struct pollfd pfd;
	pid_t pid;
	int fds[2], status = 0, done = 0;
	ssize_t n;
	char chunk[4096];

	why[0] = '\0';
	if (pipe(fds) < 0) {
		snprintf(why, whysz, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		snprintf(why, whysz, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child(t, fds[1]);
	}
	close(fds[1]);
	/*
	 * Read until EOF; once the child has exited, kill what it left
	 * behind in its process group, which may hold the pipe open.
	 */
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, done ? -1 : 100) > 0) {
			n = read(fds[0], chunk, sizeof(chunk));
			if (n == 0)
				break;
			if (n > 0)
				out_add(o, chunk, (size_t)n);
			else if (errno != EINTR && errno != EAGAIN)
				break;
		}
		if (!done && waitpid(pid, &status, WNOHANG) == pid) {
			done = 1;
			kill(-pid, SIGKILL);
		}
	}
	close(fds[0]);
	if (!done) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		kill(-pid, SIGKILL);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 1)
		snprintf(why, whysz, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(why, whysz, "timed out after %u s", timeout_sec);
	else if (WIFSIGNALED(status))
		snprintf(why, whysz, "killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	return -1;
}

/* Marks the tests pat selects; returns how many. */
static size_t
select_tests(char *selected, const char *pat)
{
	size_t n = 0;

	for (size_t t = 0; t < NTESTS; t++) {
		if (strcmp(tests[t].name, pat) == 0) {
			selected[t] = 1;
			return 1;
		}
	}
	for (size_t t = 0; t < NTESTS; t++) {
		if (strpbrk(pat, "*?[") != NULL ?
		    fnmatch(pat, tests[t].name, 0) == 0 :
		    strncmp(tests[t].name, pat, strlen(pat)) == 0) {
			selected[t] = 1;
			n++;
		}
	}
	return n;
}

static void
usage(FILE *fp)
{
	fputs("usage: unit-tests [-lv] [NAME...]\n"
	    "  -l  list the tests instead of running them\n"
	    "  -v  show the output of passing tests too\n"
	    "A NAME selects the test of that name, else the tests whose\n"
	    "names start with it, or that it matches as a shell pattern.\n",
	    fp);
}

int
main(int argc, char **argv)
{
	static char selected[NTESTS];
	const char *env;
	size_t nsel = 0, num = 0, failed = 0;
	int list = 0, verbose = 0, opt;
	char why[256];

	while ((opt = getopt(argc, argv, "hlv")) != -1) {
		switch (opt) {
		case 'l':
			list = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if ((env = getenv("WHC_UNIT_TIMEOUT")) != NULL && atoi(env) > 0)
		timeout_sec = (unsigned int)atoi(env);
	for (int i = optind; i < argc; i++) {
		if (argv[i][0] == '-') {
			fprintf(stderr, "unit-tests: options go before "
			    "names: '%s'\n", argv[i]);
			return 2;
		}
		if (select_tests(selected, argv[i]) == 0) {
			fprintf(stderr, "unit-tests: no test matches '%s'\n",
			    argv[i]);
			return 2;
		}
	}
	for (size_t t = 0; t < NTESTS; t++) {
		if (optind == argc)
			selected[t] = 1;
		nsel += selected[t];
	}
	if (list) {
		for (size_t t = 0; t < NTESTS; t++)
			if (selected[t])
				printf("%s\n", tests[t].name);
		return fflush(stdout) == 0 ? 0 : 1;
	}

	printf("1..%zu\n", nsel);
	for (size_t t = 0; t < NTESTS; t++) {
		struct out o = { NULL, 0, 0, 0 };
		int rc;

		if (!selected[t])
			continue;
		rc = run_one(&tests[t], &o, why, sizeof(why));
		num++;
		printf("%sok %zu - %s\n", rc ? "not " : "", num, tests[t].name);
		if (rc || verbose)
			out_print(&o);
		if (why[0] != '\0')
			printf("# %s\n", why);
		fflush(stdout);
		free(o.data);
		failed += rc != 0;
	}
	printf("# %zu passed, %zu failed\n", num - failed, failed);
	if (fflush(stdout) != 0)
		return 1;
	return failed ? 1 : 0;
}
