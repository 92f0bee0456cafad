/* content.c — sending a body, gzip-encoded when the client accepts it. */
#include "content.h"

#include <stdio.h>
#include <stdlib.h>

#include "gzip.h"

bool content_gzip_wanted(const struct http_request *req)
{
	return gz_accepted(http_header_get(req, "Accept-Encoding"));
}

void content_etag(const struct http_request *req, const void *body, size_t len,
                  char out[CONTENT_ETAG_LEN + 1])
{
	char strong[CACHE_ETAG_LEN + 1];

	cache_etag_md5(body, len, strong);
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

void content_send(struct response *res, const struct http_request *req, const char *vary_also,
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

void content_send_forms(struct response *res, const struct http_request *req,
                        const char *vary_also, const void *body, size_t len, const void *gz,
                        size_t gz_len)
{
	if (gz && content_gzip_wanted(req))
		finish(res, vary_also, true, gz, gz_len);
	else
		finish(res, vary_also, false, body, len);
}
