/* SPDX-License-Identifier: MIT */
/*
 * Small helpers of the collector's drivers: ISO 8601 times (UTC), JSON
 * values as text, base64 (SmartSurvey's Basic auth, LimeSurvey's export
 * documents) and the one file of a ZIP archive (Qualtrics' export files,
 * inflated with zlib).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "collector/collect_int.h"
#include "common/buf.h"

double
coll_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Reads n digits at *p into *v; 0 or -1. */
static int
digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

int
coll_time_parse(const char *s, int64_t *t)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	const char *p = s;

	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 ||
	    *p++ != '-' || digits(&p, 2, &d) < 0 ||
	    (*p != 'T' && *p != ' ') || (p++, digits(&p, 2, &h)) < 0 ||
	    *p++ != ':' || digits(&p, 2, &mi) < 0 || *p++ != ':' ||
	    digits(&p, 2, &se) < 0)
		return -1;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (digits(&p, 2, &oh) < 0 || (*p == ':' && !++p) ||
		    digits(&p, 2, &om) < 0)
			return -1;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	*t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se - sign * (oh * 3600 + om * 60);
	return 0;
}

void
coll_time_fmt(int64_t t, int z, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, z ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S",
	    &tm);
}

void
coll_span_init(struct coll_span *sp, int64_t from)
{
	sp->from = from;
	sp->last = sp->max = INT64_MIN;
	sp->sorted = 1;
}

void
coll_span_see(struct coll_span *sp, const char *when)
{
	int64_t t;

	if (when == NULL || coll_time_parse(when, &t) < 0)
		return;
	if (t < sp->last)
		sp->sorted = 0;
	sp->last = t;
	if (t > sp->max)
		sp->max = t;
}

static void
set_since(struct coll *c, int64_t t, int as_text)
{
	char ts[32];

	if (as_text) {
		coll_time_fmt(t, 0, ts);
		cj_set_str(c->cursor, "since", ts);
	} else {
		cj_set_num(c->cursor, "since", (double)t);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(c->cursor, "page");
}

void
coll_span_advance(struct coll *c, const struct coll_span *sp, int more,
    long page, int as_text)
{
	if (!more) {
		if (sp->max != INT64_MIN)
			set_since(c, sp->max - c->overlap, as_text);
		else
			cJSON_DeleteItemFromObjectCaseSensitive(c->cursor,
			    "page");
	} else if (sp->sorted && sp->max != INT64_MIN &&
	    sp->max - 1 > sp->from) {
		set_since(c, sp->max - 1, as_text);
	} else {
		cj_set_num(c->cursor, "page", (double)page + 1);
	}
}

const char *
cj_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
cj_text(const cJSON *v, struct buf *out)
{
	if (cJSON_IsString(v))
		return buf_adds(out, v->valuestring);
	if (cJSON_IsNumber(v)) {
		double x = v->valuedouble;

		/* The range first: casting a double out of range is UB. */
		if (x > -1e15 && x < 1e15 && x == (double)(int64_t)x)
			return buf_addf(out, "%lld", (long long)x);
		return buf_addf(out, "%.15g", x);
	}
	if (cJSON_IsBool(v))
		return buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
	return -1;
}

long
cj_long(const cJSON *v, long lo, long hi, long dflt)
{
	double x;

	if (!cJSON_IsNumber(v))
		return dflt;
	x = v->valuedouble;
	if (!(x > (double)lo))		/* NaN included */
		return lo;
	if (x >= (double)hi)
		return hi;
	return (long)x;
}

void
cj_set_str(cJSON *o, const char *key, const char *s)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	cJSON_AddStringToObject(o, key, s);
}

void
cj_set_num(cJSON *o, const char *key, double v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	cJSON_AddNumberToObject(o, key, v);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
base64_encode(struct buf *out, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		buf_addc(out, b64[v >> 18 & 63]);
		buf_addc(out, b64[v >> 12 & 63]);
		buf_addc(out, i + 1 < n ? b64[v >> 6 & 63] : '=');
		buf_addc(out, i + 2 < n ? b64[v & 63] : '=');
	}
}

int
base64_decode(struct buf *out, const char *s, size_t n)
{
	uint32_t v = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		const char *c;

		if (isspace((unsigned char)s[i]))
			continue;
		if (s[i] == '=')
			break;
		if ((c = strchr(b64, s[i])) == NULL || s[i] == '\0')
			return -1;
		v = v << 6 | (uint32_t)(c - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (buf_addc(out, (int)(v >> bits & 0xFF)) < 0)
				return -1;
		}
	}
	return 0;
}

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

int
zip_first_file(const void *data, size_t n, struct buf *out,
    const char **why)
{
	const unsigned char *p = data, *eocd = NULL, *cd, *lh;
	uint32_t method, csize, usize, off, crc;
	size_t start = out->len;
	z_stream z;
	int rc;

	/* The end of central directory record is in the last 64 KiB. */
	for (size_t i = n >= 22 ? n - 22 : 0; n >= 22; i--) {
		if (le32(p + i) == 0x06054b50) {
			eocd = p + i;
			break;
		}
		if (i == 0 || n - i > 65557)
			break;
	}
	if (eocd == NULL || le16(eocd + 10) == 0) {
		*why = "not a ZIP archive, or an empty one";
		return -1;
	}
	off = le32(eocd + 16);
	if ((size_t)off + 46 > n || le32(p + off) != 0x02014b50) {
		*why = "the ZIP central directory is damaged";
		return -1;
	}
	cd = p + off;
	method = le16(cd + 10);
	crc = le32(cd + 16);
	csize = le32(cd + 20);
	usize = le32(cd + 24);
	off = le32(cd + 42);
	if ((size_t)off + 30 > n || le32(p + off) != 0x04034b50) {
		*why = "a ZIP local header is damaged";
		return -1;
	}
	lh = p + off + 30 + le16(p + off + 26) + le16(p + off + 28);
	if (lh > p + n || csize > (size_t)(p + n - lh)) {
		*why = "the ZIP archive is truncated";
		return -1;
	}
	if (usize > (512u << 20)) {
		*why = "the file in the ZIP archive is too large";
		return -1;
	}
	if (method == 0) {
		buf_add(out, lh, csize);
	} else if (method == 8) {
		if (buf_grow(out, usize + 1) < 0) {
			*why = "out of room";
			return -1;
		}
		memset(&z, 0, sizeof(z));
		if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
			*why = "zlib failed";
			return -1;
		}
		z.next_in = (unsigned char *)(uintptr_t)lh;
		z.avail_in = csize;
		z.next_out = (unsigned char *)out->data + out->len;
		z.avail_out = usize;
		rc = inflate(&z, Z_FINISH);
		inflateEnd(&z);
		if (rc != Z_STREAM_END || z.total_out != usize) {
			*why = "the ZIP data does not inflate";
			return -1;
		}
		out->len += usize;
		out->data[out->len] = '\0';
	} else {
		*why = "the ZIP archive uses an unknown compression method";
		return -1;
	}
	if (crc32(0L, (const unsigned char *)out->data + start,
	    (uInt)(out->len - start)) != crc) {
		*why = "the ZIP data fails its CRC check";
		return -1;
	}
	return 0;
}
