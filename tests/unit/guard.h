/* guard.h — test inputs placed so that their last byte sits right before an unmapped
 * page (picohttpparser's trick): a parser that reads one byte past the length it was
 * given faults at once instead of passing quietly. Include after <cmocka.h>. */
#ifndef WIRELAB_TEST_GUARD_H
#define WIRELAB_TEST_GUARD_H

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct guarded {
	char *base;
	size_t size;
	char *s; /* the copy of the input: s[0..len) ends where the unmapped page starts */
};

/* guard — a guarded copy of s[0..len); release it with unguard. */
static inline struct guarded guard(const void *s, size_t len)
{
	struct guarded g;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data = (len + page - 1) / page * page;

	if (data == 0)
		data = page;
	g.size = data + page;
	g.base = mmap(NULL, g.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g.base != MAP_FAILED);
	assert_int_equal(mprotect(g.base + data, page, PROT_NONE), 0);
	g.s = g.base + data - len;
	if (len)
		memcpy(g.s, s, len);
	return g;
}

static inline void unguard(struct guarded *g)
{
	assert_int_equal(munmap(g->base, g->size), 0);
}

#endif
