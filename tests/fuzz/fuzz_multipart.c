/* fuzz_multipart.c — common/http/multipart.c on arbitrary bytes, fed the way lesson 08 feeds
 * it: the boundary comes from the request's Content-Type, and the body arrives in
 * pieces of whatever size the socket gives.
 *
 * Input layout: [S] [S & 15 size bytes] Content-Type value LF body
 *
 *   S  pieces: low 4 bits k, high 4 bits (mod 9) a shift s; each of the k bytes b gives
 *      a piece of (b + 1) << s bytes; what is left of the body arrives as one piece.
 *   Content-Type: everything up to the first LF, given to mp_boundary. When it names
 *      no usable boundary, the body is parsed with the boundary "b" instead, so that
 *      every input still reaches the body parser.
 *
 * Properties (each a CHECK that aborts):
 *   - mp_boundary returns 0, -1 or a length of 1 to 70 that matches strlen(out), and
 *     the boundary holds no CR, LF or NUL (it goes into a delimiter line);
 *   - the body fed in pieces gives exactly what it gives fed whole: the same events
 *     (part headers, the part's bytes in order, part ends), the same result, the same
 *     error text, and the close delimiter found at the same offset;
 *   - mp_feed never says it used more bytes than it was given, a PARSE_BAD names its
 *     reason and status 400, and part_end follows part_begin once for each part, so
 *     that lesson 08 never closes a file it did not open;
 *   - every string in struct mp_part is NUL-terminated inside its array. */
#include "fuzz.h"

#include <stdbool.h>

#include "multipart.h"

/* A record of what the callbacks saw, as bytes: 'B' name NUL filename NUL type NUL for
 * a part's start, 'D' then the bytes for its content (consecutive pieces merged, so the
 * record does not depend on how the content was cut), 'E' for its end. */
struct record {
	char *bytes;
	size_t len, cap;
	bool in_data;
	int open; /* part_begin calls not yet matched by part_end */
};

static void put(struct record *r, const void *p, size_t n)
{
	if (r->len + n > r->cap) {
		size_t cap = r->cap ? r->cap : 256;
		while (cap < r->len + n)
			cap *= 2;
		r->bytes = realloc(r->bytes, cap);
		if (!r->bytes)
			abort();
		r->cap = cap;
	}
	if (n)
		memcpy(r->bytes + r->len, p, n);
	r->len += n;
}

static void put_field(struct record *r, const char *field, size_t size, const char *what)
{
	const char *nul = memchr(field, '\0', size);
	CHECK(nul != NULL, "part %s is not NUL-terminated inside its array", what);
	put(r, field, (size_t)(nul - field) + 1);
}

static int on_begin(void *ctx, const struct mp_part *part)
{
	struct record *r = ctx;

	CHECK(r->open == 0, "part_begin while a part is still open");
	r->open = 1;
	r->in_data = false;
	put(r, "B", 1);
	put_field(r, part->name, sizeof part->name, "name");
	put(r, part->has_filename ? "f" : "-", 1);
	put_field(r, part->filename, sizeof part->filename, "filename");
	put_field(r, part->content_type, sizeof part->content_type, "content type");
	return 0;
}

static int on_data(void *ctx, const char *data, size_t len)
{
	struct record *r = ctx;

	CHECK(r->open == 1, "part_data outside a part");
	if (!r->in_data)
		put(r, "D", 1);
	r->in_data = true;
	put(r, data, len);
	return 0;
}

static int on_end(void *ctx)
{
	struct record *r = ctx;

	CHECK(r->open == 1, "part_end without part_begin");
	r->open = 0;
	r->in_data = false;
	put(r, "E", 1);
	return 0;
}

static const struct mp_callbacks callbacks = {on_begin, on_data, on_end};

/* The outcome of one parse of a body. */
struct outcome {
	struct record rec;
	int rc;            /* the last mp_feed result */
	size_t end;        /* with rc >= 0: offset in the body just past the close delimiter */
	const char *error; /* after PARSE_BAD */
	bool done;
};

/* feed — parses body[0..len) in the given pieces (the rest in one last piece), each an
 * exact-size heap copy so that a read past a piece is an ASan report. */
