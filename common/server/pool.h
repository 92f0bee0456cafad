/* pool.h — serving many connections with a few threads (the HTTP lessons, 03 on).
 * The advanced read: a lesson needs only pool_serve, and lesson_main calls it.
 *
 * ThreadingHTTPServer gives every connection a thread of its own, and that thread
 * spends most of its life waiting: for the next request on a kept-alive connection,
 * or for the rest of a slow client's head. Here waiting costs no thread. Between
 * requests a connection is *parked* in an epoll set; when bytes arrive, a thread of
 * the pool takes it, serves what came (a *turn*), and parks it again: a turn takes
 * what has arrived of a head or a body, and never waits for more. It may still block
 * as long as the limits allow (a big write to a slow reader, a slow handler): the
 * pool keeps a thread per core free for the others, starting another
 * thread when all of them are stuck, up to LIMIT_CONNECTIONS, and letting the extra
 * ones go when they idle.
 *
 * The loop (the caller's thread) accepts newcomers into a *lobby* (accepted, not yet
 * admitted: a socket and nothing else), expires parked connections whose deadline has
 * passed, and admits the lobby's guests to free slots: first those whose whole request
 * head has arrived (they are served at once), then the others, in arrival order. At
 * the connection cap a connection that only waits to close makes room for any guest;
 * for a guest whose head is whole, so does one that has waited long enough for the
 * same thing with nothing unread: first a head begun LIMIT_EVICT_HEAD_MS ago and still
 * not whole (a slow loris however often it sends a byte), then one idle or with a body
 * silent for LIMIT_EVICT_QUIET_MS (a slow POST), the one waiting longest first. A
 * connection with bytes waiting to be read is never evicted: they may be a whole
 * request. A guest without room waits in the lobby; after LIMIT_CAP_WAIT_MS it gets
 * the busy reply (503). The lobby holds at most LIMIT_LOBBY: when full, its oldest
 * guest still without a whole head after LIMIT_EVICT_QUIET_MS gets the busy reply, so
 * that the listen backlog keeps moving.
 * The loop watches its guests in an epoll set of its own and looks at a guest's bytes
 * only when more have come, so hundreds of slow guests cost it little; and a refused
 * guest leaves without the loop waiting for it (its 503, our FIN, then what it still
 * sends dropped, as the loop goes on, until it closes or LIMIT_REFUSE_WAIT_MS pass).
 *
 * Like net.h, nothing here prints or exits. */
#ifndef WIRELAB_POOL_H
#define WIRELAB_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"

#define POOL_CLOSE (-1) /* a turn's answer: close the connection */

/* What a parked connection waits for. */
enum pool_wait {
	POOL_WAIT_CLOSE,   /* every answer is sent; only the client's close (a lingering
	                    * close): evicting it costs the client nothing */
	POOL_WAIT_REQUEST, /* the next request (or the first): nothing of it has come */
	POOL_WAIT_HEAD,    /* the rest of a head begun */
	POOL_WAIT_BODY,    /* the rest of a body begun */
};

/* What the pool calls for each connection (httpd.h provides them for HTTP). A
 * connection is handed to one thread at a time, so its state needs no lock. */
struct pool_conn_ops {
	/* ready — whether a newcomer not yet admitted has sent what its first turn answers
	 * at once (for HTTP, a whole head): such newcomers are admitted first, and only
	 * they may evict a quiet connection at the cap. Optional: NULL, none is. A peek:
	 * it reads nothing away. The loop calls it, so it must not block. */
	bool (*ready)(int fd);
	/* open — the state of a new connection on fd, and its first deadline (net_now_ms()
	 * time) in *deadline; NULL when out of memory (it then gets the busy reply). */
	void *(*open)(int fd, const struct net_peer *peer, void *ctx, int64_t *deadline);
	/* turn — bytes (or the end of stream) have arrived. Serves what it can, blocking
	 * if it must; returns the deadline for the next bytes, or POOL_CLOSE. The same
	 * deadline as before tells the pool the connection still waits for the same thing
	 * (the head it began, the next request): the eviction rule goes by that wait. */
	int64_t (*turn)(void *conn);
	/* expire — the deadline passed, or (evicted) the slot is needed by a newcomer.
	 * Sends what is owed (a 408 for a head begun); returns a new deadline (to linger
	 * before closing) or POOL_CLOSE. An evicted connection is closed either way. */
	int64_t (*expire)(void *conn, bool evicted);
	/* awaits — what a parked connection waits for (enum pool_wait): the eviction rule
	 * at the cap goes by it. */
	enum pool_wait (*awaits)(const void *conn);
	/* end — frees the state; the pool closes the socket afterwards. */
	void (*end)(void *conn);
};

struct pool_server {
	const struct pool_conn_ops *ops;
	void *ctx;        /* handed to open */
	const char *busy; /* sent to a newcomer when no slot can be had, before closing it */
};

/* pool_serve — serves connections accepted on listener until SIGINT or SIGTERM, then
 * ends them and returns 0 (waiting at most LIMIT_STOP_WAIT_MS for busy ones). Returns
 * -1 with err set if it cannot start. Blocks SIGINT, SIGTERM and SIGPIPE in every
 * thread. */
int pool_serve(int listener, const struct pool_server *srv, char err[LIMIT_ERR_LEN]);

#endif
