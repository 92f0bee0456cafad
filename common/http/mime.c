/* mime.c — the extension table and Accept negotiation. */
#include "mime.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "http.h"

/* ---- by name -------------------------------------------------------------------- */

/* The strict table of CPython 3.11's Lib/mimetypes.py (_types_map_default), the one
 * Python uses when the system has no /etc/mime.types, cut to what a web server
 * meets. Three rows differ, each for a newer source: .js is text/javascript
 * (RFC 9239 §6; Python says application/javascript until 3.12), .webp is image/webp
 * (RFC 9649; only Python's non-strict table has it) and .md is text/markdown
 * (RFC 7763; not in Python's table). */
static const struct {
	const char *ext;
	const char *type;
} by_extension[] = {
	{"avif", "image/avif"},
	{"bin", "application/octet-stream"},
	{"bmp", "image/bmp"},
	{"c", "text/plain"},
	{"css", "text/css"},
	{"csv", "text/csv"},
	{"gif", "image/gif"},
	{"h", "text/plain"},
	{"htm", "text/html"},
	{"html", "text/html"},
	{"ico", "image/vnd.microsoft.icon"},
	{"jpe", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"jpg", "image/jpeg"},
	{"js", "text/javascript"},
	{"json", "application/json"},
	{"md", "text/markdown"},
	{"mjs", "text/javascript"},
	{"mp3", "audio/mpeg"},
	{"mp4", "video/mp4"},
	{"pdf", "application/pdf"},
	{"png", "image/png"},
	{"py", "text/x-python"},
	{"sh", "application/x-sh"},
	{"svg", "image/svg+xml"},
	{"tar", "application/x-tar"},
	{"tif", "image/tiff"},
	{"tiff", "image/tiff"},
	{"tsv", "text/tab-separated-values"},
	{"txt", "text/plain"},
	{"vtt", "text/vtt"},
	{"wasm", "application/wasm"},
	{"wav", "audio/x-wav"},
	{"webm", "video/webm"},
	{"webp", "image/webp"},
	{"xml", "text/xml"},
	{"zip", "application/zip"},
};

const char *mime_from_name(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *dot = strrchr(base, '.');

	if (!dot || dot == base) /* ".profile" is a hidden file, not an extension */
		return NULL;
	for (size_t i = 0; i < sizeof by_extension / sizeof by_extension[0]; i++)
		if (strcasecmp(dot + 1, by_extension[i].ext) == 0)
			return by_extension[i].type;
	return NULL;
}

/* ---- by Accept ------------------------------------------------------------------ */

/* Specificity of a media range that matches (RFC 9110 §12.5.1). */
enum { NO_MATCH = -1, ANY_TYPE = 0, ANY_SUBTYPE = 1, EXACT = 2 };

/* range_match — how specifically range ("text/html", "text/[*]", "[*]/[*]") matches the
 * offer "type/subtype"; NO_MATCH for no match or a range that is not type/subtype. */
static int range_match(const char *range, const char *offer)
{
	const char *slash = strchr(range, '/'), *oslash = strchr(offer, '/');
	size_t tlen = slash ? (size_t)(slash - range) : 0;

	if (!slash || !oslash || tlen == 0 || slash[1] == '\0')
		return NO_MATCH;
	if (strcmp(range, "*/*") == 0)
		return ANY_TYPE;
	if (tlen == 1 && range[0] == '*')
		return NO_MATCH; /* "[*]/html" is not a media range */
	if (tlen != (size_t)(oslash - offer) || strncasecmp(range, offer, tlen) != 0)
		return NO_MATCH;
	if (strcmp(slash + 1, "*") == 0)
		return ANY_SUBTYPE;
	return strcasecmp(slash + 1, oslash + 1) == 0 ? EXACT : NO_MATCH;
}

/* offer_quality — the q (thousandths) Accept gives offer: that of its most specific
 * matching range (the highest such q if one range is listed twice); 0 when none
 * matches or the q is malformed. */
static int offer_quality(const char *accept, const char *offer)
{
	const char *cursor = accept;
	char range[MIME_TYPE_LEN];
	int q, best = NO_MATCH, best_q = 0;

	/* BEGIN SOLUTION: walk Accept's ranges with their q (http_qlist_next): offer takes the
	 * q of the most specific range that matches it (range_match), the highest q when
	 * equally specific ones are listed, into best and best_q */
	while (http_qlist_next(&cursor, range, sizeof range, &q)) {
		int spec = range_match(range, offer);
		if (spec > best || (spec == best && spec != NO_MATCH && q > best_q)) {
			best = spec;
			best_q = q;
		}
	}
	/* END SOLUTION */
	return best_q > 0 ? best_q : 0;
}

/* holds_no_element — true for a list of only commas, spaces and tabs: its elements,
 * if any, are all empty, and empty elements count for nothing (RFC 9110 §5.6.1). */
static bool holds_no_element(const char *s)
{
	return s[strspn(s, ", \t")] == '\0';
}

int mime_negotiate(const char *accept, const char *const *offers, size_t n)
{
	int best = -1, best_q = 0;

	if (n == 0)
		return -1;
	/* No Accept means any type will do (§12.5.1); one with no element we read the same
	 * way: "," is the same list as "". */
	if (!accept || holds_no_element(accept))
		return 0;
	/* BEGIN SOLUTION: the offer with the highest q above 0 (offer_quality) into best, the
	 * earlier one on a tie; none acceptable leaves best at -1 (a 406) */
	for (size_t i = 0; i < n; i++) {
		int q = offer_quality(accept, offers[i]);
		if (q > best_q) { /* strictly greater: an earlier offer keeps a tie */
			best = (int)i;
			best_q = q;
		}
	}
	/* END SOLUTION */
	return best;
}
