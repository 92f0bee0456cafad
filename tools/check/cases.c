/* cases.c — check.json, the canned requests it picks, and the random ones it describes. */
#include "cases.h"

#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "catalog.h"

#define CASES_MAX 512
#define REPEAT_MAX 50
#define VALUE_MAX (1024 * 1024) /* one {text:N} or {bytes:N} */
#define TAGS_MAX 16
#define TOKEN_MAX 48
#define ONEOF_MAX 4096 /* the text of one {oneof:…}, its alternatives together */
#define JSON_DEPTH_MAX 4

/* splitmix64: small, seedable, the same everywhere, so --seed replays a run. */
struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* rng_below — a number in [0, n). */
static size_t rng_below(struct rng *r, size_t n)
{
	return n ? (size_t)(rng_next(r) % n) : 0;
}

/* A tagged value, the same wherever its tag appears in one request. */
struct tag {
	char name[TOKEN_MAX];
	char *value;
	size_t len;
};

struct expander {
	struct rng *rng;
	const char *dir;   /* the lesson's folder, for {mtime:FILE} */
	struct tag tags[TAGS_MAX];
	size_t ntags;
	size_t body_length;
};

static int say(char err[LIMIT_ERR_LEN], const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(char err[LIMIT_ERR_LEN], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, LIMIT_ERR_LEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* put_from — n characters of set (a string), each drawn at random. */
static void put_from(struct rng *r, const char *set, size_t n, FILE *f)
{
	size_t k = strlen(set);

	for (size_t i = 0; i < n; i++)
		fputc(set[rng_below(r, k)], f);
}

/* put_headers — n header lines of distinct random names ("X-Word-7: word 123"). */
static void put_headers(struct rng *r, size_t n, FILE *f)
{
	for (size_t i = 0; i < n; i++) {
		fputs("X-", f);
		put_from(r, "abcdefghijklmnopqrstuvwxyz", 3 + rng_below(r, 8), f);
		fprintf(f, "-%zu: ", i + 1);
		put_from(r, "abcdefghijklmnopqrstuvwxyz", 1 + rng_below(r, 12), f);
		fprintf(f, " %zu\r\n", rng_below(r, 100000));
	}
}

/* put_urlenc — n pieces of a query or form value: letters and digits, '+' (a space),
 * %XX of any byte but NUL (which ends a C string: lesson 07's README says so), and the
 * characters a query may hold as they are. */
static void put_urlenc(struct rng *r, size_t n, FILE *f)
{
	for (size_t i = 0; i < n; i++) {
		size_t pick = rng_below(r, 10);
		if (pick == 0)
			fputc('+', f);
		else if (pick <= 2)
			fprintf(f, "%%%02X", 1 + (unsigned)rng_below(r, 255));
		else
			put_from(r, "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-._~*!'()/:@", 1, f);
	}
}

/* put_json_string — a JSON string: letters, escapes, and characters beyond ASCII, both
 * escaped (\u00e9) and as UTF-8. */
static void put_json_string(struct rng *r, FILE *f)
{
	static const char *const pieces[] = {
		"a", "b", "z", "Q", "0", "7", " ", "_", "-", "'", "\\\"", "\\\\", "\\n", "\\t",
		"\\/", "\\u00e9", "\\u20ac", "\\ud83d\\ude00", "\xc3\xa9", "\xe2\x82\xac", "<", "&",
	};
	size_t n = rng_below(r, 12);

	fputc('"', f);
	for (size_t i = 0; i < n; i++)
		fputs(pieces[rng_below(r, sizeof pieces / sizeof pieces[0])], f);
	fputc('"', f);
}

/* put_json — a random JSON value; objects and arrays only while depth lasts. Never
 * what lesson 07's README lists as printed otherwise than Python prints it: an integer
 * beyond 64 bits, or a string at the top (print(str) shows it unquoted). */
static void put_json(struct rng *r, size_t depth, bool top, FILE *f)
{
	static const char *const atoms[] = {"true", "false", "null", "0", "-1", "1.5", "-0.25",
	                                    "12.125", "-9007199254740993", "3e2", "0.1", "1E-3"};
	size_t pick = rng_below(r, depth > 0 ? 5 : 3), n = rng_below(r, 4);

	if (pick == 2 && top)
		pick = 0;
	if (pick == 0) {
		fputs(atoms[rng_below(r, sizeof atoms / sizeof atoms[0])], f);
	} else if (pick == 1) {
		fprintf(f, "%s%zu", rng_below(r, 4) == 0 ? "-" : "", rng_below(r, 1000000));
	} else if (pick == 2) {
		put_json_string(r, f);
	} else {
		fputc(pick == 3 ? '[' : '{', f);
		for (size_t i = 0; i < n; i++) {
			fputs(i ? ", " : "", f);
			if (pick == 4) {
				put_json_string(r, f);
				fputs(": ", f);
			}
			put_json(r, depth - 1, false, f);
		}
		fputc(pick == 3 ? ']' : '}', f);
	}
}

/* make_value — a fresh value of kind (with size n, 0 for the default) onto f; false when
 * kind is not one we know. */
static bool make_value(struct rng *r, const char *kind, size_t n, FILE *f)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
	static const char text[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                           "abcdefghijklmnopqrstuvwxyz0123456789 ";
	/* RFC 9110's tchar, and RFC 6265's cookie-octet */
	static const char tchar[] = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFXYZ";
	static const char octet[] = "!#$%&'()*+-./0123456789:<=>?@ABCXYZ[]^_`abcxyz{|}~";

	if (strcmp(kind, "word") == 0 || strcmp(kind, "host") == 0) {
		/* without n, 4 to 10 letters, drawn as every earlier version drew them */
		for (size_t i = 0, k = n ? n : 4 + rng_below(r, 7); i < k; i++)
			fputc(letters[rng_below(r, 26)], f);
		if (strcmp(kind, "host") == 0)
			fputs(".test", f);
	} else if (strcmp(kind, "token") == 0) {
		put_from(r, tchar, n ? n : 1 + rng_below(r, 12), f);
	} else if (strcmp(kind, "cookie") == 0) {
		put_from(r, octet, n ? n : 1 + rng_below(r, 16), f);
	} else if (strcmp(kind, "digits") == 0) {
		put_from(r, "0123456789", n ? n : 1, f);
	} else if (strcmp(kind, "headers") == 0) {
		put_headers(r, n ? n : 1, f);
	} else if (strcmp(kind, "urlenc") == 0) {
		put_urlenc(r, n ? n : 1 + rng_below(r, 12), f);
	} else if (strcmp(kind, "json") == 0) {
		put_json(r, n < JSON_DEPTH_MAX ? n : JSON_DEPTH_MAX, true, f);
	} else if (strcmp(kind, "num") == 0) {
		fprintf(f, "%zu", rng_below(r, 100000));
	} else if (strcmp(kind, "hex") == 0) {
		for (size_t i = 0; i < (n ? n : 16); i++)
			fputc("0123456789abcdef"[rng_below(r, 16)], f);
	} else if (strcmp(kind, "text") == 0) {
		for (size_t i = 0; i < (n ? n : 16); i++)
			fputc(text[rng_below(r, sizeof text - 1)], f);
	} else if (strcmp(kind, "bytes") == 0) {
		for (size_t i = 0; i < (n ? n : 16); i++)
			fputc((int)(rng_next(r) & 0xff), f);
	} else {
		return false;
	}
	return true;
}

/* parse_token — "kind", "kind:N", "kind@tag" or "kind:N@tag" from tok; false when it is
 * not that shape (then the braces are literal text). */
static bool parse_token(const char *tok, char *kind, size_t *n, const char **tag)
{
	size_t k = strspn(tok, "abcdefghijklmnopqrstuvwxyz_");
	const char *p = tok + k;

	if (k == 0 || k >= TOKEN_MAX)
		return false;
	memcpy(kind, tok, k);
	kind[k] = '\0';
	*n = 0;
	*tag = NULL;
	if (*p == ':') {
		char *end;
		unsigned long v = strtoul(p + 1, &end, 10);
		if (end == p + 1 || v > VALUE_MAX)
			return false;
		*n = v;
		p = end;
	}
	if (*p == '@' && p[1])
		*tag = p + 1, p += strlen(p);
	return *p == '\0';
}

/* put_tagged — the value of tag, made on its first use. */
static bool put_tagged(struct expander *x, const char *kind, size_t n, const char *tag, FILE *f)
{
	for (size_t i = 0; i < x->ntags; i++)
		if (strcmp(x->tags[i].name, tag) == 0)
			return fwrite(x->tags[i].value, 1, x->tags[i].len, f), true;
	if (x->ntags == TAGS_MAX)
		return false;
	struct tag *t = &x->tags[x->ntags];
	FILE *m = open_memstream(&t->value, &t->len);
	if (!m)
		return false;
	bool ok = make_value(x->rng, kind, n, m);
	if (fclose(m) != 0 || !ok) {
		free(t->value);
		return false;
	}
	snprintf(t->name, sizeof t->name, "%s", tag);
	x->ntags++;
	fwrite(t->value, 1, t->len, f);
	return true;
}

static void expand(struct expander *x, const char *text, FILE *f);

/* put_mtime — {mtime:FILE}, {mtime_before:FILE}, {mtime_after:FILE}: the modification
 * time of the lesson's FILE (its Last-Modified), or a moment before it, or one after it
 * but not after now, as an HTTP date. false when FILE is not a file of the lesson. */
static bool put_mtime(struct expander *x, const char *kind, const char *file, FILE *f)
{
	char path[PATH_MAX + 64], date[64];
	struct stat st;
	struct tm tm;

	if (!x->dir || !*file || file[0] == '/' || strstr(file, "..") ||
	    snprintf(path, sizeof path, "%s/%s", x->dir, file) >= (int)sizeof path ||
	    stat(path, &st) != 0)
		return false;
	time_t t = st.st_mtime, now = time(NULL);
	if (strcmp(kind, "mtime_before") == 0)
		t -= 1 + (time_t)rng_below(x->rng, 10 * 365 * 86400);
	else if (strcmp(kind, "mtime_after") == 0)
		t += 1 + (time_t)rng_below(x->rng, now > t ? (size_t)(now - t) : 1);
	else if (strcmp(kind, "mtime") != 0)
		return false;
	if (!gmtime_r(&t, &tm) || !strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm))
		return false;
	fputs(date, f);
	return true;
}

/* put_oneof — {oneof:A|B|C}: one alternative, itself expanded (it may hold values, and
 * braces nest); '|' inside a nested {…} does not split. */
static void put_oneof(struct expander *x, const char *alts, FILE *f)
{
	size_t n = 1, depth = 0;

	for (const char *p = alts; *p; p++) {
		depth += *p == '{';
		depth -= *p == '}' && depth > 0;
		n += *p == '|' && depth == 0;
	}
	size_t pick = rng_below(x->rng, n), at = 0;
	const char *start = alts, *p = alts;
	for (depth = 0; *p; p++) {
		depth += *p == '{';
		depth -= *p == '}' && depth > 0;
		if (*p == '|' && depth == 0 && at++ == pick)
			break;
		if (*p == '|' && depth == 0)
			start = p + 1;
	}
	char alt[ONEOF_MAX];
	snprintf(alt, sizeof alt, "%.*s", (int)(p - start), start);
	expand(x, alt, f);
}

/* expand_token — one {…}: a value, or false to keep it as literal text. */
static bool expand_token(struct expander *x, const char *tok, FILE *f)
{
	char kind[TOKEN_MAX];
	size_t n;
	const char *tag;
	size_t k = strspn(tok, "abcdefghijklmnopqrstuvwxyz_");

	if (tok[k] == ':' && k == 5 && strncmp(tok, "oneof", 5) == 0)
		return put_oneof(x, tok + 6, f), true;
	if (tok[k] == ':' && k < TOKEN_MAX && strncmp(tok, "mtime", 5) == 0) {
		snprintf(kind, sizeof kind, "%.*s", (int)k, tok);
		return put_mtime(x, kind, tok + k + 1, f);
	}
	if (!parse_token(tok, kind, &n, &tag))
		return false;
	if (strcmp(kind, "body_length") == 0 && !tag)
		return fprintf(f, "%zu", x->body_length), true;
	return tag ? put_tagged(x, kind, n, tag, f) : make_value(x->rng, kind, n, f);
}

/* closing — the '}' that closes the '{' at open, nested braces counted; NULL if none. */
static const char *closing(const char *open)
{
	size_t depth = 0;

	for (const char *p = open; *p; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}' && --depth == 0)
			return p;
	}
	return NULL;
}

