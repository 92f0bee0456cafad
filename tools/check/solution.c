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

#define STATICS_MAX 128

/* The file-scope statics only the regions use: each needs one "(void)name;" in the
 * starter, after the first region that names it, or the compiler calls it unused. */
struct statics {
	char name[STATICS_MAX][64];
	bool voided[STATICS_MAX];
	int n;
};

/* The source being read, and its regions in order. */
struct source {
	const char *src;
	size_t len, pos; /* pos: the start of the next line */
	int no;          /* the number of the line last read */
	struct region r[SOLUTION_REGIONS_MAX];
	int nr;
	struct statics statics; /* found when the starter is written */
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

/* How names are looked for: every occurrence counts, or only those that read the name. */
enum {
	READS = 1 << 0,       /* "name = …" only assigns: not a read */
	NOT_STATICS = 1 << 1, /* nothing on a line starting "static " (a file-scope definition) */
};

/* skipped — is the occurrence src[i..j) one that flags leaves out? */
static bool skipped(const char *src, size_t i, size_t j, size_t to, int flags)
{
	if (flags & READS) { /* "name = …" as a statement of its own, or "a = name = …" */
		size_t k = i;
		while (k > 0 && is_blank(src[k - 1]))
			k--;
		bool starts = k == 0 || (src[k - 1] && strchr("\n;{}=", src[k - 1]));
		while (j < to && is_blank(src[j]))
			j++;
		if (starts && j + 1 < to && src[j] == '=' && src[j + 1] != '=')
			return true;
	}
	if (flags & NOT_STATICS) {
		while (i > 0 && src[i - 1] != '\n')
			i--;
		if (strncmp(src + i, "static ", 7) == 0)
			return true;
	}
	return false;
}

/* uses — does src[from..to) name the variable name? Comments, strings, members (after
 * "." or "->") and what flags leaves out do not count. */
static bool uses(const char *src, size_t from, size_t to, const char *name, int flags)
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
		if (!member && j - i == n && memcmp(src + i, name, n) == 0 &&
		    !skipped(src, i, j, to, flags))
			return true;
		i = j;
	}
	return false;
}

/* uses_around — uses over src[from..to) but the part [skip, skip_end). */
static bool uses_around(const char *src, size_t from, size_t to, size_t skip, size_t skip_end,
                        const char *name, int flags)
{
	if (skip_end <= from || skip >= to)
		return uses(src, from, to, name, flags);
	return (skip > from && uses(src, from, skip, name, flags)) ||
	       (skip_end < to && uses(src, skip_end, to, name, flags));
}

/* read_outside — does code between [from, to) but outside every region, and outside
 * [skip, skip_end) (a declaration), read name? */
static bool read_outside(const struct source *s, size_t from, size_t to, size_t skip,
                         size_t skip_end, const char *name, int flags)
{
	for (int i = 0; i < s->nr; i++) {
		if (s->r[i].begin < from || s->r[i].begin >= to)
			continue;
		if (uses_around(s->src, from, s->r[i].begin, skip, skip_end, name, flags))
			return true;
		from = s->r[i].after;
	}
	return uses_around(s->src, from, to, skip, skip_end, name, flags);
}

/* in_regions — does a region between [from, to) name name? */
static bool in_regions(const struct source *s, size_t from, size_t to, const char *name)
{
	for (int i = 0; i < s->nr; i++)
		if (s->r[i].begin >= from && s->r[i].begin < to &&
		    uses(s->src, s->r[i].begin, s->r[i].after, name, 0))
			return true;
	return false;
}

/* decl_name — the name a declaration p[0..n) declares into out[0..cap): the identifier
 * after "(*" for a function pointer, else the last one before any "[". With alone, a
 * lone identifier is a name (a declarator after a comma); without, it is a type (the
 * "void" of f(void)). Returns false for "...", or a declaration without a name. */
static bool decl_name(const char *p, size_t n, bool alone, char *out, size_t cap)
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
	if (end == start || end - start >= cap || !is_ident(p[start], true) ||
	    (start == 0 && !alone))
		return false;
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

/* What the starter adds after a region's TODO, and where. */
struct voider {
	const char *indent; /* the region's indent, indent[0..ni) */
	size_t ni;
	bool first;         /* no "(void)" line written yet: the next one says why */
	FILE *out;
};

