/* http.h — HTTP/1.1 messages (RFC 9110, RFC 9112): the request parser, the chunked
 * body decoder, header lookup, methods and reason phrases.
 *
 * The parser is a pure function over bytes the caller owns (picohttpparser's contract):
 * it never allocates, never blocks, and gives the same answer however the bytes were
 * split across reads, so the server can call it again after every read. */
#ifndef WIRELAB_HTTP_H
#define WIRELAB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "limit.h"

/* Status codes a wirelab server sends; the value is the code (quark's shape). */
enum http_status {
	HTTP_CONTINUE = 100,
	HTTP_OK = 200,
	HTTP_NO_CONTENT = 204,
	HTTP_MOVED_PERMANENTLY = 301,
	HTTP_FOUND = 302,
	HTTP_NOT_MODIFIED = 304,
	HTTP_TEMPORARY_REDIRECT = 307,
	HTTP_BAD_REQUEST = 400,
	HTTP_FORBIDDEN = 403,
	HTTP_NOT_FOUND = 404,
	HTTP_METHOD_NOT_ALLOWED = 405,
	HTTP_NOT_ACCEPTABLE = 406,
	HTTP_REQUEST_TIMEOUT = 408,
	HTTP_LENGTH_REQUIRED = 411,
	HTTP_CONTENT_TOO_LARGE = 413,
	HTTP_URI_TOO_LONG = 414,
	HTTP_UNSUPPORTED_MEDIA_TYPE = 415,
	HTTP_EXPECTATION_FAILED = 417,
	HTTP_IM_A_TEAPOT = 418,
	HTTP_HEADERS_TOO_LARGE = 431,
	HTTP_INTERNAL_SERVER_ERROR = 500,
	HTTP_NOT_IMPLEMENTED = 501,
	HTTP_SERVICE_UNAVAILABLE = 503,
	HTTP_VERSION_NOT_SUPPORTED = 505,
};

/* Methods of RFC 9110 §9 and RFC 5789, as bits so a route can name a set of them. */
enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_DELETE = 1 << 4,
	HTTP_CONNECT = 1 << 5,
	HTTP_OPTIONS = 1 << 6,
	HTTP_TRACE = 1 << 7,
	HTTP_PATCH = 1 << 8,
};

/* How the request body is delimited (RFC 9112 §6.3). */
enum http_framing {
	HTTP_BODY_NONE,
	HTTP_BODY_LENGTH,  /* Content-Length: content_length bytes follow the head */
	HTTP_BODY_CHUNKED, /* Transfer-Encoding: chunked */
};

struct http_header {
	const char *name;  /* as sent; compare case-insensitively (RFC 9110 §5.1) */
	const char *value; /* leading and trailing whitespace removed */
};

/* A parsed request head. Every string is NUL-terminated and lives in text[], so the
 * request does not depend on the read buffer it came from; do not copy the struct
 * (its pointers point into itself). */
struct http_request {
	const char *method;  /* "GET" */
	const char *target;  /* "/query_test?x=1", as sent */
	const char *path;    /* "/query_test": the target without query (origin-form path) */
	const char *query;   /* "x=1": after the first '?', "" when there is none */
	int version;         /* 10 for HTTP/1.0, 11 for HTTP/1.1 (and 1.x, x > 1) */
	struct http_header headers[LIMIT_HEADER_COUNT];
	size_t nheaders;

	enum http_framing framing;
	uint64_t content_length; /* when framing is HTTP_BODY_LENGTH */
	bool keep_alive;         /* the client allows another request on this connection */
	bool expect_continue;    /* "Expect: 100-continue" */

	/* Filled in by the server once the body has been read. */
	const char *body;    /* NUL-terminated for convenience; may contain NULs: use body_len */
	size_t body_len;
	const char *client;  /* "127.0.0.1" */
	int client_port;

	const char *error;   /* after a refusal: which rule the request broke, or NULL */

	char text[LIMIT_HEADERS_TOTAL + LIMIT_REQUEST_LINE]; /* storage for the strings */
};

#define HTTP_INCOMPLETE (-1)

/* http_parse_request — parses the request head at the start of buf[0..len).
 * Returns the length of the head (through its empty line) when it is complete and
 * valid; HTTP_INCOMPLETE when more bytes are needed; or minus a status code (-400,
 * -414, -417, -431, -501, -505) when the request must be refused with that status.
 * *req is reset on entry and fully set only on success; on a refusal req->error may
 * name the rule that was broken. Enforces the Limits table of
 * limit.h, so a caller only has to stop reading when this says so. */
int http_parse_request(const char *buf, size_t len, struct http_request *req);

/* Incremental decoder for a chunked body (RFC 9112 §7.1). Zero it, set limit. */
struct http_chunked {
	uint64_t limit;     /* most body bytes to accept (413 beyond) */
	uint64_t total;     /* body bytes decoded so far */
	uint64_t remaining; /* bytes left in the current chunk */
	size_t line_len;    /* bytes of the current chunk-size line */
	size_t digits;      /* hex digits of the current chunk size */
	size_t trailer_len; /* bytes of trailer section so far */
	int state;
};

#define HTTP_CHUNKED_BAD      (-2) /* malformed: 400 */
#define HTTP_CHUNKED_TOO_BIG  (-3) /* over limit: 413 */

/* http_chunked_decode — decodes buf[0..*len) in place. On return *len is the number of
 * decoded body bytes now at the start of buf. Returns HTTP_INCOMPLETE when the body
 * goes on (append more raw bytes after the decoded ones and call again on the new
 * bytes only), HTTP_CHUNKED_BAD or HTTP_CHUNKED_TOO_BIG, or, once the last chunk and
 * trailers are complete, the number of raw bytes after the body, which are left at
 * buf[*len..] (the next pipelined request) . */
long http_chunked_decode(struct http_chunked *d, char *buf, size_t *len);

/* http_header_get — the value of the first header called name (any case), or NULL. */
const char *http_header_get(const struct http_request *req, const char *name);

/* http_method_bit — the enum http_method bit for a method name, or 0 for a method
 * this library does not know (the server answers 501). */
unsigned http_method_bit(const char *method);

/* http_methods_format — writes a set of methods as an Allow value ("GET, HEAD, POST")
 * into out[0..cap). GET implies HEAD (RFC 9110 §9.3.2). Returns out. */
char *http_methods_format(unsigned methods, char *out, size_t cap);

/* http_reason — the reason phrase of a status code, "Unknown" for one not listed. */
const char *http_reason(int status);

/* http_token_list_has — true when the comma-separated list value contains token
 * (case-insensitive), as Connection: keep-alive, close does. */
bool http_token_list_has(const char *value, const char *token);

/* http_qlist_next — walks a weighted list such as "gzip;q=0.8, identity, *;q=0"
 * (RFC 9110 §12.4.2). Copies the next element (before any ';', whitespace trimmed)
 * into item[0..cap) and sets *q to its weight in thousandths (1000 when there is no
 * q, -1 when the q is malformed, which callers treat as "not acceptable"); other
 * parameters are skipped. Returns false at the end. Elements too long for item are
 * skipped whole. */
bool http_qlist_next(const char **cursor, char *item, size_t cap, int *q);

#endif
