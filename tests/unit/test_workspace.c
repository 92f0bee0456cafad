/* test_workspace.c — unit tests of tools/check/workspace.c's progress.json: a lesson's
 * pass and a module's noted side by side (neither loses the other), read back by
 * ws_progress and ws_module_passed, a file that is not ours replaced, and a workspace
 * that cannot be written refused with errno set. Each test has its own workspace in a
 * temporary folder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"
#include "workspace.h"

/* The state of one test: a lab whose workspace is a fresh folder, and a lesson. */
struct fixture {
	struct lab lab;
	struct catalog_lesson lesson;
	char progress[PATH_MAX + 32];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	snprintf(f->lab.workspace, sizeof f->lab.workspace, "/tmp/wirelab-ws-XXXXXX");
	assert_non_null(mkdtemp(f->lab.workspace));
	snprintf(f->lesson.name, sizeof f->lesson.name, "03-better-server");
	f->lesson.number = 3;
	snprintf(f->progress, sizeof f->progress, "%s/progress.json", f->lab.workspace);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->lab.workspace);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* entry — progress.json's group/name object, loaded afresh into *root (caller frees). */
static json_t *entry(struct fixture *f, const char *group, const char *name, json_t **root)
{
	*root = json_load_file(f->progress, 0, NULL);
	assert_non_null(*root);
	return json_object_get(json_object_get(*root, group), name);
}

/* assert_when — "passed" is a UTC time as ISO 8601 writes it: 2026-01-02T03:04:05Z. */
static void assert_when(const json_t *e)
{
	const char *when = json_string_value(json_object_get(e, "passed"));

	assert_non_null(when);
	assert_int_equal(strlen(when), 20);
	assert_int_equal(when[10], 'T');
	assert_int_equal(when[19], 'Z');
}

static void test_a_pass_and_a_module_are_noted_side_by_side(void **state)
{
	struct fixture *f = *state;
	struct ws_pass cmd = {.seed = 42, .how = "cmd", .what = "exec python3 s.py"};
	json_t *root;

	assert_int_equal(ws_record_pass(&f->lab, &f->lesson, &cmd), 0);
	assert_int_equal(ws_record_module(&f->lab, "url", 7), 0);
	json_t *e = entry(f, "lessons", "03-better-server", &root);
	assert_when(e);
	assert_int_equal(json_integer_value(json_object_get(e, "seed")), 42);
	assert_string_equal(json_string_value(json_object_get(e, "how")), "cmd");
	assert_string_equal(json_string_value(json_object_get(e, "what")), "exec python3 s.py");
	e = json_object_get(json_object_get(root, "modules"), "url");
	assert_when(e);
	assert_int_equal(json_integer_value(json_object_get(e, "seed")), 7);
	assert_int_equal(json_object_size(e), 2);
	json_decref(root);

	struct ws_pass mine = {.seed = 9, .how = "server.c"}; /* a later pass replaces the first */
	assert_int_equal(ws_record_pass(&f->lab, &f->lesson, &mine), 0);
	e = entry(f, "lessons", "03-better-server", &root);
	assert_string_equal(json_string_value(json_object_get(e, "how")), "server.c");
	assert_null(json_object_get(e, "what"));
	assert_non_null(json_object_get(json_object_get(root, "modules"), "url"));
	json_decref(root);
	assert_int_equal(access(f->progress, F_OK), 0);
}

static void test_what_is_noted_is_read_back(void **state)
{
	struct fixture *f = *state;
	struct catalog_lesson other = {.number = 4, .name = "04-headers"};
	struct ws_pass url = {.seed = 1, .how = "url", .what = "http://127.0.0.1:9000"};

	assert_int_equal(ws_progress(&f->lab, &f->lesson), WS_NONE);
	assert_false(ws_module_passed(&f->lab, "url"));
	assert_int_equal(ws_record_pass(&f->lab, &f->lesson, &url), 0);
	assert_int_equal(ws_record_module(&f->lab, "cache", 3), 0);
	assert_int_equal(ws_progress(&f->lab, &f->lesson), WS_PASSED);
	assert_int_equal(ws_progress(&f->lab, &other), WS_NONE);
	assert_true(ws_module_passed(&f->lab, "cache"));
	assert_false(ws_module_passed(&f->lab, "url"));
}

static void test_a_file_that_is_not_ours_is_replaced(void **state)
{
	struct fixture *f = *state;
	FILE *out = fopen(f->progress, "w");
	json_t *root;

	assert_non_null(out);
	fputs("{\"lessons\": [1, 2], \"modules\": \"no\"}", out);
	assert_int_equal(fclose(out), 0);
	assert_false(ws_module_passed(&f->lab, "url"));
	assert_int_equal(ws_record_module(&f->lab, "url", 5), 0);
	assert_when(entry(f, "modules", "url", &root));
	assert_true(json_is_object(json_object_get(root, "lessons")));
	json_decref(root);
}

static void test_a_workspace_that_cannot_be_written_is_refused(void **state)
{
	struct fixture *f = *state;
	struct ws_pass mine = {.seed = 1, .how = "server.c"};
	char blocked[PATH_MAX + 8];
	FILE *out;

	/* the workspace path runs through a file, so no folder can be made there */
	snprintf(blocked, sizeof blocked, "%s/file", f->lab.workspace);
	assert_non_null(out = fopen(blocked, "w"));
	assert_int_equal(fclose(out), 0);
	snprintf(f->lab.workspace + strlen(f->lab.workspace),
	         sizeof f->lab.workspace - strlen(f->lab.workspace), "/file/ws");
	errno = 0;
	assert_int_equal(ws_record_pass(&f->lab, &f->lesson, &mine), -1);
	assert_int_not_equal(errno, 0);
	errno = 0;
	assert_int_equal(ws_record_module(&f->lab, "url", 1), -1);
	assert_int_not_equal(errno, 0);
	f->lab.workspace[strlen(f->lab.workspace) - strlen("/file/ws")] = '\0';
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_pass_and_a_module_are_noted_side_by_side,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_what_is_noted_is_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_file_that_is_not_ours_is_replaced, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_a_workspace_that_cannot_be_written_is_refused,
		                                setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
