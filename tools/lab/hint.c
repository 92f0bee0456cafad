/* hint.c — `hint N|MODULE [REGION]`: the next hint for each solution region, read from
 * the lesson's (or module's) hints file, with how far the student has gone kept in
 * WORKSPACE/hints.json. */
#include "hint.h"

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "commands.h"
#include "file.h"
#include "lab.h"
#include "module.h"
#include "workspace.h"

#define HINTS_FILE_MAX (256 * 1024)
#define HINTS_STATE "hints.json"
#define HINTS_STATE_MAX (1024 * 1024)
#define MODULE_NAME_MAX 32

/* ---- reading a hints file ---------------------------------------------------------- */

/* starts — does the line p[0..n) start with text? */
static bool starts(const char *p, size_t n, const char *text)
{
	size_t k = strlen(text);

	return n >= k && memcmp(p, text, k) == 0;
}

/* trimmed — p[0..n) without blanks at either end. */
static struct hint_text trimmed(const char *p, size_t n)
{
	while (n > 0 && isspace((unsigned char)*p))
		p++, n--;
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	return (struct hint_text){p, n};
}

/* close_level — ends the text of the level being read at end, without the blank lines
 * before it. */
static void close_level(struct hints *h, const char *end)
{
	if (h->n == 0)
		return;
	struct hint_region *r = &h->region[h->n - 1];
	if (r->n == 0)
		return;
	struct hint_text *t = &r->level[r->n - 1].text;
	t->len = (size_t)(end - t->p);
	while (t->len > 0 && isspace((unsigned char)t->p[t->len - 1]))
		t->len--;
}

/* parse_line — one line of the file, p[0..n), numbered no. Returns 0, or -1 with err. */
static int parse_line(struct hints *h, const char *p, size_t n, const char *next, int no,
                      char *err, size_t cap)
{
	if (starts(p, n, "### ")) {
		struct hint_region *r = h->n ? &h->region[h->n - 1] : NULL;
		if (!r) {
			snprintf(err, cap, "line %d: a hint (###) before its region (##)", no);
			return -1;
		}
		if (r->n == HINT_LEVELS_MAX)
			return snprintf(err, cap, "line %d: more than %d hints for one region", no,
			                HINT_LEVELS_MAX), -1;
		close_level(h, p);
		r->level[r->n++] = (struct hint_level){trimmed(p + 4, n - 4), {next, 0}};
	} else if (starts(p, n, "## ")) {
		if (h->n == HINT_REGIONS_MAX)
			return snprintf(err, cap, "line %d: more than %d regions", no,
			                HINT_REGIONS_MAX), -1;
		close_level(h, p);
		h->region[h->n++] = (struct hint_region){.name = trimmed(p + 3, n - 3)};
	} else if (h->n == 0 && starts(p, n, "What you write:")) {
		h->write = trimmed(p + strlen("What you write:"), n - strlen("What you write:"));
	} else if (h->n == 0 && starts(p, n, "What checks it:")) {
		h->check = trimmed(p + strlen("What checks it:"), n - strlen("What checks it:"));
	} else if (h->n > 0 && h->region[h->n - 1].n == 0 && trimmed(p, n).len > 0) {
		return snprintf(err, cap, "line %d: text before the region's first hint (###)",
		                no), -1;
	}
	return 0;
}

int hints_load(const char *path, struct hints *h, char *err, size_t cap)
{
	*h = (struct hints){0};
	int rc = file_read(path, HINTS_FILE_MAX, &h->buf, &h->len);
	if (rc == -1)
		return -1;
	if (rc < 0)
		return snprintf(err, cap, "cannot read it (or it is larger than %d KiB)",
		                HINTS_FILE_MAX / 1024), -2;
	const char *p = h->buf, *end = h->buf + h->len;
	for (int no = 1; p < end; no++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		if (parse_line(h, p, (size_t)((nl ? nl : end) - p), next, no, err, cap) < 0)
			return -2;
		p = next;
	}
	close_level(h, end);
	for (int i = 0; i < h->n; i++)
		if (h->region[i].n == 0)
			return snprintf(err, cap, "region %.*s has no hint (###)",
			                (int)h->region[i].name.len, h->region[i].name.p), -2;
	return 0;
}

