/* SPDX-License-Identifier: MIT */
/*
 * The gnuplot session: starting one gnuplot, sending it a chart, reading
 * stderr up to the end-of-chart marker, turning gnuplot's complaints into
 * a diag, and the temporary-file-then-rename dance for each output file.
 * The only file of whc that knows gnuplot's command language.
 */
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
	const char *end = s + n, *nl, *l;
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
 * Sends script plus the trailer and waits for the marker.  Returns 0 with
 * res filled in, or -1 with the failure in d; after a failure the process
 * is gone (killed and reaped) and the next exchange starts a new one.
 */
static int
gp_exchange(struct report_gp *gp, const char *script, const char *what,
    struct gp_result *res, struct diag *d)
{
	struct buf in = BUF_INIT, until = BUF_INIT, msg = BUF_INIT;
	const char *hit, *nl;
	size_t rest;
	int rc, st;

	gp->seq++;
	buf_addf(&until, "WHC-%s-%lu ", gp->nonce, gp->seq);
	/*
	 * The marker is split in the script ("WHC-n" . "-7"), so that
	 * gnuplot echoing a failing line can never produce it.
	 */
	buf_addf(&in, "%s\nunset multiplot\nunset output\n"
	    "printerr \"WHC-%s\" . \"-%lu\", GPVAL_ERRNO\nreset errors\n",
	    script, gp->nonce, gp->seq);
	rc = proc_io(&gp->p, in.data, in.len, NULL, &gp->err, until.data,
	    gp->timeout_ms, d);
	buf_release(&in);
	if (rc == 0) {
		hit = strstr(gp->err.data, until.data);
		nl = strchr(hit, '\n');
		res->errno_gp = strtol(hit + until.len, NULL, 10);
		buf_add(&res->text, gp->err.data,
		    (size_t)(hit - gp->err.data));
		/* Keep what came after the marker line for the next chart. */
		rest = gp->err.len - (size_t)(nl + 1 - gp->err.data);
		memmove(gp->err.data, nl + 1, rest);
		buf_truncate(&gp->err, rest);
		buf_release(&until);
		return 0;
	}
	buf_release(&until);
	gp_message(&msg, gp->err.data, gp->err.len);
	if (rc == PROC_TIMEOUT) {
		gp_kill(gp);
		diag_env(d, "gnuplot '%s' did not finish %s within %u ms and "
		    "was stopped%s%s", gp->prog, what, gp->timeout_ms,
		    msg.len ? ": " : "", msg.data);
	} else if (rc == PROC_EOF) {
		struct buf how = BUF_INIT;

		proc_close_stdin(&gp->p);
		st = proc_finish(&gp->p, d);
		if (st >= 0)
			proc_status_str(&how, st);
		else
			buf_adds(&how, "status unknown");
		diag_env(d, "gnuplot '%s' exited (%s) %s%s%s", gp->prog,
		    how.data, what, msg.len ? ": " : "", msg.data);
		buf_release(&how);
		gp_kill(gp);
	} else {
		gp_kill(gp);
	}
	buf_release(&msg);
	return -1;
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
	    "font \"DejaVu Sans,10\" background rgb \"white\"",
	    1.0, 1, 96, "DejaVu Sans:Bold" },
	{ "-300dpi", "png", "-300dpi.png", "set terminal pngcairo size %.0f,%.0f "
	    "noenhanced font \"DejaVu Sans,10\" fontscale 3.125 "
	    "linewidth 3.125 pointscale 3.125 background rgb \"white\"",
	    300.0 / 96.0, 1, 300, "DejaVu Sans:Bold" },
	{ "", "svg", ".svg", "set terminal svg size %.0f,%.0f fixed noenhanced "
	    "font \"DejaVu Sans,10\" fontscale 1.33333 "
	    "background rgb \"white\"", 1.0, 1, 0, "DejaVu Sans" },
	{ "", "pdf", ".pdf", "set terminal pdfcairo size %.4fcm,%.4fcm noenhanced "
	    "font \"DejaVu Sans,10\" fontscale 0.75 linewidth 1.5 "
	    "background rgb \"white\"", 2.54 / 96.0, 0, 0,
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

/* The CRC-32 of PNG chunks (ISO 3309), bit by bit: chunks are tiny. */
static unsigned long
crc32_png(const unsigned char *p, size_t n)
{
	unsigned long c = 0xFFFFFFFFUL;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320UL ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xFFFFFFFFUL;
}

static void
put32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/*
 * Inserts a pHYs chunk (dpi in pixels per metre) after the IHDR chunk of
 * the PNG file at path, so that word processors size the picture right.
 * cairo writes none.  Returns 0 or -1 with d recorded.
 */
static int
png_set_dpi(const char *path, unsigned dpi, struct diag *d)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r',
		'\n', 0x1A, '\n' };
	unsigned char chunk[21];
	unsigned long ppm = (unsigned long)(dpi / 0.0254 + 0.5);
	struct buf b = BUF_INIT, out = BUF_INIT;
	FILE *f;
	int rc = -1;

	if ((f = fopen(path, "rb")) == NULL)
		return diag_errno(d, "cannot read '%s'", path);
	for (;;) {
		char tmp[8192];
		size_t got = fread(tmp, 1, sizeof(tmp), f);

		buf_add(&b, tmp, got);
		if (got < sizeof(tmp))
			break;
	}
	fclose(f);
	/* Signature, then IHDR: length 13, type, data, CRC = 33 bytes. */
	if (b.len < 33 || memcmp(b.data, sig, 8) != 0 ||
	    memcmp(b.data + 12, "IHDR", 4) != 0) {
		diag_env(d, "gnuplot wrote '%s', which is not a PNG", path);
		goto out;
	}
	put32(chunk, 9);
	memcpy(chunk + 4, "pHYs", 4);
	put32(chunk + 8, ppm);
	put32(chunk + 12, ppm);
	chunk[16] = 1;			/* unit: the metre */
	put32(chunk + 17, crc32_png(chunk + 4, 13));
	buf_add(&out, b.data, 33);
	buf_add(&out, (const char *)chunk, sizeof(chunk));
	buf_add(&out, b.data + 33, b.len - 33);
	if ((f = fopen(path, "wb")) == NULL) {
		diag_errno(d, "cannot write '%s'", path);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, f) != out.len) {
		diag_errno(d, "cannot write '%s'", path);
		fclose(f);
		goto out;
	}
	if (fclose(f) != 0) {
		diag_errno(d, "cannot write '%s'", path);
		goto out;
	}
	rc = 0;
