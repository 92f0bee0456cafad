/* test_date.c — unit tests of common/http/date.c: HTTP dates (RFC 9110 §5.6.7) and the
 * access log's timestamp. Every case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guard.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "date.h"

/* RFC 9110 §5.6.7's example instant: Sun, 06 Nov 1994 08:49:37 GMT. */
#define RFC_EXAMPLE_T ((time_t)784111777)

/* ---- helpers ---------------------------------------------------------------------- */

/* parse — date_parse_http on a guarded copy of the NUL-terminated s. */
static int parse(const char *s, time_t *t)
{
	struct guarded g = guard(s, strlen(s));
	int rc = date_parse_http(g.s, strlen(s), t);
	unguard(&g);
	return rc;
}

/* expect_reject — s must be refused and *t left as it was. */
static void expect_reject(const char *s)
{
	time_t t = 12345;
	if (parse(s, &t) != -1)
		fail_msg("accepted \"%s\"", s);
	assert_int_equal(t, 12345);
}

static time_t utc(int year, int mon, int day, int h, int mi, int s)
{
	struct tm tm = { 0 };
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

/* rfc850_new_year — "Monday, 01-Jan-YY 12:00:00 GMT" for the two digits yy. */
static void rfc850_new_year(int yy, char *out, size_t cap)
{
	static const char digits[] = "0123456789";
	static const char form[] = "Monday, 01-Jan-?? 12:00:00 GMT";
	assert_true(sizeof form <= cap);
	memcpy(out, form, sizeof form);
	out[15] = digits[yy / 10];
	out[16] = digits[yy % 10];
}

/* A link seam: date.c asks time() for "now" to place RFC 850's two-digit years. This
 * definition takes the place of libc's in this test binary, so those cases can pin the
 * clock to any year; fake_now -1 means the real clock. Only the tests change it. */
static time_t fake_now = -1;

time_t time(time_t *out)
{
	time_t now = fake_now;
	if (now == -1) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		now = ts.tv_sec;
	}
	if (out)
		*out = now;
	return now;
}

static void set_clock_year(int year)
{
	fake_now = utc(year, 6, 1, 12, 0, 0);
}

static int reset_clock(void **state)
{
	(void)state;
	fake_now = -1;
	return 0;
}

static int current_utc_year(void)
{
	struct tm tm;
	time_t now = time(NULL);
	assert_non_null(gmtime_r(&now, &tm));
	return tm.tm_year + 1900;
}

/* parse_rfc850_new_year — parses "Monday, 01-Jan-YY 12:00:00 GMT" for yy and expects
 * noon of 1 January of year. */
static void parse_rfc850_new_year(int yy, int year)
{
	char s[64];
	time_t t = 0;
	rfc850_new_year(yy, s, sizeof s);
	if (parse(s, &t) != 0)
		fail_msg("refused \"%s\"", s);
	assert_int_equal(t, utc(year, 1, 1, 12, 0, 0));
}

/* ---- date_format_http ------------------------------------------------------------- */

static void test_format_rfc_example(void **state)
{
	(void)state;
	char out[DATE_HTTP_LEN + 1];
	date_format_http(RFC_EXAMPLE_T, out);
	assert_string_equal(out, "Sun, 06 Nov 1994 08:49:37 GMT");
}

static void test_format_epoch(void **state)
{
	(void)state;
	char out[DATE_HTTP_LEN + 1];
	date_format_http(0, out);
	assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 GMT");
}

static void test_format_second_before_epoch(void **state)
{
	(void)state;
	char out[DATE_HTTP_LEN + 1];
	date_format_http(-1, out);
	assert_string_equal(out, "Wed, 31 Dec 1969 23:59:59 GMT");
}

static void test_format_weekday_long_before_epoch(void **state)
{
	(void)state;
	char out[DATE_HTTP_LEN + 1];
	date_format_http((time_t)-2208988800, out);
	assert_string_equal(out, "Mon, 01 Jan 1900 00:00:00 GMT");
}

static void test_format_leap_day(void **state)
{
	(void)state;
	char out[DATE_HTTP_LEN + 1];
	date_format_http(951782400, out); /* 2000-02-29: 2000 is a leap year though a century */
	assert_string_equal(out, "Tue, 29 Feb 2000 00:00:00 GMT");
	date_format_http(951868800, out); /* the next day */
	assert_string_equal(out, "Wed, 01 Mar 2000 00:00:00 GMT");
}

