/* SPDX-License-Identifier: MIT */
/* Private to common/store*.c: the store handle and the schema migrations. */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>

#include "common/buf.h"

enum store_stmt {
	ST_RESP_PUT,
	ST_DIMVAL_GET,
	ST_DIMVAL_ADD,
	ST_NSTMT
};

struct store {
	sqlite3		*db;
	char		*path;
	unsigned	 flags;
	int		 in_tx;
	sqlite3_stmt	*stmt[ST_NSTMT];	/* prepared once, reused */
	struct buf	 blob;			/* scratch for packing */
};

/* The schema: migration i brings user_version from i to i + 1. */
extern const char *const store_migrations[];
extern const int store_nmigrations;

#endif /* STORE_INT_H */
