/* Lesson 08 — multipart/form-data: fields and files in one POST.
 *
 * A form with a file input sends its fields and files as parts of one body, each part
 * opened by a boundary line and described by its own headers (RFC 7578). An upload may
 * be bigger than a server should hold in memory, so this route takes its body in pieces
 * as they arrive (a body reader, httpd.h) and feeds each to a streaming parser
 * (common/http/multipart.c): a file's bytes are on disk before the next ones come. It
 * prints the fields, and saves each file into the upload folder under its base name
 * alone, never overwriting, next to what libmagic says the bytes are: the name and the
 * type a client claims are only claims.
 *
 *   GET  /   an HTML form: two fields and a file
 *   POST /   multipart/form-data: fields printed, files saved, a page listing them
 *
 *   --upload-dir DIR   where files go (default uploads/ in the working directory)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"
#include "files.h"
#include "html.h"
#include "http.h"
#include "lesson.h"
#include "mime.h"
#include "multipart.h"
#include "pystr.h"
#include "response.h"
#include "sniff.h"

#define SNIFF_BYTES 4096   /* what libmagic looks at: the start of the file */

/* One file being saved. */
struct saved {
	/* files_upload_name keeps it to LIMIT_UPLOAD_NAME; then "-N" may be added */
	char name[LIMIT_MULTIPART_NAME + 16];
	char claimed[LIMIT_MULTIPART_TYPE + 1];
	char sniffed[MIME_TYPE_LEN];
	unsigned long long size;
};

/* What one POST is doing: the body reader's state, and the parser's ctx. Allocated, as
 * it is too big for a stack and lives from the head to the body's end. */
struct upload {
	const struct handler_ctx *opt; /* upload_fd, upload_dir, sniffer */
	struct mp_parser parser;
	int status;             /* why a callback stopped the parse */
	const char *why;
	int fd;                 /* the file being written, or -1 */
	bool field;             /* the current part is a field, not a file */
	char value[LIMIT_FORM_FIELD]; /* the field's bytes so far */
	size_t value_len;
	char head[SNIFF_BYTES]; /* the file's first bytes, for libmagic */
	size_t head_len;
	struct saved files[LIMIT_UPLOAD_FILES];
	size_t nfiles;
	FILE *fields;           /* the fields dict, as it will be printed */
	char *fields_text;
	size_t fields_size;
	size_t nfields;
};

static const char form_page[] =
	"<!DOCTYPE html>\n<html><head><title>Upload</title></head>\n<body>\n"
	"<form method=\"post\" action=\"/\" enctype=\"multipart/form-data\">\n"
	"<p><label>field1 <input name=\"field1\" value=\"value1\"></label></p>\n"
	"<p><label>field2 <input name=\"field2\" value=\"value2\"></label></p>\n"
	"<p><label>image_data <input type=\"file\" name=\"image_data\"></label></p>\n"
	"<p><button type=\"submit\">Upload</button></p>\n"
	"</form>\n</body></html>\n";

/* serve_form — the form a browser fills in. */
static void serve_form(const struct request *req, struct response *res,
                       const struct handler_ctx *ctx)
{
	(void)ctx;
	lesson_print_request(req);
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", "text/html; charset=utf-8");
	content_send(res, req, NULL, form_page, sizeof form_page - 1);
}

/* create_unique — creates name in the folder, or name-1.ext, name-2.ext … when taken:
 * O_EXCL makes "is it taken?" and "create it" one step, and O_NOFOLLOW refuses a
 * symbolic link planted under the name. Sets s->name to what was created. Returns the
 * descriptor, or -1. */
