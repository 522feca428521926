/* SPDX-License-Identifier: MIT */
/*
 * questionnaires/qn.h: loaded questionnaire definitions (the format is in
 * questionnaires/FORMAT.md), their team maps, and the normalisation of raw
 * answers against them.  Included by collector/, scorer/ and cli/.
 *
 * A definition's fields are its dimensions, then the dimensions derived
 * from its team map (service, directorate), then its items, in file order;
 * a field's index is its position in a response's normalised codes:
 *
 *   dimension  the interned value id (store_dimval_id), 0 when blank
 *   scale      1..nlevels, QN_BLANK or QN_UNRECOGNISED
 *   choice     the same as a scale (the options are unordered)
 *   number     the value times 100, rounded, or QN_NUM_BLANK, QN_NUM_BAD
 *              (not a number) or QN_NUM_RANGE (outside min..max)
 *   text       1 when answered, QN_BLANK otherwise
 */
#ifndef QN_H
#define QN_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct diag;
struct qn;			/* opaque: fields, scales, compiled patterns */

#define QN_BLANK		0
#define QN_UNRECOGNISED		(-1)
#define QN_NUM_BLANK		INT32_MIN
#define QN_NUM_BAD		(INT32_MIN + 1)
#define QN_NUM_RANGE		(INT32_MIN + 2)
#define QN_NUM_SCALE		100

enum qn_kind {
	QN_DIM,
	QN_SCALE,
	QN_NUMBER,
	QN_TEXT,
	QN_CHOICE,
};

enum qn_load_flags {
	QN_LINT		= 1 << 0,	/* also warn about likely mistakes */
};

/*
 * Finds the definition called id: a path to a .json file is used as it is,
 * otherwise DIR/ID.json is tried for each directory of the ':'-separated
 * list dirs.  Returns a new string (the path) or NULL with a data error.
 */
char *qn_find(const char *id, const char *dirs, struct diag *d);
/*
 * Loads and checks the definition in path, with the definition it
 * inherits from and its team map file, found beside it or in dirs (may be
 * NULL).  Every problem is recorded in d at its file:line:col; returns
 * NULL after an error.  The result keeps the resolved definition as its
 * body (qn_body), self-contained.
 */
struct qn *qn_load(const char *path, const char *dirs, unsigned flags,
    struct diag *d);
/* qn_load(path, NULL, 0, d). */
struct qn *qn_load_file(const char *path, struct diag *d);
/* Loads a definition from text (e.g. its copy in the store). */
struct qn *qn_load_text(const char *text, const char *origin,
    struct diag *d);
void qn_free(struct qn *q);
/*
 * Checks a team map file on its own (whc check): every problem goes to d.
 * Returns 0 when it has no errors.
 */
int qn_check_team_map(const char *path, unsigned flags, struct diag *d);
/*
 * Checks a JSON file that is either a definition (with what it inherits
 * and its team map) or a team map, telling them apart by their members.
 * Returns 0 when it has no errors.
 */
int qn_check_file(const char *path, const char *dirs, unsigned flags,
    struct diag *d);

const char *qn_id(const struct qn *q);
int qn_year(const struct qn *q);
const char *qn_title(const struct qn *q);
/* The definition's JSON text and its SHA-256 (what the store keeps). */
const char *qn_body(const struct qn *q);
const char *qn_sha(const struct qn *q);
const char *qn_id_column(const struct qn *q);
const char *qn_modified_column(const struct qn *q);	/* may be NULL */

