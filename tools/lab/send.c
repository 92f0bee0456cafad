/* send.c — the commands that talk to a server: send (a canned request), get/head/post/
 * put/delete (a request built for you) and raw (one typed line by line). All of them
 * pick a target, run one exchange, and show it the same way. */
#include "send.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client.h"
#include "commands.h"
#include "conn.h"
#include "curl.h"
#include "input.h"
#include "lab.h"
#include "net.h"
#include "request.h"
#include "url.h"

#define REPLY_MAX (16 * 1024 * 1024) /* stop reading a response after this much */
#define SHOW_LINES 40
#define SHOW_BYTES 4096
#define USER_AGENT "wirelab-lab"

/* Where a request goes. */
struct target {
	char host[256];
	int port;
	struct proc *temp;   /* a reference server started for this one request, or NULL */
	struct proc *watch;  /* the server whose output to show afterwards, or NULL */
	char label[320];       /* "127.0.0.1:8080 (lesson 03)" */
};

/* ---- targets ---------------------------------------------------------------------- */

/* target_url — host and port from an http:// URL; false after a sentence. */
static bool target_url(struct lab *lab, const char *url, struct target *t)
{
	if (!lab_url_address(lab, url, t->host, sizeof t->host, &t->port))
		return false;
	snprintf(t->label, sizeof t->label, "%s:%d", t->host, t->port);
	return true;
}

/* target_running — the shell's running server. */
static void target_running(struct lab *lab, struct target *t)
{
	snprintf(t->host, sizeof t->host, "127.0.0.1");
	t->port = lab->server.port;
	t->watch = &lab->server;
	snprintf(t->label, sizeof t->label, "127.0.0.1:%d (lesson %02d)", t->port,
	         lab->server.lesson);
}

/* target_temp — a reference server of lesson l on a free port, just for this request. */
static bool target_temp(struct lab *lab, struct catalog_lesson *l, const char *variant,
                        struct target *t)
{
	if (!(t->temp = malloc(sizeof *t->temp))) {
		lab_error(lab, "out of memory");
		return false;
	}
	if (lab_start_server(lab, t->temp, l, variant, 0, false, NULL) != LAB_OK) {
		free(t->temp);
		t->temp = NULL;
		return false;
	}
	snprintf(t->host, sizeof t->host, "127.0.0.1");
	t->port = t->temp->port;
	t->watch = t->temp;
	snprintf(t->label, sizeof t->label, "127.0.0.1:%d (lesson %02d, started for this)", t->port,
	         l->number);
	return true;
}

/* target_release — stops a server started for the request, saying so if it failed. */
static void target_release(struct lab *lab, struct target *t)
{
	if (!t->temp)
		return;
	bool was_running = t->temp->running; /* if not, its exit has been reported */
	int status = proc_stop(t->temp);
	if (was_running && status != 0)
		lab_error(lab, "the lesson %s server exited with status %d when stopped",
		          t->temp->name, status);
	free(t->temp);
	t->temp = NULL;
}

/* no_target — nothing to send to: say what would fix it. */
static bool no_target(struct lab *lab, const char *cmd)
{
	if (lab->interactive)
		lab_error(lab, "no server is running: start one (start 3), or give --url "
		          "http://127.0.0.1:PORT%s", strcmp(cmd, "send") ? " or --lesson N" : "");
	else
		lab_error(lab, "lab %s needs a server: --url http://127.0.0.1:PORT, or %s", cmd,
		          strcmp(cmd, "send")
		                  ? "--lesson N to start lesson N's server for it"
		                  : "a lesson (lab send 3 NAME) to start its server for it");
	return false;
}

/* pick_target — --url, else --lesson (a reference server), else the running server. */
static bool pick_target(struct lab *lab, const char *cmd, const struct opts *o,
                        struct target *t)
{
	struct catalog_lesson *l;

	memset(t, 0, sizeof *t);
	if (o->url)
		return target_url(lab, o->url, t);
	if (o->lesson) {
		if (!(l = find_lesson_or_say(lab, o->lesson)))
			return false;
		if (!lab->server.running || lab->server.lesson != l->number || o->variant)
			return target_temp(lab, l, o->variant, t);
	}
	if (!lab->server.running)
		return no_target(lab, cmd);
	target_running(lab, t);
	return true;
}

