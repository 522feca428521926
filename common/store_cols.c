/* SPDX-License-Identifier: MIT */
/*
 * The columnar cache of the stored responses (see store_cols.h).
 *
 * A chunk of one field is a blob: the base (int32, little-endian), the
 * width w (0, 1, 2 or 4), then nrows values of w bytes, each the code
 * minus the base (w == 0: every value is the base, as the year of a
 * chunk usually is).  The stamp (store_gen.gen, max(response.rowid),
 * FORMAT) says what the cache was built from; a scan compares it with
 * the store's before trusting the cache.
 */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_cols.h"
#include "common/store_int.h"
#include "common/vec.h"
#include "common/xalloc.h"

#define FORMAT		2	/* bump when the blob layout changes */
#define MMAP_SIZE	"1073741824"	/* read the cache through mmap */
#define YEAR_FIELD	(-1)

struct stamp {
	sqlite3_int64	 gen, maxrow, format;
};

/* One version's chunk being filled from the rows. */
struct vbuild {
	int64_t		 qn_id;
	size_t		 nf;		/* fields of the version */
	size_t		 n;		/* rows in the chunk so far */
	long		 chunk;		/* number of the chunk being filled */
	int32_t		*year;		/* STORE_COLS_CHUNK of them */
	int32_t		*vals;		/* nf columns of STORE_COLS_CHUNK */
};

struct builder {
	struct store	*st;
	struct diag	*d;
	struct vbuild	*v;
	size_t		 nv, av;
	/* Writing the cache ... */
	sqlite3_stmt	*ins;
	struct buf	 blob;
	/* ... or handing chunks to a scan. */
	int		 year_from, year_to;
	const struct store_cols_want *want;
	size_t		 nwant;
	int		(*fn)(const struct store_chunk *, void *);
	void		*arg;
	const int32_t	**colp;
	size_t		 acolp;
};

static int
db_err(struct store *st, struct diag *d, const char *what)
{
	return diag_env(d, "cannot %s in database '%s': %s", what,
	    store_path(st), sqlite3_errmsg(st->db));
}

static int
read_stamp(struct store *st, const char *sql, struct stamp *s, int *found,
    struct diag *d)
{
	sqlite3_stmt *q;
	int rc;

	*found = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare reading the cache stamp");
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		s->gen = sqlite3_column_int64(q, 0);
		s->maxrow = sqlite3_column_int64(q, 1);
		s->format = sqlite3_column_int64(q, 2);
		*found = 1;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(st, d, "read the cache stamp");
	return 0;
}

/* Sets *fresh when the cache matches the responses stored now. */
static int
cache_fresh(struct store *st, int *fresh, struct stamp *now, struct diag *d)
{
	struct stamp have;
	int found, found2;

	*fresh = 0;
	if (read_stamp(st, "SELECT (SELECT gen FROM store_gen WHERE id = 1),"
	    " (SELECT ifnull(max(rowid), 0) FROM response), ?", now, &found,
	    d) < 0 ||
	    read_stamp(st, "SELECT gen, maxrow, format FROM colcache_stamp "
	    "WHERE id = 1", &have, &found2, d) < 0)
		return -1;
	now->format = FORMAT;
	*fresh = found2 && have.gen == now->gen && have.maxrow ==
	    now->maxrow && have.format == FORMAT;
	return 0;
}

static void
put_le32(unsigned char *p, uint32_t u)
{
	p[0] = (unsigned char)u;
	p[1] = (unsigned char)(u >> 8);
	p[2] = (unsigned char)(u >> 16);
	p[3] = (unsigned char)(u >> 24);
}

