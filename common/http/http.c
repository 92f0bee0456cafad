/* http.c — the HTTP/1.1 request head parser (RFC 9112 §2–§6) and header lookup. */
#include "http.h"

#include <string.h>
#include <strings.h>

#include "chars.h"

/* refuse — notes the status to answer and why (fixed text, never request bytes, so it
 * is safe in an HTML page; NULL when the status says it all); returns PARSE_BAD. */
static int refuse(struct http_head *head, int status, const char *why)
{
	head->status = status;
	head->error = why;
	return PARSE_BAD;
}

/* ---- copying strings into head->text ---- */

struct store {
	char *next;
	size_t left;
};

/* store_put — copies s[0..n) and a NUL into the head's text; NULL when full. */
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

/* parse_version — "HTTP/1.1" → 11, "HTTP/1.0" → 10; PARSE_BAD (505 for another major
 * version). */
static int parse_version(struct http_head *head, const char *v, size_t n)
{
	static const char not_form[] =
		"The version is not of the form HTTP/1.1 (RFC 9112 section 2.3).";

	if (n < 6 || memcmp(v, "HTTP/", 5) != 0 || !chars_is_digit((unsigned char)v[5]))
		return refuse(head, HTTP_BAD_REQUEST, not_form);
	int major = v[5] - '0';
	bool dotted = n == 8 && v[6] == '.' && chars_is_digit((unsigned char)v[7]);
	if (n != 6 && !dotted)
		return refuse(head, HTTP_BAD_REQUEST, not_form);
	if (major != 1)
		return refuse(head, HTTP_VERSION_NOT_SUPPORTED, NULL); /* "HTTP/2", "HTTP/0.9" */
	if (!dotted)
		return refuse(head, HTTP_BAD_REQUEST, not_form);
	return v[7] == '0' ? 10 : 11; /* 1.x, x > 1, is answered as 1.1 (RFC 9110 §2.5) */
}

/* split_target — sets path and query from the target. Origin-form is "/path?query";
 * absolute-form "http://host/path?query" must be accepted too (RFC 9112 §3.2.2). */
static int split_target(struct http_head *head, struct store *st, const char **authority)
{
	const char *t = head->target;
	const char *q = strchr(t, '?');
	size_t plen = q ? (size_t)(q - t) : strlen(t);

	head->query = q ? q + 1 : "";
	if (t[0] == '/' || strcmp(t, "*") == 0) {
		head->path = store_put(st, t, plen);
	} else if (strncasecmp(t, "http://", 7) == 0 || strncasecmp(t, "https://", 8) == 0) {
		const char *auth = strstr(t, "//") + 2;
		const char *slash = memchr(auth, '/', plen - (size_t)(auth - t));
		size_t alen = slash ? (size_t)(slash - auth) : plen - (size_t)(auth - t);
		head->path = slash ? store_put(st, slash, plen - (size_t)(slash - t)) : "/";
		*authority = store_put(st, auth, alen);
		if (!*authority)
			return refuse(head, HTTP_HEADERS_TOO_LARGE, NULL);
	} else {
		return refuse(head, HTTP_BAD_REQUEST,
		              "The request target is not a path, an absolute URL or * "
		              "(RFC 9112 section 3.2).");
	}
	/* asterisk-form is for OPTIONS only (§3.2.4) */
	if (strcmp(t, "*") == 0 && strcmp(head->method, "OPTIONS") != 0)
		return refuse(head, HTTP_BAD_REQUEST,
		              "The target * is for OPTIONS only (RFC 9112 section 3.2.4).");
	return head->path ? 0 : refuse(head, HTTP_HEADERS_TOO_LARGE, NULL);
}

static int parse_request_line(const char *p, size_t n, struct http_head *head,
                              struct store *st, const char **authority)
{
	size_t i = 0;
	while (i < n && chars_is_tchar((unsigned char)p[i]))
		i++;
	if (i == 0 || i == n || p[i] != ' ')
		return refuse(head, HTTP_BAD_REQUEST,
		              "The method is not a token followed by one space "
		              "(RFC 9112 section 3).");
	size_t method_len = i++;
	size_t t0 = i;
	/* A target is visible ASCII only; a CTL, a second space or a raw UTF-8 byte ends it. */
	while (i < n && p[i] > 0x20 && p[i] < 0x7f)
		i++;
	if (i == t0 || i == n || p[i] != ' ')
		return refuse(head, HTTP_BAD_REQUEST,
		              "The target holds a space, a control or a non-ASCII byte, or is "
		              "not followed by one space (RFC 9112 section 3.2).");
	size_t target_len = i - t0;
	if (memchr(p + i + 1, ' ', n - i - 1))
		return refuse(head, HTTP_BAD_REQUEST, "The request line has more than two spaces; "
		              "a space inside a path is sent as %20 (RFC 9112 section 3).");

