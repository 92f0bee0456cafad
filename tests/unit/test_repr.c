/* test_repr.c — unit tests of common/lesson/repr.c: repr_bytes, repr_latin1 and
 * repr_headers print exactly what Python 3 prints for repr() of the same bytes, of the
 * same bytes decoded as ISO-8859-1 (the way http.client decodes header fields), and of a
 * dict of header fields. Each expected string below was
 * printed by /usr/bin/python3; the comment above each case is the Python expression. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repr.h"

/* ---- helpers ---------------------------------------------------------------------- */

/* printed — what fn printed for buf[0..len), as a NUL-terminated string (caller frees). */
static char *printed(void (*fn)(FILE *, const void *, size_t), const void *buf, size_t len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	assert_non_null(f);
	fn(f, buf, len);
	assert_int_equal(fclose(f), 0);
	assert_non_null(text);
	assert_int_equal(strlen(text), size); /* no NUL was printed */
	return text;
}

static void bytes_fn(FILE *f, const void *buf, size_t len)
{
	repr_bytes(f, buf, len);
}

static void latin1_fn(FILE *f, const void *buf, size_t len)
{
	repr_latin1(f, buf, len);
}

/* expect_bytes / expect_latin1 (in, len, want) — repr of in[0..len) is exactly want.
 * Variadic so that S("literal") can stand for (in, len). */
#define expect_bytes(...) expect_repr(bytes_fn, __VA_ARGS__)
#define expect_latin1(...) expect_repr(latin1_fn, __VA_ARGS__)

static void expect_repr(void (*fn)(FILE *, const void *, size_t), const void *in, size_t len,
                        const char *want)
{
	static char copy[4096];
	char *got = printed(fn, in, len);
	size_t n = strlen(got);
	if (n >= sizeof copy)
		n = sizeof copy - 1; /* then it cannot equal want: the assertion says so */
	memcpy(copy, got, n);
	copy[n] = '\0';
	free(got); /* before asserting, so that a failure does not leak it */
	assert_string_equal(copy, want);
}

#define S(lit) (lit), (sizeof(lit) - 1)

/* Python 3: repr(bytes(range(256))) */
static const char ALL_BYTES_REPR[] =
	"b'"
	"\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f"
	"\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f"
	" !\"#$%&\\'()*+,-./"
	"0123456789:;<=>?"
	"@ABCDEFGHIJKLMNO"
	"PQRSTUVWXYZ[\\\\]^_"
	"`abcdefghijklmno"
	"pqrstuvwxyz{|}~\\x7f"
	"\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f"
	"\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f"
	"\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf"
	"\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf"
	"\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd\\xce\\xcf"
	"\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\xdb\\xdc\\xdd\\xde\\xdf"
	"\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef"
	"\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff'";
/* Python 3: repr(bytes(range(256)).decode('latin-1')), as UTF-8 */
static const char ALL_LATIN1_REPR[] =
	"'"
	"\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f"
	"\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f"
	" !\"#$%&\\'()*+,-./"
	"0123456789:;<=>?"
	"@ABCDEFGHIJKLMNO"
	"PQRSTUVWXYZ[\\\\]^_"
	"`abcdefghijklmno"
	"pqrstuvwxyz{|}~\\x7f"
	"\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f"
	"\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f"
	"\\xa0\302\241\302\242\302\243\302\244\302\245\302\246\302\247"
	"\302\250\302\251\302\252\302\253\302\254\\xad\302\256\302\257"
	"\302\260\302\261\302\262\302\263\302\264\302\265\302\266\302\267"
	"\302\270\302\271\302\272\302\273\302\274\302\275\302\276\302\277"
	"\303\200\303\201\303\202\303\203\303\204\303\205\303\206\303\207"
	"\303\210\303\211\303\212\303\213\303\214\303\215\303\216\303\217"
	"\303\220\303\221\303\222\303\223\303\224\303\225\303\226\303\227"
	"\303\230\303\231\303\232\303\233\303\234\303\235\303\236\303\237"
	"\303\240\303\241\303\242\303\243\303\244\303\245\303\246\303\247"
	"\303\250\303\251\303\252\303\253\303\254\303\255\303\256\303\257"
	"\303\260\303\261\303\262\303\263\303\264\303\265\303\266\303\267"
	"\303\270\303\271\303\272\303\273\303\274\303\275\303\276\303\277'";


