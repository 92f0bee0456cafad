/* diff_accept.c — common/http/mime.c, the student's against the reference:
 * mime_negotiate of an Accept value and a list of offers.
 *
 * Input layout: [C] ACCEPT \n OFFER \n OFFER … (at most 8 offers; each field ends at its
 * newline or a NUL). C bit 0 set: the request has no Accept (NULL). */
#include "diff.h"

#include "mime.h"

int REF(mime_negotiate)(const char *accept, const char *const *offers, size_t n);

#define OFFERS_MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff_text mine, theirs;
	char *offers[OFFERS_MAX], call[8 * 4096 + 64];
	size_t noffers = 0;

	if (size < 1 || size > 4096)
		return 0;
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	char *accept = diff_field(&p, &n);
	while (n > 0 && noffers < OFFERS_MAX)
		offers[noffers++] = diff_field(&p, &n);
	const char *given = data[0] & 1 ? NULL : accept;

	char *q = diff_quote(accept, strlen(accept));
	int at = snprintf(call, sizeof call, "mime_negotiate(%s, {", given ? q : "NULL");
	free(q);
	for (size_t i = 0; i < noffers && at > 0 && (size_t)at < sizeof call; i++) {
		q = diff_quote(offers[i], strlen(offers[i]));
		at += snprintf(call + at, sizeof call - (size_t)at, "%s%s", i ? ", " : "", q);
		free(q);
	}
	if (at > 0 && (size_t)at < sizeof call)
		snprintf(call + at, sizeof call - (size_t)at, "}, %zu)", noffers);
	diff_open(&mine);
	diff_open(&theirs);
	fprintf(mine.f, "%d", mime_negotiate(given, (const char *const *)offers, noffers));
	fprintf(theirs.f, "%d", REF(mime_negotiate)(given, (const char *const *)offers, noffers));
	diff_check(call, data, size, &mine, &theirs);
	for (size_t i = 0; i < noffers; i++)
		free(offers[i]);
	free(accept);
	return 0;
}
