/* test_client.c — unit tests of tools/util/client.c: the response parser (status line, fields,
 * every framing of RFC 9112 §6.3, interim and pipelined responses, malformed and partial
 * input, split independence) and the I/O calls (exchange, deadline, cancel, refusal).
 * Every case is named for what it proves.
 *
 * Parses go through a guarded copy: the input ends right where an unmapped page begins,
 * so reading one byte too far crashes instead of passing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guard.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "net.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* parse — client_parse_response of a guarded copy of the whole string s. The copy stays
 * mapped (results point into it) until the test calls unguard. */
static long parse(struct guarded *g, const char *s, const char *method, bool eof,
                  struct client_response *res)
{
	size_t len = strlen(s);
	*g = guard(s, len);
	return client_parse_response(g->s, len, method, eof, res);
}

static bool span_eq(struct span sp, const char *s)
{
	return sp.len == strlen(s) && memcmp(sp.p, s, sp.len) == 0;
}

/* The response struct is large: keep it off the stack. */
static int setup(void **state)
{
	*state = calloc(1, sizeof(struct client_response));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static const char OK_RESPONSE[] =
	"HTTP/1.1 200 OK\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"Content-Length: 16\r\n"
	"\r\n"
	"Hello localhost\n";

static const char CHUNKED_RESPONSE[] =
	"HTTP/1.1 200 OK\r\n"
	"Transfer-Encoding: chunked\r\n"
	"\r\n"
	"6\r\nHello \r\n"
	"a;name=value\r\nlocalhost\n\r\n"
	"0\r\n"
	"X-Checksum: 42\r\n"
	"\r\n";

/* ---- status line and fields ---------------------------------------------------------- */

static void test_content_length_response_gives_status_headers_and_body(void **state)
{
	struct client_response *r = *state;
	struct guarded g;
	long n = parse(&g, OK_RESPONSE, "GET", false, r);

	assert_int_equal(n, (long)strlen(OK_RESPONSE));
	assert_int_equal(r->version, 11);
	assert_int_equal(r->status, 200);
	assert_true(span_eq(r->status_line, "HTTP/1.1 200 OK"));
	assert_true(span_eq(r->reason, "OK"));
	assert_int_equal(r->nheaders, 2);
	assert_true(span_eq(r->headers[0].name, "Content-Type"));
	assert_true(span_eq(r->headers[0].value, "text/plain; charset=utf-8"));
	assert_int_equal(r->framing, CLIENT_BODY_LENGTH);
	assert_int_equal(r->content_length, 16);
	assert_true(span_eq(r->body, "Hello localhost\n"));
	assert_int_equal(r->body_len, 16);
	assert_int_equal(r->head_len, strlen(OK_RESPONSE) - 16);
	unguard(&g);
}

static void test_status_line_without_reason_is_accepted(void **state)
{
	struct client_response *r = *state;
	struct guarded g;

	/* The article's server sends "HTTP/1.1 200" with no space and no reason. */
	assert_int_equal(parse(&g, "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", NULL, false, r),
	                 35);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->reason.len, 0);
	unguard(&g);
	assert_int_equal(parse(&g, "HTTP/1.1 204 \r\n\r\n", NULL, false, r), 17);
	assert_int_equal(r->reason.len, 0);
	unguard(&g);
}

static void test_http10_response_has_version_10(void **state)
{
	struct client_response *r = *state;
	struct guarded g;

	assert_true(parse(&g, "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n", NULL, false,
	                  r) > 0);
	assert_int_equal(r->version, 10);
	assert_int_equal(r->status, 404);
	assert_true(span_eq(r->reason, "Not Found"));
	unguard(&g);
}

static void test_header_values_are_trimmed_and_lookup_ignores_case(void **state)
{
	struct client_response *r = *state;
	struct guarded g;
	const struct span *v;

	assert_true(parse(&g,
	                  "HTTP/1.1 204 No Content\r\nX-Thing: \t spaced out \t\r\nEmpty:\r\n\r\n",
	                  NULL, false, r) > 0);
	v = client_header_get(r, "x-THING");
	assert_non_null(v);
	assert_true(span_eq(*v, "spaced out"));
	v = client_header_get(r, "empty");
	assert_non_null(v);
	assert_int_equal(v->len, 0);
	assert_null(client_header_get(r, "missing"));
	unguard(&g);
}

/* ---- framing ------------------------------------------------------------------------ */

