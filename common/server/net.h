/* net.h — sockets for the lesson servers: listen, accept, drop privileges, read with a
 * deadline, write everything, and the stop signals that end a server cleanly. The loops
 * that serve connections are loop.h (one at a time, lessons 01-02) and pool.h (many).
 *
 * Like redis's anet.c, nothing here prints or exits: functions return -1 and put a
 * sentence into the caller's err buffer. */
#ifndef WIRELAB_NET_H
#define WIRELAB_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "limit.h"

#define NET_TIMEOUT (-2)

struct net_peer {
	char addr[64]; /* "127.0.0.1", "::1" */
	int port;
};

/* net_listen — a listening TCP socket on host:port (port 0: any free port).
 * Returns the socket, or -1 with err set ("port 8080 is already in use"). */
int net_listen(const char *host, int port, char err[LIMIT_ERR_LEN]);

/* net_local_port — the port a socket is bound to, or -1. */
int net_local_port(int fd);

/* net_drop_privileges — when running as root: clears supplementary groups, sets the
 * gid then the uid of user, and sets umask 007. Returns 1 when not root (nothing to
 * do), 0 when dropped, -1 with err set (unknown user, a call refused, or root could
 * still be regained). */
int net_drop_privileges(const char *user, char err[LIMIT_ERR_LEN]);

/* net_accept — the next connection on listener, ready to serve: a send timeout of
 * LIMIT_WRITE_MS (a client that stops reading cannot hold a writer for ever) and
 * TCP_NODELAY (an answer goes out at once, not after the client's delayed ACK).
 * Fills *peer. Returns the socket, or -1 (none waiting, or out of descriptors: then
 * it pauses LIMIT_ACCEPT_PAUSE_MS so that connections can finish). */
int net_accept(int listener, struct net_peer *peer);

/* net_refuse — a connection the server cannot take gets busy (a whole response;
 * NULL for none), never silence, and is closed gracefully: our side shut first, then
 * what the client sent read and dropped (at most LIMIT_REFUSE_BYTES, for at most
 * LIMIT_REFUSE_WAIT_MS), so that it sees our answer end in a FIN, not a reset. */
void net_refuse(int fd, const char *busy);

/* net_refuse_start — the first step of net_refuse, for a caller that cannot wait (the
 * pool's loop): sends busy and shuts our side; false when the connection is broken
 * already (close it now). Then net_discard, each time bytes arrive, with
 * LIMIT_REFUSE_BYTES, and the close when it is false or LIMIT_REFUSE_WAIT_MS pass. */
bool net_refuse_start(int fd, const char *busy);

/* net_discard — reads and drops what has arrived, without waiting, counting it in
 * *dropped (0 at first): what a server does after its last answer, until the client
 * closes (net_refuse; httpd's linger). false once nothing more is worth waiting for:
 * the client closed, the connection broke, or limit bytes came. */
bool net_discard(int fd, size_t *dropped, size_t limit);

/* net_block_stop_signals — blocks SIGINT, SIGTERM and SIGPIPE in the calling thread
 * (and the threads it starts later), so that a stop signal waits for the serving loop
 * (net_stop_signalfd) instead of killing the process, and a write to a closed
 * connection fails instead. Call it before announcing that the server is ready: a stop
 * that comes right after the announcement must still be a clean one. */
void net_block_stop_signals(void);

/* net_stop_signalfd — blocks the stop signals (net_block_stop_signals) and returns a
 * signalfd that becomes readable on SIGINT or SIGTERM, or -1. Nobody reads it: the
 * signal stays pending, and net_read sees it too. */
int net_stop_signalfd(void);

/* net_now_ms — a monotonic clock in milliseconds, for deadlines. */
int64_t net_now_ms(void);

/* net_read — reads at most cap bytes, waiting no later than deadline (net_now_ms()
 * time). Returns bytes read, 0 at end of stream, NET_TIMEOUT, or -1 on error; -1 with
 * errno EINTR as soon as a stop signal is pending (net_stop_signalfd), so that no
 * read keeps a stopping server waiting. */
ssize_t net_read(int fd, void *buf, size_t cap, int64_t deadline);

/* net_send_all — writes all of buf (the socket's send timeout bounds a stuck reader).
 * Returns 0 or -1. Never raises SIGPIPE. */
int net_send_all(int fd, const void *buf, size_t len);

/* net_send2 — writes a then b in one system call where possible (a head and a body). */
int net_send2(int fd, const void *a, size_t alen, const void *b, size_t blen);

/* A buffered reader for line-at-a-time protocols, like Python's rfile.readline(). */
struct net_reader {
	int fd;
	int64_t deadline; /* net_now_ms() time by which every line must have arrived */
	size_t start, len;
	/* the longest line a lesson asks for; a longer one comes in pieces */
	char buf[LIMIT_REQUEST_LINE > LIMIT_HEADER_LINE ? LIMIT_REQUEST_LINE : LIMIT_HEADER_LINE];
};

/* net_reader_init — reads from fd until deadline. */
void net_reader_init(struct net_reader *r, int fd, int64_t deadline);

/* net_readline — the next line, LF included, or at most max bytes of it (max <= the
 * buffer size). Sets *line into the reader's buffer (valid until the next call) and
 * returns its length; 0 at end of stream (a last line without LF is still returned
 * first); NET_TIMEOUT; -1 on error (EINTR: a stop signal, as net_read). */
ssize_t net_readline(struct net_reader *r, const char **line, size_t max);

/* A connection handler for loop.h: called once per connection, on the loop's thread;
 * it must not close fd (the loop does). */
typedef void (*net_conn_fn)(int fd, const struct net_peer *peer, void *ctx);

#endif
