/* pool.c — parked connections in one epoll set, a few threads to serve them.
 *
 * The advanced read: no lesson needs it. What the pool does for the HTTP lessons is
 * in pool.h; httpd.c is what it runs. To follow it, read three functions:
 *
 *   worker     a pool thread: wait in epoll for a connection with bytes, give it a turn
 *              (httpd reads and answers), park it again or close it;
 *   pool_loop  the caller's thread: accept newcomers into the lobby, admit them,
 *              expire connections whose deadline passed, start threads when every one
 *              is stuck in a long turn;
 *   admit      the lobby's guests get slots, those whose whole request head has
 *              arrived first: a free slot, or at the cap (for those only) one made by
 *              evicting a parked connection that is idle, slow or done (never one with
 *              bytes waiting); the others wait, and get the busy reply after
 *              LIMIT_CAP_WAIT_MS.
 *
 * The rest keeps those three safe. One lock (pool.lock) guards the slots' states; the
 * connection itself (slot.conn) belongs to whoever made its slot SLOT_BUSY, so a turn
 * runs without the lock, and may block as long as the limits let it. */
#include "pool.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "limit.h"

#define POOL_STOP_KEY UINT64_MAX /* the epoll key of the stop eventfd */

enum slot_state {
	SLOT_FREE,
	SLOT_PARKED, /* in the epoll set, waiting for bytes or its deadline */
	SLOT_BUSY,   /* a thread (or the loop) is working on it: nobody else touches it */
};

/* One connection. Only the holder of pool.lock changes state; the thread that made
 * a slot SLOT_BUSY owns conn until it parks or frees the slot. */
struct slot {
	enum slot_state state;
	uint32_t gen;       /* bumped on reuse, so a stale epoll event misses the newcomer */
	int fd;
	void *conn;         /* the ops' state, owned by the slot from open to end */
	int64_t deadline;   /* while parked */
	int64_t since;      /* when it was parked, or taken */
	int64_t waiting;    /* when its deadline last changed: since then it has waited for
	                     * the same thing (a head begun, or the next request) */
	bool ready;         /* an event came while it was busy */
	struct net_peer peer;
};

/* Shared by the loop and the threads; lives until the last thread has gone. */
struct pool {
	const struct pool_server *srv;
	int ep;               /* epoll set of parked connections, plus stop */
	int stop;             /* eventfd, readable once stopping: wakes every thread */
	pthread_mutex_t lock;
	pthread_cond_t gone;  /* a thread ended */
	unsigned threads;     /* running */
	unsigned base;        /* threads always kept: one per core */
	bool stopping;
	struct slot slots[LIMIT_CONNECTIONS];
};

/* ---- slots: park, take, settle (lock held in all of them) ---- */

/* key_of — what epoll hands back for a slot: its index, and its generation so that an
 * event for a connection since closed does not reach the slot's next connection. */
static uint64_t key_of(const struct pool *p, const struct slot *s)
{
	return (uint64_t)s->gen << 32 | (uint64_t)(s - p->slots);
}

/* watch — asks epoll for an event each time bytes arrive on the slot's socket (edge-
 * triggered: a turn reads until nothing is left, so no event is needed for bytes it
 * has seen). op EPOLL_CTL_ADD the first time; EPOLL_CTL_MOD asks again, and reports
 * at once if bytes are waiting. Returns epoll_ctl's. */
static int watch(struct pool *p, struct slot *s, int op)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = key_of(p, s)};
	return epoll_ctl(p->ep, op, s->fd, &ev);
}

/* park — the slot waits for bytes or its deadline. Bytes that came while it was busy
 * (ready) may have been left unread by the turn: ask for their event again. */
static void park(struct pool *p, struct slot *s, int64_t deadline)
{
	s->state = SLOT_PARKED;
	s->since = net_now_ms();
	if (deadline != s->deadline)
		s->waiting = s->since; /* the turn answered something, or began a head */
	s->deadline = deadline;
	if (s->ready && watch(p, s, EPOLL_CTL_MOD) != 0)
		s->deadline = 0; /* cannot watch it: the loop expires it at once */
	s->ready = false;
}

