/* httpd.c — one connection, many requests.
 *
 * One request, top to bottom through this file:
 *
 *   conn_turn       the pool (pool.h) says bytes have arrived: take them all
 *   serve_buffered  head: parse it (http_parse_request); refuse it, or, once complete,
 *   head_arrived      route:   route picks where its body goes: whole to the route's
 *                              handler, in pieces to its reader, or (no route) nowhere
 *   body_arrived      body:    each read's bytes, decoded, go there; when none are left
 *                              the turn ends and the connection waits in the pool for more
 *   body_complete     answer:  the handler (or the reader's end, or 501/404/405) writes
 *                              the response
 *   finish                     res_finish completes it; the connection stays or ends
 *
 * then back to serve_buffered for the next pipelined head, and to the pool with the
 * deadline for the next bytes. A turn never waits for a client: a slow head or a slow
 * body costs a parked connection, not a thread. The connection's buffer and refusals
 * come first, the linger after a close and the pool's other calls last. */
#include "httpd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "limit.h"
#include "log.h"

#define CONN_BUF (LIMIT_HEADERS_TOTAL + LIMIT_READ_AHEAD) /* a whole head plus read-ahead */

const char httpd_busy[] =
	"HTTP/1.1 503 Service Unavailable\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"Content-Length: 32\r\n"
	"Retry-After: 1\r\n"
	"Connection: close\r\n"
	"\r\n"
	"Too many connections; try again\n";

/* Where the bytes of the body being read go. */
enum sink {
	SINK_HANDLER,  /* kept whole in conn.whole; the route's handler runs once all are in */
	SINK_READER,   /* handed to the route's reader (httpd.h) piece by piece */
	SINK_NO_ROUTE, /* dropped; then 501, 404 or 405, as if a handler had read it */
	SINK_ANSWERED, /* dropped; the reader refused at its start, and the answer is
	                * written but not yet finished */
	SINK_DROP,     /* dropped; the answer is out */
};

/* The body of the request being served, while it arrives. */
struct body {
	bool open;             /* bytes of it are still to come: the turn feeds them here */
	bool chunked;          /* framed in chunks (dechunk), else Content-Length (left) */
	uint64_t left;
	struct http_chunked dechunk;
	enum sink sink;
	httpd_handler handler;            /* SINK_HANDLER: the route's */
	const struct body_reader *reader; /* SINK_READER: the route's, and its state */
	void *state;
	unsigned method;       /* SINK_NO_ROUTE: the request's method bit (0: none we know) */
	unsigned allowed;      /* SINK_NO_ROUTE: the methods the path takes (0: no path) */
	bool keep;             /* SINK_DROP: the connection stays once the body is in */
};

/* Everything one connection owns, from open to end (the pool's slot owns it). */
struct conn {
	int fd;
	const struct httpd *cfg;
	const struct net_peer *peer;
	bool started;        /* a head is due: the first one, or bytes of a later one came */
	bool lingering;      /* our side is shut; what still arrives is dropped (linger) */
	int64_t deadline;    /* for the head or body awaited, the keep-alive, or the linger */
	size_t drained;      /* bytes dropped while lingering */
	size_t len;          /* unconsumed bytes in buf */
	char line[256];      /* the request line, for the log */
	struct http_head head; /* the current request's, as parsed */
	struct request req;  /* what its handler or reader is given */
	struct body body;
	char *whole;         /* SINK_HANDLER: the body so far, grown to fit (whole_room) */
	size_t whole_len, whole_cap;
	struct response res;
	char buf[CONN_BUF];
};

/* What follows a step: the body's next bytes, the next request, or the end. */
enum next { MORE_BODY, NEXT_REQUEST, CLOSE_NOW, CLOSE_LINGERING };

/* body_failed's status when the client went away: nobody is left to answer. */
#define BODY_GONE (-1)

static int64_t serve_buffered(struct conn *c);
static enum next head_arrived(struct conn *c, size_t head_len);
static enum next body_arrived(struct conn *c);
static enum next body_failed(struct conn *c, int status, const char *why);
static void route(struct conn *c);
static void no_route(struct conn *c);
static enum next finish(struct conn *c);
static int64_t start_linger(struct conn *c);
static int64_t linger_more(struct conn *c);

