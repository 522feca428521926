/* SPDX-License-Identifier: MIT */
/*
 * Streaming CSV reader (RFC 4180 plus Excel's habits).  Reads the file in
 * 64 KiB chunks, runs a small state machine over the bytes and keeps only
 * the current record.  Also hashes every byte it reads, so an importer gets
 * the file's SHA-256 without a second pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/csv.h"
#include "common/diag.h"
#include "common/sha256.h"
#include "common/vec.h"
#include "common/xalloc.h"

#define CHUNK (64 * 1024)

enum state {
	S_START,	/* at the start of a field */
	S_PLAIN,	/* inside an unquoted field */
	S_QUOTED,	/* inside a quoted field */
	S_QUOTE,	/* saw '"' inside a quoted field: end or escape */
	S_AFTER,	/* after a closing quote, expecting sep or newline */
};

struct csv {
	char		*path;
	int		 fd;
	int		 sep;
	unsigned char	*in;		/* read buffer */
	size_t		 in_len, in_pos;
	int		 eof;
	int		 no_hash;
	int		 bom_checked;
	int		 skip_lf;	/* the last byte was a CR ending a record */
	int		 prev_cr;	/* the last byte was a CR */
	unsigned long	 line, col;	/* position of the next byte */
	unsigned long long bytes;
	struct sha256	 hash;
	struct buf	 rec;		/* field bytes, each NUL-terminated */
	size_t		*off;		/* field start offsets into rec */
	size_t		*lens;
	char		**fields;
	size_t		 nf, alloc;
	struct diag	*d;
};

