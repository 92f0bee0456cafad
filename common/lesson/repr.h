/* repr.h — Python's repr() of bytes and of header strings, so a C server prints what
 * the article's Python server printed (b'GET / HTTP/1.1\r\n', {'Host': 'localhost'}). */
#ifndef WIRELAB_REPR_H
#define WIRELAB_REPR_H

#include <stddef.h>
#include <stdio.h>

#include "http.h"

/* repr_bytes — prints buf[0..len) as Python prints a bytes object: b'...'. */
void repr_bytes(FILE *out, const void *buf, size_t len);

/* repr_latin1 — prints s[0..len) as Python prints a str decoded from ISO-8859-1, the
 * way http.client decodes header fields: 'text', non-printables as \xNN, the rest UTF-8. */
void repr_latin1(FILE *out, const char *s, size_t len);

/* repr_headers — prints the request's headers as Python's print(dict(headers.items()))
 * does, then a newline: {'Host': 'localhost', 'Accept': '*' + '/' + '*'}. A repeated name
 * keeps its first place and its last value, as a dict does. */
void repr_headers(FILE *out, const struct http_head *head);

#endif
