/* check.h — a student's server against the lesson's reference, request by request.
 *
 * check starts the reference server itself, and the student's one too unless url names
 * it: their workspace/NN-slug/server.c (build.h), or any program (cmd, run by /bin/sh
 * with $PORT, $VARIANT, $UPLOAD_DIR and $LESSON_DIR set), started as launch.h says. Both
 * get the same bytes (cases.h), and their answers are compared as normal.h renders
 * them: "pass NAME", or "FAIL NAME", a unified diff, the request and what the student's
 * server wrote meanwhile (report.h). Every variant is checked in turn unless one is
 * named (with url, only one: the default unless named). */
#ifndef WIRELAB_CHECK_H
#define WIRELAB_CHECK_H

#include <stdbool.h>

struct catalog_lesson;
struct lab;

struct check_options {
	const char *url;     /* a server already running (its output is not compared), or NULL */
	const char *cmd;     /* a command that runs the student's server, or NULL */
	const char *variant; /* the one variant to check; NULL: every variant */
	bool has_seed;       /* seed replays an earlier run; else a fresh one is drawn */
	unsigned long long seed;
	int timeout_ms;      /* how long to wait for each answer */
	bool no_sanitize;    /* build the student's server.c without ASan + UBSan (build.h) */
	bool no_record;      /* never note a pass in progress.json (a module's lesson checks) */
};

/* check_lesson — one whole check of lesson l: for each variant every case and (with
 * several) "variant V: N passed, N failed", then the whole check's "N passed, N failed".
 * A pass of every variant, by a server that is not the lab's own reference, is noted in
 * the workspace's progress.json. Returns LAB_OK for a full pass, else LAB_FAIL (after a
 * sentence when it could not run). */
int check_lesson(struct lab *lab, struct catalog_lesson *l, const struct check_options *o);

#endif