/* ---- the connection's buffer -------------------------------------------------------- */

/* consume — drops n bytes from the front of the buffer (they have been used). */
static void consume(struct conn *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* read_ready — appends what has arrived, without waiting: > 0 bytes, 0 at end of
 * stream, -1 with errno (EAGAIN: nothing yet). */
static ssize_t read_ready(struct conn *c)
{
	ssize_t n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len - 1, MSG_DONTWAIT);
	if (n > 0) {
		c->len += (size_t)n;
		c->buf[c->len] = '\0';
	}
	return n;
}

/* ---- refusals: requests that never reach a handler ---------------------------------- */

static const char *refusal(int status)
{
	switch (status) {
	case HTTP_REQUEST_TIMEOUT: return "The request did not arrive in time.";
	case HTTP_CONTENT_TOO_LARGE: return "The request body is larger than this server accepts.";
	case HTTP_URI_TOO_LONG: return "The request line is longer than this server accepts.";
	case HTTP_HEADERS_TOO_LARGE: return "The request header fields are too large.";
	case HTTP_EXPECTATION_FAILED: return "Only the expectation 100-continue is understood.";
	case HTTP_NOT_IMPLEMENTED: return "This server does not implement that method or coding.";
	case HTTP_VERSION_NOT_SUPPORTED: return "This server speaks HTTP/1.0 and HTTP/1.1 only.";
	default: return "The request is malformed.";
	}
}

/* remember_line — the first line as sent, for the access log of a refused request. */
static void remember_line(struct conn *c)
{
	c->buf[c->len] = '\0'; /* a client that sent nothing left buf unset: read no further */
	size_t n = strcspn(c->buf, "\r\n");
	if (n > c->len)
		n = c->len;
	if (n >= sizeof c->line)
		n = sizeof c->line - 1;
	memcpy(c->line, c->buf, n);
	c->line[n] = '\0';
}

/* refuse — answers a request that never reached a handler, then the connection ends.
 * why is the parser's reason, when it gave one. */
static void refuse(struct conn *c, int status, const char *why)
{
	if (why)
		log_message(c->peer->addr, "refused: %s", why);
	res_init(&c->res, c->fd, NULL, c->peer->addr, c->line);
	res_error(&c->res, status, why ? why : refusal(status));
	res_finish(&c->res);
}

/* ---- the pool's turn ---------------------------------------------------------------- */

/* conn_turn — bytes have arrived: take them, and answer what is complete. The pool
 * tells of bytes that arrive later, not of those already waiting, so it reads until
 * nothing is left (a short read is not enough: the end of stream may wait behind it). */
static int64_t conn_turn(void *arg)
{
	struct conn *c = arg;
	int64_t deadline = c->deadline;

	while (!c->lingering) {
		/* Never full here: the parser refuses a head before it fills the buffer, and
		 * a body's bytes are taken out of it as soon as they are read. */
		ssize_t n = read_ready(c);
		/* The client went away, perhaps mid-head or mid-body: nobody to answer. */
		bool gone = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		                       errno != EINTR);
		if (gone) {
			if (c->body.open)
				body_failed(c, BODY_GONE, NULL);
			return POOL_CLOSE;
		}
		if (n < 0 && errno != EINTR)
			return deadline; /* all read */
		if (n > 0 && !c->started) {
			/* The first byte of a later head: from now on it has the head's time. */
			c->started = true;
			c->deadline = net_now_ms() + LIMIT_HEAD_TIME_MS;
		}
		deadline = serve_buffered(c);
		if (deadline == POOL_CLOSE)
			return deadline;
	}
	return linger_more(c);
}

/* serve_buffered — takes what buf holds: the rest of a body begun, then every complete
 * request (pipelined ones too). Returns the deadline for the next bytes:
 * LIMIT_BODY_IDLE_MS for a body begun, LIMIT_HEAD_TIME_MS for a head begun (or the
 * first one, from the accept), LIMIT_KEEPALIVE_IDLE_MS for a kept-alive connection. */
