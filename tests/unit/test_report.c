/* test_report.c — unit tests of tools/check/report.c, what a failing case shows besides
 * its diff, and of tools/check/ports.c, which tells check that a server listens without
 * connecting to it. Every case is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "net.h"
#include "ports.h"
#include "report.h"

/* shown_request — report_request's text for req[0..len) split every split bytes.
 * Caller frees. */
static char *shown_request(const char *req, size_t len, size_t split)
{
	struct cases_request c = {.req = (unsigned char *)req, .len = len, .split = split};
	char *text = NULL;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	assert_non_null(f);
	snprintf(c.name, sizeof c.name, "case");
	report_request(f, &c);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* shown_output — report_output's text for one stream. Caller frees. */
static char *shown_output(const char *label, const char *out)
{
	char *text = NULL;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	assert_non_null(f);
	report_output(f, label, out, strlen(out));
	assert_int_equal(fclose(f), 0);
	return text;
}

static void test_a_request_shows_one_line_per_line_with_its_line_ends_written_out(void **state)
{
	(void)state;
	const char req[] = "GET / HTTP/1.1\r\nHost: a\tb\r\nX: \x01\xff\r\n\r\n";
	char *text = shown_request(req, sizeof req - 1, 0);

	assert_string_equal(text, "      the request sent (36 bytes):\n"
	                          "        GET / HTTP/1.1\\r\\n\n"
	                          "        Host: a\\tb\\r\\n\n"
	                          "        X: \\x01\\xff\\r\\n\n"
	                          "        \\r\\n\n");
	free(text);
}

static void test_a_split_request_says_where_it_was_cut_and_elides_the_middle_cuts(void **state)
{
	(void)state;
	char *text = shown_request("GET / HTTP/1.1\r\n\r\n", 18, 4);

	assert_non_null(
	        strstr(text, "in writes of 4 bytes, 5 ms apart, cut after byte 4, 8, 12, 16\n"));
	free(text);
	char req[400];
	memset(req, 'a', sizeof req);
	text = shown_request(req, sizeof req, 10); /* 39 cuts: the first five, …, the last */
	assert_non_null(strstr(text, "cut after byte 10, 20, 30, 40, 50, …, 390\n"));
	free(text);
}

static void test_a_long_line_is_cut_in_the_middle_saying_how_much_was_left_out(void **state)
{
	(void)state;
	char req[3000];
	memset(req, 'x', sizeof req);
	memcpy(req, "GET /", 5);
	memcpy(req + sizeof req - 11, " HTTP/1.1\r\n", 11);
	char *text = shown_request(req, sizeof req, 0);

	/* 64 columns (64 bytes), the count of the bytes left out, then the last 16 columns:
	 * "\r" and "\n" take two each, so 14 bytes */
	assert_non_null(strstr(text, "        GET /xxx"));
	assert_non_null(strstr(text, "x…[2922 bytes]…xxx HTTP/1.1\\r\\n\n"));
	assert_true(strlen(text) < 200);
	free(text);
}

static void test_a_request_of_many_lines_shows_its_first_and_last_lines(void **state)
{
	(void)state;
	char req[4096] = "";
	size_t used = 0;
	for (int i = 0; i < 50; i++)
		used += (size_t)snprintf(req + used, sizeof req - used, "H%d: v\r\n", i);
	char *text = shown_request(req, used, 0);

	assert_non_null(strstr(text, "        H15: v\\r\\n\n        …[30 lines]…\n        H46: v"));
	assert_null(strstr(text, "H16:"));
	free(text);
}

static void test_output_lines_carry_their_stream_and_only_the_last_are_shown(void **state)
{
	(void)state;
	char *text = shown_output("stderr", "Traceback:\r\n  boom\n");

	assert_string_equal(text, "        stderr| Traceback:\n        stderr|   boom\n");
	free(text);
	char out[2048] = "";
	size_t used = 0;
	for (int i = 0; i < 30; i++)
		used += (size_t)snprintf(out + used, sizeof out - used, "line %d\n", i);
	text = shown_output("stdout", out);
	assert_non_null(strstr(text, "        stdout| …[10 lines]…\n        stdout| line 10\n"));
	assert_null(strstr(text, "line 9\n"));
	free(text);
	text = shown_output("stdout", "");
	assert_string_equal(text, "");
	free(text);
}

static void test_ports_sees_a_listening_socket_and_its_owner_without_connecting(void **state)
{
	(void)state;
	char err[LIMIT_ERR_LEN];
	unsigned long inode = 0;
	int fd = net_listen("127.0.0.1", 0, err);

	assert_true(fd >= 0);
	int port = net_local_port(fd);
	assert_true(ports_listening(port, &inode));
	assert_true(inode != 0);
	assert_int_equal(ports_owner(inode), getpid());
	int found[4];
	size_t n = ports_of_group(getpgrp(), found, 4);
	bool ours = false;
	for (size_t i = 0; i < n; i++)
		ours |= found[i] == port;
	assert_true(ours);
	close(fd);
	assert_false(ports_listening(port, NULL));
}

int main(void)
{
#define T(f) cmocka_unit_test(f)
	const struct CMUnitTest tests[] = {
		T(test_a_request_shows_one_line_per_line_with_its_line_ends_written_out),
		T(test_a_split_request_says_where_it_was_cut_and_elides_the_middle_cuts),
		T(test_a_long_line_is_cut_in_the_middle_saying_how_much_was_left_out),
		T(test_a_request_of_many_lines_shows_its_first_and_last_lines),
		T(test_output_lines_carry_their_stream_and_only_the_last_are_shown),
		T(test_ports_sees_a_listening_socket_and_its_owner_without_connecting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
