/* module.c — module exercises: the starter of a common/http module, and its check (unit
 * tests, a differential fuzz, the lessons that use it), as module.h describes. The
 * builds are the Makefile's (its module block), run as `make -s -C ROOT MOD=NAME …`;
 * every program is run from an argv, with no shell between but for the one redirection
 * that keeps a step's output in a log. */
#include "module.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "file.h"
#include "lab.h"
#include "solution.h"
#include "workspace.h"

#define MODULE_SOURCE_MAX (1024 * 1024) /* a module larger than this is a mistake */
#define LOG_SHOWN 40                    /* lines of a failing step's log shown at most */
#define MINIMIZE_SECONDS "5"            /* how long libFuzzer may shorten a difference */

/* The modules a student can write: the lesson whose idea each one is, and the lessons
 * whose checks run with it. */
static const struct module modules[] = {
	{"url", "common/http/url.c", "tests/unit/test_url.c",
	 "percent-decoding (+ as space in forms), query strings", 7, {7}},
	{"cache", "common/http/cache.c", "tests/unit/test_cache.c",
	 "If-None-Match, weak ETags, conditional requests", 5, {5, 9}},
	{"date", "common/http/date.c", "tests/unit/test_date.c",
	 "HTTP-date: three formats in, IMF-fixdate out", 0, {5}},
	{"cookie", "common/http/cookie.c", "tests/unit/test_cookie.c",
	 "Set-Cookie's attributes, the Cookie header read", 6, {6}},
	{"accept", "common/http/mime.c", "tests/unit/test_mime.c",
	 "Accept: q-values, specificity, the best offer or 406", 4, {4}},
	{"http", "common/http/http.c", "tests/unit/test_http.c",
	 "the request head: header lines, line ends, limits", 0, {3}},
	{"multipart", "common/http/multipart.c", "tests/unit/test_multipart.c",
	 "multipart/form-data: each delimiter, across reads", 8, {8}},
	{"chunked", "common/http/http_chunked.c", "tests/unit/test_http.c",
	 "chunked bodies: the chunk-size line and its limits", 0, {3}},
};
#define NMODULES (sizeof modules / sizeof modules[0])

const struct module *module_find(const char *name)
{
	for (size_t i = 0; i < NMODULES; i++)
		if (strcmp(modules[i].name, name) == 0)
			return &modules[i];
	return NULL;
}

const struct module *module_of_lesson(int number)
{
	for (size_t i = 0; i < NMODULES; i++)
		if (modules[i].idea_of == number)
			return &modules[i];
	return NULL;
}

const struct module *module_at(int i)
{
	return i >= 0 && (size_t)i < NMODULES ? &modules[i] : NULL;
}

/* ---- paths ---------------------------------------------------------------------------- */

/* The files of one module exercise, all absolute. */
struct module_paths {
	char src[PATH_MAX];  /* WORKSPACE/modules/NAME.c: the student's */
	char saved[PATH_MAX]; /* WORKSPACE/modules/NAME.difference: the last difference found */
	char out[PATH_MAX];  /* WORKSPACE/.build/modules/NAME: what check builds */
	char ref[PATH_MAX];  /* ROOT/common/http/NAME.c */
};

static int module_paths(const struct lab *lab, const struct module *m, struct module_paths *p)
{
	int a = snprintf(p->src, sizeof p->src, "%s/modules/%s.c", lab->workspace, m->name);
	int b = snprintf(p->saved, sizeof p->saved, "%s/modules/%s.difference", lab->workspace,
	                 m->name);
	int c = snprintf(p->out, sizeof p->out, "%s/.build/modules/%s", lab->workspace, m->name);
	int d = snprintf(p->ref, sizeof p->ref, "%s/%s", lab->root, m->ref);

	if (a < 0 || b < 0 || c < 0 || d < 0 || (size_t)a >= sizeof p->src ||
	    (size_t)b >= sizeof p->saved || (size_t)c >= sizeof p->out ||
	    (size_t)d >= sizeof p->ref) {
		lab_error(lab, "the workspace path is too long: %s", lab->workspace);
		return -1;
	}
	return 0;
}

/* ---- the starter ---------------------------------------------------------------------- */

