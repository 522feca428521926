/* SPDX-License-Identifier: MIT */
/* Cleaning untrusted text: UTF-8 validation, control characters, spaces. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"

/*
 * Returns the length of the valid UTF-8 sequence at s (at most n bytes),
 * or 0 if it is not valid.  Rejects overlongs, surrogates and > U+10FFFF.
 */
static size_t
utf8_len(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int
text_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, l;

	while (i < n) {
		if ((l = utf8_len(p + i, n - i, &cp)) == 0)
			return 0;
		i += l;
	}
	return 1;
}

static int
is_control(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
	    cp == 0x2028 || cp == 0x2029;
}

static int
is_space(unsigned long cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\f' || cp == '\v' || cp == 0xA0 || cp == 0x2007 ||
	    cp == 0x202F || cp == 0xFEFF;
}

static void
clean(struct buf *out, const char *s, size_t n, int squash)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, l, start = out->len;
	int pending = 0;	/* a space is owed before the next character */
	int bad;

	while (i < n) {
		l = utf8_len(p + i, n - i, &cp);
		bad = l == 0;
		if (bad) {
			cp = 0xFFFD;
			l = 1;
		}
		if (squash && (is_space(cp) || is_control(cp))) {
			pending = out->len > start;
			i += l;
			continue;
		}
		if (pending) {
			buf_addc(out, ' ');
			pending = 0;
		}
		if (is_control(cp))
			buf_addc(out, ' ');
		else if (bad)
			buf_adds(out, "\xEF\xBF\xBD");
		else
			buf_add(out, s + i, l);
		i += l;
	}
}

void
text_clean(struct buf *out, const char *s, size_t n)
{
	clean(out, s, n, 0);
}

void
text_squash(struct buf *out, const char *s, size_t n)
{
	clean(out, s, n, 1);
}

void
text_json_strn(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, l;

	buf_addc(out, '"');
	while (i < n) {
		size_t j = i;

		/* Plain printable ASCII needs no escaping: copy it in one go. */
		while (j < n && p[j] >= 0x20 && p[j] < 0x7F && p[j] != '"' &&
		    p[j] != '\\')
			j++;
		if (j > i) {
			buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		if ((l = utf8_len(p + i, n - i, &cp)) == 0) {
			buf_adds(out, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		switch (cp) {
		case '"':
			buf_adds(out, "\\\"");
			break;
		case '\\':
			buf_adds(out, "\\\\");
			break;
		case '\n':
			buf_adds(out, "\\n");
			break;
		case '\r':
			buf_adds(out, "\\r");
			break;
		case '\t':
			buf_adds(out, "\\t");
			break;
		default:
			if (cp < 0x20 || cp == 0x7F)
				buf_addf(out, "\\u%04lx", cp);
			else
				buf_add(out, s + i, l);
		}
		i += l;
	}
	buf_addc(out, '"');
}

void
text_json_str(struct buf *out, const char *s)
{
	text_json_strn(out, s, strlen(s));
}

void
text_csv_field(struct buf *out, const char *s)
{
	struct buf c = BUF_INIT;

	text_clean(&c, s, strlen(s));
	if (c.len && strchr("=+-@\t\r", c.data[0]) != NULL) {
		buf_adds(out, "\"'");
	} else if (c.len && strpbrk(c.data, ",\"\n") != NULL) {
		buf_addc(out, '"');
	} else {
		buf_add(out, c.data, c.len);
		buf_release(&c);
		return;
	}
	for (const char *p = c.data; *p; p++) {
		if (*p == '"')
			buf_addc(out, '"');
		buf_addc(out, *p);
	}
	buf_addc(out, '"');
	buf_release(&c);
}
