/* test_cookie.c — unit tests of common/http/cookie.c: Set-Cookie as RFC 6265 §4.1 wants it
 * written, Cookie read as tolerantly as §5.4 asks. Every case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guard.h"

#include <stdio.h>
#include <string.h>

#include "cookie.h"

/* fmt — cookie_format into a static buffer; the string, or NULL when refused. */
static const char *fmt(const struct cookie *c)
{
	static char out[512];
	const char *why = NULL;
	int n = cookie_format(c, out, sizeof out, &why);

	if (n < 0) {
		assert_int_equal(n, COOKIE_REFUSED);
		assert_non_null(why);
		return NULL;
	}
	assert_int_equal((size_t)n, strlen(out));
	return out;
}

/* The article's three cookies. */
static void test_article_cookies_each_on_its_own(void **state)
{
	(void)state;
	struct cookie a = {.name = "var1", .value = "test"};
	struct cookie b = {.name = "path_specific", .value = "test2", .path = "/cookie-test/"};
	struct cookie c = {.name = "shady_cookie", .value = "test3", .domain = "shadysite.com"};

	assert_string_equal(fmt(&a), "var1=test");
	assert_string_equal(fmt(&b), "path_specific=test2; Path=/cookie-test/");
	assert_string_equal(fmt(&c), "shady_cookie=test3; Domain=shadysite.com");
}

static void test_expires_at_the_epoch_is_the_articles_instant_expire(void **state)
{
	(void)state;
	struct cookie c = {.name = "var1", .value = "test", .has_expires = true, .expires = 0};
	assert_string_equal(fmt(&c), "var1=test; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
}

static void test_every_attribute_in_order(void **state)
{
	(void)state;
	struct cookie c = {.name = "sid", .value = "abc", .path = "/", .domain = "example.com",
	                   .has_expires = true, .expires = 784111777, .has_max_age = true,
	                   .max_age = 0, .secure = true, .http_only = true,
	                   .same_site = COOKIE_SAME_SITE_STRICT};
	assert_string_equal(fmt(&c),
	                    "sid=abc; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=0; "
	                    "Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Strict");
}

static void test_samesite_none_needs_secure(void **state)
{
	(void)state;
	struct cookie c = {.name = "a", .value = "b", .same_site = COOKIE_SAME_SITE_NONE};
	assert_null(fmt(&c));
	c.secure = true;
	assert_string_equal(fmt(&c), "a=b; Secure; SameSite=None");
	c.same_site = COOKIE_SAME_SITE_LAX;
	assert_string_equal(fmt(&c), "a=b; Secure; SameSite=Lax");
}

static void test_value_with_space_or_comma_is_quoted(void **state)
{
	(void)state;
	struct cookie c = {.name = "t", .value = "hello world, again"};
	assert_string_equal(fmt(&c), "t=\"hello world, again\"");
}

static void test_value_already_quoted_is_kept(void **state)
{
	(void)state;
	struct cookie c = {.name = "t", .value = "\"abc\""};
	assert_string_equal(fmt(&c), "t=\"abc\"");
}

static void test_empty_value_is_allowed(void **state)
{
	(void)state;
	struct cookie c = {.name = "t", .value = ""};
	assert_string_equal(fmt(&c), "t=");
}

static void test_values_that_cannot_be_sent_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {"a;b", "a\"b", "a\\b", "a\r\nSet-Cookie: x=y",
	                                  "tab\there", "caf\xc3\xa9", "\"a b\"", "\x7f", "\"a"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cookie c = {.name = "t", .value = bad[i]};
		if (fmt(&c))
			fail_msg("value %zu was sent: %s", i, fmt(&c));
	}
}

static void test_names_must_be_tokens(void **state)
{
	(void)state;
	static const char *const bad[] = {"", "a b", "a=b", "a;b", "(x)", "a\"", "\x01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cookie c = {.name = bad[i], .value = "v"};
		assert_null(fmt(&c));
	}
	struct cookie ok = {.name = "a!#$%&'*+-.^_`|~9", .value = "v"};
	assert_string_equal(fmt(&ok), "a!#$%&'*+-.^_`|~9=v");
}

static void test_path_and_domain_are_checked(void **state)
{
	(void)state;
	struct cookie c = {.name = "a", .value = "b", .path = "relative"};
	assert_null(fmt(&c));
	c.path = "/x;Domain=evil.com";
	assert_null(fmt(&c));
	c.path = "/ok";
	c.domain = "evil.com; Path=/";
	assert_null(fmt(&c));
	c.domain = "";
	assert_null(fmt(&c));
	c.domain = ".Example-1.com";
	assert_string_equal(fmt(&c), "a=b; Domain=.Example-1.com; Path=/ok");
}

static void test_too_small_buffer_is_reported(void **state)
{
	(void)state;
	struct cookie c = {.name = "path_specific", .value = "test2", .path = "/cookie-test/"};
	char out[16];
	assert_int_equal(cookie_format(&c, out, sizeof out, NULL), COOKIE_TOO_SMALL);
	assert_int_equal(cookie_format(&c, out, 0, NULL), COOKIE_TOO_SMALL);
	char exact[40]; /* 39 bytes + NUL */
	assert_int_equal(cookie_format(&c, exact, sizeof exact, NULL), 39);
}

/* ---- parsing ------------------------------------------------------------------------ */

struct parsed {
	struct cookie_pair pairs[8];
	size_t n;
	int rc;
	char text[8][2][64];
};

/* parse_into — cookie_parse of a guarded copy of s with capacity cap; the pairs copied
 * out into *out (their pointers point into out->text). */