/* ---- one exchange ----------------------------------------------------------------- */

/* show_ending — how the exchange ended, in one line or one sentence. kept says whether
 * the lab keeps a connection the server left open. */
static int show_ending(struct lab *lab, int rc, const struct client_reply *r, const char *err,
                       int timeout_ms, bool kept)
{
	const struct style *st = &lab->style;
	double ms = (double)r->total_us / 1000, first = (double)r->first_us / 1000;

	if (rc == CLIENT_OK && r->len == 0 && r->closed) {
		printf("%s--- no response: the server closed the connection without sending a byte "
		       "(%.1f ms)%s\n", style_on(st, ST_DIM), ms, style_on(st, ST_RESET));
		return LAB_OK;
	}
	if (rc == CLIENT_OK && r->closed) {
		printf("%s--- %s by the server: %zu bytes in %.1f ms (first byte at %.1f ms)%s\n",
		       style_on(st, ST_DIM), r->reset ? "reset" : "closed", r->len, ms, first,
		       style_on(st, ST_RESET));
		if (r->truncated)
			lab_note(lab, "(the lab stopped reading after %d MiB)", REPLY_MAX >> 20);
		return LAB_OK;
	}
	if (rc == CLIENT_OK) {
		printf("%s--- kept open by the server: %zu bytes in %.1f ms "
		       "(first byte at %.1f ms)\n"
		       "    %s%s\n",
		       style_on(st, ST_DIM), r->len, ms, first,
		       kept ? "the next request to this server reuses the connection"
		            : "the lab closes it now",
		       style_on(st, ST_RESET));
		return LAB_OK;
	}
	if (rc == CLIENT_TIMEOUT && r->len)
		lab_error(lab,
		          "the server sent %zu bytes but neither finished nor closed the "
		          "connection within %g s (--timeout S waits longer)",
		          r->len, timeout_ms / 1000.0);
	else if (rc == CLIENT_TIMEOUT)
		lab_error(lab, "no answer within %g s: the server accepted the connection but sent "
		          "nothing (--timeout S waits longer; log shows what it printed)",
		          timeout_ms / 1000.0);
	else if (rc == CLIENT_CANCELLED) /* after the terminal's ^C, on a line of its own */
		lab_error(lab, "%sinterrupted after %.1f s (%zu bytes had come)",
		          input_is_terminal(lab->input) ? "\n" : "", ms / 1000, r->len);
	else if (rc == CLIENT_RESET)
		lab_error(lab,
		          "the server reset the connection before answering: it closed with our "
		          "bytes unread, or crashed (log shows what it printed)");
	else
		lab_error(lab, "%s", err);
	return LAB_FAIL;
}

/* show_printed — what the server printed on stdout while it handled the request. */
static void show_printed(struct lab *lab, struct proc *s, uint64_t mark)
{
	char *text = malloc(PROC_RING_CAP);
	size_t n;

	proc_settle(s, 50, 500); /* its output may trail its answer by a moment */
	if (text && (n = proc_ring_since(&s->out, mark, text, PROC_RING_CAP)) > 0) {
		lab_note(lab, "--- the server printed:");
		fwrite(text, 1, n, stdout);
		if (text[n - 1] != '\n')
			putchar('\n');
	}
	free(text);
	if (!s->running) /* it died handling the request */
		lab_report_exit(lab, s);
}

/* connect_error — a sentence for a failed connect. */
static void connect_error(struct lab *lab, int rc, const struct target *t, const char *err)
{
	if (rc == CLIENT_REFUSED)
		lab_error(lab, "connection refused: nothing listens on %s port %d. %s", t->host,
		          t->port,
		          t->watch ? "Has the server stopped? (log)"
		                   : "Is your server running there?");
	else if (rc == CLIENT_TIMEOUT)
		lab_error(lab, "no connection to %s port %d within the time limit", t->host,
		          t->port);
	else if (rc == CLIENT_CANCELLED)
		lab_error(lab, "interrupted while connecting");
	else
		lab_error(lab, "%s", err);
}

/* lab_conns — the lab's connections, made on first use (main frees them). */
static struct conns *lab_conns(struct lab *lab)
{
	if (!lab->conns)
		lab->conns = conns_new();
	return lab->conns;
}

/* open_connection — the connection kept open to t if there is one (saying so), else a
 * new one; its log in *log. Returns the socket, or -1 after a sentence. */
