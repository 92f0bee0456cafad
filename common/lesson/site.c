/* site.c — the article's website, shared by the lessons after 05. */
#include "site.h"

#include <unistd.h>

#include "content.h"
#include "files.h"
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

/* send_static — a fixed body of the given type, gzipped when accepted. */
static void send_static(const struct request *req, struct response *res,
                        const char *type, const char *body, size_t len)
{
	lesson_print_request(req);
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", type);
	content_send(res, req, NULL, body, len);
}

void site_page(const struct request *req, struct response *res,
               const struct handler_ctx *ctx)
{
	static const char page[] = SITE_PAGE;

	(void)ctx;
	send_static(req, res, "text/html", page, sizeof page - 1);
}

void site_js(const struct request *req, struct response *res,
             const struct handler_ctx *ctx)
{
	static const char js_code[] = "const a = Math.random();";

	(void)ctx;
	send_static(req, res, "text/javascript", js_code, sizeof js_code - 1);
}

void site_logo(const struct request *req, struct response *res,
               const struct handler_ctx *ctx)
{
	int fd = files_open(ctx->docroot_fd, "logo.png");
	const struct files_entry *f = fd < 0 ? NULL : files_cache_get(ctx->files, fd);

	lesson_print_request(req);
	if (fd >= 0)
		close(fd);
	if (!f) {
		res_error(res, HTTP_NOT_FOUND, "The file is missing from the server's folder.");
		return;
	}
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", "image/png");
	content_send_forms(res, req, NULL, f->data, f->len, f->gz, f->gz_len);
	files_cache_release(ctx->files, f);
}
