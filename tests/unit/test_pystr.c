/* test_pystr.c — unit tests of common/lesson/pystr.c against what Python 3.11 prints for
 * repr(b.decode('utf-8', 'replace')). Every case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pystr.h"

/* repr — pystr_repr of a guarded copy of s[0..len) into a static string. */
static const char *repr(const char *s, size_t len)
{
	static char buf[1024];
	struct guarded g = guard(s, len);
	FILE *f = fmemopen(buf, sizeof buf, "w");

	assert_non_null(f);
	pystr_repr(f, g.s, len);
	fclose(f);
	unguard(&g);
	return buf;
}

#define R(lit) repr(lit, sizeof lit - 1)

static void test_plain_ascii_in_single_quotes(void **state)
{
	(void)state;
	assert_string_equal(R("hello world"), "'hello world'");
	assert_string_equal(R(""), "''");
}

static void test_quote_choice_follows_python(void **state)
{
	(void)state;
	assert_string_equal(R("it's"), "\"it's\"");
	assert_string_equal(R("say \"hi\""), "'say \"hi\"'");
	assert_string_equal(R("it's \"x\""), "'it\\'s \"x\"'");
}

static void test_backslash_and_whitespace_escapes(void **state)
{
	(void)state;
	assert_string_equal(R("a\\b\tc\nd\re"), "'a\\\\b\\tc\\nd\\re'");
}

static void test_controls_and_nul_as_hex(void **state)
{
	(void)state;
	assert_string_equal(repr("\0\x01\x1f\x7f", 4), "'\\x00\\x01\\x1f\\x7f'");
}

static void test_utf8_printed_as_itself(void **state)
{
	(void)state;
	assert_string_equal(R("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	                    "'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80'");
}

static void test_nonprintable_code_points_escaped_like_python(void **state)
{
	(void)state;
	/* U+0085 NEL, U+00A0 NBSP, U+00AD soft hyphen, U+200B, U+2028, U+FEFF, U+E000. */
	assert_string_equal(R("\xc2\x85\xc2\xa0\xc2\xad"), "'\\x85\\xa0\\xad'");
	assert_string_equal(R("\xe2\x80\x8b\xe2\x80\xa8\xef\xbb\xbf\xee\x80\x80"),
	                    "'\\u200b\\u2028\\ufeff\\ue000'");
	assert_string_equal(R("\xf3\xb0\x80\x80"), "'\\U000f0000'");
}

static void test_invalid_bytes_become_replacement_characters(void **state)
{
	(void)state;
	/* b'\xff\xfe'.decode('utf-8', 'replace') == '\ufffd\ufffd' */
	assert_string_equal(R("\xff\xfe"), "'\xef\xbf\xbd\xef\xbf\xbd'");
	/* A truncated sequence is one U+FFFD (its maximal subpart), then what follows. */
	assert_string_equal(R("\xe2\x82x"), "'\xef\xbf\xbdx'");
	/* Overlong, surrogate, too large: each byte that cannot continue is its own. */
	assert_string_equal(R("\xc0\xaf"), "'\xef\xbf\xbd\xef\xbf\xbd'");
	assert_string_equal(R("\xed\xa0\x80"), "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'");
	assert_string_equal(R("\xf4\x90\x80\x80"),
	                    "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'");
}

static void test_sequence_cut_by_len_is_not_overread(void **state)
{
	(void)state;
	/* The guard faults if the decoder looks past the end for continuation bytes. */
	assert_string_equal(repr("\xf0\x9f\x98", 3), "'\xef\xbf\xbd'");
	assert_string_equal(repr("\xc3", 1), "'\xef\xbf\xbd'");
}

static void test_next_advances_by_the_bytes_used(void **state)
{
	(void)state;
	const char s[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x80";
	size_t i = 0;
	assert_int_equal(pystr_next(s, sizeof s - 1, &i), 'a');
	assert_int_equal(i, 1);
	assert_int_equal(pystr_next(s, sizeof s - 1, &i), 0xE9);
	assert_int_equal(i, 3);
	assert_int_equal(pystr_next(s, sizeof s - 1, &i), 0x20AC);
	assert_int_equal(i, 6);
	assert_int_equal(pystr_next(s, sizeof s - 1, &i), 0x1F600);
	assert_int_equal(i, 10);
	assert_int_equal(pystr_next(s, sizeof s - 1, &i), PYSTR_REPLACEMENT);
	assert_int_equal(i, 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ascii_in_single_quotes),
		cmocka_unit_test(test_quote_choice_follows_python),
		cmocka_unit_test(test_backslash_and_whitespace_escapes),
		cmocka_unit_test(test_controls_and_nul_as_hex),
		cmocka_unit_test(test_utf8_printed_as_itself),
		cmocka_unit_test(test_nonprintable_code_points_escaped_like_python),
		cmocka_unit_test(test_invalid_bytes_become_replacement_characters),
		cmocka_unit_test(test_sequence_cut_by_len_is_not_overread),
		cmocka_unit_test(test_next_advances_by_the_bytes_used),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