out:
	buf_release(&b);
	buf_release(&out);
	return rc;
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

/* Draws one format.  Returns 0 or -1 with d recorded. */
static int
render_one(struct report_gp *gp, const struct report_chart *c,
    const struct gp_format *f, const char *dir, const char *base,
    struct diag *d)
{
	struct gp_result res = { 0, BUF_INIT };
	struct buf final = BUF_INIT, tmp = BUF_INIT, script = BUF_INIT;
	struct buf what = BUF_INIT, msg = BUF_INIT;
	const char *pre;
	char *outline[1];
	struct stat st;
	double w, h;
	int fd, rc = -1;

	if (dir == NULL || dir[0] == '\0')
		dir = ".";
	/* A relative name must not start with '|' or '<' for gnuplot. */
	pre = dir[0] == '/' ? "" : "./";
	buf_addf(&final, "%s%s/%s%s.%s", pre, dir, base, f->suffix, f->ext);
	buf_addf(&tmp, "%s%s/.%s%s.%s.XXXXXX", pre, dir, base, f->suffix,
	    f->ext);
	for (const char *s = tmp.data; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F) {
			diag_env(d, "output path '%s/%s' has a control "
			    "character", dir, base);
			goto out;
		}
	if ((fd = mkstemp(tmp.data)) < 0) {
		diag_errno(d, "cannot create '%s'", tmp.data);
		goto out;
	}
	fchmod(fd, file_mode());
	close(fd);

	outline[0] = tmp.data;
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
	report_datablock(&script, "WHC_OUT", outline, 1, 0);
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

	buf_addf(&what, "drawing '%s'", final.data);
	trace_script(gp, &script);
	if (!gp->alive && gp_spawn(gp, d) < 0)
		goto out_unlink;
	if (gp_exchange(gp, script.data, what.data, &res, d) < 0)
		goto out_unlink;
	if (res.errno_gp != 0) {
		gp_message(&msg, res.text.data, res.text.len);
		diag_env(d, "gnuplot failed %s: %s", what.data,
		    msg.len ? msg.data : "no message");
		goto out_unlink;
	}
	if (stat(tmp.data, &st) != 0 || st.st_size == 0) {
		diag_env(d, "gnuplot wrote nothing %s", what.data);
		goto out_unlink;
	}
	if (f->dpi != 0 && png_set_dpi(tmp.data, f->dpi, d) < 0)
		goto out_unlink;
	if (rename(tmp.data, final.data) != 0) {
		diag_errno(d, "cannot rename '%s' to '%s'", tmp.data,
		    final.data);
		goto out_unlink;
	}
	rc = 0;
	goto out;

out_unlink:
	unlink(tmp.data);
out:
	buf_release(&res.text);
	buf_release(&final);
	buf_release(&tmp);
	buf_release(&script);
	buf_release(&what);
	buf_release(&msg);
	return rc;
}

int
report_gp_render(struct report_gp *gp, const struct report_chart *c,
    const char *dir, const char *base, struct diag *d)
{
	if (base == NULL || base[0] == '\0' || strchr(base, '/') != NULL)
		return diag_env(d, "chart name '%s' is not a plain file name",
		    base != NULL ? base : "");
	for (size_t i = 0; i < NFORMATS; i++)
		if ((gp->formats & (1u << i)) &&
		    render_one(gp, c, &formats[i], dir, base, d) < 0)
			return -1;
	return 0;
}
