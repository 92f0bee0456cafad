/* url.c — URLs split as Python 3.11's urllib.parse splits them, percent-encoding
 * (RFC 3986 §2.1) and query strings as parse_qs/parse_qsl read them.
 *
 * Python is the reference because the article's servers use it: a lesson must see the
 * same path, query and parameters its Python original saw. */
#include "url.h"
#include "chars.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* ---- small byte helpers ----------------------------------------------------------- */

static struct span span(const char *p, size_t len)
{
	struct span s = { p, len };
	return s;
}

static const char *span_end(struct span s)
{
	return s.p + s.len;
}

/* find — the first c in s, or NULL (memchr, but safe for an empty span). */
static const char *find(struct span s, char c)
{
	return s.len ? memchr(s.p, c, s.len) : NULL;
}

/* find_last — the last c in s, or NULL. */
static const char *find_last(struct span s, char c)
{
	for (size_t i = s.len; i > 0; i--)
		if (s.p[i - 1] == c)
			return s.p + i - 1;
	return NULL;
}

/* ---- bracketed hosts: urlsplit raises ValueError unless they are IPv6 or IPvFuture ---- */

/* ipv4_valid — four dotted decimal octets 0..255, no leading zeros (Python's ipaddress). */
static bool ipv4_valid(struct span s)
{
	size_t i = 0;

	for (int octet = 0; octet < 4; octet++) {
		if (octet > 0 && (i == s.len || s.p[i++] != '.'))
			return false;
		size_t start = i;
		unsigned value = 0;
		while (i < s.len && chars_is_digit((unsigned char)s.p[i]) && i - start < 3)
			value = value * 10 + (unsigned)(s.p[i++] - '0');
		size_t n = i - start;
		if (n == 0 || value > 255 || (n > 1 && s.p[start] == '0'))
			return false;
	}
	return i == s.len; /* a fourth digit or anything else after the last octet fails */
}

/* hextet_valid — one to four hex digits. */
static bool hextet_valid(struct span s)
{
	if (s.len < 1 || s.len > 4)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (chars_hex_value((unsigned char)s.p[i]) < 0)
			return false;
	return true;
}

/* hextets_valid — parts[from..to) are all valid hextets. */
static bool hextets_valid(const struct span *parts, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!hextet_valid(parts[i]))
			return false;
	return true;
}

/* ipv6_split — splits s on ':' into parts (at most max); false when there are more. */
static bool ipv6_split(struct span s, struct span *parts, size_t max, size_t *n)
{
	const char *p = s.p, *end = span_end(s);

	*n = 0;
	for (;;) {
		const char *colon = find(span(p, (size_t)(end - p)), ':');
		const char *stop = colon ? colon : end;
		if (*n == max)
			return false;
		parts[(*n)++] = span(p, (size_t)(stop - p));
		if (!colon)
			return true;
		p = colon + 1;
	}
}

/* ipv6_valid — the textual IPv6 forms Python's ipaddress.IPv6Address accepts (RFC 4291
 * §2.2): eight hextets, one "::" standing for at least one zero hextet, an IPv4 tail, and
 * a non-empty "%zone" after it all. */
static bool ipv6_valid(struct span s)
{
	struct span parts[10];
	size_t n, skip = 0, hi, lo;
	const char *pct = find(s, '%');

	if (pct) {
		struct span zone = span(pct + 1, (size_t)(span_end(s) - pct - 1));
		if (zone.len == 0 || find(zone, '%'))
			return false;
		s.len = (size_t)(pct - s.p);
	}
	if (!ipv6_split(s, parts, 9, &n) || n < 3)
		return false;
	if (find(parts[n - 1], '.')) { /* an IPv4 tail is worth two hextets */
		if (!ipv4_valid(parts[n - 1]))
			return false;
		parts[n - 1] = span("0", 1);
		parts[n++] = span("0", 1);
	}
	if (n > 9)
		return false;
	for (size_t i = 1; i + 1 < n; i++) {
		if (parts[i].len == 0) {
			if (skip) /* a second "::" */
				return false;
			skip = i;
		}
	}
	if (!skip) /* no "::": exactly eight hextets */
		return n == 8 && hextets_valid(parts, 0, n);
	hi = skip;
	lo = n - skip - 1;
	if (parts[0].len == 0 && --hi) /* a leading ':' only as part of "::" */
		return false;
	if (parts[n - 1].len == 0 && --lo) /* a trailing ':' likewise */
		return false;
	return hi + lo < 8 && hextets_valid(parts, 0, hi) && hextets_valid(parts, n - lo, n);
}

