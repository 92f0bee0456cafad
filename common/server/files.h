/* files.h — static files beneath a document root, and a cache of their contents.
 *
 * The root is a directory opened once, before the server drops its privileges
 * (lesson.c), and every file is opened relative to it with openat2(RESOLVE_BENEATH):
 * the kernel itself refuses "..", absolute paths and symbolic links that would leave the
 * root, whatever the request spelled. The cache keeps each file's bytes and gzip form,
 * made once per version of the file. Nothing here prints or exits. */
#ifndef WIRELAB_FILES_H
#define WIRELAB_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "limit.h"


/* files_open_root — opens the directory dir for lookups only
 * (O_PATH | O_DIRECTORY | O_CLOEXEC). Returns the descriptor, or -1 with err set. */
int files_open_root(const char *dir, char err[LIMIT_ERR_LEN]);

/* files_open_upload_dir — opens the folder dir for creating files beneath it
 * (O_PATH | O_DIRECTORY | O_CLOEXEC), first creating it (0770) if it is missing and,
 * when running as root, giving it to user, who will run the server after the drop.
 * Returns the descriptor, or -1 with err set. */
int files_open_upload_dir(const char *dir, const char *user, char err[LIMIT_ERR_LEN]);

/* files_upload_name — the file name a client sent (multipart's filename=) made safe
 * to create in an upload folder, into out[0..cap): only what follows the last '/' or
 * '\' (browsers once sent whole paths), control characters and leading dots removed
 * (no "..", no hidden files), cut to LIMIT_UPLOAD_NAME bytes (or to cap) keeping an
 * extension of up to 16, never inside a UTF-8 character; "upload" when nothing is
 * left. The name a client claims is only a claim. */
void files_upload_name(const char *sent, char *out, size_t cap);

/* files_open — opens the regular file rel (a relative path, already decoded)
 * read-only beneath root. Returns a descriptor, or -1 with errno:
 *   ENOENT, ENOTDIR  there is no such file;
 *   EISDIR           it is a directory (or anything else that is not a regular file);
 *   EXDEV            the path leaves the root: "..", an absolute path, a symbolic link
 *                    pointing outside;
 *   ELOOP            a "magic" link such as /proc/self/fd/N, or too many links;
 *   ENAMETOOLONG     rel is longer than LIMIT_FILE_PATH;
 *   EACCES, EPERM …  the system refused.
 * Uses openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) (Linux 5.6 and later) and falls
 * back to files_open_walk where the kernel lacks it. */
int files_open(int root, const char *rel);

/* files_open_walk — the fallback: one openat per path component, each with
 * O_NOFOLLOW, so no symbolic link is followed at all (stricter than openat2, which
 * follows one that stays inside); ".." components and absolute paths fail with EXDEV.
 * Same results as files_open otherwise (a trailing slash after a file too: ENOTDIR).
 * Public so that tests can run it on any kernel. */
int files_open_walk(int root, const char *rel);

/* What files_request_name returns when the path names no file it can give. */
#define FILES_NO_NAME  (-1) /* no name below the prefix, or one too long: 404 */
#define FILES_BAD_NAME (-2) /* a name that decodes to a NUL byte: 400 */

/* files_request_name — the file a request path names below a route prefix: path must
 * start with prefix ("/files/"); the rest is percent-decoded once (url_unquote, RFC 3986
 * §2.1) into out[0..cap). Returns the decoded length; FILES_NO_NAME when path lacks the
 * prefix or the name is empty or, encoded, longer than cap - 1; FILES_BAD_NAME when it
 * decodes to a NUL byte (a C string would silently end there). The decoded name may
 * still try to escape: files_open refuses that. */
ssize_t files_request_name(const char *path, const char *prefix, char *out, size_t cap);

/* One version of one file, as the cache holds it. Read-only to the caller, valid until
 * files_cache_release. */
struct files_entry {
	const unsigned char *data; /* the file's bytes */
	size_t len;
	const unsigned char *gz;   /* the same, gzip-encoded (RFC 9110 §8.4.1.3) */
	size_t gz_len;
	time_t mtime;              /* modification time, whole seconds (for Last-Modified) */
};

/* A bounded, thread-safe cache of file contents keyed on the file's version: device,
 * inode, size and modification time (to the nanosecond). */
struct files_cache;

/* files_cache_new — an empty cache that keeps at most max_bytes (plain and gzip forms
 * together; LIMIT_FILE_CACHE in a lesson). Returns NULL when out of memory. */
struct files_cache *files_cache_new(size_t max_bytes);

/* files_cache_free — frees the cache and every entry; NULL is fine. No entry may be
 * in use. */
void files_cache_free(struct files_cache *c);

/* files_cache_get — the entry for the file open at fd (which stays the caller's to
 * close). On a hit the stored forms are shared; on a miss the file is read and gzipped
 * (once: concurrent misses for one version wait for the first) and stored, evicting
 * the least recently used entries that are not in use to stay within the bound. A
 * file whose forms exceed the bound, or that changed while it was read, is served from
 * a private entry instead. Returns the entry, or NULL with errno: EFBIG beyond
 * LIMIT_FILE_SIZE, EISDIR for a file that is not regular, ENOMEM, or a read error. */
const struct files_entry *files_cache_get(struct files_cache *c, int fd);

/* files_cache_open — the entry for the file rel beneath root: files_open, then
 * files_cache_get, then the descriptor closed again. Returns the entry, or NULL with
 * errno from whichever step failed (see both). */
const struct files_entry *files_cache_open(struct files_cache *c, int root, const char *rel);

/* files_cache_release — the caller is done with e (from files_cache_get or
 * files_cache_open). */
void files_cache_release(struct files_cache *c, const struct files_entry *e);

/* files_write_all — writes buf[0..len) to fd, a file, whole: a write cut short or
 * interrupted by a signal goes on. Returns 0, or -1 with errno. */
int files_write_all(int fd, const void *buf, size_t len);

/* What the cache has done, for tests and curious students. */
struct files_cache_stats {
	uint64_t hits;        /* answered from a stored version */
	uint64_t builds;      /* files read and gzipped */
	uint64_t evictions;   /* entries dropped to stay within the bound or as stale */
	size_t entries;       /* stored now */
	size_t bytes;         /* stored now, both forms */
};

/* files_cache_stats — a consistent snapshot of the counters. */
void files_cache_stats(struct files_cache *c, struct files_cache_stats *out);

#endif