int module_starter(struct lab *lab, const char *ref, char **text, size_t *len)
{
	struct solution_error err;
	int regions = solution_starter(ref, text, len, &err);

	if (regions < 0 && err.line == 0)
		lab_error(lab, "%s: %s", ref, err.text);
	else if (regions < 0)
		lab_error(lab, "%s:%d: %s", ref, err.line, err.text);
	return regions;
}

int module_exercise(struct lab *lab, const struct module *m, bool force)
{
	struct module_paths p;
	char dir[PATH_MAX + 16], bak[PATH_MAX + 8], *text;
	size_t len;

	if (module_paths(lab, m, &p) != 0)
		return LAB_FAIL;
	int regions = module_starter(lab, p.ref, &text, &len);
	if (regions <= 0) {
		if (regions == 0)
			lab_error(lab, "module %s has no solution regions to write yet", m->name);
		free(text);
		return LAB_FAIL;
	}
	snprintf(dir, sizeof dir, "%s/modules", lab->workspace);
	snprintf(bak, sizeof bak, "%s.bak", p.src);
	int rc = LAB_FAIL;
	if (access(p.src, F_OK) == 0 && !force)
		lab_error(lab, "%s already exists, and it may hold your work, so it was left "
		          "alone; --force replaces it (keeping it as %s.c.bak)", p.src, m->name);
	else if (ws_mkdirs(dir) != 0)
		lab_error(lab, "cannot create %s: %s", dir, strerror(errno));
	else if (access(p.src, F_OK) == 0 && rename(p.src, bak) != 0)
		lab_error(lab, "cannot keep your %s as %s: %s", p.src, bak, strerror(errno));
	else if (ws_write_file(p.src, text, len) != 0)
		lab_error(lab, "cannot write %s: %s", p.src, strerror(errno));
	else
		rc = LAB_OK;
	free(text);
	if (rc != LAB_OK)
		return rc;
	printf("wrote %s: module %s (%s), %d place%s marked TODO for you to write.\n", p.src,
	       m->name, m->summary, regions, regions == 1 ? "" : "s");
	lab_note(lab, "%scheck %s grades it: its unit tests, a differential fuzz against the "
	         "reference, and the lessons that use it", lab_typed(lab), m->name);
	return LAB_OK;
}

/* ---- running the steps ---------------------------------------------------------------- */

/* The state of one check. */
struct run {
	struct lab *lab;
	const struct module *m;
	const struct module_options *o;
	struct module_paths p;
	char log[PATH_MAX + 16]; /* where a step's output goes */
	unsigned seed;           /* libFuzzer's -seed (never 0, which means "draw one") */
	int passed, failed;
};

/* run_logged — argv run with its stdout and stderr into r->log; its exit status, as
 * lab_run gives it. */
static int run_logged(struct run *r, char *const argv[])
{
	char *full[32] = {"/bin/sh", "-c", "exec \"$@\" >\"$0\" 2>&1", r->log};
	size_t n = 4;

	for (size_t i = 0; argv[i] && n + 1 < sizeof full / sizeof full[0]; i++)
		full[n++] = argv[i];
	full[n] = NULL;
	return lab_run(r->lab, full);
}

/* print_escaped — one line of a step's output, indented, with control bytes and bytes
 * past ASCII as \xNN: a test of a starter may print the garbage an unwritten buffer
 * holds, and the terminal must not take it as commands. */
static void print_escaped(const char *line)
{
	fputs("    ", stdout);
	for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
		if (*p == '\t' || (*p >= 0x20 && *p < 0x7f))
			putchar(*p);
		else
			printf("\\x%02x", *p);
	}
	putchar('\n');
}

/* show_log — the lines of r->log that say what went wrong: all of them but the ones
 * keep rejects, at most LOG_SHOWN, indented under the step. */
static void show_log(struct run *r, bool (*keep)(const char *line))
{
	char *text;
	size_t len;
	int shown = 0;

	if (file_read(r->log, 4 * 1024 * 1024, &text, &len) != 0)
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (keep && !keep(line))
			continue;
		if (shown++ == LOG_SHOWN) {
			printf("    … (the whole output is in %s)\n", r->log);
			break;
		}
		print_escaped(line);
	}
	free(text);
}

