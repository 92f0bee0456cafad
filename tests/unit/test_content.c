/* test_content — common/server/content.c, the article's write_data, over a socketpair: gzip
 * only when Accept-Encoding allows it, Content-Length counting the bytes sent, Vary
 * always, HEAD with GET's headers and no body, and a ready-made gzip form sent as it
 * is. Every case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cache.h"
#include "capture.h"
#include "content.h"
#include "gzip.h"
#include "http.h"
#include "response.h"

static const char BODY[] = "Hello localhost\nHello localhost\nHello localhost\n";
#define BODY_LEN (sizeof BODY - 1)

struct fx {
	struct http_head head;
	struct request req; /* what a handler gets; content_* reads only its head */
	struct response res;
	char out[16384];
	size_t len;
	const char *body; /* into out, after the head */
	size_t body_len;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fx));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

typedef void (*send_fn)(struct fx *f);

/* run — parses "METHOD / HTTP/1.1" with extra header lines, lets fn answer with a 200,
 * and keeps what the client received (the access log is caught, unread). */
static void run(struct fx *f, const char *method, const char *headers, send_fn fn)
{
	char buf[1024];
	int sv[2];
	struct capture log;
	int n = snprintf(buf, sizeof buf, "%s / HTTP/1.1\r\nHost: t\r\n%s\r\n", method, headers);
	ssize_t got;

	assert_int_equal(http_parse_request(buf, (size_t)n, &f->head), n);
	f->req = (struct request){.head = &f->head};
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(capture_start(&log), 0);
	res_init(&f->res, sv[0], &f->head, "127.0.0.1", "GET / HTTP/1.1");
	res_send_response(&f->res, HTTP_OK);
	fn(f);
	res_finish(&f->res);
	capture_stop(&log);
	close(sv[0]);
	f->len = 0;
	while ((got = read(sv[1], f->out + f->len, sizeof f->out - 1 - f->len)) > 0)
		f->len += (size_t)got;
	close(sv[1]);
	f->out[f->len] = '\0';
	const char *end = strstr(f->out, "\r\n\r\n");
	assert_non_null(end);
	f->body = end + 4;
	f->body_len = f->len - (size_t)(f->body - f->out);
}

static bool has(const struct fx *f, const char *line)
{
	char want[256];
	snprintf(want, sizeof want, "\r\n%s\r\n", line);
	return strstr(f->out, want) != NULL;
}

/* content_length — the Content-Length the head announced, or -1. */
static long content_length(const struct fx *f)
{
	const char *p = strstr(f->out, "\r\nContent-Length: ");
	return p ? strtol(p + 18, NULL, 10) : -1;
}

static void send_plain(struct fx *f)
{
	content_send(&f->res, &f->req, NULL, BODY, BODY_LEN);
}

static void send_with_vary(struct fx *f)
{
	content_send(&f->res, &f->req, "Accept", BODY, BODY_LEN);
}

static void test_gzip_when_accepted_and_length_counts_compressed_bytes(void **state)
{
	struct fx *f = *state;
	run(f, "GET", "Accept-Encoding: gzip, deflate\r\n", send_plain);
	assert_true(has(f, "Content-Encoding: gzip"));
	assert_true(has(f, "Vary: Accept-Encoding"));
	assert_int_equal(content_length(f), (long)f->body_len);
	assert_true(f->body_len != BODY_LEN);
	unsigned char *back;
	size_t blen;
	assert_int_equal(gz_decompress(f->body, f->body_len, 1024, &back, &blen), 0);
	assert_int_equal(blen, BODY_LEN);
	assert_memory_equal(back, BODY, BODY_LEN);
	free(back);
}

static void test_identity_without_accept_encoding_but_still_vary(void **state)
{
	struct fx *f = *state;
	run(f, "GET", "", send_plain);
	assert_null(strstr(f->out, "Content-Encoding"));
	assert_true(has(f, "Vary: Accept-Encoding")); /* the answer depends on the header */
	assert_int_equal(content_length(f), (long)BODY_LEN);
	assert_int_equal(f->body_len, BODY_LEN);
	assert_memory_equal(f->body, BODY, BODY_LEN);
}

static void test_identity_when_gzip_is_refused(void **state)
{
	static const char *const refusing[] = {
		"Accept-Encoding: gzip;q=0, *\r\n",
		"Accept-Encoding: identity\r\n",
		"Accept-Encoding: *;q=0\r\n",
		"Accept-Encoding: br\r\n",
	};
	struct fx *f = *state;
	for (size_t i = 0; i < sizeof refusing / sizeof refusing[0]; i++) {
		run(f, "GET", refusing[i], send_plain);
		if (strstr(f->out, "Content-Encoding"))
			fail_msg("gzip sent for %s", refusing[i]);
		assert_int_equal(f->body_len, BODY_LEN);
	}
	run(f, "GET", "Accept-Encoding: *\r\n", send_plain);
	assert_true(has(f, "Content-Encoding: gzip")); /* "*" covers gzip */
}

