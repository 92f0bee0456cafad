/* lessons.h — the commands about the lessons themselves (lessons.c). */
#ifndef WIRELAB_LESSONS_H
#define WIRELAB_LESSONS_H

struct lab;

int cmd_lessons(struct lab *lab, int argc, char **argv);
int cmd_read(struct lab *lab, int argc, char **argv);
int cmd_requests(struct lab *lab, int argc, char **argv);

#endif