static int64_t serve_buffered(struct conn *c)
{
	while (c->len > 0) {
		enum next next;
		if (c->body.open) {
			next = body_arrived(c);
		} else {
			int rc = http_parse_request(c->buf, c->len, &c->head);
			if (rc == PARSE_INCOMPLETE)
				return c->deadline;
			if (rc == PARSE_BAD) {
				remember_line(c);
				refuse(c, c->head.status, c->head.error);
				return start_linger(c);
			}
			next = head_arrived(c, (size_t)rc);
		}
		if (next == CLOSE_NOW)
			return POOL_CLOSE;
		if (next == CLOSE_LINGERING)
			return start_linger(c);
		if (next == MORE_BODY) {
			c->deadline = net_now_ms() + LIMIT_BODY_IDLE_MS;
			continue; /* buf is empty now: wait for the body's next bytes */
		}
		c->started = c->len > 0;
		c->deadline = net_now_ms() +
		              (c->started ? LIMIT_HEAD_TIME_MS : LIMIT_KEEPALIVE_IDLE_MS);
	}
	return c->deadline;
}

/* ---- the head, and the route -------------------------------------------------------- */

/* whole_room — makes conn.whole hold need bytes plus a NUL. */
static bool whole_room(struct conn *c, size_t need)
{
	if (need + 1 <= c->whole_cap)
		return true;
	size_t cap = c->whole_cap ? c->whole_cap : 16 * 1024;
	while (cap < need + 1)
		cap *= 2;
	char *p = realloc(c->whole, cap);
	if (!p)
		return false;
	c->whole = p;
	c->whole_cap = cap;
	return true;
}

/* open_body — the head announced a body: get ready to take it as it comes. */
static enum next open_body(struct conn *c)
{
	static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
	const struct http_head *head = &c->head;
	struct body *b = &c->body;

	b->open = true;
	b->chunked = head->framing == HTTP_BODY_CHUNKED;
	b->left = b->chunked ? 0 : head->content_length;
	/* A head that ended its lines in CRLF gets no bare LF in the body's framing: a
	 * parser that takes only CRLF would find another end there. */
	b->dechunk = (struct http_chunked){.limit = c->cfg->max_body, .crlf_only = !head->bare_lf};
	if (b->sink == SINK_HANDLER && !whole_room(c, b->chunked ? 0 : (size_t)b->left))
		return body_failed(c, HTTP_INTERNAL_SERVER_ERROR, "Out of memory.");
	if (b->sink == SINK_ANSWERED) {
		b->sink = SINK_DROP;
		b->keep = res_finish(&c->res);
		return b->keep ? MORE_BODY : CLOSE_LINGERING;
	}
	/* The client waits for this before sending the body (RFC 9110 §10.1.1). */
	if (head->expect_continue && c->len == 0 &&
	    net_send_all(c->fd, go_on, sizeof go_on - 1) < 0)
		return body_failed(c, BODY_GONE, NULL);
	return MORE_BODY;
}

/* body_complete — the body is all in (or there was none): the handler or reader
 * answers, unless that was done already. */
static enum next body_complete(struct conn *c)
{
	struct body *b = &c->body;

	b->open = false;
	switch (b->sink) {
	case SINK_HANDLER:
		c->req.body = c->whole ? c->whole : "";
		c->req.body_len = c->whole_len;
		if (c->whole)
			c->whole[c->whole_len] = '\0';
		b->handler(&c->req, &c->res, c->cfg->ctx);
		break;
	case SINK_READER:
		b->reader->end(b->state, &c->req, &c->res);
		b->state = NULL;
		break;
	case SINK_NO_ROUTE:
		no_route(c);
		break;
	case SINK_ANSWERED:
		break;
	case SINK_DROP:
		return b->keep ? NEXT_REQUEST : CLOSE_LINGERING;
	}
	return finish(c);
}

/* head_arrived — the head of head_len bytes at the start of buf is complete: route it,
 * then take its body, or answer at once when it has none. */
