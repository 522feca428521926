/* SPDX-License-Identifier: MIT */
/*
 * The JSON a definition is loaded from: read the file, apply what it
 * inherits (the merge rules are in FORMAT.md), read in its team map file,
 * and remember the file, line and column of every JSON value so that a
 * problem found later, in the merged document, is reported where it was
 * written.  cJSON keeps no positions, so a small scanner walks the text
 * beside the parsed tree; merging moves nodes between trees, never copies
 * them, so their positions stay valid.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/sha256.h"
#include "common/strmap.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn_int.h"

/* A position packed in an int64: file index, line, column. */
#define POS(f, l, c) (((int64_t)(f) << 48) | ((int64_t)(l) << 20) | (c))
#define POS_FILE(p) ((size_t)((p) >> 48))
#define POS_LINE(p) ((unsigned long)(((p) >> 20) & 0xFFFFFFF))
#define POS_COL(p) ((unsigned long)((p) & 0xFFFFF))

struct scan {
	const char	*p;
	unsigned long	 line, col;
	size_t		 file;
	struct strmap	*pos;
};

static void
adv(struct scan *s)
{
	unsigned char c = (unsigned char)*s->p++;

	if (c == '\n') {
		s->line++;
		s->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		s->col++;	/* columns count characters, not bytes */
	}
}

static void
ws(struct scan *s)
{
	while (*s->p != '\0' && (unsigned char)*s->p <= 32)
		adv(s);
}

static int
expect(struct scan *s, char c)
{
	ws(s);
	if (*s->p != c)
		return -1;
	adv(s);
	return 0;
}

static void
skip_string(struct scan *s)
{
	adv(s);				/* the opening quote */
	while (*s->p != '\0' && *s->p != '"') {
		if (*s->p == '\\' && s->p[1] != '\0')
			adv(s);
		adv(s);
	}
	if (*s->p == '"')
		adv(s);
}

/* Records the position of node's value, and of its children. */
static int
index_value(struct scan *s, const cJSON *node)
{
	const cJSON *c;
	int64_t at;

	ws(s);
	at = POS(s->file, s->line > 0xFFFFFFF ? 0xFFFFFFF : s->line,
	    s->col > 0xFFFFF ? 0xFFFFF : s->col);
	strmap_put(s->pos, (const char *)&node, sizeof(node), at);
	switch (*s->p) {
	case '{':
		adv(s);
		for (c = node->child; c != NULL; c = c->next) {
			ws(s);
			if (*s->p != '"')
				return -1;
			skip_string(s);
			if (expect(s, ':') < 0 || index_value(s, c) < 0)
				return -1;
			if (c->next != NULL && expect(s, ',') < 0)
				return -1;
		}
		return expect(s, '}');
	case '[':
		adv(s);
		for (c = node->child; c != NULL; c = c->next) {
			if (index_value(s, c) < 0)
				return -1;
			if (c->next != NULL && expect(s, ',') < 0)
				return -1;
		}
		return expect(s, ']');
	case '"':
		skip_string(s);
		return 0;
	default:
		while (*s->p != '\0' && (unsigned char)*s->p > 32 &&
		    strchr(",]}", *s->p) == NULL)
			adv(s);
		return 0;
	}
}

static size_t
add_file(struct qn_doc *s, const char *file)
{
	for (size_t i = 0; i < s->nfiles; i++)
		if (strcmp(s->files[i], file) == 0)
			return i;
	s->files = xreallocarray(s->files, s->nfiles + 1, sizeof(char *));
	s->files[s->nfiles] = xstrdup(file);
	return s->nfiles++;
}

/* Reports a cJSON syntax error at its line and column. */
static void
syntax_error(const char *file, const char *text, const char *err,
    enum diag_code code, struct diag *d)
{
	struct scan s = { text, 1, 1, 0, NULL };
	struct loc loc = { file, 1, 1, NULL };

