/* cookie.c — Set-Cookie out, Cookie in (see cookie.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cookie.h"
#include "date.h"
#include "chars.h"

/* is_cookie_octet — RFC 6265 §4.1.1: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E. */
static bool is_cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

/* value_form — 0: send as is; 1: needs double quotes; -1: cannot be sent. */
static int value_form(const char *v)
{
	size_t n = strlen(v);
	int quote = 0;

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		for (size_t i = 1; i + 1 < n; i++)
			if (!is_cookie_octet((unsigned char)v[i]))
				return -1;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == ' ' || c == ',')
			quote = 1;
		else if (!is_cookie_octet(c))
			return -1;
	}
	return quote;
}

static bool path_ok(const char *p)
{
	if (p[0] != '/')
		return false;
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == ';' || (unsigned char)*p > 0x7e)
			return false;
	return true;
}

static bool domain_ok(const char *d)
{
	if (!*d)
		return false;
	for (; *d; d++) {
		unsigned char c = (unsigned char)*d;
		if (!(c == '-' || c == '.' || (c >= '0' && c <= '9') ||
		      ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			return false;
	}
	return true;
}

/* An output buffer that remembers overflow. */
struct out {
	char *p;
	size_t cap, len;
	bool over;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len)
		o->over = true;
	else
		o->len += (size_t)n;
}

int cookie_format(const struct cookie *c, char *out, size_t cap, const char **why)
{
	static const char *const same_site[] = {
		[COOKIE_SAME_SITE_LAX] = "Lax",
		[COOKIE_SAME_SITE_STRICT] = "Strict",
		[COOKIE_SAME_SITE_NONE] = "None",
	};
	const char *rule = NULL;
	int form = 0;

	if (!c->name || !*c->name) {
		rule = "a cookie needs a name";
	} else {
		for (const char *p = c->name; *p; p++)
			if (!chars_is_tchar((unsigned char)*p))
				rule = "a cookie name must be a token (RFC 6265 §4.1.1)";
	}
	if (!rule && (!c->value || (form = value_form(c->value)) < 0))
		rule = "the value holds ';', '\"', '\\', a control character or non-ASCII";
	if (!rule && c->path && !path_ok(c->path))
		rule = "Path must start with '/' and hold no ';' or control character";
	if (!rule && c->domain && !domain_ok(c->domain))
		rule = "Domain must be a host name";
	if (!rule && (unsigned)c->same_site > COOKIE_SAME_SITE_NONE)
		rule = "unknown SameSite value";
	if (!rule && c->same_site == COOKIE_SAME_SITE_NONE && !c->secure)
		rule = "SameSite=None needs Secure (RFC 6265bis §5.6.7)";
	if (rule) {
		if (why)
			*why = rule;
		return COOKIE_REFUSED;
	}
	if (cap == 0)
		return COOKIE_TOO_SMALL;

	struct out o = {out, cap, 0, false};
	/* BEGIN SOLUTION: the Set-Cookie value (RFC 6265 §4.1.1) into o with put: name=value
	 * (the value in double quotes when form says so), then each attribute c sets, in this
	 * order: Expires (an IMF-fixdate, date_format_http), Max-Age, Domain, Path, Secure,
	 * HttpOnly, SameSite (its name from same_site[]) */
	put(&o, form ? "%s=\"%s\"" : "%s=%s", c->name, c->value);
	if (c->has_expires) {
		char date[DATE_HTTP_LEN + 1];
		date_format_http(c->expires, date);
		put(&o, "; Expires=%s", date);
	}
	if (c->has_max_age)
		put(&o, "; Max-Age=%ld", c->max_age);
	if (c->domain)
		put(&o, "; Domain=%s", c->domain);
	if (c->path)
		put(&o, "; Path=%s", c->path);
	if (c->secure)
		put(&o, "; Secure");
	if (c->http_only)
		put(&o, "; HttpOnly");
	if (c->same_site != COOKIE_SAME_SITE_UNSET)
		put(&o, "; SameSite=%s", same_site[c->same_site]);
	/* END SOLUTION */
	if (o.over) {
		out[0] = '\0';
		return COOKIE_TOO_SMALL;
	}
	return (int)o.len;
}

int cookie_parse(const char *s, size_t len, struct cookie_pair *pairs, size_t *npairs)
{
	size_t cap = *npairs, n = 0, i = 0;
	int junk = 0;
	bool over = false;

	*npairs = 0;
	/* BEGIN SOLUTION: RFC 6265 §5.4's cookie-string read leniently, as browsers send it:
	 * pieces split at ';', trimmed of OWS; skip an empty piece; a piece without '=' or
	 * whose name is not a token counts in junk; a value loses its double quotes; the
	 * first cap pairs go into pairs (n of them), and any more set over */
	while (i < len) {
		size_t start = i, end, eq;

		while (i < len && s[i] != ';')
			i++;
		end = i;
		if (i < len)
			i++; /* the ';' */
		while (start < end && chars_is_ows(s[start]))
			start++;
		while (end > start && chars_is_ows(s[end - 1]))
			end--;
		if (start == end)
			continue; /* an empty piece: ";;" or a trailing ';' */
		for (eq = start; eq < end && s[eq] != '='; eq++)
			;
		size_t ns = start, ne = eq;
		while (ne > ns && chars_is_ows(s[ne - 1]))
			ne--;
		bool token = ne > ns;
		for (size_t k = ns; k < ne && token; k++)
			token = chars_is_tchar((unsigned char)s[k]);
		if (eq == end || !token) {
			junk++;
			continue;
		}
		size_t vs = eq + 1, ve = end;
		while (vs < ve && chars_is_ows(s[vs]))
			vs++;
		if (ve - vs >= 2 && s[vs] == '"' && s[ve - 1] == '"') {
			vs++;
			ve--;
		}
		if (n == cap) {
			over = true;
			continue;
		}
		pairs[n].name = s + ns;
		pairs[n].name_len = ne - ns;
		pairs[n].value = s + vs;
		pairs[n].value_len = ve - vs;
		n++;
	}
	/* END SOLUTION */
	*npairs = n;
	return over ? COOKIE_TOO_SMALL : junk;
}

const struct cookie_pair *cookie_find(const struct cookie_pair *pairs, size_t n,
                                      const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < n; i++)
		if (pairs[i].name_len == len && memcmp(pairs[i].name, name, len) == 0)
			return &pairs[i];
	return NULL;
}
