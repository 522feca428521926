/* SPDX-License-Identifier: MIT */
/*
 * The --where filter: a small recursive-descent parser into a tree, and
 * its binding to one definition version as a flat program that tests a
 * response's normalised codes.
 *
 *   expr    := and { "or" and }
 *   and     := unary { "and" unary }
 *   unary   := "not" unary | "(" expr ")" | test
 *   test    := FIELD op value
 *            | FIELD ["not"] "in" "(" value { "," value } ")"
 *            | FIELD "is" ["not"] "blank"
 *   op      := "=" | "!=" | "<>" | "<" | "<=" | ">" | ">="
 *   value   := 'text' | "text" | number      ('' inside '...' is a quote)
 *
 * Keywords are caseless.  A FIELD is a dimension (team, role, grade,
 * service, ...), an item (its levels by key or label, in scale order for
 * < and >; numbers by value), or `year`.  A comparison with a blank or
 * unusable answer is false; `is blank` finds those.  Dimension values
 * compare caselessly; with a number, a dimension compares numerically
 * (grade >= 3) and values that are not numbers never match.  Every error
 * names its place as --where:1:COL with the text and a caret under it.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"
#include "scorer/score_int.h"

enum tok {
	T_END, T_IDENT, T_STRING, T_NUMBER, T_LPAREN, T_RPAREN, T_COMMA,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_BAD
};

struct wval {
	char		*s;		/* the text as written (strings) */
	double		 num;
	int		 is_num;
	size_t		 col;
};

enum wop { W_AND, W_OR, W_NOT, W_CMP, W_IN, W_BLANK };

struct wexpr {
	enum wop	 op;
	struct wexpr	*a, *b;
	char		*field;
	size_t		 col;		/* 1-based column of the field */
	enum tok	 cmp;		/* W_CMP: T_EQ ... T_GE */
	int		 neg;		/* W_IN / W_BLANK: "not in", "is not" */
	struct wval	*v;
	size_t		 nv, av;
};

struct score_where {
	char		*text;
	struct wexpr	*root;
};

struct parser {
	const char	*s;
	size_t		 pos;		/* of the current token */
	size_t		 end;		/* just past it */
	enum tok	 t;
	struct buf	 lit;		/* the current string or identifier */
	double		 num;
	struct diag	*d;
	const char	*text;
};

