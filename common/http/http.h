/* http.h — HTTP/1.1 messages (RFC 9110, RFC 9112): the request head parser (http.c),
 * the chunked body decoder (http_chunked.c), and the names HTTP gives things: methods,
 * reason phrases, token and q-lists (http_names.c).
 *
 * Both parsers follow parse.h: a pure function over bytes the caller owns, that never
 * allocates or blocks and gives the same answer however the bytes were split across
 * reads, so the server can call it again after every read. */
#ifndef WIRELAB_HTTP_H
#define WIRELAB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "limit.h"
#include "parse.h"

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

/* A request head, as http_parse_request read it: the request line and the header
 * fields, and what they say about the body and the connection. Nothing else: the body
 * and the client's address are the server's business (httpd.h, struct request).
 *
 * Every string is a NUL-terminated copy in text[], not a pointer into the read buffer:
 * the server moves and reuses that buffer (the body, the next pipelined request) while
 * a handler still reads the head. The copy costs one pass over at most text's size,
 * and makes the head self-contained. Do not copy the struct itself: its pointers point
 * into its own text[]. */
struct http_head {
	const char *method;  /* "GET" */
	const char *target;  /* "/query_test?x=1", as sent */
	const char *path;    /* "/query_test": the target without query (origin-form path) */
	const char *query;   /* "x=1": after the first '?', "" when there is none */
	int version;         /* 10 for HTTP/1.0, 11 for HTTP/1.1 (and 1.x, x > 1) */
	/* The fields as sent, and one more: the Host an absolute-form target gives an
	 * HTTP/1.0 request that sent none (RFC 9112 §3.2.2). */
	struct http_header headers[LIMIT_HEADER_COUNT + 1];
	size_t nheaders;
	bool bare_lf;        /* every line ended in a bare LF, as nc sends them; false when
	                      * they all ended in CRLF (a head that mixes them is refused) */

	enum http_framing framing;
	uint64_t content_length; /* when framing is HTTP_BODY_LENGTH */
	bool keep_alive;         /* the client allows another request on this connection */
	bool expect_continue;    /* "Expect: 100-continue" */

	/* After PARSE_BAD (parse.h): the status to answer (400, 414, 417, 431, 501, 505),
	 * and which rule the request broke, or NULL when the status says it all. */
	int status;
	const char *error;

	char text[LIMIT_HEADERS_TOTAL + LIMIT_REQUEST_LINE]; /* storage for the strings */
};

/* http_parse_request — parses the request head at the start of buf[0..len), with the
 * contract of parse.h: the length of the head (through its empty line) when it is
 * complete and valid; PARSE_INCOMPLETE when more bytes are needed (call again with all
 * of them); PARSE_BAD when the request must be refused with head->status. It never
 * allocates or blocks, and gives the same answer however the bytes were split across
 * reads. *head is reset on entry and fully set only on success. Enforces the Limits
 * table of limit.h, so a caller only has to stop reading when this says so. */
int http_parse_request(const char *buf, size_t len, struct http_head *head);

/* Incremental decoder for a chunked body (RFC 9112 §7.1). Zero it, set limit, and
 * crlf_only unless the head's lines ended in a bare LF (head->bare_lf). Chunk lines are
 * held to the grammar of §7.1 and §7.1.1, trailer lines to that of a header field
 * (§7.1.2, §5). */
struct http_chunked {
	uint64_t limit;     /* most body bytes to accept (413 beyond) */
	bool crlf_only;     /* a bare LF ends no line: the head used CRLF, so a bare LF in
	                     * the body's framing is a mix that two parsers may read apart;
	                     * the lab also holds a server's responses to it */
	uint64_t total;     /* body bytes decoded so far */
	uint64_t remaining; /* bytes left in the current chunk */
	size_t line_len;    /* bytes of the current chunk-size line (or trailer name) */
	size_t digits;      /* hex digits of the current chunk size */
	size_t trailer_len; /* bytes of trailer lines so far, line ends included */
	int state;
	int status;         /* after PARSE_BAD: 400 (malformed) or 413 (over limit) */
	const char *error;  /* after PARSE_BAD: why, or NULL when the status says it all */
};

/* http_chunked_decode — feeds the next raw bytes in[0..len) of a chunked body to d,
 * with the contract of parse.h. The chunks' data bytes go to out, which may be in
 * itself (decoding never writes ahead of reading) or NULL to check and count only;
 * *out_len is set to their number (never more than len). Returns, once the last chunk
 * and the trailers are complete, the number of bytes of in they took: what follows
 * them is the next request. Else PARSE_INCOMPLETE (every byte was used: call again
 * with the next ones only) or PARSE_BAD (d->status, d->error), after which d must not
 * be fed again. */
long http_chunked_decode(struct http_chunked *d, const char *in, size_t len, char *out,
                         size_t *out_len);

/* http_header_get — the value of the first header called name (any case), or NULL. */
const char *http_header_get(const struct http_head *head, const char *name);

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
