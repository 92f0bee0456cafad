/* http_chunked.c — decoding a chunked body (RFC 9112 §7.1) one byte at a time, so a
 * body split anywhere across reads decodes the same. The server decodes request bodies
 * with it (crlf_only when their head's lines ended in CRLF); the lab checks (crlf_only)
 * the bodies of a student's responses. */
#include "http.h"

#include <string.h>

#include "chars.h"

/* Where the decoder is. The chunk-size line: the size's digits, then the extensions
 * (each state named for what it has just read or wants next), then the LF of its CRLF.
 * The data and its line end. The trailer section. */
enum {
	CH_SIZE, CH_BWS, CH_EXT_NAME0, CH_EXT_NAME, CH_EXT_NAME_BWS, CH_EXT_VAL0,
	CH_EXT_TOKEN, CH_EXT_QUOTED, CH_EXT_ESCAPE, CH_EXT_VAL_END, CH_SIZE_LF,
	CH_DATA, CH_DATA_END, CH_DATA_LF,
	CH_TRAILER_START, CH_TRAILER_NAME, CH_TRAILER, CH_TRAILER_LF, CH_END_LF, CH_DONE,
};

/* Why a body breaks the grammar, for the 400 page. */
static const char bad_chunk[] = "The chunked body is malformed (RFC 9112 section 7.1).";
static const char bad_ext[] =
	"A chunk extension is malformed: whitespace only around ; and =, a name after "
	"each ;, every quote closed (RFC 9112 section 7.1.1).";
static const char bad_trailer[] =
	"A trailer line is not a header field, or the empty line that ends the body is "
	"missing (RFC 9112 section 7.1.2).";
static const char bare_lf[] =
	"A line of the chunked body ends in a bare LF where CRLF is due "
	"(RFC 9112 sections 2.2 and 7.1).";

/* refuse — the body breaks the grammar: 400, and why. */
static int refuse(struct http_chunked *d, const char *why)
{
	d->status = HTTP_BAD_REQUEST;
	d->error = why;
	return PARSE_BAD;
}

