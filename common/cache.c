/* cache.c — entity-tags from md5 (libmd), conditional request evaluation, and the
 * headers that let a client cache a response. */
#include "cache.h"

#include <md5.h>
#include <stdint.h>
#include <string.h>

#include "date.h"

void cache_etag_md5(const void *body, size_t len, char out[CACHE_ETAG_LEN + 1])
{
	char hex[MD5_DIGEST_STRING_LENGTH];

	MD5Data(body, len, hex); /* lower-case hex, NUL-terminated, like hexdigest() */
	out[0] = '"';            /* RFC 9110 §8.8.3: an entity-tag is a quoted string */
	memcpy(out + 1, hex, MD5_DIGEST_LENGTH * 2);
	out[CACHE_ETAG_LEN - 1] = '"';
	out[CACHE_ETAG_LEN] = '\0';
}

/* is_etagc — a byte allowed inside an opaque-tag (RFC 9110 §8.8.3):
 * %x21 / %x23-7E / obs-text. */
static bool is_etagc(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c != 0x7f);
}

/* opaque_tag — the length of the entity-tag at s[0..len) (W/ and quotes included),
 * or 0 when s does not start with one; *tag and *tag_len get the opaque-tag with its
 * quotes, which is what weak comparison compares. */
static size_t opaque_tag(const char *s, size_t len, const char **tag, size_t *tag_len)
{
	size_t i = 0;

	if (len >= 2 && s[0] == 'W' && s[1] == '/') /* "W/" is case-sensitive */
		i = 2;
	if (i >= len || s[i] != '"')
		return 0;
	size_t start = i++;
	while (i < len && s[i] != '"') {
		if (!is_etagc((unsigned char)s[i]))
			return 0;
		i++;
	}
	if (i >= len)
		return 0; /* no closing quote */
	*tag = s + start;
	*tag_len = i + 1 - start;
	return i + 1;
}

bool cache_etag_weak_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *ta, *tb;
	size_t la, lb;

	if (opaque_tag(a, alen, &ta, &la) != alen || alen == 0 ||
	    opaque_tag(b, blen, &tb, &lb) != blen || blen == 0)
		return false;
	return la == lb && memcmp(ta, tb, la) == 0;
}

/* is_ows — optional whitespace (RFC 9110 §5.6.3). */
static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

bool cache_none_match(const char *inm, const char *etag)
{
	const char *p = inm, *end = inm + strlen(inm);
	size_t elen = etag ? strlen(etag) : 0;

	while (p < end) {
		while (*p == ',' || is_ows(*p))
			p++;
		if (*p == '\0')
			break;
		const char *tag;
		size_t tag_len;
		size_t used = opaque_tag(p, (size_t)(end - p), &tag, &tag_len);
		if (used == 0) {
			/* "*" stands alone (§13.1.2); anything else unquoted is not an entity-tag. */
			size_t bad = strcspn(p, ",");
			size_t len = bad;
			while (len > 0 && is_ows(p[len - 1]))
				len--;
			if (len == 1 && p[0] == '*')
				return true; /* the resource exists: "*" matches (§13.1.2) */
			p += bad;
			continue;
		}
		if (etag && cache_etag_weak_equal(p, used, etag, elen))
			return true;
		p += used;
		while (is_ows(*p))
			p++;
		if (*p != ',' && *p != '\0')
			p += strcspn(p, ","); /* junk after a tag: skip to the next member */
	}
	return false;
}

/* is_get_or_head — the only methods a 304 answers (RFC 9110 §15.4.5). */
static bool is_get_or_head(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* modified_since — false when If-Modified-Since is a valid date at or after the
 * resource's modification time (the condition of §13.1.3 is false); true otherwise,
 * including when the date cannot be parsed, which a recipient ignores. */
static bool modified_since(const char *ims, time_t last_modified)
{
	time_t since;

	if (date_parse_http(ims, strlen(ims), &since) != 0)
		return true;
	return last_modified > since;
}

enum cache_verdict cache_evaluate(const struct http_request *req, const struct cache_policy *p)
{
	const char *inm = http_header_get(req, "If-None-Match");
	const char *ims = http_header_get(req, "If-Modified-Since");
	bool safe = is_get_or_head(req->method);

	/* §13.2.2 step 3: If-None-Match, when present, is the only date-free test. */
	if (inm) {
		if (!cache_none_match(inm, p->etag))
			return CACHE_SEND;
		return safe ? CACHE_NOT_MODIFIED : CACHE_PRECONDITION_FAILED;
	}
	/* Step 4: If-Modified-Since only for GET and HEAD, only with a Last-Modified. */
	if (ims && safe && p->last_modified != CACHE_NO_DATE && !modified_since(ims, p->last_modified))
		return CACHE_NOT_MODIFIED;
	return CACHE_SEND;
}

void cache_send_headers(struct response *res, const struct cache_policy *p, time_t now)
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
			date_format_http(now + p->max_age, date);
			res_send_header(res, "Expires", date);
		}
	}
}

void cache_send_not_modified(struct response *res, const struct cache_policy *p,
                             const char *vary, time_t now)
{
	res_send_response(res, HTTP_NOT_MODIFIED);
	cache_send_headers(res, p, now);
	if (vary)
		res_send_header(res, "Vary", vary);
	res_end_headers(res);
}
