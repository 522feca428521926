/* SPDX-License-Identifier: MIT */
/*
 * The resolution of a PNG chart: cairo writes no pHYs chunk, so word
 * processors would place a 300 dpi picture at three times its size.
 * report_png_set_dpi() inserts one after the IHDR chunk.
 */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/diag.h"
#include "reports/report.h"

/* The CRC-32 of PNG chunks (ISO 3309), bit by bit: chunks are tiny. */
static unsigned long
crc32_png(const unsigned char *p, size_t n)
{
	unsigned long c = 0xFFFFFFFFUL;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320UL ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xFFFFFFFFUL;
}

static void
put32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

int
report_png_set_dpi(const char *path, unsigned dpi, struct diag *d)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r',
		'\n', 0x1A, '\n' };
	unsigned char chunk[21];
	unsigned long ppm = (unsigned long)(dpi / 0.0254 + 0.5);
	struct buf b = BUF_INIT, out = BUF_INIT;
	FILE *f;
	int rc = -1;

	if ((f = fopen(path, "rb")) == NULL)
		return diag_errno(d, "cannot read '%s'", path);
	for (;;) {
		char tmp[8192];
		size_t got = fread(tmp, 1, sizeof(tmp), f);

		buf_add(&b, tmp, got);
		if (got < sizeof(tmp))
			break;
	}
	fclose(f);
	/* Signature, then IHDR: length 13, type, data, CRC = 33 bytes. */
	if (b.len < 33 || memcmp(b.data, sig, 8) != 0 ||
	    memcmp(b.data + 12, "IHDR", 4) != 0) {
		diag_env(d, "gnuplot wrote '%s', which is not a PNG", path);
		goto out;
	}
	put32(chunk, 9);
	memcpy(chunk + 4, "pHYs", 4);
	put32(chunk + 8, ppm);
	put32(chunk + 12, ppm);
	chunk[16] = 1;			/* unit: the metre */
	put32(chunk + 17, crc32_png(chunk + 4, 13));
	buf_add(&out, b.data, 33);
	buf_add(&out, (const char *)chunk, sizeof(chunk));
	buf_add(&out, b.data + 33, b.len - 33);
	if ((f = fopen(path, "wb")) == NULL) {
		diag_errno(d, "cannot write '%s'", path);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, f) != out.len) {
		diag_errno(d, "cannot write '%s'", path);
		fclose(f);
		goto out;
	}
	if (fclose(f) != 0) {
		diag_errno(d, "cannot write '%s'", path);
		goto out;
	}
	rc = 0;
out:
	buf_release(&b);
	buf_release(&out);
	return rc;
}
