/* multipart.c — the streaming multipart/form-data parser (see multipart.h).
 *
 * The delimiter is CR LF "--" boundary (RFC 2046 §5.1.1); the first one may come
 * without its CR LF, at the very start, so the parser begins as if a CR LF had just
 * been read. Because a boundary may not hold a CR, the only place a match can
 * restart after a mismatch is at a CR: no search table is needed. */
#include <string.h>
#include <strings.h>

#include "multipart.h"

#include "http.h"

enum {
	S_PREAMBLE,    /* before the first delimiter: skipped */
	S_AFTER_DELIM, /* the byte after a delimiter: "--", padding or CR LF */
	S_CLOSE_DASH,  /* one '-' after the delimiter */
	S_PADDING,     /* transport padding (spaces, tabs) before CR LF */
	S_EXPECT_LF,
	S_HEADERS,     /* a part's header lines */
	S_DATA,        /* a part's content */
	S_DONE,
	S_ERROR,
};

/* is_bchar — RFC 2046 §5.1.1: DIGIT / ALPHA / "'()+_,-./:=?" and space (not last). */
static bool is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
		return true;
	return c != 0 && strchr("'()+_,-./:=? ", c) != NULL;
}

int mp_boundary(const char *ct, char out[LIMIT_MULTIPART_BOUNDARY + 1])
{
	static const char type[] = "multipart/form-data";
	const char *p;
	size_t n = 0;

	out[0] = '\0';
	if (!ct)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, type, sizeof type - 1) != 0)
		return 0;
	p = ct + sizeof type - 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != ';' && *p != '\0')
		return 0; /* multipart/form-dataX */
	/* Parameters: name=value pairs after ';' (RFC 9110 §5.6.6). */
	while (*p == ';') {
		const char *name;
		size_t nlen;

		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		name = p;
		while (*p && *p != '=' && *p != ';')
			p++;
		nlen = (size_t)(p - name);
		while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
			nlen--;
		if (*p != '=')
			continue;
		p++;
		bool want = nlen == 8 && strncasecmp(name, "boundary", 8) == 0;
		if (*p == '"') {
			p++;
			for (; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++; /* quoted-pair (RFC 9110 §5.6.4) */
				if (want && n < LIMIT_MULTIPART_BOUNDARY + 1)
					out[n++] = *p;
				else if (want)
					return -1;
			}
			if (*p != '"')
				return -1;
			p++;
		} else {
			for (; *p && *p != ';' && *p != ' ' && *p != '\t'; p++) {
				if (want && n < LIMIT_MULTIPART_BOUNDARY + 1)
					out[n++] = *p;
				else if (want)
					return -1;
			}
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (want)
			break;
	}
	out[n < LIMIT_MULTIPART_BOUNDARY + 1 ? n : LIMIT_MULTIPART_BOUNDARY] = '\0';
	if (n == 0 || n > LIMIT_MULTIPART_BOUNDARY || out[n - 1] == ' ')
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!is_bchar((unsigned char)out[i]))
			return -1;
	return (int)n;
}

void mp_init(struct mp_parser *p, const char *boundary, size_t len,
             const struct mp_callbacks *cb, void *ctx)
{
	memset(p, 0, sizeof *p);
	p->cb = cb;
	p->ctx = ctx;
	if (len > LIMIT_MULTIPART_BOUNDARY)
		len = LIMIT_MULTIPART_BOUNDARY;
	memcpy(p->delim, "\r\n--", 4);
	memcpy(p->delim + 4, boundary, len);
	p->dlen = len + 4;
	p->state = S_PREAMBLE;
	p->match = 2; /* the first delimiter may open the body, without its CR LF */
}

bool mp_done(const struct mp_parser *p)
{
	return p->state == S_DONE;
}

static int bad(struct mp_parser *p, const char *why)
{
	p->state = S_ERROR;
	p->status = HTTP_BAD_REQUEST; /* every rule here is of the body's grammar */
	p->error = why;
	return PARSE_BAD;
}

