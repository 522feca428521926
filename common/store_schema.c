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
	 * 2: the data-quality ledger.  For each batch, what its stored
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
