/* launch.c — fork, two pseudo-terminals relayed into pipes, exec, and the wait for a
 * listening socket. */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include "net.h"
#include "ports.h"

#define BOUND_TEXT "Server bound to port "
#define PORTS_SHOWN 8

/* Our ends (master) and its ends (slave) of the two terminals. */
struct ttys {
	int out_master, out_slave, err_master, err_slave;
};

/* raw_output — "\n" written to the terminal reaches us as "\n", not "\r\n". */
static void raw_output(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) == 0) {
		t.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(fd, TCSANOW, &t);
	}
}

/* open_ttys — two pseudo-terminals; our ends close on exec. Returns 0, or -1. */
static int open_ttys(struct ttys *t)
{
	if (openpty(&t->out_master, &t->out_slave, NULL, NULL, NULL) != 0)
		return -1;
	if (openpty(&t->err_master, &t->err_slave, NULL, NULL, NULL) != 0) {
		close(t->out_master);
		close(t->out_slave);
		return -1;
	}
	raw_output(t->out_slave);
	raw_output(t->err_slave);
	fcntl(t->out_master, F_SETFD, FD_CLOEXEC);
	fcntl(t->err_master, F_SETFD, FD_CLOEXEC);
	return 0;
}

/* child — in the forked child, as proc.c's: its own process group, death with the lab,
 * stdin from /dev/null, no blocked signals. Never returns; async-signal-safe calls only. */
static void child(const struct launch_spec *spec, const struct ttys *t, pid_t parent)
{
	extern char **environ;
	sigset_t none;
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	if (null < 0 || dup2(null, 0) < 0 || dup2(t->out_slave, 1) < 0 || dup2(t->err_slave, 2) < 0)
		_exit(127);
	close(t->out_slave);
	close(t->err_slave);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(spec->argv[0], spec->argv, spec->envp ? spec->envp : environ);
	dprintf(2, "cannot run %s: %s\n", spec->argv[0], strerror(errno));
	_exit(127);
}

/* ---- the relay ------------------------------------------------------------------------ */

/* A terminal holds little (4 KiB on Linux) before its writer blocks, and check reads only
 * between requests: a server printing a long line while it answers would wait for check,
 * and check for it. So a thread moves what comes out of each terminal into a pipe made
 * large, from which proc.h reads as it reads any server's output. What a server writes
 * to a terminal reaches the other end a moment later (the kernel hands it on in the
 * background); a read() waits for it, poll() does not. So when check wants everything
 * written so far (launch_flush), the thread reads until the terminal is empty and says
 * so. */
#define RELAY_PIPE_SIZE (1024 * 1024)

struct relay {
	int from[2]; /* the terminals' master ends, non-blocking */
	int to[2];   /* the pipes' write ends */
	int ask;     /* check writes a byte here to ask for everything so far… */
	int done;    /* …and the thread answers with one here */
};

/* move — everything terminal i holds into its pipe; false when the pipe is gone (check
 * has stopped the server). */
static bool move(struct relay *r, int i, char *buf, size_t cap)
{
	for (;;) {
		ssize_t n = read(r->from[i], buf, cap);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0) { /* EIO: no one holds the terminal any more */
			close(r->from[i]);
			r->from[i] = -1;
			return true;
		}
		if (write(r->to[i], buf, (size_t)n) != n)
			return false;
	}
}

/* relay_run — copies until both terminals are closed (the server and all it started
 * have exited) or check has closed its ends; then closes everything it holds. */
static void *relay_run(void *arg)
{
	struct relay *r = arg;
	char buf[8192];
	sigset_t all;

	sigfillset(&all); /* signals are the lab's to take; a closed pipe is EPIPE, not SIGPIPE */
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (r->from[0] >= 0 || r->from[1] >= 0) {
		struct pollfd p[5] = {{r->from[0], POLLIN, 0}, {r->from[1], POLLIN, 0},
		                      {r->ask, POLLIN, 0}, {r->to[0], 0, 0}, {r->to[1], 0, 0}};
		if ((poll(p, 5, -1) < 0 && errno != EINTR) ||
		    (p[3].revents | p[4].revents) & POLLERR)
			break;
		bool asked = p[2].revents & POLLIN;
		if (asked && read(r->ask, buf, sizeof buf) <= 0)
			break; /* check closed its end: it is done with this server */
		if (p[2].revents && !asked)
			break;
		for (int i = 0; i < 2; i++)
			if ((p[i].revents || asked) && r->from[i] >= 0 &&
			    !move(r, i, buf, sizeof buf))
				goto done;
		if (asked && write(r->done, "", 1) != 1)
			break;
	}
done:
	for (int i = 0; i < 2; i++) {
		if (r->from[i] >= 0)
			close(r->from[i]);
		close(r->to[i]);
	}
	close(r->ask);
	close(r->done);
	free(r);
	return NULL;
}