/* copy_value — a header parameter's value at *s (a token, or a quoted string as
 * HTML's form encoding writes it: '"' ends it, no backslash escapes, so a Windows path
 * survives) into out[0..cap). Returns 0, or -1 when too long or unterminated. */
static int copy_value(const char **s, char *out, size_t cap)
{
	const char *p = *s;
	size_t n = 0;

	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (n + 1 >= cap)
				return -1;
			out[n++] = *p;
		}
		if (*p != '"')
			return -1;
		p++;
	} else {
		for (; *p && *p != ';' && *p != ' ' && *p != '\t'; p++) {
			if (n + 1 >= cap)
				return -1;
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	*s = p;
	return 0;
}

/* disposition — Content-Disposition: form-data; name="…"; filename="…" (RFC 7578 §4.2). */
static int disposition(struct mp_parser *p, const char *v)
{
	bool has_name = false;

	if (strncasecmp(v, "form-data", 9) != 0 ||
	    (v[9] && v[9] != ';' && v[9] != ' ' && v[9] != '\t'))
		return bad(p, "a part's Content-Disposition is not form-data");
	v += 9;
	for (;;) {
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v != ';')
			break;
		v++;
		while (*v == ' ' || *v == '\t')
			v++;
		const char *name = v;
		while (*v && *v != '=' && *v != ';' && *v != ' ' && *v != '\t')
			v++;
		size_t nlen = (size_t)(v - name);
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v != '=')
			continue; /* a parameter without a value: ignored */
		v++;
		while (*v == ' ' || *v == '\t')
			v++;
		char scratch[LIMIT_MULTIPART_NAME + 1];
		char *dest = scratch;
		if (nlen == 4 && strncasecmp(name, "name", 4) == 0 && !has_name) {
			dest = p->part.name;
			has_name = true;
		} else if (nlen == 8 && strncasecmp(name, "filename", 8) == 0 &&
		           !p->part.has_filename) {
			dest = p->part.filename;
			p->part.has_filename = true;
		}
		if (copy_value(&v, dest, LIMIT_MULTIPART_NAME + 1) < 0)
			return bad(p, "a Content-Disposition parameter is too long "
			              "or unterminated");
	}
	if (!has_name)
		return bad(p, "a part has no name (RFC 7578 section 4.2)");
	p->seen_disposition = true;
	return 0;
}

/* header_line — one complete header line of a part, CR LF removed. */
static int header_line(struct mp_parser *p)
{
	char *line = p->line, *colon = memchr(line, ':', p->line_len);
	size_t nlen;

	line[p->line_len] = '\0';
	if (!colon || colon == line)
		return bad(p, "a part's header line has no name and colon");
	nlen = (size_t)(colon - line);
	if (line[nlen - 1] == ' ' || line[nlen - 1] == '\t')
		return bad(p, "whitespace before a colon in a part's header");
	char *v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	size_t vlen = strlen(v);
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		v[--vlen] = '\0';
	if (nlen == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
		if (p->seen_disposition)
			return bad(p, "a part has two Content-Disposition headers");
		return disposition(p, v);
	}
	if (nlen == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
		if (vlen > LIMIT_MULTIPART_TYPE)
			return bad(p, "a part's Content-Type is too long");
		memcpy(p->part.content_type, v, vlen + 1);
	}
	return 0; /* other headers (Content-Transfer-Encoding is deprecated, §4.7) */
}

/* emit — part content to the caller (nothing in the preamble). */
static int emit(struct mp_parser *p, const char *data, size_t len)
{
	if (len == 0 || p->state != S_DATA)
		return 0;
	return p->cb->part_data(p->ctx, data, len) ? PARSE_STOPPED : 0;
}

