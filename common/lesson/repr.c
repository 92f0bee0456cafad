/* repr.c — Python's repr() for bytes and latin-1 strings.
 *
 * Each repr holds the stream's lock from quote to quote, so a repr is never cut by
 * another thread's print, and writes runs of plain characters in one call: a header
 * value is mostly plain, and a call per byte is what used to cost the most here. */
#include "repr.h"

#include <stdbool.h>
#include <string.h>

/* pick_quote — Python uses single quotes unless the text has one and no double quote. */
static char pick_quote(const unsigned char *p, size_t len)
{
	if (memchr(p, '\'', len) && !memchr(p, '"', len))
		return '"';
	return '\'';
}

/* plain_run — how many bytes from p on print as themselves in both reprs: printable
 * ASCII other than the backslash and the quote. */
static size_t plain_run(const unsigned char *p, size_t len, char quote)
{
	size_t n = 0;
	while (n < len && p[n] >= 0x20 && p[n] < 0x7f && p[n] != '\\' &&
	       p[n] != (unsigned char)quote)
		n++;
	return n;
}

/* put_hex — \xNN, the escape for a byte with no shorter one. */
static void put_hex(FILE *out, unsigned c)
{
	static const char digits[] = "0123456789abcdef";
	char esc[4] = {'\\', 'x', digits[c >> 4 & 0xf], digits[c & 0xf]};
	fwrite_unlocked(esc, 1, sizeof esc, out);
}

/* put_escape — the escapes bytes and str reprs share; returns 0 if c needs none. */
static int put_escape(FILE *out, unsigned c, char quote)
{
	switch (c) {
	case '\\': fputs_unlocked("\\\\", out); return 1;
	case '\n': fputs_unlocked("\\n", out); return 1;
	case '\r': fputs_unlocked("\\r", out); return 1;
	case '\t': fputs_unlocked("\\t", out); return 1;
	default: break;
	}
	if (c == (unsigned char)quote) {
		fputc_unlocked('\\', out);
		fputc_unlocked((int)c, out);
		return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		put_hex(out, c);
		return 1;
	}
	return 0;
}

/* put_plain — writes the plain run at p; returns its length. */
static size_t put_plain(FILE *out, const unsigned char *p, size_t len, char quote)
{
	size_t run = plain_run(p, len, quote);
	fwrite_unlocked(p, 1, run, out);
	return run;
}

void repr_bytes(FILE *out, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	char quote = pick_quote(p, len);

	flockfile(out);
	fputc_unlocked('b', out);
	fputc_unlocked(quote, out);
	size_t i = 0;
	while ((i += put_plain(out, p + i, len - i, quote)) < len) {
		unsigned c = p[i++];
		if (!put_escape(out, c, quote))
			put_hex(out, c); /* the rest are bytes 0x80..0xff */
	}
	fputc_unlocked(quote, out);
	funlockfile(out);
}

/* put_latin1 — one byte above ASCII, as Python prints the character it decodes to. */
static void put_latin1(FILE *out, unsigned c)
{
	if (c <= 0xa0 || c == 0xad) {
		/* C1 controls, NO-BREAK SPACE and SOFT HYPHEN are not printable to Python. */
		put_hex(out, c);
	} else {
		/* U+00A1..U+00FF in UTF-8: two bytes. */
		fputc_unlocked((int)(0xc0 | c >> 6), out);
		fputc_unlocked((int)(0x80 | (c & 0x3f)), out);
	}
}

void repr_latin1(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char quote = pick_quote(p, len);

	flockfile(out);
	fputc_unlocked(quote, out);
	size_t i = 0;
	while ((i += put_plain(out, p + i, len - i, quote)) < len) {
		unsigned c = p[i++];
		if (!put_escape(out, c, quote))
			put_latin1(out, c);
	}
	fputc_unlocked(quote, out);
	funlockfile(out);
}

void repr_headers(FILE *out, const struct http_head *head)
{
	bool first = true;

	flockfile(out); /* one request's dict stays whole when threads print at once */
	fputc('{', out);
	for (size_t i = 0; i < head->nheaders; i++) {
		const char *name = head->headers[i].name, *value = head->headers[i].value;
		bool seen = false;
		for (size_t j = 0; j < head->nheaders && !seen; j++) {
			if (strcmp(head->headers[j].name, name) != 0)
				continue;
			if (j < i)
				seen = true;
			else
				value = head->headers[j].value;
		}
		if (seen)
			continue;
		fputs(first ? "" : ", ", out);
		repr_latin1(out, name, strlen(name));
		fputs(": ", out);
		repr_latin1(out, value, strlen(value));
		first = false;
	}
	fputs("}\n", out);
	funlockfile(out);
}