/* claim — marks a slot busy: the caller owns it until it parks or frees it. */
static struct slot *claim(struct slot *s)
{
	s->state = SLOT_BUSY;
	s->since = net_now_ms();
	return s;
}

/* release — ends the connection and frees its slot (close never blocks here, as no
 * socket has SO_LINGER). */
static void release(struct pool *p, struct slot *s)
{
	p->srv->ops->end(s->conn);
	close(s->fd); /* also takes it out of the epoll set */
	s->conn = NULL;
	s->fd = -1;
	s->state = SLOT_FREE;
	s->ready = false;
	s->gen++;
}

/* settle — after a turn or an expiry: park again, or close. */
static void settle(struct pool *p, struct slot *s, int64_t deadline)
{
	if (deadline == POOL_CLOSE || p->stopping)
		release(p, s);
	else
		park(p, s, deadline);
}

/* take — the parked slot an event names, made busy; NULL if it is busy (then it is
 * marked ready, for park to see) or the event is stale (the slot was reused). */
static struct slot *take(struct pool *p, uint64_t key)
{
	uint32_t index = (uint32_t)key;
	struct slot *s = index < LIMIT_CONNECTIONS ? &p->slots[index] : NULL;

	if (!s || s->gen != (uint32_t)(key >> 32))
		return NULL;
	if (s->state == SLOT_BUSY)
		s->ready = true;
	return s->state == SLOT_PARKED ? claim(s) : NULL;
}

/* ---- threads ---- */

/* wait_ready — waits in the epoll set, the lock released meanwhile, and takes the
 * connection an event names. NULL when there is none to serve: a stale event, the stop,
 * or no event within LIMIT_POOL_SPARE_MS for a spare thread (one above base; then
 * *retire is set, and the thread ends). Lock held. */
static struct slot *wait_ready(struct pool *p, bool *retire)
{
	struct epoll_event ev;
	int idle_ms = p->threads > p->base ? LIMIT_POOL_SPARE_MS : -1;

	pthread_mutex_unlock(&p->lock);
	int n = epoll_wait(p->ep, &ev, 1, idle_ms);
	pthread_mutex_lock(&p->lock);
	*retire = n == 0 && p->threads > p->base;
	if (n != 1 || ev.data.u64 == POOL_STOP_KEY)
		return NULL;
	return take(p, ev.data.u64);
}

/* worker — a pool thread: gives each connection that has bytes its turn, until the
 * pool stops (or, a spare, until it idles). */
static void *worker(void *arg)
{
	struct pool *p = arg;
	bool retire = false;

	pthread_mutex_lock(&p->lock);
	while (!p->stopping && !retire) {
		struct slot *s = wait_ready(p, &retire);
		if (!s)
			continue;
		pthread_mutex_unlock(&p->lock);
		int64_t deadline = p->srv->ops->turn(s->conn); /* may block: no lock held */
		pthread_mutex_lock(&p->lock);
		settle(p, s, deadline);
	}
	p->threads--;
	pthread_cond_broadcast(&p->gone);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* spawn — starts one more (detached) worker; false with errno set if the system
 * refuses. Lock held. */
static bool spawn(struct pool *p)
{
	pthread_attr_t attr;
	pthread_t tid;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&tid, &attr, worker, p);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		errno = rc;
		return false;
	}
	p->threads++;
	return true;
}

/* keep_free — a thread stuck in one turn longer than a tick (a client slow to read a
 * big answer, a slow handler, a slow disk) cannot serve the others; while
 * fewer than base threads are free to, start more. */
