/* report.h — what a failing case shows besides its diff: the request that was sent, and
 * the lines the student's server wrote while it answered. */
#ifndef WIRELAB_REPORT_H
#define WIRELAB_REPORT_H

#include <stddef.h>
#include <stdio.h>

struct cases_request;

/* report_request — c's bytes under a heading, one line of the request per line, with
 * "\r" and "\n" written out, other control bytes and non-ASCII ones as \xNN, long lines
 * and long requests cut in the middle (saying how much was left out), and where it was
 * split. */
void report_request(FILE *out, const struct cases_request *c);

/* report_output — text[0..len), what one stream (label: "stdout", "stderr") received,
 * each line prefixed with the label, written out as requests are; long lines cut, and only
 * the last lines when there are many. Nothing when len is 0. */
void report_output(FILE *out, const char *label, const char *text, size_t len);

#endif
