/* test_url.c — unit tests of common/http/url.c against what Python 3.11's urllib.parse gives
 * for the same input. Every case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "url.h"
#include "../bench/fnv_collide.h"

/* The article's lesson-07 query string. */
#define ARTICLE_QUERY "test1=foo&test2=bar&test3=hello%20world&test2=baz&test2=nothing"

/* ---- helpers ---------------------------------------------------------------------- */

/* assert_span — the span holds exactly want (NULL: the span is absent, like None). */
#define assert_span(span, want) check_span((span), (want), #span, __FILE__, __LINE__)

static void check_span(struct span s, const char *want, const char *what, const char *file,
                       int line)
{
	if (!want) {
		if (s.p)
			fail_msg("%s:%d: %s is \"%.*s\", expected None", file, line, what,
			         (int)s.len, s.p);
		return;
	}
	if (!s.p)
		fail_msg("%s:%d: %s is None, expected \"%s\"", file, line, what, want);
	if (s.len != strlen(want) || memcmp(s.p, want, s.len) != 0)
		fail_msg("%s:%d: %s is \"%.*s\", expected \"%s\"", file, line, what, (int)s.len,
		         s.p, want);
}

/* split — url_split of the NUL-terminated url, placed before an unmapped page. The spans
 * point into that page, so they are checked inside the callback, before it goes. */
static int split(const char *url, struct url_parts *out)
{
	static char copy[4096]; /* a stable copy the spans can point into afterwards */
	size_t len = strlen(url);
	struct guarded g = guard(url, len);
	int rc = url_split(g.s, len, out);
	struct span *spans[] = { &out->scheme,   &out->netloc,   &out->path,
		                     &out->params,   &out->query,    &out->fragment,
		                     &out->username, &out->password, &out->hostname };

	assert_true(len < sizeof copy);
	memcpy(copy, g.s, len);
	for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++)
		if (spans[i]->p)
			spans[i]->p = copy + (spans[i]->p - g.s);
	unguard(&g);
	return rc;
}

/* quote — url_quote into a fresh string the caller frees, checking the length returned. */
static char *quote(const char *in, size_t len, const char *safe)
{
	size_t need = url_quote(in, len, safe, NULL, 0);
	char *out = malloc(need + 1);
	assert_non_null(out);
	assert_int_equal(url_quote(in, len, safe, out, need + 1), need);
	assert_int_equal(strlen(out), need);
	return out;
}

/* unquote — url_unquote of a guarded copy of s into out (len + 1 bytes); the length. */
static size_t unquote(const char *s, bool plus, char *out)
{
	size_t len = strlen(s);
	struct guarded g = guard(s, len);
	size_t n = url_unquote(g.s, len, plus, out);
	unguard(&g);
	assert_true(n <= len);
	assert_int_equal(out[n], '\0');
	return n;
}

/* parse_query — url_query_parse of a guarded copy of the NUL-terminated q. */
static int parse_query(const char *q, enum url_query_mode mode, struct url_query *out)
{
	size_t len = strlen(q);
	struct guarded g = guard(q, len);
	int rc = url_query_parse(g.s, len, mode, out);
	unguard(&g);
	return rc;
}

/* assert_param — params[i] is name with exactly the n values given. */
static void assert_param(const struct url_query *q, size_t i, const char *name, size_t n, ...)
{
	va_list ap;

	assert_true(i < q->nparams);
	assert_string_equal(q->params[i].name, name);
	assert_int_equal(q->params[i].nvalues, n);
	va_start(ap, n);
	for (size_t j = 0; j < n; j++)
		assert_string_equal(q->params[i].values[j], va_arg(ap, const char *));
	va_end(ap);
}

/* ---- url_split: the article's examples --------------------------------------------- */

