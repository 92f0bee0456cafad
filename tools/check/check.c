/* check.c — one check: for each variant, start both servers, send each case to both,
 * judge the answers.
 *
 * A server check started is stopped whatever happens: proc_stop kills its process
 * group, and PR_SET_PDEATHSIG (proc.c, launch.c) takes it down if the lab dies. */
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cases.h"
#include "catalog.h"
#include "client.h"
#include "file.h"
#include "lab.h"
#include "launch.h"
#include "net.h"
#include "normal.h"
#include "ports.h"
#include "report.h"
#include "workspace.h"

#define REPLY_MAX (16 * 1024 * 1024)
#define EXIT_WAIT_MS 1000     /* how long a server that dropped a request has to die */
#define EXIT_GLANCE_MS 50     /* …and one that dropped it as the reference did */
#define UPLOAD_MAX (16 * 1024 * 1024)
#define ENV_EXTRA 6
#define BOUND_TEXT "Server bound to port "

/* The whole check, over every variant. */
struct whole {
	struct lab *lab;
	struct catalog_lesson *l;
	const struct check_options *o;
	uint64_t seed;
	char exe[PATH_MAX];       /* the student's compiled server; "" with --cmd or --url */
	bool reference_itself;    /* what is checked is the lab's own build/bin/lesson-NN */
	int passed, failed;       /* over all variants */
};

/* One of the two servers compared. */
struct side {
	const char *label;        /* "reference", "yours" */
	char host[256];
	int port;
	struct proc *proc;        /* the process when check started it, else NULL */
	char uploads[PATH_MAX + 32]; /* its --upload-dir, or "" */
	struct launch_sync sync;  /* the student's server: what takes its output in (launch.h) */
};

/* One run of check: one variant. */
struct run {
	struct whole *w;
	struct lab *lab;
	struct catalog_lesson *l;
	const struct check_options *o;
	const char *variant;      /* NULL for a lesson without variants */
	uint64_t seed;
	char tmp[PATH_MAX - 64];  /* this run's folder for uploads and diff files; "" if none */
	struct side ref, mine;
	struct cases_plan plan;
	char **envp;              /* the student's server's environment, owned here */
	char env_text[ENV_EXTRA][PATH_MAX + 64];
	int passed, failed;
	bool aborted;             /* a failure that ends the run (crash, silence, Ctrl-C) */
	bool interrupted;         /* Ctrl-C: no further variant either */
	bool told_buffering;      /* the hint about buffered output was given */
	bool printed_any;         /* the student's server has printed on stdout for a request */
	int64_t late_budget_ms;   /* what is left of LIMIT_LAB_LATE_OUTPUT_MS for late output */
	bool bound_dropped;       /* its "Server bound to port N" line, if late, was dropped */
};

/* What one side answered to one case. */
struct answer {
	int rc;                   /* a client_status */
	char err[LIMIT_ERR_LEN];
	struct client_reply reply;
	char *printed;            /* what it printed on stdout meanwhile (NULL: not kept) */
	size_t printed_len;
	uint64_t out_mark, err_mark; /* where its stdout and stderr stood when it was asked */
};

/* ---- the temporary folder ---------------------------------------------------------- */

/* remove_one — nftw's callback: removes each entry, deepest first. */
static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

/* make_tmp — this run's folder, with an upload folder per side when the lesson takes
 * uploads. Returns 0, or -1 after a sentence. */