/* ipvfuture_valid — "v" 1*HEXDIG "." 1*char (RFC 3986 §3.2.2, as Python's regex reads it). */
static bool ipvfuture_valid(struct span s)
{
	size_t i = 1;

	while (i < s.len && chars_hex_value((unsigned char)s.p[i]) >= 0)
		i++;
	return i > 1 && i < s.len && s.p[i] == '.' && i + 1 < s.len;
}

static bool bracketed_host_valid(struct span host)
{
	if (host.len > 0 && host.p[0] == 'v')
		return ipvfuture_valid(host);
	return ipv6_valid(host);
}

/* bracketed_netloc_valid — Python's _check_bracketed_netloc: nothing before '[', only
 * ":port" after ']', and the host inside must be valid. */
static bool bracketed_netloc_valid(struct span netloc)
{
	const char *at = find_last(netloc, '@');
	const char *start = at ? at + 1 : netloc.p, *end = span_end(netloc);
	struct span hostport = span(start, (size_t)(end - start));
	const char *open = find(hostport, '[');

	if (!open) {
		const char *colon = find(hostport, ':');
		return bracketed_host_valid(span(start, (size_t)((colon ? colon : end) - start)));
	}
	if (open != start)
		return false;
	struct span inside = span(open + 1, (size_t)(end - open - 1));
	const char *close = find(inside, ']');
	if (close && close + 1 < end && close[1] != ':')
		return false;
	return bracketed_host_valid(span(inside.p, (size_t)((close ? close : end) - inside.p)));
}

/* ---- url_split ---------------------------------------------------------------------- */

/* scheme_end — the ':' ending a valid scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ),
 * RFC 3986 §3.1) at the start of s, or NULL: then s has no scheme, as urlsplit decides. */
static const char *scheme_end(struct span s)
{
	const char *colon = find(s, ':');

	if (!colon || colon == s.p || !chars_is_alpha((unsigned char)s.p[0]))
		return NULL;
	for (const char *p = s.p; p < colon; p++) {
		unsigned char c = (unsigned char)*p;
		if (!chars_is_alpha(c) && !chars_is_digit(c) && c != '+' && c != '-' && c != '.')
			return NULL;
	}
	return colon;
}

/* uses_params — whether urlparse splits ";params" off the path for this scheme (its
 * uses_params list; it compares the lower-cased scheme, so we compare without case). */
static bool uses_params(struct span scheme)
{
	static const char *const names[] = {
		"", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp",
		"rtsp", "rtspu", "sip", "sips", "mms", "sftp", "tel",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = strlen(names[i]), j = 0;
		if (n != scheme.len)
			continue;
		while (j < n && (scheme.p[j] | 0x20) == names[i][j])
			j++;
		if (j == n)
			return true;
	}
	return false;
}

/* split_params — urlparse's _splitparams: ";" in the last path segment starts params. */
static void split_params(struct url_parts *out)
{
	const char *slash = find_last(out->path, '/');
	const char *from = slash ? slash : out->path.p, *end = span_end(out->path);
	const char *semi = find(span(from, (size_t)(end - from)), ';');

	if (!semi)
		return;
	out->params = span(semi + 1, (size_t)(end - semi - 1));
	out->path.len = (size_t)(semi - out->path.p);
}

/* split_netloc — urlsplit's netloc ends at the first '/', '?' or '#' after "//". */
static struct span split_netloc(struct span rest)
{
	size_t i = 0;

