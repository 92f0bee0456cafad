/* sniff.c — libmagic behind a mutex: what a file's bytes say it is. */
#include "sniff.h"

#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sniffer {
	pthread_mutex_t lock; /* magic_t keeps per-call state: one caller at a time */
	magic_t cookie;
};

struct sniffer *sniff_open(char err[LIMIT_ERR_LEN])
{
	struct sniffer *s = calloc(1, sizeof *s);

	if (!s) {
		snprintf(err, LIMIT_ERR_LEN, "out of memory");
		return NULL;
	}
	s->cookie = magic_open(MAGIC_MIME_TYPE);
	if (!s->cookie) {
		snprintf(err, LIMIT_ERR_LEN, "libmagic: magic_open failed");
		free(s);
		return NULL;
	}
	if (magic_load(s->cookie, NULL) != 0) { /* NULL: the system's default database */
		const char *why = magic_error(s->cookie);
		snprintf(err, LIMIT_ERR_LEN, "libmagic: cannot load its database: %s",
		         why ? why : "unknown error");
		magic_close(s->cookie);
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

void sniff_close(struct sniffer *s)
{
	if (!s)
		return;
	magic_close(s->cookie);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* take — copies libmagic's answer (valid only until the next call on the cookie, so
 * the caller still holds the lock) into out; returns 0, or -1 for none or too long. */
static int take(const char *type, char out[MIME_TYPE_LEN])
{
	size_t n = type ? strlen(type) : 0;

	if (n == 0 || n >= MIME_TYPE_LEN) {
		snprintf(out, MIME_TYPE_LEN, "application/octet-stream");
		return -1;
	}
	memcpy(out, type, n + 1);
	return 0;
}

int sniff_bytes(struct sniffer *s, const void *buf, size_t len, char out[MIME_TYPE_LEN])
{
	pthread_mutex_lock(&s->lock);
	int rc = take(magic_buffer(s->cookie, buf, len), out);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int sniff_fd(struct sniffer *s, int fd, char out[MIME_TYPE_LEN])
{
	if (lseek(fd, 0, SEEK_SET) < 0) /* libmagic reads from the current offset */
		return take(NULL, out);
	pthread_mutex_lock(&s->lock);
	int rc = take(magic_descriptor(s->cookie, fd), out);
	pthread_mutex_unlock(&s->lock);
	return rc;
}