static int open_connection(struct lab *lab, struct conns *cs, const struct target *t,
                           const struct client_wait *w, struct conn_log **log, int *before)
{
	char err[LIMIT_ERR_LEN];
	bool was_closed = false;
	int64_t started = conn_now_us();
	int fd = t->temp ? -1 : conns_take(cs, t->host, t->port, log, &was_closed);

	*before = fd >= 0 ? cs->requests : 0;
	if (was_closed)
		lab_note(lab, "--- the server had closed the connection kept open: the lab opens "
		         "a new one");
	if (fd >= 0) {
		lab_note(lab,
		         "--- reusing connection %d, kept open by the server (request %d on it)",
		         (*log)->id, *before + 1);
		return fd;
	}
	fd = client_connect(t->host, t->port, w, err);
	if (fd < 0) {
		if (fd == CLIENT_CANCELLED)
			lab_interrupted(lab);
		connect_error(lab, fd, t, err);
		return -1;
	}
	*log = conns_open(cs, t->label, started);
	return fd;
}

/* show_curl_for — the curl line; for a server started just for this request, against
 * the port `start N` uses, since that one is gone. */
static void show_curl_for(struct lab *lab, const struct target *t, const unsigned char *req,
                          size_t len, const struct opts *o)
{
	show_curl(stdout, &lab->style, req, len, t->host, t->temp ? LAB_DEFAULT_PORT : t->port,
	          t->port, o->parts, o->nparts);
	if (t->temp)
		lab_note(lab, "(the server started for this request is gone: this line is for "
		         "%sstart %d, port %d)", lab_typed(lab), t->temp->lesson, LAB_DEFAULT_PORT);
}

/* exchange — sends req[0..len) to t and shows everything; returns a lab_status. */
static int exchange(struct lab *lab, const struct target *t, const unsigned char *req,
                    size_t len, const struct opts *o)
{
	const struct style *st = &lab->style;
	struct show_limits lim = {o->full, SHOW_LINES, SHOW_BYTES};
	struct client_wait w = {net_now_ms() + o->timeout_ms, lab->sigfd};
	struct client_reply reply = {0};
	struct conns *cs = lab_conns(lab);
	struct conn_plan plan;
	struct conn_log *log;
	char err[LIMIT_ERR_LEN];
	uint64_t mark = t->watch ? t->watch->out.total : 0;
	int before;

	if (!cs || conn_plan(req, len, &plan) != 0) {
		lab_error(lab, "out of memory");
		return LAB_FAIL;
	}
	lab_drain_signals(lab);
	show_request(stdout, st, req, len, t->label, &lim);
	fflush(stdout);
	int fd = open_connection(lab, cs, t, &w, &log, &before);
	if (fd < 0)
		return LAB_FAIL;
	int rc = conn_exchange(fd, req, len, &plan, REPLY_MAX, &w, &reply, log, err);
	if (rc == CLIENT_CANCELLED)
		lab_interrupted(lab);
	bool keep = rc == CLIENT_OK && !reply.closed && !t->temp && lab->interactive;
	if (keep)
		conns_keep(cs, log, fd, t->host, t->port, before + (int)plan.complete);
	else
		conns_close(cs, log, fd);
	show_responses(stdout, st, &reply, req, len, lab_sniffer(lab), &lim);
	int status = show_ending(lab, rc, &reply, err, o->timeout_ms, keep);
	if (t->watch)
		show_printed(lab, t->watch, mark);
	show_curl_for(lab, t, req, len, o);
	if (o->trace)
		conn_trace(stdout, st, log);
	client_reply_free(&reply);
	return status;
}

/* ---- send ------------------------------------------------------------------------- */

/* send_names — the lesson and request name from "NAME", "N NAME" or "N/NAME". */
static struct catalog_lesson *send_names(struct lab *lab, int argc, char **argv, const char **name)
{
	char *slash = argc == 2 ? strchr(argv[1], '/') : NULL;

	if (argc == 3) {
		*name = argv[2];
		return find_lesson_or_say(lab, argv[1]);
	}
	if (slash) {
		*slash = '\0';
		*name = slash + 1;
		return find_lesson_or_say(lab, argv[1]);
	}
	*name = argv[1];
	if (lab->server.running)
		return catalog_by_number(&lab->lessons, lab->server.lesson);
	if (lab->interactive)
		lab_error(lab,
		          "no server is running, so which lesson's '%s'? start N first, or say "
		          "send N %s",
		          argv[1], argv[1]);
	else
		lab_error(lab, "which lesson's '%s'? Say lab send N %s (or N/%s)", argv[1], argv[1],
		          argv[1]);
	return NULL;
}

