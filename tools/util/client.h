/* client.h — the client side of HTTP/1.1, for the lab: connect with a deadline, send a
 * request, read until the server closes, and split what came back into responses.
 *
 * Two halves:
 *  - I/O (client_connect, client_exchange): every wait is a poll() that also watches a
 *    caller's cancel_fd (the lab passes a signalfd for SIGINT), so Ctrl-C or a deadline
 *    ends any wait. Like net.h, nothing here prints or exits: a status comes back and a
 *    sentence goes into the caller's err buffer.
 *  - The response parser (client_parse_head, client_parse_body, client_parse_response),
 *    with the contract of common/http/parse.h: a pure function over bytes the caller
 *    owns. It never allocates; results are spans of the caller's buffer (span.h); it
 *    gives the same answer however the bytes were split across reads. A chunked body is
 *    checked by common/http's decoder (http_chunked_decode). */
#ifndef WIRELAB_CLIENT_H
#define WIRELAB_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "limit.h"
#include "parse.h"
#include "span.h"


/* ---- I/O ---------------------------------------------------------------------------- */

/* What an I/O call ended with. */
enum client_status {
	CLIENT_OK = 0,
	CLIENT_ERROR = -1,     /* err says why */
	CLIENT_TIMEOUT = -2,   /* the deadline passed */
	CLIENT_CANCELLED = -3, /* cancel_fd became readable (the caller drains it) */
	CLIENT_REFUSED = -4,   /* nothing listens there (ECONNREFUSED) */
	CLIENT_RESET = -5,     /* the peer reset the connection (ECONNRESET, EPIPE) */
	CLIENT_RETRY = -6,     /* nothing has arrived yet: call again when it has */
};

/* How long to wait and what may interrupt the wait. deadline is a net_now_ms() time;
 * cancel_fd is -1 for none. */
struct client_wait {
	int64_t deadline;
	int cancel_fd;
};

/* client_connect — a TCP connection to host:port (a name or an address), made within
 * w->deadline. Returns the socket (close-on-exec, non-blocking) or a negative
 * enum client_status with err set. */
int client_connect(const char *host, int port, const struct client_wait *w,
                   char err[LIMIT_ERR_LEN]);

/* What came back on one connection. data is owned here: release with client_reply_free. */
struct client_reply {
	unsigned char *data;
	size_t len, cap;
	bool closed;       /* the server ended the stream (FIN or reset) */
	bool reset;        /* ... by a reset (ECONNRESET) */
	bool truncated;    /* more than max_bytes came; the rest was not read */
	int64_t first_us;  /* µs from the start of client_exchange to the first byte, or -1 */
	int64_t total_us;  /* microseconds until the call returned */
};

/* client_exchange_status — what an exchange returns once its reading stopped with rc
 * (CLIENT_OK, CLIENT_TIMEOUT, CLIENT_CANCELLED, CLIENT_ERROR): the same rc with err
 * saying why, or CLIENT_RESET when the server reset the connection before a byte came.
 * For an exchange of one's own that reads as client_exchange does. */
int client_exchange_status(int rc, const struct client_reply *out, char err[LIMIT_ERR_LEN]);

/* client_read_some — one recv from fd into out (grown as needed, kept NUL-terminated),
 * within max_bytes in all. Returns the bytes added (> 0); 0 when the stream ended:
 * out->closed (and out->reset), or out->truncated once max_bytes have come;
 * CLIENT_RETRY when nothing has arrived yet; or CLIENT_ERROR. */
ssize_t client_read_some(int fd, struct client_reply *out, size_t max_bytes);

/* client_exchange — writes req[0..len) to fd, then shuts down the write side (so a server
 * that waits for more sees the end of the stream), while reading everything the server
 * sends until it closes, max_bytes have come, or the wait ends. Reading and writing go
 * on together, so a server that answers before reading the whole request (a 413) cannot
 * deadlock us, and a server that stops reading ends our writing quietly.
 * *out is reset on entry and keeps what came even when the call fails.
 * Returns CLIENT_OK when the server closed (or max_bytes came), else CLIENT_TIMEOUT,
 * CLIENT_CANCELLED, CLIENT_RESET (reset before anything came back) or CLIENT_ERROR.
 * Never raises SIGPIPE. Does not close fd. */
int client_exchange(int fd, const void *req, size_t len, size_t max_bytes,
                    const struct client_wait *w, struct client_reply *out,
                    char err[LIMIT_ERR_LEN]);

