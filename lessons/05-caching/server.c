/* Lesson 05 — caching.
 *
 * The article's route table and the headers that let a client keep what it got:
 * a 307 redirect, Cache-Control with max-age, Expires, Last-Modified answered by
 * If-Modified-Since, an ETag (md5 of the body) answered by If-None-Match, and 304 Not
 * Modified when the client's copy is still good. Every body is gzipped when the client
 * accepts it, as the article's write_data does; a file's gzip form is made once.
 *
 *   /              307 to /index.html
 *   /index.html    the page: a script and the logo
 *   /js/myjs.js    ETag + Cache-Control: public, max-age=10
 *   /python-logo/  public/logo.png    } Last-Modified, Cache-Control: public,
 *   /favicon.ico   public/favicon.ico } max-age=10, Expires
 *   anything else  404 (the article's dict lookup raises KeyError)
 */

#include "cache.h"
#include "content.h"
#include "files.h"
#include "http.h"
#include "lesson.h"
#include "response.h"
#include "site.h"

#define MAX_AGE 10 /* seconds a client may reuse a response without asking again */

/* serve_front_page — the front page has moved: the client asks again at Location,
 * with the same method (307, RFC 9110 §15.4.8). */
static void serve_front_page(const struct request *req, struct response *res,
                             const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	res_send_response(res, HTTP_TEMPORARY_REDIRECT);
	res_send_header(res, "Location", "/index.html");
	res_send_header(res, "Content-Length", "0");
	res_end_headers(res);
}

/* serve_js — validated by an ETag, the md5 of the body: If-None-Match naming it gets
 * 304 and no body (RFC 9110 §13.1.2). The gzip form's tag is weak (W/"md5"): it is
 * the same content in other bytes, and a strong tag must name one set of bytes. */
static void serve_js(const struct request *req, struct response *res, const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	/* BEGIN SOLUTION: the script is "const a = Math.random();". Its validator is an ETag,
	 * the md5 of the script, weak (W/) for the gzip form as its bytes differ
	 * (content_etag), with max-age MAX_AGE and no date (a struct cache_policy); answer 304
	 * when If-None-Match names it (cache_evaluate, content_send_not_modified varying on
	 * Accept-Encoding), else 200 with the caching headers, Content-Type text/javascript
	 * and the script (content_send) */
	static const char js_code[] = "const a = Math.random();";
	char etag[CONTENT_ETAG_LEN + 1];
	struct cache_policy policy = {etag, CACHE_NO_DATE, MAX_AGE, false};

	content_etag(req, js_code, sizeof js_code - 1, etag);
	if (cache_evaluate(req->head, &policy) == CACHE_NOT_MODIFIED) {
		content_send_not_modified(res, &policy, "Accept-Encoding");
		return;
	}
	res_send_response(res, HTTP_OK);
	content_send_cache_headers(res, &policy);
	res_send_header(res, "Content-Type", "text/javascript");
	content_send(res, req, NULL, js_code, sizeof js_code - 1);
	/* END SOLUTION */
}

/* serve_file_with_caching — a file of public/ validated by its modification time:
 * If-Modified-Since at or after it gets 304 (RFC 9110 §13.1.3). */
static void serve_file_with_caching(const struct request *req, struct response *res,
                                    const struct handler_ctx *opt, const char *filename,
                                    const char *file_type)
{
	const struct files_entry *f = site_file(res, opt, filename); /* or 404 */

	if (!f)
		return;
	/* BEGIN SOLUTION: the validator is the file's modification time (f->mtime), with
	 * max-age MAX_AGE and Expires, and no ETag (a struct cache_policy); answer 304 when
	 * If-Modified-Since says the client's copy is current (cache_evaluate,
	 * content_send_not_modified varying on Accept-Encoding), else 200 with Content-Type
	 * file_type, the caching headers (Last-Modified among them) and the file's two forms
	 * (content_send_forms) */
	struct cache_policy policy = {NULL, f->mtime, MAX_AGE, true};
	if (cache_evaluate(req->head, &policy) == CACHE_NOT_MODIFIED) {
		content_send_not_modified(res, &policy, "Accept-Encoding");
	} else {
		res_send_response(res, HTTP_OK);
		res_send_header(res, "Content-Type", file_type);
		content_send_cache_headers(res, &policy);
		content_send_forms(res, req, NULL, f->data, f->len, f->gz, f->gz_len);
	}
	/* END SOLUTION */
	files_cache_release(opt->files, f);
}

/* serve_logo — the article's /python-logo/, with the project's own PNG. */
static void serve_logo(const struct request *req, struct response *res,
                       const struct handler_ctx *ctx)
{
	lesson_print_request(req);
	serve_file_with_caching(req, res, ctx, "logo.png", "image/png");
}

/* serve_favicon — the icon browsers ask for on their own. */
static void serve_favicon(const struct request *req, struct response *res,
                          const struct handler_ctx *ctx)
{
	lesson_print_request(req);
	serve_file_with_caching(req, res, ctx, "favicon.ico", "image/x-icon");
}

/* The article's ROUTES; a path not listed gets 404 from the library. */
static const struct route routes[] = {
	{"/", HTTP_GET, .handler = serve_front_page},
	{"/index.html", HTTP_GET, .handler = site_page}, /* the article's page (lesson/site.c) */
	{"/python-logo/", HTTP_GET, .handler = serve_logo},
	{"/js/myjs.js", HTTP_GET, .handler = serve_js},
	{"/favicon.ico", HTTP_GET, .handler = serve_favicon},
	{0}, /* the end */
};

int main(int argc, char **argv)
{
	static const struct lesson lesson = {
		.name = "05-caching",
		.dir = LESSON_DIR,
		.routes = routes,
		.serves_files = 1,
	};
	return lesson_main(argc, argv, &lesson);
}
