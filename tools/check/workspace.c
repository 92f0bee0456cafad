/* workspace.c — paths under the student's workspace, safe writes, progress.json. */
#include "workspace.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define PROGRESS_FILE "progress.json"
#define PROGRESS_MAX (1024 * 1024) /* larger is not ours: treated as no progress */

int ws_lesson_path(const struct lab *lab, const struct catalog_lesson *l, const char *file,
                   char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s%s%s", lab->workspace, l->name, *file ? "/" : "", file);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int ws_mkdirs(const char *path)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof buf)
		return errno = ENAMETOOLONG, -1;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

int ws_write_file(const char *path, const char *data, size_t len)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return errno = ENAMETOOLONG, -1;
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	size_t put = fwrite(data, 1, len, f);
	int closed = fclose(f);
	if (put != len || closed != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return errno = e, -1;
	}
	return 0;
}

/* progress_load — progress.json's "lessons" object in a new root object, which the
 * caller releases; an empty one when the file is missing, unreadable or not ours. */
static json_t *progress_load(const struct lab *lab)
{
	char path[PATH_MAX + 32];
	json_t *root = NULL;

	if (snprintf(path, sizeof path, "%s/%s", lab->workspace, PROGRESS_FILE) < (int)sizeof path)
		root = json_load_file(path, 0, NULL);
	if (!json_is_object(root) || !json_is_object(json_object_get(root, "lessons"))) {
		json_decref(root);
		root = json_pack("{s:{}}", "lessons");
	}
	return root;
}

enum ws_state ws_progress(const struct lab *lab, const struct catalog_lesson *l)
{
	char path[PATH_MAX];
	json_t *root = progress_load(lab);
	json_t *entry = root ? json_object_get(json_object_get(root, "lessons"), l->name) : NULL;
	bool passed = json_is_string(json_object_get(entry, "passed"));

	json_decref(root);
	if (passed)
		return WS_PASSED;
	if (ws_lesson_path(lab, l, "server.c", path, sizeof path) == 0 && access(path, F_OK) == 0)
		return WS_STARTED;
	return WS_NONE;
}

/* progress_save — root written whole to progress.json. Returns 0, or -1 with errno set. */
static int progress_save(const struct lab *lab, json_t *root)
{
	char path[PATH_MAX + 32];
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	int rc = -1;

	if (!text)
		return errno = ENOMEM, -1;
	if (ws_mkdirs(lab->workspace) == 0 &&
	    snprintf(path, sizeof path, "%s/%s", lab->workspace, PROGRESS_FILE) < (int)sizeof path)
		rc = ws_write_file(path, text, strlen(text));
	free(text);
	return rc;
}

bool ws_module_passed(const struct lab *lab, const char *name)
{
	json_t *root = progress_load(lab);
	json_t *entry = json_object_get(json_object_get(root, "modules"), name);
	bool passed = json_is_string(json_object_get(entry, "passed"));

	json_decref(root);
	return passed;
}

/* progress_record — entry (taken: the caller keeps no reference, even on failure) under
 * progress.json's group ("lessons" or "modules") as name, "passed" set to now, the file
 * rewritten whole. Returns 0, or -1 with errno set. */
static int progress_record(const struct lab *lab, const char *group, const char *name,
                           json_t *entry)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	json_t *root = progress_load(lab);
	int rc = -1;

	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	if (root && !json_is_object(json_object_get(root, group)))
		json_object_set_new(root, group, json_object());
	json_t *into = json_object_get(root, group);
	if (entry && into && json_object_set_new(entry, "passed", json_string(when)) == 0 &&
	    json_object_set(into, name, entry) == 0)
		rc = progress_save(lab, root);
	else
		errno = ENOMEM;
	json_decref(entry);
	json_decref(root);
	return rc;
}

int ws_record_module(const struct lab *lab, const char *name, unsigned long long seed)
{
	return progress_record(lab, "modules", name, json_pack("{s:I}", "seed", (json_int_t)seed));
}

int ws_record_pass(const struct lab *lab, const struct catalog_lesson *l,
                   const struct ws_pass *p)
{
	json_t *entry = json_pack("{s:I, s:s}", "seed", (json_int_t)p->seed, "how", p->how);

	if (entry && p->what && json_object_set_new(entry, "what", json_string(p->what)) != 0) {
		json_decref(entry);
		entry = NULL;
	}
	return progress_record(lab, "lessons", l->name, entry);
}