/* read_canned — the bytes of l's request name, or NULL after a sentence naming the
 * requests it has. */
static unsigned char *read_canned(struct lab *lab, const struct catalog_lesson *l,
                                  const char *name, size_t *len)
{
	unsigned char *buf;
	struct catalog_names names;
	char list[1024];
	int rc = catalog_request_read(l, name, &buf, len);

	if (rc == 0)
		return buf;
	if (rc == -2) {
		lab_error(lab, "cannot read lesson %02d's request '%s'", l->number, name);
		return NULL;
	}
	if (catalog_requests(l, &names) == 0) {
		catalog_names_join(&names, list, sizeof list);
		lab_error(lab, "lesson %02d has no request '%s'. %s%s", l->number, name,
		          names.n ? "Its requests: " : "It has no canned requests.", list);
		catalog_names_free(&names);
	}
	return NULL;
}

int cmd_send(struct lab *lab, int argc, char **argv)
{
	struct opts o;
	struct target t;
	struct catalog_lesson *l;
	const char *name;
	size_t len;

	if (opts_parse(lab, "send", &argc, argv,
	               OPT_TIMEOUT | OPT_URL | OPT_FULL | OPT_VARIANT | OPT_TRACE, &o))
		return LAB_USAGE;
	if (argc < 2 || argc > 3)
		return usage_error(lab, "send");
	if (!(l = send_names(lab, argc, argv, &name)))
		return LAB_USAGE;
	unsigned char *req = read_canned(lab, l, name, &len);
	if (!req)
		return LAB_FAIL;
	char number[8];
	snprintf(number, sizeof number, "%d", l->number);
	if (!o.url)
		o.lesson = number; /* the running server if it is this lesson, else a fresh one */
	int rc = LAB_FAIL;
	if (pick_target(lab, "send", &o, &t)) {
		rc = exchange(lab, &t, req, len, &o);
		target_release(lab, &t);
	}
	free(req);
	return rc;
}

/* ---- get, head, post, put, delete --------------------------------------------------- */

/* request_target — PATH as it goes on the request line: spaces and other bytes a
 * request line cannot hold are percent-encoded (as Python's requests does); a whole
 * URL gives its path and query, and becomes the target of the request. */
static bool request_target(struct lab *lab, const char *path, struct target *t,
                           char *out, size_t cap, bool *is_url)
{
	static const char safe[] = "/?&=:@!$'()*+,;%~[]";
	char whole[4096];
	struct url_parts u;

	*is_url = strncasecmp(path, "http://", 7) == 0 || strncasecmp(path, "https://", 8) == 0;
	if (*is_url) {
		if (!target_url(lab, path, t))
			return false;
		url_split(path, strlen(path), &u);
		snprintf(whole, sizeof whole, "%.*s%s%.*s", (int)u.path.len,
		         u.path.len ? u.path.p : "/", u.query.len ? "?" : "", (int)u.query.len,
		         u.query.p);
		path = whole;
	} else if (path[0] != '/' && strcmp(path, "*") != 0) {
		lab_error(lab, "'%s': a path starts with / (or give a whole URL)", path);
		return false;
	}
	if (url_quote(path, strlen(path), safe, out, cap) >= cap) {
		lab_error(lab, "that path is too long for the lab");
		return false;
	}
	return true;
}

/* default_headers — what every built request carries, as curl sends them: Host naming
 * the target, then User-Agent, Accept, and Accept-Encoding: gzip; with a body, its
 * length and type. No Connection header: the connection may stay open. */
static void default_headers(struct request_headers *h, const struct target *t,
                            const struct request_body *b)
{
	char host[300], length[32];

	snprintf(host, sizeof host, t->port == 80 ? "%s" : "%s:%d", t->host, t->port);
	request_set_header(h, "Host", host);
	request_set_header(h, "User-Agent", USER_AGENT);
	request_set_header(h, "Accept", "*/*");
	request_set_header(h, "Accept-Encoding", "gzip");
	if (b->present) {
		snprintf(length, sizeof length, "%zu", b->len);
		request_set_header(h, "Content-Type", b->type);
		request_set_header(h, "Content-Length", length);
	}
}

