/* Lesson 07 — methods: GET with a query string, HEAD, POST with a form or JSON.
 *
 * GET reads; its parameters ride in the query string, which the server splits off the
 * path before the route lookup and parses like parse_qs (every value of a repeated
 * name) or dict(parse_qsl) (the last one wins). HEAD is GET without the body, with
 * every header GET would send. POST carries data in the body, and its Content-Type
 * says how to read it: a urlencoded form or JSON; anything else is refused.
 *
 *   /               GET: 307 to /index.html; POST: the form or JSON, printed
 *   /index.html     the page
 *   /query_test     the page, after printing the parsed query
 *   /js/myjs.js     the page's script
 *   /python-logo/   public/logo.png
 *   /favicon.ico    public/favicon.ico
 *
 *   --variant multi      parse_qs: {'test2': ['bar', 'baz']}   (default)
 *   --variant last-wins  dict(parse_qsl): {'test2': 'baz'}
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "form.h"
#include "http.h"
#include "lesson.h"
#include "response.h"
#include "site.h"
#include "url.h"

/* print_query — q as Python prints the dict, and a newline: one whole line, however
 * many threads print at once. */
static void print_query(const struct url_query *q, enum url_query_mode mode)
{
	flockfile(stdout);
	form_print_query(stdout, q, mode);
	printf("\n");
	fflush(stdout);
	funlockfile(stdout);
}

/* serve_query — the article's do_GET with urlparse and parse_qs (or parse_qsl). */
static void serve_query(const struct request *req, struct response *res,
                        const struct handler_ctx *ctx)
{
	lesson_print_request(req);
	/* BEGIN SOLUTION: parse the query string (url_query_parse; every value, or the last one
	 * in the last-wins variant), answer 400 when it has too many fields, print it
	 * (print_query), then answer 200 with the site's page (site_send_page) */
	enum url_query_mode mode =
		lesson_variant_is(ctx, "last-wins") ? URL_QUERY_LAST_WINS : URL_QUERY_MULTI;
	struct url_query q;

	if (url_query_parse(req->query, strlen(req->query), mode, &q) < 0) {
		url_query_free(&q);
		res_error(res, HTTP_BAD_REQUEST, "The query string has too many fields.");
		return;
	}
	print_query(&q, mode);
	url_query_free(&q);
	res_send_response(res, HTTP_OK);
	site_send_page(req, res, SITE_TITLE, strlen(SITE_TITLE));
	/* END SOLUTION */
}

/* read_form — application/x-www-form-urlencoded: the query string's syntax in the
 * body, read like the article's dict(parse_qsl(data)). Returns 0, or -1 after
 * answering 400. */
static int read_form(const struct request *req, struct response *res)
{
	struct url_query q = {0}; /* empty until parsed */

	/* BEGIN SOLUTION: parse the body (req->body, req->body_len: not a C string) into q as
	 * dict(parse_qsl(data)) does, the last value of a repeated name winning
	 * (url_query_parse); too many fields: release q, answer 400 and return -1 */
	if (url_query_parse(req->body, req->body_len, URL_QUERY_LAST_WINS, &q) < 0) {
		url_query_free(&q);
		res_error(res, HTTP_BAD_REQUEST, "The form has too many fields.");
		return -1;
	}
	/* END SOLUTION */
	print_query(&q, URL_QUERY_LAST_WINS);
	url_query_free(&q);
	return 0;
}

/* read_json — application/json, the article's json.loads(data). Invalid JSON gets
 * 400 naming where the parser stopped. Returns 0, or -1 after answering. */
