/* lessons.h — the lessons the lab finds at run time: every folder ROOT/lessons/NN-slug,
 * its one-line summary (the first line of its README.md), its variants (what
 * `lesson-NN --variants` prints) and its canned requests (requests/NAME.http).
 * Nothing here knows any lesson by name: a new folder is a new lesson. */
#ifndef WIRELAB_LESSONS_H
#define WIRELAB_LESSONS_H

#include <limits.h> /* PATH_MAX */
#include <stdbool.h>
#include <stddef.h>

#define LESSON_VARIANTS_MAX 16

struct lesson_info {
	int number;              /* 3 */
	char name[64];           /* "03-better-server", the folder's name */
	const char *slug;        /* "better-server": points into name */
	char dir[PATH_MAX];      /* ROOT/lessons/03-better-server */
	char summary[160];       /* "a better server: handlers, Server and Date, Hello <Host>" */
	bool variants_loaded;
	size_t nvariants;        /* 0 for a lesson without variants */
	char variants[LESSON_VARIANTS_MAX][48]; /* the default first */
};

struct lessons {
	struct lesson_info *items; /* sorted by number; owned here */
	size_t n;
};

/* A list of names (request names, variants), owned by the list. */
struct names {
	char **v;
	size_t n;
};

/* lessons_load — finds the lessons under root/lessons. Returns 0 (even when there are
 * none), or -1 when out of memory. */
int lessons_load(struct lessons *ls, const char *root);

/* lessons_free — releases what ls owns; safe to call twice. */
void lessons_free(struct lessons *ls);

/* lessons_find — the lesson named by text: "3", "03", "03-better-server" or
 * "better-server"; NULL when there is none. */
struct lesson_info *lessons_find(const struct lessons *ls, const char *text);

/* lessons_by_number — the lesson numbered n, or NULL. */
struct lesson_info *lessons_by_number(const struct lessons *ls, int n);

/* lessons_list_text — "01 readline-echo, 02 static-response, …" for error sentences. */
void lessons_list_text(const struct lessons *ls, char *out, size_t cap);

/* lesson_binary — the path of the lesson's server: bindir/lesson-NN. */
void lesson_binary(const struct lesson_info *l, const char *bindir, char *out, size_t cap);

/* lesson_load_variants — asks the binary (`--variants`) once and keeps the answer.
 * Returns 0, or -1 when the binary cannot be run (not built). */
int lesson_load_variants(struct lesson_info *l, const char *bindir);

/* lesson_has_variant — true when name is one of its variants. */
bool lesson_has_variant(const struct lesson_info *l, const char *name);

/* lesson_requests — the names of its canned requests (requests/NAME.http without
 * ".http"), sorted, into out (release with names_free). Returns 0, or -1. */
int lesson_requests(const struct lesson_info *l, struct names *out);

/* lesson_request_read — the exact bytes of requests/NAME.http into a new buffer *buf
 * (caller frees). Returns 0, -1 when there is no such request, -2 on a read error. */
int lesson_request_read(const struct lesson_info *l, const char *name, unsigned char **buf,
                        size_t *len);

/* file_read — the whole file at path (at most max bytes) into a new buffer *buf with a
 * NUL after its *len bytes (caller frees). Returns 0, -1 when there is no such file,
 * -2 when it cannot be read or is larger than max. */
int file_read(const char *path, size_t max, char **buf, size_t *len);

/* lesson_readme — the path of its README.md. */
void lesson_readme(const struct lesson_info *l, char *out, size_t cap);

/* names_free — frees the list and its names; safe to call twice. */
void names_free(struct names *n);

/* names_join — "a, b, c" into out[0..cap), cut with "…" when it does not fit. */
void names_join(const struct names *n, char *out, size_t cap);

#endif
