/* request.c — building the request get/head/post/put/delete send: the student's
 * headers, the body, and the bytes. */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "commands.h"
#include "file.h"
#include "lab.h"
#include "mime.h"

#define BODY_FILE_MAX (64 * 1024 * 1024) /* a file sent with --data @ or --file */
#define BOUNDARY_LEN 16                   /* random letters after the browser's prefix */

/* ---- headers --------------------------------------------------------------------------- */

bool request_header_start(const char *w)
{
	size_t n = 0;

	if (!((w[0] >= 'a' && w[0] <= 'z') || (w[0] >= 'A' && w[0] <= 'Z')))
		return false;
	while ((w[n] >= 'a' && w[n] <= 'z') || (w[n] >= 'A' && w[n] <= 'Z') ||
	       (w[n] >= '0' && w[n] <= '9') || w[n] == '-' || w[n] == '_' || w[n] == '.')
		n++;
	return w[n] == ':' && (w[n + 1] == '\0' || w[n + 1] == ' ' || w[n + 1] == '\t');
}

void request_set_header(struct request_headers *h, const char *name, const char *value)
{
	size_t i = 0;

	while (i < h->n && strcasecmp(h->names[i], name) != 0)
		i++;
	if (i == h->n && (!*value || h->n == REQUEST_HEADERS_MAX))
		return;
	if (!*value) {
		memmove(&h->names[i], &h->names[i + 1], (h->n - i - 1) * sizeof h->names[0]);
		memmove(&h->values[i], &h->values[i + 1], (h->n - i - 1) * sizeof h->values[0]);
		h->n--;
		return;
	}
	snprintf(h->names[i], sizeof h->names[i], "%s", name);
	snprintf(h->values[i], sizeof h->values[i], "%s", value);
	if (i == h->n)
		h->n++;
}

/* append — adds text (after one space unless value is empty); false when it would not
 * fit in cap. */
static bool append(char *value, size_t *used, size_t cap, const char *text)
{
	size_t n = strlen(text), space = *used && n;

	if (*used + space + n >= cap)
		return false;
	if (space)
		value[(*used)++] = ' ';
	memcpy(value + *used, text, n + 1);
	*used += n;
	return true;
}

/* trim_end — drops the spaces and tabs at the end of value. */
static void trim_end(char *value, size_t *used)
{
	while (*used > 0 && (value[*used - 1] == ' ' || value[*used - 1] == '\t'))
		value[--*used] = '\0';
}

bool request_user_headers(struct lab *lab, int argc, char **argv, struct request_headers *h)
{
	for (int i = 0; i < argc;) {
		char name[REQUEST_NAME_LEN], value[REQUEST_VALUE_LEN] = "";
		size_t used = 0, nlen = strcspn(argv[i], ":");
		if (!request_header_start(argv[i])) {
			lab_error(lab,
			          "'%s' is not a header: a header is Name: value, with a space "
			          "after the colon (help get shows examples)",
			          argv[i]);
			return false;
		}
		if (nlen >= sizeof name) {
			lab_error(lab, "the header name '%.*s' is too long for the lab", (int)nlen,
			          argv[i]);
			return false;
		}
		memcpy(name, argv[i], nlen);
		name[nlen] = '\0';
		const char *first = argv[i] + nlen + 1;
		bool fits = append(value, &used, sizeof value, first + strspn(first, " \t"));
		for (i++; fits && i < argc && !request_header_start(argv[i]); i++)
			fits = append(value, &used, sizeof value, argv[i]);
		if (!fits) {
			lab_error(lab, "the value of %s is longer than the lab takes (%d bytes)",
			          name, REQUEST_VALUE_LEN - 1);
			return false;
		}
		trim_end(value, &used);
		if (h->n == REQUEST_HEADERS_MAX) {
			lab_error(lab, "more than %d headers: more than the lab takes",
			          REQUEST_HEADERS_MAX);
			return false;
		}
		snprintf(h->names[h->n], sizeof h->names[h->n], "%s", name);
		snprintf(h->values[h->n++], sizeof h->values[0], "%s", value);
	}
	return true;
}

/* ---- bodies ------------------------------------------------------------------------------ */

