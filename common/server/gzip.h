/* gzip.h — gzip content coding (RFC 1952, through zlib) and Accept-Encoding
 * (RFC 9110 §12.5.3). */
#ifndef WIRELAB_GZIP_H
#define WIRELAB_GZIP_H

#include <stdbool.h>
#include <stddef.h>

/* gz_compress — gzips in[0..len) into a new buffer *out of *out_len bytes, which the
 * caller frees. Returns 0, or -1 when out of memory. */
int gz_compress(const void *in, size_t len, unsigned char **out, size_t *out_len);

/* gz_decompress — un-gzips in[0..len) (one member) into a new buffer *out of *out_len
 * bytes plus a NUL, which the caller frees. Returns 0; -1 for data that is not
 * valid gzip (truncated, bad CRC); -2 when the result would exceed max bytes (a
 * small body can inflate to gigabytes). */
int gz_decompress(const void *in, size_t len, size_t max, unsigned char **out,
                  size_t *out_len);

/* gz_accepted — true when an Accept-Encoding value lets us send gzip: "gzip" (or
 * "x-gzip") with q > 0, or "*" with q > 0 when gzip is not named. A request without
 * the header (NULL) gets identity: always acceptable, and what a client that never
 * asked can surely read. */
bool gz_accepted(const char *accept_encoding);

#endif