size_t qn_nfields(const struct qn *q);
/* Index of the field (dimension or item) with this key, or -1. */
long qn_field_find(const struct qn *q, const char *key);
const char *qn_field_key(const struct qn *q, size_t i);
enum qn_kind qn_field_kind(const struct qn *q, size_t i);
/* The question wording (items) or the label (dimensions). */
const char *qn_field_text(const struct qn *q, size_t i);
/* Scale and choice fields: the number of levels, each one's key, label. */
size_t qn_field_nlevels(const struct qn *q, size_t i);
const char *qn_level_key(const struct qn *q, size_t i, size_t level);
const char *qn_level_label(const struct qn *q, size_t i, size_t level);
/* The name of a scale field's scale ("" for other kinds). */
const char *qn_field_scale(const struct qn *q, size_t i);
/* Number fields: the unit (NULL when none); whether min..max is declared. */
const char *qn_field_unit(const struct qn *q, size_t i);
int qn_field_range(const struct qn *q, size_t i, double *min, double *max);
/* Non-zero for a reverse-keyed scale item (a higher level means less of
 * what the survey measures; combining tools use nlevels + 1 - code). */
int qn_field_reverse(const struct qn *q, size_t i);
/* Non-zero for a dimension filled from the team map (service, directorate):
 * it has no column. */
int qn_field_derived(const struct qn *q, size_t i);
/*
 * compare_as: the scale a scale item is compared as across years whose
 * scales differ (NULL when none is declared), its levels, and the code on
 * that scale of this item's level code (blank and unrecognised unchanged).
 */
const char *qn_field_compare_scale(const struct qn *q, size_t i);
size_t qn_field_compare_nlevels(const struct qn *q, size_t i);
const char *qn_compare_level_key(const struct qn *q, size_t i, size_t level);
const char *qn_compare_level_label(const struct qn *q, size_t i,
    size_t level);
int32_t qn_field_compare_code(const struct qn *q, size_t i, int32_t code);
/*
 * Non-zero when codes mean the same under a and b: the same fields, kinds
 * and level keys in the same order (wording, patterns and team maps may
 * differ).
 */
int qn_same_coding(const struct qn *a, const struct qn *b);
/*
 * The id of field i's question in a provider's survey (the definition's
 * "source" object: a SurveyMonkey question id, a Typeform field ref...),
 * or NULL when the definition gives none for that provider.
 */
const char *qn_field_source(const struct qn *q, size_t i,
    const char *provider);
/* Human-readable name of a kind ("dimension", "scale", ...). */
const char *qn_kind_name(enum qn_kind k);

/*
 * Matches a header row against the definition: col[i] gets the column of
 * field i (every field must be found; derived fields get SIZE_MAX), *id_col
 * and *mod_col (SIZE_MAX when the definition has no modified column) those
 * of the response id and timestamp.  Missing columns are CSV_COLUMN errors
 * located at file:line.  Returns 0 or -1.
 */
int qn_bind_header(const struct qn *q, char *const *hdr, size_t n,
    size_t *col, size_t *id_col, size_t *mod_col, const char *file,
    unsigned long line, struct diag *d);

/*
 * Normalises the raw answer s[0..n) of item field i into its code (see
 * above).  Results are memoised per distinct raw text.  The definition is
 * modified (its memo), hence not const.
 */
int32_t qn_normalise(struct qn *q, size_t i, const char *s, size_t n);

/*
 * For threads: normalising without the definition's memo, with a PCRE2
 * match-data handle of the thread's own (the definition is only read).
 */
struct qn_matcher;
struct qn_matcher *qn_matcher_new(void);
void qn_matcher_free(struct qn_matcher *m);
int32_t qn_normalise_with(const struct qn *q, size_t i, const char *s,
    size_t n, struct qn_matcher *m);

enum qn_team_status {
	QN_TEAM_OK = 0,		/* a team of the definition's year */
	QN_TEAM_BLANK,
	QN_TEAM_UNKNOWN,	/* matches no team */
	QN_TEAM_GONE,		/* names a team that did not exist that year */
	QN_TEAM_AMBIGUOUS,	/* matches two teams; the first is used */
};

struct qn_team_res {
	enum qn_team_status status;
	const char	*team;		/* canonical name, or NULL */
	const char	*service;	/* its service, or NULL */
	const char	*directorate;	/* its service's directorate, or NULL */
	const char	*other;		/* AMBIGUOUS, GONE: the other team */
};

