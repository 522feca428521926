/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the collector's helpers: URLs (what may be fetched, what
 * is written down of them), ISO 8601 times, base64 and the one file of a
 * ZIP archive (stored and deflated, and damaged ones refused), numbers
 * from replies, and a driver's offline entry point (what the fuzzers
 * call) storing what a page holds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "collector/collect_int.h"
#include "common/buf.h"
#include "common/diag.h"
#include "common/store.h"
#include "questionnaires/qn.h"
#include "tests/unit/unit.h"

static void
redacts(const char *url, const char *want)
{
	struct buf b = BUF_INIT;

	coll_url_redact(url, &b);
	ASSERT_STR_EQ(b.data, want);
	buf_release(&b);
}

TEST(collect_url_redact)
{
	redacts("https://api.example.com/v3/x?a=1",
	    "https://api.example.com/v3/x?a=1");
	redacts("https://u:pw@api.example.com/v3",
	    "https://api.example.com/v3");
	redacts("http://u@127.0.0.1:8/x?q", "http://127.0.0.1:8/x?q");
	redacts("https://h/x?api_key=S3&page=2&token=T&Key=K",
	    "https://h/x?api_key=REDACTED&page=2&token=REDACTED&Key=REDACTED");
	/* A fragment is never sent; it is not written down either. */
	redacts("https://h/x?page=2#access_token=x", "https://h/x?page=2");
	redacts("no url", "no url");
}

TEST(collect_url_check)
{
	struct diag d = DIAG_INIT;

	diag_init(&d);
	ASSERT_EQ(coll_url_check("https://api.example.com/v3", "u", &d), 0);
	ASSERT_EQ(coll_url_check("http://127.0.0.1:8080/x", "u", &d), 0);
	ASSERT_EQ(coll_url_check("http://127.1.2.3/x", "u", &d), 0);
	ASSERT_EQ(coll_url_check("http://localhost/x", "u", &d), 0);
	ASSERT_EQ(coll_url_check("http://[::1]:9/x", "u", &d), 0);
	ASSERT_EQ(diag_errors(&d), 0);
	ASSERT_EQ(coll_url_check("http://api.typeform.com", "u", &d), -1);
	ASSERT_EQ(coll_url_check("http://127.0.0.1.evil.com/", "u", &d), -1);
	ASSERT_EQ(coll_url_check("ftp://127.0.0.1/", "u", &d), -1);
	ASSERT_EQ(coll_url_check("::nonsense", "u", &d), -1);
	ASSERT_EQ(diag_errors(&d), 4);
	diag_release(&d);
}

TEST(collect_same_origin)
{
	ASSERT(coll_same_origin("https://a.com/v3", "https://a.com/x?y"));
	ASSERT(coll_same_origin("https://a.com/v3", "https://a.com:443/v3"));
	ASSERT(!coll_same_origin("https://a.com/v3", "http://a.com/v3"));
	ASSERT(!coll_same_origin("https://a.com/v3", "https://b.com/v3"));
	ASSERT(!coll_same_origin("http://127.0.0.1:1/", "http://127.0.0.1:2/"));
}

TEST(collect_time)
{
	char out[32];
	int64_t t;

	ASSERT_EQ(coll_time_parse("1970-01-01T00:00:00Z", &t), 0);
	ASSERT_EQ(t, 0);
	ASSERT_EQ(coll_time_parse("2025-03-03T09:21:40+00:00", &t), 0);
	ASSERT_EQ(t, 1740993700);
	ASSERT_EQ(coll_time_parse("2025-03-03T10:21:40+01:00", &t), 0);
	ASSERT_EQ(t, 1740993700);
	ASSERT_EQ(coll_time_parse("2025-03-03 09:21:40", &t), 0);
	ASSERT_EQ(t, 1740993700);
	ASSERT_EQ(coll_time_parse("2025-03-03T09:21:40.123Z", &t), 0);
	ASSERT_EQ(t, 1740993700);
	ASSERT_EQ(coll_time_parse("2024-02-29T23:59:59-0130", &t), 0);
	ASSERT_EQ(t, 1709251199 + 5400);
	coll_time_fmt(1740993700, 1, out);
	ASSERT_STR_EQ(out, "2025-03-03T09:21:40Z");
	coll_time_fmt(1740993700, 0, out);
	ASSERT_STR_EQ(out, "2025-03-03T09:21:40");
	ASSERT_EQ(coll_time_parse("2025-03-03", &t), -1);
	ASSERT_EQ(coll_time_parse("2025-13-03T09:21:40Z", &t), -1);
	ASSERT_EQ(coll_time_parse("2025-03-03T09:21:40Zx", &t), -1);
	ASSERT_EQ(coll_time_parse("", &t), -1);
}

