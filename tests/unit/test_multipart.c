/* test_multipart.c — unit tests of common/http/multipart.c: the boundary parameter, and the
 * streaming parser fed whole, byte by byte and split at every point, which must all
 * give the same events. Every case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "multipart.h"

/* The events a parse produced, as text: "begin name=… file=… type=…", data, "end". */
struct log {
	char text[65536];
	size_t len;
	int abort_at_data; /* >0: the nth part_data call asks to stop */
	int datas;
};

static void add(struct log *l, const char *s, size_t n)
{
	assert_true(l->len + n < sizeof l->text);
	memcpy(l->text + l->len, s, n);
	l->len += n;
	l->text[l->len] = '\0';
}

static int on_begin(void *ctx, const struct mp_part *part)
{
	char line[1024];
	int n = snprintf(line, sizeof line, "[begin name=%s%s%s type=%s]", part->name,
	                 part->has_filename ? " file=" : "",
	                 part->has_filename ? part->filename : "", part->content_type);
	add(ctx, line, (size_t)n);
	return 0;
}

static int on_data(void *ctx, const char *data, size_t len)
{
	struct log *l = ctx;
	assert_true(len > 0);
	if (l->abort_at_data && ++l->datas == l->abort_at_data)
		return 1;
	add(l, data, len);
	return 0;
}

static int on_end(void *ctx)
{
	add(ctx, "[end]", 5);
	return 0;
}

static const struct mp_callbacks cbs = {on_begin, on_data, on_end};

/* parse_pieces — feeds body in pieces cut at the given points (each piece guarded);
 * returns the last mp_feed result and fills l. */
static int parse_pieces(const char *boundary, const char *body, size_t len, const size_t *cuts,
                        size_t ncuts, struct log *l, struct mp_parser *p)
{
	size_t start = 0;
	int rc = PARSE_INCOMPLETE;

	mp_init(p, boundary, strlen(boundary), &cbs, l);
	for (size_t k = 0; k <= ncuts; k++) {
		size_t end = k < ncuts ? cuts[k] : len;
		struct guarded g = guard(body + start, end - start);
		rc = mp_feed(p, g.s, end - start);
		unguard(&g);
		if (rc != PARSE_INCOMPLETE)
			break;
		start = end;
	}
	return rc;
}

/* check_split_independent — whole, byte by byte, and cut once at every point: the
 * same events and the same outcome. Returns the whole-body log. */
static struct log *check_split_independent(const char *boundary, const char *body, size_t len,
                                           int *rc_out)
{
	static struct log whole, other;
	struct mp_parser p;
	int rc = parse_pieces(boundary, body, len, NULL, 0,
	                      (memset(&whole, 0, sizeof whole), &whole), &p);
	bool done = mp_done(&p);

	for (size_t cut = 0; cut <= len; cut++) {
		memset(&other, 0, sizeof other);
		int rc2 = parse_pieces(boundary, body, len, &cut, 1, &other, &p);
		if (strcmp(whole.text, other.text) != 0 || mp_done(&p) != done ||
		    (rc2 < 0) != (rc < 0) || (rc < 0 && rc2 != rc))
			fail_msg("cut at %zu: \"%s\" (%d) vs whole \"%s\" (%d)", cut, other.text,
			         rc2, whole.text, rc);
	}
	size_t *cuts = malloc(len * sizeof *cuts);
	for (size_t i = 0; i < len; i++)
		cuts[i] = i + 1;
	memset(&other, 0, sizeof other);
	(void)parse_pieces(boundary, body, len, cuts, len ? len - 1 : 0, &other, &p);
	free(cuts);
	assert_string_equal(other.text, whole.text);
	assert_int_equal(mp_done(&p), done);
	*rc_out = rc;
	return &whole;
}

#define B "0cfc2d1479f926612dde676e228fc12c"
#define ARTICLE_BODY                                                                     \
	"--" B "\r\nContent-Disposition: form-data; name=\"image_data\"; "                 \
	"filename=\"python_logo.png\"\r\nContent-Type: image/png\r\n\r\n"                  \
	"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"                                               \
	"\r\n--" B "\r\nContent-Disposition: form-data; name=\"field1\"\r\n\r\nvalue1"      \
	"\r\n--" B "\r\nContent-Disposition: form-data; name=\"field2\"\r\n\r\nvalue2"      \
	"\r\n--" B "--\r\n"

