/* check.c — one check: start both servers, send each case to both, judge the answers.
 *
 * A server check started is stopped whatever happens: proc_stop kills its process
 * group, and PR_SET_PDEATHSIG (proc.c) takes it down if the lab dies. */
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cases.h"
#include "catalog.h"
#include "client.h"
#include "file.h"
#include "lab.h"
#include "net.h"
#include "normal.h"
#include "workspace.h"

#define REPLY_MAX (16 * 1024 * 1024)
#define SPLIT_PAUSE_MS 5      /* between the small writes of a split request */
#define SETTLE_QUIET_MS 30    /* what a server prints may trail its answer */
#define SETTLE_MAX_MS 500
#define UPLOAD_MAX (16 * 1024 * 1024)
#define ENV_EXTRA 4

/* One of the two servers compared. */
struct side {
	const char *label;        /* "reference", "yours" */
	char host[256];
	int port;
	struct proc *proc;        /* the process when check started it, else NULL */
	char uploads[PATH_MAX + 32]; /* its --upload-dir, or "" */
};

/* One run of check. */
struct run {
	struct lab *lab;
	struct catalog_lesson *l;
	const struct check_options *o;
	uint64_t seed;
	char tmp[PATH_MAX - 64];  /* this run's folder for uploads and diff files; "" if none */
	struct side ref, mine;
	struct cases_plan plan;
	char **envp;              /* --cmd's environment, owned here */
	char env_text[ENV_EXTRA][PATH_MAX + 64];
	int passed, failed;
	bool aborted;             /* a failure that ends the run (crash, silence, Ctrl-C) */
};

/* What one side answered to one case. */
struct answer {
	int rc;                   /* a client_status */
	char err[CLIENT_ERR_LEN];
	struct client_reply reply;
	char *printed;            /* what it printed on stdout meanwhile (NULL: not kept) */
	size_t printed_len;
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
	if (lab_start_server(r->lab, r->ref.proc, r->l, r->o->variant, 0, false,
	                     r->ref.uploads[0] ? extra : NULL) != LAB_OK)
		return -1;
	snprintf(r->ref.host, sizeof r->ref.host, "127.0.0.1");
	r->ref.port = r->ref.proc->port;
	return 0;
}

/* free_port — a port nothing listens on now, for --cmd's $PORT. */
static int free_port(void)
{
	char err[NET_ERR_LEN];
	int fd = net_listen("127.0.0.1", 0, err), port = fd < 0 ? -1 : net_local_port(fd);

	if (fd >= 0)
		close(fd);
	return port;
}

/* cmd_env — our environment with PORT, UPLOAD_DIR and LESSON_DIR set, for --cmd. */
static int cmd_env(struct run *r, int port)
{
	extern char **environ;
	size_t n = 0, k = 0;

	while (environ[n])
		n++;
	if (!(r->envp = calloc(n + ENV_EXTRA + 1, sizeof *r->envp)))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "PORT=", 5) && strncmp(environ[i], "UPLOAD_DIR=", 11) &&
		    strncmp(environ[i], "LESSON_DIR=", 11))
			r->envp[k++] = environ[i];
	snprintf(r->env_text[0], sizeof r->env_text[0], "PORT=%d", port);
	snprintf(r->env_text[1], sizeof r->env_text[1], "UPLOAD_DIR=%s", r->mine.uploads);
	snprintf(r->env_text[2], sizeof r->env_text[2], "LESSON_DIR=%s", r->l->dir);
	for (size_t i = 0; i < 3; i++)
		r->envp[k++] = r->env_text[i];
	r->envp[k] = NULL;
	return 0;
}

