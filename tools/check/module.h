/* module.h — module exercises: a protocol module of common/http/ written by the student
 * (workspace/modules/NAME.c, made from the reference with its solution regions replaced
 * by TODOs) and graded in place of the reference, step by step:
 *   1. the module's own unit tests (tests/unit/test_NAME.c), linked with the student's
 *      object instead of the reference's;
 *   2. a differential fuzz (tests/fuzz/diff/diff_NAME.c): libFuzzer gives each input to
 *      the student's functions and to the reference's (its symbols renamed ref_NAME at
 *      link time) and compares the results; the first difference is shortened, printed
 *      and saved (workspace/modules/NAME.difference) so that --replay shows it again;
 *   3. the check of each lesson that uses the module, the lesson's reference server
 *      linked with the student's module.
 * All of it is built with AddressSanitizer and UndefinedBehaviorSanitizer. The Makefile's
 * module block does the building (make MOD=NAME …); this file runs the steps and judges. */
#ifndef WIRELAB_MODULE_H
#define WIRELAB_MODULE_H

#include <stdbool.h>
#include <stddef.h>

struct lab;

#define MODULE_LESSONS_MAX 4

struct module {
	const char *name;    /* "url": what the student types */
	const char *ref;     /* "common/http/url.c", from the repository's root */
	const char *test;    /* "tests/unit/test_url.c" */
	const char *summary; /* what the student writes, in a line */
	int idea_of;         /* the lesson whose idea it is (exercise N writes it too), or 0 */
	int lessons[MODULE_LESSONS_MAX]; /* the lessons check runs with it; 0 ends the list */
};

/* module_starter — the reference at ref (a module's source, or a lesson's server.c) with
 * its solution regions replaced by TODOs, into *text (the caller frees); the number of
 * regions, or -1 after a sentence. */
int module_starter(struct lab *lab, const char *ref, char **text, size_t *len);

/* module_find — the module called name, or NULL. */
const struct module *module_find(const char *name);

/* module_of_lesson — the module holding lesson number's idea, or NULL. */
const struct module *module_of_lesson(int number);

/* module_at — the i-th module, or NULL past the last (for listing them). */
const struct module *module_at(int i);

/* module_exercise — writes m's starter to WORKSPACE/modules/NAME.c (an existing file only
 * with force, kept as NAME.c.bak). Returns a lab_status. */
int module_exercise(struct lab *lab, const struct module *m, bool force);

struct module_options {
	int seconds;        /* how long the differential fuzz runs */
	bool has_seed;      /* seed replays an earlier run; else a fresh one is drawn */
	unsigned long long seed;
	bool replay;        /* only run the saved difference again */
};

/* module_check — grades WORKSPACE/modules/NAME.c as module.h's top says, each step's
 * result on its line, then "N passed, N failed". A full pass is noted in progress.json.
 * Returns LAB_OK for a full pass, else LAB_FAIL. */
int module_check(struct lab *lab, const struct module *m, const struct module_options *o);

#endif