/* Records "--where:1:COL: error: MSG" with the text and a caret. */
static int
werr(struct diag *d, const char *text, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
werr(struct diag *d, const char *text, size_t col, const char *fmt, ...)
{
	struct buf b = BUF_INIT, clean = BUF_INIT;
	va_list ap;
	size_t w = 0;

	buf_addf(&b, "--where:1:%zu: error: ", col);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	text_clean(&clean, text, strlen(text));
	buf_addf(&b, "\n    %s\n    ", clean.data);
	/* The caret goes under code point col (tabs were made spaces). */
	for (const char *p = text; *p && w + 1 < col; p++)
		if (((unsigned char)*p & 0xC0) != 0x80) {
			buf_addc(&b, ' ');
			w++;
		}
	buf_addc(&b, '^');
	diag_err(d, "%s", b.data);
	buf_release(&b);
	buf_release(&clean);
	return -1;
}

/* The 1-based column (in code points) of byte offset off. */
static size_t
colof(const char *s, size_t off)
{
	size_t c = 1;

	for (size_t i = 0; i < off && s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static const char *
tok_name(enum tok t)
{
	static const char *const names[] = {
		[T_END] = "the end", [T_IDENT] = "a name",
		[T_STRING] = "a quoted text", [T_NUMBER] = "a number",
		[T_LPAREN] = "'('", [T_RPAREN] = "')'", [T_COMMA] = "','",
		[T_EQ] = "'='", [T_NE] = "'!='", [T_LT] = "'<'",
		[T_LE] = "'<='", [T_GT] = "'>'", [T_GE] = "'>='",
		[T_BAD] = "a stray character",
	};

	return names[t];
}

static int
lex(struct parser *p)
{
	const char *s = p->s;
	size_t i = p->end;
	char q;

	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	p->pos = i;
	buf_reset(&p->lit);
	if (s[i] == '\0') {
		p->t = T_END;
	} else if (isalpha((unsigned char)s[i]) || s[i] == '_') {
		while (isalnum((unsigned char)s[i]) || s[i] == '_' ||
		    s[i] == '.')
			buf_addc(&p->lit, s[i++]);
		p->t = T_IDENT;
	} else if (isdigit((unsigned char)s[i]) || ((s[i] == '-' ||
	    s[i] == '.') && (isdigit((unsigned char)s[i + 1]) ||
	    s[i + 1] == '.'))) {
		char *e;

		errno = 0;
		p->num = strtod(s + i, &e);
		if (errno || !isfinite(p->num) || isalpha((unsigned char)*e))
			return werr(p->d, p->text, colof(s, i),
			    "malformed number");
		i = (size_t)(e - s);
		p->t = T_NUMBER;
	} else if (s[i] == '\'' || s[i] == '"') {
		q = s[i++];
		for (;;) {
			if (s[i] == '\0')
				return werr(p->d, p->text, colof(s, p->pos),
				    "this quoted text is not closed");
			if (s[i] == q && s[i + 1] == q) {
				buf_addc(&p->lit, q);
				i += 2;
			} else if (s[i] == q) {
				i++;
				break;
			} else {
				buf_addc(&p->lit, s[i++]);
			}
		}
		p->t = T_STRING;
	} else {
		static const struct {
			const char	*s;
			enum tok	 t;
		} ops[] = {
			{ "!=", T_NE }, { "<>", T_NE }, { "<=", T_LE },
			{ ">=", T_GE }, { "==", T_EQ }, { "=", T_EQ },
			{ "<", T_LT }, { ">", T_GT }, { "(", T_LPAREN },
			{ ")", T_RPAREN }, { ",", T_COMMA },
		};
		p->t = T_BAD;
		for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
			if (strncmp(s + i, ops[k].s, strlen(ops[k].s)) == 0) {
				p->t = ops[k].t;
				i += strlen(ops[k].s);
				break;
			}
		if (p->t == T_BAD)
			return werr(p->d, p->text, colof(s, i), "unexpected "
			    "character '%c'", isprint((unsigned char)s[i]) ?
			    s[i] : '?');
	}
	p->end = i;
	return 0;
}

static int
is_kw(const struct parser *p, const char *kw)
{
	return p->t == T_IDENT && strcasecmp(p->lit.data, kw) == 0;
}

static int
expected(struct parser *p, const char *what)
{
	if (p->t == T_END)
		return werr(p->d, p->text, colof(p->s, p->pos), "expected %s "
		    "but the filter ends here", what);
	return werr(p->d, p->text, colof(p->s, p->pos), "expected %s, not "
	    "%s", what, p->t == T_IDENT ? "this name" : tok_name(p->t));
}

static void
wexpr_free(struct wexpr *e)
{
	if (e == NULL)
		return;
	wexpr_free(e->a);
	wexpr_free(e->b);
	free(e->field);
	for (size_t i = 0; i < e->nv; i++)
		free(e->v[i].s);
	free(e->v);
	free(e);
}

static struct wexpr *
node(enum wop op, struct wexpr *a, struct wexpr *b)
{
	struct wexpr *e = xcalloc(1, sizeof(*e));

	e->op = op;
	e->a = a;
	e->b = b;
	return e;
}

static int
value(struct parser *p, struct wexpr *e)
{
	struct wval *v;

	if (p->t != T_STRING && p->t != T_NUMBER)
		return expected(p, "a value ('text' or a number)");
	VEC_GROW(e->v, e->nv + 1, e->av);
	v = &e->v[e->nv++];
	memset(v, 0, sizeof(*v));
	v->col = colof(p->s, p->pos);
	if (p->t == T_NUMBER) {
		v->is_num = 1;
		v->num = p->num;
		v->s = xstrndup(p->s + p->pos, p->end - p->pos);
	} else {
		v->s = xstrdup(p->lit.data);
	}
	return lex(p);
}

static struct wexpr *parse_or(struct parser *p, int depth);

static struct wexpr *
parse_test(struct parser *p)
{
	struct wexpr *e;

	if (p->t != T_IDENT || is_kw(p, "and") || is_kw(p, "or") ||
	    is_kw(p, "in") || is_kw(p, "is")) {
		expected(p, "a field name (team, role, year, an item...)");
		return NULL;
	}
	e = node(W_CMP, NULL, NULL);
	e->field = xstrdup(p->lit.data);
	e->col = colof(p->s, p->pos);
	if (lex(p) < 0)
		goto fail;
	if (is_kw(p, "is")) {
		e->op = W_BLANK;
		if (lex(p) < 0)
			goto fail;
		if (is_kw(p, "not")) {
			e->neg = 1;
			if (lex(p) < 0)
				goto fail;
		}
		if (!is_kw(p, "blank")) {
			expected(p, "'blank' (as in 'role is blank')");
			goto fail;
		}
		if (lex(p) < 0)
			goto fail;
		return e;
	}
	if (is_kw(p, "not") || is_kw(p, "in")) {
		e->op = W_IN;
		if (is_kw(p, "not")) {
			e->neg = 1;
			if (lex(p) < 0)
				goto fail;
			if (!is_kw(p, "in")) {
				expected(p, "'in' after 'not'");
				goto fail;
			}
		}
		if (lex(p) < 0)
			goto fail;
		if (p->t != T_LPAREN) {
			expected(p, "'(' and a list of values");
			goto fail;
		}
		do {
			if (lex(p) < 0 || value(p, e) < 0)
				goto fail;
		} while (p->t == T_COMMA);
		if (p->t != T_RPAREN) {
			expected(p, "',' or ')'");
			goto fail;
		}
		if (lex(p) < 0)
			goto fail;
		return e;
	}
	if (p->t < T_EQ || p->t > T_GE) {
		expected(p, "a comparison (=, !=, <, <=, >, >=), 'in' or "
		    "'is blank'");
		goto fail;
	}
	e->cmp = p->t;
	if (lex(p) < 0 || value(p, e) < 0)
		goto fail;
	return e;
fail:
	wexpr_free(e);
	return NULL;
}

static struct wexpr *
parse_unary(struct parser *p, int depth)
{
	struct wexpr *e;
	size_t at;

	if (depth > 100) {
		werr(p->d, p->text, colof(p->s, p->pos), "the filter nests "
		    "too deeply");
		return NULL;
	}
	if (is_kw(p, "not")) {
		if (lex(p) < 0 || (e = parse_unary(p, depth + 1)) == NULL)
			return NULL;
		return node(W_NOT, e, NULL);
	}
	if (p->t != T_LPAREN)
		return parse_test(p);
	at = p->pos;
	if (lex(p) < 0 || (e = parse_or(p, depth + 1)) == NULL)
		return NULL;
	if (p->t != T_RPAREN) {
		if (p->t == T_END)
			werr(p->d, p->text, colof(p->s, at), "this '(' is not "
			    "closed");
		else
			expected(p, "')' or 'and'/'or'");
		wexpr_free(e);
		return NULL;
	}
	if (lex(p) < 0) {
		wexpr_free(e);
		return NULL;
	}
	return e;
}

static struct wexpr *
parse_and(struct parser *p, int depth)
{
	struct wexpr *e, *r;

	if ((e = parse_unary(p, depth)) == NULL)
		return NULL;
	while (is_kw(p, "and")) {
		if (lex(p) < 0 || (r = parse_unary(p, depth)) == NULL) {
			wexpr_free(e);
			return NULL;
		}
		e = node(W_AND, e, r);
	}
	return e;
}

static struct wexpr *
parse_or(struct parser *p, int depth)
{
	struct wexpr *e, *r;

	if ((e = parse_and(p, depth)) == NULL)
		return NULL;
	while (is_kw(p, "or")) {
		if (lex(p) < 0 || (r = parse_and(p, depth)) == NULL) {
			wexpr_free(e);
			return NULL;
		}
		e = node(W_OR, e, r);
	}
	return e;
}

struct score_where *
score_where_parse(const char *text, struct diag *d)
{
	struct parser p;
	struct score_where *w;
	struct wexpr *e = NULL;

	memset(&p, 0, sizeof(p));
	p.s = p.text = text;
	p.d = d;
	buf_init(&p.lit, 0);
	if (lex(&p) == 0) {
		if (p.t == T_END)
			werr(d, text, 1, "the filter is empty");
		else if ((e = parse_or(&p, 0)) != NULL && p.t != T_END) {
			expected(&p, "'and', 'or' or the end");
			wexpr_free(e);
			e = NULL;
		}
	}
	buf_release(&p.lit);
	if (e == NULL)
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->text = xstrdup(text);
	w->root = e;
	return w;
}

void
score_where_free(struct score_where *w)
{
	if (w == NULL)
		return;
	wexpr_free(w->root);
	free(w->text);
	free(w);
}

const char *
score_where_text(const struct score_where *w)
{
	return w->text;
}

/* ------------------------------------------------------------------ */
/* Binding to a definition version. */

enum fop { F_AND, F_OR, F_NOT, F_SET, F_NUM, F_YEAR };

struct fnode {
	enum fop	 op;
	size_t		 a, b;		/* children (F_AND, F_OR, F_NOT) */
	size_t		 slot;		/* F_SET, F_NUM: the column */
	int32_t		 lo;		/* F_SET: codes lo .. lo + nbits - 1 */
	size_t		 nbits;
	unsigned char	*bits;
	enum tok	 cmp;		/* F_NUM, F_YEAR */
	double		 val;		/* F_NUM: code units; F_YEAR: year */
	int		 neg;		/* F_SET: the complement */
};

struct score_filter {
	struct fnode	*n;
	size_t		 nn, an;
	size_t		 root;
};

static size_t
fadd(struct score_filter *f, enum fop op)
{
	VEC_GROW(f->n, f->nn + 1, f->an);
	memset(&f->n[f->nn], 0, sizeof(f->n[f->nn]));
	f->n[f->nn].op = op;
	return f->nn++;
}

static void
set_bit(struct fnode *n, int32_t code)
{
	size_t i = (size_t)((int64_t)code - n->lo);

	if ((int64_t)code >= n->lo && i < n->nbits)
		n->bits[i / 8] |= (unsigned char)(1u << (i % 8));
}

static int
cmp_holds(enum tok cmp, double a, double b)
{
	switch (cmp) {
	case T_EQ:	return a == b;
	case T_NE:	return a != b;
	case T_LT:	return a < b;
	case T_LE:	return a <= b;
	case T_GT:	return a > b;
	case T_GE:	return a >= b;
	default:	return 0;
	}
}

/* A dimension value read as a number: "3", " 3.5 "; -1 when not one. */
static int
dim_number(const char *s, double *out)
{
	char *e;

	errno = 0;
	*out = strtod(s, &e);
	if (e == s || errno || !isfinite(*out))
		return -1;
	while (isspace((unsigned char)*e))
		e++;
	return *e == '\0' ? 0 : -1;
}

/*
 * A dimension test as the set of value ids that pass it: for = and in
 * the values named, for != and not in every other value (never blank),
 * for an order the values that are numbers in that order.
 */
static int
bind_dim(struct fnode *n, const struct wexpr *e, const struct score_bind *b,
    const char *text)
{
	unsigned char *match;
	const char *const *vals;
	size_t nvals;
	int neg = e->neg || (e->op == W_CMP && e->cmp == T_NE);

	if (b->dimvals(b->arg, e->field, &vals, &nvals) < 0)
		return -1;
	n->lo = 0;
	n->nbits = nvals ? nvals : 1;
	n->bits = xcalloc((n->nbits + 7) / 8, 1);
	if (e->op == W_BLANK) {
		set_bit(n, 0);
		n->neg = e->neg;
		return 0;
	}
	match = xcalloc(n->nbits, 1);
	for (size_t i = 0; i < e->nv; i++) {
		const struct wval *v = &e->v[i];
		enum tok cmp = e->op == W_IN || e->cmp == T_NE ? T_EQ : e->cmp;
		int any = 0;
		double x;

		if (cmp != T_EQ && !v->is_num) {
			free(match);
			return werr(b->d, text, v->col, "'%s' is compared by "
			    "order, which needs a number (as in grade >= 3)",
			    e->field);
		}
		for (size_t id = 1; id < nvals; id++) {
			if (vals[id] == NULL)
				continue;
			if (v->is_num ? dim_number(vals[id], &x) == 0 &&
			    cmp_holds(cmp, x, v->num) :
			    strcasecmp(vals[id], v->s) == 0) {
				match[id] = 1;
				any = 1;
			}
		}
		if (!any && cmp == T_EQ) {
			free(match);
			return werr(b->d, text, v->col, "no response has %s "
			    "'%s'", e->field, v->s);
		}
	}
	for (size_t id = 1; id < nvals; id++)
		if (vals[id] != NULL && match[id] != neg)
			set_bit(n, (int32_t)id);
	free(match);
	return 0;
}

/* The level index (0-based) of a value of scale field fi, or -1. */
static long
level_of(const struct qn *q, size_t fi, const struct wval *v)
{
	size_t nl = qn_field_nlevels(q, fi);

	for (size_t l = 0; l < nl; l++)
		if (strcasecmp(qn_level_key(q, fi, l), v->s) == 0 ||
		    strcasecmp(qn_level_label(q, fi, l), v->s) == 0)
			return (long)l;
	if (v->is_num && v->num >= 1 && v->num <= (double)nl &&
	    v->num == floor(v->num))
		return (long)v->num - 1;
	return -1;
}

static int
bind_scale(struct fnode *n, const struct wexpr *e, const struct score_bind *b,
    size_t fi, const char *text)
{
	const struct qn *q = b->q;
	size_t nl = qn_field_nlevels(q, fi);

	/* Codes QN_UNRECOGNISED (-1), QN_BLANK (0), 1..nl. */
	n->lo = QN_UNRECOGNISED;
	n->nbits = nl + 2;
	n->bits = xcalloc((n->nbits + 7) / 8, 1);
	if (e->op == W_BLANK) {
		set_bit(n, QN_BLANK);
		n->neg = e->neg;
		return 0;
	}
	for (size_t i = 0; i < e->nv; i++) {
		long l = level_of(q, fi, &e->v[i]);
		struct buf keys = BUF_INIT;

		if (l < 0) {
			for (size_t k = 0; k < nl; k++)
				buf_addf(&keys, "%s'%s'", k ? ", " : "",
				    qn_level_key(q, fi, k));
			werr(b->d, text, e->v[i].col, "'%s' is not a level of "
			    "'%s' in %d (levels: %s)", e->v[i].s, e->field,
			    b->year, keys.data);
			buf_release(&keys);
			return -1;
		}
		for (size_t k = 0; k < nl; k++)
			if (e->op == W_IN ? (long)k == l :
			    cmp_holds(e->cmp, (double)k, (double)l))
				set_bit(n, (int32_t)k + 1);
	}
	if (e->op == W_IN && e->neg) {
		/* not in: the other levels, never blank or unrecognised. */
		for (size_t k = 0; k < n->nbits; k++)
			n->bits[k / 8] ^= (unsigned char)(1u << (k % 8));
		for (int32_t c = QN_UNRECOGNISED; c <= QN_BLANK; c++) {
			size_t k = (size_t)(c - n->lo);

			n->bits[k / 8] &= (unsigned char)~(1u << (k % 8));
		}
	}
	return 0;
}

static int
bind_number(struct score_filter *f, size_t ni, const struct wexpr *e,
    const struct score_bind *b, const char *text)
{
	struct fnode *n = &f->n[ni];
	size_t slot = n->slot, prev = ni;

	if (e->op == W_BLANK) {
		n->op = F_SET;
		n->lo = QN_NUM_BLANK;
		n->nbits = 1;
		n->bits = xcalloc(1, 1);
		n->bits[0] = 1;
		n->neg = e->neg;
		return 0;
	}
	for (size_t i = 0; i < e->nv; i++)
		if (!e->v[i].is_num)
			return werr(b->d, text, e->v[i].col, "'%s' is a number "
			    "item: compare it with a number", e->field);
	n->op = F_NUM;
	n->cmp = e->op == W_IN ? T_EQ : e->cmp;
	n->val = e->v[0].num * QN_NUM_SCALE;
	/* "in (a, b, c)" is a chain of equalities joined by "or". */
	for (size_t i = 1; i < e->nv; i++) {
		size_t x = fadd(f, F_NUM), o;

		f->n[x].slot = slot;
		f->n[x].cmp = T_EQ;
		f->n[x].val = e->v[i].num * QN_NUM_SCALE;
		o = fadd(f, F_OR);
		f->n[o].a = prev;
		f->n[o].b = x;
		prev = o;
	}
	if (e->op == W_IN && e->neg) {
		size_t nn = fadd(f, F_NOT), ans;

		f->n[nn].a = prev;
		/* ... and answered with a usable number. */
		ans = fadd(f, F_NUM);
		f->n[ans].slot = slot;
		f->n[ans].cmp = T_GE;
		f->n[ans].val = -1e300;
		prev = fadd(f, F_AND);
		f->n[prev].a = nn;
		f->n[prev].b = ans;
	}
	return (int)prev;
}

static int
bind_node(struct score_filter *f, const struct wexpr *e,
    const struct score_bind *b, const char *text, size_t *out)
{
	const struct qn *q = b->q;
	size_t ni, a, c;
	long fi;
	int r;

	switch (e->op) {
	case W_AND:
	case W_OR:
	case W_NOT:
		if (bind_node(f, e->a, b, text, &a) < 0 ||
		    (e->b != NULL && bind_node(f, e->b, b, text, &c) < 0))
			return -1;
		ni = fadd(f, e->op == W_AND ? F_AND : e->op == W_OR ? F_OR :
		    F_NOT);
		f->n[ni].a = a;
		f->n[ni].b = e->b != NULL ? c : 0;
		*out = ni;
		return 0;
	default:
		break;
	}
	if (strcasecmp(e->field, "year") == 0) {
		if (e->op == W_BLANK)
			return werr(b->d, text, e->col, "every response has a "
			    "year");
		ni = fadd(f, F_YEAR);
		f->n[ni].cmp = e->op == W_IN ? T_EQ : e->cmp;
		for (size_t i = 0; i < e->nv; i++)
			if (!e->v[i].is_num)
				return werr(b->d, text, e->v[i].col,
				    "a year is a number");
		f->n[ni].val = e->v[0].num;
		for (size_t i = 1; i < e->nv; i++) {
			size_t x = fadd(f, F_YEAR), o;

			f->n[x].cmp = T_EQ;
			f->n[x].val = e->v[i].num;
			o = fadd(f, F_OR);
			f->n[o].a = ni;
			f->n[o].b = x;
			ni = o;
		}
		if (e->op == W_IN && e->neg) {
			size_t nn = fadd(f, F_NOT);

			f->n[nn].a = ni;
			ni = nn;
		}
		*out = ni;
		return 0;
	}
	if ((fi = qn_field_find(q, e->field)) < 0) {
		struct buf names = BUF_INIT;

		for (size_t i = 0; i < qn_nfields(q); i++)
			buf_addf(&names, "%s, ", qn_field_key(q, i));
		buf_adds(&names, "year");
		werr(b->d, text, e->col, "no field '%s' in the %d "
		    "questionnaire '%s' (fields: %s)", e->field, b->year,
		    qn_id(q), names.data);
		buf_release(&names);
		return -1;
	}
	ni = fadd(f, F_SET);
	f->n[ni].slot = b->slot(b->arg, fi);
	switch (qn_field_kind(q, (size_t)fi)) {
	case QN_DIM:
		if (bind_dim(&f->n[ni], e, b, text) < 0)
			return -1;
		break;
	case QN_SCALE:
	case QN_CHOICE:
		if (e->op == W_CMP && e->cmp == T_NE) {
			struct wexpr ne = *e;

			ne.op = W_IN;
			ne.neg = 1;
			if (bind_scale(&f->n[ni], &ne, b, (size_t)fi, text) < 0)
				return -1;
		} else if (bind_scale(&f->n[ni], e, b, (size_t)fi, text) < 0) {
			return -1;
		}
		break;
	case QN_NUMBER:
		if ((r = bind_number(f, ni, e, b, text)) < 0)
			return -1;
		ni = (size_t)r;
		break;
	case QN_TEXT:
		if (e->op != W_BLANK)
			return werr(b->d, text, e->col, "'%s' is a free-text "
			    "item: only 'is blank' and 'is not blank' apply",
			    e->field);
		f->n[ni].lo = QN_BLANK;
		f->n[ni].nbits = 1;
		f->n[ni].bits = xcalloc(1, 1);
		f->n[ni].bits[0] = 1;
		f->n[ni].neg = e->neg;
		break;
	}
	*out = ni;
	return 0;
}

struct score_filter *
score_where_bind(const struct score_where *w, const struct score_bind *b)
{
	struct score_filter *f = xcalloc(1, sizeof(*f));

	if (bind_node(f, w->root, b, w->text, &f->root) < 0) {
		score_filter_free(f);
		return NULL;
	}
	return f;
}

void
score_filter_free(struct score_filter *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->nn; i++)
		free(f->n[i].bits);
	free(f->n);
	free(f);
}

static int
eval(const struct score_filter *f, size_t i, const int32_t *const *cols,
    size_t row, int year)
{
	const struct fnode *n = &f->n[i];
	int32_t c;
	size_t k;
	int hit;

	switch (n->op) {
	case F_AND:
		return eval(f, n->a, cols, row, year) &&
		    eval(f, n->b, cols, row, year);
	case F_OR:
		return eval(f, n->a, cols, row, year) ||
		    eval(f, n->b, cols, row, year);
	case F_NOT:
		return !eval(f, n->a, cols, row, year);
	case F_YEAR:
		return cmp_holds(n->cmp, (double)year, n->val);
	case F_NUM:
		c = cols[n->slot] ? cols[n->slot][row] : QN_NUM_BLANK;
		if (c == QN_NUM_BLANK || c == QN_NUM_BAD || c == QN_NUM_RANGE)
			return 0;
		return cmp_holds(n->cmp, (double)c, n->val);
	case F_SET:
		c = cols[n->slot] ? cols[n->slot][row] : 0;
		k = (size_t)((int64_t)c - n->lo);
		hit = (int64_t)c >= n->lo && k < n->nbits &&
		    (n->bits[k / 8] >> (k % 8) & 1);
		return hit != n->neg;
	}
	return 0;
}

int
score_filter_eval(const struct score_filter *f, const int32_t *const *cols,
    size_t row, int year)
{
	return eval(f, f->root, cols, row, year);
}
