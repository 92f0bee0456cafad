/* capture.h — what the code under test writes to stderr, caught in a temporary file: the
 * TAP output stays clean, and a test can read what was written (a log line, say).
 * fd 2 itself is pointed at the file, so writes that bypass stdio are caught too.
 * Include after <cmocka.h>. */
#ifndef WIRELAB_TEST_CAPTURE_H
#define WIRELAB_TEST_CAPTURE_H

#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

struct capture {
	FILE *file; /* where fd 2 points while stderr is caught; NULL once given back */
	int saved;  /* where fd 2 pointed before */
};

/* capture_start — points fd 2 at a new temporary file: 0, or -1 when it could not (the
 * return a cmocka setup gives when it fails). */
static inline int capture_start(struct capture *c)
{
	fflush(stderr);
	c->file = tmpfile();
	c->saved = dup(2);
	if (!c->file || c->saved < 0 || dup2(fileno(c->file), 2) < 0)
		return -1;
	return 0;
}

/* capture_text — everything written to stderr since capture_start (at most cap - 1
 * bytes), NUL-terminated in text, which it returns. */
static inline const char *capture_text(struct capture *c, char *text, size_t cap)
{
	fflush(stderr);
	ssize_t n = pread(fileno(c->file), text, cap - 1, 0);
	assert_true(n >= 0);
	text[n] = '\0';
	return text;
}

/* capture_stop — gives fd 2 back and drops the file. A second call does nothing, so a
 * test may give stderr back early (to show a failing check's message) and its teardown
 * still call this. */
static inline void capture_stop(struct capture *c)
{
	if (!c->file)
		return;
	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	fclose(c->file);
	c->file = NULL;
}

#endif
