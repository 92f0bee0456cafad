/* input.c — the shell's line reader, built on readline's callback interface so that one
 * poll() can wait for a key, a signal and the lesson server's output at once.
 *
 * readline calls its hooks (the line handler, the completer) without any context
 * argument. They reach the shell's state through `current`, the one file-scope variable
 * of the lab: set by input_open, cleared by input_close, and read only by those hooks. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "complete.h"
#include "conn.h"
#include "lab.h"

#define PLAIN_LINE_MAX 65536

struct input {
	bool tty;
	int winchfd;             /* a signalfd for SIGWINCH (terminal resized), or -1 */
	char history[PATH_MAX];  /* the history file, "" when history is off */
	/* readline's line handler leaves its result here */
	char *line;
	bool done, eof;
	/* without a terminal: a plain buffered reader */
	char buf[PLAIN_LINE_MAX];
	size_t len;
	bool at_eof;
};

static struct lab *current; /* see the top of this file */

/* ---- history ------------------------------------------------------------------------ */

/* history_path — $XDG_DATA_HOME/wirelab/history, creating the folders; false when
 * there is no home to keep it in. */
static bool history_path(char *out, size_t cap)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char dir[PATH_MAX];

	if (xdg && *xdg == '/')
		snprintf(dir, sizeof dir, "%s/wirelab", xdg);
	else if (home && *home)
		snprintf(dir, sizeof dir, "%s/.local/share/wirelab", home);
	else
		return false;
	for (char *p = dir + 1; *p; p++) { /* mkdir -p */
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return false;
	return snprintf(out, cap, "%s/history", dir) < (int)cap;
}

/* history_open — loads the history and makes sure the file exists, since readline's
 * append_history will not create it. */
static void history_open(struct input *in)
{
	using_history();
	stifle_history(HISTORY_LINES);
	if (!history_path(in->history, sizeof in->history))
		return;
	int fd = open(in->history, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		in->history[0] = '\0';
		return;
	}
	close(fd);
	read_history(in->history);
}

/* history_remember — adds a line (not a repeat of the last one) and appends it to the
 * file at once, so a shell that is killed loses nothing and two shells do not clobber
 * each other's lines. */
static void history_remember(struct input *in, const char *line)
{
	HIST_ENTRY *last =
	        history_length > 0 ? history_get(history_base + history_length - 1) : NULL;

	if (!*line || (last && strcmp(last->line, line) == 0))
		return;
	add_history(line);
	if (in->history[0])
		append_history(1, in->history);
}

/* ---- readline hooks ----------------------------------------------------------------- */

/* on_line — readline's line handler: keeps the line and uninstalls itself, so readline
 * does not print the next prompt before the command has run. */
static void on_line(char *line)
{
	struct input *in = current->input;

	in->line = line;
	in->eof = line == NULL;
	in->done = true;
	rl_callback_handler_remove();
}

/* on_complete — readline's completer: our candidates, or readline's own file name
 * completion where complete_line says a path is wanted. */
static char **on_complete(const char *text, int start, int end)
{
	bool files = false;
	char **matches = complete_line(current, rl_line_buffer, start, end, text, &files);

	rl_attempted_completion_over = !files;
	return matches;
}

/* ---- waiting ------------------------------------------------------------------------ */

/* What one wait for input ended with. */
enum wait_result {
	WAIT_KEY,       /* stdin is readable */
	WAIT_OTHER,     /* something else was handled (server output, a resize) */
	WAIT_EXITED,    /* the lesson server has just exited */
	WAIT_CONN,      /* something happened on the connection kept open */
	WAIT_INTERRUPT, /* Ctrl-C */
	WAIT_QUIT,      /* SIGTERM or SIGHUP, or poll failed */
};

/* wait_input — polls stdin, the signalfds, the connection kept open and the server's
 * pipes once. */
