/* SPDX-License-Identifier: MIT */
/* Private to questionnaires/: the loaded definition. */
#ifndef QN_INT_H
#define QN_INT_H

#include <pcre2.h>

#include "common/strmap.h"
#include "questionnaires/qn.h"

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
	struct qn_scale	*scale;		/* QN_SCALE */
	double		 min, max;	/* QN_NUMBER; min > max when unset */
	int		 has_range;
	char		*column;	/* exact header, or NULL */
	struct qn_pat	 column_re;	/* or a pattern */
	struct qn_src	*src;		/* ids in providers' surveys */
	size_t		 nsrc;
	struct strmap	 memo;		/* cleaned raw text -> code */
};

struct qn_team {
	char		*name;
	struct qn_pat	*pats;
	size_t		 npats;
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
	struct qn_team	*teams;
	size_t		 nteams;
	struct strmap	 team_memo;	/* cleaned raw -> team index, or -1 */
	pcre2_match_data *md;
};

/* Compiles pattern src (caseless, UTF) into p; -1 with a located error. */
int qn_pat_compile(struct qn_pat *p, const char *src, const char *file,
    const char *path, struct diag *d);
/* Non-zero when p matches s[0..n). */
int qn_pat_match(struct qn *q, const struct qn_pat *p, const char *s,
    size_t n);
void qn_pat_release(struct qn_pat *p);

#endif /* QN_INT_H */
