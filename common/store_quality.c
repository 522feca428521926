/* SPDX-License-Identifier: MIT */
/*
 * The data-quality ledger and the response reads and writes of
 * re-normalisation (see store_quality.h).  Statements here run a few
 * times per batch, not per response, so each is prepared where it is
 * used; only store_resp_each reads many rows, in chunks.
 */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_int.h"
#include "common/store_quality.h"
#include "common/vec.h"
#include "common/xalloc.h"

#define CHUNK_ROWS	2048

static int
db_err(struct store *st, struct diag *d, const char *what)
{
	return diag_env(d, "cannot %s in database '%s': %s", what, st->path,
	    sqlite3_errmsg(st->db));
}

static int
prepare(struct store *st, const char *sql, sqlite3_stmt **s, struct diag *d)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare a statement");
	return 0;
}

/* Steps a statement that returns no rows, and finalises it. */
static int
done(struct store *st, sqlite3_stmt *s, const char *what, struct diag *d)
{
	int rc = sqlite3_step(s);

	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(st, d, what);
	return 0;
}

int
store_quality_put(struct store *st, int64_t batch_id, int year,
    const struct store_qrow *r, struct diag *d)
{
	sqlite3_stmt *s;

	if (prepare(st, "INSERT INTO quality(batch_id, year, field, kind, "
	    "value, count, line, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "(SELECT ifnull(max(seq), 0) + 1 FROM quality WHERE batch_id = "
	    "?1)) ON CONFLICT(batch_id, field, kind, value) DO UPDATE SET "
	    "count = count + excluded.count, line = CASE WHEN line = 0 OR "
	    "(excluded.line > 0 AND excluded.line < line) THEN excluded.line "
	    "ELSE line END", &s, d) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, batch_id);
	sqlite3_bind_int(s, 2, year);
	sqlite3_bind_text(s, 3, r->field, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, r->value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)r->count);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)r->line);
	return done(st, s, "record data quality", d);
}

/* Runs sql, which binds the batch id as ?1. */
static int
on_batch(struct store *st, const char *sql, int64_t batch_id,
    const char *what, struct diag *d)
{
	sqlite3_stmt *s;

	if (prepare(st, sql, &s, d) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, batch_id);
	return done(st, s, what, d);
}

int
store_quality_reset(struct store *st, int64_t batch_id, struct diag *d)
{
	return on_batch(st, "UPDATE quality SET count = 0 WHERE batch_id = ?1 "
	    "AND kind <> 'duplicate_id'", batch_id, "reset data quality", d);
}

int
store_quality_prune(struct store *st, int64_t batch_id, struct diag *d)
{
	return on_batch(st, "DELETE FROM quality WHERE batch_id = ?1 AND "
	    "count = 0", batch_id, "prune data quality", d);
}

int
store_quality_each(struct store *st, int year_from, int year_to,
    int (*fn)(const struct store_qentry *e, void *arg), void *arg,
    struct diag *d)
{
	struct store_qentry e;
	sqlite3_stmt *s;
	int rc, ret = 0;

