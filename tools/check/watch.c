/* watch.c — check again each time a C file of the exercise is saved: inotify on
 * workspace/NN-slug/ (or on workspace/modules/ for the one file of a module), and the
 * signalfd for Ctrl-C. */
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
#include "module.h"
#include "workspace.h"


/* What is watched, and how it is checked: a lesson (every C file of its folder) or a
 * module (its one file; the folder holds the other modules and each one's saved
 * difference too). */
struct watched {
	const char *only; /* the one file name that counts, or NULL for any C file */
	struct catalog_lesson *lesson;
	const struct check_options *lesson_options;
	const struct module *module;
	const struct module_options *module_options;
};

/* is_source — a name worth re-checking for: C source or header, not an editor's
 * backup or swap file; with only, that file alone. */
static bool is_source(const char *name, const char *only)
{
	size_t n = strlen(name);

	if (only)
		return strcmp(name, only) == 0;
	return name[0] != '.' && n > 2 &&
	       (strcmp(name + n - 2, ".c") == 0 || strcmp(name + n - 2, ".h") == 0);
}

/* saved — reads inotify events; true when one was a source file being saved. */
static bool saved(int fd, const char *only)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool hit = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)p;
			if (e->len && is_source(e->name, only))
				hit = true;
			p += sizeof *e + e->len;
		}
	return hit;
}

/* wait_save — waits for a save, then for the editor to finish its burst of events.
 * Returns true for a save, false for Ctrl-C (or SIGTERM). */
static bool wait_save(struct lab *lab, int fd, const char *only)
{
	for (;;) {
		struct pollfd p[2] = {{lab->sigfd, POLLIN, 0}, {fd, POLLIN, 0}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return false;
		if (p[0].revents & POLLIN) {
			lab_interrupted(lab);
			return false;
		}
		if ((p[1].revents & POLLIN) && saved(fd, only)) {
			struct pollfd q = {fd, POLLIN, 0};
			while (poll(&q, 1, LIMIT_LAB_WATCH_SETTLE_MS) > 0)
				saved(fd, only);
			return true;
		}
	}
}

/* check_once — one check of what w names. */
static int check_once(struct lab *lab, const struct watched *w)
{
	if (w->module)
		return module_check(lab, w->module, w->module_options);
	return check_lesson(lab, w->lesson, w->lesson_options);
}

/* watch_dir — checks w, then again on each save in dir, until Ctrl-C or SIGTERM. */
static int watch_dir(struct lab *lab, const char *dir, const struct watched *w)
{
	int rc;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0 || inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		lab_error(lab, "cannot watch %s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return LAB_FAIL;
	}
	do {
		rc = check_once(lab, w);
		lab_note(lab, "watching %s%s%s: save %s to check again, Ctrl-C to stop", dir,
		         w->only ? "/" : "", w->only ? w->only : "", w->only ? "it" : "a file");
		fflush(stdout);
	} while (!lab->quit && wait_save(lab, fd, w->only));
	close(fd);
	return rc;
}

int watch_lesson(struct lab *lab, struct catalog_lesson *l, const struct check_options *o)
{
	char dir[PATH_MAX];
	struct watched w = {.lesson = l, .lesson_options = o};

	if (ws_lesson_path(lab, l, "", dir, sizeof dir) != 0 || access(dir, F_OK) != 0) {
		lab_error(lab, "there is no %s to watch: %sexercise %d makes it", dir,
		          lab_typed(lab), l->number);
		return LAB_FAIL;
	}
	return watch_dir(lab, dir, &w);
}

int watch_module(struct lab *lab, const struct module *m, const struct module_options *o)
{
	char dir[PATH_MAX], file[NAME_MAX + 1], path[PATH_MAX];
	struct watched w = {.only = file, .module = m, .module_options = o};
	int a = snprintf(dir, sizeof dir, "%s/modules", lab->workspace);
	int b = snprintf(path, sizeof path, "%s/%s.c", dir, m->name);

	snprintf(file, sizeof file, "%s.c", m->name);
	if (a < 0 || b < 0 || (size_t)a >= sizeof dir || (size_t)b >= sizeof path) {
		lab_error(lab, "the workspace path is too long: %s", lab->workspace);
		return LAB_FAIL;
	}
	if (access(path, F_OK) != 0) {
		lab_error(lab, "there is no %s to watch: %sexercise %s makes it", path,
		          lab_typed(lab), m->name);
		return LAB_FAIL;
	}
	return watch_dir(lab, dir, &w);
}