/* method_name — the command in capitals: get -> GET. */
static void method_name(const char *cmd, char *out, size_t cap)
{
	size_t n = strlen(cmd) < cap - 1 ? strlen(cmd) : cap - 1;

	for (size_t i = 0; i < n; i++)
		out[i] = (char)toupper((unsigned char)cmd[i]);
	out[n] = '\0';
}

/* build — the request's bytes: the defaults for t and the body, then the student's
 * headers over them. */
static int build(const char *method, const char *target_text, const struct target *t,
                 const struct request_headers *mine, const struct request_body *body,
                 unsigned char **req, size_t *len)
{
	struct request_headers *h = calloc(1, sizeof *h);
	int rc = -1;

	if (h) {
		default_headers(h, t, body);
		for (size_t i = 0; i < mine->n; i++)
			request_set_header(h, mine->names[i], mine->values[i]);
		rc = request_bytes(method, target_text, h, body, req, len);
	}
	free(h);
	return rc;
}

/* request_with — cmd_request once the headers are known to be right. */
static int request_with(struct lab *lab, const char *cmd, const char *path, struct opts *o,
                        const struct request_headers *mine)
{
	char method[16], target_text[8192];
	struct request_body body = {0};
	struct target t;
	bool is_url;
	unsigned char *req;
	size_t len;
	int rc = LAB_FAIL;

	method_name(cmd, method, sizeof method);
	memset(&t, 0, sizeof t);
	if (request_target(lab, path, &t, target_text, sizeof target_text, &is_url) &&
	    request_body(lab, o, &body) && (is_url || pick_target(lab, cmd, o, &t)) &&
	    build(method, target_text, &t, mine, &body, &req, &len) == 0) {
		rc = exchange(lab, &t, req, len, o);
		free(req);
	}
	target_release(lab, &t);
	request_body_free(&body);
	return rc;
}

int cmd_request(struct lab *lab, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct opts o;
	int rc = LAB_USAGE;

	if (opts_parse(lab, cmd, &argc, argv, OPT_DATA | OPT_FILE | OPT_URL | OPT_LESSON |
	               OPT_TIMEOUT | OPT_FULL | OPT_TRACE, &o))
		return LAB_USAGE;
	if (argc < 2)
		return usage_error(lab, cmd);
	/* An empty value removes a header, so the student's are kept apart until the end. */
	struct request_headers *mine = calloc(1, sizeof *mine);
	if (!mine)
		return LAB_FAIL;
	if (request_user_headers(lab, argc - 2, argv + 2, mine))
		rc = request_with(lab, cmd, argv[1], &o, mine);
	free(mine);
	return rc;
}

/* ---- raw ---------------------------------------------------------------------------- */

/* read_line — the next line typed (interactive) or read from stdin (one-shot); NULL at
 * the end or on Ctrl-C (then *interrupted is set). */