	int version = parse_version(head, p + i + 1, n - i - 1);
	if (version < 0)
		return version;
	head->version = version;
	head->method = store_put(st, p, method_len);
	head->target = store_put(st, p + t0, target_len);
	if (!head->method || !head->target)
		return refuse(head, HTTP_HEADERS_TOO_LARGE, NULL);
	/* no tunnels here */
	if (strcmp(head->method, "CONNECT") == 0)
		return refuse(head, HTTP_NOT_IMPLEMENTED,
		              "CONNECT (tunnelling) is not something this server does.");
	return split_target(head, st, authority);
}

/* ---- header fields: field-name ":" OWS field-value OWS (RFC 9112 §5) ---- */

static int parse_header_line(const char *p, size_t n, struct http_head *head,
                             struct store *st)
{
	/* obs-fold: "MUST ... reject" or replace (§5.2) */
	if (chars_is_ows((unsigned char)p[0]))
		return refuse(head, HTTP_BAD_REQUEST,
		              "A header line starts with whitespace: obsolete line folding "
		              "(RFC 9112 section 5.2).");
	size_t i = 0;
	while (i < n && chars_is_tchar((unsigned char)p[i]))
		i++;
	/* Empty name, whitespace before the colon (§5.1: MUST reject), any other byte. */
	if (i == 0 || i == n || p[i] != ':')
		return refuse(head, HTTP_BAD_REQUEST,
		              "A header name is empty, is not a token, or has whitespace before "
		              "its colon (RFC 9112 section 5.1).");
	size_t v = i + 1, e = n;
	while (v < e && chars_is_ows((unsigned char)p[v]))
		v++;
	while (e > v && chars_is_ows((unsigned char)p[e - 1]))
		e--;
	/* BEGIN SOLUTION: refuse (400) a value p[v..e) holding a byte that is not a field
	 * byte (chars_is_field_char: NUL, a bare CR, other controls; RFC 9110 §5.5), and
	 * (431) a header line past the LIMIT_HEADER_COUNT head->headers already holds */
	for (size_t k = v; k < e; k++)
		/* NUL, bare CR, other CTLs (§5.5) */
		if (!chars_is_field_char((unsigned char)p[k]))
			return refuse(head, HTTP_BAD_REQUEST,
			              "A header value holds a control character such as NUL or a "
			              "bare CR (RFC 9110 section 5.5).");
	if (head->nheaders == LIMIT_HEADER_COUNT)
		return refuse(head, HTTP_HEADERS_TOO_LARGE,
		              "There are more than 100 header lines.");
	/* END SOLUTION */
	struct http_header *h = &head->headers[head->nheaders++];
	h->name = store_put(st, p, i);
	h->value = store_put(st, p + v, e - v);
	return h->name && h->value ? 0 : refuse(head, HTTP_HEADERS_TOO_LARGE, NULL);
}

/* ---- what the head means for framing and the connection (RFC 9112 §6, §9) ---- */

/* add_length — one Content-Length value: plain digits, and every copy the same. */
static int add_length(struct http_head *head, const char *v)
{
	size_t n = strlen(v);
	uint64_t len = 0;
	if (n == 0 || n > LIMIT_CONTENT_LENGTH_DIGITS)
		return refuse(head, HTTP_BAD_REQUEST,
		              "Content-Length is not a plain decimal number of sane size "
		              "(RFC 9110 section 8.6).");
	for (size_t i = 0; i < n; i++) {
		/* "+5", "-1", "5, 5", "0x10" */
		if (!chars_is_digit((unsigned char)v[i]))
			return refuse(head, HTTP_BAD_REQUEST,
			              "Content-Length is not a plain decimal number of sane size "
			              "(RFC 9110 section 8.6).");
		len = len * 10 + (uint64_t)(v[i] - '0');
	}
	/* two lengths that differ: request smuggling */
	if (head->framing == HTTP_BODY_LENGTH && head->content_length != len)
		return refuse(head, HTTP_BAD_REQUEST,
		              "Two Content-Length headers disagree (RFC 9112 section 6.3).");
	head->framing = HTTP_BODY_LENGTH;
	head->content_length = len;
	return 0;
}

struct codings {
	int count, chunked;
	bool last_chunked;
	bool chunked_params; /* "chunked;foo=bar" */
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
		/* after the name only the OWS before a comma may follow: anything else is
		 * a parameter, and chunked defines none (RFC 9112 §7) */
		if (chunked)
			for (size_t i = name; i < n; i++)
				c->chunked_params |= !chars_is_ows((unsigned char)v[i]);
		c->count++;
		c->chunked += chunked;
		c->last_chunked = chunked;
		v += n;
	}
}

