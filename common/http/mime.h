/* mime.h — media types (RFC 9110 §8.3.1): guessed from a file name, as Python's
 * mimetypes does, and chosen by a request's Accept field (RFC 9110 §12.5.1, proactive
 * negotiation). Sniffing a type from the bytes is server/sniff.h. */
#ifndef WIRELAB_MIME_H
#define WIRELAB_MIME_H

#include <stddef.h>

#define MIME_TYPE_LEN 128 /* room for any type libmagic names, with its NUL */

/* mime_from_name — the type a file name's extension suggests ("notes.txt" ->
 * "text/plain"), compared without case, from a fixed table like Python's
 * mimetypes.types_map; NULL for no extension or one not in the table. Only the last
 * path component counts ("a.d/README" has none). */
const char *mime_from_name(const char *name);

/* mime_negotiate — which of offers[0..n) (media types such as "text/html", the
 * server's preference first) suits the Accept field value accept (NULL when the
 * request has none). Each offer takes the q of the most specific range that matches
 * it, whatever their order: text/html beats text/[*] beats [*]/[*] (RFC 9110
 * §12.5.1; the asterisks are bracketed only to keep this a C comment). Types compare
 * without case; parameters other than q are not compared; a range listed twice gives
 * its higher q. A q of 0, or a malformed q, means "not acceptable". The offer with the
 * highest q wins, the earlier one on a tie. Returns its index, or -1 when no offer is
 * acceptable (the server may answer 406 or ignore Accept: §12.5.1 allows both). An
 * absent Accept, or one with no element (empty, or only commas and blanks: empty
 * elements count for nothing, §5.6.1), accepts everything: the first offer. Offers
 * are shorter than MIME_TYPE_LEN, so a longer range in Accept is skipped. */
int mime_negotiate(const char *accept, const char *const *offers, size_t n);

#endif