	while (i < rest.len && rest.p[i] != '/' && rest.p[i] != '?' && rest.p[i] != '#')
		i++;
	return span(rest.p, i);
}

/* parse_port — ASCII digits naming 0..65535, or -1 (where .port raises ValueError). */
static int parse_port(struct span s)
{
	long v = 0;

	for (size_t i = 0; i < s.len; i++) {
		if (!chars_is_digit((unsigned char)s.p[i]))
			return -1;
		v = v * 10 + (s.p[i] - '0');
		if (v > 65535)
			return -1;
	}
	return (int)v;
}

/* split_host — urlparse's _userinfo and _hostinfo: user[:password]@host[:port], the last
 * '@' ending userinfo and brackets around an IPv6 host. Returns 0, or -1 for a bad port. */
static int split_host(struct url_parts *out)
{
	struct span hostinfo = out->netloc, port = span(NULL, 0);
	const char *at = find_last(out->netloc, '@'), *end = span_end(out->netloc);

	if (at) {
		struct span userinfo = span(out->netloc.p, (size_t)(at - out->netloc.p));
		const char *colon = find(userinfo, ':');
		out->username = span(userinfo.p, (size_t)((colon ? colon : at) - userinfo.p));
		if (colon)
			out->password = span(colon + 1, (size_t)(at - colon - 1));
		hostinfo = span(at + 1, (size_t)(end - at - 1));
	}
	const char *open = find(hostinfo, '[');
	if (open) {
		struct span inside = span(open + 1, (size_t)(end - open - 1));
		const char *close = find(inside, ']');
		const char *host_end = close ? close : end;
		out->hostname = span(inside.p, (size_t)(host_end - inside.p));
		if (close) {
			const char *colon = find(span(close, (size_t)(end - close)), ':');
			if (colon)
				port = span(colon + 1, (size_t)(end - colon - 1));
		}
	} else {
		const char *colon = find(hostinfo, ':');
		out->hostname = span(hostinfo.p, (size_t)((colon ? colon : end) - hostinfo.p));
		if (colon)
			port = span(colon + 1, (size_t)(end - colon - 1));
	}
	if (out->hostname.len == 0) /* Python: hostname is None when empty */
		out->hostname = span(NULL, 0);
	if (port.len == 0) /* "host:" has no port, like Python's None */
		return 0;
	out->port = parse_port(port);
	return out->port < 0 ? -1 : 0;
}

/* split_path — what follows netloc: path[;params][?query][#fragment], the fragment cut
 * first (so "?" after "#" belongs to the fragment), params only for some schemes. */
static void split_path(struct url_parts *out, struct span rest)
{
	const char *hash = find(rest, '#'), *end = span_end(rest);

	out->fragment = hash ? span(hash + 1, (size_t)(end - hash - 1)) : span(end, 0);
	rest.len = (size_t)((hash ? hash : end) - rest.p);
	end = span_end(rest);
	const char *query = find(rest, '?');
	out->query = query ? span(query + 1, (size_t)(end - query - 1)) : span(end, 0);
	out->path = span(rest.p, (size_t)((query ? query : end) - rest.p));
	out->params = span(span_end(out->path), 0);
	if (uses_params(out->scheme))
		split_params(out);
}

/* netloc_valid — urlsplit's own ValueErrors: unbalanced brackets, a bad bracketed host. */
static bool netloc_valid(struct span netloc)
{
	bool open = find(netloc, '[') != NULL, close = find(netloc, ']') != NULL;

	if (open != close)
		return false;
	return !open || bracketed_netloc_valid(netloc);
}

