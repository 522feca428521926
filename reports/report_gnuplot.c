/* SPDX-License-Identifier: MIT */
/*
 * The gnuplot session: starting one gnuplot, sending it a chart, reading
 * stderr up to the end-of-chart marker, turning gnuplot's complaints into
 * a diag, and the temporary-file-then-rename dance for each output file.
 * The only file of whc that knows gnuplot's command language.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/proc.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "reports/report.h"

#define DEFAULT_TIMEOUT_MS	30000
#define CLOSE_TIMEOUT_MS	5000
#define MESSAGE_MAX		400	/* bytes of gnuplot text in a diag */

#define NFORMATS_MAX	4		/* at least NFORMATS */

struct gp_format;

/*
 * One format of the chart in flight.  gnuplot reads its standard input a
 * byte at a time (a read() and two signal-mask calls per byte: two
 * million system calls for a 60-team pack, which took twice as long as
 * gnuplot alone), but a file it loads through stdio.  So each script goes
 * into a private file (mode 0600) beside its temporary output, and the
 * pipe carries only `load` with the file's name (in a datablock, so that
 * no name needs quoting) and the trailer.  gnuplot stops a loaded file at
 * its first error and goes on with the pipe.
 */
struct gp_pending {
	const struct gp_format *f;
	struct buf	 final;		/* DIR/BASE.EXT */
	struct buf	 tmp;		/* DIR/.BASE.EXT.XXXXXX: the output */
	struct buf	 script;	/* tmp + ".gp" */
	struct buf	 what;		/* "drawing 'FINAL'", for messages */
	unsigned long	 seq;		/* its exchange; 0: not sent */
	int		 made;		/* 1: tmp exists; 2: script too */
};

struct report_gp {
	char		*prog;		/* as given: path or name */
	unsigned	 timeout_ms;
	unsigned	 formats;	/* bit i: formats[i] */
	char		*trace;		/* file to append scripts to, or NULL */
	struct proc	 p;
	int		 alive;		/* p is a gnuplot that answered */
	char		 nonce[17];	/* hex; makes the marker unguessable */
	unsigned long	 seq;		/* exchanges so far */
	struct buf	 err;		/* stderr read but not yet used */
	int		 background;	/* report_gp_render() does not wait */
	struct gp_pending pending[NFORMATS_MAX]; /* the chart in flight */
	size_t		 npending;
};

/* The outcome of one exchange with gnuplot. */
struct gp_result {
	long		 errno_gp;	/* GPVAL_ERRNO after the script */
	struct buf	 text;		/* what gnuplot printed on stderr */
};

static void
make_nonce(struct report_gp *gp)
{
	unsigned char r[8];
	unsigned long long x;
	struct timespec ts;
	int fd, ok = 0;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
		ok = read(fd, r, sizeof(r)) == (ssize_t)sizeof(r);
		close(fd);
	}
	if (!ok) {
		clock_gettime(CLOCK_REALTIME, &ts);
		x = (unsigned long long)ts.tv_nsec ^
		    ((unsigned long long)ts.tv_sec << 20) ^
		    ((unsigned long long)getpid() << 40);
		memcpy(r, &x, sizeof(r));
	}
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(gp->nonce + 2 * i, 3, "%02x", r[i]);
}

/* Kills and reaps a gnuplot that misbehaved. */
static void
gp_kill(struct report_gp *gp)
{
	struct diag scratch = DIAG_INIT;

	if (gp->p.pid > 0) {
		proc_kill(&gp->p, SIGKILL);
		proc_finish(&gp->p, &scratch);
		diag_release(&scratch);
	}
	proc_release(&gp->p);
	gp->alive = 0;
	buf_reset(&gp->err);
}

/*
 * Turns what gnuplot printed for one chart into a one-line message: the
 * non-empty lines without the caret lines, "line N: " prefixes dropped,
 * joined with "; ", cleaned, at most MESSAGE_MAX bytes.
 */