/* malformed — the body breaks the grammar of chunks or their sizes: 400. */
static int malformed(struct http_chunked *d)
{
	return refuse(d, bad_chunk);
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

/* ext_next — the state after byte c of the chunk extensions (RFC 9112 §7.1.1):
 *
 *   chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 *   chunk-ext-val = token / quoted-string
 *
 * so whitespace (BWS) may stand only before or after a ';' or '=', never at the end of
 * the line ("a \r\n"), and a ';' needs a name after it ("2;\r\n"). Extensions are
 * checked, then ignored (§7.1.1: a recipient MUST ignore those it does not know).
 * Returns -1 for a byte the grammar has no place for. */
static int ext_next(int state, unsigned char c)
{
	bool ws = chars_is_ows(c), tchar = chars_is_tchar(c);

	switch (state) {
	case CH_EXT_NAME0:    /* after ';' */
		return ws ? CH_EXT_NAME0 : tchar ? CH_EXT_NAME : -1;
	case CH_EXT_NAME:
	case CH_EXT_NAME_BWS: /* a name, maybe whitespace after it */
		if (tchar && state == CH_EXT_NAME)
			return CH_EXT_NAME;
		return ws ? CH_EXT_NAME_BWS : c == '=' ? CH_EXT_VAL0 : c == ';' ? CH_EXT_NAME0 : -1;
	case CH_EXT_VAL0:     /* after '=' */
		return ws ? CH_EXT_VAL0 : c == '"' ? CH_EXT_QUOTED : tchar ? CH_EXT_TOKEN : -1;
	case CH_EXT_QUOTED:   /* qdtext is a field byte but '"' and '\\' (RFC 9110 §5.6.4) */
		if (c == '"' || c == '\\')
			return c == '"' ? CH_EXT_VAL_END : CH_EXT_ESCAPE;
		return chars_is_field_char(c) ? CH_EXT_QUOTED : -1;
	case CH_EXT_ESCAPE:   /* quoted-pair */
		return chars_is_field_char(c) ? CH_EXT_QUOTED : -1;
	default:              /* after the size or a value, or whitespace after them */
		if (tchar && state == CH_EXT_TOKEN)
			return CH_EXT_TOKEN;
		return c == ';' ? CH_EXT_NAME0 : ws ? CH_BWS : -1;
	}
}

/* line_may_end — the chunk-size line can end here: after the size, a name or a value,
 * not after whitespace, a ';' or '=', nor inside quotes. */
static bool line_may_end(int state)
{
	return state == CH_SIZE || state == CH_EXT_NAME || state == CH_EXT_TOKEN ||
	       state == CH_EXT_VAL_END;
}

/* size_byte — one byte of "1a;name=value\r\n": hex digits, extensions, line end (a
 * bare LF only when the head ended its lines so, !crlf_only). */
static int size_byte(struct http_chunked *d, unsigned char c)
{
	/* BEGIN SOLUTION: one byte of the chunk-size line (RFC 9112 §7.1): the line is at
	 * most LIMIT_CHUNK_LINE bytes; hex digits add to d->remaining, refusing a size that
	 * would overflow 64 bits; at least one digit; then the extensions (ext_next), and the
	 * line's end, CRLF (CH_SIZE_LF), or a bare LF unless crlf_only, where line_may_end
	 * allows it (size_done); malformed, refuse(d, bad_ext) or refuse(d, bare_lf) else */
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
	if (c == '\r' || c == '\n') {
		if (!line_may_end(d->state))
			return refuse(d, bad_ext); /* "a \r\n", "2;\r\n", "1;a=\"b\r\n" */
		if (c == '\n')
			return d->crlf_only ? refuse(d, bare_lf) : size_done(d);
		d->state = CH_SIZE_LF;
		return 0;
	}
	int next = ext_next(d->state, c);
	if (next < 0) /* "1x" right after the digits; "1 2", "1;=b" in the extensions */
		return d->state == CH_SIZE ? malformed(d) : refuse(d, bad_ext);
	d->state = next;
	/* END SOLUTION */
	return 0;
}

/* data_end_byte — the CRLF after a chunk's data (a lone LF too, unless crlf_only). */
static int data_end_byte(struct http_chunked *d, unsigned char c)
{
	if (d->state == CH_DATA_END && c == '\r') {
		d->state = CH_DATA_LF;
		return 0;
	}
	if (c != '\n')
		return malformed(d);
	if (d->state == CH_DATA_END && d->crlf_only)
		return refuse(d, bare_lf);
	d->state = CH_SIZE;
	d->remaining = 0;
	return 0;
}

/* trailer_name_byte — a trailer field's name, up to its colon: a token, as in a head
 * (RFC 9112 §5.1). A line starting with whitespace (obs-fold), whitespace before the
 * colon, or a request line where a field belongs are all refused here. */
static int trailer_name_byte(struct http_chunked *d, unsigned char c)
{
	if (c == ':' && d->line_len > 0) {
		d->state = CH_TRAILER;
		return 0;
	}
	if (!chars_is_tchar(c))
		return refuse(d, bad_trailer);
	d->line_len++;
	return 0;
}

/* trailer_byte — the trailer section after the last chunk: field lines, checked as
 * header fields are (RFC 9112 §7.1.2), counted against LIMIT_HEADERS_TOTAL and then
 * dropped; then the empty line that ends the body. The section ends only at
 * that empty line: when a client leaves it out, the next request's line stands where a
 * field must, and is refused rather than taken as a trailer or guessed to be a request
 * (the body has no end the server can trust: 400, close). */
static int trailer_byte(struct http_chunked *d, unsigned char c)
{
	bool lf_ends = c == '\n' && !d->crlf_only;

	if (d->state == CH_TRAILER_START && (c == '\r' || lf_ends)) {
		d->state = c == '\r' ? CH_END_LF : CH_DONE; /* the empty line */
		return 0;
	}
	if (d->state == CH_END_LF)
		return c == '\n' ? (d->state = CH_DONE, 0) : refuse(d, bad_trailer);
	if (c == '\n' && d->crlf_only && d->state != CH_TRAILER_LF)
		return refuse(d, bare_lf);
	/* trailer_len: the field lines only, which the lab shows */
	if (++d->trailer_len > LIMIT_HEADERS_TOTAL)
		return refuse(d, bad_trailer);
	switch (d->state) {
	case CH_TRAILER_START: /* a field's first byte */
		d->state = CH_TRAILER_NAME;
		d->line_len = 0;
		return trailer_name_byte(d, c);
	case CH_TRAILER_NAME:
		return trailer_name_byte(d, c);
	case CH_TRAILER: /* the value: no NUL, bare CR or other CTL (RFC 9110 §5.5) */
		if (c == '\r')
			d->state = CH_TRAILER_LF;
		else if (lf_ends)
			d->state = CH_TRAILER_START;
		else if (!chars_is_field_char(c))
			return refuse(d, bad_trailer);
		return 0;
	default: /* CH_TRAILER_LF: a CR was read, its LF must follow */
		if (c != '\n')
			return refuse(d, bad_trailer); /* a bare CR in the value */
		d->state = CH_TRAILER_START;
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
