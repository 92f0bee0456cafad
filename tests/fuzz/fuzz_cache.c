/* fuzz_cache.c — common/http/cache.c on arbitrary bytes: entity-tag comparison,
 * If-None-Match, and the verdict of conditional requests (lessons 05 on).
 *
 * Input layout: [F] [L0 L1 L2 L3] payload
 *   F  bits 0-2: the method (GET, HEAD, POST, PUT, DELETE; 5-7 wrap round);
 *      bit 3: If-None-Match sent; bit 4: If-Modified-Since sent; bit 5: the resource
 *      has no ETag; bit 6: it has no Last-Modified
 *   L  the resource's Last-Modified, seconds since the epoch (little-endian)
 *   payload: up to three parts split at NUL bytes: the If-None-Match value, the
 *      If-Modified-Since value, and the resource's ETag.
 *
 * The head is made by http_parse_request from those parts, as the server would get
 * it; an input whose head the parser refuses, or whose parts hold a line break, tests
 * only the comparison functions.
 *
 * Properties (each a CHECK that aborts):
 *   - cache_etag_weak_equal is symmetric, and a tag equals itself with or without W/;
 *   - cache_none_match with "*" in the list always matches; matching no ETag (NULL)
 *     means matching every ETag;
 *   - cache_evaluate answers 200, 304 or 412: 304 only to GET and HEAD, 412 only to
 *     other methods; with If-None-Match, If-Modified-Since changes nothing; a 304
 *     by date stays a 304 for a resource modified earlier, and is a 200 for one with
 *     no Last-Modified. */
#include "fuzz.h"

#include <stdbool.h>
#include <time.h>

#include "cache.h"
#include "http.h"

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "GET"};

/* part — the next NUL-terminated part of the payload (empty once it is used up). */
static const char *part(const char **p, const char *end)
{
	const char *s = *p;
	size_t n = strnlen(s, (size_t)(end - s));
	*p = s + n + (s + n < end);
	return s;
}

static void check_compare(const char *a, const char *b)
{
	size_t al = strlen(a), bl = strlen(b);
	bool eq = cache_etag_weak_equal(a, al, b, bl);

	CHECK(eq == cache_etag_weak_equal(b, bl, a, al), "not symmetric");
	if (cache_etag_weak_equal(a, al, a, al) && a[0] == '"') {
		char *weak = fuzz_alloc(al + 3);
		memcpy(weak, "W/", 2);
		memcpy(weak + 2, a, al + 1);
		CHECK(cache_etag_weak_equal(weak, al + 2, a, al), "W/ made a tag differ");
		free(weak);
	}
	size_t n = strlen(a) + 4;
	char *star = fuzz_alloc(n);
	snprintf(star, n, "*, %s", a);
	CHECK(cache_none_match(star, b), "a list led by * did not match");
	free(star);
	if (cache_none_match(a, NULL))
		CHECK(cache_none_match(a, b), "matched no ETag but not this one");
}

/* request — the request head with the conditional fields asked for; false when the
 * parser refuses it, or when a part holds a line break: it would be more than the one
 * field it stands for (an If-None-Match line inside the If-Modified-Since part, say),
 * and the properties speak of each field alone. */
static bool request(struct http_head *head, const char *method, const char *inm,
                    const char *ims)
{
	if (strpbrk(inm, "\r\n") || strpbrk(ims, "\r\n"))
		return false;
	size_t cap = strlen(inm) + strlen(ims) + 128;
	char *buf = fuzz_alloc(cap);
	int n = snprintf(buf, cap, "%s / HTTP/1.1\r\nHost: x\r\n%s%s%s%s%s%s\r\n", method,
	                 *inm ? "If-None-Match: " : "", inm, *inm ? "\r\n" : "",
	                 *ims ? "If-Modified-Since: " : "", ims, *ims ? "\r\n" : "");
	bool ok = http_parse_request(buf, (size_t)n, head) == n;
	free(buf);
	return ok;
}

static void check_evaluate(uint8_t f, time_t modified, const char *inm, const char *ims,
                           const char *etag)
{
	static struct http_head head, without; /* large: not on the stack */
	const char *method = methods[(f & 7) % 6];
	bool safe = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	struct cache_policy p = {.etag = f & 0x20 ? NULL : etag,
	                         .last_modified = f & 0x40 ? CACHE_NO_DATE : modified,
	                         .max_age = -1};

	if (!request(&head, method, f & 0x08 ? inm : "", f & 0x10 ? ims : ""))
		return;
	enum cache_verdict v = cache_evaluate(&head, &p);
	CHECK(v == CACHE_SEND || v == CACHE_NOT_MODIFIED || v == CACHE_PRECONDITION_FAILED,
	      "verdict %d", (int)v);
	CHECK(v != CACHE_NOT_MODIFIED || safe, "304 to %s", method);
	CHECK(v != CACHE_PRECONDITION_FAILED || !safe, "412 to %s", method);
	if (http_header_get(&head, "If-None-Match") && request(&without, method, inm, "")) {
		CHECK(cache_evaluate(&without, &p) == v, "If-Modified-Since changed the verdict");
		return;
	}
	if (v == CACHE_NOT_MODIFIED && p.last_modified != CACHE_NO_DATE) {
		struct cache_policy earlier = p, none = p;
		earlier.last_modified = p.last_modified / 2;
		none.last_modified = CACHE_NO_DATE;
		CHECK(cache_evaluate(&head, &earlier) == CACHE_NOT_MODIFIED, "earlier is newer");
		CHECK(cache_evaluate(&head, &none) == CACHE_SEND, "304 without a date");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t f = fuzz_take(&in);
	uint32_t modified = 0;

	for (int i = 0; i < 4; i++)
		modified |= (uint32_t)fuzz_take(&in) << (8 * i);
	char *payload = fuzz_cstr(in.p, in.n);
	const char *p = payload, *end = payload + in.n;
	const char *inm = part(&p, end), *ims = part(&p, end), *etag = part(&p, end);

	check_compare(inm, etag);
	check_compare(etag, inm);
	check_evaluate(f, (time_t)modified, inm, ims, etag);
	free(payload);
	return 0;
}
