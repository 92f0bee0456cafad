/* log.c — access log lines on stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "limit.h"

/* log_message formats the prefix and then the message straight into the line it
 * writes: one buffer, one write(2), no stdio lock held across it. A write this small
 * to a pipe is atomic, so lines from several threads never interleave. */
void log_message(const char *client, const char *fmt, ...)
{
	char when[DATE_LOG_LEN + 1];
	char line[LIMIT_LOG_LINE];
	va_list ap;

	date_format_log(time(NULL), when);
	/* The prefix is bounded (63 + DATE_LOG_LEN + punctuation), far below the line. */
	size_t len = (size_t)snprintf(line, sizeof line, "%.63s - - [%s] ",
	                              client ? client : "-", when);
	va_start(ap, fmt);
	int n = vsnprintf(line + len, sizeof line - len, fmt, ap);
	va_end(ap);
	/* A longer message is cut, keeping room for the newline. */
	len += n < 0 ? 0 : (size_t)n < sizeof line - len ? (size_t)n : sizeof line - len - 1;
	line[len++] = '\n';
	if (write(STDERR_FILENO, line, len) < 0) {
		/* nowhere left to report it */
	}
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
	char safe[LIMIT_LOG_LINE / 2];

	escape(line ? line : "-", safe, sizeof safe);
	log_message(client, "\"%s\" %d -", safe, status);
}
