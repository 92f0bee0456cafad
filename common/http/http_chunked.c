/* http_chunked.c — decoding a chunked body (RFC 9112 §7.1) one byte at a time, so a
 * body split anywhere across reads decodes the same. The server decodes request bodies
 * with it; the lab checks (crlf_only) the bodies of a student's responses. */
#include "http.h"

#include <string.h>

#include "chars.h"

/* Where the decoder is: chunk-size line; data and its line end; trailer section. */
enum {
	CH_SIZE, CH_SIZE_WS, CH_EXT, CH_SIZE_LF,
	CH_DATA, CH_DATA_END, CH_DATA_LF,
	CH_TRAILER_START, CH_TRAILER_NAME, CH_TRAILER, CH_TRAILER_LF, CH_END_LF, CH_DONE,
};

/* malformed — the body breaks the grammar: 400. */
static int malformed(struct http_chunked *d)
{
	d->status = HTTP_BAD_REQUEST;
	d->error = "The chunked body is malformed (RFC 9112 section 7.1).";
	return PARSE_BAD;
}

/* too_big — the body is over d->limit: 413. */
static int too_big(struct http_chunked *d)
{
	d->status = HTTP_CONTENT_TOO_LARGE;
	d->error = NULL;
	return PARSE_BAD;
}

/* size_done — a chunk-size line has ended: start its data, or the trailers. */
static int size_done(struct http_chunked *d)
{
	d->line_len = 0;
	d->digits = 0;
	if (d->remaining == 0) {
		d->state = CH_TRAILER_START;
		return 0;
	}
	if (d->remaining > d->limit - d->total)
		return too_big(d); /* refuse before the data arrives */
	d->total += d->remaining;
	d->state = CH_DATA;
	return 0;
}

/* size_byte — one byte of "1a;ext=val\r\n": hex digits, then optional BWS and
 * extensions (allowed and ignored), then the line end. */
static int size_byte(struct http_chunked *d, unsigned char c)
{
	if (++d->line_len > LIMIT_CHUNK_LINE)
		return malformed(d);
	if (d->state == CH_SIZE_LF)
		return c == '\n' ? size_done(d) : malformed(d);
	if (d->state == CH_SIZE && chars_hex_value(c) >= 0) {
		if (d->remaining > (UINT64_MAX >> 4))
			return malformed(d);
		d->remaining = d->remaining * 16 + (uint64_t)chars_hex_value(c);
		d->digits++;
		return 0;
	}
	if (d->digits == 0)
		return malformed(d);
	if (c == '\r') {
		d->state = CH_SIZE_LF;
		return 0;
	}
	if (c == '\n')
		return d->crlf_only ? malformed(d) : size_done(d);
	if (d->state == CH_EXT)
		return chars_is_field_char(c) ? 0 : malformed(d);
	if (c == ';')
		d->state = CH_EXT;
	else if (chars_is_ows(c))
		d->state = CH_SIZE_WS;
	else
		return malformed(d); /* "1 2", "1x": nothing else may follow the digits */
	return 0;
}

/* data_end_byte — the CRLF after a chunk's data (a lone LF too, unless crlf_only). */
static int data_end_byte(struct http_chunked *d, unsigned char c)
{
	if (d->state == CH_DATA_END && c == '\r') {
		d->state = CH_DATA_LF;
		return 0;
	}
	if (c != '\n' || (d->state == CH_DATA_END && d->crlf_only))
		return malformed(d);
	d->state = CH_SIZE;
	d->remaining = 0;
	return 0;
}

/* trailer_byte — the trailer section after the last chunk: field lines, each counted
 * against LIMIT_HEADERS_TOTAL, then an empty line. They are skipped, not parsed;
 * crlf_only also wants each to be "name:" and to end in CRLF. */
static int trailer_byte(struct http_chunked *d, unsigned char c)
{
	bool line_end = c == '\n' && !d->crlf_only;

	if (d->state == CH_TRAILER_START && (c == '\r' || line_end)) {
		d->state = c == '\r' ? CH_END_LF : CH_DONE;
		return 0;
	}
	if (d->state == CH_END_LF)
		return c == '\n' ? (d->state = CH_DONE, 0) : malformed(d);
	if (++d->trailer_len > LIMIT_HEADERS_TOTAL)
		return malformed(d);
	if (d->state == CH_TRAILER_START) {
		d->state = d->crlf_only ? CH_TRAILER_NAME : CH_TRAILER;
		d->line_len = 0;
	}
	switch (d->state) {
	case CH_TRAILER_NAME:
		if (c == ':' && d->line_len > 0)
			d->state = CH_TRAILER;
		else if (!chars_is_tchar(c))
			return malformed(d);
		d->line_len++;
		return 0;
	case CH_TRAILER_LF:
		if (c != '\n')
			return malformed(d);
		d->state = CH_TRAILER_START;
		return 0;
	default: /* CH_TRAILER: the value, up to its line end */
		if (line_end)
			d->state = CH_TRAILER_START;
		else if (c == '\r' && d->crlf_only)
			d->state = CH_TRAILER_LF;
		else if (c == '\n')
			return malformed(d);
		return 0;
	}
}

long http_chunked_decode(struct http_chunked *d, const char *in, size_t len, char *out,
                         size_t *out_len)
{
	size_t used = 0, n = 0;

	while (used < len && d->state != CH_DONE) {
		if (d->state == CH_DATA) {
			size_t take = len - used;
			if (take > d->remaining)
				take = (size_t)d->remaining;
			if (out)
				memmove(out + n, in + used, take);
			n += take;
			used += take;
			d->remaining -= take;
			if (d->remaining == 0)
				d->state = CH_DATA_END;
			continue;
		}
		unsigned char c = (unsigned char)in[used++];
		int rc;
		if (d->state <= CH_SIZE_LF)
			rc = size_byte(d, c);
		else if (d->state <= CH_DATA_LF)
			rc = data_end_byte(d, c);
		else
			rc = trailer_byte(d, c);
		if (rc < 0) {
			*out_len = n;
			return rc;
		}
	}
	*out_len = n;
	return d->state == CH_DONE ? (long)used : PARSE_INCOMPLETE;
}