int url_split(const char *url, size_t len, struct url_parts *out)
{
	struct span rest;
	int rc = 0;

	if (!url) { /* NULL (with len 0) is the empty URL */
		url = "";
		len = 0;
	}
	/* urlsplit lstrips C0 controls and space (WHATWG URL standard); so do we. */
	while (len > 0 && (unsigned char)*url <= 0x20)
		url++, len--;
	rest = span(url, len);
	memset(out, 0, sizeof *out);
	out->port = -1;
	/* urlsplit deletes TAB, CR and LF anywhere; a span cannot, so such a URL is refused
	 * (an HTTP request-target cannot hold them anyway). */
	if (find(rest, '\t') || find(rest, '\r') || find(rest, '\n'))
		rc = -1;

	const char *colon = scheme_end(rest);
	out->scheme = span(url, colon ? (size_t)(colon - url) : 0);
	if (colon)
		rest = span(colon + 1, (size_t)(span_end(rest) - colon - 1));

	out->netloc = span(rest.p, 0);
	if (rest.len >= 2 && rest.p[0] == '/' && rest.p[1] == '/') {
		out->netloc = split_netloc(span(rest.p + 2, rest.len - 2));
		rest = span(span_end(out->netloc),
		            (size_t)(span_end(rest) - span_end(out->netloc)));
		if (!netloc_valid(out->netloc))
			rc = -1;
	}

	split_path(out, rest);
	if (split_host(out) < 0)
		rc = -1;
	return rc;
}

/* ---- percent-encoding (RFC 3986 §2.1) ----------------------------------------------- */

/* quote_keeps — unreserved bytes (RFC 3986 §2.3) and the ASCII bytes of safe stay as they
 * are; quote() drops non-ASCII characters from safe, so we ignore bytes >= 0x80 there. */
static bool quote_keeps(unsigned char c, const char *safe)
{
	if (chars_is_alpha(c) || chars_is_digit(c) || c == '_' || c == '.' || c == '-' || c == '~')
		return true;
	return safe && c != 0 && c < 0x80 && strchr(safe, c) != NULL;
}

/* emit — appends c at out[*n] if room remains for it and the final NUL; counts it anyway. */
static void emit(char *out, size_t cap, size_t *n, char c)
{
	if (*n + 1 < cap)
		out[*n] = c;
	(*n)++;
}

size_t url_quote(const char *in, size_t len, const char *safe, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF"; /* RFC 3986 §2.1: upper case */
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (quote_keeps(c, safe)) {
			emit(out, cap, &n, (char)c);
		} else {
			emit(out, cap, &n, '%');
			emit(out, cap, &n, hex[c >> 4]);
			emit(out, cap, &n, hex[c & 15]);
		}
	}
	if (cap > 0)
		out[n < cap ? n : cap - 1] = '\0';
	return n;
}

size_t url_unquote(const char *in, size_t len, bool plus, char *out)
{
	size_t n = 0;

	/* BEGIN SOLUTION: decode in[0..len) into out, counting the bytes in n: "%XX" with two
	 * hex digits inside in[0..len) is one byte (chars_hex_value), "+" is a space when
	 * plus is true, and anything else, a malformed escape too, is copied as it stands */
	for (size_t i = 0; i < len; i++) {
		int hi = -1, lo = -1;
		if (in[i] == '%' && i + 2 < len) { /* both digits must lie inside in[0..len) */
			hi = chars_hex_value((unsigned char)in[i + 1]);
			lo = chars_hex_value((unsigned char)in[i + 2]);
		}
		if (hi >= 0 && lo >= 0) {
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (in[i] == '+' && plus) {
			/* unquote_plus: form encoding's space (HTML, not RFC 3986) */
			out[n++] = ' ';
		} else {
			out[n++] = in[i]; /* a malformed escape stays as written, as in Python */
		}
	}
	/* END SOLUTION */
	out[n] = '\0';
	return n;
}

/* ---- query strings ------------------------------------------------------------------ */

/* While parsing, a hash table from name to parameter index keeps each pair O(1), so a
 * long query with many names costs linear time. It lives only inside url_query_parse.
 *
 * The names are the client's to choose, so an unkeyed hash lets a client choose names
 * that all land in one slot: each lookup then walks them all, and the parse takes
 * quadratic time (10,000 form fields colliding in FNV-1a's low bits took 80 times as
 * long as random ones). So the hash is keyed (SipHash-1-3, Python's own string hash)
 * with a key drawn afresh for each parse: without the key a client cannot tell which
 * names collide, and the expected time is linear again whatever it sends. */
struct qbuild {
	struct url_query *q;
	enum url_query_mode mode;
	size_t cap;    /* room in q->params */
	size_t *slots; /* parameter index + 1; 0 marks an empty slot */
	size_t nslots; /* a power of two, more than twice q->nparams */
	size_t npairs;
	uint64_t key[2]; /* this parse's hash key (new_key) */
};

/* new_key — a random key from the kernel. Should getrandom fail (a sandbox that
 * forbids it), the clock and an address still keep names from being chosen ahead. */
static void new_key(uint64_t key[2])
{
	if (getrandom(key, 2 * sizeof key[0], GRND_NONBLOCK) == (ssize_t)(2 * sizeof key[0]))
		return;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	key[0] = (uint64_t)t.tv_nsec * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)t.tv_sec;
	key[1] = (uint64_t)(uintptr_t)key * UINT64_C(0xc2b2ae3d27d4eb4f) ^ key[0];
}