/* close_all — closes the descriptors of fds[0..n) that are open. */
static void close_all(const int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* relay_start — the thread, its pipes and its line to check: the pipes' read ends into
 * out[2], check's ends of the line into *sync. Returns 0, or -1 (the masters are then
 * closed too). */
static int relay_start(int out_master, int err_master, int out[2], struct launch_sync *sync)
{
	struct relay *r = malloc(sizeof *r);
	int p[8] = {-1, -1, -1, -1, -1, -1, -1, -1}; /* out, err, ask, done: read, write */
	pthread_t t;
	bool made = r != NULL;

	for (size_t i = 0; made && i < 4; i++)
		made = pipe2(p + 2 * i, O_CLOEXEC) == 0;
	if (made) {
		fcntl(p[1], F_SETPIPE_SZ, RELAY_PIPE_SIZE); /* as large as allowed; smaller works */
		fcntl(p[3], F_SETPIPE_SZ, RELAY_PIPE_SIZE);
		fcntl(out_master, F_SETFL, O_NONBLOCK);
		fcntl(err_master, F_SETFL, O_NONBLOCK);
		*r = (struct relay){{out_master, err_master}, {p[1], p[3]}, p[4], p[7]};
		made = pthread_create(&t, NULL, relay_run, r) == 0;
	}
	if (!made) {
		close_all(p, 8);
		free(r);
		close(out_master);
		close(err_master);
		return -1;
	}
	pthread_detach(t);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[2], F_SETFL, O_NONBLOCK);
	out[0] = p[0];
	out[1] = p[2];
	*sync = (struct launch_sync){.ask = p[5], .done = p[6]};
	return 0;
}

void launch_flush(const struct launch_sync *sync, int wait_ms)
{
	char ack;
	struct pollfd p = {sync->done, POLLIN, 0};

	if (sync->ask < 0 || write(sync->ask, "", 1) != 1)
		return;
	if (poll(&p, 1, wait_ms) > 0 && read(sync->done, &ack, 1) < 0)
		return; /* the thread has ended: the server's output is all in the pipes */
}

void launch_sync_close(struct launch_sync *sync)
{
	if (sync->ask >= 0)
		close(sync->ask);
	if (sync->done >= 0)
		close(sync->done);
	sync->ask = sync->done = -1;
}

/* ---- starting it ---------------------------------------------------------------------- */

/* spawn — forks and execs, filling s and sync. Returns 0, or -1 with err set. */
static int spawn(struct proc *s, const struct launch_spec *spec, struct launch_sync *sync,
                 char err[PROC_ERR_LEN])
{
	struct ttys t;

	if (open_ttys(&t) != 0) {
		snprintf(err, PROC_ERR_LEN, "cannot open a pseudo-terminal: %s", strerror(errno));
		return -1;
	}
	pid_t parent = getpid(), pid = fork();
	if (pid == 0)
		child(spec, &t, parent);
	close(t.out_slave);
	close(t.err_slave);
	if (pid < 0) {
		close(t.out_master);
		close(t.err_master);
		snprintf(err, PROC_ERR_LEN, "cannot start a process: %s", strerror(errno));
		return -1;
	}
	setpgid(pid, pid);
	s->pid = pid;
	s->running = true;
	int fds[2];
	if (relay_start(t.out_master, t.err_master, fds, sync) != 0) {
		proc_stop(s);
		snprintf(err, PROC_ERR_LEN, "cannot relay the server's output: %s",
		         strerror(errno));
		return -1;
	}
	s->out_fd = fds[0];
	s->err_fd = fds[1];
	return 0;
}

/* bound_port — the N of a "Server bound to port N" line it printed, or -1. */
static int bound_port(const struct proc *s)
{
	char text[4096];
	size_t n = proc_ring_since(&s->out, 0, text, sizeof text - 1);

	text[n] = '\0';
	const char *at = strstr(text, BOUND_TEXT);
	return at && strchr(at, '\n') ? atoi(at + strlen(BOUND_TEXT)) : -1;
}

