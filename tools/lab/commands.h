/* commands.h — what a command is, how one is found and run, and the option parser the
 * commands share. A command returns an enum lab_status; in one-shot mode (`lab CMD …`)
 * that is the exit status. The table of commands is table.c; each group of commands is
 * declared in its own header: lessons.h, serve.h, send.h, article.h, exercise.h, grade.h
 * (and normalize.h, the tests' hidden one). */
#ifndef WIRELAB_COMMANDS_H
#define WIRELAB_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

struct catalog_lesson;
struct lab;

typedef int (*command_fn)(struct lab *lab, int argc, char **argv);

enum command_kind {
	CMD_PLAIN,
	CMD_REQUEST, /* get, head, post, put, delete: the same options */
};

struct command {
	const char *name;
	const char *group;   /* "running servers": help lists the commands under it */
	command_fn run;
	const char *usage;   /* "start N [VARIANT] [--port P]" */
	const char *summary; /* one line for `help` */
	const char *help;    /* more for `help NAME`; may be NULL */
	enum command_kind kind;
	bool takes_lesson;   /* Tab offers lesson numbers after it */
	bool takes_module;   /* and module names (url, cache…) too */
	bool takes_file;     /* Tab offers file names after it */
	bool hidden;         /* neither help nor Tab offers it: it is for the tests */
};

/* commands_find — the command of lab->commands called name (or an alias such as "exit"),
 * or NULL. */
const struct command *commands_find(const struct lab *lab, const char *name);

/* commands_run — runs argv[0] with its arguments; an unknown command gets a sentence
 * (with a suggestion) and LAB_USAGE. */
int commands_run(struct lab *lab, int argc, char **argv);

/* Options a command may take; opts_parse removes them from argv. */
enum {
	OPT_DATA = 1 << 0,    /* --data BODY */
	OPT_URL = 1 << 1,     /* --url URL */
	OPT_LESSON = 1 << 2,  /* --lesson N */
	OPT_VARIANT = 1 << 3, /* --variant NAME */
	OPT_PORT = 1 << 4,    /* --port P */
	OPT_TIMEOUT = 1 << 5, /* --timeout SECONDS */
	OPT_FULL = 1 << 6,    /* --full */
	OPT_FORCE = 1 << 7,   /* --force */
	OPT_YES = 1 << 8,     /* --yes */
	OPT_SEED = 1 << 9,    /* --seed S */
	OPT_CMD = 1 << 10,    /* --cmd COMMAND */
	OPT_NO_SANITIZE = 1 << 11, /* --no-sanitize */
	OPT_FILE = 1 << 12,   /* --file FIELD=PATH and --field NAME=VALUE (multipart), repeated */
	OPT_TRACE = 1 << 13,  /* --trace */
};

#define OPTS_PARTS_MAX 16

/* One part of a multipart body, in the order given. */
struct opts_part {
	bool is_file;      /* --file FIELD=PATH, else --field NAME=VALUE */
	const char *text;  /* "FIELD=PATH" as typed */
};

struct opts {
	const char *data, *url, *lesson, *variant, *cmd; /* NULL when not given */
	int port;          /* -1 when not given */
	int timeout_ms;
	bool full, force, yes, no_sanitize, trace;
	struct opts_part parts[OPTS_PARTS_MAX];
	size_t nparts;
	bool has_seed;
	unsigned long long seed;
};

/* opts_parse — takes the options in allowed out of argv (as --name VALUE or
 * --name=VALUE), leaving the other arguments in order, and counts them in *argc.
 * Returns 0, or LAB_USAGE after saying what is wrong. */
int opts_parse(struct lab *lab, const char *cmd, int *argc, char **argv, unsigned allowed,
               struct opts *o);

/* usage_error — "usage: USAGE" for the command, and LAB_USAGE. */
int usage_error(struct lab *lab, const char *cmd);

/* find_lesson_or_say — the lesson named by text, or NULL after a sentence listing the
 * lessons there are. */
struct catalog_lesson *find_lesson_or_say(struct lab *lab, const char *text);

/* The commands about the shell itself. */
int cmd_help(struct lab *lab, int argc, char **argv);
int cmd_quit(struct lab *lab, int argc, char **argv);

#endif