static void test_split_article_rfc1738_example(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("https://datatracker.ietf.org/doc/html/rfc1738#section-3", &u), 0);
	assert_span(u.scheme, "https");
	assert_span(u.netloc, "datatracker.ietf.org");
	assert_span(u.path, "/doc/html/rfc1738");
	assert_span(u.params, "");
	assert_span(u.query, "");
	assert_span(u.fragment, "section-3");
	assert_span(u.hostname, "datatracker.ietf.org");
	assert_span(u.username, NULL);
	assert_span(u.password, NULL);
	assert_int_equal(u.port, -1);
}

static void test_split_article_userinfo_and_port(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("https://user:password@domain.com:7777/", &u), 0);
	assert_span(u.scheme, "https");
	assert_span(u.netloc, "user:password@domain.com:7777");
	assert_span(u.path, "/");
	assert_span(u.hostname, "domain.com");
	assert_span(u.username, "user");
	assert_span(u.password, "password");
	assert_int_equal(u.port, 7777);
}

static void test_split_article_query_test_url(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://website/query-test/?test1=test2&test3=test4", &u), 0);
	assert_span(u.netloc, "website");
	assert_span(u.path, "/query-test/");
	assert_span(u.query, "test1=test2&test3=test4");
	assert_span(u.fragment, "");
}

static void test_split_origin_form_request_target(void **state)
{
	(void)state;
	struct url_parts u;
	/* what a server's handler splits: self.path of the article */
	assert_int_equal(split("/query_test?" ARTICLE_QUERY, &u), 0);
	assert_span(u.scheme, "");
	assert_span(u.netloc, "");
	assert_span(u.path, "/query_test");
	assert_span(u.query, ARTICLE_QUERY);
	assert_span(u.hostname, NULL);
	assert_int_equal(u.port, -1);
}

/* ---- url_split: the pieces ----------------------------------------------------------- */

static void test_split_fragment_is_cut_before_query(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://h/p#f?q", &u), 0);
	assert_span(u.path, "/p");
	assert_span(u.query, "");
	assert_span(u.fragment, "f?q");
}

static void test_split_params_in_last_segment(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://h/a;x/b;y;z?q=1", &u), 0);
	assert_span(u.path, "/a;x/b");
	assert_span(u.params, "y;z");
	assert_span(u.query, "q=1");
}

static void test_split_params_only_for_schemes_that_use_them(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("mailto:a;b", &u), 0); /* mailto is not in uses_params */
	assert_span(u.scheme, "mailto");
	assert_span(u.path, "a;b");
	assert_span(u.params, "");
	assert_int_equal(split("HTTP://h/p;x", &u), 0); /* the lower-cased scheme is compared */
	assert_span(u.scheme, "HTTP");
	assert_span(u.path, "/p");
	assert_span(u.params, "x");
}

static void test_split_scheme_needs_letter_then_scheme_chars(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("1http://x/", &u), 0);
	assert_span(u.scheme, "");
	assert_span(u.netloc, "");
	assert_span(u.path, "1http://x/");
	assert_int_equal(split("a_b:c", &u), 0);
	assert_span(u.scheme, "");
	assert_span(u.path, "a_b:c");
	assert_int_equal(split("svn+ssh.v-2://h/", &u), 0);
	assert_span(u.scheme, "svn+ssh.v-2");
	assert_span(u.netloc, "h");
	assert_int_equal(split(":80", &u), 0); /* a colon first is no scheme */
	assert_span(u.scheme, "");
	assert_span(u.path, ":80");
}

static void test_split_host_and_port_without_slashes_is_a_scheme(void **state)
{
	(void)state;
	struct url_parts u;
	/* Python 3.11 reads "localhost:8080" as scheme "localhost", path "8080". */
	assert_int_equal(split("localhost:8080", &u), 0);
	assert_span(u.scheme, "localhost");
	assert_span(u.netloc, "");
	assert_span(u.path, "8080");
	assert_int_equal(u.port, -1);
}

static void test_split_netloc_only_after_double_slash(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http:/h/p", &u), 0);
	assert_span(u.netloc, "");
	assert_span(u.path, "/h/p");
	assert_int_equal(split("//h:81?x", &u), 0);
	assert_span(u.scheme, "");
	assert_span(u.netloc, "h:81");
	assert_span(u.path, "");
	assert_span(u.query, "x");
	assert_int_equal(u.port, 81);
}

