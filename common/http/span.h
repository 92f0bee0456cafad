/* span.h — a piece of someone else's string: a pointer and a length, not NUL-terminated.
 * The url splitter and the lab's response parser hand these out instead of copies. */
#ifndef WIRELAB_SPAN_H
#define WIRELAB_SPAN_H

#include <stddef.h>

struct span {
	const char *p; /* NULL when the piece is absent (see each user) */
	size_t len;
};

#endif
