/* sniff.h — media types judged by content, as python-magic does it (libmagic). The
 * article's lesson 04 compares this with the type a file's name suggests (mime.h). */
#ifndef WIRELAB_SNIFF_H
#define WIRELAB_SNIFF_H

#include <stddef.h>

#include "limit.h"
#include "mime.h"


/* A libmagic handle behind a mutex: libmagic's magic_t is not thread-safe, and a lesson
 * serves connections on several threads at once. */
struct sniffer;

/* sniff_open — loads libmagic's default database, asking for bare MIME types
 * (MAGIC_MIME_TYPE). Returns the sniffer, or NULL with err set. */
struct sniffer *sniff_open(char err[LIMIT_ERR_LEN]);

/* sniff_close — frees the sniffer; NULL is fine. */
void sniff_close(struct sniffer *s);

/* sniff_bytes — what buf[0..len) holds, judged by its content ("image/png",
 * "text/plain"), written into out[0..MIME_TYPE_LEN). Returns 0, or -1 (out becomes
 * "application/octet-stream") when libmagic cannot tell. */
int sniff_bytes(struct sniffer *s, const void *buf, size_t len, char out[MIME_TYPE_LEN]);

/* sniff_fd — the same for the regular file open at fd, from its start (the file
 * offset is moved). Returns 0, or -1 (out as above) when it cannot tell. */
int sniff_fd(struct sniffer *s, int fd, char out[MIME_TYPE_LEN]);

#endif
