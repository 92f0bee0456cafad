/* httpd.h — serving HTTP/1.1 on one connection: read a head within its deadline, parse
 * it, read the body, pick the route, let its handler answer, and go round again while
 * the connection stays persistent (RFC 9112 §9). Every row of the Limits table that is
 * about one request is answered here, so a lesson's handler only sees valid requests. */
#ifndef WIRELAB_HTTPD_H
#define WIRELAB_HTTPD_H

#include <stddef.h>

#include "http.h"
#include "net.h"
#include "response.h"

typedef void (*httpd_handler)(const struct http_request *req, struct response *res,
                              void *ctx);

/* One line of a lesson's route table, like the article's ROUTES dict. */
struct route {
	const char *path;      /* exact request path; a final star matches by prefix; NULL all */
	unsigned methods;      /* HTTP_GET | HTTP_POST …; GET implies HEAD */
	httpd_handler handler;
};

struct httpd {
	const struct route *routes; /* ends with an entry whose handler is NULL */
	void *ctx;                  /* handed to every handler */
	size_t max_body;            /* LIMIT_BODY_DEFAULT unless the lesson takes uploads */
};

/* httpd_connection — a net_conn_fn: serves HTTP on fd until the connection ends.
 * ctx is a const struct httpd *. */
void httpd_connection(int fd, const struct net_peer *peer, void *ctx);

/* httpd_busy — the whole response for a connection over the limit (503, close). */
extern const char httpd_busy[];

#endif