	if (err == NULL || err < text)
		err = text;
	while (s.p < err && *s.p)
		adv(&s);
	loc.line = s.line;
	loc.col = s.col;
	diag_at(d, code, &loc, "unexpected %s", *err ? "text" : "end of file");
}

cJSON *
qn_doc_parse(struct qn_doc *s, const char *text, const char *file,
    enum diag_code code, struct diag *d)
{
	struct scan sc = { text, 1, 1, 0, &s->pos };
	const char *end = NULL;
	cJSON *root;

	if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
		sc.p = text += 3;	/* a BOM from a Windows editor */
	root = cJSON_ParseWithOpts(text, &end, 1);
	if (root == NULL) {
		syntax_error(file, text, end ? end : cJSON_GetErrorPtr(), code,
		    d);
		return NULL;
	}
	sc.file = add_file(s, file);
	index_value(&sc, root);
	return root;
}

void
qn_doc_loc(const struct qn_doc *s, const cJSON *node, struct loc *loc)
{
	const int64_t *p = NULL;

	loc->file = s->nfiles ? s->files[0] : NULL;
	loc->line = loc->col = 0;
	if (node != NULL)
		p = strmap_get(&s->pos, (const char *)&node, sizeof(node));
	if (p == NULL)
		return;
	loc->file = s->files[POS_FILE(*p)];
	loc->line = POS_LINE(*p);
	loc->col = POS_COL(*p);
}

int
qn_read_file(const char *path, const char *what, struct buf *out,
    struct diag *d)
{
	char chunk[65536];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return diag_errno(d, "cannot open %s '%s'", what, path);
	buf_init(out, QN_MAX_BYTES);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_add(out, chunk, n) < 0)
			break;
	if (ferror(fp) || out->over) {
		if (out->over)
			diag_err(d, "cannot load %s '%s': larger than %d "
			    "bytes", what, path, QN_MAX_BYTES);
		else
			diag_errno(d, "cannot read %s '%s'", what, path);
		fclose(fp);
		buf_release(out);
		return -1;
	}
	fclose(fp);
	if (memchr(out->data, '\0', out->len) != NULL) {
		diag_err(d, "cannot load %s '%s': it holds a NUL byte (not a "
		    "text file?)", what, path);
		buf_release(out);
		return -1;
	}
	return 0;
}

static int
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

char *
qn_find_in(const char *id, const char *dir, const char *dirs)
{
	size_t n = strlen(id);
	const char *p, *e;
	char *cand;

	if (n > 5 && strcmp(id + n - 5, ".json") == 0) {
		if (id[0] == '/' || dir == NULL)
			cand = xstrdup(id);
		else
			cand = xasprintf("%s/%s", dir, id);
		if (exists(cand))
			return cand;
		free(cand);
		return NULL;
	}
	if (strchr(id, '/') != NULL)
		return NULL;
	if (dir != NULL) {
		cand = xasprintf("%s/%s.json", dir, id);
		if (exists(cand))
			return cand;
		free(cand);
	}
	for (p = dirs; p != NULL && *p; p = *e ? e + 1 : e) {
		if ((e = strchr(p, ':')) == NULL)
			e = p + strlen(p);
		if (e == p)
			continue;
		cand = xasprintf("%.*s/%s.json", (int)(e - p), p, id);
		if (exists(cand))
			return cand;
		free(cand);
	}
	return NULL;
}

/* The directory part of path ("." when none); a new string. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

struct res {
	struct qn_doc	*s;
	const char	*dirs;
	struct diag	*d;
	const char	*chain[QN_MAX_DEPTH + 2];	/* files being read */
	int		 depth;
	int		 bad;		/* an error: the result is unusable */
	int		 fatal;		/* and not worth checking further */
};