/* expand — text with its tokens replaced, onto f. */
static void expand(struct expander *x, const char *text, FILE *f)
{
	for (const char *p = text; *p;) {
		const char *close = *p == '{' ? closing(p) : NULL;
		char tok[ONEOF_MAX];
		size_t k = close ? (size_t)(close - p - 1) : 0;
		if (close && k < sizeof tok) {
			memcpy(tok, p + 1, k);
			tok[k] = '\0';
			if (expand_token(x, tok, f)) {
				p = close + 1;
				continue;
			}
		}
		fputc(*p++, f);
	}
}

/* ---- the plan ------------------------------------------------------------------------- */

/* add_case — appends a case that takes over req. */
static int add_case(struct cases_plan *p, const char *name, unsigned char *req, size_t len,
                    size_t split, char err[LIMIT_ERR_LEN])
{
	if (p->n == CASES_MAX) {
		free(req);
		return say(err, "more than %d requests to check", CASES_MAX);
	}
	struct cases_request *v = realloc(p->v, (p->n + 1) * sizeof *v);
	if (!v) {
		free(req);
		return say(err, "out of memory");
	}
	p->v = v;
	v[p->n] = (struct cases_request){.req = req, .len = len, .split = split};
	snprintf(v[p->n].name, sizeof v[p->n].name, "%s", name);
	p->n++;
	return 0;
}

