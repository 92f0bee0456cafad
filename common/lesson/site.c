/* site.c — the article's website, shared by the lessons after 05. */
#include "site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "files.h"
#include "html.h"
#include "lesson.h"

void site_front_page(const struct request *req, struct response *res,
                     const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	res_send_response(res, HTTP_TEMPORARY_REDIRECT);
	res_send_header(res, "Location", "/index.html");
	res_send_header(res, "Content-Length", "0");
	res_end_headers(res);
}

void site_send_page(const struct request *req, struct response *res, const char *title,
                    size_t len)
{
	size_t need = html_escape(title, len, NULL, 0) + 1;
	char *escaped = malloc(need), *page = NULL;
	int n = -1;

	if (escaped) {
		html_escape(title, len, escaped, need);
		n = asprintf(&page, SITE_PAGE_FORMAT, escaped);
		free(escaped);
	}
	if (n < 0) {
		/* After the handler's status line this is a second one: the writer answers 500. */
		res_error(res, HTTP_INTERNAL_SERVER_ERROR, "Out of memory.");
		return;
	}
	res_send_header(res, "Content-Type", "text/html");
	content_send(res, req, NULL, page, (size_t)n);
	free(page);
}

void site_page(const struct request *req, struct response *res,
               const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	res_send_response(res, HTTP_OK);
	site_send_page(req, res, SITE_TITLE, strlen(SITE_TITLE));
}

void site_js(const struct request *req, struct response *res,
             const struct handler_ctx *ctx)
{
	static const char js_code[] = "const a = Math.random();";

	(void)ctx;
	lesson_print_request(req);
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", "text/javascript");
	content_send(res, req, NULL, js_code, sizeof js_code - 1);
}

const struct files_entry *site_file(struct response *res, const struct handler_ctx *opt,
                                    const char *name)
{
	const struct files_entry *f = files_cache_open(opt->files, opt->docroot_fd, name);

	if (!f)
		res_error(res, HTTP_NOT_FOUND, "The file is missing from the server's folder.");
	return f;
}

/* send_public — public/name as type, in the form the client accepts; 404 without it. */
static void send_public(const struct request *req, struct response *res,
                        const struct handler_ctx *ctx, const char *name, const char *type)
{
	const struct files_entry *f;

	lesson_print_request(req);
	if (!(f = site_file(res, ctx, name)))
		return;
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", type);
	content_send_forms(res, req, NULL, f->data, f->len, f->gz, f->gz_len);
	files_cache_release(ctx->files, f);
}

void site_logo(const struct request *req, struct response *res,
               const struct handler_ctx *ctx)
{
	send_public(req, res, ctx, "logo.png", "image/png");
}

void site_favicon(const struct request *req, struct response *res,
                  const struct handler_ctx *ctx)
{
	send_public(req, res, ctx, "favicon.ico", "image/x-icon");
}
