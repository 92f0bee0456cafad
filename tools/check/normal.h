/* normal.h — what a server answered on one connection, as text: the golden files' format
 * (tests/README.md). It is the one normaliser of wirelab: tests/e2e/harness.py writes
 * and compares the goldens with it (through `lab normalize`), and lab check diffs two
 * servers' answers in it.
 *
 * Per response: "=== response N", the status line as received, every header in the
 * order received as "name: value" (the name lower-cased; Date, Expires, Last-Modified
 * and Server "<masked>"), then "--- body: N bytes" (after chunked decoding), with
 * ", incomplete: …" when the stream ended inside it, " gzip, M bytes decoded" when gzip
 * was undone, and the body as text on the next lines, or " binary, sha256 H" (the
 * first 16 hex digits of its SHA-256) for a binary one; then "--- trailer name: value"
 * per trailer. Bytes that are no response end it as "=== unparsed: …"; nothing at all
 * is "=== no response". Then "=== connection closed by server" or "=== connection still
 * open after T s", and, when the server printed anything, "=== server printed" and
 * what it printed, as it is. Text is printable ASCII, tab and newline as they are,
 * every other byte as \xNN (so CR shows as \x0d); a newline inside a status or header
 * line shows as \x0a.
 *
 * NORMAL_CHECK compares two servers rather than one against a file, and so leaves out
 * what HTTP lets them differ in: the headers are sorted by name (the order of different
 * fields carries no meaning, RFC 9110 §5.3; fields of one name keep theirs), a
 * Content-Length that frames the body reads "<matches the body>", and a gzip body's size
 * on the wire is left out (its decoded bytes are compared instead). */
#ifndef WIRELAB_NORMAL_H
#define WIRELAB_NORMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define NORMAL_METHODS_MAX 64

enum normal_mode {
	NORMAL_GOLDEN, /* the golden files' text, byte for byte */
	NORMAL_CHECK,  /* the same, less what two correct servers may differ in */
};

/* One exchange: what came back, and what is needed to read it. */
struct normal_exchange {
	const unsigned char *reply; /* every byte the server sent */
	size_t reply_len;
	char methods[NORMAL_METHODS_MAX][16]; /* the requests' methods in order (HEAD's
	                                       * answer has no body); more answers: GET */
	size_t nmethods;
	bool closed;                /* the server closed the connection */
	const char *waited;         /* when it did not: how long we waited, "15" (seconds) */
	const char *printed;        /* what the server printed meanwhile; NULL or "": nothing */
	size_t printed_len;
};

/* normal_methods — the methods of the request lines in req[0..len) ("METHOD SP target
 * SP HTTP/d…"), in order, into methods[0..cap); returns how many. */
size_t normal_methods(const unsigned char *req, size_t len, char methods[][16], size_t cap);

/* normal_render — the text of exchange x, into a new NUL-terminated *out (caller frees)
 * of *len bytes (len may be NULL; the text holds a NUL only when what was printed did).
 * Returns 0, or -1 when out of memory. */
int normal_render(const struct normal_exchange *x, enum normal_mode mode, char **out,
                  size_t *len);

/* normal_text — bytes as the golden files show them: printable ASCII, tab and newline
 * as they are, every other byte as \xNN. */
void normal_text(FILE *f, const unsigned char *p, size_t n);

#endif
