/* watch.c — check again each time a C file of the exercise is saved: inotify on
 * workspace/NN-slug/, and the signalfd for Ctrl-C. */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "catalog.h"
#include "check.h"
#include "lab.h"
#include "limit.h"
#include "workspace.h"


/* is_source — a name worth re-checking for: C source or header, not an editor's
 * backup or swap file. */
static bool is_source(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 2 &&
	       (strcmp(name + n - 2, ".c") == 0 || strcmp(name + n - 2, ".h") == 0);
}

/* saved — reads inotify events; true when one was a source file being saved. */
static bool saved(int fd)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool hit = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)p;
			if (e->len && is_source(e->name))
				hit = true;
			p += sizeof *e + e->len;
		}
	return hit;
}

/* wait_save — waits for a save, then for the editor to finish its burst of events.
 * Returns true for a save, false for Ctrl-C (or SIGTERM). */
static bool wait_save(struct lab *lab, int fd)
{
	for (;;) {
		struct pollfd p[2] = {{lab->sigfd, POLLIN, 0}, {fd, POLLIN, 0}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return false;
		if (p[0].revents & POLLIN) {
			lab_interrupted(lab);
			return false;
		}
		if ((p[1].revents & POLLIN) && saved(fd)) {
			struct pollfd q = {fd, POLLIN, 0};
			while (poll(&q, 1, LIMIT_LAB_WATCH_SETTLE_MS) > 0)
				saved(fd);
			return true;
		}
	}
}

int watch_lesson(struct lab *lab, struct catalog_lesson *l, const struct check_options *o)
{
	char dir[PATH_MAX];
	int rc;

	if (ws_lesson_path(lab, l, "", dir, sizeof dir) != 0 || access(dir, F_OK) != 0) {
		lab_error(lab, "there is no %s to watch: %sexercise %d makes it", dir,
		          lab_typed(lab), l->number);
		return LAB_FAIL;
	}
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0 || inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		lab_error(lab, "cannot watch %s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return LAB_FAIL;
	}
	do {
		rc = check_lesson(lab, l, o);
		lab_note(lab, "watching %s: save a file to check again, Ctrl-C to stop", dir);
		fflush(stdout);
	} while (!lab->quit && wait_save(lab, fd));
	close(fd);
	return rc;
}
