/* SPDX-License-Identifier: MIT */
/* Reading the git-config-like whc config file (see config.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/diag.h"
#include "common/vec.h"
#include "common/xalloc.h"

struct entry {
	char		*name;		/* section[.sub].key, section lowercased */
	char		*value;
	unsigned long	 line;
};

struct config {
	char		*path;
	struct entry	*v;
	size_t		 nr, alloc;
};

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* A key: letters, digits, '_' and '-', and '.' between them
 * ("k.intend_to_leave", a per-item setting). */
static int
valid_key(const char *s)
{
	if (*s == '\0' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    (*s != '.' || s[1] == '.' || s[1] == '\0'))
			return 0;
	return 1;
}

/* Parses "[section]" or "[section "sub"]" into *sect; 0 or -1. */
static int
parse_section(char *s, struct buf *sect)
{
	char *end = strrchr(s, ']'), *q;

	if (end == NULL || *trim(end + 1) != '\0')
		return -1;
	*end = '\0';
	s = trim(s + 1);
	buf_reset(sect);
	if ((q = strchr(s, '"')) != NULL) {
		char *qe = strrchr(s, '"');

		if (qe == q || qe[1] != '\0')
			return -1;
		*qe = '\0';
		*q = '\0';
		if (!valid_key(trim(s)))
			return -1;
		for (char *p = trim(s); *p; p++)
			buf_addc(sect, tolower((unsigned char)*p));
		buf_addf(sect, ".%s", q + 1);
		return 0;
	}
	if (!valid_key(s))
		return -1;
	for (; *s; s++)
		buf_addc(sect, tolower((unsigned char)*s));
	return 0;
}

static void
add(struct config *c, const char *sect, const char *key, const char *val,
    unsigned long line)
{
	struct buf name = BUF_INIT;

	buf_addf(&name, "%s.", sect);
	for (; *key; key++)
		buf_addc(&name, tolower((unsigned char)*key));
	VEC_GROW(c->v, c->nr + 1, c->alloc);
	c->v[c->nr].name = buf_detach(&name, NULL);
	c->v[c->nr].value = xstrdup(val);
	c->v[c->nr].line = line;
	c->nr++;
}

static struct config *
load(const char *path, int must_exist, int keep_bad, struct diag *d)
{
	struct config *c = xcalloc(1, sizeof(*c));
	struct buf sect = BUF_INIT;
	char *line = NULL, *s, *eq, *val;
	size_t cap = 0;
	unsigned long lineno = 0;
	ssize_t n;
	int bad = 0;
	FILE *fp;

	if (path == NULL)
		return c;
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !must_exist)
			return c;
		diag_errno(d, "cannot open config '%s'", path);
		free(c);
		return NULL;
	}
	c->path = xstrdup(path);
	while ((n = getline(&line, &cap, fp)) >= 0) {
		struct loc loc = { path, ++lineno, 0, NULL };

		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (parse_section(s, &sect) < 0) {
				diag_at(d, DIAG_CONF_SYNTAX, &loc,
				    "bad section header");
				bad = 1;
			}
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			diag_at(d, DIAG_CONF_SYNTAX, &loc,
			    "expected 'key = value'");
			bad = 1;
			continue;
		}
		*eq = '\0';
		val = trim(eq + 1);
		if (!valid_key(trim(s)) || sect.len == 0) {
			diag_at(d, DIAG_CONF_SYNTAX, &loc, sect.len == 0 ?
			    "key outside a [section]" : "bad key name");
			bad = 1;
			continue;
		}
		n = (ssize_t)strlen(val);
		if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
			val[n - 1] = '\0';
			val++;
		}
		add(c, sect.data, trim(s), val, lineno);
	}
	if (ferror(fp)) {
		diag_errno(d, "cannot read config '%s'", path);
		bad = 1;
	}
	fclose(fp);
	free(line);
	buf_release(&sect);
	if (bad && !keep_bad) {
		config_free(c);
		return NULL;
	}
	return c;
}

struct config *
config_load(const char *path, int must_exist, struct diag *d)
{
	return load(path, must_exist, 0, d);
}

struct config *
config_load_all(const char *path, struct diag *d)
{
	return load(path, 1, 1, d);
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nr; i++) {
		free(c->v[i].name);
		free(c->v[i].value);
	}
	free(c->v);
	free(c->path);
	free(c);
}

const char *
config_path(const struct config *c)
{
	return c->path;
}

static const struct entry *
find(const struct config *c, const char *name)
{
	/* The last setting wins, as in git. */
	for (size_t i = c->nr; i-- > 0;)
		if (strcmp(c->v[i].name, name) == 0)
			return &c->v[i];
	return NULL;
}

const char *
config_get(const struct config *c, const char *name)
{
	const struct entry *e = find(c, name);

	return e ? e->value : NULL;
}

unsigned long
config_line(const struct config *c, const char *name)
{
	const struct entry *e = find(c, name);

	return e ? e->line : 0;
}

int
config_get_int(const struct config *c, const char *name, long min,
    long max, long *out, struct diag *d)
{
	const struct entry *e = find(c, name);
	char *end;
	long v;

	if (e == NULL)
		return 0;
	errno = 0;
	v = strtol(e->value, &end, 10);
	if (errno || end == e->value || *end != '\0' || v < min || v > max) {
		struct loc loc = { c->path, e->line, 0, NULL };

		return diag_at(d, DIAG_CONF_VALUE, &loc,
		    "%s must be a whole number from %ld to %ld, not '%s'",
		    name, min, max, e->value);
	}
	*out = v;
	return 0;
}

void
config_each(const struct config *c,
    void (*fn)(const char *name, const char *value, unsigned long line,
    void *arg), void *arg)
{
	for (size_t i = 0; i < c->nr; i++)
		fn(c->v[i].name, c->v[i].value, c->v[i].line, arg);
}

void
config_each_sub(const struct config *c, const char *section,
    void (*fn)(const char *sub, void *arg), void *arg)
{
	size_t slen = strlen(section);

	for (size_t i = 0; i < c->nr; i++) {
		const char *n = c->v[i].name, *dot;
		int seen = 0;

		if (strncmp(n, section, slen) != 0 || n[slen] != '.')
			continue;
		n += slen + 1;
		if ((dot = strrchr(n, '.')) == NULL)
			continue;
		for (size_t j = 0; j < i && !seen; j++) {
			const char *m = c->v[j].name + slen + 1;

			seen = strncmp(c->v[j].name, section, slen) == 0 &&
			    c->v[j].name[slen] == '.' &&
			    strncmp(m, n, (size_t)(dot - n) + 1) == 0 &&
			    strchr(m + (dot - n) + 1, '.') == NULL;
		}
		if (!seen) {
			char *sub = xstrndup(n, (size_t)(dot - n));

			fn(sub, arg);
			free(sub);
		}
	}
}