/*
 * Resolves a raw team value against the team map for the definition's
 * year.  Without a team map every non-blank value is OK with team NULL
 * (the caller keeps the value as written).  Returns 1 for OK, BLANK and
 * AMBIGUOUS, 0 for UNKNOWN and GONE.  Memoised per raw text.
 */
int qn_team_resolve(struct qn *q, const char *s, size_t n,
    struct qn_team_res *r);
/* The same without the memo, for threads (see qn_normalise_with). */
void qn_team_resolve_with(const struct qn *q, const char *s, size_t n,
    struct qn_matcher *m, struct qn_team_res *r);
/* Appends why a GONE or AMBIGUOUS value was not plain to out. */
void qn_team_explain(const struct qn *q, const struct qn_team_res *r,
    struct buf *out);
/*
 * Calls fn with a sentence for each change of the team map's history that
 * a series by dim ("team", "service" or "directorate") crosses between
 * years from and to: renames, merges, splits, teams formed or closed.
 */
void qn_team_history(const struct qn *q, const char *dim, int from, int to,
    void (*fn)(const char *note, void *arg), void *arg);

/*
 * Normalises one response: f[c], len[c] are its fields and col[] comes
 * from qn_bind_header.  Dimension values (the team's canonical name, or
 * the cleaned raw value of an unknown team; the derived service and
 * directorate) are turned into codes by intern, which returns 0 or -1 to
 * stop; *team gets the team's resolution.  Returns 0, or -1 from intern.
 */
int qn_normalise_row(struct qn *q, char *const *f, const size_t *len,
    const size_t *col, int32_t *norm, struct qn_team_res *team,
    int (*intern)(void *arg, const char *dim, const char *val, size_t n,
    int32_t *code), void *arg);

/*
 * A tally of normalised responses for the data-quality ledger and whc
 * check: per field, how many answers were valid, blank, unrecognised (by
 * raw value), not numbers or out of range (by value); unknown teams (by
 * value) and repeated response ids.
 */
struct qn_tally;

struct qn_tally_ent {
	const char	*field;		/* field key, or "" for the response */
	const char	*kind;		/* see qn_tally_each() */
	const char	*value;		/* the raw value (cleaned), or "" */
	unsigned long	 count;
	unsigned long	 line;		/* first line seen, 0 when unknown */
};

struct qn_tally *qn_tally_new(const struct qn *q);
void qn_tally_free(struct qn_tally *t);
/* Counts one normalised response (f, len, col as for qn_normalise_row;
 * f may be NULL to count codes only, without raw values). */
void qn_tally_row(struct qn_tally *t, const int32_t *norm, char *const *f,
    const size_t *len, const size_t *col, const struct qn_team_res *team,
    unsigned long line);
/*
 * Counts count answers with code of field i, all with the raw text s[0..n)
 * (team: with the resolution *team; derived dimensions are counted with
 * it), first seen on line.  qn_tally_row is made of these.
 */
void qn_tally_answer(struct qn_tally *t, size_t i, int32_t code,
    const char *s, size_t n, const struct qn_team_res *team,
    unsigned long count, unsigned long line);
/* Counts n more responses. */
void qn_tally_responses(struct qn_tally *t, unsigned long n);
/* Counts a response id seen again (value: the id). */
void qn_tally_dup(struct qn_tally *t, const char *rid, unsigned long line);
/* Responses counted. */
unsigned long qn_tally_rows(const struct qn_tally *t);
/*
 * Calls fn for each entry: kind is "responses" (field ""), "valid",
 * "blank", "unrecognised", "not_a_number", "out_of_range",
 * "unknown_team" (field "team"), "ambiguous_team" or "duplicate_id"
 * (field "").  Entries with a value come sorted by count (largest first).
 */
void qn_tally_each(const struct qn_tally *t,
    void (*fn)(const struct qn_tally_ent *e, void *arg), void *arg);
/* Adds entry e (e.g. read back from the store) to t. */
void qn_tally_add(struct qn_tally *t, const struct qn_tally_ent *e);

#endif /* QN_H */
