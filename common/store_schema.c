/* SPDX-License-Identifier: MIT */
/*
 * The store's schema as numbered migrations.  Never edit a migration that
 * has shipped: add a new one.  PRAGMA user_version records how many ran.
 */
#include "common/store_int.h"

const char *const store_migrations[] = {
	/* 1: the foundation. */
	"CREATE TABLE source ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  provider TEXT NOT NULL,"
	"  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	");"
	"CREATE TABLE questionnaire ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  year INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  body TEXT NOT NULL,"
	"  added TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	");"
	"CREATE TABLE batch ("
	"  id INTEGER PRIMARY KEY,"
	"  source_id INTEGER NOT NULL REFERENCES source(id),"
	"  kind TEXT NOT NULL,"
	"  origin TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  columns TEXT NOT NULL,"
	"  rows INTEGER NOT NULL DEFAULT 0,"
	"  changed INTEGER NOT NULL DEFAULT 0,"
	"  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	");"
	"CREATE INDEX batch_sha ON batch(source_id, sha256);"
	"CREATE TABLE dimval ("
	"  id INTEGER PRIMARY KEY,"
	"  dim TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  UNIQUE(dim, value)"
	");"
	"CREATE TABLE response ("
	"  id INTEGER PRIMARY KEY,"
	"  source_id INTEGER NOT NULL REFERENCES source(id),"
	"  rid TEXT NOT NULL,"
	"  year INTEGER NOT NULL,"
	"  qn_id INTEGER NOT NULL REFERENCES questionnaire(id),"
	"  modified TEXT NOT NULL,"
	"  batch_id INTEGER NOT NULL REFERENCES batch(id),"
	"  raw TEXT NOT NULL,"
	"  norm BLOB NOT NULL,"
	"  UNIQUE(source_id, rid)"
	");",
	/*
	 * 2: the collector.  collect_state holds, per source, what the
	 * cursor belongs to (provider, base URL and survey), the driver's
	 * cursor and its cache of the survey's structure; it is written in
	 * the same transaction as the page it follows.  page is the raw
	 * archive: every body received, with its URL (no secrets), time and
	 * HTTP status; bodies are kept once per SHA-256 in page_body.
	 */
	"CREATE TABLE collect_state ("
	"  source_id INTEGER PRIMARY KEY REFERENCES source(id),"
	"  ident TEXT NOT NULL,"
	"  cursor TEXT NOT NULL,"
	"  meta TEXT NOT NULL DEFAULT '',"
	"  updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	");"
	"CREATE TABLE page_body ("
	"  sha256 TEXT PRIMARY KEY,"
	"  body BLOB NOT NULL"
	");"
	"CREATE TABLE page ("
	"  id INTEGER PRIMARY KEY,"
	"  source_id INTEGER NOT NULL REFERENCES source(id),"
	"  method TEXT NOT NULL,"
	"  url TEXT NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  at TEXT NOT NULL,"
	"  bytes INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL REFERENCES page_body(sha256)"
	");"
	"CREATE INDEX page_source ON page(source_id, id);",
	/*
	 * 3: the scorer's columnar cache and the release ledger.
	 *
	 * store_gen counts changes to responses that keep the largest rowid
	 * (updates and deletes; an insert always raises it), so that the
	 * pair (gen, max(rowid)) stamps the content the cache was built
	 * from.  Inserts carry no trigger: that keeps imports as fast as
	 * before.  colcache holds, per definition version, its responses'
	 * normalised codes column by column in chunks of rows (field -1 is
	 * the survey year); see store_cols.c.  release and release_row are
	 * the ledger of published breakdowns; see store_release.c.
	 */
	"CREATE TABLE store_gen ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  gen INTEGER NOT NULL"
	");"
	"INSERT INTO store_gen(id, gen) VALUES (1, 0);"
	"CREATE TRIGGER response_gen_update AFTER UPDATE ON response BEGIN"
	"  UPDATE store_gen SET gen = gen + 1 WHERE id = 1;"
	"END;"
	"CREATE TRIGGER response_gen_delete AFTER DELETE ON response BEGIN"
	"  UPDATE store_gen SET gen = gen + 1 WHERE id = 1;"
	"END;"
	"CREATE TABLE colcache_stamp ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  gen INTEGER NOT NULL,"
	"  maxrow INTEGER NOT NULL,"
	"  format INTEGER NOT NULL"
	");"
	"CREATE TABLE colcache ("
	"  id INTEGER PRIMARY KEY,"
	"  qn_id INTEGER NOT NULL,"
	"  field INTEGER NOT NULL,"
	"  chunk INTEGER NOT NULL,"
	"  nrows INTEGER NOT NULL,"
	"  year_min INTEGER NOT NULL,"
	"  year_max INTEGER NOT NULL,"
	"  data BLOB NOT NULL,"
	"  UNIQUE(qn_id, field, chunk)"
	");"
	"CREATE TABLE release ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  command TEXT NOT NULL,"
	"  note TEXT NOT NULL,"
	"  item TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  year_from INTEGER NOT NULL,"
	"  year_to INTEGER NOT NULL,"
	"  by TEXT NOT NULL,"
	"  filter TEXT NOT NULL,"
	"  groups TEXT NOT NULL,"
	"  options TEXT NOT NULL,"
	"  k INTEGER NOT NULL,"
	"  population TEXT NOT NULL,"
	"  shown INTEGER NOT NULL,"
	"  withheld INTEGER NOT NULL"
	");"
	"CREATE INDEX release_item ON release(item, year_from, year_to);"
	"CREATE TABLE release_row ("
	"  release_id INTEGER NOT NULL REFERENCES release(id),"
	"  row INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  year_from INTEGER NOT NULL,"
	"  year_to INTEGER NOT NULL,"
	"  vals BLOB NOT NULL,"
	"  PRIMARY KEY(release_id, row)"
	");",
	/*
	 * 4: the data-quality ledger.  For each batch, what its stored
	 * responses hold: per field, valid and blank answers, and each odd
	 * value (unrecognised answer, bad number, unknown team, repeated
	 * response id) with its count and the first line it was seen on.
	 * Kept in step with the responses by import and renormalise.
	 */
	"CREATE TABLE quality ("
	"  batch_id INTEGER NOT NULL REFERENCES batch(id),"
	"  year INTEGER NOT NULL,"
	"  field TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  line INTEGER NOT NULL DEFAULT 0,"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY (batch_id, field, kind, value)"
	") WITHOUT ROWID;"
	"CREATE INDEX quality_year ON quality(year);",
};

const int store_nmigrations =
    (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
