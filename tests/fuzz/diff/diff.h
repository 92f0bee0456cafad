/* diff.h — what the differential fuzzers share. Each diff_MODULE.c feeds the same input
 * to the student's module and to the reference, linked beside it with every global
 * symbol renamed ref_NAME (the Makefile's module block), renders both results as text
 * and compares them. The first difference is printed, each line starting "| " so that
 * lab check can pick it out of libFuzzer's own output, then the run aborts and libFuzzer
 * keeps the input. */
#ifndef WIRELAB_DIFF_H
#define WIRELAB_DIFF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The reference's name for one of the module's functions. */
#define REF(name) ref_##name

/* A result rendered as text: a growing buffer (open_memstream). */
struct diff_text {
	char *p;
	size_t len;
	FILE *f;
};

static inline void diff_open(struct diff_text *t)
{
	t->p = NULL;
	t->len = 0;
	if (!(t->f = open_memstream(&t->p, &t->len)))
		abort();
}

static inline void diff_close(struct diff_text *t)
{
	if (fclose(t->f) != 0)
		abort();
}

/* diff_bytes — p[0..n) as a C string literal: printable ASCII as is, the rest escaped,
 * so CR, LF and NUL show where they are. */
static inline void diff_bytes(FILE *f, const void *p, size_t n)
{
	const unsigned char *s = p;

	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\t')
			fprintf(f, "\\%c", s[i] == '\r' ? 'r' : s[i] == '\n' ? 'n' : 't');
		else if (s[i] == '"' || s[i] == '\\')
			fprintf(f, "\\%c", s[i]);
		else if (s[i] < 0x20 || s[i] >= 0x7f)
			fprintf(f, "\\x%02x", s[i]);
		else
			fputc(s[i], f);
	}
	fputc('"', f);
}

/* diff_quote — p[0..n) as diff_bytes writes it, in a new string (the caller frees). */
static inline char *diff_quote(const void *p, size_t n)
{
	struct diff_text t;

	diff_open(&t);
	diff_bytes(t.f, p, n);
	diff_close(&t);
	return t.p;
}

/* diff_check — the two renderings of one call: equal, or the input, the call and both
 * results printed, and the run stopped so that libFuzzer keeps the input. Frees both. */
static inline void diff_check(const char *call, const uint8_t *in, size_t n, struct diff_text *mine,
                              struct diff_text *ref)
{
	diff_close(mine);
	diff_close(ref);
	if (mine->len == ref->len && memcmp(mine->p, ref->p, ref->len) == 0) {
		free(mine->p);
		free(ref->p);
		return;
	}
	fprintf(stderr, "| your module and the reference differ\n| call:      %s\n"
	        "| input:     ", call);
	diff_bytes(stderr, in, n);
	fprintf(stderr, " (%zu bytes)\n| yours:     %s\n| reference: %s\n", n, mine->p, ref->p);
	abort();
}

/* diff_field — the next newline-ended field of *p[0..*n) as a new string (the caller
 * frees): how a harness cuts one input into several arguments. */
static inline char *diff_field(const uint8_t **p, size_t *n)
{
	size_t len = 0;

	while (len < *n && (*p)[len] != '\n')
		len++;
	char *s = strndup((const char *)*p, len);
	if (!s)
		abort();
	*p += len + (len < *n);
	*n -= len + (len < *n);
	return s;
}

#endif
