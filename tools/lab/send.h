/* send.h — the commands that talk to a server, and trace, which draws their
 * connections (send.c). */
#ifndef WIRELAB_SEND_H
#define WIRELAB_SEND_H

struct lab;

int cmd_send(struct lab *lab, int argc, char **argv);
int cmd_request(struct lab *lab, int argc, char **argv); /* get, head, post, put, delete */
int cmd_raw(struct lab *lab, int argc, char **argv);
int cmd_trace(struct lab *lab, int argc, char **argv);

#endif