static void test_split_ipv6_hostname_without_brackets(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://[::1]:8080/x", &u), 0);
	assert_span(u.netloc, "[::1]:8080");
	assert_span(u.hostname, "::1");
	assert_int_equal(u.port, 8080);
	assert_int_equal(split("http://[fe80::1%25eth0]/", &u), 0);
	assert_span(u.hostname, "fe80::1%25eth0");
	assert_int_equal(split("http://[::ffff:192.0.2.1]/", &u), 0);
	assert_span(u.hostname, "::ffff:192.0.2.1");
	assert_int_equal(split("http://[2001:db8:0:0:0:0:0:1]:1/", &u), 0); /* no "::" */
	assert_span(u.hostname, "2001:db8:0:0:0:0:0:1");
	assert_int_equal(u.port, 1);
	assert_int_equal(split("http://[v1.fe]/", &u), 0); /* IPvFuture */
	assert_span(u.hostname, "v1.fe");
}

static void test_split_bad_bracketed_host_fails(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://[::1/", &u), -1);         /* unbalanced */
	assert_int_equal(split("http://::1]/", &u), -1);         /* unbalanced */
	assert_int_equal(split("http://[1.2.3.4]/", &u), -1);    /* IPv4 in brackets */
	assert_int_equal(split("http://[::1]x/", &u), -1);       /* junk after ']' */
	assert_int_equal(split("http://a[::1]/", &u), -1);       /* junk before '[' */
	assert_int_equal(split("http://[1::2::3]/", &u), -1);    /* two "::" */
	assert_int_equal(split("http://[12345::]/", &u), -1);    /* five hex digits */
	assert_int_equal(split("http://[::1.2.3.04]/", &u), -1); /* leading zero in IPv4 */
	assert_int_equal(split("http://[::1.2.3.4567]/", &u), -1); /* a four-digit octet */
	assert_int_equal(split("http://[::1.2.3.4.]/", &u), -1);
	assert_int_equal(split("http://[1:2:3:4:5:6:7]/", &u), -1); /* seven, and no "::" */
	assert_int_equal(split("http://[1:2:3:4:5:6:7:8:9]/", &u), -1);
	assert_int_equal(split("http://[::1%]/", &u), -1);       /* empty zone */
	assert_int_equal(split("http://[v.x]/", &u), -1);        /* IPvFuture without hex */
	assert_int_equal(split("http://[]/", &u), -1);
}

static void test_split_username_and_password_presence(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://u@h/", &u), 0);
	assert_span(u.username, "u");
	assert_span(u.password, NULL);
	assert_int_equal(split("http://u:@h/", &u), 0);
	assert_span(u.username, "u");
	assert_span(u.password, "");
	assert_int_equal(split("http://@h/", &u), 0);
	assert_span(u.username, "");
	assert_span(u.password, NULL);
	assert_span(u.hostname, "h");
}

static void test_split_last_at_ends_userinfo(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://a@b:c:d@host:1/", &u), 0);
	assert_span(u.username, "a@b");
	assert_span(u.password, "c:d");
	assert_span(u.hostname, "host");
	assert_int_equal(u.port, 1);
}

static void test_split_hostname_as_written_and_none_when_empty(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://WWW.Example.COM/", &u), 0);
	/* Python lower-cases; we leave that to callers */
	assert_span(u.hostname, "WWW.Example.COM");
	assert_int_equal(split("http://:80/", &u), 0);
	assert_span(u.hostname, NULL);
	assert_int_equal(u.port, 80);
	assert_int_equal(split("file:///etc/hosts", &u), 0);
	assert_span(u.netloc, "");
	assert_span(u.hostname, NULL);
	assert_span(u.path, "/etc/hosts");
}

static void test_split_empty_port_is_none(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://h:/", &u), 0);
	assert_span(u.hostname, "h");
	assert_int_equal(u.port, -1);
}

