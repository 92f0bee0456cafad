/* client.c — connecting, one request/response exchange, and the response parser
 * (RFC 9112 §4 status line, §5 fields, §6.3 message body length, §7.1 chunked). */
#include "client.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "chars.h"
#include "http.h"
#include "net.h"

#define READ_STEP 65536

/* ---- waiting ------------------------------------------------------------------------ */

/* now_us — a monotonic clock in microseconds, for the timings a student reads. */
static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* wait_fd — polls fd for events, and w->cancel_fd for input, until w->deadline.
 * Returns the revents of fd (> 0), CLIENT_TIMEOUT, CLIENT_CANCELLED or CLIENT_ERROR. */
static int wait_fd(int fd, short events, const struct client_wait *w)
{
	struct pollfd p[2] = {{fd, events, 0}, {w->cancel_fd, POLLIN, 0}};
	nfds_t n = w->cancel_fd >= 0 ? 2 : 1;

	for (;;) {
		int64_t left = w->deadline - net_now_ms();
		if (left <= 0)
			return CLIENT_TIMEOUT;
		int rc = poll(p, n, left > 1000 ? 1000 : (int)left);
		if (rc < 0 && errno != EINTR)
			return CLIENT_ERROR;
		if (rc <= 0)
			continue;
		if (n == 2 && p[1].revents)
			return CLIENT_CANCELLED; /* Ctrl-C wins over data: the user asked to stop */
		if (p[0].revents)
			return p[0].revents;
	}
}

/* ---- connecting --------------------------------------------------------------------- */

/* connect_one — one non-blocking connect to ai within the wait; returns the socket or a
 * negative client_status, with errno_out set for CLIENT_ERROR and CLIENT_REFUSED. */
static int connect_one(const struct addrinfo *ai, const struct client_wait *w, int *errno_out)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	                ai->ai_protocol);
	int soerr = 0, rc;
	socklen_t sl = sizeof soerr;

	if (fd < 0) {
		*errno_out = errno;
		return CLIENT_ERROR;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		soerr = errno;
	} else if ((rc = wait_fd(fd, POLLOUT, w)) < 0) {
		close(fd);
		return rc;
	} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) {
		soerr = errno;
	}
	if (soerr == 0)
		return fd;
	close(fd);
	*errno_out = soerr;
	return soerr == ECONNREFUSED ? CLIENT_REFUSED : CLIENT_ERROR;
}

int client_connect(const char *host, int port, const struct client_wait *w,
                   char err[LIMIT_ERR_LEN])
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res, *ai;
	char service[16];
	int fd = CLIENT_ERROR, why = 0;

	snprintf(service, sizeof service, "%d", port);
	int rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		snprintf(err, LIMIT_ERR_LEN, "cannot resolve host '%s': %s", host,
		         gai_strerror(rc));
		return CLIENT_ERROR;
	}
	/* "localhost" may name ::1 first while the server listens on 127.0.0.1 only. */
	for (ai = res; ai; ai = ai->ai_next) {
		fd = connect_one(ai, w, &why);
		if (fd >= 0 || fd == CLIENT_TIMEOUT || fd == CLIENT_CANCELLED)
			break;
	}
	freeaddrinfo(res);
	if (fd == CLIENT_REFUSED)
		snprintf(err, LIMIT_ERR_LEN, "connection refused: nothing listens on %s port %d",
		         host, port);
	else if (fd == CLIENT_TIMEOUT)
		snprintf(err, LIMIT_ERR_LEN, "no connection to %s port %d within the time limit",
		         host, port);
	else if (fd == CLIENT_CANCELLED)
		snprintf(err, LIMIT_ERR_LEN, "interrupted while connecting");
	else if (fd < 0)
		snprintf(err, LIMIT_ERR_LEN, "cannot connect to %s port %d: %s", host, port,
		         strerror(why ? why : EINVAL));
	return fd;
}

/* ---- one exchange ------------------------------------------------------------------- */

/* reply_grow — room for at least want more bytes, within max; false when out of memory. */
static bool reply_grow(struct client_reply *r, size_t want)
{
	if (r->cap - r->len >= want)
		return true;
	size_t cap = r->cap ? r->cap : READ_STEP;
	while (cap - r->len < want)
		cap *= 2;
	unsigned char *p = realloc(r->data, cap + 1); /* + 1: room for a NUL, for text */
	if (!p)
		return false;
	r->data = p;
	r->cap = cap;
	return true;
}