static void test_format_writes_exactly_len_plus_nul(void **state)
{
	(void)state;
	char out[DATE_HTTP_LEN + 2];
	memset(out, 'x', sizeof out);
	date_format_http(RFC_EXAMPLE_T, out);
	assert_int_equal(strlen(out), DATE_HTTP_LEN);
	assert_int_equal(out[DATE_HTTP_LEN + 1], 'x');
}

static void test_format_clamps_years_beyond_9999(void **state)
{
	(void)state;
	char out[DATE_HTTP_LEN + 1];
	if (sizeof(time_t) < 8)
		skip();
	date_format_http((time_t)INT64_C(253402300799), out);
	assert_string_equal(out, "Fri, 31 Dec 9999 23:59:59 GMT");
	date_format_http((time_t)INT64_C(253402300800), out);
	assert_string_equal(out, "Fri, 31 Dec 9999 23:59:59 GMT");
	date_format_http((time_t)INT64_MAX, out);
	assert_string_equal(out, "Fri, 31 Dec 9999 23:59:59 GMT");
}

static void test_format_clamps_years_before_0(void **state)
{
	(void)state;
	char out[DATE_HTTP_LEN + 1];
	if (sizeof(time_t) < 8)
		skip();
	date_format_http((time_t)INT64_C(-62167219200), out); /* proleptic Gregorian */
	assert_string_equal(out, "Sat, 01 Jan 0000 00:00:00 GMT");
	date_format_http((time_t)INT64_MIN, out);
	assert_string_equal(out, "Sat, 01 Jan 0000 00:00:00 GMT");
}

/* ---- date_parse_http: the three forms --------------------------------------------- */

