/* log.h — the access log on stderr, in the shape of Python's BaseHTTPRequestHandler:
 *   127.0.0.1 - - [29/Jul/2023 18:32:14] "GET / HTTP/1.1" 200 -
 * Each line goes out in one write, so lines from several threads never interleave;
 * that is why a line longer than LIMIT_LOG_LINE (limit.h) is cut, keeping its newline. */
#ifndef WIRELAB_LOG_H
#define WIRELAB_LOG_H

/* log_message — "CLIENT - - [date] message" on stderr, like handler.log_message().
 * client NULL prints "-". */
void log_message(const char *client, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* log_request — the access log line for a request. line is the request line as sent
 * (NULL when there was none); bytes a terminal would act on are escaped as \xNN, so a
 * request cannot forge log lines. */
void log_request(const char *client, const char *line, int status);

#endif
