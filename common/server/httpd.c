/* httpd.c — one connection, many requests.
 *
 * One request, top to bottom through this file:
 *
 *   conn_turn       the pool (pool.h) says bytes have arrived: take them all
 *   serve_buffered  head: parse it (http_parse_request); refuse it, or, once complete,
 *   one_request       body:    read_body, the whole body the head announced
 *                     route:   dispatch picks the route (or answers 501, 404, 405)
 *                     handler: the route's handler writes the response
 *                     finish:  res_finish completes it; the connection stays or ends
 *
 * then back to serve_buffered for the next pipelined head, and to the pool with the
 * deadline for the next bytes. The connection's buffer and refusals come first, the
 * linger after a close and the pool's other calls last. */
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
	char *body;          /* the current request's body, grown to fit (body_room) */
	size_t body_cap;
	char line[256];      /* the request line, for the log */
	struct http_head head; /* the current request's, as parsed */
	struct response res;
	char buf[CONN_BUF];
};

/* What follows a request: the next one, or the end of the connection. */
enum next { NEXT_REQUEST, CLOSE_NOW, CLOSE_LINGERING };

/* read_body's answer when the client went away: nobody is left to answer. */
#define BODY_GONE (-1)

static int64_t serve_buffered(struct conn *c);
static enum next one_request(struct conn *c, size_t head_len);
static int read_body(struct conn *c, struct request *req, const char **why);
static void dispatch(struct conn *c, const struct request *req);
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

/* ---- the pool's turn, and the head ------------------------------------------------- */

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
		/* The client went away, perhaps mid-head: nobody to answer. */
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			return POOL_CLOSE;
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

/* serve_buffered — answers every complete request in buf (pipelined ones too); then
 * the deadline for the next bytes: LIMIT_HEAD_TIME_MS for a head begun (or the first
 * one, from the accept), LIMIT_KEEPALIVE_IDLE_MS for a kept-alive connection. */
static int64_t serve_buffered(struct conn *c)
{
	while (c->len > 0) {
		int rc = http_parse_request(c->buf, c->len, &c->head);
		if (rc == PARSE_INCOMPLETE)
			return c->deadline;
		if (rc == PARSE_BAD) {
			remember_line(c);
			refuse(c, c->head.status, c->head.error);
			return start_linger(c);
		}
		enum next next = one_request(c, (size_t)rc);
		if (next == CLOSE_NOW)
			return POOL_CLOSE;
		if (next == CLOSE_LINGERING)
			return start_linger(c);
		c->started = c->len > 0;
		c->deadline = net_now_ms() +
		              (c->started ? LIMIT_HEAD_TIME_MS : LIMIT_KEEPALIVE_IDLE_MS);
	}
	return c->deadline;
}

/* one_request — the head of head_len bytes at the start of buf is complete: read the
 * body, let the route's handler answer, finish. */
static enum next one_request(struct conn *c, size_t head_len)
{
	const struct http_head *head = &c->head;
	struct request req = {
		.head = head, .method = head->method, .path = head->path, .query = head->query,
		.client = c->peer->addr, .client_port = c->peer->port,
	};
	const char *why = NULL;

	consume(c, head_len);
	snprintf(c->line, sizeof c->line, "%s %s HTTP/1.%d", head->method, head->target,
	         head->version % 10);
	int status = read_body(c, &req, &why);
	if (status == BODY_GONE)
		return CLOSE_LINGERING;
	if (status != 0) {
		refuse(c, status, why);
		return CLOSE_LINGERING;
	}
	res_init(&c->res, c->fd, head, c->peer->addr, c->line);
	dispatch(c, &req);
	return finish(c);
}

/* ---- the body ----------------------------------------------------------------------- */

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
 * LIMIT_BODY_IDLE_MS for them: 0, BODY_GONE, or 408. */
static int body_bytes(struct conn *c)
{
	if (c->len > 0)
		return 0;
	ssize_t n = read_more(c, net_now_ms() + LIMIT_BODY_IDLE_MS);
	if (n == NET_TIMEOUT)
		return HTTP_REQUEST_TIMEOUT;
	return n > 0 ? 0 : BODY_GONE;
}

