/* SPDX-License-Identifier: MIT */
/*
 * The collector's tables of the store (see store_collect.h): collection
 * state per source and the raw page archive.  Statements are prepared where
 * they are used: a collection runs a handful per page, not per response.
 */
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/store.h"
#include "common/store_collect.h"
#include "common/store_int.h"
#include "common/xalloc.h"

static int
db_err(struct store *st, struct diag *d, const char *what)
{
	return diag_env(d, "cannot %s in database '%s': %s", what, st->path,
	    sqlite3_errmsg(st->db));
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return xstrdup(t ? (const char *)t : "");
}

int
store_cstate_get(struct store *st, int64_t source_id,
    struct store_cstate *cs, int *found, struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	memset(cs, 0, sizeof(*cs));
	*found = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT ident, cursor, meta FROM "
	    "collect_state WHERE source_id = ?1", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare reading a collection state");
	sqlite3_bind_int64(s, 1, source_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		cs->ident = col_dup(s, 0);
		cs->cursor = col_dup(s, 1);
		cs->meta = col_dup(s, 2);
		*found = 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(st, d, "read a collection state");
	return 0;
}

int
store_cstate_put(struct store *st, int64_t source_id,
    const struct store_cstate *cs, struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "INSERT INTO collect_state(source_id,"
	    " ident, cursor, meta) VALUES (?1, ?2, ?3, ?4) ON CONFLICT"
	    "(source_id) DO UPDATE SET ident = excluded.ident, cursor = "
	    "excluded.cursor, meta = excluded.meta, updated = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ','now')", -1, &s, NULL) !=
	    SQLITE_OK)
		return db_err(st, d, "prepare saving a collection state");
	sqlite3_bind_int64(s, 1, source_id);
	sqlite3_bind_text(s, 2, cs->ident, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, cs->cursor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, cs->meta ? cs->meta : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(st, d, "save a collection state");
	return 0;
}

void
store_cstate_release(struct store_cstate *cs)
{
	free(cs->ident);
	free(cs->cursor);
	free(cs->meta);
	memset(cs, 0, sizeof(*cs));
}

int
store_page_add(struct store *st, const struct store_page *p,
    struct diag *d)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO page_body("
	    "sha256, body) VALUES (?1, ?2)", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare archiving a page");
	sqlite3_bind_text(s, 1, p->sha, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(s, 2, p->len ? p->body : "", p->len,
	    SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(st, d, "archive a page");
	if (sqlite3_prepare_v2(st->db, "INSERT INTO page(source_id, method, "
	    "url, status, at, bytes, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7)", -1, &s, NULL) != SQLITE_OK)
		return db_err(st, d, "prepare archiving a page");
	sqlite3_bind_int64(s, 1, p->source_id);
	sqlite3_bind_text(s, 2, p->method, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, p->url, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, p->status);
	sqlite3_bind_text(s, 5, p->at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)p->len);
	sqlite3_bind_text(s, 7, p->sha, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_err(st, d, "archive a page");
	return 0;
}
