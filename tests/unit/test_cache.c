/* test_cache — common/http/cache.c: the md5 ETag and its quoting, weak comparison,
 * If-None-Match lists and "*", If-Modified-Since dates, the precedence and method rules
 * of RFC 9110 §13.2.2, and the headers a 200 and a 304 carry (over a socketpair). Every
 * case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cache.h"
#include "capture.h"
#include "content.h"
#include "date.h"
#include "guard.h"
#include "http.h"
#include "response.h"

/* ---- ETag ----------------------------------------------------------------------- */

static void test_etag_is_the_quoted_md5_of_the_body(void **state)
{
	(void)state;
	char etag[CACHE_ETAG_LEN + 1];
	/* The article's script; hashlib.md5(b'const a = Math.random();').hexdigest(). */
	content_etag_md5("const a = Math.random();", 24, etag);
	assert_string_equal(etag, "\"4d2e25336187ade95f260ba129f1c2ea\"");
	content_etag_md5("", 0, etag); /* RFC 1321's test vector for "" */
	assert_string_equal(etag, "\"d41d8cd98f00b204e9800998ecf8427e\"");
	assert_int_equal(strlen(etag), CACHE_ETAG_LEN);
}

static void test_etag_reads_only_the_body_it_is_given(void **state)
{
	(void)state;
	char etag[CACHE_ETAG_LEN + 1];
	struct guarded g = guard("abc", 3);
	content_etag_md5(g.s, 3, etag);
	unguard(&g);
	assert_string_equal(etag, "\"900150983cd24fb0d6963f7d28e17f72\""); /* RFC 1321 "abc" */
}

#define WEQ(a, b) cache_etag_weak_equal((a), strlen(a), (b), strlen(b))

static void test_weak_comparison_ignores_w_slash(void **state)
{
	(void)state;
	/* RFC 9110 §8.8.3.2's table: W/"1" and W/"1" match, W/"1" and "1" match, ... */
	assert_true(WEQ("W/\"1\"", "W/\"1\""));
	assert_true(WEQ("W/\"1\"", "\"1\""));
	assert_true(WEQ("\"1\"", "\"1\""));
	assert_false(WEQ("W/\"1\"", "W/\"2\""));
	assert_false(WEQ("\"1\"", "\"12\""));
}

static void test_unquoted_or_broken_tags_never_match(void **state)
{
	(void)state;
	assert_false(WEQ("1", "1"));             /* the article's unquoted hexdigest */
	assert_false(WEQ("\"1", "\"1"));         /* no closing quote */
	assert_false(WEQ("w/\"1\"", "\"1\""));   /* W/ is case-sensitive */
	assert_false(WEQ("\"1\"x", "\"1\""));    /* something after the tag */
	assert_false(WEQ("\"a b\"", "\"a b\"")); /* a space is not an etagc */
	assert_false(WEQ("", ""));
}

static void test_none_match_lists_and_star(void **state)
{
	(void)state;
	const char *etag = "\"abc\"";
	assert_true(cache_none_match("\"abc\"", etag));
	assert_true(cache_none_match("W/\"abc\"", etag));             /* weak comparison */
	assert_true(cache_none_match("\"x\", \"y\",W/\"abc\"", etag)); /* a list */
	assert_true(cache_none_match(" , \"x\" ,\t\"abc\" ", etag));  /* empty members, OWS */
	assert_true(cache_none_match("*", etag));
	assert_true(cache_none_match("  *  ", NULL));                 /* exists, no ETag */
	assert_false(cache_none_match("\"x\", \"y\"", etag));
	assert_false(cache_none_match("abc", etag));                  /* unquoted: no match */
	assert_false(cache_none_match("\"abc", etag));
	assert_false(cache_none_match("\"abc\"", NULL));              /* nothing to match */
	assert_false(cache_none_match("", etag));
	assert_false(cache_none_match("**", etag));
	assert_true(cache_none_match("junk, \"abc\"", etag));         /* junk skipped */
	assert_true(cache_none_match("\"a,b\", \"abc\"", etag));      /* comma inside a tag */
}

