/* SPDX-License-Identifier: MIT */
/*
 * The fast pass of whc check over a large export: parse, normalise and
 * count every answer, on every core, in bounded memory.
 *
 * The file is cut into parts at line ends; a thread per part tokenises its
 * records in place (SSE2 where there is one), looks each answer up in a
 * memo of its own (distinct raw values are few: normalising is done once
 * per value, counting is an increment), and keeps a 64-bit hash of each
 * response id.  A cut is only a guess when a quoted field may hold a line
 * end: a part must end exactly where the next one began, else the whole
 * file is read again in one part.  Anything unusual (a malformed record)
 * also sends the file to the ordinary reader, whose messages are exact.
 * The parts' memos then become one tally; repeated ids are found among
 * the hashes (and confirmed by reading the records again).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "collector/collect.h"
#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/csv.h"
#include "common/diag.h"
#include "common/text.h"
#include "common/vec.h"
#include "common/xalloc.h"
#include "questionnaires/qn.h"

#define BLOCK		(1u << 20)	/* bytes read at a time */
#define PAD		64		/* readable bytes past the data */
#define MAX_PARTS	8
#define MIN_PART	(4u << 20)	/* smaller files are one part */
#define HEADER_FIRST	(64u << 10)	/* read for a header at first */
#define HEADER_MAX	(4u << 20)	/* and at most */

/* One distinct raw value of a field, in a part. */
struct ment {
	uint64_t	 h;
	uint64_t	 k0, k1;	/* a key of up to 16 bytes, as words */
	uint32_t	 off, len;	/* the key, in the memo's arena */
	int32_t		 code;
	uint32_t	 used;		/* 0: an empty slot */
	unsigned long	 count, line;
};

struct memo {
	struct ment	*slot;
	size_t		 cap, n;
	unsigned	 shift;		/* 64 - log2(cap) */
	char		*arena;
	size_t		 alen, acap;
};


/* A problem found in a part, with a line relative to the part. */
struct prob {
	enum diag_code	 code;
	unsigned long	 line;
	size_t		 nf;
};

/* What every part shares: read only. */
struct shared {
	const struct qn	*q;
	int		 fd;
	int		 sep;
	size_t		 ncols;
	size_t		 id_col;
	size_t		*fcol;		/* the column of each memo'd field */
	size_t		*field;		/* and its field index */
	int		*text;		/* free text: counted, not memo'd */
	size_t		 nmemo;
	long		 team;		/* index in fcol of the team, or -1 */
};

/*
 * The hashes of the response ids, kept by their top byte in small blocks:
 * repeats are then found a bucket at a time, in a table that fits in the
 * cache, with no large array to sort (or to zero: first touching memory
 * costs more than the search).
 */
#define IDBUCKETS	256
#define IDBLOCK		510
#define SLAB		(2u << 20)	/* idblks are cut from these */

struct idblk {
	struct idblk	*next;
	size_t		 n;
	uint64_t	 h[IDBLOCK];
};

/* A response whose id's hash repeats: its id and line. */
struct dup {
	char		*id;
	unsigned long	 line;
};

struct part {
	const struct shared *x;
	uint64_t	 from, to;	/* first record, and where to stop */
	uint64_t	 end;		/* the record it stopped before */
	unsigned long	 lines;		/* lines read */
	unsigned long	 rows;
	struct memo	*memo;
	unsigned long	*tvalid, *tblank;	/* free-text fields */
	struct idblk	*ids[IDBUCKETS];	/* id hashes by top byte */
	struct idblk	**slabs;	/* where the blocks are cut from */
	size_t		 nslabs, aslabs, slab_left;
	/* The second pass (repeated hashes): what to look for, and finds. */
	const uint64_t	*want;
	size_t		 nwant;
	struct dup	*dups;
	size_t		 ndups, adups;
	struct prob	*probs;
	size_t		 nprobs, aprobs;
	int		 syntax;	/* leave it to the ordinary reader */
	int		 err;		/* errno of a failed read, or 0 */
	struct qn_matcher *m;
	char		*buf;
	size_t		 cap;
	char		*scratch;	/* unescaped quoted fields */
	size_t		 scap;
	const char	**fp;		/* a record's fields */
	size_t		*fl;
	size_t		 afields;
};

/*
 * The read buffers get huge pages where the kernel offers them on request:
 * first touching megabytes page by page costs more than one might think on
 * some virtual machines.
 */
static void *
big_alloc(size_t n)
{
	void *p = NULL;

#if defined(MADV_HUGEPAGE)
	if (n >= (2u << 20) && posix_memalign(&p, 2u << 20, n) == 0) {
		madvise(p, n, MADV_HUGEPAGE);
		return p;
	}
#endif
	p = xmalloc(n);
	return p;
}

