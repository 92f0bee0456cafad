/* loop.c — one connection at a time, on the calling thread. */
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* wait_for_client — waits until a client connects (1) or a stop signal comes (0);
 * -1 if poll fails. */
static int wait_for_client(int listener, int stop)
{
	struct pollfd ready[2] = {
		{.fd = stop, .events = POLLIN},     /* SIGINT or SIGTERM */
		{.fd = listener, .events = POLLIN}, /* a connection in the listen queue */
	};

	for (;;) {
		if (poll(ready, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (ready[0].revents)
			return 0; /* a stop wins over a waiting client */
		if (ready[1].revents)
			return 1;
	}
}

int loop_serve(int listener, net_conn_fn serve, void *ctx, char err[LIMIT_ERR_LEN])
{
	/* Blocked, the stop signals wait here for us instead of killing the process. */
	int stop = net_stop_signalfd();
	int rc;

	if (stop < 0) {
		snprintf(err, LIMIT_ERR_LEN, "cannot start serving: %s", strerror(errno));
		return -1;
	}
	while ((rc = wait_for_client(listener, stop)) == 1) {
		struct net_peer peer;
		int fd = net_accept(listener, &peer);
		if (fd < 0)
			continue; /* the client left before we took it, or no descriptor was free */
		serve(fd, &peer, ctx);
		close(fd);
	}
	if (rc < 0)
		snprintf(err, LIMIT_ERR_LEN, "poll: %s", strerror(errno));
	close(stop);
	return rc;
}
