/* proc.c — running a lesson server as the lab's child, and keeping what it prints. */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net.h"

#define BOUND_TEXT "Server bound to port "
#define ARGS_MAX 16 /* exe, --port P, --variant V and the extra ones */

/* ---- rings: the last PROC_RING_CAP bytes of a stream ------------------------------------- */

/* ring_push — appends p[0..n), dropping the oldest bytes beyond PROC_RING_CAP. */
static void ring_push(struct proc_ring *r, const char *p, size_t n)
{
	r->total += n;
	while (n > PROC_RING_CAP) { /* only the last PROC_RING_CAP bytes can stay */
		size_t skip = n - PROC_RING_CAP;
		p += skip;
		n -= skip;
	}
	size_t end = (r->start + r->len) % PROC_RING_CAP;
	size_t first = n < PROC_RING_CAP - end ? n : PROC_RING_CAP - end;
	memcpy(r->data + end, p, first);
	memcpy(r->data, p + first, n - first);
	if (r->len + n > PROC_RING_CAP) {
		r->start = (r->start + r->len + n - PROC_RING_CAP) % PROC_RING_CAP;
		r->len = PROC_RING_CAP;
	} else {
		r->len += n;
	}
}

/* ring_copy — copies n bytes starting at offset off of the held bytes into out. */
static void ring_copy(const struct proc_ring *r, size_t off, size_t n, char *out)
{
	size_t from = (r->start + off) % PROC_RING_CAP;
	size_t first = n < PROC_RING_CAP - from ? n : PROC_RING_CAP - from;
	memcpy(out, r->data + from, first);
	memcpy(out + first, r->data, n - first);
}

size_t proc_ring_since(const struct proc_ring *r, uint64_t mark, char *out, size_t cap)
{
	uint64_t wanted = r->total > mark ? r->total - mark : 0;
	size_t n = wanted < r->len ? (size_t)wanted : r->len;
	size_t off = r->len - n;

	if (n > cap) { /* keep the newest part */
		off += n - cap;
		n = cap;
	}
	ring_copy(r, off, n, out);
	return n;
}

void proc_ring_write(const struct proc_ring *r, FILE *out)
{
	size_t from = r->start;
	size_t first = r->len < PROC_RING_CAP - from ? r->len : PROC_RING_CAP - from;
	fwrite(r->data + from, 1, first, out);
	fwrite(r->data, 1, r->len - first, out);
}

/* ---- the child ----------------------------------------------------------------------- */

void proc_init(struct proc *s)
{
	memset(s, 0, sizeof *s);
	s->out_fd = s->err_fd = s->guard_fd = -1;
}

/* guard_run — the guard, in its forked process: never returns. It joins the server's
 * group (so a Ctrl-C at the shell does not reach it, and the group's last SIGKILL ends
 * it), keeps no descriptor but its end of the pipe, and waits for the pipe to close. */
static void guard_run(pid_t server, int watch)
{
	char byte;
	int null = open("/dev/null", O_RDWR);

	setpgid(0, server);
	prctl(PR_SET_NAME, "lab-guard"); /* what ps shows */
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 ||
	    dup2(watch, 3) < 0)
		_exit(1);
	close_range(4, ~0U, 0); /* a socket the lab keeps open must close when the lab closes it */
	while (read(3, &byte, 1) < 0 && errno == EINTR)
		;
	/* The lab has ended (or stopped the server itself): the same steps as proc_stop. */
	kill(-server, SIGTERM);
	for (int waited = 0; waited < LIMIT_LAB_STOP_MS && kill(server, 0) == 0; waited += 20)
		poll(NULL, 0, 20);
	kill(-server, SIGKILL); /* the guard too: it is in the group */
	_exit(0);
}

/* guard_start — forks the server's guard; without one (no pipe, no fork) the server
 * still has PR_SET_PDEATHSIG. */
