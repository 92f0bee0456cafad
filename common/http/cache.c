/* cache.c — entity-tag comparison and conditional request evaluation. */
#include "cache.h"

#include <stdint.h>
#include <string.h>

#include "date.h"
#include "chars.h"

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

bool cache_none_match(const char *inm, const char *etag)
{
	/* BEGIN SOLUTION: walk the If-None-Match list inm (RFC 9110 §13.1.2): members
	 * separated by commas and optional whitespace, each an entity-tag (opaque_tag) that
	 * matches etag by weak comparison (cache_etag_weak_equal), or "*" alone, which matches
	 * any current representation; skip what is not an entity-tag */
	const char *p = inm, *end = inm + strlen(inm);
	size_t elen = etag ? strlen(etag) : 0;

	while (p < end) {
		while (*p == ',' || chars_is_ows(*p))
			p++;
		if (*p == '\0')
			break;
		const char *tag;
		size_t tag_len;
		size_t used = opaque_tag(p, (size_t)(end - p), &tag, &tag_len);
		if (used == 0) {
			/* "*" stands alone (§13.1.2); anything else unquoted is not an
			 * entity-tag. */
			size_t bad = strcspn(p, ",");
			size_t len = bad;
			while (len > 0 && chars_is_ows(p[len - 1]))
				len--;
			if (len == 1 && p[0] == '*')
				return true; /* the resource exists: "*" matches (§13.1.2) */
			p += bad;
			continue;
		}
		if (etag && cache_etag_weak_equal(p, used, etag, elen))
			return true;
		p += used;
		while (chars_is_ows(*p))
			p++;
		if (*p != ',' && *p != '\0')
			p += strcspn(p, ","); /* junk after a tag: skip to the next member */
	}
	/* END SOLUTION */
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

enum cache_verdict cache_evaluate(const struct http_head *head, const struct cache_policy *p)
{
	/* BEGIN SOLUTION: RFC 9110 §13.2.2: when If-None-Match is present it alone decides
	 * (cache_none_match): a match is a 304 for GET and HEAD, a 412 for other methods;
	 * without it, If-Modified-Since (modified_since) may give a 304 for GET and HEAD when
	 * the resource has a Last-Modified; a date that does not parse is ignored */
	const char *inm = http_header_get(head, "If-None-Match");
	const char *ims = http_header_get(head, "If-Modified-Since");
	bool safe = is_get_or_head(head->method);

	/* §13.2.2 step 3: If-None-Match, when present, is the only date-free test. */
	if (inm) {
		if (!cache_none_match(inm, p->etag))
			return CACHE_SEND;
		return safe ? CACHE_NOT_MODIFIED : CACHE_PRECONDITION_FAILED;
	}
	/* Step 4: If-Modified-Since only for GET and HEAD, only with a Last-Modified. */
	if (ims && safe && p->last_modified != CACHE_NO_DATE &&
	    !modified_since(ims, p->last_modified))
		return CACHE_NOT_MODIFIED;
	/* END SOLUTION */
	return CACHE_SEND;
}
