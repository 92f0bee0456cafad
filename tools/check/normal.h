/* normal.h — what a server answered, as text two servers' answers can be diffed in.
 *
 * Per response: "=== response N", the status line as received, the headers sorted by
 * their lower-cased names (the order of different fields carries no meaning, RFC 9110
 * §5.3; fields of one name keep theirs), Date, Expires, Last-Modified and Server masked,
 * Content-Length shown as "<matches the body>" when it counts the bytes sent (so a
 * gzip body of another size still agrees), then "--- body: N bytes" and the body, gzip
 * undone, text escaped like the golden files, a binary body as its size and a hash.
 * Bytes that are no response end it as "=== unparsed: …"; nothing at all is
 * "=== no response". */
#ifndef WIRELAB_NORMAL_H
#define WIRELAB_NORMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* normal_reply — the text of the responses in data[0..len), the answers to the request
 * bytes req[0..req_len) (HEAD's answers have no body), into a new NUL-terminated *out
 * (caller frees). Returns 0, or -1 when out of memory. */
int normal_reply(const unsigned char *data, size_t len, const unsigned char *req,
                 size_t req_len, char **out);

/* normal_methods — the methods of the request lines in req[0..len) ("METHOD SP target
 * SP HTTP/d…"), in order, into methods[0..cap); returns how many. A response's framing
 * depends on them: HEAD's answer has no body. */
size_t normal_methods(const unsigned char *req, size_t len, char methods[][16], size_t cap);

/* normal_text — bytes as the golden files show them: printable ASCII, tab and newline
 * as they are, every other byte as \xNN (so CR shows as \x0d). */
void normal_text(FILE *f, const unsigned char *p, size_t n);

#endif