static void test_none_match_reads_within_its_bounds(void **state)
{
	(void)state;
	static const char v[] = "\"x\", W/\"abc";
	struct guarded g = guard(v, sizeof v);
	assert_false(cache_none_match(g.s, "\"abc\""));
	unguard(&g);
}

/* ---- preconditions -------------------------------------------------------------- */

static struct http_head *R;

/* req — parses a request made of a method, a path and extra header lines. */
static const struct http_head *req(const char *method, const char *headers)
{
	char buf[2048];
	int n = snprintf(buf, sizeof buf, "%s /x HTTP/1.1\r\nHost: t\r\n%s\r\n", method, headers);
	assert_true(n > 0 && (size_t)n < sizeof buf);
	assert_int_equal(http_parse_request(buf, (size_t)n, R), n);
	return R;
}

#define MTIME ((time_t)1690000000) /* Sat, 22 Jul 2023 04:26:40 GMT */

static const struct cache_policy with_etag = {"\"abc\"", CACHE_NO_DATE, 10, false};
static const struct cache_policy with_date = {NULL, MTIME, 10, true};
static const struct cache_policy with_both = {"\"abc\"", MTIME, 10, false};

static void test_no_conditional_headers_send_the_content(void **state)
{
	(void)state;
	assert_int_equal(cache_evaluate(req("GET", ""), &with_both), CACHE_SEND);
}

static void test_if_none_match_hit_is_304_for_get_and_head(void **state)
{
	(void)state;
	assert_int_equal(cache_evaluate(req("GET", "If-None-Match: \"abc\"\r\n"), &with_etag),
	                 CACHE_NOT_MODIFIED);
	assert_int_equal(cache_evaluate(req("HEAD", "If-None-Match: W/\"abc\"\r\n"), &with_etag),
	                 CACHE_NOT_MODIFIED);
	assert_int_equal(cache_evaluate(req("GET", "If-None-Match: \"old\"\r\n"), &with_etag),
	                 CACHE_SEND);
}

static void test_if_none_match_hit_on_other_methods_is_412(void **state)
{
	(void)state;
	/* §13.1.2: a false If-None-Match on a method other than GET/HEAD fails the request. */
	assert_int_equal(cache_evaluate(req("POST", "If-None-Match: *\r\nContent-Length: 0\r\n"),
	                                &with_etag),
	                 CACHE_PRECONDITION_FAILED);
	assert_int_equal(cache_evaluate(req("DELETE", "If-None-Match: \"abc\"\r\n"), &with_etag),
	                 CACHE_PRECONDITION_FAILED);
	assert_int_equal(cache_evaluate(req("DELETE", "If-None-Match: \"new\"\r\n"), &with_etag),
	                 CACHE_SEND);
}

static void test_if_modified_since_at_or_after_mtime_is_304(void **state)
{
	(void)state;
	assert_int_equal(
	        cache_evaluate(req("GET", "If-Modified-Since: Sat, 22 Jul 2023 04:26:40 GMT\r\n"),
	                       &with_date),
	        CACHE_NOT_MODIFIED); /* equal */
	assert_int_equal(
	        cache_evaluate(req("GET", "If-Modified-Since: Sat, 22 Jul 2023 04:26:41 GMT\r\n"),
	                       &with_date),
	        CACHE_NOT_MODIFIED); /* a second later */
	assert_int_equal(
	        cache_evaluate(req("HEAD", "If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT\r\n"),
	                       &with_date),
	        CACHE_NOT_MODIFIED); /* far future */
}