/* framing_from_codings — chunked must be there once, and last, or the body's end
 * cannot be known (§6.3: 400); a coding before it is one this server does not
 * implement (§6.1: 501). */
static int framing_from_codings(struct http_head *head, const struct codings *c)
{
	/* §6.1: never trust TE on 1.0, or TE with CL */
	if (head->version == 10 || head->framing == HTTP_BODY_LENGTH)
		return refuse(head, HTTP_BAD_REQUEST,
		              "Transfer-Encoding on HTTP/1.0, or together with Content-Length "
		              "(RFC 9112 section 6.1).");
	if (c->chunked != 1 || !c->last_chunked)
		return refuse(head, HTTP_BAD_REQUEST,
		              "Transfer-Encoding does not end with chunked, once "
		              "(RFC 9112 section 6.3).");
	/* a recipient that ignored the parameter would frame the body as another reads it
	 * with the parameter refused: the coding is an error (§7 says to treat it as one) */
	if (c->chunked_params)
		return refuse(head, HTTP_BAD_REQUEST,
		              "The chunked transfer coding takes no parameters "
		              "(RFC 9112 section 7).");
	if (c->count != 1)
		return refuse(head, HTTP_NOT_IMPLEMENTED,
		              "Only the chunked transfer coding is implemented "
		              "(RFC 9112 section 6.1).");
	head->framing = HTTP_BODY_CHUNKED;
	return 0;
}

/* valid_host — uri-host [ ":" port ] (RFC 9112 §3.2, RFC 3986 §3.2.2): a reg-name or
 * IPv4 address of unreserved, sub-delims and %-escapes, or an IP literal in brackets.
 * Empty is valid in Host, for a target with no authority (RFC 9112 §3.2); an absolute
 * URL's authority must not be (check_host). */
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

/* host_from_target — an absolute-form target names the host, whatever Host says
 * (RFC 9112 §3.2.2): its authority replaces the Host value, or is the Host of an
 * HTTP/1.0 request that sent none (headers[] has a slot kept for it). */
static int host_from_target(struct http_head *head, struct http_header *host,
                            const char *authority, struct store *st)
{
	if (!host) {
		host = &head->headers[head->nheaders++];
		host->name = store_put(st, "Host", 4);
		if (!host->name)
			return refuse(head, HTTP_HEADERS_TOO_LARGE, NULL);
	}
	host->value = authority;
	return 0;
}

/* check_host — exactly one valid Host on 1.1, at most one on 1.0 (RFC 9112 §3.2);
 * an absolute-form target's authority must name a host (RFC 9110 §4.2.1). */
static int check_host(struct http_head *head, const char *authority, struct store *st)
{
	struct http_header *host = NULL;
	for (size_t i = 0; i < head->nheaders; i++) {
		if (strcasecmp(head->headers[i].name, "Host") != 0)
			continue;
		if (host || !valid_host(head->headers[i].value))
			return refuse(head, HTTP_BAD_REQUEST,
			              "More than one Host header, or a Host value that is not "
			              "host[:port] (RFC 9112 section 3.2).");
		host = &head->headers[i];
	}
	if (!host && head->version == 11)
		return refuse(head, HTTP_BAD_REQUEST,
		              "An HTTP/1.1 request must carry a Host header "
		              "(RFC 9112 section 3.2).");
	if (!authority)
		return 0;
	if (!valid_host(authority))
		return refuse(head, HTTP_BAD_REQUEST,
		              "The authority of the absolute URL is not host[:port] "
		              "(RFC 3986 section 3.2).");
	/* "http:///x", "http://:80/x": a recipient MUST reject it */
	if (authority[0] == '\0' || authority[0] == ':')
		return refuse(head, HTTP_BAD_REQUEST,
		              "The absolute URL names no host (RFC 9110 section 4.2.1).");
	return host_from_target(head, host, authority, st);
}

static int check_head(struct http_head *head)
{
	int st = 0;
	bool close = false, keep_alive = false, te = false;
	struct codings codings = {0, 0, false, false};

	for (size_t i = 0; i < head->nheaders && st == 0; i++) {
		const char *name = head->headers[i].name, *v = head->headers[i].value;
		if (strcasecmp(name, "Content-Length") == 0) {
			st = add_length(head, v);
		} else if (strcasecmp(name, "Transfer-Encoding") == 0) {
			te = true;
			add_codings(&codings, v);
		} else if (strcasecmp(name, "Connection") == 0) {
			close |= http_token_list_has(v, "close");
			keep_alive |= http_token_list_has(v, "keep-alive");
		} else if (strcasecmp(name, "Expect") == 0) {
			if (strcasecmp(v, "100-continue") != 0)
				st = refuse(head, HTTP_EXPECTATION_FAILED,
				            "Only the expectation 100-continue is known "
				            "(RFC 9110 section 10.1.1).");
			/* HTTP/1.0 ignores it (RFC 9110 §10.1.1) */
			head->expect_continue = head->version == 11;
		}
	}
	if (st == 0 && te)
		st = framing_from_codings(head, &codings);
	/* §9.3: 1.1 persists unless "close"; 1.0 only when it asks for keep-alive. */
	head->keep_alive = !close && (head->version == 11 || keep_alive);
	return st;
}

