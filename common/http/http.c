/* http.c — the HTTP/1.1 request parser (RFC 9112 §2–§7) and its small helpers. */
#include "http.h"

#include <string.h>
#include <strings.h>

#include "url.h"
#include "chars.h"

/* refuse — notes why the request is refused (fixed text, never request bytes, so it is
 * safe in an HTML page) and returns minus the status. */
static int refuse(struct http_request *req, int status, const char *why)
{
	req->error = why;
	return -status;
}

/* ---- copying strings into req->text ---- */

struct store {
	char *next;
	size_t left;
};

/* store_put — copies s[0..n) and a NUL into the request's text; NULL when full. */
static const char *store_put(struct store *st, const char *s, size_t n)
{
	if (n >= st->left)
		return NULL;
	char *dst = st->next;
	memcpy(dst, s, n);
	dst[n] = '\0';
	st->next += n + 1;
	st->left -= n + 1;
	return dst;
}

/* ---- the request line: method SP request-target SP HTTP-version (RFC 9112 §3) ---- */

/* parse_version — "HTTP/1.1" → 11, "HTTP/1.0" → 10; -505 for another major version. */
static int parse_version(struct http_request *req, const char *v, size_t n)
{
	if (n < 6 || memcmp(v, "HTTP/", 5) != 0 || !chars_is_digit((unsigned char)v[5]))
		return refuse(req, HTTP_BAD_REQUEST, "The version is not of the form HTTP/1.1 (RFC 9112 section 2.3).");
	int major = v[5] - '0';
	bool dotted = n == 8 && v[6] == '.' && chars_is_digit((unsigned char)v[7]);
	if (n != 6 && !dotted)
		return refuse(req, HTTP_BAD_REQUEST, "The version is not of the form HTTP/1.1 (RFC 9112 section 2.3).");
	if (major != 1)
		return -HTTP_VERSION_NOT_SUPPORTED; /* "HTTP/2", "HTTP/2.0", "HTTP/0.9" */
	if (!dotted)
		return refuse(req, HTTP_BAD_REQUEST, "The version is not of the form HTTP/1.1 (RFC 9112 section 2.3).");
	return v[7] == '0' ? 10 : 11; /* 1.x, x > 1, is answered as 1.1 (RFC 9110 §2.5) */
}

/* split_target — sets path and query from the target. Origin-form is "/path?query";
 * absolute-form "http://host/path?query" must be accepted too (RFC 9112 §3.2.2). */
static int split_target(struct http_request *req, struct store *st, const char **authority)
{
	const char *t = req->target;
	const char *q = strchr(t, '?');
	size_t plen = q ? (size_t)(q - t) : strlen(t);

	req->query = q ? q + 1 : "";
	if (t[0] == '/' || strcmp(t, "*") == 0) {
		req->path = store_put(st, t, plen);
	} else if (strncasecmp(t, "http://", 7) == 0 || strncasecmp(t, "https://", 8) == 0) {
		const char *auth = strstr(t, "//") + 2;
		const char *slash = memchr(auth, '/', plen - (size_t)(auth - t));
		size_t alen = slash ? (size_t)(slash - auth) : plen - (size_t)(auth - t);
		req->path = slash ? store_put(st, slash, plen - (size_t)(slash - t)) : "/";
		*authority = store_put(st, auth, alen);
		if (!*authority)
			return -HTTP_HEADERS_TOO_LARGE;
	} else {
		return refuse(req, HTTP_BAD_REQUEST, "The request target is not a path, an absolute URL or * (RFC 9112 section 3.2).");
	}
	if (strcmp(t, "*") == 0 && strcmp(req->method, "OPTIONS") != 0)
		return refuse(req, HTTP_BAD_REQUEST, "The target * is for OPTIONS only (RFC 9112 section 3.2.4)."); /* asterisk-form is for OPTIONS only (§3.2.4) */
	return req->path ? 0 : -HTTP_HEADERS_TOO_LARGE;
}

