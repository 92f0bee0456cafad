/* cases.c — check.json, the canned requests it picks, and the random ones it describes. */
#include "cases.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

#define CASES_MAX 512
#define REPEAT_MAX 50
#define VALUE_MAX (1024 * 1024) /* one {text:N} or {bytes:N} */
#define TAGS_MAX 16
#define TOKEN_MAX 48

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
	struct tag tags[TAGS_MAX];
	size_t ntags;
	size_t body_length;
};

static int say(char err[CASES_ERR_LEN], const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(char err[CASES_ERR_LEN], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, CASES_ERR_LEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* make_value — a fresh value of kind (with size n, 0 for the default) onto f; false when
 * kind is not one we know. */
static bool make_value(struct rng *r, const char *kind, size_t n, FILE *f)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
	static const char text[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ";

	if (strcmp(kind, "word") == 0 || strcmp(kind, "host") == 0) {
		for (size_t i = 0, k = 4 + rng_below(r, 7); i < k; i++)
			fputc(letters[rng_below(r, 26)], f);
		if (strcmp(kind, "host") == 0)
			fputs(".test", f);
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

/* expand_token — one {…}: a value, or false to keep it as literal text. */
static bool expand_token(struct expander *x, const char *tok, FILE *f)
{
	char kind[TOKEN_MAX];
	size_t n;
	const char *tag;

	if (!parse_token(tok, kind, &n, &tag))
		return false;
	if (strcmp(kind, "body_length") == 0 && !tag)
		return fprintf(f, "%zu", x->body_length), true;
	return tag ? put_tagged(x, kind, n, tag, f) : make_value(x->rng, kind, n, f);
}

/* expand — text with its tokens replaced, onto f. */
static void expand(struct expander *x, const char *text, FILE *f)
{
	for (const char *p = text; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		char tok[TOKEN_MAX * 2];
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
                    size_t split, char err[CASES_ERR_LEN])
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
                      char err[CASES_ERR_LEN])
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
			rc = say(err, "%s/check.json: there is no request '%s' in requests/", l->name,
			         want ? want : "(not a string)");
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
static int make_random(struct rng *r, const char *head, const char *body, unsigned char **out,
                       size_t *len)
{
	struct expander x = {.rng = r};
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
                      struct cases_plan *p, char err[CASES_ERR_LEN])
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
			return say(err, "%s/check.json: random entry %zu needs \"name\" and \"request\" "
			           "strings, a split of 0 or more and a repeat of 1 to %d", l->name, i + 1,
			           REPEAT_MAX);
		for (json_int_t k = 1; k <= repeat; k++) {
			unsigned char *req;
			size_t len;
			char label[96];
			if (make_random(r, head, body, &req, &len) != 0)
				return say(err, "out of memory");
			snprintf(label, sizeof label, "%.80s#%d", name, (int)k);
			if (add_case(p, label, req, len, (size_t)split, err) != 0)
				return -1;
		}
	}
	return 0;
}

int cases_load(const struct catalog_lesson *l, uint64_t seed, struct cases_plan *p,
               char err[CASES_ERR_LEN])
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