	if (prepare(st, "SELECT q.year, q.batch_id, b.origin, b.at, q.field, "
	    "q.kind, q.value, q.count, q.line FROM quality q JOIN batch b ON "
	    "b.id = q.batch_id WHERE q.year BETWEEN ?1 AND ?2 ORDER BY "
	    "q.year, q.batch_id, q.seq", &s, d) < 0)
		return -1;
	sqlite3_bind_int(s, 1, year_from ? year_from : -1000000);
	sqlite3_bind_int(s, 2, year_to ? year_to : 1000000);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		e.year = sqlite3_column_int(s, 0);
		e.batch_id = sqlite3_column_int64(s, 1);
		e.origin = (const char *)sqlite3_column_text(s, 2);
		e.at = (const char *)sqlite3_column_text(s, 3);
		e.r.field = (const char *)sqlite3_column_text(s, 4);
		e.r.kind = (const char *)sqlite3_column_text(s, 5);
		e.r.value = (const char *)sqlite3_column_text(s, 6);
		e.r.count = (unsigned long)sqlite3_column_int64(s, 7);
		e.r.line = (unsigned long)sqlite3_column_int64(s, 8);
		if ((ret = fn(&e, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_err(st, d, "read the data-quality ledger");
	sqlite3_finalize(s);
	return ret;
}

/* Runs sql (binding ?1, ?2 as ints) and calls fn with column 0 of each
 * row. */
static int
each_id(struct store *st, const char *sql, int64_t a, int64_t b,
    int (*fn)(int64_t id, void *arg), void *arg, struct diag *d)
{
	sqlite3_stmt *s;
	int64_t *ids = NULL;
	size_t n = 0, alloc = 0;
	int rc, ret = 0;

	if (prepare(st, sql, &s, d) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		VEC_GROW(ids, n + 1, alloc);
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return db_err(st, d, "list batches");
	}
	/* fn may write: the statement is finished before it runs. */
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = fn(ids[i], arg);
	free(ids);
	return ret;
}

int
store_quality_stale(struct store *st, int64_t source_id, int64_t except,
    int (*fn)(int64_t batch_id, void *arg), void *arg, struct diag *d)
{
	return each_id(st, "SELECT q.batch_id FROM quality q LEFT JOIN "
	    "(SELECT batch_id, count(*) AS n FROM response WHERE source_id = "
	    "?1 GROUP BY batch_id) r ON r.batch_id = q.batch_id WHERE "
	    "q.kind = 'responses' AND q.batch_id <> ?2 AND q.batch_id IN "
	    "(SELECT id FROM batch WHERE source_id = ?1) AND q.count <> "
	    "ifnull(r.n, 0) ORDER BY q.batch_id", source_id, except, fn, arg,
	    d);
}

/* One response read ahead of the caller (see store_resp_each). */
struct held {
	struct store_rrow r;
	char		*rid;
	char		*raw;
	int32_t		*norm;
};

static void
unpack(const unsigned char *p, size_t n, int32_t *v)
{
	for (size_t i = 0; i < n; i++, p += 4)
		v[i] = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

int
store_resp_each(struct store *st, const struct store_rfilter *f,
    int (*fn)(const struct store_rrow *r, void *arg), void *arg,
    struct diag *d)
{
	struct held *h = xcalloc(CHUNK_ROWS, sizeof(*h));
	sqlite3_int64 last = 0;
	sqlite3_stmt *s;
	size_t n;
	int rc, ret = 0;

	if (prepare(st, "SELECT id, source_id, batch_id, qn_id, year, rid, "
	    "raw, norm FROM response WHERE id > ?1 AND year BETWEEN ?2 AND ?3 "
	    "AND (?4 = 0 OR source_id = ?4) AND (?5 = 0 OR batch_id = ?5) "
	    "ORDER BY id LIMIT ?6", &s, d) < 0) {
		free(h);
		return -1;
	}
	do {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, last);
		sqlite3_bind_int(s, 2, f->year_from ? f->year_from : -1000000);
		sqlite3_bind_int(s, 3, f->year_to ? f->year_to : 1000000);
		sqlite3_bind_int64(s, 4, f->source_id);
		sqlite3_bind_int64(s, 5, f->batch_id);
		sqlite3_bind_int(s, 6, CHUNK_ROWS);
		for (n = 0; (rc = sqlite3_step(s)) == SQLITE_ROW; n++) {
			struct held *x = &h[n];
			size_t nb = (size_t)sqlite3_column_bytes(s, 7);

			x->r.id = last = sqlite3_column_int64(s, 0);
			x->r.source_id = sqlite3_column_int64(s, 1);
			x->r.batch_id = sqlite3_column_int64(s, 2);
			x->r.qn_id = sqlite3_column_int64(s, 3);
			x->r.year = sqlite3_column_int(s, 4);
			x->rid = xstrdup((const char *)sqlite3_column_text(s,
			    5));
			x->raw = xstrdup((const char *)sqlite3_column_text(s,
			    6));
			x->r.nnorm = nb / 4;
			x->norm = xcalloc(x->r.nnorm + 1, sizeof(int32_t));
			unpack(sqlite3_column_blob(s, 7), x->r.nnorm, x->norm);
			x->r.rid = x->rid;
			x->r.raw = x->raw;
			x->r.norm = x->norm;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			ret = db_err(st, d, "read responses");
		for (size_t i = 0; i < n; i++) {
			if (ret == 0)
				ret = fn(&h[i].r, arg);
			free(h[i].rid);
			free(h[i].raw);
			free(h[i].norm);
		}
	} while (ret == 0 && n == CHUNK_ROWS);
	sqlite3_finalize(s);
	free(h);
	return ret;
}

int
store_resp_renorm(struct store *st, int64_t id, int64_t qn_id,
    const int32_t *norm, size_t nnorm, struct diag *d)
{
	struct buf *b = &st->blob;
	sqlite3_stmt *s;

	buf_reset(b);
	for (size_t i = 0; i < nnorm; i++) {
		uint32_t u = (uint32_t)norm[i];
		unsigned char le[4] = { (unsigned char)u,
		    (unsigned char)(u >> 8), (unsigned char)(u >> 16),
		    (unsigned char)(u >> 24) };

		buf_add(b, le, 4);
	}
	if (prepare(st, "UPDATE response SET qn_id = ?2, norm = ?3 WHERE "
	    "id = ?1", &s, d) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, qn_id);
	sqlite3_bind_blob(s, 3, b->data, (int)b->len, SQLITE_STATIC);
	return done(st, s, "update a response", d);
}

int
store_batch_get(struct store *st, int64_t batch_id, char **columns,
    char **origin, char **kind, int64_t *source_id, struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st, "SELECT columns, origin, source_id, kind FROM batch "
	    "WHERE id = ?1", &s, d) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, batch_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*columns = xstrdup((const char *)sqlite3_column_text(s, 0));
		*origin = xstrdup((const char *)sqlite3_column_text(s, 1));
		*source_id = sqlite3_column_int64(s, 2);
		*kind = xstrdup((const char *)sqlite3_column_text(s, 3));
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return diag_env(d, "cannot find batch %lld in database '%s'",
		    (long long)batch_id, st->path);
	if (rc != SQLITE_ROW)
		return db_err(st, d, "read a batch");
	return 0;
}

int
store_qn_get(struct store *st, int64_t qn_id, char **name, int *year,
    char **body, struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st, "SELECT name, year, body FROM questionnaire WHERE "
	    "id = ?1", &s, d) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, qn_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*name = xstrdup((const char *)sqlite3_column_text(s, 0));
		*year = sqlite3_column_int(s, 1);
		*body = xstrdup((const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return diag_env(d, "cannot find questionnaire version %lld in "
		    "database '%s'", (long long)qn_id, st->path);
	if (rc != SQLITE_ROW)
		return db_err(st, d, "read a questionnaire");
	return 0;
}
