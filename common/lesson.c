/* lesson.c — the start-up every lesson server shares. */
#include "lesson.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "limits.h"

static void usage(FILE *out, const char *prog, const struct lesson *l)
{
	fprintf(out,
	        "usage: %s [--host ADDR] [--port N] [--variant NAME] [--docroot DIR] [--user NAME]\n"
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
	fputs("\n  --docroot DIR   folder of files to serve (default the lesson's public/)\n"
	      "  --user NAME     user to run as after binding, when started as root (default nobody)\n"
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
                      struct lesson_options *opt, char *docroot, size_t cap)
{
	static const struct option longopts[] = {
		{"host", required_argument, NULL, 'h'},   {"port", required_argument, NULL, 'p'},
		{"variant", required_argument, NULL, 'v'}, {"docroot", required_argument, NULL, 'd'},
		{"user", required_argument, NULL, 'u'},   {"help", no_argument, NULL, '?' + 256},
		{"variants", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	snprintf(docroot, cap, "%s/public", l->dir);
	*opt = (struct lesson_options){"127.0.0.1", 8080, l->variants ? l->variants[0] : "",
	                               docroot, "nobody"};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': opt->host = optarg; break;
		case 'v': opt->variant = optarg; break;
		case 'd': opt->docroot = optarg; break;
		case 'u': opt->user = optarg; break;
		case 'p':
			if (parse_port(optarg, &opt->port) == 0)
				break;
			fprintf(stderr, "%s: --port wants a number from 0 to 65535, not '%s'\n", argv[0], optarg);
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
	if (l->variants ? !known_variant(l, opt->variant) : *opt->variant != '\0') {
		fprintf(stderr, "%s: lesson %s has no variant '%s'\n", argv[0], l->name, opt->variant);
		usage(stderr, argv[0], l);
		return 2;
	}
	return 0;
}

int lesson_main(int argc, char **argv, const struct lesson *l)
{
	struct lesson_options opt;
	char docroot[4096], err[NET_ERR_LEN];
	int rc = parse_args(argc, argv, l, &opt, docroot, sizeof docroot);

	if (rc != 0)
		return rc;
	setvbuf(stdout, NULL, _IOLBF, 0); /* a pipe reader (the lab) sees each line at once */
	int fd = net_listen(opt.host, opt.port, err);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", argv[0], err);
		return 1;
	}
	if (net_drop_privileges(opt.user, err) < 0) {
		fprintf(stderr, "%s: %s\n", argv[0], err);
		close(fd);
		return 1;
	}
	/* Announced only now: whoever waits for this line may send requests at once. */
	printf("Server bound to port %d\n", net_local_port(fd));
	fflush(stdout);
	struct httpd http = {l->routes, &opt, l->max_body ? l->max_body : LIMIT_BODY_DEFAULT};
	struct net_server srv = {l->mode, httpd_connection, &http, httpd_busy};
	if (l->serve)
		srv = (struct net_server){l->mode, l->serve, &opt, NULL};
	rc = net_serve(fd, &srv, err);
	close(fd);
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", argv[0], err);
	return rc == 0 ? 0 : 1;
}

int lesson_variant_is(const struct lesson_options *opt, const char *name)
{
	return strcmp(opt->variant, name) == 0;
}
