/* Lesson 04 — headers.
 *
 * What the request's headers ask for, and what the response's headers promise:
 * Content-Type (and what a browser makes of a wrong one), a type chosen by Accept,
 * a type guessed from a file name against one sniffed from its bytes, gzip when
 * Accept-Encoding allows it, and a User-Agent that is only what the client says.
 *
 *   /               Hello <Host>, in the article's three steps:
 *                   --variant plain         text/plain
 *                   --variant mangled-type  the same text, claiming to be image/jpeg
 *                   --variant gzip          text/plain, gzipped when asked (default)
 *   /greeting       text, HTML or JSON, whichever Accept prefers; 406 if none
 *   /files/NAME     a file of public/, typed by its bytes; prints both guesses
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "content.h"
#include "files.h"
#include "http.h"
#include "lesson.h"
#include "mime.h"
#include "sniff.h"
#include "repr.h"
#include "response.h"

/* serve_hello — the article's write_http_response, one step per variant. */
static void serve_hello(const struct request *req, struct response *res,
                        const struct handler_ctx *ctx)
{
	lesson_print_request(req);
	/* BEGIN SOLUTION: answer 200 with "Hello <Host>" (or "Hello World" without Host); gzip
	 * variant: Content-Type text/plain; charset=utf-8 and content_send (gzip when accepted);
	 * mangled-type: Content-Type image/jpeg; plain: text/plain; charset=utf-8, then
	 * Content-Length */
	const char *host = http_header_get(req->head, "Host");
	char body[LIMIT_HEADER_LINE + 16];
	int n = snprintf(body, sizeof body, "Hello %s\n", host ? host : "World");

	res_send_response(res, HTTP_OK);
	if (lesson_variant_is(ctx, "gzip")) {
		res_send_header(res, "Content-Type", "text/plain; charset=utf-8");
		content_send(res, req, NULL, body, (size_t)n); /* the article's write_data */
		return;
	}
	if (lesson_variant_is(ctx, "mangled-type"))
		res_send_header(res, "Content-Type", "image/jpeg"); /* a lie: the bytes are text */
	else
		res_send_header(res, "Content-Type", "text/plain; charset=utf-8");
	res_send_headerf(res, "Content-Length", "%d", n);
	res_end_headers(res);
	res_write(res, body, (size_t)n);
	/* END SOLUTION */
}

/* serve_greeting — one resource, three representations: Accept picks (RFC 9110
 * §12.5.1), and Vary: Accept tells caches that it did. */
static void serve_greeting(const struct request *req, struct response *res,
                           const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	/* BEGIN SOLUTION: let Accept choose one of the three types (mime_negotiate: q-values,
	 * the most specific range wins, q=0 refuses); when it accepts none, 406 Not
	 * Acceptable with a text/plain; charset=utf-8 sentence listing the three types; else
	 * 200 with that greeting's type and body. Send both with content_send and "Accept" as
	 * vary_also, so Vary tells caches the answer depends on Accept */
	static const char *const types[] = {"text/plain", "text/html", "application/json"};
	static const struct {
		const char *content_type;
		const char *body;
	} greetings[] = { /* the greeting in each of types (the server's preference first) */
		{"text/plain; charset=utf-8", "Hello World\n"},
		{"text/html; charset=utf-8",
		 "<!DOCTYPE html>\n<html><head><title>Hello</title></head>"
		 "<body><p>Hello World</p></body></html>\n"},
		/* JSON takes no charset parameter (RFC 8259) */
		{"application/json", "{\"greeting\": \"Hello World\"}\n"},
	};
	static const char refusal[] =
		"None of the types you accept is on offer.\n"
		"/greeting comes as text/plain, text/html or application/json.\n";
	int i = mime_negotiate(http_header_get(req->head, "Accept"), types, 3);

	if (i < 0) {
		res_send_response(res, HTTP_NOT_ACCEPTABLE);
		res_send_header(res, "Content-Type", "text/plain; charset=utf-8");
		content_send(res, req, "Accept", refusal, sizeof refusal - 1);
		return;
	}
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", greetings[i].content_type);
	content_send(res, req, "Accept", greetings[i].body, strlen(greetings[i].body));
	/* END SOLUTION */
}

