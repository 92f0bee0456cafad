/* commands.c — the command table, dispatch, options, and the commands about lessons
 * themselves: lessons, read, requests, help, quit. */
#include "commands.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"
#include "workspace.h"

#define TIMEOUT_MAX_S 3600

static const struct command table[] = {
	{"lessons", cmd_lessons, "lessons", "list the lessons: number, folder, progress, what each shows",
	 "The progress column says where you are with each exercise: passes (check\n"
	 "passed once), started (workspace/NN-slug/server.c exists) or — (not begun).",
	 CMD_PLAIN, false, false},
	{"read", cmd_read, "read N", "read lesson N's text (through $PAGER, or less -R)",
	 "Shows lessons/NN-slug/README.md. On a terminal it goes through $PAGER (default\n"
	 "less -R); otherwise, or with PAGER=cat, it is printed as it is.",
	 CMD_PLAIN, true, false},
	{"start", cmd_start, "start N [VARIANT] [--port P]", "start lesson N's server (port 8080)",
	 "Starts build/bin/lesson-NN --port P (default 8080) and waits for it to say\n"
	 "\"Server bound to port N\". The shell owns it: stop, quit, Ctrl-D, or the shell\n"
	 "ending stop it. Only one runs at a time: start stops the one before.\n"
	 "A VARIANT picks a step of the lesson (Tab lists them). --port 0 takes any free\n"
	 "port.\n"
	 "From your own shell, `lab start N` runs the server in the foreground until Ctrl-C,\n"
	 "as make lesson-N does.",
	 CMD_PLAIN, true, false},
	{"stop", cmd_stop, "stop", "stop the running server", NULL, CMD_PLAIN, false, false},
	{"log", cmd_log, "log", "what the server printed: stdout and stderr, apart",
	 "stdout holds what the article's server prints (request lines, headers);\n"
	 "stderr holds the access log. The last 64 KiB of each are kept.",
	 CMD_PLAIN, false, false},
	{"requests", cmd_requests, "requests [N]", "list the canned requests of lesson N",
	 "Without N: the running lesson's requests, or every lesson's. Each is the exact\n"
	 "bytes of lessons/NN-slug/requests/NAME.http.",
	 CMD_PLAIN, true, false},
	{"send", cmd_send, "send [N] NAME [options]",
	 "send a canned request and show both sides",
	 "Sends the exact bytes of a canned request and shows them (\\r\\n made visible),\n"
	 "then every response: status line, headers, the body (chunks joined, gzip undone,\n"
	 "binary bodies described), the time taken, what the server printed, and the curl\n"
	 "command that sends the same request.\n"
	 "  send NAME        to the running server, from its lesson's requests\n"
	 "  send N NAME      lesson N's request (also N/NAME); if lesson N is not the one\n"
	 "                   running, a reference server of lesson N is started for it\n"
	 "  --url URL        send to another server instead (yours: http://127.0.0.1:9000)\n"
	 "  --variant NAME   the variant of that reference server\n"
	 "  --timeout S      give up after S seconds (default 10); Ctrl-C stops at once\n"
	 "  --full           do not cut long bodies",
	 CMD_PLAIN, false, false},
	{"get", cmd_request, "get PATH [Name: value...]",
	 "send a GET request built for you",
	 "get, head, post, put and delete build a proper HTTP/1.1 request: Host,\n"
	 "User-Agent: wirelab-lab, Accept: */*, Accept-Encoding: gzip, Connection: close.\n"
	 "  Name: value      add a header, or replace one of those (an empty value\n"
	 "                   removes it)\n"
	 "  --data BODY      a body, with Content-Length and, unless you give one,\n"
	 "                   Content-Type: application/x-www-form-urlencoded\n"
	 "  --url URL        where to send it (http://127.0.0.1:9000); PATH may also be a\n"
	 "                   whole URL. Default: the running server\n"
	 "  --lesson N       start lesson N's reference server just for this request\n"
	 "  --timeout S      give up after S seconds (default 10)\n"
	 "  --full           do not cut long bodies\n"
	 "Example: get / Host: webserver",
	 CMD_REQUEST, false, false},
	{"head", cmd_request, "head PATH [Name: value...]", "send a HEAD request",
	 "Like get (see help get); the response has GET's headers and no body.", CMD_REQUEST, false,
	 false},
	{"post", cmd_request, "post PATH --data BODY",
	 "send a POST request", "Like get (see help get), usually with --data.", CMD_REQUEST, false,
	 false},
	{"put", cmd_request, "put PATH --data BODY",
	 "send a PUT request", "Like get (see help get).", CMD_REQUEST, false, false},
	{"delete", cmd_request, "delete PATH [Name: value...]", "send a DELETE request",
	 "Like get (see help get).", CMD_REQUEST, false, false},
	{"raw", cmd_raw, "raw [options]",
	 "type a request line by line; the lab sends CRLF",
	 "Type the request line and headers, one per line, then an empty line. Each line\n"
	 "is sent with CRLF. If the head has Content-Length or Transfer-Encoding, type the\n"
	 "body next and end it with a line holding a single \".\":\n"
	 "  a Content-Length body is sent as typed, lines joined by CRLF, with no line\n"
	 "  end after the last one (the lab tells you if the length does not match);\n"
	 "  a chunked body ends every line with CRLF: type the size in hex, the data, and\n"
	 "  finish with 0 and an empty line.\n"
	 "Options: --url URL or --lesson N (where to send it, as for get), --timeout S.\n"
	 "Ctrl-C abandons the request. `lab raw` reads the lines from stdin.",
	 CMD_PLAIN, false, false},
	{"url", cmd_url, "url URL", "split a URL as Python's urlparse does",
	 "Prints what print(urlparse(URL)) prints, then the hostname, username, password\n"
	 "and port attributes (None when absent), as the article's URL section does.",
	 CMD_PLAIN, false, false},
	{"quote", cmd_quote, "quote TEXT", "percent-encode TEXT as Python's quote() does",
	 "Prints print(quote(TEXT)): letters, digits, _.-~ and / stay, every other byte\n"
	 "becomes %XX. Words are joined by one space; quote them to keep more.",
	 CMD_PLAIN, false, false},
	{"mime", cmd_mime, "mime FILE...", "a file's media type, by name and by content",
	 "By name: the extension, as Python's mimetypes says. By content: libmagic, as the\n"
	 "article's python-magic says. When they differ, the content is the truth.",
	 CMD_PLAIN, false, true},
	{"exercise", cmd_exercise, "exercise N [--force]",
	 "write workspace/NN-slug/server.c: the reference with TODOs to fill in",
	 "Writes the lesson's server.c into your workspace with each solution region (the\n"
	 "code the lesson is about) replaced by a TODO comment saying what to write. It\n"
	 "builds and runs as it is, and fails check until you write the TODOs.\n"
	 "An existing file is never replaced without --force (which keeps it as\n"
	 "server.c.bak). The workspace is $WIRELAB_WORKSPACE, else workspace/ here.",
	 CMD_PLAIN, true, false},
	{"check", cmd_check, "check N [--cmd C | --url U]",
	 "grade your server against the reference, request by request",
	 "Starts lesson N's reference server and yours, sends both the lesson's canned\n"
	 "requests and randomised ones (random paths, hosts, cookies, bodies, requests\n"
	 "split into small writes), and shows per request pass, or a unified diff of the\n"
	 "two answers (header names lower-cased, Date/Expires/Last-Modified/Server\n"
	 "masked, gzip undone, Content-Length judged against the body). Ends with\n"
	 "\"N passed, N failed\"; a full pass is noted in workspace/progress.json.\n"
	 "  (no option)      build workspace/NN-slug/server.c against common/ and run it\n"
	 "  --cmd COMMAND    run COMMAND with /bin/sh, $PORT set to a free port (also\n"
	 "                   $UPLOAD_DIR and $LESSON_DIR): a server in any language\n"
	 "  --url URL        a server that is already running (its output is not compared)\n"
	 "  --variant NAME   the variant both servers run\n"
	 "  --seed S         the same random requests as the run that printed seed S\n"
	 "  --timeout S      how long to wait for each answer (default 10)\n"
	 "The lesson's check.json chooses the requests (see tools/check/cases.h).",
	 CMD_PLAIN, true, false},
	{"watch", cmd_watch, "watch N [check's options]",
	 "check again each time you save a file of the exercise",
	 "Runs check N, then again whenever a .c or .h file in workspace/NN-slug/ is\n"
	 "saved (inotify). Ctrl-C stops watching.",
	 CMD_PLAIN, true, false},
	{"diff", cmd_diff, "diff N", "your workspace server.c against the reference",
	 "diff -u of lessons/NN-slug/server.c and workspace/NN-slug/server.c.", CMD_PLAIN, true,
	 false},
	{"changes", cmd_changes, "changes N", "what lesson N adds to lesson N-1",
	 "diff -u of the previous lesson's server.c and this one's.", CMD_PLAIN, true, false},
	{"solution", cmd_solution, "solution N [--yes]", "show the reference solution (asks first)",
	 "Prints lessons/NN-slug/server.c, after asking. From your own shell it needs --yes.",
	 CMD_PLAIN, true, false},
	{"help", cmd_help, "help [COMMAND]", "this list, or more about one command", NULL, CMD_PLAIN,
	 false, false},
	{"quit", cmd_quit, "quit", "stop the server and leave (also Ctrl-D)", NULL, CMD_PLAIN, false,
	 false},
	{NULL, NULL, NULL, NULL, NULL, CMD_PLAIN, false, false},
};

