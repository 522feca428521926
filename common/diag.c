/* SPDX-License-Identifier: MIT */
/* Recording failures and catalogued data diagnostics (see diag.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag_list.h"
#include "common/diag.h"
#include "common/vec.h"
#include "common/xalloc.h"

#define DIAG_ROW_(code, sev, msg) { #code, DIAG_SEV_##sev, msg },
static const struct {
	const char	*name;
	enum diag_sev	 sev;
	const char	*msg;
} catalogue[] = {
	{ "NONE", DIAG_SEV_ERROR, "" },
	DIAG_LIST(DIAG_ROW_)
};
#undef DIAG_ROW_

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
diag_release(struct diag *d)
{
	for (size_t i = 0; i < d->nr; i++)
		free(d->v[i].text);
	free(d->v);
	d->v = NULL;
	d->nr = d->alloc = 0;
}

enum diag_sev
diag_code_sev(enum diag_code code)
{
	return catalogue[code].sev;
}

const char *
diag_code_name(enum diag_code code)
{
	return catalogue[code].name;
}

const char *
diag_code_msg(enum diag_code code)
{
	return catalogue[code].msg;
}

const char *
diag_sev_name(enum diag_sev sev)
{
	switch (sev) {
	case DIAG_SEV_NOTE:
		return "note";
	case DIAG_SEV_WARNING:
		return "warning";
	case DIAG_SEV_ERROR:
		return "error";
	}
	return "?";
}

unsigned long
diag_errors(const struct diag *d)
{
	return d->count[DIAG_SEV_ERROR];
}

static void
record(struct diag *d, enum diag_code code, enum diag_sev sev,
    enum diag_class cls, char *text)
{
	unsigned long limit = d->limit ? d->limit : 20;
	struct diag_entry e;

	d->count[sev]++;
	if (sev == DIAG_SEV_ERROR && (int)cls > d->worst_class)
		d->worst_class = (int)cls;
	if (code != DIAG_NONE && ++d->per_code[code] > limit) {
		d->dropped++;
		free(text);
		return;
	}
	e.code = code;
	e.sev = sev;
	e.cls = cls;
	e.text = text;
	if (d->emit != NULL)
		d->emit(&e, d->arg);
	VEC_GROW(d->v, d->nr + 1, d->alloc);
	d->v[d->nr++] = e;
}

static int
failure(struct diag *d, enum diag_class cls, const char *suffix,
    const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	buf_vaddf(&b, fmt, ap);
	if (suffix != NULL)
		buf_addf(&b, ": %s", suffix);
	record(d, DIAG_NONE, DIAG_SEV_ERROR, cls, buf_detach(&b, NULL));
	return -1;
}

int
diag_err(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	failure(d, DIAG_CLASS_DATA, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int
diag_env(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	failure(d, DIAG_CLASS_ENV, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int
diag_errno(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	failure(d, DIAG_CLASS_ENV, strerror(e), fmt, ap);
	va_end(ap);
	return -1;
}

char *
diag_loc_str(const struct loc *loc)
{
	struct buf b = BUF_INIT;

	if (loc == NULL)
		return buf_detach(&b, NULL);
	if (loc->file != NULL) {
		buf_adds(&b, loc->file);
		if (loc->line) {
			buf_addf(&b, ":%lu", loc->line);
			if (loc->col)
				buf_addf(&b, ":%lu", loc->col);
		}
		buf_adds(&b, ": ");
	}
	if (loc->path != NULL && loc->path[0] != '\0' && !loc->line)
		buf_addf(&b, "%s: ", loc->path);
	return buf_detach(&b, NULL);
}

int
diag_at(struct diag *d, enum diag_code code, const struct loc *loc,
    const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	enum diag_sev sev = catalogue[code].sev;
	char *where = diag_loc_str(loc);
	va_list ap;

	buf_addf(&b, "%s%s: %s", where, diag_sev_name(sev),
	    catalogue[code].msg);
	free(where);
	/* With a line known, the JSON path goes into the message. */
	if (loc != NULL && loc->line && loc->path != NULL &&
	    loc->path[0] != '\0')
		buf_addf(&b, ": %s", loc->path);
	if (fmt != NULL) {
		buf_adds(&b, ": ");
		va_start(ap, fmt);
		buf_vaddf(&b, fmt, ap);
		va_end(ap);
	}
	record(d, code, sev, DIAG_CLASS_DATA, buf_detach(&b, NULL));
	return sev == DIAG_SEV_ERROR ? -1 : 0;
}