/* A fast hash of a short string: read as words, mixed. */
static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xFF51AFD7ED558CCDULL);
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
	}
	h ^= h >> 32;
	h *= 0xFF51AFD7ED558CCDULL;
	return h ^ (h >> 31);
}

static void
memo_grow(struct memo *m)
{
	struct ment *old = m->slot;
	size_t ocap = m->cap;

	m->cap = ocap ? ocap * 2 : 64;
	m->shift = 64 - (unsigned)__builtin_ctzll(m->cap);
	m->slot = xcalloc(m->cap, sizeof(*m->slot));
	for (size_t i = 0; i < ocap; i++) {
		size_t j;

		if (!old[i].used)
			continue;
		for (j = (size_t)(old[i].h >> m->shift); m->slot[j].used;
		    j = (j + 1) & (m->cap - 1))
			;
		m->slot[j] = old[i];
	}
	free(old);
}

static uint64_t
load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* The first n (< 8) bytes of the word at p, the rest zero. */
static uint64_t
head8(const char *p, size_t n)
{
	return n == 0 ? 0 : load8(p) & (~(uint64_t)0 >> (64 - 8 * n));
}

/*
 * A quick hash for the memo, whose keys are short: p[0..n+8) must be
 * readable (the read buffers and the arena are padded).
 */
static uint64_t
quick_hash(const char *p, size_t n)
{
	uint64_t h = n * 0x9E3779B97F4A7C15ULL;

	for (; n >= 8; n -= 8, p += 8)
		h = (h ^ load8(p)) * 0xC4CEB9FE1A85EC53ULL;
	h = (h ^ head8(p, n)) * 0xFF51AFD7ED558CCDULL;
	return h ^ (h >> 32);
}

/* Equality of a[0..n) and b[0..n), both padded as for quick_hash. */
static int
same(const char *a, const char *b, size_t n)
{
	for (; n >= 8; n -= 8, a += 8, b += 8)
		if (load8(a) != load8(b))
			return 0;
	return head8(a, n) == head8(b, n);
}

/*
 * The entry of s[0..n) in m, added (code unset, count 0) when new.  Most
 * answers are at most 16 bytes: their key is two words, compared as such.
 */
static struct ment *
memo_get(struct memo *m, const char *s, size_t n, int *added)
{
	uint64_t h, k0 = 0, k1 = 0;
	struct ment *e;
	size_t j;

	if (n <= 16) {
		k0 = n >= 8 ? load8(s) : head8(s, n);
		k1 = n > 8 ? head8(s + 8, n - 8) : 0;
		h = (k0 ^ ((k1 + n) * 0xC4CEB9FE1A85EC53ULL)) *
		    0x9E3779B97F4A7C15ULL;
	} else {
		h = quick_hash(s, n);
	}
	*added = 0;
	if ((m->n + 1) * 2 > m->cap)
		memo_grow(m);
	/*
	 * The top bits index the table: only they depend on every byte
	 * ("Team 001" and "Team 002" differ in the last).
	 */
	for (j = (size_t)(h >> m->shift);; j = (j + 1) & (m->cap - 1)) {
		e = &m->slot[j];
		if (!e->used)
			break;
		if (e->h != h || e->len != n)
			continue;
		if (n <= 16 ? e->k0 == k0 && e->k1 == k1 :
		    same(m->arena + e->off, s, n))
			return e;
	}
	e->k0 = k0;
	e->k1 = k1;
	if (m->alen + n + 1 > m->acap) {
		m->acap = (m->acap + n + 1) * 2;
		m->arena = xrealloc(m->arena, m->acap + 8);	/* padded */
	}
	memcpy(m->arena + m->alen, s, n);
	m->arena[m->alen + n] = '\0';
	e->h = h;
	e->off = (uint32_t)m->alen;
	e->len = (uint32_t)n;
	e->used = 1;
	e->count = 0;
	m->alen += n + 1;
	m->n++;
	*added = 1;
	return e;
}

static void
memo_release(struct memo *m)
{
	free(m->slot);
	free(m->arena);
}

/*
 * The next of sep, '"' (when quote), '\n' or '\r' at or after p, or e
 * when none is before e.  p[0..e-p+PAD) must be readable.
 */
