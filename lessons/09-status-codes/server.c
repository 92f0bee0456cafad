/* Lesson 09 — status codes.
 *
 * The first digit of a status code is its class (RFC 9110 §15): 2xx it worked, 3xx
 * look elsewhere, 4xx the request was wrong, 5xx the server was. One route per code
 * the article discusses, and an index page that lists them. Every error answer
 * carries a small HTML page naming its code, reason phrase and class, so a person
 * sees what a program reads from the status line; a HEAD and a 304 never carry one.
 *
 *   /                 the index: every route below, and what each class means
 *   /ok               200 OK
 *   /redirect         307 Temporary Redirect to /ok
 *   /not-modified     200 with an ETag; 304 when If-None-Match names it
 *   /bad-request      400 Bad Request
 *   /forbidden        403 Forbidden
 *   /teapot           418 I'm a teapot
 *   /server-error     500 Internal Server Error
 *   POST /ok          405 Method Not Allowed, from the library's dispatcher
 *   anything else     404 Not Found, from the last route, for every method
 */
#include <stdio.h>

#include "cache.h"
#include "content.h"
#include "http.h"
#include "lesson.h"
#include "response.h"

/* status_class — what the first digit of a code says (RFC 9110 §15). */
static const char *status_class(int status)
{
	static const char *const classes[] = {
		[1] = "1xx Informational: the request was received, the answer goes on",
		[2] = "2xx Successful: the request was received, understood and accepted",
		[3] = "3xx Redirection: the client must do more, usually look elsewhere",
		[4] = "4xx Client Error: the fault is the client's; sent again unchanged, most fail"
		      " again, but 408 and 429 may succeed later, 401 once credentials are sent",
		[5] = "5xx Server Error: the request may have been fine; the server failed",
	};
	int c = 0;

	/* BEGIN SOLUTION: c, the class: the first of the code's three digits (404 is 4xx) */
	c = status / 100;
	/* END SOLUTION */
	return c >= 1 && c <= 5 ? classes[c] : "unknown class";
}

/* send_page — status, then a page naming the code, its reason phrase and its class
 * and saying why; gzipped when the client accepts it. why is the server's own text. */
static void send_page(const struct request *req, struct response *res, int status,
                      const char *why)
{
	char page[1024];
	int n = snprintf(page, sizeof page,
	                 "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n"
	                 "<body><h1>%d %s</h1>\n<p>Class: %s.</p>\n<p>%s</p>\n"
	                 "<p><a href=\"/\">All the routes</a></p></body></html>\n",
	                 status, http_reason(status), status, http_reason(status),
	                 status_class(status), why);

	res_send_response(res, status);
	res_send_header(res, "Content-Type", "text/html; charset=utf-8");
	content_send(res, req, NULL, page, (size_t)n);
}

static void serve_index(const struct request *req, struct response *res,
                        const struct handler_ctx *ctx)
{
	static const char page[] =
		"<!DOCTYPE html>\n<html><head><title>Status codes</title></head>\n<body>\n"
		"<h1>Status codes</h1>\n"
		"<p>The first digit is the class (RFC 9110 section 15):</p>\n<ul>\n"
		"<li>2xx Successful: it worked.</li>\n"
		"<li>3xx Redirection: look elsewhere, or use the copy you have.</li>\n"
		"<li>4xx Client Error: the request was wrong.</li>\n"
		"<li>5xx Server Error: the server failed.</li>\n</ul>\n"
		"<p>One route per code:</p>\n<ul>\n"
		"<li><a href=\"/ok\">/ok</a> 200 OK</li>\n"
		"<li><a href=\"/redirect\">/redirect</a> 307 Temporary Redirect to /ok</li>\n"
		"<li><a href=\"/not-modified\">/not-modified</a> 304 Not Modified, when "
		"If-None-Match names its ETag</li>\n"
		"<li><a href=\"/bad-request\">/bad-request</a> 400 Bad Request</li>\n"
		"<li><a href=\"/forbidden\">/forbidden</a> 403 Forbidden</li>\n"
		"<li><a href=\"/no-such-page\">/no-such-page</a> 404 Not Found</li>\n"
		"<li>POST /ok: 405 Method Not Allowed, with Allow: GET, HEAD</li>\n"
		"<li><a href=\"/teapot\">/teapot</a> 418 I'm a teapot</li>\n"
		"<li><a href=\"/server-error\">/server-error</a> 500 Internal Server Error</li>\n"
		"</ul>\n</body></html>\n";

	(void)ctx;
	lesson_print_request(req);
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", "text/html; charset=utf-8");
	content_send(res, req, NULL, page, sizeof page - 1);
}

