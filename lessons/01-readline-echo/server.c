/* Lesson 01 — readline echo.
 *
 * A plain TCP server, one connection at a time (the article's socketserver.TCPServer).
 * It reads what an HTTP client sends and prints it, so you can see a request's bytes;
 * it never answers, so the client sees its connection closed without a reply.
 *
 *   --variant line       read and print the request line only (the default)
 *   --variant all-lines  read every line up to the empty line that ends the head
 */
#include <stdio.h>
#include <string.h>

#include "lesson.h"
#include "limit.h"
#include "log.h"
#include "net.h"
#include "repr.h"

/* print_line — the article prints each line as Python shows bytes: b'GET / HTTP/1.1\r\n'. */
static void print_line(const char *line, ssize_t n)
{
	repr_bytes(stdout, line, (size_t)n);
}

/* read_request_line — reads one line, as rfile.readline() does, and prints it. */
static void read_request_line(struct net_reader *in, const struct net_peer *peer)
{
	/* BEGIN SOLUTION: read one line with net_readline (at most LIMIT_REQUEST_LINE bytes),
	 * log a timeout, print it with print_line and a newline */
	const char *line;
	ssize_t n = net_readline(in, &line, LIMIT_REQUEST_LINE);

	if (n == NET_TIMEOUT) {
		log_message(peer->addr, "no request line within %d s; closing",
		            LIMIT_HEAD_TIME_MS / 1000);
		return;
	}
	print_line(line, n > 0 ? n : 0); /* at end of stream readline() gives b'' */
	putchar('\n');
	/* END SOLUTION */
}

/* is_blank — "\r\n" or "\n": the empty line that ends a request head. */
static int is_blank(const char *line, ssize_t n)
{
	return (n == 2 && line[0] == '\r' && line[1] == '\n') || (n == 1 && line[0] == '\n');
}

/* read_all_lines — every line of the head, printed as a Python list. The article's
 * readlines() waits for the end of the stream, which a client waiting for an answer
 * never sends; stopping at the empty line (or a limit) is what a server must do. */
static void read_all_lines(struct net_reader *in, const struct net_peer *peer)
{
	const char *line;
	ssize_t n = 0;
	int count = 0;

	fputs("[", stdout);
	while (count <= LIMIT_HEADER_COUNT) {
		n = net_readline(in, &line, LIMIT_HEADER_LINE);
		if (n <= 0)
			break;
		fputs(count++ ? ", " : "", stdout);
		print_line(line, n);
		if (is_blank(line, n))
			break;
		if (n == LIMIT_HEADER_LINE && line[n - 1] != '\n') {
			log_message(peer->addr, "a line longer than %d bytes; closing",
			            LIMIT_HEADER_LINE);
			break; /* the rest of it is not a line of its own */
		}
	}
	fputs("]\n", stdout);
	if (n == NET_TIMEOUT)
		log_message(peer->addr, "the head did not end within %d s; closing",
		            LIMIT_HEAD_TIME_MS / 1000);
}

static void handle(int fd, const struct net_peer *peer, void *ctx)
{
	const struct handler_ctx *opt = ctx;
	struct net_reader in;

	/* The article's server waits forever for a line; ours gives up after a while. */
	net_reader_init(&in, fd, net_now_ms() + LIMIT_HEAD_TIME_MS);
	if (lesson_variant_is(opt, "all-lines"))
		read_all_lines(&in, peer);
	else
		read_request_line(&in, peer);
}

static const char *const variants[] = {"line", "all-lines", NULL};

int main(int argc, char **argv)
{
	static const struct lesson lesson = {
		.name = "01-readline-echo",
		.dir = LESSON_DIR,
		.variants = variants,
		.serve = handle,
	};
	return lesson_main(argc, argv, &lesson);
}
