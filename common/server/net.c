/* net.c — listening sockets, privilege drop, timed reads and the accept loop. */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "limit.h"

/* ---- listening ---- */

static int bind_one(const struct addrinfo *ai, int port, char err[NET_ERR_LEN])
{
	int one = 1;
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		snprintf(err, NET_ERR_LEN, "socket: %s", strerror(errno));
		return -1;
	}
	/* Let a restarted server bind at once although old connections sit in TIME_WAIT. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0)
		return fd;
	if (errno == EADDRINUSE)
		snprintf(err, NET_ERR_LEN, "port %d is already in use (choose another with --port)",
		         port);
	else if (errno == EACCES)
		snprintf(err, NET_ERR_LEN, "port %d is below 1024: only root may bind it", port);
	else
		snprintf(err, NET_ERR_LEN, "bind to port %d: %s", port, strerror(errno));
	close(fd);
	return -1;
}

int net_listen(const char *host, int port, char err[NET_ERR_LEN])
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
	struct addrinfo *res, *ai;
	char service[16];
	int fd = -1;

	if (port < 0 || port > 65535) {
		snprintf(err, NET_ERR_LEN, "port %d is not between 0 and 65535", port);
		return -1;
	}
	snprintf(service, sizeof service, "%d", port);
	int rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		snprintf(err, NET_ERR_LEN, "cannot resolve host '%s': %s", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next)
		fd = bind_one(ai, port, err);
	freeaddrinfo(res);
	return fd;
}

int net_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return -1;
}

int net_drop_privileges(const char *user, char err[NET_ERR_LEN])
{
	struct passwd pw, *found = NULL;
	char buf[1024];

	if (getuid() != 0 && geteuid() != 0)
		return 1;
	if (getpwnam_r(user, &pw, buf, sizeof buf, &found) != 0 || !found) {
		snprintf(err, NET_ERR_LEN, "no such user '%s' to drop privileges to", user);
		return -1;
	}
	/* Groups first: once the uid is gone we may no longer change them. */
	if (setgroups(0, NULL) != 0 || setgid(pw.pw_gid) != 0 || setuid(pw.pw_uid) != 0) {
		snprintf(err, NET_ERR_LEN, "dropping privileges to '%s': %s", user, strerror(errno));
		return -1;
	}
	if (pw.pw_uid != 0 && setuid(0) == 0) {
		snprintf(err, NET_ERR_LEN, "still able to regain root after dropping to '%s'", user);
		return -1;
	}
	umask(007); /* files the server creates: owner and group only */
	return 0;
}

/* ---- reading and writing ---- */

int64_t net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ssize_t net_read(int fd, void *buf, size_t cap, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - net_now_ms();
		if (left <= 0)
			return NET_TIMEOUT;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int rc = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (rc < 0 && errno != EINTR)
			return -1;
		if (rc <= 0)
			continue;
		ssize_t n = recv(fd, buf, cap, 0);
		if (n >= 0)
			return n;
		if (errno != EINTR && errno != EAGAIN)
			return -1;
	}
}

/* send_iov — writes every byte of iov[0..n), advancing past partial writes. */
static int send_iov(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
		ssize_t w = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1; /* EAGAIN here is the send timeout: a client that stopped reading */
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

int net_send_all(int fd, const void *buf, size_t len)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	return send_iov(fd, &iov, 1);
}

int net_send2(int fd, const void *a, size_t alen, const void *b, size_t blen)
{
	struct iovec iov[2] = {{(void *)a, alen}, {(void *)b, blen}};
	return send_iov(fd, iov, blen ? 2 : 1);
}

/* ---- lines ---- */

void net_reader_init(struct net_reader *r, int fd, int64_t deadline)
{
	r->fd = fd;
	r->deadline = deadline;
	r->start = r->len = 0;
}

ssize_t net_readline(struct net_reader *r, const char **line, size_t max)
{
	if (max > sizeof r->buf)
		max = sizeof r->buf;
	for (;;) {
		const char *lf = memchr(r->buf + r->start, '\n', r->len);
		size_t n = lf ? (size_t)(lf - (r->buf + r->start)) + 1 : r->len;
		if (lf || n >= max) {
			n = n < max ? n : max;
			*line = r->buf + r->start;
			r->start += n;
			r->len -= n;
			return (ssize_t)n;
		}
		/* Move the partial line to the front, then read after it. */
		memmove(r->buf, r->buf + r->start, r->len);
		r->start = 0;
		ssize_t got = net_read(r->fd, r->buf + r->len, sizeof r->buf - r->len, r->deadline);
		if (got <= 0 && r->len > 0 && got == 0) {
			*line = r->buf;
			n = r->len;
			r->len = 0;
			return (ssize_t)n;
		}
		if (got <= 0)
			return got;
		r->len += (size_t)got;
	}
}

/* ---- the accept loop ---- */

/* What the loop and its connection's thread share. The connection is served on a
 * thread of its own, one at a time, so that the loop stays free to see a stop signal
 * and end the connection (shutdown) however the handler is blocked. */
struct loop {
	const struct net_server *srv;
	pthread_mutex_t lock;
	pthread_cond_t idle;
	int fd;   /* the connection being served, or -1 */
	int wake; /* eventfd: the connection ended */
};

struct job {
	struct loop *loop;
	int fd;
	struct net_peer peer;
};

