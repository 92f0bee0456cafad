/* pystr.c — Python str repr of UTF-8 bytes (see pystr.h). */
#include <stdbool.h>

#include "pystr.h"

/* cont — s[i] is a continuation byte within [lo, hi]. */
static bool cont(const char *s, size_t len, size_t i, unsigned lo, unsigned hi)
{
	return i < len && (unsigned char)s[i] >= lo && (unsigned char)s[i] <= hi;
}

uint32_t pystr_next(const char *s, size_t len, size_t *i)
{
	unsigned c = (unsigned char)s[*i];
	unsigned lo = 0x80, hi = 0xBF;
	size_t need;
	uint32_t cp;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0; /* no overlong forms */
		if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		(*i)++; /* 0x80-0xC1, 0xF5-0xFF never start a sequence */
		return PYSTR_REPLACEMENT;
	}
	(*i)++;
	for (size_t k = 0; k < need; k++) {
		if (!cont(s, len, *i, lo, hi))
			return PYSTR_REPLACEMENT; /* the maximal subpart ends here */
		cp = cp << 6 | ((unsigned char)s[*i] & 0x3F);
		(*i)++;
		lo = 0x80;
		hi = 0xBF;
	}
	return cp;
}

/* printable — Python's str.isprintable() for one code point, approximated (pystr.h). */
static bool printable(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD)
		return false;
	if (c == 0x1680 || (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
	    (c >= 0x205F && c <= 0x2064) || c == 0x3000 || c == 0xFEFF)
		return false;
	if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000)
		return false; /* private use */
	return true;
}

/* put_utf8 — writes code point c as UTF-8. */
static void put_utf8(FILE *out, uint32_t c)
{
	if (c < 0x80) {
		fputc((int)c, out);
	} else if (c < 0x800) {
		fputc((int)(0xC0 | c >> 6), out);
		fputc((int)(0x80 | (c & 0x3F)), out);
	} else if (c < 0x10000) {
		fputc((int)(0xE0 | c >> 12), out);
		fputc((int)(0x80 | (c >> 6 & 0x3F)), out);
		fputc((int)(0x80 | (c & 0x3F)), out);
	} else {
		fputc((int)(0xF0 | c >> 18), out);
		fputc((int)(0x80 | (c >> 12 & 0x3F)), out);
		fputc((int)(0x80 | (c >> 6 & 0x3F)), out);
		fputc((int)(0x80 | (c & 0x3F)), out);
	}
}

void pystr_repr(FILE *out, const char *s, size_t len)
{
	bool squote = false, dquote = false;
	char q;

	for (size_t i = 0; i < len; i++) {
		squote |= s[i] == '\'';
		dquote |= s[i] == '"';
	}
	q = squote && !dquote ? '"' : '\'';
	fputc(q, out);
	for (size_t i = 0; i < len;) {
		uint32_t c = pystr_next(s, len, &i);

		if (c == (uint32_t)q || c == '\\')
			fprintf(out, "\\%c", (char)c);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (printable(c))
			put_utf8(out, c);
		else if (c < 0x100)
			fprintf(out, "\\x%02x", (unsigned)c);
		else if (c < 0x10000)
			fprintf(out, "\\u%04x", (unsigned)c);
		else
			fprintf(out, "\\U%08x", (unsigned)c);
	}
	fputc(q, out);
}
