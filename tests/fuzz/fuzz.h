/* fuzz.h — what every libFuzzer target here shares: the entry point's prototype, a
 * check that stops the run with a message, and exact-size heap copies of the input so
 * that AddressSanitizer sees a read one byte past the length a function was given. */
#ifndef WIRELAB_FUZZ_H
#define WIRELAB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* CHECK — a property that must hold for every input; a failure aborts, and libFuzzer
 * keeps the input as a crash. */
#define CHECK(cond, ...)                                                                  \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                     \
			fputc('\n', stderr);                                              \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* fuzz_alloc — malloc(n) that never returns NULL (one byte for n == 0). */
static inline char *fuzz_alloc(size_t n)
{
	char *c = malloc(n ? n : 1);
	if (!c)
		abort();
	return c;
}

/* fuzz_copy — a malloc'd copy of p[0..n) with no byte to spare after it. */
static inline char *fuzz_copy(const void *p, size_t n)
{
	char *c = fuzz_alloc(n);
	if (n)
		memcpy(c, p, n);
	return c;
}

/* fuzz_cstr — a malloc'd NUL-terminated copy of p[0..n) (it ends at an inner NUL). */
static inline char *fuzz_cstr(const void *p, size_t n)
{
	char *c = malloc(n + 1);
	if (!c)
		abort();
	if (n)
		memcpy(c, p, n);
	c[n] = '\0';
	return c;
}

/* A reader of the control bytes at the front of an input: each take() returns the
 * next byte, or 0 once the input is used up. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fuzz_take(struct fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

#endif
