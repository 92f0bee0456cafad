/* date.h — HTTP dates (RFC 9110 §5.6.7) and the access log's timestamp. */
#ifndef WIRELAB_DATE_H
#define WIRELAB_DATE_H

#include <stddef.h>
#include <time.h>

#define DATE_HTTP_LEN 29 /* "Sun, 06 Nov 1994 08:49:37 GMT" */
#define DATE_LOG_LEN  20 /* "29/Jul/2023 18:32:14" */

/* date_format_http — writes t (UTC) as an IMF-fixdate and a NUL into out.
 * Never depends on the locale. A t before 0000-01-01 00:00:00 or after 9999-12-31
 * 23:59:59 is clamped to that instant, so the year always has four digits. */
void date_format_http(time_t t, char out[DATE_HTTP_LEN + 1]);

/* date_parse_http — reads an HTTP-date in any of the three forms a recipient must
 * accept from s[0..len), which need not be NUL-terminated (RFC 9110 §5.6.7):
 *   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
 *   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"  (a two-digit year more than 50 years
 *                ahead of the current year is the most recent past year with those digits)
 *   asctime      "Sun Nov  6 08:49:37 1994"  (day as " 6" or "06")
 * Names are case-sensitive; the weekday need not match the date; no surrounding
 * whitespace. Second 60 (a leap second) is accepted and counts as the next minute's 0.
 * Returns 0 and sets *t, or -1 (leaving *t alone) when s is not exactly one such date
 * with fields in range, or the time does not fit a time_t
 * (RFC 9110 §5.6.7: a recipient ignores a date it cannot parse). */
int date_parse_http(const char *s, size_t len, time_t *t);

/* date_format_log — writes t in local time as "29/Jul/2023 18:32:14" and a NUL,
 * the shape of Python's BaseHTTPRequestHandler.log_date_time_string(). English month
 * names whatever the locale; UTC if the local time cannot be computed. */
void date_format_log(time_t t, char out[DATE_LOG_LEN + 1]);

#endif
