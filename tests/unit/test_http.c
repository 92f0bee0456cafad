/* test_http.c — unit tests of common/http/http.c: the request parser against every row of the
 * Limits table (common/README.md) it answers, split independence, no overreads, the chunked
 * decoder, and the small lookups and tables. Every case is named for what it proves.
 *
 * Every parse goes through parse_n(), which places the input right before an unmapped
 * page (picohttpparser's trick) and unmaps it before the caller looks at the result: an
 * overread crashes, and a result that still pointed into the input would too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "http.h"
#include "limit.h"

/* The one head every test parses into (it is large: keep it off the stack). */
static struct http_head *R;

/* ---- helpers ---------------------------------------------------------------------- */

/* An answer of the parser as one int, for the tables below: the head's length,
 * PARSE_INCOMPLETE, or REFUSED(status) for PARSE_BAD with that status in R->status. */
#define REFUSED(status) (-1000 - (status))

/* answer — rc and R as one int (see REFUSED); a status is set exactly on PARSE_BAD. */
static int answer(int rc, const struct http_head *head)
{
	if (rc != PARSE_BAD) {
		assert_int_equal(head->status, 0);
		assert_null(head->error);
		return rc;
	}
	assert_in_range(head->status, 400, 505);
	return REFUSED(head->status);
}

/* parse_n — http_parse_request of a guarded copy of s[0..len) into R: its answer. */
static int parse_n(const char *s, size_t len)
{
	struct guarded g = guard(s, len);
	int rc = http_parse_request(g.s, len, R);
	unguard(&g);
	return answer(rc, R);
}

static int parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* expect_rc — the parser's answer for a labelled case, printed signed when it fails. */
#define expect_rc(label, got, want) check_rc((label), (got), (want), __FILE__, __LINE__)

/* describe — an answer in words, for a failure message. */
static const char *describe(int rc, char *out, size_t cap)
{
	if (rc == PARSE_INCOMPLETE)
		snprintf(out, cap, "PARSE_INCOMPLETE");
	else if (rc <= REFUSED(100))
		snprintf(out, cap, "PARSE_BAD with status %d", -1000 - rc);
	else
		snprintf(out, cap, "%d", rc);
	return out;
}

static void check_rc(const char *label, int got, int want, const char *file, int line)
{
	char g[48], w[48];
	if (got != want)
		fail_msg("%s:%d: case \"%s\": parser returned %s, expected %s", file, line, label,
		         describe(got, g, sizeof g), describe(want, w, sizeof w));
}

/* A labelled request and the parser's expected answer (0: "the whole input, accepted"). */
struct rcase {
	const char *label;
	const char *in;
	size_t len; /* 0: strlen(in) */
	int want;
};

#define CASE(label, in, want) { (label), (in), 0, (want) }
#define CASE_N(label, in, want) { (label), (in), sizeof(in) - 1, (want) }

static size_t case_len(const struct rcase *c)
{
	return c->len ? c->len : strlen(c->in);
}

static void run_cases(const struct rcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = case_len(&cases[i]);
		int want = cases[i].want == 0 ? (int)len : cases[i].want;
		expect_rc(cases[i].label, parse_n(cases[i].in, len), want);
	}
}

/* ACCEPT — the whole input is one valid head. */
#define ACCEPT(label, in) expect_rc((label), parse(in), (int)strlen(in))

#define RUN_CASES(cases) run_cases((cases), sizeof(cases) / sizeof((cases)[0]))

/* Memory a test allocates is kept here and freed after the test, passed or failed, so a
 * failing test does not also report a leak. */
static void *kept[64];
static size_t nkept;

/* slot_of — the slot of a kept pointer (a new, empty slot for NULL). Looked up before a
 * realloc, since the old pointer may not be looked at after it. */
static size_t slot_of(const void *old)
{
	for (size_t i = 0; old && i < nkept; i++)
		if (kept[i] == old)
			return i;
	assert_true(nkept < sizeof kept / sizeof kept[0]);
	kept[nkept] = NULL;
	return nkept++;
}

/* keep — records a fresh allocation p and returns it. */
static void *keep(void *p)
{
	assert_non_null(p);
	kept[slot_of(NULL)] = p;
	return p;
}

static int release(void **state)
{
	(void)state;
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	nkept = 0;
	return 0;
}

/* A growable string for the large inputs of the limit tests. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t slot = slot_of(b->p);
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
		kept[slot] = b->p;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_fill(struct sbuf *b, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_add(b, &c, 1);
}

/* request_line_of — "GET /aaa…a HTTP/1.1" of exactly n bytes (no line end). */
static void request_line_of(struct sbuf *b, size_t n)
{
	static const char pre[] = "GET /", post[] = " HTTP/1.1";
	assert_true(n >= sizeof pre + sizeof post);
	sb_str(b, pre);
	sb_fill(b, 'a', n - (sizeof pre - 1) - (sizeof post - 1));
	sb_str(b, post);
}

/* head_of_size — a valid GET head of exactly total bytes: request line, Host, X-Pad lines
 * (each well under LIMIT_HEADER_LINE) and the empty line. */
static void head_of_size(struct sbuf *b, size_t total)
{
	static const char start[] = "GET / HTTP/1.1\r\nHost: x\r\n";
	size_t rest = total - (sizeof start - 1) - 2;
	size_t lines = (rest + 7999) / 8000;

	sb_str(b, start);
	for (size_t i = 0; i < lines; i++) {
		size_t line = rest / (lines - i); /* spread evenly: every line >= 9 bytes */
		assert_true(line >= 9 && line < LIMIT_HEADER_LINE);
		sb_str(b, "X-Pad: ");
		sb_fill(b, 'p', line - 9);
		sb_str(b, "\r\n");
		rest -= line;
	}
	sb_str(b, "\r\n");
	assert_int_equal(b->len, total);
}

/* head_with_headers — a valid GET head with Host and then count - 1 more headers. */
static void head_with_headers(struct sbuf *b, size_t count)
{
	char line[64];
	sb_str(b, "GET / HTTP/1.1\r\nHost: x\r\n");
	for (size_t i = 1; i < count; i++) {
		snprintf(line, sizeof line, "X-H%zu: v%zu\r\n", i, i);
		sb_str(b, line);
	}
	sb_str(b, "\r\n");
}

static int group_setup(void **state)
{
	(void)state;
	R = calloc(1, sizeof *R);
	return R ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	free(R);
	R = NULL;
	return 0;
}

/* ---- a valid request, field by field ----------------------------------------------- */

static void test_parse_get_fills_every_field(void **state)
{
	(void)state;
	const char *in = "GET /index.html?x=1&y=2 HTTP/1.1\r\nHost: localhost:8080\r\n"
	                 "User-Agent: curl/8.0\r\nAccept: */*\r\n\r\n";
	expect_rc("article GET", parse(in), (int)strlen(in));
	assert_string_equal(R->method, "GET");
	assert_string_equal(R->target, "/index.html?x=1&y=2");
	assert_string_equal(R->path, "/index.html");
	assert_string_equal(R->query, "x=1&y=2");
	assert_int_equal(R->version, 11);
	assert_int_equal(R->nheaders, 3);
	assert_string_equal(R->headers[0].name, "Host");
	assert_string_equal(R->headers[0].value, "localhost:8080");
	assert_string_equal(R->headers[1].name, "User-Agent");
	assert_string_equal(R->headers[1].value, "curl/8.0");
	assert_string_equal(R->headers[2].name, "Accept");
	assert_string_equal(R->headers[2].value, "*/*");
	assert_int_equal(R->framing, HTTP_BODY_NONE);
	assert_int_equal(R->content_length, 0);
	assert_true(R->keep_alive);
	assert_false(R->expect_continue);
	assert_int_equal(R->status, 0);
	assert_null(R->error);
}