/* make — builds target with the Makefile's module block; the compiler's messages go
 * to the student. Returns 0, or -1 after a sentence. */
static int make(struct run *r, const char *target)
{
	char mod[64], src[PATH_MAX + 16], ref[128], test[128], out[PATH_MAX + 16];
	char build[PATH_MAX + 16];

	snprintf(mod, sizeof mod, "MOD=%s", r->m->name);
	snprintf(src, sizeof src, "MOD_SRC=%s", r->p.src);
	snprintf(ref, sizeof ref, "MOD_REF=%s", r->m->ref);
	snprintf(test, sizeof test, "MOD_TEST=%s", r->m->test);
	snprintf(out, sizeof out, "MOD_OUT=%s", r->p.out);
	snprintf(build, sizeof build, "MOD_BUILD=%s/..", r->lab->bindir);
	/* A make running the lab (make test) leaves its jobserver in MAKEFLAGS, whose pipes
	 * this make would not have: it starts clean. */
	char *argv[] = {"env", "-u", "MAKEFLAGS", "-u", "MFLAGS", "-u", "MAKELEVEL", "make", "-s",
	                "--no-print-directory", "-C", r->lab->root, mod, src, ref, test, out, build,
	                (char *)target, NULL};
	int rc = lab_run(r->lab, argv);
	if (rc != 0)
		lab_error(r->lab, "%s could not be built for this step (the messages are above)%s",
		          r->p.src, rc < 0 ? ": is make installed?" : "");
	return rc == 0 ? 0 : -1;
}

/* verdict — one step's result on its line. */
static bool verdict(struct run *r, bool ok, const char *step)
{
	printf("%s %s\n", ok ? "pass" : "FAIL", step);
	if (ok)
		r->passed++;
	else
		r->failed++;
	return ok;
}

/* cmocka_line — a line of the unit tests' output worth showing: not a test that ran
 * and passed. */
static bool cmocka_line(const char *line)
{
	return strncmp(line, "[ RUN      ]", 12) != 0 && strncmp(line, "[       OK ]", 12) != 0;
}

/* step_units — the module's unit tests on the student's object. */
static bool step_units(struct run *r)
{
	char exe[PATH_MAX + 16], name[128];

	snprintf(name, sizeof name, "unit tests (%s, with your %s.c)", r->m->test, r->m->name);
	if (make(r, "module-units") != 0)
		return verdict(r, false, name);
	snprintf(exe, sizeof exe, "%s/units", r->p.out);
	snprintf(r->log, sizeof r->log, "%s/units.log", r->p.out);
	char *argv[] = {exe, NULL};
	bool ok = run_logged(r, argv) == 0;
	verdict(r, ok, name);
	if (!ok)
		show_log(r, cmocka_line);
	return ok;
}

/* difference_line — a line of the differential fuzzer's output worth showing: the
 * harness's own report ("| …") and a sanitizer's. */
static bool difference_line(const char *line)
{
	return strncmp(line, "| ", 2) == 0 || strstr(line, "ERROR: AddressSanitizer") ||
	       strstr(line, "runtime error:") ||
	       (strstr(line, "/modules/") && strstr(line, ".c:")) ||
	       (strncmp(line, "SUMMARY:", 8) == 0 && !strstr(line, "libFuzzer")) ||
	       strstr(line, "ERROR: libFuzzer: timeout") || strstr(line, "out-of-memory");
}

/* replay — the saved difference given to the fuzzer once, its output in r->log; true
 * when the student's module and the reference now agree on it. */
static bool replay(struct run *r, const char *exe)
{
	char *argv[] = {(char *)exe, r->p.saved, NULL};

	snprintf(r->log, sizeof r->log, "%s/replay.log", r->p.out);
	return run_logged(r, argv) == 0;
}

/* shorten — libFuzzer's -minimize_crash on the difference found, into r->p.saved: the
 * shortest input it finds that still differs (the one found when none is shorter). */
