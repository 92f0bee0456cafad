/* diff_multipart.c — common/http/multipart.c, the student's against the reference:
 * mp_feed of one body, delimited by "XyZ", fed in pieces.
 *
 * Input layout: [C] body. C + 1 is the size of the pieces the body is fed in, so a
 * delimiter split across reads is tried too. Compared: each call's return, after
 * PARSE_BAD the status and why, and each part's headers, its content (however it was
 * handed over in pieces) and its end. */
#include "diff.h"

#include "multipart.h"
#include "parse.h"

void REF(mp_init)(struct mp_parser *p, const char *boundary, size_t len,
                  const struct mp_callbacks *cb, void *ctx);
int REF(mp_feed)(struct mp_parser *p, const char *buf, size_t len);

/* A part's content arrives in pieces of any size: it is shown whole, at its end. */
struct events {
	FILE *f;
	char *data;
	size_t len, cap;
};

static int on_begin(void *ctx, const struct mp_part *part)
{
	struct events *e = ctx;

	fputs(" [part name ", e->f);
	diff_bytes(e->f, part->name, strlen(part->name));
	fputs(part->has_filename ? ", filename " : ", no filename", e->f);
	if (part->has_filename)
		diff_bytes(e->f, part->filename, strlen(part->filename));
	fputs(", type ", e->f);
	diff_bytes(e->f, part->content_type, strlen(part->content_type));
	e->len = 0;
	return 0;
}

static int on_data(void *ctx, const char *data, size_t len)
{
	struct events *e = ctx;

	if (len > e->cap - e->len)
		abort(); /* a part's content is never more than the body */
	memcpy(e->data + e->len, data, len);
	e->len += len;
	return 0;
}

static int on_end(void *ctx)
{
	struct events *e = ctx;

	fputs(": ", e->f);
	diff_bytes(e->f, e->data, e->len);
	fputs(" end]", e->f);
	return 0;
}

static void parsed(struct diff_text *t, const uint8_t *data, size_t size, bool ref)
{
	static const struct mp_callbacks cb = {on_begin, on_data, on_end};
	struct mp_parser *p = calloc(1, sizeof *p);
	size_t piece = (size_t)data[0] + 1, n = size - 1;
	const char *body = (const char *)data + 1;

	diff_open(t);
	struct events e = {t->f, malloc(n + 1), 0, n + 1};
	if (!p || !e.data)
		abort();
	if (ref)
		REF(mp_init)(p, "XyZ", 3, &cb, &e);
	else
		mp_init(p, "XyZ", 3, &cb, &e);
	for (size_t at = 0; at < n; at += piece) {
		size_t len = n - at < piece ? n - at : piece;
		int rc = ref ? REF(mp_feed)(p, body + at, len) : mp_feed(p, body + at, len);
		if (rc == PARSE_INCOMPLETE)
			continue;
		fprintf(t->f, " (the piece from %zu returns %d", at, rc);
		if (rc == PARSE_BAD)
			fprintf(t->f, ", status %d: %s", p->status, p->error ? p->error : "(none)");
		fputc(')', t->f);
		break;
	}
	free(e.data);
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff_text mine, theirs;
	char call[4 * 4096 + 64];

	if (size < 1 || size > 4096)
		return 0;
	char *q = diff_quote(data + 1, size - 1);
	snprintf(call, sizeof call, "mp_feed(boundary \"XyZ\", %s in pieces of %d)", q,
	         data[0] + 1);
	free(q);
	parsed(&mine, data, size, false);
	parsed(&theirs, data, size, true);
	diff_check(call, data, size, &mine, &theirs);
	return 0;
}
