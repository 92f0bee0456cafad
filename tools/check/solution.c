/* solution.c — finding solution regions line by line and writing the starter. */
#include "solution.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#define BEGIN_TEXT "/* BEGIN SOLUTION"
#define END_TEXT "/* END SOLUTION */"

/* A line of the source, without its line end. */
struct line {
	const char *p;
	size_t len;
	size_t indent; /* leading spaces and tabs */
};

/* fail — sets err and returns -1. */
__attribute__((format(printf, 3, 4))) static int fail(struct solution_error *err, int line,
                                                      const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof err->text, fmt, ap);
	va_end(ap);
	return -1;
}

/* trimmed_end — where the line ends without its trailing blanks (never before its
 * indent). */
static size_t trimmed_end(const struct line *l)
{
	size_t end = l->len;

	while (end > l->indent && (l->p[end - 1] == ' ' || l->p[end - 1] == '\t' ||
	                           l->p[end - 1] == '\r'))
		end--;
	return end;
}

/* trimmed_is — does the line, without surrounding blanks, equal text? */
static bool trimmed_is(const struct line *l, const char *text)
{
	size_t end = trimmed_end(l), n = strlen(text);

	return end - l->indent == n && memcmp(l->p + l->indent, text, n) == 0;
}

/* mentions — does the line hold word anywhere? (A marker with a typo must not pass
 * silently as a comment.) */
static bool mentions(const struct line *l, const char *word)
{
	return memmem(l->p, l->len, word, strlen(word)) != NULL;
}

/* begin_text — for a well-formed BEGIN line, where its text starts and how long it is;
 * false when the line is not exactly BEGIN_TEXT, a colon, a space, the text and the
 * comment's end, after its indent. */
static bool begin_text(const struct line *l, const char **text, size_t *n)
{
	const char *p = l->p + l->indent, *end = l->p + trimmed_end(l);
	size_t k = strlen(BEGIN_TEXT ": ");

	if ((size_t)(end - p) < k + 2 || memcmp(p, BEGIN_TEXT ": ", k) != 0 ||
	    memcmp(end - 2, "*/", 2) != 0)
		return false;
	*text = p + k;
	*n = (size_t)(end - 2 - *text);
	while (*n > 0 && (*text)[*n - 1] == ' ')
		(*n)--;
	return memmem(*text, *n, "*/", 2) == NULL; /* one comment, nothing after it */
}

/* next_line — the line at src[*pos..len), advancing *pos past its line end. */
static struct line next_line(const char *src, size_t len, size_t *pos)
{
	const char *p = src + *pos, *nl = memchr(p, '\n', len - *pos);
	struct line l = {p, nl ? (size_t)(nl - p) : len - *pos, 0};

	*pos += l.len + (nl ? 1 : 0);
	while (l.indent < l.len && (p[l.indent] == ' ' || p[l.indent] == '\t'))
		l.indent++;
	return l;
}

/* on_begin — a BEGIN line: checks it and writes the TODO line in its place. */
static int on_begin(const struct line *l, int no, bool inside, int opened, FILE *out,
                    struct solution_error *err)
{
	const char *text;
	size_t n;

	if (inside)
		return fail(err, no, "a BEGIN SOLUTION inside the region opened on line %d", opened);
	if (!begin_text(l, &text, &n))
		return fail(err, no, "a BEGIN SOLUTION marker must be alone on its line, as "
		            "\"%s: what to write */\"", BEGIN_TEXT);
	if (n == 0)
		return fail(err, no, "a BEGIN SOLUTION marker must say what to write");
	if (n > SOLUTION_TEXT_MAX)
		return fail(err, no, "the text of a BEGIN SOLUTION marker is longer than %d bytes",
		            SOLUTION_TEXT_MAX);
	if (out)
		fprintf(out, "%.*s/* TODO: %.*s */\n", (int)l->indent, l->p, (int)n, text);
	return 0;
}

int solution_strip(const char *src, size_t len, FILE *out, struct solution_error *err)
{
	size_t pos = 0;
	int no = 0, regions = 0, opened = 0;
	bool inside = false;

	while (pos < len) {
		struct line l = next_line(src, len, &pos);
		bool has_end = src[pos - 1] == '\n'; /* next_line took at least one byte */
		no++;
		if (mentions(&l, "BEGIN SOLUTION")) {
			if (on_begin(&l, no, inside, opened, out, err) < 0)
				return -1;
			inside = true;
			opened = no;
			regions++;
		} else if (mentions(&l, "END SOLUTION")) {
			if (!trimmed_is(&l, END_TEXT))
				return fail(err, no, "an END SOLUTION marker must be alone on its line, as "
				            "\"%s\"", END_TEXT);
			if (!inside)
				return fail(err, no, "an END SOLUTION without a BEGIN SOLUTION before it");
			inside = false;
		} else if (!inside && out) {
			fwrite(l.p, 1, l.len, out);
			if (has_end)
				fputc('\n', out);
		}
	}
	if (inside)
		return fail(err, opened, "the region opened here has no END SOLUTION");
	return regions;
}
