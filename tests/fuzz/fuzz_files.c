/* fuzz_files.c — common/server/files.c's path resolution on arbitrary request paths:
 * files_request_name (the name under /files/), then files_open (openat2) and
 * files_open_walk (the fallback) beneath a small document root made at start-up.
 *
 * Input layout: [C] path
 *   C  the capacity given to files_request_name: C + 1 bytes (1..256), or
 *      LIMIT_FILE_PATH + 1 when C is 0
 *   path: a request path (up to its first NUL), e.g. "/files/sub/b.txt".
 *
 * The root holds a.txt, sub/b.txt, an empty dir/, links in.txt -> a.txt and
 * sub/up.txt -> ../a.txt (inside), out.txt -> ../outside.txt (out), and a file
 * outside.txt next to the root.
 *
 * Properties (each a CHECK that aborts):
 *   - files_request_name gives FILES_NO_NAME, FILES_BAD_NAME or a length n in
 *     1..cap-1 with a NUL at n and none before;
 *   - whatever the name, files_open and files_open_walk open nothing but a.txt or
 *     sub/b.txt (never outside.txt, a directory, or a link's target outside);
 *   - what the walk opens, files_open opens too, the same file (the walk is the
 *     stricter: it follows no link at all);
 *   - a failure sets one of the errno values files.h lists, and no descriptor leaks. */
#include "fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "limit.h"

/* The fixture: made once, on the first input, removed when the process exits. */
struct fixture {
	char top[64];     /* the temporary folder: root/ and outside.txt */
	int root;
	struct stat a, b; /* the only files that may be opened */
};

/* One per process (the fuzzer calls us many times), so that exit can remove it. */
static struct fixture the_fixture;

/* remove_fixture — at exit: every name make() created, then the folders. */
static void remove_fixture(void)
{
	static const char *const names[] = {
		"root/sub/up.txt", "root/sub/b.txt", "root/sub", "root/dir", "root/in.txt",
		"root/out.txt", "root/a.txt", "root", "outside.txt",
	};
	char path[128];

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", the_fixture.top, names[i]);
		if (unlinkat(AT_FDCWD, path, 0) != 0)
			unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
	}
	rmdir(the_fixture.top);
}

static void make(const char *dir, const char *name, const char *link_to)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (link_to) {
		CHECK(symlink(link_to, path) == 0, "symlink %s", path);
		return;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0 && write(fd, name, strlen(name)) > 0, "create %s", path);
	close(fd);
}

static const struct fixture *fixture(void)
{
	struct fixture *fx = &the_fixture;
	static bool made;
	char *top = fx->top, root[96];

	if (made)
		return fx;
	snprintf(fx->top, sizeof fx->top, "/tmp/wirelab-fuzz-files-XXXXXX");
	CHECK(mkdtemp(top) != NULL, "mkdtemp");
	atexit(remove_fixture);
	snprintf(root, sizeof root, "%s/root", top);
	CHECK(mkdir(root, 0700) == 0, "mkdir root");
	make(top, "outside.txt", NULL);
	make(root, "a.txt", NULL);
	snprintf(root + strlen(root), sizeof root - strlen(root), "/sub");
	CHECK(mkdir(root, 0700) == 0, "mkdir sub");
	make(root, "b.txt", NULL);
	make(root, "up.txt", "../a.txt");
	root[strlen(root) - 4] = '\0';
	snprintf(root + strlen(root), sizeof root - strlen(root), "/dir");
	CHECK(mkdir(root, 0700) == 0, "mkdir dir");
	root[strlen(root) - 4] = '\0';
	make(root, "in.txt", "a.txt");
	make(root, "out.txt", "../outside.txt");
	char err[LIMIT_ERR_LEN];
	fx->root = files_open_root(root, err);
	CHECK(fx->root >= 0, "%s", err);
	CHECK(fstatat(fx->root, "a.txt", &fx->a, 0) == 0, "stat a.txt");
	CHECK(fstatat(fx->root, "sub/b.txt", &fx->b, 0) == 0, "stat b.txt");
	made = true;
	return fx;
}

static bool same(const struct stat *x, const struct stat *y)
{
	return x->st_dev == y->st_dev && x->st_ino == y->st_ino;
}

/* check_opened — fd (from what) is -1 with a listed errno, or a.txt or b.txt. */
static void check_opened(const struct fixture *fx, int fd, int e, const char *what,
                         struct stat *st)
{
	if (fd < 0) {
		CHECK(e == ENOENT || e == ENOTDIR || e == EISDIR || e == EXDEV || e == ELOOP ||
		      e == ENAMETOOLONG, "%s: errno %d", what, e);
		return;
	}
	CHECK(fstat(fd, st) == 0 && S_ISREG(st->st_mode), "%s: not a regular file", what);
	CHECK(same(st, &fx->a) || same(st, &fx->b), "%s: opened a file it must not", what);
}

static void check_open(const struct fixture *fx, const char *rel)
{
	struct stat by_walk, by_open;
	int probe = dup(0);
	close(probe);

	int walk = files_open_walk(fx->root, rel);
	check_opened(fx, walk, errno, "files_open_walk", &by_walk);
	int fd = files_open(fx->root, rel);
	check_opened(fx, fd, errno, "files_open", &by_open);
	if (walk >= 0)
		CHECK(fd >= 0 && same(&by_walk, &by_open), "the walk opened what openat2 did not");
	if (walk >= 0)
		close(walk);
	if (fd >= 0)
		close(fd);
	int after = dup(0);
	close(after);
	CHECK(after == probe, "a descriptor leaked");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fixture *fx = fixture();
	struct fuzz_in in = {data, size};
	uint8_t c = fuzz_take(&in);
	size_t cap = c ? (size_t)c + 1 : LIMIT_FILE_PATH + 1;
	char *path = fuzz_cstr(in.p, in.n);
	char *name = fuzz_alloc(cap);

	ssize_t n = files_request_name(path, "/files/", name, cap);
	CHECK(n == FILES_NO_NAME || n == FILES_BAD_NAME || (n > 0 && (size_t)n < cap),
	      "files_request_name gave %zd for a capacity of %zu", n, cap);
	if (n > 0) {
		CHECK(name[n] == '\0' && strlen(name) == (size_t)n, "the name is not %zd bytes", n);
		check_open(fx, name);
	}
	free(name);
	free(path);
	return 0;
}
