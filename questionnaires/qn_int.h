/* SPDX-License-Identifier: MIT */
/*
 * Private to questionnaires/: the loaded definition, the team map, and the
 * resolved JSON a definition is loaded from (inheritance applied, the team
 * map file read in) with the file, line and column of every JSON value.
 */
#ifndef QN_INT_H
#define QN_INT_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <pcre2.h>

#include "common/buf.h"
#include "common/diag.h"
#include "common/strmap.h"
#include "questionnaires/qn.h"

#define QN_MAX_BYTES	(16 * 1024 * 1024)
#define QN_MAX_DEPTH	16	/* inheritance chain */

struct qn_pat {
	pcre2_code	*re;
	char		*src;
};

struct qn_level {
	char		*key;
	char		*label;
	struct qn_pat	*pats;
	size_t		 npats;
};

struct qn_scale {
	char		*name;
	struct qn_level	*levels;
	size_t		 nlevels;
	int		 used;
};

enum qn_derive {
	QN_DERIVE_NONE = 0,
	QN_DERIVE_SERVICE,
	QN_DERIVE_DIRECTORATE,
};

/* A question's id in one provider's survey ("source" in the format). */
struct qn_src {
	char		*provider;
	char		*id;
};

struct qn_field {
	char		*key;
	char		*text;
	enum qn_kind	 kind;
	struct qn_scale	*scale;		/* QN_SCALE, QN_CHOICE */
	double		 min, max;	/* QN_NUMBER; +-1e12 when unset */
	int		 has_range;
	char		*unit;		/* QN_NUMBER, or NULL */
	int		 reverse;	/* reverse-keyed */
	enum qn_derive	 derived;	/* filled from the team map */
	struct qn_scale	*cmp;		/* compare_as scale, or NULL */
	int32_t		*cmp_map;	/* code -> code on cmp; [0] unused */
	char		*column;	/* exact header, or NULL */
	struct qn_pat	 column_re;	/* or a pattern */
	struct qn_src	*src;		/* ids in providers' surveys */
	size_t		 nsrc;
	struct strmap	 memo;		/* raw text -> code */
};

/* A team, service or directorate of the team map. */
struct qn_former {
	char		*name;
	int		 until;
};

struct qn_unit {
	char		*name;
	int		 from, until;	/* years it exists; 0 = open */
	long		 parent;	/* service / directorate index, or -1 */
	char		**names;	/* other exact raw values */
	size_t		 nnames;
	struct qn_former *formerly;	/* earlier canonical names */
	size_t		 nformerly;
	struct qn_pat	*pats;
	size_t		 npats;
	long		*formed_from;	/* team indices it replaced */
	size_t		 nformed;
};

struct qn_tmap {
	char		*id;
	struct qn_unit	*teams;
	size_t		 nteams;
	struct qn_unit	*services;
	size_t		 nservices;
	struct qn_unit	*dirs;
	size_t		 ndirs;
};

struct qn {
	char		*id;
	char		*title;
	int		 year;
	char		*body;
	char		 sha[65];
	char		*id_column;
	char		*modified_column;
	struct qn_scale	*scales;
	size_t		 nscales;
	struct qn_field	*fields;
	size_t		 nfields;
	struct qn_tmap	*tmap;		/* NULL: team values kept as written */
	struct strmap	 team_memo;	/* raw -> team index, or -1 - status */
	pcre2_match_data *md;
};

/*
 * The JSON a definition is loaded from.  Values moved between trees while
 * merging keep their positions, which are looked up by node address.
 */
struct qn_doc {
	cJSON		*root;
	char		**files;	/* every file read, first the top one */
	size_t		 nfiles;
	struct strmap	 pos;		/* node address -> packed position */
	char		*text;		/* the text to store */
	int		 merged;	/* inheritance or a team map file used */
};

/* Reads path (a definition) with what it inherits and its team map file,
 * searching dirs (':'-separated, may be NULL) after the file's directory. */
int qn_doc_load(struct qn_doc *s, const char *path, const char *dirs,
    struct diag *d);
/* The same from text; origin names it in messages. */
int qn_doc_text(struct qn_doc *s, const char *text, const char *origin,
    const char *dirs, struct diag *d);
/* Reads a team map file on its own (whc check). */
int qn_doc_team_map(struct qn_doc *s, const char *path, struct diag *d);
void qn_doc_release(struct qn_doc *s);
/* Fills loc's file, line and col for node (the top file when unknown). */
void qn_doc_loc(const struct qn_doc *s, const cJSON *node, struct loc *loc);
/* Parses text and records every value's position; NULL after a located
 * syntax error (reported with code). */
cJSON *qn_doc_parse(struct qn_doc *s, const char *text, const char *file,
    enum diag_code code, struct diag *d);
/* Reads a file of at most QN_MAX_BYTES into out; -1 after an error. */
int qn_read_file(const char *path, const char *what, struct buf *out,
    struct diag *d);
/* Finds ID.json in dir, then in dirs; a path to a .json file relative to
 * dir is taken as it is.  NULL when not found. */
char *qn_find_in(const char *id, const char *dir, const char *dirs);

/* The loading context shared by qn_load.c and qn_teams.c. */
struct qn_ld {
	struct qn	*q;
	struct qn_doc	*src;
	struct diag	*d;
	enum diag_code	 code;		/* QN_SCHEMA or TM_SCHEMA */
	int		 bad;
	struct buf	 path;
};

/* Records a schema error at node (JSON path path); returns -1. */
int qn_ld_bad(struct qn_ld *l, const cJSON *node, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Records another catalogued diagnostic at node. */
void qn_ld_diag(struct qn_ld *l, enum diag_code code, const cJSON *node,
    const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Sets l->path to prefix followed by the formatted suffix; returns it. */
const char *qn_ld_at(struct qn_ld *l, const char *prefix, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
/* A string member: a copy, or NULL when absent (an error if required) or
 * not a non-empty string (an error). */
char *qn_ld_str(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *name, int required);
/* A year member (0 when absent). */
int qn_ld_year(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *name);
/* Compiles the patterns of array member name of o. */
void qn_ld_patterns(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *name, struct qn_pat **pats, size_t *npats);
/* Warns about members of o not in the NULL-ended list known. */
void qn_ld_members(struct qn_ld *l, const cJSON *o, const char *prefix,
    const char *const *known);
/* Whether s is a valid key: [a-z0-9][a-z0-9._-]*. */
int qn_valid_key(const char *s);

/* Loads a team map (an object) into q->tmap. */
void qn_tmap_load(struct qn_ld *l, const cJSON *o, const char *prefix);
/* Turns the legacy "teams" array of a definition into q->tmap. */
void qn_tmap_legacy(struct qn_ld *l, const cJSON *arr);
void qn_tmap_free(struct qn_tmap *m);
/* Lint checks of a loaded map that need every team: lineage, overlaps. */
void qn_tmap_lint(struct qn_ld *l, const cJSON *o, const char *prefix);

/* Compiles pattern src (caseless, UTF) into p; -1 with a located error. */
int qn_pat_compile(struct qn_pat *p, const char *src, const struct loc *loc,
    struct diag *d);
/* Non-zero when p matches s[0..n). */
int qn_pat_match(pcre2_match_data *md, const struct qn_pat *p,
    const char *s, size_t n);
void qn_pat_release(struct qn_pat *p);
/* Case-insensitive equality of s[0..n) and the NUL-terminated t. */
int qn_same(const char *s, size_t n, const char *t);

#endif /* QN_INT_H */
