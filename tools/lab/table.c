/* table.c — every command of the lab, grouped by what it does; `help` lists them in this
 * order, a heading for each group (the hidden ones last, unlisted). A field left out is
 * NULL, false or CMD_PLAIN. */
#include "table.h"

#include <stddef.h>

#include "article.h"
#include "commands.h"
#include "exercise.h"
#include "grade.h"
#include "hint.h"
#include "lessons.h"
#include "normalize.h"
#include "send.h"
#include "serve.h"

static const struct command table[] = {
	/* lessons: the lessons themselves: what there is, their texts, their requests */
	{
		.name = "lessons",
		.group = "lessons",
		.run = cmd_lessons,
		.usage = "lessons",
		.summary = "list the lessons: number, folder, progress, what each shows",
		.help = "The progress column says where you are with each exercise: passes (check\n"
		        "passed once), started (workspace/NN-slug/server.c exists) or — (not "
		        "begun).\n"
		        "Under each lesson: what its exercise has you write, and what `check` "
		        "sends to\n"
		        "test it (from lessons/NN-slug/hints.md).",
	},
	{
		.name = "read",
		.group = "lessons",
		.run = cmd_read,
		.usage = "read N",
		.summary = "read lesson N's text (through $PAGER, or less -R)",
		.help = "Shows lessons/NN-slug/README.md. On a terminal it goes through $PAGER "
		        "(default\n"
		        "less -R); otherwise, or with PAGER=cat, it is printed as it is.",
		.takes_lesson = true,
	},
	{
		.name = "requests",
		.group = "lessons",
		.run = cmd_requests,
		.usage = "requests [N]",
		.summary = "list the canned requests of lesson N, each with what it shows",
		.help = "Without N: the running lesson's requests, or every lesson's. Each is the "
		        "exact\n"
		        "bytes of lessons/NN-slug/requests/NAME.http, described in one line by\n"
		        "lessons/NN-slug/requests/descriptions.txt.",
		.takes_lesson = true,
	},

	/* running servers: a lesson's reference server, run by the shell */
	{
		.name = "start",
		.group = "running servers",
		.run = cmd_start,
		.usage = "start N [VARIANT] [--port P]",
		.summary = "start lesson N's server (port 8080)",
		.help = "Starts build/bin/lesson-NN --port P (default 8080) and waits for it to "
		        "say\n"
		        "\"Server bound to port N\". The shell owns it: stop, quit, Ctrl-D, or the "
		        "shell\n"
		        "ending stop it. Only one runs at a time: start stops the one before.\n"
		        "A VARIANT picks a step of the lesson (Tab lists them). --port 0 takes any "
		        "free\n"
		        "port.\n"
		        "From your own shell, `lab start N` runs the server in the foreground "
		        "until Ctrl-C,\n"
		        "as make lesson-N does.",
		.takes_lesson = true,
	},
	{
		.name = "stop",
		.group = "running servers",
		.run = cmd_stop,
		.usage = "stop",
		.summary = "stop the running server",
	},
	{
		.name = "log",
		.group = "running servers",
		.run = cmd_log,
		.usage = "log",
		.summary = "what the server printed: stdout and stderr, apart",
		.help = "stdout holds what the article's server prints (request lines, headers);\n"
		        "stderr holds the access log. The last 64 KiB of each are kept.",
	},

	/* sending requests: one exchange with a server, shown byte for byte */
	{
		.name = "send",
		.group = "sending requests",
		.run = cmd_send,
		.usage = "send [N] NAME [options]",
		.summary = "send a canned request and show both sides",
		.help = "Sends the exact bytes of a canned request and shows them (\\r\\n made "
		        "visible),\n"
		        "then every response: status line, headers, the body (chunks joined, gzip "
		        "undone,\n"
		        "binary bodies described), the time taken, what the server printed, and "
		        "the curl\n"
		        "command that sends the same request.\n"
		        "  send NAME        to the running server, from its lesson's requests\n"
		        "  send N NAME      lesson N's request (also N/NAME); if lesson N is not "
		        "the one\n"
		        "                   running, a reference server of lesson N is started for "
		        "it\n"
		        "  --url URL        send to another server instead (yours: "
		        "http://127.0.0.1:9000)\n"
		        "  --variant NAME   the variant of that reference server\n"
		        "  --timeout S      give up after S seconds (default 10); Ctrl-C stops at "
		        "once\n"
		        "  --full           do not cut long bodies\n"
		        "  --trace          then draw the connection (see help trace)\n"
		        "The connection is a real client's: when the server keeps it open, the "
		        "next\n"
		        "send or get to the same server reuses it, and the shell says when the "
		        "server\n"
		        "closes it (lesson 03 does after 5 s idle). A request that is malformed or "
		        "not\n"
		        "complete is followed by the end of our stream, and the lab reads until "
		        "the\n"
		        "server closes.",
	},
	{
		.name = "get",
		.group = "sending requests",
		.run = cmd_request,
		.usage = "get PATH [Name: value...]",
		.summary = "send a GET request built for you",
		.help = "get, head, post, put and delete build a proper HTTP/1.1 request, as curl "
		        "does:\n"
		        "Host, User-Agent: wirelab-lab, Accept: */*, Accept-Encoding: gzip "
		        "(and no\n"
		        "Connection header: the server may keep the connection open).\n"
		        "  Name: value      add a header, or replace one of those (an empty value\n"
		        "                   removes it). The value is taken exactly as typed, "
		        "quotes,\n"
		        "                   colons, commas and spaces included, up to the next "
		        "Name:\n"
		        "                   (a name, a colon, a space) or --option\n"
		        "  --data BODY      a body, with Content-Length and, unless you give one,\n"
		        "                   Content-Type: application/x-www-form-urlencoded\n"
		        "  --data @PATH     the bytes of a file as the body\n"
		        "  --file F=PATH    a multipart/form-data body, as a browser sends a form: "
		        "the\n"
		        "                   file as field F (name and type from PATH); repeat it, "
		        "and\n"
		        "  --field N=VALUE  add plain fields, in the order given\n"
		        "  --url URL        where to send it (http://127.0.0.1:9000); PATH may "
		        "also be a\n"
		        "                   whole URL. Default: the running server\n"
		        "  --lesson N       start lesson N's reference server just for this "
		        "request\n"
		        "  --timeout S      give up after S seconds (default 10)\n"
		        "  --full           do not cut long bodies\n"
		        "  --trace          then draw the connection (see help trace)\n"
		        "Examples:\n"
		        "  get / Host: webserver\n"
		        "  get /js/myjs.js If-None-Match: W/\"4d2e25336187ade95f260ba129f1c2ea\"\n"
		        "  get /python-logo/ If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\n"
		        "  get / Cookie: a=1; b=2 Accept: text/html\n"
		        "  post / --data 'field1=value1&field2=value2'\n"
		        "  post / --file image_data=logo.png --field field1=value1\n"
		        "From your own shell, quote each header: lab get / 'If-None-Match: \"x\"'",
		.kind = CMD_REQUEST,
	},
	{
		.name = "head",
		.group = "sending requests",
		.run = cmd_request,
		.usage = "head PATH [Name: value...]",
		.summary = "send a HEAD request",
		.help = "Like get (see help get); the response has GET's headers and no body.",
		.kind = CMD_REQUEST,
	},
	{
		.name = "post",
		.group = "sending requests",
		.run = cmd_request,
		.usage = "post PATH --data BODY",
		.summary = "send a POST request (--file F=PATH uploads a file)",
		.help = "Like get (see help get), usually with --data (urlencoded, or @PATH for a "
		        "file's\n"
		        "bytes) or --file F=PATH and --field N=VALUE (multipart/form-data).",
		.kind = CMD_REQUEST,
	},
	{
		.name = "put",
		.group = "sending requests",
		.run = cmd_request,
		.usage = "put PATH --data BODY",
		.summary = "send a PUT request",
		.help = "Like get (see help get).",
		.kind = CMD_REQUEST,
	},
	{
		.name = "delete",
		.group = "sending requests",
		.run = cmd_request,
		.usage = "delete PATH [Name: value...]",
		.summary = "send a DELETE request",
		.help = "Like get (see help get).",
		.kind = CMD_REQUEST,
	},
	{
		.name = "raw",
		.group = "sending requests",
		.run = cmd_raw,
		.usage = "raw [options]",
		.summary = "type a request line by line; the lab sends CRLF",
		.help = "Type the request line and headers, one per line, then an empty line. Each "
		        "line\n"
		        "is sent with CRLF. If the head has Content-Length or Transfer-Encoding, "
		        "type the\n"
		        "body next and end it with a line holding a single \".\":\n"
		        "  a Content-Length body is sent as typed, lines joined by CRLF, with no "
		        "line\n"
		        "  end after the last one (the lab tells you if the length does not "
		        "match);\n"
		        "  a chunked body ends every line with CRLF: type the size in hex, the "
		        "data, and\n"
		        "  finish with 0 and an empty line.\n"
		        "Options: --url URL or --lesson N (where to send it, as for get), "
		        "--timeout S,\n"
		        "--trace (then draw the connection).\n"
		        "Ctrl-C abandons the request. `lab raw` reads the lines from stdin.",
	},

	{
		.name = "trace",
		.group = "sending requests",
		.run = cmd_trace,
		.usage = "trace [N]",
		.summary = "draw the last connections as client/server ladders",
		.help = "Each connection the shell used (the last 3, or N, up to 8) as a ladder: "
		        "time\n"
		        "since it was opened on the left, the client's rail, arrows for what went "
		        "across,\n"
		        "the server's rail. connect; each request with its size (with Expect:\n"
		        "100-continue, its head, the 100 Continue, then its body); each response "
		        "with its\n"
		        "status and size; whether the server kept it open; its reuse; and who "
		        "closed it,\n"
		        "when (FIN), or reset it (RST). Colour only on a terminal, never with "
		        "NO_COLOR.\n"
		        "send, get, post… --trace draw their own connection at once.",
	},

	/* article helpers: what the article does in Python, done here */
	{
		.name = "url",
		.group = "article helpers",
		.run = cmd_url,
		.usage = "url URL",
		.summary = "split a URL as Python's urlparse does",
		.help = "Prints what print(urlparse(URL)) prints, then the hostname, username, "
		        "password\n"
		        "and port attributes (None when absent), as the article's URL section "
		        "does.",
	},
	{
		.name = "quote",
		.group = "article helpers",
		.run = cmd_quote,
		.usage = "quote TEXT",
		.summary = "percent-encode TEXT as Python's quote() does",
		.help = "Prints print(quote(TEXT)): letters, digits, _.-~ and / stay, every other "
		        "byte\n"
		        "becomes %XX. Words are joined by one space; quote them to keep more.",
	},
	{
		.name = "mime",
		.group = "article helpers",
		.run = cmd_mime,
		.usage = "mime FILE...",
		.summary = "a file's media type, by name and by content",
		.help = "By name: the extension, as Python's mimetypes says. By content: libmagic, "
		        "as the\n"
		        "article's python-magic says. When they differ, the content is the truth.",
		.takes_file = true,
	},

	/* exercises: your own server: the starter, grading, the reference */
	{
		.name = "exercise",
		.group = "exercises",
		.run = cmd_exercise,
		.usage = "exercise N|MODULE [--force]",
		.summary = "write workspace/NN-slug/server.c: the reference with TODOs to fill in",
		.help = "Writes the lesson's server.c into your workspace with each solution "
		        "region (the\n"
		        "code the lesson is about) replaced by a TODO comment saying what to "
		        "write. It\n"
		        "builds and runs as it is, and fails check until you write the TODOs.\n"
		        "An existing file is never replaced without --force (which keeps it as\n"
		        "server.c.bak). The workspace is $WIRELAB_WORKSPACE, "
		        "else workspace/ here.\n"
		        "exercise MODULE (url, cache, date, cookie, chunked, accept, "
		        "http, multipart)\n"
		        "writes workspace/modules/MODULE.c, a protocol module of common/http with\n"
		        "TODOs; "
		        "for a lesson whose idea is a module, exercise N writes that module\n"
		        "too.",
		.takes_lesson = true,
		.takes_module = true,
	},
	{
		.name = "check",
		.group = "exercises",
		.run = cmd_check,
		.usage = "check N [--cmd C | --url U] | check MODULE [--seconds S] [--replay]",
		.summary = "grade your server against the reference, request by request",
		.help = "Starts lesson N's reference server and yours, sends both the lesson's "
		        "canned\n"
		        "requests and randomised ones (random paths, hosts, cookies, bodies, "
		        "requests\n"
		        "split into small writes), and shows per request pass, or a unified diff "
		        "of the\n"
		        "two answers (header names lower-cased, Date/Expires/Last-Modified/Server\n"
		        "masked, gzip undone, Content-Length judged against the body), the request "
		        "sent\n"
		        "and what your server wrote meanwhile. Every variant is checked in turn, "
		        "each\n"
		        "with its \"variant V: N passed, N failed\"; the last line, \"N passed, N "
		        "failed\",\n"
		        "is the whole check's. A pass of every variant is noted in "
		        "workspace/\n"
		        "progress.json (with how: server.c, --cmd or --url); a pass of the lab's "
		        "own\n"
		        "reference is not.\n"
		        "Your server's stdout and stderr are a terminal, as when you run it at a "
		        "prompt.\n"
		        "  (no option)      build workspace/NN-slug/server.c against common/ "
		        "(warnings\n"
		        "                   shown, not fatal) and run it with --port and "
		        "--variant\n"
		        "  --cmd COMMAND    run COMMAND with /bin/sh, with $PORT (a free port "
		        "to listen\n"
		        "                   on), $VARIANT (the variant to run; empty for a "
		        "lesson\n"
		        "                   without), $UPLOAD_DIR and $LESSON_DIR set: a server "
		        "in any\n"
		        "                   language, started once per variant\n"
		        "  --url URL        a server that is already running (its output is not "
		        "compared,\n"
		        "                   and one variant is checked: the default, or "
		        "--variant's)\n"
		        "  --variant NAME   check only this variant (not noted as the lesson's "
		        "pass)\n"
		        "  --seed S         the same random requests as the run that printed seed "
		        "S\n"
		        "  --timeout S      how long to wait for each answer (default 10)\n"
		        "  --no-sanitize    build server.c without AddressSanitizer and\n"
		        "                   UndefinedBehaviorSanitizer "
		        "(on by default: a memory error\n"
		        "                   stops your server with a report naming your line)\n"
		        "The lesson's check.json chooses the requests (see tools/check/cases.h).\n"
		        "check MODULE grades workspace/modules/MODULE.c in place of the reference: "
		        "its\n"
		        "unit tests, a differential fuzz against the reference (--seconds S, "
		        "default 10;\n"
		        "a difference is saved, and --replay shows it again), then the checks of "
		        "the\n"
		        "lessons that use it, their reference servers built with your module.",
		.takes_lesson = true,
		.takes_module = true,
	},
	{
		.name = "watch",
		.group = "exercises",
		.run = cmd_watch,
		.usage = "watch N|MODULE [check's options]",
		.summary = "check again each time you save a file of the exercise",
		.help = "Runs check N, then again whenever a .c or .h file in workspace/NN-slug/ "
		        "is\n"
		        "saved (inotify). watch MODULE runs check MODULE, then again whenever\n"
		        "workspace/modules/MODULE.c is saved. Ctrl-C stops watching.",
		.takes_lesson = true,
		.takes_module = true,
	},
	{
		.name = "diff",
		.group = "exercises",
		.run = cmd_diff,
		.usage = "diff N [--yes]",
		.summary = "your workspace server.c against the reference",
		.help = "diff -u of lessons/NN-slug/server.c and workspace/NN-slug/server.c. Until "
		        "the lesson passes check, the reference's solution regions are masked "
		        "(shown "
		        "as the starter's TODOs) unless you say yes when asked, or give --yes.",
		.takes_lesson = true,
	},
	{
		.name = "changes",
		.group = "exercises",
		.run = cmd_changes,
		.usage = "changes N [--yes]",
		.summary = "what lesson N adds to lesson N-1",
		.help = "diff -u of the previous lesson's server.c and this one's. The solution "
		        "regions of a lesson you have not passed are masked "
		        "(shown as the starter's "
		        "TODOs) unless you say yes when asked, or give --yes.",
		.takes_lesson = true,
	},
	{
		.name = "solution",
		.group = "exercises",
		.run = cmd_solution,
		.usage = "solution N [--yes]",
		.summary = "show the reference solution (asks first)",
		.help = "Prints lessons/NN-slug/server.c, after asking. From your own shell it "
		        "needs --yes.",
		.takes_lesson = true,
	},
	{
		.name = "hint",
		.group = "exercises",
		.run = cmd_hint,
		.usage = "hint N|MODULE [REGION]",
		.summary = "the next hint for each part you write, before the solution",
		.help = "Each call shows one hint more for each solution region (or only REGION):\n"
		        "first where the lesson explains it, then the RFC section and structure,\n"
		        "then pseudo-code. The hints are lessons/NN-slug/hints.md (a module's:\n"
		        "common/http/hints/MODULE.md); WORKSPACE/hints.json remembers how far you "
		        "are.",
		.takes_lesson = true,
		.takes_module = true,
	},

	/* the shell */
	{
		.name = "help",
		.group = "the shell",
		.run = cmd_help,
		.usage = "help [COMMAND]",
		.summary = "this list, or more about one command",
	},
	{
		.name = "quit",
		.group = "the shell",
		.run = cmd_quit,
		.usage = "quit",
		.summary = "stop the server and leave (also Ctrl-D)",
	},

	/* for the tests: tests/e2e/harness.py renders the golden files with it */
	{
		.name = "normalize",
		.group = "tests",
		.run = cmd_normalize,
		.usage = "normalize --reply N [--open SECONDS] [METHOD...] < BYTES",
		.summary = "the golden text of an exchange (tools/lab/normalize.c)",
		.hidden = true,
	},
	{.name = NULL}, /* the end */
};

const struct command *table_commands(void)
{
	return table;
}
