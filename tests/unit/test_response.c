/* test_response.c — unit tests of common/server/response.c: the response writer over a
 * socketpair. Each test writes a response on one end and reads what arrived on the other.
 * Every case is named for what it proves.
 *
 * The writer logs an access line to stderr; each test's setup points fd 2 at a temporary
 * file (so the TAP output stays clean, and the log line can be checked), and its teardown
 * puts stderr back. Failure messages of cmocka's assert_* macros go to stdout. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "date.h"
#include "http.h"
#include "response.h"

/* ---- fixture ---------------------------------------------------------------------- */

struct fx {
	int sv[2];          /* sv[0]: the server's end, sv[1]: the client's */
	struct capture log; /* stderr, while the test runs */
	struct http_head head;
	struct response res;
	char line[256];     /* the request line, for the access log */
	char out[65536];    /* what the client received */
	size_t outlen;
	char *body;         /* into out: after the empty line */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, f->sv) != 0)
		return -1;
	if (capture_start(&f->log) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	capture_stop(&f->log);
	if (f->sv[0] >= 0)
		close(f->sv[0]);
	close(f->sv[1]);
	free(f);
	return 0;
}

/* start — parses request (which must be valid) and starts a response to it. */
static struct response *start(struct fx *f, const char *request)
{
	int rc = http_parse_request(request, strlen(request), &f->head);
	assert_int_equal(rc, (int)strlen(request));
	size_t n = strcspn(request, "\r\n");
	assert_true(n < sizeof f->line);
	memcpy(f->line, request, n);
	f->line[n] = '\0';
	res_init(&f->res, f->sv[0], &f->head, "127.0.0.1", f->line);
	return &f->res;
}

/* finish — res_finish, then everything the client received, split at the empty line. */
static bool finish(struct fx *f)
{
	bool keep = res_finish(&f->res);
	ssize_t n;

	close(f->sv[0]);
	f->sv[0] = -1;
	while ((n = read(f->sv[1], f->out + f->outlen, sizeof f->out - 1 - f->outlen)) > 0)
		f->outlen += (size_t)n;
	f->out[f->outlen] = '\0';
	char *end = strstr(f->out, "\r\n\r\n");
	assert_non_null(end);
	f->body = end + 4;
	return keep;
}

static size_t body_len(const struct fx *f)
{
	return f->outlen - (size_t)(f->body - f->out);
}

/* header — the value of the first "name: value" line of the head (exact case), or NULL.
 * The value is copied into a static buffer. */
static const char *header(const struct fx *f, const char *name)
{
	static char value[LIMIT_RESPONSE_HEAD];
	size_t nlen = strlen(name);
	const char *p = strstr(f->out, "\r\n") + 2;

	while (p < f->body - 2) {
		const char *eol = strstr(p, "\r\n");
		if ((size_t)(eol - p) > nlen + 1 && memcmp(p, name, nlen) == 0 && p[nlen] == ':' &&
		    p[nlen + 1] == ' ') {
			size_t vlen = (size_t)(eol - p) - nlen - 2;
			memcpy(value, p + nlen + 2, vlen);
			value[vlen] = '\0';
			return value;
		}
		p = eol + 2;
	}
	return NULL;
}

/* header_count — how many head lines start with "name:". */
static int header_count(const struct fx *f, const char *name)
{
	int count = 0;
	size_t nlen = strlen(name);
	for (const char *p = strstr(f->out, "\r\n") + 2; p < f->body - 2; p = strstr(p, "\r\n") + 2)
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':')
			count++;
	return count;
}

/* head_without_date — the head with its Date line removed, into out. */
static void head_without_date(const struct fx *f, char *out, size_t cap)
{
	size_t o = 0;
	for (const char *p = f->out; p < f->body; ) {
		const char *eol = strstr(p, "\r\n") + 2;
		if (strncmp(p, "Date: ", 6) != 0) {
			assert_true(o + (size_t)(eol - p) < cap);
			memcpy(out + o, p, (size_t)(eol - p));
			o += (size_t)(eol - p);
		}
		p = eol;
	}
	out[o] = '\0';
}

/* logged — everything written to stderr during the test so far. */
static const char *logged(struct fx *f)
{
	static char text[8192];
	return capture_text(&f->log, text, sizeof text);
}