const struct command *commands_all(void)
{
	return table;
}

const struct command *commands_find(const char *name)
{
	if (strcmp(name, "exit") == 0)
		name = "quit";
	else if (strcmp(name, "?") == 0)
		name = "help";
	for (const struct command *c = table; c->name; c++)
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
	const struct command *c = commands_find(argv[0]), *near = NULL;

	if (c)
		return c->run(lab, argc, argv);
	for (const struct command *k = table; k->name; k++)
		if (distance(argv[0], k->name) <= (strlen(k->name) > 3 ? 2 : 1) && !near)
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
	const struct command *c = commands_find(cmd);
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
	{"seed", OPT_SEED, true},       {"cmd", OPT_CMD, true},
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
	case OPT_CMD: o->cmd = v; return 0;
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
		lab_error(lab, "%s: --timeout wants seconds (up to %d), not '%s'", cmd, TIMEOUT_MAX_S, v);
		return LAB_USAGE;
	}
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
		while (k < n && !(strlen(options[k].name) == len && strncmp(options[k].name, name, len) == 0))
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
		if (set_option(lab, cmd, options[k].bit, value ? value : "", o) != 0)
			return LAB_USAGE;
	}
	*argc = kept;
	argv[kept] = NULL;
	return 0;
}

/* ---- lessons, read, requests -------------------------------------------------------- */

