/* build.h — compiling the student's server for check. */
#ifndef WIRELAB_BUILD_H
#define WIRELAB_BUILD_H

#include <stddef.h>

struct catalog_lesson;
struct lab;

/* build_student — compiles workspace/NN-slug/server.c into workspace/.build/NN-slug/server
 * (its path into exe[0..cap)), the compiler's messages going straight to the student.
 * Returns 0, or -1 after a sentence (no source, a path too long, a compile error,
 * Ctrl-C). */
int build_student(struct lab *lab, const struct catalog_lesson *l, char *exe, size_t cap);

#endif