static char *read_line(struct lab *lab, const char *prompt, bool *interrupted)
{
	char *line = NULL;
	size_t cap = 0;

	if (lab->input) {
		enum input_result r = input_read(lab, prompt, false, &line);
		*interrupted = r == INPUT_INTERRUPTED;
		return r == INPUT_LINE ? line : NULL;
	}
	if (getline(&line, &cap, stdin) < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

/* A request being typed. */
struct typed {
	char *buf;
	size_t size;
	FILE *f;
	bool head_ended;         /* an empty line came */
	bool has_length, chunked;
	long length;             /* the Content-Length typed, or -1 */
	size_t body_start;       /* where the body begins in buf, once it does */
};

/* typed_head_line — notes what a head line says about a body, and writes it with CRLF. */
static void typed_head_line(struct typed *ty, const char *line)
{
	if (strncasecmp(line, "Content-Length:", 15) == 0) {
		ty->has_length = true;
		ty->length = strtol(line + 15, NULL, 10);
	}
	if (strncasecmp(line, "Transfer-Encoding:", 18) == 0)
		ty->chunked = true;
	fprintf(ty->f, "%s\r\n", line);
}

/* read_head — lines until an empty one, each written with CRLF. Returns 0, or 1 when
 * abandoned (Ctrl-C, or no line at all before the end of input). */
static int read_head(struct lab *lab, struct typed *ty)
{
	bool interrupted = false;
	char *line;

	while ((line = read_line(lab, "raw> ", &interrupted))) {
		ty->head_ended = *line == '\0';
		if (ty->head_ended)
			fputs("\r\n", ty->f);
		else
			typed_head_line(ty, line);
		free(line);
		if (ty->head_ended)
			return 0;
	}
	return interrupted || ftell(ty->f) == 0 ? 1 : 0; /* at the end of input: send what came */
}

/* read_body — lines until ".": a Content-Length body joins them with CRLF (no line end
 * after the last), a chunked body ends every line with CRLF. Returns 0, or 1 on Ctrl-C. */
static int read_body(struct lab *lab, struct typed *ty)
{
	bool interrupted = false;
	char *line;

	fflush(ty->f);
	ty->body_start = ty->size;
	for (bool first = true; (line = read_line(lab, "body> ", &interrupted)); first = false) {
		bool end = strcmp(line, ".") == 0;
		if (!end)
			fprintf(ty->f, "%s%s%s", first || ty->chunked ? "" : "\r\n", line,
			        ty->chunked ? "\r\n" : "");
		free(line);
		if (end)
			break;
	}
	return interrupted ? 1 : 0;
}

/* read_typed — the head, then the body when the head announces one. Returns 0, or 1
 * when the student abandoned it. */
static int read_typed(struct lab *lab, struct typed *ty)
{
	if (lab->input)
		lab_note(lab, "type the request; an empty line ends the head (help raw says more)");
	int rc = read_head(lab, ty);
	if (rc == 0 && ty->head_ended && (ty->has_length || ty->chunked))
		rc = read_body(lab, ty);
	return rc;
}

int cmd_raw(struct lab *lab, int argc, char **argv)
{
	struct typed ty = {.length = -1};
	struct opts o;
	struct target t;

	if (opts_parse(lab, "raw", &argc, argv,
	               OPT_URL | OPT_LESSON | OPT_TIMEOUT | OPT_FULL | OPT_TRACE, &o))
		return LAB_USAGE;
	if (argc != 1)
		return usage_error(lab, "raw");
	if (!pick_target(lab, "raw", &o, &t))
		return LAB_FAIL;
	int rc = LAB_FAIL;
	if ((ty.f = open_memstream(&ty.buf, &ty.size))) {
		int got = read_typed(lab, &ty);
		if (fclose(ty.f) == 0 && got == 0) {
			size_t body = ty.body_start ? ty.size - ty.body_start : 0;
			if (ty.has_length && !ty.chunked && ty.length != (long)body)
				lab_note(lab, "note: Content-Length says %ld, and the body is "
				         "%zu bytes; the lab sends it as typed", ty.length, body);
			rc = exchange(lab, &t, (unsigned char *)ty.buf, ty.size, &o);
		} else if (got == 1) {
			lab_note(lab, "nothing sent");
		}
		free(ty.buf);
	}
	target_release(lab, &t);
	return rc;
}

/* ---- trace ---------------------------------------------------------------------------- */

#define TRACE_DEFAULT 3 /* connections trace draws without a count */

int cmd_trace(struct lab *lab, int argc, char **argv)
{
	struct conns *cs = lab->conns;
	char *end;
	long count = TRACE_DEFAULT;

	if (argc > 2)
		return usage_error(lab, "trace");
	if (argc == 2 && ((count = strtol(argv[1], &end, 10)) < 1 || *end)) {
		lab_error(lab, "trace: how many connections? A number from 1 to %d, not '%s'",
		          CONN_LOGS_MAX, argv[1]);
		return LAB_USAGE;
	}
	if (!cs || cs->last_id == 0) {
		lab_error(lab, "no connection yet: trace draws the connections of send, get, post… "
		          "(%ssend N NAME --trace draws one at once)", lab_typed(lab));
		return LAB_FAIL;
	}
	int first = cs->last_id - (int)count + 1;
	if (first < 1)
		first = 1;
	for (int id = first; id <= cs->last_id; id++) {
		struct conn_log *log = conns_log(cs, id);
		if (!log)
			continue;
		conn_trace(stdout, &lab->style, log);
		if (id < cs->last_id)
			putchar('\n');
	}
	return LAB_OK;
}