static void keep_free(struct pool *p, int64_t now)
{
	unsigned stuck = 0;

	pthread_mutex_lock(&p->lock);
	for (unsigned i = 0; i < LIMIT_CONNECTIONS; i++)
		if (p->slots[i].state == SLOT_BUSY && now - p->slots[i].since > LIMIT_POOL_TICK_MS)
			stuck++;
	while (p->threads < stuck + p->base && p->threads < LIMIT_CONNECTIONS && spawn(p)) {
	}
	pthread_mutex_unlock(&p->lock);
}

/* ---- newcomers ---- */

/* Who is evicted at the cap to make room for a newcomer (common/README.md states the
 * same rule):
 *   - never a connection being served, nor one with bytes waiting to be read: those
 *     bytes may be a whole request, and its client is owed the answer, not a 408;
 *   - first, one that only waits to close: lingering after our last answer, or (for
 *     a newcomer whose whole request head has arrived: finding it takes a peek at
 *     every slot) its client has closed; evicting either costs the client nothing;
 *   - else, for a newcomer whose whole request head has arrived (the lobby's ready
 *     guests) and for no other, one that has waited long enough for the same thing
 *     (its deadline unchanged: slot.waiting) with nothing unread: a head begun
 *     LIMIT_EVICT_HEAD_MS ago and still not whole (a slow loris: a byte now and then
 *     does not move a head's deadline, so it cannot keep its slot by trickling; a
 *     client's head comes in one packet or a burst of them), or LIMIT_EVICT_QUIET_MS
 *     idle between requests, or a body silent that long (each piece of a body moves
 *     its deadline: a slow POST); a slow head first (an idle client may yet send its
 *     next request), and of those the one waiting longest. It gets what it is
 *     owed (a 408 if it began a head or a body). A newcomer that has asked for nothing
 *     yet takes no one's slot: were it allowed to, slow heads waiting in the lobby
 *     would take every slot the moment it qualified, and a whole request arriving
 *     meanwhile would find none.
 * When none qualifies, the newcomer waits in the lobby: a slot frees when a connection
 * ends, or a waiting one becomes a candidate. Only after LIMIT_CAP_WAIT_MS without
 * room does it get the busy reply (503). */

enum unread { UNREAD_NOTHING, UNREAD_BYTES, UNREAD_END };

/* unread — what the client sent that nobody has read yet: bytes, the end of its
 * stream (or a broken connection), or nothing. A peek: the bytes stay for the turn. */
static enum unread unread(int fd)
{
	char byte;
	ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	if (n > 0)
		return UNREAD_BYTES;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return UNREAD_NOTHING;
	return UNREAD_END;
}

/* victim — the parked connection to evict by the rule above, or NULL; quiet ones only
 * for a newcomer whose head is whole (whole). Lock held. */
static struct slot *victim(struct pool *p, int64_t now, bool whole)
{
	struct slot *slow = NULL, *quiet = NULL; /* the slow head, the other, waiting longest */

	for (unsigned i = 0; i < LIMIT_CONNECTIONS; i++) {
		struct slot *s = &p->slots[i];
		if (s->state != SLOT_PARKED)
			continue;
		enum pool_wait awaits = p->srv->ops->awaits(s->conn);
		if (awaits == POOL_WAIT_CLOSE)
			return s;
		if (!whole)
			continue; /* a peek per slot is worth it only to seat a whole request */
		enum unread u = unread(s->fd);
		if (u == UNREAD_END)
			return s;
		struct slot **best = awaits == POOL_WAIT_HEAD ? &slow : &quiet;
		int64_t enough = awaits == POOL_WAIT_HEAD ? LIMIT_EVICT_HEAD_MS
		                                          : LIMIT_EVICT_QUIET_MS;
		if (u == UNREAD_NOTHING && now - s->waiting >= enough &&
		    (!*best || s->waiting < (*best)->waiting))
			*best = s;
	}
	return slow ? slow : quiet;
}

/* evict — closes the victim, after expire has sent what it is owed; returns its slot,
 * now busy and the caller's. Lock held, and released while the victim is answered. */
