/* test_solution.c — unit tests of tools/check/solution.c: markers on one line and across
 * lines, the TODO that replaces a region (its whole text, wrapped within 100 columns),
 * the "(void)name;" lines that keep a starter compiling, and every malformed source
 * refused with the line and a sentence that says what is wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solution.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* strip — the starter of src as a new string (the test frees it), and the number of
 * regions in *regions; on a refusal the error in *err and NULL. */
static char *strip(const char *src, int *regions, struct solution_error *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	*regions = solution_strip(src, strlen(src), f, err);
	assert_int_equal(fclose(f), 0);
	if (*regions < 0) {
		assert_int_equal(len, 0); /* nothing written from a malformed source */
		free(text);
		return NULL;
	}
	return text;
}

/* starter — the starter of a source that must be well formed with n regions. */
static char *starter(const char *src, int n)
{
	struct solution_error err = {0};
	int regions;
	char *text = strip(src, &regions, &err);

	if (regions != n)
		fail_msg("%d regions, not %d (line %d: %s)", regions, n, err.line, err.text);
	return text;
}

/* refused — solution_strip must refuse src, naming line and saying something with
 * words in it. */
static void refused(const char *src, int line, const char *words)
{
	struct solution_error err = {0};
	int regions;

	assert_null(strip(src, &regions, &err));
	assert_int_equal(regions, -1);
	assert_int_equal(err.line, line);
	if (!strstr(err.text, words))
		fail_msg("the error \"%s\" does not say \"%s\"", err.text, words);
}

/* widest — the most columns any line of text takes, a tab counting to the next 8. */
static size_t widest(const char *text)
{
	size_t most = 0, col = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			col = 0;
			continue;
		}
		col = *p == '\t' ? (col / 8 + 1) * 8 : col + 1;
		most = col > most ? col : most;
	}
	return most;
}

/* ---- well-formed markers ------------------------------------------------------------ */

static void test_a_source_without_regions_is_copied_as_it_is(void **state)
{
	(void)state;
	const char *src = "int main(void)\n{\n\treturn 0;\n}\n";
	char *out = starter(src, 0);
	assert_string_equal(out, src);
	free(out);
}

static void test_a_one_line_marker_becomes_a_todo_at_its_indent(void **state)
{
	(void)state;
	char *out = starter("int x;\n"
	                    "\t/* BEGIN SOLUTION: say hello */\n"
	                    "\tputs(\"hello\");\n"
	                    "\t/* END SOLUTION */\n"
	                    "int y;\n", 1);
	assert_string_equal(out, "int x;\n\t/* TODO: say hello */\nint y;\n");
	free(out);
}

static void test_a_marker_across_lines_keeps_its_whole_text(void **state)
{
	(void)state;
	char *out = starter("\t/* BEGIN SOLUTION: the first line of the task,\n"
	                    "\t * then a second line\n"
	                    "\t   and a third without a star */\n"
	                    "\tcode();\n"
	                    "\t/* END SOLUTION */\n", 1);
	assert_string_equal(out, "\t/* TODO: the first line of the task, then a second line and a "
	                         "third without a star */\n");
	free(out);
}

static void test_a_marker_may_close_on_a_line_of_its_own(void **state)
{
	(void)state;
	char *out = starter("/* BEGIN SOLUTION:\n * the task\n */\nx();\n/* END SOLUTION */\n", 1);
	assert_string_equal(out, "/* TODO: the task */\n");
	free(out);
}

static void test_a_long_todo_is_wrapped_within_100_columns(void **state)
{
	(void)state;
	char src[2048] = "\t\t/* BEGIN SOLUTION:";
	for (int i = 0; i < 40; i++)
		strcat(src, i % 5 ? " word" : "\n\t\t * longer_terms_here");
	strcat(src, " */\n\t\tx();\n\t\t/* END SOLUTION */\n");

	char *out = starter(src, 1);
	assert_true(widest(out) <= SOLUTION_WIDTH);
	assert_non_null(strstr(out, "\t\t/* TODO: longer_terms_here word"));
	assert_non_null(strstr(out, "\n\t\t * ")); /* wrapped, continuation at the indent */
	assert_null(strstr(out, "  "));         /* words one space apart */
	/* every word is there, in order */
	size_t words = 0;
	for (const char *p = out; (p = strstr(p, "word")); p++)
		words++;
	assert_int_equal(words, 32);
	free(out);
}

