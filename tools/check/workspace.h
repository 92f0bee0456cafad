/* workspace.h — the student's own folder ($WIRELAB_WORKSPACE, else ROOT/workspace):
 * NN-slug/server.c for each lesson begun with `exercise`, .build/ for what check
 * compiles, and progress.json, the lessons whose check passed.
 *
 * progress.json is {"lessons": {"03-better-server": {"passed": "2026-…Z", "seed": 42,
 * "how": "cmd", "what": "exec python3 my_server.py"}}}: "how" is how the passing server
 * was given to check ("server.c": workspace/NN-slug/server.c, "cmd": --cmd, "url": --url)
 * and "what" the command or address (absent for server.c).
 * Module exercises (module.h) are noted under "modules": {"url": {"passed": "…", "seed": 7}}.
 * A missing or unreadable one means no lesson passed yet; it is rewritten whole (through a
 * temporary file and rename) on every pass, so a crash cannot leave half of it. */
#ifndef WIRELAB_WORKSPACE_H
#define WIRELAB_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>

struct lab;
struct catalog_lesson;

/* ws_lesson_path — WORKSPACE/NN-slug/file (file "" gives the folder). Returns 0, or -1
 * when it does not fit in cap. */
int ws_lesson_path(const struct lab *lab, const struct catalog_lesson *l, const char *file,
                   char *out, size_t cap);

/* ws_mkdirs — creates path and its missing parents (mode 0777 less the umask). Returns
 * 0, or -1 with errno set. */
int ws_mkdirs(const char *path);

/* ws_write_file — writes data[0..len) to path through path.tmp and rename, so a reader
 * never sees half of it. Returns 0, or -1 with errno set (nothing left behind). */
int ws_write_file(const char *path, const char *data, size_t len);

enum ws_state {
	WS_NONE,    /* no workspace/NN-slug/server.c */
	WS_STARTED, /* there is one */
	WS_PASSED,  /* check passed on it once */
};

/* ws_progress — where the student is with lesson l. */
enum ws_state ws_progress(const struct lab *lab, const struct catalog_lesson *l);

/* A pass, as progress.json notes it. */
struct ws_pass {
	unsigned long long seed;
	const char *how;  /* "server.c", "cmd" or "url" */
	const char *what; /* the command or the address; NULL for server.c */
};

/* ws_record_pass — notes in progress.json that lesson l passed as p says. Returns 0, or
 * -1 with errno set. */
int ws_record_pass(const struct lab *lab, const struct catalog_lesson *l,
                   const struct ws_pass *p);

/* ws_module_passed — has module name's check passed once (progress.json's "modules")? */
bool ws_module_passed(const struct lab *lab, const char *name);

/* ws_record_module — notes in progress.json that module name passed with seed. Returns 0,
 * or -1 with errno set. */
int ws_record_module(const struct lab *lab, const char *name, unsigned long long seed);

#endif