/* assert_content_length_matches_body — Content-Length names exactly the bytes sent. */
static void assert_content_length_matches_body(const struct fx *f)
{
	const char *cl = header(f, "Content-Length");
	assert_non_null(cl);
	assert_int_equal(strtoull(cl, NULL, 10), body_len(f));
}

#define GET11 "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
#define HEAD11 "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"

/* A handler in the article's style: status, a type, a length, the body. */
static void hello(struct response *res, bool with_length)
{
	res_send_response(res, 200);
	res_send_header(res, "Content-Type", "text/plain");
	if (with_length)
		res_send_header(res, "Content-Length", "5");
	res_end_headers(res);
	res_write(res, "hello", 5);
}

/* ---- the head --------------------------------------------------------------------- */

static void test_send_response_writes_status_line_server_and_date(void **state)
{
	struct fx *f = *state;
	time_t before = time(NULL);
	hello(start(f, GET11), true);
	assert_true(finish(f));
	time_t after = time(NULL);

	const char *date = header(f, "Date");
	assert_non_null(date);
	assert_int_equal(strlen(date), DATE_HTTP_LEN);
	time_t t;
	assert_int_equal(date_parse_http(date, strlen(date), &t), 0);
	assert_true(t >= before && t <= after);

	char want[512];
	snprintf(want, sizeof want,
	         "HTTP/1.1 200 OK\r\nServer: " SERVER_NAME "\r\nDate: %s\r\n"
	         "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", date);
	assert_string_equal(f->out, want);
}

static void test_res_send_writes_type_length_and_body(void **state)
{
	struct fx *f = *state;
	res_send(start(f, GET11), 201, "application/json", "{\"a\":1}", 7);
	assert_true(finish(f));
	assert_memory_equal(f->out, "HTTP/1.1 201 Created\r\n", 22);
	assert_string_equal(header(f, "Content-Type"), "application/json");
	assert_string_equal(header(f, "Content-Length"), "7");
	assert_int_equal(body_len(f), 7);
	assert_string_equal(f->body, "{\"a\":1}");
}

static void test_writes_are_sent_in_order(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	res_send_headerf(res, "Content-Length", "%d", 9);
	res_write(res, "abc", 3); /* ends the headers by itself */
	res_write(res, "", 0);
	res_write(res, "defghi", 6);
	assert_true(finish(f));
	assert_int_equal(body_len(f), 9);
	assert_string_equal(f->body, "abcdefghi");
	assert_int_equal(header_count(f, "Connection"), 0);
}

/* ---- bodies that must not be sent ------------------------------------------------- */

static void test_head_gets_get_headers_and_no_body(void **state)
{
	struct fx *f = *state;
	char get_head[1024], head_head[1024];

	hello(start(f, GET11), true);
	assert_true(finish(f));
	head_without_date(f, get_head, sizeof get_head);
	assert_string_equal(f->body, "hello");

	struct fx *g = calloc(1, sizeof *g);
	assert_non_null(g);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, g->sv), 0);
	hello(start(g, HEAD11), true);
	assert_true(finish(g));
	head_without_date(g, head_head, sizeof head_head);
	assert_int_equal(body_len(g), 0);
	close(g->sv[1]);
	free(g);

	assert_string_equal(head_head, get_head);
}

/* RFC 9110 §9.3.2 and response.h: HEAD gets exactly GET's headers, also when the
 * handler sends no Content-Length (GET then gets "Connection: close"). */
static void test_head_without_content_length_gets_same_headers_as_get(void **state)
{
	struct fx *f = *state;
	char get_head[1024], head_head[1024];

	hello(start(f, GET11), false);
	assert_false(finish(f));
	head_without_date(f, get_head, sizeof get_head);

	struct fx *g = calloc(1, sizeof *g);
	assert_non_null(g);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, g->sv), 0);
	hello(start(g, HEAD11), false);
	finish(g);
	head_without_date(g, head_head, sizeof head_head);
	assert_int_equal(body_len(g), 0);
	close(g->sv[1]);
	free(g);

	assert_string_equal(head_head, get_head);
}

static void test_304_has_no_body(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 304);
	res_send_header(res, "ETag", "\"abc\"");
	res_end_headers(res);
	res_write(res, "body the handler wrote anyway", 29);
	assert_true(finish(f)); /* no body, no length needed: the connection goes on */
	assert_memory_equal(f->out, "HTTP/1.1 304 Not Modified\r\n", 27);
	assert_string_equal(header(f, "ETag"), "\"abc\"");
	assert_int_equal(body_len(f), 0);
	assert_int_equal(header_count(f, "Connection"), 0);
}

