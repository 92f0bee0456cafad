/* proc.h — a lesson server run as the lab's child: started with fork/exec in its own
 * process group, watched until it prints "Server bound to port N", its stdout and stderr
 * kept (the last 64 KiB of each), and stopped with SIGTERM, then SIGKILL.
 *
 * It must not outlive the lab, even a lab killed with SIGKILL. PR_SET_PDEATHSIG alone
 * does not do it: the kernel forgets that setting when the process changes user, as a
 * lesson server started as root does (it becomes nobody). So each server also has a
 * guard: a small process forked by the lab into the server's group, which waits on a
 * pipe only the lab can write to. When the lab ends, however it ends, the kernel closes
 * the pipe, and the guard stops the server's group: SIGTERM, then SIGKILL. */
#ifndef WIRELAB_PROC_H
#define WIRELAB_PROC_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define PROC_RING_CAP (64 * 1024)
#define PROC_ERR_LEN 4096  /* a sentence plus the server's last lines */

/* The last PROC_RING_CAP bytes written to a stream, and how many were ever written. */
struct proc_ring {
	char data[PROC_RING_CAP];
	size_t start, len;
	uint64_t total;
};

/* proc_ring_since — copies what was written after mark (a past value of total) into out,
 * as much as the ring still holds; returns the length. */
size_t proc_ring_since(const struct proc_ring *r, uint64_t mark, char *out, size_t cap);

/* proc_ring_write — prints the whole ring to out. */
void proc_ring_write(const struct proc_ring *r, FILE *out);

/* What to run. */
struct proc_spec {
	const char *exe;     /* build/bin/lesson-03 */
	int lesson;          /* 3 */
	const char *name;    /* "03-better-server" */
	const char *variant; /* NULL: the lesson's default */
	const char *shown;   /* what the prompt shows: the variant's name, or the slug */
	int port;            /* 0: any free port */
	bool echo;           /* copy its output to ours as it comes (lab start in the foreground) */
	char *const *extra;  /* more arguments after --port P [--variant V] (--upload-dir DIR);
	                        may be NULL */
};

struct proc {
	pid_t pid;           /* 0 when none was started */
	bool running;        /* started and not yet reaped */
	bool group_killed;   /* its process group has had its final SIGKILL */
	int wait_status;     /* waitpid's status once reaped */
	int out_fd, err_fd;  /* our ends of its stdout and stderr; -1 once closed */
	pid_t guard;         /* its guard (see the top), or 0 */
	int guard_fd;        /* our end of the guard's pipe; -1 once closed */
	bool echo;
	int lesson;
	int port;            /* the port it announced */
	char name[64];       /* "03-better-server" */
	char shown[64];      /* "hello-host" */
	struct proc_ring out, err;
};

/* proc_init — an empty server (no process). */
void proc_init(struct proc *s);

/* What proc_start ended with, besides 0. */
enum proc_result {
	PROC_FAILED = -1,      /* err says why: it could not start, exited, or said nothing */
	PROC_PORT_IN_USE = -2, /* its stderr said the port was taken */
	PROC_INTERRUPTED = -3, /* cancel_fd became readable while waiting */
};

/* proc_start — starts spec's server and waits for its "Server bound to port N" line.
 * s must not be running. The child gets its own process group (so a Ctrl-C typed at the
 * shell is not also delivered to it), stdin from /dev/null, no blocked signals,
 * PR_SET_PDEATHSIG and a guard (so it dies with the lab, however the lab ends; see the
 * top). Returns 0 with
 * s->port set, or a proc_result with err set; on failure the process is gone and its
 * output stays in the rings for `log`. */
int proc_start(struct proc *s, const struct proc_spec *spec, int cancel_fd,
               char err[PROC_ERR_LEN]);

/* proc_pollfds — adds the server's open pipes to fds (room for 2 more); returns the
 * new count. */
nfds_t proc_pollfds(const struct proc *s, struct pollfd *fds, nfds_t n);

/* proc_pump — reads whatever its pipes hold now, without blocking, and reaps it when
 * both have closed. Returns true when it has just exited. */
bool proc_pump(struct proc *s);

/* proc_settle — pumps until nothing new has come for quiet_ms (at most max_ms), so what
 * a request made it print is all in. */
void proc_settle(struct proc *s, int quiet_ms, int max_ms);

/* proc_stop — SIGTERM to its process group, then SIGKILL after LIMIT_LAB_STOP_MS (and
 * SIGKILL to whatever is left of the group, such as what a shell it ran started);
 * reaps it and closes the pipes.
 * Returns its exit status (128 + N when a signal N ended it), or 0 when none ran. */
int proc_stop(struct proc *s);

/* proc_exit_text — "exited with status 3" or "was killed by signal 9 (Killed)". */
void proc_exit_text(const struct proc *s, char *out, size_t cap);

/* proc_last_lines — the last n lines of its stderr (or of its stdout when stderr is
 * empty), each indented by two spaces, into out. */
void proc_last_lines(const struct proc *s, int n, char *out, size_t cap);

#endif