ssize_t client_read_some(int fd, struct client_reply *out, size_t max_bytes)
{
	size_t room = max_bytes - out->len;

	if (room == 0) {
		out->truncated = true;
		return 0;
	}
	if (room > READ_STEP)
		room = READ_STEP;
	if (!reply_grow(out, room))
		return CLIENT_ERROR;
	ssize_t n = recv(fd, out->data + out->len, room, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return CLIENT_RETRY;
	if (n < 0 && errno != ECONNRESET)
		return CLIENT_ERROR;
	if (n <= 0) {
		out->closed = true;
		out->reset = n < 0;
		return 0;
	}
	out->len += (size_t)n;
	out->data[out->len] = '\0';
	return n;
}

/* read_some — one read for client_exchange, timing the first byte. Returns 1 to go on,
 * 0 when the stream ended, or CLIENT_ERROR. */
static int read_some(int fd, struct client_reply *out, size_t max_bytes, int64_t start)
{
	ssize_t n = client_read_some(fd, out, max_bytes);

	if (n > 0 && out->first_us < 0)
		out->first_us = now_us() - start;
	return n == CLIENT_RETRY || n > 0 ? 1 : (int)n;
}

/* write_some — one send of the rest of the request. Returns the bytes still to send
 * afterwards; a server that closed or reset just ends our sending (it may have answered
 * already, as a 413 does). */
static size_t write_some(int fd, const unsigned char *p, size_t left)
{
	ssize_t n = send(fd, p, left, MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return left;
	if (n < 0)
		return 0;
	return left - (size_t)n;
}

int client_exchange_status(int rc, const struct client_reply *out, char err[LIMIT_ERR_LEN])
{
	if (rc == CLIENT_TIMEOUT)
		snprintf(err, LIMIT_ERR_LEN, "no answer within the time limit");
	else if (rc == CLIENT_CANCELLED)
		snprintf(err, LIMIT_ERR_LEN, "interrupted");
	else if (rc == CLIENT_ERROR)
		snprintf(err, LIMIT_ERR_LEN, "reading the answer: %s",
		         strerror(errno ? errno : EIO));
	else if (out->reset && out->len == 0)
		return snprintf(err, LIMIT_ERR_LEN, "the server reset the connection"),
		       CLIENT_RESET;
	return rc;
}

int client_exchange(int fd, const void *req, size_t len, size_t max_bytes,
                    const struct client_wait *w, struct client_reply *out,
                    char err[LIMIT_ERR_LEN])
{
	const unsigned char *p = req;
	size_t left = len;
	bool shut = false;
	int64_t start = now_us();
	int rc = 1;

	*out = (struct client_reply){.first_us = -1};
	while (rc > 0) {
		if (left == 0 && !shut) {
			shutdown(fd, SHUT_WR); /* the request is complete: say so */
			shut = true;
		}
		int ev = wait_fd(fd, shut ? POLLIN : POLLIN | POLLOUT, w);
		if (ev < 0) {
			rc = ev;
			break;
		}
		if (ev & (POLLIN | POLLHUP | POLLERR))
			rc = read_some(fd, out, max_bytes, start);
		if (rc > 0 && !shut && (ev & POLLOUT))
			left = write_some(fd, p + (len - left), left);
	}
	out->total_us = now_us() - start;
	return client_exchange_status(rc < 0 ? rc : CLIENT_OK, out, err);
}

void client_reply_free(struct client_reply *out)
{
	free(out->data);
	out->data = NULL;
	out->len = out->cap = 0;
}

/* ---- parsing: refusals and spans ----------------------------------------------------- */

/* refuse — notes which rule the response broke (a constant sentence); PARSE_BAD. */
static int refuse(struct client_response *res, const char *why)
{
	res->error = why;
	return PARSE_BAD;
}

/* too_large — the head is over CLIENT_MAX_HEAD or CLIENT_MAX_HEADERS. */
static int too_large(struct client_response *res)
{
	res->too_large = true;
	return refuse(res, "The head is over 64 KiB or 100 header lines.");
}

/* span_is — s equals word, ignoring case (field names, codings). */
static bool span_is(struct span s, const char *word)
{
	size_t n = strlen(word);
	return s.len == n && strncasecmp(s.p, word, n) == 0;
}

/* ---- parsing: lines ------------------------------------------------------------------ */

/* next_line — the line starting at buf[pos] ends at *eol (its CR). Returns 1, 0 when the
 * line has not ended yet, or PARSE_BAD for a bare CR or a bare LF: RFC 9112 §2.2 lets a
 * recipient accept a bare LF, but a server that sends one is broken, and the lab's job
 * is to show that. */
static int next_line(const char *buf, size_t len, size_t pos, size_t *eol,
                     struct client_response *res)
{
	const char *lf = memchr(buf + pos, '\n', len - pos);
	const char *cr = memchr(buf + pos, '\r', (size_t)((lf ? lf : buf + len) - (buf + pos)));

	if (cr && (cr + 1 < buf + len) && cr[1] != '\n')
		return refuse(res, "A line holds a bare CR (RFC 9112 section 2.2).");
	if (!lf)
		return 0;
	if (lf == buf + pos || lf[-1] != '\r')
		return refuse(res, "A line ends in a bare LF, not CR LF (RFC 9112 section 2.2).");
	*eol = (size_t)(lf - 1 - buf);
	return 1;
}

/* ---- parsing: the status line (RFC 9112 §4) ----------------------------------------- */

/* prefix_ok — could buf[0..len) still begin "HTTP/"? Lets junk fail at once. */
static bool prefix_ok(const char *buf, size_t len)
{
	return memcmp(buf, "HTTP/", len < 5 ? len : 5) == 0;
}

/* parse_status_line — "HTTP/1.1 200 OK" (the reason may be empty or, with its space,
 * missing: the article's server sends "HTTP/1.1 200"). */
static int parse_status_line(const char *p, size_t n, struct client_response *res)
{
	static const char why[] = "The status line is not HTTP/1.x, a space, three digits "
	                          "and a reason (RFC 9112 section 4).";

	if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || !chars_is_digit((unsigned char)p[7]) ||
	    p[8] != ' ')
		return refuse(res, why);
	for (size_t i = 9; i < 12; i++)
		if (!chars_is_digit((unsigned char)p[i]))
			return refuse(res, why);
	if (p[9] == '0' || (n > 12 && p[12] != ' '))
		return refuse(res, why);
	for (size_t i = 13; i < n; i++)
		if ((unsigned char)p[i] < 0x20 && p[i] != '\t')
			return refuse(res, why);
	res->version = p[7] == '0' ? 10 : 11;
	res->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	res->status_line = (struct span){p, n};
	res->reason = n > 13 ? (struct span){p + 13, n - 13} : (struct span){p + n, 0};
	return 0;
}

/* ---- parsing: header fields (RFC 9112 §5) -------------------------------------------- */

/* parse_header — "Name: value" at p[0..n) into res's next header. */
static int parse_header(const char *p, size_t n, struct client_response *res)
{
	size_t i = 0;

	if (res->nheaders == CLIENT_MAX_HEADERS)
		return too_large(res);
	while (i < n && chars_is_tchar((unsigned char)p[i]))
		i++;
	if (i == 0 || i == n || p[i] != ':') /* also obs-fold: a line starting with a space */
		return refuse(res, "A header line is not a token, a colon and a value "
		              "(RFC 9112 section 5).");
	struct client_header *h = &res->headers[res->nheaders++];
	h->name = (struct span){p, i};
	size_t start = i + 1, end = n;
	while (start < end && chars_is_ows((unsigned char)p[start]))
		start++;
	while (end > start && chars_is_ows((unsigned char)p[end - 1]))
		end--;
	for (size_t k = start; k < end; k++)
		if (p[k] == '\0') /* RFC 9110 §5.5: NUL is never valid in a field value */
			return refuse(res, "A header value holds a NUL (RFC 9110 section 5.5).");
	h->value = (struct span){p + start, end - start};
	return 0;
}

/* parse_length — a Content-Length value: digits, or a list of identical numbers
 * ("5, 5"), which RFC 9110 §8.6 lets a recipient read as one. Sets *out when the value
 * agrees with a previous one (*seen). Returns 0 or PARSE_BAD. */
static int parse_length(struct span v, bool *seen, uint64_t *out)
{
	size_t i = 0;

	while (i < v.len) {
		uint64_t n = 0;
		size_t digits = 0;
		while (i < v.len && chars_is_digit((unsigned char)v.p[i])) {
			if (++digits > 18) /* beyond any real body, and no overflow */
				return PARSE_BAD;
			n = n * 10 + (uint64_t)(v.p[i++] - '0');
		}
		if (digits == 0 || (*seen && n != *out))
			return PARSE_BAD;
		*seen = true;
		*out = n;
		while (i < v.len && chars_is_ows((unsigned char)v.p[i]))
			i++;
		if (i < v.len && v.p[i++] != ',')
			return PARSE_BAD;
		while (i < v.len && chars_is_ows((unsigned char)v.p[i]))
			i++;
	}
	return *seen ? 0 : PARSE_BAD;
}

/* last_coding_is_chunked — does a Transfer-Encoding list end in "chunked"? */
static bool last_coding_is_chunked(struct span v)
{
	size_t end = v.len, start;

	while (end > 0 && (chars_is_ows((unsigned char)v.p[end - 1]) || v.p[end - 1] == ','))
		end--;
	start = end;
	while (start > 0 && v.p[start - 1] != ',' && !chars_is_ows((unsigned char)v.p[start - 1]))
		start--;
	return span_is((struct span){v.p + start, end - start}, "chunked");
}

/* decide_framing — RFC 9112 §6.3, in its order: no body for HEAD, 1xx, 204 and 304;
 * Transfer-Encoding beats Content-Length (chunked last: chunked, else until close; in
 * HTTP/1.0 its framing is faulty, so until close); then Content-Length; else close. */
static int decide_framing(struct client_response *res, const char *method)
{
	bool has_te = false, has_cl = false, chunked = false;

	for (size_t i = 0; i < res->nheaders; i++) {
		const struct client_header *h = &res->headers[i];
		if (span_is(h->name, "transfer-encoding")) {
			has_te = true;
			chunked = last_coding_is_chunked(h->value); /* the last field line counts */
		} else if (span_is(h->name, "content-length") &&
		           parse_length(h->value, &has_cl, &res->content_length) != 0) {
			return refuse(res, "Content-Length is not one decimal number "
			              "(RFC 9110 section 8.6).");
		}
	}
	if ((method && strcmp(method, "HEAD") == 0) || res->status < 200 || res->status == 204 ||
	    res->status == 304)
		res->framing = CLIENT_BODY_NONE;
	else if (has_te)
		res->framing =
		        chunked && res->version >= 11 ? CLIENT_BODY_CHUNKED : CLIENT_BODY_CLOSE;
	else if (has_cl)
		res->framing = CLIENT_BODY_LENGTH;
	else
		res->framing = CLIENT_BODY_CLOSE;
	return 0;
}

/* parse_head_lines — the status line and fields of buf[0..len); returns the head length,
 * 0 when the head has not ended, or PARSE_BAD. */
static long parse_head_lines(const char *buf, size_t len, struct client_response *res)
{
	size_t pos = 0, eol;

	for (;;) {
		int rc = next_line(buf, len, pos, &eol, res);
		if (rc <= 0)
			return rc;
		if (eol == pos && pos > 0)
			return (long)eol + 2;
		if (pos == 0)
			rc = parse_status_line(buf, eol, res);
		else
			rc = parse_header(buf + pos, eol - pos, res);
		if (rc < 0)
			return rc;
		pos = eol + 2;
	}
}

int client_parse_head(const char *buf, size_t len, const char *method,
                      struct client_response *res)
{
	struct client_response fresh = {0};
	size_t scan = len < CLIENT_MAX_HEAD ? len : CLIENT_MAX_HEAD;
	long rc;

	res->head_len = 0;
	res->nheaders = 0;
	res->error = NULL;
	res->too_large = false;
	if (len == 0)
		return PARSE_INCOMPLETE;
	if (!prefix_ok(buf, len))
		return refuse(res, "The answer does not begin with HTTP/ (RFC 9112 section 4).");
	rc = parse_head_lines(buf, scan, &fresh);
	if (rc == 0)
		return len < CLIENT_MAX_HEAD ? PARSE_INCOMPLETE : too_large(res);
	if (rc == PARSE_BAD || decide_framing(&fresh, method) == PARSE_BAD) {
		res->too_large = fresh.too_large;
		return refuse(res, fresh.error);
	}
	fresh.head_len = (size_t)rc;
	fresh.body = (struct span){buf + rc, 0};
	fresh.trailers = (struct span){buf + rc, 0};
	memcpy(res, &fresh, sizeof fresh);
	return (int)rc;
}

/* ---- parsing: bodies (RFC 9112 §6.3, §7.1) ------------------------------------------- */

/* A chunked body is decoded by common/http's decoder, held to CRLF line ends and field
 * trailers (crlf_only), with no limit on its size: the lab reads what a server sends. */
static const struct http_chunked lab_chunked = {.limit = UINT64_MAX, .crlf_only = true};

/* parse_chunked — the chunked body at buf[0..len): its wire length, or PARSE_INCOMPLETE
 * or PARSE_BAD. */
static long parse_chunked(const char *buf, size_t len, struct client_response *res)
{
	struct http_chunked d = lab_chunked;
	size_t decoded;
	long wire = http_chunked_decode(&d, buf, len, NULL, &decoded);

	if (wire == PARSE_BAD) /* no limit here, so a 413 means the sizes overflow 64 bits */
		return refuse(res, d.error ? d.error : "The chunk sizes add up to more bytes than "
		              "a 64-bit count holds.");
	if (wire < 0)
		return wire;
	/* The trailer lines end the body, before its final CR LF. */
	res->trailers = (struct span){buf + wire - 2 - d.trailer_len, d.trailer_len};
	res->body = (struct span){buf, (size_t)wire};
	res->body_len = decoded;
	return wire;
}

long client_parse_body(const char *buf, size_t len, bool eof, struct client_response *res)
{
	size_t wire;

	switch (res->framing) {
	case CLIENT_BODY_NONE:
		wire = 0;
		break;
	case CLIENT_BODY_LENGTH:
		if (len < res->content_length)
			return PARSE_INCOMPLETE;
		wire = (size_t)res->content_length;
		break;
	case CLIENT_BODY_CLOSE:
		if (!eof)
			return PARSE_INCOMPLETE;
		wire = len;
		break;
	default:
		return parse_chunked(buf, len, res);
	}
	res->body = (struct span){buf, wire};
	res->body_len = wire;
	res->trailers = (struct span){buf + wire, 0};
	return (long)wire;
}

long client_parse_response(const char *buf, size_t len, const char *method, bool eof,
                           struct client_response *res)
{
	int head = client_parse_head(buf, len, method, res);
	if (head < 0)
		return head;
	long body = client_parse_body(buf + head, len - (size_t)head, eof, res);
	return body < 0 ? body : head + body;
}

bool client_is_interim(const struct client_response *res)
{
	return res->status >= 100 && res->status < 200 && res->status != 101;
}

const struct span *client_header_get(const struct client_response *res, const char *name)
{
	for (size_t i = 0; i < res->nheaders; i++)
		if (span_is(res->headers[i].name, name))
			return &res->headers[i].value;
	return NULL;
}

size_t client_dechunk(const struct client_response *res, char *out, size_t cap)
{
	struct http_chunked d = lab_chunked;
	size_t used = 0, n = 0;

	if (res->framing != CLIENT_BODY_CHUNKED) {
		n = res->body.len < cap ? res->body.len : cap;
		memcpy(out, res->body.p, n);
		return n;
	}
	/* In slices no longer than the room left: a slice never decodes to more bytes than
	 * it holds, so out cannot overflow. */
	while (used < res->body.len && n < cap) {
		size_t left = res->body.len - used, got;
		size_t take = left < cap - n ? left : cap - n;
		long rc = http_chunked_decode(&d, res->body.p + used, take, out + n, &got);
		n += got;
		used += take;
		if (rc != PARSE_INCOMPLETE)
			break;
	}
	return n;
}