static int parse_request_line(const char *p, size_t n, struct http_request *req,
                              struct store *st, const char **authority)
{
	size_t i = 0;
	while (i < n && chars_is_tchar((unsigned char)p[i]))
		i++;
	if (i == 0 || i == n || p[i] != ' ')
		return refuse(req, HTTP_BAD_REQUEST, "The method is not a token followed by one space (RFC 9112 section 3).");
	size_t method_len = i++;
	size_t t0 = i;
	/* A target is visible ASCII only; a CTL, a second space or a raw UTF-8 byte ends it. */
	while (i < n && p[i] > 0x20 && p[i] < 0x7f)
		i++;
	if (i == t0 || i == n || p[i] != ' ')
		return refuse(req, HTTP_BAD_REQUEST, "The target holds a space, a control or a non-ASCII byte, or is not followed by one space (RFC 9112 section 3.2).");
	size_t target_len = i - t0;
	if (memchr(p + i + 1, ' ', n - i - 1))
		return refuse(req, HTTP_BAD_REQUEST, "The request line has more than two spaces; "
		              "a space inside a path is sent as %20 (RFC 9112 section 3).");

	int version = parse_version(req, p + i + 1, n - i - 1);
	if (version < 0)
		return version;
	req->version = version;
	req->method = store_put(st, p, method_len);
	req->target = store_put(st, p + t0, target_len);
	if (!req->method || !req->target)
		return -HTTP_HEADERS_TOO_LARGE;
	if (strcmp(req->method, "CONNECT") == 0)
		return refuse(req, HTTP_NOT_IMPLEMENTED, "CONNECT (tunnelling) is not something this server does."); /* no tunnels here */
	return split_target(req, st, authority);
}

/* ---- header fields: field-name ":" OWS field-value OWS (RFC 9112 §5) ---- */

static int parse_header_line(const char *p, size_t n, struct http_request *req,
                             struct store *st)
{
	if (chars_is_ows((unsigned char)p[0]))
		return refuse(req, HTTP_BAD_REQUEST, "A header line starts with whitespace: obsolete line folding (RFC 9112 section 5.2)."); /* obs-fold: "MUST ... reject" or replace (§5.2) */
	size_t i = 0;
	while (i < n && chars_is_tchar((unsigned char)p[i]))
		i++;
	/* Empty name, whitespace before the colon (§5.1: MUST reject), any other byte. */
	if (i == 0 || i == n || p[i] != ':')
		return refuse(req, HTTP_BAD_REQUEST, "A header name is empty, is not a token, or has whitespace before its colon (RFC 9112 section 5.1).");
	size_t v = i + 1, e = n;
	while (v < e && chars_is_ows((unsigned char)p[v]))
		v++;
	while (e > v && chars_is_ows((unsigned char)p[e - 1]))
		e--;
	for (size_t k = v; k < e; k++)
		if (!chars_is_field_char((unsigned char)p[k]))
			return refuse(req, HTTP_BAD_REQUEST, "A header value holds a control character such as NUL or a bare CR (RFC 9110 section 5.5)."); /* NUL, bare CR, other CTLs (§5.5) */
	if (req->nheaders == LIMIT_HEADER_COUNT)
		return refuse(req, HTTP_HEADERS_TOO_LARGE, "There are more than 100 header lines.");
	struct http_header *h = &req->headers[req->nheaders++];
	h->name = store_put(st, p, i);
	h->value = store_put(st, p + v, e - v);
	return h->name && h->value ? 0 : -HTTP_HEADERS_TOO_LARGE;
}

/* ---- what the head means for framing and the connection (RFC 9112 §6, §9) ---- */

/* add_length — one Content-Length value: plain digits, and every copy the same. */
static int add_length(struct http_request *req, const char *v)
{
	size_t n = strlen(v);
	uint64_t len = 0;
	if (n == 0 || n > LIMIT_CONTENT_LENGTH_DIGITS)
		return refuse(req, HTTP_BAD_REQUEST, "Content-Length is not a plain decimal number of sane size (RFC 9110 section 8.6).");
	for (size_t i = 0; i < n; i++) {
		if (!chars_is_digit((unsigned char)v[i]))
			return refuse(req, HTTP_BAD_REQUEST, "Content-Length is not a plain decimal number of sane size (RFC 9110 section 8.6)."); /* "+5", "-1", "5, 5", "0x10" */
		len = len * 10 + (uint64_t)(v[i] - '0');
	}
	if (req->framing == HTTP_BODY_LENGTH && req->content_length != len)
		return refuse(req, HTTP_BAD_REQUEST, "Two Content-Length headers disagree (RFC 9112 section 6.3)."); /* two lengths that differ: request smuggling */
	req->framing = HTTP_BODY_LENGTH;
	req->content_length = len;
	return 0;
}

struct codings {
	int count, chunked;
	bool last_chunked;
};

