/* lesson.h — what every lesson server shares: the command line of README.md,
 * start-up (listen, announce the port, drop privileges) and serving until a signal.
 *
 *   lesson-NN [--host ADDR] [--port N] [--variant NAME] [--docroot DIR] [--user NAME]
 *
 * A lesson's server.c describes itself in a struct lesson and hands it to lesson_main,
 * as the article's scripts hand their handler class to a socketserver. */
#ifndef WIRELAB_LESSON_H
#define WIRELAB_LESSON_H

#include <stddef.h>

#include "httpd.h"
#include "net.h"

struct files_cache;
struct sniffer;

/* The Makefile tells each lesson where its folder is; public/ lives there. */
#ifndef LESSON_DIR
#define LESSON_DIR "."
#endif

/* What every handler is given as its ctx (httpd.h leaves this struct to the layer
 * above to define): the command line's choices, and what lesson_main opened for them. */
struct handler_ctx {
	const char *host;    /* default 127.0.0.1 */
	int port;            /* default 8080; 0 takes a free port */
	const char *variant; /* default: the lesson's first variant, or "" */
	const char *docroot; /* default: the lesson's public/ folder */
	const char *user;    /* who to become after binding as root; default nobody */
	int docroot_fd;      /* docroot opened for lookups (files_open) before privileges
	                        are dropped, when the lesson serves files; else -1 */
	struct files_cache *files; /* each file's bytes and gzip form, made once, when the
	                              lesson serves files; else NULL */
	const char *upload_dir; /* default "uploads" in the working directory */
	int upload_fd;       /* upload_dir, created if missing and opened before the drop,
	                        when the lesson takes uploads; else -1 */
	struct sniffer *sniffer; /* libmagic, loaded once, when the lesson sniffs; else NULL */
};

struct lesson {
	const char *name;             /* "03-better-server" */
	const char *dir;              /* LESSON_DIR */
	const char *const *variants;  /* NULL-terminated; the first is the default */
	net_conn_fn serve;            /* a raw connection handler (lessons 01-02), served
	                                 one connection at a time (loop_serve, loop.h), or */
	const struct route *routes;   /* an HTTP route table (lesson 03 on), served by
	                                 the pool (pool.h) */
	size_t max_body;              /* 0 means LIMIT_BODY_DEFAULT */
	int serves_files;             /* open --docroot at start-up, or refuse to start */
	int takes_uploads;            /* open (create) --upload-dir at start-up, likewise */
	int sniffs;                   /* load libmagic (sniff.h) at start-up, likewise */
};

/* lesson_main — parses argv, opens what the lesson asks for (docroot, upload folder,
 * libmagic), listens, prints "Server bound to port N" (flushed), drops privileges when
 * root, serves until SIGINT or SIGTERM, then releases them. Returns main's exit status:
 * 0 after a clean stop, 2 for a bad command line, 1 when it cannot start. */
int lesson_main(int argc, char **argv, const struct lesson *lesson);

/* lesson_print_request — what the article's read_http_request prints for every request:
 * who is asking, in the log on stderr, and the headers as a Python dict on stdout. */
void lesson_print_request(const struct request *req);

/* lesson_variant_is — true when the running variant is name. */
int lesson_variant_is(const struct handler_ctx *opt, const char *name);

#endif