static enum next head_arrived(struct conn *c, size_t head_len)
{
	const struct http_head *head = &c->head;

	consume(c, head_len);
	snprintf(c->line, sizeof c->line, "%s %s HTTP/1.%d", head->method, head->target,
	         head->version % 10);
	c->req = (struct request){
		.head = head, .method = head->method, .path = head->path, .query = head->query,
		.body = "", .client = c->peer->addr, .client_port = c->peer->port,
	};
	c->whole_len = 0; /* the buffer may still hold the last request's body */
	if (head->framing == HTTP_BODY_LENGTH && head->content_length > c->cfg->max_body) {
		refuse(c, HTTP_CONTENT_TOO_LARGE, NULL); /* before a byte of it is read */
		return CLOSE_LINGERING;
	}
	res_init(&c->res, c->fd, head, c->peer->addr, c->line);
	route(c);
	if (head->framing == HTTP_BODY_NONE ||
	    (head->framing == HTTP_BODY_LENGTH && head->content_length == 0))
		return body_complete(c);
	return open_body(c);
}

/* route_matches — an exact path, or a prefix when the route's path ends in '*'. */
static bool route_matches(const char *route, const char *path)
{
	size_t n = strlen(route);
	if (n > 0 && route[n - 1] == '*')
		return strncmp(route, path, n - 1) == 0;
	return strcmp(route, path) == 0;
}

