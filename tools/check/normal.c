/* normal.c — one exchange as the golden files' text (normal.h). The responses are split
 * with the lab's parser (client.h), read as RFC 9112 §6.3 frames them: a body runs to
 * its Content-Length, to the last chunk, or to the end of what came. */
#include "normal.h"

#include <sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chars.h"
#include "client.h"
#include "gzip.h"

#define DECODED_MAX (64 * 1024 * 1024) /* a gzip body inflating beyond this is not shown */
#define HASH_SHOWN 16                   /* hex digits of a binary body's SHA-256 */

static const char *const masked[] = {"date", "expires", "last-modified", "server"};

/* One response's body as the text shows it. */
struct body {
	const unsigned char *p;  /* the body, chunks joined (in owned, or in the reply) */
	size_t len;
	unsigned char *owned;    /* a de-chunked copy, or NULL */
	size_t wire;             /* bytes of the reply it took, chunk lines included */
	char incomplete[64];     /* why it is cut short ("content-length 16"), or "" */
	const char *trailers;    /* chunked: the trailer lines, CRLFs included */
	size_t trailers_len;
};

/* ---- text --------------------------------------------------------------------------- */

void normal_text(FILE *f, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' || p[i] == '\n')
			fputc(p[i], f);
		else
			fprintf(f, "\\x%02x", p[i]);
	}
}

/* put_line — bytes of one line of the text (a status line, a header's value): as
 * normal_text, and a newline as \x0a too, so it cannot split the line. */
static void put_line(FILE *f, const char *p, size_t n)
{
	for (const char *nl; n > 0 && (nl = memchr(p, '\n', n));
	     n -= (size_t)(nl - p) + 1, p = nl + 1) {
		normal_text(f, (const unsigned char *)p, (size_t)(nl - p));
		fputs("\\x0a", f);
	}
	normal_text(f, (const unsigned char *)p, n);
}

/* put_block — text that ends with a newline, one added when the bytes have none. */
static void put_block(FILE *f, const unsigned char *p, size_t n)
{
	normal_text(f, p, n);
	if (n == 0 || p[n - 1] != '\n')
		fputc('\n', f);
}

/* put_lower — a field name, lower-cased (names are tokens: ASCII only). */
static void put_lower(FILE *f, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i], f);
}

/* put_hash — the first HASH_SHOWN hex digits of the SHA-256 of p[0..n). */
static void put_hash(FILE *f, const unsigned char *p, size_t n)
{
	char hex[SHA256_DIGEST_STRING_LENGTH];

	SHA256Data(p, n, hex);
	fprintf(f, "sha256 %.*s", HASH_SHOWN, hex);
}

/* is_binary — a NUL, or more than 10% of bytes that are not text (CR counts as text
 * here, though it is shown as \x0d). */
static bool is_binary(const unsigned char *p, size_t n)
{
	size_t other = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0)
			return true;
		other += !((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' || p[i] == '\n' ||
		           p[i] == '\r');
	}
	return other * 10 > n;
}

/* ---- the requests' methods ----------------------------------------------------------- */

/* request_line_method — the method when p[0..n) is "METHOD SP target SP HTTP/d…". */
static bool request_line_method(const unsigned char *p, size_t n, char method[16])
{
	size_t m = 0, t;

	while (m < n && m < 15 && p[m] >= 'A' && p[m] <= 'Z')
		m++;
	if (m == 0 || m >= n || p[m] != ' ')
		return false;
	for (t = m + 1; t < n && p[t] > ' ' && p[t] != 0x7f; t++)
		;
	if (t == m + 1 || n - t < 7 || memcmp(p + t, " HTTP/", 6) != 0 || p[t + 6] < '0' ||
	    p[t + 6] > '9')
		return false;
	memcpy(method, p, m);
	method[m] = '\0';
	return true;
}
size_t normal_methods(const unsigned char *req, size_t len, char methods[][16], size_t cap)
{
	size_t pos = 0, count = 0;

	while (pos < len && count < cap) {
		const unsigned char *lf = memchr(req + pos, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - (req + pos)) : len - pos;
		if (request_line_method(req + pos, n, methods[count]))
			count++;
		pos += n + 1;
	}
	return count;
}

