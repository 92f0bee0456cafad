/* hint.h — hints before the solution: `hint N` (or `hint MODULE`) shows, for each part of
 * the exercise the student writes, one hint more each time it is asked: where the lesson
 * text explains it, then which RFC section and structure, then pseudo-code.
 *
 * The hints are data an instructor edits without touching C: lessons/NN-slug/hints.md for
 * a lesson, common/http/hints/MODULE.md for a module (format in lessons/README.md,
 * "Hints"). How far the student has gone is WORKSPACE/hints.json: {"05-caching":
 * {"serve_js": 2}}, the number of hints already shown for each region. */
#ifndef WIRELAB_HINT_H
#define WIRELAB_HINT_H

#include <stddef.h>

struct lab;
struct catalog_lesson;

#define HINT_REGIONS_MAX 16
#define HINT_LEVELS_MAX 8

/* A span of the hints file: not NUL-terminated. */
struct hint_text {
	const char *p;
	size_t len;
};

/* One hint: its heading ("Where in the lesson") and its text, trailing blank lines
 * dropped. */
struct hint_level {
	struct hint_text title, text;
};

/* The hints of one solution region, named by its "## NAME" heading (the function the
 * region sits in). */
struct hint_region {
	struct hint_text name;
	struct hint_level level[HINT_LEVELS_MAX];
	int n;
};

/* A hints file, parsed; every span points into buf, which it owns. */
struct hints {
	char *buf;
	size_t len;
	struct hint_text write, check; /* "What you write:" and "What checks it:", or empty */
	struct hint_region region[HINT_REGIONS_MAX];
	int n;
};

/* hints_load — reads and parses the hints file at path. Returns 0; -1 when there is no
 * such file; -2 with err[0..cap) saying why ("line 12: …") when it cannot be read or
 * does not follow the format. Release with hints_free either way. */
int hints_load(const char *path, struct hints *h, char *err, size_t cap);

/* hints_free — releases what h owns; safe to call twice. */
void hints_free(struct hints *h);

/* hints_lesson_path — ROOT's lessons/NN-slug/hints.md for lesson l. */
void hints_lesson_path(const struct catalog_lesson *l, char *out, size_t cap);

/* cmd_hint — `hint N|MODULE [REGION]`. */
int cmd_hint(struct lab *lab, int argc, char **argv);

#endif