static void test_chunked_body_is_decoded_with_extensions_and_trailers(void **state)
{
	struct client_response *r = *state;
	struct guarded g;
	char out[64];

	assert_int_equal(parse(&g, CHUNKED_RESPONSE, "GET", false, r),
	                 (long)strlen(CHUNKED_RESPONSE));
	assert_int_equal(r->framing, CLIENT_BODY_CHUNKED);
	assert_int_equal(r->body_len, 16);
	assert_int_equal(client_dechunk(r, out, sizeof out), 16);
	assert_memory_equal(out, "Hello localhost\n", 16);
	assert_true(span_eq(r->trailers, "X-Checksum: 42\r\n"));
	assert_int_equal(client_dechunk(r, out, 3), 3); /* a small buffer gets a prefix */
	assert_memory_equal(out, "Hel", 3);
	unguard(&g);
}

static void test_body_until_close_is_complete_only_at_end_of_stream(void **state)
{
	struct client_response *r = *state;
	struct guarded g;
	const char *s = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it";

	assert_int_equal(parse(&g, s, "GET", false, r), PARSE_INCOMPLETE);
	assert_int_equal(r->framing, CLIENT_BODY_CLOSE); /* the head is still there to show */
	unguard(&g);
	assert_int_equal(parse(&g, s, "GET", true, r), (long)strlen(s));
	assert_true(span_eq(r->body, "all of it"));
	unguard(&g);
}

static void test_head_response_has_no_body_whatever_content_length_says(void **state)
{
	struct client_response *r = *state;
	struct guarded g;
	const char *s = "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n";

	assert_int_equal(parse(&g, s, "HEAD", false, r), (long)strlen(s));
	assert_int_equal(r->framing, CLIENT_BODY_NONE);
	assert_int_equal(r->body_len, 0);
	assert_int_equal(r->content_length, 16);
	unguard(&g);
	assert_int_equal(parse(&g, s, "GET", true, r), PARSE_INCOMPLETE); /* cut short */
	unguard(&g);
}

static void test_204_and_304_have_no_body(void **state)
{
	struct client_response *r = *state;
	struct guarded g;

	assert_int_equal(parse(&g, "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\nnext",
	                       NULL, false, r),
	                 48); /* "next" belongs to the next response */
	assert_int_equal(r->framing, CLIENT_BODY_NONE);
	unguard(&g);
	assert_int_equal(parse(&g, "HTTP/1.1 204 No Content\r\n\r\n", NULL, false, r), 27);
	assert_int_equal(r->framing, CLIENT_BODY_NONE);
	unguard(&g);
}

static void test_transfer_encoding_beats_content_length(void **state)
{
	struct client_response *r = *state;
	struct guarded g;

	assert_true(parse(&g,
	                  "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n"
	                  "\r\n0\r\n\r\n",
	                  NULL, false, r) > 0);
	assert_int_equal(r->framing, CLIENT_BODY_CHUNKED);
	unguard(&g);
}

static void test_transfer_encoding_not_ending_in_chunked_reads_until_close(void **state)
{
	struct client_response *r = *state;
	struct guarded g;

	assert_int_equal(parse(&g, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nxx",
	                       NULL, false, r),
	                 PARSE_INCOMPLETE);
	assert_int_equal(r->framing, CLIENT_BODY_CLOSE);
	unguard(&g);
	/* RFC 9112 §6.1: in HTTP/1.0 the framing of Transfer-Encoding is faulty. */
	assert_int_equal(parse(&g, "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	                       NULL, false, r),
	                 PARSE_INCOMPLETE);
	assert_int_equal(r->framing, CLIENT_BODY_CLOSE);
	unguard(&g);
}

static void test_repeated_equal_content_lengths_count_as_one(void **state)
{
	struct client_response *r = *state;
	struct guarded g;

	assert_int_equal(
	        parse(&g, "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nhi",
	              NULL, false, r),
	        62);
	assert_int_equal(r->content_length, 2);
	unguard(&g);
}

/* ---- interim and pipelined responses -------------------------------------------------- */

static void test_interim_100_is_followed_by_the_final_response(void **state)
{
	struct client_response *r = *state;
	struct guarded g;
	const char *s =
	        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	long n = parse(&g, s, "POST", false, r);

	assert_int_equal(n, 25);
	assert_true(client_is_interim(r));
	assert_int_equal(client_parse_response(g.s + n, strlen(s) - (size_t)n, "POST", false, r),
	                 (long)strlen(s) - n);
	assert_false(client_is_interim(r));
	assert_true(span_eq(r->body, "ok"));
	unguard(&g);
}

static void test_pipelined_responses_split_where_each_ends(void **state)
{
	struct client_response *r = *state;
	struct guarded g;
	char both[256];
	snprintf(both, sizeof both, "%s%s", OK_RESPONSE, CHUNKED_RESPONSE);
	long first = parse(&g, both, "GET", false, r);

	assert_int_equal(first, (long)strlen(OK_RESPONSE));
	long second =
	        client_parse_response(g.s + first, strlen(both) - (size_t)first, "GET", true, r);
	assert_int_equal(second, (long)strlen(CHUNKED_RESPONSE));
	assert_int_equal(r->framing, CLIENT_BODY_CHUNKED);
	unguard(&g);
}

/* ---- partial input -------------------------------------------------------------------- */

/* assert_prefixes_incomplete — every proper prefix of s is incomplete (not an error),
 * each parsed from a guarded copy, so no prefix reads past its end. */
static void assert_prefixes_incomplete(const char *s, const char *method, struct client_response *r)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < len; i++) {
		struct guarded g = guard(s, i);
		long n = client_parse_response(g.s, i, method, false, r);
		if (n != PARSE_INCOMPLETE)
			fail_msg("prefix of %zu bytes gave %ld, not incomplete", i, n);
		unguard(&g);
	}
}

