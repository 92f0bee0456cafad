/* exercise.c — the commands around the student's own server.c: exercise (write the
 * starter), diff (theirs against the reference), changes (what a lesson adds to the one
 * before) and solution (the reference, after asking). */
#include "exercise.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "file.h"
#include "input.h"
#include "lab.h"
#include "solution.h"
#include "workspace.h"

#define SOURCE_MAX (1024 * 1024) /* a lesson's server.c larger than this is a mistake */

/* reference_path — lessons/NN-slug/server.c. */
static void reference_path(const struct catalog_lesson *l, char *out, size_t cap)
{
	snprintf(out, cap, "%s/server.c", l->dir);
}

/* lesson_arg — the lesson named by argv[1] when argc is 2; else NULL after a usage
 * line or a sentence. */
static struct catalog_lesson *lesson_arg(struct lab *lab, const char *cmd, int argc, char **argv)
{
	if (argc != 2) {
		usage_error(lab, cmd);
		return NULL;
	}
	return find_lesson_or_say(lab, argv[1]);
}

/* make_starter — the starter of lesson l into a new buffer *out (caller frees); the
 * number of regions, or -1 after a sentence. */
static int make_starter(struct lab *lab, const struct catalog_lesson *l, char **out, size_t *len)
{
	char path[PATH_MAX + 16], *src;
	size_t n;
	struct solution_error err;
	FILE *f;

	reference_path(l, path, sizeof path);
	if (file_read(path, SOURCE_MAX, &src, &n) != 0) {
		lab_error(lab, "cannot read %s", path);
		return -1;
	}
	*out = NULL;
	if (!(f = open_memstream(out, len))) {
		free(src);
		lab_error(lab, "out of memory");
		return -1;
	}
	int regions = solution_strip(src, n, f, &err);
	free(src);
	if (fclose(f) != 0 && regions >= 0)
		regions = -1, snprintf(err.text, sizeof err.text, "out of memory"), err.line = 0;
	if (regions < 0) {
		lab_error(lab, "%s:%d: %s", path, err.line, err.text);
		free(*out);
		*out = NULL;
	}
	return regions;
}

/* keep_old — with --force, the file about to be replaced is kept as server.c.bak. */
static int keep_old(struct lab *lab, const char *path)
{
	char bak[PATH_MAX + 8];

	snprintf(bak, sizeof bak, "%s.bak", path);
	if (rename(path, bak) != 0) {
		lab_error(lab, "cannot keep your %s as %s: %s; nothing was written", path, bak,
		          strerror(errno));
		return -1;
	}
	lab_note(lab, "your old file is kept as %s", bak);
	return 0;
}

/* write_starter — writes text to WORKSPACE/NN-slug/server.c unless a file is there and
 * force is off. Returns a lab_status. */
static int write_starter(struct lab *lab, const struct catalog_lesson *l, const char *text,
                         size_t len, bool force)
{
	char dir[PATH_MAX], path[PATH_MAX];

	if (ws_lesson_path(lab, l, "", dir, sizeof dir) != 0 ||
	    ws_lesson_path(lab, l, "server.c", path, sizeof path) != 0) {
		lab_error(lab, "the workspace path is too long: %s", lab->workspace);
		return LAB_FAIL;
	}
	if (access(path, F_OK) == 0 && !force) {
		lab_error(lab, "%s already exists, and it may hold your work, so it was left alone. "
		          "%sdiff %d shows it against the reference; --force replaces it (keeping "
		          "it as server.c.bak).", path, lab_typed(lab), l->number);
		return LAB_FAIL;
	}
	if (ws_mkdirs(dir) != 0) {
		lab_error(lab, "cannot create %s: %s", dir, strerror(errno));
		return LAB_FAIL;
	}
	if (access(path, F_OK) == 0 && keep_old(lab, path) != 0)
		return LAB_FAIL;
	if (ws_write_file(path, text, len) != 0) {
		lab_error(lab, "cannot write %s: %s", path, strerror(errno));
		return LAB_FAIL;
	}
	return LAB_OK;
}

int cmd_exercise(struct lab *lab, int argc, char **argv)
{
	struct opts o;
	struct catalog_lesson *l;
	char *text, path[PATH_MAX];
	size_t len;

	if (opts_parse(lab, "exercise", &argc, argv, OPT_FORCE, &o) != 0)
		return LAB_USAGE;
	if (!(l = lesson_arg(lab, "exercise", argc, argv)))
		return argc != 2 ? LAB_USAGE : LAB_FAIL;
	int regions = make_starter(lab, l, &text, &len);
	if (regions < 0)
		return LAB_FAIL;
	if (regions == 0) {
		free(text);
		lab_error(lab, "lesson %02d has no solution regions to write yet", l->number);
		return LAB_FAIL;
	}
	int rc = write_starter(lab, l, text, len, o.force);
	free(text);
	if (rc != LAB_OK)
		return rc;
	ws_lesson_path(lab, l, "server.c", path, sizeof path);
	printf("wrote %s: %d place%s marked TODO for you to write.\n", path, regions,
	       regions == 1 ? "" : "s");
	lab_note(lab, "it builds and runs as it is; %scheck %d grades it, %sdiff %d shows what "
	         "you changed against the reference", lab_typed(lab), l->number,
	         lab_typed(lab), l->number);
	return LAB_OK;
}

