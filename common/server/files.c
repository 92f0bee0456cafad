/* files.c — opening files beneath a root, and the file cache. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gzip.h"
#include "url.h"

/* ---- opening ------------------------------------------------------------------------ */

int files_open_root(const char *dir, char err[LIMIT_ERR_LEN])
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		snprintf(err, LIMIT_ERR_LEN, "cannot open the folder %s: %s", dir, strerror(errno));
	return fd;
}

int files_open_upload_dir(const char *dir, const char *user, char err[LIMIT_ERR_LEN])
{
	if (mkdir(dir, 0770) == 0) {
		struct passwd *pw = geteuid() == 0 ? getpwnam(user) : NULL;
		if (geteuid() == 0 && (!pw || chown(dir, pw->pw_uid, pw->pw_gid) != 0)) {
			snprintf(err, LIMIT_ERR_LEN, "%s: cannot give it to user '%s'", dir, user);
			return -1;
		}
	} else if (errno != EEXIST) {
		snprintf(err, LIMIT_ERR_LEN, "%s: %s", dir, strerror(errno));
		return -1;
	}
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		snprintf(err, LIMIT_ERR_LEN, "%s: %s", dir, strerror(errno));
	return fd;
}

/* only_regular — keeps fd when it is a regular file; else closes it, errno EISDIR. */
static int only_regular(int fd)
{
	struct stat st;

	if (fd < 0)
		return -1;
	int e = fstat(fd, &st) != 0 ? errno : !S_ISREG(st.st_mode) ? EISDIR : 0;
	if (e != 0) {
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* O_NONBLOCK: opening a FIFO someone left in the folder must not hang the thread
 * (it is then refused as not regular); reads of regular files ignore the flag. */
#define FILE_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

int files_open(int root, const char *rel)
{
	struct open_how how = {
		.flags = FILE_FLAGS,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};

	if (strlen(rel) > LIMIT_FILE_PATH) {
		errno = ENAMETOOLONG;
		return -1;
	}
	long fd = syscall(SYS_openat2, root, rel, &how, sizeof how);
	if (fd < 0 && errno == ENOSYS)
		return files_open_walk(root, rel); /* before Linux 5.6, or a sandbox (valgrind) */
	return only_regular((int)fd);
}

/* step — opens one component name beneath dir without following a symbolic link:
 * a directory for lookups when more follow, else the file itself. */
static int step(int dir, const char *name, bool last)
{
	if (!last) {
		int fd = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode))) {
			close(fd); /* O_PATH|O_NOFOLLOW may hand back the link itself */
			errno = ELOOP;
			return -1;
		}
		return fd;
	}
	return openat(dir, name, FILE_FLAGS | O_NOFOLLOW);
}

int files_open_walk(int root, const char *rel)
{
	char path[LIMIT_FILE_PATH + 1];
	size_t len = strlen(rel);
	int dir = root, fd = -1, e;

	if (len > LIMIT_FILE_PATH) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (rel[0] == '/') {
		errno = EXDEV; /* what RESOLVE_BENEATH says of an absolute path */
		return -1;
	}
	/* "a.txt/" names a directory that does not exist (ENOTDIR, as openat2 says): a
	 * trailing slash makes the last component a directory lookup like the others. */
	bool trailing = len > 0 && rel[len - 1] == '/';
	memcpy(path, rel, len + 1);
	char *save = NULL, *name = strtok_r(path, "/", &save);
	errno = ENOENT; /* an empty path names nothing */
	while (name) {
		char *next = strtok_r(NULL, "/", &save);
		if (strcmp(name, "..") == 0) {
			errno = EXDEV; /* never climb, not even back into the root */
			break;
		}
		if (strcmp(name, ".") != 0 || !next) {
			fd = step(dir, name, next == NULL && !trailing);
			e = errno;
			if (dir != root)
				close(dir);
			errno = e;
			dir = root;
			if (fd < 0 || !next)
				break;
			dir = fd;
			fd = -1;
		}
		name = next;
	}
	if (dir != root) { /* left early, holding an intermediate directory */
		e = errno;
		close(dir);
		errno = e;
	}
	return only_regular(fd);
}

ssize_t files_request_name(const char *path, const char *prefix, char *out, size_t cap)
{
	size_t plen = strlen(prefix);

	if (strncmp(path, prefix, plen) != 0)
		return FILES_NO_NAME;
	const char *rest = path + plen;
	size_t rlen = strlen(rest);
	if (rlen == 0 || rlen >= cap)
		return FILES_NO_NAME; /* url_unquote needs rlen + 1 bytes */
	size_t n = url_unquote(rest, rlen, false, out);
	if (memchr(out, '\0', n))
		return FILES_BAD_NAME; /* "%00": the name would end early */
	return n > 0 ? (ssize_t)n : FILES_NO_NAME;
}

/* ---- the cache ---------------------------------------------------------------------- */