static void test_204_has_no_body(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 204);
	res_write(res, "ignored", 7);
	assert_true(finish(f));
	assert_memory_equal(f->out, "HTTP/1.1 204 No Content\r\n", 25);
	assert_int_equal(body_len(f), 0);
	assert_int_equal(header_count(f, "Connection"), 0);
}

/* ---- Connection ------------------------------------------------------------------- */

static void test_no_content_length_gets_connection_close(void **state)
{
	struct fx *f = *state;
	hello(start(f, GET11), false);
	assert_false(finish(f));
	assert_string_equal(header(f, "Connection"), "close");
	assert_int_equal(header_count(f, "Connection"), 1);
	assert_null(header(f, "Content-Length"));
	assert_string_equal(f->body, "hello");
}

static void test_content_length_on_keep_alive_1_1_keeps_connection(void **state)
{
	struct fx *f = *state;
	hello(start(f, GET11), true);
	assert_true(finish(f));
	assert_int_equal(header_count(f, "Connection"), 0); /* persistent is 1.1's default */
}

static void test_1_0_keep_alive_gets_connection_keep_alive(void **state)
{
	struct fx *f = *state;
	hello(start(f, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), true);
	assert_true(finish(f));
	assert_string_equal(header(f, "Connection"), "keep-alive");
	assert_int_equal(header_count(f, "Connection"), 1);
	assert_memory_equal(f->out, "HTTP/1.1 200 OK\r\n", 17);
}

static void test_1_0_without_keep_alive_gets_connection_close(void **state)
{
	struct fx *f = *state;
	hello(start(f, "GET / HTTP/1.0\r\n\r\n"), true);
	assert_false(finish(f));
	assert_string_equal(header(f, "Connection"), "close");
}

static void test_client_connection_close_gets_connection_close(void **state)
{
	struct fx *f = *state;
	hello(start(f, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), true);
	assert_false(finish(f));
	assert_string_equal(header(f, "Connection"), "close");
	assert_int_equal(header_count(f, "Connection"), 1);
}

static void test_handler_connection_close_sends_one_header_and_closes(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	res_send_header(res, "Connection", "close");
	res_send_header(res, "Content-Length", "0");
	res_end_headers(res);
	assert_false(finish(f));
	assert_string_equal(header(f, "Connection"), "close");
	assert_int_equal(header_count(f, "Connection"), 1);
}

static void test_set_close_closes_a_keep_alive_response(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_set_close(res);
	hello(res, true);
	assert_false(finish(f));
	assert_string_equal(header(f, "Connection"), "close");
}

static void test_unparsable_request_response_closes(void **state)
{
	struct fx *f = *state;
	res_init(&f->res, f->sv[0], NULL, "127.0.0.1", NULL);
	res_error(&f->res, 400, "Your request could not be parsed.");
	assert_false(finish(f));
	assert_memory_equal(f->out, "HTTP/1.1 400 Bad Request\r\n", 26);
	assert_string_equal(header(f, "Connection"), "close");
	assert_content_length_matches_body(f);
}

/* ---- a handler that breaks a rule -------------------------------------------------- */

static const char invalid_body[] = "The handler produced an invalid response.\n";

/* assert_replaced_with_500 — the response is the writer's own 500, closing. */
static void assert_replaced_with_500(struct fx *f, bool keep)
{
	assert_false(keep);
	assert_memory_equal(f->out,
	                    "HTTP/1.1 500 Internal Server Error\r\nServer: " SERVER_NAME "\r\n",
	                    36 + 10 + strlen(SERVER_NAME));
	assert_string_equal(header(f, "Content-Type"), "text/plain; charset=utf-8");
	assert_string_equal(header(f, "Connection"), "close");
	assert_int_equal(header_count(f, "Connection"), 1);
	assert_content_length_matches_body(f);
	assert_string_equal(f->body, invalid_body);
}

static void test_header_value_with_crlf_becomes_500_and_closes(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	res_send_header(res, "X-Evil", "a\r\nSet-Cookie: session=stolen");
	res_send_header(res, "Content-Length", "5");
	res_end_headers(res);
	res_write(res, "hello", 5);
	assert_replaced_with_500(f, finish(f));
	assert_null(strstr(f->out, "Set-Cookie"));
	assert_null(strstr(f->out, "X-Evil"));
	assert_null(strstr(f->out, "hello"));
}

