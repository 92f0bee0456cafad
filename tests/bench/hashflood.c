/* hashflood.c — make bench's hash-flooding check (issue 17): url_query_parse, as lesson
 * 07 parses a form, on 10,000 names chosen to collide under the table's old unkeyed
 * hash (fnv_collide.h), against 10,000 ordinary names of the same length. With a keyed
 * hash the two take about the same time; the target is within 3x. Run twice: short
 * names, and names behind a common 90-byte prefix (each comparison costs more).
 *
 * Prints one line per run and exits 0; 1 when a ratio misses the target. Built and run
 * by tests/bench/run.sh against build/lib/libhttp.a. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "url.h"
#include "fnv_collide.h"

enum { COUNT = 10000, TRIES = 5 };
#define TARGET_RATIO 3.0

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* best_parse — the fastest of TRIES parses of q, in seconds. */
static double best_parse(const char *q, size_t len)
{
	double best = 1e9;

	for (int i = 0; i < TRIES; i++) {
		struct url_query out;
		double start = now_s();
		if (url_query_parse(q, len, URL_QUERY_LAST_WINS, &out) != 0) {
			fprintf(stderr, "hashflood: the query was refused\n");
			exit(2);
		}
		double took = now_s() - start;
		url_query_free(&out);
		if (took < best)
			best = took;
	}
	return best;
}

/* compare — times both kinds of names of name_len bytes; true when within target. */
static bool compare(size_t name_len)
{
	char *q = malloc(COUNT * (3 * name_len + 3) + 1);

	if (!q) {
		fprintf(stderr, "hashflood: out of memory\n");
		exit(2);
	}
	size_t len = fnv_query(COUNT, name_len, true, q);
	double colliding = best_parse(q, len);
	len = fnv_query(COUNT, name_len, false, q);
	double plain = best_parse(q, len);
	free(q);
	double ratio = colliding / plain;
	bool ok = ratio <= TARGET_RATIO;
	printf("hashflood: %d names of %zu bytes: colliding %.4f s, ordinary %.4f s: %.2fx "
	       "(target within %.0fx) %s\n",
	       COUNT, name_len, colliding, plain, ratio, TARGET_RATIO, ok ? "ok" : "MISSED");
	return ok;
}

int main(void)
{
	bool ok = compare(12);
	ok = compare(100) && ok;
	return ok ? 0 : 1;
}
