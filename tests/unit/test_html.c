/* test_html.c — unit tests of common/http/html.c against Python's html.escape(s, quote=True).
 * Every case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guard.h"

#include <stdlib.h>
#include <string.h>

#include "html.h"

/* escape — html_escape of a guarded copy of s into a fresh string, checking that the
 * length asked for with cap 0 is the length written. */
static char *escape(const char *s, size_t len)
{
	struct guarded g = guard(s, len);
	size_t need = html_escape(g.s, len, NULL, 0);
	char *out = malloc(need + 1);

	assert_non_null(out);
	assert_int_equal(html_escape(g.s, len, out, need + 1), need);
	unguard(&g);
	return out;
}

static void test_escapes_the_five_characters_like_python(void **state)
{
	(void)state;
	char *out = escape("<a href=\"x\">Tom & Jerry's</a>", 29);
	assert_string_equal(out, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#x27;s&lt;/a&gt;");
	free(out);
}

static void test_plain_text_is_unchanged(void **state)
{
	(void)state;
	char *out = escape("Old Website", 11);
	assert_string_equal(out, "Old Website");
	free(out);
}

static void test_empty_input_gives_empty_string(void **state)
{
	(void)state;
	char out[4] = "xyz";
	assert_int_equal(html_escape(NULL, 0, out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void test_utf8_and_nul_bytes_are_copied(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(html_escape("caf\xc3\xa9\0<", 7, out, sizeof out), 10);
	assert_memory_equal(out, "caf\xc3\xa9\0&lt;", 11);
}

static void test_an_escaped_entity_is_escaped_again(void **state)
{
	(void)state;
	char *out = escape("&amp;", 5);
	assert_string_equal(out, "&amp;amp;");
	free(out);
}

static void test_truncation_never_cuts_an_entity(void **state)
{
	(void)state;
	char out[8];
	/* "ab&lt;cd": the entity would end at byte 7, so with room for 7 bytes + NUL it
	 * fits; with cap 6 the result stops before it, and nothing shorter follows it. */
	assert_int_equal(html_escape("ab<cd", 5, out, sizeof out), 8);
	assert_string_equal(out, "ab&lt;c");
	assert_int_equal(html_escape("ab<cd", 5, out, 6), 8);
	assert_string_equal(out, "ab");
}

static void test_cap_one_gives_empty_string(void **state)
{
	(void)state;
	char out[1] = {'x'};
	assert_int_equal(html_escape("<", 1, out, 1), 4);
	assert_int_equal(out[0], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_the_five_characters_like_python),
		cmocka_unit_test(test_plain_text_is_unchanged),
		cmocka_unit_test(test_empty_input_gives_empty_string),
		cmocka_unit_test(test_utf8_and_nul_bytes_are_copied),
		cmocka_unit_test(test_an_escaped_entity_is_escaped_again),
		cmocka_unit_test(test_truncation_never_cuts_an_entity),
		cmocka_unit_test(test_cap_one_gives_empty_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
