/* SPDX-License-Identifier: MIT */
/*
 * The SQLite store (see store.h).  Opens with WAL and foreign keys, runs the
 * schema migrations in one transaction, and keeps the statements of the hot
 * paths (putting responses, interning values) prepared for the life of the
 * handle; every other statement is finalised where it is prepared.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_int.h"
#include "common/xalloc.h"

static const char *const stmt_sql[ST_NSTMT] = {
	[ST_RESP_PUT] =
	    "INSERT INTO response(source_id, rid, year, qn_id, modified,"
	    " batch_id, raw, norm) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT(source_id, rid) DO UPDATE SET year = excluded.year,"
	    " qn_id = excluded.qn_id, modified = excluded.modified,"
	    " batch_id = excluded.batch_id, raw = excluded.raw,"
	    " norm = excluded.norm"
	    " WHERE excluded.modified > response.modified"
	    " OR (excluded.modified = response.modified"
	    "  AND (excluded.raw IS NOT response.raw"
	    "   OR excluded.qn_id IS NOT response.qn_id))",
	[ST_DIMVAL_GET] = "SELECT id FROM dimval WHERE dim = ?1 AND value = ?2",
	[ST_DIMVAL_ADD] = "INSERT INTO dimval(dim, value) VALUES (?1, ?2)",
};

static int
db_err(struct store *st, struct diag *d, const char *what)
{
	return diag_env(d, "cannot %s in database '%s': %s", what, st->path,
	    sqlite3_errmsg(st->db));
}

static int
exec(struct store *st, const char *sql, const char *what, struct diag *d)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_err(st, d, what);
	return 0;
}

static int
user_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

int
store_schema_version(struct store *st)
{
	return user_version(st);
}

static int
migrate(struct store *st, struct diag *d)
{
	int v = user_version(st);
	char pragma[64];

	if (v < 0)
		return db_err(st, d, "read the schema version");
	if (v > store_nmigrations)
		return diag_env(d, "cannot use database '%s': schema version "
		    "%d is newer than this whc knows (%d); upgrade whc",
		    st->path, v, store_nmigrations);
	if (v == store_nmigrations)
		return 0;
	if (!(st->flags & STORE_RW))
		return diag_env(d, "cannot read database '%s': schema version "
		    "%d needs upgrading; run a writing command first", st->path,
		    v);
	if (exec(st, "BEGIN IMMEDIATE", "start the schema upgrade", d) < 0)
		return -1;
	for (; v < store_nmigrations; v++) {
		if (exec(st, store_migrations[v], "upgrade the schema", d) < 0)
			goto fail;
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
	if (exec(st, pragma, "record the schema version", d) < 0 ||
	    exec(st, "COMMIT", "commit the schema upgrade", d) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

struct store *
store_open(const char *path, unsigned flags, struct diag *d)
{
	struct store *st = xcalloc(1, sizeof(*st));
	int oflags;
	struct stat sb;

	st->path = xstrdup(path);
	st->flags = flags;
	buf_init(&st->blob, 0);
	if ((flags & STORE_RW) && !(flags & STORE_EXISTING)) {
		oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	} else {
		if (stat(path, &sb) < 0) {
			if (errno == ENOENT)
				diag_env(d, "cannot open database '%s': no such "
				    "file (load data with 'whc import' first)",
				    path);
			else
				diag_errno(d, "cannot open database '%s'", path);
			goto fail;
		}
		oflags = flags & STORE_RW ? SQLITE_OPEN_READWRITE :
		    SQLITE_OPEN_READONLY;
	}
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		diag_env(d, "cannot open database '%s': %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 10000);
	sqlite3_extended_result_codes(st->db, 1);
	if (exec(st, "PRAGMA foreign_keys = ON", "enable foreign keys", d) < 0)
		goto fail;
	/* Reading the schema version is the first real read: a file that is
	 * not a database fails here with SQLite's own message. */
	if (user_version(st) < 0) {
		db_err(st, d, "read the schema");
		goto fail;
	}
	if (flags & STORE_RW) {
		/* A 16 MiB page cache keeps a large import from spilling
		 * pages to the WAL before it commits. */
		if (exec(st, "PRAGMA journal_mode = WAL", "enable WAL", d) < 0 ||
		    exec(st, "PRAGMA cache_size = -16384", "set the cache size",
		    d) < 0 ||
		    exec(st, "PRAGMA synchronous = FULL", "set synchronous",
		    d) < 0)
			goto fail;
	}
	if (migrate(st, d) < 0)
		goto fail;
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < ST_NSTMT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->in_tx)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(st->db);
	buf_release(&st->blob);
	free(st->path);
	free(st);
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

