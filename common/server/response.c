/* response.c — the response writer behind every HTTP lesson. */
#include "response.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"
#include "log.h"
#include "net.h"

void res_init(struct response *res, int fd, const struct http_head *head,
              const char *client, const char *log_line)
{
	memset(res, 0, offsetof(struct response, head));
	res->fd = fd;
	res->request = head;
	res->client = client;
	res->log_line = log_line;
	res->content_length = -1;
}

/* append — adds formatted text to the head; a head that would overflow fails. */
static void append(struct response *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void append(struct response *res, const char *fmt, ...)
{
	size_t left = sizeof res->head - res->head_len;
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(res->head + res->head_len, left, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= left)
		res->failed = true;
	else
		res->head_len += (size_t)n;
}

/* status_line — the first three lines every response starts with. */
static void status_line(struct response *res, int status)
{
	char date[DATE_HTTP_LEN + 1];

	res->date = time(NULL);
	date_format_http(res->date, date);
	res->head_len = 0;
	res->status = status;
	/* RFC 9110 §6.4.1: these carry no content whatever the handler writes. */
	bool is_head = res->request && strcmp(res->request->method, "HEAD") == 0;
	res->no_body = is_head || status < 200 || status == HTTP_NO_CONTENT ||
	               status == HTTP_NOT_MODIFIED;
	append(res, "HTTP/1.1 %d %s\r\nServer: %s\r\nDate: %s\r\n", status, http_reason(status),
	       SERVER_NAME, date);
}

void res_send_response(struct response *res, int status)
{
	if (res->status != 0 || status < 100 || status > 599) {
		res->failed = true; /* a second status line, or a number that is not a status */
		return;
	}
	log_request(res->client, res->log_line, status);
	status_line(res, status);
}

/* has_line_break — CR, LF or NUL in a header would let a value start a new header. */
static bool has_line_break(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

void res_send_header(struct response *res, const char *name, const char *value)
{
	if (res->status == 0 || res->ended || has_line_break(name) || has_line_break(value)) {
		res->failed = true;
		return;
	}
	if (strcasecmp(name, "Content-Length") == 0) {
		char *end;
		unsigned long long n = strtoull(value, &end, 10);
		if (*value < '0' || *value > '9' || *end != '\0' || n > INT64_MAX ||
		    (res->content_length >= 0 && (uint64_t)res->content_length != n)) {
			res->failed = true; /* not a length, or a second one that differs */
			return;
		}
		if (res->content_length >= 0)
			return; /* the same length twice: once is enough */
		res->content_length = (int64_t)n;
	} else if (strcasecmp(name, "Connection") == 0) {
		res->close |= http_token_list_has(value, "close");
		return; /* res_end_headers writes the one Connection header */
	}
	append(res, "%s: %s\r\n", name, value);
}

void res_send_headerf(struct response *res, const char *name, const char *fmt, ...)
{
	char value[LIMIT_HEADER_LINE];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(value, sizeof value, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof value) {
		res->failed = true;
		return;
	}
	res_send_header(res, name, value);
}

void res_set_close(struct response *res)
{
	res->close = true;
}

/* replace_with_500 — a handler broke a rule; the client still gets a whole response. */
static void replace_with_500(struct response *res)
{
	static const char body[] = "The handler produced an invalid response.\n";

	log_message(res->client, "handler error: invalid response replaced with 500");
	res->failed = false;
	res->close = true;
	status_line(res, HTTP_INTERNAL_SERVER_ERROR);
	append(res, "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n",
	       sizeof body - 1);
	res->content_length = (int64_t)(sizeof body - 1);
	res->ended = false;
	res_end_headers(res);
	res_write(res, body, sizeof body - 1);
}

void res_end_headers(struct response *res)
{
	if (res->ended)
		return;
	if (res->status == 0)
		res->failed = true;
	if (res->failed) {
		replace_with_500(res);
		return;
	}
	/* Without a length the only way to end the body is to close (RFC 9112 §6.3). The
	 * rule looks at the status, not the method, so HEAD gets exactly GET's headers. */
	bool status_has_body = res->status >= 200 && res->status != HTTP_NO_CONTENT &&
	                       res->status != HTTP_NOT_MODIFIED;
	bool unframed = res->content_length < 0 && status_has_body;
	if (!res->request || !res->request->keep_alive || unframed)
		res->close = true;
	if (res->close)
		append(res, "Connection: close\r\n");
	else if (res->request->version == 10)
		append(res, "Connection: keep-alive\r\n"); /* 1.0 must be told (§9.3) */
	append(res, "\r\n");
	if (res->failed) {
		replace_with_500(res);
		return;
	}
	res->ended = true;
}

/* flush — writes the head (if still held) together with the first body bytes. */
static void flush(struct response *res, const void *body, size_t len)
{
	int rc;

	if (res->broken)
		return;
	if (!res->sent) {
		rc = net_send2(res->fd, res->head, res->head_len, body, len);
		res->sent = true;
	} else {
		rc = net_send_all(res->fd, body, len);
	}
	if (rc < 0) {
		res->broken = true;
		res->close = true;
	}
}

void res_write(struct response *res, const void *buf, size_t len)
{
	if (!res->ended)
		res_end_headers(res);
	if (res->no_body)
		return;
	if (res->content_length >= 0 && len > (uint64_t)res->content_length - res->body_sent) {
		len = (size_t)((uint64_t)res->content_length - res->body_sent);
		res->close = true; /* the handler wrote more than it announced */
	}
	res->body_sent += len;
	flush(res, buf, len);
}

void res_send(struct response *res, int status, const char *type, const void *body,
              size_t len)
{
	res_send_response(res, status);
	if (type)
		res_send_header(res, "Content-Type", type);
	res_send_headerf(res, "Content-Length", "%zu", len);
	res_end_headers(res);
	res_write(res, body, len);
}

void res_error_body(struct response *res, const char *message)
{
	char page[1024];
	int st = res->status;
	int n = snprintf(page, sizeof page,
	                 "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n"
	                 "<body><h1>%d %s</h1>\n<p>%s</p></body></html>\n",
	                 st, http_reason(st), st, http_reason(st), message);
	size_t len = n < 0 ? 0 : (size_t)n >= sizeof page ? sizeof page - 1 : (size_t)n;

	res_send_header(res, "Content-Type", "text/html; charset=utf-8");
	res_send_headerf(res, "Content-Length", "%zu", len);
	res_end_headers(res);
	res_write(res, page, len);
}

void res_error(struct response *res, int status, const char *message)
{
	res_send_response(res, status);
	res_error_body(res, message);
}

bool res_finish(struct response *res)
{
	if (res->status == 0)
		res_error(res, HTTP_INTERNAL_SERVER_ERROR, "The handler sent no response.");
	if (!res->ended)
		res_end_headers(res);
	if (!res->sent)
		flush(res, NULL, 0);
	if (!res->no_body && res->content_length >= 0 &&
	    res->body_sent < (uint64_t)res->content_length)
		res->close = true; /* fewer bytes than announced: the framing is lost */
	return !res->close && !res->broken;
}