/* in_list — is name one of the strings in the JSON array a? */
static bool in_list(json_t *a, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), name) == 0)
			return true;
	return false;
}

/* add_canned — the canned requests check.json picks. */
static int add_canned(const struct catalog_lesson *l, json_t *cfg, struct cases_plan *p,
                      char err[LIMIT_ERR_LEN])
{
	json_t *only = json_object_get(cfg, "requests"), *skip = json_object_get(cfg, "skip");
	struct catalog_names names;
	int rc = 0;

	if (catalog_requests(l, &names) != 0)
		return say(err, "out of memory");
	for (size_t i = 0; i < json_array_size(only) && rc == 0; i++) {
		const char *want = json_string_value(json_array_get(only, i));
		bool found = false;
		for (size_t k = 0; want && k < names.n; k++)
			found = found || strcmp(names.v[k], want) == 0;
		if (!found)
			rc = say(err, "%s/check.json: there is no request '%s' in requests/",
			         l->name, want ? want : "(not a string)");
	}
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		unsigned char *req;
		size_t len;
		if ((only && !in_list(only, names.v[i])) || in_list(skip, names.v[i]))
			continue;
		if (catalog_request_read(l, names.v[i], &req, &len) != 0)
			rc = say(err, "cannot read %s/requests/%s.http", l->name, names.v[i]);
		else
			rc = add_case(p, names.v[i], req, len, 0, err);
	}
	catalog_names_free(&names);
	return rc;
}