static void test_regions_count_and_the_code_between_them_stays(void **state)
{
	(void)state;
	char *out = starter("a\n/* BEGIN SOLUTION: one */\nb\n/* END SOLUTION */\nc\n"
	                    "/* BEGIN SOLUTION: two */\nd\n/* END SOLUTION */\ne", 2);
	assert_string_equal(out, "a\n/* TODO: one */\nc\n/* TODO: two */\ne");
	free(out);
}

/* ---- what the starter needs to compile ---------------------------------------------- */

static void test_parameters_only_the_solution_used_are_voided(void **state)
{
	(void)state;
	char *out = starter("static int add(int a, const char *name, char err[LIMIT_ERR_LEN],\n"
	                    "               struct saved *s)\n"
	                    "{\n"
	                    "\tlog(a); /* name is only in this comment */\n"
	                    "\t/* BEGIN SOLUTION: use them */\n"
	                    "\treturn strlen(name) + s->size + err[0];\n"
	                    "\t/* END SOLUTION */\n"
	                    "\treturn x.s + y->err;\n"
	                    "}\n", 1);
	assert_string_equal(out,
	                    "static int add(int a, const char *name, char err[LIMIT_ERR_LEN],\n"
	                    "               struct saved *s)\n"
	                    "{\n"
	                    "\tlog(a); /* name is only in this comment */\n"
	                    "\t/* TODO: use them */\n"
	                    "\t(void)name; /* unused until you write the TODO above */\n"
	                    "\t(void)err;\n"
	                    "\t(void)s;\n"
	                    "\treturn x.s + y->err;\n"
	                    "}\n");
	free(out);
}

static void test_a_parameter_used_outside_or_in_a_string_is_judged_right(void **state)
{
	(void)state;
	char *out = starter("void f(int fd, void (*cb)(int), int n)\n"
	                    "{\n"
	                    "\tputs(\"fd\"); /* a string is not a use */\n"
	                    "\tif (n)\n"
	                    "\t\treturn;\n"
	                    "\t/* BEGIN SOLUTION: call back */\n"
	                    "\tcb(fd);\n"
	                    "\t/* END SOLUTION */\n"
	                    "}\n", 1);
	assert_non_null(strstr(out, "\t(void)fd; /* unused until"));
	assert_non_null(strstr(out, "\t(void)cb;\n"));
	assert_null(strstr(out, "(void)n;"));
	free(out);
}

static void test_two_regions_of_one_function_void_each_name_once(void **state)
{
	(void)state;
	char *out = starter("void f(int a, int b)\n{\n"
	                    "\t/* BEGIN SOLUTION: one */\n\tg(a);\n\t/* END SOLUTION */\n"
	                    "\tmiddle();\n"
	                    "\t/* BEGIN SOLUTION: two */\n\tg(b);\n\t/* END SOLUTION */\n"
	                    "}\n", 2);
	assert_string_equal(out, "void f(int a, int b)\n{\n"
	                         "\t/* TODO: one */\n"
	                         "\t(void)a; /* unused until you write the TODO above */\n"
	                         "\t(void)b;\n"
	                         "\tmiddle();\n"
	                         "\t/* TODO: two */\n"
	                         "}\n");
	free(out);
}

static void test_void_parameters_and_regions_outside_functions_add_nothing(void **state)
{
	(void)state;
	char *out = starter("void g( void )\n{\n\t/* BEGIN SOLUTION: x */\n\tputs(\"x\");\n"
	                    "\t/* END SOLUTION */\n}\n"
	                    "/* BEGIN SOLUTION: a whole function */\nint h(int q)\n{\n"
	                    "\treturn q;\n}\n/* END SOLUTION */\n", 2);
	assert_string_equal(out, "void g( void )\n{\n\t/* TODO: x */\n}\n"
	                         "/* TODO: a whole function */\n");
	free(out);
}