static int create_unique(int dir, const char *name, struct saved *s)
{
	/* BEGIN SOLUTION: try name, then name-1.ext, name-2.ext … (up to 1000) in s->name, each
	 * created with openat(O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0660);
	 * return the first descriptor, or -1 on an error other than EEXIST */
	const char *dot = strrchr(name, '.');
	int stem = dot && dot != name ? (int)(dot - name) : (int)strlen(name);
	const char *ext = name + stem;

	for (int k = 0; k < 1000; k++) {
		if (k == 0)
			snprintf(s->name, sizeof s->name, "%s", name);
		else
			snprintf(s->name, sizeof s->name, "%.*s-%d%s", stem, name, k, ext);
		int fd = openat(dir, s->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		                0660);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	/* END SOLUTION */
	return -1;
}

static int stop(struct upload *u, int status, const char *why)
{
	u->status = status;
	u->why = why;
	return 1;
}

static int part_begin(void *ctx, const struct mp_part *part)
{
	struct upload *u = ctx;
	char name[LIMIT_MULTIPART_NAME + 1]; /* the whole name fits: its extension survives */

	/* BEGIN SOLUTION: a part is a field when its Content-Disposition has no filename
	 * (u->field); either way its value and sniffed head start empty. A field: its name
	 * joins the fields dict being printed (u->fields: ", " between entries, the name as
	 * pystr_repr prints it, then ": "), and return. A file input left empty (filename "")
	 * is skipped; one file more than LIMIT_UPLOAD_FILES stops the parse with 400 (stop) */
	u->field = !part->has_filename;
	u->value_len = u->head_len = 0;
	if (u->field) {
		if (u->nfields++)
			fputs(", ", u->fields);
		pystr_repr(u->fields, part->name, strlen(part->name));
		fputs(": ", u->fields);
		return 0;
	}
	if (part->filename[0] == '\0')
		return 0; /* a file input left empty: browsers send filename="" and no bytes */
	if (u->nfiles == LIMIT_UPLOAD_FILES)
		return stop(u, HTTP_BAD_REQUEST, "Too many files in one upload.");
	/* END SOLUTION */
	struct saved *s = &u->files[u->nfiles];
	files_upload_name(part->filename, name, sizeof name); /* the base name, made safe */
	u->fd = create_unique(u->opt->upload_fd, name, s);
	if (u->fd < 0)
		return stop(u, HTTP_INTERNAL_SERVER_ERROR, "The file could not be created.");
	snprintf(s->claimed, sizeof s->claimed, "%s", part->content_type);
	s->size = 0;
	u->nfiles++;
	return 0;
}

static int part_data(void *ctx, const char *data, size_t len)
{
	/* BEGIN SOLUTION: the part's bytes, in as many calls as the parser likes. A field's
	 * are appended to u->value (more than LIMIT_FORM_FIELD in all: stop with 413); a
	 * file's go to u->fd (files_write_all; none open: ignored), its first SNIFF_BYTES
	 * kept in u->head for libmagic, and counted in its size */
	struct upload *u = ctx;

	if (u->field) {
		if (u->value_len + len > LIMIT_FORM_FIELD)
			return stop(u, HTTP_CONTENT_TOO_LARGE,
			            "A form field is larger than 64 KiB.");
		memcpy(u->value + u->value_len, data, len);
		u->value_len += len;
		return 0;
	}
	if (u->fd < 0)
		return 0;
	size_t keep = SNIFF_BYTES - u->head_len < len ? SNIFF_BYTES - u->head_len : len;
	memcpy(u->head + u->head_len, data, keep);
	u->head_len += keep;
	if (files_write_all(u->fd, data, len) < 0)
		return stop(u, HTTP_INTERNAL_SERVER_ERROR, "The file could not be written.");
	u->files[u->nfiles - 1].size += len;
	/* END SOLUTION */
	return 0;
}

static int part_end(void *ctx)
{
	/* BEGIN SOLUTION: the part is over. A field: its value goes into the fields dict
	 * (pystr_repr). A file being written: what libmagic makes of its head (sniff_bytes
	 * into the saved file's sniffed), then close it (and u->fd = -1); a failed close
	 * stops the parse with 500, as the data may not all be written */
	struct upload *u = ctx;

	if (u->field) {
		pystr_repr(u->fields, u->value, u->value_len);
		return 0;
	}
	if (u->fd < 0)
		return 0;
	struct saved *s = &u->files[u->nfiles - 1];
	sniff_bytes(u->opt->sniffer, u->head, u->head_len, s->sniffed);
	int rc = close(u->fd);
	u->fd = -1;
	if (rc < 0)
		return stop(u, HTTP_INTERNAL_SERVER_ERROR, "The file could not be written.");
	/* END SOLUTION */
	return 0;
}

/* discard — a failed upload leaves nothing behind: every file it created goes. */
static void discard(struct upload *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	for (size_t i = 0; i < u->nfiles; i++) {
		unlinkat(u->opt->upload_fd, u->files[i].name, 0);
		printf("deleted %s/%s (the upload failed)\n", u->opt->upload_dir, u->files[i].name);
	}
	u->nfiles = 0;
}

/* report — the page after a good upload: what was saved, names escaped. */
static void report(const struct request *req, struct response *res,
                   const struct upload *u)
{
	char *page = NULL, esc[6 * sizeof u->files[0].name]; /* "&quot;" is 6 bytes */
	size_t len = 0;
	FILE *f = open_memstream(&page, &len); /* a string that grows as it is printed */

	if (!f) {
		res_error(res, HTTP_INTERNAL_SERVER_ERROR, "Out of memory.");
		return;
	}
	fputs("<!DOCTYPE html>\n<html><head><title>Uploaded</title></head>\n<body>\n<ul>\n", f);
	for (size_t i = 0; i < u->nfiles; i++) {
		const struct saved *s = &u->files[i];
		html_escape(s->name, strlen(s->name), esc, sizeof esc);
		fprintf(f, "<li>%s: %llu bytes, %s</li>\n", esc, s->size, s->sniffed);
	}
	fputs("</ul>\n<p><a href=\"/\">Again</a></p>\n</body></html>\n", f);
	if (fclose(f) != 0) {
		free(page);
		res_error(res, HTTP_INTERNAL_SERVER_ERROR, "Out of memory.");
		return;
	}
	res_send_response(res, HTTP_OK);
	res_send_header(res, "Content-Type", "text/html; charset=utf-8");
	content_send(res, req, NULL, page, len);
	free(page);
}

/* print_saved — what the article prints after an upload: the fields, then each file. */
static void print_saved(const struct upload *u)
{
	printf("{%s}\n", u->fields_text);
	for (size_t i = 0; i < u->nfiles; i++) {
		const struct saved *s = &u->files[i];
		printf("saved %s/%s: %llu bytes, libmagic says %s, the client said %s\n",
		       u->opt->upload_dir, s->name, s->size, s->sniffed,
		       s->claimed[0] ? s->claimed : "nothing");
	}
}

/* upload_start — the article's read_post_request, up to the body: a POST must say how
 * long its body is and that it is multipart/form-data with a boundary; then a parser
 * is made ready for its pieces. Returns the upload, or NULL after refusing. */
static void *upload_start(const struct request *req, struct response *res,
                          const struct handler_ctx *opt)
{
	static const struct mp_callbacks cb = {part_begin, part_data, part_end};
	char boundary[LIMIT_MULTIPART_BOUNDARY + 1];
	int b = mp_boundary(http_header_get(req->head, "Content-Type"), boundary);

	lesson_print_request(req);
	if (req->head->framing == HTTP_BODY_NONE) {
		res_error(res, HTTP_LENGTH_REQUIRED,
		          "A POST needs Content-Length or chunked encoding.");
		return NULL;
	}
	if (b == 0) {
		res_send_response(res, HTTP_UNSUPPORTED_MEDIA_TYPE);
		res_send_header(res, "Accept-Post", "multipart/form-data");
		res_error_body(res, "This form takes multipart/form-data.");
		return NULL;
	}
	if (b < 0) {
		res_error(res, HTTP_BAD_REQUEST, "The multipart boundary is missing or invalid.");
		return NULL;
	}
	struct upload *u = calloc(1, sizeof *u);
	if (!u || !(u->fields = open_memstream(&u->fields_text, &u->fields_size))) {
		free(u);
		res_error(res, HTTP_INTERNAL_SERVER_ERROR, "Out of memory.");
		return NULL;
	}
	u->opt = opt;
	u->fd = -1;
	mp_init(&u->parser, boundary, (size_t)b, &cb, u);
	return u;
}

/* upload_piece — the next bytes of the body, as they arrived, through the parser (which
 * calls part_begin, part_data and part_end). What follows the close delimiter is
 * epilogue: the parser ignores it. Returns 0 for more, 1 to stop (u->status says why). */
static int upload_piece(void *state, const char *data, size_t len)
{
	struct upload *u = state;
	int rc = mp_feed(&u->parser, data, len);

	if (rc == PARSE_BAD) {
		u->status = u->parser.status;
		u->why = u->parser.error;
	}
	return rc == PARSE_BAD || rc == PARSE_STOPPED;
}

/* upload_end — the body is in (or the parse stopped): the page, or the refusal, and
 * nothing left behind of a failed upload. res is NULL when the body never came whole:
 * the server answers that; the files go all the same. */
static void upload_end(void *state, const struct request *req, struct response *res)
{
	struct upload *u = state;
	int status = u->status;

	if (!status && res && !mp_done(&u->parser)) {
		status = HTTP_BAD_REQUEST;
		u->why = "The body ended before its closing boundary.";
	}
	if (fclose(u->fields) != 0 && !status) {
		status = HTTP_INTERNAL_SERVER_ERROR;
		u->why = "Out of memory.";
	}
	if (!res || status) {
		discard(u);
		if (res)
			res_error(res, status, u->why);
	} else {
		print_saved(u);
		report(req, res, u);
	}
	fflush(stdout);
	free(u->fields_text);
	free(u);
}

static const struct body_reader upload = {upload_start, upload_piece, upload_end};

static const struct route routes[] = {
	{"/", HTTP_GET, .handler = serve_form},
	{"/", HTTP_POST, .reader = &upload}, /* the body in pieces, as it arrives */
	{0}, /* the end */
};

int main(int argc, char **argv)
{
	static const struct lesson lesson = {
		.name = "08-multipart",
		.dir = LESSON_DIR,
		.routes = routes,
		.max_body = LIMIT_BODY_UPLOAD,
		.takes_uploads = 1, /* opt->upload_fd: --upload-dir, opened before the drop */
		.sniffs = 1,        /* opt->sniffer: libmagic, loaded once */
	};
	return lesson_main(argc, argv, &lesson);
}