/* client_reply_free — frees what out owns and empties it; safe to call twice. */
void client_reply_free(struct client_reply *out);

/* ---- parsing responses (RFC 9112) ---------------------------------------------------- */

#define CLIENT_MAX_HEADERS 100        /* more: PARSE_BAD, too_large */
#define CLIENT_MAX_HEAD (64 * 1024)   /* a status line and headers longer: likewise */

struct client_header {
	struct span name;  /* as received */
	struct span value; /* spaces and tabs around it removed */
};

/* How the body of a response is delimited (RFC 9112 §6.3). */
enum client_framing {
	CLIENT_BODY_NONE,    /* HEAD, 1xx, 204, 304: no body whatever the headers say */
	CLIENT_BODY_LENGTH,  /* Content-Length */
	CLIENT_BODY_CHUNKED, /* Transfer-Encoding ending in chunked */
	CLIENT_BODY_CLOSE,   /* neither: the body runs until the server closes */
};

struct client_response {
	int version;                 /* 10 for HTTP/1.0, 11 for HTTP/1.1 */
	int status;                  /* 200 */
	struct span status_line;     /* "HTTP/1.1 200 OK", without CRLF */
	struct span reason;          /* "OK"; empty when the server sent none */
	struct client_header headers[CLIENT_MAX_HEADERS];
	size_t nheaders;
	size_t head_len;             /* bytes through the empty line */

	enum client_framing framing;
	uint64_t content_length;     /* CLIENT_BODY_LENGTH */

	/* Set by client_parse_body. */
	struct span body;            /* the body as sent: for chunked, the chunks with their
	                              * size lines (decode with client_dechunk) */
	size_t body_len;             /* body bytes after chunked decoding */
	struct span trailers;        /* chunked: the trailer lines, CRLFs included; else empty */

	/* After PARSE_BAD: the rule the response broke (a constant sentence), and whether
	 * it was only too large (over CLIENT_MAX_HEAD or CLIENT_MAX_HEADERS). */
	const char *error;
	bool too_large;
};

/* client_parse_head — parses the status line and headers at buf[0..len), a response to a
 * request whose method is method ("HEAD" matters; NULL means GET), and decides how its
 * body is framed. Accepts "HTTP/1.x SP 3DIGIT [SP reason] CRLF" and header lines with
 * CRLF; rejects bare LF, obs-fold, a bad header name, an invalid or conflicting
 * Content-Length. Returns head_len, PARSE_INCOMPLETE (call again with more bytes) or
 * PARSE_BAD (res->error, res->too_large). *res is reset on entry and fully set only on
 * success. */
int client_parse_head(const char *buf, size_t len, const char *method,
                      struct client_response *res);

/* client_parse_body — finds the end of the body at buf[0..len), the bytes right after a
 * head that client_parse_head accepted into *res. eof says the stream ended after len
 * bytes (a body framed by the close is complete only then). Returns the body's length on
 * the wire (chunk lines included), PARSE_INCOMPLETE (when eof is true too, the body was
 * cut short) or PARSE_BAD (a malformed chunk: res->error). A chunked body must end its
 * lines in CR LF and hold only field lines in its trailers. Sets the body fields of *res
 * only on success. */
long client_parse_body(const char *buf, size_t len, bool eof, struct client_response *res);

/* client_parse_response — client_parse_head then client_parse_body: the length of one
 * whole response at buf[0..len), or PARSE_INCOMPLETE or PARSE_BAD. On PARSE_INCOMPLETE with
 * a complete head, res->head_len is non-zero and the head fields are set, so a caller
 * can still show a response cut short. A 1xx response is interim: the final response
 * to the same request follows it (client_is_interim). */
long client_parse_response(const char *buf, size_t len, const char *method, bool eof,
                           struct client_response *res);

/* client_is_interim — true for a 1xx other than 101, which another response follows. */
bool client_is_interim(const struct client_response *res);

/* client_header_get — the first header called name (any case), or NULL. */
const struct span *client_header_get(const struct client_response *res, const char *name);

/* client_dechunk — writes the decoded body of a chunked response that client_parse_body
 * accepted into out[0..cap); returns the bytes written (res->body_len when cap allows).
 * For other framings copies res->body. */
size_t client_dechunk(const struct client_response *res, char *out, size_t cap);

#endif
