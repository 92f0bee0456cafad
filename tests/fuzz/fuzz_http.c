/* fuzz_http.c — the request parser and the chunked body decoder, fed the way
 * common/server/httpd.c feeds them: bytes arrive in pieces, the head is parsed again after
 * every piece, and a chunked body is decoded piece by piece as it is read.
 *
 * Input layout (the first bytes steer, the rest is what the client sends):
 *
 *   [H] [H & 15 size bytes] [B] [B & 15 size bytes] [L] payload
 *
 *   H  head pieces: low 4 bits k, high 4 bits (mod 9) a shift s; each of the k bytes b
 *      gives a piece of (b + 1) << s bytes; what is left arrives as one last piece.
 *   B  the same for the body that follows the head.
 *   L  bit 7: the payload is a chunked body alone (no head before it); bits 0-6: the
 *      body limit, 0 for LIMIT_BODY_DEFAULT, else 37 * that many bytes (so 413 is hit).
 *
 * Properties (each a CHECK that aborts):
 *   - the answer on every prefix the server would parse is PARSE_INCOMPLETE or exactly
 *     the answer on the whole input (status, error text and every parsed field);
 *   - an incomplete head always fits the server's buffer (at most LIMIT_HEADERS_TOTAL);
 *   - a refusal is PARSE_BAD with one of the statuses http.h lists in head->status, and
 *     only a refusal sets a status;
 *   - on success every string is NUL-terminated inside req->text (or is one of the two
 *     literals the parser uses for an absent path or query), the input having been
 *     freed first so that a pointer into it is a use-after-free ASan reports; header
 *     names are tokens, values have no CTL and no surrounding whitespace; every line of
 *     an accepted head ends alike, in CRLF or in a bare LF as bare_lf says (a mix is
 *     request smuggling's way in);
 *   - a chunked body decoded in pieces gives the same result, the same decoded bytes
 *     and the same bytes after the body as decoding it in one go, never more than the
 *     limit; so does the crlf_only decoding (a CRLF head's body, and the lab's), and a
 *     body it accepts the lenient decoder accepts alike. */
#include "fuzz.h"

#include <strings.h>

#include "http.h"
#include "limit.h"
#include "chars.h"

/* Two heads: the whole input's and a prefix's (large: static, not on the stack). */
static struct http_head whole_req, part_req;

struct pieces {
	size_t size[16];
	int count;
};

static void take_pieces(struct fuzz_in *in, struct pieces *pc)
{
	uint8_t ctl = fuzz_take(in);
	unsigned shift = (unsigned)(ctl >> 4) % 9;

	pc->count = ctl & 15;
	for (int i = 0; i < pc->count; i++)
		pc->size[i] = ((size_t)fuzz_take(in) + 1) << shift;
}

/* parse — http_parse_request of an exact-size heap copy, freed before returning: a
 * result that still pointed into the read buffer is then caught by ASan. */
static int parse(const uint8_t *p, size_t n, struct http_head *req)
{
	char *copy = fuzz_copy(p, n);
	int rc = http_parse_request(copy, n, req);
	free(copy);
	return rc;
}

static bool in_text(const struct http_head *req, const char *s)
{
	const char *lo = req->text, *hi = req->text + sizeof req->text;
	return s >= lo && s < hi && memchr(s, '\0', (size_t)(hi - s)) != NULL;
}

/* check_string — a parsed string lives in req->text; the parser's only other strings are
 * the literals "" (no query) and "/" (an absolute URL without a path). */
static void check_string(const struct http_head *req, const char *s, const char *what)
{
	CHECK(s != NULL, "%s is NULL after a successful parse", what);
	if (!in_text(req, s))
		CHECK(strcmp(s, "") == 0 || strcmp(s, "/") == 0, "%s is outside req->text", what);
}

/* check_line_ends — every line of the head p[0..n), after the empty lines a server
 * skips before it, ends in CRLF when !bare_lf and in a bare LF when bare_lf. */
