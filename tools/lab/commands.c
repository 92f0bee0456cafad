/* commands.c — how a command is found and run (with a suggestion for a typo), the
 * options the commands share, and the two commands about the shell itself: help and
 * quit. Which commands there are is table.c's business: this file reads the table
 * through lab->commands, so it needs none of the commands' own files. */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "lab.h"

#define TIMEOUT_MAX_S 3600

const struct command *commands_find(const struct lab *lab, const char *name)
{
	if (strcmp(name, "exit") == 0)
		name = "quit";
	else if (strcmp(name, "?") == 0)
		name = "help";
	for (const struct command *c = lab->commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* distance — the edit distance of a and b, capped at 3 (enough to suggest a command). */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[32];

	if (la >= 31 || lb >= 31)
		return 3;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb] < 3 ? row[lb] : 3;
}

int commands_run(struct lab *lab, int argc, char **argv)
{
	const struct command *c = commands_find(lab, argv[0]), *near = NULL;

	if (c)
		return c->run(lab, argc, argv);
	for (const struct command *k = lab->commands; k->name; k++)
		if (!k->hidden && distance(argv[0], k->name) <= (strlen(k->name) > 3 ? 2 : 1) &&
		    !near)
			near = k;
	if (near)
		lab_error(lab, "unknown command '%s': did you mean %s? Type %shelp for the list.",
		          argv[0], near->name, lab_typed(lab));
	else
		lab_error(lab, "unknown command '%s'. Type %shelp for the list.", argv[0],
		          lab_typed(lab));
	return LAB_USAGE;
}

int usage_error(struct lab *lab, const char *cmd)
{
	const struct command *c = commands_find(lab, cmd);
	lab_error(lab, "usage: %s%s (help %s says more)", lab_typed(lab),
	          c ? c->usage : cmd, cmd);
	return LAB_USAGE;
}

struct catalog_lesson *find_lesson_or_say(struct lab *lab, const char *text)
{
	struct catalog_lesson *l = catalog_find(&lab->lessons, text);
	char list[1024];

	if (l)
		return l;
	catalog_list_text(&lab->lessons, list, sizeof list);
	lab_error(lab, "there is no lesson '%s'. The lessons are: %s.", text,
	          *list ? list : "(none found: is WIRELAB_ROOT right?)");
	return NULL;
}

/* ---- options ----------------------------------------------------------------------- */

static const struct {
	const char *name;
	unsigned bit;
	bool value;
} options[] = {
	{"data", OPT_DATA, true},       {"url", OPT_URL, true},   {"lesson", OPT_LESSON, true},
	{"variant", OPT_VARIANT, true}, {"port", OPT_PORT, true}, {"timeout", OPT_TIMEOUT, true},
	{"full", OPT_FULL, false},      {"force", OPT_FORCE, false}, {"yes", OPT_YES, false},
	{"seed", OPT_SEED, true},       {"cmd", OPT_CMD, true},   {"file", OPT_FILE, true},
	{"field", OPT_FILE, true},      {"trace", OPT_TRACE, false},
	{"no-sanitize", OPT_NO_SANITIZE, false},
};

/* set_option — stores one option's value; 0, or LAB_USAGE after saying why. */
static int set_option(struct lab *lab, const char *cmd, unsigned bit, const char *v,
                      struct opts *o)
{
	char *end;
	double secs;
	long port;

	switch (bit) {
	case OPT_DATA: o->data = v; return 0;
	case OPT_URL: o->url = v; return 0;
	case OPT_LESSON: o->lesson = v; return 0;
	case OPT_VARIANT: o->variant = v; return 0;
	case OPT_FULL: o->full = true; return 0;
	case OPT_FORCE: o->force = true; return 0;
	case OPT_YES: o->yes = true; return 0;
	case OPT_NO_SANITIZE: o->no_sanitize = true; return 0;
	case OPT_CMD: o->cmd = v; return 0;
	case OPT_TRACE: o->trace = true; return 0;
	case OPT_SEED:
		errno = 0;
		o->seed = strtoull(v, &end, 10);
		if (*v >= '0' && *v <= '9' && !*end && errno == 0)
			return o->has_seed = true, 0;
		lab_error(lab, "%s: --seed wants a whole number, not '%s'", cmd, v);
		return LAB_USAGE;
	case OPT_PORT:
		port = strtol(v, &end, 10);
		if (*v && !*end && port >= 0 && port <= 65535)
			return o->port = (int)port, 0;
		lab_error(lab, "%s: --port wants a number from 0 to 65535, not '%s'", cmd, v);
		return LAB_USAGE;
	default:
		secs = strtod(v, &end);
		if (*v && !*end && secs > 0 && secs <= TIMEOUT_MAX_S)
			return o->timeout_ms = (int)(secs * 1000 + 0.5), 0;
		lab_error(lab, "%s: --timeout wants seconds (up to %d), not '%s'", cmd,
		          TIMEOUT_MAX_S, v);
		return LAB_USAGE;
	}
}