static void guard_start(struct proc *s)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) != 0)
		return;
	pid_t g = fork();
	if (g == 0)
		guard_run(s->pid, p[0]);
	close(p[0]);
	if (g < 0) {
		close(p[1]);
		return;
	}
	s->guard = g;
	s->guard_fd = p[1];
}

/* guard_end — the server is gone: closing the pipe sends the guard to its group's
 * SIGKILL; collect it. */
static void guard_end(struct proc *s)
{
	if (s->guard_fd >= 0)
		close(s->guard_fd);
	s->guard_fd = -1;
	if (s->guard > 0) {
		kill(s->guard, SIGKILL); /* no need to wait out its steps: the server has exited */
		waitpid(s->guard, NULL, 0);
	}
	s->guard = 0;
}

/* child — runs in the forked child: never returns. Only async-signal-safe calls, as
 * after any fork. */
static void child(const char *exe, char *const argv[], int out, int err, pid_t parent)
{
	sigset_t none;
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0); /* its own group: a Ctrl-C at the shell reaches the lab, not it */
	prctl(PR_SET_PDEATHSIG, SIGTERM); /* dies with the lab, even if the lab is killed */
	if (getppid() != parent) /* the lab died before prctl took effect */
		_exit(127);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	sigemptyset(&none); /* the lab blocks SIGINT and SIGTERM; a server must not */
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv(exe, argv);
	dprintf(2, "cannot run %s: %s\n", exe, strerror(errno));
	_exit(127);
}

/* lesson_argv — exe --port P [--variant V] [extra…] into argv (ARGS_MAX slots);
 * false when the extra arguments do not fit. */
static bool lesson_argv(const struct proc_spec *spec, char *port, char *argv[ARGS_MAX])
{
	size_t n = 0;

	argv[n++] = (char *)spec->exe;
	argv[n++] = "--port";
	argv[n++] = port;
	if (spec->variant) {
		argv[n++] = "--variant";
		argv[n++] = (char *)spec->variant;
	}
	for (size_t i = 0; spec->extra && spec->extra[i]; i++) {
		if (n + 1 >= ARGS_MAX)
			return false;
		argv[n++] = spec->extra[i];
	}
	argv[n] = NULL;
	return true;
}

/* spawn — forks and execs spec's command with its output into two pipes. */
static int spawn(struct proc *s, const struct proc_spec *spec, char err[PROC_ERR_LEN])
{
	int out[2], errp[2];
	char port[16], *argv[ARGS_MAX];

	snprintf(port, sizeof port, "%d", spec->port);
	if (!lesson_argv(spec, port, argv)) {
		snprintf(err, PROC_ERR_LEN, "too many arguments for %s", spec->exe);
		return PROC_FAILED;
	}
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		snprintf(err, PROC_ERR_LEN, "cannot make a pipe: %s", strerror(errno));
		return PROC_FAILED;
	}
	pid_t parent = getpid(), pid = fork();
	if (pid == 0)
		child(argv[0], argv, out[1], errp[1], parent);
	close(out[1]);
	close(errp[1]);
	if (pid < 0) {
		close(out[0]);
		close(errp[0]);
		snprintf(err, PROC_ERR_LEN, "cannot start a process: %s", strerror(errno));
		return PROC_FAILED;
	}
	setpgid(pid, pid); /* also here, so it holds whichever of us runs first */
	s->pid = pid;
	guard_start(s);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	s->running = true;
	s->out_fd = out[0];
	s->err_fd = errp[0];
	return 0;
}

/* ---- watching it ------------------------------------------------------------------- */

/* drain — reads what fd holds now into r (and to echo_fd when >= 0); closes fd at its
 * end. */
static void drain(int *fd, struct proc_ring *r, int echo_fd)
{
	char buf[8192];

	while (*fd >= 0) {
		ssize_t n = read(*fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close(*fd);
			*fd = -1;
			return;
		}
		ring_push(r, buf, (size_t)n);
		if (echo_fd >= 0 && write(echo_fd, buf, (size_t)n) < 0)
			echo_fd = -1;
	}
}

