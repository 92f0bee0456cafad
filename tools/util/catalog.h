/* catalog.h — the lessons the lab finds at run time: every folder ROOT/lessons/NN-slug,
 * its one-line summary (the first line of its README.md), its variants (what
 * `lesson-NN --variants` prints) and its canned requests (requests/NAME.http).
 * Nothing here knows any lesson by name: a new folder is a new lesson. */
#ifndef WIRELAB_CATALOG_H
#define WIRELAB_CATALOG_H

#include <limits.h> /* PATH_MAX */
#include <stdbool.h>
#include <stddef.h>

#define CATALOG_VARIANTS_MAX 16

struct catalog_lesson {
	int number;              /* 3 */
	char name[64];           /* "03-better-server", the folder's name */
	const char *slug;        /* "better-server": points into name */
	char dir[PATH_MAX];      /* ROOT/lessons/03-better-server */
	char summary[160];       /* "a better server: handlers, Server and Date, Hello <Host>" */
	bool variants_loaded;
	size_t nvariants;        /* 0 for a lesson without variants */
	char variants[CATALOG_VARIANTS_MAX][48]; /* the default first */
};

struct catalog {
	struct catalog_lesson *items; /* sorted by number; owned here */
	size_t n;
};

/* A list of names (request names, variants), owned by the list. */
struct catalog_names {
	char **v;
	size_t n;
};

/* catalog_load — finds the lessons under root/lessons. Returns 0 (even when there are
 * none), or -1 when out of memory. */
int catalog_load(struct catalog *ls, const char *root);

/* catalog_free — releases what ls owns; safe to call twice. */
void catalog_free(struct catalog *ls);

/* catalog_find — the lesson named by text: "3", "03", "03-better-server" or
 * "better-server"; NULL when there is none. */
struct catalog_lesson *catalog_find(const struct catalog *ls, const char *text);

/* catalog_by_number — the lesson numbered n, or NULL. */
struct catalog_lesson *catalog_by_number(const struct catalog *ls, int n);

/* catalog_list_text — "01 readline-echo, 02 static-response, …" for error sentences. */
void catalog_list_text(const struct catalog *ls, char *out, size_t cap);

/* catalog_binary — the path of the lesson's server: bindir/lesson-NN. */
void catalog_binary(const struct catalog_lesson *l, const char *bindir, char *out, size_t cap);

/* catalog_load_variants — asks the binary (`--variants`) once and keeps the answer.
 * Returns 0, or -1 when the binary cannot be run (not built). */
int catalog_load_variants(struct catalog_lesson *l, const char *bindir);

/* catalog_has_variant — true when name is one of its variants. */
bool catalog_has_variant(const struct catalog_lesson *l, const char *name);

/* catalog_requests — the names of its canned requests (requests/NAME.http without
 * ".http"), sorted, into out (release with catalog_names_free). Returns 0, or -1. */
int catalog_requests(const struct catalog_lesson *l, struct catalog_names *out);

/* catalog_request_read — the exact bytes of requests/NAME.http into a new buffer *buf
 * (caller frees). Returns 0, -1 when there is no such request, -2 on a read error. */
int catalog_request_read(const struct catalog_lesson *l, const char *name, unsigned char **buf,
                         size_t *len);

/* catalog_readme — the path of its README.md. */
void catalog_readme(const struct catalog_lesson *l, char *out, size_t cap);

/* catalog_names_free — frees the list and its names; safe to call twice. */
void catalog_names_free(struct catalog_names *n);

/* catalog_names_join — "a, b, c" into out[0..cap), cut with "…" when it does not fit. */
void catalog_names_join(const struct catalog_names *n, char *out, size_t cap);

#endif