static enum wait_result wait_input(struct lab *lab, struct input *in)
{
	struct pollfd fds[6] = {{0, POLLIN, 0}, {lab->sigfd, POLLIN, 0}, {in->winchfd, POLLIN, 0},
	                        {lab->conns ? lab->conns->fd : -1, POLLIN, 0}};
	nfds_t n = proc_pollfds(&lab->server, fds, 4);

	if (poll(fds, n, -1) < 0)
		return errno == EINTR ? WAIT_OTHER : WAIT_QUIT;
	if (fds[1].revents & POLLIN)
		return lab_interrupted(lab) ? WAIT_INTERRUPT : WAIT_QUIT;
	if (in->winchfd >= 0 && (fds[2].revents & POLLIN)) {
		struct signalfd_siginfo si;
		if (read(in->winchfd, &si, sizeof si) > 0)
			rl_resize_terminal();
	}
	if (n > 4 && proc_pump(&lab->server))
		return WAIT_EXITED;
	if (fds[3].fd >= 0 && fds[3].revents)
		return WAIT_CONN;
	return fds[0].revents ? WAIT_KEY : WAIT_OTHER;
}

/* ---- with a terminal: readline ----------------------------------------------------- */

/* shell_prompt — "lab[03 hello-host :8080]> " while a server runs, else "lab> ". */
static void shell_prompt(const struct lab *lab, char *out, size_t cap)
{
	const struct proc *s = &lab->server;

	if (s->running)
		snprintf(out, cap, "lab[%02d %s :%d]> ", s->lesson, s->shown, s->port);
	else
		snprintf(out, cap, "lab> ");
}

/* tell_conn — what happened on the connection kept open: the server closed it (its
 * keep-alive timeout, or it stopped) or sent bytes nobody asked for. */
static void tell_conn(struct lab *lab)
{
	size_t n;
	double idle;
	int id = lab->conns->kept_id;
	enum conn_idle what = conns_idle(lab->conns, &n, &idle);

	if (what == CONN_IDLE_CLOSED)
		lab_note(lab,
		         "--- the server closed connection %d after %.1f s idle (trace draws it)",
		         id, idle);
	else if (what == CONN_IDLE_DATA)
		lab_note(lab,
		         "--- the server sent %zu bytes on idle connection %d (trace shows when)",
		         n, id);
}

/* tell — something happened while the student was typing (the server died, or the
 * connection kept open changed): say so on a line of its own, then give the prompt back
 * (it may no longer name the lesson) with the text typed. */
static void tell(struct lab *lab, const char *prompt, enum wait_result what)
{
	char *typed = rl_copy_text(0, rl_end), fresh[128];
	int point = rl_point;

	rl_callback_handler_remove();
	rl_crlf();
	if (what == WAIT_EXITED)
		lab_report_exit(lab, &lab->server);
	else
		tell_conn(lab);
	fflush(stdout);
	shell_prompt(lab, fresh, sizeof fresh);
	rl_callback_handler_install(prompt ? prompt : fresh, on_line);
	if (typed) {
		rl_insert_text(typed);
		rl_point = point;
	}
	rl_redisplay();
	free(typed);
}

/* cancel_line — Ctrl-C: show ^C after the text typed, drop the line, and end this read.
 * (^C goes out before the handler is removed: removing it may write a carriage return,
 * which ends bracketed-paste mode.) */
static void cancel_line(void)
{
	rl_point = rl_end;
	rl_redisplay();
	fputs("^C", rl_outstream);
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_callback_handler_remove();
	fputc('\n', rl_outstream);
	fflush(rl_outstream);
}

/* read_tty — one line through readline, serving the server's pipes and signals while
 * the student types. */