/* ---- the parser ---- */

/* line_at — finds the line starting at buf[pos]: its length without its line end,
 * where the next one starts, and whether it ended in CR LF. A bare LF also ends a line
 * (RFC 9112 §2.2 allows it: nc sends one at each Enter). */
static bool line_at(const char *buf, size_t len, size_t pos, size_t *n, size_t *next,
                    bool *crlf)
{
	const char *lf = memchr(buf + pos, '\n', len - pos);
	if (!lf)
		return false;
	*n = (size_t)(lf - (buf + pos));
	*next = *n + pos + 1;
	*crlf = *n > 0 && buf[pos + *n - 1] == '\r';
	if (*crlf)
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

static void reset(struct http_head *head)
{
	head->method = head->target = head->path = head->query = NULL;
	head->version = 0;
	head->nheaders = 0;
	head->framing = HTTP_BODY_NONE;
	head->content_length = 0;
	head->keep_alive = head->expect_continue = head->bare_lf = false;
	head->status = 0;
	head->error = NULL;
}

/* A head whose lines end in CRLF and bare LF both: a parser that takes only CRLF reads
 * "a\nb" as one line, one that takes bare LF too as two, and a request can hide in the
 * difference (RFC 9112 §3, §11.2). One or the other, then. */
static const char mixed_line_ends[] =
	"The head mixes CRLF and bare LF line ends (RFC 9112 section 2.2).";

int http_parse_request(const char *buf, size_t len, struct http_head *head)
{
	struct store st = {head->text, sizeof head->text};
	size_t pos = skip_empty_lines(buf, len), n, next;
	const char *authority = NULL;
	bool crlf, line_crlf;

	reset(head);
	if (pos > LIMIT_REQUEST_LINE)
		return refuse(head, HTTP_BAD_REQUEST,
		              "Too many empty lines before the request line.");
	if (!line_at(buf, len, pos, &n, &next, &crlf))
		return pending(buf, len, pos) > LIMIT_REQUEST_LINE ?
		       refuse(head, HTTP_URI_TOO_LONG, NULL) : PARSE_INCOMPLETE;
	if (n > LIMIT_REQUEST_LINE)
		return refuse(head, HTTP_URI_TOO_LONG, NULL);
	int rc = parse_request_line(buf + pos, n, head, &st, &authority);
	if (rc < 0)
		return rc;
	head->bare_lf = !crlf; /* the request line's line end is the head's */
	/* BEGIN SOLUTION: the header lines, each found by line_at from pos: not yet complete
	 * (PARSE_INCOMPLETE, or 431 past LIMIT_HEADER_LINE or LIMIT_HEADERS_TOTAL), each at
	 * most LIMIT_HEADER_LINE with the head at most LIMIT_HEADERS_TOTAL (431), ending as
	 * the request line did (crlf; else 400 mixed_line_ends: RFC 9112 §2.2), until the
	 * empty line; each one to parse_header_line. next is where the body starts */
	for (pos = next;; pos = next) {
		if (!line_at(buf, len, pos, &n, &next, &line_crlf)) {
			if (pending(buf, len, pos) > LIMIT_HEADER_LINE || len > LIMIT_HEADERS_TOTAL)
				return refuse(head, HTTP_HEADERS_TOO_LARGE, NULL);
			return PARSE_INCOMPLETE;
		}
		if (n > LIMIT_HEADER_LINE || next > LIMIT_HEADERS_TOTAL)
			return refuse(head, HTTP_HEADERS_TOO_LARGE, NULL);
		if (line_crlf != crlf)
			return refuse(head, HTTP_BAD_REQUEST, mixed_line_ends);
		if (n == 0)
			break;
		rc = parse_header_line(buf + pos, n, head, &st);
		if (rc < 0)
			return rc;
	}
	/* END SOLUTION */
	rc = check_head(head);
	if (rc == 0)
		rc = check_host(head, authority, &st);
	return rc < 0 ? rc : (int)next;
}

/* ---- lookup ---- */

const char *http_header_get(const struct http_head *head, const char *name)
{
	for (size_t i = 0; i < head->nheaders; i++)
		if (strcasecmp(head->headers[i].name, name) == 0)
			return head->headers[i].value;
	return NULL;
}
