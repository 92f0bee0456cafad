/* site.h — the article's small website, as lesson 05 builds it: the front page that
 * redirects, the page, its script and its logo. Lessons 06 and 07 add to that site
 * (cookies, methods) and list these handlers in their route tables, as the article's
 * later scripts carry the same routes along. Lesson 05 serves the page with site_page
 * but writes its own redirect, script and logo, because the 307 and the caching
 * headers are what it teaches.
 *
 * Each is a route handler (httpd.h) whose ctx is the lesson's struct handler_ctx,
 * and each prints the request as the article's read_http_request does. */
#ifndef WIRELAB_SITE_H
#define WIRELAB_SITE_H

#include "http.h"
#include "httpd.h"
#include "response.h"

/* The article's page: a title, the script and the logo. */
#define SITE_PAGE                                                                       \
	"<html><head><title>Old Website</title>"                                        \
	"<script type=\"text/javascript\" src=\"/js/myjs.js\"></script></head>"          \
	"<body><img src=\"/logo/\" /></body></html>"

/* site_front_page — "/": 307 to /index.html, the same method asked again there. */
void site_front_page(const struct request *req, struct response *res,
                     const struct handler_ctx *ctx);

/* site_page — "/index.html": SITE_PAGE, gzipped when accepted. */
void site_page(const struct request *req, struct response *res,
               const struct handler_ctx *ctx);

/* site_js — "/js/myjs.js": the page's one-line script. */
void site_js(const struct request *req, struct response *res,
             const struct handler_ctx *ctx);

/* site_logo — "/logo/": public/logo.png from the lesson's file cache (the lesson sets
 * serves_files); 404 when the file is missing from the docroot. */
void site_logo(const struct request *req, struct response *res,
               const struct handler_ctx *ctx);

#endif
