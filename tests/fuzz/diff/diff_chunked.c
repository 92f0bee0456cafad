/* diff_chunked.c — common/http/http_chunked.c, the student's against the reference:
 * http_chunked_decode of one body fed in pieces.
 *
 * Input layout: [C] body. C bit 0 sets crlf_only; bit 1 a small limit (64 bytes, else
 * 1 MiB); bits 2-7 + 1 are the size of the pieces the body is fed in, so a line split
 * across reads is tried too. Every call's return, the bytes decoded, and after PARSE_BAD
 * the status and why, are compared. */
#include "diff.h"

#include "http.h"
#include "parse.h"

long REF(http_chunked_decode)(struct http_chunked *d, const char *in, size_t len, char *out,
                              size_t *out_len);

/* decoded — the whole run of calls, as text. */
static void decoded(struct diff_text *t, const uint8_t *data, size_t size, bool ref)
{
	struct http_chunked d = {.limit = data[0] & 2 ? 64 : 1024 * 1024, .crlf_only = data[0] & 1};
	size_t piece = (size_t)(data[0] >> 2) + 1;
	const char *body = (const char *)data + 1;
	size_t n = size - 1;
	char *out = malloc(n + 1);

	if (!out)
		abort();
	diff_open(t);
	for (size_t at = 0; at < n || n == 0; at += piece) {
		size_t len = n - at < piece ? n - at : piece, got = 0;
		long rc = ref ? REF(http_chunked_decode)(&d, body + at, len, out, &got)
		              : http_chunked_decode(&d, body + at, len, out, &got);
		fprintf(t->f, "[%zu bytes from %zu: returns %ld, data ", len, at, rc);
		diff_bytes(t->f, out, got <= len ? got : len);
		fputc(']', t->f);
		if (rc == PARSE_BAD)
			fprintf(t->f, " status %d: %s", d.status, d.error ? d.error : "(none)");
		if (rc != PARSE_INCOMPLETE || n == 0)
			break;
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff_text mine, theirs;
	char call[64];

	if (size < 1 || size > 4096)
		return 0;
	snprintf(call, sizeof call, "http_chunked_decode(body, in pieces of %d)%s",
	         (data[0] >> 2) + 1, data[0] & 1 ? ", crlf_only" : "");
	decoded(&mine, data, size, false);
	decoded(&theirs, data, size, true);
	diff_check(call, data, size, &mine, &theirs);
	return 0;
}