static sqlite3_stmt *
stmt(struct store *st, enum store_stmt which, struct diag *d)
{
	if (st->stmt[which] == NULL &&
	    sqlite3_prepare_v3(st->db, stmt_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &st->stmt[which], NULL) != SQLITE_OK) {
		db_err(st, d, "prepare a statement");
		return NULL;
	}
	sqlite3_reset(st->stmt[which]);
	sqlite3_clear_bindings(st->stmt[which]);
	return st->stmt[which];
}

int
store_begin(struct store *st, struct diag *d)
{
	if (st->in_tx)
		BUG("nested store_begin");
	if (exec(st, "BEGIN IMMEDIATE", "start a transaction", d) < 0)
		return -1;
	st->in_tx = 1;
	return 0;
}

int
store_commit(struct store *st, struct diag *d)
{
	if (!st->in_tx)
		BUG("store_commit outside a transaction");
	if (exec(st, "COMMIT", "commit", d) < 0) {
		store_rollback(st);
		return -1;
	}
	st->in_tx = 0;
	return 0;
}

void
store_rollback(struct store *st)
{
	if (!st->in_tx)
		return;
	for (int i = 0; i < ST_NSTMT; i++)
		if (st->stmt[i] != NULL)
			sqlite3_reset(st->stmt[i]);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

/* Runs a one-row lookup that binds text ?1..?n and reads an int64. */
static int
lookup_id(struct store *st, const char *sql, const char *const *args,
    int nargs, int64_t *id, int *found, struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	*found = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare a lookup");
	for (int i = 0; i < nargs; i++)
		sqlite3_bind_text(s, i + 1, args[i], -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*found = 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(st, d, "look up a row");
	return 0;
}

int
store_source_id(struct store *st, const char *name, const char *provider,
    int64_t *id, struct diag *d)
{
	const char *args[] = { name, provider };
	sqlite3_stmt *s;
	int found;

	if (lookup_id(st, "SELECT id FROM source WHERE name = ?1", args, 1,
	    id, &found, d) < 0)
		return -1;
	if (found)
		return 0;
	if (sqlite3_prepare_v2(st->db,
	    "INSERT INTO source(name, provider) VALUES (?1, ?2)", -1, &s,
	    NULL) != SQLITE_OK)
		return db_err(st, d, "prepare adding a source");
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, provider, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		return db_err(st, d, "add a source");
	}
	sqlite3_finalize(s);
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_qn_put(struct store *st, const char *name, int year, const char *sha,
    const char *body, int64_t *id, struct diag *d)
{
	const char *args[] = { sha };
	sqlite3_stmt *s;
	int found;

	if (lookup_id(st, "SELECT id FROM questionnaire WHERE sha256 = ?1",
	    args, 1, id, &found, d) < 0)
		return -1;
	if (found)
		return 0;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO questionnaire(name, year,"
	    " sha256, body) VALUES (?1, ?2, ?3, ?4)", -1, &s, NULL) !=
	    SQLITE_OK)
		return db_err(st, d, "prepare adding a questionnaire");
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, year);
	sqlite3_bind_text(s, 3, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, body, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		return db_err(st, d, "add a questionnaire");
	}
	sqlite3_finalize(s);
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_qn_each(struct store *st, int year_from, int year_to,
    int (*fn)(const struct store_qn *q, void *arg), void *arg,
    struct diag *d)
{
	sqlite3_stmt *s;
	struct store_qn q;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT id, name, year, body FROM "
	    "questionnaire WHERE id IN (SELECT DISTINCT qn_id FROM response "
	    "WHERE year BETWEEN ?1 AND ?2) ORDER BY year, id", -1, &s,
	    NULL) != SQLITE_OK)
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

int
store_batch_seen(struct store *st, int64_t source_id, const char *sha,
    int *found, struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	*found = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM batch WHERE source_id "
	    "= ?1 AND sha256 = ?2", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare a batch lookup");
	sqlite3_bind_int64(s, 1, source_id);
	sqlite3_bind_text(s, 2, sha, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(st, d, "look up a batch");
	return 0;
}

int
store_batch_add(struct store *st, const struct store_batch *b, int64_t *id,
    struct diag *d)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, "INSERT INTO batch(source_id, kind, "
	    "origin, sha256, columns, rows, changed) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare adding a batch");
	sqlite3_bind_int64(s, 1, b->source_id);
	sqlite3_bind_text(s, 2, b->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, b->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, b->sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, b->columns, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)b->rows);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)b->changed);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		return db_err(st, d, "add a batch");
	}
	sqlite3_finalize(s);
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_batch_done(struct store *st, int64_t id, const char *sha,
    unsigned long rows, unsigned long changed, struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "UPDATE batch SET rows = ?2, "
	    "changed = ?3, sha256 = ?4 WHERE id = ?1", -1, &s, NULL) !=
	    SQLITE_OK)
		return db_err(st, d, "prepare updating a batch");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)rows);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)changed);
	sqlite3_bind_text(s, 4, sha, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(st, d, "update a batch");
	return 0;
}