static bool same_path(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* find_route — the first path in the table that matches decides; of its lines, the one
 * that takes method (NULL when none does). *allowed: the methods its lines take, HEAD
 * with GET; 0 when no path matches. */
static const struct route *find_route(const struct route *r, const char *path,
                                      unsigned method, unsigned *allowed)
{
	const struct route *first = NULL, *found = NULL;

	*allowed = 0;
	for (; r->methods; r++) {
		if (!first && (!r->path || route_matches(r->path, path)))
			first = r;
		if (!first || !same_path(first->path, r->path))
			continue;
		unsigned takes = r->methods | (r->methods & HTTP_GET ? HTTP_HEAD : 0);
		*allowed |= takes;
		if (!found && (takes & method))
			found = r;
	}
	return found;
}

/* route — where the body goes: whole to the route's handler, in pieces to its reader
 * (which may refuse at once), or, with no route for the request, nowhere. */
static void route(struct conn *c)
{
	struct body *b = &c->body;
	unsigned bit = http_method_bit(c->req.method);

	*b = (struct body){.sink = SINK_NO_ROUTE, .method = bit};
	const struct route *r = find_route(c->cfg->routes, c->req.path, bit, &b->allowed);
	if (!r || !bit)
		return;
	if (r->reader) {
		/* A client waiting for 100 Continue that is refused instead may never send
		 * the body (RFC 9110 §10.1.1): a refusal says the connection ends. */
		bool was = c->res.close;
		c->res.close |= c->head.expect_continue && c->len == 0 &&
		                c->head.framing != HTTP_BODY_NONE;
		b->reader = r->reader;
		b->state = r->reader->start(&c->req, &c->res, c->cfg->ctx);
		b->sink = b->state ? SINK_READER : SINK_ANSWERED;
		if (b->state)
			c->res.close = was;
	} else {
		b->handler = r->handler;
		b->sink = SINK_HANDLER;
	}
}

/* no_route — 501 for a method nobody here knows, 404 for a path no route takes, 405
 * for a method the path's routes do not take. */
static void no_route(struct conn *c)
{
	struct response *res = &c->res;
	char allow[128];

	if (!c->body.method) {
		res_error(res, HTTP_NOT_IMPLEMENTED, "This server does not implement that method.");
	} else if (!c->body.allowed) {
		res_error(res, HTTP_NOT_FOUND, "There is nothing at this path.");
	} else {
		res_send_response(res, HTTP_METHOD_NOT_ALLOWED);
		res_send_header(res, "Allow",
		                http_methods_format(c->body.allowed, allow, sizeof allow));
		res_error_body(res, "This path does not take that method.");
	}
}

/* ---- the body ----------------------------------------------------------------------- */

/* deliver — n decoded body bytes at the start of buf go where the route wants them. */
static enum next deliver(struct conn *c, size_t n)
{
	struct body *b = &c->body;

	if (n == 0 || (b->sink != SINK_HANDLER && b->sink != SINK_READER))
		return MORE_BODY; /* dropped */
	if (b->sink == SINK_HANDLER) {
		if (!whole_room(c, c->whole_len + n)) /* never past max_body: the framing stops */
			return body_failed(c, HTTP_INTERNAL_SERVER_ERROR, "Out of memory.");
		memcpy(c->whole + c->whole_len, c->buf, n);
		c->whole_len += n;
		return MORE_BODY;
	}
	if (b->reader->piece(b->state, c->buf, n) == 0)
		return MORE_BODY;
	/* The reader wants no more: it answers now, and the rest is read and dropped. */
	b->reader->end(b->state, &c->req, &c->res);
	b->state = NULL;
	b->sink = SINK_DROP;
	b->keep = res_finish(&c->res);
	return b->keep ? MORE_BODY : CLOSE_LINGERING;
}

/* body_arrived — buf holds bytes of the body (and perhaps the next request after it):
 * decode them, in place, hand them on, and answer once the body is all in. */
static enum next body_arrived(struct conn *c)
{
	struct body *b = &c->body;
	size_t n, used;
	bool done;

	if (b->chunked) {
		long rc = http_chunked_decode(&b->dechunk, c->buf, c->len, c->buf, &n);
		if (rc == PARSE_BAD)
			return body_failed(c, b->dechunk.status, b->dechunk.error);
		done = rc != PARSE_INCOMPLETE;
		used = done ? (size_t)rc : c->len;
	} else {
		n = used = c->len < b->left ? c->len : (size_t)b->left;
		b->left -= n;
		done = b->left == 0;
	}
	enum next next = deliver(c, n);
	consume(c, used); /* after deliver: the decoded bytes are at the start of buf */
	if (next != MORE_BODY || !done)
		return next;
	return body_complete(c);
}

/* body_failed — the body will not come whole: the reader cleans up, and the client
 * gets status (with why, or NULL when the status says it all) unless it has been
 * answered already or is gone (BODY_GONE). */
static enum next body_failed(struct conn *c, int status, const char *why)
{
	struct body *b = &c->body;
	bool owed = b->sink != SINK_DROP;

	if (b->sink == SINK_READER)
		b->reader->end(b->state, &c->req, NULL);
	b->open = false;
	b->state = NULL;
	b->sink = SINK_DROP;
	if (status == BODY_GONE)
		return CLOSE_NOW;
	if (owed)
		refuse(c, status, why);
	return CLOSE_LINGERING;
}

/* ---- finish ------------------------------------------------------------------------- */

/* finish — completes the handler's response; what comes next. */
static enum next finish(struct conn *c)
{
	/* A big body's buffer is not kept while the connection waits for another. */
	if (c->whole_cap > CONN_BUF) {
		free(c->whole);
		c->whole = NULL;
		c->whole_cap = 0;
	}
	if (res_finish(&c->res))
		return NEXT_REQUEST;
	/* A client that closes sends no more requests (RFC 9112 §9.6). If it said this
	 * was its last and all it sent has been read, nothing can come to reset the
	 * connection under our answer: no need to linger. */
	return !c->head.keep_alive && c->len == 0 ? CLOSE_NOW : CLOSE_LINGERING;
}

/* start_linger — closing while the client is still sending makes the kernel answer
 * its next bytes with a reset, which can destroy our last response (a 413, say)
 * before the client reads it. So, when we close first: end our half, then drop what
 * still comes, for a bounded time and amount (RFC 9112 §9.6), and only then close. */
static int64_t start_linger(struct conn *c)
{
	if (shutdown(c->fd, SHUT_WR) != 0)
		return POOL_CLOSE;
	c->lingering = true;
	c->deadline = net_now_ms() + LIMIT_LINGER_MS;
	return c->deadline;
}

/* linger_more — drops what has arrived; closes at the end of stream or the limit. */
static int64_t linger_more(struct conn *c)
{
	return net_discard(c->fd, &c->drained, LIMIT_LINGER_BYTES) ? c->deadline : POOL_CLOSE;
}

/* ---- the pool's other calls --------------------------------------------------------- */

/* conn_expire — no head or body byte in time: 408 if one is due, then linger (or close
 * at once when the slot is needed); an idle kept-alive connection is closed without a
 * word. */
static int64_t conn_expire(void *arg, bool evicted)
{
	struct conn *c = arg;

	if (c->lingering || !c->started)
		return POOL_CLOSE;
	/* The pool's loop calls this: it must not wait on a client that reads nothing, so
	 * the 408 goes out only if it fits (nothing else is written to this socket). */
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	if (c->body.open) {
		body_failed(c, HTTP_REQUEST_TIMEOUT, NULL);
	} else {
		remember_line(c);
		refuse(c, HTTP_REQUEST_TIMEOUT, NULL);
	}
	return evicted ? POOL_CLOSE : start_linger(c);
}

/* conn_awaits — what the connection waits for: the client's close (our answers are
 * all sent), the rest of a body, the rest of a head (some of it is in buf), or a
 * request. */
static enum pool_wait conn_awaits(const void *arg)
{
	const struct conn *c = arg;

	if (c->lingering)
		return POOL_WAIT_CLOSE;
	if (c->body.open)
		return POOL_WAIT_BODY;
	return c->len > 0 ? POOL_WAIT_HEAD : POOL_WAIT_REQUEST;
}

/* conn_open — a new connection: the first head is due within LIMIT_HEAD_TIME_MS. */
static void *conn_open(int fd, const struct net_peer *peer, void *ctx, int64_t *deadline)
{
	struct conn *c = malloc(sizeof *c);

	if (!c)
		return NULL;
	c->fd = fd;
	c->cfg = ctx;
	c->peer = peer;
	c->started = true;
	c->lingering = false;
	c->deadline = *deadline = net_now_ms() + LIMIT_HEAD_TIME_MS;
	c->drained = 0;
	c->len = 0;
	c->buf[0] = '\0';
	c->body = (struct body){.open = false};
	c->whole = NULL;
	c->whole_cap = c->whole_len = 0;
	return c;
}

/* conn_end — the connection is over; a body still arriving (the server is stopping)
 * is one that never came whole. */
static void conn_end(void *arg)
{
	struct conn *c = arg;

	if (c->body.open)
		body_failed(c, BODY_GONE, NULL);
	free(c->whole);
	free(c);
}

/* conn_ready — whether a newcomer's whole head has arrived, so that the pool admits it
 * before the slow ones: what it sent holds an empty line (a line end followed by CRLF,
 * or by a bare LF: the parser takes a head of bare-LF lines), or is already longer than
 * a head may be (its turn answers 431 at once). A peek, so the bytes stay for the turn.
 * The array is on the loop's stack (the main thread's, 8 MiB), and the kernel copies
 * only what has arrived; pool.c asks again only once that has doubled. */
static bool conn_ready(int fd)
{
	char head[LIMIT_HEADERS_TOTAL + 1];
	ssize_t n = recv(fd, head, sizeof head, MSG_PEEK | MSG_DONTWAIT);

	if (n <= 0)
		return false;
	if ((size_t)n == sizeof head)
		return true;
	const char *end = head + n;
	for (const char *lf = memchr(head, '\n', (size_t)n); lf && end - lf > 1;
	     lf = memchr(lf + 1, '\n', (size_t)(end - lf - 1)))
		if (lf[1] == '\n' || (lf[1] == '\r' && end - lf > 2 && lf[2] == '\n'))
			return true;
	return false;
}

const struct pool_conn_ops httpd_ops = {
	.ready = conn_ready,
	.open = conn_open,
	.turn = conn_turn,
	.expire = conn_expire,
	.awaits = conn_awaits,
	.end = conn_end,
};
