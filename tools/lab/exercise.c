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
#include "module.h"
#include "modex.h"
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
	char path[PATH_MAX + 16];

	reference_path(l, path, sizeof path);
	return module_starter(lab, path, out, len);
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
		lab_error(lab,
		          "%s already exists, and it may hold your work, so it was left alone. "
		          "%sdiff %d shows it against the reference; --force replaces it (keeping "
		          "it as server.c.bak).",
		          path, lab_typed(lab), l->number);
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

	if (modex_named(argc, argv)) /* exercise MODULE: a module exercise */
		return modex_exercise(lab, argc, argv);
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
	return modex_lesson_exercise(lab, l->number, o.force);
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

/* ask_yes — asks question on the shell; false for anything but y. One-shot mode (stdin
 * may be a script) asks nothing and answers no. */
static bool ask_yes(struct lab *lab, const char *question)
{
	char *line = NULL;

	if (!lab->input)
		return false;
	bool ok = input_read(lab, question, false, &line) == INPUT_LINE && line &&
	          (line[0] == 'y' || line[0] == 'Y');
	free(line);
	return ok;
}

/* A reference server.c as diff and changes show it: the file itself, or, for a lesson
 * not yet passed, its starter in a temporary file (the solution regions masked). */
struct shown_source {
	char path[PATH_MAX + 16];
	char label[128];
	bool temporary;           /* path is ours to remove */
};

/* masked — lesson l's starter written to a temporary file, for s. Returns 0, or -1
 * after a sentence. */
static int masked(struct lab *lab, const struct catalog_lesson *l, const char *top,
                  struct shown_source *s)
{
	const char *base = getenv("TMPDIR");
	char *text;
	size_t len;

	if (make_starter(lab, l, &text, &len) < 0)
		return -1;
	snprintf(s->path, sizeof s->path, "%s/wirelab-masked-XXXXXX",
	         base && *base ? base : "/tmp");
	int fd = mkstemp(s->path);
	bool ok = fd >= 0 && write(fd, text, len) == (ssize_t)len;
	if (fd >= 0)
		close(fd);
	free(text);
	if (!ok) {
		if (fd >= 0)
			unlink(s->path);
		lab_error(lab, "cannot write a temporary file in %s: %s",
		          base && *base ? base : "/tmp", strerror(errno));
		return -1;
	}
	s->temporary = true;
	snprintf(s->label, sizeof s->label, "%s/%s/server.c (solutions masked)", top, l->name);
	return 0;
}

/* shown — how lesson l's reference is shown, labelled TOP/NN-slug/server.c: whole when
 * reveal, else masked when the lesson has not passed. Returns 0, or -1 after a
 * sentence. */
static int shown(struct lab *lab, const struct catalog_lesson *l, bool reveal, const char *top,
                 struct shown_source *s)
{
	memset(s, 0, sizeof *s);
	if (!reveal && ws_progress(lab, l) != WS_PASSED)
		return masked(lab, l, top, s);
	reference_path(l, s->path, sizeof s->path);
	snprintf(s->label, sizeof s->label, "%s/%s/server.c", top, l->name);
	return 0;
}

static void shown_free(struct shown_source *s)
{
	if (s->temporary)
		unlink(s->path);
	s->temporary = false;
}

/* reveal — whether to show the solution regions of lessons not yet passed (a, and b
 * when not NULL): --yes, or a yes on the shell. Says what is masked when not. */
static bool reveal(struct lab *lab, const char *cmd, const struct catalog_lesson *a,
                   const struct catalog_lesson *b, bool yes)
{
	const struct catalog_lesson *hidden = ws_progress(lab, a) != WS_PASSED ? a
	                                      : b && ws_progress(lab, b) != WS_PASSED ? b : NULL;
	char question[128];

	if (yes || !hidden)
		return true;
	snprintf(question, sizeof question, "lesson %02d has not passed yet: show the reference's "
	         "solutions? [y/N] ", hidden->number);
	if (ask_yes(lab, question))
		return true;
	lab_note(lab, "the reference's solution regions of lessons you have not passed are masked "
	         "(shown as the starter's TODOs): %s%s %d --yes shows them", lab_typed(lab), cmd,
	         hidden->number);
	return false;
}

/* diff_options — --yes and the lesson; NULL (with *rc set) after a sentence. */
static struct catalog_lesson *diff_options(struct lab *lab, const char *cmd, int argc,
                                           char **argv, bool *yes, int *rc)
{
	struct opts o;
	struct catalog_lesson *l = NULL;

	*rc = LAB_USAGE;
	if (opts_parse(lab, cmd, &argc, argv, OPT_YES, &o) != 0)
		return NULL;
	if (!(l = lesson_arg(lab, cmd, argc, argv)))
		*rc = argc != 2 ? LAB_USAGE : LAB_FAIL;
	*yes = o.yes;
	return l;
}

int cmd_diff(struct lab *lab, int argc, char **argv)
{
	struct shown_source ref;
	char mine[PATH_MAX], b[96];
	bool yes;
	int rc;
	struct catalog_lesson *l = diff_options(lab, "diff", argc, argv, &yes, &rc);

	if (!l)
		return rc;
	if (ws_lesson_path(lab, l, "server.c", mine, sizeof mine) != 0 || access(mine, R_OK) != 0) {
		lab_error(lab, "you have no %s yet: %sexercise %d writes a starter there",
		          mine, lab_typed(lab), l->number);
		return LAB_FAIL;
	}
	if (shown(lab, l, reveal(lab, "diff", l, NULL, yes), "reference", &ref) != 0)
		return LAB_FAIL;
	snprintf(b, sizeof b, "workspace/%s/server.c", l->name);
	rc = run_diff(lab, ref.path, ref.label, mine, b);
	shown_free(&ref);
	return rc;
}

int cmd_changes(struct lab *lab, int argc, char **argv)
{
	struct catalog_lesson *prev = NULL;
	struct shown_source a, b;
	bool yes;
	int rc;
	struct catalog_lesson *l = diff_options(lab, "changes", argc, argv, &yes, &rc);

	if (!l)
		return rc;
	for (size_t i = 0; i < lab->lessons.n && lab->lessons.items[i].number < l->number; i++)
		prev = &lab->lessons.items[i];
	if (!prev) {
		lab_error(lab,
		          "lesson %02d is the first: there is nothing before it to compare with "
		          "(%sread %d tells what it does)",
		          l->number, lab_typed(lab), l->number);
		return LAB_FAIL;
	}
	bool all = reveal(lab, "changes", l, prev, yes);
	if (shown(lab, prev, all, "lessons", &a) != 0)
		return LAB_FAIL;
	if (shown(lab, l, all, "lessons", &b) != 0) {
		shown_free(&a);
		return LAB_FAIL;
	}
	rc = run_diff(lab, a.path, a.label, b.path, b.label);
	shown_free(&a);
	shown_free(&b);
	return rc;
}

/* confirmed — asks on the shell whether to show the solution; one-shot mode asks for
 * --yes instead, since stdin may be a script. */
static bool confirmed(struct lab *lab, const struct catalog_lesson *l, bool yes)
{
	char prompt[96];

	if (yes)
		return true;
	if (!lab->input) {
		lab_error(lab,
		          "lab solution %d prints the reference answer; say lab solution %d --yes "
		          "if you want it",
		          l->number, l->number);
		return false;
	}
	snprintf(prompt, sizeof prompt, "show lesson %02d's solution? [y/N] ", l->number);
	bool ok = ask_yes(lab, prompt);
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
