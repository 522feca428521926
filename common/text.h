/* SPDX-License-Identifier: MIT */
/*
 * Cleaning untrusted text (survey answers, team names) before it goes
 * anywhere: valid UTF-8 only (bad bytes become U+FFFD), no control
 * characters (C0, DEL, C1 become a space), and helpers to trim and to
 * collapse runs of white space.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

struct buf;

/* Appends s[0..n) to out with invalid UTF-8 and control characters replaced. */
void text_clean(struct buf *out, const char *s, size_t n);
/*
 * Appends s[0..n) to out trimmed, with every run of white space (including
 * non-breaking space U+00A0) collapsed to one space, cleaned as above.
 */
void text_squash(struct buf *out, const char *s, size_t n);
/* Non-zero if s[0..n) is valid UTF-8. */
int text_utf8_valid(const char *s, size_t n);
/*
 * Appends s as a JSON string literal (quotes included), escaping control
 * characters and replacing invalid UTF-8 with U+FFFD.
 */
void text_json_str(struct buf *out, const char *s);
void text_json_strn(struct buf *out, const char *s, size_t n);
/*
 * Appends s as one RFC 4180 CSV field: cleaned as above, quoted when it
 * holds a comma or a quote, and prefixed with an apostrophe (inside
 * quotes) when a spreadsheet would run it as a formula (= + - @).
 */
void text_csv_field(struct buf *out, const char *s);

#endif /* TEXT_H */
