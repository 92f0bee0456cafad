/* normalize.h — the golden text of one exchange, for the tests (normalize.c). */
#ifndef WIRELAB_NORMALIZE_H
#define WIRELAB_NORMALIZE_H

struct lab;

int cmd_normalize(struct lab *lab, int argc, char **argv);

#endif
