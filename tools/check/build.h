/* build.h — compiling the student's server for check. */
#ifndef WIRELAB_BUILD_H
#define WIRELAB_BUILD_H

#include <stdbool.h>
#include <stddef.h>

struct catalog_lesson;
struct lab;

/* build_student — compiles workspace/NN-slug/server.c into workspace/.build/NN-slug/server
 * (its path into exe[0..cap)), the compiler's messages going straight to the student.
 * sanitize adds AddressSanitizer and UndefinedBehaviorSanitizer: the first error stops
 * the server with a report naming the student's file and line (what check shows when a
 * server stops). Returns 0, or -1 after a sentence (no source, a path too long, a
 * compile error, Ctrl-C). */
int build_student(struct lab *lab, const struct catalog_lesson *l, bool sanitize, char *exe,
                  size_t cap);

#endif
