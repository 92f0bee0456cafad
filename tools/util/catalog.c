/* catalog.c — finding lessons, their variants and their canned requests on disk. */
#include "catalog.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file.h"
#include "limit.h"

#define REQUEST_MAX (16 * 1024 * 1024) /* a canned request larger than this is a mistake */

/* ---- finding lessons ---------------------------------------------------------------- */

/* is_lesson_dir — "NN-slug": two digits, a dash, something after it. */
static bool is_lesson_dir(const char *name)
{
	return isdigit((unsigned char)name[0]) && isdigit((unsigned char)name[1]) &&
	       name[2] == '-' && name[3] != '\0';
}

/* read_summary — the README's first line without its "# " and "Lesson NN — " (the
 * listing shows the number already). */
static void read_summary(struct catalog_lesson *l)
{
	char path[PATH_MAX + 16], line[512];
	FILE *f;

	snprintf(l->summary, sizeof l->summary, "(no README.md yet)");
	snprintf(path, sizeof path, "%s/README.md", l->dir);
	if (!(f = fopen(path, "r")))
		return;
	if (fgets(line, sizeof line, f)) {
		char *s = line;
		line[strcspn(line, "\r\n")] = '\0';
		while (*s == '#' || *s == ' ')
			s++;
		char *dash = strstr(s, " — ");
		if (strncmp(s, "Lesson ", 7) == 0 && dash && dash - s < 12)
			s = dash + strlen(" — ");
		snprintf(l->summary, sizeof l->summary, "%.*s", (int)sizeof l->summary - 1, s);
	}
	fclose(f);
}

/* by_number — qsort order of lessons: by number, then by folder name. */
static int by_number(const void *a, const void *b)
{
	const struct catalog_lesson *x = a, *y = b;
	return x->number != y->number ? x->number - y->number : strcmp(x->name, y->name);
}

/* add_lesson — appends the folder name under dir to ls; -1 when out of memory. */
static int add_lesson(struct catalog *ls, const char *dir, const char *name, size_t *cap)
{
	if (ls->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct catalog_lesson *p = realloc(ls->items, ncap * sizeof *p);
		if (!p)
			return -1;
		ls->items = p;
		*cap = ncap;
	}
	struct catalog_lesson *l = &ls->items[ls->n];
	memset(l, 0, sizeof *l);
	if (strlen(name) >= sizeof l->name)
		return 0; /* a folder name this long is not a lesson we can show */
	l->number = (name[0] - '0') * 10 + (name[1] - '0');
	memcpy(l->name, name, strlen(name) + 1); /* the length was checked above */
	if (snprintf(l->dir, sizeof l->dir, "%s/%s", dir, name) >= (int)sizeof l->dir)
		return 0; /* nor one whose path is too long */
	read_summary(l);
	ls->n++;
	return 0;
}

