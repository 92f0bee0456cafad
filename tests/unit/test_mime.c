/* test_mime — common/http/mime.c: the extension table, libmagic sniffing of a PNG and of
 * text (from memory, and from several threads at once), and Accept negotiation:
 * q-values, specificity, q=0, malformed input, ties and 406. Every case is named for
 * what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "mime.h"
#include "sniff.h"

/* ---- by name -------------------------------------------------------------------- */

static void test_extension_table_knows_the_web_types(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{"index.html", "text/html"},  {"old.htm", "text/html"},
		{"notes.txt", "text/plain"},  {"style.css", "text/css"},
		{"app.js", "text/javascript"}, {"data.json", "application/json"},
		{"logo.png", "image/png"},    {"photo.jpg", "image/jpeg"},
		{"photo.jpeg", "image/jpeg"}, {"anim.gif", "image/gif"},
		{"favicon.ico", "image/vnd.microsoft.icon"}, {"icon.svg", "image/svg+xml"},
		{"pic.webp", "image/webp"},   {"doc.pdf", "application/pdf"},
		{"feed.xml", "text/xml"},     {"mod.wasm", "application/wasm"},
		{"clip.mp4", "video/mp4"},    {"table.csv", "text/csv"},
		{"server.c", "text/plain"},   {"http.h", "text/plain"},
		{"script.py", "text/x-python"},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		const char *got = mime_from_name(pairs[i][0]);
		if (!got || strcmp(got, pairs[i][1]) != 0)
			fail_msg("%s: got %s, want %s", pairs[i][0], got ? got : "NULL",
			         pairs[i][1]);
	}
}

static void test_extension_compares_without_case_and_uses_the_last_dot(void **state)
{
	(void)state;
	assert_string_equal(mime_from_name("LOGO.PNG"), "image/png");
	assert_string_equal(mime_from_name("archive.tar.gz.txt"), "text/plain");
	assert_string_equal(mime_from_name("dir/sub/page.Html"), "text/html");
}

static void test_no_or_unknown_extension_is_null(void **state)
{
	(void)state;
	assert_null(mime_from_name("README"));
	assert_null(mime_from_name("file."));
	assert_null(mime_from_name(".profile"));      /* a hidden file, not an extension */
	assert_null(mime_from_name("a.d/README"));    /* the dot is in a folder's name */
	assert_null(mime_from_name("thing.unknownext"));
	assert_null(mime_from_name(""));
}

/* ---- by content ----------------------------------------------------------------- */

/* A whole 1x1 PNG (signature, IHDR, IDAT, IEND), as tools/scripts/make-images.py writes them. */
static const unsigned char tiny_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
	0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
	0xda, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x56, 0xc7,
	0x2f, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static int open_sniffer(void **state)
{
	char err[LIMIT_ERR_LEN] = "";
	struct sniffer *s = sniff_open(err);
	if (!s) {
		fprintf(stderr, "sniff_open: %s\n", err);
		return -1;
	}
	*state = s;
	return 0;
}

static int close_sniffer(void **state)
{
	sniff_close(*state);
	return 0;
}

static void test_sniffs_a_png_from_its_bytes(void **state)
{
	char type[MIME_TYPE_LEN];
	struct guarded g = guard(tiny_png, sizeof tiny_png);
	assert_int_equal(sniff_bytes(*state, g.s, sizeof tiny_png, type), 0);
	unguard(&g);
	assert_string_equal(type, "image/png");
}

static void test_sniffs_text_and_html(void **state)
{
	static const char text[] = "Hello World\nThis is plain text, whatever the name says.\n";
	static const char html[] = "<!DOCTYPE html>\n<html><head><title>x</title></head>"
	                           "<body><p>hi</p></body></html>\n";
	char type[MIME_TYPE_LEN];
	assert_int_equal(sniff_bytes(*state, text, sizeof text - 1, type), 0);
	assert_string_equal(type, "text/plain");
	assert_int_equal(sniff_bytes(*state, html, sizeof html - 1, type), 0);
	assert_string_equal(type, "text/html");
}