/* add_codings — walks one Transfer-Encoding list ("gzip, chunked"). */
static void add_codings(struct codings *c, const char *v)
{
	while (*v) {
		while (*v == ',' || chars_is_ows((unsigned char)*v))
			v++;
		size_t n = strcspn(v, ",");
		size_t name = strcspn(v, ";, \t");
		if (n == 0)
			break;
		bool chunked = name == 7 && strncasecmp(v, "chunked", 7) == 0;
		c->count++;
		c->chunked += chunked;
		c->last_chunked = chunked;
		v += n;
	}
}

/* framing_from_codings — chunked must be there once, and last, or the body's end
 * cannot be known (§6.3: 400); a coding before it is one this server does not
 * implement (§6.1: 501). */
static int framing_from_codings(struct http_request *req, const struct codings *c)
{
	if (req->version == 10 || req->framing == HTTP_BODY_LENGTH)
		return refuse(req, HTTP_BAD_REQUEST, "Transfer-Encoding on HTTP/1.0, or together with Content-Length (RFC 9112 section 6.1)."); /* §6.1: never trust TE on 1.0, or TE with CL */
	if (c->chunked != 1 || !c->last_chunked)
		return refuse(req, HTTP_BAD_REQUEST, "Transfer-Encoding does not end with chunked, once (RFC 9112 section 6.3).");
	if (c->count != 1)
		return refuse(req, HTTP_NOT_IMPLEMENTED, "Only the chunked transfer coding is implemented (RFC 9112 section 6.1).");
	req->framing = HTTP_BODY_CHUNKED;
	return 0;
}

/* valid_host — uri-host [ ":" port ] (RFC 9112 §3.2, RFC 3986 §3.2.2): a reg-name or
 * IPv4 address of unreserved, sub-delims and %-escapes, or an IP literal in brackets.
 * Empty is valid: the target may have no authority. */
static bool valid_host(const char *h)
{
	size_t n = strlen(h), i = 0;
	if (n > 0 && h[0] == '[') {
		i = 1 + strspn(h + 1, "0123456789abcdefABCDEF:.vV");
		if (h[i] != ']')
			return false;
		i++;
	} else {
		i = strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		              "-._~!$&'()*+,;=%");
	}
	if (h[i] == ':')
		i += 1 + strspn(h + i + 1, "0123456789");
	return i == n;
}

/* check_host — exactly one valid Host on 1.1, at most one on 1.0 (RFC 9112 §3.2);
 * with an absolute-form target its authority replaces the Host value (§3.2.2). */
static int check_host(struct http_request *req, const char *authority)
{
	struct http_header *host = NULL;
	for (size_t i = 0; i < req->nheaders; i++) {
		if (strcasecmp(req->headers[i].name, "Host") != 0)
			continue;
		if (host || !valid_host(req->headers[i].value))
			return refuse(req, HTTP_BAD_REQUEST, "More than one Host header, or a Host value that is not host[:port] (RFC 9112 section 3.2).");
		host = &req->headers[i];
	}
	if (!host && req->version == 11)
		return refuse(req, HTTP_BAD_REQUEST, "An HTTP/1.1 request must carry a Host header (RFC 9112 section 3.2).");
	if (authority && !valid_host(authority))
		return refuse(req, HTTP_BAD_REQUEST, "The authority of the absolute URL is not host[:port] (RFC 3986 section 3.2).");
	if (authority && host)
		host->value = authority;
	return 0;
}

static int check_head(struct http_request *req)
{
	int st = 0;
	bool close = false, keep_alive = false, te = false;
	struct codings codings = {0, 0, false};

	for (size_t i = 0; i < req->nheaders && st == 0; i++) {
		const char *name = req->headers[i].name, *v = req->headers[i].value;
		if (strcasecmp(name, "Content-Length") == 0) {
			st = add_length(req, v);
		} else if (strcasecmp(name, "Transfer-Encoding") == 0) {
			te = true;
			add_codings(&codings, v);
		} else if (strcasecmp(name, "Connection") == 0) {
			close |= http_token_list_has(v, "close");
			keep_alive |= http_token_list_has(v, "keep-alive");
		} else if (strcasecmp(name, "Expect") == 0) {
			if (strcasecmp(v, "100-continue") != 0)
				st = refuse(req, HTTP_EXPECTATION_FAILED, "Only the expectation 100-continue is known (RFC 9110 section 10.1.1).");
			req->expect_continue = req->version == 11; /* 1.0 ignores it (RFC 9110 §10.1.1) */
		}
	}
	if (st == 0 && te)
		st = framing_from_codings(req, &codings);
	/* §9.3: 1.1 persists unless "close"; 1.0 only when it asks for keep-alive. */
	req->keep_alive = !close && (req->version == 11 || keep_alive);
	return st;
}

