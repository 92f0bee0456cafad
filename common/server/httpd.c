/* httpd.c — one connection, many requests. */
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

#define CONN_BUF (LIMIT_HEADERS_TOTAL + 16 * 1024) /* a whole head plus read-ahead */
#define CLOSE_QUIETLY 0

const char httpd_busy[] =
	"HTTP/1.1 503 Service Unavailable\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"Content-Length: 32\r\n"
	"Retry-After: 1\r\n"
	"Connection: close\r\n"
	"\r\n"
	"Too many connections; try again\n";

/* Everything one connection owns, from open to end (the pool's slot owns it). */
struct conn {
	int fd;
	const struct httpd *cfg;
	const struct net_peer *peer;
	bool started;        /* a head is due: the first one, or bytes of a later one came */
	bool lingering;      /* our side is shut; what still arrives is dropped (linger) */
	int64_t deadline;    /* for the head awaited, the idle keep-alive, or the linger */
	size_t drained;      /* bytes dropped while lingering */
	size_t len;          /* unconsumed bytes in buf */
	char *body;
	size_t body_cap;
	char line[256];      /* the request line, for the log */
	struct http_request req;
	struct response res;
	char buf[CONN_BUF];
};

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

/* consume — drops n bytes from the front of the buffer (they have been used). */
static void consume(struct conn *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* read_more — appends what arrives before deadline; <= 0 as net_read. */
static ssize_t read_more(struct conn *c, int64_t deadline)
{
	ssize_t n = net_read(c->fd, c->buf + c->len, sizeof c->buf - c->len - 1, deadline);
	if (n > 0) {
		c->len += (size_t)n;
		c->buf[c->len] = '\0';
	}
	return n;
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

/* body_room — makes the body buffer hold need bytes plus a NUL. */
static bool body_room(struct conn *c, size_t need)
{
	if (need + 1 <= c->body_cap)
		return true;
	size_t cap = c->body_cap ? c->body_cap : 16 * 1024;
	while (cap < need + 1)
		cap *= 2;
	char *p = realloc(c->body, cap);
	if (!p)
		return false;
	c->body = p;
	c->body_cap = cap;
	return true;
}

/* body_bytes — makes sure some body bytes are buffered, waiting at most
 * LIMIT_BODY_IDLE_MS for them: 1, CLOSE_QUIETLY, or -408. */
static int body_bytes(struct conn *c)
{
	if (c->len > 0)
		return 1;
	ssize_t n = read_more(c, net_now_ms() + LIMIT_BODY_IDLE_MS);
	if (n == NET_TIMEOUT)
		return -HTTP_REQUEST_TIMEOUT;
	return n > 0 ? 1 : CLOSE_QUIETLY;
}

/* read_length_body — Content-Length bytes, each read within LIMIT_BODY_IDLE_MS. */
static int read_length_body(struct conn *c, size_t want)
{
	size_t have = 0;

	if (!body_room(c, want))
		return -HTTP_INTERNAL_SERVER_ERROR;
	while (have < want) {
		int rc = body_bytes(c);
		if (rc <= 0)
			return rc;
		size_t take = c->len < want - have ? c->len : want - have;
		memcpy(c->body + have, c->buf, take);
		have += take;
		consume(c, take);
	}
	c->req.body_len = have;
	return 1;
}

/* read_chunked_body — decodes in the connection buffer, collects in the body buffer. */
static int read_chunked_body(struct conn *c)
{
	struct http_chunked d = {.limit = c->cfg->max_body};
	size_t have = 0;

	for (;;) {
		int rc = body_bytes(c);
		if (rc <= 0)
			return rc;
		size_t decoded = c->len;
		long rest = http_chunked_decode(&d, c->buf, &decoded);
		if (rest == HTTP_CHUNKED_BAD)
			return -HTTP_BAD_REQUEST;
		if (rest == HTTP_CHUNKED_TOO_BIG)
			return -HTTP_CONTENT_TOO_LARGE;
		if (!body_room(c, have + decoded))
			return -HTTP_INTERNAL_SERVER_ERROR;
		memcpy(c->body + have, c->buf, decoded);
		have += decoded;
		c->len = rest >= 0 ? (size_t)rest : 0;
		memmove(c->buf, c->buf + decoded, c->len);
		if (rest >= 0) {
			c->req.body_len = have;
			return 1;
		}
	}
}

/* read_body — the body the head announced, whole, before the handler runs. */
static int read_body(struct conn *c)
{
	static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
	struct http_request *req = &c->req;
	int rc = 1;

	req->body = "";
	req->body_len = 0;
	if (req->framing == HTTP_BODY_NONE)
		return 1;
	if (req->framing == HTTP_BODY_LENGTH && req->content_length > c->cfg->max_body)
		return -HTTP_CONTENT_TOO_LARGE; /* refused before a byte of it is read */
	/* The client waits for this before sending the body (RFC 9110 §10.1.1). */
	if (req->expect_continue && c->len == 0 &&
	    net_send_all(c->fd, go_on, sizeof go_on - 1) < 0)
		return CLOSE_QUIETLY;
	if (req->framing == HTTP_BODY_LENGTH)
		rc = read_length_body(c, (size_t)req->content_length);
	else
		rc = read_chunked_body(c);
	if (rc > 0 && body_room(c, req->body_len)) {
		c->body[req->body_len] = '\0';
		req->body = c->body;
	} else if (rc > 0) {
		rc = -HTTP_INTERNAL_SERVER_ERROR;
	}
	return rc;
}

/* route_matches — an exact path, or a prefix when the route's path ends in '*'. */
static bool route_matches(const char *route, const char *path)
{
	size_t n = strlen(route);
	if (n > 0 && route[n - 1] == '*')
		return strncmp(route, path, n - 1) == 0;
	return strcmp(route, path) == 0;
}

static const struct route *find_route(const struct route *r, const char *path)
{
	for (; r->handler; r++)
		if (!r->path || route_matches(r->path, path))
			return r;
	return NULL;
}

/* dispatch — 501 for a method nobody here knows, 404 for no route, 405 for a method
 * the route does not take, else the route's handler. */
static void dispatch(struct conn *c)
{
	const struct http_request *req = &c->req;
	struct response *res = &c->res;
	unsigned bit = http_method_bit(req->method);
	const struct route *r = find_route(c->cfg->routes, req->path);
	unsigned allowed = r ? r->methods | (r->methods & HTTP_GET ? HTTP_HEAD : 0) : 0;
	char allow[128];

	if (!bit) {
		res_error(res, HTTP_NOT_IMPLEMENTED, "This server does not implement that method.");
	} else if (!r) {
		res_error(res, HTTP_NOT_FOUND, "There is nothing at this path.");
	} else if (!(bit & allowed)) {
		res_send_response(res, HTTP_METHOD_NOT_ALLOWED);
		res_send_header(res, "Allow", http_methods_format(allowed, allow, sizeof allow));
		res_error_body(res, "This path does not take that method.");
	} else {
		r->handler(req, res, c->cfg->ctx);
	}
}

/* What follows a request: the next one, or the end of the connection. */
enum next { NEXT_REQUEST, CLOSE_NOW, CLOSE_LINGERING };

/* one_request — answers the complete head of head_len bytes at the start of buf. */
static enum next one_request(struct conn *c, int head_len)
{
	static const char bad_chunks[] = "The chunked body is malformed (RFC 9112 section 7.1).";

	consume(c, (size_t)head_len);
	snprintf(c->line, sizeof c->line, "%s %s HTTP/1.%d", c->req.method, c->req.target,
	         c->req.version % 10);
	int rc = read_body(c);
	if (rc == CLOSE_QUIETLY)
		return CLOSE_LINGERING;
	if (rc < 0) {
		refuse(c, -rc, rc == -HTTP_BAD_REQUEST ? bad_chunks : NULL);
		return CLOSE_LINGERING;
	}
	c->req.client = c->peer->addr;
	c->req.client_port = c->peer->port;
	res_init(&c->res, c->fd, &c->req, c->peer->addr, c->line);
	dispatch(c);
	if (res_finish(&c->res))
		return NEXT_REQUEST;
	/* A client that closes sends no more requests (RFC 9112 §9.6). If it said this
	 * was its last and all it sent has been read, nothing can come to reset the
	 * connection under our answer: no need to linger. */
	return !c->req.keep_alive && c->len == 0 ? CLOSE_NOW : CLOSE_LINGERING;
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
	for (;;) {
		ssize_t n = recv(c->fd, c->buf, sizeof c->buf, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return c->deadline;
		if (n <= 0)
			return POOL_CLOSE;
		c->drained += (size_t)n;
		if (c->drained >= LIMIT_BODY_UPLOAD)
			return POOL_CLOSE;
	}
}

/* serve_buffered — answers every complete request in buf (pipelined ones too); then
 * the deadline for the next bytes: LIMIT_HEAD_TIME_MS for a head begun (or the first
 * one, from the accept), LIMIT_KEEPALIVE_IDLE_MS for a kept-alive connection. */
static int64_t serve_buffered(struct conn *c)
{
	while (c->len > 0) {
		int rc = http_parse_request(c->buf, c->len, &c->req);
		if (rc == HTTP_INCOMPLETE)
			return c->deadline;
		if (rc < 0) {
			remember_line(c);
			refuse(c, -rc, c->req.error);
			return start_linger(c);
		}
		enum next next = one_request(c, rc);
		if (next == CLOSE_NOW)
			return POOL_CLOSE;
		if (next == CLOSE_LINGERING)
			return start_linger(c);
		c->started = c->len > 0;
		c->deadline = net_now_ms() + (c->started ? LIMIT_HEAD_TIME_MS : LIMIT_KEEPALIVE_IDLE_MS);
	}
	return c->deadline;
}

/* conn_turn — bytes have arrived: take them, and answer what is complete. The pool
 * tells of bytes that arrive later, not of those already waiting, so it reads until
 * nothing is left (a short read is not enough: the end of stream may wait behind it). */
static int64_t conn_turn(void *arg)
{
	struct conn *c = arg;
	int64_t deadline = c->deadline;

	while (!c->lingering) {
		/* Never full here: the parser refuses a head before it fills the buffer. */
		ssize_t n = read_ready(c);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			return POOL_CLOSE; /* the client went away, perhaps mid-head: nobody to answer */
		if (n < 0 && errno != EINTR)
			return deadline; /* all read */
		if (n > 0 && !c->started) {
			c->started = true; /* the first byte of a later head: it has the head's time */
			c->deadline = net_now_ms() + LIMIT_HEAD_TIME_MS;
		}
		deadline = serve_buffered(c);
		if (deadline == POOL_CLOSE)
			return deadline;
	}
	return linger_more(c);
}

/* conn_expire — no head in time: 408 if one is due, then linger (or close at once when
 * the slot is needed); an idle kept-alive connection is closed without a word. */
static int64_t conn_expire(void *arg, bool evicted)
{
	struct conn *c = arg;

	if (c->lingering || !c->started)
		return POOL_CLOSE;
	/* The pool's loop calls this: it must not wait on a client that reads nothing, so
	 * the 408 goes out only if it fits (nothing else is written to this socket). */
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	remember_line(c);
	refuse(c, HTTP_REQUEST_TIMEOUT, NULL);
	return evicted ? POOL_CLOSE : start_linger(c);
}

/* conn_closing — our answers are all sent; we only wait for the client's close. */
static bool conn_closing(const void *arg)
{
	const struct conn *c = arg;
	return c->lingering;
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
	c->body = NULL;
	c->body_cap = 0;
	return c;
}

static void conn_end(void *arg)
{
	struct conn *c = arg;

	free(c->body);
	free(c);
}

const struct pool_conn_ops httpd_ops = {conn_open, conn_turn, conn_expire, conn_closing,
                                        conn_end};