static uint32_t
get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* Packs n codes into b (see the top of the file). */
static void
pack(struct buf *b, const int32_t *v, size_t n)
{
	int32_t lo = n ? v[0] : 0, hi = lo;
	uint32_t range;
	unsigned char hdr[5], *p;
	unsigned w;

	for (size_t i = 1; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	range = (uint32_t)hi - (uint32_t)lo;
	w = range == 0 ? 0 : range < 0x100 ? 1 : range < 0x10000 ? 2 : 4;
	buf_reset(b);
	put_le32(hdr, (uint32_t)lo);
	hdr[4] = (unsigned char)w;
	buf_add(b, hdr, 5);
	buf_grow(b, n * w);
	p = (unsigned char *)b->data + b->len;
	for (size_t i = 0; i < n; i++) {
		uint32_t u = (uint32_t)v[i] - (uint32_t)lo;

		if (w == 0) {
			break;
		} else if (w == 1) {
			*p++ = (unsigned char)u;
		} else if (w == 2) {
			*p++ = (unsigned char)u;
			*p++ = (unsigned char)(u >> 8);
		} else {
			put_le32(p, u);
			p += 4;
		}
	}
	b->len += n * w;
	b->data[b->len] = '\0';
}

/* Unpacks a chunk blob of n values into v; -1 if it is malformed. */
static int
unpack(const unsigned char *p, size_t len, int32_t *v, size_t n)
{
	uint32_t base;
	unsigned w;

	if (len < 5)
		return -1;
	base = get_le32(p);
	w = p[4];
	p += 5;
	if ((w != 0 && w != 1 && w != 2 && w != 4) || len - 5 != n * w)
		return -1;
	switch (w) {
	case 0:
		for (size_t i = 0; i < n; i++)
			v[i] = (int32_t)base;
		break;
	case 1:
		for (size_t i = 0; i < n; i++)
			v[i] = (int32_t)(base + p[i]);
		break;
	case 2:
		for (size_t i = 0; i < n; i++, p += 2)
			v[i] = (int32_t)(base + ((uint32_t)p[0] |
			    (uint32_t)p[1] << 8));
		break;
	default:
		for (size_t i = 0; i < n; i++, p += 4)
			v[i] = (int32_t)(base + get_le32(p));
		break;
	}
	return 0;
}

static const struct store_cols_want *
want_of(const struct builder *b, int64_t qn_id)
{
	for (size_t i = 0; i < b->nwant; i++)
		if (b->want[i].qn_id == qn_id)
			return &b->want[i];
	return NULL;
}

static int
write_blob(struct builder *b, const struct vbuild *v, long field,
    const int32_t *vals, int ymin, int ymax)
{
	sqlite3_stmt *s = b->ins;

	pack(&b->blob, vals, v->n);
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, v->qn_id);
	sqlite3_bind_int64(s, 2, field);
	sqlite3_bind_int64(s, 3, v->chunk);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)v->n);
	sqlite3_bind_int(s, 5, ymin);
	sqlite3_bind_int(s, 6, ymax);
	sqlite3_bind_blob(s, 7, b->blob.data, (int)b->blob.len,
	    SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return db_err(b->st, b->d, "write the column cache");
	return 0;
}

/* Hands a full (or last) chunk to the cache or to the scan. */
static int
flush(struct builder *b, struct vbuild *v)
{
	const struct store_cols_want *w;
	struct store_chunk c;
	int ymin, ymax, rc = 0;

	if (v->n == 0)
		return 0;
	ymin = ymax = v->year[0];
	for (size_t i = 1; i < v->n; i++) {
		if (v->year[i] < ymin)
			ymin = v->year[i];
		if (v->year[i] > ymax)
			ymax = v->year[i];
	}
	if (b->ins != NULL) {
		rc = write_blob(b, v, YEAR_FIELD, v->year, ymin, ymax);
		for (size_t f = 0; rc == 0 && f < v->nf; f++)
			rc = write_blob(b, v, (long)f, v->vals + f *
			    STORE_COLS_CHUNK, ymin, ymax);
	} else if ((w = want_of(b, v->qn_id)) != NULL &&
	    (!b->year_to || ymin <= b->year_to) &&
	    (!b->year_from || ymax >= b->year_from)) {
		VEC_GROW(b->colp, w->nfields, b->acolp);
		for (size_t i = 0; i < w->nfields; i++)
			b->colp[i] = w->fields[i] >= 0 &&
			    (size_t)w->fields[i] < v->nf ? v->vals +
			    (size_t)w->fields[i] * STORE_COLS_CHUNK : NULL;
		c.qn_id = v->qn_id;
		c.nrows = v->n;
		c.year = v->year;
		c.col = b->colp;
		rc = b->fn(&c, b->arg);
	}
	v->n = 0;
	v->chunk++;
	return rc;
}