static uint64_t rotl(uint64_t x, int b)
{
	return x << b | x >> (64 - b);
}

/* sip_round — SipHash's mixing step over its four words of state. */
static void sip_round(uint64_t v[4])
{
	v[0] += v[1]; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32);
	v[2] += v[3]; v[3] = rotl(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = rotl(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32);
}

/* sip_word — mixes one 64-bit word of the message in (one round: SipHash-1-3). */
static void sip_word(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sip_round(v);
	v[0] ^= m;
}

/* hash_name — SipHash-1-3 of the NUL-terminated name under key: the bytes in little-
 * endian words of eight, the last word padded and topped with the length. */
static uint64_t hash_name(const uint64_t key[2], const char *s)
{
	uint64_t v[4] = {
		key[0] ^ UINT64_C(0x736f6d6570736575), key[1] ^ UINT64_C(0x646f72616e646f6d),
		key[0] ^ UINT64_C(0x6c7967656e657261), key[1] ^ UINT64_C(0x7465646279746573),
	};
	size_t len = strlen(s), i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t m = 0;
		for (int b = 0; b < 8; b++)
			m |= (uint64_t)(unsigned char)s[i + b] << (8 * b);
		sip_word(v, m);
	}
	uint64_t last = (uint64_t)len << 56;
	for (int b = 0; i + b < len; b++)
		last |= (uint64_t)(unsigned char)s[i + b] << (8 * b);
	sip_word(v, last);
	v[2] ^= 0xff;
	for (int r = 0; r < 3; r++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* find_slot — the slot holding name, or the empty slot where it belongs. */
static size_t *find_slot(const struct qbuild *b, const char *name)
{
	size_t mask = b->nslots - 1, i = (size_t)hash_name(b->key, name) & mask;

	while (b->slots[i] && strcmp(b->q->params[b->slots[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return &b->slots[i];
}

/* grow_slots — doubles the table (or creates it) and re-inserts every parameter. */
static int grow_slots(struct qbuild *b)
{
	size_t n = b->nslots ? b->nslots * 2 : 16;
	size_t *slots = calloc(n, sizeof *slots);

	if (!slots)
		return -1;
	free(b->slots);
	b->slots = slots;
	b->nslots = n;
	for (size_t i = 0; i < b->q->nparams; i++)
		*find_slot(b, b->q->params[i].name) = i + 1;
	return 0;
}

/* add_value — gives value to p. In MULTI mode values grows to the next power of two
 * whenever nvalues reaches one, so no separate capacity needs keeping. */
static int add_value(struct url_param *p, char *value, enum url_query_mode mode)
{
	if (mode == URL_QUERY_LAST_WINS && p->nvalues == 1) {
		free(p->values[0]);
		p->values[0] = value;
		return 0;
	}
	if ((p->nvalues & (p->nvalues - 1)) == 0) { /* 0, 1, 2, 4, …: full */
		size_t cap = p->nvalues ? p->nvalues * 2 : 1;
		char **v = realloc(p->values, cap * sizeof *v);
		if (!v)
			return -1;
		p->values = v;
	}
	p->values[p->nvalues++] = value;
	return 0;
}

/* add_param — appends a new parameter holding name and its first value. */
static int add_param(struct qbuild *b, size_t *slot, char *name, char *value)
{
	struct url_query *q = b->q;

	if (q->nparams == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct url_param *p = realloc(q->params, cap * sizeof *p);
		if (!p)
			return -1;
		q->params = p;
		b->cap = cap;
	}
	struct url_param *p = &q->params[q->nparams];
	p->name = name;
	p->values = NULL;
	p->nvalues = 0;
	if (add_value(p, value, b->mode) < 0)
		return -1;
	*slot = ++q->nparams;
	return 0;
}

/* decode — a fresh NUL-terminated unquote_plus of s[0..len), or NULL. */
static char *decode(const char *s, size_t len)
{
	char *out = malloc(len + 1);

	if (out)
		url_unquote(s, len, true, out);
	return out;
}

/* add_pair — records one decoded name=value. On error nothing of the pair is kept. */
static int add_pair(struct qbuild *b, const char *n, size_t nlen, const char *v, size_t vlen)
{
	char *name = decode(n, nlen), *value = decode(v, vlen);

	if (!name || !value)
		goto fail;
	if ((b->q->nparams + 1) * 2 > b->nslots && grow_slots(b) < 0)
		goto fail;
	size_t *slot = find_slot(b, name);
	if (*slot) {
		free(name);
		name = NULL;
		if (add_value(&b->q->params[*slot - 1], value, b->mode) < 0)
			goto fail;
		return 0;
	}
	if (add_param(b, slot, name, value) < 0)
		goto fail;
	return 0;
fail:
	free(name);
	free(value);
	return -1;
}

/* add_field — one '&'-separated field: parse_qsl drops an empty field, one without '=',
 * and one whose value is empty (keep_blank_values=False); the rest split at the first '='. */
static int add_field(struct qbuild *b, const char *f, size_t len)
{
	const char *eq = find(span(f, len), '=');

	if (!eq || eq + 1 == f + len)
		return 0;
	if (++b->npairs > LIMIT_QUERY_PAIRS)
		return -1;
	return add_pair(b, f, (size_t)(eq - f), eq + 1, (size_t)(f + len - eq - 1));
}

int url_query_parse(const char *q, size_t len, enum url_query_mode mode, struct url_query *out)
{
	struct qbuild b = { .q = out, .mode = mode };
	size_t start = 0;
	int rc = 0;

	new_key(b.key);

	out->params = NULL;
	out->nparams = 0;
	if (!q) { /* NULL (with len 0) is the empty query */
		q = "";
		len = 0;
	}
	/* BEGIN SOLUTION: split q[0..len) into fields at each '&' (only '&', since Python
	 * 3.10), and give each one to add_field until it fails (rc) */
	for (size_t i = 0; i <= len && rc == 0; i++) {
		if (i == len || q[i] == '&') { /* only '&' separates, since Python 3.10 */
			rc = add_field(&b, q + start, i - start);
			start = i + 1;
		}
	}
	/* END SOLUTION */
	free(b.slots);
	if (rc < 0)
		url_query_free(out);
	return rc;
}

const char *url_query_get(const struct url_query *q, const char *name)
{
	if (!q || !name)
		return NULL;
	for (size_t i = 0; i < q->nparams; i++) {
		const struct url_param *p = &q->params[i];
		if (strcmp(p->name, name) == 0 && p->nvalues > 0)
			return p->values[p->nvalues - 1];
	}
	return NULL;
}

void url_query_free(struct url_query *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->nparams; i++) {
		struct url_param *p = &q->params[i];
		for (size_t j = 0; j < p->nvalues; j++)
			free(p->values[j]);
		free(p->values);
		free(p->name);
	}
	free(q->params);
	q->params = NULL;
	q->nparams = 0;
}
