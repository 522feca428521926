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
};

const int store_nmigrations =
    (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