static void feed(const char *boundary, size_t blen, const uint8_t *body, size_t len,
                 const size_t *sizes, int count, struct outcome *out)
{
	struct mp_parser p;
	size_t pos = 0;

	memset(out, 0, sizeof *out);
	mp_init(&p, boundary, blen, &callbacks, &out->rec);
	out->rc = PARSE_INCOMPLETE;
	for (int i = 0; i <= count && pos < len && out->rc == PARSE_INCOMPLETE; i++) {
		size_t n = i < count ? sizes[i] : len - pos;
		if (n > len - pos)
			n = len - pos;
		char *piece = fuzz_copy(body + pos, n);
		out->rc = mp_feed(&p, piece, n);
		free(piece);
		CHECK(out->rc >= PARSE_STOPPED && (out->rc < 0 || (size_t)out->rc <= n),
		      "mp_feed returned %d for a piece of %zu bytes", out->rc, n);
		if (out->rc >= 0)
			out->end = pos + (size_t)out->rc;
		pos += n;
	}
	out->done = mp_done(&p);
	if (out->rc == PARSE_BAD) {
		CHECK(p.error != NULL && p.status == 400, "PARSE_BAD without a reason or a 400");
		out->error = p.error;
	}
	CHECK(out->rc != PARSE_STOPPED, "PARSE_STOPPED, though no callback stopped the parse");
	CHECK(out->done == (out->rc >= 0), "mp_done is %d after a result of %d", out->done,
	      out->rc);
	if (out->done)
		CHECK(out->rec.open == 0, "the body closed with a part still open");
}

static void check_boundary(const uint8_t *ct, size_t n, char out[LIMIT_MULTIPART_BOUNDARY + 1],
                           int *len)
{
	char *s = fuzz_cstr(ct, n);

	memset(out, 0, LIMIT_MULTIPART_BOUNDARY + 1);
	*len = mp_boundary(s, out);
	free(s);
	CHECK(*len >= -1 && *len <= LIMIT_MULTIPART_BOUNDARY, "mp_boundary returned %d", *len);
	if (*len > 0) {
		CHECK(strlen(out) == (size_t)*len, "boundary length %d, strlen %zu", *len,
		      strlen(out));
		CHECK(strpbrk(out, "\r\n") == NULL, "a line break in the boundary");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	size_t sizes[16];
	uint8_t ctl = fuzz_take(&in);
	unsigned shift = (unsigned)(ctl >> 4) % 9;
	int count = ctl & 15;

	for (int i = 0; i < count; i++)
		sizes[i] = ((size_t)fuzz_take(&in) + 1) << shift;

	const uint8_t *lf = memchr(in.p, '\n', in.n);
	size_t ct_len = lf ? (size_t)(lf - in.p) : in.n;
	char boundary[LIMIT_MULTIPART_BOUNDARY + 1];
	int blen;

	check_boundary(in.p, ct_len, boundary, &blen);
	if (blen <= 0) {
		strcpy(boundary, "b");
		blen = 1;
	}
	const uint8_t *body = lf ? lf + 1 : in.p + in.n;
	size_t body_len = lf ? in.n - ct_len - 1 : 0;

	struct outcome whole, split;
	feed(boundary, (size_t)blen, body, body_len, sizes, 0, &whole);
	feed(boundary, (size_t)blen, body, body_len, sizes, count, &split);

	/* A result of 0 or more counts bytes of the last piece fed: compare offsets. */
	CHECK(whole.rc == split.rc || (whole.rc >= 0 && split.rc >= 0), "whole %d, in pieces %d",
	      whole.rc, split.rc);
	CHECK(whole.rc < 0 || whole.end == split.end, "close delimiter ends at %zu whole, %zu "
	      "in pieces", whole.end, split.end);
	CHECK(whole.error == split.error || (whole.error && split.error &&
	                                     strcmp(whole.error, split.error) == 0),
	      "error \"%s\" whole, \"%s\" in pieces", whole.error ? whole.error : "",
	      split.error ? split.error : "");
	CHECK(whole.rec.len == split.rec.len &&
	      (whole.rec.len == 0 || memcmp(whole.rec.bytes, split.rec.bytes, whole.rec.len) == 0),
	      "the callbacks saw different things whole (%zu bytes) and in pieces (%zu)",
	      whole.rec.len, split.rec.len);
	free(whole.rec.bytes);
	free(split.rec.bytes);
	return 0;
}