static void test_article_body_gives_three_parts_at_any_split(void **state)
{
	(void)state;
	int rc;
	const char body[] = ARTICLE_BODY;
	struct log *l = check_split_independent(B, body, sizeof body - 1, &rc);
	const char want[] = "[begin name=image_data file=python_logo.png type=image/png]"
	                    "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR[end]"
	                    "[begin name=field1 type=]value1[end]"
	                    "[begin name=field2 type=]value2[end]";
	assert_int_equal(l->len, sizeof want - 1);
	assert_memory_equal(l->text, want, sizeof want - 1);
	assert_int_equal(rc, (int)(sizeof body - 1 - 2)); /* the final CR LF is epilogue */
}

static void test_near_delimiters_in_content_are_content(void **state)
{
	(void)state;
	int rc;
	const char body[] =
	        "--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n"
	        "\r\n--xy\r\r\n-\r\n--xyZ\r\n--x--xyz\r\n"
	        "\r\n--xyz--";
	struct log *l = check_split_independent("xyz", body, sizeof body - 1, &rc);
	assert_string_equal(
	        l->text,
	        "[begin name=f file=a type=]\r\n--xy\r\r\n-\r\n--xyZ\r\n--x--xyz\r\n[end]");
	assert_int_equal(rc, (int)(sizeof body - 1));
}

static void test_preamble_and_epilogue_are_ignored(void **state)
{
	(void)state;
	int rc;
	const char body[] =
	        "This is the preamble.\r\n--b\r\nContent-Disposition: form-data; name=a\r\n"
	        "\r\n1\r\n--b--\r\nThis is the epilogue, --b\r\n with a boundary in it.";
	struct log *l = check_split_independent("b", body, sizeof body - 1, &rc);
	assert_string_equal(l->text, "[begin name=a type=]1[end]");
	assert_true(rc > 0);
}

static void test_empty_file_and_transport_padding(void **state)
{
	(void)state;
	int rc;
	const char body[] =
	        "--b \t\r\nContent-Disposition: form-data; name=\"up\"; filename=\"\"\r\n"
	        "Content-Type: application/octet-stream\r\n\r\n\r\n--b--";
	struct log *l = check_split_independent("b", body, sizeof body - 1, &rc);
	assert_string_equal(l->text, "[begin name=up file= type=application/octet-stream][end]");
}

static void test_body_that_never_closes_is_not_done(void **state)
{
	(void)state;
	int rc;
	const char body[] =
	        "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n"
	        "partial data\r\n--";
	struct log *l = check_split_independent("b", body, sizeof body - 1, &rc);
	assert_int_equal(rc, PARSE_INCOMPLETE);
	/* The held-back "\r\n--" is not given out: it may be the start of the delimiter. */
	assert_string_equal(l->text, "[begin name=f file=x type=]partial data");
	struct mp_parser p;
	struct log l2 = {0};
	parse_pieces("b", body, sizeof body - 1, NULL, 0, &l2, &p);
	assert_false(mp_done(&p));
}

static void test_body_with_no_delimiter_at_all(void **state)
{
	(void)state;
	int rc;
	const char body[] = "var1=test&var2=test2";
	struct log *l = check_split_independent("b", body, sizeof body - 1, &rc);
	assert_int_equal(rc, PARSE_INCOMPLETE);
	assert_string_equal(l->text, "");
}

#define expect_bad(boundary, body) expect_bad_len((boundary), (body), sizeof(body) - 1)

static void expect_bad_len(const char *boundary, const char *body, size_t len)
{
	int rc;
	struct mp_parser p;
	struct log l = {0};
	(void)check_split_independent(boundary, body, len, &rc);
	assert_int_equal(rc, PARSE_BAD);
	assert_int_equal(parse_pieces(boundary, body, len, NULL, 0, &l, &p), PARSE_BAD);
	assert_non_null(p.error);
	assert_int_equal(p.status, HTTP_BAD_REQUEST);
	/* Once bad, always bad. */
	assert_int_equal(mp_feed(&p, "x", 1), PARSE_BAD);
}

static void test_malformed_parts_are_bad(void **state)
{
	(void)state;
	expect_bad("b", "--b\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--b--");
	expect_bad("b", "--b\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--b--");
	expect_bad("b", "--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--");
	expect_bad("b", "--bX\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--");
	expect_bad("b", "--b\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--");
	expect_bad("b", "--b\r\nContent-Disposition: form-data; name=a\n\r\n\r\nx\r\n--b--");
	expect_bad("b", "--b\r\nContent-Disposition : form-data; name=a\r\n\r\nx\r\n--b--");
	expect_bad("b", "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--");
	expect_bad("b", "--b\r\nNo colon here\r\n\r\nx\r\n--b--");
	expect_bad("b", "--b\r\nContent-Disposition: form-data; name=a\r\n"
	                "Content-Disposition: form-data; name=b\r\n\r\nx\r\n--b--");
	expect_bad("b", "--b\r\nContent-Disposition: form-data; name=a\r\nX: \0\r\n\r\n");
	expect_bad("b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b-x");
}

