/* test_files — common/server/files.c: request names (decoded once, NUL refused), opening
 * beneath a root with openat2 and with the component walk (every escape refused:
 * "..", absolute paths, symbolic links out, percent-encoded dots once decoded), and
 * the file cache (one build per version, a new build after a change, the memory bound,
 * entries that outlive eviction, many threads at once). Every case is named for what
 * it proves. Each group works in a fresh temporary folder:
 *
 *   TMP/outside.txt         a file next to the root, which must stay out of reach
 *   TMP/root/a.txt          "alpha\n"
 *   TMP/root/sub/b.txt      "bravo\n"
 *   TMP/root/sub/up.txt  -> ../a.txt       (a link that stays inside)
 *   TMP/root/in.txt      -> a.txt          (a link that stays inside)
 *   TMP/root/out.txt     -> ../outside.txt (a link that leaves)
 *   TMP/root/abs.txt     -> TMP/outside.txt (an absolute link)
 *   TMP/root/dir/, TMP/root/fifo
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/limits.h> /* PATH_MAX: <limits.h> would find common/http/limit.h */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files.h"
#include "gzip.h"
#include "guard.h"
#include "limit.h"

#define MP_NAME_MAX_FOR_TEST 255 /* lesson 08's name buffer: multipart.h's MP_NAME_MAX */

/* ---- fixture ---------------------------------------------------------------------- */

struct fx {
	char tmp[PATH_MAX];
	char root_path[PATH_MAX];
	int root;
};

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