int mp_feed(struct mp_parser *p, const char *buf, size_t len)
{
	size_t run = 0;         /* start of content in buf not yet handed over */
	size_t held = p->match; /* delimiter bytes matched in earlier pieces */

	if (p->state == S_DONE)
		return 0;
	if (p->state == S_ERROR)
		return PARSE_BAD;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		switch (p->state) {
		case S_PREAMBLE:
		case S_DATA:
			/* BEGIN SOLUTION: match the delimiter p->delim[0..p->dlen) byte by byte,
			 * p->match bytes matched so far, held of them in earlier pieces: a whole
			 * one ends the content before it (emit from run, part_end) and goes to
			 * S_AFTER_DELIM; a mismatch makes the held bytes content (emit) and may
			 * start a new match at a CR (a boundary holds none) */
			if (c == (unsigned char)p->delim[p->match]) {
				if (++p->match < p->dlen)
					break;
				/* A whole delimiter: what came before it is the content. */
				size_t here = p->dlen - held; /* its bytes in this piece */
				if (emit(p, buf + run, i + 1 - here - run))
					return PARSE_STOPPED;
				if (p->state == S_DATA) {
					p->in_part = false;
					if (p->cb->part_end(p->ctx))
						return PARSE_STOPPED;
				}
				p->match = held = 0;
				p->state = S_AFTER_DELIM;
				break;
			}
			if (p->match > 0) {
				/* Not a delimiter after all: the bytes held back from earlier
				 * pieces are content (those of this piece are still in the run). */
				if (held > 0 && emit(p, p->delim, held))
					return PARSE_STOPPED;
				held = 0;
				p->match = c == '\r' ? 1 : 0;
			} else if (c == '\r') {
				p->match = 1;
			}
			/* END SOLUTION */
			break;
		case S_AFTER_DELIM:
			if (c == '-')
				p->state = S_CLOSE_DASH;
			else if (c == '\r')
				p->state = S_EXPECT_LF;
			else if (c == ' ' || c == '\t')
				p->state = S_PADDING;
			else
				return bad(p, "a boundary is followed by something other "
				              "than CR LF or --");
			break;
		case S_CLOSE_DASH:
			if (c != '-')
				return bad(p, "a boundary is followed by something other "
				              "than CR LF or --");
			p->state = S_DONE;
			return (int)(i + 1);
		case S_PADDING:
			if (c == '\r')
				p->state = S_EXPECT_LF;
			else if (c != ' ' && c != '\t')
				return bad(p, "a boundary is followed by something other "
				              "than CR LF or --");
			break;
		case S_EXPECT_LF:
			if (c != '\n')
				return bad(p, "a boundary line does not end in CR LF");
			if (++p->parts > LIMIT_MULTIPART_PARTS)
				return bad(p, "too many parts");
			memset(&p->part, 0, sizeof p->part);
			p->seen_disposition = false;
			p->line_len = p->header_bytes = 0;
			p->state = S_HEADERS;
			break;
		case S_HEADERS:
			if (++p->header_bytes > LIMIT_MULTIPART_HEADER)
				return bad(p, "a part's headers are too long");
			if (c == '\0')
				return bad(p, "a NUL in a part's headers");
			if (c != '\n') {
				p->line[p->line_len++] = (char)c; /* header_bytes bounds line_len */
				break;
			}
			if (p->line_len == 0 || p->line[p->line_len - 1] != '\r')
				return bad(p, "a part's header line ends in a bare LF");
			p->line_len--;
			if (p->line_len > 0) {
				if (header_line(p) < 0)
					return PARSE_BAD;
				p->line_len = 0;
				break;
			}
			if (!p->seen_disposition)
				return bad(p, "a part has no Content-Disposition "
				              "(RFC 7578 section 4.2)");
			if (p->cb->part_begin(p->ctx, &p->part))
				return PARSE_STOPPED;
			p->in_part = true;
			p->state = S_DATA;
			p->match = held = 0;
			run = i + 1;
			break;
		default:
			return PARSE_BAD;
		}
	}
	/* BEGIN SOLUTION: at the end of a piece in S_DATA, hand over the content from run,
	 * but hold back the bytes of this piece that may start a delimiter */
	if (p->state == S_DATA) {
		size_t tail = p->match - held; /* a possible delimiter start: held back */
		if (emit(p, buf + run, len - tail - run))
			return PARSE_STOPPED;
	}
	/* END SOLUTION */
	return PARSE_INCOMPLETE;
}
