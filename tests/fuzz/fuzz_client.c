/* fuzz_client.c — the lab's response parser (tools/util/client.c) on arbitrary bytes:
 * what a student's server sends back, which `lab check` and `lab send` must read
 * without crashing however wrong it is.
 *
 * Input layout: [M] [S] payload
 *   M  the request's method: bit 0 HEAD (else GET)
 *   S  where the payload is cut to try a prefix: S * len / 256
 *   payload: the response bytes.
 *
 * Properties (each a CHECK that aborts):
 *   - client_parse_response on the whole input (at the end of the stream) answers
 *     PARSE_BAD, PARSE_INCOMPLETE or a length in 1..len; a refusal names its error;
 *   - on any prefix, before the end of the stream, the answer is PARSE_INCOMPLETE or
 *     the whole input's: bytes still to come never change a verdict already given
 *     (only a body framed by the close needs the end of the stream);
 *   - on success the status line, reason, header names and values, body and trailers
 *     lie inside the input (an exact-size copy: ASan sees a read past it), header names
 *     are tokens, head_len <= the length, and client_dechunk writes body_len bytes. */
#include "fuzz.h"

#include <stdbool.h>

#include "chars.h"
#include "client.h"
#include "http.h"

/* Large: static, not on the stack. */
static struct client_response whole_res, part_res;

static bool inside(struct span s, const char *buf, size_t len)
{
	return s.len == 0 || (s.p >= buf && s.p + s.len <= buf + len);
}

static void check_success(const struct client_response *res, const char *buf, size_t len,
                          long rc)
{
	CHECK(rc > 0 && (size_t)rc <= len, "length %ld of %zu", rc, len);
	CHECK(res->head_len > 0 && res->head_len <= (size_t)rc, "head_len %zu", res->head_len);
	CHECK(inside(res->status_line, buf, len) && inside(res->reason, buf, len),
	      "status line outside the input");
	CHECK(inside(res->body, buf, len) && inside(res->trailers, buf, len),
	      "body outside the input");
	CHECK(res->nheaders <= CLIENT_MAX_HEADERS, "%zu headers", res->nheaders);
	for (size_t i = 0; i < res->nheaders; i++) {
		const struct client_header *h = &res->headers[i];
		CHECK(h->name.len > 0 && inside(h->name, buf, len) && inside(h->value, buf, len),
		      "header %zu outside the input", i);
		for (size_t k = 0; k < h->name.len; k++) {
			unsigned char c = (unsigned char)h->name.p[k];
			CHECK(chars_is_tchar(c), "header name byte 0x%02x", c);
		}
	}
	char *out = fuzz_alloc(res->body_len);
	CHECK(client_dechunk(res, out, res->body_len) == res->body_len, "dechunk fell short");
	free(out);
}

static long parse(const uint8_t *p, size_t n, const char *method, bool eof,
                  struct client_response *res, char **copy)
{
	*copy = fuzz_copy(p, n);
	return client_parse_response(*copy, n, method, eof, res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	const char *method = fuzz_take(&in) & 1 ? "HEAD" : "GET";
	size_t cut = (size_t)fuzz_take(&in) * in.n / 256;
	char *buf, *part;

	long rc = parse(in.p, in.n, method, true, &whole_res, &buf);
	CHECK(rc == PARSE_BAD || rc == PARSE_INCOMPLETE || (rc > 0 && (size_t)rc <= in.n),
	      "client_parse_response returned %ld", rc);
	CHECK(rc != PARSE_BAD || whole_res.error != NULL, "a refusal without its error");
	if (rc > 0)
		check_success(&whole_res, buf, in.n, rc);

	long prc = parse(in.p, cut, method, false, &part_res, &part);
	CHECK(prc == PARSE_INCOMPLETE || prc == rc,
	      "a prefix of %zu bytes gave %ld, the whole %zu gave %ld", cut, prc, in.n, rc);
	if (prc > 0)
		check_success(&part_res, part, cut, prc);
	free(part);
	free(buf);
	return 0;
}