static int read_json(const struct request *req, struct response *res)
{
	/* BEGIN SOLUTION: parse the body as JSON, any value at the top and NUL allowed in
	 * strings (json_loadb); invalid: print jansson's message with its line, column and
	 * byte, answer 400 naming where the parser stopped (never quoting the body) and return
	 * -1; valid: print it as Python would (form_print_json) on one line, and release it */
	json_error_t err;
	json_t *v = json_loadb(req->body, req->body_len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	char msg[160];

	if (!v) {
		/* jansson's own text quotes the body ("near 'x'"): it goes to stdout only,
		 * never into the page. */
		printf("invalid JSON: %s (line %d, column %d, byte %d)\n", err.text, err.line,
		       err.column, err.position);
		fflush(stdout);
		snprintf(msg, sizeof msg, "The JSON body is not valid: the parser stopped at "
		         "line %d, column %d (byte %d).", err.line, err.column, err.position);
		res_error(res, HTTP_BAD_REQUEST, msg);
		return -1;
	}
	flockfile(stdout);
	form_print_json(stdout, v);
	printf("\n");
	fflush(stdout);
	funlockfile(stdout);
	json_decref(v);
	/* END SOLUTION */
	return 0;
}

/* serve_post — the article's do_POST: read the body as its Content-Type says, print
 * what it holds, answer with the page. */
static void serve_post(const struct request *req, struct response *res)
{
	bool form = false, json = false;

	if (req->head->framing == HTTP_BODY_NONE) {
		/* RFC 9110 §15.5.12: a POST must say how long its body is. */
		res_error(res, HTTP_LENGTH_REQUIRED,
		          "A POST needs Content-Length or Transfer-Encoding: chunked.");
		return;
	}
	/* BEGIN SOLUTION: what the body is, from its Content-Type compared as a media type
	 * (form_media_type_is: no case, parameters such as charset ignored): set form for
	 * application/x-www-form-urlencoded, json for application/json; any other type: 415
	 * Unsupported Media Type with Accept-Post listing the two, a sentence, and return */
	const char *type = http_header_get(req->head, "Content-Type");

	form = form_media_type_is(type, "application/x-www-form-urlencoded");
	json = form_media_type_is(type, "application/json");
	if (!form && !json) {
		/* RFC 9110 §15.5.16; Accept-Post (W3C LDP §7.1) lists what would do. */
		res_send_response(res, HTTP_UNSUPPORTED_MEDIA_TYPE);
		res_send_header(res, "Accept-Post",
		                "application/x-www-form-urlencoded, application/json");
		res_error_body(res, "This server reads application/x-www-form-urlencoded "
		                    "and application/json bodies.");
		return;
	}
	/* END SOLUTION */
	if (form && read_form(req, res) < 0)
		return;
	if (json && read_json(req, res) < 0)
		return;
	res_send_response(res, HTTP_OK);
	site_send_page(req, res, SITE_TITLE, strlen(SITE_TITLE));
}

/* serve_front_page — POST: the form or JSON (serve_post); GET: the site's 307 to the
 * page (lesson 05). */
static void serve_front_page(const struct request *req, struct response *res,
                             const struct handler_ctx *ctx)
{
	if (strcmp(req->method, "POST") != 0) {
		site_front_page(req, res, ctx);
		return;
	}
	lesson_print_request(req);
	serve_post(req, res);
}

static const struct route routes[] = {
	{"/", HTTP_GET | HTTP_POST, .handler = serve_front_page},
	{"/index.html", HTTP_GET, .handler = site_page},
	{"/query_test", HTTP_GET, .handler = serve_query},
	{"/js/myjs.js", HTTP_GET, .handler = site_js},
	{"/python-logo/", HTTP_GET, .handler = site_logo},
	{"/favicon.ico", HTTP_GET, .handler = site_favicon},
	{0}, /* the end */
};

int main(int argc, char **argv)
{
	static const char *const variants[] = {"multi", "last-wins", NULL};
	static const struct lesson lesson = {
		.name = "07-methods",
		.dir = LESSON_DIR,
		.variants = variants,
		.routes = routes,
		.serves_files = 1,
	};
	return lesson_main(argc, argv, &lesson);
}