static void test_a_png_named_txt_is_still_a_png(void **state)
{
	char type[MIME_TYPE_LEN];
	assert_string_equal(mime_from_name("notes.txt"), "text/plain"); /* the name lies */
	assert_int_equal(sniff_bytes(*state, tiny_png, sizeof tiny_png, type), 0);
	assert_string_equal(type, "image/png");                           /* the bytes do not */
}

static void test_sniffs_an_open_file(void **state)
{
	char type[MIME_TYPE_LEN];
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(tiny_png, 1, sizeof tiny_png, f), sizeof tiny_png);
	assert_int_equal(fflush(f), 0);
	assert_int_equal(sniff_fd(*state, fileno(f), type), 0);
	assert_string_equal(type, "image/png");
	fclose(f);
	assert_int_equal(sniff_fd(*state, -1, type), -1); /* libmagic's error: no type */
	assert_string_equal(type, "application/octet-stream");
}

static void test_empty_buffer_has_a_type_too(void **state)
{
	char type[MIME_TYPE_LEN];
	sniff_bytes(*state, "", 0, type);
	assert_true(strlen(type) > 0 && strchr(type, '/') != NULL);
}

struct sniff_job {
	struct sniffer *s;
	int wrong;
};

static void *sniff_many(void *arg)
{
	struct sniff_job *job = arg;
	char type[MIME_TYPE_LEN];
	for (int i = 0; i < 200; i++) {
		int png = i % 2;
		sniff_bytes(job->s, png ? (const void *)tiny_png : "plain words\n",
		           png ? sizeof tiny_png : 12, type);
		if (strcmp(type, png ? "image/png" : "text/plain") != 0)
			job->wrong++;
	}
	return NULL;
}

static void test_one_sniffer_serves_many_threads(void **state)
{
	pthread_t t[4];
	struct sniff_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct sniff_job){*state, 0};
		assert_int_equal(pthread_create(&t[i], NULL, sniff_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].wrong, 0);
	}
}

/* ---- by Accept ------------------------------------------------------------------ */

static const char *const offers[] = {"text/plain", "text/html", "application/json"};
#define NEG(accept) mime_negotiate((accept), offers, 3)

static void test_no_accept_or_wildcard_gets_the_servers_first_choice(void **state)
{
	(void)state;
	assert_int_equal(NEG(NULL), 0);
	assert_int_equal(NEG(""), 0);
	assert_int_equal(NEG("  "), 0);
	assert_int_equal(NEG(","), 0);         /* empty elements count for nothing */
	assert_int_equal(NEG(" ,\t, ,"), 0);
	assert_int_equal(NEG("*/*"), 0);
}

static void test_exact_type_is_chosen(void **state)
{
	(void)state;
	assert_int_equal(NEG("text/html"), 1);
	assert_int_equal(NEG("application/json"), 2);
	assert_int_equal(NEG("APPLICATION/JSON"), 2); /* types compare without case */
	assert_int_equal(NEG("image/png, application/json"), 2);
}

static void test_highest_q_wins(void **state)
{
	(void)state;
	assert_int_equal(NEG("text/plain;q=0.5, application/json;q=0.9"), 2);
	assert_int_equal(NEG("text/plain;q=0.5, text/html;q=0.501"), 1);
	assert_int_equal(NEG("application/json;q=0.1, */*;q=0.05"), 2);
}

static void test_a_tie_goes_to_the_servers_order(void **state)
{
	(void)state;
	assert_int_equal(NEG("application/json, text/html"), 1);
	assert_int_equal(NEG("text/*"), 0);
}

static void test_more_specific_range_decides_whatever_the_order(void **state)
{
	(void)state;
	/* text/html beats text/[*] beats [*]/[*], so each offer gets a different q. */
	assert_int_equal(NEG("*/*;q=0.1, text/*;q=0.2, text/html;q=0.9"), 1);
	assert_int_equal(NEG("text/html;q=0.9, text/*;q=0.2, */*;q=0.1"), 1);
	/* text/plain gets text/[*]'s 0.2, not [*]/[*]'s 1: json (q 1) wins. */
	assert_int_equal(NEG("*/*, text/*;q=0.2"), 2);
	/* A browser's Accept: text/html at 1, everything else at 0.8. */
	assert_int_equal(NEG("text/html,application/xhtml+xml,application/xml;q=0.9,"
	                     "image/webp,*/*;q=0.8"), 1);
}

