/* lab.h — the lab's state, owned by main and handed to every command, and the helpers
 * every command calls: messages, running a program, signals, starting a lesson server.
 *
 * The lab is one process: a readline shell (or one command from argv) plus at most one
 * lesson server it started as a child. Nothing in tools/ keeps mutable state in a global
 * variable except the one pointer readline's callbacks need (see tools/lab/input.c);
 * everything else lives in struct lab. It is here, in tools/util, because the shell's
 * commands (tools/lab) and the checker they run (tools/check) both work with it. */
#ifndef WIRELAB_LAB_H
#define WIRELAB_LAB_H

#include <limits.h> /* PATH_MAX */
#include <stdbool.h>
#include <stdio.h>

#include "catalog.h"
#include "proc.h"
#include "style.h"

/* Exit statuses of a command, and so of `lab COMMAND`. */
enum lab_status {
	LAB_OK = 0,
	LAB_FAIL = 1,  /* the command ran and something went wrong (or was not found) */
	LAB_USAGE = 2, /* the command line itself was wrong */
};

#ifndef WIRELAB_ROOT
#define WIRELAB_ROOT "."
#endif

#define LAB_DEFAULT_PORT 8080
#define LAB_DEFAULT_TIMEOUT_MS 10000

struct command;
struct conns;
struct input;
struct sniffer;

struct lab {
	char root[PATH_MAX];    /* $WIRELAB_ROOT, else the repository the lab was built in */
	char bindir[PATH_MAX];  /* $WIRELAB_BIN, else ROOT/build/bin: the lesson binaries */
	char workspace[PATH_MAX]; /* $WIRELAB_WORKSPACE, else ROOT/workspace: the student's */
	bool interactive;       /* the shell, rather than one command from argv */
	bool quit;              /* quit, Ctrl-D, SIGTERM or SIGHUP: leave the shell */
	int sigfd;              /* a signalfd for SIGINT, SIGTERM and SIGHUP, which stay blocked */
	struct style style;     /* colour or not */
	struct catalog lessons; /* found under ROOT/lessons at start-up */
	struct proc server;     /* the lesson server the shell runs (or last ran) */
	struct sniffer *sniffer; /* libmagic, opened on first use */
	struct input *input;    /* the line reader; NULL when running one command */
	struct conns *conns;    /* the connection kept open and the logs trace draws
	                           (tools/lab/conn.h); NULL until the first request */
	const struct command *commands; /* the command table (tools/lab/table.c) */
};

/* lab_open — paths (from the environment, else where the lab was built), colour, the
 * signalfd and the lessons. Returns 0, or 1 after a message on stderr. */
int lab_open(struct lab *lab);

/* lab_close — stops the server, releases everything lab_open and the commands took. */
void lab_close(struct lab *lab);

/* lab_error — one sentence on stderr ("lab: " in front when running one command). */
void lab_error(const struct lab *lab, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* lab_note — a line on stdout, dimmed on a terminal. */
void lab_note(const struct lab *lab, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* lab_typed — what comes before a command's name when the user types it: "" in the
 * shell, "lab " from their own shell. For sentences that suggest a command. */
const char *lab_typed(const struct lab *lab);

/* lab_interrupted — reads what is pending on the signalfd: true when it was SIGINT;
 * SIGTERM and SIGHUP set lab->quit. */
bool lab_interrupted(struct lab *lab);

/* lab_report_exit — tells the student that server s exited by itself: how, and its last
 * lines of output. */
void lab_report_exit(struct lab *lab, const struct proc *s);

/* lab_sniffer — the libmagic sniffer, opened on first use (NULL if it cannot be). */
struct sniffer *lab_sniffer(struct lab *lab);

/* lab_start_server — starts lesson l's server into s (variant NULL: the default) on
 * port, echoing its output when echo is set, with the arguments in extra (NULL: none)
 * after the usual ones; after a sentence on failure (port in use, exited early, unknown
 * variant). Returns a lab_status. */
int lab_start_server(struct lab *lab, struct proc *s, struct catalog_lesson *l,
                     const char *variant, int port, bool echo, char *const *extra);

/* lab_run — runs argv (found on PATH) in the foreground with our stdout and stderr
 * and no signal blocked, so a Ctrl-C stops it too; waits for it. Returns its exit status,
 * 128 + N when signal N ended it, or -1 when it could not be started. */
int lab_run(struct lab *lab, char *const argv[]);

/* lab_drain_signals — forgets a Ctrl-C typed before a command started (say, inside a
 * pager), so it cannot cancel the next command. */
void lab_drain_signals(struct lab *lab);

/* lab_url_address — host and port of an http:// URL into host[0..cap) and *port;
 * false after a sentence saying what is wrong with it. */
bool lab_url_address(struct lab *lab, const char *url, char *host, size_t cap, int *port);

#endif