void hints_free(struct hints *h)
{
	free(h->buf);
	*h = (struct hints){0};
}

void hints_lesson_path(const struct catalog_lesson *l, char *out, size_t cap)
{
	snprintf(out, cap, "%s/hints.md", l->dir);
}

/* ---- how far the student has gone --------------------------------------------------- */

/* state_path — WORKSPACE/hints.json. Returns 0, or -1 when it does not fit. */
static int state_path(const struct lab *lab, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", lab->workspace, HINTS_STATE);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* state_load — hints.json as an object (the caller releases it); an empty one when it is
 * missing or not ours. NULL only when out of memory. */
static json_t *state_load(const struct lab *lab)
{
	char path[PATH_MAX + 16];
	json_t *root = NULL;

	if (state_path(lab, path, sizeof path) == 0)
		root = json_load_file(path, 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		root = json_object();
	}
	return root;
}

/* state_save — writes root to hints.json whole. Returns 0, or -1. */
static int state_save(const struct lab *lab, json_t *root)
{
	char path[PATH_MAX + 16];
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	int rc = -1;

	if (text && strlen(text) <= HINTS_STATE_MAX && ws_mkdirs(lab->workspace) == 0 &&
	    state_path(lab, path, sizeof path) == 0)
		rc = ws_write_file(path, text, strlen(text));
	free(text);
	return rc;
}

/* shown — how many hints of region r the student has seen (0 to r->n). */
static int shown(json_t *exercise, const struct hint_region *r)
{
	json_t *v = json_object_getn(exercise, r->name.p, r->name.len);
	json_int_t k = json_is_integer(v) ? json_integer_value(v) : 0;

	return k < 0 ? 0 : k > r->n ? r->n : (int)k;
}

/* ---- the command ---------------------------------------------------------------------- */

/* show_next — the next hint of region r (the last again when all were shown), and notes
 * it in exercise. what is the lesson or module asked about: after the last hint, the
 * student is told where the reference is. */
static void show_next(const struct lab *lab, const struct hint_region *r, json_t *exercise,
                      const char *what)
{
	const struct module *m = module_find(what);
	const struct style *st = &lab->style;
	int k = shown(exercise, r);
	int i = k < r->n ? k : r->n - 1;
	const struct hint_level *lv = &r->level[i];

	printf("%s%.*s%s — hint %d of %d: %.*s\n", style_on(st, ST_BOLD), (int)r->name.len,
	       r->name.p, style_on(st, ST_RESET), i + 1, r->n, (int)lv->title.len, lv->title.p);
	printf("%.*s\n", (int)lv->text.len, lv->text.p);
	if (i + 1 == r->n && m)
		printf("%s(the last hint for %.*s; the reference is %s)%s\n", style_on(st, ST_DIM),
		       (int)r->name.len, r->name.p, m->ref, style_on(st, ST_RESET));
	else if (i + 1 == r->n)
		printf("%s(the last hint for %.*s; %ssolution %s shows the reference)%s\n",
		       style_on(st, ST_DIM), (int)r->name.len, r->name.p, lab_typed(lab), what,
		       style_on(st, ST_RESET));
	json_object_setn_new(exercise, r->name.p, r->name.len, json_integer(i + 1));
	putchar('\n');
}

/* module_path — ROOT/common/http/hints/NAME.md when name is a plain word (a name with a
 * "/" or "." could point anywhere). Returns 0, or -1. */
static int module_path(const struct lab *lab, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);

	if (n == 0 || n > MODULE_NAME_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) &&
		    name[i] != '_' && name[i] != '-')
			return -1;
	int k = snprintf(out, cap, "%s/common/http/hints/%s.md", lab->root, name);
	return k < 0 || (size_t)k >= cap ? -1 : 0;
}

