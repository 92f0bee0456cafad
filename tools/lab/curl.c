/* curl.c — turning request bytes back into a curl command line.
 *
 * curl sends well-formed requests only, so the bytes are first read with the same parser
 * the lesson servers use: whatever it refuses, curl cannot send either. curl adds Host,
 * User-Agent and Accept on its own; the command overrides or removes each ("-H 'Accept:'")
 * so that the headers match. Header order may still differ: curl puts its own first. */
#include "curl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

#define WORDS_MAX 256
#define INLINE_BODY_MAX 512       /* larger bodies go in a file: --data-binary @body.bin */
#define CURL_EXPECT_AT (1 << 20)  /* curl 7.88 adds "Expect: 100-continue" above 1 MiB */
#define WRAP_COLUMN 78

/* The words of the command line; each is owned here. */
struct words {
	char *v[WORDS_MAX];
	size_t n;
};

/* The request as curl would have to send it. */
struct plan {
	struct http_head *head;   /* parsed */
	const unsigned char *body;
	size_t body_len;
	bool has_body;            /* --data-binary, even when empty (Content-Length: 0) */
	unsigned char *decoded;   /* a chunked body, joined; owned here */
};

/* ---- shell words ----------------------------------------------------------------------- */

/* shell_safe — a byte that needs no quoting in sh. */
static bool shell_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("_@%+=:,./-", c) != NULL;
}

/* put_quoted — p[0..n) as one shell word: bare when safe (and not forced into
 * quotes), '…' for printable text, $'…' (bash, zsh) when it holds control or non-ASCII
 * bytes. */
static void put_quoted(FILE *f, const unsigned char *p, size_t n, bool force)
{
	bool safe = n > 0 && !force, printable = true;

	for (size_t i = 0; i < n; i++) {
		safe = safe && shell_safe(p[i]);
		printable = printable && p[i] >= 0x20 && p[i] < 0x7f;
	}
	if (safe) {
		fwrite(p, 1, n, f);
	} else if (printable) {
		fputc('\'', f);
		for (size_t i = 0; i < n; i++)
			fputs(p[i] == '\'' ? "'\\''" : (char[]){(char)p[i], '\0'}, f);
		fputc('\'', f);
	} else {
		fputs("$'", f);
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '\'' || p[i] == '\\')
				fprintf(f, "\\%c", p[i]);
			else if (p[i] >= 0x20 && p[i] < 0x7f)
				fputc(p[i], f);
			else
				fprintf(f, "\\x%02x", p[i]);
		}
		fputc('\'', f);
	}
}

/* add_word — appends "flag value" (value quoted; either may be NULL) as one word, so
 * wrapping never separates an option from its value. Header values are always quoted,
 * for the eye. */
static void add_word(struct words *w, const char *flag, const void *value, size_t n)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	if (w->n == WORDS_MAX || !(f = open_memstream(&buf, &size)))
		return;
	if (flag)
		fprintf(f, "%s%s", flag, value ? " " : "");
	if (value)
		put_quoted(f, value, n, flag && strcmp(flag, "-H") == 0);
	if (fclose(f) == 0 && buf)
		w->v[w->n++] = buf;
	else
		free(buf);
}

/* add_header — -H 'Name: value'; an empty value needs curl's "Name;" form, since
 * "Name:" tells curl to remove the header. */
static void add_header(struct words *w, const char *name, const char *value)
{
	char line[LIMIT_HEADER_LINE + 8];
	int n = *value ? snprintf(line, sizeof line, "%s: %s", name, value)
	               : snprintf(line, sizeof line, "%s;", name);
	if (n > 0 && (size_t)n < sizeof line)
		add_word(w, "-H", line, (size_t)n);
}

/* add_removal — -H 'Name:', which tells curl not to send a header it would add. */
static void add_removal(struct words *w, const char *name)
{
	char line[64];
	int n = snprintf(line, sizeof line, "%s:", name);
	add_word(w, "-H", line, (size_t)n);
}

/* words_free — frees every word. */
static void words_free(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	w->n = 0;
}

/* words_print — the command, wrapped with " \" before WRAP_COLUMN. */
static void words_print(FILE *out, const struct words *w)
{
	size_t col = 0;

	for (size_t i = 0; i < w->n; i++) {
		size_t len = strlen(w->v[i]);
		if (i > 0 && col + 1 + len > WRAP_COLUMN) {
			fputs(" \\\n  ", out);
			col = 2;
		} else if (i > 0) {
			fputc(' ', out);
			col++;
		}
		fputs(w->v[i], out);
		col += len;
	}
	fputc('\n', out);
}

/* ---- can curl send it? ----------------------------------------------------------------- */

