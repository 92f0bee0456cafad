/* repr.c — Python's repr() for bytes and latin-1 strings. */
#include "repr.h"

#include <string.h>

/* pick_quote — Python uses single quotes unless the text has one and no double quote. */
static char pick_quote(const unsigned char *p, size_t len)
{
	if (memchr(p, '\'', len) && !memchr(p, '"', len))
		return '"';
	return '\'';
}

/* put_escape — the escapes bytes and str reprs share; returns 0 if c needs none. */
static int put_escape(FILE *out, unsigned c, char quote)
{
	switch (c) {
	case '\\': fputs("\\\\", out); return 1;
	case '\n': fputs("\\n", out); return 1;
	case '\r': fputs("\\r", out); return 1;
	case '\t': fputs("\\t", out); return 1;
	default: break;
	}
	if (c == (unsigned char)quote) {
		fputc('\\', out);
		fputc((int)c, out);
		return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		fprintf(out, "\\x%02x", c);
		return 1;
	}
	return 0;
}

void repr_bytes(FILE *out, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	char quote = pick_quote(p, len);

	fputc('b', out);
	fputc(quote, out);
	for (size_t i = 0; i < len; i++) {
		if (put_escape(out, p[i], quote))
			continue;
		if (p[i] >= 0x80)
			fprintf(out, "\\x%02x", p[i]);
		else
			fputc(p[i], out);
	}
	fputc(quote, out);
}

void repr_latin1(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char quote = pick_quote(p, len);

	fputc(quote, out);
	for (size_t i = 0; i < len; i++) {
		if (put_escape(out, p[i], quote))
			continue;
		if (p[i] < 0x80) {
			fputc(p[i], out);
		} else if (p[i] <= 0xa0 || p[i] == 0xad) {
			/* C1 controls, NO-BREAK SPACE and SOFT HYPHEN are not printable to Python. */
			fprintf(out, "\\x%02x", p[i]);
		} else {
			/* U+00A1..U+00FF in UTF-8: two bytes. */
			fputc(0xc0 | (p[i] >> 6), out);
			fputc(0x80 | (p[i] & 0x3f), out);
		}
	}
	fputc(quote, out);
}