static const char *
next_special(const char *p, const char *e, char sep, int quote)
{
#ifdef __SSE2__
	const __m128i cs = _mm_set1_epi8(sep), cq = _mm_set1_epi8('"');
	const __m128i cn = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');

	for (; p < e; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, cn),
		    _mm_cmpeq_epi8(v, cr));
		unsigned mask;

		hit = _mm_or_si128(hit, quote ? _mm_cmpeq_epi8(v, cq) :
		    _mm_cmpeq_epi8(v, cs));
		if ((mask = (unsigned)_mm_movemask_epi8(hit)) != 0) {
			p += __builtin_ctz(mask);
			return p < e ? p : e;
		}
	}
	return e;
#else
	for (; p < e; p++)
		if (*p == '\n' || *p == '\r' || (quote ? *p == '"' :
		    *p == sep))
			return p;
	return e;
#endif
}

static void
add_field(struct part *pt, size_t nf, const char *s, size_t n)
{
	if (nf >= pt->afields) {
		pt->afields = pt->afields * 2 + 32;
		pt->fp = xreallocarray(pt->fp, pt->afields, sizeof(*pt->fp));
		pt->fl = xreallocarray(pt->fl, pt->afields, sizeof(*pt->fl));
	}
	pt->fp[nf] = s;
	pt->fl[nf] = n;
}

/*
 * Tokenises the record at p (before e; eof when e is the file's end).
 * Returns the first byte after it, or NULL when it does not end before e
 * (more data is needed), with *nf fields in pt->fp, pt->fl and *lines the
 * line ends it holds.  A malformed record sets pt->syntax.
 */
static const char *
record(struct part *pt, const char *p, const char *e, int eof, size_t *nf,
    unsigned long *lines)
{
	char sep = (char)pt->x->sep;
	size_t sl = 0;

	*nf = 0;
	*lines = 0;
	for (;;) {
		const char *s = p, *q;

		if (p < e && *p == '"') {
			/* A quoted field: "" is a quote, line ends count. */
			int esc = 0;

			for (q = ++p;; q++) {
				q = next_special(q, e, sep, 1);
				if (q == e)
					return eof ? (pt->syntax = 1, e) : NULL;
				if (*q == '\n') {
					(*lines)++;
					continue;
				}
				if (*q == '\r') {
					if (q + 1 == e && !eof)
						return NULL;
					if (q + 1 == e || q[1] != '\n')
						(*lines)++;
					continue;
				}
				if (q + 1 == e && !eof)
					return NULL;
				if (q + 1 < e && q[1] == '"') {
					esc = 1;
					q++;
					continue;
				}
				break;
			}
			if (esc) {
				/* Unescape into the scratch buffer. */
				size_t n = (size_t)(q - p), k = 0;

				if (sl + n + 1 > pt->scap) {
					/* Fields already there must stay. */
					pt->syntax = 2;
					return e;
				}
				for (const char *c = p; c < q; c++) {
					pt->scratch[sl + k++] = *c;
					if (*c == '"')
						c++;
				}
				add_field(pt, (*nf)++, pt->scratch + sl, k);
				sl += k;
			} else {
				add_field(pt, (*nf)++, p, (size_t)(q - p));
			}
			p = q + 1;
			if (p < e && *p != sep && *p != '\n' && *p != '\r') {
				pt->syntax = 1;	/* text after a quote */
				return e;
			}
		} else {
			q = next_special(p, e, sep, 0);
			if (q == e && !eof)
				return NULL;
			add_field(pt, (*nf)++, s, (size_t)(q - s));
			p = q;
		}
		if (p >= e)			/* the last line, no line end? */
			return eof ? e : NULL;
		if (*p == sep) {
			p++;
			continue;
		}
		(*lines)++;
		if (*p == '\r') {
			if (p + 1 == e && !eof)
				return NULL;
			if (p + 1 < e && p[1] == '\n')
				p++;
		}
		return p + 1;
	}
}

#ifdef __SSE2__
/* Bits of the bytes of p[0..64) equal to c. */
static uint64_t
mask64(const char *p, __m128i c)
{
	uint64_t m = 0;

	for (int i = 0; i < 4; i++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + 16 * i));

		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    c)) << (16 * i);
	}
	return m;
}
#endif

/*
 * record() for the common record with no quote in it: the separators and
 * line ends of 64 bytes at a time are found as a bit mask, and each bit
 * ends a field.  Falls back to record() on a quote; same contract.
 */
