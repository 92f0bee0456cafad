/* content.h — the end of a response: its content, gzip-encoded when the client asked
 * for it (the article's write_data). Content coding is negotiated by Accept-Encoding
 * (RFC 9110 §12.5.3), so every answer says so in Vary (§12.5.5), gzipped or not, and
 * Content-Length counts the bytes actually sent (§8.6). */
#ifndef WIRELAB_CONTENT_H
#define WIRELAB_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "cache.h"
#include "http.h"
#include "httpd.h"
#include "response.h"

/* content_gzip_wanted — true when req's Accept-Encoding lets the server send gzip
 * (gz_accepted: q-values, "identity", "*"; no header means identity only). */
bool content_gzip_wanted(const struct request *req);

/* content_etag_md5 — the strong entity-tag of body[0..len): the md5 of the bytes in
 * lower-case hex, quoted as RFC 9110 §8.8.3 requires ("\"d41d8cd98f00b204e9800998ecf8427e\""),
 * written with a NUL into out. */
void content_etag_md5(const void *body, size_t len, char out[CACHE_ETAG_LEN + 1]);

#define CONTENT_ETAG_LEN (CACHE_ETAG_LEN + 2) /* W/ and a quoted md5 */

/* content_etag — the ETag of the form content_send will choose for req: the quoted md5
 * of body[0..len) for the identity form; the same, marked weak (W/), for the gzip form.
 * A strong tag names one representation byte for byte (RFC 9110 §8.8.1), and the
 * gzip form is other bytes; a weak tag says "the same content", which both forms are,
 * so either form's tag still matches the other's by If-None-Match's weak comparison.
 * nginx marks a gzipped response's ETag weak for the same reason. */
void content_etag(const struct request *req, const void *body, size_t len,
                  char out[CONTENT_ETAG_LEN + 1]);

/* content_send — after res_send_response and the handler's own headers: sends
 * Content-Encoding: gzip when the request accepts it, Vary (vary_also, e.g.
 * "Accept", then Accept-Encoding), Content-Length, the empty line and the body —
 * body[0..len) or its gzip form. A HEAD gets the same headers and no body. Should
 * compressing run out of memory, the body goes as it is (identity is acceptable too). */
void content_send(struct response *res, const struct request *req, const char *vary_also,
                 const void *body, size_t len);

/* content_send_forms — content_send for content whose gzip form gz[0..gz_len) was made
 * already (a cached file): nothing is compressed here. */
void content_send_forms(struct response *res, const struct request *req,
                        const char *vary_also, const void *body, size_t len, const void *gz,
                        size_t gz_len);

/* content_send_cache_headers — ETag, Last-Modified, Cache-Control and Expires as p
 * describes, after res_send_response. Expires is the response's Date plus max-age, from
 * the same clock reading, so the two agree however long the handler takes. */
void content_send_cache_headers(struct response *res, const struct cache_policy *p);

/* content_send_not_modified — a whole 304: the status line, the headers a 200 would
 * carry for caching (content_send_cache_headers and, when vary is not NULL, Vary: vary;
 * RFC 9110 §15.4.5) and no content. */
void content_send_not_modified(struct response *res, const struct cache_policy *p,
                               const char *vary);

#endif