/* ---- a response's body ---------------------------------------------------------------- */

/* chunk_size — the size on a chunk's size line p[0..n) (extensions after ';' and blanks
 * around it ignored); -1 when it is not hex. */
static long long chunk_size(const unsigned char *p, size_t n)
{
	const unsigned char *semi = memchr(p, ';', n);
	long long size = 0;
	size_t i = 0, end = semi ? (size_t)(semi - p) : n;

	while (i < end && chars_is_ows(p[i]))
		i++;
	while (end > i && chars_is_ows(p[end - 1]))
		end--;
	if (i == end)
		return -1;
	for (; i < end; i++) {
		int d = chars_hex_value(p[i]);
		if (d < 0 || size > (INT64_MAX >> 4))
			return -1;
		size = size * 16 + d;
	}
	return size;
}

/* dechunk_cut — the chunks of a chunked body the stream ended inside, p[0..n): the data
 * that came, joined into b->owned (the last chunk's part too), and the trailer lines
 * that came whole. Returns 0, 1 for a size line that is not one, -1 out of memory. */
static int dechunk_cut(const unsigned char *p, size_t n, struct body *b)
{
	size_t pos = 0;
	const unsigned char *eol;

	if (!(b->owned = malloc(n + 1)))
		return -1;
	b->p = b->owned;
	while ((eol = memmem(p + pos, n - pos, "\r\n", 2))) {
		long long size = chunk_size(p + pos, (size_t)(eol - (p + pos)));
		if (size < 0)
			return 1;
		pos = (size_t)(eol - p) + 2;
		if (size == 0) { /* the trailer section, cut short: the lines that came whole */
			size_t end = n;
			while (end >= pos + 2 && !(p[end - 2] == '\r' && p[end - 1] == '\n'))
				end--;
			b->trailers = (const char *)p + pos;
			b->trailers_len = end >= pos + 2 ? end - pos : 0;
			return 0;
		}
		size_t take = (unsigned long long)size < n - pos ? (size_t)size : n - pos;
		memcpy(b->owned + b->len, p + pos, take);
		b->len += take;
		pos += take;
		if (n - pos < 2)
			return 0;
		if (p[pos] != '\r' || p[pos + 1] != '\n')
			return 1;
		pos += 2;
	}
	return 0;
}

/* take_body — the body of response r, whose head client_parse_head accepted, from the
 * bytes p[0..n) that follow its head. Returns 0, 1 when the chunks are malformed (the
 * response is then shown as unparsed), -1 out of memory. */
static int take_body(const unsigned char *p, size_t n, struct client_response *r,
                     struct body *b)
{
	memset(b, 0, sizeof *b);
	b->p = p;
	if (r->framing == CLIENT_BODY_LENGTH) {
		b->len = b->wire = r->content_length < n ? (size_t)r->content_length : n;
		if (b->len < r->content_length)
			snprintf(b->incomplete, sizeof b->incomplete, "content-length %llu",
			         (unsigned long long)r->content_length);
	} else if (r->framing == CLIENT_BODY_CLOSE) {
		b->len = b->wire = n;
	} else if (r->framing == CLIENT_BODY_CHUNKED) {
		long wire = client_parse_body((const char *)p, n, true, r);
		if (wire == PARSE_BAD)
			return 1;
		if (wire == PARSE_INCOMPLETE) {
			snprintf(b->incomplete, sizeof b->incomplete,
			         "chunked body not terminated");
			b->wire = n;
			return dechunk_cut(p, n, b);
		}
		if (!(b->owned = malloc(r->body_len + 1)))
			return -1;
		b->p = b->owned;
		b->len = client_dechunk(r, (char *)b->owned, r->body_len + 1);
		b->wire = (size_t)wire;
		b->trailers = r->trailers.p;
		b->trailers_len = r->trailers.len;
	}
	return 0;
}

