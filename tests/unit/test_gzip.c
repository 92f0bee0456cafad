/* test_gzip — gzip round trips, the inflate limit, and Accept-Encoding decisions
 * (which also exercise http_qlist_next). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "http.h"

static void test_round_trip_keeps_every_byte(void **state)
{
	(void)state;
	unsigned char in[5000], *z, *back;
	size_t zlen, blen;
	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (unsigned char)(i * 7 + i / 13);
	assert_int_equal(gz_compress(in, sizeof in, &z, &zlen), 0);
	assert_true(zlen > 18);
	assert_int_equal(z[0], 0x1f); /* the gzip magic, RFC 1952 §2.3.1 */
	assert_int_equal(z[1], 0x8b);
	assert_int_equal(gz_decompress(z, zlen, sizeof in, &back, &blen), 0);
	assert_int_equal(blen, sizeof in);
	assert_memory_equal(back, in, sizeof in);
	assert_int_equal(back[blen], 0); /* NUL after the data, for text bodies */
	free(z);
	free(back);
}

static void test_empty_body_round_trips(void **state)
{
	(void)state;
	unsigned char *z, *back;
	size_t zlen, blen;
	assert_int_equal(gz_compress("", 0, &z, &zlen), 0);
	assert_int_equal(gz_decompress(z, zlen, 10, &back, &blen), 0);
	assert_int_equal(blen, 0);
	free(z);
	free(back);
}

static void test_inflating_past_max_is_refused(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	unsigned char *zeros = calloc(1, n), *z, *back = (unsigned char *)"x";
	size_t zlen, blen = 7;
	assert_int_equal(gz_compress(zeros, n, &z, &zlen), 0);
	assert_true(zlen < 2000); /* a small body that inflates a thousandfold */
	assert_int_equal(gz_decompress(z, zlen, n - 1, &back, &blen), -2);
	assert_null(back);
	assert_int_equal(blen, 0);
	assert_int_equal(gz_decompress(z, zlen, n, &back, &blen), 0);
	assert_int_equal(blen, n);
	free(back);
	free(zeros);
	free(z);
}

static void test_truncated_or_corrupt_data_is_refused(void **state)
{
	(void)state;
	unsigned char *z, *back;
	size_t zlen, blen;
	assert_int_equal(gz_compress("Hello localhost\n", 16, &z, &zlen), 0);
	assert_int_equal(gz_decompress(z, zlen - 4, 100, &back, &blen), -1); /* no ISIZE */
	z[zlen - 6] ^= 0xff; /* the CRC no longer matches */
	assert_int_equal(gz_decompress(z, zlen, 100, &back, &blen), -1);
	assert_int_equal(gz_decompress("plain text", 10, 100, &back, &blen), -1);
	free(z);
}

static void test_accepted_when_gzip_is_named(void **state)
{
	(void)state;
	assert_true(gz_accepted("gzip, deflate"));   /* python-requests */
	assert_true(gz_accepted("deflate, gzip, br, zstd"));
	assert_true(gz_accepted("GZIP"));
	assert_true(gz_accepted("x-gzip"));
	assert_true(gz_accepted("gzip;q=0.001"));
	assert_true(gz_accepted(" gzip ; q=1.0 "));
}

static void test_not_accepted_without_header_or_with_q_zero(void **state)
{
	(void)state;
	assert_false(gz_accepted(NULL));
	assert_false(gz_accepted(""));
	assert_false(gz_accepted("identity"));
	assert_false(gz_accepted("deflate, br"));
	assert_false(gz_accepted("gzip;q=0"));
	assert_false(gz_accepted("gzip;q=0.000"));
	assert_false(gz_accepted("gzipped"));
}

static void test_star_counts_only_when_gzip_is_not_named(void **state)
{
	(void)state;
	assert_true(gz_accepted("*"));
	assert_true(gz_accepted("identity;q=1, *;q=0.5"));
	assert_false(gz_accepted("*;q=0"));
	assert_false(gz_accepted("gzip;q=0, *"));  /* named outright: gzip refused */
	assert_true(gz_accepted("gzip;q=0.5, *;q=0"));
}

static void test_malformed_q_is_not_acceptable(void **state)
{
	(void)state;
	assert_false(gz_accepted("gzip;q=2"));
	assert_false(gz_accepted("gzip;q=abc"));
	assert_false(gz_accepted("gzip;q=0.0001"));
	assert_false(gz_accepted("gzip;q="));
}

static void test_qlist_walks_items_weights_and_parameters(void **state)
{
	(void)state;
	const char *cursor = "text/html;level=1;q=0.7 , ,*/*;q=0.1,application/json";
	char item[32];
	int q;
	assert_true(http_qlist_next(&cursor, item, sizeof item, &q));
	assert_string_equal(item, "text/html");
	assert_int_equal(q, 700);
	assert_true(http_qlist_next(&cursor, item, sizeof item, &q));
	assert_string_equal(item, "*/*");
	assert_int_equal(q, 100);
	assert_true(http_qlist_next(&cursor, item, sizeof item, &q));
	assert_string_equal(item, "application/json");
	assert_int_equal(q, 1000);
	assert_false(http_qlist_next(&cursor, item, sizeof item, &q));
}

static void test_qlist_skips_items_too_long_for_the_buffer(void **state)
{
	(void)state;
	const char *cursor = "averyveryverylongcoding, gzip;q=0.5";
	char item[8];
	int q;
	assert_true(http_qlist_next(&cursor, item, sizeof item, &q));
	assert_string_equal(item, "gzip");
	assert_int_equal(q, 500);
	assert_false(http_qlist_next(&cursor, item, sizeof item, &q));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_keeps_every_byte),
		cmocka_unit_test(test_empty_body_round_trips),
		cmocka_unit_test(test_inflating_past_max_is_refused),
		cmocka_unit_test(test_truncated_or_corrupt_data_is_refused),
		cmocka_unit_test(test_accepted_when_gzip_is_named),
		cmocka_unit_test(test_not_accepted_without_header_or_with_q_zero),
		cmocka_unit_test(test_star_counts_only_when_gzip_is_not_named),
		cmocka_unit_test(test_malformed_q_is_not_acceptable),
		cmocka_unit_test(test_qlist_walks_items_weights_and_parameters),
		cmocka_unit_test(test_qlist_skips_items_too_long_for_the_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
