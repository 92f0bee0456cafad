/* chars.h — the character classes of HTTP's grammar (RFC 9110 §5.5, §5.6; RFC 5234
 * appendix B.1), written once for every parser in wirelab.
 *
 * They are locale-free on purpose: isalpha() and friends follow the C locale, and what
 * a request means must not depend on the machine that reads it. */
#ifndef WIRELAB_CHARS_H
#define WIRELAB_CHARS_H

#include <stdbool.h>
#include <string.h>

/* DIGIT: 0-9. */
static inline bool chars_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* ALPHA: A-Z and a-z. */
static inline bool chars_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* tchar: what a token (a method, a field name, a coding, a cookie name) is made of. */
static inline bool chars_is_tchar(unsigned char c)
{
	if (chars_is_digit(c) || chars_is_alpha(c))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* OWS: the optional whitespace around field values and list commas, SP or HTAB. */
static inline bool chars_is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* field-vchar, SP, HTAB or obs-text: anything in a field value but a CTL (so never CR,
 * LF or NUL). */
static inline bool chars_is_field_char(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* HEXDIG of either case: its value 0-15, or -1 for any other byte (the digits of a %XX
 * escape and of a chunk size). */
static inline int chars_hex_value(unsigned char c)
{
	if (chars_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
