/* file.c — reading a whole file into memory. */
#include "file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int file_read(const char *path, size_t max, char **buf, size_t *len)
{
	struct stat st;
	int rc = -2;

	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? -1 : -2;
	if (fstat(fileno(f), &st) == 0 && (uint64_t)st.st_size <= max &&
	    (*buf = malloc((size_t)st.st_size + 1))) {
		*len = fread(*buf, 1, (size_t)st.st_size, f);
		(*buf)[*len] = '\0';
		rc = ferror(f) ? -2 : 0;
	}
	fclose(f);
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}
