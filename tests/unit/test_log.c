/* test_log.c — unit tests of common/server/log.c: each call writes exactly one whole line to
 * stderr, in the shape of Python's BaseHTTPRequestHandler.log_message, cut (never
 * overrun) when the message is too long, with request bytes escaped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "date.h"
#include "log.h"

#define CAPTURE_MAX 8192

/* ---- helpers ---------------------------------------------------------------------- */

/* Each test's stderr is caught (capture.h) from start to stop. */
static int start(void **state)
{
	static struct capture cap;

	*state = &cap;
	return capture_start(&cap);
}

static int stop(void **state)
{
	capture_stop(*state);
	return 0;
}

/* written — everything written to stderr since the test began, NUL-terminated. It
 * gives stderr back, so that a failing check's message is seen. */
static const char *written(void **state)
{
	static char text[CAPTURE_MAX + 1];
	const char *got = capture_text(*state, text, sizeof text);

	capture_stop(*state);
	return got;
}

/* expect_prefix — line starts "CLIENT - - [date] " with a date from [before, after]. */
static const char *expect_prefix(const char *line, const char *client, time_t before, time_t after)
{
	char when[DATE_LOG_LEN + 1], prefix[128];
	size_t len = strlen(client);

	assert_memory_equal(line, client, len);
	for (time_t t = before; t <= after; t++) {
		date_format_log(t, when);
		snprintf(prefix, sizeof prefix, "%s - - [%s] ", client, when);
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			return line + strlen(prefix);
	}
	fail_msg("no log prefix for %s at the time of the call: %s", client, line);
	return NULL;
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_message_is_one_line_with_the_python_prefix(void **state)
{
	time_t before = time(NULL);
	log_message("127.0.0.1", "Reading request from ('%s', %d)", "127.0.0.1", 54321);
	time_t after = time(NULL);

	const char *rest = expect_prefix(written(state), "127.0.0.1", before, after);
	assert_string_equal(rest, "Reading request from ('127.0.0.1', 54321)\n");
}

static void test_no_client_prints_a_dash(void **state)
{
	time_t before = time(NULL);
	log_message(NULL, "%s", "started");
	time_t after = time(NULL);

	assert_string_equal(expect_prefix(written(state), "-", before, after), "started\n");
}

static void test_two_calls_give_two_whole_lines(void **state)
{
	log_message("::1", "one");
	log_message("::1", "two");
	const char *text = written(state);

	/* two lines, each whole: exactly two newlines, the second at the very end */
	const char *first = strchr(text, '\n');
	assert_non_null(first);
	assert_non_null(strstr(text, "] one\n"));
	assert_non_null(strstr(first + 1, "] two\n"));
	assert_ptr_equal(strchr(first + 1, '\n'), text + strlen(text) - 1);
}

static void test_long_message_is_cut_but_keeps_its_newline(void **state)
{
	char *big = malloc(5001);
	assert_non_null(big);
	memset(big, 'a', 5000);
	big[5000] = '\0';

	log_message("127.0.0.1", "%s", big);
	const char *text = written(state);
	size_t len = strlen(text);

	assert_true(len > 1024 && len < 5000);
	assert_int_equal(text[len - 1], '\n');
	assert_ptr_equal(strchr(text, '\n'), text + len - 1);
	assert_int_equal(text[len - 2], 'a');
	free(big);
}

static void test_long_client_is_cut_to_63_bytes(void **state)
{
	char client[100];
	memset(client, 'c', 99);
	client[99] = '\0';

	log_message(client, "x");
	const char *text = written(state);

	assert_int_equal(strspn(text, "c"), 63);
	assert_memory_equal(text + 63, " - - [", 6);
}

static void test_request_line_bytes_are_escaped(void **state)
{
	time_t before = time(NULL);
	log_request("10.0.0.1", "GET /\x1b[31m\"x\\ HTTP/1.1", 404);
	time_t after = time(NULL);

	const char *rest = expect_prefix(written(state), "10.0.0.1", before, after);
	assert_string_equal(rest, "\"GET /\\x1b[31m\\\"x\\\\ HTTP/1.1\" 404 -\n");
}

static void test_request_without_a_line_logs_a_dash(void **state)
{
	log_request("10.0.0.1", NULL, 400);
	const char *text = written(state);

	assert_non_null(strstr(text, "] \"-\" 400 -\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_message_is_one_line_with_the_python_prefix,
		                                start, stop),
		cmocka_unit_test_setup_teardown(test_no_client_prints_a_dash, start, stop),
		cmocka_unit_test_setup_teardown(test_two_calls_give_two_whole_lines, start, stop),
		cmocka_unit_test_setup_teardown(test_long_message_is_cut_but_keeps_its_newline,
		                                start, stop),
		cmocka_unit_test_setup_teardown(test_long_client_is_cut_to_63_bytes, start, stop),
		cmocka_unit_test_setup_teardown(test_request_line_bytes_are_escaped, start, stop),
		cmocka_unit_test_setup_teardown(test_request_without_a_line_logs_a_dash, start,
		                                stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