/* start_mine — the student's server: compiled from the workspace, or --cmd. */
static int start_mine(struct run *r)
{
	char exe[PATH_MAX], name[96], err[PROC_ERR_LEN];
	char *extra[] = {"--upload-dir", r->mine.uploads, NULL};
	char *sh[] = {"/bin/sh", "-c", (char *)r->o->cmd, NULL};
	struct proc_spec spec = {.exe = exe, .lesson = r->l->number, .name = name,
	                         .variant = r->o->variant, .shown = "yours", .port = 0,
	                         .extra = r->mine.uploads[0] ? extra : NULL};

	snprintf(name, sizeof name, "%s (yours)", r->l->name);
	if (r->o->cmd) {
		int port = free_port();
		if (port < 0 || cmd_env(r, port) != 0) {
			lab_error(r->lab, "cannot find a free port for --cmd");
			return -1;
		}
		spec = (struct proc_spec){.exe = "/bin/sh", .lesson = r->l->number, .name = name,
		                          .shown = "yours", .port = port, .argv = sh,
		                          .envp = r->envp, .probe_port = port};
	} else if (build_student(r->lab, r->l, !r->o->no_sanitize, exe, sizeof exe) != 0) {
		return -1;
	}
	if (!(r->mine.proc = new_server(r->lab)))
		return -1;
	if (proc_start(r->mine.proc, &spec, r->lab->sigfd, err) != 0) {
		lab_error(r->lab, "%s", err);
		return -1;
	}
	snprintf(r->mine.host, sizeof r->mine.host, "127.0.0.1");
	r->mine.port = r->mine.proc->port;
	return 0;
}

/* stop_side — stops the server check started for a side, if any. */
static void stop_side(struct side *s)
{
	if (!s->proc)
		return;
	proc_stop(s->proc);
	free(s->proc);
	s->proc = NULL;
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
		poll(NULL, 0, SPLIT_PAUSE_MS);
	}
	return sent;
}

/* take_printed — what s printed since mark (waiting for it to settle when keep). */
static void take_printed(struct side *s, uint64_t mark, bool keep, struct answer *a)
{
	if (!s->proc)
		return;
	if (!keep) {
		proc_pump(s->proc); /* keep its pipes empty, so it never blocks writing */
		return;
	}
	proc_settle(s->proc, SETTLE_QUIET_MS, SETTLE_MAX_MS);
	if ((a->printed = malloc(PROC_RING_CAP)))
		a->printed_len = proc_ring_since(&s->proc->out, mark, a->printed, PROC_RING_CAP);
}

/* ask — sends case c to side s and collects the answer. */
static void ask(struct run *r, struct side *s, const struct cases_request *c, bool keep_printed,
                struct answer *a)
{
	struct client_wait w = {net_now_ms() + r->o->timeout_ms, r->lab->sigfd};
	uint64_t mark = s->proc ? s->proc->out.total : 0;

	memset(a, 0, sizeof *a);
	int fd = client_connect(s->host, s->port, &w, a->err);
	if (fd < 0) {
		a->rc = fd;
		return;
	}
	size_t sent = send_split(fd, c, &w);
	a->rc = client_exchange(fd, c->req + sent, c->len - sent, REPLY_MAX, &w, &a->reply, a->err);
	close(fd);
	take_printed(s, mark, keep_printed, a);
}

static void answer_free(struct answer *a)
{
	client_reply_free(&a->reply);
	free(a->printed);
	a->printed = NULL;
}

/* ---- judging -------------------------------------------------------------------------- */

/* crashed — true (after a sentence) when the student's server has exited. */
static bool crashed(struct run *r, const char *during)
{
	struct proc *s = r->mine.proc;
	char how[128], last[2048];

	if (!s || (s->running && !proc_pump(s)))
		return false;
	proc_exit_text(s, how, sizeof how);
	proc_last_lines(s, 8, last, sizeof last);
	lab_error(r->lab, "your server %s %s.%s%s", how, during,
	          *last ? " Its last output:\n" : " It printed nothing.", last);
	return true;
}

/* not_logic — a sentence for an answer that never came (nothing listening, silence,
 * a crash, Ctrl-C); true when there was one, and the run ends. */