int cmd_lessons(struct lab *lab, int argc, char **argv)
{
	const struct style *st = &lab->style;
	char exe[PATH_MAX + 16];

	(void)argv;
	if (argc > 1)
		return usage_error(lab, "lessons");
	if (lab->lessons.n == 0) {
		lab_error(lab, "no lessons found under %s/lessons (set WIRELAB_ROOT?)", lab->root);
		return LAB_FAIL;
	}
	for (size_t i = 0; i < lab->lessons.n; i++) {
		const struct catalog_lesson *l = &lab->lessons.items[i];
		catalog_binary(l, lab->bindir, exe, sizeof exe);
		bool built = access(exe, X_OK) == 0;
		enum ws_state progress = ws_progress(lab, l);
		/* "—" is three bytes and one column: padded by hand, not by printf */
		printf("%s%02d%s  %-17s %-7s %s%s%s\n", style_on(st, ST_BOLD), l->number,
		       style_on(st, ST_RESET), l->slug,
		       progress == WS_PASSED ? "passes" : progress == WS_STARTED ? "started" : "—      ",
		       l->summary, built ? "" : " (not built: run make)",
		       lab->server.running && lab->server.lesson == l->number ? "  [running]" : "");
	}
	return LAB_OK;
}

/* wait_child — waits for a child we started (a pager) while the lesson server's output
 * keeps flowing into its log. Returns its exit status, or -1. */
static int wait_child(struct lab *lab, pid_t pid)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		struct pollfd fds[2];
		nfds_t n = proc_pollfds(&lab->server, fds, 0);
		if (poll(fds, n, 50) > 0)
			proc_pump(&lab->server);
	}
}

/* page — shows path through the pager: $PAGER when set, else less -R on a terminal;
 * otherwise copies it to stdout. Returns 0, or -1 when the pager could not run. */
