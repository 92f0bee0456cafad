/* test_loop.c — unit tests of common/server/loop.c, the sequential loop of lessons 01-02:
 * connections are served one at a time, in the order they came, each closed after its
 * handler; a stop signal ends the loop at once between connections, and during one it
 * ends the handler's read at once instead of at its deadline.
 *
 * The loop runs on a thread of its own here; the stop signals are blocked in every
 * thread (as lesson_main does), so a SIGTERM sent to this process waits for the loop. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "net.h"

#define HANDLER_DEADLINE_MS 10000 /* far longer than any case waits */

/* What the handler saw, read by the test once the loop has returned. */
struct served {
	int count;         /* connections handled */
	ssize_t last_rc;   /* net_readline's answer in the latest one */
	int last_errno;
	int started[2];    /* a pipe: the handler writes a byte as it begins */
};

/* echo_one — reads one line and answers "N: line" (N counts connections from 1). */
static void echo_one(int fd, const struct net_peer *peer, void *ctx)
{
	struct served *s = ctx;
	struct net_reader r;
	const char *line = "";
	char out[128];
	(void)peer;

	s->count++;
	if (write(s->started[1], "x", 1) != 1)
		return; /* the case then fails waiting for it */
	net_reader_init(&r, fd, net_now_ms() + HANDLER_DEADLINE_MS);
	errno = 0;
	s->last_rc = net_readline(&r, &line, 64);
	s->last_errno = errno;
	if (s->last_rc <= 0)
		return;
	int n = snprintf(out, sizeof out, "%d: %.*s", s->count, (int)s->last_rc, line);
	net_send_all(fd, out, (size_t)n);
}

/* A running loop: its listener, its thread and what it returned. */
struct running {
	int listener;
	int port;
	pthread_t thread;
	int rc;
	char err[LIMIT_ERR_LEN];
	struct served served;
};

static void *loop_main(void *arg)
{
	struct running *run = arg;
	run->rc = loop_serve(run->listener, echo_one, &run->served, run->err);
	return NULL;
}

static void start(struct running *run)
{
	*run = (struct running){.rc = 99};
	run->listener = net_listen("127.0.0.1", 0, run->err);
	assert_true(run->listener >= 0);
	run->port = net_local_port(run->listener);
	assert_int_equal(pipe(run->served.started), 0);
	assert_int_equal(pthread_create(&run->thread, NULL, loop_main, run), 0);
}

/* stop — sends SIGTERM and waits at most limit_ms for the loop to return; returns
 * how long that took. */
static int64_t stop(struct running *run, int64_t limit_ms)
{
	struct timespec until;
	int64_t begin = net_now_ms();

	assert_int_equal(kill(getpid(), SIGTERM), 0);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += limit_ms / 1000 + 1;
	assert_int_equal(pthread_timedjoin_np(run->thread, NULL, &until), 0);
	int64_t took = net_now_ms() - begin;
	close(run->listener);
	close(run->served.started[0]);
	close(run->served.started[1]);
	return took;
}

/* drain_stop — takes the pending SIGTERM, so that the next case starts without one. */
static int drain_stop(void **state)
{
	sigset_t set;
	struct timespec none = {0, 0};
	(void)state;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	while (sigtimedwait(&set, NULL, &none) > 0) {
	}
	return 0;
}

static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

	assert_true(fd >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	return fd;
}

/* wait_started — the handler has begun on a connection (within a second). */
static void wait_started(struct running *run)
{
	char c;
	struct timeval tv = {1, 0};

	setsockopt(run->served.started[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	assert_int_equal(read(run->served.started[0], &c, 1), 1);
}

/* read_to_end — what the loop sent before closing the connection (plain recv: a
 * pending stop makes net_read fail in this process too). */
static void read_to_end(int fd, char *buf, size_t cap)
{
	struct timeval tv = {5, 0};
	size_t len = 0;
	ssize_t n = -1;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	while (len + 1 < cap && (n = recv(fd, buf + len, cap - 1 - len, 0)) > 0)
		len += (size_t)n;
	assert_true(n == 0); /* the loop closed it: end of stream, not a timeout */
	buf[len] = '\0';
}

static void test_connections_are_served_one_at_a_time_in_order(void **state)
{
	struct running run;
	char got[128];
	(void)state;

	start(&run);
	int first = connect_to(run.port);
	wait_started(&run);
	int second = connect_to(run.port);
	assert_int_equal(write(second, "two\n", 4), 4);
	/* The first still holds the loop: the second waits, unanswered. */
	assert_int_equal(net_read(second, got, sizeof got, net_now_ms() + 200), NET_TIMEOUT);
	assert_int_equal(write(first, "one\n", 4), 4);
	read_to_end(first, got, sizeof got);
	assert_string_equal(got, "1: one\n");
	read_to_end(second, got, sizeof got);
	assert_string_equal(got, "2: two\n");
	close(first);
	close(second);
	stop(&run, 1000);
	assert_int_equal(run.rc, 0);
	assert_int_equal(run.served.count, 2);
}

static void test_stop_between_connections_returns_at_once(void **state)
{
	struct running run;
	(void)state;

	start(&run);
	int64_t took = stop(&run, 1000);
	assert_int_equal(run.rc, 0);
	assert_true(took < 500);
	assert_int_equal(run.served.count, 0);
}

static void test_stop_during_a_connection_ends_its_read_at_once(void **state)
{
	struct running run;
	char got[16];
	(void)state;

	start(&run);
	int silent = connect_to(run.port);
	wait_started(&run);
	int64_t took = stop(&run, 2000);
	assert_int_equal(run.rc, 0);
	assert_true(took < 1000); /* not the handler's 10 s deadline */
	assert_int_equal(run.served.last_rc, -1);
	assert_int_equal(run.served.last_errno, EINTR);
	read_to_end(silent, got, sizeof got); /* and the loop closed the connection */
	assert_string_equal(got, "");
	close(silent);
}

static void test_read_fails_at_once_while_a_stop_is_pending(void **state)
{
	int sv[2];
	char buf[8];
	(void)state;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(kill(getpid(), SIGINT), 0);
	int64_t begin = net_now_ms();
	errno = 0;
	assert_int_equal(net_read(sv[0], buf, sizeof buf, begin + HANDLER_DEADLINE_MS), -1);
	assert_int_equal(errno, EINTR);
	assert_true(net_now_ms() - begin < 500);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_connections_are_served_one_at_a_time_in_order,
		                          drain_stop),
		cmocka_unit_test_teardown(test_stop_between_connections_returns_at_once,
		                          drain_stop),
		cmocka_unit_test_teardown(test_stop_during_a_connection_ends_its_read_at_once,
		                          drain_stop),
		cmocka_unit_test_teardown(test_read_fails_at_once_while_a_stop_is_pending,
		                          drain_stop),
	};

	net_block_stop_signals(); /* before any thread: they all inherit it */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