static void test_split_port_range(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://h:0/", &u), 0);
	assert_int_equal(u.port, 0);
	assert_int_equal(split("http://h:65535/", &u), 0);
	assert_int_equal(u.port, 65535);
	assert_int_equal(split("http://h:00080/", &u), 0); /* int("00080") */
	assert_int_equal(u.port, 80);
	assert_int_equal(split("http://h:65536/", &u), -1);
	assert_int_equal(u.port, -1);
	assert_int_equal(split("http://h:99999999999999999999/", &u), -1);
}

static void test_split_port_not_digits_fails_but_still_splits(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://h:8a/p", &u), -1);
	assert_int_equal(u.port, -1);
	assert_span(u.netloc, "h:8a"); /* urlparse itself succeeds; only .port raises */
	assert_span(u.path, "/p");
	assert_int_equal(split("http://h:-1/", &u), -1);
	assert_int_equal(split("http://h: 80/", &u), -1);
	assert_int_equal(split("http://h:1:2/", &u), -1);
}

static void test_split_skips_leading_controls_and_spaces(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split(" \x01\x1fhttp://h/ ", &u), 0);
	assert_span(u.scheme, "http");
	assert_span(u.path, "/ "); /* only the left side is stripped, like urlsplit */
}

static void test_split_refuses_tab_cr_lf(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("http://h/a\tb", &u), -1);
	assert_int_equal(split("http://h/a\r\nb", &u), -1);
}

static void test_split_empty_url(void **state)
{
	(void)state;
	struct url_parts u;
	assert_int_equal(split("", &u), 0);
	assert_span(u.scheme, "");
	assert_span(u.path, "");
	assert_span(u.hostname, NULL);
	assert_int_equal(u.port, -1);
	assert_int_equal(url_split(NULL, 0, &u), 0);
	assert_int_equal(u.path.len, 0);
	assert_int_equal(u.port, -1);
}

static void test_split_reads_only_len_bytes(void **state)
{
	(void)state;
	struct url_parts u;
	const char *url = "http://h:8080/p?q#f";
	assert_int_equal(url_split(url, 11, &u), 0); /* "http://h:80" */
	assert_int_equal(u.port, 80);
	assert_span(u.path, "");
	assert_span(u.query, "");
	assert_span(u.fragment, "");
	/* Every prefix, ending at an unmapped page. */
	for (size_t n = 0; n <= strlen(url); n++) {
		struct guarded g = guard(url, n);
		(void)url_split(g.s, n, &u);
		unguard(&g);
	}
}

/* ---- url_quote ------------------------------------------------------------------------ */

static void test_quote_article_example(void **state)
{
	(void)state;
	char *q = quote("/path with spaces", 17, "/");
	assert_string_equal(q, "/path%20with%20spaces");
	free(q);
}

static void test_quote_null_safe_encodes_slash(void **state)
{
	(void)state;
	char *q = quote("/path with spaces", 17, NULL);
	assert_string_equal(q, "%2Fpath%20with%20spaces");
	free(q);
}

static void test_quote_keeps_unreserved_only(void **state)
{
	(void)state;
	const char *in = "AZaz09_.-~!*'();:@&=+$,/?#[]%\"<>\\^`{|} ";
	char *q = quote(in, strlen(in), "");
	assert_string_equal(q, "AZaz09_.-~%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%25"
	                       "%22%3C%3E%5C%5E%60%7B%7C%7D%20");
	free(q);
}

static void test_quote_bytes_upper_case_hex(void **state)
{
	(void)state;
	char *q = quote("caf\xc3\xa9\x00\xff", 7, "/");
	assert_string_equal(q, "caf%C3%A9%00%FF");
	free(q);
}

static void test_quote_safe_ignores_non_ascii(void **state)
{
	(void)state;
	/* quote() drops non-ASCII characters from safe, so \xc3 is still encoded */
	char *q = quote("a b\xc3", 4, " \xc3");
	assert_string_equal(q, "a b%C3");
	free(q);
}

