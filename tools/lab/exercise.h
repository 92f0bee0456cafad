/* exercise.h — the commands around the student's own server.c (exercise.c). */
#ifndef WIRELAB_EXERCISE_H
#define WIRELAB_EXERCISE_H

struct lab;

int cmd_exercise(struct lab *lab, int argc, char **argv);
int cmd_diff(struct lab *lab, int argc, char **argv);
int cmd_changes(struct lab *lab, int argc, char **argv);
int cmd_solution(struct lab *lab, int argc, char **argv);

#endif
