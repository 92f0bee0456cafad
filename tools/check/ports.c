/* ports.c — the kernel's socket tables, read as text.
 *
 * A line of /proc/net/tcp (tcp6 has longer addresses) reads
 *   sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
 *   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 1000 0 12345
 * with the port in hex after the local address's colon, and st 0A for LISTEN. */
#include "ports.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TCP_LISTEN 0x0A
#define GROUP_SOCKETS_MAX 64

/* One listening socket: its port and inode. */
struct listener {
	int port;
	unsigned long inode;
};

/* parse_line — a listener from one line of the table; false for any other state. */
static bool parse_line(const char *line, struct listener *out)
{
	char local[64];
	unsigned state;
	unsigned long inode;

	/* sl, local, remote, st, queues, timer, retransmits, uid, timeout, inode */
	if (sscanf(line, "%*s %63s %*s %x %*s %*s %*s %*s %*s %lu", local, &state, &inode) != 3 ||
	    state != TCP_LISTEN)
		return false;
	const char *colon = strrchr(local, ':');
	if (!colon)
		return false;
	out->port = (int)strtol(colon + 1, NULL, 16);
	out->inode = inode;
	return true;
}

/* listeners — every listening socket of both tables into out[0..cap); returns the count. */
static size_t listeners(struct listener *out, size_t cap)
{
	static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	char line[512];
	size_t n = 0;

	for (size_t t = 0; t < 2; t++) {
		FILE *f = fopen(tables[t], "r");
		if (!f)
			continue;
		while (n < cap && fgets(line, sizeof line, f))
			if (parse_line(line, &out[n]))
				n++;
		fclose(f);
	}
	return n;
}

bool ports_listening(int port, unsigned long *inode)
{
	struct listener l[256];
	size_t n = listeners(l, sizeof l / sizeof l[0]);

	for (size_t i = 0; i < n; i++)
		if (l[i].port == port) {
			if (inode)
				*inode = l[i].inode;
			return true;
		}
	return false;
}

/* socket_inodes — the inodes of the sockets process pid holds, into out[0..cap). */
static size_t socket_inodes(pid_t pid, unsigned long *out, size_t cap)
{
	char dir[64], link[PATH_MAX], target[64];
	size_t n = 0;

	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
	DIR *d = opendir(dir);
	if (!d)
		return 0; /* gone, or not ours to look into */
	for (struct dirent *e; n < cap && (e = readdir(d));) {
		snprintf(link, sizeof link, "%s/%s", dir, e->d_name);
		ssize_t len = readlink(link, target, sizeof target - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "socket:[%lu]", &out[n]) == 1)
			n++;
	}
	closedir(d);
	return n;
}

/* group_of — the process group of pid (field 5 of /proc/PID/stat), or -1. */
static pid_t group_of(pid_t pid)
{
	char path[64], text[512];
	int pgrp = -1;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *after = strrchr(text, ')'); /* the command's name may hold anything */
	if (!after || sscanf(after + 1, " %*c %*d %d", &pgrp) != 1)
		return -1;
	return pgrp;
}

/* each_process — calls fn(pid, arg) for every process until it returns true; returns
 * that pid, or 0. */
static pid_t each_process(bool (*fn)(pid_t, void *), void *arg)
{
	DIR *d = opendir("/proc");
	pid_t found = 0;

	if (!d)
		return 0;
	for (struct dirent *e; !found && (e = readdir(d));)
		if (isdigit((unsigned char)e->d_name[0]) && fn(atoi(e->d_name), arg))
			found = atoi(e->d_name);
	closedir(d);
	return found;
}

/* holds — true when pid holds the socket *(unsigned long *)arg. */
static bool holds(pid_t pid, void *arg)
{
	unsigned long inodes[GROUP_SOCKETS_MAX], want = *(unsigned long *)arg;
	size_t n = socket_inodes(pid, inodes, GROUP_SOCKETS_MAX);

	for (size_t i = 0; i < n; i++)
		if (inodes[i] == want)
			return true;
	return false;
}

pid_t ports_owner(unsigned long inode)
{
	return each_process(holds, &inode);
}

/* What ports_of_group gathers while it walks the processes. */
struct group_walk {
	pid_t pgid;
	struct listener all[256];
	size_t nall;
	int *out;
	size_t cap, n;
};

/* add_group_ports — for each process of the group, the listeners among its sockets. */
static bool add_group_ports(pid_t pid, void *arg)
{
	struct group_walk *w = arg;
	unsigned long inodes[GROUP_SOCKETS_MAX];

	if (group_of(pid) != w->pgid)
		return false;
	size_t n = socket_inodes(pid, inodes, GROUP_SOCKETS_MAX);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < w->nall && w->n < w->cap; j++)
			if (w->all[j].inode == inodes[i])
				w->out[w->n++] = w->all[j].port;
	return false; /* on to the next process */
}

size_t ports_of_group(pid_t pgid, int *out, size_t cap)
{
	struct group_walk *w = calloc(1, sizeof *w);
	size_t n = 0;

	if (!w)
		return 0;
	*w = (struct group_walk){.pgid = pgid, .out = out, .cap = cap};
	w->nall = listeners(w->all, sizeof w->all / sizeof w->all[0]);
	each_process(add_group_ports, w);
	n = w->n;
	free(w);
	return n;
}
