/* file.h — reading a whole file into memory, the way the lab reads every file it shows
 * or compiles: a canned request, a lesson's server.c, a file a server saved. */
#ifndef WIRELAB_FILE_H
#define WIRELAB_FILE_H

#include <stddef.h>

/* file_read — the whole file at path (at most max bytes) into a new buffer *buf with a
 * NUL after its *len bytes (caller frees). Returns 0, -1 when there is no such file,
 * -2 when it cannot be read or is larger than max. */
int file_read(const char *path, size_t max, char **buf, size_t *len);

#endif