/* Which version of which file: what must all match for stored forms to be reused. */
struct version {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

struct slot {
	struct files_entry pub;   /* first: a files_entry pointer is a slot pointer */
	struct version key;
	struct slot *prev, *next; /* in the cache's list, most recently used first */
	unsigned refs;            /* callers holding it, plus one while it is built */
	bool stored;              /* in the list (else freed at its last release) */
	bool building;            /* its forms are being made; wait on ready */
	int error;                /* errno of a build that failed, 0 otherwise */
	unsigned char *data, *gz; /* owned copies of pub.data and pub.gz */
};

struct files_cache {
	pthread_mutex_t lock;  /* guards everything below and every slot's fields */
	pthread_cond_t ready;  /* a build finished */
	struct slot *head, *tail;
	size_t max_bytes;
	struct files_cache_stats stats;
};

struct files_cache *files_cache_new(size_t max_bytes)
{
	struct files_cache *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->ready, NULL);
	c->max_bytes = max_bytes;
	return c;
}

static void slot_free(struct slot *s)
{
	free(s->data);
	free(s->gz);
	free(s);
}

/* slot_bytes — what a slot counts against the bound. */
static size_t slot_bytes(const struct slot *s)
{
	return s->pub.len + s->pub.gz_len;
}

/* unlink_slot — takes s out of the list; it is freed now if nobody holds it. */
static void unlink_slot(struct files_cache *c, struct slot *s)
{
	if (!s->stored)
		return;
	*(s->prev ? &s->prev->next : &c->head) = s->next;
	*(s->next ? &s->next->prev : &c->tail) = s->prev;
	s->prev = s->next = NULL;
	s->stored = false;
	c->stats.entries--;
	c->stats.bytes -= slot_bytes(s);
	if (s->refs == 0)
		slot_free(s);
}

/* push_front — puts s at the head of the list (most recently used). */
static void push_front(struct files_cache *c, struct slot *s)
{
	s->prev = NULL;
	s->next = c->head;
	*(c->head ? &c->head->prev : &c->tail) = s;
	c->head = s;
	if (!s->stored) {
		s->stored = true;
		c->stats.entries++;
		c->stats.bytes += slot_bytes(s);
	}
}

/* touch — moves a stored s to the head of the list. */
static void touch(struct files_cache *c, struct slot *s)
{
	if (c->head == s)
		return;
	*(s->prev ? &s->prev->next : &c->head) = s->next;
	*(s->next ? &s->next->prev : &c->tail) = s->prev;
	s->prev = NULL;
	s->next = c->head;
	c->head->prev = s;
	c->head = s;
}

/* evict — drops least recently used finished slots until the bound holds. A slot in
 * use only leaves the list; its holder frees it at release. */
static void evict(struct files_cache *c)
{
	struct slot *s = c->tail;

	while (s && c->stats.bytes > c->max_bytes) {
		struct slot *prev = s->prev;
		if (!s->building) {
			unlink_slot(c, s);
			c->stats.evictions++;
		}
		s = prev;
	}
}

