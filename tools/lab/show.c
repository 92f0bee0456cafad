/* show.c — printing a request as bytes and the responses that came back. */
#include "show.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gzip.h"
#include "normal.h"

#define GZIP_SHOW_MAX (64 * 1024 * 1024) /* a larger inflated body is not worth showing */
#define LINE_SHOW_MAX 200                 /* characters of one request line before cutting */

/* ---- bytes as text ----------------------------------------------------------------- */

/* utf8_len — the length of the valid UTF-8 sequence of two or more bytes at p[0..n), or 0
 * (overlong forms and surrogates do not count as valid). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return len;
}

/* put_escaped — p[0..n) with CR, and LF too when visible_lf, written as \r and \n; other
 * non-printing bytes as \xNN; backslash doubled when exact (so the bytes can be read
 * back without doubt). */
static void put_escaped(FILE *out, const struct style *st, const unsigned char *p, size_t n,
                        bool visible_lf, bool exact)
{
	for (size_t i = 0; i < n; i++) {
		size_t u = p[i] >= 0x80 ? utf8_len(p + i, n - i) : 0;
		if (u) {
			fwrite(p + i, 1, u, out);
			i += u - 1;
		} else if ((p[i] >= 0x20 && p[i] < 0x7f && !(exact && p[i] == '\\')) ||
		           (p[i] == '\t' && !exact) || (p[i] == '\n' && !visible_lf)) {
			fputc(p[i], out);
		} else {
			const char *name = p[i] == '\r' ? "\\r" : p[i] == '\n' ? "\\n"
			                 : p[i] == '\t' ? "\\t" : p[i] == '\\' ? "\\\\" : NULL;
			fputs(style_on(st, ST_ESCAPE), out);
			if (name)
				fputs(name, out);
			else
				fprintf(out, "\\x%02x", p[i]);
			fputs(style_on(st, ST_RESET), out);
		}
	}
}

void show_escaped(FILE *out, const struct style *st, const unsigned char *p, size_t n)
{
	put_escaped(out, st, p, n, false, false);
}

/* show_is_binary — a NUL, or more than 10% of bytes that are neither text (printable ASCII,
 * tab, CR, LF) nor part of valid UTF-8: the rule the golden files use, kinder to UTF-8. */
bool show_is_binary(const unsigned char *p, size_t n)
{
	size_t other = 0;

	for (size_t i = 0; i < n; i++) {
		size_t u = p[i] >= 0x80 ? utf8_len(p + i, n - i) : 0;
		if (p[i] == 0)
			return true;
		if (u)
			i += u - 1;
		else if (!(p[i] >= 0x20 && p[i] < 0x7f) && p[i] != '\t' && p[i] != '\r' &&
		         p[i] != '\n')
			other++;
	}
	return other * 10 > n;
}

/* ---- the request --------------------------------------------------------------------- */

/* show_request_line — "> " and one line of the request, its line end written out. */
static void show_request_line(FILE *out, const struct style *st, const unsigned char *p,
                              size_t n, bool full)
{
	size_t shown = !full && n > LINE_SHOW_MAX ? LINE_SHOW_MAX : n;

	fprintf(out, "%s>%s ", style_on(st, ST_DIM), style_on(st, ST_RESET));
	put_escaped(out, st, p, shown, true, true);
	if (shown < n)
		fprintf(out, "%s… (%zu more bytes on this line)%s", style_on(st, ST_DIM), n - shown,
		        style_on(st, ST_RESET));
	fputc('\n', out);
}

void show_request(FILE *out, const struct style *st, const unsigned char *req, size_t len,
                  const char *where, const struct show_limits *lim)
{
	size_t pos = 0, lines = 0;

	fprintf(out, "%s--- request, %zu bytes, to %s%s\n", style_on(st, ST_DIM), len, where,
	        style_on(st, ST_RESET));
	if (len == 0)
		fprintf(out, "%s(nothing: the lab connects, sends no byte, and ends its side)%s\n",
		        style_on(st, ST_DIM), style_on(st, ST_RESET));
	while (pos < len) {
		const unsigned char *lf = memchr(req + pos, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - (req + pos)) + 1 : len - pos;
		if (!lim->full && lines == lim->max_lines) {
			size_t more = 0;
			for (size_t i = pos; i < len; i++)
				more += req[i] == '\n';
			fprintf(out, "%s… %zu more lines, %zu more bytes (--full shows them)%s\n",
			        style_on(st, ST_DIM), more + (req[len - 1] != '\n'), len - pos,
			        style_on(st, ST_RESET));
			return;
		}
		show_request_line(out, st, req + pos, n, lim->full);
		pos += n;
		lines++;
	}
}

/* ---- responses ----------------------------------------------------------------------- */

