/* lessons.c — the commands about the lessons themselves: lessons (the list, with the
 * student's progress and what each exercise asks for), read (a lesson's text, through a pager) and
 * requests (its canned requests). */
#include "lessons.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catalog.h"
#include "commands.h"
#include "file.h"
#include "hint.h"
#include "lab.h"
#include "modex.h"
#include "show.h"
#include "workspace.h"

/* show_map — what the student writes in lesson l and what checks it, from the "What you
 * write:" and "What checks it:" lines of its hints.md; nothing when it has none. */
static void show_map(const struct lab *lab, const struct catalog_lesson *l)
{
	const struct style *st = &lab->style;
	char path[PATH_MAX + 16], err[160];
	struct hints h;

	hints_lesson_path(l, path, sizeof path);
	if (hints_load(path, &h, err, sizeof err) == 0) {
		if (h.write.len)
			printf("    %syou write:%s %.*s\n", style_on(st, ST_DIM),
			       style_on(st, ST_RESET), (int)h.write.len, h.write.p);
		if (h.check.len)
			printf("    %schecked by %scheck %d:%s %.*s\n", style_on(st, ST_DIM),
			       lab_typed(lab), l->number, style_on(st, ST_RESET), (int)h.check.len,
			       h.check.p);
	}
	hints_free(&h);
}

int cmd_lessons(struct lab *lab, int argc, char **argv)
{
	const struct style *st = &lab->style;
	char exe[PATH_MAX + 16];

	(void)argv;
	if (argc > 1)
		return usage_error(lab, "lessons");
	if (lab->lessons.n == 0) {
		lab_error(lab, "no lessons found under %s/lessons (set WIRELAB_ROOT?)", lab->root);
		return LAB_FAIL;
	}
	for (size_t i = 0; i < lab->lessons.n; i++) {
		const struct catalog_lesson *l = &lab->lessons.items[i];
		catalog_binary(l, lab->bindir, exe, sizeof exe);
		bool built = access(exe, X_OK) == 0;
		enum ws_state progress = ws_progress(lab, l);
		/* "—" is three bytes and one column: padded by hand, not by printf */
		printf("%s%02d%s  %-17s %-7s %s%s%s\n", style_on(st, ST_BOLD), l->number,
		       style_on(st, ST_RESET), l->slug,
		       progress == WS_PASSED    ? "passes"
		       : progress == WS_STARTED ? "started"
		                                : "—      ",
		       l->summary, built ? "" : " (not built: run make)",
		       lab->server.running && lab->server.lesson == l->number ? "  [running]" : "");
		show_map(lab, l);
	}
	modex_lessons(lab);
	return LAB_OK;
}

/* wait_child — waits for a child we started (a pager) while the lesson server's output
 * keeps flowing into its log. Returns its exit status, or -1. */
static int wait_child(struct lab *lab, pid_t pid)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		struct pollfd fds[2];
		nfds_t n = proc_pollfds(&lab->server, fds, 0);
		if (poll(fds, n, 50) > 0)
			proc_pump(&lab->server);
	}
}

/* page — shows path through the pager: $PAGER when set, else less -R on a terminal;
 * otherwise copies it to stdout. Returns 0, or -1 when the pager could not run. */
static int page(struct lab *lab, const char *path)
{
	const char *pager = getenv("PAGER");

	fflush(stdout);
	if ((!pager || !*pager) && !isatty(1)) {
		FILE *f = fopen(path, "r");
		char buf[8192];
		size_t n;
		if (!f)
			return -1;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(f);
		return 0;
	}
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* $PAGER may hold options ("less -R"), so the shell splits it. */
		execl("/bin/sh", "sh", "-c", "exec ${PAGER:-less -R} \"$1\"", "sh", path,
		      (char *)NULL);
		_exit(127);
	}
	int rc = pid < 0 ? -1 : wait_child(lab, pid);
	lab_drain_signals(lab); /* a Ctrl-C typed in the pager was meant for it */
	return rc == 0 ? 0 : -1;
}