/* reap — collects the exit status if it has exited, waiting up to wait_ms for it. */
static bool reap(struct proc *s, int wait_ms)
{
	int64_t deadline = net_now_ms() + wait_ms;

	for (;;) {
		pid_t r = waitpid(s->pid, &s->wait_status, WNOHANG);
		if (r == s->pid || (r < 0 && errno == ECHILD)) {
			s->running = false;
			guard_end(s);
			return true;
		}
		if (net_now_ms() >= deadline)
			return false;
		poll(NULL, 0, 10);
	}
}

nfds_t proc_pollfds(const struct proc *s, struct pollfd *fds, nfds_t n)
{
	if (s->out_fd >= 0)
		fds[n++] = (struct pollfd){s->out_fd, POLLIN, 0};
	if (s->err_fd >= 0)
		fds[n++] = (struct pollfd){s->err_fd, POLLIN, 0};
	return n;
}

bool proc_pump(struct proc *s)
{
	drain(&s->out_fd, &s->out, s->echo ? 1 : -1);
	drain(&s->err_fd, &s->err, s->echo ? 2 : -1);
	/* Both pipes closed: it has exited or is about to (a lesson never closes them). */
	return s->running && s->out_fd < 0 && s->err_fd < 0 && reap(s, 1000);
}

void proc_settle(struct proc *s, int quiet_ms, int max_ms)
{
	int64_t now = net_now_ms(), end = now + max_ms, quiet_until = now + quiet_ms;

	while (now < end && now < quiet_until) {
		struct pollfd fds[2];
		nfds_t n = proc_pollfds(s, fds, 0);
		if (n == 0)
			return;
		int64_t left = (quiet_until < end ? quiet_until : end) - now;
		if (poll(fds, n, (int)left) > 0) {
			proc_pump(s);
			quiet_until = net_now_ms() + quiet_ms;
		}
		now = net_now_ms();
	}
}

/* bound_port — the N of "Server bound to port N\n" in what it printed so far, or -1. */
static int bound_port(const struct proc *s)
{
	char text[4096];
	size_t n = proc_ring_since(&s->out, 0, text, sizeof text - 1);

	text[n] = '\0';
	const char *at = strstr(text, BOUND_TEXT);
	if (!at || !strchr(at, '\n'))
		return -1;
	return atoi(at + strlen(BOUND_TEXT));
}

/* failed_text — why it did not come up: how it exited and its last lines. */
static int failed_text(struct proc *s, char err[PROC_ERR_LEN])
{
	char how[128], last[PROC_ERR_LEN - 256];

	proc_exit_text(s, how, sizeof how);
	proc_last_lines(s, 8, last, sizeof last);
	snprintf(err, PROC_ERR_LEN, "the %s server %s before it was listening.%s%s", s->name, how,
	         *last ? " Its last output:\n" : " It printed nothing.", last);
	char tail[PROC_RING_CAP > 8192 ? 8192 : PROC_RING_CAP];
	size_t n = proc_ring_since(&s->err, 0, tail, sizeof tail - 1);
	tail[n] = '\0';
	return strstr(tail, "already in use") ? PROC_PORT_IN_USE : PROC_FAILED;
}

/* wait_bound — waits for the server to listen, its exit, the deadline or cancel_fd. */
static int wait_bound(struct proc *s, int cancel_fd, char err[PROC_ERR_LEN])
{
	int64_t deadline = net_now_ms() + LIMIT_LAB_START_MS;

	for (;;) {
		struct pollfd fds[3] = {{cancel_fd, POLLIN, 0}};
		nfds_t n = proc_pollfds(s, fds, 1);
		int64_t left = deadline - net_now_ms();
		if ((s->port = bound_port(s)) >= 0)
			return 0;
		if (!s->running || proc_pump(s))
			return failed_text(s, err);
		if (left <= 0) {
			proc_stop(s);
			snprintf(err, PROC_ERR_LEN,
			         "the %s server did not say \"%s N\" within %d s, "
			         "so it was stopped; `log` shows what it printed",
			         s->name, BOUND_TEXT, LIMIT_LAB_START_MS / 1000);
			return PROC_FAILED;
		}
		if (poll(fds, n, (int)(left < 100 ? left : 100)) > 0 && (fds[0].revents & POLLIN)) {
			proc_stop(s);
			snprintf(err, PROC_ERR_LEN, "interrupted while the %s server was starting",
			         s->name);
			return PROC_INTERRUPTED;
		}
		proc_pump(s);
	}
}