/* add_part — one --file FIELD=PATH or --field NAME=VALUE; 0, or LAB_USAGE after saying
 * why. */
static int add_part(struct lab *lab, const char *cmd, const char *option, const char *v,
                    struct opts *o)
{
	bool is_file = strcmp(option, "file") == 0;

	if (!strchr(v, '=') || *v == '=') {
		lab_error(lab, "%s: --%s wants %s, not '%s'", cmd, option,
		          is_file ? "FIELD=PATH (--file image_data=logo.png)" : "NAME=VALUE", v);
		return LAB_USAGE;
	}
	if (o->nparts == OPTS_PARTS_MAX) {
		lab_error(lab, "%s: at most %d --file and --field parts", cmd, OPTS_PARTS_MAX);
		return LAB_USAGE;
	}
	o->parts[o->nparts++] = (struct opts_part){is_file, v};
	return 0;
}

int opts_parse(struct lab *lab, const char *cmd, int *argc, char **argv, unsigned allowed,
               struct opts *o)
{
	int kept = 1;

	*o = (struct opts){.port = -1, .timeout_ms = LAB_DEFAULT_TIMEOUT_MS};
	for (int i = 1; i < *argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0 || argv[i][2] == '\0') {
			argv[kept++] = argv[i];
			continue;
		}
		const char *name = argv[i] + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		size_t k = 0, n = sizeof options / sizeof options[0];
		while (k < n && !(strlen(options[k].name) == len &&
		                  strncmp(options[k].name, name, len) == 0))
			k++;
		if (k == n || !(options[k].bit & allowed)) {
			lab_error(lab, "%s does not take --%.*s", cmd, (int)len, name);
			return usage_error(lab, cmd);
		}
		const char *value = eq ? eq + 1 : NULL;
		if (options[k].value && !value && i + 1 < *argc)
			value = argv[++i];
		if (options[k].value && !value) {
			lab_error(lab, "%s: --%s needs a value", cmd, options[k].name);
			return LAB_USAGE;
		}
		if (options[k].bit == OPT_FILE) {
			if (add_part(lab, cmd, options[k].name, value, o) != 0)
				return LAB_USAGE;
		} else if (set_option(lab, cmd, options[k].bit, value ? value : "", o) != 0) {
			return LAB_USAGE;
		}
	}
	*argc = kept;
	argv[kept] = NULL;
	return 0;
}

/* ---- help, quit ---------------------------------------------------------------------- */

int cmd_help(struct lab *lab, int argc, char **argv)
{
	const struct style *st = &lab->style;

	if (argc > 2)
		return usage_error(lab, "help");
	if (argc == 2) {
		const struct command *c = commands_find(lab, argv[1]);
		if (!c) {
			lab_error(lab, "no command '%s'. Type help for the list.", argv[1]);
			return LAB_FAIL;
		}
		printf("%s%s%s\n  %s\n", style_on(st, ST_BOLD), c->usage, style_on(st, ST_RESET),
		       c->summary);
		if (c->help)
			printf("\n%s\n", c->help);
		return LAB_OK;
	}
	for (const struct command *c = lab->commands; c->name; c++) {
		if (c->hidden)
			continue;
		if (c == lab->commands || strcmp(c[-1].group, c->group) != 0)
			printf("%s%s%s%s\n", c == lab->commands ? "" : "\n", style_on(st, ST_BOLD),
			       c->group, style_on(st, ST_RESET));
		printf("  %-28s %s\n", c->usage, c->summary);
	}
	printf("\nThe exercise loop: exercise N writes a starter into workspace/, "
	       "check N grades it,\n"
	       "watch N grades it on every save, diff N shows your changes.\n"
	       "Tab completes commands, lessons, variants, request names and files.\n"
	       "help COMMAND says more about one. From your own shell: lab COMMAND ARGS….\n");
	return LAB_OK;
}

int cmd_quit(struct lab *lab, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	lab->quit = true;
	return LAB_OK;
}
