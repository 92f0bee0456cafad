/* diff_date.c — common/http/date.c, the student's against the reference:
 * date_parse_http and date_format_http.
 *
 * Input: the whole input is a date to parse (as fuzz_date.c takes it, so its seeds
 * serve here too); its first 8 bytes, when there are 8, are also a time_t to format. */
#include "diff.h"

#include <time.h>

#include "date.h"

void REF(date_format_http)(time_t t, char out[DATE_HTTP_LEN + 1]);
int REF(date_parse_http)(const char *s, size_t len, time_t *t);

/* parsed — what date_parse_http returns, and the time it gives. */
static void parsed(struct diff_text *t, const uint8_t *in, size_t n, bool ref)
{
	time_t when = 12345;
	int rc = ref ? REF(date_parse_http)((const char *)in, n, &when)
	             : date_parse_http((const char *)in, n, &when);

	diff_open(t);
	if (rc == 0)
		fprintf(t->f, "returns 0, the time %lld", (long long)when);
	else
		fprintf(t->f, "returns %d (not a date)", rc);
}

/* formatted — date_format_http of when. */
static void formatted(struct diff_text *t, time_t when, bool ref)
{
	char out[DATE_HTTP_LEN + 1];

	memset(out, 0, sizeof out);
	if (ref)
		REF(date_format_http)(when, out);
	else
		date_format_http(when, out);
	diff_open(t);
	diff_bytes(t->f, out, sizeof out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff_text mine, theirs;
	char call[4 * 256 + 64];

	if (size > 256)
		return 0;
	char *q = diff_quote(data, size);
	snprintf(call, sizeof call, "date_parse_http(%s)", q);
	free(q);
	parsed(&mine, data, size, false);
	parsed(&theirs, data, size, true);
	diff_check(call, data, size, &mine, &theirs);
	if (size >= sizeof(int64_t)) {
		int64_t t;
		memcpy(&t, data, sizeof t);
		snprintf(call, sizeof call, "date_format_http(%lld)", (long long)t);
		formatted(&mine, (time_t)t, false);
		formatted(&theirs, (time_t)t, true);
		diff_check(call, data, size, &mine, &theirs);
	}
	return 0;
}
