/* launch.h — the student's server started as a person would start it in a terminal.
 *
 * Its stdout and stderr are each a pseudo-terminal, so stdio is line-buffered as at a
 * prompt: a print() without flush shows when it happens, not when the process ends. (The
 * terminal's output processing is off, so "\n" stays "\n", as the reference prints it.)
 * It is ready once the kernel's tables show a socket listening on its port, or it prints
 * "Server bound to port N": check never connects to find out, since that connection
 * would reach the server as a request. The struct proc filled is proc.h's, and proc.h
 * pumps, settles and stops it as any other. */
#ifndef WIRELAB_LAUNCH_H
#define WIRELAB_LAUNCH_H

#include <stdbool.h>

#include "proc.h"

struct launch_spec {
	char *const *argv;  /* argv[0] is the program's path */
	char *const *envp;  /* its environment; NULL: ours */
	int port;           /* where it is told to listen */
	bool port_from_env; /* told by $PORT (--cmd), rather than by --port */
	const char *name;   /* "03-better-server (yours)" */
	int lesson;
};

/* check's line to the thread that relays the server's output (launch.c). */
struct launch_sync {
	int ask, done; /* -1 when there is none */
};

/* launch_start — starts spec's server and waits (LIMIT_LAB_START_MS at most) until it
 * listens on spec->port; *sync is then its line for launch_flush, which the caller
 * closes with launch_sync_close once the server is stopped. Returns 0, or a proc_result
 * with err set: it exited (how, and its last lines), it listens elsewhere (which port,
 * against the one it was given), it never listened, or cancel_fd became readable. On
 * failure the process is stopped and *sync closed. */
int launch_start(struct proc *s, const struct launch_spec *spec, struct launch_sync *sync,
                 int cancel_fd, char err[PROC_ERR_LEN]);

/* launch_flush — waits (wait_ms at most) until everything the server has written so far
 * can be read from s->out_fd and s->err_fd. */
void launch_flush(const struct launch_sync *sync, int wait_ms);

/* launch_sync_close — closes check's end of the line; safe to call twice. */
void launch_sync_close(struct launch_sync *sync);

#endif
