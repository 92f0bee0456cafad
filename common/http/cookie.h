/* cookie.h — HTTP state management (RFC 6265): the Set-Cookie a server sends and the
 * Cookie header a client sends back.
 *
 * The writer refuses to put on the wire what a client would read differently from what
 * the server meant (a ';' in a value ends the cookie there); the reader takes whatever
 * a client sends, junk included, without failing the request. */
#ifndef WIRELAB_COOKIE_H
#define WIRELAB_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* SameSite (RFC 6265bis §4.1.2.7): whether a cross-site request carries the cookie. */
enum cookie_same_site {
	COOKIE_SAME_SITE_UNSET, /* no attribute: the browser's default (Lax in Chromium) */
	COOKIE_SAME_SITE_LAX,
	COOKIE_SAME_SITE_STRICT,
	COOKIE_SAME_SITE_NONE,  /* needs secure: browsers drop SameSite=None without it */
};

/* One cookie to set. NULL path or domain: no attribute. */
struct cookie {
	const char *name;
	const char *value;
	const char *path;       /* Path=, must start with '/' (§5.2.4) */
	const char *domain;     /* Domain=, letters, digits, '-' and '.' */
	bool has_expires;
	time_t expires;         /* Expires=, an IMF-fixdate (§5.2.1); the epoch removes it */
	bool has_max_age;
	long max_age;           /* Max-Age= seconds; 0 or less removes it (§5.2.2) */
	bool secure;            /* only over HTTPS */
	bool http_only;         /* not visible to scripts (document.cookie) */
	enum cookie_same_site same_site;
};

/* What cookie_format and cookie_parse return when they cannot do all that was asked. */
#define COOKIE_REFUSED   (-1) /* the cookie cannot be sent safely (cookie_format) */
#define COOKIE_TOO_SMALL (-2) /* the caller's buffer or array is too small for it all */

/* cookie_format — the Set-Cookie field value of c into out[0..cap), NUL-terminated:
 * "name=value; Expires=…; Max-Age=…; Domain=…; Path=…; Secure; HttpOnly; SameSite=…".
 * The name must be a token (RFC 9110 §5.6.2). A value made of cookie-octets (RFC 6265
 * §4.1.1: printable ASCII but for SP " , ; \) is sent as it is, and so is one already
 * in double quotes around cookie-octets; a value that also holds spaces or commas is
 * put in double quotes (what browsers accept, RFC 6265bis §5.6, and what keeps it one
 * piece for parsers that split on commas). A value with ';', '"', '\', a control
 * character or a byte over 0x7E cannot be sent safely and is refused.
 * Returns the length written; COOKIE_REFUSED when c cannot be sent (*why, when why is
 * not NULL, names the rule: a constant string); COOKIE_TOO_SMALL when out is too small. */
int cookie_format(const struct cookie *c, char *out, size_t cap, const char **why);

/* One name=value pair of a Cookie header: pointers into the caller's buffer. */
struct cookie_pair {
	const char *name;
	size_t name_len;
	const char *value;  /* without the double quotes it may have been sent in */
	size_t value_len;
};

/* cookie_parse — splits the Cookie field value s[0..len) (RFC 6265 §4.2.1: pairs
 * separated by ';') into pairs[0..*npairs): *npairs is the capacity on entry and the
 * count on return (picohttpparser's shape; nothing is copied or allocated). Whitespace
 * around names and values is dropped, and the double quotes around a value. Tolerant
 * as RFC 6265 §5.4 asks of a server: a piece with no '=' or whose name is empty or not
 * a token is junk, skipped; empty pieces (";;") are ignored. Never reads s[len].
 * Returns the number of junk pieces skipped (0 or more), or COOKIE_TOO_SMALL when there
 * were more pairs than the capacity (the first *npairs are kept). */
int cookie_parse(const char *s, size_t len, struct cookie_pair *pairs, size_t *npairs);

/* cookie_find — the first pair named name (compared exactly: cookie names are case-
 * sensitive), or NULL. Browsers send the cookie with the longest Path first (§5.4). */
const struct cookie_pair *cookie_find(const struct cookie_pair *pairs, size_t n,
                                      const char *name);

#endif