/* ---- a response as text ----------------------------------------------------------------- */

/* is_named — true when span p[0..n) is name, in any case. */
static bool is_named(const char *p, size_t n, const char *name)
{
	return n == strlen(name) && strncasecmp(p, name, n) == 0;
}

/* is_masked — a header whose value changes from run to run or server to server. */
static bool is_masked(const struct span *name)
{
	for (size_t i = 0; i < sizeof masked / sizeof masked[0]; i++)
		if (is_named(name->p, name->len, masked[i]))
			return true;
	return false;
}

/* by_name — NORMAL_CHECK's header order: by lower-cased name, then as received. */
static int by_name(const void *a, const void *b)
{
	const struct client_header *x = *(const struct client_header *const *)a;
	const struct client_header *y = *(const struct client_header *const *)b;
	size_t n = x->name.len < y->name.len ? x->name.len : y->name.len;
	int c = strncasecmp(x->name.p, y->name.p, n);

	if (c == 0 && x->name.len != y->name.len)
		c = x->name.len < y->name.len ? -1 : 1;
	return c ? c : (x < y ? -1 : x > y);
}

/* put_field — "name: value" (just "name:" for an empty value), masked or as received. */
static void put_field(FILE *f, const struct client_response *r, const struct client_header *h,
                      enum normal_mode mode)
{
	put_lower(f, h->name.p, h->name.len);
	if (is_masked(&h->name)) {
		fputs(": <masked>", f);
	} else if (mode == NORMAL_CHECK && r->framing == CLIENT_BODY_LENGTH &&
	           is_named(h->name.p, h->name.len, "content-length")) {
		/* framed by it, so it counts the bytes that came: they are compared instead */
		fputs(": <matches the body>", f);
	} else if (h->value.len > 0) {
		fputs(": ", f);
		put_line(f, h->value.p, h->value.len);
	} else {
		fputc(':', f);
	}
	fputc('\n', f);
}

/* put_head — the status line and the headers. */
static void put_head(FILE *f, const struct client_response *r, enum normal_mode mode)
{
	const struct client_header *order[CLIENT_MAX_HEADERS];

	put_line(f, r->status_line.p, r->status_line.len);
	fputc('\n', f);
	for (size_t i = 0; i < r->nheaders; i++)
		order[i] = &r->headers[i];
	if (mode == NORMAL_CHECK)
		qsort(order, r->nheaders, sizeof order[0], by_name);
	for (size_t i = 0; i < r->nheaders; i++)
		put_field(f, r, order[i], mode);
}

/* put_trailers — "--- trailer name: value" for each line of the trailer section. */
static void put_trailers(FILE *f, const char *p, size_t n)
{
	for (const char *eol; n > 0 && (eol = memmem(p, n, "\r\n", 2)); n -= (size_t)(eol + 2 - p),
	                                                              p = eol + 2) {
		const char *colon = memchr(p, ':', (size_t)(eol - p)), *v = colon ? colon + 1 : eol;
		const char *end = eol;
		if (eol == p || !colon)
			continue; /* the empty line that ends the section */
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		fputs("--- trailer ", f);
		put_lower(f, p, (size_t)(colon - p));
		fputs(": ", f);
		put_line(f, v, (size_t)(end - v));
		fputc('\n', f);
	}
}

/* is_gzip — a Content-Encoding of gzip (or x-gzip): the body is shown un-gzipped. */
static bool is_gzip(const struct client_response *r)
{
	const struct span *v = client_header_get(r, "Content-Encoding");

	return v && (is_named(v->p, v->len, "gzip") || is_named(v->p, v->len, "x-gzip"));
}

/* put_content — the rest of the body line, then the body: gzip undone, as text or as a
 * hash. */
static void put_content(FILE *f, const struct client_response *r, const struct body *b,
                        enum normal_mode mode)
{
	unsigned char *decoded = NULL;
	const unsigned char *p = b->p;
	size_t n = b->len;

