/* commands.h — the lab's commands: one table, one function each, and the option parser
 * they share. A command returns an enum lab_status; in one-shot mode (`lab CMD …`) that
 * is the exit status. */
#ifndef WIRELAB_COMMANDS_H
#define WIRELAB_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

struct lab;

typedef int (*command_fn)(struct lab *lab, int argc, char **argv);

enum command_kind {
	CMD_PLAIN,
	CMD_REQUEST, /* get, head, post, put, delete: the same options */
};

struct command {
	const char *name;
	command_fn run;
	const char *usage;   /* "start N [VARIANT] [--port P]" */
	const char *summary; /* one line for `help` */
	const char *help;    /* more for `help NAME`; may be NULL */
	enum command_kind kind;
	bool takes_lesson;   /* Tab offers lesson numbers after it */
	bool takes_file;     /* Tab offers file names after it */
};

/* commands_all — the table, ending with an entry whose name is NULL. */
const struct command *commands_all(void);

/* commands_find — the command called name (or an alias such as "exit"), or NULL. */
const struct command *commands_find(const char *name);

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
};

struct opts {
	const char *data, *url, *lesson, *variant, *cmd; /* NULL when not given */
	int port;          /* -1 when not given */
	int timeout_ms;
	bool full, force, yes;
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

/* lab_url_address — host and port of an http:// URL into host[0..cap) and *port;
 * false after a sentence saying what is wrong with it. */
bool lab_url_address(struct lab *lab, const char *url, char *host, size_t cap, int *port);

/* The commands, by file: commands.c (lessons, read, requests, help, quit), serve.c
 * (start, stop, log), send.c (send, get…, raw), article.c (url, quote, mime),
 * exercise.c (exercise, diff, changes, solution), check.c (check, watch). */
int cmd_lessons(struct lab *lab, int argc, char **argv);
int cmd_read(struct lab *lab, int argc, char **argv);
int cmd_requests(struct lab *lab, int argc, char **argv);
int cmd_help(struct lab *lab, int argc, char **argv);
int cmd_quit(struct lab *lab, int argc, char **argv);
int cmd_start(struct lab *lab, int argc, char **argv);
int cmd_stop(struct lab *lab, int argc, char **argv);
int cmd_log(struct lab *lab, int argc, char **argv);
int cmd_send(struct lab *lab, int argc, char **argv);
int cmd_request(struct lab *lab, int argc, char **argv);
int cmd_raw(struct lab *lab, int argc, char **argv);
int cmd_url(struct lab *lab, int argc, char **argv);
int cmd_quote(struct lab *lab, int argc, char **argv);
int cmd_mime(struct lab *lab, int argc, char **argv);
int cmd_exercise(struct lab *lab, int argc, char **argv);
int cmd_diff(struct lab *lab, int argc, char **argv);
int cmd_changes(struct lab *lab, int argc, char **argv);
int cmd_solution(struct lab *lab, int argc, char **argv);
int cmd_check(struct lab *lab, int argc, char **argv);
int cmd_watch(struct lab *lab, int argc, char **argv);

#endif