static void write_void(struct voider *v, const char *name)
{
	fprintf(v->out, "%.*s(void)%s;%s\n", (int)v->ni, v->indent, name,
	        v->first ? " /* unused until you write the TODO above */" : "");
	v->first = false;
}

/* next_declarator — the end of the declarator starting at p, before q: a comma outside
 * brackets, or q. */
static const char *next_declarator(const char *p, const char *q)
{
	for (int depth = 0; p < q && (depth > 0 || *p != ','); p++)
		depth += *p == '(' || *p == '[' || *p == '{' ? 1 :
		         *p == ')' || *p == ']' || *p == '}' ? -1 : 0;
	return p;
}

/* void_params — "(void)name;" for each parameter of f that no code outside the regions
 * reads. */
static void void_params(const struct source *s, const struct function *f, struct voider *v)
{
	const char *open, *close;
	char name[128];

	if (!param_list(s, f, &open, &close))
		return;
	for (const char *p = open + 1; p < close;) {
		const char *q = next_declarator(p, close);
		if (decl_name(p, (size_t)(q - p), false, name, sizeof name) &&
		    !read_outside(s, f->body, f->end, 0, 0, name, READS))
			write_void(v, name);
		p = q + 1;
	}
}

/* is_type_word — can a declaration start with word[0..n)? The C type words, and names
 * ending "_t" (size_t, int64_t…); other typedefs end the declarations looked at. */
static bool is_type_word(const char *word, size_t n)
{
	static const char *const words[] = {"const", "static", "struct", "enum", "union",
	                                    "unsigned", "signed", "char", "short", "int",
	                                    "long", "float", "double", "bool", "void"};

	if (n > 2 && memcmp(word + n - 2, "_t", 2) == 0)
		return true;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == n && memcmp(words[i], word, n) == 0)
			return true;
	return false;
}

/* declaration_end — when the line at p starts a declaration that ends before limit,
 * where its ";" is; else 0. */
static size_t declaration_end(const struct source *s, size_t p, size_t limit)
{
	const char *src = s->src;
	size_t i = p, j;
	int depth = 0;

	while (i < limit && is_blank(src[i]))
		i++;
	for (j = i; j < limit && is_ident(src[j], false); j++)
		;
	if (j == i || !is_ident(src[i], true) || !is_type_word(src + i, j - i))
		return 0;
	for (; j < limit; j++) {
		size_t k = skip_noise(src, j, limit);
		if (k != j) {
			j = k - 1;
			continue;
		}
		depth += src[j] == '(' || src[j] == '[' || src[j] == '{' ? 1 :
		         src[j] == ')' || src[j] == ']' || src[j] == '}' ? -1 : 0;
		if (depth == 0 && src[j] == ';')
			return j;
	}
	return 0;
}

/* first_region_in — the start of the first region in [from, to), or to. */
static size_t first_region_in(const struct source *s, size_t from, size_t to)
{
	for (int i = 0; i < s->nr; i++)
		if (s->r[i].begin >= from && s->r[i].begin < to)
			return s->r[i].begin;
	return to;
}

/* void_locals — "(void)name;" for each variable declared at the top of f's body (before
 * its first blank line or region) that only the regions read. */
static void void_locals(const struct source *s, const struct function *f, struct voider *v)
{
	size_t limit = first_region_in(s, f->body, f->end), end;
	char name[128];

	for (size_t p = f->body; p < limit && (end = declaration_end(s, p, limit)) != 0;
	     p = line_after(s, end)) {
		const char *d = s->src + p, *stop = s->src + end;
		while (d < stop) {
			const char *q = next_declarator(d, stop), *eq = d;
			while (eq < q && !(*eq == '=' && eq[1] != '='))
				eq++;
			if (decl_name(d, (size_t)(eq - d), true, name, sizeof name) &&
			    !read_outside(s, f->body, f->end, p, end + 1, name, READS) &&
			    in_regions(s, f->body, f->end, name))
				write_void(v, name);
			d = q + 1;
		}
	}
}

/* static_name — the name a file-scope "static" line at p defines (a function's, or a
 * variable's), into out[0..cap); false when the line is something else. */