/* status_part — the colour of a status code's class. */
static enum style_part status_part(int status)
{
	return status < 300 ? ST_OK : status < 400 ? ST_REDIRECT : status < 500 ? ST_CLIENT_ERR
	                                                                        : ST_SERVER_ERR;
}

/* show_head — "< " before the status line and every header, names coloured. */
static void show_head(FILE *out, const struct style *st, const struct client_response *r)
{
	fprintf(out, "%s<%s %s", style_on(st, ST_DIM), style_on(st, ST_RESET),
	        style_on(st, status_part(r->status)));
	put_escaped(out, st, (const unsigned char *)r->status_line.p, r->status_line.len, true,
	            false);
	fprintf(out, "%s\n", style_on(st, ST_RESET));
	for (size_t i = 0; i < r->nheaders; i++) {
		const struct client_header *h = &r->headers[i];
		fprintf(out, "%s<%s %s%.*s%s: ", style_on(st, ST_DIM), style_on(st, ST_RESET),
		        style_on(st, ST_NAME), (int)h->name.len, h->name.p, style_on(st, ST_RESET));
		put_escaped(out, st, (const unsigned char *)h->value.p, h->value.len, true, false);
		fputc('\n', out);
	}
	fprintf(out, "%s<%s\n", style_on(st, ST_DIM), style_on(st, ST_RESET));
}

/* show_text — up to the limits of a text body, then a newline if it lacks one. Returns
 * the bytes shown. */
static size_t show_text(FILE *out, const struct style *st, const unsigned char *p, size_t n,
                        const struct show_limits *lim)
{
	size_t shown = n, lines = 0;

	if (!lim->full) {
		if (shown > lim->max_bytes)
			shown = lim->max_bytes;
		for (size_t i = 0; i < shown; i++)
			if (p[i] == '\n' && ++lines == lim->max_lines)
				shown = i + 1;
	}
	put_escaped(out, st, p, shown, false, false);
	if (shown && p[shown - 1] != '\n')
		fputc('\n', out);
	return shown;
}

/* show_content_coding — the Content-Encoding, lower-cased, into out ("" when none). */
void show_content_coding(const struct client_response *r, char *out, size_t cap)
{
	const struct span *v = client_header_get(r, "Content-Encoding");
	size_t n = v ? (v->len < cap - 1 ? v->len : cap - 1) : 0;

	for (size_t i = 0; i < n; i++)
		out[i] = (char)(v->p[i] >= 'A' && v->p[i] <= 'Z' ? v->p[i] + 32 : v->p[i]);
	out[n] = '\0';
}

/* show_content — the body's bytes (already de-chunked), gzip undone, as text or as a
 * description; then one line about its size. */
static void show_content(FILE *out, const struct style *st, const struct client_response *r,
                         const unsigned char *body, size_t len, struct sniffer *sn,
                         const struct show_limits *lim)
{
	char coding[32], note[160] = "", type[128];
	unsigned char *inflated = NULL;
	size_t inflated_len = 0, shown = len;

	show_content_coding(r, coding, sizeof coding);
	if (strcmp(coding, "gzip") == 0 || strcmp(coding, "x-gzip") == 0) {
		int rc = gz_decompress(body, len, GZIP_SHOW_MAX, &inflated, &inflated_len);
		if (rc == 0)
			snprintf(note, sizeof note, " gzip, %zu bytes decoded", inflated_len);
		else
			snprintf(note, sizeof note, " gzip that cannot be decoded (%s)",
			         rc == -2 ? "it inflates past 64 MiB" : "truncated or corrupt");
	} else if (*coding && strcmp(coding, "identity") != 0) {
		snprintf(note, sizeof note, " in %s, which the lab does not decode", coding);
	}
	const unsigned char *text = inflated ? inflated : body;
	size_t text_len = inflated ? inflated_len : len;
	bool undecoded = *note && !inflated;
	if (undecoded || show_is_binary(text, text_len)) {
		if (!sn || sniff_bytes(sn, text, text_len, type) != 0)
			snprintf(type, sizeof type, "an unknown type");
		fprintf(out, "%s[binary body: %zu bytes, %s by its content]%s\n",
		        style_on(st, ST_DIM), text_len, type, style_on(st, ST_RESET));
		shown = text_len;
	} else {
		shown = show_text(out, st, text, text_len, lim);
	}
	fprintf(out, "%s--- body: %zu bytes%s", style_on(st, ST_DIM), len, note);
	if (shown < text_len)
		fprintf(out, "; cut after %zu bytes (--full shows all)", shown);
	fprintf(out, "%s\n", style_on(st, ST_RESET));
	free(inflated);
}

