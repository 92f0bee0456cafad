/* modex.h — the module exercises in the shell (modex.c): `exercise MODULE`, `check
 * MODULE`, `watch MODULE` and the modules section of `lessons`; tools/check/module.h
 * does the work. The lesson commands hand over to these when the word they are given
 * names a module. */
#ifndef WIRELAB_MODEX_H
#define WIRELAB_MODEX_H

#include <stdbool.h>

struct lab;

/* modex_named — the index in argv of a word naming a module (not an option's value), or
 * 0 when there is none. */
int modex_named(int argc, char **argv);

/* modex_exercise — `exercise MODULE [--force]`. */
int modex_exercise(struct lab *lab, int argc, char **argv);

/* modex_check — `check MODULE [--seconds S] [--seed S] [--replay]`. */
int modex_check(struct lab *lab, int argc, char **argv);

/* modex_watch — `watch MODULE [check's options]`: check MODULE, again on every save of
 * workspace/modules/MODULE.c. */
int modex_watch(struct lab *lab, int argc, char **argv);

/* modex_lesson_exercise — after `exercise N` wrote lesson N's starter: when the lesson's
 * idea lives in a module, says so and writes the module's starter too. */
int modex_lesson_exercise(struct lab *lab, int number, bool force);

/* modex_lessons — the modules section of `lessons`: each module, whether it passed. */
void modex_lessons(struct lab *lab);

#endif