/* run_diff — diff -u of two files under the labels given; diff's status 1 (they differ)
 * is not a failure. */
static int run_diff(struct lab *lab, const char *a, const char *a_label, const char *b,
                    const char *b_label)
{
	char *argv[] = {"diff", "-u", "--label", (char *)a_label, "--label", (char *)b_label,
	                (char *)a, (char *)b, NULL};
	int rc = lab_run(lab, argv);

	if (rc == 0)
		lab_note(lab, "(no difference)");
	if (rc < 0 || rc > 1) {
		lab_error(lab, "diff failed%s", rc < 0 ? ": is diffutils installed?" : "");
		return LAB_FAIL;
	}
	return LAB_OK;
}

int cmd_diff(struct lab *lab, int argc, char **argv)
{
	struct catalog_lesson *l = lesson_arg(lab, "diff", argc, argv);
	char ref[PATH_MAX + 16], mine[PATH_MAX], a[96], b[96];

	if (!l)
		return argc != 2 ? LAB_USAGE : LAB_FAIL;
	reference_path(l, ref, sizeof ref);
	if (ws_lesson_path(lab, l, "server.c", mine, sizeof mine) != 0 || access(mine, R_OK) != 0) {
		lab_error(lab, "you have no %s yet: %sexercise %d writes a starter there",
		          mine, lab_typed(lab), l->number);
		return LAB_FAIL;
	}
	snprintf(a, sizeof a, "reference/%s/server.c", l->name);
	snprintf(b, sizeof b, "workspace/%s/server.c", l->name);
	return run_diff(lab, ref, a, mine, b);
}

int cmd_changes(struct lab *lab, int argc, char **argv)
{
	struct catalog_lesson *l = lesson_arg(lab, "changes", argc, argv), *prev = NULL;
	char a[PATH_MAX + 16], b[PATH_MAX + 16], la[96], lb[96];

	if (!l)
		return argc != 2 ? LAB_USAGE : LAB_FAIL;
	for (size_t i = 0; i < lab->lessons.n && lab->lessons.items[i].number < l->number; i++)
		prev = &lab->lessons.items[i];
	if (!prev) {
		lab_error(lab, "lesson %02d is the first: there is nothing before it to compare with "
		          "(%sread %d tells what it does)", l->number, lab_typed(lab),
		          l->number);
		return LAB_FAIL;
	}
	reference_path(prev, a, sizeof a);
	reference_path(l, b, sizeof b);
	snprintf(la, sizeof la, "lessons/%s/server.c", prev->name);
	snprintf(lb, sizeof lb, "lessons/%s/server.c", l->name);
	return run_diff(lab, a, la, b, lb);
}

/* confirmed — asks on the shell whether to show the solution; one-shot mode asks for
 * --yes instead, since stdin may be a script. */
static bool confirmed(struct lab *lab, const struct catalog_lesson *l, bool yes)
{
	char *line = NULL;

	if (yes)
		return true;
	if (!lab->input) {
		lab_error(lab, "lab solution %d prints the reference answer; say lab solution %d --yes "
		          "if you want it", l->number, l->number);
		return false;
	}
	char prompt[96];
	snprintf(prompt, sizeof prompt, "show lesson %02d's solution? [y/N] ", l->number);
	bool ok = input_read(lab, prompt, false, &line) == INPUT_LINE && line &&
	          (line[0] == 'y' || line[0] == 'Y');
	free(line);
	if (!ok)
		lab_note(lab, "not shown");
	return ok;
}

int cmd_solution(struct lab *lab, int argc, char **argv)
{
	struct opts o;
	struct catalog_lesson *l;
	char path[PATH_MAX + 16], *src;
	size_t len;

	if (opts_parse(lab, "solution", &argc, argv, OPT_YES, &o) != 0)
		return LAB_USAGE;
	if (!(l = lesson_arg(lab, "solution", argc, argv)))
		return argc != 2 ? LAB_USAGE : LAB_FAIL;
	if (!confirmed(lab, l, o.yes))
		return LAB_FAIL;
	reference_path(l, path, sizeof path);
	if (file_read(path, SOURCE_MAX, &src, &len) != 0) {
		lab_error(lab, "cannot read %s", path);
		return LAB_FAIL;
	}
	lab_note(lab, "--- %s (the regions between BEGIN and END SOLUTION are yours to write)",
	         path);
	fwrite(src, 1, len, stdout);
	free(src);
	return LAB_OK;
}