	if (is_gzip(r)) {
		if (gz_decompress(b->p, b->len, DECODED_MAX, &decoded, &n) != 0) {
			fputs(" gzip, cannot be decoded, ", f);
			put_hash(f, b->p, b->len);
			fputc('\n', f);
			return;
		}
		fprintf(f, "%s %zu bytes decoded", mode == NORMAL_CHECK ? "" : " gzip,", n);
		p = decoded;
	}
	if (is_binary(p, n)) {
		fputs(" binary, ", f);
		put_hash(f, p, n);
		fputc('\n', f);
	} else {
		fputc('\n', f);
		put_block(f, p, n);
	}
	free(decoded);
}

/* put_body — "--- body: …" and what follows it. */
static void put_body(FILE *f, const struct client_response *r, const struct body *b,
                     enum normal_mode mode)
{
	if (mode == NORMAL_CHECK && b->len > 0 && is_gzip(r))
		fputs("--- body: gzip,", f); /* its size on the wire may differ: not compared */
	else
		fprintf(f, "--- body: %zu bytes", b->len);
	if (b->incomplete[0])
		fprintf(f, ", incomplete: %s", b->incomplete);
	if (b->len == 0)
		fputc('\n', f);
	else
		put_content(f, r, b, mode);
	put_trailers(f, b->trailers, b->trailers_len);
}

/* put_unparsed — bytes that are no response, to the end. */
static void put_unparsed(FILE *f, const unsigned char *p, size_t n)
{
	fputs("=== unparsed: ", f);
	put_block(f, p, n);
}

/* ---- the exchange ------------------------------------------------------------------------ */

/* put_responses — every response in the reply, in order. Returns 0, or -1 out of memory. */
static int put_responses(FILE *f, const struct normal_exchange *x, enum normal_mode mode,
                         struct client_response *r)
{
	size_t off = 0, next = 0;
	int count = 0;

	if (x->reply_len == 0)
		fputs("=== no response\n", f);
	while (off < x->reply_len) {
		const unsigned char *p = x->reply + off;
		size_t left = x->reply_len - off;
		int head = client_parse_head((const char *)p, left, next < x->nmethods ?
		                             x->methods[next] : "GET", r);
		struct body b;
		int rc = head < 0 ? 1 : take_body(p + head, left - (size_t)head, r, &b);
		if (rc != 0) {
			if (head >= 0)
				free(b.owned);
			if (rc < 0)
				return -1;
			put_unparsed(f, p, left);
			break;
		}
		fprintf(f, "=== response %d\n", ++count);
		put_head(f, r, mode);
		put_body(f, r, &b, mode);
		free(b.owned);
		off += (size_t)head + b.wire;
		if (r->status == 101) { /* what follows is another protocol's */
			if (off < x->reply_len)
				put_unparsed(f, x->reply + off, x->reply_len - off);
			break;
		}
		next += r->status >= 200; /* a 1xx is interim: the final answer follows it */
	}
	return 0;
}

int normal_render(const struct normal_exchange *x, enum normal_mode mode, char **out,
                  size_t *len)
{
	struct client_response *r = malloc(sizeof *r); /* large: not on the stack */
	size_t size = 0;
	FILE *f = open_memstream(out, &size);
	int rc = -1;

	if (r && f) {
		rc = put_responses(f, x, mode, r);
		if (x->closed)
			fputs("=== connection closed by server\n", f);
		else
			fprintf(f, "=== connection still open after %s s\n",
			        x->waited ? x->waited : "?");
		if (x->printed && x->printed_len > 0) {
			fputs("=== server printed\n", f);
			fwrite(x->printed, 1, x->printed_len, f);
		}
	}
	if (f && fclose(f) != 0)
		rc = -1;
	free(r);
	if (rc != 0 && f) {
		free(*out);
		*out = NULL;
	}
	if (len)
		*len = rc == 0 ? size : 0;
	return rc;
}