static void test_head_has_gets_headers_and_no_body(void **state)
{
	struct fx *f = *state;
	run(f, "GET", "Accept-Encoding: gzip\r\n", send_plain);
	long get_length = content_length(f);
	run(f, "HEAD", "Accept-Encoding: gzip\r\n", send_plain);
	assert_true(has(f, "Content-Encoding: gzip"));
	assert_int_equal(content_length(f), get_length);
	assert_int_equal(f->body_len, 0);
}

static void test_vary_names_both_headers_in_one_field(void **state)
{
	struct fx *f = *state;
	run(f, "GET", "", send_with_vary);
	assert_true(has(f, "Vary: Accept, Accept-Encoding"));
	const char *first = strstr(f->out, "Vary:");
	assert_null(strstr(first + 1, "Vary:"));
}

static const unsigned char FAKE_GZ[] = "pretend-gzip";

static void send_forms(struct fx *f)
{
	content_send_forms(&f->res, &f->req, NULL, BODY, BODY_LEN, FAKE_GZ, sizeof FAKE_GZ - 1);
}

static void test_ready_gzip_form_is_sent_as_it_is(void **state)
{
	struct fx *f = *state;
	run(f, "GET", "Accept-Encoding: gzip\r\n", send_forms);
	assert_true(has(f, "Content-Encoding: gzip"));
	assert_int_equal(f->body_len, sizeof FAKE_GZ - 1);
	assert_memory_equal(f->body, FAKE_GZ, sizeof FAKE_GZ - 1);
	run(f, "GET", "", send_forms);
	assert_int_equal(f->body_len, BODY_LEN);
	assert_memory_equal(f->body, BODY, BODY_LEN);
}

static void send_empty(struct fx *f)
{
	content_send(&f->res, &f->req, NULL, "", 0);
}

static void test_empty_body_gzips_to_a_valid_member(void **state)
{
	struct fx *f = *state;
	run(f, "GET", "Accept-Encoding: gzip\r\n", send_empty);
	unsigned char *back;
	size_t blen;
	assert_int_equal(gz_decompress(f->body, f->body_len, 16, &back, &blen), 0);
	assert_int_equal(blen, 0);
	free(back);
}

/* etag_for — content_etag of BODY for a GET with the given header lines. */
static void etag_for(const char *headers, char out[CONTENT_ETAG_LEN + 1])
{
	struct http_head head;
	char buf[256];
	int n = snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: t\r\n%s\r\n", headers);

	assert_int_equal(http_parse_request(buf, (size_t)n, &head), n);
	content_etag(&(struct request){.head = &head}, BODY, BODY_LEN, out);
}

static void test_etag_is_strong_for_identity_and_weak_for_gzip(void **state)
{
	char strong[CACHE_ETAG_LEN + 1], identity[CONTENT_ETAG_LEN + 1], gzip[CONTENT_ETAG_LEN + 1],
		refused[CONTENT_ETAG_LEN + 1];

	(void)state;
	content_etag_md5(BODY, BODY_LEN, strong);
	etag_for("", identity);
	etag_for("Accept-Encoding: gzip, deflate\r\n", gzip);
	etag_for("Accept-Encoding: gzip;q=0\r\n", refused);
	assert_string_equal(identity, strong);
	assert_string_equal(refused, strong);
	assert_int_equal(strlen(gzip), CONTENT_ETAG_LEN);
	assert_memory_equal(gzip, "W/", 2);
	assert_string_equal(gzip + 2, strong);
	/* Either form's tag revalidates the other (weak comparison), never a strong match. */
	assert_true(cache_none_match(identity, gzip));
	assert_true(cache_none_match(gzip, identity));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        test_gzip_when_accepted_and_length_counts_compressed_bytes, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(
		        test_identity_without_accept_encoding_but_still_vary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity_when_gzip_is_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_head_has_gets_headers_and_no_body, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_vary_names_both_headers_in_one_field, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_ready_gzip_form_is_sent_as_it_is, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_empty_body_gzips_to_a_valid_member, setup,
		                                teardown),
		cmocka_unit_test(test_etag_is_strong_for_identity_and_weak_for_gzip),
	};
	return cmocka_run_group_tests_name("content", tests, NULL, NULL);
}
