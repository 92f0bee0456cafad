/* multipart.h — a streaming multipart/form-data parser (RFC 7578, on RFC 2046 §5.1).
 *
 * The body is fed in pieces of any size, as they arrive; file bytes are handed to a
 * callback as soon as they cannot be part of a boundary, so an upload never has to
 * sit whole in memory. A boundary split across pieces is found all the same: the
 * result never depends on how the body was cut. Nothing here allocates, prints or
 * touches files; the caller's callbacks decide what happens to the parts. */
#ifndef WIRELAB_MULTIPART_H
#define WIRELAB_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "limit.h"
#include "parse.h"


/* mp_boundary — the boundary parameter of a Content-Type value ct, quoted or not
 * ("multipart/form-data; boundary=abc" or boundary="a b:c"), into out. The media type
 * must be multipart/form-data (any case) and the boundary 1-70 characters of RFC 2046
 * §5.1.1's bchars, not ending in a space. Returns its length, 0 when ct is not
 * multipart/form-data at all (the caller answers 415), or -1 when it is but the
 * boundary is missing or invalid (400). ct may be NULL (0). */
int mp_boundary(const char *ct, char out[LIMIT_MULTIPART_BOUNDARY + 1]);

/* What a part's headers said. Strings are NUL-terminated; a NUL sent inside a value
 * makes the body PARSE_BAD (a C string would end there). */
struct mp_part {
	char name[LIMIT_MULTIPART_NAME + 1];          /* Content-Disposition name= (required) */
	bool has_filename;                   /* filename= was present (even if empty) */
	char filename[LIMIT_MULTIPART_NAME + 1];      /* as sent: may hold a path, "..", anything */
	/* as sent; "" when absent, which means text/plain (RFC 7578 §4.4) */
	char content_type[LIMIT_MULTIPART_TYPE + 1];
};

/* The caller's side. Each returns 0 to go on, anything else to stop (mp_feed then
 * returns PARSE_STOPPED). */
struct mp_callbacks {
	int (*part_begin)(void *ctx, const struct mp_part *part); /* headers complete */
	int (*part_data)(void *ctx, const char *data, size_t len); /* some of its content */
	int (*part_end)(void *ctx);                                /* its delimiter arrived */
};

/* The parser's state: zeroed and set up by mp_init; the caller owns it. */
struct mp_parser {
	const struct mp_callbacks *cb;
	void *ctx;
	char delim[LIMIT_MULTIPART_BOUNDARY + 5]; /* CR LF "--" boundary */
	size_t dlen;
	size_t match;       /* bytes of delim matched so far (held back from the data) */
	int state;
	size_t parts;
	bool in_part;       /* part_begin was called and part_end not yet */
	char line[LIMIT_MULTIPART_HEADER];
	size_t line_len;
	size_t header_bytes;
	struct mp_part part;
	bool seen_disposition;
	int status;         /* after PARSE_BAD: the status to answer (400) */
	const char *error;  /* after PARSE_BAD: which rule the body broke (a constant string) */
};

/* mp_init — ready to parse a body delimited by boundary[0..len) (from mp_boundary). */
void mp_init(struct mp_parser *p, const char *boundary, size_t len,
             const struct mp_callbacks *cb, void *ctx);

/* mp_feed — parses the next piece buf[0..len) of the body, with the contract of
 * parse.h. Returns PARSE_INCOMPLETE when the body goes on (every byte was used: feed
 * the next piece); PARSE_BAD (p->status, p->error) or PARSE_STOPPED (a callback asked
 * to stop), after which the parser must not be fed again; or, once the close delimiter
 * ("--boundary--") has been read, the number of bytes of buf used up to its end: what
 * follows is the epilogue, which RFC 2046 says to ignore (later calls return 0). The
 * preamble before the first delimiter is skipped. Never reads buf[len]. */
int mp_feed(struct mp_parser *p, const char *buf, size_t len);

/* mp_done — true once the close delimiter has been read. A body that ends while this
 * is false ended early or never closed (400). */
bool mp_done(const struct mp_parser *p);

#endif
