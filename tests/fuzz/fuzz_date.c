/* fuzz_date.c — common/http/date.c on arbitrary bytes: date_parse_http, and
 * date_format_http of arbitrary times.
 *
 * Input: the whole input is a date to parse; its first 8 bytes (when there are 8) are
 * also taken as a time_t to format.
 *
 * Properties (each a CHECK that aborts):
 *   - a parsed date formats to an IMF-fixdate that parses back to the same time, for
 *     every time inside the range a four-digit year can hold (0000-01-01 to
 *     9999-12-31T23:59:59); a leap second on the very last day (9999-12-31T23:59:60)
 *     parses to one second past that range, which formats clamped to its end;
 *   - the formatted text is exactly DATE_HTTP_LEN bytes, ends in " GMT", and parses;
 *   - a parse that fails leaves the time alone;
 *   - any time_t formats to a date that parses back to that time clamped to the range,
 *     and date_format_log never writes past its DATE_LOG_LEN + 1 bytes. */
#include "fuzz.h"

#include <time.h>

#include "date.h"

#define SECS_MIN INT64_C(-62167219200) /* 0000-01-01T00:00:00Z */
#define SECS_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

static int64_t clamp(int64_t t)
{
	return t < SECS_MIN ? SECS_MIN : t > SECS_MAX ? SECS_MAX : t;
}

/* format_parse — formats t, checks the text's shape, returns the time it parses to. */
static time_t format_parse(time_t t)
{
	char *out = fuzz_alloc(DATE_HTTP_LEN + 1); /* exact size: ASan sees a longer write */
	time_t back = 0;

	date_format_http(t, out);
	CHECK(strlen(out) == DATE_HTTP_LEN && memcmp(out + DATE_HTTP_LEN - 4, " GMT", 4) == 0,
	      "formatted '%s'", out);
	CHECK(date_parse_http(out, DATE_HTTP_LEN, &back) == 0, "'%s' does not parse", out);
	free(out);
	return back;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_copy(data, size);
	const time_t untouched = (time_t)0x5a5a5a5a;
	time_t t = untouched;
	int rc = date_parse_http(s, size, &t);

	CHECK(rc == 0 || rc == -1, "date_parse_http returned %d", rc);
	if (rc < 0) {
		CHECK(t == untouched, "a failed parse changed the time");
	} else {
		CHECK((int64_t)t >= SECS_MIN && (int64_t)t <= SECS_MAX + 1,
		      "parsed a time outside the four-digit years: %lld", (long long)t);
		time_t back = format_parse(t);
		CHECK((int64_t)back == clamp((int64_t)t),
		      "'%.*s' is %lld, formatted and parsed %lld", (int)size, s, (long long)t,
		      (long long)back);
	}
	free(s);

	if (size >= sizeof(int64_t)) {
		int64_t raw;
		memcpy(&raw, data, sizeof raw);
		time_t any = (time_t)raw;
		CHECK((int64_t)format_parse(any) == clamp(raw), "time %lld does not round-trip",
		      (long long)raw);
		char *log = fuzz_alloc(DATE_LOG_LEN + 1);
		date_format_log(any, log);
		CHECK(strlen(log) == DATE_LOG_LEN, "log date '%s'", log);
		free(log);
	}
	return 0;
}