static void test_every_prefix_of_a_valid_response_is_incomplete(void **state)
{
	assert_prefixes_incomplete(OK_RESPONSE, "GET", *state);
	assert_prefixes_incomplete(CHUNKED_RESPONSE, "GET", *state);
	assert_prefixes_incomplete("HTTP/1.1 100 Continue\r\n\r\n", "GET", *state);
}

/* bytewise — feeds s one byte more at a time until the parser answers; returns that
 * answer and checks it came only once every byte was there. */
static long bytewise(const char *s, const char *method, struct client_response *r)
{
	size_t len = strlen(s);

	for (size_t i = 1; i <= len; i++) {
		struct guarded g = guard(s, i);
		long n = client_parse_response(g.s, i, method, false, r);
		unguard(&g);
		if (n != PARSE_INCOMPLETE)
			return i == len || n < 0 ? n : -100; /* -100: answered before the end */
	}
	return PARSE_INCOMPLETE;
}

static void test_one_byte_at_a_time_gives_the_same_answer_as_all_at_once(void **state)
{
	struct client_response *r = *state;
	static const char *const inputs[] = {
		OK_RESPONSE,
		CHUNKED_RESPONSE,
		"HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", /* bad */
		"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",       /* bad */
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", /* bad chunk */
		"junk",                                          /* bad */
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		struct guarded g;
		long whole = parse(&g, inputs[i], "GET", false, r);
		unguard(&g);
		long step = bytewise(inputs[i], "GET", r);
		if (whole != step)
			fail_msg("input %zu: whole %ld, byte by byte %ld", i, whole, step);
	}
}

static void test_junk_fails_at_its_first_byte(void **state)
{
	struct client_response *r = *state;
	struct guarded g = guard("<", 1);

	/* A server that sends HTML with no status line is caught at once, not after 64 KiB. */
	assert_int_equal(client_parse_response(g.s, 1, NULL, false, r), PARSE_BAD);
	unguard(&g);
	assert_int_equal(client_parse_response(NULL, 0, NULL, false, r), PARSE_INCOMPLETE);
}

/* ---- malformed input ------------------------------------------------------------------ */

/* assert_bad — s is refused as malformed; a head that was refused left nothing set. */
static void assert_bad(const char *s, struct client_response *r)
{
	struct guarded g;
	r->head_len = 99;
	long n = parse(&g, s, "GET", true, r);
	if (n != PARSE_BAD)
		fail_msg("%ld, not PARSE_BAD, for %s", n, s);
	assert_non_null(r->error); /* the rule it broke */
	if (r->framing != CLIENT_BODY_CHUNKED)
		assert_int_equal(r->head_len, 0);
	unguard(&g);
}

static void test_malformed_status_lines_are_refused(void **state)
{
	assert_bad("HTTP/1.1 20 OK\r\n\r\n", *state);           /* two digits */
	assert_bad("HTTP/1.1 2000 OK\r\n\r\n", *state);         /* four digits */
	assert_bad("HTTP/1.1 abc OK\r\n\r\n", *state);
	assert_bad("HTTP/1.1 099 Low\r\n\r\n", *state);
	assert_bad("HTTP/2 200 OK\r\n\r\n", *state);            /* not HTTP/1.x */
	assert_bad("HTTP/1.1  200 OK\r\n\r\n", *state);         /* two spaces */
	assert_bad("HTTP/1.1 200 O\001K\r\n\r\n", *state);     /* a control in the reason */
	assert_bad("ICY 200 OK\r\n\r\n", *state);
}

