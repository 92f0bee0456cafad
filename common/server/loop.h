/* loop.h — the server loop of lessons 01-02: one connection at a time, on the calling
 * thread, like socketserver's TCPServer or tiny.c's main loop:
 *
 *     wait for a client → accept → serve → close → wait for the next
 *
 * While one connection is served, the next clients wait in the kernel's listen queue.
 * No thread is needed to keep a connection from holding the server for ever: every
 * read a handler makes has a deadline (net_read, net_readline), and every write a
 * send timeout (net_accept). A stop signal that comes during a connection also ends
 * the handler's reads at once (net_read), so the server stops soon after it.
 *
 * The HTTP lessons (03 on) serve many connections at once: pool.h. */
#ifndef WIRELAB_LOOP_H
#define WIRELAB_LOOP_H

#include "net.h"

/* loop_serve — serves the connections accepted on listener one at a time: serve(fd,
 * peer, ctx), then closes fd. On SIGINT or SIGTERM it stops accepting and returns 0:
 * at once between connections, else when the connection being served has ended (its
 * reads fail as soon as the signal comes). Returns -1 with err set if it cannot start
 * or cannot wait. Blocks SIGINT, SIGTERM and SIGPIPE (net_block_stop_signals). */
int loop_serve(int listener, net_conn_fn serve, void *ctx, char err[LIMIT_ERR_LEN]);

#endif
