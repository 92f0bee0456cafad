/* diff_url.c — common/http/url.c, the student's against the reference: url_unquote
 * (plain and plus) and url_query_parse (both modes).
 *
 * Input layout: [C] payload. C % 4 picks the call: 0 url_unquote, 1 url_unquote with
 * plus, 2 url_query_parse MULTI, 3 url_query_parse LAST_WINS. */
#include "diff.h"

#include <stdbool.h>

#include "url.h"

size_t REF(url_unquote)(const char *in, size_t len, bool plus, char *out);
int REF(url_query_parse)(const char *q, size_t len, enum url_query_mode mode,
                         struct url_query *out);
void REF(url_query_free)(struct url_query *q);

/* unquoted — the decoded bytes and their length. */
static void unquoted(struct diff_text *t, const char *in, size_t n, bool plus, bool ref)
{
	char *out = malloc(n + 1);

	if (!out)
		abort();
	size_t len = ref ? REF(url_unquote)(in, n, plus, out) : url_unquote(in, n, plus, out);
	diff_open(t);
	fprintf(t->f, "returns %zu: ", len);
	diff_bytes(t->f, out, len <= n ? len : n);
	free(out);
}

/* query — every name with its values, in order, as name=[v, …]. */
static void query(struct diff_text *t, const char *in, size_t n, enum url_query_mode mode,
                  bool ref)
{
	struct url_query q;
	int rc = ref ? REF(url_query_parse)(in, n, mode, &q) : url_query_parse(in, n, mode, &q);

	diff_open(t);
	fprintf(t->f, "returns %d:", rc);
	for (size_t i = 0; rc == 0 && i < q.nparams; i++) {
		fputc(' ', t->f);
		diff_bytes(t->f, q.params[i].name, strlen(q.params[i].name));
		fputs("=[", t->f);
		for (size_t v = 0; v < q.params[i].nvalues; v++) {
			fputs(v ? ", " : "", t->f);
			diff_bytes(t->f, q.params[i].values[v], strlen(q.params[i].values[v]));
		}
		fputc(']', t->f);
	}
	if (ref)
		REF(url_query_free)(&q);
	else
		url_query_free(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff_text mine, theirs;

	if (size < 1 || size > 4096)
		return 0;
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	int call = data[0] % 4;
	enum url_query_mode mode = call == 2 ? URL_QUERY_MULTI : URL_QUERY_LAST_WINS;
	char what[4 * 4096 + 64], *q = diff_quote(in, n);

	if (call < 2) {
		snprintf(what, sizeof what, "url_unquote(%s, plus=%s)", q, call ? "true" : "false");
		unquoted(&mine, in, n, call == 1, false);
		unquoted(&theirs, in, n, call == 1, true);
	} else {
		snprintf(what, sizeof what, "url_query_parse(%s, %s)", q,
		         call == 2 ? "MULTI" : "LAST_WINS");
		query(&mine, in, n, mode, false);
		query(&theirs, in, n, mode, true);
	}
	free(q);
	diff_check(what, data, size, &mine, &theirs);
	return 0;
}