static void *connection_thread(void *arg)
{
	struct job *job = arg;
	struct loop *loop = job->loop;
	uint64_t one = 1;

	loop->srv->serve(job->fd, &job->peer, loop->srv->ctx);
	pthread_mutex_lock(&loop->lock);
	close(job->fd); /* under the lock, so the stopper never shuts a reused fd number */
	loop->fd = -1;
	if (write(loop->wake, &one, sizeof one) < 0) {
		/* the counter is saturated: the loop is awake already */
	}
	pthread_cond_broadcast(&loop->idle);
	pthread_mutex_unlock(&loop->lock);
	free(job);
	return NULL;
}

static void peer_of(const struct sockaddr_storage *ss, struct net_peer *peer)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, peer->addr, sizeof peer->addr);
		peer->port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &s4->sin_addr, peer->addr, sizeof peer->addr);
		peer->port = ntohs(s4->sin_port);
	}
}

void net_refuse(int fd, const char *busy)
{
	if (busy)
		net_send_all(fd, busy, strlen(busy));
	close(fd);
}

int net_thread_start(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t tid;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&tid, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return rc;
}

static int start_job(struct loop *loop, int fd, const struct net_peer *peer)
{
	struct job *job = malloc(sizeof *job);

	if (!job)
		return -1;
	*job = (struct job){.loop = loop, .fd = fd, .peer = *peer};
	loop->fd = fd;
	if (net_thread_start(connection_thread, job) != 0) {
		loop->fd = -1;
		free(job);
		return -1;
	}
	return 0;
}

int net_accept(int listener, struct net_peer *peer)
{
	struct timeval tv = {LIMIT_WRITE_MS / 1000, (LIMIT_WRITE_MS % 1000) * 1000};
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int one = 1;
	int fd = accept4(listener, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE)
			usleep(10000); /* out of descriptors: let connections finish */
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	peer_of(&ss, peer);
	return fd;
}

static void accept_one(struct loop *loop, int listener)
{
	struct net_peer peer;
	int fd = net_accept(listener, &peer);

	if (fd < 0)
		return;
	pthread_mutex_lock(&loop->lock);
	int rc = start_job(loop, fd, &peer);
	pthread_mutex_unlock(&loop->lock);
	if (rc != 0)
		close(fd); /* out of memory or threads: the client sees the connection end */
}

/* stop_all — ends the open connection, if any, and waits (a bounded time) for its
 * thread. */
static void stop_all(struct loop *loop)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 3;
	pthread_mutex_lock(&loop->lock);
	if (loop->fd >= 0)
		shutdown(loop->fd, SHUT_RDWR);
	while (loop->fd >= 0)
		if (pthread_cond_timedwait(&loop->idle, &loop->lock, &until) != 0)
			break;
	pthread_mutex_unlock(&loop->lock);
}

static bool listener_open(struct loop *loop)
{
	pthread_mutex_lock(&loop->lock);
	/* While one is served, the next clients wait in the kernel's queue, as with
	 * TCPServer. */
	bool open = loop->fd < 0;
	pthread_mutex_unlock(&loop->lock);
	return open;
}

static int serve_loop(struct loop *loop, int listener, int sig)
{
	uint64_t count;

	for (;;) {
		struct pollfd p[3] = {
			{.fd = sig, .events = POLLIN},
			{.fd = loop->wake, .events = POLLIN},
			{.fd = listener_open(loop) ? listener : -1, .events = POLLIN},
		};
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			return -1;
		if (p[0].revents)
			return 0;
		if (p[1].revents && read(loop->wake, &count, sizeof count) < 0)
			return -1;
		if (p[2].revents)
			accept_one(loop, listener);
	}
}

void net_block_stop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* threads inherit it: only signalfd sees them */
}

/* loop_free — only a quiet loop is freed: a thread still running would touch it, and
 * the process is about to exit anyway. */
static void loop_free(struct loop *loop)
{
	pthread_mutex_lock(&loop->lock);
	bool quiet = loop->fd < 0;
	pthread_mutex_unlock(&loop->lock);
	if (!quiet)
		return;
	close(loop->wake);
	pthread_cond_destroy(&loop->idle);
	pthread_mutex_destroy(&loop->lock);
	free(loop);
}

int net_stop_signalfd(void)
{
	sigset_t set;

	net_block_stop_signals();
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

int net_serve(int listener, const struct net_server *srv, char err[NET_ERR_LEN])
{
	struct loop *loop = calloc(1, sizeof *loop);
	int sig = -1;

	if (loop) {
		sig = net_stop_signalfd();
		loop->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	}
	if (!loop || sig < 0 || loop->wake < 0) {
		snprintf(err, NET_ERR_LEN, "cannot start serving: %s", strerror(errno));
		if (sig >= 0)
			close(sig);
		if (loop && loop->wake >= 0)
			close(loop->wake);
		free(loop);
		return -1;
	}
	loop->srv = srv;
	loop->fd = -1;
	pthread_mutex_init(&loop->lock, NULL);
	pthread_cond_init(&loop->idle, NULL);
	int rc = serve_loop(loop, listener, sig);
	if (rc < 0)
		snprintf(err, NET_ERR_LEN, "poll: %s", strerror(errno));
	stop_all(loop);
	close(sig);
	loop_free(loop);
	return rc;
}
