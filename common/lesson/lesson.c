/* lesson.c — the start-up every lesson server shares. */
#include "lesson.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "limit.h"
#include "log.h"
#include "loop.h"
#include "repr.h"
#include "sniff.h"

static void usage(FILE *out, const char *prog, const struct lesson *l)
{
	fprintf(out,
	        "usage: %s [--host ADDR] [--port N] [--variant NAME] [--docroot DIR] "
	        "[--user NAME]\n"
	        "  --host ADDR     address to listen on (default 127.0.0.1)\n"
	        "  --port N        port to listen on, 0 for any free one (default 8080)\n"
	        "  --variant NAME  which step of the lesson to serve",
	        prog);
	if (l->variants) {
		fputs(":", out);
		for (const char *const *v = l->variants; *v; v++)
			fprintf(out, " %s%s", *v, v == l->variants ? " (default)" : "");
	} else {
		fputs(" (this lesson has none)", out);
	}
	fputs("\n  --docroot DIR   folder of files to serve (default the lesson's public/)\n", out);
	if (l->takes_uploads)
		fputs("  --upload-dir DIR  where uploaded files go (default uploads/ here)\n", out);
	fputs("  --user NAME     user to run as after binding, when started as root "
	      "(default nobody)\n"
	      "  --variants      print the variant names, the default first, and exit\n",
	      out);
}

static int parse_port(const char *s, int *port)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

static int known_variant(const struct lesson *l, const char *name)
{
	for (const char *const *v = l->variants; v && *v; v++)
		if (strcmp(*v, name) == 0)
			return 1;
	return 0;
}