static void check_line_ends(const uint8_t *p, size_t n, bool bare_lf)
{
	size_t start = 0;
	while (start < n && (p[start] == '\n' || (p[start] == '\r' && start + 1 < n &&
	                                           p[start + 1] == '\n')))
		start += p[start] == '\n' ? 1 : 2;
	for (size_t i = start; i < n; i++)
		if (p[i] == '\n')
			CHECK((i > start && p[i - 1] == '\r') == !bare_lf,
			      "the line ending at byte %zu does not end as bare_lf=%d says", i,
			      bare_lf);
}

static void check_success(const struct http_head *req, const uint8_t *p, size_t len, int rc)
{
	CHECK((size_t)rc <= len, "head length %d beyond the %zu bytes given", rc, len);
	CHECK(p[rc - 1] == '\n', "the head does not end with a line end");
	check_line_ends(p, (size_t)rc, req->bare_lf);
	CHECK(req->error == NULL, "an accepted request carries an error: %s", req->error);
	check_string(req, req->method, "method");
	check_string(req, req->target, "target");
	check_string(req, req->path, "path");
	check_string(req, req->query, "query");
	CHECK(req->version == 10 || req->version == 11, "version %d", req->version);
	/* one more than the limit: the Host an absolute-form target gives HTTP/1.0 */
	CHECK(req->nheaders <= LIMIT_HEADER_COUNT + 1, "%zu headers", req->nheaders);
	for (size_t i = 0; i < req->nheaders; i++) {
		const char *n = req->headers[i].name, *v = req->headers[i].value;
		check_string(req, n, "header name");
		check_string(req, v, "header value");
		CHECK(*n != '\0', "empty header name");
		for (const char *c = n; *c; c++)
			CHECK(chars_is_tchar((unsigned char)*c), "header name byte 0x%02x",
			      (unsigned char)*c);
		size_t vl = strlen(v);
		for (size_t k = 0; k < vl; k++)
			CHECK(v[k] == '\t' || ((unsigned char)v[k] >= 0x20 && v[k] != 0x7f),
			      "header value byte 0x%02x", (unsigned char)v[k]);
		CHECK(vl == 0 || (v[0] != ' ' && v[0] != '\t' && v[vl - 1] != ' ' &&
		                  v[vl - 1] != '\t'),
		      "header value not trimmed");
	}
	if (req->version == 11)
		CHECK(http_header_get(req, "Host") != NULL, "an HTTP/1.1 request without Host");
	if (req->framing == HTTP_BODY_CHUNKED)
		CHECK(req->version == 11 && http_header_get(req, "Content-Length") == NULL,
		      "chunked on 1.0 or together with Content-Length");
	if (req->framing == HTTP_BODY_LENGTH)
		CHECK(http_header_get(req, "Transfer-Encoding") == NULL &&
		      req->content_length < UINT64_C(1000000000000000000),
		      "Content-Length with Transfer-Encoding, or a length of 19 digits");
}

