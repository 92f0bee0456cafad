/* fuzz_url.c — common/http/url.c on arbitrary bytes: url_split, url_unquote (plain and
 * plus), url_quote and its round trip through url_unquote, and url_query_parse in both
 * modes.
 *
 * Input layout: [C] payload. C bits 0-2 pick the safe set given to url_quote; bits 3-7
 * a cap for a truncated url_quote (0: none).
 *
 * Properties (each a CHECK that aborts):
 *   - url_split: every span lies inside the input (after the leading C0 controls and
 *     spaces it skips), the six urlparse parts follow one another in order, and the
 *     port is -1 or 0..65535; -1 is returned whenever the input holds TAB, CR or LF;
 *   - url_unquote: the result is no longer than the input, is NUL-terminated, and is
 *     the same decoded in place as into another buffer; with plus, it equals the plain
 *     decode with '+' (outside escapes) made a space;
 *   - url_quote: the length is the same whatever the cap, a capped result is a prefix
 *     of the whole one, the whole one holds only unreserved bytes, '%' and the safe
 *     set, and url_unquote of it gives back the input exactly;
 *   - url_query_parse: every parameter has a name and at least one value (exactly one
 *     in LAST_WINS mode), names are distinct, both modes list the same names in the
 *     same order, LAST_WINS keeps MULTI's last value, url_query_get finds it; and
 *     url_query_free leaves the query empty and may be called twice. */
#include "fuzz.h"

#include <stdbool.h>

#include "url.h"

static const char *const safe_sets[8] = {NULL, "", "/", "/:@", "/?=&", "!$'()*,;", ":/?#[]@", "+"};

static void check_span(struct span s, const char *lo, const char *hi, bool may_be_null,
                       const char *what)
{
	if (!s.p) {
		CHECK(may_be_null && s.len == 0, "%s is NULL", what);
		return;
	}
	CHECK(s.p >= lo && s.p + s.len <= hi, "%s lies outside the input", what);
}

static void fuzz_split(const uint8_t *p, size_t n)
{
	char *url = fuzz_copy(p, n);
	const char *end = url + n, *start = url;
	struct url_parts parts;
	int rc = url_split(url, n, &parts);

	while (start < end && (unsigned char)*start <= 0x20)
		start++;
	CHECK(rc == 0 || rc == -1, "url_split returned %d", rc);
	if (memchr(start, '\t', (size_t)(end - start)) ||
	    memchr(start, '\r', (size_t)(end - start)) ||
	    memchr(start, '\n', (size_t)(end - start)))
		CHECK(rc == -1, "a URL with TAB, CR or LF was accepted");
	check_span(parts.scheme, start, end, false, "scheme");
	check_span(parts.netloc, start, end, false, "netloc");
	check_span(parts.path, start, end, false, "path");
	check_span(parts.params, start, end, false, "params");
	check_span(parts.query, start, end, false, "query");
	check_span(parts.fragment, start, end, false, "fragment");
	check_span(parts.username, parts.netloc.p, parts.netloc.p + parts.netloc.len, true,
	           "username");
	check_span(parts.password, parts.netloc.p, parts.netloc.p + parts.netloc.len, true,
	           "password");
	check_span(parts.hostname, parts.netloc.p, parts.netloc.p + parts.netloc.len, true,
	           "hostname");
	CHECK(parts.scheme.p == start, "the scheme does not start the URL");
	CHECK(parts.netloc.p >= parts.scheme.p + parts.scheme.len &&
	      parts.path.p >= parts.netloc.p + parts.netloc.len &&
	      parts.query.p >= parts.path.p + parts.path.len &&
	      parts.fragment.p >= parts.query.p + parts.query.len, "the parts are out of order");
	CHECK(parts.port >= -1 && parts.port <= 65535, "port %d", parts.port);
	free(url);
}

static void fuzz_unquote(const uint8_t *p, size_t n)
{
	char *in = fuzz_copy(p, n);
	char *plain = fuzz_alloc(n + 1), *plus = fuzz_alloc(n + 1);
	char *inplace = fuzz_alloc(n + 1);

	size_t a = url_unquote(in, n, false, plain);
	size_t b = url_unquote(in, n, true, plus);
	CHECK(a <= n && b == a, "decoded lengths %zu, %zu of %zu bytes", a, b, n);
	CHECK(plain[a] == '\0' && plus[b] == '\0', "not NUL-terminated");
	for (size_t i = 0; i < a; i++)
		CHECK(plus[i] == plain[i] || (plain[i] == '+' && plus[i] == ' '),
		      "plus decoding differs at %zu beyond '+'", i);
	/* The same decode in place. */
	memcpy(inplace, in, n);
	size_t c = url_unquote(inplace, n, true, inplace);
	CHECK(c == b && memcmp(inplace, plus, c + 1) == 0, "decoding in place differs");
	free(in);
	free(plain);
	free(plus);
	free(inplace);
}