/* bare_lf — does the head (up to its empty line, or all of it) end a line with LF only? */
static bool bare_lf(const unsigned char *p, size_t n)
{
	const unsigned char *end = memmem(p, n, "\r\n\r\n", 4);
	size_t head = end ? (size_t)(end - p) : n;

	for (size_t i = 0; i < head; i++)
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			return true;
	return false;
}

/* plan_body — finds the body after a head of head_len bytes; false with why set when
 * curl could not send exactly this. */
static bool plan_body(struct plan *pl, const unsigned char *req, size_t len, size_t head_len,
                      char *why, size_t cap)
{
	const unsigned char *rest = req + head_len;
	size_t left = len - head_len;

	if (pl->head->framing == HTTP_BODY_CHUNKED) {
		struct http_chunked d = {.limit = UINT64_MAX, .crlf_only = true};
		size_t n;
		if (!(pl->decoded = malloc(left + 1)))
			return snprintf(why, cap, "out of memory"), false;
		long used = http_chunked_decode(&d, (const char *)rest, left, (char *)pl->decoded,
		                                &n);
		if (used == PARSE_INCOMPLETE)
			return snprintf(why, cap, "its chunked body never ends"), false;
		if (used == PARSE_BAD)
			return snprintf(why, cap, "its chunked body is malformed"), false;
		pl->body = pl->decoded;
		pl->body_len = n;
		pl->has_body = true;
		left -= (size_t)used;
	} else if (pl->head->framing == HTTP_BODY_LENGTH) {
		if (left < pl->head->content_length)
			return snprintf(why, cap,
			                "its body is shorter than its Content-Length (%llu), "
			                "and curl always sends the whole body",
			                (unsigned long long)pl->head->content_length),
			       false;
		pl->body = rest;
		pl->body_len = (size_t)pl->head->content_length;
		pl->has_body = true;
		left -= pl->body_len;
	}
	if (left > 0)
		return snprintf(why, cap, "%zu more bytes follow the first request (pipelining); "
		                "curl sends a request only after the last answer", left), false;
	return true;
}

/* plan_request — reads req[0..len) as a server would; false with why set when curl
 * cannot send these bytes. */
static bool plan_request(struct plan *pl, const unsigned char *req, size_t len, char *why,
                         size_t cap)
{
	if (len == 0)
		return snprintf(why, cap, "the request is empty, and curl always sends one"), false;
	if (bare_lf(req, len))
		return snprintf(why, cap, "its lines end in a bare LF, and curl ends every line "
		                "with CRLF"), false;
	int rc = http_parse_request((const char *)req, len, pl->head);
	if (rc == PARSE_INCOMPLETE)
		return snprintf(why, cap, "its head never ends with an empty line, and curl always "
		                "finishes its requests"), false;
	if (rc == PARSE_BAD)
		return snprintf(why, cap,
		                "a server must refuse it (%d %s%s%s), and curl sends only "
		                "well-formed requests",
		                pl->head->status, http_reason(pl->head->status),
		                pl->head->error ? ": " : "",
		                pl->head->error ? pl->head->error : ""),
		       false;
	return plan_body(pl, req, len, (size_t)rc, why, cap);
}

/* ---- the command ------------------------------------------------------------------------ */

/* plain_target — a target curl leaves alone inside a URL: origin-form, no fragment, no
 * dot segment for it to remove, nothing it would re-encode. */
static bool plain_target(const char *t)
{
	if (t[0] != '/' || strstr(t, "/."))
		return false;
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("#\"<>\\^`{|}", *p))
			return false;
	return true;
}

/* add_method — -I, -X METHOD, or nothing when curl's choice (GET, or POST with data)
 * is already right. */
static void add_method(struct words *w, const struct plan *pl)
{
	const char *m = pl->head->method;

	if (strcmp(m, "HEAD") == 0 && !pl->has_body)
		add_word(w, "-I", NULL, 0);
	else if (strcmp(m, pl->has_body ? "POST" : "GET") != 0)
		add_word(w, "-X", m, strlen(m));
}

/* add_url — the URL, and --request-target when the target must go out as it is. */
static void add_url(struct words *w, const struct plan *pl, const char *host, int port)
{
	char url[LIMIT_REQUEST_LINE + 300];
	const char *t = pl->head->target;
	bool plain = plain_target(t);
	int n = snprintf(url, sizeof url, "http://%s:%d%s", host, port, plain ? t : "/");

	if (n > 0 && (size_t)n < sizeof url)
		add_word(w, NULL, url, (size_t)n);
	if (!plain)
		add_word(w, "--request-target", t, strlen(t));
}

/* host_value — a Host value for the curl line: one that names the port the request went
 * to (from, a server gone since) names the port of the line instead. */
