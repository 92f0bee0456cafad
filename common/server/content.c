/* content.c — sending a body, gzip-encoded when the client accepts it. */
#include "content.h"

#include <md5.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "date.h"
#include "gzip.h"

void content_etag_md5(const void *body, size_t len, char out[CACHE_ETAG_LEN + 1])
{
	char hex[MD5_DIGEST_STRING_LENGTH];

	MD5Data(body, len, hex); /* lower-case hex, NUL-terminated, like hexdigest() */
	out[0] = '"';            /* RFC 9110 §8.8.3: an entity-tag is a quoted string */
	memcpy(out + 1, hex, MD5_DIGEST_LENGTH * 2);
	out[CACHE_ETAG_LEN - 1] = '"';
	out[CACHE_ETAG_LEN] = '\0';
}

bool content_gzip_wanted(const struct request *req)
{
	return gz_accepted(http_header_get(req->head, "Accept-Encoding"));
}

void content_etag(const struct request *req, const void *body, size_t len,
                  char out[CONTENT_ETAG_LEN + 1])
{
	char strong[CACHE_ETAG_LEN + 1];

	content_etag_md5(body, len, strong);
	snprintf(out, CONTENT_ETAG_LEN + 1, "%s%s", content_gzip_wanted(req) ? "W/" : "", strong);
}

/* send_vary — one Vary field naming every request header the answer depends on. */
static void send_vary(struct response *res, const char *vary_also)
{
	if (vary_also)
		res_send_headerf(res, "Vary", "%s, Accept-Encoding", vary_also);
	else
		res_send_header(res, "Vary", "Accept-Encoding");
}

/* finish — the coding, Vary, length and bytes of one chosen form. */
static void finish(struct response *res, const char *vary_also, bool gzipped,
                   const void *bytes, size_t len)
{
	if (gzipped)
		res_send_header(res, "Content-Encoding", "gzip");
	send_vary(res, vary_also);
	res_send_headerf(res, "Content-Length", "%zu", len);
	res_end_headers(res);
	res_write(res, bytes, len);
}

void content_send(struct response *res, const struct request *req, const char *vary_also,
                  const void *body, size_t len)
{
	unsigned char *gz = NULL;
	size_t gz_len = 0;

	if (content_gzip_wanted(req) && gz_compress(body, len, &gz, &gz_len) == 0)
		finish(res, vary_also, true, gz, gz_len);
	else
		finish(res, vary_also, false, body, len);
	free(gz);
}

void content_send_forms(struct response *res, const struct request *req,
                        const char *vary_also, const void *body, size_t len, const void *gz,
                        size_t gz_len)
{
	if (gz && content_gzip_wanted(req))
		finish(res, vary_also, true, gz, gz_len);
	else
		finish(res, vary_also, false, body, len);
}

void content_send_cache_headers(struct response *res, const struct cache_policy *p)
{
	char date[DATE_HTTP_LEN + 1];

	if (p->etag)
		res_send_header(res, "ETag", p->etag);
	if (p->last_modified != CACHE_NO_DATE) {
		date_format_http(p->last_modified, date);
		res_send_header(res, "Last-Modified", date);
	}
	if (p->max_age >= 0) {
		/* public: shared caches may keep it too; max-age in seconds (RFC 9111 §5.2.2). */
		res_send_headerf(res, "Cache-Control", "public, max-age=%d", p->max_age);
		if (p->expires) {
			/* Expires is what HTTP/1.0 caches read; max-age wins where both are
			 * understood (RFC 9111 §5.3). */
			date_format_http(res->date + p->max_age, date);
			res_send_header(res, "Expires", date);
		}
	}
}

void content_send_not_modified(struct response *res, const struct cache_policy *p,
                               const char *vary)
{
	res_send_response(res, HTTP_NOT_MODIFIED);
	content_send_cache_headers(res, p);
	if (vary)
		res_send_header(res, "Vary", vary);
	res_end_headers(res);
}