int cmd_read(struct lab *lab, int argc, char **argv)
{
	char path[PATH_MAX + 16];
	struct catalog_lesson *l;

	if (argc != 2)
		return usage_error(lab, "read");
	if (!(l = find_lesson_or_say(lab, argv[1])))
		return LAB_USAGE;
	catalog_readme(l, path, sizeof path);
	if (access(path, R_OK) != 0) {
		lab_error(lab, "lesson %02d has no README.md yet (%s)", l->number, path);
		return LAB_FAIL;
	}
	if (page(lab, path) != 0) {
		lab_error(lab, "the pager failed: try PAGER=cat, or read %s", path);
		return LAB_FAIL;
	}
	return LAB_OK;
}

#define DESCRIPTIONS_MAX (64 * 1024)

/* show_first_line — the first line of a canned request, escaped: what the listing shows
 * of a request that has no description. */
static void show_first_line(const struct lab *lab, const struct catalog_lesson *l, const char *name)
{
	unsigned char *buf;
	size_t len;

	if (catalog_request_read(l, name, &buf, &len) != 0)
		return;
	const unsigned char *lf = memchr(buf, '\n', len);
	size_t n = lf ? (size_t)(lf - buf) + 1 : len;
	if (n > 50)
		n = 50;
	fputs(style_on(&lab->style, ST_DIM), stdout);
	if (n > 0 && buf[n - 1] == '\n') /* the line without its end */
		n -= 1 + (n > 1 && buf[n - 2] == '\r');
	show_escaped(stdout, &lab->style, buf, n);
	fputs(style_on(&lab->style, ST_RESET), stdout);
	free(buf);
}

/* description — the line for name in text, the lesson's requests/descriptions.txt
 * ("NAME  what it shows"; # starts a comment line): its description as a pointer into
 * text and a length, or NULL. */
static const char *description(const char *text, const char *name, size_t *len)
{
	size_t nlen = strlen(name);

	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		size_t end = strcspn(line, "\n");
		if (*line == '#' || strncmp(line, name, nlen) != 0 || (line[nlen] != ' ' &&
		    line[nlen] != '\t'))
			continue;
		const char *d = line + nlen + strspn(line + nlen, " \t");
		*len = end - (size_t)(d - line);
		return d;
	}
	return NULL;
}

/* list_requests — one lesson's requests, each with its description (or, lacking one,
 * its first line). */
static int list_requests(struct lab *lab, const struct catalog_lesson *l, bool heading)
{
	struct catalog_names names;
	char path[PATH_MAX + 32], *text = NULL;
	size_t tlen, dlen;

	if (catalog_requests(l, &names) != 0) {
		lab_error(lab, "out of memory");
		return LAB_FAIL;
	}
	snprintf(path, sizeof path, "%s/requests/descriptions.txt", l->dir);
	if (file_read(path, DESCRIPTIONS_MAX, &text, &tlen) != 0)
		text = NULL;
	if (heading)
		printf("%s%02d %s%s\n", style_on(&lab->style, ST_BOLD), l->number, l->slug,
		       style_on(&lab->style, ST_RESET));
	if (names.n == 0)
		printf("  (lesson %02d has no canned requests)\n", l->number);
	for (size_t i = 0; i < names.n; i++) {
		const char *d = text ? description(text, names.v[i], &dlen) : NULL;
		printf("  %-22s ", names.v[i]);
		if (d)
			printf("%.*s", (int)dlen, d);
		else
			show_first_line(lab, l, names.v[i]);
		putchar('\n');
	}
	free(text);
	catalog_names_free(&names);
	return LAB_OK;
}

int cmd_requests(struct lab *lab, int argc, char **argv)
{
	struct catalog_lesson *l = NULL;

	if (argc > 2)
		return usage_error(lab, "requests");
	if (argc == 2 && !(l = find_lesson_or_say(lab, argv[1])))
		return LAB_USAGE;
	if (!l && lab->server.running)
		l = catalog_by_number(&lab->lessons, lab->server.lesson);
	if (l)
		return list_requests(lab, l, false);
	for (size_t i = 0; i < lab->lessons.n; i++)
		list_requests(lab, &lab->lessons.items[i], true);
	printf("send one with: %ssend N NAME\n", lab_typed(lab));
	return LAB_OK;
}