static void test_bare_lf_and_bare_cr_are_refused(void **state)
{
	assert_bad("HTTP/1.1 200 OK\n\n", *state);
	assert_bad("HTTP/1.1 200 OK\r\nA: b\n\r\n", *state);
	assert_bad("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", *state);
}

static void test_malformed_header_lines_are_refused(void **state)
{
	assert_bad("HTTP/1.1 200 OK\r\nName : value\r\n\r\n", *state);   /* space before colon */
	assert_bad("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", *state); /* obs-fold */
	assert_bad("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", *state);
	assert_bad("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", *state);
	static const char nul[] = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n";
	struct guarded g = guard(nul, sizeof nul - 1);
	assert_int_equal(client_parse_response(g.s, sizeof nul - 1, NULL, true, *state), PARSE_BAD);
	unguard(&g);
}

static void test_invalid_or_conflicting_content_length_is_refused(void **state)
{
	assert_bad("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", *state);
	assert_bad("HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n", *state);
	assert_bad("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", *state);
	assert_bad("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n", *state);
	assert_bad("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", *state);
	assert_bad("HTTP/1.1 200 OK\r\nContent-Length: 9999999999999999999\r\n\r\n", *state);
}

static void test_malformed_chunks_are_refused(void **state)
{
	assert_bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nx\r\n", *state);
	assert_bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
	           *state);
	assert_bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
	           *state);
	assert_bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n",
	           *state);
	/* The server's decoder takes a bare LF from a client; the lab shows it as a fault. */
	assert_bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\nWiki\r\n0\r\n\r\n",
	           *state);
	assert_bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\n0\r\n\r\n",
	           *state);
}

static void test_too_many_headers_or_too_long_a_head_is_too_large(void **state)
{
	struct client_response *r = *state;
	size_t cap = CLIENT_MAX_HEAD + 64, len = 0;
	char *s = malloc(cap);
	struct guarded g;

	assert_non_null(s);
	len += (size_t)snprintf(s, cap, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i <= CLIENT_MAX_HEADERS; i++)
		len += (size_t)snprintf(s + len, cap - len, "X-%d: y\r\n", i);
	len += (size_t)snprintf(s + len, cap - len, "\r\n");
	g = guard(s, len);
	assert_int_equal(client_parse_response(g.s, len, NULL, true, r), PARSE_BAD);
	assert_true(r->too_large);
	assert_non_null(r->error);
	unguard(&g);
	len = (size_t)snprintf(s, cap, "HTTP/1.1 200 OK\r\nX: ");
	memset(s + len, 'a', cap - len);
	g = guard(s, CLIENT_MAX_HEAD);
	assert_int_equal(client_parse_response(g.s, CLIENT_MAX_HEAD, NULL, false, r), PARSE_BAD);
	assert_true(r->too_large);
	unguard(&g);
	free(s);
}

/* ---- I/O ------------------------------------------------------------------------------- */

static struct client_wait wait_ms(int ms, int cancel_fd)
{
	return (struct client_wait){net_now_ms() + ms, cancel_fd};
}

static void test_exchange_sends_the_request_and_reads_until_close(void **state)
{
	(void)state;
	int sv[2];
	char got[32] = {0}, err[LIMIT_ERR_LEN];
	struct client_reply reply;
	struct client_wait w = wait_ms(2000, -1);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], "HTTP/1.1 200 OK\r\n\r\n", 19), 19);
	shutdown(sv[1], SHUT_WR);
	assert_int_equal(
	        client_exchange(sv[0], "GET / HTTP/1.1\r\n\r\n", 18, 1 << 20, &w, &reply, err),
	        CLIENT_OK);
	assert_true(reply.closed);
	assert_int_equal(reply.len, 19);
	assert_true(reply.first_us >= 0 && reply.total_us >= reply.first_us);
	assert_int_equal(read(sv[1], got, sizeof got), 18); /* then end of stream: we shut down */
	assert_int_equal(read(sv[1], got, sizeof got), 0);
	client_reply_free(&reply);
	client_reply_free(&reply); /* twice is safe */
	close(sv[0]);
	close(sv[1]);
}