static void test_quote_truncates_like_snprintf(void **state)
{
	(void)state;
	char out[8];
	memset(out, 'x', sizeof out);
	assert_int_equal(url_quote("/path with spaces", 17, "/", out, 7), 21);
	assert_string_equal(out, "/path%");
	assert_int_equal(out[7], 'x');
	assert_int_equal(url_quote("abc", 3, NULL, out, 1), 3);
	assert_string_equal(out, "");
	assert_int_equal(url_quote("abc", 3, NULL, NULL, 0), 3);
	assert_int_equal(url_quote(NULL, 0, NULL, out, sizeof out), 0);
	assert_string_equal(out, "");
}

/* ---- url_unquote ---------------------------------------------------------------------- */

static void test_unquote_decodes_escapes(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(unquote("hello%20world%2f%2F", false, out), 13);
	assert_string_equal(out, "hello world//");
}

static void test_unquote_mixed_case_hex(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(unquote("%c3%A9%Ab", false, out), 3);
	assert_memory_equal(out, "\xc3\xa9\xab", 3);
}

static void test_unquote_plus_only_with_plus(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(unquote("a+b%2B", false, out), 4);
	assert_string_equal(out, "a+b+");
	assert_int_equal(unquote("a+b%2B", true, out), 4);
	assert_string_equal(out, "a b+"); /* %2B is a literal plus, decoded after '+' */
}

static void test_unquote_keeps_malformed_escapes(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(unquote("%", false, out), 1);
	assert_string_equal(out, "%");
	assert_int_equal(unquote("%4", false, out), 2);
	assert_string_equal(out, "%4");
	assert_int_equal(unquote("%zz", false, out), 3);
	assert_string_equal(out, "%zz");
	assert_int_equal(unquote("%%", false, out), 2);
	assert_string_equal(out, "%%");
	assert_int_equal(unquote("%%41", false, out), 2); /* unquote('%%41') == '%A' */
	assert_string_equal(out, "%A");
	assert_int_equal(unquote("%4%41", false, out), 3);
	assert_string_equal(out, "%4A");
	assert_int_equal(unquote("%+1", true, out), 3);
	assert_string_equal(out, "% 1");
}

static void test_unquote_nul_byte_counts_in_length(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(unquote("a%00b", false, out), 3);
	assert_memory_equal(out, "a\0b", 4);
}

static void test_unquote_escape_cut_by_len(void **state)
{
	(void)state;
	char out[8];
	const char *s = "%41";
	assert_int_equal(url_unquote(s, 2, false, out), 2); /* sees only "%4" */
	assert_string_equal(out, "%4");
	assert_int_equal(url_unquote(s, 0, false, out), 0);
	assert_string_equal(out, "");
}

static void test_unquote_in_place(void **state)
{
	(void)state;
	char buf[] = "a%20b+c%zz";
	assert_int_equal(url_unquote(buf, strlen(buf), true, buf), 8);
	assert_string_equal(buf, "a b c%zz");
}

/* ---- url_query_parse ------------------------------------------------------------------ */

static void test_query_multi_article_example(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query(ARTICLE_QUERY, URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 3);
	assert_param(&q, 0, "test1", 1, "foo");
	assert_param(&q, 1, "test2", 3, "bar", "baz", "nothing");
	assert_param(&q, 2, "test3", 1, "hello world");
	url_query_free(&q);
}

static void test_query_last_wins_article_example(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query(ARTICLE_QUERY, URL_QUERY_LAST_WINS, &q), 0);
	assert_int_equal(q.nparams, 3);
	assert_param(&q, 0, "test1", 1, "foo");
	assert_param(&q, 1, "test2", 1, "nothing"); /* first place, last value: dict update */
	assert_param(&q, 2, "test3", 1, "hello world");
	url_query_free(&q);
}

static void test_query_get_returns_last_value(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query(ARTICLE_QUERY, URL_QUERY_MULTI, &q), 0);
	assert_string_equal(url_query_get(&q, "test2"), "nothing");
	assert_string_equal(url_query_get(&q, "test3"), "hello world");
	assert_null(url_query_get(&q, "test4"));
	assert_null(url_query_get(&q, "test"));
	assert_null(url_query_get(&q, NULL));
	assert_null(url_query_get(NULL, "test1"));
	url_query_free(&q);
}

