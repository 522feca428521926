/* SPDX-License-Identifier: MIT */
/*
 * The whc config file: git-config-like text.
 *
 *     # comment
 *     [store]
 *     db = whc.db
 *     [disclosure]
 *     k = 5
 *     [source "smartsurvey-2019"]
 *     provider = smartsurvey
 *
 * Keys are looked up as "section.key" or "section.sub.key"; a key may
 * hold dots itself ("[disclosure] k.intend_to_leave = 10" is looked up
 * as "disclosure.k.intend_to_leave").  Values are
 * trimmed; a value may be written in double quotes to keep spaces.
 */
#ifndef CONFIG_H
#define CONFIG_H

struct diag;
struct config;			/* opaque */

/*
 * Loads path.  A missing file is not an error when must_exist is 0 (an
 * empty config results).  Syntax errors are recorded as CONF_SYNTAX with
 * file:line and make the call fail.  Returns NULL on failure.
 */
struct config *config_load(const char *path, int must_exist,
    struct diag *d);
/*
 * For linting: like config_load of a file that must exist, but the lines
 * that could be read are kept even when others had errors (recorded in d).
 * NULL only when the file cannot be read.
 */
struct config *config_load_all(const char *path, struct diag *d);
void config_free(struct config *c);
/* The file the config came from, or NULL when none was read. */
const char *config_path(const struct config *c);
/* The value of name ("section.key"), or NULL. */
const char *config_get(const struct config *c, const char *name);
/* Line number where name was set, or 0. */
unsigned long config_line(const struct config *c, const char *name);
/*
 * Reads name as an integer in [min, max] into *out.  Returns 0 (also when
 * unset, leaving *out), or -1 with a located CONF_VALUE error in d.
 */
int config_get_int(const struct config *c, const char *name, long min,
    long max, long *out, struct diag *d);
/* Calls fn for every setting, in file order (name as for config_get). */
void config_each(const struct config *c,
    void (*fn)(const char *name, const char *value, unsigned long line,
    void *arg), void *arg);
/* Calls fn for each distinct subsection of section, in file order. */
void config_each_sub(const struct config *c, const char *section,
    void (*fn)(const char *sub, void *arg), void *arg);

#endif /* CONFIG_H */