static struct vbuild *
vbuild_of(struct builder *b, int64_t qn_id, size_t nf)
{
	struct vbuild *v;

	for (size_t i = 0; i < b->nv; i++)
		if (b->v[i].qn_id == qn_id)
			return &b->v[i];
	VEC_GROW(b->v, b->nv + 1, b->av);
	v = &b->v[b->nv++];
	memset(v, 0, sizeof(*v));
	v->qn_id = qn_id;
	v->nf = nf;
	v->year = xcalloc(STORE_COLS_CHUNK, sizeof(*v->year));
	v->vals = xcalloc(STORE_COLS_CHUNK * (nf ? nf : 1),
	    sizeof(*v->vals));
	return v;
}

/* One pass over the response rows, in rowid order, into chunks. */
static int
build(struct builder *b)
{
	struct store *st = b->st;
	sqlite3_stmt *s;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT qn_id, year, norm FROM "
	    "response ORDER BY rowid", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, b->d, "prepare a scan");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t qn_id = sqlite3_column_int64(s, 0);
		const unsigned char *p = sqlite3_column_blob(s, 2);
		size_t n = (size_t)sqlite3_column_bytes(s, 2) / 4;
		struct vbuild *v = vbuild_of(b, qn_id, n);

		for (size_t f = 0; f < v->nf; f++)
			v->vals[f * STORE_COLS_CHUNK + v->n] = f < n ?
			    (int32_t)get_le32(p + 4 * f) : 0;
		v->year[v->n++] = sqlite3_column_int(s, 1);
		if (v->n == STORE_COLS_CHUNK && (ret = flush(b, v)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_err(st, b->d, "scan responses");
	sqlite3_finalize(s);
	for (size_t i = 0; ret == 0 && i < b->nv; i++)
		ret = flush(b, &b->v[i]);
	return ret;
}

static void
builder_release(struct builder *b)
{
	for (size_t i = 0; i < b->nv; i++) {
		free(b->v[i].year);
		free(b->v[i].vals);
	}
	free(b->v);
	free(b->colp);
	buf_release(&b->blob);
	if (b->ins != NULL)
		sqlite3_finalize(b->ins);
}

int
store_cols_refresh(struct store *st, int *built, struct diag *d)
{
	struct builder b;
	struct stamp now;
	sqlite3_stmt *s;
	int fresh, rc;

	*built = 0;
	if (store_begin(st, d) < 0)
		return -1;
	/* Checked again inside the transaction: another process may have
	 * built it while we waited for the lock. */
	if (cache_fresh(st, &fresh, &now, d) < 0)
		goto fail;
	if (fresh)
		return store_commit(st, d);
	memset(&b, 0, sizeof(b));
	b.st = st;
	b.d = d;
	if (sqlite3_exec(st->db, "DELETE FROM colcache", NULL, NULL,
	    NULL) != SQLITE_OK) {
		db_err(st, d, "clear the column cache");
		goto fail;
	}
	if (sqlite3_prepare_v2(st->db, "INSERT INTO colcache(qn_id, field, "
	    "chunk, nrows, year_min, year_max, data) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7)", -1, &b.ins, NULL) != SQLITE_OK) {
		db_err(st, d, "prepare writing the column cache");
		goto fail;
	}
	rc = build(&b);
	builder_release(&b);
	if (rc != 0)
		goto fail;
	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO colcache_stamp"
	    "(id, gen, maxrow, format) VALUES (1, ?1, ?2, ?3)", -1, &s,
	    NULL) != SQLITE_OK) {
		db_err(st, d, "prepare stamping the column cache");
		goto fail;
	}
	sqlite3_bind_int64(s, 1, now.gen);
	sqlite3_bind_int64(s, 2, now.maxrow);
	sqlite3_bind_int64(s, 3, now.format);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		db_err(st, d, "stamp the column cache");
		goto fail;
	}
	*built = 1;
	return store_commit(st, d);
