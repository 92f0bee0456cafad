/* normal.c — responses normalised for check's diff. */
#include "normal.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client.h"
#include "gzip.h"
#include "show.h"

#define METHODS_MAX 64
#define DECODED_MAX (16 * 1024 * 1024) /* a gzip body inflating beyond this is not text */
#define UNPARSED_SHOWN 2048

static const char *const masked[] = {"date", "expires", "last-modified", "server"};

void normal_text(FILE *f, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' || p[i] == '\n')
			fputc(p[i], f);
		else
			fprintf(f, "\\x%02x", p[i]);
	}
}

/* put_lower — a header name, lower-cased. */
static void put_lower(FILE *f, const struct span *s)
{
	for (size_t i = 0; i < s->len; i++)
		fputc(s->p[i] >= 'A' && s->p[i] <= 'Z' ? s->p[i] + 32 : s->p[i], f);
}

/* fnv1a — a 64-bit FNV-1a hash: enough to tell two binary bodies apart. */
static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* is_masked — a header whose value changes from run to run or server to server. */
static bool is_masked(const struct span *name)
{
	for (size_t i = 0; i < sizeof masked / sizeof masked[0]; i++)
		if (name->len == strlen(masked[i]) && strncasecmp(name->p, masked[i], name->len) == 0)
			return true;
	return false;
}

/* by_name — header order for the text: by lower-cased name, then as received. */
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

/* put_value — one header's value: masked, the length judged against the body, or as
 * received. */
static void put_value(FILE *f, const struct client_response *r, const struct client_header *h)
{
	if (is_masked(&h->name)) {
		fputs("<masked>", f);
	} else if (h->name.len == 14 && strncasecmp(h->name.p, "content-length", 14) == 0 &&
	           r->framing == CLIENT_BODY_LENGTH) {
		/* framed by it, so it counts the bytes that came: they are compared instead */
		fputs("<matches the body>", f);
	} else {
		normal_text(f, (const unsigned char *)h->value.p, h->value.len);
	}
}

/* put_head — the status line and the sorted headers. */
static void put_head(FILE *f, const struct client_response *r)
{
	const struct client_header *order[CLIENT_MAX_HEADERS];

	normal_text(f, (const unsigned char *)r->status_line.p, r->status_line.len);
	fputc('\n', f);
	for (size_t i = 0; i < r->nheaders; i++)
		order[i] = &r->headers[i];
	qsort(order, r->nheaders, sizeof order[0], by_name);
	for (size_t i = 0; i < r->nheaders; i++) {
		put_lower(f, &order[i]->name);
		fputs(": ", f);
		put_value(f, r, order[i]);
		fputc('\n', f);
	}
}

/* put_content — a whole body (de-chunked): gzip undone, then text or a description. */
static void put_content(FILE *f, const struct client_response *r, const unsigned char *body,
                        size_t len)
{
	char coding[32];
	unsigned char *decoded = NULL;
	size_t dlen = 0;

	show_content_coding(r, coding, sizeof coding);
	bool gz = strcmp(coding, "gzip") == 0 || strcmp(coding, "x-gzip") == 0;
	if (gz && gz_decompress(body, len, DECODED_MAX, &decoded, &dlen) != 0) {
		fprintf(f, "--- body: gzip that cannot be decoded, hash %016llx\n",
		        (unsigned long long)fnv1a(body, len));
		return;
	}
	if (gz) {
		body = decoded;
		len = dlen;
	}
	if (show_is_binary(body, len)) {
		fprintf(f, "--- body: %zu bytes%s binary, hash %016llx\n", len, gz ? " decoded," : "",
		        (unsigned long long)fnv1a(body, len));
	} else {
		fprintf(f, "--- body: %zu bytes%s\n", len, gz ? " decoded" : "");
		normal_text(f, body, len);
		if (len && body[len - 1] != '\n')
			fputc('\n', f);
	}
	free(decoded);
}

/* put_body — the body of a response the parser accepted whole. */
static int put_body(FILE *f, const struct client_response *r)
{
	if (r->framing == CLIENT_BODY_NONE)
		return 0;
	if (r->framing != CLIENT_BODY_CHUNKED) {
		put_content(f, r, (const unsigned char *)r->body.p, r->body.len);
		return 0;
	}
	char *plain = malloc(r->body_len + 1);
	if (!plain)
		return -1;
	size_t n = client_dechunk(r, plain, r->body_len + 1);
	put_content(f, r, (const unsigned char *)plain, n);
	free(plain);
	return 0;
}

/* put_unparsed — what follows where parsing stopped, cut to UNPARSED_SHOWN bytes. */
static void put_unparsed(FILE *f, const unsigned char *p, size_t n, const char *why)
{
	fprintf(f, "=== %s: ", why);
	normal_text(f, p, n < UNPARSED_SHOWN ? n : UNPARSED_SHOWN);
	fprintf(f, "%s\n", n > UNPARSED_SHOWN ? " …" : "");
}

/* put_responses — every response in data, in order. */
static int put_responses(FILE *f, const unsigned char *data, size_t len,
                         char methods[][16], size_t nmethods, struct client_response *r)
{
	size_t off = 0, next = 0;
	int count = 0;

	while (off < len) {
		const char *p = (const char *)data + off;
		long n = client_parse_response(p, len - off, next < nmethods ? methods[next] : "GET",
		                               true, r);
		if (n < 0 && !(n == PARSE_INCOMPLETE && r->head_len)) {
			put_unparsed(f, data + off, len - off, "unparsed");
			return 0;
		}
		fprintf(f, "=== response %d\n", ++count);
		put_head(f, r);
		if (n < 0) {
			put_unparsed(f, data + off + r->head_len, len - off - r->head_len, "body cut short");
			return 0;
		}
		if (put_body(f, r) != 0)
			return -1;
		off += (size_t)n;
		if (!client_is_interim(r))
			next++;
	}
	if (count == 0)
		fputs("=== no response\n", f);
	return 0;
}

int normal_reply(const unsigned char *data, size_t len, const unsigned char *req,
                 size_t req_len, char **out)
{
	char methods[METHODS_MAX][16];
	size_t nmethods = request_methods(req, req_len, methods, METHODS_MAX), size = 0;
	struct client_response *r = malloc(sizeof *r); /* large: not on a thread's stack */
	FILE *f = open_memstream(out, &size);
	int rc = -1;

	if (r && f)
		rc = put_responses(f, data, len, methods, nmethods, r);
	if (f && fclose(f) != 0)
		rc = -1;
	free(r);
	if (rc != 0 && f) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
