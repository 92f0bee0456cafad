/* test_form.c — unit tests of common/lesson/form.c: media types, and parsed bodies printed
 * as Python 3.11 prints parse_qs, dict(parse_qsl) and json.loads results. Every case is
 * named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guard.h"

#include <stdio.h>
#include <string.h>

#include "form.h"

static char buf[4096];

static const char *query(const char *q, enum url_query_mode mode)
{
	struct url_query uq;
	size_t len = strlen(q);
	struct guarded g = guard(q, len);
	FILE *f = fmemopen(buf, sizeof buf, "w");

	assert_int_equal(url_query_parse(g.s, len, mode, &uq), 0);
	form_print_query(f, &uq, mode);
	fclose(f);
	url_query_free(&uq);
	unguard(&g);
	return buf;
}

static const char *json(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &err);
	FILE *f = fmemopen(buf, sizeof buf, "w");

	assert_non_null(v);
	form_print_json(f, v);
	fclose(f);
	json_decref(v);
	return buf;
}

static const char *flt(double d)
{
	return form_float_repr(d, buf, sizeof buf);
}

#define ARTICLE "test1=foo&test2=bar&test3=hello%20world&test2=baz&test2=nothing"

static void test_query_multi_prints_like_parse_qs(void **state)
{
	(void)state;
	assert_string_equal(query(ARTICLE, URL_QUERY_MULTI),
	                    "{'test1': ['foo'], 'test2': ['bar', 'baz', 'nothing'], "
	                    "'test3': ['hello world']}");
}

static void test_query_last_wins_prints_like_dict_parse_qsl(void **state)
{
	(void)state;
	assert_string_equal(query(ARTICLE, URL_QUERY_LAST_WINS),
	                    "{'test1': 'foo', 'test2': 'nothing', 'test3': 'hello world'}");
}

static void test_query_empty_is_empty_dict(void **state)
{
	(void)state;
	assert_string_equal(query("", URL_QUERY_MULTI), "{}");
	assert_string_equal(query("&&novalue", URL_QUERY_LAST_WINS), "{}");
}

static void test_query_values_decoded_as_utf8_with_replacement(void **state)
{
	(void)state;
	assert_string_equal(query("n=caf%C3%A9&b=%FF&q=it%27s", URL_QUERY_LAST_WINS),
	                    "{'n': 'caf\xc3\xa9', 'b': '\xef\xbf\xbd', 'q': \"it's\"}");
}

static void test_media_type_ignores_case_space_and_parameters(void **state)
{
	(void)state;
	assert_true(form_media_type_is("application/json", "application/json"));
	assert_true(form_media_type_is(" Application/JSON ; charset=utf-8", "application/json"));
	assert_false(form_media_type_is("application/jsonx", "application/json"));
	assert_false(form_media_type_is("application/json-seq", "application/json"));
	assert_false(form_media_type_is("text/plain", "application/json"));
	assert_false(form_media_type_is("", "application/json"));
	assert_false(form_media_type_is(NULL, "application/json"));
}

static void test_json_article_object(void **state)
{
	(void)state;
	assert_string_equal(json("{\"var1\": \"test\", \"var2\": \"test2\"}"),
	                    "{'var1': 'test', 'var2': 'test2'}");
}

static void test_json_scalars_and_nesting(void **state)
{
	(void)state;
	assert_string_equal(json("[true, false, null, 0, -7, {\"a\": [[]]}, \"\"]"),
	                    "[True, False, None, 0, -7, {'a': [[]]}, '']");
}

static void test_json_duplicate_key_keeps_first_place_last_value(void **state)
{
	(void)state;
	assert_string_equal(json("{\"a\": 1, \"b\": 2, \"a\": 3}"), "{'a': 3, 'b': 2}");
}

static void test_json_string_with_nul_and_escapes(void **state)
{
	json_error_t err;
	json_t *v = json_loads("\"a\\u0000b\\n\\u00e9\"", JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	FILE *f = fmemopen(buf, sizeof buf, "w");

	(void)state;
	assert_non_null(v);
	form_print_json(f, v);
	fclose(f);
	json_decref(v);
	assert_string_equal(buf, "'a\\x00b\\n\xc3\xa9'");
}

static void test_float_repr_matches_python(void **state)
{
	(void)state;
	assert_string_equal(flt(1.0), "1.0");
	assert_string_equal(flt(2.5), "2.5");
	assert_string_equal(flt(0.1), "0.1");
	assert_string_equal(flt(-0.0), "-0.0");
	assert_string_equal(flt(1e-7), "1e-07");
	assert_string_equal(flt(1.5e-5), "1.5e-05");
	assert_string_equal(flt(0.0001), "0.0001");
	assert_string_equal(flt(1e16), "1e+16");
	assert_string_equal(flt(1e15), "1000000000000000.0");
	assert_string_equal(flt(123.456), "123.456");
	assert_string_equal(flt(1.7976931348623157e308), "1.7976931348623157e+308");
	assert_string_equal(flt(5e-324), "5e-324");
	assert_string_equal(flt(0.30000000000000004), "0.30000000000000004");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_multi_prints_like_parse_qs),
		cmocka_unit_test(test_query_last_wins_prints_like_dict_parse_qsl),
		cmocka_unit_test(test_query_empty_is_empty_dict),
		cmocka_unit_test(test_query_values_decoded_as_utf8_with_replacement),
		cmocka_unit_test(test_media_type_ignores_case_space_and_parameters),
		cmocka_unit_test(test_json_article_object),
		cmocka_unit_test(test_json_scalars_and_nesting),
		cmocka_unit_test(test_json_duplicate_key_keeps_first_place_last_value),
		cmocka_unit_test(test_json_string_with_nul_and_escapes),
		cmocka_unit_test(test_float_repr_matches_python),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
