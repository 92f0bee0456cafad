/* build.c — a student's workspace/NN-slug/server.c compiled as the Makefile compiles a
 * lesson: the same compiler and flags (less -Werror), common/'s three layers as include
 * folders and archives. The compiler is run from an argv, with no shell between: a path
 * may hold any byte. */
#include "build.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "lab.h"
#include "workspace.h"

/* The flags of the build the lab belongs to (the Makefile passes them). */
#ifndef LAB_CC
#define LAB_CC "cc"
#endif
#ifndef LAB_CFLAGS
#define LAB_CFLAGS "-std=gnu11 -D_GNU_SOURCE -g -O2 -Wall -Wextra -Werror -pthread"
#endif
#ifndef LAB_LIBS
#define LAB_LIBS "-pthread -lz -lmagic -lmd -ljansson"
#endif
/* What check adds, unless told not to, so that memory errors and undefined behaviour in a
 * student's code stop their server with a report instead of passing unseen. A build that
 * has sanitizers already (make SAN=1: its archives need their runtime) keeps its own. */
#ifndef LAB_SANITIZE
#define LAB_SANITIZE \
	"-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
#endif

/* The layers of common/, from the top: a lesson includes from all three folders and
 * links the three archives in this order, as the Makefile builds the lessons. */
static const char *const layers[] = {"lesson", "server", "http"};
#define NLAYERS (sizeof layers / sizeof layers[0])
#define BUILD_WORDS 128

/* A compiler's command line: argv[] points into text[]. */
struct build_cmd {
	char *argv[BUILD_WORDS];
	size_t argc;
	char text[8 * PATH_MAX];
	size_t used;
	bool full;
};

/* add — one word, copied; the command is marked full when it does not fit. */
static void add(struct build_cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct build_cmd *c, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof c->text - c->used;

	va_start(ap, fmt);
	int n = vsnprintf(c->text + c->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room || c->argc + 1 >= BUILD_WORDS) {
		c->full = true;
		return;
	}
	c->argv[c->argc++] = c->text + c->used;
	c->argv[c->argc] = NULL;
	c->used += (size_t)n + 1;
}

/* add_words — each blank-separated word of flags (the Makefile's flag strings hold no
 * quoted spaces: pkg-config's output never does), but -Werror: a student's warnings are
 * shown, and their server still runs, since an unused variable is no reason not to
 * check the rest. */
static void add_words(struct build_cmd *c, const char *flags)
{
	for (const char *p = flags; *p;) {
		size_t n = strcspn(p, " ");
		bool werror = n >= 7 && strncmp(p, "-Werror", 7) == 0;
		if (n > 0 && !werror)
			add(c, "%.*s", (int)n, p);
		p += n + (p[n] == ' ');
	}
}

/* compile_command — the compiler's argv that builds src into exe, with no shell
 * between: a path may hold any byte. With sanitizers, tools/check/student/sanitize.c is
 * built in too (their options; the student's line repeated at a report's end). false
 * when it does not fit. */
static bool compile_command(const struct lab *lab, const struct catalog_lesson *l, const char *src,
                            const char *exe, bool sanitize, struct build_cmd *c)
{
	bool built_in = strstr(LAB_CFLAGS, "-fsanitize=address") != NULL;

	c->argc = c->used = 0;
	c->full = false;
	add(c, "%s", LAB_CC);
	add_words(c, LAB_CFLAGS);
	if (sanitize && !built_in)
		add_words(c, LAB_SANITIZE);
	if (sanitize || built_in)
		add(c, "-DSTUDENT_SOURCE=\"%s\"", src);
	for (size_t i = 0; i < NLAYERS; i++)
		add(c, "-iquote%s/common/%s", lab->root, layers[i]);
	/* LESSON_DIR is the lesson's folder, so the student's server finds public/ there. */
	add(c, "-DLESSON_DIR=\"%s\"", l->dir);
	add(c, "-o");
	add(c, "%s", exe);
	add(c, "%s", src);
	if (sanitize || built_in)
		add(c, "%s/tools/check/student/sanitize.c", lab->root);
	for (size_t i = 0; i < NLAYERS; i++)
		add(c, "%s/../lib/lib%s.a", lab->bindir, layers[i]);
	add_words(c, LAB_LIBS);
	if (sanitize && !built_in)
		add_words(c, LAB_SANITIZE);
	/* both paths go into C string literals (-D), where '"' and '\\' would not survive */
	return !c->full && !strchr(l->dir, '"') && !strpbrk(src, "\"\\");
}

int build_student(struct lab *lab, const struct catalog_lesson *l, bool sanitize, char *exe,
                  size_t cap)
{
	char src[PATH_MAX], dir[PATH_MAX];
	struct build_cmd cmd; /* 33 KiB: the stack has room, and nothing outlives the build */

	if (ws_lesson_path(lab, l, "server.c", src, sizeof src) != 0 || access(src, R_OK) != 0) {
		lab_error(lab, "there is no %s to check: %sexercise %d writes a starter there, or "
		          "give --url or --cmd for a server of your own", src,
		          lab_typed(lab), l->number);
		return -1;
	}
	if (snprintf(dir, sizeof dir, "%s/.build/%s", lab->workspace, l->name) >= (int)sizeof dir ||
	    snprintf(exe, cap, "%s/server", dir) >= (int)cap || ws_mkdirs(dir) != 0 ||
	    !compile_command(lab, l, src, exe, sanitize, &cmd)) {
		lab_error(lab, "cannot build in %s (a path too long?)", dir);
		return -1;
	}
	lab_note(lab, "building %s%s", src, sanitize ? " with AddressSanitizer and "
	         "UndefinedBehaviorSanitizer (--no-sanitize builds without)" : "");
	if (!sanitize && strstr(LAB_CFLAGS, "-fsanitize="))
		lab_note(lab, "this lab is a sanitizer build (make SAN=1): the sanitizers stay");
	int rc = lab_run(lab, cmd.argv);
	if (rc > 128) { /* Ctrl-C reached the compiler too: it is in our process group */
		lab_error(lab, "the build was interrupted");
		return -1;
	}
	if (rc != 0) {
		lab_error(lab, "%s does not compile (the compiler's messages are above)%s", src,
		          rc < 0 ? ": the compiler could not be run" : "");
		return -1;
	}
	return 0;
}
