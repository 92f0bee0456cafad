/* diff_cache.c — common/http/cache.c, the student's against the reference:
 * cache_etag_weak_equal, cache_none_match and cache_evaluate on the same request.
 *
 * Input layout: [C] INM \n IMS \n ETAG \n LAST-MODIFIED. C bits 0-1 pick the method
 * (GET, HEAD, POST, PUT); bit 2 sends If-None-Match: INM, bit 3 If-Modified-Since: IMS;
 * bit 4 gives the resource the ETAG, bit 5 LAST-MODIFIED (seconds, in decimal). A field
 * ends at its newline or at a NUL. */
#include "diff.h"

#include <stdbool.h>

#include "cache.h"

bool REF(cache_etag_weak_equal)(const char *a, size_t alen, const char *b, size_t blen);
bool REF(cache_none_match)(const char *inm, const char *etag);
enum cache_verdict REF(cache_evaluate)(const struct http_head *head, const struct cache_policy *p);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "HEAD", "POST", "PUT"};
	struct diff_text mine, theirs;

	if (size < 1 || size > 4096)
		return 0;
	uint8_t c = data[0];
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	char *inm = diff_field(&p, &n), *ims = diff_field(&p, &n), *etag = diff_field(&p, &n);
	char *lm = diff_field(&p, &n);
	struct http_head *head = calloc(1, sizeof *head);
	if (!head)
		abort();
	head->method = methods[c & 3];
	head->target = head->path = "/";
	head->query = "";
	head->version = 11;
	if (c & 4)
		head->headers[head->nheaders++] = (struct http_header){"If-None-Match", inm};
	if (c & 8)
		head->headers[head->nheaders++] = (struct http_header){"If-Modified-Since", ims};
	struct cache_policy policy = {c & 16 ? etag : NULL,
	                              c & 32 ? (time_t)strtoll(lm, NULL, 10) : CACHE_NO_DATE, -1,
	                              false};

	char *q_inm = diff_quote(inm, strlen(inm)), *q_ims = diff_quote(ims, strlen(ims));
	char *q_etag = policy.etag ? diff_quote(etag, strlen(etag)) : strdup("NULL");
	char call[3 * 4096 + 256];

	snprintf(call, sizeof call, "cache_etag_weak_equal(%s, %s) (1: equal)", q_inm, q_etag);
	diff_open(&mine);
	diff_open(&theirs);
	fprintf(mine.f, "%d", cache_etag_weak_equal(inm, strlen(inm), etag, strlen(etag)));
	fprintf(theirs.f, "%d", REF(cache_etag_weak_equal)(inm, strlen(inm), etag, strlen(etag)));
	diff_check(call, data, size, &mine, &theirs);
	snprintf(call, sizeof call, "cache_none_match(%s, %s) (1: a match)", q_inm, q_etag);
	diff_open(&mine);
	diff_open(&theirs);
	fprintf(mine.f, "%d", cache_none_match(inm, policy.etag));
	fprintf(theirs.f, "%d", REF(cache_none_match)(inm, policy.etag));
	diff_check(call, data, size, &mine, &theirs);
	snprintf(call, sizeof call, "cache_evaluate(%s%s%s%s%s, {etag %s, last_modified %lld})",
	         head->method, c & 4 ? " with If-None-Match: " : "", c & 4 ? q_inm : "",
	         c & 8 ? " with If-Modified-Since: " : "", c & 8 ? q_ims : "", q_etag,
	         (long long)policy.last_modified);
	diff_open(&mine);
	diff_open(&theirs);
	fprintf(mine.f, "%d", (int)cache_evaluate(head, &policy));
	fprintf(theirs.f, "%d", (int)REF(cache_evaluate)(head, &policy));
	diff_check(call, data, size, &mine, &theirs);
	free(q_inm);
	free(q_ims);
	free(q_etag);
	free(head);
	free(inm);
	free(ims);
	free(etag);
	free(lm);
	return 0;
}
