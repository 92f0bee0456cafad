/* conn.h — the lab's connections as a real client keeps them: one exchange on a
 * connection that may stay open, the one kept open between commands (reused by the next
 * request to the same server, watched while the student types so that the server's idle
 * close is reported when it happens), and a log of what happened on each connection,
 * which `trace` draws as a client/server ladder.
 *
 * How an exchange ends depends on the bytes sent (conn_plan): well-formed, complete
 * requests are answered and the connection stays open unless one side says otherwise,
 * as with curl or a browser; anything else (a malformed request, a head without its
 * body) is followed by shutting our sending side, so that the server sees the end of
 * the stream and the lab reads until it closes. */
#ifndef WIRELAB_CONN_H
#define WIRELAB_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "client.h"
#include "style.h"

#define CONN_PLAN_MAX 16   /* requests of one send that the lab follows one by one */
#define CONN_EVENTS_MAX 48 /* events kept per connection */
#define CONN_LOGS_MAX 8    /* connections kept for trace */
#define CONN_LABEL_LEN 320
#define CONN_TEXT_LEN 96
#define CONN_CONTINUE_WAIT_MS 1000 /* as curl: the body goes after 1 s without 100 Continue */

/* What the lab sends, read as a server would read it. */
struct conn_plan {
	size_t complete;         /* whole, well-formed requests at the start of the bytes */
	bool whole;              /* the bytes are exactly those requests, nothing more */
	bool last_closes;        /* the last one asks to close (Connection: close, HTTP/1.0) */
	size_t pause_at;         /* Expect: 100-continue: send this much, wait; 0: no pause */
	char methods[CONN_PLAN_MAX][16];
	char lines[CONN_PLAN_MAX][CONN_TEXT_LEN]; /* request lines, for the trace */
	size_t sizes[CONN_PLAN_MAX];              /* bytes of each request */
	char rest[CONN_TEXT_LEN]; /* what the bytes after them are, for the trace */
};

/* conn_plan — reads req[0..len) into *p. Returns 0, or -1 when out of memory. */
int conn_plan(const unsigned char *req, size_t len, struct conn_plan *p);

/* What may happen on a connection, drawn by trace. */
enum conn_event_kind {
	CONN_CONNECT,      /* the lab connected */
	CONN_REUSE,        /* the lab sends on a connection kept from before */
	CONN_REQUEST,      /* a request (or its head, before 100 Continue) went out */
	CONN_BODY,         /* the body, after 100 Continue or the wait for it */
	CONN_HALF_CLOSE,   /* the lab shut its sending side: no more requests */
	CONN_INTERIM,      /* a 1xx response */
	CONN_RESPONSE,     /* a final response */
	CONN_UNPARSED,     /* bytes that are not a response */
	CONN_KEPT,         /* the server left the connection open */
	CONN_SERVER_CLOSE, /* the server closed (FIN) */
	CONN_SERVER_RESET, /* the server reset it (RST) */
	CONN_CLIENT_CLOSE, /* the lab closed it */
	CONN_GAVE_UP,      /* a time limit or Ctrl-C ended the wait */
};

struct conn_event {
	enum conn_event_kind kind;
	int64_t at_us;             /* since the connection was opened */
	int status;                /* CONN_INTERIM, CONN_RESPONSE */
	size_t bytes;              /* on the wire */
	char text[CONN_TEXT_LEN];  /* the request line, "200 OK", why it closed */
};

/* One connection's story. */
struct conn_log {
	int id;                    /* 1 for the shell's first connection */
	char label[CONN_LABEL_LEN]; /* "127.0.0.1:8080 (lesson 03)" */
	int64_t opened_us;         /* monotonic clock */
	struct conn_event events[CONN_EVENTS_MAX];
	size_t n;
	size_t dropped;            /* events that did not fit */
	bool ended;
};

/* The lab's connections: the one kept open, if any, and the latest logs. */
struct conns {
	int fd;                    /* the kept connection, or -1 */
	int kept_id;               /* its log's id (other connections may have come since) */
	char host[256];
	int port;
	int requests;              /* requests sent on the kept one so far */
	int64_t idle_since_us;     /* when its last exchange ended */
	struct conn_log logs[CONN_LOGS_MAX]; /* ring: log of id k is logs[(k - 1) % MAX] */
	int last_id;               /* 0 before the first connection */
};

/* conns_new, conns_free — the lab's connections; conns_free closes the kept one. */
struct conns *conns_new(void);
void conns_free(struct conns *c);

/* conns_open — a log for a connection to label made since started_us (conn_now_us),
 * its connect logged; returns it. */
struct conn_log *conns_open(struct conns *c, const char *label, int64_t started_us);

/* conns_log — the log of connection id, or NULL when it is gone from the ring. */
struct conn_log *conns_log(struct conns *c, int id);

/* conns_take — the kept connection when it goes to host:port and is still open (its log
 * in *log), else -1; a kept connection to elsewhere is closed by the lab, and one the
 * server has closed meanwhile is logged as such (*closed_note says so, for a message). */
int conns_take(struct conns *c, const char *host, int port, struct conn_log **log,
               bool *closed_note);

/* conns_keep — keeps fd, whose story is log, open for the next request to host:port;
 * requests have been sent on it so far. */
void conns_keep(struct conns *c, const struct conn_log *log, int fd, const char *host, int port,
                int requests);

/* conns_close — the lab closes fd (logged in log unless the connection has ended). */
void conns_close(struct conns *c, struct conn_log *log, int fd);

/* What conns_idle saw on the kept connection. */
enum conn_idle {
	CONN_IDLE_NOTHING,     /* nothing happened, or no connection is kept */
	CONN_IDLE_CLOSED,      /* the server closed it (FIN or RST): it is gone */
	CONN_IDLE_DATA,        /* the server sent bytes nobody asked for (counted in *n) */
};

/* conns_idle — reads the kept connection once it is readable (poll conns->fd). */
enum conn_idle conns_idle(struct conns *c, size_t *n, double *idle_s);

/* conn_exchange — sends req on fd as plan says and reads the answers: until the
 * planned requests are all answered (then, unless a close is expected, a short moment
 * for a close that follows at once), until the server closes, or the wait ends. Every
 * step goes into log. out as for client_exchange; out->closed tells whether the
 * connection ended. Returns a client_status. */
int conn_exchange(int fd, const unsigned char *req, size_t len, const struct conn_plan *plan,
                  size_t max_bytes, const struct client_wait *w, struct client_reply *out,
                  struct conn_log *log, char err[LIMIT_ERR_LEN]);

/* conn_trace — draws a connection's log as a ladder: time, client on the left, server
 * on the right, an arrow per step. Plain text unless st asks for colour. */
void conn_trace(FILE *out, const struct style *st, const struct conn_log *log);

/* conn_now_us — the monotonic clock of the logs, in microseconds. */
int64_t conn_now_us(void);

#endif
