/* solution.c — finding solution regions, then writing the starter: first every marker is
 * read and checked (so nothing is written from a malformed source), then the source is
 * copied with each region replaced by its TODO. */
#include "solution.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

#define BEGIN_TEXT "/* BEGIN SOLUTION:"
#define END_TEXT "/* END SOLUTION */"
#define TAB_WIDTH 8

/* A line of the source, without its line end. */
struct line {
	const char *p;
	size_t len;
	size_t indent; /* leading spaces and tabs */
};

/* One region, as the first pass finds it; offsets are into the source. */
struct region {
	int line;             /* of its BEGIN marker, from 1 */
	size_t begin, after;  /* the start of BEGIN's line; just past END's line */
	size_t indent;        /* BEGIN's leading blanks */
	char text[SOLUTION_TEXT_MAX + 1]; /* the marker's words, one space apart */
	size_t n;
};

/* The source being read, and its regions in order. */
struct source {
	const char *src;
	size_t len, pos; /* pos: the start of the next line */
	int no;          /* the number of the line last read */
	struct region r[SOLUTION_REGIONS_MAX];
	int nr;
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

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* trimmed_end — where the line ends without its trailing blanks (never before its
 * indent). */
static size_t trimmed_end(const struct line *l)
{
	size_t end = l->len;

	while (end > l->indent && is_blank(l->p[end - 1]))
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

/* next_line — the line at s->pos, moving s->pos past its line end. */
static struct line next_line(struct source *s)
{
	const char *p = s->src + s->pos, *nl = memchr(p, '\n', s->len - s->pos);
	struct line l = {p, nl ? (size_t)(nl - p) : s->len - s->pos, 0};

	s->pos += l.len + (nl ? 1 : 0);
	s->no++;
	while (l.indent < l.len && (p[l.indent] == ' ' || p[l.indent] == '\t'))
		l.indent++;
	return l;
}

/* add_words — appends the words of p[0..n) to the region's text, one space apart.
 * Returns -1 when the text grows too long. */
static int add_words(struct region *r, const char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t w = i;
		while (w < n && !is_blank(p[w]))
			w++;
		if (w > i) {
			if (r->n + (r->n > 0) + (w - i) > SOLUTION_TEXT_MAX)
				return -1;
			if (r->n > 0)
				r->text[r->n++] = ' ';
			memcpy(r->text + r->n, p + i, w - i);
			r->n += w - i;
		}
		for (i = w; i < n && is_blank(p[i]); i++)
			;
	}
	r->text[r->n] = '\0';
	return 0;
}

/* marker_part — one line of a BEGIN marker, p[0..n) after BEGIN_TEXT on the first or
 * the indent (and a leading "*") on the others: its words join the text. Sets *closed
 * when the comment ends on this line. Returns 0, or -1 with err set. */
static int marker_part(struct region *r, const char *p, size_t n, bool *closed, int no,
                       struct solution_error *err)
{
	while (n > 0 && is_blank(p[n - 1]))
		n--;
	*closed = n >= 2 && memcmp(p + n - 2, "*/", 2) == 0;
	if (*closed)
		n -= 2;
	if (memmem(p, n, "*/", 2))
		return fail(err, no, "a BEGIN SOLUTION marker must be a comment of its own: "
		            "nothing may follow its */ on the line");
	if (add_words(r, p, n) < 0)
		return fail(err, r->line, "the text of a BEGIN SOLUTION marker is longer than %d "
		            "bytes", SOLUTION_TEXT_MAX);
	return 0;
}

/* read_begin — the BEGIN marker starting on line l, and its continuation lines up to
 * the "*" "/" that closes it, into a new region. Returns 0, or -1 with err set. */
static int read_begin(struct source *s, const struct line *l, struct solution_error *err)
{
	size_t k = strlen(BEGIN_TEXT), end = trimmed_end(l);
	const char *p = l->p + l->indent;
	bool closed;

	if (s->nr == SOLUTION_REGIONS_MAX)
		return fail(err, s->no, "more than %d solution regions", SOLUTION_REGIONS_MAX);
	struct region *r = &s->r[s->nr];
	*r = (struct region){.line = s->no, .begin = (size_t)(l->p - s->src), .indent = l->indent};
	if (end - l->indent < k || memcmp(p, BEGIN_TEXT, k) != 0 ||
	    (end - l->indent > k && !is_blank(p[k])))
		return fail(err, s->no, "a BEGIN SOLUTION marker must start its line, as "
		            "\"%s what to write */\"", BEGIN_TEXT);
	if (marker_part(r, p + k, end - l->indent - k, &closed, s->no, err) < 0)
		return -1;
	while (!closed) {
		if (s->pos == s->len)
			return fail(err, r->line, "this BEGIN SOLUTION marker's comment never "
			            "ends: close it with */");
		struct line c = next_line(s);
		if (mentions(&c, "BEGIN SOLUTION") || mentions(&c, "END SOLUTION"))
			return fail(err, r->line, "this BEGIN SOLUTION marker's comment does not "
			            "end (with */) before line %d", s->no);
		size_t i = c.indent;
		if (i < c.len && c.p[i] == '*' && !(i + 1 < c.len && c.p[i + 1] == '/'))
			i++;
		if (marker_part(r, c.p + i, c.len - i, &closed, s->no, err) < 0)
			return -1;
	}
	if (r->n == 0)
		return fail(err, r->line, "a BEGIN SOLUTION marker must say what to write");
	return 0;
}

/* find_regions — the first pass: every region of the source, checked. Returns the
 * number of regions, or -1 with err set. */
static int find_regions(struct source *s, struct solution_error *err)
{
	bool inside = false;

	while (s->pos < s->len) {
		struct line l = next_line(s);
		if (mentions(&l, "BEGIN SOLUTION")) {
			if (inside)
				return fail(err, s->no, "a BEGIN SOLUTION inside the region opened "
				            "on line %d", s->r[s->nr - 1].line);
			if (read_begin(s, &l, err) < 0)
				return -1;
			s->nr++;
			inside = true;
		} else if (mentions(&l, "END SOLUTION")) {
			if (!trimmed_is(&l, END_TEXT))
				return fail(err, s->no, "an END SOLUTION marker must be alone on "
				            "its line, as \"%s\"", END_TEXT);
			if (!inside)
				return fail(err, s->no, "an END SOLUTION without a BEGIN SOLUTION "
				            "before it");
			s->r[s->nr - 1].after = s->pos;
			inside = false;
		}
	}
	if (inside)
		return fail(err, s->r[s->nr - 1].line, "the region opened here has no END "
		            "SOLUTION");
	return s->nr;
}

/* ---- the function around a region ------------------------------------------------- */

/* The function a region sits in: its signature and its body, as offsets. */
struct function {
	size_t sig, open;  /* the signature's first line; the "{" line */
	size_t body, end;  /* just past the "{" line; the start of the "}" line */
};

/* line_before — the start of the line before the one starting at p (p > 0). */
static size_t line_before(const char *src, size_t p)
{
	size_t q = p - 1; /* the previous line's '\n' */

	while (q > 0 && src[q - 1] != '\n')
		q--;
	return q;
}

/* line_after — the start of the line after the one starting at p (or the end). */
static size_t line_after(const struct source *s, size_t p)
{
	const char *nl = memchr(s->src + p, '\n', s->len - p);

	return nl ? (size_t)(nl - s->src) + 1 : s->len;
}

/* line_is — is the line at p exactly text, trailing blanks aside? */
static bool line_is(const struct source *s, size_t p, const char *text)
{
	size_t n = strlen(text);

	if (s->len - p < n || memcmp(s->src + p, text, n) != 0)
		return false;
	for (p += n; p < s->len && s->src[p] != '\n'; p++)
		if (!is_blank(s->src[p]))
			return false;
	return true;
}

/* find_function — the function around region r: false when r is not inside one
 * (then the starter needs nothing more than its TODO). */
static bool find_function(const struct source *s, const struct region *r, struct function *f)
{
	size_t p = r->begin;

	do {
		if (p == 0)
			return false;
		p = line_before(s->src, p);
	} while (!line_is(s, p, "{") && s->src[p] != '}');
	if (s->src[p] == '}' || p == 0)
		return false;
	f->open = p;
	f->sig = line_before(s->src, p);
	while (f->sig > 0 && (s->src[f->sig] == ' ' || s->src[f->sig] == '\t'))
		f->sig = line_before(s->src, f->sig); /* a signature's continuation lines */
	f->body = line_after(s, p);
	for (p = r->after; p < s->len && s->src[p] != '}';)
		p = line_after(s, p);
	f->end = p;
	return p < s->len;
}

static bool is_ident(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

/* skip_noise — from src[i], past a comment, a string or a character literal when one
 * starts there; else i. */
static size_t skip_noise(const char *src, size_t i, size_t end)
{
	if (i + 1 < end && src[i] == '/' && src[i + 1] == '*') {
		const char *close = memmem(src + i + 2, end - i - 2, "*/", 2);
		return close ? (size_t)(close - src) + 2 : end;
	}
	if (i + 1 < end && src[i] == '/' && src[i + 1] == '/') {
		const char *nl = memchr(src + i, '\n', end - i);
		return nl ? (size_t)(nl - src) : end;
	}
	if (src[i] == '"' || src[i] == '\'') {
		char q = src[i];
		for (i++; i < end && src[i] != q && src[i] != '\n'; i++)
			if (src[i] == '\\')
				i++;
		return i < end ? i + 1 : end;
	}
	return i;
}

/* uses — does src[from..to) name the variable name? Comments, strings and members
 * (after "." or "->") do not count. */
static bool uses(const char *src, size_t from, size_t to, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = from; i < to;) {
		size_t j = skip_noise(src, i, to);
		if (j != i) {
			i = j;
			continue;
		}
		if (!is_ident(src[i], true)) {
			i++;
			continue;
		}
		for (j = i + 1; j < to && is_ident(src[j], false); j++)
			;
		bool member = (i > 0 && src[i - 1] == '.') || (i > 1 && src[i - 1] == '>' &&
		                                              src[i - 2] == '-');
		if (!member && j - i == n && memcmp(src + i, name, n) == 0)
			return true;
		i = j;
	}
	return false;
}

/* used_outside — does the function's body name name outside every region? */
static bool used_outside(const struct source *s, const struct function *f, const char *name)
{
	size_t from = f->body;

	for (int i = 0; i < s->nr; i++) {
		if (s->r[i].begin < f->body || s->r[i].begin >= f->end)
			continue;
		if (uses(s->src, from, s->r[i].begin, name))
			return true;
		from = s->r[i].after;
	}
	return uses(s->src, from, f->end, name);
}

/* param_name — the name a parameter declaration p[0..n) declares into out[0..cap):
 * the identifier after "(*" for a function pointer, else the last one before any "[".
 * Returns false for "void", "..." or a declaration without a name. */
static bool param_name(const char *p, size_t n, char *out, size_t cap)
{
	size_t start, end;

	while (n > 0 && (is_blank(*p) || *p == '\n'))
		p++, n--;
	const char *fp = memmem(p, n, "(*", 2), *bracket = memchr(p, '[', n);
	if (fp) {
		for (start = (size_t)(fp - p) + 2; start < n && is_blank(p[start]); start++)
			;
		for (end = start; end < n && is_ident(p[end], false); end++)
			;
	} else {
		end = bracket ? (size_t)(bracket - p) : n;
		while (end > 0 && !is_ident(p[end - 1], false))
			end--;
		for (start = end; start > 0 && is_ident(p[start - 1], false); start--)
			;
	}
	if (end == start || end - start >= cap || !is_ident(p[start], true) || start == 0)
		return false; /* start 0: a type alone, such as the "void" of f(void) */
	memcpy(out, p + start, end - start);
	out[end - start] = '\0';
	return true;
}

/* param_list — where the parameters of f are: between *open and *close, the
 * signature's outermost parentheses. False when the signature has none. */
static bool param_list(const struct source *s, const struct function *f, const char **open,
                       const char **close)
{
	const char *sig = s->src + f->sig;
	int depth = 1;

	for (*close = s->src + f->open; *close > sig && **close != ')';)
		(*close)--;
	for (*open = *close; *open > sig && depth > 0;) {
		(*open)--;
		depth += **open == ')' ? 1 : **open == '(' ? -1 : 0;
	}
	return depth == 0;
}

/* write_unused — "(void)name;" for each parameter of f that no code outside the regions
 * uses, indented by indent[0..ni). */
static void write_unused(const struct source *s, const struct function *f, const char *indent,
                         size_t ni, FILE *out)
{
	const char *open, *close;
	bool first = true;
	char name[128];

	if (!param_list(s, f, &open, &close))
		return;
	for (const char *p = open + 1; p < close;) {
		const char *q = p; /* the end of this parameter: a comma outside parentheses */
		for (int depth = 0; q < close && (depth > 0 || *q != ','); q++)
			depth += *q == '(' || *q == '[' ? 1 : *q == ')' || *q == ']' ? -1 : 0;
		bool named = param_name(p, (size_t)(q - p), name, sizeof name);
		if (named && !used_outside(s, f, name)) {
			fprintf(out, "%.*s(void)%s;%s\n", (int)ni, indent, name,
			        first ? " /* unused until you write the TODO above */" : "");
			first = false;
		}
		p = q + 1;
	}
}

/* ---- writing the starter ----------------------------------------------------------- */

/* columns — where text[0..n) ends, from column 0, with tabs every TAB_WIDTH. */
static size_t columns(const char *text, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++)
		col = text[i] == '\t' ? (col / TAB_WIDTH + 1) * TAB_WIDTH : col + 1;
	return col;
}

