/* SPDX-License-Identifier: MIT */
/*
 * Running child programs with posix_spawn(): an explicit argv and
 * environment, pipes on request, and poll()-driven I/O with a deadline.
 * Never involves a shell.  See proc.h for the SIGPIPE policy.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/proc.h"
#include "common/vec.h"
#include "common/xalloc.h"

#define IO_CHUNK	65536

void
proc_init(struct proc *p)
{
	static const struct proc zero = PROC_INIT;

	*p = zero;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static void
close_ours(struct proc *p)
{
	close_fd(&p->fd_in);
	close_fd(&p->fd_out);
	close_fd(&p->fd_err);
}

static void
strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
proc_release(struct proc *p)
{
	int st;

	close_ours(p);
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	strv_free(p->argv, p->argc);
	strv_free(p->env, p->envc);
	proc_init(p);
}

/* Appends s to a NULL-terminated vector, taking ownership of s. */
static void
strv_push(char ***v, size_t *n, size_t *alloc, char *s)
{
	VEC_GROW(*v, *n + 2, *alloc);
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

void
proc_arg(struct proc *p, const char *arg)
{
	strv_push(&p->argv, &p->argc, &p->argv_alloc, xstrdup(arg));
}

void
proc_env(struct proc *p, const char *name, const char *value)
{
	strv_push(&p->env, &p->envc, &p->env_alloc,
	    xasprintf("%s=%s", name, value));
}

static int
is_exe(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	if (!S_ISREG(st.st_mode)) {
		errno = EACCES;
		return 0;
	}
	return access(path, X_OK) == 0;
}

char *
proc_find(const char *name, const char *path)
{
	struct buf b = BUF_INIT;
	const char *dir, *end;
	int err = ENOENT;

	if (name[0] == '\0') {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(name, '/') != NULL) {
		if (is_exe(name))
			return xstrdup(name);
		return NULL;
	}
	if (path == NULL)
		path = "/usr/bin:/bin";
	for (dir = path; ; dir = end + 1) {
		end = strchr(dir, ':');
		if (end == NULL)
			end = dir + strlen(dir);
		if (dir[0] == '/') {
			buf_reset(&b);
			buf_add(&b, dir, (size_t)(end - dir));
			buf_addf(&b, "/%s", name);
			if (is_exe(b.data))
				return buf_detach(&b, NULL);
			if (errno != ENOENT && errno != ENOTDIR)
				err = errno;
		}
		if (*end == '\0')
			break;
	}
	buf_release(&b);
	errno = err;
	return NULL;
}

/*
 * Makes fd close-on-exec and at least 3, so that dup2() onto 0..2 in the
 * child always really happens (dup2 of a descriptor onto itself would keep
 * close-on-exec set).  Returns the possibly new descriptor or -1.
 */
static int
fd_high_cloexec(int fd)
{
	int nfd;

	if (fd > 2)
		return fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 ? fd : -1;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

static int
make_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	fds[0] = fd_high_cloexec(fds[0]);
	fds[1] = fd_high_cloexec(fds[1]);
	if (fds[0] < 0 || fds[1] < 0) {
		close_fd(&fds[0]);
		close_fd(&fds[1]);
		return -1;
	}
	return 0;
}

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * Adds the file action for one standard descriptor.  Returns 0, or an
 * errno value.  For a pipe, fds[child] is the child's end.
 */
static int
stdio_action(posix_spawn_file_actions_t *fa, enum proc_stdio mode,
    int target, const int fds[2], int child)
{
	switch (mode) {
	case PROC_INHERIT:
		return 0;
	case PROC_NULL:
		return posix_spawn_file_actions_addopen(fa, target,
		    "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0);
	case PROC_PIPE:
		return posix_spawn_file_actions_adddup2(fa, fds[child],
		    target);
	}
	return EINVAL;
}

int
proc_start(struct proc *p, struct diag *d)
{
	static char *no_env[] = { NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def, mask;
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	char *path;
	pid_t pid;
	int rc, e;

	assert(p->pid == 0 && p->argc > 0);
	if ((path = proc_find(p->argv[0], getenv("PATH"))) == NULL)
		return diag_errno(d, "cannot find program '%s'", p->argv[0]);
	if ((p->in == PROC_PIPE && make_pipe(pin) != 0) ||
	    (p->out == PROC_PIPE && make_pipe(pout) != 0) ||
	    (p->err == PROC_PIPE && make_pipe(perr) != 0)) {
		rc = diag_errno(d, "cannot create pipe for '%s'", path);
		goto out_pipes;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigemptyset(&mask);
	e = posix_spawnattr_setflags(&attr,
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	if (e == 0)
		e = posix_spawnattr_setsigdefault(&attr, &def);
	if (e == 0)
		e = posix_spawnattr_setsigmask(&attr, &mask);
	if (e == 0)
		e = stdio_action(&fa, p->in, 0, pin, 0);
	if (e == 0)
		e = stdio_action(&fa, p->out, 1, pout, 1);
	if (e == 0)
		e = stdio_action(&fa, p->err, 2, perr, 1);
	if (e == 0)
		e = posix_spawn(&pid, path, &fa, &attr, p->argv,
		    p->envc ? p->env : no_env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (e != 0) {
		errno = e;
		rc = diag_errno(d, "cannot run '%s'", path);
		goto out_pipes;
	}
	p->pid = pid;
	close_fd(&pin[0]);
	close_fd(&pout[1]);
	close_fd(&perr[1]);
	p->fd_in = pin[1];
	p->fd_out = pout[0];
	p->fd_err = perr[0];
	if ((p->fd_in >= 0 && set_nonblock(p->fd_in) != 0) ||
	    (p->fd_out >= 0 && set_nonblock(p->fd_out) != 0) ||
	    (p->fd_err >= 0 && set_nonblock(p->fd_err) != 0))
		BUG("fcntl O_NONBLOCK on a fresh pipe: %s", strerror(errno));
	free(path);
	return 0;

out_pipes:
	close_fd(&pin[0]);
	close_fd(&pin[1]);
	close_fd(&pout[0]);
	close_fd(&pout[1]);
	close_fd(&perr[0]);
	close_fd(&perr[1]);
	free(path);
	return rc;
}

/* Milliseconds on a clock that never jumps. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* write() with SIGPIPE ignored for its duration only (see proc.h). */
static ssize_t
write_nosigpipe(int fd, const void *data, size_t n)
{
	struct sigaction ign, old;
	ssize_t r;
	int e;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	if (sigaction(SIGPIPE, &ign, &old) != 0)
		return -1;
	r = write(fd, data, n);
	e = errno;
	sigaction(SIGPIPE, &old, NULL);
	errno = e;
	return r;
}

/*
 * Reads what is available on *fd into b (or nowhere).  Returns 1 at
 * end-of-file (and closes *fd), 0 otherwise, -1 on error.
 */
static int
drain(int *fd, struct buf *b)
{
	char tmp[IO_CHUNK];
	ssize_t r;

	for (;;) {
		r = read(*fd, tmp, sizeof(tmp));
		if (r > 0) {
			if (b != NULL)
				buf_add(b, tmp, (size_t)r);
			continue;
		}
		if (r == 0) {
			close_fd(fd);
			return 1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return -1;
	}
}

/* Non-zero if err holds until followed later by a newline. */
static int
seen_until(const struct buf *err, const char *until)
{
	const char *hit = strstr(err->data, until);

	return hit != NULL && strchr(hit, '\n') != NULL;
}

void
proc_close_stdin(struct proc *p)
{
	close_fd(&p->fd_in);
}

int
proc_io(struct proc *p, const void *in, size_t n, struct buf *out,
    struct buf *err, const char *until, unsigned timeout_ms,
    struct diag *d)
{
	const char *src = in;
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd[3];
	size_t done = 0;
	int broken = 0;		/* the child stopped reading its stdin */
	int *fds[3], nfd, wait, r;

	assert(until == NULL || (err != NULL && p->fd_err >= 0));
	if (p->fd_in < 0 && n > 0)
		broken = 1;
	for (;;) {
		if (until != NULL && done == n && !broken &&
		    (until[0] == '\0' || seen_until(err, until)))
			return 0;
		if (until == NULL && (done == n || broken))
			close_fd(&p->fd_in);
		nfd = 0;
		if (p->fd_in >= 0 && done < n && !broken) {
			fds[nfd] = &p->fd_in;
			pfd[nfd].fd = p->fd_in;
			pfd[nfd++].events = POLLOUT;
		}
		if (p->fd_out >= 0) {
			fds[nfd] = &p->fd_out;
			pfd[nfd].fd = p->fd_out;
			pfd[nfd++].events = POLLIN;
		}
		if (p->fd_err >= 0) {
			fds[nfd] = &p->fd_err;
			pfd[nfd].fd = p->fd_err;
			pfd[nfd++].events = POLLIN;
		}
		if (nfd == 0)
			return until != NULL ? PROC_EOF : 0;
		wait = -1;
		if (timeout_ms > 0) {
			long long left = deadline - now_ms();

			if (left <= 0)
				return PROC_TIMEOUT;
			wait = left > 60000 ? 60000 : (int)left;
		}
		r = poll(pfd, (nfds_t)nfd, wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return diag_errno(d, "cannot poll '%s'", p->argv[0]);
		for (int i = 0; i < nfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (fds[i] == &p->fd_in) {
				size_t len = n - done;
				ssize_t w;

				if (len > IO_CHUNK)
					len = IO_CHUNK;
				w = write_nosigpipe(p->fd_in, src + done, len);
				if (w > 0)
					done += (size_t)w;
				else if (w < 0 && errno == EPIPE)
					broken = 1;
				else if (w < 0 && errno != EAGAIN &&
				    errno != EWOULDBLOCK && errno != EINTR)
					return diag_errno(d,
					    "cannot write to '%s'",
					    p->argv[0]);
				continue;
			}
			if (drain(fds[i], fds[i] == &p->fd_out ? out : err)
			    < 0)
				return diag_errno(d, "cannot read from '%s'",
				    p->argv[0]);
		}
	}
}

int
proc_kill(struct proc *p, int sig)
{
	if (p->pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	return kill(p->pid, sig);
}

int
proc_finish(struct proc *p, struct diag *d)
{
	pid_t pid = p->pid;
	int st;

	close_ours(p);
	if (pid <= 0)
		return diag_env(d, "no child process to wait for");
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			p->pid = 0;
			return diag_errno(d, "cannot wait for '%s' (pid %ld)",
			    p->argv[0], (long)pid);
		}
	}
	p->pid = 0;
	if (WIFEXITED(st))
		p->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		p->status = PROC_SIGNALLED + WTERMSIG(st);
	else
		BUG("waitpid status %#x is neither exit nor signal", st);
	return p->status;
}

int
proc_pipe(struct proc *p, const void *in, size_t n, struct buf *out,
    struct buf *err, unsigned timeout_ms, struct diag *d)
{
	int rc;

	if (proc_start(p, d) < 0)
		return -1;
	rc = proc_io(p, in, n, out, err, NULL, timeout_ms, d);
	if (rc == PROC_TIMEOUT) {
		proc_kill(p, SIGKILL);
		proc_finish(p, d);
		return diag_env(d, "'%s' did not finish within %u ms",
		    p->argv[0], timeout_ms);
	}
	if (rc < 0) {
		proc_kill(p, SIGKILL);
		proc_finish(p, d);
		return -1;
	}
	return proc_finish(p, d);
}

void
proc_status_str(struct buf *out, int status)
{
	if (status >= PROC_SIGNALLED) {
		int sig = status - PROC_SIGNALLED;

		buf_addf(out, "killed by signal %d (%s)", sig, strsignal(sig));
	} else {
		buf_addf(out, "exit status %d", status);
	}
}