/* parse_args — fills opt from argv; returns 0, or 2 after saying what is wrong. */
static int parse_args(int argc, char **argv, const struct lesson *l,
                      struct handler_ctx *opt, char *docroot, size_t cap)
{
	static const struct option longopts[] = {
		{"host", required_argument, NULL, 'h'},   {"port", required_argument, NULL, 'p'},
		{"variant", required_argument, NULL, 'v'},
		{"docroot", required_argument, NULL, 'd'},
		{"upload-dir", required_argument, NULL, 'U'},
		{"user", required_argument, NULL, 'u'},   {"help", no_argument, NULL, '?' + 256},
		{"variants", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;
	bool upload_dir_given = false;

	snprintf(docroot, cap, "%s/public", l->dir);
	*opt = (struct handler_ctx){
		.host = "127.0.0.1",
		.port = 8080,
		.variant = l->variants ? l->variants[0] : "",
		.docroot = docroot,
		.user = "nobody",
		.docroot_fd = -1,
		.upload_dir = "uploads",
		.upload_fd = -1,
	};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': opt->host = optarg; break;
		case 'v': opt->variant = optarg; break;
		case 'd': opt->docroot = optarg; break;
		case 'U': opt->upload_dir = optarg, upload_dir_given = true; break;
		case 'u': opt->user = optarg; break;
		case 'p':
			if (parse_port(optarg, &opt->port) == 0)
				break;
			fprintf(stderr, "%s: --port wants a number from 0 to 65535, not '%s'\n",
			        argv[0], optarg);
			return 2;
		case '?' + 256: usage(stdout, argv[0], l); exit(0);
		case 'V': /* for tools: the variant names, the default first */
			for (const char *const *v = l->variants; v && *v; v++)
				puts(*v);
			exit(0);
		default: usage(stderr, argv[0], l); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
		usage(stderr, argv[0], l);
		return 2;
	}
	/* A lesson that serves no files, or takes no uploads, would ignore these: say so
	 * rather than leave the student wondering why their folder is not used. */
	if (opt->docroot != docroot && !l->serves_files) {
		fprintf(stderr, "%s: lesson %s serves no files, so it takes no --docroot\n",
		        argv[0], l->name);
		return 2;
	}
	if (upload_dir_given && !l->takes_uploads) {
		fprintf(stderr, "%s: lesson %s takes no uploads, so it takes no --upload-dir\n",
		        argv[0], l->name);
		return 2;
	}
	if (l->variants ? !known_variant(l, opt->variant) : *opt->variant != '\0') {
		fprintf(stderr, "%s: lesson %s has no variant '%s'\n", argv[0], l->name,
		        opt->variant);
		usage(stderr, argv[0], l);
		return 2;
	}
	return 0;
}

/* prepare — what must happen while still privileged and before listening: the
 * docroot opened (a folder the unprivileged user could not reach by its path is still
 * served through the descriptor), the upload folder made and libmagic loaded. Returns
 * 0, or 1 after saying what went wrong. */
static int prepare(const char *prog, const struct lesson *l, struct handler_ctx *opt)
{
	char err[LIMIT_ERR_LEN] = "";
	char why[LIMIT_ERR_LEN];

	if (l->serves_files) {
		opt->docroot_fd = files_open_root(opt->docroot, err);
		if (opt->docroot_fd < 0) {
			fprintf(stderr, "%s: --docroot: %s\n", prog, err);
			return 1;
		}
		opt->files = files_cache_new(LIMIT_FILE_CACHE);
		if (!opt->files) {
			fprintf(stderr, "%s: out of memory\n", prog);
			return 1;
		}
	}
	if (l->takes_uploads) {
		opt->upload_fd = files_open_upload_dir(opt->upload_dir, opt->user, err);
		if (opt->upload_fd < 0) {
			fprintf(stderr, "%s: --upload-dir: %s\n", prog, err);
			return 1;
		}
	}
	if (l->sniffs && !(opt->sniffer = sniff_open(why))) {
		fprintf(stderr, "%s: %s\n", prog, why);
		return 1;
	}
	return 0;
}

/* release — undoes prepare. */
static void release(struct handler_ctx *opt)
{
	if (opt->docroot_fd >= 0)
		close(opt->docroot_fd);
	opt->docroot_fd = -1;
	files_cache_free(opt->files);
	opt->files = NULL;
	if (opt->upload_fd >= 0)
		close(opt->upload_fd);
	opt->upload_fd = -1;
	sniff_close(opt->sniffer);
	opt->sniffer = NULL;
}

/* serve — listens, drops privileges, announces the port and serves until a signal. */
static int serve(const char *prog, const struct lesson *l, struct handler_ctx *opt)
{
	char err[LIMIT_ERR_LEN];
	int fd = net_listen(opt->host, opt->port, err);

	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return 1;
	}
	if (net_drop_privileges(opt->user, err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		close(fd);
		return 1;
	}
	net_block_stop_signals(); /* a SIGTERM right after the line below stops us cleanly */
	/* Announced only now: whoever waits for this line may send requests at once. */
	printf("Server bound to port %d\n", net_local_port(fd));
	fflush(stdout);
	struct httpd http = {l->routes, opt, l->max_body ? l->max_body : LIMIT_BODY_DEFAULT};
	struct pool_server pool = {&httpd_ops, &http, httpd_busy};
	int rc = l->serve ? loop_serve(fd, l->serve, opt, err) : pool_serve(fd, &pool, err);
	close(fd);
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", prog, err);
	return rc == 0 ? 0 : 1;
}

int lesson_main(int argc, char **argv, const struct lesson *l)
{
	struct handler_ctx opt;
	char docroot[4096];
	int rc = parse_args(argc, argv, l, &opt, docroot, sizeof docroot);

	if (rc != 0)
		return rc;
	setvbuf(stdout, NULL, _IOLBF, 0); /* a pipe reader (the lab) sees each line at once */
	rc = prepare(argv[0], l, &opt);
	if (rc == 0)
		rc = serve(argv[0], l, &opt);
	release(&opt);
	return rc;
}

void lesson_print_request(const struct request *req)
{
	log_message(req->client, "Reading request from ('%s', %d)", req->client, req->client_port);
	repr_headers(stdout, req->head);
}

int lesson_variant_is(const struct handler_ctx *opt, const char *name)
{
	return strcmp(opt->variant, name) == 0;
}
