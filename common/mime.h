/* mime.h — media types (RFC 9110 §8.3.1): guessed from a file name, as Python's
 * mimetypes does; sniffed from the bytes, as python-magic does (libmagic); and chosen
 * by a request's Accept field (RFC 9110 §12.5.1, proactive negotiation). */
#ifndef WIRELAB_MIME_H
#define WIRELAB_MIME_H

#include <stddef.h>

#define MIME_ERR_LEN  256
#define MIME_TYPE_LEN 128 /* room for any type libmagic names, with its NUL */

/* mime_from_name — the type a file name's extension suggests ("notes.txt" ->
 * "text/plain"), compared without case, from a fixed table like Python's
 * mimetypes.types_map; NULL for no extension or one not in the table. Only the last
 * path component counts ("a.d/README" has none). */
const char *mime_from_name(const char *name);

/* A libmagic handle behind a mutex: libmagic's magic_t is not thread-safe, and a lesson
 * serves connections on several threads at once. */
struct mime_sniffer;

/* mime_sniffer_open — loads libmagic's default database, asking for bare MIME types
 * (MAGIC_MIME_TYPE). Returns the sniffer, or NULL with err set. */
struct mime_sniffer *mime_sniffer_open(char err[MIME_ERR_LEN]);

/* mime_sniffer_close — frees the sniffer; NULL is fine. */
void mime_sniffer_close(struct mime_sniffer *s);

/* mime_sniff — what buf[0..len) holds, judged by its content ("image/png",
 * "text/plain"), written into out[0..MIME_TYPE_LEN). Returns 0, or -1 (out becomes
 * "application/octet-stream") when libmagic cannot tell. */
int mime_sniff(struct mime_sniffer *s, const void *buf, size_t len, char out[MIME_TYPE_LEN]);

/* mime_sniff_fd — the same for the regular file open at fd, from its start (the file
 * offset is moved). Returns 0, or -1 (out as above) when it cannot tell. */
int mime_sniff_fd(struct mime_sniffer *s, int fd, char out[MIME_TYPE_LEN]);

/* mime_negotiate — which of offers[0..n) (media types such as "text/html", the
 * server's preference first) suits the Accept field value accept (NULL when the
 * request has none). Each offer takes the q of the most specific range that matches
 * it, whatever their order: text/html beats text/[*] beats [*]/[*] (RFC 9110
 * §12.5.1; the asterisks are bracketed only to keep this a C comment). Types compare
 * without case; parameters other than q are not compared. A q of 0, or a malformed
 * q, means "not acceptable". The offer with the highest q wins, the earlier one on a
 * tie. Returns its index, or -1 when no offer is acceptable (the server may answer
 * 406 or ignore Accept: §12.5.1 allows both). An absent or empty Accept accepts
 * everything: the first offer. */
int mime_negotiate(const char *accept, const char *const *offers, size_t n);

#endif
