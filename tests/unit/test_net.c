/* test_net.c — unit tests of common/server/net.c: listening, timed reads over a socketpair, the
 * line reader, writes that must arrive whole, a refusal that ends in a FIN (TCP), and the
 * privilege drop's "not root" answer.
 * Every case is named for what it proves. (The loop of lessons 01-02, and a read cut short
 * by a stop signal, are test_loop.c's; the privilege drop as root is tested end to end,
 * against real lesson servers.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

/* ---- helpers ---------------------------------------------------------------------- */

static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
}

static void close_pair(int sv[2])
{
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		assert_true(w > 0);
		p += w;
		len -= (size_t)w;
	}
}

/* A writer thread: sends pieces with a pause before each, then closes its end if asked. */
struct writer {
	int fd;
	const char *const *pieces;
	size_t npieces;
	long pause_ms;
	int close_after;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	for (size_t i = 0; i < w->npieces; i++) {
		sleep_ms(w->pause_ms);
		size_t len = strlen(w->pieces[i]);
		const char *p = w->pieces[i];
		while (len > 0) {
			ssize_t n = write(w->fd, p, len);
			if (n <= 0)
				return NULL;
			p += n;
			len -= (size_t)n;
		}
	}
	if (w->close_after) {
		close(w->fd);
		w->fd = -1;
	}
	return NULL;
}

/* A reader thread: reads until end of stream into buf. */
struct reader {
	int fd;
	char *buf;
	size_t cap, len;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (n <= 0)
			return NULL;
		r->len += (size_t)n;
	}
}

/* expect_line — the next line of the reader is exactly want. */
static void expect_line(struct net_reader *r, size_t max, const char *want)
{
	const char *line = NULL;
	ssize_t n = net_readline(r, &line, max);
	assert_int_equal(n, (ssize_t)strlen(want));
	assert_non_null(line);
	assert_memory_equal(line, want, (size_t)n);
}

/* ---- listening -------------------------------------------------------------------- */

static void test_listen_port_zero_binds_a_real_port(void **state)
{
	(void)state;
	char err[LIMIT_ERR_LEN] = "";
	int fd = net_listen("127.0.0.1", 0, err);
	assert_true(fd >= 0);
	int port = net_local_port(fd);
	assert_true(port > 0 && port <= 65535);
	close(fd);
}

static void test_listen_twice_on_one_port_fails_already_in_use(void **state)
{
	(void)state;
	char err[LIMIT_ERR_LEN] = "", want[64];
	int fd = net_listen("127.0.0.1", 0, err);
	assert_true(fd >= 0);
	int port = net_local_port(fd);

	int again = net_listen("127.0.0.1", port, err);
	assert_int_equal(again, -1);
	assert_non_null(strstr(err, "already in use"));
	snprintf(want, sizeof want, "port %d ", port);
	assert_non_null(strstr(err, want)); /* names the port */
	close(fd);
}

static void test_listen_invalid_port_fails(void **state)
{
	(void)state;
	char err[LIMIT_ERR_LEN] = "";
	assert_int_equal(net_listen("127.0.0.1", -1, err), -1);
	assert_non_null(strstr(err, "-1"));
	err[0] = '\0';
	assert_int_equal(net_listen("127.0.0.1", 65536, err), -1);
	assert_non_null(strstr(err, "65536"));
}

static void test_local_port_of_non_socket_is_minus_one(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(net_local_port(p[0]), -1);
	close(p[0]);
	close(p[1]);
}

/* ---- net_read --------------------------------------------------------------------- */

static void test_read_returns_bytes_available(void **state)
{
	(void)state;
	int sv[2];
	char buf[16];
	pair(sv);
	write_all(sv[1], "hello", 5);
	ssize_t n = net_read(sv[0], buf, sizeof buf, net_now_ms() + 1000);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "hello", 5);
	close_pair(sv);
}

static void test_read_times_out_after_deadline(void **state)
{
	(void)state;
	int sv[2];
	char buf[16];
	pair(sv);
	int64_t start = net_now_ms();
	ssize_t n = net_read(sv[0], buf, sizeof buf, start + 50);
	int64_t took = net_now_ms() - start;
	assert_int_equal(n, NET_TIMEOUT);
	assert_true(took >= 50);
	assert_true(took < 1000);
	close_pair(sv);
}

static void test_read_returns_zero_at_end_of_stream(void **state)
{
	(void)state;
	int sv[2];
	char buf[16];
	pair(sv);
	close(sv[1]);
	sv[1] = -1;
	assert_int_equal(net_read(sv[0], buf, sizeof buf, net_now_ms() + 1000), 0);
	close_pair(sv);
}

