/* lab.c — wirelab's shell: `lab` alone reads commands with readline; `lab COMMAND ARGS…`
 * runs one and exits with its status (0 ok, 1 failed, 2 usage).
 *
 * main owns everything (struct lab) and hands it down. SIGINT, SIGTERM and SIGHUP stay
 * blocked for the whole run and arrive on a signalfd, which every wait polls: so Ctrl-C
 * interrupts the command that is waiting, never the shell, and no signal handler or
 * global flag is needed. */
#include "lab.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "input.h"

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
	show_wrapped(stderr, text, lab->interactive ? 78 : 73);
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

void lab_prompt(const struct lab *lab, char *out, size_t cap)
{
	const struct proc *s = &lab->server;

	if (s->running)
		snprintf(out, cap, "lab[%02d %s :%d]> ", s->lesson, s->shown, s->port);
	else
		snprintf(out, cap, "lab> ");
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
	if (!lab->sniffer)
		{
		char err[SNIFF_ERR_LEN];
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
			lab->quit = true; /* SIGTERM, SIGHUP: leave, stopping the server on the way */
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

/* block_signals — SIGINT, SIGTERM and SIGHUP go to a signalfd from now on. */
static int block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* ---- start and end ------------------------------------------------------------------ */

/* lab_init — paths, colour, signals and the lessons. Returns 0, or 1 after a message. */
static int lab_init(struct lab *lab)
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

/* lab_free — stops the server, saves the history, releases everything. */
static void lab_free(struct lab *lab)
{
	if (lab->server.running) {
		int status = proc_stop(&lab->server);
		if (lab->interactive)
			lab_note(lab, "stopped lesson %s (exit status %d)", lab->server.name, status);
	}
	input_close(lab->input);
	lab->input = NULL;
	sniff_close(lab->sniffer);
	lab->sniffer = NULL;
	catalog_free(&lab->lessons);
	close(lab->sigfd);
}

/* ---- the shell ---------------------------------------------------------------------- */

/* Words of one command line; they live in store, which the struct owns. */
struct line_words {
	char *store;
	char **v;
	int n;
};

/* split_words — splits line like a shell would, minus expansion: spaces separate words,
 * '…' keeps everything, "…" keeps everything but \" and \\, a backslash elsewhere
 * keeps the next character. Returns 0, or -1 for an unclosed quote (or no memory). */
static int split_words(const char *line, struct line_words *w)
{
	size_t len = strlen(line);
	char *out;
	char quote = 0;
	bool in_word = false;

	w->n = 0;
	w->store = out = malloc(len + 1);
	w->v = malloc((len / 2 + 2) * sizeof *w->v);
	if (!w->store || !w->v)
		return -1;
	for (const char *p = line; *p; p++) {
		if (!quote && (*p == ' ' || *p == '\t')) {
			if (in_word)
				*out++ = '\0';
			in_word = false;
			continue;
		}
		if (!in_word) {
			w->v[w->n++] = out;
			in_word = true;
		}
		if (!quote && (*p == '\'' || *p == '"'))
			quote = *p;
		else if (quote && *p == quote)
			quote = 0;
		else if (*p == '\\' && quote != '\'' && p[1] && (!quote || p[1] == '"' || p[1] == '\\'))
			*out++ = *++p;
		else
			*out++ = *p;
	}
	*out = '\0';
	w->v[w->n] = NULL;
	return quote ? -1 : 0;
}

/* free_words — releases what split_words allocated. */
static void free_words(struct line_words *w)
{
	free(w->store);
	free(w->v);
	w->store = NULL;
	w->v = NULL;
}

/* run_line — one line typed at the shell. */
static void run_line(struct lab *lab, const char *line)
{
	struct line_words w;

	if (split_words(line, &w) != 0)
		lab_error(lab, "a quote is not closed: %s", line);
	else if (w.n > 0)
		commands_run(lab, w.n, w.v);
	free_words(&w);
	fflush(stdout);
}

/* shell — the read-run loop, until quit, Ctrl-D, end of input, SIGTERM or SIGHUP. */
static int shell(struct lab *lab)
{
	char *line;

	lab->interactive = true;
	if (!(lab->input = input_open(lab))) {
		fputs("lab: out of memory\n", stderr);
		return LAB_FAIL;
	}
	if (input_is_terminal(lab->input))
		lab_note(lab, "wirelab lab: `lessons` lists them, `start 3` runs one, `help` says the "
		         "rest.\nTab completes; Ctrl-C stops a command; Ctrl-D or quit leaves.");
	while (!lab->quit) {
		enum input_result r = input_read(lab, NULL, true, &line);
		if (r == INPUT_EOF)
			break;
		if (r == INPUT_LINE)
			run_line(lab, line);
		free(line);
	}
	return LAB_OK;
}

int main(int argc, char **argv)
{
	struct lab *lab = calloc(1, sizeof *lab); /* large (the server's logs): not on the stack */
	int rc;

	if (!lab) {
		fputs("lab: out of memory\n", stderr);
		return LAB_FAIL;
	}
	rc = lab_init(lab);
	if (rc == 0 && argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
			argv[1] = "help";
		rc = commands_run(lab, argc - 1, argv + 1);
	} else if (rc == 0) {
		rc = shell(lab);
	}
	lab_free(lab);
	free(lab);
	return rc;
}