fail:
	store_rollback(st);
	return -1;
}

/* Reads one chunk blob of n values into v. */
static int
read_chunk(struct store *st, sqlite3_stmt *s, int64_t qn_id, long field,
    long chunk, int32_t *v, size_t n, struct diag *d)
{
	int rc;

	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, qn_id);
	sqlite3_bind_int64(s, 2, field);
	sqlite3_bind_int64(s, 3, chunk);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			return diag_env(d, "cannot read database '%s': the "
			    "column cache lacks field %ld of chunk %ld",
			    store_path(st), field, chunk);
		return db_err(st, d, "read the column cache");
	}
	if (unpack(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s,
	    0), v, n) < 0)
		return diag_env(d, "cannot read database '%s': a column cache "
		    "chunk is malformed", store_path(st));
	return 0;
}

/* The scan of one version from the cache. */
static int
scan_cached(struct store *st, const struct store_cols_want *w, int year_from,
    int year_to, sqlite3_stmt *list, sqlite3_stmt *get,
    int (*fn)(const struct store_chunk *, void *), void *arg,
    struct diag *d)
{
	int32_t *year = xcalloc(STORE_COLS_CHUNK, sizeof(*year));
	int32_t *vals = xcalloc(STORE_COLS_CHUNK * (w->nfields ?
	    w->nfields : 1), sizeof(*vals));
	const int32_t **colp = xcalloc(w->nfields ? w->nfields : 1,
	    sizeof(*colp));
	struct store_chunk c;
	int rc, ret = 0;

	sqlite3_reset(list);
	sqlite3_bind_int64(list, 1, w->qn_id);
	sqlite3_bind_int(list, 2, year_from ? year_from : -1000000);
	sqlite3_bind_int(list, 3, year_to ? year_to : 1000000);
	while (ret == 0 && (rc = sqlite3_step(list)) == SQLITE_ROW) {
		long chunk = (long)sqlite3_column_int64(list, 0);
		size_t n = (size_t)sqlite3_column_int64(list, 1);
		long nf = (long)sqlite3_column_int64(list, 2);

		if (n > STORE_COLS_CHUNK ||
		    unpack(sqlite3_column_blob(list, 3),
		    (size_t)sqlite3_column_bytes(list, 3), year, n) < 0) {
			ret = diag_env(d, "cannot read database '%s': a column "
			    "cache chunk is malformed", store_path(st));
			break;
		}
		for (size_t i = 0; ret == 0 && i < w->nfields; i++) {
			colp[i] = NULL;
			if (w->fields[i] < 0 || w->fields[i] >= nf)
				continue;
			ret = read_chunk(st, get, w->qn_id, w->fields[i], chunk,
			    vals + i * STORE_COLS_CHUNK, n, d);
			colp[i] = vals + i * STORE_COLS_CHUNK;
		}
		if (ret != 0)
			break;
		c.qn_id = w->qn_id;
		c.nrows = n;
		c.year = year;
		c.col = colp;
		ret = fn(&c, arg);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_err(st, d, "read the column cache");
	free(year);
	free(vals);
	free(colp);
	return ret;
}

int
store_cols_scan(struct store *st, int year_from, int year_to,
    const struct store_cols_want *want, size_t nwant,
    int (*fn)(const struct store_chunk *c, void *arg), void *arg,
    struct diag *d)
{
	sqlite3_stmt *list = NULL, *get = NULL;
	struct stamp now;
	struct builder b;
	int fresh = 0, built, ret = 0, tx = 0;