static void test_header_value_with_lone_lf_becomes_500(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	res_send_header(res, "X-A", "a\nX-B: b");
	res_send_header(res, "Content-Length", "0");
	res_end_headers(res);
	assert_replaced_with_500(f, finish(f));
	assert_null(strstr(f->out, "X-B"));
}

static void test_header_value_with_lone_cr_becomes_500(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	res_send_header(res, "X-A", "a\rX-B: b");
	res_send_header(res, "Content-Length", "0");
	res_end_headers(res);
	assert_replaced_with_500(f, finish(f));
	assert_null(strstr(f->out, "X-B"));
}

static void test_header_name_with_line_break_becomes_500(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	res_send_header(res, "X-A\r\nX-B", "b");
	res_send_header(res, "Content-Length", "0");
	res_end_headers(res);
	assert_replaced_with_500(f, finish(f));
	assert_null(strstr(f->out, "X-B"));
}

static void test_header_before_status_becomes_500(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_header(res, "Content-Type", "text/plain");
	hello(res, true);
	assert_replaced_with_500(f, finish(f));
}

static void test_second_status_line_becomes_500(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	hello(res, true); /* sends 200 again */
	assert_replaced_with_500(f, finish(f));
}

static void test_response_head_over_limit_becomes_500(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	char *big = malloc(LIMIT_RESPONSE_HEAD + 1);
	assert_non_null(big);
	memset(big, 'a', LIMIT_RESPONSE_HEAD);
	big[LIMIT_RESPONSE_HEAD] = '\0';
	res_send_response(res, 200);
	res_send_header(res, "X-Big", big);
	res_send_header(res, "Content-Length", "0");
	res_end_headers(res);
	free(big);
	assert_replaced_with_500(f, finish(f));
	assert_null(strstr(f->out, "X-Big"));
}

static void test_bad_content_length_value_becomes_500(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	res_send_header(res, "Content-Length", "-5");
	res_end_headers(res);
	assert_replaced_with_500(f, finish(f));
}

/* ---- bodies that do not match their Content-Length --------------------------------- */

static void test_write_beyond_content_length_is_cut_and_closes(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	res_send_header(res, "Content-Length", "3");
	res_end_headers(res);
	res_write(res, "abcdef", 6);
	res_write(res, "ghi", 3);
	assert_false(finish(f));
	assert_int_equal(body_len(f), 3);
	assert_string_equal(f->body, "abc");
}

static void test_write_short_of_content_length_closes(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, GET11);
	res_send_response(res, 200);
	res_send_header(res, "Content-Length", "10");
	res_end_headers(res);
	res_write(res, "abc", 3);
	assert_false(finish(f));
	assert_int_equal(body_len(f), 3);
	assert_string_equal(f->body, "abc");
}

/* ---- error pages ------------------------------------------------------------------ */

static void test_error_page_names_status_and_reason(void **state)
{
	struct fx *f = *state;
	res_error(start(f, GET11), 404, "Nothing lives at this path.");
	assert_true(finish(f));
	assert_memory_equal(f->out, "HTTP/1.1 404 Not Found\r\n", 24);
	assert_string_equal(header(f, "Content-Type"), "text/html; charset=utf-8");
	assert_content_length_matches_body(f);
	assert_non_null(strstr(f->body, "<title>404 Not Found</title>"));
	assert_non_null(strstr(f->body, "<h1>404 Not Found</h1>"));
	assert_non_null(strstr(f->body, "Nothing lives at this path."));
	assert_memory_equal(f->body, "<!DOCTYPE html>", 15);
}

static void test_error_body_after_allow_header(void **state)
{
	struct fx *f = *state;
	struct response *res = start(f, "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n");
	res_send_response(res, 405);
	res_send_header(res, "Allow", "GET, HEAD");
	res_error_body(res, "This route takes GET and HEAD.");
	assert_true(finish(f));
	assert_memory_equal(f->out, "HTTP/1.1 405 Method Not Allowed\r\n", 33);
	assert_string_equal(header(f, "Allow"), "GET, HEAD");
	assert_content_length_matches_body(f);
	assert_non_null(strstr(f->body, "<h1>405 Method Not Allowed</h1>"));
}

