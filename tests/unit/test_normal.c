/* test_normal.c — unit tests of tools/check/normal.c, the one normaliser: the golden
 * files' text byte for byte (the format tests/README.md describes), each framing and
 * its cut-short forms, gzip and binary bodies, and what NORMAL_CHECK leaves out. Every
 * case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "normal.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* render_bytes — the text of reply[0..len), answers to the requests whose methods are
 * the NULL-terminated list, closed by the server, nothing printed. Caller frees. */
static char *render_bytes(const void *reply, size_t len, enum normal_mode mode,
                          const char *const *methods)
{
	struct normal_exchange *x = calloc(1, sizeof *x);
	char *text = NULL;
	size_t text_len;

	assert_non_null(x);
	x->reply = reply;
	x->reply_len = len;
	x->closed = true;
	for (; methods && *methods; methods++)
		snprintf(x->methods[x->nmethods++], sizeof x->methods[0], "%s", *methods);
	assert_int_equal(normal_render(x, mode, &text, &text_len), 0);
	assert_int_equal(strlen(text), text_len);
	free(x);
	return text;
}

/* render — the same for a string, answering one GET. */
static char *render(const char *reply, enum normal_mode mode)
{
	static const char *const get[] = {"GET", NULL};
	return render_bytes(reply, strlen(reply), mode, get);
}

/* expect — the text of reply equals want. */
static void expect(const char *reply, enum normal_mode mode, const char *want)
{
	char *got = render(reply, mode);
	assert_string_equal(got, want);
	free(got);
}

static const char PLAIN[] =
	"HTTP/1.1 200 OK\r\n"
	"Server: lesson\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"Content-Length: 16\r\n"
	"Date: Mon, 07 Dec 2026 12:00:00 GMT\r\n"
	"\r\n"
	"Hello localhost\n";

/* ---- the golden text ------------------------------------------------------------------ */

static void test_a_plain_response_is_the_golden_text_byte_for_byte(void **state)
{
	(void)state;
	expect(PLAIN, NORMAL_GOLDEN,
	       "=== response 1\n"
	       "HTTP/1.1 200 OK\n"
	       "server: <masked>\n"
	       "content-type: text/plain; charset=utf-8\n"
	       "content-length: 16\n"
	       "date: <masked>\n"
	       "--- body: 16 bytes\n"
	       "Hello localhost\n"
	       "=== connection closed by server\n");
}

static void test_header_names_are_lower_cased_values_kept_and_an_empty_value_is_name_colon(
	void **state)
{
	(void)state;
	expect("HTTP/1.1 204 No Content\r\nX-Empty:\r\nETag: \"AbC\"\r\nLast-Modified: x\r\n"
	       "EXPIRES: y\r\n\r\n", NORMAL_GOLDEN,
	       "=== response 1\n"
	       "HTTP/1.1 204 No Content\n"
	       "x-empty:\n"
	       "etag: \"AbC\"\n"
	       "last-modified: <masked>\n"
	       "expires: <masked>\n"
	       "--- body: 0 bytes\n"
	       "=== connection closed by server\n");
}

static void test_control_bytes_and_non_ascii_are_escaped_and_a_newline_is_added(void **state)
{
	(void)state;
	expect("HTTP/1.1 200 OK\r\nX-Name: caf\xc3\xa9\r\n\r\nline\r\n\tend\x01", NORMAL_GOLDEN,
	       "=== response 1\n"
	       "HTTP/1.1 200 OK\n"
	       "x-name: caf\\xc3\\xa9\n"
	       "--- body: 11 bytes\n"
	       "line\\x0d\n"
	       "\tend\\x01\n"
	       "=== connection closed by server\n");
}

