/* modex.c — the module exercises' commands: their words and options, then
 * tools/check/module.c does the work. */
#include "modex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "lab.h"
#include "module.h"
#include "watch.h"
#include "workspace.h"

#define DEFAULT_SECONDS 10 /* the differential fuzz, unless --seconds */
#define MAX_SECONDS 3600

/* takes_value — an option of exercise or check whose next word is its value. */
static bool takes_value(const char *opt)
{
	static const char *const with_value[] = {"--seconds", "--seed", "--url", "--cmd",
	                                         "--variant", "--timeout"};

	for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++)
		if (strcmp(opt, with_value[i]) == 0)
			return true;
	return false;
}

int modex_named(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0) {
			i += takes_value(argv[i]) && !strchr(argv[i], '=');
			continue;
		}
		if (module_find(argv[i]))
			return i;
	}
	return 0;
}

/* number — a whole number in [lo, hi] from text, or -1. */
static long long number(const char *text, long long lo, long long hi)
{
	char *end;

	errno = 0;
	long long v = strtoll(text, &end, 10);
	return errno || end == text || *end || v < lo || v > hi ? -1 : v;
}

/* module_args — the module and the options of exercise, or of check and watch (which
 * take the same ones). NULL after a usage line or a sentence. */
static const struct module *module_args(struct lab *lab, const char *cmd, int argc, char **argv,
                                        struct module_options *o, bool *force)
{
	const struct module *m = NULL;
	bool checking = strcmp(cmd, "exercise") != 0;

	*o = (struct module_options){.seconds = DEFAULT_SECONDS};
	*force = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long long n = 0;
		if (checking && strcmp(a, "--replay") == 0) {
			o->replay = true;
		} else if (!checking && strcmp(a, "--force") == 0) {
			*force = true;
		} else if (checking && strcmp(a, "--seconds") == 0 && v &&
		           (n = number(v, 1, MAX_SECONDS)) > 0) {
			o->seconds = (int)n, i++;
		} else if (checking && strcmp(a, "--seed") == 0 && v &&
		           (n = number(v, 0, 1LL << 62)) >= 0) {
			o->has_seed = true, o->seed = (unsigned long long)n, i++;
		} else if (!m && (m = module_find(a))) {
			continue;
		} else {
			lab_error(lab, "%s %s: %s is not understood here (%s)", cmd,
			          m ? m->name : "MODULE", a, checking ?
			          "a module takes --seconds S, --seed S and --replay" :
			          "a module takes --force");
			return NULL;
		}
	}
	return m;
}

int modex_exercise(struct lab *lab, int argc, char **argv)
{
	struct module_options o;
	bool force;
	const struct module *m = module_args(lab, "exercise", argc, argv, &o, &force);

	return m ? module_exercise(lab, m, force) : LAB_USAGE;
}

int modex_check(struct lab *lab, int argc, char **argv)
{
	struct module_options o;
	bool force;
	const struct module *m = module_args(lab, "check", argc, argv, &o, &force);

	return m ? module_check(lab, m, &o) : LAB_USAGE;
}

int modex_watch(struct lab *lab, int argc, char **argv)
{
	struct module_options o;
	bool force;
	const struct module *m = module_args(lab, "watch", argc, argv, &o, &force);

	return m ? watch_module(lab, m, &o) : LAB_USAGE;
}

int modex_lesson_exercise(struct lab *lab, int number, bool force)
{
	const struct module *m = module_of_lesson(number);
	char path[PATH_MAX + 32];

	if (!m)
		return LAB_OK;
	lab_note(lab, "lesson %02d's idea lives in common/http's module %s (%s), which later "
	         "lessons reuse: that module is this lesson's exercise too", number, m->name,
	         m->summary);
	snprintf(path, sizeof path, "%s/modules/%s.c", lab->workspace, m->name);
	if (!force && access(path, F_OK) == 0) {
		/* begun already: the lesson's starter was written, and that is no failure */
		lab_note(lab, "your %s is kept; %scheck %s grades it", path, lab_typed(lab),
		         m->name);
		return LAB_OK;
	}
	return module_exercise(lab, m, force);
}

void modex_lessons(struct lab *lab)
{
	char path[PATH_MAX + 32];

	printf("\nmodules (%sexercise MODULE, %scheck MODULE):\n", lab_typed(lab), lab_typed(lab));
	for (int i = 0; module_at(i); i++) {
		const struct module *m = module_at(i);
		snprintf(path, sizeof path, "%s/modules/%s.c", lab->workspace, m->name);
		/* "—" is three bytes and one column: padded by hand, not by printf */
		printf("    %-17s %-7s %s\n", m->name, ws_module_passed(lab, m->name) ? "passes" :
		       access(path, F_OK) == 0 ? "started" : "—      ", m->summary);
	}
}