static void test_query_plus_decodes_to_space(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("first+name=Ada+King%2B&x=a%2bb", URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 2);
	assert_param(&q, 0, "first name", 1, "Ada King+");
	assert_param(&q, 1, "x", 1, "a+b");
	url_query_free(&q);
}

static void test_query_malformed_escapes_kept(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("a=%&b=%4&c=%zz&d=%%&%=e", URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 5);
	assert_param(&q, 0, "a", 1, "%");
	assert_param(&q, 1, "b", 1, "%4");
	assert_param(&q, 2, "c", 1, "%zz");
	assert_param(&q, 3, "d", 1, "%%");
	assert_param(&q, 4, "%", 1, "e");
	url_query_free(&q);
}

static void test_query_empty(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("", URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 0);
	assert_null(q.params);
	assert_int_equal(url_query_parse(NULL, 0, URL_QUERY_LAST_WINS, &q), 0);
	assert_int_equal(q.nparams, 0);
	url_query_free(&q);
}

static void test_query_only_separators(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("&&&", URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 0);
	url_query_free(&q);
}

static void test_query_name_without_equals_dropped(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("flag&a=1&&b", URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 1);
	assert_param(&q, 0, "a", 1, "1");
	url_query_free(&q);
}

static void test_query_blank_values_dropped(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("a=&b=2&b=&c=%20", URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 2);
	assert_param(&q, 0, "b", 1, "2");
	assert_param(&q, 1, "c", 1, " "); /* blank is judged before decoding */
	url_query_free(&q);
}

static void test_query_empty_name_kept(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("=v&=w", URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 1);
	assert_param(&q, 0, "", 2, "v", "w");
	url_query_free(&q);
}

static void test_query_value_keeps_later_equals(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("a=b=c", URL_QUERY_LAST_WINS, &q), 0);
	assert_param(&q, 0, "a", 1, "b=c");
	url_query_free(&q);
}