int catalog_load(struct catalog *ls, const char *root)
{
	char dir[PATH_MAX];
	size_t cap = 0;
	struct dirent *e;
	DIR *d;

	ls->items = NULL;
	ls->n = 0;
	snprintf(dir, sizeof dir, "%s/lessons", root);
	if (!(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		if (is_lesson_dir(e->d_name) && add_lesson(ls, dir, e->d_name, &cap) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	if (ls->n)
		qsort(ls->items, ls->n, sizeof *ls->items, by_number);
	for (size_t i = 0; i < ls->n; i++) /* after sorting: slug points into its own name */
		ls->items[i].slug = ls->items[i].name + 3;
	return 0;
}

void catalog_free(struct catalog *ls)
{
	free(ls->items);
	ls->items = NULL;
	ls->n = 0;
}

struct catalog_lesson *catalog_by_number(const struct catalog *ls, int n)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->items[i].number == n)
			return &ls->items[i];
	return NULL;
}

struct catalog_lesson *catalog_find(const struct catalog *ls, const char *text)
{
	size_t digits = strspn(text, "0123456789");

	if (digits > 0 && digits <= 2 && text[digits] == '\0')
		return catalog_by_number(ls, atoi(text));
	for (size_t i = 0; i < ls->n; i++)
		if (strcmp(ls->items[i].name, text) == 0 || strcmp(ls->items[i].slug, text) == 0)
			return &ls->items[i];
	return NULL;
}

void catalog_list_text(const struct catalog *ls, char *out, size_t cap)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ls->n && used < cap; i++) {
		int n = snprintf(out + used, cap - used, "%s%02d %s", i ? ", " : "",
		                 ls->items[i].number, ls->items[i].slug);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

void catalog_binary(const struct catalog_lesson *l, const char *bindir, char *out, size_t cap)
{
	snprintf(out, cap, "%s/lesson-%02d", bindir, l->number);
}

void catalog_readme(const struct catalog_lesson *l, char *out, size_t cap)
{
	snprintf(out, cap, "%s/README.md", l->dir);
}

/* ---- variants: asked of the binary ----------------------------------------------- */

/* run_variants — runs `exe --variants` and reads what it prints into buf; returns the
 * length or -1. The binary is ours, but a broken build must not hang the shell. */
static ssize_t run_variants(const char *exe, char *buf, size_t cap)
{
	int p[2];
	size_t len = 0;

	if (access(exe, X_OK) != 0 || pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(p[1], 1);
		execl(exe, exe, "--variants", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	struct pollfd pfd = {p[0], POLLIN, 0};
	while (pid > 0 && len + 1 < cap && poll(&pfd, 1, LIMIT_LAB_VARIANTS_MS) > 0) {
		ssize_t n = read(p[0], buf + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(p[0]);
	if (pid < 0)
		return -1;
	int status;
	kill(pid, SIGKILL); /* harmless when it has already exited, as it should have */
	waitpid(pid, &status, 0);
	buf[len] = '\0';
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? (ssize_t)len : -1;
}

int catalog_load_variants(struct catalog_lesson *l, const char *bindir)
{
	char exe[PATH_MAX + 16], text[2048], *save = NULL;

	if (l->variants_loaded)
		return 0;
	catalog_binary(l, bindir, exe, sizeof exe);
	if (run_variants(exe, text, sizeof text) < 0)
		return -1;
	l->nvariants = 0;
	for (char *w = strtok_r(text, "\n", &save); w && l->nvariants < CATALOG_VARIANTS_MAX;
	     w = strtok_r(NULL, "\n", &save))
		if (*w && strlen(w) < sizeof l->variants[0])
			snprintf(l->variants[l->nvariants++], sizeof l->variants[0], "%s", w);
	l->variants_loaded = true;
	return 0;
}

bool catalog_has_variant(const struct catalog_lesson *l, const char *name)
{
	for (size_t i = 0; i < l->nvariants; i++)
		if (strcmp(l->variants[i], name) == 0)
			return true;
	return false;
}

/* ---- canned requests ------------------------------------------------------------- */

/* by_string — qsort order of names. */
static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* names_add — appends a copy of s[0..len); -1 when out of memory. */
static int names_add(struct catalog_names *n, const char *s, size_t len)
{
	char **v = realloc(n->v, (n->n + 1) * sizeof *v);
	if (!v)
		return -1;
	n->v = v;
	if (!(v[n->n] = strndup(s, len)))
		return -1;
	n->n++;
	return 0;
}

int catalog_requests(const struct catalog_lesson *l, struct catalog_names *out)
{
	char dir[PATH_MAX + 16];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	out->v = NULL;
	out->n = 0;
	snprintf(dir, sizeof dir, "%s/requests", l->dir);
	if (!(d = opendir(dir)))
		return 0; /* a lesson without canned requests */
	while (rc == 0 && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len > 5 && e->d_name[0] != '.' && strcmp(e->d_name + len - 5, ".http") == 0)
			rc = names_add(out, e->d_name, len - 5);
	}
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof *out->v, by_string);
	return rc;
}

int catalog_request_read(const struct catalog_lesson *l, const char *name, unsigned char **buf,
                         size_t *len)
{
	char path[PATH_MAX + 300];

	*buf = NULL;
	*len = 0;
	if (strchr(name, '/') || name[0] == '.' || strlen(name) > 200)
		return -1; /* a request name, not a path */
	snprintf(path, sizeof path, "%s/requests/%s.http", l->dir, name);
	return file_read(path, REQUEST_MAX, (char **)buf, len);
}

void catalog_names_free(struct catalog_names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	n->v = NULL;
	n->n = 0;
}

void catalog_names_join(const struct catalog_names *n, char *out, size_t cap)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n->n; i++) {
		size_t need = strlen(n->v[i]) + 2;
		if (used + need + 4 >= cap) {
			snprintf(out + used, cap - used, "%s…", i ? ", " : "");
			return;
		}
		used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? ", " : "", n->v[i]);
	}
}