static struct slot *evict(struct pool *p, struct slot *s)
{
	claim(s);
	pthread_mutex_unlock(&p->lock);
	p->srv->ops->expire(s->conn, true);
	pthread_mutex_lock(&p->lock);
	release(p, s);
	return claim(s);
}

/* room — a free slot, or one made by eviction for a newcomer whose head is whole or not
 * (whole), made busy for the caller; NULL when none can be had now. Lock held. */
static struct slot *room(struct pool *p, int64_t now, bool whole)
{
	for (unsigned i = 0; i < LIMIT_CONNECTIONS; i++)
		if (p->slots[i].state == SLOT_FREE)
			return claim(&p->slots[i]);
	struct slot *s = victim(p, now, whole);
	return s ? evict(p, s) : NULL;
}

/* open_in — opens the connection's state in slot s and parks it until its first bytes.
 * Returns false (the slot freed again, the state ended) when out of memory or epoll
 * refuses the socket. */
static bool open_in(struct pool *p, struct slot *s, int fd, const struct net_peer *peer)
{
	int64_t deadline = 0;

	/* Unlocked: the slot is busy, so ours, and open may take its time to allocate. */
	s->peer = *peer;
	s->conn = p->srv->ops->open(fd, &s->peer, p->srv->ctx, &deadline);
	pthread_mutex_lock(&p->lock);
	s->fd = fd;
	bool parked = s->conn && watch(p, s, EPOLL_CTL_ADD) == 0;
	if (parked) {
		s->deadline = INT64_MIN; /* unlike any deadline: its wait starts now */
		park(p, s, deadline);
	} else {
		if (s->conn)
			p->srv->ops->end(s->conn);
		s->conn = NULL;
		s->fd = -1;
		s->state = SLOT_FREE;
	}
	pthread_mutex_unlock(&p->lock);
	return parked;
}

/* ---- the lobby ---- */

/* A newcomer the loop has accepted and not yet admitted: a socket, no slot, no state. */
struct guest {
	int fd;
	struct net_peer peer;
	int64_t since;  /* when it was accepted */
	size_t looked;  /* the bytes waiting when ops->ready was last asked; 0: not yet */
	bool fresh;     /* bytes came since it was last looked at */
	bool ready;     /* its whole request head has arrived: it is admitted first */
};

/* A refused newcomer on its way out: it has the busy reply and our FIN, and what it
 * still sends is dropped until net_discard says it is done, or until; then it is
 * closed. net_refuse does the same in one call, but waits: the loop cannot, as
 * deadlines and whole requests are due meanwhile. */
struct leaver {
	int fd;
	int64_t until;
	size_t dropped;
};

/* The newcomers, in arrival order, and the refused ones leaving (the loop's own: no
 * lock). Accepting into the lobby keeps the listen backlog moving, so that a client
 * whose request has arrived is seen and served at once, not queued behind slow ones in
 * the kernel's FIFO. Its epoll set tells which sockets had bytes: a guest's are looked
 * at only then, so that hundreds of slow guests cost the loop nothing between their
 * bytes. */
struct lobby {
	int ep;           /* guests (edge-triggered: bytes came) and leavers (bytes wait) */
	unsigned n;       /* guests */
	unsigned leaving; /* leavers */
	int64_t retry;    /* seating found no room: guests are not tried again before this,
	                   * unless one's head became whole */
	struct guest guests[LIMIT_LOBBY];
	struct leaver leavers[LIMIT_LOBBY];
};

#define LOBBY_LEAVER (UINT64_C(1) << 32) /* in an event's key, beside the socket */

/* lobby_watch — asks the lobby's epoll set for the socket's bytes: a guest's once each
 * time they come, a leaver's while any wait. op as for epoll_ctl. */
static int lobby_watch(struct lobby *l, int fd, int op, bool leaver)
{
	struct epoll_event ev = {.events = leaver ? EPOLLIN : EPOLLIN | EPOLLET,
	                         .data.u64 = (uint64_t)(unsigned)fd | (leaver ? LOBBY_LEAVER : 0)};
	return epoll_ctl(l->ep, op, fd, &ev);
}