/* make_random — one request from a "random" entry. */
static int make_random(struct rng *r, const char *dir, const char *head, const char *body,
                       unsigned char **out, size_t *len)
{
	struct expander x = {.rng = r, .dir = dir};
	char *b = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&b, &blen);
	int rc = -1;

	if (!f)
		return -1;
	expand(&x, body ? body : "", f);
	if (fclose(f) == 0 && (f = open_memstream((char **)out, len))) {
		x.body_length = blen;
		expand(&x, head, f);
		fwrite(b, 1, blen, f);
		rc = fclose(f) == 0 ? 0 : -1;
	}
	free(b);
	for (size_t i = 0; i < x.ntags; i++)
		free(x.tags[i].value);
	return rc;
}

/* add_random — every "random" entry, repeated as it asks. */
static int add_random(const struct catalog_lesson *l, json_t *cfg, struct rng *r,
                      struct cases_plan *p, char err[LIMIT_ERR_LEN])
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(cfg, "random"), i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *head = json_string_value(json_object_get(e, "request"));
		const char *body = json_string_value(json_object_get(e, "body"));
		json_int_t split = json_integer_value(json_object_get(e, "split"));
		json_int_t repeat = json_is_integer(json_object_get(e, "repeat"))
		                        ? json_integer_value(json_object_get(e, "repeat")) : 1;
		if (!name || !head || split < 0 || repeat < 1 || repeat > REPEAT_MAX)
			return say(err, "%s/check.json: random entry %zu needs \"name\" and "
			           "\"request\" strings, a split of 0 or more and a repeat of 1 "
			           "to %d", l->name, i + 1, REPEAT_MAX);
		for (json_int_t k = 1; k <= repeat; k++) {
			unsigned char *req;
			size_t len;
			char label[96];
			if (make_random(r, l->dir, head, body, &req, &len) != 0)
				return say(err, "out of memory");
			snprintf(label, sizeof label, "%.80s#%d", name, (int)k);
			if (add_case(p, label, req, len, (size_t)split, err) != 0)
				return -1;
		}
	}
	return 0;
}

int cases_load(const struct catalog_lesson *l, uint64_t seed, struct cases_plan *p,
               char err[LIMIT_ERR_LEN])
{
	char path[PATH_MAX + 16];
	json_error_t jerr;
	json_t *cfg = NULL;
	struct rng r = {seed};

	memset(p, 0, sizeof *p);
	snprintf(path, sizeof path, "%s/check.json", l->dir);
	FILE *f = fopen(path, "r");
	if (f) {
		cfg = json_loadf(f, 0, &jerr);
		fclose(f);
		if (!json_is_object(cfg)) {
			json_decref(cfg);
			return say(err, "%s/check.json, line %d: %s", l->name, jerr.line,
			           cfg ? "not a JSON object" : jerr.text);
		}
	}
	p->printed = json_is_true(json_object_get(cfg, "printed"));
	p->uploads = json_is_true(json_object_get(cfg, "uploads"));
	int rc = add_canned(l, cfg, p, err);
	if (rc == 0)
		rc = add_random(l, cfg, &r, p, err);
	json_decref(cfg);
	if (rc != 0)
		cases_free(p);
	return rc;
}

void cases_free(struct cases_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].req);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}