static void test_exchange_gives_up_at_the_deadline_keeping_what_came(void **state)
{
	(void)state;
	int sv[2];
	char err[LIMIT_ERR_LEN];
	struct client_reply reply;
	struct client_wait w = wait_ms(150, -1);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], "HTTP/1.1", 8), 8);
	assert_int_equal(client_exchange(sv[0], "x", 1, 1 << 20, &w, &reply, err), CLIENT_TIMEOUT);
	assert_int_equal(reply.len, 8);
	assert_false(reply.closed);
	client_reply_free(&reply);
	close(sv[0]);
	close(sv[1]);
}

static void test_exchange_stops_when_the_cancel_fd_is_readable(void **state)
{
	(void)state;
	int sv[2], cancel[2];
	char err[LIMIT_ERR_LEN];
	struct client_reply reply;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(cancel), 0);
	assert_int_equal(write(cancel[1], "!", 1), 1);
	struct client_wait w = wait_ms(10000, cancel[0]);
	int64_t t0 = net_now_ms();
	assert_int_equal(client_exchange(sv[0], "x", 1, 1 << 20, &w, &reply, err),
	                 CLIENT_CANCELLED);
	assert_true(net_now_ms() - t0 < 2000);
	client_reply_free(&reply);
	close(sv[0]);
	close(sv[1]);
	close(cancel[0]);
	close(cancel[1]);
}

static void test_exchange_stops_reading_at_max_bytes(void **state)
{
	(void)state;
	int sv[2];
	char err[LIMIT_ERR_LEN];
	struct client_reply reply;
	struct client_wait w = wait_ms(2000, -1);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], "0123456789", 10), 10);
	assert_int_equal(client_exchange(sv[0], "", 0, 4, &w, &reply, err), CLIENT_OK);
	assert_true(reply.truncated);
	assert_int_equal(reply.len, 4);
	client_reply_free(&reply);
	close(sv[0]);
	close(sv[1]);
}

static void test_connect_to_a_closed_port_is_refused(void **state)
{
	(void)state;
	char err[LIMIT_ERR_LEN], cerr[LIMIT_ERR_LEN];
	int fd = net_listen("127.0.0.1", 0, err);
	assert_true(fd >= 0);
	int port = net_local_port(fd);
	close(fd); /* nothing listens there now */
	struct client_wait w = wait_ms(2000, -1);
	assert_int_equal(client_connect("127.0.0.1", port, &w, cerr), CLIENT_REFUSED);
	assert_non_null(strstr(cerr, "refused"));
}

static void test_connect_reaches_a_listening_port(void **state)
{
	(void)state;
	char err[LIMIT_ERR_LEN], cerr[LIMIT_ERR_LEN];
	int lfd = net_listen("127.0.0.1", 0, err);
	assert_true(lfd >= 0);
	struct client_wait w = wait_ms(2000, -1);
	int fd = client_connect("127.0.0.1", net_local_port(lfd), &w, cerr);
	assert_true(fd >= 0);
	close(fd);
	close(lfd);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_content_length_response_gives_status_headers_and_body),
		T(test_status_line_without_reason_is_accepted),
		T(test_http10_response_has_version_10),
		T(test_header_values_are_trimmed_and_lookup_ignores_case),
		T(test_chunked_body_is_decoded_with_extensions_and_trailers),
		T(test_body_until_close_is_complete_only_at_end_of_stream),
		T(test_head_response_has_no_body_whatever_content_length_says),
		T(test_204_and_304_have_no_body),
		T(test_transfer_encoding_beats_content_length),
		T(test_transfer_encoding_not_ending_in_chunked_reads_until_close),
		T(test_repeated_equal_content_lengths_count_as_one),
		T(test_interim_100_is_followed_by_the_final_response),
		T(test_pipelined_responses_split_where_each_ends),
		T(test_every_prefix_of_a_valid_response_is_incomplete),
		T(test_one_byte_at_a_time_gives_the_same_answer_as_all_at_once),
		T(test_junk_fails_at_its_first_byte),
		T(test_malformed_status_lines_are_refused),
		T(test_bare_lf_and_bare_cr_are_refused),
		T(test_malformed_header_lines_are_refused),
		T(test_invalid_or_conflicting_content_length_is_refused),
		T(test_malformed_chunks_are_refused),
		T(test_too_many_headers_or_too_long_a_head_is_too_large),
		T(test_exchange_sends_the_request_and_reads_until_close),
		T(test_exchange_gives_up_at_the_deadline_keeping_what_came),
		T(test_exchange_stops_when_the_cancel_fd_is_readable),
		T(test_exchange_stops_reading_at_max_bytes),
		T(test_connect_to_a_closed_port_is_refused),
		T(test_connect_reaches_a_listening_port),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
