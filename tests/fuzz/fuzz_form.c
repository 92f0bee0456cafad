/* fuzz_form.c — common/lesson/form.c on arbitrary bytes: a Content-Type's media type,
 * a urlencoded form and a JSON body printed as Python prints them, and float repr.
 *
 * Input layout: [K] payload
 *   K  bit 0: the form mode (0 parse_qs, 1 dict(parse_qsl)); bit 1: the payload is
 *      also read as JSON; bit 2: its first eight bytes are also a double for
 *      form_float_repr
 *   payload: a Content-Type value (up to its first NUL), and a form body / JSON text
 *      (all of it).
 *
 * Properties (each a CHECK that aborts):
 *   - form_media_type_is ignores case and parameters: the value upper-cased, or with
 *     ";charset=utf-8" added, gives the same answer;
 *   - form_print_query and form_print_json print valid UTF-8 with no C0 control byte
 *     (Python's repr escapes them), a dict in braces ("{}" for no pairs);
 *   - form_float_repr fits in 32 bytes and reads back (strtod) as the same double, or
 *     is Python's nan / inf / -inf. */
#include "fuzz.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>

#include "form.h"

/* utf8_len — the length of the UTF-8 character at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
	           : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* check_printed — what a print function wrote: valid UTF-8, no C0 controls. */
static void check_printed(const char *what, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len((const unsigned char *)s + i, n - i);
		CHECK(len > 0, "%s: invalid UTF-8 at %zu", what, i);
		CHECK((unsigned char)s[i] >= 0x20, "%s: control byte 0x%02x", what,
		      (unsigned char)s[i]);
		i += len;
	}
}

static void check_media_type(const char *ct)
{
	static const char *const types[] = {"application/json",
	                                    "application/x-www-form-urlencoded"};
	size_t n = strlen(ct);
	char *upper = fuzz_cstr(ct, n), *with = fuzz_alloc(n + 16);

	for (size_t i = 0; i < n; i++)
		upper[i] = (char)toupper((unsigned char)upper[i]);
	snprintf(with, n + 16, "%s;charset=utf-8", ct);
	for (size_t t = 0; t < 2; t++) {
		bool is = form_media_type_is(ct, types[t]);
		CHECK(form_media_type_is(upper, types[t]) == is, "case changed the answer");
		CHECK(form_media_type_is(with, types[t]) == is, "a parameter changed the answer");
	}
	free(upper);
	free(with);
}

static void check_query(const char *body, size_t len, enum url_query_mode mode)
{
	struct url_query q;
	char *out = NULL;
	size_t out_len = 0;

	if (url_query_parse(body, len, mode, &q) != 0)
		return;
	FILE *f = open_memstream(&out, &out_len);
	CHECK(f != NULL, "open_memstream");
	form_print_query(f, &q, mode);
	fclose(f);
	check_printed("form_print_query", out, out_len);
	CHECK(out_len >= 2 && out[0] == '{' && out[out_len - 1] == '}', "not a dict");
	CHECK(q.nparams > 0 || out_len == 2, "no pairs, yet %zu bytes", out_len);
	free(out);
	url_query_free(&q);
}

static void check_json(const char *body, size_t len)
{
	json_t *v = json_loadb(body, len, JSON_DECODE_ANY, NULL);
	char *out = NULL;
	size_t out_len = 0;

	if (!v)
		return;
	FILE *f = open_memstream(&out, &out_len);
	CHECK(f != NULL, "open_memstream");
	form_print_json(f, v);
	fclose(f);
	check_printed("form_print_json", out, out_len);
	CHECK(out_len > 0, "nothing printed");
	free(out);
	json_decref(v);
}

static void check_float(double d)
{
	char out[32];

	form_float_repr(d, out, sizeof out);
	CHECK(strlen(out) < sizeof out, "too long");
	if (isnan(d)) {
		CHECK(strcmp(out, "nan") == 0, "%s for a NaN", out);
	} else if (isinf(d)) {
		CHECK(strcmp(out, d > 0 ? "inf" : "-inf") == 0, "%s for an infinity", out);
	} else {
		double back = strtod(out, NULL);
		CHECK(back == d && signbit(back) == signbit(d), "%s reads back as %.17g, not %.17g",
		      out, back, d);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t k = fuzz_take(&in);
	char *body = fuzz_copy(in.p, in.n);
	char *ct = fuzz_cstr(in.p, in.n);

	check_media_type(ct);
	check_query(body, in.n, k & 1 ? URL_QUERY_LAST_WINS : URL_QUERY_MULTI);
	if (k & 2)
		check_json(body, in.n);
	if ((k & 4) && in.n >= sizeof(double)) {
		double d;
		memcpy(&d, in.p, sizeof d);
		check_float(d);
	}
	free(ct);
	free(body);
	return 0;
}