static int make_tmp(struct run *r)
{
	const char *base = getenv("TMPDIR");

	snprintf(r->tmp, sizeof r->tmp, "%s/wirelab-check-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(r->tmp)) {
		lab_error(r->lab, "cannot make a temporary folder: %s", strerror(errno));
		r->tmp[0] = '\0';
		return -1;
	}
	if (!r->plan.uploads)
		return 0;
	snprintf(r->ref.uploads, sizeof r->ref.uploads, "%s/reference-uploads", r->tmp);
	snprintf(r->mine.uploads, sizeof r->mine.uploads, "%s/your-uploads", r->tmp);
	/* Run as root, a lesson server becomes nobody before it serves: it must still reach
	 * and write its folder. */
	if (chmod(r->tmp, 0711) != 0 || mkdir(r->ref.uploads, 0700) != 0 ||
	    mkdir(r->mine.uploads, 0700) != 0 || chmod(r->ref.uploads, 0777) != 0 ||
	    chmod(r->mine.uploads, 0777) != 0) {
		lab_error(r->lab, "cannot make the upload folders: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- starting the servers ------------------------------------------------------------ */

/* new_server — an empty struct proc on the heap (it holds two 64 KiB rings). */
static struct proc *new_server(struct lab *lab)
{
	struct proc *s = malloc(sizeof *s);

	if (!s)
		lab_error(lab, "out of memory");
	else
		proc_init(s);
	return s;
}

/* start_reference — build/bin/lesson-NN --port 0 [--variant V] [--upload-dir D]. */
static int start_reference(struct run *r)
{
	char *extra[] = {"--upload-dir", r->ref.uploads, NULL};

	if (!(r->ref.proc = new_server(r->lab)))
		return -1;
	if (lab_start_server(r->lab, r->ref.proc, r->l, r->variant, 0, false,
	                     r->ref.uploads[0] ? extra : NULL) != LAB_OK)
		return -1;
	snprintf(r->ref.host, sizeof r->ref.host, "127.0.0.1");
	r->ref.port = r->ref.proc->port;
	return 0;
}

/* free_port — a port nothing listens on now, for the student's server. The server binds
 * it a moment later, so the port should be one nobody else is about to take: the kernel
 * hands out port 0's picks, and every outgoing connection's port, from 32768 up (Linux's
 * ip_local_port_range), where another check started at the same time may land on the
 * same one. So: a random port below that, tried; the kernel's pick only as a last resort. */
static int free_port(void)
{
	char err[LIMIT_ERR_LEN];

	for (int tries = 0; tries < 64; tries++) {
		uint16_t r;
		if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
			break;
		int fd = net_listen("127.0.0.1", 10000 + r % 22000, err);
		if (fd >= 0) {
			int port = net_local_port(fd);
			close(fd);
			return port;
		}
	}
	int fd = net_listen("127.0.0.1", 0, err), port = fd < 0 ? -1 : net_local_port(fd);
	if (fd >= 0)
		close(fd);
	return port;
}

/* The variables the student's server gets from check, in this order in env_text. */
static const char *const env_names[ENV_EXTRA] = {"PORT=", "VARIANT=", "UPLOAD_DIR=",
                                                 "LESSON_DIR=", "ASAN_OPTIONS=",
                                                 "UBSAN_OPTIONS="};

/* sanitizer_options — NAME=color=never, then the options already set, which win: its
 * stdout and stderr are terminals, and a sanitizer's report would come in colour codes.
 * NULL when the ones set are too long to add to. */
static const char *sanitizer_options(char *out, size_t cap, const char *name)
{
	const char *set = getenv(name);
	int n = snprintf(out, cap, "%s=color=never%s%s", name, set && *set ? ":" : "",
	                 set ? set : "");
	return n < 0 || (size_t)n >= cap ? NULL : out;
}

/* mine_env — our environment with check's variables set for the student's server: PORT,
 * VARIANT, UPLOAD_DIR and LESSON_DIR (for --cmd), and the sanitizers told not to colour. */
static int mine_env(struct run *r, int port)
{
	extern char **environ;
	size_t n = 0, k = 0;
	char(*t)[PATH_MAX + 64] = r->env_text;

	while (environ[n])
		n++;
	if (!(r->envp = calloc(n + ENV_EXTRA + 1, sizeof *r->envp)))
		return -1;
	snprintf(t[0], sizeof t[0], "PORT=%d", port);
	snprintf(t[1], sizeof t[1], "VARIANT=%s", r->variant ? r->variant : "");
	snprintf(t[2], sizeof t[2], "UPLOAD_DIR=%s", r->mine.uploads);
	snprintf(t[3], sizeof t[3], "LESSON_DIR=%s", r->l->dir);
	const char *asan = sanitizer_options(t[4], sizeof t[4], "ASAN_OPTIONS");
	const char *ubsan = sanitizer_options(t[5], sizeof t[5], "UBSAN_OPTIONS");
	bool ours[ENV_EXTRA] = {true, true, true, true, asan != NULL, ubsan != NULL};
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;
		for (size_t j = 0; j < ENV_EXTRA; j++)
			replaced |= ours[j] &&
			            !strncmp(environ[i], env_names[j], strlen(env_names[j]));
		if (!replaced)
			r->envp[k++] = environ[i];
	}
	for (size_t i = 0; i < ENV_EXTRA; i++)
		if (ours[i])
			r->envp[k++] = t[i];
	r->envp[k] = NULL;
	return 0;
}

/* mine_argv — the command that runs the student's server on port into argv[0..8). */
static int mine_argv(struct run *r, int port, char *port_text, size_t cap, char *argv[8])
{
	size_t n = 0;

	if (mine_env(r, port) != 0)
		return -1;
	if (r->o->cmd) {
		argv[n++] = "/bin/sh";
		argv[n++] = "-c";
		argv[n++] = (char *)r->o->cmd;
		argv[n] = NULL;
		return 0;
	}
	snprintf(port_text, cap, "%d", port);
	argv[n++] = r->w->exe;
	argv[n++] = "--port";
	argv[n++] = port_text;
	if (r->variant) {
		argv[n++] = "--variant";
		argv[n++] = (char *)r->variant;
	}
	if (r->mine.uploads[0]) {
		argv[n++] = "--upload-dir";
		argv[n++] = r->mine.uploads;
	}
	argv[n] = NULL;
	return 0;
}

/* start_mine — the student's server, built or --cmd, on a port of its own. Returns 0,
 * 1 when it did not come up (its fault), -1 when check could not go on. */
static int start_mine(struct run *r)
{
	char name[96], err[PROC_ERR_LEN], port_text[16], *argv[12];
	int port = free_port();

	if (port < 0 || mine_argv(r, port, port_text, sizeof port_text, argv) != 0) {
		lab_error(r->lab, "cannot find a free port for your server (or out of memory)");
		return -1;
	}
	snprintf(name, sizeof name, "%s (yours)", r->l->name);
	struct launch_spec spec = {.argv = argv, .envp = r->envp, .port = port,
	                           .port_from_env = r->o->cmd != NULL, .name = name,
	                           .lesson = r->l->number};
	if (!(r->mine.proc = new_server(r->lab)))
		return -1;
	int rc = launch_start(r->mine.proc, &spec, &r->mine.sync, r->lab->sigfd, err);
	if (rc != 0)
		lab_error(r->lab, "%s", err);
	if (rc == PROC_INTERRUPTED) {
		lab_drain_signals(r->lab);
		return -1;
	}
	if (rc != 0)
		return 1;
	snprintf(r->mine.host, sizeof r->mine.host, "127.0.0.1");
	r->mine.port = port;
	return 0;
}

/* stop_side — stops the server check started for a side, if any. */
static void stop_side(struct side *s)
{
	if (!s->proc)
		return;
	proc_stop(s->proc);
	launch_sync_close(&s->sync);
	free(s->proc);
	s->proc = NULL;
}

/* same_file — true when both paths name one file (a copy is not the same file). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* runs_file — true when process pid runs bin: as its program, or as a word of its
 * command line (valgrind, or an interpreter, holds the program as an argument). */
static bool runs_file(pid_t pid, const char *bin)
{
	char path[64], args[4096];
	size_t n = 0;

	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	if (same_file(path, bin))
		return true;
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	FILE *f = fopen(path, "r");
	if (f) {
		n = fread(args, 1, sizeof args - 1, f);
		fclose(f);
	}
	args[n] = '\0';
	for (size_t i = 0; i < n; i += strlen(args + i) + 1)
		if (args[i] == '/' && same_file(args + i, bin))
			return true;
	return false;
}

/* reference_itself — true when the program listening on the student's port is the lab's
 * own build/bin/lesson-NN (found through the kernel's tables, so through any shell). */
static bool reference_itself(struct run *r)
{
	char bin[PATH_MAX + 16];
	unsigned long inode;
	pid_t pid;

	if (r->w->exe[0] ||
	    (strcmp(r->mine.host, "127.0.0.1") && strcmp(r->mine.host, "localhost") &&
	     strcmp(r->mine.host, "::1")) ||
	    !ports_listening(r->mine.port, &inode) || (pid = ports_owner(inode)) <= 0)
		return false;
	catalog_binary(r->l, r->lab->bindir, bin, sizeof bin);
	return runs_file(pid, bin);
}

/* ---- one exchange -------------------------------------------------------------------- */

/* send_split — all but the last piece of c, in writes of c->split bytes with a pause
 * between, so a server that expects a request in one read() is found out. Returns the
 * bytes sent (stopping early, quietly, if the server closed: its answer tells why). */
static size_t send_split(int fd, const struct cases_request *c, const struct client_wait *w)
{
	size_t sent = 0;
	int one = 1;

	if (c->split == 0)
		return 0;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* each piece its own segment */
	while (c->len - sent > c->split && net_now_ms() < w->deadline) {
		struct pollfd p = {fd, POLLOUT, 0};
		if (poll(&p, 1, (int)(w->deadline - net_now_ms())) <= 0)
			break;
		ssize_t n = send(fd, c->req + sent, c->split, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			break;
		sent += n > 0 ? (size_t)n : 0;
		poll(NULL, 0, LIMIT_LAB_SPLIT_PAUSE_MS);
	}
	return sent;
}

/* drop_bound_line — takes a "Server bound to port N" line out of what the student's
 * server printed, once: check sends its first request as soon as the port listens, and
 * a server may say so only after that, while the reference said it before. */
static void drop_bound_line(struct run *r, struct answer *a)
{
	char *at = a->printed, *end = a->printed + a->printed_len;
	size_t n = strlen(BOUND_TEXT);

	while (at && at < end && !r->bound_dropped) {
		char *nl = memchr(at, '\n', (size_t)(end - at));
		if (!nl)
			return;
		if ((size_t)(nl - at) >= n && memcmp(at, BOUND_TEXT, n) == 0) {
			memmove(at, nl + 1, (size_t)(end - nl - 1));
			a->printed_len -= (size_t)(nl + 1 - at);
			r->bound_dropped = true;
			return;
		}
		at = nl + 1;
	}
}

/* settle_printed — waits for s's output to go quiet, then takes what it printed since
 * a's mark. */
static void settle_printed(struct side *s, struct answer *a)
{
	launch_flush(&s->sync, LIMIT_LAB_SETTLE_MAX_MS);
	proc_settle(s->proc, LIMIT_LAB_SETTLE_QUIET_MS, LIMIT_LAB_SETTLE_MAX_MS);
	a->printed_len = proc_ring_since(&s->proc->out, a->out_mark, a->printed, PROC_RING_CAP);
}

/* take_printed — what s printed since the marks (waiting for it to settle when keep).
 * expect is how much the reference printed for the same request: a student's output
 * comes through a terminal, which the kernel delivers a moment later than a pipe, and
 * on a busy machine later than a quiet spell; so while it falls short, wait longer
 * before calling it missing, within one budget for the whole run. */
static void take_printed(struct run *r, struct side *s, bool keep, struct answer *a,
                         size_t expect)
{
	if (!s->proc)
		return;
	if (!keep) {
		proc_pump(s->proc); /* keep its pipes empty, so it never blocks writing */
		return;
	}
	if (!(a->printed = malloc(PROC_RING_CAP)))
		return;
	settle_printed(s, a);
	int64_t start = net_now_ms(), give_up = start + r->late_budget_ms;
	while (a->printed_len < expect && s->proc->running && net_now_ms() < give_up)
		settle_printed(s, a);
	r->late_budget_ms -= net_now_ms() - start; /* a server that prints less, spent once */
	if (s == &r->mine) {
		drop_bound_line(r, a);
		r->printed_any |= a->printed_len > 0;
	}
}

/* ask — sends case c to side s and collects the answer. */
static void ask(struct run *r, struct side *s, const struct cases_request *c, bool keep_printed,
                size_t expect, struct answer *a)
{
	struct client_wait w = {net_now_ms() + r->o->timeout_ms, r->lab->sigfd};

	memset(a, 0, sizeof *a);
	if (s->proc) {
		/* what it printed for earlier requests is all in first, so it is not this one's */
		launch_flush(&s->sync, LIMIT_LAB_SETTLE_MAX_MS);
		proc_pump(s->proc);
		a->out_mark = s->proc->out.total;
		a->err_mark = s->proc->err.total;
	}
	int fd = client_connect(s->host, s->port, &w, a->err);
	if (fd < 0) {
		a->rc = fd;
		return;
	}
	size_t sent = send_split(fd, c, &w);
	a->rc = client_exchange(fd, c->req + sent, c->len - sent, REPLY_MAX, &w, &a->reply, a->err);
	close(fd);
	take_printed(r, s, keep_printed, a, expect);
}

static void answer_free(struct answer *a)
{
	client_reply_free(&a->reply);
	free(a->printed);
	a->printed = NULL;
}

/* ---- what a failing case shows ---------------------------------------------------------- */

/* show_stream — what one stream of the student's server received since mark. */
static void show_stream(const struct proc_ring *ring, uint64_t mark, const char *label)
{
	char *text = malloc(PROC_RING_CAP);

	if (!text)
		return;
	size_t n = proc_ring_since(ring, mark, text, PROC_RING_CAP);
	report_output(stdout, label, text, n);
	free(text);
}

/* show_case — under a FAIL line: the request sent, then what the student's server wrote
 * on stdout and stderr while it answered. */
static void show_case(struct run *r, const struct cases_request *c, const struct answer *got)
{
	struct proc *s = r->mine.proc;

	fflush(stdout);
	report_request(stdout, c);
	if (!s)
		return;
	if (s->running) {
		launch_flush(&r->mine.sync, LIMIT_LAB_SETTLE_MAX_MS);
		proc_settle(s, LIMIT_LAB_SETTLE_QUIET_MS, LIMIT_LAB_SETTLE_MAX_MS);
	}
	if (s->out.total == got->out_mark && s->err.total == got->err_mark) {
		printf("      your server wrote nothing on stdout or stderr meanwhile\n");
		return;
	}
	printf("      what your server wrote meanwhile:\n");
	show_stream(&s->out, got->out_mark, "stdout");
	show_stream(&s->err, got->err_mark, "stderr");
	fflush(stdout);
}

/* buffering_hint — once a run: a server that has printed nothing at all, where the
 * reference printed, most likely holds its output in a buffer. */
static void buffering_hint(struct run *r, const struct answer *want)
{
	if (r->told_buffering || !r->mine.proc || r->printed_any || want->printed_len == 0)
		return;
	r->told_buffering = true;
	printf("      your server has printed nothing on stdout at all, where the reference "
	       "printed %zu bytes.\n      If it does print, its output is probably buffered: "
	       "flush after each print (fflush(stdout)\n      in C; print(..., flush=True) in "
	       "Python, or run it with python3 -u).\n", want->printed_len);
}

/* ---- judging -------------------------------------------------------------------------- */

/* exited — true when the student's server has exited, waiting up to wait_ms for it to.
 * The wait is what makes a crash's blame exact: a server that dies on a request closes
 * the connection before the kernel reports its death, so without it a crash could be
 * noticed only at the next request, and blamed on that one. */
static bool exited(struct proc *s, int wait_ms)
{
	int64_t end = net_now_ms() + wait_ms;

	for (;;) {
		proc_pump(s);
		if (!s->running)
			return true;
		if (waitpid(s->pid, &s->wait_status, WNOHANG) == s->pid) {
			s->running = false;
			/* its last words */
			proc_settle(s, LIMIT_LAB_SETTLE_QUIET_MS, LIMIT_LAB_SETTLE_MAX_MS);
			return true;
		}
		if (net_now_ms() >= end)
			return false;
		struct pollfd fds[2];
		poll(fds, proc_pollfds(s, fds, 0), 10);
	}
}

/* dropped — true when got looks like a request the student's server never finished:
 * no answer, a reset, or an exchange that did not end well. */
static bool dropped(const struct answer *got)
{
	return got->rc != CLIENT_OK || got->reply.reset || got->reply.len == 0;
}

/* crashed — true (after a sentence) when the student's server has exited: checked after
 * every answer, so the request in flight is the one blamed. */
static bool crashed(struct run *r, const struct cases_request *c, const struct answer *want,
                    const struct answer *got)
{
	struct proc *s = r->mine.proc;
	char how[128], last[2048];
	bool answered = want->reply.len > 0 && !dropped(got);

	int wait_ms = !dropped(got) ? 0 : want->reply.len > 0 ? EXIT_WAIT_MS : EXIT_GLANCE_MS;

	if (!s || !exited(s, wait_ms))
		return false;
	proc_exit_text(s, how, sizeof how);
	proc_last_lines(s, 8, last, sizeof last);
	lab_error(r->lab, "your server %s %s %s.%s%s", how,
	          answered ? "just after answering" : "while answering", c->name,
	          *last ? " Its last output:\n" : " It printed nothing.", last);
	return true;
}

/* not_logic — a sentence for an answer that never came (nothing listening, silence,
 * a crash, Ctrl-C); true when there was one, and the run ends. */
static bool not_logic(struct run *r, const struct cases_request *c, const struct answer *want,
                      const struct answer *got)
{
	double secs = r->o->timeout_ms / 1000.0;

	if (crashed(r, c, want, got))
		return true;
	if (got->rc == CLIENT_CANCELLED)
		lab_error(r->lab, "interrupted");
	else if (got->rc == CLIENT_REFUSED)
		lab_error(r->lab, "connection refused: nothing listens on %s port %d, so there is "
		          "no server to check. Is it running there?", r->mine.host, r->mine.port);
	else if (got->rc == CLIENT_TIMEOUT && got->reply.len == 0)
		lab_error(r->lab, "%s: your server accepted the connection but answered nothing "
		          "within %g s (--timeout S waits longer)", c->name, secs);
	else if (got->rc == CLIENT_TIMEOUT)
		lab_error(r->lab, "%s: your server sent %zu bytes, then neither finished nor "
		          "closed the connection within %g s; the reference closes it once the "
		          "client has sent everything", c->name, got->reply.len, secs);
	else if (got->rc == CLIENT_ERROR)
		lab_error(r->lab, "%s: %s", c->name, got->err);
	else
		return false;
	return true;
}

/* rendering — the text compared for one answer: normal.h's, less what two correct
 * servers may differ in (NORMAL_CHECK). NULL when out of memory. */
static char *rendering(const struct run *r, const struct cases_request *c, const struct answer *a)
{
	struct normal_exchange x = {.reply = a->reply.data, .reply_len = a->reply.len,
	                            .closed = a->reply.closed, .printed = a->printed,
	                            .printed_len = a->printed_len};
	char waited[32], *text;

	x.nmethods = normal_methods(c->req, c->len, x.methods, NORMAL_METHODS_MAX);
	snprintf(waited, sizeof waited, "%g", r->o->timeout_ms / 1000.0);
	x.waited = waited;
	return normal_render(&x, NORMAL_CHECK, &text, NULL) == 0 ? text : NULL;
}

/* show_diff — diff -u of the two texts, through files in the run's folder. */
static void show_diff(struct run *r, const char *want, const char *got)
{
	char a[PATH_MAX + 16], b[PATH_MAX + 16];

	snprintf(a, sizeof a, "%s/reference.txt", r->tmp);
	snprintf(b, sizeof b, "%s/yours.txt", r->tmp);
	if (ws_write_file(a, want, strlen(want)) != 0 || ws_write_file(b, got, strlen(got)) != 0) {
		lab_error(r->lab, "cannot write the texts to compare into %s", r->tmp);
		return;
	}
	char *argv[] = {"diff", "-u", "--label", "reference", "--label", "yours", a, b, NULL};
	lab_run(r->lab, argv);
}

/* verdict — pass, or a diff saying how the answers differ, the request and what the
 * student's server wrote. */
static void verdict(struct run *r, const struct cases_request *c, const struct answer *want,
                    const struct answer *got)
{
	char *a = rendering(r, c, want), *b = rendering(r, c, got);

	if (a && b && strcmp(a, b) == 0) {
		printf("pass  %s\n", c->name);
		r->passed++;
	} else {
		printf("FAIL  %s\n", c->name);
		r->failed++;
		if (got->reply.len == 0 && want->reply.len > 0)
			printf("      your server closed the connection without answering%s\n",
			       got->reply.reset ? " (it reset it)" : "");
		buffering_hint(r, want);
		if (a && b)
			show_diff(r, a, b);
		show_case(r, c, got);
	}
	fflush(stdout);
	free(a);
	free(b);
}

/* run_case — one case against both servers. */
static void run_case(struct run *r, const struct cases_request *c)
{
	bool keep = r->plan.printed && r->mine.proc;
	struct answer want, got;

	memset(&got, 0, sizeof got);
	ask(r, &r->ref, c, keep, 0, &want);
	/* A reset before any answer is an answer too: lesson 01 closes with a long line
	 * unread, and the kernel then resets the connection. */
	if (want.rc != CLIENT_OK && want.rc != CLIENT_RESET) {
		lab_error(r->lab, "the reference server did not answer %s (%s): that is the lab's "
		          "fault, not yours", c->name,
		          want.rc == CLIENT_CANCELLED ? "interrupted" : want.err);
		r->aborted = true;
	} else {
		ask(r, &r->mine, c, keep, want.printed_len, &got);
		if (not_logic(r, c, &want, &got)) {
			printf("FAIL  %s\n", c->name);
			show_case(r, c, &got);
			r->failed++;
			r->aborted = true;
		} else {
			verdict(r, c, &want, &got);
		}
		answer_free(&got);
	}
	if (want.rc == CLIENT_CANCELLED || got.rc == CLIENT_CANCELLED) {
		lab_drain_signals(r->lab);
		r->interrupted = true;
	}
	answer_free(&want);
}

/* ---- uploads -------------------------------------------------------------------------- */

/* list_uploads — "name: N bytes, hash H" per file saved in dir, sorted, as text. */
static char *list_uploads(const char *dir)
{
	struct dirent **names;
	char *text = NULL, path[PATH_MAX + 300], *data;
	size_t size = 0, len;
	int n = scandir(dir, &names, NULL, alphasort);
	FILE *f = open_memstream(&text, &size);

	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (f && strcmp(name, ".") && strcmp(name, "..")) {
			snprintf(path, sizeof path, "%s/%s", dir, name);
			if (file_read(path, UPLOAD_MAX, &data, &len) == 0) {
				fprintf(f, "%s: %zu bytes\n", name, len);
				/* the start, to show what differs */
				normal_text(f, (const unsigned char *)data, len < 256 ? len : 256);
				fputs(len > 256 ? "…\n" : "\n", f);
				free(data);
			} else {
				fprintf(f, "%s: cannot be read\n", name);
			}
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	if (f && fclose(f) != 0) {
		free(text);
		text = NULL;
	}
	return text;
}

/* compare_uploads — the files each server saved, as one more case. */
static void compare_uploads(struct run *r)
{
	char *a = list_uploads(r->ref.uploads), *b = list_uploads(r->mine.uploads);

	if (a && b && strcmp(a, b) == 0) {
		printf("pass  saved files\n");
		r->passed++;
	} else {
		printf("FAIL  saved files (the reference's upload folder against yours)\n");
		r->failed++;
		if (a && b)
			show_diff(r, a, b);
	}
	free(a);
	free(b);
}

/* ---- one variant ---------------------------------------------------------------------- */

/* describe — what is being checked, and the seed to replay it. */
static void describe(struct run *r)
{
	char what[PATH_MAX + 64];

	if (r->o->url)
		snprintf(what, sizeof what, "the server at %s", r->o->url);
	else if (r->o->cmd)
		snprintf(what, sizeof what, "`%s`", r->o->cmd);
	else
		snprintf(what, sizeof what, "workspace/%s/server.c", r->l->name);
	printf("checking %s against lesson %s's reference%s%s: %zu requests, seed %llu\n", what,
	       r->l->name, r->variant ? ", variant " : "", r->variant ? r->variant : "",
	       r->plan.n, (unsigned long long)r->seed);
	fflush(stdout);
}

/* start_both — the reference, then the student's server (or its address). */
static int start_both(struct run *r)
{
	if (r->o->url && !lab_url_address(r->lab, r->o->url, r->mine.host, sizeof r->mine.host,
	                                  &r->mine.port))
		return -1;
	if (make_tmp(r) != 0 || start_reference(r) != 0)
		return -1;
	int mine = r->o->url ? 0 : start_mine(r);
	if (mine != 0)
		return mine;
	if (r->mine.proc) {
		char said[4096];
		size_t n = proc_ring_since(&r->mine.proc->out, 0, said, sizeof said - 1);
		said[n] = '\0';
		/* said in time: none to drop */
		r->bound_dropped = strstr(said, BOUND_TEXT) != NULL;
	}
	if (reference_itself(r))
		r->w->reference_itself = true;
	return 0;
}

/* stop_all — both servers stopped, the run's folder removed, what it owns released. */
static void stop_all(struct run *r)
{
	stop_side(&r->mine);
	stop_side(&r->ref);
	if (r->tmp[0])
		nftw(r->tmp, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	free(r->envp);
	r->envp = NULL;
	cases_free(&r->plan);
}

/* send_all — every case in turn, and the saved files; what was not sent counts as failed. */
static void send_all(struct run *r)
{
	for (size_t i = 0; i < r->plan.n && !r->aborted; i++)
		run_case(r, &r->plan.v[i]);
	if (r->aborted) {
		size_t unsent = r->plan.n - (size_t)(r->passed + r->failed);
		printf("(stopped early: %zu of %zu requests not sent, counted as failed)\n", unsent,
		       r->plan.n);
		r->failed += (int)unsent;
	} else if (r->plan.uploads && !r->o->url) {
		compare_uploads(r);
	}
}

/* check_variant — one whole run against the reference running variant (NULL: a lesson
 * without variants). Returns 0 when it ran (passing or not), 1 when it stopped early
 * (the student's server crashed, hung or never listened: the next variant would only
 * wait for the same; or Ctrl-C), -1 when it could not run (the lab's fault, or Ctrl-C
 * while a server was starting: a sentence said so). */
static int check_variant(struct whole *w, const char *variant, bool several)
{
	struct run r = {.w = w, .lab = w->lab, .l = w->l, .o = w->o, .variant = variant,
	                .seed = w->seed, .ref.label = "reference", .mine.label = "yours",
	                .ref.sync = {-1, -1}, .mine.sync = {-1, -1},
	                .late_budget_ms = LIMIT_LAB_LATE_OUTPUT_MS};
	char err[LIMIT_ERR_LEN];

	if (cases_load(w->l, r.seed, &r.plan, err) != 0) {
		lab_error(w->lab, "%s", err);
		return -1;
	}
	describe(&r);
	lab_drain_signals(w->lab);
	int started = start_both(&r);
	if (started < 0) {
		stop_all(&r);
		return -1;
	}
	if (started > 0) { /* the student's server never listened: nothing could be sent */
		printf("(your server did not start: %zu requests not sent, counted as failed)\n",
		       r.plan.n);
		r.failed = (int)r.plan.n;
		r.aborted = true;
	} else {
		send_all(&r);
	}
	stop_all(&r);
	if (several)
		printf("variant %s: %d passed, %d failed\n", variant, r.passed, r.failed);
	fflush(stdout);
	w->passed += r.passed;
	w->failed += r.failed;
	return r.aborted || r.interrupted ? 1 : 0;
}

/* ---- check ---------------------------------------------------------------------------- */

/* variants_to_check — the variants one check runs, into names[]: the one --variant
 * names, else every one (with --url only the default: check cannot restart a server it
 * did not start). *all is true when that is every variant of the lesson. Returns the
 * count (1 with names[0] NULL for a lesson without variants), or -1 after a sentence. */
static int variants_to_check(struct whole *w, const char **names, bool *all)
{
	struct catalog_lesson *l = w->l;

	if (catalog_load_variants(l, w->lab->bindir) != 0) {
		lab_error(w->lab, "cannot ask build/bin/lesson-%02d for its variants: run make",
		          l->number);
		return -1;
	}
	*all = true;
	names[0] = NULL;
	if (l->nvariants == 0)
		return 1;
	if (w->o->variant && !catalog_has_variant(l, w->o->variant)) {
		lab_error(w->lab, "lesson %02d has no variant %s", l->number, w->o->variant);
		return -1;
	}
	if (w->o->variant || w->o->url) {
		names[0] = w->o->variant ? w->o->variant : l->variants[0];
		*all = l->nvariants == 1;
		return 1;
	}
	for (size_t i = 0; i < l->nvariants; i++)
		names[i] = l->variants[i];
	return (int)l->nvariants;
}

/* how_checked — what progress.json notes about where the passing server came from. */
static void how_checked(const struct whole *w, struct ws_pass *p)
{
	if (w->o->url) {
		p->how = "url";
		p->what = w->o->url;
	} else if (w->o->cmd) {
		p->how = "cmd";
		p->what = w->o->cmd;
	} else {
		p->how = "server.c";
		p->what = NULL;
	}
}

/* record — a full pass of every variant noted in progress.json, unless what passed was
 * not the student's work, or not all of it was checked. */
static void record(struct whole *w, bool all)
{
	struct lab *lab = w->lab;
	struct ws_pass p = {.seed = w->seed};

	if (w->o->no_record)
		return;
	if (w->reference_itself) {
		lab_note(lab, "the server checked is the lab's own reference, "
		         "build/bin/lesson-%02d: it passes, as it should, but that is not your "
		         "pass, so nothing was noted in progress.json", w->l->number);
		return;
	}
	if (!all) {
		lab_note(lab, "only variant %s was checked, so the lesson is not noted as passed: "
		         "%scheck %d %schecks every variant", w->o->variant ? w->o->variant
		         : w->l->variants[0], lab_typed(lab), w->l->number, w->o->url ?
		         "--cmd (which starts your server once per variant, with $VARIANT) " :
		         "without --variant ");
		return;
	}
	how_checked(w, &p);
	if (ws_record_pass(lab, w->l, &p) != 0)
		lab_error(lab, "passed, but progress could not be saved in %s: %s", lab->workspace,
		          strerror(errno));
	else
		lab_note(lab, "lesson %02d passes: noted in %s/progress.json", w->l->number,
		         lab->workspace);
}

/* build_once — the student's server.c compiled once for every variant (not with --cmd
 * or --url). Returns 0, or -1 after the compiler's messages and a sentence. */
static int build_once(struct whole *w)
{
	if (w->o->cmd || w->o->url)
		return 0;
	return build_student(w->lab, w->l, !w->o->no_sanitize, w->exe, sizeof w->exe);
}

int check_lesson(struct lab *lab, struct catalog_lesson *l, const struct check_options *o)
{
	struct whole w = {.lab = lab, .l = l, .o = o};
	const char *names[CATALOG_VARIANTS_MAX];
	bool all;
	int n = 0, failed_variants = 0;

	w.seed = o->has_seed ? o->seed
	                     : ((uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid()) % 1000000000u;
	if ((n = variants_to_check(&w, names, &all)) < 0 || build_once(&w) != 0)
		return LAB_FAIL;
	lab_note(lab, "(--seed %llu sends the same requests again)", (unsigned long long)w.seed);
	int done = 0, rc = 0;
	while (done < n && rc == 0) {
		int before = w.failed;
		if ((rc = check_variant(&w, names[done++], n > 1)) < 0)
			return LAB_FAIL;
		failed_variants += w.failed > before;
	}
	if (done < n)
		printf("(stopped: %d of %d variants not checked)\n", n - done, n);
	else if (n > 1)
		printf("%s: every variant checked, %d of %d failing\n", l->name, failed_variants,
		       n);
	printf("%d passed, %d failed\n", w.passed, w.failed);
	fflush(stdout);
	if (w.failed > 0 || w.passed == 0)
		return LAB_FAIL;
	record(&w, all);
	return LAB_OK;
}