static void test_how_the_connection_ended_and_what_was_printed_close_the_text(void **state)
{
	struct normal_exchange *x = calloc(1, sizeof *x);
	char *text;

	(void)state;
	assert_non_null(x);
	x->reply = (const unsigned char *)"HTTP/1.1 200 OK\r\n\r\n";
	x->reply_len = 19;
	x->waited = "2.5";
	x->printed = "GET / HTTP/1.1\n\xff";
	x->printed_len = 16;
	assert_int_equal(normal_render(x, NORMAL_GOLDEN, &text, NULL), 0);
	/* a body framed by the close runs to the end of what came */
	assert_string_equal(text, "=== response 1\nHTTP/1.1 200 OK\n--- body: 0 bytes\n"
	                          "=== connection still open after 2.5 s\n"
	                          "=== server printed\nGET / HTTP/1.1\n\xff");
	free(text);
	x->closed = true;
	x->printed_len = 0; /* printed nothing: no section */
	assert_int_equal(normal_render(x, NORMAL_GOLDEN, &text, NULL), 0);
	assert_string_equal(text, "=== response 1\nHTTP/1.1 200 OK\n--- body: 0 bytes\n"
	                          "=== connection closed by server\n");
	free(text);
	free(x);
}

static void test_nothing_at_all_is_no_response(void **state)
{
	(void)state;
	expect("", NORMAL_GOLDEN, "=== no response\n=== connection closed by server\n");
}

static void test_bytes_that_are_no_response_end_the_text_as_unparsed(void **state)
{
	(void)state;
	expect("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokjunk\r\n", NORMAL_GOLDEN,
	       "=== response 1\nHTTP/1.1 200 OK\ncontent-length: 2\n--- body: 2 bytes\nok\n"
	       "=== unparsed: junk\\x0d\n"
	       "=== connection closed by server\n");
	expect("HTTP/1.1 200 OK\nBare: lf\n\n", NORMAL_GOLDEN,
	       "=== unparsed: HTTP/1.1 200 OK\nBare: lf\n\n"
	       "=== connection closed by server\n");
}

/* ---- framing ------------------------------------------------------------------------- */

static void test_a_chunked_body_is_joined_and_its_trailers_follow_it(void **state)
{
	(void)state;
	expect("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	       "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Check:  sum \r\n\r\n", NORMAL_GOLDEN,
	       "=== response 1\nHTTP/1.1 200 OK\ntransfer-encoding: chunked\n"
	       "--- body: 11 bytes\nhello world\n"
	       "--- trailer x-check: sum\n"
	       "=== connection closed by server\n");
}

static void test_a_body_cut_short_says_so(void **state)
{
	(void)state;
	expect("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", NORMAL_GOLDEN,
	       "=== response 1\nHTTP/1.1 200 OK\ncontent-length: 10\n"
	       "--- body: 5 bytes, incomplete: content-length 10\nhello\n"
	       "=== connection closed by server\n");
	expect("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n wo",
	       NORMAL_GOLDEN,
	       "=== response 1\nHTTP/1.1 200 OK\ntransfer-encoding: chunked\n"
	       "--- body: 8 bytes, incomplete: chunked body not terminated\nhello wo\n"
	       "=== connection closed by server\n");
	/* cut inside the trailers: the whole trailer lines still show */
	expect("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-A: 1\r\nX-B",
	       NORMAL_GOLDEN,
	       "=== response 1\nHTTP/1.1 200 OK\ntransfer-encoding: chunked\n"
	       "--- body: 2 bytes, incomplete: chunked body not terminated\nhi\n"
	       "--- trailer x-a: 1\n"
	       "=== connection closed by server\n");
}

static void test_a_malformed_chunk_makes_the_response_unparsed(void **state)
{
	(void)state;
	expect("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
	       NORMAL_GOLDEN,
	       "=== unparsed: HTTP/1.1 200 OK\\x0d\nTransfer-Encoding: chunked\\x0d\n\\x0d\n"
	       "zz\\x0d\nhello\\x0d\n0\\x0d\n\\x0d\n"
	       "=== connection closed by server\n");
}