static void test_query_semicolon_does_not_separate(void **state)
{
	(void)state;
	struct url_query q;
	/* Python 3.10+ splits on '&' only (the web cache poisoning fix, bpo-42967). */
	assert_int_equal(parse_query("a=1;b=2", URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 1);
	assert_param(&q, 0, "a", 1, "1;b=2");
	url_query_free(&q);
}

static void test_query_nul_from_percent_00_ends_strings(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("a%00b=1&a=x%00y", URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 1); /* both names read as "a" */
	assert_param(&q, 0, "a", 2, "1", "x");
	url_query_free(&q);
}

static void test_query_reads_only_len_bytes(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(url_query_parse("a=12&b=3", 3, URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 1);
	assert_param(&q, 0, "a", 1, "1");
	url_query_free(&q);
	assert_int_equal(url_query_parse("a=%41", 4, URL_QUERY_MULTI, &q), 0);
	assert_param(&q, 0, "a", 1, "%4");
	url_query_free(&q);
}

static void test_query_free_twice_is_safe(void **state)
{
	(void)state;
	struct url_query q;
	assert_int_equal(parse_query("a=1&b=2", URL_QUERY_MULTI, &q), 0);
	url_query_free(&q);
	assert_null(q.params);
	assert_int_equal(q.nparams, 0);
	url_query_free(&q);
	url_query_free(NULL);
}

/* many_pairs — "n0=v&n1=v&…" with n pairs, distinct names when distinct is true. */
static char *many_pairs(size_t n, bool distinct, size_t *len)
{
	char *s = malloc(n * 16 + 1);
	size_t at = 0;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(s + at, 17, "%sn%zu=v%zu", i ? "&" : "", distinct ? i : 0,
		                       i);
	*len = at;
	return s;
}

static void test_query_many_distinct_names_in_order(void **state)
{
	(void)state;
	struct url_query q;
	size_t len;
	char *s = many_pairs(LIMIT_QUERY_PAIRS, true, &len);
	assert_int_equal(url_query_parse(s, len, URL_QUERY_LAST_WINS, &q), 0);
	assert_int_equal(q.nparams, LIMIT_QUERY_PAIRS);
	assert_param(&q, 1234, "n1234", 1, "v1234");
	assert_string_equal(url_query_get(&q, "n9999"), "v9999");
	url_query_free(&q);
	free(s);
}

static void test_query_many_values_of_one_name(void **state)
{
	(void)state;
	struct url_query q;
	size_t len;
	char *s = many_pairs(LIMIT_QUERY_PAIRS, false, &len);
	assert_int_equal(url_query_parse(s, len, URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 1);
	assert_int_equal(q.params[0].nvalues, LIMIT_QUERY_PAIRS);
	assert_string_equal(q.params[0].values[0], "v0");
	assert_string_equal(q.params[0].values[LIMIT_QUERY_PAIRS - 1], "v9999");
	url_query_free(&q);
	free(s);
}

static void test_query_too_many_pairs_fails_and_leaves_out_empty(void **state)
{
	(void)state;
	struct url_query q;
	size_t len;
	char *s = many_pairs(LIMIT_QUERY_PAIRS + 1, true, &len);
	assert_int_equal(url_query_parse(s, len, URL_QUERY_MULTI, &q), -1);
	assert_null(q.params);
	assert_int_equal(q.nparams, 0);
	url_query_free(&q);
	free(s);
}

/* Names chosen to collide in the low bits of the unkeyed hash the table used before
 * (tests/bench/fnv_collide.h): all of them must still be found, kept apart, in order. */
static void test_query_names_colliding_under_the_old_hash_parse_correctly(void **state)
{
	(void)state;
	enum { N = 3000, LEN = 12 };
	char *query = malloc(N * (3 * LEN + 3) + 1);
	struct url_query multi, last;
	unsigned char name[LEN + 1];

	assert_non_null(query);
	size_t len = fnv_query(N, LEN, true, query);
	assert_int_equal(url_query_parse(query, len, URL_QUERY_MULTI, &multi), 0);
	/* The same names again with new values: a dict keeps each in its first place. */
	char *twice = malloc(2 * len + 2);
	assert_non_null(twice);
	snprintf(twice, 2 * len + 2, "%s&%s", query, query);
	for (char *v = strstr(twice + len, "=v"); v; v = strstr(v + 2, "=v"))
		v[1] = 'w';
	assert_int_equal(url_query_parse(twice, strlen(twice), URL_QUERY_LAST_WINS, &last), 0);
	assert_int_equal(multi.nparams, N);
	assert_int_equal(last.nparams, N);
	size_t k = 0;
	for (unsigned i = 0; k < N; i++) {
		if (!fnv_name(i, LEN, true, name))
			continue;
		/* The premise: every name lands in one slot of the old hash's table. */
		assert_int_equal(fnv1a(name, LEN) & FNV_BITS, FNV_TARGET);
		assert_string_equal(multi.params[k].name, (const char *)name);
		assert_int_equal(multi.params[k].nvalues, 1);
		assert_string_equal(multi.params[k].values[0], "v");
		assert_string_equal(last.params[k].name, (const char *)name);
		assert_string_equal(last.params[k].values[0], "w");
		k++;
	}
	assert_string_equal(url_query_get(&last, (const char *)name), "w");
	url_query_free(&multi);
	url_query_free(&last);
	free(twice);
	free(query);
}

static void test_query_one_mib_of_dropped_fields_is_fine(void **state)
{
	(void)state;
	struct url_query q;
	size_t len = 1024 * 1024;
	char *s = malloc(len);
	assert_non_null(s);
	for (size_t i = 0; i < len; i++)
		s[i] = i % 2 ? '&' : 'x'; /* a million names without '=' */
	memcpy(s + len - 4, "&k=v", 4);
	assert_int_equal(url_query_parse(s, len, URL_QUERY_MULTI, &q), 0);
	assert_int_equal(q.nparams, 1);
	assert_param(&q, 0, "k", 1, "v");
	url_query_free(&q);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_article_rfc1738_example),
		cmocka_unit_test(test_split_article_userinfo_and_port),
		cmocka_unit_test(test_split_article_query_test_url),
		cmocka_unit_test(test_split_origin_form_request_target),
		cmocka_unit_test(test_split_fragment_is_cut_before_query),
		cmocka_unit_test(test_split_params_in_last_segment),
		cmocka_unit_test(test_split_params_only_for_schemes_that_use_them),
		cmocka_unit_test(test_split_scheme_needs_letter_then_scheme_chars),
		cmocka_unit_test(test_split_host_and_port_without_slashes_is_a_scheme),
		cmocka_unit_test(test_split_netloc_only_after_double_slash),
		cmocka_unit_test(test_split_ipv6_hostname_without_brackets),
		cmocka_unit_test(test_split_bad_bracketed_host_fails),
		cmocka_unit_test(test_split_username_and_password_presence),
		cmocka_unit_test(test_split_last_at_ends_userinfo),
		cmocka_unit_test(test_split_hostname_as_written_and_none_when_empty),
		cmocka_unit_test(test_split_empty_port_is_none),
		cmocka_unit_test(test_split_port_range),
		cmocka_unit_test(test_split_port_not_digits_fails_but_still_splits),
		cmocka_unit_test(test_split_skips_leading_controls_and_spaces),
		cmocka_unit_test(test_split_refuses_tab_cr_lf),
		cmocka_unit_test(test_split_empty_url),
		cmocka_unit_test(test_split_reads_only_len_bytes),
		cmocka_unit_test(test_quote_article_example),
		cmocka_unit_test(test_quote_null_safe_encodes_slash),
		cmocka_unit_test(test_quote_keeps_unreserved_only),
		cmocka_unit_test(test_quote_bytes_upper_case_hex),
		cmocka_unit_test(test_quote_safe_ignores_non_ascii),
		cmocka_unit_test(test_quote_truncates_like_snprintf),
		cmocka_unit_test(test_unquote_decodes_escapes),
		cmocka_unit_test(test_unquote_mixed_case_hex),
		cmocka_unit_test(test_unquote_plus_only_with_plus),
		cmocka_unit_test(test_unquote_keeps_malformed_escapes),
		cmocka_unit_test(test_unquote_nul_byte_counts_in_length),
		cmocka_unit_test(test_unquote_escape_cut_by_len),
		cmocka_unit_test(test_unquote_in_place),
		cmocka_unit_test(test_query_multi_article_example),
		cmocka_unit_test(test_query_last_wins_article_example),
		cmocka_unit_test(test_query_get_returns_last_value),
		cmocka_unit_test(test_query_plus_decodes_to_space),
		cmocka_unit_test(test_query_malformed_escapes_kept),
		cmocka_unit_test(test_query_empty),
		cmocka_unit_test(test_query_only_separators),
		cmocka_unit_test(test_query_name_without_equals_dropped),
		cmocka_unit_test(test_query_blank_values_dropped),
		cmocka_unit_test(test_query_empty_name_kept),
		cmocka_unit_test(test_query_value_keeps_later_equals),
		cmocka_unit_test(test_query_semicolon_does_not_separate),
		cmocka_unit_test(test_query_nul_from_percent_00_ends_strings),
		cmocka_unit_test(test_query_reads_only_len_bytes),
		cmocka_unit_test(test_query_free_twice_is_safe),
		cmocka_unit_test(test_query_many_distinct_names_in_order),
		cmocka_unit_test(test_query_many_values_of_one_name),
		cmocka_unit_test(test_query_too_many_pairs_fails_and_leaves_out_empty),
		cmocka_unit_test(test_query_one_mib_of_dropped_fields_is_fine),
		cmocka_unit_test(test_query_names_colliding_under_the_old_hash_parse_correctly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
