/* limit.h — every limit a wirelab server enforces, the status its overflow gets, and
 * where it is enforced; then, in a block of their own, the tuning constants (how often,
 * how long, how many threads), which refuse nothing.
 *
 * One place, so a student can read the whole defence at once. common/README.md's
 * "Limits" table says the same in prose, with the test that shows each row.
 * Sizes are bytes, times are milliseconds. "close" means the connection is closed
 * after the answer. */
#ifndef WIRELAB_LIMIT_H
#define WIRELAB_LIMIT_H

/* ---- The request head (common/http/http.c parses it; common/server/httpd.c answers) */
#define LIMIT_REQUEST_LINE     (8 * 1024)   /* 414 URI Too Long, close */
#define LIMIT_HEADER_LINE      (8 * 1024)   /* 431 Request Header Fields Too Large, close */
#define LIMIT_HEADERS_TOTAL    (32 * 1024)  /* 431, close: the whole head, request line included */
#define LIMIT_HEADER_COUNT     100          /* 431, close */
#define LIMIT_CONTENT_LENGTH_DIGITS 18      /* 400: more digits than this cannot be a sane length */
#define LIMIT_HEAD_TIME_MS     10000        /* 408 Request Timeout, close: the whole head must
                                               arrive in time (lessons 01-02, which parse no
                                               HTTP, stop reading and log it) */

/* ---- The request body (httpd.c; chunks: http.c) */
#define LIMIT_BODY_IDLE_MS     10000        /* 408, close: no body byte for this long */
#define LIMIT_BODY_UPLOAD      (10 * 1024 * 1024) /* 413 Content Too Large, close (upload routes) */
#define LIMIT_BODY_DEFAULT     (1 * 1024 * 1024)  /* 413, close (every other route) */
#define LIMIT_CHUNK_LINE       1024         /* 400: a chunk-size line (with extensions) longer
                                               than this */

/* ---- Connections (common/server/pool.c, httpd.c, net.c) */
#define LIMIT_KEEPALIVE_IDLE_MS 5000        /* close quietly: an idle persistent connection */
#define LIMIT_CONNECTIONS      256          /* 503 Service Unavailable, close, once none of them
                                               could be evicted for LIMIT_CAP_WAIT_MS (pool.c) */
#define LIMIT_EVICT_QUIET_MS   1000         /* at the cap, a parked connection that waited this
                                               long with nothing unread may be evicted for a
                                               whole request: idle, or a body silent (pool.c) */
#define LIMIT_EVICT_HEAD_MS    500          /* ... and a head begun this long ago and still
                                               not whole (a head comes whole in one packet or
                                               a burst of them) */
#define LIMIT_CAP_WAIT_MS      2000         /* 503, close: at the cap, a newcomer waits this
                                               long for a slot before the busy reply */
#define LIMIT_LOBBY            256          /* 503, close: newcomers accepted but not yet
                                               admitted; when this many wait, the oldest
                                               without a whole head after
                                               LIMIT_EVICT_QUIET_MS makes room (pool.c) */
#define LIMIT_WRITE_MS         10000        /* close: a client that stops reading our reply
                                               (each send waits at most this long) */

/* ---- Lessons 01-02, before HTTP parsing (their server.c, with net.h's line reader).
 * Lesson 01 reads lines of at most LIMIT_REQUEST_LINE and LIMIT_HEADER_LINE bytes, and at
 * most LIMIT_HEADER_COUNT of them; a longer line is printed as far as it was read, and
 * the connection closed. */
#define LIMIT_RAW_REQUEST      (8 * 1024)   /* lesson 02 reads at most this much of a request
                                               before it answers (the article's recv(8192)) */

/* ---- What a handler writes (common/server/response.c) */
#define LIMIT_RESPONSE_HEAD    (16 * 1024)  /* 500: a handler that writes a larger response head */

/* ---- Queries, forms and cookies (common/http/url.c, cookie.c) */
#define LIMIT_QUERY_PAIRS      10000        /* 400 (where a lesson parses a query or form): more
                                               name=value pairs than this, as Python's
                                               max_num_fields allows */
#define LIMIT_COOKIE_PAIRS     64           /* lesson 06: Cookie pairs looked at; later ones
                                               are ignored (RFC 6265 §6.1 asks a browser to
                                               keep at least 50 per domain) */

/* ---- Multipart uploads (common/http/multipart.c parses; lesson 08 answers and counts files) */
#define LIMIT_MULTIPART_BOUNDARY 70         /* 400: a longer boundary= (RFC 2046 §5.1.1: 1 to 70
                                               characters) */