/* ---- the parser ---- */

/* line_at — finds the line starting at buf[pos]: its length without CR LF, and where
 * the next one starts. A lone LF also ends a line (RFC 9112 §2.2 allows it). */
static bool line_at(const char *buf, size_t len, size_t pos, size_t *n, size_t *next)
{
	const char *lf = memchr(buf + pos, '\n', len - pos);
	if (!lf)
		return false;
	*n = (size_t)(lf - (buf + pos));
	*next = *n + pos + 1;
	if (*n > 0 && buf[pos + *n - 1] == '\r')
		(*n)--;
	return true;
}

/* pending — the length of an unfinished line so far, as line_at will count it once its
 * LF arrives: a CR at the very end may be the first half of its CRLF. */
static size_t pending(const char *buf, size_t len, size_t pos)
{
	size_t n = len - pos;
	return n > 0 && buf[len - 1] == '\r' ? n - 1 : n;
}

/* skip_empty_lines — a server SHOULD ignore empty lines before a request (§2.2). */
static size_t skip_empty_lines(const char *buf, size_t len)
{
	size_t pos = 0;
	while (pos < len) {
		if (buf[pos] == '\n')
			pos++;
		else if (buf[pos] == '\r' && pos + 1 < len && buf[pos + 1] == '\n')
			pos += 2;
		else
			break;
	}
	return pos;
}

static void reset(struct http_request *req)
{
	req->method = req->target = req->path = req->query = NULL;
	req->version = 0;
	req->nheaders = 0;
	req->framing = HTTP_BODY_NONE;
	req->content_length = 0;
	req->keep_alive = req->expect_continue = false;
	req->body = NULL;
	req->body_len = 0;
	req->client = NULL;
	req->client_port = 0;
	req->error = NULL;
}

int http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	struct store st = {req->text, sizeof req->text};
	size_t pos = skip_empty_lines(buf, len), n, next;
	const char *authority = NULL;

	reset(req);
	if (pos > LIMIT_REQUEST_LINE)
		return refuse(req, HTTP_BAD_REQUEST, "Too many empty lines before the request line.");
	if (!line_at(buf, len, pos, &n, &next))
		return pending(buf, len, pos) > LIMIT_REQUEST_LINE ? -HTTP_URI_TOO_LONG : HTTP_INCOMPLETE;
	if (n > LIMIT_REQUEST_LINE)
		return -HTTP_URI_TOO_LONG;
	int rc = parse_request_line(buf + pos, n, req, &st, &authority);
	if (rc < 0)
		return rc;
	for (pos = next;; pos = next) {
		if (!line_at(buf, len, pos, &n, &next)) {
			if (pending(buf, len, pos) > LIMIT_HEADER_LINE || len > LIMIT_HEADERS_TOTAL)
				return -HTTP_HEADERS_TOO_LARGE;
			return HTTP_INCOMPLETE;
		}
		if (n > LIMIT_HEADER_LINE || next > LIMIT_HEADERS_TOTAL)
			return -HTTP_HEADERS_TOO_LARGE;
		if (n == 0)
			break;
		rc = parse_header_line(buf + pos, n, req, &st);
		if (rc < 0)
			return rc;
	}
	rc = check_head(req);
	if (rc == 0)
		rc = check_host(req, authority);
	return rc < 0 ? rc : (int)next;
}

/* ---- chunked bodies (RFC 9112 §7.1) ---- */

enum {
	CH_SIZE, CH_SIZE_WS, CH_EXT, CH_SIZE_LF, CH_DATA, CH_DATA_END, CH_DATA_LF,
	CH_TRAILER_START, CH_TRAILER, CH_END_LF, CH_DONE,
};

/* size_done — a chunk-size line has ended: start its data, or the trailers. */
static long size_done(struct http_chunked *d)
{
	d->line_len = 0;
	d->digits = 0;
	if (d->remaining == 0) {
		d->state = CH_TRAILER_START;
		return 0;
	}
	if (d->remaining > d->limit - d->total)
		return HTTP_CHUNKED_TOO_BIG; /* refuse before the data arrives */
	d->total += d->remaining;
	d->state = CH_DATA;
	return 0;
}

/* size_byte — one byte of "1a;ext=val\r\n": hex digits, then optional BWS and
 * extensions (allowed and ignored), then the line end. */
