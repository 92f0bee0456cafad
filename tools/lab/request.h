/* request.h — the request get/head/post/put/delete build: headers the student typed
 * (values exactly as typed), a body from --data, --data @PATH or --file/--field
 * (multipart/form-data, as a browser sends it), and the bytes of the whole request. */
#ifndef WIRELAB_REQUEST_H
#define WIRELAB_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

struct lab;
struct opts;

#define REQUEST_HEADERS_MAX 64
#define REQUEST_NAME_LEN 64
#define REQUEST_VALUE_LEN 1024

/* A request's headers in order, each replaceable by the student's. */
struct request_headers {
	char names[REQUEST_HEADERS_MAX][REQUEST_NAME_LEN];
	char values[REQUEST_HEADERS_MAX][REQUEST_VALUE_LEN];
	size_t n;
};

/* A body and its type; p is owned here (request_body_free). */
struct request_body {
	unsigned char *p;
	size_t len;
	bool present;             /* --data '' is a body too: Content-Length: 0 */
	char type[128];           /* its Content-Type, unless the student gives one */
};

/* request_header_start — does word start a header: a name (a letter, then letters,
 * digits or -_.), a colon, then a space or nothing? ("00:00:00" and "host:8080" do
 * not: a colon inside a value never starts a header.) */
bool request_header_start(const char *word);

/* request_set_header — adds name: value, or replaces the value of a header of that
 * name; an empty value removes it (as curl's -H 'Name:' does). */
void request_set_header(struct request_headers *h, const char *name, const char *value);

/* request_user_headers — argv[0..argc) as headers, appended to h in order (an empty
 * value too: request_set_header them over the defaults): each begins with a word
 * "Name:" and its value runs, words joined by one space, up to the next such word.
 * false after a sentence about a word that is not part of a header. */
bool request_user_headers(struct lab *lab, int argc, char **argv, struct request_headers *h);

/* request_body — the body the options ask for (none, --data, --data @PATH, or the
 * --file/--field parts). false after a sentence (a file that cannot be read, --data
 * with --file). */
bool request_body(struct lab *lab, const struct opts *o, struct request_body *b);

void request_body_free(struct request_body *b);

/* request_bytes — "METHOD TARGET HTTP/1.1", the headers and the body, into a new buffer
 * *out (the caller frees it). Returns 0, or -1 when out of memory. */
int request_bytes(const char *method, const char *target, const struct request_headers *h,
                  const struct request_body *b, unsigned char **out, size_t *len);

#endif