/* told — "$PORT (8123)" or "--port 8123": how the port was given, for sentences. */
static void told(const struct launch_spec *spec, char *out, size_t cap)
{
	if (spec->port_from_env)
		snprintf(out, cap, "$PORT (%d)", spec->port);
	else
		snprintf(out, cap, "--port %d", spec->port);
}

/* elsewhere — the sentence for a server listening on ports other than its own. */
static void elsewhere(const struct proc *s, const struct launch_spec *spec, const int *ports,
                      size_t n, char err[PROC_ERR_LEN])
{
	char given[48], list[PORTS_SHOWN * 8] = "";
	size_t used = 0;

	told(spec, given, sizeof given);
	for (size_t i = 0; i < n && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%d", i ? ", " : "",
		                         ports[i]);
	snprintf(err, PROC_ERR_LEN, "the %s server listens on port %s, but check told it to "
	         "listen on %s and sends its requests there: %s", s->name, list, given,
	         spec->port_from_env ? "read the port from the PORT environment variable "
	         "(os.environ[\"PORT\"], getenv(\"PORT\"))" : "use the port given by --port");
}

/* never_listened — the sentence when the deadline passed. */
static void never_listened(const struct proc *s, const struct launch_spec *spec,
                           char err[PROC_ERR_LEN])
{
	int ports[PORTS_SHOWN];
	size_t n = ports_of_group(s->pid, ports, PORTS_SHOWN);
	char given[48];

	if (n > 0) {
		elsewhere(s, spec, ports, n, err);
		return;
	}
	told(spec, given, sizeof given);
	snprintf(err, PROC_ERR_LEN, "the %s server did not listen on port %d within %d s, so it "
	         "was stopped: check gives the port as %s, and sends its requests there", s->name,
	         spec->port, LIMIT_LAB_START_MS / 1000, given);
}

/* failed — how it exited before listening, with its last lines. */
static void failed(const struct proc *s, char err[PROC_ERR_LEN])
{
	char how[128], last[PROC_ERR_LEN - 256];

	proc_exit_text(s, how, sizeof how);
	proc_last_lines(s, 8, last, sizeof last);
	snprintf(err, PROC_ERR_LEN, "the %s server %s before it was listening.%s%s", s->name, how,
	         *last ? " Its last output:\n" : " It printed nothing.", last);
}

/* wait_listening — until the port listens, it exits, the deadline, or cancel_fd. */
static int wait_listening(struct proc *s, const struct launch_spec *spec, int cancel_fd,
                          char err[PROC_ERR_LEN])
{
	int64_t deadline = net_now_ms() + LIMIT_LAB_START_MS;

	for (;;) {
		int said = bound_port(s);
		if (ports_listening(spec->port, NULL) || said == spec->port) {
			s->port = spec->port;
			return 0;
		}
		if (said > 0) {
			elsewhere(s, spec, &said, 1, err);
			return proc_stop(s), PROC_FAILED;
		}
		if (!s->running || proc_pump(s))
			return failed(s, err), PROC_FAILED;
		int64_t left = deadline - net_now_ms();
		if (left <= 0 && ports_listening(spec->port, NULL))
			continue; /* it began to listen as the time ran out: found above, at once */
		if (left <= 0) {
			never_listened(s, spec, err);
			return proc_stop(s), PROC_FAILED;
		}
		struct pollfd fds[3] = {{cancel_fd, POLLIN, 0}};
		nfds_t n = proc_pollfds(s, fds, 1);
		if (poll(fds, n, (int)(left < 10 ? left : 10)) > 0 && (fds[0].revents & POLLIN)) {
			proc_stop(s);
			snprintf(err, PROC_ERR_LEN, "interrupted while the %s server was starting",
			         s->name);
			return PROC_INTERRUPTED;
		}
		proc_pump(s);
	}
}

int launch_start(struct proc *s, const struct launch_spec *spec, struct launch_sync *sync,
                 int cancel_fd, char err[PROC_ERR_LEN])
{
	proc_init(s);
	*sync = (struct launch_sync){-1, -1};
	s->lesson = spec->lesson;
	snprintf(s->name, sizeof s->name, "%s", spec->name);
	snprintf(s->shown, sizeof s->shown, "yours");
	if (spawn(s, spec, sync, err) != 0)
		return PROC_FAILED;
	int rc = wait_listening(s, spec, cancel_fd, err);
	if (rc != 0)
		launch_sync_close(sync);
	return rc;
}