static const char *
plain_record(struct part *pt, const char *p, const char *e, int eof,
    size_t *nf, unsigned long *lines)
{
#ifdef __SSE2__
	const __m128i cs = _mm_set1_epi8((char)pt->x->sep);
	const __m128i cq = _mm_set1_epi8('"'), cn = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r');
	const char *fs = p, *q = p;
	size_t n = 0;

	if (p < e && *p == '"')
		return record(pt, p, e, eof, nf, lines);
	for (; q < e; q += 64) {
		uint64_t lim = e - q >= 64 ? ~(uint64_t)0 :
		    (((uint64_t)1 << (e - q)) - 1);
		uint64_t ends = (mask64(q, cn) | mask64(q, cr)) & lim;
		uint64_t m = (mask64(q, cs) & lim) | ends;
		uint64_t quotes = mask64(q, cq) & lim;

		/* A quote before the record's end: the careful way. */
		if (quotes != 0 && (ends == 0 || (quotes & ((ends &
		    (~ends + 1)) - 1)) != 0))
			return record(pt, p, e, eof, nf, lines);
		while (m != 0) {
			const char *c = q + __builtin_ctzll(m);

			if (n >= pt->afields)
				add_field(pt, n, fs, 0);	/* grows */
			pt->fp[n] = fs;
			pt->fl[n++] = (size_t)(c - fs);
			fs = c + 1;
			if (*c == '\n' || *c == '\r') {
				*nf = n;
				*lines = 1;
				if (*c == '\r') {
					if (c + 1 == e && !eof)
						return NULL;
					if (c + 1 < e && c[1] == '\n')
						c++;
				}
				return c + 1;
			}
			m &= m - 1;
		}
		if (e - q <= 64)
			break;
	}
	if (!eof)
		return NULL;
	if (n >= pt->afields)
		add_field(pt, n, fs, 0);
	pt->fp[n] = fs;
	pt->fl[n++] = (size_t)(e - fs);
	*nf = n;
	*lines = 0;
	return e;
#else
	return record(pt, p, e, eof, nf, lines);
#endif
}

static void
problem(struct part *pt, enum diag_code code, unsigned long line, size_t nf)
{
	VEC_GROW(pt->probs, pt->nprobs + 1, pt->aprobs);
	pt->probs[pt->nprobs].code = code;
	pt->probs[pt->nprobs].line = line;
	pt->probs[pt->nprobs].nf = nf;
	pt->nprobs++;
}

/* Whether s[0..n) might change when squashed. */
static int
unclean(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7F)
			return 1;
	return 0;
}

/*
 * A block for id hashes, cut from a slab of SLAB bytes (a huge page where
 * the kernel gives one): a million ids would otherwise be two thousand
 * small allocations, each first touched a page at a time.
 */
static struct idblk *
idblk_new(struct part *pt)
{
	if (pt->slab_left == 0) {
		VEC_GROW(pt->slabs, pt->nslabs + 1, pt->aslabs);
		pt->slabs[pt->nslabs++] = big_alloc(SLAB);
		pt->slab_left = SLAB / sizeof(struct idblk);
	}
	return &pt->slabs[pt->nslabs - 1][--pt->slab_left];
}

/* Counts one record's answers. */
static void
count(struct part *pt, unsigned long line)
{
	const struct shared *x = pt->x;
	const char *id = pt->fp[x->id_col];
	size_t idn = pt->fl[x->id_col];
	struct buf clean = BUF_INIT;
	int added;

	for (size_t i = 0; i < x->nmemo; i++) {
		const char *v = pt->fp[x->fcol[i]];
		size_t n = pt->fl[x->fcol[i]];
		struct ment *e;

		if (x->text[i]) {
			/* Free text is rarely repeated: just answered or not. */
			if (n > 0 && (unsigned char)v[0] > ' ' &&
			    (unsigned char)v[0] < 0x7F) {
				pt->tvalid[i]++;
				continue;
			}
			buf_reset(&clean);
			text_squash(&clean, v, n);
			if (clean.len)
				pt->tvalid[i]++;
			else
				pt->tblank[i]++;
			continue;
		}
		e = memo_get(&pt->memo[i], v, n, &added);

		if (added) {
			e->line = line;
			e->code = qn_field_kind(x->q, x->field[i]) == QN_DIM ?
			    0 : qn_normalise_with(x->q, x->field[i],
			    pt->fp[x->fcol[i]], pt->fl[x->fcol[i]], pt->m);
		}
		e->count++;
	}
	if (unclean(id, idn)) {
		buf_reset(&clean);
		text_squash(&clean, id, idn);
		id = clean.data;
		idn = clean.len;
	}
	if (idn == 0) {
		problem(pt, DIAG_ROW_NO_ID, line, 0);
	} else {
		uint64_t h = hash(id, idn);
		struct idblk **b = &pt->ids[h >> 56];

		if (*b == NULL || (*b)->n == IDBLOCK) {
			struct idblk *nb = idblk_new(pt);

			nb->next = *b;
			nb->n = 0;
			*b = nb;
		}
		(*b)->h[(*b)->n++] = h;
	}
	buf_release(&clean);
}

