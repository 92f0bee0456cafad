/* test_httpd.c — unit tests of common/server/httpd.c: one connection's turns, driven
 * the way the pool drives them, over a socketpair. The test plays the client on one
 * end, calls httpd_ops.turn when it has written something, and reads what came back.
 *
 * What it proves above all: a turn never waits for a body. It takes what has arrived,
 * hands it to the route, and returns to the pool with the body's deadline, so that a
 * connection waiting for the rest of a body holds no thread. Every case is named for
 * what it proves.
 *
 * The server logs to stderr; setup points fd 2 at a temporary file, teardown puts it
 * back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture.h"
#include "httpd.h"
#include "limit.h"

/* What the routes below saw: the handler_ctx of this test. */
struct handler_ctx {
	char seen[4096];   /* body bytes, in the order they came */
	size_t seen_len;
	int pieces;        /* piece calls */
	int starts, ends, ends_without_res, handled;
	size_t stop_after; /* the reader stops once it has seen this many bytes (0: never) */
};

/* ---- the routes ------------------------------------------------------------------- */

static void *reader_start(const struct request *req, struct response *res,
                          const struct handler_ctx *cctx)
{
	struct handler_ctx *ctx = (struct handler_ctx *)cctx; /* the test's own record */

	ctx->starts++;
	if (strcmp(req->path, "/refuse") == 0) {
		res_send(res, HTTP_UNSUPPORTED_MEDIA_TYPE, "text/plain", "no\n", 3);
		return NULL;
	}
	return ctx;
}

static int reader_piece(void *state, const char *data, size_t len)
{
	struct handler_ctx *ctx = state;

	assert_true(ctx->seen_len + len <= sizeof ctx->seen);
	memcpy(ctx->seen + ctx->seen_len, data, len);
	ctx->seen_len += len;
	ctx->pieces++;
	return ctx->stop_after && ctx->seen_len >= ctx->stop_after;
}

static void reader_end(void *state, const struct request *req, struct response *res)
{
	struct handler_ctx *ctx = state;

	(void)req;
	ctx->ends++;
	if (!res) {
		ctx->ends_without_res++;
		return;
	}
	char text[64];
	int n = snprintf(text, sizeof text, "got %zu\n", ctx->seen_len);
	res_send(res, HTTP_OK, "text/plain", text, (size_t)n);
}

static const struct body_reader reader = {reader_start, reader_piece, reader_end};

/* whole — a handler: answers with the whole body it was given. */
static void whole(const struct request *req, struct response *res,
                  const struct handler_ctx *cctx)
{
	struct handler_ctx *ctx = (struct handler_ctx *)cctx;

	ctx->handled++;
	res_send(res, HTTP_OK, "text/plain", req->body, req->body_len);
}

static const struct route routes[] = {
	{"/up", HTTP_POST, .reader = &reader},
	{"/refuse", HTTP_POST, .reader = &reader},
	{"/form", HTTP_GET, .handler = whole},
	{"/form", HTTP_POST, .handler = whole}, /* the same path, a line per method */
	{0},
};

/* ---- fixture ---------------------------------------------------------------------- */

struct fx {
	int sv[2];         /* sv[0]: the server's end, sv[1]: the client's */
	struct capture log; /* stderr, while the test runs */
	struct handler_ctx ctx;
	struct httpd httpd;
	struct net_peer peer;
	void *conn;
	int64_t deadline;
	char out[65536];   /* what the client has received so far */
	size_t outlen;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, f->sv) != 0)
		return -1;
	if (capture_start(&f->log) != 0)
		return -1;
	f->httpd = (struct httpd){routes, &f->ctx, 1024};
	snprintf(f->peer.addr, sizeof f->peer.addr, "127.0.0.1");
	f->peer.port = 5555;
	f->conn = httpd_ops.open(f->sv[0], &f->peer, &f->httpd, &f->deadline);
	if (!f->conn)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (f->conn)
		httpd_ops.end(f->conn);
	capture_stop(&f->log);
	close(f->sv[0]);
	close(f->sv[1]);
	free(f);
	return 0;
}

/* send_turn — the client sends text, then the server takes its turn: its answer. */
static int64_t send_turn(struct fx *f, const char *text)
{
	size_t len = strlen(text);
	assert_int_equal(write(f->sv[1], text, len), (ssize_t)len);
	return httpd_ops.turn(f->conn);
}