/* part — the leaver i is closed and leaves the list. */
static void part(struct lobby *l, unsigned i)
{
	close(l->leavers[i].fd);
	l->leavers[i] = l->leavers[--l->leaving];
}

/* send_away — guest i gets the busy reply (503) and leaves the lobby; it stays a
 * leaver until its client closes. With the leavers full, the one leaving longest is
 * closed first: it has had its answer and our FIN for a while. */
static void send_away(struct pool *p, struct lobby *l, unsigned i)
{
	int fd = l->guests[i].fd;

	memmove(&l->guests[i], &l->guests[i + 1], (l->n - i - 1) * sizeof l->guests[0]);
	l->n--;
	if (!net_refuse_start(fd, p->srv->busy) || lobby_watch(l, fd, EPOLL_CTL_MOD, true) != 0) {
		close(fd);
		return;
	}
	if (l->leaving == LIMIT_LOBBY) {
		unsigned oldest = 0;
		for (unsigned k = 1; k < l->leaving; k++)
			if (l->leavers[k].until < l->leavers[oldest].until)
				oldest = k;
		part(l, oldest);
	}
	l->leavers[l->leaving++] = (struct leaver){fd, net_now_ms() + LIMIT_REFUSE_WAIT_MS, 0};
}

/* heard — one event of the lobby's: a guest's bytes make it fresh, a leaver's are
 * dropped (and it is closed once done). */
static void heard(struct lobby *l, uint64_t key)
{
	int fd = (int)(uint32_t)key;

	if (!(key & LOBBY_LEAVER)) {
		for (unsigned i = 0; i < l->n; i++)
			if (l->guests[i].fd == fd)
				l->guests[i].fresh = true;
		return;
	}
	for (unsigned i = 0; i < l->leaving; i++)
		if (l->leavers[i].fd == fd) {
			if (!net_discard(fd, &l->leavers[i].dropped, LIMIT_REFUSE_BYTES))
				part(l, i);
			return;
		}
}

/* hear — takes every event the lobby has, then closes the leavers past their time. */
static void hear(struct lobby *l, int64_t now)
{
	struct epoll_event evs[64];
	int n;

	do {
		n = epoll_wait(l->ep, evs, 64, 0);
		for (int e = 0; e < n; e++)
			heard(l, evs[e].data.u64);
	} while (n == 64);
	for (unsigned i = l->leaving; i-- > 0;)
		if (now >= l->leavers[i].until)
			part(l, i);
}

/* look — asks the ops whether a fresh guest's request head is whole. Each asking may
 * peek at all that has arrived: cheap while at most LIMIT_LOOK_BYTES wait; past that
 * it asks again only once they have doubled, so that a client trickling into a long
 * head costs about twice what it sent, not a long peek per byte. (A long head may so
 * be missed until more comes: it then waits for a free slot.) Returns true when the
 * guest's head has just become whole. */
static bool look(const struct pool *p, struct guest *g)
{
	int waiting = 0;

	if (!g->fresh || g->ready || !p->srv->ops->ready)
		return false;
	g->fresh = false;
	if (ioctl(g->fd, FIONREAD, &waiting) != 0)
		return false;
	if ((size_t)waiting > g->looked &&
	    ((size_t)waiting <= LIMIT_LOOK_BYTES || (size_t)waiting >= 2 * g->looked)) {
		g->looked = (size_t)waiting;
		g->ready = p->srv->ops->ready(g->fd);
	}
	return g->ready;
}

/* stale — the oldest guest whose head is still not whole after LIMIT_EVICT_QUIET_MS
 * in the lobby (the standard a parked connection is evicted by), or -1. */