#define LIMIT_MULTIPART_HEADER 8192         /* 400: one part's header section longer than this */
#define LIMIT_MULTIPART_PARTS  100          /* 400: more parts than this in one body */
#define LIMIT_MULTIPART_NAME   255          /* 400: a part's name= or filename= longer than this */
#define LIMIT_MULTIPART_TYPE   127          /* 400: a part's Content-Type longer than this */
#define LIMIT_UPLOAD_FILES     32           /* 400: more files than this in one upload */
#define LIMIT_FORM_FIELD       (64 * 1024)  /* 413: a form field (not a file) larger than this */
#define LIMIT_UPLOAD_NAME      200          /* a saved file's name is cut to this many bytes
                                               (the extension kept), under NAME_MAX; the page
                                               shows the name it was saved as */

/* ---- Static files (lessons 04 on: common/server/files.c) */
#define LIMIT_FILE_SIZE        (8 * 1024 * 1024)  /* 500: a file in public/ larger than this
                                                     is not served (it is read whole) */
#define LIMIT_FILE_CACHE       (32 * 1024 * 1024) /* the file cache keeps at most this many
                                                     bytes (plain and gzip forms together);
                                                     the least recently used go first */
#define LIMIT_FILE_PATH        1024         /* 404: a decoded file name longer than this */

/* ---- The access log (common/server/log.c) */
#define LIMIT_LOG_LINE         2048         /* a longer log line is cut, keeping its newline:
                                               one write this small to a pipe is atomic, so
                                               lines from several threads never interleave */

/* ---- Error sentences: a function that fails writes why into the caller's buffer of
 * this size (redis's anet.c does the same), and a longer sentence is cut. */
#define LIMIT_ERR_LEN          256

/* ---- Tuning: how the servers spend their effort. These refuse no client; they trade
 * promptness against work. */
#define LIMIT_LINGER_MS        2000         /* when we close first, drop what still arrives
                                               this long before closing (RFC 9112 §9.6) */
#define LIMIT_LINGER_BYTES     (10 * 1024 * 1024) /* ... or until this much was dropped */
#define LIMIT_READ_AHEAD       (16 * 1024)  /* httpd.c reads this much past a whole head (the
                                               next pipelined request, a body's start) */
#define LIMIT_POOL_TICK_MS     20           /* the pool looks for stuck threads (and deadlines
                                               passed) at least this often */
#define LIMIT_POOL_SPARE_MS    2000         /* an extra pool thread idle this long ends */
#define LIMIT_POOL_BASE_THREADS 64          /* at most this many threads always kept (one per
                                               core is the aim) */
#define LIMIT_STOP_WAIT_MS     3000         /* on a stop, the pool waits this long for busy
                                               connections to end */
#define LIMIT_STOP_CHECK_MS    100          /* a read (net_read) looks for a stop signal this
                                               often while it waits */
#define LIMIT_REFUSE_WAIT_MS   50           /* a refused newcomer (503): what it sent is read
                                               this long at most before the close ... */
#define LIMIT_REFUSE_BYTES     (16 * 1024)  /* ... or this much, so the close sends a FIN and
                                               not a reset */
#define LIMIT_LOOK_BYTES       4096         /* the pool asks whether a newcomer's head is whole
                                               each time bytes come while at most this many
                                               wait; past it, once they have doubled */
#define LIMIT_ACCEPT_PAUSE_MS  10           /* out of descriptors: accepting pauses this long so
                                               that connections can finish */

/* ---- Tuning of the lab (tools/): how long it waits on a student's server */
#define LIMIT_LAB_START_MS     10000        /* from exec to listening ("Server bound to port
                                               N"): an interpreter on a busy machine is slow */
#define LIMIT_LAB_STOP_MS      3000         /* from SIGTERM to SIGKILL */
#define LIMIT_LAB_SPLIT_PAUSE_MS 5          /* between the small writes of a split request */
#define LIMIT_LAB_SETTLE_QUIET_MS 30        /* what a server prints may trail its answer: wait
                                               until it has been quiet this long ... */
#define LIMIT_LAB_SETTLE_MAX_MS 500         /* ... but no longer than this */
#define LIMIT_LAB_LATE_OUTPUT_MS 2000      /* output short of the reference's: wait for it,
                                               this long in all over one check (a terminal
                                               delivers late on a busy machine) */
#define LIMIT_LAB_WATCH_SETTLE_MS 200       /* an editor's save is several events: wait for the
                                               last */
#define LIMIT_LAB_VARIANTS_MS  15000        /* a lesson binary naming its variants: an ASan
                                               build started beside a dozen others takes
                                               seconds */

#endif
