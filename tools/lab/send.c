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
#include "curl.h"
#include "input.h"
#include "lab.h"
#include "net.h"
#include "url.h"

#define REPLY_MAX (16 * 1024 * 1024) /* stop reading a response after this much */
#define SHOW_LINES 40
#define SHOW_BYTES 4096
#define USER_AGENT "wirelab-lab"
#define HEADERS_MAX 64

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
	snprintf(t->label, sizeof t->label, "127.0.0.1:%d (lesson %02d)", t->port, lab->server.lesson);
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
		lab_error(lab, "the lesson %s server exited with status %d when stopped", t->temp->name,
		          status);
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
		          strcmp(cmd, "send") ? "--lesson N to start lesson N's server for it"
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

/* show_ending — how the exchange ended, in one line or one sentence. */
static int show_ending(struct lab *lab, int rc, const struct client_reply *r, const char *err,
                       int timeout_ms)
{
	const struct style *st = &lab->style;
	double ms = (double)r->total_us / 1000, first = (double)r->first_us / 1000;

	if (rc == CLIENT_OK && r->len == 0) {
		printf("%s--- no response: the server closed the connection without sending a byte "
		       "(%.1f ms)%s\n", style_on(st, ST_DIM), ms, style_on(st, ST_RESET));
		return LAB_OK;
	}
	if (rc == CLIENT_OK) {
		printf("%s--- %s by the server: %zu bytes in %.1f ms (first byte at %.1f ms)%s\n",
		       style_on(st, ST_DIM), r->reset ? "reset" : "closed", r->len, ms, first,
		       style_on(st, ST_RESET));
		if (r->truncated)
			lab_note(lab, "(the lab stopped reading after %d MiB)", REPLY_MAX >> 20);
		return LAB_OK;
	}
	if (rc == CLIENT_TIMEOUT && r->len)
		lab_error(lab, "the server sent %zu bytes but neither finished nor closed the "
		          "connection within %g s (--timeout S waits longer)", r->len, timeout_ms / 1000.0);
	else if (rc == CLIENT_TIMEOUT)
		lab_error(lab, "no answer within %g s: the server accepted the connection but sent "
		          "nothing (--timeout S waits longer; log shows what it printed)",
		          timeout_ms / 1000.0);
	else if (rc == CLIENT_CANCELLED) /* after the terminal's ^C, on a line of its own */
		lab_error(lab, "%sinterrupted after %.1f s (%zu bytes had come)",
		          input_is_terminal(lab->input) ? "\n" : "", ms / 1000, r->len);
	else if (rc == CLIENT_RESET)
		lab_error(lab, "the server reset the connection before answering: it closed with our "
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
		lab_error(lab, "connection refused: nothing listens on %s port %d. %s", t->host, t->port,
		          t->watch ? "Has the server stopped? (log)" : "Is your server running there?");
	else if (rc == CLIENT_TIMEOUT)
		lab_error(lab, "no connection to %s port %d within the time limit", t->host, t->port);
	else if (rc == CLIENT_CANCELLED)
		lab_error(lab, "interrupted while connecting");
	else
		lab_error(lab, "%s", err);
}

/* exchange — sends req[0..len) to t and shows everything; returns a lab_status. */
static int exchange(struct lab *lab, const struct target *t, const unsigned char *req,
                    size_t len, const struct opts *o)
{
	const struct style *st = &lab->style;
	struct show_limits lim = {o->full, SHOW_LINES, SHOW_BYTES};
	struct client_wait w = {net_now_ms() + o->timeout_ms, lab->sigfd};
	struct client_reply reply = {0};
	char err[CLIENT_ERR_LEN];
	uint64_t mark = t->watch ? t->watch->out.total : 0;

	lab_drain_signals(lab);
	show_request(stdout, st, req, len, t->label, &lim);
	fflush(stdout);
	int fd = client_connect(t->host, t->port, &w, err);
	if (fd < 0) {
		if (fd == CLIENT_CANCELLED)
			lab_interrupted(lab);
		connect_error(lab, fd, t, err);
		return LAB_FAIL;
	}
	int rc = client_exchange(fd, req, len, REPLY_MAX, &w, &reply, err);
	close(fd);
	if (rc == CLIENT_CANCELLED)
		lab_interrupted(lab);
	show_responses(stdout, st, &reply, req, len, lab_sniffer(lab), &lim);
	int status = show_ending(lab, rc, &reply, err, o->timeout_ms);
	if (t->watch)
		show_printed(lab, t->watch, mark);
	show_curl(stdout, st, req, len, t->host, t->port);
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
		lab_error(lab, "no server is running, so which lesson's '%s'? start N first, or say "
		          "send N %s", argv[1], argv[1]);
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

	if (opts_parse(lab, "send", &argc, argv, OPT_TIMEOUT | OPT_URL | OPT_FULL | OPT_VARIANT, &o))
		return LAB_USAGE;
	if (argc < 2 || argc > 3)
		return usage_error(lab, "send");
	if (!(l = send_names(lab, argc, argv, &name)))
		return LAB_FAIL;
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

/* A request being built: its headers in order, each replaceable by the student's. */
struct built {
	char names[HEADERS_MAX][64];
	char values[HEADERS_MAX][512];
	size_t n;
};

/* set_header — adds name: value, or replaces the value of a header of that name; an
 * empty value removes it (as curl's -H 'Name:' does). */
static void set_header(struct built *b, const char *name, const char *value)
{
	size_t i = 0;

	while (i < b->n && strcasecmp(b->names[i], name) != 0)
		i++;
	if (i == b->n && (!*value || b->n == HEADERS_MAX))
		return;
	if (!*value) {
		memmove(&b->names[i], &b->names[i + 1], (b->n - i - 1) * sizeof b->names[0]);
		memmove(&b->values[i], &b->values[i + 1], (b->n - i - 1) * sizeof b->values[0]);
		b->n--;
		return;
	}
	snprintf(b->names[i], sizeof b->names[i], "%s", name);
	snprintf(b->values[i], sizeof b->values[i], "%s", value);
	if (i == b->n)
		b->n++;
}

/* header_start — does this word start a header ("Name:" or "Name: value")? */
static bool header_start(const char *w)
{
	size_t n = strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                     "!#$%&'*+-.^_`|~");
	return n > 0 && w[n] == ':';
}

/* append_word — adds word (after a space unless value is empty); false when it would
 * not fit in cap. */
static bool append_word(char *value, size_t *used, size_t cap, const char *word)
{
	size_t n = strlen(word), space = *used && n;

	if (*used + space + n >= cap)
		return false;
	if (space)
		value[(*used)++] = ' ';
	memcpy(value + *used, word, n + 1);
	*used += n;
	return true;
}

/* user_headers — "Name: value" arguments, a value running over the following words
 * until the next "Name:" (so `get / Host: webserver` works unquoted). Returns false
 * after a sentence about a word that is not part of a header. */
static bool user_headers(struct lab *lab, int argc, char **argv, struct built *b)
{
	for (int i = 2; i < argc;) {
		char name[64], value[512] = "";
		size_t used = 0, nlen = strcspn(argv[i], ":");
		if (!header_start(argv[i])) {
			lab_error(lab, "'%s' is not a header: write headers as Name: value", argv[i]);
			return false;
		}
		if (nlen >= sizeof name) {
			lab_error(lab, "the header name '%.*s' is too long for the lab", (int)nlen, argv[i]);
			return false;
		}
		memcpy(name, argv[i], nlen);
		name[nlen] = '\0';
		bool fits = append_word(value, &used, sizeof value, argv[i] + nlen + 1 +
		                        strspn(argv[i] + nlen + 1, " \t"));
		/* "Host: localhost:8080": a value may look like a header name itself */
		for (i++; fits && i < argc && !(header_start(argv[i]) && used > 0); i++)
			fits = append_word(value, &used, sizeof value, argv[i]);
		if (!fits) {
			lab_error(lab, "the value of %s is too long for the lab", name);
			return false;
		}
		set_header(b, name, value);
	}
	return true;
}

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
		snprintf(whole, sizeof whole, "%.*s%s%.*s", (int)u.path.len, u.path.len ? u.path.p : "/",
		         u.query.len ? "?" : "", (int)u.query.len, u.query.p);
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

/* build_request — method, target and headers as bytes, into a new buffer *out. */
static int build_request(const char *method, const char *target, const struct built *b,
                         const char *data, unsigned char **out, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return -1;
	fprintf(f, "%s %s HTTP/1.1\r\n", method, target);
	for (size_t i = 0; i < b->n; i++)
		fprintf(f, "%s: %s\r\n", b->names[i], b->values[i]);
	fputs("\r\n", f);
	if (data)
		fputs(data, f);
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	*out = (unsigned char *)buf;
	*len = size;
	return 0;
}

/* default_headers — what every built request carries, Host naming the target. */
static void default_headers(struct built *b, const struct target *t, const char *data)
{
	char host[300], length[32];

	snprintf(host, sizeof host, t->port == 80 ? "%s" : "%s:%d", t->host, t->port);
	set_header(b, "Host", host);
	set_header(b, "User-Agent", USER_AGENT);
	set_header(b, "Accept", "*/*");
	set_header(b, "Accept-Encoding", "gzip");
	set_header(b, "Connection", "close");
	if (data) {
		snprintf(length, sizeof length, "%zu", strlen(data));
		set_header(b, "Content-Type", "application/x-www-form-urlencoded");
		set_header(b, "Content-Length", length);
	}
}

int cmd_request(struct lab *lab, int argc, char **argv)
{
	char method[16], target_text[8192];
	struct built b = {.n = 0};
	struct opts o;
	struct target t;
	bool is_url;
	unsigned char *req;
	size_t len;
	const char *cmd = argv[0];

	if (opts_parse(lab, cmd, &argc, argv, OPT_DATA | OPT_URL | OPT_LESSON | OPT_TIMEOUT | OPT_FULL,
	               &o))
		return LAB_USAGE;
	if (argc < 2)
		return usage_error(lab, cmd);
	size_t mlen = strlen(cmd) < sizeof method - 1 ? strlen(cmd) : sizeof method - 1;
	for (size_t i = 0; i < mlen; i++)
		method[i] = (char)toupper((unsigned char)cmd[i]);
	method[mlen] = '\0';
	memset(&t, 0, sizeof t);
	if (!request_target(lab, argv[1], &t, target_text, sizeof target_text, &is_url))
		return LAB_FAIL;
	if (!is_url && !pick_target(lab, cmd, &o, &t))
		return LAB_FAIL;
	default_headers(&b, &t, o.data);
	int rc = LAB_FAIL;
	if (user_headers(lab, argc, argv, &b) &&
	    build_request(method, target_text, &b, o.data, &req, &len) == 0) {
		rc = exchange(lab, &t, req, len, &o);
		free(req);
	}
	target_release(lab, &t);
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

	if (opts_parse(lab, "raw", &argc, argv, OPT_URL | OPT_LESSON | OPT_TIMEOUT | OPT_FULL, &o))
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
				lab_note(lab, "note: Content-Length says %ld, and the body is %zu bytes; "
				         "the lab sends it as typed", ty.length, body);
			rc = exchange(lab, &t, (unsigned char *)ty.buf, ty.size, &o);
		} else if (got == 1) {
			lab_note(lab, "nothing sent");
		}
		free(ty.buf);
	}
	target_release(lab, &t);
	return rc;
}