static long size_byte(struct http_chunked *d, unsigned char c)
{
	if (++d->line_len > LIMIT_CHUNK_LINE)
		return HTTP_CHUNKED_BAD;
	if (d->state == CH_SIZE_LF)
		return c == '\n' ? size_done(d) : HTTP_CHUNKED_BAD;
	if (d->state == CH_SIZE && chars_hex_value(c) >= 0) {
		if (d->remaining > (UINT64_MAX >> 4))
			return HTTP_CHUNKED_BAD;
		d->remaining = d->remaining * 16 + (uint64_t)chars_hex_value(c);
		d->digits++;
		return 0;
	}
	if (d->digits == 0)
		return HTTP_CHUNKED_BAD;
	if (c == '\r' || c == '\n') {
		d->state = CH_SIZE_LF;
		return c == '\n' ? size_done(d) : 0;
	}
	if (d->state == CH_EXT)
		return chars_is_field_char(c) ? 0 : HTTP_CHUNKED_BAD;
	if (c == ';')
		d->state = CH_EXT;
	else if (chars_is_ows(c))
		d->state = CH_SIZE_WS;
	else
		return HTTP_CHUNKED_BAD; /* "1 2", "1x": nothing else may follow the digits */
	return 0;
}

/* framing_byte — the CRLF after data, and the trailer section after the last chunk. */
static long framing_byte(struct http_chunked *d, unsigned char c)
{
	switch (d->state) {
	case CH_DATA_END:
		if (c == '\r') {
			d->state = CH_DATA_LF;
			return 0;
		}
		__attribute__((fallthrough)); /* a lone LF ends the line too */
	case CH_DATA_LF:
		if (c != '\n')
			return HTTP_CHUNKED_BAD;
		d->state = CH_SIZE;
		d->remaining = 0;
		return 0;
	case CH_TRAILER_START:
		if (c == '\r' || c == '\n') {
			d->state = c == '\n' ? CH_DONE : CH_END_LF;
			return 0;
		}
		d->state = CH_TRAILER;
		__attribute__((fallthrough));
	case CH_TRAILER:
		if (++d->trailer_len > LIMIT_HEADERS_TOTAL)
			return HTTP_CHUNKED_BAD;
		if (c == '\n')
			d->state = CH_TRAILER_START;
		return 0;
	case CH_END_LF:
		if (c != '\n')
			return HTTP_CHUNKED_BAD;
		d->state = CH_DONE;
		return 0;
	default:
		return HTTP_CHUNKED_BAD;
	}
}

long http_chunked_decode(struct http_chunked *d, char *buf, size_t *len)
{
	size_t in = 0, out = 0, n = *len;

	while (in < n && d->state != CH_DONE) {
		if (d->state == CH_DATA) {
			size_t take = n - in;
			if (take > d->remaining)
				take = (size_t)d->remaining;
			memmove(buf + out, buf + in, take);
			out += take;
			in += take;
			d->remaining -= take;
			if (d->remaining == 0)
				d->state = CH_DATA_END;
			continue;
		}
		unsigned char c = (unsigned char)buf[in++];
		long rc = d->state <= CH_SIZE_LF ? size_byte(d, c) : framing_byte(d, c);
		if (rc < 0) {
			*len = out;
			return rc;
		}
	}
	*len = out;
	if (d->state != CH_DONE)
		return HTTP_INCOMPLETE;
	memmove(buf + out, buf + in, n - in);
	return (long)(n - in);
}

/* ---- lookups and tables ---- */

const char *http_header_get(const struct http_request *req, const char *name)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

bool http_token_list_has(const char *value, const char *token)
{
	size_t tlen = strlen(token);
	const char *p = value;

	while (*p) {
		while (*p == ',' || chars_is_ows((unsigned char)*p))
			p++;
		size_t n = strcspn(p, ",");
		size_t e = n;
		while (e > 0 && chars_is_ows((unsigned char)p[e - 1]))
			e--;
		if (e == tlen && strncasecmp(p, token, tlen) == 0)
			return true;
		p += n;
	}
	return false;
}

