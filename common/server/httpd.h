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
	                               * may hold NULs itself: use body_len. "" when none,
	                               * and for a route with a reader (it gets the pieces) */
	size_t body_len;
	const char *client;           /* "127.0.0.1" */
	int client_port;
};

/* The program above this layer defines struct handler_ctx (a lesson's is its options
 * and state, lesson.h); the server only hands its address to every handler. */
struct handler_ctx;

typedef void (*httpd_handler)(const struct request *req, struct response *res,
                              const struct handler_ctx *ctx);

/* A body taken in pieces as it arrives, for a route whose bodies are too big to hold
 * whole (lesson 08's uploads). While the next piece is on its way the connection waits
 * in the pool, as it does for a head, and holds no thread. */
struct body_reader {
	/* start — the head is complete and routed; no byte of the body has been read.
	 * Returns the state the pieces go to, or NULL after answering with res (a refusal
	 * such as 415: the server then reads the body and drops it). */
	void *(*start)(const struct request *req, struct response *res,
	               const struct handler_ctx *ctx);
	/* piece — the next bytes of the body, chunked framing removed. Returns 0 for more,
	 * anything else to take no more: end is called at once, and the server drops the
	 * rest of the body. */
	int (*piece)(void *state, const char *data, size_t len);
	/* end — called once for every state start returned, when the body is all in or
	 * piece said stop: answers with res, and frees state. res is NULL when the body
	 * never came whole (the client went away or stalled, or broke its framing): the
	 * server answers that, if anyone is left to answer; end only cleans up. */
	void (*end)(void *state, const struct request *req, struct response *res);
};

/* One line of a lesson's route table, like the article's ROUTES dict. A path may have
 * a line per method (lesson 08: GET shows the form, POST reads the upload). */
struct route {
	const char *path;      /* exact request path; a final star matches by prefix; NULL all */
	unsigned methods;      /* HTTP_GET | HTTP_POST …; GET implies HEAD; 0 ends the table */
	httpd_handler handler; /* runs once the whole body is in req->body, or */
	const struct body_reader *reader; /* takes the body in pieces as it arrives */
};

struct httpd {
	const struct route *routes;    /* ends with an entry whose methods are 0 */
	const struct handler_ctx *ctx; /* handed to every handler */
	size_t max_body;               /* LIMIT_BODY_DEFAULT unless the lesson takes uploads */
};

/* httpd_ops — HTTP for the pool (pool.h): each connection's turn reads what has
 * arrived without waiting, answers every complete request, hands what came of a body
 * to its route, and says how long to wait for the next bytes: of a head, or of a body
 * begun. Before a newcomer is admitted, ready tells the pool whether its whole head
 * has arrived. ctx is a const struct httpd *. */
extern const struct pool_conn_ops httpd_ops;

/* httpd_busy — the whole response for a connection over the limit (503, close). */
extern const char httpd_busy[];

#endif