static void test_parse_target_without_query_has_empty_query(void **state)
{
	(void)state;
	ACCEPT("no query", "GET /a/b HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_string_equal(R->path, "/a/b");
	assert_string_equal(R->query, "");
	ACCEPT("second ? stays in query", "GET /a?b?c=d HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_string_equal(R->path, "/a");
	assert_string_equal(R->query, "b?c=d");
}

static void test_parse_header_value_trims_surrounding_whitespace(void **state)
{
	(void)state;
	const char *in = "GET / HTTP/1.1\r\nHost:x\r\nX-A: \t a  b \t \r\nX-Empty:   \r\n\r\n";
	expect_rc("OWS", parse(in), (int)strlen(in));
	assert_string_equal(R->headers[0].value, "x");
	assert_string_equal(R->headers[1].value, "a  b");
	assert_string_equal(R->headers[2].name, "X-Empty");
	assert_string_equal(R->headers[2].value, "");
}

static void test_parse_tab_and_obs_text_in_value_accepted(void **state)
{
	(void)state;
	const char *in = "GET / HTTP/1.1\r\nHost: x\r\nX-Name: caf\xe9\tbar\x80\xff\r\n\r\n";
	expect_rc("obs-text", parse(in), (int)strlen(in));
	assert_string_equal(R->headers[1].value, "caf\xe9\tbar\x80\xff");
}

/* *req is reset on entry: nothing of an earlier request survives a partial parse (the
 * request line, once complete, may already be filled in). */
static void test_parse_incomplete_resets_request(void **state)
{
	(void)state;
	ACCEPT("valid first", "POST /p?q HTTP/1.0\r\nHost: x\r\nContent-Length: 3\r\n"
	                      "Connection: keep-alive\r\nExpect: 100-continue\r\n\r\n");
	expect_rc("then a partial request line", parse("GET / HTT"), PARSE_INCOMPLETE);
	assert_null(R->method);
	assert_null(R->target);
	assert_null(R->path);
	assert_null(R->query);
	assert_int_equal(R->version, 0);
	assert_int_equal(R->nheaders, 0);
	assert_int_equal(R->framing, HTTP_BODY_NONE);
	assert_int_equal(R->content_length, 0);
	assert_false(R->keep_alive);
	assert_false(R->expect_continue);

	ACCEPT("valid again", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n");
	expect_rc("then partial headers", parse("GET / HTTP/1.1\r\nHost"), PARSE_INCOMPLETE);
	assert_int_equal(R->nheaders, 0);
	assert_null(http_header_get(R, "Content-Length"));
	assert_int_equal(R->framing, HTTP_BODY_NONE);
	assert_int_equal(R->content_length, 0);
	assert_false(R->keep_alive);
}

static void test_parse_empty_input_is_incomplete(void **state)
{
	(void)state;
	expect_rc("empty", parse_n("", 0), PARSE_INCOMPLETE);
	expect_rc("only CR LF", parse("\r\n"), PARSE_INCOMPLETE);
	expect_rc("only CR", parse("\r"), PARSE_INCOMPLETE);
}

/* ---- head length, pipelining, copies ---------------------------------------------- */

static void test_head_length_is_exact_and_body_untouched(void **state)
{
	(void)state;
	static const char head[] = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n";
	char in[sizeof head + 5], copy[sizeof in];
	memcpy(in, head, sizeof head - 1);
	memcpy(in + sizeof head - 1, "hello", 5);
	memcpy(copy, in, sizeof in - 1);

	int rc = http_parse_request(in, sizeof in - 1, R);
	expect_rc("head then body", rc, (int)(sizeof head - 1));
	assert_memory_equal(in, copy, sizeof in - 1); /* the parser never writes the input */
	assert_memory_equal(in + rc, "hello", 5);
	assert_int_equal(R->framing, HTTP_BODY_LENGTH);
	assert_int_equal(R->content_length, 5);
}

static void test_pipelined_requests_parse_at_returned_offset(void **state)
{
	(void)state;
	static const char one[] = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char two[] = "HEAD /two?q HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n";
	static const char three[] = "GET /thr";
	static const char in[] = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
	                         "HEAD /two?q HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n"
	                         "GET /thr";
	size_t len = sizeof in - 1;

	int rc1 = parse_n(in, len);
	expect_rc("first", rc1, (int)(sizeof one - 1));
	assert_string_equal(R->method, "GET");
	assert_string_equal(R->path, "/one");
	assert_string_equal(http_header_get(R, "host"), "a");
	assert_true(R->keep_alive);

	int rc2 = parse_n(in + rc1, len - (size_t)rc1);
	expect_rc("second", rc2, (int)(sizeof two - 1));
	assert_string_equal(R->method, "HEAD");
	assert_string_equal(R->path, "/two");
	assert_string_equal(R->query, "q");
	assert_string_equal(http_header_get(R, "Host"), "b");
	assert_false(R->keep_alive);

	size_t off = (size_t)rc1 + (size_t)rc2;
	assert_int_equal(len - off, sizeof three - 1);
	expect_rc("third, partial", parse_n(in + off, len - off), PARSE_INCOMPLETE);
}

static void test_strings_are_copies_that_survive_the_input(void **state)
{
	(void)state;
	static const char src[] = "PATCH http://example.com/p/q?r=s HTTP/1.1\r\n"
	                          "Host: example.com\r\nX-Long-Name: some value\r\n\r\n";
	char *in = malloc(sizeof src);
	assert_non_null(in);
	memcpy(in, src, sizeof src);

	int rc = http_parse_request(in, sizeof src - 1, R);
	memset(in, '#', sizeof src); /* junk over every byte the parser saw */
	free(in);
	expect_rc("absolute", rc, (int)(sizeof src - 1));
	assert_string_equal(R->method, "PATCH");
	assert_string_equal(R->target, "http://example.com/p/q?r=s");
	assert_string_equal(R->path, "/p/q");
	assert_string_equal(R->query, "r=s");
	assert_int_equal(R->nheaders, 2);
	assert_string_equal(R->headers[0].name, "Host");
	assert_string_equal(R->headers[0].value, "example.com");
	assert_string_equal(R->headers[1].name, "X-Long-Name");
	assert_string_equal(R->headers[1].value, "some value");
	/* and each one lives inside req->text */
	const char *lo = R->text, *hi = R->text + sizeof R->text;
	const char *strs[] = { R->method, R->target, R->path, R->query, R->headers[0].name,
		               R->headers[0].value, R->headers[1].name, R->headers[1].value };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		assert_true(strs[i] >= lo && strs[i] < hi);
}

/* ---- Limits: request line (414) ----------------------------------------------------- */

static void test_limit_request_line_over_limit_complete_is_414(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	request_line_of(&b, LIMIT_REQUEST_LINE + 1);
	sb_str(&b, "\r\nHost: x\r\n\r\n");
	expect_rc("line of LIMIT+1, CRLF", parse_n(b.p, b.len), REFUSED(HTTP_URI_TOO_LONG));
	b.len = 0;
	request_line_of(&b, LIMIT_REQUEST_LINE + 1);
	sb_str(&b, "\nHost: x\n\n");
	expect_rc("line of LIMIT+1, LF", parse_n(b.p, b.len), REFUSED(HTTP_URI_TOO_LONG));
}

static void test_limit_request_line_over_limit_arriving_is_414(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	request_line_of(&b, LIMIT_REQUEST_LINE + 100);
	expect_rc("LIMIT bytes, no line end yet", parse_n(b.p, LIMIT_REQUEST_LINE),
	          PARSE_INCOMPLETE);
	expect_rc("LIMIT+1 bytes, no line end yet", parse_n(b.p, LIMIT_REQUEST_LINE + 1),
	          REFUSED(HTTP_URI_TOO_LONG));
}

static void test_limit_request_line_at_limit_is_accepted(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	request_line_of(&b, LIMIT_REQUEST_LINE);
	sb_str(&b, "\r\nHost: x\r\n\r\n");
	expect_rc("line of exactly LIMIT", parse_n(b.p, b.len), (int)b.len);
	assert_int_equal(strlen(R->target), LIMIT_REQUEST_LINE - strlen("GET  HTTP/1.1"));
}

/* The same request line of exactly LIMIT_REQUEST_LINE bytes, still arriving: its CR has
 * come but not its LF. The whole input is accepted, so this prefix must be incomplete. */
static void test_split_request_line_at_limit_with_cr_pending_is_incomplete(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	request_line_of(&b, LIMIT_REQUEST_LINE);
	sb_str(&b, "\r\nHost: x\r\n\r\n");
	expect_rc("line of LIMIT, no CR yet", parse_n(b.p, LIMIT_REQUEST_LINE), PARSE_INCOMPLETE);
	expect_rc("line of LIMIT, CR but no LF yet", parse_n(b.p, LIMIT_REQUEST_LINE + 1),
	          PARSE_INCOMPLETE);
}

/* ---- Limits: header lines, whole head, header count (431) -------------------------- */

/* header_line_of — "X-Big: vvv…v" of exactly n bytes (no line end). */
static void header_line_of(struct sbuf *b, size_t n)
{
	sb_str(b, "X-Big: ");
	sb_fill(b, 'v', n - strlen("X-Big: "));
}

static void test_limit_header_line_over_limit_is_431(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	sb_str(&b, "GET / HTTP/1.1\r\nHost: x\r\n");
	size_t start = b.len;
	header_line_of(&b, LIMIT_HEADER_LINE + 1);
	sb_str(&b, "\r\n\r\n");
	expect_rc("header line of LIMIT+1, complete", parse_n(b.p, b.len),
	          REFUSED(HTTP_HEADERS_TOO_LARGE));
	expect_rc("header line of LIMIT+1, arriving", parse_n(b.p, start + LIMIT_HEADER_LINE + 1),
	          REFUSED(HTTP_HEADERS_TOO_LARGE));
	expect_rc("header line of LIMIT so far, arriving", parse_n(b.p, start + LIMIT_HEADER_LINE),
	          PARSE_INCOMPLETE);
}

static void test_limit_header_line_at_limit_is_accepted(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	sb_str(&b, "GET / HTTP/1.1\r\nHost: x\r\n");
	header_line_of(&b, LIMIT_HEADER_LINE);
	sb_str(&b, "\r\n\r\n");
	expect_rc("header line of exactly LIMIT", parse_n(b.p, b.len), (int)b.len);
	assert_int_equal(strlen(http_header_get(R, "X-Big")), LIMIT_HEADER_LINE - 7);
}

static void test_split_header_line_at_limit_with_cr_pending_is_incomplete(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	sb_str(&b, "GET / HTTP/1.1\r\nHost: x\r\n");
	size_t start = b.len;
	header_line_of(&b, LIMIT_HEADER_LINE);
	sb_str(&b, "\r\n\r\n");
	expect_rc("header line of LIMIT, CR but no LF yet",
	          parse_n(b.p, start + LIMIT_HEADER_LINE + 1), PARSE_INCOMPLETE);
}

static void test_limit_headers_total_over_limit_is_431(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	head_of_size(&b, LIMIT_HEADERS_TOTAL + 1);
	expect_rc("head of LIMIT+1, complete", parse_n(b.p, b.len),
	          REFUSED(HTTP_HEADERS_TOO_LARGE));
	b = (struct sbuf){ 0 };
	head_of_size(&b, LIMIT_HEADERS_TOTAL + 6000);
	expect_rc("head past LIMIT, arriving", parse_n(b.p, LIMIT_HEADERS_TOTAL + 1),
	          REFUSED(HTTP_HEADERS_TOO_LARGE));
}

static void test_limit_headers_total_at_limit_is_accepted(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	head_of_size(&b, LIMIT_HEADERS_TOTAL);
	expect_rc("head of exactly LIMIT", parse_n(b.p, b.len), LIMIT_HEADERS_TOTAL);
	expect_rc("head of exactly LIMIT, last LF pending", parse_n(b.p, b.len - 1),
	          PARSE_INCOMPLETE);
}

static void test_limit_header_count_at_limit_is_accepted(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	head_with_headers(&b, LIMIT_HEADER_COUNT);
	expect_rc("exactly LIMIT headers", parse_n(b.p, b.len), (int)b.len);
	assert_int_equal(R->nheaders, LIMIT_HEADER_COUNT);
	char name[32], value[32];
	snprintf(name, sizeof name, "x-h%d", LIMIT_HEADER_COUNT - 1);
	snprintf(value, sizeof value, "v%d", LIMIT_HEADER_COUNT - 1);
	assert_string_equal(http_header_get(R, name), value);
}

static void test_limit_header_count_over_limit_is_431(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	head_with_headers(&b, LIMIT_HEADER_COUNT + 1);
	expect_rc("LIMIT+1 headers", parse_n(b.p, b.len), REFUSED(HTTP_HEADERS_TOO_LARGE));
}

/* ---- the request line (400, 501, 505) ------------------------------------------------ */

static void test_request_line_missing_parts_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("method only", "GET\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("no version", "GET /\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("empty version", "GET / \r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("no method", "/ HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("no target", "GET HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("garbage line", "hello\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_request_line_bad_separators_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("two spaces after method", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("two spaces after target", "GET /  HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("leading space", " GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("trailing space", "GET / HTTP/1.1 \r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("tab after method", "GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("tab after target", "GET /\tHTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("bare CR at line end", "GET / HTTP/1.1\r\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_request_line_bad_version_syntax_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("lowercase http", "GET / http/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("HTTP/1", "GET / HTTP/1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("HTTP/1.", "GET / HTTP/1.\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("HTTP/1.x", "GET / HTTP/1.x\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("HTTP/1.10", "GET / HTTP/1.10\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("HTTP/11", "GET / HTTP/11\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("HTTPS/1.1", "GET / HTTPS/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("HTTP/", "GET / HTTP/\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("HTTP/1.1x", "GET / HTTP/1.1x\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_version_2_and_later_is_505(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_VERSION_NOT_SUPPORTED)),
		CASE("HTTP/2", "GET / HTTP/2\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_VERSION_NOT_SUPPORTED)),
		CASE("HTTP/3.0", "GET / HTTP/3.0\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_VERSION_NOT_SUPPORTED)),
		CASE("HTTP/9.9", "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_VERSION_NOT_SUPPORTED)),
		CASE("HTTP/2.0 no Host", "GET / HTTP/2.0\r\n\r\n",
		     REFUSED(HTTP_VERSION_NOT_SUPPORTED)),
	};
	RUN_CASES(cases);
}

static void test_version_1_0_and_1_1_are_10_and_11(void **state)
{
	(void)state;
	ACCEPT("1.0", "GET / HTTP/1.0\r\n\r\n");
	assert_int_equal(R->version, 10);
	ACCEPT("1.1", "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(R->version, 11);
}

static void test_version_1_2_is_answered_as_1_1(void **state)
{
	(void)state;
	ACCEPT("1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n");
	assert_int_equal(R->version, 11);
	ACCEPT("1.9", "GET / HTTP/1.9\r\nHost: x\r\n\r\n");
	assert_int_equal(R->version, 11);
}

static void test_unknown_method_token_is_accepted(void **state)
{
	(void)state;
	ACCEPT("FOO", "FOO /x HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_string_equal(R->method, "FOO");
	assert_int_equal(http_method_bit(R->method), 0); /* the server answers 501 */
	ACCEPT("lowercase get is another token", "get / HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_string_equal(R->method, "get");
	assert_int_equal(http_method_bit(R->method), 0);
	ACCEPT("tchar punctuation", "M-S.E!A~R#C$H /x HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_string_equal(R->method, "M-S.E!A~R#C$H");
}

static void test_connect_is_501(void **state)
{
	(void)state;
	expect_rc("CONNECT", parse("CONNECT host:443 HTTP/1.1\r\nHost: host:443\r\n\r\n"),
	          REFUSED(HTTP_NOT_IMPLEMENTED));
}

static void test_non_token_method_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("G(T", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("G\"T", "G\"T / HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("G@T", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("G\\xc3\\xa9T", "G\xc3\xa9T / HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE_N("NUL in method", "G\0T / HTTP/1.1\r\nHost: x\r\n\r\n",
		       REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_target_with_high_byte_or_ctl_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("raw UTF-8", "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("0x80", "GET /\x80 HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("0xff", "GET /a\xff HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("0x01", "GET /a\x01z HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("DEL", "GET /a\x7fz HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("ESC", "GET /a\x1b[0m HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE_N("NUL", "GET /a\0z HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_target_not_origin_absolute_or_asterisk_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("relative", "GET index.html HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("ftp scheme", "GET ftp://x/y HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("asterisk prefix", "OPTIONS *x HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_asterisk_target_only_with_options(void **state)
{
	(void)state;
	ACCEPT("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_string_equal(R->target, "*");
	assert_string_equal(R->path, "*");
	assert_string_equal(R->query, "");
	expect_rc("GET *", parse("GET * HTTP/1.1\r\nHost: x\r\n\r\n"), REFUSED(HTTP_BAD_REQUEST));
	expect_rc("HEAD *", parse("HEAD * HTTP/1.1\r\nHost: x\r\n\r\n"), REFUSED(HTTP_BAD_REQUEST));
}

static void test_absolute_form_gives_path_and_query(void **state)
{
	(void)state;
	ACCEPT("http://example.com/a?b=1",
	       "GET http://example.com/a?b=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
	assert_string_equal(R->target, "http://example.com/a?b=1");
	assert_string_equal(R->path, "/a");
	assert_string_equal(R->query, "b=1");

	ACCEPT("no path", "GET http://example.com HTTP/1.1\r\nHost: e\r\n\r\n");
	assert_string_equal(R->path, "/");
	assert_string_equal(R->query, "");

	ACCEPT("no path, query", "GET http://e.com?a/b HTTP/1.1\r\nHost: e\r\n\r\n");
	assert_string_equal(R->path, "/");
	assert_string_equal(R->query, "a/b");

	ACCEPT("https, port, upper case", "GET HTTPS://E.com:8443/x/y HTTP/1.1\r\nHost: e\r\n\r\n");
	assert_string_equal(R->path, "/x/y");
	assert_string_equal(R->query, "");
}

static void test_absolute_form_without_host_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("http:///x", "GET http:///x HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("http://:80/x", "GET http://:80/x HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("http://", "GET http:// HTTP/1.0\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("https://?q", "GET https://?q HTTP/1.1\r\nHost: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
	parse("GET http:///x HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_non_null(strstr(R->error, "RFC 9110 section 4.2.1"));
}

/* RFC 9112 §3.2.2: the target's host, not the Host field's, is the one asked for. */
static void test_absolute_form_host_is_the_host(void **state)
{
	(void)state;
	ACCEPT("1.1, Host differs", "GET http://t.example/a HTTP/1.1\r\nHost: other\r\n\r\n");
	assert_string_equal(http_header_get(R, "Host"), "t.example");
	assert_int_equal(R->nheaders, 1);

	ACCEPT("1.0, no Host", "GET http://t.example:8080/a HTTP/1.0\r\nAccept: */*\r\n\r\n");
	assert_int_equal(R->nheaders, 2);
	assert_string_equal(R->headers[0].name, "Accept");
	assert_string_equal(R->headers[1].name, "Host");
	assert_string_equal(http_header_get(R, "host"), "t.example:8080");
	assert_string_equal(R->path, "/a");

	expect_rc("1.1, no Host", parse("GET http://t.example/ HTTP/1.1\r\n\r\n"),
	          REFUSED(HTTP_BAD_REQUEST));
}

/* A 1.0 request with all LIMIT_HEADER_COUNT fields and none of them Host still has room
 * for the one its target gives. */
static void test_absolute_form_host_fits_after_the_header_limit(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	char line[64];
	sb_str(&b, "GET http://t.example/ HTTP/1.0\r\n");
	for (size_t i = 0; i < LIMIT_HEADER_COUNT; i++) {
		snprintf(line, sizeof line, "X-H%zu: v\r\n", i);
		sb_str(&b, line);
	}
	sb_str(&b, "\r\n");
	expect_rc("100 fields and the target's Host", parse_n(b.p, b.len), (int)b.len);
	assert_int_equal(R->nheaders, LIMIT_HEADER_COUNT + 1);
	assert_string_equal(http_header_get(R, "Host"), "t.example");
}

/* ---- Host ------------------------------------------------------------------------- */

static void test_missing_host_on_1_1_is_400(void **state)
{
	(void)state;
	expect_rc("1.1 no Host", parse("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
	          REFUSED(HTTP_BAD_REQUEST));
}

static void test_missing_host_on_1_0_is_accepted(void **state)
{
	(void)state;
	ACCEPT("1.0 no Host", "GET / HTTP/1.0\r\nAccept: */*\r\n\r\n");
	assert_null(http_header_get(R, "Host"));
}

static void test_duplicate_host_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("1.1 two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("1.1 Host and host", "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("1.0 two Hosts", "GET / HTTP/1.0\r\nHost: a\r\nHOST: b\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

/* ---- Content-Length ----------------------------------------------------------------- */

static void test_content_length_not_plain_digits_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("+5", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("-1", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("5, 5", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE(" 0x10", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:  0x10\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("1e3", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("empty", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("blank", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length:   \r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("5 5", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5 5\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("5.0", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5.0\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_content_length_digits_set_length_framing(void **state)
{
	(void)state;
	ACCEPT("0", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(R->framing, HTTP_BODY_LENGTH);
	assert_int_equal(R->content_length, 0);
	ACCEPT("12345", "POST / HTTP/1.1\r\nHost: x\r\ncontent-length:12345 \r\n\r\n");
	assert_int_equal(R->framing, HTTP_BODY_LENGTH);
	assert_int_equal(R->content_length, 12345);
}

static void test_content_length_two_that_differ_is_400(void **state)
{
	(void)state;
	expect_rc("5 then 6",
	          parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
	                "Content-Length: 6\r\n\r\n"),
	          REFUSED(HTTP_BAD_REQUEST));
	expect_rc("0 then 10",
	          parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
	                "content-length: 10\r\n\r\n"),
	          REFUSED(HTTP_BAD_REQUEST));
}

static void test_content_length_two_equal_is_accepted(void **state)
{
	(void)state;
	const char *in =
	        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n";
	expect_rc("7 twice", parse(in), (int)strlen(in));
	assert_int_equal(R->framing, HTTP_BODY_LENGTH);
	assert_int_equal(R->content_length, 7);
}

static void test_content_length_more_digits_than_limit_is_400(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	sb_str(&b, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ");
	sb_fill(&b, '9', LIMIT_CONTENT_LENGTH_DIGITS);
	sb_str(&b, "\r\n\r\n");
	expect_rc("LIMIT digits", parse_n(b.p, b.len), (int)b.len);
	assert_int_equal(R->content_length, 999999999999999999ULL); /* 18 nines */

	b = (struct sbuf){ 0 };
	sb_str(&b, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ");
	sb_fill(&b, '0', LIMIT_CONTENT_LENGTH_DIGITS);
	sb_str(&b, "5\r\n\r\n");
	expect_rc("LIMIT+1 digits, leading zeros", parse_n(b.p, b.len), REFUSED(HTTP_BAD_REQUEST));

	expect_rc(
	        "2^64",
	        parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n"),
	        REFUSED(HTTP_BAD_REQUEST));
}

/* ---- Transfer-Encoding -------------------------------------------------------------- */

static void test_transfer_encoding_with_content_length_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("TE then CL",
		     "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
		     "Content-Length: 5\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("CL then TE",
		     "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		     "Transfer-Encoding: chunked\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_transfer_encoding_on_1_0_is_400(void **state)
{
	(void)state;
	expect_rc("1.0 chunked", parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
	          REFUSED(HTTP_BAD_REQUEST));
}

/* RFC 9112 §6.3: chunked is not the final coding, so the body's end is unknown: 400. */
static void test_transfer_encoding_gzip_alone_is_400(void **state)
{
	(void)state;
	expect_rc("gzip", parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
	          REFUSED(HTTP_BAD_REQUEST));
}

static void test_transfer_encoding_gzip_then_chunked_is_501(void **state)
{
	(void)state;
	expect_rc("gzip, chunked",
	          parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
	          REFUSED(HTTP_NOT_IMPLEMENTED));
	expect_rc("gzip / chunked in two fields",
	          parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
	                "Transfer-Encoding: chunked\r\n\r\n"),
	          REFUSED(HTTP_NOT_IMPLEMENTED));
}

static void test_transfer_encoding_chunked_not_last_is_400(void **state)
{
	(void)state;
	expect_rc("chunked, gzip",
	          parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
	          REFUSED(HTTP_BAD_REQUEST));
	expect_rc(
	        "chunked twice",
	        parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"),
	        REFUSED(HTTP_BAD_REQUEST));
}

/* RFC 9112 §7: the chunked coding defines no parameters. */
static void test_transfer_encoding_chunked_with_parameters_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("chunked;foo=bar",
		     "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;foo=bar\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("chunked ; foo",
		     "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked ; foo\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("chunked;",
		     "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("chunked x",
		     "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("chunked , (empty element)",
		     "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked ,\r\n\r\n", 0),
	};
	RUN_CASES(cases);
	parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;q=1\r\n\r\n");
	assert_non_null(strstr(R->error, "no parameters"));
}

static void test_transfer_encoding_chunked_any_case_is_chunked(void **state)
{
	(void)state;
	static const char *const values[] = { "chunked", "Chunked", "CHUNKED", "cHuNkEd" };
	char in[128];
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		int n = snprintf(in, sizeof in,
		                 "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: %s\r\n\r\n",
		                 values[i]);
		expect_rc(values[i], parse(in), n);
		assert_int_equal(R->framing, HTTP_BODY_CHUNKED);
		assert_int_equal(R->content_length, 0);
	}
}

/* ---- header syntax (400) ---------------------------------------------------------- */

static void test_space_before_colon_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("Host : x", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
		CASE("Host\\t: x", "GET / HTTP/1.1\r\nHost\t: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("X-A : b after Host", "GET / HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_obs_fold_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("SP fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("HTAB fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("first header line folded", "GET / HTTP/1.1\r\n Host: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_bare_cr_in_header_value_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("CR inside", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("CR CR LF", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("CR as a line end", "GET / HTTP/1.1\r\nHost: x\rX-A: a\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("CR alone as a line", "GET / HTTP/1.1\r\nHost: x\r\n\r\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_nul_and_ctl_in_header_value_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE_N("NUL", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n",
		       REFUSED(HTTP_BAD_REQUEST)),
		CASE_N("NUL at end", "GET / HTTP/1.1\r\nHost: x\0\r\n\r\n",
		       REFUSED(HTTP_BAD_REQUEST)),
		CASE("0x01", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("VT", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\vb\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("ESC", "GET / HTTP/1.1\r\nHost: x\r\nX-A: \x1b[2J\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("0x1f", "GET / HTTP/1.1\r\nHost: x\r\nX-A: \x1f\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("DEL", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x7f\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

static void test_bad_header_name_is_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("Ho(st", "GET / HTTP/1.1\r\nHost: x\r\nHo(st: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("empty name", "GET / HTTP/1.1\r\nHost: x\r\n: x\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("no colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A b\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("name only", "GET / HTTP/1.1\r\nHost: x\r\nX-A\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("space inside", "GET / HTTP/1.1\r\nHost: x\r\nX A: b\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("high byte", "GET / HTTP/1.1\r\nHost: x\r\nX\xe9: b\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE_N("NUL", "GET / HTTP/1.1\r\nHost: x\r\nX\0A: b\r\n\r\n",
		       REFUSED(HTTP_BAD_REQUEST)),
		CASE("slash", "GET / HTTP/1.1\r\nHost: x\r\nX/A: b\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
}

/* ---- Expect, Connection ----------------------------------------------------------- */

static void test_expect_100_continue_sets_flag_on_1_1_only(void **state)
{
	(void)state;
	ACCEPT("1.1", "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
	                       "Expect: 100-continue\r\n\r\n");
	assert_true(R->expect_continue);
	ACCEPT("1.1 any case", "PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\n\r\n");
	assert_true(R->expect_continue);
	ACCEPT("1.0", "PUT / HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n");
	assert_false(R->expect_continue);
	ACCEPT("no Expect", "PUT / HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_false(R->expect_continue);
}

static void test_expect_other_value_is_417(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		CASE("foo", "PUT / HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n",
		     REFUSED(HTTP_EXPECTATION_FAILED)),
		CASE("100-continue-x",
		     "PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue-x\r\n\r\n",
		     REFUSED(HTTP_EXPECTATION_FAILED)),
		CASE("empty", "PUT / HTTP/1.1\r\nHost: x\r\nExpect:\r\n\r\n",
		     REFUSED(HTTP_EXPECTATION_FAILED)),
	};
	RUN_CASES(cases);
}

static void test_connection_keep_alive_semantics_per_version(void **state)
{
	(void)state;
	static const struct {
		const char *label, *in;
		bool keep_alive;
	} cases[] = {
		{ "1.1 default", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", true },
		{ "1.1 close", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false },
		{ "1.1 Close", "GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n", false },
		{ "1.1 keep-alive, close",
		  "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, close\r\n\r\n", false },
		{ "1.1 close in second field",
		  "GET / HTTP/1.1\r\nHost: x\r\nConnection: te\r\nConnection: close\r\n\r\n",
		  false },
		{ "1.1 keep-alive", "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n",
		  true },
		{ "1.1 closed is not close",
		  "GET / HTTP/1.1\r\nHost: x\r\nConnection: closed\r\n\r\n", true },
		{ "1.0 default", "GET / HTTP/1.0\r\n\r\n", false },
		{ "1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true },
		{ "1.0 Keep-Alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true },
		{ "1.0 keep-alive, close",
		  "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false },
		{ "1.0 close", "GET / HTTP/1.0\r\nConnection: close\r\n\r\n", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		expect_rc(cases[i].label, parse(cases[i].in), (int)strlen(cases[i].in));
		if (R->keep_alive != cases[i].keep_alive)
			fail_msg("case \"%s\": keep_alive is %d, expected %d", cases[i].label,
			         R->keep_alive, cases[i].keep_alive);
	}
}

/* ---- line ends -------------------------------------------------------------------- */

static void test_leading_empty_lines_are_skipped(void **state)
{
	(void)state;
	const char *in = "\r\n\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n";
	expect_rc("CRLF LF CRLF first", parse(in), (int)strlen(in));
	assert_string_equal(R->method, "GET");
	assert_string_equal(R->path, "/x");
}

static void test_lone_lf_line_endings_accepted(void **state)
{
	(void)state;
	const char *in = "GET /lf HTTP/1.1\nHost: lf\nX-A: b\n\n";
	expect_rc("LF only", parse(in), (int)strlen(in));
	assert_string_equal(R->path, "/lf");
	assert_string_equal(http_header_get(R, "host"), "lf");
	assert_string_equal(http_header_get(R, "x-a"), "b");
	assert_true(R->bare_lf);
	ACCEPT("CRLF only", "GET / HTTP/1.1\r\nHost: c\r\n\r\n");
	assert_false(R->bare_lf);
}

/* What nc sends when a student types a request and presses Enter after each line. */
static void test_nc_typed_head_and_chunked_body_accepted(void **state)
{
	(void)state;
	static const char in[] = "POST /nc HTTP/1.1\nHost: nc\nTransfer-Encoding: chunked\n\n"
	                         "5\nhello\n0\n\n";
	const size_t body_len = 11, head_len = sizeof in - 1 - body_len;
	expect_rc("nc head", parse_n(in, sizeof in - 1), (int)head_len);
	assert_true(R->bare_lf);
	assert_int_equal(R->framing, HTTP_BODY_CHUNKED);

	struct http_chunked d = { 0 };
	char out[16];
	size_t len;
	d.limit = 100;
	d.crlf_only = !R->bare_lf; /* as httpd.c sets it */
	expect_rc("nc body", (int)http_chunked_decode(&d, in + head_len, body_len, out, &len),
	          (int)body_len);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "hello", 5);
}

/* A head whose lines end in CRLF and bare LF both is read one way by a parser that takes
 * bare LF and another way by one that does not: request smuggling (issue 19). */
static void test_mixed_line_ends_are_400(void **state)
{
	(void)state;
	static const struct rcase cases[] = {
		/* llhttp invalid.md "Missing CR between headers": the hidden GET /admin */
		CASE("LF then Content-Length",
		     "GET / HTTP/1.1\r\nHost: localhost\r\nDummy: x\nContent-Length: 23\r\n\r\n"
		     "GET / HTTP/1.1\r\nDummy: GET /admin HTTP/1.1\r\nHost: localhost\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("LF then Transfer-Encoding",
		     "POST / HTTP/1.1\r\nHost: x\r\nx:x\nTransfer-Encoding: chunked\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("empty value, LF then Transfer-Encoding",
		     "POST / HTTP/1.1\r\nHost: x\r\nx:\nTransfer-Encoding: chunked\r\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("CRLF head, LF empty line", "GET / HTTP/1.1\r\nHost: m\r\n\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("LF head, CRLF empty line", "GET / HTTP/1.1\nHost: m\n\r\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("LF request line, CRLF field", "GET / HTTP/1.1\nHost: m\r\n\n",
		     REFUSED(HTTP_BAD_REQUEST)),
		CASE("LF head, one CRLF field", "GET / HTTP/1.1\nHost: m\nA: b\r\nC: d\n\n",
		     REFUSED(HTTP_BAD_REQUEST)),
	};
	RUN_CASES(cases);
	parse("GET / HTTP/1.1\r\nHost: m\n\r\n");
	assert_non_null(strstr(R->error, "mixes CRLF and bare LF"));
	/* the empty lines a server skips before a request line are not part of its head */
	ACCEPT("LF before a CRLF head", "\nGET / HTTP/1.1\r\nHost: m\r\n\r\n");
}

/* ---- split independence and overreads -------------------------------------------- */

static const struct rcase valid_requests[] = {
	CASE("simple", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 0),
	CASE("leading empty lines, 1.0, LF", "\r\n\nGET /a?b HTTP/1.0\n\n", 0),
	CASE("length and expect",
	     "POST /f HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", 0),
	CASE("chunked, close",
	     "PUT /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
	     "Connection: close\r\n\r\n", 0),
	CASE("options, obs-text", "OPTIONS * HTTP/1.1\r\nHost: x\r\nX: a\tb\xe9\r\n\r\n", 0),
	CASE("absolute form", "GET http://example.com/a?b=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
	     0),
	CASE("unknown method", "FOO / HTTP/1.2\r\nHost:x\r\nX-Empty:\r\n\r\n", 0),
	CASE("1.0 absolute form, no Host", "GET http://t.example/ HTTP/1.0\n\n", 0),
};

static const struct rcase invalid_requests[] = {
	CASE("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", REFUSED(HTTP_VERSION_NOT_SUPPORTED)),
	CASE("two spaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
	CASE("CONNECT", "CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", REFUSED(HTTP_NOT_IMPLEMENTED)),
	CASE("missing Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
	CASE("duplicate Host", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
	     REFUSED(HTTP_BAD_REQUEST)),
	CASE("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
	CASE("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n",
	     REFUSED(HTTP_BAD_REQUEST)),
	CASE("gzip, chunked",
	     "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
	     REFUSED(HTTP_NOT_IMPLEMENTED)),
	CASE("expect", "GET / HTTP/1.1\r\nHost: x\r\nExpect: nope\r\n\r\n",
	     REFUSED(HTTP_EXPECTATION_FAILED)),
	CASE("two lengths",
	     "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
	     REFUSED(HTTP_BAD_REQUEST)),
	CASE("G(T", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
	CASE("bare CR", "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
	CASE("GET *", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", REFUSED(HTTP_BAD_REQUEST)),
	CASE("1.0 chunked", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
	     REFUSED(HTTP_BAD_REQUEST)),
	CASE_N("NUL in value", "GET / HTTP/1.1\r\nHost: x\r\nX: \0\r\n\r\n",
	       REFUSED(HTTP_BAD_REQUEST)),
	CASE("mixed line ends", "GET / HTTP/1.1\r\nHost: x\r\nX: y\nZ: w\r\n\r\n",
	     REFUSED(HTTP_BAD_REQUEST)),
	CASE("empty authority", "GET http:///x HTTP/1.1\r\nHost: x\r\n\r\n",
	     REFUSED(HTTP_BAD_REQUEST)),
	CASE("chunked;a=b", "PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;a=b\r\n\r\n",
	     REFUSED(HTTP_BAD_REQUEST)),
};

static void test_split_valid_requests_incomplete_until_last_byte(void **state)
{
	(void)state;
	char label[128];
	for (size_t i = 0; i < sizeof valid_requests / sizeof valid_requests[0]; i++) {
		const struct rcase *c = &valid_requests[i];
		size_t len = case_len(c);
		expect_rc(c->label, parse_n(c->in, len), (int)len);
		for (size_t k = 0; k < len; k++) {
			snprintf(label, sizeof label, "%s, first %zu bytes", c->label, k);
			expect_rc(label, parse_n(c->in, k), PARSE_INCOMPLETE);
		}
	}
}

static void test_split_invalid_requests_first_answer_equals_whole(void **state)
{
	(void)state;
	char label[128];
	for (size_t i = 0; i < sizeof invalid_requests / sizeof invalid_requests[0]; i++) {
		const struct rcase *c = &invalid_requests[i];
		size_t len = case_len(c);
		int whole = parse_n(c->in, len);
		expect_rc(c->label, whole, c->want);
		for (size_t k = 0; k <= len; k++) {
			int rc = parse_n(c->in, k);
			if (rc == PARSE_INCOMPLETE)
				continue;
			snprintf(label, sizeof label, "%s, first answer at %zu bytes", c->label, k);
			expect_rc(label, rc, whole);
			break;
		}
	}
}

/* Every prefix of every case, ending right at an unmapped page: an overread crashes.
 * (parse_n guards every call; this names the property and covers the ragged ends.) */
static void test_no_overread_on_any_prefix_before_unmapped_page(void **state)
{
	(void)state;
	static const struct rcase ragged[] = {
		CASE("ends in CR", "GET / HTTP/1.1\r", 0),
		CASE("ends in header CR", "GET / HTTP/1.1\r\nHost: x\r", 0),
		CASE("ends in name", "GET / HTTP/1.1\r\nHos", 0),
		CASE("ends in version", "GET / HTTP/1.", 0),
		CASE("ends after colon", "GET / HTTP/1.1\r\nHost:", 0),
		CASE("CR runs", "\r\r\r\r", 0),
		CASE("empty lines", "\r\n\r\n\n\r", 0),
	};
	const struct rcase *sets[] = { valid_requests, invalid_requests, ragged };
	size_t counts[] = { sizeof valid_requests / sizeof valid_requests[0],
		            sizeof invalid_requests / sizeof invalid_requests[0],
		            sizeof ragged / sizeof ragged[0] };
	for (size_t s = 0; s < 3; s++)
		for (size_t i = 0; i < counts[s]; i++) {
			size_t len = case_len(&sets[s][i]);
			for (size_t k = 0; k <= len; k++) {
				int rc = parse_n(sets[s][i].in, k);
				assert_true(rc == PARSE_INCOMPLETE ||
				            (rc <= REFUSED(HTTP_BAD_REQUEST) &&
				             rc >= REFUSED(HTTP_VERSION_NOT_SUPPORTED)) ||
				            (rc > 0 && (size_t)rc <= k));
			}
		}
}

/* ---- chunked bodies ----------------------------------------------------------------- */

/* chunked_answer — rc and d as one int, as answer() does for heads. */
static long chunked_answer(long rc, const struct http_chunked *d)
{
	if (rc != PARSE_BAD) {
		assert_int_equal(d->status, 0);
		return rc;
	}
	assert_true(d->status == HTTP_BAD_REQUEST || d->status == HTTP_CONTENT_TOO_LARGE);
	assert_true((d->error != NULL) == (d->status == HTTP_BAD_REQUEST));
	return REFUSED(d->status);
}

/* decode — http_chunked_decode of a copy of in[0..len) in one call, in place: the
 * decoded bytes are at the start of *out (the test frees it), the raw bytes after the
 * body where they were. Returns the answer, with the bytes used for a complete body. */
static long decode(uint64_t limit, const char *in, size_t len, char **out, size_t *outlen)
{
	struct http_chunked d = { 0 };
	d.limit = limit;
	*out = keep(malloc(len + 1));
	memcpy(*out, in, len);
	return chunked_answer(http_chunked_decode(&d, *out, len, *out, outlen), &d);
}

/* decode_strict — decode with crlf_only, the way the lab checks a server's body. */
static long decode_strict(const char *in, size_t *outlen)
{
	struct http_chunked d = { 0 };
	d.limit = UINT64_MAX;
	d.crlf_only = true;
	return chunked_answer(http_chunked_decode(&d, in, strlen(in), NULL, outlen), &d);
}

#define expect_chunked(label, got, want) check_rc((label), (int)(got), (want), __FILE__, __LINE__)

static void test_chunked_simple_body_decodes(void **state)
{
	(void)state;
	static const char in[] = "4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
	struct http_chunked d = { 0 };
	char out[sizeof in];
	size_t len;
	d.limit = 100;
	expect_chunked("Wikipedia", http_chunked_decode(&d, in, sizeof in - 1, out, &len),
	               (int)sizeof in - 1);
	assert_int_equal(len, 9);
	assert_memory_equal(out, "Wikipedia", 9);
	assert_int_equal(d.total, 9);
}

static void test_chunked_extensions_are_ignored(void **state)
{
	(void)state;
	static const char in[] =
	        "4;name=value\r\nWiki\r\n5 ; a=\"q;r\" ;b\r\npedia\r\n0;last\r\n\r\n";
	char *out;
	size_t len;
	expect_chunked("extensions", decode(100, in, sizeof in - 1, &out, &len), sizeof in - 1);
	assert_int_equal(len, 9);
	assert_memory_equal(out, "Wikipedia", 9);
}

static void test_chunked_trailers_are_skipped(void **state)
{
	(void)state;
	static const char in[] = "3\r\nabc\r\n0\r\nX-Trailer: 1\r\nX-Sum: abc\r\n\r\n";
	char *out;
	size_t len;
	expect_chunked("trailers", decode(100, in, sizeof in - 1, &out, &len), sizeof in - 1);
	assert_int_equal(len, 3);
	assert_memory_equal(out, "abc", 3);
}

static void test_chunked_hex_sizes_in_either_case(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	sb_str(&b, "a\r\n0123456789\r\nB\r\nABCDEFGHIJK\r\n1f\r\n");
	sb_fill(&b, 'x', 0x1f);
	sb_str(&b, "\r\n1F\r\n");
	sb_fill(&b, 'y', 0x1f);
	sb_str(&b, "\r\n0000\r\n\r\n");
	char *out;
	size_t len;
	expect_chunked("hex", decode(1000, b.p, b.len, &out, &len), (int)b.len);
	assert_int_equal(len, 10 + 11 + 31 + 31);
	assert_memory_equal(out, "0123456789ABCDEFGHIJK", 21);
	for (size_t i = 21; i < 52; i++)
		assert_int_equal(out[i], 'x');
	for (size_t i = 52; i < 83; i++)
		assert_int_equal(out[i], 'y');
}

static void test_chunked_lone_lf_line_ends_accepted(void **state)
{
	(void)state;
	static const char in[] = "4\nWiki\n0\nX: y\n\n";
	char *out;
	size_t len;
	expect_chunked("LF only", decode(100, in, sizeof in - 1, &out, &len), sizeof in - 1);
	assert_int_equal(len, 4);
	assert_memory_equal(out, "Wiki", 4);
}

/* crlf_only (a CRLF head on the server; the lab, always): every line of the framing
 * ends in CRLF. The same bodies pass without it (a head typed with nc). */
static void test_chunked_crlf_only_refuses_bare_lf(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"4\nWiki\r\n0\r\n\r\n",           /* size line */
		"4;a=b\nWiki\r\n0\r\n\r\n",       /* size line with an extension */
		"4\r\nWiki\n0\r\n\r\n",           /* after the data */
		"4\r\nWiki\r\n0\n\r\n",           /* the last chunk */
		"4\r\nWiki\r\n0\r\n\n",           /* the last line */
		"4\r\nWiki\r\n0\r\nX: y\n\r\n",   /* a trailer line */
	};
	size_t len;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *out;
		expect_chunked(bad[i], decode_strict(bad[i], &len), REFUSED(HTTP_BAD_REQUEST));
		expect_chunked(bad[i], decode(100, bad[i], strlen(bad[i]), &out, &len),
		               (int)strlen(bad[i]));
	}
	static const char good[] = "4\r\nWiki\r\n0\r\nX-Sum: 1\r\nY:\r\n\r\n";
	expect_chunked("CRLF and fields", decode_strict(good, &len), sizeof good - 1);
	assert_int_equal(len, 4); /* counted, not written: out is NULL */
}

/* Trailer lines are header fields (RFC 9112 §7.1.2): refused as a head refuses them,
 * with or without crlf_only. */
static void test_chunked_trailer_fields_checked_like_header_fields(void **state)
{
	(void)state;
	static const struct {
		const char *label;
		const char *in;
		size_t len;
	} bad[] = {
		{ "no colon", "4\r\nWiki\r\n0\r\nno colon\r\n\r\n", 0 },
		{ "no name", "4\r\nWiki\r\n0\r\n: no name\r\n\r\n", 0 },
		{ "space before colon", "4\r\nWiki\r\n0\r\nX : y\r\n\r\n", 0 },
		{ "bare CR", "4\r\nWiki\r\n0\r\nX: a\rb\r\n\r\n", 0 },
		{ "NUL", "4\r\nWiki\r\n0\r\nX: a\0b\r\n\r\n",
		  sizeof "4\r\nWiki\r\n0\r\nX: a\0b\r\n\r\n" - 1 },
		{ "other CTL", "4\r\nWiki\r\n0\r\nX: a\x01\r\n\r\n", 0 },
		{ "obs-fold", "4\r\nWiki\r\n0\r\nX: a\r\n b\r\n\r\n", 0 },
		{ "bad name", "4\r\nWiki\r\n0\r\nX@: a\r\n\r\n", 0 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t n = bad[i].len ? bad[i].len : strlen(bad[i].in), len;
		char *out;
		struct http_chunked d = { 0 };
		d.limit = UINT64_MAX;
		d.crlf_only = true;
		long rc = http_chunked_decode(&d, bad[i].in, n, NULL, &len);
		expect_chunked(bad[i].label, chunked_answer(rc, &d), REFUSED(HTTP_BAD_REQUEST));
		expect_chunked(bad[i].label, decode(100, bad[i].in, n, &out, &len),
		               REFUSED(HTTP_BAD_REQUEST));
	}
	char *out;
	size_t len;
	static const char lf[] = "4\nWiki\n0\nX: a\nY:\n\n";
	expect_chunked("LF fields", decode(100, lf, sizeof lf - 1, &out, &len), sizeof lf - 1);
}

/* A trailer section that lacks its empty line ends nowhere: the next pipelined request
 * line stands where a field line must (RFC 9112 §7.1.2). It is refused, never taken as a
 * trailer (one answer for two requests) nor guessed to be the next request. */
static void test_chunked_unterminated_trailers_refuse_the_next_request_line(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"4\r\nWiki\r\n0\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n",
		"4\r\nWiki\r\n0\r\nX-Sum: 1\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *out;
		size_t len;
		expect_chunked(bad[i], decode(100, bad[i], strlen(bad[i]), &out, &len),
		               REFUSED(HTTP_BAD_REQUEST));
		expect_chunked(bad[i], decode_strict(bad[i], &len), REFUSED(HTTP_BAD_REQUEST));
	}
}

/* refusal_of — the reason the decoder gives for refusing in (it must refuse it). */
static const char *refusal_of(const char *in, bool crlf_only)
{
	struct http_chunked d = { 0 };
	size_t len;
	d.limit = 100;
	d.crlf_only = crlf_only;
	assert_int_equal(http_chunked_decode(&d, in, strlen(in), NULL, &len), PARSE_BAD);
	assert_int_equal(d.status, HTTP_BAD_REQUEST);
	assert_non_null(d.error);
	return d.error;
}

/* The 400 page says which rule the body broke. */
static void test_chunked_refusals_say_which_rule(void **state)
{
	(void)state;
	assert_non_null(strstr(refusal_of("1x\r\n", false), "section 7.1)"));
	assert_non_null(strstr(refusal_of("a \r\n", false), "section 7.1.1"));
	assert_non_null(strstr(refusal_of("2;\r\n", false), "section 7.1.1"));
	assert_non_null(strstr(refusal_of("0\r\nGET / HTTP/1.1\r\n", false), "section 7.1.2"));
	assert_non_null(strstr(refusal_of("0\r\nX: a\rb\r\n", true), "section 7.1.2"));
	static const char *const bare[] = { "1\nx\r\n", "1\r\nx\n", "0\r\n\n", "0\r\nX: y\n" };
	for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++)
		assert_non_null(strstr(refusal_of(bare[i], true), "bare LF"));
}

/* chunk = chunk-size [ chunk-ext ] CRLF, chunk-ext = *( BWS ";" BWS chunk-ext-name
 * [ BWS "=" BWS chunk-ext-val ] ), chunk-ext-val = token / quoted-string (RFC 9112
 * §7.1, §7.1.1), the quoted-string of RFC 9110 §5.6.4. */
static void test_chunked_extensions_follow_the_grammar(void **state)
{
	(void)state;
	static const char *const good[] = {
		"1;a\r\nx\r\n0\r\n\r\n",
		"1;a=b\r\nx\r\n0\r\n\r\n",
		"1 ;a\r\nx\r\n0\r\n\r\n",
		"1\t; \ta\r\nx\r\n0\r\n\r\n",
		"1;a =b\r\nx\r\n0\r\n\r\n",
		"1;a= b\r\nx\r\n0\r\n\r\n",
		"1;a;b=c ; d\r\nx\r\n0\r\n\r\n",
		"1;a=\"q; r\"\r\nx\r\n0\r\n\r\n",
		"1;a=\"\\\"\\\\\" ;b\r\nx\r\n0\r\n\r\n", /* a="\"\\" ;b */
		"1;a=\"\xe9\"\r\nx\r\n0;last\r\n\r\n",
	};
	static const char *const bad[] = {
		"a \r\n0123456789\r\n0\r\n\r\n",      /* llhttp "Space after chunk header" */
		"1\t\r\nx\r\n0\r\n\r\n",
		"2;\r\naa\r\n0\r\n\r\n",             /* llhttp "No extension after semicolon" */
		"2; \r\naa\r\n0\r\n\r\n",
		"1;a \r\nx\r\n0\r\n\r\n",
		"1;a=\r\nx\r\n0\r\n\r\n",
		"1;a=b \r\nx\r\n0\r\n\r\n",
		"5;a=\"def; ghi\r\nhello\r\n0\r\n\r\n", /* llhttp "Unbalanced ... quoting" */
		"1;a=\"b\\\r\nx\r\n0\r\n\r\n",         /* an escape, then the line end */
		"1;a=\"b\"c\r\nx\r\n0\r\n\r\n",
		"1;=b\r\nx\r\n0\r\n\r\n",
		"1;a=b=c\r\nx\r\n0\r\n\r\n",
		"1;a==b\r\nx\r\n0\r\n\r\n",
		"1;a=\"\x01\"\r\nx\r\n0\r\n\r\n",
		"1;a b\r\nx\r\n0\r\n\r\n",
		"0 \r\n\r\n",
	};
	char *out;
	size_t len;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		expect_chunked(good[i], decode(100, good[i], strlen(good[i]), &out, &len),
		               (int)strlen(good[i]));
		assert_int_equal(len, 1);
		assert_int_equal(out[0], 'x');
		expect_chunked(good[i], decode_strict(good[i], &len), (int)strlen(good[i]));
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		expect_chunked(bad[i], decode(100, bad[i], strlen(bad[i]), &out, &len),
		               REFUSED(HTTP_BAD_REQUEST));
		expect_chunked(bad[i], decode_strict(bad[i], &len), REFUSED(HTTP_BAD_REQUEST));
	}
}

static void test_chunked_bytes_after_the_last_chunk_are_not_used(void **state)
{
	(void)state;
	static const char in[] = "4\r\nWiki\r\n0\r\n\r\nGET /next HTTP/1.1\r\n";
	char *out;
	size_t len;
	expect_chunked("pipelined", decode(100, in, sizeof in - 1, &out, &len),
	               sizeof in - 1 - 20);
	assert_int_equal(len, 4);
	assert_memory_equal(out, "Wiki", 4);
	assert_memory_equal(out + sizeof in - 1 - 20, "GET /next HTTP/1.1\r\n", 20);
}

static void test_chunked_incomplete_then_rest(void **state)
{
	(void)state;
	static const char first[] = "4\r\nWi" "ki", rest[] = "\r\n2\r\n!!\r\n0\r\n\r\nZ";
	char out[64];
	struct http_chunked d = { 0 };
	size_t len;
	d.limit = 100;
	expect_chunked("first read", http_chunked_decode(&d, first, sizeof first - 1, out, &len),
	               PARSE_INCOMPLETE);
	assert_int_equal(len, 4);
	assert_memory_equal(out, "Wiki", 4);
	size_t have = len;
	expect_chunked("second read",
	               http_chunked_decode(&d, rest, sizeof rest - 1, out + have, &len),
	               sizeof rest - 2); /* all but the 'Z' */
	assert_int_equal(len, 2);
	assert_memory_equal(out, "Wiki!!", 6);
}

/* feed_bytewise — decodes in[0..len) one raw byte per call, the way a server decodes
 * each read after the bytes decoded so far. Returns the last call's answer. */
static long feed_bytewise(uint64_t limit, const char *in, size_t len, char *out, size_t *outlen)
{
	struct http_chunked d = { 0 };
	size_t have = 0;
	long rc = PARSE_INCOMPLETE;
	d.limit = limit;
	for (size_t i = 0; i < len; i++) {
		size_t n;
		rc = chunked_answer(http_chunked_decode(&d, in + i, 1, out + have, &n), &d);
		have += n;
		if (rc != PARSE_INCOMPLETE) {
			/* the answer comes on the last byte, not before */
			assert_int_equal(i, len - 1);
			break;
		}
	}
	*outlen = have;
	return rc;
}

static void test_chunked_one_byte_per_call_gives_same_output(void **state)
{
	(void)state;
	static const char *const bodies[] = {
		"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n",
		"4;name=value\r\nWiki\r\n5 ; a=\"q\"\r\npedia\r\n0;last\r\nX-T: 1\r\n\r\n",
		"1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n",
		"4\nWiki\n0\n\n",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		size_t len = strlen(bodies[i]), onelen, bytelen;
		char *one, bytewise[128];
		expect_chunked(bodies[i], decode(1000, bodies[i], len, &one, &onelen), (int)len);
		expect_chunked(bodies[i], feed_bytewise(1000, bodies[i], len, bytewise, &bytelen),
		               1); /* the last byte, used */
		assert_int_equal(bytelen, onelen);
		assert_memory_equal(bytewise, one, onelen);
	}
}

static void test_chunked_malformed_is_bad(void **state)
{
	(void)state;
	static const struct {
		const char *label, *in;
	} cases[] = {
		{ "space inside size", "1 2\r\nx\r\n0\r\n\r\n" },
		{ "not hex", "x\r\n" },
		{ "digit then junk", "1x\r\na\r\n0\r\n\r\n" },
		{ "empty size", "\r\n" },
		{ "leading space", " 1\r\na\r\n0\r\n\r\n" },
		{ "negative", "-1\r\n" },
		{ "0x prefix", "0x5\r\n" },
		{ "no CRLF after data", "3\r\nabcX\r\n0\r\n\r\n" },
		{ "data longer than size", "3\r\nabcd\r\n0\r\n\r\n" },
		{ "CR then not LF after size", "3\rXabc\r\n0\r\n\r\n" },
		{ "CR then not LF after data", "3\r\nabc\rX0\r\n\r\n" },
		{ "size overflow", "ffffffffffffffffff\r\n" },
		{ "CR then not LF at end", "0\r\n\rX" },
		{ "CTL in extension", "1;a\x01\r\nx\r\n0\r\n\r\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out;
		size_t len;
		expect_chunked(cases[i].label,
		               decode(UINT64_MAX, cases[i].in, strlen(cases[i].in), &out, &len),
		               REFUSED(HTTP_BAD_REQUEST));
	}
}

static void test_chunked_size_line_over_limit_is_bad(void **state)
{
	(void)state;
	struct sbuf b = { 0 };
	char *out;
	size_t len;
	/* a size line of LIMIT_CHUNK_LINE bytes, CR LF included, is fine */
	sb_str(&b, "1;");
	sb_fill(&b, 'e', LIMIT_CHUNK_LINE - 4);
	sb_str(&b, "\r\nz\r\n0\r\n\r\n");
	expect_chunked("line of LIMIT with CRLF", decode(100, b.p, b.len, &out, &len), (int)b.len);
	assert_int_equal(len, 1);
	assert_int_equal(out[0], 'z');

	b = (struct sbuf){ 0 };
	sb_str(&b, "1;");
	sb_fill(&b, 'e', LIMIT_CHUNK_LINE);
	sb_str(&b, "\r\nz\r\n0\r\n\r\n");
	expect_chunked("line over LIMIT", decode(100, b.p, b.len, &out, &len),
	               REFUSED(HTTP_BAD_REQUEST));

	b = (struct sbuf){ 0 };
	sb_fill(&b, '0', LIMIT_CHUNK_LINE + 1); /* leading zeros: a long line of digits */
	sb_str(&b, "1\r\nz\r\n0\r\n\r\n");
	expect_chunked("digits over LIMIT", decode(100, b.p, b.len, &out, &len),
	               REFUSED(HTTP_BAD_REQUEST));
}

static void test_chunked_over_limit_is_too_big_before_data(void **state)
{
	(void)state;
	char *out;
	size_t len;
	expect_chunked("one chunk of 11, limit 10", decode(10, "b\r\n", 3, &out, &len),
	               REFUSED(HTTP_CONTENT_TOO_LARGE));
	assert_int_equal(len, 0);
	expect_chunked("5 then 6, limit 10", decode(10, "5\r\nhello\r\n6\r\n", 13, &out, &len),
	               REFUSED(HTTP_CONTENT_TOO_LARGE));
	assert_int_equal(len, 5);
	expect_chunked("5 then 5, limit 10",
	               decode(10, "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", 25, &out, &len), 25);
	assert_int_equal(len, 10);
	assert_memory_equal(out, "helloworld", 10);
	expect_chunked("huge size, limit 1M",
	               decode(LIMIT_BODY_DEFAULT, "fffffffffff\r\n", 13, &out, &len),
	               REFUSED(HTTP_CONTENT_TOO_LARGE));
}

static void test_chunked_200k_body_in_4k_reads_decodes_exactly(void **state)
{
	(void)state;
	const size_t body_len = 200 * 1024, chunk = 4096, read_size = 4096;
	char *body = keep(malloc(body_len));
	struct sbuf raw = { 0 };
	char line[32];

	assert_non_null(body);
	for (size_t i = 0; i < body_len; i++)
		body[i] = (char)(i * 7 + i / 251);
	for (size_t off = 0; off < body_len; off += chunk) {
		snprintf(line, sizeof line, "%zx\r\n", chunk);
		sb_str(&raw, line);
		sb_add(&raw, body + off, chunk);
		sb_str(&raw, "\r\n");
	}
	sb_str(&raw, "0\r\n\r\n");

	char *buf = keep(malloc(raw.len));
	struct http_chunked d = { 0 };
	size_t have = 0, in = 0, n = 0;
	long rc = PARSE_INCOMPLETE;
	assert_non_null(buf);
	d.limit = LIMIT_BODY_DEFAULT;
	while (in < raw.len && rc == PARSE_INCOMPLETE) {
		size_t decoded;
		n = raw.len - in < read_size ? raw.len - in : read_size;
		memcpy(buf + have, raw.p + in, n); /* a read lands after the decoded bytes */
		in += n;
		rc = http_chunked_decode(&d, buf + have, n, buf + have, &decoded);
		have += decoded;
	}
	expect_chunked("200 KiB", rc, (int)n); /* all of the last read: nothing follows */
	assert_int_equal(in, raw.len);
	assert_int_equal(have, body_len);
	assert_int_equal(d.total, body_len);
	assert_memory_equal(buf, body, body_len);
}

/* ---- lookups and tables ----------------------------------------------------------- */

static void test_header_get_any_case_first_match_or_null(void **state)
{
	(void)state;
	const char *in = "GET / HTTP/1.1\r\nHost: h\r\nX-Dup: one\r\nx-dup: two\r\n\r\n";
	expect_rc("dup", parse(in), (int)strlen(in));
	assert_string_equal(http_header_get(R, "HOST"), "h");
	assert_string_equal(http_header_get(R, "host"), "h");
	assert_string_equal(http_header_get(R, "X-DUP"), "one");
	assert_null(http_header_get(R, "X-Du"));
	assert_null(http_header_get(R, "Hostx"));
	assert_null(http_header_get(R, "Accept"));
}

static void test_token_list_has_matches_whole_tokens_any_case(void **state)
{
	(void)state;
	assert_true(http_token_list_has("close", "close"));
	assert_true(http_token_list_has("Close", "close"));
	assert_true(http_token_list_has("keep-alive, close", "close"));
	assert_true(http_token_list_has("keep-alive,close", "close"));
	assert_true(http_token_list_has(" ,, close\t, x", "close"));
	assert_true(http_token_list_has("Upgrade, KEEP-ALIVE", "keep-alive"));
	assert_true(http_token_list_has("a, close ", "close"));
	assert_false(http_token_list_has("closed", "close"));
	assert_false(http_token_list_has("clos", "close"));
	assert_false(http_token_list_has("not-close", "close"));
	assert_false(http_token_list_has("close-ish, keep", "close"));
	assert_false(http_token_list_has("", "close"));
	assert_false(http_token_list_has(" , ,", "close"));
}

static void test_method_bit_known_methods_case_sensitive(void **state)
{
	(void)state;
	assert_int_equal(http_method_bit("GET"), HTTP_GET);
	assert_int_equal(http_method_bit("HEAD"), HTTP_HEAD);
	assert_int_equal(http_method_bit("POST"), HTTP_POST);
	assert_int_equal(http_method_bit("PUT"), HTTP_PUT);
	assert_int_equal(http_method_bit("DELETE"), HTTP_DELETE);
	assert_int_equal(http_method_bit("CONNECT"), HTTP_CONNECT);
	assert_int_equal(http_method_bit("OPTIONS"), HTTP_OPTIONS);
	assert_int_equal(http_method_bit("TRACE"), HTTP_TRACE);
	assert_int_equal(http_method_bit("PATCH"), HTTP_PATCH);
	assert_int_equal(http_method_bit("get"), 0);
	assert_int_equal(http_method_bit("FOO"), 0);
	assert_int_equal(http_method_bit("GETX"), 0);
	assert_int_equal(http_method_bit(""), 0);
}

static void test_methods_format_lists_allow_in_order_get_implies_head(void **state)
{
	(void)state;
	char out[128];
	assert_string_equal(http_methods_format(HTTP_GET, out, sizeof out), "GET, HEAD");
	assert_string_equal(http_methods_format(HTTP_POST | HTTP_GET, out, sizeof out),
	                    "GET, HEAD, POST");
	assert_string_equal(http_methods_format(HTTP_PATCH | HTTP_HEAD, out, sizeof out),
	                    "HEAD, PATCH");
	assert_string_equal(http_methods_format(HTTP_POST, out, sizeof out), "POST");
	assert_string_equal(http_methods_format(0, out, sizeof out), "");
	assert_string_equal(http_methods_format(0x1ff, out, sizeof out),
	                    "GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH");
	assert_true(http_methods_format(HTTP_GET, out, sizeof out) == out);
}

/* A buffer too small for the whole list: what it holds must still be a valid Allow
 * value, i.e. whole method names only. */
static void test_methods_format_small_buffer_keeps_whole_names(void **state)
{
	(void)state;
	char out[8];
	memset(out, '#', sizeof out);
	assert_string_equal(http_methods_format(HTTP_GET | HTTP_POST, out, sizeof out), "GET");
	char tiny[3];
	assert_string_equal(http_methods_format(HTTP_GET, tiny, sizeof tiny), "");
}

static void test_reason_phrases_and_unknown(void **state)
{
	(void)state;
	assert_string_equal(http_reason(100), "Continue");
	assert_string_equal(http_reason(200), "OK");
	assert_string_equal(http_reason(204), "No Content");
	assert_string_equal(http_reason(304), "Not Modified");
	assert_string_equal(http_reason(307), "Temporary Redirect");
	assert_string_equal(http_reason(400), "Bad Request");
	assert_string_equal(http_reason(404), "Not Found");
	assert_string_equal(http_reason(405), "Method Not Allowed");
	assert_string_equal(http_reason(408), "Request Timeout");
	assert_string_equal(http_reason(413), "Content Too Large");
	assert_string_equal(http_reason(414), "URI Too Long");
	assert_string_equal(http_reason(417), "Expectation Failed");
	assert_string_equal(http_reason(418), "I'm a teapot");
	assert_string_equal(http_reason(431), "Request Header Fields Too Large");
	assert_string_equal(http_reason(500), "Internal Server Error");
	assert_string_equal(http_reason(501), "Not Implemented");
	assert_string_equal(http_reason(503), "Service Unavailable");
	assert_string_equal(http_reason(505), "HTTP Version Not Supported");
	assert_string_equal(http_reason(0), "Unknown");
	assert_string_equal(http_reason(299), "Unknown");
	assert_string_equal(http_reason(-1), "Unknown");
	assert_string_equal(http_reason(506), "Unknown");
	assert_string_equal(http_reason(600), "Unknown");
	assert_string_equal(http_reason(1000000), "Unknown");
}

/* Every status the enum names has its own phrase. */
static void test_reason_every_enum_status_is_known(void **state)
{
	(void)state;
	static const int all[] = { HTTP_CONTINUE, HTTP_OK, HTTP_NO_CONTENT, HTTP_MOVED_PERMANENTLY,
		HTTP_FOUND, HTTP_NOT_MODIFIED, HTTP_TEMPORARY_REDIRECT, HTTP_BAD_REQUEST,
		HTTP_FORBIDDEN, HTTP_NOT_FOUND, HTTP_METHOD_NOT_ALLOWED, HTTP_NOT_ACCEPTABLE,
		HTTP_REQUEST_TIMEOUT, HTTP_LENGTH_REQUIRED, HTTP_CONTENT_TOO_LARGE,
		HTTP_URI_TOO_LONG, HTTP_UNSUPPORTED_MEDIA_TYPE, HTTP_EXPECTATION_FAILED,
		HTTP_IM_A_TEAPOT, HTTP_HEADERS_TOO_LARGE, HTTP_INTERNAL_SERVER_ERROR,
		HTTP_NOT_IMPLEMENTED, HTTP_SERVICE_UNAVAILABLE, HTTP_VERSION_NOT_SUPPORTED };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(http_reason(all[i]), "Unknown") == 0)
			fail_msg("status %d has no reason phrase", all[i]);
}

#define T(name) cmocka_unit_test_teardown(name, release)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse_get_fills_every_field),
		T(test_parse_target_without_query_has_empty_query),
		T(test_parse_header_value_trims_surrounding_whitespace),
		T(test_parse_tab_and_obs_text_in_value_accepted),
		T(test_parse_incomplete_resets_request),
		T(test_parse_empty_input_is_incomplete),
		T(test_head_length_is_exact_and_body_untouched),
		T(test_pipelined_requests_parse_at_returned_offset),
		T(test_strings_are_copies_that_survive_the_input),
		T(test_limit_request_line_over_limit_complete_is_414),
		T(test_limit_request_line_over_limit_arriving_is_414),
		T(test_limit_request_line_at_limit_is_accepted),
		T(test_split_request_line_at_limit_with_cr_pending_is_incomplete),
		T(test_limit_header_line_over_limit_is_431),
		T(test_limit_header_line_at_limit_is_accepted),
		T(test_split_header_line_at_limit_with_cr_pending_is_incomplete),
		T(test_limit_headers_total_over_limit_is_431),
		T(test_limit_headers_total_at_limit_is_accepted),
		T(test_limit_header_count_at_limit_is_accepted),
		T(test_limit_header_count_over_limit_is_431),
		T(test_request_line_missing_parts_is_400),
		T(test_request_line_bad_separators_is_400),
		T(test_request_line_bad_version_syntax_is_400),
		T(test_version_2_and_later_is_505),
		T(test_version_1_0_and_1_1_are_10_and_11),
		T(test_version_1_2_is_answered_as_1_1),
		T(test_unknown_method_token_is_accepted),
		T(test_connect_is_501),
		T(test_non_token_method_is_400),
		T(test_target_with_high_byte_or_ctl_is_400),
		T(test_target_not_origin_absolute_or_asterisk_is_400),
		T(test_asterisk_target_only_with_options),
		T(test_absolute_form_gives_path_and_query),
		T(test_absolute_form_without_host_is_400),
		T(test_absolute_form_host_is_the_host),
		T(test_absolute_form_host_fits_after_the_header_limit),
		T(test_missing_host_on_1_1_is_400),
		T(test_missing_host_on_1_0_is_accepted),
		T(test_duplicate_host_is_400),
		T(test_content_length_not_plain_digits_is_400),
		T(test_content_length_digits_set_length_framing),
		T(test_content_length_two_that_differ_is_400),
		T(test_content_length_two_equal_is_accepted),
		T(test_content_length_more_digits_than_limit_is_400),
		T(test_transfer_encoding_with_content_length_is_400),
		T(test_transfer_encoding_on_1_0_is_400),
		T(test_transfer_encoding_gzip_alone_is_400),
		T(test_transfer_encoding_gzip_then_chunked_is_501),
		T(test_transfer_encoding_chunked_not_last_is_400),
		T(test_transfer_encoding_chunked_with_parameters_is_400),
		T(test_transfer_encoding_chunked_any_case_is_chunked),
		T(test_space_before_colon_is_400),
		T(test_obs_fold_is_400),
		T(test_bare_cr_in_header_value_is_400),
		T(test_nul_and_ctl_in_header_value_is_400),
		T(test_bad_header_name_is_400),
		T(test_expect_100_continue_sets_flag_on_1_1_only),
		T(test_expect_other_value_is_417),
		T(test_connection_keep_alive_semantics_per_version),
		T(test_leading_empty_lines_are_skipped),
		T(test_lone_lf_line_endings_accepted),
		T(test_nc_typed_head_and_chunked_body_accepted),
		T(test_mixed_line_ends_are_400),
		T(test_split_valid_requests_incomplete_until_last_byte),
		T(test_split_invalid_requests_first_answer_equals_whole),
		T(test_no_overread_on_any_prefix_before_unmapped_page),
		T(test_chunked_simple_body_decodes),
		T(test_chunked_extensions_are_ignored),
		T(test_chunked_trailers_are_skipped),
		T(test_chunked_hex_sizes_in_either_case),
		T(test_chunked_lone_lf_line_ends_accepted),
		T(test_chunked_crlf_only_refuses_bare_lf),
		T(test_chunked_trailer_fields_checked_like_header_fields),
		T(test_chunked_unterminated_trailers_refuse_the_next_request_line),
		T(test_chunked_extensions_follow_the_grammar),
		T(test_chunked_refusals_say_which_rule),
		T(test_chunked_bytes_after_the_last_chunk_are_not_used),
		T(test_chunked_incomplete_then_rest),
		T(test_chunked_one_byte_per_call_gives_same_output),
		T(test_chunked_malformed_is_bad),
		T(test_chunked_size_line_over_limit_is_bad),
		T(test_chunked_over_limit_is_too_big_before_data),
		T(test_chunked_200k_body_in_4k_reads_decodes_exactly),
		T(test_header_get_any_case_first_match_or_null),
		T(test_token_list_has_matches_whole_tokens_any_case),
		T(test_method_bit_known_methods_case_sensitive),
		T(test_methods_format_lists_allow_in_order_get_implies_head),
		T(test_methods_format_small_buffer_keeps_whole_names),
		T(test_reason_phrases_and_unknown),
		T(test_reason_every_enum_status_is_known),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