static void
gp_message(struct buf *out, const char *s, size_t n)
{
	struct buf raw = BUF_INIT;
	const char *end = s + n, *nl, *l, *q;
	size_t len;
	char *e;

	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		l = s + strspn(s, " \t");
		len = (size_t)(nl - l);
		while (len > 0 && (l[len - 1] == ' ' || l[len - 1] == '\r'))
			len--;
		if (len == 0 || strspn(l, "^") >= len)
			continue;
		/* An error in a loaded script: '"FILE" line N: ...'. */
		if (l[0] == '"' && (q = strstr(l + 1, "\" line ")) != NULL &&
		    q + 7 < l + len) {
			len -= (size_t)(q + 2 - l);
			l = q + 2;
		}
		if (strncmp(l, "line ", 5) == 0) {
			strtoul(l + 5, &e, 10);
			if (e > l + 5 && e[0] == ':' && e[1] == ' ' &&
			    e + 2 <= l + len) {
				len -= (size_t)(e + 2 - l);
				l = e + 2;
			}
		}
		if (raw.len > 0)
			buf_adds(&raw, "; ");
		buf_add(&raw, l, len);
		if (nl == end)
			break;
	}
	if (raw.len > MESSAGE_MAX) {
		len = MESSAGE_MAX;
		while (len > 0 && (raw.data[len] & 0xC0) == 0x80)
			len--;
		buf_truncate(&raw, len);
		buf_adds(&raw, "...");
	}
	text_clean(out, raw.data, raw.len);
	buf_release(&raw);
}

/*
 * After a failed exchange: records why in d (what gnuplot printed, how it
 * ended) and kills and reaps the process, so that the next exchange starts
 * a new one.  Returns -1.
 */
static int
gp_fail(struct report_gp *gp, int rc, const char *what, struct diag *d)
{
	struct buf msg = BUF_INIT, how = BUF_INIT;
	int st;

	gp_message(&msg, gp->err.data, gp->err.len);
	if (rc == PROC_TIMEOUT) {
		diag_env(d, "gnuplot '%s' did not finish %s within %u ms and "
		    "was stopped%s%s", gp->prog, what, gp->timeout_ms,
		    msg.len ? ": " : "", msg.data);
	} else if (rc == PROC_EOF) {
		proc_close_stdin(&gp->p);
		st = proc_finish(&gp->p, d);
		if (st >= 0)
			proc_status_str(&how, st);
		else
			buf_adds(&how, "status unknown");
		diag_env(d, "gnuplot '%s' exited (%s) %s%s%s", gp->prog,
		    how.data, what, msg.len ? ": " : "", msg.data);
	}
	gp_kill(gp);
	buf_release(&msg);
	buf_release(&how);
	return -1;
}

/*
 * Sends script plus the trailer that prints the exchange's marker, and
 * returns once gnuplot has it all, without waiting for the answer (see
 * gp_await).  Returns the exchange's number, or 0 with the failure in d.
 */
static unsigned long
gp_send(struct report_gp *gp, const char *script, const char *what,
    struct diag *d)
{
	struct buf in = BUF_INIT;
	int rc;

	gp->seq++;
	/*
	 * The marker is split in the script ("WHC-n" . "-7"), so that
	 * gnuplot echoing a failing line can never produce it.
	 */
	buf_addf(&in, "%s\nunset multiplot\nunset output\n"
	    "printerr \"WHC-%s\" . \"-%lu\", GPVAL_ERRNO\nreset errors\n",
	    script, gp->nonce, gp->seq);
	rc = proc_io(&gp->p, in.data, in.len, NULL, &gp->err, "",
	    gp->timeout_ms, d);
	buf_release(&in);
	if (rc != 0) {
		gp_fail(gp, rc, what, d);
		return 0;
	}
	return gp->seq;
}

/*
 * Waits for the marker of exchange seq (sent by gp_send, and every one
 * before it answered).  Returns 0 with res filled in, or -1 with the
 * failure in d; after a failure the process is gone.
 */
static int
gp_await(struct report_gp *gp, unsigned long seq, const char *what,
    struct gp_result *res, struct diag *d)
{
	struct buf until = BUF_INIT;
	const char *hit, *nl;
	size_t rest;
	int rc;

	buf_addf(&until, "WHC-%s-%lu ", gp->nonce, seq);
	rc = proc_io(&gp->p, NULL, 0, NULL, &gp->err, until.data,
	    gp->timeout_ms, d);
	if (rc != 0) {
		buf_release(&until);
		return gp_fail(gp, rc, what, d);
	}
	hit = strstr(gp->err.data, until.data);
	nl = strchr(hit, '\n');
	res->errno_gp = strtol(hit + until.len, NULL, 10);
	buf_add(&res->text, gp->err.data, (size_t)(hit - gp->err.data));
	/* Keep what came after the marker line for the next exchange. */
	rest = gp->err.len - (size_t)(nl + 1 - gp->err.data);
	memmove(gp->err.data, nl + 1, rest);
	buf_truncate(&gp->err, rest);
	buf_release(&until);
	return 0;
}

/* gp_send() and gp_await(): one exchange, answered. */
static int
gp_exchange(struct report_gp *gp, const char *script, const char *what,
    struct gp_result *res, struct diag *d)
{
	unsigned long seq = gp_send(gp, script, what, d);

