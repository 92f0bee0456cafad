/* serve.h — the commands that run a lesson server (serve.c). */
#ifndef WIRELAB_SERVE_H
#define WIRELAB_SERVE_H

struct lab;

int cmd_start(struct lab *lab, int argc, char **argv);
int cmd_stop(struct lab *lab, int argc, char **argv);
int cmd_log(struct lab *lab, int argc, char **argv);

#endif