/* ---- repr_bytes ------------------------------------------------------------------- */

static void test_bytes_request_line_shows_crlf_escapes(void **state)
{
	(void)state;
	/* b'GET / HTTP/1.1\r\n' */
	expect_bytes(S("GET / HTTP/1.1\r\n"), "b'GET / HTTP/1.1\\r\\n'");
}

static void test_bytes_empty(void **state)
{
	(void)state;
	/* b'' */
	expect_bytes("", 0, "b''");
}

static void test_bytes_single_quote_only_switches_to_double_quotes(void **state)
{
	(void)state;
	/* b"it's" */
	expect_bytes(S("it's"), "b\"it's\"");
}

static void test_bytes_double_quote_only_keeps_single_quotes(void **state)
{
	(void)state;
	/* b'say "hi"' */
	expect_bytes(S("say \"hi\""), "b'say \"hi\"'");
}

static void test_bytes_both_quotes_escapes_the_single_quote(void **state)
{
	(void)state;
	/* b'both \' and "' */
	expect_bytes(S("both ' and \""), "b'both \\' and \"'");
}

static void test_bytes_backslash_is_doubled(void **state)
{
	(void)state;
	/* b'back\\slash' */
	expect_bytes(S("back\\slash"), "b'back\\\\slash'");
}

static void test_bytes_nul_del_and_ff_as_hex(void **state)
{
	(void)state;
	/* b'\x00', b'\x7f', b'\xff', b'a\x00b' */
	expect_bytes(S("\0"), "b'\\x00'");
	expect_bytes(S("\x7f"), "b'\\x7f'");
	expect_bytes(S("\xff"), "b'\\xff'");
	expect_bytes(S("a\0b"), "b'a\\x00b'");
}

static void test_bytes_tab_and_other_controls(void **state)
{
	(void)state;
	/* b'\t\x0b\x0c\x1b' */
	expect_bytes(S("\t\x0b\x0c\x1b"), "b'\\t\\x0b\\x0c\\x1b'");
}

static void test_bytes_high_bytes_as_lowercase_hex(void **state)
{
	(void)state;
	/* b'\x80\xa0\xe9' */
	expect_bytes(S("\x80\xa0\xe9"), "b'\\x80\\xa0\\xe9'");
	/* 'café'.encode(): b'caf\xc3\xa9' */
	expect_bytes(S("caf\xc3\xa9"), "b'caf\\xc3\\xa9'");
}

static void test_bytes_every_byte_value_like_python(void **state)
{
	(void)state;
	unsigned char all[256];
	for (size_t i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)i;
	expect_bytes(all, sizeof all, ALL_BYTES_REPR);
}

static void test_bytes_reads_only_len_bytes(void **state)
{
	(void)state;
	/* b'ab' from "abcd" cut at 2, and the quote choice sees only those bytes: b'a' */
	expect_bytes("abcd", 2, "b'ab'");
	expect_bytes("a'", 1, "b'a'");
}

/* ---- repr_latin1 ------------------------------------------------------------------ */

static void test_latin1_plain_text(void **state)
{
	(void)state;
	/* 'localhost' */
	expect_latin1(S("localhost"), "'localhost'");
	/* '' */
	expect_latin1("", 0, "''");
}

static void test_latin1_e_acute_printed_as_utf8(void **state)
{
	(void)state;
	/* b'\xe9'.decode('latin-1') → 'é'; b'caf\xe9'.decode('latin-1') → 'café' */
	expect_latin1(S("\xe9"), "'\xc3\xa9'");
	expect_latin1(S("caf\xe9"), "'caf\xc3\xa9'");
}

static void test_latin1_first_and_last_printable_as_utf8(void **state)
{
	(void)state;
	/* '¡' (U+00A1) and 'ÿ' (U+00FF) */
	expect_latin1(S("\xa1"), "'\xc2\xa1'");
	expect_latin1(S("\xff"), "'\xc3\xbf'");
}

static void test_latin1_no_break_space_as_hex(void **state)
{
	(void)state;
	/* '\xa0' */
	expect_latin1(S("\xa0"), "'\\xa0'");
}