static bool quote_may_keep(unsigned char c, const char *safe)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    strchr("_.-~%", c))
		return c != 0;
	return safe && c != 0 && strchr(safe, c) != NULL;
}

static void fuzz_quote(const uint8_t *p, size_t n, uint8_t ctl)
{
	const char *safe = safe_sets[ctl & 7];
	char *in = fuzz_copy(p, n);
	size_t need = url_quote(in, n, safe, NULL, 0);
	char *out = fuzz_alloc(need + 1);

	CHECK(need >= n && need <= 3 * n, "quoted length %zu for %zu bytes", need, n);
	CHECK(url_quote(in, n, safe, out, need + 1) == need, "length depends on the buffer");
	CHECK(out[need] == '\0' && strlen(out) == need, "quoted text is not one string of %zu",
	      need);
	for (size_t i = 0; i < need; i++)
		CHECK(quote_may_keep((unsigned char)out[i], safe), "quote left byte 0x%02x",
		      (unsigned char)out[i]);
	size_t cap = ctl >> 3;
	if (cap > 0) {
		char *cut = fuzz_alloc(cap);
		CHECK(url_quote(in, n, safe, cut, cap) == need,
		      "a capped quote returns another length");
		size_t got = strlen(cut);
		CHECK(got < cap && got <= need && memcmp(cut, out, got) == 0,
		      "a capped quote is not a prefix of the whole one");
		free(cut);
	}
	/* Round trip: '%' itself is quoted, so unquote undoes exactly what quote did. */
	char *back = fuzz_alloc(need + 1);
	size_t m = url_unquote(out, need, false, back);
	CHECK(m == n && memcmp(back, in, n) == 0, "unquote(quote(x)) != x");
	free(back);
	free(out);
	free(in);
}

static void check_query(const struct url_query *q, enum url_query_mode mode)
{
	CHECK(q->nparams <= LIMIT_QUERY_PAIRS, "%zu parameters", q->nparams);
	for (size_t i = 0; i < q->nparams; i++) {
		const struct url_param *pa = &q->params[i];
		CHECK(pa->name && pa->values && pa->nvalues >= 1, "parameter %zu is empty", i);
		if (mode == URL_QUERY_LAST_WINS)
			CHECK(pa->nvalues == 1, "LAST_WINS kept %zu values", pa->nvalues);
		for (size_t j = 0; j < pa->nvalues; j++)
			CHECK(pa->values[j] != NULL, "value %zu of %zu is NULL", j, i);
	}
	if (q->nparams > 64) /* the checks below are quadratic */
		return;
	for (size_t i = 0; i < q->nparams; i++) {
		const struct url_param *pa = &q->params[i];
		for (size_t j = i + 1; j < q->nparams; j++)
			CHECK(strcmp(pa->name, q->params[j].name) != 0, "name '%s' listed twice",
			      pa->name);
		CHECK(url_query_get(q, pa->name) == pa->values[pa->nvalues - 1],
		      "url_query_get of '%s' is not its last value", pa->name);
	}
}

static void fuzz_query(const uint8_t *p, size_t n)
{
	char *in = fuzz_copy(p, n);
	struct url_query multi, last;
	int a = url_query_parse(in, n, URL_QUERY_MULTI, &multi);
	int b = url_query_parse(in, n, URL_QUERY_LAST_WINS, &last);

	CHECK(a == b && (a == 0 || a == -1), "modes disagree: %d, %d", a, b);
	if (a < 0)
		CHECK(multi.nparams == 0 && last.nparams == 0 && !multi.params && !last.params,
		      "a failed parse left parameters");
	check_query(&multi, URL_QUERY_MULTI);
	check_query(&last, URL_QUERY_LAST_WINS);
	CHECK(multi.nparams == last.nparams, "MULTI has %zu names, LAST_WINS %zu", multi.nparams,
	      last.nparams);
	for (size_t i = 0; i < multi.nparams; i++) {
		const struct url_param *m = &multi.params[i], *l = &last.params[i];
		CHECK(strcmp(m->name, l->name) == 0, "name %zu differs between modes", i);
		CHECK(strcmp(m->values[m->nvalues - 1], l->values[0]) == 0,
		      "LAST_WINS does not keep the last value of '%s'", m->name);
	}
	url_query_free(&multi);
	url_query_free(&last);
	CHECK(multi.nparams == 0 && !multi.params, "url_query_free left parameters");
	url_query_free(&multi); /* safe twice */
	url_query_free(&last);
	free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t ctl = fuzz_take(&in);

	fuzz_split(in.p, in.n);
	fuzz_unquote(in.p, in.n);
	fuzz_quote(in.p, in.n, ctl);
	fuzz_query(in.p, in.n);
	return 0;
}
