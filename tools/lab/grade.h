/* grade.h — grading the student's server (grade.c): check, and watch, which checks
 * again on every save. */
#ifndef WIRELAB_GRADE_H
#define WIRELAB_GRADE_H

struct lab;

int cmd_check(struct lab *lab, int argc, char **argv);
int cmd_watch(struct lab *lab, int argc, char **argv);

#endif
