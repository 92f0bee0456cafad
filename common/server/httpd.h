/* httpd.h — serving HTTP/1.1 on one connection: take a head within its deadline, parse
 * it, read the body, pick the route, let its handler answer, and go round again while
 * the connection stays persistent (RFC 9112 §9). Every row of the Limits table that is
 * about one request is answered here, so a lesson's handler only sees valid requests. */
#ifndef WIRELAB_HTTPD_H
#define WIRELAB_HTTPD_H

#include <stddef.h>

#include "http.h"
#include "net.h"
#include "pool.h"
#include "response.h"

/* What a handler is given: the head as the parser read it, the body and the client as
 * the server read them. */
struct request {
	const struct http_head *head; /* method, path, query, headers (http.h) */
	const char *method;           /* head->method, head->path and head->query, the */
	const char *path;             /* three a handler reads most, within reach */
	const char *query;
	const char *body;             /* the whole body, NUL-terminated for convenience; it
	                               * may hold NULs itself: use body_len. "" when none */
	size_t body_len;
	const char *client;           /* "127.0.0.1" */
	int client_port;
};

/* The program above this layer defines struct handler_ctx (a lesson's is its options
 * and state, lesson.h); the server only hands its address to every handler. */
struct handler_ctx;

typedef void (*httpd_handler)(const struct request *req, struct response *res,
                              const struct handler_ctx *ctx);

/* One line of a lesson's route table, like the article's ROUTES dict. */
struct route {
	const char *path;      /* exact request path; a final star matches by prefix; NULL all */
	unsigned methods;      /* HTTP_GET | HTTP_POST …; GET implies HEAD */
	httpd_handler handler;
};

struct httpd {
	const struct route *routes;    /* ends with an entry whose handler is NULL */
	const struct handler_ctx *ctx; /* handed to every handler */
	size_t max_body;               /* LIMIT_BODY_DEFAULT unless the lesson takes uploads */
};

/* httpd_ops — HTTP for the pool (pool.h): each connection's turn reads what has
 * arrived without waiting, answers every complete request (reading a body, if any,
 * within its deadlines), and says how long to wait for the next head. ctx is a
 * const struct httpd *. */
extern const struct pool_conn_ops httpd_ops;

/* httpd_busy — the whole response for a connection over the limit (503, close). */
extern const char httpd_busy[];

#endif