static void test_filename_keeps_backslashes_and_paths(void **state)
{
	(void)state;
	int rc;
	const char body[] =
	        "--b\r\ncontent-disposition: FORM-DATA; filename=\"C:\\tmp\\..\\a.png\"; "
	        "name=\"up\"; filename=\"second\"\r\n\r\nx\r\n--b--";
	struct log *l = check_split_independent("b", body, sizeof body - 1, &rc);
	assert_string_equal(l->text, "[begin name=up file=C:\\tmp\\..\\a.png type=]x[end]");
}

static void test_headers_over_the_limit_are_bad(void **state)
{
	(void)state;
	size_t n = LIMIT_MULTIPART_HEADER + 100;
	char *body = malloc(n + 128);
	int len = snprintf(body, 64, "--b\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	memset(body + len, 'p', n);
	memcpy(body + len + n, "\r\n\r\nx\r\n--b--", 13);
	struct mp_parser p;
	struct log l = {0};
	assert_int_equal(parse_pieces("b", body, (size_t)len + n + 12, NULL, 0, &l, &p), PARSE_BAD);
	free(body);
}

static void test_too_many_parts_are_bad(void **state)
{
	(void)state;
	static char body[LIMIT_MULTIPART_PARTS * 64 + 64];
	size_t len = 0;
	for (int i = 0; i <= LIMIT_MULTIPART_PARTS; i++)
		len += (size_t)sprintf(
		        body + len, "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n");
	len += (size_t)sprintf(body + len, "--b--");
	struct mp_parser p;
	struct log l = {0};
	assert_int_equal(parse_pieces("b", body, len, NULL, 0, &l, &p), PARSE_BAD);
}

static void test_a_callback_can_stop_the_parse(void **state)
{
	(void)state;
	const char body[] = ARTICLE_BODY;
	struct mp_parser p;
	struct log l = {0};
	l.abort_at_data = 1;
	assert_int_equal(parse_pieces(B, body, sizeof body - 1, NULL, 0, &l, &p), PARSE_STOPPED);
}

static void test_done_parser_consumes_nothing_more(void **state)
{
	(void)state;
	const char body[] = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--";
	struct mp_parser p;
	struct log l = {0};
	assert_int_equal(parse_pieces("b", body, sizeof body - 1, NULL, 0, &l, &p),
	                 (int)sizeof body - 1);
	assert_true(mp_done(&p));
	assert_int_equal(mp_feed(&p, "--b\r\n", 5), 0);
	assert_string_equal(l.text, "[begin name=a type=]1[end]");
}

static void test_boundary_parameter(void **state)
{
	(void)state;
	char b[LIMIT_MULTIPART_BOUNDARY + 1];
	assert_int_equal(mp_boundary("multipart/form-data; boundary=" B, b), 32);
	assert_string_equal(b, B);
	assert_int_equal(mp_boundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\"", b),
	                 5);
	assert_string_equal(b, "a b:c");
	/* '"' not a bchar */
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"q\\\"x\"", b), -1);
	assert_int_equal(mp_boundary("multipart/form-data", b), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=", b), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"ends in space \"", b), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"unterminated", b), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=a\rb", b), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary="
	                             "12345678901234567890123456789012345678901234567890"
	                             "123456789012345678901", b), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary="
	                             "12345678901234567890123456789012345678901234567890"
	                             "12345678901234567890", b), 70);
	assert_int_equal(mp_boundary("multipart/mixed; boundary=x", b), 0);
	assert_int_equal(mp_boundary("multipart/form-datax; boundary=x", b), 0);
	assert_int_equal(mp_boundary("application/x-www-form-urlencoded", b), 0);
	assert_int_equal(mp_boundary(NULL, b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_article_body_gives_three_parts_at_any_split),
		cmocka_unit_test(test_near_delimiters_in_content_are_content),
		cmocka_unit_test(test_preamble_and_epilogue_are_ignored),
		cmocka_unit_test(test_empty_file_and_transport_padding),
		cmocka_unit_test(test_body_that_never_closes_is_not_done),
		cmocka_unit_test(test_body_with_no_delimiter_at_all),
		cmocka_unit_test(test_malformed_parts_are_bad),
		cmocka_unit_test(test_filename_keeps_backslashes_and_paths),
		cmocka_unit_test(test_headers_over_the_limit_are_bad),
		cmocka_unit_test(test_too_many_parts_are_bad),
		cmocka_unit_test(test_a_callback_can_stop_the_parse),
		cmocka_unit_test(test_done_parser_consumes_nothing_more),
		cmocka_unit_test(test_boundary_parameter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
