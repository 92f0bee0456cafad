/* watch.h — check, again on every save. */
#ifndef WIRELAB_WATCH_H
#define WIRELAB_WATCH_H

struct catalog_lesson;
struct check_options;
struct lab;
struct module;
struct module_options;

/* watch_lesson — checks lesson l (check_lesson), then again whenever a .c or .h file in
 * workspace/NN-slug/ is saved, until Ctrl-C or SIGTERM. Returns the last check's
 * lab_status, or LAB_FAIL after a sentence when the folder cannot be watched. */
int watch_lesson(struct lab *lab, struct catalog_lesson *l, const struct check_options *o);

/* watch_module — checks module m (module_check), then again whenever
 * workspace/modules/NAME.c is saved, until Ctrl-C or SIGTERM. Returns the last check's
 * lab_status, or LAB_FAIL after a sentence when there is no such file to watch. */
int watch_module(struct lab *lab, const struct module *m, const struct module_options *o);

#endif
