/* conn.c — one exchange on a connection that may stay open, the connection the lab keeps
 * between commands, and the ladder `trace` draws from each connection's log. */
#include "conn.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "net.h"

#define CLOSE_GRACE_MS 100 /* a close that follows the last answer this soon belongs to it */
#define LADDER 60          /* columns between the client's rail and the server's */

int64_t conn_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- reading the request as a server would ------------------------------------------ */

/* body_length — the bytes of the body at p[0..n) that req frames; -1 when it has not
 * all come (or a chunked body is malformed). */
static long body_length(const struct http_head *req, const unsigned char *p, size_t n)
{
	if (req->framing == HTTP_BODY_LENGTH)
		return req->content_length <= n ? (long)req->content_length : -1;
	if (req->framing == HTTP_BODY_NONE)
		return 0;
	/* Counted, not decoded (out NULL), and framed as the server would frame it. */
	struct http_chunked d = {.limit = UINT64_MAX, .crlf_only = !req->bare_lf};
	size_t decoded;
	long used = http_chunked_decode(&d, (const char *)p, n, NULL, &decoded);
	return used < 0 ? -1 : used;
}

/* plan_line — the request line of a parsed head, for the trace. */
static void plan_line(const struct http_head *req, char *out, size_t cap)
{
	snprintf(out, cap, "%s %s HTTP/1.%d", req->method, req->target, req->version % 10);
}

int conn_plan(const unsigned char *req, size_t len, struct conn_plan *p)
{
	struct http_head *r = malloc(sizeof *r);
	size_t off = 0;

	memset(p, 0, sizeof *p);
	if (!r)
		return -1;
	snprintf(p->rest, sizeof p->rest, "not a complete request");
	while (off < len && p->complete < CONN_PLAN_MAX) {
		int head = http_parse_request((const char *)req + off, len - off, r);
		if (head < 0) {
			if (head == PARSE_BAD)
				snprintf(p->rest, sizeof p->rest, "a request a server refuses (%d)",
				         r->status);
			break;
		}
		long body = body_length(r, req + off + head, len - off - (size_t)head);
		if (body < 0) {
			plan_line(r, p->rest, sizeof p->rest);
			snprintf(p->rest + strlen(p->rest), sizeof p->rest - strlen(p->rest),
			         ", its body not all there");
			break;
		}
		size_t k = p->complete++;
		snprintf(p->methods[k], sizeof p->methods[k], "%s", r->method);
		plan_line(r, p->lines[k], sizeof p->lines[k]);
		p->sizes[k] = (size_t)head + (size_t)body;
		p->last_closes = !r->keep_alive;
		if (r->expect_continue && body > 0 && !p->pause_at)
			p->pause_at = off + (size_t)head;
		off += p->sizes[k];
		if (p->last_closes)
			break; /* what follows a last request would never be read */
	}
	p->whole = p->complete > 0 && off == len;
	free(r);
	return 0;
}

/* ---- logs ----------------------------------------------------------------------------- */