static void test_latin1_soft_hyphen_as_hex(void **state)
{
	(void)state;
	/* '\xad' — U+00AD SOFT HYPHEN is a format character: not printable to Python */
	expect_latin1(S("\xad"), "'\\xad'");
}

static void test_latin1_c1_controls_as_hex(void **state)
{
	(void)state;
	/* '\x80\x85\x9f' */
	expect_latin1(S("\x80\x85\x9f"), "'\\x80\\x85\\x9f'");
}

static void test_latin1_nul_and_del_as_hex(void **state)
{
	(void)state;
	/* '\x00\x7f', '\t\r\n' */
	expect_latin1(S("\0\x7f"), "'\\x00\\x7f'");
	expect_latin1(S("\t\r\n"), "'\\t\\r\\n'");
}

static void test_latin1_quote_choice_like_python(void **state)
{
	(void)state;
	/* "it's" */
	expect_latin1(S("it's"), "\"it's\"");
	/* '"q"' */
	expect_latin1(S("\"q\""), "'\"q\"'");
	/* 'both \' "' */
	expect_latin1(S("both ' \""), "'both \\' \"'");
}

static void test_latin1_backslash_is_doubled(void **state)
{
	(void)state;
	/* '\\' */
	expect_latin1(S("\\"), "'\\\\'");
}

static void test_latin1_every_byte_value_like_python(void **state)
{
	(void)state;
	unsigned char all[256];
	for (size_t i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)i;
	expect_latin1(all, sizeof all, ALL_LATIN1_REPR);
}

/* ---- the headers as a dict -------------------------------------------------------- */

static void test_headers_like_python_dict(void **state)
{
	(void)state;
	static struct http_head head; /* large: kept off the stack */
	char *text = NULL;
	size_t size = 0;
	/* Two Hosts would be a 400: a repeated X-A shows what dict() does with a name twice. */
	const char *in = "GET / HTTP/1.0\r\nX-A: localhost\r\nAccept: */*\r\nX-A: b\r\n"
	                 "X-Q: it's caf\xe9\r\n\r\n";
	assert_int_equal(http_parse_request(in, strlen(in), &head), (int)strlen(in));
	FILE *f = open_memstream(&text, &size);
	assert_non_null(f);
	repr_headers(f, &head);
	assert_int_equal(fclose(f), 0);
	/* print(dict([('X-A', 'localhost'), ('Accept', '*' '/' '*'), ('X-A', 'b'),
	 *             ('X-Q', "it's caf\xe9")])) */
	assert_string_equal(text, "{'X-A': 'b', 'Accept': '*/*', 'X-Q': \"it's caf\xc3\xa9\"}\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_request_line_shows_crlf_escapes),
		cmocka_unit_test(test_bytes_empty),
		cmocka_unit_test(test_bytes_single_quote_only_switches_to_double_quotes),
		cmocka_unit_test(test_bytes_double_quote_only_keeps_single_quotes),
		cmocka_unit_test(test_bytes_both_quotes_escapes_the_single_quote),
		cmocka_unit_test(test_bytes_backslash_is_doubled),
		cmocka_unit_test(test_bytes_nul_del_and_ff_as_hex),
		cmocka_unit_test(test_bytes_tab_and_other_controls),
		cmocka_unit_test(test_bytes_high_bytes_as_lowercase_hex),
		cmocka_unit_test(test_bytes_every_byte_value_like_python),
		cmocka_unit_test(test_bytes_reads_only_len_bytes),
		cmocka_unit_test(test_latin1_plain_text),
		cmocka_unit_test(test_latin1_e_acute_printed_as_utf8),
		cmocka_unit_test(test_latin1_first_and_last_printable_as_utf8),
		cmocka_unit_test(test_latin1_no_break_space_as_hex),
		cmocka_unit_test(test_latin1_soft_hyphen_as_hex),
		cmocka_unit_test(test_latin1_c1_controls_as_hex),
		cmocka_unit_test(test_latin1_nul_and_del_as_hex),
		cmocka_unit_test(test_latin1_quote_choice_like_python),
		cmocka_unit_test(test_latin1_backslash_is_doubled),
		cmocka_unit_test(test_latin1_every_byte_value_like_python),
		cmocka_unit_test(test_headers_like_python_dict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
