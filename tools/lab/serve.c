/* serve.c — the commands that run a lesson server: start, stop, log. */
#include "serve.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "commands.h"
#include "lab.h"

/* say_listening — where the new server is, and what to try next. */
static void say_listening(struct lab *lab, const struct proc *s)
{
	printf("lesson %s (%s) is listening on http://127.0.0.1:%d/\n", s->name, s->shown, s->port);
	if (lab->interactive)
		lab_note(lab, "try: requests, send NAME (Tab completes), get /, log, stop");
	else
		lab_note(lab, "Ctrl-C stops it.");
	fflush(stdout);
}

/* foreground — `lab start N` from a shell: the server's output flows to ours until
 * Ctrl-C or SIGTERM (then 0 after a clean stop), or until it exits by itself (1). */
static int foreground(struct lab *lab, struct proc *s)
{
	for (;;) {
		struct pollfd fds[3] = {{lab->sigfd, POLLIN, 0}};
		nfds_t n = proc_pollfds(s, fds, 1);
		if (poll(fds, n, 1000) > 0 && (fds[0].revents & POLLIN)) {
			struct signalfd_siginfo si;
			if (read(lab->sigfd, &si, sizeof si) > 0) {
				int status = proc_stop(s);
				lab_note(lab, "\nstopped lesson %s (exit status %d)", s->name,
				         status);
				return status == 0 ? LAB_OK : LAB_FAIL;
			}
		}
		if (proc_pump(s)) {
			lab_report_exit(lab, s);
			return LAB_FAIL;
		}
	}
}

int cmd_start(struct lab *lab, int argc, char **argv)
{
	struct opts o;
	struct catalog_lesson *l;

	if (opts_parse(lab, "start", &argc, argv, OPT_PORT | OPT_VARIANT, &o) != 0)
		return LAB_USAGE;
	if (argc < 2 || argc > 3 || (argc == 3 && o.variant))
		return usage_error(lab, "start");
	if (!(l = find_lesson_or_say(lab, argv[1])))
		return LAB_USAGE;
	if (lab->server.running) {
		int status = proc_stop(&lab->server);
		lab_note(lab, "stopped lesson %s (exit status %d)", lab->server.name, status);
	}
	int port = o.port >= 0 ? o.port : LAB_DEFAULT_PORT;
	int rc = lab_start_server(lab, &lab->server, l, argc == 3 ? argv[2] : o.variant, port,
	                          !lab->interactive, NULL);
	if (rc != LAB_OK)
		return rc;
	say_listening(lab, &lab->server);
	return lab->interactive ? LAB_OK : foreground(lab, &lab->server);
}

/* no_shell — stop and log need the shell that owns the server. */
static int no_shell(struct lab *lab, const char *cmd)
{
	lab_error(lab, "%s works inside the shell, which owns the server it starts: run lab, then "
	          "start N. (lab start N runs one in the foreground until Ctrl-C.)", cmd);
	return LAB_FAIL;
}

int cmd_stop(struct lab *lab, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return usage_error(lab, "stop");
	if (!lab->interactive)
		return no_shell(lab, "stop");
	if (!lab->server.running) {
		lab_error(lab, "no server is running (start N starts one)");
		return LAB_FAIL;
	}
	int status = proc_stop(&lab->server);
	printf("stopped lesson %s (exit status %d)\n", lab->server.name, status);
	return LAB_OK;
}

/* show_ring — one of the server's two streams, with a heading. */
static void show_ring(struct lab *lab, const struct proc_ring *r, const char *what)
{
	lab_note(lab, "--- %s: %zu bytes%s", what, r->len,
	         r->total > r->len ? " (the latest 64 KiB of it)" : "");
	fflush(stdout);
	proc_ring_write(r, stdout);
	if (r->len && r->data[(r->start + r->len - 1) % PROC_RING_CAP] != '\n')
		putchar('\n');
}

int cmd_log(struct lab *lab, int argc, char **argv)
{
	const struct proc *s = &lab->server;

	(void)argv;
	if (argc > 1)
		return usage_error(lab, "log");
	if (!lab->interactive)
		return no_shell(lab, "log");
	if (s->pid == 0) {
		lab_error(lab, "no server has run in this shell yet (start N starts one)");
		return LAB_FAIL;
	}
	proc_pump(&lab->server);
	lab_note(lab, "lesson %s, %s", s->name, s->running ? "running" : "stopped");
	show_ring(lab, &s->out, "stdout (what the article's server prints)");
	show_ring(lab, &s->err, "stderr (the access log, and errors)");
	return LAB_OK;
}