/* received — everything the client has been sent so far (without waiting: a turn has
 * written all it will before it returns). */
static const char *received(struct fx *f)
{
	ssize_t n;
	while ((n = recv(f->sv[1], f->out + f->outlen, sizeof f->out - 1 - f->outlen,
	                 MSG_DONTWAIT)) > 0)
		f->outlen += (size_t)n;
	f->out[f->outlen] = '\0';
	return f->out;
}

static int count(const char *haystack, const char *needle)
{
	int n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* ---- a body in pieces ------------------------------------------------------------- */

static void test_turn_returns_mid_body_with_the_body_deadline_and_the_piece_delivered(void **state)
{
	struct fx *f = *state;
	int64_t before = net_now_ms();

	int64_t d = send_turn(f, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello");
	assert_true(d >= before + LIMIT_BODY_IDLE_MS);
	assert_int_equal(f->ctx.starts, 1);
	assert_int_equal(f->ctx.seen_len, 5);
	assert_memory_equal(f->ctx.seen, "hello", 5);
	assert_string_equal(received(f), ""); /* no answer until the body is in */
	assert_int_equal(httpd_ops.awaits(f->conn), POOL_WAIT_BODY);

	d = send_turn(f, " world");
	assert_true(d != POOL_CLOSE);
	assert_int_equal(f->ctx.ends, 1);
	assert_memory_equal(f->ctx.seen, "hello world", 11);
	assert_non_null(strstr(received(f), "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(f->out, "\r\n\r\ngot 11\n"));
}

static void test_chunked_body_split_anywhere_reaches_the_reader_decoded(void **state)
{
	struct fx *f = *state;
	const char *steps[] = {
		"POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
		"5\r", "\nab", "cde\r\n", "3;ext=1\r\nfgh", "\r\n0\r\n", "\r\n",
	};

	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		assert_true(send_turn(f, steps[i]) != POOL_CLOSE);
	assert_int_equal(f->ctx.seen_len, 8);
	assert_memory_equal(f->ctx.seen, "abcdefgh", 8);
	assert_true(f->ctx.pieces >= 3); /* handed on as it came, not gathered */
	assert_int_equal(f->ctx.ends, 1);
	assert_non_null(strstr(received(f), "got 8\n"));
}

static void test_reader_that_stops_answers_at_once_and_the_rest_is_dropped(void **state)
{
	struct fx *f = *state;

	f->ctx.stop_after = 4;
	send_turn(f, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabcd");
	assert_int_equal(f->ctx.ends, 1);
	assert_non_null(strstr(received(f), "got 4\n")); /* before the rest came */
	/* The rest of the body, then a pipelined request on the same connection. */
	int64_t d = send_turn(f, "efghijGET /form HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_true(d != POOL_CLOSE);
	assert_int_equal(f->ctx.seen_len, 4);
	assert_int_equal(f->ctx.handled, 1);
	assert_int_equal(count(received(f), "HTTP/1.1 200 OK\r\n"), 2);
}

static void test_reader_refusing_at_start_answers_before_the_body_and_drops_it(void **state)
{
	struct fx *f = *state;

	send_turn(f, "POST /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n");
	assert_non_null(strstr(received(f), "HTTP/1.1 415 "));
	assert_null(strstr(f->out, "Connection: close"));
	assert_true(send_turn(f, "abcdefGET /form HTTP/1.1\r\nHost: x\r\n\r\n") != POOL_CLOSE);
	assert_int_equal(f->ctx.pieces, 0);
	assert_int_equal(f->ctx.ends, 0); /* start refused: end is for states start returned */
	assert_int_equal(count(received(f), "HTTP/1.1 200 OK\r\n"), 1);
}

static void test_refusal_to_a_client_awaiting_100_continue_sends_no_100_and_closes(void **state)
{
	struct fx *f = *state;

	send_turn(f, "POST /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n"
	             "Expect: 100-continue\r\n\r\n");
	assert_null(strstr(received(f), "100 Continue"));
	assert_non_null(strstr(f->out, "HTTP/1.1 415 "));
	assert_non_null(strstr(f->out, "Connection: close\r\n"));
	assert_int_equal(httpd_ops.awaits(f->conn), POOL_WAIT_CLOSE);
}

static void test_reader_accepting_sends_100_continue_then_takes_the_body(void **state)
{
	struct fx *f = *state;

	send_turn(f, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
	             "Expect: 100-continue\r\n\r\n");
	assert_string_equal(received(f), "HTTP/1.1 100 Continue\r\n\r\n");
	send_turn(f, "ok");
	assert_non_null(strstr(received(f), "got 2\n"));
}

static void test_client_gone_mid_body_ends_the_reader_without_a_response(void **state)
{
	struct fx *f = *state;

	send_turn(f, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
	shutdown(f->sv[1], SHUT_WR);
	assert_int_equal(httpd_ops.turn(f->conn), POOL_CLOSE);
	assert_int_equal(f->ctx.ends, 1);
	assert_int_equal(f->ctx.ends_without_res, 1);
	assert_string_equal(received(f), "");
}

static void test_body_deadline_passing_ends_the_reader_and_answers_408(void **state)
{
	struct fx *f = *state;

	send_turn(f, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
	int64_t d = httpd_ops.expire(f->conn, false);
	assert_true(d != POOL_CLOSE); /* it lingers */
	assert_int_equal(f->ctx.ends_without_res, 1);
	assert_non_null(strstr(received(f), "HTTP/1.1 408 "));
	assert_int_equal(httpd_ops.awaits(f->conn), POOL_WAIT_CLOSE);
}

static void test_server_stopping_mid_body_ends_the_reader(void **state)
{
	struct fx *f = *state;

	send_turn(f, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
	httpd_ops.end(f->conn);
	f->conn = NULL;
	assert_int_equal(f->ctx.ends_without_res, 1);
}

static void test_broken_chunk_framing_ends_the_reader_and_answers_400(void **state)
{
	struct fx *f = *state;

	send_turn(f, "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc");
	assert_int_equal(send_turn(f, "\r\nzz\r\n") != POOL_CLOSE, true);
	assert_int_equal(f->ctx.ends_without_res, 1);
	assert_non_null(strstr(received(f), "HTTP/1.1 400 "));
	assert_int_equal(httpd_ops.awaits(f->conn), POOL_WAIT_CLOSE);
}

static void test_chunked_body_past_the_limit_ends_the_reader_and_answers_413(void **state)
{
	struct fx *f = *state;

	/* The limit is 1024 bytes (setup): 0x500 is more. */
	send_turn(f, "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n500\r\n");
	assert_int_equal(f->ctx.ends_without_res, 1);
	assert_non_null(strstr(received(f), "HTTP/1.1 413 "));
}

/* ---- a body whole, and routes ----------------------------------------------------- */

static void test_handler_runs_once_with_the_whole_body_gathered_over_turns(void **state)
{
	struct fx *f = *state;

	int64_t d = send_turn(f, "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab");
	assert_true(d != POOL_CLOSE);
	assert_int_equal(f->ctx.handled, 0);
	send_turn(f, "cd");
	assert_int_equal(f->ctx.handled, 0);
	send_turn(f, "ef");
	assert_int_equal(f->ctx.handled, 1);
	assert_non_null(strstr(received(f), "\r\n\r\nabcdef"));
}

static void test_a_request_without_a_body_after_one_with_gets_an_empty_body(void **state)
{
	struct fx *f = *state;

	send_turn(f, "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
	             "GET /form HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(f->ctx.handled, 2);
	const char *second = strstr(strstr(received(f), "\r\n\r\nabc") + 1, "HTTP/1.1 200 OK");
	assert_non_null(second);
	assert_non_null(strstr(second, "Content-Length: 0\r\n"));
}

static void test_a_path_with_a_line_per_method_routes_by_method_and_405_allows_both(
	void **state)
{
	struct fx *f = *state;

	send_turn(f, "GET /form HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(f->ctx.handled, 1);
	send_turn(f, "DELETE /form HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_non_null(strstr(received(f), "HTTP/1.1 405 "));
	assert_non_null(strstr(f->out, "Allow: GET, HEAD, POST\r\n"));
}

static void test_no_route_reads_the_body_before_answering_so_framing_errors_show(
	void **state)
{
	struct fx *f = *state;

	/* No route for /nowhere: the 404 waits for the body, and a broken body gets the
	 * 400 it deserves instead. */
	send_turn(f, "POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab");
	assert_string_equal(received(f), "");
	send_turn(f, "cd");
	assert_non_null(strstr(received(f), "HTTP/1.1 404 "));
	f->outlen = 0;
	send_turn(f,
	          "POST /nowhere HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
	assert_non_null(strstr(received(f), "HTTP/1.1 400 "));
}

/* ---- ready: the pool's question about a newcomer ---------------------------------- */

/* client_says — the client sends text; nothing is read on the server's end. */
static void client_says(struct fx *f, const char *text)
{
	size_t len = strlen(text);
	assert_int_equal(write(f->sv[1], text, len), (ssize_t)len);
}

static void test_ready_only_once_the_head_is_whole_and_the_bytes_stay_for_the_turn(
	void **state)
{
	struct fx *f = *state;

	assert_false(httpd_ops.ready(f->sv[0])); /* nothing yet */
	client_says(f, "GET /form HTTP/1.1\r\nHost: x\r\n");
	assert_false(httpd_ops.ready(f->sv[0]));
	client_says(f, "\r");
	assert_false(httpd_ops.ready(f->sv[0]));
	client_says(f, "\n");
	assert_true(httpd_ops.ready(f->sv[0]));
	assert_true(httpd_ops.ready(f->sv[0])); /* a peek: asking twice reads nothing */
	httpd_ops.turn(f->conn);
	assert_int_equal(f->ctx.handled, 1);
}

static void test_ready_for_a_bare_lf_head_and_for_one_longer_than_the_limit(void **state)
{
	struct fx *f = *state;
	char *big = calloc(1, LIMIT_HEADERS_TOTAL + 1);

	assert_non_null(big);
	client_says(f, "GET / HTTP/1.1\nHost: x\n");
	assert_false(httpd_ops.ready(f->sv[0]));
	client_says(f, "\n");
	assert_true(httpd_ops.ready(f->sv[0]));
	recv(f->sv[0], big, LIMIT_HEADERS_TOTAL, MSG_DONTWAIT); /* the next one, as it were */

	memset(big, 'a', LIMIT_HEADERS_TOTAL); /* its last byte stays '\0' */
	client_says(f, big); /* no line end yet: not whole, not too long */
	assert_false(httpd_ops.ready(f->sv[0]));
	client_says(f, "a"); /* one past the limit: the turn answers 431 at once */
	assert_true(httpd_ops.ready(f->sv[0]));
	free(big);
}

/* ---- what a parked connection waits for (the eviction rule's question) ---------- */

static void test_awaits_names_the_request_the_head_begun_and_the_next_request(void **state)
{
	struct fx *f = *state;

	assert_int_equal(httpd_ops.awaits(f->conn), POOL_WAIT_REQUEST); /* nothing yet */
	send_turn(f, "GET /form HTTP/1.1\r\nHost: x\r\n");
	assert_int_equal(httpd_ops.awaits(f->conn), POOL_WAIT_HEAD);
	send_turn(f, "\r\n");
	assert_non_null(strstr(received(f), "HTTP/1.1 200 OK\r\n"));
	assert_int_equal(httpd_ops.awaits(f->conn), POOL_WAIT_REQUEST); /* kept alive */
	send_turn(f, "G");
	assert_int_equal(httpd_ops.awaits(f->conn), POOL_WAIT_HEAD);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_turn_returns_mid_body_with_the_body_deadline_and_the_piece_delivered),
		T(test_chunked_body_split_anywhere_reaches_the_reader_decoded),
		T(test_reader_that_stops_answers_at_once_and_the_rest_is_dropped),
		T(test_reader_refusing_at_start_answers_before_the_body_and_drops_it),
		T(test_refusal_to_a_client_awaiting_100_continue_sends_no_100_and_closes),
		T(test_reader_accepting_sends_100_continue_then_takes_the_body),
		T(test_client_gone_mid_body_ends_the_reader_without_a_response),
		T(test_body_deadline_passing_ends_the_reader_and_answers_408),
		T(test_server_stopping_mid_body_ends_the_reader),
		T(test_broken_chunk_framing_ends_the_reader_and_answers_400),
		T(test_chunked_body_past_the_limit_ends_the_reader_and_answers_413),
		T(test_handler_runs_once_with_the_whole_body_gathered_over_turns),
		T(test_a_request_without_a_body_after_one_with_gets_an_empty_body),
		T(test_a_path_with_a_line_per_method_routes_by_method_and_405_allows_both),
		T(test_no_route_reads_the_body_before_answering_so_framing_errors_show),
		T(test_ready_only_once_the_head_is_whole_and_the_bytes_stay_for_the_turn),
		T(test_ready_for_a_bare_lf_head_and_for_one_longer_than_the_limit),
		T(test_awaits_names_the_request_the_head_begun_and_the_next_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
