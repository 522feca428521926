/* SPDX-License-Identifier: MIT */
/*
 * questionnaires/qn.h: loaded questionnaire definitions (the format is in
 * questionnaires/FORMAT.md) and the normalisation of raw answers against
 * them.  Included by collector/, scorer/ and cli/.
 *
 * A definition's fields are its dimensions followed by its items, in file
 * order; a field's index is its position in a response's normalised codes:
 *
 *   dimension  the interned value id (store_dimval_id), 0 when blank
 *   scale      1..nlevels, QN_BLANK or QN_UNRECOGNISED
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
};

/*
 * Finds the definition called id: a path to a .json file is used as it is,
 * otherwise DIR/ID.json is tried for each directory of the ':'-separated
 * list dirs.  Returns a new string (the path) or NULL with a data error.
 */
char *qn_find(const char *id, const char *dirs, struct diag *d);
/* Loads and checks the definition in path; NULL after recording errors. */
struct qn *qn_load_file(const char *path, struct diag *d);
/* Loads a definition from text (e.g. its copy in the store). */
struct qn *qn_load_text(const char *text, const char *origin,
    struct diag *d);
void qn_free(struct qn *q);

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
/* Scale fields: the number of levels, and each level's key and label. */
size_t qn_field_nlevels(const struct qn *q, size_t i);
const char *qn_level_key(const struct qn *q, size_t i, size_t level);
const char *qn_level_label(const struct qn *q, size_t i, size_t level);
/* The name of a scale field's scale. */
const char *qn_field_scale(const struct qn *q, size_t i);
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
 * field i (every field must be found), *id_col and *mod_col (SIZE_MAX when
 * the definition has no modified column) those of the response id and
 * timestamp.  Missing columns are CSV_COLUMN errors located at file:line.
 * Returns 0 or -1.
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
 * Canonicalises a raw team value: appends the canonical name to out (empty
 * when blank) and returns 1 when it is a known team (or no team list is
 * declared), 0 when unknown.
 */
int qn_team(struct qn *q, const char *s, size_t n, struct buf *out);

#endif /* QN_H */
