/* fuzz_accept.c — the weighted-list and token-list readers of common/http/http.c and the
 * Accept-Encoding decision of common/server/gzip.c, on arbitrary header values.
 *
 * Input layout: [C] value. The value is cut at its first NUL (a header value never
 * holds one; the parser refuses it). C bits 0-5 + 1: the item buffer size given to
 * http_qlist_next (1..64).
 *
 * Properties (each a CHECK that aborts):
 *   - http_qlist_next ends, moves its cursor forward within the string every time,
 *     gives items that fit the buffer, hold no ',' or ';' and no surrounding
 *     whitespace, and a q of -1 or 0..1000; an item is the same whatever the buffer
 *     size, as long as it fits;
 *   - gz_accepted agrees with the rule of gzip.h worked out from those items: the
 *     largest q of "gzip"/"x-gzip" when either is named, else the q of "*" (the last
 *     one), and true only when that q is above 0;
 *   - http_token_list_has finds a token only when it is in the value (any case). */
#include "fuzz.h"

#include <stdbool.h>
#include <strings.h>

#include "gzip.h"
#include "http.h"

/* contains_nocase — token appears somewhere in s, ignoring ASCII case. */
static bool contains_nocase(const char *s, const char *token)
{
	size_t n = strlen(token);
	for (; *s; s++)
		if (strncasecmp(s, token, n) == 0)
			return true;
	return false;
}

static void walk(const char *value, size_t cap)
{
	const char *cursor = value, *end = value + strlen(value);
	char *item = fuzz_alloc(cap), big[64 + 1];
	int q, gzip_q = -1, star_q = -1, steps = 0;

	for (;;) {
		const char *before = cursor;
		if (!http_qlist_next(&cursor, item, cap, &q))
			break;
		CHECK(cursor > before && cursor <= end, "the cursor did not move forward");
		CHECK(++steps <= (int)(end - value) + 1, "more items than bytes");
		size_t n = strlen(item);
		CHECK(n < cap, "item of %zu bytes in a %zu-byte buffer", n, cap);
		CHECK(!strpbrk(item, ",;"), "item '%s' holds a separator", item);
		CHECK(n == 0 || (item[0] != ' ' && item[0] != '\t' && item[n - 1] != ' ' &&
		                 item[n - 1] != '\t'), "item '%s' is not trimmed", item);
		CHECK(q == -1 || (q >= 0 && q <= 1000), "q %d", q);
		/* The same element read with the largest buffer. */
		const char *again = before;
		int q2;
		CHECK(http_qlist_next(&again, big, sizeof big, &q2),
		      "a larger buffer finds nothing");
		if (again == cursor)
			CHECK(strcmp(big, item) == 0 && q2 == q,
			      "the item depends on the buffer size");
		if (strcasecmp(item, "gzip") == 0 || strcasecmp(item, "x-gzip") == 0)
			gzip_q = q > gzip_q ? q : gzip_q;
		else if (strcmp(item, "*") == 0)
			star_q = q;
	}
	CHECK(*cursor == '\0', "the walk stopped before the end");
	if (cap == 32) { /* gz_accepted reads with a 32-byte buffer */
		bool want = gzip_q >= 0 ? gzip_q > 0 : star_q > 0;
		CHECK(gz_accepted(value) == want, "gz_accepted('%s') is %d", value, !want);
	}
	free(item);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t ctl = fuzz_take(&in);
	char *value = fuzz_cstr(in.p, in.n);

	walk(value, (size_t)(ctl & 63) + 1);
	walk(value, 32);
	(void)gz_accepted(value);
	static const char *const tokens[] = {"close", "keep-alive", "chunked", "gzip"};
	for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
		if (http_token_list_has(value, tokens[i]))
			CHECK(contains_nocase(value, tokens[i]), "found '%s' in '%s'", tokens[i],
			      value);
	free(value);
	return 0;
}
