/* show.h — how the lab prints an exchange: the request bytes with CR and LF made
 * visible, each response (status line, headers, the body decoded), the timing, and the
 * curl command that sends the same request. Colour only when asked for. */
#ifndef WIRELAB_SHOW_H
#define WIRELAB_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "client.h"
#include "mime.h"
#include "sniff.h"
#include "style.h"

/* How much of a body or request to print before cutting it. */
struct show_limits {
	bool full;         /* everything */
	size_t max_lines;  /* otherwise: this many lines … */
	size_t max_bytes;  /* … or bytes, whichever comes first */
};

/* show_request — the request as sent, one line per line, "\r\n" written out, and a
 * heading naming where it went. */
void show_request(FILE *out, const struct style *st, const unsigned char *req, size_t len,
                  const char *where, const struct show_limits *lim);

/* show_responses — every response in reply: status line, headers, body (chunks joined,
 * gzip undone, binary described by size and type, long ones cut), then how the
 * connection ended and the timing. Returns the number of final responses. */
int show_responses(FILE *out, const struct style *st, const struct client_reply *reply,
                   const unsigned char *req, size_t req_len, struct sniffer *sn,
                   const struct show_limits *lim);

/* show_escaped — bytes as the lab shows them in text: printable ASCII and UTF-8 as
 * they are, tab and newline as themselves, CR as \r, other bytes as \xNN. */
void show_escaped(FILE *out, const struct style *st, const unsigned char *p, size_t n);

/* show_is_binary — a NUL, or more than 10% of bytes that are neither text nor valid
 * UTF-8: shown by size and type rather than as text. */
bool show_is_binary(const unsigned char *p, size_t n);

/* show_content_coding — r's Content-Encoding, lower-cased, into out ("" when none). */
void show_content_coding(const struct client_response *r, char *out, size_t cap);

#endif
