/* normalize.c — `lab normalize`, which help does not list: tests/e2e/harness.py writes
 * and compares the golden files through it, so the goldens and lab check share one
 * normaliser (tools/check/normal.c).
 *
 *   lab normalize --reply N [--open SECONDS] [METHOD…] < BYTES
 *
 * BYTES are what the server sent (the first N) and then what it printed meanwhile;
 * METHOD… are the requests' methods in order; --open says the server had not closed
 * the connection after SECONDS. Prints the golden text (tools/check/normal.h). */
#include "normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "lab.h"
#include "normal.h"

#define INPUT_MAX (64 * 1024 * 1024)

/* read_all — stdin into a new buffer *buf of *len bytes, which the caller frees (also
 * on failure). Returns 0, or -1 when it cannot be read or holds over INPUT_MAX bytes. */
static int read_all(unsigned char **buf, size_t *len)
{
	size_t cap = 0, n;

	*buf = NULL;
	*len = 0;
	do {
		if (*len == cap) {
			unsigned char *more =
			        cap < INPUT_MAX ? realloc(*buf, cap ? cap * 2 : 65536) : NULL;
			if (!more)
				return -1;
			*buf = more;
			cap = cap ? cap * 2 : 65536;
		}
		n = fread(*buf + *len, 1, cap - *len, stdin);
		*len += n;
	} while (n > 0);
	return ferror(stdin) ? -1 : 0;
}

/* parse_args — the options and methods into *x; 0, or LAB_USAGE after a sentence. */
static int parse_args(struct lab *lab, int argc, char **argv, struct normal_exchange *x,
                      long long *reply)
{
	*reply = -1;
	x->closed = true;
	for (int i = 1; i < argc; i++) {
		char *end;
		if (strcmp(argv[i], "--reply") == 0 && i + 1 < argc) {
			*reply = strtoll(argv[++i], &end, 10);
			if (*end || *reply < 0)
				return usage_error(lab, "normalize");
		} else if (strcmp(argv[i], "--open") == 0 && i + 1 < argc) {
			x->closed = false;
			x->waited = argv[++i];
		} else if (argv[i][0] == '-' || x->nmethods == NORMAL_METHODS_MAX ||
		           strlen(argv[i]) >= sizeof x->methods[0]) {
			return usage_error(lab, "normalize");
		} else {
			strcpy(x->methods[x->nmethods++], argv[i]);
		}
	}
	return *reply < 0 ? usage_error(lab, "normalize") : 0;
}

int cmd_normalize(struct lab *lab, int argc, char **argv)
{
	struct normal_exchange *x = calloc(1, sizeof *x); /* the methods take 1 KiB */
	unsigned char *in = NULL;
	size_t len = 0, text_len = 0;
	long long reply;
	char *text = NULL;

	if (!x) {
		lab_error(lab, "out of memory");
		return LAB_FAIL;
	}
	int rc = parse_args(lab, argc, argv, x, &reply);
	if (rc == 0 && (read_all(&in, &len) != 0 || (unsigned long long)reply > len)) {
		lab_error(lab, "normalize: stdin must hold the %lld bytes of the reply, then what "
		          "the server printed", reply);
		rc = LAB_FAIL;
	}
	if (rc == 0) {
		x->reply = in;
		x->reply_len = (size_t)reply;
		x->printed = (const char *)in + reply;
		x->printed_len = len - (size_t)reply;
		if (normal_render(x, NORMAL_GOLDEN, &text, &text_len) != 0) {
			lab_error(lab, "out of memory");
			rc = LAB_FAIL;
		} else {
			fwrite(text, 1, text_len, stdout); /* what was printed may hold a NUL */
		}
	}
	free(text);
	free(in);
	free(x);
	return rc;
}
