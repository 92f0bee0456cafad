/* cases.h — what check sends: a lesson's canned requests, and randomised ones a student
 * cannot hard-code, both chosen by the lesson's check.json.
 *
 * lessons/NN-slug/check.json (every key optional; without the file: all canned requests):
 *   {
 *     "requests": ["curl-get", "head"],   canned requests to send (default: all of them)
 *     "skip": ["pipelined"],              canned requests not to send
 *     "printed": true,                    also compare what each server prints on stdout
 *     "uploads": true,                    give each server its own --upload-dir, and
 *                                         compare the files saved there at the end
 *     "random": [                         requests made afresh from the seed each run
 *       {"name": "any-host", "request": "GET /{word} HTTP/1.1\r\nHost: {host}\r\n\r\n",
 *        "body": "a={word}", "split": 3, "repeat": 2}
 *     ]
 *   }
 * In "request" and "body", {KIND} or {KIND:N} is replaced by a fresh random value:
 *   word (4-10 letters; word:N, N of them), host (word.test; host:N), num (0-99999),
 *   hex:N, text:N (letters, digits, spaces; N defaults to 16), bytes:N (any byte),
 *   digits:N, token:N (RFC 9110 tchar), cookie:N (RFC 6265 cookie-octet),
 *   urlenc:N (N pieces of a query value: letters, '+', %XX of any byte but NUL),
 *   headers:N (N header lines of distinct names, each ending in CRLF),
 *   json:N (a JSON value nested at most N deep; never a bare string or an integer
 *   beyond 64 bits, which lesson 07 prints otherwise than Python: its README says why).
 * {oneof:A|B|C} is one of the alternatives, itself expanded ('|' inside a nested {…}
 * does not split). {mtime:FILE} is the HTTP date of the lesson's FILE (its
 * Last-Modified: both servers serve the lesson's folder), {mtime_before:FILE} a moment
 * up to ten years before it, {mtime_after:FILE} one after it but not after now.
 * {KIND@TAG} (or {KIND:N@TAG}) is the same value wherever the same TAG appears in one
 * request. {body_length} is the length of the expanded body, which follows the
 * request's head. "split": N sends the bytes in writes of N with a pause between (not
 * for a server whose answer shows what one read returned, as lesson 02's does: that
 * depends on timing), "repeat": N makes N requests. Several requests in one "request"
 * are sent together, pipelined. Anything else in braces (JSON in a body) stays as it
 * is. */
#ifndef WIRELAB_CASES_H
#define WIRELAB_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limit.h"

struct catalog_lesson;


struct cases_request {
	char name[96];      /* "curl-get", "any-host#2" */
	unsigned char *req; /* the bytes to send; owned here */
	size_t len;
	size_t split;       /* write this many bytes at a time; 0: all at once */
};

struct cases_plan {
	struct cases_request *v; /* owned here */
	size_t n;
	bool printed;
	bool uploads;
};

/* cases_load — the cases of lesson l for seed. Returns 0, or -1 with err set (a
 * check.json that is not valid, a request it names that does not exist, no memory). */
int cases_load(const struct catalog_lesson *l, uint64_t seed, struct cases_plan *p,
               char err[LIMIT_ERR_LEN]);

/* cases_free — releases what p owns; safe to call twice. */
void cases_free(struct cases_plan *p);

#endif