/* find_hints — the hints file for what (a lesson or a module) into path, and the key its
 * progress goes under. Returns 0, or -1 after a sentence. */
static int find_hints(struct lab *lab, const char *what, char *path, size_t cap, char *key,
                      size_t kcap)
{
	struct catalog_lesson *l = catalog_find(&lab->lessons, what);
	char list[512];

	/* A module first, as lab exercise does: "multipart" is also lesson 08's slug. */
	if (module_path(lab, what, path, cap) == 0 && access(path, R_OK) == 0) {
		snprintf(key, kcap, "module %s", what);
		return 0;
	}
	if (l) {
		hints_lesson_path(l, path, cap);
		snprintf(key, kcap, "%s", l->name);
		return 0;
	}
	catalog_list_text(&lab->lessons, list, sizeof list);
	lab_error(lab, "there is no lesson or module called \"%s\" with hints (lessons: %s; "
	          "modules: those with a file in common/http/hints/)", what, list);
	return -1;
}

/* pick_region — the index of the region called name, or -1 after a sentence listing
 * them. */
static int pick_region(struct lab *lab, const struct hints *h, const char *name)
{
	char names[512] = "";
	size_t used = 0;

	for (int i = 0; i < h->n; i++) {
		if (h->region[i].name.len == strlen(name) &&
		    memcmp(h->region[i].name.p, name, h->region[i].name.len) == 0)
			return i;
		int k = snprintf(names + used, sizeof names - used, "%s%.*s", i ? ", " : "",
		                 (int)h->region[i].name.len, h->region[i].name.p);
		if (k > 0 && used + (size_t)k < sizeof names)
			used += (size_t)k;
	}
	lab_error(lab, "no region called \"%s\" has hints here; the regions: %s", name, names);
	return -1;
}

int cmd_hint(struct lab *lab, int argc, char **argv)
{
	char path[PATH_MAX + 64], key[80], err[160];
	struct hints h;

	if (argc < 2 || argc > 3)
		return usage_error(lab, "hint");
	if (find_hints(lab, argv[1], path, sizeof path, key, sizeof key) < 0)
		return LAB_FAIL;
	int rc = hints_load(path, &h, err, sizeof err);
	if (rc < 0) {
		if (rc == -1)
			lab_error(lab, "%s has no hints yet (%s)", argv[1], path);
		else
			lab_error(lab, "%s: %s", path, err);
		hints_free(&h);
		return LAB_FAIL;
	}
	int only = argc == 3 ? pick_region(lab, &h, argv[2]) : -1;
	json_t *state = state_load(lab);
	json_t *exercise = state ? json_object_get(state, key) : NULL;
	if (state && !json_is_object(exercise))
		json_object_set_new(state, key, exercise = json_object());
	if ((argc == 3 && only < 0) || !json_is_object(exercise)) {
		if (argc != 3 || only >= 0)
			lab_error(lab, "out of memory");
		json_decref(state);
		hints_free(&h);
		return LAB_FAIL;
	}
	for (int i = 0; i < h.n; i++)
		if (only < 0 || i == only)
			show_next(lab, &h.region[i], exercise, argv[1]);
	if (state_save(lab, state) < 0)
		lab_error(lab, "could not note which hints were shown in %s/%s", lab->workspace,
		          HINTS_STATE);
	printf("Ask again (%shint %s%s%s) for the next hint%s.\n", lab_typed(lab), argv[1],
	       only >= 0 ? " " : "", only >= 0 ? argv[2] : "",
	       h.n > 1 && only < 0 ? "; name a region to ask about that one only" : "");
	json_decref(state);
	hints_free(&h);
	return LAB_OK;
}
