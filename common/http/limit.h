/* limit.h — every limit a wirelab server enforces, and the status its overflow gets.
 *
 * One place, so a student can read the whole defence at once (common/README.md, "Limits").
 * Sizes are bytes, times are milliseconds. */
#ifndef WIRELAB_LIMIT_H
#define WIRELAB_LIMIT_H

#define LIMIT_REQUEST_LINE     (8 * 1024)   /* 414 URI Too Long, close */
#define LIMIT_HEADER_LINE      (8 * 1024)   /* 431 Request Header Fields Too Large, close */
#define LIMIT_HEADERS_TOTAL    (32 * 1024)  /* 431, close: the whole head, request line included */
#define LIMIT_HEADER_COUNT     100          /* 431, close */
#define LIMIT_HEAD_TIME_MS     10000        /* 408 Request Timeout, close: whole head must arrive */
#define LIMIT_BODY_IDLE_MS     10000        /* 408, close: no body byte for this long */
#define LIMIT_BODY_UPLOAD      (10 * 1024 * 1024) /* 413 Content Too Large, close (upload routes) */
#define LIMIT_BODY_DEFAULT     (1 * 1024 * 1024)  /* 413, close (every other route) */
#define LIMIT_KEEPALIVE_IDLE_MS 5000        /* close quietly: an idle persistent connection */
#define LIMIT_CONNECTIONS      256          /* 503 Service Unavailable, close */
#define LIMIT_WRITE_MS         10000        /* close: a client that stops reading our reply */
#define LIMIT_LINGER_MS        2000         /* when we close first, drop what still arrives
                                               this long before closing (RFC 9112 §9.6) */

/* Not in the table, but bounded all the same. */
#define LIMIT_CHUNK_LINE       1024         /* 400: a chunk-size line (with extensions) longer than this */
#define LIMIT_CONTENT_LENGTH_DIGITS 18      /* 400: more digits than this cannot be a sane length */
#define LIMIT_RESPONSE_HEAD    (16 * 1024)  /* 500: a handler that writes a larger response head */
#define LIMIT_QUERY_PAIRS      10000        /* 400 (where a lesson parses a query or form): more
                                               name=value pairs than this, as Python's
                                               max_num_fields allows */
#define LIMIT_COOKIE_PAIRS     64           /* lesson 06: Cookie pairs looked at; later ones
                                               are ignored (RFC 6265 §6.1 asks a browser to
                                               keep at least 50 per domain) */

/* Multipart uploads (lesson 08: common/http/multipart.h). */
#define LIMIT_MULTIPART_HEADER 8192         /* 400: one part's header section longer than this */
#define LIMIT_MULTIPART_PARTS  100          /* 400: more parts than this in one body */
#define LIMIT_FORM_FIELD       (64 * 1024)  /* 413: a form field (not a file) larger than this */
#define LIMIT_UPLOAD_NAME      200          /* a saved file's name is cut to this many bytes
                                               (the extension kept), under NAME_MAX */

/* Static files (lessons 04 on: common/server/files.h). */
#define LIMIT_FILE_SIZE        (8 * 1024 * 1024)  /* 500: a file in public/ larger than this
                                                     is not served (it is read whole) */
#define LIMIT_FILE_CACHE       (32 * 1024 * 1024) /* the file cache keeps at most this many
                                                     bytes (plain and gzip forms together);
                                                     the least recently used go first */
#define LIMIT_FILE_PATH        1024         /* 404: a decoded file name longer than this */

#endif
