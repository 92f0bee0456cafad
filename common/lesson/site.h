/* site.h — the article's small website, as lesson 05 builds it: the front page that
 * redirects, the page, its script, its logo and its icon. Lessons 06 and 07 add to that site
 * (cookies, methods) and list these handlers in their route tables, as the article's
 * later scripts carry the same routes along. Lesson 05 serves the page with site_page
 * but writes its own redirect, script and logo, because the 307 and the caching
 * headers are what it teaches.
 *
 * Each is a route handler (httpd.h) whose ctx is the lesson's struct handler_ctx,
 * and each prints the request as the article's read_http_request does. */
#ifndef WIRELAB_SITE_H
#define WIRELAB_SITE_H

#include <stddef.h>

#include "http.h"
#include "httpd.h"
#include "response.h"

struct files_entry;
struct handler_ctx;

/* The article's page: a title (HTML, escaped) at the %s, the script and the logo. The
 * tests read the page from here too (tests/e2e/site_page.py): write it nowhere else. */
#define SITE_PAGE_FORMAT                                                                \
	"<html><head><title>%s</title>"                                                 \
	"<script type=\"text/javascript\" src=\"/js/myjs.js\"></script></head>"          \
	"<body><img src=\"/python-logo/\" /></body></html>"
#define SITE_TITLE "Old Website" /* the page's title, unless a lesson says otherwise */

/* site_front_page — "/": 307 to /index.html, the same method asked again there. */
void site_front_page(const struct request *req, struct response *res,
                     const struct handler_ctx *ctx);

/* site_page — "/index.html": the page titled SITE_TITLE, gzipped when accepted. */
void site_page(const struct request *req, struct response *res,
               const struct handler_ctx *ctx);

/* site_js — "/js/myjs.js": the page's one-line script. */
void site_js(const struct request *req, struct response *res,
             const struct handler_ctx *ctx);

/* site_logo — "/python-logo/" (the article's route, the project's own PNG):
 * public/logo.png from the lesson's file cache (the lesson sets serves_files); 404 when
 * the file is missing from the docroot. */
void site_logo(const struct request *req, struct response *res,
               const struct handler_ctx *ctx);

/* site_favicon — "/favicon.ico": public/favicon.ico as image/x-icon, as site_logo does
 * (the article's later route tables keep lesson 05's favicon route). */
void site_favicon(const struct request *req, struct response *res,
                  const struct handler_ctx *ctx);

/* site_send_page — the rest of a response whose status line (and any header of its
 * own) the handler has sent: Content-Type text/html and the page titled
 * title[0..len), which is escaped here, whatever its length; gzipped when accepted.
 * Out of memory, the response becomes a 500. */
void site_send_page(const struct request *req, struct response *res, const char *title,
                    size_t len);

/* site_file — public/name from the lesson's file cache, or NULL after answering 404
 * (whatever kept it from being read: the docroot holds only the site's own files).
 * The caller gives the entry back with files_cache_release(opt->files, …). */
const struct files_entry *site_file(struct response *res, const struct handler_ctx *opt,
                                    const char *name);

#endif