static void test_parse_imf_fixdate_rfc_example(void **state)
{
	(void)state;
	time_t t = 0;
	assert_int_equal(parse("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
	assert_int_equal(t, RFC_EXAMPLE_T);
}

static void test_parse_rfc850_rfc_example(void **state)
{
	(void)state;
	time_t t = 0;
	set_clock_year(2026);
	assert_int_equal(parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
	assert_int_equal(t, RFC_EXAMPLE_T); /* 2094 is 68 years ahead: the past's 1994 */
}

static void test_parse_asctime_rfc_example(void **state)
{
	(void)state;
	time_t t = 0;
	assert_int_equal(parse("Sun Nov  6 08:49:37 1994", &t), 0);
	assert_int_equal(t, RFC_EXAMPLE_T);
}

static void test_parse_asctime_two_digit_day(void **state)
{
	(void)state;
	time_t t = 0;
	assert_int_equal(parse("Wed Nov 16 08:49:37 1994", &t), 0);
	assert_int_equal(t, RFC_EXAMPLE_T + 10 * 86400);
}

static void test_parse_asctime_zero_padded_day(void **state)
{
	(void)state;
	time_t t = 0;
	/* date3 = month SP ( 2DIGIT / ( SP DIGIT ) ): "06" is a 2DIGIT */
	assert_int_equal(parse("Sun Nov 06 08:49:37 1994", &t), 0);
	assert_int_equal(t, RFC_EXAMPLE_T);
}

static void test_parse_rfc850_two_digit_year_in_past(void **state)
{
	(void)state;
	set_clock_year(2026);
	parse_rfc850_new_year(77, 1977); /* 2077 would be 51 years ahead: "more than 50" */
	parse_rfc850_new_year(99, 1999);
	parse_rfc850_new_year(0, 2000);
}

static void test_parse_rfc850_two_digit_year_50_ahead_is_future(void **state)
{
	(void)state;
	set_clock_year(2026);
	parse_rfc850_new_year(76, 2076); /* exactly 50 years ahead is not "more than 50" */
	parse_rfc850_new_year(26, 2026);
}

static void test_parse_rfc850_two_digit_year_wraps_into_next_century(void **state)
{
	(void)state;
	/* Late in a century a small yy is the next century's: 2115 is 45 years ahead,
	 * 2015 was 55 years ago. */
	set_clock_year(2070);
	parse_rfc850_new_year(15, 2115);
	parse_rfc850_new_year(20, 2120);
	parse_rfc850_new_year(21, 2021); /* 2121 would be 51 years ahead */
	parse_rfc850_new_year(70, 2070);
}

static void test_parse_rfc850_two_digit_year_follows_the_clock(void **state)
{
	(void)state;
	int now = current_utc_year(); /* the real clock */
	parse_rfc850_new_year((now + 51) % 100, now - 49);
	parse_rfc850_new_year((now + 50) % 100, now + 50);
}

static void test_parse_does_not_check_weekday(void **state)
{
	(void)state;
	time_t t = 0;
	/* RFC 9110 §5.6.7 does not ask a recipient to check it; Monday is wrong here */
	assert_int_equal(parse("Mon, 06 Nov 1994 08:49:37 GMT", &t), 0);
	assert_int_equal(t, RFC_EXAMPLE_T);
}

static void test_round_trip_format_then_parse(void **state)
{
	(void)state;
	static const int64_t samples[] = {
		0, 1, -1, 784111777, 951782400, 1690655534, 2147483647, 4102444800,
		-2208988800 /* 1900-01-01 */, -62167219200 /* 0000-01-01 */,
		253402300799 /* 9999-12-31 23:59:59 */,
	};
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		char out[DATE_HTTP_LEN + 1];
		time_t t = 0, in = (time_t)samples[i];
		if ((int64_t)in != samples[i])
			continue; /* a 32-bit time_t */
		date_format_http(in, out);
		assert_int_equal(parse(out, &t), 0);
		assert_int_equal(t, in);
	}
}

/* ---- date_parse_http: ranges ------------------------------------------------------ */

static void test_parse_leap_day_in_leap_years(void **state)
{
	(void)state;
	time_t t = 0;
	assert_int_equal(parse("Tue, 29 Feb 2000 00:00:00 GMT", &t), 0);
	assert_int_equal(t, 951782400);
	assert_int_equal(parse("Thu, 29 Feb 2024 12:00:00 GMT", &t), 0);
	assert_int_equal(t, utc(2024, 2, 29, 12, 0, 0));
}

static void test_parse_rejects_leap_day_in_common_years(void **state)
{
	(void)state;
	expect_reject("Thu, 29 Feb 1900 00:00:00 GMT"); /* a century not divisible by 400 */
	expect_reject("Wed, 29 Feb 2023 00:00:00 GMT");
	expect_reject("Wed Feb 29 00:00:00 2023");
}

static void test_parse_leap_second_is_next_minute(void **state)
{
	(void)state;
	time_t t = 0;
	assert_int_equal(parse("Sat, 31 Dec 2016 23:59:60 GMT", &t), 0);
	assert_int_equal(t, utc(2017, 1, 1, 0, 0, 0));
}

static void test_parse_rejects_out_of_range_fields(void **state)
{
	(void)state;
	expect_reject("Sun, 06 Nov 1994 24:00:00 GMT"); /* hour */
	expect_reject("Sun, 06 Nov 1994 08:60:37 GMT"); /* minute */
	expect_reject("Sun, 06 Nov 1994 08:49:61 GMT"); /* second */
	expect_reject("Sun, 00 Nov 1994 08:49:37 GMT"); /* day 0 */
	expect_reject("Sun, 31 Nov 1994 08:49:37 GMT"); /* November has 30 days */
	expect_reject("Sun, 32 Jan 1994 08:49:37 GMT");
	expect_reject("Sunday, 31-Apr-94 08:49:37 GMT");
	expect_reject("Sun Nov  0 08:49:37 1994");
}

static void test_parse_accepts_field_maxima(void **state)
{
	(void)state;
	time_t t = 0;
	assert_int_equal(parse("Sun, 31 Dec 1995 23:59:59 GMT", &t), 0);
	assert_int_equal(t, utc(1995, 12, 31, 23, 59, 59));
}

/* ---- date_parse_http: malformed input --------------------------------------------- */

static void test_parse_rejects_empty(void **state)
{
	(void)state;
	time_t t = 7;
	assert_int_equal(date_parse_http("", 0, &t), -1);
	assert_int_equal(date_parse_http("Sun", 0, &t), -1);
	assert_int_equal(date_parse_http(NULL, 0, &t), -1);
	assert_int_equal(date_parse_http(NULL, 5, &t), -1);
	assert_int_equal(t, 7);
}

static void test_parse_rejects_every_truncation(void **state)
{
	(void)state;
	static const char *const dates[] = {
		"Sun, 06 Nov 1994 08:49:37 GMT",
		"Sunday, 06-Nov-94 08:49:37 GMT",
		"Sun Nov  6 08:49:37 1994",
	};
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(dates[i]);
		for (size_t len = 0; len < n; len++) {
			struct guarded g = guard(dates[i], len); /* the cut is at the page end */
			time_t t = 99;
			int rc = date_parse_http(g.s, len, &t);
			unguard(&g);
			if (rc != -1)
				fail_msg("accepted %zu bytes of \"%s\"", len, dates[i]);
			assert_int_equal(t, 99);
		}
	}
}

static void test_parse_reads_only_len_bytes(void **state)
{
	(void)state;
	time_t t = 0;
	/* The buffer goes on with digits that would make a longer year or junk. */
	const char *imf = "Sun, 06 Nov 1994 08:49:37 GMT123";
	assert_int_equal(date_parse_http(imf, 29, &t), 0);
	assert_int_equal(t, RFC_EXAMPLE_T);
	const char *asc = "Sun Nov  6 08:49:37 19945";
	assert_int_equal(date_parse_http(asc, 24, &t), 0);
	assert_int_equal(t, RFC_EXAMPLE_T);
	/* and no NUL is needed at all */
	char raw[24];
	memcpy(raw, asc, sizeof raw);
	assert_int_equal(date_parse_http(raw, sizeof raw, &t), 0);
	assert_int_equal(t, RFC_EXAMPLE_T);
}

static void test_parse_rejects_trailing_junk(void **state)
{
	(void)state;
	expect_reject("Sun, 06 Nov 1994 08:49:37 GMT ");
	expect_reject("Sun, 06 Nov 1994 08:49:37 GMTx");
	expect_reject("Sun, 06 Nov 1994 08:49:37 GMT\r\n");
	expect_reject("Sunday, 06-Nov-94 08:49:37 GMT;");
	expect_reject("Sun Nov  6 08:49:37 1994\n"); /* asctime()'s own newline */
	expect_reject("Sun Nov  6 08:49:37 19945");
}

static void test_parse_rejects_leading_whitespace(void **state)
{
	(void)state;
	expect_reject(" Sun, 06 Nov 1994 08:49:37 GMT");
	expect_reject("\tSun Nov  6 08:49:37 1994");
}

static void test_parse_rejects_bad_month(void **state)
{
	(void)state;
	expect_reject("Sun, 06 Foo 1994 08:49:37 GMT");
	expect_reject("Sun, 06 nov 1994 08:49:37 GMT"); /* month is case-sensitive */
	expect_reject("Sun, 06 NOV 1994 08:49:37 GMT");
	expect_reject("Sun, 06 November 1994 08:49:37 GMT");
	expect_reject("Sunday, 06-11-94 08:49:37 GMT");
	expect_reject("Sun Nox  6 08:49:37 1994");
}

static void test_parse_rejects_bad_weekday_name(void **state)
{
	(void)state;
	expect_reject("Sum, 06 Nov 1994 08:49:37 GMT");
	expect_reject("sun, 06 Nov 1994 08:49:37 GMT");
	expect_reject("Sunday, 06 Nov 1994 08:49:37 GMT"); /* IMF-fixdate takes the short name */
	expect_reject("Sun, 06-Nov-94 08:49:37 GMT");      /* RFC 850 takes the long name */
	expect_reject("Sundy, 06-Nov-94 08:49:37 GMT");
	expect_reject("Sunday Nov  6 08:49:37 1994");
	expect_reject("06 Nov 1994 08:49:37 GMT");
}

static void test_parse_rejects_wrong_digit_counts(void **state)
{
	(void)state;
	expect_reject("Sun, 6 Nov 1994 08:49:37 GMT");
	expect_reject("Sun, 06 Nov 94 08:49:37 GMT");
	expect_reject("Sun, 06 Nov 01994 08:49:37 GMT");
	expect_reject("Sun, 06 Nov 1994 8:49:37 GMT");
	expect_reject("Sunday, 06-Nov-1994 08:49:37 GMT");
	expect_reject("Sun Nov 6 08:49:37 1994"); /* one space before a one-digit day */
	expect_reject("Sun Nov  6 08:49:37 94");
}

static void test_parse_rejects_non_digits_in_numbers(void **state)
{
	(void)state;
	expect_reject("Sun, 0a Nov 1994 08:49:37 GMT");
	expect_reject("Sun, 06 Nov 19x4 08:49:37 GMT");
	expect_reject("Sun, 06 Nov 1994 08:4 :37 GMT");
	expect_reject("Sun, +6 Nov 1994 08:49:37 GMT");
	expect_reject("Sun, 06 Nov 1994 08-49-37 GMT");
}

static void test_parse_rejects_other_zones(void **state)
{
	(void)state;
	expect_reject("Sun, 06 Nov 1994 08:49:37 UTC");
	expect_reject("Sun, 06 Nov 1994 08:49:37 gmt");
	expect_reject("Sun, 06 Nov 1994 08:49:37 +0000");
	expect_reject("Sun, 06 Nov 1994 08:49:37");
	expect_reject("Sunday, 06-Nov-94 08:49:37 PST");
}

static void test_parse_rejects_embedded_nul(void **state)
{
	(void)state;
	time_t t = 5;
	const char s[] = "Sun, 06 Nov 1994 08:49:37 GMT\0";
	assert_int_equal(date_parse_http(s, sizeof s - 1, &t), -1); /* the NUL is inside len */
	assert_int_equal(t, 5);
}

/* ---- date_format_log ---------------------------------------------------------------- */

static void set_tz(const char *tz)
{
	assert_int_equal(setenv("TZ", tz, 1), 0);
	tzset();
}

static void test_format_log_shape_in_utc(void **state)
{
	(void)state;
	char out[DATE_LOG_LEN + 2];
	memset(out, 'x', sizeof out);
	set_tz("UTC0");
	date_format_log(1690655534, out); /* the access-log example of README.md */
	assert_string_equal(out, "29/Jul/2023 18:32:14");
	assert_int_equal(out[DATE_LOG_LEN + 1], 'x');
}

static void test_format_log_uses_local_time(void **state)
{
	(void)state;
	char out[DATE_LOG_LEN + 1];
	set_tz("XYZ-6"); /* POSIX TZ: six hours east of UTC, crossing midnight */
	date_format_log(1690655534, out);
	assert_string_equal(out, "30/Jul/2023 00:32:14");
	set_tz("UTC0");
}

static void test_format_log_pads_day_and_time(void **state)
{
	(void)state;
	char out[DATE_LOG_LEN + 1];
	set_tz("UTC0");
	date_format_log(1688173445, out); /* 2023-07-01 01:04:05 */
	assert_string_equal(out, "01/Jul/2023 01:04:05");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_rfc_example),
		cmocka_unit_test(test_format_epoch),
		cmocka_unit_test(test_format_second_before_epoch),
		cmocka_unit_test(test_format_weekday_long_before_epoch),
		cmocka_unit_test(test_format_leap_day),
		cmocka_unit_test(test_format_writes_exactly_len_plus_nul),
		cmocka_unit_test(test_format_clamps_years_beyond_9999),
		cmocka_unit_test(test_format_clamps_years_before_0),
		cmocka_unit_test(test_parse_imf_fixdate_rfc_example),
		cmocka_unit_test_teardown(test_parse_rfc850_rfc_example, reset_clock),
		cmocka_unit_test(test_parse_asctime_rfc_example),
		cmocka_unit_test(test_parse_asctime_two_digit_day),
		cmocka_unit_test(test_parse_asctime_zero_padded_day),
		cmocka_unit_test_teardown(test_parse_rfc850_two_digit_year_in_past, reset_clock),
		cmocka_unit_test_teardown(test_parse_rfc850_two_digit_year_50_ahead_is_future,
		                          reset_clock),
		cmocka_unit_test_teardown(test_parse_rfc850_two_digit_year_wraps_into_next_century,
		                          reset_clock),
		cmocka_unit_test(test_parse_rfc850_two_digit_year_follows_the_clock),
		cmocka_unit_test(test_parse_does_not_check_weekday),
		cmocka_unit_test(test_round_trip_format_then_parse),
		cmocka_unit_test(test_parse_leap_day_in_leap_years),
		cmocka_unit_test(test_parse_rejects_leap_day_in_common_years),
		cmocka_unit_test(test_parse_leap_second_is_next_minute),
		cmocka_unit_test(test_parse_rejects_out_of_range_fields),
		cmocka_unit_test(test_parse_accepts_field_maxima),
		cmocka_unit_test(test_parse_rejects_empty),
		cmocka_unit_test(test_parse_rejects_every_truncation),
		cmocka_unit_test(test_parse_reads_only_len_bytes),
		cmocka_unit_test(test_parse_rejects_trailing_junk),
		cmocka_unit_test(test_parse_rejects_leading_whitespace),
		cmocka_unit_test(test_parse_rejects_bad_month),
		cmocka_unit_test(test_parse_rejects_bad_weekday_name),
		cmocka_unit_test(test_parse_rejects_wrong_digit_counts),
		cmocka_unit_test(test_parse_rejects_non_digits_in_numbers),
		cmocka_unit_test(test_parse_rejects_other_zones),
		cmocka_unit_test(test_parse_rejects_embedded_nul),
		cmocka_unit_test(test_format_log_shape_in_utc),
		cmocka_unit_test(test_format_log_uses_local_time),
		cmocka_unit_test(test_format_log_pads_day_and_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