static void test_read_gets_bytes_that_arrive_before_deadline(void **state)
{
	(void)state;
	int sv[2];
	char buf[16];
	pthread_t t;
	static const char *const pieces[] = { "late" };
	pair(sv);
	struct writer w = { sv[1], pieces, 1, 30, 0 };
	assert_int_equal(pthread_create(&t, NULL, writer_main, &w), 0);
	ssize_t n = net_read(sv[0], buf, sizeof buf, net_now_ms() + 5000);
	pthread_join(t, NULL);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "late", 4);
	close_pair(sv);
}

/* ---- net_readline ----------------------------------------------------------------- */

static void test_readline_joins_lines_split_across_writes(void **state)
{
	(void)state;
	int sv[2];
	pthread_t t;
	static const char *const pieces[] = { "GET / HT", "TP/1.1\r\nHo", "st: x\r", "\n\r\n" };
	struct net_reader *r = malloc(sizeof *r);
	assert_non_null(r);
	pair(sv);
	struct writer w = { sv[1], pieces, 4, 20, 1 };
	assert_int_equal(pthread_create(&t, NULL, writer_main, &w), 0);
	net_reader_init(r, sv[0], net_now_ms() + 5000);
	expect_line(r, sizeof r->buf, "GET / HTTP/1.1\r\n");
	expect_line(r, sizeof r->buf, "Host: x\r\n");
	expect_line(r, sizeof r->buf, "\r\n");
	const char *line;
	assert_int_equal(net_readline(r, &line, sizeof r->buf), 0);
	pthread_join(t, NULL);
	sv[1] = w.fd;
	close_pair(sv);
	free(r);
}

static void test_readline_cuts_a_long_line_at_max(void **state)
{
	(void)state;
	int sv[2];
	struct net_reader *r = malloc(sizeof *r);
	assert_non_null(r);
	pair(sv);
	write_all(sv[1], "abcdefghij\nxy\n", 14);
	net_reader_init(r, sv[0], net_now_ms() + 1000);
	expect_line(r, 4, "abcd");
	expect_line(r, 4, "efgh");
	expect_line(r, 4, "ij\n");
	expect_line(r, 4, "xy\n");
	close_pair(sv);
	free(r);
}

static void test_readline_line_longer_than_buffer_comes_in_pieces(void **state)
{
	(void)state;
	int sv[2];
	struct net_reader *r = malloc(sizeof *r);
	const size_t len = sizeof r->buf + 808;
	char *line = malloc(len + 1);
	assert_non_null(r);
	assert_non_null(line);
	memset(line, 'a', len);
	line[len] = '\n';
	pair(sv);
	write_all(sv[1], line, len + 1);
	close(sv[1]);
	sv[1] = -1;
	net_reader_init(r, sv[0], net_now_ms() + 1000);
	const char *got;
	/* max above the buffer size is held to the buffer size */
	assert_int_equal(net_readline(r, &got, 2 * sizeof r->buf), (ssize_t)sizeof r->buf);
	assert_memory_equal(got, line, sizeof r->buf);
	assert_int_equal(net_readline(r, &got, 2 * sizeof r->buf), 809);
	assert_memory_equal(got, line + sizeof r->buf, 809);
	assert_int_equal(net_readline(r, &got, sizeof r->buf), 0);
	close_pair(sv);
	free(line);
	free(r);
}

static void test_readline_returns_last_line_without_lf_at_eof(void **state)
{
	(void)state;
	int sv[2];
	struct net_reader *r = malloc(sizeof *r);
	assert_non_null(r);
	pair(sv);
	write_all(sv[1], "first\nlast", 10);
	close(sv[1]);
	sv[1] = -1;
	net_reader_init(r, sv[0], net_now_ms() + 1000);
	expect_line(r, sizeof r->buf, "first\n");
	expect_line(r, sizeof r->buf, "last");
	const char *line;
	assert_int_equal(net_readline(r, &line, sizeof r->buf), 0);
	assert_int_equal(net_readline(r, &line, sizeof r->buf), 0);
	close_pair(sv);
	free(r);
}

static void test_readline_times_out_on_an_unfinished_line(void **state)
{
	(void)state;
	int sv[2];
	struct net_reader *r = malloc(sizeof *r);
	assert_non_null(r);
	pair(sv);
	write_all(sv[1], "done\npartial", 12);
	int64_t start = net_now_ms();
	net_reader_init(r, sv[0], start + 50);
	expect_line(r, sizeof r->buf, "done\n");
	const char *line;
	assert_int_equal(net_readline(r, &line, sizeof r->buf), NET_TIMEOUT);
	int64_t took = net_now_ms() - start;
	assert_true(took >= 50);
	assert_true(took < 1000);
	close_pair(sv);
	free(r);
}

