/* cache.h — validators and conditional requests (RFC 9110 §8.8, §13) and the headers
 * that let a client keep a response (RFC 9111 §5.2, §5.3).
 *
 * A handler describes what it is about to send in a struct cache_policy, asks
 * cache_evaluate whether the request's preconditions let it answer 304, and sends the
 * same cache headers on the 200 and on the 304, so the two always agree. */
#ifndef WIRELAB_CACHE_H
#define WIRELAB_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "http.h"

#define CACHE_ETAG_LEN 34        /* '"' + 32 hex digits of an md5 + '"' */
#define CACHE_NO_DATE ((time_t)-1)

/* What a response carries that lets a client cache and revalidate it. */
struct cache_policy {
	const char *etag;     /* a quoted entity-tag ("\"ab12\"" or "W/\"ab12\""), or NULL */
	time_t last_modified; /* seconds since the epoch, or CACHE_NO_DATE */
	int max_age;          /* Cache-Control: public, max-age=N; -1 for no Cache-Control */
	bool expires;         /* also Expires: now + max_age (for HTTP/1.0 caches) */
};

/* The outcome of the preconditions; the value is the status to answer with. */
enum cache_verdict {
	CACHE_SEND = 200,                 /* no precondition stops it: send the content */
	CACHE_NOT_MODIFIED = 304,         /* GET/HEAD and the client's copy is current */
	CACHE_PRECONDITION_FAILED = 412,  /* If-None-Match matched on another method */
};

/* cache_etag_weak_equal — RFC 9110 §8.8.3.2 weak comparison: true when both are valid
 * entity-tags and their opaque-tags match, either or both may be W/. a and b are
 * a[0..alen) and b[0..blen), so a list member need not be copied. */
bool cache_etag_weak_equal(const char *a, size_t alen, const char *b, size_t blen);

/* cache_none_match — true when the If-None-Match field value inm names etag (weak
 * comparison) or is "*" (some representation exists). etag NULL matches only "*".
 * Members that are not entity-tags (an unquoted md5, as the article's server sends)
 * match nothing. */
bool cache_none_match(const char *inm, const char *etag);

/* cache_evaluate — the preconditions of RFC 9110 §13.2.2 that a cache can use, for a
 * resource that exists and would otherwise get 200:
 *   - If-None-Match, when present, decides alone (If-Modified-Since is then ignored,
 *     §13.1.3): a match gives 304 for GET and HEAD, 412 for any other method.
 *   - Otherwise If-Modified-Since, only on GET and HEAD, only when the resource has a
 *     Last-Modified and the value is one valid HTTP-date: 304 when the resource was
 *     last modified at or before that date (§13.1.3); an unparsable date is ignored.
 * Returns CACHE_SEND when no precondition stops the normal answer. */
enum cache_verdict cache_evaluate(const struct http_head *head, const struct cache_policy *p);

#endif
