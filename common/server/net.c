/* net.c — listening and accepting, privilege drop, stop signals, timed reads, whole writes. */
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
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "limit.h"

/* ---- listening ---- */

static int bind_one(const struct addrinfo *ai, int port, char err[LIMIT_ERR_LEN])
{
	int one = 1;
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		snprintf(err, LIMIT_ERR_LEN, "socket: %s", strerror(errno));
		return -1;
	}
	/* Let a restarted server bind at once although old connections sit in TIME_WAIT. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0)
		return fd;
	if (errno == EADDRINUSE)
		snprintf(err, LIMIT_ERR_LEN,
		         "port %d is already in use (choose another with --port)", port);
	else if (errno == EACCES)
		snprintf(err, LIMIT_ERR_LEN, "port %d is below 1024: only root may bind it", port);
	else
		snprintf(err, LIMIT_ERR_LEN, "bind to port %d: %s", port, strerror(errno));
	close(fd);
	return -1;
}

int net_listen(const char *host, int port, char err[LIMIT_ERR_LEN])
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
	struct addrinfo *res, *ai;
	char service[16];
	int fd = -1;

	if (port < 0 || port > 65535) {
		snprintf(err, LIMIT_ERR_LEN, "port %d is not between 0 and 65535", port);
		return -1;
	}
	snprintf(service, sizeof service, "%d", port);
	int rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		snprintf(err, LIMIT_ERR_LEN, "cannot resolve host '%s': %s", host,
		         gai_strerror(rc));
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

int net_drop_privileges(const char *user, char err[LIMIT_ERR_LEN])
{
	struct passwd pw, *found = NULL;
	char buf[1024];

	if (getuid() != 0 && geteuid() != 0)
		return 1;
	if (getpwnam_r(user, &pw, buf, sizeof buf, &found) != 0 || !found) {
		snprintf(err, LIMIT_ERR_LEN, "no such user '%s' to drop privileges to", user);
		return -1;
	}
	/* Groups first: once the uid is gone we may no longer change them. */
	if (setgroups(0, NULL) != 0 || setgid(pw.pw_gid) != 0 || setuid(pw.pw_uid) != 0) {
		snprintf(err, LIMIT_ERR_LEN, "dropping privileges to '%s': %s", user,
		         strerror(errno));
		return -1;
	}
	if (pw.pw_uid != 0 && setuid(0) == 0) {
		snprintf(err, LIMIT_ERR_LEN, "still able to regain root after dropping to '%s'",
		         user);
		return -1;
	}
	umask(007); /* files the server creates: owner and group only */
	return 0;
}

/* ---- accepting ---- */

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

int net_accept(int listener, struct net_peer *peer)
{
	struct timeval tv = {LIMIT_WRITE_MS / 1000, (LIMIT_WRITE_MS % 1000) * 1000};
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int one = 1;
	int fd = accept4(listener, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE)
			usleep(LIMIT_ACCEPT_PAUSE_MS * 1000); /* let connections finish */
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	peer_of(&ss, peer);
	return fd;
}

bool net_discard(int fd, size_t *dropped, size_t limit)
{
	char buf[16 * 1024]; /* as much as a turn reads at once: few calls for a big body */

	while (*dropped < limit) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0)
			*dropped += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else
			return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	}
	return false;
}

/* Closing a socket whose receive buffer still holds bytes makes the kernel send a
 * reset, not a FIN, and a reset can destroy the answer before the client reads it.
 * So: the answer, then our FIN (shutdown), then the request read and dropped (briefly:
 * the client has had our answer and our end by then), and only then the close. */
bool net_refuse_start(int fd, const char *busy)
{
	if (busy)
		net_send_all(fd, busy, strlen(busy));
	return shutdown(fd, SHUT_WR) == 0;
}

void net_refuse(int fd, const char *busy)
{
	int64_t deadline = net_now_ms() + LIMIT_REFUSE_WAIT_MS;
	size_t dropped = 0;
	bool more = net_refuse_start(fd, busy);

	while (more) {
		int64_t left = deadline - net_now_ms();
		struct pollfd p = {.fd = fd, .events = POLLIN};
		more = left > 0 && poll(&p, 1, (int)left) > 0 &&
		       net_discard(fd, &dropped, LIMIT_REFUSE_BYTES);
	}
	close(fd);
}

/* ---- stopping ---- */

/* stop_signals — the signals that stop a server: SIGINT (Ctrl-C) and SIGTERM (kill, the
 * lab, a test harness). */
static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

void net_block_stop_signals(void)
{
	sigset_t set;

	stop_signals(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* threads inherit it: only signalfd sees them */
}

int net_stop_signalfd(void)
{
	sigset_t set;

	net_block_stop_signals();
	stop_signals(&set);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* stop_pending — has a stop signal come? Blocked, it stays pending until the process
 * exits (the serving loop sees it through its signalfd, and never reads it). */
static bool stop_pending(void)
{
	sigset_t pending;

	if (sigpending(&pending) != 0)
		return false;
	return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1;
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
		if (stop_pending()) {
			errno = EINTR;
			return -1;
		}
		/* Waits in slices, to see a stop signal soon after it comes. */
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int rc = poll(&p, 1, left > LIMIT_STOP_CHECK_MS ? LIMIT_STOP_CHECK_MS : (int)left);
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
			/* EAGAIN here is the send timeout: a client that stopped reading */
			return -1;
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