/* show_body — the body of a complete response, chunks joined first. */
static void show_body(FILE *out, const struct style *st, const struct client_response *r,
                      struct sniffer *sn, const struct show_limits *lim)
{
	if (r->framing == CLIENT_BODY_NONE) {
		const struct span *cl = client_header_get(r, "Content-Length");
		fprintf(out, "%s--- no body: a %s response has none%s%.*s%s\n",
		        style_on(st, ST_DIM), r->status < 200 ? "1xx" : r->status == 204 ? "204"
		        : r->status == 304 ? "304" : "HEAD",
		        cl ? " (its Content-Length is GET's: " : "",
		        cl ? (int)cl->len : 0, cl ? cl->p : "", cl ? ")" : "");
		fputs(style_on(st, ST_RESET), out);
		return;
	}
	if (r->body_len == 0) {
		fprintf(out, "%s--- body: 0 bytes%s\n", style_on(st, ST_DIM),
		        style_on(st, ST_RESET));
		return;
	}
	if (r->framing != CLIENT_BODY_CHUNKED) {
		show_content(out, st, r, (const unsigned char *)r->body.p, r->body.len, sn, lim);
		return;
	}
	char *joined = malloc(r->body_len);
	if (!joined) {
		fprintf(out, "--- body: %zu bytes (out of memory to show it)\n", r->body_len);
		return;
	}
	client_dechunk(r, joined, r->body_len);
	show_content(out, st, r, (unsigned char *)joined, r->body_len, sn, lim);
	fprintf(out, "%s    (sent in chunks: %zu bytes on the wire)%s\n", style_on(st, ST_DIM),
	        r->body.len, style_on(st, ST_RESET));
	free(joined);
}

/* show_cut_short — a response whose head came but whose body did not end. */
static void show_cut_short(FILE *out, const struct style *st, const struct client_response *r,
                           const unsigned char *rest, size_t n, bool closed,
                           const struct show_limits *lim)
{
	show_text(out, st, rest, n, lim);
	fputs(style_on(st, ST_ERROR), out);
	if (r->framing == CLIENT_BODY_LENGTH)
		fprintf(out, "--- body cut short: Content-Length says %llu, %zu bytes came",
		        (unsigned long long)r->content_length, n);
	else if (r->framing == CLIENT_BODY_CHUNKED)
		fprintf(out, "--- chunked body not finished (%zu bytes came, shown as sent)", n);
	else
		fprintf(out, "--- %zu body bytes so far; the body runs until the server closes", n);
	fprintf(out, "%s%s\n", closed ? " before the server closed" : "", style_on(st, ST_RESET));
}

/* show_unparsed — bytes that are not an HTTP response: why is the parser's answer, r
 * says whether the head was only too large. */
static void show_unparsed(FILE *out, const struct style *st, const unsigned char *p, size_t n,
                          long why, const struct client_response *r,
                          const struct show_limits *lim)
{
	const char *what = r->too_large
		? "a response head of sane size (over 64 KiB or 100 headers)"
		: why == PARSE_INCOMPLETE ? "a complete response head"
		: "an HTTP/1.1 response (status line, CRLF lines)";

	fprintf(out, "%s--- %zu bytes that are not %s:%s\n", style_on(st, ST_ERROR), n, what,
	        style_on(st, ST_RESET));
	show_text(out, st, p, n, lim);
}

int show_responses(FILE *out, const struct style *st, const struct client_reply *reply,
                   const unsigned char *req, size_t req_len, struct sniffer *sn,
                   const struct show_limits *lim)
{
	char methods[64][16];
	size_t nmethods = normal_methods(req, req_len, methods, 64), next = 0, off = 0;
	int finals = 0, count = 0;
	struct client_response *r = malloc(sizeof *r);

	if (!r)
		return 0;
	while (off < reply->len) {
		const char *p = (const char *)reply->data + off;
		const char *method = next < nmethods ? methods[next] : "GET";
		long n = client_parse_response(p, reply->len - off, method, reply->closed, r);
		if (n < 0 && !(n == PARSE_INCOMPLETE && r->head_len)) {
			show_unparsed(out, st, (const unsigned char *)p, reply->len - off, n, r,
			              lim);
			break;
		}
		fprintf(out, "%s--- response %d%s\n", style_on(st, ST_DIM), ++count,
		        style_on(st, ST_RESET));
		show_head(out, st, r);
		if (n < 0) {
			show_cut_short(out, st, r, (const unsigned char *)p + r->head_len,
			               reply->len - off - r->head_len, reply->closed, lim);
			break;
		}
		show_body(out, st, r, sn, lim);
		off += (size_t)n;
		if (!client_is_interim(r)) {
			finals++;
			next++;
		}
	}
	free(r);
	return finals;
}