	if (cache_fresh(st, &fresh, &now, d) < 0)
		return -1;
	if (!fresh && (st->flags & STORE_RW) && !st->in_tx &&
	    store_cols_refresh(st, &built, d) < 0)
		return -1;
	/* Pages through mmap rather than a read() each: the cache is read
	 * once, front to back.  (A no-op where SQLite cannot map.) */
	sqlite3_exec(st->db, "PRAGMA mmap_size = " MMAP_SIZE, NULL, NULL,
	    NULL);
	/* One read transaction: a snapshot, whatever other writers do. */
	if (!st->in_tx) {
		if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) !=
		    SQLITE_OK)
			return db_err(st, d, "start reading");
		tx = 1;
	}
	if (cache_fresh(st, &fresh, &now, d) < 0) {
		ret = -1;
		goto out;
	}
	if (!fresh) {
		/* Read-only and stale: the rows themselves. */
		memset(&b, 0, sizeof(b));
		b.st = st;
		b.d = d;
		b.year_from = year_from;
		b.year_to = year_to;
		b.want = want;
		b.nwant = nwant;
		b.fn = fn;
		b.arg = arg;
		ret = build(&b);
		builder_release(&b);
		goto out;
	}
	/* The number of fields of a version is that of its chunk 0. */
	if (sqlite3_prepare_v2(st->db, "SELECT y.chunk, y.nrows, (SELECT "
	    "count(*) FROM colcache f WHERE f.qn_id = y.qn_id AND f.chunk = "
	    "y.chunk AND f.field >= 0), y.data FROM colcache y WHERE "
	    "y.qn_id = ?1 AND y.field = -1 AND y.year_max >= ?2 AND "
	    "y.year_min <= ?3 ORDER BY y.chunk", -1, &list, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, "SELECT data FROM colcache WHERE "
	    "qn_id = ?1 AND field = ?2 AND chunk = ?3", -1, &get, NULL) !=
	    SQLITE_OK)
		ret = db_err(st, d, "prepare reading the column cache");
	for (size_t i = 0; ret == 0 && i < nwant; i++)
		ret = scan_cached(st, &want[i], year_from, year_to, list, get,
		    fn, arg, d);
	sqlite3_finalize(list);
	sqlite3_finalize(get);
out:
	if (tx)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	return ret;
}

int
store_cols_versions(struct store *st, int year_from, int year_to,
    int (*fn)(const struct store_qn *q, void *arg), void *arg,
    struct diag *d)
{
	struct stamp now;
	struct store_qn q;
	sqlite3_stmt *s;
	int fresh, built, rc, ret = 0;

	if (cache_fresh(st, &fresh, &now, d) < 0)
		return -1;
	if (!fresh && (st->flags & STORE_RW) && !st->in_tx) {
		if (store_cols_refresh(st, &built, d) < 0)
			return -1;
		fresh = 1;
	}
	if (!fresh)
		return store_qn_each(st, year_from, year_to, fn, arg, d);
	if (sqlite3_prepare_v2(st->db, "SELECT id, name, year, body FROM "
	    "questionnaire WHERE id IN (SELECT qn_id FROM colcache WHERE "
	    "field = -1 AND year_max >= ?1 AND year_min <= ?2) ORDER BY "
	    "year, id", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare listing questionnaires");
	sqlite3_bind_int(s, 1, year_from ? year_from : -1000000);
	sqlite3_bind_int(s, 2, year_to ? year_to : 1000000);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		q.id = sqlite3_column_int64(s, 0);
		q.name = (const char *)sqlite3_column_text(s, 1);
		q.year = sqlite3_column_int(s, 2);
		q.body = (const char *)sqlite3_column_text(s, 3);
		if ((ret = fn(&q, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_err(st, d, "list questionnaires");
	sqlite3_finalize(s);
	return ret;
}