static void test_head_answers_have_no_body_and_interim_ones_use_no_method(void **state)
{
	static const char reply[] =
		"HTTP/1.1 100 Continue\r\n\r\n"
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"      /* HEAD: no body */
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"; /* GET */
	static const char *const methods[] = {"HEAD", "GET", NULL};
	char *text = render_bytes(reply, strlen(reply), NORMAL_GOLDEN, methods);

	(void)state;
	assert_string_equal(
	        text, "=== response 1\nHTTP/1.1 100 Continue\n--- body: 0 bytes\n"
	              "=== response 2\nHTTP/1.1 200 OK\ncontent-length: 5\n--- body: 0 bytes\n"
	              "=== response 3\nHTTP/1.1 200 OK\ncontent-length: 5\n--- body: 5 bytes\n"
	              "hello\n"
	              "=== connection closed by server\n");
	free(text);
}

static void test_what_follows_101_is_another_protocol_and_shown_unparsed(void **state)
{
	(void)state;
	expect("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello",
	       NORMAL_GOLDEN,
	       "=== response 1\nHTTP/1.1 101 Switching Protocols\nupgrade: websocket\n"
	       "--- body: 0 bytes\n=== unparsed: \\x81\\x05hello\n"
	       "=== connection closed by server\n");
}

/* ---- gzip and binary bodies ----------------------------------------------------------- */

/* gzip_reply — a response whose body is text gzipped, Content-Length framed. */
static char *gzip_reply(const char *text, size_t *len)
{
	unsigned char *gz;
	size_t gz_len;
	char *reply;

	assert_int_equal(gz_compress(text, strlen(text), &gz, &gz_len), 0);
	assert_non_null(reply = malloc(gz_len + 128));
	*len = (size_t)sprintf(reply, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
	                              "Content-Length: %zu\r\n\r\n", gz_len);
	memcpy(reply + *len, gz, gz_len);
	*len += gz_len;
	free(gz);
	return reply;
}

static void test_a_gzip_body_is_shown_decoded_with_both_sizes(void **state)
{
	size_t len;
	char *reply = gzip_reply("decoded\n", &len), want[256];
	char *text = render_bytes(reply, len, NORMAL_GOLDEN, NULL);
	size_t wire = len - (size_t)(strstr(reply, "\r\n\r\n") + 4 - reply);

	(void)state;
	snprintf(want, sizeof want, "=== response 1\nHTTP/1.1 200 OK\ncontent-encoding: gzip\n"
	         "content-length: %zu\n--- body: %zu bytes gzip, 8 bytes decoded\ndecoded\n"
	         "=== connection closed by server\n", wire, wire);
	assert_string_equal(text, want);
	free(text);
	free(reply);
}

static void test_a_binary_body_is_its_size_and_sha256(void **state)
{
	char reply[64 + 256];
	size_t head = (size_t)sprintf(reply, "HTTP/1.1 200 OK\r\nContent-Length: 256\r\n\r\n");
	char *text;

	(void)state;
	for (int i = 0; i < 256; i++)
		reply[head + (size_t)i] = (char)i;
	text = render_bytes(reply, head + 256, NORMAL_GOLDEN, NULL);
	assert_string_equal(text, "=== response 1\nHTTP/1.1 200 OK\ncontent-length: 256\n"
	                          "--- body: 256 bytes binary, sha256 40aff2e9d2d8922e\n"
	                          "=== connection closed by server\n");
	free(text);
}

static void test_one_nul_makes_a_body_binary(void **state)
{
	static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\na\0";
	char *text = render_bytes(reply, sizeof reply - 1, NORMAL_GOLDEN, NULL);

	(void)state;
	assert_string_equal(text, "=== response 1\nHTTP/1.1 200 OK\ncontent-length: 2\n"
	                          "--- body: 2 bytes binary, sha256 ffe9aaeaa2a2d504\n"
	                          "=== connection closed by server\n");
	free(text);
}

static void test_a_gzip_body_that_does_not_decode_is_hashed_as_sent(void **state)
{
	(void)state;
	expect("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 15\r\n\r\n"
	       "not gzip at all", NORMAL_GOLDEN,
	       "=== response 1\nHTTP/1.1 200 OK\ncontent-encoding: gzip\ncontent-length: 15\n"
	       "--- body: 15 bytes gzip, cannot be decoded, sha256 2f5ff36bec6e534a\n"
	       "=== connection closed by server\n");
}