static void check_refusal(const struct http_head *req, int rc)
{
	static const int known[] = {400, 414, 417, 431, 501, 505};
	bool ok = false;
	CHECK(rc == PARSE_BAD, "the parser answered %d", rc);
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		ok |= req->status == known[i];
	CHECK(ok, "refused with an unlisted status %d", req->status);
	if (req->error)
		CHECK(*req->error && !strpbrk(req->error, "\r\n"), "bad error text");
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* same_request — every field a handler or the log would see. */
static void check_same(const struct http_head *a, const struct http_head *b)
{
	CHECK(a->status == b->status, "status %d / %d", a->status, b->status);
	CHECK(same_str(a->error, b->error), "error text differs: '%s' / '%s'",
	      a->error ? a->error : "(null)", b->error ? b->error : "(null)");
	CHECK(same_str(a->method, b->method) && same_str(a->target, b->target) &&
	      same_str(a->path, b->path) && same_str(a->query, b->query),
	      "the request line parses differently");
	CHECK(a->version == b->version && a->nheaders == b->nheaders && a->framing == b->framing &&
	      a->content_length == b->content_length && a->keep_alive == b->keep_alive &&
	      a->expect_continue == b->expect_continue && a->bare_lf == b->bare_lf,
	      "version, headers, framing or connection flags differ");
	for (size_t i = 0; i < a->nheaders; i++)
		CHECK(same_str(a->headers[i].name, b->headers[i].name) &&
		      same_str(a->headers[i].value, b->headers[i].value), "header %zu differs", i);
}

/* check_head — returns the whole input's answer after checking every prefix. */
static int check_head(const uint8_t *p, size_t len, const struct pieces *pc)
{
	int whole = parse(p, len, &whole_req);

	if (whole > 0)
		check_success(&whole_req, p, len, whole);
	else if (whole == PARSE_INCOMPLETE)
		CHECK(len <= LIMIT_HEADERS_TOTAL,
		      "incomplete after %zu bytes: more than a head may be", len);
	else
		check_refusal(&whole_req, whole);
	if (whole != PARSE_BAD)
		CHECK(whole_req.status == 0, "status %d without a refusal", whole_req.status);

	/* As the server does: append a piece, parse everything so far, stop at an answer. */
	size_t have = 0;
	for (int i = 0; i <= pc->count && have < len; i++) {
		size_t step = i < pc->count ? pc->size[i] : len - have;
		have += step < len - have ? step : len - have;
		int rc = parse(p, have, &part_req);
		if (rc == PARSE_INCOMPLETE) {
			CHECK(have <= LIMIT_HEADERS_TOTAL, "incomplete after %zu bytes", have);
			continue;
		}
		CHECK(rc == whole, "a prefix of %zu bytes gives %d, the whole %zu bytes give %d",
		      have, rc, len, whole);
		check_same(&part_req, &whole_req);
		break;
	}
	return whole;
}

/* The result of decoding a chunked body: the decoder's answer, the decoded bytes, and the
 * bytes that follow the body (when it ended). */
struct decoded {
	long rc;
	int status;
	char *out;
	size_t out_len;
	char *rest;
	size_t rest_len;
	uint64_t total;
};

static void decoded_free(struct decoded *d)
{
	free(d->out);
	free(d->rest);
}

/* decode_whole — the body in one call, decoded in place in a copy of it. */
static void decode_whole(const uint8_t *p, size_t len, uint64_t limit, bool crlf_only,
                         struct decoded *r)
{
	struct http_chunked d = {.limit = limit, .crlf_only = crlf_only};
	char *buf = fuzz_copy(p, len);
	size_t n;

	r->rc = http_chunked_decode(&d, buf, len, buf, &n);
	CHECK(n <= len, "decoded %zu bytes out of %zu", n, len);
	CHECK(r->rc < 0 || (size_t)r->rc <= len, "used %ld bytes of %zu", r->rc, len);
	r->out = fuzz_copy(buf, n);
	r->out_len = n;
	r->rest_len = r->rc >= 0 ? len - (size_t)r->rc : 0;
	r->rest = fuzz_copy(buf + len - r->rest_len, r->rest_len); /* left where they were */
	r->total = d.total;
	r->status = d.status;
	free(buf);
}

/* decode_pieces — as httpd.c's read_chunked_body: each read is decoded on its own, its
 * decoded bytes appended to the body. */
static void decode_pieces(const uint8_t *p, size_t len, uint64_t limit, bool crlf_only,
                          const struct pieces *pc, struct decoded *r)
{
	struct http_chunked d = {.limit = limit, .crlf_only = crlf_only};
	size_t at = 0;

	r->rc = PARSE_INCOMPLETE;
	r->out = fuzz_alloc(len);
	r->out_len = 0;
	r->rest = NULL;
	r->rest_len = 0;
	for (int i = 0; i <= pc->count && at < len; i++) {
		size_t step = i < pc->count ? pc->size[i] : len - at;
		if (step > len - at)
			step = len - at;
		char *buf = fuzz_copy(p + at, step);
		size_t n;
		r->rc = http_chunked_decode(&d, buf, step, r->out + r->out_len, &n);
		CHECK(n <= step, "decoded %zu bytes out of a %zu-byte piece", n, step);
		r->out_len += n;
		if (r->rc >= 0) {
			CHECK((size_t)r->rc <= step, "used %ld bytes of a %zu-byte piece", r->rc,
			      step);
			r->rest_len = len - at - (size_t)r->rc;
			r->rest = fuzz_copy(p + at + r->rc, r->rest_len);
		}
		free(buf);
		at += step;
		if (r->rc != PARSE_INCOMPLETE)
			break;
	}
	if (!r->rest)
		r->rest = fuzz_alloc(0);
	r->total = d.total;
	r->status = d.status;
}

static void check_decoded(const struct decoded *one, const struct decoded *many, uint64_t limit)
{
	CHECK(one->rc == PARSE_INCOMPLETE || one->rc == PARSE_BAD || one->rc >= 0,
	      "decoder answered %ld", one->rc);
	CHECK(one->rc == PARSE_BAD ? one->status == 400 || one->status == 413 : one->status == 0,
	      "answer %ld with status %d", one->rc, one->status);
	/* A count of bytes used is per call: compare the bytes after the body instead. */
	CHECK(one->rc == many->rc || (one->rc >= 0 && many->rc >= 0),
	      "whole body gives %ld, in pieces %ld", one->rc, many->rc);
	CHECK(one->status == many->status, "status %d whole, %d in pieces", one->status,
	      many->status);
	CHECK(one->out_len == many->out_len && memcmp(one->out, many->out, one->out_len) == 0,
	      "decoded %zu bytes whole, %zu in pieces, or different bytes", one->out_len,
	      many->out_len);
	CHECK(one->rest_len == many->rest_len && memcmp(one->rest, many->rest, one->rest_len) == 0,
	      "the bytes after the body differ");
	CHECK(one->out_len <= limit && one->total <= limit, "decoded %zu bytes past the limit %llu",
	      one->out_len, (unsigned long long)limit);
	if (one->rc >= 0)
		CHECK(one->out_len == one->total, "total %llu but %zu bytes decoded",
		      (unsigned long long)one->total, one->out_len);
}

static void check_body(const uint8_t *p, size_t len, uint64_t limit, const struct pieces *pc)
{
	struct decoded one, many, strict_one, strict_many;

	decode_whole(p, len, limit, false, &one);
	decode_pieces(p, len, limit, false, pc, &many);
	check_decoded(&one, &many, limit);
	decode_whole(p, len, limit, true, &strict_one);
	decode_pieces(p, len, limit, true, pc, &strict_many);
	check_decoded(&strict_one, &strict_many, limit);
	if (strict_one.rc >= 0)
		CHECK(one.rc == strict_one.rc && one.out_len == strict_one.out_len &&
		      memcmp(one.out, strict_one.out, one.out_len) == 0,
		      "a body the lab accepts is decoded differently by the server");
	decoded_free(&one);
	decoded_free(&many);
	decoded_free(&strict_one);
	decoded_free(&strict_many);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct pieces head, body;

	take_pieces(&in, &head);
	take_pieces(&in, &body);
	uint8_t l = fuzz_take(&in);
	uint64_t limit = (l & 127) ? (uint64_t)(l & 127) * 37 : LIMIT_BODY_DEFAULT;

	if (l & 128) {
		check_body(in.p, in.n, limit, &body);
		return 0;
	}
	int rc = check_head(in.p, in.n, &head);
	if (rc > 0 && whole_req.framing == HTTP_BODY_CHUNKED)
		check_body(in.p + rc, in.n - (size_t)rc, limit, &body);
	return 0;
}
