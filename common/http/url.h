/* url.h — URLs split the way Python's urllib.parse.urlparse splits them,
 * percent-encoding (quote/unquote) and query strings (parse_qs/parse_qsl). */
#ifndef WIRELAB_URL_H
#define WIRELAB_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "limit.h"
#include "span.h"

/* Every piece is a span of url (span.h). */
struct url_parts {
	/* urlparse's six strings: never NULL (an empty one points into url with len 0).
	 * scheme is as written: urlparse lower-cases it, so compare it without case. */
	struct span scheme, netloc, path, params, query, fragment;
	/* From netloc, as urlparse's attributes; p is NULL exactly where Python gives None
	 * ("@host" has an empty username, "u:@host" an empty password, "http:///" no host). */
	struct span username, password, hostname; /* hostname as written (not lower-cased),
	                                           * without the brackets of "[::1]" */
	int port; /* -1 when netloc names none ("host" or "host:") or when it is invalid */
};

/* url_split — splits url[0..len) like urlparse(url) of Python 3.11. Leading C0 controls
 * and spaces are skipped, as urlsplit strips them. Never allocates; url may be NULL when
 * len is 0. Returns 0, or -1 where Python raises ValueError: the port is not ASCII digits
 * naming 0..65535, brackets in netloc are unbalanced or do not hold a valid IPv6 address
 * or IPvFuture, or (our own rule) url holds a TAB, CR or LF, which urlsplit would delete
 * but a span cannot. Even on -1, *out holds the split of the bytes as given, port -1.
 * Not done: urlsplit's NFKC check of a non-ASCII netloc (bytes >= 0x80 are kept as is). */
int url_split(const char *url, size_t len, struct url_parts *out);

/* url_quote — percent-encodes in[0..len) like urllib.parse.quote(in, safe) (RFC 3986
 * §2.1): letters, digits, "_.-~" and the ASCII bytes of safe stay; every other byte
 * becomes %XX (upper-case hex). safe NULL means "" (Python's default is "/": pass it).
 * Writes at most cap bytes including a NUL (when cap > 0; out may be NULL when cap is 0)
 * and returns the length the whole result needs, without the NUL, as snprintf does; a
 * truncated result is a prefix of the whole one. */
size_t url_quote(const char *in, size_t len, const char *safe, char *out, size_t cap);

/* url_unquote — decodes %XX escapes of in[0..len) into out (and '+' to a space when
 * plus is true, as unquote_plus does), as urllib.parse.unquote_to_bytes: no UTF-8
 * decoding. A malformed escape ("%", "%4", "%zz") is copied as it stands, like Python.
 * out needs len + 1 bytes and may be in itself (decoding never writes ahead of reading);
 * returns the decoded length and NUL-terminates. The result may contain NUL bytes: use
 * the returned length. */
size_t url_unquote(const char *in, size_t len, bool plus, char *out);

/* Query strings: name=value pairs split on '&' (Python 3.10+ no longer splits on ';'). */
enum url_query_mode {
	URL_QUERY_MULTI,     /* parse_qs: every value of a repeated name, in order */
	URL_QUERY_LAST_WINS, /* dict(parse_qsl(...)): the last value of a repeated name */
};

/* Names and values are C strings: one decoded from "%00" ends at that NUL (Python keeps
 * the rest), and bytes are not decoded as UTF-8 (Python would put U+FFFD for bad UTF-8). */
struct url_param {
	char *name;     /* decoded (unquote_plus), NUL-terminated, owned by the url_query */
	char **values;  /* decoded; one entry in LAST_WINS mode */
	size_t nvalues;
};

/* Parameters in order of first appearance, as Python's dict keeps them. */
struct url_query {
	struct url_param *params;
	size_t nparams;
};

/* url_query_parse — parses q[0..len) (without the '?') into out, which owns
 * everything it points at. Pairs with an empty value, or with no '=', are dropped, as
 * parse_qs and parse_qsl do by default; a name may be empty ("=v"). In LAST_WINS mode
 * a repeated name keeps the place of its first appearance and takes its last value
 * (dict update). Linear time in len (expected, whatever names the client chose: a
 * keyed hash, with a new random key each call, keeps them apart). q may be NULL when
 * len is 0. Returns 0, or -1 when out of memory or when more than LIMIT_QUERY_PAIRS
 * pairs are kept (out is then empty). Release with url_query_free, after either
 * result. */
int url_query_parse(const char *q, size_t len, enum url_query_mode mode, struct url_query *out);

/* url_query_get — the last value of name (a NUL-terminated name), or NULL. */
const char *url_query_get(const struct url_query *q, const char *name);

/* url_query_free — frees everything q owns and leaves it empty; safe to call twice. */
void url_query_free(struct url_query *q);

#endif