static const char *host_value(const char *value, int from, int port, char *buf, size_t cap)
{
	char tail[16];
	size_t n = strlen(value), t = (size_t)snprintf(tail, sizeof tail, ":%d", from);

	if (from <= 0 || n < t || strcmp(value + n - t, tail) != 0)
		return value;
	snprintf(buf, cap, "%.*s:%d", (int)(n - t), value, port);
	return buf;
}

/* add_headers — the request's headers, then removals of what curl would add unasked.
 * form: the body is -F parts, whose type and length curl writes itself. */
static void add_headers(struct words *w, const struct plan *pl, int from, int port, bool form)
{
	const struct http_head *r = pl->head;
	char host[LIMIT_HEADER_LINE];

	for (size_t i = 0; i < r->nheaders; i++) {
		const char *name = r->headers[i].name, *value = r->headers[i].value;
		/* curl computes the same Content-Length from the data. */
		if (pl->has_body && r->framing == HTTP_BODY_LENGTH &&
		    strcasecmp(name, "Content-Length") == 0)
			continue;
		if (form && strcasecmp(name, "Content-Type") == 0)
			continue;
		if (strcasecmp(name, "Host") == 0)
			value = host_value(value, from, port, host, sizeof host);
		add_header(w, name, value);
	}
	static const char *const own[] = {"Host", "User-Agent", "Accept"};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (!http_header_get(r, own[i]))
			add_removal(w, own[i]);
	if (pl->has_body && !form && !http_header_get(r, "Content-Type"))
		/* else curl sends application/x-www-form-urlencoded */
		add_removal(w, "Content-Type");
	if (pl->body_len > CURL_EXPECT_AT && !http_header_get(r, "Expect"))
		add_removal(w, "Expect");
}

/* add_form — the parts as curl -F (a file: FIELD=@PATH, curl names its type) and
 * --form-string (a value curl takes as it is, even one starting with @ or <). */
static void add_form(struct words *w, const struct opts_part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(parts[i].text, '=');
		char word[4096];
		int len = parts[i].is_file
		                  ? snprintf(word, sizeof word, "%.*s=@%s",
		                             (int)(eq - parts[i].text), parts[i].text, eq + 1)
		                  : snprintf(word, sizeof word, "%s", parts[i].text);
		if (len > 0 && (size_t)len < sizeof word)
			add_word(w, parts[i].is_file ? "-F" : "--form-string", word, (size_t)len);
	}
}

/* add_body — the body as curl sends it: -F parts, or the bytes. */
static void add_body(struct words *w, const struct plan *pl, const struct opts_part *parts,
                     size_t nparts)
{
	if (nparts)
		add_form(w, parts, nparts);
	else if (pl->has_body && pl->body_len == 0)
		add_word(w, "--data-binary ''", NULL, 0);
	else if (pl->has_body && pl->body_len <= INLINE_BODY_MAX)
		add_word(w, "--data-binary", pl->body, pl->body_len);
	else if (pl->has_body)
		add_word(w, "--data-binary @body.bin", NULL, 0);
}

void show_curl(FILE *out, const struct style *st, const unsigned char *req, size_t len,
               const char *host, int port, int sent_to, const struct opts_part *parts,
               size_t nparts)
{
	struct plan pl = {.head = malloc(sizeof *pl.head)};
	struct words w = {.n = 0};
	char why[512];

	fprintf(out, "%s--- the same request with curl:%s\n", style_on(st, ST_DIM),
	        style_on(st, ST_RESET));
	if (!pl.head || !plan_request(&pl, req, len, why, sizeof why)) {
		char sentence[700];
		snprintf(sentence, sizeof sentence,
		         "No curl command sends exactly these bytes: %s.",
		         pl.head ? why : "out of memory");
		style_wrap(out, sentence, WRAP_COLUMN);
	} else {
		add_word(&w, "curl -v", NULL, 0);
		add_word(&w, pl.head->version == 10 ? "--http1.0" : "--http1.1", NULL, 0);
		add_method(&w, &pl);
		add_url(&w, &pl, host, port);
		add_headers(&w, &pl, sent_to != port ? sent_to : 0, port, nparts > 0);
		add_body(&w, &pl, parts, nparts);
		words_print(out, &w);
		if (nparts)
			fprintf(out,
			        "%s(curl -F writes the same parts with a boundary of its own)%s\n",
			        style_on(st, ST_DIM), style_on(st, ST_RESET));
		else if (pl.has_body && pl.body_len > INLINE_BODY_MAX)
			fprintf(out, "%s(body.bin: a file holding the %zu body bytes)%s\n",
			        style_on(st, ST_DIM), pl.body_len, style_on(st, ST_RESET));
	}
	words_free(&w);
	free(pl.decoded);
	free(pl.head);
}