static void test_a_function_returning_only_in_its_regions_returns_0(void **state)
{
	(void)state;
	char *out = starter("static bool g(void)\n{\n"
	                    "\t/* BEGIN SOLUTION: one */\n\tif (x())\n\t\treturn true;\n"
	                    "\t/* END SOLUTION */\n\tmiddle();\n"
	                    "\t/* BEGIN SOLUTION: two */\n\treturn false;\n\t/* END SOLUTION */\n"
	                    "}\n"
	                    "static char *p(void)\n{\n\t/* BEGIN SOLUTION: x */\n"
	                    "\treturn NULL;\n\t/* END SOLUTION */\n}\n", 3);
	assert_string_equal(out, "static bool g(void)\n{\n"
	                         "\t/* TODO: one */\n\tmiddle();\n\t/* TODO: two */\n"
	                         "\treturn 0; /* until you write the TODO above */\n}\n"
	                         "static char *p(void)\n{\n\t/* TODO: x */\n"
	                         "\treturn 0; /* until you write the TODO above */\n}\n");
	free(out);
}

static void test_locals_only_the_solution_reads_are_voided(void **state)
{
	(void)state;
	char *out = starter("int f(const char *s, size_t len)\n{\n"
	                    "\tconst char *c = s;\n"
	                    "\tchar buf[LIMIT_X], *end = NULL;\n"
	                    "\tint a, b = 0, kept = 0;\n"
	                    "\tsize_t n = (size_t)strlen(\"a, b\");\n"
	                    "\n"
	                    "\tif (!s)\n\t\tlen = 0;\n"
	                    "\tb = 2;\n"
	                    "\tif ((a = g()) < 0)\n\t\treturn -1;\n"
	                    "\t/* BEGIN SOLUTION: use them */\n"
	                    "\tkept = use(c, buf, end, a, b, n, len);\n"
	                    "\t/* END SOLUTION */\n"
	                    "\treturn kept;\n}\n", 1);
	assert_non_null(strstr(out, "\t/* TODO: use them */\n"
	                            "\t(void)len; /* unused until you write the TODO above */\n"
	                            "\t(void)c;\n\t(void)buf;\n\t(void)end;\n\t(void)b;\n"
	                            "\t(void)n;\n\treturn kept;\n"));
	assert_null(strstr(out, "(void)a;")); /* read by the comparison */
	assert_null(strstr(out, "(void)s;"));
	assert_null(strstr(out, "(void)kept;"));
	free(out);
}

static void test_statics_only_the_solution_uses_are_voided_once(void **state)
{
	(void)state;
	char *out = starter("static const char names[] = \"ab\";\n"
	                    "static int helper(int x);\n"
	                    "static int kept(void)\n{\n\treturn 1;\n}\n"
	                    "/* helper — used by the solution only */\n"
	                    "static int helper(int x)\n{\n\treturn x + kept();\n}\n"
	                    "void f(void)\n{\n"
	                    "\t/* BEGIN SOLUTION: one */\n\thelper(names[0]);\n"
	                    "\t/* END SOLUTION */\n"
	                    "\t/* BEGIN SOLUTION: two */\n\thelper(1);\n\t/* END SOLUTION */\n"
	                    "}\n", 2);
	assert_non_null(strstr(out, "\t/* TODO: one */\n"
	                            "\t(void)names; /* unused until you write the TODO above */\n"
	                            "\t(void)helper;\n"
	                            "\t/* TODO: two */\n}\n"));
	assert_null(strstr(out, "(void)kept;"));
	free(out);
}

/* ---- malformed markers, refused ------------------------------------------------------ */

static void test_a_nested_begin_is_refused(void **state)
{
	(void)state;
	refused("/* BEGIN SOLUTION: x */\n/* BEGIN SOLUTION: y */\n/* END SOLUTION */\n", 2,
	        "inside the region opened on line 1");
}