static void test_error_page_for_head_has_length_but_no_body(void **state)
{
	struct fx *f = *state;
	res_error(start(f, HEAD11), 404, "Not here.");
	assert_true(finish(f));
	assert_memory_equal(f->out, "HTTP/1.1 404 Not Found\r\n", 24);
	assert_non_null(header(f, "Content-Length"));
	assert_true(strtoull(header(f, "Content-Length"), NULL, 10) > 0);
	assert_int_equal(body_len(f), 0);
}

static void test_handler_sending_nothing_gets_500_from_finish(void **state)
{
	struct fx *f = *state;
	start(f, GET11);
	finish(f);
	assert_memory_equal(f->out, "HTTP/1.1 500 Internal Server Error\r\n", 36);
	assert_string_equal(header(f, "Content-Type"), "text/html; charset=utf-8");
	assert_content_length_matches_body(f);
	assert_non_null(strstr(f->body, "500 Internal Server Error"));
}

/* ---- the access log --------------------------------------------------------------- */

static void test_access_log_line_on_stderr(void **state)
{
	struct fx *f = *state;
	regex_t re;
	hello(start(f, "GET /x?y=1 HTTP/1.1\r\nHost: x\r\n\r\n"), true);
	finish(f);
	assert_int_equal(
	        regcomp(&re,
	                "^127\\.0\\.0\\.1 - - \\[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4} "
	                "[0-9]{2}:[0-9]{2}:[0-9]{2}\\] \"GET /x\\?y=1 HTTP/1\\.1\" 200 -\n$",
	                REG_EXTENDED | REG_NOSUB),
	        0);
	const char *text = logged(f);
	int rc = regexec(&re, text, 0, NULL, 0);
	regfree(&re);
	if (rc != 0)
		assert_string_equal(
		        text,
		        "127.0.0.1 - - [dd/Mon/yyyy hh:mm:ss] \"GET /x?y=1 HTTP/1.1\" 200 -\n");
}

static void test_access_log_escapes_bytes_a_terminal_would_act_on(void **state)
{
	struct fx *f = *state;
	res_init(&f->res, f->sv[0], NULL, NULL, "GET /\x1b[2J\r\n127.0.0.1 - - \"forged\" \xff");
	res_error(&f->res, 400, "Bad.");
	finish(f);
	const char *text = logged(f);
	assert_int_equal(strchr(text, '\n') - text, (long)strlen(text) - 1); /* one line */
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\r'));
	assert_non_null(strstr(text, "- - - ["));  /* no client: "-" */
	assert_non_null(strstr(
	        text, "] \"GET /\\x1b[2J\\x0d\\x0a127.0.0.1 - - \\\"forged\\\" \\xff\" 400 -\n"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_send_response_writes_status_line_server_and_date),
		T(test_res_send_writes_type_length_and_body),
		T(test_writes_are_sent_in_order),
		T(test_head_gets_get_headers_and_no_body),
		T(test_head_without_content_length_gets_same_headers_as_get),
		T(test_304_has_no_body),
		T(test_204_has_no_body),
		T(test_no_content_length_gets_connection_close),
		T(test_content_length_on_keep_alive_1_1_keeps_connection),
		T(test_1_0_keep_alive_gets_connection_keep_alive),
		T(test_1_0_without_keep_alive_gets_connection_close),
		T(test_client_connection_close_gets_connection_close),
		T(test_handler_connection_close_sends_one_header_and_closes),
		T(test_set_close_closes_a_keep_alive_response),
		T(test_unparsable_request_response_closes),
		T(test_header_value_with_crlf_becomes_500_and_closes),
		T(test_header_value_with_lone_lf_becomes_500),
		T(test_header_value_with_lone_cr_becomes_500),
		T(test_header_name_with_line_break_becomes_500),
		T(test_header_before_status_becomes_500),
		T(test_second_status_line_becomes_500),
		T(test_response_head_over_limit_becomes_500),
		T(test_bad_content_length_value_becomes_500),
		T(test_write_beyond_content_length_is_cut_and_closes),
		T(test_write_short_of_content_length_closes),
		T(test_error_page_names_status_and_reason),
		T(test_error_body_after_allow_header),
		T(test_error_page_for_head_has_length_but_no_body),
		T(test_handler_sending_nothing_gets_500_from_finish),
		T(test_access_log_line_on_stderr),
		T(test_access_log_escapes_bytes_a_terminal_would_act_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
