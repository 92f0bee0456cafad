/* fuzz_cookie.c — common/http/cookie.c and common/http/html.c on arbitrary bytes: the Cookie
 * header a client sends, the Set-Cookie a server writes, and HTML escaping (lesson
 * 06 puts a cookie's value into a page title).
 *
 * Input layout: [C] [T0 T1 T2 T3 T4 T5 T6 T7] payload
 *   C  bits 0-5: the pair capacity given to cookie_parse (0..63); bits 6-7 with T0:
 *      Secure, HttpOnly, the SameSite value (0..7: 4-7 are invalid on purpose)
 *   T  eight bytes: Expires (a time_t) and, shifted, Max-Age
 *   payload: the Cookie header value for cookie_parse; split at NUL bytes it also
 *      gives the name, value, Path and Domain of a cookie for cookie_format, and it is
 *      the text for html_escape.
 *
 * Properties (each a CHECK that aborts):
 *   - cookie_parse: pairs point inside the input, names are non-empty tokens, values
 *     have no surrounding whitespace; the count never passes the capacity and -1 is
 *     returned exactly when pairs were left out; a smaller capacity gives a prefix of
 *     what a larger one gives;
 *   - a parsed pair written back with cookie_format (when it can be sent) parses to
 *     the same name and value: what the server means is what the client reads back;
 *   - cookie_format of anything either refuses with a reason, or says the buffer is
 *     too small, or writes exactly the length it returns with no CTL, no byte over
 *     0x7E and no line break (no header injection through Set-Cookie), starting with
 *     name '=' and parsing back to the name it was given;
 *   - html_escape: no '<', '>', '"' or '\'' is left, every '&' starts one of the five
 *     entities, unescaping gives the input back, and a cut result is a prefix of the
 *     whole one that does not end inside an entity. */
#include "fuzz.h"

#include <stdbool.h>

#include "cookie.h"
#include "html.h"
#include "chars.h"

#define MAX_PAIRS 64

static size_t parse(const char *s, size_t len, size_t cap, struct cookie_pair *pairs, int *rc)
{
	size_t n = cap;
	*rc = cookie_parse(s, len, pairs, &n);
	CHECK(n <= cap, "%zu pairs in a capacity of %zu", n, cap);
	CHECK(*rc >= 0 || *rc == COOKIE_TOO_SMALL, "cookie_parse returned %d", *rc);
	for (size_t i = 0; i < n; i++) {
		const struct cookie_pair *p = &pairs[i];
		CHECK(p->name >= s && p->name + p->name_len <= s + len && p->value >= s &&
		      p->value + p->value_len <= s + len, "pair %zu points outside the input", i);
		CHECK(p->name_len > 0, "empty name");
		for (size_t k = 0; k < p->name_len; k++)
			CHECK(chars_is_tchar((unsigned char)p->name[k]), "name byte 0x%02x",
			      (unsigned char)p->name[k]);
		CHECK(p->value_len == 0 || (p->value[0] != ' ' && p->value[0] != '\t' &&
		                            p->value[p->value_len - 1] != ' ' &&
		                            p->value[p->value_len - 1] != '\t') ||
		      (p->value > s && p->value[-1] == '"'), "value not trimmed");
	}
	return n;
}

static void check_parse(const char *s, size_t len, size_t cap)
{
	struct cookie_pair all[MAX_PAIRS], some[MAX_PAIRS];
	int rc_all, rc_some;
	size_t n_all = parse(s, len, MAX_PAIRS, all, &rc_all);
	size_t n_some = parse(s, len, cap, some, &rc_some);

	if (rc_all >= 0) { /* every pair fitted in MAX_PAIRS */
		CHECK((rc_some == COOKIE_TOO_SMALL) == (n_all > cap), "COOKIE_TOO_SMALL is "
		      "returned when and only when pairs were left out (%zu pairs, capacity %zu, "
		      "rc %d)", n_all, cap, rc_some);
		CHECK(n_some == (n_all < cap ? n_all : cap), "%zu pairs kept of %zu", n_some,
		      n_all);
	}
	for (size_t i = 0; i < n_some && i < n_all; i++)
		CHECK(some[i].name == all[i].name && some[i].value == all[i].value &&
		      some[i].name_len == all[i].name_len && some[i].value_len == all[i].value_len,
		      "pair %zu depends on the capacity", i);

	/* Written back, each pair reads the same. */
	for (size_t i = 0; i < n_all; i++) {
		char *name = fuzz_cstr(all[i].name, all[i].name_len);
		char *value = fuzz_cstr(all[i].value, all[i].value_len);
		struct cookie c = {.name = name, .value = value};
		char out[2 * 8192];
		int w = cookie_format(&c, out, sizeof out, NULL);
		if (w >= 0 && strlen(value) == all[i].value_len) {
			struct cookie_pair back[2];
			size_t nb = 2;
			cookie_parse(out, (size_t)w, back, &nb);
			/* A value sent in quotes comes back without them. */
			size_t vl = strlen(value);
			const char *want = value;
			if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
				want = value + 1;
				vl -= 2;
			}
			CHECK(nb == 1 && back[0].name_len == strlen(name) &&
			      memcmp(back[0].name, name, back[0].name_len) == 0 &&
			      back[0].value_len == vl && memcmp(back[0].value, want, vl) == 0,
			      "'%s' does not read back as %s=%s", out, name, value);
		}
		free(name);
		free(value);
	}
}