static bool not_logic(struct run *r, const struct cases_request *c, const struct answer *a)
{
	char during[160];
	double secs = r->o->timeout_ms / 1000.0;

	snprintf(during, sizeof during, "while answering %s", c->name);
	if (crashed(r, during))
		return true;
	if (a->rc == CLIENT_CANCELLED)
		lab_error(r->lab, "interrupted");
	else if (a->rc == CLIENT_REFUSED)
		lab_error(r->lab, "connection refused: nothing listens on %s port %d, so there is no "
		          "server to check. Is it running there?", r->mine.host, r->mine.port);
	else if (a->rc == CLIENT_TIMEOUT && a->reply.len == 0)
		lab_error(r->lab, "%s: your server accepted the connection but answered nothing within "
		          "%g s (--timeout S waits longer)", c->name, secs);
	else if (a->rc == CLIENT_TIMEOUT)
		lab_error(r->lab, "%s: your server sent %zu bytes, then neither finished nor closed the "
		          "connection within %g s; the reference closes it once the client has sent "
		          "everything", c->name, a->reply.len, secs);
	else if (a->rc == CLIENT_ERROR)
		lab_error(r->lab, "%s: %s", c->name, a->err);
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

/* verdict — pass, or a sentence or a diff saying how the answers differ. */
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
		if (a && b)
			show_diff(r, a, b);
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
	ask(r, &r->ref, c, keep, &want);
	/* A reset before any answer is an answer too: lesson 01 closes with a long line
	 * unread, and the kernel then resets the connection. */
	if (want.rc != CLIENT_OK && want.rc != CLIENT_RESET) {
		lab_error(r->lab, "the reference server did not answer %s (%s): that is the lab's "
		          "fault, not yours", c->name, want.rc == CLIENT_CANCELLED ? "interrupted" : want.err);
		r->aborted = true;
	} else {
		ask(r, &r->mine, c, keep, &got);
		if (not_logic(r, c, &got)) {
			printf("FAIL  %s\n", c->name);
			r->failed++;
			r->aborted = true;
		} else {
			verdict(r, c, &want, &got);
		}
		answer_free(&got);
	}
	if (want.rc == CLIENT_CANCELLED || got.rc == CLIENT_CANCELLED)
		lab_drain_signals(r->lab);
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

/* ---- check ---------------------------------------------------------------------------- */

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
	       r->l->name, r->o->variant ? ", variant " : "", r->o->variant ? r->o->variant : "",
	       r->plan.n, (unsigned long long)r->seed);
	lab_note(r->lab, "(--seed %llu sends the same requests again)", (unsigned long long)r->seed);
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
	return r->o->url ? 0 : start_mine(r);
}

/* finish — the summary line, progress on a full pass, and everything stopped. */
static int finish(struct run *r, bool ran)
{
	stop_side(&r->mine);
	stop_side(&r->ref);
	if (r->tmp[0])
		nftw(r->tmp, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	free(r->envp);
	r->envp = NULL;
	cases_free(&r->plan);
	if (!ran)
		return LAB_FAIL;
	printf("%d passed, %d failed\n", r->passed, r->failed);
	if (r->failed == 0 && r->passed > 0) {
		if (ws_record_pass(r->lab, r->l, r->seed) != 0)
			lab_error(r->lab, "passed, but progress could not be saved in %s: %s",
			          r->lab->workspace, strerror(errno));
		else
			lab_note(r->lab, "lesson %02d passes: noted in %s/progress.json", r->l->number,
			         r->lab->workspace);
	}
	return r->failed == 0 && r->passed > 0 ? LAB_OK : LAB_FAIL;
}

int check_lesson(struct lab *lab, struct catalog_lesson *l, const struct check_options *o)
{
	struct run r = {.lab = lab, .l = l, .o = o, .ref.label = "reference", .mine.label = "yours"};
	char err[CASES_ERR_LEN];

	r.seed = o->has_seed ? o->seed
	                     : ((uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid()) % 1000000000u;
	if (cases_load(l, r.seed, &r.plan, err) != 0) {
		lab_error(lab, "%s", err);
		return LAB_FAIL;
	}
	describe(&r);
	lab_drain_signals(lab);
	if (start_both(&r) != 0)
		return finish(&r, false);
	for (size_t i = 0; i < r.plan.n && !r.aborted; i++)
		run_case(&r, &r.plan.v[i]);
	if (r.aborted) {
		size_t unsent = r.plan.n - (size_t)(r.passed + r.failed);
		printf("(stopped early: %zu of %zu requests not sent, counted as failed)\n", unsent,
		       r.plan.n);
		r.failed += (int)unsent;
	} else if (r.plan.uploads && !r.o->url) {
		compare_uploads(&r);
	}
	return finish(&r, true);
}