static void test_a_region_without_end_is_refused_at_its_begin(void **state)
{
	(void)state;
	refused("int a;\n/* BEGIN SOLUTION: x */\nint b;\n", 2, "has no END SOLUTION");
}

static void test_a_begin_comment_never_closed_is_refused(void **state)
{
	(void)state;
	refused("\n/* BEGIN SOLUTION: the task\n * goes on\n", 2, "never ends");
	refused("/* BEGIN SOLUTION: the task\n * goes on\nx();\n/* END SOLUTION */\n", 1,
	        "does not end (with */) before line 4");
}

static void test_an_end_without_begin_is_refused(void **state)
{
	(void)state;
	refused("int a;\n/* END SOLUTION */\n", 2, "without a BEGIN SOLUTION");
}

static void test_markers_must_stand_alone(void **state)
{
	(void)state;
	refused("int a; /* BEGIN SOLUTION: x */\n/* END SOLUTION */\n", 1, "must start its line");
	refused("/* BEGIN SOLUTIONS: x */\n/* END SOLUTION */\n", 1, "must start its line");
	refused("/* BEGIN SOLUTION: x */ int a;\n/* END SOLUTION */\n", 1, "nothing may follow");
	refused("/* BEGIN SOLUTION: x\n * y */ int a;\n/* END SOLUTION */\n", 2,
	        "nothing may follow");
	refused("/* BEGIN SOLUTION: x */\nx();\n/* END SOLUTION */ y();\n", 3,
	        "must be alone on its line");
}

static void test_a_marker_without_text_is_refused(void **state)
{
	(void)state;
	refused("/* BEGIN SOLUTION: */\n/* END SOLUTION */\n", 1, "must say what to write");
	refused("/* BEGIN SOLUTION:\n *\n */\n/* END SOLUTION */\n", 1, "must say what to write");
}

static void test_a_text_too_long_is_refused(void **state)
{
	(void)state;
	char src[SOLUTION_TEXT_MAX + 64] = "/* BEGIN SOLUTION: ";
	memset(src + strlen(src), 'x', SOLUTION_TEXT_MAX + 1);
	strcat(src, " */\n/* END SOLUTION */\n");
	refused(src, 1, "longer than");
}

static void test_checking_alone_writes_nothing(void **state)
{
	(void)state;
	struct solution_error err;
	const char *src = "/* BEGIN SOLUTION: a\n * b */\nx\n/* END SOLUTION */\n";
	assert_int_equal(solution_strip(src, strlen(src), NULL, &err), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_source_without_regions_is_copied_as_it_is),
		cmocka_unit_test(test_a_one_line_marker_becomes_a_todo_at_its_indent),
		cmocka_unit_test(test_a_marker_across_lines_keeps_its_whole_text),
		cmocka_unit_test(test_a_marker_may_close_on_a_line_of_its_own),
		cmocka_unit_test(test_a_long_todo_is_wrapped_within_100_columns),
		cmocka_unit_test(test_regions_count_and_the_code_between_them_stays),
		cmocka_unit_test(test_parameters_only_the_solution_used_are_voided),
		cmocka_unit_test(test_a_parameter_used_outside_or_in_a_string_is_judged_right),
		cmocka_unit_test(test_two_regions_of_one_function_void_each_name_once),
		cmocka_unit_test(test_void_parameters_and_regions_outside_functions_add_nothing),
		cmocka_unit_test(test_a_function_returning_only_in_its_regions_returns_0),
		cmocka_unit_test(test_locals_only_the_solution_reads_are_voided),
		cmocka_unit_test(test_statics_only_the_solution_uses_are_voided_once),
		cmocka_unit_test(test_a_nested_begin_is_refused),
		cmocka_unit_test(test_a_region_without_end_is_refused_at_its_begin),
		cmocka_unit_test(test_a_begin_comment_never_closed_is_refused),
		cmocka_unit_test(test_an_end_without_begin_is_refused),
		cmocka_unit_test(test_markers_must_stand_alone),
		cmocka_unit_test(test_a_marker_without_text_is_refused),
		cmocka_unit_test(test_a_text_too_long_is_refused),
		cmocka_unit_test(test_checking_alone_writes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