/* log_add — appends an event at now to log; returns it, or NULL when it did not fit. */
static struct conn_event *log_add(struct conn_log *log, enum conn_event_kind kind,
                                  size_t bytes, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct conn_event *log_add(struct conn_log *log, enum conn_event_kind kind,
                                  size_t bytes, const char *fmt, ...)
{
	struct conn_event *e;
	va_list ap;

	if (!log)
		return NULL;
	if (log->n == CONN_EVENTS_MAX) {
		log->dropped++;
		return NULL;
	}
	e = &log->events[log->n++];
	*e = (struct conn_event){.kind = kind, .at_us = conn_now_us() - log->opened_us,
	                         .bytes = bytes};
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	va_end(ap);
	if (kind == CONN_SERVER_CLOSE || kind == CONN_SERVER_RESET || kind == CONN_CLIENT_CLOSE)
		log->ended = true;
	return e;
}

struct conns *conns_new(void)
{
	struct conns *c = calloc(1, sizeof *c);

	if (c)
		c->fd = -1;
	return c;
}

void conns_free(struct conns *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		conns_close(c, conns_log(c, c->kept_id), c->fd);
	free(c);
}

struct conn_log *conns_open(struct conns *c, const char *label, int64_t started_us)
{
	struct conn_log *log = &c->logs[c->last_id % CONN_LOGS_MAX];

	memset(log, 0, sizeof *log);
	log->id = ++c->last_id;
	snprintf(log->label, sizeof log->label, "%s", label);
	log->opened_us = started_us;
	log_add(log, CONN_CONNECT, 0, "connect");
	return log;
}

struct conn_log *conns_log(struct conns *c, int id)
{
	if (id <= 0 || id > c->last_id || c->last_id - id >= CONN_LOGS_MAX)
		return NULL;
	return &c->logs[(id - 1) % CONN_LOGS_MAX];
}

void conns_close(struct conns *c, struct conn_log *log, int fd)
{
	if (log && !log->ended)
		log_add(log, CONN_CLIENT_CLOSE, 0, "FIN: the lab closes the connection");
	close(fd);
	if (fd == c->fd)
		c->fd = -1;
}

/* idle_seconds — how long the kept connection has been idle. */
static double idle_seconds(const struct conns *c)
{
	return (double)(conn_now_us() - c->idle_since_us) / 1e6;
}

enum conn_idle conns_idle(struct conns *c, size_t *n, double *idle_s)
{
	char buf[4096];
	struct conn_log *log = conns_log(c, c->kept_id);

	*n = 0;
	*idle_s = c->fd >= 0 ? idle_seconds(c) : 0;
	if (c->fd < 0)
		return CONN_IDLE_NOTHING;
	ssize_t got = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return CONN_IDLE_NOTHING;
	if (got > 0) {
		*n = (size_t)got;
		log_add(log, CONN_UNPARSED, *n, "%zu bytes nobody asked for", *n);
		return CONN_IDLE_DATA;
	}
	if (got == 0)
		log_add(log, CONN_SERVER_CLOSE, 0, "FIN: the server closes (idle %.2f s)", *idle_s);
	else
		log_add(log, CONN_SERVER_RESET, 0, "RST: the server resets (idle %.2f s)", *idle_s);
	close(c->fd);
	c->fd = -1;
	return CONN_IDLE_CLOSED;
}

int conns_take(struct conns *c, const char *host, int port, struct conn_log **log,
               bool *closed_note)
{
	size_t n;
	double idle;

	*closed_note = false;
	*log = NULL;
	if (c->fd < 0)
		return -1;
	if (strcmp(c->host, host) != 0 || c->port != port) {
		conns_close(c, conns_log(c, c->kept_id), c->fd);
		return -1;
	}
	struct pollfd p = {c->fd, POLLIN, 0};
	if (poll(&p, 1, 0) > 0 && conns_idle(c, &n, &idle) == CONN_IDLE_CLOSED) {
		*closed_note = true;
		return -1;
	}
	*log = conns_log(c, c->kept_id);
	if (!*log) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	log_add(*log, CONN_REUSE, 0, "reused after %.2f s idle, for request %d", idle_seconds(c),
	        c->requests + 1);
	int fd = c->fd;
	c->fd = -1; /* the exchange owns it now */
	return fd;
}

void conns_keep(struct conns *c, const struct conn_log *log, int fd, const char *host, int port,
                int requests)
{
	c->fd = fd;
	c->kept_id = log->id;
	snprintf(c->host, sizeof c->host, "%s", host);
	c->port = port;
	c->requests = requests;
	/* idle since its last event (the last byte that came), not since the lab was done */
	c->idle_since_us = log->n ? log->opened_us + log->events[log->n - 1].at_us : conn_now_us();
}

/* ---- one exchange ---------------------------------------------------------------------- */

/* The state of one exchange. */
struct run {
	const unsigned char *req;
	size_t len, sent, limit;   /* bytes sent; sending stops at limit for now */
	const struct conn_plan *plan;
	size_t next_logged;        /* planned requests logged as sent */
	size_t scanned;            /* reply bytes parsed into responses */
	size_t finals;             /* final responses */
	bool bad;                  /* bytes that are not a response came */
	bool interim;              /* a 1xx came */
	bool close_said;           /* a response said Connection: close (or is HTTP/1.0) */
	bool shut;                 /* our sending side is shut */
	int64_t paused_ms;         /* when the pause for 100 Continue began, or -1 */
	int64_t grace_ms;          /* when to stop waiting for a close, or -1 */
	int64_t start_us;
	int64_t last_us;           /* when the last byte came, or 0 */
	struct conn_log *log;
	struct client_response *res;
};

/* says_close — does the response end the connection (Connection: close, or an HTTP/1.0
 * answer without keep-alive)? */
static bool says_close(const struct client_response *r)
{
	const struct span *v = client_header_get(r, "Connection");
	char text[128] = "";

	if (v)
		snprintf(text, sizeof text, "%.*s", (int)v->len, v->p);
	if (strcasestr(text, "close"))
		return true;
	return r->version == 10 && !strcasestr(text, "keep-alive");
}

/* log_sent — logs what the last write completed: planned requests, the head before a
 * pause, the body after it, or bytes that are no complete request. */
static void log_sent(struct run *x)
{
	const struct conn_plan *p = x->plan;
	size_t end = 0;

	for (size_t k = 0; k < p->complete; k++) {
		size_t start = end;
		end += p->sizes[k];
		if (k < x->next_logged)
			continue;
		if (p->pause_at > start && p->pause_at < end && x->sent >= p->pause_at &&
		    x->sent < end && x->paused_ms < 0) {
			log_add(x->log, CONN_REQUEST, p->pause_at - start, "%s, head only",
			        p->lines[k]);
			return;
		}
		if (x->sent < end)
			return;
		if (p->pause_at > start && p->pause_at < end)
			log_add(x->log, CONN_BODY, end - p->pause_at, "its body");
		else
			log_add(x->log, CONN_REQUEST, p->sizes[k], "%s", p->lines[k]);
		x->next_logged = k + 1;
	}
	if (x->sent == x->len && end < x->len && x->next_logged == p->complete) {
		log_add(x->log, CONN_REQUEST, x->len - end, "%s", p->rest);
		x->next_logged++;
	}
}

/* scan_responses — parses the responses that have come in full, logging each. */
static void scan_responses(struct run *x, const struct client_reply *out)
{
	while (!x->bad && x->scanned < out->len) {
		const char *p = (const char *)out->data + x->scanned;
		const char *method =
		        x->finals < x->plan->complete ? x->plan->methods[x->finals] : "GET";
		long n = client_parse_response(p, out->len - x->scanned, method, out->closed,
		                               x->res);
		if (n == PARSE_INCOMPLETE)
			return;
		if (n < 0) {
			x->bad = true;
			log_add(x->log, CONN_UNPARSED, out->len - x->scanned,
			        "bytes that are not a response");
			return;
		}
		const struct client_response *r = x->res;
		bool interim = client_is_interim(r);
		struct conn_event *e =
		        log_add(x->log, interim ? CONN_INTERIM : CONN_RESPONSE, (size_t)n,
		                "%d %.*s", r->status, (int)r->reason.len, r->reason.p);
		if (e)
			e->status = r->status;
		x->scanned += (size_t)n;
		x->interim = x->interim || interim;
		if (!interim) {
			x->finals++;
			x->close_said = x->close_said || says_close(r);
		}
	}
}

/* answered — every planned request has its final answer, and no close is expected. */
static bool answered(const struct run *x)
{
	return x->plan->whole && !x->bad && x->finals >= x->plan->complete;
}

/* next_wait — how long to poll now (ms) before something is due. */
static int next_wait(const struct run *x, const struct client_wait *w, int64_t now)
{
	int64_t until = w->deadline;

	if (x->paused_ms >= 0 && x->paused_ms + CONN_CONTINUE_WAIT_MS < until)
		until = x->paused_ms + CONN_CONTINUE_WAIT_MS;
	if (x->grace_ms >= 0 && x->grace_ms < until)
		until = x->grace_ms;
	int64_t left = until - now;
	return left <= 0 ? 0 : left > 1000 ? 1000 : (int)left;
}

/* step_send — sends more, pauses for 100 Continue, or shuts our side when due. */
static void step_send(struct run *x, int fd, bool writable, int64_t now)
{
	if (writable && x->sent < x->limit) {
		ssize_t n = send(fd, x->req + x->sent, x->limit - x->sent, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			/* the server stopped reading: it may have answered */
			x->sent = x->limit = x->len;
		else if (n > 0)
			x->sent += (size_t)n;
		log_sent(x);
	}
	if (x->sent == x->limit && x->limit < x->len) {
		if (x->paused_ms < 0)
			x->paused_ms = now;
		if (x->interim || x->finals || now >= x->paused_ms + CONN_CONTINUE_WAIT_MS)
			x->limit = x->len;
	}
	if (x->sent == x->len && !x->plan->whole && !x->shut) {
		shutdown(fd, SHUT_WR); /* the server may be waiting for more: there is none */
		x->shut = true;
		log_add(x->log, CONN_HALF_CLOSE, 0, "FIN: the lab has nothing more to send");
	}
}

/* step_read — one recv; returns 1 to go on, 0 at the end of the stream, or CLIENT_ERROR. */
static int step_read(struct run *x, int fd, struct client_reply *out, size_t max_bytes)
{
	ssize_t n = client_read_some(fd, out, max_bytes);

	if (n == CLIENT_RETRY)
		return 1;
	if (n < 0)
		return CLIENT_ERROR;
	if (n == 0) {
		if (!out->closed)
			return 0; /* max_bytes came */
		scan_responses(x, out); /* a body framed by the close is complete now */
		log_add(x->log, out->reset ? CONN_SERVER_RESET : CONN_SERVER_CLOSE, 0,
		        out->reset ? "RST: the server resets the connection"
		                   : "FIN: the server closes");
		return 0;
	}
	x->last_us = conn_now_us();
	if (out->first_us < 0)
		out->first_us = x->last_us - x->start_us;
	scan_responses(x, out);
	return 1;
}

/* kept — the server left the connection open: logged, and timed, at its last byte
 * rather than after the moment the lab waited for a close. */
static void kept(struct run *x, struct client_reply *out)
{
	struct conn_event *e = log_add(x->log, CONN_KEPT, 0, "kept open by the server");

	if (!x->last_us)
		return;
	out->total_us = x->last_us - x->start_us;
	if (!e)
		return;
	e->at_us = x->last_us - x->log->opened_us;
	if (e->at_us < e[-1].at_us) /* never above the answer it follows (the connect is first) */
		e->at_us = e[-1].at_us;
}

/* finish — the status of an exchange that stopped with rc. */
static int finish(int rc, struct run *x, struct client_reply *out, char err[LIMIT_ERR_LEN])
{
	out->total_us = conn_now_us() - x->start_us;
	free(x->res);
	if (rc == CLIENT_TIMEOUT || rc == CLIENT_CANCELLED)
		log_add(x->log, CONN_GAVE_UP, 0,
		        rc == CLIENT_TIMEOUT ? "the lab stops waiting (time limit)"
		                             : "the lab stops waiting (Ctrl-C)");
	else if (rc == 0 && !out->closed)
		kept(x, out);
	return client_exchange_status(rc, out, err);
}

int conn_exchange(int fd, const unsigned char *req, size_t len, const struct conn_plan *plan,
                  size_t max_bytes, const struct client_wait *w, struct client_reply *out,
                  struct conn_log *log, char err[LIMIT_ERR_LEN])
{
	struct run x = {.req = req, .len = len, .limit = plan->pause_at ? plan->pause_at : len,
	                .plan = plan, .paused_ms = -1, .grace_ms = -1, .start_us = conn_now_us(),
	                .log = log, .res = malloc(sizeof *x.res)};
	int rc = 1;

	*out = (struct client_reply){.first_us = -1};
	if (!x.res)
		return finish(CLIENT_ERROR, &x, out, err);
	step_send(&x, fd, false, net_now_ms());
	while (rc > 0) {
		int64_t now = net_now_ms();
		if (now >= w->deadline)
			return finish(CLIENT_TIMEOUT, &x, out, err);
		if (x.grace_ms >= 0 && now >= x.grace_ms)
			break; /* answered, and no close came: the connection stays open */
		struct pollfd p[2] = {{fd, POLLIN, 0}, {w->cancel_fd, POLLIN, 0}};
		if (x.sent < x.limit)
			p[0].events |= POLLOUT;
		int got = poll(p, w->cancel_fd >= 0 ? 2 : 1, next_wait(&x, w, now));
		if (got < 0 && errno != EINTR)
			return finish(CLIENT_ERROR, &x, out, err);
		if (got > 0 && w->cancel_fd >= 0 && p[1].revents)
			return finish(CLIENT_CANCELLED, &x, out, err);
		if (got > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			rc = step_read(&x, fd, out, max_bytes);
		if (rc > 0)
			step_send(&x, fd, got > 0 && (p[0].revents & POLLOUT), net_now_ms());
		if (rc > 0 && answered(&x) && !x.close_said && !plan->last_closes && x.grace_ms < 0)
			x.grace_ms = net_now_ms() + CLOSE_GRACE_MS;
	}
	return finish(rc < 0 ? rc : CLIENT_OK, &x, out, err);
}

/* ---- the ladder ------------------------------------------------------------------------ */

/* when — a time since the connection opened: "12.3 ms" or "5.02 s". */
static void when(int64_t us, char *out, size_t cap)
{
	if (us < 1000000)
		snprintf(out, cap, "%.1f ms", (double)us / 1000);
	else
		snprintf(out, cap, "%.2f s", (double)us / 1e6);
}

/* dashes — n dashes. */
static void dashes(FILE *out, size_t n)
{
	while (n--)
		fputc('-', out);
}

/* arrow — "|--- text ------>|" (right: client to server) or "|<------ text ---|". */
static void arrow(FILE *out, const char *text, bool right, const char *on, const char *off)
{
	char t[LADDER - 7];
	snprintf(t, sizeof t, "%s", text);
	size_t fill = LADDER - strlen(t) - 6;

	fprintf(out, "|%s", on);
	if (right) {
		fprintf(out, "--- %s ", t);
		dashes(out, fill);
		fputc('>', out);
	} else {
		fputc('<', out);
		dashes(out, fill);
		fprintf(out, " %s ---", t);
	}
	fprintf(out, "%s|", off);
}

/* note — "|        text        |": something that is no message on the wire. */
static void note(FILE *out, const char *text, const char *on, const char *off)
{
	char t[LADDER - 1];
	snprintf(t, sizeof t, "%s", text);
	size_t n = strlen(t), left = (LADDER - n) / 2;

	fprintf(out, "|%*s%s%s%s%*s|", (int)left, "", on, t, off, (int)(LADDER - n - left), "");
}

/* status_part — the colour of a status code's class. */
static enum style_part status_part(int status)
{
	return status < 200 ? ST_DIM : status < 300 ? ST_OK : status < 400 ? ST_REDIRECT
	       : status < 500 ? ST_CLIENT_ERR : ST_SERVER_ERR;
}

/* event_line — one rung of the ladder. */
static void event_line(FILE *out, const struct style *st, const struct conn_event *e)
{
	char text[CONN_TEXT_LEN + 40], t[24];
	const char *off = style_on(st, ST_RESET);

	when(e->at_us, t, sizeof t);
	fprintf(out, "%10s  ", t);
	if (e->bytes && e->kind != CONN_UNPARSED)
		snprintf(text, sizeof text, "%s (%zu bytes)", e->text, e->bytes);
	else
		snprintf(text, sizeof text, "%s", e->text);
	switch (e->kind) {
	case CONN_CONNECT: arrow(out, "connect", true, style_on(st, ST_BOLD), off); break;
	case CONN_REQUEST:
	case CONN_BODY: arrow(out, text, true, style_on(st, ST_NAME), off); break;
	case CONN_HALF_CLOSE:
	case CONN_CLIENT_CLOSE: arrow(out, text, true, style_on(st, ST_BOLD), off); break;
	case CONN_INTERIM:
	case CONN_RESPONSE:
		arrow(out, text, false, style_on(st, status_part(e->status)), off);
		break;
	case CONN_UNPARSED: arrow(out, text, false, style_on(st, ST_ERROR), off); break;
	case CONN_SERVER_CLOSE:
	case CONN_SERVER_RESET: arrow(out, text, false, style_on(st, ST_BOLD), off); break;
	default: note(out, text, style_on(st, ST_DIM), off); break;
	}
	fputc('\n', out);
}

void conn_trace(FILE *out, const struct style *st, const struct conn_log *log)
{
	fprintf(out, "%sconnection %d%s to %s\n", style_on(st, ST_BOLD), log->id,
	        style_on(st, ST_RESET), log->label);
	fprintf(out, "%10s  %-*s%s\n", "time", LADDER - 4, "client", "server");
	for (size_t i = 0; i < log->n; i++)
		event_line(out, st, &log->events[i]);
	if (log->dropped)
		fprintf(out, "%12s(%zu more events not kept)\n", "", log->dropped);
	if (!log->ended) {
		fprintf(out, "%12s", "");
		note(out, "still open", style_on(st, ST_DIM), style_on(st, ST_RESET));
		fputc('\n', out);
	}
}
