/* log.c — access log lines on stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"

#define LOG_LINE_MAX 2048

/* emit — prefix + message as one line on stderr. */
static void emit(const char *client, const char *msg)
{
	char when[DATE_LOG_LEN + 1];
	char line[LOG_LINE_MAX + 128]; /* the prefix is bounded: 63 + 20 + punctuation */

	date_format_log(time(NULL), when);
	int n = snprintf(line, sizeof line, "%.63s - - [%s] %s\n", client ? client : "-", when, msg);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	/* One write(2), no stdio lock held across it; a write this small to a pipe is
	 * atomic, so lines from several threads never interleave. */
	if (write(STDERR_FILENO, line, len) < 0) {
		/* nowhere left to report it */
	}
}

void log_message(const char *client, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	emit(client, msg);
}

/* escape — copies s into out with control and non-ASCII bytes as \xNN, and '"' as \". */
static void escape(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 5 < cap; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", *p);
		else if (*p == '"' || *p == '\\')
			o += (size_t)snprintf(out + o, cap - o, "\\%c", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
}

void log_request(const char *client, const char *line, int status)
{
	char safe[LOG_LINE_MAX / 2];

	escape(line ? line : "-", safe, sizeof safe);
	log_message(client, "\"%s\" %d -", safe, status);
}