int proc_start(struct proc *s, const struct proc_spec *spec, int cancel_fd,
               char err[PROC_ERR_LEN])
{
	proc_init(s);
	s->lesson = spec->lesson;
	s->echo = spec->echo;
	snprintf(s->name, sizeof s->name, "%s", spec->name);
	snprintf(s->shown, sizeof s->shown, "%s", spec->shown);
	if (access(spec->exe, X_OK) != 0) {
		snprintf(err, PROC_ERR_LEN, "%s is not built (%s): run make", spec->exe,
		         strerror(errno));
		return PROC_FAILED;
	}
	int rc = spawn(s, spec, err);
	return rc < 0 ? rc : wait_bound(s, cancel_fd, err);
}

/* ---- stopping it --------------------------------------------------------------------- */

int proc_stop(struct proc *s)
{
	if (s->running) {
		kill(-s->pid, SIGTERM); /* its group: it is the leader (see child) */
		int64_t deadline = net_now_ms() + LIMIT_LAB_STOP_MS;
		/* Keep reading its output meanwhile: a server blocked writing to a full pipe
		 * could not act on SIGTERM. */
		while (s->running && net_now_ms() < deadline) {
			struct pollfd fds[2];
			nfds_t n = proc_pollfds(s, fds, 0);
			poll(fds, n, 20);
			proc_pump(s);
			if (s->running && n == 0)
				reap(s, 20);
		}
		if (s->running) {
			kill(-s->pid, SIGKILL);
			waitpid(s->pid, &s->wait_status, 0);
			s->running = false;
		}
		guard_end(s);
		proc_pump(s);
	}
	/* What the leader left behind (a shell's children, or anything that ignores
	 * SIGTERM) goes too; ESRCH when the group is already empty. */
	if (s->pid > 0 && !s->group_killed) {
		kill(-s->pid, SIGKILL);
		s->group_killed = true;
	}
	if (s->out_fd >= 0)
		close(s->out_fd);
	if (s->err_fd >= 0)
		close(s->err_fd);
	s->out_fd = s->err_fd = -1;
	if (s->pid == 0)
		return 0;
	if (WIFSIGNALED(s->wait_status))
		return 128 + WTERMSIG(s->wait_status);
	return WEXITSTATUS(s->wait_status);
}

void proc_exit_text(const struct proc *s, char *out, size_t cap)
{
	if (WIFSIGNALED(s->wait_status))
		snprintf(out, cap, "was killed by signal %d (%s)", WTERMSIG(s->wait_status),
		         strsignal(WTERMSIG(s->wait_status)));
	else
		snprintf(out, cap, "exited with status %d", WEXITSTATUS(s->wait_status));
}

void proc_last_lines(const struct proc *s, int lines, char *out, size_t cap)
{
	char tail[2048];
	const struct proc_ring *r = s->err.len ? &s->err : &s->out;
	size_t n = proc_ring_since(r, 0, tail, sizeof tail), start = n, used = 0;

	while (n > 0 && tail[n - 1] == '\n')
		n--;
	while (start > 0 && lines > 0) /* back up over the last `lines` line breaks */
		if (tail[--start] == '\n' && --lines == 0)
			start++;
	out[0] = '\0';
	for (size_t i = start; i < n && used + 4 < cap; i++) {
		if (i == start || tail[i - 1] == '\n') {
			out[used++] = ' ';
			out[used++] = ' ';
		}
		out[used++] = tail[i];
	}
	out[used] = '\0';
}