static void shorten(struct run *r, const char *exe, const char *found)
{
	char exact[PATH_MAX + 64], time[32], shortest[PATH_MAX + 16], prefix[PATH_MAX + 32];

	snprintf(shortest, sizeof shortest, "%s/shortest", r->p.out);
	/* Each shorter input it tries that still differs is written too: into the module's
	 * build folder, not the student's working directory. */
	snprintf(prefix, sizeof prefix, "-artifact_prefix=%s/", r->p.out);
	snprintf(exact, sizeof exact, "-exact_artifact_path=%s", shortest);
	snprintf(time, sizeof time, "-max_total_time=%s", MINIMIZE_SECONDS);
	unlink(shortest);
	char *argv[] = {(char *)exe, "-minimize_crash=1", time, exact, prefix, "-runs=100000",
	                (char *)found, NULL};
	snprintf(r->log, sizeof r->log, "%s/shorten.log", r->p.out);
	run_logged(r, argv);
	const char *from = access(shortest, R_OK) == 0 ? shortest : found;
	char *data;
	size_t len;
	if (file_read(from, MODULE_SOURCE_MAX, &data, &len) == 0) {
		if (ws_write_file(r->p.saved, data, len) != 0)
			lab_error(r->lab, "cannot save the difference in %s: %s", r->p.saved,
			          strerror(errno));
		free(data);
	}
}

/* step_fuzz — the differential fuzz for o->seconds, or only the saved difference with
 * --replay. */
static bool step_fuzz(struct run *r)
{
	char exe[PATH_MAX + 16], name[160], found[PATH_MAX + 16], corpus[PATH_MAX + 16];
	char seed[32], time[32], exact[PATH_MAX + 64], dict[PATH_MAX + 32], seeds[PATH_MAX + 48];

	if (r->o->replay)
		snprintf(name, sizeof name, "differential fuzz: the saved difference");
	else
		snprintf(name, sizeof name, "differential fuzz against the reference, %d s, "
		         "seed %u", r->o->seconds, r->seed);
	if (make(r, "module-diff") != 0)
		return verdict(r, false, name);
	snprintf(exe, sizeof exe, "%s/diff", r->p.out);
	if (r->o->replay) {
		if (access(r->p.saved, R_OK) != 0) {
			lab_error(r->lab, "there is no saved difference (%s) to replay",
			          r->p.saved);
			return verdict(r, false, name);
		}
		bool ok = replay(r, exe);
		verdict(r, ok, name);
		if (ok)
			lab_note(r->lab, "your module and the reference agree on it now");
		else
			show_log(r, difference_line);
		return ok;
	}
	snprintf(found, sizeof found, "%s/found", r->p.out);
	snprintf(corpus, sizeof corpus, "%s/corpus", r->p.out);
	snprintf(seed, sizeof seed, "-seed=%u", r->seed);
	snprintf(time, sizeof time, "-max_total_time=%d", r->o->seconds);
	snprintf(exact, sizeof exact, "-exact_artifact_path=%s", found);
	snprintf(dict, sizeof dict, "-dict=%s/tests/fuzz/http.dict", r->lab->root);
	unlink(found);
	/* A fresh corpus each run: with the same seed, the same inputs in the same order. */
	char *rm[] = {"rm", "-rf", corpus, NULL};
	lab_run(r->lab, rm);
	mkdir(corpus, 0777);
	/* Seeds start the search (read, never written): the differential harness's own, else
	 * the module's fuzz target's, when their input layout is the same. */
	snprintf(seeds, sizeof seeds, "%s/tests/fuzz/diff/seeds/%s", r->lab->root, r->m->name);
	if (access(seeds, R_OK) != 0)
		snprintf(seeds, sizeof seeds, "%s/tests/fuzz/seeds/fuzz_%s", r->lab->root,
		         r->m->name);
	char *argv[] = {exe, seed, time, exact, dict, "-timeout=5", "-rss_limit_mb=2048",
	                "-print_final_stats=0", corpus, access(seeds, R_OK) == 0 ? seeds : NULL,
	                NULL};
	snprintf(r->log, sizeof r->log, "%s/fuzz.log", r->p.out);
	int rc = run_logged(r, argv);
	bool ok = rc == 0 && access(found, F_OK) != 0;
	verdict(r, ok, name);
	if (ok)
		return true;
	if (access(found, R_OK) != 0) {
		show_log(r, NULL);
		return false;
	}
	shorten(r, exe, found);
	replay(r, exe);
	show_log(r, difference_line);
	lab_note(r->lab, "saved in %s: %scheck %s --replay runs it again", r->p.saved,
	         lab_typed(r->lab), r->m->name);
	return false;
}

