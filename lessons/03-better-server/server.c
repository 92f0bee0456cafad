/* Lesson 03 — a better server.
 *
 * The handler abstraction: the library reads and parses each request, and the
 * handler answers through send_response / send_header / end_headers / write, with
 * Server and Date added for it (the article's BaseHTTPRequestHandler). Many clients
 * at once, as with ThreadingHTTPServer, so one slow client does not stall the rest
 * (common/server/pool.h: a connection waiting for its request holds no thread).
 *
 *   --variant hello-world  answer "Hello World"
 *   --variant hello-host   answer "Hello <Host>" (the default): one address, many sites
 */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "lesson.h"
#include "log.h"
#include "response.h"

/* write_http_response — the greeting names the site the client asked for. Unlike the
 * article we send Content-Length, so the connection can stay open for the next request. */
static void write_http_response(const struct request *req, struct response *res,
                                const struct handler_ctx *opt)
{
	log_message(req->client, "Writing response to ('%s', %d)", req->client, req->client_port);
	/* BEGIN SOLUTION: answer 200 with Content-Type text/plain; charset=utf-8, Content-Length
	 * and the body "Hello <Host>" (or "Hello World" in the hello-world variant or without
	 * Host) */
	const char *host = http_header_get(req->head, "Host");
	char body[LIMIT_HEADER_LINE + 16];
	int n;

	if (lesson_variant_is(opt, "hello-host") && host) /* HTTP/1.0 may omit Host */
		n = snprintf(body, sizeof body, "Hello %s\n", host);
	else
		n = snprintf(body, sizeof body, "Hello World\n");
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", "text/plain; charset=utf-8");
	res_send_headerf(res, "Content-Length", "%d", n);
	res_end_headers(res);
	res_write(res, body, (size_t)n);
	/* END SOLUTION */
}

/* do_GET — HEAD comes here too; the writer drops the body for it. */
static void do_GET(const struct request *req, struct response *res, const struct handler_ctx *ctx)
{
	lesson_print_request(req); /* the article's read_http_request: log + headers dict */
	write_http_response(req, res, ctx);
}

static const struct route routes[] = {
	{NULL, HTTP_GET, .handler = do_GET}, /* every path */
	{0}, /* the end */
};

static const char *const variants[] = {"hello-host", "hello-world", NULL};

int main(int argc, char **argv)
{
	static const struct lesson lesson = {
		.name = "03-better-server",
		.dir = LESSON_DIR,
		.variants = variants,
		.routes = routes,
	};
	return lesson_main(argc, argv, &lesson);
}
