/* response.h — writing a response, the way Python's BaseHTTPRequestHandler does:
 *
 *     res_send_response(res, 200);                 status line, Server, Date; logs it
 *     res_send_header(res, "Content-Type", "text/plain");
 *     res_end_headers(res);
 *     res_write(res, body, len);
 *
 * The writer keeps HTTP/1.1 honest behind the handler's back: a HEAD, 1xx, 204 or 304
 * response never carries the body the handler writes (so HEAD gets exactly GET's
 * headers), a response without Content-Length closes the connection (the only other
 * way to delimit it), and a header value with CR or LF is refused (no header
 * injection): the handler's response becomes a 500. */
#ifndef WIRELAB_RESPONSE_H
#define WIRELAB_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "http.h"
#include "limit.h"

#define SERVER_NAME "wirelab/0.1"

/* Owned by the server loop; handlers use the functions below, never the fields. */
struct response {
	int fd;
	const struct http_head *request; /* what it answers; NULL when unparsable */
	const char *client;
	const char *log_line;            /* what the access log shows as the request */
	int status;                      /* 0 until res_send_response */
	time_t date;                     /* the time its Date field names */
	bool no_body;                    /* HEAD, 1xx, 204, 304 */
	bool ended;                      /* the head is complete */
	bool sent;                       /* the head has been written */
	bool close;                      /* the connection ends after this response */
	bool failed;                     /* the handler broke a rule: answer 500 instead */
	bool broken;                     /* the socket failed: stop writing */
	int64_t content_length;          /* -1 until the handler sends one */
	uint64_t body_sent;
	size_t head_len;
	char head[LIMIT_RESPONSE_HEAD];
};

/* res_init — a fresh response on fd to the request of head (NULL for an unparsable
 * request). */
void res_init(struct response *res, int fd, const struct http_head *head,
              const char *client, const char *log_line);

/* res_send_response — the status line plus Server and Date, and the access log line. */
void res_send_response(struct response *res, int status);

/* res_send_header — one header line. Content-Length and Connection: close are noted. */
void res_send_header(struct response *res, const char *name, const char *value);
void res_send_headerf(struct response *res, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* res_end_headers — adds Connection when needed and the empty line. */
void res_end_headers(struct response *res);

/* res_write — body bytes (ends the headers first if the handler did not). */
void res_write(struct response *res, const void *buf, size_t len);

/* res_send — a whole response: status, Content-Type, Content-Length and body. */
void res_send(struct response *res, int status, const char *type, const void *body,
              size_t len);

/* res_error_body — Content-Type, Content-Length and a small HTML page naming the
 * status, after res_send_response (and any extra header, such as Allow). message is
 * text of the server's own, never request data. */
void res_error_body(struct response *res, const char *message);

/* res_error — res_send_response(status) then res_error_body(message). */
void res_error(struct response *res, int status, const char *message);

/* res_set_close — this connection ends after the response (Connection: close). */
void res_set_close(struct response *res);

/* res_finish — completes the response; returns true if the connection may carry
 * another request. A handler that sent nothing gets a 500 here. */
bool res_finish(struct response *res);

#endif