static int stale(const struct lobby *l, int64_t now)
{
	for (unsigned i = 0; i < l->n; i++)
		if (!l->guests[i].ready && now - l->guests[i].since >= LIMIT_EVICT_QUIET_MS)
			return (int)i;
	return -1;
}

/* enter — accepts one newcomer from the listen backlog into the lobby (which has
 * room); false when none was waiting. One the lobby cannot watch is refused. */
static bool enter(struct pool *p, struct lobby *l, int listener)
{
	struct guest *g = &l->guests[l->n];

	g->fd = net_accept(listener, &g->peer);
	if (g->fd < 0)
		return false;
	if (lobby_watch(l, g->fd, EPOLL_CTL_ADD, false) != 0) {
		net_refuse(g->fd, p->srv->busy);
		return true;
	}
	g->since = net_now_ms();
	g->looked = 0;
	g->fresh = true; /* its bytes may have come before the watch */
	g->ready = false;
	l->n++;
	return true;
}

/* welcome — accepts the newcomers waiting in the listen backlog into the lobby. When
 * it is full, a stale guest (if any) gets the busy reply to make room for each. */
static void welcome(struct pool *p, struct lobby *l, int listener)
{
	struct pollfd backlog = {.fd = listener, .events = POLLIN};

	do {
		if (l->n == LIMIT_LOBBY) {
			int i = stale(l, net_now_ms());
			if (i < 0)
				return;
			send_away(p, l, (unsigned)i);
		}
		if (!enter(p, l, listener))
			return;
	} while (poll(&backlog, 1, 0) == 1);
}

/* seat — gives a guest a slot and parks it there; false when no slot can be had now.
 * A guest that cannot be opened (out of memory) gets the busy reply instead. */
static bool seat(struct pool *p, struct lobby *l, struct guest *g, int64_t now)
{
	pthread_mutex_lock(&p->lock);
	struct slot *s = room(p, now, g->ready);
	pthread_mutex_unlock(&p->lock);
	if (!s)
		return false;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, g->fd, NULL); /* from now on the slot's events */
	if (!open_in(p, s, g->fd, &g->peer))
		net_refuse(g->fd, p->srv->busy);
	return true;
}

/* seat_all — seats, in arrival order, the guests whose head is whole (ready) or not,
 * until no slot can be had; the others keep their places. false when none was left. */
static bool seat_all(struct pool *p, struct lobby *l, bool ready, int64_t now)
{
	bool room_left = true;
	unsigned kept = 0;

	for (unsigned i = 0; i < l->n; i++) {
		struct guest *g = &l->guests[i];
		if (room_left && g->ready == ready && (room_left = seat(p, l, g, now)))
			continue;
		l->guests[kept++] = *g;
	}
	l->n = kept;
	return room_left;
}

/* admit — gives the lobby's guests slots while slots can be had (room): first the guests
 * whose whole request head has arrived, as their turn answers at once, then the others
 * (who take no one's slot: a free one, or one that only waits to close), each in
 * arrival order. When no room was found, the next try waits a tick, or a head that
 * becomes whole: looking for room at the cap costs a pass over every slot. Guests that
 * waited LIMIT_CAP_WAIT_MS get the busy reply instead. */
static void admit(struct pool *p, struct lobby *l, int64_t now)
{
	bool whole = false;

	for (unsigned i = 0; i < l->n; i++)
		whole |= look(p, &l->guests[i]);
	if (l->n > 0 && (whole || now >= l->retry)) {
		bool room_left = seat_all(p, l, true, now) && seat_all(p, l, false, now);
		l->retry = room_left ? 0 : now + LIMIT_POOL_TICK_MS;
	}
	while (l->n > 0 && now - l->guests[0].since >= LIMIT_CAP_WAIT_MS)
		send_away(p, l, 0);
}

/* lobby_due — when the lobby next needs the loop without an event: a leaver's time is
 * up, the oldest guest is owed the busy reply, or guests are to be tried again. */