TEST(collect_base64)
{
	static const char *const plain[] = { "", "f", "fo", "foo", "foob",
	    "fooba", "foobar", "emu-api-token:s3cr\xc3\xa9t" };
	static const char *const enc[] = { "", "Zg==", "Zm8=", "Zm9v",
	    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
	    "ZW11LWFwaS10b2tlbjpzM2Nyw6l0" };
	struct buf b = BUF_INIT, back = BUF_INIT;

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		buf_reset(&b);
		buf_reset(&back);
		base64_encode(&b, plain[i], strlen(plain[i]));
		ASSERT_STR_EQ(b.data, enc[i]);
		ASSERT_EQ(base64_decode(&back, b.data, b.len), 0);
		ASSERT_STR_EQ(back.data, plain[i]);
	}
	buf_reset(&back);
	ASSERT_EQ(base64_decode(&back, "Zm9v\nYmFy\n", 10), 0);
	ASSERT_STR_EQ(back.data, "foobar");
	ASSERT_EQ(base64_decode(&back, "Zm9*", 4), -1);
	buf_release(&b);
	buf_release(&back);
}

static void
le16(struct buf *b, unsigned v)
{
	buf_addc(b, (int)(v & 0xFF));
	buf_addc(b, (int)(v >> 8 & 0xFF));
}

static void
le32(struct buf *b, uint32_t v)
{
	le16(b, v & 0xFFFF);
	le16(b, v >> 16);
}

/* A one-file ZIP archive of data, stored (method 0) or deflated (8). */
static void
make_zip(struct buf *z, const char *data, int method)
{
	size_t n = strlen(data), off;
	uint32_t crc = (uint32_t)crc32(0, (const unsigned char *)data,
	    (uInt)n);
	unsigned char packed[4096];
	size_t plen = n;
	const char *name = "answers.json";

	if (method == 8) {
		z_stream s;

		memset(&s, 0, sizeof(s));
		ASSERT_EQ(deflateInit2(&s, 9, Z_DEFLATED, -MAX_WBITS, 8,
		    Z_DEFAULT_STRATEGY), Z_OK);
		s.next_in = (unsigned char *)(uintptr_t)data;
		s.avail_in = (uInt)n;
		s.next_out = packed;
		s.avail_out = sizeof(packed);
		ASSERT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
		plen = s.total_out;
		deflateEnd(&s);
	} else {
		memcpy(packed, data, n);
	}
	le32(z, 0x04034b50);
	le16(z, 20); le16(z, 0); le16(z, (unsigned)method);
	le16(z, 0); le16(z, 0);
	le32(z, crc); le32(z, (uint32_t)plen); le32(z, (uint32_t)n);
	le16(z, (unsigned)strlen(name)); le16(z, 0);
	buf_adds(z, name);
	buf_add(z, packed, plen);
	off = z->len;
	le32(z, 0x02014b50);
	le16(z, 20); le16(z, 20); le16(z, 0); le16(z, (unsigned)method);
	le16(z, 0); le16(z, 0);
	le32(z, crc); le32(z, (uint32_t)plen); le32(z, (uint32_t)n);
	le16(z, (unsigned)strlen(name)); le16(z, 0); le16(z, 0);
	le16(z, 0); le16(z, 0); le32(z, 0); le32(z, 0);
	buf_adds(z, name);
	le32(z, 0x06054b50);
	le16(z, 0); le16(z, 0); le16(z, 1); le16(z, 1);
	le32(z, (uint32_t)(z->len - off - 0)); le32(z, (uint32_t)off);
	le16(z, 0);
}

TEST(collect_zip)
{
	const char *doc = "{\"responses\":[{\"responseId\":\"R_1\"},"
	    "{\"responseId\":\"R_2\"},{\"responseId\":\"R_3\"}]}";
	struct buf z = BUF_INIT, out = BUF_INIT;
	const char *why = NULL;

	for (int method = 0; method <= 8; method += 8) {
		buf_reset(&z);
		buf_reset(&out);
		make_zip(&z, doc, method);
		ASSERT_EQ(zip_first_file(z.data, z.len, &out, &why), 0);
		ASSERT_STR_EQ(out.data, doc);
	}
	/* A flipped byte of the data fails the CRC or the inflation. */
	z.data[48] ^= 0x55;
	buf_reset(&out);
	ASSERT_EQ(zip_first_file(z.data, z.len, &out, &why), -1);
	ASSERT(why != NULL);
	/* Cut short, or not a ZIP at all. */
	ASSERT_EQ(zip_first_file(z.data, 30, &out, &why), -1);
	ASSERT_EQ(zip_first_file("{\"responses\":[]}", 16, &out, &why), -1);
	ASSERT_STR_EQ(why, "not a ZIP archive, or an empty one");
	buf_release(&z);
	buf_release(&out);
}

