/* quiet.c — silent stand-ins for what a lesson server prints (bench only).
 *
 * tests/bench/run.sh links lesson 03's own object file and the archives of common/ once more,
 * with -Wl,--wrap for the three printing calls, into build/bench/lesson-03-quiet.
 * The sources are untouched; the difference between lesson-03 and lesson-03-quiet
 * in the results is what printing costs: the two log lines and the headers the
 * article prints, and the access log. */
#include <stdio.h>

struct http_head;

void __wrap_log_message(const char *client, const char *fmt, ...);
void __wrap_log_request(const char *client, const char *line, int status);
void __wrap_repr_headers(FILE *out, const struct http_head *head);

void __wrap_log_message(const char *client, const char *fmt, ...)
{
	(void)client;
	(void)fmt;
}

void __wrap_log_request(const char *client, const char *line, int status)
{
	(void)client;
	(void)line;
	(void)status;
}

void __wrap_repr_headers(FILE *out, const struct http_head *head)
{
	(void)out;
	(void)head;
}
