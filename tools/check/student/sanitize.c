/* sanitize.c — built into a student's server by lab check, beside their server.c, when
 * it is compiled with AddressSanitizer and UndefinedBehaviorSanitizer (build.c). It is not
 * part of the lab itself.
 *
 * It sets the sanitizers' defaults (an ASAN_OPTIONS or UBSAN_OPTIONS in the environment
 * still has the last word), and after an AddressSanitizer report it repeats, on one last
 * line, the kind of error and the first line of the student's own code on the stack: a
 * report ends with a map of shadow memory, and the lines that matter would otherwise be
 * far above the end that check shows. */
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <string.h>

const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

/* The first error stops the server, so the request that caused it is the one that
 * fails; no leak report when the lab stops the server; no legend under the map. */
const char *__asan_default_options(void)
{
	return "halt_on_error=1:abort_on_error=0:detect_leaks=0:print_legend=0:symbolize=1";
}

/* UndefinedBehaviorSanitizer's report is one line naming file:line:column already: no
 * stack after it, so it stays among the last lines shown. */
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=0:symbolize=1";
}

/* line_after — the rest of the line of text that follows needle, as pointer and length
 * (up to stop, when stop comes first); 0 when needle is not in text. */
static size_t line_after(const char *text, const char *needle, const char *stop,
                         const char **start)
{
	const char *at = strstr(text, needle);

	if (!at)
		return 0;
	at += strlen(needle);
	size_t n = strcspn(at, "\n");
	const char *cut = strstr(at, stop);
	*start = at;
	return cut && cut < at + n ? (size_t)(cut - at) : n;
}

/* report — the whole report, once printed: what went wrong, and the first frame of the
 * stack in the student's server.c (STUDENT_SOURCE, which build.c defines), as
 * "sanitizer: stack-buffer-overflow in write_http_response …/server.c:41". */
static void report(const char *text)
{
	const char *kind = "", *frame = "", *where = strstr(text, STUDENT_SOURCE ":");
	size_t klen = line_after(text, "ERROR: AddressSanitizer: ", " on ", &kind), flen = 0;

	if (where) { /* back to the frame's " in ": "#6 0x55d0 in write_http_response /…" */
		const char *line = where;
		while (line > text && line[-1] != '\n')
			line--;
		flen = line_after(line, " in ", "\n", &frame);
	}
	fprintf(stderr, "sanitizer: %.*s%s%.*s\n", (int)klen, kind, flen ? " in " : "", (int)flen,
	        frame);
	fflush(stderr);
}

__attribute__((constructor)) static void install(void)
{
	__asan_set_error_report_callback(report);
}