	return seq == 0 ? -1 : gp_await(gp, seq, what, res, d);
}

/* Starts gnuplot and waits for its answer to an empty script. */
static int
gp_spawn(struct report_gp *gp, struct diag *d)
{
	struct gp_result res = { 0, BUF_INIT };
	int rc;

	proc_init(&gp->p);
	proc_arg(&gp->p, gp->prog);
	proc_arg(&gp->p, "-d");
	proc_env(&gp->p, "PATH", "/usr/bin:/bin");
	proc_env(&gp->p, "LANG", "C.UTF-8");
	gp->p.in = PROC_PIPE;
	gp->p.out = PROC_NULL;
	gp->p.err = PROC_PIPE;
	buf_reset(&gp->err);
	if (proc_start(&gp->p, d) < 0) {
		proc_release(&gp->p);
		return -1;
	}
	rc = gp_exchange(gp, "", "at start-up", &res, d);
	buf_release(&res.text);
	if (rc < 0)
		return -1;
	gp->alive = 1;
	return 0;
}

struct report_gp *
report_gp_open(const struct report_opts *o, struct diag *d)
{
	struct report_gp *gp = xcalloc(1, sizeof(*gp));

	gp->prog = xstrdup(o->gnuplot != NULL && o->gnuplot[0] != '\0' ?
	    o->gnuplot : "gnuplot");
	gp->timeout_ms = o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
	gp->formats = (o->png ? 1u : 0) | (o->png_print ? 2u : 0) |
	    (o->svg ? 4u : 0) | (o->pdf ? 8u : 0);
	if (gp->formats == 0)
		gp->formats = 1u | 4u;
	gp->trace = o->trace != NULL ? xstrdup(o->trace) : NULL;
	gp->background = o->background;
	buf_init(&gp->err, 0);
	make_nonce(gp);
	if (gp_spawn(gp, d) < 0) {
		report_gp_close(gp);
		return NULL;
	}
	return gp;
}

void
report_gp_close(struct report_gp *gp)
{
	struct diag scratch = DIAG_INIT;

	if (gp == NULL)
		return;
	report_gp_wait(gp, &scratch);
	if (gp->p.pid > 0) {
		proc_close_stdin(&gp->p);
		if (proc_io(&gp->p, NULL, 0, NULL, NULL, NULL,
		    CLOSE_TIMEOUT_MS, &scratch) != 0)
			proc_kill(&gp->p, SIGKILL);
		proc_finish(&gp->p, &scratch);
	}
	proc_release(&gp->p);
	diag_release(&scratch);
	buf_release(&gp->err);
	free(gp->prog);
	free(gp->trace);
	free(gp);
}

/*
 * The output formats.  The chart is laid out in pixels at 96 px/inch;
 * scale turns that into the terminal's own units, and the font, line and
 * point scales keep text in true points and lines in proportion (see
 * gnuplot.md 2.1: pango renders at 96 dpi, the SVG terminal writes font
 * sizes in pixels, pdfcairo's default fontscale is 0.5).
 */
static const struct gp_format {
	const char	*suffix;	/* appended to the base name */
	const char	*ext;
	const char	*file_suffix;	/* both */
	const char	*term;		/* printf format: width, height */
	double		 scale;		/* terminal units per layout pixel */
	int		 integer;	/* size in whole units */
	unsigned	 dpi;		/* PNG: written into a pHYs chunk */
	const char	*bold;
} formats[] = {
	{ "", "png", ".png", "set terminal pngcairo size %.0f,%.0f noenhanced "
	    "font \"DejaVu Sans,10\" fontscale 1 linewidth 1 pointscale 1 "
	    "background rgb \"white\"",
	    1.0, 1, 96, "DejaVu Sans:Bold" },
	{ "-300dpi", "png", "-300dpi.png", "set terminal pngcairo size %.0f,%.0f "
	    "noenhanced font \"DejaVu Sans,10\" fontscale 3.125 "
	    "linewidth 3.125 pointscale 3.125 background rgb \"white\"",
	    300.0 / 96.0, 1, 300, "DejaVu Sans:Bold" },
	{ "", "svg", ".svg", "set terminal svg size %.0f,%.0f fixed noenhanced "
	    "font \"DejaVu Sans,10\" fontscale 1.33333 "
	    "linewidth 1 background rgb \"white\"", 1.0, 1, 0,
	    "DejaVu Sans" },
	{ "", "pdf", ".pdf", "set terminal pdfcairo size %.4fcm,%.4fcm noenhanced "
	    "font \"DejaVu Sans,10\" fontscale 0.75 linewidth 1.5 "
	    "pointscale 1 background rgb \"white\"", 2.54 / 96.0, 0, 0,
	    "DejaVu Sans:Bold" },
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))
#define SVG_FORMAT (&formats[2])