int
store_dimval_id(struct store *st, const char *dim, const char *value,
    int64_t *id, struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = stmt(st, ST_DIMVAL_GET, d)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, dim, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(st, d, "look up a value");
	if ((s = stmt(st, ST_DIMVAL_ADD, d)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, dim, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(st, d, "add a value");
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_dimval_each(struct store *st, const char *dim,
    int (*fn)(int64_t id, const char *value, void *arg), void *arg,
    struct diag *d)
{
	sqlite3_stmt *s;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT id, value FROM dimval WHERE "
	    "dim = ?1", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare listing values");
	sqlite3_bind_text(s, 1, dim, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((ret = fn(sqlite3_column_int64(s, 0),
		    (const char *)sqlite3_column_text(s, 1), arg)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_err(st, d, "list values");
	sqlite3_finalize(s);
	return ret;
}

/* The normalised codes are stored as little-endian int32s. */
static void
pack(struct buf *b, const int32_t *v, size_t n)
{
	buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		uint32_t u = (uint32_t)v[i];
		unsigned char le[4] = { (unsigned char)u,
		    (unsigned char)(u >> 8), (unsigned char)(u >> 16),
		    (unsigned char)(u >> 24) };

		buf_add(b, le, 4);
	}
}

int
store_resp_put(struct store *st, const struct store_resp *r, int *changed,
    struct diag *d)
{
	struct buf *blob = &st->blob;
	sqlite3_stmt *s;

	if ((s = stmt(st, ST_RESP_PUT, d)) == NULL)
		return -1;
	pack(blob, r->norm, r->nnorm);
	sqlite3_bind_int64(s, 1, r->source_id);
	sqlite3_bind_text(s, 2, r->rid, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, r->year);
	sqlite3_bind_int64(s, 4, r->qn_id);
	sqlite3_bind_text(s, 5, r->modified, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, r->batch_id);
	sqlite3_bind_text(s, 7, r->raw, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 8, blob->data, (int)blob->len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_reset(s);
		return db_err(st, d, "store a response");
	}
	*changed = sqlite3_changes(st->db) > 0;
	sqlite3_reset(s);
	return 0;
}

static int
one_int(struct store *st, const char *sql, sqlite3_int64 *a,
    sqlite3_int64 *b, struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare a query");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*a = sqlite3_column_int64(s, 0);
		if (b != NULL)
			*b = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return db_err(st, d, "run a query");
	return 0;
}

int
store_resp_count(struct store *st, unsigned long *n, struct diag *d)
{
	sqlite3_int64 v = 0;

	if (one_int(st, "SELECT count(*) FROM response", &v, NULL, d) < 0)
		return -1;
	*n = (unsigned long)v;
	return 0;
}

int
store_year_range(struct store *st, int *from, int *to, struct diag *d)
{
	sqlite3_int64 a = 0, b = 0;

	if (one_int(st, "SELECT ifnull(min(year), 0), ifnull(max(year), 0) "
	    "FROM response", &a, &b, d) < 0)
		return -1;
	*from = (int)a;
	*to = (int)b;
	return 0;
}

int
store_resp_scan(struct store *st, int year_from, int year_to,
    int (*fn)(int year, int64_t qn_id, const int32_t *norm, size_t nnorm,
    void *arg), void *arg, struct diag *d)
{
	sqlite3_stmt *s;
	int32_t *v = NULL;
	size_t cap = 0, n;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT year, qn_id, norm FROM "
	    "response WHERE year BETWEEN ?1 AND ?2", -1, &s, NULL) !=
	    SQLITE_OK)
		return db_err(st, d, "prepare a scan");
	sqlite3_bind_int(s, 1, year_from ? year_from : -1000000);
	sqlite3_bind_int(s, 2, year_to ? year_to : 1000000);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(s, 2);

		n = (size_t)sqlite3_column_bytes(s, 2) / 4;
		if (n > cap) {
			cap = n;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		for (size_t i = 0; i < n; i++, p += 4)
			v[i] = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		if ((ret = fn(sqlite3_column_int(s, 0),
		    sqlite3_column_int64(s, 1), v, n, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_err(st, d, "scan responses");
	sqlite3_finalize(s);
	free(v);
	return ret;
}
