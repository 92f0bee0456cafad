/* main.c — wirelab's shell: `lab` alone reads commands with readline; `lab COMMAND ARGS…`
 * runs one and exits with its status (0 ok, 1 failed, 2 usage).
 *
 * main owns everything (struct lab, tools/util/lab.h) and hands it down; the commands
 * are in table.c, each group in a file of its own. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "conn.h"
#include "input.h"
#include "lab.h"
#include "request.h"
#include "table.h"

/* Words of one command line; they live in store, which the struct owns. */
struct line_words {
	char *store;
	char **v;
	int n;
};

/* option_word — "--name" at p: an option, which ends a header's value. */
static bool option_word(const char *p)
{
	char c = p[0] == '-' && p[1] == '-' ? p[2] : '\0';

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* header_end — where the header typed at p ends: before the next header or option that
 * follows a space, its trailing spaces left out. */
static const char *header_end(const char *p)
{
	const char *q = p + 1;

	while (*q && !((q[-1] == ' ' || q[-1] == '\t') &&
	               (request_header_start(q) || option_word(q))))
		q++;
	while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	return q;
}

/* exact_headers — does the line run a command that takes headers (get, post…)? Their
 * values are taken exactly as typed: quotes, colons and spaces are part of them. */
static bool exact_headers(const struct lab *lab, const char *line)
{
	char name[32];
	size_t skip = strspn(line, " \t"), n = strcspn(line + skip, " \t");
	const struct command *c;

	if (n >= sizeof name)
		return false;
	memcpy(name, line + skip, n);
	name[n] = '\0';
	c = commands_find(lab, name);
	return c && c->kind == CMD_REQUEST;
}

/* split_words — splits line like a shell would, minus expansion: spaces separate words,
 * '…' keeps everything, "…" keeps everything but \" and \\, a backslash elsewhere
 * keeps the next character. With exact set, a word "Name:" starts a header that is
 * one word, exactly as typed, up to the next header or option (see header_end).
 * Returns 0, or -1 for an unclosed quote (or no memory). */
static int split_words(const char *line, bool exact, struct line_words *w)
{
	size_t len = strlen(line);
	char *out;
	char quote = 0;
	bool in_word = false;

	w->n = 0;
	w->store = out = malloc(len + 1);
	w->v = malloc((len / 2 + 2) * sizeof *w->v);
	if (!w->store || !w->v)
		return -1;
	for (const char *p = line; *p; p++) {
		if (!quote && (*p == ' ' || *p == '\t')) {
			if (in_word)
				*out++ = '\0';
			in_word = false;
			continue;
		}
		if (!in_word && exact && !quote && request_header_start(p)) {
			const char *end = header_end(p);
			w->v[w->n++] = out;
			memcpy(out, p, (size_t)(end - p));
			out += end - p;
			/* ended by the space that follows, or by the end of the line */
			in_word = true;
			p = end - 1;
			continue;
		}
		if (!in_word) {
			w->v[w->n++] = out;
			in_word = true;
		}
		if (!quote && (*p == '\'' || *p == '"'))
			quote = *p;
		else if (quote && *p == quote)
			quote = 0;
		else if (*p == '\\' && quote != '\'' && p[1] &&
		         (!quote || p[1] == '"' || p[1] == '\\'))
			*out++ = *++p;
		else
			*out++ = *p;
	}
	*out = '\0';
	w->v[w->n] = NULL;
	return quote ? -1 : 0;
}

/* free_words — releases what split_words allocated. */
static void free_words(struct line_words *w)
{
	free(w->store);
	free(w->v);
	w->store = NULL;
	w->v = NULL;
}

/* run_line — one line typed at the shell. */
static void run_line(struct lab *lab, const char *line)
{
	struct line_words w;

	if (split_words(line, exact_headers(lab, line), &w) != 0)
		lab_error(lab, "a quote is not closed: %s", line);
	else if (w.n > 0)
		commands_run(lab, w.n, w.v);
	free_words(&w);
	fflush(stdout);
}

/* shell — the read-run loop, until quit, Ctrl-D, end of input, SIGTERM or SIGHUP. */
static int shell(struct lab *lab)
{
	char *line;

	lab->interactive = true;
	if (!(lab->input = input_open(lab))) {
		fputs("lab: out of memory\n", stderr);
		return LAB_FAIL;
	}
	if (input_is_terminal(lab->input))
		lab_note(lab,
		         "wirelab lab: `lessons` lists them, `start 3` runs one, `help` says the "
		         "rest.\nTab completes; Ctrl-C stops a command; Ctrl-D or quit leaves.");
	while (!lab->quit) {
		enum input_result r = input_read(lab, NULL, true, &line);
		if (r == INPUT_EOF)
			break;
		if (r == INPUT_LINE)
			run_line(lab, line);
		free(line);
	}
	input_close(lab->input); /* saves the history */
	lab->input = NULL;
	return LAB_OK;
}

int main(int argc, char **argv)
{
	struct lab *lab = calloc(1, sizeof *lab); /* large (the server's logs): not on the stack */
	int rc;

	if (!lab) {
		fputs("lab: out of memory\n", stderr);
		return LAB_FAIL;
	}
	lab->commands = table_commands();
	rc = lab_open(lab);
	if (rc == 0 && argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
			argv[1] = "help";
		rc = commands_run(lab, argc - 1, argv + 1);
	} else if (rc == 0) {
		rc = shell(lab);
	}
	conns_free(lab->conns); /* the lab closes a connection kept open, then stops the server */
	lab->conns = NULL;
	lab_close(lab);
	free(lab);
	return rc;
}