static int
fill(struct csv *c)
{
	ssize_t n;

	if (c->eof)
		return 0;
	c->in_pos = 0;
	c->in_len = 0;
	do {
		n = read(c->fd, c->in, CHUNK);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return diag_errno(c->d, "cannot read '%s'", c->path);
	if (n == 0) {
		c->eof = 1;
		return 0;
	}
	c->in_len = (size_t)n;
	c->bytes += (unsigned long long)n;
	if (!c->no_hash)
		sha256_update(&c->hash, c->in, (size_t)n);
	return 1;
}

int
csv_detect_sep(const char *text, size_t n)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t comma = 0, semi = 0, tab = 0, i;
	int q = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			q = !q;
		else if (!q && (p[i] == '\n' || p[i] == '\r'))
			break;
		else if (!q && p[i] == ',')
			comma++;
		else if (!q && p[i] == ';')
			semi++;
		else if (!q && p[i] == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

struct csv *
csv_open(const char *path, int sep, struct diag *d)
{
	struct csv *c = xcalloc(1, sizeof(*c));
	int fd;

	if (strcmp(path, "-") == 0)
		fd = 0;
	else if ((fd = open(path, O_RDONLY)) < 0) {
		diag_errno(d, "cannot open '%s'", path);
		free(c);
		return NULL;
	}
	c->path = xstrdup(path);
	c->fd = fd;
	c->in = xmalloc(CHUNK);
	c->line = 1;
	c->col = 1;
	c->d = d;
	buf_init(&c->rec, 0);
	sha256_init(&c->hash);
	if (fill(c) < 0) {
		csv_close(c);
		return NULL;
	}
	if (c->in_len >= 3 && memcmp(c->in, "\xEF\xBB\xBF", 3) == 0)
		c->in_pos = 3;
	c->sep = sep ? sep : csv_detect_sep((const char *)c->in + c->in_pos,
	    c->in_len - c->in_pos);
	return c;
}

void
csv_no_hash(struct csv *c)
{
	c->no_hash = 1;
}

int
csv_sep(const struct csv *c)
{
	return c->sep;
}

unsigned long long
csv_bytes(const struct csv *c)
{
	return c->bytes;
}

void
csv_sha256(struct csv *c, char hex[65])
{
	struct sha256 copy = c->hash;

	sha256_hex(&copy, hex);
}

void
csv_close(struct csv *c)
{
	if (c == NULL)
		return;
	if (c->fd > 0)
		close(c->fd);
	buf_release(&c->rec);
	free(c->off);
	free(c->lens);
	free(c->fields);
	free(c->in);
	free(c->path);
	free(c);
}

static void
end_field(struct csv *c)
{
	size_t start, cap = c->alloc;

	if (c->nf + 1 > cap) {
		VEC_GROW(c->off, c->nf + 1, c->alloc);
		c->lens = xreallocarray(c->lens, c->alloc, sizeof(*c->lens));
		c->fields = xreallocarray(c->fields, c->alloc,
		    sizeof(*c->fields));
	}
	start = c->nf ? c->off[c->nf - 1] + c->lens[c->nf - 1] + 1 : 0;
	c->off[c->nf] = start;
	c->lens[c->nf] = c->rec.len - start;
	buf_addc(&c->rec, '\0');
	c->nf++;
}

/*
 * Appends the run of bytes at the read position that cannot change the
 * state (no separator, quote or line end) in one go: the common case.
 */
static void
run(struct csv *c, int quoted)
{
	const unsigned char *p = c->in + c->in_pos, *e = c->in + c->in_len;
	const unsigned char *q = p;
	unsigned char sep = (unsigned char)c->sep;

	if (quoted)
		while (q < e && *q != '"' && *q != '\n' && *q != '\r')
			q++;
	else
		while (q < e && *q != sep && *q != '\n' && *q != '\r')
			q++;
	if (q == p)
		return;
	buf_add(&c->rec, p, (size_t)(q - p));
	c->col += (unsigned long)(q - p);
	c->in_pos += (size_t)(q - p);
	c->prev_cr = 0;
}

static void
syntax(struct csv *c, struct csv_rec *r, unsigned long line,
    unsigned long col, const char *why)
{
	struct loc loc = { c->path, line, col, NULL };

	if (!r->bad)
		diag_at(c->d, DIAG_CSV_SYNTAX, &loc, "%s", why);
	r->bad = 1;
}

int
csv_next(struct csv *c, struct csv_rec *r)
{
	enum state st = S_START;
	unsigned long qline = 0, qcol = 0;	/* where a quote opened */
	int any = 0;				/* bytes seen in this record */
	unsigned char ch;
	int rc;

	buf_reset(&c->rec);
	c->nf = 0;
	r->bad = 0;
	r->line = c->line;
	for (;;) {
		if (c->in_pos == c->in_len) {
			if ((rc = fill(c)) < 0)
				return -1;
			if (rc == 0)
				break;
		}
		ch = c->in[c->in_pos++];
		if (c->skip_lf) {
			c->skip_lf = 0;
			if (ch == '\n') {
				c->prev_cr = 0;
				continue;
			}
		}
		if (!any) {
			r->line = c->line;
			any = 1;
		}
		if (ch == '\n') {
			if (!c->prev_cr)
				c->line++;
			c->col = 1;
		} else if (ch == '\r') {
			c->line++;
			c->col = 1;
		} else {
			c->col++;
		}
		c->prev_cr = ch == '\r';
		switch (st) {
		case S_QUOTED:
			if (ch == '"') {
				st = S_QUOTE;
			} else {
				buf_addc(&c->rec, ch);
				run(c, 1);
			}
			continue;
		case S_QUOTE:
			if (ch == '"') {
				buf_addc(&c->rec, '"');
				st = S_QUOTED;
				continue;
			}
			st = S_AFTER;
			break;
		default:
			break;
		}
		/* Outside quotes. */
		if (ch == '\r' || ch == '\n') {
			c->skip_lf = ch == '\r';
			end_field(c);
			goto done;
		}
		if (ch == (unsigned char)c->sep) {
			end_field(c);
			st = S_START;
			continue;
		}
		switch (st) {
		case S_START:
			if (ch == '"') {
				st = S_QUOTED;
				qline = c->line;
				qcol = c->col - 1;
			} else {
				buf_addc(&c->rec, ch);
				st = S_PLAIN;
				run(c, 0);
			}
			break;
		case S_PLAIN:
			buf_addc(&c->rec, ch);	/* a stray '"' is kept */
			run(c, 0);
			break;
		case S_AFTER:
			syntax(c, r, c->line, c->col - 1,
			    "text after a closing quote");
			buf_addc(&c->rec, ch);
			break;
		default:
			BUG("csv state %d", (int)st);
		}
	}
	/* End of input. */
	if (!any)
		return 0;
	if (st == S_QUOTED)
		syntax(c, r, qline, qcol, "quoted field is never closed");
	end_field(c);
done:
	for (size_t i = 0; i < c->nf; i++)
		c->fields[i] = c->rec.data + c->off[i];
	r->nf = c->nf;
	r->f = c->fields;
	r->len = c->lens;
	return 1;
}