static int64_t lobby_due(const struct lobby *l)
{
	int64_t due = INT64_MAX;

	for (unsigned i = 0; i < l->leaving; i++)
		if (l->leavers[i].until < due)
			due = l->leavers[i].until;
	if (l->n > 0 && l->guests[0].since + LIMIT_CAP_WAIT_MS < due)
		due = l->guests[0].since + LIMIT_CAP_WAIT_MS;
	if (l->n > 0 && l->retry < due)
		due = l->retry;
	return due;
}

/* lobby_close — at the stop: every guest and leaver closed, and the epoll set. */
static void lobby_close(struct lobby *l)
{
	for (unsigned i = 0; i < l->n; i++)
		close(l->guests[i].fd);
	while (l->leaving > 0)
		part(l, l->leaving - 1);
	close(l->ep);
}

/* ---- deadlines ---- */

/* expire_due — every parked connection whose deadline has passed gets expire; the
 * slots are taken first, under the lock, then answered outside it. Returns the next
 * deadline of the others, or until if that is sooner, or INT64_MAX when there are no
 * connections (nothing to watch until one comes). */
static int64_t expire_due(struct pool *p, int64_t now, int64_t until)
{
	struct slot *due[LIMIT_CONNECTIONS];
	unsigned n = 0;
	bool any = false;

	pthread_mutex_lock(&p->lock);
	for (unsigned i = 0; i < LIMIT_CONNECTIONS; i++) {
		struct slot *s = &p->slots[i];
		any |= s->state != SLOT_FREE;
		if (s->state == SLOT_PARKED && now >= s->deadline)
			due[n++] = claim(s);
		else if (s->state == SLOT_PARKED && s->deadline < until)
			until = s->deadline;
	}
	pthread_mutex_unlock(&p->lock);
	if (!any)
		until = INT64_MAX;
	for (unsigned i = 0; i < n; i++) {
		int64_t deadline = p->srv->ops->expire(due[i]->conn, false);
		pthread_mutex_lock(&p->lock);
		settle(p, due[i], deadline);
		pthread_mutex_unlock(&p->lock);
	}
	return until;
}

/* ---- the loop ---- */

/* pool_loop — accepts into the lobby and admits from it, and wakes at the next deadline
 * or tick, whichever is first (deadlines to the millisecond: a 408 comes when the limit
 * says, not a tick late); with no connections it sleeps until one comes, or the lobby
 * needs it. The listener is not watched while the lobby is full and none of its guests
 * may give up its place. Returns 0 on a stop signal, -1 if poll or epoll fails. */
static int pool_loop(struct pool *p, int listener, int sig)
{
	struct lobby lobby = {.ep = epoll_create1(EPOLL_CLOEXEC)};
	int64_t wake = 0;
	int rc = 0;

	if (lobby.ep < 0)
		return -1;
	for (;;) {
		struct pollfd fds[3] = {
			{.fd = sig, .events = POLLIN},      /* SIGINT or SIGTERM */
			{.fd = lobby.ep, .events = POLLIN}, /* a guest's bytes, a leaver's */
			{.fd = listener, .events = POLLIN}, /* a newcomer */
		};
		int64_t now = net_now_ms();
		bool listening = lobby.n < LIMIT_LOBBY || stale(&lobby, now) >= 0;
		int64_t until = wake < lobby_due(&lobby) ? wake : lobby_due(&lobby);
		int timeout = until == INT64_MAX ? -1 : until > now ? (int)(until - now) : 0;
		if (poll(fds, listening ? 3 : 2, timeout) < 0 && errno != EINTR) {
			rc = -1;
			break;
		}
		if (fds[0].revents)
			break;
		now = net_now_ms();
		hear(&lobby, now);
		if (listening && fds[2].revents) {
			welcome(p, &lobby, listener);
			if (wake == INT64_MAX)
				wake = 0; /* connections to watch: tick again */
		}
		admit(p, &lobby, now);
		now = net_now_ms();
		if (now >= wake) {
			wake = expire_due(p, now, now + LIMIT_POOL_TICK_MS);
			keep_free(p, now);
		}
	}
	lobby_close(&lobby);
	return rc;
}

