/* watch.h — check, again on every save. */
#ifndef WIRELAB_WATCH_H
#define WIRELAB_WATCH_H

struct catalog_lesson;
struct check_options;
struct lab;

/* watch_lesson — checks lesson l (check_lesson), then again whenever a .c or .h file in
 * workspace/NN-slug/ is saved, until Ctrl-C or SIGTERM. Returns the last check's
 * lab_status, or LAB_FAIL after a sentence when the folder cannot be watched. */
int watch_lesson(struct lab *lab, struct catalog_lesson *l, const struct check_options *o);

#endif