static bool static_name(const struct source *s, size_t p, char *out, size_t cap)
{
	const char *line = s->src + p, *nl = memchr(line, '\n', s->len - p);
	size_t n = nl ? (size_t)(nl - line) : s->len - p, cut = strcspn(line, "([=;\n");

	if (n < 7 || strncmp(line, "static ", 7) != 0 || cut > n)
		return false;
	return decl_name(line, cut, false, out, cap) && !is_type_word(out, strlen(out));
}

/* known — is name one of st's already (a static declared, then defined)? */
static bool known(const struct statics *st, const char *name)
{
	for (int i = 0; i < st->n; i++)
		if (strcmp(st->name[i], name) == 0)
			return true;
	return false;
}

/* find_statics — the file-scope statics of s that code outside the regions never names
 * (their definitions and declarations aside). */
static void find_statics(const struct source *s, struct statics *st)
{
	size_t p = 0;
	int k = 0; /* the next region */

	st->n = 0;
	while (p < s->len && st->n < STATICS_MAX) {
		char *name = st->name[st->n];
		if (k < s->nr && s->r[k].begin == p) { /* a region: none of its lines count */
			p = s->r[k++].after;
			continue;
		}
		if (static_name(s, p, name, sizeof st->name[0]) && !known(st, name) &&
		    !read_outside(s, 0, s->len, 0, 0, name, NOT_STATICS))
			st->voided[st->n++] = false;
		p = line_after(s, p);
	}
}

/* void_statics — "(void)name;" for each such static region r names, the first time. */
static void void_statics(const struct source *s, const struct region *r, struct statics *st,
                         struct voider *v)
{
	for (int i = 0; i < st->n; i++)
		if (!st->voided[i] && uses(s->src, r->begin, r->after, st->name[i], 0)) {
			write_void(v, st->name[i]);
			st->voided[i] = true;
		}
}

/* returns_nothing — is f a function returning a value whose only "return" is in its
 * regions? Its starter then returns 0, or the compiler warns (and the caller reads
 * garbage). A "void" before the name, and no "*", means it returns nothing. */
static bool returns_nothing(const struct source *s, const struct function *f)
{
	const char *open, *close, *sig = s->src + f->sig;
	bool is_void = false;

	if (!param_list(s, f, &open, &close) ||
	    read_outside(s, f->body, f->end, 0, 0, "return", 0))
		return false;
	for (const char *p = sig; p < open;) {
		size_t n = 0;
		while (p + n < open && is_ident(p[n], false))
			n++;
		is_void |= n == 4 && memcmp(p, "void", 4) == 0;
		p += n ? n : 1;
	}
	return !is_void || memchr(sig, '*', (size_t)(open - sig));
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

/* write_after — what the starter adds after region i's TODO so that it compiles: for
 * the first region of a function, "(void)name;" for the parameters and locals only the
 * regions read; for any region, the same for the statics only regions use; for the
 * last region of a function that returns only in its regions, "return 0;". */
static void write_after(const struct source *s, int i, struct statics *st, FILE *out)
{
	const struct region *r = &s->r[i];
	struct voider v = {s->src + r->begin, r->indent, true, out};
	struct function f, g;

	if (!find_function(s, r, &f))
		return;
	if (i == 0 || !find_function(s, &s->r[i - 1], &g) || g.open != f.open) {
		void_params(s, &f, &v);
		void_locals(s, &f, &v);
	}
	void_statics(s, r, st, &v);
	if ((i + 1 == s->nr || !find_function(s, &s->r[i + 1], &g) || g.open != f.open) &&
	    returns_nothing(s, &f))
		fprintf(out, "%.*sreturn 0; /* until you write the TODO above */\n", (int)r->indent,
		        v.indent);
}

/* write_starter — the second pass: the source with every region replaced. */
static void write_starter(struct source *s, FILE *out)
{
	size_t from = 0;

	find_statics(s, &s->statics);
	for (int i = 0; i < s->nr; i++) {
		const struct region *r = &s->r[i];
		fwrite(s->src + from, 1, r->begin - from, out);
		write_todo(r, s->src + r->begin, out);
		write_after(s, i, &s->statics, out);
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