/* parse_qvalue — "1", "1.0", "0.8", "0.125" (RFC 9110 §12.4.2) in thousandths, or -1. */
static int parse_qvalue(const char *s, size_t n)
{
	if (n == 0 || (s[0] != '0' && s[0] != '1') || n > 5 || (n > 1 && s[1] != '.'))
		return -1;
	int q = (s[0] - '0') * 1000, scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (!chars_is_digit((unsigned char)s[i]))
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* element_q — the q parameter among ";a=b;q=0.5" parameters, 1000 if none. */
static int element_q(const char *p, size_t n)
{
	int q = 1000;
	while (n > 0) {
		size_t seg = 0;
		while (seg < n && p[seg] != ';')
			seg++;
		size_t a = 0, e = seg;
		while (a < e && chars_is_ows((unsigned char)p[a]))
			a++;
		if (e - a >= 2 && (p[a] == 'q' || p[a] == 'Q') && p[a + 1] == '=') {
			while (e > a + 2 && chars_is_ows((unsigned char)p[e - 1]))
				e--;
			q = parse_qvalue(p + a + 2, e - a - 2);
		}
		p += seg < n ? seg + 1 : seg;
		n -= seg < n ? seg + 1 : seg;
	}
	return q;
}

bool http_qlist_next(const char **cursor, char *item, size_t cap, int *q)
{
	const char *p = *cursor;

	for (;;) {
		while (*p == ',' || chars_is_ows((unsigned char)*p))
			p++;
		if (*p == '\0') {
			*cursor = p;
			return false;
		}
		size_t n = strcspn(p, ","), name = strcspn(p, ";,");
		size_t e = name;
		while (e > 0 && chars_is_ows((unsigned char)p[e - 1]))
			e--;
		*cursor = p + n;
		if (e < cap) {
			memcpy(item, p, e);
			item[e] = '\0';
			*q = element_q(p + name, n - name);
			return true;
		}
		p += n; /* too long to be anything we offer */
	}
}

/* RFC 9110 §9 and RFC 5789 §2, in the order an Allow header lists them. */
static const struct {
	const char *name;
	unsigned bit;
} methods[] = {
	{"GET", HTTP_GET},         {"HEAD", HTTP_HEAD},   {"POST", HTTP_POST},
	{"PUT", HTTP_PUT},         {"DELETE", HTTP_DELETE}, {"CONNECT", HTTP_CONNECT},
	{"OPTIONS", HTTP_OPTIONS}, {"TRACE", HTTP_TRACE}, {"PATCH", HTTP_PATCH},
};

unsigned http_method_bit(const char *method)
{
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strcmp(methods[i].name, method) == 0) /* methods are case-sensitive (§9.1) */
			return methods[i].bit;
	return 0;
}

char *http_methods_format(unsigned set, char *out, size_t cap)
{
	size_t used = 0;

	if (set & HTTP_GET)
		set |= HTTP_HEAD;
	if (cap > 0)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		if (!(set & methods[i].bit))
			continue;
		int w = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", methods[i].name);
		if (w < 0 || (size_t)w >= cap - used) {
			out[used] = '\0'; /* never half a name: that would be a method we do not have */
			break;
		}
		used += (size_t)w;
	}
	return out;
}

/* RFC 9110 §15 (and RFC 2324 §2.3.2 for 418, as the article mentions it). */
static const char *const reasons[] = {
	[100] = "Continue",
	[101] = "Switching Protocols",
	[200] = "OK",
	[201] = "Created",
	[202] = "Accepted",
	[204] = "No Content",
	[206] = "Partial Content",
	[301] = "Moved Permanently",
	[302] = "Found",
	[303] = "See Other",
	[304] = "Not Modified",
	[307] = "Temporary Redirect",
	[308] = "Permanent Redirect",
	[400] = "Bad Request",
	[401] = "Unauthorized",
	[403] = "Forbidden",
	[404] = "Not Found",
	[405] = "Method Not Allowed",
	[406] = "Not Acceptable",
	[408] = "Request Timeout",
	[409] = "Conflict",
	[410] = "Gone",
	[411] = "Length Required",
	[412] = "Precondition Failed",
	[413] = "Content Too Large",
	[414] = "URI Too Long",
	[415] = "Unsupported Media Type",
	[417] = "Expectation Failed",
	[418] = "I'm a teapot",
	[429] = "Too Many Requests",
	[431] = "Request Header Fields Too Large",
	[500] = "Internal Server Error",
	[501] = "Not Implemented",
	[502] = "Bad Gateway",
	[503] = "Service Unavailable",
	[504] = "Gateway Timeout",
	[505] = "HTTP Version Not Supported",
};

const char *http_reason(int status)
{
	if (status < 0 || (size_t)status >= sizeof reasons / sizeof reasons[0] || !reasons[status])
		return "Unknown";
	return reasons[status];
}
