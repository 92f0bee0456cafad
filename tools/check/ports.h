/* ports.h — who listens where, read from the kernel's own tables (/proc/net/tcp and
 * tcp6, /proc/PID/fd), so check learns that a server is ready without connecting to it:
 * a connection it made would reach the server as one more request. */
#ifndef WIRELAB_PORTS_H
#define WIRELAB_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* ports_listening — true when a TCP socket (IPv4 or IPv6, any address) listens on port;
 * its inode into *inode when inode is not NULL. */
bool ports_listening(int port, unsigned long *inode);

/* ports_owner — a process holding the socket of that inode, or 0 when none of the
 * processes we may look into does. */
pid_t ports_owner(unsigned long inode);

/* ports_of_group — the ports the processes of group pgid listen on, into out[0..cap);
 * returns how many were found (at most cap). */
size_t ports_of_group(pid_t pgid, int *out, size_t cap);

#endif
