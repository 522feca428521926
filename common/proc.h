/* SPDX-License-Identifier: MIT */
/*
 * common/proc.h: running a child program without a shell.  A struct proc
 * holds an argv vector, the child's complete environment (nothing is
 * inherited) and what to do with its stdin, stdout and stderr.  Besides
 * start/finish/kill it offers proc_io(), which feeds a long-lived child's
 * stdin while reading its output with a deadline, so that a child that
 * hangs cannot hang whc.  Included by any module that runs a program;
 * today that is reports/report_gnuplot.c.
 *
 * SIGPIPE: writing to a child that has exited raises SIGPIPE, which would
 * kill whc.  proc_io() sets SIGPIPE to "ignore" only around each write()
 * and restores the previous disposition straight after, so the failure
 * shows up as EPIPE instead.  The child always starts with SIGPIPE at its
 * default action and an empty signal mask, whatever whc itself uses.
 *
 * Pipes are created close-on-exec.  The module is not thread-safe (it
 * changes the SIGPIPE disposition and creates descriptors non-atomically);
 * whc is single-threaded.
 */
#ifndef PROC_H
#define PROC_H

#include <stddef.h>
#include <sys/types.h>

struct buf;
struct diag;

/* What the child's stdin, stdout or stderr is connected to. */
enum proc_stdio {
	PROC_INHERIT = 0,	/* whc's own descriptor */
	PROC_NULL,		/* /dev/null */
	PROC_PIPE,		/* a pipe whose other end is fd_in/out/err */
};

/*
 * Fields argv, env and the fd_* are managed by the functions below; set
 * in, out and err directly before proc_start().
 */
struct proc {
	char		**argv;		/* NULL-terminated; owned */
	size_t		 argc, argv_alloc;
	char		**env;		/* NULL-terminated NAME=VALUE; owned */
	size_t		 envc, env_alloc;
	enum proc_stdio	 in, out, err;
	pid_t		 pid;		/* 0 when no child is running */
	int		 fd_in;		/* we write the child's stdin, or -1 */
	int		 fd_out;	/* we read the child's stdout, or -1 */
	int		 fd_err;	/* we read the child's stderr, or -1 */
	int		 status;	/* last proc_finish() result */
};

#define PROC_INIT { NULL, 0, 0, NULL, 0, 0, PROC_INHERIT, PROC_INHERIT, \
	PROC_INHERIT, 0, -1, -1, -1, 0 }

/*
 * proc_finish() returns the exit status (0..255) of a child that exited,
 * or PROC_SIGNALLED + the signal number for one killed by a signal.
 */
#define PROC_SIGNALLED	0x100

/* proc_io() results besides 0 (done) and -1 (I/O error, recorded in d). */
#define PROC_TIMEOUT	(-2)	/* the deadline passed; nothing recorded */
#define PROC_EOF	(-3)	/* the child closed its pipes first; ditto */

void proc_init(struct proc *p);
/*
 * Frees argv and env and closes our pipe ends.  A child still running is
 * killed with SIGKILL and reaped, so no zombie is left behind.
 */
void proc_release(struct proc *p);

/* Appends one argument (copied).  The first is the program. */
void proc_arg(struct proc *p, const char *arg);
/*
 * Adds NAME=VALUE to the child's environment (both copied).  The child
 * gets exactly the variables added here: an empty environment if none.
 */
void proc_env(struct proc *p, const char *name, const char *value);

/*
 * Finds an executable like execvp() would, but without a shell and
 * without trying relative directories: a name containing '/' is checked
 * as it is; otherwise each absolute directory of path (a PATH-style
 * list; NULL means "/usr/bin:/bin") is tried in order.  Empty and
 * relative entries (which would mean the current directory) are skipped.
 * Returns a new string, or NULL (errno set) if no regular, executable
 * file was found.
 */
char *proc_find(const char *name, const char *path);

/*
 * Starts argv[0], found with proc_find() and whc's own PATH, with the
 * environment built by proc_env() and the standard descriptors set up as
 * in/out/err ask.  Our pipe ends are non-blocking and close-on-exec.
 * Returns 0, or -1 with the reason recorded (diag_env/diag_errno) in d.
 */
int proc_start(struct proc *p, struct diag *d);

/*
 * Writes in[0..n) to the child's stdin (n may be 0) while reading its
 * stdout into out and its stderr into err, for at most timeout_ms
 * (0 = no limit).  Output of a piped stream whose buf is NULL is read and
 * thrown away, so the child can never block on a full pipe.
 *
 * With until != NULL, it returns 0 as soon as all of in was written and
 * err holds until followed later by a newline; the search covers all of
 * err, so pass an err that holds only what belongs to this exchange.
 * Bytes after that line may already be in err too.  An empty until
 * returns as soon as all of in was written (reading meanwhile), to send
 * without waiting for an answer.  With until == NULL,
 * it closes the child's stdin once all of in was written and returns 0
 * when every piped output stream reached end-of-file; if the child stops
 * reading its stdin early, the rest of in is dropped (its exit status
 * will tell).  With until != NULL, stdin stays open for the next call.
 *
 * Returns PROC_TIMEOUT or PROC_EOF (nothing recorded: the caller knows
 * what to say and usually kills and reaps the child), or -1 with a
 * failed read/write/poll recorded in d.
 */
int proc_io(struct proc *p, const void *in, size_t n, struct buf *out,
    struct buf *err, const char *until, unsigned timeout_ms,
    struct diag *d);

/* Closes our end of the child's stdin (the child then sees EOF). */
void proc_close_stdin(struct proc *p);

/* Sends sig to the child if one is running.  Returns 0 or -1 (errno). */
int proc_kill(struct proc *p, int sig);

/*
 * Closes our pipe ends and waits for the child.  Returns its exit status
 * 0..255 or PROC_SIGNALLED + signal (also stored in p->status), or -1
 * with the reason recorded in d (for instance no child was started).
 */
int proc_finish(struct proc *p, struct diag *d);

/*
 * Convenience for short-lived children: proc_start(), proc_io() with
 * in[0..n) and until == NULL, then proc_finish().  A child that does not
 * finish within timeout_ms (0 = no limit) is killed with SIGKILL and
 * reported.  Returns the proc_finish() status, or -1 with d recorded.
 */
int proc_pipe(struct proc *p, const void *in, size_t n, struct buf *out,
    struct buf *err, unsigned timeout_ms, struct diag *d);

/* Appends "exit status N" or "killed by signal N (NAME)" for status. */
void proc_status_str(struct buf *out, int status);

#endif /* PROC_H */
