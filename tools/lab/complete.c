/* complete.c — Tab completion candidates, computed from the words already typed. */
#include "complete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "lab.h"
#include "module.h"

#define WORDS_BEFORE 8

/* A growing list of candidates; matches[0] is kept for the common prefix. */
struct matches {
	char **v;
	size_t n, cap;
	const char *text;
	size_t text_len;
};

/* offer — adds word when it starts with the text being completed. */
static void offer(struct matches *m, const char *word)
{
	if (strncmp(word, m->text, m->text_len) != 0)
		return;
	for (size_t i = 1; i < m->n; i++)
		if (strcmp(m->v[i], word) == 0)
			return;
	if (m->n + 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		char **v = realloc(m->v, cap * sizeof *v);
		if (!v)
			return;
		m->v = v;
		m->cap = cap;
	}
	if (m->n == 0)
		m->v[m->n++] = NULL; /* the common prefix, filled in at the end */
	if ((m->v[m->n] = strdup(word)))
		m->n++;
}

/* finish — readline's form: [0] the longest common prefix, then the matches, NULL. */
static char **finish(struct matches *m)
{
	if (m->n < 2) {
		free(m->v);
		return NULL;
	}
	if (m->n == 2) { /* one match: it is the whole answer, and readline adds a space */
		m->v[0] = m->v[1];
		m->v[1] = NULL;
		return m->v;
	}
	size_t common = strlen(m->v[1]);
	for (size_t i = 2; i < m->n; i++) {
		size_t k = 0;
		while (k < common && m->v[i][k] == m->v[1][k])
			k++;
		common = k;
	}
	m->v[0] = strndup(m->v[1], common);
	m->v[m->n] = NULL;
	return m->v;
}

/* ---- what to offer ------------------------------------------------------------------ */

/* offer_commands — every command name. */
static void offer_commands(struct matches *m, const struct lab *lab)
{
	for (const struct command *c = lab->commands; c->name; c++)
		if (!c->hidden)
			offer(m, c->name);
}

/* offer_lessons — each lesson as NN and as its slug. */
static void offer_lessons(struct matches *m, const struct catalog *ls)
{
	char num[8];

	for (size_t i = 0; i < ls->n; i++) {
		snprintf(num, sizeof num, "%02d", ls->items[i].number);
		offer(m, num);
		offer(m, ls->items[i].slug);
	}
}

/* offer_modules — the modules a student can write (exercise url, check url…). */
static void offer_modules(struct matches *m)
{
	for (int i = 0; module_at(i); i++)
		offer(m, module_at(i)->name);
}

/* offer_variants — the variants of the lesson named by the word before. */
static void offer_variants(struct matches *m, struct lab *lab, const char *lesson)
{
	struct catalog_lesson *l = catalog_find(&lab->lessons, lesson);

	if (l && catalog_load_variants(l, lab->bindir) == 0)
		for (size_t i = 0; i < l->nvariants; i++)
			offer(m, l->variants[i]);
}

/* offer_requests — the canned request names of lesson l. */
static void offer_requests(struct matches *m, const struct catalog_lesson *l)
{
	struct catalog_names names;

	if (!l || catalog_requests(l, &names) != 0)
		return;
	for (size_t i = 0; i < names.n; i++)
		offer(m, names.v[i]);
	catalog_names_free(&names);
}

/* offer_options — option names from a NULL-terminated list. */
static void offer_options(struct matches *m, const char *const *opts)
{
	for (; *opts; opts++)
		offer(m, *opts);
}

/* split_before — the words of line[0..start) (at most WORDS_BEFORE), copied into buf. */
static size_t split_before(const char *line, int start, char *buf, size_t cap, char **words)
{
	size_t n = 0, len = (size_t)start < cap ? (size_t)start : cap - 1;
	char *save = NULL;

	memcpy(buf, line, len);
	buf[len] = '\0';
	for (char *w = strtok_r(buf, " \t", &save); w && n < WORDS_BEFORE;
	     w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	return n;
}

/* offer_send — send's first word: with a server running, its lesson's requests (or,
 * once a digit is typed, lesson numbers: send N NAME); without one, lessons, since
 * send NAME needs a running server. Its second word after a lesson: that lesson's
 * requests. */
static void offer_send(struct matches *m, struct lab *lab, char **words, size_t n)
{
	bool digit = m->text[0] >= '0' && m->text[0] <= '9';

	if (n == 1 && lab->server.running && !digit)
		offer_requests(m, catalog_by_number(&lab->lessons, lab->server.lesson));
	else if (n == 1)
		offer_lessons(m, &lab->lessons);
	else if (n == 2 && catalog_find(&lab->lessons, words[1]))
		offer_requests(m, catalog_find(&lab->lessons, words[1]));
}

/* takes_lesson_value — is the word before an option whose value is a lesson? */
static bool takes_lesson_value(char **words, size_t n)
{
	return n > 1 && strcmp(words[n - 1], "--lesson") == 0;
}

char **complete_line(struct lab *lab, const char *line, int start, int end, const char *text,
                     bool *files)
{
	static const char *const send_opts[] = {"--timeout", "--url", "--full", "--variant",
	                                         "--trace", NULL};
	static const char *const get_opts[] = {"--data", "--file", "--field", "--url", "--lesson",
	                                        "--timeout", "--full", "--trace", NULL};
	struct matches m = {.text = text, .text_len = strlen(text)};
	char buf[1024], *words[WORDS_BEFORE];
	size_t n = split_before(line, start, buf, sizeof buf, words);
	const struct command *c = n ? commands_find(lab, words[0]) : NULL;
	const char *name = c ? c->name : "";

	(void)end;
	*files = false;
	if (n == 0)
		offer_commands(&m, lab);
	else if (text[0] == '-' && strcmp(name, "send") == 0)
		offer_options(&m, send_opts);
	else if (text[0] == '-' && c && c->kind == CMD_REQUEST)
		offer_options(&m, get_opts);
	else if (c && (c->kind == CMD_REQUEST || strcmp(name, "raw") == 0) &&
	         takes_lesson_value(words, n))
		offer_lessons(&m, &lab->lessons);
	else if (strcmp(name, "help") == 0 && n == 1)
		offer_commands(&m, lab);
	else if (strcmp(name, "start") == 0 && n == 2)
		offer_variants(&m, lab, words[1]);
	else if (strcmp(name, "start") == 0 && text[0] == '-')
		offer(&m, "--port");
	else if (strcmp(name, "send") == 0)
		offer_send(&m, lab, words, n);
	else if (c && c->takes_lesson && n == 1) {
		offer_lessons(&m, &lab->lessons);
		if (c->takes_module)
			offer_modules(&m);
	}
	else if (c && c->takes_file)
		*files = true;
	return finish(&m);
}