/* refuse_file — the answer when a file cannot be served, by files_open's errno. */
static void refuse_file(struct response *res, int error)
{
	switch (error) {
	case ENOENT: case ENOTDIR: case EISDIR: case ENAMETOOLONG:
		res_error(res, HTTP_NOT_FOUND, "There is no such file.");
		break;
	case EXDEV: case ELOOP:
		res_error(res, HTTP_FORBIDDEN, "That path leads outside the public folder.");
		break;
	case EACCES: case EPERM:
		res_error(res, HTTP_FORBIDDEN, "The server may not read that file.");
		break;
	default:
		res_error(res, HTTP_INTERNAL_SERVER_ERROR, "The file cannot be read.");
	}
}

/* print_types — the article's two ways to tell a type, side by side. */
static void print_types(const char *name, size_t len, const char *guessed, const char *sniffed)
{
	flockfile(stdout); /* the two lines stay whole when threads print at once */
	fputs("by name:  ", stdout);
	repr_latin1(stdout, name, len); /* the name came from the request: shown escaped */
	printf(" -> %s\n", guessed ? guessed : "unknown");
	fputs("by bytes: ", stdout);
	repr_latin1(stdout, name, len);
	printf(" -> %s\n", sniffed);
	funlockfile(stdout);
}

/* serve_file — /files/NAME: a file of public/, opened beneath it (never outside),
 * sent with the type its bytes show, not the one its name claims. */
static void serve_file(const struct request *req, struct response *res,
                       const struct handler_ctx *ctx)
{
	char name[LIMIT_FILE_PATH + 1], sniffed[MIME_TYPE_LEN] = "";
	ssize_t n = files_request_name(req->path, "/files/", name, sizeof name);

	lesson_print_request(req);
	if (n == FILES_BAD_NAME) {
		res_error(res, HTTP_BAD_REQUEST, "A file name cannot contain a NUL byte.");
		return;
	}
	const struct files_entry *f;
	if (n < 0 || !(f = files_cache_open(ctx->files, ctx->docroot_fd, name))) {
		refuse_file(res, n < 0 ? ENOENT : errno);
		return;
	}
	/* BEGIN SOLUTION: what the file's bytes say it is, into sniffed (sniff_bytes over
	 * f->data: python-magic's from_buffer) */
	sniff_bytes(ctx->sniffer, f->data, f->len, sniffed);
	/* END SOLUTION */
	print_types(name, (size_t)n, mime_from_name(name), sniffed);
	/* BEGIN SOLUTION: 200 typed by its bytes (sniffed), not by the type its name claims;
	 * the file in both its forms (f->data, f->gz) to content_send_forms, which gzips only
	 * when Accept-Encoding allows it and says Vary: Accept-Encoding */
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", sniffed);
	content_send_forms(res, req, NULL, f->data, f->len, f->gz, f->gz_len);
	/* END SOLUTION */
	files_cache_release(ctx->files, f);
}

static const struct route routes[] = {
	{"/", HTTP_GET, .handler = serve_hello},
	{"/greeting", HTTP_GET, .handler = serve_greeting},
	{"/files/*", HTTP_GET, .handler = serve_file}, /* every path under /files/ */
	{0}, /* the end */
};

static const char *const variants[] = {"gzip", "plain", "mangled-type", NULL};

int main(int argc, char **argv)
{
	static const struct lesson lesson = {
		.name = "04-headers",
		.dir = LESSON_DIR,
		.variants = variants,
		.routes = routes,
		.serves_files = 1,
		.sniffs = 1, /* opt->sniffer: python-magic's Magic(mime=True), loaded once */
	};
	return lesson_main(argc, argv, &lesson);
}
