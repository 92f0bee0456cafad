/* lab.c — what every command of the lab calls: its messages, running a program in the
 * foreground, the signals, starting a lesson server, reading a URL's address; and
 * lab_open/lab_close, which main calls around everything.
 *
 * SIGINT, SIGTERM and SIGHUP stay blocked for the whole run and arrive on a signalfd,
 * which every wait polls: so Ctrl-C interrupts the command that is waiting, never the
 * shell, and no signal handler or global flag is needed. */
#include "lab.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sniff.h"
#include "url.h"

/* ---- messages ---------------------------------------------------------------------- */

void lab_error(const struct lab *lab, const char *fmt, ...)
{
	char text[8192];
	va_list ap;

	fflush(stdout); /* keep the order the student would expect */
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	/* The sentence is folded to 80 columns; what follows its first line break (a
	 * server's last output) is printed as it is. */
	char *rest = strchr(text, '\n');
	if (rest)
		*rest++ = '\0';
	fputs(lab->interactive ? "" : "lab: ", stderr);
	style_wrap(stderr, text, lab->interactive ? 78 : 73);
	if (rest && *rest)
		fprintf(stderr, "%s%s", rest, rest[strlen(rest) - 1] == '\n' ? "" : "\n");
}

void lab_note(const struct lab *lab, const char *fmt, ...)
{
	va_list ap;

	fputs(style_on(&lab->style, ST_DIM), stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("%s\n", style_on(&lab->style, ST_RESET));
}

const char *lab_typed(const struct lab *lab)
{
	return lab->interactive ? "" : "lab ";
}


void lab_report_exit(struct lab *lab, const struct proc *s)
{
	char how[128], last[2048];

	proc_exit_text(s, how, sizeof how);
	proc_last_lines(s, 6, last, sizeof last);
	lab_error(lab, "the lesson %s server %s.%s%s", s->name, how,
	          *last ? " Its last output:\n" : " It printed nothing.", last);
}

struct sniffer *lab_sniffer(struct lab *lab)
{
	if (!lab->sniffer) {
		char err[LIMIT_ERR_LEN];
		lab->sniffer = sniff_open(err); /* NULL: bodies are shown as "unknown" */
	}
	return lab->sniffer;
}

/* ---- signals ------------------------------------------------------------------------ */

bool lab_interrupted(struct lab *lab)
{
	struct signalfd_siginfo si;
	bool interrupt = false;

	while (read(lab->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGINT)
			interrupt = true;
		else
			/* SIGTERM, SIGHUP: leave, stopping the server on the way */
			lab->quit = true;
	}
	return interrupt && !lab->quit;
}

int lab_run(struct lab *lab, char *const argv[])
{
	int status;

	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(argv[0], argv);
		dprintf(2, "lab: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	lab_drain_signals(lab); /* a Ctrl-C that stopped it is spent */
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status) == 127 ? -1 : WEXITSTATUS(status);
}

void lab_drain_signals(struct lab *lab)
{
	(void)lab_interrupted(lab);
}

/* block_signals — SIGINT, SIGTERM and SIGHUP go to a signalfd from now on. SIGPIPE is
 * blocked too and never read: the lab writes to servers and pipes that may die at any
 * moment (a student's server killed by a sanitizer), and such a write must fail with
 * EPIPE rather than end the lab. Children start with an empty mask (proc.c). */
static int block_signals(void)
{
	sigset_t set, pipe;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 || sigprocmask(SIG_BLOCK, &pipe, NULL) != 0)
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* ---- start and end ------------------------------------------------------------------ */

int lab_open(struct lab *lab)
{
	const char *root = getenv("WIRELAB_ROOT"), *bin = getenv("WIRELAB_BIN");
	const char *ws = getenv("WIRELAB_WORKSPACE");
	const char *no_color = getenv("NO_COLOR");

	proc_init(&lab->server);
	snprintf(lab->root, sizeof lab->root, "%s", root && *root ? root : WIRELAB_ROOT);
	if (bin && *bin)
		snprintf(lab->bindir, sizeof lab->bindir, "%s", bin);
	else if (snprintf(lab->bindir, sizeof lab->bindir, "%s/build/bin", lab->root) >=
	         (int)sizeof lab->bindir)
		return fputs("lab: WIRELAB_ROOT is too long\n", stderr), 1;
	if (ws && *ws)
		snprintf(lab->workspace, sizeof lab->workspace, "%s", ws);
	else if (snprintf(lab->workspace, sizeof lab->workspace, "%s/workspace", lab->root) >=
	         (int)sizeof lab->workspace)
		return fputs("lab: WIRELAB_ROOT is too long\n", stderr), 1;
	lab->style.color = isatty(1) && !(no_color && *no_color); /* https://no-color.org */
	if ((lab->sigfd = block_signals()) < 0)
		return fputs("lab: cannot set up signal handling\n", stderr), 1;
	if (catalog_load(&lab->lessons, lab->root) != 0)
		return fputs("lab: out of memory\n", stderr), 1;
	return 0;
}

void lab_close(struct lab *lab)
{
	if (lab->server.running) {
		int status = proc_stop(&lab->server);
		if (lab->interactive)
			lab_note(lab, "stopped lesson %s (exit status %d)", lab->server.name,
			         status);
	}
	sniff_close(lab->sniffer);
	lab->sniffer = NULL;
	catalog_free(&lab->lessons);
	close(lab->sigfd);
}

/* ---- lesson servers and addresses ------------------------------------------------ */

/* fill_spec — what to run for lesson l; false after a sentence when the variant is not
 * one of the lesson's. */
static bool fill_spec(struct lab *lab, struct catalog_lesson *l, const char *variant, int port,
                      struct proc_spec *spec, char *exe, size_t cap)
{
	catalog_binary(l, lab->bindir, exe, cap);
	*spec = (struct proc_spec){.exe = exe, .lesson = l->number, .name = l->name,
	                           .variant = variant, .shown = l->slug, .port = port};
	if (catalog_load_variants(l, lab->bindir) != 0) {
		lab_error(lab, "lesson %02d is not built (%s is missing): run make", l->number,
		          exe);
		return false;
	}
	if (variant && !catalog_has_variant(l, variant)) {
		char list[512] = "";
		for (size_t i = 0; i < l->nvariants; i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s%s",
			         i ? ", " : "", l->variants[i], i ? "" : " (default)");
		lab_error(lab, "lesson %02d has no variant '%s'. %s%s.", l->number, variant,
		          l->nvariants ? "Its variants: " : "It has no variants", list);
		return false;
	}
	if (variant)
		spec->shown = variant;
	else if (l->nvariants)
		spec->shown = l->variants[0];
	return true;
}

int lab_start_server(struct lab *lab, struct proc *s, struct catalog_lesson *l,
                     const char *variant, int port, bool echo, char *const *extra)
{
	struct proc_spec spec;
	char exe[PATH_MAX + 16], err[PROC_ERR_LEN];

	if (!fill_spec(lab, l, variant, port, &spec, exe, sizeof exe))
		return LAB_FAIL;
	spec.echo = echo;
	spec.extra = extra;
	int rc = proc_start(s, &spec, lab->sigfd, err);
	if (rc == PROC_INTERRUPTED)
		/* that Ctrl-C is spent: it must not cancel what comes next */
		lab_drain_signals(lab);
	if (rc == PROC_PORT_IN_USE)
		lab_error(lab,
		          "port %d is already in use: another server (another lab, or make "
		          "lesson-N) listens there. Stop it, or pick another port:\n"
		          "  %sstart %d --port %d",
		          port, lab_typed(lab), l->number, port == 8080 ? 8081 : port + 1);
	else if (rc != 0)
		lab_error(lab, "%s", err);
	return rc == 0 ? LAB_OK : LAB_FAIL;
}

bool lab_url_address(struct lab *lab, const char *url, char *host, size_t cap, int *port)
{
	struct url_parts u;

	if (url_split(url, strlen(url), &u) != 0 || !u.hostname.p || u.hostname.len == 0 ||
	    u.hostname.len >= cap) {
		lab_error(lab,
		          "'%s' is not a URL the lab can use: write it as http://127.0.0.1:8080",
		          url);
		return false;
	}
	if (u.scheme.len != 4 || strncasecmp(u.scheme.p, "http", 4) != 0) {
		lab_error(lab,
		          "'%s': the lab speaks plain HTTP/1.1, so the URL must start with http://",
		          url);
		return false;
	}
	memcpy(host, u.hostname.p, u.hostname.len);
	host[u.hostname.len] = '\0';
	*port = u.port >= 0 ? u.port : 80;
	return true;
}