/* ---- writing ---------------------------------------------------------------------- */

static void test_send2_sends_both_parts_in_order(void **state)
{
	(void)state;
	int sv[2];
	char buf[32];
	pair(sv);
	assert_int_equal(net_send2(sv[0], "HEAD\r\n", 6, "body", 4), 0);
	assert_int_equal(net_send2(sv[0], "only", 4, NULL, 0), 0);
	assert_int_equal(net_send2(sv[0], "", 0, "tail", 4), 0);
	close(sv[0]);
	sv[0] = -1;
	size_t got = 0;
	ssize_t n;
	while ((n = read(sv[1], buf + got, sizeof buf - got)) > 0)
		got += (size_t)n;
	assert_int_equal(got, 18);
	assert_memory_equal(buf, "HEAD\r\nbodyonlytail", 18);
	close_pair(sv);
}

/* Parts far larger than the socket buffer: every partial write is resumed exactly. */
static void test_send2_large_parts_arrive_whole(void **state)
{
	(void)state;
	int sv[2];
	pthread_t t;
	const size_t alen = 300001, blen = 700003;
	char *a = malloc(alen), *b = malloc(blen), *in = malloc(alen + blen + 1);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(in);
	for (size_t i = 0; i < alen; i++)
		a[i] = (char)(i % 251);
	for (size_t i = 0; i < blen; i++)
		b[i] = (char)(i % 241 + 7);
	pair(sv);
	struct reader rd = { sv[1], in, alen + blen + 1, 0 };
	assert_int_equal(pthread_create(&t, NULL, reader_main, &rd), 0);
	assert_int_equal(net_send2(sv[0], a, alen, b, blen), 0);
	close(sv[0]);
	sv[0] = -1;
	pthread_join(t, NULL);
	assert_int_equal(rd.len, alen + blen);
	assert_memory_equal(in, a, alen);
	assert_memory_equal(in + alen, b, blen);
	close_pair(sv);
	free(a);
	free(b);
	free(in);
}

static void test_send_all_to_closed_peer_fails_without_sigpipe(void **state)
{
	(void)state;
	int sv[2];
	pair(sv);
	close(sv[1]);
	sv[1] = -1;
	/* SIGPIPE would kill the test program here; MSG_NOSIGNAL turns it into -1 */
	assert_int_equal(net_send_all(sv[0], "x", 1), -1);
	assert_int_equal(net_send2(sv[0], "a", 1, "b", 1), -1);
	close_pair(sv);
}

/* ---- refusing ------------------------------------------------------------------------ */

/* tcp_pair — a client connected over 127.0.0.1 to the server end in *server. A reset
 * (the thing net_refuse must avoid) is TCP's: a socketpair cannot show it. */
static int tcp_pair(int *server)
{
	char err[LIMIT_ERR_LEN];
	int listener = net_listen("127.0.0.1", 0, err);
	assert_true(listener >= 0);
	struct sockaddr_in addr = {.sin_family = AF_INET,
	                           .sin_port = htons((uint16_t)net_local_port(listener))};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(client, (struct sockaddr *)&addr, sizeof addr), 0);
	*server = accept(listener, NULL, NULL);
	assert_true(*server >= 0);
	close(listener);
	return client;
}

/* read_to_end — what fd receives until the end of stream; *reset says whether it ended
 * in a reset instead. */
static size_t read_to_end(int fd, char *buf, size_t cap, bool *reset)
{
	size_t len = 0;
	*reset = false;
	for (;;) {
		ssize_t n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && errno == ECONNRESET)
			*reset = true;
		if (n <= 0 || (len += (size_t)n) == cap)
			return len;
	}
}