/* Second pass: notes a record whose id's hash is one of pt->want. */
static void
find_dups(struct part *pt, unsigned long line)
{
	const char *id = pt->fp[pt->x->id_col];
	size_t n = pt->fl[pt->x->id_col], lo = 0, hi = pt->nwant;
	struct buf clean = BUF_INIT;
	uint64_t h;

	text_squash(&clean, id, n);
	h = hash(clean.data, clean.len);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pt->want[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (clean.len > 0 && lo < pt->nwant && pt->want[lo] == h) {
		VEC_GROW(pt->dups, pt->ndups + 1, pt->adups);
		pt->dups[pt->ndups].id = buf_detach(&clean, NULL);
		pt->dups[pt->ndups++].line = line;
	}
	buf_release(&clean);
}

/* Reads the part's records; run by its thread. */
static void *
scan(void *arg)
{
	struct part *pt = arg;
	const struct shared *x = pt->x;
	uint64_t pos = pt->from;	/* file offset of buf[0] */
	size_t have = 0, at = 0;
	unsigned long line = 1;
	int eof = 0;

	pt->cap = 2 * BLOCK;
	pt->buf = big_alloc(pt->cap + PAD);
	pt->scap = pt->cap;
	pt->scratch = xmalloc(pt->scap + PAD);
	for (;;) {
		const char *p = pt->buf + at, *e = pt->buf + have, *nx;
		unsigned long nl;
		size_t nf;
		ssize_t n;

		if (pos + at >= pt->to)
			break;			/* the next part's */
		nx = p < e ? plain_record(pt, p, e, eof, &nf, &nl) : NULL;
		if (pt->syntax)
			break;
		if (nx != NULL) {
			if (!(nf == 1 && pt->fl[0] == 0)) {
				if (nf != x->ncols) {
					if (pt->want == NULL)
						problem(pt, DIAG_CSV_FIELDS,
						    line, nf);
				} else if (pt->want != NULL) {
					find_dups(pt, line);
				} else {
					pt->rows++;
					count(pt, line);
				}
			}
			line += nl;
			at = (size_t)(nx - pt->buf);
			continue;
		}
		if (eof)
			break;
		/* Keep the unfinished record, read more after it. */
		memmove(pt->buf, pt->buf + at, have - at);
		pos += at;
		have -= at;
		at = 0;
		if (have + BLOCK > pt->cap) {
			pt->cap *= 2;
			pt->buf = xrealloc(pt->buf, pt->cap + PAD);
			pt->scap = pt->cap;
			pt->scratch = xrealloc(pt->scratch, pt->scap + PAD);
		}
		do {
			n = pread(x->fd, pt->buf + have, pt->cap - have,
			    (off_t)(pos + have));
		} while (n < 0 && errno == EINTR);
		if (n < 0) {
			pt->err = errno;
			break;
		}
		have += (size_t)n;
		memset(pt->buf + have, 0, PAD);
		eof = n == 0;
	}
	pt->end = pos + at;
	pt->lines = line - 1;
	return NULL;
}

static void
part_release(struct part *pt)
{
	for (size_t i = 0; pt->memo != NULL && i < pt->x->nmemo; i++)
		memo_release(&pt->memo[i]);
	free(pt->memo);
	free(pt->tvalid);
	free(pt->tblank);
	for (size_t i = 0; i < pt->nslabs; i++)
		free(pt->slabs[i]);
	free(pt->slabs);
	for (size_t i = 0; i < pt->ndups; i++)
		free(pt->dups[i].id);
	free(pt->dups);
	free(pt->probs);
	free(pt->buf);
	free(pt->scratch);
	free(pt->fp);
	free(pt->fl);
	qn_matcher_free(pt->m);
}

static int
cmp_dup(const void *a, const void *b)
{
	const struct dup *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Repeated ids: the hashes of each bucket (of every part) go through a
 * small table, and when a hash repeats (rarely), the file is read again
 * for the ids that have it, so that what is reported is true of the ids
 * themselves, with their lines.
 */
/* Buckets [b0, b1) of every part's id hashes, searched for repeats. */
struct repeats {
	const struct part *parts;
	size_t		 np, b0, b1;
	uint64_t	*want;		/* hashes seen more than once */
	size_t		 nw, aw;
};

static void *
find_repeats(void *arg)
{
	struct repeats *r = arg;
	uint64_t *tab = NULL;
	size_t tcap = 0;

	for (size_t b = r->b0; b < r->b1; b++) {
		size_t n = 0, cap = 64;

		for (size_t i = 0; i < r->np; i++)
			for (struct idblk *k = r->parts[i].ids[b]; k;
			    k = k->next)
				n += k->n;
		while (cap < 2 * n)
			cap *= 2;
		if (cap > tcap) {
			free(tab);
			tab = xmalloc(cap * sizeof(*tab));
			tcap = cap;
		}
		/* 0 marks an empty slot: a hash of 0 is taken as 1. */
		memset(tab, 0, cap * sizeof(*tab));
		for (size_t i = 0; i < r->np; i++)
			for (struct idblk *k = r->parts[i].ids[b]; k;
			    k = k->next)
				for (size_t e = 0; e < k->n; e++) {
					uint64_t h = k->h[e] ? k->h[e] : 1;
					size_t j = (size_t)(h *
					    0x9E3779B97F4A7C15ULL >> 40) &
					    (cap - 1);

					for (; tab[j] != 0 && tab[j] != h;
					    j = (j + 1) & (cap - 1))
						;
					if (tab[j] == h) {
						VEC_GROW(r->want, r->nw + 1,
						    r->aw);
						r->want[r->nw++] = k->h[e];
					}
					tab[j] = h;
				}
	}
	free(tab);
	return NULL;
}

static void
duplicates(struct shared *x, struct part *parts, size_t np, uint64_t data,
    unsigned long data_line, uint64_t size, struct qn_tally *t)
{
	struct repeats half[2] = {
		{ parts, np, 0, IDBUCKETS / 2, NULL, 0, 0 },
		{ parts, np, IDBUCKETS / 2, IDBUCKETS, NULL, 0, 0 },
	};
	uint64_t *want;
	size_t nw;
	struct part pt;
	pthread_t th;

	/* With more than one part there is more than one core: use two. */
	if (np > 1 && pthread_create(&th, NULL, find_repeats, &half[1]) == 0) {
		find_repeats(&half[0]);
		pthread_join(th, NULL);
	} else {
		find_repeats(&half[0]);
		find_repeats(&half[1]);
	}
	want = half[0].want;
	nw = half[0].nw;
	if (half[1].nw > 0) {
		want = xreallocarray(want, nw + half[1].nw, sizeof(*want));
		memcpy(want + nw, half[1].want, half[1].nw * sizeof(*want));
		nw += half[1].nw;
	}
	free(half[1].want);
	if (nw == 0)
		return;
	qsort(want, nw, sizeof(*want), cmp_u64);
	memset(&pt, 0, sizeof(pt));
	pt.x = x;
	pt.want = want;
	pt.nwant = nw;
	pt.from = data;
	pt.to = size;
	pt.memo = xcalloc(x->nmemo + 1, sizeof(struct memo));
	scan(&pt);
	if (pt.ndups > 1)
		qsort(pt.dups, pt.ndups, sizeof(*pt.dups), cmp_dup);
	for (size_t i = 1; i < pt.ndups; i++)
		if (strcmp(pt.dups[i].id, pt.dups[i - 1].id) == 0)
			qn_tally_dup(t, pt.dups[i].id, pt.dups[i].line +
			    data_line - 1);
	part_release(&pt);
	free(want);
}

/* The parts' memos, counts and problems, into one tally and d. */
static void
merge(struct shared *x, struct part *parts, size_t np, const char *path,
    uint64_t data, unsigned long data_line, uint64_t size,
    struct qn_tally *t, struct diag *d)
{
	const struct qn *q = x->q;
	unsigned long base[MAX_PARTS];
	struct qn_matcher *m = qn_matcher_new();
	long fsvc = qn_field_find(q, "service");
	long fdir = qn_field_find(q, "directorate");

	for (size_t i = 0; i < np; i++) {
		base[i] = i == 0 ? data_line - 1 : base[i - 1] +
		    parts[i - 1].lines;
		qn_tally_responses(t, parts[i].rows);
	}
	for (size_t i = 0; i < np; i++)
		for (size_t k = 0; k < parts[i].nprobs; k++) {
			const struct prob *pb = &parts[i].probs[k];
			struct loc loc = { path, pb->line + base[i], 0, NULL };

			if (pb->code == DIAG_CSV_FIELDS)
				diag_at(d, pb->code, &loc, "%zu field%s, the "
				    "header has %zu", pb->nf, pb->nf == 1 ?
				    "" : "s", x->ncols);
			else
				diag_at(d, pb->code, &loc, "column '%s' is "
				    "empty", qn_id_column(q));
		}
	for (size_t f = 0; f < x->nmemo; f++) {
		size_t fi = x->field[f];
		int dim = qn_field_kind(q, fi) == QN_DIM;

		for (size_t i = 0; i < np && x->text[f]; i++) {
			qn_tally_answer(t, fi, 1, "", 0, NULL,
			    parts[i].tvalid[f], 0);
			qn_tally_answer(t, fi, QN_BLANK, "", 0, NULL,
			    parts[i].tblank[f], 0);
		}
		for (size_t i = 0; i < np && !x->text[f]; i++) {
			const struct memo *mm = &parts[i].memo[f];

			for (size_t s = 0; s < mm->cap; s++) {
				const struct ment *e = &mm->slot[s];
				const char *key = mm->arena + e->off;
				struct qn_team_res r;
				struct buf c = BUF_INIT;
				int32_t code = e->code;

				if (!e->used)
					continue;
				if ((long)f == x->team) {
					qn_team_resolve_with(q, key, e->len, m,
					    &r);
					code = r.status != QN_TEAM_BLANK;
					if (fsvc >= 0)
						qn_tally_answer(t, (size_t)fsvc,
						    r.service != NULL, "", 0,
						    NULL, e->count, 0);
					if (fdir >= 0)
						qn_tally_answer(t, (size_t)fdir,
						    r.directorate != NULL, "",
						    0, NULL, e->count, 0);
				} else if (dim) {
					text_squash(&c, key, e->len);
					code = c.len > 0;
					buf_release(&c);
				}
				qn_tally_answer(t, fi, code, key, e->len,
				    (long)f == x->team ? &r : NULL, e->count,
				    e->line + base[i]);
			}
		}
	}
	duplicates(x, parts, np, data, data_line, size, t);
	qn_matcher_free(m);
}

/*
 * Parses the header at the start of the file; on success *data is the
 * offset of the first record and *line its line.  Returns 1 to leave the
 * file to the ordinary reader, -1 after an error, 0.
 */
static int
header(struct shared *x, struct part *pt, const char *path, int sep,
    size_t *col, uint64_t *data, unsigned long *line, struct diag *d)
{
	size_t n, bom = 0, nf, mod_col;
	unsigned long nl;
	const char *nx;
	char **hdr;
	ssize_t r;
	int rc;

	/*
	 * A header is short: read 64 KiB, and more only when it does not
	 * end there (up to HEADER_MAX; a longer one goes the slow way).
	 * Reading megabytes into fresh memory here would cost more than
	 * the rest of the start put together.
	 */
	for (pt->cap = HEADER_FIRST;; pt->cap *= 4) {
		free(pt->buf);
		free(pt->scratch);
		pt->buf = xmalloc(pt->cap + PAD);
		pt->scap = pt->cap;
		pt->scratch = xmalloc(pt->scap + PAD);
		if ((r = pread(x->fd, pt->buf, pt->cap, 0)) < 0)
			return diag_errno(d, "cannot read '%s'", path);
		n = (size_t)r;
		memset(pt->buf + n, 0, PAD);
		bom = n >= 3 && memcmp(pt->buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		/* Blank lines before the header: the slow way. */
		if (n == bom || pt->buf[bom] == '\n' || pt->buf[bom] == '\r')
			return 1;
		x->sep = sep ? sep : csv_detect_sep(pt->buf + bom, n - bom);
		nx = record(pt, pt->buf + bom, pt->buf + n, n < pt->cap, &nf,
		    &nl);
		if (pt->syntax)
			return 1;
		if (nx != NULL)
			break;
		if (pt->cap >= HEADER_MAX)
			return 1;
	}
	hdr = xcalloc(nf + 1, sizeof(*hdr));
	for (size_t i = 0; i < nf; i++)
		hdr[i] = xstrndup(pt->fp[i], pt->fl[i]);
	rc = qn_bind_header(x->q, hdr, nf, col, &x->id_col, &mod_col, path, 1,
	    d);
	for (size_t i = 0; i < nf; i++)
		free(hdr[i]);
	free(hdr);
	if (rc < 0)
		return -1;
	x->ncols = nf;
	*data = (uint64_t)(nx - pt->buf);
	*line = 1 + nl;
	return 0;
}

/* Where part k should begin: just after a line end past offset at. */
static uint64_t
cut(int fd, uint64_t at, uint64_t size)
{
	char b[4096];
	ssize_t n;

	while (at < size) {
		if ((n = pread(fd, b, sizeof(b), (off_t)at)) <= 0)
			return size;
		for (ssize_t i = 0; i < n; i++)
			if (b[i] == '\n')
				return at + (uint64_t)i + 1;
		at += (uint64_t)n;
	}
	return size;
}

static unsigned
cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_PARTS ? MAX_PARTS : (unsigned)n;
}

/* Runs the parts over [data, size); 0, 1 (read it again as one part),
 * or -1 (a read failed). */
static int
run_parts(struct shared *x, struct part *parts, size_t np, uint64_t data,
    uint64_t size)
{
	pthread_t th[MAX_PARTS];
	int started[MAX_PARTS] = { 0 };

	for (size_t i = 0; i < np; i++) {
		memset(&parts[i], 0, sizeof(parts[i]));
		parts[i].x = x;
		parts[i].memo = xcalloc(x->nmemo + 1, sizeof(struct memo));
		parts[i].tvalid = xcalloc(x->nmemo + 1, sizeof(long));
		parts[i].tblank = xcalloc(x->nmemo + 1, sizeof(long));
		parts[i].m = qn_matcher_new();
		parts[i].from = i == 0 ? data : cut(x->fd, data +
		    (size - data) / np * i, size);
	}
	for (size_t i = 0; i < np; i++)
		parts[i].to = i + 1 < np ? parts[i + 1].from : size;
	for (size_t i = 1; i < np; i++)
		started[i] = pthread_create(&th[i], NULL, scan, &parts[i]) == 0;
	scan(&parts[0]);
	for (size_t i = 1; i < np; i++)
		if (started[i])
			pthread_join(th[i], NULL);
		else
			scan(&parts[i]);
	for (size_t i = 0; i < np; i++) {
		if (parts[i].err) {
			errno = parts[i].err;
			return -1;
		}
		if (parts[i].syntax)
			return 1;
		/* A part must stop exactly where the next one began. */
		if (parts[i].end != parts[i].to && parts[i].to != size)
			return 1;
	}
	return 0;
}

int
collect_check_fast(struct qn *q, const char *path, int sep,
    struct qn_tally *t, struct diag *d)
{
	struct part parts[MAX_PARTS], hp;
	struct shared x;
	struct stat sb;
	size_t nf = qn_nfields(q), np;
	size_t *col = xcalloc(nf + 1, sizeof(*col));
	uint64_t data = 0;
	unsigned long line = 1;
	const char *knob;
	int rc = 1;

	memset(&x, 0, sizeof(x));
	memset(&hp, 0, sizeof(hp));
	hp.x = &x;
	x.q = q;
	x.team = -1;
	if (strcmp(path, "-") == 0) {
		free(col);
		return 1;	/* standard input: the ordinary reader */
	}
	if ((x.fd = open(path, O_RDONLY)) < 0) {
		free(col);
		return diag_errno(d, "cannot open '%s'", path);
	}
	if (fstat(x.fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		goto out;		/* a pipe: the ordinary reader */
	if ((rc = header(&x, &hp, path, sep, col, &data, &line, d)) != 0)
		goto out;
	x.fcol = xcalloc(nf + 1, sizeof(*x.fcol));
	x.field = xcalloc(nf + 1, sizeof(*x.field));
	x.text = xcalloc(nf + 1, sizeof(*x.text));
	for (size_t i = 0; i < nf; i++) {
		if (col[i] == SIZE_MAX)
			continue;	/* derived: counted with the team */
		if (strcmp(qn_field_key(q, i), "team") == 0)
			x.team = (long)x.nmemo;
		x.text[x.nmemo] = qn_field_kind(q, i) == QN_TEXT;
		x.fcol[x.nmemo] = col[i];
		x.field[x.nmemo++] = i;
	}
	np = (size_t)(sb.st_size - (off_t)data) / MIN_PART;
	if (np > cores())
		np = cores();
	/* Tests cut small files too (WHC_CHECK_PARTS=N). */
	if ((knob = getenv("WHC_CHECK_PARTS")) != NULL && atoi(knob) > 0)
		np = (size_t)atoi(knob);
	if (np > MAX_PARTS)
		np = MAX_PARTS;
	if (np < 1)
		np = 1;
	rc = run_parts(&x, parts, np, data, (uint64_t)sb.st_size);
	if (rc == 1 && np > 1) {
		/* A cut fell inside a quoted field: read it in one part. */
		for (size_t i = 0; i < np; i++)
			part_release(&parts[i]);
		np = 1;
		rc = run_parts(&x, parts, np, data, (uint64_t)sb.st_size);
	}
	if (rc < 0)
		diag_errno(d, "cannot read '%s'", path);
	if (rc == 0)
		merge(&x, parts, np, path, data, line, (uint64_t)sb.st_size,
		    t, d);
	for (size_t i = 0; i < np; i++)
		part_release(&parts[i]);
	free(x.fcol);
	free(x.field);
	free(x.text);
out:
	part_release(&hp);
	close(x.fd);
	free(col);
	return rc;
}
