/* diff_http.c — common/http/http.c, the student's against the reference:
 * http_parse_request of one buffer.
 *
 * Input: the whole input is what the client has sent so far. Everything the parser
 * gives is compared: its return, after PARSE_BAD the status and why, else the request
 * line's parts, every header, the framing and the connection's flags. */
#include "diff.h"

#include "http.h"

int REF(http_parse_request)(const char *buf, size_t len, struct http_head *head);

/* text — a string of the head, or NULL, escaped. */
static void text(FILE *f, const char *name, const char *s)
{
	fprintf(f, " %s ", name);
	if (s)
		diff_bytes(f, s, strlen(s));
	else
		fputs("NULL", f);
}

static void parsed(struct diff_text *t, const uint8_t *in, size_t n, bool ref)
{
	struct http_head *head = calloc(1, sizeof *head);

	if (!head)
		abort();
	int rc = ref ? REF(http_parse_request)((const char *)in, n, head)
	             : http_parse_request((const char *)in, n, head);
	diff_open(t);
	fprintf(t->f, "returns %d", rc);
	if (rc == -2) {
		fprintf(t->f, ", status %d:", head->status);
		text(t->f, "why", head->error);
	} else if (rc >= 0) {
		text(t->f, "method", head->method);
		text(t->f, "target", head->target);
		text(t->f, "path", head->path);
		text(t->f, "query", head->query);
		fprintf(t->f, " version %d, %zu headers:", head->version, head->nheaders);
		for (size_t i = 0; i < head->nheaders && i <= LIMIT_HEADER_COUNT; i++) {
			text(t->f, "", head->headers[i].name);
			text(t->f, ":", head->headers[i].value);
		}
		fprintf(t->f, "; framing %d, length %llu, keep-alive %d, 100-continue %d, "
		        "bare LF %d", (int)head->framing, (unsigned long long)head->content_length,
		        head->keep_alive, head->expect_continue, head->bare_lf);
	}
	free(head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff_text mine, theirs;
	char call[4 * 1024 + 64];

	if (size > 1024) /* the head's limits are the unit tests' and the lessons' to try */
		return 0;
	char *q = diff_quote(data, size);
	snprintf(call, sizeof call, "http_parse_request(%s)", q);
	free(q);
	parsed(&mine, data, size, false);
	parsed(&theirs, data, size, true);
	diff_check(call, data, size, &mine, &theirs);
	return 0;
}
