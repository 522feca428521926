/* SPDX-License-Identifier: MIT */
/*
 * The release ledger's tables (see store_release.h).  A row's values are
 * kept as a blob of little-endian int64s.
 */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "common/store_int.h"
#include "common/store_release.h"
#include "common/xalloc.h"

static int
db_err(struct store *st, struct diag *d, const char *what)
{
	return diag_env(d, "cannot %s in database '%s': %s", what,
	    store_path(st), sqlite3_errmsg(st->db));
}

static void
pack64(struct buf *b, const int64_t *v, size_t n)
{
	buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		uint64_t u = (uint64_t)v[i];
		unsigned char le[8];

		for (int j = 0; j < 8; j++)
			le[j] = (unsigned char)(u >> (8 * j));
		buf_add(b, le, 8);
	}
}

static int
add_rows(struct store *st, int64_t id, const struct store_release_row *rows,
    size_t nrows, struct diag *d)
{
	struct buf blob = BUF_INIT;
	sqlite3_stmt *s;
	int ret = 0;

	if (sqlite3_prepare_v2(st->db, "INSERT INTO release_row(release_id, "
	    "row, key, label, year_from, year_to, vals) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7)", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare recording a release");
	for (size_t i = 0; i < nrows && ret == 0; i++) {
		const struct store_release_row *r = &rows[i];

		pack64(&blob, r->vals, r->nvals);
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		sqlite3_bind_text(s, 3, r->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, r->label, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 5, r->year_from);
		sqlite3_bind_int(s, 6, r->year_to);
		sqlite3_bind_blob(s, 7, blob.data, (int)blob.len,
		    SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			ret = db_err(st, d, "record a release");
	}
	sqlite3_finalize(s);
	buf_release(&blob);
	return ret;
}

int
store_release_add(struct store *st, const struct store_release *r,
    const struct store_release_row *rows, size_t nrows, int64_t *id,
    struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	if (store_begin(st, d) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO release(command, note, "
	    "item, kind, year_from, year_to, by, filter, groups, options, k, "
	    "population, shown, withheld) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	    " ?8, ?9, ?10, ?11, ?12, ?13, ?14)", -1, &s, NULL) != SQLITE_OK) {
		db_err(st, d, "prepare recording a release");
		goto fail;
	}
	sqlite3_bind_text(s, 1, r->command, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->note ? r->note : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->item, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, r->year_from);
	sqlite3_bind_int(s, 6, r->year_to);
	sqlite3_bind_text(s, 7, r->by, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, r->filter ? r->filter : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 9, r->groups, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, r->options, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 11, r->k);
	sqlite3_bind_text(s, 12, r->population, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 13, (sqlite3_int64)r->shown);
	sqlite3_bind_int64(s, 14, (sqlite3_int64)r->withheld);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		db_err(st, d, "record a release");
		goto fail;
	}
	*id = sqlite3_last_insert_rowid(st->db);
	if (add_rows(st, *id, rows, nrows, d) < 0)
		goto fail;
	return store_commit(st, d);
fail:
	store_rollback(st);
	return -1;
}

static const char *
text(sqlite3_stmt *s, int i)
{
	const char *p = (const char *)sqlite3_column_text(s, i);

	return p ? p : "";
}

int
store_release_each(struct store *st, const char *item, int year_from,
    int year_to, int (*fn)(const struct store_release *r, void *arg),
    void *arg, struct diag *d)
{
	sqlite3_stmt *s;
	struct store_release r;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT id, at, command, note, item, "
	    "kind, year_from, year_to, by, filter, groups, options, k, "
	    "population, shown, withheld FROM release WHERE (?1 IS NULL OR "
	    "item = ?1) AND year_to >= ?2 AND year_from <= ?3 ORDER BY id "
	    "DESC", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare listing releases");
	if (item != NULL)
		sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, year_from ? year_from : -1000000);
	sqlite3_bind_int(s, 3, year_to ? year_to : 1000000);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(s, 0);
		r.at = text(s, 1);
		r.command = text(s, 2);
		r.note = text(s, 3);
		r.item = text(s, 4);
		r.kind = text(s, 5);
		r.year_from = sqlite3_column_int(s, 6);
		r.year_to = sqlite3_column_int(s, 7);
		r.by = text(s, 8);
		r.filter = text(s, 9);
		r.groups = text(s, 10);
		r.options = text(s, 11);
		r.k = sqlite3_column_int(s, 12);
		r.population = text(s, 13);
		r.shown = (unsigned long)sqlite3_column_int64(s, 14);
		r.withheld = (unsigned long)sqlite3_column_int64(s, 15);
		if ((ret = fn(&r, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_err(st, d, "list releases");
	sqlite3_finalize(s);
	return ret;
}

int
store_release_rows(struct store *st, int64_t id,
    int (*fn)(const struct store_release_row *row, void *arg), void *arg,
    struct diag *d)
{
	sqlite3_stmt *s;
	struct store_release_row r;
	int64_t *vals = NULL;
	size_t cap = 0;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT key, label, year_from, "
	    "year_to, vals FROM release_row WHERE release_id = ?1 ORDER BY "
	    "row", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare reading a release");
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(s, 4);
		size_t n = (size_t)sqlite3_column_bytes(s, 4) / 8;

		if (n > cap) {
			cap = n;
			vals = xreallocarray(vals, cap, sizeof(*vals));
		}
		for (size_t i = 0; i < n; i++, p += 8) {
			uint64_t u = 0;

			for (int j = 0; j < 8; j++)
				u |= (uint64_t)p[j] << (8 * j);
			vals[i] = (int64_t)u;
		}
		r.key = text(s, 0);
		r.label = text(s, 1);
		r.year_from = sqlite3_column_int(s, 2);
		r.year_to = sqlite3_column_int(s, 3);
		r.vals = vals;
		r.nvals = n;
		if ((ret = fn(&r, arg)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_err(st, d, "read a release");
	sqlite3_finalize(s);
	free(vals);
	return ret;
}
