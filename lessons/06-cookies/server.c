/* Lesson 06 — cookies.
 *
 * State between requests: the server sends Set-Cookie, the browser decides what to
 * keep and sends it back in Cookie. The article's three cookies show the rules a
 * browser applies: var1 for this path, path_specific only below /cookie-test/, and
 * shady_cookie for another site's domain, which no client keeps. The page's title comes
 * from the path_specific cookie, escaped: a cookie is whatever the client says it is.
 *
 *   /                 307 to /index.html
 *   /index.html       the page, titled by the path_specific cookie when sent
 *   /cookie-test/     } the page, plus the three Set-Cookie headers
 *   /cookie-test2/    }
 *   /js/myjs.js       the page's script
 *   /python-logo/     public/logo.png
 *   /favicon.ico      public/favicon.ico
 *
 *   --variant set     the three cookies (default)
 *   --variant expire  var1 with Expires at the epoch: the browser deletes it
 */
#include <stdio.h>
#include <string.h>

#include "cookie.h"
#include "http.h"
#include "lesson.h"
#include "repr.h"
#include "response.h"
#include "site.h"

/* print_cookies — the Cookie header as a dict, after the headers dict. A repeated
 * name is shown once, with the value the page uses (the first). */
static void print_cookies(const struct cookie_pair *pairs, size_t n, int junk)
{
	const char *sep = "";

	flockfile(stdout); /* the line stays whole when threads print at once */
	printf("cookies: {");
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < i && !(pairs[k].name_len == pairs[i].name_len &&
		                  memcmp(pairs[k].name, pairs[i].name, pairs[i].name_len) == 0))
			k++;
		if (k < i)
			continue;
		printf("%s", sep);
		repr_latin1(stdout, pairs[i].name, pairs[i].name_len);
		printf(": ");
		repr_latin1(stdout, pairs[i].value, pairs[i].value_len);
		sep = ", ";
	}
	printf("}");
	if (junk > 0)
		printf(" (%d junk piece%s skipped)", junk, junk == 1 ? "" : "s");
	if (junk < 0)
		printf(" (more than %d pairs: the rest ignored)", LIMIT_COOKIE_PAIRS);
	printf("\n");
	fflush(stdout);
	funlockfile(stdout);
}

/* serve_html — the article's page, its title the path_specific cookie (escaped: the
 * article pastes it in raw, and warns that it should not). */
static void serve_html(const struct request *req, struct response *res,
                       const struct handler_ctx *ctx)
{
	const char *raw = http_header_get(req->head, "Cookie");
	struct cookie_pair pairs[LIMIT_COOKIE_PAIRS];
	size_t n = 0;
	int junk = 0;
	const struct cookie_pair *title = NULL;

	(void)ctx;
	/* BEGIN SOLUTION: when the request has a Cookie header (raw), split it into its
	 * name=value pairs (cookie_parse: n says how many fit in pairs, then how many came;
	 * junk counts the pieces skipped) and point title at the path_specific cookie
	 * (cookie_find) */
	if (raw) {
		n = LIMIT_COOKIE_PAIRS;
		junk = cookie_parse(raw, strlen(raw), pairs, &n);
		title = cookie_find(pairs, n, "path_specific");
	}
	/* END SOLUTION */
	if (raw)
		print_cookies(pairs, n, junk);
	if (title)
		site_send_page(req, res, title->value, title->value_len); /* escaped there */
	else
		site_send_page(req, res, SITE_TITLE, strlen(SITE_TITLE));
}

/* serve_index — the page without cookies set. */
static void serve_index(const struct request *req, struct response *res,
                        const struct handler_ctx *ctx)
{
	lesson_print_request(req);
	res_send_response(res, HTTP_OK);
	serve_html(req, res, ctx);
}

/* serve_cookies — the article's serve_cookies: one Set-Cookie header per cookie
 * (RFC 6265 §3: never folded into one line, as a comma may sit inside an Expires). */
static void serve_cookies(const struct request *req, struct response *res,
                          const struct handler_ctx *ctx)
{
	lesson_print_request(req);
	res_send_response(res, HTTP_OK);
	/* BEGIN SOLUTION: the three cookies and their attributes (struct cookie): var1=test;
	 * path_specific=test2 with Path /cookie-test/; shady_cookie=test3 with Domain
	 * shadysite.com; in the expire variant var1 Expires at the epoch. One Set-Cookie
	 * header per cookie (cookie_format; 500 if one cannot be written) */
	struct cookie cookies[] = {
		{.name = "var1", .value = "test"},
		{.name = "path_specific", .value = "test2", .path = "/cookie-test/"},
		{.name = "shady_cookie", .value = "test3", .domain = "shadysite.com"},
	};
	char line[512];

	if (lesson_variant_is(ctx, "expire")) {
		cookies[0].has_expires = true; /* the article's INSTANT_EXPIRE */
		cookies[0].expires = 0;
	}
	for (size_t i = 0; i < sizeof cookies / sizeof cookies[0]; i++) {
		const char *why = NULL;
		if (cookie_format(&cookies[i], line, sizeof line, &why) < 0) {
			res_error(res, HTTP_INTERNAL_SERVER_ERROR,
			          "A cookie could not be written.");
			return;
		}
		res_send_header(res, "Set-Cookie", line);
	}
	/* END SOLUTION */
	serve_html(req, res, ctx);
}

static const struct route routes[] = {
	{"/", HTTP_GET, .handler = site_front_page},
	{"/index.html", HTTP_GET, .handler = serve_index},
	{"/cookie-test/", HTTP_GET, .handler = serve_cookies},
	{"/cookie-test2/", HTTP_GET, .handler = serve_cookies},
	{"/js/myjs.js", HTTP_GET, .handler = site_js},
	{"/python-logo/", HTTP_GET, .handler = site_logo},
	{"/favicon.ico", HTTP_GET, .handler = site_favicon},
	{0}, /* the end */
};

int main(int argc, char **argv)
{
	static const char *const variants[] = {"set", "expire", NULL};
	static const struct lesson lesson = {
		.name = "06-cookies",
		.dir = LESSON_DIR,
		.variants = variants,
		.routes = routes,
		.serves_files = 1,
	};
	return lesson_main(argc, argv, &lesson);
}