/* read_file — a file's bytes for a body; false after a sentence. */
static bool read_file(struct lab *lab, const char *option, const char *path, char **buf,
                      size_t *len)
{
	int rc = file_read(path, BODY_FILE_MAX, buf, len);

	if (rc == -1)
		lab_error(lab, "%s: there is no file %s", option, path);
	else if (rc != 0)
		lab_error(lab, "%s: cannot read %s (or it is over %d MiB)", option, path,
		          BODY_FILE_MAX >> 20);
	return rc == 0;
}

/* boundary — a browser's kind of boundary: "----WebKitFormBoundary" and 16 letters. */
static void boundary(char *out, size_t cap)
{
	static const char letters[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[BOUNDARY_LEN];
	char tail[BOUNDARY_LEN + 1];

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		for (size_t i = 0; i < sizeof r; i++)
			r[i] = (unsigned char)(rand() ^ time(NULL));
	for (size_t i = 0; i < sizeof r; i++)
		tail[i] = letters[r[i] % (sizeof letters - 1)];
	tail[BOUNDARY_LEN] = '\0';
	snprintf(out, cap, "----WebKitFormBoundary%s", tail);
}

/* base_name — the last component of path, as a browser sends a file's name. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* add_part — one part of a multipart body: a field's value, or a file's bytes with
 * its name and type. false after a sentence. */
static bool add_part(struct lab *lab, FILE *f, const char *bound, const struct opts_part *part)
{
	const char *eq = strchr(part->text, '=');
	int nlen = (int)(eq - part->text);

	fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"%.*s\"", bound, nlen,
	        part->text);
	if (!part->is_file) {
		fprintf(f, "\r\n\r\n%s\r\n", eq + 1);
		return true;
	}
	char *data;
	size_t len;
	if (!read_file(lab, "--file", eq + 1, &data, &len))
		return false;
	const char *type = mime_from_name(eq + 1);
	fprintf(f, "; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n", base_name(eq + 1),
	        type ? type : "application/octet-stream");
	fwrite(data, 1, len, f);
	fputs("\r\n", f);
	free(data);
	return true;
}

/* multipart — the --file and --field parts as multipart/form-data. */
static bool multipart(struct lab *lab, const struct opts *o, struct request_body *b)
{
	char bound[64], *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	bool ok = f != NULL;

	boundary(bound, sizeof bound);
	for (size_t i = 0; ok && i < o->nparts; i++)
		ok = add_part(lab, f, bound, &o->parts[i]);
	if (f) {
		fprintf(f, "--%s--\r\n", bound);
		ok = fclose(f) == 0 && ok;
	}
	if (!ok) {
		free(buf);
		return false;
	}
	b->p = (unsigned char *)buf;
	b->len = size;
	b->present = true;
	snprintf(b->type, sizeof b->type, "multipart/form-data; boundary=%s", bound);
	return true;
}

bool request_body(struct lab *lab, const struct opts *o, struct request_body *b)
{
	char *data;
	size_t len;

	memset(b, 0, sizeof *b);
	if (o->data && o->nparts) {
		lab_error(lab,
		          "--data and --file/--field make two different bodies: give one kind");
		return false;
	}
	if (o->nparts)
		return multipart(lab, o, b);
	if (!o->data)
		return true;
	snprintf(b->type, sizeof b->type, "application/x-www-form-urlencoded");
	b->present = true;
	if (o->data[0] == '@') { /* as curl: the bytes of a file */
		if (!read_file(lab, "--data", o->data + 1, &data, &len))
			return false;
		b->p = (unsigned char *)data;
		b->len = len;
		return true;
	}
	b->len = strlen(o->data);
	if (!(b->p = malloc(b->len + 1)))
		return false;
	memcpy(b->p, o->data, b->len + 1);
	return true;
}

void request_body_free(struct request_body *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

int request_bytes(const char *method, const char *target, const struct request_headers *h,
                  const struct request_body *b, unsigned char **out, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return -1;
	fprintf(f, "%s %s HTTP/1.1\r\n", method, target);
	for (size_t i = 0; i < h->n; i++)
		fprintf(f, "%s: %s\r\n", h->names[i], h->values[i]);
	fputs("\r\n", f);
	if (b->len)
		fwrite(b->p, 1, b->len, f);
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	*out = (unsigned char *)buf;
	*len = size;
	return 0;
}
