/* gzip.c — gzip bodies on zlib, and the Accept-Encoding decision. */
#include "gzip.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "http.h"

#define GZIP_WINDOW (15 + 16) /* windowBits + 16: zlib's way to ask for gzip framing */

int gz_compress(const void *in, size_t len, unsigned char **out, size_t *out_len)
{
	z_stream z = {0};
	int rc = -1;

	int wbits = 15, memlevel = 8;

	*out = NULL;
	*out_len = 0;
	/* A window larger than the input buys nothing but a 256 KiB state to set up and
	 * clear for every small body; shrink it to fit, as nginx does. */
	while (wbits > 9 && len + 262 < (1u << (wbits - 1))) {
		wbits--;
		memlevel = memlevel > 1 ? memlevel - 1 : 1;
	}
	if (len > UINT32_MAX || deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, wbits + 16,
	                                     memlevel, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	size_t cap = deflateBound(&z, (uLong)len);
	unsigned char *buf = malloc(cap);
	if (!buf)
		goto end;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		free(buf);
		goto end;
	}
	*out = buf;
	*out_len = z.total_out;
	rc = 0;
end:
	deflateEnd(&z);
	return rc;
}

/* grow — doubles the output buffer, never past max + 1 bytes. */
static int grow(unsigned char **buf, size_t *cap, size_t max)
{
	if (*cap > max)
		return -2;
	size_t want = *cap * 2 > max + 1 ? max + 1 : *cap * 2;
	unsigned char *p = realloc(*buf, want);
	if (!p)
		return -1;
	*buf = p;
	*cap = want;
	return 0;
}

int gz_decompress(const void *in, size_t len, size_t max, unsigned char **out,
                  size_t *out_len)
{
	z_stream z = {0};
	size_t cap = 4096;
	unsigned char *buf = malloc(cap);
	int rc = -1, zr = Z_OK;

	*out = NULL;
	*out_len = 0;
	if (!buf || len > UINT32_MAX || inflateInit2(&z, GZIP_WINDOW) != Z_OK) {
		free(buf);
		return -1;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	while (zr == Z_OK) {
		if (z.total_out == cap && (rc = grow(&buf, &cap, max)) != 0)
			break;
		z.next_out = buf + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		zr = inflate(&z, Z_NO_FLUSH);
		rc = -1;
	}
	if (zr == Z_STREAM_END && z.total_out <= max &&
	    (z.total_out < cap || grow(&buf, &cap, max) == 0)) {
		buf[z.total_out] = '\0';
		*out = buf;
		*out_len = z.total_out;
		buf = NULL;
		rc = 0;
	} else if (zr == Z_STREAM_END) {
		rc = -2;
	}
	inflateEnd(&z);
	free(buf);
	return rc;
}

bool gz_accepted(const char *accept_encoding)
{
	const char *cursor = accept_encoding;
	char coding[32];
	int q, gzip_q = -1, star_q = -1;

	while (cursor && http_qlist_next(&cursor, coding, sizeof coding, &q)) {
		if (strcasecmp(coding, "gzip") == 0 || strcasecmp(coding, "x-gzip") == 0)
			gzip_q = q > gzip_q ? q : gzip_q;
		else if (strcmp(coding, "*") == 0)
			star_q = q;
	}
	/* A coding named outright wins over "*" (RFC 9110 §12.5.3). */
	return gzip_q >= 0 ? gzip_q > 0 : star_q > 0;
}