static int page(struct lab *lab, const char *path)
{
	const char *pager = getenv("PAGER");

	fflush(stdout);
	if ((!pager || !*pager) && !isatty(1)) {
		FILE *f = fopen(path, "r");
		char buf[8192];
		size_t n;
		if (!f)
			return -1;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(f);
		return 0;
	}
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* $PAGER may hold options ("less -R"), so the shell splits it. */
		execl("/bin/sh", "sh", "-c", "exec ${PAGER:-less -R} \"$1\"", "sh", path, (char *)NULL);
		_exit(127);
	}
	int rc = pid < 0 ? -1 : wait_child(lab, pid);
	lab_drain_signals(lab); /* a Ctrl-C typed in the pager was meant for it */
	return rc == 0 ? 0 : -1;
}

int cmd_read(struct lab *lab, int argc, char **argv)
{
	char path[PATH_MAX + 16];
	struct catalog_lesson *l;

	if (argc != 2)
		return usage_error(lab, "read");
	if (!(l = find_lesson_or_say(lab, argv[1])))
		return LAB_FAIL;
	catalog_readme(l, path, sizeof path);
	if (access(path, R_OK) != 0) {
		lab_error(lab, "lesson %02d has no README.md yet (%s)", l->number, path);
		return LAB_FAIL;
	}
	if (page(lab, path) != 0) {
		lab_error(lab, "the pager failed: try PAGER=cat, or read %s", path);
		return LAB_FAIL;
	}
	return LAB_OK;
}

/* first_line — the first line of a canned request, escaped, for the listing. */
static void show_first_line(const struct lab *lab, const struct catalog_lesson *l, const char *name)
{
	unsigned char *buf;
	size_t len;

	if (catalog_request_read(l, name, &buf, &len) != 0)
		return;
	const unsigned char *lf = memchr(buf, '\n', len);
	size_t n = lf ? (size_t)(lf - buf) + 1 : len;
	if (n > 50)
		n = 50;
	fputs(style_on(&lab->style, ST_DIM), stdout);
	show_escaped(stdout, &lab->style, buf, n && buf[n - 1] == '\n' ? n - 1 - (n > 1 && buf[n - 2] == '\r') : n);
	fputs(style_on(&lab->style, ST_RESET), stdout);
	free(buf);
}

/* list_requests — one lesson's requests, each with its first line. */
static int list_requests(struct lab *lab, const struct catalog_lesson *l, bool heading)
{
	struct names names;

	if (catalog_requests(l, &names) != 0) {
		lab_error(lab, "out of memory");
		return LAB_FAIL;
	}
	if (heading)
		printf("%s%02d %s%s\n", style_on(&lab->style, ST_BOLD), l->number, l->slug,
		       style_on(&lab->style, ST_RESET));
	if (names.n == 0)
		printf("  (lesson %02d has no canned requests)\n", l->number);
	for (size_t i = 0; i < names.n; i++) {
		printf("  %-22s ", names.v[i]);
		show_first_line(lab, l, names.v[i]);
		putchar('\n');
	}
	names_free(&names);
	return LAB_OK;
}

int cmd_requests(struct lab *lab, int argc, char **argv)
{
	struct catalog_lesson *l = NULL;

	if (argc > 2)
		return usage_error(lab, "requests");
	if (argc == 2 && !(l = find_lesson_or_say(lab, argv[1])))
		return LAB_FAIL;
	if (!l && lab->server.running)
		l = catalog_by_number(&lab->lessons, lab->server.lesson);
	if (l)
		return list_requests(lab, l, false);
	for (size_t i = 0; i < lab->lessons.n; i++)
		list_requests(lab, &lab->lessons.items[i], true);
	printf("send one with: %ssend N NAME\n", lab_typed(lab));
	return LAB_OK;
}

/* ---- help, quit ------------------------------------------------------------------------ */

int cmd_help(struct lab *lab, int argc, char **argv)
{
	const struct style *st = &lab->style;

	if (argc > 2)
		return usage_error(lab, "help");
	if (argc == 2) {
		const struct command *c = commands_find(argv[1]);
		if (!c) {
			lab_error(lab, "no command '%s'. Type help for the list.", argv[1]);
			return LAB_FAIL;
		}
		printf("%s%s%s\n  %s\n", style_on(st, ST_BOLD), c->usage, style_on(st, ST_RESET), c->summary);
		if (c->help)
			printf("\n%s\n", c->help);
		return LAB_OK;
	}
	for (const struct command *c = table; c->name; c++)
		printf("  %-28s %s\n", c->usage, c->summary);
	printf("\nThe exercise loop: exercise N writes a starter into workspace/, check N grades it,\n"
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