/* next_field — the next NUL-separated piece of the payload, as a C string. */
static const char *next_field(const char **p, const char *end)
{
	const char *s = *p;
	const char *nul = memchr(s, '\0', (size_t)(end - s));
	*p = nul ? nul + 1 : end;
	return s;
}

static void check_format(const uint8_t *ctl, const char *s, size_t len)
{
	/* s is a NUL-terminated copy, so every field below ends in a NUL. */
	const char *p = s, *end = s + len;
	const char *name = next_field(&p, end), *value = next_field(&p, end);
	const char *path = p < end ? next_field(&p, end) : NULL;
	const char *domain = p < end ? next_field(&p, end) : NULL;
	int64_t t;
	memcpy(&t, ctl + 1, sizeof t);
	struct cookie c = {
		.name = name, .value = value, .path = path, .domain = domain,
		.has_expires = ctl[0] & 0x40, .expires = (time_t)t,
		.has_max_age = ctl[0] & 0x80, .max_age = (long)(t >> 7),
		.secure = ctl[1] & 1, .http_only = ctl[1] & 2,
		.same_site = (enum cookie_same_site)((ctl[1] >> 2) & 7),
	};
	size_t cap = (size_t)ctl[2] * 4; /* 0..1020: too small is reached too */
	char *out = fuzz_alloc(cap);
	const char *why = NULL;
	int w = cookie_format(&c, out, cap, &why);

	if (w == COOKIE_REFUSED) {
		CHECK(why && *why, "refused without a reason");
	} else if (w == COOKIE_TOO_SMALL) {
		CHECK(cap == 0 || out[0] == '\0', "a too-small buffer holds text");
	} else {
		CHECK(w >= 0 && (size_t)w < cap && strlen(out) == (size_t)w,
		      "wrote %d bytes in a buffer of %zu", w, cap);
		for (int i = 0; i < w; i++)
			CHECK((unsigned char)out[i] >= 0x20 && (unsigned char)out[i] < 0x7f,
			      "Set-Cookie holds byte 0x%02x", (unsigned char)out[i]);
		size_t nl = strlen(name);
		CHECK(strncmp(out, name, nl) == 0 && out[nl] == '=', "'%s' does not start with %s=",
		      out, name);
	}
	free(out);
}

static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#x27;"};
static const char entity_chars[] = "&<>\"'";

static void check_escape(const char *in, size_t len, size_t cut)
{
	size_t need = html_escape(in, len, NULL, 0);
	char *out = fuzz_alloc(need + 1);
	CHECK(html_escape(in, len, out, need + 1) == need && out[need] == '\0',
	      "the length depends on the buffer");
	/* Unescape: every '&' starts an entity; nothing else needs escaping. */
	char *back = fuzz_alloc(len + 1);
	size_t b = 0;
	for (size_t i = 0; i < need;) {
		CHECK(!strchr("<>\"'", out[i]) || out[i] == '\0', "'%c' left unescaped", out[i]);
		if (out[i] != '&') {
			CHECK(b < len, "escaped text is longer than its input");
			back[b++] = out[i++];
			continue;
		}
		size_t k = 0;
		while (k < 5 && strncmp(out + i, entities[k], strlen(entities[k])) != 0)
			k++;
		CHECK(k < 5, "'&' that starts no entity");
		CHECK(b < len, "escaped text is longer than its input");
		back[b++] = entity_chars[k];
		i += strlen(entities[k]);
	}
	CHECK(b == len && memcmp(back, in, len) == 0, "unescaping does not give the input back");
	if (cut > 0) {
		char *part = fuzz_alloc(cut);
		CHECK(html_escape(in, len, part, cut) == need,
		      "a cut result returns another length");
		size_t got = strlen(part);
		CHECK(got < cut && memcmp(part, out, got) == 0, "a cut result is not a prefix");
		/* It ends at a boundary: the whole text continues with a new piece there. */
		const char *amp = memrchr(part, '&', got);
		if (amp)
			CHECK(memchr(amp, ';', got - (size_t)(amp - part)) != NULL,
			      "a cut result ends inside an entity");
		free(part);
	}
	free(back);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t ctl[11] = {0};
	size_t head = size < sizeof ctl ? size : sizeof ctl;

	memcpy(ctl, data, head);
	const char *payload = (const char *)data + head;
	size_t len = size - head;

	char *exact = fuzz_copy(payload, len);
	check_parse(exact, len, ctl[0] & 63);
	free(exact);

	char *cstr = fuzz_cstr(payload, len);
	check_format(ctl + 1, cstr, len);
	check_escape(cstr, len, ctl[10]);
	free(cstr);
	return 0;
}