static void
res_err(struct res *r, enum diag_code code, const cJSON *node,
    const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
res_err(struct res *r, enum diag_code code, const cJSON *node,
    const char *path, const char *fmt, ...)
{
	struct loc loc;
	struct buf msg = BUF_INIT;
	va_list ap;

	qn_doc_loc(r->s, node, &loc);
	loc.path = path;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_at(r->d, code, &loc, "%s", msg.data);
	buf_release(&msg);
	if (diag_code_sev(code) == DIAG_SEV_ERROR)
		r->bad = 1;
}

static const char *
key_of(const cJSON *o)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "key");

	return cJSON_IsString(k) ? k->valuestring : NULL;
}

static cJSON *
find_keyed(const cJSON *arr, const char *key)
{
	cJSON *e;

	cJSON_ArrayForEach(e, arr) {
		const char *k = key_of(e);

		if (k != NULL && strcmp(k, key) == 0)
			return e;
	}
	return NULL;
}

/* Puts member m (detached from the child) into o, replacing o's member of
 * that name; a null removes it. */
static void
set_member(cJSON *o, cJSON *m)
{
	cJSON *old = cJSON_GetObjectItemCaseSensitive(o, m->string);

	if (cJSON_IsNull(m)) {
		if (old != NULL)
			cJSON_DeleteItemFromObjectCaseSensitive(o, m->string);
		cJSON_Delete(m);
	} else if (old != NULL) {
		cJSON_ReplaceItemViaPointer(o, old, m);
	} else {
		cJSON_AddItemToObject(o, m->string, m);
	}
}

/* "dimensions" and "items": arrays merged element by element, by key. */
static void
merge_keyed(struct res *r, cJSON *parent, cJSON *cm, const char *what)
{
	cJSON *pm = cJSON_GetObjectItemCaseSensitive(parent, what);
	cJSON *ce, *next;
	size_t i = 0;
	char path[64];

	if (!cJSON_IsArray(pm) || !cJSON_IsArray(cm))
		BUG("merge_keyed on a non-array");
	for (ce = cm->child; ce != NULL; ce = next, i++) {
		const char *key = key_of(ce);
		const cJSON *rm = cJSON_GetObjectItemCaseSensitive(ce,
		    "removed");
		cJSON *pe, *m, *mnext;

		next = ce->next;
		snprintf(path, sizeof(path), "%s[%zu]", what, i);
		if (key == NULL) {
			res_err(r, DIAG_QN_INHERIT, ce, path, "an element of "
			    "an inheriting definition needs a \"key\" (it "
			    "names what is changed or added)");
			continue;
		}
		pe = find_keyed(pm, key);
		if (rm != NULL && !cJSON_IsBool(rm)) {
			res_err(r, DIAG_QN_SCHEMA, rm, path, "\"removed\" "
			    "must be true or false");
			continue;
		}
		if (cJSON_IsTrue(rm)) {
			if (pe == NULL)
				res_err(r, DIAG_QN_INHERIT, ce, path, "'%s' is "
				    "removed but the parent has no such "
				    "element", key);
			else
				cJSON_Delete(cJSON_DetachItemViaPointer(pm,
				    pe));
			continue;
		}
		if (rm != NULL)
			cJSON_DeleteItemFromObjectCaseSensitive(ce, "removed");
		ce = cJSON_DetachItemViaPointer(cm, ce);
		if (pe == NULL) {
			cJSON_AddItemToArray(pm, ce);
			continue;
		}
		for (m = ce->child; m != NULL; m = mnext) {
			mnext = m->next;
			if (strcmp(m->string, "key") == 0)
				continue;
			set_member(pe, cJSON_DetachItemViaPointer(ce, m));
		}
		cJSON_Delete(ce);
	}
}

/*
 * Merges child c onto parent p (both roots); p is changed in place and c's
 * nodes are moved into it.
 */