/* at — TMP/rel, in a buffer of the caller's. */
static char *at(const struct fx *f, const char *rel, char out[PATH_MAX])
{
	int n = snprintf(out, PATH_MAX, "%s/%s", f->tmp, rel);
	assert_true(n > 0 && n < PATH_MAX);
	return out;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char p[PATH_MAX], target[PATH_MAX];

	if (!f)
		return -1;
	snprintf(f->tmp, sizeof f->tmp, "%s/wirelab-files-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(f->tmp))
		return -1;
	put(at(f, "outside.txt", p), "secret\n");
	mkdir(at(f, "root", p), 0755);
	mkdir(at(f, "root/sub", p), 0755);
	mkdir(at(f, "root/dir", p), 0755);
	put(at(f, "root/a.txt", p), "alpha\n");
	put(at(f, "root/sub/b.txt", p), "bravo\n");
	if (symlink("../a.txt", at(f, "root/sub/up.txt", p)) ||
	    symlink("a.txt", at(f, "root/in.txt", p)) ||
	    symlink("../outside.txt", at(f, "root/out.txt", p)) ||
	    symlink(at(f, "outside.txt", target), at(f, "root/abs.txt", p)) ||
	    mkfifo(at(f, "root/fifo", p), 0644))
		return -1;
	char err[LIMIT_ERR_LEN];
	at(f, "root", f->root_path);
	f->root = files_open_root(f->root_path, err);
	if (f->root < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[PATH_MAX + 16];

	close(f->root);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->tmp);
	int rc = system(cmd);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* read_fd — the whole content of fd as a string (closes fd). */
static char *read_fd(int fd)
{
	static char buf[256];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

typedef int (*open_fn)(int, const char *);

/* expect_file — opening rel gives a file holding text. */
static void expect_file(open_fn fn, const struct fx *f, const char *rel, const char *text)
{
	int fd = fn(f->root, rel);
	if (fd < 0)
		fail_msg("%s: refused (%s), want \"%s\"", rel, strerror(errno), text);
	assert_string_equal(read_fd(fd), text);
}

/* expect_refused — opening rel fails with errno want. */
static void expect_refused(open_fn fn, const struct fx *f, const char *rel, int want)
{
	errno = 0;
	int fd = fn(f->root, rel);
	if (fd >= 0) {
		fail_msg("%s: opened (\"%s\"), want %s", rel, read_fd(fd), strerror(want));
	}
	if (errno != want)
		fail_msg("%s: errno %s, want %s", rel, strerror(errno), strerror(want));
}

/* ---- request names ---------------------------------------------------------------- */

static void test_request_name_is_decoded_once(void **state)
{
	(void)state;
	char name[64];
	assert_int_equal(files_request_name("/files/notes.txt", "/files/", name, sizeof name), 9);
	assert_string_equal(name, "notes.txt");
	assert_int_equal(files_request_name("/files/my%20notes.txt", "/files/", name, sizeof name),
	                 12);
	assert_string_equal(name, "my notes.txt");
	/* Decoded once: "%252e" is "%2e", a name, not a dot. */
	assert_int_equal(files_request_name("/files/%252e%252e", "/files/", name, sizeof name), 6);
	assert_string_equal(name, "%2e%2e");
	/* Encoded dots and slashes decode to what they are; files_open judges them. */
	assert_true(files_request_name("/files/%2e%2e%2fserver.c", "/files/", name, sizeof name) >
	            0);
	assert_string_equal(name, "../server.c");
}

static void test_request_name_refuses_nul_wrong_prefix_empty_and_long(void **state)
{
	(void)state;
	char name[16];
	assert_int_equal(files_request_name("/files/a%00.txt", "/files/", name, sizeof name),
	                 FILES_BAD_NAME);
	assert_int_equal(files_request_name("/other/a.txt", "/files/", name, sizeof name),
	                 FILES_NO_NAME);
	assert_int_equal(files_request_name("/files", "/files/", name, sizeof name), FILES_NO_NAME);
	assert_int_equal(files_request_name("/files/", "/files/", name, sizeof name),
	                 FILES_NO_NAME);
	assert_int_equal(files_request_name("/files/0123456789abcdef", "/files/", name,
	                                    sizeof name), FILES_NO_NAME);
	assert_int_equal(files_request_name("/files/0123456789abcde", "/files/", name, sizeof name),
	                 15);
}

static void test_request_name_reads_within_its_bounds(void **state)
{
	(void)state;
	char name[16];
	static const char path[] = "/files/a%2";   /* a cut escape at the very end */
	struct guarded g = guard(path, sizeof path); /* with its NUL */
	assert_int_equal(files_request_name(g.s, "/files/", name, sizeof name), 3);
	unguard(&g);
	assert_string_equal(name, "a%2");
}

/* ---- opening beneath the root ----------------------------------------------------- */

static void opens_files_inside(open_fn fn, const struct fx *f)
{
	expect_file(fn, f, "a.txt", "alpha\n");
	expect_file(fn, f, "sub/b.txt", "bravo\n");
	expect_file(fn, f, "./a.txt", "alpha\n");
	expect_file(fn, f, "sub//b.txt", "bravo\n");
}

static void refuses_every_escape(open_fn fn, const struct fx *f)
{
	expect_refused(fn, f, "../outside.txt", EXDEV);
	expect_refused(fn, f, "sub/../../outside.txt", EXDEV);
	expect_refused(fn, f, "..", EXDEV);
	expect_refused(fn, f, "/etc/passwd", EXDEV);
	expect_refused(fn, f, f->root_path, EXDEV); /* absolute, even into the root */
}

static void refuses_what_is_not_a_file(open_fn fn, const struct fx *f)
{
	expect_refused(fn, f, "nothing.txt", ENOENT);
	expect_refused(fn, f, "", ENOENT);
	expect_refused(fn, f, "a.txt/x", ENOTDIR);
	expect_refused(fn, f, "dir", EISDIR);
	expect_refused(fn, f, "fifo", EISDIR); /* and does not hang waiting for a writer */
	char longname[LIMIT_FILE_PATH + 2];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	expect_refused(fn, f, longname, ENAMETOOLONG);
}

/* trailing_slash — a trailing slash asks for a directory: after a file it names
 * nothing (ENOTDIR), after a directory it is that directory (EISDIR). openat2 and the
 * walk must agree, or /files/hello.txt/ is 404 on one kernel and 200 on another. */
static void trailing_slash(open_fn fn, const struct fx *f)
{
	expect_refused(fn, f, "a.txt/", ENOTDIR);
	expect_refused(fn, f, "sub/b.txt/", ENOTDIR);
	expect_refused(fn, f, "a.txt//", ENOTDIR);
	expect_refused(fn, f, "dir/", EISDIR);
	expect_refused(fn, f, "./", EISDIR);
}

/* need_openat2 — skips a case that is about openat2 itself where the kernel (or
 * valgrind, which does not know the call) answers ENOSYS: files_open then walks, and
 * the walk's own cases cover that. */
static void need_openat2(void)
{
	struct open_how how = {.flags = O_PATH, .resolve = RESOLVE_BENEATH};
	long fd = syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof how);
	if (fd >= 0)
		close((int)fd);
	else if (errno == ENOSYS)
		skip();
}

static void test_openat2_opens_files_inside(void **state)
{
	opens_files_inside(files_open, *state);
}

static void test_openat2_refuses_every_escape(void **state)
{
	const struct fx *f = *state;
	need_openat2();
	refuses_every_escape(files_open, f);
	expect_refused(files_open, f, "out.txt", EXDEV); /* a link that leaves */
	expect_refused(files_open, f, "abs.txt", EXDEV); /* an absolute link */
}

static void test_openat2_follows_links_that_stay_inside(void **state)
{
	const struct fx *f = *state;
	need_openat2();
	expect_file(files_open, f, "in.txt", "alpha\n");
	expect_file(files_open, f, "sub/up.txt", "alpha\n");
	expect_file(files_open, f, "sub/../a.txt", "alpha\n"); /* ".." that stays inside */
}

static void test_openat2_refuses_what_is_not_a_file(void **state)
{
	refuses_what_is_not_a_file(files_open, *state);
}

static void test_openat2_trailing_slash_after_a_file_is_not_a_file(void **state)
{
	need_openat2();
	trailing_slash(files_open, *state);
}

static void test_walk_trailing_slash_after_a_file_is_not_a_file(void **state)
{
	trailing_slash(files_open_walk, *state);
}

static void test_walk_opens_files_inside(void **state)
{
	opens_files_inside(files_open_walk, *state);
}

static void test_walk_refuses_every_escape(void **state)
{
	const struct fx *f = *state;
	refuses_every_escape(files_open_walk, f);
	expect_refused(files_open_walk, f, "out.txt", ELOOP);
	expect_refused(files_open_walk, f, "abs.txt", ELOOP);
}

static void test_walk_follows_no_link_and_no_dotdot(void **state)
{
	const struct fx *f = *state;
	expect_refused(files_open_walk, f, "in.txt", ELOOP);
	expect_refused(files_open_walk, f, "sub/up.txt", ELOOP);
	expect_refused(files_open_walk, f, "sub/../a.txt", EXDEV);
}

static void test_walk_refuses_what_is_not_a_file(void **state)
{
	refuses_what_is_not_a_file(files_open_walk, *state);
}

static void test_walk_leaks_no_descriptor(void **state)
{
	const struct fx *f = *state;
	int before = dup(0);
	close(before);
	for (int i = 0; i < 50; i++) {
		int fd = files_open_walk(f->root, "sub/b.txt");
		assert_true(fd >= 0);
		close(fd);
		files_open_walk(f->root, "sub/../a.txt");
		files_open_walk(f->root, "sub/nothing");
		files_open_walk(f->root, "dir/../x");
	}
	int after = dup(0);
	close(after);
	assert_int_equal(after, before); /* the lowest free descriptor is the same */
}

static void test_open_root_reports_a_missing_folder(void **state)
{
	(void)state;
	char err[LIMIT_ERR_LEN] = "";
	assert_int_equal(files_open_root("/nonexistent/wirelab", err), -1);
	assert_non_null(strstr(err, "/nonexistent/wirelab"));
}

/* ---- upload names and writing ---------------------------------------------------- */

static void expect_upload_name(const char *sent, const char *want)
{
	char out[MP_NAME_MAX_FOR_TEST + 1];
	files_upload_name(sent, out, sizeof out);
	assert_string_equal(out, want);
}

static void test_upload_name_keeps_the_base_name_alone(void **state)
{
	(void)state;
	expect_upload_name("logo.png", "logo.png");
	expect_upload_name("C:\\Users\\me\\logo.png", "logo.png"); /* a whole Windows path */
	expect_upload_name("../../etc/passwd", "passwd");
	expect_upload_name("..hidden", "hidden");
	expect_upload_name("a\x01" "b\x7f\nc.txt", "abc.txt"); /* controls dropped */
	expect_upload_name("dir/", "upload");
	expect_upload_name("...", "upload");
}

static void test_upload_name_is_cut_keeping_its_extension(void **state)
{
	(void)state;
	char sent[MP_NAME_MAX_FOR_TEST + 1], out[MP_NAME_MAX_FOR_TEST + 1];
	memset(sent, 'n', 250);
	strcpy(sent + 250, ".png");
	files_upload_name(sent, out, sizeof out);
	assert_int_equal(strlen(out), LIMIT_UPLOAD_NAME);
	assert_string_equal(out + LIMIT_UPLOAD_NAME - 4, ".png");
	memset(sent, 'n', 230);
	strcpy(sent + 230, ".a-very-long-extension"); /* over 16: not an extension to keep */
	files_upload_name(sent, out, sizeof out);
	assert_int_equal(strlen(out), LIMIT_UPLOAD_NAME);
	assert_null(strchr(out, '.'));
}

/* A name cut to LIMIT_UPLOAD_NAME bytes ends on a whole UTF-8 character: a cut
 * through one would leave a byte no file system shows as text ("日…日\xe6.txt"). */
static void test_upload_name_is_cut_on_a_character_boundary(void **state)
{
	(void)state;
	static const char ri[] = "\xe6\x97\xa5"; /* 日, three bytes */
	char sent[MP_NAME_MAX_FOR_TEST + 1], out[MP_NAME_MAX_FOR_TEST + 1];

	for (size_t lead = 0; lead < 3; lead++) { /* every way 3-byte characters meet the cut */
		size_t n = lead;
		memset(sent, 'x', lead);
		while (n + 3 <= 240) {
			memcpy(sent + n, ri, 3);
			n += 3;
		}
		strcpy(sent + n, ".txt");
		files_upload_name(sent, out, sizeof out);
		size_t len = strlen(out);
		assert_true(len <= LIMIT_UPLOAD_NAME && len > LIMIT_UPLOAD_NAME - 3);
		assert_string_equal(out + len - 4, ".txt");
		/* What precedes the extension is the lead, then whole characters. */
		assert_memory_equal(out, sent, lead);
		assert_int_equal((len - 4 - lead) % 3, 0);
		for (size_t i = lead; i < len - 4; i += 3)
			assert_memory_equal(out + i, ri, 3);
	}
	/* Without an extension, the same; and a 4-byte character (an emoji). */
	memset(sent, 'x', 198);
	strcpy(sent + 198, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
	files_upload_name(sent, out, sizeof out);
	assert_int_equal(strlen(out), 198);
	/* Bytes that are not UTF-8 at all are cut where they stand. */
	memset(sent, '\x80', 250);
	sent[250] = '\0';
	files_upload_name(sent, out, sizeof out);
	assert_int_equal(strlen(out), LIMIT_UPLOAD_NAME);
}

static void test_write_all_writes_everything_it_is_given(void **state)
{
	(void)state;
	char path[] = "/tmp/wirelab-write-XXXXXX", back[70000];
	static char data[70000]; /* more than a pipe's buffer, into a file: one piece or many */
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)(i * 7);
	assert_int_equal(files_write_all(fd, data, sizeof data), 0);
	assert_int_equal(pread(fd, back, sizeof back, 0), (ssize_t)sizeof data);
	assert_memory_equal(back, data, sizeof data);
	close(fd);
	assert_int_equal(files_write_all(fd, data, 1), -1); /* closed: the error, not a loop */
	assert_int_equal(errno, EBADF);
}

/* ---- the cache -------------------------------------------------------------------- */

/* get — files_cache_get of root/rel, checking that the gzip form decodes to the data. */
static const struct files_entry *get(struct files_cache *c, const struct fx *f, const char *rel)
{
	int fd = files_open(f->root, rel);
	assert_true(fd >= 0);
	const struct files_entry *e = files_cache_get(c, fd);
	close(fd);
	assert_non_null(e);
	unsigned char *back;
	size_t blen;
	assert_int_equal(gz_decompress(e->gz, e->gz_len, e->len, &back, &blen), 0);
	assert_int_equal(blen, e->len);
	assert_memory_equal(back, e->data, e->len);
	free(back);
	return e;
}

static struct files_cache_stats stats(struct files_cache *c)
{
	struct files_cache_stats s;
	files_cache_stats(c, &s);
	return s;
}

/* set_mtime — gives root/rel the modification time sec (whole seconds). */
static void set_mtime(const struct fx *f, const char *rel, time_t sec)
{
	struct timespec times[2] = {{sec, 0}, {sec, 0}};
	assert_int_equal(utimensat(f->root, rel, times, 0), 0);
}

static void test_cache_open_opens_caches_and_closes(void **state)
{
	struct fx *f = *state;
	struct files_cache *c = files_cache_new(1 << 20);
	assert_non_null(c);
	int before = dup(0);
	close(before);

	const struct files_entry *e = files_cache_open(c, f->root, "sub/b.txt");
	assert_non_null(e);
	assert_memory_equal(e->data, "bravo\n", 6);
	files_cache_release(c, e);
	errno = 0;
	assert_null(files_cache_open(c, f->root, "missing.txt"));
	assert_int_equal(errno, ENOENT);
	assert_null(files_cache_open(c, f->root, "../outside.txt"));
	assert_int_equal(errno, EXDEV);
	assert_null(files_cache_open(c, f->root, "fifo")); /* files_open refuses it */
	assert_int_equal(errno, EISDIR);
	int after = dup(0); /* the lowest free descriptor: none was left open */
	close(after);
	assert_int_equal(after, before);
	files_cache_free(c);
}

static void test_cache_builds_once_per_version(void **state)
{
	const struct fx *f = *state;
	struct files_cache *c = files_cache_new(1 << 20);
	set_mtime(f, "a.txt", 1690000000);
	const struct files_entry *e1 = get(c, f, "a.txt");
	const struct files_entry *e2 = get(c, f, "a.txt");
	assert_ptr_equal(e1, e2);
	assert_ptr_equal(e1->gz, e2->gz); /* the same gzip form, made once */
	assert_int_equal(e1->mtime, 1690000000);
	assert_int_equal(e1->len, 6);
	assert_memory_equal(e1->data, "alpha\n", 6);
	struct files_cache_stats s = stats(c);
	assert_int_equal(s.builds, 1);
	assert_int_equal(s.hits, 1);
	assert_int_equal(s.entries, 1);
	assert_int_equal(s.bytes, e1->len + e1->gz_len);
	files_cache_release(c, e1);
	files_cache_release(c, e2);
	files_cache_free(c);
}

static void test_cache_builds_again_after_the_file_changes(void **state)
{
	const struct fx *f = *state;
	char p[PATH_MAX];
	struct files_cache *c = files_cache_new(1 << 20);
	const struct files_entry *old = get(c, f, "sub/b.txt");

	put(at(f, "root/sub/b.txt", p), "BRAVO\n"); /* same size: only the mtime tells */
	set_mtime(f, "sub/b.txt", 1700000000);
	const struct files_entry *now = get(c, f, "sub/b.txt");
	assert_ptr_not_equal(old, now);
	assert_memory_equal(now->data, "BRAVO\n", 6);
	assert_memory_equal(old->data, "bravo\n", 6); /* still valid for whoever holds it */
	set_mtime(f, "sub/b.txt", 1700000001);        /* a touch alone is a new version */
	const struct files_entry *touched = get(c, f, "sub/b.txt");
	struct files_cache_stats s = stats(c);
	assert_int_equal(s.builds, 3);
	assert_int_equal(s.entries, 1); /* the older versions were dropped */
	files_cache_release(c, old);
	files_cache_release(c, now);
	files_cache_release(c, touched);
	put(at(f, "root/sub/b.txt", p), "bravo\n");
	files_cache_free(c);
}

static void test_cache_stays_within_its_bound(void **state)
{
	const struct fx *f = *state;
	struct files_cache *c = files_cache_new(40); /* each entry is 6 + ~26 bytes */
	const struct files_entry *a = get(c, f, "a.txt");
	files_cache_release(c, a);
	const struct files_entry *b = get(c, f, "sub/b.txt");
	struct files_cache_stats s = stats(c);
	assert_int_equal(s.entries, 1);
	assert_true(s.bytes <= 40);
	assert_int_equal(s.evictions, 1);
	files_cache_release(c, b);
	a = get(c, f, "a.txt"); /* evicted: built again */
	assert_int_equal(stats(c).builds, 3);
	files_cache_release(c, a);
	files_cache_free(c);
}

static void test_cache_entry_outlives_its_eviction(void **state)
{
	const struct fx *f = *state;
	struct files_cache *c = files_cache_new(40);
	const struct files_entry *a = get(c, f, "a.txt"); /* held while b evicts it */
	const struct files_entry *b = get(c, f, "sub/b.txt");
	assert_memory_equal(a->data, "alpha\n", 6); /* ASan would see a use after free */
	files_cache_release(c, a);
	files_cache_release(c, b);
	files_cache_free(c);
}

static void test_cache_serves_a_file_larger_than_its_bound_privately(void **state)
{
	const struct fx *f = *state;
	struct files_cache *c = files_cache_new(8);
	const struct files_entry *a = get(c, f, "a.txt");
	assert_memory_equal(a->data, "alpha\n", 6);
	assert_int_equal(stats(c).entries, 0);
	files_cache_release(c, a); /* freed here: LeakSanitizer and valgrind would tell */
	files_cache_free(c);
}

static void test_cache_refuses_a_directory_and_a_huge_file(void **state)
{
	const struct fx *f = *state;
	char p[PATH_MAX];
	struct files_cache *c = files_cache_new(1 << 20);
	int dir = openat(f->root, "dir", O_RDONLY | O_DIRECTORY);
	assert_true(dir >= 0);
	errno = 0;
	assert_null(files_cache_get(c, dir));
	assert_int_equal(errno, EISDIR);
	close(dir);
	int big = open(at(f, "root/big.bin", p), O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(big >= 0);
	assert_int_equal(ftruncate(big, (off_t)LIMIT_FILE_SIZE + 1), 0); /* sparse */
	errno = 0;
	assert_null(files_cache_get(c, big));
	assert_int_equal(errno, EFBIG);
	close(big);
	unlink(p);
	assert_int_equal(stats(c).builds, 0);
	files_cache_free(c);
}

static void test_cache_holds_an_empty_file(void **state)
{
	const struct fx *f = *state;
	char p[PATH_MAX];
	put(at(f, "root/empty", p), "");
	struct files_cache *c = files_cache_new(1 << 20);
	const struct files_entry *e = get(c, f, "empty");
	assert_int_equal(e->len, 0);
	assert_true(e->gz_len >= 20); /* a gzip member of nothing: header and trailer */
	files_cache_release(c, e);
	files_cache_free(c);
	unlink(p);
}

struct job {
	struct files_cache *c;
	const struct fx *f;
	int wrong;
};

static void *many_gets(void *arg)
{
	struct job *j = arg;
	static const char *const names[] = {"a.txt", "sub/b.txt", "./a.txt"};
	static const char *const texts[] = {"alpha\n", "bravo\n", "alpha\n"};
	for (int i = 0; i < 300; i++) {
		int fd = files_open(j->f->root, names[i % 3]);
		const struct files_entry *e = fd < 0 ? NULL : files_cache_get(j->c, fd);
		if (fd >= 0)
			close(fd);
		if (!e || e->len != 6 || memcmp(e->data, texts[i % 3], 6) != 0)
			j->wrong++;
		files_cache_release(j->c, e);
	}
	return NULL;
}

static void test_cache_builds_once_under_many_threads(void **state)
{
	const struct fx *f = *state;
	struct files_cache *c = files_cache_new(1 << 20);
	pthread_t t[8];
	struct job jobs[8];
	for (int i = 0; i < 8; i++) {
		jobs[i] = (struct job){c, f, 0};
		assert_int_equal(pthread_create(&t[i], NULL, many_gets, &jobs[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].wrong, 0);
	}
	struct files_cache_stats s = stats(c);
	assert_int_equal(s.builds, 2); /* ./a.txt is a.txt: same inode, same version */
	assert_int_equal(s.hits, 8 * 300 - 2);
	files_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest names[] = {
		cmocka_unit_test(test_request_name_is_decoded_once),
		cmocka_unit_test(test_request_name_refuses_nul_wrong_prefix_empty_and_long),
		cmocka_unit_test(test_request_name_reads_within_its_bounds),
	};
	const struct CMUnitTest opening[] = {
		cmocka_unit_test(test_openat2_opens_files_inside),
		cmocka_unit_test(test_openat2_refuses_every_escape),
		cmocka_unit_test(test_openat2_follows_links_that_stay_inside),
		cmocka_unit_test(test_openat2_refuses_what_is_not_a_file),
		cmocka_unit_test(test_openat2_trailing_slash_after_a_file_is_not_a_file),
		cmocka_unit_test(test_walk_trailing_slash_after_a_file_is_not_a_file),
		cmocka_unit_test(test_walk_opens_files_inside),
		cmocka_unit_test(test_walk_refuses_every_escape),
		cmocka_unit_test(test_walk_follows_no_link_and_no_dotdot),
		cmocka_unit_test(test_walk_refuses_what_is_not_a_file),
		cmocka_unit_test(test_walk_leaks_no_descriptor),
		cmocka_unit_test(test_open_root_reports_a_missing_folder),
	};
	const struct CMUnitTest writing[] = {
		cmocka_unit_test(test_upload_name_keeps_the_base_name_alone),
		cmocka_unit_test(test_upload_name_is_cut_keeping_its_extension),
		cmocka_unit_test(test_upload_name_is_cut_on_a_character_boundary),
		cmocka_unit_test(test_write_all_writes_everything_it_is_given),
	};
	const struct CMUnitTest caching[] = {
		cmocka_unit_test(test_cache_open_opens_caches_and_closes),
		cmocka_unit_test(test_cache_builds_once_per_version),
		cmocka_unit_test(test_cache_builds_again_after_the_file_changes),
		cmocka_unit_test(test_cache_stays_within_its_bound),
		cmocka_unit_test(test_cache_entry_outlives_its_eviction),
		cmocka_unit_test(test_cache_serves_a_file_larger_than_its_bound_privately),
		cmocka_unit_test(test_cache_refuses_a_directory_and_a_huge_file),
		cmocka_unit_test(test_cache_holds_an_empty_file),
		cmocka_unit_test(test_cache_builds_once_under_many_threads),
	};
	int failed = cmocka_run_group_tests_name("files request names", names, NULL, NULL);
	failed += cmocka_run_group_tests_name("files opening beneath a root", opening, setup,
	                                      teardown);
	failed += cmocka_run_group_tests_name("files upload names, writing", writing, NULL, NULL);
	failed += cmocka_run_group_tests_name("files cache", caching, setup, teardown);
	return failed ? 1 : 0;
}