/* read_length_body — Content-Length bytes, each read within LIMIT_BODY_IDLE_MS, into
 * the body buffer: 0, BODY_GONE or a status. */
static int read_length_body(struct conn *c, size_t want)
{
	size_t have = 0;

	if (!body_room(c, want))
		return HTTP_INTERNAL_SERVER_ERROR;
	while (have < want) {
		int rc = body_bytes(c);
		if (rc != 0)
			return rc;
		size_t take = c->len < want - have ? c->len : want - have;
		memcpy(c->body + have, c->buf, take);
		have += take;
		consume(c, take);
	}
	return 0;
}

/* read_chunked_body — decodes what arrives into the body buffer until the last chunk,
 * *have bytes so far: 0, BODY_GONE, or a status with *why (the decoder's reason). */
static int read_chunked_body(struct conn *c, size_t *have, const char **why)
{
	/* A head that ended its lines in CRLF gets no bare LF in the body's framing: a
	 * parser that takes only CRLF would find another end there. */
	struct http_chunked d = {.limit = c->cfg->max_body, .crlf_only = !c->head.bare_lf};

	for (;;) {
		int rc = body_bytes(c);
		if (rc != 0)
			return rc;
		size_t decoded;
		if (!body_room(c, *have + c->len)) /* decoding never makes bytes longer */
			return HTTP_INTERNAL_SERVER_ERROR;
		long used = http_chunked_decode(&d, c->buf, c->len, c->body + *have, &decoded);
		*have += decoded;
		if (used == PARSE_BAD) {
			*why = d.error;
			return d.status;
		}
		consume(c, used == PARSE_INCOMPLETE ? c->len : (size_t)used);
		if (used != PARSE_INCOMPLETE)
			return 0; /* what is left in buf is the next request */
	}
}

/* read_body — the body the head announced, whole, before the handler runs, into
 * req->body. Returns 0; BODY_GONE when the client went away; or the status to refuse
 * the request with (*why: the reason, or NULL when the status says it all). */
static int read_body(struct conn *c, struct request *req, const char **why)
{
	static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
	const struct http_head *head = &c->head;
	size_t have = 0;
	int rc;

	req->body = "";
	req->body_len = 0;
	if (head->framing == HTTP_BODY_NONE)
		return 0;
	if (head->framing == HTTP_BODY_LENGTH && head->content_length > c->cfg->max_body)
		return HTTP_CONTENT_TOO_LARGE; /* refused before a byte of it is read */
	/* The client waits for this before sending the body (RFC 9110 §10.1.1). */
	if (head->expect_continue && c->len == 0 &&
	    net_send_all(c->fd, go_on, sizeof go_on - 1) < 0)
		return BODY_GONE;
	if (head->framing == HTTP_BODY_LENGTH) {
		have = (size_t)head->content_length;
		rc = read_length_body(c, have);
	} else {
		rc = read_chunked_body(c, &have, why);
	}
	if (rc != 0)
		return rc;
	if (!body_room(c, have))
		return HTTP_INTERNAL_SERVER_ERROR;
	c->body[have] = '\0';
	req->body = c->body;
	req->body_len = have;
	return 0;
}

/* ---- the route and its handler ------------------------------------------------------ */

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
static void dispatch(struct conn *c, const struct request *req)
{
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

/* ---- finish ------------------------------------------------------------------------- */

/* finish — completes the handler's response; what comes next. */
static enum next finish(struct conn *c)
{
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
	for (;;) {
		ssize_t n = recv(c->fd, c->buf, sizeof c->buf, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return c->deadline;
		if (n <= 0)
			return POOL_CLOSE;
		c->drained += (size_t)n;
		if (c->drained >= LIMIT_LINGER_BYTES)
			return POOL_CLOSE;
	}
}

/* ---- the pool's other calls --------------------------------------------------------- */

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
