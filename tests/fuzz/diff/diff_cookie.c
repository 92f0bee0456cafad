/* diff_cookie.c — common/http/cookie.c, the student's against the reference:
 * cookie_parse of a Cookie header, and cookie_format of a Set-Cookie.
 *
 * Input layout: [A][B] rest. A bit 0 set: rest is a Cookie header, parsed into B % 8 + 1
 * pairs. Else rest is NAME \n VALUE \n PATH \n DOMAIN (each ending at its newline or a
 * NUL); A's bits 1-6 give the cookie a Path, a Domain, Expires, Max-Age, Secure and
 * HttpOnly; B % 5 is its SameSite (4: out of range), B's bit 7 a small buffer of
 * B & 0x3f bytes; Expires and Max-Age are made from B. */
#include "diff.h"

#include "cookie.h"

int REF(cookie_format)(const struct cookie *c, char *out, size_t cap, const char **why);
int REF(cookie_parse)(const char *s, size_t len, struct cookie_pair *pairs, size_t *npairs);

/* parsed — cookie_parse's result and the pairs it found. */
static void parsed(struct diff_text *t, const char *in, size_t n, size_t cap, bool ref)
{
	struct cookie_pair pairs[8];
	size_t np = cap;
	int rc = ref ? REF(cookie_parse)(in, n, pairs, &np) : cookie_parse(in, n, pairs, &np);

	diff_open(t);
	fprintf(t->f, "returns %d, %zu pair%s:", rc, np, np == 1 ? "" : "s");
	for (size_t i = 0; i < np && i < cap; i++) {
		fputc(' ', t->f);
		diff_bytes(t->f, pairs[i].name, pairs[i].name_len);
		fputc('=', t->f);
		diff_bytes(t->f, pairs[i].value, pairs[i].value_len);
	}
}

/* formatted — cookie_format's result: the header value, or why it was refused. */
static void formatted(struct diff_text *t, const struct cookie *c, size_t cap, bool ref)
{
	char out[512];
	const char *why = NULL;

	memset(out, 'x', sizeof out);
	int rc = ref ? REF(cookie_format)(c, out, cap, &why) : cookie_format(c, out, cap, &why);
	diff_open(t);
	fprintf(t->f, "returns %d", rc);
	if (rc >= 0) {
		fputs(": ", t->f);
		diff_bytes(t->f, out, strnlen(out, cap));
	} else if (rc == COOKIE_REFUSED) {
		fprintf(t->f, " (refused: %s)", why ? why : "no reason given");
	}
}

static void format_case(const uint8_t *data, size_t size)
{
	struct diff_text mine, theirs;
	uint8_t a = data[0], b = data[1];
	const uint8_t *p = data + 2;
	size_t n = size - 2;
	char *name = diff_field(&p, &n), *value = diff_field(&p, &n), *path = diff_field(&p, &n);
	char *domain = diff_field(&p, &n);
	struct cookie c = {name, value, a & 2 ? path : NULL, a & 4 ? domain : NULL,
	                   a & 8, (time_t)b * 86400 * 97, a & 16, (long)(int8_t)b * 1000,
	                   a & 32, a & 64, (enum cookie_same_site)(b % 5)};
	size_t cap = b & 0x80 ? (size_t)(b & 0x3f) : 512;
	char call[4 * 4096 + 256];
	char *qn = diff_quote(name, strlen(name)), *qv = diff_quote(value, strlen(value));
	char *qp = diff_quote(path, strlen(path)), *qd = diff_quote(domain, strlen(domain));

	snprintf(call, sizeof call, "cookie_format({name %s, value %s, path %s, domain %s, "
	         "expires %s%lld, max_age %s%ld, secure %d, http_only %d, same_site %d}, cap %zu)",
	         qn, qv, c.path ? qp : "NULL", c.domain ? qd : "NULL",
	         c.has_expires ? "" : "unset ", (long long)c.expires,
	         c.has_max_age ? "" : "unset ", c.max_age, c.secure, c.http_only,
	         (int)c.same_site, cap);
	formatted(&mine, &c, cap, false);
	formatted(&theirs, &c, cap, true);
	diff_check(call, data, size, &mine, &theirs);
	free(qn);
	free(qv);
	free(qp);
	free(qd);
	free(name);
	free(value);
	free(path);
	free(domain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff_text mine, theirs;

	if (size < 2 || size > 4096)
		return 0;
	if (!(data[0] & 1)) {
		format_case(data, size);
		return 0;
	}
	size_t cap = data[1] % 8 + 1;
	char call[4 * 4096 + 64], *q = diff_quote(data + 2, size - 2);
	snprintf(call, sizeof call, "cookie_parse(%s) into %zu pairs", q, cap);
	free(q);
	parsed(&mine, (const char *)data + 2, size - 2, cap, false);
	parsed(&theirs, (const char *)data + 2, size - 2, cap, true);
	diff_check(call, data, size, &mine, &theirs);
	return 0;
}