/* step_lesson — lesson number's check, its reference server linked with the student's
 * module. */
static bool step_lesson(struct run *r, int number)
{
	char name[160], target[32], exe[PATH_MAX + 16], cmd[PATH_MAX + 160];
	struct catalog_lesson *l = catalog_by_number(&r->lab->lessons, number);

	snprintf(name, sizeof name, "lesson %02d's check, its reference server with your %s.c",
	         number, r->m->name);
	snprintf(target, sizeof target, "module-lesson-%02d", number);
	snprintf(exe, sizeof exe, "%s/lesson-%02d", r->p.out, number);
	if (!l || strchr(exe, '\'')) {
		lab_error(r->lab, l ? "a quote in %s: the lesson cannot be started"
		          : "no lesson %.0s%d", exe, number);
		return verdict(r, false, name);
	}
	printf("---- %s\n", name);
	if (make(r, target) != 0)
		return verdict(r, false, name);
	fflush(stdout);
	snprintf(cmd, sizeof cmd, "exec '%s' --port \"$PORT\" ${VARIANT:+--variant \"$VARIANT\"} "
	         "${UPLOAD_DIR:+--upload-dir \"$UPLOAD_DIR\"}", exe);
	struct check_options co = {.cmd = cmd, .has_seed = true, .seed = r->seed,
	                           .timeout_ms = 5000, .no_record = true};
	return verdict(r, check_lesson(r->lab, l, &co) == LAB_OK, name);
}

/* fresh_seed — a seed for libFuzzer (1 .. 2^31 - 1). */
static unsigned fresh_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (unsigned)((ts.tv_nsec ^ ts.tv_sec ^ getpid()) % 2147483646u) + 1;
}

int module_check(struct lab *lab, const struct module *m, const struct module_options *o)
{
	struct run r = {.lab = lab, .m = m, .o = o};

	if (module_paths(lab, m, &r.p) != 0)
		return LAB_FAIL;
	if (access(r.p.src, R_OK) != 0) {
		lab_error(lab, "there is no %s to check: %sexercise %s writes a starter there",
		          r.p.src, lab_typed(lab), m->name);
		return LAB_FAIL;
	}
	if (ws_mkdirs(r.p.out) != 0) {
		lab_error(lab, "cannot create %s: %s", r.p.out, strerror(errno));
		return LAB_FAIL;
	}
	r.seed = o->has_seed ? (unsigned)(o->seed % 2147483646u) + (o->seed == 0) : fresh_seed();
	printf("module %s: %s\nyour %s against the reference %s (seed %u; every step built with "
	       "AddressSanitizer and UndefinedBehaviorSanitizer)\n", m->name, m->summary, r.p.src,
	       m->ref, r.seed);
	fflush(stdout);
	/* Each step needs the one before to pass: a module that fails its unit tests would
	 * only fail the fuzz and the lessons too, and slowly. */
	bool ok = o->replay ? step_fuzz(&r) : step_units(&r) && step_fuzz(&r);
	for (size_t i = 0; !o->replay && ok && i < MODULE_LESSONS_MAX && m->lessons[i]; i++)
		ok = step_lesson(&r, m->lessons[i]);
	if (!ok && !o->replay)
		lab_note(lab, "the steps after a failure were not run: fix the one that failed "
		         "first");
	printf("%d passed, %d failed\n", r.passed, r.failed);
	if (!ok || o->replay)
		return ok ? LAB_OK : LAB_FAIL;
	if (ws_record_module(lab, m->name, r.seed) != 0)
		lab_error(lab, "passed, but progress could not be saved in %s: %s", lab->workspace,
		          strerror(errno));
	else
		lab_note(lab, "module %s passed: noted in progress.json", m->name);
	return LAB_OK;
}
