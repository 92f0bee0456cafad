/* pystr.h — Python's repr() of a str decoded from UTF-8, so a C server prints parsed
 * query strings, form fields and JSON strings as the article's Python server did
 * (print(parse_qs(...)) shows {'test3': ['hello world']}). */
#ifndef WIRELAB_PYSTR_H
#define WIRELAB_PYSTR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PYSTR_REPLACEMENT 0xFFFD /* U+FFFD, what errors='replace' puts for bad bytes */

/* pystr_next — decodes one code point of UTF-8 from s[*i..len) as Python's
 * bytes.decode('utf-8', errors='replace') does: a well-formed sequence gives its code
 * point; an ill-formed one gives PYSTR_REPLACEMENT for its maximal subpart (Unicode
 * §3.9, as CPython does), so "\xe2\x82" is one U+FFFD and "\xff\xfe" two. Advances *i
 * past what it used (at least one byte). Call only while *i < len. Never reads s[len]. */
uint32_t pystr_next(const char *s, size_t len, size_t *i);

/* pystr_repr — prints s[0..len), decoded as pystr_next decodes it, as Python 3.11
 * prints repr() of the str: in single quotes, or double quotes when the text has a
 * single quote and no double one; \\, the quote, \t \n \r escaped; every other code
 * point Python does not consider printable as \xNN, \uNNNN or \UNNNNNNNN. Printable is
 * approximated: C0 and C1 controls, DEL, U+00A0, U+00AD, the other space separators,
 * U+2028/U+2029, common format characters (U+200B-U+200F, U+202A-U+202E,
 * U+2060-U+2064, U+FEFF) and private use are not printable; all else is (so a code
 * point unassigned in Python's Unicode table prints as itself here). */
void pystr_repr(FILE *out, const char *s, size_t len);

#endif
