/* proc.h — a lesson server run as the lab's child: started with fork/exec in its own
 * process group, watched until it prints "Server bound to port N", its stdout and stderr
 * kept (the last 64 KiB of each), and stopped with SIGTERM, then SIGKILL. */
#ifndef WIRELAB_PROC_H
#define WIRELAB_PROC_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define RING_CAP (64 * 1024)
#define PROC_START_MS 5000 /* from exec to "Server bound to port N" */
#define PROC_STOP_MS 3000  /* from SIGTERM to SIGKILL */
#define PROC_ERR_LEN 4096  /* a sentence plus the server's last lines */

/* The last RING_CAP bytes written to a stream, and how many were ever written. */
struct ring {
	char data[RING_CAP];
	size_t start, len;
	uint64_t total;
};

/* ring_since — copies what was written after mark (a past value of total) into out,
 * as much as the ring still holds; returns the length. */
size_t ring_since(const struct ring *r, uint64_t mark, char *out, size_t cap);

/* ring_write — prints the whole ring to out. */
void ring_write(const struct ring *r, FILE *out);

/* What to run. */
struct server_spec {
	const char *exe;     /* build/bin/lesson-03 */
	int lesson;          /* 3 */
	const char *name;    /* "03-better-server" */
	const char *variant; /* NULL: the lesson's default */
	const char *shown;   /* what the prompt shows: the variant's name, or the slug */
	int port;            /* 0: any free port */
	bool echo;           /* copy its output to ours as it comes (lab start in the foreground) */
	/* For servers that are not lesson binaries (check's student servers): */
	char *const *argv;   /* run this instead of exe --port P [--variant V]; NULL: that */
	char *const *extra;  /* more arguments after those (--upload-dir DIR); may be NULL */
	char *const *envp;   /* its environment; NULL: ours */
	int probe_port;      /* > 0: ready once this port accepts a connection, not when it
	                        prints "Server bound to port N" (a server in any language) */
};

struct server {
	pid_t pid;           /* 0 when none was started */
	bool running;        /* started and not yet reaped */
	bool group_killed;   /* its process group has had its final SIGKILL */
	int wait_status;     /* waitpid's status once reaped */
	int out_fd, err_fd;  /* our ends of its stdout and stderr; -1 once closed */
	bool echo;
	int lesson;
	int port;            /* the port it announced */
	char name[64];       /* "03-better-server" */
	char shown[64];      /* "hello-host" */
	struct ring out, err;
};

/* server_init — an empty server (no process). */
void server_init(struct server *s);

/* What server_start ended with, besides 0. */
enum proc_result {
	PROC_FAILED = -1,      /* err says why: it could not start, exited, or said nothing */
	PROC_PORT_IN_USE = -2, /* its stderr said the port was taken */
	PROC_INTERRUPTED = -3, /* cancel_fd became readable while waiting */
};

/* server_start — starts spec's server and waits for its "Server bound to port N" line.
 * s must not be running. The child gets its own process group (so a Ctrl-C typed at the
 * shell is not also delivered to it), stdin from /dev/null, no blocked signals, and
 * PR_SET_PDEATHSIG (so it dies with the lab, however the lab ends). Returns 0 with
 * s->port set, or a proc_result with err set; on failure the process is gone and its
 * output stays in the rings for `log`. */
int server_start(struct server *s, const struct server_spec *spec, int cancel_fd,
                 char err[PROC_ERR_LEN]);

/* server_pollfds — adds the server's open pipes to fds (room for 2 more); returns the
 * new count. */
nfds_t server_pollfds(const struct server *s, struct pollfd *fds, nfds_t n);

/* server_pump — reads whatever its pipes hold now, without blocking, and reaps it when
 * both have closed. Returns true when it has just exited. */
bool server_pump(struct server *s);

/* server_settle — pumps until nothing new has come for quiet_ms (at most max_ms), so what
 * a request made it print is all in. */
void server_settle(struct server *s, int quiet_ms, int max_ms);

/* server_stop — SIGTERM to its process group, then SIGKILL after PROC_STOP_MS (and
 * SIGKILL to whatever is left of the group, such as what a shell it ran started);
 * reaps it and closes the pipes.
 * Returns its exit status (128 + N when a signal N ended it), or 0 when none ran. */
int server_stop(struct server *s);

/* server_exit_text — "exited with status 3" or "was killed by signal 9 (Killed)". */
void server_exit_text(const struct server *s, char *out, size_t cap);

/* server_last_lines — the last n lines of its stderr (or of its stdout when stderr is
 * empty), each indented by two spaces, into out. */
void server_last_lines(const struct server *s, int n, char *out, size_t cap);

#endif