static void
merge(struct res *r, cJSON *p, cJSON *c)
{
	cJSON *m, *next;

	if (cJSON_GetObjectItemCaseSensitive(c, "id") == NULL)
		res_err(r, DIAG_QN_INHERIT, c, "id", "must be stated (an id "
		    "is never inherited)");
	if (cJSON_GetObjectItemCaseSensitive(c, "year") == NULL)
		res_err(r, DIAG_QN_INHERIT, c, "year", "must be stated (a "
		    "year is never inherited)");
	for (m = c->child; m != NULL; m = next) {
		next = m->next;
		if (strcmp(m->string, "inherits") == 0)
			continue;
		if (strcmp(m->string, "dimensions") == 0 ||
		    strcmp(m->string, "items") == 0) {
			if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(p,
			    m->string)) && cJSON_IsArray(m)) {
				merge_keyed(r, p, m, m->string);
				continue;
			}
		} else if (strcmp(m->string, "scales") == 0 &&
		    cJSON_IsObject(m) && cJSON_IsObject(
		    cJSON_GetObjectItemCaseSensitive(p, "scales"))) {
			cJSON *ps = cJSON_GetObjectItemCaseSensitive(p,
			    "scales");
			cJSON *s, *snext;

			for (s = m->child; s != NULL; s = snext) {
				snext = s->next;
				set_member(ps, cJSON_DetachItemViaPointer(m,
				    s));
			}
			continue;
		}
		set_member(p, cJSON_DetachItemViaPointer(c, m));
	}
}

static cJSON *resolve(struct res *r, const char *path);

/* Finds and reads what root (read from path) inherits, and merges root
 * onto it; returns the merged root (root itself when nothing is). */
static cJSON *
inherit(struct res *r, cJSON *root, const char *path)
{
	const cJSON *inh = cJSON_GetObjectItemCaseSensitive(root, "inherits");
	cJSON *parent;
	char *dir, *ppath;

	if (inh == NULL || !cJSON_IsObject(root))
		return root;
	r->s->merged = 1;
	if (!cJSON_IsString(inh) || inh->valuestring[0] == '\0') {
		res_err(r, DIAG_QN_SCHEMA, inh, "inherits", "must be the id "
		    "of another definition");
		goto fatal;
	}
	if (r->depth > QN_MAX_DEPTH) {
		res_err(r, DIAG_QN_INHERIT, inh, "inherits", "more than %d "
		    "levels of inheritance", QN_MAX_DEPTH);
		goto fatal;
	}
	dir = dir_of(path);
	ppath = qn_find_in(inh->valuestring, dir, r->dirs);
	free(dir);
	if (ppath == NULL) {
		res_err(r, DIAG_QN_INHERIT, inh, "inherits", "no definition "
		    "'%s' (looked for %s.json beside this file%s)",
		    inh->valuestring, inh->valuestring, r->dirs ?
		    " and in the search path" : "");
		goto fatal;
	}
	for (int i = 0; i < r->depth; i++)
		if (strcmp(r->chain[i], ppath) == 0) {
			res_err(r, DIAG_QN_INHERIT, inh, "inherits", "'%s' "
			    "leads back to this definition (a loop)",
			    inh->valuestring);
			free(ppath);
			goto fatal;
		}
	parent = resolve(r, ppath);
	free(ppath);
	if (parent == NULL)
		goto fatal;
	if (!cJSON_IsObject(parent)) {
		res_err(r, DIAG_QN_INHERIT, inh, "inherits", "'%s' is not a "
		    "JSON object", inh->valuestring);
		cJSON_Delete(parent);
		goto fatal;
	}
	merge(r, parent, root);
	cJSON_Delete(root);
	return parent;
fatal:
	r->bad = r->fatal = 1;	/* nothing more is worth checking */
	return root;
}

static cJSON *
resolve(struct res *r, const char *path)
{
	struct buf text = BUF_INIT;
	cJSON *root;

	if (qn_read_file(path, "questionnaire", &text, r->d) < 0) {
		r->bad = r->fatal = 1;
		return NULL;
	}
	root = qn_doc_parse(r->s, text.data, path, DIAG_QN_JSON, r->d);
	if (r->s->text == NULL && root != NULL)
		r->s->text = buf_detach(&text, NULL);
	buf_release(&text);
	if (root == NULL) {
		r->bad = r->fatal = 1;
		return NULL;
	}
	r->chain[r->depth++] = path;
	root = inherit(r, root, path);
	r->depth--;
	return root;
}