static void parse_into(struct parsed *out, const char *s, size_t cap)
{
	struct parsed p;
	size_t len = strlen(s);
	struct guarded g = guard(s, len);

	memset(&p, 0, sizeof p);
	p.n = cap;
	p.rc = cookie_parse(g.s, len, p.pairs, &p.n);
	assert_true(p.n <= cap);
	for (size_t i = 0; i < p.n; i++) {
		snprintf(p.text[i][0], 64, "%.*s", (int)p.pairs[i].name_len, p.pairs[i].name);
		snprintf(p.text[i][1], 64, "%.*s", (int)p.pairs[i].value_len, p.pairs[i].value);
		p.pairs[i].name = p.text[i][0];
		p.pairs[i].value = p.text[i][1];
	}
	unguard(&g);
	*out = p;
	for (size_t i = 0; i < out->n; i++) {
		out->pairs[i].name = out->text[i][0];
		out->pairs[i].value = out->text[i][1];
	}
}

#define parse(s, cap) (parse_into(&parsed_, (s), (cap)), parsed_)
static struct parsed parsed_;

static void test_parse_what_requests_sends_back(void **state)
{
	(void)state;
	struct parsed p = parse("path_specific=test2; var1=test", 8);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.text[0][0], "path_specific");
	assert_string_equal(p.text[0][1], "test2");
	assert_string_equal(p.text[1][0], "var1");
	assert_string_equal(p.text[1][1], "test");
}

static void test_parse_skips_and_counts_junk(void **state)
{
	(void)state;
	struct parsed p = parse(";; junk; =nameless; bad name=1;ok = v ;e=", 8);
	assert_int_equal(p.rc, 3);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.text[0][0], "ok");
	assert_string_equal(p.text[0][1], "v");
	assert_string_equal(p.text[1][0], "e");
	assert_string_equal(p.text[1][1], "");
}

static void test_parse_unquotes_values(void **state)
{
	(void)state;
	struct parsed p = parse("a=\"x y\"; b=\"; c=\"\"", 8);
	/* b's value is one quote: not a quoted string, kept as it is. */
	assert_int_equal(p.n, 3);
	assert_string_equal(p.text[0][1], "x y");
	assert_string_equal(p.text[1][1], "\"");
	assert_string_equal(p.text[2][1], "");
}

static void test_parse_value_keeps_later_equals(void **state)
{
	(void)state;
	struct parsed p = parse("tok=a=b==", 8);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.text[0][1], "a=b==");
}

static void test_parse_empty_and_blank_inputs(void **state)
{
	(void)state;
	struct parsed p = parse("", 8);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.n, 0);
	p = parse(" ; \t;", 8);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.n, 0);
	p = parse("novalue", 8);
	assert_int_equal(p.rc, 1);
	assert_int_equal(p.n, 0);
}

static void test_parse_over_capacity_keeps_the_first(void **state)
{
	(void)state;
	struct parsed p = parse("a=1; b=2; c=3", 2);
	assert_int_equal(p.rc, COOKIE_TOO_SMALL);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.text[1][0], "b");
	p = parse("a=1", 0);
	assert_int_equal(p.rc, COOKIE_TOO_SMALL);
	assert_int_equal(p.n, 0);
}

static void test_parse_reads_only_len_bytes(void **state)
{
	(void)state;
	/* A piece cut by len at every point: the guard faults on any overread. */
	const char *s = "name=\"value\"; x=y";
	for (size_t len = 0; len <= strlen(s); len++) {
		struct guarded g = guard(s, len);
		struct cookie_pair pairs[4];
		size_t n = 4;
		(void)cookie_parse(g.s, len, pairs, &n);
		for (size_t i = 0; i < n; i++)
			assert_true(pairs[i].value + pairs[i].value_len <= g.s + len);
		unguard(&g);
	}
}

static void test_find_is_exact_and_takes_the_first(void **state)
{
	(void)state;
	struct parsed p;
	parse_into(&p, "Var1=upper; var1=first; var1=second", 8);
	const struct cookie_pair *c = cookie_find(p.pairs, p.n, "var1");
	assert_non_null(c);
	assert_string_equal(c->value, "first");
	assert_null(cookie_find(p.pairs, p.n, "VAR1"));
	assert_null(cookie_find(p.pairs, p.n, "var"));
	assert_null(cookie_find(NULL, 0, "var1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_article_cookies_each_on_its_own),
		cmocka_unit_test(test_expires_at_the_epoch_is_the_articles_instant_expire),
		cmocka_unit_test(test_every_attribute_in_order),
		cmocka_unit_test(test_samesite_none_needs_secure),
		cmocka_unit_test(test_value_with_space_or_comma_is_quoted),
		cmocka_unit_test(test_value_already_quoted_is_kept),
		cmocka_unit_test(test_empty_value_is_allowed),
		cmocka_unit_test(test_values_that_cannot_be_sent_are_refused),
		cmocka_unit_test(test_names_must_be_tokens),
		cmocka_unit_test(test_path_and_domain_are_checked),
		cmocka_unit_test(test_too_small_buffer_is_reported),
		cmocka_unit_test(test_parse_what_requests_sends_back),
		cmocka_unit_test(test_parse_skips_and_counts_junk),
		cmocka_unit_test(test_parse_unquotes_values),
		cmocka_unit_test(test_parse_value_keeps_later_equals),
		cmocka_unit_test(test_parse_empty_and_blank_inputs),
		cmocka_unit_test(test_parse_over_capacity_keeps_the_first),
		cmocka_unit_test(test_parse_reads_only_len_bytes),
		cmocka_unit_test(test_find_is_exact_and_takes_the_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