static void test_if_modified_since_before_mtime_sends_the_content(void **state)
{
	(void)state;
	assert_int_equal(
	        cache_evaluate(req("GET", "If-Modified-Since: Sat, 22 Jul 2023 04:26:39 GMT\r\n"),
	                       &with_date),
	        CACHE_SEND);
	assert_int_equal(
	        cache_evaluate(req("GET", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"),
	                       &with_date),
	        CACHE_SEND);
}

static void test_if_modified_since_accepts_all_three_date_forms(void **state)
{
	(void)state;
	assert_int_equal(
	        cache_evaluate(
	                req("GET", "If-Modified-Since: Saturday, 22-Jul-23 04:26:40 GMT\r\n"),
	                &with_date),
	        CACHE_NOT_MODIFIED); /* RFC 850 */
	assert_int_equal(
	        cache_evaluate(req("GET", "If-Modified-Since: Sat Jul 22 04:26:40 2023\r\n"),
	                       &with_date),
	        CACHE_NOT_MODIFIED); /* asctime */
}

static void test_unparsable_date_is_ignored(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"If-Modified-Since: yesterday\r\n",
		"If-Modified-Since: Sat, 22 Jul 2023 04:26:40 UTC\r\n",
		/* one element, two dates: the parentheses say the split is meant */
		("If-Modified-Since: Sat, 22 Jul 2023 04:26:40 GMT, "
		 "Sat, 22 Jul 2023 04:26:40 GMT\r\n"),
		"If-Modified-Since: 1690000000\r\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(cache_evaluate(req("GET", bad[i]), &with_date), CACHE_SEND);
}

static void test_if_modified_since_needs_a_last_modified(void **state)
{
	(void)state;
	assert_int_equal(
	        cache_evaluate(req("GET", "If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT\r\n"),
	                       &with_etag),
	        CACHE_SEND);
}

static void test_if_modified_since_only_on_get_and_head(void **state)
{
	(void)state;
	assert_int_equal(cache_evaluate(req("DELETE",
	                                    "If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT\r\n"),
	                                &with_date),
	                 CACHE_SEND);
}

static void test_if_none_match_wins_over_if_modified_since(void **state)
{
	(void)state;
	/* A date that alone would give 304 is ignored when If-None-Match does not match. */
	assert_int_equal(
	        cache_evaluate(req("GET", "If-None-Match: \"old\"\r\n"
	                                  "If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT\r\n"),
	                       &with_both),
	        CACHE_SEND);
	/* A date that alone would give 200 is ignored when If-None-Match matches. */
	assert_int_equal(
	        cache_evaluate(req("GET", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	                                  "If-None-Match: \"abc\"\r\n"),
	                       &with_both),
	        CACHE_NOT_MODIFIED);
	/* Even without an ETag on our side: If-None-Match decides alone. */
	assert_int_equal(
	        cache_evaluate(req("GET", "If-None-Match: \"abc\"\r\n"
	                                  "If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT\r\n"),
	                       &with_date),
	        CACHE_SEND);
	assert_int_equal(
	        cache_evaluate(req("GET", "If-None-Match: *\r\n"
	                                  "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"),
	                       &with_date),
	        CACHE_NOT_MODIFIED);
}

/* ---- the headers ---------------------------------------------------------------- */

/* sent — what a response made by fn carries, as text (the access log is caught, unread). */
static char *sent(void (*fn)(struct response *, const struct http_head *), const char *method)
{
	static char out[8192];
	int sv[2];
	struct capture log;
	struct response *res = calloc(1, sizeof *res);
	const struct http_head *r = req(method, "");
	size_t len = 0;
	ssize_t n;

	assert_non_null(res);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(capture_start(&log), 0);
	res_init(res, sv[0], r, "127.0.0.1", "GET /x HTTP/1.1");
	fn(res, r);
	res_finish(res);
	capture_stop(&log);
	close(sv[0]);
	while ((n = read(sv[1], out + len, sizeof out - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(sv[1]);
	free(res);
	return out;
}

static void send_200(struct response *res, const struct http_head *r)
{
	(void)r;
	res_send_response(res, HTTP_OK);
	content_send_cache_headers(res, &with_both);
	res_send_header(res, "Content-Length", "2");
	res_end_headers(res);
	res_write(res, "hi", 2);
}

static void send_304(struct response *res, const struct http_head *r)
{
	(void)r;
	content_send_not_modified(res, &with_both, "Accept-Encoding");
}

static void send_expires(struct response *res, const struct http_head *r)
{
	(void)r;
	content_send_not_modified(res, &with_date, NULL);
}

static void test_200_carries_validators_and_cache_control(void **state)
{
	(void)state;
	const char *out = sent(send_200, "GET");
	assert_non_null(strstr(out, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(out, "\r\nETag: \"abc\"\r\n"));
	assert_non_null(strstr(out, "\r\nLast-Modified: Sat, 22 Jul 2023 04:26:40 GMT\r\n"));
	assert_non_null(strstr(out, "\r\nCache-Control: public, max-age=10\r\n"));
	assert_null(strstr(out, "Expires:")); /* not asked for */
	assert_non_null(strstr(out, "\r\n\r\nhi"));
}

static void test_304_carries_what_a_200_would_and_no_body(void **state)
{
	(void)state;
	const char *out = sent(send_304, "GET");
	assert_non_null(strstr(out, "HTTP/1.1 304 Not Modified\r\n"));
	assert_non_null(strstr(out, "\r\nETag: \"abc\"\r\n"));
	assert_non_null(strstr(out, "\r\nLast-Modified: Sat, 22 Jul 2023 04:26:40 GMT\r\n"));
	assert_non_null(strstr(out, "\r\nCache-Control: public, max-age=10\r\n"));
	assert_non_null(strstr(out, "\r\nVary: Accept-Encoding\r\n"));
	assert_null(strstr(out, "Content-Length"));
	assert_null(strstr(out, "Content-Type"));
	const char *end = strstr(out, "\r\n\r\n");
	assert_non_null(end);
	assert_int_equal(end[4], '\0'); /* nothing after the head */
}

/* field_time — the HTTP-date of the field called name in the response text out. */
static time_t field_time(const char *out, const char *name)
{
	char key[64];
	time_t t = 0;

	snprintf(key, sizeof key, "\r\n%s: ", name);
	const char *v = strstr(out, key);
	assert_non_null(v);
	v += strlen(key);
	const char *end = strstr(v, "\r\n");
	assert_non_null(end);
	assert_int_equal(date_parse_http(v, (size_t)(end - v), &t), 0);
	return t;
}

/* Expires must be the very Date sent plus max-age: a slow handler (under valgrind, a
 * second passes easily between the status line and the cache headers) may not stretch it. */
static void test_expires_is_date_plus_max_age(void **state)
{
	(void)state;
	const char *out = sent(send_expires, "HEAD");
	assert_int_equal(field_time(out, "Expires") - field_time(out, "Date"), 10);
	assert_null(strstr(out, "ETag"));
	assert_null(strstr(out, "Vary"));
}

static int alloc_request(void **state)
{
	(void)state;
	R = malloc(sizeof *R);
	return R ? 0 : -1;
}

static int free_request(void **state)
{
	(void)state;
	free(R);
	R = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest etags[] = {
		cmocka_unit_test(test_etag_is_the_quoted_md5_of_the_body),
		cmocka_unit_test(test_etag_reads_only_the_body_it_is_given),
		cmocka_unit_test(test_weak_comparison_ignores_w_slash),
		cmocka_unit_test(test_unquoted_or_broken_tags_never_match),
		cmocka_unit_test(test_none_match_lists_and_star),
		cmocka_unit_test(test_none_match_reads_within_its_bounds),
	};
	const struct CMUnitTest conditions[] = {
		cmocka_unit_test(test_no_conditional_headers_send_the_content),
		cmocka_unit_test(test_if_none_match_hit_is_304_for_get_and_head),
		cmocka_unit_test(test_if_none_match_hit_on_other_methods_is_412),
		cmocka_unit_test(test_if_modified_since_at_or_after_mtime_is_304),
		cmocka_unit_test(test_if_modified_since_before_mtime_sends_the_content),
		cmocka_unit_test(test_if_modified_since_accepts_all_three_date_forms),
		cmocka_unit_test(test_unparsable_date_is_ignored),
		cmocka_unit_test(test_if_modified_since_needs_a_last_modified),
		cmocka_unit_test(test_if_modified_since_only_on_get_and_head),
		cmocka_unit_test(test_if_none_match_wins_over_if_modified_since),
		cmocka_unit_test(test_200_carries_validators_and_cache_control),
		cmocka_unit_test(test_304_carries_what_a_200_would_and_no_body),
		cmocka_unit_test(test_expires_is_date_plus_max_age),
	};
	int failed = cmocka_run_group_tests_name("cache entity-tags", etags, NULL, NULL);
	failed += cmocka_run_group_tests_name("cache preconditions and headers", conditions,
	                                      alloc_request, free_request);
	return failed ? 1 : 0;
}