/* write_todo — the region's text as a comment "TODO: …" at the region's indent, wrapped
 * at word boundaries within SOLUTION_WIDTH columns (a word longer than a line has its
 * own). */
static void write_todo(const struct region *r, const char *indent, FILE *out)
{
	size_t margin = columns(indent, r->indent), col = 0;
	const char *t = r->text, *end = r->text + r->n;
	bool words = false; /* the line has one already */

	fprintf(out, "%.*s/* TODO:", (int)r->indent, indent);
	col = margin + strlen("/* TODO:");
	while (t < end) {
		const char *sp = memchr(t, ' ', (size_t)(end - t));
		size_t w = sp ? (size_t)(sp - t) : (size_t)(end - t);
		if (words && col + 1 + w + strlen(" */") > SOLUTION_WIDTH) {
			fprintf(out, "\n%.*s *", (int)r->indent, indent);
			col = margin + strlen(" *");
		}
		fprintf(out, " %.*s", (int)w, t);
		col += 1 + w;
		words = true;
		t += w + (sp ? 1 : 0);
	}
	fputs(" */\n", out);
}

/* write_starter — the second pass: the source with every region replaced. */
static void write_starter(const struct source *s, FILE *out)
{
	size_t from = 0, last_open = (size_t)-1; /* the "{" of the last region's function */
	struct function f;

	for (int i = 0; i < s->nr; i++) {
		const struct region *r = &s->r[i];
		const char *indent = s->src + r->begin;
		fwrite(s->src + from, 1, r->begin - from, out);
		write_todo(r, indent, out);
		bool in_function = find_function(s, r, &f);
		if (in_function && f.open != last_open) /* the function's first region */
			write_unused(s, &f, indent, r->indent, out);
		last_open = in_function ? f.open : (size_t)-1;
		from = r->after;
	}
	fwrite(s->src + from, 1, s->len - from, out);
}

int solution_strip(const char *src, size_t len, FILE *out, struct solution_error *err)
{
	struct source *s = calloc(1, sizeof *s); /* the regions' texts: too big for a stack */
	int n;

	if (!s)
		return fail(err, 0, "out of memory");
	s->src = src;
	s->len = len;
	n = find_regions(s, err);
	if (n >= 0 && out)
		write_starter(s, out);
	free(s);
	return n;
}

int solution_starter(const char *path, char **out, size_t *len, struct solution_error *err)
{
	char *src;
	size_t n;
	FILE *f;

	*out = NULL;
	err->line = 0;
	if (file_read(path, SOLUTION_SOURCE_MAX, &src, &n) != 0) {
		snprintf(err->text, sizeof err->text, "cannot read it");
		return -1;
	}
	if (!(f = open_memstream(out, len))) {
		free(src);
		snprintf(err->text, sizeof err->text, "out of memory");
		return -1;
	}
	int regions = solution_strip(src, n, f, err);
	free(src);
	if (fclose(f) != 0 && regions >= 0) {
		regions = -1;
		err->line = 0;
		snprintf(err->text, sizeof err->text, "out of memory");
	}
	if (regions < 0) {
		free(*out);
		*out = NULL;
	}
	return regions;
}