TEST(collect_cj_long)
{
	cJSON *j = cJSON_Parse("[5, -3, 1e300, -1e300, 2.9, \"7\"]");

	ASSERT(j != NULL);
	ASSERT_EQ(cj_long(cJSON_GetArrayItem(j, 0), 0, 100, -1), 5);
	ASSERT_EQ(cj_long(cJSON_GetArrayItem(j, 1), 0, 100, -1), 0);
	ASSERT_EQ(cj_long(cJSON_GetArrayItem(j, 2), 0, 100, -1), 100);
	ASSERT_EQ(cj_long(cJSON_GetArrayItem(j, 3), -1, 100, 9), -1);
	ASSERT_EQ(cj_long(cJSON_GetArrayItem(j, 4), 0, 100, -1), 2);
	ASSERT_EQ(cj_long(cJSON_GetArrayItem(j, 5), 0, 100, -1), -1);
	ASSERT_EQ(cj_long(NULL, 0, 100, 42), 42);
	cJSON_Delete(j);
}

static const char tf_def[] =
    "{\"id\":\"tf\",\"year\":2024,\"id_column\":\"ID\","
    "\"scales\":{\"f\":{\"levels\":[{\"key\":\"never\",\"label\":"
    "\"Never\"},{\"key\":\"often\",\"label\":\"Often\"}]}},"
    "\"dimensions\":[{\"key\":\"team\",\"label\":\"Team\","
    "\"column\":\"T\",\"source\":{\"typeform\":\"team\"}}],"
    "\"items\":[{\"key\":\"stress\",\"type\":\"scale\",\"scale\":"
    "\"f\",\"text\":\"S\",\"column\":\"S\","
    "\"source\":{\"typeform\":\"st\"}}]}";

static const char tf_page[] =
    "{\"total_items\":3,\"items\":["
    "{\"response_id\":\"r1\",\"submitted_at\":\"2024-05-01T10:00:00Z\","
    "\"answers\":[{\"field\":{\"ref\":\"team\"},\"type\":\"text\","
    "\"text\":\"Alpha\"},{\"field\":{\"ref\":\"st\"},\"type\":"
    "\"choice\",\"choice\":{\"label\":\"Often\"}}]},"
    "{\"response_id\":\"r2\",\"answers\":[]},"
    "{\"token\":\"r3\",\"answers\":[{\"field\":{\"ref\":\"st\"},"
    "\"type\":\"choice\",\"choice\":{\"other\":\"never\"}}]}]}";

TEST(collect_offline_page)
{
	struct diag d = DIAG_INIT;
	const char *tmp = getenv("TMPDIR");
	char dir[512], path[600];
	struct store *st;
	struct coll *c;
	struct qn *q;

	snprintf(dir, sizeof(dir), "%s/whc-u-offline-XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	ASSERT(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/s.db", dir);
	ASSERT((q = qn_load_text(tf_def, "tf.json", &d)) != NULL);
	ASSERT((st = store_open(path, STORE_RW, &d)) != NULL);
	ASSERT((c = coll_offline_new(st, q, "typeform", &d)) != NULL);
	ASSERT_EQ(coll_page_begin(c), 0);
	ASSERT_EQ(coll_typeform_page(c, tf_page, sizeof(tf_page) - 1), 0);
	ASSERT_EQ(c->stats.rows, 3);
	ASSERT_EQ(c->stats.changed, 3);
	ASSERT_EQ(coll_page_end(c), 0);
	/* Not JSON, or no "items": refused with a reason. */
	ASSERT_EQ(coll_page_begin(c), 0);
	ASSERT_EQ(coll_typeform_page(c, "{\"items\":", 9), -1);
	ASSERT_EQ(coll_typeform_page(c, "{}", 2), -1);
	coll_page_abort(c);
	ASSERT_EQ(diag_errors(&d), 2);
	coll_offline_free(c);
	store_close(st);
	qn_free(q);
	diag_release(&d);
	ASSERT_EQ(unlink(path), 0);
	rmdir(dir);
}