/* Replaces a "team_map" naming a file with the map it holds. */
static void
read_team_map(struct res *r, cJSON *root)
{
	cJSON *tm = cJSON_GetObjectItemCaseSensitive(root, "team_map");
	struct buf text = BUF_INIT;
	struct loc loc;
	cJSON *map;
	char *dir, *path;

	if (!cJSON_IsString(tm))
		return;
	qn_doc_loc(r->s, tm, &loc);
	dir = dir_of(loc.file);
	path = qn_find_in(tm->valuestring, dir, r->dirs);
	free(dir);
	if (path == NULL) {
		res_err(r, DIAG_QN_SCHEMA, tm, "team_map", "no team map '%s' "
		    "(looked for %s.json beside the definition%s)",
		    tm->valuestring, tm->valuestring, r->dirs ?
		    " and in the search path" : "");
		return;
	}
	r->s->merged = 1;
	if (qn_read_file(path, "team map", &text, r->d) < 0 ||
	    (map = qn_doc_parse(r->s, text.data, path, DIAG_TM_JSON,
	    r->d)) == NULL) {
		r->bad = r->fatal = 1;
	} else {
		cJSON_ReplaceItemInObjectCaseSensitive(root, "team_map", map);
	}
	buf_release(&text);
	free(path);
}

/* Returns -1 when s->root cannot be loaded, 1 when it can be checked but
 * has errors, 0 when it is good. */
static int
finish(struct res *r, cJSON *root)
{
	struct qn_doc *s = r->s;

	if (root != NULL && cJSON_IsObject(root) && !r->fatal)
		read_team_map(r, root);
	s->root = root;
	if (r->fatal || root == NULL)
		return -1;
	cJSON_DeleteItemFromObjectCaseSensitive(root, "inherits");
	if (s->merged) {
		/* What the store keeps is the whole resolved definition. */
		free(s->text);
		s->text = cJSON_Print(root);
		if (s->text == NULL)
			BUG("cJSON_Print failed");
	}
	return r->bad ? 1 : 0;
}

int
qn_doc_load(struct qn_doc *s, const char *path, const char *dirs,
    struct diag *d)
{
	struct res r;

	memset(s, 0, sizeof(*s));
	memset(&r, 0, sizeof(r));
	r.s = s;
	r.dirs = dirs;
	r.d = d;
	return finish(&r, resolve(&r, path));
}

int
qn_doc_text(struct qn_doc *s, const char *text, const char *origin,
    const char *dirs, struct diag *d)
{
	struct res r;
	cJSON *root;

	memset(s, 0, sizeof(*s));
	memset(&r, 0, sizeof(r));
	r.s = s;
	r.dirs = dirs;
	r.d = d;
	if ((root = qn_doc_parse(s, text, origin, DIAG_QN_JSON, d)) == NULL)
		return -1;
	s->text = xstrdup(text);
	r.chain[r.depth++] = origin;
	root = inherit(&r, root, origin);
	return finish(&r, root);
}

int
qn_doc_team_map(struct qn_doc *s, const char *path, struct diag *d)
{
	struct buf text = BUF_INIT;

	memset(s, 0, sizeof(*s));
	if (qn_read_file(path, "team map", &text, d) < 0)
		return -1;
	s->root = qn_doc_parse(s, text.data, path, DIAG_TM_JSON, d);
	s->text = buf_detach(&text, NULL);
	return s->root ? 0 : -1;
}

void
qn_doc_release(struct qn_doc *s)
{
	cJSON_Delete(s->root);
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	strmap_release(&s->pos);
	free(s->text);
	memset(s, 0, sizeof(*s));
}