static enum input_result read_tty(struct lab *lab, struct input *in, const char *prompt,
                                  char **line)
{
	char fresh[128];

	in->done = false;
	in->line = NULL;
	shell_prompt(lab, fresh, sizeof fresh);
	rl_callback_handler_install(prompt ? prompt : fresh, on_line);
	while (!in->done) {
		enum wait_result w = wait_input(lab, in);
		switch (w) {
		case WAIT_KEY: rl_callback_read_char(); break;
		case WAIT_OTHER: break;
		case WAIT_EXITED:
		case WAIT_CONN: tell(lab, prompt, w); break;
		case WAIT_INTERRUPT: cancel_line(); return INPUT_INTERRUPTED;
		case WAIT_QUIT:
			rl_callback_handler_remove();
			fputc('\n', rl_outstream);
			return INPUT_EOF;
		}
	}
	if (in->eof) /* Ctrl-D: readline has moved to a fresh line already */
		return INPUT_EOF;
	*line = in->line;
	return INPUT_LINE;
}

/* ---- without a terminal: plain lines ------------------------------------------------ */

/* take_line — the first complete line of the buffer (or the rest at end of input). */
static bool take_line(struct input *in, char **line)
{
	char *nl = memchr(in->buf, '\n', in->len);
	size_t n = nl ? (size_t)(nl - in->buf) : in->len;

	if (!nl && !(in->at_eof && in->len > 0) && in->len < sizeof in->buf)
		return false;
	size_t used = nl ? n + 1 : n;
	if (n > 0 && in->buf[n - 1] == '\r') /* a script saved with CRLF line ends */
		n--;
	*line = strndup(in->buf, n);
	memmove(in->buf, in->buf + used, in->len - used);
	in->len -= used;
	return *line != NULL;
}

/* read_plain — one line from a stdin that is not a terminal (lab < script). */
static enum input_result read_plain(struct lab *lab, struct input *in, char **line)
{
	for (;;) {
		if (take_line(in, line))
			return INPUT_LINE;
		if (in->at_eof)
			return INPUT_EOF;
		enum wait_result w = wait_input(lab, in);
		if (w == WAIT_EXITED)
			lab_report_exit(lab, &lab->server);
		else if (w == WAIT_CONN)
			tell_conn(lab);
		else if (w == WAIT_INTERRUPT || w == WAIT_QUIT)
			return INPUT_EOF; /* no one to hand Ctrl-C back to: stop */
		if (w != WAIT_KEY)
			continue;
		ssize_t got = read(0, in->buf + in->len, sizeof in->buf - in->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			in->at_eof = true;
		else
			in->len += (size_t)got;
	}
}

/* ---- the interface ------------------------------------------------------------------ */

/* open_tty — readline set up for the callback interface: we handle the signals. */
static void open_tty(struct input *in)
{
	sigset_t winch;

	rl_readline_name = "wirelab"; /* for "$if wirelab" in ~/.inputrc */
	rl_catch_signals = 0;         /* SIGINT arrives through our signalfd */
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;    /* keep LINES and COLUMNS out of the servers' environment */
	rl_attempted_completion_function = on_complete;
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, NULL);
	in->winchfd = signalfd(-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK);
	history_open(in);
}

struct input *input_open(struct lab *lab)
{
	struct input *in = calloc(1, sizeof *in);

	if (!in)
		return NULL;
	in->winchfd = -1;
	in->tty = isatty(0) && isatty(1);
	current = lab;
	if (in->tty)
		open_tty(in);
	return in;
}

void input_close(struct input *in)
{
	if (!in)
		return;
	if (in->tty) {
		rl_callback_handler_remove();
		if (in->history[0])
			history_truncate_file(in->history, HISTORY_LINES);
		clear_history();
	}
	if (in->winchfd >= 0)
		close(in->winchfd);
	current = NULL;
	free(in);
}

enum input_result input_read(struct lab *lab, const char *prompt, bool remember, char **line)
{
	struct input *in = lab->input;
	enum input_result r;

	*line = NULL;
	if (lab->quit)
		return INPUT_EOF;
	r = in->tty ? read_tty(lab, in, prompt, line) : read_plain(lab, in, line);
	if (r == INPUT_LINE && remember && in->tty)
		history_remember(in, *line);
	return r;
}

bool input_is_terminal(const struct input *in)
{
	return in && in->tty;
}