size_t
report_gp_formats(const struct report_gp *gp, const char **ext, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < NFORMATS && n < max; i++)
		if (gp->formats & (1u << i))
			ext[n++] = formats[i].file_suffix;
	return n;
}

/* Writes all of b to fd; 0, or -1 with errno set. */
static int
write_all(int fd, const struct buf *b)
{
	size_t done = 0;
	ssize_t w;

	while (done < b->len) {
		w = write(fd, b->data + done, b->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/* Appends a script to the trace file, as gnuplot would run it alone. */
static void
trace_script(const struct report_gp *gp, const struct buf *script)
{
	FILE *f;

	if (gp->trace == NULL || (f = fopen(gp->trace, "a")) == NULL)
		return;
	fwrite(script->data, 1, script->len, f);
	fputs("\nunset multiplot\nunset output\nreset errors\n", f);
	fclose(f);
}

static mode_t
file_mode(void)
{
	mode_t m = umask(022);

	umask(m);
	return 0666 & ~m;
}

/*
 * Writes one format's script (see the comment on struct gp_pending) and
 * sends gnuplot the command to load it.  Returns 0, or -1 with d recorded
 * (the entry then holds nothing to clean up).
 */
static int
send_one(struct report_gp *gp, const struct report_chart *c,
    const struct gp_format *f, const char *dir, const char *base,
    struct gp_pending *pe, struct diag *d)
{
	struct buf script = BUF_INIT, cmd = BUF_INIT;
	const char *pre;
	char *line[1];
	double w, h;
	int fd, rc = -1;

	/* A relative name must not start with '|' or '<' for gnuplot. */
	pre = dir[0] == '/' ? "" : "./";
	buf_addf(&pe->final, "%s%s/%s%s.%s", pre, dir, base, f->suffix,
	    f->ext);
	buf_addf(&pe->tmp, "%s%s/.%s%s.%s.XXXXXX", pre, dir, base, f->suffix,
	    f->ext);
	buf_addf(&pe->script, "%s.gp", pe->tmp.data);
	buf_addf(&pe->what, "drawing '%s'", pe->final.data);
	pe->f = f;
	for (const char *s = pe->tmp.data; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F) {
			diag_env(d, "output path '%s/%s' has a control "
			    "character", dir, base);
			goto out;
		}
	if ((fd = mkstemp(pe->tmp.data)) < 0) {
		diag_errno(d, "cannot create '%s'", pe->tmp.data);
		goto out;
	}
	fchmod(fd, file_mode());
	close(fd);
	pe->made = 1;

	line[0] = pe->tmp.data;
	if (f == SVG_FORMAT) {
		/*
		 * The SVG terminal keeps the last colour it wrote across plots
		 * and even `reset session`, so a chart's bytes would depend on
		 * the chart drawn before it.  A fixed throw-away plot first
		 * puts that state in the same place every time.
		 */
		buf_adds(&script, "reset session\n");
		buf_addf(&script, f->term, 100.0, 100.0);
		buf_adds(&script, "\nset output '/dev/null'\n"
		    "plot [0:1][0:1] 0.5 notitle\nunset output\n");
	}
	buf_adds(&script, "reset session\nset encoding utf8\n");
	report_datablock(&script, "WHC_OUT", line, 1, 0);
	report_datablock(&script, "LBL", c->labels, c->nlabels,
	    f == SVG_FORMAT);
	w = c->width * f->scale;
	h = c->height * f->scale;
	if (f->integer) {
		w = (double)(long)(w + 0.5);
		h = (double)(long)(h + 0.5);
	}
	buf_addf(&script, f->term, w, h);
	buf_addf(&script, "\nset termoption noenhanced\n"
	    "BOLD = \"%s\"\nset output $WHC_OUT[1]\n", f->bold);
	buf_add(&script, c->body.data, c->body.len);
	trace_script(gp, &script);

	if ((fd = open(pe->script.data, O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, 0600)) < 0) {
		diag_errno(d, "cannot create '%s'", pe->script.data);
		goto out;
	}
	pe->made = 2;
	if (write_all(fd, &script) < 0 || close(fd) != 0) {
		diag_errno(d, "cannot write '%s'", pe->script.data);
		goto out;
	}
	line[0] = pe->script.data;
	report_datablock(&cmd, "WHC_SCRIPT", line, 1, 0);
	buf_adds(&cmd, "load $WHC_SCRIPT[1]");
	if (!gp->alive && gp_spawn(gp, d) < 0)
		goto out;
	if ((pe->seq = gp_send(gp, cmd.data, pe->what.data, d)) == 0)
		goto out;
	rc = 0;
out:
	buf_release(&script);
	buf_release(&cmd);
	return rc;
}

/*
 * Waits for one format's answer and checks it.  Returns 0 when the
 * temporary file holds the finished picture, or -1 with d recorded.
 */
static int
await_one(struct report_gp *gp, struct gp_pending *pe, struct diag *d)
{
	struct gp_result res = { 0, BUF_INIT };
	struct buf msg = BUF_INIT;
	struct stat st;
	int rc = -1;

	if (gp_await(gp, pe->seq, pe->what.data, &res, d) < 0)
		goto out;
	if (res.errno_gp != 0) {
		gp_message(&msg, res.text.data, res.text.len);
		diag_env(d, "gnuplot failed %s: %s", pe->what.data,
		    msg.len ? msg.data : "no message");
		goto out;
	}
	if (stat(pe->tmp.data, &st) != 0 || st.st_size == 0) {
		diag_env(d, "gnuplot wrote nothing %s", pe->what.data);
		goto out;
	}
	if (pe->f->dpi != 0 && report_png_set_dpi(pe->tmp.data, pe->f->dpi,
	    d) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&res.text);
	buf_release(&msg);
	return rc;
}

/* Removes an entry's files (unless kept) and empties it. */
static void
pending_clear(struct gp_pending *pe, int keep_picture)
{
	if (pe->made >= 2)
		unlink(pe->script.data);
	if (pe->made >= 1 && !keep_picture)
		unlink(pe->tmp.data);
	buf_release(&pe->final);
	buf_release(&pe->tmp);
	buf_release(&pe->script);
	buf_release(&pe->what);
	memset(pe, 0, sizeof(*pe));
}

int
report_gp_wait(struct report_gp *gp, struct diag *d)
{
	struct diag scratch = DIAG_INIT;
	size_t n = gp->npending;
	int rc = 0;

	/*
	 * Every format is waited for, even after one failed, so that gnuplot
	 * is done with a file before it is removed; only the first failure
	 * is reported.  A gnuplot that was stopped answers nothing more.
	 */
	for (size_t i = 0; i < n; i++) {
		if (gp->pending[i].seq == 0 || (rc < 0 && !gp->alive)) {
			rc = -1;
			continue;
		}
		if (await_one(gp, &gp->pending[i], rc < 0 ? &scratch : d) < 0)
			rc = -1;
	}
	diag_release(&scratch);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (rename(gp->pending[i].tmp.data,
		    gp->pending[i].final.data) != 0) {
			rc = diag_errno(d, "cannot rename '%s' to '%s'",
			    gp->pending[i].tmp.data,
			    gp->pending[i].final.data);
			/* Those renamed already stay: they are complete. */
			for (size_t j = 0; j < i; j++)
				gp->pending[j].made = 0;
		}
	for (size_t i = 0; i < n; i++)
		pending_clear(&gp->pending[i], rc == 0);
	gp->npending = 0;
	return rc;
}

int
report_gp_send(struct report_gp *gp, const struct report_chart *c,
    const char *dir, const char *base, struct diag *d)
{
	/* A chart still in flight: its failure lands in d. */
	report_gp_wait(gp, d);
	if (base == NULL || base[0] == '\0' || strchr(base, '/') != NULL)
		return diag_env(d, "chart name '%s' is not a plain file name",
		    base != NULL ? base : "");
	if (dir == NULL || dir[0] == '\0')
		dir = ".";
	for (size_t i = 0; i < NFORMATS; i++) {
		if (!(gp->formats & (1u << i)))
			continue;
		if (send_one(gp, c, &formats[i], dir, base,
		    &gp->pending[gp->npending++], d) < 0) {
			struct diag scratch = DIAG_INIT;

			/*
			 * Nothing of this chart will be kept; the formats
			 * sent are waited for before their files go.
			 */
			report_gp_wait(gp, &scratch);
			diag_release(&scratch);
			return -1;
		}
	}
	return 0;
}

int
report_gp_render(struct report_gp *gp, const struct report_chart *c,
    const char *dir, const char *base, struct diag *d)
{
	if (report_gp_send(gp, c, dir, base, d) < 0)
		return -1;
	return gp->background ? 0 : report_gp_wait(gp, d);
}