static void test_q_zero_means_not_acceptable(void **state)
{
	(void)state;
	assert_int_equal(NEG("text/plain;q=0, */*"), 1);
	assert_int_equal(NEG("text/*;q=0, */*"), 2);
	assert_int_equal(NEG("*/*;q=0"), -1);
	/* An exact q=0 overrides a wildcard that would accept it. */
	assert_int_equal(NEG("text/*, text/plain;q=0, text/html;q=0"), -1);
}

static void test_nothing_acceptable_is_minus_one(void **state)
{
	(void)state;
	assert_int_equal(NEG("image/png"), -1);
	assert_int_equal(NEG("image/*, audio/*"), -1);
	assert_int_equal(NEG("text"), -1);            /* not type/subtype: ignored */
	assert_int_equal(NEG("*/html"), -1);          /* not a media range */
	assert_int_equal(mime_negotiate("*/*", offers, 0), -1);
}

static void test_malformed_q_is_not_acceptable(void **state)
{
	(void)state;
	assert_int_equal(NEG("text/plain;q=2, text/html;q=0.5"), 1);
	assert_int_equal(NEG("text/plain;q=abc"), -1);
	assert_int_equal(NEG("text/plain;q=0.0001"), -1);
}

static void test_parameters_and_spaces_are_tolerated(void **state)
{
	(void)state;
	assert_int_equal(NEG("  text/html ; level=1 ; q=0.7 , application/json;q=0.6"), 1);
	assert_int_equal(NEG(",,application/json,,"), 2);
}

static void test_accept_is_read_within_its_bounds(void **state)
{
	(void)state;
	static const char a[] = "text/plain;q=0, application/json;q=0.3";
	struct guarded g = guard(a, sizeof a); /* with its NUL, right before the guard page */
	assert_int_equal(mime_negotiate(g.s, offers, 3), 2);
	unguard(&g);
}

int main(void)
{
	const struct CMUnitTest by_name[] = {
		cmocka_unit_test(test_extension_table_knows_the_web_types),
		cmocka_unit_test(test_extension_compares_without_case_and_uses_the_last_dot),
		cmocka_unit_test(test_no_or_unknown_extension_is_null),
	};
	const struct CMUnitTest by_content[] = {
		cmocka_unit_test(test_sniffs_a_png_from_its_bytes),
		cmocka_unit_test(test_sniffs_text_and_html),
		cmocka_unit_test(test_a_png_named_txt_is_still_a_png),
		cmocka_unit_test(test_sniffs_an_open_file),
		cmocka_unit_test(test_empty_buffer_has_a_type_too),
		cmocka_unit_test(test_one_sniffer_serves_many_threads),
	};
	const struct CMUnitTest by_accept[] = {
		cmocka_unit_test(test_no_accept_or_wildcard_gets_the_servers_first_choice),
		cmocka_unit_test(test_exact_type_is_chosen),
		cmocka_unit_test(test_highest_q_wins),
		cmocka_unit_test(test_a_tie_goes_to_the_servers_order),
		cmocka_unit_test(test_more_specific_range_decides_whatever_the_order),
		cmocka_unit_test(test_q_zero_means_not_acceptable),
		cmocka_unit_test(test_nothing_acceptable_is_minus_one),
		cmocka_unit_test(test_malformed_q_is_not_acceptable),
		cmocka_unit_test(test_parameters_and_spaces_are_tolerated),
		cmocka_unit_test(test_accept_is_read_within_its_bounds),
	};
	int failed = cmocka_run_group_tests_name("mime by name", by_name, NULL, NULL);
	failed += cmocka_run_group_tests_name("mime by content", by_content, open_sniffer,
	                                      close_sniffer);
	failed += cmocka_run_group_tests_name("mime by Accept", by_accept, NULL, NULL);
	return failed ? 1 : 0;
}