/* ---- start and stop ---- */

/* realtime_in — the CLOCK_REALTIME time ms from now, for pthread_cond_timedwait. */
static struct timespec realtime_in(int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/* stop_all — closes the parked connections, cuts the busy ones short, wakes every
 * thread and waits (at most LIMIT_STOP_WAIT_MS) for them to go. */
static void stop_all(struct pool *p)
{
	uint64_t one = 1;
	struct timespec until = realtime_in(LIMIT_STOP_WAIT_MS);

	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	for (unsigned i = 0; i < LIMIT_CONNECTIONS; i++) {
		struct slot *s = &p->slots[i];
		if (s->state == SLOT_PARKED)
			release(p, s);
		else if (s->state == SLOT_BUSY)
			shutdown(s->fd, SHUT_RDWR); /* its thread closes it when the turn ends */
	}
	if (write(p->stop, &one, sizeof one) < 0) {
		/* cannot fail: the counter is far from full */
	}
	while (p->threads > 0)
		if (pthread_cond_timedwait(&p->gone, &p->lock, &until) != 0)
			break;
	pthread_mutex_unlock(&p->lock);
}

/* pool_new — the pool with its epoll set; NULL with errno set. */
static struct pool *pool_new(const struct pool_server *srv)
{
	struct pool *p = calloc(1, sizeof *p);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = POOL_STOP_KEY};

	if (!p)
		return NULL;
	p->srv = srv;
	p->ep = epoll_create1(EPOLL_CLOEXEC);
	p->stop = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->ep < 0 || p->stop < 0 || epoll_ctl(p->ep, EPOLL_CTL_ADD, p->stop, &ev) != 0) {
		int saved = errno;
		if (p->ep >= 0)
			close(p->ep);
		if (p->stop >= 0)
			close(p->stop);
		free(p);
		errno = saved;
		return NULL;
	}
	for (unsigned i = 0; i < LIMIT_CONNECTIONS; i++)
		p->slots[i].fd = -1;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	p->base = cores < 1 ? 1 : cores > LIMIT_POOL_BASE_THREADS ? LIMIT_POOL_BASE_THREADS
	                                                          : (unsigned)cores;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->gone, NULL);
	return p;
}

/* pool_free — only a quiet pool is freed: a thread still running would touch it, and
 * the process is about to exit anyway. */
static void pool_free(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	bool quiet = p->threads == 0;
	pthread_mutex_unlock(&p->lock);
	if (!quiet)
		return;
	close(p->ep);
	close(p->stop);
	pthread_cond_destroy(&p->gone);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* pool_start — a pool with its base threads running; NULL with errno set. */
static struct pool *pool_start(const struct pool_server *srv)
{
	struct pool *p = pool_new(srv);
	bool started = p != NULL;

	if (!p)
		return NULL;
	pthread_mutex_lock(&p->lock);
	while (p->threads < p->base && (started = spawn(p))) {
	}
	pthread_mutex_unlock(&p->lock);
	if (started)
		return p;
	int saved = errno;
	stop_all(p);
	pool_free(p);
	errno = saved;
	return NULL;
}

int pool_serve(int listener, const struct pool_server *srv, char err[LIMIT_ERR_LEN])
{
	int sig = net_stop_signalfd();
	struct pool *p = sig < 0 ? NULL : pool_start(srv);

	if (!p) {
		snprintf(err, LIMIT_ERR_LEN, "cannot start serving: %s", strerror(errno));
		if (sig >= 0)
			close(sig);
		return -1;
	}
	int rc = pool_loop(p, listener, sig);
	if (rc < 0)
		snprintf(err, LIMIT_ERR_LEN, "waiting for connections: %s", strerror(errno));
	stop_all(p);
	close(sig);
	pool_free(p);
	return rc;
}