/* ---- NORMAL_CHECK ---------------------------------------------------------------------- */

static void test_check_sorts_headers_by_name_keeping_the_order_within_a_name(void **state)
{
	(void)state;
	expect("HTTP/1.1 204 No Content\r\nVary: b\r\nallow: GET\r\nvary: a\r\nAge: 1\r\n\r\n",
	       NORMAL_CHECK,
	       "=== response 1\nHTTP/1.1 204 No Content\n"
	       "age: 1\nallow: GET\nvary: b\nvary: a\n"
	       "--- body: 0 bytes\n=== connection closed by server\n");
}

static void test_check_judges_a_framing_content_length_by_the_body_it_framed(void **state)
{
	(void)state;
	expect(PLAIN, NORMAL_CHECK,
	       "=== response 1\nHTTP/1.1 200 OK\n"
	       "content-length: <matches the body>\ncontent-type: text/plain; charset=utf-8\n"
	       "date: <masked>\nserver: <masked>\n"
	       "--- body: 16 bytes\nHello localhost\n"
	       "=== connection closed by server\n");
}

static void test_check_leaves_out_the_size_of_a_gzip_body_on_the_wire(void **state)
{
	size_t len;
	char *reply = gzip_reply("decoded\n", &len);
	char *text = render_bytes(reply, len, NORMAL_CHECK, NULL);

	(void)state;
	assert_string_equal(text, "=== response 1\nHTTP/1.1 200 OK\ncontent-encoding: gzip\n"
	                          "content-length: <matches the body>\n"
	                          "--- body: gzip, 8 bytes decoded\ndecoded\n"
	                          "=== connection closed by server\n");
	free(text);
	free(reply);
}

/* ---- methods ---------------------------------------------------------------------------- */

static void test_methods_are_read_from_request_lines_only(void **state)
{
	static const char req[] = "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"
	                          "POST /f HTTP/1.1\r\nContent-Length: 16\r\n\r\n"
	                          "a=1&b=2 HTTP/1.1\r\n"
	                          "get / HTTP/1.1\r\nNOTHTTP / FTP/1\r\nDELETE /x HTTP/1.0\r\n";
	char methods[8][16];

	(void)state;
	assert_int_equal(normal_methods((const unsigned char *)req, strlen(req), methods, 8), 3);
	assert_string_equal(methods[0], "HEAD");
	assert_string_equal(methods[1], "POST");
	assert_string_equal(methods[2], "DELETE");
	assert_int_equal(normal_methods((const unsigned char *)req, strlen(req), methods, 2), 2);
}

int main(void)
{
#define T(f) cmocka_unit_test(f)
	const struct CMUnitTest tests[] = {
		T(test_a_plain_response_is_the_golden_text_byte_for_byte),
		T(test_header_names_are_lower_cased_values_kept_and_an_empty_value_is_name_colon),
		T(test_control_bytes_and_non_ascii_are_escaped_and_a_newline_is_added),
		T(test_how_the_connection_ended_and_what_was_printed_close_the_text),
		T(test_nothing_at_all_is_no_response),
		T(test_bytes_that_are_no_response_end_the_text_as_unparsed),
		T(test_a_chunked_body_is_joined_and_its_trailers_follow_it),
		T(test_a_body_cut_short_says_so),
		T(test_a_malformed_chunk_makes_the_response_unparsed),
		T(test_head_answers_have_no_body_and_interim_ones_use_no_method),
		T(test_what_follows_101_is_another_protocol_and_shown_unparsed),
		T(test_a_gzip_body_is_shown_decoded_with_both_sizes),
		T(test_a_binary_body_is_its_size_and_sha256),
		T(test_one_nul_makes_a_body_binary),
		T(test_a_gzip_body_that_does_not_decode_is_hashed_as_sent),
		T(test_check_sorts_headers_by_name_keeping_the_order_within_a_name),
		T(test_check_judges_a_framing_content_length_by_the_body_it_framed),
		T(test_check_leaves_out_the_size_of_a_gzip_body_on_the_wire),
		T(test_methods_are_read_from_request_lines_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
