/* http_names.c — the names HTTP gives things: the tokens and weighted lists of field
 * values (RFC 9110 §5.6, §12.4.2), methods and their Allow list (§9), reason phrases
 * (§15). */
#include "http.h"

#include <string.h>
#include <strings.h>

#include "chars.h"

bool http_token_list_has(const char *value, const char *token)
{
	size_t tlen = strlen(token);
	const char *p = value;

	while (*p) {
		while (*p == ',' || chars_is_ows((unsigned char)*p))
			p++;
		size_t n = strcspn(p, ",");
		size_t e = n;
		while (e > 0 && chars_is_ows((unsigned char)p[e - 1]))
			e--;
		if (e == tlen && strncasecmp(p, token, tlen) == 0)
			return true;
		p += n;
	}
	return false;
}

/* parse_qvalue — "1", "1.0", "0.8", "0.125" (RFC 9110 §12.4.2) in thousandths, or -1. */
static int parse_qvalue(const char *s, size_t n)
{
	if (n == 0 || (s[0] != '0' && s[0] != '1') || n > 5 || (n > 1 && s[1] != '.'))
		return -1;
	int q = (s[0] - '0') * 1000, scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (!chars_is_digit((unsigned char)s[i]))
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* element_q — the q parameter among ";a=b;q=0.5" parameters, 1000 if none. */
static int element_q(const char *p, size_t n)
{
	int q = 1000;
	while (n > 0) {
		size_t seg = 0;
		while (seg < n && p[seg] != ';')
			seg++;
		size_t a = 0, e = seg;
		while (a < e && chars_is_ows((unsigned char)p[a]))
			a++;
		if (e - a >= 2 && (p[a] == 'q' || p[a] == 'Q') && p[a + 1] == '=') {
			while (e > a + 2 && chars_is_ows((unsigned char)p[e - 1]))
				e--;
			q = parse_qvalue(p + a + 2, e - a - 2);
		}
		p += seg < n ? seg + 1 : seg;
		n -= seg < n ? seg + 1 : seg;
	}
	return q;
}

bool http_qlist_next(const char **cursor, char *item, size_t cap, int *q)
{
	const char *p = *cursor;

	for (;;) {
		while (*p == ',' || chars_is_ows((unsigned char)*p))
			p++;
		if (*p == '\0') {
			*cursor = p;
			return false;
		}
		size_t n = strcspn(p, ","), name = strcspn(p, ";,");
		size_t e = name;
		while (e > 0 && chars_is_ows((unsigned char)p[e - 1]))
			e--;
		*cursor = p + n;
		if (e < cap) {
			memcpy(item, p, e);
			item[e] = '\0';
			*q = element_q(p + name, n - name);
			return true;
		}
		p += n; /* too long to be anything we offer */
	}
}

/* RFC 9110 §9 and RFC 5789 §2, in the order an Allow header lists them. */
static const struct {
	const char *name;
	unsigned bit;
} methods[] = {
	{"GET", HTTP_GET},         {"HEAD", HTTP_HEAD},   {"POST", HTTP_POST},
	{"PUT", HTTP_PUT},         {"DELETE", HTTP_DELETE}, {"CONNECT", HTTP_CONNECT},
	{"OPTIONS", HTTP_OPTIONS}, {"TRACE", HTTP_TRACE}, {"PATCH", HTTP_PATCH},
};

unsigned http_method_bit(const char *method)
{
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strcmp(methods[i].name, method) == 0) /* methods are case-sensitive (§9.1) */
			return methods[i].bit;
	return 0;
}

char *http_methods_format(unsigned set, char *out, size_t cap)
{
	size_t used = 0;

	if (set & HTTP_GET)
		set |= HTTP_HEAD;
	if (cap > 0)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		if (!(set & methods[i].bit))
			continue;
		int w = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", methods[i].name);
		if (w < 0 || (size_t)w >= cap - used) {
			/* never half a name: that would be a method we do not have */
			out[used] = '\0';
			break;
		}
		used += (size_t)w;
	}
	return out;
}

/* RFC 9110 §15 (and RFC 2324 §2.3.2 for 418, as the article mentions it). */
static const char *const reasons[] = {
	[100] = "Continue",
	[101] = "Switching Protocols",
	[200] = "OK",
	[201] = "Created",
	[202] = "Accepted",
	[204] = "No Content",
	[206] = "Partial Content",
	[301] = "Moved Permanently",
	[302] = "Found",
	[303] = "See Other",
	[304] = "Not Modified",
	[307] = "Temporary Redirect",
	[308] = "Permanent Redirect",
	[400] = "Bad Request",
	[401] = "Unauthorized",
	[403] = "Forbidden",
	[404] = "Not Found",
	[405] = "Method Not Allowed",
	[406] = "Not Acceptable",
	[408] = "Request Timeout",
	[409] = "Conflict",
	[410] = "Gone",
	[411] = "Length Required",
	[412] = "Precondition Failed",
	[413] = "Content Too Large",
	[414] = "URI Too Long",
	[415] = "Unsupported Media Type",
	[417] = "Expectation Failed",
	[418] = "I'm a teapot",
	[429] = "Too Many Requests",
	[431] = "Request Header Fields Too Large",
	[500] = "Internal Server Error",
	[501] = "Not Implemented",
	[502] = "Bad Gateway",
	[503] = "Service Unavailable",
	[504] = "Gateway Timeout",
	[505] = "HTTP Version Not Supported",
};

const char *http_reason(int status)
{
	if (status < 0 || (size_t)status >= sizeof reasons / sizeof reasons[0] || !reasons[status])
		return "Unknown";
	return reasons[status];
}
