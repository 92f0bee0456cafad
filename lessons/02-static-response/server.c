/* Lesson 02 — a static response.
 *
 * Still one connection at a time, still no parsing: read the request (up to 8 KiB),
 * then write a fixed HTTP/1.1 response one line at a time, and close. It is enough
 * for a real HTTP client to accept the answer. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lesson.h"
#include "limit.h"
#include "log.h"
#include "net.h"
#include "repr.h"

/* head_ended — has the empty line that ends a request head arrived? */
static int head_ended(const char *buf, size_t n)
{
	return memmem(buf, n, "\r\n\r\n", 4) || memmem(buf, n, "\n\n", 2);
}

/* read_http_request — reads until the head has ended, 8 KiB have come, the client
 * closed, or time ran out. One recv() (as in the article) may return half a request. */
static size_t read_http_request(int fd, char *buf, size_t cap)
{
	int64_t deadline = net_now_ms() + LIMIT_HEAD_TIME_MS;
	size_t n = 0;

	puts("reading request");
	while (n < cap && !head_ended(buf, n)) {
		ssize_t got = net_read(fd, buf + n, cap - n, deadline);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	repr_bytes(stdout, buf, n);
	putchar('\n');
	return n;
}

/* write_http_response — the same answer to every request. The article writes the
 * status line as "HTTP/1.1 200", but RFC 9112 §4 wants a space after the code even
 * without a reason phrase; we send "200 OK". */
static void write_http_response(int fd)
{
	/* BEGIN SOLUTION: print "writing response", send the status line, Content-Type,
	 * Content-Length, Location, the empty line and the body one line at a time with
	 * net_send_all, then print "response sent" */
	static const char *const lines[] = {
		"HTTP/1.1 200 OK\r\n",
		"Content-Type: text/plain\r\n",
		"Content-Length: 12\r\n",
		"Location: http://localhost/\r\n",
		"\r\n",
		"Hello World\n",
	};

	puts("writing response");
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (net_send_all(fd, lines[i], strlen(lines[i])) < 0)
			return;
	puts("response sent");
	/* END SOLUTION */
}

static void handle(int fd, const struct net_peer *peer, void *ctx)
{
	char request[LIMIT_RAW_REQUEST];
	(void)ctx;

	if (read_http_request(fd, request, sizeof request) == 0) {
		log_message(peer->addr, "no request arrived; closing without an answer");
		return;
	}
	write_http_response(fd);
	shutdown(fd, SHUT_WR); /* our side is done: the client sees the end of the stream */
	puts("connection closed");
}

int main(int argc, char **argv)
{
	static const struct lesson lesson = {
		.name = "02-static-response",
		.dir = LESSON_DIR,
		.serve = handle,
	};
	return lesson_main(argc, argv, &lesson);
}