static void serve_ok(const struct request *req, struct response *res, const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	send_page(req, res, HTTP_OK, "Most answers are this one.");
}

/* serve_redirect — 307: ask again at Location, with the same method (§15.4.8). */
static void serve_redirect(const struct request *req, struct response *res,
                           const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	/* BEGIN SOLUTION: 307 Temporary Redirect to /ok: Location and an empty body
	 * (Content-Length: 0) */
	res_send_response(res, HTTP_TEMPORARY_REDIRECT);
	res_send_header(res, "Location", "/ok");
	res_send_header(res, "Content-Length", "0");
	res_end_headers(res);
	/* END SOLUTION */
}

/* serve_not_modified — 304 when the client's copy is current (lesson 05); the 304
 * has the 200's ETag and no body (§15.4.5). */
static void serve_not_modified(const struct request *req, struct response *res,
                               const struct handler_ctx *ctx)
{
	static const char body[] = "This text does not change; ask with If-None-Match.\n";
	char etag[CONTENT_ETAG_LEN + 1];
	struct cache_policy policy = {etag, CACHE_NO_DATE, 0, false};

	(void)ctx;
	lesson_print_request(req);
	content_etag(req, body, sizeof body - 1, etag); /* weak for the gzip form */
	if (cache_evaluate(req->head, &policy) == CACHE_NOT_MODIFIED) {
		content_send_not_modified(res, &policy, "Accept-Encoding");
		return;
	}
	res_send_response(res, HTTP_OK);
	content_send_cache_headers(res, &policy);
	res_send_header(res, "Content-Type", "text/plain; charset=utf-8");
	content_send(res, req, NULL, body, sizeof body - 1);
}

static void serve_bad_request(const struct request *req, struct response *res,
                              const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	send_page(req, res, HTTP_BAD_REQUEST,
	          "The request is malformed: a missing or broken header, a body that does not "
	          "parse. This route always says so, to show the page.");
}

/* serve_forbidden — 403: the server understood and refuses; logging in would not help
 * (that is 401, with WWW-Authenticate, RFC 9110 §15.5.2). */
static void serve_forbidden(const struct request *req, struct response *res,
                            const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	send_page(req, res, HTTP_FORBIDDEN, "You may not see this page.");
}

static void serve_teapot(const struct request *req, struct response *res,
                         const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	/* BEGIN SOLUTION: 418 I'm a teapot, with send_page and a sentence saying why */
	send_page(req, res, HTTP_IM_A_TEAPOT,
	          "The server refuses to brew coffee because it is a teapot "
	          "(RFC 2324 section 2.3.2, an April Fools' joke; RFC 9110 section 15.5.19 "
	          "keeps the code reserved).");
	/* END SOLUTION */
}

static void serve_server_error(const struct request *req, struct response *res,
                               const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	send_page(req, res, HTTP_INTERNAL_SERVER_ERROR,
	          "Something broke inside the server. This route breaks on purpose.");
}

/* serve_missing — every path not above, with every method: 404 (the article's dict
 * lookup would raise KeyError). */
static void serve_missing(const struct request *req, struct response *res,
                          const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	send_page(req, res, HTTP_NOT_FOUND, "There is nothing at this path.");
}

#define ANY_METHOD (HTTP_GET | HTTP_HEAD | HTTP_POST | HTTP_PUT | HTTP_DELETE | HTTP_CONNECT | \
                    HTTP_OPTIONS | HTTP_TRACE | HTTP_PATCH)

static const struct route routes[] = {
	{"/", HTTP_GET, .handler = serve_index},
	{"/ok", HTTP_GET, .handler = serve_ok},
	{"/redirect", HTTP_GET, .handler = serve_redirect},
	{"/not-modified", HTTP_GET, .handler = serve_not_modified},
	{"/bad-request", HTTP_GET, .handler = serve_bad_request},
	{"/forbidden", HTTP_GET, .handler = serve_forbidden},
	{"/teapot", HTTP_GET, .handler = serve_teapot},
	{"/server-error", HTTP_GET, .handler = serve_server_error},
	{NULL, ANY_METHOD, .handler = serve_missing},
	{0}, /* the end */
};

int main(int argc, char **argv)
{
	static const struct lesson lesson = {
		.name = "09-status-codes",
		.dir = LESSON_DIR,
		.routes = routes,
	};
	return lesson_main(argc, argv, &lesson);
}