static void test_refuse_reads_the_request_and_ends_in_fin_not_reset(void **state)
{
	(void)state;
	static const char request[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	int server, client = tcp_pair(&server);
	char got[64];
	bool reset;

	write_all(client, request, strlen(request));
	struct pollfd p = {.fd = server, .events = POLLIN};
	assert_int_equal(poll(&p, 1, 2000), 1); /* the request waits, unread, at the server */
	net_refuse(server, "busy\n");
	size_t n = read_to_end(client, got, sizeof got, &reset);
	assert_int_equal(n, 5);
	assert_memory_equal(got, "busy\n", 5);
	assert_false(reset);
	close(client);
}

static void test_refuse_waits_only_briefly_for_a_silent_client(void **state)
{
	(void)state;
	int server, client = tcp_pair(&server);
	char got[64];
	bool reset;

	int64_t start = net_now_ms();
	net_refuse(server, "busy\n"); /* the client sends nothing and keeps its side open */
	assert_true(net_now_ms() - start < 1000);
	assert_int_equal(read_to_end(client, got, sizeof got, &reset), 5);
	assert_false(reset);
	close(client);
}

/* ---- clock and privileges --------------------------------------------------------- */

static void test_refuse_in_steps_sends_busy_then_discards_until_the_end(void **state)
{
	(void)state;
	int sv[2];
	char got[64];
	size_t dropped = 0;
	pair(sv);
	assert_true(net_refuse_start(sv[0], "busy\n"));
	ssize_t n = recv(sv[1], got, sizeof got, 0);
	assert_int_equal(n, 5);
	assert_memory_equal(got, "busy\n", 5);
	assert_int_equal(recv(sv[1], got, sizeof got, 0), 0); /* our side is shut */
	assert_true(net_discard(sv[0], &dropped, LIMIT_REFUSE_BYTES)); /* nothing yet: wait on */
	write_all(sv[1], "GET / HTTP/1.1\r\n", 16);
	assert_true(net_discard(sv[0], &dropped, LIMIT_REFUSE_BYTES)); /* it may send more */
	assert_int_equal(dropped, 16);
	close(sv[1]);
	sv[1] = -1;
	assert_false(net_discard(sv[0], &dropped, LIMIT_REFUSE_BYTES)); /* the client closed */
	close_pair(sv);
}

static void test_discard_stops_once_enough_was_dropped(void **state)
{
	(void)state;
	int sv[2];
	size_t dropped = 96;
	pair(sv);
	write_all(sv[1], "12345678", 8);
	assert_false(net_discard(sv[0], &dropped, 100)); /* past the limit: close now */
	assert_true(dropped >= 100);
	close_pair(sv);
}

static void test_now_ms_is_monotonic_milliseconds(void **state)
{
	(void)state;
	int64_t a = net_now_ms();
	sleep_ms(20);
	int64_t b = net_now_ms();
	assert_true(b - a >= 20);
	assert_true(b - a < 1000);
}

static void test_drop_privileges_when_not_root_returns_1(void **state)
{
	(void)state;
	char err[LIMIT_ERR_LEN] = "";
	if (getuid() == 0 || geteuid() == 0)
		skip(); /* as root it would really drop: tested end to end */
	assert_int_equal(net_drop_privileges("nobody", err), 1);
	assert_int_equal(net_drop_privileges("no-such-user-here", err), 1);
	assert_string_equal(err, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen_port_zero_binds_a_real_port),
		cmocka_unit_test(test_listen_twice_on_one_port_fails_already_in_use),
		cmocka_unit_test(test_listen_invalid_port_fails),
		cmocka_unit_test(test_local_port_of_non_socket_is_minus_one),
		cmocka_unit_test(test_read_returns_bytes_available),
		cmocka_unit_test(test_read_times_out_after_deadline),
		cmocka_unit_test(test_read_returns_zero_at_end_of_stream),
		cmocka_unit_test(test_read_gets_bytes_that_arrive_before_deadline),
		cmocka_unit_test(test_readline_joins_lines_split_across_writes),
		cmocka_unit_test(test_readline_cuts_a_long_line_at_max),
		cmocka_unit_test(test_readline_line_longer_than_buffer_comes_in_pieces),
		cmocka_unit_test(test_readline_returns_last_line_without_lf_at_eof),
		cmocka_unit_test(test_readline_times_out_on_an_unfinished_line),
		cmocka_unit_test(test_send2_sends_both_parts_in_order),
		cmocka_unit_test(test_send2_large_parts_arrive_whole),
		cmocka_unit_test(test_send_all_to_closed_peer_fails_without_sigpipe),
		cmocka_unit_test(test_refuse_reads_the_request_and_ends_in_fin_not_reset),
		cmocka_unit_test(test_refuse_in_steps_sends_busy_then_discards_until_the_end),
		cmocka_unit_test(test_discard_stops_once_enough_was_dropped),
		cmocka_unit_test(test_refuse_waits_only_briefly_for_a_silent_client),
		cmocka_unit_test(test_now_ms_is_monotonic_milliseconds),
		cmocka_unit_test(test_drop_privileges_when_not_root_returns_1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