void files_cache_free(struct files_cache *c)
{
	if (!c)
		return;
	while (c->head)
		unlink_slot(c, c->head);
	pthread_cond_destroy(&c->ready);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static bool same_version(const struct version *a, const struct version *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static struct version version_of(const struct stat *st)
{
	return (struct version){st->st_dev, st->st_ino, st->st_size, st->st_mtim};
}

/* lookup — the stored slot for v; a stored older version of the same file that nobody
 * is building is dropped on the way (it can never be asked for again). */
static struct slot *lookup(struct files_cache *c, const struct version *v)
{
	struct slot *s = c->head;

	while (s) {
		struct slot *next = s->next;
		if (same_version(&s->key, v))
			return s;
		if (s->key.dev == v->dev && s->key.ino == v->ino && !s->building) {
			unlink_slot(c, s);
			c->stats.evictions++;
		}
		s = next;
	}
	return NULL;
}

/* read_all — reads want bytes of fd from offset 0 into buf; returns how many it got
 * (fewer if the file shrank), or -1. */
static ssize_t read_all(int fd, unsigned char *buf, size_t want)
{
	size_t got = 0;

	while (got < want) {
		ssize_t n = pread(fd, buf + got, want - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* build — reads and gzips the file into s, outside the lock. Returns 0, or an errno.
 * *changed is set when the file is no longer the version s is keyed on. */
static int build(struct slot *s, int fd, bool *changed)
{
	size_t want = (size_t)s->key.size;
	struct stat after;

	s->data = malloc(want ? want : 1);
	if (!s->data)
		return ENOMEM;
	ssize_t got = read_all(fd, s->data, want);
	if (got < 0)
		return errno ? errno : EIO;
	if (gz_compress(s->data, (size_t)got, &s->gz, &s->pub.gz_len) != 0)
		return ENOMEM;
	s->pub.data = s->data;
	s->pub.len = (size_t)got;
	s->pub.gz = s->gz;
	s->pub.mtime = s->key.mtime.tv_sec;
	*changed = (size_t)got != want || fstat(fd, &after) != 0;
	if (!*changed) {
		struct version v = version_of(&after);
		*changed = !same_version(&v, &s->key);
	}
	return 0;
}

/* wait_built — waits (lock held) until s is built; returns it, or NULL with errno of
 * the failed build (the reference taken for the wait is dropped then). */
static const struct files_entry *wait_built(struct files_cache *c, struct slot *s)
{
	while (s->building)
		pthread_cond_wait(&c->ready, &c->lock);
	if (s->error == 0)
		return &s->pub;
	int e = s->error;
	if (--s->refs == 0 && !s->stored)
		slot_free(s);
	errno = e;
	return NULL;
}

/* finish_build — publishes the outcome of building s (lock held). */
static void finish_build(struct files_cache *c, struct slot *s, int error, bool changed)
{
	s->building = false;
	s->error = error;
	if (error == 0 && !changed && slot_bytes(s) <= c->max_bytes) {
		c->stats.bytes += slot_bytes(s); /* counted now that its size is known */
		evict(c);
	} else {
		c->stats.bytes += slot_bytes(s);
		unlink_slot(c, s); /* failed, changed or too big: private to its holders */
	}
	pthread_cond_broadcast(&c->ready);
}

const struct files_entry *files_cache_get(struct files_cache *c, int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return NULL;
	if (!S_ISREG(st.st_mode)) {
		errno = EISDIR;
		return NULL;
	}
	if (st.st_size > LIMIT_FILE_SIZE) {
		errno = EFBIG;
		return NULL;
	}
	struct version v = version_of(&st);
	pthread_mutex_lock(&c->lock);
	struct slot *s = lookup(c, &v);
	if (s) {
		s->refs++;
		touch(c, s);
		c->stats.hits++;
		const struct files_entry *e = wait_built(c, s);
		pthread_mutex_unlock(&c->lock);
		return e;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		pthread_mutex_unlock(&c->lock);
		errno = ENOMEM;
		return NULL;
	}
	s->key = v;
	s->refs = 1;
	s->building = true;
	push_front(c, s); /* others asking for this version now wait for this build */
	c->stats.builds++;
	pthread_mutex_unlock(&c->lock);

	bool changed = false;
	int error = build(s, fd, &changed);

	pthread_mutex_lock(&c->lock);
	finish_build(c, s, error, changed);
	const struct files_entry *e = wait_built(c, s);
	pthread_mutex_unlock(&c->lock);
	return e;
}

const struct files_entry *files_cache_open(struct files_cache *c, int root, const char *rel)
{
	int fd = files_open(root, rel);

	if (fd < 0)
		return NULL;
	const struct files_entry *e = files_cache_get(c, fd);
	int error = errno; /* close must not hide why the cache failed */
	close(fd);
	errno = error;
	return e;
}

void files_cache_release(struct files_cache *c, const struct files_entry *e)
{
	struct slot *s = (struct slot *)e; /* pub is the slot's first member */

	if (!e)
		return;
	pthread_mutex_lock(&c->lock);
	if (--s->refs == 0 && !s->stored)
		slot_free(s);
	pthread_mutex_unlock(&c->lock);
}

void files_cache_stats(struct files_cache *c, struct files_cache_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	pthread_mutex_unlock(&c->lock);
}

/* char_start — the greatest n <= at where s[n] begins a UTF-8 character, so that a
 * name cut at n ends with whole characters. A continuation byte (10xxxxxx) never
 * begins one; a character has at most three, so no more are stepped back over (bytes
 * that are not UTF-8 at all are cut where they stand). */
static size_t char_start(const char *s, size_t at)
{
	size_t n = at;

	while (n > 0 && at - n < 3 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return ((unsigned char)s[n] & 0xc0) == 0x80 ? at : n;
}

void files_upload_name(const char *sent, char *out, size_t cap)
{
	const char *p = sent, *slash;
	size_t n = 0;

	while ((slash = strpbrk(p, "/\\")))
		p = slash + 1;
	while (*p == '.')
		p++;
	for (; *p && n + 1 < cap; p++)
		if ((unsigned char)*p >= 0x20 && *p != 0x7f)
			out[n++] = *p;
	if (*p)
		n = char_start(out, n); /* out is full: cut where a character begins */
	out[n] = '\0';
	if (n > LIMIT_UPLOAD_NAME) {
		const char *dot = strrchr(out, '.');
		size_t ext = dot ? strlen(dot) : 0;
		if (ext > 16)
			ext = 0;
		size_t keep = char_start(out, LIMIT_UPLOAD_NAME - ext);
		memmove(out + keep, out + n - ext, ext + 1);
	}
	if (out[0] == '\0')
		snprintf(out, cap, "upload");
}

int files_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO; /* no progress, and no reason given: do not spin */
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
